/* json.c - a document to and from its JSON form (JSONL sinks, `sift run`).
 *
 * Owns the JSON shape of a document: one compact object per line with the
 * keys id, source, text, fields, scores, status, trace (and attempt when
 * above 1) in that order, strings repaired to UTF-8 with U+FFFD, reals at
 * 15 significant digits. Also reads `sift run` input lines and full output
 * lines back. jansson does the syntax; this file does the schema. The
 * msgpack form is codec.c's; the schema is documented in docs/output.md.
 * SPDX-License-Identifier: MIT
 */
#include "json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "grow.h"

/* 15 digits print 0.1 as 0.1 (17 would print 0.10000000000000001) and
 * keep every decimal of up to 15 digits exact. */
#define SIFT_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

/* ================================================================ encode */

/* Bytes in the maximal subpart of an ill-formed sequence at p (Unicode
 * ch. 3, "U+FFFD substitution of maximal subparts"): the lead byte and the
 * continuation bytes that could still have completed it, at least 1. */
static size_t bad_seq_len(const unsigned char *p, size_t n)
{
    unsigned char b = p[0], lo = 0x80, hi = 0xbf;
    size_t need, i = 1;
    if (b >= 0xc2 && b <= 0xdf)
        need = 2;
    else if (b >= 0xe0 && b <= 0xef)
        need = 3, lo = b == 0xe0 ? 0xa0 : 0x80, hi = b == 0xed ? 0x9f : 0xbf;
    else if (b >= 0xf0 && b <= 0xf4)
        need = 4, lo = b == 0xf0 ? 0x90 : 0x80, hi = b == 0xf4 ? 0x8f : 0xbf;
    else
        return 1;
    if (i < n && p[i] >= lo && p[i] <= hi) {
        i++;
        while (i < need && i < n && (p[i] & 0xc0) == 0x80)
            i++;
    }
    return i;
}

/* A copy of s[0..n) with each ill-formed sequence replaced by U+FFFD.
 * Caller owns *out; free(). NUL bytes are kept (JSON writes \u0000). */
static int utf8_repair(const char *s, size_t n, char **out, size_t *out_len)
{
    const unsigned char *p = (const unsigned char *)s;
    char *buf = malloc(n * 3 + 1); /* one byte can become three */
    size_t len = 0;
    if (!buf)
        return SIFT_ENOMEM;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = 1;
        if (p[i] >= 0x80)
            k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k > 0) {
            memcpy(buf + len, p + i, (size_t)k);
            len += (size_t)k;
            i += (size_t)k;
        } else {
            memcpy(buf + len, "\xef\xbf\xbd", 3);
            len += 3;
            i += bad_seq_len(p + i, n - i);
        }
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return 0;
}

/* The tree is built in one of two modes. The fast one trusts every string
 * (json_stringn_nocheck): jansson's dump checks each string value as it
 * writes it and fails on ill-formed UTF-8, so a validation pass of our own
 * would read every byte twice. Only when that dump fails is the tree built
 * again with repair on, which gives what the repairing mode would have
 * written from the start. Keys are never checked: the dump does not check
 * them either, and they are UTF-8 already (the schema's are ASCII, a map's
 * are checked by sift_value_map_put_n). */
typedef struct enc {
    int is_repair; /* check each string value, repair ill-formed ones */
    int rc;        /* why a builder returned NULL */
} enc;

/* A JSON string of s[0..n): as is, or (repair mode) with each ill-formed
 * sequence replaced; NULL on ENOMEM. */
static json_t *str_json(const enc *e, const char *s, size_t n)
{
    if (!e->is_repair)
        return json_stringn_nocheck(s, n);
    json_t *j = json_stringn(s, n);
    if (j)
        return j;
    char *fixed;
    size_t len;
    if (utf8_repair(s, n, &fixed, &len) < 0)
        return NULL;
    j = json_stringn(fixed, len);
    free(fixed);
    return j;
}

static json_t *cstr_json(const enc *e, const char *s)
{
    return str_json(e, s ? s : "", s ? strlen(s) : 0);
}

/* Add v under key (UTF-8, see enc); v is stolen even on failure.
 * Returns 0 or -1. */
