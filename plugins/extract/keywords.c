/* keywords.c - the content words and two-word phrases a page is about.
 *
 * Counts lower-cased words that are not stop words of the page's language
 * (all nine lists when it is unknown), numbers, month or weekday names, or
 * shorter than three characters; then two-word phrases of such words, both
 * seen at least twice, that stand next to each other at least twice. The
 * weight is frequency times an idf-like prior with no corpus behind it:
 * longer words weigh more (they are rarer), words of the headline and
 * proper nouns more again, phrases more than their parts. Katakana runs and
 * short Han runs are the terms of Japanese and Chinese pages. Proper nouns
 * keep their capitals as first written. The top `max_keywords` are
 * written; a word already inside a chosen phrase is left out.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"

#define WORD_MAX 64 /* bytes of one word */
#define PHRASE_BONUS 1.8
#define TITLE_BONUS 1.5
#define PROPER_BONUS 1.3
#define SLACK 3        /* candidates kept per keyword wanted: some fall inside chosen phrases */
#define SEP UINT32_MAX /* a break between words in the sequence */
#define PHRASE_BIT 0x80000000u /* a rank index into the phrase table */

/* Word entries: count; a = capitalised uses; b = IS_STOP and code points
 * (b >> CPS_SHIFT); c = in title (bit 0) and the byte length of the first
 * use as written (c >> 1); score = byte offset of that first use in the
 * text, -1 when not there.
 * Phrase entries: key = two word indices; count. */
struct sift_keywords {
    sift_wtab *words, *phrases;
    uint32_t *seq; /* word indices in text order, SEP at breaks; reused */
    size_t n_seq, cap_seq;
    sift_rank *top; /* reused across documents */
    size_t cap_top;
};

enum { IS_STOP = 1, CPS_SHIFT = 1 }; /* a word entry's b: flag, code points */

int sift_keywords_new(sift_keywords **out)
{
    sift_keywords *k = calloc(1, sizeof *k);
    if (!k || sift_wtab_new(&k->words) < 0 || sift_wtab_new(&k->phrases) < 0) {
        sift_keywords_destroy(&k);
        return SIFT_ENOMEM;
    }
    *out = k;
    return SIFT_OK;
}

void sift_keywords_destroy(sift_keywords **pp)
{
    if (!pp || !*pp)
        return;
    sift_wtab_destroy(&(*pp)->words);
    sift_wtab_destroy(&(*pp)->phrases);
    free((*pp)->seq);
    free((*pp)->top);
    free(*pp);
    *pp = NULL;
}

typedef struct word {
    const char *low; /* lower-cased: buf, or the text when it is lower case already */
    char buf[WORD_MAX];
    size_t n;
    const char *src; /* the word as written */
    size_t src_n;
    size_t cps; /* code points */
    int cap;
} word;

/* Turn token t into a word; 0 when it is no keyword material (too short,
 * a number, an abbreviation with periods, hiragana, too long). */
static inline int make_word(const sift_page *p, const sift_tok *t, word *w)
{
    const char *s = p->text + t->off;
    size_t n = t->len, cps = t->cps;
    if (t->kind == SIFT_K_SPACED && n > 3 && s[n - 2] == '\'' && (s[n - 1] | 0x20) == 's')
        n -= 2, cps -= 2; /* possessive */
    else if (t->kind == SIFT_K_SPACED && n > 5 && memcmp(s + n - 4, "’s", 4) == 0)
        n -= 4, cps -= 2;
    int ok = t->kind == SIFT_K_SPACED ? cps >= 3 && !(t->flags & SIFT_TOK_NUMERIC)
             : t->kind == SIFT_K_HAN  ? cps >= 2 && cps <= 4
             : t->kind == SIFT_K_KANA ? cps >= 2 && cps <= 12
                                      : 0;
    if (!ok || (t->flags & SIFT_TOK_DOT))
        return 0;
    if ((t->flags & SIFT_TOK_LOWER) && n < WORD_MAX) { /* folding would copy it unchanged */
        w->low = s;
        w->n = n;
    } else {
        w->low = w->buf;
        w->n = sift_utf8_fold(s, n, w->buf, sizeof w->buf);
        if (w->n == sizeof w->buf)
            return 0;
    }
    w->src = s;
    w->src_n = n;
    w->cps = cps;
    w->cap = (t->flags & SIFT_TOK_CAP) != 0;
    return 1;
}

/* Room for the page's whole sequence, so that pushing needs no check:
 * a token adds at most a break and a word, a line one break more. */
static int reserve_seq(sift_keywords *k, const sift_page *p)
{
    size_t need = 2 * p->n_toks + p->n_lines + 1;
    return sift_grow_items((void **)&k->seq, &k->cap_seq, need, sizeof *k->seq, 1024);
}

/* Append v (after reserve_seq); a break never opens the sequence or
 * follows another. */
static inline void push_seq(sift_keywords *k, uint32_t v)
{
    if (v == SEP && (!k->n_seq || k->seq[k->n_seq - 1] == SEP))
        return;
    k->seq[k->n_seq++] = v;
}

