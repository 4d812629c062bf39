/* test_doc.c - the document model and its invariants (lib/doc.c).
 *
 * Invariant 1 (id rules) is table-driven; the others are checked through
 * the setters: text any bytes and NUL-terminated, status with stage and
 * text, trace growth, and the appended constructors used by decoders.
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "doc.h"

static sift_doc *new_doc(const char *id, const char *text)
{
    sift_doc *d = NULL;
    sift_err err = {{0}};
    assert_int_equal(sift_doc_new(&d, id, strlen(id), NULL, 0, text, strlen(text), &err), 0);
    return d;
}

static void test_doc_new_copies_and_starts_ok(void **state)
{
    (void)state;
    sift_doc *d = new_doc("doc-1", "Some text.");
    assert_string_equal(d->id, "doc-1");
    assert_int_equal(d->id_len, 5);
    assert_string_equal(d->source, "");
    assert_int_equal(d->source_len, 0);
    assert_string_equal(d->text, "Some text.");
    assert_int_equal(d->fields.type, SIFT_T_MAP);
    assert_int_equal(d->scores.type, SIFT_T_MAP);
    assert_int_equal(d->state, SIFT_DOC_OK);
    assert_null(d->status_stage);
    assert_int_equal(d->attempt, 1);
    sift_doc_destroy(&d);
    assert_null(d);
    sift_doc_destroy(&d);
}

static void test_doc_id_check_applies_invariant_1(void **state)
{
    (void)state;
    char longest[SIFT_DOC_MAX_ID + 1];
    memset(longest, 'i', sizeof longest);
    static const struct {
        const char *id;
        size_t len;
        int ok;
        const char *why;
    } cases[] = {
        {"a", 1, 1, ""},
        {"caf\xc3\xa9/2025-03-01", 16, 1, ""},
        {"", 0, 0, "id is empty"},
        {"a\nb", 3, 0, "control character at byte 1"},
        {"a\x7f", 2, 0, "control character at byte 1"},
        {"x\xc2\x85", 3, 0, "control character at byte 1"}, /* U+0085, C1 */
        {"a\0b", 3, 0, "control character at byte 1"}, /* NUL is named as a control character */
        {"\xff", 1, 0, "not valid UTF-8"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sift_err err = {{0}};
        int rc = sift_doc_id_check(cases[i].id, cases[i].len, &err);
        assert_int_equal(rc, cases[i].ok ? 0 : SIFT_EINVAL);
        assert_non_null(strstr(err.msg, cases[i].why));
    }
    assert_int_equal(sift_doc_id_check(longest, SIFT_DOC_MAX_ID, NULL), 0);
    sift_err err = {{0}};
    assert_int_equal(sift_doc_id_check(longest, SIFT_DOC_MAX_ID + 1, &err), SIFT_EINVAL);
    assert_string_equal(err.msg, "id is 257 bytes, limit 256");
}

static void test_doc_new_refuses_bad_id(void **state)
{
    (void)state;
    sift_doc *d = (sift_doc *)&d;
    sift_err err = {{0}};
    assert_int_equal(sift_doc_new(&d, "a\tb", 3, NULL, 0, "t", 1, &err), SIFT_EINVAL);
    assert_null(d);
    assert_non_null(strstr(err.msg, "control character"));
}

static void test_doc_set_id_distinguishes_range_and_utf8(void **state)
{
    (void)state;
    sift_doc *d = new_doc("a", "");
    char big[SIFT_DOC_MAX_ID + 1];
    memset(big, 'b', sizeof big);
    assert_int_equal(sift_doc_set_id(d, big, sizeof big, NULL), SIFT_ERANGE);
    assert_int_equal(sift_doc_set_id(d, "\xc3", 1, NULL), SIFT_EUTF8);
    assert_int_equal(sift_doc_set_id(d, "", 0, NULL), SIFT_EINVAL);
    assert_int_equal(sift_doc_set_id(d, "new-id", 6, NULL), 0);
    assert_string_equal(d->id, "new-id");
    sift_doc_destroy(&d);
}

static void test_doc_source_is_checked(void **state)
{
    (void)state;
    sift_doc *d = NULL;
    sift_err err = {{0}};
    char big[SIFT_DOC_MAX_SOURCE + 1];
    memset(big, 's', sizeof big);
    assert_int_equal(sift_doc_new(&d, "a", 1, "feed:bbc", 8, "t", 1, &err), 0);
    assert_string_equal(d->source, "feed:bbc");
    assert_int_equal(sift_doc_set_source(d, big, sizeof big, &err), SIFT_ERANGE);
    assert_string_equal(err.msg, "source is 1025 bytes, limit 1024");
    assert_int_equal(sift_doc_set_source(d, "\xfe", 1, &err), SIFT_EUTF8);
    assert_string_equal(d->source, "feed:bbc");
    sift_doc_destroy(&d);
    assert_int_equal(sift_doc_new(&d, "a", 1, "\xfe", 1, "t", 1, &err), SIFT_EUTF8);
    assert_null(d);
}

