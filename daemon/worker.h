/* worker.h - a siftd worker process: host one chain of stages, serve the broker.
 *
 * siftd starts each worker as `siftd --worker ...` (supervisor.c); the same
 * entry serves a worker started by hand on another host over tcp://. The
 * worker loads the config file itself, builds the chain of its segment
 * (lib/chain.c, retries handed back to the broker), connects a DEALER to
 * the broker's backend and speaks the SIFTW2 protocol of lib/proto.h:
 * READY with its credit, then for each JOB batch runs every document and
 * answers one DONE batch; HEARTBEAT when idle; STOP finishes and exits.
 * It never talks to producers or sinks.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_WORKER_H
#define SIFT_WORKER_H

typedef struct sift_worker_opts {
    const char *config;   /* borrowed: config file to load (its name in messages) */
    int config_fd;        /* >= 0: load the config snapshot behind it instead (siftd's) */
    const char *pipeline; /* borrowed: pipeline name */
    int first;            /* first stage index of the segment in the pipeline */
    int count;            /* number of stages in the segment */
    const char *segment;  /* borrowed: segment key the broker knows it by, e.g. "default/0-3" */
    const char *endpoint; /* borrowed: broker backend endpoint; NULL = the config's */
    int credit;           /* documents it may hold at once; 0 = the config's */
} sift_worker_opts;

/* Run the worker until STOP, a fatal error or SIGTERM. Returns the process
 * exit status: 0 after STOP/SIGTERM, 1 when the chain cannot be built
 * (the reason is logged), 2 on bad options. */
int sift_worker_run(const sift_worker_opts *o);

#endif
