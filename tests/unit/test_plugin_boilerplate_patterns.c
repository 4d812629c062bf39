/* test_plugin_boilerplate_patterns.c - the boilerplate stage's pattern filters never hide a match.
 *
 * The stage runs a pattern only on lines that have what the pattern needs:
 * first characters that can begin a ^-anchored pattern (asked of PCRE2 and
 * cached), a word starting with one of its literals, its last character,
 * a character outside ASCII. Each test gives the real plugin
 * (boilerplate.so, through the loader) extra patterns of one shape and a
 * page with lines built to match them, in other case, behind optional
 * parts, in other scripts, and checks through --explain that each such
 * line is removed by the pattern's kind, while near misses stay. Which
 * lines the default lists remove is test_plugin_boilerplate.c's and the
 * dev-set scenario's.
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

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Article paragraphs; a tested line goes between the first and the second. */
static const char para1[] =
    "The city council voted on Tuesday to build a new bridge across the river, ending a "
    "debate that has divided residents for more than a decade.";
static const char para2[] =
    "Supporters said the bridge would cut travel times for thousands of commuters and bring "
    "new life to the neighbourhoods on the eastern bank.";
static const char para3[] =
    "Opponents argued that the project was too expensive and that the money should have "
    "been spent on buses and cycle lanes instead.";

/* Notes from --explain, collected as "text|text|...". */
typedef struct notes {
    char text[8192];
} notes;

static void collect_note(void *ctx, const sift_doc *d, const char *stage_name, const char *text)
{
    notes *n = ctx;
    (void)d;
    (void)stage_name;
    size_t used = strlen(n->text);
    snprintf(n->text + used, sizeof n->text - used, "%s|", text);
}

/* Run a page with line between the first two paragraphs through st; the
 * --explain notes into *n. Returns the processed document (caller owns). */
static sift_doc *run_line(sift_stage *st, const char *line, notes *n)
{
    char text[4096];
    snprintf(text, sizeof text, "Home\n\n%s\n\n%s\n\n%s\n\n%s\n", para1, line, para2, para3);
    memset(n, 0, sizeof *n);
    sift_doc *d = harness_doc(text);
    d->note_fn = collect_note;
    d->note_ctx = n;
    assert_int_equal(sift_stage_process(st, d), SIFT_OK);
    return d;
}

/* line is removed by a pattern of kind rule (the note names it). */
static void expect_removed(sift_stage *st, const char *line, const char *rule)
{
    notes n;
    char want[512];
    snprintf(want, sizeof want, "(%s): %.40s", rule, line);
    sift_doc *d = run_line(st, line, &n);
    if (!strstr(n.text, want))
        fail_msg("\"%s\" not removed as %s; notes: %s", line, rule, n.text);
    sift_doc_destroy(&d);
}

/* line stays in the text. */
static void expect_kept(sift_stage *st, const char *line)
{
    notes n;
    sift_doc *d = run_line(st, line, &n);
    if (!strstr(harness_text(d), line))
        fail_msg("\"%s\" removed; notes: %s", line, n.text);
    sift_doc_destroy(&d);
}

static void test_patterns_anchored_match_in_any_case_after_many_other_lines(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("boilerplate", "extra_patterns = [\"prompt=^zorblax widget[[:>:]]\"];");
    expect_removed(st, "Zorblax widget", "prompt");
    expect_removed(st, "ZORBLAX WIDGET of the week", "prompt");
    expect_kept(st, "A zorblax widget");
    static const char cons[] = "bcdfghjklmnpqrstvwxz";
    char line[64];
    for (int i = 0; i < 8000; i++) { /* new first characters, more than the cache holds */
        snprintf(line, sizeof line, "%c%c%c grove %d", cons[i % 20] - 32, cons[i / 20 % 20],
                 cons[i / 400 % 20], i);
        expect_kept(st, line);
    }
    expect_removed(st, "zorblax Widget", "prompt");
    sift_stage_destroy(&st);
}

static void test_patterns_word_literals_behind_optional_parts_still_match(void **state)
{
    (void)state;
    sift_stage *st = harness_stage(
        "boilerplate", "extra_patterns = [\"credit=[,|/] *(cam|lens)? ?(crew|shots)$\", "
                       "\"site=.{0,40} (opines|declares):$\", "
                       "\"date=[0-9]{1,2}[[:space:]]+(de[[:space:]]+)?(zorbember|quuxuary)\"];");
    expect_removed(st, "Jane Doe, camcrew", "credit");
    expect_removed(st, "Jane Doe / LENS SHOTS", "credit");
    expect_removed(st, "Jane Doe, crew", "credit");
    expect_kept(st, "Jane Doe, xcrew");
    expect_removed(st, "Our columnist Opines:", "site");
    expect_kept(st, "Our columnist reopines:");
    expect_removed(st, "12 de Quuxuary", "date");
    expect_removed(st, "3 zorbember", "date");
    sift_stage_destroy(&st);
}

