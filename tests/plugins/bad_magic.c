/* bad_magic.c - test plugin whose descriptor has the wrong magic number.
 * The loader must refuse it before calling any of its functions.
 * SPDX-License-Identifier: MIT */
#include <sift/plugin.h>

static int process(void *state, sift_doc *doc) { (void)state; (void)doc; return SIFT_OK; }

static const sift_plugin desc = {
    .magic = 0x4e4f5045u, /* "NOPE" */ .abi_major = SIFT_ABI_MAJOR, .abi_minor = SIFT_ABI_MINOR,
    .struct_size = sizeof(sift_plugin), .option_size = sizeof(sift_option),
    .name = "bad_magic", .version = "1.0.0", .process = process,
};
SIFT_EXPORT const sift_plugin *sift_plugin_entry(void) { return &desc; }
