/* host.c - the sift_host function table every plugin receives.
 *
 * The one place where plugin calls enter the host: each member checks its
 * arguments (a plugin is untrusted code: NULL, wrong types, non-finite
 * numbers, invalid UTF-8), then forwards to the document model (doc.c),
 * the value tree (value.c), the validated options (options.c) or the
 * logger (log.c). Members are never called concurrently for one stage.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "stage.h"

static void host_log(sift_stage *st, int level, const char *fmt, ...) SIFT_PRINTF(3, 4);
static int host_error(sift_stage *st, int rc, const char *fmt, ...) SIFT_PRINTF(3, 4);
static void host_note(sift_doc *d, const char *fmt, ...) SIFT_PRINTF(2, 3);

static void host_log(sift_stage *st, int level, const char *fmt, ...)
{
    if (!st || !fmt || level < sift_log_level())
        return;
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (level < SIFT_LOG_DEBUG || level > SIFT_LOG_ERROR)
        level = SIFT_LOG_INFO;
    const char *doc = st->cur_doc ? st->cur_doc->id : "";
    sift_log(level, "plugin", text, "stage=%s doc=%s", st->name, doc);
}

static int host_error(sift_stage *st, int rc, const char *fmt, ...)
{
    if (st && fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(st->last_error, sizeof st->last_error, fmt, ap);
        va_end(ap);
    }
    return rc;
}

/* The validated option named name, if its declared type is one of want. */
static int opt_lookup(sift_stage *st, const char *name, sift_type want, const sift_value **out)
{
    if (!st || !name || !out)
        return SIFT_EINVAL;
    const sift_value *v = sift_value_map_get(&st->options, name);
    if (!v)
        return SIFT_ENOENT;
    if (v->type != want)
        return SIFT_ETYPE;
    *out = v;
    return 0;
}

static int opt_bool(sift_stage *st, const char *name, int *out)
{
    const sift_value *v;
    int rc = opt_lookup(st, name, SIFT_T_BOOL, &v);
    return rc < 0 ? rc : sift_value_get_bool(v, out);
}

static int opt_int(sift_stage *st, const char *name, int64_t *out)
{
    const sift_value *v;
    int rc = opt_lookup(st, name, SIFT_T_INT, &v);
    return rc < 0 ? rc : sift_value_get_int(v, out);
}

static int opt_double(sift_stage *st, const char *name, double *out)
{
    const sift_value *v;
    int rc = opt_lookup(st, name, SIFT_T_DOUBLE, &v);
    return rc < 0 ? rc : sift_value_get_double(v, out);
}

static int opt_str(sift_stage *st, const char *name, const char **out)
{
    const sift_value *v;
    int rc = opt_lookup(st, name, SIFT_T_STR, &v);
    return rc < 0 ? rc : sift_value_get_str(v, out, NULL);
}

static int opt_list(sift_stage *st, const char *name, const sift_value **out)
{
    return opt_lookup(st, name, SIFT_T_LIST, out);
}

static const char *stage_name(sift_stage *st) { return st ? st->name : ""; }
static const char *stage_state_dir(sift_stage *st) { return st ? st->state_dir : NULL; }

static int doc_id(const sift_doc *d, const char **s, size_t *len)
{
    if (!d || !s)
        return SIFT_EINVAL;
    *s = d->id;
    if (len)
        *len = d->id_len;
    return 0;
}

static int doc_source(const sift_doc *d, const char **s, size_t *len)
{
    if (!d || !s)
        return SIFT_EINVAL;
    *s = d->source;
    if (len)
        *len = d->source_len;
    return 0;
}

static int doc_text(const sift_doc *d, const char **s, size_t *len)
{
    if (!d || !s)
        return SIFT_EINVAL;
    *s = d->text;
    if (len)
        *len = d->text_len;
    return 0;
}

static int doc_set_text(sift_doc *d, const char *text, size_t len)
{
    if (!d || (!text && len))
        return SIFT_EINVAL;
    return sift_doc_set_text(d, text ? text : "", len);
}

static sift_value *doc_fields(sift_doc *d) { return d ? &d->fields : NULL; }

static int doc_score_set(sift_doc *d, const char *key, double value)
{
    if (!d || !key || !key[0] || !isfinite(value))
        return SIFT_EINVAL;
    return sift_value_map_set_double(&d->scores, key, value);
}

static int doc_score_get(const sift_doc *d, const char *key, double *out)
{
    if (!d || !key || !out)
        return SIFT_EINVAL;
    const sift_value *v = sift_value_map_get(&d->scores, key);
    return v ? sift_value_get_double(v, out) : SIFT_ENOENT;
}

static int doc_drop(sift_doc *d, const char *reason)
{
    if (!d)
        return SIFT_EINVAL;
    int rc = sift_doc_set_status(d, SIFT_DOC_DROPPED, d->cur_stage ? d->cur_stage : "?",
                                 reason && reason[0] ? reason : "dropped without a reason");
    return rc < 0 ? rc : SIFT_DROP;
}

