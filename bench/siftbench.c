/* siftbench.c - sift-bench: push documents into siftd, collect the results, time both.
 *
 *   sift-bench -e INGEST -r RESULTS [-n DOCS] [-s BYTES] [-w WINDOW] [--rate DOCS_PER_S]
 *              [-p PIPELINE] [--prefix P] [--seed S] [-t TIMEOUT_S] [--log FILE]
 *
 * One process, one thread, two sockets: a DEALER that speaks the producer
 * protocol (docs/protocol.md) to siftd's ingest, and a PULL that binds
 * RESULTS, where siftd's `zmq_push` sink connects and delivers one JSON
 * document per message (docs/output.md). Each document is ~BYTES of
 * English-looking text (common words in sentences and paragraphs, fresh for
 * every document, so stateful stages see no duplicates) with the id
 * PREFIX<n>. At most WINDOW pushes are unanswered at once; `overloaded` is
 * resent after a pause (1 ms doubling to 64 ms, reset by the next accept);
 * any other refusal is final. Without --rate it pushes as fast as siftd
 * accepts; with it, document n is due at n / RATE seconds.
 *
 * Measured: the push time of the PUSH that was accepted and the arrival of
 * the result, per id. docs/s and MB/s (10^6 bytes of text) count results
 * between the first push and the last result (accepted_per_s: accepts
 * between the first push and the last accept); latency is push -> result.
 * Lost = accepted but no result when TIMEOUT_S passed without progress (an
 * accept, a final refusal or a result; `overloaded` is no progress). The
 * last line, `RESULT key=value ...`, is for scripts (bench/daemon_bench.sh);
 * --log keeps every document's push time and latency.
 * Exit 0 when every document was accepted and came back, 1 otherwise,
 * 64 on a usage error.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <msgpack.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <zmq.h>

#include "benchtext.h"
#include "proto.h"

#define BACKOFF_MIN_NS (1000000ull)  /* first pause after `overloaded`: 1 ms */
#define BACKOFF_MAX_NS (64000000ull) /* pauses double up to 64 ms */
#define MAX_READ_A_PASS (1024)       /* messages read per socket before sending again */
#define PEER_WAIT_MS (5000)          /* how long to wait for siftd's sink to connect */

enum { DOC_ACKED = 1, DOC_DONE = 2 }; /* per-document flags */

typedef struct bench_opts {
    const char *ingest, *results, *pipeline, *prefix, *log_path;
    uint64_t n, seed;
    size_t size;
    int window;
    double rate, timeout_s;
} bench_opts;

typedef struct bench {
    bench_opts o;
    void *zctx, *dealer, *pull;
    sift_frames in;
    uint8_t *flags;     /* per document: DOC_* */
    uint64_t *sent_ns;  /* per document: time of its latest PUSH */
    uint32_t *text_len; /* per document: bytes of text */
    uint32_t *lat_us;   /* push -> result, in arrival order */
    uint64_t *retry;    /* ring of documents to resend, window entries */
    size_t retry_head, n_retry;
    uint64_t next;      /* next document never pushed */
    int open;           /* pushes unanswered + documents waiting to be resent */
    uint64_t accepted, refused[SIFT_REFUSE_COUNT_], overloaded, done, dups, strangers;
    uint64_t n_ok, n_dropped, n_failed, bytes_done;
    uint64_t t0, t_first_push, t_last_accept, t_last_result, pause_until, backoff_ns, lag_max_ns;
    uint64_t progress_ns; /* last accept, final refusal or result */
    char *text;
    FILE *log; /* --log: one line per result */
    msgpack_sbuffer sb;
    msgpack_packer pk;
} bench;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* ---------------------------------------------------------------- pushing */

