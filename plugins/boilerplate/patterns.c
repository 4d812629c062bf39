/* patterns.c - the configured PCRE2 pattern lists: compile once, match candidate lines fast.
 *
 * Each kind (prompt, caption, byline, credit, date, site, comment) has a
 * list option whose default lives in defaults.c; extra_patterns adds
 * entries written "kind=regex". Every entry is compiled caseless with
 * PCRE2_UTF | PCRE2_UCP and JIT-compiled when the library has JIT.
 *
 * Speed comes from not running most patterns on most lines:
 *  - a kind is tried only on lines up to its length limit in words
 *    (bylines and dates are short lines; site text may be any length);
 *  - the entries anchored at the line start (^...) of a kind are joined
 *    into one regex, which fails at the first character of most lines;
 *  - an entry that starts with a word boundary and a literal, or a group
 *    of literals, "[[:<:]](getty|shutterstock|...)", gets those literals
 *    as triggers (triggers.c; up to 64 entries), and runs only on lines
 *    where a word starts with one of them, which lines.c finds with one
 *    hash probe per word; an alternation of words with different first
 *    letters is the slowest thing PCRE2 scans;
 *  - other entries run on every candidate line, and are cheap when they
 *    start with a literal character or a digit class.
 * Lines that are not valid UTF-8 are skipped. A date match counts only
 * when the date entries together cover a digit and leave at most three
 * other words. Which lines are matched at all is region.c's choice.
 * SPDX-License-Identifier: MIT
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "boilerplate.h"

#define DATE_MAX_OTHER_WORDS (3)
#define LINE_MAX_BYTES (4096)   /* longer lines are not pattern-matched */
#define COMPILE_FLAGS (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS)

typedef struct entry {
    pcre2_code *re;
    int kind;      /* 0 .. BP_PAT_KINDS-1 */
    int triggered; /* runs only on lines with its trigger bit */
    unsigned bit;
} entry;

struct bp_patterns {
    pcre2_code *anchored[BP_PAT_KINDS]; /* the kind's ^-anchored entries, joined */
    entry *ent;
    size_t n_ent;
    bp_triggers trig;
    unsigned n_bits; /* trigger bits handed out (at most 64) */
    uint8_t *run;   /* per line: entries to run */
    uint8_t covered[LINE_MAX_BYTES];
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

static int compile(sift_stage *st, const sift_host *h, int k, const char *pat, size_t n,
                   uint32_t extra, pcre2_code **out)
{
    int code;
    PCRE2_SIZE at;
    *out = pcre2_compile((PCRE2_SPTR)pat, n, COMPILE_FLAGS | extra, &code, &at, NULL);
    if (!*out) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(code, msg, sizeof msg);
        return h->error(st, SIFT_EINVAL, "%s pattern \"%.*s\": %s at offset %zu", kinds[k].kind,
                        (int)(n > 80 ? 80 : n), pat, (const char *)msg, (size_t)at);
    }
    (void)pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE); /* interpreted when JIT is absent */
    return 0;
}

static int is_anchored(const pcre2_code *re)
{
    uint32_t opts = 0;
    pcre2_pattern_info(re, PCRE2_INFO_ALLOPTIONS, &opts);
    return (opts & PCRE2_ANCHORED) != 0;
}

/* Append "(?:pat)" to the kind's growing alternation of anchored entries. */
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

typedef struct build {
    char *anch;
    size_t len, cap;
} build;

/* Compile one entry: anchored ones join the kind's alternation, the others
 * become entries of their own, with triggers when they allow it. */
static int add_entry(bp_patterns *p, sift_stage *st, const sift_host *h, int k, const char *s,
                     size_t n, build *b)
{
    pcre2_code *re;
    int rc = compile(st, h, k, s, n, 0, &re);
    if (rc < 0)
        return rc;
    if (is_anchored(re)) {
        pcre2_code_free(re);
        return append(&b->anch, &b->len, &b->cap, s, n);
    }
    entry *e = realloc(p->ent, (p->n_ent + 1) * sizeof *e);
    if (!e) {
        pcre2_code_free(re);
        return SIFT_ENOMEM;
    }
    p->ent = e;
    p->ent[p->n_ent] = (entry){.re = re, .kind = k};
    rc = p->n_bits < 64 ? bp_triggers_add(&p->trig, s, n, p->n_bits) : 0;
    if (rc < 0) {
        pcre2_code_free(re);
        return rc;
    }
    p->ent[p->n_ent].triggered = rc > 0;
    p->ent[p->n_ent++].bit = rc > 0 ? p->n_bits++ : 0;
    return 0;
}

