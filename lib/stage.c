/* stage.c - one configured, initialised plugin instance, and the call around process().
 *
 * Life of a stage:
 *
 *     (none) --sift_stage_new--> LOADED --init ok--> READY --destroy--> (none)
 *                                   |                  |
 *                                   +--init fails------+--> refused, nothing left behind
 *
 * Invariants:
 *  1. fini is called only when init succeeded (is_inited), exactly once.
 *  2. Around process(): cur_doc and d->cur_stage are set only during the call.
 *  3. After sift_stage_process returns, d's status agrees with the code
 *     returned (dropped <=> SIFT_DROP, failed <=> negative other than RETRY).
 * Retries and dead-lettering are decided by the caller (runner, worker).
 * SPDX-License-Identifier: MIT
 */
#include "stage.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "log.h"
#include "options.h"

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* mkdir -p for the plugin's state directory. */
static int make_dirs(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return -ENAMETOOLONG;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return -errno;
    return 0;
}

static int open_lib(sift_stage *st, const sift_stage_opts *o, sift_err *err)
{
    char file[PATH_MAX];
    int rc = sift_plugin_resolve(o->plugin, o->search_path, file, sizeof file, err);
    if (rc < 0 || (rc = sift_plugin_lib_open(&st->lib, file, err)) < 0)
        return rc;
    st->desc = sift_plugin_lib_desc(st->lib);
    return 0;
}

static int setup_state_dir(sift_stage *st, const char *parent, sift_err *err)
{
    if (!parent || !parent[0])
        return 0;
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s/%s", parent, st->name) >= (int)sizeof dir)
        return sift_err_set(err, SIFT_ERANGE, "state dir path too long");
    int rc = make_dirs(dir);
    if (rc < 0)
        return sift_err_set(err, rc, "stage %s: cannot create state dir %s: %s", st->name, dir,
                            sift_strerror(rc));
    st->state_dir = strdup(dir);
    return st->state_dir ? 0 : SIFT_ENOMEM;
}

static int call_init(sift_stage *st, sift_err *err)
{
    if (!st->desc->init) {
        st->is_inited = 1;
        return 0;
    }
    int rc = st->desc->init(st, sift_host_table(), &st->state);
    if (rc < 0)
        return sift_err_set(err, rc, "%s: init failed: %s: %s", sift_plugin_lib_file(st->lib),
                            sift_err_name(rc), st->last_error[0] ? st->last_error : sift_strerror(rc));
    st->is_inited = 1;
    return 0;
}

int sift_stage_new(sift_stage **out, const sift_stage_opts *o, sift_err *err)
{
    *out = NULL;
    sift_stage *st = calloc(1, sizeof *st);
    if (!st)
        return SIFT_ENOMEM;
    sift_value_init(&st->options);
    st->max_text_bytes = o->max_text_bytes;
    int rc = open_lib(st, o, err);
    if (rc < 0)
        goto fail;
    st->name = strdup(o->name ? o->name : st->desc->name);
    if (!st->name) {
        rc = SIFT_ENOMEM;
        goto fail;
    }
    sift_diag diag = {0};
    if ((rc = sift_options_build(st->lib, o->options, st->name, o->where, &st->options, &diag)) < 0) {
        sift_err_set(err, rc, "%s", diag.first.msg);
        goto fail;
    }
    if ((rc = setup_state_dir(st, o->state_dir, err)) < 0 || (rc = call_init(st, err)) < 0)
        goto fail;
    *out = st;
    return 0;
fail:
    sift_stage_destroy(&st);
    return rc;
}

void sift_stage_destroy(sift_stage **pp)
{
    if (!pp || !*pp)
        return;
    sift_stage *st = *pp;
    if (st->is_inited && st->desc->fini)
        st->desc->fini(st->state);
    sift_value_fini(&st->options);
    sift_plugin_lib_close(&st->lib);
    free(st->state_dir);
    free(st->name);
    free(st);
    *pp = NULL;
}

static int is_known_code(int rc)
{
    return rc == SIFT_OK || rc == SIFT_DROP || (rc <= SIFT_EINVAL && rc >= SIFT_ESTATE);
}

/* Make d's status agree with rc (invariant 3); return the normalised rc. */
static int settle_status(sift_stage *st, sift_doc *d, int rc)
{
    char text[SIFT_ERR_MAX + 64];
    if (!is_known_code(rc)) {
        snprintf(text, sizeof text, "plugin returned invalid status %d", rc);
        sift_doc_set_status(d, SIFT_DOC_FAILED, st->name, text);
        return SIFT_EINVAL;
    }
    if (rc == SIFT_OK && d->state == SIFT_DOC_DROPPED)
        return SIFT_DROP; /* doc_drop called, OK returned: the drop stands */
    if (rc == SIFT_DROP && d->state != SIFT_DOC_DROPPED)
        sift_doc_set_status(d, SIFT_DOC_DROPPED, st->name, "dropped without a reason");
    if (rc < 0 && rc != SIFT_RETRY) {
        snprintf(text, sizeof text, "%s: %s", sift_err_name(rc),
                 st->last_error[0] ? st->last_error : sift_strerror(rc));
        sift_doc_set_status(d, SIFT_DOC_FAILED, st->name, text);
    }
    return rc;
}

int sift_stage_process(sift_stage *st, sift_doc *d)
{
    st->last_error[0] = '\0';
    st->cur_doc = d;
    d->cur_stage = st->name;
    d->max_text_bytes = st->max_text_bytes;
    int64_t t0 = now_us();
    int rc = st->desc->process(st->state, d);
    int64_t us = now_us() - t0;
    d->cur_stage = NULL;
    st->cur_doc = NULL;
    sift_doc_add_trace(d, st->name, st->desc->version, us);
    return settle_status(st, d, rc);
}

int sift_stage_flush(sift_stage *st)
{
    if (!st->desc->flush)
        return 0;
    st->last_error[0] = '\0';
    int rc = st->desc->flush(st->state);
    if (rc < 0)
        sift_log(SIFT_LOG_ERROR, "plugin", "flush failed", "stage=%s rc=%s err=%s", st->name,
                 sift_err_name(rc), st->last_error[0] ? st->last_error : sift_strerror(rc));
    return rc;
}

const char *sift_stage_get_name(const sift_stage *st) { return st->name; }
const char *sift_stage_plugin_version(const sift_stage *st) { return st->desc->version; }
const char *sift_stage_plugin_file(const sift_stage *st) { return sift_plugin_lib_file(st->lib); }
unsigned sift_stage_flags(const sift_stage *st) { return st->desc->flags; }
const char *sift_stage_last_error(const sift_stage *st) { return st->last_error; }
