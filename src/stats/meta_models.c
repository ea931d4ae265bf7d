/*
 * meta_models.c -- the GLMM, Mantel-Haenszel and Bayesian models on the rows
 * of a meta-analysis (see meta_models.h).
 */
#include "evsynth/meta_models.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "evsynth/propci.h"

struct evs_meta_models_workspace {
    size_t cap;
    double *buf; /* 6 cap: the counts and the exact intervals */
    evs_glmm_workspace *glmm;
    evs_bayes_workspace *bayes;
    size_t bayes_cap;
};

static const char *const model_names[EVS_META_MODEL_COUNT] = {"rma", "GLMM", "MH"};

const char *evs_meta_model_name(evs_meta_model m)
{
    return (unsigned)m < EVS_META_MODEL_COUNT ? model_names[m] : "?";
}

bool evs_meta_model_from_name(const char *name, evs_meta_model *m)
{
    for (int i = 0; i < EVS_META_MODEL_COUNT; i++)
        if (strcmp(name, model_names[i]) == 0) {
            *m = (evs_meta_model)i;
            return true;
        }
    return false;
}

bool evs_meta_model_fits(evs_meta_model model, evs_measure measure)
{
    switch (model) {
    case EVS_META_MODEL_GLMM:
        return measure == EVS_MEASURE_PLO || measure == EVS_MEASURE_OR;
    case EVS_META_MODEL_MH:
        return measure == EVS_MEASURE_OR || measure == EVS_MEASURE_RR ||
               measure == EVS_MEASURE_RD;
    case EVS_META_MODEL_RMA:
        return true;
    default:
        return false;
    }
}

void evs_meta_models_options_default(evs_meta_models_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->model = EVS_META_MODEL_RMA;
    evs_glmm_options_default(&opt->glmm);
    evs_mh_options_default(&opt->mh);
    opt->bayes = false;
    evs_bayes_options_default(&opt->bayes_opt);
    opt->above = NAN;
}

evs_meta_models_workspace *evs_meta_models_workspace_alloc(void)
{
    return calloc(1, sizeof(evs_meta_models_workspace));
}

void evs_meta_models_workspace_free(evs_meta_models_workspace *ws)
{
    if (ws == NULL)
        return;
    free(ws->buf);
    evs_glmm_workspace_free(ws->glmm);
    evs_bayes_workspace_free(ws->bayes);
    free(ws);
}

/* Room for k rows in every part the fit uses; false when out of memory. */
static bool reserve(evs_meta_models_workspace *ws, size_t k, const evs_meta_models_options *opt)
{
    if (k > ws->cap) {
        size_t cap = ws->cap ? ws->cap : 16;
        while (cap < k)
            cap *= 2;
        double *buf = realloc(ws->buf, 6 * cap * sizeof *buf);
        if (buf == NULL)
            return false;
        ws->buf = buf;
        ws->cap = cap;
    }
    if (opt->model == EVS_META_MODEL_GLMM && ws->glmm == NULL &&
        (ws->glmm = evs_glmm_workspace_alloc(ws->cap)) == NULL)
        return false;
    if (opt->bayes && (ws->bayes == NULL || ws->bayes_cap < k)) {
        evs_bayes_workspace_free(ws->bayes);
        ws->bayes_cap = ws->cap;
        if ((ws->bayes = evs_bayes_workspace_alloc(ws->bayes_cap, 0)) == NULL) {
            ws->bayes_cap = 0;
            return false;
        }
    }
    return true;
}

/* Value of variable v in row j of the fit; NaN where the column is absent. */
static double var_at(const evs_meta *meta, evs_var v, size_t j)
{
    const evs_studies *s = meta->studies;
    return s->x[v] != NULL ? s->x[v][meta->included[j]] : (double)NAN;
}

/*
 * A count that the binomial models can take: a whole number of at least 0,
 * else an error at its line (and the column it was read from, when it was
 * read rather than computed).
 */
static evs_status check_count(const evs_meta *meta, size_t j, double x, evs_var v,
                              const char *what, evs_error *err)
{
    if (x >= 0 && x == floor(x) && x <= 1e15)
        return EVS_OK;
    const evs_studies *s = meta->studies;
    size_t row = meta->included[j];
    evs_error_set(err, EVS_EDATA, s->line[row], s->x[v] != NULL ? s->column[v] : 0,
                  "%s must be a whole number of at least 0 for a binomial model (found %g)",
                  what, x);
    return EVS_EDATA;
}

