/* words.c - split a document's text into words, lines and sentences, once, for every signal.
 *
 * One pass over the UTF-8 text classifies each code point (utf8proc) and
 * records: words (runs of letters, digits and marks, an apostrophe between
 * letters allowed; each character of a script written without spaces, such
 * as Han, kana or Thai, is a word of its own, so Japanese and Chinese texts
 * get a word count that means something), their lower-cased forms joined
 * by single spaces (so any run of words is one contiguous string: what a
 * shingle hashes), non-empty lines with their paragraph and end/start
 * marks, white-space tokens, and sentence starts. Invalid bytes (a text that
 * skipped the clean stage) count as symbols. It computes no signal itself.
 * The common cases skip the per-character path: a space, and a run of
 * ASCII letters and digits (a word or most of one), taken eight bytes at a
 * time, with the same effects step() would have.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
/* Inlined: the word hash runs once a word on a few bytes, where the call
 * and the length dispatch of the shared library cost more than the hash. */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "score.h"

enum { K_SPACE, K_WORD, K_CJK, K_MARK, K_APOS, K_TERM, K_OTHER };

typedef struct split {
    score_text *t;
    int in_word, word_cjk, after_term, in_token, tok_alpha, line_words;
    score_word *w; /* the open word */
} split;

static int is_cjk(int32_t cp)
{
    return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
           (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff) ||
           (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff66 && cp <= 0xff9f) ||
           (cp >= 0x20000 && cp <= 0x2ffff) || (cp >= 0x0e00 && cp <= 0x0eff) || /* Thai, Lao */
           (cp >= 0x1000 && cp <= 0x109f) || (cp >= 0x1780 && cp <= 0x17ff); /* Myanmar, Khmer */
}

static int classify(int32_t cp)
{
    if (cp < 0)
        return K_OTHER;
    if (cp < 0x80) {
        if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
            return K_WORD;
        if (cp >= '0' && cp <= '9')
            return K_WORD;
        if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\v' || cp == '\f')
            return K_SPACE;
        if (cp == '\'')
            return K_APOS;
        if (cp == '.' || cp == '!' || cp == '?')
            return K_TERM;
        return K_OTHER;
    }
    if (cp == 0x2019)
        return K_APOS;
    if (cp == 0x3002 || cp == 0xff01 || cp == 0xff1f || cp == 0xff61 || cp == 0x2026)
        return K_TERM;
    if (is_cjk(cp)) {
        utf8proc_category_t c = utf8proc_category(cp);
        return c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME ? K_MARK : K_CJK;
    }
    /* clang-format off */
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return K_WORD;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_CF:
        return K_MARK;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
        return K_SPACE;
    default:
        return K_OTHER;
    }
    /* clang-format on */
}

static int is_letter(int32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static int is_upper(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

/* Decode one code point at s (n > 0 bytes left); invalid bytes read as -1, length 1. */
static size_t decode(const char *s, size_t n, int32_t *cp)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    utf8proc_int32_t v;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &v);
    if (k <= 0) {
        *cp = -1;
        return 1;
    }
    *cp = v;
    return (size_t)k;
}

static void lower_put(score_text *t, int32_t cp)
{
    if (cp < 0x80) {
        t->lower[t->lower_len++] = (char)(cp >= 'A' && cp <= 'Z' ? cp | 0x20 : cp);
        return;
    }
    t->lower_len += (size_t)utf8proc_encode_char(utf8proc_tolower(cp),
                                                 (utf8proc_uint8_t *)t->lower + t->lower_len);
}

static void word_end(split *sp)
{
    if (!sp->in_word)
        return;
    score_text *t = sp->t;
    score_word *w = sp->w;
    w->llen = (uint32_t)(t->lower_len - w->loff);
    w->hash = XXH3_64bits(t->lower + w->loff, w->llen);
    if (w->nchars < 2)
        w->flags &= ~(uint32_t)SCORE_W_ALLCAPS;
    t->lower[t->lower_len++] = ' ';
    sp->in_word = 0;
}

static int word_begin(split *sp, size_t off, int cjk)
{
    score_text *t = sp->t;
    if (score_grow((void **)&t->words, &t->cap_words, t->n_words + 1, sizeof *t->words) < 0)
        return SIFT_ENOMEM;
    score_word *w = &t->words[t->n_words++];
    memset(w, 0, sizeof *w);
    w->off = (uint32_t)off;
    w->loff = (uint32_t)t->lower_len;
    if (sp->after_term || !sp->line_words)
        w->flags |= SCORE_W_SENT_START;
    if (t->n_words > 1) {
        const score_word *p = &t->words[t->n_words - 2];
        if (p->off + p->len == off)
            w->flags |= SCORE_W_GLUED;
    }
    if (cjk)
        w->flags |= SCORE_W_CJK | SCORE_W_ALPHA;
    sp->w = w;
    sp->in_word = 1;
    sp->word_cjk = cjk;
    sp->after_term = 0;
    sp->line_words++;
    return 0;
}

