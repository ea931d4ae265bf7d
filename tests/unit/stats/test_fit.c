/*
 * test_fit.c -- model fits against metafor 3.8.
 *
 * Expected values: tests/fixtures/metafor/rma.csv and weights.csv, written by
 * tests/fixtures/metafor/gen_fixtures.R (rma(), predict(), confint() and
 * weights() with tight convergence controls; see that script).  Every
 * dataset, measure, tau^2 estimator and test in the fixture is checked: the
 * estimate, se, test statistic, p-value, CI, PI, tau^2 and its se and
 * Q-profile CI, I^2 and H^2 with their CIs, Q and its p-value, and the weights.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/fit.h"
#include "evsynth/meta.h"
#include "io/studies_io.h"

/* Closed forms agree to rounding; the iterative estimates to the precision
 * both programs solve to (metafor: 1e-13 absolute in tau^2). */
#define REL_CLOSED 1e-12
#define REL_ITER 1e-9
#define ABS 1e-12

typedef struct fixture {
    evs_table *rma, *weights;
} fixture;

static int setup(void **state)
{
    fixture *f = malloc(sizeof *f);
    f->rma = evs_fixture_table("metafor/rma.csv");
    f->weights = evs_fixture_table("metafor/weights.csv");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    evs_table_free(f->rma);
    evs_table_free(f->weights);
    free(f);
    return 0;
}

static evs_meta *run(const char *dataset, const char *measure, const char *method,
                     const char *test, evs_table **table, evs_studies **studies)
{
    char path[256];
    snprintf(path, sizeof path, "metafor/data/%s.csv", dataset);
    *table = evs_fixture_table(path);
    evs_measure m;
    evs_fit_options opt;
    evs_fit_options_default(&opt);
    assert_true(evs_measure_from_name(measure, &m));
    assert_true(evs_method_from_name(method, &opt.method));
    assert_true(evs_test_from_name(test, &opt.test));
    evs_error err;
    evs_error_clear(&err);
    *studies = evs_studies_from_table(*table, m, &err);
    assert_non_null(*studies);
    evs_meta *meta = evs_meta_run(*studies, m, NULL, &opt, NULL, &err);
    if (meta == NULL) {
        char buf[2048];
        print_error("%s\n", evs_error_format(&err, buf, sizeof buf));
        fail();
    }
    return meta;
}

static void check_weights(const fixture *f, const evs_meta *meta, const char *ctx,
                          const char *dataset, const char *measure, const char *method,
                          const char *test)
{
    size_t checked = 0;
    for (size_t r = 0; r < evs_table_nrows(f->weights); r++) {
        if (strcmp(evs_fixture_str(f->weights, r, "dataset"), dataset) != 0 ||
            strcmp(evs_fixture_str(f->weights, r, "measure"), measure) != 0 ||
            strcmp(evs_fixture_str(f->weights, r, "method"), method) != 0 ||
            strcmp(evs_fixture_str(f->weights, r, "test"), test) != 0)
            continue;
        size_t row = (size_t)evs_fixture_num(f->weights, r, "row") - 1;
        assert_true(row < meta->k);
        assert_close_ctx(meta->weights[row], evs_fixture_num(f->weights, r, "weight"), 1e-8,
                         ABS, ctx);
        checked++;
    }
    assert_int_equal(checked, meta->k);
}

