/* terms.c - a document's content terms: what story.c compares documents by.
 *
 * A content term is a word that carries topic: letters, not a function
 * word (stopwords.c), three characters or more (two when written in
 * capitals, as in "EU"), lower-cased and lightly normalised (a leading
 * elision such as "l'" and a trailing "'s" dropped, an English plural cut
 * to its singular) so that inflection matters less; in scripts written
 * without spaces, each pair of adjacent characters. A term is a 32-bit
 * hash. Two content words in a row inside a sentence also make a term (a
 * pair: "leaked documents", "prime minister"), which tells one event from
 * another on the same subject far better than single words. Per document:
 * each distinct term with its count and whether it names an entity (from
 * extract's fields.entities and fields.keywords, else capitalised words
 * inside sentences; a pair with one in it counts), sorted by hash; and per
 * sentence the distinct single-word terms, for telling a rewrite from an
 * independent report (a paraphrase keeps words, not word order). Weighting and matching live in
 * story.c. SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "score.h"

#define MAX_TERMS (4096)    /* distinct terms kept per document */
#define MAX_SENTS (256)     /* sentences kept per document */
#define MAX_SENT_TERMS (64) /* distinct terms kept per sentence */
#define MIN_SENT_TERMS (4)  /* a shorter sentence says too little to align */

typedef struct term_ent {
    uint32_t hash;
    uint16_t tf;
    uint8_t flag;
} term_ent;

/* The term of word i, or 0 if it is not a content term. */
static uint32_t term_of(const score_text *t, size_t i)
{
    const score_word *w = &t->words[i];
    if (!(w->flags & SCORE_W_ALPHA))
        return 0;
    if (w->flags & SCORE_W_CJK) {
        if (i + 1 >= t->n_words || !(t->words[i + 1].flags & SCORE_W_CJK) ||
            !(t->words[i + 1].flags & SCORE_W_GLUED))
            return 0;
        return (uint32_t)XXH3_64bits(t->lower + w->loff, w->llen + 1 + t->words[i + 1].llen);
    }
    int caps = (w->flags & SCORE_W_ALLCAPS) != 0;
    if (w->flags & SCORE_W_STOP)
        return caps ? (uint32_t)XXH3_64bits_withSeed(t->lower + w->loff, w->llen, 0xac) : 0;
    if (w->nchars < (caps ? 2u : 3u))
        return 0;
    const char *s = t->lower + w->loff;
    size_t n = w->llen;
    const char *apos = memchr(s, '\'', n < 4 ? n : 4);
    if (apos && apos - s <= 2 && n - (size_t)(apos - s) > 4) { /* l'état, dell'anno */
        n -= (size_t)(apos - s) + 1;
        s = apos + 1;
    }
    if (n > 4 && s[n - 2] == '\'' && s[n - 1] == 's')
        n -= 2;
    char buf[256];
    if (n > 4 && n < sizeof buf && memcmp(s + n - 3, "ies", 3) == 0) {
        memcpy(buf, s, n - 3);
        buf[n - 3] = 'y';
        s = buf;
        n -= 2;
    } else if (n > 3 && s[n - 1] == 's' && s[n - 2] != 's' && s[n - 2] != 'u' && s[n - 2] != 'i') {
        n--;
    }
    if (s == t->lower + w->loff && n == w->llen) /* unchanged: the word's own hash */
        return (uint32_t)w->hash;
    return (uint32_t)XXH3_64bits(s, n);
}

static int boost_strings(score_terms *b, const sift_host *h, const sift_value *list,
                         const char *key)
{
    size_t n = h->val_len(list);
    for (size_t i = 0; i < n; i++) {
        const sift_value *item, *v;
        const char *s;
        size_t len;
        if (h->list_at(list, i, &item) < 0)
            continue;
        v = item;
        if (key && h->map_get(item, key, &v) < 0)
            continue;
        if (h->val_str(v, &s, &len) < 0 || score_text_split(&b->scratch, s, len) < 0)
            continue;
        score_stopwords_mark(&b->scratch, b->stop);
        for (size_t k = 0; k < b->scratch.n_words; k++) {
            uint32_t term = term_of(&b->scratch, k);
            uint64_t *slot;
            if (term && score_hmap_put(&b->boost, term, &slot, NULL) < 0)
                return SIFT_ENOMEM;
        }
    }
    return 0;
}

