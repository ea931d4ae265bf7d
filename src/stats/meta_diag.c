/*
 * meta_diag.c -- the diagnostics requested for one meta-analysis (see
 * meta_diag.h).
 */
#include "evsynth/meta_diag.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void evs_meta_diag_free(evs_meta_diag *d)
{
    if (d == NULL)
        return;
    free(d->leave1out);
    free(d->influence);
    free(d->cumulative);
    free(d->cumulative_order);
    free(d->fill_y);
    free(d->fill_v);
    free(d->subgroups);
    free(d->reg_rows);
    free(d->r_values);
    free(d->r_fits);
    free(d);
}

static void add_note(evs_meta_diag *d, const char *what, const evs_error *err)
{
    size_t used = strlen(d->note);
    snprintf(d->note + used, sizeof d->note - used, "%s%s: %s", used ? "; " : "", what,
             err->message);
}

/* A copy of the studies with every ri set to r. */
static evs_studies *with_correlation(const evs_studies *s, double r)
{
    evs_studies *c = evs_studies_alloc(s->k, s->source);
    if (c == NULL)
        return NULL;
    for (size_t i = 0; i < s->k; i++) {
        c->line[i] = s->line[i];
        char buf[EVS_LABEL_DEFAULT_MAX];
        if (evs_studies_set_label(c, i, evs_studies_label(s, i, buf)) != EVS_OK)
            goto fail;
    }
    for (int v = 0; v < EVS_VAR_COUNT; v++) {
        if (s->x[v] == NULL && v != EVS_VAR_RI)
            continue;
        if (evs_studies_add_var(c, (evs_var)v, s->column[v]) != EVS_OK)
            goto fail;
        for (size_t i = 0; i < s->k; i++)
            c->x[v][i] = v == EVS_VAR_RI ? r : s->x[v][i];
    }
    return c;
fail:
    evs_studies_free(c);
    return NULL;
}

