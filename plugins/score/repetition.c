/* repetition.c - Gopher repetition signals: repeated lines, paragraphs and word n-grams.
 *
 * The signals of Rae et al. 2021 (Gopher, table A1), computed as
 * datatrove's GopherRepetitionFilter does, over the split text (words.c):
 * the share of non-empty lines and of paragraphs that repeat an earlier
 * one, by count and by characters; for n = 2..4 the characters covered by
 * the most frequent n-gram (0 unless it occurs at least twice); for n =
 * 5..10 the characters of all repeated n-grams, scanning left to right and
 * skipping a repeated n-gram's words. Character fractions are of all the
 * text's code points. N-grams are identified by a 64-bit hash built from
 * the words' hashes, never by comparing strings; only positions whose
 * shorter n-gram repeats are counted for the next n (an n-gram with a
 * unique prefix is unique), so the longer passes cost almost nothing. Thresholds and the
 * combined score live in quality.c.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
/* Inlined: one hash a line, mostly short ones (see words.c). */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "score.h"

static uint64_t combine(uint64_t g, uint64_t w)
{
    g = (g << 23) | (g >> 41);
    return (g ^ w) * 0x9e3779b97f4a7c15ull;
}

/* Duplicate lines (by = 0) or paragraphs (by = 1): fills count and char
 * fractions. lhash: the hash of each line's text. */
static int dup_units(const score_text *t, const uint64_t *lhash, score_hmap *m, int by_para,
                     double *frac, double *char_frac, size_t *chars_out)
{
    size_t units = 0, dups = 0, dup_chars = 0;
    if (score_hmap_reset(m, t->n_lines) < 0)
        return SIFT_ENOMEM;
    for (size_t i = 0; i < t->n_lines;) {
        const score_line *ln = &t->lines[i];
        uint64_t h = lhash[i];
        size_t chars = ln->nchars, j = i + 1;
        for (; by_para && j < t->n_lines && t->lines[j].para == ln->para; j++) {
            h = combine(h, lhash[j]);
            chars += t->lines[j].nchars + 1;
        }
        uint64_t *v;
        int is_new;
        if (score_hmap_put(m, h, &v, &is_new) < 0)
            return SIFT_ENOMEM;
        if (!is_new) {
            dups++;
            dup_chars += chars;
        }
        units++;
        i = j;
    }
    *frac = units ? (double)dups / (double)units : 0.0;
    *char_frac = t->nchars ? (double)dup_chars / (double)t->nchars : 0.0;
    *chars_out = dup_chars;
    return 0;
}

static size_t gram_chars(const score_text *t, size_t i, size_t n)
{
    size_t c = 0;
    for (size_t k = i; k < i + n; k++)
        c += t->words[k].nchars;
    return c;
}

/* Count the n-grams starting at the np positions in t->gpos (a position
 * whose (n-1)-gram is unique starts a unique n-gram, so earlier rounds
 * dropped it); keep only positions whose n-gram occurs twice or more. With top, the share of
 * characters the most frequent n-gram covers (with spaces; 0 if none repeats). Returns the
 * positions kept, or a negative code. */
static long count_grams(score_text *t, score_hmap *m, size_t n, size_t np, double *top)
{
    uint64_t best = 0, best_at = 0;
    uint8_t *rep = t->gmark;
    uint32_t *pos = t->gpos;
    if (score_hmap_reset(m, np) < 0)
        return SIFT_ENOMEM;
    for (size_t k = 0; k < np; k++) {
        uint64_t *v;
        int is_new;
        if (score_hmap_put(m, t->ghash[pos[k]], &v, &is_new) < 0)
            return SIFT_ENOMEM;
        *v = (is_new ? (uint64_t)pos[k] : *v) + (1ull << 32);
        if (!is_new) { /* a repeat: flag it and the first occurrence */
            rep[pos[k]] = 1;
            rep[*v & 0xffffffffu] = 1;
        }
        if ((*v >> 32) > best) {
            best = *v >> 32;
            best_at = *v & 0xffffffffu;
        }
    }
    size_t kept = 0;
    for (size_t k = 0; k < np; k++) {
        uint32_t i = pos[k];
        if (rep[i])
            pos[kept++] = i;
        rep[i] = 0;
    }
    if (top) {
        size_t chars = gram_chars(t, (size_t)best_at, n) + n - 1;
        *top = best >= 2 && t->nchars ? (double)(chars * best) / (double)t->nchars : 0.0;
    }
    return (long)kept;
}

/* Characters of repeated n-grams, datatrove's greedy scan (left to right; a
 * repeat adds its letters and skips its words). Only the np positions in
 * t->gpos (their n-gram occurs twice or more) can repeat or be repeated. */
