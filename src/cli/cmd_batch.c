/*
 * cmd_batch.c -- "evsynth batch": many meta-analyses in one CSV, told apart
 * by an "analysis" column, each fitted as `evsynth meta` would, one output
 * row (or JSON line) per analysis in input order.
 *
 * The input is streamed: rows are read with the streaming CSV reader and
 * collected into jobs; every BATCH_JOBS analyses the jobs are fitted (on
 * --threads threads, each with its own workspace) and written, and the
 * memory is reused.  Memory therefore depends on the batch size and the
 * largest analysis, not on the number of analyses.  The rows of one
 * analysis must be contiguous: an id that comes back after another starts
 * a new analysis.
 *
 * The CSV path allocates nothing per analysis once the buffers have grown:
 * effect sizes are computed into the thread's arrays through a view of the
 * job's values, and the fit uses the thread's workspace.  Each fit is
 * independent of the others, so the output does not depend on the thread
 * count.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "evsynth/meta.h"
#include "io/csv_reader.h"
#include "io/numparse.h"
#include "report/meta_json.h"
#include "report/report.h"
#include "report/strbuf.h"

#define BATCH_JOBS 4096
#define MAX_THREADS EVS_MAX_THREADS

enum { OPT_MEASURE, OPT_METHOD, OPT_TEST, OPT_LEVEL, OPT_THREADS, OPT_JSONL, OPT_HELP };

static const evs_option batch_options[] = {
    {OPT_MEASURE, "measure", 0, "M", "effect measure (default GEN: yi and vi or sei)"},
    {OPT_METHOD, "method", 0, "T", "tau^2 estimator, or FE (default REML)"},
    {OPT_TEST, "test", 0, "T", "inference: z (default), knha, adhoc or IQWiG6"},
    {OPT_LEVEL, "level", 0, "L", "confidence level in percent (default 95)"},
    {OPT_THREADS, "threads", 'j', "N", "fit on N threads (default 1); the output is the same"},
    {OPT_JSONL, "jsonl", 0, NULL, "one JSON object per line instead of CSV"},
    {OPT_HELP, "help", 'h', NULL, "show this help and exit"},
};

#define NOPTIONS (sizeof batch_options / sizeof batch_options[0])

typedef struct batch_args {
    evs_measure measure;
    evs_fit_options fit;
    unsigned threads;
    bool jsonl, help;
} batch_args;

static evs_status on_option(int id, const char *value, void *ctx, evs_error *err)
{
    batch_args *a = ctx;
    switch (id) {
    case OPT_MEASURE:
        return evs_option_measure(value, &a->measure, err);
    case OPT_METHOD:
        return evs_option_method(value, &a->fit.method, err);
    case OPT_TEST:
        return evs_option_test(value, &a->fit.test, err);
    case OPT_LEVEL:
        return evs_option_level(value, &a->fit.level, err);
    case OPT_THREADS:
        return evs_option_threads(value, &a->threads, err);
    case OPT_JSONL:
        a->jsonl = true;
        break;
    default:
        a->help = true;
    }
    return EVS_OK;
}

static void batch_help(FILE *out)
{
    fprintf(out,
            "Usage: evsynth batch [options] FILE.csv\n\n"
            "Fit one meta-analysis per value of the 'analysis' column (the rows of an\n"
            "analysis must be contiguous; other columns as for evsynth meta) and print one\n"
            "CSV row per analysis, in input order:\n"
            "  analysis,k,estimate,se,ci_lb,ci_ub,pi_lb,pi_ub,tau2,tau2_ci_lb,tau2_ci_ub,\n"
            "  I2,H2,QE,QE_p,converged\n"
            "An analysis that cannot be fitted gets a row with empty results and\n"
            "'error: MESSAGE' in the last column; the others go on.  FILE.csv may be '-'.\n\n"
            "Options:\n");
    evs_options_help(out, batch_options, NOPTIONS);
    fprintf(out, "\nExit status: 0 every analysis fitted, 1 some could not be fitted (or the\n"
                 "file is not valid CSV), 2 usage error, 3 a file cannot be read.\n");
}

/* ---------------------------------------------------------------------------
 * Jobs
 */

typedef struct job {
    char *id;
    size_t k, first; /* rows in the batch's value pool */
    char error[EVS_ERROR_MESSAGE_MAX + EVS_ERROR_FILE_MAX + 64]; /* "" unless failed */
    evs_fit fit;
    char *json; /* --jsonl: the line */
} job;

