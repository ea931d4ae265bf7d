/*
 * cmd_gosh.c -- "evsynth gosh": the model fitted to every subset of the
 * studies (or a seeded random sample of subsets), written as a compact
 * binary file or CSV, summarised, and plotted with gnuplot.
 *
 * Binary file (native byte order, little-endian on x86-64 and ARM):
 *   header, 32 bytes: "EVSGOSH1", uint32 k, uint32 0, uint64 subsets, uint64 0
 *   per subset, 40 bytes: uint64 mask (bit j: study j of the file's rows in
 *   the fit), double estimate, double I2, double tau2, double QE; estimate,
 *   I2 and tau2 are NaN where the tau^2 iterations did not converge
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "evsynth/gosh.h"
#include "evsynth/meta.h"
#include "io/atomic.h"
#include "io/files.h"
#include "io/gnuplot.h"
#include "io/image_check.h"
#include "io/numparse.h"
#include "io/studies_io.h"
#include "io/table.h"
#include "report/gnuplot_script.h"
#include "report/gosh_plot.h"
#include "report/meta_json.h"
#include "report/numfmt.h"

enum {
    OPT_MEASURE, OPT_METHOD, OPT_SUBSETS, OPT_ALL, OPT_SEED, OPT_OUT, OPT_CSV, OPT_PLOT,
    OPT_SUMMARY, OPT_JSON, OPT_THREADS, OPT_HELP
};

static const evs_option gosh_options[] = {
    {OPT_MEASURE, "measure", 0, "M", "effect measure (default GEN)"},
    {OPT_METHOD, "method", 0, "T", "tau^2 estimator, or FE (default REML)"},
    {OPT_SUBSETS, "subsets", 0, "N", "fit N random subsets (default: every subset when there\n"
                                     "are at most 10^6, else 10^6 random ones)"},
    {OPT_ALL, "all", 0, NULL, "fit every subset (up to 30 studies)"},
    {OPT_SEED, "seed", 0, "S", "seed of the random subsets (default 1)"},
    {OPT_OUT, "out", 'o', "FILE", "write every subset's results (binary; see --csv)"},
    {OPT_CSV, "csv", 0, NULL, "write --out as CSV instead"},
    {OPT_PLOT, "plot", 0, "FILE", "draw the GOSH plot (estimate against I^2) with gnuplot,\n"
                                  "as PNG or SVG by the name's extension (.png, .svg)"},
    {OPT_SUMMARY, "summary", 0, NULL, "print the summary (the default without --out or --plot)"},
    {OPT_JSON, "json", 0, NULL, "print the summary as JSON"},
    {OPT_THREADS, "threads", 'j', "N", "fit every subset on N threads (default 1); the\n"
                                       "results are the same"},
    {OPT_HELP, "help", 'h', NULL, "show this help and exit"},
};

#define NOPTIONS (sizeof gosh_options / sizeof gosh_options[0])
#define DEFAULT_LIMIT 1000000u

typedef struct gosh_args {
    evs_measure measure;
    evs_fit_options fit;
    unsigned long subsets, seed;
    bool all, csv, summary, json, help;
    unsigned threads;
    const char *out, *plot;
} gosh_args;

static evs_status on_option(int id, const char *value, void *ctx, evs_error *err)
{
    gosh_args *a = ctx;
    double x;
    switch (id) {
    case OPT_MEASURE:
        return evs_option_measure(value, &a->measure, err);
    case OPT_METHOD:
        return evs_option_method(value, &a->fit.method, err);
    case OPT_SUBSETS:
        if (evs_parse_number(value, &x) != EVS_NUM_OK || !evs_is_whole(x) || x < 1 || x > 1e10)
            return evs_error_set(err, EVS_EINVAL, 0, 0,
                                 "invalid number of subsets '%s' (expected 1 to 1e10)", value);
        a->subsets = (unsigned long)x;
        break;
    case OPT_SEED:
        if (evs_parse_number(value, &x) != EVS_NUM_OK || !evs_is_whole(x) || x < 0 ||
            x > 4294967295.0)
            return evs_error_set(err, EVS_EINVAL, 0, 0,
                                 "invalid seed '%s' (expected 0 to 4294967295)", value);
        a->seed = (unsigned long)x;
        break;
    case OPT_ALL:
        a->all = true;
        break;
    case OPT_OUT:
        a->out = value;
        break;
    case OPT_CSV:
        a->csv = true;
        break;
    case OPT_PLOT:
        a->plot = value;
        break;
    case OPT_SUMMARY:
        a->summary = true;
        break;
    case OPT_JSON:
        a->json = a->summary = true;
        break;
    case OPT_THREADS:
        return evs_option_threads(value, &a->threads, err);
    case OPT_HELP:
        a->help = true;
        break;
    }
    return EVS_OK;
}

static void gosh_help(FILE *out)
{
    fprintf(out,
            "Usage: evsynth gosh [--measure M] [--method T] [--subsets N | --all] [--seed S]\n"
            "                    [--out FILE [--csv]] [--plot FILE.png|.svg] [--summary] [--json]\n"
            "                    [--threads N]\n"
            "                    FILE.csv\n\n"
            "Fit the model to every subset of the studies in FILE.csv, or to a seeded\n"
            "random sample of subsets (GOSH: Olkin, Dahabreh and Trikalinos 2012), and\n"
            "summarise, write or plot the estimates and I^2 of the subsets.\n\nOptions:\n");
    evs_options_help(out, gosh_options, NOPTIONS);
}

/* What the subsets are written to and summarised in. */
typedef struct sink {
    FILE *bin, *csv; /* outputs (either may be NULL) */
    uint64_t total;
    evs_gosh_summary sum;
    bool progress;
    uint64_t next_report;
    bool write_failed;
    int write_errno; /* errno of the first failed write */
} sink;

