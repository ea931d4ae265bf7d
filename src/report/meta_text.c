/*
 * meta_text.c -- the readable summary of a meta-analysis (see meta_text.h),
 * one function per section, in the order print.rma() prints them.
 *
 * A quantity that is not defined for the data (NaN, or an infinity such as
 * the t statistic of a zero standard error) is written "n/a"; the reason is
 * among the warnings at the end (issue 15.4: never "nan" or "inf").
 */
#include "report/meta_text.h"

#include <math.h>
#include <string.h>

#include "evsynth/transf.h"
#include "report/meta_notes.h"

#define NUM_MAX 48

/* x with `decimals` decimals into buf, or "n/a" when it is not finite. */
static const char *num(char buf[NUM_MAX], double x, int decimals)
{
    if (!isfinite(x))
        return "n/a";
    snprintf(buf, NUM_MAX, "%.*f", decimals, x);
    return buf;
}

/* x in percent with 2 decimals, "12.34%", or "n/a". */
static const char *pct(char buf[NUM_MAX], double x)
{
    if (!isfinite(x))
        return "n/a";
    snprintf(buf, NUM_MAX, "%.2f%%", x);
    return buf;
}

/* " " then x right-aligned in `width` columns (4 decimals). */
static void col(FILE *out, int width, double x)
{
    char b[NUM_MAX];
    fprintf(out, " %*s", width, num(b, x, 4));
}

/* " " then x in percent, 2 decimals, the number right-aligned in `width`. */
static void col_percent(FILE *out, int width, double x)
{
    char b[NUM_MAX];
    if (isfinite(x))
        fprintf(out, " %*s%%", width, num(b, x, 2));
    else
        fprintf(out, " %*s", width + 1, "n/a");
}

void evs_format_pval(double p, char *buf, size_t size)
{
    if (isnan(p))
        snprintf(buf, size, "NA");
    else if (p < 1e-4)
        snprintf(buf, size, "<.0001");
    else
        snprintf(buf, size, "%.4f", p);
}

/* "= 0.0123" or "<.0001", as after "p" in metafor's output. */
static const char *p_clause(char *buf, size_t size, double p)
{
    char v[16];
    evs_format_pval(p, v, sizeof v);
    snprintf(buf, size, "%s%s", v[0] == '<' ? "" : "= ", v);
    return buf;
}

static void count_note(const char *text, void *ctx)
{
    (void)text;
    ++*(size_t *)ctx;
}

static void print_note(const char *text, void *ctx)
{
    fprintf(ctx, "  - %s\n", text);
}

/* "[lb, ub]" with 4 decimals, or "not computed". */
static void interval(char *buf, size_t size, double lb, double ub)
{
    char a[NUM_MAX], b[NUM_MAX];
    if (isnan(lb) && isnan(ub))
        snprintf(buf, size, "not computed");
    else
        snprintf(buf, size, "[%s, %s]", num(a, lb, 4), num(b, ub, 4));
}

/* Width of the study-label column: the longest label, at most 32 bytes. */
static int label_width(const evs_meta *meta)
{
    size_t width = 5;
    for (size_t j = 0; j < meta->k; j++) {
        char buf[EVS_LABEL_DEFAULT_MAX];
        size_t n = strlen(evs_meta_label(meta, j, buf));
        if (n > width)
            width = n;
    }
    return (int)(width > 32 ? 32 : width);
}

/* ---------------------------------------------------------------------------
 * The model
 */

static void write_title(const evs_meta *meta, FILE *out)
{
    const evs_fit *f = &meta->fit;
    if (f->method != EVS_METHOD_FE)
        fprintf(out, "Random-effects model (k = %zu; tau^2 estimator: %s)\n", f->k,
                evs_method_name(f->method));
    else
        fprintf(out, "Common-effect model (k = %zu)\n", f->k);
    fprintf(out, "Measure: %s (%s)\n", evs_measure_name(meta->measure),
            evs_measure_description(meta->measure));
    if (!f->converged)
        fprintf(out, "\n*** WARNING: the tau^2 estimate did NOT converge. The numbers below "
                     "are not reliable. ***\n");
    fputc('\n', out);
}

