/* test_value.c - the typed value tree (lib/value.c).
 *
 * UTF-8 validation (ASCII fast path and the utf8proc path, with the
 * classic ill-formed sequences), setters that refuse bad input without
 * touching the old value, map order and replacement, the limits, deep
 * copies (including a copy whose source lives inside its destination).
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "value.h"

static void test_utf8_valid_accepts_ascii_and_multibyte(void **state)
{
    (void)state;
    assert_true(sift_utf8_valid("", 0));
    assert_true(sift_utf8_valid("hello", 5));
    assert_true(sift_utf8_valid("caf\xc3\xa9", 5));
    assert_true(sift_utf8_valid("\xe2\x82\xac 5", 5));           /* euro sign */
    assert_true(sift_utf8_valid("\xf0\x9f\x98\x80", 4));         /* emoji */
    assert_true(sift_utf8_valid("\xef\xbf\xbe", 3));             /* noncharacter U+FFFE */
    assert_true(sift_utf8_valid("\xf4\x8f\xbf\xbf", 4));         /* U+10FFFF */
}

static void test_utf8_valid_rejects_ill_formed_sequences(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\x80",             /* lone continuation */
        "\xc0\xaf",         /* overlong '/' */
        "\xe0\x80\xaf",     /* overlong, 3 bytes */
        "\xed\xa0\x80",     /* surrogate U+D800 */
        "\xf4\x90\x80\x80", /* above U+10FFFF */
        "\xf5\x80\x80\x80", /* lead byte never used */
        "\xe2\x82",         /* truncated */
        "\xff",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(sift_utf8_valid(bad[i], strlen(bad[i])));
}

static void test_utf8_valid_rejects_nul_byte(void **state)
{
    (void)state;
    assert_false(sift_utf8_valid("a\0b", 3));
    assert_false(sift_utf8_valid("abcdefghijklmn\0pq", 17)); /* NUL inside a fast-path word */
}

static void test_utf8_valid_finds_bad_byte_at_every_offset_of_long_ascii(void **state)
{
    (void)state;
    char buf[40];
    for (size_t at = 0; at < sizeof buf; at++) {
        memset(buf, 'a', sizeof buf);
        assert_true(sift_utf8_valid(buf, sizeof buf));
        buf[at] = (char)0xff;
        assert_false(sift_utf8_valid(buf, sizeof buf));
        buf[at] = '\0';
        assert_false(sift_utf8_valid(buf, sizeof buf));
    }
}

static void test_value_set_str_copies_and_rejects_invalid_keeping_old(void **state)
{
    (void)state;
    sift_value v;
    const char *s;
    size_t n;
    char src[] = "hello";
    sift_value_init(&v);
    assert_int_equal(sift_value_set_str(&v, src, 5), 0);
    src[0] = 'j';
    assert_int_equal(sift_value_get_str(&v, &s, &n), 0);
    assert_string_equal(s, "hello");
    assert_int_equal(n, 5);
    assert_int_equal(sift_value_set_str(&v, "\xff", 1), SIFT_EUTF8);
    assert_int_equal(sift_value_set_str(&v, "a\0b", 3), SIFT_EUTF8);
    assert_int_equal(sift_value_get_str(&v, &s, &n), 0);
    assert_string_equal(s, "hello");
    sift_value_fini(&v);
    assert_int_equal(v.type, SIFT_T_NIL);
}

static void test_value_set_str_from_its_own_bytes(void **state)
{
    (void)state;
    sift_value v;
    const char *s;
    sift_value_init(&v);
    sift_value_set_str(&v, "abcdef", 6);
    sift_value_get_str(&v, &s, NULL);
    assert_int_equal(sift_value_set_str(&v, s + 2, 3), 0);
    sift_value_get_str(&v, &s, NULL);
    assert_string_equal(s, "cde");
    sift_value_fini(&v);
}

static void test_value_set_double_rejects_non_finite(void **state)
{
    (void)state;
    sift_value v;
    double d;
    sift_value_init(&v);
    assert_int_equal(sift_value_set_double(&v, 1.5), 0);
    assert_int_equal(sift_value_set_double(&v, NAN), SIFT_EINVAL);
    assert_int_equal(sift_value_set_double(&v, INFINITY), SIFT_EINVAL);
    assert_int_equal(sift_value_get_double(&v, &d), 0);
    assert_true(d == 1.5);
}

