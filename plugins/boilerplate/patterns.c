/* patterns.c - the configured PCRE2 pattern lists: compile once, match candidate lines.
 *
 * Each kind (prompt, caption, byline, credit, date, site, comment) has a
 * list option whose default lives in defaults.c; extra_patterns adds
 * entries written "kind=regex". A kind's list is compiled into one
 * alternation, caseless, with PCRE2_UTF | PCRE2_UCP, and JIT-compiled when
 * the library has JIT, so a line costs one match call per kind. Only
 * candidate lines are matched: each kind has a length limit in words
 * (bylines and dates are short lines; site text may be any length), and
 * lines that are not valid UTF-8 are skipped. A date match counts only
 * when the date patterns cover a digit and leave at most three other words.
 * The decisions that use the matches live in region.c.
 * SPDX-License-Identifier: MIT
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boilerplate.h"

#define DATE_MAX_OTHER_WORDS (3)

struct bp_patterns {
    pcre2_code *re[BP_PAT_KINDS];
    pcre2_match_data *md;
};

/* Option names and the longest line (in words) each kind is tried on. */
static const struct {
    const char *kind, *option;
    float max_units;
} kinds[BP_PAT_KINDS] = {
    {"prompt", "prompt_patterns", 25},   {"caption", "caption_patterns", 80},
    {"byline", "byline_patterns", 12},   {"credit", "credit_patterns", 30},
    {"date", "date_patterns", 12},       {"site", "site_patterns", 1e9f},
    {"comment", "comment_patterns", 12},
};

#define COMPILE_FLAGS (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS)

/* Compile one pattern alone to name it in the error message. */
static int check_one(sift_stage *st, const sift_host *h, const char *kind, const char *pat)
{
    int code;
    PCRE2_SIZE at;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, COMPILE_FLAGS, &code,
                                   &at, NULL);
    if (re) {
        pcre2_code_free(re);
        return 0;
    }
    PCRE2_UCHAR msg[160];
    pcre2_get_error_message(code, msg, sizeof msg);
    return h->error(st, SIFT_EINVAL, "%s pattern \"%.80s\": %s at offset %zu", kind, pat,
                    (const char *)msg, (size_t)at);
}

/* Append "(?:pat)" to the growing alternation in *buf. */
static int append(char **buf, size_t *len, size_t *cap, const char *pat, size_t n)
{
    size_t need = *len + n + 8;
    if (need > *cap) {
        size_t c = *cap ? *cap : 1024;
        while (c < need)
            c *= 2;
        char *p = realloc(*buf, c);
        if (!p)
            return SIFT_ENOMEM;
        *buf = p;
        *cap = c;
    }
    *len += (size_t)snprintf(*buf + *len, *cap - *len, "%s(?:%.*s)", *len ? "|" : "", (int)n,
                             pat);
    return 0;
}

/* The entries of kind k: its own list, then extra_patterns' "kind=regex". */
static int gather(sift_stage *st, const sift_host *h, int k, char **buf, size_t *len,
                  size_t *cap)
{
    const sift_value *list[2] = {NULL, NULL};
    if (h->opt_list(st, kinds[k].option, &list[0]) < 0 ||
        h->opt_list(st, "extra_patterns", &list[1]) < 0)
        return h->error(st, SIFT_EINVAL, "pattern options unreadable");
    size_t klen = strlen(kinds[k].kind);
    for (int li = 0; li < 2; li++)
        for (size_t i = 0; i < h->val_len(list[li]); i++) {
            const sift_value *v;
            const char *s;
            size_t n;
            if (h->list_at(list[li], i, &v) < 0 || h->val_str(v, &s, &n) < 0)
                continue;
            if (li == 1) {
                if (n <= klen || strncmp(s, kinds[k].kind, klen) != 0 || s[klen] != '=')
                    continue;
                s += klen + 1;
                n -= klen + 1;
            }
            int rc = check_one(st, h, kinds[k].kind, s);
            if (rc < 0 || (rc = append(buf, len, cap, s, n)) < 0)
                return rc;
        }
    return 0;
}

/* Every extra_patterns entry must name a known kind. */
static int check_extra(sift_stage *st, const sift_host *h)
{
    const sift_value *list;
    if (h->opt_list(st, "extra_patterns", &list) < 0)
        return 0;
    for (size_t i = 0; i < h->val_len(list); i++) {
        const sift_value *v;
        const char *s;
        size_t n;
        if (h->list_at(list, i, &v) < 0 || h->val_str(v, &s, &n) < 0)
            continue;
        int ok = 0;
        for (int k = 0; k < BP_PAT_KINDS && !ok; k++) {
            size_t kl = strlen(kinds[k].kind);
            ok = n > kl && strncmp(s, kinds[k].kind, kl) == 0 && s[kl] == '=';
        }
        if (!ok)
            return h->error(st, SIFT_EINVAL,
                            "extra_patterns entry \"%.60s\" must start with a kind and '=' "
                            "(prompt, caption, byline, credit, date, site, comment)", s);
    }
    return 0;
}

