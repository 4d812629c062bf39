/* spool.c - siftd's durable spool on LMDB: records, group commit, room, replay.
 *
 * Owns the LMDB environment, the pass's write transaction, the list of
 * deletes a failed pass must not lose, and the record format. The contract,
 * the sync policies and the state diagram are in spool.h; when to put,
 * delete and commit is the broker's business (daemon/).
 *
 * Record value, all integers big-endian:
 *     [0]      format version (SPOOL_FORMAT)
 *     [1..2]   segment            [3..6]   attempt      [7..10] deliveries
 *     [11..12] pipeline name length n, then n name bytes, then the document
 *
 * Invariants:
 *  1. s->txn != NULL exactly in state IN_TXN; there is at most one write
 *     txn, and it lives no longer than one pass.
 *  2. A record is in the file iff a commit that put it returned 0 and no
 *     later commit that deleted it returned 0.
 *  3. A pass either commits whole or leaves the file as it was: every LMDB
 *     error ends the txn with mdb_txn_abort() (mdb_txn_commit() frees it
 *     itself), never with a partial commit.
 *  4. s->dels[0..n_dels) holds every id deleted since the last successful
 *     commit; the ids a failed pass deleted are applied first by the next.
 *  5. A new id is admitted only while the pages in use, plus what this
 *     pass and the last one wrote (standing in for the pages they freed,
 *     which LMDB cannot reuse yet), plus its own, stay within
 *     s->fill_pages: 7/8 of the map, lowered for a while after a MAP_FULL.
 *     An overwrite may use half the rest, a delete all of it, so a full
 *     spool can still make progress and drain.
 *  6. Keys are 8 bytes big-endian, so cursor order is id order.
 * SPDX-License-Identifier: MIT
 */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

#define SPOOL_FILE "spool.mdb"
#define SPOOL_DB "jobs"
#define SPOOL_FORMAT (1)     /* record format version; bump on any layout change */
#define HDR_BYTES (13)       /* fixed header before the pipeline name */
#define FREE_DBI_ (0)        /* LMDB's free-page database */
#define FIXED_PAGES (3)      /* two meta pages and the main database's root */
#define PAGE_HDR_BYTES (16)  /* LMDB page header, paid by every overflow run */
#define NODE_BYTES (18)      /* a leaf node's header, key and index slot */
#define PATH_PAGES (4)       /* pages a put may copy on its way down the tree */
#define FILL_NUM (7)         /* new records stop at FILL_NUM/FILL_DEN of the map */
#define FILL_DEN (8)

typedef enum pass_state { NO_TXN = 0, IN_TXN, FAILED } pass_state;

struct sift_spool {
    /* private */
    MDB_env *env;
    MDB_dbi dbi;
    MDB_txn *txn;       /* the pass's write txn; invariant 1 */
    pass_state state;
    int pass_rc;        /* FAILED: what put and commit return */
    int is_full;        /* "spool full" logged, "has room again" not yet */
    size_t psize;       /* LMDB page size */
    size_t map_pages;
    size_t fill_pages;  /* admission limit now: lowered by MAP_FULL, raised by commits */
    size_t fill_max;    /* FILL_NUM/FILL_DEN of the map */
    size_t used_pages;  /* pages in use at the last look, this pass */
    size_t pass_bytes;  /* what this pass's puts wrote, see rec_bytes() */
    size_t prev_bytes;  /* the same for the last committed pass */
    uint64_t *dels;     /* invariant 4 */
    size_t n_dels, cap_dels;
    size_t n_unreadable;
    uint64_t n_commits, n_failed, n_refused;
    char path[];        /* <dir>/spool.mdb */
};

/* An LMDB return (0, errno, MDB_*) as a sift code. */
static int mdb_code(int mrc)
{
    if (mrc == MDB_MAP_FULL)
        return SIFT_ERANGE;
    return mrc > 0 ? -mrc : SIFT_ESTATE;
}

static void put_be(unsigned char *p, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)(v & 0xff);
}

