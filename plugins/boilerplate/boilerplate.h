/* boilerplate.h - the types the boilerplate plugin's files share (internal, not part of the SDK).
 *
 * The stage splits the text into lines and measures each one (lines.c,
 * with the stop lists of stopwords.c and the pattern triggers of
 * triggers.c), looks them up in the per-source memory of recurring lines
 * (learn.c, persisted in LMDB), scores the lines, finds the article's
 * regions and refines them (region.c), matching the configured PCRE2
 * pattern lists (patterns.c, defaults in defaults.c) on the lines that
 * matter, and finally writes the kept text, fields.page_meta and the
 * --explain notes (meta.c). What a pattern needs of a line is read from
 * its text (syntax.c) and, for patterns anchored at the line start, asked
 * of PCRE2 by the line's first characters (prefix.c). hcount.c counts
 * hashes within a document.
 * boilerplate.c is the plugin: descriptor, options, process(). Nothing
 * here is visible outside the plugin (hidden visibility).
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_BOILERPLATE_H
#define SIFT_BOILERPLATE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include <sift/plugin.h>
#include <utf8proc.h>

/* Why a line was removed (or BP_KEEP). The names, in bp_rule_name(), are
 * what --explain prints and docs/stages/boilerplate.md lists. */
typedef enum bp_rule {
    BP_KEEP = 0,
    BP_OUTSIDE,   /* outside the article's region: menus, teasers, footers */
    BP_LINKLIST,  /* a short line in a run of short lines (menu, link list) */
    BP_DUP,       /* the same line again nearby, or a short repeated line */
    BP_REPEAT,    /* a line the region would keep twice (teaser, caption) */
    BP_LEARNED,   /* seen in learn_min_docs earlier documents of this source */
    BP_COMMENTS,  /* after the start of a comment section */
    BP_CAPTION_SHAPE, /* a lone non-sentence between two paragraphs */
    BP_STANDFIRST, /* the summary under the headline, before byline or date */
    BP_TITLE,     /* the headline above the article */
    /* pattern kinds (patterns.c), in this order */
    BP_PROMPT,
    BP_CAPTION,
    BP_BYLINE,
    BP_CREDIT,
    BP_DATE,
    BP_SITE,
    BP_COMMENT,
    BP_RULE_COUNT
} bp_rule;

#define BP_PAT_FIRST BP_PROMPT
#define BP_PAT_KINDS (BP_RULE_COUNT - BP_PROMPT)

const char *bp_rule_name(bp_rule r); /* static */

/* Line flags (bp_line.flags). */
enum {
    BP_F_TERM = 1u << 0,     /* ends in terminal punctuation (. ! ? 。 ！ ？ 」 ...) */
    BP_F_COMMA = 1u << 1,    /* ends in a comma: the sentence goes on */
    BP_F_COLON = 1u << 2,    /* ends in a colon: a list may follow */
    BP_F_LISTITEM = 1u << 3, /* in the block after a line ending in a colon */
    BP_F_NUMBERED = 1u << 4, /* starts like a list item: "1.", "-", "Q:" */
    BP_F_QUOTE = 1u << 5,    /* starts with a quotation mark */
    BP_F_ALLCAPS = 1u << 6,  /* every letter upper case (two or more letters) */
    BP_F_REGION = 1u << 7,   /* inside a selected region of the article */
    BP_F_BADUTF8 = 1u << 8,  /* not valid UTF-8: no pattern matching */
    BP_F_SCANNED = 1u << 9,  /* all pattern kinds were tried on the line */
    BP_F_COMMENTS = 1u << 10, /* a comment pattern matched: a comment section may start */
    BP_F_CSCANNED = 1u << 11, /* the comment patterns were tried on the line */
    BP_F_BASED = 1u << 12     /* region.c set base and root */
};

