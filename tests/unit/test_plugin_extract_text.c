/* test_plugin_extract_text.c - what the extract stage finds in a page's text, via the real loader.
 *
 * One news page written for this test, read for its entities (typed,
 * merged "Biden" into "Joe Biden", ranked by count, capped by
 * max_entities), quotes with their speakers (none for pronouns and common
 * nouns, nothing for scare quotes), keywords (a repeated two-word phrase
 * first, no stop words, capped by max_keywords), and counts (code points,
 * words with one per CJK character, sentences past abbreviations,
 * paragraphs; words of every length around the eight bytes the tokeniser
 * reads at a time, words in capitals lower-cased into one keyword); and the same
 * fields for it after a long page has grown the tables the stage keeps
 * from page to page. Titles, dates, bylines
 * and languages are tested in test_plugin_extract.c.
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "json.h"

static sift_stage *stage;

static int setup(void **state)
{
    (void)state;
    stage = harness_stage("extract", NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sift_stage_destroy(&stage);
    return 0;
}

/* Run text through st. Caller owns the document; free with sift_doc_destroy(). */
static sift_doc *run_on(sift_stage *st, const char *text)
{
    sift_doc *d = NULL;
    int rc = harness_run(st, text, &d);
    if (rc != SIFT_OK)
        fail_msg("extract failed (%d): %s", rc, d && d->status_text ? d->status_text : "");
    return d;
}

static sift_doc *run(const char *text)
{
    return run_on(stage, text);
}

static const char *const news_text =
    "Leaders meet in Brussels\n\n"
    "President Joe Biden met NATO officials in Brussels on Monday to discuss the war. Biden "
    "said the alliance would stay united, and the talks went on until late in the evening.\n\n"
    "“We will rebuild the bridge before winter,” said Mayor Ellen Park after the meeting.\n\n"
    "The minister said: “Prices will fall next year for everyone.”\n\n"
    "“Too short,” he said. “This is a very good plan for all of us,” it said.\n\n"
    "Solar panels on every school roof would cut costs, and solar panels on the town hall "
    "would follow. Park said the solar panels were paid for by Germany and the United Nations.\n";

static const sift_value *list_item(const sift_value *list, size_t i)
{
    const sift_value *v = NULL;
    assert_int_equal(sift_value_list_at(list, i, &v), SIFT_OK);
    return v;
}

static const char *map_str(const sift_value *map, const char *key)
{
    const sift_value *v = sift_value_map_get(map, key);
    const char *s = NULL;
    if (!v || sift_value_get_str(v, &s, NULL) < 0)
        return NULL;
    return s;
}

/* The entity with this text, or NULL. */
static const sift_value *find_entity(const sift_value *ents, const char *text)
{
    for (size_t i = 0; i < sift_value_len(ents); i++) {
        const char *t = map_str(list_item(ents, i), "text");
        if (t && strcmp(t, text) == 0)
            return list_item(ents, i);
    }
    return NULL;
}

static void expect_entity(const sift_value *ents, const char *text, const char *type, int count)
{
    const sift_value *e = find_entity(ents, text);
    if (!e)
        fail_msg("no entity \"%s\"", text);
    assert_string_equal(map_str(e, "type"), type);
    int64_t n = 0;
    assert_int_equal(sift_value_get_int(sift_value_map_get(e, "count"), &n), SIFT_OK);
    assert_int_equal(n, count);
}

static void test_extract_lists_typed_entities_by_count(void **state)
{
    (void)state;
    sift_doc *d = run(news_text);
    const sift_value *ents = harness_field(d, "entities");
    assert_non_null(ents);
    assert_int_equal(sift_value_get_str(ents, NULL, NULL), SIFT_ETYPE);
    expect_entity(ents, "Joe Biden", "person", 2); /* "Biden" merged into it */
    expect_entity(ents, "NATO", "organisation", 1);
    expect_entity(ents, "Brussels", "place", 2); /* the headline counts too */
    expect_entity(ents, "Ellen Park", "person", 2);
    expect_entity(ents, "United Nations", "organisation", 1);
    assert_null(find_entity(ents, "Biden"));
    assert_null(find_entity(ents, "Monday"));
    int64_t prev = INT64_MAX, n = 0;
    for (size_t i = 0; i < sift_value_len(ents); i++) {
        sift_value_get_int(sift_value_map_get(list_item(ents, i), "count"), &n);
        assert_true(n <= prev);
        prev = n;
    }
    sift_doc_destroy(&d);
    sift_stage *st = harness_stage("extract", "max_entities = 2;");
    d = run_on(st, news_text);
    assert_int_equal(sift_value_len(harness_field(d, "entities")), 2);
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
}

