/* ingest.c - producers' PUSH messages: check, accept into a pipeline, or refuse.
 *
 * Every PUSH gets exactly one reply, ACCEPTED with the document's id or
 * REFUSED with a code and a message naming what was wrong (lib/proto.h,
 * docs/protocol.md). The checks, cheapest first: frame shape, tag and
 * command, correlation id, shutting down, pipeline, size, room in siftd's
 * bounded queues, then the document itself (lib/codec.c). An accepted
 * document is re-encoded in full form and queued (router.c).
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "broker.h"
#include "codec.h"
#include "log.h"

#define ENVELOPE_SLACK (65536) /* bytes of id, source and fields allowed beyond the text limit */

static void refuse(broker *b, void *sock, const sift_frames *f, sift_refusal code,
                   const char *fmt, ...) SIFT_PRINTF(5, 6);

static void reply(void *sock, const sift_frames *f, const sift_part *tail, size_t n_tail, int cmd)
{
    unsigned char c = (unsigned char)cmd;
    size_t ilen, clen;
    const void *ident = sift_frames_data(f, 0, &ilen);
    const void *corr = f->n > 3 ? sift_frames_data(f, 3, &clen) : NULL;
    if (!corr || clen > SIFT_PROTO_MAX_CORR)
        corr = "", clen = 0;
    sift_part parts[6] = {{ident, ilen}, sift_part_str(SIFT_PROTO_PRODUCER), sift_part_cmd(&c),
                          {corr, clen}};
    for (size_t i = 0; i < n_tail; i++)
        parts[4 + i] = tail[i];
    /* DONTWAIT: a producer that never reads its replies must not stall the
     * broker; past its HWM (or if it is gone) the reply is dropped. */
    sift_frames_send(sock, parts, 4 + n_tail, ZMQ_DONTWAIT);
}

static void refuse(broker *b, void *sock, const sift_frames *f, sift_refusal code, const char *fmt, ...)
{
    char msg[SIFT_ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    b->ingest_st.refused[code]++;
    sift_log(code == SIFT_REFUSE_OVERLOADED ? SIFT_LOG_DEBUG : SIFT_LOG_WARN, "proto",
             "document refused", "code=%s err=%s", sift_refusal_name(code), msg);
    sift_part tail[] = {sift_part_str(sift_refusal_name(code)), sift_part_str(msg)};
    reply(sock, f, tail, 2, SIFT_P_REFUSED);
}

/* An id for a document that came without one: time-ordered and unique per process. */
static void assign_id(broker *b, sift_doc *d)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char id[64];
    int n = snprintf(id, sizeof id, "%llx-%llu",
                     (unsigned long long)ts.tv_sec * 1000 + (unsigned long long)ts.tv_nsec / 1000000,
                     (unsigned long long)b->next_job_id);
    sift_doc_set_id(d, id, (size_t)n, NULL);
}

static int make_job(broker *b, pipeline *pl, sift_doc *d, job **out)
{
    job *j = calloc(1, sizeof *j);
    if (!j || !(j->doc_id = strdup(d->id)) || sift_codec_encode(d, &j->buf, &j->len) < 0) {
        if (j)
            free(j->doc_id);
        free(j);
        return SIFT_ENOMEM;
    }
    j->id = b->next_job_id++;
    j->pl = pl;
    j->accepted_ms = sift_now_ms();
    pl->n_jobs++;
    b->n_jobs++;
    b->n_bytes += j->len;
    *out = j;
    return 0;
}

