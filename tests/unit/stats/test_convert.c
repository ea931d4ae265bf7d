/*
 * test_convert.c -- conversions of reported summaries.
 *
 * Expected values: tests/fixtures/conversions/fivenum.csv and simple.csv,
 * computed in base R from the published equations by gen_conversions.R
 * (Luo et al. 2018; Wan et al. 2014; Shi et al. 2020 and 2023; Cochrane
 * Handbook 6.5.2.2 and 16.1.3.2), with R's qnorm() and qt().
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/convert.h"

static void test_fivenum(void **state)
{
    (void)state;
    evs_table *t = evs_fixture_table("conversions/fivenum.csv");
    for (size_t r = 0; r < evs_table_nrows(t); r++) {
        char ctx[64];
        snprintf(ctx, sizeof ctx, "fivenum.csv row %zu", r + 1);
        evs_fivenum f;
        assert_true(evs_conv_fivenum(evs_fixture_num(t, r, "min"), evs_fixture_num(t, r, "q1"),
                                     evs_fixture_num(t, r, "median"), evs_fixture_num(t, r, "q3"),
                                     evs_fixture_num(t, r, "max"), evs_fixture_num(t, r, "n"),
                                     &f));
        const char *scenario = evs_fixture_str(t, r, "scenario");
        evs_fivenum_case want = strcmp(scenario, "iqr") == 0     ? EVS_FIVENUM_IQR
                                : strcmp(scenario, "range") == 0 ? EVS_FIVENUM_RANGE
                                                                 : EVS_FIVENUM_ALL;
        assert_int_equal(f.scenario, want);
        assert_close_ctx(f.mean, evs_fixture_num(t, r, "mean"), 1e-14, 1e-15, ctx);
        assert_close_ctx(f.sd, evs_fixture_num(t, r, "sd"), 1e-13, 1e-15, ctx);
        assert_close_ctx(f.skew_stat, evs_fixture_num(t, r, "skew_stat"), 1e-13, 1e-15, ctx);
        assert_close_ctx(f.skew_crit, evs_fixture_num(t, r, "skew_crit"), 1e-13, 1e-15, ctx);
        assert_int_equal(f.skewed, strcmp(evs_fixture_str(t, r, "skewed"), "yes") == 0);
    }
    evs_table_free(t);
}

/* What cannot be converted: metafor's conv.fivenum needs n >= 5, a median,
 * both quartiles or both extremes, and ordered numbers. */
static void test_fivenum_refused(void **state)
{
    (void)state;
    evs_fivenum f;
    assert_false(evs_conv_fivenum(NAN, 1, 2, 3, NAN, 4, &f));
    assert_int_equal(f.scenario, EVS_FIVENUM_NONE);
    assert_false(evs_conv_fivenum(NAN, 1, NAN, 3, NAN, 20, &f));
    assert_false(evs_conv_fivenum(NAN, 1, 2, NAN, NAN, 20, &f));
    assert_false(evs_conv_fivenum(0, 1, 2, NAN, NAN, 20, &f));
    assert_false(evs_conv_fivenum(NAN, 3, 2, 4, NAN, 20, &f));
    assert_false(evs_conv_fivenum(NAN, NAN, 2, NAN, NAN, 20, &f));
    assert_true(isnan(f.mean) && isnan(f.sd));
}

static void test_simple(void **state)
{
    (void)state;
    evs_table *t = evs_fixture_table("conversions/simple.csv");
    for (size_t r = 0; r < evs_table_nrows(t); r++) {
        const char *what = evs_fixture_str(t, r, "what");
        double a = evs_fixture_num(t, r, "a"), b = evs_fixture_num(t, r, "b");
        double c = evs_fixture_num(t, r, "c"), n = evs_fixture_num(t, r, "n");
        double want = evs_fixture_num(t, r, "value"), got;
        if (strcmp(what, "se_to_sd") == 0)
            got = evs_conv_se_to_sd(a, n);
        else if (strcmp(what, "ci_to_sd") == 0)
            got = evs_conv_ci_to_sd(a, b, n, evs_fixture_num(t, r, "level"));
        else
            got = evs_conv_r_from_sds(a, b, c);
        /* GSL's t quantile is accurate to about 1e-10 relative */
        assert_close_ctx(got, want, 1e-9, 1e-15, what);
    }
    evs_table_free(t);
}

/*
 * Pooled SD by hand: SDs 1 and 3 with n 11 and 21:
 * sqrt((10 * 1 + 20 * 9) / 30) = sqrt(190/30).  Entries without an SD or
 * with n <= 1 are skipped; none left gives NaN.
 */
static void test_pooled_sd(void **state)
{
    (void)state;
    const double sd[4] = {1, 3, NAN, 5}, n[4] = {11, 21, 40, 1};
    assert_close(evs_conv_pooled_sd(sd, n, 4), sqrt(190.0 / 30), 1e-15, 0);
    assert_true(isnan(evs_conv_pooled_sd(sd + 2, n + 2, 2)));
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fivenum),
        cmocka_unit_test(test_fivenum_refused),
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_pooled_sd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
