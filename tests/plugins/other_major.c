/* other_major.c - test plugin built for another ABI major. Refused.
 * SPDX-License-Identifier: MIT */
#include <sift/plugin.h>

static int process(void *state, sift_doc *doc) { (void)state; (void)doc; return SIFT_OK; }

static const sift_plugin desc = {
    .magic = SIFT_PLUGIN_MAGIC, .abi_major = SIFT_ABI_MAJOR + 1, .abi_minor = 0,
    .struct_size = sizeof(sift_plugin), .option_size = sizeof(sift_option),
    .name = "other_major", .version = "1.0.0", .process = process,
};
SIFT_EXPORT const sift_plugin *sift_plugin_entry(void) { return &desc; }
