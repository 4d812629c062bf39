/* author.c - find the author names in a page's byline, without prefixes, roles or dates.
 *
 * Candidates are the page_meta "byline" lines and short text lines near
 * the headline. A PCRE2 pattern finds the byline prefix ("By", "Reported
 * by:", "WrittenBy:", "Von", "Par", "Por", "Di", "Door", "Автор:", "文："),
 * at a line's start or after a date or separator; the rest is cut at the
 * first date, separator, handle or "on"/"at", split on commas and
 * conjunctions, stripped of titles and roles, and each part kept only if
 * it reads as a name: 2-5 capitalised tokens (particles such as van, de,
 * bin, al- allowed), no stop words, no role or organisation words. The
 * nearest valid byline to the headline wins; several names are joined
 * with ", ". Dates in the same line are date.c's business.
 * SPDX-License-Identifier: MIT
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "extract.h"

#define MAX_LINE_WORDS 24 /* a byline is short */
#define ZONE_BEFORE 8
#define ZONE_AFTER 30
#define MAX_NAMES 6

struct sift_author {
    pcre2_code *re;
    pcre2_match_data *md;
};

static const char prefix_re[] =
    "(?<pre>(?i:(?:written|reported|posted|story|words|text|compiled|report)\\s*by|by)|"
    "Von|VON|Par|PAR|Por|POR|Di|DI|Door|DOOR|Autor|Autorin|Auteur|Автор|АВТОР|Текст|文|著者|"
    "記者)(?:\\s*[:：]\\s*|\\s+|(?<=[:：]))(?=\\S)";

static const char *const particles[] = {
    "van", "von", "de",    "der", "den", "da", "di",  "du",  "la", "le", "del", "della", "dos",
    "das", "bin", "binti", "ibn", "al",  "el", "ter", "ten", "zu", "y",  "e",   "st."};

static const char *const conjunctions[] = {" and ", " & ",  " und ", " et ", " y ",
                                           " e ",   " en ", " и ",   " AND "};

int sift_author_new(sift_author **out)
{
    sift_author *a = calloc(1, sizeof *a);
    if (!a)
        return SIFT_ENOMEM;
    int err;
    PCRE2_SIZE off;
    a->re = pcre2_compile((PCRE2_SPTR)prefix_re, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &err,
                          &off, NULL);
    if (!a->re)
        goto fail;
    pcre2_jit_compile(a->re, PCRE2_JIT_COMPLETE);
    a->md = pcre2_match_data_create_from_pattern(a->re, NULL);
    if (!a->md)
        goto fail;
    *out = a;
    return SIFT_OK;
fail:
    sift_author_destroy(&a);
    return SIFT_ENOMEM;
}

void sift_author_destroy(sift_author **pp)
{
    if (!pp || !*pp)
        return;
    pcre2_match_data_free((*pp)->md);
    pcre2_code_free((*pp)->re);
    free(*pp);
    *pp = NULL;
}

static int is_particle(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof particles / sizeof particles[0]; i++)
        if (strlen(particles[i]) == n && memcmp(particles[i], s, n) == 0)
            return 1;
    return (n > 3 && (memcmp(s, "al-", 3) == 0 || memcmp(s, "el-", 3) == 0));
}

/* One token of a name: capitalised (or all capitals), an initial, a
 * particle, or a CJK name. Returns 0 when it cannot be part of a name. */
static int name_token(const sift_lex *x, const char *s, size_t n, int *cjk)
{
    char low[64];
    size_t ln = sift_utf8_fold(s, n, low, sizeof low);
    if (is_particle(low, ln) && !sift_utf8_is_upper((unsigned char)s[0]))
        return 1;
    size_t i = 0;
    int32_t cp = sift_utf8_next(s, n, &i);
    if (sift_utf8_is_cjk(cp)) {
        size_t cps = sift_utf8_count(s, n);
        for (size_t j = 0; j < n;) {
            int32_t c = sift_utf8_next(s, n, &j);
            if (c < 0x4E00 || c > 0x9FFF)
                return 0; /* kana or Hangul: not a name we can check */
        }
        *cjk = 1;
        return cps >= 2 && cps <= 6;
    }
    if (!sift_utf8_is_upper(cp))
        return 0;
    while (i < n) {
        int32_t c = sift_utf8_next(s, n, &i);
        if (!sift_utf8_is_letter(c) && c != '\'' && c != 0x2019 && c != '-' && c != '.')
            return 0;
    }
    static const char *const names_too[] = {"said", "may", "will", "man"};
    for (size_t k = 0; k < sizeof names_too / sizeof names_too[0]; k++)
        if (strlen(names_too[k]) == ln && memcmp(names_too[k], low, ln) == 0)
            return 1; /* "Omar Said", "Theresa May" */
    return !sift_lex_stop(x, low, ln) && !sift_lex_is_role(x, low, ln);
}

