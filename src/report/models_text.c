/*
 * models_text.c -- GLMM, Mantel-Haenszel and Bayesian results as text and
 * JSON (see models_text.h), laid out like meta_text.c's summary.
 */
#include "report/models_text.h"

#include <math.h>
#include <string.h>

#include "evsynth/transf.h"
#include "report/meta_json.h"
#include "report/meta_text.h"

static void set(json_t *obj, const char *key, json_t *value, bool *ok)
{
    if (value == NULL || json_object_set_new(obj, key, value) != 0)
        *ok = false;
}

void evs_model_counts_from(const evs_meta_counts *m, const char *const *labels,
                           evs_model_counts *c)
{
    *c = (evs_model_counts){.k = m->k, .label = labels, .a = m->a, .b = m->b, .c = m->c,
                            .d = m->d, .x = m->x, .n = m->n, .ci_lb = m->ci_lb,
                            .ci_ub = m->ci_ub};
}

static int label_width(const evs_model_counts *c)
{
    size_t width = 5;
    for (size_t j = 0; j < c->k; j++)
        width = strlen(c->label[j]) > width ? strlen(c->label[j]) : width;
    return (int)(width > 32 ? 32 : width);
}

/* The studies' counts, proportions with their exact intervals. */
static void write_counts(const evs_model_counts *c, double level, FILE *out)
{
    int w = label_width(c);
    if (c->x != NULL) {
        fprintf(out, "\nStudies (observed proportions, %g%% Clopper-Pearson intervals):\n", level);
        fprintf(out, "  %-*s %8s %8s %10s %22s\n", w, "study", "events", "n", "proportion",
                "exact CI");
        for (size_t j = 0; j < c->k; j++)
            fprintf(out, "  %-*.*s %8.0f %8.0f %10.4f   [%.4f, %.4f]\n", w, w, c->label[j],
                    c->x[j], c->n[j], c->x[j] / c->n[j], c->ci_lb[j], c->ci_ub[j]);
    } else {
        fprintf(out, "\nStudies (2x2 tables):\n  %-*s %8s %8s %8s %8s\n", w, "study", "ai", "bi",
                "ci", "di");
        for (size_t j = 0; j < c->k; j++)
            fprintf(out, "  %-*.*s %8.0f %8.0f %8.0f %8.0f\n", w, w, c->label[j], c->a[j],
                    c->b[j], c->c[j], c->d[j]);
    }
}

int evs_glmm_write_text(const evs_glmm_fit *g, const evs_model_counts *c, FILE *out)
{
    char p[16];
    const char *what = g->measure == EVS_MEASURE_OR ? "odds ratio, model UM.FS"
                                                    : "logit proportion";
    fprintf(out, "Binomial-normal model (GLMM, %s; k = %zu; ML, %d-point adaptive "
                 "Gauss-Hermite quadrature)\n",
            what, g->k, g->nagq);
    if (g->common_effect)
        fprintf(out, "Reported: the common-effect model\n");
    if (!g->converged && !g->common_effect)
        fprintf(out, "\n*** WARNING: the fit did NOT converge. ***\n");
    for (unsigned bit = 1; bit < (1u << EVS_GLMM_WARN_COUNT_); bit <<= 1)
        if (g->warnings & bit)
            fprintf(out, "Note: %s.\n", evs_glmm_warning_text(bit));
    fputc('\n', out);
    fprintf(out, "tau^2 (estimated amount of total heterogeneity): %.4f\n", g->tau2);
    fprintf(out, "tau (square root of estimated tau^2 value):      %.4f\n", sqrt(g->tau2));
    fprintf(out, "I^2 (total heterogeneity / total variability):   %.2f%%\n", g->I2);
    fprintf(out, "H^2 (total variability / sampling variability):  %.2f\n", g->H2);
    if (g->k >= 2) {
        evs_format_pval(g->QE_wald_p, p, sizeof p);
        fprintf(out, "\nTests for heterogeneity:\nWald-type test: QE(df = %d) = %.4f, p-val %s%s\n",
                g->QE_df, g->QE_wald, p[0] == '<' ? "" : "= ", p);
        evs_format_pval(g->QE_lrt_p, p, sizeof p);
        fprintf(out, "LRT:            QE(df = %d) = %.4f, p-val %s%s\n", g->QE_df, g->QE_lrt,
                p[0] == '<' ? "" : "= ", p);
    }
    evs_format_pval(g->pval, p, sizeof p);
    bool t = !isnan(g->df);
    fprintf(out, "\nModel results%s:\n\n%10s %9s %9s %8s %9s %9s\n", t ? " (t distribution)" : "",
            "estimate", "se", t ? "tval" : "zval", "pval", "ci.lb", "ci.ub");
    fprintf(out, "%10.4f %9.4f %9.4f %8s %9.4f %9.4f\n", g->estimate, g->se, g->stat, p,
            g->ci_lb, g->ci_ub);
    if (!isnan(g->pi_lb))
        fprintf(out, "\n%g%% prediction interval: [%.4f, %.4f]\n", g->level, g->pi_lb, g->pi_ub);
    fprintf(out, "\nBack-transformed to the %s scale:\n  estimate %.4f, %g%% CI [%.4f, %.4f]",
            evs_backtransform_scale(g->measure), evs_backtransform(g->measure, g->estimate, NAN),
            g->level, evs_backtransform(g->measure, g->ci_lb, NAN),
            evs_backtransform(g->measure, g->ci_ub, NAN));
    if (!isnan(g->pi_lb))
        fprintf(out, ", prediction interval [%.4f, %.4f]",
                evs_backtransform(g->measure, g->pi_lb, NAN),
                evs_backtransform(g->measure, g->pi_ub, NAN));
    fprintf(out, "\n\nLog-likelihood %.4f (common-effect model %.4f, saturated %.4f); "
                 "%d Newton iteration%s.\n",
            g->loglik, g->loglik_ce, g->loglik_sat, g->iterations,
            g->iterations == 1 ? "" : "s");
    write_counts(c, g->level, out);
    return ferror(out) ? -1 : 0;
}

