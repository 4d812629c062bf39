/* inflight.c - a hash set of document ids for the broker (see inflight.h).
 *
 * Open addressing with linear probing, keyed by XXH3 of the id and checked
 * against the id itself; deletion shifts the following run back so no
 * tombstones build up over months. Invariants: n <= cap / 2 (so probes stay
 * short and a free slot always exists); cap is a power of two; a slot is
 * free iff its entry is NULL.
 * SPDX-License-Identifier: MIT
 */
#include "inflight.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "err.h"

#define FIRST_CAP (1024)

typedef struct slot {
    uint64_t hash;
    const char *id; /* borrowed from entry */
    size_t len;
    void *entry;
} slot;

struct sift_inflight {
    slot *v;
    size_t cap, n;
};

int sift_inflight_new(sift_inflight **out)
{
    sift_inflight *s = calloc(1, sizeof *s);
    if (!s || !(s->v = calloc(FIRST_CAP, sizeof *s->v))) {
        free(s);
        return SIFT_ENOMEM;
    }
    s->cap = FIRST_CAP;
    *out = s;
    return 0;
}

void sift_inflight_destroy(sift_inflight **s)
{
    if (!s || !*s)
        return;
    free((*s)->v);
    free(*s);
    *s = NULL;
}

static size_t home(const sift_inflight *s, uint64_t hash) { return (size_t)hash & (s->cap - 1); }

/* The slot holding id, or the free slot where it would go. */
static size_t probe(const sift_inflight *s, uint64_t hash, const char *id, size_t len)
{
    size_t i = home(s, hash);
    while (s->v[i].entry &&
           !(s->v[i].hash == hash && s->v[i].len == len && memcmp(s->v[i].id, id, len) == 0))
        i = (i + 1) & (s->cap - 1);
    return i;
}

static int grow(sift_inflight *s)
{
    slot *old = s->v;
    size_t old_cap = s->cap;
    slot *v = calloc(old_cap * 2, sizeof *v);
    if (!v)
        return SIFT_ENOMEM;
    s->v = v;
    s->cap = old_cap * 2;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].entry)
            s->v[probe(s, old[i].hash, old[i].id, old[i].len)] = old[i];
    free(old);
    return 0;
}

void *sift_inflight_find(const sift_inflight *s, const char *id, size_t len)
{
    return s->v[probe(s, XXH3_64bits(id, len), id, len)].entry;
}

int sift_inflight_add(sift_inflight *s, const char *id, size_t len, void *entry)
{
    if ((s->n + 1) * 2 > s->cap && grow(s) < 0)
        return SIFT_ENOMEM;
    uint64_t hash = XXH3_64bits(id, len);
    size_t i = probe(s, hash, id, len);
    if (s->v[i].entry)
        return 1;
    s->v[i] = (slot){.hash = hash, .id = id, .len = len, .entry = entry};
    s->n++;
    return 0;
}

void sift_inflight_del(sift_inflight *s, const char *id, size_t len, const void *entry)
{
    size_t i = probe(s, XXH3_64bits(id, len), id, len), mask = s->cap - 1;
    if (s->v[i].entry != entry || !entry)
        return;
    s->n--;
    /* backward shift: move later members of the run into the hole when
     * their home is not between the hole and them */
    for (size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
        if (!s->v[j].entry)
            break;
        size_t h = home(s, s->v[j].hash);
        if (((j - h) & mask) >= ((j - i) & mask)) {
            s->v[i] = s->v[j];
            i = j;
        }
    }
    s->v[i] = (slot){0};
}

size_t sift_inflight_count(const sift_inflight *s) { return s->n; }
