/*
 * cmd_meta.c -- "evsynth meta": pool the studies of one CSV file.
 */
#include <stdbool.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "evsynth/meta.h"
#include "evsynth/meta_diag.h"
#include "evsynth/meta_models.h"
#include "evsynth/sort.h"
#include "io/design.h"
#include "io/numparse.h"
#include "io/studies_io.h"
#include "io/table.h"
#include "report/meta_json.h"
#include "report/meta_text.h"
#include "report/models_text.h"

enum {
    OPT_MEASURE, OPT_METHOD, OPT_TEST, OPT_LEVEL, OPT_LOCAL_MAX, OPT_LEAVE1OUT, OPT_INFLUENCE,
    OPT_CUMULATIVE, OPT_ORDER, OPT_BIAS, OPT_TRIMFILL, OPT_SUBGROUP, OPT_MODS, OPT_PERMUTATIONS,
    OPT_SEED, OPT_RSENS, OPT_ALL, OPT_JSON, OPT_HELP
};

static const evs_option meta_options[] = {
    {OPT_MEASURE, "measure", 0, "M", "effect measure (default GEN; see below)"},
    {OPT_METHOD, "method", 0, "T",
     "tau^2 estimator, FE, GLMM (PLO, OR) or MH (OR, RR, RD) (default REML;\n"
     "see below)"},
    {OPT_TEST, "test", 0, "T",
     "inference: normal (z, default), Knapp-Hartung (knha), knha with its\n"
     "factor at least 1 (adhoc), or knha with IQWiG 6's rule (IQWiG6)"},
    {OPT_LEVEL, "level", 0, "L", "confidence level in percent (default 95)"},
    {OPT_LOCAL_MAX, "local-max", 0, NULL,
     "ML, REML: stop at a local maximum at tau^2 = 0, as metafor does"},
    {OPT_LEAVE1OUT, "leave1out", 0, NULL, "the model refitted without each study"},
    {OPT_INFLUENCE, "influence", 0, NULL, "influence diagnostics of each study"},
    {OPT_CUMULATIVE, "cumulative", 0, NULL, "cumulative meta-analysis (in file order)"},
    {OPT_ORDER, "order", 0, "COLUMN", "cumulative: add the studies in the order of COLUMN"},
    {OPT_BIAS, "bias", 0, NULL, "small-study effects: Egger, Begg, trim and fill"},
    {OPT_TRIMFILL, "trimfill-estimator", 0, "L0|R0", "trim and fill estimator (default L0)"},
    {OPT_SUBGROUP, "subgroup", 0, "COLUMN", "a model per level of COLUMN, and the tests"},
    {OPT_MODS, "mods", 0, "COL[,COL...]", "meta-regression on these columns"},
    {OPT_PERMUTATIONS, "permutations", 0, "N", "permutation test with N permutations"},
    {OPT_SEED, "seed", 0, "S", "seed of the random permutations (default 1)"},
    {OPT_RSENS, "r-sensitivity", 0, "R[,R...]",
     "MC, SMCC, SMCR: rerun with every ri set to each value"},
    {OPT_ALL, "all", 0, NULL,
     "every diagnostic that applies: leave1out, influence, cumulative, bias,\n"
     "and r-sensitivity 0.2,0.5,0.8 for change measures"},
    EVS_MODEL_OPTION_ROWS,
    {OPT_JSON, "json", 0, NULL, "print one JSON object instead of the summary"},
    {OPT_HELP, "help", 'h', NULL, "show this help and exit"},
};

#define NOPTIONS (sizeof meta_options / sizeof meta_options[0])

#define MAX_R 8

typedef struct meta_args {
    evs_measure measure;
    evs_fit_options fit;
    evs_meta_models_options models; /* --method GLMM|MH, --nagq, --bayes and its priors */
    bool json, help, all;
    bool leave1out, influence, cumulative, bias;
    evs_trimfill_estimator trimfill;
    const char *order, *subgroup, *mods;
    unsigned long permutations, seed;
    double r[MAX_R];
    size_t nr;
} meta_args;

