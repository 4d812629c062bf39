/* test_spool.c - the LMDB spool (lib/spool.c): durability, passes, room, replay.
 *
 * Everything is real: LMDB files in a temp directory per test, documents
 * encoded by lib/codec.c, child processes that SIGKILL themselves after a
 * commit (as kill -9 would), RLIMIT_FSIZE for a disk that stops taking
 * writes, and a raw LMDB handle to plant records the spool cannot read.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <lmdb.h>
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "codec.h"
#include "spool.h"

#define SMALL_MAP ((size_t)256 << 10) /* 64 pages: fills after ~100 records of 1 KB */

typedef struct fixture {
    char dir[64];
    char path[128]; /* dir/spool.mdb */
    sift_spool *s;  /* closed by teardown */
} fixture;

/* What replay handed over, copied. */
typedef struct got {
    uint64_t id;
    uint32_t seg, attempt, deliveries;
    char pipeline[32];
    char *doc;
    size_t doc_len;
} got;

typedef struct seen {
    got v[256];
    size_t n;
} seen;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/sift-spool-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/spool.mdb", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char lock[160];
    sift_spool_close(&f->s);
    snprintf(lock, sizeof lock, "%s-lock", f->path);
    unlink(f->path);
    unlink(lock);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void open_spool(fixture *f, size_t max_bytes, sift_spool_sync sync)
{
    sift_spool_opts o = {.max_bytes = max_bytes, .sync = sync};
    sift_err err = {{0}};
    sift_spool_close(&f->s);
    int rc = sift_spool_open(&f->s, f->dir, &o, &err);
    if (rc < 0)
        fail_msg("open: %s", err.msg);
}

static int put(sift_spool *s, uint64_t id, uint32_t seg, const char *doc, size_t doc_len)
{
    sift_spool_rec r = {.id = id, .pipeline = "default", .pipeline_len = 7, .seg = seg,
                        .attempt = seg * 10, .deliveries = seg + 1, .doc = doc, .doc_len = doc_len};
    return sift_spool_put(s, &r);
}

/* A document of n bytes that names its id. Static buffer: valid until the next call. */
static const char *filler(uint64_t id, size_t n)
{
    static char buf[256 << 10];
    assert_true(n <= sizeof buf);
    memset(buf, 'a' + (int)(id % 26), n);
    snprintf(buf, n < 24 ? n : 24, "doc-%llu-", (unsigned long long)id);
    return buf;
}

static int collect(void *ctx, const sift_spool_rec *r)
{
    seen *sn = ctx;
    assert_true(sn->n < sizeof sn->v / sizeof sn->v[0]);
    got *g = &sn->v[sn->n++];
    *g = (got){.id = r->id, .seg = r->seg, .attempt = r->attempt, .deliveries = r->deliveries,
               .doc = malloc(r->doc_len + 1), .doc_len = r->doc_len};
    assert_non_null(g->doc);
    memcpy(g->doc, r->doc, r->doc_len);
    snprintf(g->pipeline, sizeof g->pipeline, "%.*s", (int)r->pipeline_len, r->pipeline);
    return 0;
}

/* Counts records and checks they come in id order; ctx: a tally. */
typedef struct tally {
    size_t n;
    uint64_t last;
    size_t bytes;
} tally;

static int count(void *ctx, const sift_spool_rec *r)
{
    tally *t = ctx;
    if (t->n > 0 && r->id <= t->last)
        fail_msg("replay out of order: %llu after %llu", (unsigned long long)r->id,
                 (unsigned long long)t->last);
    t->last = r->id;
    t->bytes += r->doc_len;
    t->n++;
    return 0;
}

static void seen_clear(seen *sn)
{
    for (size_t i = 0; i < sn->n; i++)
        free(sn->v[i].doc);
    sn->n = 0;
}

/* Replay into sn (cleared first) and check the ids are exactly want[0..n). */
static void expect_ids(sift_spool *s, seen *sn, const uint64_t *want, size_t n)
{
    seen_clear(sn);
    assert_int_equal(sift_spool_replay(s, collect, sn), (int)n);
    assert_int_equal(sn->n, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sn->v[i].id, want[i]);
}

