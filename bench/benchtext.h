/* benchtext.h - English-looking text for sift-bench's documents.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_BENCHTEXT_H
#define SIFT_BENCHTEXT_H

#include <stddef.h>
#include <stdint.h>

/* Fill buf (size bytes, at least 64) with paragraphs for document n of a
 * run seeded seed: ASCII, no NUL, no trailing space; between size - 40 and
 * size bytes. Never fails. Returns the length. buf: borrowed for the call. */
size_t sift_benchtext_fill(char *buf, size_t size, uint64_t seed, uint64_t n);

#endif