static int doc_explaining(const sift_doc *d) { return d && d->note_fn; }

static void host_note(sift_doc *d, const char *fmt, ...)
{
    if (!d || !d->note_fn || !fmt)
        return;
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    d->note_fn(d->note_ctx, d, d->cur_stage ? d->cur_stage : "?", text);
}

static sift_type val_type(const sift_value *v) { return v ? v->type : SIFT_T_NIL; }

static int val_bool(const sift_value *v, int *out)
{
    return v && out ? sift_value_get_bool(v, out) : SIFT_EINVAL;
}

static int val_int(const sift_value *v, int64_t *out)
{
    return v && out ? sift_value_get_int(v, out) : SIFT_EINVAL;
}

static int val_double(const sift_value *v, double *out)
{
    return v && out ? sift_value_get_double(v, out) : SIFT_EINVAL;
}

static int val_str(const sift_value *v, const char **s, size_t *len)
{
    return v && s ? sift_value_get_str(v, s, len) : SIFT_EINVAL;
}

static size_t val_len(const sift_value *v) { return v ? sift_value_len(v) : 0; }

static int list_at(const sift_value *l, size_t i, const sift_value **out)
{
    return l && out ? sift_value_list_at(l, i, out) : SIFT_EINVAL;
}

static int map_at(const sift_value *m, size_t i, const char **key, const sift_value **out)
{
    return m && key && out ? sift_value_map_at(m, i, key, out) : SIFT_EINVAL;
}

static int map_get(const sift_value *m, const char *key, const sift_value **out)
{
    if (!m || !key || !out)
        return SIFT_EINVAL;
    if (m->type != SIFT_T_MAP)
        return SIFT_ETYPE;
    *out = sift_value_map_get(m, key);
    return *out ? 0 : SIFT_ENOENT;
}

static int map_put(sift_value *m, const char *key, sift_value **slot)
{
    if (!m || !key || !slot)
        return SIFT_EINVAL;
    if (!sift_utf8_valid(key, strlen(key)))
        return SIFT_EUTF8;
    return sift_value_map_put(m, key, slot);
}

static int map_del(sift_value *m, const char *key)
{
    return m && key ? sift_value_map_del(m, key) : SIFT_EINVAL;
}

static int list_push(sift_value *l, sift_value **slot)
{
    return l && slot ? sift_value_list_push(l, slot) : SIFT_EINVAL;
}

static int val_set_bool(sift_value *v, int b)
{
    if (!v)
        return SIFT_EINVAL;
    sift_value_set_bool(v, b != 0);
    return 0;
}

static int val_set_int(sift_value *v, int64_t i)
{
    if (!v)
        return SIFT_EINVAL;
    sift_value_set_int(v, i);
    return 0;
}

static int val_set_double(sift_value *v, double d)
{
    return v ? sift_value_set_double(v, d) : SIFT_EINVAL;
}

static int val_set_str(sift_value *v, const char *s, size_t len)
{
    if (!v || (!s && len))
        return SIFT_EINVAL;
    return sift_value_set_str(v, s ? s : "", len);
}

static int val_set_list(sift_value *v)
{
    if (!v)
        return SIFT_EINVAL;
    sift_value_set_list(v);
    return 0;
}

static int val_set_map(sift_value *v)
{
    if (!v)
        return SIFT_EINVAL;
    sift_value_set_map(v);
    return 0;
}

static const sift_host host_table = {
    .struct_size = (uint32_t)sizeof(sift_host),
    .abi_major = SIFT_ABI_MAJOR,
    .abi_minor = SIFT_ABI_MINOR,
    .log = host_log,
    .error = host_error,
    .opt_bool = opt_bool,
    .opt_int = opt_int,
    .opt_double = opt_double,
    .opt_str = opt_str,
    .opt_list = opt_list,
    .stage_name = stage_name,
    .stage_state_dir = stage_state_dir,
    .doc_id = doc_id,
    .doc_source = doc_source,
    .doc_text = doc_text,
    .doc_set_text = doc_set_text,
    .doc_fields = doc_fields,
    .doc_score_set = doc_score_set,
    .doc_score_get = doc_score_get,
    .doc_drop = doc_drop,
    .doc_explaining = doc_explaining,
    .doc_note = host_note,
    .val_type = val_type,
    .val_bool = val_bool,
    .val_int = val_int,
    .val_double = val_double,
    .val_str = val_str,
    .val_len = val_len,
    .list_at = list_at,
    .map_at = map_at,
    .map_get = map_get,
    .map_put = map_put,
    .map_del = map_del,
    .list_push = list_push,
    .val_set_bool = val_set_bool,
    .val_set_int = val_set_int,
    .val_set_double = val_set_double,
    .val_set_str = val_set_str,
    .val_set_list = val_set_list,
    .val_set_map = val_set_map,
    .err_name = sift_err_name,
    .strerror = sift_strerror,
};

const sift_host *sift_host_table(void) { return &host_table; }
