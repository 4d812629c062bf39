/* lexicon.c - the extract stage's word lists as one hash table, built once per instance.
 *
 * Splits the static lists of stopwords.c, gazetteer.c and datetab.c into a
 * single sift_wtab at init, so one lookup of a word answers every question
 * the finders ask about it: stop word of which languages, month (and its
 * number), weekday or zone, start of a date label, language marker, title,
 * given name, byline role, gazetteer place or organisation. Stop words and
 * calendar words are also stored capitalised ("The", "Monday", "GMT") so a
 * word can be asked about as written. It owns no list content and never
 * changes after init, so finders share one const instance.
 *
 * Every finder asks about most words of every page, and the other stages
 * evict a large table from the cache between pages, so the built table is
 * frozen into a compact one: an 8 KiB Bloom filter that turns away most
 * words the lists do not know (most words a finder asks about) with one
 * look at a line that stays in the cache, then 16-byte slots holding the
 * answer and the key itself when it is short (nine words in ten), so a
 * known word costs the one line its probe starts on.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "extract.h"

#define INLINE_KEY 10   /* longer keys stay in the builder's arena */
#define BLOOM_WORDS 1024 /* 64-bit words: 8 KiB, two bits a key, about 2% false positives */

/* A slot's info: SIFT_L_* bits, month, SIFT_W_* flags and a used mark. */
#define INFO_MONTH_SHIFT 18
#define INFO_FLAGS_SHIFT 22
#define INFO_USED (1u << 31)
_Static_assert(SIFT_L_LABEL < 1 << INFO_MONTH_SHIFT, "SIFT_L_* bits overflow a slot");
_Static_assert(SIFT_W_PLACE_WORD < 1 << (31 - INFO_FLAGS_SHIFT), "SIFT_W_* flags overflow a slot");

/* One frozen word: 16 bytes, four to a cache line. */
typedef struct lexslot {
    uint32_t info; /* 0 = empty */
    uint16_t len;
    char key[INLINE_KEY]; /* the key, or a pointer to it when len > INLINE_KEY */
} lexslot;

/* Builder entries: a = SIFT_L_* bits, b = month number, c = SIFT_W_* flags. */
struct sift_lex {
    sift_wtab *words; /* the builder; keeps the keys longer than INLINE_KEY */
    lexslot *slots;   /* open addressing, at most two thirds full */
    uint32_t mask;    /* slots - 1 */
    uint64_t bloom[BLOOM_WORDS];
};

/* The filter's word and two bits for hash h: bits the slot index uses
 * too, but the filter only has to be cheap, not independent. */
static size_t bloom_at(uint32_t h, uint64_t *bits)
{
    *bits = 1ull << (h & 63) | 1ull << ((h >> 6) & 63);
    return (h >> 12) & (BLOOM_WORDS - 1);
}

typedef enum { OR_BITS, OR_FLAGS } field;

static int mark(sift_wtab *t, const char *s, size_t n, field f, int v)
{
    sift_wentry *w = sift_wtab_get(t, s, n, 1);
    if (!w)
        return SIFT_ENOMEM;
    if (f == OR_BITS)
        w->a |= v;
    else
        w->c |= v;
    return SIFT_OK;
}

/* Mark every sep-separated item of the chunks. Returns 0 or SIFT_ENOMEM. */
static int add_list(sift_wtab *t, const char *const *chunks, char sep, field f, int v)
{
    for (size_t c = 0; chunks[c]; c++) {
        const char *s = chunks[c];
        while (*s) {
            const char *e = strchr(s, sep);
            size_t n = e ? (size_t)(e - s) : strlen(s);
            if (n && mark(t, s, n, f, v) < 0)
                return SIFT_ENOMEM;
            s += n;
            if (*s)
                s++;
        }
    }
    return SIFT_OK;
}

/* w with its first letter (or all letters) in capitals, into out. */
static size_t capitalise(const char *w, size_t n, int all, char *out, size_t cap)
{
    size_t i = 0, o = 0;
    while (i < n && o + 4 < cap) {
        int32_t cp = sift_utf8_next(w, n, &i);
        o += sift_utf8_put(all || o == 0 ? utf8proc_toupper(cp) : cp, out + o);
    }
    return o;
}

/* Copy a lower-case entry's bits and month to its capitalised forms. */
static int add_capitals(sift_wtab *t, const char *w, int all_too)
{
    size_t n = strlen(w);
    const sift_wentry *src = sift_wtab_find(t, w, n);
    int bits = src ? src->a : 0, month = src ? src->b : 0;
    char buf[64];
    for (int all = 0; all <= all_too; all++) {
        size_t k = capitalise(w, n, all, buf, sizeof buf);
        sift_wentry *e = sift_wtab_get(t, buf, k, 1);
        if (!e)
            return SIFT_ENOMEM;
        e->a |= bits;
        e->b = month;
    }
    return SIFT_OK;
}

