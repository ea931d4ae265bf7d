/*
 * cmd_report.c -- "evsynth report": a review folder to figures and an
 * evidence summary (the run itself is report_run.c); and "evsynth diff":
 * what changed between two results.json files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/report_run.h"
#include "io/files.h"
#include "report/doc.h"
#include "report/report.h"

enum { OPT_OUT, OPT_PREVIOUS, OPT_NO_FIGURES, OPT_PDF, OPT_HELP };

static const evs_option report_options[] = {
    {OPT_OUT, "out", 'o', "DIR", "write the report to DIR and the figures to DIR/figures,\n"
                                 "replacing DIR as a whole (default: reports/ID, with\n"
                                 "plots/ID a link to its figures; ID from review.ini)"},
    {OPT_PREVIOUS, "previous", 0, "FILE", "results.json of the last review: add what changed\n"
                                          "(default: 'previous' in review.ini, if set)"},
    {OPT_NO_FIGURES, "no-figures", 0, NULL, "do not run gnuplot"},
    {OPT_PDF, "pdf", 0, NULL, "also write report.pdf, report.html printed by headless\n"
                              "Chromium (Debian's chromium; A4, wide tables and\n"
                              "figures on landscape pages)"},
    {OPT_HELP, "help", 'h', NULL, "show this help and exit"},
};

#define NOPTIONS (sizeof report_options / sizeof report_options[0])

typedef struct report_args {
    const char *out, *previous;
    bool no_figures, pdf, help;
} report_args;

static evs_status on_option(int id, const char *value, void *ctx, evs_error *err)
{
    report_args *a = ctx;
    (void)err;
    switch (id) {
    case OPT_OUT:
        a->out = value;
        break;
    case OPT_PREVIOUS:
        a->previous = value;
        break;
    case OPT_NO_FIGURES:
        a->no_figures = true;
        break;
    case OPT_PDF:
        a->pdf = true;
        break;
    default:
        a->help = true;
    }
    return EVS_OK;
}

static void report_help(FILE *out)
{
    fprintf(out,
            "Usage: evsynth report [--out DIR] [--previous FILE] [--no-figures] [--pdf]\n"
            "                      [REVIEW_DIR]\n\n"
            "Analyse a review folder (default data/sacroplasty) and write its evidence\n"
            "summary: report.md, report.html (figures inline), results.json (every number,\n"
            "setting and input digest), summary_of_findings.csv, studies.csv and\n"
            "criteria.csv, and the figures as PNG and SVG (forest plots, cumulative\n"
            "meta-analyses, funnel plots, pain over time) drawn with gnuplot.  The\n"
            "folder is written complete beside the old one and switched in one step: a\n"
            "reader sees the old report or the new one, never a mix.\n\n"
            "Options:\n");
    evs_options_help(out, report_options, NOPTIONS);
    fprintf(out, "\nExit status: 0 done, 1 problems in the review folder, 2 usage error, 3 a\n"
                 "file cannot be read or written, 4 report written without figures (gnuplot\n"
                 "missing or failed) or, with --pdf, without the PDF (chromium missing or\n"
                 "failed).\n");
}

/* ---------------------------------------------------------------------------
 * evsynth report
 */

const evs_command_line evs_report_line = {"report", report_options, NOPTIONS, on_option,
                                          report_help, 0, 1, "review folder"};

int evs_cmd_report(int argc, char **argv)
{
    report_args a = {0};
    int nops;
    int start = evs_command_start(&evs_report_line, argc, argv, &a, &a.help, &nops);
    if (start >= 0)
        return start;
    evs_report_request req = {.review_dir = nops == 1 ? argv[0] : "data/sacroplasty",
                              .out = a.out,
                              .previous = a.previous,
                              .figures = !a.no_figures,
                              .pdf = a.pdf};
    return evs_report_run(&req);
}

/* ---------------------------------------------------------------------------
 * evsynth diff
 */

static const evs_option diff_options[] = {
    {OPT_HELP, "help", 'h', NULL, "show this help and exit"},
};

static evs_status on_diff_option(int id, const char *value, void *ctx, evs_error *err)
{
    (void)id;
    (void)value;
    (void)err;
    *(bool *)ctx = true;
    return EVS_OK;
}

static void diff_help(FILE *out)
{
    fprintf(out, "Usage: evsynth diff OLD.json NEW.json\n\n"
                 "Print what changed between two versions of one review (results.json of\n"
                 "evsynth report), as Markdown: the input files that changed, studies added or\n"
                 "removed, pooled estimates, CIs and certainty, the update signals with their\n"
                 "numbers (a new randomised or controlled study, one larger than all before,\n"
                 "a CI crossing no effect or the MCID, a change of 50%% or more, certainty,\n"
                 "a harm above its threshold, regulatory status, criteria, the conclusion)\n"
                 "and the update status.  Results of two different reviews are refused.\n\n"
                 "Options:\n");
    evs_options_help(out, diff_options, 1);
    fprintf(out, "\nExit status: 0 done, 1 a file is not a results.json, 2 usage error, 3 a\n"
                 "file cannot be read.\n");
}

const evs_command_line evs_diff_line = {"diff", diff_options, 1, on_diff_option, diff_help,
                                        2, 2, "results.json file"};

int evs_cmd_diff(int argc, char **argv)
{
    bool help = false;
    int nops;
    int start = evs_command_start(&evs_diff_line, argc, argv, &help, &help, &nops);
    if (start >= 0)
        return start;
    evs_error err;
    evs_error_clear(&err);
    json_t *old = evs_results_load(argv[0], &err),
           *new = old ? evs_results_load(argv[1], &err) : NULL;
    char old_sha[65] = "", why[400];
    if (new != NULL && !evs_report_same_review(old, new, why, sizeof why)) {
        evs_error_set(&err, EVS_EDATA, 0, 0, "%s and %s: %s", argv[0], argv[1], why);
        json_decref(new);
        new = NULL;
    }
    if (new != NULL && evs_input_sha256(argv[0], old_sha, &err) != EVS_OK) {
        json_decref(new);
        new = NULL;
    }
    if (new == NULL) {
        json_decref(old);
        return evs_report_error("diff", &err);
    }
    evs_doc d;
    evs_doc_init(&d);
    evs_doc_heading(&d, 2, "What changed since the last review");
    evs_report_diff(old, new, old_sha, 3, &d);
    evs_buf out;
    evs_buf_init(&out);
    evs_doc_markdown(&d, ".", &out);
    int status = 0;
    if (out.failed || d.failed || fwrite(out.data, 1, out.len, stdout) != out.len) {
        evs_error_set(&err, EVS_EIO, 0, 0, "cannot write the output");
        status = evs_report_error("diff", &err);
    }
    evs_buf_free(&out);
    evs_doc_free(&d);
    json_decref(old);
    json_decref(new);
    return status;
}
