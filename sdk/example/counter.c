/* counter.c - count words, sentences and paragraphs: the showcase of the sift SDK.
 *
 * A complete stage plugin built out of tree against the installed SDK
 * (<sift/plugin.h>, found through pkg-config; see CMakeLists.txt and
 * README.md beside it, and docs/plugins.md for the walk-through). It shows
 * each part of a plugin once: a descriptor filled by SIFT_PLUGIN_HEADER, an
 * option table the host validates (int with bounds, bool, string), options
 * read in init and checked further there, per-instance state, a map written
 * into the document's fields, a drop with a reason, notes for
 * `sift run --explain`, a log line, and counters for the stats callback.
 *
 * It writes fields.counter = {words, sentences, paragraphs,
 * avg_sentence_words} and, when min_words is above 0, drops documents with
 * fewer words. The rules are simple on purpose:
 *   - a word is a whitespace-separated token holding at least one letter or
 *     digit, or only a letter when count_numbers is false (any code point
 *     from U+00C0 up counts as a letter, except U+00D7, U+00F7, U+FFFD and
 *     the punctuation and symbol blocks U+2000-U+2BFF and U+3000-U+303F);
 *   - a sentence ends at a token whose last character, after closing quotes
 *     and brackets, is one of sentence_ends, or at the end of a paragraph
 *     with words since the last end (headlines count as sentences), so an
 *     abbreviation such as "e.g." ends one too;
 *   - a paragraph is a run of non-blank lines holding at least one word.
 * The text may hold any bytes when the clean stage has not run before this
 * one: a malformed UTF-8 sequence reads as one non-letter character.
 * SPDX-License-Identifier: MIT
 */
#include <sift/plugin.h>

#include <stdio.h>
#include <stdlib.h>

#define MAX_ENDS (16) /* characters sentence_ends may list */
#define MAX_MIN_WORDS (1000000000)

/* The options the host validates before init; `sift check --plugins` shows
 * the help lines. Defaults are config text. */
static const sift_option counter_options[] = {
    {.name = "min_words", .type = SIFT_OPT_INT, .def = "0", .min = 0, .max = MAX_MIN_WORDS,
     .help = "drop documents with fewer words than this (0 = never drop)"},
    {.name = "count_numbers", .type = SIFT_OPT_BOOL, .def = "true",
     .help = "count tokens made only of digits (\"2025\", \"7,5\") as words"},
    {.name = "sentence_ends", .type = SIFT_OPT_STRING, .def = "\".!?\"",
     .help = "characters that end a sentence (1 to 16, UTF-8)"},
    {0},
};

/* One instance: everything process() needs, so two stages of this plugin
 * in one pipeline do not share anything. */
typedef struct counter {
    const sift_host *host; /* borrowed until fini */
    sift_stage *stage;     /* borrowed until fini */
    int64_t min_words;
    int count_numbers;
    uint32_t ends[MAX_ENDS];
    size_t n_ends;
    int64_t n_docs, n_dropped; /* for stats() */
} counter;

/* Running totals over one document. */
typedef struct tally {
    int64_t words, sentences, paragraphs;
    int in_paragraph, open_sentence;
} tally;

/* Decode the code point at p (n > 0 bytes left) into *cp and return its
 * length; a malformed sequence reads as U+FFFD, one byte long. */
static size_t utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
    size_t len = p[0] < 0x80                    ? 1
                 : p[0] >= 0xc2 && p[0] <= 0xdf ? 2
                 : p[0] >= 0xe0 && p[0] <= 0xef ? 3
                 : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4
                                                : 0;
    *cp = 0xfffd;
    if (len == 0 || len > n)
        return 1;
    uint32_t c = len == 1 ? p[0] : p[0] & (0x7fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 1;
        c = c << 6 | (p[i] & 0x3f);
    }
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < least[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 1;
    *cp = c;
    return len;
}

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == 0xa0 ||
           (c >= 0x2000 && c <= 0x200a) || c == 0x202f || c == 0x3000;
}

