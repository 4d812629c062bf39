/* sink.h - where finished documents go: JSONL files, ZeroMQ PUSH and PUB.
 *
 * Every sink writes the schema of docs/output.md, one JSON object per
 * document (the JSONL sink one per line; the ZeroMQ sinks one per message).
 * A sink never blocks the broker: a JSONL write is a buffered append
 * flushed once per broker pass (sift_sink_flush); a ZeroMQ send that would
 * block returns SIFT_EAGAIN and the router keeps the document and tries
 * again later. SIGHUP reopens JSONL files (logrotate). The dead-letter sink
 * is an ordinary sink named by `dead_letter` in the config.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_SINK_H
#define SIFT_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "err.h"

typedef struct sift_sink sift_sink;

typedef struct sift_sink_stats {
    uint64_t written; /* documents handed to the file or socket */
    uint64_t errors;  /* failed writes (each logged, rate-limited) */
    uint64_t retries; /* writes that would block and were kept for later */
} sift_sink_stats;

/* Open the sink described by conf. zmq_ctx: borrowed until close (for the
 * ZeroMQ types). Caller owns *out; free with sift_sink_close(). A JSONL
 * file is opened for append and created with 0644 if missing. */
int sift_sink_open(sift_sink **out, const sift_sink_conf *conf, void *zmq_ctx, sift_err *err);
void sift_sink_close(sift_sink **pp);

/* Write one document's JSON (json[0..len), a line ending in '\n'; copied).
 * Returns 0, SIFT_EAGAIN (would block: nothing written, try again later),
 * or a negative code (-errno of the write; counted in errors). */
int sift_sink_write(sift_sink *s, const char *json, size_t len);

/* Push buffered writes to the kernel (and fdatasync them when the sink has
 * `sync = true`). Returns 0 or -errno. On failure none of the lines written
 * since the last successful flush are in the file: write them all again. */
int sift_sink_flush(sift_sink *s);

/* Reopen a JSONL file (after logrotate moved it); no-op for other types. */
int sift_sink_reopen(sift_sink *s);

const char *sift_sink_name(const sift_sink *s); /* borrowed until close */
const sift_sink_stats *sift_sink_get_stats(const sift_sink *s); /* borrowed until close */

#endif
