/*
 * meta.h -- one meta-analysis from study data to pooled result: effect
 * sizes (measure.h) for every row, the rows with complete data, and the
 * model fit (fit.h) with per-study weights.  This is the one analysis path:
 * `evsynth meta`, `evsynth batch`, `evsynth gosh` and the review's
 * synthesis all go through it, so they accept the same data and give the
 * same messages.
 *
 * Two ways to call it:
 *
 *   evs_meta_run()   allocates the result; free it with evs_meta_free().
 *   evs_meta_fit()   fills a caller-owned evs_meta whose arrays live in a
 *                    caller-owned workspace (GSL's style): once the
 *                    workspace has grown to the largest k, a fit allocates
 *                    nothing, which is what makes a batch of 10^5 analyses
 *                    fast.  The result is valid until the next fit with the
 *                    same workspace, or until the workspace is freed.
 *
 * Units: yi and vi on the measure's analysis scale (log risk ratio, ...),
 * weights in percent.  Errors (evs_error.code): EVS_EDATA for data that
 * cannot be pooled (fewer than two usable rows, an impossible value, a
 * model that cannot be computed), naming s->source, the line and the
 * column; EVS_ENOMEM when memory runs out; EVS_EINVAL for options outside
 * their ranges.  A fit that did not converge is not an error: it is
 * returned with fit.converged false and the reason in fit.warnings.
 */
#ifndef EVS_META_H
#define EVS_META_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/error.h"
#include "evsynth/fit.h"
#include "evsynth/measure.h"
#include "evsynth/studies.h"

typedef struct evs_meta_workspace evs_meta_workspace;

typedef struct evs_meta {
    evs_measure measure;
    const evs_studies *studies; /* borrowed: must outlive the evs_meta */

    /* Per input row (studies->k of each). */
    evs_effects effects;

    /* The rows used in the fit: k of them, in input order. */
    size_t k;
    size_t *included; /* row index of each */
    double *y, *v;    /* their yi and vi */
    double *weights;  /* percent */
    double nhm;       /* harmonic mean sample size of the included rows (PFT) */

    evs_fit fit;

    evs_meta_workspace *owned_; /* evs_meta_run()'s own workspace; NULL otherwise */
} evs_meta;

/*
 * A workspace for evs_meta_fit(); it grows to the largest k it has seen.
 * NULL if out of memory.  evs_meta_workspace_free(NULL) does nothing.  One
 * workspace per thread.
 */
evs_meta_workspace *evs_meta_workspace_alloc(void);
void evs_meta_workspace_free(evs_meta_workspace *ws);

/*
 * Compute effect sizes for every row of s, leave out rows with a missing
 * input, and fit the model, into *meta (arrays in ws; see above).  eo and
 * fo may be NULL for the defaults.  Fewer than two usable rows is an error
 * that lists why rows were left out.  On error *meta is left untouched.
 */
evs_status evs_meta_fit(const evs_studies *s, evs_measure m, const evs_escalc_options *eo,
                        const evs_fit_options *fo, evs_meta_workspace *ws, evs_meta *meta,
                        evs_error *err);

/*
 * The same analysis into a newly allocated result.  fit_ws (may be NULL)
 * is a fit workspace to use for the fit; it is borrowed, not kept.
 * Returns NULL on error, with err filled.
 */
evs_meta *evs_meta_run(const evs_studies *s, evs_measure m, const evs_escalc_options *eo,
                       const evs_fit_options *fo, evs_fit_workspace *fit_ws, evs_error *err);

/* Free a result of evs_meta_run(); NULL does nothing. */
void evs_meta_free(evs_meta *meta);

/* The label of the j-th study in the fit (evs_studies_label() of its row). */
const char *evs_meta_label(const evs_meta *meta, size_t j, char buf[EVS_LABEL_DEFAULT_MAX]);

/* Number of rows left out because an input was missing. */
size_t evs_meta_omitted(const evs_meta *meta);

#endif
