/*
 * fit_invariants.h -- what every fitted model promises, whatever its input.
 * Shared by the fuzz targets (tests/fuzz) and the robustness simulation
 * (tests/robust/sim_robust.c).
 */
#ifndef EVS_FIT_INVARIANTS_H
#define EVS_FIT_INVARIANTS_H

#include <stdbool.h>

#include "evsynth/fit.h"

/*
 * NULL when a fit that returned EVS_OK keeps its promises: converged, or
 * flagged EVS_WARN_NOT_CONVERGED; when converged, a finite estimate and se
 * with the estimate inside its CI, tau2 >= 0, I2 in [0, 100], H2 >= 1 (>= 0
 * under FE), p-values in [0, 1], an ordered prediction interval, and a
 * Q-profile CI (tau2_ci: it was asked for) ordered or flagged as failed.
 * Otherwise the text of the first broken promise.
 */
const char *evs_fit_violation(const evs_fit *f, bool tau2_ci);

#endif
