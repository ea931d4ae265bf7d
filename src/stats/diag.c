/*
 * diag.c -- diagnostics of a meta-analysis (see diag.h), following metafor
 * 3.8: leave1out.rma.uni, influence.rma.uni, cumul.rma.uni, regtest,
 * ranktest, trimfill.rma.uni and permutest.rma.uni.
 *
 * Influence (Viechtbauer & Cheung 2010), for study i refitted without it
 * (beta_i, vb_i = var(beta_i), tau2_i, s2w_i the Knapp-Hartung factor, 1
 * under z) against the full model (beta, vb, weights w = 1/(v + tau2)):
 *
 *   hat_i     = w_i / sum w
 *   rstudent  = (y_i - beta_i) / sqrt(v_i s2w_i + vb_i + tau2_i s2w_i)
 *   DFFITS    = (beta - beta_i) / sqrt(s2w_i hat_i (tau2_i + v_i))
 *   DFBETAS   = (beta - beta_i) / sqrt(s2w_i / sum_j 1/(v_j + tau2_i))
 *   Cook's D  = (beta - beta_i)^2 / vb
 *   COVRATIO  = vb_i / vb
 *
 * Begg and Mazumdar (1994): Kendall's tau-b between the standardized
 * deviates (y - mu_FE)/sqrt(v - 1/sum(1/v)) and v.  As metafor (which calls
 * R's cor.test() with exact = TRUE): without ties, the exact p-value from
 * the distribution of the number of concordant pairs, by the recursion for
 * Mahonian numbers as probabilities, up to k = 400 (O(k^3) time); the upper
 * tail comes from the lower one by symmetry, so that tiny p-values keep
 * their digits (R's 1 - P(S < q) cancels).  With ties, or k > 400, the
 * normal approximation with the tie-corrected variance, no continuity
 * correction.
 *
 * Leave-one-out under FE (issue 15.17): with w = 1/v and yc = y - mean(y),
 * the sums S0 = sum w, S1 = sum w yc, S2 = sum w yc^2 and T = sum w^2 over
 * all studies, kept with Neumaier's compensation, minus study i's terms
 * give the fit without it in O(1) (evs_fit_fe_sums): estimate S1/S0,
 * Q = S2 - S1^2/S0, vt = (k - 2)/(S0 - T/S0).  Where a sum without study i
 * keeps less than 10^-6 of the total, or Q less than 10^-4 of S2 (digits
 * lost to cancellation), study i is refitted from its subset instead.
 *
 * Trim and fill (Duval & Tweedie 2000): estimators L0 = (4 S_r - k(k+1)) /
 * (2k - 1) and R0 = k - (largest rank of a negative residual) - 1, rounded
 * half to even as R's round(), iterated on the trimmed data to a fixed point.
 */
#include "evsynth/diag.h"

#include "evsynth/sort.h"
#include "fit_internal.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct evs_diag_workspace {
    size_t kmax, pmax;
    double *y, *v;   /* 2 kmax: a subset, or the data with filled-in studies */
    double *X;       /* kmax * pmax: a moderator matrix being permuted */
    double *a, *b;   /* kmax scratch */
    size_t *idx, *cls; /* kmax */
    evs_fit_workspace *fit;
    evs_reg_workspace *reg;
    gsl_rng *rng;
    evs_progress_fn progress;
    void *progress_ctx;
};

void evs_diag_workspace_set_progress(evs_diag_workspace *ws, evs_progress_fn fn, void *ctx)
{
    ws->progress = fn;
    ws->progress_ctx = ctx;
}

static void tick(const evs_diag_workspace *ws, const char *what, size_t done, size_t total)
{
    if (ws->progress != NULL)
        ws->progress(what, done, total, ws->progress_ctx);
}

evs_diag_workspace *evs_diag_workspace_alloc(size_t kmax, size_t pmax)
{
    evs_gsl_quiet();
    if (pmax < 2)
        pmax = 2;
    evs_diag_workspace *ws = calloc(1, sizeof *ws);
    if (ws == NULL)
        return NULL;
    size_t n = kmax ? kmax : 1;
    ws->kmax = kmax;
    ws->pmax = pmax;
    ws->y = malloc(2 * n * sizeof *ws->y);
    ws->v = malloc(2 * n * sizeof *ws->v);
    ws->X = malloc(n * pmax * sizeof *ws->X);
    ws->a = malloc(n * sizeof *ws->a);
    ws->b = malloc(n * sizeof *ws->b);
    ws->idx = malloc(n * sizeof *ws->idx);
    ws->cls = malloc(n * sizeof *ws->cls);
    ws->fit = evs_fit_workspace_alloc();
    ws->reg = evs_reg_workspace_alloc(2 * n, pmax);
    ws->rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!ws->y || !ws->v || !ws->X || !ws->a || !ws->b || !ws->idx || !ws->cls || !ws->fit ||
        !ws->reg || !ws->rng) {
        evs_diag_workspace_free(ws);
        return NULL;
    }
    return ws;
}

