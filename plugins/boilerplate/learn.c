/* learn.c - per-source memory of recurring lines (CCNet-style), persisted in LMDB.
 *
 * A line that appears in learn_min_docs earlier documents of the same
 * source (a footer, a newsletter box, a site's standing caption) is
 * boilerplate there. The memory maps xxHash(source, normalised line) to
 * the number of distinct documents that held the line, the document that
 * counted it last (a retried or repeated document does not count twice)
 * and a tick (documents seen) for ageing. It is an open-addressing table
 * bounded by learn_max_lines entries: when full, the least recently seen
 * half is evicted. With a state directory the table is loaded from
 * <dir>/learn.mdb at start and flush() writes the entries that changed
 * (and deletes the evicted ones; when more than learn_max_lines keys wait
 * for deletion, the memory flushes on its own), so learning survives
 * restarts; without one it lives in memory only. Every process learns on
 * its own: several workers of the stage share the file but not their
 * counts in memory. A document whose words are mostly in learnt lines is
 * a repeat of an earlier document (the score stage finds those), so the
 * memory is not applied to it.
 *
 * Invariants: n <= max < mask + 1 (load under one half); key 0 marks an
 * empty slot and, in the file, the record holding the tick.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lmdb.h>
#include <xxhash.h>

#include "boilerplate.h"

#define DIRTY (0x80000000u) /* in entry.count: changed since the last flush */
#define HIST_BUCKETS (64)   /* resolution of the eviction threshold */
#define REPEAT_SHARE (0.6f) /* a document this much learnt is a repeat, not boilerplate */

typedef struct entry {
    uint64_t key;      /* 0 = empty slot */
    uint64_t last_doc; /* hash of the id of the document that counted last */
    uint32_t count;    /* distinct documents, plus DIRTY */
    uint32_t tick;     /* documents seen when this line was last seen */
} entry;

typedef struct record { /* the value stored in LMDB */
    uint32_t count, tick;
    uint64_t last_doc;
} record;

struct bp_learn {
    entry *tab;
    size_t mask, n, max;
    uint32_t tick, min_docs;
    uint64_t *evicted; /* keys to delete from the file at the next flush */
    size_t n_evicted, cap_evicted;
    int dirty;
    MDB_env *env; /* NULL: memory only */
    MDB_dbi dbi;
    sift_stage *st;
    const sift_host *h;
    uint64_t hits, evictions, repeats;
};

static entry *slot(const bp_learn *l, uint64_t key)
{
    size_t i = (size_t)key & l->mask;
    while (l->tab[i].key && l->tab[i].key != key)
        i = (i + 1) & l->mask;
    return &l->tab[i];
}

static int note_evicted(bp_learn *l, uint64_t key)
{
    if (!l->env)
        return 0;
    if (l->n_evicted == l->cap_evicted) {
        size_t cap = l->cap_evicted ? 2 * l->cap_evicted : 1024;
        uint64_t *p = realloc(l->evicted, cap * sizeof *p);
        if (!p)
            return SIFT_ENOMEM;
        l->evicted = p;
        l->cap_evicted = cap;
    }
    l->evicted[l->n_evicted++] = key;
    return 0;
}

/* The tick below which about half of the entries were last seen. */
static uint32_t median_tick(const bp_learn *l)
{
    uint32_t lo = UINT32_MAX, hi = 0;
    for (size_t i = 0; i <= l->mask; i++)
        if (l->tab[i].key) {
            lo = l->tab[i].tick < lo ? l->tab[i].tick : lo;
            hi = l->tab[i].tick > hi ? l->tab[i].tick : hi;
        }
    size_t hist[HIST_BUCKETS] = {0};
    uint64_t width = ((uint64_t)hi - lo) / HIST_BUCKETS + 1;
    for (size_t i = 0; i <= l->mask; i++)
        if (l->tab[i].key)
            hist[(l->tab[i].tick - lo) / width]++;
    size_t sum = 0, b = 0;
    while (b < HIST_BUCKETS - 1 && (sum += hist[b]) < l->n / 2)
        b++;
    return (uint32_t)(lo + (b + 1) * width);
}

