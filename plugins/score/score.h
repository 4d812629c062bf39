/* score.h - the types the score plugin's files share (internal, not part of the SDK).
 *
 * The score stage splits one document's text once (words.c, with function
 * words from stopwords.c) and hands the result to each concern: the
 * per-document signals (quality.c, repetition.c, topics.c) and the
 * stream-wide detectors (minhash.c for near-duplicates; story.c, over the
 * content terms of terms.c, for stories and rewrites), which keep their
 * memory in a ring of recent documents' records (store.c) persisted in
 * LMDB (state.c). score.c is the plugin (descriptor, process, lifecycle),
 * opts.c its option checks and drop rules, hmap.c the hash map under all
 * of it. Nothing here is visible outside the plugin (hidden visibility).
 * Pointers in these declarations are borrowed for the call unless the
 * comment says otherwise.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_SCORE_H
#define SIFT_SCORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <sift/plugin.h>

/* ---------------------------------------------------------------- growing arrays
 * Make *p (an array of items of size bytes, *cap of them allocated) hold at
 * least need items, doubling from 64. The scratch arrays reused from one
 * document to the next (words, lines, terms, shingles, n-gram marks) grow
 * through it and never shrink. Returns 0, or SIFT_ENOMEM with *p and *cap
 * unchanged. */
static inline int score_grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return SIFT_ENOMEM;
    *p = q;
    *cap = c;
    return 0;
}

/* ---------------------------------------------------------------- hmap.c
 * Open-addressing hash map from a 64-bit key (a hash) to a 64-bit value.
 * Linear probing, power-of-two capacity, load kept under one half. */
typedef struct score_hslot {
    uint64_t key; /* 0 marks an empty slot (key 0 is stored as SCORE_HMAP_ZERO) */
    uint64_t val;
} score_hslot;

typedef struct score_hmap {
    score_hslot *slots; /* private: key and value side by side, one cache line apart at most */
    size_t cap, n;      /* public, read-only: slots and entries */
    size_t alloc;       /* private: slots allocated (>= cap; score_hmap_reset keeps them) */
} score_hmap;

#define SCORE_HMAP_ZERO 0x9e3779b97f4a7c15ull /* stands in for key 0, which marks empty */

int score_hmap_init(score_hmap *m, size_t expect);
void score_hmap_fini(score_hmap *m);
/* Empty the map and make room for expect entries without growing. */
int score_hmap_reset(score_hmap *m, size_t expect);
/* Double the capacity (score_hmap_put calls it). 0 or SIFT_ENOMEM. */
int score_hmap_grow(score_hmap *m);
/* Remove key; 0, or SIFT_ENOENT when absent. */
int score_hmap_del(score_hmap *m, uint64_t key);

static inline uint64_t score_hmap_key(uint64_t key)
{
    return key ? key : SCORE_HMAP_ZERO;
}

static inline size_t score_hmap_slot(const score_hmap *m, uint64_t key)
{
    /* keys are mostly hashes, but mix once more so sequential keys (seqs) spread */
    key ^= key >> 31;
    key *= 0xbf58476d1ce4e5b9ull;
    key ^= key >> 29;
    return (size_t)key & (m->cap - 1);
}

/* Start loading the slot where a lookup of key begins: in a map larger
 * than the CPU caches, several lookups prefetched together miss at once. */
static inline void score_hmap_prefetch(const score_hmap *m, uint64_t key)
{
    __builtin_prefetch(&m->slots[score_hmap_slot(m, score_hmap_key(key))]);
}

/* Value slot for key, or NULL when absent; borrowed until the next put/del. */
static inline uint64_t *score_hmap_get(const score_hmap *m, uint64_t key)
{
    key = score_hmap_key(key);
    for (size_t i = score_hmap_slot(m, key);; i = (i + 1) & (m->cap - 1)) {
        if (m->slots[i].key == key)
            return &m->slots[i].val;
        if (!m->slots[i].key)
            return NULL;
    }
}

