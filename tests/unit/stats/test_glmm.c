/*
 * test_glmm.c -- the binomial-normal models against metafor's rma.glmm().
 *
 * Expected values: tests/fixtures/metafor/glmm.csv, written by gen_glmm.R
 * there (metafor 3.8-1, lme4 1.1-31, R 4.2.2) for dat.pritz1997, a set with
 * zero- and all-event series (zeroprop), a rare-event set whose tau2
 * estimate is 0 (rareprop), two studies (k2prop), and for odds ratios
 * dat.bcg, dat.nielweise2007 (rare events) and a set with a double-zero
 * study (zero2x2), at nAGQ = 1 (Laplace), 7 (metafor's default) and 15,
 * with tests z and t.
 *
 * What limits agreement is lme4: its objective is evaluated at conditional
 * modes from PIRLS with a tolerance, its optimiser stops early, and its
 * standard errors come from a finite-difference Hessian.  gen_glmm.R fits
 * each model twice with different optimisers (columns *_alt); the
 * tolerance for everything that depends on the optimum is 20 times their
 * difference, and never below 1e-7 (1e-6 for standard errors, which lme4
 * takes from second differences of its deviance with a step of 1e-4).
 * The test prints the largest differences it sees.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/glmm.h"

#define KMAX 64

typedef struct worst {
    const char *name;
    double rel;
} worst;

static worst worsts[] = {{"estimate", 0}, {"se", 0},      {"tau2", 0},    {"ci_lb", 0},
                         {"pi_ub", 0},    {"QE_wald", 0}, {"QE_lrt", 0},  {"I2", 0},
                         {"loglik", 0},   {"loglik_ce", 0}, {"ce_se", 0}, {"pval", 0},
                         {"se_rich", 0}};

static void note(const char *name, double got, double want)
{
    double rel = fabs(want) < 1e-12 ? fabs(got - want) : fabs(got - want) / fabs(want);
    for (size_t i = 0; i < sizeof worsts / sizeof worsts[0]; i++)
        if (strcmp(worsts[i].name, name) == 0 && rel > worsts[i].rel)
            worsts[i].rel = rel;
}

static void check(const char *name, double got, double want, double rel, double abs,
                  const char *ctx)
{
    note(name, got, want);
    char c[160];
    snprintf(c, sizeof c, "%s %s", ctx, name);
    assert_close_ctx(got, want, rel, abs, c);
}

static size_t read_counts(const char *dataset, bool two_by_two, double cols[4][KMAX])
{
    char path[256];
    snprintf(path, sizeof path, "metafor/data/%s.csv", dataset);
    evs_table *t = evs_fixture_table(path);
    size_t k = evs_table_nrows(t);
    assert_true(k <= KMAX);
    static const char *const prop[] = {"xi", "ni"}, *const tab[] = {"ai", "bi", "ci", "di"};
    for (size_t i = 0; i < k; i++)
        for (int j = 0; j < (two_by_two ? 4 : 2); j++)
            cols[j][i] = evs_fixture_num(t, i, two_by_two ? tab[j] : prop[j]);
    evs_table_free(t);
    return k;
}

static void test_against_metafor(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/glmm.csv");
    evs_glmm_workspace *ws = evs_glmm_workspace_alloc(4);
    size_t rows = evs_table_nrows(ref);
    assert_true(rows >= 36);
    for (size_t r = 0; r < rows; r++) {
        const char *dataset = evs_fixture_str(ref, r, "dataset");
        bool is_or = strcmp(evs_fixture_str(ref, r, "measure"), "OR") == 0;
        double cols[4][KMAX];
        size_t k = read_counts(dataset, is_or, cols);
        evs_glmm_options opt;
        evs_glmm_options_default(&opt);
        opt.nagq = (int)evs_fixture_num(ref, r, "nagq");
        opt.t_dist = strcmp(evs_fixture_str(ref, r, "test"), "t") == 0;
        evs_glmm_fit f;
        evs_error err;
        evs_status st = is_or ? evs_glmm_or(cols[0], cols[1], cols[2], cols[3], k, &opt, ws, &f,
                                            &err)
                              : evs_glmm_plo(cols[0], cols[1], k, &opt, ws, &f, &err);
        char ctx[128];
        snprintf(ctx, sizeof ctx, "%s %s nAGQ %d test %s", dataset, is_or ? "OR" : "PLO",
                 opt.nagq, opt.t_dist ? "t" : "z");
        if (st != EVS_OK) {
            print_error("%s: %s\n", ctx, err.message);
            fail();
        }
        assert_true(f.converged);
        assert_int_equal(f.k, (size_t)evs_fixture_num(ref, r, "k"));

        /* lme4's own spread, from its two optimisers. */
        double est = evs_fixture_num(ref, r, "estimate"), tau2 = evs_fixture_num(ref, r, "tau2");
        double spread = fabs(est - evs_fixture_num(ref, r, "estimate_alt")) / fabs(est);
        if (tau2 > 1e-8)
            spread = fmax(spread,
                          fabs(tau2 - evs_fixture_num(ref, r, "tau2_alt")) / fabs(tau2));
        double tol = fmax(1e-7, 20 * spread), tol_se = fmax(1e-6, 20 * spread);
        if (opt.nagq == 1 && !is_or) {
            /* lme4's Laplace objective (nAGQ = 1) adds log det at conditional
             * modes that PIRLS finds only to the square root of its
             * tolerance: on zeroprop its estimate is 1.5e-3 and its standard
             * error 3% away from the Laplace approximation's optimum, and the
             * gradient of lme4's own deviance function is not 0 there.  The
             * reference is a plain-R Laplace approximation (gen_glmm.R,
             * laplace_*); lme4 is held only to 2e-3.  The quadrature of
             * nAGQ > 1 is not sensitive to the modes' accuracy. */
            check("estimate", f.estimate, evs_fixture_num(ref, r, "laplace_estimate"), 1e-7, 0,
                  ctx);
            check("tau2", f.tau2, evs_fixture_num(ref, r, "laplace_tau2"), 1e-6, 1e-12, ctx);
            check("se", f.se, evs_fixture_num(ref, r, "laplace_se"), 1e-6, 0, ctx);
            assert_close_ctx(f.estimate, est, 2e-3, 0, ctx);
        } else {
            if (opt.nagq == 1) {
                /* The same PIRLS effect on the odds-ratio models, smaller. */
                tol = fmax(tol, 1e-6);
                tol_se = fmax(tol_se, 1e-5);
            }
            check("estimate", f.estimate, est, tol, 0, ctx);
            /* tau2 = 0 in lme4 is theta at its bound; evsynth reports the
             * boundary as exactly 0 (and the common-effect model). */
            check("tau2", f.tau2, tau2, tol, 1e-12, ctx);
            if (tau2 < 1e-12) {
                /* At the boundary the model is glm's common-effect model,
                 * whose standard error (tight IRLS) is exact; lme4's comes
                 * from a finite-difference Hessian with theta stepped across
                 * the boundary, 1.6e-6 away on rareprop. */
                check("se", f.se, evs_fixture_num(ref, r, "ce_se"), 1e-7, 0, ctx);
                tol_se = fmax(tol_se, 5e-6);
            }
            check("se", f.se, evs_fixture_num(ref, r, "se"), tol_se, 0, ctx);
            /* lme4's finite-difference Hessian is 7e-5 off on dat.bcg; its
             * deviance function's Hessian by Richardson extrapolation at
             * lme4's optimum (se_rich) is the sharper reference. */
            double se_rich = evs_fixture_num(ref, r, "se_rich");
            if (!isnan(se_rich))
                check("se_rich", f.se, se_rich, fmax(1e-5, 20 * spread), 0, ctx);
            /* Bounds near 0 are held to the scale of the interval. */
            double bound_abs = 4 * tol_se * evs_fixture_num(ref, r, "se");
            check("zval", f.stat, evs_fixture_num(ref, r, "zval"), tol_se, 0, ctx);
            check("pval", f.pval, evs_fixture_num(ref, r, "pval"), 50 * tol_se, 1e-300, ctx);
            check("ci_lb", f.ci_lb, evs_fixture_num(ref, r, "ci_lb"), tol_se, bound_abs, ctx);
            check("ci_ub", f.ci_ub, evs_fixture_num(ref, r, "ci_ub"), tol_se, bound_abs, ctx);
            check("pi_lb", f.pi_lb, evs_fixture_num(ref, r, "pi_lb"), tol_se, bound_abs, ctx);
            check("pi_ub", f.pi_ub, evs_fixture_num(ref, r, "pi_ub"), tol_se, bound_abs, ctx);
            check("I2", f.I2, evs_fixture_num(ref, r, "I2"), tol, 1e-10, ctx);
            check("H2", f.H2, evs_fixture_num(ref, r, "H2"), tol, 0, ctx);
            check("loglik", f.loglik, evs_fixture_num(ref, r, "loglik"), 1e-9, 0, ctx);
        }
        printf("%-34s estimate %7.1e tau2 %7.1e se %7.1e se_rich %7.1e (lme4 spread %.1e)\n",
               ctx,
               fabs(f.estimate - est) / fabs(est),
               tau2 > 1e-12 ? fabs(f.tau2 - tau2) / tau2 : fabs(f.tau2 - tau2),
               fabs(f.se - evs_fixture_num(ref, r, "se")) / evs_fixture_num(ref, r, "se"),
               fabs(f.se - evs_fixture_num(ref, r, "se_rich")) / evs_fixture_num(ref, r, "se_rich"),
               spread);
        if (tau2 < 1e-12)
            assert_true(f.common_effect && (f.warnings & EVS_GLMM_WARN_TAU2_ZERO));
        else
            assert_false(f.common_effect);

        /* No optimisation behind these (glm's common-effect and saturated
         * models).  The Wald statistic is glm's at its default epsilon of
         * 1e-8 (see gen_glmm.R), whose weights come from the last iteration
         * but one and give a zero-event study a weight of about 1e-9 where
         * the limit is 0: 1e-6 of difference on rareprop. */
        check("QE_wald", f.QE_wald, evs_fixture_num(ref, r, "QE_wald"), 2e-6, 0, ctx);
        check("QE_wald_p", f.QE_wald_p, evs_fixture_num(ref, r, "QE_wald_p"), 1e-5, 1e-300,
              ctx);
        check("QE_lrt", f.QE_lrt, evs_fixture_num(ref, r, "QE_lrt"), 1e-7, 0, ctx);
        check("QE_lrt_p", f.QE_lrt_p, evs_fixture_num(ref, r, "QE_lrt_p"), 1e-6, 1e-300, ctx);
        assert_int_equal(f.QE_df, (int)evs_fixture_num(ref, r, "QE_df"));
        check("vt", f.vt, evs_fixture_num(ref, r, "vt"), 1e-13, 0, ctx);
        check("loglik_ce", f.loglik_ce, evs_fixture_num(ref, r, "loglik_ce"), 1e-10, 0, ctx);
        check("loglik_sat", f.loglik_sat, evs_fixture_num(ref, r, "loglik_sat"), 1e-10, 0, ctx);
        check("ce_estimate", f.ce_estimate, evs_fixture_num(ref, r, "ce_estimate"), 1e-8, 0,
              ctx);
        check("ce_se", f.ce_se, evs_fixture_num(ref, r, "ce_se"), 1e-7, 0, ctx);
    }
    printf("largest relative differences from rma.glmm:");
    for (size_t i = 0; i < sizeof worsts / sizeof worsts[0]; i++)
        printf(" %s %.2g", worsts[i].name, worsts[i].rel);
    printf("\n");
    evs_glmm_workspace_free(ws);
    evs_table_free(ref);
}

