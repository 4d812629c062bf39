/* cmd_push.c - `sift push`: hand documents to a running siftd.
 *
 *   sift push [-c CONF] [-e ENDPOINT] [-p PIPELINE] [-w WINDOW] [--source NAME] [-q] PATH...
 *
 * Reads PATHs as `sift run` does (input.c) and sends each document as a
 * PUSH to siftd's ingest socket (endpoints.ingest[0] of the config, default
 * ipc://sift-ingest.sock), keeping up to WINDOW in flight, and counts the
 * replies (docs/protocol.md). Each in-flight document sits in a slot whose
 * number and generation make its correlation id ("<slot>.<gen>"), so a
 * reply finds its document without a search and a stale one is ignored.
 *
 * A slot is FREE, SENT (waiting for the reply) or WAITING (refused
 * `overloaded` or `internal`, to be resent once the backoff is over):
 *   FREE -> SENT         [push_doc]        SENT -> FREE     [on_reply: accepted, refused]
 *   SENT -> WAITING      [should_resend]   WAITING -> SENT  [pump, after hold_until_ms]
 * Invariants: n_sent + n_waiting = slots not FREE; n_sent <= cwnd, except
 * just after cwnd was halved; nothing new is sent while any slot waits.
 * Backoff: the first refusal after a pause starts another pause (50 ms,
 * doubling while nothing is accepted, up to 2 s) and halves cwnd, which
 * grows back by one per cwnd ACCEPTED (TCP's congestion window), so what is
 * resent after a pause is about what siftd can take, not a burst refused
 * again. A document refused for 60 s
 * counts as refused `overloaded`. If siftd answers nothing for 30 s while
 * documents are in flight, push stops with a message naming the endpoint.
 *
 * On a terminal a progress line is redrawn at most ten times a second;
 * otherwise (and at the end) one summary line, then one line per refusal
 * code with its first message. Exit 0 when every document was accepted,
 * 1 when any was refused, unreadable or unanswered, 2 on usage errors.
 * SPDX-License-Identifier: MIT
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "client.h"
#include "codec.h"
#include "commands.h"
#include "input.h"
#include "log.h"
#include "proto.h"

#define CMD "sift push"
#define WINDOW_DEFAULT (64)   /* documents in flight; 64-256 is plenty on one host */
#define BACKOFF_MIN_MS (50)   /* first pause after `overloaded` */
#define BACKOFF_MAX_MS (2000) /* the pause doubles, while nothing is accepted, up to this */
#define GIVE_UP_MS (60000)    /* refused `overloaded` this long: count it refused */
#define SILENCE_MS (30000)    /* nothing heard this long with documents in flight: stop */
#define DRAW_EVERY_MS (100)   /* progress redraws, at most */
#define N_CODES (SIFT_REFUSE_COUNT_ + 1) /* the last counts codes this sift does not know */

typedef enum slot_state { SLOT_FREE, SLOT_SENT, SLOT_WAITING } slot_state;

typedef struct push_slot {
    slot_state state;
    unsigned gen; /* bumped on every send; part of the correlation id */
    char *msg;    /* owned: the document's msgpack */
    size_t len;
    char *id;                 /* owned: for messages */
    int64_t first_refused_ms; /* first `overloaded` of this document; 0 = none */
} push_slot;

typedef struct pusher {
    void *ctx, *sock;
    const char *endpoint, *pipeline;
    push_slot *slots;
    size_t window, n_sent, n_waiting;
    size_t cwnd;      /* in flight allowed now, 1..window */
    size_t n_grow;    /* ACCEPTED since cwnd last grew; at cwnd, it grows by one */
    int64_t delay_ms; /* the current pause; 0 after an ACCEPTED */
    int64_t hold_until_ms, last_heard_ms, started_ms, drawn_ms;
    size_t n_accepted, n_input_errors, refused[N_CODES];
    uint64_t bytes_accepted;
    char *first[N_CODES]; /* owned: "<id>: <message>" of each code's first refusal */
    long total;           /* documents to push; -1 = unknown */
    int is_tty, is_quiet;
} pusher;