/* A whole number in [lo, hi] from an option value. */
static bool parse_count(const char *value, double lo, double hi, unsigned long *out)
{
    double x;
    if (evs_parse_number(value, &x) != EVS_NUM_OK || !evs_is_whole(x) || x < lo || x > hi)
        return false;
    *out = (unsigned long)x;
    return true;
}

/* "0.2,0.5,0.8" into a->r; false if malformed. */
static bool parse_r_list(const char *value, meta_args *a)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", value);
    char *save = NULL;
    a->nr = 0;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        double r;
        if (a->nr == MAX_R || evs_parse_number(t, &r) != EVS_NUM_OK || !(r >= -1 && r <= 1))
            return false;
        a->r[a->nr++] = r;
    }
    return a->nr > 0;
}

static evs_status on_option(int id, const char *value, void *ctx, evs_error *err)
{
    meta_args *a = ctx;
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
    case OPT_LOCAL_MAX:
        a->fit.local_max = true;
        break;
    case OPT_LEAVE1OUT:
        a->leave1out = true;
        break;
    case OPT_INFLUENCE:
        a->influence = true;
        break;
    case OPT_CUMULATIVE:
        a->cumulative = true;
        break;
    case OPT_ORDER:
        a->order = value;
        a->cumulative = true;
        break;
    case OPT_BIAS:
        a->bias = true;
        break;
    case OPT_TRIMFILL:
        if (strcmp(value, "L0") == 0)
            a->trimfill = EVS_TRIMFILL_L0;
        else if (strcmp(value, "R0") == 0)
            a->trimfill = EVS_TRIMFILL_R0;
        else
            return evs_error_set(err, EVS_EINVAL, 0, 0,
                                 "unknown trim-and-fill estimator '%s' (expected L0 or R0)",
                                 value);
        a->bias = true;
        break;
    case OPT_SUBGROUP:
        a->subgroup = value;
        break;
    case OPT_MODS:
        a->mods = value;
        break;
    case OPT_PERMUTATIONS:
        if (!parse_count(value, 2, 1e9, &a->permutations))
            return evs_error_set(err, EVS_EINVAL, 0, 0,
                                 "invalid number of permutations '%s' (expected a whole number "
                                 "from 2 to 1e9)",
                                 value);
        break;
    case OPT_SEED:
        if (!parse_count(value, 0, 4294967295.0, &a->seed))
            return evs_error_set(err, EVS_EINVAL, 0, 0,
                                 "invalid seed '%s' (expected a whole number from 0 to "
                                 "4294967295)",
                                 value);
        break;
    case OPT_RSENS:
        if (!parse_r_list(value, a))
            return evs_error_set(err, EVS_EINVAL, 0, 0,
                                 "invalid correlations '%s' (expected up to %d values between "
                                 "-1 and 1, separated by commas)",
                                 value, MAX_R);
        break;
    case OPT_ALL:
        a->all = true;
        break;
    case OPT_JSON:
        a->json = true;
        break;
    case OPT_HELP:
        a->help = true;
        break;
    }
    return EVS_OK;
}

static void meta_help(FILE *out)
{
    fprintf(out,
            "Usage: evsynth meta [--measure M] [--method T] [--test T] [--level L]\n"
            "                    [--local-max] [--nagq N] [DIAGNOSTICS]\n"
            "                    [--bayes [--tau-prior P] [--tau-scale S] [--mu-prior-sd S]\n"
            "                    [--above C] [--interval I]] [--json] FILE.csv\n\n"
            "Compute effect sizes from the columns of FILE.csv (named as metafor's\n"
            "escalc() arguments: yi vi sei ai bi ci di n1i n2i m1i m2i sd1i sd2i ni ri\n"
            "xi mi sdi; an optional 'study' column labels the rows), fit a common- or\n"
            "random-effects model, and print the result.  FILE.csv may be '-' for\n"
            "standard input.\n\nOptions:\n");
    evs_options_help(out, meta_options, NOPTIONS);
    fprintf(out, "\nMeasures (metafor escalc() names):\n");
    for (int m = 0; m < EVS_MEASURE_COUNT; m++)
        fprintf(out, "  %-5s %s\n", evs_measure_name((evs_measure)m),
                evs_measure_description((evs_measure)m));
    fprintf(out, "\nMethods (metafor rma() names):\n");
    for (int m = 0; m < EVS_METHOD_COUNT; m++)
        fprintf(out, "  %-5s %s\n", evs_method_name((evs_method)m),
                evs_method_description((evs_method)m));
    fprintf(out, "  GLMM  binomial-normal model by ML (metafor rma.glmm; PLO, or OR with\n"
                 "        model UM.FS)\n"
                 "  MH    Mantel-Haenszel common-effect model (metafor rma.mh; OR, RR, RD)\n");
    fprintf(out, "\nExit status: 0 success, 1 data or analysis error, 2 usage error, 3 file\n"
                 "or output error.\n");
}

