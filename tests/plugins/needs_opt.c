/* needs_opt.c - test plugin with a required option (no default).
 * SPDX-License-Identifier: MIT */
#include <sift/plugin.h>

static const sift_option options[] = {
    {.name = "model", .type = SIFT_OPT_STRING, .def = NULL, .help = "path to a model (required)"},
    {0},
};

static int process(void *state, sift_doc *doc) { (void)state; (void)doc; return SIFT_OK; }

static const sift_plugin desc = {SIFT_PLUGIN_HEADER, .name = "needs_opt", .version = "1.0.0",
                                 .options = options, .process = process};
SIFT_EXPORT const sift_plugin *sift_plugin_entry(void) { return &desc; }