static int is_digit(uint32_t c) { return c >= '0' && c <= '9'; }

static int is_letter(uint32_t c)
{
    if (c < 0x80)
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    return c >= 0xc0 && c != 0xd7 && c != 0xf7 && c != 0xfffd && !(c >= 0x2000 && c <= 0x2bff) &&
           !(c >= 0x3000 && c <= 0x303f);
}

/* Closing quotes and brackets that may follow a sentence's last mark. */
static int is_closer(uint32_t c)
{
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x2019 || c == 0x201d || c == 0xbb;
}

static int is_end(const counter *c, uint32_t cp)
{
    for (size_t i = 0; i < c->n_ends; i++)
        if (c->ends[i] == cp)
            return 1;
    return 0;
}

static void paragraph_end(tally *t)
{
    if (t->open_sentence)
        t->sentences++;
    t->open_sentence = 0;
    t->in_paragraph = 0;
}

/* Count one token p[0..n) (no white space inside). */
static void count_token(const counter *c, tally *t, const unsigned char *p, size_t n)
{
    int letters = 0, digits = 0;
    uint32_t cp, last_mark = 0;
    for (size_t i = 0, len; i < n; i += len) {
        len = utf8_next(p + i, n - i, &cp);
        letters |= is_letter(cp);
        digits |= is_digit(cp);
        if (!is_closer(cp))
            last_mark = cp;
    }
    if (letters || (digits && c->count_numbers)) {
        t->words++;
        t->open_sentence = 1;
        if (!t->in_paragraph)
            t->paragraphs++;
        t->in_paragraph = 1;
    }
    if (t->open_sentence && is_end(c, last_mark)) {
        t->sentences++;
        t->open_sentence = 0;
    }
}

/* Count the text: tokens between white space, paragraphs between blank lines. */
static void count_text(const counter *c, const unsigned char *p, size_t n, tally *t)
{
    size_t tok = 0, line_tokens = 0;
    int in_token = 0;
    uint32_t cp;
    for (size_t i = 0, len; i <= n; i += len) {
        len = i < n ? utf8_next(p + i, n - i, &cp) : 1;
        int is_break = i == n || cp == '\n';
        if (is_break || is_space(cp)) {
            if (in_token)
                count_token(c, t, p + tok, i - tok), line_tokens++;
            in_token = 0;
            if (is_break && line_tokens == 0)
                paragraph_end(t); /* a blank line, or the end of the text */
            if (is_break)
                line_tokens = 0;
        } else if (!in_token) {
            in_token = 1;
            tok = i;
        }
    }
    paragraph_end(t);
}

/* Set key in map to an int or a double; returns 0 or a negative code. */
static int put_int(const sift_host *h, sift_value *map, const char *key, int64_t v)
{
    sift_value *slot;
    int rc = h->map_put(map, key, &slot);
    return rc < 0 ? rc : h->val_set_int(slot, v);
}

static int put_double(const sift_host *h, sift_value *map, const char *key, double v)
{
    sift_value *slot;
    int rc = h->map_put(map, key, &slot);
    return rc < 0 ? rc : h->val_set_double(slot, v);
}

/* fields.counter = {words, sentences, paragraphs, avg_sentence_words}. */
static int write_fields(const counter *c, sift_doc *doc, const tally *t)
{
    const sift_host *h = c->host;
    sift_value *m;
    int rc = h->map_put(h->doc_fields(doc), "counter", &m);
    if (rc < 0 || (rc = h->val_set_map(m)) < 0)
        return rc;
    double avg = t->sentences ? (double)t->words / (double)t->sentences : 0.0;
    if ((rc = put_int(h, m, "words", t->words)) < 0 ||
        (rc = put_int(h, m, "sentences", t->sentences)) < 0 ||
        (rc = put_int(h, m, "paragraphs", t->paragraphs)) < 0)
        return rc;
    return put_double(h, m, "avg_sentence_words", avg);
}

