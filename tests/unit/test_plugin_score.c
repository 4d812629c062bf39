/* test_plugin_score.c - the score stage (plugins/score) through the real loader and host.
 *
 * Each quality signal on a hand-made text whose value is worked out in the
 * test; the default drop policy and its reasons; configured drop rules and
 * refusals of malformed options; near-duplicates, stories, rewrites and
 * the story window on short news-like texts written for this test (no
 * sample or evaluation text); topic relevance; eviction at max_docs; the
 * stream state surviving a destroy and re-create of the stage; and, when
 * ../shared is there, the stories and rewrites its gold.json labels for the
 * sample documents (read at run time, after the clean stage).
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "harness.h"

#define SIGNALS_ONLY "min_words = 0; near_dup = false; stories = false;"

/* ------------------------------------------------------------ texts (written for this test) */

/* A fictional event, reported first. */
static const char *const bridge_report =
    "The city council of Brackenford closed the Elm Street bridge on Tuesday after engineers "
    "found deep cracks in two of its steel supports.\n\n"
    "Mayor Alys Hartwell said the crossing would stay shut for at least six weeks while repair "
    "crews assess the damage.\n\n"
    "About twelve thousand vehicles use the bridge every day, and traffic was diverted through "
    "the riverside district.\n\n"
    "Engineers from the regional transport agency inspected the structure on Monday following "
    "complaints from residents about unusual noises.\n\n"
    "The agency said the cracks were caused by corrosion that had gone unnoticed during the last "
    "inspection four years ago.\n\n"
    "Local businesses near the bridge warned that the closure would hurt trade during the busy "
    "autumn season.\n\n"
    "Hartwell promised to publish the full engineering report and to hold a public meeting next "
    "week.\n\n"
    "The council will vote on emergency funding for the repairs on Friday.";

/* The same report with two words changed: a near-duplicate. */
static const char *const bridge_edited =
    "The city council of Brackenford closed the Elm Street bridge on Tuesday after engineers "
    "found deep cracks in two of its steel supports.\n\n"
    "Mayor Alys Hartwell said the crossing would stay shut for at least six weeks while repair "
    "crews assess the damage.\n\n"
    "About twelve thousand vehicles use the bridge every day, and traffic was diverted through "
    "the riverside district.\n\n"
    "Engineers from the regional transport agency inspected the structure on Monday following "
    "complaints from residents about unusual noises.\n\n"
    "The agency said the cracks were caused by corrosion that had gone unnoticed during the "
    "previous inspection four years ago.\n\n"
    "Local businesses near the bridge warned that the closure would hurt trade during the busy "
    "autumn season.\n\n"
    "Hartwell promised to release the full engineering report and to hold a public meeting next "
    "week.\n\n"
    "The council will vote on emergency funding for the repairs on Friday.";

/* The report spun sentence by sentence: same content, other wording. */
static const char *const bridge_spun =
    "Brackenford's town council shut the Elm Street bridge on Tuesday when engineers discovered "
    "severe cracks in a pair of its steel supports.\n\n"
    "Mayor Alys Hartwell stated the crossing would remain closed for no less than six weeks as "
    "repair teams evaluate the damage.\n\n"
    "Roughly twelve thousand cars cross the bridge each day, and traffic got rerouted through "
    "the riverside district.\n\n"
    "Engineers of the regional transport agency examined the structure on Monday after "
    "complaints by residents regarding strange noises.\n\n"
    "The agency stated the cracks resulted from corrosion which had been missed in the previous "
    "inspection four years earlier.\n\n"
    "Local shops close to the bridge cautioned that the closure would damage trade in the busy "
    "autumn season.\n\n"
    "Hartwell vowed to release the complete engineering report and to organise a public meeting "
    "next week.\n\n"
    "The council is going to vote on urgent funding for the repairs on Friday.";

