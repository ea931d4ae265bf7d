/*
 * fit.c -- common-effect and random-effects models (see fit.h).
 *
 * Notation (intercept-only model, p = 1): w_i = 1/(v_i + tau2), S1 = sum w_i,
 * mu(tau2) = sum w_i y_i / S1, r_i = y_i - mu(tau2), and P = W - w w'/S1, so
 * that
 *
 *   Q(tau2)  = y'Py   = sum w_i r_i^2           (generalized Q statistic)
 *   y'PPy             = sum w_i^2 r_i^2
 *   tr(P)             = S1 - S2/S1,             S2 = sum w_i^2
 *   tr(PP)            = S2 - 2 S3/S1 + S2^2/S1^2, S3 = sum w_i^3
 *
 * tau2 estimators, as metafor 3.8 rma.uni() computes them (Viechtbauer 2005;
 * Veroniki et al. 2016, Res Synth Methods 7:55, give the formulas):
 *
 *   DL   (Q(0) - (k-1)) / tr(P(0))                            DerSimonian & Laird 1986
 *   HE   (sum (y - ybar)^2 - (k-1)/k sum v) / (k-1)           Hedges 1983
 *   HS   (Q(0) - k) / sum(1/v)                                Hunter & Schmidt 2004
 *   SJ   t0 Q_t0(t0) / (k-1), t0 = sum (y - ybar)^2 / k       Sidik & Jonkman 2005
 *   ML   root of  y'PPy - S1 = 0                              Hardy & Thompson 1996
 *   REML root of  y'PPy - tr(P) = 0                           Viechtbauer 2005
 *   EB   root of  Q(tau2) k/(k-1) - k = 0                     Morris 1983
 *   PM   root of  Q(tau2) - (k-1) = 0                         Paule & Mandel 1982
 *
 * all truncated at 0.  EB and PM solve the same equation (Viechtbauer et al.
 * 2015) and give the same estimate.
 *
 * Iterative estimators.  ML, REML and EB first run metafor's Fisher scoring
 * from the HE estimate, tau2 += (y'PPy - tr P)/tr(PP) for REML (ML and EB as
 * in metafor), halving a step that would make tau2 negative.  It stops when
 * a step is below tol * (tau2 + vt), which is much tighter than metafor's
 * absolute 1e-5 and scale-free.  If scoring has not converged after maxiter
 * steps (metafor would stop with an error), the estimate is found instead by
 * a bracketing search: the estimating equation is positive at 0, an upper
 * bound where it is negative is found by doubling, and Brent's method (GSL)
 * finds the root in between.  This always converges; the fit is flagged
 * EVS_WARN_FALLBACK and reports the iterations of both stages.  PM uses the
 * bracketing search directly, as metafor does (uniroot).  For ML and REML the
 * log-likelihood at tau2 = 0 is then compared with the one at the estimate,
 * as metafor's ll0check does, to escape a local maximum.
 *
 * Sums are evaluated in two short passes (weights and mean; then residuals),
 * which stays accurate when the v_i span many orders of magnitude, and no
 * function allocates.
 *
 * Q-profile confidence interval for tau2 (Viechtbauer 2007, Stat Med 26:37):
 * the bounds solve Q(tau2) = chi2_{k-1, 1-a/2} (lower) and chi2_{k-1, a/2}
 * (upper).  Q is decreasing in tau2, Q(0) is the usual QE, and
 * Q(t) <= sum (y - ybar)^2 / t gives an upper bracket at once.  A bound whose
 * equation has no positive root is 0; if even Q(0) is below the upper
 * quantile the interval is empty and set to [0, 0], as metafor does.  Unlike
 * metafor, the search has no upper cap (metafor stops at max(100, 10 tau2)).
 */
#include "fit.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct evs_fit_workspace {
    gsl_root_fsolver *brent;
    gsl_min_fminimizer *golden; /* Brent's minimiser, for the likelihood search */
};

/* ---------------------------------------------------------------------------
 * Names
 */

