/* hmap.c - open-addressing hash map from 64-bit hashes to 64-bit values.
 *
 * The one container behind every count and index the score stage keeps:
 * n-gram counts (repetition.c), LSH bands (minhash.c), document
 * frequencies and postings (story.c), topic terms (topics.c). Keys are
 * already hashes, so the slot is the key's low bits; linear probing with
 * backward-shift deletion keeps lookups short without tombstones. It knows
 * nothing of what the keys mean.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "score.h"

#define SCORE_HMAP_ZERO 0x9e3779b97f4a7c15ull /* stands in for key 0, which marks empty */
#define MIN_CAP (16)

static uint64_t fix_key(uint64_t key) { return key ? key : SCORE_HMAP_ZERO; }

static size_t slot_of(const score_hmap *m, uint64_t key)
{
    /* keys are hashes, but mix once more so sequential keys (seqs) spread */
    key ^= key >> 31;
    key *= 0xbf58476d1ce4e5b9ull;
    key ^= key >> 29;
    return (size_t)key & (m->cap - 1);
}

static size_t cap_for(size_t expect)
{
    size_t cap = MIN_CAP;
    while (cap < expect * 2 + 2)
        cap <<= 1;
    return cap;
}

static int alloc_slots(score_hmap *m, size_t cap)
{
    uint64_t *k = calloc(cap, sizeof *k);
    uint64_t *v = malloc(cap * sizeof *v);
    if (!k || !v) {
        free(k);
        free(v);
        return SIFT_ENOMEM;
    }
    m->keys = k;
    m->vals = v;
    m->cap = cap;
    m->n = 0;
    return 0;
}

int score_hmap_init(score_hmap *m, size_t expect)
{
    memset(m, 0, sizeof *m);
    return alloc_slots(m, cap_for(expect));
}

void score_hmap_fini(score_hmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

int score_hmap_reset(score_hmap *m, size_t expect)
{
    size_t cap = cap_for(expect);
    if (cap > m->cap || !m->keys) {
        score_hmap_fini(m);
        return alloc_slots(m, cap);
    }
    memset(m->keys, 0, m->cap * sizeof *m->keys);
    m->n = 0;
    return 0;
}

uint64_t *score_hmap_get(const score_hmap *m, uint64_t key)
{
    key = fix_key(key);
    for (size_t i = slot_of(m, key);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == key)
            return &m->vals[i];
        if (!m->keys[i])
            return NULL;
    }
}

static int grow(score_hmap *m)
{
    score_hmap old = *m;
    if (alloc_slots(m, old.cap * 2) < 0) {
        *m = old;
        return SIFT_ENOMEM;
    }
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.keys[i])
            continue;
        size_t j = slot_of(m, old.keys[i]);
        while (m->keys[j])
            j = (j + 1) & (m->cap - 1);
        m->keys[j] = old.keys[i];
        m->vals[j] = old.vals[i];
        m->n++;
    }
    free(old.keys);
    free(old.vals);
    return 0;
}

int score_hmap_put(score_hmap *m, uint64_t key, uint64_t **val, int *is_new)
{
    if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
        return SIFT_ENOMEM;
    key = fix_key(key);
    size_t i = slot_of(m, key);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    int fresh = !m->keys[i];
    if (fresh) {
        m->keys[i] = key;
        m->vals[i] = 0;
        m->n++;
    }
    if (is_new)
        *is_new = fresh;
    *val = &m->vals[i];
    return 0;
}

int score_hmap_del(score_hmap *m, uint64_t key)
{
    key = fix_key(key);
    size_t mask = m->cap - 1, i = slot_of(m, key);
    while (m->keys[i] != key) {
        if (!m->keys[i])
            return SIFT_ENOENT;
        i = (i + 1) & mask;
    }
    /* backward shift: pull later members of the probe run into the hole */
    for (size_t j = (i + 1) & mask; m->keys[j]; j = (j + 1) & mask) {
        size_t home = slot_of(m, m->keys[j]);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            m->keys[i] = m->keys[j];
            m->vals[i] = m->vals[j];
            i = j;
        }
    }
    m->keys[i] = 0;
    m->n--;
    return 0;
}

int score_hmap_next(const score_hmap *m, size_t *pos, uint64_t *key, uint64_t *val)
{
    for (size_t i = *pos; i < m->cap; i++) {
        if (m->keys[i]) {
            *key = m->keys[i] == SCORE_HMAP_ZERO ? 0 : m->keys[i];
            *val = m->vals[i];
            *pos = i + 1;
            return 1;
        }
    }
    *pos = m->cap;
    return 0;
}
