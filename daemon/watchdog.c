/* watchdog.c - a worker's per-document deadline, kept by a thread (watchdog.h).
 *
 * Why a thread and not setitimer: arming and disarming a timer is two
 * system calls per document, which on these virtual machines cost about a
 * tenth of a no-op worker's time. Here the worker thread only stores the
 * start time; the watchdog reads it. Invariants: started_ms is 0 while no
 * document runs; the watchdog thread blocks every signal, so SIGTERM and
 * SIGINT still reach the worker's own thread.
 * SPDX-License-Identifier: MIT
 */
#include "watchdog.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "err.h"

#define SLICE_MAX_MS (100)

struct sift_watchdog {
    pthread_t thread;
    int64_t deadline_ms, slice_ms;
    _Atomic int64_t started_ms; /* monotonic; 0: idle */
    atomic_int is_stopping;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *watch(void *arg)
{
    sift_watchdog *w = arg;
    struct timespec slice = {.tv_sec = (time_t)(w->slice_ms / 1000),
                             .tv_nsec = (long)(w->slice_ms % 1000) * 1000000};
    while (!atomic_load(&w->is_stopping)) {
        nanosleep(&slice, NULL);
        int64_t t = atomic_load(&w->started_ms);
        if (t && mono_ms() - t > w->deadline_ms) {
            /* unblocked for this one signal: its default action ends the process */
            sigset_t alrm;
            sigemptyset(&alrm);
            sigaddset(&alrm, SIGALRM);
            signal(SIGALRM, SIG_DFL);
            pthread_sigmask(SIG_UNBLOCK, &alrm, NULL);
            raise(SIGALRM);
        }
    }
    return NULL;
}

int sift_watchdog_start(sift_watchdog **out, int64_t deadline_ms)
{
    sift_watchdog *w = calloc(1, sizeof *w);
    if (!w)
        return SIFT_ENOMEM;
    w->deadline_ms = deadline_ms > 0 ? deadline_ms : 1;
    w->slice_ms = w->deadline_ms / 10 > SLICE_MAX_MS ? SLICE_MAX_MS : w->deadline_ms / 10 + 1;
    atomic_init(&w->started_ms, 0);
    atomic_init(&w->is_stopping, 0);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old); /* the thread inherits this mask */
    int rc = pthread_create(&w->thread, NULL, watch, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        free(w);
        return -rc;
    }
    *out = w;
    return 0;
}

void sift_watchdog_enter(sift_watchdog *w) { atomic_store(&w->started_ms, mono_ms()); }

void sift_watchdog_leave(sift_watchdog *w) { atomic_store(&w->started_ms, 0); }

void sift_watchdog_stop(sift_watchdog **pw)
{
    sift_watchdog *w = pw ? *pw : NULL;
    if (!w)
        return;
    atomic_store(&w->is_stopping, 1);
    pthread_join(w->thread, NULL);
    free(w);
    *pw = NULL;
}
