/* noop.c - test plugin that does nothing to a document and keeps it.
 *
 * The benchmark's stage (bench/daemon_bench.sh): with it, a pipeline's cost
 * is siftd's own (decoding, routing, encoding, sinks), not a plugin's.
 * SPDX-License-Identifier: MIT */
#include <sift/plugin.h>

static int noop_process(void *state, sift_doc *doc)
{
    (void)state;
    (void)doc;
    return SIFT_OK;
}

static const sift_plugin desc = {
    SIFT_PLUGIN_HEADER, .name = "noop", .version = "1.0.0",
    .description = "test plugin: keeps every document unchanged", .process = noop_process,
};
SIFT_EXPORT const sift_plugin *sift_plugin_entry(void) { return &desc; }
