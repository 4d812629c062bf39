/* client.h - what `sift push`, `sift tail` and `sift stats` share: the config
 * they read endpoints from, and a ZeroMQ socket connected to one.
 *
 * Each of them takes -c FILE (else sift_config_default_file()) only to learn
 * siftd's endpoints, and -e to name one directly. The protocols themselves
 * live in the commands (cmd_push.c, cmd_tail.c, cmd_stats.c) and are
 * described in docs/protocol.md.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_CLI_CLIENT_H
#define SIFT_CLI_CLIENT_H

#include "config.h"

/* Load the config for command cmd ("sift stats"): file when given (its
 * problems are printed and it must load), else the default file if it
 * exists (when it does not load, a warning says the defaults are used).
 * Returns 0 with *out set or NULL (no config: use the built-in endpoint
 * defaults), or -1 when an explicit file failed. Caller owns *out; free
 * with sift_config_destroy(). file: borrowed for the call. */
int client_config_load(const char *cmd, const char *file, sift_config **out);

/* A socket of type (ZMQ_DEALER, ZMQ_SUB) in a new context, connected to
 * endpoint, with LINGER 0 and, when sndhwm > 0, that send high-water mark
 * (set before connecting, where libzmq applies it). Returns 0, or -1 after
 * printing why (naming cmd and endpoint). Close with client_socket_close().
 * endpoint: borrowed for the call. */
int client_socket_open(const char *cmd, int type, const char *endpoint, int sndhwm, void **ctx,
                       void **sock);
/* Close *sock and terminate *ctx; both may be NULL; sets them to NULL. */
void client_socket_close(void **ctx, void **sock);

/* Microseconds as "850us", "12.3ms" or "4.1s", written into buf (32
 * bytes). Returns buf. */
const char *client_fmt_us(long long us, char buf[32]);

#endif