/* An independent report of the same event. */
static const char *const bridge_other =
    "Drivers in Brackenford face long detours after the Elm Street bridge was closed this "
    "week.\n\n"
    "Inspectors from the regional transport agency reported corrosion damage to the bridge's "
    "steel supports, and the council decided the crossing was unsafe.\n\n"
    "\"We cannot take any risks with public safety,\" Mayor Alys Hartwell told reporters outside "
    "the town hall.\n\n"
    "The repairs could take more than a month, officials estimated, and the engineering report "
    "will be made public.\n\n"
    "Shop owners in the riverside district, where diverted traffic now queues each morning, said "
    "customers were staying away.\n\n"
    "A council vote on emergency repair money is planned for Friday.";

/* Another event altogether. */
static const char *const snail_report =
    "Researchers at the Kellmoor Institute have described a new species of freshwater snail "
    "found in mountain streams.\n\n"
    "The snail, which measures less than three millimetres, was identified after a survey of "
    "forty streams over two summers.\n\n"
    "The team said the species appears to survive only in cold, fast-flowing water with very low "
    "levels of pollution.\n\n"
    "Its discovery raises questions about how many small invertebrates remain undocumented in "
    "the region.\n\n"
    "The researchers plan to return next year to map its full range and to study how rising "
    "water temperatures may affect it.\n\n"
    "Their findings were published in a journal of aquatic biology.";

/* ------------------------------------------------------------ helpers */

static sift_doc *make_doc(const char *id, const char *text, const char *date)
{
    sift_doc *d = NULL;
    sift_err err = {{0}};
    if (sift_doc_new(&d, id, strlen(id), "test", 4, text, strlen(text), &err) < 0)
        fail_msg("cannot create document: %s", err.msg);
    if (date && sift_value_map_set_str(&d->fields, "date", date, strlen(date)) < 0)
        fail_msg("cannot set date");
    return d;
}

static sift_doc *run_doc(sift_stage *st, const char *id, const char *text, const char *date)
{
    sift_doc *d = make_doc(id, text, date);
    int rc = sift_stage_process(st, d);
    if (rc != SIFT_OK)
        fail_msg("document %s: rc %d (%s)", id, rc, d->status_text ? d->status_text : "");
    return d;
}

static double score_of(const sift_doc *d, const char *name)
{
    const sift_value *v = sift_value_map_get(&d->scores, name);
    double x = 0;
    if (!v || sift_value_get_double(v, &x) < 0)
        fail_msg("score %s is absent", name);
    return x;
}

static const char *field_or_null(const sift_doc *d, const char *name)
{
    const sift_value *v = harness_field(d, name);
    const char *s = NULL;
    return v && sift_value_get_str(v, &s, NULL) == 0 ? s : NULL;
}

static double signal(const char *options, const char *text, const char *name)
{
    sift_stage *st = harness_stage("score", options);
    sift_doc *d;
    assert_int_equal(harness_run(st, text, &d), SIFT_OK);
    double x = score_of(d, name);
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
    return x;
}

static void expect_drop(const char *options, const char *text, const char *reason)
{
    sift_stage *st = harness_stage("score", options);
    sift_doc *d;
    assert_int_equal(harness_run(st, text, &d), SIFT_DROP);
    assert_int_equal(d->state, SIFT_DOC_DROPPED);
    if (!d->status_text || !strstr(d->status_text, reason))
        fail_msg("reason \"%s\" lacks \"%s\"", d->status_text ? d->status_text : "", reason);
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
}

static void expect_refusal(const char *options, const char *needle)
{
    sift_stage *st = NULL;
    sift_err err = {{0}};
    assert_true(harness_stage_try(&st, "score", options, &err) < 0);
    assert_null(st);
    if (!strstr(err.msg, needle))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, needle);
}

/* ------------------------------------------------------------ signals */

static const char *const three_twice = "alpha beta gamma\ndelta epsilon zeta\neta theta iota\n"
                                       "alpha beta gamma\ndelta epsilon zeta\neta theta iota";

static void test_score_duplicate_lines_half(void **state)
{
    (void)state;
    double total = (double)strlen(three_twice); /* ASCII: bytes = characters */
    assert_float_equal(signal(SIGNALS_ONLY, three_twice, "gopher.dup_line_frac"), 0.5, 1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, three_twice, "gopher.dup_line_char_frac"), 48.0 / total,
                       1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, three_twice, "fineweb.dup_line_char_frac"), 0.5, 1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, three_twice, "gopher.dup_para_frac"), 0.0, 1e-9);
}