static void test_value_getters_return_etype_on_other_types(void **state)
{
    (void)state;
    sift_value v;
    int b;
    int64_t i;
    double d;
    const char *s;
    sift_value_init(&v);
    sift_value_set_int(&v, 7);
    assert_int_equal(sift_value_get_bool(&v, &b), SIFT_ETYPE);
    assert_int_equal(sift_value_get_str(&v, &s, NULL), SIFT_ETYPE);
    assert_int_equal(sift_value_get_int(&v, &i), 0);
    assert_int_equal(i, 7);
    assert_int_equal(sift_value_get_double(&v, &d), 0); /* an int reads as double */
    assert_true(d == 7.0);
    sift_value_set_bool(&v, 5);
    assert_int_equal(sift_value_get_bool(&v, &b), 0);
    assert_int_equal(b, 1);
    assert_int_equal(sift_value_get_int(&v, &i), SIFT_ETYPE);
    assert_int_equal(sift_value_get_int(NULL, &i), SIFT_ETYPE);
    assert_int_equal(sift_value_len(&v), 0);
}

static void test_value_map_keeps_insertion_order_and_replaces_in_place(void **state)
{
    (void)state;
    sift_value m;
    const char *key;
    const sift_value *item;
    int64_t i;
    sift_value_init(&m);
    sift_value_set_map(&m);
    assert_int_equal(sift_value_map_set_int(&m, "b", 1), 0);
    assert_int_equal(sift_value_map_set_int(&m, "a", 2), 0);
    assert_int_equal(sift_value_map_set_str(&m, "c", "x", 1), 0);
    assert_int_equal(sift_value_map_set_int(&m, "b", 3), 0);
    assert_int_equal(sift_value_len(&m), 3);
    assert_int_equal(sift_value_map_at(&m, 0, &key, &item), 0);
    assert_string_equal(key, "b");
    sift_value_get_int(item, &i);
    assert_int_equal(i, 3);
    sift_value_map_at(&m, 1, &key, NULL);
    assert_string_equal(key, "a");
    assert_int_equal(sift_value_map_at(&m, 3, &key, &item), SIFT_ERANGE);
    assert_null(sift_value_map_get(&m, "zz"));
    assert_non_null(sift_value_map_get(&m, "c"));
    sift_value_fini(&m);
}

static void test_value_map_put_gives_nil_slot_replacing_old_value(void **state)
{
    (void)state;
    sift_value m, *slot;
    sift_value_init(&m);
    sift_value_set_map(&m);
    sift_value_map_set_str(&m, "k", "old", 3);
    assert_int_equal(sift_value_map_put(&m, "k", &slot), 0);
    assert_int_equal(slot->type, SIFT_T_NIL);
    assert_int_equal(sift_value_len(&m), 1);
    sift_value_fini(&m);
}

static void test_value_map_del_removes_and_keeps_order(void **state)
{
    (void)state;
    sift_value m;
    const char *key;
    sift_value_init(&m);
    sift_value_set_map(&m);
    sift_value_map_set_int(&m, "a", 1);
    sift_value_map_set_int(&m, "b", 2);
    sift_value_map_set_int(&m, "c", 3);
    assert_int_equal(sift_value_map_del(&m, "b"), 0);
    assert_int_equal(sift_value_map_del(&m, "b"), SIFT_ENOENT);
    assert_int_equal(sift_value_len(&m), 2);
    sift_value_map_at(&m, 1, &key, NULL);
    assert_string_equal(key, "c");
    sift_value_fini(&m);
}