/* Add code point cp (n bytes at off) to the open word, starting one if needed. */
static int word_add(split *sp, int32_t cp, size_t off, size_t n, int cjk)
{
    if (sp->in_word && (cjk || sp->word_cjk))
        word_end(sp);
    if (!sp->in_word && word_begin(sp, off, cjk) < 0)
        return SIFT_ENOMEM;
    score_word *w = sp->w;
    if (w->nchars == 0 && is_upper(cp))
        w->flags |= SCORE_W_UPPER | SCORE_W_ALLCAPS;
    else if (is_letter(cp) && !is_upper(cp))
        w->flags &= ~(uint32_t)SCORE_W_ALLCAPS;
    if (is_letter(cp))
        w->flags |= SCORE_W_ALPHA;
    w->len = (uint32_t)(off + n - w->off);
    w->nchars++;
    lower_put(sp->t, cp);
    return 0;
}

/* Count white-space tokens; each CJK character opens a token of its own, and
 * punctuation after it stays in that token. */
static void token_note(split *sp, int k, int32_t cp)
{
    score_text *t = sp->t;
    if (k == K_SPACE || k == K_CJK) {
        if (sp->in_token) {
            t->n_tokens++;
            t->n_alpha_tokens += (size_t)sp->tok_alpha;
        }
        sp->in_token = k == K_CJK;
        sp->tok_alpha = k == K_CJK;
        return;
    }
    sp->in_token = 1;
    if (k == K_WORD && is_letter(cp))
        sp->tok_alpha = 1;
}

static int is_terminal(int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == '"' || cp == '\'' || cp == 0x201d ||
           cp == 0x2019 || cp == 0x3002 || cp == 0xff01 || cp == 0xff1f || cp == 0xff61;
}

static int is_bullet(int32_t cp)
{
    return cp == 0x2022 || cp == 0x2023 || cp == 0x25b6 || cp == 0x25cf || cp == 0x25e6 ||
           cp == 0x25aa || cp == '-' || cp == '*' || cp == 0xb7 || cp == 0x25ba || cp == 0x25a0;
}

/* Handle one code point of a line; returns bytes consumed or a negative code. */
static long step(split *sp, const char *s, size_t off, size_t end, int32_t *last, int *ellipsis)
{
    score_text *t = sp->t;
    int32_t cp;
    size_t n = decode(s + off, end - off, &cp);
    int k = classify(cp);
    t->nchars++;
    if (k == K_APOS && sp->in_word && !sp->word_cjk && off + n < end) {
        int32_t next;
        decode(s + off + n, end - off - n, &next);
        if (classify(next) == K_WORD && is_letter(next)) {
            sp->w->len += (uint32_t)n;
            sp->w->nchars++;
            t->lower[t->lower_len++] = '\'';
            return (long)n;
        }
    }
    if (k == K_MARK && sp->in_word) {
        sp->w->len += (uint32_t)n;
        sp->w->nchars++;
        lower_put(t, cp);
        return (long)n;
    }
    token_note(sp, k, cp);
    if (k != K_SPACE) {
        *last = cp;
        *ellipsis = 0;
    }
    if (k == K_WORD || k == K_CJK)
        return word_add(sp, cp, off, n, k == K_CJK) < 0 ? SIFT_ENOMEM : (long)n;
    word_end(sp);
    if (cp == '.' && off + 2 < end && s[off + 1] == '.' && s[off + 2] == '.') {
        t->n_ellipsis++;
        t->nchars += 2;
        *ellipsis = 1;
        sp->after_term = 1;
        return 3;
    }
    if (cp == 0x2026) {
        t->n_ellipsis++;
        *ellipsis = 1;
    }
    if (cp == '#')
        t->n_hash++;
    if (k == K_TERM) {
        int32_t next = ' ';
        if (off + n < end)
            decode(s + off + n, end - off - n, &next);
        int kn = classify(next);
        if (kn != K_WORD && kn != K_CJK)
            sp->after_term = 1;
    }
    return (long)n;
}

#define ONES (0x0101010101010101ull)
#define HIGH (0x80 * ONES)