static void test_patterns_literals_outside_ascii_match_in_any_case(void **state)
{
    (void)state;
    sift_stage *st = harness_stage(
        "boilerplate", "extra_patterns = [\"site=[[:<:]](пишет|сообщает)[[:>:]]\", "
                       "\"site=年[0-9]+号\"];");
    expect_removed(st, "Иван СООБЩАЕТ", "site");
    expect_removed(st, "Мария пишет", "site");
    expect_kept(st, "Мария переписывает");
    expect_removed(st, "第3年12号 発行", "site");
    expect_kept(st, "year 12 issue");
    sift_stage_destroy(&st);
}

/* Trigger literals are compared with the text a word of 8 or 4 bytes at a
 * time: a word starting with a literal of any length, in any case, still
 * lets its pattern run; one byte off (first, middle, last, or outside
 * ASCII) is no match of the pattern. */
static void test_patterns_literals_of_every_length_match_exactly(void **state)
{
    (void)state;
    static const char *const lits[] = {"bqz", "cqzx", "dqzxw", "fqzxwvu", "gqzxwvut",
                                       "hqzxwvuts", "jqzxwvutsrpo", "kqzxwvutsrponml",
                                       "mqzxwvutsrponmlk", "nqzxwvutsrponmlkj"};
    char conf[1024] = "extra_patterns = [", line[96], word[32];
    for (size_t i = 0; i < N_OF(lits); i++)
        snprintf(conf + strlen(conf), sizeof conf - strlen(conf), "%s\"site=[[:<:]](%s)\"",
                 i ? ", " : "", lits[i]);
    strcat(conf, "];");
    sift_stage *st = harness_stage("boilerplate", conf);
    for (size_t i = 0; i < N_OF(lits); i++) {
        size_t len = strlen(lits[i]);
        snprintf(line, sizeof line, "Filed %s today", lits[i]);
        expect_removed(st, line, "site");
        for (size_t k = 0; k < len; k++)
            word[k] = (char)(lits[i][k] - 32);
        snprintf(line, sizeof line, "Filed %.*sing today", (int)len, word);
        expect_removed(st, line, "site");
        size_t at[3] = {0, len / 2, len - 1};
        for (int t = 0; t < 3; t++) {
            memcpy(word, lits[i], len + 1);
            word[at[t]] = 'a';
            snprintf(line, sizeof line, "Filed %s today", word);
            expect_kept(st, line);
        }
        snprintf(line, sizeof line, "Filed %.*s\xc3\xa9%s today", (int)(len - 1), lits[i],
                 lits[i] + len); /* the last letter as é */
        expect_kept(st, line);
    }
    sift_stage_destroy(&st);
}

static void test_patterns_line_ends_and_unusual_syntax_match(void **state)
{
    (void)state;
    sift_stage *st = harness_stage(
        "boilerplate", "extra_patterns = [\"site=[[:space:]][¶§]$\", "
                       "\"site=\\\\Qzz.b [c]\\\\E\", \"site=(?x) un \\\\s+ subscribe\"];");
    expect_removed(st, "See the notes ¶", "site");
    expect_removed(st, "Section §", "site");
    expect_kept(st, "See ¶ notes");
    expect_removed(st, "see zz.b [c] now", "site");
    expect_kept(st, "see zzxb [c] now");
    expect_removed(st, "please un subscribe", "site");
    expect_kept(st, "please unsubscribe");
    sift_stage_destroy(&st);
}

/* More anchored patterns and patterns with word literals than the stage
 * keeps filters for: the ones past the limits run everywhere. */
static void test_patterns_beyond_the_filter_limits_still_match(void **state)
{
    (void)state;
    char conf[16384] = "extra_patterns = [";
    size_t used = strlen(conf);
    for (int i = 0; i < 80; i++)
        used += (size_t)snprintf(conf + used, sizeof conf - used,
                                 "\"prompt=^zz%02dword\", \"site=[[:<:]]qq%02dterm\"%s", i, i,
                                 i < 79 ? ", " : "];");
    sift_stage *st = harness_stage("boilerplate", conf);
    static const char *const lines[] = {"ZZ00WORD", "zz63word", "zz64word", "ZZ79word"};
    for (size_t i = 0; i < N_OF(lines); i++)
        expect_removed(st, lines[i], "prompt");
    static const char *const sites[] = {"a qq00term", "a qq63term", "a QQ64TERM", "a qq79termite"};
    for (size_t i = 0; i < N_OF(sites); i++)
        expect_removed(st, sites[i], "site");
    expect_kept(st, "a xqq79term");
    sift_stage_destroy(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns_anchored_match_in_any_case_after_many_other_lines),
        cmocka_unit_test(test_patterns_word_literals_behind_optional_parts_still_match),
        cmocka_unit_test(test_patterns_literals_outside_ascii_match_in_any_case),
        cmocka_unit_test(test_patterns_literals_of_every_length_match_exactly),
        cmocka_unit_test(test_patterns_line_ends_and_unusual_syntax_match),
        cmocka_unit_test(test_patterns_beyond_the_filter_limits_still_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
