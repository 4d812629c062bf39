/* harness.c - drive a real stage plugin (.so) from a cmocka test.
 *
 * Resolves plugins in the build tree (shipped stages, then the test
 * suite's misbehaving plugins), parses options from libconfig text, and
 * creates stages with the real loader and host table. See harness.h.
 * SPDX-License-Identifier: MIT
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define SEARCH_PATH SIFT_PLUGIN_DIR ":" SIFT_TEST_PLUGIN_DIR

static int stage_try(sift_stage **out, const char *name, const char *options_conf,
                     const char *state_dir, sift_err *err)
{
    config_t cfg;
    config_init(&cfg);
    char *text = NULL;
    const config_setting_t *group = NULL;
    int rc = 0;
    if (options_conf && options_conf[0]) {
        size_t n = strlen(options_conf) + 32;
        text = malloc(n);
        snprintf(text, n, "options = { %s };", options_conf);
        if (config_read_string(&cfg, text) != CONFIG_TRUE) {
            rc = sift_err_set(err, SIFT_EINVAL, "options text: line %d: %s",
                              config_error_line(&cfg), config_error_text(&cfg));
            goto done;
        }
        config_set_auto_convert(&cfg, 0);
        group = config_lookup(&cfg, "options");
    }
    sift_stage_opts o = {.plugin = name, .search_path = SEARCH_PATH, .options = group,
                         .where = "test", .state_dir = state_dir};
    rc = sift_stage_new(out, &o, err);
done:
    config_destroy(&cfg);
    free(text);
    return rc;
}

int harness_stage_try(sift_stage **out, const char *name, const char *options_conf,
                      sift_err *err)
{
    return stage_try(out, name, options_conf, NULL, err);
}

sift_stage *harness_stage_state(const char *name, const char *options_conf, const char *state_dir)
{
    sift_stage *st = NULL;
    sift_err err = {{0}};
    if (stage_try(&st, name, options_conf, state_dir, &err) < 0)
        fail_msg("cannot create stage %s: %s", name, err.msg);
    return st;
}

sift_stage *harness_stage(const char *name, const char *options_conf)
{
    return harness_stage_state(name, options_conf, NULL);
}

sift_doc *harness_doc(const char *text)
{
    sift_doc *d = NULL;
    sift_err err = {{0}};
    if (sift_doc_new(&d, "t", 1, "test", 4, text, strlen(text), &err) < 0)
        fail_msg("cannot create document: %s", err.msg);
    return d;
}

int harness_run(sift_stage *st, const char *text, sift_doc **out)
{
    *out = harness_doc(text);
    return sift_stage_process(st, *out);
}

const char *harness_text(const sift_doc *d) { return d->text; }

const sift_value *harness_field(const sift_doc *d, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const sift_value *v = &d->fields;
    for (char *save = NULL, *key = strtok_r(buf, ".", &save); key && v;
         key = strtok_r(NULL, ".", &save))
        v = v->type == SIFT_T_MAP ? sift_value_map_get(v, key) : NULL;
    return v;
}

long long harness_field_int(const sift_doc *d, const char *path)
{
    const sift_value *v = harness_field(d, path);
    int64_t i = 0;
    if (!v || sift_value_get_int(v, &i) < 0)
        fail_msg("field %s is %s", path, v ? "not an int" : "absent");
    return (long long)i;
}

const char *harness_field_str(const sift_doc *d, const char *path)
{
    const sift_value *v = harness_field(d, path);
    const char *s = NULL;
    if (!v || sift_value_get_str(v, &s, NULL) < 0)
        fail_msg("field %s is %s", path, v ? "not a string" : "absent");
    return s;
}