static evs_status r_sensitivity(const evs_meta *meta, const evs_fit_options *opt,
                                const evs_diag_request *req, evs_meta_diag *d, evs_error *err)
{
    d->nr = req->nr;
    d->r_values = malloc(req->nr * sizeof *d->r_values);
    d->r_fits = calloc(req->nr, sizeof *d->r_fits);
    if (d->r_values == NULL || d->r_fits == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    for (size_t j = 0; j < req->nr; j++) {
        d->r_values[j] = req->r_values[j];
        evs_studies *c = with_correlation(meta->studies, req->r_values[j]);
        if (c == NULL)
            return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
        evs_error e;
        evs_error_clear(&e);
        evs_fit_options o = *opt;
        o.tau2_ci = false;
        evs_meta *m = evs_meta_run(c, meta->measure, NULL, &o, NULL, &e);
        if (m != NULL) {
            d->r_fits[j] = m->fit;
        } else {
            d->r_fits[j].estimate = NAN;
            add_note(d, "correlation sensitivity", &e);
        }
        evs_meta_free(m);
        evs_studies_free(c);
    }
    return EVS_OK;
}

static evs_status bias(const evs_meta *meta, const evs_fit_options *opt,
                       const evs_diag_request *req, evs_diag_workspace *ws, evs_meta_diag *d,
                       evs_error *err)
{
    size_t k = meta->k;
    if (k < 3) {
        snprintf(d->bias_note, sizeof d->bias_note,
                 "not assessed: the tests need at least 3 studies (k = %zu)", k);
        return EVS_OK;
    }
    evs_error e;
    evs_error_clear(&e);
    if (evs_regtest(ws, meta->y, meta->v, k, opt, EVS_REGTEST_RMA, &d->egger, &e) != EVS_OK ||
        evs_regtest(ws, meta->y, meta->v, k, opt, EVS_REGTEST_LM, &d->egger_lm, &e) != EVS_OK ||
        evs_ranktest(ws, meta->y, meta->v, k, &d->begg, &e) != EVS_OK ||
        evs_trimfill(ws, meta->y, meta->v, k, &meta->fit, opt, req->trimfill_estimator,
                     EVS_SIDE_AUTO, &d->trimfill, &e) != EVS_OK) {
        if (e.code == EVS_ENOMEM)
            return evs_error_set(err, EVS_ENOMEM, 0, 0, "%s", e.message);
        snprintf(d->bias_note, sizeof d->bias_note, "not assessed: %s", e.message);
        return EVS_OK;
    }
    size_t k0 = (size_t)d->trimfill.k0;
    d->fill_y = malloc((k0 ? k0 : 1) * sizeof *d->fill_y);
    d->fill_v = malloc((k0 ? k0 : 1) * sizeof *d->fill_v);
    if (d->fill_y == NULL || d->fill_v == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    memcpy(d->fill_y, d->trimfill.fill_y, k0 * sizeof *d->fill_y);
    memcpy(d->fill_v, d->trimfill.fill_v, k0 * sizeof *d->fill_v);
    d->trimfill.fill_y = d->fill_y;
    d->trimfill.fill_v = d->fill_v;
    d->has_bias = true;
    return EVS_OK;
}

/* Gather the meta rows rows[0..n) into y, v. */
static void gather(const evs_meta *meta, const size_t *rows, size_t n, double *y, double *v)
{
    for (size_t i = 0; i < n; i++) {
        y[i] = meta->y[rows[i]];
        v[i] = meta->v[rows[i]];
    }
}

static evs_status moderators(const evs_meta *meta, const evs_fit_options *opt,
                             const evs_diag_request *req, evs_diag_workspace *dws,
                             evs_meta_diag *d, evs_error *err)
{
    size_t n = req->xk;
    double *y = malloc((n ? n : 1) * sizeof *y), *v = malloc((n ? n : 1) * sizeof *v);
    d->reg_rows = malloc((n ? n : 1) * sizeof *d->reg_rows);
    evs_reg_workspace *ws = evs_reg_workspace_alloc(n, req->p);
    evs_status st = EVS_OK;
    if (y == NULL || v == NULL || d->reg_rows == NULL || ws == NULL) {
        st = evs_error_set(err, req->p > EVS_REG_PMAX ? EVS_EINVAL : EVS_ENOMEM, 0, 0,
                           req->p > EVS_REG_PMAX ? "too many coefficients (at most %d)"
                                                 : "out of memory",
                           EVS_REG_PMAX);
        goto done;
    }
    memcpy(d->reg_rows, req->x_rows, n * sizeof *d->reg_rows);
    gather(meta, req->x_rows, n, y, v);
    evs_error e;
    evs_error_clear(&e);
    if (evs_reg_fit(y, v, req->X, n, req->p, true, opt, ws, &d->reg, &e) != EVS_OK) {
        if (e.code == EVS_ENOMEM) {
            st = evs_error_set(err, EVS_ENOMEM, 0, 0, "%s", e.message);
            goto done;
        }
        add_note(d, "meta-regression", &e);
        goto done;
    }
    d->has_reg = true;
    if (req->permutations > 0) {
        d->seed = req->seed;
        if (evs_permutest(dws, y, v, req->X, n, req->p, true, opt, req->permutations,
                          req->seed, &d->permutation, &e) == EVS_OK)
            d->has_permutation = true;
        else
            add_note(d, "permutation test", &e);
    }
done:
    free(y);
    free(v);
    evs_reg_workspace_free(ws);
    return st;
}

static evs_status subgroups(const evs_meta *meta, const evs_fit_options *opt,
                            const evs_diag_request *req, evs_diag_workspace *ws,
                            evs_meta_diag *d, evs_error *err)
{
    size_t n = req->gk;
    double *y = malloc((n ? n : 1) * sizeof *y), *v = malloc((n ? n : 1) * sizeof *v);
    d->subgroups = calloc(req->ngroups ? req->ngroups : 1, sizeof *d->subgroups);
    d->ngroups = req->ngroups;
    evs_status st = EVS_OK;
    if (y == NULL || v == NULL || d->subgroups == NULL) {
        st = evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    gather(meta, req->g_rows, n, y, v);
    evs_error e;
    evs_error_clear(&e);
    if (evs_subgroups(ws, y, v, n, req->group, req->ngroups, opt, d->subgroups,
                      &d->subgroup_test, &e) == EVS_OK)
        d->has_subgroups = true;
    else
        add_note(d, "subgroups", &e);
done:
    free(y);
    free(v);
    return st;
}

evs_meta_diag *evs_meta_diagnose(const evs_meta *meta, const evs_fit_options *opt,
                                 const evs_diag_request *req, evs_error *err)
{
    size_t k = meta->k, pmax = req->p > 2 ? req->p : 2;
    if (req->ngroups > pmax)
        pmax = req->ngroups;
    /* A model of more coefficients than a regression can have is refused by
     * the diagnostic that asks for it, with its reason in the notes (or
     * EVS_EINVAL for moderators); the workspace cannot hold it anyway. */
    if (pmax > EVS_REG_PMAX)
        pmax = EVS_REG_PMAX;
    evs_meta_diag *d = calloc(1, sizeof *d);
    evs_diag_workspace *ws = evs_diag_workspace_alloc(k, pmax);
    if (d == NULL || ws == NULL) {
        evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
        goto fail;
    }
    d->k = k;
    evs_diag_workspace_set_progress(ws, req->progress, req->progress_ctx);
    evs_error e;
    evs_error_clear(&e);

    if (req->leave1out) {
        if ((d->leave1out = malloc(k * sizeof *d->leave1out)) == NULL)
            goto oom;
        if (evs_leave1out(ws, meta->y, meta->v, k, opt, d->leave1out, &e) != EVS_OK) {
            add_note(d, "leave-one-out", &e);
            free(d->leave1out);
            d->leave1out = NULL;
        }
    }
    if (req->influence) {
        if ((d->influence = malloc(k * sizeof *d->influence)) == NULL)
            goto oom;
        if (evs_influence_diag(ws, meta->y, meta->v, k, &meta->fit, opt, d->influence, &e) !=
            EVS_OK) {
            add_note(d, "influence", &e);
            free(d->influence);
            d->influence = NULL;
        }
    }
    if (req->cumulative) {
        d->cumulative = malloc(k * sizeof *d->cumulative);
        d->cumulative_order = malloc(k * sizeof *d->cumulative_order);
        if (d->cumulative == NULL || d->cumulative_order == NULL)
            goto oom;
        for (size_t j = 0; j < k; j++)
            d->cumulative_order[j] = req->order ? req->order[j] : j;
        if (evs_cumulative(ws, meta->y, meta->v, k, d->cumulative_order, opt, d->cumulative,
                           &e) != EVS_OK) {
            add_note(d, "cumulative", &e);
            free(d->cumulative);
            d->cumulative = NULL;
        }
    }
    if (req->bias && bias(meta, opt, req, ws, d, err) != EVS_OK)
        goto fail;
    if (req->X != NULL && moderators(meta, opt, req, ws, d, err) != EVS_OK)
        goto fail;
    if (req->group != NULL && subgroups(meta, opt, req, ws, d, err) != EVS_OK)
        goto fail;
    if (req->X == NULL && req->permutations > 0) {
        /* the intercept-only model: sign-flip permutations */
        double *X = malloc(k * sizeof *X);
        if (X == NULL)
            goto oom;
        for (size_t i = 0; i < k; i++)
            X[i] = 1;
        d->seed = req->seed;
        if (evs_permutest(ws, meta->y, meta->v, X, k, 1, true, opt, req->permutations,
                          req->seed, &d->permutation, &e) == EVS_OK)
            d->has_permutation = true;
        else
            add_note(d, "permutation test", &e);
        free(X);
    }
    if (req->nr > 0 && r_sensitivity(meta, opt, req, d, err) != EVS_OK)
        goto fail;
    evs_diag_workspace_free(ws);
    return d;

oom:
    evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
fail:
    evs_diag_workspace_free(ws);
    evs_meta_diag_free(d);
    return NULL;
}
