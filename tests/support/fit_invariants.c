/*
 * fit_invariants.c -- see fit_invariants.h.
 */
#include "fit_invariants.h"

#include <math.h>

static bool ordered(double lo, double hi)
{
    return !isnan(lo) && !isnan(hi) && lo <= hi;
}

#define PROMISE(cond)     \
    do {                  \
        if (!(cond))      \
            return #cond; \
    } while (0)

const char *evs_fit_violation(const evs_fit *f, bool tau2_ci)
{
    PROMISE(f->converged || (f->warnings & EVS_WARN_NOT_CONVERGED));
    if (!f->converged)
        return NULL;
    PROMISE(isfinite(f->estimate));
    PROMISE(isfinite(f->se) && f->se >= 0);
    PROMISE(ordered(f->ci_lb, f->ci_ub));
    PROMISE(f->ci_lb <= f->estimate && f->estimate <= f->ci_ub);
    PROMISE(isfinite(f->tau2) && f->tau2 >= 0);
    PROMISE(!isnan(f->QE) && f->QE >= 0);
    PROMISE(f->QE_p >= 0 && f->QE_p <= 1);
    PROMISE(f->I2 >= 0 && f->I2 <= 100);
    /* Under FE, H2 = QE / (k - 1), which can be below 1. */
    PROMISE(f->method == EVS_METHOD_FE ? f->H2 >= 0 : f->H2 >= 1);
    /* A Knapp-Hartung factor of 0 makes se 0: with an estimate of 0 the test
     * is 0/0 and its p-value NaN, as in metafor; the warning says so. */
    PROMISE((f->pval >= 0 && f->pval <= 1) ||
            (isnan(f->pval) && (f->warnings & EVS_WARN_KNHA_ZERO)));
    if (f->method != EVS_METHOD_FE && f->k >= 2) { /* k = 1: no interval, as metafor */
        PROMISE(ordered(f->pi_lb, f->pi_ub));
        if (tau2_ci) {
            bool lb = !isnan(f->tau2_ci_lb), ub = !isnan(f->tau2_ci_ub);
            PROMISE((lb && ub) || (f->warnings & EVS_WARN_TAU2_CI_FAILED));
            PROMISE(!(lb && ub) || f->tau2_ci_lb <= f->tau2_ci_ub);
        }
    }
    return NULL;
}
