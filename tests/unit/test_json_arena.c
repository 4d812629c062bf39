/* test_json_arena.c - jansson on the bump arena (lib/json_arena.c).
 *
 * Trees built, dumped and freed on the arena read back as built; a tree
 * still alive keeps its contents while others come and go (nothing is handed
 * out twice); memory is reused once everything is freed; and a string larger
 * than any block works. Every test runs with the arena in place, as sift run
 * uses it, including whole documents through sift_json_encode/decode.
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include <cmocka.h>

#include "doc.h"
#include "json.h"

/* An object {"k": [i, "s<i>"...]} of n items. */
static json_t *tree(int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        char s[32];
        snprintf(s, sizeof s, "s%d", i);
        json_array_append_new(a, json_integer(i));
        json_array_append_new(a, json_string(s));
    }
    json_t *o = json_object();
    json_object_set_new(o, "k", a);
    return o;
}

static void test_round_trip(void **state)
{
    (void)state;
    static char text[16384];
    for (int round = 0; round < 50; round++) {
        json_t *o = tree(200);
        size_t n = json_dumpb(o, text, sizeof text - 1, JSON_COMPACT);
        assert_true(n > 0 && n < sizeof text - 1);
        text[n] = '\0';
        json_decref(o);
        json_error_t e;
        json_t *back = json_loads(text, 0, &e);
        assert_non_null(back);
        json_t *a = json_object_get(back, "k");
        assert_int_equal(json_array_size(a), 400);
        assert_int_equal(json_integer_value(json_array_get(a, 398)), 199);
        assert_string_equal(json_string_value(json_array_get(a, 399)), "s199");
        json_decref(back);
    }
}

/* A tree kept alive must not share memory with trees made after it. */
static void test_live_tree_untouched(void **state)
{
    (void)state;
    json_t *kept = json_string("kept alive across other documents");
    for (int round = 0; round < 100; round++) {
        json_t *o = tree(500);
        json_decref(o);
        assert_string_equal(json_string_value(kept), "kept alive across other documents");
    }
    json_t *other = json_string("made after");
    assert_ptr_not_equal(json_string_value(other), json_string_value(kept));
    json_decref(other);
    json_decref(kept);
}

/* Once every node is freed the next one starts the block again. */
static void test_reused_when_all_freed(void **state)
{
    (void)state;
    json_malloc_t m = NULL;
    json_free_t f = NULL;
    json_get_alloc_funcs(&m, &f);
    assert_true(m != malloc && f != free); /* the arena is in place */
    json_t *a = json_string("first");
    const void *where = a;
    json_decref(a);
    json_t *b = json_string("second");
    assert_ptr_equal(b, where);
    json_t *c = json_string("third"); /* b is alive: c goes elsewhere */
    assert_ptr_not_equal(c, where);
    assert_string_equal(json_string_value(b), "second");
    json_decref(b);
    json_decref(c);
}

/* A string bigger than any block (the first is 256 KiB), then small nodes. */
static void test_huge_string(void **state)
{
    (void)state;
    size_t n = 20u << 20;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'x', n);
    big[n - 1] = 'y';
    json_t *s = json_stringn(big, n);
    assert_non_null(s);
    assert_int_equal(json_string_length(s), n);
    assert_int_equal(json_string_value(s)[n - 1], 'y');
    json_decref(s);
    free(big);
    json_t *o = tree(10);
    assert_int_equal(json_array_size(json_object_get(o, "k")), 20);
    json_decref(o);
}

/* A whole document out and back in, as sift run does with the arena. */
static void test_document_round_trip(void **state)
{
    (void)state;
    const char *in = "{\"id\":\"a1\",\"text\":\"Caf\\u00e9 line one.\\nLine two.\","
                     "\"fields\":{\"n\":3,\"list\":[\"x\",{\"y\":1.5}]}}";
    for (int round = 0; round < 20; round++) {
        sift_doc *d = NULL;
        sift_err err;
        assert_int_equal(sift_json_decode_input(in, strlen(in), &d, &err), 0);
        char *out = NULL;
        size_t len = 0;
        assert_int_equal(sift_json_encode(d, &out, &len), 0);
        sift_doc_destroy(&d);
        assert_non_null(strstr(out, "\"text\":\"Café line one.\\nLine two.\""));
        assert_non_null(strstr(out, "\"list\":[\"x\",{\"y\":1.5}]"));
        free(out);
    }
}

int main(void)
{
    sift_json_arena_use();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_live_tree_untouched),
        cmocka_unit_test(test_reused_when_all_freed),
        cmocka_unit_test(test_huge_string),
        cmocka_unit_test(test_document_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
