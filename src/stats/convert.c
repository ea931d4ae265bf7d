/*
 * convert.c -- conversions of reported summaries (see convert.h).
 *
 * Median and spread to mean and SD, for a sample of size n:
 *
 *   case RANGE (a = min, m = median, b = max)
 *     mean = w (a + b)/2 + (1 - w) m,  w = 4 / (4 + n^0.75)      Luo et al. 2018, eq. 7
 *     SD   = (b - a) / xi(n),  xi(n) = 2 Phi^-1((n - 0.375)/(n + 0.25))   Wan et al. 2014, eq. 9
 *   case IQR (q1, m, q3)
 *     mean = w (q1 + q3)/2 + (1 - w) m,  w = 0.7 + 0.39/n        Luo et al. 2018, eq. 11
 *     SD   = (q3 - q1) / eta(n),  eta(n) = 2 Phi^-1((0.75 n - 0.125)/(n + 0.25))   Wan, eq. 16
 *   case ALL
 *     mean = w1 (a + b)/2 + w2 (q1 + q3)/2 + (1 - w1 - w2) m,
 *            w1 = 2.2/(2.2 + n^0.75), w2 = 0.7 - 0.72/n^0.55     Luo et al. 2018, eq. 15
 *     SD   = w (b - a)/xi(n) + (1 - w)(q3 - q1)/eta(n),
 *            w = 1/(1 + 0.07 n^0.6)                                 Shi et al. 2020, eq. 10
 *
 * Skewness tests (Shi, Luo, Wan et al. 2023, as in metafor's conv.fivenum):
 *   RANGE  |a + b - 2m| / (b - a)     >= 1/ln(n + 9) + 2.5/(n + 1)
 *   IQR    |q1 + q3 - 2m| / (q3 - q1) >= 2.65/sqrt(n) - 6/n^2
 *   ALL    max(2.65 ln(0.6 n)/sqrt(n) |a + b - 2m|/(b - a), |q1 + q3 - 2m|/(q3 - q1))
 *                                     >= 3/sqrt(n) - 40/n^3
 */
#include "evsynth/convert.h"

#include "evsynth/error.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

static double xi(double n)
{
    return 2 * gsl_cdf_ugaussian_Pinv((n - 0.375) / (n + 0.25));
}

static double eta(double n)
{
    return 2 * gsl_cdf_ugaussian_Pinv((0.75 * n - 0.125) / (n + 0.25));
}

static bool ordered(const double *x, size_t k)
{
    double last = -INFINITY;
    for (size_t i = 0; i < k; i++) {
        if (isnan(x[i]))
            continue;
        if (x[i] < last)
            return false;
        last = x[i];
    }
    return true;
}

bool evs_conv_fivenum(double min, double q1, double median, double q3, double max, double n,
                      evs_fivenum *out)
{
    evs_gsl_quiet();
    out->scenario = EVS_FIVENUM_NONE;
    out->mean = out->sd = out->skew_stat = out->skew_crit = NAN;
    out->skewed = false;
    const double five[5] = {min, q1, median, q3, max};
    bool has_range = !isnan(min) && !isnan(max), has_iqr = !isnan(q1) && !isnan(q3);
    bool no_range = isnan(min) && isnan(max), no_iqr = isnan(q1) && isnan(q3);
    /* metafor's three cases; anything else (one quartile, one extreme) is none */
    if (isnan(median) || !(n >= 5) || !ordered(five, 5) ||
        !((has_range && has_iqr) || (has_iqr && no_range) || (has_range && no_iqr)))
        return false;

    double range_skew = has_range && max > min ? fabs(min + max - 2 * median) / (max - min) : 0;
    double iqr_skew = has_iqr && q3 > q1 ? fabs(q1 + q3 - 2 * median) / (q3 - q1) : 0;
    if (has_range && has_iqr) {
        double w1 = 2.2 / (2.2 + pow(n, 0.75)), w2 = 0.7 - 0.72 / pow(n, 0.55);
        double w = 1 / (1 + 0.07 * pow(n, 0.6));
        out->scenario = EVS_FIVENUM_ALL;
        out->mean = w1 * (min + max) / 2 + w2 * (q1 + q3) / 2 + (1 - w1 - w2) * median;
        out->sd = w * (max - min) / xi(n) + (1 - w) * (q3 - q1) / eta(n);
        out->skew_stat = fmax(2.65 * log(0.6 * n) / sqrt(n) * range_skew, iqr_skew);
        out->skew_crit = 3 / sqrt(n) - 40 / (n * n * n);
    } else if (has_iqr) {
        double w = 0.7 + 0.39 / n;
        out->scenario = EVS_FIVENUM_IQR;
        out->mean = w * (q1 + q3) / 2 + (1 - w) * median;
        out->sd = (q3 - q1) / eta(n);
        out->skew_stat = iqr_skew;
        out->skew_crit = 2.65 / sqrt(n) - 6 / (n * n);
    } else {
        double w = 4 / (4 + pow(n, 0.75));
        out->scenario = EVS_FIVENUM_RANGE;
        out->mean = w * (min + max) / 2 + (1 - w) * median;
        out->sd = (max - min) / xi(n);
        out->skew_stat = range_skew;
        out->skew_crit = 1 / log(n + 9) + 2.5 / (n + 1);
    }
    out->skewed = out->skew_stat >= out->skew_crit;
    return true;
}

double evs_conv_se_to_sd(double se, double n)
{
    return se * sqrt(n);
}

double evs_conv_ci_to_sd(double lb, double ub, double n, double level)
{
    evs_gsl_quiet();
    double alpha = 1 - level / 100;
    return sqrt(n) * (ub - lb) / (2 * gsl_cdf_tdist_Qinv(alpha / 2, n - 1));
}

double evs_conv_pooled_sd(const double *sd, const double *n, size_t k)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < k; i++) {
        if (!isfinite(sd[i]) || !(n[i] > 1))
            continue;
        num += (n[i] - 1) * sd[i] * sd[i];
        den += n[i] - 1;
    }
    return den > 0 ? sqrt(num / den) : (double)NAN;
}

double evs_conv_r_from_sds(double sd1, double sd2, double sd_change)
{
    return (sd1 * sd1 + sd2 * sd2 - sd_change * sd_change) / (2 * sd1 * sd2);
}