/* Value slot for key, inserted as 0 when absent (*is_new = 1; is_new may be
 * NULL); borrowed until the next put/del. Returns 0 or SIFT_ENOMEM. */
static inline int score_hmap_put(score_hmap *m, uint64_t key, uint64_t **val, int *is_new)
{
    if ((m->n + 1) * 2 > m->cap && score_hmap_grow(m) < 0)
        return SIFT_ENOMEM;
    key = score_hmap_key(key);
    size_t i = score_hmap_slot(m, key);
    while (m->slots[i].key && m->slots[i].key != key)
        i = (i + 1) & (m->cap - 1);
    int fresh = !m->slots[i].key;
    if (fresh) {
        m->slots[i] = (score_hslot){key, 0};
        m->n++;
    }
    if (is_new)
        *is_new = fresh;
    *val = &m->slots[i].val;
    return 0;
}

/* ---------------------------------------------------------------- words.c */
enum {
    SCORE_W_ALPHA = 1u << 0,      /* holds a letter */
    SCORE_W_CJK = 1u << 1,        /* one character of a script written without spaces */
    SCORE_W_UPPER = 1u << 2,      /* first letter is upper or title case */
    SCORE_W_ALLCAPS = 1u << 3,    /* two or more letters, all upper case */
    SCORE_W_SENT_START = 1u << 4, /* first word of a sentence (or of a line) */
    SCORE_W_GLUED = 1u << 5,      /* touches the previous word (no space between) */
    SCORE_W_STOP = 1u << 6,       /* a function word (score_stopwords_mark) */
    SCORE_W_STOP_EN = 1u << 7,    /* an English function word */
    SCORE_W_GOPHER = 1u << 8      /* one of Gopher's eight stop words */
};

enum {
    SCORE_L_TERMINAL = 1u << 0, /* ends in terminal punctuation (C4) */
    SCORE_L_PUNCT = 1u << 1,    /* ends in end punctuation, FineWeb's wider set */
    SCORE_L_BULLET = 1u << 2,   /* starts with a bullet */
    SCORE_L_ELLIPSIS = 1u << 3  /* ends with an ellipsis */
};

typedef struct score_word {
    uint32_t off, len;   /* bytes of the word in the text */
    uint32_t loff, llen; /* bytes of its lower-cased form in score_text.lower */
    uint32_t nchars;     /* code points */
    uint64_t hash;       /* XXH3_64bits of the lower-cased form */
    uint32_t flags;      /* SCORE_W_* */
} score_word;

typedef struct score_line {
    uint32_t off, len;       /* bytes, the line's text without its newline */
    uint32_t nchars;         /* code points */
    uint32_t w_begin, w_end; /* its words: words[w_begin .. w_end) */
    uint32_t para;           /* paragraph number (blank lines separate paragraphs) */
    uint32_t flags;          /* SCORE_L_* */
} score_line;

/* One document's text, split. Caller storage: zero-initialise once, reuse
 * for every document (buffers grow, never shrink), score_text_fini at the end. */
typedef struct score_text {
    const char *text; /* borrowed until process() returns */
    size_t len;
    size_t nchars;         /* code points in the text */
    size_t n_tokens;       /* white-space separated tokens (CJK characters count one each) */
    size_t n_alpha_tokens; /* tokens holding a letter */
    size_t n_hash;         /* '#' characters */
    size_t n_ellipsis;     /* "..." and U+2026 */
    score_word *words;
    size_t n_words, cap_words;
    score_line *lines; /* non-empty lines only */
    size_t n_lines, cap_lines;
    char *lower; /* lower-cased words, each followed by one space */
    size_t lower_len, cap_lower;
    uint64_t *ghash; /* scratch: n-gram hashes, n_words entries (repetition.c) */
    uint8_t *gmark;  /* scratch: positions whose n-gram repeats (repetition.c) */
    uint32_t *gpos;  /* scratch: positions still counted (repetition.c) */
    size_t cap_ghash;
    uint32_t *shingles; /* scratch: shingle hashes (minhash.c) */
    size_t cap_shingles;
    uint64_t *lhash; /* scratch: line hashes, n_lines entries (repetition.c) */
    size_t cap_lhash;
} score_text;

