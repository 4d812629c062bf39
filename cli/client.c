/* client.c - config and socket set-up shared by `sift push`, `sift tail`, `sift stats`.
 *
 * Only finding and connecting to siftd; what is said on the socket is each
 * command's (cmd_push.c, cmd_tail.c, cmd_stats.c).
 * SPDX-License-Identifier: MIT
 */
#include "client.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <zmq.h>

static void print_problem(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "%s\n", msg);
}

static void ignore_problem(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
}

int client_config_load(const char *cmd, const char *file, sift_config **out)
{
    *out = NULL;
    if (file) {
        sift_diag diag = {.report = print_problem};
        if (sift_config_load(out, file, &diag) == 0)
            return 0;
        fprintf(stderr, "%s: %s: cannot use this config (problems above)\n", cmd, file);
        return -1;
    }
    const char *def = sift_config_default_file();
    if (access(def, R_OK) != 0)
        return 0;
    sift_diag quiet = {.report = ignore_problem};
    if (sift_config_load(out, def, &quiet) < 0)
        fprintf(stderr, "%s: %s does not load (`sift check` says why); using default endpoints\n",
                cmd, def);
    return 0;
}

int client_socket_open(const char *cmd, int type, const char *endpoint, int sndhwm, void **ctx,
                       void **sock)
{
    int linger = 0;
    *sock = NULL;
    if (!(*ctx = zmq_ctx_new()) || !(*sock = zmq_socket(*ctx, type)) ||
        zmq_setsockopt(*sock, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        (sndhwm > 0 && zmq_setsockopt(*sock, ZMQ_SNDHWM, &sndhwm, sizeof sndhwm) != 0) ||
        zmq_connect(*sock, endpoint) != 0) {
        fprintf(stderr, "%s: cannot connect to %s: %s\n", cmd, endpoint, zmq_strerror(errno));
        client_socket_close(ctx, sock);
        return -1;
    }
    return 0;
}

const char *client_fmt_us(long long us, char buf[32])
{
    if (us < 1000)
        snprintf(buf, 32, "%lldus", us);
    else if (us < 1000000)
        snprintf(buf, 32, "%.1fms", (double)us / 1e3);
    else
        snprintf(buf, 32, "%.1fs", (double)us / 1e6);
    return buf;
}

void client_socket_close(void **ctx, void **sock)
{
    if (*sock)
        zmq_close(*sock);
    if (*ctx)
        zmq_ctx_term(*ctx);
    *sock = NULL;
    *ctx = NULL;
}
