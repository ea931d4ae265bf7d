/*
 * tau2.c -- tau^2 estimators for any model given by its sums (see
 * tau2_internal.h), as metafor 3.8 rma.uni() computes them (Viechtbauer
 * 2005; Veroniki et al. 2016, Res Synth Methods 7:55):
 *
 *   DL   (Q(0) - (k-p)) / tr P(0)                             DerSimonian & Laird 1986
 *   HE   (RSS_OLS - tr(P_OLS V)) / (k-p)                      Hedges 1983
 *   HS   (Q(0) - k) / sum(1/v)                                Hunter & Schmidt 2004
 *   SJ   t0 Q_t0(t0) / (k-p), t0 = sum (y - ybar)^2 / k       Sidik & Jonkman 2005
 *   ML   root of  y'PPy - sum w = 0                           Hardy & Thompson 1996
 *   REML root of  y'PPy - tr P = 0                            Viechtbauer 2005
 *   EB   root of  Q(tau2) k/(k-p) - k = 0                     Morris 1983
 *   PM   root of  Q(tau2) - (k-p) = 0                         Paule & Mandel 1982
 *
 * all truncated at 0.  EB and PM solve the same equation and agree.
 *
 * ML, REML and EB start, as metafor, from the HE estimate and iterate on
 * the estimating equation, halving a step that would make tau2 negative,
 * until a step is below tol (tau2 + vt): scale-free and much tighter than
 * metafor's absolute 1e-5.  metafor takes Fisher-scoring steps,
 * tau2 += (y'PPy - tr P)/tr(PP) for REML; evsynth takes Newton steps with the
 * observed information, tau2 += (y'PPy - tr P)/(2 y'PPPy - tr PP) (ML
 * alike, and for EB Newton on Q - (k-p)), which converge quadratically to
 * the same root, and falls back to the Fisher step wherever the likelihood
 * is not locally concave.  If scoring has
 * not converged after maxiter steps (metafor stops with an error), the root
 * is found by a bracketing search instead: the equation is positive at 0, an
 * upper bound where it is negative is found by doubling from
 * sum (y - ybar)^2/(k - p), and Brent's method (GSL) finds the root in
 * between.  This always converges; the fit is flagged EVS_WARN_FALLBACK.
 * PM uses the bracketing search directly, as metafor does (uniroot).
 *
 * For ML and REML the log-likelihood at 0 is then compared with the one at
 * the estimate (metafor's ll0check), and when scoring ends at 0 a log-spaced
 * grid is searched for a higher maximum inside (metafor 3.8 reports the local
 * maximum at 0; opt->local_max keeps that behaviour).
 *
 * Q-profile interval (Viechtbauer 2007, Stat Med 26:37): the bounds solve
 * Q(tau2) = chi2_{k-p, 1-a/2} (lower) and chi2_{k-p, a/2} (upper); Q is
 * decreasing and Q(t) <= sum (y - ybar)^2 / t brackets it at once.  A bound
 * without a positive root is 0; when Q(0) is below even the upper quantile
 * the interval is empty and set to [0, 0], as metafor does.  There is no
 * upper cap (metafor stops at max(100, 10 tau2)).
 */
#include "evsynth/dist.h"
#include "tau2_internal.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

bool evs_solvers_init(evs_solvers *s)
{
    s->brent = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    s->minimizer = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (s->brent == NULL || s->minimizer == NULL) {
        evs_solvers_free(s);
        return false;
    }
    s->level = NAN;
    return true;
}

/* Forget the cached critical values unless they are for this level. */
static void use_level(evs_solvers *s, double level)
{
    if (s->level == level)
        return;
    s->level = level;
    s->z = gsl_cdf_ugaussian_Qinv((1 - level / 100) / 2);
    for (int i = 0; i < EVS_QUANTILE_CACHE; i++)
        s->t[i] = s->chisq_lo[i] = s->chisq_hi[i] = NAN;
}

/* The cache slot of df, or -1 when df is not a small whole number. */
static int slot(double df)
{
    return df >= 1 && df < EVS_QUANTILE_CACHE && df == floor(df) ? (int)df : -1;
}

double evs_crit_z(evs_solvers *s, double level)
{
    use_level(s, level);
    return s->z;
}

