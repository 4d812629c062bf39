/* proto.h - sift's wire protocols: frames, tags, commands, refusal codes.
 *
 * Three conversations, each a sequence of ZeroMQ frames that starts with a
 * versioned tag frame and a one-byte command frame (docs/protocol.md is the
 * producer's full description):
 *
 *  producer DEALER -> siftd ingest ROUTER, tag "SIFTP1"
 *    PUSH      [tag][0x01][corr][pipeline][document msgpack]
 *    ACCEPTED  [tag][0x81][corr][doc id]                       (reply)
 *    REFUSED   [tag][0x82][corr][code][message]                (reply)
 *  worker DEALER -> siftd backend ROUTER, tag "SIFTW2"
 *    READY     [tag][0x01][segment][credit][pid]     worker -> broker, on start
 *    JOB       [tag][0x02][batch]                    broker -> worker
 *    DONE      [tag][0x03][batch]                    worker -> broker, per JOB
 *              batch: one frame (lib/batch.h says why), a msgpack array of
 *              JOB entries [job id, attempt, doc] or DONE entries
 *              [job id, rc, doc, info]. doc: msgpack when a later segment
 *              takes the document on; its output JSON line (docs/output.md,
 *              '\n'-terminated) when it is finished (last segment, dropped
 *              or failed); empty for a retry or an undecodable input. info:
 *              ASCII "FINAL K US...": FINAL 1 when doc is the output line, K
 *              the pipeline index of the stage that dropped or failed it
 *              (-1: none), then per stage of the segment its microseconds
 *              (-1: it did not run).
 *    HEARTBEAT [tag][0x04]                            both ways when idle
 *    STOP      [tag][0x05]                            broker -> worker: finish, exit
 *  client DEALER -> siftd control ROUTER, tag "SIFTC1"
 *    STATS     [tag][0x01]         -> [tag][0x81][stats JSON]
 *    PING      [tag][0x02]         -> [tag][0x82]
 *    anything else                 -> [tag][0xff][message]
 * Numbers in frames (credit, pid) travel as ASCII decimal, so a capture
 * reads plainly. Results are also published, one JSON line a message, on
 * the tail PUB endpoint. This file holds only the names and frame helpers;
 * what each side does lives in daemon/ingest.c, daemon/router.c,
 * daemon/worker.c, daemon/control.c and cli/.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_PROTO_H
#define SIFT_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define SIFT_PROTO_PRODUCER "SIFTP1"
#define SIFT_PROTO_WORKER "SIFTW2" /* 2: batches as one frame (lib/batch.h) */
#define SIFT_PROTO_CONTROL "SIFTC1"

enum {
    SIFT_P_PUSH = 0x01,
    SIFT_P_ACCEPTED = 0x81,
    SIFT_P_REFUSED = 0x82,
};

enum {
    SIFT_W_READY = 0x01,
    SIFT_W_JOB = 0x02,
    SIFT_W_DONE = 0x03,
    SIFT_W_HEARTBEAT = 0x04,
    SIFT_W_STOP = 0x05,
};

enum {
    SIFT_C_STATS = 0x01,
    SIFT_C_PING = 0x02,
    SIFT_C_STATS_REPLY = 0x81,
    SIFT_C_PONG = 0x82,
    SIFT_C_ERROR = 0xff, /* [tag][0xff][message]: the request was not understood */
};

/* Refusal codes a producer can get, in the order of docs/protocol.md. */
#define SIFT_REFUSAL_MAP(X)                                                                        \
    X(MALFORMED, "malformed")                                                                      \
    X(TOO_LARGE, "too_large")                                                                      \
    X(UNKNOWN_PIPELINE, "unknown_pipeline")                                                        \
    X(OVERLOADED, "overloaded")                                                                    \
    X(SHUTTING_DOWN, "shutting_down")                                                              \
    X(INTERNAL, "internal")

