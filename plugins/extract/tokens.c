/* tokens.c - split a page's lines into word tokens once, for every finder that counts words.
 *
 * A token is a run of letters, digits and combining marks, with an inner
 * apostrophe, hyphen or period kept when a letter or digit follows
 * ("don't", "Al-Qaeda", "U.S"); text in a script written without spaces
 * gives one token per run of Han, Katakana or Hiragana. Each token records
 * its place, size, case and script, and what stands between it and the
 * previous token (one space, or anything else, or a sentence mark), and
 * what later finders would otherwise scan the token again for: an inner
 * period, an ASCII lower-case form, a sentence-mark candidate in the gap.
 * Runs of ASCII letters and digits are read eight bytes at a time (a
 * token of them ended by a space or comma, most of them, skips the general
 * scan); other text is decoded. Entities, keywords, counts and the page's
 * word counts read these tokens; the date parser, which needs punctuation
 * too, has its own (dateparse.c).
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"

/* The script kind of a letter: SIFT_K_SPACED, _HAN, _KANA, _OTHER_CJK. */
static int script_kind(int32_t cp)
{
    if (cp < 0x1100 || !sift_utf8_is_cjk(cp) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
        (cp >= 0x1100 && cp <= 0x11FF))
        return SIFT_K_SPACED; /* Hangul is written with spaces */
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
        (cp >= 0xF900 && cp <= 0xFAFF))
        return SIFT_K_HAN;
    if ((cp >= 0x30A0 && cp <= 0x30FF) || (cp >= 0xFF66 && cp <= 0xFF9F))
        return SIFT_K_KANA;
    return SIFT_K_OTHER_CJK;
}

/* Letter, digit or mark at s[i]: decoded into *cp and *next, with its
 * SIFT_U_* class in *uc (0 for ASCII, which sift_ascii classes); 0 when
 * not. */
static int word_char_at(const char *s, size_t n, size_t i, int32_t *cp, size_t *next,
                        unsigned *uc)
{
    unsigned char c = (unsigned char)s[i];
    *next = i;
    *uc = 0;
    if (c < 0x80) {
        *cp = c;
        (*next)++;
        return (sift_ascii[c] & SIFT_C_ALNUM) != 0;
    }
    *cp = sift_utf8_next_multi(s, n, next);
    *uc = sift_utf8_class_multi(*cp);
    return (*uc & (SIFT_U_LETTER | SIFT_U_MARK)) != 0;
}

/* Digits and upper-case letters in the token s[0..n), for the flags of
 * the few tokens that need the counts (numbers, words in capitals). */
static void count_case(const char *s, size_t n, size_t *digits, size_t *uppers)
{
    *digits = *uppers = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            *digits += (sift_ascii[c] & SIFT_C_DIGIT) != 0;
            *uppers += (sift_ascii[c] & SIFT_C_UPPER) != 0;
            i++;
        } else {
            *uppers += sift_utf8_is_upper(sift_utf8_next_multi(s, n, &i)) != 0;
        }
    }
}

enum { ACC_WIDE = 0x100, ACC_DOT = 0x200 }; /* beside SIFT_C_*: past ASCII, an inner period */

/* Size, script and flags of the token s[b..e): cps code points whose
 * classes acc ORs. Digits and capitals are counted only for the few
 * tokens whose flags need the counts (numbers, words in capitals). */
static inline void finish(sift_tok *t, const char *s, size_t b, size_t e, size_t cps, unsigned acc,
                   int kind)
{
    size_t digits = 0, uppers = 0;
    if ((acc & SIFT_C_DIGIT) || ((acc & SIFT_C_UPPER) && !(acc & SIFT_C_LOWER)))
        count_case(s + b, e - b, &digits, &uppers);
    t->len = (uint16_t)(e - b > 0xFFFF ? 0xFFFF : e - b);
    t->cps = (uint16_t)(cps > 0xFFFF ? 0xFFFF : cps);
    t->kind = (uint8_t)kind;
    t->flags |= (uint8_t)((digits ? SIFT_TOK_DIGITS : 0) |
                          (uppers >= 2 && !(acc & SIFT_C_LOWER) ? SIFT_TOK_ALLCAPS : 0) |
                          (digits && digits * 2 >= cps - digits ? SIFT_TOK_NUMERIC : 0) |
                          (acc & ACC_DOT ? SIFT_TOK_DOT : 0) |
                          (!(acc & (ACC_WIDE | SIFT_C_UPPER)) ? SIFT_TOK_LOWER : 0));
}

/* The end of the run of ASCII letters and digits from s[e], ORing the
 * SIFT_C_* classes it holds into *acc. Eight bytes a step: runs are words,
 * and a byte at a time each costs a table lookup and a branch. */
