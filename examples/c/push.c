/* push.c - push documents to siftd over the producer protocol, in C.
 *
 *   sift-push-example [-e ENDPOINT] [-p PIPELINE] [-w WINDOW] [--ids-out FILE] PATH...
 *   sift-push-example [-e ENDPOINT] [-p PIPELINE] [-w WINDOW] --count N [--size BYTES]
 *                     [--prefix P]
 *
 * An example written from docs/protocol.md alone: libzmq and msgpack-c,
 * no sift headers, so it builds anywhere those two are installed. A PATH is
 * a file (one document, id = the file's name, text sent as msgpack bin
 * since its encoding is unknown), a directory (its regular files in name
 * order, hidden ones skipped) or "-" (standard input, id "stdin"); .jsonl
 * files are skipped as input errors (push.py and `sift push` read them).
 * --count generates numbered documents P0 .. P(N-1) for load tests.
 *
 * Up to WINDOW PUSHes are in flight, each in a slot; the correlation id is
 * "<slot>.<generation>", so a reply finds its slot without a search and a
 * stale reply is recognised. On `overloaded` or `internal` the document
 * waits in its slot and nothing is sent for a pause (50 ms, doubling while
 * nothing is accepted, up to 2 s); the number in flight is halved and grows
 * back by one per window of ACCEPTED, and waiting documents go first. After
 * 60 s of that a document counts as refused. Prints a summary line on
 * stdout. Exit 0 when everything was accepted, 1 when anything was finally
 * refused or unreadable or siftd was silent for 30 s with documents in
 * flight, 2 on usage errors.
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zmq.h>

#define TAG "SIFTP1"
#define CMD_PUSH (0x01)
#define CMD_ACCEPTED (0x81)
#define CMD_REFUSED (0x82)
#define BACKOFF_MIN_MS (50)   /* first pause after `overloaded` */
#define BACKOFF_MAX_MS (2000) /* the pause doubles, while nothing is accepted, up to this */
#define GIVE_UP_MS (60000)    /* refused `overloaded` this long: give the document up */
#define SILENCE_MS (30000)    /* nothing heard this long with PUSHes in flight: siftd is gone */
#define MAX_REPLY_FRAMES (5)

enum { SLOT_FREE, SLOT_SENT, SLOT_WAITING };

static const char *const codes[] = {"malformed",  "too_large",     "unknown_pipeline",
                                    "overloaded", "shutting_down", "internal",
                                    "other"};
#define N_CODES (sizeof codes / sizeof codes[0])

typedef struct slot {
    int state;
    unsigned gen; /* bumped on every send; part of the correlation id */
    char *msg;    /* owned: the packed document */
    size_t len;
    char *label;             /* owned: the id, for messages */
    long long first_refused; /* ms of the first `overloaded`, 0 = none yet */
} slot;

typedef struct pusher {
    void *ctx, *sock;
    const char *endpoint, *pipeline;
    slot *slots;
    size_t window, n_sent, n_waiting;
    size_t cwnd;   /* in flight allowed now, 1..window: halved per pause */
    size_t n_grow; /* ACCEPTED since cwnd last grew; at cwnd, it grows by one */
    long long hold_until, last_heard;
    long long delay_ms; /* the current pause; 0 after an ACCEPTED */
    size_t accepted, refused[N_CODES];
    char *first[N_CODES]; /* owned: the first message of each refusal code */
    FILE *ids_out;
} pusher;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int send_slot(pusher *p, size_t i)
{
    slot *s = &p->slots[i];
    char corr[32];
    unsigned char cmd = CMD_PUSH;
    if (p->n_sent == 0)
        p->last_heard = now_ms(); /* the silence clock starts now */
    s->gen++;
    snprintf(corr, sizeof corr, "%zu.%u", i, s->gen);
    if (zmq_send(p->sock, TAG, strlen(TAG), ZMQ_SNDMORE) < 0 ||
        zmq_send(p->sock, &cmd, 1, ZMQ_SNDMORE) < 0 ||
        zmq_send(p->sock, corr, strlen(corr), ZMQ_SNDMORE) < 0 ||
        zmq_send(p->sock, p->pipeline, strlen(p->pipeline), ZMQ_SNDMORE) < 0 ||
        zmq_send(p->sock, s->msg, s->len, 0) < 0) {
        fprintf(stderr, "push: send to %s: %s\n", p->endpoint, zmq_strerror(errno));
        return -1;
    }
    s->state = SLOT_SENT;
    p->n_sent++;
    return 0;
}