static int on_subset(const evs_gosh_subset *s, void *ctx)
{
    sink *k = ctx;
    evs_gosh_summary_add(&k->sum, s);
    if (k->bin) {
        uint64_t mask = s->mask;
        double rec[4] = {s->estimate, s->I2, s->tau2, s->QE};
        if (fwrite(&mask, sizeof mask, 1, k->bin) != 1 || fwrite(rec, sizeof rec, 1, k->bin) != 1)
            k->write_failed = true;
    }
    if (k->write_failed && k->write_errno == 0)
        k->write_errno = errno ? errno : EIO;
    if (k->csv && fprintf(k->csv, "%llu,%zu,%s,%.17g,%.17g,%.17g,%.17g\n",
                          (unsigned long long)s->mask, s->k, s->converged ? "true" : "false",
                          s->estimate, s->I2, s->tau2, s->QE) < 0)
        k->write_failed = true;
    if (k->write_failed && k->write_errno == 0)
        k->write_errno = errno ? errno : EIO;
    uint64_t n = k->sum.subsets;
    if (k->progress && n >= k->next_report) {
        fprintf(stderr, "\rGOSH: %3.0f%% (%llu of %llu subsets)",
                100.0 * (double)n / (double)k->total, (unsigned long long)n,
                (unsigned long long)k->total);
        k->next_report += k->total / 100 + 1;
    }
    return k->write_failed ? 1 : 0;
}

