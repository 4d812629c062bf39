/* metrics.c - siftd's Prometheus endpoint: render counters, serve them over HTTP.
 *
 * Two threads meet here, and only at `shown`:
 *  - the broker thread (sift_metrics_publish) renders the Prometheus text
 *    exposition format (version 0.0.4) from the broker's counters into
 *    `render`, then swaps it with `shown` under `lock`;
 *  - libmicrohttpd's thread (on_request) copies `shown` out under `lock`
 *    and answers with the copy.
 * Invariants:
 *  1. The broker's state is read on the broker thread only; the HTTP thread
 *     touches nothing but `shown`, `lock` and its own connection.
 *  2. `lock` is held for a swap of two structs or one memcpy, never across
 *     rendering, I/O or logging (sift_log is not thread-safe).
 *  3. All samples of one metric family are contiguous, after its HELP and
 *     TYPE lines, as the format requires.
 * The listen socket is bound here (not by libmicrohttpd) so a bind failure
 * reports errno; libmicrohttpd owns it from MHD_start_daemon on. The
 * counters themselves live in stats.h and are bumped elsewhere.
 * SPDX-License-Identifier: MIT
 */
#include "metrics.h"

#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "broker.h"
#include "grow.h"
#include "log.h"

#define HTTP_MAX_CONNECTIONS (32) /* scrapers are few; more would only be an attack */
#define HTTP_TIMEOUT_S       (10) /* an idle or dribbling connection is closed after this */
#define CONTENT_TYPE         "text/plain; version=0.0.4; charset=utf-8"

typedef struct text {
    char *p;
    size_t len, cap;
    int is_failed; /* an allocation failed: the render is dropped */
} text;

struct sift_metrics {
    /* private */
    struct MHD_Daemon *httpd;    /* NULL: metrics off */
    char *endpoint;              /* as configured ("" = off) */
    const sift_config *cfg_seen; /* the config a reload check last compared */
    int64_t next_ms;             /* next render due */
    text render;                 /* broker thread only */
    pthread_mutex_t lock;
    text shown;                  /* guarded by lock: what a scrape gets */
};

/* ---------------------------------------------------------------- text */