/* Split text (borrowed until the next split) into t. 0 or SIFT_ENOMEM. */
int score_text_split(score_text *t, const char *text, size_t len);
void score_text_fini(score_text *t);

/* ---------------------------------------------------------------- stopwords.c */
enum {
    SCORE_SW_ENGLISH = 1u << 0, /* an English function word */
    SCORE_SW_OTHER = 1u << 1,   /* a function word of another language sift reads */
    SCORE_SW_GOPHER = 1u << 2   /* one of Gopher's eight: the be to of and that have with */
};

/* The function words: a hash map from the XXH3_64bits hash of each (lower
 * case) to its SCORE_SW_* flags, behind a bit filter. Most words of a text
 * are not function words; one bit, in 2 KiB that stay in the first-level
 * cache, tells almost all of them so, where the map (64 KiB) would cost a
 * cache miss a word. Caller storage: score_stopwords_build, ..._fini. */
#define SCORE_SW_FILTER_BITS (14) /* 16384 bits for about a thousand words */

typedef struct score_stopset {
    score_hmap map;                                    /* private */
    uint64_t filter[(1u << SCORE_SW_FILTER_BITS) / 64]; /* private: bit by the hash's top bits */
} score_stopset;

/* Fill s (any contents) with every function word. Returns 0 or
 * SIFT_ENOMEM; fini s either way. */
int score_stopwords_build(score_stopset *s);
void score_stopwords_fini(score_stopset *s);
/* The SCORE_SW_* flags of a word by its hash, 0 for a content word. */
static inline unsigned score_stopword(const score_stopset *s, uint64_t hash)
{
    uint64_t bit = hash >> (64 - SCORE_SW_FILTER_BITS);
    if (!((s->filter[bit / 64] >> (bit % 64)) & 1u))
        return 0;
    const uint64_t *v = score_hmap_get(&s->map, hash);
    return v ? (unsigned)*v : 0;
}
/* Set SCORE_W_STOP, SCORE_W_STOP_EN and SCORE_W_GOPHER on t's words. */
void score_stopwords_mark(score_text *t, const score_stopset *s);

/* ---------------------------------------------------------------- signals */
/* A signal sink: quality.c and repetition.c report each value through it. */
typedef struct score_out {
    sift_doc *doc;         /* borrowed until process() returns */
    const sift_host *host; /* borrowed until fini */
    int rc;                /* first failure of doc_score_set, else 0 */
} score_out;

void score_out_set(score_out *o, const char *name, double value);

typedef struct score_repetition {
    double dup_line_frac, dup_para_frac, dup_line_char_frac, dup_para_char_frac;
    size_t dup_line_chars;   /* code points in lines that repeat an earlier line */
    double top_gram_frac[3]; /* 2-, 3-, 4-grams */
    double dup_gram_frac[6]; /* 5- to 10-grams */
} score_repetition;

/* Gopher repetition signals of t into r. Uses m as scratch. */
int score_repetition_compute(score_text *t, score_hmap *m, score_repetition *r);
void score_repetition_report(const score_repetition *r, score_out *o);

/* Report every quality signal (Gopher quality, C4, FineWeb, readability)
 * and return the combined quality in [0, 1] (also reported as "quality").
 * t's function words are marked (score_stopwords_mark). language:
 * fields.language or NULL (borrowed for the call). */
double score_quality_report(const score_text *t, const score_repetition *r, const char *language,
                            score_out *o);

/* ---------------------------------------------------------------- topics.c */
typedef struct score_topics score_topics;
/* Parse entries "name: term=weight, term, ..." from list (a SIFT_T_LIST of
 * SIFT_T_STR). Caller owns *out; free with score_topics_destroy(). On a
 * syntax error returns SIFT_EINVAL with the reason in err (err_len bytes). */
