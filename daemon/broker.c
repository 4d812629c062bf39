/* broker.c - siftd's one event loop: poll the sockets, run the handlers and timers.
 *
 * The loop (the ZeroMQ guide's ppqueue/mdbroker shape): zmq_poll with a
 * timeout equal to the time to the earliest deadline; then backend
 * (workers), ingest (producers), control; then, on every pass, signals,
 * dispatch, timers (heartbeats, deadlines, restarts, retry backoff),
 * pending sink writes and one flush of the sinks. Handlers live in their
 * own files and never block. Signal handlers only set flags: SIGHUP
 * reloads, SIGTERM/SIGINT drain then exit, SIGCHLD reaps workers.
 * Socket set-up and the process's life (start, reload, drain, stop) are
 * here too, since they are the loop's frame; main.c only parses arguments.
 * SPDX-License-Identifier: MIT
 */
#define _XOPEN_SOURCE 700 /* realpath(3), which POSIX 2008 puts in XSI */
#include "siftd.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "broker.h"
#include "log.h"

#define MAX_MSGS_PER_PASS (512) /* per socket, so no socket starves the others */
#define PENDING_RETRY_MS (100)  /* how often a blocked sink is tried again */

static volatile sig_atomic_t got_term, got_hup, got_chld;

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        got_hup = 1;
    else if (sig == SIGCHLD)
        got_chld = 1;
    else
        got_term = 1;
}

static void install_signals(void)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGCHLD};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int64_t sift_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct sockopts {
    int rcvhwm, sndhwm, linger, is_mandatory;
    int64_t max_msg; /* 0 = unlimited */
} sockopts;

/* Options go before bind: connections accepted later inherit them. */
static void *open_socket(broker *b, int type, const char *endpoint, const sockopts *o, sift_err *err)
{
    void *s = zmq_socket(b->ctx, type);
    if (!s) {
        sift_err_set(err, -errno, "cannot create a socket for %s: %s", endpoint, zmq_strerror(errno));
        return NULL;
    }
    zmq_setsockopt(s, ZMQ_LINGER, &o->linger, sizeof o->linger);
    if (o->rcvhwm)
        zmq_setsockopt(s, ZMQ_RCVHWM, &o->rcvhwm, sizeof o->rcvhwm);
    if (o->sndhwm)
        zmq_setsockopt(s, ZMQ_SNDHWM, &o->sndhwm, sizeof o->sndhwm);
    if (o->is_mandatory)
        zmq_setsockopt(s, ZMQ_ROUTER_MANDATORY, &o->is_mandatory, sizeof o->is_mandatory);
    if (o->max_msg)
        zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &o->max_msg, sizeof o->max_msg);
    if (zmq_bind(s, endpoint) != 0) {
        sift_err_set(err, -errno, "cannot bind %s: %s", endpoint, zmq_strerror(errno));
        zmq_close(s);
        return NULL;
    }
    return s;
}

/* Socket options, deliberately:
 *  ingest ROUTER: RCVHWM bounds what a flood can queue in siftd (the rest
 *    waits in the producer's own queue); MAXMSGSIZE makes libzmq drop a
 *    connection whose message could never be accepted, before buffering
 *    it (a frame header claiming gigabytes then costs nothing); replies to
 *    a producer that never reads them are dropped at its SNDHWM instead of
 *    blocking the loop (non-mandatory ROUTER); LINGER 2 s lets the last
 *    replies leave at exit.
 *  backend ROUTER: ROUTER_MANDATORY, so a JOB to a worker that is gone
 *    fails (EHOSTUNREACH) and the jobs stay queued instead of vanishing;
 *    LINGER 0, since workers are stopped before the socket closes.
 *  control ROUTER and tail PUB: LINGER 0; the tail's SNDHWM drops results
 *    for a slow `sift tail` rather than holding memory. */
