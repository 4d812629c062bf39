/* lines.c - split a page into lines and measure each one for the boilerplate model.
 *
 * One pass over the bytes of a line gives everything the model reads:
 * length in code points, words (space-separated, with a letter), CJK
 * characters (scripts written without spaces count one character as half
 * a word), stop words and Japanese particles, capitalised words, digits,
 * symbols and separators ("|", "›", "•"), two hashes: the lower-cased line
 * (duplicates inside the page) and a normalised form (lower case, digits
 * as 0, letters and digits only) for the per-source memory in learn.c, and
 * at each word start a probe for the pattern triggers of triggers.c. The
 * pass is the stage's hottest loop, so: runs of ASCII letters go eight
 * bytes at a time (one unpredictable branch a word, not a letter), the
 * properties of characters outside ASCII come from a small cache in front
 * of utf8proc, and what needs only the line's ends (its first and last two
 * characters, whether it is ALL CAPS) is read once the line is done.
 * bp_lines_context then adds what needs the neighbours: blocks,
 * duplicates, link-list runs and colon lists. Scoring and decisions live
 * in region.c; nothing here allocates per line.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

/* Inlined: one hash a line, most of them short, where the library call
 * and its length dispatch weigh (the hash itself is the library's). */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "boilerplate.h"

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

/* is_prose_punct for a byte in ASCII: . , ; : ! ? ' " ( ) - are all below
 * 64, so one word of bits holds them. */
static int ascii_prose_punct(uint8_t c)
{
    const uint64_t prose = 1ull << '.' | 1ull << ',' | 1ull << ';' | 1ull << ':' | 1ull << '!' |
                           1ull << '?' | 1ull << '\'' | 1ull << '"' | 1ull << '(' | 1ull << ')' |
                           1ull << '-';
    return c < 64 && ((prose >> c) & 1u);
}

/* State of the measuring pass over one line. */
typedef struct meter {
    const bp_stopset *stop_set;
    const bp_triggers *trig; /* NULL: no probing */
    bp_char *chars;          /* the character cache of bp_lines */
    bp_line *l;
    /* The line's counts while it is measured, stored into *l at its end:
     * kept in *l, each would be loaded and stored again around every store
     * into norm and word, which might write there as far as C can tell. */
    uint32_t words, caps, stop, cjk, digits, symbols, seps;
    uint64_t trig_bits, leads;
    char *norm;              /* scratch output: the line lower-cased, spaces as ' ' */
    size_t nlen;
    char *word;              /* the letters of the current word, lower-cased (the first
                                BP_WORD_MAX bytes; room to store 8 at a time) */
    size_t wlen;             /* bytes of letters in the current word (may exceed BP_WORD_MAX) */
    int w_letter, w_cjk, w_upper, w_first;
    int in_word;             /* the previous character was a word character */
    int bad_utf8;
} meter;

/* Zeros to start a meter and a line from: copied, they are a few vector
 * moves, where compilers turn a memset or initialiser of that size into
 * a string instruction with a slow start, twice for every line. */
static const meter meter_zero;
static const bp_line line_zero;

static inline void word_end(meter *m)
{
    if (m->w_letter && !m->w_cjk) {
        m->words++;
        m->caps += m->w_upper != 0;
        if (m->wlen <= BP_WORD_MAX)
            m->stop += (uint32_t)bp_stopset_has(m->stop_set, bp_word_hash(m->word, m->wlen));
    }
    m->wlen = 0;
    m->w_letter = m->w_cjk = m->w_upper = 0;
    m->w_first = 1;
}

/* Add k bytes of letters to the current word. Only its first BP_WORD_MAX
 * bytes are kept: a longer word is never a stop word. */
static void word_put(meter *m, const char *b, size_t k)
{
    for (size_t i = 0; i < k && m->wlen + i < BP_WORD_MAX; i++)
        m->word[m->wlen + i] = b[i];
    m->wlen += k;
}

