/*
 * test_diag.c -- diagnostics against metafor 3.8: leave1out(), influence(),
 * cumul() (file order and by year), regtest() (rma and lm), ranktest(),
 * trimfill() (L0 and R0), subgroup models and tests, and exact permutest().
 *
 * Expected values: the CSV files of tests/fixtures/metafor written by
 * gen_diagnostics.R, on dat.bcg (with year), dat.hackshaw1998 and simulated
 * data with moderators; REML and DL, z and knha.  Trim-and-fill k0 and the
 * side are compared exactly, as are exact permutation p-values (which are
 * ratios of counts).
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/diag.h"
#include "io/design.h"

#define KMAX 64
#define REL 1e-8

typedef struct data {
    evs_table *t;
    size_t k;
    double y[KMAX], v[KMAX];
} data;

static void load(const char *dataset, data *d)
{
    char path[256];
    snprintf(path, sizeof path, "metafor/data/%s.csv", dataset);
    d->t = evs_fixture_table(path);
    d->k = evs_table_nrows(d->t);
    assert_true(d->k <= KMAX);
    for (size_t i = 0; i < d->k; i++) {
        d->y[i] = evs_fixture_num(d->t, i, "yi");
        d->v[i] = evs_fixture_num(d->t, i, "vi");
    }
}

static void options(const evs_table *ref, size_t r, evs_fit_options *opt)
{
    evs_fit_options_default(opt);
    assert_true(evs_method_from_name(evs_fixture_str(ref, r, "method"), &opt->method));
    assert_true(evs_test_from_name(evs_fixture_str(ref, r, "test"), &opt->test));
}

/* Rows r.. of ref with the same dataset, method and test (and order, if any). */
static size_t group_end(const evs_table *ref, size_t r)
{
    static const char *const keys[] = {"dataset", "method", "test"};
    size_t e = r + 1;
    for (; e < evs_table_nrows(ref); e++) {
        bool same = true;
        for (size_t j = 0; j < 3; j++)
            same &= strcmp(evs_fixture_str(ref, e, keys[j]), evs_fixture_str(ref, r, keys[j])) == 0;
        if (evs_table_find(ref, "order") >= 0)
            same &= strcmp(evs_fixture_str(ref, e, "order"), evs_fixture_str(ref, r, "order")) == 0;
        if (!same)
            break;
    }
    return e;
}

static void context(char *buf, size_t size, const evs_table *ref, size_t r, const char *what)
{
    snprintf(buf, size, "%s %s %s %s row %zu", what, evs_fixture_str(ref, r, "dataset"),
             evs_fixture_str(ref, r, "method"), evs_fixture_str(ref, r, "test"), r + 2);
}

static void test_leave1out(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/leave1out.csv");
    evs_diag_workspace *ws = evs_diag_workspace_alloc(KMAX, 2);
    for (size_t r = 0; r < evs_table_nrows(ref);) {
        size_t e = group_end(ref, r);
        data d;
        load(evs_fixture_str(ref, r, "dataset"), &d);
        assert_int_equal(e - r, d.k);
        evs_fit_options opt;
        options(ref, r, &opt);
        evs_fit out[KMAX];
        assert_int_equal(evs_leave1out(ws, d.y, d.v, d.k, &opt, out, NULL), EVS_OK);
        for (size_t i = 0; i < d.k; i++) {
            char c[128];
            context(c, sizeof c, ref, r + i, "leave1out");
#define NUM(col) evs_fixture_num(ref, r + i, col)
            assert_close_ctx(out[i].estimate, NUM("estimate"), REL, 1e-12, c);
            assert_close_ctx(out[i].se, NUM("se"), REL, 1e-12, c);
            assert_close_ctx(out[i].ci_lb, NUM("ci_lb"), REL, 1e-12, c);
            assert_close_ctx(out[i].ci_ub, NUM("ci_ub"), REL, 1e-12, c);
            assert_close_ctx(out[i].tau2, NUM("tau2"), REL, 1e-10 * out[i].vt, c);
            assert_close_ctx(out[i].I2, NUM("I2"), REL, 1e-8, c);
            assert_close_ctx(out[i].QE, NUM("QE"), 1e-10, 1e-12, c);
#undef NUM
        }
        evs_table_free(d.t);
        r = e;
    }
    evs_diag_workspace_free(ws);
    evs_table_free(ref);
}

