/* worker.c - a siftd worker process: host one chain of stages, serve the broker.
 *
 * Owns the worker's one DEALER socket and its chain (lib/chain.c, with
 * SIFT_RETRY handed back so the broker retries from its own copy with
 * backoff). Speaks the worker side of SIFTW2 (lib/proto.h): READY with its
 * credit; for each JOB batch it decodes and runs every document and answers
 * one DONE batch of (job id, rc, document, info) entries (lib/batch.h). A
 * document that goes on to a later segment travels back as msgpack; one
 * that is finished here (last segment, dropped or failed) travels as its
 * output JSON line, so the broker never encodes results. The document is
 * empty for a retry or an undecodable input. Heartbeats follow the
 * ZeroMQ guide's Paranoid Pirate worker. It never talks to producers, sinks
 * or the spool, and it does not decide about retries or dead letters (the
 * broker's router.c does).
 *
 *   CONNECTED --JOB--> run batch, DONE --> CONNECTED
 *   CONNECTED --broker silent LIVENESS intervals, a send or receive fails,
 *              or a DONE cannot be packed--> BACKOFF (READY makes the broker
 *              requeue what this worker held)
 *   BACKOFF --sleep MIN..MAX ms, doubling--> new socket, READY --> CONNECTED
 *   any --STOP, SIGTERM/SIGINT, parent gone--> flush chain, exit 0
 * Invariants:
 *  1. The worker holds no document between passes: a JOB is answered
 *     before the next message is read, so a lost socket loses no work the
 *     broker cannot re-send.
 *  2. A document that runs past its deadline ends the worker (SIGALRM, watchdog.h).
 *  3. Anything from the broker counts as liveness; HEARTBEAT goes out only
 *     after an interval in which nothing else was sent.
 * SPDX-License-Identifier: MIT
 */
#include "worker.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "batch.h"
#include "chain.h"
#include "codec.h"
#include "config.h"
#include "json.h"
#include "log.h"
#include "proto.h"
#include "watchdog.h"

#define IDLE_FLUSH_MS (5000) /* flush stage state after this long without work */
#define INFO_MAX (16 + 12 * 64) /* a DONE entry's info: flag, stage index, up to 64 stage times */

static volatile sig_atomic_t stop_signal;

typedef struct worker {
    const sift_worker_opts *o;
    const char *endpoint; /* borrowed from o or conf */
    int credit;
    int pid;
    pid_t ppid; /* parent at start; 1 = nobody to watch */
    sift_config *conf;
    sift_chain *chain;
    sift_watchdog *watchdog; /* per-document deadline: stage_deadline_ms x stages */
    const sift_pipeline_conf *pipeline; /* borrowed from conf */
    int is_last;                        /* the segment ends the pipeline */
    sift_codec_limits lim;
    void *zctx, *sock;
    sift_frames in;
    int64_t heard_ms; /* last message from the broker, or end of our last batch */
    int64_t beat_ms;  /* next HEARTBEAT due */
    int64_t work_ms;  /* end of the last batch */
    int backoff_ms;
    int is_dirty;     /* a batch ran since the last flush */
    int is_broken;    /* the socket failed: reconnect */
    int is_stopped;   /* STOP received */
    int is_fatal;     /* no socket could be made: exit 1 */
    sift_batch_entry jobs[SIFT_BATCH_MAX];    /* the JOB batch read, pointing into in */
    sift_batch_entry results[SIFT_BATCH_MAX]; /* the DONE batch under construction */
    char *encoded[SIFT_BATCH_MAX];             /* results' documents, freed once packed */
    char infos[SIFT_BATCH_MAX][INFO_MAX];
    sift_batch *batch;                         /* DONE batch writer, reused */
} worker;

static void on_signal(int sig) { stop_signal = sig; }

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* No SA_RESTART: a blocking receive returns EINTR and the loop reads the flag. */
static void install_signals(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGALRM, SIG_DFL); /* the deadline: see watchdog.h */
}

static int parent_gone(const worker *w) { return w->ppid != 1 && getppid() != w->ppid; }