static void test_extract_finds_quotes_and_speakers(void **state)
{
    (void)state;
    sift_doc *d = run(news_text);
    const sift_value *q = harness_field(d, "quotes");
    assert_non_null(q);
    assert_int_equal(sift_value_len(q), 3); /* "Too short" is too short */
    assert_string_equal(map_str(list_item(q, 0), "text"),
                        "We will rebuild the bridge before winter");
    assert_string_equal(map_str(list_item(q, 0), "speaker"), "Ellen Park");
    assert_string_equal(map_str(list_item(q, 1), "text"),
                        "Prices will fall next year for everyone.");
    const sift_value *sp = sift_value_map_get(list_item(q, 1), "speaker");
    assert_non_null(sp);
    assert_int_equal(sp->type, SIFT_T_NIL); /* "The minister": no name */
    assert_int_equal(sift_value_map_get(list_item(q, 2), "speaker")->type, SIFT_T_NIL);
    sift_doc_destroy(&d);
}

static void test_extract_ranks_keywords(void **state)
{
    (void)state;
    sift_doc *d = run(news_text);
    const sift_value *k = harness_field(d, "keywords");
    assert_non_null(k);
    assert_true(sift_value_len(k) >= 1 && sift_value_len(k) <= 10);
    const char *first = NULL;
    assert_int_equal(sift_value_get_str(list_item(k, 0), &first, NULL), SIFT_OK);
    assert_string_equal(first, "solar panels");
    for (size_t i = 0; i < sift_value_len(k); i++) {
        const char *w = NULL;
        sift_value_get_str(list_item(k, i), &w, NULL);
        assert_true(strcmp(w, "the") != 0 && strcmp(w, "solar") != 0);
    }
    sift_doc_destroy(&d);
    sift_stage *st = harness_stage("extract", "max_keywords = 3;");
    d = run_on(st, news_text);
    assert_int_equal(sift_value_len(harness_field(d, "keywords")), 3);
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
}

static void test_extract_counts_text(void **state)
{
    (void)state;
    sift_doc *d = run("Über Mr. Smith two three. Four five!\n\nSix seven?\n東京都");
    assert_int_equal(harness_field_int(d, "counts.chars"), 52);
    assert_int_equal(harness_field_int(d, "counts.words"), 12); /* 9 + one per CJK character */
    assert_int_equal(harness_field_int(d, "counts.sentences"), 4);
    assert_int_equal(harness_field_int(d, "counts.paragraphs"), 3);
    sift_doc_destroy(&d);
    d = run("");
    assert_int_equal(harness_field_int(d, "counts.chars"), 0);
    assert_int_equal(harness_field_int(d, "counts.words"), 0);
    assert_null(harness_field(d, "title"));
    assert_null(harness_field(d, "date"));
    assert_null(harness_field(d, "entities"));
    sift_doc_destroy(&d);
}

/* Words are read eight bytes at a time while they are ASCII letters and
 * digits: a word must end at the same byte whatever its length and
 * wherever in the eight its last letter, its end mark or a letter past
 * ASCII falls. */