static void write_heterogeneity(const evs_fit *f, FILE *out)
{
    char a[NUM_MAX], b[NUM_MAX], ci[128];
    if (f->method == EVS_METHOD_FE) {
        fprintf(out, "I^2 (total heterogeneity / total variability):   %s\n", pct(a, f->I2));
        fprintf(out, "H^2 (total variability / sampling variability):  %s\n", num(a, f->H2, 2));
        return;
    }
    fprintf(out, "tau^2 (estimated amount of total heterogeneity): %s (SE = %s)\n",
            num(a, f->tau2, 4), num(b, f->se_tau2, 4));
    fprintf(out, "tau (square root of estimated tau^2 value):      %s\n",
            num(a, sqrt(f->tau2), 4));
    fprintf(out, "I^2 (total heterogeneity / total variability):   %s\n", pct(a, f->I2));
    fprintf(out, "H^2 (total variability / sampling variability):  %s\n", num(a, f->H2, 2));
    fprintf(out, "\nQ-profile %g%% confidence intervals:\n", f->level);
    interval(ci, sizeof ci, f->tau2_ci_lb, f->tau2_ci_ub);
    fprintf(out, "  tau^2  %s\n", ci);
    interval(ci, sizeof ci, sqrt(f->tau2_ci_lb), sqrt(f->tau2_ci_ub));
    fprintf(out, "  tau    %s\n", ci);
    interval(ci, sizeof ci, f->I2_ci_lb, f->I2_ci_ub);
    fprintf(out, "  I^2(%%) %s\n", ci);
    interval(ci, sizeof ci, f->H2_ci_lb, f->H2_ci_ub);
    fprintf(out, "  H^2    %s\n", ci);
}

static void write_q_test(const evs_fit *f, FILE *out)
{
    char q[NUM_MAX], p[32];
    fprintf(out, "\nTest for heterogeneity:\nQ(df = %d) = %s, p-val %s\n", f->QE_df,
            num(q, f->QE, 4), p_clause(p, sizeof p, f->QE_p));
}

static void write_model_results(const evs_fit *f, FILE *out)
{
    char p[16], pi[128];
    bool knha = evs_test_is_knha(f->test);
    fprintf(out, "\nModel results");
    if (knha)
        fprintf(out, " (Knapp-Hartung adjustment%s, t distribution with %g df)",
                f->test == EVS_TEST_ADHOC    ? ", factor at least 1 (adhoc)"
                : f->test == EVS_TEST_IQWIG6 ? ", IQWiG 6 rule"
                                             : "",
                f->df);
    fprintf(out, ":\n\n%10s %9s %9s %8s %9s %9s\n", "estimate", "se", knha ? "tval" : "zval",
            "pval", "ci.lb", "ci.ub");
    char est[NUM_MAX];
    evs_format_pval(f->pval, p, sizeof p);
    fprintf(out, "%10s", num(est, f->estimate, 4));
    col(out, 9, f->se);
    col(out, 9, f->stat);
    fprintf(out, " %8s", p);
    col(out, 9, f->ci_lb);
    col(out, 9, f->ci_ub);
    fputc('\n', out);
    if (f->method != EVS_METHOD_FE) {
        interval(pi, sizeof pi, f->pi_lb, f->pi_ub);
        fprintf(out, "\n%g%% prediction interval: %s (%s distribution)\n", f->level, pi,
                knha ? "t" : "normal");
    }
}

static void write_backtransformed(const evs_meta *meta, FILE *out)
{
    const char *scale = evs_backtransform_scale(meta->measure);
    if (scale == NULL)
        return;
    const evs_fit *f = &meta->fit;
    double nhm = meta->nhm;
    evs_measure m = meta->measure;
    char a[NUM_MAX], ci[128];
    fprintf(out, "\nBack-transformed to the %s scale", scale);
    if (m == EVS_MEASURE_PFT)
        fprintf(out, " (Miller's inverse, harmonic mean n = %s)", num(a, nhm, 4));
    interval(ci, sizeof ci, evs_backtransform(m, f->ci_lb, nhm),
             evs_backtransform(m, f->ci_ub, nhm));
    fprintf(out, ":\n  estimate %s, %g%% CI %s", num(a, evs_backtransform(m, f->estimate, nhm), 4),
            f->level, ci);
    if (f->method != EVS_METHOD_FE) {
        interval(ci, sizeof ci, evs_backtransform(m, f->pi_lb, nhm),
                 evs_backtransform(m, f->pi_ub, nhm));
        fprintf(out, ", prediction interval %s", ci);
    }
    fputc('\n', out);
}