static void test_value_map_refuses_bad_keys_and_non_maps(void **state)
{
    (void)state;
    sift_value m, *slot;
    char long_key[SIFT_VALUE_MAX_KEY + 2];
    memset(long_key, 'k', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = '\0';
    sift_value_init(&m);
    assert_int_equal(sift_value_map_put(&m, "a", &slot), SIFT_ETYPE);
    sift_value_set_map(&m);
    assert_int_equal(sift_value_map_put(&m, "", &slot), SIFT_EINVAL);
    assert_int_equal(sift_value_map_put(&m, long_key, &slot), SIFT_ERANGE);
    long_key[SIFT_VALUE_MAX_KEY] = '\0';
    assert_int_equal(sift_value_map_put(&m, long_key, &slot), 0);
    assert_int_equal(sift_value_map_put(&m, "\xc3", &slot), SIFT_EUTF8);
    assert_int_equal(sift_value_map_set_str(&m, "s", "\xff", 1), SIFT_EUTF8);
    assert_int_equal(sift_value_map_set_double(&m, "d", NAN), SIFT_EINVAL);
    assert_int_equal(sift_value_len(&m), 1); /* failed sets added nothing */
    sift_value_fini(&m);
}

static void test_value_list_push_and_at(void **state)
{
    (void)state;
    sift_value l, *slot;
    const sift_value *item;
    int64_t i;
    sift_value_init(&l);
    assert_int_equal(sift_value_list_push(&l, &slot), SIFT_ETYPE);
    sift_value_set_list(&l);
    for (int k = 0; k < 100; k++) {
        assert_int_equal(sift_value_list_push(&l, &slot), 0);
        sift_value_set_int(slot, k);
    }
    assert_int_equal(sift_value_len(&l), 100);
    assert_int_equal(sift_value_list_at(&l, 99, &item), 0);
    sift_value_get_int(item, &i);
    assert_int_equal(i, 99);
    assert_int_equal(sift_value_list_at(&l, 100, &item), SIFT_ERANGE);
    sift_value_fini(&l);
}

static void test_value_list_refuses_more_than_max_items(void **state)
{
    (void)state;
    sift_value l, *slot;
    sift_value_init(&l);
    sift_value_set_list(&l);
    for (size_t k = 0; k < SIFT_VALUE_MAX_ITEMS; k++)
        assert_int_equal(sift_value_list_push(&l, &slot), 0);
    assert_int_equal(sift_value_list_push(&l, &slot), SIFT_ERANGE);
    sift_value_fini(&l);
}

/* {"a": [1, "two", {"b": true}], "n": nil} */
static void build_tree(sift_value *m)
{
    sift_value *list, *slot;
    sift_value_init(m);
    sift_value_set_map(m);
    sift_value_map_put(m, "a", &list);
    sift_value_set_list(list);
    sift_value_list_push(list, &slot);
    sift_value_set_int(slot, 1);
    sift_value_list_push(list, &slot);
    sift_value_set_str(slot, "two", 3);
    sift_value_list_push(list, &slot);
    sift_value_set_map(slot);
    sift_value_map_put(slot, "b", &slot);
    sift_value_set_bool(slot, 1);
    sift_value_map_put(m, "n", &slot);
}

static void test_value_copy_is_deep_and_independent(void **state)
{
    (void)state;
    sift_value m, c;
    const sift_value *item;
    const char *s;
    build_tree(&m);
    sift_value_init(&c);
    sift_value_set_int(&c, 9);
    assert_int_equal(sift_value_copy(&c, &m), 0);
    sift_value_fini(&m);
    assert_int_equal(c.type, SIFT_T_MAP);
    assert_int_equal(sift_value_depth(&c), 3);
    assert_int_equal(sift_value_list_at(sift_value_map_get(&c, "a"), 1, &item), 0);
    assert_int_equal(sift_value_get_str(item, &s, NULL), 0);
    assert_string_equal(s, "two");
    assert_non_null(sift_value_map_get(&c, "n"));
    sift_value_fini(&c);
}

static void test_value_copy_from_inside_destination(void **state)
{
    (void)state;
    sift_value m;
    build_tree(&m);
    assert_int_equal(sift_value_copy(&m, sift_value_map_get(&m, "a")), 0);
    assert_int_equal(m.type, SIFT_T_LIST);
    assert_int_equal(sift_value_len(&m), 3);
    sift_value_fini(&m);
}

static void test_value_depth_counts_containers(void **state)
{
    (void)state;
    sift_value v;
    sift_value_init(&v);
    assert_int_equal(sift_value_depth(&v), 0);
    sift_value_set_map(&v);
    assert_int_equal(sift_value_depth(&v), 1);
    sift_value_fini(&v);
}

static void test_value_new_makes_containers_and_destroy_nulls(void **state)
{
    (void)state;
    sift_value *v = NULL;
    assert_int_equal(sift_value_new(&v, SIFT_T_STR), SIFT_EINVAL);
    assert_null(v);
    assert_int_equal(sift_value_new(&v, SIFT_T_MAP), 0);
    assert_int_equal(v->type, SIFT_T_MAP);
    sift_value_map_set_int(v, "x", 1);
    sift_value_destroy(&v);
    assert_null(v);
    sift_value_destroy(&v);
    sift_value_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_valid_accepts_ascii_and_multibyte),
        cmocka_unit_test(test_utf8_valid_rejects_ill_formed_sequences),
        cmocka_unit_test(test_utf8_valid_rejects_nul_byte),
        cmocka_unit_test(test_utf8_valid_finds_bad_byte_at_every_offset_of_long_ascii),
        cmocka_unit_test(test_value_set_str_copies_and_rejects_invalid_keeping_old),
        cmocka_unit_test(test_value_set_str_from_its_own_bytes),
        cmocka_unit_test(test_value_set_double_rejects_non_finite),
        cmocka_unit_test(test_value_getters_return_etype_on_other_types),
        cmocka_unit_test(test_value_map_keeps_insertion_order_and_replaces_in_place),
        cmocka_unit_test(test_value_map_put_gives_nil_slot_replacing_old_value),
        cmocka_unit_test(test_value_map_del_removes_and_keeps_order),
        cmocka_unit_test(test_value_map_refuses_bad_keys_and_non_maps),
        cmocka_unit_test(test_value_list_push_and_at),
        cmocka_unit_test(test_value_list_refuses_more_than_max_items),
        cmocka_unit_test(test_value_copy_is_deep_and_independent),
        cmocka_unit_test(test_value_copy_from_inside_destination),
        cmocka_unit_test(test_value_depth_counts_containers),
        cmocka_unit_test(test_value_new_makes_containers_and_destroy_nulls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
