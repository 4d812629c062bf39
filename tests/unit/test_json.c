/* test_json.c - the JSON form of a document (lib/json.c).
 *
 * The output line is compared byte for byte: key order, the optional
 * attempt, U+FFFD repair of ill-formed UTF-8 (one per maximal subpart),
 * reals, escapes, one line. Input lines are checked for every rejection
 * with the key named, and full lines round-trip through decode.
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

#define FFFD "\xef\xbf\xbd"

static sift_doc *new_doc(const char *id, const char *text, size_t text_len)
{
    sift_doc *d = NULL;
    assert_int_equal(sift_doc_new(&d, id, strlen(id), NULL, 0, text, text_len, NULL), 0);
    return d;
}

/* Encode d and compare with want (which lacks the final newline). */
static void expect_line(const sift_doc *d, const char *want)
{
    char *line;
    size_t len;
    assert_int_equal(sift_json_encode(d, &line, &len), 0);
    assert_int_equal(len, strlen(line));
    assert_true(len > 0 && line[len - 1] == '\n');
    assert_null(memchr(line, '\n', len - 1));
    line[len - 1] = '\0';
    assert_string_equal(line, want);
    free(line);
}

static void test_json_encode_writes_keys_in_schema_order(void **state)
{
    (void)state;
    sift_doc *d = new_doc("a1", "Hello.", 6);
    expect_line(d, "{\"id\":\"a1\",\"source\":\"\",\"text\":\"Hello.\",\"fields\":{},\"scores\":{},"
                   "\"status\":{\"state\":\"ok\"},\"trace\":[]}");
    sift_doc_destroy(&d);
}

static void test_json_encode_writes_attempt_only_above_one(void **state)
{
    (void)state;
    sift_doc *d = new_doc("a", "", 0);
    d->attempt = 3;
    expect_line(d, "{\"id\":\"a\",\"source\":\"\",\"text\":\"\",\"fields\":{},\"scores\":{},"
                   "\"status\":{\"state\":\"ok\"},\"trace\":[],\"attempt\":3}");
    sift_doc_destroy(&d);
}

static void test_json_encode_writes_status_trace_fields_and_scores(void **state)
{
    (void)state;
    sift_doc *d = new_doc("a", "t", 1);
    sift_value *list, *slot;
    sift_doc_set_source(d, "feed", 4, NULL);
    sift_value_map_set_str(&d->fields, "title", "Caf\xc3\xa9", 5);
    sift_value_map_put(&d->fields, "tags", &list);
    sift_value_set_list(list);
    sift_value_list_push(list, &slot);
    sift_value_set_int(slot, -7);
    sift_value_list_push(list, &slot);
    sift_value_set_bool(slot, 0);
    sift_value_list_push(list, &slot);
    sift_value_map_set_double(&d->scores, "quality", 0.1);
    sift_value_map_set_double(&d->scores, "words", 2);
    sift_value_map_set_double(&d->scores, "sum", 0.1 + 0.2);
    sift_doc_add_trace(d, "clean", "1.0.0", 120);
    sift_doc_set_status(d, SIFT_DOC_DROPPED, "score", "words=12 below 50");
    expect_line(d, "{\"id\":\"a\",\"source\":\"feed\",\"text\":\"t\",\"fields\":{\"title\":"
                   "\"Caf\xc3\xa9\",\"tags\":[-7,false,null]},\"scores\":{\"quality\":0.1,"
                   "\"words\":2.0,\"sum\":0.3},\"status\":{\"state\":\"dropped\",\"stage\":"
                   "\"score\",\"reason\":\"words=12 below 50\"},\"trace\":[{\"stage\":\"clean\","
                   "\"us\":120,\"version\":\"1.0.0\"}]}");
    sift_doc_set_status(d, SIFT_DOC_FAILED, "extract", "EDOC: bad date");
    char *line;
    size_t len;
    assert_int_equal(sift_json_encode(d, &line, &len), 0);
    assert_non_null(strstr(line, "\"status\":{\"state\":\"failed\",\"stage\":\"extract\","
                                 "\"error\":\"EDOC: bad date\"}"));
    free(line);
    sift_doc_destroy(&d);
}