void evs_diag_workspace_free(evs_diag_workspace *ws)
{
    if (ws == NULL)
        return;
    free(ws->y);
    free(ws->v);
    free(ws->X);
    free(ws->a);
    free(ws->b);
    free(ws->idx);
    free(ws->cls);
    evs_fit_workspace_free(ws->fit);
    evs_reg_workspace_free(ws->reg);
    if (ws->rng != NULL)
        gsl_rng_free(ws->rng);
    free(ws);
}

static evs_status too_big(const evs_diag_workspace *ws, size_t k, evs_error *err)
{
    if (k > ws->kmax)
        return evs_error_set(err, EVS_EINVAL, 0, 0, "more studies than the workspace holds");
    return EVS_OK;
}

void evs_fit_single(double y, double v, const evs_fit_options *opt, evs_fit *fit)
{
    evs_gsl_quiet();
    double crit = gsl_cdf_ugaussian_Qinv((1 - opt->level / 100) / 2);
    memset(fit, 0, sizeof *fit);
    fit->method = opt->method;
    fit->test = opt->test;
    fit->level = opt->level;
    fit->k = 1;
    fit->estimate = y;
    fit->se = sqrt(v);
    fit->stat = y / fit->se;
    fit->pval = 2 * gsl_cdf_ugaussian_Q(fabs(fit->stat));
    fit->ci_lb = y - crit * fit->se;
    fit->ci_ub = y + crit * fit->se;
    fit->df = NAN;
    fit->pi_lb = fit->pi_ub = NAN;
    fit->tau2 = 0;
    fit->se_tau2 = NAN;
    fit->tau2_ci_lb = fit->tau2_ci_ub = NAN;
    fit->I2 = 0;
    fit->H2 = 1;
    fit->I2_ci_lb = fit->I2_ci_ub = fit->H2_ci_lb = fit->H2_ci_ub = NAN;
    fit->QE = 0;
    fit->QE_p = 1;
    fit->QE_df = 0;
    fit->vt = NAN;
    fit->sum_w = 1 / v;
    fit->s2w = 1;
    fit->converged = true;
}

/* Fit on k studies, or the single-study result when k = 1. */
static evs_status fit_any(evs_diag_workspace *ws, const double *y, const double *v, size_t k,
                          const evs_fit_options *opt, evs_fit *out, evs_error *err)
{
    if (k == 1) {
        evs_fit_single(y[0], v[0], opt, out);
        return EVS_OK;
    }
    return evs_fit_rma(y, v, k, opt, ws->fit, out, err);
}

/* The options of a refit: no Q-profile interval. */
static evs_fit_options refit_options(const evs_fit_options *opt)
{
    evs_fit_options o = *opt;
    o.tau2_ci = false;
    return o;
}

/* Copy the studies other than `skip` into ws->y, ws->v. */
static void without(evs_diag_workspace *ws, const double *y, const double *v, size_t k,
                    size_t skip)
{
    size_t n = 0;
    for (size_t j = 0; j < k; j++) {
        if (j == skip)
            continue;
        ws->y[n] = y[j];
        ws->v[n] = v[j];
        n++;
    }
}

/* A sum kept with Neumaier's compensation: the total is s + c. */
typedef struct csum {
    double s, c;
} csum;

static void csum_add(csum *a, double x)
{
    double t = a->s + x;
    a->c += fabs(a->s) >= fabs(x) ? (a->s - t) + x : (x - t) + a->s;
    a->s = t;
}

/* The total without the term x: its large parts cancel exactly first. */
static double csum_without(const csum *a, double x)
{
    return (a->s - x) + a->c;
}

static double csum_total(const csum *a)
{
    return a->s + a->c;
}

/* The studies' sums lose fewer digits than this when one is removed... */
#define L1O_KEEP 1e-6
/* ...and Q keeps at least this fraction of S2; else the study is refitted. */
#define L1O_Q_KEEP 1e-4

