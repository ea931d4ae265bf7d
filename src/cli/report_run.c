/*
 * report_run.c -- one run of `evsynth report` (see report_run.h), in the
 * order that keeps a failed run from changing anything a reader sees:
 *
 *   1. read and check the review folder and the previous results;
 *   2. compute the synthesis and the SHA-256 of the three input files;
 *   3. open a new version of the output folder (io/outdir.h: the lock,
 *      the clean-up of a killed run, a staging folder);
 *   4. draw the figures into it with one gnuplot process and accept each
 *      only if it is a complete PNG or SVG;
 *   5. render every text file in memory (report/report_files.h) and write
 *      it into the new version; with --pdf, print the staged report.html to
 *      report.pdf with headless Chromium (io/chromium.h);
 *   6. switch the new version in, in one step.
 *
 * Any failure before 6 leaves the folder as it was; the staging folder is
 * removed.  This file only sequences the layers: the report layer renders,
 * the io layer writes and runs gnuplot.
 */
#include "cli/report_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "io/chromium.h"
#include "io/files.h"
#include "io/gnuplot.h"
#include "io/outdir.h"
#include "report/figure_svg.h"
#include "report/report_files.h"
#include "review/decisions.h"
#include "review/screening.h"
#include "review/synthesis.h"
#include "version.h"

#define MAX_INPUTS 6 /* review.ini, studies.csv, outcomes.csv and three optional logs */

typedef struct run {
    const evs_report_request *req;
    evs_review *rv;
    evs_evidence *ev;
    evs_screening_log *records;   /* records.csv, or NULL */
    evs_decision_log *decisions; /* decisions.csv, or NULL */
    evs_synthesis *syn;
    evs_prisma prisma; /* the flow of records.csv */
    json_t *previous;
    char prev_path[4200];
    char previous_sha256[65];
    char out[4200];  /* the output folder */
    char link[4200]; /* plots/ID in the default layout, else "" */
    const char *input_names[MAX_INPUTS];
    evs_input_digest inputs[MAX_INPUTS];
    size_t ninputs;
    evs_figure_list figs;
    bool figures_ok;
    char figures_error[EVS_ERROR_MESSAGE_MAX + 64];
    bool pdf_ok;      /* --pdf asked for and report.pdf made */
    char pdf_error[EVS_ERROR_MESSAGE_MAX + 64]; /* why --pdf gave no PDF, or "" */
    evs_outdir *od;
    evs_report_files files;
    bool rendered;
    evs_error err;
} run;

static int fail(run *r)
{
    return evs_report_error("report", &r->err);
}

static int oom(run *r)
{
    evs_error_set(&r->err, EVS_ENOMEM, 0, 0, "out of memory");
    return fail(r);
}

json_t *evs_results_load(const char *path, evs_error *err)
{
    char *data;
    size_t len;
    if (evs_input_read_all(path, EVS_FILE_READ_MAX, &data, &len, err) != EVS_OK)
        return NULL;
    json_error_t je;
    json_t *j = json_loadb(data, len, 0, &je);
    free(data);
    if (j == NULL || !json_is_object(j) || !json_is_array(json_object_get(j, "analyses"))) {
        if (j == NULL)
            evs_error_set(err, EVS_EDATA, je.line > 0 ? je.line : 1, je.column > 0 ? je.column : 1,
                          "not a results.json file (the JSON is invalid here)");
        else
            evs_error_set(err, EVS_EDATA, 1, 1, "not a results.json written by evsynth report");
        evs_error_set_file(err, path);
        json_decref(j);
        return NULL;
    }
    return j;
}

