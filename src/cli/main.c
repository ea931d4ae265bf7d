/*
 * main.c -- the evsynth command-line program: dispatch to a subcommand.
 */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"

/* --version anywhere among a command's arguments (before "--"). */
static bool asks_version(int argc, char **argv)
{
    for (int i = 0; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--version") == 0)
            return true;
    return false;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        evs_program_help(stderr);
        return EVS_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        evs_program_help(stdout);
        return EVS_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("%s\n", evs_version_text());
        return EVS_EXIT_OK;
    }
    for (size_t i = 0; i < evs_ncommands; i++) {
        if (strcmp(cmd, evs_commands[i].name) != 0)
            continue;
        /* every command answers --version, whatever else its arguments say */
        if (asks_version(argc - 2, argv + 2)) {
            printf("%s\n", evs_version_text());
            return EVS_EXIT_OK;
        }
        return evs_commands[i].run(argc - 2, argv + 2);
    }
    fprintf(stderr, "evsynth: unknown command '%s'\nTry 'evsynth --help'.\n", cmd);
    return EVS_EXIT_USAGE;
}

/*
 * Standard output is buffered, so a write that failed (a full disk, a
 * closed descriptor) may show only when the buffer is flushed or the stream
 * closed: check both, for every command and for --help, and exit 3 then
 * (coreutils' close_stdout does the same).
 */
static int close_stdout(int status)
{
    bool failed = fflush(stdout) != 0 || ferror(stdout);
    int saved = errno;
    if (fclose(stdout) != 0 && !failed) {
        failed = true;
        saved = errno;
    }
    if (!failed)
        return status;
    if (status != EVS_EXIT_IO) /* a command that failed on output has said so already */
        fprintf(stderr, "evsynth: cannot write to standard output: %s\n", strerror(saved));
    return EVS_EXIT_IO;
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts; every GSL status is checked instead. */
    gsl_set_error_handler_off();
    return close_stdout(dispatch(argc, argv));
}
