/*
 * sim_robust.c -- numerical robustness of every estimator on simulated data.
 *
 *   sim_robust [DATASETS [SEED]]        (defaults: 100000 data sets, seed 20261123)
 *
 * Each data set is drawn from one of the scenarios below, with k from 2 to
 * 200, and fitted by every tau^2 estimator (and FE), under z or Knapp-Hartung
 * in turn, with the Q-profile CI.  Every fit must either be rejected with a
 * message or keep the promises of evs_fit_violation(): no NaN in a result
 * reported as converged, every non-convergence and fallback flagged.  The
 * program prints, per estimator, how many fits converged, fell back, failed
 * to converge or were rejected, and exits 1 if any promise was broken.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "evsynth/fit.h"
#include "fit_invariants.h"

enum { K_MAX = 200 };

typedef enum scenario {
    S_RANDOM,    /* random effects, tau2 in {0, 0.01, 0.1, 1} */
    S_K2,        /* random effects with k = 2 */
    S_IDENTICAL, /* every estimate the same */
    S_EQUAL_V,   /* every variance the same */
    S_SPAN,      /* variances spanning 12 orders of magnitude */
    S_BOUNDARY,  /* far less spread than sampling error: tau2 at 0 */
    S_SCALE,     /* outcomes around 1e6 (costs), variances around 1e4 */
    S_OUTLIER,   /* one study 50 standard errors away */
    S_CLOSE,     /* estimates 1000 +- 1e-9 */
    S_COUNT
} scenario;

static const char *const scenario_names[S_COUNT] = {
    "random effects", "k = 2", "identical estimates", "equal variances",
    "variances over 12 orders", "tau2 at the boundary", "outcomes near 1e6",
    "an outlier", "estimates 1000 +- 1e-9"};

typedef struct tally {
    unsigned long fits, converged, fallback, not_converged, rejected, ci_failed, ci_empty,
        violations;
} tally;

static size_t draw_k(gsl_rng *r, scenario s)
{
    static const size_t ks[] = {2, 3, 4, 5, 8, 10, 15, 20, 30, 50, 100, 200};
    return s == S_K2 ? 2 : ks[gsl_rng_uniform_int(r, sizeof ks / sizeof ks[0])];
}

static void draw(gsl_rng *r, scenario s, size_t k, double *y, double *v)
{
    static const double tau2s[] = {0, 0.01, 0.1, 1};
    double mu = gsl_ran_flat(r, -2, 2), tau2 = tau2s[gsl_rng_uniform_int(r, 4)];
    double v_common = gsl_ran_flat(r, 0.005, 0.5);
    for (size_t i = 0; i < k; i++) {
        v[i] = gsl_ran_flat(r, 0.005, 0.5);
        double e = gsl_ran_gaussian(r, sqrt(v[i]));
        switch (s) {
        case S_RANDOM:
        case S_K2:
        case S_OUTLIER:
            y[i] = mu + gsl_ran_gaussian(r, sqrt(tau2)) + e;
            break;
        case S_IDENTICAL:
            y[i] = mu;
            break;
        case S_EQUAL_V:
            v[i] = v_common;
            y[i] = mu + gsl_ran_gaussian(r, sqrt(tau2 + v_common));
            break;
        case S_SPAN:
            v[i] = pow(10, gsl_ran_flat(r, -6, 6));
            y[i] = mu + gsl_ran_gaussian(r, sqrt(tau2 + v[i]));
            break;
        case S_BOUNDARY:
            y[i] = mu + 0.01 * e;
            break;
        case S_SCALE:
            v[i] = gsl_ran_flat(r, 1e3, 1e5);
            y[i] = 1e6 + gsl_ran_gaussian(r, sqrt(v[i] + 1e4 * tau2));
            break;
        case S_CLOSE:
            y[i] = 1000 + 1e-9 * gsl_ran_gaussian(r, 1);
            break;
        case S_COUNT:
            break;
        }
    }
    if (s == S_OUTLIER)
        y[0] = mu + 50 * sqrt(v[0]);
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 10) : 20261123;
    gsl_set_error_handler_off();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    evs_fit_workspace *ws = evs_fit_workspace_alloc();
    if (r == NULL || ws == NULL)
        return 2;
    gsl_rng_set(r, seed);

    static double y[K_MAX], v[K_MAX];
    tally by_method[EVS_METHOD_COUNT] = {{0}};
    unsigned long broken_by_scenario[S_COUNT] = {0}, sets_by_scenario[S_COUNT] = {0};
    for (unsigned long d = 0; d < n; d++) {
        scenario s = (scenario)(d % S_COUNT);
        size_t k = draw_k(r, s);
        draw(r, s, k, y, v);
        sets_by_scenario[s]++;
        for (int m = 0; m < EVS_METHOD_COUNT; m++) {
            evs_fit_options opt;
            evs_fit_options_default(&opt);
            opt.method = (evs_method)m;
            opt.test = (d / S_COUNT) % 2 ? EVS_TEST_KNHA : EVS_TEST_Z;
            tally *t = &by_method[m];
            t->fits++;
            evs_fit f;
            evs_error err;
            if (evs_fit_rma(y, v, k, &opt, ws, &f, &err) != EVS_OK) {
                t->rejected++;
                continue;
            }
            const char *broken = evs_fit_violation(&f, true);
            if (broken != NULL) {
                if (t->violations++ == 0)
                    fprintf(stderr, "data set %lu (%s, k = %zu), %s: %s\n", d,
                            scenario_names[s], k, evs_method_name(opt.method), broken);
                broken_by_scenario[s]++;
            }
            t->converged += f.converged;
            t->not_converged += !f.converged;
            t->fallback += (f.warnings & EVS_WARN_FALLBACK) != 0;
            t->ci_failed += (f.warnings & EVS_WARN_TAU2_CI_FAILED) != 0;
            t->ci_empty += (f.warnings & EVS_WARN_TAU2_CI_EMPTY) != 0;
        }
    }

    printf("%lu simulated data sets (seed %lu), %d models each\n\n", n, seed, EVS_METHOD_COUNT);
    printf("%-6s %9s %9s %9s %9s %9s %9s %9s %9s\n", "method", "fits", "converged",
           "fallback", "not conv", "rejected", "CI fail", "CI empty", "broken");
    unsigned long broken = 0;
    for (int m = 0; m < EVS_METHOD_COUNT; m++) {
        const tally *t = &by_method[m];
        printf("%-6s %9lu %9lu %9lu %9lu %9lu %9lu %9lu %9lu\n", evs_method_name((evs_method)m),
               t->fits, t->converged, t->fallback, t->not_converged, t->rejected, t->ci_failed,
               t->ci_empty, t->violations);
        broken += t->violations;
    }
    printf("\n%-26s %9s %9s\n", "scenario", "data sets", "broken");
    for (int s = 0; s < S_COUNT; s++)
        printf("%-26s %9lu %9lu\n", scenario_names[s], sets_by_scenario[s],
               broken_by_scenario[s]);
    printf("\n%s\n", broken == 0 ? "every converged result is finite and every fallback flagged"
                                 : "BROKEN PROMISES: see the first of each above");
    evs_fit_workspace_free(ws);
    gsl_rng_free(r);
    return broken == 0 ? 0 : 1;
}
