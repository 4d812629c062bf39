/* story.c - same-story clustering and derived-from detection across the stream.
 *
 * Stories: single-pass clustering in the manner of TDT's on-line event
 * detection. A document is a tf-idf vector of its content terms and word
 * pairs (terms.c): weight (1 + ln tf) * ln((N + 30) / df), times 1.5 for a
 * term naming an entity or keyword, N and df counted over the records the
 * stream remembers (a word every recent document uses weighs little; the
 * prior of 30 documents keeps a young stream's weights sane). Candidates
 * come from an inverted index over each document's 32 heaviest terms,
 * queried with all the new document's terms, rarest first (newest 256
 * postings a term, 8192 in all), ranked by the idf they share; the best 16
 * inside the story window that share at least a quarter of what the best
 * one shares get an exact cosine. The best cosine at or above
 * the threshold joins that document's story; else the document starts a
 * story named by its own id.
 *
 * Derived-from: a rewrite (a spun or paraphrased copy) keeps an earlier
 * document's content sentence by sentence while changing its wording. For
 * the two most similar candidates holding at least 40% of the new
 * document's terms, each new sentence is matched to its closest candidate
 * sentence by the Dice overlap of their words; 0.4 or more counts as
 * aligned. When derived_threshold of the sentences align (three at least),
 * the candidate is the original. Independent reports of one event share
 * quotes and names but not the sentence-by-sentence structure.
 * Near-duplicates (same wording) are minhash.c's and take precedence.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "score.h"

#define IDF_PRIOR (30.0)          /* documents added to N: damps idf while the stream is young */
#define ENTITY_BOOST (1.5)        /* weight factor of entity and keyword terms */
#define MAX_POSTINGS (256)        /* newest postings read per query term */
#define MAX_SCANNED (8192)        /* postings read per document, rarest terms first */
#define MAX_CANDIDATES (16)       /* candidates scored exactly */
#define MIN_SHARED_OF_BEST (0.25) /* ... if they share this much of the best one's idf */
#define MIN_CONTAINED (0.4)       /* share of terms a possible original must hold */
#define ALIGN_DICE (0.4)          /* Dice overlap for two sentences to align */
#define MIN_ALIGN_SENTS (3)       /* sentences a rewrite must have */
#define MAX_ALIGNED (2)           /* candidates compared sentence by sentence, most similar first */
#define LN_TAB (4096)             /* natural logs of small integers, tabulated */

typedef struct posting {
    uint64_t *seqs; /* ascending */
    uint32_t n, cap;
} posting;

typedef struct cand {
    uint64_t seq;
    double shared;
} cand;

struct score_story {
    score_story_opts o;
    score_hmap df;   /* term -> documents holding it */
    size_t n_docs;   /* documents counted in df */
    score_hmap post; /* term -> index into posts */
    posting *posts;
    size_t n_posts, cap_posts;
    size_t n_entries, n_live; /* postings stored, postings of live records */
    score_hmap acc;           /* scratch: seq -> index into cands */
    cand *cands;
    size_t cap_cands;
    cand *order; /* scratch: query postings (seq = index into posts, shared = idf) */
    size_t cap_order;
    double ln[LN_TAB]; /* ln(i); ln[0] unused */
    double log_n;      /* ln(n_docs + IDF_PRIOR), for the match in progress */
    double *dt_idf;    /* scratch: idf of each term of the document being matched */
    double *dt_w;      /* scratch: its weight times idf (second half of dt_idf's block) */
    size_t cap_dt_idf;
    uint32_t dt_words; /* its single-word terms */
    uint64_t clock;    /* matches so far: ages cached record norms */
};

typedef struct scored {
    const score_rec *r;
    double cosine, contained;
} scored;

static double ln(const score_story *s, uint64_t x)
{
    return x < LN_TAB ? s->ln[x] : log((double)x);
}

static double idf(const score_story *s, uint32_t term)
{
    const uint64_t *v = score_hmap_get(&s->df, term);
    return s->log_n - ln(s, v && *v ? *v : 1);
}

/* A term's weight without its idf: (1 + ln tf), times the entity boost. */
static double tf_weight(const score_story *s, uint16_t tf, uint8_t flag)
{
    double w = 1.0 + ln(s, tf ? tf : 1);
    return flag & SCORE_T_ENTITY ? w * ENTITY_BOOST : w;
}

