/* store.c - what the stream remembers of each recent document, and the ring that bounds it.
 *
 * A record (score_rec) is one allocation: a fixed header, then the MinHash
 * signature, content terms with their counts and flags, the terms posted
 * in the story index, and each sentence's terms, then the id, story and
 * original strings. The same bytes are what state.c writes to LMDB, so
 * loading is one copy plus a check that every length fits (a damaged file
 * reads as SIFT_ESTATE, never as a crash). The ring keeps the last
 * max_docs records by arrival sequence and hands back the one it evicts,
 * and finds a record by document id (a document processed again replaces
 * its record); the indexes over the content live in minhash.c and story.c.
 * Byte order is the host's: state does not move between architectures.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "score.h"

#define REC_MAGIC 0x31524353u /* "SCR1" */
#define REC_HAS_DATE 1u
#define REC_HAS_SIG 2u

typedef struct rec_hdr {
    uint32_t magic, size;
    uint64_t seq;
    int64_t arrival, date;
    uint32_t flags, n_terms, n_index, n_sents, n_sent_terms;
    uint32_t id_len, story_len, dup_len;
} rec_hdr;

/* Bytes a record with these counts takes, or 0 when they overflow 1 GiB. */
static size_t rec_size(const rec_hdr *h)
{
    uint64_t u32s = (h->flags & REC_HAS_SIG ? SCORE_MH_HASHES : 0) + (uint64_t)h->n_terms +
                    h->n_index + (uint64_t)h->n_sents + 1 + h->n_sent_terms;
    uint64_t n =
        sizeof *h + 4 * u32s + 3 * (uint64_t)h->n_terms + h->id_len + h->story_len + h->dup_len + 3;
    return n > (1u << 30) ? 0 : (size_t)n;
}

/* Point rec's members into its blob (whose header and size are checked). */
static void rec_bind(score_rec *r)
{
    const rec_hdr *h = r->blob;
    const uint32_t *u = (const uint32_t *)(h + 1);
    r->seq = h->seq;
    r->arrival = h->arrival;
    r->date = h->date;
    r->has_date = (h->flags & REC_HAS_DATE) != 0;
    r->has_sig = (h->flags & REC_HAS_SIG) != 0;
    r->sig = r->has_sig ? u : NULL;
    u += r->has_sig ? SCORE_MH_HASHES : 0;
    r->n_terms = h->n_terms;
    r->terms = u;
    u += h->n_terms;
    r->n_index = h->n_index;
    r->index = u;
    u += h->n_index;
    r->n_sents = h->n_sents;
    r->sent_off = u;
    u += h->n_sents + 1;
    r->sent_terms = u;
    u += h->n_sent_terms;
    r->tf = (const uint16_t *)u;
    r->tflag = (const uint8_t *)(r->tf + h->n_terms);
    r->id = (const char *)(r->tflag + h->n_terms);
    r->story = r->id + h->id_len + 1;
    r->dup_of = r->story + h->story_len + 1;
}

static score_rec *rec_alloc(size_t size)
{
    size_t head = (sizeof(score_rec) + 7) & ~(size_t)7;
    score_rec *r = malloc(head + size);
    if (!r)
        return NULL;
    memset(r, 0, sizeof *r);
    r->blob = (char *)r + head;
    r->size = size;
    return r;
}

static char *put(char *p, const void *src, size_t n)
{
    if (n)
        memcpy(p, src, n);
    return p + n;
}

int score_rec_new(score_rec **out, const score_rec_in *in)
{
    rec_hdr h = {.magic = REC_MAGIC,
                 .seq = in->seq,
                 .arrival = in->arrival,
                 .date = in->date,
                 .flags = (in->has_date ? REC_HAS_DATE : 0) | (in->sig ? REC_HAS_SIG : 0),
                 .n_terms = in->n_terms,
                 .n_index = in->n_index,
                 .n_sents = in->n_sents,
                 .n_sent_terms = in->n_sents ? in->sent_off[in->n_sents] : 0,
                 .id_len = (uint32_t)in->id_len,
                 .story_len = (uint32_t)in->story_len,
                 .dup_len = (uint32_t)in->dup_len};
    size_t size = rec_size(&h);
    if (!size)
        return SIFT_ERANGE;
    h.size = (uint32_t)size;
    score_rec *r = rec_alloc(size);
    if (!r)
        return SIFT_ENOMEM;
    static const uint32_t zero = 0;
    char *p = put(r->blob, &h, sizeof h);
    p = put(p, in->sig, in->sig ? SCORE_MH_HASHES * sizeof *in->sig : 0);
    p = put(p, in->terms, in->n_terms * sizeof *in->terms);
    p = put(p, in->index, in->n_index * sizeof *in->index);
    p = put(p, in->n_sents ? in->sent_off : &zero, (in->n_sents + 1) * sizeof *in->sent_off);
    p = put(p, in->sent_terms, h.n_sent_terms * sizeof *in->sent_terms);
    p = put(p, in->tf, in->n_terms * sizeof *in->tf);
    p = put(p, in->tflag, in->n_terms);
    p = put(p, in->id, in->id_len);
    *p++ = '\0';
    p = put(p, in->story, in->story_len);
    *p++ = '\0';
    p = put(p, in->dup_of, in->dup_len);
    *p = '\0';
    rec_bind(r);
    *out = r;
    return 0;
}

