/* words.c - UTF-8 helpers and the string-keyed word table of the extract stage.
 *
 * Owns code point decoding with an ASCII fast path, the character classes
 * the finders share (letters, case, CJK scripts; utf8proc decides outside
 * ASCII), lower-casing, and sift_wtab: an open-addressing hash table of
 * counted words whose memory is kept across documents, and the top-k
 * ranking the finders share. It knows no language and no word list
 * (lexicon.c).
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "extract.h"

#define L SIFT_C_LOWER
#define U SIFT_C_UPPER
#define D SIFT_C_DIGIT
const unsigned char sift_ascii[128] = {
    ['\t'] = SIFT_C_SPACE,
    [' '] = SIFT_C_SPACE,
    ['\''] = SIFT_C_JOIN,
    ['-'] = SIFT_C_JOIN,
    ['.'] = SIFT_C_TERM,
    ['!'] = SIFT_C_TERM,
    ['?'] = SIFT_C_TERM,
    ['0'] = D,
    ['1'] = D,
    ['2'] = D,
    ['3'] = D,
    ['4'] = D,
    ['5'] = D,
    ['6'] = D,
    ['7'] = D,
    ['8'] = D,
    ['9'] = D,
    ['A'] = U,
    ['B'] = U,
    ['C'] = U,
    ['D'] = U,
    ['E'] = U,
    ['F'] = U,
    ['G'] = U,
    ['H'] = U,
    ['I'] = U,
    ['J'] = U,
    ['K'] = U,
    ['L'] = U,
    ['M'] = U,
    ['N'] = U,
    ['O'] = U,
    ['P'] = U,
    ['Q'] = U,
    ['R'] = U,
    ['S'] = U,
    ['T'] = U,
    ['U'] = U,
    ['V'] = U,
    ['W'] = U,
    ['X'] = U,
    ['Y'] = U,
    ['Z'] = U,
    ['a'] = L,
    ['b'] = L,
    ['c'] = L,
    ['d'] = L,
    ['e'] = L,
    ['f'] = L,
    ['g'] = L,
    ['h'] = L,
    ['i'] = L,
    ['j'] = L,
    ['k'] = L,
    ['l'] = L,
    ['m'] = L,
    ['n'] = L,
    ['o'] = L,
    ['p'] = L,
    ['q'] = L,
    ['r'] = L,
    ['s'] = L,
    ['t'] = L,
    ['u'] = L,
    ['v'] = L,
    ['w'] = L,
    ['x'] = L,
    ['y'] = L,
    ['z'] = L,
};
#undef L
#undef U
#undef D

int32_t sift_utf8_next_multi(const char *s, size_t n, size_t *i)
{
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)s + *i, (utf8proc_ssize_t)(n - *i), &cp);
    if (k <= 0) {
        (*i)++;
        return 0xFFFD;
    }
    *i += (size_t)k;
    return cp;
}

size_t sift_utf8_put(int32_t cp, char *out)
{
    return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
}

int sift_utf8_is_letter_multi(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

int sift_utf8_is_upper_multi(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int sift_utf8_is_lower_multi(int32_t cp)
{
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

size_t sift_utf8_fold(const char *s, size_t n, char *out, size_t cap)
{
    size_t i = 0, o = 0;
    while (i < n && o < cap && (unsigned char)s[i] < 0x80) { /* ASCII: a table lookup a byte */
        unsigned char c = (unsigned char)s[i++];
        out[o++] = (char)((sift_ascii[c] & SIFT_C_UPPER) ? c + 32 : c);
    }
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (o + 1 > cap)
                break;
            out[o++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
            i++;
            continue;
        }
        int32_t cp = utf8proc_tolower(sift_utf8_next(s, n, &i));
        char tmp[4];
        size_t k = sift_utf8_put(cp, tmp);
        if (o + k > cap)
            break;
        memcpy(out + o, tmp, k);
        o += k;
    }
    return o;
}

