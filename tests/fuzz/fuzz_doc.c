/* fuzz_doc.c - what the fuzz targets share: comparing documents, failing loudly.
 *
 * A field-by-field comparison of two documents (id, source, text, fields,
 * scores, status, trace, attempt) that names the first difference, for the
 * round-trip checks of the fuzz targets. See fuzz_doc.h.
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_doc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

static int bytes_equal(const char *a, size_t na, const char *b, size_t nb)
{
    return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

static int cstr_equal(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int double_equal(double a, double b, double rel_tol)
{
    if (rel_tol == 0)
        return memcmp(&a, &b, sizeof a) == 0;
    return fabs(a - b) <= rel_tol * fmax(fabs(a), fabs(b));
}

static void value_expect_equal(const sift_value *a, const sift_value *b, double rel_tol,
                               const char *path)
{
    if (a->type != b->type)
        fuzz_fail("%s: type %d became %d", path, (int)a->type, (int)b->type);
    int same = 1;
    switch (a->type) {
    case SIFT_T_NIL:
        break;
    case SIFT_T_BOOL:
        same = !a->u.b == !b->u.b;
        break;
    case SIFT_T_INT:
        same = a->u.i == b->u.i;
        break;
    case SIFT_T_DOUBLE:
        same = double_equal(a->u.d, b->u.d, rel_tol);
        break;
    case SIFT_T_STR:
        same = bytes_equal(a->u.s.p, a->u.s.len, b->u.s.p, b->u.s.len);
        break;
    case SIFT_T_LIST:
    case SIFT_T_MAP:
        if (sift_value_len(a) != sift_value_len(b))
            fuzz_fail("%s: %zu entries became %zu", path, sift_value_len(a), sift_value_len(b));
        for (size_t i = 0; i < sift_value_len(a); i++) {
            const sift_value *va, *vb;
            const char *ka = "", *kb = "";
            char sub[512];
            if (a->type == SIFT_T_LIST) {
                sift_value_list_at(a, i, &va);
                sift_value_list_at(b, i, &vb);
                snprintf(sub, sizeof sub, "%.200s[%zu]", path, i);
            } else {
                sift_value_map_at(a, i, &ka, &va);
                sift_value_map_at(b, i, &kb, &vb);
                if (strcmp(ka, kb) != 0)
                    fuzz_fail("%s: key %zu \"%s\" became \"%s\"", path, i, ka, kb);
                snprintf(sub, sizeof sub, "%.200s.%.64s", path, ka);
            }
            value_expect_equal(va, vb, rel_tol, sub);
        }
        break;
    }
    if (!same)
        fuzz_fail("%s: a value of type %d changed", path, (int)a->type);
}

void fuzz_doc_expect_equal(const sift_doc *a, const sift_doc *b, double rel_tol)
{
    if (!bytes_equal(a->id, a->id_len, b->id, b->id_len))
        fuzz_fail("id changed");
    if (!bytes_equal(a->source, a->source_len, b->source, b->source_len))
        fuzz_fail("source changed");
    if (!bytes_equal(a->text, a->text_len, b->text, b->text_len))
        fuzz_fail("text changed (%zu bytes became %zu)", a->text_len, b->text_len);
    value_expect_equal(&a->fields, &b->fields, rel_tol, "fields");
    value_expect_equal(&a->scores, &b->scores, rel_tol, "scores");
    if (a->state != b->state || !cstr_equal(a->status_stage, b->status_stage) ||
        !cstr_equal(a->status_text, b->status_text))
        fuzz_fail("status changed");
    if (a->n_trace != b->n_trace)
        fuzz_fail("trace: %zu entries became %zu", a->n_trace, b->n_trace);
    for (size_t i = 0; i < a->n_trace; i++) {
        const sift_trace *ta = &a->trace[i], *tb = &b->trace[i];
        if (strcmp(ta->stage, tb->stage) || strcmp(ta->version, tb->version) || ta->us != tb->us)
            fuzz_fail("trace[%zu] changed", i);
    }
    if (a->attempt != b->attempt)
        fuzz_fail("attempt %u became %u", a->attempt, b->attempt);
}
