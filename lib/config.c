/* config.c - siftd.conf: parse, check meaning, and hold the result.
 *
 * Scalar settings are the `settings` table below (path, kind, target,
 * bounds, default, post-check): one place that checks, documents and
 * defaults them, as nginx's command tables do. Pipelines and sinks are walked by hand because
 * they cross-reference each other. Strings in sift_config point into the
 * libconfig tree, which lives as long as the sift_config.
 * SPDX-License-Identifier: MIT
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "plugin_loader.h"

typedef enum { K_STR, K_INT, K_STRLIST, K_ENUM } setting_kind;

typedef struct setting {
    const char *path;
    setting_kind kind;
    size_t offset;       /* into sift_config */
    size_t count_offset; /* K_STRLIST: the size_t count */
    int64_t min, max;    /* K_INT bounds, inclusive */
    const char *def;     /* K_STR / K_STRLIST / K_ENUM default (one item); NULL = none */
    int64_t def_int;
    const char *const *choices; /* K_ENUM: the allowed strings */
    int (*check)(const char *v, sift_err *why); /* K_STR: post-check of a set value; NULL = none */
} setting;

static int check_hostport(const char *v, sift_err *why)
{
    struct sockaddr_storage addr;
    socklen_t len;
    return v[0] ? sift_config_parse_hostport(v, &addr, &len, why) : 0; /* "" = off */
}

static const char *const sync_choices[] = {"full", "meta", "none", NULL};

#define OFF(m) offsetof(sift_config, m)
#define S_STR(p, m, d) {.path = (p), .kind = K_STR, .offset = OFF(m), .def = (d)}
#define S_INT(p, m, lo, hi, d) {.path = (p), .kind = K_INT, .offset = OFF(m), .min = (lo), .max = (hi), .def_int = (d)}
#define S_LIST(p, m, n, d) {.path = (p), .kind = K_STRLIST, .offset = OFF(m), .count_offset = OFF(n), .def = (d)}
#define S_ADDR(p, m) {.path = (p), .kind = K_STR, .offset = OFF(m), .check = check_hostport}
#define S_ENUM(p, m, d, c) {.path = (p), .kind = K_ENUM, .offset = OFF(m), .def = (d), .choices = (c)}
static const setting settings[] = {
    S_STR("plugin_path", plugin_path, ""),
    S_STR("state_dir", state_dir, ""),
    S_STR("dead_letter", dead_letter, NULL),
    S_INT("limits.max_doc_bytes", max_doc_bytes, 1, 1 << 30, 4194304),
    S_INT("limits.max_attempts", max_attempts, 1, 100, 3),
    S_INT("limits.stage_deadline_ms", stage_deadline_ms, 10, 3600000, 5000),
    S_INT("limits.max_queue_docs", max_queue_docs, 1, 10000000, 10000),
    S_INT("limits.max_queue_bytes", max_queue_bytes, 1 << 20, INT64_C(1) << 40, INT64_C(256) << 20),
    S_INT("limits.drain_timeout_ms", drain_timeout_ms, 0, 3600000, 10000),
    S_INT("limits.worker_credit", worker_credit, 1, 256, 32),
    S_INT("limits.worker_batch", worker_batch, 1, 256, 16),
    S_LIST("endpoints.ingest", ingest, n_ingest, "ipc://sift-ingest.sock"),
    S_STR("endpoints.backend", backend, "ipc://sift-backend.sock"),
    S_STR("endpoints.control", control, "ipc://sift-control.sock"),
    S_STR("endpoints.tail", tail, "ipc://sift-tail.sock"),
    S_ADDR("endpoints.metrics", metrics),
    S_STR("spool.path", spool_path, ""),
    S_INT("spool.max_bytes", spool_max_bytes, 1 << 20, INT64_C(1) << 40, INT64_C(1) << 30),
    S_ENUM("spool.sync", spool_sync, "meta", sync_choices),
};
#define N_SETTINGS (sizeof settings / sizeof settings[0])