static uint64_t get_be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* ---- open and close ---- */

static int check_opts(const sift_spool_opts *o, sift_err *err)
{
    if (o->max_bytes != 0 && o->max_bytes < SIFT_SPOOL_MIN_BYTES)
        return sift_err_set(err, SIFT_EINVAL, "spool: max_bytes: must be at least %zu (got %zu)",
                            SIFT_SPOOL_MIN_BYTES, o->max_bytes);
    if (o->sync != SIFT_SPOOL_SYNC_FULL && o->sync != SIFT_SPOOL_SYNC_META &&
        o->sync != SIFT_SPOOL_SYNC_NONE)
        return sift_err_set(err, SIFT_EINVAL, "spool: sync: must be full, meta or none (got %d)",
                            (int)o->sync);
    return 0;
}

static int make_dir(const char *dir, sift_err *err)
{
    struct stat st;
    if (mkdir(dir, 0700) == 0 || (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)))
        return 0;
    int rc = errno == EEXIST ? -ENOTDIR : -errno;
    return sift_err_set(err, rc, "spool %s: cannot create the directory: %s", dir,
                        sift_strerror(rc));
}

/* One broker per spool: a POSIX lock on the data file (not inherited by
 * forked workers, dropped when the process dies, however it dies). */
static int lock_file(sift_spool *s, sift_err *err)
{
    int fd;
    int mrc = mdb_env_get_fd(s->env, &fd);
    if (mrc)
        return sift_err_set(err, mdb_code(mrc), "spool %s: %s", s->path, mdb_strerror(mrc));
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(fd, F_SETLK, &fl) == 0)
        return 0;
    if (errno != EACCES && errno != EAGAIN)
        return sift_err_set(err, -errno, "spool %s: cannot lock: %s", s->path, strerror(errno));
    long pid = fcntl(fd, F_GETLK, &fl) == 0 ? (long)fl.l_pid : -1;
    return sift_err_set(err, -EBUSY, "spool %s: in use by another process (pid %ld)", s->path, pid);
}

static int open_db(sift_spool *s, sift_err *err)
{
    MDB_txn *txn = NULL;
    MDB_envinfo info;
    MDB_stat st;
    int mrc = mdb_txn_begin(s->env, NULL, 0, &txn);
    if (!mrc && (mrc = mdb_dbi_open(txn, SPOOL_DB, MDB_CREATE, &s->dbi)) != 0)
        mdb_txn_abort(txn);
    else if (!mrc)
        mrc = mdb_txn_commit(txn);
    if (!mrc && !(mrc = mdb_env_info(s->env, &info)))
        mrc = mdb_env_stat(s->env, &st);
    if (mrc)
        return sift_err_set(err, mdb_code(mrc), "spool %s: cannot open the \"%s\" database: %s",
                            s->path, SPOOL_DB, mdb_strerror(mrc));
    s->psize = st.ms_psize;
    s->map_pages = info.me_mapsize / s->psize;
    s->fill_max = s->fill_pages = s->map_pages / FILL_DEN * FILL_NUM;
    return 0;
}

static int open_env(sift_spool *s, const sift_spool_opts *o, sift_err *err)
{
    static const unsigned sync_flags[] = {
        [SIFT_SPOOL_SYNC_FULL] = 0,
        [SIFT_SPOOL_SYNC_META] = MDB_NOMETASYNC,
        [SIFT_SPOOL_SYNC_NONE] = MDB_NOSYNC,
    };
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t map = o->max_bytes ? o->max_bytes : SIFT_SPOOL_DEFAULT_MAX_BYTES;
    map = (map + page - 1) / page * page;
    int mrc = mdb_env_create(&s->env);
    if (!mrc && !(mrc = mdb_env_set_mapsize(s->env, map)) && !(mrc = mdb_env_set_maxdbs(s->env, 1)))
        mrc = mdb_env_open(s->env, s->path, MDB_NOSUBDIR | MDB_NOTLS | sync_flags[o->sync], 0600);
    if (mrc)
        return sift_err_set(err, mdb_code(mrc), "spool %s: cannot open: %s", s->path,
                            mdb_strerror(mrc));
    return 0;
}