static inline size_t ascii_run(const char *s, size_t n, size_t e, unsigned *acc)
{
#if SIFT_SWAR
    for (; e + 8 <= n; e += 8) {
        uint64_t x;
        memcpy(&x, s + e, 8);
        uint64_t lo = sift_bytes_in_range(x, 'a', 'z'), up = sift_bytes_in_range(x, 'A', 'Z');
        uint64_t dg = sift_bytes_in_range(x, '0', '9'), stop = ~(lo | up | dg) & SIFT_HIGH8;
        uint64_t in = stop ? (stop & -stop) - 1 : ~0ull; /* bytes before the first stop */
        *acc |= (lo & in ? SIFT_C_LOWER : 0u) | (up & in ? SIFT_C_UPPER : 0u) |
                (dg & in ? SIFT_C_DIGIT : 0u);
        if (stop)
            return e + ((size_t)__builtin_ctzll(stop) >> 3);
    }
#endif
    unsigned cl;
    while (e < n && ((cl = sift_ascii[(unsigned char)s[e]]) & SIFT_C_ALNUM)) {
        *acc |= cl;
        e++;
    }
    return e;
}

/* Scan one token starting at s[i] (a word character of script kind),
 * whatever it holds: joiners, letters past ASCII, marks, CJK. Returns
 * where it ends. */
static size_t scan_token(const char *s, size_t n, size_t i, int kind, sift_tok *t)
{
    size_t e = i, cps = 0;
    unsigned acc = 0; /* SIFT_C_* classes seen, ORed; SIFT_C_UPPER for any capital */
    while (e < n) {
        if (kind == SIFT_K_SPACED && (unsigned char)s[e] < 0x80) { /* ASCII runs, undecoded */
            size_t b = e;
            e = ascii_run(s, n, e, &acc);
            cps += e - b;
            if (e == n)
                break;
        }
        int32_t cp;
        size_t nx;
        unsigned uc;
        if (word_char_at(s, n, e, &cp, &nx, &uc)) {
            if (script_kind(cp) != kind && !(uc & SIFT_U_MARK))
                break;
            acc |= (uc & SIFT_U_LOWER ? SIFT_C_LOWER : 0) | (uc & SIFT_U_UPPER ? SIFT_C_UPPER : 0) |
                   (cp >= 0x80 ? ACC_WIDE : 0);
            e = nx, cps++;
            continue;
        }
        int32_t c2;
        size_t nn;
        if (kind != SIFT_K_SPACED || (cp != '\'' && cp != 0x2019 && cp != '-' && cp != '.') ||
            nx >= n || !word_char_at(s, n, nx, &c2, &nn, &uc) || script_kind(c2) != kind)
            break;
        /* a period past the 0xFFFF bytes a token's len keeps is not "inside" it */
        acc |= (cp == 0x2019 ? ACC_WIDE : 0) | (cp == '.' && e - i < 0xFFFF ? ACC_DOT : 0);
        e = nx, cps++; /* an inner joiner */
    }
    finish(t, s, i, e, cps, acc, kind);
    return e;
}

/* A sentence mark: . ! ? : and the CJK full stop, exclamation and question marks. */
static int sentence_mark(int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == ':' || cp == 0x3002 || cp == 0xFF01 ||
           cp == 0xFF1F;
}

/* A tokeniser in the middle of s[0..n); base is added to offsets. */
typedef struct cursor {
    const char *s;
    size_t n, i, base;
    int before, sent;
    int marks; /* the gap holds . ! ? or a byte from 0xE2 up (SIFT_TOK_GAP_MARK) */
} cursor;

static cursor cursor_at(const char *s, size_t n, size_t base)
{
    return (cursor){.s = s, .n = n, .base = base, .before = SIFT_GAP_START, .sent = 1};
}

/* Does a run of ASCII letters and digits stopped by s[e] (no letter or
 * digit itself) end its token there? It does before an ASCII byte that
 * cannot join (a space, a comma); before a joiner (' - .) that no ASCII
 * letter or digit follows ("end." and "well-" then a space, most joiners
 * after a word); and before U+2000-U+203F but the joiner U+2019 (E2 80
 * xx: closing quotes, dashes), which is no word character and joins
 * nothing. scan_token decides the rest: it would find the same end for
 * these, after reading the run again and decoding what follows. */
static inline int ascii_token_ends(const char *s, size_t n, size_t e)
{
    unsigned char c = (unsigned char)s[e];
    if (c == '\'' || c == '-' || c == '.') {
        unsigned char next = e + 1 < n ? (unsigned char)s[e + 1] : ' ';
        return next < 0x80 && !(sift_ascii[next] & SIFT_C_ALNUM);
    }
    if (c == 0xE2)
        return e + 1 < n && (unsigned char)s[e + 1] == 0x80 &&
               (e + 2 >= n || (unsigned char)s[e + 2] != 0x99);
    return c < 0x80;
}