static bool leave1out_by_sums(const evs_fit_options *opt, size_t k)
{
    return opt->method == EVS_METHOD_FE && k >= 3 &&
           (opt->test == EVS_TEST_Z || opt->test == EVS_TEST_KNHA || opt->test == EVS_TEST_ADHOC);
}

/* Leave-one-out under FE from the sums (see the top of the file). */
static evs_status leave1out_fe(evs_diag_workspace *ws, const double *y, const double *v,
                               size_t k, const evs_fit_options *o, evs_fit *out, evs_error *err)
{
    double center = 0;
    for (size_t i = 0; i < k; i++)
        center += (y[i] - center) / (double)(i + 1);
    csum s0 = {0, 0}, s1 = {0, 0}, s2 = {0, 0}, t = {0, 0};
    size_t lo = 0, hi = 0; /* the smallest and the largest v */
    for (size_t i = 0; i < k; i++) {
        double w = 1 / v[i], yc = y[i] - center;
        csum_add(&s0, w);
        csum_add(&s1, w * yc);
        csum_add(&s2, w * yc * yc);
        csum_add(&t, w * w);
        lo = v[i] < v[lo] ? i : lo;
        hi = v[i] > v[hi] ? i : hi;
    }
    double lo2 = INFINITY, hi2 = -INFINITY; /* the same without lo, hi */
    for (size_t i = 0; i < k; i++) {
        lo2 = i != lo && v[i] < lo2 ? v[i] : lo2;
        hi2 = i != hi && v[i] > hi2 ? v[i] : hi2;
    }
    double s0_all = csum_total(&s0), s2_all = csum_total(&s2), t_all = csum_total(&t);
    for (size_t i = 0; i < k; i++) {
        tick(ws, "leave-one-out", i, k);
        double w = 1 / v[i], yc = y[i] - center;
        evs_fe_sums s = {.s0 = csum_without(&s0, w), .s1 = csum_without(&s1, w * yc),
                         .s2 = csum_without(&s2, w * yc * yc), .t = csum_without(&t, w * w),
                         .vmin = i == lo ? lo2 : v[lo], .vmax = i == hi ? hi2 : v[hi]};
        double q = s.s2 - s.s1 * (s.s1 / s.s0);
        bool exact = s.s0 >= L1O_KEEP * s0_all && s.t >= L1O_KEEP * t_all &&
                     s.s2 >= L1O_KEEP * s2_all && q >= L1O_Q_KEEP * s.s2;
        evs_status st;
        if (exact) {
            st = evs_fit_fe_sums(&s, k - 1, center, o, ws->fit, &out[i], err);
        } else {
            without(ws, y, v, k, i);
            st = fit_any(ws, ws->y, ws->v, k - 1, o, &out[i], err);
        }
        if (st != EVS_OK)
            return st;
    }
    tick(ws, "leave-one-out", k, k);
    return EVS_OK;
}

evs_status evs_leave1out(evs_diag_workspace *ws, const double *y, const double *v, size_t k,
                         const evs_fit_options *opt, evs_fit *out, evs_error *err)
{
    if (too_big(ws, k, err) != EVS_OK)
        return EVS_EINVAL;
    evs_fit_options o = refit_options(opt);
    if (leave1out_by_sums(&o, k))
        return leave1out_fe(ws, y, v, k, &o, out, err);
    for (size_t i = 0; i < k; i++) {
        tick(ws, "leave-one-out", i, k);
        without(ws, y, v, k, i);
        evs_status st = fit_any(ws, ws->y, ws->v, k - 1, &o, &out[i], err);
        if (st != EVS_OK)
            return st;
    }
    tick(ws, "leave-one-out", k, k);
    return EVS_OK;
}

