/*
 * cmd_report.c -- "evsynth report": a review folder to figures and an
 * evidence summary; and "evsynth diff": what changed between two
 * results.json files.
 *
 * Order of work, so that a failed run leaves the previous outputs intact:
 * read and check the review; compute everything; draw the figures with one
 * gnuplot process into a temporary folder next to the figures; render every
 * report file in memory; only then move the figures into place (rename) and
 * write each report file through a temporary file and rename.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/options.h"
#include "io/atomic.h"
#include "io/chromium.h"
#include "io/files.h"
#include "io/gnuplot.h"
#include "io/review_io.h"
#include "review/decisions.h"
#include "review/screening.h"
#include "report/doc.h"
#include "report/figure_svg.h"
#include "report/meta_json.h"
#include "report/report.h"
#include "review/synthesis.h"
#include "version.h"

enum { OPT_OUT, OPT_PREVIOUS, OPT_NO_FIGURES, OPT_PDF, OPT_HELP };

static const evs_option report_options[] = {
    {OPT_OUT, "out", 'o', "DIR", "write the report to DIR and the figures to DIR/figures\n"
                                 "(default: reports/ID and plots/ID, ID from review.ini)"},
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
            "meta-analyses, funnel plots, pain over time) drawn with gnuplot.\n\n"
            "Options:\n");
    evs_options_help(out, report_options, NOPTIONS);
    fprintf(out, "\nExit status: 0 done, 1 problems in the review folder, 2 usage error, 3 a\n"
                 "file cannot be read or written, 4 report written without figures (gnuplot\n"
                 "missing or failed) or, with --pdf, without the PDF (chromium missing or\n"
                 "failed).\n");
}

/* ---------------------------------------------------------------------------
 * Files
 */

static evs_status make_dirs(const char *path, evs_error *err)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return evs_error_set(err, EVS_EIO, 0, 0, "path too long: %s", path);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return evs_error_set(err, EVS_EIO, 0, 0, "cannot create folder %s: %s", buf,
                                 strerror(errno));
        *p = c;
        if (c == '\0')
            break;
    }
    return EVS_OK;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    evs_buf b;
    evs_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        evs_buf_addn(&b, chunk, n);
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad || b.failed) {
        evs_buf_free(&b);
        return NULL;
    }
    if (len)
        *len = b.len;
    if (b.data == NULL)
        return strdup("");
    return b.data;
}

/* The SHA-256 of a file, as 64 hexadecimal digits (io/files.h). */
static evs_status sha256_file(const char *path, char hex[65], evs_error *err)
{
    return evs_input_sha256(path, hex, err);
}

/*
 * results.json of the previous review.  A review file may name it, so the
 * messages say where the JSON breaks but never quote what the file holds.
 */
static json_t *load_previous(const char *path, evs_error *err)
{
    char *data;
    size_t len;
    if (evs_input_read_all(path, EVS_FILE_READ_MAX, &data, &len, err) != EVS_OK)
        return NULL;
    json_error_t je;
    json_t *j = json_loadb(data, len, 0, &je);
    free(data);
    if (j == NULL || !json_is_object(j)) {
        if (j == NULL)
            evs_error_set(err, EVS_EDATA, je.line, je.column,
                          "not a results.json file (the JSON is invalid here)");
        else
            evs_error_set(err, EVS_EDATA, 1, 1, "not a results.json object");
        evs_error_set_file(err, path);
        json_decref(j);
        return NULL;
    }
    return j;
}

static evs_status digest(const char *dir, const char *name, evs_input_digest *d, evs_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    d->name = name;
    return sha256_file(path, d->sha256, err);
}

/* Remove a staging folder and what is in it (it holds only plain files). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[4400];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/*
 * The figure's SVG made fit to show (report/figure_svg.h), in memory for the
 * HTML and in its file in the staging folder.
 */