/*
 * The common-effect model alone (common_effect: rma.glmm method = "FE"),
 * against tests/fixtures/metafor/glmm_fe.csv (gen_glmm_fe.R: glm() at
 * epsilon 1e-14), including one study (k1prop, k1_2x2), which rma.glmm's
 * random-effects fit refuses and its common-effect fit accepts.  No
 * optimisation stands between the two: PLO is in closed form, UM.FS is a
 * logistic regression both sides solve to machine precision.
 */
static void test_common_effect(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/glmm_fe.csv");
    size_t rows = evs_table_nrows(ref);
    assert_true(rows >= 16);
    double largest = 0;
    for (size_t r = 0; r < rows; r++) {
        const char *dataset = evs_fixture_str(ref, r, "dataset");
        bool is_or = strcmp(evs_fixture_str(ref, r, "measure"), "OR") == 0;
        double cols[4][KMAX];
        size_t k = read_counts(dataset, is_or, cols);
        evs_glmm_options opt;
        evs_glmm_options_default(&opt);
        opt.common_effect = true;
        opt.t_dist = strcmp(evs_fixture_str(ref, r, "test"), "t") == 0;
        evs_glmm_fit f;
        evs_error err;
        evs_status st = is_or ? evs_glmm_or(cols[0], cols[1], cols[2], cols[3], k, &opt, NULL,
                                            &f, &err)
                              : evs_glmm_plo(cols[0], cols[1], k, &opt, NULL, &f, &err);
        char ctx[128];
        snprintf(ctx, sizeof ctx, "common effect %s %s test %s", dataset, is_or ? "OR" : "PLO",
                 opt.t_dist ? "t" : "z");
        assert_int_equal(st, EVS_OK);
        assert_true(f.converged && f.common_effect);
        /* asked for, so no warning (one study included) */
        assert_int_equal(f.warnings & ~(unsigned)EVS_GLMM_WARN_DROPPED, 0);
        assert_int_equal(f.k, (size_t)evs_fixture_num(ref, r, "k"));
        static const char *const cols_ref[] = {"estimate", "se", "zval", "pval", "ci_lb",
                                               "ci_ub"};
        double got[] = {f.estimate, f.se, f.stat, f.pval, f.ci_lb, f.ci_ub};
        for (size_t j = 0; j < 6; j++) {
            double want = evs_fixture_num(ref, r, cols_ref[j]);
            double rel = fabs(got[j] - want) / fabs(want);
            largest = fmax(largest, rel);
            char c[200];
            snprintf(c, sizeof c, "%s %s", ctx, cols_ref[j]);
            assert_close_ctx(got[j], want, j == 3 ? 1e-8 : 1e-9, 1e-300, c);
        }
        assert_close_ctx(f.tau2, 0, 0, 0, ctx);
        assert_true(isnan(f.pi_lb) && isnan(f.pi_ub));
        if (k >= 2) {
            assert_close_ctx(f.I2, evs_fixture_num(ref, r, "I2"), 0, 0, ctx);
            assert_close_ctx(f.H2, evs_fixture_num(ref, r, "H2"), 0, 0, ctx);
            check("QE_lrt", f.QE_lrt, evs_fixture_num(ref, r, "QE_lrt"), 1e-8, 0, ctx);
            /* glm()'s Wald statistic at epsilon 1e-14: a zero-cell study gets a
             * variance near 1e13 instead of the limit (weight 0), so only the
             * sets without zero cells are held to 1e-8. */
            bool zero_cells = strcmp(dataset, "zeroprop") == 0 ||
                              strcmp(dataset, "rareprop") == 0 ||
                              strcmp(dataset, "zero2x2_abcd") == 0 ||
                              strcmp(dataset, "nielweise2007") == 0;
            if (!zero_cells)
                check("QE_wald", f.QE_wald, evs_fixture_num(ref, r, "QE_wald"), 1e-8, 0, ctx);
        } else {
            /* metafor: NA for one study */
            assert_true(isnan(f.I2) && isnan(f.H2) && isnan(f.QE_wald) && isnan(f.QE_lrt));
            assert_string_equal(evs_fixture_str(ref, r, "refused_ml"), "TRUE");
        }
    }
    printf("common-effect GLMM: largest relative difference from rma.glmm(method = \"FE\"): "
           "%.2g\n",
           largest);
    evs_table_free(ref);
}