double evs_crit_t(evs_solvers *s, double level, double df)
{
    use_level(s, level);
    int i = slot(df);
    if (i < 0)
        return gsl_cdf_tdist_Qinv((1 - level / 100) / 2, df);
    if (isnan(s->t[i]))
        s->t[i] = gsl_cdf_tdist_Qinv((1 - level / 100) / 2, df);
    return s->t[i];
}

void evs_crit_chisq(evs_solvers *s, double level, double df, double *lo, double *hi)
{
    use_level(s, level);
    double p = (1 - level / 100) / 2;
    int i = slot(df);
    if (i < 0) {
        *lo = evs_chisq_quantile(p, df, false);
        *hi = evs_chisq_quantile(p, df, true);
        return;
    }
    if (isnan(s->chisq_lo[i])) {
        s->chisq_lo[i] = evs_chisq_quantile(p, df, false);
        s->chisq_hi[i] = evs_chisq_quantile(p, df, true);
    }
    *lo = s->chisq_lo[i];
    *hi = s->chisq_hi[i];
}

void evs_solvers_free(evs_solvers *s)
{
    if (s->brent != NULL)
        gsl_root_fsolver_free(s->brent);
    if (s->minimizer != NULL)
        gsl_min_fminimizer_free(s->minimizer);
    s->brent = NULL;
    s->minimizer = NULL;
}

/* ---------------------------------------------------------------------------
 * Estimating equations as GSL functions of tau2
 */

typedef struct equation {
    const evs_model *m;
    evs_method method; /* ML, REML; anything else: the Q equation */
    double target;     /* right-hand side of the Q equation */
} equation;

/* The equation's value from the sums at some tau2. */
static double eq_value(const equation *e, const evs_model_sums *s)
{
    if (e->method == EVS_METHOD_REML)
        return s->q2 - s->trp;
    if (e->method == EVS_METHOD_ML)
        return s->q2 - s->s1;
    return s->q - e->target;
}

static double eq_eval(double tau2, void *params)
{
    const equation *e = params;
    bool likelihood = e->method == EVS_METHOD_REML || e->method == EVS_METHOD_ML;
    double dq;
    if (!likelihood && e->m->q != NULL)
        return e->m->q(e->m, tau2, &dq) - e->target;
    if (likelihood && e->m->score != NULL)
        return e->m->score(e->m, tau2, e->method == EVS_METHOD_REML);
    evs_model_sums s;
    e->m->sums(e->m, tau2, false, &s);
    return eq_value(e, &s);
}

/*
 * Root of f in [lo, hi], f(lo) > 0 > f(hi), by Brent's method (GSL), to
 * the tolerance of the other root searches.  False when GSL refuses the
 * bracket or maxiter_root iterations do not meet the tolerance.
 */
static bool root_between(evs_solvers *sv, gsl_function *f, double lo, double hi, double scale,
                         const evs_fit_options *opt, double *root, int *iters)
{
    if (gsl_root_fsolver_set(sv->brent, f, lo, hi) != GSL_SUCCESS)
        return false;
    for (int it = 1; it <= opt->maxiter_root; it++) {
        *iters = it;
        if (gsl_root_fsolver_iterate(sv->brent) != GSL_SUCCESS)
            return false;
        double a = gsl_root_fsolver_x_lower(sv->brent);
        double b = gsl_root_fsolver_x_upper(sv->brent);
        if (gsl_root_test_interval(a, b, opt->tol * scale * opt->root_abs_tol, opt->tol) ==
            GSL_SUCCESS) {
            *root = gsl_root_fsolver_root(sv->brent);
            return true;
        }
    }
    return false;
}

/*
 * Root of f on (0, inf) with f(0) > 0 and f < 0 far out: double an upper
 * bound from hi, then Brent's method.  *iters gets the Brent iterations.
 */