static int dup_gram(const score_text *t, score_hmap *m, size_t n, size_t np, double *frac)
{
    size_t chars = 0, resume = 0;
    if (score_hmap_reset(m, np) < 0)
        return SIFT_ENOMEM;
    for (size_t k = 0; k < np; k++) {
        uint32_t i = t->gpos[k];
        uint64_t *v;
        int is_new;
        if (i < resume)
            continue;
        if (score_hmap_put(m, t->ghash[i], &v, &is_new) < 0)
            return SIFT_ENOMEM;
        if (!is_new) {
            chars += gram_chars(t, i, n);
            resume = i + n;
        }
    }
    *frac = t->nchars ? (double)chars / (double)t->nchars : 0.0;
    return 0;
}

/* Three arrays, one cap: it moves only once all three have grown. */
static int gram_scratch(score_text *t)
{
    size_t cap_g = t->cap_ghash, cap_k = t->cap_ghash;
    if (score_grow((void **)&t->ghash, &cap_g, t->n_words, sizeof *t->ghash) < 0 ||
        score_grow((void **)&t->gmark, &cap_k, t->n_words, sizeof *t->gmark) < 0 ||
        score_grow((void **)&t->gpos, &t->cap_ghash, t->n_words, sizeof *t->gpos) < 0)
        return SIFT_ENOMEM;
    return 0;
}

static int gram_signals(score_text *t, score_hmap *m, score_repetition *r)
{
    if (gram_scratch(t) < 0)
        return SIFT_ENOMEM;
    size_t np = t->n_words > 0 ? t->n_words - 1 : 0; /* positions that start a 2-gram */
    for (size_t i = 0; i < t->n_words; i++) {
        t->ghash[i] = t->words[i].hash;
        t->gmark[i] = 0;
        t->gpos[i] = (uint32_t)i;
    }
    for (size_t n = 2; n <= 10 && np > 0; n++) {
        for (size_t k = 0; k < np; k++)
            t->ghash[t->gpos[k]] = combine(t->ghash[t->gpos[k]], t->words[t->gpos[k] + n - 1].hash);
        long kept = count_grams(t, m, n, np, n <= 4 ? &r->top_gram_frac[n - 2] : NULL);
        if (kept < 0)
            return (int)kept;
        if (n >= 5 && dup_gram(t, m, n, (size_t)kept, &r->dup_gram_frac[n - 5]) < 0)
            return SIFT_ENOMEM;
        for (np = 0; np < (size_t)kept && t->gpos[np] + n + 1 <= t->n_words; np++)
            ; /* positions ascend: those left can still start an (n+1)-gram */
    }
    return 0;
}

/* The hash of every line's text into t->lhash: lines and paragraphs both need them. */
static int line_hashes(score_text *t)
{
    if (score_grow((void **)&t->lhash, &t->cap_lhash, t->n_lines, sizeof *t->lhash) < 0)
        return SIFT_ENOMEM;
    for (size_t i = 0; i < t->n_lines; i++)
        t->lhash[i] = XXH3_64bits(t->text + t->lines[i].off, t->lines[i].len);
    return 0;
}

int score_repetition_compute(score_text *t, score_hmap *m, score_repetition *r)
{
    size_t para_chars;
    *r = (score_repetition){0};
    int rc = line_hashes(t);
    if (rc == 0)
        rc = dup_units(t, t->lhash, m, 0, &r->dup_line_frac, &r->dup_line_char_frac,
                       &r->dup_line_chars);
    if (rc == 0)
        rc = dup_units(t, t->lhash, m, 1, &r->dup_para_frac, &r->dup_para_char_frac,
                       &para_chars);
    if (rc == 0)
        rc = gram_signals(t, m, r);
    return rc;
}

void score_repetition_report(const score_repetition *r, score_out *o)
{
    static const char *const top[] = {"gopher.top_2gram_frac", "gopher.top_3gram_frac",
                                      "gopher.top_4gram_frac"};
    static const char *const dup[] = {"gopher.dup_5gram_frac", "gopher.dup_6gram_frac",
                                      "gopher.dup_7gram_frac", "gopher.dup_8gram_frac",
                                      "gopher.dup_9gram_frac", "gopher.dup_10gram_frac"};
    score_out_set(o, "gopher.dup_line_frac", r->dup_line_frac);
    score_out_set(o, "gopher.dup_para_frac", r->dup_para_frac);
    score_out_set(o, "gopher.dup_line_char_frac", r->dup_line_char_frac);
    score_out_set(o, "gopher.dup_para_char_frac", r->dup_para_char_frac);
    for (size_t i = 0; i < 3; i++)
        score_out_set(o, top[i], r->top_gram_frac[i]);
    for (size_t i = 0; i < 6; i++)
        score_out_set(o, dup[i], r->dup_gram_frac[i]);
}
