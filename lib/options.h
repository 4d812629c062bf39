/* options.h - validate a stage's options group against its plugin's declared schema.
 *
 * A plugin declares its options (name, type, default as config text, int
 * bounds, enum choices, help); the host checks the stage's libconfig group
 * against that table before init: unknown key, wrong type, out of bounds,
 * not among the choices, missing required. The result is a map of typed
 * values with every default filled in, which the host's opt_* getters read,
 * so they cannot fail on a declared option. `sift check` runs the same code
 * without init. Messages read
 * "conf/siftd.conf:41: stage clean: option max_blank_lines: must be between 0 and 10 (got 99)".
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_OPTIONS_H
#define SIFT_OPTIONS_H

#include <libconfig.h>

#include "err.h"
#include "plugin_loader.h"
#include "value.h"

/* Build out (a SIFT_T_MAP, caller storage, finied first) from group (may be
 * NULL: all defaults) for stage `stage` of plugin lib. `where` is the
 * "file:line" used when a problem has no line of its own. Every problem goes
 * to diag; returns 0, or SIFT_EINVAL when any was found. */
int sift_options_build(const sift_plugin_lib *lib, const config_setting_t *group,
                       const char *stage, const char *where, sift_value *out, sift_diag *diag);

/* The name of an option type ("int", "string list"); static. */
const char *sift_options_type_name(sift_opt_type t);

#endif