static const struct {
    const char *name;
    const char *description;
} method_info[EVS_METHOD_COUNT] = {
    [EVS_METHOD_FE] = {"FE", "common-effect (fixed-effect) model"},
    [EVS_METHOD_DL] = {"DL", "DerSimonian-Laird estimator"},
    [EVS_METHOD_HE] = {"HE", "Hedges estimator"},
    [EVS_METHOD_HS] = {"HS", "Hunter-Schmidt estimator"},
    [EVS_METHOD_SJ] = {"SJ", "Sidik-Jonkman estimator"},
    [EVS_METHOD_ML] = {"ML", "maximum-likelihood estimator"},
    [EVS_METHOD_REML] = {"REML", "restricted maximum-likelihood estimator"},
    [EVS_METHOD_EB] = {"EB", "empirical Bayes estimator"},
    [EVS_METHOD_PM] = {"PM", "Paule-Mandel estimator"},
};

static const char *const test_names[EVS_TEST_COUNT] = {"z", "knha"};

const char *evs_method_name(evs_method m)
{
    return (unsigned)m < EVS_METHOD_COUNT ? method_info[m].name : "?";
}

const char *evs_method_description(evs_method m)
{
    return (unsigned)m < EVS_METHOD_COUNT ? method_info[m].description : "?";
}

bool evs_method_from_name(const char *name, evs_method *m)
{
    for (int i = 0; i < EVS_METHOD_COUNT; i++) {
        if (strcmp(name, method_info[i].name) == 0) {
            *m = (evs_method)i;
            return true;
        }
    }
    return false;
}

const char *evs_method_names(void)
{
    return "FE DL HE HS SJ ML REML EB PM";
}

const char *evs_test_name(evs_test t)
{
    return (unsigned)t < EVS_TEST_COUNT ? test_names[t] : "?";
}

bool evs_test_from_name(const char *name, evs_test *t)
{
    for (int i = 0; i < EVS_TEST_COUNT; i++) {
        if (strcmp(name, test_names[i]) == 0) {
            *t = (evs_test)i;
            return true;
        }
    }
    return false;
}

const char *evs_fit_warning_text(unsigned bit)
{
    switch (bit) {
    case EVS_WARN_FALLBACK:
        return "Fisher scoring did not converge; tau^2 was found by the bracketing "
               "search instead (converged)";
    case EVS_WARN_NOT_CONVERGED:
        return "the tau^2 estimate did not converge: treat every result as unreliable";
    case EVS_WARN_LL0:
        return "the likelihood is higher at tau^2 = 0 than at the local maximum found; "
               "tau^2 set to 0";
    case EVS_WARN_TAU2_CI_EMPTY:
        return "the Q-profile confidence interval for tau^2 is empty (Q is below its "
               "lower critical value); both bounds set to 0";
    case EVS_WARN_TAU2_CI_FAILED:
        return "the Q-profile search for a tau^2 confidence bound failed";
    case EVS_WARN_KNHA_FE:
        return "the Knapp-Hartung method is not meant for common-effect models";
    case EVS_WARN_KNHA_ZERO:
        return "the Knapp-Hartung factor is 0 (all estimates equal): se is 0";
    case EVS_WARN_VI_RATIO:
        return "the ratio of the largest to the smallest sampling variance is at least "
               "1e7; results may be unstable";
    case EVS_WARN_GLOBAL_MAX:
        return "Fisher scoring stopped at tau^2 = 0, a local maximum of the likelihood; "
               "the higher maximum found by a search over tau^2 is reported (metafor "
               "reports 0; --local-max does the same)";
    default:
        return NULL;
    }
}

double evs_level_percent(double level)
{
    if (level > 0 && level < 1)
        return 100 * level;
    if (level >= 1 && level < 100)
        return level;
    return NAN;
}

void evs_fit_options_default(evs_fit_options *opt)
{
    opt->method = EVS_METHOD_REML;
    opt->test = EVS_TEST_Z;
    opt->level = 95;
    opt->tau2_ci = true;
    opt->tol = 1e-10;
    opt->maxiter = 100;
    opt->maxiter_root = 200;
    opt->local_max = false;
}

evs_fit_workspace *evs_fit_workspace_alloc(void)
{
    evs_fit_workspace *ws = malloc(sizeof *ws);
    if (ws == NULL)
        return NULL;
    ws->brent = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    ws->golden = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (ws->brent == NULL || ws->golden == NULL) {
        evs_fit_workspace_free(ws);
        return NULL;
    }
    return ws;
}