/* Bit 7 set in each byte of x (8 bytes of text) from lo to hi, both ASCII. */
static uint64_t bytes_in(uint64_t x, uint8_t lo, uint8_t hi)
{
    uint64_t low7 = x & 0x7f * ONES;                 /* no carries between bytes below */
    uint64_t from = low7 + (0x80u - lo) * ONES;      /* bit 7: >= lo */
    uint64_t past = low7 + (0x80u - hi - 1u) * ONES; /* bit 7: > hi */
    return from & ~past & ~x & HIGH;
}

enum { LO = 1, UP = 2, DIG = 4 };

/* The run of ASCII letters and digits at s[0, avail), eight bytes at a
 * time, lower-cased into dst (which takes 8 bytes past the run); the kinds
 * seen (LO, UP, DIG) into *seen. Stops early, with *ended = 0, when fewer
 * than 8 bytes are left. Returns the run's length so far. */
static size_t ascii_run8(const char *s, size_t avail, char *dst, unsigned *seen, int *ended)
{
    size_t j = 0;
    *ended = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; avail - j >= 8; j += 8) {
        uint64_t x;
        memcpy(&x, s + j, 8);
        uint64_t lo = bytes_in(x, 'a', 'z'), up = bytes_in(x, 'A', 'Z');
        uint64_t other = ~(lo | up | bytes_in(x, '0', '9')) & HIGH;
        uint64_t run = other ? (other & (0 - other)) - 1 : ~0ull; /* the bytes before it */
        uint64_t lower = x | up >> 2;
        memcpy(dst + j, &lower, 8); /* the bytes past the run are written over later */
        *seen |= (lo & run ? LO : 0u) | (up & run ? UP : 0u);
        if (other) {
            *ended = 1;
            return j + ((size_t)__builtin_ctzll(other) >> 3);
        }
    }
#else
    (void)s, (void)avail, (void)dst, (void)seen;
#endif
    return j;
}

/* Extend the open Latin word by the run of ASCII letters and digits at
 * s[off..end); returns the bytes taken (0 if none, or no Latin word is open).
 * Most of a text is such runs: eight bytes go at a time, one unpredictable
 * branch a word instead of one a letter. The byte after a line is a line
 * break, no letter, so reading on to the end of the text (t->len) never
 * runs past end. */
static size_t extend_ascii(split *sp, const char *s, size_t off, size_t end)
{
    /* clang-format off */
    static const unsigned char kind[256] = {
        ['0'] = DIG, ['1'] = DIG, ['2'] = DIG, ['3'] = DIG, ['4'] = DIG, ['5'] = DIG,
        ['6'] = DIG, ['7'] = DIG, ['8'] = DIG, ['9'] = DIG,
        ['a'] = LO, ['b'] = LO, ['c'] = LO, ['d'] = LO, ['e'] = LO, ['f'] = LO, ['g'] = LO,
        ['h'] = LO, ['i'] = LO, ['j'] = LO, ['k'] = LO, ['l'] = LO, ['m'] = LO, ['n'] = LO,
        ['o'] = LO, ['p'] = LO, ['q'] = LO, ['r'] = LO, ['s'] = LO, ['t'] = LO, ['u'] = LO,
        ['v'] = LO, ['w'] = LO, ['x'] = LO, ['y'] = LO, ['z'] = LO,
        ['A'] = UP, ['B'] = UP, ['C'] = UP, ['D'] = UP, ['E'] = UP, ['F'] = UP, ['G'] = UP,
        ['H'] = UP, ['I'] = UP, ['J'] = UP, ['K'] = UP, ['L'] = UP, ['M'] = UP, ['N'] = UP,
        ['O'] = UP, ['P'] = UP, ['Q'] = UP, ['R'] = UP, ['S'] = UP, ['T'] = UP, ['U'] = UP,
        ['V'] = UP, ['W'] = UP, ['X'] = UP, ['Y'] = UP, ['Z'] = UP};
    /* clang-format on */
    if (!sp->in_word || sp->word_cjk)
        return 0;
    score_text *t = sp->t;
    char *dst = t->lower + t->lower_len;
    unsigned seen = 0;
    int ended;
    size_t i = off + ascii_run8(s + off, t->len - off, dst, &seen, &ended);
    for (unsigned k; !ended && i < end && (k = kind[(unsigned char)s[i]]); i++) {
        seen |= k;
        dst[i - off] = (char)(s[i] | (k == UP ? 0x20 : 0));
    }
    size_t n = i - off;
    score_word *w = sp->w;
    if (seen & LO)
        w->flags &= ~(uint32_t)SCORE_W_ALLCAPS;
    if (seen & (LO | UP)) {
        w->flags |= SCORE_W_ALPHA;
        sp->tok_alpha = 1;
    }
    t->lower_len += n;
    w->len += (uint32_t)n;
    w->nchars += (uint32_t)n;
    t->nchars += n;
    return n;
}