static void test_json_encode_repairs_invalid_utf8_with_fffd_per_subpart(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        {"a\xff" "b", "a" FFFD "b"},
        {"\xe2\x82" "x", FFFD "x"},               /* truncated 3-byte: one subpart */
        {"\xf0\x9f\x98", FFFD},                    /* truncated 4-byte at the end */
        {"\xed\xa0\x80", FFFD FFFD FFFD},         /* surrogate: no valid prefix */
        {"\xc0\xaf", FFFD FFFD},                   /* overlong */
        {"\x80\x80", FFFD FFFD},                   /* lone continuations */
        {"ok \xc3\xa9 \xe9t\xe9", "ok \xc3\xa9 " FFFD "t" FFFD}, /* Latin-1 among UTF-8 */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sift_doc *d = new_doc("a", cases[i].in, strlen(cases[i].in));
        char want[256];
        snprintf(want, sizeof want,
                 "{\"id\":\"a\",\"source\":\"\",\"text\":\"%s\",\"fields\":{},\"scores\":{},"
                 "\"status\":{\"state\":\"ok\"},\"trace\":[]}",
                 cases[i].out);
        expect_line(d, want);
        sift_doc_destroy(&d);
    }
}

static void test_json_encode_escapes_nul_newline_and_quotes(void **state)
{
    (void)state;
    sift_doc *d = new_doc("a", "x\0\"y\"\n\\", 7);
    sift_doc_set_status(d, SIFT_DOC_FAILED, "clean", "bad \xff byte");
    expect_line(d, "{\"id\":\"a\",\"source\":\"\",\"text\":\"x\\u0000\\\"y\\\"\\n\\\\\","
                   "\"fields\":{},\"scores\":{},\"status\":{\"state\":\"failed\",\"stage\":"
                   "\"clean\",\"error\":\"bad " FFFD " byte\"},\"trace\":[]}");
    sift_doc_destroy(&d);
}

static void test_json_encode_repairs_field_strings_nested_in_containers(void **state)
{
    (void)state;
    sift_doc *d = new_doc("a", "ok", 2);
    sift_value *list, *slot;
    sift_value_map_put(&d->fields, "tags", &list);
    sift_value_set_list(list);
    sift_value_list_push(list, &slot);
    /* unchecked: a plugin bug the encoder must still survive */
    assert_int_equal(sift_value_set_str_unchecked(slot, "x\xc3(", 3), 0);
    expect_line(d, "{\"id\":\"a\",\"source\":\"\",\"text\":\"ok\",\"fields\":{\"tags\":"
                   "[\"x" FFFD "(\"]},\"scores\":{},\"status\":{\"state\":\"ok\"},\"trace\":[]}");
    sift_doc_destroy(&d);
}

static void test_json_encode_into_appends_lines_to_a_reused_buffer(void **state)
{
    (void)state;
    sift_doc *a = new_doc("a", "one", 3), *b = new_doc("b", "tw\xffo", 4);
    char *la, *lb;
    size_t na, nb;
    assert_int_equal(sift_json_encode(a, &la, &na), 0);
    assert_int_equal(sift_json_encode(b, &lb, &nb), 0);
    sift_json_buf buf = {0};
    for (int round = 0; round < 2; round++) {
        buf.len = 0;
        assert_int_equal(sift_json_encode_into(a, &buf), 0);
        assert_int_equal(sift_json_encode_into(b, &buf), 0);
        assert_int_equal(buf.len, na + nb);
        assert_memory_equal(buf.p, la, na);
        assert_memory_equal(buf.p + na, lb, nb);
        assert_int_equal(buf.p[buf.len], '\0');
    }
    free(la);
    free(lb);
    sift_json_buf_free(&buf);
    assert_null(buf.p);
    sift_doc_destroy(&a);
    sift_doc_destroy(&b);
}

static void test_json_encode_into_leaves_the_buffer_as_it_was_on_failure(void **state)
{
    (void)state;
    sift_doc *ok = new_doc("a", "x", 1), *deep = new_doc("b", "y", 1);
    sift_value *v = &deep->fields;
    for (int i = 0; i < SIFT_VALUE_MAX_DEPTH + 1; i++) {
        assert_int_equal(sift_value_map_put(v, "k", &v), 0);
        sift_value_set_map(v);
    }
    sift_json_buf buf = {0};
    assert_int_equal(sift_json_encode_into(ok, &buf), 0);
    size_t len = buf.len;
    assert_int_equal(sift_json_encode_into(deep, &buf), SIFT_ERANGE);
    assert_int_equal(buf.len, len);
    sift_json_buf_free(&buf);
    sift_doc_destroy(&ok);
    sift_doc_destroy(&deep);
}

