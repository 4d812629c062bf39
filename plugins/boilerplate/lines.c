/* lines.c - split a page into lines and measure each one for the boilerplate model.
 *
 * One pass over the bytes of a line gives everything the model reads:
 * length in code points, words (space-separated, with a letter), CJK
 * characters (scripts written without spaces count one character as half
 * a word), stop words and Japanese particles, capitalised words, digits,
 * symbols and separators ("|", "›", "•"), the terminal punctuation, two
 * hashes: the lower-cased line (duplicates inside the page) and a
 * normalised form (lower case, digits as 0, letters and digits only) for
 * the per-source memory in learn.c, and at each word start a probe for the
 * pattern triggers of triggers.c. Runs of ASCII letters take a tight loop
 * of their own. bp_lines_context then adds what needs the neighbours:
 * blocks, duplicates, link-list runs and colon lists. Scoring and
 * decisions live in region.c; nothing here allocates per line.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>
#include <xxhash.h>

#include "boilerplate.h"

#define WORD_MAX (16)     /* longer words (in bytes) are never stop words */
#define DUP_NEAR (4)      /* a copy this many lines away makes a duplicate */
#define LIST_MAX (40)     /* lines a colon list may run */

static int is_cjk(int32_t c)
{
    return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) ||
           (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) ||
           (c >= 0xff66 && c <= 0xff9f);
}

/* Japanese particles: の は が を に で と も. */
static int is_particle(int32_t c)
{
    return c == 0x306e || c == 0x306f || c == 0x304c || c == 0x3092 || c == 0x306b ||
           c == 0x3067 || c == 0x3068 || c == 0x3082;
}

static int is_word_cp(int32_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_PC;
}

static int is_space(int32_t c, utf8proc_category_t cat)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == 0x200b ||
           c == 0xfeff || cat == UTF8PROC_CATEGORY_ZS;
}

static int is_term(int32_t c)
{
    return c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == 0x3002 ||
           c == 0xff01 || c == 0xff1f || c == 0x300d || c == 0x300f || c == 0x2026;
}

static int is_closing_quote(int32_t c)
{
    return c == '"' || c == '\'' || c == ')' || c == 0x201d || c == 0x2019 || c == 0xbb;
}

static int is_sep(int32_t c)
{
    return c == '|' || c == '>' || c == 0x203a || c == 0xb7 || c == 0x2022 || c == 0x2219;
}

/* Punctuation of running prose, not counted as symbols. */
static int is_prose_punct(int32_t c)
{
    switch (c) {
    case '.': case ',': case ';': case ':': case '!': case '?': case '\'': case '"': case '(':
    case ')': case '-':
        return 1;
    default:
        break;
    }
    return c == 0x2013 || c == 0x2014 ||
           c == 0x2018 || c == 0x2019 || c == 0x201c || c == 0x201d || c == 0xab || c == 0xbb ||
           c == 0x3001 || c == 0x3002 || c == 0xff01 || c == 0xff1f || c == 0x300c || c == 0x300d;
}

static int decode(const uint8_t *s, size_t n, int32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)n, cp);
    if (k <= 0) {
        *cp = -1;
        return 1;
    }
    return (int)k;
}

/* State of the measuring pass over one line. */
typedef struct meter {
    const bp_stopset *stop;
    const bp_triggers *trig; /* NULL: no probing */
    int in_word;             /* the previous character was a word character */
    bp_line *l;
    uint64_t whash; /* FNV-1a of the lower-cased word so far */
    size_t wlen;
    int w_letter, w_cjk, w_upper, w_first;
    int32_t last, prev, first;
    unsigned lower, upper;
    char *norm, *lnorm; /* scratch outputs: lower-cased line, normalised line */
    size_t nlen, llen;
    int bad_utf8;
} meter;

static void word_end(meter *m)
{
    if (m->w_letter && !m->w_cjk) {
        m->l->words++;
        if (m->w_upper)
            m->l->caps++;
        if (m->wlen && m->wlen <= WORD_MAX && bp_stopset_has(m->stop, m->whash))
            m->l->stop++;
    }
    m->wlen = 0;
    m->whash = BP_FNV_OFFSET;
    m->w_letter = m->w_cjk = m->w_upper = 0;
    m->w_first = 1;
}

static void put_utf8(char *buf, size_t *len, int32_t c)
{
    if (c < 0x80)
        buf[(*len)++] = (char)c;
    else
        *len += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)buf + *len);
}