static int put(json_t *obj, const char *key, json_t *v)
{
    return json_object_setn_new_nocheck(obj, key, strlen(key), v);
}

/* The JSON of v, a container at nesting depth (the document is 1). NULL
 * with e->rc set on failure. */
static json_t *value_json(enc *e, const sift_value *v, int depth)
{
    const char *key;
    const sift_value *item;
    json_t *j = NULL;
    switch (v->type) {
    case SIFT_T_NIL:
        return json_null();
    case SIFT_T_BOOL:
        return json_boolean(v->u.b);
    case SIFT_T_INT:
        return json_integer((json_int_t)v->u.i);
    case SIFT_T_DOUBLE:
        return json_real(v->u.d);
    case SIFT_T_STR:
        return str_json(e, v->u.s.p, v->u.s.len);
    case SIFT_T_LIST:
    case SIFT_T_MAP:
        break;
    }
    if (depth > SIFT_VALUE_MAX_DEPTH) {
        e->rc = SIFT_ERANGE;
        return NULL;
    }
    j = v->type == SIFT_T_LIST ? json_array() : json_object();
    for (size_t i = 0; j && i < sift_value_len(v); i++) {
        int bad;
        if (v->type == SIFT_T_LIST) {
            sift_value_list_at(v, i, &item);
            bad = json_array_append_new(j, value_json(e, item, depth + 1));
        } else {
            sift_value_map_at(v, i, &key, &item);
            bad = put(j, key, value_json(e, item, depth + 1));
        }
        if (bad < 0)
            json_decref(j), j = NULL;
    }
    return j;
}

static json_t *status_json(const enc *e, const sift_doc *d)
{
    json_t *j = json_object();
    int bad = put(j, "state", json_string(sift_doc_state_name(d->state)));
    if (d->state != SIFT_DOC_OK) {
        bad |= put(j, "stage", cstr_json(e, d->status_stage));
        bad |= put(j, d->state == SIFT_DOC_DROPPED ? "reason" : "error",
                   cstr_json(e, d->status_text));
    }
    if (bad)
        json_decref(j), j = NULL;
    return j;
}

static json_t *trace_json(const enc *e, const sift_doc *d)
{
    json_t *j = json_array();
    for (size_t i = 0; j && i < d->n_trace; i++) {
        json_t *t = json_object();
        int bad = put(t, "stage", cstr_json(e, d->trace[i].stage));
        bad |= put(t, "us", json_integer((json_int_t)d->trace[i].us));
        bad |= put(t, "version", cstr_json(e, d->trace[i].version));
        if (bad || json_array_append_new(j, t) < 0)
            json_decref(j), j = NULL;
    }
    return j;
}

static json_t *scores_json(const sift_doc *d)
{
    json_t *j = json_object();
    for (size_t i = 0; j && i < sift_value_len(&d->scores); i++) {
        const char *key;
        const sift_value *v;
        double x = 0;
        sift_value_map_at(&d->scores, i, &key, &v);
        sift_value_get_double(v, &x);
        if (put(j, key, json_real(x)) < 0)
            json_decref(j), j = NULL;
    }
    return j;
}

/* The document object, keys in the order docs/output.md gives. */
static int doc_json(enc *e, const sift_doc *d, json_t **out)
{
    e->rc = SIFT_ENOMEM;
    json_t *j = json_object();
    int bad = put(j, "id", str_json(e, d->id, d->id_len));
    bad |= put(j, "source", str_json(e, d->source, d->source_len));
    bad |= put(j, "text", str_json(e, d->text, d->text_len));
    bad |= put(j, "fields", value_json(e, &d->fields, 2));
    bad |= put(j, "scores", scores_json(d));
    bad |= put(j, "status", status_json(e, d));
    bad |= put(j, "trace", trace_json(e, d));
    if (d->attempt > 1)
        bad |= put(j, "attempt", json_integer(d->attempt));
    if (bad || !j) {
        json_decref(j);
        return e->rc;
    }
    *out = j;
    return 0;
}

/* The dump callback's view of the caller's buffer. */
typedef struct sink {
    sift_json_buf *b;
    int is_oom; /* a failed dump ran out of memory (rather than met bad UTF-8) */
} sink;