static const char *const top_keys[] = {"plugin_path", "state_dir", "dead_letter", "limits", "spool",
                                       "endpoints", "sinks", "pipelines", NULL};
static const char *const stage_keys[] = {"plugin", "name", "workers", "isolate", "options", NULL};
static const char *const pipeline_keys[] = {"name", "stages", "sinks", NULL};
static const char *const sink_keys[] = {"name", "type", "path", "endpoint", "sync", "bind", NULL};
static const char *const sink_types[] = {"jsonl", "zmq_push", "zmq_pub", NULL};

static void where_of(const sift_config *c, const config_setting_t *s, char *buf, size_t cap)
{
    const char *f = s ? config_setting_source_file(s) : NULL;
    snprintf(buf, cap, "%s:%u", f ? f : c->file, s ? config_setting_source_line(s) : 0);
}

/* Report a problem at setting s. */
static void problem(const sift_config *c, sift_diag *diag, const config_setting_t *s,
                    const char *fmt, ...) SIFT_PRINTF(4, 5);
static void problem(const sift_config *c, sift_diag *diag, const config_setting_t *s,
                    const char *fmt, ...)
{
    char at[300], msg[SIFT_ERR_MAX];
    where_of(c, s, at, sizeof at);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sift_diag_add(diag, "%s: %s", at, msg);
}

static int in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

/* Report members of group s whose names are not in allowed. */
static void check_keys(const sift_config *c, const config_setting_t *s, const char *const *allowed,
                       const char *what, sift_diag *diag)
{
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_name(m);
        if (name && !in_list(allowed, name))
            problem(c, diag, m, "unknown setting %s%s%s", what, what[0] ? "." : "", name);
    }
}

static const char *kind_name(setting_kind k)
{
    return k == K_INT ? "an integer" : k == K_STRLIST ? "an array of strings" : "a string";
}

static int load_strlist(sift_config *c, const setting *d, const config_setting_t *s,
                        sift_diag *diag)
{
    int n = s ? config_setting_length(s) : 1;
    const char **items = calloc((size_t)n + 1, sizeof *items);
    if (!items)
        return SIFT_ENOMEM;
    *(const char ***)(void *)((char *)c + d->offset) = items; /* freed by destroy */
    *(size_t *)(void *)((char *)c + d->count_offset) = (size_t)n;
    if (!s) {
        items[0] = d->def;
        return 0;
    }
    for (int i = 0; i < n; i++)
        if (!(items[i] = config_setting_get_string_elem(s, i))) {
            problem(c, diag, s, "%s: item %d must be a string", d->path, i + 1);
            return SIFT_EINVAL;
        }
    return 0;
}

static int load_setting(sift_config *c, const setting *d, sift_diag *diag)
{
    const config_setting_t *s = config_lookup(&c->cfg, d->path);
    char *target = (char *)c + d->offset;
    int t = s ? config_setting_type(s) : CONFIG_TYPE_NONE;
    int ok = !s || (d->kind == K_INT && (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)) ||
             ((d->kind == K_STR || d->kind == K_ENUM) && t == CONFIG_TYPE_STRING) ||
             (d->kind == K_STRLIST && (t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST));
    if (!ok) {
        problem(c, diag, s, "%s must be %s", d->path, kind_name(d->kind));
        return SIFT_EINVAL;
    }
    if (d->kind == K_STR || d->kind == K_ENUM) {
        const char *v = s ? config_setting_get_string(s) : d->def;
        if (d->kind == K_ENUM && !in_list(d->choices, v)) {
            problem(c, diag, s, "%s must be one of full, meta, none (got \"%s\")", d->path, v);
            return SIFT_EINVAL;
        }
        sift_err why = {{0}};
        if (v && d->check && d->check(v, &why) < 0) {
            problem(c, diag, s, "%s: %s (got \"%s\")", d->path, why.msg, v);
            return SIFT_EINVAL;
        }
        *(const char **)(void *)target = v;
        return 0;
    }
    if (d->kind == K_STRLIST)
        return load_strlist(c, d, s, diag);
    int64_t v = s ? config_setting_get_int64(s) : d->def_int;
    if (v < d->min || v > d->max) {
        problem(c, diag, s, "%s must be between %lld and %lld (got %lld)", d->path,
                (long long)d->min, (long long)d->max, (long long)v);
        return SIFT_EINVAL;
    }
    *(int64_t *)(void *)target = v;
    return 0;
}