static void test_spool_put_commit_survives_reopen(void **state)
{
    fixture *f = *state;
    static seen sn;
    open_spool(f, 0, SIFT_SPOOL_SYNC_FULL);
    sift_doc *d = NULL;
    char *mp = NULL;
    size_t mp_len = 0;
    assert_int_equal(sift_doc_new(&d, "a-1", 3, "feed", 4, "Hello, spool.", 13, NULL), 0);
    assert_int_equal(sift_codec_encode(d, &mp, &mp_len), 0);
    sift_doc_destroy(&d);
    sift_spool_rec r = {.id = 2, .pipeline = "news", .pipeline_len = 4, .seg = 1, .attempt = 2,
                        .deliveries = 3, .doc = mp, .doc_len = mp_len};
    assert_int_equal(put(f->s, 300, 0, "three hundred", 13), 0); /* out of order on purpose */
    assert_int_equal(sift_spool_put(f->s, &r), 0);
    assert_int_equal(put(f->s, 1, 0, "", 0), 0);
    assert_int_equal(sift_spool_commit(f->s), 0);
    open_spool(f, 0, SIFT_SPOOL_SYNC_FULL); /* close and reopen */

    expect_ids(f->s, &sn, (const uint64_t[]){1, 2, 300}, 3);
    got *g = &sn.v[1];
    assert_string_equal(g->pipeline, "news");
    assert_int_equal(g->seg, 1);
    assert_int_equal(g->attempt, 2);
    assert_int_equal(g->deliveries, 3);
    assert_int_equal(g->doc_len, mp_len);
    assert_memory_equal(g->doc, mp, mp_len);
    assert_int_equal(sift_codec_decode(g->doc, g->doc_len, &(sift_codec_limits){0}, &d, NULL), 0);
    assert_memory_equal(d->text, "Hello, spool.", 13);
    assert_int_equal(sn.v[0].doc_len, 0);
    assert_memory_equal(sn.v[2].doc, "three hundred", 13);

    uint64_t next = 0;
    sift_spool_stats st;
    assert_int_equal(sift_spool_next_id(f->s, &next), 0);
    assert_int_equal(next, 301);
    assert_int_equal(sift_spool_stat(f->s, &st), 0);
    assert_int_equal(st.n_records, 3);
    assert_true(st.used_bytes > 0 && st.used_bytes <= st.file_bytes);
    assert_true(st.file_bytes <= st.max_bytes && st.max_bytes == SIFT_SPOOL_DEFAULT_MAX_BYTES);
    sift_doc_destroy(&d);
    free(mp);
    seen_clear(&sn);
}

static void test_spool_uncommitted_puts_are_lost_at_close(void **state)
{
    fixture *f = *state;
    static seen sn;
    uint64_t next = 99;
    open_spool(f, 0, SIFT_SPOOL_SYNC_FULL);
    assert_int_equal(sift_spool_next_id(f->s, &next), 0);
    assert_int_equal(next, 0); /* empty */
    assert_int_equal(put(f->s, 1, 0, "kept", 4), 0);
    assert_int_equal(sift_spool_commit(f->s), 0);
    assert_int_equal(sift_spool_begin(f->s), 0);
    assert_int_equal(put(f->s, 2, 0, "lost", 4), 0);
    assert_int_equal(sift_spool_del(f->s, 1), 0);
    expect_ids(f->s, &sn, (const uint64_t[]){1}, 1); /* replay sees the last commit only */
    open_spool(f, 0, SIFT_SPOOL_SYNC_FULL);         /* closes without commit */
    expect_ids(f->s, &sn, (const uint64_t[]){1}, 1);
    seen_clear(&sn);
}

static void test_spool_del_removes_and_missing_id_is_no_error(void **state)
{
    fixture *f = *state;
    static seen sn;
    open_spool(f, 0, SIFT_SPOOL_SYNC_META);
    for (uint64_t id = 1; id <= 3; id++)
        assert_int_equal(put(f->s, id, 0, "x", 1), 0);
    assert_int_equal(sift_spool_commit(f->s), 0);
    assert_int_equal(sift_spool_del(f->s, 2), 0);
    assert_int_equal(sift_spool_del(f->s, 99), 0);
    assert_int_equal(sift_spool_commit(f->s), 0);
    assert_int_equal(sift_spool_commit(f->s), 0); /* no pass open: nothing to do */
    open_spool(f, 0, SIFT_SPOOL_SYNC_META);
    expect_ids(f->s, &sn, (const uint64_t[]){1, 3}, 2);
    seen_clear(&sn);
}

