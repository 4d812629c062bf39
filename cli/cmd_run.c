/* cmd_run.c - `sift run`: a pipeline over files or stdin, in this process.
 *
 *   sift run [-c CONF] [-p PIPELINE | --stages a,b,...] [-o OUT] [--explain]
 *            [--source NAME] [--state-dir DIR] [PATH ...]
 *
 * Builds one chain (chain.c) with the same loader and host table siftd's
 * workers use, streams the inputs through it (input.c) and writes one JSON
 * line per document, in input order, dropped and failed ones included.
 * Plugin state is kept only with --state-dir, so two runs over the same
 * files give the same output.
 * SPDX-License-Identifier: MIT
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "commands.h"
#include "config.h"
#include "explain.h"
#include "heap.h"
#include "input.h"
#include "json.h"
#include "log.h"

#define MAX_STAGES 64

/* Encoded lines are gathered up to this many bytes and then written with
 * one fwrite, which hands them to write(2) without copying them through
 * stdio's buffer. */
#define OUT_BATCH (1u << 20)

typedef struct run_ctx {
    sift_chain *chain;
    FILE *out;
    sift_json_buf lines;  /* encoded, not yet written; reused across documents */
    int is_interactive;   /* out is a terminal: write each line at once */
    size_t n_docs, n_dropped, n_failed, n_input_errors;
    int write_failed;
} run_ctx;

typedef struct run_args {
    const char *conf, *pipeline, *stages, *out, *source, *state_dir;
    int explain;
} run_args;

static void run_usage(FILE *f)
{
    fprintf(f,
            "usage: sift run [-c CONF] [-p PIPELINE | --stages a,b,...] [-o OUT] [--explain]\n"
            "                [--source NAME] [--state-dir DIR] [PATH ...]\n\n"
            "Runs a pipeline over documents in this process and writes one JSON object per\n"
            "document (docs/output.md) to OUT or stdout, in input order.\n"
            "PATH: a text file (one document, id = file name), a directory (its files),\n"
            "      a .jsonl file ({\"id\",\"text\",\"source\"?} per line), or - for stdin.\n\n"
            "  -c, --config FILE    config (default: %s)\n"
            "  -p, --pipeline NAME  pipeline from the config (default: default)\n"
            "      --stages LIST    run these plugins instead (options from the config's\n"
            "                       stages of the same name, if any)\n"
            "  -o, --output FILE    write results here (default: stdout)\n"
            "      --explain        tell on stderr what each stage changed, per document\n"
            "      --source NAME    source of text-file documents (default: none)\n"
            "      --state-dir DIR  keep stateful plugins' state here across runs\n",
            sift_config_default_file());
}

static int parse_args(int argc, char **argv, run_args *a)
{
    static const struct option longopts[] = {
        {"config", required_argument, 0, 'c'}, {"pipeline", required_argument, 0, 'p'},
        {"stages", required_argument, 0, 's'}, {"output", required_argument, 0, 'o'},
        {"explain", no_argument, 0, 'x'},      {"source", required_argument, 0, 'S'},
        {"state-dir", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:p:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': a->conf = optarg; break;
        case 'p': a->pipeline = optarg; break;
        case 's': a->stages = optarg; break;
        case 'o': a->out = optarg; break;
        case 'x': a->explain = 1; break;
        case 'S': a->source = optarg; break;
        case 'd': a->state_dir = optarg; break;
        case 'h': run_usage(stdout); exit(0);
        default: run_usage(stderr); return -1;
        }
    }
    if (a->pipeline && a->stages) {
        fprintf(stderr, "sift run: -p and --stages exclude each other\n");
        return -1;
    }
    return 0;
}

static void print_problem(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "%s\n", msg);
}

/* Load -c FILE, or the default config when it exists; with --stages and no
 * config anywhere, an empty config (all defaults) will do. */
static int load_config(const run_args *a, sift_config **c)
{
    sift_diag diag = {.report = print_problem};
    const char *file = a->conf ? a->conf : sift_config_default_file();
    if (!a->conf && access(file, R_OK) != 0) {
        if (!a->stages) {
            fprintf(stderr, "sift run: no config at %s; give -c FILE or --stages\n", file);
            return -1;
        }
        return sift_config_load_string(c, "", "(defaults)", &diag) < 0 ? -1 : 0;
    }
    return sift_config_load(c, file, &diag) < 0 ? -1 : 0;
}

/* The stage config for plugin name: the first stage of that name in any
 * pipeline of c, else a bare one with default options. */
static sift_stage_conf stage_for(const sift_config *c, const char *name)
{
    for (size_t i = 0; i < c->n_pipelines; i++)
        for (size_t j = 0; j < c->pipelines[i].n_stages; j++)
            if (strcmp(c->pipelines[i].stages[j].name, name) == 0)
                return c->pipelines[i].stages[j];
    sift_stage_conf sc = {.name = name, .plugin = name, .workers = 1};
    snprintf(sc.where, sizeof sc.where, "--stages");
    return sc;
}