/* Make room for n more bytes in b and a NUL after them. */
static int buf_reserve(sift_json_buf *b, size_t n)
{
    return sift_grow((void **)&b->p, &b->cap, b->len + n + 1, 1, 4096);
}

static int sink_put(const char *s, size_t n, void *data)
{
    sink *k = data;
    if (buf_reserve(k->b, n) < 0) {
        k->is_oom = 1;
        return -1;
    }
    memcpy(k->b->p + k->b->len, s, n);
    k->b->len += n;
    return 0;
}

/* Build d's tree in e's mode and dump it after b's contents. */
static int dump_doc(enc *e, const sift_doc *d, sift_json_buf *b, int *is_oom)
{
    json_t *j = NULL;
    sink k = {.b = b};
    int rc = doc_json(e, d, &j);
    if (rc < 0)
        return rc;
    rc = json_dump_callback(j, sink_put, &k, SIFT_JSON_FLAGS);
    json_decref(j);
    *is_oom = k.is_oom;
    return rc < 0 ? SIFT_ENOMEM : 0;
}

int sift_json_encode_into(const sift_doc *d, sift_json_buf *b)
{
    size_t start = b->len;
    enc e = {.is_repair = 0};
    int is_oom = 0;
    int rc = dump_doc(&e, d, b, &is_oom);
    if (rc == SIFT_ENOMEM && !is_oom) { /* the dump met ill-formed UTF-8 */
        b->len = start;
        e.is_repair = 1;
        rc = dump_doc(&e, d, b, &is_oom);
    }
    if (rc == 0)
        rc = buf_reserve(b, 1);
    if (rc < 0) {
        b->len = start;
        return rc;
    }
    b->p[b->len++] = '\n';
    b->p[b->len] = '\0';
    return 0;
}

void sift_json_buf_free(sift_json_buf *b)
{
    free(b->p);
    *b = (sift_json_buf){0};
}

int sift_json_encode(const sift_doc *d, char **out, size_t *out_len)
{
    sift_json_buf b = {0};
    *out = NULL;
    *out_len = 0;
    int rc = sift_json_encode_into(d, &b);
    if (rc < 0) {
        sift_json_buf_free(&b);
        return rc;
    }
    *out = b.p;
    *out_len = b.len;
    return 0;
}

/* ================================================================ decode */

static const char *type_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "real";
    case JSON_TRUE:
    case JSON_FALSE:
        return "bool";
    default:
        return "null";
    }
}

static int type_error(sift_err *err, const char *key, const char *want, const json_t *j)
{
    return sift_err_set(err, SIFT_EINVAL, "key \"%s\": expected %s, got %s", key, want,
                        type_name(j));
}

static int json_to_value(const json_t *j, sift_value *v, char *path, size_t cap, int depth,
                         sift_err *err);

