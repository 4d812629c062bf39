/* extract.c - the extract stage: descriptor, options, and the per-document run.
 *
 * Owns the plugin's lifecycle: init builds the word tables, compiles the
 * PCRE2 patterns and loads the libexttextcat models once (they are dear);
 * process loads the page model and calls each finder in turn, writing
 * fields.title, dateline, date, author, language, entities, quotes,
 * keywords and counts; fini frees it all. How each field is found lives in
 * the finder's own file (title.c, date.c, author.c, lang.c, entities.c,
 * quotes.c, keywords.c, counts.c). A field the page does not state is not
 * written. The stage is stateless across documents.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"

#define DEFAULT_LANGUAGES                                                                          \
    "[\"en\", \"de\", \"fr\", \"es\", \"it\", \"pt\", \"nl\", \"ru\", \"uk\", \"bg\", \"be\", "    \
    "\"pl\", \"cs\", \"sk\", \"sl\", \"hr\", \"sr-Latn\", \"ro\", \"hu\", \"fi\", \"sv\", "        \
    "\"da\", \"nb\", \"tr\", \"el\", \"he\", \"ar\", \"fa\", \"ur\", \"hi\", \"id\", \"ms\", "     \
    "\"vi\", \"th\", \"ca\", \"lt\", \"lv\", \"et\"]"

static const sift_option extract_options[] = {
    {.name = "max_entities",
     .type = SIFT_OPT_INT,
     .def = "30",
     .min = 0,
     .max = 1000,
     .help = "most entities written to fields.entities"},
    {.name = "max_keywords",
     .type = SIFT_OPT_INT,
     .def = "10",
     .min = 0,
     .max = 200,
     .help = "most keywords written to fields.keywords"},
    {.name = "textcat_dir",
     .type = SIFT_OPT_STRING,
     .def = "\"/usr/share/libexttextcat\"",
     .help = "directory of the libexttextcat language models (*.lm)"},
    {.name = "languages",
     .type = SIFT_OPT_STRLIST,
     .def = DEFAULT_LANGUAGES,
     .help = "libexttextcat models to load; ja, ko and zh are told by script"},
    {0},
};

typedef struct extract_state {
    sift_stage *st;
    const sift_host *h;
    int64_t max_entities, max_keywords;
    sift_lex *lex;
    sift_title *title;
    sift_author *author;
    sift_lang *lang;
    sift_entities *ents;
    sift_quotes *quotes;
    sift_keywords *kw;
    sift_page page;
    int64_t n_docs, n_title, n_date, n_author, n_lang;
} extract_state;

static void extract_fini(void *state)
{
    extract_state *x = state;
    if (!x)
        return;
    sift_lex_destroy(&x->lex);
    sift_title_destroy(&x->title);
    sift_author_destroy(&x->author);
    sift_lang_destroy(&x->lang);
    sift_entities_destroy(&x->ents);
    sift_quotes_destroy(&x->quotes);
    sift_keywords_destroy(&x->kw);
    sift_page_fini(&x->page);
    free(x);
}

static int extract_init(sift_stage *st, const sift_host *h, void **state)
{
    extract_state *x = calloc(1, sizeof *x);
    if (!x)
        return h->error(st, SIFT_ENOMEM, "out of memory");
    x->st = st;
    x->h = h;
    const char *dir = NULL;
    const sift_value *langs = NULL;
    h->opt_int(st, "max_entities", &x->max_entities);
    h->opt_int(st, "max_keywords", &x->max_keywords);
    h->opt_str(st, "textcat_dir", &dir);
    h->opt_list(st, "languages", &langs);
    if (sift_lex_new(&x->lex) < 0 || sift_title_new(&x->title) < 0 ||
        sift_author_new(&x->author) < 0 || sift_entities_new(&x->ents) < 0 ||
        sift_quotes_new(&x->quotes) < 0 || sift_keywords_new(&x->kw) < 0) {
        extract_fini(x);
        return h->error(st, SIFT_ENOMEM, "cannot build word tables or patterns");
    }
    char why[256];
    int rc = sift_lang_new(&x->lang, h, dir ? dir : "", langs, why, sizeof why);
    if (rc < 0) {
        extract_fini(x);
        return h->error(st, rc, "option languages: %s", why);
    }
    x->page.lex = x->lex;
    *state = x;
    return SIFT_OK;
}

static int put_str(const sift_host *h, sift_value *fields, const char *key, const char *s, size_t n)
{
    sift_value *slot;
    int rc = h->map_put(fields, key, &slot);
    return rc < 0 ? rc : h->val_set_str(slot, s, n);
}

/* title, dateline, date, author, language. */
static int write_meta(extract_state *x, sift_value *fields)
{
    const sift_host *h = x->h;
    sift_page *p = &x->page;
    char buf[256];
    int rc = SIFT_OK;
    if (p->title && p->title_n) {
        rc = put_str(h, fields, "title", p->title, p->title_n);
        x->n_title++;
    }
    size_t n = sift_title_dateline(x->title, p, buf, sizeof buf);
    if (rc == SIFT_OK && n)
        rc = put_str(h, fields, "dateline", buf, n);
    sift_when w;
    if (rc == SIFT_OK && sift_date_find(p, &w)) {
        n = sift_date_format(&w, buf, sizeof buf);
        rc = put_str(h, fields, "date", buf, n);
        x->n_date++;
    }
    n = rc == SIFT_OK ? sift_author_find(x->author, p, buf, sizeof buf) : 0;
    if (n) {
        rc = put_str(h, fields, "author", buf, n);
        x->n_author++;
    }
    if (rc == SIFT_OK && p->lang[0]) {
        rc = put_str(h, fields, "language", p->lang, strlen(p->lang));
        x->n_lang++;
    }
    return rc;
}

