/* stats.h - siftd's counters and latency histograms, and their JSON form.
 *
 * Counters are plain integers bumped by the broker thread; stage times go
 * into log-scale histograms (four buckets per doubling, 1 us to ~1 h) so
 * p50/p99 cost a fixed 80 words per stage and no sorting. This file does
 * not answer requests (control.c) or decide anything.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFTD_STATS_H
#define SIFTD_STATS_H

#include <stdint.h>

#include "proto.h"

#define SIFT_HIST_BUCKETS (128)

typedef struct sift_hist {
    uint64_t n;
    uint64_t b[SIFT_HIST_BUCKETS];
} sift_hist;

void sift_hist_add(sift_hist *h, int64_t us);
/* The q-quantile (0..1) in microseconds, the upper edge of its bucket; 0 when empty. */
int64_t sift_hist_quantile(const sift_hist *h, double q);

typedef struct sift_stage_stats {
    uint64_t processed, dropped, failed;
    sift_hist time_us;
} sift_stage_stats;

typedef struct sift_seg_stats {
    uint64_t dispatched, done, retried, dead, restarts;
} sift_seg_stats;

typedef struct sift_ingest_stats {
    uint64_t accepted;
    uint64_t refused[SIFT_REFUSE_COUNT_];
    uint64_t delivered, dead_lettered;
    uint64_t resent; /* of accepted: a resend of a document still inside, not queued again */
    sift_hist latency_us; /* accept to delivery */
} sift_ingest_stats;

#endif