/* ---------------------------------------------------------------- input lines */

static void expect_input_reject(const char *line, int rc, const char *want)
{
    sift_doc *d = NULL;
    sift_err err = {{0}};
    int got = sift_json_decode_input(line, strlen(line), &d, &err);
    if (got != rc || !strstr(err.msg, want))
        fail_msg("%s: expected %s with \"%s\", got %s: \"%s\"", line, sift_err_name(rc), want,
                 sift_err_name(got), err.msg);
    assert_null(d);
}

static void test_json_decode_input_reads_id_text_source_fields(void **state)
{
    (void)state;
    static const char line[] = "{\"id\":\"n1\",\"text\":\"Body\\u0000x\",\"source\":\"rss\","
                               "\"fields\":{\"lang\":\"en\",\"n\":[1,2.5,{\"k\":null}]},"
                               "\"other\":1}\n";
    sift_doc *d = NULL;
    sift_err err = {{0}};
    int64_t i;
    double x;
    const sift_value *item;
    assert_int_equal(sift_json_decode_input(line, sizeof line - 1, &d, &err), 0);
    assert_string_equal(d->id, "n1");
    assert_int_equal(d->text_len, 6);
    assert_memory_equal(d->text, "Body\0x", 6);
    assert_string_equal(d->source, "rss");
    const sift_value *n = sift_value_map_get(&d->fields, "n");
    assert_int_equal(sift_value_len(n), 3);
    sift_value_list_at(n, 0, &item);
    assert_int_equal(sift_value_get_int(item, &i), 0);
    assert_int_equal(i, 1);
    sift_value_list_at(n, 1, &item);
    assert_int_equal(sift_value_get_double(item, &x), 0);
    assert_true(x == 2.5);
    sift_doc_destroy(&d);
}

static void test_json_decode_input_rejects_with_the_key_named(void **state)
{
    (void)state;
    expect_input_reject("[1]", SIFT_EINVAL, "not an object (got array)");
    expect_input_reject("{\"id\":", SIFT_EINVAL, "invalid JSON");
    expect_input_reject("{\"text\":\"t\"}", SIFT_EINVAL, "missing key \"id\"");
    expect_input_reject("{\"id\":\"a\"}", SIFT_EINVAL, "missing key \"text\"");
    expect_input_reject("{\"id\":7,\"text\":\"t\"}", SIFT_EINVAL,
                        "key \"id\": expected string, got integer");
    expect_input_reject("{\"id\":\"a\",\"text\":[]}", SIFT_EINVAL,
                        "key \"text\": expected string, got array");
    expect_input_reject("{\"id\":\"a\",\"text\":\"t\",\"source\":1.5}", SIFT_EINVAL,
                        "key \"source\": expected string, got real");
    expect_input_reject("{\"id\":\"a\",\"text\":\"t\",\"fields\":[]}", SIFT_EINVAL,
                        "key \"fields\": expected object, got array");
    expect_input_reject("{\"id\":\"a\",\"id\":\"b\",\"text\":\"t\"}", SIFT_EINVAL,
                        "duplicate object key");
    expect_input_reject("{\"id\":\"a\\nb\",\"text\":\"t\"}", SIFT_EINVAL,
                        "key \"id\": id has a control character at byte 1");
    expect_input_reject("{\"id\":\"\",\"text\":\"t\"}", SIFT_EINVAL, "key \"id\": id is empty");
    expect_input_reject("{\"id\":\"a\",\"text\":\"t\",\"fields\":{\"s\":\"a\\u0000\"}}",
                        SIFT_EUTF8, "key \"fields.s\": string is not valid UTF-8");
    expect_input_reject("{\"id\":\"a\",\"text\":\"t\",\"fields\":{\"\":1}}", SIFT_EINVAL,
                        "key \"fields\": map key \"\": empty");
    expect_input_reject("{\"id\":\"a\",\"text\":\"\xff\"}", SIFT_EINVAL, "invalid JSON");
}

/* {"id":"a","text":"t","fields":{"x":[[...]]}} with k nested arrays */
static void nested_line(char *line, size_t cap, int k)
{
    int n = snprintf(line, cap, "{\"id\":\"a\",\"text\":\"t\",\"fields\":{\"x\":");
    for (int i = 0; i < k; i++)
        line[n++] = '[';
    for (int i = 0; i < k; i++)
        line[n++] = ']';
    snprintf(line + n, cap - (size_t)n, "}}");
}

