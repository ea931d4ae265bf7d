/*
 * meta_text.c -- the readable summary of a meta-analysis (see meta_text.h).
 */
#include "report/meta_text.h"

#include <math.h>
#include <string.h>

#include "evsynth/transf.h"
#include "report/meta_notes.h"

void evs_format_pval(double p, char *buf, size_t size)
{
    if (isnan(p))
        snprintf(buf, size, "NA");
    else if (p < 1e-4)
        snprintf(buf, size, "<.0001");
    else
        snprintf(buf, size, "%.4f", p);
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
    if (isnan(lb) && isnan(ub))
        snprintf(buf, size, "not computed");
    else
        snprintf(buf, size, "[%.4f, %.4f]", lb, ub);
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

int evs_meta_write_text(const evs_meta *meta, FILE *out)
{
    const evs_fit *f = &meta->fit;
    bool re = f->method != EVS_METHOD_FE;
    char a[64], b[64], p[16];

    if (re)
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

    if (re) {
        interval(a, sizeof a, f->tau2_ci_lb, f->tau2_ci_ub);
        fprintf(out, "tau^2 (estimated amount of total heterogeneity): %.4f (SE = %.4f)\n",
                f->tau2, f->se_tau2);
        fprintf(out, "tau (square root of estimated tau^2 value):      %.4f\n", sqrt(f->tau2));
        fprintf(out, "I^2 (total heterogeneity / total variability):   %.2f%%\n", f->I2);
        fprintf(out, "H^2 (total variability / sampling variability):  %.2f\n", f->H2);
        fprintf(out, "\nQ-profile %g%% confidence intervals:\n", f->level);
        fprintf(out, "  tau^2  %s\n", a);
        interval(b, sizeof b, sqrt(f->tau2_ci_lb), sqrt(f->tau2_ci_ub));
        fprintf(out, "  tau    %s\n", b);
        interval(b, sizeof b, f->I2_ci_lb, f->I2_ci_ub);
        fprintf(out, "  I^2(%%) %s\n", b);
        interval(b, sizeof b, f->H2_ci_lb, f->H2_ci_ub);
        fprintf(out, "  H^2    %s\n", b);
    } else {
        fprintf(out, "I^2 (total heterogeneity / total variability):   %.2f%%\n", f->I2);
        fprintf(out, "H^2 (total variability / sampling variability):  %.2f\n", f->H2);
    }

    evs_format_pval(f->QE_p, p, sizeof p);
    fprintf(out, "\nTest for heterogeneity:\nQ(df = %d) = %.4f, p-val %s%s\n", f->QE_df, f->QE,
            p[0] == '<' ? "" : "= ", p);

    evs_format_pval(f->pval, p, sizeof p);
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
    fprintf(out, "%10.4f %9.4f %9.4f %8s %9.4f %9.4f\n", f->estimate, f->se, f->stat, p,
            f->ci_lb, f->ci_ub);
    if (re) {
        interval(a, sizeof a, f->pi_lb, f->pi_ub);
        fprintf(out, "\n%g%% prediction interval: %s (%s distribution)\n", f->level, a,
                knha ? "t" : "normal");
    }

    const char *scale = evs_backtransform_scale(meta->measure);
    if (scale != NULL) {
        double nhm = meta->nhm;
        evs_measure m = meta->measure;
        fprintf(out, "\nBack-transformed to the %s scale", scale);
        if (m == EVS_MEASURE_PFT)
            fprintf(out, " (Miller's inverse, harmonic mean n = %.4f)", nhm);
        fprintf(out, ":\n  estimate %.4f, %g%% CI [%.4f, %.4f]",
                evs_backtransform(m, f->estimate, nhm), f->level,
                evs_backtransform(m, f->ci_lb, nhm), evs_backtransform(m, f->ci_ub, nhm));
        if (re)
            fprintf(out, ", prediction interval [%.4f, %.4f]",
                    evs_backtransform(m, f->pi_lb, nhm), evs_backtransform(m, f->pi_ub, nhm));
        fputc('\n', out);
    }

    int width = label_width(meta);
    fprintf(out, "\nStudies:\n  %-*s %10s %10s %8s\n", width, "study", "yi", "vi", "weight");
    for (size_t j = 0; j < meta->k; j++) {
        char buf[EVS_LABEL_DEFAULT_MAX];
        fprintf(out, "  %-*.*s %10.4f %10.4f %7.2f%%\n", width, width,
                evs_meta_label(meta, j, buf), meta->y[j], meta->v[j], meta->weights[j]);
    }

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
    return ferror(out) ? -1 : 0;
}

/* ---------------------------------------------------------------------------
 * Diagnostics
 */


static void fit_rows(FILE *out, const evs_meta *meta, const char *title, const evs_fit *fits,
                     const size_t *order, bool with_qe)
{
    int w = label_width(meta);
    fprintf(out, "\n%s:\n  %-*s %9s %8s %9s %9s %8s %7s", title, w, "study", "estimate", "se",
            "ci.lb", "ci.ub", "tau^2", "I^2");
    fprintf(out, with_qe ? " %9s\n" : "\n", "Q");
    for (size_t j = 0; j < meta->k; j++) {
        const evs_fit *f = &fits[j];
        size_t row = order ? order[j] : j;
        char buf[EVS_LABEL_DEFAULT_MAX];
        fprintf(out, "  %-*.*s %9.4f %8.4f %9.4f %9.4f %8.4f %6.2f%%", w, w,
                evs_meta_label(meta, row, buf), f->estimate, f->se, f->ci_lb, f->ci_ub, f->tau2,
                f->I2);
        if (with_qe)
            fprintf(out, " %9.4f", f->QE);
        fputc('\n', out);
    }
}

int evs_meta_write_diag_text(const evs_meta *meta, const evs_meta_diag *d,
                             const char *const *coef_names, const char *const *levels,
                             FILE *out)
{
    char p[16], p2[16];
    int w = label_width(meta);
    if (d->leave1out)
        fit_rows(out, meta, "Leave-one-out (each row: the model without that study)",
                 d->leave1out, NULL, true);
    if (d->influence) {
        fprintf(out, "\nInfluence diagnostics:\n  %-*s %9s %8s %8s %7s %8s %9s %6s %7s %s\n", w,
                "study", "rstudent", "dffits", "cook.d", "cov.r", "tau2.del", "QE.del", "hat",
                "weight", "inf");
        for (size_t j = 0; j < meta->k; j++) {
            const evs_influence *r = &d->influence[j];
            char buf[EVS_LABEL_DEFAULT_MAX];
            fprintf(out, "  %-*.*s %9.4f %8.4f %8.4f %7.4f %8.4f %9.4f %6.4f %6.2f%% %s\n", w, w,
                    evs_meta_label(meta, j, buf), r->rstudent, r->dffits, r->cook_d,
                    r->cov_r, r->tau2_del, r->QE_del, r->hat, r->weight,
                    r->influential ? "*" : "");
        }
    }
    if (d->cumulative)
        fit_rows(out, meta, "Cumulative meta-analysis (each row adds that study)",
                 d->cumulative, d->cumulative_order, false);
    if (d->has_bias) {
        const char *t = evs_test_is_knha(meta->fit.test) ? "t" : "z";
        evs_format_pval(d->egger.pval, p, sizeof p);
        evs_format_pval(d->egger_lm.pval, p2, sizeof p2);
        fprintf(out,
                "\nSmall-study effects:\n"
                "  Egger's regression test (model with sei as predictor): %s = %.4f, p %s%s\n"
                "    limit estimate (sei -> 0): %.4f [%.4f, %.4f]\n"
                "  Egger's classic test (weighted regression): t = %.4f, df = %g, p %s%s\n",
                t, d->egger.stat, p[0] == '<' ? "" : "= ", p, d->egger.limit_estimate,
                d->egger.limit_ci_lb, d->egger.limit_ci_ub, d->egger_lm.stat, d->egger_lm.df,
                p2[0] == '<' ? "" : "= ", p2);
        evs_format_pval(d->begg.pval, p, sizeof p);
        fprintf(out, "  Begg's rank correlation: Kendall's tau = %.4f, p %s%s (%s)\n",
                d->begg.tau, p[0] == '<' ? "" : "= ", p,
                d->begg.exact ? "exact" : "normal approximation");
        const evs_trimfill_result *tf = &d->trimfill;
        fprintf(out,
                "  Trim and fill: %d stud%s filled in on the %s; estimate %.4f [%.4f, %.4f], "
                "tau^2 %.4f\n",
                tf->k0, tf->k0 == 1 ? "y" : "ies", tf->side == EVS_SIDE_LEFT ? "left" : "right",
                tf->fit.estimate, tf->fit.ci_lb, tf->fit.ci_ub, tf->fit.tau2);
    } else if (d->bias_note[0] != '\0') {
        fprintf(out, "\nSmall-study effects: %s\n", d->bias_note);
    }
    if (d->has_subgroups) {
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
            fprintf(out, "  %-*.*s %4zu %9.4f %8.4f %9.4f %9.4f %8.4f %6.2f%%\n", lw, lw,
                    levels[g], f->k, f->estimate, f->se, f->ci_lb, f->ci_ub, f->tau2, f->I2);
        }
        const evs_subgroup_test *t = &d->subgroup_test;
        evs_format_pval(t->Q_between_p, p, sizeof p);
        fprintf(out, "  Test for subgroup differences (separate tau^2): Q(df = %d) = %.4f, p %s%s\n",
                t->Q_between_df, t->Q_between, p[0] == '<' ? "" : "= ", p);
        evs_format_pval(t->QM_p, p, sizeof p);
        if (isnan(t->QM))
            fprintf(out, "  Mixed-effects model (common tau^2): not computed (needs more studies "
                         "than subgroups)\n");
        else if (t->QM_df2 > 0)
            fprintf(out, "  Mixed-effects model (common tau^2): F(%d, %d) = %.4f, p %s%s\n",
                    t->QM_df, t->QM_df2, t->QM, p[0] == '<' ? "" : "= ", p);
        else
            fprintf(out, "  Mixed-effects model (common tau^2): QM(df = %d) = %.4f, p %s%s\n",
                    t->QM_df, t->QM, p[0] == '<' ? "" : "= ", p);
    }
    if (d->has_reg) {
        const evs_reg *r = &d->reg;
        bool knha = evs_test_is_knha(r->test);
        fprintf(out, "\nMixed-effects meta-regression (k = %zu; tau^2 estimator: %s):\n", r->k,
                evs_method_name(r->method));
        fprintf(out, "  residual tau^2 %.4f, I^2 %.2f%%, R^2 %.2f%%\n", r->tau2, r->I2, r->R2);
        evs_format_pval(r->QE_p, p, sizeof p);
        fprintf(out, "  residual heterogeneity: QE(df = %d) = %.4f, p %s%s\n", r->QE_df, r->QE,
                p[0] == '<' ? "" : "= ", p);
        evs_format_pval(r->QM_p, p, sizeof p);
        if (knha)
            fprintf(out, "  moderators: F(%d, %d) = %.4f, p %s%s\n", r->QM_df, r->QM_df2, r->QM,
                    p[0] == '<' ? "" : "= ", p);
        else
            fprintf(out, "  moderators: QM(df = %d) = %.4f, p %s%s\n", r->QM_df, r->QM,
                    p[0] == '<' ? "" : "= ", p);
        fprintf(out, "\n  %-20s %9s %8s %9s %8s %9s %9s%s\n", "", "estimate", "se",
                knha ? "tval" : "zval", "pval", "ci.lb", "ci.ub",
                d->has_permutation ? "  perm.p" : "");
        for (size_t j = 0; j < r->p; j++) {
            evs_format_pval(r->pval[j], p, sizeof p);
            fprintf(out, "  %-20.20s %9.4f %8.4f %9.4f %8s %9.4f %9.4f", coef_names[j],
                    r->beta[j], r->se[j], r->stat[j], p, r->ci_lb[j], r->ci_ub[j]);
            if (d->has_permutation) {
                evs_format_pval(d->permutation.pval[j], p2, sizeof p2);
                fprintf(out, "  %s", p2);
            }
            fputc('\n', out);
        }
    }
    if (d->has_permutation) {
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
    if (d->nr > 0) {
        fprintf(out, "\nSensitivity to the pre/post correlation r (every study):\n");
        fprintf(out, "  %5s %9s %8s %9s %9s %9s %9s %8s %7s\n", "r", "estimate", "se", "ci.lb",
                "ci.ub", "pi.lb", "pi.ub", "tau^2", "I^2");
        for (size_t j = 0; j < d->nr; j++) {
            const evs_fit *f = &d->r_fits[j];
            if (isnan(f->estimate)) {
                fprintf(out, "  %5.2f   (the tau^2 iterations did not converge)\n",
                        d->r_values[j]);
                continue;
            }
            fprintf(out, "  %5.2f %9.4f %8.4f %9.4f %9.4f %9.4f %9.4f %8.4f %6.2f%%\n",
                    d->r_values[j], f->estimate, f->se, f->ci_lb, f->ci_ub, f->pi_lb, f->pi_ub,
                    f->tau2, f->I2);
        }
    }
    if (d->note[0] != '\0')
        fprintf(out, "\nNot computed: %s\n", d->note);
    return ferror(out) ? -1 : 0;
}
