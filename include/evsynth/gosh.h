/*
 * gosh.h -- GOSH (graphical display of study heterogeneity; Olkin, Dahabreh
 * & Trikalinos 2012): the model fitted to every subset of the studies, or to
 * a seeded random sample of subsets, as metafor's gosh().
 *
 * All subsets are visited in Gray-code order, so that each differs from the
 * previous one by a single study.  For FE the pooled estimate, Q and I^2
 * then follow from running sums in O(1) per subset, and for DL the estimate
 * needs one pass over the subset; every other estimator is refitted with the
 * full machinery of fit.h.  Single-study subsets give the study itself.
 */
#ifndef EVS_GOSH_H
#define EVS_GOSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evsynth/error.h"
#include "evsynth/fit.h"

#define EVS_GOSH_KMAX 63

typedef struct evs_gosh_subset {
    uint64_t mask; /* bit j set: study j is in the subset */
    size_t k;
    bool converged; /* false: the tau^2 iterations did not converge and
                       estimate, I2 and tau2 are NaN (metafor: NA) */
    double estimate, I2, tau2, QE;
} evs_gosh_subset;

/* Called for each subset; return nonzero to stop early. */
typedef int (*evs_gosh_fn)(const evs_gosh_subset *s, void *ctx);

typedef struct evs_gosh_options {
    evs_fit_options fit; /* the model (method; the test does not matter here) */
    uint64_t samples;    /* 0: every subset; otherwise this many random subsets */
    unsigned long seed;  /* for the random subsets */
} evs_gosh_options;

/*
 * Every subset is visited in chunks of this many.  Each chunk starts its
 * tau^2 iterations afresh (and its FE and DL running sums from the chunk's
 * first subset), so chunks can be fitted in any order or in parallel
 * (evs_gosh_range) with the same results as evs_gosh().
 */
#define EVS_GOSH_CHUNK 32768

/* Number of subsets evs_gosh() will visit. */
uint64_t evs_gosh_count(size_t k, const evs_gosh_options *o);

/*
 * Visit the subsets of y[0..k), v[0..k) (k <= EVS_GOSH_KMAX; every subset
 * only for k <= 62).  A random subset has size m with probability
 * proportional to choose(k, m), m = 1..k, as metafor draws them.
 */
evs_status evs_gosh(const double *y, const double *v, size_t k, const evs_gosh_options *o,
                    evs_gosh_fn fn, void *ctx, evs_error *err);

/*
 * The subsets number first .. first + n - 1 (1-based) of evs_gosh()'s
 * every-subset order into out[0..n), with the fit workspace ws (one per
 * thread).  Gives evs_gosh()'s results when first - 1 is a multiple of
 * EVS_GOSH_CHUNK and n is at most EVS_GOSH_CHUNK.  k <= 62.
 */
evs_status evs_gosh_range(const double *y, const double *v, size_t k,
                          const evs_fit_options *fit, uint64_t first, size_t n,
                          evs_fit_workspace *ws, evs_gosh_subset *out, evs_error *err);

#endif