static void check_method(void **state, const char *method)
{
    fixture *f = *state;
    size_t fits = 0;
    for (size_t r = 0; r < evs_table_nrows(f->rma); r++) {
        if (strcmp(evs_fixture_str(f->rma, r, "method"), method) != 0)
            continue;
        const char *dataset = evs_fixture_str(f->rma, r, "dataset");
        const char *measure = evs_fixture_str(f->rma, r, "measure");
        const char *test = evs_fixture_str(f->rma, r, "test");
        char ctx[256];
        snprintf(ctx, sizeof ctx, "%s %s %s %s", dataset, measure, method, test);

        evs_table *table;
        evs_studies *studies;
        evs_meta *meta = run(dataset, measure, method, test, &table, &studies);
        const evs_fit *fit = &meta->fit;
        bool iterative = fit->method == EVS_METHOD_ML || fit->method == EVS_METHOD_REML ||
                         fit->method == EVS_METHOD_EB || fit->method == EVS_METHOD_PM;
        double rel = iterative ? REL_ITER : REL_CLOSED;
#define NUM(col) evs_fixture_num(f->rma, r, col)
        assert_int_equal(fit->k, (size_t)NUM("k"));
        assert_true(fit->converged);
        assert_close_ctx(fit->estimate, NUM("estimate"), rel, ABS, ctx);
        assert_close_ctx(fit->se, NUM("se"), rel, ABS, ctx);
        assert_close_ctx(fit->stat, NUM("stat"), rel, ABS, ctx);
        assert_close_ctx(fit->pval, NUM("pval"), rel * 10, 1e-15, ctx);
        assert_close_ctx(fit->ci_lb, NUM("ci_lb"), rel, ABS, ctx);
        assert_close_ctx(fit->ci_ub, NUM("ci_ub"), rel, ABS, ctx);
        assert_close_ctx(fit->pi_lb, NUM("pi_lb"), rel, ABS, ctx);
        assert_close_ctx(fit->pi_ub, NUM("pi_ub"), rel, ABS, ctx);
        /* tau^2 near 0 is compared on the scale of the sampling variances. */
        double tau_abs = 1e-9 * fit->vt;
        assert_close_ctx(fit->tau2, NUM("tau2"), rel, tau_abs, ctx);
        if (fit->method != EVS_METHOD_FE)
            assert_close_ctx(fit->se_tau2, NUM("se_tau2"), rel, tau_abs, ctx);
        assert_close_ctx(fit->I2, NUM("I2"), rel, 1e-9, ctx);
        assert_close_ctx(fit->H2, NUM("H2"), rel, 1e-9, ctx);
        assert_close_ctx(fit->QE, NUM("QE"), REL_CLOSED, ABS, ctx);
        assert_close_ctx(fit->QE_p, NUM("QE_p"), 1e-9, 1e-15, ctx);
        /* Q-profile bounds: metafor's uniroot and GSL's Brent both solve to ~1e-13. */
        assert_close_ctx(fit->tau2_ci_lb, NUM("tau2_ci_lb"), 1e-8, tau_abs, ctx);
        assert_close_ctx(fit->tau2_ci_ub, NUM("tau2_ci_ub"), 1e-8, tau_abs, ctx);
        assert_close_ctx(fit->I2_ci_lb, NUM("I2_ci_lb"), 1e-8, 1e-9, ctx);
        assert_close_ctx(fit->I2_ci_ub, NUM("I2_ci_ub"), 1e-8, 1e-9, ctx);
        assert_close_ctx(fit->H2_ci_lb, NUM("H2_ci_lb"), 1e-8, 1e-9, ctx);
        assert_close_ctx(fit->H2_ci_ub, NUM("H2_ci_ub"), 1e-8, 1e-9, ctx);
        if (strstr(evs_fixture_str(f->rma, r, "ci_note"), "null") != NULL)
            assert_true(fit->warnings & EVS_WARN_TAU2_CI_EMPTY);
        else
            assert_false(fit->warnings & EVS_WARN_TAU2_CI_EMPTY);
#undef NUM
        check_weights(f, meta, ctx, dataset, measure, method, test);

        evs_meta_free(meta);
        evs_studies_free(studies);
        evs_table_free(table);
        fits++;
    }
    assert_true(fits >= 20);
}

static void test_fe(void **state) { check_method(state, "FE"); }
static void test_dl(void **state) { check_method(state, "DL"); }
static void test_he(void **state) { check_method(state, "HE"); }
static void test_hs(void **state) { check_method(state, "HS"); }
static void test_sj(void **state) { check_method(state, "SJ"); }
static void test_ml(void **state) { check_method(state, "ML"); }
static void test_reml(void **state) { check_method(state, "REML"); }
static void test_eb(void **state) { check_method(state, "EB"); }
static void test_pm(void **state) { check_method(state, "PM"); }

/* k = 1 and k = 0 are errors, not results. */
static void test_too_few_studies(void **state)
{
    (void)state;
    double y[1] = {0.5}, v[1] = {0.1};
    evs_fit fit;
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(evs_fit_rma(y, v, 1, NULL, NULL, &fit, &err), EVS_EDATA);
    assert_non_null(strstr(err.message, "at least 2 studies"));
    assert_int_equal(evs_fit_rma(y, v, 0, NULL, NULL, &fit, &err), EVS_EDATA);
}

