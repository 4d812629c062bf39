/* input.h - turn `sift run` / `sift push` PATH arguments into documents.
 *
 * A PATH is a text file (one document, id = the file's name), a directory
 * (its regular files in name order, not recursive, hidden files skipped),
 * a .jsonl file (one {"id","text","source"?,"fields"?} object a line), or
 * "-" for standard input (JSONL when its first non-blank byte is '{', else
 * one text document with id "stdin"). Documents are produced one at a
 * time, in input order, so memory stays flat on large inputs.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_CLI_INPUT_H
#define SIFT_CLI_INPUT_H

#include "doc.h"

/* Called once per document; takes ownership of *d (sets it to NULL if it
 * keeps it, else the caller destroys it). Return < 0 to stop. */
typedef int (*input_fn)(void *ctx, sift_doc **d);

/* Called for an input that cannot be read or a line that is not a valid
 * document: where is "file" or "file:line", msg the cause. */
typedef void (*input_err_fn)(void *ctx, const char *where, const char *msg);

typedef struct input_opts {
    const char *source;     /* borrowed: source for text files; NULL = "" */
    size_t max_bytes;       /* refuse larger documents; 0 = no limit */
    input_fn on_doc;
    input_err_fn on_error;
    void *ctx;              /* borrowed: passed to the callbacks */
} input_opts;

/* Read path and call o->on_doc for each document. Returns 0, the first
 * negative code a callback returned, or the number of input errors (> 0). */
int input_read(const char *path, const input_opts *o);

/* Appended. How many documents path holds, counted without decoding them
 * (for `sift push`'s progress): 1 per text file, the non-blank lines of a
 * .jsonl file, a directory's files summed. Returns -1 for "-" (standard
 * input cannot be read twice) or a path that cannot be read. */
long input_count(const char *path);

#endif
