/* supervisor.c - siftd's worker processes: start, watch, restart, stop.
 *
 * Each segment has n_slots worker slots. A slot's life:
 *
 *   EMPTY --restart_at reached, start_worker--> STARTING --READY--> READY
 *   READY/STARTING --exit, signal, deadline, silence--> EMPTY (+backoff)
 *   READY --retired or shutdown, stop_worker--> STOPPING --exit--> EMPTY
 *
 * Invariants:
 *  1. A slot has a process iff its state is not EMPTY (pid > 0).
 *  2. A lost worker's jobs go back to the router (attempt + 1) before the
 *     slot is reused; restarts back off from SIFT_RECONNECT_MIN_MS doubling
 *     to SIFT_RECONNECT_MAX_MS, reset after a minute of good health.
 *  3. Retired pipelines and a draining siftd start no new workers.
 * Workers are siftd itself re-executed with --worker (worker.c); this file
 * never touches documents except to hand a lost worker's back.
 * SPDX-License-Identifier: MIT
 */
#define _DEFAULT_SOURCE /* closefrom(3), glibc 2.34+: see start_worker */
#include <errno.h>
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

#define HEALTHY_AFTER_MS (60000)  /* a worker up this long resets its backoff */
#define DEADLINE_SLACK_MS (1000)  /* on top of stage_deadline_ms x stages */
#define STOP_GRACE_MS (5000)      /* STOP, then SIGKILL after this */
#define CHILD_CONFIG_FD (3)       /* where a worker finds the config snapshot */

static void start_worker(broker *b, worker *w, int64_t now)
{
    segment *sg = w->seg;
    char first[16], count[16], credit[16], config_fd[16];
    snprintf(config_fd, sizeof config_fd, "%d", CHILD_CONFIG_FD);
    snprintf(first, sizeof first, "%d", sg->first);
    snprintf(count, sizeof count, "%d", sg->count);
    snprintf(credit, sizeof credit, "%lld", (long long)b->cfg->worker_credit);
    pid_t pid = fork();
    if (pid < 0) {
        sift_log(SIFT_LOG_ERROR, "supervisor", "fork failed", "segment=%s err=%s", sg->key,
                 strerror(errno));
        w->restart_at_ms = now + SIFT_RECONNECT_MAX_MS;
        return;
    }
    if (pid == 0) {
        /* Own process group: a terminal's Ctrl-C reaches the broker only,
         * which then drains and stops its workers in order. */
        setpgid(0, 0);
        /* A worker inherits stdio and the config snapshot, nothing else: not
         * the spool's LMDB files, sink files or sockets that were opened
         * without close-on-exec (LMDB's lock file cannot be marked). */
        if (dup2(b->config_fd, CHILD_CONFIG_FD) < 0)
            _exit(127);
        closefrom(CHILD_CONFIG_FD + 1);
        char *argv[] = {"siftd", "--worker", "--config", b->config_file, "--config-fd", config_fd,
                        "--pipeline", sg->pl->name,
                        "--first", first, "--count", count, "--segment", sg->key, "--endpoint",
                        b->backend_endpoint, "--credit", credit, NULL};
        execv(b->self_exe, argv);
        _exit(127);
    }
    w->state = W_STARTING;
    w->pid = pid;
    w->started_ms = w->last_seen_ms = w->progress_ms = now;
    w->kill_reason[0] = '\0';
    w->n_held = 0;
    sift_log(SIFT_LOG_INFO, "supervisor", "worker started", "segment=%s pid=%d", sg->key, (int)pid);
}

static void kill_worker(worker *w, const char *reason)
{
    if (w->pid <= 0 || w->kill_reason[0])
        return;
    snprintf(w->kill_reason, sizeof w->kill_reason, "%s", reason);
    sift_log(SIFT_LOG_WARN, "supervisor", "worker killed", "segment=%s pid=%d reason=%s",
             w->seg->key, (int)w->pid, reason);
    kill(w->pid, SIGKILL);
}

