/*
 * test_propci.c -- per-study intervals for proportions against base R.
 *
 * Expected values: tests/fixtures/exact/propci.csv, written by gen_propci.R
 * there from binom.test() (Clopper-Pearson) and prop.test(correct = FALSE)
 * (Wilson) in R 4.2.2, at levels 90, 95, 99 and 99.9 percent, for counts
 * from 0 of 1 to 999,999 of 1,000,000.
 */
#include <gsl/gsl_cdf.h>
#include <float.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/propci.h"

static double rel_err(double a, double b)
{
    return b == 0 ? fabs(a) : fabs(a - b) / fabs(b);
}

static void test_against_r(void **state)
{
    (void)state;
    double worst = 0;
    evs_table *ref = evs_fixture_table("exact/propci.csv");
    size_t rows = evs_table_nrows(ref);
    assert_true(rows >= 80);
    for (size_t r = 0; r < rows; r++) {
        double x = evs_fixture_num(ref, r, "x"), n = evs_fixture_num(ref, r, "n");
        double level = evs_fixture_num(ref, r, "level"), lb, ub;
        char ctx[96];
        snprintf(ctx, sizeof ctx, "%g/%g at %g%%", x, n, level);
        evs_error err;
        assert_int_equal(evs_propci(x, n, level, EVS_PROPCI_CP, &lb, &ub, &err), EVS_OK);
        /* R's qbeta is itself accurate to about 1e-15; 1e-12 leaves room for
         * the incomplete beta function's rounding at n = 10^6. */
        worst = fmax(worst, rel_err(lb, evs_fixture_num(ref, r, "cp_lb")));
        worst = fmax(worst, rel_err(ub, evs_fixture_num(ref, r, "cp_ub")));
        assert_close_ctx(lb, evs_fixture_num(ref, r, "cp_lb"), 1e-12, 1e-300, ctx);
        assert_close_ctx(ub, evs_fixture_num(ref, r, "cp_ub"), 1e-12, 1e-300, ctx);
        assert_int_equal(evs_propci(x, n, level, EVS_PROPCI_WS, &lb, &ub, &err), EVS_OK);
        assert_close_ctx(lb, evs_fixture_num(ref, r, "ws_lb"), 1e-13, 1e-300, ctx);
        assert_close_ctx(ub, evs_fixture_num(ref, r, "ws_ub"), 1e-13, 1e-300, ctx);
    }
    evs_table_free(ref);
    printf("Clopper-Pearson: largest relative difference from binom.test %.2g\n", worst);
}

/*
 * By hand: at x = 0 the Clopper-Pearson upper bound solves (1 - p)^n =
 * alpha/2, so for 0 of 4 at 95% it is 1 - 0.025^(1/4) = 0.602364635616...;
 * at x = n the lower bound is 0.025^(1/n).  Wilson's for 0 of 4: the upper
 * bound is z^2/(n + z^2) = 3.8415/7.8415 = 0.48990 (with p = 0 the square
 * root is z/2n and the numerator z^2/n).
 */
static void test_by_hand(void **state)
{
    (void)state;
    double lb, ub, z = gsl_cdf_ugaussian_Qinv(0.025);
    assert_int_equal(evs_propci(0, 4, 95, EVS_PROPCI_CP, &lb, &ub, NULL), EVS_OK);
    assert_close(lb, 0, 0, 0);
    assert_close(ub, 1 - pow(0.025, 0.25), 1e-15, 0);
    assert_int_equal(evs_propci(4, 4, 95, EVS_PROPCI_CP, &lb, &ub, NULL), EVS_OK);
    assert_close(lb, pow(0.025, 0.25), 1e-15, 0);
    assert_close(ub, 1, 0, 0);
    assert_int_equal(evs_propci(0, 4, 95, EVS_PROPCI_WS, &lb, &ub, NULL), EVS_OK);
    assert_close(lb, 0, 0, 0);
    assert_close(ub, z * z / (4 + z * z), 1e-15, 0);
}

/*
 * The quantile inverts GSL's distribution function in both tails: the root
 * lies within 1e-12 of q relative to min(q, 1 - q), or within a few units in
 * the last place (or one subnormal, where the quantile underflows) where that
 * is finer than a double can hold.
 */
