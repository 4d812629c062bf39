/* triggers.c - literal word triggers that decide which patterns a line needs.
 *
 * Most patterns can only match where a word of the line starts with one of
 * a few literals, which syntax.c reads from the pattern's text
 * ("[[:<:]](getty|ap photo)", ".{0,40} (says|wrote):$"). Those literals
 * (lower case, at least three bytes) become the pattern's triggers: a
 * literal that several patterns share is kept once, with a bit for each,
 * in a small hash table keyed by its first three bytes, behind two
 * bitmaps: one of the first three bytes (five bits of each, no need to
 * lower-case the text), which rules out most words, then one of hashes of
 * the literals' first four (for three-byte ones, three) bytes, and of the
 * first characters of those not all ASCII. lines.c probes at every word
 * start while it measures a line; a probe that passes the bitmaps is
 * verified against the text (ASCII literals without copying, others
 * against the text lower-cased as far as needed), and the line then
 * carries the bits of the patterns whose triggers it holds. Which
 * patterns run is patterns.c's.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "boilerplate.h"

#define TRIG_BUCKETS (1024u) /* power of two */

struct bp_trigger {
    char lit[BP_LIT_MAX];
    uint64_t bits; /* the bits in bp_line.trig of the patterns with this literal */
    uint8_t len, ascii;
    int32_t next;  /* next trigger in the bucket, -1 = end */
};

static uint32_t key3(const char *w)
{
    return ((unsigned char)w[0] * 961u + (unsigned char)w[1] * 31u + (unsigned char)w[2]) &
           (TRIG_BUCKETS - 1);
}

/* Add the literal lit[0, len) for the pattern's bit; a literal that several
 * patterns share (the month names of date patterns) is kept, and probed,
 * once. */
static int push(bp_triggers *t, const char *lit, size_t len, unsigned bit)
{
    uint32_t b = key3(lit);
    for (int32_t g = t->bucket[b]; g >= 0; g = t->t[g].next)
        if (t->t[g].len == len && memcmp(t->t[g].lit, lit, len) == 0) {
            t->t[g].bits |= (uint64_t)1 << bit;
            return 0;
        }
    bp_trigger *v = realloc(t->t, (t->n + 1) * sizeof *v);
    if (!v)
        return SIFT_ENOMEM;
    t->t = v;
    bp_trigger *g = &t->t[t->n];
    memset(g->lit, 0, sizeof g->lit);
    memcpy(g->lit, lit, len);
    g->len = (uint8_t)len;
    g->bits = (uint64_t)1 << bit;
    g->ascii = 1;
    for (size_t i = 0; i < len; i++)
        g->ascii &= (unsigned char)lit[i] < 0x80;
    uint32_t x;
    memcpy(&x, g->lit, 4); /* a fourth byte past a three-byte literal is ignored */
    unsigned f = bp_triggers_start(x, len == 3);
    t->starts[f >> 3] |= (uint8_t)(1u << (f & 7));
    if (((unsigned char)lit[0] | (unsigned char)lit[1] | (unsigned char)lit[2]) < 0x80) {
        f = bp_triggers_first3(x); /* text that starts outside ASCII skips this test */
        t->first3[f >> 3] |= (uint8_t)(1u << (f & 7));
    }
    if (!g->ascii) { /* words that start outside ASCII can only hit these */
        int32_t c;
        bp_utf8_decode((const uint8_t *)g->lit, len, &c);
        f = bp_triggers_start_char(c);
        t->starts[f >> 3] |= (uint8_t)(1u << (f & 7));
    }
    g->next = t->bucket[b];
    t->bucket[b] = (int32_t)t->n++;
    return 0;
}

int bp_triggers_add(bp_triggers *t, const char *pat, size_t n, int line_start, unsigned bit,
                    int *at_start)
{
    char lit[BP_LITS_MAX][BP_LIT_MAX];
    size_t len[BP_LITS_MAX];
    size_t k = t->bucket && t->starts ? bp_syntax_literals(pat, n, line_start, lit, len, at_start)
                                        : 0;
    for (size_t i = 0; i < k; i++)
        if (push(t, lit[i], len[i], bit) < 0)
            return SIFT_ENOMEM;
    return k > 0;
}

/* The text from a word start, lower-cased into w, extended until it holds
 * max bytes or the text ends: *at is where the next character starts in
 * s[0, n), the return value the bytes in w. */