static int open_sockets(broker *b, sift_err *err)
{
    const sift_config *c = b->cfg;
    const sockopts ingest = {.rcvhwm = 10000, .sndhwm = 10000, .linger = 2000,
                             .max_msg = c->max_doc_bytes + (1 << 20)};
    const sockopts backend = {.rcvhwm = 100000, .sndhwm = 100000, .is_mandatory = 1};
    const sockopts control = {0}, tail = {.sndhwm = 10000};
    if (!(b->ingest = calloc(c->n_ingest, sizeof *b->ingest)))
        return SIFT_ENOMEM;
    for (size_t i = 0; i < c->n_ingest; i++, b->n_ingest++)
        if (!(b->ingest[i] = open_socket(b, ZMQ_ROUTER, c->ingest[i], &ingest, err)))
            return SIFT_EINVAL;
    if (!(b->backend = open_socket(b, ZMQ_ROUTER, c->backend, &backend, err)) ||
        !(b->control = open_socket(b, ZMQ_ROUTER, c->control, &control, err)) ||
        !(b->tail = open_socket(b, ZMQ_PUB, c->tail, &tail, err)))
        return SIFT_EINVAL;
    if (!(b->backend_endpoint = strdup(c->backend)))
        return SIFT_ENOMEM;
    return 0;
}

static int open_sinks(broker *b, sift_err *err)
{
    const sift_config *c = b->cfg;
    b->dead_sink = (size_t)-1;
    if (c->n_sinks > 31)
        return sift_err_set(err, SIFT_ERANGE, "%zu sinks configured, at most 31", c->n_sinks);
    if (!(b->sinks = calloc(c->n_sinks + 1, sizeof *b->sinks)))
        return SIFT_ENOMEM;
    for (size_t i = 0; i < c->n_sinks; i++) {
        int rc = sift_sink_open(&b->sinks[i], &c->sinks[i], b->ctx, err);
        if (rc < 0)
            return rc;
        b->n_sinks++;
        if (c->dead_letter && strcmp(c->dead_letter, c->sinks[i].name) == 0)
            b->dead_sink = i;
    }
    return 0;
}

static int open_spool(broker *b, sift_err *err)
{
    const sift_config *c = b->cfg;
    b->acks_tail = &b->acks;
    if (!c->spool_path[0])
        return 0;
    sift_spool_opts o = {.max_bytes = (size_t)c->spool_max_bytes,
                         .sync = strcmp(c->spool_sync, "full") == 0   ? SIFT_SPOOL_SYNC_FULL
                                 : strcmp(c->spool_sync, "none") == 0 ? SIFT_SPOOL_SYNC_NONE
                                                                      : SIFT_SPOOL_SYNC_META};
    int rc = sift_spool_open(&b->spool, c->spool_path, &o, err);
    if (rc == 0 && (rc = sift_ingest_replay(b)) > 0)
        rc = 0;
    return rc;
}

/* Drain up to MAX_MSGS_PER_PASS messages from sock into handler. */
static void drain_socket(broker *b, void *sock, int which)
{
    for (int n = 0; n < MAX_MSGS_PER_PASS; n++) {
        int rc = sift_frames_recv(sock, &b->frames, ZMQ_DONTWAIT);
        if (rc < 0)
            return;
        if (which == 0)
            sift_router_on_backend(b, &b->frames);
        else if (which == 1)
            sift_ingest_on_message(b, sock, &b->frames);
        else
            sift_control_on_message(b, &b->frames);
        sift_frames_close(&b->frames);
    }
}

static long poll_timeout(broker *b, int64_t now)
{
    int64_t next = sift_router_next_ms(b);
    int64_t s = sift_supervisor_next_ms(b);
    if (s < next)
        next = s;
    if (b->pending_head && now + PENDING_RETRY_MS < next)
        next = now + PENDING_RETRY_MS;
    if (b->is_draining && b->drain_deadline_ms < next)
        next = b->drain_deadline_ms;
    int64_t t = next - now;
    return t < 0 ? 0 : t > 1000 ? 1000 : (long)t;
}

