/* doc.c - the document model: construction, invariants and mutation.
 *
 * Owns a document's memory and keeps the four invariants of doc.h: a valid
 * id, fields and scores that are maps, a status with stage and text when
 * not ok, and text that is NUL-terminated after len bytes. It does not
 * encode (codec.c, json.c) nor decide what a stage may change (host.c,
 * stage.c).
 * SPDX-License-Identifier: MIT
 */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

/* Text a status gets when a stage gave an empty reason or error, so that
 * invariant 3 holds whatever a plugin passes. */
#define SIFT_DOC_NO_REASON "unspecified"

/* Replace *dst (and *dst_len) with a copy of s[0..len). */
static int replace(char **dst, size_t *dst_len, const char *s, size_t len)
{
    char *p = sift_value_bytes_dup(s, len);
    if (!p)
        return SIFT_ENOMEM;
    free(*dst);
    *dst = p;
    if (dst_len)
        *dst_len = len;
    return 0;
}

/* Checks invariant 1 and says which part failed: SIFT_EINVAL (empty,
 * control character), SIFT_ERANGE (too long), SIFT_EUTF8. */
static int id_check(const char *id, size_t len, sift_err *err)
{
    if (len == 0)
        return sift_err_set(err, SIFT_EINVAL, "id is empty");
    if (len > SIFT_DOC_MAX_ID)
        return sift_err_set(err, SIFT_ERANGE, "id is %zu bytes, limit %d", len, SIFT_DOC_MAX_ID);
    /* Control characters first: a NUL is one too, and naming it is clearer
     * than calling the id invalid UTF-8. */
    const unsigned char *p = (const unsigned char *)id;
    for (size_t i = 0; i < len; i++) {
        /* C0 and DEL, then C1 (U+0080..U+009F, encoded C2 80..C2 9F). */
        int is_c1 = p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f;
        if (p[i] < 0x20 || p[i] == 0x7f || is_c1)
            return sift_err_set(err, SIFT_EINVAL, "id has a control character at byte %zu", i);
    }
    if (!sift_utf8_valid(id, len))
        return sift_err_set(err, SIFT_EUTF8, "id is not valid UTF-8");
    return 0;
}

int sift_doc_id_check(const char *id, size_t len, sift_err *err)
{
    return id_check(id, len, err) < 0 ? SIFT_EINVAL : 0;
}

int sift_doc_new_empty(sift_doc **out)
{
    *out = NULL;
    sift_doc *d = calloc(1, sizeof(*d));
    if (!d)
        return SIFT_ENOMEM;
    sift_value_init(&d->fields);
    sift_value_set_map(&d->fields);
    sift_value_init(&d->scores);
    sift_value_set_map(&d->scores);
    d->id = sift_value_bytes_dup("", 0);
    d->source = sift_value_bytes_dup("", 0);
    d->text = sift_value_bytes_dup("", 0);
    d->attempt = 1;
    d->state = SIFT_DOC_OK;
    if (!d->id || !d->source || !d->text) {
        sift_doc_destroy(&d);
        return SIFT_ENOMEM;
    }
    *out = d;
    return 0;
}

int sift_doc_new(sift_doc **out, const char *id, size_t id_len, const char *source,
                 size_t source_len, const char *text, size_t text_len, sift_err *err)
{
    *out = NULL;
    sift_doc *d = NULL;
    int rc = sift_doc_id_check(id, id_len, err);
    if (rc < 0)
        return rc;
    rc = sift_doc_new_empty(&d);
    if (rc == 0)
        rc = replace(&d->id, &d->id_len, id, id_len);
    if (rc == 0 && source)
        rc = sift_doc_set_source(d, source, source_len, err);
    if (rc == 0)
        rc = replace(&d->text, &d->text_len, text, text_len);
    if (rc < 0) {
        if (rc == SIFT_ENOMEM)
            sift_err_set(err, rc, "out of memory");
        sift_doc_destroy(&d);
        return rc;
    }
    *out = d;
    return 0;
}