/* Non-positive or non-finite variances are refused. */
static void test_bad_variances(void **state)
{
    (void)state;
    double y[3] = {0.1, 0.2, 0.3}, v[3] = {0.1, 0.0, 0.2};
    evs_fit fit;
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(evs_fit_rma(y, v, 3, NULL, NULL, &fit, &err), EVS_EDATA);
    assert_string_equal(err.message, "study 2: vi must be finite and greater than 0");
    v[1] = NAN;
    assert_int_equal(evs_fit_rma(y, v, 3, NULL, NULL, &fit, &err), EVS_EDATA);
    y[1] = INFINITY;
    v[1] = 0.1;
    assert_int_equal(evs_fit_rma(y, v, 3, NULL, NULL, &fit, &err), EVS_EDATA);
    assert_string_equal(err.message, "study 2: yi is not finite");
}

/* The options table names every method and test once, both ways. */
/*
 * Issue 15.4: k = 2 with variances 10^12 apart gave the REML standard error
 * of tau^2 as inf or -nan (tr PP cancelled to 0 or below).  For two studies
 * every entry of P is +-c with c = w1 w2 / (w1 + w2) = 1 / (v1 + v2) at
 * tau2 = 0, so tr PP = 4 c^2 and SE = sqrt(2 / (4 c^2)) = (v1 + v2) / sqrt(2),
 * worked by hand; metafor's formula sqrt(2 / tr PP) is the same.  And the
 * options are checked: an option out of its domain is EVS_EINVAL.
 */
static void test_se_tau2_extreme_ratio(void **state)
{
    (void)state;
    static const double pairs[][2] = {{1e-6, 1e6}, {1, 1e12}, {0.01, 1e10}, {0.02, 0.05}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        double y[2] = {0.1, 0.3}, v[2] = {pairs[i][0], pairs[i][1]};
        evs_fit_options opt;
        evs_fit_options_default(&opt);
        evs_fit fit;
        evs_error err;
        evs_error_clear(&err);
        assert_int_equal(evs_fit_rma(y, v, 2, &opt, NULL, &fit, &err), EVS_OK);
        assert_close(fit.tau2, 0, 0, 0);
        assert_close(fit.se_tau2, (v[0] + v[1]) / sqrt(2), 1e-12, 0);
        assert_false(fit.warnings & EVS_WARN_SE_TAU2_NA);
    }

    double y[3] = {0.1, 0.3, 0.2}, v[3] = {0.01, 0.02, 0.03};
    evs_fit_options opt;
    evs_fit_options_default(&opt);
    opt.grid_points = 1;
    evs_fit fit;
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(evs_fit_rma(y, v, 3, &opt, NULL, &fit, &err), EVS_EINVAL);
    evs_fit_options_default(&opt);
    opt.ll_tol = -1;
    assert_int_equal(evs_fit_rma(y, v, 3, &opt, NULL, &fit, &err), EVS_EINVAL);
    assert_string_equal(err.message, "fit option ll_tol must be positive (-1)");
}

static void test_names(void **state)
{
    (void)state;
    for (int m = 0; m < EVS_METHOD_COUNT; m++) {
        evs_method back;
        assert_true(evs_method_from_name(evs_method_name((evs_method)m), &back));
        assert_int_equal(back, m);
    }
    evs_method m;
    assert_false(evs_method_from_name("reml", &m));
    assert_false(evs_method_from_name("SQGEN", &m));
    evs_test t;
    assert_true(evs_test_from_name("knha", &t));
    assert_int_equal(t, EVS_TEST_KNHA);
    assert_false(evs_test_from_name("t", &t));
    assert_close(evs_level_percent(95), 95, 0, 0);
    assert_close(evs_level_percent(0.9), 90, 1e-15, 0);
    assert_true(isnan(evs_level_percent(100)));
    assert_true(isnan(evs_level_percent(0)));
    assert_true(isnan(evs_level_percent(-5)));
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fe),   cmocka_unit_test(test_dl),
        cmocka_unit_test(test_he),   cmocka_unit_test(test_hs),
        cmocka_unit_test(test_sj),   cmocka_unit_test(test_ml),
        cmocka_unit_test(test_reml), cmocka_unit_test(test_eb),
        cmocka_unit_test(test_pm),   cmocka_unit_test(test_too_few_studies),
        cmocka_unit_test(test_bad_variances), cmocka_unit_test(test_names),
        cmocka_unit_test(test_se_tau2_extreme_ratio),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