void evs_fit_workspace_free(evs_fit_workspace *ws)
{
    if (ws == NULL)
        return;
    if (ws->brent != NULL)
        gsl_root_fsolver_free(ws->brent);
    if (ws->golden != NULL)
        gsl_min_fminimizer_free(ws->golden);
    free(ws);
}

/* ---------------------------------------------------------------------------
 * Weighted sums
 */

typedef struct re_data {
    const double *y, *v;
    size_t k;
    double target; /* right-hand side for the Q equations */
} re_data;

typedef struct sums {
    double s1, s2, s3; /* sum w, w^2, w^3 */
    double mu;         /* weighted mean */
    double q;          /* sum w r^2 = y'Py */
    double q2;         /* sum w^2 r^2 = y'PPy */
    double logdet;     /* sum log(v + tau2) */
} sums;

static void sums_at(const re_data *d, double tau2, sums *s)
{
    double s1 = 0, s2 = 0, s3 = 0, swy = 0, ld = 0;
    for (size_t i = 0; i < d->k; i++) {
        double m = d->v[i] + tau2;
        double w = 1 / m;
        s1 += w;
        s2 += w * w;
        s3 += w * w * w;
        swy += w * d->y[i];
        ld += log(m);
    }
    double mu = swy / s1, q = 0, q2 = 0;
    for (size_t i = 0; i < d->k; i++) {
        double w = 1 / (d->v[i] + tau2);
        double r = d->y[i] - mu;
        q += w * r * r;
        q2 += w * w * r * r;
    }
    s->s1 = s1;
    s->s2 = s2;
    s->s3 = s3;
    s->mu = mu;
    s->q = q;
    s->q2 = q2;
    s->logdet = ld;
}

static double tr_p(const sums *s)
{
    return s->s1 - s->s2 / s->s1;
}

static double tr_pp(const sums *s)
{
    return s->s2 - 2 * s->s3 / s->s1 + (s->s2 / s->s1) * (s->s2 / s->s1);
}

/* Sum of squares of y about its unweighted mean. */
static double sum_sq(const re_data *d)
{
    double m = 0;
    for (size_t i = 0; i < d->k; i++)
        m += d->y[i];
    m /= (double)d->k;
    double ss = 0;
    for (size_t i = 0; i < d->k; i++)
        ss += (d->y[i] - m) * (d->y[i] - m);
    return ss;
}

/*
 * Traces of P, PV and their products for the sampling variances of the
 * estimators' standard errors.  With unit = true the weights are 1
 * (ordinary least squares, P = I - J/k); otherwise w = 1/(v + tau2).
 */
typedef struct traces {
    double p, pp, pv, pvpv, pvp; /* tr P, tr PP, tr PV, tr PVPV, sum(PV * P) */
} traces;

static void traces_at(const re_data *d, double tau2, bool unit, traces *t)
{
    double s1 = 0, s2 = 0, s3 = 0, wv = 0, w2v = 0, w3v = 0, w2v2 = 0, w3v2 = 0;
    for (size_t i = 0; i < d->k; i++) {
        double w = unit ? 1 : 1 / (d->v[i] + tau2), v = d->v[i];
        s1 += w;
        s2 += w * w;
        s3 += w * w * w;
        wv += w * v;
        w2v += w * w * v;
        w3v += w * w * w * v;
        w2v2 += w * w * v * v;
        w3v2 += w * w * w * v * v;
    }
    t->p = s1 - s2 / s1;
    t->pp = s2 - 2 * s3 / s1 + (s2 / s1) * (s2 / s1);
    t->pv = wv - w2v / s1;
    t->pvpv = w2v2 - 2 * w3v2 / s1 + (w2v / s1) * (w2v / s1);
    t->pvp = w2v - 2 * w3v / s1 + s2 * w2v / (s1 * s1);
}

/* ---------------------------------------------------------------------------
 * Estimating equations, as GSL functions of tau2
 */

static double eq_reml(double tau2, void *params)
{
    sums s;
    sums_at(params, tau2, &s);
    return s.q2 - tr_p(&s);
}

