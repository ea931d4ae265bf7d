/*
 * synthesis.h -- everything a review's report says, computed once: every
 * analysis of every outcome and time window (pooled model, leave-one-out,
 * cumulative by year, small-study tests, sensitivity analyses, GRADE), the
 * pain-over-time trajectories, the evidence base, the five
 * technology-evaluation criteria and the conclusion that follows from them.
 *
 * The report writers (src/report/report_*.c) only format what is here.
 *
 * The criteria and the conclusion are decided by criteria.h from the
 * pooled analyses; everything here is data, and the report layer writes
 * the sentences.
 */
#ifndef EVS_SYNTHESIS_H
#define EVS_SYNTHESIS_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/bayes.h"
#include "evsynth/error.h"
#include "evsynth/glmm.h"
#include "evsynth/meta.h"
#include "evsynth/meta_diag.h"
#include "review/compare.h"
#include "review/counting.h"
#include "review/dataset.h"
#include "review/criteria.h"
#include "review/evidence.h"
#include "review/grade.h"
#include "review/review.h"

/* One step of a cumulative meta-analysis of a rate, in percent. */
typedef struct evs_rate_step {
    double estimate, ci_lb, ci_ub; /* NaN when not estimable */
    bool estimable;  /* false: no study so far has an event, or every one has only events */
    bool converged;  /* false: the GLMM fit did not converge (glmm.h) */
} evs_rate_step;