static int object_to_value(const json_t *j, sift_value *v, char *path, size_t cap, int depth,
                           sift_err *err)
{
    size_t n = strlen(path);
    const char *key;
    json_t *item;
    sift_value_set_map(v);
    json_object_foreach((json_t *)j, key, item) {
        sift_value *slot;
        path[n] = '\0';
        int rc = sift_value_map_put(v, key, &slot);
        if (rc < 0)
            return sift_err_set(err, rc, "key \"%s\": map key \"%.64s\": %s", path, key,
                                rc == SIFT_EINVAL ? "empty" : sift_strerror(rc));
        snprintf(path + n, cap - n, ".%.64s", key);
        rc = json_to_value(item, slot, path, cap, depth + 1, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int array_to_value(const json_t *j, sift_value *v, char *path, size_t cap, int depth,
                          sift_err *err)
{
    size_t n = strlen(path), i;
    json_t *item;
    sift_value_set_list(v);
    json_array_foreach(j, i, item) {
        sift_value *slot;
        path[n] = '\0';
        int rc = sift_value_list_push(v, &slot);
        if (rc < 0)
            return sift_err_set(err, rc, "key \"%s\": %s", path, sift_strerror(rc));
        snprintf(path + n, cap - n, "[%zu]", i);
        rc = json_to_value(item, slot, path, cap, depth + 1, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Convert j (a value at nesting depth; the document is 1) into v. */
static int json_to_value(const json_t *j, sift_value *v, char *path, size_t cap, int depth,
                         sift_err *err)
{
    int rc = 0;
    switch (json_typeof(j)) {
    case JSON_NULL:
        return 0;
    case JSON_TRUE:
    case JSON_FALSE:
        sift_value_set_bool(v, json_is_true(j));
        return 0;
    case JSON_INTEGER:
        sift_value_set_int(v, (int64_t)json_integer_value(j));
        return 0;
    case JSON_REAL:
        rc = sift_value_set_double(v, json_real_value(j));
        return rc < 0 ? sift_err_set(err, rc, "key \"%s\": not a finite number", path) : 0;
    case JSON_STRING:
        rc = sift_value_set_str(v, json_string_value(j), json_string_length(j));
        return rc < 0 ? sift_err_set(err, rc, "key \"%s\": %s", path, sift_strerror(rc)) : 0;
    default:
        break;
    }
    if (depth > SIFT_VALUE_MAX_DEPTH)
        return sift_err_set(err, SIFT_ERANGE, "key \"%s\": nesting deeper than %d", path,
                            SIFT_VALUE_MAX_DEPTH);
    if (json_is_array(j))
        return array_to_value(j, v, path, cap, depth, err);
    return object_to_value(j, v, path, cap, depth, err);
}

/* The string under key: 0 with *s, *n set; 1 when absent and optional. */
static int get_str(const json_t *root, const char *key, int is_required, const char **s,
                   size_t *n, sift_err *err)
{
    const json_t *j = json_object_get(root, key);
    if (!j && !is_required)
        return 1;
    if (!j)
        return sift_err_set(err, SIFT_EINVAL, "missing key \"%s\"", key);
    if (!json_is_string(j))
        return type_error(err, key, "string", j);
    *s = json_string_value(j);
    *n = json_string_length(j);
    return 0;
}

/* The keys every line has: id, text, source?, fields?. */
static int decode_base(const json_t *root, sift_doc *d, sift_err *err)
{
    const char *s;
    size_t n;
    char path[256] = "fields";
    int rc = get_str(root, "id", 1, &s, &n, err);
    if (rc == 0 && (rc = sift_doc_set_id(d, s, n, err)) < 0)
        sift_err_prefix(err, "key \"id\"");
    if (rc == 0)
        rc = get_str(root, "text", 1, &s, &n, err);
    if (rc == 0 && (rc = sift_doc_set_text(d, s, n)) < 0)
        sift_err_set(err, rc, "key \"text\": %s", sift_strerror(rc));
    if (rc == 0 && (rc = get_str(root, "source", 0, &s, &n, err)) == 0 &&
        (rc = sift_doc_set_source(d, s, n, err)) < 0)
        sift_err_prefix(err, "key \"source\"");
    if (rc < 0)
        return rc;
    const json_t *fields = json_object_get(root, "fields");
    if (!fields)
        return 0;
    if (!json_is_object(fields))
        return type_error(err, "fields", "object", fields);
    return object_to_value(fields, &d->fields, path, sizeof path, 2, err);
}

static int decode_scores(const json_t *j, sift_doc *d, sift_err *err)
{
    const char *key;
    json_t *v;
    if (!json_is_object(j))
        return type_error(err, "scores", "object", j);
    json_object_foreach((json_t *)j, key, v) {
        char path[96];
        snprintf(path, sizeof path, "scores.%.64s", key);
        if (!json_is_number(v))
            return type_error(err, path, "number", v);
        int rc = sift_value_map_set_double(&d->scores, key, json_number_value(v));
        if (rc < 0)
            return sift_err_set(err, rc, "key \"%s\": %s", path, sift_strerror(rc));
    }
    return 0;
}

static int decode_status(const json_t *j, sift_doc *d, sift_err *err)
{
    const char *state_s, *stage, *text;
    size_t n;
    if (!json_is_object(j))
        return type_error(err, "status", "object", j);
    int rc = get_str(j, "state", 1, &state_s, &n, err);
    if (rc < 0) {
        sift_err_prefix(err, "key \"status\"");
        return rc;
    }
    int state = sift_doc_state_parse(state_s, n);
    if (state < 0)
        return sift_err_set(err, SIFT_EINVAL, "key \"status.state\": unknown state \"%.32s\" "
                            "(expected ok, dropped or failed)", state_s);
    if (state == SIFT_DOC_OK)
        return sift_doc_set_status(d, SIFT_DOC_OK, NULL, NULL);
    rc = get_str(j, "stage", 1, &stage, &n, err);
    if (rc == 0)
        rc = get_str(j, state == SIFT_DOC_DROPPED ? "reason" : "error", 1, &text, &n, err);
    if (rc < 0) {
        sift_err_prefix(err, "key \"status\"");
        return rc;
    }
    rc = sift_doc_set_status(d, (sift_doc_state)state, stage, text);
    return rc < 0 ? sift_err_set(err, rc, "key \"status.stage\": empty") : 0;
}

static int decode_trace(const json_t *j, sift_doc *d, sift_err *err)
{
    size_t i;
    json_t *t;
    if (!json_is_array(j))
        return type_error(err, "trace", "array", j);
    json_array_foreach(j, i, t) {
        char key[48];
        const char *stage, *version = "";
        size_t n;
        snprintf(key, sizeof key, "trace[%zu]", i);
        if (!json_is_object(t))
            return type_error(err, key, "object", t);
        const json_t *us = json_object_get(t, "us");
        int rc = get_str(t, "stage", 1, &stage, &n, err);
        if (rc >= 0)
            rc = get_str(t, "version", 0, &version, &n, err);
        if (rc < 0) {
            sift_err_prefix(err, "key \"%s\"", key);
            return rc;
        }
        if (!us || !json_is_integer(us) || json_integer_value(us) < 0)
            return sift_err_set(err, SIFT_EINVAL, "key \"%s.us\": expected non-negative integer",
                                key);
        rc = sift_doc_add_trace(d, stage, version, (int64_t)json_integer_value(us));
        if (rc < 0)
            return sift_err_set(err, rc, "out of memory");
    }
    return 0;
}

/* The keys only a full output line has. */
static int decode_full(const json_t *root, sift_doc *d, sift_err *err)
{
    const json_t *j;
    int rc = 0;
    if ((j = json_object_get(root, "scores")))
        rc = decode_scores(j, d, err);
    if (rc == 0 && (j = json_object_get(root, "status")))
        rc = decode_status(j, d, err);
    if (rc == 0 && (j = json_object_get(root, "trace")))
        rc = decode_trace(j, d, err);
    if (rc == 0 && (j = json_object_get(root, "attempt"))) {
        if (!json_is_integer(j))
            return type_error(err, "attempt", "integer", j);
        json_int_t a = json_integer_value(j);
        if (a < 1 || a > (json_int_t)UINT32_MAX)
            return sift_err_set(err, SIFT_ERANGE, "key \"attempt\": %lld out of range 1..%u",
                                (long long)a, UINT32_MAX);
        d->attempt = (uint32_t)a;
    }
    return rc;
}

static int decode(const char *line, size_t len, int is_full, sift_doc **out, sift_err *err)
{
    json_error_t je;
    sift_doc *d = NULL;
    *out = NULL;
    json_t *root = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (!root)
        return sift_err_set(err, SIFT_EINVAL, "invalid JSON at column %d: %s", je.column,
                            je.text);
    int rc = SIFT_EINVAL;
    if (!json_is_object(root))
        sift_err_set(err, rc, "not an object (got %s)", type_name(root));
    else if ((rc = sift_doc_new_empty(&d)) < 0)
        sift_err_set(err, rc, "out of memory");
    if (rc == 0)
        rc = decode_base(root, d, err);
    if (rc == 0 && is_full)
        rc = decode_full(root, d, err);
    json_decref(root);
    if (rc < 0) {
        sift_doc_destroy(&d);
        return rc;
    }
    *out = d;
    return 0;
}

int sift_json_decode_input(const char *line, size_t len, sift_doc **out, sift_err *err)
{
    return decode(line, len, 0, out, err);
}

int sift_json_decode(const char *line, size_t len, sift_doc **out, sift_err *err)
{
    return decode(line, len, 1, out, err);
}