static void letter(meter *m, int32_t c, int32_t lc)
{
    bp_line *l = m->l;
    if (is_cjk(c)) {
        l->cjk++;
        m->w_cjk = 1;
        if (is_particle(c))
            l->stop++;
    }
    int up = c < 0x80 ? (c >= 'A' && c <= 'Z') : (lc != c);
    if (up)
        m->upper++;
    else
        m->lower++;
    if (m->w_first)
        m->w_upper = up;
    m->w_first = 0;
    m->w_letter = 1;
    char b[4];
    size_t k = 0;
    put_utf8(b, &k, lc);
    for (size_t i = 0; i < k; i++)
        m->whash = (m->whash ^ (uint8_t)b[i]) * BP_FNV_PRIME;
    m->wlen += k;
}

/* The same for one ASCII byte, without decoding: the common case. */
static void ascii_char(meter *m, int32_t c)
{
    bp_line *l = m->l;
    l->chars++;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
        word_end(m);
        if (m->llen && m->lnorm[m->llen - 1] != ' ')
            m->lnorm[m->llen++] = ' ';
        m->norm[m->nlen++] = ' ';
        return;
    }
    if (!m->first)
        m->first = c;
    m->prev = m->last;
    m->last = c;
    int up = c >= 'A' && c <= 'Z';
    int32_t lc = up ? c + 32 : c;
    m->norm[m->nlen++] = (char)lc;
    if (lc >= 'a' && lc <= 'z') {
        if (up)
            m->upper++;
        else
            m->lower++;
        if (m->w_first)
            m->w_upper = up;
        m->w_first = 0;
        m->w_letter = 1;
        m->whash = (m->whash ^ (uint64_t)lc) * BP_FNV_PRIME;
        m->wlen++;
        m->lnorm[m->llen++] = (char)lc;
    } else if (c >= '0' && c <= '9') {
        l->digits++;
        m->lnorm[m->llen++] = '0';
    } else {
        l->seps += c == '|' || c == '>';
        l->symbols += !is_prose_punct(c);
    }
}

static void one_char(meter *m, int32_t c)
{
    bp_line *l = m->l;
    l->chars++;
    if (c < 0) {
        m->bad_utf8 = 1;
        return;
    }
    utf8proc_category_t cat = c < 0x80 ? UTF8PROC_CATEGORY_CN : utf8proc_category(c);
    if (is_space(c, cat)) {
        word_end(m);
        if (m->llen && m->lnorm[m->llen - 1] != ' ')
            m->lnorm[m->llen++] = ' ';
        put_utf8(m->norm, &m->nlen, ' ');
        return;
    }
    if (!m->first)
        m->first = c;
    m->prev = m->last;
    m->last = c;
    int32_t lc = c < 0x80 ? ((c >= 'A' && c <= 'Z') ? c + 32 : c) : utf8proc_tolower(c);
    put_utf8(m->norm, &m->nlen, lc);
    int alpha = c < 0x80 ? ((c | 32) >= 'a' && (c | 32) <= 'z') : (cat >= 1 && cat <= 5);
    int digit = c < 0x80 ? (c >= '0' && c <= '9') : cat == UTF8PROC_CATEGORY_ND;
    if (alpha) {
        letter(m, c, lc);
        put_utf8(m->lnorm, &m->llen, lc);
    } else if (digit) {
        l->digits++;
        m->lnorm[m->llen++] = '0';
    } else {
        if (is_sep(c))
            l->seps++;
        if (!is_prose_punct(c))
            l->symbols++;
    }
}

static void line_shape(meter *m, const uint8_t *s, size_t n)
{
    bp_line *l = m->l;
    int32_t c = m->last;
    if (is_term(c))
        l->flags |= BP_F_TERM;
    if (is_closing_quote(c)) {
        int32_t p = m->prev;
        if (p == '.' || p == '!' || p == '?' || p == ',' || p == 0x3002 || p == 0xff01 ||
            p == 0xff1f || p == 0x2026)
            l->flags |= BP_F_TERM;
        else
            l->flags &= (uint16_t)~BP_F_TERM;
    }
    if (c == ',' || c == 0x3001 || c == 0xff0c)
        l->flags |= BP_F_COMMA;
    if (c == ':' || c == 0xff1a)
        l->flags |= BP_F_COLON;
    int32_t f = m->first;
    if (f == '"' || f == 0x201c || f == 0x201e || f == 0xab || f == 0x2018 || f == 0x300c)
        l->flags |= BP_F_QUOTE;
    if (m->upper >= 2 && m->lower == 0)
        l->flags |= BP_F_ALLCAPS;
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if ((i > 0 && i < n && (s[i] == '.' || s[i] == ')')) ||
        (n > 1 && (s[0] == '-' || s[0] == '*') && s[1] == ' ') ||
        (n > 2 && (s[0] == 'Q' || s[0] == 'A') && s[1] == ':') ||
        (n > 3 && s[0] == 0xe2 && s[1] == 0x80 && s[2] == 0xa2))
        l->flags |= BP_F_NUMBERED;
}

