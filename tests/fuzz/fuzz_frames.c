/* fuzz_frames.c - libFuzzer target: multi-frame messages as lib/proto.c reads them.
 *
 * The input is cut into frames (a length byte, then that many bytes; 0xff
 * means "the rest"), sent over an inproc ZeroMQ PAIR and received with
 * sift_frames_recv, so frame counts past SIFT_PROTO_MAX_FRAMES exercise the
 * truncation path. Then every frame goes through the readers the daemon
 * uses on untrusted frames: sift_frames_is (tags), sift_frames_cmd,
 * sift_frames_num, sift_frames_data, sift_proto_cmd_name, sift_refusal_name;
 * a message shaped like a PUSH (frame 0 standing for the ROUTER's identity)
 * takes daemon/ingest.c's path on to sift_codec_decode_producer with its
 * limits (broker state aside; fuzz_codec.c goes deeper into the document).
 * What must hold, beyond "no crash, no sanitizer report":
 *  1. the frames received are those sent (the last slot holds the last
 *     frame when the message was truncated), and truncated says so;
 *  2. sift_frames_num agrees with a plain reference parser: -?[0-9]+ of at
 *     most 18 bytes is its value, anything else -1.
 * A broken property aborts, so libFuzzer keeps the input.
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "codec.h"
#include "fuzz_doc.h"
#include "proto.h"

#define INGEST_MAX_DOC_BYTES (4194304) /* conf/siftd.conf's limits.max_doc_bytes */
#define INGEST_ENVELOPE_SLACK (65536)  /* daemon/ingest.c's ENVELOPE_SLACK */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct span {
    const uint8_t *p;
    size_t len;
} span;

static void *ctx, *tx, *rx;
static sift_frames frames;

static void *pair_socket(int is_bind)
{
    int zero = 0;
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    if (!s || zmq_setsockopt(s, ZMQ_SNDHWM, &zero, sizeof zero) ||
        zmq_setsockopt(s, ZMQ_RCVHWM, &zero, sizeof zero))
        fuzz_fail("cannot make a PAIR socket");
    if ((is_bind ? zmq_bind(s, "inproc://fuzz-frames") : zmq_connect(s, "inproc://fuzz-frames")))
        fuzz_fail("cannot %s inproc://fuzz-frames", is_bind ? "bind" : "connect");
    return s;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!(ctx = zmq_ctx_new()))
        fuzz_fail("zmq_ctx_new failed");
    rx = pair_socket(1);
    tx = pair_socket(0);
    return 0;
}

/* The frame at *pos (a length byte, then the bytes); advances *pos. */
static span next_frame(const uint8_t *data, size_t size, size_t *pos)
{
    size_t len = data[(*pos)++];
    if (len == 0xff || len > size - *pos)
        len = size - *pos;
    span s = {data + *pos, len};
    *pos += len;
    return s;
}

/* The reference for sift_frames_num. */
static int64_t ref_num(const uint8_t *p, size_t len)
{
    size_t neg = len > 0 && p[0] == '-';
    if (len == neg || len > 18)
        return -1;
    int64_t v = 0;
    for (size_t k = neg; k < len; k++) {
        if (p[k] < '0' || p[k] > '9')
            return -1;
        v = v * 10 + (p[k] - '0');
    }
    return neg ? -v : v;
}