int sift_spool_open(sift_spool **out, const char *dir, const sift_spool_opts *o, sift_err *err)
{
    static const sift_spool_opts defaults = {.max_bytes = 0, .sync = SIFT_SPOOL_SYNC_FULL};
    *out = NULL;
    o = o ? o : &defaults;
    int rc = check_opts(o, err);
    if (rc < 0 || (rc = make_dir(dir, err)) < 0)
        return rc;
    size_t n = strlen(dir) + sizeof "/" SPOOL_FILE;
    sift_spool *s = calloc(1, sizeof *s + n);
    if (!s)
        return sift_err_set(err, SIFT_ENOMEM, "spool %s: out of memory", dir);
    memcpy(s->path, dir, strlen(dir));
    memcpy(s->path + strlen(dir), "/" SPOOL_FILE, sizeof "/" SPOOL_FILE);
    if ((rc = open_env(s, o, err)) < 0 || (rc = lock_file(s, err)) < 0 ||
        (rc = open_db(s, err)) < 0)
        goto fail;
    size_t want = o->max_bytes ? o->max_bytes : SIFT_SPOOL_DEFAULT_MAX_BYTES;
    if (s->map_pages * s->psize < want || s->map_pages * s->psize > want + s->psize)
        sift_log(SIFT_LOG_WARN, "spool", "map size differs from max_bytes",
                 "file=%s max_bytes=%zu map_bytes=%zu", s->path, want, s->map_pages * s->psize);
    *out = s;
    return 0;
fail:
    mdb_env_close(s->env); /* accepts an env whose open failed; NULL when create failed */
    free(s);
    return rc;
}

void sift_spool_close(sift_spool **pp)
{
    sift_spool *s = pp ? *pp : NULL;
    if (!s)
        return;
    if (s->txn)
        mdb_txn_abort(s->txn);
    int mrc = mdb_env_sync(s->env, 1);
    if (mrc)
        sift_log(SIFT_LOG_ERROR, "spool", "sync failed", "file=%s rc=%s err=%s", s->path,
                 sift_err_name(mdb_code(mrc)), mdb_strerror(mrc));
    mdb_env_close(s->env);
    free(s->dels);
    free(s);
    *pp = NULL;
}

/* ---- the pass ---- */

/* LMDB ran out of map below our limit (fragmented free pages): admit less
 * for a while. */
static void squeeze(sift_spool *s)
{
    size_t floor = s->map_pages / 4, lim = s->used_pages < s->fill_max ? s->used_pages : s->fill_max;
    s->fill_pages = lim > floor ? lim : floor;
}

/* An LMDB error inside the pass: abort it (invariant 3), remember the code. */
static int fail_pass(sift_spool *s, int mrc, const char *op)
{
    if (mrc == MDB_MAP_FULL)
        squeeze(s);
    if (s->txn)
        mdb_txn_abort(s->txn);
    s->txn = NULL;
    s->state = FAILED;
    s->pass_rc = mdb_code(mrc);
    s->n_failed++;
    sift_log(SIFT_LOG_ERROR, "spool", "pass aborted", "file=%s op=%s rc=%s err=%s", s->path, op,
             sift_err_name(s->pass_rc), mdb_strerror(mrc));
    return s->pass_rc;
}

static int del_key(sift_spool *s, uint64_t id)
{
    unsigned char k[8];
    put_be(k, id, 8);
    MDB_val key = {.mv_size = sizeof k, .mv_data = k};
    int mrc = mdb_del(s->txn, s->dbi, &key, NULL);
    return mrc == MDB_NOTFOUND ? 0 : mrc;
}

