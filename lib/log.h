/* log.h - the one logger: logfmt lines on stderr.
 *
 * Every line is `ts=... level=... comp=... msg="..."` followed by context
 * keys. Callers pass the context as a printf format of `key=%conv` pairs:
 *
 *     sift_log(SIFT_LOG_WARN, "loader", "plugin refused",
 *              "file=%s reason=%s", path, err.msg);
 *
 * log.c quotes and escapes every %s value as logfmt needs (spaces, '=',
 * quotes, newlines), truncates long values, and rate-limits a message
 * repeated within a second (the next line carries suppressed=N).
 * Nothing else in sift writes to stderr for logging.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_LOG_H
#define SIFT_LOG_H

#include <stdarg.h>
#include <sift/plugin.h>

/* Lines below this level are skipped. Default SIFT_LOG_INFO. */
void sift_log_set_level(int level);
int sift_log_level(void);

/* msg: a constant lower-case phrase. kvfmt: "key=%s key2=%d ..." or NULL.
 * Supported conversions: %s %d %i %u %ld %lu %lld %llu %zu %zd %f %g %.Nf %x %c %%. */
void sift_log(int level, const char *comp, const char *msg, const char *kvfmt, ...)
    SIFT_PRINTF(4, 5);
void sift_logv(int level, const char *comp, const char *msg, const char *kvfmt, va_list ap);

/* Append `key=value` to buf (cap bytes), quoting value as logfmt needs.
 * Returns the new length. Used by callers that build context by hand. */
size_t sift_log_append_kv(char *buf, size_t len, size_t cap, const char *key, const char *value);

/* Appended. msg is always written quoted (msg="plugin loaded"); comp and %s
 * values only when they need it. A value longer than 256 bytes is cut on a
 * character boundary and ends in "..."; bytes that are not UTF-8 are
 * written \xNN and control characters \n, \t, \uNNNN. The rate limit
 * allows 20 lines of one (comp, msg) per second.
 *
 * For tests: replace the monotonic millisecond clock of the rate limiter
 * (NULL restores it) and forget all rate-limit state. now_ms: static. */
void sift_log_set_clock(uint64_t (*now_ms)(void));

#endif