static bool bracket_root(evs_solvers *sv, gsl_function *f, double hi, double scale,
                         const evs_fit_options *opt, double *root, int *iters)
{
    double lo = 0;
    *iters = 0;
    if (!(hi > 0) || !isfinite(hi))
        hi = scale > 0 ? scale : 1;
    double fhi = GSL_FN_EVAL(f, hi);
    for (int n = 0; fhi > 0; n++) {
        if (n == opt->max_doublings || !isfinite(hi))
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
    return root_between(sv, f, lo, hi, scale, opt, root, iters);
}

/*
 * Root of Q(t) = target on (0, inf), Q decreasing from Q(0) > target, for
 * models that give dQ/dt: Newton's method, safeguarded by the bracket that
 * every evaluation narrows (bisection when a step would leave it, doubling
 * until Q falls below the target).  Stops on bracket_root's criterion.
 * Where Brent's method needs about ten evaluations, this needs four or five.
 */
static bool q_root(const evs_model *m, double target, double start, double scale,
                   const evs_fit_options *opt, double *root, int *iters)
{
    double lo = 0, hi = INFINITY;
    double x = start > 0 && isfinite(start) ? start : scale > 0 ? scale : 1;
    for (int it = 1; it <= opt->maxiter_root; it++) {
        *iters = it;
        double dq, f = m->q(m, x, &dq) - target;
        if (isnan(f) || !isfinite(x))
            return false;
        if (f == 0) {
            *root = x;
            return true;
        }
        if (f > 0)
            lo = x;
        else
            hi = x;
        double next = x - f / dq;
        if (!(next > lo && next < hi))
            next = isfinite(hi) ? 0.5 * (lo + hi) : 2 * x;
        if (fabs(next - x) < opt->tol * scale * opt->root_abs_tol + opt->tol * fmin(next, x)) {
            *root = next;
            return true;
        }
        x = next;
    }
    return false;
}

/* Q(t) = eq->target by q_root when the model gives dQ/dt, else by bracket_root. */
static bool solve_q(equation *eq, evs_solvers *sv, double start, double scale,
                    const evs_fit_options *opt, double *root, int *iters)
{
    if (eq->m->q != NULL)
        return q_root(eq->m, eq->target, start, scale, opt, root, iters);
    gsl_function f = {.function = eq_eval, .params = eq};
    return bracket_root(sv, &f, start, scale, opt, root, iters);
}

/* (Restricted) log-likelihood, up to constants that cancel in comparisons. */
static double loglik(const evs_model *m, double tau2, bool reml)
{
    evs_model_sums s;
    m->sums(m, tau2, true, &s);
    double ll = -0.5 * s.sumlog - 0.5 * s.q;
    if (reml)
        ll -= 0.5 * s.logdet;
    return ll;
}

typedef struct ll_params {
    const evs_model *m;
    bool reml;
} ll_params;

static double neg_loglik(double tau2, void *params)
{
    const ll_params *p = params;
    return -loglik(p->m, tau2, p->reml);
}

/*
 * Scoring that ends at the boundary may have stopped at a local maximum: the
 * (restricted) likelihood can rise again further out (the brute-force test
 * found such data sets).  Look for a higher value on a log-spaced grid up to
 * beyond sum (y - ybar)^2/(k - p); if there is one, refine it by solving the
 * score equation between the neighbouring grid points, where the score
 * changes sign from + to -.  (A minimiser on -loglik cannot place a flat
 * maximum closer than about sqrt(DBL_EPSILON) relative and used to stop at
 * its iteration cap, 1e-7 from R's optimum: issue 15.3.)  A bracket
 * without a sign change, which a maximum narrower than the grid could
 * give, falls back to Brent's minimiser, and a minimiser that does not meet
 * the tolerance says so.  *iters counts the refinement steps.
 */
typedef enum interior { INTERIOR_NONE, INTERIOR_FOUND, INTERIOR_NOT_CONVERGED } interior;

static interior refine_by_minimiser(const evs_model *m, bool reml, double best, double a,
                                    double b, double vt, const evs_fit_options *opt,
                                    evs_solvers *sv, double *tau2, int *iters)
{
    ll_params p = {.m = m, .reml = reml};
    gsl_function f = {.function = neg_loglik, .params = &p};
    *tau2 = best; /* the grid point is already better than 0 */
    if (gsl_min_fminimizer_set(sv->minimizer, &f, best, a, b) != GSL_SUCCESS)
        return INTERIOR_NOT_CONVERGED;
    for (int it = 1; it <= opt->maxiter_root; it++) {
        ++*iters;
        if (gsl_min_fminimizer_iterate(sv->minimizer) != GSL_SUCCESS)
            break;
        double x_lo = gsl_min_fminimizer_x_lower(sv->minimizer);
        double x_hi = gsl_min_fminimizer_x_upper(sv->minimizer);
        if (gsl_min_test_interval(x_lo, x_hi, opt->tol * vt, opt->tol) == GSL_SUCCESS) {
            *tau2 = gsl_min_fminimizer_x_minimum(sv->minimizer);
            return INTERIOR_FOUND;
        }
    }
    *tau2 = gsl_min_fminimizer_x_minimum(sv->minimizer);
    return INTERIOR_NOT_CONVERGED;
}

static interior search_interior_max(const evs_model *m, const evs_model_sums *s0, bool reml,
                                    double vt, const evs_fit_options *opt, evs_solvers *sv,
                                    double *tau2, int *iters)
{
    double df = (double)m->k - (double)m->p;
    double hi = opt->grid_hi * fmax(m->ss / fmax(df, 1), vt), lo = opt->grid_lo * vt;
    if (!(hi > lo))
        return INTERIOR_NONE;
    /* No interior maximum exists when the score is negative everywhere, which
     * holds when Q(0) <= sum(vmin/v_i) - p (REML) or sum(vmin/v_i) (ML): with
     * wmax = max w, y'PPy <= wmax Q(t) <= wmax Q(0), tr P >= sum w - p wmax,
     * and sum w / wmax = sum (vmin + t)/(v_i + t) >= sum vmin/v_i. */
    double vmin = m->v[0], bound = 0;
    for (size_t i = 1; i < m->k; i++)
        vmin = fmin(vmin, m->v[i]);
    for (size_t i = 0; i < m->k; i++)
        bound += vmin / m->v[i];
    if (s0->q <= bound - (reml ? (double)m->p : 0))
        return INTERIOR_NONE;

    int points = opt->grid_points;
    double ratio = pow(hi / lo, 1.0 / (points - 1));
    /* The likelihood can only rise above its value at 0 where it increases
     * somewhere: look for a positive score on the grid first, which needs no
     * logarithms, and compare likelihoods only if there is one. */
    equation eq = {.m = m, .method = reml ? EVS_METHOD_REML : EVS_METHOD_ML};
    bool rises = false;
    double t = lo;
    for (int j = 0; j < points && !rises; j++, t *= ratio)
        rises = eq_eval(t, &eq) > 0;
    if (!rises)
        return INTERIOR_NONE;
    double ll0 = loglik(m, 0, reml), best_ll = ll0, best = 0;
    int best_j = -1;
    t = lo;
    for (int j = 0; j < points; j++, t *= ratio) {
        double ll = loglik(m, t, reml);
        if (ll > best_ll) {
            best_ll = ll;
            best = t;
            best_j = j;
        }
    }
    if (best_j < 0 || !(best_ll > ll0 + opt->ll_tol * (1 + fabs(ll0))))
        return INTERIOR_NONE;

    double a = best_j == 0 ? 0 : best / ratio, b = best * ratio;
    double g_a = eq_eval(a, &eq), g_best = eq_eval(best, &eq), g_b = eq_eval(b, &eq);
    if (g_best == 0) {
        *tau2 = best;
        return INTERIOR_FOUND;
    }
    double from = g_best > 0 ? best : a, to = g_best > 0 ? b : best;
    if ((g_best > 0 && g_b < 0) || (g_best < 0 && g_a > 0)) {
        gsl_function g = {.function = eq_eval, .params = &eq};
        int it = 0;
        bool ok = root_between(sv, &g, from, to, vt, opt, tau2, &it);
        *iters += it;
        if (ok)
            return INTERIOR_FOUND;
    }
    return refine_by_minimiser(m, reml, best, a, b, vt, opt, sv, tau2, iters);
}

/* Fisher scoring for ML, REML and EB (metafor's iteration), then the fallback. */
static void est_iterative(const evs_model *m, const evs_model_sums *s0, evs_method method,
                          double vt, const evs_fit_options *opt, evs_solvers *sv,
                          evs_tau2_result *r)
{
    double k = (double)m->k, df = (double)m->k - (double)m->p;
    double tau2 = fmax(0, isnan(opt->tau2_init) ? m->he(m) : opt->tau2_init);
    double prev_newton = NAN; /* the previous step, if it was a Newton step */
    bool converged = false;
    int iter = 0;
    while (iter < opt->maxiter) {
        iter++;
        evs_model_sums s;
        m->sums(m, tau2, false, &s);
        /* Newton with the observed information; metafor's Fisher-scoring
         * step where the likelihood is not locally concave. */
        double adj, newton;
        if (method == EVS_METHOD_REML) {
            adj = (s.q2 - s.trp) / s.trpp;
            newton = (s.q2 - s.trp) / (2 * s.q3 - s.trpp);
        } else if (method == EVS_METHOD_ML) {
            adj = (s.q2 - s.s1) / s.s2;
            newton = (s.q2 - s.s1) / (2 * s.q3 - s.s2);
        } else {
            adj = (s.q * k / df - k) / s.s1;
            newton = (s.q - df) / s.q2; /* Q(tau2) - (k-p) is convex and decreasing */
        }
        double curvature = method == EVS_METHOD_REML ? 2 * s.q3 - s.trpp
                           : method == EVS_METHOD_ML ? 2 * s.q3 - s.s2
                                                     : s.q2;
        bool is_newton = curvature > 0 && isfinite(newton);
        if (is_newton)
            adj = newton;
        if (!isfinite(adj))
            adj = 0;
        /* Step halving keeps tau2 >= 0 (metafor's stepadj loop). */
        bool halved = false;
        for (int h = 0; tau2 + adj < 0; h++) {
            adj = h < opt->max_halvings ? adj / 2 : -tau2;
            halved = true;
        }
        tau2 += adj;
        double scale = opt->tol * (tau2 + vt);
        if (fabs(adj) <= scale) {
            converged = true;
            break;
        }
        /* Two full Newton steps in a row estimate the quadratic rate
         * C = |step| / previous^2; when the next step, about C step^2, would
         * be below a hundredth of the tolerance, this one has converged. */
        if (is_newton && !halved && isfinite(prev_newton) && prev_newton != 0) {
            double c = fabs(adj) / (prev_newton * prev_newton);
            if (opt->quadratic_stop * c * adj * adj <= scale && fabs(adj) < fabs(prev_newton)) {
                converged = true;
                break;
            }
        }
        prev_newton = is_newton && !halved ? adj : (double)NAN;
    }
    r->iterations = iter;

    equation eq = {.m = m, .method = method, .target = df};
    double g0 = eq_value(&eq, s0); /* the equation at tau2 = 0 */
    if (!converged) {
        gsl_function f = {.function = eq_eval, .params = &eq};
        int it = 0;
        r->warnings |= EVS_WARN_FALLBACK;
        if (!(g0 > 0)) {
            tau2 = 0;
            converged = true;
        } else {
            converged = bracket_root(sv, &f, m->ss / df, vt, opt, &tau2, &it);
        }
        r->iterations += it;
        if (!converged)
            r->warnings |= EVS_WARN_NOT_CONVERGED;
    }

    /* A value that is zero up to the tolerance is zero when the equation
     * points below 0 there (scoring approaches the boundary only geometrically). */
    if (converged && tau2 > 0 && tau2 <= opt->zero_snap * opt->tol * vt && !(g0 > 0))
        tau2 = 0;

    /* metafor's ll0check: a local maximum worse than tau2 = 0 is abandoned.
     * Where the likelihood rises at 0 (positive score), 0 is no maximum and
     * the check is skipped. */
    if (converged && tau2 > 0 && method != EVS_METHOD_EB && !(g0 > 0)) {
        bool reml = method == EVS_METHOD_REML;
        double ll = loglik(m, tau2, reml), ll0 = loglik(m, 0, reml);
        if (ll0 > ll + opt->ll_tol * (1 + fabs(ll))) {
            tau2 = 0;
            r->warnings |= EVS_WARN_LL0;
        }
    }

    if (converged && tau2 == 0 && method != EVS_METHOD_EB && !opt->local_max) {
        int it = 0;
        interior found =
            search_interior_max(m, s0, method == EVS_METHOD_REML, vt, opt, sv, &tau2, &it);
        if (found != INTERIOR_NONE)
            r->warnings |= EVS_WARN_GLOBAL_MAX;
        if (found == INTERIOR_NOT_CONVERGED) { /* at its cap: never "converged" */
            converged = false;
            r->warnings |= EVS_WARN_NOT_CONVERGED;
        }
        r->iterations += it;
    }
    r->tau2 = tau2;
    r->converged = converged;
}

/* PM solves Q(tau2) = k - p; PMM (median-unbiased, Viechtbauer 2021's
 * variant in metafor 3.0) solves Q(tau2) = the median of chi2(k - p). */
static void est_pm(const evs_model *m, const evs_model_sums *s0, double vt, bool median,
                   const evs_fit_options *opt, evs_solvers *sv, evs_tau2_result *r)
{
    double df = (double)m->k - (double)m->p;
    double target = median ? evs_chisq_quantile(0.5, df, false) : df;
    equation eq = {.m = m, .method = EVS_METHOD_PM, .target = target};
    r->iterations = 0;
    if (!(eq_value(&eq, s0) > 0)) {
        r->tau2 = 0;
        r->converged = true;
        return;
    }
    int it = 0;
    double tau2 = 0;
    r->converged = solve_q(&eq, sv, m->ss / target, vt, opt, &tau2, &it);
    r->iterations = it;
    r->tau2 = tau2;
    if (!r->converged)
        r->warnings |= EVS_WARN_NOT_CONVERGED;
}

void evs_tau2_estimate(const evs_model *m, const evs_model_sums *s0, double vt,
                       const evs_fit_options *opt, evs_solvers *sv, evs_tau2_result *r)
{
    double k = (double)m->k, df = (double)m->k - (double)m->p;
    memset(r, 0, sizeof *r);
    r->converged = true;
    evs_model_sums s;
    switch (opt->method) {
    case EVS_METHOD_FE:
        r->tau2 = 0;
        return;
    case EVS_METHOD_DL:
        r->tau2 = (s0->q - df) / s0->trp;
        break;
    case EVS_METHOD_HE:
        r->tau2 = m->he(m);
        break;
    case EVS_METHOD_HS:
        r->tau2 = (s0->q - k) / s0->s1;
        break;
    case EVS_METHOD_HSK: /* HS with Q scaled by k/(k - p) (Brannick et al. 2019; metafor) */
        r->tau2 = (k / df * s0->q - k) / s0->s1;
        break;
    case EVS_METHOD_SJ: {
        double t0 = m->ss / k;
        m->sums(m, t0, false, &s);
        r->tau2 = t0 * s.q / df;
        break;
    }
    case EVS_METHOD_ML:
    case EVS_METHOD_REML:
    case EVS_METHOD_EB:
        est_iterative(m, s0, opt->method, vt, opt, sv, r);
        break;
    case EVS_METHOD_PM:
    case EVS_METHOD_PMM:
        est_pm(m, s0, vt, opt->method == EVS_METHOD_PMM, opt, sv, r);
        break;
    default:
        break;
    }
    r->tau2 = fmax(0, r->tau2);
}

void evs_tau2_qprofile(const evs_model *m, double vt, const evs_fit_options *opt,
                       evs_solvers *sv, double *lb, double *ub, unsigned *warnings)
{
    double df = (double)m->k - (double)m->p, crit_l, crit_u; /* lower and upper quantiles */
    evs_crit_chisq(sv, opt->level, df, &crit_l, &crit_u);
    double q0;
    if (m->q != NULL) {
        double dq;
        q0 = m->q(m, 0, &dq);
    } else {
        evs_model_sums s0;
        m->sums(m, 0, false, &s0);
        q0 = s0.q;
    }
    equation eq = {.m = m, .method = EVS_METHOD_PM};
    int it;

    *lb = *ub = NAN;
    if (q0 < crit_l) {
        *lb = *ub = 0;
        *warnings |= EVS_WARN_TAU2_CI_EMPTY;
        return;
    }
    eq.target = crit_l;
    if (q0 == crit_l) {
        *ub = 0;
    } else if (!solve_q(&eq, sv, m->ss / crit_l, vt, opt, ub, &it)) {
        *ub = NAN;
        *warnings |= EVS_WARN_TAU2_CI_FAILED;
    }
    if (q0 <= crit_u) {
        *lb = 0;
    } else {
        eq.target = crit_u;
        if (!solve_q(&eq, sv, m->ss / crit_u, vt, opt, lb, &it)) {
            *lb = NAN;
            *warnings |= EVS_WARN_TAU2_CI_FAILED;
        }
    }
    /* Q(tau2) decreases, so lb <= ub; bounds in the wrong order mean that
     * rounding made Q too noisy to invert.  Say so rather than print them. */
    if (*lb > *ub) {
        *lb = *ub = NAN;
        *warnings |= EVS_WARN_TAU2_CI_FAILED;
    }
}