/* One non-blank line of the input. Offsets index the input text. */
typedef struct bp_line {
    uint32_t off, len;    /* the trimmed line: text[off, off+len) */
    uint32_t lineno;      /* 1-based line number in the input */
    uint32_t block;       /* paragraph block: lines not separated by a blank line */
    uint32_t block_size;  /* non-blank lines in this block */
    uint32_t chars;       /* code points */
    uint16_t words;       /* space-separated words with a letter, outside CJK */
    uint16_t cjk;         /* characters of scripts written without spaces */
    uint16_t stop, caps;  /* stop words (and Japanese particles); capitalised words */
    uint16_t digits, symbols, seps;
    uint16_t flags;       /* BP_F_* */
    float units;          /* words + cjk / 2: the length in words */
    float score, emit;    /* line score (log-odds style) and Viterbi emission */
    float base, root;     /* region.c's: the score without the marks, sqrt(units) */
    uint64_t hash;        /* lower-cased text: finds duplicates in the document */
    uint64_t lhash;       /* normalised text for the per-source memory (0 = none) */
    uint64_t trig;        /* bits of the patterns whose trigger words the line holds */
    uint64_t leads;       /* BP_LEAD(b): a character outside ASCII starting with byte b */
    uint8_t pat;          /* first pattern kind matched (bp_rule) or 0 */
    uint8_t linklist, dup, learned;
    uint8_t rule;         /* final decision: BP_KEEP or why removed */
} bp_line;

/* ---------------------------------------------------------------- UTF-8 */
/* The bit of a character's first byte b (0xc0 to 0xff) in a set of them. */
#define BP_LEAD(b) ((uint64_t)1 << ((unsigned)(b) - 0xc0u))

/* The code point at s[0, n) into *cp (-1 for an invalid byte); returns its
 * length in bytes (1 for an invalid byte). Valid two- and three-byte
 * characters are decoded here, anything else by utf8proc, which decides
 * what is invalid. */
static inline int bp_utf8_decode(const uint8_t *s, size_t n, int32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xc2 && s[0] < 0xe0 && n >= 2 && (s[1] & 0xc0) == 0x80) {
        *cp = (s[0] & 0x1f) << 6 | (s[1] & 0x3f);
        return 2;
    }
    if ((s[0] & 0xf0) == 0xe0 && n >= 3 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
        int32_t c = (s[0] & 0x0f) << 12 | (s[1] & 0x3f) << 6 | (s[2] & 0x3f);
        if (c >= 0x800 && (c < 0xd800 || c > 0xdfff)) {
            *cp = c;
            return 3;
        }
    }
    utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)n, cp);
    if (k <= 0) {
        *cp = -1;
        return 1;
    }
    return (int)k;
}

/* c in lower case, UTF-8, into out (room for 4 bytes); returns its length. */
static inline int bp_utf8_lower(int32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        return 1;
    }
    return (int)utf8proc_encode_char(utf8proc_tolower(c), (utf8proc_uint8_t *)out);
}

/* ---------------------------------------------------------------- PCRE2 */
/* 1 when re has JIT code (pcre2_jit_compile succeeded). */
static inline int bp_has_jit(const pcre2_code *re)
{
    size_t size = 0;
    return pcre2_pattern_info(re, PCRE2_INFO_JITSIZE, &size) == 0 && size > 0;
}

/* Match re (jit: it has JIT code) on the valid UTF-8 s[0, n) from off, as
 * pcre2_match does. With JIT code it is called directly: pcre2_jit_match
 * skips the checks of pcre2_match, which weigh on the short lines matched
 * here; a mode the JIT code lacks falls back to pcre2_match. */
static inline int bp_match(const pcre2_code *re, int jit, const char *s, size_t n, size_t off,
                           uint32_t opts, pcre2_match_data *md)
{
    int rc = jit ? pcre2_jit_match(re, (PCRE2_SPTR)s, n, off, opts, md, NULL)
                 : PCRE2_ERROR_JIT_BADOPTION;
    if (rc == PCRE2_ERROR_JIT_BADOPTION)
        rc = pcre2_match(re, (PCRE2_SPTR)s, n, off, opts | PCRE2_NO_UTF_CHECK, md, NULL);
    return rc;
}

/* ---------------------------------------------------------------- stopwords.c */
#define BP_STOP_BITS (11) /* 2048 slots (8 KiB) for a few hundred words */
#define BP_WORD_MAX (16)  /* bytes of the longest word that may be a stop word */

typedef struct bp_stopset {
    uint32_t slots[1u << BP_STOP_BITS]; /* private: fingerprints, open addressing, 0 = empty */
} bp_stopset;

/* Fill the set with the stop words of all languages. */
void bp_stopset_init(bp_stopset *s);

