/* err.h - error codes, their names and texts, and the sift_err message buffer.
 *
 * Codes are the SDK's SIFT_ERRNO_MAP (<= -1000) plus -errno from syscalls and
 * libraries inside lib/ and daemon/; both helpers below handle either range.
 * A sift_err carries the human text of a failure a person must act on
 * ("conf/siftd.conf:41: stage clean: option max_bytes: must be between 1 and
 * 67108864 (got 0)"); it is caller storage, never allocated.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_ERR_H
#define SIFT_ERR_H

#include <sift/plugin.h>

#define SIFT_ERR_MAX 512

typedef struct sift_err {
    char msg[SIFT_ERR_MAX]; /* public: NUL-terminated, "" when no error */
} sift_err;

/* "EINVAL" for a SIFT_ code, "ENOENT" etc. for -errno, "E?" otherwise. Static. */
const char *sift_err_name(int rc);
/* Text of a SIFT_ code or -errno. Static. */
const char *sift_strerror(int rc);

/* Format into err (may be NULL: then nothing happens) and return rc, so
 * `return sift_err_set(err, SIFT_EINVAL, "...")` reads as one step. */
int sift_err_set(sift_err *err, int rc, const char *fmt, ...) SIFT_PRINTF(3, 4);
/* Prefix err's text with "prefix: " (for adding file:line or a name). */
void sift_err_prefix(sift_err *err, const char *fmt, ...) SIFT_PRINTF(2, 3);

/* A collector for validation problems, so a check can report every problem
 * rather than the first (`sift check`). Caller storage; zero-initialise. */
typedef struct sift_diag {
    void (*report)(void *ctx, const char *msg); /* borrowed; NULL = keep the first only */
    void *ctx;                                  /* borrowed: passed to report */
    int n;                                      /* problems reported so far */
    sift_err first;                             /* the first problem's text */
} sift_diag;

/* Record one problem (diag.c). diag may be NULL. */
void sift_diag_add(sift_diag *d, const char *fmt, ...) SIFT_PRINTF(2, 3);

#endif