static void test_score_duplicate_paragraphs(void **state)
{
    (void)state;
    const char *text = "one two three\nfour five\n\nsix seven\n\none two three\nfour five";
    assert_float_equal(signal(SIGNALS_ONLY, text, "gopher.dup_para_frac"), 1.0 / 3.0, 1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, text, "gopher.dup_para_char_frac"),
                       23.0 / (double)strlen(text), 1e-9);
}

static void test_score_ngram_repetition(void **state)
{
    (void)state;
    double total = (double)strlen(three_twice);
    /* "alpha beta" twice: (5 + 4 + 1) chars x 2 */
    assert_float_equal(signal(SIGNALS_ONLY, three_twice, "gopher.top_2gram_frac"), 20.0 / total,
                       1e-9);
    /* the second "alpha beta gamma delta epsilon": 26 letters, then the scan skips past it */
    assert_float_equal(signal(SIGNALS_ONLY, three_twice, "gopher.dup_5gram_frac"), 26.0 / total,
                       1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, three_twice, "gopher.dup_10gram_frac"), 0.0, 1e-9);
    const char *fox = "red fox red fox red fox";
    assert_float_equal(signal(SIGNALS_ONLY, fox, "gopher.top_2gram_frac"), 21.0 / 23.0, 1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, "every word here differs", "gopher.top_2gram_frac"),
                       0.0, 1e-9);
}

static const char *const mixed_lines = "The cat and the dog.\n- one item here\n* second item here\n"
                                       "Wait for it...\n#tag #news words";

static void test_score_gopher_quality_signals(void **state)
{
    (void)state;
    assert_float_equal(signal(SIGNALS_ONLY, mixed_lines, "gopher.words"), 17, 1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, mixed_lines, "gopher.mean_word_length"), 61.0 / 17.0,
                       1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, mixed_lines, "gopher.symbol_word_ratio"), 2.0 / 17.0,
                       1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, mixed_lines, "gopher.bullet_lines"), 0.4, 1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, mixed_lines, "gopher.ellipsis_lines"), 0.2, 1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, mixed_lines, "gopher.alpha_words"), 17.0 / 19.0, 1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, mixed_lines, "gopher.stop_words"), 3, 1e-9);
}

static void test_score_c4_and_fineweb_signals(void **state)
{
    (void)state;
    assert_float_equal(signal(SIGNALS_ONLY, mixed_lines, "c4.terminal_punct_lines"), 0.4, 1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, mixed_lines, "fineweb.line_punct_ratio"), 0.4, 1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, mixed_lines, "fineweb.short_line_ratio"), 1.0, 1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, mixed_lines, "c4.lorem_ipsum"), 0, 1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, "Lorem ipsum dolor sit amet.", "c4.lorem_ipsum"), 1,
                       1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, "a {b} c", "c4.curly_brace"), 1, 1e-9);
    const char *web = "Please enable JavaScript to view this page.\nWe use cookies on this site.\n"
                      "Read our privacy policy.\nA plain sentence about the weather.";
    assert_float_equal(signal(SIGNALS_ONLY, web, "c4.javascript_lines"), 0.25, 1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, web, "c4.policy_lines"), 0.5, 1e-9);
}

static void test_score_flesch_english_only(void **state)
{
    (void)state;
    /* 6 words, 1 sentence, 6 syllables: 206.835 - 1.015 * 6 - 84.6 * 1 */
    assert_float_equal(signal(SIGNALS_ONLY, "The cat sat on the mat.", "readability.flesch"),
                       116.145, 1e-6);
    sift_stage *st = harness_stage("score", SIGNALS_ONLY);
    sift_doc *d;
    assert_int_equal(harness_run(st, "Der Hund schläft im Garten unter dem Baum.", &d), SIFT_OK);
    assert_null(sift_value_map_get(&d->scores, "readability.flesch"));
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
}