static void test_spool_put_overwrites_progress(void **state)
{
    fixture *f = *state;
    static seen sn;
    open_spool(f, 0, SIFT_SPOOL_SYNC_FULL);
    assert_int_equal(put(f->s, 7, 0, "raw text", 8), 0);
    assert_int_equal(sift_spool_commit(f->s), 0);
    assert_int_equal(put(f->s, 7, 2, "cleaned and scored", 18), 0);
    assert_int_equal(sift_spool_commit(f->s), 0);
    open_spool(f, 0, SIFT_SPOOL_SYNC_FULL);
    expect_ids(f->s, &sn, (const uint64_t[]){7}, 1);
    assert_int_equal(sn.v[0].seg, 2);
    assert_int_equal(sn.v[0].attempt, 20);
    assert_int_equal(sn.v[0].deliveries, 3);
    assert_int_equal(sn.v[0].doc_len, 18);
    assert_memory_equal(sn.v[0].doc, "cleaned and scored", 18);
    seen_clear(&sn);
}

/* Put records of size bytes into a SMALL_MAP spool, committing every per,
 * until one is refused as full; that pass stays open. Returns how many fit. */
static uint64_t fill(sift_spool *s, size_t size, uint64_t per)
{
    for (uint64_t id = 1; id < 1000; id++) {
        int rc = put(s, id, 0, filler(id, size), size);
        if (rc == SIFT_ERANGE)
            return id - 1;
        assert_int_equal(rc, 0);
        if (id % per == 0)
            assert_int_equal(sift_spool_commit(s), 0);
    }
    fail_msg("a %zu-byte spool took 1000 records of %zu bytes", SMALL_MAP, size);
    return 0;
}

static void test_spool_full_refuses_new_records_and_drains(void **state)
{
    fixture *f = *state;
    static seen sn;
    sift_spool_stats st;
    open_spool(f, SMALL_MAP, SIFT_SPOOL_SYNC_NONE);
    uint64_t n = fill(f->s, 1000, 8);
    assert_true(n > 50 && n < 250);
    assert_int_equal(put(f->s, 1, 1, filler(1, 1000), 1000), 0); /* progress uses the reserve */
    assert_int_equal(put(f->s, n + 1, 0, "x", 1), SIFT_ERANGE);
    assert_int_equal(sift_spool_commit(f->s), 0); /* refusals do not end the pass */
    assert_int_equal(sift_spool_stat(f->s, &st), 0);
    assert_int_equal(st.n_records, n);
    assert_int_equal(st.n_failed, 0);
    assert_int_equal(st.n_refused, 2);
    assert_true(st.used_bytes <= st.fill_bytes && st.fill_bytes < st.max_bytes);
    seen_clear(&sn);
    assert_int_equal(sift_spool_replay(f->s, collect, &sn), (int)n);
    assert_int_equal(sn.v[0].seg, 1);

    for (uint64_t id = 1; id <= n / 2; id++)
        assert_int_equal(sift_spool_del(f->s, id), 0);
    assert_int_equal(sift_spool_commit(f->s), 0);
    assert_int_equal(put(f->s, n + 1, 0, filler(n + 1, 1000), 1000), 0); /* room again */
    assert_int_equal(sift_spool_commit(f->s), 0);
    assert_int_equal(sift_spool_stat(f->s, &st), 0);
    assert_int_equal(st.n_records, n - n / 2 + 1);
    seen_clear(&sn);
}

/* Free pages scattered in 2-page holes: LMDB finds no run for a record of
 * a few pages though the spool is half empty, and its MAP_FULL (not our
 * own refusal: commit fails too) aborts the pass. */
