/*
 * review.h -- the settings of a review (review.ini): what it asks, the
 * policies it informs, the regulatory status, the outcomes to pool with
 * their measure and model, and the time windows of change outcomes.
 *
 * Filled by src/io/review_io.c.  Strings are owned by the review.  The
 * GRADE and criteria settings are declared with their rules (grade.h,
 * criteria.h).
 */
#ifndef EVS_REVIEW_H
#define EVS_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/fit.h"
#include "evsynth/measure.h"
#include "review/criteria.h"
#include "review/grade.h"

#define EVS_MAX_WINDOWS 8
#define EVS_MAX_CORRELATIONS 8

typedef enum evs_outcome_type {
    EVS_OUTCOME_CHANGE,     /* mean change from baseline (before minus after) */
    EVS_OUTCOME_PROPORTION, /* events out of n */
    EVS_OUTCOME_DIFFERENCE  /* control minus intervention at follow-up, between the
                               arms of a comparative study */
} evs_outcome_type;

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

/* A reason for excluding a full-text report ([exclusion_reasons] in review.ini). */
typedef struct evs_exclusion_reason {
    char *id;    /* the name used in records.csv's ft_reason */
    char *label; /* as the PRISMA flow diagram shows it */
    long line;
} evs_exclusion_reason;

typedef struct evs_review {
    char *file; /* path of review.ini */
    char *id, *title, *question, *population, *intervention, *comparator;
    char *technology; /* short name for sentences ("Percutaneous sacroplasty"); the title if unset */
    char *literature_search, *review_date, *last_review, *next_review; /* ISO dates */
    char *evidence_assembled; /* ISO date the evidence base was last assembled, or NULL */
    char *search;             /* how the evidence was found, in words, or NULL */
    char *previous; /* results.json of the last review, relative to the folder; or NULL */
    double level;   /* confidence level in percent of every interval ([review] level, 95) */
    bool regulatory_approved;
    char *regulatory_status, *regulatory_source;
    size_t npolicies, noutcomes, nwindows;
    evs_policy *policies;
    evs_outcome_spec *outcomes;
    evs_window *windows;
    evs_grade_settings grade;
    evs_criteria_settings criteria;
    size_t nreasons;
    evs_exclusion_reason *reasons; /* in the order review.ini gives them */
} evs_review;

void evs_review_free(evs_review *r);

/* Index of the window or outcome with this id, or -1. */
long evs_review_find_window(const evs_review *r, const char *id);
long evs_review_find_outcome(const evs_review *r, const char *id);
long evs_review_find_reason(const evs_review *r, const char *id);

/*
 * True when text is an ISO 8601 calendar date, YYYY-MM-DD, or a month,
 * YYYY-MM, with a real month and day (leap years included).
 */
bool evs_date_valid(const char *text);

#endif
