/* patterns.c - the configured PCRE2 pattern lists: compile once, match candidate lines fast.
 *
 * Each kind (prompt, caption, byline, credit, date, site, comment) has a
 * list option whose default lives in defaults.c; extra_patterns adds
 * entries written "kind=regex". Every entry is compiled caseless with
 * PCRE2_UTF | PCRE2_UCP and JIT-compiled when the library has JIT.
 *
 * Speed comes from not running most patterns on most lines. Each entry
 * carries what a line must have for it to match, learnt once at start,
 * and runs only where the line has it:
 *  - a kind is tried only on lines up to its length limit in words
 *    (bylines and dates are short lines; site text may be any length);
 *  - an entry anchored at the line start (^...) runs only on lines whose
 *    first characters could begin a match, which prefix.c asks PCRE2 and
 *    caches by those characters (the first BP_PREFIX_MAX entries);
 *  - an entry whose every match starts a word with one of a few literals
 *    ("[[:<:]](getty|shutterstock)", "... (says|wrote):$") runs only on
 *    lines where lines.c found a word starting with one (syntax.c reads
 *    the literals, triggers.c finds them; up to 64 entries);
 *  - an entry that ends a line with a known character ("[›»>]$") runs only
 *    on lines ending in one, and one that needs a character outside ASCII
 *    ("年", or a start PCRE2 knows is one) only on lines holding one;
 *  - the date entries run only on lines holding a digit, as a date line
 *    must have a matched digit.
 * One test per kind rules out a kind none of whose entries can run. Each
 * filter only leaves out lines a pattern cannot match, so which lines match
 * is PCRE2's alone. Lines that are not valid UTF-8 are skipped. A date match
 * counts only when the date entries together cover a digit and leave at
 * most three other words. Which lines are matched at all is region.c's.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "boilerplate.h"

#define DATE_MAX_OTHER_WORDS (3)
#define LINE_MAX_BYTES (4096)   /* longer lines are not pattern-matched */
#define COMPILE_FLAGS (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS)

/* One pattern, and what a line must have for it to run there. */
typedef struct entry {
    pcre2_code *re;
    int jit;             /* re has JIT code */
    unsigned kind;       /* 0 .. BP_PAT_KINDS-1 */
    int anchored;        /* matches only at the line start */
    uint64_t prefix;     /* anchored: its bit in the prefix masks (0: none, always runs) */
    uint64_t trig;       /* its bit in bp_line.trig (0: no triggers) */
    int trig_first;      /* every match starts where a trigger word does */
    uint64_t last[4];    /* bit b of last[b / 64]: a line it matches may end in byte b */
    uint64_t leads;      /* BP_LEAD bits one of which a line it matches holds (0: none) */
} entry;