/* Hand back a lost worker's jobs and free the slot (invariant 2). */
void sift_worker_lost(broker *b, worker *w, const char *reason)
{
    for (size_t i = 0; i < w->n_held; i++)
        sift_router_requeue(b, w->held[i], reason);
    w->n_held = 0;
    w->is_isolating = 0;
    w->state = W_EMPTY;
    w->pid = 0;
    w->ident_len = 0;
    int64_t now = sift_now_ms();
    if (now - w->started_ms > HEALTHY_AFTER_MS || w->backoff_ms == 0)
        w->backoff_ms = SIFT_RECONNECT_MIN_MS;
    else if ((w->backoff_ms *= 2) > SIFT_RECONNECT_MAX_MS)
        w->backoff_ms = SIFT_RECONNECT_MAX_MS;
    w->restart_at_ms = now + w->backoff_ms;
    w->seg->st.restarts++;
}

static worker *slot_by_pid(broker *b, pid_t pid)
{
    for (pipeline *pl = b->pipelines; pl; pl = pl->next)
        for (size_t i = 0; i < pl->n_segs; i++)
            for (int k = 0; k < pl->segs[i].n_slots; k++)
                if (pl->segs[i].slots[k].pid == pid)
                    return &pl->segs[i].slots[k];
    return NULL;
}

static const char *signal_name(int sig)
{
    static const struct { int sig; const char *name; } names[] = {
        {SIGSEGV, "SIGSEGV"}, {SIGABRT, "SIGABRT"}, {SIGKILL, "SIGKILL"}, {SIGBUS, "SIGBUS"},
        {SIGFPE, "SIGFPE"},   {SIGILL, "SIGILL"},   {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].sig == sig)
            return names[i].name;
    return NULL;
}

static void exit_reason(const broker *b, int status, const worker *w, char *buf, size_t cap)
{
    if (w->kill_reason[0])
        snprintf(buf, cap, "%s", w->kill_reason);
    else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) /* watchdog.h */
        snprintf(buf, cap, "deadline %lld ms exceeded",
                 (long long)(b->cfg->stage_deadline_ms * w->seg->count));
    else if (WIFSIGNALED(status) && signal_name(WTERMSIG(status)))
        snprintf(buf, cap, "worker killed by %s", signal_name(WTERMSIG(status)));
    else if (WIFSIGNALED(status))
        snprintf(buf, cap, "worker killed by signal %d", WTERMSIG(status));
    else
        snprintf(buf, cap, "worker exited with status %d", WEXITSTATUS(status));
}

void sift_supervisor_reap(broker *b)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        worker *w = slot_by_pid(b, pid);
        if (!w)
            continue;
        char reason[160];
        exit_reason(b, status, w, reason, sizeof reason);
        int expected = w->state == W_STOPPING;
        sift_log(expected ? SIFT_LOG_INFO : SIFT_LOG_WARN, "supervisor",
                 expected ? "worker stopped" : "worker lost", "segment=%s pid=%d reason=%s held=%zu",
                 w->seg->key, (int)pid, reason, w->n_held);
        if (expected)
            w->backoff_ms = 0;
        sift_worker_lost(b, w, reason);
        if (expected)
            w->seg->st.restarts--;
    }
}

static int may_start(const broker *b, const worker *w)
{
    return !b->is_draining && !w->seg->pl->is_retired;
}

/* Idle workers must be heard from; busy ones must make progress. */
static void check_health(broker *b, worker *w, int64_t now)
{
    int64_t silent_ms = (int64_t)SIFT_HEARTBEAT_INTERVAL_MS * SIFT_HEARTBEAT_LIVENESS;
    /* A worker answers once per batch, so progress may legitimately wait
     * for every document it holds. */
    int64_t deadline = b->cfg->stage_deadline_ms * w->seg->count * (int64_t)(w->n_held ? w->n_held : 1) +
                       DEADLINE_SLACK_MS;
    char why[128];
    if (w->n_held && now - w->progress_ms > deadline) {
        snprintf(why, sizeof why, "deadline %lld ms exceeded",
                 (long long)(b->cfg->stage_deadline_ms * w->seg->count));
        kill_worker(w, why);
    } else if (w->state == W_STARTING && now - w->started_ms > silent_ms * 10) {
        kill_worker(w, "no READY from the new worker");
    } else if (w->state == W_READY && !w->n_held && now - w->last_seen_ms > silent_ms) {
        kill_worker(w, "missed heartbeats");
    } else if (w->state == W_STOPPING && now - w->progress_ms > STOP_GRACE_MS) {
        kill_worker(w, "did not stop in time");
    }
}

