/* main.c - the `sift` command line: dispatch to a subcommand.
 *
 * Subcommands live in cmd_<name>.c; this file holds only the table, the
 * top-level help and the version.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "log.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} command;

static const command commands[] = {
    {"run", cmd_run, "run a pipeline over files or stdin in this process (no daemon)"},
    {"check", cmd_check, "validate a config file and the plugins it names"},
    {"push", cmd_push, "send documents to a running siftd"},
    {"tail", cmd_tail, "print the documents a running siftd finishes, as they finish"},
    {"stats", cmd_stats, "print a running siftd's statistics"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: sift <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].help);
    fprintf(out, "\n`sift <command> --help` shows a command's options. sift %s\n", SIFT_VERSION);
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("sift %s (plugin ABI %d.%d)\n", SIFT_VERSION, SIFT_ABI_MAJOR, SIFT_ABI_MINOR);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "sift: unknown command \"%s\"\n\n", argv[1]);
    usage(stderr);
    return 2;
}
