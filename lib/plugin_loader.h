/* plugin_loader.h - find, open and vet a plugin shared object.
 *
 * Opening a plugin is: resolve a name to a file on the search path, refuse
 * empty or over-long paths, dlopen(RTLD_NOW | RTLD_LOCAL), dlsym the one
 * entry symbol, call it, and check the descriptor's fixed header (STYLE.md
 * section 1, rule 2) before trusting anything else in it. Each refusal is
 * one message naming the file and the cause. This file does not validate
 * options (options.c) or call init (stage.c).
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_PLUGIN_LOADER_H
#define SIFT_PLUGIN_LOADER_H

#include <sift/plugin.h>

#include "err.h"

typedef struct sift_plugin_lib sift_plugin_lib;

/* Resolve name ("clean", or a path containing '/', or ending in ".so")
 * to a file: a path is taken as is; a name is looked up as <dir>/<name>.so
 * in each dir of search_path (':'-separated; NULL or "" = the default:
 * $SIFT_PLUGIN_PATH, then the plugins dir beside the running binary).
 * Writes the file into out (cap bytes). SIFT_ENOENT with err naming every
 * dir tried. */
int sift_plugin_resolve(const char *name, const char *search_path, char *out, size_t cap,
                        sift_err *err);

/* The default search path (static storage, computed once): $SIFT_PLUGIN_PATH
 * if set, else <dir of the running binary>/../lib/sift/plugins. */
const char *sift_plugin_default_path(void);

/* Open the plugin at file and vet its descriptor. Caller owns *out; free
 * with sift_plugin_lib_close(). err: "<file>: <cause>". */
int sift_plugin_lib_open(sift_plugin_lib **out, const char *file, sift_err *err);
void sift_plugin_lib_close(sift_plugin_lib **pp);

/* The vetted descriptor, copied into host storage: members beyond the
 * plugin's struct_size read as zero. Borrowed until close. */
const sift_plugin *sift_plugin_lib_desc(const sift_plugin_lib *lib);
const char *sift_plugin_lib_file(const sift_plugin_lib *lib); /* borrowed until close */

/* Option i of the plugin's table (walked by its option_size), or NULL past
 * the end. Borrowed until close. */
const sift_option *sift_plugin_lib_option(const sift_plugin_lib *lib, size_t i);
const sift_option *sift_plugin_lib_find_option(const sift_plugin_lib *lib, const char *name);

#endif
