/* siftd.h - the daemon's entry points, called by main.c.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFTD_H
#define SIFTD_H

/* Run the broker with config_file until SIGTERM/SIGINT and the drain that
 * follows. Returns the process exit status (0 after a clean stop). */
int sift_broker_run(const char *config_file);

typedef struct broker broker;
/* Re-read the config; apply it if valid, else keep the old one (SIGHUP). */
void sift_broker_reload(broker *b);

#endif