/* fit against the refit of the same subset, field by field (equal
 * infinities, t = 1/0 of a zero se, are equal). */
#define CLOSE(x, y, rel, abs, c)                                                           \
    do {                                                                                   \
        if ((x) != (y))                                                                    \
            assert_close_ctx((x), (y), (rel), (abs), (c));                                 \
    } while (0)
static void assert_same_fit(const evs_fit *a, const evs_fit *b, double rel, const char *c)
{
    assert_int_equal(a->k, b->k);
    assert_int_equal(a->converged, b->converged);
    assert_int_equal(a->iterations, b->iterations);
    assert_int_equal(a->warnings, b->warnings);
    assert_int_equal(a->QE_df, b->QE_df);
    CLOSE(a->estimate, b->estimate, rel, 1e-14, c);
    CLOSE(a->se, b->se, rel, 0, c);
    CLOSE(a->stat, b->stat, rel, 1e-12, c);
    CLOSE(a->pval, b->pval, rel, 1e-14, c);
    CLOSE(a->ci_lb, b->ci_lb, rel, 1e-14, c);
    CLOSE(a->ci_ub, b->ci_ub, rel, 1e-14, c);
    CLOSE(a->QE, b->QE, rel, 1e-12, c);
    CLOSE(a->QE_p, b->QE_p, rel, 1e-14, c);
    CLOSE(a->I2, b->I2, rel, 1e-10, c);
    CLOSE(a->H2, b->H2, rel, 1e-12, c);
    CLOSE(a->vt, b->vt, rel, 0, c);
    CLOSE(a->sum_w, b->sum_w, rel, 0, c);
    CLOSE(a->s2w, b->s2w, rel, 1e-14, c);
    CLOSE(a->df, b->df, 0, 0, c);
    CLOSE(a->tau2, b->tau2, 0, 0, c);
    CLOSE(a->se_tau2, b->se_tau2, 0, 0, c);
    CLOSE(a->pi_lb, b->pi_lb, 0, 0, c);
    CLOSE(a->tau2_ci_ub, b->tau2_ci_ub, 0, 0, c);
}
#undef CLOSE

static size_t progress_calls, progress_last;

static void count_progress(const char *what, size_t done, size_t total, void *ctx)
{
    (void)ctx;
    assert_string_equal(what, "leave-one-out");
    assert_true(done <= total);
    assert_true(progress_calls == 0 || done == progress_last + 1);
    progress_last = done;
    progress_calls++;
}

/*
 * Issue 15.17: FE leave-one-out from the sums over all studies, O(k), against
 * refitting each subset (the differential test of STYLE.md), for z, knha
 * and adhoc, on the fixtures' data and on data made to cancel: a study
 * with 10^8 times the weight of the others, outcomes of 10^6 +- 1, all
 * outcomes equal but one, and k = 3 (leave-one-out fits of 2 studies).
 * The progress callback is told of each refit, then of the end.
 */