static double eq_ml(double tau2, void *params)
{
    sums s;
    sums_at(params, tau2, &s);
    return s.q2 - s.s1;
}

static double eq_q(double tau2, void *params)
{
    const re_data *d = params;
    sums s;
    sums_at(d, tau2, &s);
    return s.q - d->target;
}

/*
 * Root of a decreasing-at-infinity function f on (0, inf) with f(0) > 0,
 * by doubling an upper bound from hi and then Brent's method.  *iters gets
 * the iterations used.  Returns false if no bracket or no convergence.
 */
static bool bracket_root(evs_fit_workspace *ws, gsl_function *f, double hi, double scale,
                         const evs_fit_options *opt, double *root, int *iters)
{
    double lo = 0;
    *iters = 0;
    if (!(hi > 0) || !isfinite(hi))
        hi = scale > 0 ? scale : 1;
    double fhi = GSL_FN_EVAL(f, hi);
    for (int n = 0; fhi > 0; n++) {
        if (n == 2000 || !isfinite(hi))
            return false;
        lo = hi;
        hi *= 2;
        fhi = GSL_FN_EVAL(f, hi);
    }
    if (isnan(fhi))
        return false;
    if (fhi == 0) {
        *root = hi;
        return true;
    }
    if (gsl_root_fsolver_set(ws->brent, f, lo, hi) != GSL_SUCCESS)
        return false;
    for (int it = 1; it <= opt->maxiter_root; it++) {
        *iters = it;
        if (gsl_root_fsolver_iterate(ws->brent) != GSL_SUCCESS)
            return false;
        double a = gsl_root_fsolver_x_lower(ws->brent);
        double b = gsl_root_fsolver_x_upper(ws->brent);
        if (gsl_root_test_interval(a, b, opt->tol * scale * 1e-3, opt->tol) == GSL_SUCCESS) {
            *root = gsl_root_fsolver_root(ws->brent);
            return true;
        }
    }
    return false;
}

/* ---------------------------------------------------------------------------
 * tau2 estimators
 */

typedef struct tau2_result {
    double tau2, se;
    int iterations;
    bool converged;
    unsigned warnings;
} tau2_result;

static double est_he(const re_data *d)
{
    double sv = 0;
    for (size_t i = 0; i < d->k; i++)
        sv += d->v[i];
    double k = (double)d->k;
    return (sum_sq(d) - (k - 1) / k * sv) / (k - 1);
}

/* ML and REML log-likelihoods (up to constants, which cancel in comparisons). */
static double loglik(const re_data *d, double tau2, bool reml)
{
    sums s;
    sums_at(d, tau2, &s);
    double ll = -0.5 * s.logdet - 0.5 * s.q;
    if (reml)
        ll -= 0.5 * log(s.s1);
    return ll;
}

typedef struct ll_params {
    const re_data *d;
    bool reml;
} ll_params;

static double neg_loglik(double tau2, void *params)
{
    const ll_params *p = params;
    return -loglik(p->d, tau2, p->reml);
}

/*
 * Scoring that ends at the boundary may have stopped at a local maximum:
 * the (restricted) likelihood can rise again further out (the brute-force
 * test found such data sets; metafor 3.8 reports 0 for them).  Look for a
 * higher value on a log-spaced grid up to beyond sum (y - ybar)^2/(k-1),
 * and if there is one, refine it with Brent's minimiser on -loglik between
 * the neighbouring grid points.  Returns true and sets *tau2 if found;
 * *iters counts the refinement steps (the grid is not counted).
 */
#define GRID_POINTS 48