typedef struct push_args {
    const char *conf, *endpoint, *pipeline, *source;
    long window;
    int is_quiet;
} push_args;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *code_name(size_t k)
{
    return k < SIFT_REFUSE_COUNT_ ? sift_refusal_name((sift_refusal)k) : "other";
}

static size_t n_refused(const pusher *p)
{
    size_t n = 0;
    for (size_t k = 0; k < N_CODES; k++)
        n += p->refused[k];
    return n;
}

/* ------------------------------------------------------------ progress */

static void draw(pusher *p)
{
    int64_t now = now_ms();
    if (!p->is_tty || now - p->drawn_ms < DRAW_EVERY_MS)
        return;
    p->drawn_ms = now;
    double s = (double)(now - p->started_ms) / 1000.0;
    size_t done = p->n_accepted + n_refused(p);
    double rate = s > 0 ? (double)done / s : 0;
    char total[32] = "", eta[32] = "";
    if (p->total >= 0) {
        snprintf(total, sizeof total, "/%ld", p->total);
        long left = p->total - (long)done;
        if (rate > 0 && left > 0)
            snprintf(eta, sizeof eta, "  ETA %ld:%02ld", (long)(left / rate) / 60,
                     (long)(left / rate) % 60);
    }
    fprintf(stderr, "\r\033[K%zu%s docs  %.0f docs/s  %.1f MB/s  accepted %zu  refused %zu%s", done,
            total, rate, s > 0 ? (double)p->bytes_accepted / s / 1e6 : 0.0, p->n_accepted,
            n_refused(p), eta);
}

static void clear_line(const pusher *p)
{
    if (p->is_tty)
        fprintf(stderr, "\r\033[K");
}

static void summary(const pusher *p)
{
    double s = (double)(now_ms() - p->started_ms) / 1000.0;
    size_t refused = n_refused(p), done = p->n_accepted + refused, left = p->n_sent + p->n_waiting;
    char unanswered[48] = "";
    if (left)
        snprintf(unanswered, sizeof unanswered, ", %zu unanswered", left);
    clear_line(p);
    if (!p->is_quiet || refused || p->n_input_errors || left)
        fprintf(stderr,
                CMD ": %zu document%s in %.1f s (%.0f docs/s, %.1f MB/s): %zu accepted, "
                    "%zu refused, %zu input errors%s\n",
                done, done == 1 ? "" : "s", s, s > 0 ? (double)done / s : 0.0,
                s > 0 ? (double)p->bytes_accepted / s / 1e6 : 0.0, p->n_accepted, refused,
                p->n_input_errors, unanswered);
    for (size_t k = 0; k < N_CODES; k++)
        if (p->refused[k])
            fprintf(stderr, CMD ": refused %zu %s, first: %s\n", p->refused[k], code_name(k),
                    p->first[k] ? p->first[k] : "?");
}

/* ------------------------------------------------------------ the window */

static int send_slot(pusher *p, size_t i)
{
    push_slot *s = &p->slots[i];
    char corr[32];
    unsigned char cmd = SIFT_P_PUSH;
    if (p->n_sent == 0)
        p->last_heard_ms = now_ms(); /* the silence clock starts now */
    s->gen++;
    snprintf(corr, sizeof corr, "%zu.%u", i, s->gen);
    sift_part parts[] = {sift_part_str(SIFT_PROTO_PRODUCER),
                         sift_part_cmd(&cmd),
                         sift_part_str(corr),
                         sift_part_str(p->pipeline),
                         sift_part_bytes(s->msg, s->len)};
    int rc = sift_frames_send(p->sock, parts, 5, 0);
    if (rc < 0) {
        clear_line(p);
        fprintf(stderr, CMD ": cannot send to %s: %s\n", p->endpoint, zmq_strerror(-rc));
        return -1;
    }
    s->state = SLOT_SENT;
    p->n_sent++;
    return 0;
}

