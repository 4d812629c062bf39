/* ingest.c - producers' PUSH messages: check, accept into a pipeline, or refuse.
 *
 * Every PUSH gets exactly one reply, ACCEPTED with the document's id or
 * REFUSED with a code and a message naming what was wrong (lib/proto.h,
 * docs/protocol.md). The checks, cheapest first: frame shape, tag and
 * command, correlation id, shutting down, pipeline, size, room in siftd's
 * bounded queues, then the document itself (lib/codec.c). A document whose
 * id is already inside siftd is a producer's resend: it is answered like the
 * first copy (ACCEPTED once that is durable) and not queued again. An accepted
 * document is re-encoded in full form; with a spool it is written in this
 * pass's transaction and answered and queued (router.c) only once
 * sift_ingest_commit has made the pass durable. Replay at start-up is here
 * too: it is the other way documents enter the broker.
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

static void send_reply(void *sock, const void *ident, size_t ilen, const void *corr, size_t clen,
                       const sift_part *tail, size_t n_tail, int cmd)
{
    unsigned char c = (unsigned char)cmd;
    sift_part parts[6] = {sift_part_bytes(ident, ilen), sift_part_str(SIFT_PROTO_PRODUCER), sift_part_cmd(&c),
                          sift_part_bytes(corr, clen)};
    for (size_t i = 0; i < n_tail; i++)
        parts[4 + i] = tail[i];
    /* DONTWAIT: a producer that never reads its replies must not stall the
     * broker; past its HWM (or if it is gone) the reply is dropped. */
    sift_frames_send(sock, parts, 4 + n_tail, ZMQ_DONTWAIT);
}

