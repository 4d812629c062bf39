/* broker.h - siftd's broker state, shared by the files of the broker process.
 *
 * One broker, single-threaded, owns everything below: the pipelines and
 * their segments (pipeline.c), the worker slots (supervisor.c), the queues
 * and in-flight documents (router.c), producer handling (ingest.c),
 * delivery to sinks (deliver.c), statistics (stats.c, control.c) and the
 * poll loop that drives them (broker.c). Nothing here runs plugin code.
 *
 * A document inside siftd is a job: its msgpack bytes (the input of the
 * segment it waits for), where it is in its pipeline, and its attempts.
 *
 *   ingest --accept--> QUEUED(seg) --dispatch--> IN_FLIGHT(worker)
 *      IN_FLIGHT --DONE ok, more segments--> QUEUED(seg+1)
 *      IN_FLIGHT --DONE ok/dropped, last--> DELIVERED (sinks) -> freed
 *      IN_FLIGHT --DONE failed--> DEAD (dead-letter sink) -> freed
 *      IN_FLIGHT --DONE retry | worker died--> QUEUED(seg) with attempt+1,
 *                                            or DEAD past max_attempts
 * Invariants:
 *  1. A job is in exactly one place: a segment queue, the delayed list, one
 *     worker's held list, the pending list (a sink still owes a write) or
 *     the unflushed list (written, flush not yet confirmed); n_jobs counts
 *     them all, so documents a sink has not made durable hold room in the
 *     queue limits.
 *  2. A worker never holds more jobs than its credit.
 *  3. Every accepted job ends delivered or dead-lettered; with a spool it is
 *     on disk from the `accepted` reply until its sinks have flushed it, so
 *     a restart resumes it (at the segment it had reached); without one, a
 *     drain timeout dead-letters it with the reason "siftd stopped".
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFTD_BROKER_H
#define SIFTD_BROKER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <zmq.h>

#include "batch.h"
#include "config.h"
#include "doc.h"
#include "inflight.h"
#include "metrics.h"
#include "notify.h"
#include "proto.h"
#include "sink.h"
#include "spool.h"
#include "stats.h"

typedef struct job job;
typedef struct worker worker;
typedef struct segment segment;
typedef struct pipeline pipeline;
typedef struct broker broker;
typedef struct ack ack;

struct job {
    uint64_t id;
    char *doc_id;          /* owned */
    pipeline *pl;          /* counted in pl->n_jobs */
    size_t seg;            /* segment it waits for or is in */
    uint32_t attempt;      /* failed attempts at this segment so far */
    uint32_t deliveries;   /* document-level attempt counter (the doc's "attempt") */
    zmq_msg_t body;        /* owned (job.c): msgpack of the document, the input of
                              segment seg; once is_output, its output line */
    size_t len;            /* bytes of body, counted in n_bytes */
    int is_output;
    int64_t accepted_ms;   /* monotonic, for end-to-end latency */
    int64_t not_before_ms; /* retry backoff: not dispatched before */
    int is_suspect;        /* was held by a worker that died: run it alone */
    int is_unanswered;     /* accepted into the spool, its commit (and reply) still due */
    uint32_t sinks_left;   /* bit i: sink index i still to write (bit 31: tail) */
    uint32_t sinks_unflushed; /* bit i: written to sink i, its flush not yet confirmed */
    job *next;             /* queue link */
};

typedef enum worker_state {
    W_EMPTY = 0, /* no process; restart_at_ms says when to start one */
    W_STARTING,  /* forked, READY not yet received */
    W_READY,     /* connected; may hold jobs up to credit */
    W_STOPPING,  /* told to STOP (retired or shutting down) */
} worker_state;

struct worker {
    worker_state state;
    pid_t pid;
    char ident[64]; /* ROUTER routing id of its DEALER */
    size_t ident_len;
    segment *seg;
    int credit;
    job **held; /* credit slots */
    size_t n_held;
    int64_t last_seen_ms;
    int64_t progress_ms;   /* last DONE, or the dispatch that woke it */
    int64_t started_ms;
    int64_t restart_at_ms;
    int64_t backoff_ms;
    char kill_reason[128]; /* set when the broker kills it */
    int is_remote;         /* connected by itself (not spawned by us) */
    int is_isolating;      /* holds one suspect job and nothing else */
};

/* A PUSH accepted in this pass, answered once the spool has committed it. */
struct ack {
    job *j;
    void *sock; /* the ingest socket it came on */
    char ident[256];
    size_t ident_len;
    char corr[SIFT_PROTO_MAX_CORR];
    size_t corr_len;
    int is_resend; /* j is the first copy, already queued for its own answer */
    ack *next;
};

struct segment {
    pipeline *pl;
    size_t index;
    int first, count;   /* stages [first, first+count) of the pipeline */
    char key[160];      /* "pipeline/first-last" */
    char label[256];    /* stage names joined by '+', for statuses */
    int n_slots;        /* target worker count */
    worker *slots;      /* n_slots spawned slots */
    worker **remotes;   /* workers that connected by themselves */
    size_t n_remotes;
    job *head, *tail;   /* FIFO of waiting jobs */
    size_t queued;
    sift_seg_stats st;
};

struct pipeline {
    char *name;
    uint64_t fingerprint; /* of its config text: unchanged pipelines survive a reload */
    int is_retired;       /* replaced or removed by a reload: drains, then freed */
    size_t n_jobs;        /* jobs that reference it */
    segment *segs;
    size_t n_segs;
    size_t *sinks;        /* indexes into broker sinks */
    size_t n_sinks;
    char **stage_names;   /* owned, n_stages */
    size_t n_stages;
    sift_stage_stats *stage_st; /* per stage, n_stages */
    pipeline *next;
};