static void log_problem(void *ctx, const char *msg)
{
    const worker *w = ctx;
    sift_log(SIFT_LOG_ERROR, "worker", "config problem", "segment=%s pid=%d err=%s",
             w->o->segment, w->pid, msg);
}

/* Load the config and build the segment's chain. Returns 0, or 1 after
 * logging why (the exit status of sift_worker_run). */
static int build_chain(worker *w)
{
    const sift_worker_opts *o = w->o;
    sift_diag diag = {.report = log_problem, .ctx = w};
    sift_err err = {{0}};
    const sift_pipeline_conf *p = NULL;
    int rc = o->config_fd >= 0 ? sift_config_load_fd(&w->conf, o->config_fd, o->config, &diag)
                               : sift_config_load(&w->conf, o->config, &diag);
    if (rc < 0)
        snprintf(err.msg, sizeof err.msg, "%s", diag.first.msg);
    else if (!(p = sift_config_pipeline(w->conf, o->pipeline)))
        snprintf(err.msg, sizeof err.msg, "%s: no pipeline named \"%s\"", o->config, o->pipeline);
    else if ((size_t)o->first + (size_t)o->count > p->n_stages)
        snprintf(err.msg, sizeof err.msg, "%s: pipeline %s has %zu stages, not %d-%d", o->config,
                 o->pipeline, p->n_stages, o->first, o->first + o->count - 1);
    else if (sift_chain_new_from_conf(&w->chain, w->conf, p, (size_t)o->first, (size_t)o->count,
                                      &err) == 0)
        sift_chain_set_retry_inline(w->chain, 0);
    if (w->chain &&
        sift_watchdog_start(&w->watchdog, w->conf->stage_deadline_ms * o->count) == 0) {
        w->pipeline = p;
        w->is_last = (size_t)o->first + (size_t)o->count == p->n_stages;
        return 0;
    }
    if (w->chain)
        snprintf(err.msg, sizeof err.msg, "cannot start the deadline thread");
    sift_log(SIFT_LOG_ERROR, "worker", "chain refused", "segment=%s pid=%d err=%s", o->segment,
             w->pid, err.msg);
    return 1;
}

static int send_parts(worker *w, const sift_part *parts, size_t n)
{
    int rc = sift_frames_send(w->sock, parts, n, 0);
    if (rc < 0) {
        sift_log(SIFT_LOG_WARN, "worker", "send failed", "segment=%s pid=%d rc=%s err=%s",
                 w->o->segment, w->pid, sift_err_name(rc), sift_strerror(rc));
        w->is_broken = 1;
    } else {
        w->beat_ms = now_ms() + SIFT_HEARTBEAT_INTERVAL_MS;
    }
    return rc;
}

static void send_cmd(worker *w, unsigned char cmd)
{
    sift_part p[] = {sift_part_str(SIFT_PROTO_WORKER), sift_part_cmd(&cmd)};
    send_parts(w, p, 2);
}

static void sock_close(worker *w)
{
    if (w->sock)
        zmq_close(w->sock);
    w->sock = NULL;
}

/* A new DEALER to the broker, then READY. Returns 0 or -errno (logged);
 * w->sock is NULL when no socket could be made, set when only READY
 * failed (then is_broken is set and the loop reconnects). */