static void test_doc_text_holds_any_bytes_nul_terminated(void **state)
{
    (void)state;
    sift_doc *d = NULL;
    const char raw[] = {'a', '\0', (char)0xff, 'b'};
    assert_int_equal(sift_doc_new(&d, "a", 1, NULL, 0, raw, sizeof raw, NULL), 0);
    assert_int_equal(d->text_len, 4);
    assert_memory_equal(d->text, raw, 4);
    assert_int_equal(d->text[4], '\0');
    sift_doc_destroy(&d);
}

static void test_doc_set_text_respects_max_text_bytes(void **state)
{
    (void)state;
    sift_doc *d = new_doc("a", "abc");
    d->max_text_bytes = 4;
    assert_int_equal(sift_doc_set_text(d, "12345", 5), SIFT_ERANGE);
    assert_string_equal(d->text, "abc");
    assert_int_equal(sift_doc_set_text(d, "1234", 4), 0);
    assert_string_equal(d->text, "1234");
    assert_int_equal(sift_doc_set_text(d, d->text + 1, 2), 0); /* from its own text */
    assert_string_equal(d->text, "23");
    sift_doc_destroy(&d);
}

static void test_doc_take_text_takes_ownership(void **state)
{
    (void)state;
    sift_doc *d = new_doc("a", "old");
    char *buf = strdup("new text");
    sift_doc_take_text(d, &buf, 8);
    assert_null(buf);
    assert_string_equal(d->text, "new text");
    assert_int_equal(d->text_len, 8);
    sift_doc_destroy(&d);
}

static void test_doc_set_status_records_stage_and_text(void **state)
{
    (void)state;
    sift_doc *d = new_doc("a", "");
    assert_int_equal(sift_doc_set_status(d, SIFT_DOC_DROPPED, "score", "words=12 below 50"), 0);
    assert_int_equal(d->state, SIFT_DOC_DROPPED);
    assert_string_equal(d->status_stage, "score");
    assert_string_equal(d->status_text, "words=12 below 50");
    assert_int_equal(sift_doc_set_status(d, SIFT_DOC_FAILED, "clean", ""), 0);
    assert_string_equal(d->status_text, "unspecified"); /* invariant 3: never empty */
    assert_int_equal(sift_doc_set_status(d, SIFT_DOC_FAILED, "", "x"), SIFT_EINVAL);
    assert_int_equal(sift_doc_set_status(d, SIFT_DOC_FAILED, NULL, "x"), SIFT_EINVAL);
    assert_int_equal(sift_doc_set_status(d, (sift_doc_state)7, "s", "x"), SIFT_EINVAL);
    assert_int_equal(sift_doc_set_status(d, SIFT_DOC_OK, NULL, NULL), 0);
    assert_null(d->status_stage);
    assert_null(d->status_text);
    sift_doc_destroy(&d);
}

static void test_doc_add_trace_appends_in_order(void **state)
{
    (void)state;
    sift_doc *d = new_doc("a", "");
    char name[16];
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof name, "stage%d", i);
        assert_int_equal(sift_doc_add_trace(d, name, "1.0.0", i * 100), 0);
    }
    assert_int_equal(d->n_trace, 10);
    assert_string_equal(d->trace[7].stage, "stage7");
    assert_string_equal(d->trace[7].version, "1.0.0");
    assert_int_equal(d->trace[7].us, 700);
    sift_doc_destroy(&d);
}

static void test_doc_state_names_round_trip(void **state)
{
    (void)state;
    assert_string_equal(sift_doc_state_name(SIFT_DOC_OK), "ok");
    assert_string_equal(sift_doc_state_name(SIFT_DOC_DROPPED), "dropped");
    assert_string_equal(sift_doc_state_name(SIFT_DOC_FAILED), "failed");
    assert_int_equal(sift_doc_state_parse("dropped", 7), SIFT_DOC_DROPPED);
    assert_int_equal(sift_doc_state_parse("failed", 6), SIFT_DOC_FAILED);
    assert_int_equal(sift_doc_state_parse("ok", 2), SIFT_DOC_OK);
    assert_int_equal(sift_doc_state_parse("okay", 4), -1);
    assert_int_equal(sift_doc_state_parse("o", 1), -1);
}

static void test_doc_new_empty_has_empty_id_for_decoders(void **state)
{
    (void)state;
    sift_doc *d = NULL;
    assert_int_equal(sift_doc_new_empty(&d), 0);
    assert_string_equal(d->id, "");
    assert_int_equal(d->id_len, 0);
    assert_int_equal(d->text_len, 0);
    assert_int_equal(d->attempt, 1);
    sift_doc_destroy(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_new_copies_and_starts_ok),
        cmocka_unit_test(test_doc_id_check_applies_invariant_1),
        cmocka_unit_test(test_doc_new_refuses_bad_id),
        cmocka_unit_test(test_doc_set_id_distinguishes_range_and_utf8),
        cmocka_unit_test(test_doc_source_is_checked),
        cmocka_unit_test(test_doc_text_holds_any_bytes_nul_terminated),
        cmocka_unit_test(test_doc_set_text_respects_max_text_bytes),
        cmocka_unit_test(test_doc_take_text_takes_ownership),
        cmocka_unit_test(test_doc_set_status_records_stage_and_text),
        cmocka_unit_test(test_doc_add_trace_appends_in_order),
        cmocka_unit_test(test_doc_state_names_round_trip),
        cmocka_unit_test(test_doc_new_empty_has_empty_id_for_decoders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