/* Values of every job of a batch: one column per used variable, and lines. */
typedef struct pool {
    size_t n, cap;
    double *x[EVS_VAR_COUNT];
    long *line;
} pool;

typedef struct batch batch;

/* Per-thread scratch: effect sizes and the fit workspace. */
typedef struct scratch {
    evs_fit_workspace *ws;
    size_t cap;
    double *yi, *vi, *ni, *y, *v;
    bool *corrected;
    int *missing;
} scratch;

typedef struct worker {
    batch *b;
    scratch s;
    unsigned index, count;
} worker;

struct batch {
    const batch_args *args;
    char *source; /* argv, not owned */
    bool used[EVS_VAR_COUNT];
    long column[EVS_VAR_COUNT]; /* 1-based input column, 0 when absent */
    long analysis_col;
    job jobs[BATCH_JOBS];
    size_t njobs;
    pool values;
    bool header_done, any_failed;
    evs_buf out;
    worker workers[MAX_THREADS];
    pthread_t tids[MAX_THREADS];
};

static bool pool_grow(pool *p, const bool *used)
{
    if (p->n < p->cap)
        return true;
    size_t cap = p->cap ? 2 * p->cap : 4096;
    for (int v = 0; v < EVS_VAR_COUNT; v++) {
        if (!used[v])
            continue;
        double *x = realloc(p->x[v], cap * sizeof *x);
        if (x == NULL)
            return false;
        p->x[v] = x;
    }
    long *line = realloc(p->line, cap * sizeof *line);
    if (line == NULL)
        return false;
    p->line = line;
    p->cap = cap;
    return true;
}

static bool scratch_grow(scratch *s, size_t k)
{
    if (k <= s->cap)
        return true;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < k)
        cap *= 2;
    double **d[] = {&s->yi, &s->vi, &s->ni, &s->y, &s->v};
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        double *p = realloc(*d[i], cap * sizeof **d[i]);
        if (p == NULL)
            return false;
        *d[i] = p;
    }
    bool *c = realloc(s->corrected, cap * sizeof *c);
    if (c == NULL)
        return false;
    s->corrected = c;
    int *mi = realloc(s->missing, cap * sizeof *mi);
    if (mi == NULL)
        return false;
    s->missing = mi;
    s->cap = cap;
    return true;
}

static void scratch_free(scratch *s)
{
    evs_fit_workspace_free(s->ws);
    free(s->yi);
    free(s->vi);
    free(s->ni);
    free(s->y);
    free(s->v);
    free(s->corrected);
    free(s->missing);
}

static void fail_job(job *j, const evs_error *e)
{
    evs_error_format(e, j->error, sizeof j->error);
}

/* A view of the job's rows as escalc input: no copy, no allocation. */
static void job_view(const batch *b, const job *j, evs_studies *view)
{
    memset(view, 0, sizeof *view);
    view->k = j->k;
    view->source = b->source;
    view->line = b->values.line + j->first;
    for (int v = 0; v < EVS_VAR_COUNT; v++)
        if (b->used[v] && b->column[v] > 0) {
            view->x[v] = b->values.x[v] + j->first;
            view->column[v] = b->column[v];
        }
}

static void run_job(const batch *b, job *j, scratch *s)
{
    if (j->error[0] != '\0')
        return; /* a cell did not parse */
    evs_error e;
    evs_error_clear(&e);
    evs_studies view;
    job_view(b, j, &view);
    if (b->args->jsonl) {
        evs_meta *meta = evs_meta_run(&view, b->args->measure, NULL, &b->args->fit, s->ws, &e);
        if (meta == NULL) {
            fail_job(j, &e);
            return;
        }
        j->fit = meta->fit;
        j->k = meta->k;
        json_t *m = evs_meta_json(meta, false), *o = json_pack("{s:s}", "analysis", j->id);
        if (m == NULL || o == NULL || json_object_update(o, m) != 0)
            snprintf(j->error, sizeof j->error, "out of memory");
        else
            j->json = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(m);
        json_decref(o);
        evs_meta_free(meta);
        return;
    }
    if (!scratch_grow(s, j->k)) {
        snprintf(j->error, sizeof j->error, "out of memory");
        return;
    }
    evs_effects eff = {s->yi, s->vi, s->ni, s->corrected, s->missing};
    if (evs_escalc(b->args->measure, &view, NULL, &eff, &e) != EVS_OK) {
        evs_error_set_file(&e, b->source);
        fail_job(j, &e);
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < j->k; i++)
        if (s->missing[i] < 0) {
            s->y[k] = s->yi[i];
            s->v[k] = s->vi[i];
            k++;
        }
    if (k < 2) { /* the messages of evs_meta_run() */
        if (j->k == 1)
            evs_error_set(&e, EVS_EDATA, 0, 0, "only 1 study: at least 2 are needed to pool");
        else
            evs_error_set(&e, EVS_EDATA, 0, 0,
                          "only %zu of %zu rows have all the data measure %s needs (at least 2 "
                          "are needed to pool)",
                          k, j->k, evs_measure_name(b->args->measure));
        evs_error_set_file(&e, b->source);
        fail_job(j, &e);
        j->k = k;
        return;
    }
    j->k = k;
    if (evs_fit_rma(s->y, s->v, k, &b->args->fit, s->ws, &j->fit, &e) != EVS_OK)
        fail_job(j, &e);
}

