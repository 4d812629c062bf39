/* commands.h - the `sift` subcommands, one file each (cmd_<name>.c).
 *
 * Each takes the arguments after its name (argv[0] is the subcommand) and
 * returns the process exit status: 0 success, 1 the work found problems
 * (refused documents, invalid config), 2 usage or set-up errors.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_CLI_COMMANDS_H
#define SIFT_CLI_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_push(int argc, char **argv);
int cmd_tail(int argc, char **argv);
int cmd_stats(int argc, char **argv);

#endif
