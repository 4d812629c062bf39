/* score.c - the score stage: descriptor, options, and the per-document flow.
 *
 * For each document: split the text once (words.c); report the quality
 * signals (quality.c, repetition.c) and topic relevance (topics.c) as
 * scores; apply the configured drop policy (by default only clear junk:
 * no text, or fewer than min_words words), with a reason naming the signal
 * and its value; then, across the stream, find the earlier near-duplicate
 * (minhash.c), story and original (story.c) and remember the document in
 * the ring of recent records (store.c), persisted in LMDB (state.c) when
 * the host gives a state directory. The stream state makes the stage
 * SIFT_PLUGIN_SINGLETON: one instance sees every document in order. A
 * document seen again under the same id (a retry, a second run) replaces
 * its earlier record instead of matching it. Option checks and drop rules
 * live in opts.c; the date parser the story window uses in story.c.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "score.h"

#define SCORE_MAX_ID (256) /* bytes of a document id kept (the host allows 256) */

/* clang-format off */
static const sift_option score_options[] = {
    {.name = "min_words", .type = SIFT_OPT_INT, .def = "50", .min = 0, .max = 100000000,
     .help = "drop a document with fewer words (gopher.words); 0 = off"},
    {.name = "drop_empty", .type = SIFT_OPT_BOOL, .def = "true",
     .help = "drop a document with no text left (after boilerplate)"},
    {.name = "min_quality", .type = SIFT_OPT_DOUBLE, .def = "0.0",
     .help = "drop a document whose quality is below this, 0..1; 0 = off"},
    {.name = "drop_if", .type = SIFT_OPT_STRLIST, .def = "[]",
     .help = "more drop rules, each \"<score> < <value>\" or \"<score> > <value>\""},
    {.name = "near_dup", .type = SIFT_OPT_BOOL, .def = "true",
     .help = "find near-duplicates (MinHash LSH over word 5-grams): fields.duplicate_of"},
    {.name = "near_dup_threshold", .type = SIFT_OPT_DOUBLE, .def = "0.8",
     .help = "estimated Jaccard similarity of 5-gram sets that makes a near-duplicate, 0..1"},
    {.name = "stories", .type = SIFT_OPT_BOOL, .def = "true",
     .help = "group documents into stories and find rewrites: fields.story, derived_from"},
    {.name = "story_window_hours", .type = SIFT_OPT_INT, .def = "72", .min = 0, .max = 876000,
     .help = "how far apart in time two documents of one story may be; 0 = no limit"},
    {.name = "story_threshold", .type = SIFT_OPT_DOUBLE, .def = "0.23",
     .help = "tf-idf cosine similarity that puts a document in an earlier one's story, 0..1"},
    {.name = "derived_threshold", .type = SIFT_OPT_DOUBLE, .def = "0.75",
     .help = "share of sentences paraphrased from one earlier document that makes a rewrite"},
    {.name = "topics", .type = SIFT_OPT_STRLIST, .def = "[]",
     .help = "topics as \"name: term=weight, term, ...\" -> scores.topic.<name>"},
    {.name = "max_docs", .type = SIFT_OPT_INT, .def = "20000", .min = 1, .max = 100000000,
     .help = "recent documents remembered for near-duplicates and stories (oldest evicted)"},
    {0},
};
/* clang-format on */

typedef struct score_stage {
    sift_stage *st;
    const sift_host *h;
    score_opts o;
    score_rules *rules;
    score_topics *topics;
    score_stopset stop;
    score_hmap scratch;
    score_text text;
    score_terms terms;
    score_doc_terms dt;
    score_store store;
    score_lsh lsh;
    score_story *story;
    score_state *state;
    uint64_t n_docs, n_dropped, n_dups, n_joined, n_derived, n_state_errors;
} score_stage;

void score_out_set(score_out *o, const char *name, double value)
{
    if (o->rc == 0) {
        int rc = o->host->doc_score_set(o->doc, name, value);
        o->rc = rc < 0 ? rc : 0;
    }
}

