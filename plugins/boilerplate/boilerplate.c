/* boilerplate.c - the boilerplate stage plugin: keep the article, hand its metadata on.
 *
 * Descriptor, options and process(): split and measure the lines
 * (lines.c), match the pattern lists (patterns.c), consult and feed the
 * per-source memory (learn.c), decide the article's region (region.c),
 * then write the kept text, fields.page_meta, fields.boilerplate and the
 * --explain notes (meta.c). The stage keeps per-process state only in its
 * memory of recurring lines; it is not a singleton (each worker learns on
 * its own, see docs/stages/boilerplate.md). The model is described there.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "boilerplate.h"

typedef struct bp_state {
    const sift_host *h;
    sift_stage *st;
    bp_stopset stop;
    bp_patterns *pat;
    bp_learn *learn; /* NULL when learning is off */
    bp_lines lines;
    bp_region_buf rbuf;
    bp_region_opts ropt;
    bp_meta_opts mopt;
    uint64_t docs, lines_in, lines_kept;
} bp_state;

static const sift_option bp_options[] = {
    {"prompt_patterns", SIFT_OPT_STRLIST, bp_def_prompt, 0, 0, NULL,
     "whole-line prompts: share, subscribe, login, comments, navigation, counters"},
    {"caption_patterns", SIFT_OPT_STRLIST, bp_def_caption, 0, 0, NULL, "photo captions"},
    {"byline_patterns", SIFT_OPT_STRLIST, bp_def_byline, 0, 0, NULL, "bylines and author roles"},
    {"credit_patterns", SIFT_OPT_STRLIST, bp_def_credit, 0, 0, NULL, "picture credits, agencies"},
    {"date_patterns", SIFT_OPT_STRLIST, bp_def_date, 0, 0, NULL, "dates and times of date lines"},
    {"site_patterns", SIFT_OPT_STRLIST, bp_def_site, 0, 0, NULL,
     "site text at any length: cookies, rights, consent, newsletters"},
    {"comment_patterns", SIFT_OPT_STRLIST, bp_def_comment, 0, 0, NULL,
     "starts of comment sections"},
    {"extra_patterns", SIFT_OPT_STRLIST, "[]", 0, 0, NULL,
     "more patterns, each \"kind=regex\" (kind: prompt caption byline credit date site comment)"},
    {"learn", SIFT_OPT_BOOL, "true", 0, 0, NULL, "learn lines that recur across a source's documents"},
    {"learn_min_docs", SIFT_OPT_INT, "3", 2, 1000000, NULL,
     "a line seen in this many earlier documents of a source is boilerplate"},
    {"learn_max_lines", SIFT_OPT_INT, "100000", 100, 10000000, NULL,
     "bound of the memory of recurring lines (least recently seen go first)"},
    {"switch_cost", SIFT_OPT_DOUBLE, "3.0", 0, 0, NULL,
     "cost of entering or leaving the article region (higher: fewer, longer regions)"},
    {"min_region_share", SIFT_OPT_DOUBLE, "0.15", 0, 0, NULL,
     "drop a region below this share of the best region's mass"},
    {"far_region_share", SIFT_OPT_DOUBLE, "0.5", 0, 0, NULL,
     "keep a separate cluster of regions with this share of the best cluster's mass"},
    {"region_gap", SIFT_OPT_INT, "10", 0, 100000, NULL,
     "regions at most this many lines apart belong to one cluster"},
    {"page_meta", SIFT_OPT_BOOL, "true", 0, 0, NULL, "write fields.page_meta"},
    {"max_page_meta", SIFT_OPT_INT, "32", 0, 10000, NULL, "at most this many page_meta entries"},
    {"meta_window", SIFT_OPT_INT, "15", 0, 100000, NULL,
     "page_meta covers removed lines this many lines around the article"},
    {0},
};

static int read_options(bp_state *s)
{
    const sift_host *h = s->h;
    int b = 0;
    if (h->opt_double(s->st, "switch_cost", &s->ropt.switch_cost) < 0 ||
        h->opt_double(s->st, "min_region_share", &s->ropt.min_region_share) < 0 ||
        h->opt_double(s->st, "far_region_share", &s->ropt.far_region_share) < 0 ||
        h->opt_int(s->st, "region_gap", &s->ropt.region_gap) < 0 ||
        h->opt_bool(s->st, "page_meta", &b) < 0 ||
        h->opt_int(s->st, "max_page_meta", &s->mopt.max_meta) < 0 ||
        h->opt_int(s->st, "meta_window", &s->mopt.window) < 0)
        return h->error(s->st, SIFT_EINVAL, "options unreadable");
    s->mopt.with_meta = b;
    if (!(s->ropt.switch_cost > 0 && s->ropt.switch_cost <= 1000))
        return h->error(s->st, SIFT_ERANGE, "option switch_cost: must be in (0, 1000] (got %g)",
                        s->ropt.switch_cost);
    if (!(s->ropt.min_region_share >= 0 && s->ropt.min_region_share <= 1) ||
        !(s->ropt.far_region_share >= 0 && s->ropt.far_region_share <= 1))
        return h->error(s->st, SIFT_ERANGE, "options min_region_share, far_region_share: must "
                        "be between 0 and 1 (got %g, %g)", s->ropt.min_region_share,
                        s->ropt.far_region_share);
    return 0;
}