evs_status evs_influence_diag(evs_diag_workspace *ws, const double *y, const double *v,
                              size_t k, const evs_fit *fit, const evs_fit_options *opt,
                              evs_influence *out, evs_error *err)
{
    if (too_big(ws, k, err) != EVS_OK)
        return EVS_EINVAL;
    if (k < 2)
        return evs_error_set(err, EVS_EDATA, 0, 0, "influence needs at least 2 studies");
    evs_fit_options o = refit_options(opt);
    double kk = (double)k, vb = fit->se * fit->se;
    for (size_t i = 0; i < k; i++) {
        tick(ws, "influence", i, k);
        evs_fit del;
        without(ws, y, v, k, i);
        evs_status st = fit_any(ws, ws->y, ws->v, k - 1, &o, &del, err);
        if (st != EVS_OK)
            return st;
        evs_influence *r = &out[i];
        double vb_del = del.se * del.se, s2w = del.s2w, t2 = del.tau2;
        double dfb = fit->estimate - del.estimate;
        double w = 1 / (v[i] + fit->tau2);
        r->hat = w / fit->sum_w;
        r->weight = 100 * r->hat;
        r->tau2_del = t2;
        r->QE_del = del.QE;
        double resid = y[i] - del.estimate;
        if (fabs(resid) < 100 * DBL_EPSILON)
            resid = 0;
        r->rstudent = resid / sqrt(v[i] * s2w + vb_del + t2 * s2w);
        r->dffits = dfb / sqrt(s2w * r->hat * (t2 + v[i]));
        double sw_del = 0;
        for (size_t j = 0; j < k; j++)
            sw_del += 1 / (v[j] + t2);
        r->dfbs = dfb / sqrt(s2w / sw_del);
        r->cook_d = dfb * dfb / vb;
        r->cov_r = vb_del / vb;
        r->influential = fabs(r->dffits) > 3 * sqrt(1 / (kk - 1)) ||
                         gsl_cdf_chisq_P(r->cook_d, 1) > 0.5 || r->hat > 3 / kk ||
                         fabs(r->dfbs) > 1;
    }
    tick(ws, "influence", k, k);
    return EVS_OK;
}

evs_status evs_cumulative(evs_diag_workspace *ws, const double *y, const double *v, size_t k,
                          const size_t *order, const evs_fit_options *opt, evs_fit *out,
                          evs_error *err)
{
    if (too_big(ws, k, err) != EVS_OK)
        return EVS_EINVAL;
    evs_fit_options o = refit_options(opt);
    for (size_t j = 0; j < k; j++) {
        tick(ws, "cumulative", j, k);
        size_t s = order ? order[j] : j;
        ws->y[j] = y[s];
        ws->v[j] = v[s];
        evs_status st = fit_any(ws, ws->y, ws->v, j + 1, &o, &out[j], err);
        if (st != EVS_OK)
            return st;
    }
    tick(ws, "cumulative", k, k);
    return EVS_OK;
}

/* ---------------------------------------------------------------------------
 * Small-study effects
 */

evs_status evs_regtest(evs_diag_workspace *ws, const double *y, const double *v, size_t k,
                       const evs_fit_options *opt, evs_regtest_model model, evs_regtest_result *out,
                       evs_error *err)
{
    if (too_big(ws, k, err) != EVS_OK)
        return EVS_EINVAL;
    if (k < 3)
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "the regression test needs at least 3 studies (found %zu)", k);
    for (size_t i = 0; i < k; i++) {
        ws->X[2 * i] = 1;
        ws->X[2 * i + 1] = sqrt(v[i]);
    }
    evs_fit_options o = refit_options(opt);
    if (model == EVS_REGTEST_LM) {
        /* lm(yi ~ sei, weights = 1/vi): fixed weights, residual variance
         * estimated, t with k - 2 df: the FE model with the Knapp-Hartung factor. */
        o.method = EVS_METHOD_FE;
        o.test = EVS_TEST_KNHA;
    }
    evs_reg r;
    evs_status st = evs_reg_fit(y, v, ws->X, k, 2, true, &o, ws->reg, &r, err);
    if (st != EVS_OK)
        return st;
    out->stat = r.stat[1];
    out->pval = r.pval[1];
    out->df = r.df;
    out->limit_estimate = r.beta[0];
    out->limit_ci_lb = r.ci_lb[0];
    out->limit_ci_ub = r.ci_ub[0];
    return EVS_OK;
}