/* The previous review's results: this review's, read and digested. */
static int read_previous(run *r)
{
    const char *dir = r->req->review_dir;
    if (r->req->previous != NULL) {
        snprintf(r->prev_path, sizeof r->prev_path, "%s", r->req->previous);
    } else if (r->rv->previous != NULL &&
               evs_path_inside(dir, r->rv->previous, r->prev_path, sizeof r->prev_path,
                               &r->err) != EVS_OK) {
        char where[4200];
        snprintf(where, sizeof where, "%s/review.ini: previous", dir);
        evs_error_set_file(&r->err, where);
        return fail(r);
    }
    if (r->prev_path[0] == '\0')
        return 0;
    if ((r->previous = evs_results_load(r->prev_path, &r->err)) == NULL ||
        evs_input_sha256(r->prev_path, r->previous_sha256, &r->err) != EVS_OK)
        return fail(r);
    const char *id =
        json_string_value(json_object_get(json_object_get(r->previous, "review"), "id"));
    if (id == NULL || strcmp(id, r->rv->id) != 0) {
        evs_error_set(&r->err, EVS_EDATA, 0, 0,
                      "the results of review \"%s\", not of \"%s\": give the previous "
                      "results of this review; nothing written",
                      id ? id : "(no id)", r->rv->id);
        evs_error_set_file(&r->err, r->prev_path);
        return fail(r);
    }
    return 0;
}

/* 1 and 2: the review and its logs, the previous results, the synthesis, the digests. */
static int read_inputs(run *r)
{
    const char *dir = r->req->review_dir;
    int loaded = evs_load_review_logs(dir, "; nothing written", &r->rv, &r->ev, &r->records,
                                      &r->decisions);
    if (loaded != 0)
        return loaded;
    int st = read_previous(r);
    if (st != 0)
        return st;
    if ((r->syn = evs_synthesize(r->rv, r->ev, &r->err)) == NULL)
        return fail(r);
    if (r->records != NULL) {
        const char *reasons[EVS_PRISMA_MAX_REASONS];
        size_t nreasons = 0;
        for (size_t i = 0; i < r->rv->nreasons && nreasons < EVS_PRISMA_MAX_REASONS; i++)
            reasons[nreasons++] = r->rv->reasons[i].id;
        if (evs_prisma_count(r->records, r->ev, r->rv->literature_search, reasons, nreasons,
                             &r->prisma) != EVS_OK)
            return oom(r);
    }
    /* The inputs whose digests go into results.json: the logs when the folder has them. */
    r->input_names[r->ninputs++] = "review.ini";
    r->input_names[r->ninputs++] = "studies.csv";
    r->input_names[r->ninputs++] = "outcomes.csv";
    if (r->records != NULL)
        r->input_names[r->ninputs++] = "records.csv";
    if (r->decisions != NULL)
        r->input_names[r->ninputs++] = "decisions.csv";
    if (r->ev->appraisal != NULL)
        r->input_names[r->ninputs++] = "appraisal.csv";
    for (size_t i = 0; i < r->ninputs; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, r->input_names[i]);
        r->inputs[i].name = r->input_names[i];
        if (evs_input_sha256(path, r->inputs[i].sha256, &r->err) != EVS_OK)
            return fail(r);
    }
    return 0;
}

/* 3: where the outputs go, kept apart from the inputs; the new version. */
static int open_output(run *r)
{
    if (r->req->out != NULL) {
        snprintf(r->out, sizeof r->out, "%s", r->req->out);
    } else {
        snprintf(r->out, sizeof r->out, "reports/%s", r->rv->id);
        snprintf(r->link, sizeof r->link, "plots/%s", r->rv->id);
    }
    if (evs_outdir_check_apart(r->out, r->req->review_dir, &r->err) != EVS_OK ||
        (r->link[0] != '\0' &&
         evs_outdir_check_apart(r->link, r->req->review_dir, &r->err) != EVS_OK))
        return fail(r);
    if (evs_outdir_begin(r->out, &r->od, &r->err) != EVS_OK)
        return fail(r);
    return 0;
}

/*
 * A figure's SVG made fit to show (report/figure_svg.h: fonts, ids, title),
 * in memory for the HTML and in its file in the new version.
 */
static int finish_svg(run *r, evs_figure *f, const char *rel)
{
    evs_buf b;
    evs_buf_init(&b);
    evs_figure_svg(f->svg, f->name, f->caption, &b);
    if (b.failed) {
        evs_buf_free(&b);
        return oom(r);
    }
    if (evs_outdir_write(r->od, rel, b.data, b.len, &r->err) != EVS_OK) {
        evs_buf_free(&b);
        return fail(r);
    }
    free(f->svg);
    f->svg = b.data; /* taken from the buffer */
    return 0;
}

