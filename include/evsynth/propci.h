/*
 * propci.h -- confidence intervals for one study's proportion x/n, as a
 * forest plot, a table or a JSON file shows them: from the observed counts,
 * never from a continuity-corrected rate.
 *
 *   CP  Clopper and Pearson (1934), the "exact" interval of R's binom.test():
 *       lower = B(alpha/2; x, n - x + 1), 0 when x = 0,
 *       upper = B(1 - alpha/2; x + 1, n - x), 1 when x = n,
 *       B(p; a, b) the p-quantile of the Beta(a, b) distribution.  It never
 *       covers less than its level (Brown, Cai and DasGupta 2001).
 *   WS  Wilson (1927) score interval, R's prop.test(x, n, correct = FALSE):
 *       (p + z^2/2n -+ z sqrt(p(1 - p)/n + z^2/4n^2)) / (1 + z^2/n),
 *       p = x/n, z the upper alpha/2 point of N(0, 1); 0 at x = 0, 1 at x = n.
 *
 * The names are R meta's (method.ci = "CP", "WS"), which defaults to CP.
 */
#ifndef EVS_PROPCI_H
#define EVS_PROPCI_H

#include <stdbool.h>

#include "evsynth/error.h"

typedef enum evs_propci_method {
    EVS_PROPCI_CP, /* Clopper-Pearson (default) */
    EVS_PROPCI_WS, /* Wilson score */
    EVS_PROPCI_COUNT
} evs_propci_method;

/* Name tables, as evs_method_name() and evs_method_from_name() (model.h). */
const char *evs_propci_name(evs_propci_method m);
const char *evs_propci_description(evs_propci_method m);
bool evs_propci_from_name(const char *name, evs_propci_method *m);

/*
 * The interval for x events in n at level percent (in (0, 100)), in *lb and
 * *ub (proportions in [0, 1]).  x and n must be whole numbers with
 * 0 <= x <= n and n >= 1 (n up to 2^53); otherwise EVS_EDATA with a message,
 * and *lb, *ub are left untouched.  Does not allocate.
 */
evs_status evs_propci(double x, double n, double level, evs_propci_method m, double *lb,
                      double *ub, evs_error *err);

/*
 * The p-quantile of the Beta(a, b) distribution (a, b > 0, 0 < p < 1), or the
 * upper one (P(X > q) = p) when upper is true, to about 1e-14 relative: what
 * R's qbeta(p, a, b, lower.tail = !upper) gives.  GSL 2.7's
 * gsl_cdf_beta_Pinv returns NaN for the bounds of 3 events in 100,000.
 * NaN for arguments outside those ranges.
 */
double evs_beta_quantile(double p, double a, double b, bool upper);

#endif