/* P(T <= q) for T the number of concordant pairs among n untied pairs. */
static double pkendall(double q, size_t n, double *prob)
{
    size_t top = n * (n - 1) / 2;
    if (q < 0)
        return 0;
    if (q >= (double)top)
        return 1;
    /* prob[j] = P(j inversions among m elements), built up m = 1..n:
     * P_m(j) = (1/m) sum_{i=0}^{m-1} P_{m-1}(j - i), with running sums. */
    memset(prob, 0, (top + 1) * sizeof *prob);
    prob[0] = 1;
    size_t maxj = 0;
    for (size_t m = 2; m <= n; m++) {
        size_t newmax = maxj + (m - 1);
        double run = 0;
        /* in place from the top: P_m(j) = (S(j) - S(j - m)) / m with S the prefix sum */
        for (size_t j = 0; j <= newmax; j++) {
            run += j <= maxj ? prob[j] : 0;
            prob[j] = run; /* prefix sums of P_{m-1} */
        }
        for (size_t j = newmax + 1; j-- > 0;) {
            double lower = j >= m ? prob[j - m] : 0;
            prob[j] = (prob[j] - lower) / (double)m;
        }
        maxj = newmax;
    }
    double p = 0;
    for (size_t j = 0; j <= (size_t)q; j++)
        p += prob[j];
    return p;
}

/* Sum over tie groups of f(t) for t the size of each group of equal values
 * in x (idx and scratch: room for n each). */
static void tie_sums(const double *x, size_t n, size_t *idx, size_t *scratch, double *t2,
                     double *t3, double *t5)
{
    evs_order_doubles(x, n, idx, scratch);
    *t2 = *t3 = *t5 = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && x[idx[j]] == x[idx[i]])
            j++;
        double t = (double)(j - i);
        if (t > 1) {
            *t2 += t * (t - 1);
            *t3 += t * (t - 1) * (t - 2);
            *t5 += t * (t - 1) * (2 * t + 5);
        }
        i = j;
    }
}

evs_status evs_ranktest(evs_diag_workspace *ws, const double *y, const double *v, size_t k,
                        evs_ranktest_result *out, evs_error *err)
{
    if (too_big(ws, k, err) != EVS_OK)
        return EVS_EINVAL;
    if (k < 3)
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "the rank test needs at least 3 studies (found %zu)", k);
    double sw = 0, swy = 0;
    for (size_t i = 0; i < k; i++) {
        sw += 1 / v[i];
        swy += y[i] / v[i];
    }
    double theta = swy / sw, vb = 1 / sw;
    double *x = ws->a, *u = ws->b;
    for (size_t i = 0; i < k; i++) {
        x[i] = (y[i] - theta) / sqrt(v[i] - vb);
        u[i] = v[i];
    }
    double s = 0; /* concordant minus discordant pairs */
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++) {
            double a = x[i] - x[j], b = u[i] - u[j];
            s += (double)(((a > 0) - (a < 0)) * ((b > 0) - (b < 0)));
        }
    double n = (double)k, t0 = n * (n - 1) / 2;
    double xt2, xt3, xt5, ut2, ut3, ut5;
    tie_sums(x, k, ws->idx, ws->cls, &xt2, &xt3, &xt5);
    tie_sums(u, k, ws->idx, ws->cls, &ut2, &ut3, &ut5);
    out->tau = s / sqrt((t0 - xt2 / 2) * (t0 - ut2 / 2));
    bool ties = xt2 > 0 || ut2 > 0;
    out->exact = !ties && k <= 400;
    if (out->exact) {
        double q = nearbyint((out->tau + 1) * n * (n - 1) / 4);
        double *prob = malloc((k * (k - 1) / 2 + 1) * sizeof *prob);
        if (prob == NULL)
            return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
        /* P(S >= q) = P(S <= top - q): the distribution is symmetric */
        double p = q > t0 / 2 ? pkendall(t0 - q, k, prob) : pkendall(q, k, prob);
        free(prob);
        out->pval = fmin(2 * p, 1);
    } else {
        double var = (n * (n - 1) * (2 * n + 5) - xt5 - ut5) / 18 +
                     xt2 * ut2 / (2 * n * (n - 1)) + xt3 * ut3 / (9 * n * (n - 1) * (n - 2));
        double z = s / sqrt(var);
        out->pval = 2 * fmin(gsl_cdf_ugaussian_P(z), gsl_cdf_ugaussian_Q(z));
    }
    return EVS_OK;
}