/* The rule is lme4's GHrule() to rounding, and integrates z^(2j) exactly. */
static void test_gauss_hermite(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/ghrule.csv");
    size_t r = 0, rows = evs_table_nrows(ref);
    while (r < rows) {
        int n = (int)evs_fixture_num(ref, r, "nagq");
        double z[EVS_GLMM_NAGQ_MAX], w[EVS_GLMM_NAGQ_MAX];
        assert_true(evs_gauss_hermite(n, z, w));
        double m0 = 0, m2 = 0, m4 = 0;
        for (int j = 0; j < n; j++, r++) {
            assert_close(z[j], evs_fixture_num(ref, r, "z"), 1e-13, 1e-15);
            assert_close(w[j], evs_fixture_num(ref, r, "w"), 1e-12, 1e-300);
            m0 += w[j];
            m2 += w[j] * z[j] * z[j];
            m4 += w[j] * z[j] * z[j] * z[j] * z[j];
        }
        assert_close(m0, 1, 1e-14, 0);
        if (n >= 2)
            assert_close(m2, 1, 1e-13, 0);
        if (n >= 3)
            assert_close(m4, 3, 1e-13, 0);
    }
    double z[EVS_GLMM_NAGQ_MAX], w[EVS_GLMM_NAGQ_MAX];
    assert_false(evs_gauss_hermite(0, z, w));
    assert_false(evs_gauss_hermite(EVS_GLMM_NAGQ_MAX + 1, z, w));
    evs_table_free(ref);
}

