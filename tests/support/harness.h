/* harness.h - drive a real stage plugin (.so) from a cmocka test.
 *
 * Loads the plugin through the real loader (lib/plugin_loader.c) and the
 * real host table (lib/host.c), so a plugin unit test exercises exactly
 * what siftd's workers and `sift run` do: no fake host, no sockets.
 * Failures inside the harness fail the calling test (cmocka's fail_msg).
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_HARNESS_H
#define SIFT_HARNESS_H

#include <stddef.h>

#include "doc.h"
#include "stage.h"

/* Load the plugin named name from the build tree (build/lib/sift/plugins,
 * then build/tests/plugins) with options given as libconfig text for the
 * stage's options group, e.g. "min_words = 50; langs = [\"en\"];" (NULL or
 * "" = defaults). Caller owns the result; free with sift_stage_destroy(). */
sift_stage *harness_stage(const char *name, const char *options_conf);

/* Like harness_stage but returns the error code and fills err instead of
 * failing the test (for tests of refusals). */
int harness_stage_try(sift_stage **out, const char *name, const char *options_conf,
                      sift_err *err);

/* Like harness_stage, with persistent plugin state under state_dir (the
 * stage gets state_dir/<name>/). Destroy and create again with the same
 * state_dir to test that state survives a restart. */
sift_stage *harness_stage_state(const char *name, const char *options_conf, const char *state_dir);

/* A new document with id "t" and the given text (copied). Caller owns;
 * free with sift_doc_destroy(). */
sift_doc *harness_doc(const char *text);

/* Run text through st; returns the plugin's rc and leaves the processed
 * document in *out (caller owns). */
int harness_run(sift_stage *st, const char *text, sift_doc **out);

/* The document's text as a NUL-terminated string (borrowed from d). */
const char *harness_text(const sift_doc *d);

/* Field lookups by dotted path ("clean.invalid_utf8"); fail the test when
 * the field is absent or of another type. */
long long harness_field_int(const sift_doc *d, const char *path);
const char *harness_field_str(const sift_doc *d, const char *path);
/* NULL when absent (no failure). */
const sift_value *harness_field(const sift_doc *d, const char *path);

#endif