static json_t *counts_json(const evs_model_counts *c, bool *ok)
{
    json_t *arr = json_array();
    for (size_t j = 0; arr != NULL && j < c->k; j++) {
        json_t *st = json_object();
        if (st == NULL || json_array_append_new(arr, st) != 0) {
            *ok = false;
            break;
        }
        set(st, "label", json_string(c->label[j]), ok);
        if (c->x != NULL) {
            set(st, "events", evs_json_number(c->x[j]), ok);
            set(st, "n", evs_json_number(c->n[j]), ok);
            set(st, "proportion", evs_json_number(c->x[j] / c->n[j]), ok);
            set(st, "ci_lb", evs_json_number(c->ci_lb[j]), ok);
            set(st, "ci_ub", evs_json_number(c->ci_ub[j]), ok);
            set(st, "ci_method", json_string("CP"), ok);
        } else {
            set(st, "ai", evs_json_number(c->a[j]), ok);
            set(st, "bi", evs_json_number(c->b[j]), ok);
            set(st, "ci", evs_json_number(c->c[j]), ok);
            set(st, "di", evs_json_number(c->d[j]), ok);
        }
    }
    return arr;
}

json_t *evs_glmm_json(const evs_glmm_fit *g, const evs_model_counts *c)
{
    bool ok = true;
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    set(o, "k", json_integer((json_int_t)g->k), &ok);
    set(o, "k_dropped", json_integer((json_int_t)g->k_dropped), &ok);
    set(o, "measure", json_string(evs_measure_name(g->measure)), &ok);
    set(o, "method", json_string("GLMM"), &ok);
    set(o, "model", json_string(g->measure == EVS_MEASURE_OR ? "UM.FS" : "binomial-normal"),
        &ok);
    set(o, "nagq", json_integer(g->nagq), &ok);
    set(o, "level", evs_json_number(g->level), &ok);
    set(o, "common_effect", json_boolean(g->common_effect), &ok);
    set(o, "estimate", evs_json_number(g->estimate), &ok);
    set(o, "se", evs_json_number(g->se), &ok);
    set(o, "stat", evs_json_number(g->stat), &ok);
    set(o, "pval", evs_json_number(g->pval), &ok);
    set(o, "ci_lb", evs_json_number(g->ci_lb), &ok);
    set(o, "ci_ub", evs_json_number(g->ci_ub), &ok);
    set(o, "pi_lb", evs_json_number(g->pi_lb), &ok);
    set(o, "pi_ub", evs_json_number(g->pi_ub), &ok);
    set(o, "tau2", evs_json_number(g->tau2), &ok);
    set(o, "I2", evs_json_number(g->I2), &ok);
    set(o, "H2", evs_json_number(g->H2), &ok);
    set(o, "QE_wald", evs_json_number(g->QE_wald), &ok);
    set(o, "QE_wald_p", evs_json_number(g->QE_wald_p), &ok);
    set(o, "QE_lrt", evs_json_number(g->QE_lrt), &ok);
    set(o, "QE_lrt_p", evs_json_number(g->QE_lrt_p), &ok);
    set(o, "QE_df", json_integer(g->QE_df), &ok);
    set(o, "loglik", evs_json_number(g->loglik), &ok);
    set(o, "iterations", json_integer(g->iterations), &ok);
    set(o, "converged", json_boolean(g->converged), &ok);
    json_t *w = json_array();
    for (unsigned bit = 1; w != NULL && bit < (1u << EVS_GLMM_WARN_COUNT_); bit <<= 1)
        if (g->warnings & bit)
            json_array_append_new(w, json_string(evs_glmm_warning_text(bit)));
    set(o, "warnings", w, &ok);
    set(o, "studies", counts_json(c, &ok), &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int evs_mh_write_text(const evs_mh_fit *f, const evs_model_counts *c, FILE *out)
{
    char p[16];
    fprintf(out, "Common-effect model, Mantel-Haenszel method (k = %zu)\nMeasure: %s\n\n", f->k,
            evs_measure_name(f->measure));
    evs_format_pval(f->QE_p, p, sizeof p);
    fprintf(out, "I^2 (total heterogeneity / total variability):  %.2f%%\n", f->I2);
    fprintf(out, "H^2 (total variability / sampling variability): %.2f\n", f->H2);
    fprintf(out, "\nTest for heterogeneity:\nQ(df = %d) = %.4f, p-val %s%s\n", f->QE_df, f->QE,
            p[0] == '<' ? "" : "= ", p);
    evs_format_pval(f->pval, p, sizeof p);
    fprintf(out, "\nModel results:\n\n%10s %9s %9s %8s %9s %9s\n", "estimate", "se", "zval",
            "pval", "ci.lb", "ci.ub");
    fprintf(out, "%10.4f %9.4f %9.4f %8s %9.4f %9.4f\n", f->estimate, f->se, f->stat, p,
            f->ci_lb, f->ci_ub);
    if (f->measure != EVS_MEASURE_RD)
        fprintf(out, "\nBack-transformed to the %s scale:\n  estimate %.4f, %g%% CI [%.4f, %.4f]\n",
                evs_backtransform_scale(f->measure), exp(f->estimate), f->level,
                exp(f->ci_lb), exp(f->ci_ub));
    if (f->measure == EVS_MEASURE_OR) {
        evs_format_pval(f->CMH_p, p, sizeof p);
        fprintf(out, "\nCochran-Mantel-Haenszel test: CMH = %.4f, df = 1, p-val %s%s\n", f->CMH,
                p[0] == '<' ? "" : "= ", p);
        evs_format_pval(f->TA_p, p, sizeof p);
        fprintf(out, "Tarone's test for heterogeneity: X^2 = %.4f, df = %zu, p-val %s%s\n",
                f->TA, f->k_pos > 0 ? f->k_pos - 1 : 0, p[0] == '<' ? "" : "= ", p);
    }
    write_counts(c, f->level, out);
    return ferror(out) ? -1 : 0;
}

json_t *evs_mh_json(const evs_mh_fit *f, const evs_model_counts *c)
{
    bool ok = true;
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    set(o, "k", json_integer((json_int_t)f->k), &ok);
    set(o, "measure", json_string(evs_measure_name(f->measure)), &ok);
    set(o, "method", json_string("MH"), &ok);
    set(o, "level", evs_json_number(f->level), &ok);
    set(o, "estimate", evs_json_number(f->estimate), &ok);
    set(o, "se", evs_json_number(f->se), &ok);
    set(o, "stat", evs_json_number(f->stat), &ok);
    set(o, "pval", evs_json_number(f->pval), &ok);
    set(o, "ci_lb", evs_json_number(f->ci_lb), &ok);
    set(o, "ci_ub", evs_json_number(f->ci_ub), &ok);
    set(o, "QE", evs_json_number(f->QE), &ok);
    set(o, "QE_df", json_integer(f->QE_df), &ok);
    set(o, "QE_p", evs_json_number(f->QE_p), &ok);
    set(o, "I2", evs_json_number(f->I2), &ok);
    set(o, "H2", evs_json_number(f->H2), &ok);
    if (f->measure == EVS_MEASURE_OR) {
        set(o, "CMH", evs_json_number(f->CMH), &ok);
        set(o, "CMH_p", evs_json_number(f->CMH_p), &ok);
        set(o, "BD", evs_json_number(f->BD), &ok);
        set(o, "BD_p", evs_json_number(f->BD_p), &ok);
        set(o, "TA", evs_json_number(f->TA), &ok);
        set(o, "TA_p", evs_json_number(f->TA_p), &ok);
    }
    set(o, "studies", counts_json(c, &ok), &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static void prior_text(const evs_bayes_options *o, char *buf, size_t size)
{
    if (o->mu_prior == EVS_MU_PRIOR_NORMAL)
        snprintf(buf, size, "tau ~ %s(scale %g), mu ~ N(%g, %g^2)", evs_tau_prior_name(o->tau_prior),
                 o->tau_scale, o->mu_mean, o->mu_sd);
    else
        snprintf(buf, size, "tau ~ %s(scale %g), flat prior on mu",
                 evs_tau_prior_name(o->tau_prior), o->tau_scale);
}

int evs_bayes_write_text(const evs_bayes_fit *b, const evs_bayes_options *o,
                         evs_measure measure, const evs_bayes_probs *p, FILE *out)
{
    char pr[160];
    prior_text(o, pr, sizeof pr);
    const char *kind = b->interval == EVS_INTERVAL_SHORTEST ? "shortest" : "central";
    fprintf(out, "\nBayesian random-effects model (k = %zu; %s; exact integration over tau)\n",
            b->k, pr);
    if (!b->converged)
        fprintf(out, "*** WARNING: the integral over tau did not reach its tolerance. ***\n");
    fprintf(out, "\n%-28s %10s %10s %10s\n", "", "median", "lower", "upper");
    fprintf(out, "%-28s %10.4f %10.4f %10.4f\n", "mu (overall effect)", b->mu_median, b->mu_lb,
            b->mu_ub);
    fprintf(out, "%-28s %10.4f %10.4f %10.4f\n", "tau (heterogeneity)", b->tau_median, b->tau_lb,
            b->tau_ub);
    fprintf(out, "%-28s %10.4f %10.4f %10.4f\n", "theta_new (predictive)", b->pred_median,
            b->pred_lb, b->pred_ub);
    fprintf(out, "(%g%% %s credible intervals; posterior mean of mu %.4f", b->level, kind,
            b->mu_mean);
    if (!isnan(b->mu_sd))
        fprintf(out, ", sd %.4f", b->mu_sd);
    fprintf(out, ")\n");
    const char *scale = evs_backtransform_scale(measure);
    if (scale != NULL)
        fprintf(out, "Back-transformed to the %s scale: mu %.4f [%.4f, %.4f], predictive "
                     "[%.4f, %.4f]\n",
                scale, evs_backtransform(measure, b->mu_median, NAN),
                evs_backtransform(measure, b->mu_lb, NAN),
                evs_backtransform(measure, b->mu_ub, NAN),
                evs_backtransform(measure, b->pred_lb, NAN),
                evs_backtransform(measure, b->pred_ub, NAN));
    if (p != NULL && !isnan(p->threshold))
        fprintf(out, "P(mu > %g) = %.4f; P(theta_new > %g) = %.4f\n", p->threshold, p->mu_above,
                p->threshold, p->pred_above);
    return ferror(out) ? -1 : 0;
}

json_t *evs_bayes_json(const evs_bayes_fit *b, const evs_bayes_options *o,
                       const evs_bayes_probs *p)
{
    bool ok = true;
    json_t *j = json_object();
    if (j == NULL)
        return NULL;
    set(j, "k", json_integer((json_int_t)b->k), &ok);
    set(j, "tau_prior", json_string(evs_tau_prior_name(o->tau_prior)), &ok);
    set(j, "tau_scale", evs_json_number(o->tau_scale), &ok);
    set(j, "mu_prior", json_string(o->mu_prior == EVS_MU_PRIOR_NORMAL ? "normal" : "flat"), &ok);
    if (o->mu_prior == EVS_MU_PRIOR_NORMAL) {
        set(j, "mu_prior_mean", evs_json_number(o->mu_mean), &ok);
        set(j, "mu_prior_sd", evs_json_number(o->mu_sd), &ok);
    }
    set(j, "level", evs_json_number(b->level), &ok);
    set(j, "interval", json_string(b->interval == EVS_INTERVAL_SHORTEST ? "shortest" : "central"),
        &ok);
    set(j, "mu_median", evs_json_number(b->mu_median), &ok);
    set(j, "mu_lb", evs_json_number(b->mu_lb), &ok);
    set(j, "mu_ub", evs_json_number(b->mu_ub), &ok);
    set(j, "mu_mean", evs_json_number(b->mu_mean), &ok);
    set(j, "mu_sd", evs_json_number(b->mu_sd), &ok);
    set(j, "tau_median", evs_json_number(b->tau_median), &ok);
    set(j, "tau_lb", evs_json_number(b->tau_lb), &ok);
    set(j, "tau_ub", evs_json_number(b->tau_ub), &ok);
    set(j, "pred_median", evs_json_number(b->pred_median), &ok);
    set(j, "pred_lb", evs_json_number(b->pred_lb), &ok);
    set(j, "pred_ub", evs_json_number(b->pred_ub), &ok);
    if (p != NULL && !isnan(p->threshold)) {
        set(j, "threshold", evs_json_number(p->threshold), &ok);
        set(j, "p_mu_above", evs_json_number(p->mu_above), &ok);
        set(j, "p_pred_above", evs_json_number(p->pred_above), &ok);
    }
    set(j, "converged", json_boolean(b->converged), &ok);
    if (!ok) {
        json_decref(j);
        return NULL;
    }
    return j;
}
