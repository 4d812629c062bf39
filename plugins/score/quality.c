/* quality.c - per-document quality signals (Gopher, C4, FineWeb, Flesch) and the quality score.
 *
 * Computes, from the split text (words.c), the signals of three published
 * web-text filters, each under a stable score name: Gopher's quality rules
 * (Rae et al. 2021), C4's line heuristics (Raffel et al. 2020), FineWeb's
 * additions (Penedo et al. 2024), and Flesch reading ease for English text.
 * It then folds them, with the repetition signals (repetition.c), into
 * `quality` in [0, 1]: a product of soft factors, each 1 well inside the
 * published threshold, 1/2 at it and 0 well past it. Which signals drop a
 * document is decided in score.c from the options, never here.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>
#include <xxhash.h>

#include "score.h"

typedef struct lines_stats {
    double bullet, ellipsis, terminal, punct, short_lines, javascript, policy;
    size_t line_chars;
} lines_stats;

typedef struct gopher_stats {
    double mean_word_length, symbol_ratio, alpha, stop_words, english_share;
    size_t n_words, n_latin;
} gopher_stats;

static double ratio(double a, double b)
{
    return b > 0 ? a / b : 0.0;
}

/* 0 at or below lo, 1 at or above hi, linear between. */
static double ramp(double x, double lo, double hi)
{
    return x <= lo ? 0.0 : x >= hi ? 1.0 : (x - lo) / (hi - lo);
}

/* Factor for a signal that must stay below threshold t: 1 up to t/2, 1/2 at t, 0 from 3t/2. */
static double below(double x, double t)
{
    return 1.0 - ramp(x, 0.5 * t, 1.5 * t);
}

/* The hashes of the few words the C4 rules look for (words.c hashes a
 * lower-cased word with XXH3_64bits, so a word matches by one compare). */
typedef struct c4_words {
    uint64_t cookie, cookies, privacy, policy, terms, of, use, service, javascript, lorem, ipsum;
} c4_words;

static uint64_t h(const char *s)
{
    return XXH3_64bits(s, strlen(s));
}

static c4_words c4_hashes(void)
{
    return (c4_words){h("cookie"), h("cookies"), h("privacy"),    h("policy"), h("terms"), h("of"),
                      h("use"),    h("service"), h("javascript"), h("lorem"),  h("ipsum")};
}

/* C4: a line mentioning cookies, a privacy policy or terms of use/service. */
static int policy_line(const score_text *t, const score_line *ln, const c4_words *c)
{
    for (size_t i = ln->w_begin; i < ln->w_end; i++) {
        uint64_t w = t->words[i].hash;
        if (w == c->cookie || w == c->cookies)
            return 1;
        if (i + 1 < ln->w_end && w == c->privacy && t->words[i + 1].hash == c->policy)
            return 1;
        if (i + 2 < ln->w_end && w == c->terms && t->words[i + 1].hash == c->of &&
            (t->words[i + 2].hash == c->use || t->words[i + 2].hash == c->service))
            return 1;
    }
    return 0;
}

static int javascript_line(const score_text *t, const score_line *ln, const c4_words *c)
{
    for (size_t i = ln->w_begin; i < ln->w_end; i++)
        if (t->words[i].hash == c->javascript)
            return 1;
    return 0;
}

static lines_stats line_signals(const score_text *t, const c4_words *c)
{
    lines_stats s = {0};
    size_t b = 0, e = 0, term = 0, punct = 0, shorts = 0, js = 0, pol = 0;
    for (size_t i = 0; i < t->n_lines; i++) {
        const score_line *ln = &t->lines[i];
        b += (ln->flags & SCORE_L_BULLET) != 0;
        e += (ln->flags & SCORE_L_ELLIPSIS) != 0;
        term += (ln->flags & SCORE_L_TERMINAL) != 0;
        punct += (ln->flags & SCORE_L_PUNCT) != 0;
        shorts += ln->nchars <= 30;
        js += (size_t)javascript_line(t, ln, c);
        pol += (size_t)policy_line(t, ln, c);
        s.line_chars += ln->nchars;
    }
    double n = (double)t->n_lines;
    s.bullet = ratio((double)b, n);
    s.ellipsis = ratio((double)e, n);
    s.terminal = ratio((double)term, n);
    s.punct = ratio((double)punct, n);
    s.short_lines = ratio((double)shorts, n);
    s.javascript = ratio((double)js, n);
    s.policy = ratio((double)pol, n);
    return s;
}

