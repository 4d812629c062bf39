/* cmd_stats.c - `sift stats`: ask a running siftd for its counters and print them.
 *
 *   sift stats [-c CONF] [-e ENDPOINT] [--json]
 *
 * Sends STATS on the control socket (endpoints.control, default
 * ipc://sift-control.sock; docs/protocol.md) and prints the reply as tables:
 * siftd and ingest totals, per pipeline its stages and segments, per sink
 * written and errors; a key the reply lacks prints as "-". --json prints
 * the reply itself, one line. No answer within 2 s: a message naming the
 * endpoint, exit 1. This file only asks and formats; siftd's side is
 * daemon/control.c.
 * SPDX-License-Identifier: MIT
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "client.h"
#include "commands.h"
#include "proto.h"

#define STATS_TIMEOUT_MS (2000) /* siftd answers at once; 2 s means it is not there */
#define CMD "sift stats"

typedef struct stats_args {
    const char *conf, *endpoint;
    int is_json;
} stats_args;

static void stats_usage(FILE *f)
{
    fprintf(f,
            "usage: sift stats [-c CONF] [-e ENDPOINT] [--json]\n\n"
            "Asks a running siftd for its statistics and prints them as tables.\n\n"
            "  -c, --config FILE      read endpoints.control here (default: %s)\n"
            "  -e, --endpoint EP      siftd's control endpoint (default: the config's, else\n"
            "                         ipc://sift-control.sock, relative to siftd's directory)\n"
            "      --json             print siftd's JSON reply as is (docs/protocol.md)\n",
            sift_config_default_file());
}

static int parse_args(int argc, char **argv, stats_args *a)
{
    static const struct option longopts[] = {{"config", required_argument, 0, 'c'},
                                             {"endpoint", required_argument, 0, 'e'},
                                             {"json", no_argument, 0, 'j'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:e:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': a->conf = optarg; break;
        case 'e': a->endpoint = optarg; break;
        case 'j': a->is_json = 1; break;
        case 'h': stats_usage(stdout); exit(0);
        default: stats_usage(stderr); return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, CMD ": unexpected argument \"%s\"\n", argv[optind]);
        return -1;
    }
    return 0;
}

/* Send STATS to endpoint and return the reply's JSON text (caller frees), or NULL. */
static char *ask_stats(const char *endpoint)
{
    void *ctx = NULL, *sock = NULL;
    char *text = NULL;
    if (client_socket_open(CMD, ZMQ_DEALER, endpoint, 0, &ctx, &sock) < 0)
        return NULL;
    unsigned char cmd = SIFT_C_STATS;
    sift_part req[] = {sift_part_str(SIFT_PROTO_CONTROL), sift_part_cmd(&cmd)};
    zmq_pollitem_t item = {.socket = sock, .events = ZMQ_POLLIN};
    sift_frames f = {0};
    if (sift_frames_send(sock, req, 2, ZMQ_DONTWAIT) < 0 ||
        zmq_poll(&item, 1, STATS_TIMEOUT_MS) <= 0) {
        fprintf(stderr,
                CMD ": no answer from siftd at %s within %d s (is siftd running, "
                    "from this directory if the endpoint is a relative ipc:// path?)\n",
                endpoint, STATS_TIMEOUT_MS / 1000);
    } else if (sift_frames_recv(sock, &f, 0) < 0 || f.n != 3 ||
               !sift_frames_is(&f, 0, SIFT_PROTO_CONTROL) ||
               sift_frames_cmd(&f, 1) != SIFT_C_STATS_REPLY) {
        fprintf(stderr, CMD ": %s answered something that is not a STATS reply\n", endpoint);
    } else {
        size_t len;
        const char *data = sift_frames_data(&f, 2, &len);
        if ((text = malloc(len + 1))) {
            memcpy(text, data, len);
            text[len] = '\0';
        }
    }
    sift_frames_fini(&f);
    client_socket_close(&ctx, &sock);
    return text;
}

/* ------------------------------------------------------------ formatting */

/* obj[key] as an integer in buf, or "-". */
static const char *num(const json_t *obj, const char *key, char buf[32])
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v))
        return "-";
    snprintf(buf, 32, "%lld", (long long)json_integer_value(v));
    return buf;
}

/* obj[key] as a string, or "-". */
static const char *str(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "-";
}

/* obj[key], microseconds, as "850us", "12.3ms" or "4.1s"; "-" if missing. */
static const char *usecs(const json_t *obj, const char *key, char buf[32])
{
    const json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? client_fmt_us((long long)json_integer_value(v), buf) : "-";
}

