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
 * Each analysis goes through evs_meta_fit(), the engine function behind
 * `evsynth meta`, so both accept the same data and give the same messages.
 * It allocates nothing per analysis once the buffers have grown: the job's
 * rows reach it as a view of the batch's value pool (no copy), and its
 * results live in the thread's meta workspace.  Each fit is independent of
 * the others, so the output does not depend on the thread count.
 *
 * An analysis name that comes back after other analyses is fitted again
 * as a separate analysis, with a warning on standard error; the names of
 * the last EVS_RECENT_MAX runs are remembered for that (recent.h says what
 * this guarantees), in fixed memory.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/options.h"
#include "cli/recent.h"
#include "evsynth/meta.h"
#include "evsynth/meta_models.h"
#include "io/csv_reader.h"
#include "io/numparse.h"
#include "io/studies_io.h"
#include "report/meta_json.h"
#include "report/models_text.h"
#include "report/report.h"
#include "report/strbuf.h"

#define BATCH_JOBS 4096
#define MAX_THREADS EVS_MAX_THREADS

enum {
    OPT_MEASURE, OPT_METHOD, OPT_TEST, OPT_LEVEL, OPT_THREADS, OPT_JSONL, OPT_HELP
};

static const evs_option batch_options[] = {
    {OPT_MEASURE, "measure", 0, "M", "effect measure (default GEN: yi and vi or sei)"},
    {OPT_METHOD, "method", 0, "T",
     "tau^2 estimator, FE, GLMM (PLO, OR) or MH (OR, RR, RD) (default REML)"},
    {OPT_TEST, "test", 0, "T", "inference: z (default), knha, adhoc or IQWiG6"},
    {OPT_LEVEL, "level", 0, "L", "confidence level in percent (default 95)"},
    EVS_MODEL_OPTION_ROWS,
    {OPT_THREADS, "threads", 'j', "N", "fit on N threads (default 1); the output is the same"},
    {OPT_JSONL, "jsonl", 0, NULL, "one JSON object per line instead of CSV"},
    {OPT_HELP, "help", 'h', NULL, "show this help and exit"},
};

#define NOPTIONS (sizeof batch_options / sizeof batch_options[0])

typedef struct batch_args {
    evs_measure measure;
    evs_fit_options fit;
    evs_meta_models_options models; /* --method GLMM|MH, --nagq, --bayes and its priors */
    unsigned threads;
    bool jsonl, help;
} batch_args;

static evs_status on_option(int id, const char *value, void *ctx, evs_error *err)
{
    batch_args *a = ctx;
    if (evs_option_is_model(id))
        return evs_option_model((evs_model_option)id, value, &a->models, err);
    switch (id) {
    case OPT_MEASURE:
        return evs_option_measure(value, &a->measure, err);
    case OPT_METHOD:
        return evs_option_model_method(value, &a->fit.method, &a->models, err);
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
            "Usage: evsynth batch [--measure M] [--method T] [--test T] [--level L]\n"
            "                     [--nagq N] [--bayes [--tau-prior P] [--tau-scale S]\n"
            "                     [--mu-prior-sd S] [--above C] [--interval I]]\n"
            "                     [--threads N] [--jsonl] FILE.csv\n\n"
            "Fit one meta-analysis per value of the 'analysis' column (the rows of an\n"
            "analysis must be contiguous; other columns as for evsynth meta) and print one\n"
            "CSV row per analysis, in input order:\n"
            "  analysis,k,estimate,se,ci_lb,ci_ub,pi_lb,pi_ub,tau2,tau2_ci_lb,tau2_ci_ub,\n"
            "  I2,H2,QE,QE_p,converged,error\n"
            "With --method GLMM the numbers are the binomial-normal model's (QE its\n"
            "Wald-type test), with MH the Mantel-Haenszel model's.  --bayes adds the\n"
            "columns bayes_mu_median,bayes_mu_lb,bayes_mu_ub,bayes_tau_median,\n"
            "bayes_tau_lb,bayes_tau_ub,bayes_pred_median,bayes_pred_lb,bayes_pred_ub\n"
            "(and with --above C bayes_p_mu_above,bayes_p_pred_above) before converged.\n"
            "An analysis that cannot be fitted gets a row with empty results and the\n"
            "message in the error column; the others go on.  FILE.csv may be '-'.\n\n"
            "Options:\n");
    evs_options_help(out, batch_options, NOPTIONS);
    fprintf(out, "\nExit status: 0 every analysis fitted, 1 some could not be fitted (or the\n"
                 "file is not valid CSV), 2 usage error, 3 a file cannot be read.\n");
}

