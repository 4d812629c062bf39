/* prefix.c - which ^-anchored patterns can match a line, told by its first characters.
 *
 * A pattern anchored at the line start ("^(share|subscribe|...)") fails on
 * most lines, but PCRE2 tries each alternative of a long list before it
 * says so. Whether a line can match at all depends on its first characters
 * far more often than not, and lines start with the same few characters
 * again and again ("The", "In ", "Pho"). So the key of a line is its first
 * PREFIX_CHARS characters, and PCRE2 itself is asked, once per key, which
 * patterns could match a line that starts with it: a hard partial match
 * (PCRE2_PARTIAL_HARD) of the key alone ends in a match or
 * PCRE2_ERROR_PARTIAL when some text beginning with the key might match,
 * and in PCRE2_ERROR_NOMATCH only when none can. Keys are raw text, not
 * lower-cased, so a pattern's case rules need no thought.
 *
 * The answers, a bit mask over the patterns, are kept in a two-way cache
 * of PREFIX_SLOTS keys (a new key evicts the older of the two in its pair
 * of slots), so the memory is fixed and a line costs one hash and one
 * compare once its key was seen. Only the patterns a caller wants are
 * asked about (a long line is not tried against patterns for short lines),
 * and the cache remembers which it knows. Before the cache, the bytes PCRE2
 * knows a pattern's match can start with (bp_first_bytes) rule patterns out
 * by the line's first byte. Up to BP_PREFIX_MAX patterns; which patterns
 * run, and in what order, is patterns.c's.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "boilerplate.h"

#define PREFIX_CHARS (3)    /* characters of a line's key */
#define KEY_MAX (15)        /* bytes of a key: as many of its characters as fit */
#define PREFIX_SLOTS (4096) /* cached keys; power of two (32 bytes each) */

typedef struct slot {
    uint64_t key[2]; /* the key's bytes, zeros after them, and its length plus one in
                        the last byte; all zero: an empty slot */
    uint64_t known;  /* patterns asked about for this key so far */
    uint64_t mask;   /* of those, the ones that may match a line starting with key */
} slot;

struct bp_prefix {
    pcre2_code *re[BP_PREFIX_MAX]; /* borrowed until bp_prefix_destroy */
    int jit[BP_PREFIX_MAX];        /* re[i] has JIT code */
    size_t n;
    uint64_t first[256]; /* by a line's first byte: the patterns that can start with it */
    slot *slots;
    pcre2_match_data *md;
};

int bp_prefix_new(bp_prefix **out)
{
    bp_prefix *c = calloc(1, sizeof *c);
    if (!c || !(c->slots = aligned_alloc(64, PREFIX_SLOTS * sizeof *c->slots)) ||
        !(c->md = pcre2_match_data_create(1, NULL))) { /* a pair of slots a cache line */
        bp_prefix_destroy(&c);
        return SIFT_ENOMEM;
    }
    memset(c->slots, 0, PREFIX_SLOTS * sizeof *c->slots);
    *out = c;
    return 0;
}

void bp_prefix_destroy(bp_prefix **pp)
{
    bp_prefix *c = pp ? *pp : NULL;
    if (!c)
        return;
    free(c->slots);
    pcre2_match_data_free(c->md);
    free(c);
    *pp = NULL;
}

void bp_first_bytes(const pcre2_code *re, uint64_t *set)
{
    uint32_t type = 0, cu = 0;
    const uint8_t *bitmap = NULL;
    memset(set, 0, 4 * sizeof *set);
    pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type);
    if (type == 1 && pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT, &cu) == 0 && cu < 0x80) {
        set[cu >> 6] |= (uint64_t)1 << (cu & 63);
        if ((cu | 32) >= 'a' && (cu | 32) <= 'z') { /* caseless: either case, or Unicode's */
            set[(cu ^ 32) >> 6] |= (uint64_t)1 << ((cu ^ 32) & 63);
            set[2] = set[3] = ~(uint64_t)0;
        }
        return;
    }
    if (type == 0 && pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 && bitmap) {
        for (unsigned b = 0; b < 256; b++)
            if ((bitmap[b >> 3] >> (b & 7)) & 1u)
                set[b >> 6] |= (uint64_t)1 << (b & 63);
        return;
    }
    memset(set, 0xff, 4 * sizeof *set);
}