/* The entries of kind k: its own list, then extra_patterns' "kind=regex". */
static int compile_kind(bp_patterns *p, sift_stage *st, const sift_host *h, int k)
{
    const sift_value *list[2] = {NULL, NULL};
    if (h->opt_list(st, kinds[k].option, &list[0]) < 0 ||
        h->opt_list(st, "extra_patterns", &list[1]) < 0)
        return h->error(st, SIFT_EINVAL, "pattern options unreadable");
    size_t klen = strlen(kinds[k].kind);
    build b = {0};
    int rc = 0;
    for (int li = 0; li < 2 && rc == 0; li++)
        for (size_t i = 0; i < h->val_len(list[li]) && rc == 0; i++) {
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
            rc = add_entry(p, st, h, k, s, n, &b);
        }
    if (rc == 0 && b.len)
        rc = compile(st, h, k, b.anch, b.len, PCRE2_ANCHORED, &p->anchored[k]);
    free(b.anch);
    return rc;
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

int bp_patterns_new(bp_patterns **out, sift_stage *st, const sift_host *h)
{
    bp_patterns *p = calloc(1, sizeof *p);
    if (!p)
        return SIFT_ENOMEM;
    bp_triggers_init(&p->trig);
    int rc = check_extra(st, h);
    for (int k = 0; rc == 0 && k < BP_PAT_KINDS; k++)
        rc = compile_kind(p, st, h, k);
    if (rc == 0 && (!(p->md = pcre2_match_data_create(8, NULL)) ||
                    !(p->run = calloc(p->n_ent + 1, 1))))
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
        pcre2_code_free(p->anchored[k]);
    for (size_t i = 0; i < p->n_ent; i++)
        pcre2_code_free(p->ent[i].re);
    free(p->ent);
    bp_triggers_fini(&p->trig);
    free(p->run);
    pcre2_match_data_free(p->md);
    free(p);
    *pp = NULL;
}

const bp_triggers *bp_patterns_triggers(const bp_patterns *p)
{
    return p->n_bits ? &p->trig : NULL;
}

static int hit(bp_patterns *p, const pcre2_code *re, const char *s, size_t n)
{
    return re && pcre2_match(re, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, p->md, NULL) >= 0;
}

/* Mark the bytes every match of re covers; 1 if one of them is a digit. */
static int cover(bp_patterns *p, const pcre2_code *re, const char *s, size_t n)
{
    int digit = 0;
    for (size_t off = 0; re && off < n;) {
        if (pcre2_match(re, (PCRE2_SPTR)s, n, off, PCRE2_NO_UTF_CHECK, p->md, NULL) < 0)
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
        for (size_t i = ov[0]; i < ov[1]; i++) {
            p->covered[i] = 1;
            digit |= s[i] >= '0' && s[i] <= '9';
        }
        off = ov[1] > off ? ov[1] : off + 1;
        while (off < n && ((unsigned char)s[off] & 0xc0) == 0x80)
            off++;
    }
    return digit;
}

/* Words (with a letter) of s[0, n) outside the covered bytes. */
static int words_outside(const bp_patterns *p, const char *s, size_t n)
{
    int words = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == ' ')
            i++;
        size_t a = i;
        int letter = 0, free_byte = 0;
        for (; i < n && s[i] != ' '; i++) {
            unsigned char c = (unsigned char)s[i];
            letter |= ((c | 32) >= 'a' && (c | 32) <= 'z') || c >= 0x80;
            free_byte |= !p->covered[i];
        }
        words += i > a && letter && free_byte;
    }
    return words;
}

/* A date line: the date entries cover a digit and leave few other words. */
static int date_line(bp_patterns *p, const char *s, size_t n)
{
    int k = BP_DATE - BP_PAT_FIRST, digit;
    memset(p->covered, 0, n);
    digit = cover(p, p->anchored[k], s, n);
    for (size_t i = 0; i < p->n_ent; i++)
        if (p->ent[i].kind == k && p->run[i])
            digit |= cover(p, p->ent[i].re, s, n);
    return digit && words_outside(p, s, n) <= DATE_MAX_OTHER_WORDS;
}

static int kind_hits(bp_patterns *p, int k, const char *s, size_t n)
{
    if (k == BP_DATE - BP_PAT_FIRST)
        return date_line(p, s, n);
    if (hit(p, p->anchored[k], s, n))
        return 1;
    for (size_t i = 0; i < p->n_ent; i++)
        if (p->ent[i].kind == k && p->run[i] && hit(p, p->ent[i].re, s, n))
            return 1;
    return 0;
}

uint8_t bp_patterns_match(bp_patterns *p, const char *text, const bp_line *l,
                          unsigned kind_mask)
{
    if ((l->flags & BP_F_BADUTF8) || l->len > LINE_MAX_BYTES)
        return 0;
    const char *s = text + l->off;
    unsigned todo = 0;
    for (int k = 0; k < BP_PAT_KINDS; k++)
        if ((kind_mask & (1u << k)) && l->units <= kinds[k].max_units)
            todo |= 1u << k;
    if (!todo)
        return 0;
    for (size_t i = 0; i < p->n_ent; i++) {
        const entry *e = &p->ent[i];
        p->run[i] = ((todo >> e->kind) & 1u) && (!e->triggered || ((l->trig >> e->bit) & 1u));
    }
    for (int k = 0; k < BP_PAT_KINDS; k++)
        if ((todo & (1u << k)) && kind_hits(p, k, s, l->len))
            return (uint8_t)(BP_PAT_FIRST + k);
    return 0;
}
