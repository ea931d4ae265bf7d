/*
 * meta_text.c -- the readable summary of a meta-analysis (see meta_text.h).
 */
#include "meta_text.h"

#include <math.h>
#include <string.h>

#include "meta_notes.h"
#include "transf.h"

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
    bool knha = f->test == EVS_TEST_KNHA;
    fprintf(out, "\nModel results");
    if (knha)
        fprintf(out, " (Knapp-Hartung adjustment, t distribution with %g df)", f->df);
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

    size_t width = 5;
    for (size_t j = 0; j < meta->k; j++) {
        size_t n = strlen(meta->studies->label[meta->included[j]]);
        if (n > width)
            width = n;
    }
    if (width > 40)
        width = 40;
    fprintf(out, "\nStudies:\n  %-*s %10s %10s %8s\n", (int)width, "study", "yi", "vi",
            "weight");
    for (size_t j = 0; j < meta->k; j++)
        fprintf(out, "  %-*.*s %10.4f %10.4f %7.2f%%\n", (int)width, (int)width,
                meta->studies->label[meta->included[j]], meta->y[j], meta->v[j],
                meta->weights[j]);

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
