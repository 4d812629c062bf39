/* sink.c - where finished documents go: JSONL files, ZeroMQ PUSH and PUB.
 *
 * Owns each sink's file descriptor or socket, the JSONL write buffer and the
 * per-sink counters. It does not decide what is written (the router hands
 * it finished JSON, built by lib/json.c), when it is retried (the router
 * keeps a document whose write failed or would block), or when a pass ends
 * (the broker calls sift_sink_flush once per pass).
 *
 * JSONL batches. Lines collect in our own buffer, not stdio's, and reach the
 * kernel with write(2): stdio flushes on its own schedule, may leave part of
 * a line in the file when the disk fills, and leaves its buffer in an
 * unspecified state after an error, so a retry could write a line twice or
 * half. Here the lines written since the last successful flush are one
 * batch, all or nothing:
 *
 *   1. Before the batch's first byte reaches the kernel, batch_start records
 *      the file's size.
 *   2. When any write(2) or fdatasync of the batch fails, the file is cut
 *      back to batch_start (ftruncate), the buffer is emptied, the failure
 *      is counted and logged, and the batch is failed: later writes return
 *      the same code until sift_sink_flush reports it and starts a new
 *      batch. So a failed flush means "none of the lines written since the
 *      last successful flush is in the file; write them all again", and a
 *      retried document never lands behind half a line.
 *   3. If the cut itself fails (is_torn), it is retried before the next
 *      byte is written, and nothing is written until it succeeds.
 *   4. written counts a batch's documents when its flush succeeds.
 *
 * The buffer goes to the kernel early (a spill) when it passes
 * SIFT_SINK_SPILL_BYTES, so a long pass does not grow it without bound;
 * the spilled bytes are still part of the batch (rule 2).
 *
 * ZeroMQ sinks send one JSON object per message, without the newline, with
 * ZMQ_DONTWAIT: a send that would block returns SIFT_EAGAIN and counts a
 * retry; the document is not sent. errors counts failed I/O (each failure
 * of write, fdatasync, ftruncate or zmq_send, each logged), not documents.
 * SPDX-License-Identifier: MIT
 */
#include "sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <zmq.h>

#include "grow.h"
#include "log.h"

/* Buffered JSONL bytes that go to the kernel before the pass's flush. */
#define SIFT_SINK_SPILL_BYTES (1 << 20)
#define SIFT_SINK_BUF_MIN (64 * 1024) /* first buffer allocation, bytes */

/* Send high-water mark, in messages. A document that zmq_send accepted has
 * left the router's hands (a ZeroMQ sink counts it once sent) but lives
 * only in libzmq's memory until the I/O thread writes it out, and dies with
 * siftd. The HWM bounds that exposure and its memory (256 x 4 KB documents
 * = 1 MB), while leaving libzmq a few milliseconds of messages to batch
 * into each syscall at tens of thousands of documents a second. Past it,
 * PUSH returns EAGAIN and the back-pressure reaches the router and, through
 * the queue limits, the producers. PUB never blocks: past the HWM of a slow
 * subscriber it drops that subscriber's messages, which suits observers
 * that must never hold the pipeline back. */
#define SIFT_SINK_SNDHWM (256)

/* Time, in ms, a closing socket keeps trying to deliver what is queued.
 * Bounded so that a dead peer cannot stall siftd's exit or a reload
 * (the default, -1, makes zmq_ctx_term wait forever); short because
 * nothing relies on it: drain ends on acknowledgements, and libzmq 4.3.4
 * can drop the tail of a stream at close whatever LINGER says. */
#define SIFT_SINK_LINGER_MS (1000)

typedef enum { SINK_JSONL, SINK_PUSH, SINK_PUB } sink_kind;

struct sift_sink {
    sink_kind kind;
    char *name; /* copied from the conf */
    sift_sink_stats stats;

    /* JSONL */
    char *path; /* copied from the conf */
    int fd;
    int is_sync;
    int is_regular;      /* a regular file: it can be cut back (ftruncate) */
    char *buf;           /* lines not yet given to the kernel */
    size_t len, cap;
    off_t batch_start;   /* file size before the batch's first byte; -1: none yet */
    int is_torn;         /* cutting back to batch_start failed; retry first */
    int batch_rc;        /* the batch's failure (rule 2), or 0 */
    uint64_t batch_docs; /* documents in the batch */

    /* ZeroMQ */
    void *sock;
};

/* Count and log one failed I/O operation; returns rc. */
static int io_failed(sift_sink *s, int rc, const char *op)
{
    s->stats.errors++;
    sift_log(SIFT_LOG_ERROR, "sink", "write failed", "sink=%s op=%s rc=%s err=%s", s->name, op,
             sift_err_name(rc), sift_strerror(rc));
    return rc;
}

/* ---------------------------------------------------------------- JSONL */

