/* minhash.c - MinHash signatures of word 5-gram shingles and the banded LSH index over them.
 *
 * A shingle is five consecutive lower-cased words joined by single spaces
 * (words.c lays them out so that every shingle is one contiguous string),
 * hashed with xxHash's XXH3_64bits and folded to 32 bits (x). The
 * signature holds, for each of 112 hash functions h_k(x) = (a_k * x + b_k)
 * >> 32 (Dietzfelbinger's multiply-add-shift with a 32-bit odd a_k and a
 * 64-bit b_k, fixed by a seeded generator so signatures are stable across
 * runs and versions; 32x32-bit products, so the compiler vectorises the
 * 112 of them), the minimum over the document's shingles. Two
 * signatures agree in a position with probability equal to the Jaccard
 * similarity of the shingle sets. The LSH index cuts the signature into
 * 14 bands of 8 values (datatrove's defaults): documents sharing any band
 * are candidates, so a pair at Jaccard 0.8 is found with probability
 * 1 - (1 - 0.8^8)^14 = 0.998 and one at 0.3 almost never. What counts as a
 * duplicate (the threshold) and what is done with it is score.c's choice.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <xxhash.h>

#include "score.h"

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* min over i of (a * x[i] + b) >> 32: one hash function over all shingles,
 * a loop the compiler vectorises (32x32->64-bit multiplies); GCC builds an
 * AVX2 and an AVX-512 clone too and picks one when the plugin loads. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
static uint32_t
column_min(const uint32_t *x, size_t n, uint32_t a, uint64_t b)
{
    uint32_t m = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        uint32_t v = (uint32_t)(((uint64_t)a * x[i] + b) >> 32);
        m = v < m ? v : m;
    }
    return m;
}

int score_minhash_sign(score_text *t, uint32_t sig[SCORE_MH_HASHES])
{
    if (t->n_words < SCORE_MH_NGRAM)
        return 0;
    size_t n = t->n_words - SCORE_MH_NGRAM + 1;
    if (score_grow((void **)&t->shingles, &t->cap_shingles, n, sizeof *t->shingles) < 0)
        return SIFT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const score_word *first = &t->words[i], *last = &t->words[i + SCORE_MH_NGRAM - 1];
        uint64_t h = XXH3_64bits(t->lower + first->loff, last->loff + last->llen - first->loff);
        t->shingles[i] = (uint32_t)(h ^ (h >> 32));
    }
    uint64_t seed = 0x5349465453434f52ull;
    for (size_t k = 0; k < SCORE_MH_HASHES; k++) {
        uint32_t a = (uint32_t)splitmix(&seed) | 1u;
        uint64_t b = splitmix(&seed);
        sig[k] = column_min(t->shingles, n, a, b);
    }
    return 1;
}

double score_minhash_similarity(const uint32_t *a, const uint32_t *b)
{
    size_t same = 0;
    for (size_t k = 0; k < SCORE_MH_HASHES; k++)
        same += a[k] == b[k];
    return (double)same / SCORE_MH_HASHES;
}

static uint64_t band_key(const uint32_t *sig, size_t band)
{
    return XXH3_64bits_withSeed(sig + band * SCORE_MH_ROWS, SCORE_MH_ROWS * sizeof *sig,
                                (uint64_t)band + 1);
}

int score_lsh_init(score_lsh *l, size_t expect_docs)
{
    return score_hmap_init(&l->bands, expect_docs * SCORE_MH_BANDS);
}

void score_lsh_fini(score_lsh *l)
{
    score_hmap_fini(&l->bands);
}

size_t score_lsh_candidates(const score_lsh *l, const uint32_t *sig, uint64_t *out)
{
    size_t n = 0;
    for (size_t b = 0; b < SCORE_MH_BANDS; b++) {
        const uint64_t *v = score_hmap_get(&l->bands, band_key(sig, b));
        if (!v)
            continue;
        size_t j = 0;
        while (j < n && out[j] != *v)
            j++;
        if (j == n)
            out[n++] = *v;
    }
    return n;
}

int score_lsh_add(score_lsh *l, const uint32_t *sig, uint64_t seq)
{
    for (size_t b = 0; b < SCORE_MH_BANDS; b++) {
        uint64_t *v;
        if (score_hmap_put(&l->bands, band_key(sig, b), &v, NULL) < 0)
            return SIFT_ENOMEM;
        *v = seq;
    }
    return 0;
}

void score_lsh_remove(score_lsh *l, const uint32_t *sig, uint64_t seq)
{
    for (size_t b = 0; b < SCORE_MH_BANDS; b++) {
        uint64_t key = band_key(sig, b);
        const uint64_t *v = score_hmap_get(&l->bands, key);
        if (v && *v == seq)
            score_hmap_del(&l->bands, key);
    }
}
