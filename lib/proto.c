/* proto.c - sift's wire protocols: names for logs and multi-frame send/receive.
 *
 * Receiving keeps each frame as a zmq_msg_t so payloads are read in place,
 * never copied; sending takes a list of parts. What the frames mean is
 * documented in proto.h and docs/protocol.md.
 * SPDX-License-Identifier: MIT
 */
#include "proto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

static const char *const refusal_names[] = {
#define SIFT_REFUSAL_NAME_(name, text) text,
    SIFT_REFUSAL_MAP(SIFT_REFUSAL_NAME_)
#undef SIFT_REFUSAL_NAME_
};

const char *sift_refusal_name(sift_refusal r)
{
    return (unsigned)r < SIFT_REFUSE_COUNT_ ? refusal_names[r] : NULL;
}

typedef struct cmd_name {
    const char *tag;
    int cmd;
    const char *name;
} cmd_name;

static const cmd_name cmd_names[] = {
    {SIFT_PROTO_PRODUCER, SIFT_P_PUSH, "PUSH"},
    {SIFT_PROTO_PRODUCER, SIFT_P_ACCEPTED, "ACCEPTED"},
    {SIFT_PROTO_PRODUCER, SIFT_P_REFUSED, "REFUSED"},
    {SIFT_PROTO_WORKER, SIFT_W_READY, "READY"},
    {SIFT_PROTO_WORKER, SIFT_W_JOB, "JOB"},
    {SIFT_PROTO_WORKER, SIFT_W_DONE, "DONE"},
    {SIFT_PROTO_WORKER, SIFT_W_HEARTBEAT, "HEARTBEAT"},
    {SIFT_PROTO_WORKER, SIFT_W_STOP, "STOP"},
    {SIFT_PROTO_CONTROL, SIFT_C_STATS, "STATS"},
    {SIFT_PROTO_CONTROL, SIFT_C_PING, "PING"},
    {SIFT_PROTO_CONTROL, SIFT_C_STATS_REPLY, "STATS_REPLY"},
    {SIFT_PROTO_CONTROL, SIFT_C_PONG, "PONG"},
    {SIFT_PROTO_CONTROL, SIFT_C_ERROR, "ERROR"},
};

const char *sift_proto_cmd_name(const char *tag, int cmd)
{
    for (size_t i = 0; i < sizeof cmd_names / sizeof cmd_names[0]; i++)
        if (cmd_names[i].cmd == cmd && strcmp(cmd_names[i].tag, tag) == 0)
            return cmd_names[i].name;
    return "?";
}

int sift_frames_recv(void *socket, sift_frames *f, int flags)
{
    sift_frames_close(f); /* frames of a previous message the caller did not close */
    f->truncated = 0;
    if (!f->msgs && !(f->msgs = calloc(SIFT_PROTO_MAX_FRAMES, sizeof(zmq_msg_t))))
        return -ENOMEM;
    zmq_msg_t *m = f->msgs;
    int more = 1;
    while (more) {
        zmq_msg_t *slot = &m[f->n < SIFT_PROTO_MAX_FRAMES ? f->n : SIFT_PROTO_MAX_FRAMES - 1];
        if (f->n >= SIFT_PROTO_MAX_FRAMES) { /* drain the excess into the last slot */
            zmq_msg_close(slot);
            f->truncated = 1;
            f->n--;
        }
        zmq_msg_init(slot);
        if (zmq_msg_recv(slot, socket, f->n == 0 ? flags : 0) < 0) {
            int e = errno;
            zmq_msg_close(slot);
            sift_frames_close(f);
            return -e;
        }
        f->n++;
        more = zmq_msg_more(slot);
    }
    return 0;
}

void sift_frames_close(sift_frames *f)
{
    zmq_msg_t *m = f->msgs;
    for (size_t i = 0; m && i < f->n; i++)
        zmq_msg_close(&m[i]);
    f->n = 0;
}

void sift_frames_fini(sift_frames *f)
{
    sift_frames_close(f);
    free(f->msgs);
    f->msgs = NULL;
}

const void *sift_frames_data(const sift_frames *f, size_t i, size_t *len)
{
    if (i >= f->n) {
        if (len)
            *len = 0;
        return NULL;
    }
    zmq_msg_t *m = &((zmq_msg_t *)f->msgs)[i];
    if (len)
        *len = zmq_msg_size(m);
    return zmq_msg_data(m);
}

int sift_frames_is(const sift_frames *f, size_t i, const char *s)
{
    size_t len;
    const void *d = sift_frames_data(f, i, &len);
    return d && len == strlen(s) && memcmp(d, s, len) == 0;
}

int sift_frames_cmd(const sift_frames *f, size_t i)
{
    size_t len;
    const unsigned char *d = sift_frames_data(f, i, &len);
    return d && len == 1 ? d[0] : -1;
}

int64_t sift_frames_num(const sift_frames *f, size_t i)
{
    size_t len;
    const char *d = sift_frames_data(f, i, &len);
    if (!d || len == 0 || len > 18)
        return -1;
    int neg = d[0] == '-';
    if (neg && len == 1)
        return -1; /* a lone sign is no number (it read as 0: a DONE rc of "-" passed as OK) */
    int64_t v = 0;
    for (size_t k = (size_t)neg; k < len; k++) {
        if (d[k] < '0' || d[k] > '9')
            return -1;
        v = v * 10 + (d[k] - '0');
    }
    return neg ? -v : v;
}

static void free_buf(void *data, void *hint)
{
    (void)hint;
    free(data);
}

int sift_msg_own(void *msg, char *buf, size_t len)
{
    if (buf && zmq_msg_init_data(msg, buf, len, free_buf, NULL) == 0)
        return 0;
    free(buf);
    zmq_msg_init(msg);
    return -1;
}

static int send_shared(void *socket, void *msg, int flags)
{
    zmq_msg_t copy;
    zmq_msg_init(&copy);
    if (zmq_msg_copy(&copy, msg) < 0 || zmq_msg_send(&copy, socket, flags) < 0) {
        int e = errno;
        zmq_msg_close(&copy);
        return -e;
    }
    return 0;
}

int sift_frames_send(void *socket, const sift_part *parts, size_t n, int flags)
{
    for (size_t i = 0; i < n; i++) {
        int f = flags | (i + 1 < n ? ZMQ_SNDMORE : 0);
        int rc = parts[i].msg ? send_shared(socket, parts[i].msg, f)
                              : zmq_send(socket, parts[i].data, parts[i].len, f) < 0 ? -errno : 0;
        if (rc < 0)
            return rc;
    }
    return 0;
}

sift_part sift_part_bytes(const void *data, size_t len) { return (sift_part){.data = data, .len = len}; }
sift_part sift_part_str(const char *s) { return sift_part_bytes(s, strlen(s)); }
sift_part sift_part_cmd(const unsigned char *cmd) { return sift_part_bytes(cmd, 1); }
sift_part sift_part_msg(void *msg) { return (sift_part){.msg = msg}; }