/* The counts of the rows into ws->buf; c points into it. */
static evs_status gather_counts(const evs_meta *meta, double level, evs_meta_models_workspace *ws,
                                evs_meta_counts *c, evs_error *err)
{
    size_t k = meta->k;
    double *buf = ws->buf;
    memset(c, 0, sizeof *c);
    c->k = k;
    evs_status st = EVS_OK;
    if (meta->measure == EVS_MEASURE_PLO) {
        double *x = buf, *n = buf + k, *lb = buf + 2 * k, *ub = buf + 3 * k;
        bool has_n = meta->studies->x[EVS_VAR_NI] != NULL;
        for (size_t j = 0; j < k && st == EVS_OK; j++) {
            x[j] = var_at(meta, EVS_VAR_XI, j);
            n[j] = has_n ? var_at(meta, EVS_VAR_NI, j) : x[j] + var_at(meta, EVS_VAR_MI, j);
            if ((st = check_count(meta, j, x[j], EVS_VAR_XI, "xi", err)) == EVS_OK)
                st = check_count(meta, j, n[j], has_n ? EVS_VAR_NI : EVS_VAR_MI,
                                 has_n ? "ni" : "mi", err);
            if (st == EVS_OK && evs_propci(x[j], n[j], level, EVS_PROPCI_CP, &lb[j], &ub[j],
                                           NULL) != EVS_OK)
                lb[j] = ub[j] = NAN;
        }
        c->x = x;
        c->n = n;
        c->ci_lb = lb;
        c->ci_ub = ub;
        return st;
    }
    double *a = buf, *b = buf + k, *cc = buf + 2 * k, *d = buf + 3 * k;
    bool has_b = meta->studies->x[EVS_VAR_BI] != NULL, has_d = meta->studies->x[EVS_VAR_DI] != NULL;
    for (size_t j = 0; j < k && st == EVS_OK; j++) {
        a[j] = var_at(meta, EVS_VAR_AI, j);
        b[j] = has_b ? var_at(meta, EVS_VAR_BI, j) : var_at(meta, EVS_VAR_N1I, j) - a[j];
        cc[j] = var_at(meta, EVS_VAR_CI, j);
        d[j] = has_d ? var_at(meta, EVS_VAR_DI, j) : var_at(meta, EVS_VAR_N2I, j) - cc[j];
        if ((st = check_count(meta, j, a[j], EVS_VAR_AI, "ai", err)) == EVS_OK &&
            (st = check_count(meta, j, b[j], has_b ? EVS_VAR_BI : EVS_VAR_N1I,
                              has_b ? "bi" : "n1i - ai", err)) == EVS_OK &&
            (st = check_count(meta, j, cc[j], EVS_VAR_CI, "ci", err)) == EVS_OK)
            st = check_count(meta, j, d[j], has_d ? EVS_VAR_DI : EVS_VAR_N2I,
                             has_d ? "di" : "n2i - ci", err);
    }
    c->a = a;
    c->b = b;
    c->c = cc;
    c->d = d;
    return st;
}

evs_status evs_meta_fit_models(const evs_meta *meta, const evs_meta_models_options *opt,
                               evs_meta_models_workspace *ws, evs_meta_models *out,
                               evs_error *err)
{
    evs_gsl_quiet();
    evs_status st = EVS_OK;
    evs_meta_models r;
    memset(&r, 0, sizeof r);
    double level = meta->fit.level;
    if (!evs_meta_model_fits(opt->model, meta->measure)) {
        st = evs_error_set(err, EVS_EINVAL, 0, 0, "model %s cannot pool measure %s",
                           evs_meta_model_name(opt->model), evs_measure_name(meta->measure));
        return st;
    }
    if (!reserve(ws, meta->k, opt)) {
        st = evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
        goto fail;
    }
    r.model = opt->model;
    r.above = opt->above;
    r.p_mu_above = r.p_pred_above = NAN;
    if (opt->model != EVS_META_MODEL_RMA) {
        if ((st = gather_counts(meta, level, ws, &r.counts, err)) != EVS_OK)
            goto fail;
        const evs_meta_counts *c = &r.counts;
        if (opt->model == EVS_META_MODEL_GLMM) {
            evs_glmm_options go = opt->glmm;
            go.level = level;
            st = meta->measure == EVS_MEASURE_PLO
                     ? evs_glmm_plo(c->x, c->n, c->k, &go, ws->glmm, &r.glmm, err)
                     : evs_glmm_or(c->a, c->b, c->c, c->d, c->k, &go, ws->glmm, &r.glmm, err);
        } else {
            evs_mh_options mo = opt->mh;
            mo.level = level;
            st = evs_mh(meta->measure, c->a, c->b, c->c, c->d, c->k, &mo, &r.mh, err);
        }
        if (st != EVS_OK)
            goto fail;
    }
    if (opt->bayes) {
        evs_bayes_options bo = opt->bayes_opt;
        bo.level = level;
        if ((st = evs_bayes_fit_rma(meta->y, meta->v, meta->k, &bo, ws->bayes, &r.bayes, err)) !=
            EVS_OK)
            goto fail;
        r.has_bayes = true;
        if (!isnan(opt->above)) {
            r.p_mu_above = evs_bayes_prob(ws->bayes, EVS_BAYES_MU, opt->above, true);
            r.p_pred_above = evs_bayes_prob(ws->bayes, EVS_BAYES_PRED, opt->above, true);
        }
    }
    *out = r;
    return EVS_OK;

fail:
    evs_error_set_file(err, meta->studies->source);
    return st;
}
