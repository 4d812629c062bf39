/* init_fails.c - test plugin whose init fails with a message. The host must
 * report "init failed" with the plugin's text, and never call fini.
 * SPDX-License-Identifier: MIT */
#include <sift/plugin.h>

static int init(sift_stage *st, const sift_host *host, void **state)
{
    (void)state;
    return host->error(st, SIFT_ESTATE, "model file %s is missing", "/nonexistent/model.bin");
}

static int process(void *state, sift_doc *doc) { (void)state; (void)doc; return SIFT_OK; }

static const sift_plugin desc = {SIFT_PLUGIN_HEADER, .name = "init_fails", .version = "1.0.0",
                                 .init = init, .process = process};
SIFT_EXPORT const sift_plugin *sift_plugin_entry(void) { return &desc; }