/* The hash the set is keyed by of the lower-cased word of n <= BP_WORD_MAX
 * bytes at w; the 16 bytes at w are read, those past the word ignored.
 * Two independent products: short, as it runs once a word of every line. */
static inline uint64_t bp_word_hash(const char *w, size_t n)
{
    static const uint8_t keep[32] = {255, 255, 255, 255, 255, 255, 255, 255,
                                     255, 255, 255, 255, 255, 255, 255, 255};
    uint64_t a, b, ka, kb;
    memcpy(&a, w, 8);
    memcpy(&b, w + 8, 8);
    memcpy(&ka, keep + 16 - n, 8); /* ones over the word's bytes, in any byte order */
    memcpy(&kb, keep + 24 - n, 8);
    return (a & ka) * 0x9e3779b97f4a7c15ull + (b & kb) * 0xc2b2ae3d27d4eb4full +
           n * 0x165667b19e3779f9ull;
}

/* 1 when the word of hash h is a stop word. The slot comes from the top
 * bits of h, the stored fingerprint from the 32 bits below them. The first
 * slot decides almost always, without a branch on the answer: one branch
 * (empty or this word's, against another word's) that nearly always goes
 * one way, where testing empty first would guess wrong at each switch
 * between stop words and others, as prose makes every few words. */
static inline int bp_stopset_has(const bp_stopset *s, uint64_t h)
{
    const uint32_t mask = (1u << BP_STOP_BITS) - 1, fp = (uint32_t)(h >> 22) | 1u;
    uint32_t i = (uint32_t)(h >> (64 - BP_STOP_BITS)), v = s->slots[i];
    if ((uint64_t)v * (v ^ fp) != 0) /* neither empty nor fp (32-bit factors: no wrap to 0) */
        while (v && v != fp) /* another word's slot: probe on */
            v = s->slots[i = (i + 1) & mask];
    return v == fp;
}

/* ---------------------------------------------------------------- hcount.c */
typedef struct bp_hcount {
    uint64_t *key; /* owned; 0 = empty slot (key 0 is counted as 1) */
    uint32_t *cnt; /* owned */
    size_t cap, mask;
} bp_hcount;

/* Empty the table, with room for n keys. 0 or SIFT_ENOMEM. */
int bp_hcount_reset(bp_hcount *h, size_t n);
/* Count key once more; returns its count. Room must have been reset for it. */
uint32_t bp_hcount_add(bp_hcount *h, uint64_t key);
uint32_t bp_hcount_get(const bp_hcount *h, uint64_t key);
void bp_hcount_fini(bp_hcount *h);

/* ---------------------------------------------------------------- syntax.c */
#define BP_LIT_MAX (32)   /* bytes of a trigger literal */
#define BP_LITS_MAX (256) /* trigger literals of one pattern */

/* The literals (lower case, at least three bytes) one of which starts a
 * word wherever the pattern pat[0, n) matches, into lit and their lengths
 * into len; line_start: the line start counts as a word start (0 for
 * patterns anchored there, whose first characters prefix.c reads);
 * *at_start: every match starts where one of them does ("[[:<:]](may|
 * june)..."). Returns how many, 0 when there are none. */
size_t bp_syntax_literals(const char *pat, size_t n, int line_start, char (*lit)[BP_LIT_MAX],
                          size_t *len, int *at_start);
/* The bytes a line the pattern matches can end with, into the 256-bit set
 * (bit b of set[b / 64]). Returns 1 when known, 0 when any byte (all set). */
int bp_syntax_last_bytes(const char *pat, size_t n, uint64_t *set);
/* The first bytes (BP_LEAD) one of which every line the pattern matches
 * holds in a character outside ASCII; 0 when it need not hold any. */
uint64_t bp_syntax_leads(const char *pat, size_t n);

/* ---------------------------------------------------------------- triggers.c */
typedef struct bp_trigger bp_trigger;

#define BP_TRIG_FIRST3 (1u << 13) /* bits of the first3 bitmap: 1 KiB, for a few
                                      hundred literals */

typedef struct bp_triggers {
    bp_trigger *t;    /* owned */
    size_t n;
    int32_t *bucket;  /* owned: first trigger of each hash bucket, -1 = none */
    uint8_t *starts;  /* owned: bitmap of hashes of the literals' starts (BP_TRIG_SLOTS
                         bits): of three-byte literals and of the first four
                         bytes of longer ones */
    uint8_t first3[BP_TRIG_FIRST3 / 8]; /* bitmap of bp_triggers_first3 of the
                                           literals whose first three bytes are ASCII */
} bp_triggers;