int score_topics_new(score_topics **out, const sift_host *h, const sift_value *list, char *err,
                     size_t err_len);
void score_topics_destroy(score_topics **pp);
void score_topics_report(score_topics *tp, const score_text *t, score_out *o);

/* ---------------------------------------------------------------- minhash.c */
#define SCORE_MH_BANDS (14)
#define SCORE_MH_ROWS (8)
#define SCORE_MH_HASHES (SCORE_MH_BANDS * SCORE_MH_ROWS)
#define SCORE_MH_NGRAM (5) /* words per shingle */

/* MinHash signature of t's word 5-grams; 0 if t has fewer than 5 words
 * (no signature), 1 when sig was written, SIFT_ENOMEM. */
int score_minhash_sign(score_text *t, uint32_t sig[SCORE_MH_HASHES]);
/* Estimated Jaccard similarity of two signatures. */
double score_minhash_similarity(const uint32_t *a, const uint32_t *b);

typedef struct score_lsh {
    score_hmap bands; /* private: band key -> seq of the latest document with that band */
} score_lsh;

int score_lsh_init(score_lsh *l, size_t expect_docs);
void score_lsh_fini(score_lsh *l);
/* Documents sharing a band with sig, newest per band: up to SCORE_MH_BANDS
 * distinct seqs written to out; returns the count. */
size_t score_lsh_candidates(const score_lsh *l, const uint32_t *sig, uint64_t *out);
int score_lsh_add(score_lsh *l, const uint32_t *sig, uint64_t seq);
void score_lsh_remove(score_lsh *l, const uint32_t *sig, uint64_t seq);

/* ---------------------------------------------------------------- store.c */
/* What the stream remembers of one document: one allocation, which is also
 * the bytes state.c writes to LMDB. Arrays are sorted by term hash. */
typedef struct score_rec {
    uint64_t seq;    /* arrival order, from 1 */
    int64_t arrival; /* processing time, unix seconds */
    int64_t date;    /* fields.date, unix seconds (valid if has_date) */
    int has_date, has_sig;
    const char *id;      /* document id (NUL-terminated, inside the record) */
    const char *story;   /* story id */
    const char *dup_of;  /* original of a near-duplicate, "" if none */
    const uint32_t *sig; /* SCORE_MH_HASHES values when has_sig */
    uint32_t n_terms;
    const uint32_t *terms; /* content-term hashes, sorted */
    const uint16_t *tf;    /* occurrences of each term */
    const uint8_t *tflag;  /* SCORE_T_* of each term */
    uint32_t n_index;
    const uint32_t *index; /* the terms posted in the story index */
    uint32_t n_sents;
    const uint32_t *sent_off;   /* n_sents + 1 offsets into sent_terms */
    const uint32_t *sent_terms; /* per sentence, sorted distinct term hashes */
    void *blob;                 /* private: the allocation holding all of the above */
    size_t size;                /* private: bytes in blob */
    double norm;                /* private to story.c: cached vector length, 0 = none */
    uint64_t norm_at;           /* private to story.c: when it was computed */
    uint64_t norm_docs;         /* private to story.c: documents remembered then */
} score_rec;

/* The fields of a record before packing (borrowed for the call). */
typedef struct score_rec_in {
    uint64_t seq;
    int64_t arrival, date;
    int has_date;
    const uint32_t *sig; /* NULL = none */
    const char *id, *story, *dup_of;
    size_t id_len, story_len, dup_len;
    uint32_t n_terms;
    const uint32_t *terms;
    const uint16_t *tf;
    const uint8_t *tflag;
    uint32_t n_index;
    const uint32_t *index;
    uint32_t n_sents;
    const uint32_t *sent_off, *sent_terms;
} score_rec_in;

/* Pack in into a new record. Caller owns *out; free with score_rec_destroy(). */
int score_rec_new(score_rec **out, const score_rec_in *in);
/* Rebuild a record from bytes written by state.c (copied); SIFT_ESTATE if malformed. */
int score_rec_load(score_rec **out, const void *bytes, size_t size);
void score_rec_destroy(score_rec **pp);