/* The length of r's vector. Costs an idf lookup per term, so it is cached
 * in the record, and recomputed once the number of documents remembered
 * has changed by an eighth, or a quarter of them (256 at least) have come
 * since: idf drifts slowly, except in a young stream. */
static double rec_norm(const score_story *s, score_rec *r)
{
    uint64_t age = s->clock - r->norm_at, stale = s->n_docs / 4 > 256 ? s->n_docs / 4 : 256;
    uint64_t dn = s->n_docs > r->norm_docs ? s->n_docs - r->norm_docs : r->norm_docs - s->n_docs;
    if (r->norm > 0 && age <= stale && dn * 8 <= r->norm_docs)
        return r->norm;
    double sum = 0.0;
    for (uint32_t i = 0; i < r->n_terms; i++) {
        double w = tf_weight(s, r->tf[i], r->tflag[i]) * idf(s, r->terms[i]);
        sum += w * w;
    }
    r->norm = sqrt(sum);
    r->norm_at = s->clock;
    r->norm_docs = s->n_docs;
    return r->norm;
}

/* idf of each of dt's terms into s->dt_idf, weight times idf into s->dt_w
 * (a shared term adds dt_w * its tf weight in r to the dot product);
 * returns the length of dt's vector. */
static double doc_weights(score_story *s, const score_doc_terms *dt)
{
    double sum = 0.0;
    s->log_n = log((double)s->n_docs + IDF_PRIOR);
    s->dt_words = 0;
    for (uint32_t i = 0; i < dt->n_terms; i++) {
        double idf_i = idf(s, dt->terms[i]);
        double w = tf_weight(s, dt->tf[i], dt->tflag[i]) * idf_i;
        s->dt_idf[i] = idf_i;
        s->dt_w[i] = w * idf_i;
        s->dt_words += !(dt->tflag[i] & SCORE_T_PAIR);
        sum += w * w;
    }
    return sqrt(sum);
}

static int df_add(score_story *s, const uint32_t *terms, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint64_t *v;
        if (score_hmap_put(&s->df, terms[i], &v, NULL) < 0)
            return SIFT_ENOMEM;
        (*v)++;
    }
    s->n_docs++;
    return 0;
}

/* The SCORE_MAX_INDEX heaviest terms of dt into dt->index. */
static void pick_index(const score_story *s, score_doc_terms *dt)
{
    double best[SCORE_MAX_INDEX];
    uint32_t n = 0;
    for (uint32_t i = 0; i < dt->n_terms; i++) {
        double w = tf_weight(s, dt->tf[i], dt->tflag[i]) * s->dt_idf[i];
        uint32_t k = n < SCORE_MAX_INDEX ? n++ : SCORE_MAX_INDEX;
        if (k == SCORE_MAX_INDEX && w <= best[k - 1])
            continue;
        if (k == SCORE_MAX_INDEX)
            k--;
        for (; k > 0 && best[k - 1] < w; k--) {
            best[k] = best[k - 1];
            dt->index[k] = dt->index[k - 1];
        }
        best[k] = w;
        dt->index[k] = dt->terms[i];
    }
    dt->n_index = n;
}

static int in_window(const score_story *s, const score_rec *r, score_when w)
{
    if (s->o.window_s <= 0)
        return 1;
    int64_t d = w.has_date && r->has_date ? w.date - r->date : w.arrival - r->arrival;
    return (d < 0 ? -d : d) <= s->o.window_s;
}

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->shared != y->shared)
        return x->shared < y->shared ? 1 : -1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The posting lists of dt's terms into s->order (seq = posting index,
 * shared = idf); *scan = postings they would have read. */
static int query_terms(score_story *s, const score_doc_terms *dt, size_t *nq, size_t *scan)
{
    if (score_grow((void **)&s->order, &s->cap_order, dt->n_terms, sizeof *s->order) < 0)
        return SIFT_ENOMEM;
    *nq = *scan = 0;
    for (uint32_t i = 0; i < dt->n_terms; i++) {
        const uint64_t *pi = score_hmap_get(&s->post, dt->terms[i]);
        if (!pi)
            continue;
        uint32_t n = s->posts[*pi].n;
        *scan += n < MAX_POSTINGS ? n : MAX_POSTINGS;
        s->order[(*nq)++] = (cand){*pi, s->dt_idf[i]};
    }
    return 0;
}