void bp_triggers_init(bp_triggers *t);
void bp_triggers_fini(bp_triggers *t);
/* Take the literals that must start a word wherever the pattern matches
 * (bp_syntax_literals) as triggers of the pattern's bit (0..63); *at_start
 * as there. Returns 1 when the pattern got triggers, 0 when it has none,
 * or SIFT_ENOMEM. */
int bp_triggers_add(bp_triggers *t, const char *pat, size_t n, int line_start, unsigned bit,
                    int *at_start);
/* The first word start at or after from in the ASCII line s[0, n) where a
 * trigger with one of bits starts (as lines.c probes: a letter, digit or
 * '_' after none), or n when there is none. */
size_t bp_triggers_next(const bp_triggers *t, const char *s, size_t n, size_t from,
                        uint64_t bits);
/* The bits of the triggers the text at s (a word start) begins with. */
uint64_t bp_triggers_probe(const bp_triggers *t, const char *s, size_t n);

#define BP_TRIG_SLOTS (1u << 16) /* bits of the starts bitmap */

/* The bit of the starts bitmap for the four lower-case bytes in x (read
 * from memory as they are), or for the first three when three is set. */
static inline unsigned bp_triggers_start(uint32_t x, int three)
{
    static const uint8_t first3[4] = {255, 255, 255, 0};
    uint32_t m;
    memcpy(&m, first3, 4); /* the first three bytes in any byte order */
    x = three ? (x & m) ^ 0x5bd1e995u : x;
    return (x * 0x9e3779b1u) >> 16;
}

/* The bit of the starts bitmap for a literal's first character c, lower
 * case; it is set for the literals that are not all ASCII. */
static inline unsigned bp_triggers_start_char(int32_t c)
{
    return ((uint32_t)c * 0x85ebca6bu ^ 0xc2b2ae35u) >> 16;
}

/* 0 when no trigger can start a word whose first character, outside
 * ASCII, is c in lower case (only literals that are not all ASCII can);
 * 1 otherwise. */
static inline int bp_triggers_maybe_char(const bp_triggers *t, int32_t lower)
{
    unsigned b = bp_triggers_start_char(lower);
    return (t->starts[b >> 3] >> (b & 7)) & 1u;
}

/* The bit of the first3 bitmap for the first three bytes in x (four
 * bytes read from memory as they are, the first three ASCII): a hash of
 * their five low bits, the same for both cases of a letter, so that the
 * text needs no lower-casing for it. Other bytes share those bits (a digit
 * with a letter), which only lets a few more words through to the next
 * test. */
static inline unsigned bp_triggers_first3(uint32_t x)
{
    static const uint8_t low5[4] = {31, 31, 31, 0};
    uint32_t m;
    memcpy(&m, low5, 4); /* in any byte order */
    return ((x & m) * 0x9e3779b1u) >> 19; /* BP_TRIG_FIRST3 bits */
}

/* 0 when no trigger can start the text at s[0, n) (a quick test before
 * bp_triggers_probe, from its first three and four bytes); 1 otherwise, or
 * when those are not ASCII. Most word starts are ruled out by the first
 * three bytes alone (first3), the rest mostly by the hashes of three and
 * four lower-cased bytes. */
static inline int bp_triggers_maybe(const bp_triggers *t, const uint8_t *s, size_t n)
{
    uint32_t x;
    if (n < 3)
        return 0;
    if (n >= 4) {
        memcpy(&x, s, 4);
    } else {
        const uint8_t pad[4] = {s[0], s[1], s[2], 0};
        memcpy(&x, pad, 4);
    }
    if (x & 0x80808080u)
        return 1;
    unsigned f = bp_triggers_first3(x);
    if (!((t->first3[f >> 3] >> (f & 7)) & 1u))
        return 0;
    uint32_t upper = (x + 0x3f3f3f3fu) & ~(x + 0x25252525u) & 0x80808080u; /* 'A'..'Z' */
    x |= upper >> 2;
    unsigned b3 = bp_triggers_start(x, 1), b4 = n < 4 ? b3 : bp_triggers_start(x, 0);
    return ((t->starts[b3 >> 3] >> (b3 & 7)) | (t->starts[b4 >> 3] >> (b4 & 7))) & 1u;
}

