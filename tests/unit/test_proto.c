/* test_proto.c - frame helpers of the wire protocols (lib/proto.c).
 *
 * Messages travel over an inproc ZeroMQ PAIR and are received with
 * sift_frames_recv, as the daemon receives them. Covers the readers the
 * daemon applies to untrusted frames (numbers, command bytes, tags), frames
 * past the end, and a message with more frames than SIFT_PROTO_MAX_FRAMES.
 * Cases found by tests/fuzz/fuzz_frames.c carry its corpus file's name.
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <zmq.h>

#include <cmocka.h>

#include "proto.h"

typedef struct pair {
    void *ctx, *tx, *rx;
    sift_frames f;
} pair;

static int pair_setup(void **state)
{
    static pair p;
    memset(&p, 0, sizeof p);
    int zero = 0;
    p.ctx = zmq_ctx_new();
    p.rx = zmq_socket(p.ctx, ZMQ_PAIR);
    p.tx = zmq_socket(p.ctx, ZMQ_PAIR);
    zmq_setsockopt(p.tx, ZMQ_SNDHWM, &zero, sizeof zero);
    zmq_setsockopt(p.rx, ZMQ_RCVHWM, &zero, sizeof zero);
    if (zmq_bind(p.rx, "inproc://test-proto") || zmq_connect(p.tx, "inproc://test-proto"))
        return -1;
    *state = &p;
    return 0;
}

static int pair_teardown(void **state)
{
    pair *p = *state;
    sift_frames_fini(&p->f);
    zmq_close(p->tx);
    zmq_close(p->rx);
    zmq_ctx_term(p->ctx);
    return 0;
}

/* Send the n NUL-terminated strings as one message and receive it into p->f. */
static void roundtrip(pair *p, const char *const *frames, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_true(zmq_send(p->tx, frames[i], strlen(frames[i]), i + 1 < n ? ZMQ_SNDMORE : 0) >= 0);
    assert_int_equal(sift_frames_recv(p->rx, &p->f, 0), 0);
    assert_int_equal(p->f.n, n);
}

static void test_proto_frames_num_reads_ascii_decimal(void **state)
{
    pair *p = *state;
    static const char *const frames[] = {"0", "42", "-1005", "123456789012345678", "007"};
    static const int64_t want[] = {0, 42, -1005, INT64_C(123456789012345678), 7};
    roundtrip(p, frames, 5);
    for (size_t i = 0; i < 5; i++)
        assert_true(sift_frames_num(&p->f, i) == want[i]);
    sift_frames_close(&p->f);
}

/* corpus/frames/regress-lone-minus.fr: "-" read as 0, so a worker's DONE
 * with rc "-" counted as SIFT_OK. */
static void test_proto_frames_num_refuses_a_lone_minus(void **state)
{
    pair *p = *state;
    static const char *const frames[] = {"-", "+5", "", "1a", "1234567890123456789", " 1", "--1"};
    roundtrip(p, frames, 7);
    for (size_t i = 0; i < 7; i++)
        if (sift_frames_num(&p->f, i) != -1)
            fail_msg("frame \"%s\" read as %lld, want -1", frames[i],
                     (long long)sift_frames_num(&p->f, i));
    sift_frames_close(&p->f);
}

static void test_proto_frames_readers_past_the_end(void **state)
{
    pair *p = *state;
    static const char *const frames[] = {SIFT_PROTO_WORKER, "\x04"};
    size_t len = 99;
    roundtrip(p, frames, 2);
    assert_true(sift_frames_is(&p->f, 0, SIFT_PROTO_WORKER));
    assert_false(sift_frames_is(&p->f, 0, SIFT_PROTO_PRODUCER));
    assert_int_equal(sift_frames_cmd(&p->f, 1), SIFT_W_HEARTBEAT);
    assert_int_equal(sift_frames_cmd(&p->f, 0), -1);
    assert_null(sift_frames_data(&p->f, 2, &len));
    assert_int_equal(len, 0);
    assert_int_equal(sift_frames_num(&p->f, 2), -1);
    assert_int_equal(sift_frames_cmd(&p->f, 5), -1);
    assert_false(sift_frames_is(&p->f, 7, SIFT_PROTO_WORKER));
    sift_frames_close(&p->f);
}

static void test_proto_frames_recv_truncates_and_keeps_the_last_frame(void **state)
{
    pair *p = *state;
    size_t n = SIFT_PROTO_MAX_FRAMES + 5;
    for (size_t i = 0; i < n; i++) {
        const char *s = i + 1 == n ? "last" : "x";
        assert_true(zmq_send(p->tx, s, strlen(s), i + 1 < n ? ZMQ_SNDMORE : 0) >= 0);
    }
    assert_int_equal(sift_frames_recv(p->rx, &p->f, 0), 0);
    assert_int_equal(p->f.n, SIFT_PROTO_MAX_FRAMES);
    assert_true(p->f.truncated);
    assert_true(sift_frames_is(&p->f, SIFT_PROTO_MAX_FRAMES - 2, "x"));
    assert_true(sift_frames_is(&p->f, SIFT_PROTO_MAX_FRAMES - 1, "last"));
    sift_frames_close(&p->f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proto_frames_num_reads_ascii_decimal),
        cmocka_unit_test(test_proto_frames_num_refuses_a_lone_minus),
        cmocka_unit_test(test_proto_frames_readers_past_the_end),
        cmocka_unit_test(test_proto_frames_recv_truncates_and_keeps_the_last_frame),
    };
    return cmocka_run_group_tests(tests, pair_setup, pair_teardown);
}