evs_status evs_trimfill(evs_diag_workspace *ws, const double *y, const double *v, size_t k,
                        const evs_fit *fit, const evs_fit_options *opt,
                        evs_trimfill_estimator estimator, evs_side side, evs_trimfill_result *out,
                        evs_error *err)
{
    if (too_big(ws, k, err) != EVS_OK)
        return EVS_EINVAL;
    if (k < 3)
        return evs_error_set(err, EVS_EDATA, 0, 0, "trim and fill needs at least 3 studies");
    evs_fit_options o = refit_options(opt);
    o.test = EVS_TEST_Z; /* metafor refits without its test argument */

    if (side == EVS_SIDE_AUTO) {
        for (size_t i = 0; i < k; i++) {
            ws->X[2 * i] = 1;
            ws->X[2 * i + 1] = sqrt(v[i]);
        }
        evs_reg r;
        evs_status st = evs_reg_fit(y, v, ws->X, k, 2, true, &o, ws->reg, &r, err);
        if (st != EVS_OK)
            return st;
        side = r.beta[1] < 0 ? EVS_SIDE_RIGHT : EVS_SIDE_LEFT;
    }
    double flip = side == EVS_SIDE_RIGHT ? -1 : 1;

    /* Sorted (flipped) data in a, with variances in b. */
    double *ys = ws->a, *vs = ws->b;
    for (size_t i = 0; i < k; i++)
        ws->y[i] = flip * y[i];
    evs_order_doubles(ws->y, k, ws->idx, ws->cls);
    for (size_t i = 0; i < k; i++) {
        ys[i] = ws->y[ws->idx[i]];
        vs[i] = v[ws->idx[i]];
    }

    double kk = (double)k, beta = 0, se_k0 = 0;
    long k0 = 0, k0_prev = -1;
    for (int iter = 0; k0 != k0_prev; iter++) {
        if (iter == 100)
            return evs_error_set(err, EVS_ENOCONV, 0, 0,
                                 "trim and fill did not converge in 100 iterations");
        k0_prev = k0;
        evs_fit t;
        evs_status st = fit_any(ws, ys, vs, k - (size_t)k0, &o, &t, err);
        if (st != EVS_OK)
            return st;
        beta = t.estimate;
        /* ranks of |y - beta|, ties by position (R's ties.method = "first") */
        for (size_t i = 0; i < k; i++)
            ws->y[i] = fabs(ys[i] - beta);
        evs_order_doubles(ws->y, k, ws->idx, ws->cls);
        double sr = 0, max_neg = 0;
        for (size_t r = 0; r < k; r++) {
            size_t i = ws->idx[r];
            double c = ys[i] - beta, rank = (double)(r + 1);
            if (c > 0)
                sr += rank;
            else if (c < 0 && rank > max_neg)
                max_neg = rank;
        }
        double est;
        if (estimator == EVS_TRIMFILL_R0) {
            est = max_neg > 0 ? (kk - max_neg) - 1 : 0;
            se_k0 = sqrt(2 * fmax(0, est) + 2);
        } else {
            est = (4 * sr - kk * (kk + 1)) / (2 * kk - 1);
            double var = (kk * (kk + 1) * (2 * kk + 1) + 10 * est * est * est + 27 * est * est +
                          17 * est - 18 * kk * est * est - 18 * kk * est + 6 * kk * kk * est) /
                         24;
            se_k0 = 4 * sqrt(var) / (2 * kk - 1);
        }
        k0 = (long)fmax(0, nearbyint(est));
        if (k0 >= (long)k)
            k0 = (long)k - 1;
        se_k0 = fmax(0, se_k0);
    }

    out->k0 = (int)k0;
    out->side = side;
    out->se_k0 = se_k0;
    out->fill_y = ws->y + k;
    out->fill_v = ws->v + k;
    if (k0 == 0) {
        out->fit = *fit;
        return EVS_OK;
    }
    /* Original studies, then the mirror images of the k0 most extreme. */
    for (size_t i = 0; i < k; i++) {
        ws->y[i] = y[i];
        ws->v[i] = v[i];
    }
    for (long j = 0; j < k0; j++) {
        size_t i = k - (size_t)k0 + (size_t)j;
        ws->y[k + (size_t)j] = flip * (2 * beta - ys[i]);
        ws->v[k + (size_t)j] = vs[i];
    }
    return fit_any(ws, ws->y, ws->v, k + (size_t)k0, &o, &out->fit, err);
}

/* ---------------------------------------------------------------------------
 * Subgroups
 */

