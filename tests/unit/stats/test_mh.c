/*
 * test_mh.c -- the Mantel-Haenszel method against metafor's rma.mh().
 *
 * Expected values: tests/fixtures/metafor/mh.csv, written by gen_glmm.R
 * there (metafor 3.8-1, R 4.2.2) with rma.mh()'s defaults, for dat.bcg,
 * dat.nielweise2007 (rare events, zero cells) and a set with a double-zero
 * study, for OR, RR and RD at levels 95 and 90.  Closed forms throughout:
 * agreement to rounding.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/mh.h"

#define KMAX 64

static void test_against_metafor(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/mh.csv");
    size_t rows = evs_table_nrows(ref);
    assert_true(rows >= 18);
    double worst = 0;
    for (size_t r = 0; r < rows; r++) {
        const char *dataset = evs_fixture_str(ref, r, "dataset");
        char path[256];
        snprintf(path, sizeof path, "metafor/data/%s.csv", dataset);
        evs_table *t = evs_fixture_table(path);
        size_t k = evs_table_nrows(t);
        assert_true(k <= KMAX);
        double a[KMAX], b[KMAX], c[KMAX], d[KMAX];
        for (size_t i = 0; i < k; i++) {
            a[i] = evs_fixture_num(t, i, "ai");
            b[i] = evs_fixture_num(t, i, "bi");
            c[i] = evs_fixture_num(t, i, "ci");
            d[i] = evs_fixture_num(t, i, "di");
        }
        evs_table_free(t);
        evs_measure m;
        assert_true(evs_measure_from_name(evs_fixture_str(ref, r, "measure"), &m));
        evs_mh_options opt;
        evs_mh_options_default(&opt);
        opt.level = evs_fixture_num(ref, r, "level");
        evs_mh_fit f;
        evs_error err;
        assert_int_equal(evs_mh(m, a, b, c, d, k, &opt, &f, &err), EVS_OK);
        char ctx[96];
        snprintf(ctx, sizeof ctx, "%s %s level %g", dataset, evs_measure_name(m), opt.level);
        assert_int_equal(f.k, (size_t)evs_fixture_num(ref, r, "k"));
        assert_int_equal(f.k_yi, (size_t)evs_fixture_num(ref, r, "k_yi"));
        static const char *const cols[] = {"estimate", "se",   "zval", "pval", "ci_lb",
                                           "ci_ub",    "QE",   "QE_p", "I2",   "H2",
                                           "CO",       "CO_p", "MH",   "MH_p", "BD",
                                           "BD_p",     "TA",   "TA_p"};
        const double got[] = {f.estimate, f.se, f.stat, f.pval, f.ci_lb, f.ci_ub,
                              f.QE,       f.QE_p, f.I2,  f.H2,   f.CO,    f.CO_p,
                              f.CMH,      f.CMH_p, f.BD, f.BD_p, f.TA,    f.TA_p};
        for (size_t j = 0; j < sizeof cols / sizeof cols[0]; j++) {
            double want = evs_fixture_num(ref, r, cols[j]);
            char c2[128];
            snprintf(c2, sizeof c2, "%s %s", ctx, cols[j]);
            assert_close_ctx(got[j], want, 1e-11, 1e-300, c2);
            if (!isnan(want) && want != 0)
                worst = fmax(worst, fabs(got[j] - want) / fabs(want));
        }
    }
    printf("largest relative difference from rma.mh: %.2g\n", worst);
    evs_table_free(ref);
}

/*
 * By hand: with one table the Robins-Breslow-Greenland variance is Woolf's,
 * 1/a + 1/b + 1/c + 1/d, and the MH odds ratio is ad/bc; the risk ratio is
 * (a/n1)/(c/n2) with variance 1/a - 1/n1 + 1/c - 1/n2.
 */
static void test_by_hand(void **state)
{
    (void)state;
    double a = 12, b = 28, c = 6, d = 34;
    evs_mh_fit f;
    assert_int_equal(evs_mh(EVS_MEASURE_OR, &a, &b, &c, &d, 1, NULL, &f, NULL), EVS_OK);
    assert_close(f.estimate, log(a * d / (b * c)), 1e-15, 0);
    assert_close(f.se, sqrt(1 / a + 1 / b + 1 / c + 1 / d), 1e-14, 0);
    assert_close(f.QE, 0, 0, 0);
    assert_int_equal(evs_mh(EVS_MEASURE_RR, &a, &b, &c, &d, 1, NULL, &f, NULL), EVS_OK);
    assert_close(f.estimate, log((a / 40) / (c / 40)), 1e-15, 0);
    assert_close(f.se, sqrt(1 / a - 1 / 40.0 + 1 / c - 1 / 40.0), 1e-14, 0);
    assert_true(isnan(f.BD));
}

static void test_errors(void **state)
{
    (void)state;
    double a[] = {0, 0}, b[] = {10, 12}, c[] = {3, 1}, d[] = {7, 11}, z[] = {0, 0};
    evs_mh_fit f;
    f.estimate = 7;
    evs_error err;
    assert_int_equal(evs_mh(EVS_MEASURE_OR, a, b, c, d, 2, NULL, &f, &err), EVS_EDATA);
    assert_string_equal(err.message, "the Mantel-Haenszel odds ratio is not estimable: it is 0 "
                                     "(no study has events in the first group and non-events in "
                                     "the second)");
    assert_int_equal(evs_mh(EVS_MEASURE_RR, a, b, c, d, 2, NULL, &f, &err), EVS_EDATA);
    assert_string_equal(err.message, "the Mantel-Haenszel risk ratio is not estimable: no events "
                                     "in the first group of any study");
    assert_close(f.estimate, 7, 0, 0);
    /* RD is estimable without events. */
    assert_int_equal(evs_mh(EVS_MEASURE_RD, a, b, a, d, 2, NULL, &f, &err), EVS_OK);
    assert_close(f.estimate, 0, 0, 0);
    assert_int_equal(evs_mh(EVS_MEASURE_OR, a, z, c, d, 2, NULL, &f, &err), EVS_EDATA);
    assert_string_equal(err.message, "study 1: each group needs at least one patient");
    double frac[] = {0.5, 1};
    assert_int_equal(evs_mh(EVS_MEASURE_OR, frac, b, c, d, 2, NULL, &f, &err), EVS_EDATA);
    assert_string_equal(err.message, "study 1: the counts of a 2x2 table must be whole numbers "
                                     "of at least 0 (found 0.5)");
    assert_int_equal(evs_mh(EVS_MEASURE_SMD, a, b, c, d, 2, NULL, &f, &err), EVS_EINVAL);
    assert_string_equal(err.message, "the Mantel-Haenszel method pools OR, RR or RD (not SMD)");
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_metafor),
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