static void test_leave1out_fe_sums(void **state)
{
    (void)state;
    enum { NSETS = 7 };
    static double y[NSETS][KMAX], v[NSETS][KMAX];
    size_t k[NSETS];
    const char *names[] = {"bcg_mods", "hackshaw1998", "sim_mods"};
    for (size_t s = 0; s < 3; s++) {
        data d;
        load(names[s], &d);
        k[s] = d.k;
        memcpy(y[s], d.y, d.k * sizeof d.y[0]);
        memcpy(v[s], d.v, d.k * sizeof d.v[0]);
        evs_table_free(d.t);
    }
    k[3] = k[4] = k[5] = 12;
    for (size_t i = 0; i < 12; i++) {
        y[3][i] = 0.1 * (double)i - 0.4;
        v[3][i] = i == 5 ? 1e-9 : 0.1 + 0.01 * (double)i;
        y[4][i] = 1e6 + ((i * 7) % 5 - 2.0) * 0.5;
        v[4][i] = 0.2 + 0.05 * (double)(i % 3);
        y[5][i] = i == 7 ? 3 : 0.25;
        v[5][i] = 0.1 * (double)(i + 1);
    }
    k[6] = 3;
    y[6][0] = 0.2, y[6][1] = -0.1, y[6][2] = 0.5;
    v[6][0] = 0.04, v[6][1] = 0.09, v[6][2] = 0.05;

    evs_diag_workspace *ws = evs_diag_workspace_alloc(KMAX, 2);
    evs_fit_workspace *fw = evs_fit_workspace_alloc();
    const evs_test tests[] = {EVS_TEST_Z, EVS_TEST_KNHA, EVS_TEST_ADHOC};
    for (size_t s = 0; s < NSETS; s++)
        for (size_t t = 0; t < 3; t++) {
            evs_fit_options opt;
            evs_fit_options_default(&opt);
            opt.method = EVS_METHOD_FE;
            opt.test = tests[t];
            evs_fit out[KMAX];
            progress_calls = 0;
            evs_diag_workspace_set_progress(ws, count_progress, NULL);
            assert_int_equal(evs_leave1out(ws, y[s], v[s], k[s], &opt, out, NULL), EVS_OK);
            assert_int_equal(progress_calls, k[s] + 1);
            assert_int_equal(progress_last, k[s]);
            evs_diag_workspace_set_progress(ws, NULL, NULL);
            opt.tau2_ci = false;
            for (size_t i = 0; i < k[s]; i++) {
                double ys[KMAX], vs[KMAX];
                size_t n = 0;
                for (size_t j = 0; j < k[s]; j++)
                    if (j != i) {
                        ys[n] = y[s][j];
                        vs[n++] = v[s][j];
                    }
                evs_fit ref;
                assert_int_equal(evs_fit_rma(ys, vs, n, &opt, fw, &ref, NULL), EVS_OK);
                char c[96];
                snprintf(c, sizeof c, "set %zu, test %s, without %zu", s,
                         evs_test_name(tests[t]), i);
                assert_same_fit(&out[i], &ref, 1e-11, c);
            }
        }
    evs_fit_workspace_free(fw);
    evs_diag_workspace_free(ws);
}

static void test_influence(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/influence.csv");
    evs_diag_workspace *ws = evs_diag_workspace_alloc(KMAX, 2);
    size_t flagged = 0;
    for (size_t r = 0; r < evs_table_nrows(ref);) {
        size_t e = group_end(ref, r);
        data d;
        load(evs_fixture_str(ref, r, "dataset"), &d);
        evs_fit_options opt;
        options(ref, r, &opt);
        evs_fit fit;
        assert_int_equal(evs_fit_rma(d.y, d.v, d.k, &opt, NULL, &fit, NULL), EVS_OK);
        evs_influence out[KMAX];
        assert_int_equal(evs_influence_diag(ws, d.y, d.v, d.k, &fit, &opt, out, NULL), EVS_OK);
        for (size_t i = 0; i < d.k; i++) {
            char c[128];
            context(c, sizeof c, ref, r + i, "influence");
#define NUM(col) evs_fixture_num(ref, r + i, col)
            assert_close_ctx(out[i].rstudent, NUM("rstudent"), 1e-7, 1e-10, c);
            assert_close_ctx(out[i].dffits, NUM("dffits"), 1e-7, 1e-10, c);
            assert_close_ctx(out[i].cook_d, NUM("cook_d"), 1e-7, 1e-12, c);
            assert_close_ctx(out[i].cov_r, NUM("cov_r"), 1e-7, 1e-12, c);
            assert_close_ctx(out[i].tau2_del, NUM("tau2_del"), 1e-7, 1e-10 * fit.vt, c);
            assert_close_ctx(out[i].QE_del, NUM("QE_del"), 1e-10, 1e-12, c);
            assert_close_ctx(out[i].hat, NUM("hat"), 1e-8, 1e-14, c);
            assert_close_ctx(out[i].weight, NUM("weight"), 1e-8, 1e-12, c);
            bool want = strcmp(evs_fixture_str(ref, r + i, "influential"), "yes") == 0;
            assert_int_equal(out[i].influential, want);
            flagged += want;
#undef NUM
        }
        evs_table_free(d.t);
        r = e;
    }
    assert_true(flagged > 0);
    evs_diag_workspace_free(ws);
    evs_table_free(ref);
}

