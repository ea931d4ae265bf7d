/*
 * test_dist.c -- chi-square quantiles for any degrees of freedom, and the
 * Q-profile interval for tau^2 with 200,000 studies.
 *
 * Expected quantiles: R 4.2.2,
 *   for (d in c(1, 2, 5, 30, 999, 99999, 999999, 1e7))
 *     for (p in c(0.025, 0.05, 0.005))
 *       sprintf("%.17g", c(qchisq(p, d), qchisq(p, d, lower.tail = FALSE)))
 * GSL 2.7's own quantile is wrong from df = 99,999 on (the reason for
 * evs_chisq_quantile).
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>

#include "evs_test.h"
#include "evsynth/dist.h"
#include "evsynth/fit.h"

static void test_against_r(void **state)
{
    (void)state;
    static const struct {
        double p, df, lower, upper;
    } q[] = {
        {0.025, 1, 0.00098206911717525617, 5.0238861873148872},
        {0.05, 1, 0.0039321400000195249, 3.8414588206941258},
        {0.005, 1, 3.9270422220515896e-05, 7.8794385766224053},
        {0.025, 2, 0.050635615968579753, 7.3777589082278681},
        {0.05, 2, 0.10258658877510107, 5.991464547107979},
        {0.005, 2, 0.010025083647088564, 10.596634733096073},
        {0.025, 5, 0.8312116134866625, 12.832501994030029},
        {0.05, 5, 1.145476226061769, 11.070497693516351},
        {0.005, 5, 0.41174190383249887, 16.749602343639044},
        {0.025, 30, 16.790772265566627, 46.979242243671159},
        {0.05, 30, 18.492660981953467, 43.772971825742182},
        {0.005, 30, 13.786719859502712, 53.67196193024057},
        {0.025, 999, 913.30099830211338, 1088.4870677259353},
        {0.05, 999, 926.63116092043288, 1073.6426506574246},
        {0.005, 999, 887.62113521751871, 1117.8904526786409},
        {0.025, 99999, 99124.377683278668, 100877.4109230342},
        {0.05, 99999, 99264.541556183118, 100735.7324992965},
        {0.005, 99999, 98850.816698854949, 101154.69648056247},
        {0.025, 999999, 997229.08852919447, 1002772.7000820216},
        {0.05, 999999, 997673.96443956159, 1002326.3096181314},
        {0.005, 999999, 996359.98575676908, 1003645.5274370939},
        {0.025, 1e7, 9991236.6690538954, 10008767.119557811},
        {0.05, 1e7, 9992645.1281586569, 10007357.145899259},
        {0.005, 1e7, 9988484.2977786772, 10011523.215416631},
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        /* Above 10^6 df, Wilson-Hilferty: within 5e-11 (1.4e-12 at 10^7). */
        double rel = q[i].df > 1e6 ? 1e-11 : 1e-12;
        assert_close(evs_chisq_quantile(q[i].p, q[i].df, false), q[i].lower, rel, 0);
        assert_close(evs_chisq_quantile(q[i].p, q[i].df, true), q[i].upper, rel, 0);
    }
    assert_true(isnan(evs_chisq_quantile(0, 5, false)));
    assert_true(isnan(evs_chisq_quantile(0.5, 0, true)));
    assert_true(isnan(evs_chisq_quantile(1, 5, true)));
}

/*
 * With every vi equal to v, Q(tau2) = SS / (v + tau2), SS the sum of squares
 * of y about their mean, so the Q-profile bounds are closed forms:
 *   lb = SS / qchisq(0.975, k - 1) - v,  ub = SS / qchisq(0.025, k - 1) - v.
 * k = 200,000: df = 199,999, quantiles from R (qchisq, as above).
 */
static void test_qprofile_large_k(void **state)
{
    (void)state;
    enum { K = 200000 };
    const double v = 0.01, q_lo = 198761.30842647119, q_hi = 201240.48018256572;
    double *y = malloc(K * sizeof *y), *vi = malloc(K * sizeof *vi);
    assert_non_null(y);
    assert_non_null(vi);
    double mean = 0;
    for (size_t i = 0; i < K; i++) {
        y[i] = 0.3 * sin(0.001 * (double)i * (double)i) + 0.1 * (double)(i % 7);
        vi[i] = v;
        mean += y[i];
    }
    mean /= K;
    double ss = 0;
    for (size_t i = 0; i < K; i++)
        ss += (y[i] - mean) * (y[i] - mean);

    evs_fit_options opt;
    evs_fit_options_default(&opt);
    opt.method = EVS_METHOD_DL;
    evs_fit fit;
    assert_int_equal(evs_fit_rma(y, vi, K, &opt, NULL, &fit, NULL), EVS_OK);
    assert_int_equal(fit.warnings & (EVS_WARN_TAU2_CI_FAILED | EVS_WARN_TAU2_CI_EMPTY), 0);
    assert_close(fit.tau2_ci_lb, ss / q_hi - v, 1e-9, 0);
    assert_close(fit.tau2_ci_ub, ss / q_lo - v, 1e-9, 0);
    /* DL with equal variances: tau2 = SS / (k - 1) - v, inside the interval. */
    assert_close(fit.tau2, ss / (K - 1) - v, 1e-9, 0);
    free(y);
    free(vi);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_r),
        cmocka_unit_test(test_qprofile_large_k),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