/* A required string member of group g, or NULL with a problem reported. */
static const char *need_str(const sift_config *c, const config_setting_t *g, const char *key,
                            const char *what, sift_diag *diag)
{
    const config_setting_t *m = config_setting_get_member(g, key);
    if (!m) {
        problem(c, diag, g, "%s: missing %s", what, key);
        return NULL;
    }
    if (config_setting_type(m) != CONFIG_TYPE_STRING || !config_setting_get_string(m)[0]) {
        problem(c, diag, m, "%s: %s must be a non-empty string", what, key);
        return NULL;
    }
    return config_setting_get_string(m);
}

static const char *opt_str(const config_setting_t *g, const char *key)
{
    const config_setting_t *m = config_setting_get_member(g, key);
    return m && config_setting_type(m) == CONFIG_TYPE_STRING ? config_setting_get_string(m) : NULL;
}

/* An optional boolean member of group g: its value, or def when absent
 * (then also when it is not a boolean, with a problem reported). */
static int opt_bool(const sift_config *c, const config_setting_t *g, const char *key, int def,
                    const char *what, sift_diag *diag)
{
    const config_setting_t *m = config_setting_get_member(g, key);
    if (m && config_setting_type(m) != CONFIG_TYPE_BOOL)
        problem(c, diag, m, "%s: %s must be true or false", what, key);
    return m && config_setting_type(m) == CONFIG_TYPE_BOOL ? config_setting_get_bool(m) : def;
}

static int load_sink(sift_config *c, const config_setting_t *g, sift_sink_conf *k, sift_diag *diag)
{
    int before = diag->n;
    where_of(c, g, k->where, sizeof k->where);
    if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
        problem(c, diag, g, "sinks: each sink must be a group { name = ...; type = ...; }");
        return SIFT_EINVAL;
    }
    check_keys(c, g, sink_keys, "sink", diag);
    k->name = need_str(c, g, "name", "sink", diag);
    k->type = need_str(c, g, "type", "sink", diag);
    k->path = opt_str(g, "path");
    k->endpoint = opt_str(g, "endpoint");
    char what[160];
    snprintf(what, sizeof what, "sink %s", k->name ? k->name : "?");
    k->is_sync = opt_bool(c, g, "sync", 0, what, diag);
    k->is_bind = opt_bool(c, g, "bind", k->type && strcmp(k->type, "zmq_pub") == 0, what, diag);
    if (k->type && !in_list(sink_types, k->type))
        problem(c, diag, g, "sink %s: type must be one of jsonl, zmq_push, zmq_pub (got \"%s\")",
                k->name ? k->name : "?", k->type);
    else if (k->type && strcmp(k->type, "jsonl") == 0 && !k->path)
        problem(c, diag, g, "sink %s: type jsonl needs a path", k->name ? k->name : "?");
    else if (k->type && strncmp(k->type, "zmq_", 4) == 0 && !k->endpoint)
        problem(c, diag, g, "sink %s: type %s needs an endpoint", k->name ? k->name : "?", k->type);
    return diag->n > before ? SIFT_EINVAL : 0;
}

