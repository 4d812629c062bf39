/* spool.h - siftd's durable spool: every accepted document on disk until it is delivered.
 *
 * One LMDB file, <dir>/spool.mdb (LMDB adds spool.mdb-lock), one named
 * database "jobs". A record is one job: the key is the job id (8 bytes
 * big-endian, so cursor order is acceptance order), the value a small
 * header (format version, segment, attempt, deliveries, pipeline name)
 * followed by the document's msgpack bytes (lib/codec.h). The spool never
 * decodes a document, never touches a socket and decides nothing about a
 * job's life: the broker (daemon/) puts, deletes and replays.
 *
 * Group commit: one write transaction per pass of the broker's loop.
 *
 *     sift_spool_put()   a document accepted, or moved on to its next segment
 *     sift_spool_del()   a document every sink has made durable
 *     sift_spool_commit() once, at the end of the pass: one sync (see below)
 *
 * Nothing of a pass is on disk before commit returns 0, so a producer's
 * `accepted` reply must be sent only after that. The caller's two rules:
 * a put that returns < 0 did not happen; a commit that returns < 0 means
 * none of the pass's puts happened (refuse that pass's new documents with
 * `overloaded`; records it only updated keep their previous state, which
 * at worst redoes a segment after a restart). Deletes are never lost while
 * the spool stays open: those of a failed pass are applied by the next one.
 *
 * Full: a put of a new id is refused (SIFT_ERANGE, the pass goes on) once
 * the pages in use, plus what this pass and the last one wrote (LMDB reuses
 * freed pages only a pass or two later), reach 7/8 of max_bytes. Overwrites may
 * use half of the last eighth and deletes all of it, so a full spool still
 * makes progress and drains. The first refusal logs `spool full` (error),
 * and `spool has room again` (info) follows when it has. If LMDB still runs
 * out of map (free pages too scattered for a record of many pages: passes
 * writing over ~5% of max_bytes at once) or the disk fails (ENOSPC, EIO),
 * the pass is aborted at once: that put and every later one in the pass
 * return the code, and so does commit; after a MAP_FULL new records are
 * admitted only up to the size that failed, rising again with each commit.
 * The file is never left half-written: LMDB switches to a pass only by its
 * meta page, written last.
 *
 * Sync policy: what a commit costs and what `accepted` then promises.
 *   SIFT_SPOOL_SYNC_FULL  two fdatasync a pass (the data, then the meta page).
 *                         Survives a crash, kill -9 and power loss. Slowest.
 *   SIFT_SPOOL_SYNC_META  one fdatasync a pass (MDB_NOMETASYNC): the meta page
 *                         reaches disk with the next pass. Survives a crash
 *                         and kill -9; a power loss may undo the last
 *                         committed pass (the spool rolls back to the one
 *                         before, intact).
 *   SIFT_SPOOL_SYNC_NONE  no flush (MDB_NOSYNC): the kernel writes back when it
 *                         likes. Survives a crash and kill -9 (the kernel has
 *                         the pages); a power loss loses the passes not yet
 *                         written back and, on a file system that reorders
 *                         writes, may corrupt the spool.
 * sift_spool_close() flushes under every policy, so a clean stop is durable.
 * MDB_WRITEMAP (and so MDB_MAPASYNC) is not used: it sizes the file to the
 * map up front, and a full disk then kills the process with SIGBUS.
 *
 * States of a pass (ABORTED: nothing of the pass reached the file):
 *
 *     NO_TXN --begin, put, del--> IN_TXN --commit ok--> NO_TXN    (COMMITTED)
 *                                 IN_TXN --commit fails--> NO_TXN (ABORTED)
 *                                 IN_TXN --LMDB error--> FAILED
 *                                 FAILED --commit--> NO_TXN       (ABORTED)
 *
 *   NO_TXN -> IN_TXN  sift_spool_begin(), or the first put or del of a pass
 *   NO_TXN -> FAILED  the same, when LMDB cannot start the txn
 *   IN_TXN -> IN_TXN  sift_spool_put(), sift_spool_del(), a put refused for room
 *   IN_TXN -> NO_TXN  sift_spool_commit() returns 0
 *   IN_TXN -> NO_TXN  sift_spool_commit() returns < 0: the pass is lost
 *   IN_TXN -> FAILED  a put or del meets an LMDB error; the txn is aborted
 *   FAILED -> FAILED  put returns the pass's code; del is kept for the next pass
 *   FAILED -> NO_TXN  sift_spool_commit() returns the pass's code
 *   any    -> closed  sift_spool_close(): an open pass is lost, as in a crash
 *
 * One broker thread uses a spool; nothing here is thread-safe. One process
 * opens a spool once (LMDB forbids a second env on a file in one process;
 * a second process is refused with -EBUSY). Open, commit, replay and close
 * wait for the disk; put and del work in memory and the page cache.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_SPOOL_H
#define SIFT_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SIFT_SPOOL_DEFAULT_MAX_BYTES ((size_t)1 << 30) /* 1 GiB of map */
#define SIFT_SPOOL_MIN_BYTES ((size_t)64 << 10)        /* 64 KiB: a few pages of records */

