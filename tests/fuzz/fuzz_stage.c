/* fuzz_stage.c - libFuzzer target: one real stage plugin (clean, boilerplate, extract).
 *
 * Built once per stage with SIFT_FUZZ_STAGE naming it (fuzz_stage_clean,
 * ...). LLVMFuzzerInitialize loads the plugin .so from the build tree
 * (SIFT_PLUGIN_DIR) through the real loader, host table and stage runner
 * (lib/stage.c), as tests/support/harness.c does but without cmocka. Its
 * options are the defaults, or the libconfig text in $SIFT_FUZZ_OPTIONS
 * (e.g. 'normalize = "nfkc"; fold_typography = true;') to reach the paths
 * other settings take. Each input is cut at form feeds into up to
 * MAX_DOCS_PER_INPUT documents with one source of their own, run in order,
 * so the boilerplate stage's per-source learning runs too while an input
 * still replays alone. What must hold, beyond "no crash, no sanitizer
 * report":
 *  1. process returns OK, DROP, RETRY or a negative code, and the status
 *     agrees (lib/stage.c normalises it; this checks the whole path);
 *  2. what the plugin left in the document survives the msgpack form
 *     exactly, and the JSON form encodes;
 *  3. the clean stage leaves valid UTF-8 without NUL bytes.
 * A broken property aborts, so libFuzzer keeps the input.
 * SPDX-License-Identifier: MIT
 */
#include <libconfig.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "fuzz_doc.h"
#include "json.h"
#include "log.h"
#include "stage.h"

#ifndef SIFT_FUZZ_STAGE
#error "define SIFT_FUZZ_STAGE as the stage to fuzz (\"clean\", \"boilerplate\", \"extract\")"
#endif

#define MAX_DOCS_PER_INPUT (6)
#define MAX_TEXT_BYTES (4194304) /* conf/siftd.conf's limits.max_doc_bytes */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sift_stage *stage;
static unsigned long long n_inputs;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    sift_err err = {{0}};
    sift_stage_opts o = {.plugin = SIFT_FUZZ_STAGE, .search_path = SIFT_PLUGIN_DIR,
                         .where = "fuzz", .max_text_bytes = MAX_TEXT_BYTES};
    const char *opts = getenv("SIFT_FUZZ_OPTIONS");
    char text[4096];
    config_t cfg;
    config_init(&cfg);
    if (opts && opts[0]) {
        snprintf(text, sizeof text, "options = { %s };", opts);
        if (config_read_string(&cfg, text) != CONFIG_TRUE)
            fuzz_fail("SIFT_FUZZ_OPTIONS: line %d: %s", config_error_line(&cfg),
                      config_error_text(&cfg));
        o.options = config_lookup(&cfg, "options");
    }
    sift_log_set_level(SIFT_LOG_ERROR); /* plugins' warnings about hostile text are expected */
    if (sift_stage_new(&stage, &o, &err) < 0)
        fuzz_fail("cannot load stage %s from %s: %s", SIFT_FUZZ_STAGE, SIFT_PLUGIN_DIR, err.msg);
    config_destroy(&cfg); /* the stage keeps its own copy of the options */
    return 0;
}

/* Properties 2 and 3 on a processed document. */
static void check_doc(const sift_doc *d, int rc)
{
    char *buf = NULL, *line = NULL;
    size_t len = 0, line_len = 0;
    sift_doc *back = NULL;
    sift_err err = {{0}};
    if (sift_codec_encode(d, &buf, &len) < 0)
        fuzz_fail("the processed document does not encode");
    if (sift_codec_decode(buf, len, NULL, &back, &err) < 0)
        fuzz_fail("the processed document does not decode: %s", err.msg);
    fuzz_doc_expect_equal(d, back, 0);
    if (sift_json_encode(d, &line, &line_len) < 0)
        fuzz_fail("the processed document has no JSON form");
    if (strcmp(SIFT_FUZZ_STAGE, "clean") == 0 && rc == SIFT_OK &&
        !sift_utf8_valid(d->text, d->text_len))
        fuzz_fail("clean left text that is not UTF-8 (or holds NUL)");
    sift_doc_destroy(&back);
    free(buf);
    free(line);
}

/* Property 1, then 2 and 3, for one document. */
static void run_doc(const char *source, int i, const uint8_t *text, size_t len)
{
    char id[32];
    sift_doc *d = NULL;
    sift_err err = {{0}};
    int n = snprintf(id, sizeof id, "fuzz-%d", i);
    if (sift_doc_new(&d, id, (size_t)n, source, strlen(source), (const char *)text, len, &err) < 0)
        fuzz_fail("cannot make a document: %s", err.msg);
    int rc = sift_stage_process(stage, d);
    int is_ok = rc == SIFT_OK && d->state == SIFT_DOC_OK;
    int is_drop = rc == SIFT_DROP && d->state == SIFT_DOC_DROPPED;
    int is_fail = rc < 0 && (d->state == SIFT_DOC_FAILED || rc == SIFT_EAGAIN);
    if (!is_ok && !is_drop && !is_fail)
        fuzz_fail("process returned %d with state %d", rc, (int)d->state);
    check_doc(d, rc);
    sift_doc_destroy(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char source[48];
    snprintf(source, sizeof source, "fuzz-%llu", ++n_inputs);
    size_t start = 0;
    for (int i = 0; i < MAX_DOCS_PER_INPUT && start <= size; i++) {
        const uint8_t *ff = i + 1 < MAX_DOCS_PER_INPUT && size > start
                                ? memchr(data + start, '\f', size - start)
                                : NULL;
        size_t end = ff ? (size_t)(ff - data) : size;
        run_doc(source, i, data + start, end - start);
        start = end + 1;
    }
    return 0;
}
