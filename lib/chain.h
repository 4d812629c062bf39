/* chain.h - consecutive stages run in one process, document by document.
 *
 * A chain is what `sift run` runs for a whole pipeline and what a siftd
 * worker hosts (DESIGN.md: chaining neighbouring stages saves a broker
 * round trip per stage). It builds its stages from a pipeline's config
 * (or a plain list of plugin names), and runs a document through them in
 * order until one drops or fails it. A stage that asks for a retry is
 * called again on the same document, up to max_attempts in all; then the
 * document fails with "retries exhausted". It does not read input or
 * write output (cli/ and daemon/ do).
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_CHAIN_H
#define SIFT_CHAIN_H

#include "config.h"
#include "doc.h"
#include "stage.h"

typedef struct sift_chain sift_chain;

/* An --explain listener: called before and after each stage with the
 * document (phase 0 = before, 1 = after) and for each note a stage makes. */
typedef struct sift_chain_watch {
    void (*stage)(void *ctx, const sift_doc *d, const sift_stage *st, int phase, int rc);
    void (*note)(void *ctx, const sift_doc *d, const char *stage, const char *text);
    void *ctx; /* borrowed until the chain is destroyed */
} sift_chain_watch;

/* Build the chain of pipeline p's stages [first, first+n) (n = 0: all)
 * from config c. Every refusal names the stage's config line and the
 * plugin file. Caller owns *out; free with sift_chain_destroy(). */
int sift_chain_new_from_conf(sift_chain **out, const sift_config *c, const sift_pipeline_conf *p,
                             size_t first, size_t n, sift_err *err);
void sift_chain_destroy(sift_chain **pp);

/* Attach a listener (NULL to detach). watch: copied. */
void sift_chain_set_watch(sift_chain *ch, const sift_chain_watch *watch);

/* Whether a stage's SIFT_RETRY is retried here, at once, up to max_attempts
 * (the default, for `sift run`), or handed back to the caller as the
 * chain's result with d's status untouched (siftd's workers: the broker
 * retries later from its own copy, with backoff). */
void sift_chain_set_retry_inline(sift_chain *ch, int inline_retry);

/* Run d through the chain. Returns SIFT_OK (went through every stage),
 * SIFT_DROP, SIFT_RETRY (only when inline retry is off), or a negative
 * code (d failed; d's status says where and why). */
int sift_chain_run(sift_chain *ch, sift_doc *d);

/* Flush every stage's state (before exit, when idle). */
void sift_chain_flush(sift_chain *ch);

size_t sift_chain_len(const sift_chain *ch);
sift_stage *sift_chain_stage(const sift_chain *ch, size_t i);

#endif
