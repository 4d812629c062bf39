/* chain.c - consecutive stages run in one process, document by document.
 *
 * Owns the stage instances of one chain and the loop over them; the
 * meaning of each return code is settled by stage.c, so this file only
 * decides what happens next: go on, stop (dropped or failed), or call the
 * stage again (retry, bounded by max_attempts).
 * SPDX-License-Identifier: MIT
 */
#include "chain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sift_chain {
    sift_stage **stages;
    size_t n;
    int max_attempts;
    int is_retry_outside; /* hand SIFT_RETRY to the caller */
    sift_chain_watch watch;
};

static void note_trampoline(void *ctx, const sift_doc *d, const char *stage, const char *text)
{
    const sift_chain *ch = ctx;
    if (ch->watch.note)
        ch->watch.note(ch->watch.ctx, d, stage, text);
}

int sift_chain_new_from_conf(sift_chain **out, const sift_config *c, const sift_pipeline_conf *p,
                             size_t first, size_t n, sift_err *err)
{
    *out = NULL;
    if (first > p->n_stages)
        return sift_err_set(err, SIFT_ERANGE, "pipeline %s has %zu stages", p->name, p->n_stages);
    if (n == 0 || first + n > p->n_stages)
        n = p->n_stages - first;
    sift_chain *ch = calloc(1, sizeof *ch);
    if (!ch || !(ch->stages = calloc(n ? n : 1, sizeof *ch->stages))) {
        free(ch);
        return SIFT_ENOMEM;
    }
    ch->max_attempts = (int)c->max_attempts;
    for (size_t i = 0; i < n; i++) {
        const sift_stage_conf *sc = &p->stages[first + i];
        sift_stage_opts o = {
            .name = sc->name, .plugin = sc->plugin, .search_path = c->plugin_path,
            .options = sc->options, .where = sc->where, .state_dir = c->state_dir,
            .max_text_bytes = (size_t)c->max_doc_bytes,
        };
        int rc = sift_stage_new(&ch->stages[i], &o, err);
        if (rc < 0) {
            if (err && strncmp(err->msg, sc->where, strlen(sc->where)) != 0) /* not yet located */
                sift_err_prefix(err, "%s: pipeline %s: stage %s", sc->where, p->name, sc->name);
            ch->n = i;
            sift_chain_destroy(&ch);
            return rc;
        }
    }
    ch->n = n;
    *out = ch;
    return 0;
}

void sift_chain_destroy(sift_chain **pp)
{
    if (!pp || !*pp)
        return;
    sift_chain *ch = *pp;
    for (size_t i = ch->n; i-- > 0;)
        sift_stage_destroy(&ch->stages[i]);
    free(ch->stages);
    free(ch);
    *pp = NULL;
}

void sift_chain_set_watch(sift_chain *ch, const sift_chain_watch *watch)
{
    if (watch)
        ch->watch = *watch;
    else
        ch->watch = (sift_chain_watch){0};
}

void sift_chain_set_retry_inline(sift_chain *ch, int inline_retry)
{
    ch->is_retry_outside = !inline_retry;
}

/* One stage, with its retries. */
static int run_stage(sift_chain *ch, sift_stage *st, sift_doc *d)
{
    int rc = SIFT_RETRY;
    int tries = ch->is_retry_outside ? 1 : ch->max_attempts;
    for (int attempt = 1; attempt <= tries && rc == SIFT_RETRY; attempt++)
        rc = sift_stage_process(st, d);
    if (rc == SIFT_RETRY && !ch->is_retry_outside) {
        char text[128];
        snprintf(text, sizeof text, "EAGAIN: retries exhausted after %d attempts", ch->max_attempts);
        sift_doc_set_status(d, SIFT_DOC_FAILED, sift_stage_get_name(st), text);
    }
    return rc;
}

int sift_chain_run(sift_chain *ch, sift_doc *d)
{
    int watching = ch->watch.stage || ch->watch.note;
    d->note_fn = ch->watch.note ? note_trampoline : NULL;
    d->note_ctx = ch;
    int rc = SIFT_OK;
    for (size_t i = 0; i < ch->n && rc == SIFT_OK; i++) {
        if (watching && ch->watch.stage)
            ch->watch.stage(ch->watch.ctx, d, ch->stages[i], 0, 0);
        rc = run_stage(ch, ch->stages[i], d);
        if (watching && ch->watch.stage)
            ch->watch.stage(ch->watch.ctx, d, ch->stages[i], 1, rc);
    }
    d->note_fn = NULL;
    d->note_ctx = NULL;
    return rc;
}

void sift_chain_flush(sift_chain *ch)
{
    for (size_t i = 0; i < ch->n; i++)
        sift_stage_flush(ch->stages[i]);
}

size_t sift_chain_len(const sift_chain *ch) { return ch->n; }
sift_stage *sift_chain_stage(const sift_chain *ch, size_t i) { return i < ch->n ? ch->stages[i] : NULL; }
