/* boilerplate.h - the types the boilerplate plugin's files share (internal, not part of the SDK).
 *
 * The stage splits the text into lines and measures each one (lines.c,
 * with the stop lists of stopwords.c and the pattern triggers of
 * triggers.c), looks them up in the per-source memory of recurring lines
 * (learn.c, persisted in LMDB), scores the lines, finds the article's
 * regions and refines them (region.c), matching the configured PCRE2
 * pattern lists (patterns.c, defaults in defaults.c) on the lines that
 * matter, and finally writes the kept text, fields.page_meta and the
 * --explain notes (meta.c). hcount.c counts hashes within a document.
 * boilerplate.c is the plugin: descriptor, options, process(). Nothing
 * here is visible outside the plugin (hidden visibility).
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_BOILERPLATE_H
#define SIFT_BOILERPLATE_H

#include <stddef.h>
#include <stdint.h>

#include <sift/plugin.h>

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
    BP_F_CSCANNED = 1u << 11  /* the comment patterns were tried on the line */
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
    uint64_t hash;        /* lower-cased text: finds duplicates in the document */
    uint64_t lhash;       /* normalised text for the per-source memory (0 = none) */
    uint64_t trig;        /* bits of the patterns whose trigger words the line holds */
    uint8_t pat;          /* first pattern kind matched (bp_rule) or 0 */
    uint8_t linklist, dup, learned;
    uint8_t rule;         /* final decision: BP_KEEP or why removed */
} bp_line;

/* ---------------------------------------------------------------- stopwords.c */
typedef struct bp_stopset {
    uint64_t *slots; /* private: open addressing, 0 = empty */
    size_t mask;
} bp_stopset;

#define BP_FNV_OFFSET (0xcbf29ce484222325ull)
#define BP_FNV_PRIME (0x100000001b3ull)
/* FNV-1a of a lower-cased word, the hash the set is keyed by. */
uint64_t bp_word_hash(const char *w, size_t n);
int bp_stopset_init(bp_stopset *s); /* 0 or SIFT_ENOMEM */
void bp_stopset_fini(bp_stopset *s);
int bp_stopset_has(const bp_stopset *s, uint64_t word_hash);

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

/* ---------------------------------------------------------------- triggers.c */
typedef struct bp_trigger bp_trigger;

typedef struct bp_triggers {
    bp_trigger *t;    /* owned */
    size_t n;
    int32_t *bucket;  /* owned: first trigger of each hash bucket, -1 = none */
    uint8_t *first3;  /* owned: bitmap of a hash of the literals' first three bytes */
} bp_triggers;

void bp_triggers_init(bp_triggers *t);
void bp_triggers_fini(bp_triggers *t);
/* Take the literals a pattern must start a word with ("[[:<:]]word..." or
 * "[[:<:]](one|two)...") as triggers of the pattern's bit (0..63). Returns 1
 * when the pattern got triggers, 0 when it has none (it must always run),
 * or SIFT_ENOMEM. */
int bp_triggers_add(bp_triggers *t, const char *pat, size_t n, unsigned bit);
/* The bits of the triggers the text at s (a word start) begins with. */
uint64_t bp_triggers_probe(const bp_triggers *t, const char *s, size_t n);

/* The hash of three lower-case bytes that first3 is indexed by. */
static inline unsigned bp_triggers_first3(const char *w)
{
    return ((unsigned char)w[0] * 1031u + (unsigned char)w[1] * 37u + (unsigned char)w[2]) &
           0xffffu;
}

/* 0 when no trigger can start with the three ASCII bytes at s (a quick
 * test before bp_triggers_probe); 1 otherwise, or when they are not ASCII. */
static inline int bp_triggers_maybe(const bp_triggers *t, const uint8_t *s, size_t n)
{
    if (n < 3 || ((s[0] | s[1] | s[2]) & 0x80))
        return n >= 3;
    char w[3];
    for (int i = 0; i < 3; i++)
        w[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32u : s[i]);
    unsigned f = bp_triggers_first3(w);
    return (t->first3[f >> 3] >> (f & 7)) & 1u;
}

/* ---------------------------------------------------------------- lines.c */
typedef struct bp_lines {
    bp_line *v;       /* owned; reused from document to document */
    bp_hcount counts; /* owned: lines by their text, for duplicates */
    size_t n, cap;
    char *scratch;    /* owned: normalisation buffer */
    size_t scratch_cap;
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