int sift_spool_begin(sift_spool *s)
{
    if (s->state == FAILED)
        return s->pass_rc;
    if (s->state == IN_TXN)
        return 0;
    int mrc = mdb_txn_begin(s->env, NULL, 0, &s->txn);
    if (mrc) {
        s->txn = NULL;
        return fail_pass(s, mrc, "begin");
    }
    s->state = IN_TXN;
    s->pass_bytes = 0;
    for (size_t i = 0; i < s->n_dels; i++) /* invariant 4: a failed pass's deletes */
        if ((mrc = del_key(s, s->dels[i])) != 0)
            return fail_pass(s, mrc, "del");
    return 0;
}

/* Pages holding records, the free list and LMDB's own, as txn sees them. */
static size_t count_used(sift_spool *s, MDB_txn *txn)
{
    MDB_stat db, fr;
    if (mdb_stat(txn, s->dbi, &db) || mdb_stat(txn, FREE_DBI_, &fr))
        return s->map_pages; /* cannot tell: as good as full */
    return db.ms_branch_pages + db.ms_leaf_pages + db.ms_overflow_pages + fr.ms_branch_pages +
           fr.ms_leaf_pages + fr.ms_overflow_pages + FIXED_PAGES;
}

/* Bytes a value of vlen takes: a run of whole pages past half a page
 * (LMDB's overflow pages), else its node in a leaf, doubled for half-full
 * leaves. */
static size_t rec_bytes(const sift_spool *s, size_t vlen)
{
    if (vlen + NODE_BYTES > s->psize / 2)
        return (vlen + PAGE_HDR_BYTES + s->psize - 1) / s->psize * s->psize;
    return 2 * (vlen + NODE_BYTES);
}

/* Invariant 5: room for a value of vlen bytes? Pages the last pass and this
 * one freed cannot be reused yet (LMDB keeps them for a txn or two): what
 * their puts wrote stands in for them. An overwrite may use half the
 * reserve. */
static int has_room(sift_spool *s, MDB_val *key, size_t vlen)
{
    MDB_val old;
    s->used_pages = count_used(s, s->txn);
    size_t want = s->used_pages + (s->pass_bytes + s->prev_bytes + rec_bytes(s, vlen)) / s->psize +
                  1 + PATH_PAGES;
    if (want > s->fill_pages && mdb_get(s->txn, s->dbi, key, &old) == 0)
        return want <= s->fill_pages + (s->map_pages - s->fill_pages) / 2;
    int is_room = want <= s->fill_pages;
    if (!is_room && !s->is_full) {
        s->is_full = 1;
        sift_log(SIFT_LOG_ERROR, "spool", "spool full", "file=%s used_bytes=%zu fill_bytes=%zu",
                 s->path, s->used_pages * s->psize, s->fill_pages * s->psize);
    } else if (s->is_full && want + s->map_pages / 16 <= s->fill_pages) { /* hysteresis */
        s->is_full = 0;
        sift_log(SIFT_LOG_INFO, "spool", "spool has room again", "file=%s used_bytes=%zu",
                 s->path, s->used_pages * s->psize);
    }
    return is_room;
}

static void write_value(unsigned char *p, const sift_spool_rec *r)
{
    p[0] = SPOOL_FORMAT;
    put_be(p + 1, r->seg, 2);
    put_be(p + 3, r->attempt, 4);
    put_be(p + 7, r->deliveries, 4);
    put_be(p + 11, r->pipeline_len, 2);
    if (r->pipeline_len)
        memcpy(p + HDR_BYTES, r->pipeline, r->pipeline_len);
    if (r->doc_len)
        memcpy(p + HDR_BYTES + r->pipeline_len, r->doc, r->doc_len);
}