static void write_studies(const evs_meta *meta, FILE *out)
{
    int width = label_width(meta);
    fprintf(out, "\nStudies:\n  %-*s %10s %10s %8s\n", width, "study", "yi", "vi", "weight");
    for (size_t j = 0; j < meta->k; j++) {
        char buf[EVS_LABEL_DEFAULT_MAX];
        fprintf(out, "  %-*.*s", width, width, evs_meta_label(meta, j, buf));
        col(out, 10, meta->y[j]);
        col(out, 10, meta->v[j]);
        col_percent(out, 7, meta->weights[j]);
        fputc('\n', out);
    }
}

static void write_convergence_and_notes(const evs_meta *meta, FILE *out)
{
    const evs_fit *f = &meta->fit;
    if (f->method == EVS_METHOD_ML || f->method == EVS_METHOD_REML ||
        f->method == EVS_METHOD_EB || f->method == EVS_METHOD_PM)
        fprintf(out, "\nThe tau^2 estimate %s after %d iteration%s.\n",
                f->converged ? "converged" : "did NOT converge", f->iterations,
                f->iterations == 1 ? "" : "s");
    size_t notes = 0;
    evs_meta_notes(meta, count_note, &notes);
    if (notes > 0) {
        fprintf(out, "\nWarnings and notes:\n");
        evs_meta_notes(meta, print_note, out);
    }
}

int evs_meta_write_text(const evs_meta *meta, FILE *out)
{
    write_title(meta, out);
    write_heterogeneity(&meta->fit, out);
    write_q_test(&meta->fit, out);
    write_model_results(&meta->fit, out);
    write_backtransformed(meta, out);
    write_studies(meta, out);
    write_convergence_and_notes(meta, out);
    return ferror(out) ? -1 : 0;
}

/* ---------------------------------------------------------------------------
 * Diagnostics
 */

/* One row per study: a fit without it (leave-one-out) or up to it (cumulative). */
static void write_fit_rows(FILE *out, const evs_meta *meta, const char *title,
                           const evs_fit *fits, const size_t *order, bool with_qe)
{
    int w = label_width(meta);
    fprintf(out, "\n%s:\n  %-*s %9s %8s %9s %9s %8s %7s", title, w, "study", "estimate", "se",
            "ci.lb", "ci.ub", "tau^2", "I^2");
    fprintf(out, with_qe ? " %9s\n" : "\n", "Q");
    for (size_t j = 0; j < meta->k; j++) {
        const evs_fit *f = &fits[j];
        char buf[EVS_LABEL_DEFAULT_MAX];
        fprintf(out, "  %-*.*s", w, w, evs_meta_label(meta, order ? order[j] : j, buf));
        col(out, 9, f->estimate);
        col(out, 8, f->se);
        col(out, 9, f->ci_lb);
        col(out, 9, f->ci_ub);
        col(out, 8, f->tau2);
        col_percent(out, 6, f->I2);
        if (with_qe)
            col(out, 9, f->QE);
        fputc('\n', out);
    }
}

static void write_influence(FILE *out, const evs_meta *meta, const evs_influence *inf)
{
    int w = label_width(meta);
    fprintf(out, "\nInfluence diagnostics:\n  %-*s %9s %8s %8s %7s %8s %9s %6s %7s %s\n", w,
            "study", "rstudent", "dffits", "cook.d", "cov.r", "tau2.del", "QE.del", "hat",
            "weight", "inf");
    for (size_t j = 0; j < meta->k; j++) {
        const evs_influence *r = &inf[j];
        char buf[EVS_LABEL_DEFAULT_MAX];
        fprintf(out, "  %-*.*s", w, w, evs_meta_label(meta, j, buf));
        col(out, 9, r->rstudent);
        col(out, 8, r->dffits);
        col(out, 8, r->cook_d);
        col(out, 7, r->cov_r);
        col(out, 8, r->tau2_del);
        col(out, 9, r->QE_del);
        col(out, 6, r->hat);
        col_percent(out, 6, r->weight);
        fprintf(out, " %s\n", r->influential ? "*" : "");
    }
}