static int load_sinks(sift_config *c, sift_diag *diag)
{
    const config_setting_t *list = config_lookup(&c->cfg, "sinks");
    if (!list)
        return 0;
    if (!config_setting_is_aggregate(list) || config_setting_type(list) == CONFIG_TYPE_GROUP) {
        problem(c, diag, list, "sinks must be a list ( { ... }, ... )");
        return SIFT_EINVAL;
    }
    c->n_sinks = (size_t)config_setting_length(list);
    if (!(c->sinks = calloc(c->n_sinks + 1, sizeof *c->sinks)))
        return SIFT_ENOMEM;
    int rc = 0;
    for (size_t i = 0; i < c->n_sinks; i++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        if (load_sink(c, g, &c->sinks[i], diag) < 0)
            rc = SIFT_EINVAL;
        for (size_t j = 0; j < i && c->sinks[i].name; j++)
            if (c->sinks[j].name && strcmp(c->sinks[j].name, c->sinks[i].name) == 0) {
                problem(c, diag, g, "sink %s: duplicate name (first at %s)", c->sinks[i].name,
                        c->sinks[j].where);
                rc = SIFT_EINVAL;
            }
    }
    return rc;
}

static const sift_sink_conf *find_sink(const sift_config *c, const char *name)
{
    for (size_t i = 0; i < c->n_sinks; i++)
        if (c->sinks[i].name && strcmp(c->sinks[i].name, name) == 0)
            return &c->sinks[i];
    return NULL;
}

static int load_stage(sift_config *c, const sift_pipeline_conf *p, const config_setting_t *g,
                      sift_stage_conf *st, sift_diag *diag)
{
    char what[128];
    snprintf(what, sizeof what, "pipeline %s: stage", p->name ? p->name : "?");
    where_of(c, g, st->where, sizeof st->where);
    if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
        problem(c, diag, g, "%s: each stage must be a group { plugin = ...; }", what);
        return SIFT_EINVAL;
    }
    int before = diag->n;
    check_keys(c, g, stage_keys, "stage", diag);
    st->plugin = need_str(c, g, "plugin", what, diag);
    st->name = opt_str(g, "name");
    if (!st->name && st->plugin) { /* default: the plugin's base name */
        const char *slash = strrchr(st->plugin, '/');
        st->name = slash ? slash + 1 : st->plugin;
    }
    int workers = 1, isolate = 0;
    const config_setting_t *w = config_setting_get_member(g, "workers");
    if (w && (config_setting_type(w) != CONFIG_TYPE_INT || (workers = config_setting_get_int(w)) < 1 ||
              workers > 64))
        problem(c, diag, w, "%s %s: workers must be an integer between 1 and 64",
                what, st->name ? st->name : "?");
    const config_setting_t *iso = config_setting_get_member(g, "isolate");
    if (iso && config_setting_type(iso) != CONFIG_TYPE_BOOL)
        problem(c, diag, iso, "%s %s: isolate must be true or false", what, st->name ? st->name : "?");
    else if (iso)
        isolate = config_setting_get_bool(iso);
    st->workers = workers;
    st->is_isolated = isolate;
    st->options = config_setting_get_member(g, "options");
    return diag->n > before ? SIFT_EINVAL : 0;
}

static int load_pipeline_sinks(sift_config *c, sift_pipeline_conf *p, const config_setting_t *g,
                               sift_diag *diag)
{
    const config_setting_t *s = config_setting_get_member(g, "sinks");
    if (!s)
        return 0;
    int n = config_setting_length(s);
    if (!(p->sinks = calloc((size_t)n + 1, sizeof *p->sinks)))
        return SIFT_ENOMEM;
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = config_setting_get_string_elem(s, i);
        if (!name) {
            problem(c, diag, s, "pipeline %s: sinks must be an array of sink names", p->name);
            return SIFT_EINVAL;
        }
        if (!find_sink(c, name)) {
            problem(c, diag, s, "pipeline %s: unknown sink \"%s\"", p->name, name);
            rc = SIFT_EINVAL;
        }
        p->sinks[p->n_sinks++] = name;
    }
    return rc;
}

