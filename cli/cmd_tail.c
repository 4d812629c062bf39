/* cmd_tail.c - `sift tail`: follow the documents a running siftd finishes.
 *
 *   sift tail [-c CONF] [-e ENDPOINT] [--jsonl] [-n COUNT]
 *
 * Subscribes to siftd's tail PUB socket (endpoints.tail, default
 * ipc://sift-tail.sock), where every finished document, delivered or
 * dead-lettered, is published as one JSON object (docs/protocol.md). Prints
 * each one pretty (id, status, title, author/date/language, quality,
 * per-stage times) or, with --jsonl, as the JSON line itself. The tail is
 * best effort: a subscriber sees only what siftd publishes after it has
 * connected, and loses results when it falls far behind; sinks are the
 * complete record. -n stops after COUNT results; SIGINT/SIGTERM stop it
 * cleanly. This file only reads; publishing is daemon/deliver.c's.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "client.h"
#include "commands.h"
#include "proto.h"

#define CMD "sift tail"

static volatile sig_atomic_t got_stop;

static void on_stop(int sig)
{
    (void)sig;
    got_stop = 1;
}

typedef struct tail_args {
    const char *conf, *endpoint;
    int is_jsonl;
    long count; /* 0 = no limit */
} tail_args;

static void tail_usage(FILE *f)
{
    fprintf(f,
            "usage: sift tail [-c CONF] [-e ENDPOINT] [--jsonl] [-n COUNT]\n\n"
            "Prints the documents a running siftd finishes, as they finish (best effort:\n"
            "only those finished after sift tail connected; sinks keep the full record).\n\n"
            "  -c, --config FILE      read endpoints.tail here (default: %s)\n"
            "  -e, --endpoint EP      siftd's tail endpoint (default: the config's, else\n"
            "                         ipc://sift-tail.sock, relative to siftd's directory)\n"
            "      --jsonl            print each document as its JSON line (docs/output.md)\n"
            "  -n, --count COUNT      exit after COUNT documents\n",
            sift_config_default_file());
}

static int parse_args(int argc, char **argv, tail_args *a)
{
    static const struct option longopts[] = {
        {"config", required_argument, 0, 'c'}, {"endpoint", required_argument, 0, 'e'},
        {"jsonl", no_argument, 0, 'j'},        {"count", required_argument, 0, 'n'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    int c;
    char *end;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:e:n:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': a->conf = optarg; break;
        case 'e': a->endpoint = optarg; break;
        case 'j': a->is_jsonl = 1; break;
        case 'n':
            a->count = strtol(optarg, &end, 10);
            if (*end || a->count < 1) {
                fprintf(stderr, CMD ": -n wants a count of 1 or more (got \"%s\")\n", optarg);
                return -1;
            }
            break;
        case 'h': tail_usage(stdout); exit(0);
        default: tail_usage(stderr); return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, CMD ": unexpected argument \"%s\"\n", argv[optind]);
        return -1;
    }
    return 0;
}

/* fields[key], or the first fields.<stage>[key] (stages by convention
 * write under their own name), as a string; NULL if neither is one. */
static const char *field(const json_t *fields, const char *key)
{
    const char *s = json_string_value(json_object_get(fields, key));
    const char *name;
    const json_t *sub;
    json_object_foreach((json_t *)fields, name, sub) if (!s && json_is_object(sub)) s =
        json_string_value(json_object_get(sub, key));
    return s;
}

/* scores.quality, else the first score named "<namespace>.quality"; -1 if none. */
static double quality(const json_t *scores)
{
    const char *name;
    const json_t *v;
    if (json_is_number(json_object_get(scores, "quality")))
        return json_number_value(json_object_get(scores, "quality"));
    json_object_foreach((json_t *)scores, name, v)
    {
        size_t n = strlen(name);
        if (n > 8 && strcmp(name + n - 8, ".quality") == 0 && json_is_number(v))
            return json_number_value(v);
    }
    return -1;
}