static void free_slot(pusher *p, slot *s)
{
    if (s->state == SLOT_SENT)
        p->n_sent--;
    else if (s->state == SLOT_WAITING)
        p->n_waiting--;
    free(s->msg);
    free(s->label);
    *s = (slot){.gen = s->gen};
}

static void count_refusal(pusher *p, slot *s, const char *code, size_t code_len, const char *msg,
                          size_t msg_len)
{
    size_t k = 0;
    while (k + 1 < N_CODES &&
           !(strlen(codes[k]) == code_len && memcmp(codes[k], code, code_len) == 0))
        k++;
    p->refused[k]++;
    if (!p->first[k]) {
        size_t n = strlen(s->label) + msg_len + 3;
        if ((p->first[k] = malloc(n)))
            snprintf(p->first[k], n, "%s: %.*s", s->label, (int)msg_len, msg);
    }
    free_slot(p, s);
}

/* A REFUSED that says "try again": wait in the slot, hold new sends. */
static int should_resend(pusher *p, slot *s, const char *code, size_t code_len)
{
    int is_retry = (code_len == 10 && memcmp(code, "overloaded", 10) == 0) ||
                   (code_len == 8 && memcmp(code, "internal", 8) == 0);
    long long now = now_ms();
    if (!is_retry || (s->first_refused && now - s->first_refused >= GIVE_UP_MS))
        return 0;
    if (!s->first_refused)
        s->first_refused = now;
    if (now >= p->hold_until) { /* the first refusal since the last pause: pause again */
        p->delay_ms = p->delay_ms ? p->delay_ms * 2 : BACKOFF_MIN_MS;
        p->delay_ms = p->delay_ms > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : p->delay_ms;
        p->hold_until = now + p->delay_ms;
        p->cwnd = p->cwnd > 1 ? p->cwnd / 2 : 1;
    }
    s->state = SLOT_WAITING;
    p->n_sent--;
    p->n_waiting++;
    return 1;
}

/* The slot a correlation id names, if it is still waiting for that reply. */
static slot *slot_of(pusher *p, const char *corr, size_t len)
{
    char buf[32];
    size_t i;
    unsigned gen;
    if (len == 0 || len >= sizeof buf)
        return NULL;
    memcpy(buf, corr, len);
    buf[len] = '\0';
    if (sscanf(buf, "%zu.%u", &i, &gen) != 2 || i >= p->window)
        return NULL;
    slot *s = &p->slots[i];
    return s->state == SLOT_SENT && s->gen == gen ? s : NULL;
}

static void on_reply(pusher *p, zmq_msg_t *f, int n)
{
    const unsigned char *cmd = n > 1 ? zmq_msg_data(&f[1]) : NULL;
    slot *s = n >= 4 ? slot_of(p, zmq_msg_data(&f[2]), zmq_msg_size(&f[2])) : NULL;
    if (!s || zmq_msg_size(&f[0]) != strlen(TAG) || memcmp(zmq_msg_data(&f[0]), TAG, strlen(TAG)) ||
        zmq_msg_size(&f[1]) != 1) {
        fprintf(stderr, "push: ignoring an unexpected reply (%d frames)\n", n);
        return;
    }
    if (cmd[0] == CMD_ACCEPTED) {
        p->accepted++;
        p->delay_ms = 0;
        if (++p->n_grow >= p->cwnd && p->cwnd < p->window) {
            p->cwnd++;
            p->n_grow = 0;
        }
        if (p->ids_out)
            fprintf(p->ids_out, "%.*s\n", (int)zmq_msg_size(&f[3]),
                    (const char *)zmq_msg_data(&f[3]));
        free_slot(p, s);
        return;
    }
    const char *code = zmq_msg_data(&f[3]);
    size_t code_len = zmq_msg_size(&f[3]);
    if (cmd[0] == CMD_REFUSED && should_resend(p, s, code, code_len))
        return;
    count_refusal(p, s, code, code_len, n > 4 ? zmq_msg_data(&f[4]) : "",
                  n > 4 ? zmq_msg_size(&f[4]) : 0);
}