/* Drop the least recently seen half and rebuild the table. */
static int evict(bp_learn *l)
{
    uint32_t thr = median_tick(l);
    entry *old = l->tab;
    entry *tab = calloc(l->mask + 1, sizeof *tab);
    if (!tab)
        return SIFT_ENOMEM;
    l->tab = tab;
    l->n = 0;
    int rc = 0;
    for (size_t i = 0; i <= l->mask; i++) {
        if (!old[i].key)
            continue;
        if (old[i].tick < thr) {
            l->evictions++;
            if (rc == 0)
                rc = note_evicted(l, old[i].key);
            continue;
        }
        *slot(l, old[i].key) = old[i];
        l->n++;
    }
    free(old);
    l->dirty = 1;
    if (rc == 0 && l->n_evicted > l->max)
        rc = bp_learn_flush(l); /* bound the list of keys to delete */
    return rc;
}

static uint64_t line_key(uint64_t source, uint64_t lhash)
{
    uint64_t two[2] = {source, lhash};
    return XXH3_64bits(two, sizeof two) | 1;
}

/* Count the line for doc once; e is its slot (empty when new). */
static int count_line(bp_learn *l, entry *e, uint64_t key, uint64_t doc)
{
    if (!e->key) {
        if (l->n >= l->max) {
            int rc = evict(l);
            if (rc < 0)
                return rc;
            e = slot(l, key);
            if (l->n >= l->max)
                return 0; /* one document fills the memory: learn nothing more */
        }
        *e = (entry){.key = key};
        l->n++;
    } else if (e->last_doc == doc) {
        return 0;
    }
    uint32_t c = e->count & ~DIRTY;
    e->count = (c < DIRTY - 1 ? c + 1 : c) | DIRTY;
    e->last_doc = doc;
    e->tick = l->tick;
    l->dirty = 1;
    return 0;
}

/* A document most of whose words are in learnt lines is a repeat of an
 * earlier one, not boilerplate: the memory is not applied to it. */
static void forget_repeat(bp_learn *l, bp_lines *ls, uint64_t hits)
{
    float all = 0, learnt = 0;
    for (size_t i = 0; i < ls->n; i++) {
        all += ls->v[i].units;
        learnt += ls->v[i].learned ? ls->v[i].units : 0;
    }
    if (learnt <= REPEAT_SHARE * all)
        return;
    for (size_t i = 0; i < ls->n; i++)
        ls->v[i].learned = 0;
    l->hits -= hits;
    l->repeats++;
}

/* One probe a line: the documents that held it before this one decide,
 * then this document counts (a line twice in it, or a retry, counts once). */
int bp_learn_apply(bp_learn *l, uint64_t source, uint64_t doc, bp_lines *ls)
{
    uint64_t hits0 = l->hits;
    l->tick++;
    for (size_t i = 0; i < ls->n; i++) {
        bp_line *ln = &ls->v[i];
        if (!ln->lhash)
            continue;
        uint64_t key = line_key(source, ln->lhash);
        entry *e = slot(l, key);
        if (e->key) {
            uint32_t c = e->count & ~DIRTY;
            uint32_t before = e->last_doc == doc ? (c ? c - 1 : 0) : c;
            if (before >= l->min_docs) {
                ln->learned = 1;
                l->hits++;
            }
        }
        int rc = count_line(l, e, key, doc);
        if (rc < 0)
            return rc;
    }
    forget_repeat(l, ls, l->hits - hits0);
    return 0;
}

static int db_error(bp_learn *l, int rc, const char *what)
{
    return l->h->error(l->st, SIFT_ESTATE, "learn state: %s: %s", what, mdb_strerror(rc));
}

static int load(bp_learn *l)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    MDB_val k, v;
    int rc = mdb_txn_begin(l->env, NULL, MDB_RDONLY, &txn);
    if (rc)
        return db_error(l, rc, "read");
    if ((rc = mdb_cursor_open(txn, l->dbi, &cur)) != 0) {
        mdb_txn_abort(txn);
        return db_error(l, rc, "cursor");
    }
    while (mdb_cursor_get(cur, &k, &v, MDB_NEXT) == 0) {
        uint64_t key;
        record r;
        if (k.mv_size != sizeof key || v.mv_size != sizeof r)
            continue;
        memcpy(&key, k.mv_data, sizeof key);
        memcpy(&r, v.mv_data, sizeof r);
        if (key == 0) {
            l->tick = r.tick;
        } else if (l->n < l->max) {
            *slot(l, key) = (entry){.key = key, .last_doc = r.last_doc, .count = r.count & ~DIRTY,
                                    .tick = r.tick};
            l->n++;
        }
    }
    mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    return 0;
}