struct bp_patterns {
    entry *ent;                        /* grouped by kind, in list order */
    size_t n_ent, kind_end[BP_PAT_KINDS]; /* kind k: ent[kind_end[k-1], kind_end[k]) */
    uint64_t kind_prefix[BP_PAT_KINDS];   /* the prefix bits of each kind's entries, */
    uint64_t kind_trig[BP_PAT_KINDS];     /* their trigger bits, */
    unsigned kind_free[BP_PAT_KINDS];     /* how many have neither nor leads, */
    uint64_t kind_free_leads[BP_PAT_KINDS]; /* and the leads of those with leads */
    bp_triggers trig;   /* the trigger words lines.c probes for */
    unsigned n_bits;    /* trigger bits handed out (at most 64) */
    bp_prefix *prefix;  /* which anchored entries a line's first characters allow */
    uint64_t mask;      /* the prefix mask of the line being matched */
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
                   pcre2_code **out)
{
    int code;
    PCRE2_SIZE at;
    *out = pcre2_compile((PCRE2_SPTR)pat, n, COMPILE_FLAGS, &code, &at, NULL);
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

/* Compile one entry of kind k, with what it needs of a line: its first
 * characters (anchored entries, prefix.c), trigger words (unanchored
 * entries, and anchored ones whose first bytes PCRE2 cannot tell) and its
 * last byte (syntax.c), when those can be told. */
static int add_entry(bp_patterns *p, sift_stage *st, const sift_host *h, unsigned k,
                     const char *s, size_t n)
{
    pcre2_code *re;
    int rc = compile(st, h, (int)k, s, n, &re);
    if (rc < 0)
        return rc;
    entry *e = realloc(p->ent, (p->n_ent + 1) * sizeof *e);
    if (!e) {
        pcre2_code_free(re);
        return SIFT_ENOMEM;
    }
    p->ent = e;
    e = &p->ent[p->n_ent++];
    uint64_t first[4]; /* the bytes PCRE2 knows a match starts with */
    bp_first_bytes(re, first);
    int known_start = ~(first[0] & first[1] & first[2] & first[3]) != 0;
    *e = (entry){.re = re, .jit = bp_has_jit(re), .kind = k, .anchored = is_anchored(re),
                 .leads = bp_syntax_leads(s, n)};
    if (!e->leads && !(first[0] | first[1])) /* every match starts outside ASCII */
        e->leads = first[3];                 /* with a first byte, BP_LEAD's bit order */
    bp_syntax_last_bytes(s, n, e->last);
    int want_trig = !e->anchored || !known_start; /* a start prefix.c cannot see */
    if (e->anchored) {
        int bit = bp_prefix_add(p->prefix, re); /* -1 past the cache: always runs */
        e->prefix = bit >= 0 ? (uint64_t)1 << bit : 0;
        p->kind_prefix[k] |= e->prefix;
    }
    rc = want_trig && p->n_bits < 64 ? bp_triggers_add(&p->trig, s, n, !e->anchored, p->n_bits,
                                                       &e->trig_first)
                                     : 0;
    if (rc > 0)
        e->trig = (uint64_t)1 << p->n_bits++;
    e->trig_first &= rc > 0;
    p->kind_trig[k] |= e->trig;
    p->kind_free[k] += !e->prefix && !e->trig && !e->leads;
    p->kind_free_leads[k] |= !e->prefix && !e->trig ? e->leads : 0;
    return rc < 0 ? rc : 0;
}

/* The entries of kind k: its own list, then extra_patterns' "kind=regex". */
static int compile_kind(bp_patterns *p, sift_stage *st, const sift_host *h, unsigned k)
{
    const sift_value *list[2] = {NULL, NULL};
    if (h->opt_list(st, kinds[k].option, &list[0]) < 0 ||
        h->opt_list(st, "extra_patterns", &list[1]) < 0)
        return h->error(st, SIFT_EINVAL, "pattern options unreadable");
    size_t klen = strlen(kinds[k].kind);
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
            rc = add_entry(p, st, h, k, s, n);
        }
    p->kind_end[k] = p->n_ent;
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
    if (rc == 0 && (bp_prefix_new(&p->prefix) < 0 || !(p->md = pcre2_match_data_create(8, NULL))))
        rc = SIFT_ENOMEM;
    for (unsigned k = 0; rc == 0 && k < BP_PAT_KINDS; k++)
        rc = compile_kind(p, st, h, k);
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
    bp_prefix_destroy(&p->prefix); /* borrows the anchored entries' code */
    for (size_t i = 0; i < p->n_ent; i++)
        pcre2_code_free(p->ent[i].re);
    free(p->ent);
    bp_triggers_fini(&p->trig);
    pcre2_match_data_free(p->md);
    free(p);
    *pp = NULL;
}

/* Can the entry match line l (text s), as far as its first characters,
 * trigger words, last byte and characters outside ASCII tell? */
static inline int may_match(const bp_patterns *p, const entry *e, const bp_line *l,
                            const char *s)
{
    unsigned end = (unsigned char)s[l->len - 1];
    return !((e->trig & ~l->trig) | (e->prefix & ~p->mask)) &&
           ((e->last[end >> 6] >> (end & 63)) & 1u) && (!e->leads || (e->leads & l->leads));
}

/* Where a match of e on line l (text s[0, n)) can start at or after off:
 * for an entry whose matches start at its trigger words, on a line of
 * ASCII only (where a word start is the same to PCRE2 and to the probes),
 * the next such word; off otherwise. n when there is none. */
static size_t next_start(const bp_patterns *p, const entry *e, const bp_line *l, const char *s,
                         size_t n, size_t off)
{
    return e->trig_first && !l->leads ? bp_triggers_next(&p->trig, s, n, off, e->trig) : off;
}

static int hit(bp_patterns *p, const entry *e, const bp_line *l, const char *s, size_t n)
{
    size_t off = next_start(p, e, l, s, n, 0);
    return off < n && bp_match(e->re, e->jit, s, n, off, 0, p->md) >= 0;
}

