/* explain.c - `sift run --explain`: tell a person what each stage changed.
 *
 * Before each stage it snapshots the document's top-level fields and scores
 * as short display strings; after it, it prints what was added (+),
 * changed (~) or removed (-). Notes from plugins are printed as they come.
 * The display form is for people, not machines: containers are abridged.
 * SPDX-License-Identifier: MIT
 */
#include "explain.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_MAX 160
#define SNAP_MAX 256

typedef struct snap_entry {
    char key[64];
    char shown[SHOW_MAX];
} snap_entry;

typedef struct snapshot {
    snap_entry e[SNAP_MAX];
    size_t n;
} snapshot;

struct explain {
    FILE *out;
    size_t text_before;
    snapshot fields, scores;
};

int explain_new(explain **out, FILE *stream)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return SIFT_ENOMEM;
    (*out)->out = stream;
    return 0;
}

void explain_destroy(explain **pp)
{
    if (pp && *pp) {
        free(*pp);
        *pp = NULL;
    }
}

static size_t show(const sift_value *v, char *buf, size_t cap);

static size_t show_container(const sift_value *v, char *buf, size_t cap)
{
    int is_map = v->type == SIFT_T_MAP;
    size_t len = (size_t)snprintf(buf, cap, "%c", is_map ? '{' : '[');
    for (size_t i = 0; i < sift_value_len(v) && len + 8 < cap; i++) {
        const char *key = NULL;
        const sift_value *item;
        if (is_map)
            sift_value_map_at(v, i, &key, &item);
        else
            sift_value_list_at(v, i, &item);
        if (i)
            len += (size_t)snprintf(buf + len, cap - len, ", ");
        if (key)
            len += (size_t)snprintf(buf + len, cap - len, "%s: ", key);
        if (len < cap)
            len += show(item, buf + len, cap - len);
    }
    if (len + 2 < cap)
        len += (size_t)snprintf(buf + len, cap - len, "%c", is_map ? '}' : ']');
    return len < cap ? len : cap - 1;
}

static size_t show(const sift_value *v, char *buf, size_t cap)
{
    int n;
    switch (v->type) {
    case SIFT_T_BOOL: n = snprintf(buf, cap, "%s", v->u.b ? "true" : "false"); break;
    case SIFT_T_INT: n = snprintf(buf, cap, "%" PRId64, v->u.i); break;
    case SIFT_T_DOUBLE: n = snprintf(buf, cap, "%.4g", v->u.d); break;
    case SIFT_T_STR: n = snprintf(buf, cap, "\"%.*s\"", (int)(v->u.s.len > 80 ? 80 : v->u.s.len), v->u.s.p); break;
    case SIFT_T_LIST:
    case SIFT_T_MAP: return show_container(v, buf, cap);
    default: n = snprintf(buf, cap, "nil"); break;
    }
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

static void take(snapshot *s, const sift_value *map)
{
    s->n = 0;
    for (size_t i = 0; i < sift_value_len(map) && s->n < SNAP_MAX; i++) {
        const char *key;
        const sift_value *v;
        sift_value_map_at(map, i, &key, &v);
        snprintf(s->e[s->n].key, sizeof s->e[s->n].key, "%s", key);
        show(v, s->e[s->n].shown, SHOW_MAX);
        s->n++;
    }
}

static const snap_entry *find(const snapshot *s, const char *key)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->e[i].key, key) == 0)
            return &s->e[i];
    return NULL;
}

static void print_diff(explain *e, const char *what, const snapshot *before, const sift_value *now)
{
    snapshot *after = malloc(sizeof *after);
    if (!after)
        return;
    take(after, now);
    for (size_t i = 0; i < after->n; i++) {
        const snap_entry *old = find(before, after->e[i].key);
        if (!old || strcmp(old->shown, after->e[i].shown) != 0)
            fprintf(e->out, "     %s %c%s = %s\n", what, old ? '~' : '+', after->e[i].key,
                    after->e[i].shown);
    }
    for (size_t i = 0; i < before->n; i++)
        if (!find(after, before->e[i].key))
            fprintf(e->out, "     %s -%s\n", what, before->e[i].key);
    free(after);
}

static void on_stage(void *ctx, const sift_doc *d, const sift_stage *st, int phase, int rc)
{
    explain *e = ctx;
    if (phase == 0) {
        if (d->n_trace == 0) /* first stage of this document */
            fprintf(e->out, "== %s (%zu bytes)\n", d->id, d->text_len);
        e->text_before = d->text_len;
        take(&e->fields, &d->fields);
        take(&e->scores, &d->scores);
        fprintf(e->out, "-- %s %s\n", sift_stage_get_name(st), sift_stage_plugin_version(st));
        return;
    }
    const sift_trace *t = d->n_trace ? &d->trace[d->n_trace - 1] : NULL;
    fprintf(e->out, "     text %zu -> %zu bytes in %.3f ms\n", e->text_before, d->text_len,
            t ? (double)t->us / 1000.0 : 0.0);
    print_diff(e, "field", &e->fields, &d->fields);
    print_diff(e, "score", &e->scores, &d->scores);
    if (rc != SIFT_OK)
        fprintf(e->out, "     status %s by %s: %s\n", sift_doc_state_name(d->state),
                d->status_stage ? d->status_stage : "?", d->status_text ? d->status_text : "");
}

static void on_note(void *ctx, const sift_doc *d, const char *stage, const char *text)
{
    explain *e = ctx;
    (void)d;
    (void)stage;
    fprintf(e->out, "     %s\n", text);
}

sift_chain_watch explain_watch(explain *e)
{
    return (sift_chain_watch){.stage = on_stage, .note = on_note, .ctx = e};
}
