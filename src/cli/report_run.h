/*
 * report_run.h -- one run of `evsynth report`, from a review folder to a
 * switched-in report folder.
 *
 * Layout of the outputs (README "Outputs"):
 *
 *   --out DIR   DIR/report.md, report.html, results.json, *.csv, and
 *               DIR/figures/NAME.png and .svg: one folder, switched as a whole
 *   default     the same in reports/ID, with plots/ID a symbolic link to
 *               ../reports/ID/figures (ID: the review's id), so that both
 *               paths of the repository keep working and one switch
 *               replaces report and figures together
 */
#ifndef EVS_REPORT_RUN_H
#define EVS_REPORT_RUN_H

#include <stdbool.h>

#include <jansson.h>

#include "evsynth/error.h"

typedef struct evs_report_request {
    const char *review_dir; /* the review folder */
    const char *out;        /* NULL: reports/ID, with the plots/ID link */
    const char *previous;   /* results.json of the last review; NULL: review.ini's */
    bool figures;           /* false: do not run gnuplot (--no-figures) */
    bool pdf;               /* also report.pdf, printed by Chromium (--pdf) */
} evs_report_request;

/*
 * Do the run, printing its messages to standard error.  Returns the exit
 * status: 0 done, 1 problems in the review, 2 usage (an output folder that
 * overlaps the review folder), 3 a file or gnuplot's output could not be
 * written (the previous report is then untouched), 4 report written
 * without figures (gnuplot missing or failed) or, with pdf, without the
 * PDF (chromium missing or failed).
 */
int evs_report_run(const evs_report_request *req);

/*
 * A results.json of evsynth report, read and parsed: the caller's, freed
 * with json_decref; or NULL with err naming the file and, for invalid JSON,
 * the line and column (EVS_EDATA), or why it could not be read (EVS_EIO).
 * A review file may name the file (`previous`), so a message says where
 * the file breaks but never quotes what it holds.
 */
json_t *evs_results_load(const char *path, evs_error *err);

#endif