static void check_bracket(double p, double a, double b, bool upper, const char *ctx)
{
    double q = evs_beta_quantile(p, a, b, upper);
    if (!(q >= 0 && q <= 1)) {
        print_error("%s: quantile %g outside [0, 1]\n", ctx, q);
        fail();
    }
    double d = 1e-12 * fmin(q, 1 - q) + 4 * DBL_EPSILON * q + DBL_TRUE_MIN;
    double lo = fmax(q - d, 0), hi = fmin(q + d, 1);
    bool ok = upper ? gsl_cdf_beta_Q(lo, a, b) >= p && gsl_cdf_beta_Q(hi, a, b) <= p
                    : gsl_cdf_beta_P(lo, a, b) <= p && gsl_cdf_beta_P(hi, a, b) >= p;
    if (!ok) {
        print_error("%s (%s tail): quantile %.17g does not bracket the root\n", ctx,
                    upper ? "upper" : "lower", q);
        fail();
    }
}

static void test_beta_quantile_inverts(void **state)
{
    (void)state;
    static const double ps[] = {1e-300, 1e-12, 0.005, 0.025, 0.5, 0.975, 1 - 1e-9};
    static const double ab[][2] = {{1, 1}, {0.5, 0.5}, {3, 99998}, {5e4, 5e4 + 1}, {2, 0.3},
                                   {1e-3, 5}, {999999, 2}};
    for (size_t i = 0; i < sizeof ab / sizeof ab[0]; i++) {
        for (size_t j = 0; j < sizeof ps / sizeof ps[0]; j++) {
            char ctx[96];
            snprintf(ctx, sizeof ctx, "Beta(%g, %g) at %g", ab[i][0], ab[i][1], ps[j]);
            check_bracket(ps[j], ab[i][0], ab[i][1], false, ctx);
            check_bracket(ps[j], ab[i][0], ab[i][1], true, ctx);
        }
    }
    assert_true(isnan(evs_beta_quantile(0, 1, 1, false)));
    assert_true(isnan(evs_beta_quantile(1, 1, 1, false)));
    assert_true(isnan(evs_beta_quantile(0.5, 0, 1, false)));
    assert_true(isnan(evs_beta_quantile(0.5, 1, INFINITY, false)));
}

static void expect_error(double x, double n, double level, evs_status code, const char *text)
{
    double lb = -1, ub = -1;
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(evs_propci(x, n, level, EVS_PROPCI_CP, &lb, &ub, &err), code);
    assert_string_equal(err.message, text);
    assert_close(lb, -1, 0, 0); /* untouched */
    assert_close(ub, -1, 0, 0);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error(5, 4, 95, EVS_EDATA, "the number of events must be a whole number from 0 to 4 "
                                      "(found 5)");
    expect_error(-1, 4, 95, EVS_EDATA, "the number of events must be a whole number from 0 to 4 "
                                       "(found -1)");
    expect_error(1.5, 4, 95, EVS_EDATA, "the number of events must be a whole number from 0 to "
                                        "4 (found 1.5)");
    expect_error(0, 0, 95, EVS_EDATA, "the number of patients must be a whole number of at "
                                      "least 1 (found 0)");
    expect_error(0, 12.5, 95, EVS_EDATA, "the number of patients must be a whole number of at "
                                         "least 1 (found 12.5)");
    expect_error(NAN, 4, 95, EVS_EDATA, "the number of events must be a whole number from 0 to "
                                        "4 (found nan)");
    expect_error(1, 4, 100, EVS_EINVAL, "level must be between 0 and 100");
    expect_error(1, 4, 0, EVS_EINVAL, "level must be between 0 and 100");
}

static void test_names(void **state)
{
    (void)state;
    evs_propci_method m;
    assert_true(evs_propci_from_name("WS", &m) && m == EVS_PROPCI_WS);
    assert_true(evs_propci_from_name("CP", &m) && m == EVS_PROPCI_CP);
    assert_false(evs_propci_from_name("cp", &m));
    assert_string_equal(evs_propci_name(EVS_PROPCI_CP), "CP");
    assert_string_equal(evs_propci_name(EVS_PROPCI_COUNT), "?");
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_r),    cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_beta_quantile_inverts), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