static int extract_process(void *state, sift_doc *doc)
{
    extract_state *x = state;
    const sift_host *h = x->h;
    const char *text;
    size_t len;
    int rc = h->doc_text(doc, &text, &len);
    sift_value *fields = h->doc_fields(doc);
    if (rc < 0 || !fields)
        return h->error(x->st, rc < 0 ? rc : SIFT_EDOC, "cannot read the document");
    x->n_docs++;
    sift_page *p = &x->page;
    rc = sift_page_load(p, h, text, len, fields);
    if (rc < 0)
        return h->error(x->st, rc, "cannot split the text into lines");
    sift_lang_detect(x->lang, p, p->lang);
    p->lang_bits = sift_lex_lang_bit(p->lang);
    sift_title_find(x->title, p);
    rc = write_meta(x, fields);
    if (rc == SIFT_OK)
        rc = sift_entities_write(x->ents, h, p, fields, x->max_entities);
    if (rc == SIFT_OK)
        rc = sift_quotes_write(x->quotes, h, p, fields, x->ents);
    if (rc == SIFT_OK)
        rc = sift_keywords_write(x->kw, h, p, fields, x->max_keywords);
    if (rc == SIFT_OK)
        rc = sift_counts_write(h, p, fields);
    if (rc < 0)
        return h->error(x->st, rc, "cannot write the extracted fields");
    return SIFT_OK;
}

static void put_stat(const sift_host *h, sift_value *map, const char *key, int64_t v)
{
    sift_value *slot;
    if (h->map_put(map, key, &slot) == SIFT_OK)
        h->val_set_int(slot, v);
}

static void extract_stats(void *state, sift_value *map)
{
    extract_state *x = state;
    put_stat(x->h, map, "docs", x->n_docs);
    put_stat(x->h, map, "with_title", x->n_title);
    put_stat(x->h, map, "with_date", x->n_date);
    put_stat(x->h, map, "with_author", x->n_author);
    put_stat(x->h, map, "with_language", x->n_lang);
}

static const sift_plugin extract_plugin = {
    SIFT_PLUGIN_HEADER,
    .name = "extract",
    .version = "1.0.0",
    .description = "title, dateline, date, author, language, entities, quotes, keywords, counts",
    .options = extract_options,
    .init = extract_init,
    .process = extract_process,
    .fini = extract_fini,
    .stats = extract_stats,
};

SIFT_EXPORT const sift_plugin *sift_plugin_entry(void)
{
    return &extract_plugin;
}