/* ---------------------------------------------------------------------------
 * Jobs
 */

/* --method GLMM|MH and --bayes: a job's fits (their counts are not kept).
 * Apart from the jobs and the batch, which is cleared at the start, so that
 * a batch of rma() fits never touches them: in the jobs they added 3.4 MB
 * to every batch's memory.  An entry is written before it is read. */
typedef struct job_models {
    evs_glmm_fit glmm;
    evs_mh_fit mh;
    evs_bayes_fit bayes;
    double p_mu_above, p_pred_above;
} job_models;

typedef struct job {
    char *id;
    size_t k, first; /* rows in the batch's value pool; after the fit, rows in the fit */
    char error[EVS_ERROR_MESSAGE_MAX + EVS_ERROR_FILE_MAX + 64]; /* "" unless failed */
    evs_fit fit;
    job_models *models; /* the batch's entry for this job */
    char *json;         /* --jsonl: the line */
} job;

/* Values of every job of a batch: one column per used variable, the lines,
 * and the study labels (offsets into one text buffer; NO_LABEL for none). */
#define NO_LABEL ((size_t)-1)

typedef struct pool {
    size_t n, cap;
    double *x[EVS_VAR_COUNT];
    long *line;
    size_t *label_at;
    char *text;
    size_t text_len, text_cap;
} pool;

typedef struct batch batch;

/* Per-thread scratch: the meta and models workspaces, the label pointers of
 * a view, and the labels of the rows of a fit for --jsonl of GLMM and MH
 * ("Study N" where a row has none: EVS_LABEL_DEFAULT_MAX bytes a row). */
typedef struct scratch {
    evs_meta_workspace *ws;
    evs_meta_models_workspace *mws;
    char **labels;
    const char **fit_labels;
    char *names;
    size_t cap;
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
    long analysis_col, label_col;
    job jobs[BATCH_JOBS];
    job_models *models; /* BATCH_JOBS entries (job_models_table) */
    size_t njobs;
    pool values;
    bool header_done, any_failed;
    evs_buf out;
    evs_recent recent;
    worker workers[MAX_THREADS];
    pthread_t tids[MAX_THREADS];
};

static bool pool_grow(pool *p, const bool *used, bool labels)
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
    if (labels) {
        size_t *at = realloc(p->label_at, cap * sizeof *at);
        if (at == NULL)
            return false;
        p->label_at = at;
    }
    p->cap = cap;
    return true;
}

/* Keep a copy of a study label in the pool's text; its offset, or NO_LABEL. */
static bool pool_label(pool *p, const char *text, size_t *at)
{
    size_t len = strlen(text);
    *at = NO_LABEL;
    if (len == 0)
        return true; /* no label: "Study N", as evsynth meta says */
    if (p->text_len + len + 1 > p->text_cap) {
        size_t cap = p->text_cap ? p->text_cap : 65536;
        while (cap < p->text_len + len + 1)
            cap *= 2;
        char *t = realloc(p->text, cap);
        if (t == NULL)
            return false;
        p->text = t;
        p->text_cap = cap;
    }
    memcpy(p->text + p->text_len, text, len + 1);
    *at = p->text_len;
    p->text_len += len + 1;
    return true;
}

static bool scratch_labels(scratch *s, size_t k)
{
    if (k <= s->cap)
        return true;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < k)
        cap *= 2;
    char **l = realloc(s->labels, cap * sizeof *l);
    if (l == NULL)
        return false;
    s->labels = l;
    const char **fl = realloc(s->fit_labels, cap * sizeof *fl);
    if (fl == NULL)
        return false;
    s->fit_labels = fl;
    char *names = realloc(s->names, cap * EVS_LABEL_DEFAULT_MAX);
    if (names == NULL)
        return false;
    s->names = names;
    s->cap = cap;
    return true;
}

