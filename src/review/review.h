/*
 * review.h -- the settings of a review (review.ini): what it asks, the
 * policies it informs, the regulatory status, the outcomes to pool with
 * their measure and model, and the time windows of change outcomes.
 *
 * Filled by src/io/review_io.c.  Strings are owned by the review.
 */
#ifndef EVS_REVIEW_H
#define EVS_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/fit.h"
#include "evsynth/measure.h"

#define EVS_MAX_WINDOWS 8
#define EVS_MAX_CORRELATIONS 8

typedef enum evs_outcome_type {
    EVS_OUTCOME_CHANGE,     /* mean change from baseline (before minus after) */
    EVS_OUTCOME_PROPORTION, /* events out of n */
    EVS_OUTCOME_DIFFERENCE  /* control minus intervention at follow-up, between the
                               arms of a comparative study */
} evs_outcome_type;

/* The five GRADE domains for rating down the certainty of evidence. */
typedef enum evs_grade_domain {
    EVS_GRADE_RISK_OF_BIAS,
    EVS_GRADE_INCONSISTENCY,
    EVS_GRADE_INDIRECTNESS,
    EVS_GRADE_IMPRECISION,
    EVS_GRADE_PUBLICATION_BIAS,
    EVS_GRADE_DOMAINS
} evs_grade_domain;

/* Certainty of evidence, GRADE's four levels. */
typedef enum evs_certainty {
    EVS_CERTAINTY_VERY_LOW = 1,
    EVS_CERTAINTY_LOW,
    EVS_CERTAINTY_MODERATE,
    EVS_CERTAINTY_HIGH
} evs_certainty;

/*
 * The thresholds of the GRADE rules ([grade] in review.ini); grade.h says
 * how each is used.  Shares are percentages of the participants of an
 * analysis.
 */
typedef struct evs_grade_settings {
    double start_share;             /* design that starts the rating: 50 */
    double rob_uncontrolled_share;  /* risk of bias: no control group, 50 */
    double rob_retrospective_share; /* risk of bias: retrospective design, 50 */
    double i2_serious, i2_very_serious; /* inconsistency: 50, 75 */
    double direct_share;            /* indirectness: compared with the standard of care, 50 */
    double ois;                     /* imprecision: optimal information size, 400 */
    double egger_min_k;             /* publication bias: Egger's test from k = 10 */
    double egger_alpha;             /* and p below 0.10 */
} evs_grade_settings;

/* A reviewer's judgement replacing a rule: rate down `levels` (0, 1 or 2). */
typedef struct evs_grade_override {
    int levels; /* -1 when the rule stands */
    char *reason;
    long line;
} evs_grade_override;

/* The technology-evaluation criteria ([criteria] in review.ini). */
#define EVS_CRITERIA 5

typedef enum evs_verdict {
    EVS_VERDICT_UNDETERMINED, /* cannot be determined with the evidence */
    EVS_VERDICT_MET,
    EVS_VERDICT_NOT_MET
} evs_verdict;

typedef struct evs_criteria_settings {
    evs_certainty min_certainty; /* certainty that permits conclusions: moderate */
    double min_studies;          /* studies for "attainable outside trials": 3 */
    bool has_override[EVS_CRITERIA];
    evs_verdict override[EVS_CRITERIA];
    char *override_reason[EVS_CRITERIA];
    long override_line[EVS_CRITERIA];
} evs_criteria_settings;

typedef enum evs_role { EVS_ROLE_BENEFIT, EVS_ROLE_HARM } evs_role;

/* What to do with follow-ups whose time is not stated. */
typedef enum evs_unstated { EVS_UNSTATED_SEPARATE, EVS_UNSTATED_EXCLUDE } evs_unstated;

typedef struct evs_window {
    char *id, *label;
    double after, until; /* after < t <= until; until is +inf when open */
    long line;
} evs_window;

typedef struct evs_outcome_spec {
    char *id, *label, *data, *unit, *mcid_source;
    evs_outcome_type type;
    evs_role role;
    bool primary;
    evs_measure measure;
    evs_method method;
    evs_test test;
    double scale_min, scale_max; /* NaN when not set */
    double mcid;                 /* points, or percent for proportions */
    size_t nwindows;
    size_t windows[EVS_MAX_WINDOWS]; /* indices into review.windows */
    evs_unstated unstated;
    double correlation;          /* pre/post r when a study gives none */
    size_t ncorrelations;
    double correlations[EVS_MAX_CORRELATIONS]; /* sensitivity analysis */
    double ois;                  /* optimal information size (participants) */
    evs_grade_override grade[EVS_GRADE_DOMAINS]; /* from [grade.ID] */
    long line;
} evs_outcome_spec;

typedef struct evs_policy {
    char *id, *name, *issuer, *codes, *statement, *effective, *last_review,
        *next_review_note, *literature_search;
    long line;
} evs_policy;

typedef struct evs_review {
    char *file; /* path of review.ini */
    char *id, *title, *question, *population, *intervention, *comparator;
    char *technology; /* short name for sentences ("Percutaneous sacroplasty"); the title if unset */
    char *literature_search, *review_date, *last_review, *next_review; /* ISO dates */
    char *previous; /* results.json of the last review, relative to the folder; or NULL */
    bool regulatory_approved;
    char *regulatory_status, *regulatory_source;
    size_t npolicies, noutcomes, nwindows;
    evs_policy *policies;
    evs_outcome_spec *outcomes;
    evs_window *windows;
    evs_grade_settings grade;
    evs_criteria_settings criteria;
} evs_review;

void evs_review_free(evs_review *r);

/* Index of the window or outcome with this id, or -1. */
long evs_review_find_window(const evs_review *r, const char *id);
long evs_review_find_outcome(const evs_review *r, const char *id);

/*
 * True when text is an ISO 8601 calendar date, YYYY-MM-DD, or a month,
 * YYYY-MM, with a real month and day (leap years included).
 */
bool evs_date_valid(const char *text);

/* Names in review.ini's vocabulary: "risk_of_bias", "moderate", "not_met". */
const char *evs_grade_domain_name(evs_grade_domain d);
const char *evs_grade_domain_label(evs_grade_domain d); /* "Risk of bias" */
const char *evs_certainty_name(evs_certainty c);        /* "very low" */
bool evs_certainty_from_name(const char *name, evs_certainty *c);
const char *evs_verdict_name(evs_verdict v);             /* "not met" */
bool evs_verdict_from_name(const char *name, evs_verdict *v);
void evs_grade_settings_default(evs_grade_settings *g);

#endif