static int rec_valid(const score_rec *r)
{
    if (r->sent_off[0] != 0)
        return 0;
    const rec_hdr *h = r->blob;
    for (uint32_t i = 0; i < r->n_sents; i++)
        if (r->sent_off[i + 1] < r->sent_off[i] || r->sent_off[i + 1] > h->n_sent_terms)
            return 0;
    return r->id[h->id_len] == '\0' && r->story[h->story_len] == '\0' &&
           r->dup_of[h->dup_len] == '\0' && h->id_len > 0 && h->story_len > 0;
}

int score_rec_load(score_rec **out, const void *bytes, size_t size)
{
    rec_hdr h;
    if (size < sizeof h)
        return SIFT_ESTATE;
    memcpy(&h, bytes, sizeof h);
    if (h.magic != REC_MAGIC || h.size != size || rec_size(&h) != size)
        return SIFT_ESTATE;
    score_rec *r = rec_alloc(size);
    if (!r)
        return SIFT_ENOMEM;
    memcpy(r->blob, bytes, size);
    rec_bind(r);
    if (!rec_valid(r)) {
        free(r);
        return SIFT_ESTATE;
    }
    *out = r;
    return 0;
}

void score_rec_destroy(score_rec **pp)
{
    if (!pp)
        return;
    free(*pp);
    *pp = NULL;
}

int score_store_init(score_store *s, size_t max_docs)
{
    memset(s, 0, sizeof *s);
    s->ring = calloc(max_docs, sizeof *s->ring);
    if (!s->ring || score_hmap_init(&s->ids, max_docs < 4096 ? max_docs : 4096) < 0) {
        free(s->ring);
        s->ring = NULL;
        return SIFT_ENOMEM;
    }
    s->cap = max_docs;
    s->first = s->next = 1;
    return 0;
}

void score_store_fini(score_store *s)
{
    for (size_t i = 0; s->ring && i < s->cap; i++)
        score_rec_destroy(&s->ring[i]);
    free(s->ring);
    score_hmap_fini(&s->ids);
    memset(s, 0, sizeof *s);
}

score_rec *score_store_get(const score_store *s, uint64_t seq)
{
    if (!s->n || seq < s->first || seq >= s->next)
        return NULL;
    return s->ring[seq % s->cap];
}

score_rec *score_store_find(const score_store *s, const char *id)
{
    const uint64_t *seq = score_hmap_get(&s->ids, XXH3_64bits(id, strlen(id)));
    score_rec *r = seq ? score_store_get(s, *seq) : NULL;
    return r && strcmp(r->id, id) == 0 ? r : NULL;
}

int score_store_full(const score_store *s, uint64_t seq)
{
    return s->n && (s->n == s->cap || seq - s->first >= s->cap);
}

/* Take record r (live) out of the ring and the id index. */
static void unlink_rec(score_store *s, score_rec *r)
{
    uint64_t key = XXH3_64bits(r->id, strlen(r->id));
    const uint64_t *seq = score_hmap_get(&s->ids, key);
    if (seq && *seq == r->seq)
        score_hmap_del(&s->ids, key);
    s->ring[r->seq % s->cap] = NULL;
    if (--s->n == 0)
        s->first = s->next;
    else if (r->seq == s->first)
        while (!s->ring[s->first % s->cap]) /* skip gaps: some record lies ahead */
            s->first++;
}

score_rec *score_store_pop(score_store *s)
{
    if (!s->n)
        return NULL;
    while (!s->ring[s->first % s->cap])
        s->first++;
    score_rec *r = s->ring[s->first % s->cap];
    unlink_rec(s, r);
    return r;
}

score_rec *score_store_take(score_store *s, uint64_t seq)
{
    score_rec *r = score_store_get(s, seq);
    if (r)
        unlink_rec(s, r);
    return r;
}

int score_store_push(score_store *s, score_rec *rec)
{
    uint64_t *seq;
    if (score_hmap_put(&s->ids, XXH3_64bits(rec->id, strlen(rec->id)), &seq, NULL) < 0)
        return SIFT_ENOMEM;
    *seq = rec->seq;
    if (!s->n)
        s->first = rec->seq;
    s->ring[rec->seq % s->cap] = rec;
    s->next = rec->seq + 1;
    s->n++;
    return 0;
}