/* Fill b->boost with the entity and keyword terms. */
static int collect_boost(score_terms *b, const sift_host *h, const score_text *t,
                         const sift_value *fields)
{
    const sift_value *ents = NULL, *kw = NULL;
    if (score_hmap_reset(&b->boost, 64) < 0)
        return SIFT_ENOMEM;
    if (fields) {
        if (h->map_get(fields, "entities", &ents) < 0 || h->val_type(ents) != SIFT_T_LIST)
            ents = NULL;
        if (h->map_get(fields, "keywords", &kw) < 0 || h->val_type(kw) != SIFT_T_LIST)
            kw = NULL;
    }
    if ((ents && boost_strings(b, h, ents, "text") < 0) ||
        (kw && boost_strings(b, h, kw, NULL) < 0))
        return SIFT_ENOMEM;
    if (ents && h->val_len(ents) > 0)
        return 0;
    for (size_t i = 0; i < t->n_words; i++) {
        const score_word *w = &t->words[i];
        if ((w->flags & SCORE_W_UPPER) && !(w->flags & SCORE_W_SENT_START)) {
            uint32_t term = term_of(t, i);
            uint64_t *slot;
            if (term && score_hmap_put(&b->boost, term, &slot, NULL) < 0)
                return SIFT_ENOMEM;
        }
    }
    return 0;
}

