/*
 * test_metareg.c -- meta-regression against metafor 3.8 rma(mods = ...).
 *
 * Expected values: tests/fixtures/metafor/metareg.csv (gen_diagnostics.R):
 * dat.bcg log risk ratios with absolute latitude, year and allocation
 * (a factor with three levels), and simulated data with a numeric and a
 * categorical moderator; every estimator but HS, both tests.  Plus a
 * differential test: the intercept-only meta-regression is the plain fit.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/metareg.h"
#include "io/design.h"

#define REL_CLOSED 1e-8 /* year next to the intercept makes X'X ill-conditioned */
#define REL_ITER 1e-8

static void check_group(const evs_table *ref, size_t first, size_t n)
{
    const char *dataset = evs_fixture_str(ref, first, "dataset");
    const char *mods = evs_fixture_str(ref, first, "mods");
    const char *method = evs_fixture_str(ref, first, "method");
    const char *test = evs_fixture_str(ref, first, "test");
    char path[256], ctx[256];
    snprintf(path, sizeof path, "metafor/data/%s.csv", dataset);
    snprintf(ctx, sizeof ctx, "%s ~ %s %s %s", dataset, mods, method, test);
    evs_table *t = evs_fixture_table(path);
    size_t k = evs_table_nrows(t), rows[64];
    assert_true(k <= 64);
    for (size_t i = 0; i < k; i++)
        rows[i] = i;
    evs_error err;
    evs_error_clear(&err);
    evs_design *d = evs_design_build(t, rows, k, mods, &err);
    assert_non_null(d);
    assert_int_equal(d->k, k);
    assert_int_equal(d->p, n);
    double y[64], v[64];
    for (size_t i = 0; i < k; i++) {
        y[i] = evs_fixture_num(t, i, "yi");
        v[i] = evs_fixture_num(t, i, "vi");
    }
    evs_fit_options opt;
    evs_fit_options_default(&opt);
    assert_true(evs_method_from_name(method, &opt.method));
    assert_true(evs_test_from_name(test, &opt.test));
    evs_reg_workspace *ws = evs_reg_workspace_alloc(k, d->p);
    evs_reg r;
    assert_int_equal(evs_reg_fit(y, v, d->X, k, d->p, true, &opt, ws, &r, &err), EVS_OK);
    assert_true(r.converged);
    bool iterative = opt.method == EVS_METHOD_ML || opt.method == EVS_METHOD_REML ||
                     opt.method == EVS_METHOD_EB || opt.method == EVS_METHOD_PM;
    double rel = iterative ? REL_ITER : REL_CLOSED, tabs = 1e-9 * r.vt;
#define NUM(col) evs_fixture_num(ref, first + j, col)
    for (size_t j = 0; j < n; j++) {
        char c[300];
        snprintf(c, sizeof c, "%s coef %s", ctx, evs_fixture_str(ref, first + j, "coef"));
        assert_string_equal(d->names[j], evs_fixture_str(ref, first + j, "coef"));
        assert_close_ctx(r.beta[j], NUM("estimate"), rel, 1e-12, c);
        assert_close_ctx(r.se[j], NUM("se"), rel, 1e-12, c);
        assert_close_ctx(r.stat[j], NUM("stat"), rel, 1e-12, c);
        assert_close_ctx(r.pval[j], NUM("pval"), rel * 10, 1e-15, c);
        assert_close_ctx(r.ci_lb[j], NUM("ci_lb"), rel, 1e-12, c);
        assert_close_ctx(r.ci_ub[j], NUM("ci_ub"), rel, 1e-12, c);
    }
    size_t j = 0;
    assert_close_ctx(r.QM, NUM("QM"), rel, 1e-12, ctx);
    assert_close_ctx(r.QM_p, NUM("QM_p"), rel * 10, 1e-15, ctx);
    assert_close_ctx(r.QE, NUM("QE"), REL_CLOSED, 1e-12, ctx);
    assert_close_ctx(r.QE_p, NUM("QE_p"), 1e-9, 1e-15, ctx);
    assert_close_ctx(r.tau2, NUM("tau2"), rel, tabs, ctx);
    assert_close_ctx(r.I2, NUM("I2"), rel, 1e-8, ctx);
    assert_close_ctx(r.H2, NUM("H2"), rel, 1e-9, ctx);
    assert_close_ctx(r.R2, NUM("R2"), 1e-7, 1e-7, ctx);
#undef NUM
    evs_reg_workspace_free(ws);
    evs_design_free(d);
    evs_table_free(t);
}