static int sock_open(worker *w)
{
    /* LINGER 0: the broker re-sends whatever a worker that vanished held, so
     * lingering to deliver a last message would only delay exit. HWMs: the
     * broker sends at most credit JOBs at once, plus heartbeats. SNDTIMEO:
     * a broker that does not read for a liveness period counts as silent.
     * (serve() sets RCVTIMEO before each wait, to when a timer is due.) */
    int linger = 0, hwm = 4 * w->credit + 8;
    int sndtimeo = SIFT_HEARTBEAT_LIVENESS * SIFT_HEARTBEAT_INTERVAL_MS;
    w->sock = zmq_socket(w->zctx, ZMQ_DEALER);
    if (!w->sock || zmq_setsockopt(w->sock, ZMQ_LINGER, &linger, sizeof linger) < 0 ||
        zmq_setsockopt(w->sock, ZMQ_RCVHWM, &hwm, sizeof hwm) < 0 ||
        zmq_setsockopt(w->sock, ZMQ_SNDHWM, &hwm, sizeof hwm) < 0 ||
        zmq_setsockopt(w->sock, ZMQ_SNDTIMEO, &sndtimeo, sizeof sndtimeo) < 0 ||
        zmq_connect(w->sock, w->endpoint) < 0) {
        int e = errno;
        sift_log(SIFT_LOG_ERROR, "worker", "cannot connect", "segment=%s pid=%d endpoint=%s err=%s",
                 w->o->segment, w->pid, w->endpoint, zmq_strerror(e));
        sock_close(w);
        return -e;
    }
    char credit[16], pid[16];
    snprintf(credit, sizeof credit, "%d", w->credit);
    snprintf(pid, sizeof pid, "%d", w->pid);
    unsigned char cmd = SIFT_W_READY;
    sift_part p[] = {sift_part_str(SIFT_PROTO_WORKER), sift_part_cmd(&cmd),
                     sift_part_str(w->o->segment), sift_part_str(credit), sift_part_str(pid)};
    w->is_broken = 0;
    w->heard_ms = now_ms();
    return send_parts(w, p, 5);
}

