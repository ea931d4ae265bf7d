/*
 * dataset.h -- the input of one meta-analysis of a review: for one outcome
 * (and, for a change outcome, one time window), the row each study
 * contributes, how its numbers were obtained, and why the others do not
 * contribute.
 *
 * Rules (documented for analysts in data/README.md):
 *
 *  - Only included studies contribute; a control arm is the comparison and is
 *    not pooled with the intervention; when a study and one of its arms both
 *    report, the arms are used.
 *  - Overlapping populations contribute once to each analysis.  Of the
 *    reports of one overlap group (studies or arms with the same
 *    overlap_group) that can contribute to the analysis, the one used is the
 *    best by, in order: design (randomised, then comparative, then
 *    uncontrolled; prospective before retrospective, by the design class's
 *    role and flag); a stated follow-up time; a journal paper over a
 *    conference abstract (studies.csv publication); the larger number of
 *    participants; and, on a tie, the first in studies.csv.  The others are
 *    left out, with the report used and the reason.  Different analyses (an
 *    outcome or a window) may so use different reports of one cohort.
 *  - Change outcomes pair the baseline with the latest follow-up inside the
 *    window.  A follow-up with no stated time belongs to the "time not stated"
 *    analysis.  A mean change reported instead of the mean after (outcome
 *    "<data>_change") gives mean after = mean before + change.
 *  - Missing means and SDs are obtained, in this order and each flagged:
 *    SD from SE; SD from a CI; mean and SD from a median with IQR or range
 *    (convert.h; skipped, and the row left out, when the skewness test
 *    rejects normality); a still-missing SD is the pooled SD of the other
 *    rows of the same analysis at the same time (before, or after).
 *  - The pre/post correlation is the review's default (or the value of a
 *    sensitivity run) unless the study reports the SD of the change: with
 *    the SDs before and after it gives r (when in [-1, 1]); with only a mean
 *    change, its SD gives the variance directly (metafor's sd1i = SD of the
 *    change, sd2i = 0, ri = 0).
 *  - Proportion outcomes use events out of n in the review's unit; a
 *    percentage without a count, or a count over another unit, is left out.
 *  - Difference outcomes measured by RR, OR or RD compare events out of n
 *    in each arm (the latest count in the window, or at any time when the
 *    outcome has no windows): ai of n1i in the intervention arm against ci
 *    of n2i in the control arm, so that an RR below 1 is fewer events with
 *    the intervention.
 *  - Difference outcomes compare the arms of a study that has an
 *    intervention and a control arm: the latest follow-up of each arm in the
 *    window, m1i for the control and m2i for the intervention, so that a
 *    positive MD is a lower score with the intervention (as MC's before minus
 *    after).  Missing SDs are obtained as above, per arm.
 *  - A between-arm MD the study reports itself (outcome "<data>_difference"
 *    on the whole study: mean = the MD, in the same direction, with its 95%
 *    CI or SE) is used as reported, in preference to one computed from the
 *    arms in the same window: yi = MD, vi = SE^2 with SE = se, or
 *    (upper - lower) / (2 z_0.975) (Cochrane Handbook 6.5.2.3).  The
 *    analysis is then pooled from yi and vi (metafor's rma(yi, vi)), the
 *    arm-based rows by escalc's MD.  With the outcome's
 *    `comparators` set, the control arm is the study's first whose
 *    comparator is one of them (a three-arm trial can contribute to an
 *    analysis against sham and to one against usual care).
 */
#ifndef EVS_DATASET_H
#define EVS_DATASET_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/measure.h"
#include "evsynth/studies.h"
#include "review/evidence.h"
#include "review/review.h"

/* How a row's numbers were obtained (flags). */
enum {
    EVS_CONV_MEDIAN = 1u << 0,       /* mean and SD from a median with IQR or range */
    EVS_CONV_SE = 1u << 1,           /* SD from a standard error */
    EVS_CONV_CI = 1u << 2,           /* SD from a confidence interval */
    EVS_CONV_SD_IMPUTED = 1u << 3,   /* SD imputed as the pooled SD of the other rows */
    EVS_CONV_FROM_CHANGE = 1u << 4,  /* mean after = mean before + reported change */
    EVS_CONV_R_IMPUTED = 1u << 5,    /* correlation from the review's setting */
    EVS_CONV_R_DERIVED = 1u << 6,    /* correlation from the reported SD of the change */
    EVS_CONV_SECONDARY = 1u << 7,    /* a number from a secondary source */
    EVS_CONV_SD_CHANGE = 1u << 8,    /* variance from the reported SD of the change */
    EVS_CONV_REPORTED = 1u << 9,     /* a between-arm difference as the study reported it */
    EVS_CONV_COUNT_ = 10
};

/* Window indices with a special meaning. */
#define EVS_WINDOW_ALL (-1)      /* proportions: every time point */
#define EVS_WINDOW_UNSTATED (-2) /* change: follow-ups whose time is not stated */
#define EVS_WINDOW_BASELINE (-3) /* the baseline (for the pooled scores over time) */