/* Months (with their number), weekdays and zones get SIFT_L_CAL, in lower
 * case and capitalised; the first word of each date label SIFT_L_LABEL. */
static int add_date_words(sift_wtab *t)
{
    const char *w;
    for (size_t i = 0; (w = sift_datetab_calendar_word(i)); i++) {
        size_t n = strlen(w);
        if (n < 3)
            continue; /* not "UK", "ET" */
        sift_wentry *e = sift_wtab_get(t, w, n, 1);
        if (!e)
            return SIFT_ENOMEM;
        e->a |= SIFT_L_CAL;
        e->b = sift_datetab_month(w, n);
        if (add_capitals(t, w, 1) < 0)
            return SIFT_ENOMEM;
    }
    for (int kind = 1; kind <= 2; kind++)
        for (size_t i = 0; (w = sift_datetab_label(kind, i)); i++)
            if (mark(t, w, strcspn(w, " "), OR_BITS, SIFT_L_LABEL) < 0)
                return SIFT_ENOMEM;
    return SIFT_OK;
}

/* Stop words in each language, capitalised too ("The" opening a sentence). */
static int add_stop_words(sift_wtab *t)
{
    for (size_t i = 0; sift_stop_lists[i]; i++) {
        const char *one[2] = {sift_stop_lists[i], NULL};
        if (add_list(t, one, ' ', OR_BITS, 1 << i) < 0)
            return SIFT_ENOMEM;
    }
    for (size_t i = 0; sift_marker_lists[i]; i++) {
        const char *one[2] = {sift_marker_lists[i], NULL};
        if (add_list(t, one, ' ', OR_BITS, 1 << (SIFT_L_MARK_SHIFT + i)) < 0)
            return SIFT_ENOMEM;
    }
    for (size_t i = 0; sift_stop_lists[i]; i++) {
        char w[64];
        for (const char *s = sift_stop_lists[i]; *s;) {
            size_t n = strcspn(s, " ");
            if (n && n < sizeof w) {
                memcpy(w, s, n);
                w[n] = '\0';
                if (add_capitals(t, w, 0) < 0)
                    return SIFT_ENOMEM;
            }
            s += n + (s[n] == ' ');
        }
    }
    return SIFT_OK;
}

/* Titles, and abbreviated ones without their period too ("Dr." and "Dr"). */
static int add_titles(sift_wtab *t)
{
    if (add_list(t, sift_gaz_titles, '|', OR_FLAGS, SIFT_W_TITLE) < 0)
        return SIFT_ENOMEM;
    for (size_t c = 0; sift_gaz_titles[c]; c++)
        for (const char *s = sift_gaz_titles[c]; *s;) {
            size_t n = strcspn(s, "|");
            if (n > 1 && s[n - 1] == '.' && mark(t, s, n - 1, OR_FLAGS, SIFT_W_TITLE) < 0)
                return SIFT_ENOMEM;
            s += n + (s[n] == '|');
        }
    return SIFT_OK;
}

static int build(sift_wtab *t)
{
    int rc = add_stop_words(t);
    if (rc == SIFT_OK)
        rc = add_date_words(t);
    if (rc == SIFT_OK)
        rc = add_list(t, sift_gaz_places, '|', OR_FLAGS, SIFT_W_PLACE);
    if (rc == SIFT_OK)
        rc = add_list(t, sift_gaz_orgs, '|', OR_FLAGS, SIFT_W_ORG);
    if (rc == SIFT_OK)
        rc = add_titles(t);
    if (rc == SIFT_OK)
        rc = add_list(t, sift_gaz_given, ' ', OR_FLAGS, SIFT_W_GIVEN);
    if (rc == SIFT_OK)
        rc = add_list(t, sift_gaz_roles, ' ', OR_FLAGS, SIFT_W_ROLE);
    if (rc == SIFT_OK)
        rc = add_list(t, sift_gaz_org_words, ' ', OR_FLAGS, SIFT_W_ORG_WORD);
    if (rc == SIFT_OK)
        rc = add_list(t, sift_gaz_place_words, ' ', OR_FLAGS, SIFT_W_PLACE_WORD);
    return rc;
}

/* Copy the built table into slots (at most two thirds full: a smaller
 * table stays in the cache better between pages, and a probe of a few
 * slots mostly stays on its line) and the filter. */
