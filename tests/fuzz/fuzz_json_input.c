/* fuzz_json_input.c - libFuzzer target: JSON document lines (lib/json.c).
 *
 * Each input is one line as `sift run` reads it (sift_json_decode_input)
 * and as a full output line (sift_json_decode, used by tools and tests).
 * What must hold, beyond "no crash, no sanitizer report":
 *  1. an input line's document survives the msgpack form exactly (it is
 *     what `sift push` and the broker carry);
 *  2. a decoded document's JSON line reads back as an equal document
 *     (doubles within the 15 significant digits the JSON form keeps).
 * A broken property aborts, so libFuzzer keeps the input.
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>

#include "codec.h"
#include "fuzz_doc.h"
#include "json.h"

#define JSON_REL_TOL (1e-14) /* 15 significant digits, with room for rounding */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Property 1. d: borrowed for the call. */
static void check_msgpack(const sift_doc *d)
{
    char *buf = NULL;
    size_t len = 0;
    sift_doc *back = NULL;
    sift_err err = {{0}};
    int rc = sift_codec_encode(d, &buf, &len);
    if (rc < 0)
        fuzz_fail("msgpack encode of a JSON input document failed: %s", sift_err_name(rc));
    if (sift_codec_decode(buf, len, NULL, &back, &err) < 0)
        fuzz_fail("msgpack form of a JSON input document does not decode: %s", err.msg);
    fuzz_doc_expect_equal(d, back, 0);
    sift_doc_destroy(&back);
    free(buf);
}

/* Property 2. d: borrowed for the call. */
static void check_json(const sift_doc *d)
{
    char *line = NULL;
    size_t len = 0;
    sift_doc *back = NULL;
    sift_err err = {{0}};
    int rc = sift_json_encode(d, &line, &len);
    if (rc < 0)
        fuzz_fail("JSON encode of a decoded document failed: %s", sift_err_name(rc));
    if (sift_json_decode(line, len, &back, &err) < 0)
        fuzz_fail("our own JSON line does not read back: %s", err.msg);
    fuzz_doc_expect_equal(d, back, JSON_REL_TOL);
    sift_doc_destroy(&back);
    free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *line = (const char *)data;
    sift_doc *in = NULL, *full = NULL;
    sift_err err = {{0}};
    if (sift_json_decode_input(line, size, &in, &err) == 0) {
        check_msgpack(in);
        check_json(in);
    }
    if (sift_json_decode(line, size, &full, &err) == 0) {
        check_msgpack(full);
        check_json(full);
    }
    sift_doc_destroy(&in);
    sift_doc_destroy(&full);
    return 0;
}