static gopher_stats word_signals(const score_text *t)
{
    gopher_stats g = {.n_words = t->n_words};
    size_t chars = 0, stops = 0, english = 0;
    for (size_t i = 0; i < t->n_words; i++) {
        const score_word *w = &t->words[i];
        stops += (w->flags & SCORE_W_GOPHER) != 0;
        english += (w->flags & SCORE_W_STOP_EN) != 0;
        if (!(w->flags & SCORE_W_CJK)) {
            chars += w->nchars;
            g.n_latin++;
        }
    }
    g.mean_word_length = ratio((double)chars, (double)g.n_latin);
    double hashes = ratio((double)t->n_hash, (double)t->n_words);
    double ellipses = ratio((double)t->n_ellipsis, (double)t->n_words);
    g.symbol_ratio = hashes > ellipses ? hashes : ellipses;
    g.alpha = ratio((double)t->n_alpha_tokens, (double)t->n_tokens);
    g.stop_words = (double)stops;
    g.english_share = ratio((double)english, (double)t->n_words);
    return g;
}

#define ONES (0x0101010101010101ull)
#define HIGH (0x80 * ONES)
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define IS_LITTLE_ENDIAN (1) /* memcpy of 8 bytes puts the first in the low byte */
#else
#define IS_LITTLE_ENDIAN (0)
#endif

/* Bit 7 set in each byte of x that equals c. */
static uint64_t bytes_eq(uint64_t x, uint8_t c)
{
    uint64_t y = x ^ (c * ONES);
    return ~(((y & ~HIGH) + ~HIGH) | y) & HIGH;
}

/* Bit 7 set in each byte of x that is a vowel (a e i o u y). */
static uint64_t vowels8(uint64_t x)
{
    return bytes_eq(x, 'a') | bytes_eq(x, 'e') | bytes_eq(x, 'i') | bytes_eq(x, 'o') |
           bytes_eq(x, 'u') | bytes_eq(x, 'y');
}

/* English syllables by vowel groups, a final silent e dropped; at least
 * one. The word is w[0, n); end: where the readable text after it ends.
 * Eight bytes at a time, a group counted where a vowel follows a
 * non-vowel: no branch a letter (the word ends unpredictably), which made
 * this the costliest part of the Flesch score. */
static int syllables(const char *w, size_t n, const char *end)
{
    unsigned count = 0;
    uint64_t prev = 0; /* bit 7: the byte before the chunk is a vowel */
    for (size_t j = 0; j < n; j += 8) {
        uint64_t x = 0;
        size_t k = n - j < 8 ? n - j : 8;
        if (IS_LITTLE_ENDIAN && w + j + 8 <= end)
            memcpy(&x, w + j, 8);
        else
            for (size_t i = 0; i < k; i++)
                x |= (uint64_t)(unsigned char)w[j + i] << (8 * i);
        uint64_t v = vowels8(x) & (k == 8 ? ~0ull : ((uint64_t)1 << (8 * k)) - 1);
        uint64_t starts = v & ~(v << 8 | prev);
        count += (unsigned)((((starts >> 7) * ONES) >> 56) & 0xff);
        prev = (v >> 56) & 0x80;
    }
    if (n > 2 && w[n - 1] == 'e' && w[n - 2] != 'l' && count > 1)
        count--;
    return count > 0 ? (int)count : 1;
}

/* Flesch reading ease; returns 0 with *ok = 0 when the text has no words. */
static double flesch(const score_text *t, int *ok)
{
    size_t words = 0, sents = 0, syl = 0;
    for (size_t i = 0; i < t->n_words; i++) {
        const score_word *w = &t->words[i];
        if (!(w->flags & SCORE_W_ALPHA) || (w->flags & SCORE_W_CJK))
            continue;
        words++;
        sents += (w->flags & SCORE_W_SENT_START) != 0;
        syl += (size_t)syllables(t->lower + w->loff, w->llen, t->lower + t->lower_len);
    }
    *ok = words > 0;
    if (!words)
        return 0.0;
    if (!sents)
        sents = 1;
    return 206.835 - 1.015 * ((double)words / (double)sents) - 84.6 * ((double)syl / (double)words);
}

static int has_lorem(const score_text *t, const c4_words *c)
{
    for (size_t i = 0; i + 1 < t->n_words; i++)
        if (t->words[i].hash == c->lorem && t->words[i + 1].hash == c->ipsum)
            return 1;
    return 0;
}