/* An ASCII space, as step() takes one: it ends the token and the word. */
static void ascii_space(split *sp)
{
    sp->t->nchars++;
    token_note(sp, K_SPACE, ' ');
    word_end(sp);
}

/* An ASCII letter or digit at s[off] outside a word starts one, as step()
 * and word_add() would, and the run it starts is taken whole. Returns the
 * bytes taken, or a negative code. */
static long ascii_word(split *sp, const char *s, size_t off, size_t end)
{
    if (word_begin(sp, off, 0) < 0)
        return SIFT_ENOMEM;
    if (s[off] >= 'A' && s[off] <= 'Z')
        sp->w->flags |= SCORE_W_UPPER | SCORE_W_ALLCAPS;
    sp->in_token = 1;
    return (long)extend_ascii(sp, s, off, end);
}

static int ascii_alnum(char c)
{
    return (unsigned)((c | 32) - 'a') < 26u || (unsigned)(c - '0') < 10u;
}

static int split_line(split *sp, size_t ls, size_t le, uint32_t para)
{
    score_text *t = sp->t;
    if (score_grow((void **)&t->lines, &t->cap_lines, t->n_lines + 1, sizeof *t->lines) < 0)
        return SIFT_ENOMEM;
    score_line *ln = &t->lines[t->n_lines];
    memset(ln, 0, sizeof *ln);
    ln->off = (uint32_t)ls;
    ln->len = (uint32_t)(le - ls);
    ln->para = para;
    ln->w_begin = (uint32_t)t->n_words;
    size_t c0 = t->nchars;
    int32_t first = -2, last = -2;
    int ellipsis = 0;
    sp->line_words = 0;
    for (size_t off = ls; off < le;) {
        const char *s = t->text;
        size_t run = extend_ascii(sp, s, off, le); /* the common cases, in one go */
        if (run) {
            off += run;
            last = (unsigned char)s[off - 1];
            ellipsis = 0;
            continue;
        }
        if (s[off] == ' ') {
            ascii_space(sp);
            off++;
            continue;
        }
        long n;
        if (!sp->in_word && ascii_alnum(s[off])) {
            if ((n = ascii_word(sp, s, off, le)) < 0)
                return (int)n;
            first = first == -2 ? (unsigned char)s[off] : first;
            last = (unsigned char)s[off + (size_t)n - 1];
            ellipsis = 0;
        } else if ((n = step(sp, s, off, le, &last, &ellipsis)) < 0) {
            return (int)n;
        }
        if (first == -2 && last != -2)
            first = last;
        off += (size_t)n;
    }
    word_end(sp);
    token_note(sp, K_SPACE, ' ');
    ln->w_end = (uint32_t)t->n_words;
    ln->nchars = (uint32_t)(t->nchars - c0);
    ln->flags = (is_terminal(last) ? SCORE_L_TERMINAL : 0) |
                (is_terminal(last) || ellipsis ? SCORE_L_PUNCT : 0) |
                (is_bullet(first) ? SCORE_L_BULLET : 0) | (ellipsis ? SCORE_L_ELLIPSIS : 0);
    t->n_lines++;
    return 0;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

int score_text_split(score_text *t, const char *text, size_t len)
{
    t->text = text;
    t->len = len;
    t->nchars = t->n_tokens = t->n_alpha_tokens = t->n_hash = t->n_ellipsis = 0;
    t->n_words = t->n_lines = t->lower_len = 0;
    if (score_grow((void **)&t->lower, &t->cap_lower, 2 * len + 16, 1) < 0)
        return SIFT_ENOMEM;
    split sp = {.t = t, .after_term = 1};
    uint32_t para = 0;
    int gap = 0;
    for (size_t ls = 0; ls < len;) {
        const char *nl = memchr(text + ls, '\n', len - ls);
        size_t le = nl ? (size_t)(nl - text) : len;
        if (blank(text + ls, le - ls)) {
            gap = 1;
        } else {
            if (gap && t->n_lines)
                para++;
            gap = 0;
            int rc = split_line(&sp, ls, le, para);
            if (rc < 0)
                return rc;
        }
        t->nchars += nl ? 1 : 0;
        ls = le + 1;
    }
    return 0;
}

void score_text_fini(score_text *t)
{
    free(t->words);
    free(t->lines);
    free(t->lower);
    free(t->ghash);
    free(t->gmark);
    free(t->gpos);
    free(t->shingles);
    free(t->lhash);
    memset(t, 0, sizeof *t);
}