static void test_spool_map_full_aborts_pass_and_keeps_its_deletes(void **state)
{
    fixture *f = *state;
    static seen sn;
    sift_spool_stats st;
    open_spool(f, SMALL_MAP, SIFT_SPOOL_SYNC_FULL);
    uint64_t n = fill(f->s, 5000, 2);
    assert_int_equal(sift_spool_commit(f->s), 0);
    for (uint64_t id = 1; id <= n; id += 2)
        assert_int_equal(sift_spool_del(f->s, id), 0);
    assert_int_equal(sift_spool_commit(f->s), 0);
    for (int i = 0; i < 3; i++) { /* let LMDB reuse what the deletes freed */
        assert_int_equal(put(f->s, 500, 0, "tick", 4), 0);
        assert_int_equal(sift_spool_commit(f->s), 0);
    }

    assert_int_equal(put(f->s, 501, 0, "new", 3), 0);
    assert_int_equal(sift_spool_del(f->s, 2), 0);
    int rc = 0;
    uint64_t id = 510;
    for (size_t size = 16000; rc == 0; size += 4096, id++) /* until no hole or tail takes it */
        rc = put(f->s, id, 0, filler(id, size), size);
    assert_int_equal(rc, SIFT_ERANGE);
    assert_int_equal(put(f->s, 503, 0, "after", 5), SIFT_ERANGE); /* the pass is over */
    assert_int_equal(sift_spool_del(f->s, 4), 0);                 /* kept for the next pass */
    assert_int_equal(sift_spool_commit(f->s), SIFT_ERANGE);
    assert_int_equal(sift_spool_stat(f->s, &st), 0);
    assert_int_equal(st.n_failed, 1);
    assert_int_equal(st.n_records, n / 2 + 1);
    seen_clear(&sn);
    assert_int_equal(sift_spool_replay(f->s, collect, &sn), (int)(n / 2 + 1));
    assert_int_equal(sn.v[0].id, 2);
    assert_int_equal(sn.v[1].id, 4);

    assert_int_equal(put(f->s, 504, 0, "next pass", 9), 0);
    assert_int_equal(sift_spool_commit(f->s), 0);
    open_spool(f, SMALL_MAP, SIFT_SPOOL_SYNC_FULL);
    seen_clear(&sn);
    assert_int_equal(sift_spool_replay(f->s, collect, &sn), (int)(n / 2));
    assert_int_equal(sn.v[0].id, 6); /* 2 and 4 went with the next pass */
    assert_int_equal(sn.v[sn.n - 2].id, 500);
    assert_int_equal(sn.v[sn.n - 1].id, 504);
    seen_clear(&sn);
}

/* The disk stops taking writes mid-commit (RLIMIT_FSIZE: EFBIG, as ENOSPC
 * would): the pass is lost whole, the spool stays usable. */
static void test_spool_write_error_loses_pass_and_spool_stays_usable(void **state)
{
    fixture *f = *state;
    static seen sn;
    struct stat fs;
    struct rlimit old, lim;
    sift_spool_stats st;
    open_spool(f, 0, SIFT_SPOOL_SYNC_FULL);
    for (uint64_t id = 1; id <= 3; id++)
        assert_int_equal(put(f->s, id, 0, "small", 5), 0);
    assert_int_equal(sift_spool_commit(f->s), 0);

    assert_int_equal(stat(f->path, &fs), 0);
    void (*old_sig)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = (struct rlimit){.rlim_cur = (rlim_t)fs.st_size, .rlim_max = old.rlim_max};
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    assert_int_equal(sift_spool_del(f->s, 1), 0);
    assert_int_equal(put(f->s, 10, 0, filler(10, 64 << 10), 64 << 10), 0);
    int rc = sift_spool_commit(f->s);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_sig);
    assert_int_equal(rc, -EFBIG);

    expect_ids(f->s, &sn, (const uint64_t[]){1, 2, 3}, 3);
    assert_int_equal(sift_spool_stat(f->s, &st), 0);
    assert_int_equal(st.n_failed, 1);
    assert_int_equal(put(f->s, 11, 0, filler(11, 64 << 10), 64 << 10), 0);
    assert_int_equal(sift_spool_commit(f->s), 0);
    open_spool(f, 0, SIFT_SPOOL_SYNC_FULL);
    expect_ids(f->s, &sn, (const uint64_t[]){2, 3, 11}, 3);
    seen_clear(&sn);
}

/* A child commits 50 records, puts 50 more, then SIGKILLs itself without
 * closing: the parent finds exactly the committed 50. */