static int file_open(const char *path, int *is_regular)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    struct stat st;
    *is_regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    return fd;
}

/* Cut the file back to where the batch began (rule 2, 3). Returns 0 or -errno. */
static int batch_cut(sift_sink *s)
{
    if (s->batch_start < 0 || !s->is_regular)
        return 0;
    if (ftruncate(s->fd, s->batch_start) < 0) {
        s->is_torn = 1;
        return io_failed(s, -errno, "ftruncate");
    }
    s->is_torn = 0;
    return 0;
}

/* Fail the batch (rule 2): undo what reached the kernel, forget the rest. */
static int batch_fail(sift_sink *s, int rc, const char *op)
{
    io_failed(s, rc, op);
    s->len = 0;
    if (batch_cut(s) == 0)
        s->batch_start = -1;
    s->batch_rc = rc;
    return rc;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Give the buffered lines to the kernel as part of the batch. */
static int spill(sift_sink *s)
{
    if (s->is_torn) { /* rule 3: nothing goes behind a half line */
        int rc = batch_cut(s);
        if (rc < 0) {
            s->len = 0;
            s->batch_rc = rc;
            return rc;
        }
        s->batch_start = -1;
    }
    if (s->batch_start < 0) {
        off_t end = lseek(s->fd, 0, SEEK_END);
        s->batch_start = end < 0 ? 0 : end; /* not seekable: nothing to cut */
    }
    int rc = write_all(s->fd, s->buf, s->len);
    if (rc < 0)
        return batch_fail(s, rc, "write");
    s->len = 0;
    return 0;
}

static int reserve(sift_sink *s, size_t more)
{
    return sift_grow((void **)&s->buf, &s->cap, s->len + more, 1, SIFT_SINK_BUF_MIN);
}

static int jsonl_write(sift_sink *s, const char *json, size_t len)
{
    if (s->batch_rc < 0)
        return s->batch_rc;
    int needs_nl = len == 0 || json[len - 1] != '\n';
    if (reserve(s, len + 1) < 0)
        return SIFT_ENOMEM;
    memcpy(s->buf + s->len, json, len);
    s->len += len;
    if (needs_nl)
        s->buf[s->len++] = '\n';
    s->batch_docs++;
    return s->len >= SIFT_SINK_SPILL_BYTES ? spill(s) : 0;
}

static int jsonl_flush(sift_sink *s)
{
    int rc = s->batch_rc;
    if (rc == 0 && s->len > 0)
        rc = spill(s);
    if (rc == 0 && s->is_sync && s->batch_start >= 0 && fdatasync(s->fd) < 0)
        rc = batch_fail(s, -errno, "fdatasync"); /* pages may be lost: write all again */
    if (rc == 0) {
        s->stats.written += s->batch_docs;
        s->batch_start = -1;
    }
    s->batch_docs = 0;
    s->batch_rc = 0;
    return rc;
}

static int jsonl_open(sift_sink *s, const sift_sink_conf *conf, sift_err *err)
{
    if (!conf->path || !conf->path[0])
        return sift_err_set(err, SIFT_EINVAL, "sink %s: type jsonl needs a path", s->name);
    if (!(s->path = strdup(conf->path)))
        return SIFT_ENOMEM;
    s->is_sync = conf->is_sync;
    s->batch_start = -1;
    s->fd = file_open(s->path, &s->is_regular);
    if (s->fd < 0)
        return sift_err_set(err, s->fd, "sink %s: cannot open %s: %s", s->name, s->path,
                            sift_strerror(s->fd));
    return 0;
}

/* ---------------------------------------------------------------- ZeroMQ */

static int zmq_setup(sift_sink *s, const sift_sink_conf *conf)
{
    int hwm = SIFT_SINK_SNDHWM, linger = SIFT_SINK_LINGER_MS;
    /* PUSH: attach a pipe only once its connection is up, so with no peer
     * a send returns EAGAIN at once and the document stays with the router
     * (and its spool) instead of queueing in memory for a peer that may
     * never come. */
    int immediate = s->kind == SINK_PUSH;
    if (zmq_setsockopt(s->sock, ZMQ_SNDHWM, &hwm, sizeof hwm) < 0 ||
        zmq_setsockopt(s->sock, ZMQ_LINGER, &linger, sizeof linger) < 0 ||
        zmq_setsockopt(s->sock, ZMQ_IMMEDIATE, &immediate, sizeof immediate) < 0)
        return -errno;
    int rc = conf->is_bind ? zmq_bind(s->sock, conf->endpoint) : zmq_connect(s->sock, conf->endpoint);
    return rc < 0 ? -errno : 0;
}

static int zsock_open(sift_sink *s, const sift_sink_conf *conf, void *zmq_ctx, sift_err *err)
{
    if (!conf->endpoint || !conf->endpoint[0])
        return sift_err_set(err, SIFT_EINVAL, "sink %s: type %s needs an endpoint", s->name,
                            conf->type);
    if (!zmq_ctx)
        return sift_err_set(err, SIFT_EINVAL, "sink %s: no ZeroMQ context", s->name);
    if (!(s->sock = zmq_socket(zmq_ctx, s->kind == SINK_PUB ? ZMQ_PUB : ZMQ_PUSH)))
        return sift_err_set(err, -errno, "sink %s: cannot create socket: %s", s->name,
                            sift_strerror(-errno));
    int rc = zmq_setup(s, conf);
    if (rc < 0)
        return sift_err_set(err, rc, "sink %s: cannot %s %s: %s", s->name,
                            conf->is_bind ? "bind" : "connect to", conf->endpoint,
                            sift_strerror(rc));
    return 0;
}

static int zsock_write(sift_sink *s, const char *json, size_t len)
{
    size_t n = len > 0 && json[len - 1] == '\n' ? len - 1 : len;
    if (zmq_send(s->sock, json, n, ZMQ_DONTWAIT) >= 0) {
        s->stats.written++;
        return 0;
    }
    if (errno == EAGAIN || errno == EINTR) { /* nothing was sent */
        s->stats.retries++;
        return SIFT_EAGAIN;
    }
    return io_failed(s, -errno, "zmq_send");
}

/* ---------------------------------------------------------------- public */

static int kind_of(const char *type, sink_kind *out)
{
    static const struct { const char *name; sink_kind kind; } kinds[] = {
        {.name = "jsonl", .kind = SINK_JSONL},
        {.name = "zmq_push", .kind = SINK_PUSH},
        {.name = "zmq_pub", .kind = SINK_PUB},
    };
    for (size_t i = 0; type && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(type, kinds[i].name) == 0) {
            *out = kinds[i].kind;
            return 0;
        }
    return SIFT_EINVAL;
}

int sift_sink_open(sift_sink **out, const sift_sink_conf *conf, void *zmq_ctx, sift_err *err)
{
    *out = NULL;
    sift_sink *s = calloc(1, sizeof *s);
    if (!s || !(s->name = strdup(conf->name ? conf->name : "?"))) {
        free(s);
        return sift_err_set(err, SIFT_ENOMEM, "sink %s: out of memory",
                            conf->name ? conf->name : "?");
    }
    s->fd = -1;
    int rc = kind_of(conf->type, &s->kind);
    if (rc < 0)
        sift_err_set(err, rc, "sink %s: type must be one of jsonl, zmq_push, zmq_pub (got \"%s\")",
                     s->name, conf->type ? conf->type : "");
    else if (s->kind == SINK_JSONL)
        rc = jsonl_open(s, conf, err);
    else
        rc = zsock_open(s, conf, zmq_ctx, err);
    if (rc < 0) {
        sift_sink_close(&s);
        return rc;
    }
    *out = s;
    return 0;
}

/* Flushes what is still buffered (a failure is logged) and closes. */
void sift_sink_close(sift_sink **pp)
{
    if (!pp || !*pp)
        return;
    sift_sink *s = *pp;
    if (s->fd >= 0) {
        jsonl_flush(s);
        close(s->fd);
    }
    if (s->sock)
        zmq_close(s->sock);
    free(s->buf);
    free(s->path);
    free(s->name);
    free(s);
    *pp = NULL;
}

int sift_sink_write(sift_sink *s, const char *json, size_t len)
{
    return s->kind == SINK_JSONL ? jsonl_write(s, json, len) : zsock_write(s, json, len);
}

int sift_sink_flush(sift_sink *s)
{
    return s->kind == SINK_JSONL ? jsonl_flush(s) : 0;
}

/* Flushes the batch to the old file first (as sift_sink_flush: on failure
 * none of it is there), then opens path anew and closes the old file. If
 * the new file cannot be opened, the old one stays in use and -errno is
 * returned; otherwise the flush's result. */
int sift_sink_reopen(sift_sink *s)
{
    if (s->kind != SINK_JSONL)
        return 0;
    int rc = jsonl_flush(s);
    int is_regular = 0;
    int fd = file_open(s->path, &is_regular);
    if (fd < 0) {
        sift_log(SIFT_LOG_ERROR, "sink", "reopen failed", "sink=%s path=%s rc=%s err=%s", s->name,
                 s->path, sift_err_name(fd), sift_strerror(fd));
        return fd;
    }
    close(s->fd);
    s->fd = fd;
    s->is_regular = is_regular;
    s->is_torn = 0; /* a half line left in the old file stays there */
    s->batch_start = -1;
    sift_log(SIFT_LOG_INFO, "sink", "file reopened", "sink=%s path=%s", s->name, s->path);
    return rc;
}

const char *sift_sink_name(const sift_sink *s)
{
    return s->name;
}

const sift_sink_stats *sift_sink_get_stats(const sift_sink *s)
{
    return &s->stats;
}
