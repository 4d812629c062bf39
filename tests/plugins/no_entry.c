/* no_entry.c - test plugin that exports no sift_plugin_entry symbol.
 * The loader must refuse it, naming the missing symbol.
 * SPDX-License-Identifier: MIT */
#include <sift/plugin.h>

SIFT_EXPORT int not_the_entry(void);
SIFT_EXPORT int not_the_entry(void) { return 42; }