static int open_db(bp_learn *l, const char *dir)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/learn.mdb", dir) >= sizeof path)
        return l->h->error(l->st, SIFT_ESTATE, "learn state: path too long: %s", dir);
    size_t map = l->max * 128 > ((size_t)64 << 20) ? l->max * 128 : ((size_t)64 << 20);
    MDB_txn *txn;
    int rc = mdb_env_create(&l->env);
    if (rc == 0)
        rc = mdb_env_set_mapsize(l->env, map);
    if (rc == 0)
        rc = mdb_env_open(l->env, path, MDB_NOSUBDIR, 0644);
    if (rc == 0 && (rc = mdb_txn_begin(l->env, NULL, 0, &txn)) == 0) {
        if ((rc = mdb_dbi_open(txn, NULL, 0, &l->dbi)) == 0)
            rc = mdb_txn_commit(txn);
        else
            mdb_txn_abort(txn);
    }
    if (rc)
        return db_error(l, rc, path);
    return load(l);
}

int bp_learn_new(bp_learn **out, const bp_learn_opts *o, sift_stage *st, const sift_host *h)
{
    bp_learn *l = calloc(1, sizeof *l);
    if (!l)
        return SIFT_ENOMEM;
    l->st = st;
    l->h = h;
    l->max = (size_t)o->max_lines;
    l->min_docs = (uint32_t)o->min_docs;
    size_t cap = 16;
    while (cap < 2 * l->max)
        cap *= 2;
    l->mask = cap - 1;
    int rc = (l->tab = calloc(cap, sizeof *l->tab)) ? 0 : SIFT_ENOMEM;
    if (rc == 0 && o->dir)
        rc = open_db(l, o->dir);
    if (rc < 0) {
        bp_learn_destroy(&l);
        return rc;
    }
    *out = l;
    return 0;
}

static int put(MDB_txn *txn, MDB_dbi dbi, uint64_t key, const record *r)
{
    MDB_val k = {sizeof key, &key}, v = {sizeof *r, (void *)r};
    return mdb_put(txn, dbi, &k, &v, 0);
}

static int write_changes(bp_learn *l, MDB_txn *txn)
{
    int rc = 0;
    for (size_t i = 0; i < l->n_evicted && rc == 0; i++) {
        MDB_val k = {sizeof l->evicted[i], &l->evicted[i]};
        rc = mdb_del(txn, l->dbi, &k, NULL);
        rc = rc == MDB_NOTFOUND ? 0 : rc;
    }
    for (size_t i = 0; i <= l->mask && rc == 0; i++) {
        entry *e = &l->tab[i];
        if (!e->key || !(e->count & DIRTY))
            continue;
        record r = {e->count & ~DIRTY, e->tick, e->last_doc};
        rc = put(txn, l->dbi, e->key, &r);
    }
    record meta = {0, l->tick, 0};
    return rc ? rc : put(txn, l->dbi, 0, &meta);
}

int bp_learn_flush(bp_learn *l)
{
    if (!l || !l->env || !l->dirty)
        return 0;
    MDB_txn *txn;
    int rc = mdb_txn_begin(l->env, NULL, 0, &txn);
    if (rc == 0 && (rc = write_changes(l, txn)) != 0)
        mdb_txn_abort(txn);
    else if (rc == 0)
        rc = mdb_txn_commit(txn);
    if (rc)
        return db_error(l, rc, "write");
    for (size_t i = 0; i <= l->mask; i++)
        l->tab[i].count &= ~DIRTY;
    l->n_evicted = 0;
    l->dirty = 0;
    return 0;
}

void bp_learn_destroy(bp_learn **pp)
{
    bp_learn *l = pp ? *pp : NULL;
    if (!l)
        return;
    if (l->env) {
        (void)bp_learn_flush(l);
        mdb_env_close(l->env);
    }
    free(l->tab);
    free(l->evicted);
    free(l);
    *pp = NULL;
}

void bp_learn_stats(const bp_learn *l, const sift_host *h, sift_value *map)
{
    sift_value *v;
    if (h->map_put(map, "learn_lines", &v) == 0)
        h->val_set_int(v, (int64_t)l->n);
    if (h->map_put(map, "learn_hits", &v) == 0)
        h->val_set_int(v, (int64_t)l->hits);
    if (h->map_put(map, "learn_evictions", &v) == 0)
        h->val_set_int(v, (int64_t)l->evictions);
    if (h->map_put(map, "learn_repeats", &v) == 0)
        h->val_set_int(v, (int64_t)l->repeats);
}