/* Count one use of word entry e, remembering its first use as written. */
static void count_use(const sift_page *p, sift_wentry *e, const word *w, int in_title)
{
    if (!e->count) {
        int inside = w->src >= p->text && w->src + w->src_n <= p->text + p->len;
        e->score = inside ? (double)(w->src - p->text) : -1;
        e->c = inside ? (int32_t)(w->src_n << 1) : 0;
    }
    e->count++;
    e->a += w->cap;
    e->c |= in_title ? 1 : 0;
}

/* The entry of word w, added when new. A new word's stop-word status is
 * looked up then, once, with the hash the table lookup made. NULL when
 * out of memory. */
static sift_wentry *word_entry(sift_keywords *k, const sift_page *p, const word *w)
{
    uint32_t h = sift_hash_bytes(w->low, w->n);
    sift_wentry *e = sift_wtab_lookup(k->words, w->low, w->n, h);
    if (e || !(e = sift_wtab_add(k->words, w->low, w->n, h)))
        return e;
    int bits = sift_lex_info_hashed(p->lex, w->low, w->n, h).bits & (p->lang_bits | SIFT_L_CAL);
    e->b = (bits ? IS_STOP : 0) | (int32_t)(w->cps << CPS_SHIFT);
    return e;
}

/* Count the words of one line into the word table and the sequence. */
static int scan(sift_keywords *k, const sift_page *p, const sift_pline *l, int in_title)
{
    size_t n_ents;
    word w;
    for (uint32_t ti = l->tok_b; ti < l->tok_e; ti++) {
        const sift_tok *t = &p->toks[ti];
        sift_wentry *e = NULL;
        if (make_word(p, t, &w) && !(e = word_entry(k, p, &w)))
            return SIFT_ENOMEM;
        if (t->before == SIFT_GAP_OTHER || !e || (e->b & IS_STOP))
            push_seq(k, SEP);
        if (e && !(e->b & IS_STOP)) {
            count_use(p, e, &w, in_title);
            push_seq(k, (uint32_t)(e - sift_wtab_entries(k->words, &n_ents)));
        }
    }
    push_seq(k, SEP);
    return SIFT_OK;
}

typedef struct title_ctx {
    sift_keywords *k;
    const sift_page *p;
} title_ctx;

/* A word of a headline that is not in the text (page_meta): mark the word
 * if the text uses it. */
static int mark_title_word(void *ctx, const sift_tok *t)
{
    title_ctx *c = ctx;
    char low[WORD_MAX];
    size_t n = sift_utf8_fold(c->p->title + t->off, t->len, low, sizeof low);
    sift_wentry *e = sift_wtab_get(c->k->words, low, n, 0);
    if (e && e->count)
        e->c |= 1;
    return SIFT_OK;
}

/* Pairs of neighbouring words that are both frequent enough to matter. */
static int count_phrases(sift_keywords *k)
{
    size_t n;
    const sift_wentry *ents = sift_wtab_entries(k->words, &n);
    for (size_t i = 0; i + 1 < k->n_seq; i++) {
        uint32_t pair[2] = {k->seq[i], k->seq[i + 1]};
        if (pair[0] == SEP || pair[1] == SEP || pair[0] == pair[1] || ents[pair[0]].count < 2 ||
            ents[pair[1]].count < 2)
            continue;
        sift_wentry *e = sift_wtab_get(k->phrases, (const char *)pair, sizeof pair, 1);
        if (!e)
            return SIFT_ENOMEM;
        e->count++;
    }
    return SIFT_OK;
}

static int is_proper(const sift_wentry *e)
{
    return e->a * 2 > e->count;
}

static double prior(size_t cps)
{
    return cps >= 8 ? 1.0 : 0.5 + (double)cps / 16.0;
}

static double word_weight(const sift_wentry *e)
{
    double w = e->count * prior((size_t)e->b >> CPS_SHIFT);
    w *= (e->c & 1) ? TITLE_BONUS : 1.0;
    return w * (is_proper(e) ? PROPER_BONUS : 1.0);
}

static double phrase_weight(const sift_wentry *ph, const sift_wentry *words)
{
    uint32_t pair[2];
    memcpy(pair, ph->key, sizeof pair);
    const sift_wentry *a = &words[pair[0]], *b = &words[pair[1]];
    if (ph->count < 2)
        return 0;
    double w = ph->count * prior(((size_t)a->b >> CPS_SHIFT) + 1 + ((size_t)b->b >> CPS_SHIFT));
    w *= PHRASE_BONUS * ((a->c & b->c & 1) ? TITLE_BONUS : 1.0);
    return w * (is_proper(a) && is_proper(b) ? PROPER_BONUS : 1.0);
}