static int compile_kind(bp_patterns *p, sift_stage *st, const sift_host *h, int k)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = gather(st, h, k, &buf, &len, &cap);
    if (rc < 0 || len == 0) {
        free(buf);
        return rc;
    }
    int code;
    PCRE2_SIZE at;
    p->re[k] = pcre2_compile((PCRE2_SPTR)buf, len, COMPILE_FLAGS, &code, &at, NULL);
    free(buf);
    if (!p->re[k])
        return h->error(st, SIFT_EINVAL, "%s patterns do not compile together", kinds[k].kind);
    (void)pcre2_jit_compile(p->re[k], PCRE2_JIT_COMPLETE); /* interpreted when JIT is absent */
    return 0;
}

int bp_patterns_new(bp_patterns **out, sift_stage *st, const sift_host *h)
{
    bp_patterns *p = calloc(1, sizeof *p);
    if (!p)
        return SIFT_ENOMEM;
    int rc = check_extra(st, h);
    for (int k = 0; rc == 0 && k < BP_PAT_KINDS; k++)
        rc = compile_kind(p, st, h, k);
    if (rc == 0 && !(p->md = pcre2_match_data_create(8, NULL)))
        rc = SIFT_ENOMEM;
    if (rc < 0) {
        bp_patterns_destroy(&p);
        return rc;
    }
    *out = p;
    return 0;
}

void bp_patterns_destroy(bp_patterns **pp)
{
    bp_patterns *p = pp ? *pp : NULL;
    if (!p)
        return;
    for (int k = 0; k < BP_PAT_KINDS; k++)
        pcre2_code_free(p->re[k]);
    pcre2_match_data_free(p->md);
    free(p);
    *pp = NULL;
}

/* Words (with a letter) of s[0, n) outside the covered bytes. */
static int words_outside(const char *s, size_t n, const uint8_t *covered)
{
    int words = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == ' ')
            i++;
        size_t a = i;
        int letter = 0, free_byte = 0;
        while (i < n && s[i] != ' ') {
            unsigned char c = (unsigned char)s[i];
            if (((c | 32) >= 'a' && (c | 32) <= 'z') || c >= 0x80)
                letter = 1;
            if (!covered[i])
                free_byte = 1;
            i++;
        }
        if (i > a && letter && free_byte)
            words++;
    }
    return words;
}

/* All date matches: a date line when they cover a digit and leave few words. */
static int is_date_line(bp_patterns *p, const pcre2_code *re, const char *s, size_t n)
{
    uint8_t covered[512];
    if (n > sizeof covered)
        return 0;
    memset(covered, 0, n);
    int digit = 0;
    for (size_t off = 0; off < n;) {
        int rc = pcre2_match(re, (PCRE2_SPTR)s, n, off, PCRE2_NO_UTF_CHECK, p->md, NULL);
        if (rc < 0)
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
        for (size_t i = ov[0]; i < ov[1]; i++) {
            covered[i] = 1;
            digit |= s[i] >= '0' && s[i] <= '9';
        }
        off = ov[1] > off ? ov[1] : off + 1;
        while (off < n && ((unsigned char)s[off] & 0xc0) == 0x80)
            off++;
    }
    return digit && words_outside(s, n, covered) <= DATE_MAX_OTHER_WORDS;
}

#include <time.h> /* DEBUG-REMOVE */
static double KT[8]; static long KC[8]; /* DEBUG-REMOVE */
static double know(void) { struct timespec ts; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); return ts.tv_sec + ts.tv_nsec * 1e-9; } /* DEBUG-REMOVE */
__attribute__((destructor)) static void kdump(void) { if (getenv("BP_TIME")) for (int k = 0; k < 7; k++) fprintf(stderr, "kind %d %.3f %ld\n", k, KT[k], KC[k]); } /* DEBUG-REMOVE */
void bp_patterns_match(bp_patterns *p, const char *text, bp_line *l)
{
    if (l->flags & BP_F_BADUTF8)
        return;
    const char *s = text + l->off;
    for (int k = 0; k < BP_PAT_KINDS; k++) {
        if (!p->re[k] || l->units > kinds[k].max_units)
            continue;
        double t0 = know(); KC[k]++;
        int hit;
        if (k == BP_DATE - BP_PAT_FIRST) {
            hit = is_date_line(p, p->re[k], s, l->len);
        } else hit = pcre2_match(p->re[k], (PCRE2_SPTR)s, l->len, 0, PCRE2_NO_UTF_CHECK, p->md,
                               NULL) >= 0;
        KT[k] += know() - t0;
        if (!hit) continue;
        l->pat = (uint8_t)(BP_PAT_FIRST + k);
        return;
    }
}
