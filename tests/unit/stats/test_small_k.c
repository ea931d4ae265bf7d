/*
 * test_small_k.c -- the small-sample refinements against metafor and the
 * published rules (issue 14, item 4).
 *
 * Expected values: tests/fixtures/metafor/small_k.csv, written by
 * gen_small_k.R there: the HSk and PMM estimators and test = "adhoc" from
 * metafor 3.8's rma() with tight controls; the IQWiG 6 rule (R meta's
 * adhoc.hakn.ci = "IQWiG6") and metafor 5.x's predict(prob = ">c") in
 * plain R from their definitions (metafor 3.8 has neither), for dat.bcg,
 * its first three studies, two studies, a homogeneous set and
 * dat.hackshaw1998, with REML, PM and DL beside them.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/fit.h"

#define KMAX 64

static void test_against_references(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/small_k.csv");
    evs_fit_workspace *ws = evs_fit_workspace_alloc();
    size_t rows = evs_table_nrows(ref);
    assert_true(rows >= 140);
    double worst = 0;
    for (size_t r = 0; r < rows; r++) {
        const char *dataset = evs_fixture_str(ref, r, "dataset");
        char path[256];
        snprintf(path, sizeof path, "metafor/data/%s.csv", dataset);
        evs_table *t = evs_fixture_table(path);
        size_t k = (size_t)evs_fixture_num(ref, r, "k");
        assert_true(k <= KMAX && k <= evs_table_nrows(t));
        double y[KMAX], v[KMAX];
        for (size_t i = 0; i < k; i++) {
            y[i] = evs_fixture_num(t, i, "yi");
            v[i] = evs_fixture_num(t, i, "vi");
        }
        evs_table_free(t);
        evs_fit_options opt;
        evs_fit_options_default(&opt);
        assert_true(evs_method_from_name(evs_fixture_str(ref, r, "method"), &opt.method));
        assert_true(evs_test_from_name(evs_fixture_str(ref, r, "test"), &opt.test));
        evs_fit f;
        evs_error err;
        assert_int_equal(evs_fit_rma(y, v, k, &opt, ws, &f, &err), EVS_OK);
        char ctx[96];
        snprintf(ctx, sizeof ctx, "%s (%s, k = %zu) %s %s", dataset,
                 evs_fixture_str(ref, r, "part"), k, evs_method_name(opt.method),
                 evs_test_name(opt.test));
        static const char *const cols[] = {"estimate", "se",    "pval",  "ci_lb",
                                           "ci_ub",    "tau2",  "pi_lb", "pi_ub",
                                           "se_tau2",  "prob_above"};
        double prob = evs_fit_prob(&f, evs_fixture_num(ref, r, "threshold"), true);
        const double got[] = {f.estimate, f.se, f.pval,  f.ci_lb,   f.ci_ub,
                              f.tau2,     f.pi_lb, f.pi_ub, f.se_tau2, prob};
        for (size_t j = 0; j < sizeof cols / sizeof cols[0]; j++) {
            double want = evs_fixture_num(ref, r, cols[j]);
            if (isnan(want))
                continue;
            char c2[160];
            snprintf(c2, sizeof c2, "%s %s", ctx, cols[j]);
            /* Intervals near 0 are held to their width. */
            double abs = 1e-9 * (fabs(f.ci_ub - f.ci_lb) + 1e-300);
            assert_close_ctx(got[j], want, 1e-8, abs, c2);
            if (want != 0)
                worst = fmax(worst, fmin(fabs(got[j] - want) / fabs(want),
                                         fabs(got[j] - want) / (abs * 1e9)));
        }
    }
    printf("largest difference from metafor and the plain-R rules: %.2g\n", worst);
    evs_fit_workspace_free(ws);
    evs_table_free(ref);
}

/*
 * By hand, two studies y = (0, 1), v = (1, 1): Q = 1/2 at tau2 = 0, so
 * HS gives (0.5 - 2)/2 < 0 -> 0 and HSk (2/1 * 0.5 - 2)/2 < 0 -> 0; the
 * Knapp-Hartung factor is Q/(k - 1) = 1/2, so knha halves the variance
 * (se = sqrt(1/2 * 1/2) = 1/2) and adhoc keeps it (se = sqrt(1/2)).
 * P(theta_new > mu) = 1/2 under every test.
 */
static void test_by_hand(void **state)
{
    (void)state;
    double y[] = {0, 1}, v[] = {1, 1};
    evs_fit_options opt;
    evs_fit_options_default(&opt);
    evs_fit f;
    opt.method = EVS_METHOD_HSK;
    opt.test = EVS_TEST_KNHA;
    assert_int_equal(evs_fit_rma(y, v, 2, &opt, NULL, &f, NULL), EVS_OK);
    assert_close(f.tau2, 0, 0, 0);
    assert_close(f.se, 0.5, 1e-15, 0);
    assert_close(evs_fit_prob(&f, 0.5, true), 0.5, 1e-15, 0);
    opt.test = EVS_TEST_ADHOC;
    assert_int_equal(evs_fit_rma(y, v, 2, &opt, NULL, &f, NULL), EVS_OK);
    assert_close(f.se, sqrt(0.5), 1e-15, 0);
    assert_close(f.s2w, 1, 0, 0);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_references),
        cmocka_unit_test(test_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