static void test_json_decode_input_rejects_fields_nested_too_deep(void **state)
{
    (void)state;
    char line[512];
    sift_doc *d = NULL;
    nested_line(line, sizeof line, 31);
    expect_input_reject(line, SIFT_ERANGE, "nesting deeper than 32");
    nested_line(line, sizeof line, 30); /* document 1, fields 2, arrays 3..32 */
    assert_int_equal(sift_json_decode_input(line, strlen(line), &d, NULL), 0);
    assert_int_equal(sift_value_depth(&d->fields), 31);
    sift_doc_destroy(&d);
}

/* ---------------------------------------------------------------- full lines */

static void test_json_full_line_round_trips(void **state)
{
    (void)state;
    sift_doc *d = new_doc("r/1", "Line one.\nLine two.", 19), *back = NULL;
    sift_err err = {{0}};
    char *line, *again;
    size_t len, again_len;
    sift_doc_set_source(d, "feed:x", 6, NULL);
    sift_value_map_set_str(&d->fields, "author", "J. Doe", 6);
    sift_value_map_set_double(&d->scores, "quality", 0.875);
    sift_doc_add_trace(d, "clean", "1.0.0", 55);
    sift_doc_add_trace(d, "score", "2.1.0", 900);
    sift_doc_set_status(d, SIFT_DOC_FAILED, "score", "ESTATE: index unusable");
    d->attempt = 2;
    assert_int_equal(sift_json_encode(d, &line, &len), 0);
    if (sift_json_decode(line, len, &back, &err) != 0)
        fail_msg("decode: %s", err.msg);
    assert_string_equal(back->status_stage, "score");
    assert_int_equal(back->n_trace, 2);
    assert_int_equal(back->trace[1].us, 900);
    assert_int_equal(back->attempt, 2);
    assert_int_equal(sift_json_encode(back, &again, &again_len), 0);
    assert_string_equal(line, again);
    free(line);
    free(again);
    sift_doc_destroy(&d);
    sift_doc_destroy(&back);
}

static void test_json_full_line_rejects_bad_status_and_trace(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        const char *want;
    } cases[] = {
        {"{\"id\":\"a\",\"text\":\"\",\"status\":{\"state\":\"gone\"}}", "unknown state \"gone\""},
        {"{\"id\":\"a\",\"text\":\"\",\"status\":{\"state\":\"dropped\",\"stage\":\"s\"}}",
         "missing key \"reason\""},
        {"{\"id\":\"a\",\"text\":\"\",\"scores\":{\"q\":\"hi\"}}",
         "key \"scores.q\": expected number, got string"},
        {"{\"id\":\"a\",\"text\":\"\",\"trace\":[{\"stage\":\"c\"}]}",
         "key \"trace[0].us\": expected non-negative integer"},
        {"{\"id\":\"a\",\"text\":\"\",\"attempt\":0}", "key \"attempt\": 0 out of range"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sift_doc *d = NULL;
        sift_err err = {{0}};
        assert_true(sift_json_decode(cases[i].line, strlen(cases[i].line), &d, &err) < 0);
        if (!strstr(err.msg, cases[i].want))
            fail_msg("%s: \"%s\" lacks \"%s\"", cases[i].line, err.msg, cases[i].want);
        assert_null(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_encode_writes_keys_in_schema_order),
        cmocka_unit_test(test_json_encode_writes_attempt_only_above_one),
        cmocka_unit_test(test_json_encode_writes_status_trace_fields_and_scores),
        cmocka_unit_test(test_json_encode_repairs_invalid_utf8_with_fffd_per_subpart),
        cmocka_unit_test(test_json_encode_escapes_nul_newline_and_quotes),
        cmocka_unit_test(test_json_encode_repairs_field_strings_nested_in_containers),
        cmocka_unit_test(test_json_encode_into_appends_lines_to_a_reused_buffer),
        cmocka_unit_test(test_json_encode_into_leaves_the_buffer_as_it_was_on_failure),
        cmocka_unit_test(test_json_decode_input_reads_id_text_source_fields),
        cmocka_unit_test(test_json_decode_input_rejects_with_the_key_named),
        cmocka_unit_test(test_json_decode_input_rejects_fields_nested_too_deep),
        cmocka_unit_test(test_json_full_line_round_trips),
        cmocka_unit_test(test_json_full_line_rejects_bad_status_and_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