static void survives_kill9(fixture *f, sift_spool_sync sync)
{
    tally t = {0};
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sift_spool_opts o = {.sync = sync};
        sift_spool *s = NULL;
        if (sift_spool_open(&s, f->dir, &o, NULL) < 0)
            _exit(2);
        for (uint64_t id = 1; id <= 100; id++) {
            if (put(s, id, 0, filler(id, 300), 300) < 0)
                _exit(3);
            if (id == 50 && sift_spool_commit(s) < 0)
                _exit(4);
        }
        kill(getpid(), SIGKILL);
        _exit(5);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    open_spool(f, 0, sync);
    assert_int_equal(sift_spool_replay(f->s, count, &t), 50);
    assert_int_equal(t.last, 50);
    assert_int_equal(t.bytes, 50 * 300);
}

static void test_spool_survives_kill9_sync_full(void **state)
{
    survives_kill9(*state, SIFT_SPOOL_SYNC_FULL);
}

static void test_spool_survives_kill9_sync_meta(void **state)
{
    survives_kill9(*state, SIFT_SPOOL_SYNC_META);
}

static void test_spool_survives_kill9_sync_none(void **state)
{
    survives_kill9(*state, SIFT_SPOOL_SYNC_NONE);
}

static void raw_put(MDB_txn *txn, MDB_dbi dbi, const void *k, size_t klen, const void *v,
                    size_t vlen)
{
    MDB_val key = {.mv_size = klen, .mv_data = (void *)k};
    MDB_val val = {.mv_size = vlen, .mv_data = (void *)v};
    assert_int_equal(mdb_put(txn, dbi, &key, &val, 0), 0);
}

/* Records of an unknown version or cut short are skipped, counted, kept. */
static void test_spool_unreadable_records_are_skipped_and_counted(void **state)
{
    fixture *f = *state;
    static seen sn;
    sift_spool_stats st;
    uint64_t next;
    open_spool(f, 0, SIFT_SPOOL_SYNC_FULL);
    assert_int_equal(put(f->s, 1, 0, "one", 3), 0);
    assert_int_equal(put(f->s, 5, 0, "five", 4), 0);
    assert_int_equal(sift_spool_commit(f->s), 0);
    sift_spool_close(&f->s);

    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    static const unsigned char k2[8] = {0, 0, 0, 0, 0, 0, 0, 2}, k3[8] = {0, 0, 0, 0, 0, 0, 0, 3},
                               k4[8] = {0, 0, 0, 0, 0, 0, 0, 4};
    static const unsigned char v2[] = {99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'x'}; /* v99 */
    static const unsigned char v3[] = {1, 0, 0};                             /* header cut */
    static const unsigned char v4[] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200, 'n'}; /* name */
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 1), 0);
    assert_int_equal(mdb_env_open(env, f->path, MDB_NOSUBDIR, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "jobs", 0, &dbi), 0);
    raw_put(txn, dbi, k2, 8, v2, sizeof v2);
    raw_put(txn, dbi, k3, 8, v3, sizeof v3);
    raw_put(txn, dbi, k4, 8, v4, sizeof v4);
    raw_put(txn, dbi, "zzzz", 4, v2, sizeof v2); /* a key that is no job id; sorts last */
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);

    open_spool(f, 0, SIFT_SPOOL_SYNC_FULL);
    expect_ids(f->s, &sn, (const uint64_t[]){1, 5}, 2);
    assert_int_equal(sift_spool_stat(f->s, &st), 0);
    assert_int_equal(st.n_unreadable, 4);
    assert_int_equal(st.n_records, 6);
    assert_int_equal(sift_spool_next_id(f->s, &next), 0);
    assert_int_equal(next, 6);
    seen_clear(&sn);
}

static int stop_at_two(void *ctx, const sift_spool_rec *r)
{
    (void)ctx;
    return r->id == 2 ? SIFT_EDOC : 0;
}

static void test_spool_replay_stops_at_callback_error(void **state)
{
    fixture *f = *state;
    open_spool(f, 0, SIFT_SPOOL_SYNC_FULL);
    for (uint64_t id = 1; id <= 3; id++)
        assert_int_equal(put(f->s, id, 0, "x", 1), 0);
    assert_int_equal(sift_spool_commit(f->s), 0);
    assert_int_equal(sift_spool_replay(f->s, stop_at_two, NULL), SIFT_EDOC);
}