static void text_append(text *t, const char *s, size_t n)
{
    if (t->is_failed)
        return;
    if (sift_grow((void **)&t->p, &t->cap, t->len + n + 1, 1, 16384) < 0) {
        t->is_failed = 1;
        return;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static void text_printf(text *t, const char *fmt, ...) SIFT_PRINTF(2, 3);
static void text_printf(text *t, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        text_append(t, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* A label value with \, " and newline escaped, as the format requires. */
static void text_label_value(text *t, const char *v)
{
    for (const char *run = v;; v++) {
        if (*v && *v != '\\' && *v != '"' && *v != '\n')
            continue;
        text_append(t, run, (size_t)(v - run));
        if (!*v)
            return;
        text_append(t, *v == '\\' ? "\\\\" : *v == '"' ? "\\\"" : "\\n", 2);
        run = v + 1;
    }
}

/* ---------------------------------------------------------------- samples */

typedef struct family {
    const char *name, *type, *help;
    int which; /* which value, for the scope's value function */
} family;

static void family_header(text *t, const family *f)
{
    text_printf(t, "# HELP %s %s\n# TYPE %s %s\n", f->name, f->help, f->name, f->type);
}

/* name{k1="v1",...} : kv is key, value pairs ending in NULL (may be just NULL). */
static void sample_start(text *t, const char *name, const char *suffix, const char *const *kv)
{
    text_printf(t, "%s%s", name, suffix);
    for (size_t i = 0; kv[i]; i += 2) {
        text_printf(t, "%s%s=\"", i ? "," : "{", kv[i]);
        text_label_value(t, kv[i + 1]);
        text_append(t, "\"", 1);
    }
    if (kv[0])
        text_append(t, "}", 1);
}

static void sample_u(text *t, const char *name, const char *const *kv, uint64_t v)
{
    sample_start(t, name, "", kv);
    text_printf(t, " %llu\n", (unsigned long long)v);
}

/* A summary from a sift_hist: quantiles 0.5 and 0.99 in seconds, and the
 * count. No _sum: the histogram keeps bucket counts, not a total. kv holds
 * at most 4 labels. */
static void sample_summary(text *t, const char *name, const char *const *kv, const sift_hist *h)
{
    static const struct {
        double q;
        const char *label;
    } qs[] = {{0.5, "0.5"}, {0.99, "0.99"}};
    const char *qkv[11] = {0};
    size_t n = 0;
    while (kv[n] && n < 8)
        n += 2;
    memcpy(qkv, kv, n * sizeof *kv);
    qkv[n] = "quantile";
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        qkv[n + 1] = qs[i].label;
        sample_start(t, name, "", qkv);
        text_printf(t, " %.6f\n", (double)sift_hist_quantile(h, qs[i].q) / 1e6);
    }
    sample_start(t, name, "_count", kv);
    text_printf(t, " %llu\n", (unsigned long long)h->n);
}

/* ---------------------------------------------------------------- the broker's counters */

static const char *const no_labels[] = {NULL};

enum { G_UPTIME, G_DRAINING, G_INSIDE, G_BYTES, G_WAITING, C_ACCEPTED, C_RESENT, C_DELIVERED, C_DEAD };

static const family global_families[] = {
    {"sift_uptime_seconds", "gauge", "Seconds since siftd started.", G_UPTIME},
    {"sift_draining", "gauge", "1 while siftd drains after SIGTERM, else 0.", G_DRAINING},
    {"sift_inside_documents", "gauge",
     "Documents inside siftd: queued, in workers or waiting for sinks.", G_INSIDE},
    {"sift_inside_bytes", "gauge", "Bytes of the documents inside siftd.", G_BYTES},
    {"sift_waiting_for_sinks_documents", "gauge", "Finished documents a sink could not take yet.",
     G_WAITING},
    {"sift_ingest_accepted_total", "counter", "Documents accepted from producers.", C_ACCEPTED},
    {"sift_ingest_resent_total", "counter",
     "Of those accepted, resends of a document still inside (not queued again).", C_RESENT},
    {"sift_ingest_delivered_total", "counter", "Documents written to their pipeline's sinks.",
     C_DELIVERED},
    {"sift_ingest_dead_lettered_total", "counter", "Documents given up on (dead-letter sink).",
     C_DEAD},
};

static uint64_t global_value(const broker *b, int which, int64_t now)
{
    size_t waiting = 0;
    switch (which) {
    case G_UPTIME: return (uint64_t)((now - b->started_ms) / 1000);
    case G_DRAINING: return b->is_draining != 0;
    case G_INSIDE: return b->n_jobs;
    case G_BYTES: return b->n_bytes;
    case G_WAITING:
        for (const job *j = b->pending_head; j; j = j->next)
            waiting++;
        return waiting;
    case C_ACCEPTED: return b->ingest_st.accepted;
    case C_RESENT: return b->ingest_st.resent;
    case C_DELIVERED: return b->ingest_st.delivered;
    default: return b->ingest_st.dead_lettered;
    }
}

static void render_ingest(text *t, const broker *b, int64_t now)
{
    for (size_t f = 0; f < sizeof global_families / sizeof global_families[0]; f++) {
        family_header(t, &global_families[f]);
        sample_u(t, global_families[f].name, no_labels,
                 global_value(b, global_families[f].which, now));
    }
    static const family refused = {"sift_ingest_refused_total", "counter",
                                   "Documents refused, by refusal code (docs/protocol.md).", 0};
    family_header(t, &refused);
    for (int i = 0; i < SIFT_REFUSE_COUNT_; i++) {
        const char *kv[] = {"code", sift_refusal_name((sift_refusal)i), NULL};
        sample_u(t, refused.name, kv, b->ingest_st.refused[i]);
    }
    static const family latency = {"sift_ingest_latency_seconds", "summary",
                                   "Accept to delivery time of delivered documents.", 0};
    family_header(t, &latency);
    sample_summary(t, latency.name, no_labels, &b->ingest_st.latency_us);
}

/* pl, or the first pipeline after it that is not retired. Pipelines
 * replaced by a reload still drain, under the same name: they are left
 * out, so no two series share labels (their successors count from 0). */
static const pipeline *live(const pipeline *pl)
{
    while (pl && pl->is_retired)
        pl = pl->next;
    return pl;
}

enum { S_PROCESSED, S_DROPPED, S_FAILED, S_DURATION, S_SEGMENT };

static const family stage_families[] = {
    {"sift_stage_processed_total", "counter", "Documents the stage ran on (ok, dropped or failed).",
     S_PROCESSED},
    {"sift_stage_dropped_total", "counter", "Documents the stage dropped.", S_DROPPED},
    {"sift_stage_failed_total", "counter", "Documents the stage failed (sent to dead letters).",
     S_FAILED},
    {"sift_stage_duration_seconds", "summary",
     "Time the stage took per document, from workers' traces.", S_DURATION},
    {"sift_stage_segment_info", "gauge",
     "Always 1: the segment (worker process group) the stage runs in.", S_SEGMENT},
};

/* Stage i of pl's sample(s) of family f. */
static void stage_sample(text *t, const family *f, const pipeline *pl, size_t i)
{
    const sift_stage_stats *s = &pl->stage_st[i];
    const segment *sg = sift_segment_of(pl, i);
    const char *kv[] = {"pipeline", pl->name, "stage", pl->stage_names[i], NULL, NULL, NULL};
    switch (f->which) {
    case S_DURATION: sample_summary(t, f->name, kv, &s->time_us); return;
    case S_SEGMENT:
        kv[4] = "segment";
        kv[5] = sg ? sg->key : "";
        sample_u(t, f->name, kv, 1);
        return;
    default:
        sample_u(t, f->name, kv,
                 f->which == S_PROCESSED ? s->processed
                 : f->which == S_DROPPED ? s->dropped
                                         : s->failed);
    }
}

static void render_stages(text *t, const broker *b)
{
    for (size_t f = 0; f < sizeof stage_families / sizeof stage_families[0]; f++) {
        family_header(t, &stage_families[f]);
        for (const pipeline *pl = live(b->pipelines); pl; pl = live(pl->next))
            for (size_t i = 0; i < pl->n_stages; i++)
                stage_sample(t, &stage_families[f], pl, i);
    }
}

enum { SG_QUEUED, SG_IN_FLIGHT, SG_WORKERS, SG_WANTED, SG_DISPATCHED, SG_RETRIED, SG_DEAD,
       SG_RESTARTS };

static const family segment_families[] = {
    {"sift_segment_queued_documents", "gauge", "Documents waiting for a worker of the segment.",
     SG_QUEUED},
    {"sift_segment_in_flight_documents", "gauge", "Documents held by the segment's workers.",
     SG_IN_FLIGHT},
    {"sift_segment_workers", "gauge", "Workers connected and ready.", SG_WORKERS},
    {"sift_segment_workers_wanted", "gauge", "Workers the config asks for.", SG_WANTED},
    {"sift_segment_dispatched_total", "counter", "Documents sent to the segment's workers.",
     SG_DISPATCHED},
    {"sift_segment_retried_total", "counter",
     "Documents run again (worker lost, or a stage asked to retry).", SG_RETRIED},
    {"sift_segment_dead_lettered_total", "counter", "Documents dead-lettered at this segment.",
     SG_DEAD},
    {"sift_segment_worker_restarts_total", "counter", "Workers of the segment lost and restarted.",
     SG_RESTARTS},
};

static uint64_t segment_value(const segment *sg, int which)
{
    int n_live;
    size_t held;
    sift_segment_workers(sg, &n_live, &held);
    switch (which) {
    case SG_QUEUED: return sg->queued;
    case SG_IN_FLIGHT: return held;
    case SG_WORKERS: return (uint64_t)n_live;
    case SG_WANTED: return (uint64_t)sg->n_slots;
    case SG_DISPATCHED: return sg->st.dispatched;
    case SG_RETRIED: return sg->st.retried;
    case SG_DEAD: return sg->st.dead;
    default: return sg->st.restarts;
    }
}

static void render_segments(text *t, const broker *b)
{
    static const family docs = {"sift_pipeline_documents", "gauge",
                                "Documents inside siftd for the pipeline.", 0};
    family_header(t, &docs);
    for (const pipeline *pl = live(b->pipelines); pl; pl = live(pl->next)) {
        const char *kv[] = {"pipeline", pl->name, NULL};
        sample_u(t, docs.name, kv, pl->n_jobs);
    }
    for (size_t f = 0; f < sizeof segment_families / sizeof segment_families[0]; f++) {
        family_header(t, &segment_families[f]);
        for (const pipeline *pl = live(b->pipelines); pl; pl = live(pl->next))
            for (size_t i = 0; i < pl->n_segs; i++) {
                const char *kv[] = {"pipeline", pl->name, "segment", pl->segs[i].key, NULL};
                sample_u(t, segment_families[f].name, kv,
                         segment_value(&pl->segs[i], segment_families[f].which));
            }
    }
}

static const family sink_families[] = {
    {"sift_sink_written_total", "counter", "Documents handed to the sink's file or socket.", 0},
    {"sift_sink_errors_total", "counter", "Failed sink writes (each logged).", 1},
    {"sift_sink_retries_total", "counter", "Sink writes that would block and were kept for later.",
     2},
};

static const family spool_families[] = {
    {"sift_spool_records", "gauge", "Documents in the spool.", 0},
    {"sift_spool_used_bytes", "gauge", "Bytes of the spool in use.", 1},
    {"sift_spool_max_bytes", "gauge", "The spool's size limit in bytes.", 2},
    {"sift_spool_commits_total", "counter", "Broker passes committed to the spool.", 3},
    {"sift_spool_failed_passes_total", "counter", "Passes whose commit failed (disk full, I/O).",
     4},
    {"sift_spool_refused_total", "counter", "Documents refused because the spool was full.", 5},
};

static void render_sinks_spool(text *t, const broker *b)
{
    for (size_t f = 0; f < sizeof sink_families / sizeof sink_families[0]; f++) {
        family_header(t, &sink_families[f]);
        for (size_t i = 0; i < b->n_sinks; i++) {
            const sift_sink_stats *s = sift_sink_get_stats(b->sinks[i]);
            const uint64_t v[] = {s->written, s->errors, s->retries};
            const char *kv[] = {"sink", sift_sink_name(b->sinks[i]), NULL};
            sample_u(t, sink_families[f].name, kv, v[sink_families[f].which]);
        }
    }
    sift_spool_stats st;
    if (!b->spool || sift_spool_stat(b->spool, &st) < 0)
        return; /* no spool: no spool series */
    const uint64_t v[] = {st.n_records, st.used_bytes, st.max_bytes,
                          st.n_commits, st.n_failed,   st.n_refused};
    for (size_t f = 0; f < sizeof spool_families / sizeof spool_families[0]; f++) {
        family_header(t, &spool_families[f]);
        sample_u(t, spool_families[f].name, no_labels, v[spool_families[f].which]);
    }
}

/* ---------------------------------------------------------------- HTTP (its own thread) */

static enum MHD_Result respond(struct MHD_Connection *conn, unsigned int status, char *body,
                               size_t len, const char *type)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result rc = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result respond_text(struct MHD_Connection *conn, unsigned int status,
                                    const char *msg)
{
    char *body = strdup(msg);
    return body ? respond(conn, status, body, strlen(body), "text/plain; charset=utf-8") : MHD_NO;
}

/* libmicrohttpd's handler, on its thread: the snapshot for GET /metrics. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)version, (void)upload, (void)upload_size, (void)con_cls;
    sift_metrics *m = cls;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return respond_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
                            "method not allowed: GET /metrics\n");
    if (strcmp(url, "/metrics") != 0)
        return respond_text(conn, MHD_HTTP_NOT_FOUND, "not found: siftd serves GET /metrics\n");
    pthread_mutex_lock(&m->lock);
    size_t len = m->shown.len;
    char *body = len ? malloc(len) : NULL;
    if (body)
        memcpy(body, m->shown.p, len);
    pthread_mutex_unlock(&m->lock);
    if (!body)
        return respond_text(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "no metrics yet\n");
    return respond(conn, MHD_HTTP_OK, body, len, CONTENT_TYPE);
}

/* ---------------------------------------------------------------- open, publish, close */

static int bind_listener(const char *endpoint, int *fd_out, sift_err *err)
{
    struct sockaddr_storage addr;
    socklen_t addr_len;
    if (sift_config_parse_hostport(endpoint, &addr, &addr_len, err) < 0) {
        sift_err_prefix(err, "metrics endpoint %s", endpoint);
        return SIFT_EINVAL;
    }
    int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return sift_err_set(err, -errno, "cannot create the metrics socket for %s: %s", endpoint,
                            strerror(errno));
    int on = 1; /* a restart rebinds while old connections sit in TIME_WAIT */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(fd, (const struct sockaddr *)&addr, addr_len) != 0 || listen(fd, 64) != 0) {
        int e = errno;
        close(fd);
        return sift_err_set(err, -e, "cannot bind metrics endpoint %s: %s", endpoint, strerror(e));
    }
    *fd_out = fd;
    return 0;
}

/* The HTTP thread is created with every signal blocked, so SIGTERM, SIGHUP
 * and SIGCHLD keep interrupting the broker's zmq_poll, not this thread. */
static int start_httpd(sift_metrics *m, int fd, sift_err *err)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    m->httpd =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL, on_request,
                         m, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned int)HTTP_MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
                         (unsigned int)HTTP_TIMEOUT_S, MHD_OPTION_END);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!m->httpd) /* libmicrohttpd closed fd, or leaks it until siftd exits, which follows */
        return sift_err_set(err, SIFT_ENOMEM, "cannot start the metrics server on %s", m->endpoint);
    return 0;
}