typedef struct order_ctx {
    const evs_table *t;
    const evs_meta *meta;
    size_t col;
    bool numeric;
} order_ctx;

/* Empty cells (and, among numbers, NA) after every value, as R's order(). */
static int cell_order(const void *a, const void *b, const void *ctx)
{
    const order_ctx *c = ctx;
    const char *sa = evs_table_cell(c->t, c->meta->included[*(const size_t *)a], c->col);
    const char *sb = evs_table_cell(c->t, c->meta->included[*(const size_t *)b], c->col);
    if (!c->numeric) {
        bool ea = sa[0] == '\0', eb = sb[0] == '\0';
        return ea || eb ? ea - eb : strcmp(sa, sb);
    }
    double xa, xb;
    bool ea = evs_parse_number(sa, &xa) != EVS_NUM_OK;
    bool eb = evs_parse_number(sb, &xb) != EVS_NUM_OK;
    return ea || eb ? ea - eb : (xa > xb) - (xa < xb);
}

/*
 * Order of the meta rows by a column: numbers ascending when every value is
 * a number, text in byte order otherwise; empty cells last; ties in file
 * order (R's order()).  scratch: room for k more.
 */
static evs_status order_by(const evs_table *t, const evs_meta *meta, const char *column,
                           size_t *order, size_t *scratch, evs_error *err)
{
    long col = evs_table_find(t, column);
    if (col < 0) {
        evs_error_set(err, EVS_EINVAL, 1, 0, "no column named \"%s\" to order by", column);
        evs_error_set_file(err, evs_table_source(t));
        return EVS_EINVAL;
    }
    order_ctx c = {.t = t, .meta = meta, .col = (size_t)col, .numeric = true};
    for (size_t j = 0; j < meta->k; j++) {
        double x;
        evs_num_status st = evs_parse_number(evs_table_cell(t, meta->included[j], c.col), &x);
        c.numeric &= st == EVS_NUM_OK || st == EVS_NUM_EMPTY;
    }
    for (size_t j = 0; j < meta->k; j++)
        order[j] = j;
    evs_sort_stable(order, meta->k, sizeof *order, cell_order, &c, scratch);
    return EVS_OK;
}

static bool is_change_measure(evs_measure m)
{
    return m == EVS_MEASURE_MC || m == EVS_MEASURE_SMCC || m == EVS_MEASURE_SMCR;
}

