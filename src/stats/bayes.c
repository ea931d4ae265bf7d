/*
 * bayes.c -- the Bayesian normal-normal model of bayes.h by numerical
 * integration over tau (Röver 2020, J Stat Softw 93(6), sections 2.2-2.4).
 *
 * The posterior density of tau is integrated on t = tau/(s + tau) in [0, 1)
 * (tau = s t/(1 - t), dtau/dt = s/(1 - t)^2), which maps the heavy tail of a
 * half-Cauchy posterior (density ~ tau^-(k+1)) to a bounded integrand.  The
 * integral is adaptive Gauss-Kronrod: the 15-point Kronrod rule and its
 * embedded 7-point Gauss rule on each subinterval (Piessens et al. 1983,
 * QUADPACK's qk15 constants), the subinterval with the largest |K15 - G7|
 * bisected until the sum of those is below rel_tol of the integral.  The
 * K15 nodes of the final subintervals, with their weights, are the mixture
 * over which the posteriors of mu and of a new study's effect are sums of
 * normal distribution functions.  Quantiles are roots of those sums
 * (Newton's method with a bracket); tau's distribution function inside a
 * subinterval is one more K15 rule on the part below the point.
 *
 * The log posterior is shifted by its maximum over a coarse grid before
 * exponentiating, so that k = 1000 precise studies do not underflow.
 */
#include "evsynth/bayes.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "evsynth/sort.h"

#define DEFAULT_INTERVALS 256
/* Subintervals the integral starts with, and the grid for the shift. */
#define START_INTERVALS 8
#define SHIFT_GRID 64
#define QUANTILE_MAXITER 200
#define LOG_SQRT_2PI 0.91893853320467274178
#define SQRT1_2 0.70710678118654752440

/* QUADPACK's 15-point Kronrod rule on [-1, 1] (nodes xgk[0..7] and their
 * mirror images) and the 7-point Gauss rule on its odd nodes. */
static const double xgk[8] = {0.991455371120812639206854697526329,
                              0.949107912342758524526189684047851,
                              0.864864423359769072789712788640926,
                              0.741531185599394439863864773280788,
                              0.586087235467691130294144845693013,
                              0.405845151377397166906606412076961,
                              0.207784955007898467600689403773245,
                              0.000000000000000000000000000000000};
static const double wgk[8] = {0.022935322010529224963732008058970,
                              0.063092092629978553290700663189204,
                              0.104790010322250183839876322541518,
                              0.140653259715525918745189590510238,
                              0.169004726639267902826583426598550,
                              0.190350578064785409913256402421014,
                              0.204432940075298892414161999234649,
                              0.209482141084727828012999174891714};
static const double wg[4] = {0.129484966168869693270611432679082,
                             0.279705391489276667901467771423780,
                             0.381830050505118944950369775488975,
                             0.417959183673469387755102040816327};

typedef struct interval {
    double a, b, res, err;
} interval;

struct evs_bayes_workspace {
    size_t k_cap;
    int max_int;
    /* The fit's data and options, for tau's distribution function. */
    double *y, *v;
    size_t k;
    evs_bayes_options opt;
    double shift, z; /* log-density shift and the integral (normalising constant) */
    interval *iv, *iv_scratch; /* the subintervals, and room to sort them */
    int niv;
    double *icum; /* normalised integral below each (sorted) subinterval */
    /* The mixture: per node tau, weight, conditional mean and the standard
     * deviations of mu and of theta_new given tau. */
    double *tau, *omega, *m, *sdm, *sdp;
    int nnodes;
    bool fitted;
};

void evs_bayes_options_default(evs_bayes_options *opt)
{
    opt->tau_prior = EVS_TAU_PRIOR_HALFNORMAL;
    opt->tau_scale = 0.5;
    opt->mu_prior = EVS_MU_PRIOR_FLAT;
    opt->mu_mean = 0;
    opt->mu_sd = NAN;
    opt->level = 95;
    opt->interval = EVS_INTERVAL_CENTRAL;
    opt->rel_tol = 1e-11;
    opt->quantile_tol = 1e-12;
}

static const char *const tau_prior_names[EVS_TAU_PRIOR_COUNT] = {"half-normal", "half-Cauchy"};

const char *evs_tau_prior_name(evs_tau_prior p)
{
    return (unsigned)p < EVS_TAU_PRIOR_COUNT ? tau_prior_names[p] : "?";
}