static int load_stages(sift_config *c, sift_pipeline_conf *p, const config_setting_t *g,
                       sift_diag *diag)
{
    const config_setting_t *list = config_setting_get_member(g, "stages");
    if (!list || config_setting_length(list) == 0 || config_setting_type(list) == CONFIG_TYPE_GROUP) {
        problem(c, diag, list ? list : g, "pipeline %s: stages must be a non-empty list ( { plugin = ...; }, ... )",
                p->name);
        return SIFT_EINVAL;
    }
    p->n_stages = (size_t)config_setting_length(list);
    if (!(p->stages = calloc(p->n_stages, sizeof *p->stages)))
        return SIFT_ENOMEM;
    int rc = 0;
    for (size_t i = 0; i < p->n_stages; i++) {
        const config_setting_t *sg = config_setting_get_elem(list, (unsigned)i);
        if (load_stage(c, p, sg, &p->stages[i], diag) < 0)
            rc = SIFT_EINVAL;
        for (size_t j = 0; j < i && p->stages[i].name; j++)
            if (p->stages[j].name && strcmp(p->stages[j].name, p->stages[i].name) == 0) {
                problem(c, diag, sg, "pipeline %s: duplicate stage name %s (first at %s); give one a name = \"...\"",
                        p->name, p->stages[i].name, p->stages[j].where);
                rc = SIFT_EINVAL;
            }
    }
    return rc;
}

static int load_pipeline(sift_config *c, const config_setting_t *g, sift_pipeline_conf *p,
                         sift_diag *diag)
{
    where_of(c, g, p->where, sizeof p->where);
    p->name = "?"; /* until its own is read: duplicate checks compare names */
    if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
        problem(c, diag, g, "pipelines: each pipeline must be a group { name = ...; stages = (...); }");
        return SIFT_EINVAL;
    }
    int before = diag->n;
    check_keys(c, g, pipeline_keys, "pipeline", diag);
    if (!(p->name = need_str(c, g, "name", "pipeline", diag)))
        p->name = "?";
    int rc = load_stages(c, p, g, diag);
    if (rc == SIFT_ENOMEM || (rc = load_pipeline_sinks(c, p, g, diag)) == SIFT_ENOMEM)
        return rc;
    return diag->n > before ? SIFT_EINVAL : 0;
}

static int load_pipelines(sift_config *c, sift_diag *diag)
{
    const config_setting_t *list = config_lookup(&c->cfg, "pipelines");
    if (!list)
        return 0; /* `sift run --stages` needs none; siftd checks it has some */
    if (config_setting_type(list) == CONFIG_TYPE_GROUP || !config_setting_is_aggregate(list) ||
        config_setting_length(list) == 0) {
        problem(c, diag, list, "pipelines must be a non-empty list ( { name = ...; stages = (...); }, ... )");
        return SIFT_EINVAL;
    }
    c->n_pipelines = (size_t)config_setting_length(list);
    if (!(c->pipelines = calloc(c->n_pipelines, sizeof *c->pipelines)))
        return SIFT_ENOMEM;
    int rc = 0;
    for (size_t i = 0; i < c->n_pipelines; i++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        if (load_pipeline(c, g, &c->pipelines[i], diag) < 0)
            rc = SIFT_EINVAL;
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->pipelines[j].name, c->pipelines[i].name) == 0 &&
                strcmp(c->pipelines[i].name, "?") != 0) {
                problem(c, diag, g, "pipeline %s: duplicate name (first at %s)",
                        c->pipelines[i].name, c->pipelines[j].where);
                rc = SIFT_EINVAL;
            }
    }
    return rc;
}