static void free_slot(pusher *p, push_slot *s)
{
    if (s->state == SLOT_SENT)
        p->n_sent--;
    else if (s->state == SLOT_WAITING)
        p->n_waiting--;
    free(s->msg);
    free(s->id);
    *s = (push_slot){.gen = s->gen};
}

/* The slot a correlation id names, if it still waits for that reply. */
static push_slot *slot_of(pusher *p, const sift_frames *f)
{
    size_t len, i;
    unsigned gen;
    const char *corr = sift_frames_data(f, 2, &len);
    char buf[32];
    if (!corr || len == 0 || len >= sizeof buf)
        return NULL;
    memcpy(buf, corr, len);
    buf[len] = '\0';
    if (sscanf(buf, "%zu.%u", &i, &gen) != 2 || i >= p->window)
        return NULL;
    push_slot *s = &p->slots[i];
    return s->state == SLOT_SENT && s->gen == gen ? s : NULL;
}

/* Refused `overloaded` or `internal` and not for too long: wait, then resend. */
static int should_resend(pusher *p, push_slot *s, const sift_frames *f)
{
    int64_t now = now_ms();
    if (!sift_frames_is(f, 3, sift_refusal_name(SIFT_REFUSE_OVERLOADED)) &&
        !sift_frames_is(f, 3, sift_refusal_name(SIFT_REFUSE_INTERNAL)))
        return 0;
    if (s->first_refused_ms && now - s->first_refused_ms >= GIVE_UP_MS)
        return 0;
    if (!s->first_refused_ms)
        s->first_refused_ms = now;
    if (now >= p->hold_until_ms) { /* the first refusal since the last pause */
        p->delay_ms = p->delay_ms ? p->delay_ms * 2 : BACKOFF_MIN_MS;
        p->delay_ms = p->delay_ms > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : p->delay_ms;
        p->hold_until_ms = now + p->delay_ms;
        p->cwnd = p->cwnd > 1 ? p->cwnd / 2 : 1;
    }
    s->state = SLOT_WAITING;
    p->n_sent--;
    p->n_waiting++;
    return 1;
}

static void count_refusal(pusher *p, push_slot *s, const sift_frames *f)
{
    size_t k = 0, mlen = 0;
    while (k < SIFT_REFUSE_COUNT_ && !sift_frames_is(f, 3, code_name(k)))
        k++;
    p->refused[k]++;
    const char *msg = sift_frames_data(f, 4, &mlen);
    if (!p->first[k]) {
        size_t n = strlen(s->id) + mlen + 32;
        if ((p->first[k] = malloc(n)))
            snprintf(p->first[k], n, "%s: %.*s%s", s->id, (int)mlen, msg ? msg : "",
                     s->first_refused_ms &&
                             (k == SIFT_REFUSE_OVERLOADED || k == SIFT_REFUSE_INTERNAL)
                         ? " (gave up after 60 s)"
                         : "");
    }
    free_slot(p, s);
}

static void on_reply(pusher *p, const sift_frames *f)
{
    push_slot *s = f->n >= 4 && sift_frames_is(f, 0, SIFT_PROTO_PRODUCER) ? slot_of(p, f) : NULL;
    int cmd = sift_frames_cmd(f, 1);
    if (!s) {
        sift_log(SIFT_LOG_WARN, "proto", "unexpected reply ignored", "frames=%zu", f->n);
        return;
    }
    if (cmd == SIFT_P_ACCEPTED) {
        p->n_accepted++;
        p->delay_ms = 0;
        if (++p->n_grow >= p->cwnd && p->cwnd < p->window) {
            p->cwnd++;
            p->n_grow = 0;
        }
        p->bytes_accepted += s->len;
        free_slot(p, s);
    } else if (cmd != SIFT_P_REFUSED || !should_resend(p, s, f)) {
        count_refusal(p, s, f);
    }
}

/* Resend what waits once the hold is over, then read replies for up to
 * 100 ms. Returns -1 when siftd has been silent too long or sending failed. */