static void scratch_free(scratch *s)
{
    evs_meta_workspace_free(s->ws);
    evs_meta_models_workspace_free(s->mws);
    free(s->labels);
    free(s->fit_labels);
    free(s->names);
}

static void fail_job(job *j, const evs_error *e)
{
    evs_error_format(e, j->error, sizeof j->error);
}

/*
 * A view of the job's rows as the studies of one analysis: no copy, no
 * allocation.  Labels are only needed for the notes of --jsonl; without
 * them the view has none, which the engine reads as "Study N".
 */
static bool job_view(const batch *b, const job *j, scratch *s, evs_studies *view)
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
    if (b->args->jsonl && b->label_col >= 0) {
        if (!scratch_labels(s, j->k))
            return false;
        for (size_t i = 0; i < j->k; i++) {
            size_t at = b->values.label_at[j->first + i];
            s->labels[i] = at == NO_LABEL ? NULL : b->values.text + at;
        }
        view->label = s->labels;
    }
    return true;
}

/* --jsonl: the line of a fitted analysis, as evsynth meta --json gives it
 * (without the studies of the inverse-variance model). */
static json_t *job_json(const batch *b, const job *j, const evs_meta *meta,
                        const evs_meta_models *m, scratch *s)
{
    const batch_args *a = b->args;
    json_t *out = NULL;
    if (a->models.model == EVS_META_MODEL_RMA) {
        out = evs_meta_json(meta, false);
    } else {
        if (!scratch_labels(s, meta->k))
            return NULL;
        for (size_t i = 0; i < meta->k; i++)
            s->fit_labels[i] = evs_meta_label(meta, i, s->names + i * EVS_LABEL_DEFAULT_MAX);
        evs_model_counts counts;
        evs_model_counts_from(&m->counts, s->fit_labels, &counts);
        out = a->models.model == EVS_META_MODEL_GLMM ? evs_glmm_json(&m->glmm, &counts)
                                                     : evs_mh_json(&m->mh, &counts);
    }
    if (out != NULL && m->has_bayes) {
        evs_bayes_options bo = a->models.bayes_opt;
        bo.level = a->fit.level;
        evs_bayes_probs probs = {.threshold = m->above, .mu_above = m->p_mu_above,
                                 .pred_above = m->p_pred_above};
        if (json_object_set_new(out, "bayes", evs_bayes_json(&m->bayes, &bo, &probs)) != 0) {
            json_decref(out);
            return NULL;
        }
    }
    json_t *o = json_pack("{s:s}", "analysis", j->id);
    if (o == NULL || out == NULL || json_object_update(o, out) != 0) {
        json_decref(o);
        o = NULL;
    }
    json_decref(out);
    return o;
}