static void handle_flags(broker *b, int64_t now)
{
    if (got_chld) {
        got_chld = 0;
        sift_supervisor_reap(b);
    }
    if (got_hup) {
        got_hup = 0;
        sift_notify_reloading(&b->notify);
        sift_broker_reload(b);
        sift_notify_reloaded(&b->notify);
    }
    if (got_term && !b->is_draining) {
        b->is_draining = 1;
        b->drain_deadline_ms = now + b->cfg->drain_timeout_ms;
        sift_log(SIFT_LOG_INFO, "broker", "draining", "in_siftd=%zu timeout_ms=%lld", b->n_jobs,
                 (long long)b->cfg->drain_timeout_ms);
    }
}

static void one_pass(broker *b, zmq_pollitem_t *items, size_t n_items)
{
    int64_t now = sift_now_ms();
    int rc = zmq_poll(items, (int)n_items, poll_timeout(b, now));
    if (rc < 0 && errno == ETERM)
        got_term = 1;
    if (rc > 0) {
        if (items[0].revents & ZMQ_POLLIN)
            drain_socket(b, b->backend, 0);
        for (size_t i = 0; i < b->n_ingest; i++)
            if (items[2 + i].revents & ZMQ_POLLIN)
                drain_socket(b, b->ingest[i], 1);
        if (items[1].revents & ZMQ_POLLIN)
            drain_socket(b, b->control, 2);
    }
    sift_ingest_commit(b); /* the pass's accepted documents are durable: answer them */
    now = sift_now_ms();
    handle_flags(b, now);
    sift_router_dispatch(b, now);
    sift_supervisor_tick(b, now);
    sift_router_heartbeat(b, now);
    sift_deliver_pending(b);
    sift_deliver_flush(b);
    sift_pipelines_reap_retired(b);
    sift_metrics_publish(b->metrics, b, now);
    sift_notify_publish(&b->notify, b, now);
}

/* SIGTERM past its timeout: what is still inside goes to the dead-letter sink. */
static void abandon_rest(broker *b)
{
    sift_log(SIFT_LOG_WARN, "broker", "drain timeout", "in_siftd=%zu", b->n_jobs);
    for (pipeline *pl = b->pipelines; pl; pl = pl->next)
        for (size_t i = 0; i < pl->n_segs; i++) {
            segment *sg = &pl->segs[i];
            for (int k = 0; k < sg->n_slots; k++) {
                for (size_t h = 0; h < sg->slots[k].n_held; h++)
                    sift_deliver_dead(b, sg->slots[k].held[h], sg->label, "siftd stopped before the document finished");
                sg->slots[k].n_held = 0;
            }
            while (sg->head) {
                job *j = sg->head;
                sg->head = j->next;
                sift_deliver_dead(b, j, sg->label, "siftd stopped before the document finished");
            }
            sg->tail = NULL;
            sg->queued = 0;
        }
    while (b->delayed) {
        job *j = b->delayed;
        b->delayed = j->next;
        sift_deliver_dead(b, j, NULL, "siftd stopped before the document finished");
    }
    sift_deliver_pending(b);
    sift_deliver_flush(b);
}

static int run_loop(broker *b)
{
    size_t n_items = 2 + b->n_ingest;
    zmq_pollitem_t *items = calloc(n_items, sizeof *items);
    if (!items)
        return SIFT_ENOMEM;
    items[0] = (zmq_pollitem_t){.socket = b->backend, .events = ZMQ_POLLIN};
    items[1] = (zmq_pollitem_t){.socket = b->control, .events = ZMQ_POLLIN};
    for (size_t i = 0; i < b->n_ingest; i++)
        items[2 + i] = (zmq_pollitem_t){.socket = b->ingest[i], .events = ZMQ_POLLIN};
    sift_log(SIFT_LOG_INFO, "broker", "ready", "ingest=%s pid=%d", b->cfg->ingest[0], (int)getpid());
    sift_notify_init(&b->notify, b, sift_now_ms());
    while (!(b->is_draining && b->n_jobs == 0)) {
        one_pass(b, items, n_items);
        if (b->is_draining && sift_now_ms() >= b->drain_deadline_ms && b->n_jobs) {
            if (b->spool) /* what is left stays in the spool and resumes at the next start */
                sift_log(SIFT_LOG_WARN, "broker", "drain timeout, rest kept in spool", "in_siftd=%zu", b->n_jobs);
            else
                abandon_rest(b);
            break;
        }
    }
    free(items);
    return 0;
}

