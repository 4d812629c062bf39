/* clean.c - the clean stage: descriptor, options, and process() for one document.
 *
 * Makes a document's text trustworthy: valid UTF-8, mojibake repaired, HTML
 * character references decoded, spaces, line breaks, control and zero-width
 * characters settled, Unicode normalised (NFC by default). This file reads
 * the options, runs the steps in order over one reused buffer (scan.c, then
 * normalize.c where needed), records what changed in fields.clean and, for
 * `sift run --explain`, in notes, and sets the text only when it changed.
 * The character work itself lives in scan.c, utf8fix.c, entities.c and
 * normalize.c; docs/stages/clean.md is the user's reference.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "clean.h"

/* Buffers larger than this are freed after the document that needed them. */
#define CLEAN_KEEP_BYTES ((size_t)16 << 20)

static const char *const normalize_choices[] = {"nfc", "nfkc", "none", NULL};

static const sift_option clean_options[] = {
    {.name = "fix_mojibake", .type = SIFT_OPT_BOOL, .def = "true",
     .help = "repair UTF-8 that was decoded as CP1252/Latin-1 (\"cafÃ©\" -> \"café\")"},
    {.name = "decode_entities", .type = SIFT_OPT_BOOL, .def = "true",
     .help = "decode HTML character references (&amp; &rsquo; &#8217; &#x2019;)"},
    {.name = "normalize", .type = SIFT_OPT_ENUM, .def = "\"nfc\"", .choices = normalize_choices,
     .help = "Unicode normalisation form: nfc, nfkc (also folds compatibility forms) or none"},
    {.name = "max_blank_lines", .type = SIFT_OPT_INT, .def = "1", .min = 0, .max = 10,
     .help = "most blank lines kept in a row between paragraphs"},
    {.name = "fold_typography", .type = SIFT_OPT_BOOL, .def = "false",
     .help = "turn curly quotes, primes, dashes and the ellipsis into ASCII"},
    {0},
};

typedef struct clean_state {
    sift_stage *st;        /* borrowed until fini */
    const sift_host *host; /* borrowed until fini */
    clean_opts opts;
    norm *nm;              /* NULL when normalize = none */
    char *buf;             /* scan output, reused across documents */
    size_t cap;
} clean_state;

/* One counter: its key in fields.clean and how --explain words it. */
typedef struct counter {
    const char *key;
    size_t off; /* in clean_counts */
    const char *verb, *what;
} counter;

#define COUNTER(name, verb, what) {#name, offsetof(clean_counts, name), verb, what}
static const counter counters[] = {
    COUNTER(invalid_utf8, "replaced", "invalid UTF-8 sequences with U+FFFD"),
    COUNTER(mojibake, "repaired", "mojibake characters"),
    COUNTER(entities, "decoded", "HTML character references"),
    COUNTER(spaces, "converted, folded or trimmed", "space characters"),
    COUNTER(controls, "removed", "control characters"),
    COUNTER(zero_width, "removed", "zero-width characters"),
    COUNTER(newlines, "converted, folded or trimmed", "line breaks"),
    COUNTER(typography, "folded", "typographic characters to ASCII"),
    COUNTER(nfc, NULL, NULL),
};
#undef COUNTER

static int read_opts(sift_stage *st, const sift_host *h, clean_opts *o)
{
    int64_t blank;
    const char *form;
    int rc;

    if ((rc = h->opt_bool(st, "fix_mojibake", &o->fix_mojibake)) < 0 ||
        (rc = h->opt_bool(st, "decode_entities", &o->decode_entities)) < 0 ||
        (rc = h->opt_bool(st, "fold_typography", &o->fold_typography)) < 0 ||
        (rc = h->opt_int(st, "max_blank_lines", &blank)) < 0 ||
        (rc = h->opt_str(st, "normalize", &form)) < 0)
        return h->error(st, rc, "cannot read options: %s", h->strerror(rc));
    o->max_blank_lines = (int)blank;
    o->norm = strcmp(form, "nfkc") == 0   ? CLEAN_NORM_NFKC
              : strcmp(form, "none") == 0 ? CLEAN_NORM_NONE
                                          : CLEAN_NORM_NFC;
    return SIFT_OK;
}

static int clean_init(sift_stage *st, const sift_host *host, void **state)
{
    clean_state *s = calloc(1, sizeof *s);
    int rc;

    if (!s)
        return host->error(st, SIFT_ENOMEM, "out of memory");
    s->st = st;
    s->host = host;
    if ((rc = read_opts(st, host, &s->opts)) < 0)
        goto fail;
    if (s->opts.norm != CLEAN_NORM_NONE && (rc = norm_new(&s->nm, s->opts.norm)) < 0) {
        rc = host->error(st, rc, "out of memory");
        goto fail;
    }
    *state = s;
    return SIFT_OK;
fail:
    free(s);
    return rc;
}

static void clean_fini(void *state)
{
    clean_state *s = state;

    norm_destroy(&s->nm);
    free(s->buf);
    free(s);
}

/* Make s->buf hold at least n bytes. */
static int reserve_buf(clean_state *s, size_t n)
{
    if (n <= s->cap)
        return SIFT_OK;
    char *p = realloc(s->buf, n);
    if (!p)
        return SIFT_ENOMEM;
    s->buf = p;
    s->cap = n;
    return SIFT_OK;
}