static const char *field_str(const sift_host *h, sift_value *fields, const char *key)
{
    const sift_value *v;
    const char *s;
    size_t n;
    if (h->map_get(fields, key, &v) < 0 || h->val_str(v, &s, &n) < 0)
        return NULL;
    return s;
}

static int set_field(score_stage *sc, sift_doc *doc, const char *key, const char *s)
{
    sift_value *slot;
    int rc = sc->h->map_put(sc->h->doc_fields(doc), key, &slot);
    return rc < 0 ? rc : sc->h->val_set_str(slot, s, strlen(s));
}

static void state_failed(score_stage *sc, const char *what)
{
    sc->n_state_errors++;
    sc->h->log(sc->st, SIFT_LOG_WARN, "state %s failed (%s)", what, score_state_error(sc->state));
}

/* Take a record that left the store out of every index, and free it. */
static void forget(score_stage *sc, score_rec *old)
{
    if (!old)
        return;
    if (old->has_sig)
        score_lsh_remove(&sc->lsh, old->sig, old->seq);
    score_story_remove(sc->story, old);
    if (sc->state && score_state_del(sc->state, old->seq) < 0)
        state_failed(sc, "delete");
    score_rec_destroy(&old);
}

/* Put rec into the ring and the indexes (takes ownership of rec). */
static int remember(score_stage *sc, score_rec *rec, int count_df)
{
    while (score_store_full(&sc->store, rec->seq))
        forget(sc, score_store_pop(&sc->store));
    if (score_store_push(&sc->store, rec) < 0) {
        score_rec_destroy(&rec);
        return SIFT_ENOMEM;
    }
    if (rec->has_sig && score_lsh_add(&sc->lsh, rec->sig, rec->seq) < 0)
        return SIFT_ENOMEM;
    return score_story_add(sc->story, &sc->store, rec, count_df);
}

/* The earlier document most like sig (not one with the same id), if near enough. */
static const score_rec *near_dup(score_stage *sc, const char *id, const uint32_t *sig, double *best)
{
    uint64_t seqs[SCORE_MH_BANDS];
    size_t n = score_lsh_candidates(&sc->lsh, sig, seqs);
    const score_rec *found = NULL;
    *best = 0.0;
    for (size_t i = 0; i < n; i++) {
        const score_rec *r = score_store_get(&sc->store, seqs[i]);
        if (!r || !r->has_sig || strcmp(r->id, id) == 0)
            continue;
        double j = score_minhash_similarity(sig, r->sig);
        if (j > *best || (j == *best && found && r->seq < found->seq)) {
            *best = j;
            found = r;
        }
    }
    return found && *best >= sc->o.near_dup_threshold ? found : NULL;
}

typedef struct stream_out {
    const char *dup_of, *story, *derived_from;
    double jaccard, similarity, aligned;
    int has_sig, checked_dup, checked_story;
    uint32_t sig[SCORE_MH_HASHES];
} stream_out;

/* Decide duplicate_of, story and derived_from for the document in sc->text. */
static int stream_match(score_stage *sc, sift_value *fields, const char *id, score_when w,
                        stream_out *so)
{
    const score_rec *dup = NULL;
    int rc = sc->o.near_dup ? score_minhash_sign(&sc->text, so->sig) : 0;
    if (rc < 0)
        return rc;
    so->has_sig = rc;
    if (so->has_sig) {
        so->checked_dup = 1;
        if ((dup = near_dup(sc, id, so->sig, &so->jaccard)))
            so->dup_of = dup->dup_of[0] ? dup->dup_of : dup->id;
    }
    sc->dt.n_terms = sc->dt.n_sents = sc->dt.n_index = 0;
    if (dup) { /* its original's story; its terms would only repeat the original's */
        so->story = dup->story;
        so->checked_story = sc->o.stories;
        return 0;
    }
    if (sc->o.stories) {
        score_story_result res;
        if (score_terms_build(&sc->terms, sc->h, &sc->text, fields, &sc->dt) < 0 ||
            score_story_match(sc->story, &sc->store, id, &sc->dt, w, &res) < 0)
            return SIFT_ENOMEM;
        so->checked_story = 1;
        so->story = res.story;
        so->derived_from = res.derived_from;
        so->similarity = res.similarity;
        so->aligned = res.aligned;
    }
    return 0;
}

