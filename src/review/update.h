/*
 * update.h -- the signals that a review needs updating, from the results
 * of the last review and of this one: what is new, whether it may change
 * the conclusion, and the update status that follows.
 *
 * The signals (each names its numbers):
 *
 *   new trial           a new randomised trial, or a new controlled
 *                       (non-randomised comparative) study: the design
 *                       that can change GRADE's starting level
 *   larger study        a new study with more participants than all the
 *                       previous studies together (Garner et al. 2016: new
 *                       studies "large enough to change the findings")
 *   CI and no effect    a pooled CI that now includes, or no longer
 *                       includes, no effect: Shojania et al. 2007's "change
 *                       in statistical significance"
 *   CI and the MCID     a pooled CI that now includes, or no longer
 *                       includes, the MCID (for a harm, its threshold):
 *                       the same question at the size that matters
 *   relative change     a pooled estimate that changed by 50% or more of
 *                       the previous one (Shojania et al. 2007, Ann Intern
 *                       Med 147:224-233: "a relative change in effect
 *                       magnitude of at least 50%"), on the analysis's own
 *                       scale (points, or percent for rates)
 *   certainty           a GRADE certainty that changed
 *   harm                a harm's pooled rate newly above, or no longer
 *                       above, its threshold (the rule of criterion 3)
 *   regulatory          approval or the regulatory status changed
 *   criterion           a criterion's verdict changed
 *   conclusion          the conclusion changed (investigational or not)
 *
 * The update status, in the spirit of Garner P, Hopewell S, Chandler J, et
 * al. When and how to update systematic reviews: consensus and checklist.
 * BMJ 2016;354:i3507 (are there new studies or information, and could they
 * change the findings?):
 *
 *   conclusion changed        the conclusion signal
 *   may change the conclusion any other signal
 *   conclusion unchanged      new evidence (a study added or removed, a
 *                             pooled estimate or CI that moved) and no signal
 *   no new evidence           none of these
 *
 * Pure: the report layer reads the two results.json into these structs and
 * writes the sentences.
 */
#ifndef EVS_UPDATE_H
#define EVS_UPDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/error.h"

/* The threshold of a relative change (Shojania et al. 2007): 50%. */
#define EVS_UPDATE_RELATIVE_CHANGE 0.5

typedef struct evs_update_study {
    const char *id, *label, *design; /* design in studies.csv's vocabulary */
    double n;                        /* NaN when unknown */
} evs_update_study;

typedef struct evs_update_analysis {
    const char *id;       /* "pain.early" */
    const char *label, *window_label;
    bool pooled, percent, harm, primary;
    double k;                      /* studies pooled */
    double estimate, ci_lb, ci_ub; /* on the display scale */
    double mcid;                   /* the MCID, or a harm's threshold */
    const char *certainty;         /* "very low"...; "" when not rated */
} evs_update_analysis;

/* What the signals compare, of one review's results. */
typedef struct evs_update_side {
    size_t nstudies, nanalyses, ncriteria;
    const evs_update_study *studies; /* the included studies */
    const evs_update_analysis *analyses;
    const char *const *criteria; /* verdicts, "met"..., in criterion order */
    bool investigational;
    bool approved;
    const char *regulatory_status;
} evs_update_side;

typedef enum evs_signal_kind {
    EVS_SIGNAL_NEW_RANDOMISED,
    EVS_SIGNAL_NEW_CONTROLLED,
    EVS_SIGNAL_LARGER_STUDY,
    EVS_SIGNAL_NULL,        /* the CI and no effect */
    EVS_SIGNAL_MCID,        /* the CI and the MCID or threshold */
    EVS_SIGNAL_RELATIVE,
    EVS_SIGNAL_CERTAINTY,
    EVS_SIGNAL_HARM,
    EVS_SIGNAL_REGULATORY,
    EVS_SIGNAL_CRITERION,
    EVS_SIGNAL_CONCLUSION,
    EVS_SIGNAL_KIND_COUNT
} evs_signal_kind;

typedef struct evs_signal {
    evs_signal_kind kind;
    long study;    /* index into new->studies (new trial, larger study), or -1 */
    long analysis; /* index into new->analyses, or -1 */
    long previous; /* index of the same analysis in old->analyses, or -1 */
    int criterion; /* 0-based, for EVS_SIGNAL_CRITERION */
    bool now;      /* the CI now includes the value; the harm is now above; approved now */
    double value;  /* the relative change (a fraction); the previous total n (larger study) */
} evs_signal;

typedef enum evs_update_status {
    EVS_UPDATE_NO_NEW_EVIDENCE,
    EVS_UPDATE_UNCHANGED,
    EVS_UPDATE_MAY_CHANGE,
    EVS_UPDATE_CHANGED
} evs_update_status;

typedef struct evs_update {
    size_t n, cap;
    evs_signal *signals; /* in the order of the kinds, then of the new results */
    size_t added, removed; /* studies */
    size_t moved;          /* analyses whose estimate, CI or k changed, or that are new or gone */
    evs_update_status status;
} evs_update;

/*
 * Compare the results.  *out is filled (free with evs_update_free).
 * EVS_ENOMEM when out of memory.
 */
evs_status evs_update_compare(const evs_update_side *old, const evs_update_side *new,
                              evs_update *out);
void evs_update_free(evs_update *u);

/* "no new evidence", "new evidence, conclusion unchanged", ... */
const char *evs_update_status_name(evs_update_status s);

#endif