bool evs_tau_prior_from_name(const char *name, evs_tau_prior *p)
{
    for (int i = 0; i < EVS_TAU_PRIOR_COUNT; i++) {
        if (strcmp(name, tau_prior_names[i]) == 0) {
            *p = (evs_tau_prior)i;
            return true;
        }
    }
    return false;
}

evs_bayes_workspace *evs_bayes_workspace_alloc(size_t k, int max_intervals)
{
    if (max_intervals <= 0)
        max_intervals = DEFAULT_INTERVALS;
    if (max_intervals < START_INTERVALS)
        max_intervals = START_INTERVALS;
    evs_bayes_workspace *ws = calloc(1, sizeof *ws);
    if (ws == NULL)
        return NULL;
    size_t kk = k < 1 ? 1 : k, nn = 15 * (size_t)max_intervals;
    ws->k_cap = kk;
    ws->max_int = max_intervals;
    ws->y = malloc(kk * sizeof *ws->y);
    ws->v = malloc(kk * sizeof *ws->v);
    ws->iv = malloc((size_t)max_intervals * sizeof *ws->iv);
    ws->iv_scratch = malloc((size_t)max_intervals * sizeof *ws->iv_scratch);
    ws->icum = malloc(((size_t)max_intervals + 1) * sizeof *ws->icum);
    ws->tau = malloc(nn * sizeof *ws->tau);
    ws->omega = malloc(nn * sizeof *ws->omega);
    ws->m = malloc(nn * sizeof *ws->m);
    ws->sdm = malloc(nn * sizeof *ws->sdm);
    ws->sdp = malloc(nn * sizeof *ws->sdp);
    if (!ws->y || !ws->v || !ws->iv || !ws->iv_scratch || !ws->icum || !ws->tau || !ws->omega ||
        !ws->m || !ws->sdm || !ws->sdp) {
        evs_bayes_workspace_free(ws);
        return NULL;
    }
    return ws;
}

void evs_bayes_workspace_free(evs_bayes_workspace *ws)
{
    if (ws == NULL)
        return;
    free(ws->y);
    free(ws->v);
    free(ws->iv);
    free(ws->iv_scratch);
    free(ws->icum);
    free(ws->tau);
    free(ws->omega);
    free(ws->m);
    free(ws->sdm);
    free(ws->sdp);
    free(ws);
}

/* ---------------------------------------------------------------------------
 * The posterior of tau
 */

/* log p(tau) + log p(y | tau) up to a constant; *m and *w get m(tau), W(tau). */
static double log_post(const evs_bayes_workspace *ws, double tau, double *m, double *w)
{
    const evs_bayes_options *o = &ws->opt;
    double t2 = tau * tau, sw = 0, swy = 0, slog = 0;
    for (size_t i = 0; i < ws->k; i++) {
        double vi = ws->v[i] + t2, wi = 1 / vi;
        sw += wi;
        swy += wi * ws->y[i];
        slog += log(vi);
    }
    double prec0 = 0;
    if (o->mu_prior == EVS_MU_PRIOR_NORMAL) {
        prec0 = 1 / (o->mu_sd * o->mu_sd);
        sw += prec0;
        swy += prec0 * o->mu_mean;
    }
    double mean = swy / sw, q = prec0 * (mean - o->mu_mean) * (mean - o->mu_mean);
    for (size_t i = 0; i < ws->k; i++) {
        double r = ws->y[i] - mean;
        q += r * r / (ws->v[i] + t2);
    }
    double x = tau / o->tau_scale, lp;
    if (o->tau_prior == EVS_TAU_PRIOR_HALFNORMAL)
        lp = -0.5 * x * x;
    else
        lp = -log1p(x * x);
    *m = mean;
    *w = sw;
    return lp - 0.5 * slog - 0.5 * log(sw) - 0.5 * q;
}

/* The integrand in t, shifted; m and w as log_post. */
static double integrand(const evs_bayes_workspace *ws, double t, double *tau, double *m,
                        double *w)
{
    if (t >= 1) {
        *tau = HUGE_VAL;
        *m = NAN;
        *w = NAN;
        return 0;
    }
    double s = ws->opt.tau_scale, u = 1 - t;
    *tau = s * t / u;
    double lp = log_post(ws, *tau, m, w) - ws->shift;
    return exp(lp) * s / (u * u);
}

