/* bad_name.c - test plugin with a name outside [a-z][a-z0-9_]{0,31}. Refused.
 * SPDX-License-Identifier: MIT */
#include <sift/plugin.h>

static int process(void *state, sift_doc *doc) { (void)state; (void)doc; return SIFT_OK; }

static const sift_plugin desc = {SIFT_PLUGIN_HEADER, .name = "Bad Name!", .version = "1.0.0",
                                 .process = process};
SIFT_EXPORT const sift_plugin *sift_plugin_entry(void) { return &desc; }