/* Receive one whole reply (extra frames beyond MAX_REPLY_FRAMES are dropped). */
static int recv_reply(pusher *p)
{
    zmq_msg_t f[MAX_REPLY_FRAMES];
    int n = 0, more = 1;
    while (more) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, p->sock, n == 0 ? ZMQ_DONTWAIT : 0) < 0) {
            zmq_msg_close(&m);
            break;
        }
        more = zmq_msg_more(&m);
        if (n < MAX_REPLY_FRAMES)
            f[n++] = m;
        else
            zmq_msg_close(&m);
    }
    if (n > 0)
        on_reply(p, f, n);
    for (int i = 0; i < n; i++)
        zmq_msg_close(&f[i]);
    return n;
}

/* Resend waiting documents once the hold is over, then read replies for up
 * to 100 ms. Returns -1 when siftd has been silent too long or sending failed. */
static int pump(pusher *p)
{
    for (size_t i = 0;
         i < p->window && p->n_waiting && p->n_sent < p->cwnd && now_ms() >= p->hold_until; i++)
        if (p->slots[i].state == SLOT_WAITING) {
            p->n_waiting--; /* send_slot counts it as sent */
            if (send_slot(p, i) < 0)
                return -1;
        }
    zmq_pollitem_t item = {.socket = p->sock, .events = ZMQ_POLLIN};
    if (zmq_poll(&item, 1, 100) > 0) {
        p->last_heard = now_ms();
        while (recv_reply(p) > 0)
            ;
    } else if (p->n_sent && now_ms() - p->last_heard > SILENCE_MS) {
        fprintf(stderr, "push: no reply from siftd at %s for %d s (%zu documents in flight)\n",
                p->endpoint, SILENCE_MS / 1000, p->n_sent);
        return -1;
    }
    return 0;
}

/* Pack {"id", "source", "text"} (text as str or bin) and send it from a free slot. */
static int push_doc(pusher *p, const char *id, const char *source, const char *text, size_t len,
                    int is_bin)
{
    size_t i = 0;
    for (;;) {
        for (i = 0; i < p->window && p->slots[i].state != SLOT_FREE; i++)
            ;
        if (i < p->window && !p->n_waiting && p->n_sent < p->cwnd && now_ms() >= p->hold_until)
            break;
        if (pump(p) < 0)
            return -1;
    }
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 3);
    msgpack_pack_str_with_body(&pk, "id", 2);
    msgpack_pack_str_with_body(&pk, id, strlen(id));
    msgpack_pack_str_with_body(&pk, "source", 6);
    msgpack_pack_str_with_body(&pk, source, strlen(source));
    msgpack_pack_str_with_body(&pk, "text", 4);
    if (is_bin)
        msgpack_pack_bin_with_body(&pk, text, len);
    else
        msgpack_pack_str_with_body(&pk, text, len);
    slot *s = &p->slots[i];
    s->len = sb.size; /* before release, which zeroes it */
    s->msg = msgpack_sbuffer_release(&sb);
    s->label = strdup(id);
    return s->msg && s->label ? send_slot(p, i) : -1;
}

static int push_finish(pusher *p)
{
    while (p->n_sent || p->n_waiting)
        if (pump(p) < 0)
            return -1;
    return 0;
}

/* Read all of f; caller owns *out. */
static int slurp(FILE *f, char **out, size_t *len)
{
    size_t cap = 65536, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        char *bigger = n == cap ? realloc(buf, cap *= 2) : buf;
        if (!bigger)
            free(buf);
        buf = bigger;
    }
    if (!buf || ferror(f)) {
        free(buf);
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}

