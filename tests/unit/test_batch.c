/* test_batch.c - the one-frame JOB and DONE batches (lib/batch.c).
 *
 * Batches written with sift_batch_* and read back with sift_batch_read, as
 * broker and worker do, then frames a broken or hostile peer could send:
 * wrong shapes and types, truncation, trailing bytes, more entries than
 * allowed, and a header that claims four billion entries in a few bytes.
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <msgpack.h>
#include <zmq.h>

#include <cmocka.h>

#include "batch.h"

typedef struct packed {
    zmq_msg_t msg;
    sift_batch_entry e[SIFT_BATCH_MAX];
    sift_err err;
} packed;

/* Write entries in[0..n) as a batch of kind into p->msg. */
static void write_batch(packed *p, int kind, const sift_batch_entry *in, size_t n)
{
    sift_batch *b = NULL;
    assert_int_equal(sift_batch_new(&b), 0);
    assert_int_equal(sift_batch_begin(b, kind, n, 10), 0); /* a low hint: the buffer must grow */
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sift_batch_put(b, &in[i]), 0);
    assert_int_equal(sift_batch_finish(b, &p->msg), 0);
    sift_batch_destroy(&b);
    assert_null(b);
}

static int read_msg(packed *p, int kind, size_t max)
{
    memset(&p->err, 0, sizeof p->err);
    return sift_batch_read(zmq_msg_data(&p->msg), zmq_msg_size(&p->msg), kind, p->e, max, &p->err);
}

static void test_batch_job_round_trip(void **state)
{
    (void)state;
    static const char doc0[] = "\x81\xa4text\xa2hi", doc2[] = "with\0nul";
    sift_batch_entry in[] = {
        {.id = 1, .num = 1, .doc = doc0, .doc_len = sizeof doc0 - 1},
        {.id = UINT64_MAX, .num = 7, .doc = "", .doc_len = 0},
        {.id = 42, .num = 3, .doc = doc2, .doc_len = sizeof doc2 - 1},
    };
    packed p;
    write_batch(&p, SIFT_BATCH_JOB, in, 3);
    assert_int_equal(read_msg(&p, SIFT_BATCH_JOB, SIFT_BATCH_MAX), 3);
    const char *lo = zmq_msg_data(&p.msg), *hi = lo + zmq_msg_size(&p.msg);
    for (size_t i = 0; i < 3; i++) {
        assert_true(p.e[i].id == in[i].id);
        assert_int_equal(p.e[i].num, in[i].num);
        assert_int_equal(p.e[i].doc_len, in[i].doc_len);
        assert_memory_equal(p.e[i].doc, in[i].doc, in[i].doc_len);
        assert_true(p.e[i].doc >= lo && p.e[i].doc <= hi); /* read in place, not copied */
        assert_null(p.e[i].info);
    }
    zmq_msg_close(&p.msg);
}

static void test_batch_done_round_trip(void **state)
{
    (void)state;
    sift_batch_entry in[] = {
        {.id = 9, .num = 0, .doc = "{\"id\":\"a\"}\n", .doc_len = 11, .info = "1 -1 12",
         .info_len = 7},
        {.id = 10, .num = -1005, .doc = NULL, .doc_len = 0, .info = "0 -1", .info_len = 4},
    };
    packed p;
    write_batch(&p, SIFT_BATCH_DONE, in, 2);
    assert_int_equal(read_msg(&p, SIFT_BATCH_DONE, SIFT_BATCH_MAX), 2);
    assert_int_equal(p.e[0].num, 0);
    assert_int_equal(p.e[1].num, -1005);
    assert_int_equal(p.e[1].doc_len, 0);
    assert_int_equal(p.e[0].info_len, 7);
    assert_memory_equal(p.e[0].info, "1 -1 12", 7);
    assert_memory_equal(p.e[1].info, "0 -1", 4);
    /* read as the other kind, the entries have the wrong arity */
    assert_true(read_msg(&p, SIFT_BATCH_JOB, SIFT_BATCH_MAX) < 0);
    assert_non_null(strstr(p.err.msg, "entry 0"));
    zmq_msg_close(&p.msg);
}