/* Every reader on frame i (i may be past the end). */
static void read_frame(size_t i, const span *want)
{
    size_t len = 7;
    const uint8_t *d = sift_frames_data(&frames, i, &len);
    if (!want) {
        if (d || len != 0 || sift_frames_num(&frames, i) != -1 || sift_frames_cmd(&frames, i) != -1)
            fuzz_fail("frame %zu of %zu reads as present", i, frames.n);
        return;
    }
    if (len != want->len || (len && memcmp(d, want->p, len) != 0))
        fuzz_fail("frame %zu: %zu bytes sent, %zu received or different", i, want->len, len);
    int64_t num = sift_frames_num(&frames, i);
    if (num != ref_num(d, len))
        fuzz_fail("frame %zu: sift_frames_num %lld, reference %lld", i, (long long)num,
                  (long long)ref_num(d, len));
    int cmd = sift_frames_cmd(&frames, i);
    if (cmd != (len == 1 ? d[0] : -1))
        fuzz_fail("frame %zu: sift_frames_cmd %d", i, cmd);
    static const char *const tags[] = {SIFT_PROTO_PRODUCER, SIFT_PROTO_WORKER, SIFT_PROTO_CONTROL};
    for (size_t t = 0; t < 3; t++) {
        int is = len == strlen(tags[t]) && memcmp(d, tags[t], len) == 0;
        if (sift_frames_is(&frames, i, tags[t]) != is)
            fuzz_fail("frame %zu: sift_frames_is(%s) wrong", i, tags[t]);
        if (cmd >= 0 && !sift_proto_cmd_name(tags[t], cmd))
            fuzz_fail("sift_proto_cmd_name returned NULL");
    }
    if (cmd >= 0 && sift_refusal_name((sift_refusal)cmd) == NULL && cmd < SIFT_REFUSE_COUNT_)
        fuzz_fail("no name for refusal %d", cmd);
}

/* daemon/ingest.c's checks, in its order, then the document decoder. */
static void push_path(const sift_frames *f)
{
    size_t clen, plen, len;
    if (f->n < 3 || !sift_frames_is(f, 1, SIFT_PROTO_PRODUCER) ||
        sift_frames_cmd(f, 2) != SIFT_P_PUSH || f->n != 6 || f->truncated)
        return;
    sift_frames_data(f, 3, &clen);
    sift_frames_data(f, 4, &plen);
    const char *buf = sift_frames_data(f, 5, &len);
    if (clen == 0 || clen > SIFT_PROTO_MAX_CORR || plen > SIFT_PROTO_MAX_PIPELINE ||
        len > INGEST_MAX_DOC_BYTES + INGEST_ENVELOPE_SLACK)
        return;
    sift_codec_limits lim = {.max_bytes = INGEST_MAX_DOC_BYTES + INGEST_ENVELOPE_SLACK,
                             .max_text = INGEST_MAX_DOC_BYTES};
    sift_doc *d = NULL;
    sift_err err = {{0}};
    if (sift_codec_decode_producer(buf, len, &lim, &d, &err) == 0 && d->attempt != 1)
        fuzz_fail("a producer's document decoded with attempt %u", d->attempt);
    sift_doc_destroy(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static span sent[SIFT_PROTO_MAX_FRAMES];
    size_t n = 0, pos = 0;
    while (pos < size) /* count */
        n += (next_frame(data, size, &pos), 1);
    if (n == 0)
        return 0; /* ZeroMQ has no message of zero frames */
    pos = 0;
    for (size_t i = 0; i < n; i++) { /* send; the last slot keeps the last frame */
        span f = next_frame(data, size, &pos);
        sent[i < SIFT_PROTO_MAX_FRAMES ? i : SIFT_PROTO_MAX_FRAMES - 1] = f;
        if (zmq_send(tx, f.p, f.len, i + 1 < n ? ZMQ_SNDMORE : 0) < 0)
            fuzz_fail("zmq_send failed");
    }
    int rc = sift_frames_recv(rx, &frames, 0);
    if (rc < 0)
        fuzz_fail("sift_frames_recv: %d", rc);
    size_t want_n = n > SIFT_PROTO_MAX_FRAMES ? SIFT_PROTO_MAX_FRAMES : n;
    if (frames.n != want_n || frames.truncated != (n > SIFT_PROTO_MAX_FRAMES))
        fuzz_fail("%zu frames sent, %zu received, truncated %d", n, frames.n, frames.truncated);
    for (size_t i = 0; i < frames.n; i++)
        read_frame(i, &sent[i]);
    read_frame(frames.n, NULL);
    read_frame(frames.n + 1, NULL);
    push_path(&frames);
    sift_frames_close(&frames);
    return 0;
}