/* K15 and |K15 - G7| on [a, b]; node values to f[15] when f is not NULL. */
static double kronrod(const evs_bayes_workspace *ws, double a, double b, double *err,
                      double *f, double *taus, double *ms, double *wsum)
{
    double c = 0.5 * (a + b), h = 0.5 * (b - a), rk = 0, rg = 0;
    for (int j = 0; j < 15; j++) {
        int i = j < 8 ? j : 14 - j;
        double x = j < 8 ? c - h * xgk[i] : c + h * xgk[i];
        double tau, m, w, g = integrand(ws, x, &tau, &m, &w);
        rk += wgk[i] * g;
        if (i % 2 == 1) /* the Gauss nodes: xgk[1], xgk[3], xgk[5] and the centre */
            rg += wg[i / 2] * g;
        if (f != NULL) {
            f[j] = wgk[i] * g * h;
            taus[j] = tau;
            ms[j] = m;
            wsum[j] = w;
        }
    }
    rk *= h;
    rg *= h;
    *err = fabs(rk - rg);
    return rk;
}

static double tau_log_density_shifted(const evs_bayes_workspace *ws, double tau)
{
    double m, w;
    return log_post(ws, tau, &m, &w) - ws->shift;
}

/* ---------------------------------------------------------------------------
 * Mixtures
 */

static double norm_p(double z)
{
    return 0.5 * erfc(-z * SQRT1_2);
}

static double norm_q(double z)
{
    return 0.5 * erfc(z * SQRT1_2);
}

static const double *mixture_sd(const evs_bayes_workspace *ws, evs_bayes_quantity q)
{
    return q == EVS_BAYES_MU ? ws->sdm : ws->sdp;
}

/* P(X <= x) (above false) or P(X > x) for mu or theta_new. */
static double mixture_tail(const evs_bayes_workspace *ws, evs_bayes_quantity q, double x,
                           bool above)
{
    const double *sd = mixture_sd(ws, q);
    double p = 0;
    for (int j = 0; j < ws->nnodes; j++) {
        double z = (x - ws->m[j]) / sd[j];
        p += ws->omega[j] * (above ? norm_q(z) : norm_p(z));
    }
    return p;
}

static double mixture_density(const evs_bayes_workspace *ws, evs_bayes_quantity q, double x)
{
    const double *sd = mixture_sd(ws, q);
    double d = 0;
    for (int j = 0; j < ws->nnodes; j++) {
        double z = (x - ws->m[j]) / sd[j];
        d += ws->omega[j] * exp(-0.5 * z * z - LOG_SQRT_2PI) / sd[j];
    }
    return d;
}