typedef struct evs_analysis {
    size_t outcome; /* index into the review's outcomes */
    long window;    /* window index or EVS_WINDOW_* */
    evs_dataset *ds;
    evs_studies *studies;
    evs_meta *meta;      /* NULL when not pooled */
    evs_meta_diag *diag; /* leave-one-out, cumulative by year, bias, r sensitivity */
    size_t *year_order;  /* meta rows by publication year, undated last (k): the
                            cumulative meta-analysis's order */
    /* Rates by the binomial-normal model (glmm below): the cumulative
     * meta-analysis with that model, step j pooling the first j + 1 studies
     * of year_order, so that its last step is the reported estimate; NULL
     * otherwise (diag->cumulative is then the cumulative analysis). */
    evs_rate_step *glmm_cumulative;
    char not_pooled[300]; /* why not pooled; "" when pooled */
    size_t k;         /* rows pooled (or available): studies, arms or subgroups */
    size_t k_studies; /* the studies those rows belong to: a study's arms count once */
    double n; /* participants in the rows pooled (or available) */

    /* Rates (measure PLO) are pooled with the binomial-normal model on the
     * studies' counts (glmm.h), without continuity corrections: the reported
     * estimate, intervals, tau2 and I2 are glmm's; meta keeps the
     * inverse-variance logit model for the diagnostics (leave-one-out,
     * cumulative, small-study tests), whose yi need a correction for zero
     * cells. */
    bool glmm;
    evs_glmm_fit glmm_fit;

    /* On the display scale: points; percent for rates and for a risk
     * difference (percentage points); a ratio for RR and OR. */
    double estimate, ci_lb, ci_ub, pi_lb, pi_ub;
    double I2, tau2; /* of the reported model (glmm's for rates) */
    double null_value;   /* no effect on the decision scale: 0, or NaN for a rate */
    double display_null; /* no effect on the display scale: 0, 1 for a ratio, NaN for a rate */
    bool percent;        /* shown in percent (a rate, or an RD in percentage points) */

    /* On the decision scale of grade.h, which GRADE and the criteria use:
     * the display scale, except for a between-arm comparison of events,
     * where it is the absolute risk difference at the assumed control risk
     * in percentage points, positive when it favours the intervention
     * (fewer harms, more of a good event). */
    double dec_estimate, dec_ci_lb, dec_ci_ub, dec_pi_lb, dec_pi_ub;

    /* Between-arm comparisons of events (RR, OR, RD): what a GRADE summary
     * of findings shows (GRADE guidelines 12, Guyatt et al. 2013): the
     * assumed control risk and the risk with the intervention, per 1,000. */
    bool events_comparison;
    double control_risk;       /* percent: review.ini's, or the control arms' pooled risk */
    bool control_risk_set;     /* from review.ini */
    double events_intervention, events_control, n_intervention, n_control;
    double risk, risk_lb, risk_ub; /* with the intervention, per 1,000 */
    double diff, diff_lb, diff_ub; /* intervention minus control, per 1,000 */

    /* The reported (primary) result above is the frequentist model's, or
     * the Bayesian one's (median, credible and predictive intervals) when
     * the outcome makes it primary and it was fitted.  A single study of a
     * rate (k = 1, meta NULL) has its observed x/n and exact interval in
     * estimate, ci_lb and ci_ub (single). */
    bool single;     /* one study of a rate: estimate, ci_lb, ci_ub are its own */

    /* A comparison (a difference outcome) with one trial: nothing is pooled
     * (meta NULL), and the result is the trial's own: estimate and CI (the
     * CI as the trial reported it, where it did), no tau2, I2 or prediction
     * interval (NaN), its GRADE rating as a single study (grade.h) and its
     * absolute effects for events; the criteria may rest on it, and the
     * reports say "1 trial".  one_yi and one_vi are its escalc() values on
     * the model scale, one_weight its 100% for the risk-of-bias share. */
    bool one_trial;
    double one_yi, one_vi, one_weight;

    /* The frequentist result (display scale), also when it is not primary. */
    double freq_estimate, freq_ci_lb, freq_ci_ub, freq_pi_lb, freq_pi_ub;

    /* The Bayesian normal-normal model (bayes.h) on meta's yi and vi, fitted
     * when the outcome asks (review.h evs_bayes_use: by default for fewer than
     * EVS_BAYES_FEW_STUDIES studies).  tau_scale is the prior's scale used:
     * the outcome's, else 0.5 on the logit scale of PLO, else half the
     * unit-information SD (uisd) of the rows, sqrt(sum n_i / sum 1/v_i)
     * (Röver et al. 2021, Res Synth Methods 12:448-474, section 3.3). */
    bool has_bayes, bayes_primary;
    evs_bayes_fit bayes;     /* analysis scale */
    double tau_scale, uisd;  /* uisd NaN when the default scale did not need it */
    double bayes_estimate, bayes_lb, bayes_ub, bayes_pred_lb, bayes_pred_ub; /* display */
    double bayes_p_exceeds;  /* P(mu beyond the MCID: above it for a benefit, above the
                                threshold rate for a harm); NaN without an MCID */

    /* "" when the reported result is an estimate; else why it is not
     * estimable (evs_analysis_not_estimable), and the reports show the
     * studies and the reason instead of a pooled number. */
    char not_estimable[300];

    /* Participants by the design of the study each row comes from, and by
     * how the row answers the review's question (review.h, evs_class). */
    double n_randomised, n_controlled, n_uncontrolled, n_retrospective;
    double n_population; /* in a population inside the question */
    double n_comparator; /* comparisons: against a comparator inside the question */
    double n_established; /* comparisons: against an established alternative */
    double n_by_comparator[EVS_COMPARATOR_ROLES]; /* comparisons: by the control's role */

    /* Sensitivity: without rows whose mean or SD was estimated or imputed. */
    size_t k_reported;
    bool has_reported;
    evs_fit reported; /* estimate etc. on the model scale */
    double reported_estimate, reported_ci_lb, reported_ci_ub; /* display scale */
    /* Leave-one-out range (display scale) and the studies at its ends. */
    double l1o_min, l1o_max;
    size_t l1o_min_row, l1o_max_row; /* meta rows */
    double egger_p; /* default regtest model; NaN when not computed */

    long *rob_entry;          /* per meta row: its appraisal (evs_appraisal_find), or -1 */
    evs_rob_level *rob_level; /* per meta row: that appraisal's overall, for GRADE */
    evs_grade_result grade; /* valid when meta != NULL or one_trial */

    /* The report's added pools (the comparison with published reviews):
     * the selection the dataset is built with (NULL: none), and light =
     * true: pooled, without diagnostics, sensitivity runs or GRADE. */
    const evs_dataset_select *sel;
    bool light;
} evs_analysis;

/* Pooled mean score at baseline and in each window of a change outcome. */
typedef struct evs_trajectory_point {
    long window; /* EVS_WINDOW_BASELINE, a window index or EVS_WINDOW_UNSTATED */
    size_t k;
    double n, estimate, ci_lb, ci_ub; /* NaN when nothing to show */
    bool pooled;                      /* false: a single study's mean */
} evs_trajectory_point;

#define EVS_TRAJECTORY_MAX (EVS_MAX_WINDOWS + 2)

typedef struct evs_trajectory {
    size_t outcome;
    size_t npoints, ncontrol;
    evs_trajectory_point points[EVS_TRAJECTORY_MAX];  /* the intervention */
    evs_trajectory_point control[EVS_TRAJECTORY_MAX]; /* control arms, if any */
} evs_trajectory;