int sift_spool_put(sift_spool *s, const sift_spool_rec *r)
{
    if (r->pipeline_len > UINT16_MAX || r->seg > UINT16_MAX)
        return SIFT_EINVAL;
    int rc = sift_spool_begin(s);
    if (rc < 0)
        return rc;
    unsigned char k[8];
    put_be(k, r->id, 8);
    MDB_val key = {.mv_size = sizeof k, .mv_data = k};
    size_t vlen = HDR_BYTES + r->pipeline_len + r->doc_len;
    if (r->doc_len > SIZE_MAX / 2 || vlen > s->map_pages * s->psize || /* can never fit */
        !has_room(s, &key, vlen)) {
        s->n_refused++;
        return SIFT_ERANGE;
    }
    MDB_val val = {.mv_size = vlen, .mv_data = NULL};
    int mrc = mdb_put(s->txn, s->dbi, &key, &val, MDB_RESERVE);
    if (mrc)
        return fail_pass(s, mrc, "put");
    write_value(val.mv_data, r);
    s->pass_bytes += rec_bytes(s, vlen);
    return 0;
}

int sift_spool_del(sift_spool *s, uint64_t id)
{
    if (s->n_dels == s->cap_dels) {
        size_t cap = s->cap_dels ? s->cap_dels * 2 : 64;
        uint64_t *d = realloc(s->dels, cap * sizeof *d);
        if (!d)
            return SIFT_ENOMEM;
        s->dels = d;
        s->cap_dels = cap;
    }
    s->dels[s->n_dels++] = id; /* invariant 4, before LMDB can fail the pass */
    if (sift_spool_begin(s) < 0)
        return 0; /* failed pass: the next one applies it */
    int mrc = del_key(s, id);
    if (mrc)
        fail_pass(s, mrc, "del");
    return 0;
}

int sift_spool_commit(sift_spool *s)
{
    if (s->state == NO_TXN)
        return 0;
    if (s->state == FAILED) {
        s->state = NO_TXN;
        return s->pass_rc;
    }
    int mrc = mdb_txn_commit(s->txn); /* frees the txn, committed or not */
    s->txn = NULL;
    s->state = NO_TXN;
    if (mrc) {
        if (mrc == MDB_MAP_FULL)
            squeeze(s);
        s->n_failed++;
        sift_log(SIFT_LOG_ERROR, "spool", "commit failed", "file=%s rc=%s err=%s", s->path,
                 sift_err_name(mdb_code(mrc)), mdb_strerror(mrc));
        return mdb_code(mrc);
    }
    s->n_dels = 0;
    s->n_commits++;
    s->prev_bytes = s->pass_bytes;
    s->fill_pages += s->fill_pages < s->fill_max ? (s->fill_max - s->fill_pages) / 64 + 1 : 0;
    return 0;
}

/* ---- reading ---- */

/* Decode one record; NULL if readable, else why not. */
static const char *decode(const MDB_val *key, const MDB_val *val, sift_spool_rec *r)
{
    const unsigned char *p = val->mv_data;
    if (key->mv_size != 8)
        return "key is not 8 bytes";
    r->id = get_be(key->mv_data, 8);
    if (val->mv_size < 1 || p[0] != SPOOL_FORMAT)
        return val->mv_size < 1 ? "empty value" : "unknown format version";
    if (val->mv_size < HDR_BYTES)
        return "header truncated";
    r->seg = (uint32_t)get_be(p + 1, 2);
    r->attempt = (uint32_t)get_be(p + 3, 4);
    r->deliveries = (uint32_t)get_be(p + 7, 4);
    r->pipeline_len = (size_t)get_be(p + 11, 2);
    if (val->mv_size < HDR_BYTES + r->pipeline_len)
        return "pipeline name truncated";
    r->pipeline = (const char *)p + HDR_BYTES;
    r->doc = p + HDR_BYTES + r->pipeline_len;
    r->doc_len = val->mv_size - HDR_BYTES - r->pipeline_len;
    return NULL;
}