evs_status evs_subgroups(evs_diag_workspace *ws, const double *y, const double *v, size_t k,
                         const size_t *group, size_t ngroups, const evs_fit_options *opt,
                         evs_fit *out, evs_subgroup_test *test, evs_error *err)
{
    if (too_big(ws, k, err) != EVS_OK)
        return EVS_EINVAL;
    if (ngroups < 2)
        return evs_error_set(err, EVS_EDATA, 0, 0, "subgroup analysis needs at least 2 groups");
    size_t max_groups = ws->pmax < EVS_REG_PMAX ? ws->pmax : EVS_REG_PMAX;
    if (ngroups > max_groups)
        return evs_error_set(err, EVS_EDATA, 0, 0, "too many subgroups (%zu; at most %zu)",
                             ngroups, max_groups);
    evs_fit_options o = refit_options(opt);
    for (size_t g = 0; g < ngroups; g++) {
        size_t n = 0;
        for (size_t i = 0; i < k; i++)
            if (group[i] == g) {
                ws->y[n] = y[i];
                ws->v[n] = v[i];
                n++;
            }
        if (n == 0)
            return evs_error_set(err, EVS_EDATA, 0, 0, "subgroup %zu has no studies", g + 1);
        evs_status st = fit_any(ws, ws->y, ws->v, n, &o, &out[g], err);
        if (st != EVS_OK)
            return st;
    }
    /* Separate tau2: a fixed-effect Q of the subgroup estimates. */
    double sw = 0, swy = 0;
    for (size_t g = 0; g < ngroups; g++) {
        double w = 1 / (out[g].se * out[g].se);
        sw += w;
        swy += w * out[g].estimate;
    }
    double q = 0;
    for (size_t g = 0; g < ngroups; g++) {
        double d = out[g].estimate - swy / sw;
        q += d * d / (out[g].se * out[g].se);
    }
    test->Q_between = q;
    test->Q_between_df = (int)ngroups - 1;
    test->Q_between_p = gsl_cdf_chisq_Q(q, (double)ngroups - 1);

    /* Common tau2: mixed-effects model with a dummy for each group but the first. */
    test->QM = test->QM_p = NAN;
    test->QM_df = test->QM_df2 = 0;
    if (k > ngroups) {
        for (size_t i = 0; i < k; i++) {
            ws->X[i * ngroups] = 1;
            for (size_t g = 1; g < ngroups; g++)
                ws->X[i * ngroups + g] = group[i] == g;
        }
        evs_reg r;
        evs_status st = evs_reg_fit(y, v, ws->X, k, ngroups, true, &o, ws->reg, &r, err);
        if (st != EVS_OK)
            return st;
        test->QM = r.QM;
        test->QM_p = r.QM_p;
        test->QM_df = r.QM_df;
        test->QM_df2 = r.QM_df2;
    }
    return EVS_OK;
}

/* ---------------------------------------------------------------------------
 * Permutation tests
 */

/* Test statistics of one (permuted) data set: z (or t) per coefficient and QM. */
static evs_status perm_stats(evs_diag_workspace *ws, const double *y, const double *v,
                             const double *X, size_t k, size_t p, bool intercept,
                             const evs_fit_options *o, double *z, double *qm, evs_error *err)
{
    if (p == 1 && intercept) {
        evs_fit f;
        evs_status st = evs_fit_rma(y, v, k, o, ws->fit, &f, err);
        if (st != EVS_OK)
            return st;
        z[0] = f.stat;
        *qm = f.stat * f.stat; /* QM of the intercept: z^2, or the F = t^2 under knha */
        return EVS_OK;
    }
    evs_reg r;
    evs_status st = evs_reg_fit(y, v, X, k, p, intercept, o, ws->reg, &r, err);
    if (st != EVS_OK)
        return st;
    for (size_t j = 0; j < p; j++)
        z[j] = r.stat[j];
    *qm = r.QM;
    return EVS_OK;
}

