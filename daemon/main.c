/* main.c - the siftd command line: run the broker, or (with --worker) one worker.
 *
 *   siftd [-c FILE] [-v] [-q]
 *   siftd --worker --config FILE [--config-fd FD] --pipeline NAME --first I
 *         --count N --segment KEY [--endpoint EP] [--credit N]
 *
 * The broker starts its workers with the second form; an operator can also
 * start workers by hand on another host (tcp:// endpoint). Logging is
 * logfmt on stderr (lib/log.c); -v adds debug lines, -q keeps warnings and
 * errors only.
 * SPDX-License-Identifier: MIT
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "heap.h"
#include "json.h"
#include "log.h"
#include "siftd.h"
#include "worker.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: siftd [-c FILE] [-v | -q]\n"
               "       siftd --worker --config FILE [--config-fd FD] --pipeline NAME --first I\n"
               "             --count N --segment KEY [--endpoint EP] [--credit N]\n\n"
               "Runs the sift daemon in the foreground with the config FILE (default %s).\n"
               "Signals: SIGTERM/SIGINT drain and stop, SIGHUP reloads the config and reopens files.\n",
               sift_config_default_file());
}

static int worker_main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"worker", no_argument, 0, 'W'},         {"config", required_argument, 0, 'c'},
        {"pipeline", required_argument, 0, 'p'}, {"first", required_argument, 0, 'f'},
        {"count", required_argument, 0, 'n'},    {"segment", required_argument, 0, 's'},
        {"endpoint", required_argument, 0, 'e'}, {"credit", required_argument, 0, 'C'},
        {"verbose", no_argument, 0, 'v'},        {"config-fd", required_argument, 0, 'F'},
        {0, 0, 0, 0}};
    sift_worker_opts o = {.first = -1, .config_fd = -1};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
        switch (c) {
        case 'W': break;
        case 'c': o.config = optarg; break;
        case 'p': o.pipeline = optarg; break;
        case 'f': o.first = atoi(optarg); break;
        case 'n': o.count = atoi(optarg); break;
        case 's': o.segment = optarg; break;
        case 'e': o.endpoint = optarg; break;
        case 'C': o.credit = atoi(optarg); break;
        case 'F': o.config_fd = atoi(optarg); break;
        case 'v': sift_log_set_level(SIFT_LOG_DEBUG); break;
        default: usage(stderr); return 2;
        }
    }
    if (!o.config || !o.pipeline || o.first < 0 || o.count < 1 || !o.segment) {
        usage(stderr);
        return 2;
    }
    sift_json_arena_use(); /* only the worker's main thread uses jansson */
    return sift_worker_run(&o);
}

int main(int argc, char **argv)
{
    sift_heap_tune();
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--worker") == 0)
            return worker_main(argc, argv);
    const char *file = NULL;
    int c;
    while ((c = getopt(argc, argv, "c:vqh")) != -1) {
        switch (c) {
        case 'c': file = optarg; break;
        case 'v': sift_log_set_level(SIFT_LOG_DEBUG); break;
        case 'q': sift_log_set_level(SIFT_LOG_WARN); break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    return sift_broker_run(file ? file : sift_config_default_file());
}