static void test_cumulative(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/cumul.csv");
    evs_diag_workspace *ws = evs_diag_workspace_alloc(KMAX, 2);
    size_t by_year = 0;
    for (size_t r = 0; r < evs_table_nrows(ref);) {
        size_t e = group_end(ref, r);
        data d;
        load(evs_fixture_str(ref, r, "dataset"), &d);
        evs_fit_options opt;
        options(ref, r, &opt);
        size_t order[KMAX];
        bool year = strcmp(evs_fixture_str(ref, r, "order"), "year") == 0;
        for (size_t i = 0; i < d.k; i++)
            order[i] = i;
        if (year) {
            /* stable sort by year, as R's order() */
            double yr[KMAX];
            for (size_t i = 0; i < d.k; i++)
                yr[i] = evs_fixture_num(d.t, i, "year");
            for (size_t i = 1; i < d.k; i++) {
                size_t c = order[i], j = i;
                while (j > 0 && yr[order[j - 1]] > yr[c]) {
                    order[j] = order[j - 1];
                    j--;
                }
                order[j] = c;
            }
            by_year++;
        }
        evs_fit out[KMAX];
        assert_int_equal(evs_cumulative(ws, d.y, d.v, d.k, order, &opt, out, NULL), EVS_OK);
        for (size_t j = 0; j < d.k; j++) {
            char c[128];
            context(c, sizeof c, ref, r + j, "cumulative");
            /* metafor labels each step with the original position of its study */
            assert_int_equal(order[j] + 1, (size_t)evs_fixture_num(ref, r + j, "label"));
#define NUM(col) evs_fixture_num(ref, r + j, col)
            assert_close_ctx(out[j].estimate, NUM("estimate"), REL, 1e-12, c);
            assert_close_ctx(out[j].se, NUM("se"), REL, 1e-12, c);
            /* bounds near 0: absolute agreement (log ratios are of order 1) */
            assert_close_ctx(out[j].ci_lb, NUM("ci_lb"), REL, 1e-9, c);
            assert_close_ctx(out[j].ci_ub, NUM("ci_ub"), REL, 1e-9, c);
            assert_close_ctx(out[j].tau2, NUM("tau2"), REL, 1e-10, c);
            /* I2 near 0 is only as precise as tau2 is in units of vt (1e-10 * 100 %) */
            assert_close_ctx(out[j].I2, NUM("I2"), REL, 1e-7, c);
#undef NUM
        }
        evs_table_free(d.t);
        r = e;
    }
    assert_true(by_year >= 4);
    evs_diag_workspace_free(ws);
    evs_table_free(ref);
}

static void test_regtest(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/regtest.csv");
    evs_diag_workspace *ws = evs_diag_workspace_alloc(KMAX, 2);
    for (size_t r = 0; r < evs_table_nrows(ref); r++) {
        data d;
        load(evs_fixture_str(ref, r, "dataset"), &d);
        evs_fit_options opt;
        options(ref, r, &opt);
        bool lm = strcmp(evs_fixture_str(ref, r, "model"), "lm") == 0;
        evs_regtest_result out;
        assert_int_equal(evs_regtest(ws, d.y, d.v, d.k, &opt, lm ? EVS_REGTEST_LM : EVS_REGTEST_RMA,
                                     &out, NULL),
                         EVS_OK);
        char c[128];
        context(c, sizeof c, ref, r, lm ? "regtest lm" : "regtest rma");
#define NUM(col) evs_fixture_num(ref, r, col)
        assert_close_ctx(out.stat, NUM("stat"), REL, 1e-12, c);
        assert_close_ctx(out.pval, NUM("pval"), REL * 10, 1e-15, c);
        assert_close_ctx(out.limit_estimate, NUM("limit_estimate"), REL, 1e-12, c);
        assert_close_ctx(out.limit_ci_lb, NUM("limit_ci_lb"), REL, 1e-12, c);
        assert_close_ctx(out.limit_ci_ub, NUM("limit_ci_ub"), REL, 1e-12, c);
#undef NUM
        evs_table_free(d.t);
    }
    evs_diag_workspace_free(ws);
    evs_table_free(ref);
}