static bool search_interior_max(const re_data *d, bool reml, double vt,
                                const evs_fit_options *opt, evs_fit_workspace *ws,
                                double *tau2, int *iters)
{
    double k = (double)d->k;
    double hi = 4 * fmax(sum_sq(d) / fmax(k - 1, 1), vt), lo = 1e-8 * vt;
    if (!(hi > lo))
        return false;
    double ratio = pow(hi / lo, 1.0 / (GRID_POINTS - 1));
    double ll0 = loglik(d, 0, reml), best_ll = ll0, best = 0, t = lo;
    int best_j = -1;
    for (int j = 0; j < GRID_POINTS; j++, t *= ratio) {
        double ll = loglik(d, t, reml);
        if (ll > best_ll) {
            best_ll = ll;
            best = t;
            best_j = j;
        }
    }
    if (best_j < 0 || !(best_ll > ll0 + 1e-10 * (1 + fabs(ll0))))
        return false;

    double a = best_j == 0 ? 0 : best / ratio, b = best * ratio;
    ll_params p = {.d = d, .reml = reml};
    gsl_function f = {.function = neg_loglik, .params = &p};
    if (gsl_min_fminimizer_set(ws->golden, &f, best, a, b) != GSL_SUCCESS) {
        *tau2 = best; /* the grid point is already better than 0 */
        return true;
    }
    for (int it = 1; it <= opt->maxiter_root; it++) {
        ++*iters;
        if (gsl_min_fminimizer_iterate(ws->golden) != GSL_SUCCESS)
            break;
        double x_lo = gsl_min_fminimizer_x_lower(ws->golden);
        double x_hi = gsl_min_fminimizer_x_upper(ws->golden);
        if (gsl_min_test_interval(x_lo, x_hi, opt->tol * vt, opt->tol) == GSL_SUCCESS)
            break;
    }
    *tau2 = gsl_min_fminimizer_x_minimum(ws->golden);
    return true;
}

/*
 * Fisher scoring for ML, REML and EB (metafor's iteration), then the
 * bracketing fallback if it does not converge.
 */
static void est_iterative(const re_data *d, evs_method method, double vt,
                          const evs_fit_options *opt, evs_fit_workspace *ws, tau2_result *r)
{
    double k = (double)d->k;
    double tau2 = fmax(0, est_he(d));
    bool converged = false;
    int iter = 0;
    while (iter < opt->maxiter) {
        iter++;
        sums s;
        sums_at(d, tau2, &s);
        double adj;
        if (method == EVS_METHOD_REML)
            adj = (s.q2 - tr_p(&s)) / tr_pp(&s);
        else if (method == EVS_METHOD_ML)
            adj = (s.q2 - s.s1) / s.s2;
        else
            adj = (s.q * k / (k - 1) - k) / s.s1;
        if (!isfinite(adj))
            adj = 0;
        /* Step halving keeps tau2 >= 0 (metafor's stepadj loop). */
        for (int h = 0; tau2 + adj < 0; h++)
            adj = h < 64 ? adj / 2 : -tau2;
        tau2 += adj;
        if (fabs(adj) <= opt->tol * (tau2 + vt)) {
            converged = true;
            break;
        }
    }
    r->iterations = iter;

    if (!converged) {
        re_data dq = *d;
        dq.target = k - 1;
        gsl_function f = {.params = &dq};
        if (method == EVS_METHOD_EB)
            f.function = eq_q;
        else
            f.function = method == EVS_METHOD_REML ? eq_reml : eq_ml;
        int it = 0;
        r->warnings |= EVS_WARN_FALLBACK;
        if (!(GSL_FN_EVAL(&f, 0.0) > 0)) {
            tau2 = 0;
            converged = true;
        } else {
            double ss = sum_sq(d);
            converged = bracket_root(ws, &f, ss / (k - 1), vt, opt, &tau2, &it);
        }
        r->iterations += it;
        if (!converged)
            r->warnings |= EVS_WARN_NOT_CONVERGED;
    }

    /* A value that is zero up to the tolerance is zero when the equation
     * points below 0 there (scoring approaches the boundary only geometrically). */
    if (converged && tau2 > 0 && tau2 <= 10 * opt->tol * vt) {
        sums s0;
        sums_at(d, 0, &s0);
        double g0 = method == EVS_METHOD_REML ? s0.q2 - tr_p(&s0)
                    : method == EVS_METHOD_ML ? s0.q2 - s0.s1
                                              : s0.q - (k - 1);
        if (g0 <= 0)
            tau2 = 0;
    }

    /* metafor's ll0check: a local maximum worse than tau2 = 0 is abandoned. */
    if (converged && tau2 > 0 && method != EVS_METHOD_EB) {
        bool reml = method == EVS_METHOD_REML;
        double ll = loglik(d, tau2, reml), ll0 = loglik(d, 0, reml);
        if (ll0 > ll + 1e-10 * (1 + fabs(ll))) {
            tau2 = 0;
            r->warnings |= EVS_WARN_LL0;
        }
    }

    if (converged && tau2 == 0 && method != EVS_METHOD_EB && !opt->local_max) {
        int it = 0;
        if (search_interior_max(d, method == EVS_METHOD_REML, vt, opt, ws, &tau2, &it))
            r->warnings |= EVS_WARN_GLOBAL_MAX;
        r->iterations += it;
    }
    r->tau2 = tau2;
    r->converged = converged;
}

