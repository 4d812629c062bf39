/* fuzz_config.c - libFuzzer target: siftd.conf text (lib/config.c, lib/options.c).
 *
 * libconfig parses; what is fuzzed is that our checks walk any tree it can
 * produce without crashing, and that a config they pass keeps their
 * promises. Each input is the text of a config (to its first NUL).
 * sift_config_load_string loads it; when it passes, every stage whose
 * plugin is one of the shipped stages has its options group validated
 * against that plugin's declared options (sift_options_build), the plugins
 * opened once at start from the build tree, never from a path the input
 * names. Inputs with an @include directive are skipped: it reads files,
 * and config files are the operator's. What must hold, beyond "no crash,
 * no sanitizer report":
 *  1. load returns 0 with a config and no problem, or a negative code with
 *     no config and at least one problem reported;
 *  2. a loaded config has what config.h promises: limits within bounds,
 *     unique sink and pipeline names, stages with a plugin and 1..64
 *     workers, pipeline sinks and dead_letter naming defined sinks.
 * A broken property aborts, so libFuzzer keeps the input.
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_doc.h"
#include "options.h"
#include "plugin_loader.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const plugin_names[] = {"clean", "boilerplate", "extract", "score"};
#define N_PLUGINS (sizeof plugin_names / sizeof plugin_names[0])
static sift_plugin_lib *plugins[N_PLUGINS];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < N_PLUGINS; i++) {
        char file[4096];
        sift_err err = {{0}};
        snprintf(file, sizeof file, "%s/%s.so", SIFT_PLUGIN_DIR, plugin_names[i]);
        if (sift_plugin_lib_open(&plugins[i], file, &err) < 0)
            fuzz_fail("cannot open %s: %s", file, err.msg);
    }
    return 0;
}

static const sift_sink_conf *sink_named(const sift_config *c, const char *name)
{
    for (size_t i = 0; i < c->n_sinks; i++)
        if (c->sinks[i].name && strcmp(c->sinks[i].name, name) == 0)
            return &c->sinks[i];
    return NULL;
}

static void check_sinks(const sift_config *c)
{
    for (size_t i = 0; i < c->n_sinks; i++) {
        const sift_sink_conf *k = &c->sinks[i];
        if (!k->name || !k->type || sink_named(c, k->name) != k)
            fuzz_fail("sink %zu: no name or type, or a duplicate name", i);
        if (strcmp(k->type, "jsonl") == 0 ? !k->path : !k->endpoint)
            fuzz_fail("sink %s of type %s lacks its path or endpoint", k->name, k->type);
    }
    if (c->dead_letter && !sink_named(c, c->dead_letter))
        fuzz_fail("dead_letter names no sink");
}

/* Property 2 for pipeline p, and its stages' options against the plugins. */
static void check_pipeline(const sift_config *c, const sift_pipeline_conf *p)
{
    if (!p->name || sift_config_pipeline(c, p->name) != p || p->n_stages == 0)
        fuzz_fail("pipeline without a name, with a duplicate name, or without stages");
    for (size_t i = 0; i < p->n_sinks; i++)
        if (!p->sinks[i] || !sink_named(c, p->sinks[i]))
            fuzz_fail("pipeline %s: sink %zu names no sink", p->name, i);
    for (size_t i = 0; i < p->n_stages; i++) {
        const sift_stage_conf *st = &p->stages[i];
        if (!st->plugin || !st->name || st->workers < 1 || st->workers > 64)
            fuzz_fail("pipeline %s: stage %zu without plugin or name, or workers %d", p->name, i,
                      st->workers);
        for (size_t k = 0; k < N_PLUGINS; k++) {
            if (strcmp(st->plugin, plugin_names[k]) != 0)
                continue;
            sift_value opts;
            sift_diag diag = {0};
            sift_value_init(&opts);
            int rc = sift_options_build(plugins[k], st->options, st->name, st->where, &opts, &diag);
            if ((rc < 0) != (diag.n > 0) || (rc == 0 && opts.type != SIFT_T_MAP))
                fuzz_fail("options of %s: rc %d with %d problems", st->name, rc, diag.n);
            sift_value_fini(&opts);
        }
    }
}

static void check_config(const sift_config *c)
{
    if (c->max_doc_bytes < 1 || c->max_doc_bytes > (1 << 30) || c->worker_credit < 1 ||
        c->worker_credit > 256 || c->worker_batch < 1 || c->worker_batch > 256 ||
        c->max_queue_docs < 1 || c->max_attempts < 1 || c->stage_deadline_ms < 10)
        fuzz_fail("a limit out of its bounds passed");
    if (!c->backend || !c->control || !c->tail || !c->plugin_path || !c->state_dir)
        fuzz_fail("a string setting without its default");
    for (size_t i = 0; i < c->n_ingest; i++)
        if (!c->ingest[i])
            fuzz_fail("ingest endpoint %zu is NULL", i);
    check_sinks(c);
    for (size_t i = 0; i < c->n_pipelines; i++)
        check_pipeline(c, &c->pipelines[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (strstr(text, "@include")) {
        free(text);
        return 0;
    }
    sift_config *c = NULL;
    sift_diag diag = {0};
    int rc = sift_config_load_string(&c, text, "fuzz.conf", &diag);
    if (rc == 0 ? (!c || diag.n != 0) : (c || diag.n == 0 || !diag.first.msg[0]))
        fuzz_fail("load returned %d, config %p, %d problems", rc, (void *)c, diag.n);
    if (c)
        check_config(c);
    sift_config_destroy(&c);
    free(text);
    return 0;
}
