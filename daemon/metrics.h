/* metrics.h - siftd's Prometheus endpoint: GET /metrics over HTTP.
 *
 * Optional (`endpoints.metrics`, absent = off); bound once, at start.
 * libmicrohttpd serves it from a thread of its own, so a slow or hostile
 * scraper never reaches the broker's loop. The broker thread renders its counters (the ones `sift
 * stats --json` shows, control.c) as Prometheus text at most every
 * SIFT_METRICS_INTERVAL_MS and swaps the text into a mutex-guarded
 * snapshot; the HTTP thread only copies that snapshot out. The metric
 * names are listed in docs/operations.md. This file decides nothing and
 * touches no socket of the broker's.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFTD_METRICS_H
#define SIFTD_METRICS_H

#include <stdint.h>

#include "err.h"

#define SIFT_METRICS_INTERVAL_MS (500) /* renders at most this often; 250-1000 is reasonable */

typedef struct sift_metrics sift_metrics;
typedef struct broker broker;

/* Bind endpoint ("HOST:PORT" or ":PORT", lib/config.h) and start the HTTP
 * thread. endpoint NULL or "" = off: nothing is bound, but *out is still
 * set, so a reload that asks for an endpoint is noticed (and refused).
 * Broker thread, at start; never blocks. Returns 0, or a negative code
 * (-errno of the bind) with err naming the endpoint. endpoint: copied.
 * Caller owns *out; free with sift_metrics_close(). */
int sift_metrics_open(sift_metrics **out, const char *endpoint, sift_err *err);
/* Stop the HTTP thread (it finishes the requests it is serving), close the
 * socket and free *pp; sets *pp to NULL. Accepts NULL and *pp == NULL. */
void sift_metrics_close(sift_metrics **pp);

/* Render b's counters into the snapshot if the last one is
 * SIFT_METRICS_INTERVAL_MS old, else return at once. Broker thread, every
 * pass; never blocks (the lock guards a struct swap). m may be NULL.
 * b: borrowed for the call. */
void sift_metrics_publish(sift_metrics *m, const broker *b, int64_t now_ms);

#endif