/* A second process is refused while the first holds the spool. */
static void test_spool_open_refused_while_another_process_holds_it(void **state)
{
    fixture *f = *state;
    int ready[2], hold[2];
    char c;
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(hold), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sift_spool *s = NULL;
        close(hold[1]);
        if (sift_spool_open(&s, f->dir, NULL, NULL) < 0 || write(ready[1], "r", 1) != 1)
            _exit(2);
        if (read(hold[0], &c, 1) < 0) /* EOF when the parent is done */
            _exit(3);
        sift_spool_close(&s);
        _exit(0);
    }
    close(hold[0]);
    assert_int_equal(read(ready[0], &c, 1), 1);
    sift_err err = {{0}};
    sift_spool *s = NULL;
    assert_int_equal(sift_spool_open(&s, f->dir, NULL, &err), -EBUSY);
    assert_null(s);
    assert_non_null(strstr(err.msg, "in use by another process (pid "));
    close(hold[1]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(ready[0]);
    close(ready[1]);
    open_spool(f, 0, SIFT_SPOOL_SYNC_FULL);
}

static void test_spool_open_refuses_bad_options(void **state)
{
    fixture *f = *state;
    sift_err err = {{0}};
    sift_spool *s = NULL;
    char file[160];
    assert_int_equal(sift_spool_open(&s, f->dir, &(sift_spool_opts){.max_bytes = 4096}, &err),
                     SIFT_EINVAL);
    assert_string_equal(err.msg, "spool: max_bytes: must be at least 65536 (got 4096)");
    assert_int_equal(sift_spool_open(&s, f->dir, &(sift_spool_opts){.sync = 7}, &err), SIFT_EINVAL);
    assert_non_null(strstr(err.msg, "sync: must be full, meta or none (got 7)"));
    snprintf(file, sizeof file, "%s/spool.mdb", f->dir);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fputs("plain text where the spool should be", fp);
    fclose(fp);
    assert_int_equal(sift_spool_open(&s, f->dir, NULL, &err), SIFT_ESTATE);
    assert_null(s);
    assert_non_null(strstr(err.msg, "/spool.mdb: cannot open: MDB_INVALID"));
    assert_int_equal(sift_spool_open(&s, file, NULL, &err), -ENOTDIR);
    assert_null(s);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 100,000 small records committed 1,000 a pass; replay time printed. */
static void test_spool_bulk_100k_replays_in_order(void **state)
{
    fixture *f = *state;
    enum { N = 100000, PASS = 1000, DOC = 120 };
    tally t = {0};
    sift_spool_stats st;
    open_spool(f, 0, SIFT_SPOOL_SYNC_META);
    double t0 = now_s();
    for (uint64_t id = 0; id < N; id++) {
        assert_int_equal(put(f->s, id, 0, filler(id, DOC), DOC), 0);
        if ((id + 1) % PASS == 0)
            assert_int_equal(sift_spool_commit(f->s), 0);
    }
    double t1 = now_s();
    open_spool(f, 0, SIFT_SPOOL_SYNC_META);
    double t2 = now_s();
    assert_int_equal(sift_spool_replay(f->s, count, &t), N);
    double t3 = now_s();
    assert_int_equal(t.last, N - 1);
    assert_int_equal(sift_spool_stat(f->s, &st), 0);
    print_message("spool: %d records of %d bytes: write %.0f ms (%d passes, sync=meta), "
                  "reopen %.1f ms, replay %.1f ms, %zu KiB used\n", N, DOC, (t1 - t0) * 1e3,
                  N / PASS, (t2 - t1) * 1e3, (t3 - t2) * 1e3, st.used_bytes >> 10);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_spool_put_commit_survives_reopen),
        T(test_spool_uncommitted_puts_are_lost_at_close),
        T(test_spool_del_removes_and_missing_id_is_no_error),
        T(test_spool_put_overwrites_progress),
        T(test_spool_full_refuses_new_records_and_drains),
        T(test_spool_map_full_aborts_pass_and_keeps_its_deletes),
        T(test_spool_write_error_loses_pass_and_spool_stays_usable),
        T(test_spool_survives_kill9_sync_full),
        T(test_spool_survives_kill9_sync_meta),
        T(test_spool_survives_kill9_sync_none),
        T(test_spool_unreadable_records_are_skipped_and_counted),
        T(test_spool_replay_stops_at_callback_error),
        T(test_spool_open_refused_while_another_process_holds_it),
        T(test_spool_open_refuses_bad_options),
        T(test_spool_bulk_100k_replays_in_order),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
