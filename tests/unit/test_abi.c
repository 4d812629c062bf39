/* test_abi.c - freeze the plugin ABI 1.0 layout.
 *
 * Every 1.0 member of the descriptor, the option entry and the host table
 * keeps its offset forever (STYLE.md section 1, rule 3): a change here is
 * an ABI break and must be a major bump instead. The compile-time asserts
 * fail the build; the runtime tests check the codes and the host table's
 * self-description.
 * Offsets are for LP64 (x86_64, aarch64), the platforms sift builds on.
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"
#include "stage.h"

#define SIFT_FREEZE(T, m, off) _Static_assert(offsetof(T, m) == (off), #T "." #m " moved")

_Static_assert(sizeof(void *) == 8, "offsets below are for LP64");
    SIFT_FREEZE(sift_plugin, magic, 0);
    SIFT_FREEZE(sift_plugin, abi_major, 4);
    SIFT_FREEZE(sift_plugin, abi_minor, 6);
    SIFT_FREEZE(sift_plugin, struct_size, 8);
    SIFT_FREEZE(sift_plugin, option_size, 12);
    SIFT_FREEZE(sift_plugin, flags, 16);
    SIFT_FREEZE(sift_plugin, name, 24);
    SIFT_FREEZE(sift_plugin, version, 32);
    SIFT_FREEZE(sift_plugin, description, 40);
    SIFT_FREEZE(sift_plugin, options, 48);
    SIFT_FREEZE(sift_plugin, init, 56);
    SIFT_FREEZE(sift_plugin, process, 64);
    SIFT_FREEZE(sift_plugin, fini, 72);
    SIFT_FREEZE(sift_plugin, flush, 80);
    SIFT_FREEZE(sift_plugin, stats, 88);
    SIFT_FREEZE(sift_option, name, 0);
    SIFT_FREEZE(sift_option, type, 8);
    SIFT_FREEZE(sift_option, def, 16);
    SIFT_FREEZE(sift_option, min, 24);
    SIFT_FREEZE(sift_option, max, 32);
    SIFT_FREEZE(sift_option, choices, 40);
    SIFT_FREEZE(sift_option, help, 48);
    SIFT_FREEZE(sift_host, struct_size, 0);
    SIFT_FREEZE(sift_host, abi_major, 4);
    SIFT_FREEZE(sift_host, abi_minor, 6);
    SIFT_FREEZE(sift_host, log, 8);
    SIFT_FREEZE(sift_host, error, 16);
    SIFT_FREEZE(sift_host, opt_bool, 24);
    SIFT_FREEZE(sift_host, opt_int, 32);
    SIFT_FREEZE(sift_host, opt_double, 40);
    SIFT_FREEZE(sift_host, opt_str, 48);
    SIFT_FREEZE(sift_host, opt_list, 56);
    SIFT_FREEZE(sift_host, stage_name, 64);
    SIFT_FREEZE(sift_host, stage_state_dir, 72);
    SIFT_FREEZE(sift_host, doc_id, 80);
    SIFT_FREEZE(sift_host, doc_source, 88);
    SIFT_FREEZE(sift_host, doc_text, 96);
    SIFT_FREEZE(sift_host, doc_set_text, 104);
    SIFT_FREEZE(sift_host, doc_fields, 112);
    SIFT_FREEZE(sift_host, doc_score_set, 120);
    SIFT_FREEZE(sift_host, doc_score_get, 128);
    SIFT_FREEZE(sift_host, doc_drop, 136);
    SIFT_FREEZE(sift_host, doc_explaining, 144);
    SIFT_FREEZE(sift_host, doc_note, 152);
    SIFT_FREEZE(sift_host, val_type, 160);
    SIFT_FREEZE(sift_host, val_bool, 168);
    SIFT_FREEZE(sift_host, val_int, 176);
    SIFT_FREEZE(sift_host, val_double, 184);
    SIFT_FREEZE(sift_host, val_str, 192);
    SIFT_FREEZE(sift_host, val_len, 200);
    SIFT_FREEZE(sift_host, list_at, 208);
    SIFT_FREEZE(sift_host, map_at, 216);
    SIFT_FREEZE(sift_host, map_get, 224);
    SIFT_FREEZE(sift_host, map_put, 232);
    SIFT_FREEZE(sift_host, map_del, 240);
    SIFT_FREEZE(sift_host, list_push, 248);
    SIFT_FREEZE(sift_host, val_set_bool, 256);
    SIFT_FREEZE(sift_host, val_set_int, 264);
    SIFT_FREEZE(sift_host, val_set_double, 272);
    SIFT_FREEZE(sift_host, val_set_str, 280);
    SIFT_FREEZE(sift_host, val_set_list, 288);
    SIFT_FREEZE(sift_host, val_set_map, 296);
    SIFT_FREEZE(sift_host, err_name, 304);
    SIFT_FREEZE(sift_host, strerror, 312);
/* 1.0 sizes: the loader's minimums. Appending makes these grow, never shrink. */
_Static_assert(sizeof(sift_plugin) >= 96, "sift_plugin shrank");
_Static_assert(sizeof(sift_option) >= 56, "sift_option shrank");
_Static_assert(sizeof(sift_host) >= 320, "sift_host shrank");

