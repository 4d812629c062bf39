/* deliver.c - the end of a document's life in siftd: sinks, dead letters, statistics.
 *
 * A finished document (ok, or dropped by a stage) goes to every sink of its
 * pipeline and to the tail PUB socket; a failed one, or one out of
 * attempts, goes to the dead-letter sink with the stage and the reason. A
 * sink that would block keeps the document on the pending list, which is
 * retried every pass, so a slow sink holds documents in siftd (and so
 * pushes back on producers through the queue limits) instead of losing them.
 * Per-stage statistics are taken here, from the finished document's trace.
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

void sift_job_free(broker *b, job *j)
{
    if (b->spool) /* done with it: its sinks have it, or it was never accepted */
        sift_spool_del(b->spool, j->id);
    b->n_jobs--;
    b->n_bytes -= j->len;
    j->pl->n_jobs--;
    free(j->json);
    free(j->buf);
    free(j->doc_id);
    free(j);
}

static sift_doc *decode_job(broker *b, const job *j)
{
    sift_codec_limits lim = {0};
    sift_doc *d = NULL;
    sift_err err = {{0}};
    if (sift_codec_decode(j->buf, j->len, &lim, &d, &err) < 0) {
        sift_log(SIFT_LOG_ERROR, "router", "result undecodable", "doc=%s err=%s", j->doc_id, err.msg);
        (void)b;
        sift_doc_new(&d, j->doc_id, strlen(j->doc_id), NULL, 0, "", 0, NULL);
    }
    return d;
}

static size_t stage_index(const pipeline *pl, const char *name)
{
    for (size_t i = 0; name && i < pl->n_stages; i++)
        if (strcmp(pl->stage_names[i], name) == 0)
            return i;
    return (size_t)-1;
}

static void take_stats(broker *b, const job *j, const sift_doc *d)
{
    pipeline *pl = j->pl;
    for (size_t i = 0; i < d->n_trace; i++) {
        size_t k = stage_index(pl, d->trace[i].stage);
        if (k != (size_t)-1) {
            pl->stage_st[k].processed++;
            sift_hist_add(&pl->stage_st[k].time_us, d->trace[i].us);
        }
    }
    size_t k = stage_index(pl, d->status_stage);
    if (k != (size_t)-1 && d->state == SIFT_DOC_DROPPED)
        pl->stage_st[k].dropped++;
    else if (k != (size_t)-1 && d->state == SIFT_DOC_FAILED)
        pl->stage_st[k].failed++;
    sift_hist_add(&b->ingest_st.latency_us, (sift_now_ms() - j->accepted_ms) * 1000);
}

/* Write j->json to the sinks still owed it; returns 1 when none is owed. */
static int write_sinks(broker *b, job *j)
{
    for (size_t i = 0; i < b->n_sinks && i < 31; i++) {
        if (!(j->sinks_left & (1u << i)))
            continue;
        int rc = sift_sink_write(b->sinks[i], j->json, j->json_len);
        if (rc < 0)
            continue; /* EAGAIN or a failed batch: kept, tried again next pass */
        j->sinks_left &= ~(1u << i);
        j->sinks_unflushed |= 1u << i;
        b->is_sinks_dirty = 1;
    }
    if (j->sinks_left & TAIL_BIT) {
        /* tail is best effort: a slow `sift tail` must never hold documents */
        zmq_send(b->tail, j->json, j->json_len ? j->json_len - 1 : 0, ZMQ_DONTWAIT);
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

static void finish(broker *b, job *j, sift_doc *d, uint32_t sinks)
{
    take_stats(b, j, d);
    d->attempt = j->deliveries + 1;
    if (sift_json_encode(d, &j->json, &j->json_len) < 0) {
        sift_log(SIFT_LOG_ERROR, "sink", "encode failed", "doc=%s", j->doc_id);
        sift_job_free(b, j);
        return;
    }
    j->sinks_left = sinks | (b->tail ? TAIL_BIT : 0);
    if (write_sinks(b, j))
        park(b, j);
    else
        push_pending(b, j);
}

void sift_deliver_done(broker *b, job *j)
{
    sift_doc *d = decode_job(b, j);
    uint32_t sinks = 0;
    for (size_t i = 0; i < j->pl->n_sinks; i++)
        sinks |= 1u << j->pl->sinks[i];
    b->ingest_st.delivered++;
    finish(b, j, d, sinks);
    sift_doc_destroy(&d);
}

void sift_deliver_dead(broker *b, job *j, const char *stage, const char *reason)
{
    sift_doc *d = decode_job(b, j);
    if (reason)
        sift_doc_set_status(d, SIFT_DOC_FAILED, stage ? stage : "siftd", reason);
    j->pl->segs[j->seg].st.dead++;
    b->ingest_st.dead_lettered++;
    sift_log(SIFT_LOG_WARN, "router", "document dead-lettered", "doc=%s stage=%s reason=%s",
             j->doc_id, d->status_stage ? d->status_stage : "?", d->status_text ? d->status_text : "?");
    if (b->dead_sink == (size_t)-1)
        sift_log(SIFT_LOG_ERROR, "router", "no dead_letter sink configured", "doc=%s", j->doc_id);
    finish(b, j, d, b->dead_sink == (size_t)-1 ? 0 : 1u << b->dead_sink);
    sift_doc_destroy(&d);
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