static int pump(pusher *p)
{
    for (size_t i = 0;
         i < p->window && p->n_waiting && p->n_sent < p->cwnd && now_ms() >= p->hold_until_ms; i++)
        if (p->slots[i].state == SLOT_WAITING) {
            p->n_waiting--; /* send_slot counts it as sent */
            if (send_slot(p, i) < 0)
                return -1;
        }
    zmq_pollitem_t item = {.socket = p->sock, .events = ZMQ_POLLIN};
    sift_frames f = {0};
    if (zmq_poll(&item, 1, DRAW_EVERY_MS) > 0) {
        p->last_heard_ms = now_ms();
        while (sift_frames_recv(p->sock, &f, ZMQ_DONTWAIT) == 0) {
            on_reply(p, &f);
            sift_frames_close(&f);
        }
        sift_frames_fini(&f);
    } else if (p->n_sent && now_ms() - p->last_heard_ms > SILENCE_MS) {
        clear_line(p);
        fprintf(stderr,
                CMD ": no reply from siftd at %s for %d s with %zu documents in flight; "
                    "is siftd running there?\n",
                p->endpoint, SILENCE_MS / 1000, p->n_sent);
        return -1;
    }
    draw(p);
    return 0;
}

/* Wait for a free slot (and no backoff), then send msg from it. Takes
 * ownership of *msg; sets *msg to NULL. id: copied. */
static int push_doc(pusher *p, char **msg, size_t len, const char *id)
{
    size_t i;
    for (;;) {
        for (i = 0; i < p->window && p->slots[i].state != SLOT_FREE; i++)
            ;
        if (i < p->window && !p->n_waiting && p->n_sent < p->cwnd && now_ms() >= p->hold_until_ms)
            break;
        if (pump(p) < 0)
            return -1;
    }
    push_slot *s = &p->slots[i];
    s->msg = *msg;
    s->len = len;
    *msg = NULL;
    if (!(s->id = strdup(id)))
        return -1;
    return send_slot(p, i);
}

static int push_finish(pusher *p)
{
    while (p->n_sent || p->n_waiting)
        if (pump(p) < 0)
            return -1;
    return 0;
}

/* ------------------------------------------------------------ inputs */

static int on_doc(void *ctx, sift_doc **dp)
{
    pusher *p = ctx;
    char *msg = NULL;
    size_t len;
    if (sift_codec_encode(*dp, &msg, &len) < 0)
        return SIFT_ENOMEM;
    int rc = push_doc(p, &msg, len, (*dp)->id);
    free(msg);
    return rc < 0 ? -1 : 0;
}

static void on_input_error(void *ctx, const char *where, const char *msg)
{
    pusher *p = ctx;
    p->n_input_errors++;
    clear_line(p);
    sift_log(SIFT_LOG_ERROR, "input", "input skipped", "where=%s err=%s", where, msg);
}

static long count_all(int n, char **paths)
{
    long total = 0;
    for (int i = 0; i < n && total >= 0; i++) {
        long k = input_count(paths[i]);
        total = k < 0 ? -1 : total + k;
    }
    return total;
}

/* ------------------------------------------------------------ command */

static void push_usage(FILE *f)
{
    fprintf(
        f,
        "usage: sift push [-c CONF] [-e ENDPOINT] [-p PIPELINE] [-w WINDOW] [--source NAME] [-q]\n"
        "                 PATH...\n\n"
        "Sends documents to a running siftd (docs/protocol.md); results go to its sinks.\n"
        "PATH: a text file (one document, id = file name), a directory (its files),\n"
        "      a .jsonl file ({\"id\",\"text\",\"source\"?,\"fields\"?} per line), or - for "
        "stdin.\n\n"
        "  -c, --config FILE    read endpoints.ingest here (default: %s)\n"
        "  -e, --endpoint EP    siftd's ingest endpoint (default: the config's first, else\n"
        "                       ipc://sift-ingest.sock, relative to siftd's directory)\n"
        "  -p, --pipeline NAME  pipeline (default: default)\n"
        "  -w, --window N       documents in flight (default: %d)\n"
        "      --source NAME    source of text-file documents (default: none)\n"
        "  -q, --quiet          no progress and no summary unless something was refused\n\n"
        "Resends on `overloaded` (50 ms doubling to 2 s, for up to 60 s). Exit status 1 if\n"
        "any document was refused or unreadable, or siftd did not answer for 30 s.\n",
        sift_config_default_file(), WINDOW_DEFAULT);
}

