/* control.c - answer `sift stats` (and pings) on the control socket.
 *
 * STATS returns one JSON object (shape in docs/protocol.md): ingest
 * counters and refusals by code, documents inside siftd, and per pipeline
 * its stages (processed, dropped, failed, p50/p99 time, from finished
 * documents' traces) and segments (queue, in flight, workers, retries,
 * restarts), and per sink written and errors. Built with jansson.
 * SPDX-License-Identifier: MIT
 */
#include <jansson.h>
#include <stdlib.h>
#include <zmq.h>

#include "broker.h"
#include "log.h"

static json_t *ingest_json(const broker *b)
{
    json_t *refused = json_object();
    for (int i = 0; i < SIFT_REFUSE_COUNT_; i++)
        json_object_set_new(refused, sift_refusal_name((sift_refusal)i),
                            json_integer((json_int_t)b->ingest_st.refused[i]));
    return json_pack("{s:I, s:I, s:o, s:I, s:I, s:I, s:I}", "accepted", (json_int_t)b->ingest_st.accepted,
                     "resent", (json_int_t)b->ingest_st.resent,
                     "refused", refused, "delivered", (json_int_t)b->ingest_st.delivered,
                     "dead_lettered", (json_int_t)b->ingest_st.dead_lettered,
                     "latency_p50_us", (json_int_t)sift_hist_quantile(&b->ingest_st.latency_us, 0.5),
                     "latency_p99_us", (json_int_t)sift_hist_quantile(&b->ingest_st.latency_us, 0.99));
}

static json_t *segment_json(const segment *sg)
{
    int live;
    size_t in_flight;
    sift_segment_workers(sg, &live, &in_flight);
    return json_pack("{s:s, s:s, s:I, s:I, s:i, s:i, s:I, s:I, s:I, s:I}", "key", sg->key,
                     "stages", sg->label, "queued", (json_int_t)sg->queued, "in_flight",
                     (json_int_t)in_flight, "workers", live, "workers_wanted", sg->n_slots,
                     "dispatched", (json_int_t)sg->st.dispatched, "retried", (json_int_t)sg->st.retried,
                     "dead_lettered", (json_int_t)sg->st.dead, "restarts", (json_int_t)sg->st.restarts);
}

static json_t *stage_json(const pipeline *pl, size_t i)
{
    const sift_stage_stats *s = &pl->stage_st[i];
    const segment *sg = sift_segment_of(pl, i);
    int live = 0;
    size_t in_flight = 0;
    if (sg)
        sift_segment_workers(sg, &live, &in_flight);
    return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:I}", "name",
                     pl->stage_names[i], "segment", sg ? sg->key : "", "processed",
                     (json_int_t)s->processed, "dropped", (json_int_t)s->dropped, "failed",
                     (json_int_t)s->failed, "retried", (json_int_t)(sg ? sg->st.retried : 0),
                     "in_flight", (json_int_t)in_flight, "queued", (json_int_t)(sg ? sg->queued : 0),
                     "p50_us", (json_int_t)sift_hist_quantile(&s->time_us, 0.5), "p99_us",
                     (json_int_t)sift_hist_quantile(&s->time_us, 0.99), "workers", live,
                     "restarts", (json_int_t)(sg ? sg->st.restarts : 0));
}

static json_t *pipelines_json(const broker *b)
{
    json_t *arr = json_array();
    for (const pipeline *pl = b->pipelines; pl; pl = pl->next) {
        json_t *segs = json_array(), *stages = json_array();
        for (size_t i = 0; i < pl->n_segs; i++)
            json_array_append_new(segs, segment_json(&pl->segs[i]));
        for (size_t i = 0; i < pl->n_stages; i++)
            json_array_append_new(stages, stage_json(pl, i));
        json_array_append_new(arr, json_pack("{s:s, s:b, s:I, s:o, s:o}", "name", pl->name, "retired",
                                             pl->is_retired != 0, "jobs", (json_int_t)pl->n_jobs,
                                             "segments", segs, "stages", stages));
    }
    return arr;
}

static json_t *sinks_json(const broker *b)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < b->n_sinks; i++) {
        const sift_sink_stats *s = sift_sink_get_stats(b->sinks[i]);
        json_array_append_new(arr, json_pack("{s:s, s:I, s:I, s:I}", "name", sift_sink_name(b->sinks[i]),
                                             "written", (json_int_t)s->written, "errors",
                                             (json_int_t)s->errors, "retries", (json_int_t)s->retries));
    }
    return arr;
}

static json_t *spool_json(const broker *b)
{
    sift_spool_stats st;
    if (!b->spool || sift_spool_stat(b->spool, &st) < 0)
        return json_null();
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "records", (json_int_t)st.n_records,
                     "used_bytes", (json_int_t)st.used_bytes, "max_bytes", (json_int_t)st.max_bytes,
                     "commits", (json_int_t)st.n_commits, "failed_passes", (json_int_t)st.n_failed,
                     "refused_full", (json_int_t)st.n_refused);
}

static char *stats_text(const broker *b)
{
    size_t pending = 0;
    for (const job *j = b->pending_head; j; j = j->next)
        pending++;
    json_t *root = json_pack("{s:I, s:b, s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "uptime_s",
                             (json_int_t)((sift_now_ms() - b->started_ms) / 1000), "draining",
                             b->is_draining != 0, "in_siftd", (json_int_t)b->n_jobs, "bytes_in_siftd",
                             (json_int_t)b->n_bytes, "waiting_for_sinks", (json_int_t)pending, "ingest",
                             ingest_json(b), "pipelines", pipelines_json(b), "sinks", sinks_json(b),
                             "spool", spool_json(b));
    char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
    json_decref(root);
    return text;
}

void sift_control_on_message(broker *b, const sift_frames *f)
{
    int cmd = sift_frames_cmd(f, 2);
    size_t ilen;
    const void *ident = sift_frames_data(f, 0, &ilen);
    if (f->n < 3 || !sift_frames_is(f, 1, SIFT_PROTO_CONTROL) || (cmd != SIFT_C_STATS && cmd != SIFT_C_PING)) {
        /* answered all the same, so a client never waits for nothing */
        static const unsigned char bad = SIFT_C_ERROR;
        sift_part parts[] = {sift_part_bytes(ident, ilen), sift_part_str(SIFT_PROTO_CONTROL),
                             sift_part_cmd(&bad),
                             sift_part_str("unknown tag or command")};
        sift_frames_send(b->control, parts, 4, ZMQ_DONTWAIT);
        sift_log(SIFT_LOG_WARN, "broker", "invalid control message", "frames=%zu", f->n);
        return;
    }
    unsigned char rcmd = cmd == SIFT_C_STATS ? SIFT_C_STATS_REPLY : SIFT_C_PONG;
    char *text = cmd == SIFT_C_STATS ? stats_text(b) : NULL;
    sift_part parts[] = {sift_part_bytes(ident, ilen), sift_part_str(SIFT_PROTO_CONTROL),
                         sift_part_cmd(&rcmd),
                         sift_part_str(text ? text : "{}")};
    sift_frames_send(b->control, parts, cmd == SIFT_C_STATS ? 4 : 3, ZMQ_DONTWAIT);
    free(text);
}