/* A word character at s: at a word start, probe the pattern triggers. */
static inline void word_char(meter *m, const uint8_t *s, size_t n)
{
    if (!m->in_word && m->trig && bp_triggers_maybe(m->trig, s, n))
        m->trig_bits |= bp_triggers_probe(m->trig, (const char *)s, n);
    m->in_word = 1;
}

static inline void space(meter *m)
{
    word_end(m);
    m->norm[m->nlen++] = ' ';
    m->in_word = 0;
}

/* c in UTF-8 at buf; returns its length. */
static size_t put_utf8(char *buf, int32_t c)
{
    uint8_t *b = (uint8_t *)buf;
    if (c < 0x80) {
        b[0] = (uint8_t)c;
        return 1;
    }
    if (c < 0x800) {
        b[0] = (uint8_t)(0xc0 | c >> 6);
        b[1] = (uint8_t)(0x80 | (c & 0x3f));
        return 2;
    }
    return (size_t)utf8proc_encode_char(c, b);
}

/* Category and lower case of c (outside ASCII), from the cache of recent
 * characters: utf8proc's tables cost a few lookups a character, and a page
 * uses few distinct characters outside ASCII. */
static const bp_char *char_props(bp_char *cache, int32_t c)
{
    bp_char *e = &cache[(uint32_t)c % BP_CHAR_CACHE];
    if (e->c != c)
        *e = (bp_char){.c = c, .lower = utf8proc_tolower(c), .cat = (uint8_t)utf8proc_category(c)};
    return e;
}

/* A letter outside ASCII, c, lower-cased lc. */
static void letter(meter *m, int32_t c, int32_t lc)
{
    if (is_cjk(c)) {
        m->cjk++;
        m->w_cjk = 1;
        if (is_particle(c))
            m->stop++;
    }
    if (m->w_first)
        m->w_upper = lc != c;
    m->w_first = 0;
    m->w_letter = 1;
    char b[4];
    word_put(m, b, put_utf8(b, lc));
}

/* One ASCII byte that is no letter, at s. */
static inline void ascii_char(meter *m, const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
        space(m);
        return;
    }
    m->norm[m->nlen++] = (char)c;
    if (c >= '0' && c <= '9') {
        word_char(m, s, n);
        m->digits++;
        return;
    }
    if (c == '_')
        word_char(m, s, n);
    else
        m->in_word = 0;
    m->seps += c == '|' || c == '>';
    m->symbols += !ascii_prose_punct(c);
}

/* One character outside ASCII (or an invalid byte: c < 0), at s. */
static void one_char(meter *m, int32_t c, const uint8_t *s, size_t n)
{
    if (c < 0) {
        m->bad_utf8 = 1;
        m->in_word = 0;
        return;
    }
    const bp_char *props = char_props(m->chars, c);
    utf8proc_category_t cat = (utf8proc_category_t)props->cat;
    if (is_space(c, cat)) {
        space(m);
        return;
    }
    if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_PC) {
        if (!m->in_word && m->trig && bp_triggers_maybe_char(m->trig, props->lower))
            m->trig_bits |= bp_triggers_probe(m->trig, (const char *)s, n);
        m->in_word = 1;
    } else {
        m->in_word = 0;
    }
    int32_t lc = props->lower;
    m->nlen += put_utf8(m->norm + m->nlen, lc);
    if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) {
        letter(m, c, lc);
    } else if (cat == UTF8PROC_CATEGORY_ND) {
        m->digits++;
    } else {
        m->seps += is_sep(c) != 0;
        m->symbols += !is_prose_punct(c);
    }
}

static int space_cp(int32_t c)
{
    return is_space(c, c < 0x80 ? UTF8PROC_CATEGORY_CN : utf8proc_category(c));
}

/* An ASCII byte that is no white space (as space_cp tells). */
static int ascii_solid(uint8_t c)
{
    return c < 0x80 && c != ' ' && c != '\t' && c != '\r' && c != '\v' && c != '\f';
}