/*
 * Differential: with many quadrature points the approximation is the
 * integral itself, so the log-likelihood at the 25-point optimum must be
 * (to 1e-9) what a brute-force integral gives at the same parameters.
 * Checked through the likelihood the fit reports: for a single study the
 * common-effect model is the binomial likelihood, and two identical studies
 * have tau2 = 0 (every term of Q is 0).
 */
static void test_by_hand(void **state)
{
    (void)state;
    /* Two studies 3/10 and 3/10: tau2 = 0, mu = logit(0.3), se^2 = 1/(20 0.3 0.7). */
    double x[] = {3, 3}, n[] = {10, 10};
    evs_glmm_fit f;
    assert_int_equal(evs_glmm_plo(x, n, 2, NULL, NULL, &f, NULL), EVS_OK);
    assert_true(f.common_effect && (f.warnings & EVS_GLMM_WARN_TAU2_ZERO));
    assert_close(f.estimate, log(0.3 / 0.7), 1e-12, 0);
    assert_close(f.se, sqrt(1 / (20 * 0.3 * 0.7)), 1e-12, 0);
    assert_close(f.tau2, 0, 0, 0);
    assert_close(f.QE_wald, 0, 0, 1e-12);
    assert_close(f.QE_lrt, 0, 0, 1e-12);
    /* loglik = 2 [log C(10,3) + 3 log 0.3 + 7 log 0.7]. */
    assert_close(f.loglik, 2 * (log(120.0) + 3 * log(0.3) + 7 * log(0.7)), 1e-12, 0);
    /* The prediction interval equals the confidence interval at tau2 = 0. */
    assert_close(f.pi_lb, f.ci_lb, 1e-14, 0);

    /* One study: the common-effect model with a warning; no heterogeneity. */
    assert_int_equal(evs_glmm_plo(x, n, 1, NULL, NULL, &f, NULL), EVS_OK);
    assert_true(f.common_effect && (f.warnings & EVS_GLMM_WARN_ONE_STUDY));
    assert_true(isnan(f.tau2) && isnan(f.QE_wald) && isnan(f.I2) && isnan(f.pi_lb));
    assert_close(f.estimate, log(0.3 / 0.7), 1e-12, 0);
}

