/* stats.c - log-scale latency histograms for siftd's statistics.
 *
 * Bucket i holds values up to 2^(i/4) microseconds: four buckets per
 * doubling keep quantiles within ~19% at any scale. Counters live in the
 * structs of stats.h; their JSON form is built by control.c.
 * SPDX-License-Identifier: MIT
 */
#include "stats.h"

#include <math.h>

static int bucket_of(int64_t us)
{
    if (us <= 1)
        return 0;
    int i = (int)ceil(4.0 * log2((double)us));
    return i < SIFT_HIST_BUCKETS ? i : SIFT_HIST_BUCKETS - 1;
}

void sift_hist_add(sift_hist *h, int64_t us)
{
    h->b[bucket_of(us)]++;
    h->n++;
}

int64_t sift_hist_quantile(const sift_hist *h, double q)
{
    if (h->n == 0)
        return 0;
    uint64_t want = (uint64_t)ceil(q * (double)h->n), seen = 0;
    if (want == 0)
        want = 1;
    for (int i = 0; i < SIFT_HIST_BUCKETS; i++) {
        seen += h->b[i];
        if (seen >= want)
            return (int64_t)floor(exp2((double)i / 4.0));
    }
    return (int64_t)floor(exp2((double)(SIFT_HIST_BUCKETS - 1) / 4.0));
}