/* The first character of s[0, n) that is valid, not white space and not NUL. */
static int32_t first_char(const uint8_t *s, size_t n)
{
    if (n && s[0] && ascii_solid(s[0])) /* most lines: no decoding */
        return s[0];
    for (size_t i = 0; i < n;) {
        int32_t c;
        int k = bp_utf8_decode(s + i, n - i, &c);
        if (c > 0 && !space_cp(c))
            return c;
        i += (size_t)k;
    }
    return 0;
}

/* The last two characters of s[0, n) that are valid and not white space,
 * into got[0] (the last) and got[1] (0 when there are fewer). Read
 * backwards from the end, unless the line has an invalid byte (bad). */
static void last_chars(const uint8_t *s, size_t n, int bad, int32_t *got)
{
    int32_t c;
    if (!bad && n >= 2 && ascii_solid(s[n - 1]) && ascii_solid(s[n - 2])) { /* most lines */
        got[0] = s[n - 1];
        got[1] = s[n - 2];
        return;
    }
    got[0] = got[1] = 0;
    for (size_t i = 0; bad && i < n;) {
        int k = bp_utf8_decode(s + i, n - i, &c);
        if (c >= 0 && !space_cp(c)) {
            got[1] = got[0];
            got[0] = c;
        }
        i += (size_t)k;
    }
    for (size_t e = n, found = 0; !bad && e > 0 && found < 2;) {
        size_t b = e - 1;
        while (b > 0 && (s[b] & 0xc0) == 0x80)
            b--;
        bp_utf8_decode(s + b, e - b, &c);
        if (!space_cp(c))
            got[found++] = c;
        e = b;
    }
}

/* Two or more of the line's letters upper case and none lower case? A
 * letter without case (CJK) counts as lower case. Most lines hold an ASCII
 * lower-case letter in their first bytes, which settles it. */
static int all_caps(bp_char *cache, const uint8_t *s, size_t n)
{
    unsigned upper = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'a' && s[i] <= 'z')
            return 0;
    for (size_t i = 0; i < n;) {
        int32_t c;
        int k = bp_utf8_decode(s + i, n - i, &c);
        i += (size_t)k;
        if (c >= 'A' && c <= 'Z') {
            upper++;
        } else if (c >= 0x80) {
            const bp_char *p = char_props(cache, c);
            if (p->cat >= UTF8PROC_CATEGORY_LU && p->cat <= UTF8PROC_CATEGORY_LO && p->lower == c)
                return 0;
            upper += p->cat >= UTF8PROC_CATEGORY_LU && p->cat <= UTF8PROC_CATEGORY_LO;
        }
    }
    return upper >= 2;
}