static void log_problem(void *ctx, const char *msg)
{
    (void)ctx;
    sift_log(SIFT_LOG_ERROR, "config", "config problem", "err=%s", msg);
}

/* Open every plugin the config names, in a child process: the broker never
 * runs plugin code, not even a constructor. Returns 0 when all load and
 * their options validate; each problem is logged by the child. */
static int check_plugins_in_child(const sift_config *c)
{
    pid_t pid = fork();
    if (pid < 0)
        return -errno;
    if (pid == 0) {
        sift_diag diag = {.report = log_problem};
        _exit(sift_config_check_plugins(c, &diag) < 0 ? 1 : 0);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -errno;
    got_chld = 0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : SIFT_EINVAL;
}

/* Load file from a snapshot of its text (*fd, lib/config_snapshot.c), which
 * the workers started under this config will read; check it. */
static int load_checked(const char *file, sift_config **out, int *fd)
{
    sift_diag diag = {.report = log_problem};
    int rc = sift_config_snapshot(file, fd, &diag);
    if (rc == 0)
        rc = sift_config_load_fd(out, *fd, file, &diag);
    if (rc == 0 && (*out)->n_pipelines == 0) {
        sift_log(SIFT_LOG_ERROR, "config", "config problem", "err=\"%s: no pipelines\"", file);
        rc = SIFT_EINVAL;
    }
    if (rc == 0 && (rc = check_plugins_in_child(*out)) < 0)
        sift_config_destroy(out);
    if (rc < 0 && *fd >= 0) {
        close(*fd);
        *fd = -1;
    }
    return rc;
}

/* The new config is in force: workers started from now on read its text. */
static void adopt_snapshot(broker *b, int fd)
{
    if (b->config_fd >= 0)
        close(b->config_fd);
    b->config_fd = fd;
}

void sift_broker_reload(broker *b)
{
    sift_log(SIFT_LOG_INFO, "broker", "reloading", "file=%s", b->config_file);
    for (size_t i = 0; i < b->n_sinks; i++)
        sift_sink_reopen(b->sinks[i]);
    sift_config *c = NULL;
    int fd = -1;
    if (load_checked(b->config_file, &c, &fd) < 0) {
        sift_log(SIFT_LOG_ERROR, "broker", "reload refused, old config kept", "file=%s", b->config_file);
        return;
    }
    sift_err err = {{0}};
    if (sift_pipelines_build(b, c, &err) < 0) {
        sift_log(SIFT_LOG_ERROR, "broker", "reload refused, old config kept", "file=%s err=%s",
                 b->config_file, err.msg);
        sift_config_destroy(&c);
        close(fd);
        return;
    }
    adopt_snapshot(b, fd);
    if (strcmp(c->backend, b->backend_endpoint) != 0 || strcmp(c->control, b->cfg->control) != 0 ||
        strcmp(c->tail, b->cfg->tail) != 0 || c->n_ingest != b->cfg->n_ingest ||
        !c->dead_letter != !b->cfg->dead_letter ||
        (c->dead_letter && strcmp(c->dead_letter, b->cfg->dead_letter) != 0))
        sift_log(SIFT_LOG_WARN, "broker", "endpoints and dead_letter change only on restart",
                 "file=%s", b->config_file);
    /* Running sinks and workers may still borrow the old config's strings. */
    c->next_old = b->cfg;
    b->cfg = c;
    sift_log(SIFT_LOG_INFO, "broker", "reloaded", "file=%s", b->config_file);
}

/* After the loop: answer what producers sent meanwhile with shutting_down,
 * so a push that reached siftd still gets its one reply. */
static void refuse_leftovers(broker *b)
{
    b->is_draining = 1;
    for (size_t i = 0; i < b->n_ingest; i++)
        drain_socket(b, b->ingest[i], 1);
}

static void broker_close(broker *b)
{
    sift_notify_fini(&b->notify);
    refuse_leftovers(b);
    sift_supervisor_stop_all(b);
    b->is_sinks_dirty = 1;
    sift_deliver_flush(b);
    b->last_commit_ms = INT64_MIN / 2;
    sift_ingest_commit(b); /* the last deletes */
    int had_spool = b->spool != NULL;
    sift_spool_close(&b->spool); /* what is still inside stays on disk */
    if ((b->pending_head || b->unflushed) && !had_spool)
        sift_log(SIFT_LOG_ERROR, "broker", "documents not written at exit", "in_siftd=%zu", b->n_jobs);
    for (size_t i = 0; i < b->n_sinks; i++)
        sift_sink_close(&b->sinks[i]);
    free(b->sinks);
    for (size_t i = 0; i < b->n_ingest; i++)
        zmq_close(b->ingest[i]);
    free(b->ingest);
    void *socks[] = {b->backend, b->control, b->tail};
    for (size_t i = 0; i < 3; i++)
        if (socks[i])
            zmq_close(socks[i]);
    sift_metrics_close(&b->metrics);
    sift_frames_fini(&b->frames);
    job *lists[] = {b->pending_head, b->unflushed};
    for (size_t i = 0; i < 2; i++)
        while (lists[i]) {
            job *j = lists[i];
            lists[i] = j->next;
            sift_job_free(b, j);
        }
    sift_pipelines_free(b);
    if (b->ctx)
        zmq_ctx_term(b->ctx);
    while (b->cfg) {
        sift_config *old = b->cfg->next_old;
        sift_config_destroy(&b->cfg);
        b->cfg = old;
    }
    sift_inflight_destroy(&b->ids);
    sift_batch_destroy(&b->batch);
    if (b->config_fd >= 0)
        close(b->config_fd);
    free(b->self_exe);
    free(b->config_file);
    free(b->backend_endpoint);
}

static int broker_open(broker *b, const char *config_file, sift_err *err)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return sift_err_set(err, -errno, "cannot find my own binary: %s", strerror(errno));
    exe[n] = '\0';
    if (!(b->self_exe = strdup(exe)) || !(b->config_file = realpath(config_file, NULL)))
        return sift_err_set(err, SIFT_ENOENT, "%s: %s", config_file, strerror(errno));
    int fd = -1;
    if (load_checked(b->config_file, &b->cfg, &fd) < 0)
        return sift_err_set(err, SIFT_EINVAL, "%s: invalid config (problems logged above)", config_file);
    adopt_snapshot(b, fd);
    b->started_ms = b->next_heartbeat_ms = sift_now_ms();
    if (sift_inflight_new(&b->ids) < 0 || sift_batch_new(&b->batch) < 0 || !(b->ctx = zmq_ctx_new()))
        return SIFT_ENOMEM;
    int rc = open_sockets(b, err);
    if (rc == 0)
        rc = sift_metrics_open(&b->metrics, b->cfg->metrics, err);
    if (rc == 0)
        rc = open_sinks(b, err);
    if (rc == 0)
        rc = sift_pipelines_build(b, b->cfg, err);
    if (rc == 0)
        rc = open_spool(b, err);
    return rc;
}

int sift_broker_run(const char *config_file)
{
    broker b = {.config_fd = -1};
    sift_err err = {{0}};
    install_signals();
    int rc = broker_open(&b, config_file, &err);
    if (rc == 0)
        rc = run_loop(&b);
    else
        sift_log(SIFT_LOG_ERROR, "broker", "cannot start", "err=%s", err.msg);
    if (rc == 0)
        sift_log(SIFT_LOG_INFO, "broker", "stopping", "delivered=%llu dead_lettered=%llu",
                 (unsigned long long)b.ingest_st.delivered, (unsigned long long)b.ingest_st.dead_lettered);
    broker_close(&b);
    if (rc == 0)
        sift_log(SIFT_LOG_INFO, "broker", "stopped", NULL);
    return rc == 0 ? 0 : 1;
}
