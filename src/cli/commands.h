/*
 * commands.h -- the subcommands of the evsynth program.
 *
 * Each takes the arguments after its name and returns the exit status
 * (an evs_status value: 0 ok, 1 data or analysis error, 2 usage, 3 I/O).
 */
#ifndef EVS_COMMANDS_H
#define EVS_COMMANDS_H

#include "evs_error.h"

int evs_cmd_meta(int argc, char **argv);
int evs_cmd_check(int argc, char **argv);
int evs_cmd_gosh(int argc, char **argv);
int evs_cmd_report(int argc, char **argv);
int evs_cmd_diff(int argc, char **argv);

/*
 * Print err to stderr: "FILE:LINE:COLUMN: message" when it is about a file,
 * "evsynth COMMAND: message" otherwise, and for usage errors a pointer to
 * --help.  Returns err->code.
 */
int evs_report_error(const char *command, const evs_error *err);

#endif
