/* test_err.c - error names, texts and the sift_err buffer (lib/err.c).
 *
 * Both code ranges are covered: the SDK's SIFT_ERRNO_MAP and -errno
 * (system and ZeroMQ values), plus the formatting helpers' edge cases:
 * NULL buffer, text that refers to the buffer itself, truncation.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <zmq.h>

#include <cmocka.h>

#include "err.h"

static void test_err_name_names_every_sift_code(void **state)
{
    (void)state;
#define CHECK_NAME_(name, value, text) assert_string_equal(sift_err_name(value), #name);
    SIFT_ERRNO_MAP(CHECK_NAME_)
#undef CHECK_NAME_
    assert_string_equal(sift_err_name(SIFT_OK), "OK");
    assert_string_equal(sift_err_name(SIFT_DROP), "DROP");
    assert_string_equal(sift_err_name(SIFT_RETRY), "EAGAIN");
}

static void test_strerror_gives_the_map_text_of_every_sift_code(void **state)
{
    (void)state;
#define CHECK_TEXT_(name, value, text) assert_string_equal(sift_strerror(value), text);
    SIFT_ERRNO_MAP(CHECK_TEXT_)
#undef CHECK_TEXT_
    assert_string_equal(sift_strerror(SIFT_OK), "success");
}

static void test_err_name_names_negative_errno(void **state)
{
    (void)state;
    assert_string_equal(sift_err_name(-ENOENT), "ENOENT");
    assert_string_equal(sift_err_name(-EAGAIN), "EAGAIN");
    assert_string_equal(sift_err_name(-EINTR), "EINTR");
    assert_string_equal(sift_err_name(-ENOSPC), "ENOSPC");
    assert_string_equal(sift_err_name(-ECONNREFUSED), "ECONNREFUSED");
    assert_string_equal(sift_err_name(-ETERM), "ETERM");
}

static void test_strerror_texts_negative_errno_like_strerror(void **state)
{
    (void)state;
    assert_string_equal(sift_strerror(-ENOENT), strerror(ENOENT));
    assert_string_equal(sift_strerror(-EACCES), strerror(EACCES));
    assert_string_equal(sift_strerror(-ETERM), zmq_strerror(ETERM));
}

static void test_err_name_of_unknown_code_is_e_question(void **state)
{
    (void)state;
    assert_string_equal(sift_err_name(-999), "E?");
    assert_string_equal(sift_err_name(-5000), "E?");
    assert_string_equal(sift_err_name(42), "E?");
    assert_string_equal(sift_strerror(-5000), "unknown error");
    assert_string_equal(sift_strerror(42), "unknown error");
}

static void test_err_set_formats_and_returns_rc(void **state)
{
    (void)state;
    sift_err err = {{0}};
    int rc = sift_err_set(&err, SIFT_ERANGE, "max_bytes: must be between %d and %d (got %d)", 1,
                          9, 0);
    assert_int_equal(rc, SIFT_ERANGE);
    assert_string_equal(err.msg, "max_bytes: must be between 1 and 9 (got 0)");
}

static void test_err_set_with_null_buffer_only_returns_rc(void **state)
{
    (void)state;
    assert_int_equal(sift_err_set(NULL, SIFT_EINVAL, "x %d", 1), SIFT_EINVAL);
    sift_err_prefix(NULL, "nothing happens");
}

static void test_err_set_may_use_its_own_text_as_argument(void **state)
{
    (void)state;
    sift_err err = {{0}};
    sift_err_set(&err, SIFT_EINVAL, "inner");
    sift_err_set(&err, SIFT_EINVAL, "outer: %s", err.msg);
    assert_string_equal(err.msg, "outer: inner");
}

static void test_err_set_truncates_long_text_nul_terminated(void **state)
{
    (void)state;
    char big[2000];
    sift_err err;
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    sift_err_set(&err, SIFT_EINVAL, "%s", big);
    assert_int_equal(strlen(err.msg), SIFT_ERR_MAX - 1);
}

static void test_err_prefix_adds_prefix_and_colon(void **state)
{
    (void)state;
    sift_err err = {{0}};
    sift_err_set(&err, SIFT_EINVAL, "unknown option \"x\"");
    sift_err_prefix(&err, "conf/siftd.conf:%d: stage %s", 41, "clean");
    assert_string_equal(err.msg, "conf/siftd.conf:41: stage clean: unknown option \"x\"");
}

static void test_err_prefix_of_empty_text_is_prefix_alone(void **state)
{
    (void)state;
    sift_err err = {{0}};
    sift_err_prefix(&err, "where");
    assert_string_equal(err.msg, "where");
}

static void test_err_prefix_truncates_at_buffer_size(void **state)
{
    (void)state;
    sift_err err;
    char big[600];
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    sift_err_set(&err, SIFT_EINVAL, "%s", big);
    sift_err_prefix(&err, "p");
    assert_int_equal(strlen(err.msg), SIFT_ERR_MAX - 1);
    assert_memory_equal(err.msg, "p: yyy", 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_name_names_every_sift_code),
        cmocka_unit_test(test_strerror_gives_the_map_text_of_every_sift_code),
        cmocka_unit_test(test_err_name_names_negative_errno),
        cmocka_unit_test(test_strerror_texts_negative_errno_like_strerror),
        cmocka_unit_test(test_err_name_of_unknown_code_is_e_question),
        cmocka_unit_test(test_err_set_formats_and_returns_rc),
        cmocka_unit_test(test_err_set_with_null_buffer_only_returns_rc),
        cmocka_unit_test(test_err_set_may_use_its_own_text_as_argument),
        cmocka_unit_test(test_err_set_truncates_long_text_nul_terminated),
        cmocka_unit_test(test_err_prefix_adds_prefix_and_colon),
        cmocka_unit_test(test_err_prefix_of_empty_text_is_prefix_alone),
        cmocka_unit_test(test_err_prefix_truncates_at_buffer_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