/* Mark the bytes every match of e on line l covers; sets *digit if one of
 * them is a digit. Returns the number of matches. */
static int cover(bp_patterns *p, const entry *e, const bp_line *l, const char *s, size_t n,
                 int *digit)
{
    int matches = 0;
    for (size_t off = 0; (off = next_start(p, e, l, s, n, off)) < n; matches++) {
        if (bp_match(e->re, e->jit, s, n, off, 0, p->md) < 0)
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
        for (size_t i = ov[0]; i < ov[1]; i++) {
            p->covered[i] = 1;
            *digit |= s[i] >= '0' && s[i] <= '9';
        }
        off = ov[1] > off ? ov[1] : off + 1;
        while (off < n && ((unsigned char)s[off] & 0xc0) == 0x80)
            off++;
    }
    return matches;
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

/* A date line: the date entries cover a digit and leave few other words.
 * Of the anchored entries only the first that matches counts, as in one
 * alternation of them. */
static int date_line(bp_patterns *p, const bp_line *l, const char *s, size_t n)
{
    unsigned k = BP_DATE - BP_PAT_FIRST;
    int digit = 0, anchored_hit = 0;
    if (!l->digits)
        return 0; /* no digit to cover */
    memset(p->covered, 0, n);
    for (size_t i = k ? p->kind_end[k - 1] : 0; i < p->kind_end[k]; i++) {
        const entry *e = &p->ent[i];
        if ((e->anchored && anchored_hit) || !may_match(p, e, l, s))
            continue;
        int m = cover(p, e, l, s, n, &digit);
        anchored_hit |= e->anchored && m;
    }
    return digit && words_outside(p, s, n) <= DATE_MAX_OTHER_WORDS;
}

/* May any entry of kind k run on line l? One test before trying its entries
 * one by one: most lines hold none of the kind's trigger words and start
 * with none of its anchored entries. */
static int kind_may(const bp_patterns *p, unsigned k, const bp_line *l)
{
    return (l->trig & p->kind_trig[k]) || (p->mask & p->kind_prefix[k]) || p->kind_free[k] ||
           (l->leads & p->kind_free_leads[k]);
}

static int kind_hits(bp_patterns *p, unsigned k, const bp_line *l, const char *s)
{
    if (!kind_may(p, k, l))
        return 0;
    if (k == BP_DATE - BP_PAT_FIRST)
        return date_line(p, l, s, l->len);
    for (size_t i = k ? p->kind_end[k - 1] : 0; i < p->kind_end[k]; i++)
        if (may_match(p, &p->ent[i], l, s) && hit(p, &p->ent[i], l, s, l->len))
            return 1;
    return 0;
}

const bp_triggers *bp_patterns_triggers(const bp_patterns *p)
{
    return p->n_bits ? &p->trig : NULL;
}

/* The kinds of kind_mask line l is short enough for (bit k: kind k), and
 * into *want the prefix bits of their entries; 0 for a line not matched. */
static unsigned kinds_for(const bp_patterns *p, const bp_line *l, unsigned kind_mask,
                          uint64_t *want)
{
    unsigned todo = 0;
    *want = 0;
    if ((l->flags & BP_F_BADUTF8) || l->len > LINE_MAX_BYTES)
        return 0;
    for (unsigned k = 0; k < BP_PAT_KINDS; k++)
        if ((kind_mask & (1u << k)) && l->units <= kinds[k].max_units) {
            todo |= 1u << k;
            *want |= p->kind_prefix[k];
        }
    return todo;
}

void bp_patterns_prefetch(const bp_patterns *p, const char *text, const bp_line *l)
{
    if (!(l->flags & BP_F_BADUTF8) && l->len <= LINE_MAX_BYTES)
        bp_prefix_prefetch(p->prefix, text + l->off, l->len);
}

uint8_t bp_patterns_match(bp_patterns *p, const char *text, const bp_line *l,
                          unsigned kind_mask)
{
    uint64_t want;
    unsigned todo = kinds_for(p, l, kind_mask, &want);
    const char *s = text + l->off;
    if (!todo)
        return 0;
    p->mask = bp_prefix_mask(p->prefix, s, l->len, want);
    for (unsigned k = 0; k < BP_PAT_KINDS; k++)
        if ((todo & (1u << k)) && kind_hits(p, k, l, s))
            return (uint8_t)(BP_PAT_FIRST + k);
    return 0;
}
