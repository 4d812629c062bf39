/* watchdog.h - a worker's per-document deadline, kept by a thread of its own.
 *
 * The worker marks where each document starts and ends: an atomic store,
 * no system call, so the deadline costs nothing per document. A thread that
 * wakes every tenth of the deadline (at most every 100 ms) raises SIGALRM
 * when one document has run past it; SIGALRM's default action ends the
 * process, and siftd's supervisor reads that signal as "deadline exceeded".
 * Plugins must leave SIGALRM alone.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFTD_WATCHDOG_H
#define SIFTD_WATCHDOG_H

#include <stdint.h>

typedef struct sift_watchdog sift_watchdog;

/* Start the thread (with every signal blocked in it). deadline_ms > 0.
 * Returns 0 or a negative code. Stop with sift_watchdog_stop. */
int sift_watchdog_start(sift_watchdog **out, int64_t deadline_ms);
void sift_watchdog_enter(sift_watchdog *w); /* a document starts */
void sift_watchdog_leave(sift_watchdog *w); /* it is done */
/* Join the thread and free; *w becomes NULL. NULL is fine. */
void sift_watchdog_stop(sift_watchdog **w);

#endif