void sift_doc_destroy(sift_doc **pp)
{
    if (!pp || !*pp)
        return;
    sift_doc *d = *pp;
    free(d->id);
    free(d->source);
    free(d->text);
    sift_value_fini(&d->fields);
    sift_value_fini(&d->scores);
    free(d->status_stage);
    free(d->status_text);
    for (size_t i = 0; i < d->n_trace; i++) {
        free(d->trace[i].stage);
        free(d->trace[i].version);
    }
    free(d->trace);
    free(d);
    *pp = NULL;
}

int sift_doc_set_id(sift_doc *d, const char *id, size_t len, sift_err *err)
{
    int rc = id_check(id, len, err);
    if (rc < 0)
        return rc;
    return replace(&d->id, &d->id_len, id, len);
}

int sift_doc_set_source(sift_doc *d, const char *source, size_t len, sift_err *err)
{
    if (len > SIFT_DOC_MAX_SOURCE)
        return sift_err_set(err, SIFT_ERANGE, "source is %zu bytes, limit %d", len,
                            SIFT_DOC_MAX_SOURCE);
    if (!sift_utf8_valid(source, len))
        return sift_err_set(err, SIFT_EUTF8, "source is not valid UTF-8");
    return replace(&d->source, &d->source_len, source, len);
}

int sift_doc_set_text(sift_doc *d, const char *text, size_t len)
{
    if (d->max_text_bytes && len > d->max_text_bytes)
        return SIFT_ERANGE;
    return replace(&d->text, &d->text_len, text, len);
}

void sift_doc_take_text(sift_doc *d, char **buf, size_t len)
{
    free(d->text);
    d->text = *buf;
    d->text_len = len;
    *buf = NULL;
}

int sift_doc_set_status(sift_doc *d, sift_doc_state state, const char *stage, const char *text)
{
    if (state == SIFT_DOC_OK) {
        free(d->status_stage);
        free(d->status_text);
        d->status_stage = d->status_text = NULL;
        d->state = SIFT_DOC_OK;
        return 0;
    }
    if ((state != SIFT_DOC_DROPPED && state != SIFT_DOC_FAILED) || !stage || !stage[0])
        return SIFT_EINVAL;
    if (!text || !text[0])
        text = SIFT_DOC_NO_REASON;
    char *s = sift_value_bytes_dup(stage, strlen(stage));
    char *t = sift_value_bytes_dup(text, strlen(text));
    if (!s || !t) {
        free(s);
        free(t);
        return SIFT_ENOMEM;
    }
    free(d->status_stage);
    free(d->status_text);
    d->status_stage = s;
    d->status_text = t;
    d->state = state;
    return 0;
}

int sift_doc_add_trace(sift_doc *d, const char *stage, const char *version, int64_t us)
{
    if (d->n_trace == d->cap_trace) {
        size_t ncap = d->cap_trace ? d->cap_trace * 2 : 4;
        sift_trace *p = realloc(d->trace, ncap * sizeof(*p));
        if (!p)
            return SIFT_ENOMEM;
        d->trace = p;
        d->cap_trace = ncap;
    }
    char *s = sift_value_bytes_dup(stage ? stage : "", stage ? strlen(stage) : 0);
    char *v = sift_value_bytes_dup(version ? version : "", version ? strlen(version) : 0);
    if (!s || !v) {
        free(s);
        free(v);
        return SIFT_ENOMEM;
    }
    d->trace[d->n_trace++] = (sift_trace){.stage = s, .version = v, .us = us};
    return 0;
}

const char *sift_doc_state_name(sift_doc_state s)
{
    switch (s) {
    case SIFT_DOC_OK:
        return "ok";
    case SIFT_DOC_DROPPED:
        return "dropped";
    case SIFT_DOC_FAILED:
        return "failed";
    }
    return "unknown";
}

int sift_doc_state_parse(const char *s, size_t len)
{
    static const sift_doc_state states[] = {SIFT_DOC_OK, SIFT_DOC_DROPPED, SIFT_DOC_FAILED};
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
        const char *name = sift_doc_state_name(states[i]);
        if (strlen(name) == len && memcmp(name, s, len) == 0)
            return (int)states[i];
    }
    return -1;
}
