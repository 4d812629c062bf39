/* hmap.c - open-addressing hash map from 64-bit hashes to 64-bit values.
 *
 * The one container behind every count and index the score stage keeps:
 * n-gram counts (repetition.c), LSH bands (minhash.c), document
 * frequencies and postings (story.c), topic terms (topics.c). Keys are
 * mostly hashes, mixed once more for the slot; linear probing with
 * backward-shift deletion keeps lookups short without tombstones. Lookup
 * and insertion are inline in score.h (they run per word); set-up,
 * growth and deletion live here. It knows nothing of what keys mean.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "score.h"

#define MIN_CAP (16)

static size_t cap_for(size_t expect)
{
    size_t cap = MIN_CAP;
    while (cap < expect * 2 + 2)
        cap <<= 1;
    return cap;
}

static int alloc_slots(score_hmap *m, size_t cap)
{
    score_hslot *sl = calloc(cap, sizeof *sl);
    if (!sl)
        return SIFT_ENOMEM;
    m->slots = sl;
    m->cap = m->alloc = cap;
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
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* The capacity stays while it fits expect (too small, or far too big to
 * clear, takes cap_for(expect)); the allocation is kept whenever that
 * capacity fits in it. The scratch maps are reset several times a document
 * at sizes from a few lines to every word: freeing and allocating the slots
 * each time made malloc consolidate and split its free chunks over and over. */
int score_hmap_reset(score_hmap *m, size_t expect)
{
    size_t cap = cap_for(expect);
    if (cap > m->cap || !m->slots || m->cap > 8 * cap) {
        if (cap > m->alloc || !m->slots) {
            score_hmap_fini(m);
            return alloc_slots(m, cap);
        }
        m->cap = cap;
    }
    memset(m->slots, 0, m->cap * sizeof *m->slots);
    m->n = 0;
    return 0;
}

int score_hmap_grow(score_hmap *m)
{
    score_hmap old = *m;
    if (alloc_slots(m, old.cap * 2) < 0) {
        *m = old;
        return SIFT_ENOMEM;
    }
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.slots[i].key)
            continue;
        size_t j = score_hmap_slot(m, old.slots[i].key);
        while (m->slots[j].key)
            j = (j + 1) & (m->cap - 1);
        m->slots[j] = old.slots[i];
        m->n++;
    }
    free(old.slots);
    return 0;
}

int score_hmap_del(score_hmap *m, uint64_t key)
{
    key = score_hmap_key(key);
    size_t mask = m->cap - 1, i = score_hmap_slot(m, key);
    while (m->slots[i].key != key) {
        if (!m->slots[i].key)
            return SIFT_ENOENT;
        i = (i + 1) & mask;
    }
    /* backward shift: pull later members of the probe run into the hole */
    for (size_t j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
        size_t home = score_hmap_slot(m, m->slots[j].key);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    m->slots[i].key = 0;
    m->n--;
    return 0;
}