/* Forget remote worker i of sg; its jobs go back to the queue. */
static void drop_remote(broker *b, segment *sg, size_t i, const char *msg, const char *reason)
{
    worker *w = sg->remotes[i];
    sift_log(SIFT_LOG_WARN, "supervisor", msg, "segment=%s held=%zu reason=%s", sg->key,
             w->n_held, reason);
    for (size_t k = 0; k < w->n_held; k++)
        sift_router_requeue(b, w->held[k], reason);
    free(w->held);
    free(w);
    sg->remotes[i] = sg->remotes[--sg->n_remotes];
}

static void tick_remotes(broker *b, segment *sg, int64_t now)
{
    int64_t silent_ms = (int64_t)SIFT_HEARTBEAT_INTERVAL_MS * SIFT_HEARTBEAT_LIVENESS;
    for (size_t i = 0; i < sg->n_remotes;) {
        worker *w = sg->remotes[i];
        int64_t limit = w->n_held ? b->cfg->stage_deadline_ms * sg->count + DEADLINE_SLACK_MS : silent_ms;
        if (now - (w->n_held ? w->progress_ms : w->last_seen_ms) <= limit)
            i++;
        else
            drop_remote(b, sg, i, "remote worker lost", "remote worker lost");
    }
}

void sift_supervisor_refuse(broker *b, worker *w, const char *reason)
{
    segment *sg = w->seg;
    for (size_t i = 0; w->is_remote && i < sg->n_remotes; i++)
        if (sg->remotes[i] == w) { /* no more work for it: only a new READY brings it back */
            drop_remote(b, sg, i, "remote worker refused", reason);
            return;
        }
    kill_worker(w, reason); /* its jobs come back when it is reaped */
}

void sift_supervisor_tick(broker *b, int64_t now)
{
    for (pipeline *pl = b->pipelines; pl; pl = pl->next)
        for (size_t i = 0; i < pl->n_segs; i++) {
            segment *sg = &pl->segs[i];
            for (int k = 0; k < sg->n_slots; k++) {
                worker *w = &sg->slots[k];
                if (w->state == W_EMPTY && may_start(b, w) && now >= w->restart_at_ms)
                    start_worker(b, w, now);
                else if (w->state != W_EMPTY)
                    check_health(b, w, now);
                if (w->state == W_READY && !may_start(b, w) && !w->n_held && !pl->n_jobs)
                    sift_supervisor_stop(b, w);
            }
            tick_remotes(b, sg, now);
        }
}

int64_t sift_supervisor_next_ms(broker *b)
{
    int64_t next = INT64_MAX;
    for (pipeline *pl = b->pipelines; pl; pl = pl->next)
        for (size_t i = 0; i < pl->n_segs; i++)
            for (int k = 0; k < pl->segs[i].n_slots; k++) {
                const worker *w = &pl->segs[i].slots[k];
                if (w->state == W_EMPTY && may_start(b, w) && w->restart_at_ms < next)
                    next = w->restart_at_ms;
            }
    return next;
}

void sift_supervisor_stop(broker *b, worker *w)
{
    if (w->state != W_READY && w->state != W_STARTING)
        return;
    static const unsigned char stop = SIFT_W_STOP;
    sift_part parts[] = {sift_part_bytes(w->ident, w->ident_len), sift_part_str(SIFT_PROTO_WORKER),
                         sift_part_cmd(&stop)};
    if (w->ident_len)
        sift_frames_send(b->backend, parts, 3, ZMQ_DONTWAIT);
    else if (w->pid > 0)
        kill(w->pid, SIGTERM);
    w->state = W_STOPPING;
    w->progress_ms = sift_now_ms();
}

static int any_process(broker *b)
{
    for (pipeline *pl = b->pipelines; pl; pl = pl->next)
        for (size_t i = 0; i < pl->n_segs; i++)
            for (int k = 0; k < pl->segs[i].n_slots; k++)
                if (pl->segs[i].slots[k].state != W_EMPTY)
                    return 1;
    return 0;
}

