/* words.c - UTF-8 helpers and the string-keyed word table of the extract stage.
 *
 * Owns code point decoding with an ASCII fast path, the character classes
 * the finders share (letters, case, CJK scripts; utf8proc decides outside
 * ASCII), lower-casing, and sift_wtab: an open-addressing hash table of
 * counted words whose memory is kept across documents (the top-k ranking
 * the finders share is inline in extract.h). It knows no language and no
 * word list (lexicon.c).
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "extract.h"

#define L SIFT_C_LOWER
#define U SIFT_C_UPPER
#define D SIFT_C_DIGIT
const unsigned char sift_ascii[256] = {
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

/* The slow path of sift_utf8_next (extract.h), past ASCII: utf8proc's
 * decoder; an ill-formed byte reads as U+FFFD and is skipped alone. */
int32_t sift_utf8_next_multi(const char *s, size_t n, size_t *i)
{
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t k = *i < n ? utf8proc_iterate((const utf8proc_uint8_t *)s + *i,
                                                   (utf8proc_ssize_t)(n - *i), &cp)
                                : -1;
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

unsigned sift_utf8_class_multi(int32_t cp)
{
    if (cp >= 0x2000 && cp <= 0x206F)
        return 0; /* General Punctuation: no letter or mark, and the commonest block past ASCII */
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT: return SIFT_U_LETTER | SIFT_U_UPPER;
    case UTF8PROC_CATEGORY_LL: return SIFT_U_LETTER | SIFT_U_LOWER;
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: return SIFT_U_LETTER;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: return SIFT_U_MARK;
    default: return 0;
    }
}

int sift_utf8_is_letter_multi(int32_t cp)
{
    return (sift_utf8_class_multi(cp) & SIFT_U_LETTER) != 0;
}

int sift_utf8_is_upper_multi(int32_t cp)
{
    return (sift_utf8_class_multi(cp) & SIFT_U_UPPER) != 0;
}

int sift_utf8_is_lower_multi(int32_t cp)
{
    return (sift_utf8_class_multi(cp) & SIFT_U_LOWER) != 0;
}

size_t sift_utf8_fold(const char *s, size_t n, char *out, size_t cap)
{
    size_t i = 0, o = 0;
#if SIFT_SWAR
    if (n >= 4 && n < 8 && n <= cap) { /* a short ASCII word: two overlapping four-byte steps */
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        if (!((a | b) & 0x80808080u)) {
            a |= (uint32_t)(sift_bytes_in_range(a, 'A', 'Z') >> 2);
            b |= (uint32_t)(sift_bytes_in_range(b, 'A', 'Z') >> 2);
            memcpy(out, &a, 4);
            memcpy(out + n - 4, &b, 4);
            return n;
        }
    }
    for (; i + 8 <= n && o + 8 <= cap; i += 8, o += 8) { /* ASCII: eight bytes a step */
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (x & SIFT_HIGH8)
            break;
        x |= sift_bytes_in_range(x, 'A', 'Z') >> 2; /* 0x80 >> 2 = 0x20: the case bit */
        memcpy(out + o, &x, 8);
    }
    /* The last bytes of an ASCII word of eight or more: one step over its
     * last eight, which folds some bytes a second time, to the same. */
    if (i < n && n - i < 8 && n >= 8 && n <= cap) {
        uint64_t x;
        memcpy(&x, s + n - 8, 8);
        if (!(x & SIFT_HIGH8)) {
            x |= sift_bytes_in_range(x, 'A', 'Z') >> 2;
            memcpy(out + n - 8, &x, 8);
            return n;
        }
    }
#endif
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
        if (o + 4 <= cap) { /* room for any code point: straight into out */
            o += sift_utf8_put(cp, out + o);
            continue;
        }
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

typedef struct sift_wblock {
    char *p;
    size_t used, cap;
} block;

#define MIN_SLOTS 256

int sift_wtab_new(sift_wtab **out)
{
    sift_wtab *t = calloc(1, sizeof *t);
    if (!t)
        return SIFT_ENOMEM;
    t->n_slots = t->cap_slots = MIN_SLOTS;
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

/* Each document starts again from MIN_SLOTS slots (of those allocated):
 * a table sized for the longest page seen would spread a short page's
 * few hundred words over a cold array, a cache miss a lookup. Only those
 * slots are cleared: growing clears the slots it takes up (resize_slots). */
void sift_wtab_clear(sift_wtab *t)
{
    memset(t->slots, 0, MIN_SLOTS * sizeof *t->slots);
    t->n_slots = MIN_SLOTS;
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

/* Use ns slots (a power of two, more than in use), allocating only past
 * the most a page needed, and place the entries again. */
static int resize_slots(sift_wtab *t, size_t ns)
{
    if (ns > t->cap_slots) {
        sift_wslot *sl = calloc(ns, sizeof *sl);
        if (!sl)
            return SIFT_ENOMEM;
        free(t->slots);
        t->slots = sl;
        t->cap_slots = ns;
    } else {
        memset(t->slots, 0, ns * sizeof *t->slots);
    }
    t->n_slots = ns;
    for (size_t i = 0; i < t->n; i++) {
        size_t j = t->ents[i].hash & (ns - 1);
        while (t->slots[j].idx)
            j = (j + 1) & (ns - 1);
        t->slots[j] = (sift_wslot){.idx = (uint32_t)(i + 1), .hash = t->ents[i].hash};
    }
    return SIFT_OK;
}

int sift_wtab_reserve(sift_wtab *t, size_t n)
{
    size_t ns = t->n_slots;
    while (ns < 2 * n)
        ns *= 2;
    return ns > t->n_slots ? resize_slots(t, ns) : SIFT_OK;
}

sift_wentry *sift_wtab_add(sift_wtab *t, const char *key, size_t len, uint32_t h)
{
    if ((t->n + 1) * 2 > t->n_slots && resize_slots(t, t->n_slots * 2) < 0)
        return NULL;
    if (sift_grow_items((void **)&t->ents, &t->cap, t->n + 1, sizeof *t->ents, 64) < 0)
        return NULL;
    char *k = arena_copy(t, key, len);
    if (!k)
        return NULL;
    sift_wentry *e = &t->ents[t->n];
    *e = (sift_wentry){.key = k, .len = (uint32_t)len, .hash = h};
    size_t j = h & (t->n_slots - 1);
    while (t->slots[j].idx)
        j = (j + 1) & (t->n_slots - 1);
    t->slots[j] = (sift_wslot){.idx = (uint32_t)(++t->n), .hash = h};
    return e;
}
