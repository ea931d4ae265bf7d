/*
 * compare.h -- how a published systematic review (a study whose design has
 * the role benchmark) is compared with this review, like for like.
 *
 * Each reported result of a benchmark is set beside a pool of this review's
 * studies that matches it (data/README.md, "Comparison with published
 * reviews"):
 *
 *  - the same outcome: the review outcome (not a between-arm one) whose data
 *    is the benchmark's outcome, or its mean change "<data>_change";
 *  - the same population: only the studies of the benchmark's population
 *    class, unless that class covers every population of the review
 *    (covers_all in its [population.ID]);
 *  - the same time: a benchmark at a stated time is compared, in the window
 *    that holds that time, with each study's follow-up nearest to it (the
 *    earliest one for a benchmark at 24-48 hours, not the latest in the
 *    window); a benchmark without a stated time (its post-procedure value,
 *    or its latest follow-up) with each study's latest follow-up, at a
 *    stated time if the study gives one.  A rate is compared with the rate
 *    analysis, which is over any time.
 *
 * The pool itself follows every other rule of dataset.h (overlap groups,
 * arms, conversions).
 */
#ifndef EVS_COMPARE_H
#define EVS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "review/dataset.h"
#include "review/evidence.h"
#include "review/review.h"

typedef struct evs_compare_match {
    size_t outcome;       /* index into the review's outcomes */
    long window;          /* a window index, or EVS_WINDOW_ALL */
    long baseline;        /* change: the benchmark's baseline observation, or -1 */
    bool change_reported; /* the benchmark reports the mean change itself */
    evs_dataset_select sel;
} evs_compare_match;

/*
 * Is observation obs a benchmark's result that this review can be compared
 * with?  If so, fills m and returns true.  A change needs the benchmark's
 * mean after with its mean before, or its mean change; a timed change needs
 * a window of the outcome that holds its time; a rate needs a count or a
 * percentage.
 */
bool evs_compare_match_obs(const evs_review *rv, const evs_evidence *ev, size_t obs,
                           evs_compare_match *m);

#endif