/* The included evidence base (top-level studies). */
typedef struct evs_evidence_base {
    size_t studies, by_design[EVS_MAX_CLASSES]; /* by design class */
    double participants;      /* sum of the studies' n (where known) */
    size_t studies_unknown_n; /* studies without an n */
    double followup_max_weeks; /* latest follow-up reported by an included study */
    size_t comparative;       /* studies with a control arm */
    double controls;          /* participants in control arms */
    size_t randomised;
    size_t excluded;
    int year_min, year_max;
    bool has_comparisons;      /* the review defines a between-arm outcome */
    size_t comparison_max_k;   /* rows of its largest analysis */
    /* Included whole studies with a control arm, by design, and randomised
     * studies without one (two techniques compared); control arms without n. */
    size_t randomised_controlled, cohorts, randomised_other, controls_unknown;
    evs_contributions in;      /* who enters an analysis (counting.h) */
} evs_evidence_base;

/* A published review's result and the pool of this review that matches it
 * (compare.h). */
typedef struct evs_comparison {
    size_t obs; /* the benchmark's observation */
    evs_compare_match match;
    evs_analysis a; /* the matched pool (light) */
} evs_comparison;

/* A named sensitivity analysis (review.h, evs_sensitivity) of one analysis. */
typedef struct evs_sensitivity_run {
    size_t sensitivity; /* index into the review's sensitivities */
    size_t analysis;    /* index into analyses */
    size_t dropped;     /* rows of the main analysis it leaves out; 0: not rerun */
    evs_dataset_select sel;
    evs_analysis a; /* light; empty when dropped is 0 or the main analysis is not pooled */
} evs_sensitivity_run;

typedef struct evs_synthesis {
    const evs_review *rv;
    const evs_evidence *ev;
    size_t nanalyses, ntrajectories;
    evs_analysis *analyses;
    evs_trajectory *trajectories;
    evs_evidence_base base;
    size_t ncomparisons;
    evs_comparison *comparisons; /* in the order of outcomes.csv */
    /* Sensitivity i of analysis k is sensitivity_runs[i * nanalyses + k]. */
    size_t nsensitivity_runs;
    evs_sensitivity_run *sensitivity_runs;
    bool *sensitivity_drop; /* sensitivity i's studies left out: [i * ev->nstudies + study] */
    evs_criteria_result criteria; /* criterion[i].basis.index is an index into analyses */
} evs_synthesis;

/* Run every analysis of the review.  NULL (err filled) only when out of memory. */
evs_synthesis *evs_synthesize(const evs_review *rv, const evs_evidence *ev, evs_error *err);
void evs_synthesis_free(evs_synthesis *s);

/* A result to show: a pooled one, or one trial's own (one_trial). */
static inline bool evs_has_result(const evs_analysis *a)
{
    return a->meta != NULL || a->one_trial;
}

/* The label of the trial of a one_trial analysis ("Farrokhi 2011"). */
const char *evs_one_trial_label(const evs_synthesis *s, const evs_analysis *a);

/* The label of a meta row of an analysis (the study's label). */
const char *evs_analysis_row_label(const evs_synthesis *s, const evs_analysis *a, size_t row);

/*
 * The meta rows of a pooled analysis in the order of a rule (review.h): order
 * gets meta->k positions into meta->y.  By year, undated studies come last
 * and studies of one year by label; every rule keeps the input order of
 * ties.  Cannot fail.
 */
void evs_analysis_order(const evs_synthesis *s, const evs_analysis *a, evs_study_order how,
                        size_t *order);

/*
 * The not-estimable rules, applied to every pooled analysis (its
 * not_estimable says which, or is ""):
 *  - every row comes from one study (its arms or subgroups): pooling a
 *    study's own arms estimates nothing about a population of studies;
 *  - the reported interval covers at least EVS_UNINFORMATIVE_SHARE percent of
 *    the outcome's possible range (0 to 100% for a rate, scale_max -
 *    scale_min for a score; no rule where the range is not set), as a
 *    Knapp-Hartung interval on 1 degree of freedom does: it excludes
 *    nothing a reader could act on.
 */
#define EVS_UNINFORMATIVE_SHARE 90.0

/* The width rule: ub - lb at least EVS_UNINFORMATIVE_SHARE % of range
 * (false when range is not a positive number or a bound is NaN). */
bool evs_interval_uninformative(double lb, double ub, double range);

/* Model-scale value to the display scale of the analysis. */
double evs_analysis_display(const evs_synthesis *s, const evs_analysis *a, double x);

/*
 * Pooled row m of an analysis (0 <= m < meta->k): its effect and interval
 * on the display scale.  A rate is the study's observed x/n with its exact
 * (Clopper-Pearson) interval, never a continuity-corrected value; a
 * between-arm difference the study reported with a 95% CI keeps that CI as
 * printed (at the review's level 95%); other outcomes get the Wald CI yi -/+
 * z sqrt(vi) at the model's level (as metafor's forest() draws it).
 */
void evs_analysis_row_ci(const evs_synthesis *s, const evs_analysis *a, size_t m, double *est,
                         double *lb, double *ub);

#endif
