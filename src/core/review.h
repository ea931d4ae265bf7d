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

#include "fit.h"
#include "measure.h"

#define EVS_MAX_WINDOWS 8
#define EVS_MAX_CORRELATIONS 8

typedef enum evs_outcome_type {
    EVS_OUTCOME_CHANGE,    /* mean change from baseline (before minus after) */
    EVS_OUTCOME_PROPORTION /* events out of n */
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
    char *literature_search, *review_date, *last_review, *next_review; /* ISO dates */
    bool regulatory_approved;
    char *regulatory_status, *regulatory_source;
    size_t npolicies, noutcomes, nwindows;
    evs_policy *policies;
    evs_outcome_spec *outcomes;
    evs_window *windows;
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

#endif
