/* cmd_check.c - `sift check`: validate a config and the plugins it names.
 *
 *   sift check [-c FILE] [--plugins]
 *
 * Reports every problem as "FILE:LINE: message" on stderr (syntax, unknown
 * settings, wrong types, values out of range, duplicate names, unknown
 * sinks, plugins that cannot be loaded or are refused, options their plugin
 * does not declare or of the wrong type) and exits 1 when there is any.
 * Plugins are opened and their options validated, but init is never called.
 * --plugins also prints each stage's plugin and its declared options.
 * SPDX-License-Identifier: MIT
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "options.h"
#include "plugin_loader.h"

static void print_problem(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "%s\n", msg);
}

static void print_plugin(const sift_stage_conf *st, const char *search_path)
{
    char file[4096];
    sift_err err = {{0}};
    sift_plugin_lib *lib = NULL;
    if (sift_plugin_resolve(st->plugin, search_path, file, sizeof file, &err) < 0 ||
        sift_plugin_lib_open(&lib, file, &err) < 0)
        return;
    const sift_plugin *d = sift_plugin_lib_desc(lib);
    printf("  stage %s: plugin %s %s (%s)\n    %s\n", st->name, d->name, d->version, file,
           d->description ? d->description : "");
    const sift_option *o;
    for (size_t i = 0; (o = sift_plugin_lib_option(lib, i)) != NULL; i++)
        printf("    option %-20s %-16s default %-12s %s\n", o->name, sift_options_type_name(o->type),
               o->def ? o->def : "(required)", o->help ? o->help : "");
    sift_plugin_lib_close(&lib);
}

int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {{"config", required_argument, 0, 'c'},
                                             {"plugins", no_argument, 0, 'P'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *file = NULL;
    int show_plugins = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        if (c == 'c')
            file = optarg;
        else if (c == 'P')
            show_plugins = 1;
        else {
            fprintf(c == 'h' ? stdout : stderr, "usage: sift check [-c FILE] [--plugins]\n");
            return c == 'h' ? 0 : 2;
        }
    }
    if (!file)
        file = sift_config_default_file();
    sift_diag diag = {.report = print_problem};
    sift_config *cfg = NULL;
    if (sift_config_check_file(file, &diag) == 0 && sift_config_load(&cfg, file, &diag) == 0) {
        size_t n_stages = 0;
        for (size_t i = 0; i < cfg->n_pipelines; i++)
            n_stages += cfg->pipelines[i].n_stages;
        printf("%s: ok (%zu pipelines, %zu stages, %zu sinks)\n", file, cfg->n_pipelines, n_stages,
               cfg->n_sinks);
        for (size_t i = 0; show_plugins && i < cfg->n_pipelines; i++) {
            printf("pipeline %s\n", cfg->pipelines[i].name);
            for (size_t j = 0; j < cfg->pipelines[i].n_stages; j++)
                print_plugin(&cfg->pipelines[i].stages[j], cfg->plugin_path);
        }
    } else {
        fprintf(stderr, "%s: %d problem%s\n", file, diag.n, diag.n == 1 ? "" : "s");
    }
    sift_config_destroy(&cfg);
    return diag.n ? 1 : 0;
}