static void test_ranktest(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/ranktest.csv");
    evs_diag_workspace *ws = evs_diag_workspace_alloc(KMAX, 2);
    for (size_t r = 0; r < evs_table_nrows(ref); r++) {
        data d;
        load(evs_fixture_str(ref, r, "dataset"), &d);
        evs_ranktest_result out;
        assert_int_equal(evs_ranktest(ws, d.y, d.v, d.k, &out, NULL), EVS_OK);
        const char *c = evs_fixture_str(ref, r, "dataset");
        assert_close_ctx(out.tau, evs_fixture_num(ref, r, "tau"), 1e-13, 1e-15, c);
        assert_close_ctx(out.pval, evs_fixture_num(ref, r, "pval"), 1e-9, 1e-15, c);
        evs_table_free(d.t);
    }
    evs_diag_workspace_free(ws);
    evs_table_free(ref);
}

/*
 * Exact p-values of Kendall's tau by hand: n = 3 has 3! = 6 orders with
 * 0, 1, 1, 2, 2, 3 inversions; all three pairs concordant (tau = 1) is
 * 1 order of 6, so the two-sided p is 2/6.  n = 4, tau = 1: 2/24.
 */
static void test_ranktest_by_hand(void **state)
{
    (void)state;
    evs_diag_workspace *ws = evs_diag_workspace_alloc(8, 2);
    /* y chosen so that the standardized deviates increase with v */
    const double v3[3] = {0.1, 0.2, 0.4}, y3[3] = {-1, 0, 2};
    evs_ranktest_result out;
    assert_int_equal(evs_ranktest(ws, y3, v3, 3, &out, NULL), EVS_OK);
    assert_true(out.exact);
    assert_close(out.tau, 1, 1e-15, 0);
    assert_close(out.pval, 2.0 / 6, 1e-14, 0);
    const double v4[4] = {0.1, 0.2, 0.4, 0.8}, y4[4] = {-2, -1, 1, 3};
    assert_int_equal(evs_ranktest(ws, y4, v4, 4, &out, NULL), EVS_OK);
    assert_close(out.tau, 1, 1e-15, 0);
    assert_close(out.pval, 2.0 / 24, 1e-14, 0);
    evs_diag_workspace_free(ws);
}

/*
 * Large k by hand.  k = 60 in perfect concordance: exactly one of the 60!
 * orders, so the two-sided exact p is 2/60! (metafor prints 6.8e-14 here:
 * R's 1 - P(S < q) cancels).  k = 401: the normal approximation,
 * S = 401*400/2, var(S) = n(n-1)(2n+5)/18, p = 2 Q(S/sqrt(var)).
 */
static void test_ranktest_large(void **state)
{
    (void)state;
    enum { K = 401 };
    evs_diag_workspace *ws = evs_diag_workspace_alloc(K, 2);
    double y[K], v[K];
    for (size_t i = 0; i < K; i++) {
        v[i] = 0.01 * (double)(i + 1);
        y[i] = 10 * v[i] * v[i]; /* the deviates increase with v */
    }
    evs_ranktest_result out;
    assert_int_equal(evs_ranktest(ws, y, v, 60, &out, NULL), EVS_OK);
    assert_true(out.exact);
    assert_close(out.tau, 1, 1e-15, 0);
    assert_close(out.pval, 2 / gsl_sf_fact(60), 1e-10, 0);

    assert_int_equal(evs_ranktest(ws, y, v, K, &out, NULL), EVS_OK);
    assert_false(out.exact);
    assert_close(out.tau, 1, 1e-15, 0);
    double z = 80200 / sqrt(401.0 * 400 * 807 / 18);
    assert_close(out.pval, 2 * gsl_cdf_ugaussian_Q(z), 1e-12, 0);
    evs_diag_workspace_free(ws);
}

