/* extract.h - the interface between the extract plugin's files.
 *
 * The extract stage reads the cleaned text plus the metadata lines the
 * boilerplate stage handed over (fields.page_meta) and writes title,
 * dateline, date, author, language, entities, quotes, keywords and counts.
 * This header declares the page model every finder reads (page.c), the
 * UTF-8 and word-table helpers (words.c), the word lists (stopwords.c,
 * gazetteer.c) and one entry per finder (title.c, date.c, author.c,
 * lang.c, entities.c, quotes.c, keywords.c, counts.c). Nothing here is
 * exported from the .so: plugins build with hidden visibility.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_EXTRACT_H
#define SIFT_EXTRACT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sift/plugin.h>

/* Make *p (an array of *cap items of elem bytes; NULL with *cap 0 at first)
 * hold at least need items: the capacity doubles from first (or from
 * *cap). *p stays as it was on failure. Returns 0 or SIFT_ENOMEM. One
 * function for the finders' growing arrays. */
static inline int sift_grow_items(void **p, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : first;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return SIFT_ENOMEM;
    *p = q;
    *cap = c;
    return 0;
}

/* ---------------------------------------------------------------- UTF-8 (words.c) */

/* Decode the code point at s[*i] (n bytes in all) and advance *i; invalid
 * bytes read as U+FFFD and advance one byte. The ASCII case is inline:
 * every finder walks the text a code point at a time. */
int32_t sift_utf8_next_multi(const char *s, size_t n, size_t *i);
static inline int32_t sift_utf8_next(const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    return sift_utf8_next_multi(s, n, i);
}
/* Classes of the ASCII characters, for the finders' fast paths (words.c);
 * bytes from 0x80 up have none, so a scan may index it with any byte. */
enum {
    SIFT_C_LOWER = 1,
    SIFT_C_UPPER = 2,
    SIFT_C_DIGIT = 4,
    SIFT_C_SPACE = 8, /* space and tab */
    SIFT_C_JOIN = 16, /* ' and -, which may join a word's parts */
    SIFT_C_TERM = 32, /* . ! ? */
    SIFT_C_ALNUM = SIFT_C_LOWER | SIFT_C_UPPER | SIFT_C_DIGIT
};
extern const unsigned char sift_ascii[256];