static void *work(void *arg)
{
    worker *w = arg;
    for (size_t i = w->index; i < w->b->njobs; i += w->count)
        run_job(w->b, &w->b->jobs[i], &w->s);
    return NULL;
}

static void write_job(batch *b, const job *j)
{
    evs_buf *o = &b->out;
    if (b->args->jsonl && j->error[0] == '\0') {
        evs_buf_add(o, j->json);
        evs_buf_add(o, "\n");
        return;
    }
    if (b->args->jsonl) {
        json_t *e = json_pack("{s:s,s:I,s:s}", "analysis", j->id, "k", (json_int_t)j->k,
                              "error", j->error);
        char *text = e ? json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        evs_buf_add(o, text ? text : "{}");
        evs_buf_add(o, "\n");
        free(text);
        json_decref(e);
        return;
    }
    evs_csv_field(o, j->id);
    evs_buf_add(o, ",");
    evs_csv_number(o, (double)j->k);
    if (j->error[0] != '\0') {
        evs_buf_add(o, ",,,,,,,,,,,,,,");
        char msg[sizeof j->error + 16];
        snprintf(msg, sizeof msg, "error: %s", j->error);
        evs_csv_field(o, msg);
        evs_buf_add(o, "\n");
        return;
    }
    const evs_fit *f = &j->fit;
    double v[] = {f->estimate,  f->se,         f->ci_lb, f->ci_ub, f->pi_lb, f->pi_ub, f->tau2,
                  f->tau2_ci_lb, f->tau2_ci_ub, f->I2,    f->H2,    f->QE,    f->QE_p};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        evs_buf_add(o, ",");
        evs_csv_number(o, v[i]);
    }
    evs_buf_add(o, f->converged ? ",true\n" : ",false\n");
}

/* Fit and write the jobs collected so far, then reuse the memory. */
static evs_status flush(batch *b, evs_error *err)
{
    unsigned n = b->args->threads;
    if (n > b->njobs)
        n = b->njobs > 0 ? (unsigned)b->njobs : 1;
    worker *workers = b->workers;
    pthread_t *tids = b->tids;
    for (unsigned t = 0; t < n; t++) {
        worker *w = &workers[t];
        w->b = b;
        w->index = t;
        w->count = n;
        if (w->s.ws == NULL && (w->s.ws = evs_fit_workspace_alloc()) == NULL)
            return evs_error_set(err, EVS_EIO, 0, 0, "out of memory");
    }
    if (n == 1) {
        work(&workers[0]);
    } else {
        unsigned started = 0;
        for (; started < n; started++)
            if (pthread_create(&tids[started], NULL, work, &workers[started]) != 0)
                break;
        for (unsigned t = 0; t < started; t++)
            pthread_join(tids[t], NULL);
        if (started < n) /* could not start them all: do the rest here */
            for (unsigned t = started; t < n; t++)
                work(&workers[t]);
    }
    for (size_t i = 0; i < b->njobs; i++) {
        job *j = &b->jobs[i];
        write_job(b, j);
        b->any_failed |= j->error[0] != '\0';
        free(j->id);
        free(j->json);
        j->id = j->json = NULL;
        j->k = 0;
        j->error[0] = '\0';
    }
    b->njobs = 0;
    b->values.n = 0;
    if (b->out.failed)
        return evs_error_set(err, EVS_EIO, 0, 0, "out of memory");
    if (fwrite(b->out.data ? b->out.data : "", 1, b->out.len, stdout) != b->out.len)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot write the output");
    b->out.len = 0;
    return EVS_OK;
}

