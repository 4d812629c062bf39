/* notify.h - tell systemd how siftd is doing: sd_notify(3) via libsystemd.
 *
 * The broker reports its life to the service manager (conf/siftd.service,
 * Type=notify): READY=1 once it serves, RELOADING=1 then READY=1 around a
 * SIGHUP reload, STOPPING=1 when draining starts, a STATUS= line (documents
 * inside, delivered per second) when it changed, at most every
 * SIFT_NOTIFY_STATUS_MS, and
 * WATCHDOG=1 every half of WATCHDOG_USEC when the unit sets WatchdogSec=,
 * from the loop itself, so a stuck loop gets siftd restarted. Without
 * NOTIFY_SOCKET (not under systemd) every call does nothing. This file only
 * reports; it decides nothing about the broker's life (broker.c).
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFTD_NOTIFY_H
#define SIFTD_NOTIFY_H

#include <stdint.h>

#define SIFT_NOTIFY_STATUS_MS (1000) /* STATUS= at most this often */

typedef struct broker broker;

typedef struct sift_notify {
    /* private: zero-initialised = not under systemd, every call a no-op */
    int is_enabled;      /* NOTIFY_SOCKET is set */
    int is_stopping;     /* STOPPING=1 sent */
    int64_t watchdog_ms; /* ping interval; 0 = no watchdog */
    int64_t next_watchdog_ms;
    int64_t next_status_ms;
    int64_t rate_since_ms; /* start of the delivered-per-second window */
    uint64_t rate_since_n; /* delivered count then */
    char last_status[256]; /* STATUS= last sent: an unchanged one is not sent again */
} sift_notify;

/* Send READY=1 with a first STATUS= and arm the watchdog pings. Broker
 * thread, once siftd serves (spool replayed, sockets bound). n: caller
 * storage, zero-initialised; b: borrowed for the call. Never fails:
 * sd_notify errors are ignored (siftd serves with or without systemd). */
void sift_notify_init(sift_notify *n, const broker *b, int64_t now_ms);
/* Send STOPPING=1 unless sent already. Broker thread, at exit. Accepts an
 * n that was never initialised. */
void sift_notify_fini(sift_notify *n);

/* Per broker pass: STOPPING=1 when b starts draining, STATUS= when due,
 * WATCHDOG=1 when due; else returns at once. Broker thread; never blocks
 * (a datagram to a local socket). b: borrowed for the call. */
void sift_notify_publish(sift_notify *n, const broker *b, int64_t now_ms);

/* RELOADING=1 before a SIGHUP reload, READY=1 after it (applied or
 * refused alike: siftd serves either way). Broker thread. */
void sift_notify_reloading(sift_notify *n);
void sift_notify_reloaded(sift_notify *n);

#endif
