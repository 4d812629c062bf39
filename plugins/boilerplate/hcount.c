/* hcount.c - count occurrences of 64-bit hashes within one document.
 *
 * An open-addressing table (linear probing, power-of-two capacity, load
 * at most one half) that lines.c uses to find lines repeated in a page and
 * region.c to find text the article would keep twice. Reset per document;
 * the memory is reused. The per-source memory across documents is
 * learn.c's, not this.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "boilerplate.h"

int bp_hcount_reset(bp_hcount *h, size_t n)
{
    size_t cap = 64;
    while (cap < 2 * n + 2)
        cap *= 2;
    if (cap > h->cap) {
        uint64_t *k = realloc(h->key, cap * sizeof *k);
        if (!k)
            return SIFT_ENOMEM;
        h->key = k;
        uint32_t *c = realloc(h->cnt, cap * sizeof *c);
        if (!c)
            return SIFT_ENOMEM;
        h->cnt = c;
        h->cap = cap;
    }
    h->mask = cap - 1;
    memset(h->key, 0, cap * sizeof *h->key);
    return 0;
}

static size_t find(const bp_hcount *h, uint64_t key)
{
    size_t i = (size_t)(key ^ (key >> 29)) & h->mask;
    while (h->key[i] && h->key[i] != key)
        i = (i + 1) & h->mask;
    return i;
}

uint32_t bp_hcount_add(bp_hcount *h, uint64_t key)
{
    key = key ? key : 1;
    size_t i = find(h, key);
    if (!h->key[i]) {
        h->key[i] = key;
        h->cnt[i] = 0;
    }
    return ++h->cnt[i];
}

uint32_t bp_hcount_get(const bp_hcount *h, uint64_t key)
{
    key = key ? key : 1;
    size_t i = find(h, key);
    return h->key[i] ? h->cnt[i] : 0;
}

void bp_hcount_fini(bp_hcount *h)
{
    free(h->key);
    free(h->cnt);
    memset(h, 0, sizeof *h);
}