static int stream_record(score_stage *sc, const char *id, size_t id_len, score_when w,
                         const stream_out *so, score_rec **out)
{
    const char *story = so->story ? so->story : id;
    const char *dup = so->dup_of ? so->dup_of : "";
    score_rec_in in = {.seq = sc->store.next,
                       .arrival = w.arrival,
                       .date = w.date,
                       .has_date = w.has_date,
                       .sig = so->has_sig ? so->sig : NULL,
                       .id = id,
                       .id_len = id_len,
                       .story = story,
                       .story_len = strlen(story),
                       .dup_of = dup,
                       .dup_len = strlen(dup),
                       .n_terms = sc->dt.n_terms,
                       .terms = sc->dt.terms,
                       .tf = sc->dt.tf,
                       .tflag = sc->dt.tflag,
                       .n_index = sc->dt.n_index,
                       .index = sc->dt.index,
                       .n_sents = sc->dt.n_sents,
                       .sent_off = sc->dt.sent_off,
                       .sent_terms = sc->dt.sent_terms};
    return score_rec_new(out, &in);
}

static int stream_fields(score_stage *sc, sift_doc *doc, const stream_out *so, const char *id,
                         score_out *o)
{
    int rc = 0;
    if (so->checked_dup)
        score_out_set(o, "near_dup.jaccard", so->jaccard);
    if (so->checked_story) {
        score_out_set(o, "story.similarity", so->similarity);
        score_out_set(o, "story.aligned", so->aligned);
        rc = set_field(sc, doc, "story", so->story ? so->story : id);
    }
    if (rc == 0 && so->dup_of)
        rc = set_field(sc, doc, "duplicate_of", so->dup_of);
    if (rc == 0 && so->derived_from)
        rc = set_field(sc, doc, "derived_from", so->derived_from);
    sc->n_dups += so->dup_of != NULL;
    sc->n_joined += so->story != NULL;
    sc->n_derived += so->derived_from != NULL;
    return rc < 0 ? rc : o->rc;
}

/* Near-duplicates, stories and rewrites, then remember the document. */
static int stream(score_stage *sc, sift_doc *doc, score_out *o)
{
    const char *doc_id;
    size_t id_len;
    char id[SCORE_MAX_ID + 1]; /* NUL-terminated copy */
    sift_value *fields = sc->h->doc_fields(doc);
    score_when w = {.arrival = (int64_t)time(NULL)};
    const char *date = field_str(sc->h, fields, "date");
    w.has_date = date && score_parse_date(date, &w.date) == 0;
    sc->h->doc_id(doc, &doc_id, &id_len);
    id_len = id_len < SCORE_MAX_ID ? id_len : SCORE_MAX_ID;
    memcpy(id, doc_id, id_len);
    id[id_len] = '\0';
    const score_rec *again = score_store_find(&sc->store, id);
    if (again) /* processed before (a retry, a second run): its new record replaces the old */
        forget(sc, score_store_take(&sc->store, again->seq));
    stream_out so = {0};
    score_rec *rec;
    int rc = stream_match(sc, fields, id, w, &so);
    if (rc == 0)
        rc = stream_fields(sc, doc, &so, id, o);
    if (rc == 0)
        rc = stream_record(sc, id, id_len, w, &so, &rec); /* copies the borrowed strings */
    if (rc < 0)
        return rc;
    if ((rc = remember(sc, rec, 0)) < 0)
        return rc;
    if (sc->state && score_state_put(sc->state, rec) < 0)
        state_failed(sc, "write");
    return 0;
}