static void trim(const char **s, size_t *n)
{
    while (*n && ((*s)[0] == ' ' || (*s)[0] == ',' || (*s)[0] == ':'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == ',' || (*s)[*n - 1] == ':'))
        (*n)--;
}

/* Drop leading titles and trailing role words of one part. */
static void strip_titles_roles(const sift_lex *x, const char **s, size_t *n)
{
    for (;;) {
        const char *sp = memchr(*s, ' ', *n);
        if (!sp || !sift_lex_is_title(x, *s, (size_t)(sp - *s)))
            break;
        *n -= (size_t)(sp - *s) + 1;
        *s = sp + 1;
    }
    for (;;) {
        size_t e = *n;
        while (e && (*s)[e - 1] != ' ')
            e--;
        if (!e)
            break;
        char low[64];
        size_t ln = sift_utf8_fold(*s + e, *n - e, low, sizeof low);
        if (!sift_lex_is_role(x, low, ln))
            break;
        *n = e - 1;
        trim(s, n);
    }
}

/* Is s[0..n) a name? Leading titles and trailing roles already stripped. */
static int is_name(const sift_lex *x, const char *s, size_t n)
{
    if (!n || n > 80 || sift_lex_gaz(x, s, n) >= 0)
        return 0;
    int tokens = 0, caps = 0, cjk = 0;
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != ' ')
            e++;
        if (e > i) {
            if (!name_token(x, s + i, e - i, &cjk))
                return 0;
            caps += sift_utf8_is_upper((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80;
            tokens++;
        }
        i = e + 1;
    }
    if (cjk)
        return tokens <= 2;
    return tokens >= 2 && tokens <= 5 && caps >= 2;
}

/* Where the names end: the first digit, separator, handle, or " on "/" at ". */
static size_t names_end(const char *s, size_t n)
{
    static const char *const stops[] = {
        " | ",   "|",        " • ",        "•",        "·",          " / ",  "/", " - ",
        " – ",   " — ",      "@",          " on ",     " at ",       " in ", ";", "(",
        " for ", " Updated", " Published", " UPDATED", " PUBLISHED", "\t"};
    size_t end = n;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9') {
            end = i;
            break;
        }
    for (size_t k = 0; k < sizeof stops / sizeof stops[0]; k++) {
        size_t sl = strlen(stops[k]);
        for (size_t i = 0; i + sl <= end; i++)
            if (memcmp(s + i, stops[k], sl) == 0) {
                end = i;
                break;
            }
    }
    return end;
}

static int has_conjunction(const char *s, size_t n, size_t *at, size_t *len)
{
    for (size_t k = 0; k < sizeof conjunctions / sizeof conjunctions[0]; k++) {
        size_t cl = strlen(conjunctions[k]);
        for (size_t i = 0; i + cl <= n; i++)
            if (memcmp(s + i, conjunctions[k], cl) == 0) {
                *at = i;
                *len = cl;
                return 1;
            }
    }
    return 0;
}

/* "LISA MASCARO" -> "Lisa Mascaro", "O'BRIEN" -> "O'Brien", in place;
 * names with any lower-case letter are left as written. */
static size_t title_case(char *s, size_t n)
{
    for (size_t i = 0; i < n;)
        if (sift_utf8_is_lower(sift_utf8_next(s, n, &i)))
            return n;
    char out[256];
    size_t o = 0;
    int start = 1;
    for (size_t i = 0; i < n && o + 4 < sizeof out;) {
        int32_t cp = sift_utf8_next(s, n, &i);
        int32_t c = start ? cp : utf8proc_tolower(cp);
        o += sift_utf8_put(c, out + o);
        start = cp == ' ' || cp == '-' || cp == '\'' || cp == 0x2019;
    }
    memcpy(s, out, o);
    return o;
}

/* Append one validated name to out; returns the new length. */
static size_t add_name(const sift_lex *x, const char *s, size_t n, char *out, size_t o, size_t cap,
                       int *count)
{
    trim(&s, &n);
    strip_titles_roles(x, &s, &n);
    if (!is_name(x, s, n) || *count >= MAX_NAMES || o + n + 3 > cap)
        return o;
    if (o) {
        memcpy(out + o, ", ", 2);
        o += 2;
    }
    memcpy(out + o, s, n);
    (*count)++;
    return o + title_case(out + o, n);
}