/* A token starting with an ASCII letter or digit at c->i. Most are ASCII
 * to the end: a run of letters and digits that ends its token (above) is
 * finished here without the general scan (which reads the rest again). */
static inline void scan_ascii(cursor *c, sift_tok *t)
{
    const char *s = c->s;
    size_t b = c->i;
    unsigned acc = sift_ascii[(unsigned char)s[b]];
    size_t e = ascii_run(s, c->n, b + 1, &acc);
    if (e < c->n && !ascii_token_ends(s, c->n, e)) {
        c->i = scan_token(s, c->n, b, SIFT_K_SPACED, t);
        return;
    }
    finish(t, s, b, e, e - b, acc, SIFT_K_SPACED);
    c->i = e;
}

/* What stands in a gap before the next token: the cursor's before, sent
 * and marks, kept in locals while the gap is read (next_token is not
 * always inlined, and through the cursor each would be a load and a store
 * a byte). */
typedef struct gap {
    int before, sent, marks;
} gap;

/* Take in the gap byte or code point cp (first byte ch). */
static inline void gap_add(gap *g, unsigned char ch, int32_t cp)
{
    unsigned cl = ch < 0x80 ? sift_ascii[ch] : 0;
    g->sent |= ch < 0x80 ? (cl & SIFT_C_TERM) || ch == ':' : sentence_mark(cp);
    g->marks |= (cl & SIFT_C_TERM) || ch >= 0xE2;
    if (g->before != SIFT_GAP_START)
        g->before = cp == ' ' && g->before == SIFT_GAP_NONE ? SIFT_GAP_SPACE : SIFT_GAP_OTHER;
}

/* The next token into *t; 0 at the end of the text. Inline in both
 * loops below, so building the page's tokens costs no call a token. */
static inline int next_token(cursor *c, sift_tok *t)
{
    const char *s = c->s;
    size_t i = c->i, n = c->n;
    gap g = {.before = c->before, .sent = c->sent, .marks = c->marks};
    while (i < n) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80 && !(sift_ascii[ch] & SIFT_C_ALNUM)) { /* most of any gap: a space, a comma */
            gap_add(&g, ch, ch);
            i++;
            continue;
        }
        int32_t cp = ch;
        size_t nx = i + 1;
        unsigned uc = 0;
        if (ch >= 0x80 && !word_char_at(s, n, i, &cp, &nx, &uc)) {
            gap_add(&g, ch, cp);
            i = nx;
            continue;
        }
        *t = (sift_tok){.off = (uint32_t)(c->base + i),
                        .before = (uint8_t)g.before,
                        .sent = (uint8_t)g.sent};
        int gm = g.marks ? SIFT_TOK_GAP_MARK : 0;
        c->i = i;
        if (ch < 0x80) {
            t->flags = (uint8_t)(gm | ((sift_ascii[ch] & SIFT_C_UPPER) ? SIFT_TOK_CAP : 0));
            scan_ascii(c, t);
        } else {
            t->flags = (uint8_t)(gm | ((uc & SIFT_U_UPPER) ? SIFT_TOK_CAP : 0));
            int kind = (uc & SIFT_U_MARK) ? SIFT_K_SPACED : script_kind(cp);
            c->i = scan_token(s, n, i, kind, t);
        }
        c->before = SIFT_GAP_NONE;
        c->sent = c->marks = 0;
        return 1;
    }
    c->i = i;
    c->before = g.before;
    c->sent = g.sent;
    c->marks = g.marks;
    return 0;
}

int sift_tokens_scan(const char *s, size_t n, size_t base, sift_tok_fn fn, void *ctx)
{
    cursor c = cursor_at(s, n, base);
    sift_tok t;
    while (next_token(&c, &t)) {
        int rc = fn(ctx, &t);
        if (rc < 0)
            return rc;
    }
    return SIFT_OK;
}

int sift_tokens_build(sift_page *p)
{
    p->n_toks = 0;
    for (size_t i = 0; i < p->n_lines; i++) {
        sift_pline *l = &p->lines[i];
        l->tok_b = (uint32_t)p->n_toks;
        cursor c = cursor_at(l->s, l->n, (size_t)(l->s - p->text));
        int w = 0;
        for (;;) {
            if (sift_grow_items((void **)&p->toks, &p->cap_toks, p->n_toks + 1, sizeof *p->toks,
                                1024) < 0)
                return SIFT_ENOMEM;
            sift_tok *t = &p->toks[p->n_toks];
            if (!next_token(&c, t))
                break;
            w += t->kind == SIFT_K_SPACED ? 1 : t->cps;
            p->n_toks++;
        }
        l->tok_e = (uint32_t)p->n_toks;
        l->words = w;
    }
    return SIFT_OK;
}