typedef struct sift_spool sift_spool;

typedef enum sift_spool_sync {
    SIFT_SPOOL_SYNC_FULL = 0, /* power loss keeps every accepted document */
    SIFT_SPOOL_SYNC_META,     /* power loss may undo the last pass */
    SIFT_SPOOL_SYNC_NONE,     /* power loss may lose recent passes */
} sift_spool_sync;

typedef struct sift_spool_opts {
    size_t max_bytes;     /* map size: the file never grows past it; 0 = the default */
    sift_spool_sync sync; /* see above */
} sift_spool_opts;

/* One job as stored. */
typedef struct sift_spool_rec {
    uint64_t id;          /* job id; ids grow with acceptance */
    const char *pipeline; /* borrowed for the call (replay: until fn returns); not NUL-ended */
    size_t pipeline_len;  /* at most 65535 */
    uint32_t seg;         /* segment the document waits for; at most 65535 */
    uint32_t attempt;     /* failed attempts at that segment */
    uint32_t deliveries;  /* document-level attempt counter */
    const void *doc;      /* borrowed for the call (replay: until fn returns): msgpack */
    size_t doc_len;
} sift_spool_rec;

typedef struct sift_spool_stats {
    size_t n_records;       /* committed records, readable or not */
    size_t used_bytes;      /* pages holding records and LMDB's own, times the page size */
    size_t file_bytes;      /* pages the file has ever used (its high-water) */
    size_t max_bytes;       /* the map size in effect */
    size_t fill_bytes;      /* new records are refused past this */
    size_t n_unreadable;    /* records the last replay skipped */
    uint64_t n_commits;     /* passes committed */
    uint64_t n_failed;      /* passes lost (MAP_FULL, disk errors) */
    uint64_t n_refused;     /* puts refused for room */
} sift_spool_stats;

/* Open (creating dir with mode 0700 and the file if missing) and lock the
 * spool in dir. o may be NULL for the defaults. A max_bytes below the
 * file's size is raised to it (stats tell the map in effect). Returns 0, or
 * SIFT_EINVAL (options), -EBUSY (another process has it open), -errno
 * (file system), SIFT_ESTATE (not a spool LMDB can read); err says which
 * file and why. Caller owns *out; free with sift_spool_close(). dir, o:
 * borrowed for the call. */
int sift_spool_open(sift_spool **out, const char *dir, const sift_spool_opts *o, sift_err *err);
/* Abort an open pass (its puts are lost), flush, close; sets *pp to NULL.
 * pp or *pp may be NULL. */
void sift_spool_close(sift_spool **pp);

/* Start the pass's write transaction, applying deletes kept from a failed
 * pass. Optional: put and del start it too. Returns 0 (also when a pass is
 * already open), or the pass's code if it failed. */
int sift_spool_begin(sift_spool *s);
/* Insert or overwrite the record r->id in this pass. Never blocks on the
 * disk. Returns 0; SIFT_ERANGE when there is no room for it (see Full; the
 * pass goes on, and a refused overwrite leaves the record as it was);
 * SIFT_EINVAL for a pipeline name or segment over 65535; or, when the pass
 * failed, its code (SIFT_ERANGE for LMDB's MAP_FULL, -errno, SIFT_ESTATE).
 * r: copied. */
int sift_spool_put(sift_spool *s, const sift_spool_rec *r);
/* Delete the record id in this pass; a missing id is not an error. Never
 * blocks on the disk. Returns 0, also when the pass failed (the delete is
 * applied by the next pass), or SIFT_ENOMEM (nothing done). */
int sift_spool_del(sift_spool *s, uint64_t id);
/* End the pass: commit and sync per the policy. Blocks on the disk. Returns
 * 0 (the pass is durable), 0 when no pass was open, or a negative code:
 * nothing of the pass is on disk (SIFT_ERANGE map full, -ENOSPC, -EIO...). */
int sift_spool_commit(sift_spool *s);

/* Call fn for every readable record in id order, from the last committed
 * state. A record with an unknown format or a truncated header is logged
 * (comp=spool msg="record unreadable"), counted in stats and left in
 * place. fn must not call sift_spool_* on s; a negative return stops the
 * walk and is returned. Returns the number of records passed to fn, or a
 * negative code. r: borrowed until fn returns. ctx: passed to fn. */
int sift_spool_replay(sift_spool *s, int (*fn)(void *ctx, const sift_spool_rec *r), void *ctx);
/* One past the highest id in the spool (unreadable records included), or
 * 0 when it is empty: new ids continue from there. Returns 0 or a code. */
int sift_spool_next_id(sift_spool *s, uint64_t *out);
/* Fill *out from the last committed state and the counters. Returns 0 or
 * a code. */
int sift_spool_stat(sift_spool *s, sift_spool_stats *out);

#endif