static int walk(sift_spool *s, MDB_cursor *c, int (*fn)(void *, const sift_spool_rec *), void *ctx)
{
    MDB_val key, val;
    int n = 0, mrc;
    for (mrc = mdb_cursor_get(c, &key, &val, MDB_FIRST); mrc == 0;
         mrc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
        sift_spool_rec r = {0};
        const char *why = decode(&key, &val, &r);
        if (why) {
            char job[24] = "?";
            if (key.mv_size == 8)
                snprintf(job, sizeof job, "%llu", (unsigned long long)r.id);
            s->n_unreadable++;
            sift_log(SIFT_LOG_WARN, "spool", "record unreadable",
                     "file=%s job=%s bytes=%zu format=%d reason=%s", s->path, job, val.mv_size,
                     val.mv_size ? ((const unsigned char *)val.mv_data)[0] : -1, why);
            continue;
        }
        int rc = fn(ctx, &r);
        if (rc < 0)
            return rc;
        n++;
    }
    if (mrc != MDB_NOTFOUND) {
        sift_log(SIFT_LOG_ERROR, "spool", "replay failed", "file=%s rc=%s err=%s", s->path,
                 sift_err_name(mdb_code(mrc)), mdb_strerror(mrc));
        return mdb_code(mrc);
    }
    return n;
}

/* A read txn (MDB_NOTLS: allowed beside the pass's write txn) and a cursor. */
static int read_begin(sift_spool *s, MDB_txn **txn, MDB_cursor **c)
{
    int mrc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, txn);
    if (!mrc && c && (mrc = mdb_cursor_open(*txn, s->dbi, c)) != 0)
        mdb_txn_abort(*txn);
    if (mrc)
        sift_log(SIFT_LOG_ERROR, "spool", "read failed", "file=%s rc=%s err=%s", s->path,
                 sift_err_name(mdb_code(mrc)), mdb_strerror(mrc));
    return mrc ? mdb_code(mrc) : 0;
}

int sift_spool_replay(sift_spool *s, int (*fn)(void *ctx, const sift_spool_rec *r), void *ctx)
{
    MDB_txn *txn;
    MDB_cursor *c;
    int rc = read_begin(s, &txn, &c);
    if (rc < 0)
        return rc;
    s->n_unreadable = 0;
    rc = walk(s, c, fn, ctx);
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
    return rc;
}

int sift_spool_next_id(sift_spool *s, uint64_t *out)
{
    MDB_txn *txn;
    MDB_cursor *c;
    MDB_val key, val;
    int rc = read_begin(s, &txn, &c);
    if (rc < 0)
        return rc;
    int mrc = mdb_cursor_get(c, &key, &val, MDB_LAST);
    while (mrc == 0 && key.mv_size != 8) /* a foreign key sorts by bytes: skip it */
        mrc = mdb_cursor_get(c, &key, &val, MDB_PREV);
    *out = mrc == 0 ? get_be(key.mv_data, 8) + 1 : 0;
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
    return mrc == 0 || mrc == MDB_NOTFOUND ? 0 : mdb_code(mrc);
}

int sift_spool_stat(sift_spool *s, sift_spool_stats *out)
{
    MDB_txn *txn;
    MDB_stat db, fr;
    MDB_envinfo info;
    int rc = read_begin(s, &txn, NULL);
    if (rc < 0)
        return rc;
    int mrc = mdb_stat(txn, s->dbi, &db);
    if (!mrc && !(mrc = mdb_stat(txn, FREE_DBI_, &fr)))
        mrc = mdb_env_info(s->env, &info);
    mdb_txn_abort(txn);
    if (mrc)
        return mdb_code(mrc);
    size_t used = db.ms_branch_pages + db.ms_leaf_pages + db.ms_overflow_pages +
                  fr.ms_branch_pages + fr.ms_leaf_pages + fr.ms_overflow_pages + FIXED_PAGES;
    *out = (sift_spool_stats){
        .n_records = db.ms_entries,
        .used_bytes = used * s->psize,
        .file_bytes = (info.me_last_pgno + 1) * s->psize,
        .max_bytes = info.me_mapsize,
        .fill_bytes = s->fill_pages * s->psize,
        .n_unreadable = s->n_unreadable,
        .n_commits = s->n_commits,
        .n_failed = s->n_failed,
        .n_refused = s->n_refused,
    };
    return 0;
}