/* tau's distribution function at tau: P(T <= tau). */
static double tau_cdf(const evs_bayes_workspace *ws, double tau)
{
    if (!(tau > 0))
        return 0;
    if (!isfinite(tau))
        return 1;
    double s = ws->opt.tau_scale, t = tau / (s + tau);
    /* The subinterval holding t (they are sorted and cover [0, 1]). */
    int lo = 0, hi = ws->niv - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (ws->iv[mid].a <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    double err, part = kronrod(ws, ws->iv[lo].a, t, &err, NULL, NULL, NULL, NULL);
    return ws->icum[lo] + part / ws->z;
}

static double tau_density(const evs_bayes_workspace *ws, double tau)
{
    return exp(tau_log_density_shifted(ws, tau)) / ws->z;
}

/* ---------------------------------------------------------------------------
 * Quantiles
 */

static double quantity_density(const evs_bayes_workspace *ws, evs_bayes_quantity q, double x)
{
    return q == EVS_BAYES_TAU ? tau_density(ws, x) : mixture_density(ws, q, x);
}

/* P(X <= x) or P(X > x) of mu or theta_new and the density at x, in one pass. */
static double mixture_tail_density(const evs_bayes_workspace *ws, evs_bayes_quantity q,
                                   double x, bool above, double *dens)
{
    const double *sd = mixture_sd(ws, q);
    double p = 0, d = 0;
    for (int j = 0; j < ws->nnodes; j++) {
        double z = (x - ws->m[j]) / sd[j];
        p += ws->omega[j] * (above ? norm_q(z) : norm_p(z));
        d += ws->omega[j] * exp(-0.5 * z * z - LOG_SQRT_2PI) / sd[j];
    }
    *dens = d;
    return p;
}

/*
 * The p-quantile by Newton's method on the lower tail (or the upper one for
 * p > 1/2, where it is the more accurate) from a normal approximation, with
 * a bracket kept as it goes: a step that leaves the bracket, or a density
 * of 0 far out in a tail, bisects, or doubles the distance from the side
 * already found.
 */
double evs_bayes_quantile(const evs_bayes_workspace *ws, evs_bayes_quantity q, double p)
{
    if (ws == NULL || !ws->fitted || !(p > 0 && p < 1))
        return NAN;
    bool is_tau = q == EVS_BAYES_TAU, upper = p > 0.5 && !is_tau;
    double target = upper ? 1 - p : p, x, scale;
    if (is_tau) {
        /* tau's mean may be infinite: start from the prior's scale. */
        scale = ws->opt.tau_scale;
        x = scale;
    } else {
        double centre = 0;
        scale = 0;
        for (int j = 0; j < ws->nnodes; j++) {
            centre += ws->omega[j] * ws->m[j];
            scale += ws->omega[j] * mixture_sd(ws, q)[j];
        }
        double z = p < 0.5 ? -gsl_cdf_ugaussian_Qinv(p) : gsl_cdf_ugaussian_Qinv(1 - p);
        x = centre + z * scale;
    }
    double lo = is_tau ? 0 : -HUGE_VAL, hi = HUGE_VAL;
    for (int it = 0; it < QUANTILE_MAXITER; it++) {
        double d, f;
        if (is_tau) {
            f = tau_cdf(ws, x) - target;
            d = tau_density(ws, x);
        } else {
            double t = mixture_tail_density(ws, q, x, upper, &d);
            f = upper ? target - t : t - target;
        }
        if (f == 0)
            break;
        if (f < 0)
            lo = x;
        else
            hi = x;
        double next = x - f / d;
        if (!(d > 0 && next > lo && next < hi)) {
            if (isfinite(lo) && isfinite(hi))
                next = 0.5 * (lo + hi);
            else if (isfinite(lo))
                next = lo + 2 * fmax(lo - (is_tau ? 0 : x), scale);
            else
                next = hi - 2 * fmax(x - hi, scale);
            if (isfinite(lo) && !isfinite(hi))
                scale *= 2;
            if (!isfinite(lo) && isfinite(hi))
                scale *= 2;
        }
        double dx = fabs(next - x);
        x = next;
        double tol = ws->opt.quantile_tol * (is_tau ? fabs(x) : fmax(fabs(x), scale));
        if (dx <= tol || hi - lo <= tol)
            break;
    }
    return x;
}

/*
 * The shortest interval with the given mass: [Q(p), Q(p + mass)] where the
 * densities at both ends are equal (the distributions here are unimodal),
 * found by bisection on p; for tau, [0, Q(mass)] when the density falls
 * from 0.
 */
static void shortest(const evs_bayes_workspace *ws, evs_bayes_quantity q, double mass,
                     double *lb, double *ub)
{
    double lo = 0, hi = 1 - mass;
    if (q == EVS_BAYES_TAU) {
        double u = evs_bayes_quantile(ws, q, mass);
        if (tau_density(ws, 0) >= tau_density(ws, u)) {
            *lb = 0;
            *ub = u;
            return;
        }
    }
    for (int it = 0; it < 60; it++) {
        double p = 0.5 * (lo + hi);
        double a = evs_bayes_quantile(ws, q, p), b = evs_bayes_quantile(ws, q, p + mass);
        if (quantity_density(ws, q, a) < quantity_density(ws, q, b))
            lo = p;
        else
            hi = p;
        if (hi - lo < 1e-13)
            break;
    }
    double p = 0.5 * (lo + hi);
    *lb = evs_bayes_quantile(ws, q, p);
    *ub = evs_bayes_quantile(ws, q, p + mass);
}

static void interval_of(const evs_bayes_workspace *ws, evs_bayes_quantity q, double level,
                        evs_interval type, double *lb, double *ub)
{
    double mass = level / 100;
    if (type == EVS_INTERVAL_SHORTEST) {
        shortest(ws, q, mass, lb, ub);
    } else {
        *lb = evs_bayes_quantile(ws, q, (1 - mass) / 2);
        *ub = evs_bayes_quantile(ws, q, 1 - (1 - mass) / 2);
    }
}

double evs_bayes_prob(const evs_bayes_workspace *ws, evs_bayes_quantity q, double c,
                      bool above)
{
    if (ws == NULL || !ws->fitted || isnan(c))
        return NAN;
    if (q == EVS_BAYES_TAU) {
        double p = tau_cdf(ws, c);
        return above ? 1 - p : p;
    }
    return mixture_tail(ws, q, c, above);
}

/* ---------------------------------------------------------------------------
 * The fit
 */

static evs_status check_input(const double *y, const double *v, size_t k,
                              const evs_bayes_options *o, const evs_bayes_workspace *ws,
                              evs_error *err)
{
    if ((unsigned)o->tau_prior >= EVS_TAU_PRIOR_COUNT ||
        (unsigned)o->mu_prior >= EVS_MU_PRIOR_COUNT || (unsigned)o->interval >= EVS_INTERVAL_COUNT)
        return evs_error_set(err, EVS_EINVAL, 0, 0, "unknown prior or interval type");
    if (!(o->tau_scale > 0 && isfinite(o->tau_scale)))
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "the scale of the prior on tau must be positive (found %g)",
                             o->tau_scale);
    if (o->mu_prior == EVS_MU_PRIOR_NORMAL &&
        !(o->mu_sd > 0 && isfinite(o->mu_sd) && isfinite(o->mu_mean)))
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "a normal prior on mu needs a finite mean and a positive standard "
                             "deviation");
    if (!(o->level > 0 && o->level < 100))
        return evs_error_set(err, EVS_EINVAL, 0, 0, "level must be between 0 and 100");
    if (!(o->rel_tol > 0 && o->quantile_tol > 0))
        return evs_error_set(err, EVS_EINVAL, 0, 0, "tolerances must be positive");
    if (k < 1)
        return evs_error_set(err, EVS_EDATA, 0, 0, "no studies to pool");
    if (ws == NULL || k > ws->k_cap)
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "the workspace holds %zu studies, not %zu",
                             ws == NULL ? (size_t)0 : ws->k_cap, k);
    for (size_t i = 0; i < k; i++) {
        if (!isfinite(y[i]))
            return evs_error_set(err, EVS_EDATA, 0, 0, "study %zu: yi is not finite", i + 1);
        if (!(v[i] > 0 && isfinite(v[i])))
            return evs_error_set(err, EVS_EDATA, 0, 0,
                                 "study %zu: vi must be finite and greater than 0", i + 1);
    }
    return EVS_OK;
}