static void print_summary(const evs_gosh_summary *s, const evs_meta *meta, bool sampled,
                          bool json, evs_method method)
{
    size_t k = meta->k;
    uint64_t ok = s->subsets - s->not_converged;
    double est_mean = evs_gosh_summary_mean(s, EVS_GOSH_ESTIMATE);
    double i2_mean = evs_gosh_summary_mean(s, EVS_GOSH_I2);
    if (json) {
        json_t *o = json_object(), *studies = json_array();
        json_object_set_new(o, "k", json_integer((json_int_t)k));
        json_object_set_new(o, "method", json_string(evs_method_name(method)));
        json_object_set_new(o, "subsets", json_integer((json_int_t)s->subsets));
        json_object_set_new(o, "sampled", json_boolean(sampled));
        json_object_set_new(o, "not_converged", json_integer((json_int_t)s->not_converged));
        json_object_set_new(o, "estimate_mean", evs_json_number(est_mean));
        json_object_set_new(o, "estimate_min", evs_json_number(ok ? s->estimate_min : (double)NAN));
        json_object_set_new(o, "estimate_max", evs_json_number(ok ? s->estimate_max : (double)NAN));
        json_object_set_new(o, "I2_mean", evs_json_number(i2_mean));
        json_object_set_new(o, "I2_min", evs_json_number(ok ? s->I2_min : (double)NAN));
        json_object_set_new(o, "I2_max", evs_json_number(ok ? s->I2_max : (double)NAN));
        for (size_t j = 0; j < k; j++) {
            json_t *r = json_object();
            char buf[EVS_LABEL_DEFAULT_MAX];
            json_object_set_new(r, "study", json_string(evs_meta_label(meta, j, buf)));
            json_object_set_new(r, "subsets_with", json_integer((json_int_t)s->with_n[j]));
            json_object_set_new(r, "estimate_with", evs_json_number(evs_gosh_summary_mean_study(s, j, true, EVS_GOSH_ESTIMATE)));
            json_object_set_new(r, "estimate_without",
                                evs_json_number(evs_gosh_summary_mean_study(s, j, false, EVS_GOSH_ESTIMATE)));
            json_object_set_new(r, "I2_with", evs_json_number(evs_gosh_summary_mean_study(s, j, true, EVS_GOSH_I2)));
            json_object_set_new(r, "I2_without", evs_json_number(evs_gosh_summary_mean_study(s, j, false, EVS_GOSH_I2)));
            json_array_append_new(studies, r);
        }
        json_object_set_new(o, "studies", studies);
        evs_json_dump(o, stdout, true);
        json_decref(o);
        return;
    }
    printf("GOSH: %llu %s of %zu studies (%s)\n", (unsigned long long)s->subsets,
           sampled ? "random subsets" : "subsets (all)", k, evs_method_name(method));
    if (s->not_converged > 0)
        printf("  %llu subsets left out: their tau^2 iterations did not converge\n",
               (unsigned long long)s->not_converged);
    if (ok == 0)
        return;
    printf("  estimate: mean %.4f, from %.4f to %.4f\n", est_mean, s->estimate_min,
           s->estimate_max);
    printf("  I^2:      mean %.2f%%, from %.2f%% to %.2f%%\n", i2_mean, s->I2_min, s->I2_max);
    int w = 5;
    for (size_t j = 0; j < k; j++) {
        char buf[EVS_LABEL_DEFAULT_MAX];
        size_t len = strlen(evs_meta_label(meta, j, buf));
        if (len > (size_t)w)
            w = len > 32 ? 32 : (int)len;
    }
    printf("\nMean over the subsets with and without each study:\n"
           "  %-*s %10s %10s %9s %9s\n",
           w, "study", "est.with", "est.w/o", "I^2.with", "I^2.w/o");
    for (size_t j = 0; j < k; j++) {
        char buf[EVS_LABEL_DEFAULT_MAX];
        printf("  %-*.*s %10.4f %10.4f %8.2f%% %8.2f%%\n", w, w, evs_meta_label(meta, j, buf),
               evs_gosh_summary_mean_study(s, j, true, EVS_GOSH_ESTIMATE), evs_gosh_summary_mean_study(s, j, false, EVS_GOSH_ESTIMATE),
               evs_gosh_summary_mean_study(s, j, true, EVS_GOSH_I2), evs_gosh_summary_mean_study(s, j, false, EVS_GOSH_I2));
    }
}

static void write_header(FILE *fp, size_t k, uint64_t count)
{
    char magic[8] = {'E', 'V', 'S', 'G', 'O', 'S', 'H', '1'};
    uint32_t kk = (uint32_t)k, zero32 = 0;
    uint64_t zero64 = 0;
    fwrite(magic, 1, 8, fp);
    fwrite(&kk, sizeof kk, 1, fp);
    fwrite(&zero32, sizeof zero32, 1, fp);
    fwrite(&count, sizeof count, 1, fp);
    fwrite(&zero64, sizeof zero64, 1, fp);
}