/* The worst repetition factor against Gopher's thresholds. Those count
 * words; where most words are CJK characters (about two to a word), a
 * character 4-gram stands for a word 2-gram and a 10-gram for a 5-gram, and
 * the other n-gram signals are left out. */
static double repetition_factor(const score_repetition *r, int cjk)
{
    static const double top_t[3] = {0.20, 0.18, 0.16};
    static const double dup_t[6] = {0.15, 0.14, 0.13, 0.12, 0.11, 0.10};
    double v[13] = {below(r->dup_line_frac, 0.30), below(r->dup_para_frac, 0.30),
                    below(r->dup_line_char_frac, 0.20), below(r->dup_para_char_frac, 0.20)};
    size_t n = 4;
    if (cjk) {
        v[n++] = below(r->top_gram_frac[2], top_t[0]);
        v[n++] = below(r->dup_gram_frac[5], dup_t[0]);
    } else {
        for (size_t i = 0; i < 3; i++)
            v[n++] = below(r->top_gram_frac[i], top_t[i]);
        for (size_t i = 0; i < 6; i++)
            v[n++] = below(r->dup_gram_frac[i], dup_t[i]);
    }
    double f = 1.0;
    for (size_t i = 0; i < n; i++)
        f = v[i] < f ? v[i] : f;
    return f;
}

static double combine(const gopher_stats *g, const lines_stats *l, const score_repetition *r,
                      int english, int lorem, int brace)
{
    int cjk = g->n_latin * 2 <= g->n_words;
    double q = ramp((double)g->n_words, 10.0, 80.0);
    if (!cjk) { /* word length means nothing for CJK characters */
        double m = g->mean_word_length;
        q *= m < 3.0 ? ramp(m, 1.5, 3.0) : 1.0 - ramp(m, 10.0, 15.0);
    }
    q *= below(g->symbol_ratio, 0.1) * (1.0 - ramp(l->bullet, 0.6, 1.0));
    q *= below(l->ellipsis, 0.3) * ramp(g->alpha, 0.55, 0.85);
    if (english)
        q *= g->stop_words >= 2 ? 1.0 : 0.5 + 0.25 * g->stop_words;
    q *= repetition_factor(r, cjk);
    q *= ramp(l->terminal, 0.1, 0.5) * (1.0 - ramp(l->short_lines, 0.5, 0.9));
    q *= (1.0 - ramp(l->javascript, 0.0, 0.3)) * (1.0 - ramp(l->policy, 0.0, 0.5));
    q *= (lorem ? 0.1 : 1.0) * (brace ? 0.8 : 1.0);
    return q < 0.0 ? 0.0 : q > 1.0 ? 1.0 : q;
}

double score_quality_report(const score_text *t, const score_repetition *r, const char *language,
                            score_out *o)
{
    c4_words c = c4_hashes();
    gopher_stats g = word_signals(t);
    lines_stats l = line_signals(t, &c);
    int lorem = has_lorem(t, &c);
    int brace = memchr(t->text, '{', t->len) || memchr(t->text, '}', t->len);
    score_out_set(o, "gopher.words", (double)g.n_words);
    score_out_set(o, "gopher.mean_word_length", g.mean_word_length);
    score_out_set(o, "gopher.symbol_word_ratio", g.symbol_ratio);
    score_out_set(o, "gopher.bullet_lines", l.bullet);
    score_out_set(o, "gopher.ellipsis_lines", l.ellipsis);
    score_out_set(o, "gopher.alpha_words", g.alpha);
    score_out_set(o, "gopher.stop_words", g.stop_words);
    score_out_set(o, "c4.terminal_punct_lines", l.terminal);
    score_out_set(o, "c4.lorem_ipsum", lorem);
    score_out_set(o, "c4.curly_brace", brace);
    score_out_set(o, "c4.javascript_lines", l.javascript);
    score_out_set(o, "c4.policy_lines", l.policy);
    score_out_set(o, "fineweb.line_punct_ratio", l.punct);
    score_out_set(o, "fineweb.short_line_ratio", l.short_lines);
    score_out_set(o, "fineweb.dup_line_char_frac",
                  ratio((double)r->dup_line_chars, (double)l.line_chars));
    int english = language ? strcmp(language, "en") == 0 : g.english_share >= 0.2;
    int ok;
    double fl = english ? flesch(t, &ok) : (ok = 0, 0.0);
    if (ok)
        score_out_set(o, "readability.flesch", fl);
    double q = combine(&g, &l, r, english, lorem, brace);
    score_out_set(o, "quality", q);
    return q;
}