static void print_status(const json_t *doc)
{
    const json_t *st = json_object_get(doc, "status");
    const char *state = json_string_value(json_object_get(st, "state"));
    const char *stage = json_string_value(json_object_get(st, "stage"));
    const char *why =
        json_string_value(json_object_get(st, json_object_get(st, "reason") ? "reason" : "error"));
    const json_t *attempt = json_object_get(doc, "attempt");
    printf("%s  %s", json_string_value(json_object_get(doc, "id")), state ? state : "?");
    if (stage)
        printf(" by %s: %s", stage, why ? why : "");
    double q = quality(json_object_get(doc, "scores"));
    if (q >= 0)
        printf("  quality %.2f", q);
    if (json_is_integer(attempt))
        printf("  attempt %lld", (long long)json_integer_value(attempt));
    printf("\n");
}

static void print_pretty(const json_t *doc)
{
    static const char *const meta[] = {"author", "date", "language"};
    const json_t *fields = json_object_get(doc, "fields");
    print_status(doc);
    const char *title = field(fields, "title");
    if (title)
        printf("  title: %s\n", title);
    int n = 0;
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++) {
        const char *v = field(fields, meta[i]);
        if (v)
            printf("  %s: %s", meta[i], v), n++;
    }
    if (n)
        printf("\n");
    size_t i;
    const json_t *t;
    char buf[32];
    json_array_foreach(json_object_get(doc, "trace"), i, t)
    {
        const char *stage = json_string_value(json_object_get(t, "stage"));
        printf("%s%s %s", i ? ", " : "  stages: ", stage ? stage : "?",
               client_fmt_us((long long)json_integer_value(json_object_get(t, "us")), buf));
    }
    if (i)
        printf("\n");
}

/* Print one published message; returns 0, or -1 when it is not a document. */
static int print_result(const char *data, size_t len, int is_jsonl)
{
    if (is_jsonl) {
        fwrite(data, 1, len, stdout);
        fputc('\n', stdout);
        return 0;
    }
    json_error_t jerr;
    json_t *doc = json_loadb(data, len, 0, &jerr);
    int rc = json_is_string(json_object_get(doc, "id")) ? 0 : -1;
    if (rc == 0)
        print_pretty(doc);
    else
        fprintf(stderr, CMD ": skipped a message that is not a document (%zu bytes)\n", len);
    json_decref(doc);
    return rc;
}

static int follow(void *sock, const tail_args *a)
{
    long seen = 0;
    sift_frames f = {0};
    while (!got_stop && (a->count == 0 || seen < a->count)) {
        int rc = sift_frames_recv(sock, &f, 0);
        if (rc == -EINTR)
            continue;
        if (rc < 0) {
            fprintf(stderr, CMD ": receive failed: %s\n", zmq_strerror(-rc));
            break;
        }
        size_t len;
        const char *data = sift_frames_data(&f, 0, &len);
        if (print_result(data, len, a->is_jsonl) == 0)
            seen++;
        sift_frames_close(&f);
        fflush(stdout);
    }
    sift_frames_fini(&f);
    return ferror(stdout) ? -1 : 0;
}

int cmd_tail(int argc, char **argv)
{
    tail_args a = {0};
    sift_config *c = NULL;
    void *ctx = NULL, *sock = NULL;
    if (parse_args(argc, argv, &a) < 0 || (!a.endpoint && client_config_load(CMD, a.conf, &c) < 0))
        return 2;
    const char *endpoint = a.endpoint ? a.endpoint : c ? c->tail : "ipc://sift-tail.sock";
    int status = 2;
    if (client_socket_open(CMD, ZMQ_SUB, endpoint, 0, &ctx, &sock) == 0 &&
        zmq_setsockopt(sock, ZMQ_SUBSCRIBE, "", 0) == 0) {
        struct sigaction sa = {.sa_handler = on_stop};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        status = follow(sock, &a) < 0 ? 1 : 0;
    }
    client_socket_close(&ctx, &sock);
    sift_config_destroy(&c);
    return status;
}