static void run_job(const batch *b, job *j, scratch *s)
{
    if (j->error[0] != '\0')
        return; /* a cell did not parse */
    evs_error e;
    evs_error_clear(&e);
    evs_studies view;
    evs_meta meta;
    if (!job_view(b, j, s, &view)) {
        snprintf(j->error, sizeof j->error, "out of memory");
        return;
    }
    if (evs_meta_fit(&view, b->args->measure, NULL, &b->args->fit, s->ws, &meta, &e) != EVS_OK) {
        fail_job(j, &e);
        return;
    }
    j->fit = meta.fit;
    j->k = meta.k;
    /* The models beside rma() on the same rows, as evsynth meta fits them. */
    const evs_meta_models_options *mo = &b->args->models;
    evs_meta_models m;
    memset(&m, 0, sizeof m);
    if (mo->model != EVS_META_MODEL_RMA || mo->bayes) {
        if (evs_meta_fit_models(&meta, mo, s->mws, &m, &e) != EVS_OK) {
            fail_job(j, &e);
            return;
        }
        *j->models = (job_models){.glmm = m.glmm, .mh = m.mh, .bayes = m.bayes,
                                  .p_mu_above = m.p_mu_above, .p_pred_above = m.p_pred_above};
        if (mo->model != EVS_META_MODEL_RMA)
            j->k = m.counts.k;
    }
    if (!b->args->jsonl)
        return;
    json_t *o = job_json(b, j, &meta, &m, s);
    if (o == NULL || (j->json = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
        snprintf(j->error, sizeof j->error, "out of memory");
    json_decref(o);
}

static void *work(void *arg)
{
    worker *w = arg;
    for (size_t i = w->index; i < w->b->njobs; i += w->count)
        run_job(w->b, &w->b->jobs[i], &w->s);
    return NULL;
}

/* The Bayesian columns of a row: none, 9, or 11 with --above. */
static size_t bayes_columns(const batch_args *a)
{
    return !a->models.bayes ? 0 : isnan(a->models.above) ? 9 : 11;
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
    size_t nbayes = bayes_columns(b->args);
    if (j->error[0] != '\0') {
        /* 13 results, the Bayesian ones and converged empty, then the error */
        evs_buf_add(o, ",,,,,,,,,,,,,,");
        for (size_t i = 0; i < nbayes; i++)
            evs_buf_add(o, ",");
        evs_buf_add(o, ",");
        evs_csv_field(o, j->error);
        evs_buf_add(o, "\n");
        return;
    }
    double v[13 + 11];
    bool converged = true;
    switch (b->args->models.model) {
    case EVS_META_MODEL_GLMM: {
        /* rma.glmm's numbers; QE is its Wald-type test */
        const evs_glmm_fit *g = &j->models->glmm;
        double r[] = {g->estimate, g->se,  g->ci_lb, g->ci_ub, g->pi_lb,   g->pi_ub,  g->tau2,
                      NAN,         NAN,    g->I2,    g->H2,    g->QE_wald, g->QE_wald_p};
        memcpy(v, r, sizeof r);
        converged = g->converged;
        break;
    }
    case EVS_META_MODEL_MH: {
        const evs_mh_fit *f = &j->models->mh;
        double r[] = {f->estimate, f->se, f->ci_lb, f->ci_ub, NAN,   NAN,    NAN,
                      NAN,         NAN,   f->I2,    f->H2,    f->QE, f->QE_p};
        memcpy(v, r, sizeof r);
        break;
    }
    default: {
        const evs_fit *f = &j->fit;
        double r[] = {f->estimate,  f->se,         f->ci_lb, f->ci_ub, f->pi_lb, f->pi_ub,
                      f->tau2,      f->tau2_ci_lb, f->tau2_ci_ub, f->I2, f->H2,  f->QE,
                      f->QE_p};
        memcpy(v, r, sizeof r);
        converged = f->converged;
    }
    }
    if (nbayes > 0) {
        const job_models *jm = j->models;
        const evs_bayes_fit *f = &jm->bayes;
        double r[] = {f->mu_median,   f->mu_lb,   f->mu_ub,       f->tau_median,  f->tau_lb,
                      f->tau_ub,      f->pred_median, f->pred_lb, f->pred_ub, jm->p_mu_above,
                      jm->p_pred_above};
        memcpy(v + 13, r, nbayes * sizeof r[0]);
        converged &= f->converged;
    }
    for (size_t i = 0; i < 13 + nbayes; i++) {
        evs_buf_add(o, ",");
        evs_csv_number(o, v[i]);
    }
    evs_buf_add(o, converged ? ",true,\n" : ",false,\n");
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
        if (w->s.ws == NULL && (w->s.ws = evs_meta_workspace_alloc()) == NULL)
            return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
        if (w->s.mws == NULL && (w->s.mws = evs_meta_models_workspace_alloc()) == NULL)
            return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
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
    b->values.text_len = 0;
    if (b->out.failed)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    if (fwrite(b->out.data ? b->out.data : "", 1, b->out.len, stdout) != b->out.len)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot write the output");
    b->out.len = 0;
    return EVS_OK;
}

static evs_status on_header(batch *b, const evs_csv_record *rec, evs_error *err)
{
    b->analysis_col = b->label_col = -1;
    for (size_t c = 0; c < rec->nfields; c++) {
        if (strcmp(rec->field[c], "analysis") == 0)
            b->analysis_col = (long)c;
        if (strcmp(rec->field[c], EVS_LABEL_COLUMN) == 0)
            b->label_col = (long)c;
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
    if (!b->args->jsonl) {
        evs_buf_add(&b->out, "analysis,k,estimate,se,ci_lb,ci_ub,pi_lb,pi_ub,tau2,tau2_ci_lb,"
                             "tau2_ci_ub,I2,H2,QE,QE_p,");
        static const char *const bayes[] = {
            "bayes_mu_median", "bayes_mu_lb",       "bayes_mu_ub",   "bayes_tau_median",
            "bayes_tau_lb",    "bayes_tau_ub",      "bayes_pred_median", "bayes_pred_lb",
            "bayes_pred_ub",   "bayes_p_mu_above",  "bayes_p_pred_above"};
        for (size_t i = 0; i < bayes_columns(b->args); i++) {
            evs_buf_add(&b->out, bayes[i]);
            evs_buf_add(&b->out, ",");
        }
        evs_buf_add(&b->out, "converged,error\n");
    }
    return EVS_OK;
}

/* A new run of rows: a new job, and a warning if its name was seen before. */
static evs_status start_job(batch *b, const char *id, long line, evs_error *err)
{
    if (b->njobs == BATCH_JOBS && flush(b, err) != EVS_OK)
        return err->code;
    long earlier = evs_recent_add(&b->recent, id, line);
    if (earlier > 0)
        fprintf(stderr,
                "%s:%ld: warning: analysis \"%s\" starts again here after other analyses "
                "(its rows from line %ld are a separate analysis): sort the file by analysis "
                "to pool them\n",
                b->source, line, id, earlier);
    job *j = &b->jobs[b->njobs];
    j->models = &b->models[b->njobs++];
    j->id = strdup(id);
    if (j->id == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    j->first = b->values.n;
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
        evs_status st = start_job(b, id, rec->line, err);
        if (st != EVS_OK)
            return st;
        j = &b->jobs[b->njobs - 1];
    }
    bool labels = b->label_col >= 0;
    if (!pool_grow(&b->values, b->used, labels))
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    size_t r = b->values.n++;
    b->values.line[r] = rec->line;
    if (labels &&
        !pool_label(&b->values,
                    (size_t)b->label_col < rec->nfields ? rec->field[b->label_col] : "",
                    &b->values.label_at[r]))
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
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

const evs_command_line evs_batch_line = {"batch", batch_options, NOPTIONS, on_option,
                                         batch_help, 1, 1, "input file"};

int evs_cmd_batch(int argc, char **argv)
{
    static batch b; /* large: jobs for a whole batch */
    static job_models job_models_table[BATCH_JOBS];
    batch_args a = {.measure = EVS_MEASURE_GEN, .threads = 1};
    evs_fit_options_default(&a.fit);
    evs_meta_models_options_default(&a.models);
    evs_error err;
    evs_error_clear(&err);
    int nops;
    int start = evs_command_start(&evs_batch_line, argc, argv, &a, &a.help, &nops);
    if (start >= 0)
        return start;
    if (evs_options_models_check(a.measure, &a.models, &err) != EVS_OK)
        return evs_report_error("batch", &err);
    memset(&b, 0, sizeof b);
    b.models = job_models_table;
    b.args = &a;
    b.source = argv[0];
    evs_buf_init(&b.out);
    evs_recent_init(&b.recent);
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
    free(b.values.label_at);
    free(b.values.text);
    evs_buf_free(&b.out);
    for (unsigned t = 0; t < MAX_THREADS; t++)
        scratch_free(&b.workers[t].s);
    if (st != EVS_OK) {
        evs_error_set_file(&err, argv[0]);
        return evs_report_error("batch", &err);
    }
    return b.any_failed ? EVS_EXIT_DATA : EVS_EXIT_OK;
}