/* Is word index wi inside one of the phrases already chosen? */
static int covered(const sift_keywords *k, const sift_rank *chosen, size_t n, uint32_t wi)
{
    size_t np;
    const sift_wentry *phrases = sift_wtab_entries(k->phrases, &np);
    for (size_t i = 0; i < n; i++) {
        if (!(chosen[i].idx & PHRASE_BIT))
            continue;
        uint32_t pair[2];
        memcpy(pair, phrases[chosen[i].idx & ~PHRASE_BIT].key, sizeof pair);
        if (pair[0] == wi || pair[1] == wi)
            return 1;
    }
    return 0;
}

/* A word as it was first written when it is a proper noun, else lower-cased. */
static size_t word_text(const sift_page *p, const sift_wentry *e, char *out, size_t o, size_t cap)
{
    const char *s = e->key;
    size_t n = e->len;
    if (is_proper(e) && e->score >= 0) {
        s = p->text + (size_t)e->score;
        n = (size_t)e->c >> 1;
    }
    if (o + n > cap)
        n = 0;
    memcpy(out + o, s, n);
    return o + n;
}

static int write_one(const sift_keywords *k, const sift_host *h, const sift_page *p,
                     sift_value *list, uint32_t idx)
{
    size_t nw, np, n;
    const sift_wentry *words = sift_wtab_entries(k->words, &nw);
    const sift_wentry *phrases = sift_wtab_entries(k->phrases, &np);
    char buf[2 * WORD_MAX + 8];
    if (idx & PHRASE_BIT) {
        uint32_t pair[2];
        memcpy(pair, phrases[idx & ~PHRASE_BIT].key, sizeof pair);
        n = word_text(p, &words[pair[0]], buf, 0, WORD_MAX);
        buf[n++] = ' ';
        n = word_text(p, &words[pair[1]], buf, n, sizeof buf);
    } else {
        n = word_text(p, &words[idx], buf, 0, sizeof buf);
    }
    sift_value *v;
    int rc = h->list_push(list, &v);
    return rc < 0 ? rc : h->val_set_str(v, buf, n);
}

/* Rank words and phrases, keep the best, drop words inside chosen phrases. */
static size_t choose(sift_keywords *k, int64_t max)
{
    size_t nw, np, m = 0, cap = (size_t)max * SLACK + 8;
    const sift_wentry *words = sift_wtab_entries(k->words, &nw);
    const sift_wentry *phrases = sift_wtab_entries(k->phrases, &np);
    for (size_t i = 0; i < nw; i++)
        if (words[i].count)
            sift_rank_keep(
                k->top, &m, cap,
                (sift_rank){.key1 = word_weight(&words[i]), .key2 = (double)i, .idx = (uint32_t)i});
    for (size_t i = 0; i < np; i++) {
        double w = phrase_weight(&phrases[i], words);
        if (w > 0)
            sift_rank_keep(k->top, &m, cap,
                           (sift_rank){.key1 = w, .key2 = -1.0, .idx = (uint32_t)i | PHRASE_BIT});
    }
    size_t chosen = 0;
    for (size_t i = 0; i < m && (int64_t)chosen < max; i++)
        if ((k->top[i].idx & PHRASE_BIT) || !covered(k, k->top, chosen, k->top[i].idx))
            k->top[chosen++] = k->top[i];
    return chosen;
}

static int write_top(sift_keywords *k, const sift_host *h, const sift_page *p, sift_value *fields,
                     int64_t max)
{
    size_t cap = (size_t)max * SLACK + 8;
    if (sift_grow_items((void **)&k->top, &k->cap_top, cap, sizeof *k->top, cap) < 0)
        return SIFT_ENOMEM;
    size_t chosen = choose(k, max);
    int rc = SIFT_OK;
    if (chosen) {
        sift_value *list;
        rc = h->map_put(fields, "keywords", &list);
        if (rc == SIFT_OK)
            rc = h->val_set_list(list);
        for (size_t i = 0; i < chosen && rc == SIFT_OK; i++)
            rc = write_one(k, h, p, list, k->top[i].idx);
    }
    return rc;
}

int sift_keywords_write(sift_keywords *k, const sift_host *h, const sift_page *p,
                        sift_value *fields, int64_t max_keywords)
{
    sift_wtab_clear(k->words);
    sift_wtab_clear(k->phrases);
    k->n_seq = 0;
    /* A page has about one distinct word in two or three tokens: sizing
     * the table for that up front spares the doublings on the way. */
    int rc = sift_wtab_reserve(k->words, p->n_toks / 2);
    if (rc == SIFT_OK)
        rc = reserve_seq(k, p);
    for (size_t i = 0; i < p->n_lines && rc == SIFT_OK; i++)
        rc = scan(k, p, &p->lines[i], p->title_idx == (int)i);
    if (rc == SIFT_OK && p->title && p->title_idx < 0) {
        title_ctx c = {.k = k, .p = p};
        rc = sift_tokens_scan(p->title, p->title_n, 0, mark_title_word, &c);
    }
    if (rc == SIFT_OK)
        rc = count_phrases(k);
    return rc < 0 ? rc : write_top(k, h, p, fields, max_keywords);
}