int sift_metrics_open(sift_metrics **out, const char *endpoint, sift_err *err)
{
    *out = NULL;
    sift_metrics *m = calloc(1, sizeof *m);
    if (!m || !(m->endpoint = strdup(endpoint ? endpoint : ""))) {
        free(m);
        return SIFT_ENOMEM;
    }
    pthread_mutex_init(&m->lock, NULL);
    int fd = -1, rc = 0;
    if (m->endpoint[0] && (rc = bind_listener(m->endpoint, &fd, err)) == 0)
        rc = start_httpd(m, fd, err);
    if (rc < 0) {
        sift_metrics_close(&m);
        return rc;
    }
    if (m->httpd)
        sift_log(SIFT_LOG_INFO, "broker", "serving metrics", "endpoint=%s path=/metrics",
                 m->endpoint);
    *out = m;
    return 0;
}

void sift_metrics_close(sift_metrics **pp)
{
    if (!pp || !*pp)
        return;
    sift_metrics *m = *pp;
    if (m->httpd)
        MHD_stop_daemon(m->httpd); /* joins its thread, closes the socket */
    pthread_mutex_destroy(&m->lock);
    free(m->render.p);
    free(m->shown.p);
    free(m->endpoint);
    free(m);
    *pp = NULL;
}

/* Once per config: the endpoint is bound at start only, like the others. */
static void check_reload(sift_metrics *m, const sift_config *cfg)
{
    if (cfg == m->cfg_seen)
        return;
    if (m->cfg_seen && strcmp(cfg->metrics ? cfg->metrics : "", m->endpoint) != 0)
        sift_log(SIFT_LOG_WARN, "broker", "endpoints.metrics changes only on restart",
                 "serving=%s configured=%s", m->endpoint[0] ? m->endpoint : "off",
                 cfg->metrics && cfg->metrics[0] ? cfg->metrics : "off");
    m->cfg_seen = cfg;
}

void sift_metrics_publish(sift_metrics *m, const broker *b, int64_t now_ms)
{
    if (!m)
        return;
    check_reload(m, b->cfg);
    if (!m->httpd || now_ms < m->next_ms)
        return;
    m->next_ms = now_ms + SIFT_METRICS_INTERVAL_MS;
    text *t = &m->render;
    t->len = 0;
    t->is_failed = 0;
    render_ingest(t, b, now_ms);
    render_stages(t, b);
    render_segments(t, b);
    render_sinks_spool(t, b);
    if (t->is_failed)
        return; /* out of memory: scrapes keep the previous snapshot */
    pthread_mutex_lock(&m->lock);
    text old = m->shown;
    m->shown = *t;
    *t = old; /* the old snapshot's memory is the next render's */
    pthread_mutex_unlock(&m->lock);
}