static void write_bias(FILE *out, const evs_meta *meta, const evs_meta_diag *d)
{
    if (!d->has_bias) {
        if (d->bias_note[0] != '\0')
            fprintf(out, "\nSmall-study effects: %s\n", d->bias_note);
        return;
    }
    char a[NUM_MAX], b[NUM_MAX], c[NUM_MAX], e[NUM_MAX], p[32], ci[128];
    const char *t = evs_test_is_knha(meta->fit.test) ? "t" : "z";
    fprintf(out, "\nSmall-study effects:\n"
                 "  Egger's regression test (model with sei as predictor): %s = %s, p %s\n",
            t, num(a, d->egger.stat, 4), p_clause(p, sizeof p, d->egger.pval));
    fprintf(out, "    limit estimate (sei -> 0): %s [%s, %s]\n",
            num(a, d->egger.limit_estimate, 4), num(b, d->egger.limit_ci_lb, 4),
            num(c, d->egger.limit_ci_ub, 4));
    fprintf(out, "  Egger's classic test (weighted regression): t = %s, df = %g, p %s\n",
            num(a, d->egger_lm.stat, 4), d->egger_lm.df, p_clause(p, sizeof p, d->egger_lm.pval));
    fprintf(out, "  Begg's rank correlation: Kendall's tau = %s, p %s (%s)\n",
            num(a, d->begg.tau, 4), p_clause(p, sizeof p, d->begg.pval),
            d->begg.exact ? "exact" : "normal approximation");
    const evs_trimfill_result *tf = &d->trimfill;
    snprintf(ci, sizeof ci, "[%s, %s]", num(b, tf->fit.ci_lb, 4), num(c, tf->fit.ci_ub, 4));
    fprintf(out,
            "  Trim and fill: %d stud%s filled in on the %s; estimate %s %s, tau^2 %s\n",
            tf->k0, tf->k0 == 1 ? "y" : "ies", tf->side == EVS_SIDE_LEFT ? "left" : "right",
            num(a, tf->fit.estimate, 4), ci, num(e, tf->fit.tau2, 4));
}

static void write_subgroups(FILE *out, const evs_meta_diag *d, const char *const *levels)
{
    int lw = 5;
    for (size_t g = 0; g < d->ngroups; g++) {
        size_t n = strlen(levels[g]);
        if (n > (size_t)lw)
            lw = n > 32 ? 32 : (int)n;
    }
    fprintf(out, "\nSubgroups:\n  %-*s %4s %9s %8s %9s %9s %8s %7s\n", lw, "level", "k",
            "estimate", "se", "ci.lb", "ci.ub", "tau^2", "I^2");
    for (size_t g = 0; g < d->ngroups; g++) {
        const evs_fit *f = &d->subgroups[g];
        fprintf(out, "  %-*.*s %4zu", lw, lw, levels[g], f->k);
        col(out, 9, f->estimate);
        col(out, 8, f->se);
        col(out, 9, f->ci_lb);
        col(out, 9, f->ci_ub);
        col(out, 8, f->tau2);
        col_percent(out, 6, f->I2);
        fputc('\n', out);
    }
    const evs_subgroup_test *t = &d->subgroup_test;
    char q[NUM_MAX], p[32];
    fprintf(out, "  Test for subgroup differences (separate tau^2): Q(df = %d) = %s, p %s\n",
            t->Q_between_df, num(q, t->Q_between, 4), p_clause(p, sizeof p, t->Q_between_p));
    if (isnan(t->QM))
        fprintf(out, "  Mixed-effects model (common tau^2): not computed (needs more studies "
                     "than subgroups)\n");
    else if (t->QM_df2 > 0)
        fprintf(out, "  Mixed-effects model (common tau^2): F(%d, %d) = %s, p %s\n", t->QM_df,
                t->QM_df2, num(q, t->QM, 4), p_clause(p, sizeof p, t->QM_p));
    else
        fprintf(out, "  Mixed-effects model (common tau^2): QM(df = %d) = %s, p %s\n", t->QM_df,
                num(q, t->QM, 4), p_clause(p, sizeof p, t->QM_p));
}

