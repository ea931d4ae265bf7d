/*
 * evidence.h -- the evidence base of a review: studies (or study arms) and
 * what each reported, one observation per study, outcome and time point,
 * in the form it was reported (mean and SD, median and IQR, events of n...).
 *
 * Readers (src/io/review_io.c) fill it from studies.csv and outcomes.csv;
 * dataset.h turns it into the inputs of each meta-analysis.  All strings
 * live in the evidence's own arena and are freed with it.
 */
#ifndef EVS_EVIDENCE_H
#define EVS_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/error.h"

typedef enum evs_arm {
    EVS_ARM_WHOLE,        /* a whole study (no parent) */
    EVS_ARM_INTERVENTION, /* an arm or subgroup that received the intervention */
    EVS_ARM_CONTROL,      /* the comparison arm */
    EVS_ARM_COUNT
} evs_arm;

typedef enum evs_time_kind {
    EVS_TIME_BASELINE,
    EVS_TIME_WEEKS,    /* a follow-up at obs.weeks */
    EVS_TIME_UNSTATED  /* a follow-up whose time the study does not state */
} evs_time_kind;

/*
 * A study or an arm.  An arm's empty fields are its parent's (the reader
 * fills them in), so every record carries its design, population,
 * comparator and setting.  Those four are indices into the review's
 * vocabularies (review.h: evs_review_class); setting is EVS_NO_CLASS when
 * the study does not say where it was done.
 */
typedef struct evs_study {
    const char *id, *label, *author, *citation, *technique, *guidance;
    const char *overlap_group; /* "" when none */
    const char *exclusion_reason, *pmid, *doi, *url, *policy_ref, *note;
    long parent;  /* index of the parent study, or -1 */
    evs_arm arm;
    int year;     /* 0 when unknown */
    size_t design, population, comparator, setting;
    double n;     /* NaN when unknown */
    bool n_secondary;
    bool included;
    bool abstract; /* a conference abstract, not a peer-reviewed paper */
    long line;    /* line in studies.csv */
} evs_study;

/* Columns of an observation, for messages. */
typedef enum evs_obs_field {
    EVS_OBS_N, EVS_OBS_MEAN, EVS_OBS_SD, EVS_OBS_SE, EVS_OBS_CI_LB, EVS_OBS_CI_UB,
    EVS_OBS_MEDIAN, EVS_OBS_Q1, EVS_OBS_Q3, EVS_OBS_MIN, EVS_OBS_MAX, EVS_OBS_EVENTS,
    EVS_OBS_PERCENT, EVS_OBS_FIELD_COUNT
} evs_obs_field;

typedef struct evs_obs {
    size_t study; /* index into the studies */
    const char *outcome, *time_label, *scale, *unit, *definition, *url, *quote, *note;
    const char *derivation; /* how numbers not in the quote were obtained ("" if none) */
    const char *certainty;  /* a published review's certainty of this finding ("" if none) */
    evs_time_kind time;
    double weeks; /* for EVS_TIME_WEEKS */
    double v[EVS_OBS_FIELD_COUNT]; /* NaN when not reported */
    bool secondary;
    long line;
} evs_obs;

typedef struct evs_evidence evs_evidence;
struct evs_evidence {
    size_t nstudies, nobs;
    evs_study *studies;
    evs_obs *obs;
    size_t studies_cap, obs_cap;
    const char *studies_file, *outcomes_file;
    struct evs_appraisal *appraisal; /* appraisal.csv; NULL when the folder has none */
    struct evs_arena *arena;
};

evs_evidence *evs_evidence_alloc(void);
void evs_evidence_free(evs_evidence *ev);

/* Copy s into the evidence's arena; NULL if out of memory. */
const char *evs_evidence_strdup(evs_evidence *ev, const char *s);

/* Append a zeroed record and return it (NULL if out of memory). */
evs_study *evs_evidence_add_study(evs_evidence *ev);
evs_obs *evs_evidence_add_obs(evs_evidence *ev);

/* Index of the study with this id, or -1. */
long evs_evidence_find(const evs_evidence *ev, const char *id);

/* The top-level study a record belongs to (itself when it has no parent). */
size_t evs_evidence_root(const evs_evidence *ev, size_t study);

/*
 * A published review's certainty (outcomes.csv column certainty): "high",
 * "moderate", "low", "very_low", a range of two joined by '-' ("high-moderate",
 * as a review rates several outcomes together), or "not_stated" (the review's
 * words are in the quote, with no GRADE level).  False if it is none of
 * these; else *lo and *hi (may be NULL) are the lower and the upper level,
 * as evs_certainty (1 very low to 4 high), 0 for not_stated.
 */
bool evs_published_certainty(const char *text, int *lo, int *hi);

/* Name tables in the vocabulary of studies.csv. */
const char *evs_arm_name(evs_arm a);
bool evs_arm_from_name(const char *name, evs_arm *a);
const char *evs_obs_field_name(evs_obs_field f);

/* "1 case series", "3 retrospective series", "2 prospective single-arm studies". */
void evs_count_text(size_t n, const char *label, char *buf, size_t cap);

#endif
