/* heap.c - glibc malloc settings for processes that handle documents.
 *
 * siftd's broker and workers allocate and free a 64 KB batch, and
 * documents of up to max_doc_bytes, many times a second, often freed by
 * ZeroMQ's I/O thread; sift run's stages allocate and free scratch of a few
 * hundred KB per document (libexttextcat's fingerprint tables take ~170 KB a
 * call). With glibc's defaults, buffers over 128 KB are mmap'd and unmapped
 * each time and the heap top is trimmed past 128 KB free, so the same pages
 * are faulted in and zeroed again and again: in the isolated-stages bench
 * that was over half of a no-op worker's CPU, and about 5% of the extract
 * stage in sift run. What stays cached is bounded by the trim threshold, so
 * memory stays flat. glibc-specific (mallopt); elsewhere this is a no-op.
 * SPDX-License-Identifier: MIT
 */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "heap.h"

void sift_heap_tune(void)
{
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 4 << 20); /* the default limits.max_doc_bytes */
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
#endif
}
