/* grow.h - make room in a malloc'd array, doubling, for lib/, daemon/ and cli/.
 *
 * One function for the growing buffers (JSON lines, sink batches, the
 * metrics page), so their growth and its overflow handling are written once.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_GROW_H
#define SIFT_GROW_H

#include <stddef.h>
#include <stdlib.h>

#include <sift/plugin.h>

/* Make *p (an array of *cap items of elem bytes; NULL with *cap 0 at first)
 * hold at least need items: the capacity doubles from first (or from
 * *cap). *p stays as it was on failure. Returns 0 or SIFT_ENOMEM. */
static inline int sift_grow(void **p, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : first;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return SIFT_ENOMEM;
    *p = q;
    *cap = c;
    return 0;
}

#endif