static void line_shape(meter *m, const uint8_t *s, size_t n)
{
    bp_line *l = m->l;
    int32_t got[2];
    last_chars(s, n, m->bad_utf8, got);
    int32_t c = got[0];
    if (is_term(c))
        l->flags |= BP_F_TERM;
    if (is_closing_quote(c)) {
        int32_t p = got[1];
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
    int32_t f = first_char(s, n);
    if (f == '"' || f == 0x201c || f == 0x201e || f == 0xab || f == 0x2018 || f == 0x300c)
        l->flags |= BP_F_QUOTE;
    if (all_caps(m->chars, s, n))
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

static int ascii_letter(uint8_t c)
{
    return (unsigned)((c | 32) - 'a') < 26u;
}

#define ONES (0x0101010101010101ull)
#define HIGH (0x80 * ONES)

/* Bit 7 set in each byte of x (8 bytes of text) that is an ASCII letter. */
static uint64_t letter_bytes(uint64_t x)
{
    uint64_t low7 = (x | 0x20 * ONES) & 0x7f * ONES; /* lower case; no carries below */
    uint64_t from_a = low7 + (0x80 - 'a') * ONES;    /* bit 7: >= 'a' */
    uint64_t past_z = low7 + (0x80 - 'z' - 1) * ONES; /* bit 7: > 'z' */
    return from_a & ~past_z & ~x & HIGH;
}

/* The ASCII letters at the start of s, eight at a time, lower-cased into
 * norm and the word: one branch a word instead of one a letter.
 * avail: the bytes that may be read from s, to the end of the text; a run
 * never goes past the end of the line, as the byte after a line (a line
 * break or trimmed white space) is no letter. Returns how many; *after:
 * the byte after the run when its end was found (from the word already
 * read, not read again: the next step waits on it), else -1. */
static inline size_t letters8(meter *m, const uint8_t *s, size_t avail, int *after)
{
    size_t j = 0;
    *after = -1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    char *norm = m->norm + m->nlen;
    while (avail - j >= 8) {
        uint64_t x, lower;
        memcpy(&x, s + j, 8);
        uint64_t let = letter_bytes(x), other = ~let & HIGH;
        lower = x | (let >> 2);
        memcpy(norm + j, &lower, 8); /* the bytes past the run are written over later */
        if (m->wlen + j < BP_WORD_MAX)
            memcpy(m->word + m->wlen + j, &lower, 8);
        if (other) {
            unsigned k = (unsigned)__builtin_ctzll(other) >> 3;
            *after = (int)(x >> (8 * k) & 0xff);
            j += k;
            break;
        }
        j += 8;
    }
#else
    (void)m, (void)s, (void)avail;
#endif
    return j;
}

/* A run of ASCII letters, the bulk of most lines, at s[0, n) (avail bytes
 * readable). Returns the bytes consumed (at least one: s[0] is a letter);
 * *after: the byte after them, or -1 when it was not read. */
static inline size_t ascii_letters(meter *m, const uint8_t *s, size_t n, size_t avail,
                                   int *after)
{
    char *norm = m->norm + m->nlen;
    word_char(m, s, n);
    size_t j = letters8(m, s, avail, after);
    if (*after < 0)
        for (; j < n && ascii_letter(s[j]); j++) {
            char lc = (char)(s[j] | 32);
            norm[j] = lc;
            if (m->wlen + j < BP_WORD_MAX)
                m->word[m->wlen + j] = lc;
        }
    if (m->w_first)
        m->w_upper = s[0] < 'a';
    m->w_first = 0;
    m->w_letter = 1;
    m->wlen += j;
    m->nlen += j;
    return j;
}

/* The normalised form of a line for the per-source memory, from its
 * lower-cased form norm[0, n): letters, digits as 0, single spaces between
 * words, nothing else, into out. Returns its length. */
static size_t learn_form(bp_char *cache, const char *norm, size_t n, char *out)
{
    const uint8_t *s = (const uint8_t *)norm;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        int32_t c;
        int k = bp_utf8_decode(s + i, n - i, &c);
        int cat = c < 0x80 ? -1 : char_props(cache, c)->cat;
        if ((c >= 'a' && c <= 'z') || (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO)) {
            memcpy(out + o, s + i, (size_t)k);
            o += (size_t)k;
        } else if ((c >= '0' && c <= '9') || cat == UTF8PROC_CATEGORY_ND) {
            out[o++] = '0';
        } else if (c == ' ' && o && out[o - 1] != ' ') {
            out[o++] = ' ';
        }
        i += (size_t)k;
    }
    while (o && out[o - 1] == ' ')
        o--;
    return o;
}

/* The counts of the line just measured into it. A count past the range
 * of its field wraps, as it would counted there. */
static void store_counts(const meter *m)
{
    bp_line *l = m->l;
    l->words = (uint16_t)m->words;
    l->caps = (uint16_t)m->caps;
    l->stop = (uint16_t)m->stop;
    l->cjk = (uint16_t)m->cjk;
    l->digits = (uint16_t)m->digits;
    l->symbols = (uint16_t)m->symbols;
    l->seps = (uint16_t)m->seps;
    l->trig = m->trig_bits;
    l->leads = m->leads;
}

/* Measure the line s[0, n); avail: the bytes readable from s, to the end
 * of the text. */
static void measure(bp_lines *ls, bp_line *l, const uint8_t *s, size_t n, size_t avail,
                    const bp_stopset *stop, const bp_triggers *trig, int want_lhash)
{
    char word[BP_WORD_MAX + 8];
    meter m = meter_zero; /* a copy, where zeroing would be a slow string instruction */
    m.stop_set = stop;
    m.trig = trig;
    m.chars = ls->chars;
    m.l = l;
    m.w_first = 1;
    m.norm = ls->scratch;
    m.word = word;
    size_t extra = 0; /* bytes past the first of multi-byte characters */
    for (size_t i = 0; i < n;) {
        if (ascii_letter(s[i])) {
            int after;
            i += ascii_letters(&m, s + i, n - i, avail - i, &after);
            /* the commonest pair: a word, then a space */
            if (i < n && (after < 0 ? s[i] : after) == ' ') {
                space(&m);
                i++;
            }
        } else if (s[i] == ' ') {
            space(&m);
            i++;
        } else if (s[i] < 0x80) {
            ascii_char(&m, s + i, n - i);
            i++;
        } else {
            int32_t c;
            int k = bp_utf8_decode(s + i, n - i, &c);
            if (c >= 0)
                m.leads |= BP_LEAD(s[i]);
            one_char(&m, c, s + i, n - i);
            i += (size_t)k;
            extra += (size_t)k - 1;
        }
    }
    l->chars = (uint32_t)(n - extra);
    word_end(&m);
    store_counts(&m);
    line_shape(&m, s, n);
    l->units = (float)l->words + (float)l->cjk / 2.0f;
    l->hash = XXH3_64bits(m.norm, m.nlen);
    if (want_lhash) {
        size_t k = learn_form(ls->chars, m.norm, m.nlen, ls->scratch + 4 * n + 8);
        l->lhash = k ? XXH3_64bits(ls->scratch + 4 * n + 8, k) | 1 : 0;
    }
    if (m.bad_utf8)
        l->flags |= BP_F_BADUTF8; /* no pattern matching on invalid UTF-8 */
}

/* Room for one more line, and scratch for a line of len bytes. */
static int reserve(bp_lines *ls, size_t len)
{
    if (ls->n == ls->cap) {
        size_t cap = ls->cap ? 2 * ls->cap : 256;
        bp_line *v = realloc(ls->v, cap * sizeof *v);
        if (!v)
            return SIFT_ENOMEM;
        ls->v = v;
        ls->cap = cap;
    }
    size_t need = 8 * len + 32; /* lower-casing may lengthen a character */
    if (need > ls->scratch_cap) {
        size_t cap = ls->scratch_cap ? ls->scratch_cap : 4096;
        while (cap < need)
            cap *= 2;
        char *p = realloc(ls->scratch, cap);
        if (!p)
            return SIFT_ENOMEM;
        ls->scratch = p;
        ls->scratch_cap = cap;
    }
    return 0;
}

/* Trim white space (ASCII, NBSP, zero-width space, BOM) off both ends. */
static void trim(const uint8_t *s, size_t *a, size_t *b)
{
    /* Most lines start and end with a byte none of that white space starts
     * (or ends) with: ASCII above the space. */
    if (*a < *b && s[*a] > ' ' && s[*a] < 0x80 && s[*b - 1] > ' ' && s[*b - 1] < 0x80)
        return;
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
    uint32_t lineno = 0, block = 0;
    int blank = 1;
    ls->n = 0;
    for (size_t a = 0; a <= len;) {
        const uint8_t *nl = memchr(s + a, '\n', len - a);
        size_t e = nl ? (size_t)(nl - s) : len;
        size_t b = e, a0 = a;
        lineno++;
        trim(s, &a0, &b);
        if (b > a0) {
            if (reserve(ls, b - a0) < 0)
                return SIFT_ENOMEM;
            if (blank)
                block++;
            blank = 0;
            bp_line *l = &ls->v[ls->n++];
            *l = line_zero; /* as in measure */
            l->off = (uint32_t)a0;
            l->len = (uint32_t)(b - a0);
            l->lineno = lineno;
            l->block = block;
            measure(ls, l, s + a0, b - a0, len - a0, stop, trig, want_lhash);
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