static int freeze(sift_lex *x)
{
    size_t n;
    const sift_wentry *src = sift_wtab_entries(x->words, &n);
    size_t n_slots = 64;
    while (2 * n_slots < 3 * n)
        n_slots *= 2;
    x->slots = calloc(n_slots, sizeof *x->slots);
    if (!x->slots)
        return SIFT_ENOMEM;
    x->mask = (uint32_t)n_slots - 1;
    for (size_t i = 0; i < n; i++) {
        uint32_t h = src[i].hash, j = h & x->mask;
        uint64_t bits;
        x->bloom[bloom_at(h, &bits)] |= bits;
        while (x->slots[j].info)
            j = (j + 1) & x->mask;
        lexslot *e = &x->slots[j];
        e->info = INFO_USED | (uint32_t)src[i].a | (uint32_t)src[i].b << INFO_MONTH_SHIFT |
                  (uint32_t)src[i].c << INFO_FLAGS_SHIFT;
        e->len = (uint16_t)src[i].len;
        if (src[i].len <= INLINE_KEY)
            memcpy(e->key, src[i].key, src[i].len);
        else
            memcpy(e->key, &src[i].key, sizeof src[i].key);
    }
    return SIFT_OK;
}

int sift_lex_new(sift_lex **out)
{
    sift_lex *x = calloc(1, sizeof *x);
    if (!x)
        return SIFT_ENOMEM;
    int rc = sift_wtab_new(&x->words);
    if (rc == SIFT_OK)
        rc = build(x->words);
    if (rc == SIFT_OK)
        rc = freeze(x);
    if (rc < 0) {
        sift_lex_destroy(&x);
        return rc;
    }
    *out = x;
    return SIFT_OK;
}

void sift_lex_destroy(sift_lex **pp)
{
    if (!pp || !*pp)
        return;
    sift_wtab_destroy(&(*pp)->words);
    free((*pp)->slots);
    free(*pp);
    *pp = NULL;
}

static int same_key(const lexslot *e, const char *s, size_t n)
{
    if (e->len != n)
        return 0;
    if (n <= INLINE_KEY)
        return sift_same_bytes(e->key, s, n);
    const char *k;
    memcpy(&k, e->key, sizeof k);
    return sift_same_bytes(k, s, n);
}

sift_lexinfo sift_lex_info(const sift_lex *x, const char *s, size_t n)
{
    return sift_lex_info_hashed(x, s, n, sift_hash_bytes(s, n));
}

sift_lexinfo sift_lex_info_hashed(const sift_lex *x, const char *s, size_t n, uint32_t h)
{
    uint64_t bits;
    if ((x->bloom[bloom_at(h, &bits)] & bits) != bits)
        return (sift_lexinfo){0};
    for (uint32_t j = h & x->mask; x->slots[j].info; j = (j + 1) & x->mask) {
        const lexslot *e = &x->slots[j];
        if (same_key(e, s, n))
            return (sift_lexinfo){.bits = (int)(e->info & ((1u << INFO_MONTH_SHIFT) - 1)),
                                  .month = (int)(e->info >> INFO_MONTH_SHIFT & 15),
                                  .flags = (int)(e->info >> INFO_FLAGS_SHIFT & 127)};
    }
    return (sift_lexinfo){0};
}

int sift_lex_bits(const sift_lex *x, const char *w, size_t n)
{
    return sift_lex_info(x, w, n).bits;
}

int sift_lex_stop(const sift_lex *x, const char *w, size_t n)
{
    return sift_lex_info(x, w, n).bits & SIFT_L_ALL;
}

int sift_lex_gaz(const sift_lex *x, const char *s, size_t n)
{
    int flags = sift_lex_info(x, s, n).flags;
    return flags & SIFT_W_ORG ? SIFT_ENT_ORG : flags & SIFT_W_PLACE ? SIFT_ENT_PLACE : -1;
}

int sift_lex_is_title(const sift_lex *x, const char *s, size_t n)
{
    return (sift_lex_info(x, s, n).flags & SIFT_W_TITLE) != 0;
}

int sift_lex_is_given(const sift_lex *x, const char *s, size_t n)
{
    return (sift_lex_info(x, s, n).flags & SIFT_W_GIVEN) != 0;
}

int sift_lex_is_role(const sift_lex *x, const char *w, size_t n)
{
    return (sift_lex_info(x, w, n).flags & SIFT_W_ROLE) != 0;
}

int sift_lex_lang_bit(const char *code)
{
    static const char *const codes[] = {"en", "de", "fr", "es", "it", "pt", "nl", "ru"};
    for (size_t i = 0; code && i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(code, codes[i]) == 0)
            return 1 << i;
    return SIFT_L_ALL;
}
