/*
 * test_bayes.c -- the Bayesian normal-normal model against a plain-R
 * numerical integration of its posterior.
 *
 * Expected values: tests/fixtures/bayes/bayes.csv, written by gen_bayes.R
 * there (R 4.2.2: integrate() over tau for every quantity, uniroot() for
 * every quantile, written from the model's formulas) for five data sets
 * (dat.bcg's 13 log risk ratios and its first 3, two mean changes, one
 * study, four logit proportions of rare events) under half-normal and
 * half-Cauchy priors on tau with scales 0.5, 1 and 2 and flat or normal
 * priors on mu.  Bar: 1e-6 relative, or 1e-7 of the posterior's scale for
 * values near 0.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/bayes.h"

#define KMAX 32

static double worst = 0;

static void check(const char *name, double got, double want, double scale, const char *ctx)
{
    char c[160];
    snprintf(c, sizeof c, "%s %s", ctx, name);
    double diff = fabs(got - want), rel = diff / fmax(fabs(want), 1e-300);
    if (!isnan(want))
        worst = fmax(worst, fmin(rel, diff / scale));
    assert_close_ctx(got, want, 1e-6, 1e-7 * scale, c);
}

static void test_against_plain_r(void **state)
{
    (void)state;
    evs_table *data = evs_fixture_table("bayes/data.csv");
    evs_table *ref = evs_fixture_table("bayes/bayes.csv");
    evs_bayes_workspace *ws = evs_bayes_workspace_alloc(KMAX, 0);
    size_t rows = evs_table_nrows(ref);
    assert_true(rows >= 20);
    for (size_t r = 0; r < rows; r++) {
        const char *dataset = evs_fixture_str(ref, r, "dataset");
        double y[KMAX], v[KMAX];
        size_t k = 0;
        for (size_t i = 0; i < evs_table_nrows(data); i++) {
            if (strcmp(evs_fixture_str(data, i, "dataset"), dataset) != 0)
                continue;
            assert_true(k < KMAX);
            y[k] = evs_fixture_num(data, i, "yi");
            v[k] = evs_fixture_num(data, i, "vi");
            k++;
        }
        assert_int_equal(k, (size_t)evs_fixture_num(ref, r, "k"));
        evs_bayes_options opt;
        evs_bayes_options_default(&opt);
        assert_true(evs_tau_prior_from_name(evs_fixture_str(ref, r, "tau_prior"), &opt.tau_prior));
        opt.tau_scale = evs_fixture_num(ref, r, "tau_scale");
        if (strcmp(evs_fixture_str(ref, r, "mu_prior"), "normal") == 0) {
            opt.mu_prior = EVS_MU_PRIOR_NORMAL;
            opt.mu_mean = evs_fixture_num(ref, r, "mu_mean");
            opt.mu_sd = evs_fixture_num(ref, r, "mu_sd");
        }
        char ctx[128];
        snprintf(ctx, sizeof ctx, "%s %s(%g) mu %s", dataset, evs_tau_prior_name(opt.tau_prior),
                 opt.tau_scale, evs_fixture_str(ref, r, "mu_prior"));
        evs_bayes_fit f;
        evs_error err;
        if (evs_bayes_fit_rma(y, v, k, &opt, ws, &f, &err) != EVS_OK) {
            print_error("%s: %s\n", ctx, err.message);
            fail();
        }
        assert_true(f.converged);
        /* The scale of the posterior of mu, for values near 0. */
        double scale = evs_fixture_num(ref, r, "mu_ub") - evs_fixture_num(ref, r, "mu_lb");
        double tscale = evs_fixture_num(ref, r, "tau_ub");
        check("mu_median", f.mu_median, evs_fixture_num(ref, r, "mu_median"), scale, ctx);
        check("mu_lb", f.mu_lb, evs_fixture_num(ref, r, "mu_lb"), scale, ctx);
        check("mu_ub", f.mu_ub, evs_fixture_num(ref, r, "mu_ub"), scale, ctx);
        check("mu_mean", f.mu_mean, evs_fixture_num(ref, r, "mu_mean_post"), scale, ctx);
        check("mu_sd", f.mu_sd, evs_fixture_num(ref, r, "mu_sd_post"), scale, ctx);
        check("tau_median", f.tau_median, evs_fixture_num(ref, r, "tau_median"), tscale, ctx);
        check("tau_lb", f.tau_lb, evs_fixture_num(ref, r, "tau_lb"), tscale, ctx);
        check("tau_ub", f.tau_ub, evs_fixture_num(ref, r, "tau_ub"), tscale, ctx);
        check("pred_median", f.pred_median, evs_fixture_num(ref, r, "pred_median"), scale, ctx);
        check("pred_lb", f.pred_lb, evs_fixture_num(ref, r, "pred_lb"), scale, ctx);
        check("pred_ub", f.pred_ub, evs_fixture_num(ref, r, "pred_ub"), scale, ctx);
        double c = evs_fixture_num(ref, r, "threshold");
        check("P(mu > c)", evs_bayes_prob(ws, EVS_BAYES_MU, c, true),
              evs_fixture_num(ref, r, "p_mu_above"), 1, ctx);
        check("P(mu < c)", evs_bayes_prob(ws, EVS_BAYES_MU, c, false),
              evs_fixture_num(ref, r, "p_mu_below"), 1, ctx);
        check("P(theta_new > c)", evs_bayes_prob(ws, EVS_BAYES_PRED, c, true),
              evs_fixture_num(ref, r, "p_pred_above"), 1, ctx);
        double slb = evs_fixture_num(ref, r, "mu_short_lb");
        if (!isnan(slb)) {
            opt.interval = EVS_INTERVAL_SHORTEST;
            assert_int_equal(evs_bayes_fit_rma(y, v, k, &opt, ws, &f, &err), EVS_OK);
            /* optimize() finds the lower tail probability to 1e-10, which
             * moves the bounds by the density ratio times that. */
            check("mu_short_lb", f.mu_lb, slb, scale, ctx);
            check("mu_short_ub", f.mu_ub, evs_fixture_num(ref, r, "mu_short_ub"), scale, ctx);
            /* tau's: [0, Q(0.95)] where its density falls from 0 (bcg3,
             * pain2, one, logit4), else equal densities at both ends (bcg) */
            check("tau_short_lb", f.tau_lb, evs_fixture_num(ref, r, "tau_short_lb"), tscale,
                  ctx);
            check("tau_short_ub", f.tau_ub, evs_fixture_num(ref, r, "tau_short_ub"), tscale,
                  ctx);
        }
    }
    printf("largest difference from the plain-R integration: %.2g (relative, or of the "
           "posterior's scale near 0)\n",
           worst);
    evs_bayes_workspace_free(ws);
    evs_table_free(ref);
    evs_table_free(data);
}