/* At a word start, the pattern triggers the text begins with. */
static void trigger_probe(meter *m, const uint8_t *s, size_t n, int word)
{
    if (word && !m->in_word && m->trig && bp_triggers_maybe(m->trig, s, n))
        m->l->trig |= bp_triggers_probe(m->trig, (const char *)s, n);
    m->in_word = word;
}

static int ascii_letter(uint8_t c)
{
    return (unsigned)((c | 32) - 'a') < 26u;
}

/* A run of ASCII letters, the bulk of most lines, in one tight loop.
 * Returns the bytes consumed (at least one: s[0] is a letter). */
static size_t ascii_letters(meter *m, const uint8_t *s, size_t n)
{
    size_t j = 0;
    unsigned up = 0;
    uint64_t h = m->whash;
    char *norm = m->norm + m->nlen, *ln = m->lnorm + m->llen;
    for (; j < n && ascii_letter(s[j]); j++) {
        uint8_t lc = s[j] | 32;
        up += s[j] < 'a';
        norm[j] = (char)lc;
        ln[j] = (char)lc;
        if (m->wlen + j < WORD_MAX)
            h = (h ^ lc) * BP_FNV_PRIME;
    }
    if (m->w_first)
        m->w_upper = s[0] < 'a';
    if (!m->first)
        m->first = s[0];
    m->prev = j > 1 ? s[j - 2] : m->last;
    m->last = s[j - 1];
    m->w_first = 0;
    m->w_letter = 1;
    m->upper += up;
    m->lower += (unsigned)j - up;
    m->whash = h;
    m->wlen += j;
    m->nlen += j;
    m->llen += j;
    m->l->chars += (uint32_t)j;
    return j;
}

static void measure(bp_lines *ls, bp_line *l, const uint8_t *s, size_t n,
                    const bp_stopset *stop, const bp_triggers *trig, int want_lhash)
{
    meter m = {.stop = stop, .trig = trig, .l = l, .w_first = 1, .whash = BP_FNV_OFFSET,
               .norm = ls->scratch, .lnorm = ls->scratch + 4 * n + 8};
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) {
            if (ascii_letter(s[i])) {
                trigger_probe(&m, s + i, n - i, 1);
                i += ascii_letters(&m, s + i, n - i);
            } else {
                trigger_probe(&m, s + i, n - i, (s[i] >= '0' && s[i] <= '9') || s[i] == '_');
                ascii_char(&m, s[i++]);
            }
            continue;
        }
        int32_t c;
        int k = decode(s + i, n - i, &c);
        trigger_probe(&m, s + i, n - i, c >= 0 && is_word_cp(c));
        one_char(&m, c);
        i += (size_t)k;
    }
    word_end(&m);
    line_shape(&m, s, n);
    l->units = (float)l->words + (float)l->cjk / 2.0f;
    l->hash = XXH3_64bits(m.norm, m.nlen);
    while (m.llen && m.lnorm[m.llen - 1] == ' ')
        m.llen--;
    l->lhash = (want_lhash && m.llen) ? XXH3_64bits(m.lnorm, m.llen) | 1 : 0;
    if (m.bad_utf8)
        l->flags |= BP_F_BADUTF8; /* no pattern matching on invalid UTF-8 */
}

static int reserve(bp_lines *ls, size_t n_lines, size_t max_line)
{
    if (n_lines > ls->cap) {
        size_t cap = ls->cap ? ls->cap : 64;
        while (cap < n_lines)
            cap *= 2;
        bp_line *v = realloc(ls->v, cap * sizeof *v);
        if (!v)
            return SIFT_ENOMEM;
        ls->v = v;
        ls->cap = cap;
    }
    size_t need = 8 * max_line + 32;
    if (need > ls->scratch_cap) {
        char *p = realloc(ls->scratch, need);
        if (!p)
            return SIFT_ENOMEM;
        ls->scratch = p;
        ls->scratch_cap = need;
    }
    return 0;
}