static void test_score_flesch_counts_vowel_groups_in_long_words(void **state)
{
    (void)state;
    /* Words past eight letters, read eight bytes at a time: "precautionary"
     * (e au io a y: 5, "io" across the eighth byte), "extraordinarily" (6),
     * "beautiful" (3), "measures" (3), "were" (2, less a silent e: 1), "The"
     * (1): 19 syllables in 6 words and one sentence; 52 letters. */
    const char *text = "The precautionary measures were extraordinarily beautiful.";
    assert_float_equal(signal(SIGNALS_ONLY, text, "readability.flesch"),
                       206.835 - 1.015 * 6 - 84.6 * 19.0 / 6.0, 1e-6);
    assert_float_equal(signal(SIGNALS_ONLY, text, "gopher.mean_word_length"), 52.0 / 6.0, 1e-9);
}

static void test_score_counts_words_without_spaces(void **state)
{
    (void)state;
    /* 13 CJK characters and a full stop: one word each, all alphabetic */
    const char *ja = "東京で新しい会議が開かれた。";
    assert_float_equal(signal(SIGNALS_ONLY, ja, "gopher.words"), 13, 1e-9);
    assert_float_equal(signal(SIGNALS_ONLY, ja, "gopher.alpha_words"), 1.0, 1e-9);
    /* ordinary prose of about a hundred characters is not junk for want of spaces */
    const char *prose = "今日は朝から雨が降っていたので、駅まで歩く代わりにバスに乗った。"
                        "車内はとても混んでいて、座ることはできなかった。"
                        "会社に着くと、同僚が新しい計画について話していた。"
                        "午後には会議があり、来月の予定を細かく確認した。";
    assert_true(signal(SIGNALS_ONLY, prose, "quality") > 0.8);
}

static void test_score_quality_in_range_and_ordered(void **state)
{
    (void)state;
    double good = signal(SIGNALS_ONLY, bridge_report, "quality");
    double junk = signal(SIGNALS_ONLY, three_twice, "quality");
    assert_true(good > 0.5 && good <= 1.0);
    assert_true(junk >= 0.0 && junk < good);
}

/* ------------------------------------------------------------ drop policy */

static void test_score_drops_few_words_naming_the_signal(void **state)
{
    (void)state;
    expect_drop(NULL, "This short note has only twelve words in it, nothing more here.",
                "gopher.words=12 below min_words=50");
}

static void test_score_drops_empty_text(void **state)
{
    (void)state;
    expect_drop(NULL, "\n   \n", "empty");
}

static void test_score_keeps_long_enough_text(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("score", NULL);
    sift_doc *d;
    assert_int_equal(harness_run(st, bridge_report, &d), SIFT_OK);
    assert_int_equal(d->state, SIFT_DOC_OK);
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
}

static void test_score_configured_drop_rules(void **state)
{
    (void)state;
    expect_drop("min_words = 0; drop_if = [\"gopher.dup_line_frac > 0.3\"];", three_twice,
                "gopher.dup_line_frac=0.5 above 0.3");
    expect_drop("min_words = 0; min_quality = 0.5;", "x", "quality=0.000 below min_quality=0.5");
}

static void test_score_refuses_malformed_options(void **state)
{
    (void)state;
    expect_refusal("topics = [\"no colon here\"];", "missing ':'");
    expect_refusal("topics = [\"news: war=heavy\"];", "not a number");
    expect_refusal("drop_if = [\"gopher.words\"];", "drop_if[0]");
    expect_refusal("story_threshold = 1.5;", "between 0 and 1");
}

/* ------------------------------------------------------------ across the stream */

static void test_score_is_a_singleton(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("score", NULL);
    assert_true(sift_stage_flags(st) & SIFT_PLUGIN_SINGLETON);
    sift_stage_destroy(&st);
}

