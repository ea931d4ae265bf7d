/*
 * counting.h -- what a review counts as a study, and who contributes to
 * what.
 *
 * An analysis pools rows, and a row may be an arm or a subgroup of a study
 * (Kortman 2013's fractures and lesions): the rows of one study count as one
 * study wherever studies are counted (the summary of findings, GRADE's
 * study counts, the criteria's "at least N studies").  Across a review, the
 * reports of one overlap group are one cohort (dataset.h): the evidence base
 * counts cohorts, with the participants of each cohort's largest report that
 * enters an analysis, and lists apart the included reports that enter none.
 */
#ifndef EVS_COUNTING_H
#define EVS_COUNTING_H

#include <stddef.h>

#include "review/dataset.h"
#include "review/evidence.h"
#include "review/review.h"

/*
 * The studies among rows of ds: the number of distinct whole studies the
 * rows belong to.  rows lists row indices (NULL: every row of ds) and nrows
 * their number.
 */
size_t evs_count_studies(const evs_evidence *ev, const evs_dataset *ds, const size_t *rows,
                         size_t nrows);

typedef struct evs_contributions {
    size_t reports;      /* included whole studies with a row in at least one analysis */
    size_t studies;      /* those reports as cohorts: an overlap group counts once */
    double participants; /* each cohort's largest contributing report's n, where known */
    size_t reports_unknown_n; /* contributing reports without an n */
    size_t by_design[EVS_MAX_CLASSES]; /* contributing reports by design class */
    int year_min, year_max;            /* of the contributing reports (0: none dated) */
    size_t nidle;  /* included whole studies that enter no analysis */
    size_t *idle;  /* their indices, in studies.csv order (malloc'd; NULL when none) */
} evs_contributions;

/*
 * Build every analysis's dataset and count who contributes.  The result is
 * the caller's, freed with evs_contributions_free.  EVS_ENOMEM (err filled)
 * when out of memory.
 */
evs_status evs_count_contributions(const evs_review *rv, const evs_evidence *ev,
                                   evs_contributions *c, evs_error *err);
void evs_contributions_free(evs_contributions *c);

#endif
