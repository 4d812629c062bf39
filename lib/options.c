/* options.c - validate a stage's options group against its plugin's declared schema.
 *
 * Each declared option is looked up in the group, or parsed from its
 * default text when absent, converted to a typed sift_value and checked
 * (type, int bounds, enum choices). Keys the plugin does not declare are
 * reported too. Problems go to a sift_diag so `sift check` lists them all.
 * The plugin's descriptor itself was vetted by plugin_loader.c.
 * SPDX-License-Identifier: MIT
 */
#include "options.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *sift_options_type_name(sift_opt_type t)
{
    switch (t) {
    case SIFT_OPT_BOOL: return "bool";
    case SIFT_OPT_INT: return "int";
    case SIFT_OPT_DOUBLE: return "number";
    case SIFT_OPT_STRING: return "string";
    case SIFT_OPT_ENUM: return "enum";
    case SIFT_OPT_STRLIST: return "list of strings";
    }
    return "?";
}

static const char *setting_type_name(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_BOOL: return "bool";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return "int";
    case CONFIG_TYPE_FLOAT: return "float";
    case CONFIG_TYPE_STRING: return "string";
    case CONFIG_TYPE_ARRAY: return "array";
    case CONFIG_TYPE_LIST: return "list";
    case CONFIG_TYPE_GROUP: return "group";
    default: return "nothing";
    }
}

/* "file:line" of a setting, or fallback. */
/* "file:line" of a setting. A config read from a string has lines but no
 * file name: then the file part of fallback ("file:line") is used. */
static void where_of(const config_setting_t *s, const char *fallback, char *buf, size_t cap)
{
    const char *file = s ? config_setting_source_file(s) : NULL;
    unsigned line = s ? config_setting_source_line(s) : 0;
    const char *colon = fallback ? strrchr(fallback, ':') : NULL;
    if (file && line)
        snprintf(buf, cap, "%s:%u", file, line);
    else if (line && colon)
        snprintf(buf, cap, "%.*s:%u", (int)(colon - fallback), fallback, line);
    else
        snprintf(buf, cap, "%s", fallback ? fallback : "options");
}

static int choice_ok(const sift_option *o, const char *v)
{
    for (const char *const *c = o->choices; *c; c++)
        if (strcmp(*c, v) == 0)
            return 1;
    return 0;
}

