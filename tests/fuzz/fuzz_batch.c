/* fuzz_batch.c - libFuzzer target: the JOB and DONE batch reader (lib/batch.c).
 *
 * A worker reads a JOB batch and the broker a DONE batch straight off a
 * socket, so each input is read as both kinds. What must hold, beyond "no
 * crash, no sanitizer report":
 *  1. every entry read points inside the input (documents are read in place);
 *  2. entries read back unchanged after sift_batch_* writes them again.
 * A broken property aborts, so libFuzzer keeps the input.
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <string.h>
#include <zmq.h>

#include "batch.h"
#include "fuzz_doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sift_batch_entry got[SIFT_BATCH_MAX], again[SIFT_BATCH_MAX];

static void expect_inside(const sift_batch_entry *e, const uint8_t *data, size_t size)
{
    const char *lo = (const char *)data, *hi = lo + size;
    if (e->doc_len && (e->doc < lo || e->doc + e->doc_len > hi))
        fuzz_fail("a document points outside the input");
    if (e->info_len && (e->info < lo || e->info + e->info_len > hi))
        fuzz_fail("an info points outside the input");
}

static void expect_same(const sift_batch_entry *a, const sift_batch_entry *b)
{
    if (a->id != b->id || a->num != b->num || a->doc_len != b->doc_len ||
        a->info_len != b->info_len || (a->doc_len && memcmp(a->doc, b->doc, a->doc_len) != 0) ||
        (a->info_len && memcmp(a->info, b->info, a->info_len) != 0))
        fuzz_fail("an entry changed when written and read again");
}

static void rewrite(int kind, int n)
{
    sift_batch *b = NULL;
    zmq_msg_t msg;
    sift_err err = {{0}};
    if (sift_batch_new(&b) < 0 || sift_batch_begin(b, kind, (size_t)n, 0) < 0)
        fuzz_fail("out of memory");
    for (int i = 0; i < n; i++)
        if (sift_batch_put(b, &got[i]) < 0)
            fuzz_fail("out of memory");
    if (sift_batch_finish(b, &msg) < 0)
        fuzz_fail("out of memory");
    sift_batch_destroy(&b);
    int back = sift_batch_read(zmq_msg_data(&msg), zmq_msg_size(&msg), kind, again,
                               SIFT_BATCH_MAX, &err);
    if (back != n)
        fuzz_fail("a written batch does not read back: %s", err.msg);
    for (int i = 0; i < n; i++)
        expect_same(&got[i], &again[i]);
    zmq_msg_close(&msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int kinds[] = {SIFT_BATCH_JOB, SIFT_BATCH_DONE};
    for (size_t k = 0; k < 2; k++) {
        sift_err err = {{0}};
        int n = sift_batch_read(data, size, kinds[k], got, SIFT_BATCH_MAX, &err);
        if (n < 0 && !err.msg[0])
            fuzz_fail("refused without a reason");
        for (int i = 0; i < n; i++)
            expect_inside(&got[i], data, size);
        if (n >= 0)
            rewrite(kinds[k], n);
    }
    return 0;
}
