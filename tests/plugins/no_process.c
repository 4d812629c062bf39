/* no_process.c - test plugin whose descriptor lacks the required process.
 * SPDX-License-Identifier: MIT */
#include <sift/plugin.h>

static const sift_plugin desc = {SIFT_PLUGIN_HEADER, .name = "no_process", .version = "1.0.0"};
SIFT_EXPORT const sift_plugin *sift_plugin_entry(void) { return &desc; }
