/* router.c - queue each document for its next segment, hand it to a worker, take it back.
 *
 * Owns the segment queues, the delayed list (retry backoff) and the jobs
 * each worker holds; never touches files (deliver.c) or processes
 * (supervisor.c). Load balancing: every READY worker with free credit gets
 * a batch of up to worker_batch jobs, so a stage's idle workers share the
 * queue and each keeps a few documents in flight to hide latency.
 *
 * Poison documents: when a worker dies holding several jobs, nobody knows
 * which one killed it, so all of them become suspects (their attempt count
 * unchanged) and each suspect is later run alone on an otherwise idle
 * worker. Only a job that dies alone has its attempt raised, so one bad
 * document never takes its batch-mates to the dead-letter sink.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "batch.h"
#include "broker.h"
#include "log.h"

#define RETRY_BASE_MS (100) /* plugin RETRY backoff: 100 ms doubling per attempt */
#define BATCH_BYTES (1 << 20) /* a JOB batch stops growing once it holds this many bytes */

static void queue_push(segment *sg, job *j, int at_front)
{
    j->next = NULL;
    if (!sg->head) {
        sg->head = sg->tail = j;
    } else if (at_front) {
        j->next = sg->head;
        sg->head = j;
    } else {
        sg->tail->next = j;
        sg->tail = j;
    }
    sg->queued++;
}

static job *queue_pop(segment *sg)
{
    job *j = sg->head;
    if (j && !(sg->head = j->next))
        sg->tail = NULL;
    if (j)
        sg->queued--;
    return j;
}

void sift_router_enqueue(broker *b, job *j)
{
    (void)b;
    queue_push(&j->pl->segs[j->seg], j, 0);
}

static void delay(broker *b, job *j, int64_t until)
{
    j->not_before_ms = until;
    j->next = b->delayed;
    b->delayed = j;
}

/* Move jobs whose backoff is over back to their queues. */
static void release_delayed(broker *b, int64_t now)
{
    for (job **pp = &b->delayed; *pp;) {
        job *j = *pp;
        if (j->not_before_ms > now) {
            pp = &j->next;
            continue;
        }
        *pp = j->next;
        queue_push(&j->pl->segs[j->seg], j, 1);
    }
}

/* Count an attempt against j; dead-letter it past the limit, else requeue. */
static void count_attempt(broker *b, job *j, const char *reason, int64_t backoff_ms)
{
    j->attempt++;
    j->pl->segs[j->seg].st.retried++;
    if ((int64_t)j->attempt >= b->cfg->max_attempts) {
        char text[256];
        snprintf(text, sizeof text, "%s (attempt %u of %lld)", reason, j->attempt,
                 (long long)b->cfg->max_attempts);
        sift_deliver_dead(b, j, j->pl->segs[j->seg].label, text);
    } else if (backoff_ms > 0) {
        delay(b, j, sift_now_ms() + backoff_ms);
    } else {
        queue_push(&j->pl->segs[j->seg], j, 1);
    }
}

/* A worker was lost holding j (supervisor.c calls this per held job). */
void sift_router_requeue(broker *b, job *j, const char *reason)
{
    j->deliveries++;
    if (j->is_suspect) /* it was alone: this one is to blame */
        count_attempt(b, j, reason, 0);
    else {
        j->is_suspect = 1;
        queue_push(&j->pl->segs[j->seg], j, 1);
    }
}

/* The held list keeps dispatch order; suspects travel alone. A batch stops
 * at BATCH_BYTES (after its first job), so one message stays a size the
 * worker's socket can take at once. */
static size_t take_batch(broker *b, segment *sg, worker *w, job **batch, size_t *bytes)
{
    size_t room = (size_t)w->credit - w->n_held, n = 0;
    if (room > (size_t)b->cfg->worker_batch)
        room = (size_t)b->cfg->worker_batch;
    *bytes = 0;
    while (n < room && sg->head && (n == 0 || *bytes < BATCH_BYTES)) {
        if (sg->head->is_suspect && (w->n_held || n))
            break;
        batch[n++] = queue_pop(sg);
        *bytes += batch[n - 1]->len;
        if (batch[n - 1]->is_suspect)
            break;
    }
    return n;
}