static void reply(void *sock, const sift_frames *f, const sift_part *tail, size_t n_tail, int cmd)
{
    size_t ilen, clen;
    const void *ident = sift_frames_data(f, 0, &ilen);
    const void *corr = f->n > 3 ? sift_frames_data(f, 3, &clen) : NULL;
    if (!corr || clen > SIFT_PROTO_MAX_CORR)
        corr = "", clen = 0;
    send_reply(sock, ident, ilen, corr, clen, tail, n_tail, cmd);
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

/* j enters siftd: it counts against the queue limits from now on, and its
 * id marks later copies as resends (a replayed duplicate stays untracked). */
static void count_in(broker *b, job *j, pipeline *pl)
{
    j->pl = pl;
    j->accepted_ms = sift_now_ms();
    pl->n_jobs++;
    b->n_jobs++;
    b->n_bytes += j->len;
    sift_inflight_add(b->ids, j->doc_id, strlen(j->doc_id), j);
}

static int make_job(broker *b, pipeline *pl, sift_doc *d, job **out)
{
    job *j = sift_job_new();
    char *buf = NULL;
    size_t len = 0;
    if (!j || !(j->doc_id = strdup(d->id)) || sift_codec_encode(d, &buf, &len) < 0 ||
        sift_job_set_buf(b, j, buf, len, 0) < 0) {
        if (j)
            sift_job_free(b, j);
        return SIFT_ENOMEM;
    }
    j->id = b->next_job_id++;
    count_in(b, j, pl);
    *out = j;
    return 0;
}

static void answer_accepted(broker *b, void *sock, const sift_frames *f, job *j)
{
    b->ingest_st.accepted++;
    sift_part tail[] = {sift_part_str(j->doc_id)};
    reply(sock, f, tail, 1, SIFT_P_ACCEPTED);
    sift_router_enqueue(b, j);
}

int sift_job_persist(broker *b, const job *j)
{
    if (!b->spool)
        return 0;
    sift_spool_rec r = {.id = j->id, .pipeline = j->pl->name, .pipeline_len = strlen(j->pl->name),
                        .seg = (uint32_t)j->seg, .attempt = j->attempt, .deliveries = j->deliveries,
                        .doc = sift_job_data(j), .doc_len = j->len};
    return sift_spool_put(b->spool, &r);
}

/* An answer due at the next commit, for j (or for a resend of j). */
static ack *ack_new(const sift_frames *f, void *sock, job *j)
{
    size_t ilen, clen;
    const void *ident = sift_frames_data(f, 0, &ilen);
    const void *corr = sift_frames_data(f, 3, &clen);
    ack *a = ilen <= sizeof a->ident ? calloc(1, sizeof *a) : NULL;
    if (!a)
        return NULL;
    a->j = j;
    a->sock = sock;
    memcpy(a->ident, ident, ilen);
    a->ident_len = ilen;
    memcpy(a->corr, corr, clen);
    a->corr_len = clen;
    return a;
}

static void ack_queue(broker *b, ack *a)
{
    *b->acks_tail = a;
    b->acks_tail = &a->next;
}

/* Write j in this pass; answer after the commit (sift_ingest_commit). */
static void spool_then_answer(broker *b, void *sock, const sift_frames *f, job *j)
{
    ack *a = ack_new(f, sock, j);
    int rc = a ? sift_job_persist(b, j) : SIFT_ENOMEM;
    if (rc < 0) {
        free(a);
        sift_job_free(b, j);
        refuse(b, sock, f, rc == SIFT_ENOMEM ? SIFT_REFUSE_INTERNAL : SIFT_REFUSE_OVERLOADED,
               "spool: %s: back off and resend", rc == SIFT_ERANGE ? "full" : sift_strerror(rc));
        return;
    }
    j->is_unanswered = 1;
    ack_queue(b, a);
}

/* A resend of first, a document still inside: the same answer, once first's
 * is due, and no second copy. */
static void answer_resend(broker *b, void *sock, const sift_frames *f, job *first)
{
    sift_log(SIFT_LOG_DEBUG, "proto", "resend of a document inside", "doc=%s", first->doc_id);
    if (!first->is_unanswered) {
        b->ingest_st.accepted++;
        b->ingest_st.resent++;
        sift_part tail[] = {sift_part_str(first->doc_id)};
        reply(sock, f, tail, 1, SIFT_P_ACCEPTED);
        return;
    }
    ack *a = ack_new(f, sock, first);
    if (!a) {
        refuse(b, sock, f, SIFT_REFUSE_INTERNAL, "out of memory");
        return;
    }
    a->is_resend = 1;
    ack_queue(b, a);
}

#define PROGRESS_COMMIT_MS (50) /* progress and deletes alone wait this long for a commit */

void sift_ingest_commit(broker *b)
{
    int64_t now = sift_now_ms();
    /* A pass that accepted nothing only recorded progress and deletes: losing
     * those to a crash merely redoes work, so they are grouped over time and
     * the disk syncs for them at most every PROGRESS_COMMIT_MS. */
    if (!b->spool || (!b->acks && now - b->last_commit_ms < PROGRESS_COMMIT_MS))
        return;
    b->last_commit_ms = now;
    int rc = sift_spool_commit(b->spool);
    /* a resend's ack follows its first copy's, which a failed commit frees:
     * only a successful commit reads a->j of a resend */
    while (b->acks) {
        ack *a = b->acks;
        b->acks = a->next;
        if (rc == 0) {
            sift_part ok[] = {sift_part_str(a->j->doc_id)};
            b->ingest_st.accepted++;
            b->ingest_st.resent += (uint64_t)a->is_resend;
            send_reply(a->sock, a->ident, a->ident_len, a->corr, a->corr_len, ok, 1, SIFT_P_ACCEPTED);
            a->j->is_unanswered = 0;
            if (!a->is_resend)
                sift_router_enqueue(b, a->j);
        } else {
            sift_refusal code = SIFT_REFUSE_OVERLOADED;
            sift_part no[] = {sift_part_str(sift_refusal_name(code)),
                              sift_part_str("spool commit failed: back off and resend")};
            b->ingest_st.refused[code]++;
            send_reply(a->sock, a->ident, a->ident_len, a->corr, a->corr_len, no, 2, SIFT_P_REFUSED);
            if (!a->is_resend)
                sift_job_free(b, a->j);
        }
        free(a);
    }
    b->acks_tail = &b->acks;
}

/* Shape, tag, command, correlation id. Returns 0 if fit to go on. */
static int check_frames(broker *b, void *sock, const sift_frames *f)
{
    size_t clen = 0;
    if (f->n < 2 || !sift_frames_is(f, 1, SIFT_PROTO_PRODUCER))
        return refuse(b, sock, f, SIFT_REFUSE_MALFORMED, "first frame must be the tag \"%s\"",
                      SIFT_PROTO_PRODUCER), -1;
    if (f->n < 3)
        return refuse(b, sock, f, SIFT_REFUSE_MALFORMED, "PUSH has %zu frames, expected 5 "
                      "(tag, command, correlation id, pipeline, document)", f->n - 1), -1;
    if (sift_frames_cmd(f, 2) != SIFT_P_PUSH)
        return refuse(b, sock, f, SIFT_REFUSE_MALFORMED, "second frame must be the one byte 0x01 (PUSH)"), -1;
    if (f->truncated)
        return refuse(b, sock, f, SIFT_REFUSE_MALFORMED, "PUSH has more than %d frames, expected 5 "
                      "(tag, command, correlation id, pipeline, document)", SIFT_PROTO_MAX_FRAMES - 1), -1;
    if (f->n != 6)
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
    job *first = d->id_len ? sift_inflight_find(b->ids, d->id, d->id_len) : NULL;
    if (first) {
        answer_resend(b, sock, f, first);
        sift_doc_destroy(&d);
        return;
    }
    if (d->id_len == 0)
        assign_id(b, d);
    d->attempt = 1;
    job *j = NULL;
    if (make_job(b, pl, d, &j) < 0)
        refuse(b, sock, f, SIFT_REFUSE_INTERNAL, "out of memory");
    else if (!b->spool)
        answer_accepted(b, sock, f, j);
    else
        spool_then_answer(b, sock, f, j);
    sift_doc_destroy(&d);
}

static int replay_one(void *ctx, const sift_spool_rec *r)
{
    broker *b = ctx;
    pipeline *pl = sift_pipeline_find(b, r->pipeline, r->pipeline_len);
    if (!pl) { /* kept in the spool: it runs again if the pipeline comes back */
        sift_log(SIFT_LOG_WARN, "spool", "record for unknown pipeline kept", "job=%llu pipeline=%.*s",
                 (unsigned long long)r->id, (int)r->pipeline_len, r->pipeline);
        return 0;
    }
    job *j = sift_job_new();
    sift_doc *d = NULL;
    sift_codec_limits lim = {0};
    if (!j || sift_codec_decode(r->doc, r->doc_len, &lim, &d, NULL) < 0 ||
        !(j->doc_id = strdup(d->id)) || sift_job_copy_in(b, j, r->doc, r->doc_len, 0) < 0) {
        sift_log(SIFT_LOG_ERROR, "spool", "record unreadable", "job=%llu", (unsigned long long)r->id);
        if (j)
            sift_job_free(b, j);
        sift_doc_destroy(&d);
        return 0;
    }
    sift_doc_destroy(&d);
    j->id = r->id;
    j->seg = r->seg < pl->n_segs ? r->seg : 0; /* the pipeline changed shape: start over */
    j->attempt = r->attempt;
    j->deliveries = r->deliveries + 1;         /* a redelivery: consumers may dedupe by id */
    count_in(b, j, pl);
    sift_router_enqueue(b, j);
    return 0;
}

int sift_ingest_replay(broker *b)
{
    uint64_t next = 0;
    int64_t t0 = sift_now_ms();
    int n = sift_spool_replay(b->spool, replay_one, b);
    if (n < 0 || sift_spool_next_id(b->spool, &next) < 0)
        return n < 0 ? n : SIFT_ESTATE;
    if (next > b->next_job_id)
        b->next_job_id = next;
    sift_log(SIFT_LOG_INFO, "spool", "spool replayed", "records=%d queued=%zu ms=%lld", n, b->n_jobs,
             (long long)(sift_now_ms() - t0));
    return n;
}
