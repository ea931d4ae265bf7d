/*
 * commands.h -- the subcommands of the evsynth program.
 *
 * Each takes the arguments after its name and returns the exit status
 * (an evs_exit code, exit_codes.h: never a library status).
 */
#ifndef EVS_COMMANDS_H
#define EVS_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/options.h"
#include "evsynth/error.h"

int evs_cmd_meta(int argc, char **argv);
int evs_cmd_check(int argc, char **argv);
int evs_cmd_gosh(int argc, char **argv);
int evs_cmd_report(int argc, char **argv);
int evs_cmd_batch(int argc, char **argv);
int evs_cmd_diff(int argc, char **argv);
int evs_cmd_import(int argc, char **argv);

/*
 * Print err to stderr: "FILE:LINE:COLUMN: message" when it is about a file,
 * "evsynth COMMAND: message" otherwise, and for usage errors a pointer to
 * --help.  Returns the exit code of err->code.
 */
int evs_report_error(const char *command, const evs_error *err);

/* How a command reads its command line. */
typedef struct evs_command_line {
    const char *name; /* "meta" */
    const evs_option *options;
    size_t noptions;
    evs_option_fn on_option;
    void (*help)(FILE *out);
    int min_operands, max_operands; /* at most 2 */
    const char *operand;            /* "input file", for messages */
} evs_command_line;

/*
 * What every command does first: parse the options (the callback gets ctx),
 * print the help if *help became true, and check the number of operands.
 * Returns -1 to go on, with the operands at the front of argv and their
 * count in *noperands; otherwise the exit status to return (0 after the
 * help, 2 after a usage error, which is printed).
 */
int evs_command_start(const evs_command_line *c, int argc, char **argv, void *ctx,
                      const bool *help, int *noperands);

/* Each command's command line: its options, its help, its operands. */
extern const evs_command_line evs_meta_line, evs_check_line, evs_batch_line, evs_gosh_line,
    evs_report_line, evs_diff_line, evs_import_line;

/*
 * The commands, in the order of `evsynth --help`: what runs them and what
 * documents them (--help, the man page, the README's synopsis all come
 * from here and from each command's option table).
 */
typedef struct evs_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary; /* one line */
    const evs_command_line *line;
} evs_command;

extern const evs_command evs_commands[];
extern const size_t evs_ncommands;

/* Print `evsynth --help` (the program's usage) to out. */
void evs_program_help(FILE *out);

/* "evsynth 0.1.0 (git 1a2b3c4)", or without the parenthesis when the build
 * had no git description. */
const char *evs_version_text(void);

/*
 * Read and check a review folder with its screening log (records.csv) and
 * decision log (decisions.csv), checked against it; either is NULL when the
 * folder does not have the file.  On problems, print them all to stderr as
 * FILE:LINE:COLUMN: message, then "N problems found in DIR" and the given
 * trailer (may be empty), and return the exit code with every output NULL;
 * else (warnings printed the same way) return 0 with *rv and *ev set.
 */
struct evs_review;
struct evs_evidence;
struct evs_screening_log;
struct evs_decision_log;
int evs_load_review_logs(const char *dir, const char *trailer, struct evs_review **rv,
                         struct evs_evidence **ev, struct evs_screening_log **records,
                         struct evs_decision_log **decisions);

#endif
