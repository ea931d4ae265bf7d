/*
 * metareg.h -- mixed-effects meta-regression: y = X beta + u + e, with
 * u ~ N(0, tau2) the residual heterogeneity, as metafor's rma.uni(mods = ...).
 *
 * Any of the tau^2 estimators of fit.h (the same code, see tau2.c), inference
 * by z or Knapp-Hartung (t with k - p df), the omnibus test QM of every
 * coefficient but the intercept (chi2, or F under knha), the test for
 * residual heterogeneity QE, and R^2 as metafor defines it by default:
 * 100 max(0, (tau2_RE - tau2) / tau2_RE), tau2_RE from the model without
 * moderators (the adjusted R^2 of weighted least squares for FE).
 *
 * Fits allocate nothing: pass a workspace sized for the largest k and p.
 */
#ifndef EVS_METAREG_H
#define EVS_METAREG_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/error.h"
#include "evsynth/fit.h"

#define EVS_REG_PMAX 32

typedef struct evs_reg {
    size_t k, p;
    evs_method method;
    evs_test test;
    double level;
    bool intercept; /* the first column of X is the intercept */

    double beta[EVS_REG_PMAX], se[EVS_REG_PMAX], stat[EVS_REG_PMAX], pval[EVS_REG_PMAX];
    double ci_lb[EVS_REG_PMAX], ci_ub[EVS_REG_PMAX];
    double df;  /* k - p under knha; NaN under z */
    double s2w; /* Knapp-Hartung factor; 1 under z */

    double QM, QM_p; /* omnibus test; QM is an F statistic under knha */
    int QM_df, QM_df2;
    double QE, QE_p; /* residual heterogeneity */
    int QE_df;
    double tau2, I2, H2, vt;
    double R2; /* percent; NaN without an intercept or without moderators */

    int iterations;
    bool converged;
    unsigned warnings;
} evs_reg;

typedef struct evs_reg_workspace evs_reg_workspace;

/*
 * A workspace for up to kmax studies and 1 <= pmax <= EVS_REG_PMAX
 * coefficients; NULL for a pmax outside that range or when out of memory.
 * evs_reg_workspace_free(NULL) does nothing.  One per thread.
 */
evs_reg_workspace *evs_reg_workspace_alloc(size_t kmax, size_t pmax);
void evs_reg_workspace_free(evs_reg_workspace *ws);

/*
 * Fit y[0..k), v[0..k) (outcomes and sampling variances, as evs_fit_rma()
 * takes them) on the k x p model matrix X (row-major: X[i*p + j]); opt may
 * be NULL for the defaults.  R^2 refits the model without moderators unless
 * opt->tau2_ci is false (as when refitting for permutations).  Errors, with
 * err filled:
 *   EVS_EINVAL  options outside their domains (evs_fit_options_check()), p
 *               of 0 or k or p above the workspace;
 *   EVS_EDATA   k <= p, a bad yi or vi (evs_check_studies()), a moderator
 *               that is not finite, or X (or X weighted at the estimate of
 *               tau^2) not of full rank.
 * On error, out is untouched.  A tau^2 estimate that did not converge is
 * not an error: converged and warnings say so.  Allocates nothing.
 */
evs_status evs_reg_fit(const double *y, const double *v, const double *X, size_t k, size_t p,
                       bool intercept, const evs_fit_options *opt, evs_reg_workspace *ws,
                       evs_reg *out, evs_error *err);

#endif