/* The diagnostics asked for, then the output; returns the exit status. */
static int diagnose_and_write(const meta_args *a, const evs_table *table, const evs_meta *meta)
{
    evs_error err;
    evs_error_clear(&err);
    evs_meta_diag *diag = NULL;
    evs_design *design = NULL;
    evs_groups *groups = NULL;
    size_t *order = NULL;
    evs_diag_request req = {.leave1out = a->leave1out, .influence = a->influence,
                            .cumulative = a->cumulative, .bias = a->bias,
                            .permutations = a->permutations, .seed = a->seed,
                            .trimfill_estimator = a->trimfill, .r_values = a->r, .nr = a->nr};
    evs_cli_progress progress;
    evs_cli_progress_init(&progress, "meta");
    req.progress = evs_cli_progress_show;
    req.progress_ctx = &progress;
    bool failed = false;
    if (a->order != NULL) {
        order = malloc(2 * meta->k * sizeof *order); /* the order, and sort scratch */
        if (order == NULL)
            failed = evs_error_set(&err, EVS_ENOMEM, 0, 0, "out of memory") != EVS_OK;
        else if (order_by(table, meta, a->order, order, order + meta->k, &err) != EVS_OK)
            failed = true;
        req.order = order;
    }
    if (!failed && a->mods != NULL) {
        design = evs_design_build(table, meta->included, meta->k, a->mods, &err);
        failed = design == NULL;
        if (design) {
            req.X = design->X;
            req.p = design->p;
            req.xk = design->k;
            req.x_rows = design->row;
        }
    }
    if (!failed && a->subgroup != NULL) {
        groups = evs_groups_build(table, meta->included, meta->k, a->subgroup, &err);
        failed = groups == NULL;
        if (groups) {
            req.group = groups->group;
            req.gk = groups->k;
            req.ngroups = groups->nlevels;
            req.g_rows = groups->row;
        }
    }
    bool any = req.leave1out || req.influence || req.cumulative || req.bias || req.X ||
               req.group || req.permutations || req.nr;
    if (!failed && any)
        failed = (diag = evs_meta_diagnose(meta, &a->fit, &req, &err)) == NULL;
    const char *const *names = design ? (const char *const *)design->names : NULL;
    const char *const *levels = groups ? (const char *const *)groups->levels : NULL;

    if (!failed && a->json) {
        json_t *obj = evs_meta_json(meta, true);
        if (obj == NULL || (diag && evs_meta_json_add_diag(obj, meta, diag, names, levels) != 0) ||
            evs_json_dump(obj, stdout, true) != 0)
            failed = evs_error_set(&err, EVS_EIO, 0, 0, "cannot write the JSON output");
        json_decref(obj);
    } else if (!failed) {
        if (evs_meta_write_text(meta, stdout) != 0 ||
            (diag && evs_meta_write_diag_text(meta, diag, names, levels, stdout) != 0))
            failed = evs_error_set(&err, EVS_EIO, 0, 0, "cannot write the output");
    }
    if (!failed && fflush(stdout) != 0)
        failed = evs_error_set(&err, EVS_EIO, 0, 0, "cannot write the output");

    free(order);
    evs_groups_free(groups);
    evs_design_free(design);
    evs_meta_diag_free(diag);
    return failed ? evs_report_error("meta", &err) : 0;
}

/*
 * The labels of the rows of the fit, for the writers of the other models;
 * labels[j] points into s's labels or into names (EVS_LABEL_DEFAULT_MAX
 * bytes a row).
 */
static void fit_labels(const evs_meta *meta, const char **labels, char *names)
{
    for (size_t j = 0; j < meta->k; j++)
        labels[j] = evs_meta_label(meta, j, names + j * EVS_LABEL_DEFAULT_MAX);
}

/*
 * --method GLMM or MH, and --bayes: the models beside rma(), fitted by the
 * engine's evs_meta_fit_models() on the rows of the fit (as evsynth batch
 * fits them), and their output (text, or JSON with the Bayesian result as
 * member "bayes").  Returns the exit status.
 */