static void est_pm(const re_data *d, double vt, const evs_fit_options *opt,
                   evs_fit_workspace *ws, tau2_result *r)
{
    double k = (double)d->k;
    re_data dq = *d;
    dq.target = k - 1;
    gsl_function f = {.function = eq_q, .params = &dq};
    r->iterations = 0;
    if (!(eq_q(0, &dq) > 0)) {
        r->tau2 = 0;
        r->converged = true;
        return;
    }
    int it = 0;
    double tau2 = 0;
    r->converged = bracket_root(ws, &f, sum_sq(d) / (k - 1), vt, opt, &tau2, &it);
    r->iterations = it;
    r->tau2 = tau2;
    if (!r->converged)
        r->warnings |= EVS_WARN_NOT_CONVERGED;
}

/* Standard error of the tau2 estimate, with metafor's formulas. */
static double se_tau2(const re_data *d, evs_method method, double tau2, double tau2_sj0)
{
    double k = (double)d->k, t = fmax(tau2, 0);
    traces tr;
    switch (method) {
    case EVS_METHOD_DL:
        traces_at(d, 0, false, &tr);
        return sqrt((2 * (k - 1) + 4 * t * tr.p + 2 * t * t * tr.pp) / (tr.p * tr.p));
    case EVS_METHOD_HS: {
        traces_at(d, 0, false, &tr);
        double sw = 0;
        for (size_t i = 0; i < d->k; i++)
            sw += 1 / d->v[i];
        return sqrt((2 * (k - 1) + 4 * t * tr.p + 2 * t * t * tr.pp) / (sw * sw));
    }
    case EVS_METHOD_HE:
        traces_at(d, 0, true, &tr);
        return sqrt((2 * tr.pvpv + 4 * t * tr.pv + 2 * t * t * (k - 1)) / ((k - 1) * (k - 1)));
    case EVS_METHOD_SJ:
        traces_at(d, tau2_sj0, false, &tr);
        return sqrt(tau2_sj0 * tau2_sj0 / ((k - 1) * (k - 1)) *
                    (2 * tr.pvpv + 4 * t * tr.pvp + 2 * t * t * tr.pp));
    case EVS_METHOD_ML: {
        sums s;
        sums_at(d, tau2, &s);
        return sqrt(2 / s.s2);
    }
    case EVS_METHOD_REML:
        traces_at(d, tau2, false, &tr);
        return sqrt(2 / tr.pp);
    case EVS_METHOD_EB:
    case EVS_METHOD_PM: {
        sums s;
        sums_at(d, tau2, &s);
        return sqrt(2 * k * k / (k - 1) / (s.s1 * s.s1));
    }
    default:
        return NAN;
    }
}

static void estimate_tau2(const re_data *d, evs_method method, double vt,
                          const evs_fit_options *opt, evs_fit_workspace *ws, tau2_result *r)
{
    double k = (double)d->k;
    double sj0 = NAN;
    memset(r, 0, sizeof *r);
    r->converged = true;
    switch (method) {
    case EVS_METHOD_FE:
        r->tau2 = 0;
        r->se = NAN;
        return;
    case EVS_METHOD_DL: {
        sums s;
        sums_at(d, 0, &s);
        r->tau2 = (s.q - (k - 1)) / tr_p(&s);
        break;
    }
    case EVS_METHOD_HE:
        r->tau2 = est_he(d);
        break;
    case EVS_METHOD_HS: {
        sums s;
        sums_at(d, 0, &s);
        r->tau2 = (s.q - k) / s.s1;
        break;
    }
    case EVS_METHOD_SJ: {
        sj0 = sum_sq(d) / k;
        sums s;
        sums_at(d, sj0, &s);
        r->tau2 = sj0 * s.q / (k - 1);
        break;
    }
    case EVS_METHOD_ML:
    case EVS_METHOD_REML:
    case EVS_METHOD_EB:
        est_iterative(d, method, vt, opt, ws, r);
        break;
    case EVS_METHOD_PM:
        est_pm(d, vt, opt, ws, r);
        break;
    default:
        break;
    }
    r->tau2 = fmax(0, r->tau2);
    r->se = se_tau2(d, method, r->tau2, sj0);
}