/* Shape, tag, command, correlation id. Returns 0 if fit to go on. */
static int check_frames(broker *b, void *sock, const sift_frames *f)
{
    size_t clen = 0;
    if (f->n < 3 || !sift_frames_is(f, 1, SIFT_PROTO_PRODUCER))
        return refuse(b, sock, f, SIFT_REFUSE_MALFORMED, "first frame must be the tag \"%s\"",
                      SIFT_PROTO_PRODUCER), -1;
    if (sift_frames_cmd(f, 2) != SIFT_P_PUSH)
        return refuse(b, sock, f, SIFT_REFUSE_MALFORMED, "second frame must be the one byte 0x01 (PUSH)"), -1;
    if (f->n != 6 || f->truncated)
        return refuse(b, sock, f, SIFT_REFUSE_MALFORMED, "PUSH has %zu frames, expected 5 "
                      "(tag, command, correlation id, pipeline, document)", f->n - 1), -1;
    sift_frames_data(f, 3, &clen);
    if (clen == 0 || clen > SIFT_PROTO_MAX_CORR)
        return refuse(b, sock, f, SIFT_REFUSE_MALFORMED, "correlation id is %zu bytes, must be 1..%d",
                      clen, SIFT_PROTO_MAX_CORR), -1;
    return 0;
}

/* Which pipeline, and is there room for len more bytes? */
static pipeline *check_room(broker *b, void *sock, const sift_frames *f, size_t len)
{
    size_t plen;
    const char *name = sift_frames_data(f, 4, &plen);
    if (plen == 0)
        name = "default", plen = 7;
    if (b->is_draining)
        return refuse(b, sock, f, SIFT_REFUSE_SHUTTING_DOWN, "siftd is shutting down"), NULL;
    pipeline *pl = plen <= SIFT_PROTO_MAX_PIPELINE ? sift_pipeline_find(b, name, plen) : NULL;
    if (!pl)
        return refuse(b, sock, f, SIFT_REFUSE_UNKNOWN_PIPELINE, "no pipeline named \"%.*s\"",
                      (int)(plen > 64 ? 64 : plen), name), NULL;
    if (len > (size_t)b->cfg->max_doc_bytes + ENVELOPE_SLACK)
        return refuse(b, sock, f, SIFT_REFUSE_TOO_LARGE, "document message is %zu bytes, limit %lld "
                      "(max_doc_bytes %lld of text plus %d)", len,
                      (long long)b->cfg->max_doc_bytes + ENVELOPE_SLACK,
                      (long long)b->cfg->max_doc_bytes, ENVELOPE_SLACK), NULL;
    if (b->n_jobs >= (size_t)b->cfg->max_queue_docs ||
        b->n_bytes + len > (size_t)b->cfg->max_queue_bytes)
        return refuse(b, sock, f, SIFT_REFUSE_OVERLOADED, "%zu documents (%zu bytes) in siftd, "
                      "limits %lld and %lld: back off and resend", b->n_jobs, b->n_bytes,
                      (long long)b->cfg->max_queue_docs, (long long)b->cfg->max_queue_bytes), NULL;
    return pl;
}

void sift_ingest_on_message(broker *b, void *sock, const sift_frames *f)
{
    if (check_frames(b, sock, f) < 0)
        return;
    size_t len;
    const char *buf = sift_frames_data(f, 5, &len);
    pipeline *pl = check_room(b, sock, f, len);
    if (!pl)
        return;
    sift_codec_limits lim = {.max_bytes = (size_t)b->cfg->max_doc_bytes + ENVELOPE_SLACK,
                             .max_text = (size_t)b->cfg->max_doc_bytes};
    sift_doc *d = NULL;
    sift_err err = {{0}};
    int rc = sift_codec_decode_producer(buf, len, &lim, &d, &err);
    if (rc < 0) {
        refuse(b, sock, f, rc == SIFT_ERANGE ? SIFT_REFUSE_TOO_LARGE : SIFT_REFUSE_MALFORMED,
               "document: %s", err.msg);
        return;
    }
    if (d->id_len == 0)
        assign_id(b, d);
    d->attempt = 1;
    job *j = NULL;
    if (make_job(b, pl, d, &j) < 0) {
        refuse(b, sock, f, SIFT_REFUSE_INTERNAL, "out of memory");
    } else {
        b->ingest_st.accepted++;
        sift_part tail[] = {{d->id, d->id_len}};
        reply(sock, f, tail, 1, SIFT_P_ACCEPTED);
        sift_router_enqueue(b, j);
    }
    sift_doc_destroy(&d);
}
