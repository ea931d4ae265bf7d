/*
 * convert.h -- turning what a paper reports into the mean and SD a
 * meta-analysis needs.
 *
 *   evs_conv_fivenum   median with IQR and/or range -> mean and SD, with the
 *                      methods metafor's conv.fivenum() uses by default:
 *                      the mean of Luo et al. (2018), the SD of Wan et al.
 *                      (2014) or, with all five numbers, Shi et al. (2020),
 *                      and the skewness tests of Shi et al. (2023)
 *   evs_conv_se_to_sd  standard error of a mean -> SD
 *   evs_conv_ci_to_sd  confidence interval of a mean -> SD (t distribution)
 *   evs_conv_pooled_sd pooled SD of other studies, for imputing a missing SD
 *   evs_conv_r_from_sds pre/post correlation from the SDs before, after and
 *                      of the change (Cochrane Handbook 5.1, 16.1.3.2)
 */
#ifndef EVS_CONVERT_H
#define EVS_CONVERT_H

#include <stdbool.h>
#include <stddef.h>

typedef enum evs_fivenum_case {
    EVS_FIVENUM_NONE,  /* not enough numbers (or n < 5) */
    EVS_FIVENUM_RANGE, /* min, median, max */
    EVS_FIVENUM_IQR,   /* q1, median, q3 */
    EVS_FIVENUM_ALL    /* min, q1, median, q3, max */
} evs_fivenum_case;

typedef struct evs_fivenum {
    evs_fivenum_case scenario;
    double mean, sd;
    double skew_stat, skew_crit; /* Shi et al. (2023) test statistic and critical value */
    bool skewed;                 /* skew_stat >= skew_crit */
} evs_fivenum;

/*
 * Estimate the mean and SD of a normal sample of size n from its median and
 * any of (q1, q3) and (min, max); pass NaN for what was not reported.
 * Returns false, with out->scenario EVS_FIVENUM_NONE, when the numbers do not
 * form one of the three cases, are not ordered, or n < 5 (as metafor).  The
 * mean and SD are computed even when the data look skewed; whether to use
 * them is the caller's decision (metafor's default drops skewed ones).
 */
bool evs_conv_fivenum(double min, double q1, double median, double q3, double max, double n,
                      evs_fivenum *out);

/* SD = SE sqrt(n); NaN for n < 0.  No check that se >= 0. */
double evs_conv_se_to_sd(double se, double n);

/*
 * SD from a level% confidence interval (lb, ub) of a mean of n observations:
 * sqrt(n) (ub - lb) / (2 t_{1-a/2, n-1}) (Cochrane Handbook 6.5.2.2).
 * level in (0, 100) and n > 1; NaN for n <= 1 (level is not checked: 100
 * gives 0, 0 gives inf).
 */
double evs_conv_ci_to_sd(double lb, double ub, double n, double level);

/*
 * Pooled SD sqrt(sum (n_i - 1) sd_i^2 / sum (n_i - 1)) over the entries with
 * a finite sd and n > 1; NaN if there are none.
 */
double evs_conv_pooled_sd(const double *sd, const double *n, size_t k);

/*
 * Correlation between two measurements from their SDs and the SD of their
 * difference: (sd1^2 + sd2^2 - sd_change^2) / (2 sd1 sd2).  May fall outside
 * [-1, 1] when the reported numbers are inconsistent; the caller checks.
 */
double evs_conv_r_from_sds(double sd1, double sd2, double sd_change);

#endif