static void test_trimfill(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/trimfill.csv");
    evs_diag_workspace *ws = evs_diag_workspace_alloc(KMAX, 2);
    size_t filled = 0;
    for (size_t r = 0; r < evs_table_nrows(ref); r++) {
        data d;
        load(evs_fixture_str(ref, r, "dataset"), &d);
        evs_fit_options opt;
        options(ref, r, &opt);
        evs_fit fit;
        assert_int_equal(evs_fit_rma(d.y, d.v, d.k, &opt, NULL, &fit, NULL), EVS_OK);
        bool r0 = strcmp(evs_fixture_str(ref, r, "estimator"), "R0") == 0;
        evs_trimfill_result out;
        assert_int_equal(evs_trimfill(ws, d.y, d.v, d.k, &fit, &opt,
                                      r0 ? EVS_TRIMFILL_R0 : EVS_TRIMFILL_L0, EVS_SIDE_AUTO, &out,
                                      NULL),
                         EVS_OK);
        char c[128];
        context(c, sizeof c, ref, r, r0 ? "trimfill R0" : "trimfill L0");
#define NUM(col) evs_fixture_num(ref, r, col)
        assert_int_equal(out.k0, (int)NUM("k0"));
        assert_string_equal(out.side == EVS_SIDE_LEFT ? "left" : "right",
                            evs_fixture_str(ref, r, "side"));
        assert_close_ctx(out.fit.estimate, NUM("estimate"), REL, 1e-12, c);
        assert_close_ctx(out.fit.se, NUM("se"), REL, 1e-12, c);
        assert_close_ctx(out.fit.ci_lb, NUM("ci_lb"), REL, 1e-12, c);
        assert_close_ctx(out.fit.ci_ub, NUM("ci_ub"), REL, 1e-12, c);
        assert_close_ctx(out.fit.tau2, NUM("tau2"), REL, 1e-10 * fit.vt, c);
        filled += out.k0 > 0;
#undef NUM
        evs_table_free(d.t);
    }
    assert_true(filled >= 4);
    evs_diag_workspace_free(ws);
    evs_table_free(ref);
}

static void test_subgroups(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/subgroups.csv");
    evs_diag_workspace *ws = evs_diag_workspace_alloc(KMAX, 8);
    size_t r = 0, checked = 0;
    while (r < evs_table_nrows(ref)) {
        size_t e = r;
        while (strcmp(evs_fixture_str(ref, e, "level"), "(all)") != 0)
            e++;
        data d;
        load(evs_fixture_str(ref, r, "dataset"), &d);
        size_t rows[KMAX];
        for (size_t i = 0; i < d.k; i++)
            rows[i] = i;
        evs_error err;
        evs_error_clear(&err);
        evs_groups *g = evs_groups_build(d.t, rows, d.k, evs_fixture_str(ref, r, "group"), &err);
        assert_non_null(g);
        assert_int_equal(g->nlevels, e - r);
        evs_fit_options opt;
        options(ref, r, &opt);
        evs_fit out[8];
        evs_subgroup_test test;
        assert_int_equal(evs_subgroups(ws, d.y, d.v, d.k, g->group, g->nlevels, &opt, out, &test,
                                       NULL),
                         EVS_OK);
        for (size_t l = 0; l < g->nlevels; l++) {
            char c[128];
            context(c, sizeof c, ref, r + l, "subgroup");
            assert_string_equal(g->levels[l], evs_fixture_str(ref, r + l, "level"));
#define NUM(row, col) evs_fixture_num(ref, row, col)
            assert_int_equal(out[l].k, (size_t)NUM(r + l, "k"));
            assert_close_ctx(out[l].estimate, NUM(r + l, "estimate"), REL, 1e-12, c);
            assert_close_ctx(out[l].se, NUM(r + l, "se"), REL, 1e-12, c);
            assert_close_ctx(out[l].ci_lb, NUM(r + l, "ci_lb"), REL, 1e-12, c);
            assert_close_ctx(out[l].tau2, NUM(r + l, "tau2"), REL, 1e-10, c);
            assert_close_ctx(out[l].I2, NUM(r + l, "I2"), REL, 1e-8, c);
        }
        char c[128];
        context(c, sizeof c, ref, e, "subgroup test");
        assert_close_ctx(test.Q_between, NUM(e, "Q_between"), REL, 1e-12, c);
        assert_int_equal(test.Q_between_df, (int)NUM(e, "Q_between_df"));
        assert_close_ctx(test.Q_between_p, NUM(e, "Q_between_p"), REL * 10, 1e-15, c);
        assert_close_ctx(test.QM, NUM(e, "QM"), REL, 1e-12, c);
        assert_close_ctx(test.QM_p, NUM(e, "QM_p"), REL * 10, 1e-15, c);
#undef NUM
        evs_groups_free(g);
        evs_table_free(d.t);
        r = e + 1;
        checked++;
    }
    assert_int_equal(checked, 8);
    evs_diag_workspace_free(ws);
    evs_table_free(ref);
}