/* 4: the figures, drawn into the new version and checked. */
static int draw_figures(run *r)
{
    if (evs_report_figures(r->syn, &r->figs) != EVS_OK ||
        (r->records != NULL && evs_report_figures_add_prisma(&r->figs) != EVS_OK))
        return oom(r);
    if (!r->req->figures) {
        snprintf(r->figures_error, sizeof r->figures_error, "not drawn (--no-figures)");
        return 0;
    }
    r->figures_ok = true;
    if (r->figs.n == 0)
        return 0;
    if (evs_outdir_mkdir(r->od, "figures", &r->err) != EVS_OK)
        return fail(r);
    char dir[4300];
    snprintf(dir, sizeof dir, "%s/figures", evs_outdir_staging(r->od));
    evs_buf script;
    evs_buf_init(&script);
    evs_report_plot_script(r->syn, &r->figs, dir, &script);
    if (r->records != NULL)
        evs_report_prisma_script(&r->prisma, r->rv, dir, "prisma_flow", &script);
    if (script.failed) {
        evs_buf_free(&script);
        return oom(r);
    }
    evs_error gerr;
    evs_error_clear(&gerr);
    evs_gnuplot_outcome how = evs_gnuplot_run(script.data, evs_outdir_staging(r->od), &gerr);
    evs_buf_free(&script);
    if (how == EVS_GNUPLOT_MISSING || how == EVS_GNUPLOT_FAILED) {
        /* The text is still worth having: it says that the figures are missing. */
        r->figures_ok = false;
        snprintf(r->figures_error, sizeof r->figures_error, "gnuplot failed: %s", gerr.message);
        fprintf(stderr, "evsynth report: figures missing: %s\n", gerr.message);
        if (evs_outdir_discard(r->od, "figures", &r->err) != EVS_OK)
            return fail(r);
        return 0;
    }
    if (how != EVS_GNUPLOT_OK) {
        /* killed, or not started: nothing is replaced */
        r->err = gerr;
        return fail(r);
    }
    for (size_t i = 0; i < r->figs.n; i++) {
        evs_figure *f = &r->figs.items[i];
        char png[200], svg[200];
        snprintf(png, sizeof png, "figures/%s.png", f->name);
        snprintf(svg, sizeof svg, "figures/%s.svg", f->name);
        if (evs_outdir_adopt(r->od, png, NULL, &r->err) != EVS_OK ||
            evs_outdir_adopt(r->od, svg, &f->svg, &r->err) != EVS_OK)
            return fail(r);
        int st = finish_svg(r, f, svg);
        if (st != 0)
            return st;
    }
    return 0;
}

/* 5: every text file, rendered in memory, then written into the new version. */
static int write_files(run *r)
{
    evs_report_info info = {.version = EVS_VERSION,
                            .inputs = r->inputs,
                            .ninputs = r->ninputs,
                            .figures = r->figures_ok,
                            .figures_error = r->figures_ok ? NULL : r->figures_error,
                            .previous = r->previous,
                            .previous_sha256 = r->previous ? r->previous_sha256 : NULL,
                            .prisma = r->records ? &r->prisma : NULL,
                            .decisions = r->decisions,
                            .pdf_error = r->pdf_error[0] ? r->pdf_error : NULL};
    char title[600];
    snprintf(title, sizeof title, "%s: evidence summary", r->rv->title);
    if (evs_report_render(r->syn, &info, &r->figs, title, &r->files) != EVS_OK)
        return oom(r);
    r->rendered = true;
    for (size_t i = 0; i < EVS_REPORT_NFILES; i++) {
        const evs_buf *b = &r->files.file[i];
        if (evs_outdir_write(r->od, evs_report_file_names[i], b->data ? b->data : "", b->len,
                             &r->err) != EVS_OK)
            return fail(r);
    }
    return 0;
}

/*
 * 5, with --pdf: the staged report.html printed to report.pdf in the new
 * version.  Chromium writes into a scratch folder of the staging folder,
 * removed afterwards; the PDF is read back and written like the other
 * files.  A PDF that cannot be made is not an error of the run: the report
 * is written without it, says so, and the exit status is 4.
 */
#define PDF_SCRATCH ".evsynth-pdf" /* a leftover name (io/outdir.c) if a run is killed */

