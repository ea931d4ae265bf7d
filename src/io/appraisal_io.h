/*
 * appraisal_io.h -- reading and checking REVIEW_DIR/appraisal.csv, the
 * review team's risk-of-bias appraisals (review/appraisal.h), in long form:
 * one row per study, tool, domain (or "overall") and judgement, with the
 * text that supports it.  The format is documented for analysts in
 * data/README.md.
 */
#ifndef EVS_APPRAISAL_IO_H
#define EVS_APPRAISAL_IO_H

#include "review/appraisal.h"
#include "review/evidence.h"
#include "review/problems.h"
#include "review/review.h"

/*
 * Read path against the review's studies and outcomes.  Every problem is
 * added to problems, as FILE:LINE:COLUMN: message.  Returns the appraisals
 * (strings in ev's arena; free with evs_appraisal_free()), or NULL when the
 * file has problems or memory runs out (then a problem says so).
 */
evs_appraisal *evs_appraisal_read(const char *path, const evs_review *rv, evs_evidence *ev,
                                  evs_problems *problems);

#endif