static int push_file(pusher *p, const char *path, const char *id, int *input_errors)
{
    size_t n = strlen(path);
    if (n > 6 && strcmp(path + n - 6, ".jsonl") == 0) {
        fprintf(stderr, "push: input skipped: %s: JSONL is for push.py or `sift push`\n", path);
        (*input_errors)++;
        return 0;
    }
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *text = NULL;
    size_t len = 0;
    if (!f || slurp(f, &text, &len) < 0) {
        fprintf(stderr, "push: input skipped: %s: %s\n", path, strerror(errno));
        (*input_errors)++;
        if (f && f != stdin)
            fclose(f);
        return 0;
    }
    if (f != stdin)
        fclose(f);
    int rc = push_doc(p, id, "push.c", text, len, 1);
    free(text);
    return rc;
}

static int is_visible(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static int push_path(pusher *p, const char *path, int *input_errors)
{
    struct stat st;
    if (strcmp(path, "-") == 0)
        return push_file(p, path, "stdin", input_errors);
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        struct dirent **list;
        int n = scandir(path, &list, is_visible, alphasort), rc = 0;
        for (int i = 0; i < n; i++) {
            char file[4096];
            snprintf(file, sizeof file, "%s/%s", path, list[i]->d_name);
            if (rc == 0 && stat(file, &st) == 0 && S_ISREG(st.st_mode))
                rc = push_file(p, file, list[i]->d_name, input_errors);
            free(list[i]);
        }
        if (n >= 0)
            free(list);
        else
            fprintf(stderr, "push: input skipped: %s: %s\n", path, strerror(errno)),
                (*input_errors)++;
        return rc;
    }
    const char *base = strrchr(path, '/');
    return push_file(p, path, base ? base + 1 : path, input_errors);
}

/* Documents "<prefix>N" whose text is "document N: " and filler, size bytes long. */
static int push_synthetic(pusher *p, long count, long size, const char *prefix)
{
    static const char filler[] = "the quick brown fox jumps over the lazy dog. ";
    size_t want = size > 0 ? (size_t)size : 60;
    char *text = malloc(want + 32), id[256];
    int rc = text ? 0 : -1;
    for (long n = 0; rc == 0 && n < count; n++) {
        size_t len = (size_t)snprintf(text, want + 32, "document %ld: ", n);
        for (size_t at = len; at < want; at++)
            text[at] = filler[(at - len) % (sizeof filler - 1)];
        len = len > want ? len : want;
        snprintf(id, sizeof id, "%s%ld", prefix, n);
        rc = push_doc(p, id, "push.c", text, len, 0);
    }
    free(text);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: sift-push-example [-e ENDPOINT] [-p PIPELINE] [-w WINDOW] [--ids-out FILE] "
            "PATH...\n"
            "       sift-push-example [-e ENDPOINT] [-p PIPELINE] [-w WINDOW] --count N [--size "
            "BYTES]\n"
            "                         [--prefix P]\n\n"
            "Pushes documents to siftd over the producer protocol (docs/protocol.md).\n"
            "PATH: a file (one document, id = file name), a directory (its files), - for stdin.\n\n"
            "  -e, --endpoint EP   siftd's ingest endpoint (default: ipc://sift-ingest.sock)\n"
            "  -p, --pipeline P    pipeline name (default: default)\n"
            "  -w, --window N      PUSHes in flight (default: 64)\n"
            "      --ids-out FILE  write accepted ids here, one a line\n"
            "      --count N       push N generated documents instead of PATHs\n"
            "      --size BYTES    their text size (default: about 60 bytes)\n"
            "      --prefix P      their ids' prefix (default: doc-)\n");
}

typedef struct args {
    const char *endpoint, *pipeline, *ids_out, *prefix;
    long window, count, size;
} args;