static void expect_plo_error(const double *x, const double *n, size_t k, const char *text)
{
    evs_glmm_fit f;
    f.estimate = 123;
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(evs_glmm_plo(x, n, k, NULL, NULL, &f, &err), EVS_EDATA);
    assert_string_equal(err.message, text);
    assert_close(f.estimate, 123, 0, 0); /* untouched */
}

static void test_errors(void **state)
{
    (void)state;
    double zero[] = {0, 0, 0}, all[] = {4, 25, 30}, n[] = {4, 25, 30}, bad[] = {0, 26, 1};
    expect_plo_error(zero, n, 3, "no study has an event: the pooled proportion is not "
                                 "estimable (its maximum-likelihood estimate is 0)");
    expect_plo_error(all, n, 3, "every patient had the event: the pooled proportion is not "
                                "estimable (its maximum-likelihood estimate is 1)");
    expect_plo_error(bad, n, 3, "study 2: the number of events must be a whole number from 0 "
                                "to 25 (found 26)");
    double frac[] = {0, 2.5, 1};
    expect_plo_error(frac, n, 3, "study 2: the number of events must be a whole number from 0 "
                                 "to 25 (found 2.5)");
    double n0[] = {4, 0, 30};
    expect_plo_error(zero, n0, 3, "study 2: the number of patients must be a whole number of at "
                                  "least 1 (found 0)");
    expect_plo_error(zero, n, 0, "no studies to pool");

    /* Odds ratios: no event in the first group of any study, and a study
     * with an empty group. */
    double a[] = {0, 0}, b[] = {10, 12}, c[] = {3, 1}, d[] = {7, 11}, e0[] = {0, 0};
    evs_glmm_fit f;
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(evs_glmm_or(a, b, c, d, 2, NULL, NULL, &f, &err), EVS_EDATA);
    assert_string_equal(err.message, "the odds ratio is not estimable: its maximum-likelihood "
                                     "estimate is 0");
    assert_int_equal(evs_glmm_or(c, d, a, b, 2, NULL, NULL, &f, &err), EVS_EDATA);
    assert_string_equal(err.message, "the odds ratio is not estimable: its maximum-likelihood "
                                     "estimate is infinite");
    assert_int_equal(evs_glmm_or(a, e0, c, d, 2, NULL, NULL, &f, &err), EVS_EDATA);
    assert_string_equal(err.message, "study 1: each group needs at least one patient");

    evs_glmm_options opt;
    evs_glmm_options_default(&opt);
    opt.nagq = 0;
    double x[] = {1, 2}, nn[] = {10, 10};
    assert_int_equal(evs_glmm_plo(x, nn, 2, &opt, NULL, &f, &err), EVS_EINVAL);
    assert_string_equal(err.message,
                        "the number of quadrature points must be from 1 to 25 (found 0)");
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_metafor),
        cmocka_unit_test(test_common_effect),
        cmocka_unit_test(test_gauss_hermite),
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