static evs_status finish_svg(evs_figure *f, const char *path, evs_error *err)
{
    evs_buf b;
    evs_buf_init(&b);
    evs_figure_svg(f->svg, f->name, f->caption, &b);
    FILE *out = b.failed ? NULL : fopen(path, "wb");
    bool ok = out != NULL && fwrite(b.data, 1, b.len, out) == b.len;
    if (out != NULL && fclose(out) != 0)
        ok = false;
    if (!ok) {
        const char *why = b.failed ? "out of memory" : strerror(errno);
        evs_buf_free(&b);
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot rewrite %s: %s", path, why);
    }
    free(f->svg);
    f->svg = b.data; /* taken from the buffer */
    return EVS_OK;
}

static const char *svg_lookup(const char *name, void *ctx)
{
    const evs_figure_list *figs = ctx;
    for (size_t i = 0; i < figs->n; i++)
        if (strcmp(figs->items[i].name, name) == 0)
            return figs->items[i].svg;
    return NULL;
}

/* ---------------------------------------------------------------------------
 * The command
 */

/* The report files, in the order of report_files[]; the PDF only with --pdf. */
enum { OUT_MD, OUT_HTML, OUT_JSON, OUT_FINDINGS, OUT_STUDIES, OUT_CRITERIA, OUT_PDF, OUT_COUNT };
static const char *const report_files[OUT_COUNT] = {
    "report.md",   "report.html", "results.json", "summary_of_findings.csv",
    "studies.csv", "criteria.csv", "report.pdf"};

/*
 * report.html printed to PDF by Chromium, into pdf: the page is written to a
 * scratch folder in the report's folder, printed there, read back, and the
 * folder removed.  date gives the PDF's dates (io/chromium.h).
 */
static evs_status make_pdf(const char *report_dir, const evs_buf *html, const char *date,
                           evs_buf *pdf, evs_error *err)
{
    char scratch[4200], html_path[4300], pdf_path[4300];
    snprintf(scratch, sizeof scratch, "%s/.evsynth-pdf-XXXXXX", report_dir);
    if (mkdtemp(scratch) == NULL)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot create a temporary folder in %s: %s",
                             report_dir, strerror(errno));
    snprintf(html_path, sizeof html_path, "%s/report.html", scratch);
    snprintf(pdf_path, sizeof pdf_path, "%s/report.pdf", scratch);
    evs_status st = evs_atomic_write(html_path, html->data, html->len, err);
    if (st == EVS_OK)
        st = evs_chromium_pdf(html_path, pdf_path, scratch, date, err);
    if (st == EVS_OK) {
        size_t len = 0;
        char *data = read_all(pdf_path, &len);
        if (data == NULL)
            st = evs_error_set(err, EVS_EIO, 0, 0, "cannot read %s: %s", pdf_path,
                               strerror(errno));
        else
            evs_buf_addn(pdf, data, len);
        free(data);
    }
    unlink(html_path);
    unlink(pdf_path);
    remove_tree(scratch);
    return st;
}

const evs_command_line evs_report_line = {"report", report_options, NOPTIONS, on_option,
                                          report_help, 0, 1, "review folder"};

