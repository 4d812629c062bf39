/* heap.h - malloc settings for processes that handle documents (heap.c).
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_HEAP_H
#define SIFT_HEAP_H

/* Keep freed memory of up to 16 MB in the heap instead of returning it to
 * the kernel after every document. Call once, first thing in main. */
void sift_heap_tune(void);

#endif