/* The ring of the last max_docs records, by seq, with an index by id. */
typedef struct score_store {
    score_rec **ring; /* private */
    score_hmap ids;   /* private: hash of id -> seq */
    size_t cap;       /* public, read-only: max_docs */
    uint64_t first;   /* public, read-only: oldest live seq (when n > 0) */
    uint64_t next;    /* public, read-only: seq the next record gets */
    size_t n;         /* public, read-only: live records */
} score_store;

int score_store_init(score_store *s, size_t max_docs);
void score_store_fini(score_store *s);
/* Record seq, or NULL when evicted or never seen; borrowed until it leaves the store. */
score_rec *score_store_get(const score_store *s, uint64_t seq);
/* The record of document id (borrowed for the call), or NULL; borrowed as above. */
score_rec *score_store_find(const score_store *s, const char *id);
/* 1 when the ring must give up its oldest record before seq can go in. */
int score_store_full(const score_store *s, uint64_t seq);
/* Take the oldest record out: caller owns; free with score_rec_destroy().
 * NULL when empty. */
score_rec *score_store_pop(score_store *s);
/* Take record seq out (NULL if not live): caller owns; free with score_rec_destroy(). */
score_rec *score_store_take(score_store *s, uint64_t seq);
/* Append rec: on success takes ownership of rec; on failure (SIFT_ENOMEM)
 * rec stays the caller's. rec->seq >= s->next and the ring not full for it
 * (score_store_full). */
int score_store_push(score_store *s, score_rec *rec);

/* ---------------------------------------------------------------- terms.c */
enum {
    SCORE_T_ENTITY = 1u << 0, /* the term names an entity or is a keyword */
    SCORE_T_PAIR = 1u << 1    /* the term is a pair of adjacent words */
};

#define SCORE_MAX_INDEX (32) /* terms a document posts in the story index */

/* The content terms of one document: caller storage, zero-initialise once,
 * reuse (buffers grow), score_doc_terms_fini at the end. */
typedef struct score_doc_terms {
    uint32_t n_terms;
    size_t cap_terms; /* of terms, tf and tflag each */
    uint32_t *terms; /* sorted 32-bit term hashes */
    uint16_t *tf;    /* occurrences */
    uint8_t *tflag;  /* SCORE_T_* */
    uint32_t n_index;
    uint32_t index[SCORE_MAX_INDEX]; /* chosen by score_story_match */
    uint32_t n_sents;
    size_t cap_sents;
    uint32_t *sent_off; /* n_sents + 1 offsets into sent_terms */
    uint32_t n_sent_terms;
    size_t cap_sent_terms;
    uint32_t *sent_terms; /* per sentence (>= 4 terms), sorted distinct term hashes */
} score_doc_terms;

void score_doc_terms_fini(score_doc_terms *dt);

typedef struct score_terms {
    const score_stopset *stop; /* borrowed until fini */
    score_text scratch;     /* private: entity and keyword strings, split */
    score_hmap local;       /* private: term -> slot in the document's arrays */
    score_hmap boost;       /* private: entity and keyword terms */
    void *tmp;              /* private: terms, then the sort's scratch (cap_tmp / 2 each) */
    size_t cap_tmp;
} score_terms;

int score_terms_init(score_terms *b, const score_stopset *stop);
void score_terms_fini(score_terms *b);
/* Build dt from t, marking as entities the terms of fields.entities[].text
 * and fields.keywords[] (fields may be NULL; when it has no entities,
 * capitalised words inside sentences stand in for them). */
int score_terms_build(score_terms *b, const sift_host *h, const score_text *t,
                      const sift_value *fields, score_doc_terms *dt);