size_t sift_utf8_count(const char *s, size_t n)
{
    size_t c = 0, i = 0;
    for (; i + 8 <= n; i += 8) { /* eight bytes at a time: count continuation bytes */
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t cont = (x >> 7) & ~(x >> 6) & 0x0101010101010101ull; /* 1 per such byte */
        c += 8 - (size_t)((cont * 0x0101010101010101ull) >> 56);
    }
    for (; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* ---------------------------------------------------------------- word table */

#define BLOCK_BYTES (64 * 1024)

typedef struct block {
    char *p;
    size_t used, cap;
} block;

/* A slot keeps the hash beside the entry index, so probing past other
 * keys never touches their entries (the cache misses a lookup costs). */
typedef struct slot {
    uint32_t idx; /* 0 = empty, else entry index + 1 */
    uint32_t hash;
} slot;

#define MIN_SLOTS 256

struct sift_wtab {
    sift_wentry *ents;
    size_t n, cap; /* entries in use / allocated */
    slot *slots;
    size_t n_slots; /* power of two */
    block *blocks;
    size_t n_blocks, cur; /* cur: block being filled */
};

/* FNV-1a over 8-byte words, then a final mix: short keys, few steps. */
uint32_t sift_hash_bytes(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ull ^ n;
    while (n >= 8) {
        uint64_t x;
        memcpy(&x, s, 8);
        h = (h ^ x) * 1099511628211ull;
        s += 8, n -= 8;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < n; i++) /* a byte loop: memcpy of a variable size is a call */
        tail |= (uint64_t)(unsigned char)s[i] << (8 * i);
    h = (h ^ tail) * 1099511628211ull;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    return (uint32_t)(h ^ (h >> 32));
}

int sift_wtab_new(sift_wtab **out)
{
    sift_wtab *t = calloc(1, sizeof *t);
    if (!t)
        return SIFT_ENOMEM;
    t->n_slots = MIN_SLOTS;
    t->slots = calloc(t->n_slots, sizeof *t->slots);
    if (!t->slots) {
        free(t);
        return SIFT_ENOMEM;
    }
    *out = t;
    return SIFT_OK;
}

void sift_wtab_destroy(sift_wtab **pp)
{
    if (!pp || !*pp)
        return;
    sift_wtab *t = *pp;
    for (size_t i = 0; i < t->n_blocks; i++)
        free(t->blocks[i].p);
    free(t->blocks);
    free(t->slots);
    free(t->ents);
    free(t);
    *pp = NULL;
}

void sift_wtab_clear(sift_wtab *t)
{
    if (t->n * 8 >= t->n_slots) {
        memset(t->slots, 0, t->n_slots * sizeof *t->slots);
    } else { /* a table grown by a long document: clear only the slots in use */
        for (size_t i = 0; i < t->n; i++) {
            size_t j = t->ents[i].hash & (t->n_slots - 1);
            while (t->slots[j].idx != i + 1)
                j = (j + 1) & (t->n_slots - 1);
            t->slots[j].idx = 0;
        }
    }
    t->n = 0;
    for (size_t i = 0; i < t->n_blocks; i++)
        t->blocks[i].used = 0;
    t->cur = 0;
}

static char *arena_copy(sift_wtab *t, const char *s, size_t n)
{
    while (t->cur < t->n_blocks && t->blocks[t->cur].cap - t->blocks[t->cur].used < n + 1)
        t->cur++;
    if (t->cur == t->n_blocks) {
        block *nb = realloc(t->blocks, (t->n_blocks + 1) * sizeof *nb);
        if (!nb)
            return NULL;
        t->blocks = nb;
        size_t cap = n + 1 > BLOCK_BYTES ? n + 1 : BLOCK_BYTES;
        nb[t->n_blocks] = (block){.p = malloc(cap), .used = 0, .cap = cap};
        if (!nb[t->n_blocks].p)
            return NULL;
        t->n_blocks++;
    }
    block *b = &t->blocks[t->cur];
    char *p = b->p + b->used;
    memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}

static int grow_slots(sift_wtab *t)
{
    size_t ns = t->n_slots * 2;
    slot *sl = calloc(ns, sizeof *sl);
    if (!sl)
        return SIFT_ENOMEM;
    for (size_t i = 0; i < t->n; i++) {
        size_t j = t->ents[i].hash & (ns - 1);
        while (sl[j].idx)
            j = (j + 1) & (ns - 1);
        sl[j] = (slot){.idx = (uint32_t)(i + 1), .hash = t->ents[i].hash};
    }
    free(t->slots);
    t->slots = sl;
    t->n_slots = ns;
    return SIFT_OK;
}

/* Entry index + 1 of key, 0 when absent. */
static int same_bytes(const char *a, const char *b, size_t n)
{
    while (n >= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return 0;
        a += 8, b += 8, n -= 8;
    }
    while (n--)
        if (*a++ != *b++)
            return 0;
    return 1;
}

static uint32_t lookup(const sift_wtab *t, const char *key, size_t len, uint32_t h)
{
    size_t j = h & (t->n_slots - 1);
    while (t->slots[j].idx) {
        if (t->slots[j].hash == h) {
            const sift_wentry *e = &t->ents[t->slots[j].idx - 1];
            if (e->len == len && same_bytes(e->key, key, len))
                return t->slots[j].idx;
        }
        j = (j + 1) & (t->n_slots - 1);
    }
    return 0;
}

const sift_wentry *sift_wtab_find(const sift_wtab *t, const char *key, size_t len)
{
    uint32_t k = lookup(t, key, len, sift_hash_bytes(key, len));
    return k ? &t->ents[k - 1] : NULL;
}

sift_wentry *sift_wtab_get(sift_wtab *t, const char *key, size_t len, int add)
{
    uint32_t h = sift_hash_bytes(key, len);
    uint32_t found = lookup(t, key, len, h);
    if (found || !add)
        return found ? &t->ents[found - 1] : NULL;
    if ((t->n + 1) * 2 > t->n_slots && grow_slots(t) < 0)
        return NULL;
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        sift_wentry *ne = realloc(t->ents, nc * sizeof *ne);
        if (!ne)
            return NULL;
        t->ents = ne;
        t->cap = nc;
    }
    char *k = arena_copy(t, key, len);
    if (!k)
        return NULL;
    sift_wentry *e = &t->ents[t->n];
    *e = (sift_wentry){.key = k, .len = (uint32_t)len, .hash = h};
    size_t j = h & (t->n_slots - 1);
    while (t->slots[j].idx)
        j = (j + 1) & (t->n_slots - 1);
    t->slots[j] = (slot){.idx = (uint32_t)(++t->n), .hash = h};
    return e;
}

sift_wentry *sift_wtab_entries(sift_wtab *t, size_t *n_out)
{
    *n_out = t->n;
    return t->ents;
}

/* ---------------------------------------------------------------- ranking */

static int better(const sift_rank *a, const sift_rank *b)
{
    return a->key1 > b->key1 || (a->key1 == b->key1 && a->key2 < b->key2);
}

void sift_rank_keep(sift_rank *top, size_t *n, size_t cap, sift_rank r)
{
    if (!cap || (*n == cap && !better(&r, &top[cap - 1])))
        return;
    size_t i = *n < cap ? (*n)++ : cap - 1;
    while (i > 0 && better(&r, &top[i - 1])) {
        top[i] = top[i - 1];
        i--;
    }
    top[i] = r;
}
