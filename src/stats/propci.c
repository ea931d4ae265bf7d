/*
 * propci.c -- Clopper-Pearson and Wilson intervals for a proportion (see
 * propci.h), and the Beta quantile function the first one needs.
 *
 * The Beta quantile: GSL 2.7's gsl_cdf_beta_Pinv fails (NaN) for the
 * Clopper-Pearson bounds of large n, so the quantile is found here by
 * Newton's method on the logarithm of the tail probability as a function of
 * s = logit(q), where it is close to linear in both tails (the tail behaves
 * like q^a near 0 and (1 - q)^b near 1), safeguarded by bisection in s (which
 * is geometric near 0 and 1, so that quantiles of 1e-12 are reached as fast
 * as quantiles of 0.3).  The tail probabilities are GSL's gsl_cdf_beta_P and
 * _Q, which are accurate in both tails.
 *
 * Closed forms where the Beta has a parameter of 1: the Clopper-Pearson
 * upper bound at x = 0 is 1 - (alpha/2)^(1/n), the lower bound at x = n is
 * (alpha/2)^(1/n) (binom.test's values too).
 */
#include "evsynth/propci.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <string.h>

/* Newton steps and bisections of the quantile search; it needs about 6. */
#define QUANTILE_MAXITER 300
/* Stop when the step in s = logit(q) is below this (relative to max(1, |s|)). */
#define QUANTILE_TOL 1e-15
/* The search in s = logit(q) stays within +-S_BRACKET. */
#define S_BRACKET 800.0
/* Counts above this are not whole numbers in double precision. */
#define COUNT_MAX 9007199254740992.0

static const struct {
    const char *name;
    const char *description;
} method_info[EVS_PROPCI_COUNT] = {
    [EVS_PROPCI_CP] = {"CP", "Clopper-Pearson exact interval"},
    [EVS_PROPCI_WS] = {"WS", "Wilson score interval"},
};

const char *evs_propci_name(evs_propci_method m)
{
    return (unsigned)m < EVS_PROPCI_COUNT ? method_info[m].name : "?";
}

const char *evs_propci_description(evs_propci_method m)
{
    return (unsigned)m < EVS_PROPCI_COUNT ? method_info[m].description : "?";
}

bool evs_propci_from_name(const char *name, evs_propci_method *m)
{
    for (int i = 0; i < EVS_PROPCI_COUNT; i++) {
        if (strcmp(name, method_info[i].name) == 0) {
            *m = (evs_propci_method)i;
            return true;
        }
    }
    return false;
}

/* log(q) and log(1 - q) for q = expit(s), without overflow at either end. */
static void log_expit(double s, double *log_q, double *log_1q)
{
    double l = log1p(exp(-fabs(s)));
    *log_q = s > 0 ? -l : s - l;
    *log_1q = s > 0 ? -s - l : -l;
}

/*
 * The function whose root is the quantile, increasing in s: log P(X <= q) -
 * log p (lower tail) or log p - log P(X > q) (upper tail), with q = expit(s),
 * and its derivative in s.  log(q) and log(1 - q) from s without rounding q.
 */
static double quantile_eq(double s, double p_log, double a, double b, double lnbeta,
                          bool upper, double *deriv)
{
    double log_q, log_1q;
    log_expit(s, &log_q, &log_1q);
    double q = exp(log_q);
    double tail = upper ? gsl_cdf_beta_Q(q, a, b) : gsl_cdf_beta_P(q, a, b);
    double log_tail = log(tail);
    /* d tail / ds = +-density(q) q (1 - q). */
    double log_dens_s = (a - 1) * log_q + (b - 1) * log_1q - lnbeta + log_q + log_1q;
    *deriv = exp(log_dens_s - log_tail);
    return upper ? p_log - log_tail : log_tail - p_log;
}

double evs_beta_quantile(double p, double a, double b, bool upper)
{
    if (!(p > 0 && p < 1 && a > 0 && b > 0 && isfinite(a) && isfinite(b)))
        return NAN;
    double lnbeta = gsl_sf_lnbeta(a, b), p_log = log(p);
    /* Start at the mean; the bracket holds every s whose expit is a double
     * other than 0 and 1 (and a little more, so that a quantile that
     * underflows comes out as 0). */
    double s = log(a / b), lo = -S_BRACKET, hi = S_BRACKET;
    for (int it = 0; it < QUANTILE_MAXITER; it++) {
        double d, f = quantile_eq(s, p_log, a, b, lnbeta, upper, &d);
        if (f == 0)
            break;
        if (f < 0 || isnan(f)) /* NaN: the tail underflowed, q is far too small/large */
            lo = s;
        else
            hi = s;
        double next = s - f / d;
        if (!(isfinite(f) && d > 0 && next > lo && next < hi)) {
            /* Bisection in s; towards an end not yet explored in growing steps. */
            if (hi >= S_BRACKET)
                next = fmin(lo + fmax(4, fabs(lo)), 0.5 * (lo + hi));
            else if (lo <= -S_BRACKET)
                next = fmax(hi - fmax(4, fabs(hi)), 0.5 * (lo + hi));
            else
                next = 0.5 * (lo + hi);
        }
        double step = fabs(next - s);
        s = next;
        if (step <= QUANTILE_TOL * fmax(1, fabs(s)) || hi - lo <= QUANTILE_TOL * fmax(1, fabs(s)))
            break;
    }
    double log_q, log_1q;
    log_expit(s, &log_q, &log_1q);
    return s > 0 ? -expm1(log_1q) : exp(log_q);
}

static evs_status check_counts(double x, double n, double level, evs_error *err)
{
    if (!(level > 0 && level < 100))
        return evs_error_set(err, EVS_EINVAL, 0, 0, "level must be between 0 and 100");
    if (!(n >= 1 && n <= COUNT_MAX && n == floor(n)))
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "the number of patients must be a whole number of at least 1 "
                             "(found %g)",
                             n);
    if (!(x >= 0 && x <= n && x == floor(x)))
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "the number of events must be a whole number from 0 to %g "
                             "(found %g)",
                             n, x);
    return EVS_OK;
}

evs_status evs_propci(double x, double n, double level, evs_propci_method m, double *lb,
                      double *ub, evs_error *err)
{
    evs_status st = check_counts(x, n, level, err);
    if (st != EVS_OK)
        return st;
    double alpha = 1 - level / 100, lo, hi;
    switch (m) {
    case EVS_PROPCI_CP:
        lo = x == 0   ? 0
             : x == n ? exp(log(alpha / 2) / n)
                      : evs_beta_quantile(alpha / 2, x, n - x + 1, false);
        hi = x == n   ? 1
             : x == 0 ? -expm1(log(alpha / 2) / n)
                      : evs_beta_quantile(alpha / 2, x + 1, n - x, true);
        break;
    case EVS_PROPCI_WS: {
        double z = gsl_cdf_ugaussian_Qinv(alpha / 2), p = x / n, z22n = z * z / (2 * n);
        double half = z * sqrt(p * (1 - p) / n + z22n / (2 * n));
        lo = x == 0 ? 0 : (p + z22n - half) / (1 + 2 * z22n);
        hi = x == n ? 1 : (p + z22n + half) / (1 + 2 * z22n);
        break;
    }
    default:
        return evs_error_set(err, EVS_EINVAL, 0, 0, "unknown interval method");
    }
    *lb = lo;
    *ub = hi;
    return EVS_OK;
}
