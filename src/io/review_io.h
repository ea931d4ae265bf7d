/*
 * review_io.h -- reading and checking a review folder:
 *
 *   REVIEW_DIR/review.ini     settings (libinih)
 *   REVIEW_DIR/studies.csv    one row per study or study arm
 *   REVIEW_DIR/outcomes.csv   one row per study, outcome and time point
 *   REVIEW_DIR/appraisal.csv  optional: risk of bias per study (io/appraisal_io.h),
 *                             kept as evidence->appraisal
 *
 * The format is documented for analysts in data/README.md.  Every problem
 * found is reported, as FILE:LINE:COLUMN: message, not only the first.
 */
#ifndef EVS_REVIEW_IO_H
#define EVS_REVIEW_IO_H

#include "review/evidence.h"
#include "review/problems.h"
#include "review/review.h"

/*
 * Read and check the folder.  Problems are appended to problems.  On
 * success (no problems) *review and *evidence are set and owned by the
 * caller; otherwise they are NULL.  Returns evs_problems_status(problems).
 */
evs_status evs_review_load(const char *dir, evs_review **review, evs_evidence **evidence,
                           evs_problems *problems);

#endif