static size_t lower_more(const char *s, size_t n, size_t *at, char *w, size_t wl, size_t max)
{
    while (*at < n && wl < max) {
        int32_t c;
        int k = bp_utf8_decode((const uint8_t *)s + *at, n - *at, &c);
        if (c < 0)
            break;
        wl += (size_t)bp_utf8_lower(c, w + wl);
        *at += (size_t)k;
    }
    return wl;
}

static int ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

#define ONES (0x0101010101010101ull)

/* The bytes of x with ASCII letters lower-cased; 0, which no chunk of a
 * literal is, when one is not ASCII (where the sums below would carry
 * into the next byte). */
static inline uint64_t lower_word(uint64_t x)
{
    uint64_t upper = (x + 0x3f * ONES) & ~(x + 0x25 * ONES) & 0x80 * ONES; /* 'A'..'Z' */
    return (x & 0x80 * ONES) ? 0 : x | upper >> 2;
}

/* The 8 (or 4: four) bytes at s, lower-cased, are those at lit. */
static inline int eq_chunk(const char *s, const char *lit, int four)
{
    uint64_t x = 0, y = 0;
    if (four) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, lit, 4);
        x = a, y = b;
    } else {
        memcpy(&x, s, 8);
        memcpy(&y, lit, 8);
    }
    return lower_word(x) == y;
}

/* The text at s[0, n) starts with the ASCII literal g, ignoring case: read
 * a word at a time (a probe compares most words that reach it with a few
 * literals of the same first bytes), the last word ending with the literal. */
static int ascii_starts(const char *s, size_t n, const bp_trigger *g)
{
    size_t len = g->len;
    if (len > n)
        return 0;
    if (len < 4) {
        for (size_t i = 0; i < len; i++)
            if (ascii_lower((unsigned char)s[i]) != (unsigned char)g->lit[i])
                return 0;
        return 1;
    }
    if (len < 8)
        return eq_chunk(s, g->lit, 1) && eq_chunk(s + len - 4, g->lit + len - 4, 1);
    for (size_t at = 0; at + 8 < len; at += 8)
        if (!eq_chunk(s + at, g->lit + at, 0))
            return 0;
    return eq_chunk(s + len - 8, g->lit + len - 8, 0);
}

uint64_t bp_triggers_probe(const bp_triggers *t, const char *s, size_t n)
{
    char w[BP_LIT_MAX + 4];
    size_t wl = 0, at = 0;
    uint64_t bits = 0;
    if (n >= 3 && (unsigned char)(s[0] | s[1] | s[2]) < 0x80) { /* no decoding */
        for (int i = 0; i < 3; i++)
            w[i] = (char)ascii_lower((unsigned char)s[i]);
    } else if ((wl = lower_more(s, n, &at, w, 0, 3)) < 3) {
        return 0;
    }
    for (int32_t g = t->bucket[key3(w)]; g >= 0; g = t->t[g].next) {
        const bp_trigger *tg = &t->t[g];
        int hit;
        if (tg->ascii) {
            hit = ascii_starts(s, n, tg);
        } else {
            if (at == 0) /* w holds ASCII bytes only: start over, decoding */
                wl = 0;
            wl = lower_more(s, n, &at, w, wl, tg->len);
            hit = tg->len <= wl && memcmp(tg->lit, w, tg->len) == 0;
        }
        if (hit)
            bits |= tg->bits;
    }
    return bits;
}

static int ascii_word(unsigned char c)
{
    return (unsigned)((c | 32) - 'a') < 26u || (unsigned)(c - '0') < 10u || c == '_';
}

size_t bp_triggers_next(const bp_triggers *t, const char *s, size_t n, size_t from,
                        uint64_t bits)
{
    for (size_t i = from; i < n; i++)
        if (ascii_word((unsigned char)s[i]) && (i == 0 || !ascii_word((unsigned char)s[i - 1])) &&
            bp_triggers_maybe(t, (const uint8_t *)s + i, n - i) &&
            (bp_triggers_probe(t, s + i, n - i) & bits))
            return i;
    return n;
}

void bp_triggers_init(bp_triggers *t)
{
    memset(t, 0, sizeof *t);
    t->bucket = malloc(TRIG_BUCKETS * sizeof *t->bucket);
    t->starts = calloc(BP_TRIG_SLOTS / 8, 1);
    if (t->bucket)
        memset(t->bucket, 0xff, TRIG_BUCKETS * sizeof *t->bucket);
}

void bp_triggers_fini(bp_triggers *t)
{
    free(t->t);
    free(t->bucket);
    free(t->starts);
    memset(t, 0, sizeof *t);
}