/*
 * By hand: with one study and a flat prior on mu the likelihood of tau is
 * flat (the marginal of y is N(mu, v + tau^2) and mu absorbs it), so tau's
 * posterior is its prior: the half-normal median is s qnorm(3/4) =
 * 0.67448975 s.  With tau fixed near 0 by a tiny scale, mu's posterior is
 * N(y, v).
 */
static void test_by_hand(void **state)
{
    (void)state;
    double y = 0.8, v = 0.09;
    evs_bayes_workspace *ws = evs_bayes_workspace_alloc(1, 0);
    evs_bayes_options opt;
    evs_bayes_options_default(&opt);
    evs_bayes_fit f;
    assert_int_equal(evs_bayes_fit_rma(&y, &v, 1, &opt, ws, &f, NULL), EVS_OK);
    assert_close(f.tau_median, 0.5 * 0.674489750196081743, 1e-9, 0);
    assert_close(f.mu_median, 0.8, 1e-12, 0);
    opt.tau_scale = 1e-9;
    assert_int_equal(evs_bayes_fit_rma(&y, &v, 1, &opt, ws, &f, NULL), EVS_OK);
    assert_close(f.mu_lb, 0.8 - 1.959963984540054 * 0.3, 1e-9, 0);
    assert_close(evs_bayes_prob(ws, EVS_BAYES_MU, 0.8, true), 0.5, 1e-12, 0);
    /* Tails summed directly: P(mu > y + 8 sd) = Q(8) = 6.22e-16. */
    assert_close(evs_bayes_prob(ws, EVS_BAYES_MU, 0.8 + 8 * 0.3, true), 6.2209605742717841e-16,
                 1e-6, 0);
    evs_bayes_workspace_free(ws);
}

static void test_errors(void **state)
{
    (void)state;
    double y[] = {1, 2}, v[] = {0.1, 0.2}, bad[] = {0.1, 0};
    evs_bayes_workspace *ws = evs_bayes_workspace_alloc(2, 0);
    evs_bayes_options opt;
    evs_bayes_options_default(&opt);
    evs_bayes_fit f;
    f.mu_median = 5;
    evs_error err;
    assert_int_equal(evs_bayes_fit_rma(y, bad, 2, &opt, ws, &f, &err), EVS_EDATA);
    assert_string_equal(err.message, "study 2: vi must be finite and greater than 0");
    assert_int_equal(evs_bayes_fit_rma(y, v, 3, &opt, ws, &f, &err), EVS_EINVAL);
    assert_string_equal(err.message, "the workspace holds 2 studies, not 3");
    opt.tau_scale = 0;
    assert_int_equal(evs_bayes_fit_rma(y, v, 2, &opt, ws, &f, &err), EVS_EINVAL);
    assert_string_equal(err.message, "the scale of the prior on tau must be positive (found 0)");
    evs_bayes_options_default(&opt);
    opt.mu_prior = EVS_MU_PRIOR_NORMAL;
    assert_int_equal(evs_bayes_fit_rma(y, v, 2, &opt, ws, &f, &err), EVS_EINVAL);
    assert_string_equal(err.message, "a normal prior on mu needs a finite mean and a positive "
                                     "standard deviation");
    assert_close(f.mu_median, 5, 0, 0);
    evs_bayes_workspace_free(ws);
    assert_true(isnan(evs_bayes_prob(NULL, EVS_BAYES_MU, 0, true)));
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_plain_r),
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
