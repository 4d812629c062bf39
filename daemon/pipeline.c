/* pipeline.c - siftd's pipelines: segments from the config, and reloads.
 *
 * A pipeline's stages are cut into segments, each served by its own
 * workers: neighbouring stages share one segment (one chain in one worker
 * process, so a document crosses the broker once per segment), and a stage
 * with `isolate = true` gets a segment of its own. A segment runs as many
 * workers as the largest `workers` among its stages.
 *
 * On reload a pipeline whose definition is unchanged (same fingerprint)
 * keeps its workers and its queue; a changed or removed one is retired: it
 * takes no new documents, finishes the ones it has, and is freed once
 * empty. Sinks are fixed for the life of the process.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "broker.h"
#include "log.h"

static void hash_setting(XXH64_state_t *h, const config_setting_t *s)
{
    const char *name = config_setting_name(s);
    int type = config_setting_type(s);
    XXH64_update(h, name ? name : "", name ? strlen(name) + 1 : 1);
    XXH64_update(h, &type, sizeof type);
    switch (type) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
    case CONFIG_TYPE_BOOL: {
        long long v = config_setting_get_int64(s);
        XXH64_update(h, &v, sizeof v);
        break;
    }
    case CONFIG_TYPE_FLOAT: {
        double v = config_setting_get_float(s);
        XXH64_update(h, &v, sizeof v);
        break;
    }
    case CONFIG_TYPE_STRING: {
        const char *v = config_setting_get_string(s);
        XXH64_update(h, v, strlen(v) + 1);
        break;
    }
    default:
        for (int i = 0; i < config_setting_length(s); i++)
            hash_setting(h, config_setting_get_elem(s, (unsigned)i));
    }
}

/* Fingerprint of what a pipeline's workers depend on. */
static uint64_t fingerprint(const sift_config *c, const sift_pipeline_conf *p)
{
    XXH64_state_t *h = XXH64_createState();
    XXH64_reset(h, 0);
    const char *globals[] = {c->plugin_path, c->state_dir, p->name};
    for (size_t i = 0; i < 3; i++)
        XXH64_update(h, globals[i] ? globals[i] : "", globals[i] ? strlen(globals[i]) + 1 : 1);
    int64_t nums[] = {c->max_doc_bytes, c->max_attempts, c->stage_deadline_ms, c->worker_credit};
    XXH64_update(h, nums, sizeof nums);
    for (size_t i = 0; i < p->n_stages; i++) {
        const sift_stage_conf *s = &p->stages[i];
        XXH64_update(h, s->name, strlen(s->name) + 1);
        XXH64_update(h, s->plugin, strlen(s->plugin) + 1);
        int ints[] = {s->workers, s->is_isolated};
        XXH64_update(h, ints, sizeof ints);
        if (s->options)
            hash_setting(h, s->options);
    }
    for (size_t i = 0; i < p->n_sinks; i++)
        XXH64_update(h, p->sinks[i], strlen(p->sinks[i]) + 1);
    uint64_t v = XXH64_digest(h);
    XXH64_freeState(h);
    return v;
}

static void init_segment(pipeline *pl, segment *sg, const sift_pipeline_conf *p, int first, int count)
{
    sg->pl = pl;
    sg->first = first;
    sg->count = count;
    snprintf(sg->key, sizeof sg->key, "%s/%d-%d", p->name, first, first + count - 1);
    size_t len = 0;
    for (int i = first; i < first + count; i++) {
        len += (size_t)snprintf(sg->label + len, sizeof sg->label - len, "%s%s",
                                i > first ? "+" : "", p->stages[i].name);
        if (len >= sizeof sg->label)
            len = sizeof sg->label - 1;
        if (p->stages[i].workers > sg->n_slots)
            sg->n_slots = p->stages[i].workers;
    }
}

/* Cut p's stages into segments (see the file comment). */
static int make_segments(pipeline *pl, const sift_pipeline_conf *p)
{
    pl->segs = calloc(p->n_stages, sizeof *pl->segs);
    if (!pl->segs)
        return SIFT_ENOMEM;
    for (size_t i = 0; i < p->n_stages;) {
        size_t j = i + 1;
        if (!p->stages[i].is_isolated)
            while (j < p->n_stages && !p->stages[j].is_isolated)
                j++;
        segment *sg = &pl->segs[pl->n_segs];
        sg->index = pl->n_segs++;
        init_segment(pl, sg, p, (int)i, (int)(j - i));
        if (!(sg->slots = calloc((size_t)sg->n_slots, sizeof *sg->slots)))
            return SIFT_ENOMEM;
        for (int k = 0; k < sg->n_slots; k++)
            sg->slots[k].seg = sg;
        i = j;
    }
    return 0;
}

static int bind_sinks(broker *b, pipeline *pl, const sift_pipeline_conf *p, sift_err *err)
{
    pl->sinks = calloc(p->n_sinks + 1, sizeof *pl->sinks);
    if (!pl->sinks)
        return SIFT_ENOMEM;
    for (size_t i = 0; i < p->n_sinks; i++) {
        size_t k = 0;
        while (k < b->n_sinks && strcmp(sift_sink_name(b->sinks[k]), p->sinks[i]) != 0)
            k++;
        if (k == b->n_sinks)
            return sift_err_set(err, SIFT_ENOENT,
                                "pipeline %s: sink %s is not open (sinks change only on restart)",
                                p->name, p->sinks[i]);
        pl->sinks[pl->n_sinks++] = k;
    }
    return 0;
}

