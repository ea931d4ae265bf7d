/*
 * dist.h -- distribution functions where GSL's own fall short.
 *
 * GSL 2.7's gsl_cdf_chisq_Qinv is wrong for large degrees of freedom
 * (132,865 instead of 100,877 for the upper 2.5% point with df = 99,999)
 * and fails to converge at df = 10^6; its distribution functions are
 * accurate there.  Meta-analyses of 10^5 studies and more reach those
 * degrees of freedom in the Q-profile interval for tau^2.
 */
#ifndef EVS_DIST_H
#define EVS_DIST_H

#include <stdbool.h>

/*
 * The chi-square quantile x with P(X <= x) = p (upper: P(X > x) = p), as
 * R's qchisq(p, df, lower.tail = !upper).  NaN unless 0 < p < 1, df > 0.
 */
double evs_chisq_quantile(double p, double df, bool upper);

#endif