static void print_totals(const json_t *root)
{
    char b[4][32];
    const json_t *in = json_object_get(root, "ingest");
    const json_t *draining = json_object_get(root, "draining");
    printf("siftd    up %ss, %s documents inside (%s bytes), %s waiting for sinks%s\n",
           num(root, "uptime_s", b[0]), num(root, "in_siftd", b[1]),
           num(root, "bytes_in_siftd", b[2]), num(root, "waiting_for_sinks", b[3]),
           json_is_true(draining) ? ", draining" : "");
    printf("ingest   accepted %s (resends of one inside %s), delivered %s, dead-lettered %s",
           num(in, "accepted", b[0]), num(in, "resent", b[3]), num(in, "delivered", b[1]),
           num(in, "dead_lettered", b[2]));
    printf(", latency p50 %s p99 %s\n", usecs(in, "latency_p50_us", b[0]),
           usecs(in, "latency_p99_us", b[1]));
    const json_t *refused = json_object_get(in, "refused");
    printf("refused ");
    if (!json_is_object(refused) || json_object_size(refused) == 0)
        printf(" -");
    const char *code;
    const json_t *n;
    json_object_foreach((json_t *)refused, code, n)
        printf(" %s %s", code, num(refused, code, b[0]));
    printf("\n");
}

static int name_width(const json_t *arr, const char *key, int at_least)
{
    size_t i;
    const json_t *e;
    int w = at_least;
    json_array_foreach(arr, i, e)
    {
        int n = (int)strlen(str(e, key));
        w = n > w ? n : w;
    }
    return w;
}

static void print_stages(const json_t *stages)
{
    char b[10][32];
    size_t i;
    const json_t *s;
    int w = name_width(stages, "name", 5);
    printf("  %-*s %10s %8s %7s %8s %9s %7s %8s %8s %7s %8s\n", w, "stage", "processed", "dropped",
           "failed", "retried", "in_flight", "queued", "p50", "p99", "workers", "restarts");
    json_array_foreach(stages, i, s)
    {
        printf("  %-*s %10s %8s %7s %8s %9s %7s %8s %8s %7s %8s\n", w, str(s, "name"),
               num(s, "processed", b[0]), num(s, "dropped", b[1]), num(s, "failed", b[2]),
               num(s, "retried", b[3]), num(s, "in_flight", b[4]), num(s, "queued", b[5]),
               usecs(s, "p50_us", b[6]), usecs(s, "p99_us", b[7]), num(s, "workers", b[8]),
               num(s, "restarts", b[9]));
    }
}

static void print_segments(const json_t *segs)
{
    char b[8][32];
    size_t i;
    const json_t *g;
    int w = name_width(segs, "key", 7);
    printf("  %-*s %7s %9s %7s %7s %10s %8s %5s %8s  %s\n", w, "segment", "queued", "in_flight",
           "workers", "wanted", "dispatched", "retried", "dead", "restarts", "stages");
    json_array_foreach(segs, i, g)
    {
        printf("  %-*s %7s %9s %7s %7s %10s %8s %5s %8s  %s\n", w, str(g, "key"),
               num(g, "queued", b[0]), num(g, "in_flight", b[1]), num(g, "workers", b[2]),
               num(g, "workers_wanted", b[3]), num(g, "dispatched", b[4]), num(g, "retried", b[5]),
               num(g, "dead_lettered", b[6]), num(g, "restarts", b[7]), str(g, "stages"));
    }
}

static void print_pipelines(const json_t *pipelines)
{
    char b[32];
    size_t i;
    const json_t *p;
    json_array_foreach(pipelines, i, p)
    {
        printf("\npipeline %s: %s documents inside%s\n", str(p, "name"), num(p, "jobs", b),
               json_is_true(json_object_get(p, "retired")) ? " (retired by a reload, finishing)"
                                                           : "");
        print_stages(json_object_get(p, "stages"));
        print_segments(json_object_get(p, "segments"));
    }
}

static void print_sinks(const json_t *sinks)
{
    char b[3][32];
    size_t i;
    const json_t *s;
    int w = name_width(sinks, "name", 4);
    printf("\n  %-*s %10s %7s %8s\n", w, "sink", "written", "errors", "retries");
    json_array_foreach(sinks, i, s)
        printf("  %-*s %10s %7s %8s\n", w, str(s, "name"), num(s, "written", b[0]),
               num(s, "errors", b[1]), num(s, "retries", b[2]));
}

static int print_tables(const char *text)
{
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    if (!json_is_object(root)) {
        fprintf(stderr, CMD ": siftd's reply is not a JSON object: %s\n", jerr.text);
        json_decref(root);
        return -1;
    }
    print_totals(root);
    print_pipelines(json_object_get(root, "pipelines"));
    print_sinks(json_object_get(root, "sinks"));
    json_decref(root);
    return 0;
}

int cmd_stats(int argc, char **argv)
{
    stats_args a = {0};
    sift_config *c = NULL;
    if (parse_args(argc, argv, &a) < 0 || (!a.endpoint && client_config_load(CMD, a.conf, &c) < 0))
        return 2;
    const char *endpoint = a.endpoint ? a.endpoint : c ? c->control : "ipc://sift-control.sock";
    char *text = ask_stats(endpoint);
    int status = 1;
    if (text && a.is_json)
        status = printf("%s\n", text) < 0 ? 1 : 0;
    else if (text)
        status = print_tables(text) < 0 ? 1 : 0;
    free(text);
    sift_config_destroy(&c);
    return status;
}