static int other_models(const meta_args *a, const evs_meta *meta)
{
    evs_error err;
    evs_error_clear(&err);
    size_t k = meta->k;
    const char **labels = malloc(k * sizeof *labels);
    char *names = malloc(k * EVS_LABEL_DEFAULT_MAX);
    evs_meta_models_workspace *ws = evs_meta_models_workspace_alloc();
    json_t *obj = NULL;
    bool failed = false;
    evs_meta_models m;
    if (labels == NULL || names == NULL || ws == NULL)
        failed = evs_error_set(&err, EVS_ENOMEM, 0, 0, "out of memory") != EVS_OK;
    else
        failed = evs_meta_fit_models(meta, &a->models, ws, &m, &err) != EVS_OK;
    evs_model_counts counts;
    evs_bayes_probs probs;
    if (!failed) {
        fit_labels(meta, labels, names);
        evs_model_counts_from(&m.counts, labels, &counts);
        probs = (evs_bayes_probs){.threshold = m.above, .mu_above = m.p_mu_above,
                                  .pred_above = m.p_pred_above};
    }
    evs_bayes_options bo = a->models.bayes_opt;
    bo.level = a->fit.level;
    if (!failed && a->json) {
        obj = a->models.model == EVS_META_MODEL_GLMM ? evs_glmm_json(&m.glmm, &counts)
              : a->models.model == EVS_META_MODEL_MH ? evs_mh_json(&m.mh, &counts)
                                                     : evs_meta_json(meta, true);
        if (obj != NULL && m.has_bayes &&
            json_object_set_new(obj, "bayes", evs_bayes_json(&m.bayes, &bo, &probs)) != 0) {
            json_decref(obj);
            obj = NULL;
        }
        if (obj == NULL || evs_json_dump(obj, stdout, true) != 0)
            failed = evs_error_set(&err, EVS_EIO, 0, 0, "cannot write the JSON output");
    } else if (!failed) {
        int w = a->models.model == EVS_META_MODEL_GLMM ? evs_glmm_write_text(&m.glmm, &counts, stdout)
                : a->models.model == EVS_META_MODEL_MH ? evs_mh_write_text(&m.mh, &counts, stdout)
                                                       : evs_meta_write_text(meta, stdout);
        if (w != 0 || (m.has_bayes && evs_bayes_write_text(&m.bayes, &bo, meta->measure, &probs,
                                                           stdout) != 0))
            failed = evs_error_set(&err, EVS_EIO, 0, 0, "cannot write the output");
    }
    if (!failed && fflush(stdout) != 0)
        failed = evs_error_set(&err, EVS_EIO, 0, 0, "cannot write the output");
    json_decref(obj);
    evs_meta_models_workspace_free(ws);
    free(names);
    free(labels);
    return failed ? evs_report_error("meta", &err) : 0;
}

const evs_command_line evs_meta_line = {"meta", meta_options, NOPTIONS, on_option,
                                        meta_help, 1, 1, "input file"};

int evs_cmd_meta(int argc, char **argv)
{
    meta_args a = {.measure = EVS_MEASURE_GEN, .seed = 1};
    evs_fit_options_default(&a.fit);
    evs_meta_models_options_default(&a.models);
    evs_error err;
    evs_error_clear(&err);
    int nops;
    int start = evs_command_start(&evs_meta_line, argc, argv, &a, &a.help, &nops);
    if (start >= 0)
        return start;
    if (a.nr > 0 && !is_change_measure(a.measure)) {
        evs_error_set(&err, EVS_EINVAL, 0, 0,
                      "--r-sensitivity applies to the change measures MC, SMCC and SMCR");
        return evs_report_error("meta", &err);
    }
    bool diagnostics = a.all || a.leave1out || a.influence || a.cumulative || a.bias ||
                       a.subgroup || a.mods || a.permutations || a.nr;
    bool other = a.models.model != EVS_META_MODEL_RMA || a.models.bayes;
    if (other && diagnostics) {
        evs_error_set(&err, EVS_EINVAL, 0, 0,
                      "the diagnostics refit the inverse-variance model: they cannot be "
                      "combined with %s",
                      a.models.model == EVS_META_MODEL_GLMM ? "--method GLMM"
                      : a.models.model == EVS_META_MODEL_MH ? "--method MH"
                                                            : "--bayes");
        return evs_report_error("meta", &err);
    }
    if (evs_options_models_check(a.measure, &a.models, &err) != EVS_OK)
        return evs_report_error("meta", &err);
    if (a.all) {
        a.leave1out = a.influence = a.cumulative = a.bias = true;
        if (is_change_measure(a.measure) && a.nr == 0) {
            static const double defaults[] = {0.2, 0.5, 0.8};
            memcpy(a.r, defaults, sizeof defaults);
            a.nr = 3;
        }
    }

    int status = EVS_OK;
    evs_table *table = NULL;
    evs_studies *studies = NULL;
    evs_meta *meta = NULL;
    if ((table = evs_table_read(argv[0], &err)) == NULL ||
        (studies = evs_studies_from_table(table, a.measure, &err)) == NULL ||
        (meta = evs_meta_run(studies, a.measure, NULL, &a.fit, NULL, &err)) == NULL)
        status = evs_report_error("meta", &err);
    else if (other)
        status = other_models(&a, meta);
    else
        status = diagnose_and_write(&a, table, meta);
    evs_meta_free(meta);
    evs_studies_free(studies);
    evs_table_free(table);
    return status;
}