static void test_extract_counts_words_of_every_length(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int words;
    } cases[] = {
        {"abcdefghijklmnopqrstuvwxyz0123456789", 1},
        {"abcdefg,hijklmno pqrstuvwx;yz", 4},
        {"ABCDEFGH12345678abcdefgh", 1},
        {"abcdefgh-ijklmnop", 1},  /* an inner hyphen joins */
        {"abcdefghi.jklmnop", 1},  /* so does an inner period */
        {"abcdefghé jklmnop", 2},  /* a letter past ASCII goes on */
        {"abcdefg—hijklmnop", 2},  /* a dash past ASCII ends it */
        {"abcdefgh\x7f\x7f"
         "12345678",
         2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sift_doc *d = run(cases[i].text);
        if (harness_field_int(d, "counts.words") != cases[i].words)
            fail_msg("\"%s\": %lld words, want %d", cases[i].text,
                     (long long)harness_field_int(d, "counts.words"), cases[i].words);
        sift_doc_destroy(&d);
    }
    static const char marks[] = " ,;:!("; /* not ' - or .: they join words */
    char text[256];
    for (size_t len = 1; len <= 24; len++)
        for (size_t m = 0; m < sizeof marks - 1; m++) {
            size_t n = 0;
            for (int w = 0; w < 3; w++) {
                for (size_t k = 0; k < len; k++)
                    text[n++] = "aB3"[(k + (size_t)w) % 3];
                text[n++] = marks[m];
            }
            text[n] = '\0';
            sift_doc *d = run(text);
            if (harness_field_int(d, "counts.words") != 3)
                fail_msg("\"%s\": %lld words, want 3", text,
                         (long long)harness_field_int(d, "counts.words"));
            sift_doc_destroy(&d);
        }
}

/* A word in capitals and in lower case is one keyword (it is lower-cased
 * four and eight bytes at a time), written as first seen. */
static void test_extract_folds_keywords(void **state)
{
    (void)state;
    static const struct {
        const char *text, *first, *capitals;
    } cases[] = {
        {"The results were extraordinarily good. EXTRAORDINARILY GOOD RESULTS.\n"
         "EXTRAORDINARILY fast, EXTRAORDINARILY cheap, the results said.\n",
         "extraordinarily", "EXTRAORDINARILY"},
        {"The ferry was late. FERRY FERRY FERRY delays hit the ferry.\n", "ferry", "FERRY"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        sift_doc *d = run(cases[c].text);
        const sift_value *k = harness_field(d, "keywords");
        assert_non_null(k);
        const char *first = NULL;
        assert_int_equal(sift_value_get_str(list_item(k, 0), &first, NULL), SIFT_OK);
        assert_string_equal(first, cases[c].first);
        for (size_t i = 1; i < sift_value_len(k); i++) {
            const char *w = NULL;
            sift_value_get_str(list_item(k, i), &w, NULL);
            assert_null(strstr(w, cases[c].capitals));
        }
        sift_doc_destroy(&d);
    }
}

/* The fields of d as JSON, without the trace (its times vary). Caller owns; free(). */
static char *fields_json(const sift_doc *d)
{
    sift_doc *t = harness_doc("");
    assert_int_equal(sift_value_copy(&t->fields, &d->fields), SIFT_OK);
    char *s = NULL;
    size_t n = 0;
    assert_int_equal(sift_json_encode(t, &s, &n), SIFT_OK);
    sift_doc_destroy(&t);
    return s;
}

/* The word tables live from page to page and start small again on each:
 * a long page of thousands of distinct words and names before must not
 * change what a short one gives. */
static void test_extract_gives_the_same_fields_after_a_long_page(void **state)
{
    (void)state;
    sift_stage *fresh = harness_stage("extract", NULL);
    sift_doc *d = run_on(fresh, news_text);
    char *want = fields_json(d);
    sift_doc_destroy(&d);
    sift_stage_destroy(&fresh);
    size_t cap = 1 << 19, n = 0;
    char *big = malloc(cap);
    assert_non_null(big);
    for (int i = 0; n + 128 < cap; i++)
        n += (size_t)snprintf(big + n, cap - n,
                              "Mayor Name%d met Word%d on the bridge%d. “Repairs%d go on,” "
                              "said Name%d, whose plans%d cost%d.\n",
                              i, i, i, i, i, i, i);
    d = run(big);
    free(big);
    assert_true(sift_value_len(harness_field(d, "entities")) > 0);
    sift_doc_destroy(&d);
    d = run(news_text);
    char *got = fields_json(d);
    assert_string_equal(got, want);
    free(got);
    free(want);
    sift_doc_destroy(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extract_lists_typed_entities_by_count),
        cmocka_unit_test(test_extract_finds_quotes_and_speakers),
        cmocka_unit_test(test_extract_ranks_keywords),
        cmocka_unit_test(test_extract_counts_text),
        cmocka_unit_test(test_extract_counts_words_of_every_length),
        cmocka_unit_test(test_extract_folds_keywords),
        cmocka_unit_test(test_extract_gives_the_same_fields_after_a_long_page),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