void sift_supervisor_stop_all(broker *b)
{
    for (pipeline *pl = b->pipelines; pl; pl = pl->next)
        for (size_t i = 0; i < pl->n_segs; i++)
            for (int k = 0; k < pl->segs[i].n_slots; k++)
                sift_supervisor_stop(b, &pl->segs[i].slots[k]);
    int64_t until = sift_now_ms() + STOP_GRACE_MS;
    while (any_process(b) && sift_now_ms() < until) {
        nanosleep(&(struct timespec){.tv_nsec = 20000000}, NULL); /* shutdown only: the loop has ended */
        sift_supervisor_reap(b);
    }
    for (pipeline *pl = b->pipelines; pl; pl = pl->next)
        for (size_t i = 0; i < pl->n_segs; i++)
            for (int k = 0; k < pl->segs[i].n_slots; k++)
                if (pl->segs[i].slots[k].pid > 0)
                    kill(pl->segs[i].slots[k].pid, SIGKILL);
    while (any_process(b) && waitpid(-1, NULL, 0) > 0)
        sift_supervisor_reap(b);
}

worker *sift_supervisor_find(broker *b, const void *ident, size_t len)
{
    for (pipeline *pl = b->pipelines; pl; pl = pl->next)
        for (size_t i = 0; i < pl->n_segs; i++) {
            segment *sg = &pl->segs[i];
            for (int k = 0; k < sg->n_slots; k++)
                if (sg->slots[k].ident_len == len && memcmp(sg->slots[k].ident, ident, len) == 0)
                    return &sg->slots[k];
            for (size_t k = 0; k < sg->n_remotes; k++)
                if (sg->remotes[k]->ident_len == len && memcmp(sg->remotes[k]->ident, ident, len) == 0)
                    return sg->remotes[k];
        }
    return NULL;
}

static segment *segment_by_key(broker *b, const void *key, size_t len)
{
    for (pipeline *pl = b->pipelines; pl; pl = pl->next)
        for (size_t i = 0; !pl->is_retired && i < pl->n_segs; i++)
            if (strlen(pl->segs[i].key) == len && memcmp(pl->segs[i].key, key, len) == 0)
                return &pl->segs[i];
    return NULL;
}

static worker *adopt_remote(broker *b, const sift_frames *f)
{
    size_t klen;
    const void *key = sift_frames_data(f, 3, &klen);
    segment *sg = segment_by_key(b, key, klen);
    worker *w = sg ? calloc(1, sizeof *w) : NULL;
    worker **grown = w ? realloc(sg->remotes, (sg->n_remotes + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(w);
        sift_log(SIFT_LOG_WARN, "supervisor", "unknown segment", "segment=%.*s", (int)klen,
                 (const char *)key);
        return NULL;
    }
    sg->remotes = grown;
    sg->remotes[sg->n_remotes++] = w;
    w->seg = sg;
    w->is_remote = 1;
    return w;
}

/* READY [ident][tag][cmd][segment][credit][pid] */
void sift_supervisor_on_ready(broker *b, const sift_frames *f)
{
    int64_t credit = sift_frames_num(f, 4), pid = sift_frames_num(f, 5);
    size_t ilen;
    const void *ident = sift_frames_data(f, 0, &ilen);
    if (f->n != 6 || credit < 1 || credit > 1024 || pid < 1 || ilen > sizeof ((worker *)0)->ident) {
        sift_log(SIFT_LOG_WARN, "supervisor", "invalid message", "cmd=READY frames=%zu", f->n);
        return;
    }
    worker *w = slot_by_pid(b, (pid_t)pid);
    if (w && w->state != W_STARTING && w->state != W_READY)
        return;
    if (!w && !(w = sift_supervisor_find(b, ident, ilen)) && !(w = adopt_remote(b, f)))
        return;
    if (w->n_held) /* a reconnect: what it held was lost with the old socket */
        for (size_t i = 0; i < w->n_held; i++)
            sift_router_requeue(b, w->held[i], "worker reconnected");
    w->n_held = 0;
    job **held = realloc(w->held, (size_t)credit * sizeof *held);
    if (!held)
        return;
    w->held = held;
    w->credit = (int)credit;
    memcpy(w->ident, ident, ilen);
    w->ident_len = ilen;
    w->state = W_READY;
    w->last_seen_ms = w->progress_ms = sift_now_ms();
    sift_log(SIFT_LOG_INFO, "supervisor", "worker ready", "segment=%s pid=%d credit=%d",
             w->seg->key, (int)pid, w->credit);
}