/* The default drop policy and the configured rules; 0 = keep. */
static int drop_policy(score_stage *sc, sift_doc *doc, double quality)
{
    char reason[256];
    if (sc->text.n_words < (uint64_t)sc->o.min_words) {
        snprintf(reason, sizeof reason, "gopher.words=%zu below min_words=%lld", sc->text.n_words,
                 (long long)sc->o.min_words);
        return sc->h->doc_drop(doc, reason);
    }
    if (sc->o.min_quality > 0 && quality < sc->o.min_quality) {
        snprintf(reason, sizeof reason, "quality=%.3f below min_quality=%g", quality,
                 sc->o.min_quality);
        return sc->h->doc_drop(doc, reason);
    }
    if (score_rules_check(sc->rules, sc->h, doc, reason, sizeof reason))
        return sc->h->doc_drop(doc, reason);
    return 0;
}

static int score_process(void *state, sift_doc *doc)
{
    score_stage *sc = state;
    const sift_host *h = sc->h;
    const char *text;
    size_t len;
    h->doc_text(doc, &text, &len);
    sc->n_docs++;
    if (score_text_split(&sc->text, text, len) < 0)
        return h->error(sc->st, SIFT_ENOMEM, "out of memory splitting %zu bytes", len);
    score_stopwords_mark(&sc->text, &sc->stop);
    if (sc->text.n_lines == 0 && sc->o.drop_empty) {
        sc->n_dropped++;
        return h->doc_drop(doc, "text empty (chars=0)");
    }
    score_out o = {.doc = doc, .host = h};
    score_repetition rep;
    if (score_repetition_compute(&sc->text, &sc->scratch, &rep) < 0)
        return h->error(sc->st, SIFT_ENOMEM, "out of memory counting repetition");
    score_repetition_report(&rep, &o);
    const char *lang = field_str(h, h->doc_fields(doc), "language");
    double q = score_quality_report(&sc->text, &rep, lang, &o);
    score_topics_report(sc->topics, &sc->text, &o);
    if (o.rc < 0)
        return h->error(sc->st, o.rc, "cannot set a score: %s", h->strerror(o.rc));
    int rc = drop_policy(sc, doc, q);
    if (rc) {
        sc->n_dropped++;
        return rc;
    }
    if (!sc->o.near_dup && !sc->o.stories)
        return SIFT_OK;
    rc = stream(sc, doc, &o);
    return rc < 0 ? h->error(sc->st, rc, "stream matching failed: %s", h->strerror(rc)) : SIFT_OK;
}

static int load_one(void *ctx, const void *bytes, size_t size)
{
    score_stage *sc = ctx;
    score_rec *rec;
    int rc = score_rec_load(&rec, bytes, size);
    if (rc == SIFT_ESTATE) {
        sc->h->log(sc->st, SIFT_LOG_WARN, "state record damaged, skipped (bytes=%zu)", size);
        return 0;
    }
    if (rc == 0 && rec->seq < sc->store.next) {
        score_rec_destroy(&rec); /* out of order: cannot happen with big-endian keys */
        return 0;
    }
    return rc < 0 ? rc : remember(sc, rec, 1);
}

static int open_state(score_stage *sc)
{
    const char *dir = sc->h->stage_state_dir(sc->st);
    char err[512] = "";
    if (!dir)
        return 0;
    if (score_state_open(&sc->state, dir, (size_t)sc->o.max_docs, err, sizeof err) < 0)
        return sc->h->error(sc->st, SIFT_ESTATE, "%s", err);
    if (err[0])
        sc->h->log(sc->st, SIFT_LOG_WARN, "%s", err);
    int rc = score_state_load(sc->state, load_one, sc);
    if (rc < 0)
        return sc->h->error(sc->st, rc, "loading state from %s: %s", dir,
                            rc == SIFT_ESTATE ? score_state_error(sc->state) : sc->h->strerror(rc));
    sc->h->log(sc->st, SIFT_LOG_INFO, "state loaded (docs=%zu dir=%s)", sc->store.n, dir);
    return 0;
}

