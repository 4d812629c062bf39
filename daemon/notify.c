/* notify.c - siftd's sd_notify(3) messages: readiness, reload, stop, status, watchdog.
 *
 * What is sent, and when (systemd.service(5), sd_notify(3)):
 *   READY=1 + STATUS=      sift_notify_init, and after each reload
 *   RELOADING=1 + MONOTONIC_USEC=   before a reload (the pair systemd 253's
 *                          Type=notify-reload also wants; Type=notify reads
 *                          RELOADING=1 alone)
 *   STOPPING=1 + STATUS=   the first pass that sees draining, or at exit
 *   STATUS=                when changed, at most every SIFT_NOTIFY_STATUS_MS
 *   WATCHDOG=1             every half of WATCHDOG_USEC, from the loop
 * libsystemd does the sending: it reads NOTIFY_SOCKET and returns 0 when
 * it is unset, so all of this is harmless outside systemd; is_enabled
 * only spares the formatting then. Nothing here blocks: a datagram to a
 * local socket, sent with MSG_DONTWAIT by libsystemd.
 * SPDX-License-Identifier: MIT
 */
#include "notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "broker.h"

/* A short STATUS= text for `systemctl status`. */
static void status_text(sift_notify *n, const broker *b, int64_t now, char *buf, size_t cap)
{
    uint64_t delivered = b->ingest_st.delivered;
    int64_t ms = now - n->rate_since_ms;
    double rate = ms > 0 ? (double)(delivered - n->rate_since_n) * 1000.0 / (double)ms : 0.0;
    n->rate_since_ms = now;
    n->rate_since_n = delivered;
    snprintf(buf, cap,
             "%s: %zu documents inside, %.0f docs/s delivered, %llu delivered, %llu dead-lettered",
             b->is_draining ? "draining" : "serving", b->n_jobs, rate,
             (unsigned long long)delivered, (unsigned long long)b->ingest_st.dead_lettered);
}

void sift_notify_init(sift_notify *n, const broker *b, int64_t now_ms)
{
    *n = (sift_notify){.is_enabled = getenv("NOTIFY_SOCKET") != NULL};
    if (!n->is_enabled)
        return;
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        n->watchdog_ms = (int64_t)(usec / 2000);
        if (n->watchdog_ms < 1)
            n->watchdog_ms = 1;
    }
    n->rate_since_ms = now_ms;
    n->rate_since_n = b->ingest_st.delivered;
    n->next_status_ms = now_ms + SIFT_NOTIFY_STATUS_MS;
    status_text(n, b, now_ms, n->last_status, sizeof n->last_status);
    sd_notifyf(0, "READY=1\nSTATUS=%s%s", n->last_status, n->watchdog_ms ? "\nWATCHDOG=1" : "");
    n->next_watchdog_ms = now_ms + n->watchdog_ms;
}

void sift_notify_fini(sift_notify *n)
{
    if (n->is_enabled && !n->is_stopping)
        sd_notify(0, "STOPPING=1\nSTATUS=stopping");
    n->is_stopping = 1;
}

void sift_notify_publish(sift_notify *n, const broker *b, int64_t now_ms)
{
    if (!n->is_enabled)
        return;
    int is_stopping_now = b->is_draining && !n->is_stopping;
    if (is_stopping_now || now_ms >= n->next_status_ms) {
        char status[sizeof n->last_status];
        status_text(n, b, now_ms, status, sizeof status);
        if (is_stopping_now || strcmp(status, n->last_status) != 0)
            sd_notifyf(0, "%sSTATUS=%s", is_stopping_now ? "STOPPING=1\n" : "", status);
        memcpy(n->last_status, status, sizeof status);
        n->is_stopping |= is_stopping_now;
        n->next_status_ms = now_ms + SIFT_NOTIFY_STATUS_MS;
    }
    if (n->watchdog_ms && now_ms >= n->next_watchdog_ms) {
        sd_notify(0, "WATCHDOG=1");
        n->next_watchdog_ms = now_ms + n->watchdog_ms;
    }
}

void sift_notify_reloading(sift_notify *n)
{
    if (!n->is_enabled)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    sd_notifyf(0, "RELOADING=1\nSTATUS=reloading the config\nMONOTONIC_USEC=%llu",
               (unsigned long long)ts.tv_sec * 1000000ULL +
                   (unsigned long long)ts.tv_nsec / 1000ULL);
}

void sift_notify_reloaded(sift_notify *n)
{
    if (!n->is_enabled)
        return;
    sd_notify(0, "READY=1\nSTATUS=reloaded");
    n->last_status[0] = '\0';
    n->next_status_ms = 0; /* the next pass says how it serves */
}
