/* fuzz_doc.h - what the fuzz targets share: comparing documents, failing loudly.
 *
 * The round-trip checks of fuzz_codec.c and fuzz_json_input.c compare a
 * decoded document with its re-decoded copy field by field; a mismatch is a
 * bug the fuzzer must keep, so it prints what differed and aborts (libFuzzer
 * then saves the input as a crash artifact). Not used outside tests/fuzz.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_FUZZ_DOC_H
#define SIFT_FUZZ_DOC_H

#include "doc.h"

/* Print "fuzz: " and the formatted message on stderr, then abort(). */
_Noreturn void fuzz_fail(const char *fmt, ...) SIFT_PRINTF(1, 2);

/* Abort naming the first difference unless a and b are equal documents.
 * Doubles must match bit for bit when rel_tol is 0, else within rel_tol
 * (the JSON form keeps 15 significant digits). a, b: borrowed for the call. */
void fuzz_doc_expect_equal(const sift_doc *a, const sift_doc *b, double rel_tol);

#endif