/* ---------------------------------------------------------------- prefix.c */
typedef struct bp_prefix bp_prefix;

#define BP_PREFIX_MAX (64) /* anchored patterns a prefix cache tells apart */

/* An empty cache of fixed size. Caller owns *out; free with
 * bp_prefix_destroy(). 0 or SIFT_ENOMEM. */
int bp_prefix_new(bp_prefix **out);
void bp_prefix_destroy(bp_prefix **pp);
/* Add a pattern anchored at the line start (JIT-compiling it for partial
 * matching too); returns its bit in the masks, or -1 when the cache holds
 * BP_PREFIX_MAX already. re: borrowed until bp_prefix_destroy. */
int bp_prefix_add(bp_prefix *c, pcre2_code *re);
/* Of the patterns in want, the bits of those that may match the line
 * s[0, n) (valid UTF-8); a pattern whose bit is 0 cannot. */
uint64_t bp_prefix_mask(bp_prefix *c, const char *s, size_t n, uint64_t want);
/* Start loading the cache entry bp_prefix_mask will read for the line
 * s[0, n), if it reads one: the cache is too large to stay in the CPU's
 * caches while the other stages run, so a line's entry is mostly a miss to
 * memory, which the caller can overlap with matching the line before. */
void bp_prefix_prefetch(const bp_prefix *c, const char *s, size_t n);
/* The bytes a match of re can start with, as PCRE2 knows them (its first
 * code unit, in either case and any non-ASCII byte for a letter, or its
 * start bitmap), into the 256-bit set (bit b of set[b / 64]); every byte
 * when PCRE2 does not say. */
void bp_first_bytes(const pcre2_code *re, uint64_t *set);

/* ---------------------------------------------------------------- lines.c */
#define BP_CHAR_CACHE (512) /* characters outside ASCII whose properties are kept */

/* What lines.c reads of a character outside ASCII, from utf8proc. */
typedef struct bp_char {
    int32_t c;     /* the character; 0 = empty */
    int32_t lower; /* its lower case */
    uint8_t cat;   /* its utf8proc_category_t */
} bp_char;

typedef struct bp_lines {
    bp_line *v;       /* owned; reused from document to document */
    bp_hcount counts; /* owned: lines by their text, for duplicates */
    size_t n, cap;
    char *scratch;    /* owned: normalisation buffer */
    size_t scratch_cap;
    bp_char chars[BP_CHAR_CACHE]; /* private: direct-mapped by code point */
} bp_lines;

/* Split text into non-blank lines and measure each. text: borrowed for
 * the call (the lines keep offsets into it); want_lhash: also compute the
 * normalised hash for learning; trig (borrowed for the call, may be NULL):
 * probe the word starts for pattern triggers. Returns 0 or SIFT_ENOMEM. */
int bp_lines_split(bp_lines *ls, const char *text, size_t len, const bp_stopset *stop,
                   const bp_triggers *trig, int want_lhash);
void bp_lines_fini(bp_lines *ls);
/* Mark dup, linklist and list items from the block structure. Returns 0
 * or SIFT_ENOMEM. */
int bp_lines_context(bp_lines *ls);

/* ---------------------------------------------------------------- patterns.c */
typedef struct bp_patterns bp_patterns;

/* Compile the pattern lists from the stage's options. Caller owns *out;
 * free with bp_patterns_destroy(). Errors go through host->error. */
int bp_patterns_new(bp_patterns **out, sift_stage *st, const sift_host *h);
void bp_patterns_destroy(bp_patterns **pp);
/* The first kind in kind_mask (bit k: kind BP_PAT_FIRST+k) whose list
 * matches the line (a bp_rule), or 0. */
uint8_t bp_patterns_match(bp_patterns *p, const char *text, const bp_line *line,
                          unsigned kind_mask);
/* bp_prefix_prefetch for the line l of text, ahead of matching it. */
void bp_patterns_prefetch(const bp_patterns *p, const char *text, const bp_line *l);
/* The trigger table lines.c probes with, or NULL when no pattern has
 * triggers; borrowed until bp_patterns_destroy. */
