/*
 * transf.c -- back-transformations (see transf.h).
 *
 * Miller (1978), "The inverse of the Freeman-Tukey double arcsine
 * transformation", The American Statistician 32:138:
 *
 *   p = 1/2 [1 - sgn(cos 2x) sqrt(1 - (sin 2x + (sin 2x - 1/sin 2x)/n)^2)]
 *
 * metafor sets values below pft(0, n) to 0 and above pft(1, n) to 1, and
 * (for the pooled estimate) uses the harmonic mean of the sample sizes.
 */
#include "evsynth/transf.h"

#include <math.h>

double evs_transf_ilogit(double x)
{
    /* plogis(): written so that neither branch overflows. */
    if (x >= 0)
        return 1 / (1 + exp(-x));
    double e = exp(x);
    return e / (1 + e);
}

double evs_transf_iarcsin(double x)
{
    if (x < 0)
        return 0;
    if (x > asin(1.0))
        return 1;
    double s = sin(x);
    return s * s;
}

double evs_transf_pft(double p, double n)
{
    double x = p * n;
    return 0.5 * (asin(sqrt(x / (n + 1))) + asin(sqrt((x + 1) / (n + 1))));
}

double evs_transf_ipft(double x, double n)
{
    if (isnan(x) || !(n > 0))
        return NAN;
    if (x > evs_transf_pft(1, n))
        return 1;
    if (x < evs_transf_pft(0, n))
        return 0;
    double s = sin(2 * x), c = cos(2 * x);
    double t = s + (s - 1 / s) / n;
    double sgn = c > 0 ? 1 : (c < 0 ? -1 : 0);
    double p = 0.5 * (1 - sgn * sqrt(1 - t * t));
    return isnan(p) ? (double)NAN : p;
}

double evs_harmonic_mean(const double *n, size_t k)
{
    double s = 0;
    size_t used = 0;
    for (size_t i = 0; i < k; i++) {
        if (n[i] > 0 && isfinite(n[i])) {
            s += 1 / n[i];
            used++;
        }
    }
    return used > 0 ? (double)used / s : (double)NAN;
}

double evs_backtransform(evs_measure m, double x, double nhm)
{
    switch (m) {
    case EVS_MEASURE_PLO:
        return evs_transf_ilogit(x);
    case EVS_MEASURE_PAS:
        return evs_transf_iarcsin(x);
    case EVS_MEASURE_PFT:
        return evs_transf_ipft(x, nhm);
    case EVS_MEASURE_RR:
    case EVS_MEASURE_OR:
        return exp(x);
    default:
        return x;
    }
}

const char *evs_backtransform_scale(evs_measure m)
{
    switch (m) {
    case EVS_MEASURE_PLO:
    case EVS_MEASURE_PAS:
    case EVS_MEASURE_PFT:
        return "proportion";
    case EVS_MEASURE_RR:
        return "risk ratio";
    case EVS_MEASURE_OR:
        return "odds ratio";
    default:
        return NULL;
    }
}
