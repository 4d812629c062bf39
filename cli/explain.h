/* explain.h - `sift run --explain`: tell a person what each stage changed.
 *
 * Prints to stderr, per document and stage: time, text size before and
 * after, each note the stage made (lines removed and why), fields and
 * scores added, changed or removed, and the status when a stage drops or
 * fails the document. Runs only when asked; costs nothing otherwise.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_CLI_EXPLAIN_H
#define SIFT_CLI_EXPLAIN_H

#include <stdio.h>

#include "chain.h"

typedef struct explain explain;

/* Caller owns *out; free with explain_destroy(). out: borrowed stream. */
int explain_new(explain **out, FILE *stream);
void explain_destroy(explain **pp);

/* The chain listener that feeds it (borrowed until explain_destroy). */
sift_chain_watch explain_watch(explain *e);

#endif
