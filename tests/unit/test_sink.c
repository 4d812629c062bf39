/* test_sink.c - JSONL, ZeroMQ PUSH and PUB sinks (daemon/sink.c).
 *
 * Everything is real: files in a temp directory per test, /dev/full for a
 * full disk, RLIMIT_FSIZE for a write that stops half way through a batch,
 * and ZeroMQ peers over ipc:// endpoints in the same directory. Waits for a
 * connection poll against a deadline; nothing sleeps to synchronise.
 * The sink keys the config adds (sync, bind) are checked here too.
 * SPDX-License-Identifier: MIT
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include <cmocka.h>

#include "config.h"
#include "sink.h"

#define DEADLINE_MS (5000) /* connection waits; generous for ASan on a busy box */

typedef struct fixture {
    char dir[64];
    char path[256]; /* scratch for at() */
    void *ctx;
    sift_sink *sink; /* closed by teardown, so a failed assertion cannot hang zmq_ctx_term */
    void *peer;      /* the same for the test's peer socket */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/sift-sink-XXXXXX");
    if (!mkdtemp(f->dir) || !(f->ctx = zmq_ctx_new())) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sift_sink_close(&f->sink);
    if (f->peer)
        zmq_close(f->peer);
    zmq_ctx_term(f->ctx);
    DIR *d = opendir(f->dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            char p[512];
            snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
            unlink(p);
        }
    if (d)
        closedir(d);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* f->dir/name, or "ipc://f->dir/name" with ipc set. Valid until the next call. */
static const char *at(fixture *f, const char *name, int ipc)
{
    snprintf(f->path, sizeof f->path, "%s%s/%s", ipc ? "ipc://" : "", f->dir, name);
    return f->path;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void nap_ms(long ms)
{
    struct timespec ts = {.tv_sec = 0, .tv_nsec = ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* Whole file as a string (caller frees), or NULL when it does not exist. */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = calloc(1, 1 << 16);
    size_t n = buf ? fread(buf, 1, (1 << 16) - 1, fp) : 0;
    (void)n;
    fclose(fp);
    return buf;
}

static void spit(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void assert_file_is(const char *path, const char *want)
{
    char *got = slurp(path);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* Open the fixture's sink. */
static sift_sink *open_ok(fixture *f, const sift_sink_conf *c)
{
    sift_err err = {{0}};
    int rc = sift_sink_open(&f->sink, c, f->ctx, &err);
    if (rc != 0)
        fail_msg("open: %s", err.msg);
    return f->sink;
}

static int put(sift_sink *s, const char *json)
{
    return sift_sink_write(s, json, strlen(json));
}

/* ---------------------------------------------------------------- JSONL */

static void test_jsonl_appends_lines_on_flush(void **state)
{
    fixture *f = *state;
    for (int is_sync = 0; is_sync <= 1; is_sync++) {
        char path[256];
        snprintf(path, sizeof path, "%s", at(f, is_sync ? "sync.jsonl" : "out.jsonl", 0));
        spit(path, "{\"id\":0}\n");
        sift_sink_conf c = {.name = "results", .type = "jsonl", .path = path, .is_sync = is_sync};
        sift_sink *s = open_ok(f, &c);
        assert_string_equal(sift_sink_name(s), "results");
        assert_int_equal(put(s, "{\"id\":1}\n"), 0);
        assert_int_equal(put(s, "{\"id\":2}"), 0); /* the sink ends the line */
        assert_file_is(path, "{\"id\":0}\n");      /* buffered until the pass ends */
        assert_int_equal(sift_sink_get_stats(s)->written, 0);
        assert_int_equal(sift_sink_flush(s), 0);
        assert_file_is(path, "{\"id\":0}\n{\"id\":1}\n{\"id\":2}\n");
        assert_int_equal(sift_sink_get_stats(s)->written, 2);
        assert_int_equal(sift_sink_get_stats(s)->errors, 0);
        sift_sink_close(&f->sink);
        assert_null(f->sink);
    }
}

static void test_jsonl_close_flushes_what_is_buffered(void **state)
{
    fixture *f = *state;
    sift_sink_conf c = {.name = "r", .type = "jsonl", .path = at(f, "close.jsonl", 0)};
    sift_sink *s = open_ok(f, &c);
    assert_int_equal(put(s, "{\"id\":9}\n"), 0);
    sift_sink_close(&f->sink);
    assert_file_is(at(f, "close.jsonl", 0), "{\"id\":9}\n");
}

static void test_jsonl_reopen_after_rename_writes_to_new_file(void **state)
{
    fixture *f = *state;
    char path[256], rotated[256];
    snprintf(path, sizeof path, "%s", at(f, "rot.jsonl", 0));
    snprintf(rotated, sizeof rotated, "%s", at(f, "rot.jsonl.1", 0));
    sift_sink_conf c = {.name = "r", .type = "jsonl", .path = path};
    sift_sink *s = open_ok(f, &c);
    assert_int_equal(put(s, "{\"id\":1}\n"), 0);
    assert_int_equal(sift_sink_flush(s), 0);
    assert_int_equal(rename(path, rotated), 0); /* logrotate moves the file */
    assert_int_equal(put(s, "{\"id\":2}\n"), 0);   /* still the old file's batch */
    assert_int_equal(sift_sink_reopen(s), 0);
    assert_int_equal(put(s, "{\"id\":3}\n"), 0);
    assert_int_equal(sift_sink_flush(s), 0);
    assert_file_is(rotated, "{\"id\":1}\n{\"id\":2}\n");
    assert_file_is(path, "{\"id\":3}\n");
    assert_int_equal(sift_sink_get_stats(s)->written, 3);
}

static void test_jsonl_full_disk_fails_flush_and_counts_error(void **state)
{
    fixture *f = *state;
    if (access("/dev/full", W_OK) != 0)
        skip();
    sift_sink_conf c = {.name = "full", .type = "jsonl", .path = "/dev/full"};
    sift_sink *s = open_ok(f, &c);
    assert_int_equal(put(s, "{\"id\":1}\n"), 0);
    assert_int_equal(sift_sink_flush(s), -ENOSPC);
    assert_int_equal(sift_sink_get_stats(s)->errors, 1);
    assert_int_equal(sift_sink_get_stats(s)->written, 0);
    assert_int_equal(sift_sink_flush(s), 0); /* reported once; next batch is empty */
    assert_int_equal(put(s, "{\"id\":1}\n"), 0); /* the caller tries again */
    assert_int_equal(sift_sink_flush(s), -ENOSPC);
    assert_int_equal(sift_sink_get_stats(s)->errors, 2);
}

/* Lower the file size limit to limit bytes (SIGXFSZ ignored: write(2)
 * writes what fits, then fails with EFBIG). Returns the old limit. */
static struct rlimit limit_file_size(rlim_t limit)
{
    struct rlimit old, now;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    now = old;
    now.rlim_cur = limit;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &now), 0);
    return old;
}

static void test_jsonl_failed_flush_leaves_no_half_line(void **state)
{
    fixture *f = *state;
    char path[256];
    snprintf(path, sizeof path, "%s", at(f, "half.jsonl", 0));
    spit(path, "{\"id\":0}\n");
    sift_sink_conf c = {.name = "r", .type = "jsonl", .path = path};
    sift_sink *s = open_ok(f, &c);
    const char *docs[] = {"{\"id\":1,\"t\":\"aaaa\"}\n", "{\"id\":2,\"t\":\"bbbb\"}\n"};
    for (int i = 0; i < 2; i++)
        assert_int_equal(put(s, docs[i]), 0);
    struct rlimit old = limit_file_size(9 + 30); /* the first line fits, half the second */
    int rc = sift_sink_flush(s);
    setrlimit(RLIMIT_FSIZE, &old);
    assert_int_equal(rc, -EFBIG);
    assert_file_is(path, "{\"id\":0}\n"); /* cut back to before the batch */
    for (int i = 0; i < 2; i++)           /* the caller writes the same documents again */
        assert_int_equal(put(s, docs[i]), 0);
    assert_int_equal(sift_sink_flush(s), 0);
    assert_file_is(path, "{\"id\":0}\n{\"id\":1,\"t\":\"aaaa\"}\n{\"id\":2,\"t\":\"bbbb\"}\n");
    assert_int_equal(sift_sink_get_stats(s)->errors, 1);
    assert_int_equal(sift_sink_get_stats(s)->written, 2);
}

/* A line of about 1.5 MB: larger than the sink's spill threshold. Caller frees. */
static char *big_doc(void)
{
    size_t n = 3u << 19;
    char *p = malloc(n + 16);
    assert_non_null(p);
    memcpy(p, "{\"t\":\"", 6);
    memset(p + 6, 'x', n);
    memcpy(p + 6 + n, "\"}\n", 4);
    return p;
}

static void test_jsonl_failed_spill_fails_the_whole_batch(void **state)
{
    fixture *f = *state;
    char path[256];
    snprintf(path, sizeof path, "%s", at(f, "spill.jsonl", 0));
    sift_sink_conf c = {.name = "r", .type = "jsonl", .path = path};
    sift_sink *s = open_ok(f, &c);
    char *big = big_doc();
    assert_int_equal(put(s, "{\"id\":1}\n"), 0);
    struct rlimit old = limit_file_size(4096);
    int rc_big = put(s, big); /* goes to the kernel before the flush, and fails */
    int rc_next = put(s, "{\"id\":3}\n");
    int rc_flush = sift_sink_flush(s);
    setrlimit(RLIMIT_FSIZE, &old);
    assert_int_equal(rc_big, -EFBIG);
    assert_int_equal(rc_next, -EFBIG); /* the batch has failed: nothing more joins it */
    assert_int_equal(rc_flush, -EFBIG);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 0); /* cut back: not a byte of the big line */
    assert_int_equal(sift_sink_get_stats(s)->errors, 1);
    assert_int_equal(put(s, "{\"id\":3}\n"), 0); /* a new batch */
    assert_int_equal(sift_sink_flush(s), 0);
    assert_file_is(path, "{\"id\":3}\n");
    free(big);
}

static void test_open_refuses_bad_type_and_missing_dir(void **state)
{
    fixture *f = *state;
    sift_sink *s = NULL;
    sift_err err = {{0}};
    sift_sink_conf c = {.name = "x", .type = "csv", .path = "x.csv"};
    assert_int_equal(sift_sink_open(&s, &c, NULL, &err), SIFT_EINVAL);
    assert_null(s);
    assert_non_null(strstr(err.msg, "sink x: type must be one of"));
    sift_sink_conf d = {.name = "y", .type = "jsonl", .path = at(f, "no/such/dir.jsonl", 0)};
    assert_int_equal(sift_sink_open(&s, &d, NULL, &err), -ENOENT);
    assert_null(s);
    assert_non_null(strstr(err.msg, "no/such/dir.jsonl"));
    sift_sink_conf z = {.name = "z", .type = "zmq_push", .endpoint = "bogus://x"};
    assert_true(sift_sink_open(&s, &z, f->ctx, &err) < 0);
    assert_null(s);
    assert_non_null(strstr(err.msg, "bogus://x"));
}

/* ---------------------------------------------------------------- ZeroMQ */

/* Open the fixture's peer socket. */
static void *peer(fixture *f, int type, const char *endpoint, int is_bind)
{
    void *p = f->peer = zmq_socket(f->ctx, type);
    int linger = 0, timeout = DEADLINE_MS;
    assert_non_null(p);
    zmq_setsockopt(p, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(p, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    if (type == ZMQ_SUB)
        zmq_setsockopt(p, ZMQ_SUBSCRIBE, "", 0);
    assert_int_equal(is_bind ? zmq_bind(p, endpoint) : zmq_connect(p, endpoint), 0);
    return p;
}

/* Write until the sink takes it (a PUSH returns EAGAIN until connected). */
static void put_when_connected(sift_sink *s, const char *json)
{
    uint64_t until = now_ms() + DEADLINE_MS;
    int rc;
    while ((rc = put(s, json)) == SIFT_EAGAIN && now_ms() < until)
        nap_ms(2);
    assert_int_equal(rc, 0);
}

static void assert_receives(void *p, const char *want)
{
    char buf[256];
    int n = zmq_recv(p, buf, sizeof buf - 1, 0);
    assert_true(n >= 0);
    buf[n] = '\0';
    assert_string_equal(buf, want);
}

static void push_roundtrip(fixture *f, int sink_binds)
{
    char ep[256];
    snprintf(ep, sizeof ep, "%s", at(f, sink_binds ? "pushb.sock" : "push.sock", 1));
    void *pull = sink_binds ? NULL : peer(f, ZMQ_PULL, ep, 1);
    sift_sink_conf c = {.name = "out", .type = "zmq_push", .endpoint = ep, .is_bind = sink_binds};
    sift_sink *s = open_ok(f, &c);
    if (sink_binds)
        pull = peer(f, ZMQ_PULL, ep, 0);
    put_when_connected(s, "{\"id\":1}\n");
    assert_int_equal(put(s, "{\"id\":2}\n"), 0);
    assert_int_equal(sift_sink_flush(s), 0);
    assert_receives(pull, "{\"id\":1}"); /* one object per message, no newline */
    assert_receives(pull, "{\"id\":2}");
    assert_int_equal(sift_sink_get_stats(s)->written, 2);
    assert_int_equal(sift_sink_get_stats(s)->errors, 0);
    assert_int_equal(sift_sink_reopen(s), 0); /* no-op */
}

static void test_push_delivers_to_pull_peer(void **state)
{
    push_roundtrip(*state, 0);
}

static void test_push_bound_delivers_to_connecting_peer(void **state)
{
    push_roundtrip(*state, 1);
}

static void test_push_without_peer_returns_eagain_at_once(void **state)
{
    fixture *f = *state;
    for (int is_bind = 0; is_bind <= 1; is_bind++) {
        sift_sink_conf c = {.name = "out", .type = "zmq_push",
                            .endpoint = at(f, is_bind ? "lonely.sock" : "nobody.sock", 1),
                            .is_bind = is_bind};
        sift_sink *s = open_ok(f, &c);
        uint64_t t0 = now_ms();
        alarm(DEADLINE_MS / 1000); /* a send that blocks ends the run with SIGALRM */
        for (int i = 0; i < 3; i++)
            assert_int_equal(put(s, "{\"id\":1}\n"), SIFT_EAGAIN);
        alarm(0);
        assert_true(now_ms() - t0 < 1000); /* DONTWAIT: never waits for a peer */
        assert_int_equal(sift_sink_get_stats(s)->retries, 3);
        assert_int_equal(sift_sink_get_stats(s)->written, 0);
        assert_int_equal(sift_sink_get_stats(s)->errors, 0);
        sift_sink_close(&f->sink);
    }
}

static void test_push_to_stalled_peer_returns_eagain_at_hwm(void **state)
{
    fixture *f = *state;
    char ep[256], doc[1024];
    snprintf(ep, sizeof ep, "%s", at(f, "stall.sock", 1));
    void *pull = f->peer = zmq_socket(f->ctx, ZMQ_PULL);
    int one = 1, linger = 0;
    zmq_setsockopt(pull, ZMQ_RCVHWM, &one, sizeof one); /* a tiny queue that nobody reads */
    zmq_setsockopt(pull, ZMQ_LINGER, &linger, sizeof linger);
    assert_int_equal(zmq_bind(pull, ep), 0);
    sift_sink_conf c = {.name = "out", .type = "zmq_push", .endpoint = ep};
    sift_sink *s = open_ok(f, &c);
    memset(doc, 'x', sizeof doc);
    memcpy(doc, "{\"t\":\"", 6);
    memcpy(doc + sizeof doc - 4, "\"}\n", 4);
    put_when_connected(s, doc);
    uint64_t sent = 1, t0 = now_ms();
    int rc = 0;
    alarm(30); /* a send that blocks ends the run with SIGALRM */
    while (sent < 1000000 && (rc = put(s, doc)) == 0)
        sent++;
    alarm(0);
    print_message("%llu documents queued before EAGAIN\n", (unsigned long long)sent);
    assert_int_equal(rc, SIFT_EAGAIN); /* the queues filled: back-pressure, not blocking */
    assert_true(now_ms() - t0 < 30000);
    assert_int_equal(sift_sink_get_stats(s)->written, sent);
    assert_true(sift_sink_get_stats(s)->retries >= 1);
    char got[sizeof doc];
    assert_int_equal(zmq_recv(pull, got, sizeof got, 0), (int)strlen(doc) - 1);
    assert_memory_equal(got, doc, strlen(doc) - 1);
}

static void test_pub_delivers_to_subscriber(void **state)
{
    fixture *f = *state;
    char ep[256];
    snprintf(ep, sizeof ep, "%s", at(f, "pub.sock", 1));
    sift_sink_conf c = {.name = "feed", .type = "zmq_pub", .endpoint = ep, .is_bind = 1};
    sift_sink *s = open_ok(f, &c);
    void *sub = peer(f, ZMQ_SUB, ep, 0);
    zmq_pollitem_t it = {.socket = sub, .events = ZMQ_POLLIN};
    uint64_t until = now_ms() + DEADLINE_MS;
    int ready = 0; /* PUB drops until the subscription arrives: publish until one lands */
    while (!ready && now_ms() < until) {
        assert_int_equal(put(s, "{\"id\":7}\n"), 0);
        ready = zmq_poll(&it, 1, 20) == 1;
    }
    assert_true(ready);
    assert_receives(sub, "{\"id\":7}");
    assert_true(sift_sink_get_stats(s)->written >= 1);
    assert_int_equal(sift_sink_get_stats(s)->retries, 0);
}

/* ---------------------------------------------------------------- config */

static void test_conf_reads_sync_and_bind(void **state)
{
    (void)state;
    const char *text = "sinks = (\n"
                       " { name = \"a\"; type = \"jsonl\"; path = \"a\"; sync = true; },\n"
                       " { name = \"b\"; type = \"jsonl\"; path = \"b\"; },\n"
                       " { name = \"c\"; type = \"zmq_push\"; endpoint = \"ipc://c\"; },\n"
                       " { name = \"d\"; type = \"zmq_push\"; endpoint = \"ipc://d\"; bind = true; },\n"
                       " { name = \"e\"; type = \"zmq_pub\"; endpoint = \"ipc://e\"; },\n"
                       " { name = \"f\"; type = \"zmq_pub\"; endpoint = \"ipc://f\"; bind = false; }\n"
                       ");\n";
    sift_config *cfg = NULL;
    sift_diag diag = {0};
    assert_int_equal(sift_config_load_string(&cfg, text, "t.conf", &diag), 0);
    assert_int_equal(cfg->n_sinks, 6);
    const int want_sync[] = {1, 0, 0, 0, 0, 0}, want_bind[] = {0, 0, 0, 1, 1, 0};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(cfg->sinks[i].is_sync, want_sync[i]);
        assert_int_equal(cfg->sinks[i].is_bind, want_bind[i]);
    }
    sift_config_destroy(&cfg);
    const char *bad = "sinks = ( { name = \"a\"; type = \"jsonl\"; path = \"a\"; sync = \"yes\"; } );\n";
    assert_int_equal(sift_config_load_string(&cfg, bad, "t.conf", &diag), SIFT_EINVAL);
    assert_string_equal(diag.first.msg, "t.conf:1: sink a: sync must be true or false");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_jsonl_appends_lines_on_flush, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_close_flushes_what_is_buffered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_reopen_after_rename_writes_to_new_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_full_disk_fails_flush_and_counts_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_failed_flush_leaves_no_half_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_failed_spill_fails_the_whole_batch, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_open_refuses_bad_type_and_missing_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(test_push_delivers_to_pull_peer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_push_bound_delivers_to_connecting_peer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_push_without_peer_returns_eagain_at_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_push_to_stalled_peer_returns_eagain_at_hwm, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pub_delivers_to_subscriber, setup, teardown),
        cmocka_unit_test(test_conf_reads_sync_and_bind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
