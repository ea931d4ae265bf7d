/*
 * meta_json.c -- a meta-analysis result as JSON (see meta_json.h).
 */
#include "report/meta_json.h"

#include <math.h>

#include "report/meta_notes.h"

json_t *evs_json_number(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static void add_note(const char *text, void *ctx)
{
    json_array_append_new(ctx, json_string(text));
}

/* json_object_set_new() that remembers a failure instead of returning it. */
static void set(json_t *obj, const char *key, json_t *value, bool *ok)
{
    if (value == NULL || json_object_set_new(obj, key, value) != 0)
        *ok = false;
}

/* The fit's numbers, in the order the README lists the keys. */
static void add_fit(json_t *o, const evs_meta *meta, bool *ok)
{
    const evs_fit *f = &meta->fit;
    set(o, "k", json_integer((json_int_t)f->k), ok);
    set(o, "measure", json_string(evs_measure_name(meta->measure)), ok);
    set(o, "method", json_string(evs_method_name(f->method)), ok);
    set(o, "test", json_string(evs_test_name(f->test)), ok);
    set(o, "level", evs_json_number(f->level), ok);
    set(o, "estimate", evs_json_number(f->estimate), ok);
    set(o, "se", evs_json_number(f->se), ok);
    set(o, "stat", evs_json_number(f->stat), ok);
    set(o, "pval", evs_json_number(f->pval), ok);
    set(o, "ci_lb", evs_json_number(f->ci_lb), ok);
    set(o, "ci_ub", evs_json_number(f->ci_ub), ok);
    set(o, "pi_lb", evs_json_number(f->pi_lb), ok);
    set(o, "pi_ub", evs_json_number(f->pi_ub), ok);
    set(o, "tau2", evs_json_number(f->tau2), ok);
    set(o, "tau", evs_json_number(sqrt(f->tau2)), ok);
    set(o, "tau2_ci_lb", evs_json_number(f->tau2_ci_lb), ok);
    set(o, "tau2_ci_ub", evs_json_number(f->tau2_ci_ub), ok);
    set(o, "I2", evs_json_number(f->I2), ok);
    set(o, "I2_ci_lb", evs_json_number(f->I2_ci_lb), ok);
    set(o, "I2_ci_ub", evs_json_number(f->I2_ci_ub), ok);
    set(o, "H2", evs_json_number(f->H2), ok);
    set(o, "QE", evs_json_number(f->QE), ok);
    set(o, "QE_df", json_integer(f->QE_df), ok);
    set(o, "QE_p", evs_json_number(f->QE_p), ok);
    set(o, "iterations", json_integer(f->iterations), ok);
    set(o, "converged", json_boolean(f->converged), ok);
}

/* [{label, yi, vi, weight}] of the studies in the fit. */
static json_t *studies_array(const evs_meta *meta, bool *ok)
{
    json_t *studies = json_array();
    for (size_t j = 0; studies != NULL && j < meta->k; j++) {
        json_t *st = json_object();
        if (st == NULL || json_array_append_new(studies, st) != 0) {
            *ok = false;
            break;
        }
        char buf[EVS_LABEL_DEFAULT_MAX];
        set(st, "label", json_string(evs_meta_label(meta, j, buf)), ok);
        set(st, "yi", evs_json_number(meta->y[j]), ok);
        set(st, "vi", evs_json_number(meta->v[j]), ok);
        set(st, "weight", evs_json_number(meta->weights[j]), ok);
    }
    return studies;
}

json_t *evs_meta_json(const evs_meta *meta, bool with_studies)
{
    bool ok = true;
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    add_fit(o, meta, &ok);
    json_t *warnings = json_array();
    if (warnings != NULL)
        evs_meta_notes(meta, add_note, warnings);
    set(o, "warnings", warnings, &ok);
    if (with_studies)
        set(o, "studies", studies_array(meta, &ok), &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int evs_json_dump(const json_t *value, FILE *out, bool pretty)
{
    size_t flags = JSON_REAL_PRECISION(17) | (pretty ? JSON_INDENT(2) : JSON_COMPACT);
    if (json_dumpf(value, out, flags) != 0)
        return -1;
    return fputc('\n', out) == EOF ? -1 : 0;
}

/* ---------------------------------------------------------------------------
 * Diagnostics
 */

/* The label of study j, in a buffer that lasts for one call. */
static const char *row_label(const evs_meta *meta, size_t j)
{
    static _Thread_local char buf[EVS_LABEL_DEFAULT_MAX];
    return evs_meta_label(meta, j, buf);
}

/* {estimate, se, ci_lb, ci_ub, tau2, I2} of a fit, with a label first. */
static json_t *fit_summary(const char *label, const evs_fit *f, bool with_qe, bool *ok)
{
    json_t *o = json_object();
    if (o == NULL) {
        *ok = false;
        return NULL;
    }
    set(o, "label", json_string(label), ok);
    set(o, "estimate", evs_json_number(f->estimate), ok);
    set(o, "se", evs_json_number(f->se), ok);
    set(o, "ci_lb", evs_json_number(f->ci_lb), ok);
    set(o, "ci_ub", evs_json_number(f->ci_ub), ok);
    set(o, "tau2", evs_json_number(f->tau2), ok);
    set(o, "I2", evs_json_number(f->I2), ok);
    if (with_qe)
        set(o, "QE", evs_json_number(f->QE), ok);
    return o;
}

static json_t *regtest_json(const evs_regtest_result *r, bool *ok)
{
    json_t *o = json_object();
    if (o == NULL) {
        *ok = false;
        return NULL;
    }
    set(o, "stat", evs_json_number(r->stat), ok);
    set(o, "df", evs_json_number(r->df), ok);
    set(o, "pval", evs_json_number(r->pval), ok);
    set(o, "limit_estimate", evs_json_number(r->limit_estimate), ok);
    set(o, "limit_ci_lb", evs_json_number(r->limit_ci_lb), ok);
    set(o, "limit_ci_ub", evs_json_number(r->limit_ci_ub), ok);
    return o;
}

/* "leave1out": the model without each study. */
static void add_leave1out(json_t *o, const evs_meta *meta, const evs_meta_diag *d, bool *ok)
{
    size_t k = d->k;
    json_t *a = json_array();
    for (size_t j = 0; a && j < k; j++)
        json_array_append_new(a, fit_summary(row_label(meta, j), &d->leave1out[j], true, ok));
    set(o, "leave1out", a, ok);
}

/* "influence": Viechtbauer and Cheung's diagnostics of each study. */
static void add_influence(json_t *o, const evs_meta *meta, const evs_meta_diag *d, bool *ok)
{
    size_t k = d->k;
    json_t *a = json_array();
    for (size_t j = 0; a && j < k; j++) {
        const evs_influence *r = &d->influence[j];
        json_t *e = json_object();
        if (e == NULL || json_array_append_new(a, e) != 0) {
            *ok = false;
            break;
        }
        set(e, "label", json_string(row_label(meta, j)), ok);
        set(e, "rstudent", evs_json_number(r->rstudent), ok);
        set(e, "dffits", evs_json_number(r->dffits), ok);
        set(e, "cook_d", evs_json_number(r->cook_d), ok);
        set(e, "cov_r", evs_json_number(r->cov_r), ok);
        set(e, "tau2_del", evs_json_number(r->tau2_del), ok);
        set(e, "QE_del", evs_json_number(r->QE_del), ok);
        set(e, "hat", evs_json_number(r->hat), ok);
        set(e, "weight", evs_json_number(r->weight), ok);
        set(e, "influential", json_boolean(r->influential), ok);
    }
    set(o, "influence", a, ok);
}

/* "cumulative": the model on the first 1, 2, ... studies. */
static void add_cumulative(json_t *o, const evs_meta *meta, const evs_meta_diag *d, bool *ok)
{
    size_t k = d->k;
    json_t *a = json_array();
    for (size_t j = 0; a && j < k; j++)
        json_array_append_new(a, fit_summary(row_label(meta, d->cumulative_order[j]),
                                             &d->cumulative[j], false, ok));
    set(o, "cumulative", a, ok);
}

/* Egger (both models), Begg and trim and fill. */
static void add_bias(json_t *o, const evs_meta_diag *d, bool *ok)
{
    set(o, "egger", regtest_json(&d->egger, ok), ok);
    set(o, "egger_classic", regtest_json(&d->egger_lm, ok), ok);
    json_t *b = json_object();
    if (b) {
        set(b, "tau", evs_json_number(d->begg.tau), ok);
        set(b, "pval", evs_json_number(d->begg.pval), ok);
        set(b, "exact", json_boolean(d->begg.exact), ok);
    }
    set(o, "begg", b, ok);
    json_t *t = json_object();
    if (t) {
        const evs_trimfill_result *tf = &d->trimfill;
        set(t, "k0", json_integer(tf->k0), ok);
        set(t, "side", json_string(tf->side == EVS_SIDE_LEFT ? "left" : "right"), ok);
        set(t, "estimate", evs_json_number(tf->fit.estimate), ok);
        set(t, "se", evs_json_number(tf->fit.se), ok);
        set(t, "ci_lb", evs_json_number(tf->fit.ci_lb), ok);
        set(t, "ci_ub", evs_json_number(tf->fit.ci_ub), ok);
        set(t, "tau2", evs_json_number(tf->fit.tau2), ok);
    }
    set(o, "trimfill", t, ok);
}

/* "subgroups" and the tests of their differences. */
static void add_subgroups(json_t *o, const evs_meta_diag *d, const char *const *levels, bool *ok)
{
    json_t *a = json_array();
    for (size_t g = 0; a && g < d->ngroups; g++) {
        json_t *e = json_object();
        if (e == NULL || json_array_append_new(a, e) != 0) {
            *ok = false;
            break;
        }
        const evs_fit *f = &d->subgroups[g];
        set(e, "level", json_string(levels[g]), ok);
        set(e, "k", json_integer((json_int_t)f->k), ok);
        set(e, "estimate", evs_json_number(f->estimate), ok);
        set(e, "se", evs_json_number(f->se), ok);
        set(e, "ci_lb", evs_json_number(f->ci_lb), ok);
        set(e, "ci_ub", evs_json_number(f->ci_ub), ok);
        set(e, "tau2", evs_json_number(f->tau2), ok);
        set(e, "I2", evs_json_number(f->I2), ok);
    }
    set(o, "subgroups", a, ok);
    const evs_subgroup_test *t = &d->subgroup_test;
    set(o, "Q_between", evs_json_number(t->Q_between), ok);
    set(o, "Q_between_df", json_integer(t->Q_between_df), ok);
    set(o, "Q_between_p", evs_json_number(t->Q_between_p), ok);
    set(o, "Q_between_common", evs_json_number(t->QM), ok);
    set(o, "Q_between_common_df", json_integer(t->QM_df), ok);
    set(o, "Q_between_common_df2", t->QM_df2 > 0 ? json_integer(t->QM_df2) : json_null(),
        ok);
    set(o, "Q_between_common_p", evs_json_number(t->QM_p), ok);
}

/* "moderators" and the meta-regression's tests and heterogeneity. */
static void add_regression(json_t *o, const evs_meta_diag *d, const char *const *coef_names,
                           bool *ok)
{
    const evs_reg *r = &d->reg;
    json_t *a = json_array();
    for (size_t j = 0; a && j < r->p; j++) {
        json_t *e = json_object();
        if (e == NULL || json_array_append_new(a, e) != 0) {
            *ok = false;
            break;
        }
        set(e, "name", json_string(coef_names[j]), ok);
        set(e, "estimate", evs_json_number(r->beta[j]), ok);
        set(e, "se", evs_json_number(r->se[j]), ok);
        set(e, "stat", evs_json_number(r->stat[j]), ok);
        set(e, "pval", evs_json_number(r->pval[j]), ok);
        set(e, "ci_lb", evs_json_number(r->ci_lb[j]), ok);
        set(e, "ci_ub", evs_json_number(r->ci_ub[j]), ok);
    }
    set(o, "moderators", a, ok);
    set(o, "QM", evs_json_number(r->QM), ok);
    set(o, "QM_df", json_integer(r->QM_df), ok);
    set(o, "QM_df2", r->QM_df2 > 0 ? json_integer(r->QM_df2) : json_null(), ok);
    set(o, "QM_p", evs_json_number(r->QM_p), ok);
    set(o, "R2", evs_json_number(r->R2), ok);
    set(o, "k_reg", json_integer((json_int_t)r->k), ok);
    set(o, "tau2_res", evs_json_number(r->tau2), ok);
    set(o, "I2_res", evs_json_number(r->I2), ok);
    set(o, "QE_res", evs_json_number(r->QE), ok);
    set(o, "QE_res_df", json_integer(r->QE_df), ok);
    set(o, "QE_res_p", evs_json_number(r->QE_p), ok);
}

/* "permutation": the permutation p-values. */
static void add_permutation(json_t *o, const evs_meta_diag *d, bool *ok)
{
    const evs_permutest_result *pr = &d->permutation;
    json_t *e = json_object(), *pv = json_array();
    size_t p = d->has_reg ? d->reg.p : 1;
    for (size_t j = 0; pv && j < p; j++)
        json_array_append_new(pv, evs_json_number(pr->pval[j]));
    if (e) {
        set(e, "iterations", json_integer((json_int_t)pr->iterations), ok);
        set(e, "exact", json_boolean(pr->exact), ok);
        set(e, "seed", json_integer((json_int_t)d->seed), ok);
        set(e, "pval", pv, ok);
        set(e, "QM_p", evs_json_number(pr->QM_p), ok);
    }
    set(o, "permutation", e, ok);
}

/* "r_sensitivity": the reruns with every ri set to each value. */
static void add_r_sensitivity(json_t *o, const evs_meta_diag *d, bool *ok)
{
    json_t *a = json_array();
    for (size_t j = 0; a && j < d->nr; j++) {
        const evs_fit *f = &d->r_fits[j];
        json_t *e = json_object();
        if (e == NULL || json_array_append_new(a, e) != 0) {
            *ok = false;
            break;
        }
        set(e, "r", evs_json_number(d->r_values[j]), ok);
        set(e, "converged", json_boolean(!isnan(f->estimate)), ok);
        set(e, "estimate", evs_json_number(f->estimate), ok);
        set(e, "se", evs_json_number(f->se), ok);
        set(e, "ci_lb", evs_json_number(f->ci_lb), ok);
        set(e, "ci_ub", evs_json_number(f->ci_ub), ok);
        set(e, "pi_lb", evs_json_number(f->pi_lb), ok);
        set(e, "pi_ub", evs_json_number(f->pi_ub), ok);
        set(e, "tau2", evs_json_number(f->tau2), ok);
        set(e, "I2", evs_json_number(f->I2), ok);
    }
    set(o, "r_sensitivity", a, ok);
}

int evs_meta_json_add_diag(json_t *o, const evs_meta *meta, const evs_meta_diag *d,
                           const char *const *coef_names, const char *const *levels)
{
    bool ok = true;
    if (d->leave1out)
        add_leave1out(o, meta, d, &ok);
    if (d->influence)
        add_influence(o, meta, d, &ok);
    if (d->cumulative)
        add_cumulative(o, meta, d, &ok);
    if (d->has_bias)
        add_bias(o, d, &ok);
    if (d->has_subgroups)
        add_subgroups(o, d, levels, &ok);
    if (d->has_reg)
        add_regression(o, d, coef_names, &ok);
    if (d->has_permutation)
        add_permutation(o, d, &ok);
    if (d->nr > 0)
        add_r_sensitivity(o, d, &ok);
    if (d->note[0] != '\0' || d->bias_note[0] != '\0') {
        json_t *w = json_object_get(o, "warnings");
        if (d->bias_note[0] != '\0')
            json_array_append_new(w, json_string(d->bias_note));
        if (d->note[0] != '\0')
            json_array_append_new(w, json_string(d->note));
    }
    return ok ? 0 : -1;
}
