/*
 * dist.c -- chi-square quantiles that hold for any degrees of freedom.
 *
 * GSL's quantile is the starting point when it is close (its distribution
 * function says so); otherwise the Wilson-Hilferty approximation is, which
 * is within 1e-7 relative for df above a few hundred, where GSL fails.
 * Newton's method on GSL's distribution function then polishes the start to
 * full precision.  Above df = 10^6 GSL's upper tail loses accuracy (about
 * 5e-4 relative at 10^7) while Wilson-Hilferty alone is within 5e-11 and
 * improves as df grows, so it is used as it is.
 */
#include "evsynth/dist.h"

#include "evsynth/error.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>

static double tail(double x, double df, bool upper)
{
    return upper ? gsl_cdf_chisq_Q(x, df) : gsl_cdf_chisq_P(x, df);
}

/* Wilson and Hilferty (1931): (X/df)^(1/3) is about normal. */
static double wilson_hilferty(double p, double df, bool upper)
{
    double z = upper ? gsl_cdf_ugaussian_Qinv(p) : gsl_cdf_ugaussian_Pinv(p);
    double c = 2 / (9 * df), t = 1 - c + z * sqrt(c);
    return t > 0 ? df * t * t * t : df * DBL_EPSILON;
}

double evs_chisq_quantile(double p, double df, bool upper)
{
    evs_gsl_quiet();
    if (!(p > 0 && p < 1) || !(df > 0) || !isfinite(df))
        return NAN;
    if (df > 1e6)
        return wilson_hilferty(p, df, upper);
    double x = upper ? gsl_cdf_chisq_Qinv(p, df) : gsl_cdf_chisq_Pinv(p, df);
    if (!(x > 0) || !isfinite(x) || fabs(tail(x, df, upper) - p) > 1e-3 * p)
        x = wilson_hilferty(p, df, upper);
    for (int it = 0; it < 50; it++) {
        double d = gsl_ran_chisq_pdf(x, df);
        if (!(d > 0))
            break;
        /* The lower tail rises with x, the upper falls. */
        double step = (tail(x, df, upper) - p) / d;
        double next = upper ? x + step : x - step;
        if (!(next > 0))
            next = x / 2;
        bool done = fabs(next - x) <= 4 * DBL_EPSILON * x;
        x = next;
        if (done)
            break;
    }
    return x;
}