static int make_pdf(run *r)
{
    if (!r->req->pdf || r->pdf_error[0] != '\0')
        return 0;
    const char *staging = evs_outdir_staging(r->od);
    char scratch[4300], html[4300], pdf[4400];
    snprintf(scratch, sizeof scratch, "%s/" PDF_SCRATCH, staging);
    snprintf(html, sizeof html, "%s/report.html", staging);
    snprintf(pdf, sizeof pdf, "%s/report.pdf", scratch);
    if (evs_outdir_mkdir(r->od, PDF_SCRATCH, &r->err) != EVS_OK)
        return fail(r);
    evs_error perr;
    evs_error_clear(&perr);
    const char *date = r->rv->review_date ? r->rv->review_date : r->rv->evidence_assembled;
    char *data = NULL;
    size_t len = 0;
    evs_status st = evs_chromium_pdf(html, pdf, scratch, date, &perr);
    if (st == EVS_OK)
        st = evs_input_read_all(pdf, EVS_FILE_READ_MAX, &data, &len, &perr);
    if (evs_outdir_discard(r->od, PDF_SCRATCH, &r->err) != EVS_OK) {
        free(data);
        return fail(r);
    }
    if (st != EVS_OK) {
        free(data);
        snprintf(r->pdf_error, sizeof r->pdf_error, "%s", perr.message);
        fprintf(stderr, "evsynth report: PDF missing: %s\n", r->pdf_error);
        return 0;
    }
    st = evs_outdir_write(r->od, "report.pdf", data, len, &r->err);
    free(data);
    if (st != EVS_OK)
        return fail(r);
    r->pdf_ok = true;
    return 0;
}

/* 6: the switch, the link of the default layout, and what was done. */
static int commit(run *r)
{
    if (evs_outdir_commit(r->od, &r->err) != EVS_OK)
        return fail(r);
    if (evs_outdir_warning(r->od)[0] != '\0')
        fprintf(stderr, "evsynth report: warning: %s\n", evs_outdir_warning(r->od));
    if (r->link[0] != '\0') {
        char target[4300];
        snprintf(target, sizeof target, "../reports/%s/figures", r->rv->id);
        evs_error lerr;
        evs_error_clear(&lerr);
        if (evs_outdir_link(r->link, target, &lerr) != EVS_OK)
            fprintf(stderr, "evsynth report: warning: %s\n", lerr.message);
    }
    fprintf(stderr,
            "evsynth report: %s: %s\n  report:  %s/report.md, report.html, results.json, "
            "*.csv\n",
            r->rv->id, r->syn->criteria.investigational ? "investigational" : "not investigational",
            r->out);
    if (r->figures_ok)
        fprintf(stderr, "  figures: %s/figures/ (%zu, PNG and SVG)%s%s\n", r->out, r->figs.n,
                r->link[0] ? "; also " : "", r->link);
    else
        fprintf(stderr, "  figures: none (%s)\n", r->figures_error);
    if (r->pdf_ok)
        fprintf(stderr, "  PDF:     %s/report.pdf\n", r->out);
    if (r->req->pdf && !r->pdf_ok)
        return EVS_EXIT_NO_FIGURES;
    return r->figures_ok || !r->req->figures ? 0 : EVS_EXIT_NO_FIGURES;
}

int evs_report_run(const evs_report_request *req)
{
    run r = {.req = req};
    evs_error_clear(&r.err);
    /* --pdf without chromium: known before the report is rendered, so that it says so */
    if (req->pdf && !evs_chromium_available()) {
        snprintf(r.pdf_error, sizeof r.pdf_error,
                 "chromium was not found on PATH (install chromium)");
        fprintf(stderr, "evsynth report: PDF missing: %s\n", r.pdf_error);
    }
    int status = read_inputs(&r);
    if (status == 0)
        status = open_output(&r);
    if (status == 0)
        status = draw_figures(&r);
    if (status == 0)
        status = write_files(&r);
    if (status == 0)
        status = make_pdf(&r);
    if (status == 0)
        status = commit(&r);
    evs_outdir_free(r.od);
    if (r.rendered)
        evs_report_files_free(&r.files);
    evs_figure_list_free(&r.figs);
    json_decref(r.previous);
    evs_synthesis_free(r.syn);
    evs_screening_log_free(r.records);
    evs_decision_log_free(r.decisions);
    evs_review_free(r.rv);
    evs_evidence_free(r.ev);
    return status;
}
