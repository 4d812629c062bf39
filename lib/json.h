/* json.h - a document to and from its JSON form (JSONL sinks, `sift run`).
 *
 * One JSON object per document with exactly the keys of docs/output.md.
 * Built with jansson. Bytes that are not UTF-8 (text before the clean
 * stage) are written with U+FFFD in their place, so every line is valid
 * JSON. Input lines for `sift run` are {"id", "text", "source"?, "fields"?}.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_JSON_H
#define SIFT_JSON_H

#include <stddef.h>

#include "doc.h"
#include "err.h"

/* Encode d as one line of compact JSON with a trailing '\n'.
 * Caller owns *out; free(). Returns 0, SIFT_ENOMEM, or SIFT_ERANGE when
 * fields nest deeper than SIFT_VALUE_MAX_DEPTH. */
int sift_json_encode(const sift_doc *d, char **out, size_t *out_len);

/* A growing buffer that encoded lines are appended to. Reusing one across
 * documents (set len to 0 once its lines are written) saves an allocation
 * and a free per document. Start it as {0}; the caller owns p and frees it
 * with sift_json_buf_free(). */
typedef struct sift_json_buf {
    char *p;         /* NUL-terminated after len bytes once anything is appended */
    size_t len, cap;
} sift_json_buf;

/* Append d's line (as sift_json_encode gives it) to b. Returns 0, or
 * sift_json_encode's codes with b as it was. */
int sift_json_encode_into(const sift_doc *d, sift_json_buf *b);
void sift_json_buf_free(sift_json_buf *b);

/* Parse one input line {"id": str, "text": str, "source"?: str, "fields"?: object}.
 * Caller owns *out; free with sift_doc_destroy(). SIFT_EINVAL with err. */
int sift_json_decode_input(const char *line, size_t len, sift_doc **out, sift_err *err);

/* Parse a full output line back into a document (tests, tools).
 * Caller owns *out. */
int sift_json_decode(const char *line, size_t len, sift_doc **out, sift_err *err);

/* Make jansson take its memory from a bump arena (json_arena.c) that is
 * reused whenever every node it handed out has been freed. For processes in
 * which one thread uses jansson; call it before the first jansson call.
 * Memory jansson returns (json_dumps) must then go back through jansson's
 * free function (json_get_alloc_funcs), not free(). */
void sift_json_arena_use(void);

#endif
