/* words.c - UTF-8 helpers and the string-keyed word table of the extract stage.
 *
 * Owns code point decoding with an ASCII fast path, the character classes
 * the finders share (letters, case, CJK scripts; utf8proc decides outside
 * ASCII), lower-casing, and sift_wtab: an open-addressing hash table of
 * counted words whose memory is kept across documents. It knows no
 * language and no word list (lexicon.c).
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "extract.h"

int32_t sift_utf8_next(const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + *i,
                                          (utf8proc_ssize_t)(n - *i), &cp);
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

int sift_utf8_is_letter(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

int sift_utf8_is_upper(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int sift_utf8_is_lower(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

int sift_utf8_is_digit(int32_t cp)
{
    return cp >= '0' && cp <= '9';
}

int sift_utf8_is_cjk(int32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF)     /* Hiragana, Katakana */
           || (cp >= 0x3400 && cp <= 0x4DBF)  /* Han extension A */
           || (cp >= 0x4E00 && cp <= 0x9FFF)  /* Han */
           || (cp >= 0xAC00 && cp <= 0xD7AF)  /* Hangul syllables */
           || (cp >= 0x1100 && cp <= 0x11FF)  /* Hangul jamo */
           || (cp >= 0xF900 && cp <= 0xFAFF)  /* Han compatibility */
           || (cp >= 0xFF66 && cp <= 0xFF9F); /* half-width Katakana */
}

size_t sift_utf8_fold(const char *s, size_t n, char *out, size_t cap)
{
    size_t i = 0, o = 0;
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
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* ---------------------------------------------------------------- word table */

#define BLOCK_BYTES (64 * 1024)

typedef struct block {
    char *p;
    size_t used, cap;
} block;

struct sift_wtab {
    sift_wentry *ents;
    size_t n, cap;      /* entries in use / allocated */
    uint32_t *slots;    /* 0 = empty, else entry index + 1 */
    size_t n_slots;     /* power of two */
    block *blocks;
    size_t n_blocks, cur; /* cur: block being filled */
};

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

int sift_wtab_new(sift_wtab **out)
{
    sift_wtab *t = calloc(1, sizeof *t);
    if (!t)
        return SIFT_ENOMEM;
    t->n_slots = 256;
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
    if (t->n)
        memset(t->slots, 0, t->n_slots * sizeof *t->slots);
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
    uint32_t *sl = calloc(ns, sizeof *sl);
    if (!sl)
        return SIFT_ENOMEM;
    for (size_t i = 0; i < t->n; i++) {
        size_t j = t->ents[i].hash & (ns - 1);
        while (sl[j])
            j = (j + 1) & (ns - 1);
        sl[j] = (uint32_t)(i + 1);
    }
    free(t->slots);
    t->slots = sl;
    t->n_slots = ns;
    return SIFT_OK;
}

/* Entry index + 1 of key, 0 when absent. */
static uint32_t lookup(const sift_wtab *t, const char *key, size_t len, uint32_t h)
{
    size_t j = h & (t->n_slots - 1);
    while (t->slots[j]) {
        const sift_wentry *e = &t->ents[t->slots[j] - 1];
        if (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0)
            return t->slots[j];
        j = (j + 1) & (t->n_slots - 1);
    }
    return 0;
}

const sift_wentry *sift_wtab_find(const sift_wtab *t, const char *key, size_t len)
{
    uint32_t k = lookup(t, key, len, hash_bytes(key, len));
    return k ? &t->ents[k - 1] : NULL;
}

sift_wentry *sift_wtab_get(sift_wtab *t, const char *key, size_t len, int add)
{
    uint32_t h = hash_bytes(key, len);
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
    while (t->slots[j])
        j = (j + 1) & (t->n_slots - 1);
    t->slots[j] = (uint32_t)(++t->n);
    return e;
}

sift_wentry *sift_wtab_entries(sift_wtab *t, size_t *n_out)
{
    *n_out = t->n;
    return t->ents;
}
