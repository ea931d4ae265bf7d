/*
 * bench_diag.c -- timings of the diagnostics that refit many models:
 * GOSH over every subset (k = 20 and 25) and a permutation test of a
 * meta-regression with 10,000 permutations.  Seeded simulated data; prints
 * wall-clock seconds and fits per second on one core.
 *
 *   build/bench/bench_diag [--quick]
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "evsynth/diag.h"
#include "evsynth/gosh.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void simulate(gsl_rng *rng, size_t k, double *y, double *v, double *x)
{
    for (size_t i = 0; i < k; i++) {
        v[i] = 0.01 + 0.2 * gsl_rng_uniform(rng);
        x[i] = gsl_rng_uniform(rng) * 10;
        y[i] = 0.3 + 0.02 * x[i] + gsl_ran_gaussian(rng, sqrt(v[i] + 0.05));
    }
}

typedef struct summary {
    unsigned long n;
    double est_min, est_max;
} summary;

static int count(const evs_gosh_subset *s, void *ctx)
{
    summary *m = ctx;
    m->n++;
    if (s->estimate < m->est_min)
        m->est_min = s->estimate;
    if (s->estimate > m->est_max)
        m->est_max = s->estimate;
    return 0;
}

static void bench_gosh(size_t k, evs_method method, const double *y, const double *v)
{
    evs_gosh_options o = {.samples = 0};
    evs_fit_options_default(&o.fit);
    o.fit.method = method;
    summary m = {0, INFINITY, -INFINITY};
    double t0 = now();
    evs_error err;
    if (evs_gosh(y, v, k, &o, count, &m, &err) != EVS_OK) {
        fprintf(stderr, "gosh failed: %s\n", err.message);
        return;
    }
    double t = now() - t0;
    printf("gosh      k = %2zu  %-4s  %9lu subsets  %8.3f s  %12.0f fits/s\n", k,
           evs_method_name(method), m.n, t, (double)m.n / t);
}

static void bench_permutest(size_t k, evs_method method, unsigned long iterations,
                            const double *y, const double *v, const double *x)
{
    double X[2 * 64];
    for (size_t i = 0; i < k; i++) {
        X[2 * i] = 1;
        X[2 * i + 1] = x[i];
    }
    evs_fit_options opt;
    evs_fit_options_default(&opt);
    opt.method = method;
    opt.test = EVS_TEST_KNHA;
    evs_diag_workspace *ws = evs_diag_workspace_alloc(k, 2);
    evs_permutest_result r;
    double t0 = now();
    evs_status st = evs_permutest(ws, y, v, X, k, 2, true, &opt, iterations, 1, &r, NULL);
    double t = now() - t0;
    evs_diag_workspace_free(ws);
    if (st != EVS_OK)
        return;
    printf("permutest k = %2zu  %-4s  %9lu permutations %5.3f s  %12.0f fits/s  (p = %.4f)\n", k,
           evs_method_name(method), r.iterations, t, (double)r.iterations / t, r.pval[1]);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20261123);
    double y[25], v[25], x[25];
    simulate(rng, 25, y, v, x);
    bench_gosh(20, EVS_METHOD_FE, y, v);
    bench_gosh(20, EVS_METHOD_DL, y, v);
    bench_gosh(20, EVS_METHOD_REML, y, v);
    if (!quick) {
        bench_gosh(25, EVS_METHOD_DL, y, v);
        bench_gosh(25, EVS_METHOD_REML, y, v);
    }
    bench_permutest(20, EVS_METHOD_REML, 10000, y, v, x);
    bench_permutest(20, EVS_METHOD_DL, 10000, y, v, x);
    gsl_rng_free(rng);
    return 0;
}