/* JOB [ident][tag][0x02][batch of [job id, attempt, doc]] */
static int send_batch(broker *b, worker *w, job **batch, size_t n, size_t bytes)
{
    static const unsigned char cmd = SIFT_W_JOB;
    zmq_msg_t packed;
    sift_batch_begin(b->batch, SIFT_BATCH_JOB, n, bytes); /* errors stick: finish reports them */
    for (size_t i = 0; i < n; i++) {
        sift_batch_entry e = {.id = batch[i]->id, .num = batch[i]->deliveries + 1,
                              .doc = sift_job_data(batch[i]), .doc_len = batch[i]->len};
        sift_batch_put(b->batch, &e);
    }
    int rc = sift_batch_finish(b->batch, &packed);
    if (rc < 0) {
        zmq_msg_close(&packed);
        return -ENOMEM;
    }
    sift_part parts[] = {sift_part_bytes(w->ident, w->ident_len), sift_part_str(SIFT_PROTO_WORKER),
                         sift_part_cmd(&cmd), sift_part_msg(&packed)};
    rc = sift_frames_send(b->backend, parts, 4, ZMQ_DONTWAIT);
    zmq_msg_close(&packed);
    return rc;
}

static void dispatch_to(broker *b, segment *sg, worker *w, int64_t now)
{
    job *batch[SIFT_BATCH_MAX];
    size_t bytes;
    if (w->state != W_READY || w->is_isolating)
        return;
    size_t n = take_batch(b, sg, w, batch, &bytes);
    if (n == 0)
        return;
    int rc = send_batch(b, w, batch, n, bytes);
    if (rc < 0) { /* EAGAIN (peer HWM) or EHOSTUNREACH (gone): keep the jobs queued */
        for (size_t i = n; i-- > 0;)
            queue_push(sg, batch[i], 1);
        if (rc != -EAGAIN)
            sift_log(SIFT_LOG_WARN, "router", "send failed", "segment=%s err=%s", sg->key, strerror(-rc));
        return;
    }
    if (w->n_held == 0)
        w->progress_ms = now;
    for (size_t i = 0; i < n; i++)
        w->held[w->n_held++] = batch[i];
    w->is_isolating = n == 1 && batch[0]->is_suspect;
    sg->st.dispatched += n;
}

void sift_router_dispatch(broker *b, int64_t now)
{
    release_delayed(b, now);
    for (pipeline *pl = b->pipelines; pl; pl = pl->next)
        for (size_t i = 0; i < pl->n_segs; i++) {
            segment *sg = &pl->segs[i];
            for (int k = 0; k < sg->n_slots && sg->head; k++)
                dispatch_to(b, sg, &sg->slots[k], now);
            for (size_t k = 0; k < sg->n_remotes && sg->head; k++)
                dispatch_to(b, sg, sg->remotes[k], now);
        }
}

static job *take_held(worker *w, uint64_t id)
{
    for (size_t i = 0; i < w->n_held; i++)
        if (w->held[i]->id == id) {
            job *j = w->held[i];
            memmove(&w->held[i], &w->held[i + 1], (w->n_held - i - 1) * sizeof *w->held);
            w->n_held--;
            return j;
        }
    return NULL;
}

/* Stage statistics from a DONE entry's info, "FINAL STATUS_STAGE US..." (lib/proto.h).
 * Returns FINAL: the entry's document is the finished output line. */
static int take_stats(segment *sg, int64_t rc, const void *info, size_t len)
{
    char text[1024], *p = text, *end;
    if (len >= sizeof text)
        return 0;
    memcpy(text, info, len);
    text[len] = '\0';
    long final = strtol(p, &end, 10), k = strtol(end, &end, 10);
    sift_stage_stats *st = sg->pl->stage_st;
    if (k >= 0 && (size_t)k < sg->pl->n_stages && rc == SIFT_DROP)
        st[k].dropped++;
    else if (k >= 0 && (size_t)k < sg->pl->n_stages && rc < 0 && rc != SIFT_RETRY)
        st[k].failed++;
    for (int i = 0; i < sg->count && *end; i++) {
        p = end;
        long long us = strtoll(p, &end, 10);
        if (end == p)
            break;
        if (us >= 0) {
            st[sg->first + i].processed++;
            sift_hist_add(&st[sg->first + i].time_us, us);
        }
    }
    return final == 1;
}

/* The worker's verdict on j, e: its result document is copied out of the
 * batch (msgpack for a later segment, or its output line when is_final). */
static void on_result(broker *b, job *j, const sift_batch_entry *e, int is_final)
{
    segment *sg = &j->pl->segs[j->seg];
    sg->st.done++;
    j->is_suspect = 0;
    if (e->num == SIFT_RETRY) {
        count_attempt(b, j, "EAGAIN: stage asked to retry",
                      RETRY_BASE_MS << (j->attempt < 8 ? j->attempt : 8));
        return;
    }
    if (e->doc_len == 0) {
        sift_deliver_dead(b, j, sg->label, "worker returned no document (it could not decode it)");
        return;
    }
    if (sift_job_copy_in(b, j, e->doc, e->doc_len, is_final) < 0) {
        /* the broker's shortage is not the document's fault: no attempt counted */
        delay(b, j, sift_now_ms() + RETRY_BASE_MS);
        return;
    }
    if (e->num < 0) {
        sift_deliver_dead(b, j, NULL, NULL); /* the output line carries its failed status */
        return;
    }
    if (!is_final) {
        if (e->num != SIFT_OK || j->seg + 1 >= j->pl->n_segs) {
            sift_deliver_dead(b, j, sg->label, "worker did not finish a document that ended here");
            return;
        }
        j->seg++;
        j->attempt = 0;
        /* record the progress; if the spool is full it keeps the earlier
         * segment's state, and a restart merely redoes that segment */
        sift_job_persist(b, j);
        queue_push(&j->pl->segs[j->seg], j, 0);
        return;
    }
    sift_deliver_done(b, j); /* last segment, or dropped */
}