/* Subintervals by position (they do not overlap: no two start together). */
static int by_start(const void *pa, const void *pb, const void *ctx)
{
    (void)ctx;
    double a = ((const interval *)pa)->a, b = ((const interval *)pb)->a;
    return (a > b) - (a < b);
}

evs_status evs_bayes_fit_rma(const double *y, const double *v, size_t k,
                             const evs_bayes_options *opt, evs_bayes_workspace *ws,
                             evs_bayes_fit *fit, evs_error *err)
{
    evs_bayes_options defaults;
    if (opt == NULL) {
        evs_bayes_options_default(&defaults);
        opt = &defaults;
    }
    evs_status st = check_input(y, v, k, opt, ws, err);
    if (st != EVS_OK)
        return st;
    ws->fitted = false;
    memcpy(ws->y, y, k * sizeof *y);
    memcpy(ws->v, v, k * sizeof *v);
    ws->k = k;
    ws->opt = *opt;

    /* The shift: the log posterior's maximum over a grid in t. */
    ws->shift = 0;
    double shift = -HUGE_VAL, m, w;
    for (int i = 0; i < SHIFT_GRID; i++) {
        double t = (i + 0.5) / SHIFT_GRID, tau = opt->tau_scale * t / (1 - t);
        shift = fmax(shift, log_post(ws, tau, &m, &w));
    }
    shift = fmax(shift, log_post(ws, 0, &m, &w));
    ws->shift = shift;

    /* Adaptive Gauss-Kronrod on [0, 1]. */
    interval *iv = ws->iv;
    int n = START_INTERVALS;
    double total = 0, toterr = 0;
    for (int i = 0; i < n; i++) {
        iv[i].a = (double)i / n;
        iv[i].b = (double)(i + 1) / n;
        iv[i].res = kronrod(ws, iv[i].a, iv[i].b, &iv[i].err, NULL, NULL, NULL, NULL);
    }
    bool converged = false;
    for (;;) {
        total = toterr = 0;
        int worst = 0;
        for (int i = 0; i < n; i++) {
            total += iv[i].res;
            toterr += iv[i].err;
            if (iv[i].err > iv[worst].err)
                worst = i;
        }
        if (toterr <= opt->rel_tol * total) {
            converged = true;
            break;
        }
        if (n >= ws->max_int || iv[worst].b - iv[worst].a < 4 * DBL_EPSILON)
            break;
        double mid = 0.5 * (iv[worst].a + iv[worst].b);
        iv[n].a = mid;
        iv[n].b = iv[worst].b;
        iv[worst].b = mid;
        iv[worst].res = kronrod(ws, iv[worst].a, mid, &iv[worst].err, NULL, NULL, NULL, NULL);
        iv[n].res = kronrod(ws, mid, iv[n].b, &iv[n].err, NULL, NULL, NULL, NULL);
        n++;
    }
    if (!(total > 0 && isfinite(total)))
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "the posterior of tau cannot be integrated in double precision");
    evs_sort_stable(iv, (size_t)n, sizeof *iv, by_start, NULL, ws->iv_scratch);
    ws->niv = n;
    ws->z = total;

    /* The mixture nodes and the cumulative integral below each subinterval. */
    int nn = 0;
    double cum = 0;
    for (int i = 0; i < n; i++) {
        double f[15], taus[15], ms[15], wsum[15], e;
        ws->icum[i] = cum / total;
        kronrod(ws, iv[i].a, iv[i].b, &e, f, taus, ms, wsum);
        for (int j = 0; j < 15; j++) {
            if (!(f[j] > 0))
                continue;
            ws->tau[nn] = taus[j];
            ws->omega[nn] = f[j] / total;
            ws->m[nn] = ms[j];
            ws->sdm[nn] = sqrt(1 / wsum[j]);
            ws->sdp[nn] = sqrt(1 / wsum[j] + taus[j] * taus[j]);
            nn++;
        }
        cum += iv[i].res;
    }
    ws->icum[n] = 1;
    ws->nnodes = nn;
    ws->fitted = true;

    evs_bayes_fit f;
    memset(&f, 0, sizeof f);
    f.k = k;
    f.level = opt->level;
    f.interval = opt->interval;
    f.intervals = n;
    f.nodes = nn;
    f.converged = converged;
    if (!converged)
        f.warnings |= EVS_BAYES_WARN_INTEGRAL;
    double mean = 0, m2 = 0;
    for (int j = 0; j < nn; j++) {
        mean += ws->omega[j] * ws->m[j];
        m2 += ws->omega[j] * (ws->sdm[j] * ws->sdm[j] + ws->m[j] * ws->m[j]);
    }
    f.mu_mean = mean;
    /* The posterior variance of mu is infinite when E[tau^2] is (a
     * half-Cauchy tail tau^-2 times a likelihood tail tau^-(k-1), or tau^-k
     * with the normal prior on mu). */
    bool var_infinite = opt->tau_prior == EVS_TAU_PRIOR_HALFCAUCHY &&
                        (opt->mu_prior == EVS_MU_PRIOR_FLAT ? k < 3 : k < 2);
    f.mu_sd = var_infinite ? (double)NAN : sqrt(fmax(0, m2 - mean * mean));
    f.mu_median = evs_bayes_quantile(ws, EVS_BAYES_MU, 0.5);
    f.pred_median = evs_bayes_quantile(ws, EVS_BAYES_PRED, 0.5);
    f.tau_median = evs_bayes_quantile(ws, EVS_BAYES_TAU, 0.5);
    interval_of(ws, EVS_BAYES_MU, opt->level, opt->interval, &f.mu_lb, &f.mu_ub);
    interval_of(ws, EVS_BAYES_PRED, opt->level, opt->interval, &f.pred_lb, &f.pred_ub);
    interval_of(ws, EVS_BAYES_TAU, opt->level, opt->interval, &f.tau_lb, &f.tau_ub);
    *fit = f;
    return EVS_OK;
}