/* Report members of group `name` that are not in the settings table. */
static void check_group_keys(const sift_config *c, const char *name, sift_diag *diag)
{
    const config_setting_t *g = config_lookup(&c->cfg, name);
    size_t len = strlen(name);
    for (int i = 0; g && config_setting_type(g) == CONFIG_TYPE_GROUP && i < config_setting_length(g); i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        size_t k = 0;
        while (k < N_SETTINGS && !(strncmp(settings[k].path, name, len) == 0 && settings[k].path[len] == '.' &&
                                   strcmp(settings[k].path + len + 1, config_setting_name(m)) == 0))
            k++;
        if (k == N_SETTINGS)
            problem(c, diag, m, "unknown setting %s.%s", name, config_setting_name(m));
    }
}

static int check_meaning(sift_config *c, sift_diag *diag)
{
    int before = diag->n;
    check_keys(c, config_root_setting(&c->cfg), top_keys, "", diag);
    static const char *const groups[] = {"limits", "endpoints", "spool"};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        check_group_keys(c, groups[i], diag);
    for (size_t i = 0; i < N_SETTINGS; i++)
        if (load_setting(c, &settings[i], diag) == SIFT_ENOMEM)
            return SIFT_ENOMEM;
    if (load_sinks(c, diag) == SIFT_ENOMEM || load_pipelines(c, diag) == SIFT_ENOMEM)
        return SIFT_ENOMEM;
    if (c->dead_letter && !find_sink(c, c->dead_letter))
        problem(c, diag, config_lookup(&c->cfg, "dead_letter"), "dead_letter: unknown sink \"%s\"",
                c->dead_letter);
    return diag->n > before ? SIFT_EINVAL : 0;
}

/* keep: hand back a config with semantic problems too (sift check goes on
 * to check its plugins); a syntax error never yields a config. */
static int finish_load(sift_config *c, int parsed, int keep, sift_config **out, sift_diag *diag)
{
    int rc;
    if (!parsed) {
        sift_diag_add(diag, "%s:%d: %s", config_error_file(&c->cfg) ? config_error_file(&c->cfg) : c->file,
                      config_error_line(&c->cfg), config_error_text(&c->cfg));
        rc = SIFT_EINVAL;
    } else {
        rc = check_meaning(c, diag);
    }
    if (rc < 0 && (!keep || !parsed || rc == SIFT_ENOMEM)) {
        sift_config_destroy(&c);
        return rc;
    }
    *out = c;
    return rc;
}

static sift_config *config_new(const char *name)
{
    sift_config *c = calloc(1, sizeof *c);
    if (!c || !(c->file = strdup(name))) {
        free(c);
        return NULL;
    }
    config_init(&c->cfg);
    return c;
}

static int load_file(sift_config **out, const char *file, int keep, sift_diag *diag)
{
    *out = NULL;
    sift_config *c = config_new(file);
    if (!c)
        return SIFT_ENOMEM;
    FILE *f = fopen(file, "r");
    if (!f) {
        sift_diag_add(diag, "%s: cannot open: %s", file, sift_strerror(-errno));
        sift_config_destroy(&c);
        return SIFT_ENOENT;
    }
    fclose(f);
    return finish_load(c, config_read_file(&c->cfg, file) == CONFIG_TRUE, keep, out, diag);
}

int sift_config_load(sift_config **out, const char *file, sift_diag *diag)
{
    return load_file(out, file, 0, diag);
}

int sift_config_check_file(const char *file, sift_diag *diag)
{
    sift_config *c = NULL;
    load_file(&c, file, 1, diag);
    if (c)
        sift_config_check_plugins(c, diag);
    sift_config_destroy(&c);
    return diag->n ? SIFT_EINVAL : 0;
}

int sift_config_load_string(sift_config **out, const char *text, const char *name, sift_diag *diag)
{
    *out = NULL;
    sift_config *c = config_new(name);
    if (!c)
        return SIFT_ENOMEM;
    return finish_load(c, config_read_string(&c->cfg, text) == CONFIG_TRUE, 0, out, diag);
}