static void test_permutest(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/permutest.csv");
    evs_diag_workspace *ws = evs_diag_workspace_alloc(KMAX, 2);
    data d;
    load("bcg8", &d);
    for (size_t r = 0; r < evs_table_nrows(ref);) {
        evs_fit_options opt;
        options(ref, r, &opt);
        bool mods = evs_fixture_str(ref, r, "mods")[0] != '\0';
        size_t k = mods ? 7 : 8, p = mods ? 2 : 1;
        double X[16];
        for (size_t i = 0; i < k; i++) {
            X[i * p] = 1;
            if (mods)
                X[i * p + 1] = evs_fixture_num(d.t, i, "ablat");
        }
        unsigned long total = (unsigned long)evs_fixture_num(ref, r, "iterations");
        evs_permutest_result out;
        assert_int_equal(evs_permutest(ws, d.y, d.v, X, k, p, true, &opt, 100000, 42, &out, NULL),
                         EVS_OK);
        assert_true(out.exact);
        assert_int_equal(out.iterations, total);
        for (size_t j = 0; j < p; j++) {
            char c[128];
            context(c, sizeof c, ref, r + j, "permutest");
            /* ratios of counts: equal up to the rounding of the division */
            assert_close_ctx(out.pval[j], evs_fixture_num(ref, r + j, "pval"), 1e-14, 0, c);
        }
        assert_close(out.QM_p, evs_fixture_num(ref, r, "QM_p"), 1e-14, 0);
        r += p;
    }
    evs_table_free(d.t);
    evs_diag_workspace_free(ws);
    evs_table_free(ref);
}

/*
 * A seeded random permutation test is reproducible, counts the observed
 * data once, and approaches the exact p-value.
 */
static void test_permutest_random(void **state)
{
    (void)state;
    evs_diag_workspace *ws = evs_diag_workspace_alloc(KMAX, 2);
    data d;
    load("bcg8", &d);
    double X[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    evs_fit_options opt;
    evs_fit_options_default(&opt);
    evs_permutest_result a, b, exact;
    assert_int_equal(evs_permutest(ws, d.y, d.v, X, 8, 1, true, &opt, 256, 1, &exact, NULL), EVS_OK);
    assert_true(exact.exact);
    assert_int_equal(evs_permutest(ws, d.y, d.v, X, 8, 1, true, &opt, 200, 7, &a, NULL), EVS_OK);
    assert_int_equal(evs_permutest(ws, d.y, d.v, X, 8, 1, true, &opt, 200, 7, &b, NULL), EVS_OK);
    assert_false(a.exact);
    assert_int_equal(a.iterations, 200);
    assert_close(a.pval[0], b.pval[0], 0, 0);
    assert_true(a.pval[0] >= 1.0 / 200);
    /* 200 draws: within 4 binomial SDs of the exact p */
    double sd = sqrt(exact.pval[0] * (1 - exact.pval[0]) / 200);
    assert_close(a.pval[0], exact.pval[0], 0, 4 * sd + 0.005);
    evs_table_free(d.t);
    evs_diag_workspace_free(ws);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leave1out),   cmocka_unit_test(test_leave1out_fe_sums),
        cmocka_unit_test(test_influence),
        cmocka_unit_test(test_cumulative),  cmocka_unit_test(test_regtest),
        cmocka_unit_test(test_ranktest),    cmocka_unit_test(test_ranktest_by_hand),
        cmocka_unit_test(test_ranktest_large),
        cmocka_unit_test(test_trimfill),    cmocka_unit_test(test_subgroups),
        cmocka_unit_test(test_permutest),   cmocka_unit_test(test_permutest_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
