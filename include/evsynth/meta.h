/*
 * meta.h -- one meta-analysis from study data to pooled result:
 * effect sizes (measure.h) for every row, the rows with complete data, and
 * the model fit (fit.h) with per-study weights.
 */
#ifndef EVS_META_H
#define EVS_META_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/error.h"
#include "evsynth/fit.h"
#include "evsynth/measure.h"
#include "evsynth/studies.h"

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
} evs_meta;

/*
 * Compute effect sizes for every row of s, leave out rows with a missing
 * input, and fit the model.  eo and fo may be NULL for the defaults; ws may
 * be NULL.  Errors name s->source, the line and the column.  Fewer than two
 * usable rows is an error that lists why rows were left out.
 */
evs_meta *evs_meta_run(const evs_studies *s, evs_measure m, const evs_escalc_options *eo,
                       const evs_fit_options *fo, evs_fit_workspace *ws, evs_error *err);

void evs_meta_free(evs_meta *meta);

/* Number of rows left out because an input was missing. */
size_t evs_meta_omitted(const evs_meta *meta);

#endif