/* ---------------------------------------------------------------- story.c */
typedef struct score_story_opts {
    double threshold;         /* tf-idf cosine that joins a story */
    double derived_threshold; /* share of sentences paraphrased from one earlier doc */
    int64_t window_s;         /* story window, seconds; 0 = no limit */
} score_story_opts;

typedef struct score_story score_story; /* private: df counts, inverted index, scratch */

/* The decision for one document. Strings are borrowed from store records
 * until the next score_store_pop. */
typedef struct score_story_result {
    const char *story;        /* NULL: a story of its own */
    const char *derived_from; /* NULL: none */
    double similarity;        /* best cosine seen (0 if no candidate) */
    double aligned;           /* best share of paraphrased sentences (0 if not checked; a
                                 share under the threshold may be a lower bound) */
} score_story_result;

/* The time a document is placed at: fields.date when it has one, and the
 * processing time always (a pair is compared on dates when both have one). */
typedef struct score_when {
    int64_t arrival, date;
    int has_date;
} score_when;

int score_story_new(score_story **out, const score_story_opts *o);
void score_story_destroy(score_story **pp);
/* Count dt's terms in the document frequencies (the document is about to
 * be stored), pick its index terms, then find its story and original among
 * the store's records other than those with the same id (an earlier run
 * of this very document). id: borrowed for the call. */
int score_story_match(score_story *s, const score_store *st, const char *id, score_doc_terms *dt,
                      score_when w, score_story_result *res);
/* Post a stored record in the index; count_df when its terms are not yet
 * counted (loading). Rebuilds the postings when dead entries pile up. */
int score_story_add(score_story *s, const score_store *st, const score_rec *rec, int count_df);
/* Take an evicted record out of the document frequencies. */
void score_story_remove(score_story *s, const score_rec *rec);

/* Parse an ISO 8601 date ("2021-09-04", "2021-09-04T07:58+05:30",
 * "2021-09-04T07:58:00Z"; no zone = UTC) into unix seconds; SIFT_EINVAL if
 * it is not one. */
int score_parse_date(const char *s, int64_t *out);

/* ---------------------------------------------------------------- opts.c */
typedef struct score_opts {
    int64_t min_words, max_docs, window_hours;
    int drop_empty, near_dup, stories;
    double min_quality, near_dup_threshold, story_threshold, derived_threshold;
} score_opts;

/* Read and check the options; on failure the text is given to host->error. */
int score_opts_read(score_opts *o, sift_stage *st, const sift_host *h);

typedef struct score_rules score_rules;
/* Parse the drop_if list. Caller owns *out; free with score_rules_destroy().
 * SIFT_EINVAL with the reason in err for a malformed rule. */
int score_rules_new(score_rules **out, const sift_host *h, const sift_value *list, char *err,
                    size_t err_len);
void score_rules_destroy(score_rules **pp);
/* 1 with the reason written when a rule drops doc, else 0. */
int score_rules_check(const score_rules *rs, const sift_host *h, const sift_doc *doc, char *reason,
                      size_t len);

/* ---------------------------------------------------------------- state.c */
typedef struct score_state score_state;

/* Open (creating) the LMDB environment in dir for at most max_docs records.
 * Caller owns *out; free with score_state_close(). On failure returns
 * SIFT_ESTATE with the reason in err; on success err may still hold a
 * warning (state of another format, dropped), else "". */
int score_state_open(score_state **out, const char *dir, size_t max_docs, char *err,
                     size_t err_len);
void score_state_close(score_state **pp);
/* Call fn for every stored record in seq order; stops at fn's first non-zero return. */
int score_state_load(score_state *s, int (*fn)(void *ctx, const void *bytes, size_t size),
                     void *ctx);
/* Queue writes in the open transaction; committed by score_state_commit (or
 * automatically every few hundred writes). */
int score_state_put(score_state *s, const score_rec *rec);
int score_state_del(score_state *s, uint64_t seq);
/* Commit pending writes and sync to disk. */
int score_state_commit(score_state *s);
/* Text of the last LMDB failure (static), "" if none. */
const char *score_state_error(const score_state *s);

#endif