static void score_fini(void *state)
{
    score_stage *sc = state;
    if (!sc)
        return;
    score_state_close(&sc->state);
    score_story_destroy(&sc->story);
    score_lsh_fini(&sc->lsh);
    score_store_fini(&sc->store);
    score_doc_terms_fini(&sc->dt);
    score_terms_fini(&sc->terms);
    score_text_fini(&sc->text);
    score_hmap_fini(&sc->scratch);
    score_stopwords_fini(&sc->stop);
    score_topics_destroy(&sc->topics);
    score_rules_destroy(&sc->rules);
    free(sc);
}

static int make_parts(score_stage *sc)
{
    const sift_value *list = NULL;
    char err[512] = "";
    score_story_opts so = {.threshold = sc->o.story_threshold,
                           .derived_threshold = sc->o.derived_threshold,
                           .window_s = sc->o.window_hours * 3600};
    int rc = sc->h->opt_list(sc->st, "topics", &list);
    if (rc == 0 && (rc = score_topics_new(&sc->topics, sc->h, list, err, sizeof err)) < 0)
        return sc->h->error(sc->st, rc, "option topics: %s", err[0] ? err : "out of memory");
    rc = sc->h->opt_list(sc->st, "drop_if", &list);
    if (rc == 0 && (rc = score_rules_new(&sc->rules, sc->h, list, err, sizeof err)) < 0)
        return sc->h->error(sc->st, rc, "option drop_if: %s", err[0] ? err : "out of memory");
    if (score_stopwords_build(&sc->stop) < 0 ||
        score_hmap_init(&sc->scratch, 1024) < 0 || score_terms_init(&sc->terms, &sc->stop) < 0 ||
        score_store_init(&sc->store, (size_t)sc->o.max_docs) < 0 ||
        score_lsh_init(&sc->lsh, 1024) < 0 || score_story_new(&sc->story, &so) < 0)
        return sc->h->error(sc->st, SIFT_ENOMEM, "out of memory");
    return 0;
}

static int score_init(sift_stage *st, const sift_host *host, void **state)
{
    score_stage *sc = calloc(1, sizeof *sc);
    if (!sc)
        return host->error(st, SIFT_ENOMEM, "out of memory");
    sc->st = st;
    sc->h = host;
    int rc = score_opts_read(&sc->o, st, host);
    if (rc == 0)
        rc = make_parts(sc);
    if (rc == 0)
        rc = open_state(sc);
    if (rc < 0) {
        score_fini(sc);
        return rc;
    }
    *state = sc;
    return SIFT_OK;
}

static int score_flush(void *state)
{
    score_stage *sc = state;
    if (!sc->state || score_state_commit(sc->state) == 0)
        return SIFT_OK;
    state_failed(sc, "commit");
    return SIFT_ESTATE;
}

static void stat_put(score_stage *sc, sift_value *map, const char *key, uint64_t v)
{
    sift_value *slot;
    if (sc->h->map_put(map, key, &slot) == 0)
        sc->h->val_set_int(slot, (int64_t)v);
}

static void score_stats(void *state, sift_value *map)
{
    score_stage *sc = state;
    stat_put(sc, map, "docs", sc->n_docs);
    stat_put(sc, map, "dropped", sc->n_dropped);
    stat_put(sc, map, "near_duplicates", sc->n_dups);
    stat_put(sc, map, "joined_story", sc->n_joined);
    stat_put(sc, map, "derived", sc->n_derived);
    stat_put(sc, map, "remembered", sc->store.n);
    stat_put(sc, map, "state_errors", sc->n_state_errors);
}

static const sift_plugin score_plugin = {
    SIFT_PLUGIN_HEADER,
    .flags = SIFT_PLUGIN_SINGLETON,
    .name = "score",
    .version = "1.0.0",
    .description = "quality signals, near-duplicates, stories, rewrites and topic relevance",
    .options = score_options,
    .init = score_init,
    .process = score_process,
    .fini = score_fini,
    .flush = score_flush,
    .stats = score_stats,
};

SIFT_EXPORT const sift_plugin *sift_plugin_entry(void)
{
    return &score_plugin;
}
