/* test_config.c - lib/config.c reports every problem as FILE:LINE: message.
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

typedef struct collected {
    char all[8192];
    size_t len;
} collected;

static void collect(void *ctx, const char *msg)
{
    collected *c = ctx;
    c->len += (size_t)snprintf(c->all + c->len, sizeof c->all - c->len, "%s\n", msg);
}

/* Load text; expect failure and every needle in the collected problems. */
static void expect_problems(const char *text, const char *const *needles)
{
    collected got = {{0}, 0};
    sift_diag diag = {.report = collect, .ctx = &got};
    sift_config *c = NULL;
    assert_true(sift_config_load_string(&c, text, "t.conf", &diag) < 0);
    assert_null(c);
    for (; *needles; needles++)
        if (!strstr(got.all, *needles))
            fail_msg("problems\n%s lack \"%s\"", got.all, *needles);
}

#define GOOD_PIPE "pipelines = ( { name = \"default\"; stages = ( { plugin = \"probe\"; } ); } );\n"

static void test_config_defaults_apply(void **state)
{
    (void)state;
    sift_diag diag = {0};
    sift_config *c = NULL;
    assert_int_equal(sift_config_load_string(&c, GOOD_PIPE, "t.conf", &diag), 0);
    assert_int_equal(c->max_doc_bytes, 4194304);
    assert_int_equal(c->max_attempts, 3);
    assert_int_equal(c->n_ingest, 1);
    assert_int_equal(c->n_pipelines, 1);
    assert_string_equal(c->pipelines[0].stages[0].name, "probe");
    assert_int_equal(c->pipelines[0].stages[0].workers, 1);
    assert_non_null(sift_config_pipeline(c, "default"));
    assert_null(sift_config_pipeline(c, "other"));
    sift_config_destroy(&c);
}

static void test_config_syntax_error_names_line(void **state)
{
    (void)state;
    static const char *const needles[] = {"t.conf:2: syntax error", NULL};
    expect_problems("plugin_path = \"\";\nlimits = { max_attempts = ; };\n", needles);
}

static void test_config_reports_every_problem_with_its_line(void **state)
{
    (void)state;
    static const char *const needles[] = {
        "t.conf:1: unknown setting plugn_path",
        "t.conf:2: limits.max_attempts must be between 1 and 100 (got 0)",
        "t.conf:3: limits.stage_deadline_ms must be an integer",
        "t.conf:4: sink out: type must be one of jsonl, zmq_push, zmq_pub (got \"csv\")",
        "t.conf:7: pipeline p: duplicate stage name probe",
        "t.conf:8: pipeline p: unknown sink \"nowhere\"",
        "t.conf:9: pipeline p: duplicate name",
        "t.conf:10: dead_letter: unknown sink \"gone\"",
        NULL};
    expect_problems("plugn_path = \"x\";\n"
                    "limits = { max_attempts = 0;\n"
                    " stage_deadline_ms = \"slow\"; };\n"
                    "sinks = ( { name = \"out\"; type = \"csv\"; path = \"o\"; } );\n"
                    "pipelines = (\n"
                    " { name = \"p\"; stages = ( { plugin = \"probe\"; },\n"
                    "   { plugin = \"probe\"; } );\n"
                    "   sinks = [ \"nowhere\" ]; },\n"
                    " { name = \"p\"; stages = ( { plugin = \"probe\"; } ); } );\n"
                    "dead_letter = \"gone\";\n",
                    needles);
}

/* Found by fuzzing (fuzz_config): a pipeline entry that is not a group left
 * its name NULL, and the duplicate-name check after it called strcmp(NULL). */
static void test_config_pipeline_not_a_group(void **state)
{
    (void)state;
    static const char *const needles[] = {
        "t.conf:1: pipelines: each pipeline must be a group", NULL};
    expect_problems("pipelines = ( 7, { name = \"p\"; stages = ( { plugin = \"probe\"; } ); }, 8 );\n",
                    needles);
}

static void test_config_plugin_options_checked_against_plugin(void **state)
{
    (void)state;
    collected got = {{0}, 0};
    sift_diag diag = {.report = collect, .ctx = &got};
    sift_config *c = NULL;
    assert_int_equal(sift_config_load_string(&c,
        "plugin_path = \"" SIFT_TEST_PLUGIN_DIR "\";\n"
        "pipelines = ( { name = \"p\"; stages = (\n"
        "  { plugin = \"probe\"; options = { count = 11;\n"
        "      colour = \"red\"; }; },\n"
        "  { plugin = \"nosuch\"; } ); } );\n", "t.conf", &diag), 0);
    assert_int_equal(sift_config_check_plugins(c, &diag), SIFT_EINVAL);
    assert_int_equal(diag.n, 3);
    static const char *const needles[] = {
        "t.conf:3: stage probe: option count: must be between 1 and 10 (got 11)",
        "t.conf:4: stage probe: unknown option colour for plugin probe",
        "t.conf:5: stage nosuch: plugin nosuch: no nosuch.so in", NULL};
    for (const char *const *n = needles; *n; n++)
        if (!strstr(got.all, *n))
            fail_msg("problems\n%s lack \"%s\"", got.all, *n);
    sift_config_destroy(&c);
}

static void test_config_shipped_file_parses(void **state)
{
    (void)state;
    sift_diag diag = {0};
    sift_config *c = NULL;
    assert_int_equal(sift_config_load(&c, SIFT_SOURCE_DIR "/conf/siftd.conf", &diag), 0);
    assert_non_null(sift_config_pipeline(c, "default"));
    sift_config_destroy(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_defaults_apply),
        cmocka_unit_test(test_config_syntax_error_names_line),
        cmocka_unit_test(test_config_reports_every_problem_with_its_line),
        cmocka_unit_test(test_config_pipeline_not_a_group),
        cmocka_unit_test(test_config_plugin_options_checked_against_plugin),
        cmocka_unit_test(test_config_shipped_file_parses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