/* Eight bytes at a time (SWAR), for the ASCII runs most text is made of:
 * the high bit of each byte of x that is ASCII and in [lo, hi]. Adding
 * 0x80 to each byte first keeps the subtractions from borrowing across
 * bytes. Text is loaded into x with memcpy, so its first byte is x's
 * lowest (where a count of trailing zeros finds it) only on little-endian
 * machines: the scans use this where SIFT_SWAR is 1, a byte loop else. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SIFT_SWAR 1
#else
#define SIFT_SWAR 0
#endif
#define SIFT_ONES8 0x0101010101010101ull
#define SIFT_HIGH8 0x8080808080808080ull
static inline uint64_t sift_bytes_in_range(uint64_t x, unsigned lo, unsigned hi)
{
    uint64_t y = x | SIFT_HIGH8;
    return (y - SIFT_ONES8 * lo) & ~(y - SIFT_ONES8 * (hi + 1)) & ~x & SIFT_HIGH8;
}

/* Encode cp into out (4 bytes of room); returns the byte count. */
size_t sift_utf8_put(int32_t cp, char *out);
/* What a code point past ASCII is, from one category lookup: SIFT_U_*. */
enum { SIFT_U_LETTER = 1, SIFT_U_MARK = 2, SIFT_U_UPPER = 4, SIFT_U_LOWER = 8 };
unsigned sift_utf8_class_multi(int32_t cp);
int sift_utf8_is_letter_multi(int32_t cp);
int sift_utf8_is_upper_multi(int32_t cp); /* Lu or Lt */
int sift_utf8_is_lower_multi(int32_t cp);
static inline int sift_utf8_is_letter(int32_t cp)
{
    if (cp < 0x80)
        return (unsigned)((cp | 0x20) - 'a') < 26u;
    return sift_utf8_is_letter_multi(cp);
}
static inline int sift_utf8_is_upper(int32_t cp)
{
    return cp < 0x80 ? (unsigned)(cp - 'A') < 26u : sift_utf8_is_upper_multi(cp);
}
static inline int sift_utf8_is_lower(int32_t cp)
{
    return cp < 0x80 ? (unsigned)(cp - 'a') < 26u : sift_utf8_is_lower_multi(cp);
}
static inline int sift_utf8_is_digit(int32_t cp) /* ASCII 0-9 only */
{
    return (unsigned)(cp - '0') < 10u;
}
/* Han, Hiragana, Katakana or Hangul: scripts written without spaces. */
static inline int sift_utf8_is_cjk(int32_t cp)
{
    return cp >= 0x1100 && ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
                            (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
                            (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                            (cp >= 0xFF66 && cp <= 0xFF9F));
}
/* Lower-case s[0..n) into out (cap bytes); returns the length written,
 * truncated at a code point boundary when out is too small. */
size_t sift_utf8_fold(const char *s, size_t n, char *out, size_t cap);
/* Count code points. */
size_t sift_utf8_count(const char *s, size_t n);

/* ---------------------------------------------------------------- word table (words.c) */

/* a[0..n) == b[0..n), eight bytes a step, the last step and keys under
 * eight bytes read with overlapping loads (as sift_hash_bytes reads
 * them): the keys are short, and memcmp of a length known only at run
 * time is a call, a loop a byte a branch the word's length mispredicts. */
static inline int sift_same_bytes(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        uint64_t x, y;
        const char *last_a = a + n - 8, *last_b = b + n - 8;
        for (; a < last_a; a += 8, b += 8) {
            memcpy(&x, a, 8);
            memcpy(&y, b, 8);
            if (x != y)
                return 0;
        }
        memcpy(&x, last_a, 8);
        memcpy(&y, last_b, 8);
        return x == y;
    }
    if (n >= 4) {
        uint32_t x0, y0, x1, y1;
        memcpy(&x0, a, 4);
        memcpy(&y0, b, 4);
        memcpy(&x1, a + n - 4, 4);
        memcpy(&y1, b + n - 4, 4);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    return !n || ((a[0] ^ b[0]) | (a[n >> 1] ^ b[n >> 1]) | (a[n - 1] ^ b[n - 1])) == 0;
}

/* The 32-bit hash of s[0..n) that the word tables and the lexicon use;
 * its high bits are as well mixed as its low ones. Multiply-xor over
 * 8-byte words; the last word, and keys under 8 bytes, are read with
 * overlapping loads, so no key costs a byte loop. In-memory only: the
 * value may change between versions. */
static inline uint32_t sift_hash_bytes(const char *s, size_t n)
{
    const uint64_t k = 0x9e3779b97f4a7c15ull;
    uint64_t h = n * k, x = 0;
    if (n >= 8) {
        const char *last = s + n - 8;
        for (; s < last; s += 8) {
            memcpy(&x, s, 8);
            h = (h ^ x) * k;
            h ^= h >> 32;
        }
        memcpy(&x, last, 8);
    } else if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        x = lo | (uint64_t)hi << 32;
    } else if (n) {
        x = (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[n >> 1] << 8 |
            (unsigned char)s[n - 1];
    }
    h = (h ^ x) * k;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    return (uint32_t)(h ^ (h >> 32));
}

/* A string-keyed hash table with per-entry counters, reused across
 * documents: sift_wtab_clear keeps the memory. Keys are copied into the
 * table's own arena. */
typedef struct sift_wentry {
    const char *key; /* borrowed until the table is cleared */
    uint32_t len;
    uint32_t hash;
    int32_t count;
    int32_t a, b, c; /* free for the user: flags, positions, votes */
    double score;
} sift_wentry;

typedef struct sift_wtab sift_wtab;

/* Caller owns *out; free with sift_wtab_destroy(). Returns 0 or SIFT_ENOMEM. */
int sift_wtab_new(sift_wtab **out);
void sift_wtab_destroy(sift_wtab **pp);
void sift_wtab_clear(sift_wtab *t);
/* Make room for n entries, so that a caller who knows about how many keys
 * a page brings saves the rehash of each doubling on the way there; the
 * room lasts until the next clear. Returns 0 or SIFT_ENOMEM. */
int sift_wtab_reserve(sift_wtab *t, size_t n);
/* Add key (absent; h its sift_hash_bytes) with zeroed counters. Returns
 * the entry (borrowed until the next add or clear) or NULL (no memory). */
sift_wentry *sift_wtab_add(sift_wtab *t, const char *key, size_t len, uint32_t h);

/* The layout, here only so that the lookups below are inline (finders
 * look up every word of a page); words.c alone changes it. */
typedef struct sift_wslot {
    uint32_t idx; /* 0 = empty, else entry index + 1 */
    uint32_t hash;
} sift_wslot;
struct sift_wtab {
    sift_wentry *ents;
    size_t n, cap; /* entries in use / allocated */
    sift_wslot *slots;
    size_t n_slots, cap_slots; /* in use (a power of two) / allocated */
    struct sift_wblock *blocks;
    size_t n_blocks, cur; /* cur: block being filled */
};

/* The entry of key (h its sift_hash_bytes), NULL when absent. A slot
 * keeps the hash beside the index, so probing past other keys never
 * touches their entries. */
static inline sift_wentry *sift_wtab_lookup(const sift_wtab *t, const char *key, size_t len,
                                            uint32_t h)
{
    size_t j = h & (t->n_slots - 1);
    for (uint32_t idx; (idx = t->slots[j].idx); j = (j + 1) & (t->n_slots - 1)) {
        sift_wentry *e = &t->ents[idx - 1];
        if (t->slots[j].hash == h && e->len == len && sift_same_bytes(e->key, key, len))
            return e;
    }
    return NULL;
}
/* Find key, or add it with zeroed counters when add is set. Returns the
 * entry (borrowed until the next add or clear) or NULL (absent, or no
 * memory). */
static inline sift_wentry *sift_wtab_get(sift_wtab *t, const char *key, size_t len, int add)
{
    uint32_t h = sift_hash_bytes(key, len);
    sift_wentry *e = sift_wtab_lookup(t, key, len, h);
    return e || !add ? e : sift_wtab_add(t, key, len, h);
}
/* Look up without adding; NULL when absent. */
static inline const sift_wentry *sift_wtab_find(const sift_wtab *t, const char *key, size_t len)
{
    return sift_wtab_lookup(t, key, len, sift_hash_bytes(key, len));
}
/* Entries in insertion order; n_out gets their count. Borrowed until the
 * next add or clear. */
static inline sift_wentry *sift_wtab_entries(sift_wtab *t, size_t *n_out)
{
    *n_out = t->n;
    return t->ents;
}

/* The best few of many: a list kept sorted best first (key1 descending,
 * then key2 ascending) and cut at cap entries, so choosing the top ten of
 * thousands costs no full sort. */
typedef struct sift_rank {
    double key1, key2;
    uint32_t idx;
} sift_rank;
static inline int sift_rank_better(const sift_rank *a, const sift_rank *b)
{
    return a->key1 > b->key1 || (a->key1 == b->key1 && a->key2 < b->key2);
}
/* Offer r to top[0..*n) (room for cap entries). Inline: most offers are
 * turned away by the first comparison. */
static inline void sift_rank_keep(sift_rank *top, size_t *n, size_t cap, sift_rank r)
{
    if (!cap || (*n == cap && !sift_rank_better(&r, &top[cap - 1])))
        return;
    size_t i = *n < cap ? (*n)++ : cap - 1;
    while (i > 0 && sift_rank_better(&r, &top[i - 1])) {
        top[i] = top[i - 1];
        i--;
    }
    top[i] = r;
}

/* ---------------------------------------------------------------- word lists */

/* Languages the word lists know, as bits. */
enum {
    SIFT_L_EN = 1 << 0,
    SIFT_L_DE = 1 << 1,
    SIFT_L_FR = 1 << 2,
    SIFT_L_ES = 1 << 3,
    SIFT_L_IT = 1 << 4,
    SIFT_L_PT = 1 << 5,
    SIFT_L_NL = 1 << 6,
    SIFT_L_RU = 1 << 7,
    SIFT_L_ALL = 0xff,
    SIFT_L_CAL = 1 << 8,   /* not a language: a month, weekday or time-zone word */
    SIFT_L_MARK_SHIFT = 9, /* bits 9-16: the word marks that language among its neighbours */
    SIFT_L_LABEL = 1 << 17 /* the first word of a "Published"/"Updated" label */
};

/* Entity types. */
enum { SIFT_ENT_OTHER = 0, SIFT_ENT_PERSON = 1, SIFT_ENT_PLACE = 2, SIFT_ENT_ORG = 3 };

/* The static lists. sift_stop_lists: one space-separated, lower-case list
 * per language in SIFT_L_* bit order, NULL-terminated (stopwords.c). The
 * gazetteer lists are NULL-terminated arrays of '|'-separated chunks of
 * names as written (gazetteer.c); titles are '|'-separated too, given names
 * and roles space-separated (roles lower case). */
extern const char *const sift_stop_lists[];
extern const char *const sift_marker_lists[]; /* same order: words only that language uses */
extern const char *const sift_gaz_places[];
extern const char *const sift_gaz_orgs[];
extern const char *const sift_gaz_titles[];
extern const char *const sift_gaz_given[];
extern const char *const sift_gaz_roles[];
extern const char *const sift_gaz_org_words[];   /* space-separated, as written */
extern const char *const sift_gaz_place_words[]; /* space-separated, as written */

/* Flags of a word in the lexicon. */
enum {
    SIFT_W_TITLE = 1,      /* "President", "Dr.", "Dr" */
    SIFT_W_GIVEN = 2,      /* a common given name */
    SIFT_W_ROLE = 4,       /* a lower-case byline role or organisation word */
    SIFT_W_PLACE = 8,      /* gazetteer place */
    SIFT_W_ORG = 16,       /* gazetteer organisation */
    SIFT_W_ORG_WORD = 32,  /* "Ministry", "Party": ends an organisation's name */
    SIFT_W_PLACE_WORD = 64 /* "River", "Province": ends a place's name */
};

/* What the lists say about one word or name as written. */
typedef struct sift_lexinfo {
    int bits;  /* SIFT_L_*: stop-word languages, calendar, label, markers */
    int month; /* 1-12 for a month name */
    int flags; /* SIFT_W_* */
} sift_lexinfo;

/* The lists above as one hash table, built once per instance (lexicon.c). */
typedef struct sift_lex sift_lex;
/* Caller owns *out; free with sift_lex_destroy(). Returns 0 or SIFT_ENOMEM. */
int sift_lex_new(sift_lex **out);
void sift_lex_destroy(sift_lex **pp);
/* Everything known about s[0..n) in one lookup; all zero when nothing. */
sift_lexinfo sift_lex_info(const sift_lex *x, const char *s, size_t n);
/* The same for a caller that has h = sift_hash_bytes(s, n) already. */
sift_lexinfo sift_lex_info_hashed(const sift_lex *x, const char *s, size_t n, uint32_t h);
/* Shorthands: SIFT_L_* bits; stop-word language bits only; gazetteer
 * SIFT_ENT_* type or -1; title; given name; byline role (lower case). */
int sift_lex_bits(const sift_lex *x, const char *w, size_t n);
int sift_lex_stop(const sift_lex *x, const char *w, size_t n);
int sift_lex_gaz(const sift_lex *x, const char *s, size_t n);
int sift_lex_is_title(const sift_lex *x, const char *s, size_t n);
int sift_lex_is_given(const sift_lex *x, const char *s, size_t n);
int sift_lex_is_role(const sift_lex *x, const char *w, size_t n);
/* The bit of an ISO 639-1 code, SIFT_L_ALL for an unknown or empty one. */
int sift_lex_lang_bit(const char *code);

/* ---------------------------------------------------------------- page model (page.c) */

enum {
    SIFT_META_NONE = -1, /* a line of the text */
    SIFT_META_TITLE = 0,
    SIFT_META_BYLINE,
    SIFT_META_DATE,
    SIFT_META_DATELINE,
    SIFT_META_CAPTION,
    SIFT_META_CREDIT,
    SIFT_META_OTHER
};

/* One word token of the text (tokens.c). */
typedef struct sift_tok {
    uint32_t off;   /* byte offset in the page's text */
    uint16_t len;   /* bytes */
    uint16_t cps;   /* code points */
    uint8_t flags;  /* SIFT_TOK_* */
    uint8_t kind;   /* SIFT_K_*: the script */
    uint8_t before; /* SIFT_GAP_*: what separates it from the previous token */
    uint8_t sent;   /* a sentence mark (. ! ? : 。) stands in that gap, or the line starts */
} sift_tok;

enum {
    SIFT_TOK_CAP = 1,
    SIFT_TOK_ALLCAPS = 2,
    SIFT_TOK_DIGITS = 4,
    SIFT_TOK_NUMERIC = 8,
    SIFT_TOK_DOT = 16,     /* a period inside ("U.S") */
    SIFT_TOK_LOWER = 32,   /* ASCII without capitals: its own lower-case form */
    SIFT_TOK_GAP_MARK = 64 /* the gap before it holds . ! ? or a byte from 0xE2 up */
};
enum { SIFT_K_SPACED = 0, SIFT_K_HAN = 1, SIFT_K_KANA = 2, SIFT_K_OTHER_CJK = 3 };
enum { SIFT_GAP_NONE = 0, SIFT_GAP_SPACE = 1, SIFT_GAP_OTHER = 2, SIFT_GAP_START = 3 };

/* One line: of the text (kind SIFT_META_NONE, pos = 1-based line number in
 * the text) or of fields.page_meta (pos = its line in boilerplate's input). */
typedef struct sift_pline {
    const char *s; /* borrowed until process() returns */
    size_t n;
    int pos;
    int kind;
    int words;             /* words: one per token, one per CJK character */
    int is_body;           /* looks like a paragraph of running text */
    uint32_t tok_b, tok_e; /* text lines: its tokens in sift_page.toks */
} sift_pline;

/* A point in time as a page states it. */
typedef struct sift_when {
    int y, mo, d, h, mi;
    int has_time;
    int has_zone;
    int zone_min; /* offset east of UTC, minutes */
} sift_when;

typedef struct sift_page {
    const char *text; /* borrowed until process() returns */
    size_t len;
    sift_pline *lines; /* non-empty text lines, in order */
    size_t n_lines, cap_lines;
    sift_pline *meta; /* page_meta entries, in order */
    size_t n_meta, cap_meta;
    sift_tok *toks; /* word tokens of the text lines */
    size_t n_toks, cap_toks;
    int body_idx;      /* index in lines of the first body paragraph, -1 if none */
    int title_idx;     /* index in lines of the title line, -1 if not in the text */
    int title_meta;    /* pos of the page_meta title, 0 if none */
    const char *title; /* borrowed: the title without wrapping quotes, NULL if none */
    size_t title_n;
    char lang[8];        /* ISO 639-1 or "" */
    int lang_bits;       /* SIFT_L_* of lang, SIFT_L_ALL when unknown */
    const sift_lex *lex; /* borrowed until fini() */
    int has_ref;         /* fetched_at was given and parsed */
    sift_when ref;
} sift_page;

/* Split the text into lines and read page_meta from fields (may be NULL).
 * The page keeps its arrays between documents. Returns 0 or SIFT_ENOMEM. */
int sift_page_load(sift_page *p, const sift_host *h, const char *text, size_t len,
                   const sift_value *fields);
void sift_page_fini(sift_page *p);
/* Tokenise every text line into p->toks and set each line's words
 * (tokens.c). Returns 0 or SIFT_ENOMEM. */
int sift_tokens_build(sift_page *p);
/* Tokenise s[0..n) (at byte offset base of whatever off is counted from),
 * handing each token to fn; stops at fn's first negative return. */
typedef int (*sift_tok_fn)(void *ctx, const sift_tok *t);
int sift_tokens_scan(const char *s, size_t n, size_t base, sift_tok_fn fn, void *ctx);
/* True when the line has a copyright mark or word. */
int sift_page_is_copyright(const char *s, size_t n);

/* ---------------------------------------------------------------- finders */

/* title.c: the headline and the dateline. The title is set on the page
 * (it anchors the date and author search); the dateline is written into
 * buf (cap bytes) and its length returned, 0 when none. */
typedef struct sift_title sift_title;
int sift_title_new(sift_title **out);
void sift_title_destroy(sift_title **pp);
void sift_title_find(sift_title *t, sift_page *p);
size_t sift_title_dateline(sift_title *t, const sift_page *p, char *buf, size_t cap);

/* datetab.c: date words, lower-cased. Month 1-12 or 0; zone: 1 when known,
 * with the standard offset and rule (0 fixed, 1 US, 2 EU daylight saving);
 * unit: minutes of a relative unit or -1; label: the i-th published (kind
 * 1) or updated (kind 2) label as space-separated tokens, NULL past the
 * end; day word: the i-th "yesterday"/"today" word, NULL past the end. */
int sift_datetab_month(const char *w, size_t n);
int sift_datetab_zone(const char *w, size_t n, int *off_min, int *rule);
int sift_datetab_unit(const char *w, size_t n);
int sift_datetab_is_one(const char *w, size_t n);
const char *sift_datetab_label(int kind, size_t i);
const char *sift_datetab_day_word(size_t i, int *days_back);
/* The i-th month, weekday or zone word, NULL past the end (for lexicon.c). */
const char *sift_datetab_calendar_word(size_t i);

/* dateparse.c: the dates one line states, one per labelled segment
 * ("Published X | Updated Y" gives two). label: 0 none, 1 published, 2
 * updated. Returns the count written to out (at most max). */
enum { SIFT_DLABEL_NONE = 0, SIFT_DLABEL_PUBLISHED = 1, SIFT_DLABEL_UPDATED = 2 };
typedef struct sift_datecand {
    sift_when w;
    int label;
    int is_relative;
} sift_datecand;
int sift_dateparse_line(const sift_page *p, const char *s, size_t n, sift_datecand *out, int max);

/* date.c: the publication date. Returns 1 and fills out, or 0. */
int sift_date_find(const sift_page *p, sift_when *out);
/* Parse an ISO 8601 stamp ("2021-09-04T07:58:00+05:30"); 1 when valid. */
int sift_date_parse_iso(const char *s, size_t n, sift_when *out);
/* Format as ISO 8601 into buf (at least 24 bytes); returns the length. */
size_t sift_date_format(const sift_when *w, char *buf, size_t cap);
/* 1 when the day y-m-d exists. */
int sift_date_valid(int y, int m, int d);
/* The offset of a zone with a daylight-saving rule on that day. */
int sift_date_zone_offset(int std_off, int rule, int y, int m, int d);
/* Move w back by minutes (keeping its zone) or days; used for relative dates. */
void sift_date_back(sift_when *w, int64_t minutes);

/* author.c: the name or names of the author(s), ", "-joined into buf.
 * Returns the length, 0 when the page states none. */
typedef struct sift_author sift_author;
int sift_author_new(sift_author **out);
void sift_author_destroy(sift_author **pp);
size_t sift_author_find(sift_author *a, const sift_page *p, char *buf, size_t cap);

/* lang.c: ISO 639-1 language with libexttextcat and script counts. */
typedef struct sift_lang sift_lang;
/* dir: the libexttextcat data directory; langs: ISO codes to load (a
 * SIFT_T_LIST of SIFT_T_STR, borrowed for the call). Returns 0 or a
 * negative code with the reason in why (cap bytes). */
int sift_lang_new(sift_lang **out, const sift_host *h, const char *dir, const sift_value *langs,
                  char *why, size_t cap);
void sift_lang_destroy(sift_lang **pp);
/* Writes the code into out (8 bytes) or "" when not confident. */
void sift_lang_detect(sift_lang *l, const sift_page *p, char *out);

/* entities.c, quotes.c, keywords.c, counts.c write their field straight
 * into fields (borrowed for the call) and return 0 or a negative code. */
typedef struct sift_entities sift_entities;
int sift_entities_new(sift_entities **out);
void sift_entities_destroy(sift_entities **pp);
int sift_entities_write(sift_entities *e, const sift_host *h, const sift_page *p,
                        sift_value *fields, int64_t max_entities);
/* After sift_entities_write: the longest person name ending or starting
 * with the single word w, for resolving "Khan" to "Asad Majeed Khan".
 * Returns the entry's text (borrowed until the next write) or NULL. */
const char *sift_entities_expand(sift_entities *e, const char *w, size_t n, size_t *len);

typedef struct sift_quotes sift_quotes;
int sift_quotes_new(sift_quotes **out);
void sift_quotes_destroy(sift_quotes **pp);
int sift_quotes_write(sift_quotes *q, const sift_host *h, const sift_page *p, sift_value *fields,
                      sift_entities *ents);

typedef struct sift_keywords sift_keywords;
int sift_keywords_new(sift_keywords **out);
void sift_keywords_destroy(sift_keywords **pp);
int sift_keywords_write(sift_keywords *k, const sift_host *h, const sift_page *p,
                        sift_value *fields, int64_t max_keywords);

int sift_counts_write(const sift_host *h, const sift_page *p, sift_value *fields);

#endif