static void choices_text(const sift_option *o, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (const char *const *c = o->choices; *c && len < cap; c++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", *c);
}

static int convert_strlist(const config_setting_t *s, sift_value *v)
{
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
        return SIFT_ETYPE;
    sift_value_set_list(v);
    for (int i = 0; i < config_setting_length(s); i++) {
        const char *str = config_setting_get_string_elem(s, i);
        sift_value *slot;
        if (!str)
            return SIFT_ETYPE;
        int rc = sift_value_list_push(v, &slot);
        if (rc < 0 || (rc = sift_value_set_str(slot, str, strlen(str))) < 0)
            return rc;
    }
    return 0;
}

/* Convert s to the option's type into v. SIFT_ETYPE on mismatch; for an
 * int or enum out of range, SIFT_ERANGE with the reason in why. */
static int convert(const sift_option *o, const config_setting_t *s, sift_value *v, char *why,
                   size_t cap)
{
    int t = config_setting_type(s);
    int is_int = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
    switch (o->type) {
    case SIFT_OPT_BOOL:
        if (t != CONFIG_TYPE_BOOL)
            return SIFT_ETYPE;
        sift_value_set_bool(v, config_setting_get_bool(s));
        return 0;
    case SIFT_OPT_INT: {
        if (!is_int)
            return SIFT_ETYPE;
        long long i = config_setting_get_int64(s);
        if ((o->min || o->max) && (i < o->min || i > o->max)) {
            snprintf(why, cap, "must be between %" PRId64 " and %" PRId64 " (got %lld)", o->min,
                     o->max, i);
            return SIFT_ERANGE;
        }
        sift_value_set_int(v, i);
        return 0;
    }
    case SIFT_OPT_DOUBLE:
        if (!is_int && t != CONFIG_TYPE_FLOAT)
            return SIFT_ETYPE;
        return sift_value_set_double(v, is_int ? (double)config_setting_get_int64(s)
                                               : config_setting_get_float(s));
    case SIFT_OPT_STRING:
    case SIFT_OPT_ENUM: {
        if (t != CONFIG_TYPE_STRING)
            return SIFT_ETYPE;
        const char *str = config_setting_get_string(s);
        if (o->type == SIFT_OPT_ENUM && !choice_ok(o, str)) {
            char list[256];
            choices_text(o, list, sizeof list);
            snprintf(why, cap, "must be one of %s (got \"%.60s\")", list, str);
            return SIFT_ERANGE;
        }
        return sift_value_set_str(v, str, strlen(str));
    }
    case SIFT_OPT_STRLIST:
        return convert_strlist(s, v);
    }
    return SIFT_ETYPE;
}

/* Parse the option's default text as a config value and convert it. */
static int convert_default(const sift_option *o, sift_value *v, char *why, size_t cap)
{
    char text[4096];
    int n = snprintf(text, sizeof text, "v = %s;", o->def);
    if (n < 0 || (size_t)n >= sizeof text) {
        snprintf(why, cap, "plugin default is too long");
        return SIFT_ERANGE;
    }
    config_t cfg;
    config_init(&cfg);
    int rc = SIFT_EINVAL;
    if (config_read_string(&cfg, text) != CONFIG_TRUE)
        snprintf(why, cap, "plugin default \"%.60s\" is not valid config text", o->def);
    else if ((rc = convert(o, config_lookup(&cfg, "v"), v, why, cap)) == SIFT_ETYPE)
        snprintf(why, cap, "plugin default \"%.60s\" is not a %s", o->def,
                 sift_options_type_name(o->type));
    config_destroy(&cfg);
    return rc;
}

static int build_one(const sift_option *o, const config_setting_t *group, const char *stage,
                     const char *where, sift_value *out, sift_diag *diag)
{
    const config_setting_t *s = group ? config_setting_get_member(group, o->name) : NULL;
    char at[512], why[384] = "";
    where_of(s ? s : group, where, at, sizeof at);
    if (!s && !o->def) {
        sift_diag_add(diag, "%s: stage %s: option %s: required %s is missing", at, stage, o->name,
                      sift_options_type_name(o->type));
        return SIFT_EINVAL;
    }
    sift_value *slot;
    int rc = sift_value_map_put(out, o->name, &slot);
    if (rc < 0)
        return rc;
    rc = s ? convert(o, s, slot, why, sizeof why) : convert_default(o, slot, why, sizeof why);
    if (rc == SIFT_ETYPE && s)
        snprintf(why, sizeof why, "expected %s (got %s)", sift_options_type_name(o->type),
                 setting_type_name(s));
    if (rc < 0)
        sift_diag_add(diag, "%s: stage %s: option %s: %s", at, stage, o->name,
                      why[0] ? why : sift_strerror(rc));
    return rc;
}

static int report_unknown(const sift_plugin_lib *lib, const config_setting_t *group,
                          const char *stage, const char *where, sift_diag *diag)
{
    int bad = 0;
    for (int i = 0; group && i < config_setting_length(group); i++) {
        const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        const char *name = config_setting_name(s);
        if (name && !sift_plugin_lib_find_option(lib, name)) {
            char at[512];
            where_of(s, where, at, sizeof at);
            sift_diag_add(diag, "%s: stage %s: unknown option %s for plugin %s", at, stage, name,
                          sift_plugin_lib_desc(lib)->name);
            bad = 1;
        }
    }
    return bad;
}

int sift_options_build(const sift_plugin_lib *lib, const config_setting_t *group,
                       const char *stage, const char *where, sift_value *out, sift_diag *diag)
{
    sift_value_fini(out);
    sift_value_set_map(out);
    if (group && config_setting_type(group) != CONFIG_TYPE_GROUP) {
        char at[512];
        where_of(group, where, at, sizeof at);
        sift_diag_add(diag, "%s: stage %s: options must be a group { ... } (got %s)", at, stage,
                      setting_type_name(group));
        return SIFT_EINVAL;
    }
    int bad = report_unknown(lib, group, stage, where, diag);
    const sift_option *o;
    for (size_t i = 0; (o = sift_plugin_lib_option(lib, i)) != NULL; i++)
        if (build_one(o, group, stage, where, out, diag) < 0)
            bad = 1;
    return bad ? SIFT_EINVAL : 0;
}
