/* test_plugin_loader.c - every refusal of lib/plugin_loader.c names the file and the cause.
 *
 * Uses the deliberately broken plugins in tests/plugins/, built by the test
 * suite like real ones, plus a text file posing as a shared object.
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

#include "plugin_loader.h"

#define TP(name) SIFT_TEST_PLUGIN_DIR "/" name ".so"

/* Open file and expect a refusal whose text contains each of the needles. */
static void expect_refusal(const char *file, const char *needle1, const char *needle2)
{
    sift_plugin_lib *lib = NULL;
    sift_err err = {{0}};
    int rc = sift_plugin_lib_open(&lib, file, &err);
    assert_true(rc < 0);
    assert_null(lib);
    if (!strstr(err.msg, needle1) || (needle2 && !strstr(err.msg, needle2)))
        fail_msg("message \"%s\" lacks \"%s\" / \"%s\"", err.msg, needle1, needle2 ? needle2 : "");
}

static void test_loader_refuses_missing_file(void **state)
{
    (void)state;
    expect_refusal(SIFT_TEST_PLUGIN_DIR "/does_not_exist.so", "does_not_exist.so", "no such file");
}

static void test_loader_refuses_file_that_is_not_a_shared_object(void **state)
{
    (void)state;
    char path[] = "/tmp/sift-notso-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "just text\n", 10), 10);
    close(fd);
    expect_refusal(path, path, "cannot load");
    unlink(path);
}

static void test_loader_refuses_missing_entry_symbol(void **state)
{
    (void)state;
    expect_refusal(TP("no_entry"), "no_entry.so", "no entry symbol sift_plugin_entry");
}

static void test_loader_refuses_bad_magic(void **state)
{
    (void)state;
    expect_refusal(TP("bad_magic"), "bad_magic.so", "bad magic");
}

static void test_loader_refuses_newer_minor(void **state)
{
    (void)state;
    char want[64];
    snprintf(want, sizeof want, "built for ABI %d.%d, sift has %d.%d", SIFT_ABI_MAJOR,
             SIFT_ABI_MINOR + 1, SIFT_ABI_MAJOR, SIFT_ABI_MINOR);
    expect_refusal(TP("newer_abi"), "newer_abi.so", want);
}

static void test_loader_refuses_other_major(void **state)
{
    (void)state;
    expect_refusal(TP("other_major"), "other_major.so", "built for ABI 2.0");
}

static void test_loader_refuses_descriptor_without_process(void **state)
{
    (void)state;
    expect_refusal(TP("no_process"), "no_process.so", "no process function");
}

static void test_loader_refuses_malformed_name(void **state)
{
    (void)state;
    expect_refusal(TP("bad_name"), "bad_name.so", "must match");
}

static void test_loader_refuses_empty_and_overlong_paths(void **state)
{
    (void)state;
    expect_refusal("", "empty plugin path", NULL);
    char longp[5000];
    memset(longp, 'a', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    expect_refusal(longp, "too long", NULL);
}

static void test_loader_opens_good_plugin_and_walks_options(void **state)
{
    (void)state;
    sift_plugin_lib *lib = NULL;
    sift_err err = {{0}};
    assert_int_equal(sift_plugin_lib_open(&lib, TP("probe"), &err), 0);
    const sift_plugin *d = sift_plugin_lib_desc(lib);
    assert_string_equal(d->name, "probe");
    assert_non_null(sift_plugin_lib_find_option(lib, "mode"));
    assert_null(sift_plugin_lib_find_option(lib, "nope"));
    size_t n = 0;
    while (sift_plugin_lib_option(lib, n))
        n++;
    assert_int_equal(n, 6);
    sift_plugin_lib_close(&lib);
    assert_null(lib);
}

static void test_resolve_finds_name_on_search_path_and_names_dirs_when_absent(void **state)
{
    (void)state;
    char file[4096];
    sift_err err = {{0}};
    assert_int_equal(sift_plugin_resolve("probe", "/nonexistent:" SIFT_TEST_PLUGIN_DIR, file,
                                         sizeof file, &err), 0);
    assert_string_equal(file, TP("probe"));
    assert_int_equal(sift_plugin_resolve("nosuch", "/nonexistent", file, sizeof file, &err),
                     SIFT_ENOENT);
    assert_non_null(strstr(err.msg, "nosuch.so"));
    assert_non_null(strstr(err.msg, "/nonexistent"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loader_refuses_missing_file),
        cmocka_unit_test(test_loader_refuses_file_that_is_not_a_shared_object),
        cmocka_unit_test(test_loader_refuses_missing_entry_symbol),
        cmocka_unit_test(test_loader_refuses_bad_magic),
        cmocka_unit_test(test_loader_refuses_newer_minor),
        cmocka_unit_test(test_loader_refuses_other_major),
        cmocka_unit_test(test_loader_refuses_descriptor_without_process),
        cmocka_unit_test(test_loader_refuses_malformed_name),
        cmocka_unit_test(test_loader_refuses_empty_and_overlong_paths),
        cmocka_unit_test(test_loader_opens_good_plugin_and_walks_options),
        cmocka_unit_test(test_resolve_finds_name_on_search_path_and_names_dirs_when_absent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
