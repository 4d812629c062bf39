/* batch.h - the one-frame batch that JOB and DONE messages carry (lib/proto.h).
 *
 * Why one frame and not a frame per field: libzmq 4.3 sends and receives
 * frames smaller than its 8 KB I/O buffer through that buffer, one system
 * call per 8 KB, while a frame larger than the buffer goes to and from the
 * kernel in one call, from and into its own bytes. Sixteen 4 KB documents as
 * 48 frames cost the broker's I/O thread about eight read and eight write
 * calls; as one 64 KB frame, one of each. That is the broker's largest cost
 * per document (bench/daemon_bench.sh), and ZMQ_IN/OUT_BATCH_SIZE, which
 * would raise the buffer, are draft options Debian's libzmq lacks.
 *
 * The frame is a msgpack array of entries, each an array:
 *   JOB entry   [job id (uint), attempt (uint), document (bin)]
 *   DONE entry  [job id (uint), rc (int), document (bin), info (str)]
 * Reading runs the codec's structural check first (codec.h), so lengths
 * that lie about the bytes behind them are refused before msgpack-c
 * allocates anything.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_BATCH_H
#define SIFT_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SIFT_BATCH_MAX (256) /* entries in one batch: limits.worker_batch's upper bound */

/* Fields of an entry: a JOB entry has 3, a DONE entry 4. */
enum { SIFT_BATCH_JOB = 3, SIFT_BATCH_DONE = 4 };

typedef struct sift_batch_entry {
    uint64_t id;     /* job id */
    int64_t num;     /* JOB: attempt; DONE: the chain's rc */
    const char *doc; /* borrowed: into the frame read, or from the caller when writing */
    size_t doc_len;
    const char *info; /* DONE only; borrowed likewise */
    size_t info_len;
} sift_batch_entry;

/* A batch under construction. Opaque. */
typedef struct sift_batch sift_batch;

/* Returns 0 or SIFT_ENOMEM. Free with sift_batch_destroy (NULL-safe, sets *b NULL). */
int sift_batch_new(sift_batch **out);
void sift_batch_destroy(sift_batch **b);

/* Start a batch of n entries of kind (SIFT_BATCH_JOB or SIFT_BATCH_DONE)
 * whose documents and infos add up to about bytes (a size hint). */
int sift_batch_begin(sift_batch *b, int kind, size_t n, size_t bytes);
/* Append e (its bytes are copied). Returns 0 or SIFT_ENOMEM. */
int sift_batch_put(sift_batch *b, const sift_batch_entry *e);
/* Hand the finished batch to msg (a zmq_msg_t, initialised here) without a
 * copy. Returns 0, or SIFT_ENOMEM (msg is then an empty message); either
 * way b is ready for the next sift_batch_begin. */
int sift_batch_finish(sift_batch *b, void *msg);

/* Read the batch in buf[0..len) as entries of kind into e[0..max).
 * Returns the number of entries, or a negative code with err naming what
 * was wrong and at which entry. e's pointers point into buf. */
int sift_batch_read(const void *buf, size_t len, int kind, sift_batch_entry *e, size_t max,
                    sift_err *err);

#endif