static int cand_add(score_story *s, uint64_t seq, double w, size_t *n)
{
    uint64_t *slot;
    int is_new;
    if (score_hmap_put(&s->acc, seq, &slot, &is_new) < 0)
        return SIFT_ENOMEM;
    if (is_new) {
        if (score_grow((void **)&s->cands, &s->cap_cands, *n + 1, sizeof *s->cands) < 0)
            return SIFT_ENOMEM;
        *slot = *n;
        s->cands[(*n)++] = (cand){seq, 0.0};
    }
    s->cands[*slot].shared += w;
    return 0;
}

/* Accumulate, per earlier document, the idf of the terms it posted that dt
 * holds; past MAX_SCANNED postings, the rarest terms go first. */
static int gather(score_story *s, const score_store *st, const score_doc_terms *dt, size_t *n)
{
    size_t budget = MAX_SCANNED, nq, scan;
    *n = 0;
    if (score_hmap_reset(&s->acc, MAX_POSTINGS) < 0 || query_terms(s, dt, &nq, &scan) < 0)
        return SIFT_ENOMEM;
    if (scan > budget)
        qsort(s->order, nq, sizeof *s->order, cmp_cand);
    for (size_t i = 0; i < nq && budget > 0; i++) {
        const posting *p = &s->posts[s->order[i].seq];
        for (uint32_t k = p->n, seen = 0; k > 0 && seen < MAX_POSTINGS && budget > 0;
             k--, seen++, budget--) {
            uint64_t seq = p->seqs[k - 1];
            if (seq < st->first)
                break;
            if (cand_add(s, seq, s->order[i].shared, n) < 0)
                return SIFT_ENOMEM;
        }
    }
    return 0;
}

/* Cosine of dt (length dn) and r; *contained = share of dt's single words
 * (s->dt_words of them) that r holds. s->dt_w holds dt's weights times idf. */
static double cosine(const score_story *s, const score_doc_terms *dt, double dn, score_rec *r,
                     double *contained)
{
    double dot = 0.0;
    uint32_t i = 0, j = 0, shared = 0;
    while (i < dt->n_terms && j < r->n_terms) {
        if (dt->terms[i] < r->terms[j]) {
            i++;
        } else if (dt->terms[i] > r->terms[j]) {
            j++;
        } else {
            dot += s->dt_w[i] * tf_weight(s, r->tf[j], r->tflag[j]);
            shared += !(dt->tflag[i] & SCORE_T_PAIR);
            i++;
            j++;
        }
    }
    *contained = s->dt_words ? (double)shared / s->dt_words : 0.0;
    double rn = rec_norm(s, r);
    return dn > 0 && rn > 0 ? dot / (dn * rn) : 0.0;
}

static double dice(const uint32_t *a, uint32_t na, const uint32_t *b, uint32_t nb)
{
    uint32_t i = 0, j = 0, same = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (a[i] > b[j])
            j++;
        else {
            same++;
            i++;
            j++;
        }
    }
    return na + nb ? 2.0 * same / (na + nb) : 0.0;
}

/* Share of dt's sentences that align with some sentence of r; stops as
 * soon as need hits are out of reach (the share is then a lower bound). */
static double aligned(const score_doc_terms *dt, const score_rec *r, uint32_t need)
{
    uint32_t hits = 0;
    for (uint32_t i = 0; i < dt->n_sents && hits + (dt->n_sents - i) >= need; i++) {
        const uint32_t *a = dt->sent_terms + dt->sent_off[i];
        uint32_t na = dt->sent_off[i + 1] - dt->sent_off[i];
        for (uint32_t k = 0; k < r->n_sents; k++) {
            const uint32_t *b = r->sent_terms + r->sent_off[k];
            uint32_t nb = r->sent_off[k + 1] - r->sent_off[k];
            if (nb * 4 >= na && na * 4 >= nb && dice(a, na, b, nb) >= ALIGN_DICE) {
                hits++;
                break;
            }
        }
    }
    return dt->n_sents ? (double)hits / dt->n_sents : 0.0;
}

static int cmp_scored(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->cosine != y->cosine)
        return x->cosine < y->cosine ? 1 : -1;
    return x->r->seq < y->r->seq ? -1 : x->r->seq > y->r->seq;
}