static int parse_args(int argc, char **argv, args *a)
{
    static const struct option longopts[] = {{"endpoint", required_argument, 0, 'e'},
                                             {"pipeline", required_argument, 0, 'p'},
                                             {"window", required_argument, 0, 'w'},
                                             {"ids-out", required_argument, 0, 'i'},
                                             {"count", required_argument, 0, 'n'},
                                             {"size", required_argument, 0, 's'},
                                             {"prefix", required_argument, 0, 'P'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    *a = (args){.endpoint = "ipc://sift-ingest.sock",
                .pipeline = "",
                .prefix = "doc-",
                .window = 64,
                .count = -1};
    int c;
    while ((c = getopt_long(argc, argv, "e:p:w:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'e': a->endpoint = optarg; break;
        case 'p': a->pipeline = optarg; break;
        case 'w': a->window = strtol(optarg, NULL, 10); break;
        case 'i': a->ids_out = optarg; break;
        case 'n': a->count = strtol(optarg, NULL, 10); break;
        case 's': a->size = strtol(optarg, NULL, 10); break;
        case 'P': a->prefix = optarg; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if (a->window < 1 || a->window > 100000 || (a->count < 0) == (optind == argc)) {
        usage(stderr);
        return -1;
    }
    return 0;
}

static void report(const pusher *p, int input_errors, long long ms)
{
    size_t refused = 0;
    for (size_t k = 0; k < N_CODES; k++) {
        refused += p->refused[k];
        if (p->first[k])
            fprintf(stderr, "push: refused %s, first: %s\n", codes[k], p->first[k]);
    }
    printf("accepted=%zu refused=%zu", p->accepted, refused);
    for (size_t k = 0; k < N_CODES; k++)
        if (p->refused[k])
            printf(" %s=%zu", codes[k], p->refused[k]);
    printf(" input_errors=%d seconds=%.2f\n", input_errors, (double)ms / 1000.0);
}

static int pusher_open(pusher *p, const args *a)
{
    int linger = 1000, hwm = (int)a->window + 16;
    *p = (pusher){.endpoint = a->endpoint,
                  .pipeline = a->pipeline,
                  .window = (size_t)a->window,
                  .cwnd = (size_t)a->window};
    p->slots = calloc(p->window, sizeof *p->slots);
    p->ctx = zmq_ctx_new();
    p->sock = p->ctx ? zmq_socket(p->ctx, ZMQ_DEALER) : NULL;
    if (a->ids_out && !(p->ids_out = fopen(a->ids_out, "w"))) {
        fprintf(stderr, "push: %s: %s\n", a->ids_out, strerror(errno));
        return -1;
    }
    if (!p->slots || !p->sock || zmq_setsockopt(p->sock, ZMQ_LINGER, &linger, sizeof linger) < 0 ||
        zmq_setsockopt(p->sock, ZMQ_SNDHWM, &hwm, sizeof hwm) < 0 ||
        zmq_connect(p->sock, a->endpoint) < 0) {
        fprintf(stderr, "push: cannot connect to %s: %s\n", a->endpoint, zmq_strerror(errno));
        return -1;
    }
    return 0;
}

static void pusher_close(pusher *p)
{
    for (size_t i = 0; p->slots && i < p->window; i++)
        free_slot(p, &p->slots[i]);
    for (size_t k = 0; k < N_CODES; k++)
        free(p->first[k]);
    free(p->slots);
    if (p->ids_out)
        fclose(p->ids_out);
    if (p->sock)
        zmq_close(p->sock);
    if (p->ctx)
        zmq_ctx_term(p->ctx);
}

int main(int argc, char **argv)
{
    args a;
    pusher p;
    int input_errors = 0;
    if (parse_args(argc, argv, &a) < 0)
        return 2;
    if (pusher_open(&p, &a) < 0) {
        pusher_close(&p);
        return 1;
    }
    long long t0 = now_ms();
    int rc = a.count >= 0 ? push_synthetic(&p, a.count, a.size, a.prefix) : 0;
    for (int i = optind; rc == 0 && i < argc; i++)
        rc = push_path(&p, argv[i], &input_errors);
    if (rc == 0)
        rc = push_finish(&p);
    report(&p, input_errors, now_ms() - t0);
    size_t refused = 0;
    for (size_t k = 0; k < N_CODES; k++)
        refused += p.refused[k];
    pusher_close(&p);
    return rc < 0 || refused || input_errors ? 1 : 0;
}
