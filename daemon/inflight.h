/* inflight.h - the ids of the documents inside siftd, to answer a resent PUSH once.
 *
 * A producer that lost a reply resends; while the first copy is still in
 * siftd (queued, at a worker, or waiting for its sinks) the resend is the
 * same document, so ingest.c answers it ACCEPTED without queueing it twice.
 * The set maps a document id to its entry (a job, opaque here); ids are
 * borrowed from the entry, which must outlive its membership.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFTD_INFLIGHT_H
#define SIFTD_INFLIGHT_H

#include <stddef.h>

typedef struct sift_inflight sift_inflight;

/* Returns 0 or SIFT_ENOMEM. Free with sift_inflight_destroy. */
int sift_inflight_new(sift_inflight **out);
void sift_inflight_destroy(sift_inflight **s);

/* The entry whose id is id[0, len), or NULL. */
void *sift_inflight_find(const sift_inflight *s, const char *id, size_t len);
/* Add entry under id (borrowed: it must stay valid while entry is in the
 * set). An id already present keeps its first entry and returns 1; else 0,
 * or SIFT_ENOMEM (the set is unchanged). */
int sift_inflight_add(sift_inflight *s, const char *id, size_t len, void *entry);
/* Remove entry (nothing if it is not the one stored under id). */
void sift_inflight_del(sift_inflight *s, const char *id, size_t len, const void *entry);
size_t sift_inflight_count(const sift_inflight *s);

#endif