/* The original dt rewrites, among the most similar candidates holding enough of its terms. */
static const score_rec *derive(const score_story *s, const score_doc_terms *dt, scored *top,
                               size_t n, score_story_result *res)
{
    const score_rec *orig = NULL;
    if (dt->n_sents < MIN_ALIGN_SENTS || !n)
        return NULL;
    qsort(top, n, sizeof *top, cmp_scored);
    uint32_t need = (uint32_t)ceil(s->o.derived_threshold * dt->n_sents - 1e-9);
    for (size_t i = 0, checked = 0; i < n && checked < MAX_ALIGNED; i++) {
        if (top[i].contained < MIN_CONTAINED)
            continue;
        checked++;
        double a = aligned(dt, top[i].r, need);
        if (a > res->aligned || (orig && a == res->aligned && top[i].r->seq < orig->seq)) {
            res->aligned = a;
            if (a >= s->o.derived_threshold)
                orig = top[i].r;
        }
    }
    if (orig) /* the original of a copy */
        res->derived_from = orig->dup_of[0] ? orig->dup_of : orig->id;
    return orig;
}

int score_story_match(score_story *s, const score_store *st, const char *id, score_doc_terms *dt,
                      score_when w, score_story_result *res)
{
    *res = (score_story_result){0};
    if (df_add(s, dt->terms, dt->n_terms) < 0)
        return SIFT_ENOMEM;
    if (s->cap_dt_idf < dt->n_terms + 1) {
        double *d = realloc(s->dt_idf, 2 * ((size_t)dt->n_terms + 1) * sizeof *d);
        if (!d)
            return SIFT_ENOMEM;
        s->dt_idf = d;
        s->cap_dt_idf = (size_t)dt->n_terms + 1;
    }
    s->dt_w = s->dt_idf + s->cap_dt_idf;
    s->clock++;
    double dn = doc_weights(s, dt);
    pick_index(s, dt);
    size_t n, k = 0;
    if (gather(s, st, dt, &n) < 0)
        return SIFT_ENOMEM;
    if (n)
        qsort(s->cands, n, sizeof *s->cands, cmp_cand);
    scored top[MAX_CANDIDATES];
    for (size_t i = 0; i < n && k < MAX_CANDIDATES; i++) {
        if (s->cands[i].shared < MIN_SHARED_OF_BEST * s->cands[0].shared)
            break; /* shares too little of what the best candidate shares */
        score_rec *r = score_store_get(st, s->cands[i].seq);
        if (!r || !in_window(s, r, w) || strcmp(r->id, id) == 0) /* same id: processed again */
            continue;
        top[k] = (scored){.r = r};
        top[k].cosine = cosine(s, dt, dn, r, &top[k].contained);
        if (top[k].cosine > res->similarity) {
            res->similarity = top[k].cosine;
            res->story = top[k].cosine >= s->o.threshold ? r->story : res->story;
        }
        k++;
    }
    const score_rec *orig = derive(s, dt, top, k, res);
    if (orig) /* a rewrite belongs to its original's story */
        res->story = orig->story;
    return 0;
}

static int post_append(score_story *s, uint32_t term, uint64_t seq)
{
    uint64_t *pi;
    int is_new;
    if (score_hmap_put(&s->post, term, &pi, &is_new) < 0)
        return SIFT_ENOMEM;
    if (is_new) {
        if (s->n_posts == s->cap_posts) {
            size_t cap = s->cap_posts ? s->cap_posts * 2 : 1024;
            posting *p = realloc(s->posts, cap * sizeof *p);
            if (!p) {
                score_hmap_del(&s->post, term);
                return SIFT_ENOMEM;
            }
            s->posts = p;
            s->cap_posts = cap;
        }
        s->posts[s->n_posts] = (posting){0};
        *pi = s->n_posts++;
    }
    posting *p = &s->posts[*pi];
    if (p->n == p->cap) {
        uint32_t cap = p->cap ? p->cap * 2 : 4;
        uint64_t *q = realloc(p->seqs, cap * sizeof *q);
        if (!q)
            return SIFT_ENOMEM;
        p->seqs = q;
        p->cap = cap;
    }
    p->seqs[p->n++] = seq;
    s->n_entries++;
    return 0;
}

static void posts_clear(score_story *s)
{
    for (size_t i = 0; i < s->n_posts; i++)
        free(s->posts[i].seqs);
    s->n_posts = s->n_entries = 0;
}

