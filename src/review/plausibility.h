/*
 * plausibility.h -- numbers that are possible but unlikely, or impossible on
 * the outcome's scale: the checks of `evsynth check` that catch a typo before
 * it reaches a verdict (an SD of 25 typed for 2.5 on a 0-10 scale flips
 * criteria).  Each problem names outcomes.csv, the line and the column.
 *
 *  errors    an SD (or SE x sqrt(n)) larger than the largest an SD of n
 *            values on the outcome's bounded scale can be: half the scale's
 *            range, times sqrt(n / (n - 1)) for the n - 1 divisor (a change
 *            score: the scale's whole range); a mean outside the scale is
 *            checked where the scale is read (review_io.c).
 *  warnings  an SD larger than the largest n values with the row's mean can
 *            have on the scale (Bhatia and Davis 2000, Am Math Monthly
 *            107:353-357: variance <= (hi - mean)(mean - lo), times
 *            n / (n - 1)); a standardised difference above 5 in absolute value (SMD,
 *            SMCC, SMCR; for an MD comparison, the MD over the pooled SD of
 *            its two arms); an n that differs from the first n of the same
 *            study (rows in patients) when neither row has a note and the
 *            row's quote does not give that n; an n above the patients the
 *            study enrolled (studies.csv).
 */
#ifndef EVS_PLAUSIBILITY_H
#define EVS_PLAUSIBILITY_H

#include "review/evidence.h"
#include "review/problems.h"
#include "review/review.h"

/* Largest absolute standardised difference before a warning. */
#define EVS_PLAUSIBLE_SMD 5.0

/*
 * The errors on single observations (an SD against the scale).
 * field_col[f] is the 1-based column of observation field f in outcomes.csv
 * (0 if absent).
 */
void evs_plausibility_values(const evs_review *rv, const evs_evidence *ev, const long *field_col,
                             evs_problems *problems);

/*
 * The warnings: the n of a study's rows and the effects the analyses would
 * pool (standardised differences).  Run on a review without errors, since
 * they build the analyses' datasets.  Out of memory is recorded as
 * EVS_ENOMEM.
 */
void evs_plausibility_effects(const evs_review *rv, const evs_evidence *ev, const long *field_col,
                              evs_problems *problems);

#endif