/* PUSH document i; returns 0 or -errno. */
static int push_doc(bench *b, uint64_t i, uint64_t now)
{
    static const unsigned char cmd = SIFT_P_PUSH;
    char id[96], corr[24];
    int id_len = snprintf(id, sizeof id, "%s%llu", b->o.prefix, (unsigned long long)i);
    snprintf(corr, sizeof corr, "%llu", (unsigned long long)i);
    size_t tlen = sift_benchtext_fill(b->text, b->o.size, b->o.seed, i);
    msgpack_sbuffer_clear(&b->sb);
    msgpack_pack_map(&b->pk, 3);
    msgpack_pack_str_with_body(&b->pk, "id", 2);
    msgpack_pack_str_with_body(&b->pk, id, (size_t)id_len);
    msgpack_pack_str_with_body(&b->pk, "source", 6);
    msgpack_pack_str_with_body(&b->pk, "sift-bench", 10);
    msgpack_pack_str_with_body(&b->pk, "text", 4);
    msgpack_pack_str_with_body(&b->pk, b->text, tlen);
    sift_part parts[] = {sift_part_str(SIFT_PROTO_PRODUCER), sift_part_cmd(&cmd), sift_part_str(corr),
                         sift_part_str(b->o.pipeline), sift_part_bytes(b->sb.data, b->sb.size)};
    int rc = sift_frames_send(b->dealer, parts, 5, 0);
    if (rc < 0)
        return rc;
    if (!b->t_first_push)
        b->t_first_push = now;
    b->sent_ns[i] = now;
    b->text_len[i] = (uint32_t)tlen;
    return 0;
}

/* Fresh documents due now: all (full speed) or those whose time has come (--rate). */
static int fresh_due(bench *b, uint64_t now)
{
    if (b->next >= b->o.n)
        return 0;
    if (b->o.rate <= 0)
        return 1;
    uint64_t due_ns = b->t0 + (uint64_t)((double)b->next * 1e9 / b->o.rate);
    if (due_ns > now)
        return 0;
    if (now - due_ns > b->lag_max_ns)
        b->lag_max_ns = now - due_ns;
    return 1;
}