typedef struct evs_dataset_row {
    size_t study;
    long before, after; /* observation indices (before = -1 for proportions); for a
                           difference, the control's and the intervention's follow-up */
    double weeks;       /* time of the follow-up; NaN when not stated */
    double m1, sd1, m2, sd2, r; /* change: before and after; difference: control and
                                   intervention at follow-up */
    double sd_change;           /* reported SD of the change, or NaN */
    double yi, vi;              /* a difference as reported (EVS_CONV_REPORTED): the MD and
                                   its variance from the CI or SE; NaN otherwise */
    double events;              /* proportions; a binary difference: the intervention arm's */
    double events_control;      /* a binary difference: the control arm's events */
    double n;                   /* participants (both arms for a difference) */
    double n1, n2;              /* per column: n and n for a change; the control
                                   and the intervention arm for a difference */
    long control;               /* difference: the control arm's record, else -1 */
    unsigned conv;              /* EVS_CONV_* */
} evs_dataset_row;

typedef struct evs_dataset_exclusion {
    size_t study;
    long obs; /* the observation concerned, or -1 */
    char reason[200];
} evs_dataset_exclusion;

typedef struct evs_dataset {
    size_t outcome; /* index into the review's outcomes */
    long window;    /* index into the review's windows, or EVS_WINDOW_* */
    double r;       /* the correlation used where a study gives none */
    size_t nrows, nexcl;
    evs_dataset_row *rows;
    evs_dataset_exclusion *excl;
} evs_dataset;

/*
 * Build the dataset of outcome `outcome` in window `window`.  r is the
 * pre/post correlation for studies that give none; NaN means the review's
 * setting.  Returns NULL only when out of memory (err filled).
 */
evs_dataset *evs_dataset_build(const evs_review *rv, const evs_evidence *ev, size_t outcome,
                               long window, double r, evs_error *err);

/*
 * A selection within the rules above, for the analyses the report adds
 * beside the main ones (the like-for-like comparison with published reviews,
 * named sensitivity analyses).  Zero-initialised plus near_weeks = NaN, it
 * selects what evs_dataset_build does.
 *
 *  - near_weeks: in a window, the follow-up nearest this time (the earlier on
 *    a tie) instead of the latest.
 *  - any_time (change outcomes, window EVS_WINDOW_ALL): each study's latest
 *    follow-up with a stated time, or, if it states none, its follow-up of
 *    unstated time.
 *  - population: when filter_population, only studies whose population
 *    class is marked in populations[] contribute.
 *  - drop (NULL or one flag per study of ev): studies left out, with their
 *    arms, for drop_reason.
 * Each study a selection leaves out is listed among the exclusions with why.
 */
typedef struct evs_dataset_select {
    double near_weeks;
    bool any_time;
    bool filter_population;
    bool populations[EVS_MAX_CLASSES];
    const bool *drop;
    const char *drop_reason;
} evs_dataset_select;

/* The selection that changes nothing. */
void evs_dataset_select_init(evs_dataset_select *sel);

/*
 * The studies review sensitivity i ([sensitivity.ID]) leaves out: drop (one
 * flag per study of ev, set here) marks its studies and, for
 * exclude_overlap, every report of an overlap group.
 */
void evs_dataset_sensitivity_drop(const evs_review *rv, const evs_evidence *ev, size_t i,
                                  bool *drop);

/* evs_dataset_build with a selection (NULL: none). */
evs_dataset *evs_dataset_build_sel(const evs_review *rv, const evs_evidence *ev, size_t outcome,
                                   long window, double r, const evs_dataset_select *sel,
                                   evs_error *err);
void evs_dataset_free(evs_dataset *ds);

/*
 * The analyses an outcome has: its windows in order and then, if the review
 * pools them separately, EVS_WINDOW_UNSTATED; or EVS_WINDOW_ALL for a
 * proportion.  Writes up to n window indices and returns how many there are.
 */
size_t evs_dataset_windows(const evs_review *rv, size_t outcome, long *windows, size_t n);

/*
 * Does observation o fall in the window: a window index (after < weeks <=
 * until), EVS_WINDOW_UNSTATED (time not stated), EVS_WINDOW_BASELINE, or
 * EVS_WINDOW_ALL (any follow-up)?
 */
bool evs_dataset_in_window(const evs_review *rv, long window, const evs_obs *o);

/*
 * Of study s's observations of `outcome` (or, change = true, of its mean
 * change "<outcome>_change") in the window, the latest; -1 if none.
 */
long evs_dataset_latest(const evs_review *rv, const evs_evidence *ev, size_t s,
                        const char *outcome, bool change, long window);

/* The label of a window index ("Up to 1 month", "Time not stated", ...). */
const char *evs_dataset_window_label(const evs_review *rv, long window);

/*
 * The rows as escalc input for the outcome's measure: m1i m2i sd1i sd2i ni
 * ri for a change, xi ni for a proportion, m1i sd1i n1i m2i sd2i n2i for a
 * difference of scores (yi vi for every row when one is a difference as
 * reported, evs_dataset_measure()), ai n1i ci n2i for one of events
 * (intervention first); labels are the study labels and
 * lines those of the follow-up observations.  NULL if out of memory.
 */
evs_studies *evs_dataset_studies(const evs_dataset *ds, const evs_review *rv,
                                 const evs_evidence *ev);

/*
 * The measure to fit evs_dataset_studies()'s rows with: the outcome's, or
 * GEN (yi and vi) when a row is a difference as reported.
 */
evs_measure evs_dataset_measure(const evs_dataset *ds, const evs_review *rv);

/* One short phrase per EVS_CONV_* bit, e.g. "SD imputed"; NULL if unknown. */
const char *evs_conv_text(unsigned bit);

#endif