const bp_triggers *bp_patterns_triggers(const bp_patterns *p);
#define BP_KIND_BIT(rule) (1u << ((rule) - BP_PAT_FIRST))
#define BP_KINDS_ALL ((1u << BP_PAT_KINDS) - 1)

/* Default lists, one per kind (config text), used by boilerplate.c's option table. */
extern const char bp_def_prompt[], bp_def_caption[], bp_def_byline[], bp_def_credit[],
    bp_def_date[], bp_def_site[], bp_def_comment[];

/* ---------------------------------------------------------------- learn.c */
typedef struct bp_learn bp_learn;

typedef struct bp_learn_opts {
    int64_t min_docs;  /* a line in this many earlier docs of a source is boilerplate */
    int64_t max_lines; /* bound of the memory (entries) */
    const char *dir;   /* borrowed until bp_learn_destroy: state directory or NULL */
} bp_learn_opts;

/* Open the memory, loading it from dir when given. Caller owns *out; free
 * with bp_learn_destroy() (which flushes). Errors go through host->error. */
int bp_learn_new(bp_learn **out, const bp_learn_opts *o, sift_stage *st, const sift_host *h);
void bp_learn_destroy(bp_learn **pp);
/* Mark lines learnt as boilerplate for source, then count this document's
 * lines (once each; not again for the same doc id). */
int bp_learn_apply(bp_learn *l, uint64_t source, uint64_t doc, bp_lines *ls);
/* Write what changed since the last flush. 0 or a negative code. */
int bp_learn_flush(bp_learn *l);
void bp_learn_stats(const bp_learn *l, const sift_host *h, sift_value *map);

/* ---------------------------------------------------------------- region.c */
typedef struct bp_region_opts {
    double switch_cost;      /* Viterbi cost of entering or leaving the article */
    double min_region_share; /* a region below this share of the best one is dropped */
    double far_region_share; /* a separate cluster needs this share of the best cluster */
    int64_t region_gap;      /* regions at most this many lines apart form one cluster */
} bp_region_opts;

/* Per-document working memory of region.c, reused between documents. */
typedef struct bp_region_buf {
    uint8_t *back;  /* owned: Viterbi back pointers, two per line */
    uint8_t *state; /* owned: Viterbi state per line (1 = article) */
    void *spans;    /* owned: the regions found */
    bp_hcount kept; /* owned: kept lines by their text */
    size_t cap;     /* lines the buffers hold */
    size_t comment_from, comment_to; /* public, read-only: the lines where a
                                        comment marker would end the article */
} bp_region_buf;

/* Score every line, choose the article's regions and set each line's rule.
 * Returns 0 or SIFT_ENOMEM. */
int bp_region_decide(bp_region_buf *b, bp_lines *ls, const bp_region_opts *o);
/* After more lines were pattern-matched: name the pattern as the rule of
 * removed lines that so far had a weaker one (outside, comments, linklist,
 * duplicate), as bp_region_decide would have. */
void bp_region_relabel(bp_lines *ls);
/* Remove the first kept line when a byline or date line follows it before
 * the next kept line (the summary under the headline). */
void bp_region_standfirst(bp_lines *ls);
/* A short line directly above a credit line in its block becomes BP_CAPTION. */
void bp_region_captions(bp_lines *ls);
void bp_region_fini(bp_region_buf *b);

/* ---------------------------------------------------------------- meta.c */
/* Pick the headline among the removed lines above the article (rule BP_TITLE). */
void bp_meta_title(bp_lines *ls, const char *text);
typedef struct bp_meta_opts {
    int with_meta;    /* write fields.page_meta */
    int64_t max_meta; /* at most this many entries */
    int64_t window;   /* lines above and below the article searched */
} bp_meta_opts;

/* Write fields.page_meta and fields.boilerplate, and the --explain notes.
 * text: borrowed for the call, the input text the lines index. Returns 0
 * or a negative code (from the host's value functions). */
int bp_meta_write(const sift_host *h, sift_doc *doc, const bp_lines *ls, const char *text,
                  const bp_meta_opts *o);
/* The kept lines, blank lines between blocks, into *out. Caller owns *out;
 * free with free(). 0 or SIFT_ENOMEM. */
int bp_meta_kept_text(const bp_lines *ls, const char *text, size_t len, char **out,
                      size_t *out_len);

#endif