static void test_against_metafor(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/metareg.csv");
    size_t nrows = evs_table_nrows(ref), groups = 0;
    for (size_t r = 0; r < nrows;) {
        size_t n = 1;
        while (r + n < nrows && strcmp(evs_fixture_str(ref, r + n, "coef"), "intrcpt") != 0)
            n++;
        check_group(ref, r, n);
        groups++;
        r += n;
    }
    assert_true(groups >= 60);
    evs_table_free(ref);
}

/* With only the intercept, meta-regression is the plain model, for every method. */
static void test_intercept_only(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 3);
    double y[40], v[40], X[40];
    evs_reg_workspace *ws = evs_reg_workspace_alloc(40, 1);
    for (int rep = 0; rep < 50; rep++) {
        size_t k = 3 + gsl_rng_uniform_int(rng, 35);
        for (size_t i = 0; i < k; i++) {
            v[i] = 0.01 + gsl_rng_uniform(rng);
            y[i] = gsl_ran_gaussian(rng, sqrt(v[i] + 0.1));
            X[i] = 1;
        }
        for (int m = 0; m < EVS_METHOD_COUNT; m++)
            for (int t = 0; t < EVS_TEST_COUNT; t++) {
                evs_fit_options opt;
                evs_fit_options_default(&opt);
                opt.method = (evs_method)m;
                opt.test = (evs_test)t;
                evs_fit f;
                evs_reg r;
                assert_int_equal(evs_fit_rma(y, v, k, &opt, NULL, &f, NULL), EVS_OK);
                assert_int_equal(evs_reg_fit(y, v, X, k, 1, true, &opt, ws, &r, NULL), EVS_OK);
                assert_close(r.tau2, f.tau2, 1e-8, 1e-10 * f.vt);
                assert_close(r.beta[0], f.estimate, 1e-9, 1e-12);
                assert_close(r.se[0], f.se, 1e-8, 1e-12);
                assert_close(r.QE, f.QE, 1e-12, 1e-12);
                assert_close(r.I2, f.I2, 1e-7, 1e-9);
            }
    }
    evs_reg_workspace_free(ws);
    gsl_rng_free(rng);
}

/* Collinear moderators and too few studies are refused. */
static void test_refused(void **state)
{
    (void)state;
    const double y[4] = {0.1, 0.2, 0.3, 0.4}, v[4] = {0.1, 0.1, 0.2, 0.2};
    const double X[12] = {1, 1, 2, 1, 2, 4, 1, 3, 6, 1, 4, 8};
    evs_reg_workspace *ws = evs_reg_workspace_alloc(4, 3);
    evs_fit_options opt;
    evs_fit_options_default(&opt);
    evs_reg r;
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(evs_reg_fit(y, v, X, 4, 3, true, &opt, ws, &r, &err), EVS_EDATA);
    assert_string_equal(err.message,
                        "the moderators are collinear (the model matrix is not of full rank)");
    assert_int_equal(evs_reg_fit(y, v, X, 3, 3, true, &opt, ws, &r, &err), EVS_EDATA);
    assert_string_equal(err.message, "3 studies cannot fit a model with 3 coefficients");
    evs_reg_workspace_free(ws);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_metafor),
        cmocka_unit_test(test_intercept_only),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
