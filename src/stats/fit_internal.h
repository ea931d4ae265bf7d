/*
 * fit_internal.h -- what fit.c offers the engine's other files beyond
 * fit.h: the common-effect fit from running sums (leave-one-out, diag.c).
 */
#ifndef EVS_FIT_INTERNAL_H
#define EVS_FIT_INTERNAL_H

#include "evsynth/fit.h"
#include "tau2_internal.h"

/*
 * The sums a common-effect (FE) fit needs, with w = 1/v and yc = y - center:
 * s0 = sum w, s1 = sum w yc, s2 = sum w yc^2, t = sum w^2, and the smallest
 * and largest v (for EVS_WARN_VI_RATIO).
 */
typedef struct evs_fe_sums {
    double s0, s1, s2, t, vmin, vmax;
} evs_fe_sums;

/*
 * The FE fit of k >= 2 studies from their sums, as evs_fit_rma() gives it
 * for method FE (no Q-profile interval), in O(1): for leave-one-out
 * (diag.c).  The caller guards against cancellation in the sums.  Tests z,
 * knha and adhoc only (IQWiG 6's rule needs the variances): EVS_EINVAL for
 * another test or method.
 */
EVS_INTERNAL evs_status evs_fit_fe_sums(const evs_fe_sums *s, size_t k, double center,
                                        const evs_fit_options *opt, evs_fit_workspace *ws,
                                        evs_fit *fit, evs_error *err);

#endif