/* Names of a byline body (after the prefix). 0 when none is valid. */
static size_t parse_names(const sift_lex *x, const char *s, size_t n, char *out, size_t cap)
{
    n = names_end(s, n);
    trim(&s, &n);
    size_t at, cl, o = 0;
    int count = 0;
    if (!has_conjunction(s, n, &at, &cl)) {
        const char *comma = memchr(s, ',', n);
        o = add_name(x, s, comma ? (size_t)(comma - s) : n, out, 0, cap, &count);
        out[o] = '\0';
        return o;
    }
    /* "A, B and C": every part before the conjunction, then the last */
    size_t i = 0;
    while (i < at) {
        const char *comma = memchr(s + i, ',', at - i);
        size_t e = comma ? (size_t)(comma - s) : at;
        size_t before = o;
        o = add_name(x, s + i, e - i, out, o, cap, &count);
        if (o == before)
            return 0; /* "Jill Disis, CNN and ..." is no list of names */
        i = e + 1;
    }
    size_t before = o;
    o = add_name(x, s + at + cl, n - at - cl, out, o, cap, &count);
    if (o == before)
        return 0;
    out[o] = '\0';
    return o;
}

/* Is the text before a mid-line prefix a date or a separator? */
static int prefix_context_ok(const sift_page *p, const char *s, size_t n)
{
    while (n && s[n - 1] == ' ')
        n--;
    if (!n)
        return 1;
    unsigned char c = (unsigned char)s[n - 1];
    if (c == '|' || c == '/' || c == '-' || c == ',')
        return 1;
    if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && c == 0xB7) /* · */
        return 1;
    if (n >= 3 && memcmp(s + n - 3, "•", 3) == 0)
        return 1;
    sift_datecand dc[1];
    return sift_dateparse_line(p, s, n, dc, 1) > 0;
}

static size_t from_line(sift_author *a, const sift_page *p, const sift_pline *l, char *out,
                        size_t cap)
{
    if (l->words > MAX_LINE_WORDS)
        return 0;
    PCRE2_SIZE start = 0;
    while (start < l->n && pcre2_match(a->re, (PCRE2_SPTR)l->s, l->n, start, 0, a->md, NULL) >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(a->md);
        int word_start = ov[0] == 0 || l->s[ov[0] - 1] == ' ' || l->s[ov[0] - 1] == '|' ||
                         l->s[ov[0] - 1] == '/' || (unsigned char)l->s[ov[0] - 1] >= 0x80;
        if (word_start && prefix_context_ok(p, l->s, ov[0])) {
            size_t k = parse_names(p->lex, l->s + ov[1], l->n - ov[1], out, cap);
            if (k)
                return k;
        }
        start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
    }
    if (l->kind == SIFT_META_BYLINE)
        return parse_names(p->lex, l->s, l->n, out, cap);
    return 0;
}

static double closeness(int dist)
{
    return dist >= 0 ? -0.5 * dist : 1.5 * dist;
}

size_t sift_author_find(sift_author *a, const sift_page *p, char *buf, size_t cap)
{
    char tmp[256];
    double best = -1e9;
    size_t best_n = 0;
    int anchor = p->title_meta ? p->title_meta : p->n_meta ? p->meta[0].pos - 1 : 0;
    for (size_t i = 0; i < p->n_meta; i++) {
        const sift_pline *l = &p->meta[i];
        int dist = l->pos - anchor;
        if (l->kind == SIFT_META_CAPTION || l->kind == SIFT_META_CREDIT ||
            l->kind == SIFT_META_TITLE || dist < -ZONE_BEFORE || dist > ZONE_AFTER)
            continue;
        size_t k = from_line(a, p, l, tmp, sizeof tmp);
        double score = closeness(dist) + (l->kind == SIFT_META_BYLINE ? 3 : 1);
        if (k && k < cap && score > best) {
            best = score;
            memcpy(buf, tmp, k + 1);
            best_n = k;
        }
    }
    int tanchor = p->title_idx >= 0 ? p->lines[p->title_idx].pos
                  : p->n_lines      ? p->lines[0].pos - 1
                                    : 0;
    int last = p->body_idx >= 0 ? p->body_idx + 3 : 14;
    for (size_t i = 0; i < p->n_lines && (int)i <= last; i++) {
        const sift_pline *l = &p->lines[i];
        int dist = l->pos - tanchor;
        if ((int)i == p->title_idx || dist < -ZONE_BEFORE || dist > ZONE_AFTER)
            continue;
        size_t k = from_line(a, p, l, tmp, sizeof tmp);
        if (k && k < cap && closeness(dist) > best) {
            best = closeness(dist);
            memcpy(buf, tmp, k + 1);
            best_n = k;
        }
    }
    return best_n;
}
