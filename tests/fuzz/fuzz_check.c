/*
 * fuzz_check.c -- what every fitted model must satisfy, whatever its input.
 */
#include <math.h>

#include <gsl/gsl_errno.h>

#include "fuzz.h"

static int ordered(double lo, double hi)
{
    return !isnan(lo) && !isnan(hi) && lo <= hi;
}

/* What a fit that returned EVS_OK promises. */
void fuzz_check_fit(const evs_fit *f, bool tau2_ci)
{
    FUZZ_CHECK(f->converged || (f->warnings & EVS_WARN_NOT_CONVERGED));
    if (!f->converged)
        return;
    FUZZ_CHECK(isfinite(f->estimate));
    FUZZ_CHECK(isfinite(f->se) && f->se >= 0);
    FUZZ_CHECK(ordered(f->ci_lb, f->ci_ub));
    FUZZ_CHECK(f->ci_lb <= f->estimate && f->estimate <= f->ci_ub);
    FUZZ_CHECK(isfinite(f->tau2) && f->tau2 >= 0);
    FUZZ_CHECK(!isnan(f->QE) && f->QE >= 0);
    FUZZ_CHECK(f->QE_p >= 0 && f->QE_p <= 1);
    FUZZ_CHECK(f->I2 >= 0 && f->I2 <= 100);
    /* Under FE, H2 = QE / (k - 1), which can be below 1. */
    FUZZ_CHECK(f->method == EVS_METHOD_FE ? f->H2 >= 0 : f->H2 >= 1);
    /* A Knapp-Hartung factor of 0 makes se 0: with an estimate of 0 the test
     * is 0/0 and its p-value NaN, as in metafor; the warning says so. */
    FUZZ_CHECK((f->pval >= 0 && f->pval <= 1) ||
               (isnan(f->pval) && (f->warnings & EVS_WARN_KNHA_ZERO)));
    if (f->method != EVS_METHOD_FE && f->k >= 2) { /* k = 1: no interval, as metafor */
        FUZZ_CHECK(ordered(f->pi_lb, f->pi_ub));
        if (tau2_ci) {
            bool lb = !isnan(f->tau2_ci_lb), ub = !isnan(f->tau2_ci_ub);
            FUZZ_CHECK((lb && ub) || (f->warnings & EVS_WARN_TAU2_CI_FAILED));
            if (lb && ub)
                FUZZ_CHECK(f->tau2_ci_lb <= f->tau2_ci_ub);
        }
    }
}

/* libFuzzer calls this once; fuzz_replay.c's main() too.  As in main(),
 * GSL reports errors through return codes, never by aborting. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();
    return 0;
}
