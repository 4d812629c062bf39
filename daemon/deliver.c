/* deliver.c - the end of a document's life in siftd: sinks, dead letters, statistics.
 *
 * A finished document (ok, or dropped by a stage) goes to every sink of its
 * pipeline and to the tail PUB socket; a failed one, or one out of
 * attempts, goes to the dead-letter sink with the stage and the reason. A
 * sink that would block keeps the document on the pending list, which is
 * retried every pass, so a slow sink holds documents in siftd (and so
 * pushes back on producers through the queue limits) instead of losing them.
 * The output line is the worker's (it encodes what finishes in it); the
 * broker encodes only the documents it gives up on itself: out of attempts,
 * held by a lost worker, or unfinished at a drain timeout.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "broker.h"
#include "codec.h"
#include "json.h"
#include "log.h"

#define TAIL_BIT (1u << 31)

/* Write j's output line to the sinks still owed it; returns 1 when none is owed. */
static int write_sinks(broker *b, job *j)
{
    for (size_t i = 0; i < b->n_sinks && i < 31; i++) {
        if (!(j->sinks_left & (1u << i)))
            continue;
        int rc = sift_sink_write(b->sinks[i], sift_job_data(j), j->len);
        if (rc < 0)
            continue; /* EAGAIN or a failed batch: kept, tried again next pass */
        j->sinks_left &= ~(1u << i);
        j->sinks_unflushed |= 1u << i;
        b->is_sinks_dirty = 1;
    }
    if (j->sinks_left & TAIL_BIT) {
        /* tail is best effort: a slow `sift tail` must never hold documents */
        zmq_send(b->tail, sift_job_data(j), j->len ? j->len - 1 : 0, ZMQ_DONTWAIT);
        j->sinks_left &= ~TAIL_BIT;
    }
    return j->sinks_left == 0;
}

static void push_pending(broker *b, job *j)
{
    j->next = NULL;
    if (b->pending_tail)
        b->pending_tail->next = j;
    else
        b->pending_head = j;
    b->pending_tail = j;
}

/* Written everywhere: wait for the flushes before freeing (a failed flush
 * means the sink lost the whole batch, see sink.h). */
static void park(broker *b, job *j)
{
    if (!j->sinks_unflushed) {
        sift_job_free(b, j);
        return;
    }
    j->next = b->unflushed;
    b->unflushed = j;
}

void sift_deliver_flush(broker *b)
{
    if (!b->is_sinks_dirty)
        return;
    uint32_t failed = 0;
    for (size_t i = 0; i < b->n_sinks; i++)
        if (sift_sink_flush(b->sinks[i]) < 0)
            failed |= 1u << i;
    b->is_sinks_dirty = 0;
    job *j = b->unflushed;
    b->unflushed = NULL;
    while (j) {
        job *next = j->next;
        j->sinks_left |= j->sinks_unflushed & failed;
        j->sinks_unflushed = 0;
        if (j->sinks_left)
            push_pending(b, j);
        else
            sift_job_free(b, j);
        j = next;
    }
}

static void finish(broker *b, job *j, uint32_t sinks)
{
    sift_hist_add(&b->ingest_st.latency_us, (sift_now_ms() - j->accepted_ms) * 1000);
    j->sinks_left = sinks | (b->tail ? TAIL_BIT : 0);
    if (write_sinks(b, j))
        park(b, j);
    else
        push_pending(b, j);
}

void sift_deliver_done(broker *b, job *j)
{
    uint32_t sinks = 0;
    for (size_t i = 0; i < j->pl->n_sinks; i++)
        sinks |= 1u << j->pl->sinks[i];
    b->ingest_st.delivered++;
    finish(b, j, sinks);
}

/* The broker's own verdict on j: its last input with a failed status, as an
 * output line in j's body (replacing its msgpack). */
static int encode_verdict(broker *b, job *j, const char *stage, const char *reason)
{
    sift_codec_limits lim = {0};
    sift_doc *d = NULL;
    sift_err err = {{0}};
    if (sift_codec_decode(sift_job_data(j), j->len, &lim, &d, &err) < 0) {
        sift_log(SIFT_LOG_ERROR, "router", "document undecodable", "doc=%s err=%s", j->doc_id, err.msg);
        if (sift_doc_new(&d, j->doc_id, strlen(j->doc_id), NULL, 0, "", 0, NULL) < 0)
            return SIFT_ENOMEM;
    }
    sift_doc_set_status(d, SIFT_DOC_FAILED, stage ? stage : "siftd", reason);
    d->attempt = j->deliveries + 1;
    char *json = NULL;
    size_t len = 0;
    int rc = sift_json_encode(d, &json, &len);
    sift_doc_destroy(&d);
    return rc < 0 ? rc : sift_job_set_buf(b, j, json, len, 1);
}

/* Log a dead letter with its stage and reason; a worker's verdict is read
 * back from its output line (rare enough to afford the decoding). */
static void log_dead(const job *j, const char *stage, const char *reason)
{
    sift_doc *d = NULL;
    if (!reason && sift_json_decode(sift_job_data(j), j->len, &d, NULL) == 0 && d->status_text) {
        stage = d->status_stage;
        reason = d->status_text;
    }
    sift_log(SIFT_LOG_WARN, "router", "document dead-lettered", "doc=%s stage=%s reason=%s",
             j->doc_id, stage ? stage : "siftd", reason ? reason : "?");
    sift_doc_destroy(&d);
}

/* reason NULL: j's body is the worker's output line, failed by the stage it names. */
void sift_deliver_dead(broker *b, job *j, const char *stage, const char *reason)
{
    j->pl->segs[j->seg].st.dead++;
    b->ingest_st.dead_lettered++;
    if (reason && encode_verdict(b, j, stage, reason) < 0) {
        sift_log(SIFT_LOG_ERROR, "sink", "encode failed", "doc=%s", j->doc_id);
        sift_job_free(b, j);
        return;
    }
    log_dead(j, stage, reason);
    if (b->dead_sink == (size_t)-1)
        sift_log(SIFT_LOG_ERROR, "router", "no dead_letter sink configured", "doc=%s", j->doc_id);
    finish(b, j, b->dead_sink == (size_t)-1 ? 0 : 1u << b->dead_sink);
}

void sift_deliver_pending(broker *b)
{
    job *j = b->pending_head;
    b->pending_head = b->pending_tail = NULL;
    while (j) {
        job *next = j->next;
        if (write_sinks(b, j))
            park(b, j);
        else
            push_pending(b, j);
        j = next;
    }
}