/* The plot's format from its name: "png" or "svg" (any case), else NULL. */
static const char *plot_format(const char *path)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (dot == NULL || (slash != NULL && dot < slash) || strlen(dot) != 4)
        return NULL;
    char ext[4];
    for (int i = 0; i < 3; i++)
        ext[i] = (char)(dot[1 + i] >= 'A' && dot[1 + i] <= 'Z' ? dot[1 + i] - 'A' + 'a'
                                                                 : dot[1 + i]);
    ext[3] = '\0';
    return strcmp(ext, "png") == 0 ? "png" : strcmp(ext, "svg") == 0 ? "svg" : NULL;
}

/*
 * Count the subsets of the binary results file binary (the layout above)
 * into the density grid g, whose range is the converged subsets' estimates
 * (sum).  Reads in blocks; no allocation per subset.
 */
static evs_status bin_subsets(const char *binary, const evs_gosh_summary *sum, evs_gosh_grid *g,
                              evs_error *err)
{
    if (sum->subsets > sum->not_converged)
        evs_gosh_grid_init(g, sum->estimate_min, sum->estimate_max);
    else
        evs_gosh_grid_init(g, 0.0, 0.0); /* nothing converged: an empty plot */
    enum { RECORD = 40, BLOCK = 4096 };
    unsigned char *buf = malloc(RECORD * BLOCK);
    if (buf == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    FILE *fp = fopen(binary, "rb");
    if (fp == NULL || fseek(fp, 32, SEEK_SET) != 0) {
        int e = errno;
        if (fp != NULL)
            fclose(fp);
        free(buf);
        evs_error_set(err, EVS_EIO, 0, 0, "cannot read the results back: %s", strerror(e));
        evs_error_set_file(err, binary);
        return EVS_EIO;
    }
    uint64_t seen = 0;
    size_t got;
    while ((got = fread(buf, RECORD, BLOCK, fp)) > 0)
        for (size_t r = 0; r < got; r++, seen++) {
            double est, i2;
            memcpy(&est, buf + r * RECORD + 8, sizeof est);
            memcpy(&i2, buf + r * RECORD + 16, sizeof i2);
            evs_gosh_grid_add(g, est, i2);
        }
    bool bad = ferror(fp) != 0;
    fclose(fp);
    free(buf);
    if (bad || seen != sum->subsets) {
        evs_error_set(err, EVS_EIO, 0, 0, "cannot read the results back (%llu of %llu subsets)",
                      (unsigned long long)seen, (unsigned long long)sum->subsets);
        evs_error_set_file(err, binary);
        return EVS_EIO;
    }
    return EVS_OK;
}

/*
 * Draw the GOSH plot of the binary results file into path (PNG or SVG by
 * its extension) as a density of subsets (report/gosh_plot.h).  gnuplot
 * draws into the private folder tmpdir; the image is accepted only if
 * complete, then written to path by evs_atomic_write (atomically over a
 * file, in place into a FIFO or a device, never renamed over a link or a
 * device).
 */
static evs_status plot(const char *binary, const evs_gosh_summary *sum, const char *path,
                       const char *title, const char *tmpdir, evs_error *err)
{
    const char *fmt = plot_format(path);
    char drawn[4200];
    snprintf(drawn, sizeof drawn, "%s/plot.%s", tmpdir, fmt);
    evs_gosh_grid *g = malloc(sizeof *g);
    if (g == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    evs_status st = bin_subsets(binary, sum, g, err);
    if (st != EVS_OK) {
        free(g);
        return st;
    }
    evs_buf b;
    evs_buf_init(&b);
    evs_gosh_plot_script(g, drawn, strcmp(fmt, "png") == 0, title, &b);
    free(g);
    if (b.failed) {
        evs_buf_free(&b);
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    }
    evs_gnuplot_outcome how = evs_gnuplot_run(b.data, tmpdir, err);
    evs_buf_free(&b);
    if (how != EVS_GNUPLOT_OK)
        return EVS_EIO;
    char *data;
    size_t len;
    st = evs_input_read_all(drawn, EVS_FILE_READ_MAX, &data, &len, err);
    if (st == EVS_OK)
        st = evs_image_check_buffer(path, (const unsigned char *)data, len, err);
    if (st == EVS_OK)
        st = evs_atomic_write(path, data, len, err);
    if (data != NULL)
        free(data);
    remove(drawn);
    return st;
}

/* A private folder for gnuplot's files: in TMPDIR, else /tmp. */
static evs_status make_tmpdir(char *dir, size_t cap, evs_error *err)
{
    const char *base = getenv("TMPDIR");
    if (base == NULL || base[0] == '\0')
        base = "/tmp";
    snprintf(dir, cap, "%s/evsynth-gosh-XXXXXX", base);
    if (mkdtemp(dir) == NULL) {
        int e = errno;
        dir[0] = '\0';
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot create a temporary folder in %s: %s",
                             base, strerror(e));
    }
    return EVS_OK;
}

/* Fit the subsets of the meta's studies, write and plot; returns the exit status. */
static int run(const gosh_args *a, const evs_meta *meta)
{
    evs_error err;
    evs_error_clear(&err);
    int status = 0;
    evs_atomic out = {0};
    bool out_open = false;
    char tmpdir[4200] = "", tmpbin[4300] = "";
    FILE *tmpbin_fp = NULL;
    evs_status fitted;
    size_t k = meta->k;
    evs_gosh_options go = {.fit = a->fit, .seed = a->seed, .threads = a->threads};
    double every = k >= 63 ? HUGE_VAL : ldexp(1, (int)k) - 1;
    if (a->all) {
        if (k > 30) { /* a property of the data, not of the command line */
            evs_error_set(&err, EVS_EDATA, 0, 0,
                          "--all fits every subset of up to 30 studies (here %zu); use "
                          "--subsets N",
                          k);
            return evs_report_error("gosh", &err);
        }
    } else if (a->subsets > 0) {
        go.samples = (double)a->subsets >= every ? 0 : a->subsets;
    } else if (every > DEFAULT_LIMIT) {
        go.samples = DEFAULT_LIMIT;
    }
    uint64_t total = evs_gosh_count(k, &go);
    sink s = {.total = total, .progress = isatty(STDERR_FILENO) && total > 200000};
    evs_gosh_summary_init(&s.sum, k, a->summary);

    if (a->plot && a->out && !a->csv && evs_atomic_is_through(a->out)) {
        /* checked before opening: a FIFO without a reader would block the open */
        evs_error_set(&err, EVS_EINVAL, 0, 0,
                      "--plot reads the results back: give --out a regular file, or leave it "
                      "out");
        return evs_report_error("gosh", &err);
    }
    if (a->out) {
        if (evs_atomic_open(&out, a->out, &err) != EVS_OK)
            return evs_report_error("gosh", &err);
        out_open = true;
        if (a->csv) {
            s.csv = out.fp;
            fprintf(s.csv, "mask,k,converged,estimate,I2,tau2,QE\n");
        } else {
            s.bin = out.fp;
            write_header(s.bin, k, total);
        }
    }
    if (a->plot) {
        if (make_tmpdir(tmpdir, sizeof tmpdir, &err) != EVS_OK) {
            status = evs_report_error("gosh", &err);
            goto done;
        }
    }
    if (a->plot && s.bin == NULL) {
        /* the plot reads a binary file: a temporary one in the private folder */
        snprintf(tmpbin, sizeof tmpbin, "%s/subsets.gosh", tmpdir);
        if ((tmpbin_fp = fopen(tmpbin, "wb")) == NULL) {
            evs_error_set(&err, EVS_EIO, 0, 0, "cannot write a temporary file: %s",
                          strerror(errno));
            evs_error_set_file(&err, tmpbin);
            status = evs_report_error("gosh", &err);
            goto done;
        }
        s.bin = tmpbin_fp;
        write_header(s.bin, k, total);
    }
    fitted = evs_gosh(meta->y, meta->v, k, &go, on_subset, &s, &err);
    if (fitted != EVS_OK || s.write_failed) {
        if (s.write_failed) {
            evs_error_set(&err, EVS_EIO, 0, 0, "cannot write: %s", strerror(s.write_errno));
            evs_error_set_file(&err, out_open && ferror(out.fp) ? a->out : tmpbin);
        }
        status = evs_report_error("gosh", &err);
        goto done;
    }
    if (s.progress)
        fprintf(stderr, "\rGOSH: done (%llu subsets)            \n",
                (unsigned long long)s.sum.subsets);
    if (out_open) {
        out_open = false;
        if (evs_atomic_commit(&out, &err) != EVS_OK) {
            status = evs_report_error("gosh", &err);
            goto done;
        }
    }
    if (a->plot) {
        const char *binary = tmpbin_fp == NULL ? out.path : tmpbin;
        char title[256];
        char count[EVS_NUM_TEXT];
        snprintf(title, sizeof title, "GOSH plot: %s subsets of %zu studies (%s)",
                 evs_num_count((double)s.sum.subsets, count, sizeof count), k,
                 evs_method_name(a->fit.method));
        if (tmpbin_fp != NULL && (fflush(tmpbin_fp) != 0 || ferror(tmpbin_fp))) {
            evs_error_set(&err, EVS_EIO, 0, 0, "cannot write a temporary file: %s",
                          strerror(errno));
            evs_error_set_file(&err, tmpbin);
            status = evs_report_error("gosh", &err);
            goto done;
        }
        if (plot(binary, &s.sum, a->plot, title, tmpdir, &err) != EVS_OK) {
            status = evs_report_error("gosh", &err);
            goto done;
        }
    }
    if (a->summary)
        print_summary(&s.sum, meta, go.samples > 0, a->json, a->fit.method);
done:
    if (out_open)
        evs_atomic_abort(&out);
    if (tmpbin_fp != NULL) {
        fclose(tmpbin_fp);
        remove(tmpbin);
    }
    if (tmpdir[0] != '\0')
        rmdir(tmpdir);
    return status;
}

const evs_command_line evs_gosh_line = {"gosh", gosh_options, NOPTIONS, on_option,
                                        gosh_help, 1, 1, "input file"};

int evs_cmd_gosh(int argc, char **argv)
{
    gosh_args a = {.measure = EVS_MEASURE_GEN, .seed = 1, .threads = 1};
    evs_fit_options_default(&a.fit);
    evs_error err;
    evs_error_clear(&err);
    int nops;
    int start = evs_command_start(&evs_gosh_line, argc, argv, &a, &a.help, &nops);
    if (start >= 0)
        return start;
    if (a.all && a.subsets > 0) {
        evs_error_set(&err, EVS_EINVAL, 0, 0,
                      "--all and --subsets exclude each other: every subset, or N random ones");
        return evs_report_error("gosh", &err);
    }
    if (a.csv && a.out == NULL) {
        evs_error_set(&err, EVS_EINVAL, 0, 0, "--csv needs --out FILE");
        return evs_report_error("gosh", &err);
    }
    if (a.plot && plot_format(a.plot) == NULL) {
        evs_error_set(&err, EVS_EINVAL, 0, 0,
                      "--plot %s: name the file .png or .svg (the format follows the "
                      "extension)",
                      a.plot);
        return evs_report_error("gosh", &err);
    }
    if (!a.out && !a.plot)
        a.summary = true;

    int status;
    evs_table *table = NULL;
    evs_studies *studies = NULL;
    evs_meta *meta = NULL;
    if ((table = evs_table_read(argv[0], &err)) == NULL ||
        (studies = evs_studies_from_table(table, a.measure, &err)) == NULL ||
        (meta = evs_meta_run(studies, a.measure, NULL, &a.fit, NULL, &err)) == NULL)
        status = evs_report_error("gosh", &err);
    else
        status = run(&a, meta);
    evs_meta_free(meta);
    evs_studies_free(studies);
    evs_table_free(table);
    return status;
}