int bp_prefix_add(bp_prefix *c, pcre2_code *re)
{
    uint64_t first[4];
    if (c->n == BP_PREFIX_MAX)
        return -1;
    bp_first_bytes(re, first);
    for (unsigned b = 0; b < 256; b++)
        if ((first[b >> 6] >> (b & 63)) & 1u)
            c->first[b] |= (uint64_t)1 << c->n;
    /* interpreted when the library has no JIT */
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD);
    c->re[c->n] = re; /* no cached key knows about it yet */
    c->jit[c->n] = bp_has_jit(re);
    return (int)c->n++;
}

/* Bytes of the first PREFIX_CHARS characters of s[0, n) (valid UTF-8), or
 * of as many of them as fit in KEY_MAX bytes. */
static size_t key_len(const uint8_t *s, size_t n)
{
    size_t i = 0;
    for (int chars = 0; chars < PREFIX_CHARS && i < n; chars++) {
        size_t k = s[i] < 0x80 ? 1 : s[i] < 0xe0 ? 2 : s[i] < 0xf0 ? 3 : 4;
        if (i + k > KEY_MAX)
            break;
        i += k;
    }
    return i < n ? i : n;
}

/* The key's bytes and length as two words, and its pair of slots. */
static size_t slot_of(const uint8_t *s, size_t len, uint64_t *key)
{
    char w[KEY_MAX + 1] = {0};
    for (size_t i = 0; i < len; i++)
        w[i] = (char)s[i];
    w[KEY_MAX] = (char)(len + 1);
    memcpy(key, w, KEY_MAX + 1);
    uint64_t h = (key[0] * 0x9e3779b97f4a7c15ull) ^ (key[1] * 0xc2b2ae3d27d4eb4full);
    return ((size_t)(h ^ (h >> 29) ^ (h >> 47)) & (PREFIX_SLOTS / 2 - 1)) * 2;
}

/* Ask PCRE2 which of the patterns in cand can match a text that starts
 * with key. */
static uint64_t mask_of(const bp_prefix *c, const char *key, size_t len, uint64_t cand)
{
    uint64_t mask = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (!((cand >> i) & 1u))
            continue;
        int rc = bp_match(c->re[i], c->jit[i], key, len, 0, PCRE2_PARTIAL_HARD, c->md);
        if (rc >= 0 || rc == PCRE2_ERROR_PARTIAL)
            mask |= (uint64_t)1 << i;
    }
    return mask;
}

void bp_prefix_prefetch(const bp_prefix *c, const char *s, size_t n)
{
    uint64_t key[2];
    if (!n || !c->first[(uint8_t)s[0]])
        return; /* bp_prefix_mask reads no slot */
    size_t len = key_len((const uint8_t *)s, n);
    const slot *sl = &c->slots[slot_of((const uint8_t *)s, len, key)];
#if defined(__GNUC__) /* GCC and clang; elsewhere the load simply waits */
    __builtin_prefetch(sl);
#else
    (void)sl;
#endif
}

uint64_t bp_prefix_mask(bp_prefix *c, const char *s, size_t n, uint64_t want)
{
    uint64_t key[2];
    want &= n ? c->first[(uint8_t)s[0]] : ~(uint64_t)0;
    if (!want)
        return 0;
    size_t len = key_len((const uint8_t *)s, n);
    slot *sl = &c->slots[slot_of((const uint8_t *)s, len, key)], seen;
    if (sl[0].key[0] != key[0] || sl[0].key[1] != key[1]) { /* the other way, or new */
        int in_1 = sl[1].key[0] == key[0] && sl[1].key[1] == key[1];
        seen = in_1 ? sl[1] : (slot){.key = {key[0], key[1]}};
        sl[1] = sl[0]; /* the most recent key stays first */
        sl[0] = seen;
    }
    if (want & ~sl->known) {
        sl->mask |= mask_of(c, s, len, want & ~sl->known);
        sl->known |= want;
    }
    return sl->mask & want;
}