static int parse_args(int argc, char **argv, push_args *a)
{
    static const struct option longopts[] = {
        {"config", required_argument, 0, 'c'},   {"endpoint", required_argument, 0, 'e'},
        {"pipeline", required_argument, 0, 'p'}, {"window", required_argument, 0, 'w'},
        {"source", required_argument, 0, 'S'},   {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
    int c;
    char *end = NULL;
    *a = (push_args){.pipeline = "", .window = WINDOW_DEFAULT};
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:e:p:w:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': a->conf = optarg; break;
        case 'e': a->endpoint = optarg; break;
        case 'p': a->pipeline = optarg; break;
        case 'w': a->window = strtol(optarg, &end, 10); break;
        case 'S': a->source = optarg; break;
        case 'q': a->is_quiet = 1; break;
        case 'h': push_usage(stdout); exit(0);
        default: push_usage(stderr); return -1;
        }
    }
    if ((end && *end) || a->window < 1 || a->window > 100000) {
        fprintf(stderr, CMD ": -w wants a window of 1 to 100000 documents\n");
        return -1;
    }
    if (optind == argc) {
        fprintf(stderr, CMD ": no PATH given (use - for standard input)\n");
        return -1;
    }
    return 0;
}

static int pusher_open(pusher *p, const push_args *a, const char *endpoint)
{
    *p = (pusher){.endpoint = endpoint,
                  .pipeline = a->pipeline,
                  .window = (size_t)a->window,
                  .cwnd = (size_t)a->window,
                  .is_tty = !a->is_quiet && isatty(2),
                  .is_quiet = a->is_quiet,
                  .total = -1};
    int hwm = (int)a->window + 16; /* sends never block on the window's own messages */
    if (!(p->slots = calloc(p->window, sizeof *p->slots)))
        return -1;
    return client_socket_open(CMD, ZMQ_DEALER, endpoint, hwm, &p->ctx, &p->sock);
}

static void pusher_close(pusher *p)
{
    for (size_t i = 0; p->slots && i < p->window; i++)
        free_slot(p, &p->slots[i]);
    free(p->slots);
    for (size_t k = 0; k < N_CODES; k++)
        free(p->first[k]);
    client_socket_close(&p->ctx, &p->sock);
}

int cmd_push(int argc, char **argv)
{
    push_args a;
    sift_config *c = NULL;
    pusher p = {0};
    if (parse_args(argc, argv, &a) < 0 || (!a.endpoint && client_config_load(CMD, a.conf, &c) < 0))
        return 2;
    const char *endpoint = a.endpoint         ? a.endpoint
                           : c && c->n_ingest ? c->ingest[0]
                                              : "ipc://sift-ingest.sock";
    int status = 2;
    if (pusher_open(&p, &a, endpoint) == 0) {
        int n = argc - optind, rc = 0;
        char **paths = argv + optind;
        input_opts io = {
            .source = a.source, .on_doc = on_doc, .on_error = on_input_error, .ctx = &p};
        p.total = p.is_tty ? count_all(n, paths) : -1;
        p.started_ms = now_ms();
        for (int i = 0; i < n && rc >= 0; i++)
            rc = input_read(paths[i], &io);
        if (rc >= 0)
            rc = push_finish(&p);
        summary(&p);
        status = rc < 0 || n_refused(&p) || p.n_input_errors ? 1 : 0;
    }
    pusher_close(&p);
    sift_config_destroy(&c);
    return status;
}