static void test_batch_refuses_more_entries_than_allowed(void **state)
{
    (void)state;
    sift_batch_entry in[3] = {{.id = 1, .num = 1}, {.id = 2, .num = 1}, {.id = 3, .num = 1}};
    packed p;
    write_batch(&p, SIFT_BATCH_JOB, in, 3);
    assert_int_equal(read_msg(&p, SIFT_BATCH_JOB, 2), SIFT_ERANGE);
    assert_non_null(strstr(p.err.msg, "3 entries"));
    zmq_msg_close(&p.msg);
}

/* One writer, batch after batch, as broker and worker use it; a batch that
 * breaks its promise of n entries is refused and does not spoil the next. */
static void test_batch_writer_reuse_and_broken_promises(void **state)
{
    (void)state;
    sift_batch *b = NULL;
    packed p;
    sift_batch_entry e = {.id = 1, .num = 1, .doc = "abc", .doc_len = 3};
    assert_int_equal(sift_batch_new(&b), 0);
    for (uint64_t round = 1; round <= 3; round++) {
        assert_int_equal(sift_batch_begin(b, SIFT_BATCH_JOB, 2, 6), 0);
        e.id = round;
        assert_int_equal(sift_batch_put(b, &e), 0);
        e.id = round + 100;
        assert_int_equal(sift_batch_put(b, &e), 0);
        assert_int_equal(sift_batch_finish(b, &p.msg), 0);
        assert_int_equal(read_msg(&p, SIFT_BATCH_JOB, SIFT_BATCH_MAX), 2);
        assert_true(p.e[0].id == round && p.e[1].id == round + 100);
        zmq_msg_close(&p.msg);
    }
    /* fewer entries than promised */
    assert_int_equal(sift_batch_begin(b, SIFT_BATCH_JOB, 2, 6), 0);
    assert_int_equal(sift_batch_put(b, &e), 0);
    assert_int_equal(sift_batch_finish(b, &p.msg), SIFT_EINVAL);
    assert_int_equal(zmq_msg_size(&p.msg), 0);
    zmq_msg_close(&p.msg);
    /* more than promised: the error sticks to finish */
    assert_int_equal(sift_batch_begin(b, SIFT_BATCH_JOB, 1, 3), 0);
    assert_int_equal(sift_batch_put(b, &e), 0);
    assert_int_equal(sift_batch_put(b, &e), SIFT_EINVAL);
    assert_int_equal(sift_batch_finish(b, &p.msg), SIFT_EINVAL);
    zmq_msg_close(&p.msg);
    /* and the writer still works */
    assert_int_equal(sift_batch_begin(b, SIFT_BATCH_JOB, 1, 3), 0);
    assert_int_equal(sift_batch_put(b, &e), 0);
    assert_int_equal(sift_batch_finish(b, &p.msg), 0);
    assert_int_equal(read_msg(&p, SIFT_BATCH_JOB, SIFT_BATCH_MAX), 1);
    zmq_msg_close(&p.msg);
    sift_batch_destroy(&b);
}

/* Pack with msgpack-c directly: shapes sift_batch_put never writes. */
static int read_raw(const msgpack_sbuffer *sb, int kind, sift_err *err)
{
    sift_batch_entry e[4];
    memset(err, 0, sizeof *err);
    return sift_batch_read(sb->data, sb->size, kind, e, 4, err);
}

