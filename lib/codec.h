/* codec.h - a document to and from its msgpack form (the wire and spool format).
 *
 * The msgpack form is a map with the keys of docs/output.md: "id", "source",
 * "text", "fields", "scores", "status", "trace" (and "attempt"). The decoder
 * is the boundary where untrusted bytes enter sift: it checks structure and
 * sizes before msgpack-c allocates anything (a length prefix claiming
 * gigabytes with a few bytes behind it, nesting or map-size bombs), then
 * checks every key's type, and never reads out of bounds. Each rejection
 * names what was wrong and where ("key \"text\": expected str or bin, got
 * int").
 *
 * Decoding a *producer* document accepts the subset a producer may send:
 * "id" (optional: the broker assigns one), "source", "text" (required) and
 * "fields" (optional map). Decoding a *full* document (between broker and
 * workers, from the spool) accepts every key.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_CODEC_H
#define SIFT_CODEC_H

#include <stddef.h>

#include "doc.h"
#include "err.h"

typedef struct sift_codec_limits {
    size_t max_bytes;     /* whole message; 0 = no limit */
    size_t max_text;      /* text bytes; 0 = no limit */
    int max_depth;        /* nesting of containers; 0 = SIFT_VALUE_MAX_DEPTH */
} sift_codec_limits;

/* Encode d as a msgpack map into a malloc'd buffer.
 * Caller owns *out; free() it. Returns 0 or SIFT_ENOMEM. */
int sift_codec_encode(const sift_doc *d, char **out, size_t *out_len);

/* Decode buf[0..len) as a full document. Caller owns *out; free with
 * sift_doc_destroy(). On failure *out stays NULL and err says why:
 * SIFT_EINVAL (malformed / wrong type), SIFT_ERANGE (over a limit),
 * SIFT_EUTF8 (a key or id that is not UTF-8). buf: borrowed for the call. */
int sift_codec_decode(const char *buf, size_t len, const sift_codec_limits *lim,
                      sift_doc **out, sift_err *err);

/* Decode a producer's document (see above). A missing id leaves (*out)->id
 * empty-string with id_len 0 for the caller to assign. */
int sift_codec_decode_producer(const char *buf, size_t len, const sift_codec_limits *lim,
                               sift_doc **out, sift_err *err);

/* The decoder's first pass on its own, for other msgpack that crosses a
 * socket (batch.c): 0 when buf[0..len) is exactly one msgpack object whose
 * every length and count fits in the bytes behind it, nested at most
 * max_depth containers deep (1..32; out of range means 32); else
 * SIFT_EINVAL or SIFT_ERANGE with err saying what and at which byte. After
 * it passes, msgpack_unpack allocates at most a small multiple of len. */
int sift_codec_check(const char *buf, size_t len, int max_depth, sift_err *err);

#endif