static void test_score_near_duplicate_of_lightly_edited_copy(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("score", NULL);
    sift_doc *a = run_doc(st, "first", bridge_report, NULL);
    sift_doc *b = run_doc(st, "other", snail_report, NULL);
    sift_doc *c = run_doc(st, "copy", bridge_edited, NULL);
    sift_doc *e = run_doc(st, "copy2", bridge_edited, NULL);
    assert_null(field_or_null(a, "duplicate_of"));
    assert_null(field_or_null(b, "duplicate_of"));
    assert_string_equal(field_or_null(c, "duplicate_of"), "first");
    assert_true(score_of(c, "near_dup.jaccard") >= 0.8);
    assert_string_equal(field_or_null(e, "duplicate_of"), "first"); /* the original, not a copy */
    assert_string_equal(field_or_null(c, "story"), "first");
    assert_null(field_or_null(c, "derived_from"));
    sift_doc *docs[] = {a, b, c, e};
    for (size_t i = 0; i < 4; i++)
        sift_doc_destroy(&docs[i]);
    sift_stage_destroy(&st);
}

static void test_score_same_id_again_is_not_its_own_duplicate(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("score", NULL);
    sift_doc *a = run_doc(st, "first", bridge_report, NULL);
    sift_doc *b = run_doc(st, "first", bridge_report, NULL); /* a retry, or a second run */
    sift_doc *c = run_doc(st, "copy", bridge_edited, NULL);
    assert_null(field_or_null(b, "duplicate_of"));
    assert_string_equal(field_or_null(b, "story"), "first");
    assert_string_equal(field_or_null(c, "duplicate_of"), "first");
    sift_doc *docs[] = {a, b, c};
    for (size_t i = 0; i < 3; i++)
        sift_doc_destroy(&docs[i]);
    sift_stage_destroy(&st);
}

static void test_score_stories_and_rewrites(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("score", NULL);
    sift_doc *a = run_doc(st, "report", bridge_report, NULL);
    sift_doc *b = run_doc(st, "spun", bridge_spun, NULL);
    sift_doc *c = run_doc(st, "other", bridge_other, NULL);
    sift_doc *d = run_doc(st, "snail", snail_report, NULL);
    assert_string_equal(field_or_null(a, "story"), "report");
    assert_string_equal(field_or_null(b, "story"), "report");
    assert_string_equal(field_or_null(c, "story"), "report");
    assert_string_equal(field_or_null(d, "story"), "snail");
    assert_string_equal(field_or_null(b, "derived_from"), "report");
    assert_null(field_or_null(b, "duplicate_of")); /* new wording: not a near-duplicate */
    assert_null(field_or_null(a, "derived_from"));
    assert_null(field_or_null(c, "derived_from"));
    assert_null(field_or_null(d, "derived_from"));
    sift_doc *docs[] = {a, b, c, d};
    for (size_t i = 0; i < 4; i++)
        sift_doc_destroy(&docs[i]);
    sift_stage_destroy(&st);
}

static void test_score_story_window_on_dates(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("score", "story_window_hours = 72;");
    sift_doc *a = run_doc(st, "march", bridge_report, "2024-03-01T09:00+01:00");
    sift_doc *b = run_doc(st, "june", bridge_other, "2024-06-01");
    sift_doc *c = run_doc(st, "next-day", bridge_spun, "2024-03-02");
    assert_string_equal(field_or_null(b, "story"), "june"); /* 92 days after "march" */
    assert_string_equal(field_or_null(c, "story"), "march");
    sift_doc *docs[] = {a, b, c};
    for (size_t i = 0; i < 3; i++)
        sift_doc_destroy(&docs[i]);
    sift_stage_destroy(&st);
}

static void test_score_forgets_beyond_max_docs(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("score", "max_docs = 1;");
    sift_doc *a = run_doc(st, "first", bridge_report, NULL);
    sift_doc *b = run_doc(st, "snail", snail_report, NULL);
    sift_doc *c = run_doc(st, "copy", bridge_edited, NULL);
    assert_null(field_or_null(c, "duplicate_of"));
    assert_string_equal(field_or_null(c, "story"), "copy");
    sift_doc *docs[] = {a, b, c};
    for (size_t i = 0; i < 3; i++)
        sift_doc_destroy(&docs[i]);
    sift_stage_destroy(&st);
}

/* ------------------------------------------------------------ topics */