/* Trim white space (ASCII, NBSP, zero-width space, BOM) off both ends. */
static void trim(const uint8_t *s, size_t *a, size_t *b)
{
    for (;;) {
        if (*a < *b && (s[*a] == ' ' || s[*a] == '\t' || s[*a] == '\r'))
            (*a)++;
        else if (*b - *a >= 2 && s[*a] == 0xc2 && s[*a + 1] == 0xa0)
            *a += 2;
        else if (*b - *a >= 3 && ((s[*a] == 0xe2 && s[*a + 1] == 0x80 && s[*a + 2] == 0x8b) ||
                                  (s[*a] == 0xef && s[*a + 1] == 0xbb && s[*a + 2] == 0xbf)))
            *a += 3;
        else
            break;
    }
    for (;;) {
        if (*b > *a && (s[*b - 1] == ' ' || s[*b - 1] == '\t' || s[*b - 1] == '\r'))
            (*b)--;
        else if (*b - *a >= 2 && s[*b - 2] == 0xc2 && s[*b - 1] == 0xa0)
            *b -= 2;
        else if (*b - *a >= 3 && s[*b - 3] == 0xe2 && s[*b - 2] == 0x80 && s[*b - 1] == 0x8b)
            *b -= 3;
        else
            break;
    }
}

int bp_lines_split(bp_lines *ls, const char *text, size_t len, const bp_stopset *stop,
                   const bp_triggers *trig, int want_lhash)
{
    const uint8_t *s = (const uint8_t *)text;
    size_t n_lines = 1, max_line = 0;
    for (size_t a = 0; a <= len; n_lines++) {
        const uint8_t *nl = memchr(s + a, '\n', len - a);
        size_t e = nl ? (size_t)(nl - s) : len;
        max_line = e - a > max_line ? e - a : max_line;
        a = e + 1;
    }
    if (reserve(ls, n_lines, max_line) < 0)
        return SIFT_ENOMEM;
    ls->n = 0;
    uint32_t lineno = 0, block = 0;
    int blank = 1;
    for (size_t a = 0; a <= len;) {
        const uint8_t *nl = memchr(s + a, '\n', len - a);
        size_t e = nl ? (size_t)(nl - s) : len;
        size_t b = e, a0 = a;
        lineno++;
        trim(s, &a0, &b);
        if (b > a0) {
            if (blank)
                block++;
            blank = 0;
            bp_line *l = &ls->v[ls->n++];
            memset(l, 0, sizeof *l);
            l->off = (uint32_t)a0;
            l->len = (uint32_t)(b - a0);
            l->lineno = lineno;
            l->block = block;
            measure(ls, l, s + a0, b - a0, stop, trig, want_lhash);
        } else {
            blank = 1;
        }
        a = e + 1;
    }
    return 0;
}

void bp_lines_fini(bp_lines *ls)
{
    free(ls->v);
    bp_hcount_fini(&ls->counts);
    free(ls->scratch);
    memset(ls, 0, sizeof *ls);
}

/* Block sizes, and whether a block is mostly short lines. */
static void blocks(bp_lines *ls)
{
    for (size_t i = 0; i < ls->n;) {
        size_t j = i, shorts = 0;
        while (j < ls->n && ls->v[j].block == ls->v[i].block) {
            if (ls->v[j].units < 6)
                shorts++;
            j++;
        }
        for (size_t k = i; k < j; k++) {
            bp_line *l = &ls->v[k];
            l->block_size = (uint32_t)(j - i);
            l->linklist = l->block_size >= 3 && l->units < 6 && shorts * 10 >= 6 * (j - i) &&
                          !(l->flags & BP_F_LISTITEM);
        }
        i = j;
    }
}

/* The block after a line ending in a colon holds list items. */
static void colon_lists(bp_lines *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        const bp_line *l = &ls->v[i];
        if (!(l->flags & BP_F_COLON) || l->units < 3 || i + 1 >= ls->n)
            continue;
        uint32_t tb = ls->v[i + 1].block;
        for (size_t j = i + 1; j < ls->n && ls->v[j].block == tb && j - i <= LIST_MAX; j++)
            ls->v[j].flags |= BP_F_LISTITEM;
    }
}

/* A line is a duplicate when a copy sits within DUP_NEAR lines (image alt
 * text and its caption), or when it is short and recurs anywhere in the page. */
static int duplicates(bp_lines *ls)
{
    size_t n = ls->n;
    if (bp_hcount_reset(&ls->counts, n) < 0)
        return SIFT_ENOMEM;
    for (size_t i = 0; i < n; i++)
        bp_hcount_add(&ls->counts, ls->v[i].hash);
    for (size_t i = 0; i < n; i++) {
        bp_line *l = &ls->v[i];
        if (bp_hcount_get(&ls->counts, l->hash) < 2)
            continue;
        size_t lo = i > DUP_NEAR ? i - DUP_NEAR : 0, hi = i + DUP_NEAR < n ? i + DUP_NEAR : n - 1;
        int near = 0;
        for (size_t j = lo; j <= hi && !near; j++)
            near = j != i && ls->v[j].hash == l->hash;
        l->dup = near || l->units < 8;
    }
    return 0;
}

int bp_lines_context(bp_lines *ls)
{
    colon_lists(ls);
    blocks(ls);
    return duplicates(ls);
}
