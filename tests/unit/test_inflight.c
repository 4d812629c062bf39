/* test_inflight.c - the broker's set of document ids inside siftd (daemon/inflight.c).
 *
 * Checked against a plain array as the reference model through a long run
 * of random adds and deletes over a small id space, so probe runs collide,
 * wrap around the table and grow it, and every backward-shift deletion is
 * followed by lookups of everything else.
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

#include "inflight.h"

#define IDS (5000)

typedef struct entry {
    char id[24];
} entry;

static void test_add_find_del(void **state)
{
    (void)state;
    sift_inflight *s = NULL;
    entry a = {"doc-1"}, b = {"doc-1"}, c = {"doc-2"};
    assert_int_equal(sift_inflight_new(&s), 0);
    assert_null(sift_inflight_find(s, "doc-1", 5));
    assert_int_equal(sift_inflight_add(s, a.id, 5, &a), 0);
    assert_int_equal(sift_inflight_add(s, b.id, 5, &b), 1); /* first copy wins */
    assert_ptr_equal(sift_inflight_find(s, "doc-1", 5), &a);
    assert_null(sift_inflight_find(s, "doc-", 4));
    assert_int_equal(sift_inflight_add(s, c.id, 5, &c), 0);
    sift_inflight_del(s, b.id, 5, &b); /* not the stored entry: nothing happens */
    assert_ptr_equal(sift_inflight_find(s, "doc-1", 5), &a);
    sift_inflight_del(s, a.id, 5, &a);
    assert_null(sift_inflight_find(s, "doc-1", 5));
    assert_ptr_equal(sift_inflight_find(s, "doc-2", 5), &c);
    assert_int_equal(sift_inflight_count(s), 1);
    sift_inflight_destroy(&s);
    assert_null(s);
}

static void test_random_against_model(void **state)
{
    (void)state;
    sift_inflight *s = NULL;
    entry *e = calloc(IDS, sizeof *e);
    int *in = calloc(IDS, sizeof *in);
    assert_non_null(e);
    assert_non_null(in);
    for (int i = 0; i < IDS; i++)
        snprintf(e[i].id, sizeof e[i].id, "id-%d", i);
    assert_int_equal(sift_inflight_new(&s), 0);
    srand(7);
    size_t n = 0;
    for (int step = 0; step < 200000; step++) {
        int k = rand() % IDS;
        size_t len = strlen(e[k].id);
        if (in[k]) {
            sift_inflight_del(s, e[k].id, len, &e[k]);
            in[k] = 0;
            n--;
        } else {
            assert_int_equal(sift_inflight_add(s, e[k].id, len, &e[k]), 0);
            in[k] = 1;
            n++;
        }
        if (step % 997 == 0)
            for (int i = 0; i < IDS; i++)
                assert_ptr_equal(sift_inflight_find(s, e[i].id, strlen(e[i].id)), in[i] ? &e[i] : NULL);
    }
    assert_int_equal(sift_inflight_count(s), n);
    sift_inflight_destroy(&s);
    free(e);
    free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_find_del),
        cmocka_unit_test(test_random_against_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