static void test_score_topic_relevance(void **state)
{
    (void)state;
    const char *opts = SIGNALS_ONLY
        "topics = [\"weather: flood=2, rain, storm*\", \"sport: football, penalty kick=3\"];";
    const char *wet = "Heavy rain caused a flood in the valley after storms hit the coast.";
    /* 13 words (< 100): density = 100 * (2 + 1 + 1) / 100 = 4, score 1 - e^-2 */
    assert_float_equal(signal(opts, wet, "topic.weather"), 0.8646647167633873, 1e-9);
    assert_float_equal(signal(opts, wet, "topic.sport"), 0.0, 1e-9);
    const char *kick = "The penalty kick decided the football match.";
    assert_float_equal(signal(opts, kick, "topic.sport"), 0.8646647167633873, 1e-9);
    assert_float_equal(signal(opts, kick, "topic.weather"), 0.0, 1e-9);
}

/* ------------------------------------------------------------ persistence */

static char state_dir[] = "/tmp/sift-test-score-XXXXXX";

static int make_state_dir(void **state)
{
    (void)state;
    return mkdtemp(state_dir) ? 0 : -1;
}

static int remove_state_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", state_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_score_state_survives_recreate(void **state)
{
    (void)state;
    sift_stage *st = harness_stage_state("score", NULL, state_dir);
    sift_doc *a = run_doc(st, "report", bridge_report, NULL);
    sift_doc *b = run_doc(st, "snail", snail_report, NULL);
    assert_int_equal(sift_stage_flush(st), SIFT_OK);
    sift_stage_destroy(&st);

    st = harness_stage_state("score", NULL, state_dir);
    sift_doc *c = run_doc(st, "copy", bridge_edited, NULL);
    sift_doc *d = run_doc(st, "other", bridge_other, NULL);
    sift_stage_destroy(&st); /* no flush: fini commits */

    st = harness_stage_state("score", NULL, state_dir);
    sift_doc *e = run_doc(st, "spun", bridge_spun, NULL);
    assert_string_equal(field_or_null(c, "duplicate_of"), "report");
    assert_string_equal(field_or_null(d, "story"), "report");
    assert_string_equal(field_or_null(e, "derived_from"), "report");
    assert_string_equal(field_or_null(e, "story"), "report");
    sift_doc *docs[] = {a, b, c, d, e};
    for (size_t i = 0; i < 5; i++)
        sift_doc_destroy(&docs[i]);
    sift_stage_destroy(&st);
}

/* ------------------------------------------------------------ the samples' gold */

#define SAMPLES SIFT_SOURCE_DIR "/../shared/samples"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n)
        buf[n] = '\0';
    else if (buf) {
        free(buf);
        buf = NULL;
    }
    if (f)
        fclose(f);
    return buf;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Run every sample, in name order, through clean and score; fills names and
 * docs, returns their count (0 when the clean plugin is not built). */
static size_t run_samples(json_t *gold, const char **names, sift_doc **docs, size_t max)
{
    sift_stage *clean = NULL;
    sift_err err = {{0}};
    if (harness_stage_try(&clean, "clean", NULL, &err) < 0) {
        print_message("clean plugin not built (%s): skipped\n", err.msg);
        return 0;
    }
    sift_stage *st = harness_stage("score", NULL);
    size_t n = 0;
    json_t *documents = json_object_get(gold, "documents");
    for (void *it = json_object_iter(documents); it && n < max;
         it = json_object_iter_next(documents, it))
        names[n++] = json_object_iter_key(it);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SAMPLES, names[i]);
        char *text = slurp(path);
        assert_non_null(text);
        docs[i] = make_doc(names[i], text, NULL);
        free(text);
        assert_int_equal(sift_stage_process(clean, docs[i]), SIFT_OK);
        assert_int_equal(sift_stage_process(st, docs[i]), SIFT_OK);
    }
    sift_stage_destroy(&st);
    sift_stage_destroy(&clean);
    return n;
}

static const char *field_of(const char **names, sift_doc **docs, size_t n, const char *name,
                            const char *field)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return field_or_null(docs[i], field);
    fail_msg("gold names %s, which is not a sample", name);
    return NULL;
}