static void pipeline_free(pipeline *pl)
{
    for (size_t i = 0; i < pl->n_segs; i++) {
        for (int k = 0; k < pl->segs[i].n_slots; k++)
            free(pl->segs[i].slots[k].held);
        free(pl->segs[i].slots);
        free(pl->segs[i].remotes);
    }
    for (size_t i = 0; i < pl->n_stages; i++)
        free(pl->stage_names[i]);
    free(pl->stage_names);
    free(pl->stage_st);
    free(pl->segs);
    free(pl->sinks);
    free(pl->name);
    free(pl);
}

static int pipeline_new(broker *b, const sift_config *c, const sift_pipeline_conf *p,
                        pipeline **out, sift_err *err)
{
    pipeline *pl = calloc(1, sizeof *pl);
    int rc = SIFT_ENOMEM;
    if (!pl || !(pl->name = strdup(p->name)) ||
        !(pl->stage_names = calloc(p->n_stages, sizeof *pl->stage_names)) ||
        !(pl->stage_st = calloc(p->n_stages, sizeof *pl->stage_st)))
        goto fail;
    pl->n_stages = p->n_stages;
    for (size_t i = 0; i < p->n_stages; i++)
        if (!(pl->stage_names[i] = strdup(p->stages[i].name)))
            goto fail;
    pl->fingerprint = fingerprint(c, p);
    if ((rc = make_segments(pl, p)) < 0 || (rc = bind_sinks(b, pl, p, err)) < 0)
        goto fail;
    *out = pl;
    return 0;
fail:
    if (pl)
        pipeline_free(pl);
    return rc;
}

static pipeline *find_live(broker *b, const char *name, uint64_t fp)
{
    for (pipeline *pl = b->pipelines; pl; pl = pl->next)
        if (!pl->is_retired && strcmp(pl->name, name) == 0 && pl->fingerprint == fp)
            return pl;
    return NULL;
}

int sift_pipelines_build(broker *b, const sift_config *cfg, sift_err *err)
{
    pipeline *fresh = NULL, **tail = &fresh;
    for (size_t i = 0; i < cfg->n_pipelines; i++) {
        pipeline *pl;
        int rc = pipeline_new(b, cfg, &cfg->pipelines[i], &pl, err);
        if (rc < 0) {
            while (fresh) {
                pipeline *n = fresh->next;
                pipeline_free(fresh);
                fresh = n;
            }
            return rc;
        }
        *tail = pl;
        tail = &pl->next;
    }
    /* Keep unchanged pipelines (their workers and queues); retire the rest. */
    for (pipeline **pp = &fresh; *pp;) {
        pipeline *old = find_live(b, (*pp)->name, (*pp)->fingerprint);
        if (!old) {
            pp = &(*pp)->next;
            continue;
        }
        pipeline *dup = *pp;
        *pp = dup->next;
        pipeline_free(dup);
        old->is_retired = -1; /* mark: kept */
    }
    for (pipeline *pl = b->pipelines; pl; pl = pl->next) {
        if (pl->is_retired == -1) {
            pl->is_retired = 0;
        } else if (!pl->is_retired) {
            pl->is_retired = 1;
            sift_log(SIFT_LOG_INFO, "broker", "pipeline retired", "pipeline=%s jobs=%zu", pl->name,
                     pl->n_jobs);
        }
    }
    pipeline **end = &fresh;
    for (; *end; end = &(*end)->next)
        sift_log(SIFT_LOG_INFO, "broker", "pipeline started", "pipeline=%s segments=%zu",
                 (*end)->name, (*end)->n_segs);
    *end = b->pipelines;
    b->pipelines = fresh;
    return 0;
}

pipeline *sift_pipeline_find(broker *b, const char *name, size_t len)
{
    for (pipeline *pl = b->pipelines; pl; pl = pl->next)
        if (!pl->is_retired && strlen(pl->name) == len && memcmp(pl->name, name, len) == 0)
            return pl;
    return NULL;
}

static int has_processes(const pipeline *pl)
{
    for (size_t i = 0; i < pl->n_segs; i++) {
        for (int k = 0; k < pl->segs[i].n_slots; k++)
            if (pl->segs[i].slots[k].state != W_EMPTY)
                return 1;
        if (pl->segs[i].n_remotes)
            return 1;
    }
    return 0;
}

void sift_pipelines_reap_retired(broker *b)
{
    for (pipeline **pp = &b->pipelines; *pp;) {
        pipeline *pl = *pp;
        if (pl->is_retired && pl->n_jobs == 0 && !has_processes(pl)) {
            sift_log(SIFT_LOG_INFO, "broker", "pipeline drained", "pipeline=%s", pl->name);
            *pp = pl->next;
            pipeline_free(pl);
        } else {
            pp = &pl->next;
        }
    }
}

void sift_pipelines_free(broker *b)
{
    while (b->pipelines) {
        pipeline *n = b->pipelines->next;
        pipeline_free(b->pipelines);
        b->pipelines = n;
    }
}

const segment *sift_segment_of(const pipeline *pl, size_t stage)
{
    for (size_t i = 0; i < pl->n_segs; i++)
        if ((int)stage >= pl->segs[i].first && (int)stage < pl->segs[i].first + pl->segs[i].count)
            return &pl->segs[i];
    return NULL;
}

void sift_segment_workers(const segment *sg, int *live, size_t *in_flight)
{
    *live = 0;
    *in_flight = 0;
    for (int k = 0; k < sg->n_slots; k++) {
        *live += sg->slots[k].state == W_READY;
        *in_flight += sg->slots[k].n_held;
    }
    for (size_t k = 0; k < sg->n_remotes; k++) {
        (*live)++;
        *in_flight += sg->remotes[k]->n_held;
    }
}
