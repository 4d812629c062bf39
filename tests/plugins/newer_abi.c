/* newer_abi.c - test plugin built for an ABI minor newer than the host's.
 * The loader must refuse it ("built for ABI 1.N, sift has 1.M").
 * SPDX-License-Identifier: MIT */
#include <sift/plugin.h>

static int process(void *state, sift_doc *doc) { (void)state; (void)doc; return SIFT_OK; }

static const sift_plugin desc = {
    .magic = SIFT_PLUGIN_MAGIC, .abi_major = SIFT_ABI_MAJOR, .abi_minor = SIFT_ABI_MINOR + 1,
    .struct_size = sizeof(sift_plugin), .option_size = sizeof(sift_option),
    .name = "newer_abi", .version = "1.0.0", .process = process,
};
SIFT_EXPORT const sift_plugin *sift_plugin_entry(void) { return &desc; }
