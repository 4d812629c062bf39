/* test_stage.c - lib/stage.c, lib/options.c and lib/host.c through the probe plugin.
 *
 * Options are validated before init and read back through the typed
 * getters; each process() return code leaves the document's status in
 * agreement; a failing init is reported with the plugin's own text.
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static void expect_option_refusal(const char *plugin, const char *conf, const char *needle)
{
    sift_stage *st = NULL;
    sift_err err = {{0}};
    assert_true(harness_stage_try(&st, plugin, conf, &err) < 0);
    assert_null(st);
    if (!strstr(err.msg, needle))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, needle);
}

static void test_options_defaults_reach_the_plugin(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("probe", NULL);
    sift_doc *d;
    assert_int_equal(harness_run(st, "hello", &d), SIFT_OK);
    assert_int_equal(harness_field_int(d, "probe.flag"), 0);
    assert_int_equal(harness_field_int(d, "probe.count"), 3);
    assert_int_equal(harness_field_int(d, "probe.ratio_pct"), 50);
    assert_int_equal(harness_field_int(d, "probe.words"), 2);
    assert_string_equal(harness_field_str(d, "probe.label"), "x");
    assert_string_equal(harness_field_str(d, "probe.mode"), "fast");
    assert_int_equal(harness_field_int(d, "probe.wrong_type_rc"), SIFT_ETYPE);
    assert_int_equal(harness_field_int(d, "probe.unknown_rc"), SIFT_ENOENT);
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
}

static void test_options_given_values_reach_the_plugin(void **state)
{
    (void)state;
    sift_stage *st = harness_stage(
        "probe", "flag = true; count = 7; ratio = 2; label = \"hi\"; mode = \"slow\"; words = [\"a\", \"b\", \"c\"];");
    sift_doc *d;
    assert_int_equal(harness_run(st, "hello", &d), SIFT_OK);
    assert_int_equal(harness_field_int(d, "probe.flag"), 1);
    assert_int_equal(harness_field_int(d, "probe.count"), 7);
    assert_int_equal(harness_field_int(d, "probe.ratio_pct"), 200); /* int accepted as number */
    assert_int_equal(harness_field_int(d, "probe.words"), 3);
    assert_string_equal(harness_field_str(d, "probe.label"), "hi");
    assert_string_equal(harness_field_str(d, "probe.mode"), "slow");
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
}

static void test_options_refusals_name_option_and_allowed_values(void **state)
{
    (void)state;
    expect_option_refusal("probe", "count = 0;", "option count: must be between 1 and 10 (got 0)");
    expect_option_refusal("probe", "count = \"3\";", "option count: expected int (got string)");
    expect_option_refusal("probe", "flag = 1;", "option flag: expected bool (got int)");
    expect_option_refusal("probe", "mode = \"medium\";", "must be one of fast, slow (got \"medium\")");
    expect_option_refusal("probe", "words = [1, 2];", "option words");
    expect_option_refusal("probe", "colour = \"red\";", "unknown option colour for plugin probe");
    expect_option_refusal("needs_opt", NULL, "option model: required string is missing");
}

static void test_init_failure_carries_plugin_text(void **state)
{
    (void)state;
    expect_option_refusal("init_fails", NULL, "init failed: ESTATE: model file /nonexistent/model.bin is missing");
}

static void test_status_follows_return_code(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("probe", NULL);
    sift_doc *d;
    assert_int_equal(harness_run(st, "DROP me", &d), SIFT_DROP);
    assert_int_equal(d->state, SIFT_DOC_DROPPED);
    assert_string_equal(d->status_stage, "probe");
    assert_string_equal(d->status_text, "asked to drop");
    sift_doc_destroy(&d);

    assert_int_equal(harness_run(st, "FAIL me", &d), SIFT_EDOC);
    assert_int_equal(d->state, SIFT_DOC_FAILED);
    assert_string_equal(d->status_text, "EDOC: asked to fail at byte 0");
    sift_doc_destroy(&d);

    assert_int_equal(harness_run(st, "BADSTATUS", &d), SIFT_EINVAL);
    assert_int_equal(d->state, SIFT_DOC_FAILED);
    assert_string_equal(d->status_text, "plugin returned invalid status 42");
    sift_doc_destroy(&d);

    assert_int_equal(harness_run(st, "RETRY", &d), SIFT_RETRY);
    assert_int_equal(d->state, SIFT_DOC_OK); /* the caller decides about retries */
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
}

static void test_process_appends_trace_and_scores(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("probe", NULL);
    sift_doc *d;
    assert_int_equal(harness_run(st, "UPPER case", &d), SIFT_OK);
    assert_string_equal(harness_text(d), "UPPER CASE");
    assert_int_equal(d->n_trace, 1);
    assert_string_equal(d->trace[0].stage, "probe");
    assert_string_equal(d->trace[0].version, "0.1.0");
    assert_true(d->trace[0].us >= 0);
    double len = 0;
    assert_int_equal(sift_value_get_double(sift_value_map_get(&d->scores, "probe.len"), &len), 0);
    assert_true(len == 10.0);
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
}

static void test_host_refuses_invalid_utf8_field(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("probe", NULL);
    sift_doc *d;
    assert_int_equal(harness_run(st, "BADUTF8", &d), SIFT_OK);
    assert_int_equal(harness_field_int(d, "badutf8_rc"), SIFT_EUTF8);
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_defaults_reach_the_plugin),
        cmocka_unit_test(test_options_given_values_reach_the_plugin),
        cmocka_unit_test(test_options_refusals_name_option_and_allowed_values),
        cmocka_unit_test(test_init_failure_carries_plugin_text),
        cmocka_unit_test(test_status_follows_return_code),
        cmocka_unit_test(test_process_appends_trace_and_scores),
        cmocka_unit_test(test_host_refuses_invalid_utf8_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