static int open_learn(bp_state *s)
{
    const sift_host *h = s->h;
    int on = 0;
    bp_learn_opts o = {0};
    if (h->opt_bool(s->st, "learn", &on) < 0 || h->opt_int(s->st, "learn_min_docs", &o.min_docs) < 0 ||
        h->opt_int(s->st, "learn_max_lines", &o.max_lines) < 0)
        return h->error(s->st, SIFT_EINVAL, "options unreadable");
    if (!on)
        return 0;
    o.dir = h->stage_state_dir(s->st);
    return bp_learn_new(&s->learn, &o, s->st, h);
}

static void bp_fini(void *state)
{
    bp_state *s = state;
    if (!s)
        return;
    bp_learn_destroy(&s->learn);
    bp_patterns_destroy(&s->pat);
    bp_lines_fini(&s->lines);
    bp_region_fini(&s->rbuf);
    free(s);
}

static int bp_init(sift_stage *st, const sift_host *h, void **state)
{
    bp_state *s = calloc(1, sizeof *s);
    if (!s)
        return SIFT_ENOMEM;
    s->h = h;
    s->st = st;
    int rc = read_options(s);
    bp_stopset_init(&s->stop);
    if (rc == 0)
        rc = bp_patterns_new(&s->pat, st, h);
    if (rc == 0)
        rc = open_learn(s);
    if (rc < 0) {
        bp_fini(s);
        return rc;
    }
    *state = s;
    return 0;
}

static uint64_t hash_of(int (*get)(const sift_doc *, const char **, size_t *), const sift_doc *d)
{
    const char *p;
    size_t n;
    return get(d, &p, &n) == 0 && n ? XXH3_64bits(p, n) : 0;
}

#define MAX_ROUNDS (6) /* decide / match rounds before the decision stands */
#define WINDOW_BACK (12) /* lines above the article matched for the title */

/* The lines are matched in their order, mostly one after the other: start
 * loading what matching the next one reads while this one is matched. */
static void prefetch_after(bp_state *s, const char *text, size_t i)
{
    if (i + 1 < s->lines.n)
        bp_patterns_prefetch(s->pat, text, &s->lines.v[i + 1]);
}

/* Does line i start a comment section? Tried once per line. */
static int scan_comment(bp_state *s, const char *text, size_t i)
{
    bp_line *l = &s->lines.v[i];
    if (l->flags & BP_F_CSCANNED)
        return 0;
    l->flags |= BP_F_CSCANNED;
    prefetch_after(s, text, i);
    if (bp_patterns_match(s->pat, text, l, BP_KIND_BIT(BP_COMMENT)) == 0)
        return 0;
    l->flags |= BP_F_COMMENTS;
    return 1;
}

static void scan(bp_state *s, const char *text, size_t i)
{
    bp_line *l = &s->lines.v[i];
    prefetch_after(s, text, i);
    l->pat = bp_patterns_match(s->pat, text, l, BP_KINDS_ALL);
    l->flags |= BP_F_SCANNED;
    if (l->pat == BP_COMMENT)
        l->flags |= BP_F_COMMENTS | BP_F_CSCANNED;
}

/* Match all pattern kinds on the article's lines not matched yet, and the
 * comment patterns where a comment section would end the article; 1 when
 * something matched (the decision must be made again). */
static int scan_region(bp_state *s, const char *text)
{
    int fresh = 0;
    for (size_t i = 0; i < s->lines.n; i++) {
        bp_line *l = &s->lines.v[i];
        if ((l->flags & BP_F_REGION) && !(l->flags & BP_F_SCANNED)) {
            scan(s, text, i);
            fresh |= l->pat != 0;
        }
    }
    for (size_t i = s->rbuf.comment_from; i <= s->rbuf.comment_to && i < s->lines.n; i++)
        fresh |= scan_comment(s, text, i);
    return fresh;
}