static int build_chain(const run_args *a, sift_config *c, sift_chain **chain)
{
    c->state_dir = a->state_dir ? a->state_dir : "";
    sift_err err = {{0}};
    if (!a->stages) {
        const char *name = a->pipeline ? a->pipeline : "default";
        const sift_pipeline_conf *p = sift_config_pipeline(c, name);
        if (!p) {
            fprintf(stderr, "sift run: %s: no pipeline named \"%s\"\n", c->file, name);
            return -1;
        }
        if (sift_chain_new_from_conf(chain, c, p, 0, 0, &err) < 0)
            return fprintf(stderr, "sift run: %s\n", err.msg), -1;
        return 0;
    }
    char *list = strdup(a->stages), *save = NULL;
    sift_stage_conf stages[MAX_STAGES];
    sift_pipeline_conf p = {.name = "--stages", .stages = stages};
    for (char *s = strtok_r(list, ",", &save); s && p.n_stages < MAX_STAGES; s = strtok_r(NULL, ",", &save))
        stages[p.n_stages++] = stage_for(c, s);
    int rc = p.n_stages ? sift_chain_new_from_conf(chain, c, &p, 0, 0, &err) : -1;
    if (rc < 0)
        fprintf(stderr, "sift run: %s\n", p.n_stages ? err.msg : "--stages: empty list");
    free(list);
    return rc < 0 ? -1 : 0;
}

static void write_lines(run_ctx *r)
{
    if (r->lines.len && fwrite(r->lines.p, 1, r->lines.len, r->out) != r->lines.len)
        r->write_failed = 1;
    r->lines.len = 0;
}

static int on_doc(void *vctx, sift_doc **dp)
{
    run_ctx *r = vctx;
    sift_doc *d = *dp;
    int rc = sift_chain_run(r->chain, d);
    r->n_docs++;
    r->n_dropped += rc == SIFT_DROP;
    r->n_failed += rc < 0;
    if (sift_json_encode_into(d, &r->lines) < 0)
        return SIFT_ENOMEM;
    if (r->is_interactive || r->lines.len >= OUT_BATCH)
        write_lines(r);
    return r->write_failed ? -1 : 0;
}

static void on_input_error(void *vctx, const char *where, const char *msg)
{
    run_ctx *r = vctx;
    r->n_input_errors++;
    sift_log(SIFT_LOG_ERROR, "input", "input skipped", "where=%s err=%s", where, msg);
}

static int run_inputs(run_ctx *r, const sift_config *c, const run_args *a, int n, char **paths)
{
    input_opts io = {.source = a->source, .max_bytes = (size_t)c->max_doc_bytes,
                     .on_doc = on_doc, .on_error = on_input_error, .ctx = r};
    char *dash[] = {"-"};
    if (n == 0) {
        n = 1;
        paths = dash;
    }
    for (int i = 0; i < n; i++)
        if (input_read(paths[i], &io) < 0)
            return -1;
    return 0;
}

int cmd_run(int argc, char **argv)
{
    run_args a = {0};
    sift_config *c = NULL;
    run_ctx r = {.out = stdout};
    explain *ex = NULL;
    int status = 2;
    sift_heap_tune();
    sift_json_arena_use(); /* this process uses jansson from one thread */
    if (parse_args(argc, argv, &a) < 0 || load_config(&a, &c) < 0 || build_chain(&a, c, &r.chain) < 0)
        goto done;
    if (a.out && !(r.out = fopen(a.out, "w"))) {
        fprintf(stderr, "sift run: %s: cannot open for writing\n", a.out);
        goto done;
    }
    if (a.explain && explain_new(&ex, stderr) == 0) {
        sift_chain_watch w = explain_watch(ex);
        sift_chain_set_watch(r.chain, &w);
    }
    r.is_interactive = isatty(fileno(r.out));
    int rc = run_inputs(&r, c, &a, argc - optind, argv + optind);
    write_lines(&r);
    sift_chain_flush(r.chain);
    if (fflush(r.out) != 0 || r.write_failed || rc < 0)
        fprintf(stderr, "sift run: writing results failed\n");
    else
        status = r.n_failed || r.n_input_errors ? 1 : 0;
    sift_log(SIFT_LOG_INFO, "run", "run finished", "docs=%zu dropped=%zu failed=%zu input_errors=%zu",
             r.n_docs, r.n_dropped, r.n_failed, r.n_input_errors);
done:
    if (r.out && r.out != stdout)
        fclose(r.out);
    sift_json_buf_free(&r.lines);
    explain_destroy(&ex);
    sift_chain_destroy(&r.chain);
    sift_config_destroy(&c);
    return status;
}
