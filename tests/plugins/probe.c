/* probe.c - test plugin that does what each document asks, to exercise the host.
 *
 * The document text starts with a command word:
 *   DROP       -> host->doc_drop with a reason
 *   FAIL       -> SIFT_EDOC with a message via host->error
 *   RETRY      -> SIFT_RETRY every time
 *   BADSTATUS  -> returns 42, which is no valid status
 *   UPPER      -> replaces the text with its ASCII upper case
 *   NOTE       -> one explain note
 *   BADUTF8    -> tries to set a field to invalid UTF-8 (records the rc)
 *   CRASH      -> dies by SIGSEGV (siftd tests: the worker dies)
 *   HANG       -> loops forever (siftd tests: the deadline kills it)
 * Every document gets fields.probe = the option values read through the
 * typed getters, and scores.probe.len = the text length.
 * SPDX-License-Identifier: MIT */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <sift/plugin.h>

static const char *const modes[] = {"fast", "slow", NULL};
static const sift_option options[] = {
    {.name = "flag", .type = SIFT_OPT_BOOL, .def = "false", .help = "a bool"},
    {.name = "count", .type = SIFT_OPT_INT, .def = "3", .min = 1, .max = 10, .help = "an int in 1..10"},
    {.name = "ratio", .type = SIFT_OPT_DOUBLE, .def = "0.5", .help = "a number"},
    {.name = "label", .type = SIFT_OPT_STRING, .def = "\"x\"", .help = "a string"},
    {.name = "mode", .type = SIFT_OPT_ENUM, .def = "\"fast\"", .choices = modes, .help = "fast or slow"},
    {.name = "words", .type = SIFT_OPT_STRLIST, .def = "[\"a\", \"b\"]", .help = "strings"},
    {0},
};

typedef struct probe {
    sift_stage *st;
    const sift_host *h;
} probe;

static int probe_init(sift_stage *st, const sift_host *h, void **state)
{
    probe *p = malloc(sizeof *p);
    if (!p)
        return SIFT_ENOMEM;
    p->st = st;
    p->h = h;
    *state = p;
    return SIFT_OK;
}

static void probe_fini(void *state) { free(state); }

static void put_int(const sift_host *h, sift_value *m, const char *k, int64_t i)
{
    sift_value *v;
    if (h->map_put(m, k, &v) == SIFT_OK)
        h->val_set_int(v, i);
}

static void record_options(probe *p, sift_doc *doc)
{
    const sift_host *h = p->h;
    sift_value *m, *v;
    int flag = 0;
    int64_t count = 0;
    double ratio = 0;
    const char *label = NULL, *mode = NULL;
    const sift_value *words = NULL;
    h->opt_bool(p->st, "flag", &flag);
    h->opt_int(p->st, "count", &count);
    h->opt_double(p->st, "ratio", &ratio);
    h->opt_str(p->st, "label", &label);
    h->opt_str(p->st, "mode", &mode);
    h->opt_list(p->st, "words", &words);
    h->map_put(h->doc_fields(doc), "probe", &m);
    h->val_set_map(m);
    put_int(h, m, "flag", flag);
    put_int(h, m, "count", count);
    put_int(h, m, "ratio_pct", (int64_t)(ratio * 100));
    put_int(h, m, "words", (int64_t)h->val_len(words));
    h->map_put(m, "label", &v);
    h->val_set_str(v, label, strlen(label));
    h->map_put(m, "mode", &v);
    h->val_set_str(v, mode, strlen(mode));
    put_int(h, m, "wrong_type_rc", h->opt_int(p->st, "label", &count));
    put_int(h, m, "unknown_rc", h->opt_int(p->st, "nope", &count));
}

static int upper(probe *p, sift_doc *doc, const char *t, size_t n)
{
    char *u = malloc(n + 1);
    if (!u)
        return SIFT_ENOMEM;
    for (size_t i = 0; i < n; i++)
        u[i] = (t[i] >= 'a' && t[i] <= 'z') ? (char)(t[i] - 32) : t[i];
    int rc = p->h->doc_set_text(doc, u, n);
    free(u);
    return rc;
}

static int starts(const char *t, size_t n, const char *word)
{
    size_t w = strlen(word);
    return n >= w && memcmp(t, word, w) == 0;
}

static int probe_process(void *state, sift_doc *doc)
{
    probe *p = state;
    const sift_host *h = p->h;
    const char *t;
    size_t n;
    h->doc_text(doc, &t, &n);
    record_options(p, doc);
    h->doc_score_set(doc, "probe.len", (double)n);
    if (starts(t, n, "DROP"))
        return h->doc_drop(doc, "asked to drop");
    if (starts(t, n, "FAIL"))
        return h->error(p->st, SIFT_EDOC, "asked to fail at byte %d", 0);
    if (starts(t, n, "RETRY"))
        return SIFT_RETRY;
    if (starts(t, n, "BADSTATUS"))
        return 42;
    if (starts(t, n, "UPPER"))
        return upper(p, doc, t, n);
    if (starts(t, n, "NOTE") && h->doc_explaining(doc))
        h->doc_note(doc, "noted %zu bytes", n);
    if (starts(t, n, "BADUTF8")) {
        sift_value *v;
        h->map_put(h->doc_fields(doc), "bad", &v);
        put_int(h, h->doc_fields(doc), "badutf8_rc", h->val_set_str(v, "\xff\xfe", 2));
    }
    if (starts(t, n, "CRASH")) {
        /* Die by SIGSEGV even under the sanitizers, whose handlers would
         * turn a null store into a report and exit status 1. */
        signal(SIGSEGV, SIG_DFL);
        raise(SIGSEGV);
    }
    if (starts(t, n, "HANG"))
        for (volatile int spin = 1; spin;)
            ;
    return SIFT_OK;
}

static const sift_plugin desc = {
    SIFT_PLUGIN_HEADER, .name = "probe", .version = "0.1.0",
    .description = "test plugin: does what each document asks", .options = options,
    .init = probe_init, .process = probe_process, .fini = probe_fini,
};
SIFT_EXPORT const sift_plugin *sift_plugin_entry(void) { return &desc; }
