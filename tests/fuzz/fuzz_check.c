/*
 * fuzz_check.c -- shared by the fuzz targets: the fit check that aborts,
 * and libFuzzer's initialisation.
 */
#include <gsl/gsl_errno.h>

#include "fit_invariants.h"
#include "fuzz.h"

void fuzz_check_fit(const evs_fit *f, bool tau2_ci)
{
    const char *broken = evs_fit_violation(f, tau2_ci);
    if (broken != NULL) {
        fprintf(stderr, "invariant broken: %s\n", broken);
        abort();
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
