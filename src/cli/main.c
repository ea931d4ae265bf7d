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
#include "io/records_io.h"
#include "io/review_io.h"
#include "version.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"meta", evs_cmd_meta, "pool the studies of one CSV file (random-effects meta-analysis)"},
    {"check", evs_cmd_check, "check a review folder and list its contents"},
    {"batch", evs_cmd_batch, "fit one meta-analysis per 'analysis' value of a CSV file"},
    {"gosh", evs_cmd_gosh, "fit the model to every subset of the studies (GOSH)"},
    {"report", evs_cmd_report, "write a review's evidence summary and figures"},
    {"diff", evs_cmd_diff, "what changed between two reviews' results.json"},
    {"import", evs_cmd_import, "add the records of search exports to a review's screening log"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(out, "Usage: evsynth COMMAND [OPTIONS] [ARGUMENTS]\n"
                 "       evsynth COMMAND --help\n"
                 "       evsynth --version\n\n"
                 "Evidence synthesis: effect sizes, random-effects meta-analysis and\n"
                 "evidence summaries, with results that agree with R's metafor.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nExit status: 0 success, 1 data or analysis error, 2 usage error,\n"
                 "3 file, output or external program error, 4 report written without\n"
                 "figures.\n");
}

int evs_command_start(const evs_command_line *c, int argc, char **argv, void *ctx,
                      const bool *help, int *noperands)
{
    static const char *const count[] = {"no", "one", "two"};
    evs_error err;
    evs_error_clear(&err);
    *noperands = 0;
    if (evs_options_parse(argc, argv, c->options, c->noptions, c->on_option, ctx, noperands,
                          &err) != EVS_OK)
        return evs_report_error(c->name, &err);
    if (*help) {
        c->help(stdout);
        return 0;
    }
    int n = *noperands;
    if (n >= c->min_operands && n <= c->max_operands)
        return -1;
    if (n == 0 && c->min_operands == 1)
        evs_error_set(&err, EVS_EINVAL, 0, 0, "missing %s", c->operand);
    else
        evs_error_set(&err, EVS_EINVAL, 0, 0, "expected %s%s %s%s, got %d",
                      c->min_operands == c->max_operands ? "" : "at most ",
                      count[c->max_operands], c->operand, c->max_operands > 1 ? "s" : "", n);
    return evs_report_error(c->name, &err);
}

/* Print the problems, sorted, and the count line. */
static void print_problems(evs_problems *problems, const char *dir, const char *trailer)
{
    evs_problems_sort(problems);
    char buf[EVS_ERROR_FILE_MAX + EVS_ERROR_MESSAGE_MAX + 64];
    for (size_t i = 0; i < problems->n; i++)
        fprintf(stderr, "%s\n", evs_error_format(&problems->items[i], buf, sizeof buf));
    fprintf(stderr, "%zu problem%s found in %s%s\n", problems->n, problems->n == 1 ? "" : "s",
            dir, trailer);
}

int evs_load_review_logs(const char *dir, const char *trailer, evs_review **rv,
                         evs_evidence **ev, evs_screening_log **records,
                         evs_decision_log **decisions)
{
    evs_problems problems;
    evs_problems_init(&problems);
    evs_review_load(dir, rv, ev, &problems);
    /* Without a valid review, the logs are still checked on their own. */
    evs_records_load(dir, *rv, *ev, records, &problems);
    evs_decisions_load(dir, decisions, &problems);
    evs_status st = evs_problems_status(&problems);
    if (st != EVS_OK) {
        print_problems(&problems, dir, trailer);
        evs_review_free(*rv);
        evs_evidence_free(*ev);
        evs_screening_log_free(*records);
        evs_decision_log_free(*decisions);
        *rv = NULL;
        *ev = NULL;
        *records = NULL;
        *decisions = NULL;
    }
    evs_problems_free(&problems);
    return (int)evs_exit_code(st);
}

int evs_load_review(const char *dir, const char *trailer, evs_review **rv, evs_evidence **ev)
{
    evs_problems problems;
    evs_problems_init(&problems);
    evs_status st = evs_review_load(dir, rv, ev, &problems);
    if (st != EVS_OK)
        print_problems(&problems, dir, trailer);
    evs_problems_free(&problems);
    return (int)evs_exit_code(st);
}

int evs_report_error(const char *command, const evs_error *err)
{
    char buf[EVS_ERROR_FILE_MAX + EVS_ERROR_MESSAGE_MAX + 64];
    evs_error_format(err, buf, sizeof buf);
    if (err->file[0] != '\0')
        fprintf(stderr, "%s\n", buf);
    else
        fprintf(stderr, "evsynth %s: %s\n", command, buf);
    if (err->code == EVS_EINVAL)
        fprintf(stderr, "Try 'evsynth %s --help'.\n", command);
    return (int)evs_exit_code(err->code);
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EVS_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return EVS_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("evsynth %s\n", EVS_VERSION);
        return EVS_EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 2, argv + 2);
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