typedef enum sift_refusal {
#define SIFT_REFUSAL_ENUM_(name, text) SIFT_REFUSE_##name,
    SIFT_REFUSAL_MAP(SIFT_REFUSAL_ENUM_)
#undef SIFT_REFUSAL_ENUM_
        SIFT_REFUSE_COUNT_
} sift_refusal;

#define SIFT_PROTO_MAX_CORR (64)     /* bytes of a producer's correlation id */
#define SIFT_PROTO_MAX_PIPELINE (64) /* bytes of a pipeline name */
#define SIFT_PROTO_MAX_FRAMES (8) /* frames in one message: a PUSH has 6 with its routing id */

/* Protocol timing, parenthesised, with units and advice (the ZeroMQ guide's
 * Paranoid Pirate constants). Config defaults come from here. */
#define SIFT_HEARTBEAT_INTERVAL_MS (1000) /* msecs between heartbeats when idle */
#define SIFT_HEARTBEAT_LIVENESS (3)       /* 3-5 is reasonable */
#define SIFT_RECONNECT_MIN_MS (1000)      /* worker restart backoff start */
#define SIFT_RECONNECT_MAX_MS (32000)     /* worker restart backoff cap */

/* "malformed" etc.; static. NULL for an out-of-range value. */
const char *sift_refusal_name(sift_refusal r);
/* Name of a command byte for logs ("PUSH", "JOB"); "?" when unknown. */
const char *sift_proto_cmd_name(const char *tag, int cmd);

/* A received multi-frame message, kept as zmq_msg_t frames. */
typedef struct sift_frames {
    /* public: read-only */
    size_t n;
    /* private */
    void *msgs; /* zmq_msg_t[SIFT_PROTO_MAX_FRAMES] */
    int truncated; /* more frames arrived than fit (the rest were drained) */
} sift_frames;

/* Receive one whole message from socket (non-blocking if flags has
 * ZMQ_DONTWAIT) into f, which must be zeroed before its first use; frames
 * of a previous message still in f are closed first. Returns 0, or -errno
 * (-EAGAIN when nothing is there). Free with sift_frames_fini() when done. */
int sift_frames_recv(void *socket, sift_frames *f, int flags);
void sift_frames_close(sift_frames *f);
/* Appended. Close f and free the frame array sift_frames_recv allocated
 * (before f goes out of scope); f may be received into again. */
void sift_frames_fini(sift_frames *f);
/* Frame i's bytes and size; borrowed until sift_frames_close. NULL past n. */
const void *sift_frames_data(const sift_frames *f, size_t i, size_t *len);
/* Frame i equals the NUL-terminated s. */
int sift_frames_is(const sift_frames *f, size_t i, const char *s);
/* Frame i as a command byte (a one-byte frame), or -1. */
int sift_frames_cmd(const sift_frames *f, size_t i);
/* Frame i as an ASCII decimal number; -1 on a malformed frame. */
int64_t sift_frames_num(const sift_frames *f, size_t i);
/* Initialise msg (a zmq_msg_t) to own buf (malloc'd), which is freed when
 * the last copy of msg is closed: no copy of the bytes. On failure buf is
 * freed, msg is an empty message, and -1 is returned. */
int sift_msg_own(void *msg, char *buf, size_t len);

/* Send frames: each part is (data, len); more is set on all but the last.
 * Returns 0 or -errno. flags: e.g. ZMQ_DONTWAIT. parts: copied, except a
 * part with msg set (a zmq_msg_t): a shared copy of it goes out (zmq_msg_copy
 * counts references), so its bytes must not change afterwards. */
typedef struct sift_part {
    const void *data;
    size_t len;
    void *msg; /* borrowed; NULL: send data */
} sift_part;
int sift_frames_send(void *socket, const sift_part *parts, size_t n, int flags);

/* Helpers that fill a part. */
sift_part sift_part_bytes(const void *data, size_t len);
sift_part sift_part_str(const char *s);
sift_part sift_part_msg(void *msg); /* a zmq_msg_t, sent shared */
sift_part sift_part_cmd(const unsigned char *cmd); /* one byte at *cmd */

#endif