static void write_regression(FILE *out, const evs_meta_diag *d, const char *const *coef_names)
{
    const evs_reg *r = &d->reg;
    bool knha = evs_test_is_knha(r->test);
    char a[NUM_MAX], b[NUM_MAX], c[NUM_MAX], p[32], p2[16];
    fprintf(out, "\nMixed-effects meta-regression (k = %zu; tau^2 estimator: %s):\n", r->k,
            evs_method_name(r->method));
    fprintf(out, "  residual tau^2 %s, I^2 %s, R^2 %s\n", num(a, r->tau2, 4), pct(b, r->I2),
            pct(c, r->R2));
    fprintf(out, "  residual heterogeneity: QE(df = %d) = %s, p %s\n", r->QE_df,
            num(a, r->QE, 4), p_clause(p, sizeof p, r->QE_p));
    if (knha)
        fprintf(out, "  moderators: F(%d, %d) = %s, p %s\n", r->QM_df, r->QM_df2,
                num(a, r->QM, 4), p_clause(p, sizeof p, r->QM_p));
    else
        fprintf(out, "  moderators: QM(df = %d) = %s, p %s\n", r->QM_df, num(a, r->QM, 4),
                p_clause(p, sizeof p, r->QM_p));
    fprintf(out, "\n  %-20s %9s %8s %9s %8s %9s %9s%s\n", "", "estimate", "se",
            knha ? "tval" : "zval", "pval", "ci.lb", "ci.ub",
            d->has_permutation ? "  perm.p" : "");
    for (size_t j = 0; j < r->p; j++) {
        fprintf(out, "  %-20.20s", coef_names[j]);
        col(out, 9, r->beta[j]);
        col(out, 8, r->se[j]);
        col(out, 9, r->stat[j]);
        evs_format_pval(r->pval[j], p, sizeof p);
        fprintf(out, " %8s", p);
        col(out, 9, r->ci_lb[j]);
        col(out, 9, r->ci_ub[j]);
        if (d->has_permutation) {
            evs_format_pval(d->permutation.pval[j], p2, sizeof p2);
            fprintf(out, "  %s", p2);
        }
        fputc('\n', out);
    }
}

static void write_permutation(FILE *out, const evs_meta_diag *d)
{
    char p[16];
    evs_format_pval(d->permutation.pval[0], p, sizeof p);
    if (d->permutation.exact)
        fprintf(out, "\nPermutation test: all %lu distinct permutations (exact)",
                d->permutation.iterations);
    else
        fprintf(out, "\nPermutation test: %lu random permutations (seed %lu)",
                d->permutation.iterations, d->seed);
    if (d->has_reg) {
        evs_format_pval(d->permutation.QM_p, p, sizeof p);
        fprintf(out, "\n  p-value of the moderator test: %s\n", p);
    } else {
        fprintf(out, "; p-value of the pooled effect %s\n", p);
    }
}

static void write_r_sensitivity(FILE *out, const evs_meta_diag *d)
{
    fprintf(out, "\nSensitivity to the pre/post correlation r (every study):\n");
    fprintf(out, "  %5s %9s %8s %9s %9s %9s %9s %8s %7s\n", "r", "estimate", "se", "ci.lb",
            "ci.ub", "pi.lb", "pi.ub", "tau^2", "I^2");
    for (size_t j = 0; j < d->nr; j++) {
        const evs_fit *f = &d->r_fits[j];
        if (isnan(f->estimate)) {
            fprintf(out, "  %5.2f   (the tau^2 iterations did not converge)\n", d->r_values[j]);
            continue;
        }
        fprintf(out, "  %5.2f", d->r_values[j]);
        col(out, 9, f->estimate);
        col(out, 8, f->se);
        col(out, 9, f->ci_lb);
        col(out, 9, f->ci_ub);
        col(out, 9, f->pi_lb);
        col(out, 9, f->pi_ub);
        col(out, 8, f->tau2);
        col_percent(out, 6, f->I2);
        fputc('\n', out);
    }
}

int evs_meta_write_diag_text(const evs_meta *meta, const evs_meta_diag *d,
                             const char *const *coef_names, const char *const *levels,
                             FILE *out)
{
    if (d->leave1out)
        write_fit_rows(out, meta, "Leave-one-out (each row: the model without that study)",
                       d->leave1out, NULL, true);
    if (d->influence)
        write_influence(out, meta, d->influence);
    if (d->cumulative)
        write_fit_rows(out, meta, "Cumulative meta-analysis (each row adds that study)",
                       d->cumulative, d->cumulative_order, false);
    write_bias(out, meta, d);
    if (d->has_subgroups)
        write_subgroups(out, d, levels);
    if (d->has_reg)
        write_regression(out, d, coef_names);
    if (d->has_permutation)
        write_permutation(out, d);
    if (d->nr > 0)
        write_r_sensitivity(out, d);
    if (d->note[0] != '\0')
        fprintf(out, "\nNot computed: %s\n", d->note);
    return ferror(out) ? -1 : 0;
}