static int counter_process(void *state, sift_doc *doc)
{
    counter *c = state;
    const sift_host *h = c->host;
    const char *text;
    size_t len;
    tally t = {0};
    int rc = h->doc_text(doc, &text, &len); /* borrowed until we return */
    if (rc < 0)
        return rc;
    c->n_docs++;
    count_text(c, (const unsigned char *)text, len, &t);
    if ((rc = write_fields(c, doc, &t)) < 0)
        return h->error(c->stage, rc, "cannot write fields.counter: %s", h->strerror(rc));
    if (h->doc_explaining(doc))
        h->doc_note(doc, "counted %lld words, %lld sentences, %lld paragraphs",
                    (long long)t.words, (long long)t.sentences, (long long)t.paragraphs);
    if (t.words < c->min_words) {
        char reason[96];
        snprintf(reason, sizeof reason, "words=%lld below min_words=%lld", (long long)t.words,
                 (long long)c->min_words);
        c->n_dropped++;
        return h->doc_drop(doc, reason); /* reason: copied; returns SIFT_DROP */
    }
    return SIFT_OK;
}

/* Decode sentence_ends into c->ends; the host checked it is a string, the
 * plugin checks what only it knows. */
static int parse_ends(counter *c, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (p[n])
        n++;
    for (size_t i = 0, len; i < n; i += len) {
        uint32_t cp;
        len = utf8_next(p + i, n - i, &cp);
        if (cp == 0xfffd || is_space(cp) || cp == '\n')
            return c->host->error(c->stage, SIFT_EINVAL,
                                  "sentence_ends: byte %zu is not a printable UTF-8 character", i);
        if (c->n_ends == MAX_ENDS)
            return c->host->error(c->stage, SIFT_ERANGE,
                                  "sentence_ends: more than %d characters", MAX_ENDS);
        c->ends[c->n_ends++] = cp;
    }
    if (c->n_ends == 0)
        return c->host->error(c->stage, SIFT_EINVAL, "sentence_ends: must not be empty");
    return SIFT_OK;
}

static int counter_init(sift_stage *st, const sift_host *host, void **state)
{
    counter *c = calloc(1, sizeof *c);
    if (!c)
        return host->error(st, SIFT_ENOMEM, "no memory for the counter state");
    c->host = host;
    c->stage = st;
    const char *ends; /* borrowed until fini; parse_ends copies what it needs */
    int rc = host->opt_int(st, "min_words", &c->min_words);
    if (rc < 0 || (rc = host->opt_bool(st, "count_numbers", &c->count_numbers)) < 0 ||
        (rc = host->opt_str(st, "sentence_ends", &ends)) < 0 || (rc = parse_ends(c, ends)) < 0) {
        free(c); /* a failing init frees what it allocated; fini is not called */
        return rc;
    }
    if (c->min_words > 0)
        host->log(st, SIFT_LOG_DEBUG, "short documents will be dropped");
    *state = c;
    return SIFT_OK;
}

static void counter_fini(void *state) { free(state); }

static void counter_stats(void *state, sift_value *map)
{
    const counter *c = state;
    put_int(c->host, map, "docs", c->n_docs);
    put_int(c->host, map, "dropped", c->n_dropped);
}

static const sift_plugin counter_plugin = {
    SIFT_PLUGIN_HEADER,
    .name = "counter",
    .version = "1.0.0",
    .description = "counts words, sentences and paragraphs; drops documents below min_words",
    .options = counter_options,
    .init = counter_init,
    .process = counter_process,
    .fini = counter_fini,
    .stats = counter_stats,
};

/* The one exported symbol. Allocates and logs nothing: `sift check` calls
 * it without init. Returns a static descriptor. */
SIFT_EXPORT const sift_plugin *sift_plugin_entry(void) { return &counter_plugin; }