/* Run every step over text; *out (borrowed from s until the next call) gets
 * the result. Returns SIFT_OK, SIFT_ENOMEM or SIFT_ERANGE. */
static int clean_text(clean_state *s, const char *text, size_t n, clean_counts *k,
                      const char **out, size_t *out_len)
{
    scan_cfg cfg = {.opts = &s->opts, .entities = s->opts.decode_entities,
                    .mojibake = s->opts.fix_mojibake, .nm = s->nm};
    size_t first_unsafe, len;
    const char *normal;
    int rc;

    if (n > (SIZE_MAX - 16) / 3)
        return SIFT_ERANGE;
    if (reserve_buf(s, SCAN_OUT_MAX(n)) < 0)
        return SIFT_ENOMEM;
    *out = s->buf;
    *out_len = scan_run(&cfg, (const uint8_t *)text, n, s->buf, k, &first_unsafe);
    if (first_unsafe == SIZE_MAX)
        return SIFT_OK;
    if ((rc = norm_apply(s->nm, s->buf, *out_len, first_unsafe, &normal, &len)) <= 0)
        return rc;
    k->nfc = 1;
    *out = normal;
    *out_len = len;
    if (s->opts.norm != CLEAN_NORM_NFKC)
        return SIFT_OK;
    /* NFKC can turn characters into spaces (U+00A8 -> " \u0308"): settle
     * white space once more, without decoding anything a second time. */
    cfg = (scan_cfg){.opts = &s->opts};
    if (reserve_buf(s, SCAN_OUT_MAX(len)) < 0)
        return SIFT_ENOMEM;
    *out = s->buf;
    *out_len = scan_run(&cfg, (const uint8_t *)normal, len, s->buf, k, &first_unsafe);
    return SIFT_OK;
}

/* fields.clean = {counter: n, ...}, every counter, zeros included. */
static int write_counts(clean_state *s, sift_doc *doc, const clean_counts *k)
{
    const sift_host *h = s->host;
    sift_value *map, *slot;
    int rc;

    if ((rc = h->map_put(h->doc_fields(doc), "clean", &map)) < 0 || (rc = h->val_set_map(map)) < 0)
        return rc;
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++) {
        int64_t v = *(const int64_t *)(const void *)((const char *)k + counters[i].off);
        if ((rc = h->map_put(map, counters[i].key, &slot)) < 0 || (rc = h->val_set_int(slot, v)) < 0)
            return rc;
    }
    return SIFT_OK;
}

static void explain(clean_state *s, sift_doc *doc, const clean_counts *k)
{
    static const char *const forms[] = {"none", "NFC", "NFKC"};

    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++) {
        int64_t v = *(const int64_t *)(const void *)((const char *)k + counters[i].off);
        if (v && counters[i].verb)
            s->host->doc_note(doc, "%s %lld %s", counters[i].verb, (long long)v, counters[i].what);
    }
    if (k->nfc)
        s->host->doc_note(doc, "normalised the text to %s", forms[s->opts.norm]);
}

/* Free buffers a very large document left behind. */
static void trim_buffers(clean_state *s)
{
    if (s->cap > CLEAN_KEEP_BYTES) {
        free(s->buf);
        s->buf = NULL;
        s->cap = 0;
    }
    if (s->nm)
        norm_trim(s->nm, CLEAN_KEEP_BYTES);
}

static int clean_process(void *state, sift_doc *doc)
{
    clean_state *s = state;
    const sift_host *h = s->host;
    clean_counts k = {0};
    const char *text, *res;
    size_t n, res_len;
    int rc;

    if ((rc = h->doc_text(doc, &text, &n)) < 0)
        return h->error(s->st, rc, "cannot read the text: %s", h->strerror(rc));
    if ((rc = clean_text(s, text, n, &k, &res, &res_len)) < 0)
        return h->error(s->st, rc, "cannot clean %zu bytes: %s", n, h->strerror(rc));
    if ((rc = write_counts(s, doc, &k)) < 0)
        return h->error(s->st, rc, "cannot write fields.clean: %s", h->strerror(rc));
    if (h->doc_explaining(doc))
        explain(s, doc, &k);
    if (res_len != n || memcmp(res, text, n) != 0)
        rc = h->doc_set_text(doc, res, res_len);
    trim_buffers(s);
    if (rc < 0)
        return h->error(s->st, rc, "cannot set the cleaned text (%zu bytes): %s", res_len,
                        h->strerror(rc));
    return SIFT_OK;
}

static const sift_plugin clean_plugin = {
    SIFT_PLUGIN_HEADER,
    .name = "clean",
    .version = "1.0.0",
    .description = "valid UTF-8, mojibake, HTML entities, spaces and line breaks, NFC",
    .options = clean_options,
    .init = clean_init,
    .process = clean_process,
    .fini = clean_fini,
};

SIFT_EXPORT const sift_plugin *sift_plugin_entry(void);
SIFT_EXPORT const sift_plugin *sift_plugin_entry(void)
{
    return &clean_plugin;
}