/* DONE [ident][tag][cmd][batch of [job id, rc, doc, info]] */
static void on_done(broker *b, worker *w, sift_frames *f)
{
    size_t len;
    const void *packed = sift_frames_data(f, 3, &len);
    sift_err err = {{0}};
    int n = f->n != 4 ? sift_err_set(&err, SIFT_EINVAL, "%zu frames, expected 4", f->n)
                      : sift_batch_read(packed, len, SIFT_BATCH_DONE, b->entries, SIFT_BATCH_MAX,
                                        &err);
    if (n < 0) { /* later DONEs would keep its deadline from firing: refuse the worker now */
        char why[SIFT_ERR_MAX + 32];
        snprintf(why, sizeof why, "unreadable DONE: %s", err.msg);
        sift_supervisor_refuse(b, w, why);
        return;
    }
    w->progress_ms = sift_now_ms();
    w->is_isolating = 0;
    for (int i = 0; i < n; i++) {
        const sift_batch_entry *e = &b->entries[i];
        job *j = take_held(w, e->id);
        if (!j) {
            sift_log(SIFT_LOG_WARN, "router", "unknown job", "segment=%s job=%llu", w->seg->key,
                     (unsigned long long)e->id);
            continue;
        }
        int is_final = take_stats(&j->pl->segs[j->seg], e->num, e->info, e->info_len);
        on_result(b, j, e, is_final);
    }
    /* refill it now: a worker should not wait out the rest of the pass */
    dispatch_to(b, w->seg, w, w->progress_ms);
}

void sift_router_on_backend(broker *b, sift_frames *f)
{
    int cmd = sift_frames_cmd(f, 2);
    if (f->n < 3 || !sift_frames_is(f, 1, SIFT_PROTO_WORKER) || cmd < 0) {
        sift_log(SIFT_LOG_WARN, "router", "invalid message", "frames=%zu", f->n);
        return;
    }
    if (cmd == SIFT_W_READY) {
        sift_supervisor_on_ready(b, f);
        return;
    }
    size_t ilen;
    const void *ident = sift_frames_data(f, 0, &ilen);
    worker *w = sift_supervisor_find(b, ident, ilen);
    if (!w) {
        sift_log(SIFT_LOG_DEBUG, "router", "message from unknown worker", "cmd=%s",
                 sift_proto_cmd_name(SIFT_PROTO_WORKER, cmd));
        return;
    }
    w->last_seen_ms = sift_now_ms();
    if (cmd == SIFT_W_DONE)
        on_done(b, w, f);
    else if (cmd != SIFT_W_HEARTBEAT)
        sift_log(SIFT_LOG_WARN, "router", "invalid message", "cmd=%d segment=%s", cmd, w->seg->key);
}

static void heartbeat_one(broker *b, worker *w)
{
    static const unsigned char cmd = SIFT_W_HEARTBEAT;
    if (w->state != W_READY || !w->ident_len)
        return;
    sift_part parts[] = {sift_part_bytes(w->ident, w->ident_len), sift_part_str(SIFT_PROTO_WORKER), sift_part_cmd(&cmd)};
    sift_frames_send(b->backend, parts, 3, ZMQ_DONTWAIT);
}

void sift_router_heartbeat(broker *b, int64_t now)
{
    if (now < b->next_heartbeat_ms)
        return;
    b->next_heartbeat_ms = now + SIFT_HEARTBEAT_INTERVAL_MS;
    for (pipeline *pl = b->pipelines; pl; pl = pl->next)
        for (size_t i = 0; i < pl->n_segs; i++) {
            for (int k = 0; k < pl->segs[i].n_slots; k++)
                heartbeat_one(b, &pl->segs[i].slots[k]);
            for (size_t k = 0; k < pl->segs[i].n_remotes; k++)
                heartbeat_one(b, pl->segs[i].remotes[k]);
        }
}

int64_t sift_router_next_ms(broker *b)
{
    int64_t next = b->next_heartbeat_ms;
    for (const job *j = b->delayed; j; j = j->next)
        if (j->not_before_ms < next)
            next = j->not_before_ms;
    return next;
}
