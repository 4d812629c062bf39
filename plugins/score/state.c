/* state.c - the score stage's memory on disk: recent documents' records in LMDB.
 *
 * One LMDB environment in the stage's state directory (host->stage_state_dir)
 * with two databases: "records" maps a record's sequence number (8 bytes,
 * big-endian, so LMDB's order is arrival order) to the record's bytes as
 * store.c lays them out, and "meta" holds the format version. From the
 * records alone init rebuilds everything else (LSH bands, document
 * frequencies, story postings), so nothing derived is stored twice. Writes
 * go into one open write transaction, committed every COMMIT_EVERY writes
 * without fsync (a killed worker loses nothing the kernel has) and by
 * score_state_commit with fsync (the host's flush, idle time, shutdown).
 * A stored format this version does not know is dropped with a warning by
 * the caller; nothing here decides what to remember (score.c does).
 * SPDX-License-Identifier: MIT
 */
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score.h"

#define COMMIT_EVERY (512)   /* writes per automatic commit */
#define FORMAT "score-1"     /* bump when store.c's record layout changes */
#define MIN_MAP (1ull << 30) /* bytes of address space reserved for the map, at least */
#define PER_DOC (64u << 10)  /* bytes reserved per remembered document */

struct score_state {
    MDB_env *env;
    MDB_dbi records, meta;
    MDB_txn *txn; /* the open write transaction, or NULL */
    size_t pending;
    int last_rc; /* last LMDB failure, for score_state_error */
};

static int fail(score_state *s, int rc)
{
    s->last_rc = rc;
    return SIFT_ESTATE;
}

static void key_of(uint64_t seq, unsigned char k[8])
{
    for (int i = 7; i >= 0; i--, seq >>= 8)
        k[i] = (unsigned char)(seq & 0xff);
}

/* Open the databases; drop the records when the stored format differs. */
static int open_dbs(score_state *s, int *dropped)
{
    MDB_txn *txn;
    int rc = mdb_txn_begin(s->env, NULL, 0, &txn);
    if (rc)
        return rc;
    rc = mdb_dbi_open(txn, "records", MDB_CREATE, &s->records);
    if (!rc)
        rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &s->meta);
    MDB_val k = {.mv_size = 6, .mv_data = "format"}, v;
    int got = rc ? rc : mdb_get(txn, s->meta, &k, &v);
    if (!rc && got == 0 && (v.mv_size != strlen(FORMAT) || memcmp(v.mv_data, FORMAT, v.mv_size))) {
        rc = mdb_drop(txn, s->records, 0);
        *dropped = 1;
    }
    if (!rc && (got != 0 || *dropped)) {
        v = (MDB_val){.mv_size = strlen(FORMAT), .mv_data = FORMAT};
        rc = mdb_put(txn, s->meta, &k, &v, 0);
    }
    if (rc) {
        mdb_txn_abort(txn);
        return rc;
    }
    return mdb_txn_commit(txn);
}

int score_state_open(score_state **out, const char *dir, size_t max_docs, char *err, size_t err_len)
{
    score_state *s = calloc(1, sizeof *s);
    if (!s)
        return SIFT_ENOMEM;
    uint64_t map = (uint64_t)max_docs * PER_DOC;
    int dropped = 0;
    int rc = mdb_env_create(&s->env);
    if (!rc)
        rc = mdb_env_set_mapsize(s->env, (size_t)(map > MIN_MAP ? map : MIN_MAP));
    if (!rc)
        rc = mdb_env_set_maxdbs(s->env, 2);
    if (!rc)
        rc = mdb_env_open(s->env, dir, MDB_NOSYNC, 0644);
    if (!rc)
        rc = open_dbs(s, &dropped);
    if (rc) {
        snprintf(err, err_len, "lmdb in %s: %s", dir, mdb_strerror(rc));
        score_state_close(&s);
        return SIFT_ESTATE;
    }
    if (dropped)
        snprintf(err, err_len, "state in %s had another format: started empty", dir);
    *out = s;
    return 0;
}

void score_state_close(score_state **pp)
{
    score_state *s = pp ? *pp : NULL;
    if (!s)
        return;
    if (s->txn)
        score_state_commit(s);
    if (s->env)
        mdb_env_close(s->env);
    free(s);
    *pp = NULL;
}

int score_state_load(score_state *s, int (*fn)(void *ctx, const void *bytes, size_t size),
                     void *ctx)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    MDB_val k, v;
    int rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn);
    if (rc)
        return fail(s, rc);
    rc = mdb_cursor_open(txn, s->records, &cur);
    if (rc) {
        mdb_txn_abort(txn);
        return fail(s, rc);
    }
    int ret = 0;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && ret == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
        ret = fn(ctx, v.mv_data, v.mv_size);
    mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    if (ret)
        return ret;
    return rc == MDB_NOTFOUND ? 0 : fail(s, rc);
}

static int txn_open(score_state *s)
{
    if (s->txn)
        return 0;
    int rc = mdb_txn_begin(s->env, NULL, 0, &s->txn);
    if (rc) {
        s->txn = NULL;
        return fail(s, rc);
    }
    return 0;
}

static int txn_commit(score_state *s)
{
    if (!s->txn)
        return 0;
    int rc = mdb_txn_commit(s->txn);
    s->txn = NULL;
    s->pending = 0;
    return rc ? fail(s, rc) : 0;
}

static int wrote(score_state *s, int rc)
{
    if (rc) {
        mdb_txn_abort(s->txn);
        s->txn = NULL;
        s->pending = 0;
        return fail(s, rc);
    }
    return ++s->pending >= COMMIT_EVERY ? txn_commit(s) : 0;
}

int score_state_put(score_state *s, const score_rec *rec)
{
    unsigned char kb[8];
    key_of(rec->seq, kb);
    MDB_val k = {.mv_size = 8, .mv_data = kb}, v = {.mv_size = rec->size, .mv_data = rec->blob};
    int rc = txn_open(s);
    return rc ? rc : wrote(s, mdb_put(s->txn, s->records, &k, &v, 0));
}

int score_state_del(score_state *s, uint64_t seq)
{
    unsigned char kb[8];
    key_of(seq, kb);
    MDB_val k = {.mv_size = 8, .mv_data = kb};
    int rc = txn_open(s);
    if (rc)
        return rc;
    rc = mdb_del(s->txn, s->records, &k, NULL);
    return wrote(s, rc == MDB_NOTFOUND ? 0 : rc);
}

int score_state_commit(score_state *s)
{
    int rc = txn_commit(s);
    if (rc)
        return rc;
    rc = mdb_env_sync(s->env, 1);
    return rc ? fail(s, rc) : 0;
}

const char *score_state_error(const score_state *s)
{
    return s->last_rc ? mdb_strerror(s->last_rc) : "";
}