/* Send resends first, then fresh documents, while the window has room. */
static int send_due(bench *b)
{
    uint64_t now = now_ns();
    if (now < b->pause_until)
        return 0;
    while (b->open < b->o.window || b->n_retry) {
        uint64_t i;
        if (b->n_retry) {
            i = b->retry[b->retry_head];
            b->retry_head = (b->retry_head + 1) % (size_t)b->o.window;
            b->n_retry--;
        } else if (fresh_due(b, now)) {
            i = b->next++;
            b->open++;
        } else {
            break;
        }
        int rc = push_doc(b, i, now);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---------------------------------------------------------------- replies */

static void on_refused(bench *b, uint64_t i, const sift_frames *f)
{
    size_t len;
    const char *code = sift_frames_data(f, 3, &len);
    for (int c = 0; code && c < SIFT_REFUSE_COUNT_; c++) {
        const char *name = sift_refusal_name((sift_refusal)c);
        if (len != strlen(name) || memcmp(code, name, len) != 0)
            continue;
        if (c == SIFT_REFUSE_OVERLOADED) {
            b->overloaded++;
            b->retry[(b->retry_head + b->n_retry++) % (size_t)b->o.window] = i;
            b->pause_until = now_ns() + b->backoff_ns;
            if (b->backoff_ns < BACKOFF_MAX_NS)
                b->backoff_ns *= 2;
            return;
        }
        if (b->refused[c]++ == 0) {
            size_t mlen = 0;
            const char *msg = f->n > 4 ? sift_frames_data(f, 4, &mlen) : "";
            fprintf(stderr, "sift-bench: first %s refusal: %.*s\n", name, (int)mlen, msg);
        }
        b->open--;
        b->progress_ns = now_ns();
        return;
    }
    b->strangers++;
}

/* [tag][cmd][corr]...: ACCEPTED or REFUSED for document corr. */
static void on_reply(bench *b, const sift_frames *f)
{
    int64_t i = f->n >= 3 && sift_frames_is(f, 0, SIFT_PROTO_PRODUCER) ? sift_frames_num(f, 2) : -1;
    if (i < 0 || (uint64_t)i >= b->o.n) {
        b->strangers++;
        return;
    }
    int cmd = sift_frames_cmd(f, 1);
    if (cmd == SIFT_P_ACCEPTED && (b->flags[i] & DOC_ACKED)) {
        b->strangers++; /* a second accept for one push */
    } else if (cmd == SIFT_P_ACCEPTED) {
        b->flags[i] |= DOC_ACKED;
        b->accepted++;
        b->open--;
        b->backoff_ns = BACKOFF_MIN_NS;
        b->t_last_accept = b->progress_ns = now_ns();
    } else if (cmd == SIFT_P_REFUSED) {
        on_refused(b, (uint64_t)i, f);
    } else {
        b->strangers++;
    }
}

/* ---------------------------------------------------------------- results */

/* The document's number from its JSON: the id leads every line of
 * docs/output.md, so the fast path reads `{"id":"PREFIX<n>"`; anything
 * else is parsed in full. Returns -1 when it is not one of ours. */
static int64_t result_index(const bench *b, const char *json, size_t len)
{
    size_t plen = strlen(b->o.prefix);
    char idbuf[128];
    const char *id = NULL;
    size_t id_len = 0;
    if (len > 7 + plen && memcmp(json, "{\"id\":\"", 7) == 0) {
        id = json + 7;
        const char *q = memchr(id, '"', len - 7);
        id_len = q ? (size_t)(q - id) : 0;
    } else {
        json_t *root = json_loadb(json, len, 0, NULL);
        const char *s = json_string_value(json_object_get(root, "id"));
        if (s && strlen(s) < sizeof idbuf) {
            id_len = strlen(s);
            id = memcpy(idbuf, s, id_len + 1);
        }
        json_decref(root);
    }
    if (!id || id_len <= plen || id_len > plen + 19 || memcmp(id, b->o.prefix, plen) != 0)
        return -1;
    uint64_t n = 0;
    for (size_t k = plen; k < id_len; k++) {
        if (id[k] < '0' || id[k] > '9')
            return -1;
        n = n * 10 + (uint64_t)(id[k] - '0');
    }
    return n < b->o.n ? (int64_t)n : -1;
}

/* Count the result's status.state; the status object is the last one in a line. */
static void count_state(bench *b, const char *json, size_t len)
{
    static const char key[] = "\"status\":{\"state\":\"";
    const size_t klen = sizeof key - 1;
    for (size_t k = len >= klen ? len - klen + 1 : 0; k-- > 0;) {
        if (json[k] != '"' || memcmp(json + k, key, klen) != 0)
            continue;
        char c = k + klen < len ? json[k + klen] : 0;
        if (c == 'o')
            b->n_ok++;
        else if (c == 'd')
            b->n_dropped++;
        else
            b->n_failed++;
        return;
    }
    b->n_failed++;
}

static void on_result(bench *b, const char *json, size_t len)
{
    uint64_t now = now_ns();
    int64_t i = result_index(b, json, len);
    if (i < 0 || b->sent_ns[i] == 0) { /* not ours, or never pushed by this run */
        b->strangers++;
        return;
    }
    if (b->flags[i] & DOC_DONE) {
        b->dups++;
        return;
    }
    b->flags[i] |= DOC_DONE;
    uint64_t us = (now - b->sent_ns[i]) / 1000;
    b->lat_us[b->done++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
    if (b->log)
        fprintf(b->log, "%lld %.3f %.3f\n", (long long)i, (double)(b->sent_ns[i] - b->t0) / 1e6, us / 1e3);
    b->t_last_result = b->progress_ns = now;
    b->bytes_done += b->text_len[i];
    count_state(b, json, len);
}

/* Read what is waiting on sock (replies or results); returns 0 or -errno. */
static int drain(bench *b, void *sock)
{
    for (int k = 0; k < MAX_READ_A_PASS; k++) {
        int rc = sift_frames_recv(sock, &b->in, ZMQ_DONTWAIT);
        if (rc == -EAGAIN)
            return 0;
        if (rc < 0)
            return rc;
        if (sock == b->dealer) {
            on_reply(b, &b->in);
        } else {
            size_t len;
            const char *json = sift_frames_data(&b->in, 0, &len);
            on_result(b, json, len);
        }
        sift_frames_close(&b->in);
    }
    return 0;
}

/* ---------------------------------------------------------------- the run */

/* Bind the results socket and wait until siftd's sink has connected to it. */
static int bind_results(bench *b)
{
    static const char mon_ep[] = "inproc://sift-bench-monitor";
    int rc = -ETIMEDOUT, wait_ms = PEER_WAIT_MS;
    void *mon = NULL;
    zmq_msg_t ev;
    zmq_msg_init(&ev);
    if (zmq_socket_monitor(b->pull, mon_ep, ZMQ_EVENT_ACCEPTED) < 0 ||
        !(mon = zmq_socket(b->zctx, ZMQ_PAIR)) ||
        zmq_setsockopt(mon, ZMQ_RCVTIMEO, &wait_ms, sizeof wait_ms) < 0 ||
        zmq_connect(mon, mon_ep) < 0 || zmq_bind(b->pull, b->o.results) < 0) {
        rc = -errno;
    } else if (zmq_msg_recv(&ev, mon, 0) >= 0) { /* [event, value][endpoint] */
        rc = 0;
        while (zmq_msg_more(&ev) && zmq_msg_recv(&ev, mon, 0) >= 0)
            ;
    }
    zmq_msg_close(&ev);
    zmq_socket_monitor(b->pull, NULL, 0);
    if (mon)
        zmq_close(mon);
    return rc;
}

static int is_finished(const bench *b)
{
    return b->next == b->o.n && b->open == 0 && b->done >= b->accepted;
}

static long poll_timeout_ms(const bench *b, uint64_t now)
{
    uint64_t wake = now + 100000000ull; /* look at the clock at least every 100 ms */
    if (b->pause_until > now)
        wake = b->pause_until;
    else if (b->o.rate > 0 && b->next < b->o.n && b->open < b->o.window) {
        uint64_t due = b->t0 + (uint64_t)((double)b->next * 1e9 / b->o.rate);
        if (due < wake)
            wake = due;
    }
    return wake <= now ? 0 : (long)((wake - now + 999999) / 1000000);
}

static int run(bench *b)
{
    b->t0 = b->progress_ns = now_ns();
    b->backoff_ns = BACKOFF_MIN_NS;
    while (!is_finished(b)) {
        int rc = send_due(b);
        uint64_t now = now_ns();
        zmq_pollitem_t it[2] = {{b->dealer, 0, ZMQ_POLLIN, 0}, {b->pull, 0, ZMQ_POLLIN, 0}};
        if (rc == 0 && zmq_poll(it, 2, poll_timeout_ms(b, now)) < 0 && errno != EINTR)
            rc = -errno;
        if (rc == 0 && (it[0].revents & ZMQ_POLLIN))
            rc = drain(b, b->dealer);
        if (rc == 0 && (it[1].revents & ZMQ_POLLIN))
            rc = drain(b, b->pull);
        if (rc < 0) {
            fprintf(stderr, "sift-bench: %s\n", zmq_strerror(-rc));
            return rc;
        }
        if ((double)(now_ns() - b->progress_ns) > b->o.timeout_s * 1e9) {
            fprintf(stderr, "sift-bench: no progress for %.0f s, giving up\n", b->o.timeout_s);
            break; /* what is missing is lost (or unanswered) */
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- report */

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, c = *(const uint32_t *)y;
    return (a > c) - (a < c);
}

static double pct_ms(const uint32_t *v, uint64_t n, double q)
{
    return n ? v[(uint64_t)(q * (double)(n - 1) + 0.5)] / 1000.0 : 0;
}

static void report(bench *b, double cpu)
{
    qsort(b->lat_us, b->done, sizeof *b->lat_us, cmp_u32);
    double secs = b->done ? (double)(b->t_last_result - b->t_first_push) / 1e9 : 0;
    double rate = secs > 0 ? (double)b->done / secs : 0, mbps = secs > 0 ? (double)b->bytes_done / secs / 1e6 : 0;
    double acc_secs = b->accepted ? (double)(b->t_last_accept - b->t_first_push) / 1e9 : 0;
    double acc_rate = acc_secs > 0 ? (double)b->accepted / acc_secs : 0;
    uint64_t refused = 0;
    for (int c = 0; c < SIFT_REFUSE_COUNT_; c++)
        refused += b->refused[c];
    uint64_t lost = b->accepted > b->done ? b->accepted - b->done : 0;
    printf("sift-bench: %llu docs of ~%zu bytes, window %d, %s", (unsigned long long)b->o.n, b->o.size,
           b->o.window, b->o.rate > 0 ? "" : "full speed\n");
    if (b->o.rate > 0)
        printf("rate %.0f docs/s (worst lag behind schedule %.2f ms)\n", b->o.rate, b->lag_max_ns / 1e6);
    printf("  accepted %llu, refused %llu, overloaded %llu (resent), unanswered %d, lost %llu, "
           "duplicates %llu, not ours %llu\n",
           (unsigned long long)b->accepted, (unsigned long long)refused, (unsigned long long)b->overloaded,
           b->open, (unsigned long long)lost, (unsigned long long)b->dups, (unsigned long long)b->strangers);
    printf("  results %llu: ok %llu, dropped %llu, failed %llu\n", (unsigned long long)b->done,
           (unsigned long long)b->n_ok, (unsigned long long)b->n_dropped, (unsigned long long)b->n_failed);
    printf("  %.2f s first push to last result: %.0f docs/s, %.1f MB/s of text\n", secs, rate, mbps);
    printf("  %.2f s first push to last accept: %.0f docs/s accepted\n", acc_secs, acc_rate);
    printf("  latency push -> result: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", pct_ms(b->lat_us, b->done, 0.5),
           pct_ms(b->lat_us, b->done, 0.99), pct_ms(b->lat_us, b->done, 1.0));
    printf("  sift-bench itself: %.2f s CPU\n", cpu);
    printf("RESULT docs=%llu accepted=%llu refused=%llu overloaded=%llu lost=%llu dups=%llu ok=%llu "
           "dropped=%llu failed=%llu secs=%.3f docs_per_s=%.0f mb_per_s=%.2f p50_ms=%.3f p99_ms=%.3f "
           "max_ms=%.3f lag_max_ms=%.3f cpu_s=%.2f accepted_per_s=%.0f\n",
           (unsigned long long)b->done, (unsigned long long)b->accepted, (unsigned long long)refused,
           (unsigned long long)b->overloaded, (unsigned long long)lost, (unsigned long long)b->dups,
           (unsigned long long)b->n_ok, (unsigned long long)b->n_dropped, (unsigned long long)b->n_failed, secs,
           rate, mbps, pct_ms(b->lat_us, b->done, 0.5), pct_ms(b->lat_us, b->done, 0.99),
           pct_ms(b->lat_us, b->done, 1.0), b->lag_max_ns / 1e6, cpu, acc_rate);
}

/* ---------------------------------------------------------------- setup */

static void usage(FILE *f)
{
    fprintf(f, "usage: sift-bench -e INGEST -r RESULTS [-n DOCS] [-s BYTES] [-w WINDOW] [--rate DOCS_PER_S]\n"
               "                  [-p PIPELINE] [--prefix P] [--seed S] [-t TIMEOUT_S] [--log FILE]\n\n"
               "Pushes DOCS documents of about BYTES bytes of text into siftd's INGEST endpoint and\n"
               "binds RESULTS (ipc:// or tcp://), where a zmq_push sink of siftd must connect.\n"
               "  -n, --docs N       documents (default 50000)\n"
               "  -s, --size BYTES   text bytes per document (default 4096)\n"
               "  -w, --window N     pushes unanswered at once (default 256)\n"
               "  -R, --rate R       push R documents/s (default: as fast as siftd accepts)\n"
               "  -p, --pipeline P   pipeline name (default: siftd's default)\n"
               "      --prefix P     document ids are P<n> (default \"bench-\")\n"
               "      --seed S       text seed (default 1): vary it between runs into one siftd\n"
               "  -t, --timeout S    give up after S seconds without an accept or a result (default 10)\n"
               "      --log FILE     write `n push_ms latency_ms` per result (push_ms from the start)\n");
}

static int parse_args(int argc, char **argv, bench_opts *o)
{
    static const struct option longopts[] = {
        {"ingest", required_argument, 0, 'e'}, {"results", required_argument, 0, 'r'},
        {"docs", required_argument, 0, 'n'},   {"size", required_argument, 0, 's'},
        {"window", required_argument, 0, 'w'}, {"rate", required_argument, 0, 'R'},
        {"pipeline", required_argument, 0, 'p'}, {"prefix", required_argument, 0, 'P'},
        {"seed", required_argument, 0, 'S'},   {"timeout", required_argument, 0, 't'},
        {"log", required_argument, 0, 'L'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    *o = (bench_opts){.pipeline = "", .prefix = "bench-", .n = 50000, .seed = 1, .size = 4096,
                      .window = 256, .timeout_s = 10};
    int c;
    while ((c = getopt_long(argc, argv, "e:r:n:s:w:R:p:t:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'e': o->ingest = optarg; break;
        case 'r': o->results = optarg; break;
        case 'n': o->n = strtoull(optarg, NULL, 10); break;
        case 's': o->size = strtoull(optarg, NULL, 10); break;
        case 'w': o->window = atoi(optarg); break;
        case 'R': o->rate = atof(optarg); break;
        case 'p': o->pipeline = optarg; break;
        case 'P': o->prefix = optarg; break;
        case 'S': o->seed = strtoull(optarg, NULL, 10); break;
        case 't': o->timeout_s = atof(optarg); break;
        case 'L': o->log_path = optarg; break;
        case 'h': usage(stdout); exit(0);
        default: return -1;
        }
    }
    if (!o->ingest || !o->results || optind != argc || o->n < 1 || o->n > 100000000 || o->size < 64 ||
        o->size > 4194304 || o->window < 1 || o->window > 100000 || o->rate < 0 || o->timeout_s <= 0 ||
        strlen(o->prefix) > 64 || strlen(o->pipeline) > SIFT_PROTO_MAX_PIPELINE)
        return -1;
    return 0;
}

static int bench_open(bench *b)
{
    b->flags = calloc(b->o.n, sizeof *b->flags);
    b->sent_ns = calloc(b->o.n, sizeof *b->sent_ns);
    b->text_len = calloc(b->o.n, sizeof *b->text_len);
    b->lat_us = calloc(b->o.n, sizeof *b->lat_us);
    b->retry = calloc((size_t)b->o.window, sizeof *b->retry);
    b->text = malloc(b->o.size);
    msgpack_sbuffer_init(&b->sb);
    msgpack_packer_init(&b->pk, &b->sb, msgpack_sbuffer_write);
    if (!b->flags || !b->sent_ns || !b->text_len || !b->lat_us || !b->retry || !b->text)
        return -ENOMEM;
    if (b->o.log_path && !(b->log = fopen(b->o.log_path, "w"))) {
        fprintf(stderr, "sift-bench: cannot write %s\n", b->o.log_path);
        return -errno;
    }
    int linger = 1000;
    if (!(b->zctx = zmq_ctx_new()) || !(b->dealer = zmq_socket(b->zctx, ZMQ_DEALER)) ||
        !(b->pull = zmq_socket(b->zctx, ZMQ_PULL)) ||
        zmq_setsockopt(b->dealer, ZMQ_LINGER, &linger, sizeof linger) < 0 ||
        zmq_setsockopt(b->pull, ZMQ_LINGER, &linger, sizeof linger) < 0)
        return -errno;
    if (zmq_connect(b->dealer, b->o.ingest) < 0) {
        fprintf(stderr, "sift-bench: cannot connect to %s: %s\n", b->o.ingest, zmq_strerror(errno));
        return -errno;
    }
    int rc = bind_results(b);
    if (rc < 0)
        fprintf(stderr, "sift-bench: %s: %s\n", b->o.results,
                rc == -ETIMEDOUT ? "no zmq_push sink connected within 5 s" : zmq_strerror(-rc));
    return rc;
}

static void bench_close(bench *b)
{
    sift_frames_fini(&b->in);
    if (b->dealer)
        zmq_close(b->dealer);
    if (b->pull)
        zmq_close(b->pull);
    if (b->zctx)
        zmq_ctx_term(b->zctx);
    msgpack_sbuffer_destroy(&b->sb);
    if (b->log)
        fclose(b->log);
    free(b->flags);
    free(b->sent_ns);
    free(b->text_len);
    free(b->lat_us);
    free(b->retry);
    free(b->text);
}

int main(int argc, char **argv)
{
    bench b = {0};
    if (parse_args(argc, argv, &b.o) < 0) {
        usage(stderr);
        return 64;
    }
    int rc = bench_open(&b);
    if (rc == 0) {
        double cpu0 = cpu_s();
        rc = run(&b);
        if (rc == 0)
            report(&b, cpu_s() - cpu0);
    }
    int ok = rc == 0 && b.accepted == b.o.n && b.done == b.accepted && b.open == 0;
    bench_close(&b);
    return ok ? 0 : 1;
}
