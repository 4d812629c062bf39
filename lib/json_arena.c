/* json_arena.c - a bump allocator for jansson in single-threaded processes.
 *
 * Encoding one document builds a jansson tree of several hundred small
 * nodes (every entity, keyword and quote is an object with string members)
 * and frees it right after the dump; reading one input line does the same
 * on a smaller scale. Through malloc those nodes cost about 4% of a whole
 * `sift run` (callgrind). Here they are carved from one block, free() only
 * counts, and the block is reused once every node handed out has been freed,
 * which in sift happens after each document. Nothing is reused while any
 * node is still alive, so a tree kept longer is only memory held, never
 * memory handed out twice.
 *
 * The counters are plain globals: the allocator is for processes where one
 * thread uses jansson (sift run, a siftd worker), which is why it is opt-in.
 * SPDX-License-Identifier: MIT
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "json.h"

/* The first block; later ones double, so a document of any size needs few. */
#define FIRST_BLOCK (256u << 10)
/* A block bigger than this is not kept after a document that needed it. */
#define KEEP_MAX (16u << 20)

typedef struct block {
    struct block *prev;
    size_t cap, used;
    max_align_t data[]; /* cap bytes */
} block;

static block *top;   /* blocks in use, newest first */
static size_t live;  /* allocations not yet freed */

static size_t align_up(size_t n)
{
    size_t a = sizeof(max_align_t);
    return (n + a - 1) / a * a;
}

static block *block_new(size_t at_least, block *prev)
{
    size_t cap = prev ? prev->cap * 2 : FIRST_BLOCK;
    while (cap < at_least)
        cap *= 2;
    block *b = malloc(offsetof(block, data) + cap);
    if (b)
        *b = (block){.prev = prev, .cap = cap};
    return b;
}

/* Every allocation is back: keep the newest (largest) block, if it is not
 * outsized, and start it over. */
static void arena_reset(void)
{
    while (top && top->prev) {
        block *older = top->prev;
        top->prev = older->prev;
        free(older);
    }
    if (top && top->cap > KEEP_MAX) {
        free(top);
        top = NULL;
    }
    if (top)
        top->used = 0;
}

static void *arena_malloc(size_t n)
{
    if (n > SIZE_MAX / 4)
        return NULL;
    n = align_up(n ? n : 1);
    if (!top || top->cap - top->used < n) {
        block *b = block_new(n, top);
        if (!b)
            return NULL;
        top = b;
    }
    void *p = (char *)top->data + top->used;
    top->used += n;
    live++;
    return p;
}

static void arena_free(void *p)
{
    if (p && --live == 0)
        arena_reset();
}

void sift_json_arena_use(void)
{
    json_set_alloc_funcs(arena_malloc, arena_free);
}