int evs_cmd_report(int argc, char **argv)
{
    report_args a = {0};
    evs_error err;
    evs_error_clear(&err);
    int nops;
    int start = evs_command_start(&evs_report_line, argc, argv, &a, &a.help, &nops);
    if (start >= 0)
        return start;
    const char *dir = nops == 1 ? argv[0] : "data/sacroplasty";

    evs_review *rv = NULL;
    evs_evidence *ev = NULL;
    evs_screening_log *records = NULL;
    evs_decision_log *decisions = NULL;
    int loaded = evs_load_review_logs(dir, "; nothing written", &rv, &ev, &records, &decisions);
    if (loaded != 0)
        return loaded;

    evs_synthesis *syn = NULL;
    json_t *previous = NULL, *results = NULL;
    char report_dir[4096], plot_dir[4096], fig_rel[4200], stage[4200] = "";
    char prev_path[4200] = "";
    evs_figure_list figs = {0};
    evs_doc doc;
    evs_doc_init(&doc);
    evs_buf outs[OUT_COUNT];
    for (size_t i = 0; i < OUT_COUNT; i++)
        evs_buf_init(&outs[i]);
    int status = 0;
    /* The inputs whose digests go into results.json: the logs when the folder has them. */
    const char *input_names[6] = {"review.ini", "studies.csv", "outcomes.csv"};
    size_t ninputs = 3;
    if (records != NULL)
        input_names[ninputs++] = "records.csv";
    if (decisions != NULL)
        input_names[ninputs++] = "decisions.csv";
    if (ev->appraisal != NULL)
        input_names[ninputs++] = "appraisal.csv";
    evs_input_digest inputs[6];
    char previous_sha256[65] = "";
    evs_prisma prisma;
    const char *reasons[EVS_PRISMA_MAX_REASONS];
    size_t nreasons = 0;
    bool figures_ok = false;
    char figures_error[EVS_ERROR_MESSAGE_MAX + 64] = "not drawn (--no-figures)";
    /* --pdf without chromium: known before the report is written, so it says so */
    bool pdf = a.pdf && evs_chromium_available();
    char pdf_error[EVS_ERROR_MESSAGE_MAX + 64] = "";
    if (a.pdf && !pdf)
        snprintf(pdf_error, sizeof pdf_error,
                 "chromium was not found on PATH (install chromium)");
    evs_report_info info;
    char *json_text = NULL;
    char title[600];

    /* Where things go: paths come from the command line and the review id only. */
    if (a.out != NULL) {
        snprintf(report_dir, sizeof report_dir, "%s", a.out);
        snprintf(plot_dir, sizeof plot_dir, "%s/figures", a.out);
        snprintf(fig_rel, sizeof fig_rel, "figures");
    } else {
        snprintf(report_dir, sizeof report_dir, "reports/%s", rv->id);
        snprintf(plot_dir, sizeof plot_dir, "plots/%s", rv->id);
        snprintf(fig_rel, sizeof fig_rel, "../../plots/%s", rv->id);
    }

    /* The previous review's results */
    if (a.previous != NULL) {
        snprintf(prev_path, sizeof prev_path, "%s", a.previous);
    } else if (rv->previous != NULL &&
               evs_path_inside(dir, rv->previous, prev_path, sizeof prev_path, &err) != EVS_OK) {
        char where[4200];
        snprintf(where, sizeof where, "%s/review.ini: previous", dir);
        evs_error_set_file(&err, where);
        status = evs_report_error("report", &err);
        goto done;
    }
    if (prev_path[0] != '\0') {
        if ((previous = load_previous(prev_path, &err)) == NULL) {
            status = evs_report_error("report", &err);
            goto done;
        }
        if (sha256_file(prev_path, previous_sha256, &err) != EVS_OK) {
            status = evs_report_error("report", &err);
            goto done;
        }
        const char *prev_id =
            json_string_value(json_object_get(json_object_get(previous, "review"), "id"));
        if (prev_id == NULL || strcmp(prev_id, rv->id) != 0) {
            evs_error_set(&err, EVS_EDATA, 0, 0,
                          "the results of review \"%s\", not of \"%s\": give the previous "
                          "results of this review; nothing written",
                          prev_id ? prev_id : "(no id)", rv->id);
            evs_error_set_file(&err, prev_path);
            status = evs_report_error("report", &err);
            goto done;
        }
    }

    syn = evs_synthesize(rv, ev, &err);
    if (syn == NULL) {
        status = evs_report_error("report", &err);
        goto done;
    }
    for (size_t i = 0; i < rv->nreasons && nreasons < EVS_PRISMA_MAX_REASONS; i++)
        reasons[nreasons++] = rv->reasons[i].id;
    if (records != NULL &&
        evs_prisma_count(records, ev, rv->literature_search, reasons, nreasons, &prisma) !=
            EVS_OK) {
        evs_error_set(&err, EVS_ENOMEM, 0, 0, "out of memory");
        status = evs_report_error("report", &err);
        goto done;
    }
    for (size_t i = 0; i < ninputs; i++)
        if (digest(dir, input_names[i], &inputs[i], &err) != EVS_OK) {
            status = evs_report_error("report", &err);
            goto done;
        }
    if (make_dirs(report_dir, &err) != EVS_OK ||
        (!a.no_figures && make_dirs(plot_dir, &err) != EVS_OK)) {
        status = evs_report_error("report", &err);
        goto done;
    }

    /* Figures: one gnuplot process writing into a staging folder. */
    if (evs_report_figures(syn, &figs) != EVS_OK ||
        (records != NULL && evs_report_figures_add_prisma(&figs) != EVS_OK)) {
        evs_error_set(&err, EVS_ENOMEM, 0, 0, "out of memory");
        status = evs_report_error("report", &err);
        goto done;
    }
    if (!a.no_figures && figs.n > 0) {
        snprintf(stage, sizeof stage, "%s/.evsynth-XXXXXX", plot_dir);
        if (mkdtemp(stage) == NULL) {
            evs_error_set(&err, EVS_EIO, 0, 0, "cannot create a temporary folder in %s: %s",
                          plot_dir, strerror(errno));
            status = evs_report_error("report", &err);
            stage[0] = '\0';
            goto done;
        }
        evs_buf script;
        evs_buf_init(&script);
        evs_report_plot_script(syn, &figs, stage, &script);
        if (records != NULL)
            evs_report_prisma_script(&prisma, rv, stage, "prisma_flow", &script);
        evs_error gerr;
        evs_error_clear(&gerr);
        if (script.failed)
            evs_error_set(&gerr, EVS_ENOMEM, 0, 0, "out of memory");
        else if (evs_gnuplot_run(script.data, stage, &gerr) == EVS_OK)
            figures_ok = true;
        evs_buf_free(&script);
        for (size_t i = 0; figures_ok && i < figs.n; i++) {
            char path[4400];
            snprintf(path, sizeof path, "%s/%s.svg", stage, figs.items[i].name);
            figs.items[i].svg = read_all(path, NULL);
            if (figs.items[i].svg == NULL) {
                figures_ok = false;
                evs_error_set(&gerr, EVS_EIO, 0, 0, "gnuplot did not write %s.svg",
                              figs.items[i].name);
            } else if (finish_svg(&figs.items[i], path, &gerr) != EVS_OK) {
                figures_ok = false;
            }
        }
        if (!figures_ok) {
            snprintf(figures_error, sizeof figures_error, "gnuplot failed: %s", gerr.message);
            fprintf(stderr, "evsynth report: figures missing: %s\n", gerr.message);
            status = EVS_EXIT_NO_FIGURES;
        }
    }

    /* Every report file, in memory. */
    info = (evs_report_info){.version = EVS_VERSION,
                             .inputs = inputs,
                             .ninputs = ninputs,
                             .figures = figures_ok,
                             .figures_error = figures_ok ? NULL : figures_error,
                             .previous = previous,
                             .previous_sha256 = previous ? previous_sha256 : NULL,
                             .prisma = records ? &prisma : NULL,
                             .decisions = decisions,
                             .pdf_error = pdf_error[0] ? pdf_error : NULL};
    results = evs_report_json(syn, &info);
    json_text = results ? json_dumps(results, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    if (json_text == NULL) {
        evs_error_set(&err, EVS_ENOMEM, 0, 0, "out of memory");
        status = evs_report_error("report", &err);
        goto done;
    }
    evs_buf_add(&outs[OUT_JSON], json_text);
    evs_buf_add(&outs[OUT_JSON], "\n");
    free(json_text);
    evs_report_doc(syn, &info, &figs, results, &doc);
    evs_doc_markdown(&doc, fig_rel, &outs[OUT_MD]);
    snprintf(title, sizeof title, "%s: evidence summary", rv->title);
    evs_doc_html(&doc, title, svg_lookup, &figs, &outs[OUT_HTML]);
    evs_report_csv_findings(syn, &outs[OUT_FINDINGS]);
    evs_report_csv_studies(syn, &outs[OUT_STUDIES]);
    evs_report_csv_criteria(syn, &outs[OUT_CRITERIA]);
    for (size_t i = 0; i < OUT_COUNT; i++)
        if (outs[i].failed || doc.failed) {
            evs_error_set(&err, EVS_ENOMEM, 0, 0, "out of memory");
            status = evs_report_error("report", &err);
            goto done;
        }
    if (pdf) {
        evs_error perr;
        evs_error_clear(&perr);
        if (make_pdf(report_dir, &outs[OUT_HTML],
                     rv->review_date ? rv->review_date : rv->evidence_assembled, &outs[OUT_PDF],
                     &perr) != EVS_OK) {
            snprintf(pdf_error, sizeof pdf_error, "%s", perr.message);
            evs_buf_free(&outs[OUT_PDF]);
            pdf = false;
        }
    }
    if (a.pdf && !pdf) {
        fprintf(stderr, "evsynth report: PDF missing: %s\n", pdf_error);
        status = EVS_EXIT_NO_FIGURES;
    }

    /* Commit: figures first (renames), then each report file atomically. */
    for (size_t i = 0; figures_ok && i < figs.n; i++)
        for (int e = 0; e < 2; e++) {
            const char *ext = e == 0 ? "svg" : "png";
            char from[4400], to[4400];
            snprintf(from, sizeof from, "%s/%s.%s", stage, figs.items[i].name, ext);
            snprintf(to, sizeof to, "%s/%s.%s", plot_dir, figs.items[i].name, ext);
            if (rename(from, to) != 0) {
                evs_error_set(&err, EVS_EIO, 0, 0, "cannot move %s to %s: %s", from, to,
                              strerror(errno));
                status = evs_report_error("report", &err);
                goto done;
            }
        }
    for (size_t i = 0; i < OUT_COUNT; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", report_dir, report_files[i]);
        if (i == OUT_PDF && !pdf) {
            unlink(path); /* a PDF of an earlier run would not match this report */
            continue;
        }
        if (evs_atomic_write(path, outs[i].data, outs[i].len, &err) != EVS_OK) {
            status = evs_report_error("report", &err);
            goto done;
        }
    }
    fprintf(stderr, "evsynth report: %s: %s\n  report:  %s/report.md, report.html, results.json, "
                    "*.csv\n",
            rv->id, syn->criteria.investigational ? "investigational" : "not investigational", report_dir);
    if (figures_ok)
        fprintf(stderr, "  figures: %s/ (%zu, PNG and SVG)\n", plot_dir, figs.n);
    else
        fprintf(stderr, "  figures: none (%s)\n", figures_error);
    if (pdf)
        fprintf(stderr, "  PDF:     %s/report.pdf\n", report_dir);

done:
    if (stage[0] != '\0')
        remove_tree(stage);
    evs_figure_list_free(&figs);
    for (size_t i = 0; i < OUT_COUNT; i++)
        evs_buf_free(&outs[i]);
    evs_doc_free(&doc);
    json_decref(results);
    json_decref(previous);
    evs_synthesis_free(syn);
    evs_screening_log_free(records);
    evs_decision_log_free(decisions);
    evs_review_free(rv);
    evs_evidence_free(ev);
    return status;
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

static json_t *load(const char *path, evs_error *err)
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
            evs_error_set(err, je.line > 0 ? EVS_EDATA : EVS_EIO, je.line, je.column, "%s",
                          je.text);
        else
            evs_error_set(err, EVS_EDATA, 1, 1, "not a results.json written by evsynth report");
        evs_error_set_file(err, path);
        json_decref(j);
        return NULL;
    }
    return j;
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
    json_t *old = load(argv[0], &err), *new = old ? load(argv[1], &err) : NULL;
    char old_sha[65] = "", why[400];
    if (new != NULL && !evs_report_same_review(old, new, why, sizeof why)) {
        evs_error_set(&err, EVS_EDATA, 0, 0, "%s and %s: %s", argv[0], argv[1], why);
        json_decref(new);
        new = NULL;
    }
    if (new != NULL && sha256_file(argv[0], old_sha, &err) != EVS_OK) {
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