struct broker {
    void *ctx;
    void **ingest; /* ROUTER sockets, one per endpoint */
    size_t n_ingest;
    void *backend; /* ROUTER */
    char *backend_endpoint; /* bound at start; endpoints change only on restart */
    void *control; /* ROUTER */
    void *tail;    /* PUB */
    sift_config *cfg;
    sift_spool *spool; /* NULL: documents live in memory only */
    ack *acks, **acks_tail; /* this pass's accepted PUSHes, awaiting the commit */
    int64_t last_commit_ms;
    char *config_file;
    int config_fd;  /* snapshot of the config in force, read by workers we start */
    char *self_exe; /* siftd binary, to start workers */
    pipeline *pipelines;
    sift_sink **sinks;
    size_t n_sinks;
    size_t dead_sink; /* index, or (size_t)-1 */
    job *pending_head, *pending_tail; /* finished, waiting for a sink that said EAGAIN */
    job *delayed;                     /* waiting out a retry backoff, unordered */
    job *unflushed;                   /* written to every sink, waiting for the flushes */
    uint64_t next_job_id;
    size_t n_jobs;
    size_t n_bytes;
    sift_inflight *ids;   /* doc id -> job, for every job in n_jobs (first copy wins) */
    int is_sinks_dirty; /* written since the last flush */
    int is_draining;
    int64_t drain_deadline_ms;
    int64_t next_heartbeat_ms;
    int64_t started_ms;
    sift_ingest_stats ingest_st;
    sift_frames frames; /* receive buffer, reused */
    sift_batch *batch;  /* JOB batch writer, reused */
    sift_batch_entry entries[SIFT_BATCH_MAX]; /* a DONE batch read, pointing into frames */
    sift_metrics *metrics; /* the /metrics endpoint (metrics.c); bound at start */
    sift_notify notify;    /* sd_notify state (notify.c) */
};

/* broker.c */
int64_t sift_now_ms(void);

/* pipeline.c: build pipelines from cfg; reload: keep unchanged, retire the rest. */
int sift_pipelines_build(broker *b, const sift_config *cfg, sift_err *err);
pipeline *sift_pipeline_find(broker *b, const char *name, size_t len);
void sift_pipelines_reap_retired(broker *b);
void sift_pipelines_free(broker *b);
const segment *sift_segment_of(const pipeline *pl, size_t stage); /* the one running stage i */
void sift_segment_workers(const segment *sg, int *live, size_t *in_flight); /* ready, held */

/* supervisor.c: worker processes. */
void sift_supervisor_tick(broker *b, int64_t now);   /* start due slots, kill overdue */
void sift_supervisor_reap(broker *b);                /* waitpid all exited children */
void sift_supervisor_stop_all(broker *b);            /* STOP, wait, then kill */
void sift_supervisor_stop(broker *b, worker *w);     /* send STOP to one worker */
worker *sift_supervisor_find(broker *b, const void *ident, size_t len);
void sift_supervisor_on_ready(broker *b, const sift_frames *f);
int64_t sift_supervisor_next_ms(broker *b);
void sift_worker_lost(broker *b, worker *w, const char *reason);
/* w broke the protocol (an unreadable DONE): a spawned worker is killed and
 * its jobs requeued when it is reaped; a remote one is forgotten (w is
 * freed) and its jobs requeued now. */
void sift_supervisor_refuse(broker *b, worker *w, const char *reason);

/* router.c: queues, dispatch, results. */
void sift_router_enqueue(broker *b, job *j);
void sift_router_dispatch(broker *b, int64_t now);
void sift_router_on_backend(broker *b, sift_frames *f); /* takes result frames */
void sift_router_requeue(broker *b, job *j, const char *reason); /* after a worker loss */
void sift_router_heartbeat(broker *b, int64_t now);
int64_t sift_router_next_ms(broker *b);

/* ingest.c: producer messages. */
void sift_ingest_on_message(broker *b, void *socket, const sift_frames *f);
void sift_ingest_commit(broker *b); /* commit the pass's spool writes, then answer and queue */
int sift_ingest_replay(broker *b);  /* start: queue what the spool holds; count or code */
int sift_job_persist(broker *b, const job *j); /* write j's state in this pass (no spool: 0) */

/* job.c: a job and its body, a ZeroMQ message sinks send as shared copies. */
job *sift_job_new(void);                 /* zeroed, empty body; NULL on ENOMEM */
int sift_job_set_buf(broker *b, job *j, char *buf, size_t len, int is_output); /* takes buf */
int sift_job_copy_in(broker *b, job *j, const void *data, size_t len, int is_output); /* data: copied */
const char *sift_job_data(const job *j); /* body bytes, j->len of them */
void sift_job_free(broker *b, job *j);   /* also uncounts it, drops its spool record and id */

/* deliver.c: the end of a job's life. */
void sift_deliver_done(broker *b, job *j);                      /* ok or dropped: pipeline sinks */
void sift_deliver_dead(broker *b, job *j, const char *stage, const char *reason);
void sift_deliver_pending(broker *b);                           /* retry sinks that said EAGAIN */
void sift_deliver_flush(broker *b);   /* flush sinks; free what is durable, rewrite what is not */

/* control.c: stats requests. */
void sift_control_on_message(broker *b, const sift_frames *f);

#endif