static void test_batch_refuses_wrong_shapes_and_types(void **state)
{
    (void)state;
    msgpack_sbuffer sb;
    msgpack_packer pk;
    sift_err err;
    struct {
        const char *what, *needle;
        int variant;
    } cases[] = {
        {"a map, not an array", "not an array", 0},
        {"entry with 2 fields", "entry 0", 1},
        {"id as a string", "entry 0", 2},
        {"negative attempt", "entry 0", 3},
        {"document as str, not bin", "entry 1", 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        msgpack_sbuffer_init(&sb);
        msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
        switch (cases[i].variant) {
        case 0: msgpack_pack_map(&pk, 0); break;
        case 1: msgpack_pack_array(&pk, 1), msgpack_pack_array(&pk, 2), msgpack_pack_uint64(&pk, 1),
                msgpack_pack_uint64(&pk, 1); break;
        case 2: msgpack_pack_array(&pk, 1), msgpack_pack_array(&pk, 3),
                msgpack_pack_str_with_body(&pk, "1", 1), msgpack_pack_uint64(&pk, 1),
                msgpack_pack_bin_with_body(&pk, "x", 1); break;
        case 3: msgpack_pack_array(&pk, 1), msgpack_pack_array(&pk, 3), msgpack_pack_uint64(&pk, 1),
                msgpack_pack_int64(&pk, -2), msgpack_pack_bin_with_body(&pk, "x", 1); break;
        case 4:
            msgpack_pack_array(&pk, 2);
            msgpack_pack_array(&pk, 3), msgpack_pack_uint64(&pk, 1), msgpack_pack_uint64(&pk, 1),
                msgpack_pack_bin_with_body(&pk, "x", 1);
            msgpack_pack_array(&pk, 3), msgpack_pack_uint64(&pk, 2), msgpack_pack_uint64(&pk, 1),
                msgpack_pack_str_with_body(&pk, "x", 1);
            break;
        }
        int rc = read_raw(&sb, SIFT_BATCH_JOB, &err);
        if (rc >= 0 || !strstr(err.msg, cases[i].needle))
            fail_msg("%s: rc %d, err \"%s\"", cases[i].what, rc, err.msg);
        msgpack_sbuffer_destroy(&sb);
    }
}

static void test_batch_refuses_truncated_and_trailing_bytes(void **state)
{
    (void)state;
    sift_batch_entry in = {.id = 5, .num = 2, .doc = "abcdef", .doc_len = 6};
    packed p;
    write_batch(&p, SIFT_BATCH_JOB, &in, 1);
    size_t len = zmq_msg_size(&p.msg);
    char buf[64];
    assert_true(len + 1 < sizeof buf);
    memcpy(buf, zmq_msg_data(&p.msg), len);
    buf[len] = '\0';
    assert_true(sift_batch_read(buf, len - 1, SIFT_BATCH_JOB, p.e, 4, &p.err) < 0);
    assert_non_null(strstr(p.err.msg, "truncated"));
    assert_true(sift_batch_read(buf, len + 1, SIFT_BATCH_JOB, p.e, 4, &p.err) < 0);
    assert_non_null(strstr(p.err.msg, "trailing"));
    assert_true(sift_batch_read(buf, 0, SIFT_BATCH_JOB, p.e, 4, &p.err) < 0);
    assert_non_null(strstr(p.err.msg, "empty"));
    zmq_msg_close(&p.msg);
}

/* array32 claiming 2^32-1 entries: msgpack-c alone would ask its zone for
 * ~100 GB before noticing the bytes are missing. */
static void test_batch_refuses_lying_count_before_allocating(void **state)
{
    (void)state;
    static const char bomb[] = "\xdd\xff\xff\xff\xff\x93\x01\x01\xc4\x00";
    sift_batch_entry e[4];
    sift_err err = {{0}};
    int rc = sift_batch_read(bomb, sizeof bomb - 1, SIFT_BATCH_JOB, e, 4, &err);
    assert_int_equal(rc, SIFT_EINVAL);
    assert_non_null(strstr(err.msg, "declares 4294967295"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_job_round_trip),
        cmocka_unit_test(test_batch_done_round_trip),
        cmocka_unit_test(test_batch_refuses_more_entries_than_allowed),
        cmocka_unit_test(test_batch_writer_reuse_and_broken_promises),
        cmocka_unit_test(test_batch_refuses_wrong_shapes_and_types),
        cmocka_unit_test(test_batch_refuses_truncated_and_trailing_bytes),
        cmocka_unit_test(test_batch_refuses_lying_count_before_allocating),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
