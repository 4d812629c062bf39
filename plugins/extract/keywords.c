/* keywords.c - the content words and two-word phrases a page is about.
 *
 * Counts lower-cased words that are not stop words of the page's language
 * (all nine lists when it is unknown), numbers or shorter than three
 * characters, and two-word phrases of such words that occur at least
 * twice. The weight is frequency times an idf-like prior with no corpus
 * behind it: longer words weigh more (they are rarer), words of the
 * headline and proper nouns more again, phrases more than their parts.
 * Katakana runs and short Han runs are the terms of Japanese and Chinese
 * pages. Proper nouns keep their capital. The top `max_keywords` are
 * written; a word already inside a chosen phrase is left out.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"

#define WORD_MAX 64     /* bytes of one word */
#define PHRASE_BONUS 1.8
#define TITLE_BONUS 1.5
#define PROPER_BONUS 1.3

/* Entries: count; a = capitalised uses; c = in
 * title (bit 0) and the byte length of the first use as written (c >> 1);
 * score = byte offset of that first use in the text, -1 when not there. */
struct sift_keywords {
    sift_wtab *tab;
};

typedef struct kw {
    double weight;
    uint32_t idx;
} kw;

int sift_keywords_new(sift_keywords **out)
{
    sift_keywords *k = calloc(1, sizeof *k);
    if (!k || sift_wtab_new(&k->tab) < 0) {
        free(k);
        return SIFT_ENOMEM;
    }
    *out = k;
    return SIFT_OK;
}

void sift_keywords_destroy(sift_keywords **pp)
{
    if (!pp || !*pp)
        return;
    sift_wtab_destroy(&(*pp)->tab);
    free(*pp);
    *pp = NULL;
}

typedef struct word {
    char low[WORD_MAX];
    size_t n;
    const char *src; /* the word as written */
    size_t src_n;
    int cap, ok;
} word;

/* 0: spaced scripts (Hangul too); 1: Han; 2: Katakana; 3: Hiragana and
 * other CJK, which holds particles rather than terms. */
static int script_kind(int32_t cp)
{
    if (cp < 0x3000 || !sift_utf8_is_cjk(cp) || (cp >= 0xAC00 && cp <= 0xD7AF))
        return 0;
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF))
        return 1;
    return (cp >= 0x30A0 && cp <= 0x30FF) ? 2 : 3;
}

/* Scan the next word of s from *i; returns 0 at the end. *gap is set
 * when punctuation (not a single space) separates it from the previous. */
static int next_word(const char *s, size_t n, size_t *i, word *w, int *gap)
{
    *gap = 0;
    while (*i < n) {
        size_t at = *i;
        int32_t cp = sift_utf8_next(s, n, i);
        if (sift_utf8_is_letter(cp) || sift_utf8_is_digit(cp)) {
            *i = at;
            break;
        }
        if (cp != ' ')
            *gap = 1;
    }
    if (*i >= n)
        return 0;
    size_t b = *i, e = *i;
    int letters = 0, digits = 0, kind = -1;
    while (e < n) {
        size_t nx = e;
        int32_t cp = sift_utf8_next(s, n, &nx);
        int k = script_kind(cp);
        if ((!sift_utf8_is_letter(cp) && !sift_utf8_is_digit(cp) && (k || (cp != '-' && cp != '\''))) ||
            (kind >= 0 && k != kind))
            break;
        if (kind < 0)
            w->cap = sift_utf8_is_upper(cp);
        kind = k;
        letters += sift_utf8_is_letter(cp);
        digits += sift_utf8_is_digit(cp);
        e = nx;
    }
    while (e > b && (s[e - 1] == '-' || s[e - 1] == '\''))
        e--;
    if (e - b > 3 && s[e - 2] == '\'' && (s[e - 1] == 's' || s[e - 1] == 'S'))
        e -= 2; /* possessive */
    w->src = s + b;
    w->src_n = e - b;
    *i = e > b ? e : b + 1;
    w->n = sift_utf8_fold(s + b, e - b, w->low, sizeof w->low);
    size_t cps = sift_utf8_count(s + b, e - b);
    w->ok = digits * 2 < letters && (kind == 0   ? cps >= 3
                                     : kind == 1 ? cps >= 2 && cps <= 4
                                     : kind == 2 ? cps >= 2 && cps <= 12
                                                 : 0);
    return 1;
}

static sift_wentry *count_term(sift_keywords *k, const sift_page *p, const char *key, size_t n,
                               const char *src, size_t src_n)
{
    sift_wentry *e = sift_wtab_get(k->tab, key, n, 1);
    if (e && !e->count) {
        int inside = src >= p->text && src + src_n <= p->text + p->len && src_n < (1u << 20);
        e->score = inside ? (double)(src - p->text) : -1;
        e->c = inside ? (int32_t)(src_n << 1) : 0;
    }
    if (e)
        e->count++;
    return e;
}

static int count_word(sift_keywords *k, const sift_page *p, const word *w, int in_title)
{
    sift_wentry *e = count_term(k, p, w->low, w->n, w->src, w->src_n);
    if (!e)
        return SIFT_ENOMEM;
    e->a += w->cap;
    e->c |= in_title ? 1 : 0;
    return SIFT_OK;
}