static void test_abi_error_codes_are_frozen(void **state)
{
    (void)state;
    assert_int_equal(SIFT_OK, 0);
    assert_int_equal(SIFT_DROP, 1);
    assert_int_equal(SIFT_EINVAL, -1000);
    assert_int_equal(SIFT_ENOMEM, -1001);
    assert_int_equal(SIFT_ENOENT, -1002);
    assert_int_equal(SIFT_ETYPE, -1003);
    assert_int_equal(SIFT_EAGAIN, -1004);
    assert_int_equal(SIFT_RETRY, SIFT_EAGAIN);
    assert_int_equal(SIFT_EDOC, -1005);
    assert_int_equal(SIFT_ENOSYS, -1006);
    assert_int_equal(SIFT_ERANGE, -1007);
    assert_int_equal(SIFT_EUTF8, -1008);
    assert_int_equal(SIFT_ESTATE, -1009);
    assert_int_equal(SIFT_T_MAP, 6);
    assert_int_equal(SIFT_OPT_STRLIST, 6);
    assert_int_equal(SIFT_PLUGIN_MAGIC, 0x53494654u);
}

static void test_abi_host_table_describes_itself_and_is_complete(void **state)
{
    (void)state;
    const sift_host *h = sift_host_table();
    assert_int_equal(h->struct_size, sizeof(sift_host));
    assert_int_equal(h->abi_major, SIFT_ABI_MAJOR);
    assert_int_equal(h->abi_minor, SIFT_ABI_MINOR);
    assert_true(SIFT_HOST_HAS(h, strerror));
    /* every slot after the header is set: no plugin ever calls NULL */
    const char *p = (const char *)h + offsetof(sift_host, log);
    for (size_t off = 0; off + sizeof(void (*)(void)) <= sizeof(sift_host) - offsetof(sift_host, log);
         off += sizeof(void (*)(void))) {
        void (*fn)(void);
        memcpy(&fn, p + off, sizeof fn);
        assert_non_null(fn);
    }
}

static void test_abi_error_names_cover_every_code(void **state)
{
    (void)state;
#define CHECK_NAME(name, value, text)                                                              \
    assert_string_equal(sift_err_name(value), #name);                                              \
    assert_string_equal(sift_strerror(value), text);
    SIFT_ERRNO_MAP(CHECK_NAME)
#undef CHECK_NAME
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abi_error_codes_are_frozen),
        cmocka_unit_test(test_abi_host_table_describes_itself_and_is_complete),
        cmocka_unit_test(test_abi_error_names_cover_every_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
