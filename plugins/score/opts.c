/* opts.c - the score stage's options read and checked, and its configurable drop rules.
 *
 * The host has already checked each option's type and integer bounds
 * against the table in score.c; this file adds the checks the table cannot
 * express (fractions within 0..1) and parses `drop_if`, the list of extra
 * drop rules, each "<score> < <value>" or "<score> > <value>" (also <=,
 * >=), e.g. "gopher.dup_line_frac > 0.3" or "topic.sport < 0.2". A rule
 * whose score the document does not have is skipped. The default drop
 * policy (empty text, min_words, min_quality) is applied in score.c.
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score.h"

#define MAX_RULE_NAME (128)

typedef struct rule {
    char name[MAX_RULE_NAME];
    int op; /* '<', '>', 'l' (<=), 'g' (>=) */
    double value;
} rule;

struct score_rules {
    rule *rules;
    size_t n;
};

static int fraction(sift_stage *st, const sift_host *h, const char *name, double *out)
{
    int rc = h->opt_double(st, name, out);
    if (rc < 0)
        return h->error(st, rc, "option %s: cannot read", name);
    if (!(*out >= 0.0 && *out <= 1.0))
        return h->error(st, SIFT_EINVAL, "option %s: must be between 0 and 1 (got %g)", name, *out);
    return 0;
}

int score_opts_read(score_opts *o, sift_stage *st, const sift_host *h)
{
    int rc = 0;
    if (h->opt_int(st, "min_words", &o->min_words) < 0 ||
        h->opt_int(st, "max_docs", &o->max_docs) < 0 ||
        h->opt_int(st, "story_window_hours", &o->window_hours) < 0 ||
        h->opt_bool(st, "drop_empty", &o->drop_empty) < 0 ||
        h->opt_bool(st, "near_dup", &o->near_dup) < 0 ||
        h->opt_bool(st, "stories", &o->stories) < 0)
        return h->error(st, SIFT_EINVAL, "cannot read the options");
    if ((rc = fraction(st, h, "min_quality", &o->min_quality)) < 0 ||
        (rc = fraction(st, h, "near_dup_threshold", &o->near_dup_threshold)) < 0 ||
        (rc = fraction(st, h, "story_threshold", &o->story_threshold)) < 0 ||
        (rc = fraction(st, h, "derived_threshold", &o->derived_threshold)) < 0)
        return rc;
    if (o->max_docs < 1)
        return h->error(st, SIFT_EINVAL, "option max_docs: must be at least 1");
    return 0;
}

/* Parse "name op value" into r. */
static int parse_rule(const char *s, size_t len, rule *r, char *err, size_t err_len)
{
    char buf[256];
    if (len >= sizeof buf)
        return snprintf(err, err_len, "rule too long"), SIFT_EINVAL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *op = strpbrk(buf, "<>");
    if (!op)
        return snprintf(err, err_len, "\"%.100s\": expected \"<score> < <value>\" or \">\"", buf),
               SIFT_EINVAL;
    char *name = buf, *end = op;
    while (isspace((unsigned char)*name))
        name++;
    while (end > name && isspace((unsigned char)end[-1]))
        end--;
    if (end == name || end - name >= MAX_RULE_NAME)
        return snprintf(err, err_len, "\"%.100s\": missing or long score name", buf), SIFT_EINVAL;
    memcpy(r->name, name, (size_t)(end - name));
    r->name[end - name] = '\0';
    r->op = op[1] == '=' ? (op[0] == '<' ? 'l' : 'g') : op[0];
    char *num = op + (op[1] == '=' ? 2 : 1), *rest;
    r->value = strtod(num, &rest);
    while (isspace((unsigned char)*rest))
        rest++;
    if (rest == num || *rest || !isfinite(r->value))
        return snprintf(err, err_len, "\"%.100s\": the value is not a number", buf), SIFT_EINVAL;
    return 0;
}

int score_rules_new(score_rules **out, const sift_host *h, const sift_value *list, char *err,
                    size_t err_len)
{
    score_rules *rs = calloc(1, sizeof *rs);
    size_t n = list ? h->val_len(list) : 0;
    if (!rs || !(rs->rules = calloc(n + 1, sizeof *rs->rules))) {
        free(rs);
        return SIFT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const sift_value *v;
        const char *s;
        size_t len;
        char msg[256] = "";
        int rc = h->list_at(list, i, &v) < 0 || h->val_str(v, &s, &len) < 0
                     ? SIFT_ETYPE
                     : parse_rule(s, len, &rs->rules[rs->n], msg, sizeof msg);
        if (rc < 0) {
            snprintf(err, err_len, "drop_if[%zu]: %s", i, msg[0] ? msg : "not a string");
            score_rules_destroy(&rs);
            return SIFT_EINVAL;
        }
        rs->n++;
    }
    *out = rs;
    return 0;
}

void score_rules_destroy(score_rules **pp)
{
    if (!pp || !*pp)
        return;
    free((*pp)->rules);
    free(*pp);
    *pp = NULL;
}

int score_rules_check(const score_rules *rs, const sift_host *h, const sift_doc *doc, char *reason,
                      size_t len)
{
    static const char *const verb[] = {"below", "above", "at or below", "at or above"};
    for (size_t i = 0; rs && i < rs->n; i++) {
        const rule *r = &rs->rules[i];
        double v;
        if (h->doc_score_get(doc, r->name, &v) < 0)
            continue;
        int hit = r->op == '<'   ? v < r->value
                  : r->op == '>' ? v > r->value
                  : r->op == 'l' ? v <= r->value
                                 : v >= r->value;
        if (hit) {
            int k = r->op == '<' ? 0 : r->op == '>' ? 1 : r->op == 'l' ? 2 : 3;
            snprintf(reason, len, "%s=%g %s %g (drop_if)", r->name, v, verb[k], r->value);
            return 1;
        }
    }
    return 0;
}