/* Match the lines around the article that page_meta and the title read. */
static void scan_window(bp_state *s, const char *text)
{
    size_t n = s->lines.n, first = n, last = 0;
    for (size_t i = 0; i < n; i++)
        if (s->lines.v[i].rule == BP_KEEP) {
            first = i < first ? i : first;
            last = i;
        }
    if (first == n)
        return;
    size_t back = (size_t)s->mopt.window > WINDOW_BACK ? (size_t)s->mopt.window : WINDOW_BACK;
    size_t lo = first > back ? first - back : 0;
    size_t hi = last + (size_t)s->mopt.window < n ? last + (size_t)s->mopt.window : n - 1;
    for (size_t i = lo; i <= hi; i++)
        if (!(s->lines.v[i].flags & BP_F_SCANNED))
            scan(s, text, i);
    bp_region_relabel(&s->lines);
}

/* Lines, patterns, memory, region, title: every line gets its rule. The
 * patterns run lazily: every kind on the lines the decision keeps, comment
 * markers where they would cut the article (deciding again while that finds
 * matches), then on the lines around the article for the title and
 * page_meta. A pattern only lowers a line's score, so lines left unmatched
 * outside the article would stay outside. */
static int decide(bp_state *s, sift_doc *doc, const char *text, size_t len)
{
    uint64_t source = s->learn ? hash_of(s->h->doc_source, doc) : 0;
    int rc = bp_lines_split(&s->lines, text, len, &s->stop, bp_patterns_triggers(s->pat),
                            source != 0);
    if (rc < 0)
        return rc;
    if ((rc = bp_lines_context(&s->lines)) < 0)
        return rc;
    if (source && (rc = bp_learn_apply(s->learn, source, hash_of(s->h->doc_id, doc),
                                       &s->lines)) < 0)
        return rc;
    int round = 0, fresh;
    do {
        if ((rc = bp_region_decide(&s->rbuf, &s->lines, &s->ropt)) < 0)
            return rc;
        fresh = scan_region(s, text);
    } while (fresh && ++round < MAX_ROUNDS);
    if (fresh && (rc = bp_region_decide(&s->rbuf, &s->lines, &s->ropt)) < 0)
        return rc;
    scan_window(s, text);
    bp_region_captions(&s->lines);
    bp_region_standfirst(&s->lines);
    bp_meta_title(&s->lines, text);
    return 0;
}

static int bp_process(void *state, sift_doc *doc)
{
    bp_state *s = state;
    const sift_host *h = s->h;
    const char *text;
    size_t len, out_len;
    char *out = NULL;
    h->doc_text(doc, &text, &len);
    if (len >= UINT32_MAX)
        return h->error(s->st, SIFT_EDOC, "text of %zu bytes is too long for this stage", len);
    int rc = decide(s, doc, text, len);
    if (rc == 0)
        rc = bp_meta_kept_text(&s->lines, text, len, &out, &out_len);
    if (rc == 0) /* meta first: it reads the input text, which set_text replaces */
        rc = bp_meta_write(h, doc, &s->lines, text, &s->mopt);
    if (rc == 0)
        rc = h->doc_set_text(doc, out, out_len);
    free(out);
    if (rc < 0)
        return h->error(s->st, rc, "%s", h->strerror(rc));
    s->docs++;
    s->lines_in += s->lines.n;
    for (size_t i = 0; i < s->lines.n; i++)
        s->lines_kept += s->lines.v[i].rule == BP_KEEP;
    return SIFT_OK;
}

static int bp_flush(void *state)
{
    bp_state *s = state;
    return s->learn ? bp_learn_flush(s->learn) : 0;
}

static void bp_stats(void *state, sift_value *map)
{
    bp_state *s = state;
    sift_value *v;
    if (s->h->map_put(map, "docs", &v) == 0)
        s->h->val_set_int(v, (int64_t)s->docs);
    if (s->h->map_put(map, "lines_in", &v) == 0)
        s->h->val_set_int(v, (int64_t)s->lines_in);
    if (s->h->map_put(map, "lines_kept", &v) == 0)
        s->h->val_set_int(v, (int64_t)s->lines_kept);
    if (s->learn)
        bp_learn_stats(s->learn, s->h, map);
}

static const sift_plugin bp_plugin = {
    SIFT_PLUGIN_HEADER,
    .name = "boilerplate",
    .version = "1.0.0",
    .description = "keeps the article: removes menus, prompts, captions, bylines, related links",
    .options = bp_options,
    .init = bp_init,
    .process = bp_process,
    .fini = bp_fini,
    .flush = bp_flush,
    .stats = bp_stats,
};

SIFT_EXPORT const sift_plugin *sift_plugin_entry(void)
{
    return &bp_plugin;
}