static evs_status on_header(batch *b, const evs_csv_record *rec, evs_error *err)
{
    b->analysis_col = -1;
    for (size_t c = 0; c < rec->nfields; c++) {
        if (strcmp(rec->field[c], "analysis") == 0)
            b->analysis_col = (long)c;
        evs_var v;
        if (evs_var_from_name(rec->field[c], &v) && evs_measure_uses(b->args->measure, v)) {
            b->used[v] = true;
            b->column[v] = (long)c + 1;
        }
    }
    if (b->analysis_col < 0)
        return evs_error_set(err, EVS_EDATA, rec->line, 0,
                             "no 'analysis' column: it tells the analyses apart");
    b->header_done = true;
    /* Printed once the input is known to be a batch file, so that a wrong
     * file gives its error and nothing on standard output. */
    if (!b->args->jsonl)
        fputs("analysis,k,estimate,se,ci_lb,ci_ub,pi_lb,pi_ub,tau2,tau2_ci_lb,tau2_ci_ub,I2,H2,"
              "QE,QE_p,converged\n",
              stdout);
    return EVS_OK;
}

static evs_status on_record(const evs_csv_record *rec, void *ctx, evs_error *err)
{
    batch *b = ctx;
    if (!b->header_done)
        return on_header(b, rec, err);
    const char *id = (size_t)b->analysis_col < rec->nfields ? rec->field[b->analysis_col] : "";
    job *j = b->njobs > 0 ? &b->jobs[b->njobs - 1] : NULL;
    if (j == NULL || strcmp(j->id, id) != 0) {
        if (b->njobs == BATCH_JOBS && flush(b, err) != EVS_OK)
            return EVS_EIO;
        j = &b->jobs[b->njobs++];
        j->id = strdup(id);
        if (j->id == NULL)
            return evs_error_set(err, EVS_EIO, 0, 0, "out of memory");
        j->first = b->values.n;
    }
    if (!pool_grow(&b->values, b->used))
        return evs_error_set(err, EVS_EIO, 0, 0, "out of memory");
    size_t r = b->values.n++;
    b->values.line[r] = rec->line;
    j->k++;
    for (int v = 0; v < EVS_VAR_COUNT; v++) {
        if (!b->used[v])
            continue;
        double *x = &b->values.x[v][r];
        *x = NAN;
        size_t c = (size_t)(b->column[v] - 1);
        if (c >= rec->nfields)
            continue;
        evs_num_status st = evs_parse_number(rec->field[c], x);
        if (st != EVS_NUM_OK && st != EVS_NUM_EMPTY && j->error[0] == '\0') {
            evs_error e;
            evs_error_clear(&e);
            evs_error_set(&e, EVS_EDATA, rec->field_line[c], (long)c + 1,
                          "%s: \"%.40s\" is not a number: %s", evs_var_name((evs_var)v),
                          rec->field[c], evs_num_status_hint(st));
            evs_error_set_file(&e, b->source);
            fail_job(j, &e);
        }
    }
    return EVS_OK;
}

int evs_cmd_batch(int argc, char **argv)
{
    static batch b; /* large: jobs for a whole batch */
    batch_args a = {.measure = EVS_MEASURE_GEN, .threads = 1};
    evs_fit_options_default(&a.fit);
    evs_error err;
    evs_error_clear(&err);
    static const evs_command_line line = {"batch", batch_options, NOPTIONS, on_option,
                                          batch_help, 1, 1, "input file"};
    int nops;
    int start = evs_command_start(&line, argc, argv, &a, &a.help, &nops);
    if (start >= 0)
        return start;
    memset(&b, 0, sizeof b);
    b.args = &a;
    b.source = argv[0];
    evs_buf_init(&b.out);
    evs_status st = evs_csv_read_file(argv[0], on_record, &b, &err);
    if (st == EVS_OK && !b.header_done)
        st = evs_error_set(&err, EVS_EDATA, 0, 0, "the file is empty: no header row");
    if (st == EVS_OK)
        st = flush(&b, &err);
    for (size_t i = 0; i < b.njobs; i++) {
        free(b.jobs[i].id);
        free(b.jobs[i].json);
    }
    for (int v = 0; v < EVS_VAR_COUNT; v++)
        free(b.values.x[v]);
    free(b.values.line);
    evs_buf_free(&b.out);
    for (unsigned t = 0; t < MAX_THREADS; t++)
        scratch_free(&b.workers[t].s);
    if (st != EVS_OK) {
        evs_error_set_file(&err, argv[0]);
        return evs_report_error("batch", &err);
    }
    return b.any_failed ? EVS_EDATA : 0;
}