static int count_phrase(sift_keywords *k, const sift_page *p, const word *a, const word *b)
{
    char buf[2 * WORD_MAX + 1];
    memcpy(buf, a->low, a->n);
    buf[a->n] = ' ';
    memcpy(buf + a->n + 1, b->low, b->n);
    size_t src_n = (size_t)(b->src + b->src_n - a->src);
    sift_wentry *e = count_term(k, p, buf, a->n + 1 + b->n, a->src, src_n);
    if (!e)
        return SIFT_ENOMEM;
    e->a += a->cap && b->cap;
    return SIFT_OK;
}

static int scan(sift_keywords *k, const sift_page *p, const char *s, size_t n, int in_title)
{
    size_t i = 0;
    word w[2];
    int cur = 0, have_prev = 0, gap;
    while (next_word(s, n, &i, &w[cur], &gap)) {
        word *x = &w[cur];
        int stop = sift_lex_stop(p->lex, x->low, x->n) & p->lang_bits;
        if (!x->ok || stop) {
            have_prev = 0;
            continue;
        }
        if (count_word(k, p, x, in_title) < 0)
            return SIFT_ENOMEM;
        if (have_prev && !gap && count_phrase(k, p, &w[!cur], x) < 0)
            return SIFT_ENOMEM;
        have_prev = 1;
        cur = !cur;
    }
    return SIFT_OK;
}

static double weight(const sift_wentry *e)
{
    int phrase = memchr(e->key, ' ', e->len) != NULL;
    if (phrase && e->count < 2)
        return 0;
    double len = (double)sift_utf8_count(e->key, e->len);
    double prior = len >= 8 ? 1.0 : 0.5 + len / 16.0;
    double w = e->count * prior;
    if (phrase)
        w *= PHRASE_BONUS;
    if (e->c & 1)
        w *= TITLE_BONUS;
    if (e->a * 2 > e->count)
        w *= PROPER_BONUS;
    return w;
}

static int by_weight(const void *a, const void *b)
{
    const kw *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight < y->weight ? 1 : -1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Is word inside one of the phrases already chosen? */
static int covered(const sift_wentry *ents, const kw *chosen, size_t n, const sift_wentry *w)
{
    for (size_t i = 0; i < n; i++) {
        const sift_wentry *c = &ents[chosen[i].idx];
        const char *sp = memchr(c->key, ' ', c->len);
        if (!sp)
            continue;
        size_t first = (size_t)(sp - c->key);
        if ((first == w->len && memcmp(c->key, w->key, first) == 0) ||
            (c->len - first - 1 == w->len && memcmp(sp + 1, w->key, w->len) == 0))
            return 1;
    }
    return 0;
}

static int write_word(const sift_host *h, const sift_page *p, sift_value *list,
                      const sift_wentry *e)
{
    const char *s = e->key;
    size_t n = e->len;
    if (e->a * 2 > e->count && e->score >= 0) { /* a proper noun: as first written */
        s = p->text + (size_t)e->score;
        n = (size_t)e->c >> 1;
    }
    sift_value *v;
    int rc = h->list_push(list, &v);
    return rc < 0 ? rc : h->val_set_str(v, s, n);
}

static int write_top(sift_keywords *k, const sift_host *h, const sift_page *p, sift_value *fields,
                     int64_t max)
{
    size_t n;
    sift_wentry *ents = sift_wtab_entries(k->tab, &n);
    kw *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return SIFT_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double w = weight(&ents[i]);
        if (w > 0)
            order[m++] = (kw){.weight = w, .idx = (uint32_t)i};
    }
    qsort(order, m, sizeof *order, by_weight);
    size_t chosen = 0;
    for (size_t i = 0; i < m && (int64_t)chosen < max; i++)
        if (!covered(ents, order, chosen, &ents[order[i].idx]))
            order[chosen++] = order[i];
    int rc = SIFT_OK;
    if (chosen) {
        sift_value *list;
        rc = h->map_put(fields, "keywords", &list);
        if (rc == SIFT_OK)
            rc = h->val_set_list(list);
        for (size_t i = 0; i < chosen && rc == SIFT_OK; i++)
            rc = write_word(h, p, list, &ents[order[i].idx]);
    }
    free(order);
    return rc;
}

int sift_keywords_write(sift_keywords *k, const sift_host *h, const sift_page *p,
                        sift_value *fields, int64_t max_keywords)
{
    sift_wtab_clear(k->tab);
    for (size_t i = 0; i < p->n_lines; i++) {
        int in_title = p->title_idx == (int)i;
        int rc = scan(k, p, p->lines[i].s, p->lines[i].n, in_title);
        if (rc < 0)
            return rc;
    }
    if (p->title && p->title_idx < 0) {
        int rc = scan(k, p, p->title, p->title_n, 1);
        if (rc < 0)
            return rc;
    }
    return write_top(k, h, p, fields, max_keywords);
}