/* Index in the pipeline of the stage named name, or -1. */
static int stage_index(const worker *w, const char *name)
{
    for (size_t i = 0; name && i < w->pipeline->n_stages; i++)
        if (strcmp(w->pipeline->stages[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* A DONE entry's info (lib/proto.h): "FINAL STATUS_STAGE US..." for the
 * statistics the broker keeps, so it need not decode the document. */
static void write_info(const worker *w, const sift_doc *d, size_t trace_from, int final,
                       char *out)
{
    int64_t us[64];
    int n = w->o->count < 64 ? w->o->count : 64;
    for (int i = 0; i < n; i++)
        us[i] = -1;
    for (size_t t = trace_from; t < d->n_trace; t++) {
        int k = stage_index(w, d->trace[t].stage) - w->o->first;
        if (k >= 0 && k < n)
            us[k] = d->trace[t].us;
    }
    int len = snprintf(out, INFO_MAX, "%d %d", final,
                       d->state == SIFT_DOC_OK ? -1 : stage_index(w, d->status_stage));
    for (int i = 0; i < n && len > 0 && len < INFO_MAX; i++)
        len += snprintf(out + len, (size_t)(INFO_MAX - len), " %lld", (long long)us[i]);
}

/* Run one document; fills *enc (caller frees) unless the result is a retry
 * or the input was undecodable: msgpack when a later segment takes it on,
 * its output JSON line when it is finished here. Returns the chain's rc. */
static int run_doc(worker *w, uint64_t job, uint32_t attempt, const void *buf, size_t len,
                   char **enc, size_t *enc_len, char *info)
{
    sift_doc *d = NULL;
    sift_err err = {{0}};
    snprintf(info, INFO_MAX, "0 -1");
    int rc = sift_codec_decode(buf, len, &w->lim, &d, &err);
    if (rc < 0) {
        sift_log(SIFT_LOG_WARN, "worker", "document undecodable",
                 "segment=%s pid=%d job=%llu bytes=%zu err=%s", w->o->segment, w->pid,
                 (unsigned long long)job, len, err.msg);
        return SIFT_EINVAL;
    }
    size_t trace_from = d->n_trace;
    sift_watchdog_enter(w->watchdog);
    rc = sift_chain_run(w->chain, d);
    sift_watchdog_leave(w->watchdog);
    int final = rc != SIFT_RETRY && (rc != SIFT_OK || w->is_last);
    if (final)
        d->attempt = attempt;
    if (rc != SIFT_RETRY && (final ? sift_json_encode(d, enc, enc_len)
                                   : sift_codec_encode(d, enc, enc_len)) < 0) {
        sift_log(SIFT_LOG_WARN, "worker", "document not encoded", "segment=%s pid=%d doc=%s",
                 w->o->segment, w->pid, d->id);
        rc = SIFT_RETRY; /* out of memory here; the broker still has its copy */
    }
    write_info(w, d, trace_from, final && rc != SIFT_RETRY, info);
    sift_doc_destroy(&d);
    return rc;
}

static void invalid(worker *w, const char *reason)
{
    char tag[17] = "";
    size_t len;
    const void *t = sift_frames_data(&w->in, 0, &len);
    if (t)
        memcpy(tag, t, len < sizeof tag - 1 ? len : sizeof tag - 1);
    sift_log(SIFT_LOG_WARN, "worker", "invalid message",
             "segment=%s pid=%d tag=%s cmd=%d frames=%zu reason=%s", w->o->segment, w->pid, tag,
             sift_frames_cmd(&w->in, 1), w->in.n, reason);
}

/* Pack the batch's results into one DONE and send it; frees their documents. */
static void send_done(worker *w, size_t n, size_t bytes)
{
    static const unsigned char done = SIFT_W_DONE;
    zmq_msg_t packed;
    sift_batch_begin(w->batch, SIFT_BATCH_DONE, n, bytes); /* errors stick: finish reports them */
    for (size_t i = 0; i < n; i++) {
        sift_batch_put(w->batch, &w->results[i]);
        free(w->encoded[i]);
        w->encoded[i] = NULL;
    }
    int rc = sift_batch_finish(w->batch, &packed);
    if (rc == 0) {
        sift_part p[] = {sift_part_str(SIFT_PROTO_WORKER), sift_part_cmd(&done),
                         sift_part_msg(&packed)};
        send_parts(w, p, 3);
        zmq_msg_close(&packed);
        return;
    }
    zmq_msg_close(&packed);
    /* out of memory: unanswered jobs would wait out their deadline, so drop
     * the socket; the READY after the reconnect makes the broker requeue them */
    sift_log(SIFT_LOG_WARN, "worker", "result batch not sent", "segment=%s pid=%d rc=%s",
             w->o->segment, w->pid, sift_err_name(rc));
    w->is_broken = 1;
}

/* JOB [tag][0x02][batch of [job id, attempt, doc]]
 *   -> one DONE [tag][0x03][batch of [job id, rc, doc, info]] */
static void on_job(worker *w)
{
    size_t len, bytes = 0;
    const void *packed = sift_frames_data(&w->in, 2, &len);
    sift_err err = {{0}};
    int n = w->in.n != 3 ? sift_err_set(&err, SIFT_EINVAL, "%zu frames, expected 3", w->in.n)
                         : sift_batch_read(packed, len, SIFT_BATCH_JOB, w->jobs, SIFT_BATCH_MAX,
                                           &err);
    if (n < 0) {
        invalid(w, err.msg);
        return;
    }
    for (int i = 0; i < n; i++) {
        const sift_batch_entry *job = &w->jobs[i];
        sift_batch_entry *out = &w->results[i];
        *out = (sift_batch_entry){.id = job->id, .info = w->infos[i]};
        uint32_t attempt = job->num > 0 && job->num <= UINT32_MAX ? (uint32_t)job->num : 1;
        out->num = run_doc(w, job->id, attempt, job->doc, job->doc_len, &w->encoded[i],
                           &out->doc_len, w->infos[i]);
        out->doc = w->encoded[i]; /* NULL and 0: a retry or an undecodable input */
        out->info_len = strlen(w->infos[i]);
        bytes += out->doc_len + out->info_len;
    }
    send_done(w, (size_t)n, bytes);
    w->heard_ms = w->work_ms = now_ms(); /* busy is not silent: we could not listen */
    w->is_dirty = 1;
}

static void on_message(worker *w)
{
    if (w->in.n < 2 || !sift_frames_is(&w->in, 0, SIFT_PROTO_WORKER)) {
        invalid(w, "unknown tag");
        return;
    }
    switch (sift_frames_cmd(&w->in, 1)) {
    case SIFT_W_JOB: on_job(w); break;
    case SIFT_W_HEARTBEAT: break; /* liveness was noted on receipt */
    case SIFT_W_STOP: w->is_stopped = 1; break;
    default: invalid(w, "unknown command"); break;
    }
}

/* Wait up to wait_ms (ZMQ_RCVTIMEO) for one message and handle it. A
 * blocking receive costs one poll(2) when idle; zmq_poll costs three, and
 * a worker that waits between small batches pays that per batch. Returns
 * 0, or -1 when the context is gone. */
static int receive(worker *w, int wait_ms)
{
    zmq_setsockopt(w->sock, ZMQ_RCVTIMEO, &wait_ms, sizeof wait_ms); /* no system call */
    int rc = sift_frames_recv(w->sock, &w->in, 0);
    if (rc == -EAGAIN || rc == -EINTR)
        return 0;
    if (rc == -ETERM)
        return -1;
    if (rc < 0) {
        sift_log(SIFT_LOG_WARN, "worker", "receive failed", "segment=%s pid=%d err=%s",
                 w->o->segment, w->pid, zmq_strerror(-rc));
        w->is_broken = 1;
        return 0;
    }
    w->heard_ms = now_ms();
    w->backoff_ms = SIFT_RECONNECT_MIN_MS;
    on_message(w);
    sift_frames_close(&w->in);
    return 0;
}

/* Sleep ms in heartbeat-sized slices. Returns -1 early on a signal or when
 * the parent is gone. */
static int pause_ms(const worker *w, int ms)
{
    for (int left = ms; left > 0; left -= SIFT_HEARTBEAT_INTERVAL_MS) {
        if (stop_signal || parent_gone(w))
            return -1;
        int slice = left < SIFT_HEARTBEAT_INTERVAL_MS ? left : SIFT_HEARTBEAT_INTERVAL_MS;
        struct timespec ts = {.tv_sec = slice / 1000, .tv_nsec = (long)(slice % 1000) * 1000000};
        nanosleep(&ts, NULL);
    }
    return stop_signal || parent_gone(w) ? -1 : 0;
}

/* Paranoid Pirate: drop the socket, back off, connect afresh. */
static int reconnect(worker *w)
{
    sock_close(w);
    if (pause_ms(w, w->backoff_ms) < 0)
        return -1;
    if (w->backoff_ms < SIFT_RECONNECT_MAX_MS)
        w->backoff_ms *= 2;
    if (w->backoff_ms > SIFT_RECONNECT_MAX_MS)
        w->backoff_ms = SIFT_RECONNECT_MAX_MS;
    if (sock_open(w) < 0 && !w->sock) {
        w->is_fatal = 1;
        return -1;
    }
    sift_log(SIFT_LOG_INFO, "worker", "reconnected", "segment=%s pid=%d endpoint=%s",
             w->o->segment, w->pid, w->endpoint);
    return 0;
}

/* When tick() next has work: a heartbeat, the broker's liveness limit, the
 * idle flush; and at least every heartbeat interval (is the parent alive?). */
static int64_t next_due_ms(const worker *w, int64_t now)
{
    int64_t due = now + SIFT_HEARTBEAT_INTERVAL_MS;
    int64_t silent = w->heard_ms + SIFT_HEARTBEAT_LIVENESS * SIFT_HEARTBEAT_INTERVAL_MS + 1;
    if (w->beat_ms < due)
        due = w->beat_ms;
    if (silent < due)
        due = silent;
    if (w->is_dirty && w->work_ms + IDLE_FLUSH_MS < due)
        due = w->work_ms + IDLE_FLUSH_MS;
    return due;
}

/* Timers, when next_due_ms says. Returns -1 when the worker should exit. */
static int tick(worker *w)
{
    int64_t now = now_ms();
    if (parent_gone(w)) {
        sift_log(SIFT_LOG_WARN, "worker", "parent gone", "segment=%s pid=%d", w->o->segment,
                 w->pid);
        return -1;
    }
    if (!w->is_broken && now - w->heard_ms > SIFT_HEARTBEAT_LIVENESS * SIFT_HEARTBEAT_INTERVAL_MS) {
        sift_log(SIFT_LOG_WARN, "worker", "broker silent", "segment=%s pid=%d ms=%lld",
                 w->o->segment, w->pid, (long long)(now - w->heard_ms));
        w->is_broken = 1;
    }
    if (w->is_broken)
        return reconnect(w);
    if (now >= w->beat_ms)
        send_cmd(w, SIFT_W_HEARTBEAT);
    if (w->is_dirty && now - w->work_ms >= IDLE_FLUSH_MS) {
        sift_chain_flush(w->chain);
        w->is_dirty = 0;
    }
    return 0;
}

static void serve(worker *w)
{
    while (!w->is_stopped && !stop_signal) {
        int64_t now = now_ms(), due = next_due_ms(w, now);
        if (!w->is_broken && now < due) {
            if (receive(w, (int)(due - now)) < 0)
                return;
        } else if (tick(w) < 0) {
            return;
        }
    }
}

static int check_opts(const sift_worker_opts *o)
{
    const char *bad = NULL;
    if (!o || !o->config || !o->pipeline || !o->segment)
        bad = "config, pipeline and segment are required";
    else if (o->first < 0 || o->count < 1)
        bad = "first must be 0 or more and count 1 or more";
    else if (o->credit < 0 || o->credit > 256)
        bad = "credit must be between 0 and 256";
    if (bad)
        sift_log(SIFT_LOG_ERROR, "worker", "bad options", "segment=%s pid=%d err=%s",
                 o && o->segment ? o->segment : "", (int)getpid(), bad);
    return bad ? -1 : 0;
}

static void shut(worker *w, const char *reason)
{
    if (w->chain)
        sift_chain_flush(w->chain);
    sock_close(w);
    if (w->zctx)
        zmq_ctx_term(w->zctx);
    sift_frames_fini(&w->in);
    sift_batch_destroy(&w->batch);
    sift_watchdog_stop(&w->watchdog);
    sift_chain_destroy(&w->chain);
    sift_config_destroy(&w->conf);
    sift_log(SIFT_LOG_INFO, "worker", "worker stopped", "segment=%s pid=%d reason=%s",
             w->o->segment, w->pid, reason);
    free(w);
}

int sift_worker_run(const sift_worker_opts *o)
{
    if (check_opts(o) < 0)
        return 2;
    worker *w = calloc(1, sizeof *w);
    if (!w)
        return 1;
    *w = (worker){.o = o, .pid = (int)getpid(), .ppid = getppid(),
                  .backoff_ms = SIFT_RECONNECT_MIN_MS};
    install_signals();
    if (build_chain(w) != 0) {
        shut(w, "chain refused");
        return 1;
    }
    if (sift_batch_new(&w->batch) < 0) {
        shut(w, "out of memory");
        return 1;
    }
    w->endpoint = o->endpoint ? o->endpoint : w->conf->backend;
    w->credit = o->credit ? o->credit : (int)w->conf->worker_credit;
    /* Whole-message size is bounded by the broker that accepted it; the
     * text is what the config limits. */
    w->lim = (sift_codec_limits){.max_text = (size_t)w->conf->max_doc_bytes};
    int rc = (w->zctx = zmq_ctx_new()) ? sock_open(w) : -errno;
    if (!w->sock) {
        shut(w, "cannot connect");
        return rc == -EINVAL || rc == -EPROTONOSUPPORT ? 2 : 1;
    }
    sift_log(SIFT_LOG_INFO, "worker", "worker ready",
             "segment=%s pid=%d endpoint=%s credit=%d stages=%zu", o->segment, w->pid, w->endpoint,
             w->credit, sift_chain_len(w->chain));
    serve(w);
    const char *why = w->is_stopped  ? "STOP"
                      : w->is_fatal  ? "cannot connect"
                      : stop_signal  ? (stop_signal == SIGINT ? "SIGINT" : "SIGTERM")
                                     : "parent gone";
    int status = w->is_fatal ? 1 : 0;
    shut(w, why);
    return status;
}