/* Every gold story group shares one fields.story; different groups differ. */
static void check_stories(json_t *stories, const char **names, sift_doc **docs, size_t n)
{
    const char *seen[16];
    size_t n_seen = 0;
    for (size_t g = 0; g < json_array_size(stories) && g < 16; g++) {
        json_t *group = json_array_get(stories, g);
        const char *story =
            field_of(names, docs, n, json_string_value(json_array_get(group, 0)), "story");
        assert_non_null(story);
        for (size_t k = 0; k < n_seen; k++)
            assert_string_not_equal(seen[k], story); /* another event, another story */
        seen[n_seen++] = story;
        for (size_t k = 0; k < json_array_size(group); k++) {
            const char *name = json_string_value(json_array_get(group, k));
            assert_string_equal(field_of(names, docs, n, name, "story"), story);
        }
    }
}

/* Each gold copy is derived_from its original; no other sample is derived. */
static void check_derived(json_t *derived, const char **names, sift_doc **docs, size_t n)
{
    for (size_t d = 0; d < n; d++) {
        const char *want = NULL, *got = field_or_null(docs[d], "derived_from");
        for (size_t k = 0; k < json_array_size(derived); k++) {
            json_t *pair = json_array_get(derived, k);
            if (strcmp(json_string_value(json_object_get(pair, "copy")), names[d]) == 0)
                want = json_string_value(json_object_get(pair, "of"));
        }
        if (want ? !got || strcmp(got, want) != 0 : got != NULL)
            fail_msg("%s: derived_from %s, gold %s", names[d], got ? got : "(none)",
                     want ? want : "(none)");
    }
}

static void test_score_samples_match_gold_stories(void **state)
{
    (void)state;
    json_t *gold = json_load_file(SAMPLES "/gold.json", 0, NULL);
    if (!gold) {
        print_message("%s/gold.json absent: skipped\n", SAMPLES);
        skip();
    }
    const char *names[16];
    sift_doc *docs[16];
    size_t n = run_samples(gold, names, docs, 16);
    if (n > 0) {
        check_stories(json_object_get(gold, "stories"), names, docs, n);
        check_derived(json_object_get(gold, "derived"), names, docs, n);
    }
    for (size_t d = 0; d < n; d++)
        sift_doc_destroy(&docs[d]);
    json_decref(gold);
    if (n == 0)
        skip();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_duplicate_lines_half),
        cmocka_unit_test(test_score_duplicate_paragraphs),
        cmocka_unit_test(test_score_ngram_repetition),
        cmocka_unit_test(test_score_gopher_quality_signals),
        cmocka_unit_test(test_score_c4_and_fineweb_signals),
        cmocka_unit_test(test_score_flesch_english_only),
        cmocka_unit_test(test_score_flesch_counts_vowel_groups_in_long_words),
        cmocka_unit_test(test_score_counts_words_without_spaces),
        cmocka_unit_test(test_score_quality_in_range_and_ordered),
        cmocka_unit_test(test_score_drops_few_words_naming_the_signal),
        cmocka_unit_test(test_score_drops_empty_text),
        cmocka_unit_test(test_score_keeps_long_enough_text),
        cmocka_unit_test(test_score_configured_drop_rules),
        cmocka_unit_test(test_score_refuses_malformed_options),
        cmocka_unit_test(test_score_is_a_singleton),
        cmocka_unit_test(test_score_near_duplicate_of_lightly_edited_copy),
        cmocka_unit_test(test_score_same_id_again_is_not_its_own_duplicate),
        cmocka_unit_test(test_score_stories_and_rewrites),
        cmocka_unit_test(test_score_story_window_on_dates),
        cmocka_unit_test(test_score_forgets_beyond_max_docs),
        cmocka_unit_test(test_score_topic_relevance),
        cmocka_unit_test_setup_teardown(test_score_state_survives_recreate, make_state_dir,
                                        remove_state_dir),
        cmocka_unit_test(test_score_samples_match_gold_stories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