/* ---------------------------------------------------------------------------
 * Q-profile confidence interval for tau2
 */

static void qprofile(const re_data *d, double q0, double vt, const evs_fit_options *opt,
                     evs_fit_workspace *ws, evs_fit *fit)
{
    double df = (double)d->k - 1, alpha = 1 - fit->level / 100;
    double crit_u = gsl_cdf_chisq_Qinv(alpha / 2, df); /* upper quantile */
    double crit_l = gsl_cdf_chisq_Pinv(alpha / 2, df); /* lower quantile */
    double ss = sum_sq(d);
    re_data dq = *d;
    gsl_function f = {.function = eq_q, .params = &dq};
    int it;

    fit->tau2_ci_lb = fit->tau2_ci_ub = NAN;
    if (q0 < crit_l) {
        fit->tau2_ci_lb = fit->tau2_ci_ub = 0;
        fit->warnings |= EVS_WARN_TAU2_CI_EMPTY;
        return;
    }
    dq.target = crit_l;
    if (q0 == crit_l) {
        fit->tau2_ci_ub = 0;
    } else if (!bracket_root(ws, &f, ss / crit_l, vt, opt, &fit->tau2_ci_ub, &it)) {
        fit->tau2_ci_ub = NAN;
        fit->warnings |= EVS_WARN_TAU2_CI_FAILED;
    }

    if (q0 <= crit_u) {
        fit->tau2_ci_lb = 0;
    } else {
        dq.target = crit_u;
        if (!bracket_root(ws, &f, ss / crit_u, vt, opt, &fit->tau2_ci_lb, &it)) {
            fit->tau2_ci_lb = NAN;
            fit->warnings |= EVS_WARN_TAU2_CI_FAILED;
        }
    }
}

/* ---------------------------------------------------------------------------
 * The fit
 */

static evs_status check_input(const double *yi, const double *vi, size_t k, evs_error *err)
{
    if (k < 2)
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "at least 2 studies are needed to pool (found %zu)", k);
    for (size_t i = 0; i < k; i++) {
        if (!isfinite(yi[i]))
            return evs_error_set(err, EVS_EDATA, 0, 0, "study %zu: yi is not finite", i + 1);
        if (!(vi[i] > 0) || !isfinite(vi[i]))
            return evs_error_set(err, EVS_EDATA, 0, 0,
                                 "study %zu: vi must be finite and greater than 0", i + 1);
    }
    return EVS_OK;
}

