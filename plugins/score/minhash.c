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
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif
/* Inlined: one hash a shingle of five short words (see words.c). */
#define XXH_INLINE_ALL
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
 * a loop the compiler vectorises; GCC builds an AVX2 clone too and picks
 * it when the plugin loads. The shift is monotonic, so it is taken once,
 * of the least 64-bit sum: the same minimum. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
__attribute__((target_clones("avx2", "default")))
#endif
static uint32_t
column_min(const uint32_t *x, size_t n, uint32_t a, uint64_t b)
{
    uint64_t m = UINT64_MAX;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = (uint64_t)a * x[i] + b;
        m = v < m ? v : m;
    }
    return (uint32_t)(m >> 32);
}

#if defined(__GNUC__) && defined(__x86_64__)
#define HAVE_COLUMN_MIN_AVX512 (1)
/* column_min with AVX-512, where the signature costs most. GCC vectorises
 * the plain loop with a full 64x64-bit multiply (three vpmuludq for eight
 * shingles), not seeing that both factors are 32-bit; vpmuludq alone
 * multiplies the low halves of the 64-bit lanes, so sixteen shingles
 * loaded as they are take two: the even ones in place, the odd ones
 * shifted down. Same sums, same minimum. */
__attribute__((target("avx512f"))) static uint32_t column_min_avx512(const uint32_t *x,
                                                                     size_t n, uint32_t a,
                                                                     uint64_t b)
{
    const __m512i va = _mm512_set1_epi64((long long)a), vb = _mm512_set1_epi64((long long)b);
    __m512i m = _mm512_set1_epi64(-1);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512i v = _mm512_loadu_si512((const void *)(x + i));
        __m512i even = _mm512_add_epi64(_mm512_mul_epu32(v, va), vb);
        __m512i odd = _mm512_add_epi64(_mm512_mul_epu32(_mm512_srli_epi64(v, 32), va), vb);
        m = _mm512_min_epu64(m, _mm512_min_epu64(even, odd));
    }
    uint64_t r = _mm512_reduce_min_epu64(m);
    for (; i < n; i++) {
        uint64_t v = (uint64_t)a * x[i] + b;
        r = v < r ? v : r;
    }
    return (uint32_t)(r >> 32);
}
#endif

typedef uint32_t (*column_min_fn)(const uint32_t *x, size_t n, uint32_t a, uint64_t b);

/* The column_min this CPU runs best. */
static column_min_fn column_min_pick(void)
{
#ifdef HAVE_COLUMN_MIN_AVX512
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return column_min_avx512;
#endif
    return column_min;
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
    column_min_fn min_of = column_min_pick();
    for (size_t k = 0; k < SCORE_MH_HASHES; k++) {
        uint32_t a = (uint32_t)splitmix(&seed) | 1u;
        uint64_t b = splitmix(&seed);
        sig[k] = min_of(t->shingles, n, a, b);
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

/* The index holds the bands of max_docs documents, far more than the CPU
 * caches: each lookup is a miss. All bands' slots are requested first, so
 * the misses overlap instead of following one another. */
size_t score_lsh_candidates(const score_lsh *l, const uint32_t *sig, uint64_t *out)
{
    uint64_t key[SCORE_MH_BANDS];
    size_t n = 0;
    for (size_t b = 0; b < SCORE_MH_BANDS; b++) {
        key[b] = band_key(sig, b);
        score_hmap_prefetch(&l->bands, key[b]);
    }
    for (size_t b = 0; b < SCORE_MH_BANDS; b++) {
        const uint64_t *v = score_hmap_get(&l->bands, key[b]);
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