void sift_config_destroy(sift_config **pp)
{
    if (!pp || !*pp)
        return;
    sift_config *c = *pp;
    for (size_t i = 0; i < c->n_pipelines; i++) {
        free(c->pipelines[i].stages);
        free(c->pipelines[i].sinks);
    }
    free(c->pipelines);
    free(c->sinks);
    free(c->ingest);
    config_destroy(&c->cfg);
    free(c->file);
    free(c);
    *pp = NULL;
}

int sift_config_check_plugins(const sift_config *c, sift_diag *diag)
{
    int before = diag->n;
    for (size_t i = 0; i < c->n_pipelines; i++)
        for (size_t j = 0; j < c->pipelines[i].n_stages; j++) {
            const sift_stage_conf *st = &c->pipelines[i].stages[j];
            char file[PATH_MAX];
            sift_err err = {{0}};
            sift_plugin_lib *lib = NULL;
            if (sift_plugin_resolve(st->plugin, c->plugin_path, file, sizeof file, &err) < 0 ||
                sift_plugin_lib_open(&lib, file, &err) < 0) {
                sift_diag_add(diag, "%s: stage %s: %s", st->where, st->name, err.msg);
                continue;
            }
            sift_value opts;
            sift_value_init(&opts);
            sift_options_build(lib, st->options, st->name, st->where, &opts, diag);
            sift_value_fini(&opts);
            sift_plugin_lib_close(&lib);
        }
    return diag->n > before ? SIFT_EINVAL : 0;
}

/* p as a port number (decimal digits only), 1..65535, or -1. */
static int parse_port(const char *p)
{
    if (!*p || strlen(p) > 5 || strspn(p, "0123456789") != strlen(p))
        return -1;
    long port = strtol(p, NULL, 10);
    return port >= 1 && port <= 65535 ? (int)port : -1;
}

int sift_config_parse_hostport(const char *text, struct sockaddr_storage *addr,
                               socklen_t *addr_len, sift_err *err)
{
    static const char form[] = "must be HOST:PORT or :PORT, HOST a numeric IPv4 address or "
                               "an IPv6 one in brackets";
    const char *colon = strrchr(text, ':');
    char host[INET6_ADDRSTRLEN + 2];
    size_t hlen = colon ? (size_t)(colon - text) : 0;
    if (!colon || hlen >= sizeof host)
        return sift_err_set(err, SIFT_EINVAL, "%s", form);
    int port = parse_port(colon + 1);
    if (port < 0)
        return sift_err_set(err, SIFT_EINVAL, "port must be between 1 and 65535");
    memcpy(host, text, hlen);
    host[hlen] = '\0';
    memset(addr, 0, sizeof *addr);
    struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)addr;
    if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') {
        host[hlen - 1] = '\0';
        if (inet_pton(AF_INET6, host + 1, &v6->sin6_addr) != 1)
            return sift_err_set(err, SIFT_EINVAL, "%s", form);
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *addr_len = sizeof *v6;
        return 0;
    }
    v4->sin_addr.s_addr = htonl(INADDR_ANY);
    if (hlen && inet_pton(AF_INET, host, &v4->sin_addr) != 1)
        return sift_err_set(err, SIFT_EINVAL, "%s", form);
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    *addr_len = sizeof *v4;
    return 0;
}

const sift_pipeline_conf *sift_config_pipeline(const sift_config *c, const char *name)
{
    for (size_t i = 0; i < c->n_pipelines; i++)
        if (strcmp(c->pipelines[i].name, name) == 0)
            return &c->pipelines[i];
    return NULL;
}

const char *sift_config_default_file(void)
{
    static char path[PATH_MAX + 64];
    if (path[0])
        return path;
    const char *env = getenv("SIFT_CONF");
    if (env && env[0]) {
        snprintf(path, sizeof path, "%s", env);
        return path;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        snprintf(path, sizeof path, "%s/../" SIFT_CONF_RELDIR "/siftd.conf", exe);
        if (access(path, R_OK) == 0)
            return path;
    }
    snprintf(path, sizeof path, "/etc/sift/siftd.conf");
    return path;
}