static int by_size(const void *a, const void *b, const void *ctx)
{
    (void)ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Rearrange cls[0..n) into the next permutation in lexicographic order;
 * false after the last (equal values make every permutation distinct). */
static bool next_permutation(size_t *cls, size_t n)
{
    if (n < 2)
        return false;
    size_t i = n - 1;
    while (i > 0 && cls[i - 1] >= cls[i])
        i--;
    if (i == 0)
        return false;
    size_t j = n - 1;
    while (cls[j] <= cls[i - 1])
        j--;
    size_t t = cls[i - 1];
    cls[i - 1] = cls[j];
    cls[j] = t;
    for (size_t a = i, b = n - 1; a < b; a++, b--) {
        t = cls[a];
        cls[a] = cls[b];
        cls[b] = t;
    }
    return true;
}

/* Number of distinct orderings of the rows of X, or +inf if above 1e15. */
static double distinct_orders(const size_t *cls, size_t k)
{
    /* multinomial k! / prod(count!) accumulated in logs */
    double lg = lgamma((double)k + 1);
    for (size_t i = 0; i < k;) {
        size_t j = i + 1;
        while (j < k && cls[j] == cls[i])
            j++;
        lg -= lgamma((double)(j - i) + 1);
        i = j;
    }
    return lg > log(1e15) ? HUGE_VAL : nearbyint(exp(lg));
}

evs_status evs_permutest(evs_diag_workspace *ws, const double *y, const double *v,
                         const double *X, size_t k, size_t p, bool intercept,
                         const evs_fit_options *opt, unsigned long iterations,
                         unsigned long seed, evs_permutest_result *out, evs_error *err)
{
    if (too_big(ws, k, err) != EVS_OK)
        return EVS_EINVAL;
    if (p > ws->pmax)
        return evs_error_set(err, EVS_EINVAL, 0, 0, "more coefficients than the workspace");
    if (iterations < 2)
        return evs_error_set(err, EVS_EINVAL, 0, 0, "a permutation test needs 2 or more "
                                                     "iterations");
    evs_fit_options o = refit_options(opt);
    bool signs = p == 1 && intercept;
    double z0[EVS_REG_PMAX], qm0, z[EVS_REG_PMAX], qm;
    evs_status st = perm_stats(ws, y, v, X, k, p, intercept, &o, z0, &qm0, err);
    if (st != EVS_OK)
        return st;

    /* Rows of X by class: equal rows share a class, classes in row order. */
    if (!signs) {
        for (size_t i = 0; i < k; i++) {
            ws->cls[i] = i;
            for (size_t j = 0; j < i; j++)
                if (memcmp(X + i * p, X + j * p, p * sizeof *X) == 0) {
                    ws->cls[i] = ws->cls[j];
                    break;
                }
        }
        /* sort the classes for the enumeration (idx is free until then) */
        evs_sort_stable(ws->cls, k, sizeof *ws->cls, by_size, NULL, ws->idx);
    }
    double total = signs ? (k < 60 ? ldexp(1, (int)k) : HUGE_VAL) : distinct_orders(ws->cls, k);
    out->exact = total <= (double)iterations;
    unsigned long n = out->exact ? (unsigned long)total : iterations;
    size_t count[EVS_REG_PMAX] = {0}, count_qm = 0;
    const double tol = sqrt(DBL_EPSILON); /* metafor's comptol */
    gsl_rng_set(ws->rng, seed);

    for (unsigned long it = 0; it < n; it++) {
        const double *yy = y, *XX = X;
        if (signs) {
            for (size_t i = 0; i < k; i++) {
                bool flip = out->exact ? (it >> i) & 1u : gsl_rng_uniform_int(ws->rng, 2);
                ws->y[i] = flip ? -y[i] : y[i];
            }
            yy = ws->y;
        } else {
            if (!out->exact) {
                /* random order: Fisher-Yates on the row indices */
                for (size_t i = 0; i < k; i++)
                    ws->idx[i] = i;
                for (size_t i = k; i > 1; i--) {
                    size_t j = gsl_rng_uniform_int(ws->rng, i), t = ws->idx[i - 1];
                    ws->idx[i - 1] = ws->idx[j];
                    ws->idx[j] = t;
                }
                for (size_t i = 0; i < k; i++)
                    memcpy(ws->X + i * p, X + ws->idx[i] * p, p * sizeof *X);
            } else {
                if (it > 0)
                    next_permutation(ws->cls, k);
                for (size_t i = 0; i < k; i++)
                    memcpy(ws->X + i * p, X + ws->cls[i] * p, p * sizeof *X);
            }
            XX = ws->X;
        }
        if (!out->exact && it == 0) {
            memcpy(z, z0, p * sizeof *z); /* the observed data count once */
            qm = qm0;
        } else if ((st = perm_stats(ws, yy, v, XX, k, p, intercept, &o, z, &qm, err)) !=
                   EVS_OK) {
            return st;
        }
        for (size_t j = 0; j < p; j++)
            count[j] += fabs(z[j]) >= fabs(z0[j]) - tol;
        count_qm += qm >= qm0 - tol;
    }
    out->iterations = n;
    for (size_t j = 0; j < p; j++)
        out->pval[j] = (double)count[j] / (double)n;
    out->QM_p = (double)count_qm / (double)n;
    return EVS_OK;
}
