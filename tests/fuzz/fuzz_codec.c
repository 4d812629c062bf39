/* fuzz_codec.c - libFuzzer target: the msgpack document decoder (lib/codec.c).
 *
 * Every input is decoded as a full document (no limits), as a producer's
 * document with the limits daemon/ingest.c sets from the default
 * max_doc_bytes, and as a producer's document with tight limits derived
 * from the input (so the over-limit paths run too). What must hold, beyond
 * "no crash, no sanitizer report":
 *  1. tight limits only refuse more: what passes them passes the loose
 *     decode too, as an equal document;
 *  2. a decoded document re-encodes, decodes (full form) to an equal
 *     document, and encodes again to the same bytes;
 *  3. its JSON line (lib/json.c) reads back with sift_json_decode.
 * A broken property aborts, so libFuzzer keeps the input.
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "fuzz_doc.h"
#include "json.h"

#define INGEST_MAX_DOC_BYTES (4194304) /* conf/siftd.conf's limits.max_doc_bytes */
#define INGEST_ENVELOPE_SLACK (65536)  /* daemon/ingest.c's ENVELOPE_SLACK */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Property 3: the JSON line of d reads back, with the same id. */
static void check_json(const sift_doc *d)
{
    char *line = NULL;
    size_t len = 0;
    sift_doc *back = NULL;
    sift_err err = {{0}};
    if (sift_json_encode(d, &line, &len) < 0)
        fuzz_fail("sift_json_encode failed on a decoded document");
    if (sift_json_decode(line, len, &back, &err) < 0)
        fuzz_fail("our own JSON line does not read back: %s", err.msg);
    if (back->id_len != d->id_len || memcmp(back->id, d->id, d->id_len) != 0)
        fuzz_fail("JSON round trip changed the id");
    sift_doc_destroy(&back);
    free(line);
}

/* Property 2, then 3. d: a decoded document (a producer's may lack an id). */
static void check_round_trip(sift_doc *d)
{
    char *buf1 = NULL, *buf2 = NULL;
    size_t len1 = 0, len2 = 0;
    sift_doc *d2 = NULL;
    sift_err err = {{0}};
    if (d->id_len == 0 && sift_doc_set_id(d, "fuzz-1", 6, &err) < 0)
        fuzz_fail("cannot assign an id: %s", err.msg);
    int rc = sift_codec_encode(d, &buf1, &len1);
    if (rc < 0)
        fuzz_fail("encode of a decoded document failed: %s", sift_err_name(rc));
    if (sift_codec_decode(buf1, len1, NULL, &d2, &err) < 0)
        fuzz_fail("re-encoded document does not decode: %s", err.msg);
    fuzz_doc_expect_equal(d, d2, 0);
    if (sift_codec_encode(d2, &buf2, &len2) < 0)
        fuzz_fail("second encode failed");
    if (len1 != len2 || memcmp(buf1, buf2, len1) != 0)
        fuzz_fail("encoding is not stable: %zu bytes, then %zu", len1, len2);
    check_json(d2);
    sift_doc_destroy(&d2);
    free(buf1);
    free(buf2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    sift_doc *full = NULL, *prod = NULL, *tight = NULL;
    sift_err err = {{0}};
    const sift_codec_limits ingest = {.max_bytes = INGEST_MAX_DOC_BYTES + INGEST_ENVELOPE_SLACK,
                                      .max_text = INGEST_MAX_DOC_BYTES};
    const sift_codec_limits small = {.max_bytes = size - size / 8, .max_text = size / 4 + 1,
                                     .max_depth = 1 + (int)(size % 8)};

    if (sift_codec_decode(buf, size, NULL, &full, &err) == 0)
        check_round_trip(full);
    if (sift_codec_decode_producer(buf, size, &ingest, &prod, &err) == 0)
        check_round_trip(prod);
    if (sift_codec_decode_producer(buf, size, &small, &tight, &err) == 0) {
        if (!prod)
            fuzz_fail("tight limits accepted what the ingest limits refused");
        if (tight->id_len == 0)
            sift_doc_set_id(tight, "fuzz-1", 6, NULL);
        fuzz_doc_expect_equal(prod, tight, 0);
    }
    sift_doc_destroy(&full);
    sift_doc_destroy(&prod);
    sift_doc_destroy(&tight);
    return 0;
}