evs_status evs_fit_rma(const double *yi, const double *vi, size_t k,
                       const evs_fit_options *opt, evs_fit_workspace *ws, evs_fit *fit,
                       evs_error *err)
{
    evs_fit_options defaults;
    if (opt == NULL) {
        evs_fit_options_default(&defaults);
        opt = &defaults;
    }
    if ((unsigned)opt->method >= EVS_METHOD_COUNT || (unsigned)opt->test >= EVS_TEST_COUNT)
        return evs_error_set(err, EVS_EUSAGE, 0, 0, "unknown method or test");
    if (!(opt->level > 0 && opt->level < 100))
        return evs_error_set(err, EVS_EUSAGE, 0, 0, "level must be between 0 and 100");
    evs_status st = check_input(yi, vi, k, err);
    if (st != EVS_OK)
        return st;

    evs_fit_workspace *own = NULL;
    if (ws == NULL && opt->method != EVS_METHOD_FE) {
        ws = own = evs_fit_workspace_alloc();
        if (ws == NULL)
            return evs_error_set(err, EVS_EIO, 0, 0, "out of memory");
    }

    evs_fit f;
    memset(&f, 0, sizeof f);
    f.method = opt->method;
    f.test = opt->test;
    f.level = opt->level;
    f.k = k;
    re_data d = {.y = yi, .v = vi, .k = k, .target = 0};
    double kk = (double)k, alpha = 1 - opt->level / 100;

    double vmin = vi[0], vmax = vi[0];
    for (size_t i = 1; i < k; i++) {
        vmin = fmin(vmin, vi[i]);
        vmax = fmax(vmax, vi[i]);
    }
    if (vmax / vmin >= 1e7)
        f.warnings |= EVS_WARN_VI_RATIO;

    /* Heterogeneity test and the typical within-study variance. */
    sums s0;
    sums_at(&d, 0, &s0);
    f.QE = fmax(0, s0.q);
    f.QE_df = (int)k - 1;
    f.QE_p = gsl_cdf_chisq_Q(f.QE, kk - 1);
    f.vt = (kk - 1) / tr_p(&s0);

    tau2_result tr;
    estimate_tau2(&d, opt->method, f.vt, opt, ws, &tr);
    f.tau2 = tr.tau2;
    f.se_tau2 = tr.se;
    f.iterations = tr.iterations;
    f.converged = tr.converged;
    f.warnings |= tr.warnings;

    /* Pooled estimate and its inference. */
    sums s;
    sums_at(&d, f.tau2, &s);
    f.sum_w = s.s1;
    f.estimate = s.mu;
    double var = 1 / s.s1, crit;
    if (opt->test == EVS_TEST_KNHA) {
        if (opt->method == EVS_METHOD_FE)
            f.warnings |= EVS_WARN_KNHA_FE;
        double s2w = s.q > DBL_EPSILON ? s.q / (kk - 1) : 0;
        if (s2w == 0)
            f.warnings |= EVS_WARN_KNHA_ZERO;
        var *= s2w;
        f.df = kk - 1;
        f.se = sqrt(var);
        f.stat = f.estimate / f.se;
        f.pval = 2 * gsl_cdf_tdist_Q(fabs(f.stat), f.df);
        crit = gsl_cdf_tdist_Qinv(alpha / 2, f.df);
    } else {
        f.df = NAN;
        f.se = sqrt(var);
        f.stat = f.estimate / f.se;
        f.pval = 2 * gsl_cdf_ugaussian_Q(fabs(f.stat));
        crit = gsl_cdf_ugaussian_Qinv(alpha / 2);
    }
    f.ci_lb = f.estimate - crit * f.se;
    f.ci_ub = f.estimate + crit * f.se;

    f.tau2_ci_lb = f.tau2_ci_ub = NAN;
    f.I2_ci_lb = f.I2_ci_ub = f.H2_ci_lb = f.H2_ci_ub = NAN;
    if (opt->method == EVS_METHOD_FE) {
        f.pi_lb = f.pi_ub = NAN;
        f.I2 = f.QE > 0 ? fmax(0, 100 * (f.QE - (kk - 1)) / f.QE) : 0;
        f.H2 = f.QE / (kk - 1);
    } else {
        double spred = sqrt(f.se * f.se + f.tau2);
        f.pi_lb = f.estimate - crit * spred;
        f.pi_ub = f.estimate + crit * spred;
        f.I2 = 100 * f.tau2 / (f.vt + f.tau2);
        f.H2 = f.tau2 / f.vt + 1;
        if (opt->tau2_ci) {
            qprofile(&d, s0.q, f.vt, opt, ws, &f);
            f.I2_ci_lb = 100 * f.tau2_ci_lb / (f.vt + f.tau2_ci_lb);
            f.I2_ci_ub = 100 * f.tau2_ci_ub / (f.vt + f.tau2_ci_ub);
            f.H2_ci_lb = f.tau2_ci_lb / f.vt + 1;
            f.H2_ci_ub = f.tau2_ci_ub / f.vt + 1;
        }
    }

    evs_fit_workspace_free(own);
    *fit = f;
    return EVS_OK;
}

void evs_fit_weights(const evs_fit *fit, const double *vi, size_t k, double *weights)
{
    for (size_t i = 0; i < k; i++)
        weights[i] = 100 / (vi[i] + fit->tau2) / fit->sum_w;
}
