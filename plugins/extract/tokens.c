/* tokens.c - split a page's lines into word tokens once, for every finder that counts words.
 *
 * A token is a run of letters, digits and combining marks, with an inner
 * apostrophe, hyphen or period kept when a letter or digit follows
 * ("don't", "Al-Qaeda", "U.S"); text in a script written without spaces
 * gives one token per run of Han, Katakana or Hiragana. Each token records
 * its place, size, case and script, and what stands between it and the
 * previous token (one space, or anything else, or a sentence mark). ASCII
 * goes through a table a byte; other text is decoded. Entities, keywords,
 * counts and the page's word counts read these tokens; the date parser,
 * which needs punctuation too, has its own (dateparse.c).
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

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

static int is_mark(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC;
}

/* Letter, digit or mark at s[i] (decoded into *cp, *next); 0 when not. */
static int word_char_at(const char *s, size_t n, size_t i, int32_t *cp, size_t *next)
{
    unsigned char c = (unsigned char)s[i];
    *next = i;
    if (c < 0x80) {
        *cp = c;
        (*next)++;
        return (sift_ascii[c] & SIFT_C_ALNUM) != 0;
    }
    *cp = sift_utf8_next_multi(s, n, next);
    return sift_utf8_is_letter(*cp) || is_mark(*cp);
}

static int push_page(void *ctx, const sift_tok *t)
{
    sift_page *p = ctx;
    if (p->n_toks == p->cap_toks) {
        size_t nc = p->cap_toks ? p->cap_toks * 2 : 1024;
        sift_tok *nt = realloc(p->toks, nc * sizeof *nt);
        if (!nt)
            return SIFT_ENOMEM;
        p->toks = nt;
        p->cap_toks = nc;
    }
    p->toks[p->n_toks++] = *t;
    return SIFT_OK;
}

/* Scan one token starting at s[*i] (a word character of script kind). */
static void scan_token(const char *s, size_t n, size_t *i, int kind, sift_tok *t)
{
    size_t e = *i, cps = 0, digits = 0, uppers = 0;
    unsigned acc = 0; /* SIFT_C_* classes seen, ORed */
    while (e < n) {
        unsigned char c = (unsigned char)s[e];
        if (c < 0x80 && kind == SIFT_K_SPACED) { /* the common case, without decoding */
            unsigned char cl = sift_ascii[c];
            if (cl & SIFT_C_ALNUM) {
                acc |= cl;
                digits += (cl >> 2) & 1; /* SIFT_C_DIGIT */
                uppers += (cl >> 1) & 1; /* SIFT_C_UPPER */
                e++, cps++;
                continue;
            }
        }
        int32_t cp;
        size_t nx;
        if (word_char_at(s, n, e, &cp, &nx)) {
            if (script_kind(cp) != kind && !is_mark(cp))
                break;
            acc |= sift_utf8_is_lower(cp) ? SIFT_C_LOWER : 0;
            uppers += sift_utf8_is_upper(cp) != 0;
            digits += sift_utf8_is_digit(cp) != 0;
            e = nx, cps++;
            continue;
        }
        int32_t c2;
        size_t nn;
        if (kind != SIFT_K_SPACED || (cp != '\'' && cp != 0x2019 && cp != '-' && cp != '.') ||
            nx >= n || !word_char_at(s, n, nx, &c2, &nn) || script_kind(c2) != kind)
            break;
        e = nx, cps++; /* an inner joiner */
    }
    t->len = (uint16_t)(e - *i > 0xFFFF ? 0xFFFF : e - *i);
    t->cps = (uint16_t)(cps > 0xFFFF ? 0xFFFF : cps);
    t->kind = (uint8_t)kind;
    t->flags |= (uint8_t)((digits ? SIFT_TOK_DIGITS : 0) |
                          (uppers >= 2 && !(acc & SIFT_C_LOWER) ? SIFT_TOK_ALLCAPS : 0) |
                          (digits * 2 >= cps - digits ? SIFT_TOK_NUMERIC : 0));
    *i = e;
}

/* A sentence mark: . ! ? : and the CJK full stop, exclamation and question marks. */
static int sentence_mark(int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == ':' || cp == 0x3002 || cp == 0xFF01 ||
           cp == 0xFF1F;
}

int sift_tokens_scan(const char *s, size_t n, size_t base, sift_tok_fn fn, void *ctx)
{
    size_t i = 0;
    int before = SIFT_GAP_START, sent = 1;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        int32_t cp = c;
        size_t nx = i + 1;
        int is_word =
            c < 0x80 ? (sift_ascii[c] & SIFT_C_ALNUM) != 0 : word_char_at(s, n, i, &cp, &nx);
        if (!is_word) {
            sent |= sentence_mark(cp);
            if (before != SIFT_GAP_START)
                before = cp == ' ' && before == SIFT_GAP_NONE ? SIFT_GAP_SPACE : SIFT_GAP_OTHER;
            i = nx;
            continue;
        }
        sift_tok t = {
            .off = (uint32_t)(base + i), .before = (uint8_t)before, .sent = (uint8_t)sent};
        int kind = SIFT_K_SPACED;
        if (c < 0x80) {
            t.flags = (sift_ascii[c] & SIFT_C_UPPER) ? SIFT_TOK_CAP : 0;
        } else {
            t.flags = sift_utf8_is_upper(cp) ? SIFT_TOK_CAP : 0;
            kind = is_mark(cp) ? SIFT_K_SPACED : script_kind(cp);
        }
        scan_token(s, n, &i, kind, &t);
        int rc = fn(ctx, &t);
        if (rc < 0)
            return rc;
        before = SIFT_GAP_NONE;
        sent = 0;
    }
    return SIFT_OK;
}

int sift_tokens_build(sift_page *p)
{
    p->n_toks = 0;
    for (size_t i = 0; i < p->n_lines; i++) {
        sift_pline *l = &p->lines[i];
        l->tok_b = (uint32_t)p->n_toks;
        int rc = sift_tokens_scan(l->s, l->n, (size_t)(l->s - p->text), push_page, p);
        if (rc < 0)
            return rc;
        l->tok_e = (uint32_t)p->n_toks;
        int w = 0;
        for (uint32_t k = l->tok_b; k < l->tok_e; k++)
            w += p->toks[k].kind == SIFT_K_SPACED ? 1 : p->toks[k].cps;
        l->words = w;
    }
    return SIFT_OK;
}
