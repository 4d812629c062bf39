/* config.h - siftd.conf: parse, check meaning, and hold the result.
 *
 * The file is libconfig syntax (conf/siftd.conf documents every setting).
 * Scalar settings are a data table (config.c) giving each one's path, type,
 * bounds and default, so checking and defaults live in one place; pipelines
 * and sinks are lists checked for required keys, duplicate names and
 * references. Every problem is reported as "FILE:LINE: message" through a
 * sift_diag, so `sift check` lists them all. Validating stage options
 * against plugins is a separate step (sift_config_check_plugins), because
 * it opens each plugin. This file does not run anything.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_CONFIG_H
#define SIFT_CONFIG_H

#include <libconfig.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "err.h"

typedef struct sift_stage_conf {
    const char *name;   /* borrowed until sift_config_destroy: instance name */
    const char *plugin; /* borrowed until sift_config_destroy: name or path */
    int workers;        /* 1..64 */
    int is_isolated;    /* run in workers of its own rather than chained */
    const config_setting_t *options; /* borrowed until destroy; NULL = none */
    char where[256];    /* "file:line" of the stage entry */
} sift_stage_conf;

typedef struct sift_pipeline_conf {
    const char *name; /* borrowed until destroy */
    sift_stage_conf *stages;
    size_t n_stages;
    const char **sinks; /* borrowed until destroy */
    size_t n_sinks;
    char where[256];
} sift_pipeline_conf;

typedef struct sift_sink_conf {
    const char *name;     /* borrowed until destroy */
    const char *type;     /* "jsonl", "zmq_push", "zmq_pub" */
    const char *path;     /* jsonl: file; NULL otherwise */
    const char *endpoint; /* zmq_*: endpoint; NULL otherwise */
    char where[256];
    int is_sync;          /* jsonl: fdatasync on every flush (`sync = true`) */
    int is_bind;          /* zmq_*: bind the endpoint rather than connect (`bind`;
                           * default false for zmq_push, true for zmq_pub) */
} sift_sink_conf;

typedef struct sift_config {
    /* public, read-only after sift_config_load */
    char *file;
    const char *plugin_path; /* "" = default search */
    const char *state_dir;   /* "" = none */
    int64_t max_doc_bytes;
    int64_t max_attempts;
    int64_t stage_deadline_ms;
    int64_t max_queue_docs;   /* documents inside siftd at once, all pipelines */
    int64_t max_queue_bytes;  /* their bytes */
    int64_t drain_timeout_ms; /* SIGTERM: time to finish what is in flight */
    int64_t worker_credit;    /* documents in flight per worker */
    int64_t worker_batch;     /* documents per message to a worker, at most */
    const char **ingest; /* endpoints */
    size_t n_ingest;
    const char *backend;
    const char *control;
    const char *tail;
    const char *metrics;     /* HTTP HOST:PORT or :PORT for Prometheus; NULL or "" = off */
    const char *spool_path;  /* "" = no spool: documents live in memory only */
    int64_t spool_max_bytes; /* the spool's size limit */
    const char *spool_sync;  /* "full", "meta" or "none" (lib/spool.h) */
    sift_pipeline_conf *pipelines;
    size_t n_pipelines;
    sift_sink_conf *sinks;
    size_t n_sinks;
    const char *dead_letter; /* sink name, or NULL */

    /* private */
    config_t cfg;
    struct sift_config *next_old; /* siftd: configs replaced by reloads, kept alive */
} sift_config;

/* Read and check file. Every problem goes to diag. Returns 0, or a
 * negative code when any problem was found (then *out is NULL). Caller
 * owns *out; free with sift_config_destroy(). */
int sift_config_load(sift_config **out, const char *file, sift_diag *diag);
/* The same from a string (tests); name is used in messages. */
int sift_config_load_string(sift_config **out, const char *text, const char *name,
                            sift_diag *diag);
void sift_config_destroy(sift_config **pp);

/* config_snapshot.c: file's text copied into an unlinked temporary file,
 * whose descriptor *fd (the caller closes it) child processes inherit.
 * Returns 0, or a negative code with the problem in diag. */
int sift_config_snapshot(const char *file, int *fd, sift_diag *diag);
/* Load the text behind fd (a snapshot) as sift_config_load would load a
 * file; name is used in messages. fd: borrowed. */
int sift_config_load_fd(sift_config **out, int fd, const char *name, sift_diag *diag);

/* Everything `sift check` checks: load file, and even when it has problems
 * (other than syntax) go on to open every stage's plugin and validate its
 * options, so all problems are reported at once. Returns 0 or SIFT_EINVAL. */
int sift_config_check_file(const char *file, sift_diag *diag);

/* Open every stage's plugin and validate its options (no init). Every
 * problem goes to diag. Returns 0 or SIFT_EINVAL. */
int sift_config_check_plugins(const sift_config *c, sift_diag *diag);

/* Parse an HTTP listen address, "HOST:PORT" or ":PORT" (all IPv4
 * addresses), HOST a numeric IPv4 address or an IPv6 one in brackets
 * ("[::1]:9464"), PORT 1..65535; no name lookup. Fills *addr and *addr_len
 * (caller storage). Returns 0, or SIFT_EINVAL with the reason in err. */
int sift_config_parse_hostport(const char *text, struct sockaddr_storage *addr,
                               socklen_t *addr_len, sift_err *err);

const sift_pipeline_conf *sift_config_pipeline(const sift_config *c, const char *name);

/* The default config file: $SIFT_CONF, else <dir of the binary>/../etc/sift/siftd.conf,
 * else /etc/sift/siftd.conf. Static storage. */
const char *sift_config_default_file(void);

#endif
