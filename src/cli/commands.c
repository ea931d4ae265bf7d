/*
 * commands.c -- the table of commands, the program's usage and version
 * (see commands.h).
 */
#include "cli/commands.h"

#include <stdio.h>
#include <string.h>

#include "cli/exit_codes.h"
#include "io/records_io.h"
#include "io/review_io.h"
#include "git_version.h"
#include "version.h"

const evs_command evs_commands[] = {
    {"meta", evs_cmd_meta, "pool the studies of one CSV file (random-effects meta-analysis)",
     &evs_meta_line},
    {"check", evs_cmd_check, "check a review folder and list its contents", &evs_check_line},
    {"batch", evs_cmd_batch, "fit one meta-analysis per 'analysis' value of a CSV file",
     &evs_batch_line},
    {"gosh", evs_cmd_gosh, "fit the model to every subset of the studies (GOSH)",
     &evs_gosh_line},
    {"report", evs_cmd_report, "write a review's evidence summary and figures",
     &evs_report_line},
    {"diff", evs_cmd_diff, "what changed between two reviews' results.json", &evs_diff_line},
    {"import", evs_cmd_import, "add the records of search exports to a review's screening log",
     &evs_import_line},
};

const size_t evs_ncommands = sizeof evs_commands / sizeof evs_commands[0];

void evs_program_help(FILE *out)
{
    fprintf(out, "Usage: evsynth COMMAND [OPTIONS] [ARGUMENTS]\n"
                 "       evsynth COMMAND --help\n"
                 "       evsynth [COMMAND] --version\n\n"
                 "Evidence synthesis: effect sizes, random-effects meta-analysis and\n"
                 "evidence summaries, with results that agree with R's metafor.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < evs_ncommands; i++)
        fprintf(out, "  %-8s %s\n", evs_commands[i].name, evs_commands[i].summary);
    fprintf(out, "\nExit status:\n");
    for (size_t i = 0; i < evs_exit_ndocs; i++) {
        /* "  N  meaning", wrapped at 78 columns under the meaning */
        fprintf(out, "  %d", (int)evs_exit_docs[i].code);
        int col = 3;
        for (const char *w = evs_exit_docs[i].meaning; *w;) {
            size_t len = strcspn(w, " ");
            if (col > 5 && col + 1 + (int)len > 78) {
                fputs("\n    ", out);
                col = 4;
            }
            fprintf(out, "%s%.*s", col == 3 ? "  " : " ", (int)len, w);
            col += (col == 3 ? 2 : 1) + (int)len;
            w += len;
            while (*w == ' ')
                w++;
        }
        fputc('\n', out);
    }
}

const char *evs_version_text(void)
{
    /* EVS_GIT_DESCRIBE: `git describe --always --dirty` when the program was
     * built (cmake/EvsGitVersion.cmake), "" outside a git checkout. */
    static const char text[] =
        "evsynth " EVS_VERSION;
    static char buf[sizeof text + 128];
    if (EVS_GIT_DESCRIBE[0] == '\0')
        return text;
    snprintf(buf, sizeof buf, "%s (git %s)", text, EVS_GIT_DESCRIBE);
    return buf;
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

/*
 * Every problem, sorted by position.  The count line counts the errors;
 * warnings (evs_problems_warn) are listed with them and counted apart, and
 * without errors they are printed alone, before the command goes on.
 */
static void print_problems(evs_problems *problems, const char *dir, const char *trailer)
{
    evs_problems_sort(problems);
    char buf[EVS_ERROR_FILE_MAX + EVS_ERROR_MESSAGE_MAX + 64];
    for (size_t i = 0; i < problems->n; i++)
        fprintf(stderr, "%s\n", evs_error_format(&problems->items[i], buf, sizeof buf));
    size_t errors = evs_problems_errors(problems), warnings = problems->n - errors;
    if (errors > 0)
        fprintf(stderr, "%zu problem%s found in %s%s\n", errors, errors == 1 ? "" : "s", dir,
                trailer);
    if (warnings > 0)
        fprintf(stderr, "%zu warning%s for %s: plausible but worth checking\n", warnings,
                warnings == 1 ? "" : "s", dir);
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
    if (st == EVS_OK && problems.n > 0)
        print_problems(&problems, dir, trailer); /* warnings only */
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
