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

/* One entry. Read: doc and info point into the frame read, valid until
 * that frame is closed. Written: sift_batch_put copies them. */
typedef struct sift_batch_entry {
    uint64_t id;     /* job id */
    int64_t num;     /* JOB: attempt (>= 0); DONE: the chain's rc */
    const char *doc; /* NULL with doc_len 0: no document (a retry, an undecodable input) */
    size_t doc_len;
    const char *info; /* DONE only */
    size_t info_len;
} sift_batch_entry;

/* A batch writer, reused batch after batch by one thread. Opaque.
 * begin, n x put, finish: an error sticks until the next begin, so a caller
 * may put all n and check only finish. */
typedef struct sift_batch sift_batch;

/* Caller owns *out; free with sift_batch_destroy (NULL-safe, sets *b NULL).
 * Returns 0 or SIFT_ENOMEM. */
int sift_batch_new(sift_batch **out);
void sift_batch_destroy(sift_batch **b);

/* Start a batch of exactly n entries of kind (SIFT_BATCH_JOB or
 * SIFT_BATCH_DONE) whose documents and infos add up to about bytes (a size
 * hint). Returns 0 or SIFT_ENOMEM. */
int sift_batch_begin(sift_batch *b, int kind, size_t n, size_t bytes);
/* Append e (its bytes are copied). Returns 0, the error that stuck, or
 * SIFT_EINVAL past the n entries begin announced. */
int sift_batch_put(sift_batch *b, const sift_batch_entry *e);
/* Hand the batch to msg (a zmq_msg_t, initialised here; the caller closes
 * it) without a copy. Returns 0; or the error that stuck, SIFT_EINVAL when
 * fewer than n entries were put, SIFT_ENOMEM: msg is then an empty message.
 * Either way b is ready for the next sift_batch_begin. */
int sift_batch_finish(sift_batch *b, void *msg);

/* Read the batch in buf[0..len) as entries of kind into e[0..max).
 * Returns the number of entries, or a negative code with err naming what
 * was wrong and at which entry. e's pointers point into buf (borrowed: valid
 * while buf is). No allocation outlives the call. */
int sift_batch_read(const void *buf, size_t len, int kind, sift_batch_entry *e, size_t max,
                    sift_err *err);

#endif
