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
    unsigned threads;    /* every subset: fit on this many threads, 1 to
                            EVS_GOSH_THREADS_MAX (0 counts as 1).  The callback is
                            still called on the caller's thread, in the same order
                            and with the same values as on one thread.  Random
                            subsets are always drawn and fitted on one thread. */
} evs_gosh_options;

#define EVS_GOSH_THREADS_MAX 256

/*
 * Every subset is visited in chunks of this many.  Each chunk starts its
 * tau^2 iterations afresh (and its FE and DL running sums from the chunk's
 * first subset), so chunks can be fitted in any order or in parallel
 * (evs_gosh_range) with the same results as evs_gosh().
 */
#define EVS_GOSH_CHUNK 32768

/* Number of subsets evs_gosh() will visit: o->samples, or 2^k - 1
 * (UINT64_MAX for k >= 63, where evs_gosh() refuses every subset). */
uint64_t evs_gosh_count(size_t k, const evs_gosh_options *o);

/*
 * Visit the subsets of y[0..k), v[0..k) (effect sizes and their sampling
 * variances, v > 0 and finite, as evs_fit_rma() takes them): fn is called
 * once per subset, on the caller's thread, until it returns nonzero.
 * k <= EVS_GOSH_KMAX; every subset only for k <= 62.  A random subset has
 * size m with probability proportional to choose(k, m), m = 1..k, as
 * metafor draws them.  Memory: one fit workspace and one chunk of
 * EVS_GOSH_CHUNK results per thread, freed before returning.
 *
 * Errors: EVS_EDATA for k outside those limits, EVS_EINVAL for threads above
 * EVS_GOSH_THREADS_MAX, EVS_ENOMEM, or a fit's error.  The subsets handed to
 * fn before the error stay handed; nothing else is left behind.  A thread
 * that cannot be started is not an error: its chunk is fitted on the
 * caller's thread instead, with the same results.  fn stopping early is
 * not an error (EVS_OK).
 */
evs_status evs_gosh(const double *y, const double *v, size_t k, const evs_gosh_options *o,
                    evs_gosh_fn fn, void *ctx, evs_error *err);

/*
 * The subsets number first .. first + n - 1 (1-based) of evs_gosh()'s
 * every-subset order into out[0..n) (owned by the caller), with the fit
 * workspace ws (one per thread).  Gives evs_gosh()'s results when
 * first - 1 is a multiple of EVS_GOSH_CHUNK and n is at most EVS_GOSH_CHUNK.
 * k <= 62.  Errors: EVS_EINVAL for a range outside the subsets (out
 * untouched), or a fit's error (out partly filled).
 */
evs_status evs_gosh_range(const double *y, const double *v, size_t k,
                          const evs_fit_options *fit, uint64_t first, size_t n,
                          evs_fit_workspace *ws, evs_gosh_subset *out, evs_error *err);

/*
 * The summary of the subsets, as metafor's print.gosh.rma() and the
 * with/without comparison of its plot: the range and mean of the estimate
 * and of I^2 over the subsets whose fit converged, and, per study, the means
 * over the converged subsets with and without it.  Fill it by calling
 * evs_gosh_summary_add() from the evs_gosh() callback; it allocates nothing.
 * Sums are accumulated in the order of the subsets, so the summary of a
 * threaded run is the one-thread summary, bit for bit.
 */
typedef struct evs_gosh_summary {
    size_t k;               /* studies */
    bool per_study;         /* keep the per-study sums (with_*) */
    uint64_t subsets;       /* subsets added */
    uint64_t not_converged; /* of which the tau^2 iterations did not converge */
    double estimate_min, estimate_max, estimate_sum;
    double I2_min, I2_max, I2_sum; /* percent */
    /* per study j < k: converged subsets with study j, and their sums */
    uint64_t with_n[EVS_GOSH_KMAX];
    double with_estimate[EVS_GOSH_KMAX], with_I2[EVS_GOSH_KMAX];
} evs_gosh_summary;

typedef enum evs_gosh_quantity { EVS_GOSH_ESTIMATE, EVS_GOSH_I2 } evs_gosh_quantity;

/* An empty summary of subsets of k <= EVS_GOSH_KMAX studies. */
void evs_gosh_summary_init(evs_gosh_summary *s, size_t k, bool per_study);

/* Count one subset (a non-converged one only in subsets and not_converged). */
void evs_gosh_summary_add(evs_gosh_summary *s, const evs_gosh_subset *subset);

/* The mean of q over the converged subsets; NaN when none converged. */
double evs_gosh_summary_mean(const evs_gosh_summary *s, evs_gosh_quantity q);

/*
 * The mean of q over the converged subsets that contain study j (with) or
 * do not (!with); NaN when there are none, or without per_study.
 */
double evs_gosh_summary_mean_study(const evs_gosh_summary *s, size_t j, bool with,
                                   evs_gosh_quantity q);

#endif