/* Rebuild the inverted index from the live records, dropping dead postings. */
static int reindex(score_story *s, const score_store *st)
{
    posts_clear(s);
    if (score_hmap_reset(&s->post, s->n_live) < 0)
        return SIFT_ENOMEM;
    for (uint64_t seq = st->first; st->n && seq < st->next; seq++) {
        const score_rec *r = score_store_get(st, seq);
        for (uint32_t i = 0; r && i < r->n_index; i++)
            if (post_append(s, r->index[i], seq) < 0)
                return SIFT_ENOMEM;
    }
    return 0;
}

int score_story_add(score_story *s, const score_store *st, const score_rec *rec, int count_df)
{
    if (count_df && df_add(s, rec->terms, rec->n_terms) < 0)
        return SIFT_ENOMEM;
    for (uint32_t i = 0; i < rec->n_index; i++)
        if (post_append(s, rec->index[i], rec->seq) < 0)
            return SIFT_ENOMEM;
    s->n_live += rec->n_index;
    if (s->n_entries > 2 * s->n_live + 4096)
        return reindex(s, st);
    return 0;
}

void score_story_remove(score_story *s, const score_rec *rec)
{
    for (uint32_t i = 0; i < rec->n_terms; i++) {
        uint64_t *v = score_hmap_get(&s->df, rec->terms[i]);
        if (v && --*v == 0)
            score_hmap_del(&s->df, rec->terms[i]);
    }
    s->n_docs -= s->n_docs > 0;
    s->n_live -= rec->n_index < s->n_live ? rec->n_index : s->n_live;
}

int score_story_new(score_story **out, const score_story_opts *o)
{
    score_story *s = calloc(1, sizeof *s);
    if (!s)
        return SIFT_ENOMEM;
    s->o = *o;
    for (size_t i = 1; i < LN_TAB; i++)
        s->ln[i] = log((double)i);
    if (score_hmap_init(&s->df, 1 << 14) < 0 || score_hmap_init(&s->post, 1 << 12) < 0 ||
        score_hmap_init(&s->acc, MAX_POSTINGS) < 0) {
        score_story_destroy(&s);
        return SIFT_ENOMEM;
    }
    *out = s;
    return 0;
}

void score_story_destroy(score_story **pp)
{
    score_story *s = pp ? *pp : NULL;
    if (!s)
        return;
    posts_clear(s);
    free(s->posts);
    free(s->cands);
    free(s->order);
    free(s->dt_idf);
    score_hmap_fini(&s->df);
    score_hmap_fini(&s->post);
    score_hmap_fini(&s->acc);
    free(s);
    *pp = NULL;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return SIFT_EINVAL;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Time of day and zone after the date: "THH:MM[:SS[.f]][Z|+HH:MM|+HHMM]". */
static int parse_time(const char *s, int64_t *secs)
{
    int hh, mm, ss = 0, zh = 0, zm = 0;
    if (digits(s, 2, &hh) < 0 || s[2] != ':' || digits(s + 3, 2, &mm) < 0 || hh > 24 || mm > 59)
        return SIFT_EINVAL;
    s += 5;
    if (*s == ':' && digits(s + 1, 2, &ss) == 0 && ss <= 60)
        s += 3;
    while (*s == '.' || *s == ',' || (*s >= '0' && *s <= '9'))
        s++;
    int sign = *s == '+' ? -1 : *s == '-' ? 1 : 0;
    if (sign) {
        if (digits(s + 1, 2, &zh) < 0)
            return SIFT_EINVAL;
        s += 3;
        s += *s == ':';
        if (*s && digits(s, 2, &zm) < 0)
            return SIFT_EINVAL;
    }
    *secs = hh * 3600 + mm * 60 + ss + sign * (zh * 3600 + zm * 60);
    return 0;
}

int score_parse_date(const char *s, int64_t *out)
{
    int y, m, d;
    int64_t t = 0;
    if (strlen(s) < 10 || digits(s, 4, &y) < 0 || s[4] != '-' || digits(s + 5, 2, &m) < 0 ||
        s[7] != '-' || digits(s + 8, 2, &d) < 0 || m < 1 || m > 12 || d < 1 || d > 31)
        return SIFT_EINVAL;
    if ((s[10] == 'T' || s[10] == ' ') && parse_time(s + 11, &t) < 0)
        return SIFT_EINVAL;
    *out = days_from_civil(y, m, d) * 86400 + t;
    return 0;
}