static void sort_u32(uint32_t *a, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) { /* sentences are short: insertion sort */
        uint32_t x = a[i], j = i;
        for (; j > 0 && a[j - 1] > x; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

/* Sort e[0..n) by hash: LSD radix sort, four 8-bit passes through tmp. */
static void sort_terms(term_ent *e, term_ent *tmp, uint32_t n)
{
    for (unsigned shift = 0; shift < 32; shift += 8) {
        uint32_t count[257] = {0};
        for (uint32_t i = 0; i < n; i++)
            count[((e[i].hash >> shift) & 0xff) + 1]++;
        for (unsigned d = 0; d < 256; d++)
            count[d + 1] += count[d];
        for (uint32_t i = 0; i < n; i++)
            tmp[count[(e[i].hash >> shift) & 0xff]++] = e[i];
        memcpy(e, tmp, n * sizeof *e);
    }
}

/* Close the sentence whose terms start at dt->sent_terms[from]. */
static int sentence_end(score_doc_terms *dt, uint32_t from)
{
    uint32_t n = dt->n_sent_terms - from, k = 0;
    uint32_t *s = dt->sent_terms + from;
    sort_u32(s, n);
    for (uint32_t i = 0; i < n; i++)
        if (!k || s[i] != s[k - 1])
            s[k++] = s[i];
    if (k < MIN_SENT_TERMS || dt->n_sents >= MAX_SENTS) {
        dt->n_sent_terms = from;
        return 0;
    }
    dt->n_sent_terms = from + (k < MAX_SENT_TERMS ? k : MAX_SENT_TERMS);
    if (score_grow((void **)&dt->sent_off, &dt->cap_sents, dt->n_sents + 2,
                   sizeof *dt->sent_off) < 0)
        return SIFT_ENOMEM;
    dt->sent_off[0] = 0;
    dt->sent_off[++dt->n_sents] = dt->n_sent_terms;
    return 0;
}

/* The term of two adjacent content words (a phrase such as "prime minister"). */
static uint32_t pair(uint32_t a, uint32_t b)
{
    uint64_t x = ((uint64_t)a << 32 | b) * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(x >> 32) | 1u;
}

/* Count term (with SCORE_T_* flag) in the document (slot in b->tmp) and,
 * if in_sentence, in the open sentence. */
static int add_term(score_terms *b, score_doc_terms *dt, uint32_t term, unsigned flag,
                    int in_sentence)
{
    uint64_t *slot;
    int is_new;
    if (score_hmap_put(&b->local, term, &slot, &is_new) < 0)
        return SIFT_ENOMEM;
    term_ent *e = b->tmp;
    if (is_new) {
        if (dt->n_terms >= MAX_TERMS) {
            score_hmap_del(&b->local, term);
            return 0;
        }
        *slot = dt->n_terms;
        e[dt->n_terms++] = (term_ent){term, 0, 0};
    }
    e[*slot].flag |= (uint8_t)flag;
    if (e[*slot].tf < UINT16_MAX)
        e[*slot].tf++;
    if (!in_sentence)
        return 0;
    if (score_grow((void **)&dt->sent_terms, &dt->cap_sent_terms, dt->n_sent_terms + 1,
                   sizeof *dt->sent_terms) < 0)
        return SIFT_ENOMEM;
    dt->sent_terms[dt->n_sent_terms++] = term;
    return 0;
}

/* Sort the terms by hash into dt's arrays. */
static int finish(score_terms *b, score_doc_terms *dt)
{
    term_ent *e = b->tmp;
    sort_terms(e, e + b->cap_tmp / 2, dt->n_terms);
    /* three arrays, one cap: it moves only once all three have grown */
    size_t cap_terms = dt->cap_terms, cap_tf = dt->cap_terms;
    if (score_grow((void **)&dt->terms, &cap_terms, dt->n_terms, sizeof *dt->terms) < 0 ||
        score_grow((void **)&dt->tf, &cap_tf, dt->n_terms, sizeof *dt->tf) < 0 ||
        score_grow((void **)&dt->tflag, &dt->cap_terms, dt->n_terms, sizeof *dt->tflag) < 0)
        return SIFT_ENOMEM;
    for (uint32_t i = 0; i < dt->n_terms; i++) {
        dt->terms[i] = e[i].hash;
        dt->tf[i] = e[i].tf;
        dt->tflag[i] = e[i].flag;
    }
    return 0;
}

int score_terms_build(score_terms *b, const sift_host *h, const score_text *t,
                      const sift_value *fields, score_doc_terms *dt)
{
    dt->n_terms = dt->n_sents = dt->n_sent_terms = dt->n_index = 0;
    size_t want = (2 * t->n_words < MAX_TERMS ? 2 * t->n_words : MAX_TERMS) + 1; /* + pairs */
    if (collect_boost(b, h, t, fields) < 0 || score_hmap_reset(&b->local, want) < 0)
        return SIFT_ENOMEM;
    /* two halves: the terms, and the sort's scratch */
    if (score_grow(&b->tmp, &b->cap_tmp, 2 * want, sizeof(term_ent)) < 0)
        return SIFT_ENOMEM;
    uint32_t from = 0, prev = 0;
    unsigned prev_flag = 0;
    for (size_t i = 0; i < t->n_words; i++) {
        if ((t->words[i].flags & SCORE_W_SENT_START) && i > 0) {
            if (sentence_end(dt, from) < 0)
                return SIFT_ENOMEM;
            from = dt->n_sent_terms;
            prev = 0;
        }
        uint32_t term = term_of(t, i);
        unsigned flag = term && score_hmap_get(&b->boost, term) ? SCORE_T_ENTITY : 0;
        if (term && add_term(b, dt, term, flag, 1) < 0)
            return SIFT_ENOMEM;
        if (term && prev &&
            add_term(b, dt, pair(prev, term), flag | prev_flag | SCORE_T_PAIR, 0) < 0)
            return SIFT_ENOMEM; /* a pair with an entity in it counts as one */
        prev = term;
        prev_flag = flag;
    }
    if (sentence_end(dt, from) < 0)
        return SIFT_ENOMEM;
    return finish(b, dt);
}

void score_doc_terms_fini(score_doc_terms *dt)
{
    free(dt->terms);
    free(dt->tf);
    free(dt->tflag);
    free(dt->sent_off);
    free(dt->sent_terms);
    memset(dt, 0, sizeof *dt);
}

int score_terms_init(score_terms *b, const score_stopset *stop)
{
    memset(b, 0, sizeof *b);
    b->stop = stop;
    if (score_hmap_init(&b->local, 1024) < 0 || score_hmap_init(&b->boost, 64) < 0) {
        score_terms_fini(b);
        return SIFT_ENOMEM;
    }
    return 0;
}

void score_terms_fini(score_terms *b)
{
    score_text_fini(&b->scratch);
    score_hmap_fini(&b->local);
    score_hmap_fini(&b->boost);
    free(b->tmp);
    memset(b, 0, sizeof *b);
}
