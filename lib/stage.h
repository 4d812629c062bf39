/* stage.h - one configured, initialised plugin instance, and the call around process().
 *
 * A stage binds a loaded plugin (plugin_loader.c) to its validated options
 * (options.c) and the host table (host.c), calls init, and wraps every
 * process() call: it times it, appends the trace entry, turns the return
 * code into the document's status, and enforces the host limits. It does
 * not decide retries or dead-lettering (the runner or the worker does).
 *
 * The struct is the SDK's opaque `sift_stage`.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_STAGE_H
#define SIFT_STAGE_H

#include <libconfig.h>

#include "doc.h"
#include "err.h"
#include "plugin_loader.h"
#include "value.h"

typedef struct sift_stage_opts {
    const char *name;        /* borrowed for the call: instance name; NULL = plugin name */
    const char *plugin;      /* borrowed for the call: plugin name or path to a .so */
    const char *search_path; /* borrowed for the call: ':'-separated dirs; NULL = default */
    const config_setting_t *options; /* borrowed for the call: the options group; NULL = none */
    const char *where;       /* borrowed for the call: "conf/siftd.conf:41" for messages */
    const char *state_dir;   /* borrowed for the call: parent dir for plugin state; NULL = none */
    size_t max_text_bytes;   /* 0 = no limit */
} sift_stage_opts;

struct sift_stage {
    /* private: host.c and stage.c only */
    char *name;
    sift_plugin_lib *lib;
    const sift_plugin *desc; /* borrowed from lib */
    sift_value options;      /* validated map, defaults filled */
    void *state;             /* the plugin's */
    int is_inited;
    char *state_dir;         /* NULL = none */
    size_t max_text_bytes;
    sift_doc *cur_doc;       /* borrowed during process() */
    char last_error[SIFT_ERR_MAX];
};

/* The host table every stage hands its plugin (host.c); static. */
const sift_host *sift_host_table(void);

/* Load, validate options and init. Every refusal names the file and cause
 * in err. Caller owns *out; free with sift_stage_destroy(). */
int sift_stage_new(sift_stage **out, const sift_stage_opts *o, sift_err *err);
void sift_stage_destroy(sift_stage **pp);

/* Run process() on d. Returns the plugin's code after normalising it:
 * SIFT_OK, SIFT_DROP (d is dropped), SIFT_RETRY, or a negative code (d is
 * failed with this stage and the error text). An undefined return value
 * becomes SIFT_EINVAL with "plugin returned invalid status N". */
int sift_stage_process(sift_stage *st, sift_doc *d);

/* Call the plugin's flush (if any). */
int sift_stage_flush(sift_stage *st);

const char *sift_stage_get_name(const sift_stage *st);    /* borrowed until destroy */
const char *sift_stage_plugin_version(const sift_stage *st);
const char *sift_stage_plugin_file(const sift_stage *st);
unsigned sift_stage_flags(const sift_stage *st);
/* The text of the last error the plugin reported via host->error ("" if none). */
const char *sift_stage_last_error(const sift_stage *st);

#endif
