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

#include "evsynth/bayes.h"
#include "evsynth/fit.h"
#include "evsynth/measure.h"
#include "review/appraisal.h"
#include "review/criteria.h"
#include "review/grade.h"

#define EVS_MAX_WINDOWS 8
#define EVS_MAX_CORRELATIONS 8
#define EVS_MAX_CLASSES 32     /* classes of one vocabulary */
#define EVS_NO_CLASS ((size_t)-1)

/*
 * Vocabularies belong to the review.  studies.csv names a study's design,
 * population, comparator and setting by the id of a class declared in
 * review.ini ([design.ID], [population.ID], [comparator.ID], [setting.ID]);
 * a review that declares none of a kind gets the defaults (review.c).  The
 * rules see only a class's role and flags, never its name.
 */
typedef enum evs_vocab_kind {
    EVS_VOCAB_DESIGN,
    EVS_VOCAB_POPULATION,
    EVS_VOCAB_COMPARATOR,
    EVS_VOCAB_SETTING,
    EVS_VOCABS
} evs_vocab_kind;

/* What a design is to the GRADE rules. */
typedef enum evs_design_role {
    EVS_DESIGN_RANDOMISED,   /* randomised trial: GRADE starts high */
    EVS_DESIGN_COMPARATIVE,  /* non-randomised study with a control group: starts low */
    EVS_DESIGN_UNCONTROLLED, /* no control group: single-arm studies, series, case reports */
    EVS_DESIGN_BENCHMARK,    /* a systematic review: compared with, never pooled */
    EVS_DESIGN_ROLES
} evs_design_role;

/* What a study's control group received. */
typedef enum evs_comparator_role {
    EVS_COMPARATOR_NONE,         /* no control group */
    EVS_COMPARATOR_SHAM,         /* sham procedure or placebo */
    EVS_COMPARATOR_NO_TREATMENT, /* no treatment, waiting list */
    EVS_COMPARATOR_USUAL_CARE,   /* usual, conservative or non-surgical care */
    EVS_COMPARATOR_ACTIVE,       /* another technique, procedure or drug */
    EVS_COMPARATOR_ROLES
} evs_comparator_role;

/* Where a study was done (criterion 5). */
typedef enum evs_setting_role {
    EVS_SETTING_TRIAL,          /* an investigational setting: a trial's selected centres */
    EVS_SETTING_USUAL_PRACTICE, /* routine care: registries, community hospitals */
    EVS_SETTING_ROLES
} evs_setting_role;

typedef struct evs_class {
    char *id, *label;
    int role;           /* evs_design_role, evs_comparator_role or evs_setting_role;
                           0 for a population */
    bool retrospective; /* design: data collected after the fact (risk of bias) */
    bool established;   /* comparator: an established alternative for this question */
    bool in_question;   /* population, comparator: inside the review's PICO */
    char *arm_label;    /* comparator: the control arm's short name in forest plots
                           ("sham", "usual care"), or NULL ([comparator.ID] arm_label) */
    bool covers_all;    /* population: a published review of this class covers every
                           population of the review (compare.h) */
    long line;          /* of its section in review.ini; 0 for a default */
} evs_class;

typedef struct evs_vocabulary {
    size_t n;
    evs_class items[EVS_MAX_CLASSES];
    bool declared; /* from review.ini, else the defaults */
    bool open;     /* populations not declared: each value seen becomes a class */
} evs_vocabulary;

typedef enum evs_outcome_type {
    EVS_OUTCOME_CHANGE,     /* mean change from baseline (before minus after) */
    EVS_OUTCOME_PROPORTION, /* events out of n */
    EVS_OUTCOME_DIFFERENCE  /* between the arms of a comparative study at follow-up:
                               for scores control minus intervention (MD, SMD);
                               for events intervention against control (RR, OR, RD) */
} evs_outcome_type;

typedef enum evs_role { EVS_ROLE_BENEFIT, EVS_ROLE_HARM } evs_role;

/*
 * The model that pools a between-arm comparison of events ([outcome.ID]
 * model): metafor's inverse-variance rma() today; Mantel-Haenszel and the
 * GLMMs of the engine plug in here.
 */
typedef enum evs_pool_model { EVS_POOL_RMA, EVS_POOL_MODELS } evs_pool_model;

/*
 * When an outcome's analyses also get the Bayesian normal-normal model
 * (bayes.h) beside the frequentist one ([outcome.ID] bayes): by default for
 * fewer than EVS_BAYES_FEW_STUDIES studies, where Knapp-Hartung intervals on
 * k - 1 degrees of freedom say little (IQWiG General Methods 7.0, 10.3.2;
 * Friede et al. 2017, Biom J 59:658-671).
 */
typedef enum evs_bayes_use {
    EVS_BAYES_AUTO,   /* pooled analyses with fewer than EVS_BAYES_FEW_STUDIES studies */
    EVS_BAYES_ALWAYS, /* every pooled analysis */
    EVS_BAYES_NEVER
} evs_bayes_use;

#define EVS_BAYES_FEW_STUDIES 5

/* What to do with follow-ups whose time is not stated. */
typedef enum evs_unstated { EVS_UNSTATED_SEPARATE, EVS_UNSTATED_EXCLUDE } evs_unstated;

/* The order of the study rows of a forest plot ([review] study_order). */
typedef enum evs_study_order {
    EVS_ORDER_YEAR,   /* publication year, undated last; ties by label (the default) */
    EVS_ORDER_LABEL,  /* label, in byte order */
    EVS_ORDER_EFFECT, /* effect, smallest first */
    EVS_ORDER_WEIGHT, /* weight in the model, largest first */
    EVS_ORDER_FILE,   /* as the rows come in studies.csv */
    EVS_ORDER_COUNT
} evs_study_order;

/* "year", "label", ...; and back (false when unknown). */
const char *evs_study_order_name(evs_study_order o);
bool evs_study_order_from_name(const char *name, evs_study_order *o);

typedef struct evs_window {
    char *id, *label;
    double after, until; /* after < t <= until; until is +inf when open */
    long line;
} evs_window;

typedef struct evs_outcome_spec {
    char *id, *label, *data, *unit, *mcid_source;
    char *noun;        /* the outcome in sentences ("pain"); default: data, '_' as spaces */
    char *score_label; /* the score itself, for figures of mean scores (default: label) */
    bool lower_better; /* a lower score or fewer events is better (pain; harms) */
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
    bool comparator_filter;        /* difference: only rows with these comparators */
    bool comparators[EVS_MAX_CLASSES]; /* by comparator class */
    double control_risk;         /* RR, OR, RD: the assumed control risk (percent), or NaN:
                                    the control arms' pooled risk */
    evs_pool_model model;        /* RR, OR, RD */
    double ois;                  /* optimal information size fixed by the review, or NaN */
    double ois_rrr;              /* binary OIS: relative risk reduction, percent */
    /* The Bayesian model ([outcome.ID] bayes, bayes_primary, tau_prior,
     * tau_scale): the prior's scale is on the analysis scale (logit for
     * PLO); NaN for the default, 0.5 on the logit scale, else half the
     * analysis's unit-information SD (synthesis.h). */
    evs_bayes_use bayes;
    bool bayes_primary; /* the Bayesian result is the reported one where fitted */
    evs_tau_prior tau_prior;
    double tau_scale;
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

/*
 * A named sensitivity analysis ([sensitivity.ID] in review.ini): every
 * analysis again without some studies (a study left out takes its arms
 * along), with the reason.  The study ids are resolved against studies.csv
 * when the review is loaded.
 */
#define EVS_MAX_SENSITIVITY_STUDIES 16
typedef struct evs_sensitivity {
    char *id, *label, *reason;
    bool exclude_overlap; /* also leave out every report of an overlap group */
    size_t nstudies;
    size_t studies[EVS_MAX_SENSITIVITY_STUDIES]; /* indices into the evidence's studies */
    char *exclude;        /* the ids as written, for the load's check */
    long line;            /* of exclude in review.ini (else of the section) */
} evs_sensitivity;

typedef struct evs_review {
    char *file; /* path of review.ini */
    char *id, *title, *question, *population, *intervention, *comparator;
    char *technology; /* short name for sentences ("Percutaneous sacroplasty"); the title if unset */
    char *literature_search, *review_date, *last_review, *next_review; /* ISO dates */
    char *evidence_assembled; /* ISO date the evidence base was last assembled, or NULL */
    char *search;             /* how the evidence was found, in words, or NULL */
    bool quotes_required;     /* every pooled number must be in its quote or derived */
    char *previous; /* results.json of the last review, relative to the folder; or NULL */
    double level;   /* confidence level in percent of every interval ([review] level, 95) */
    /* Short names of the arms, for figure columns and "Favours ..." labels
     * ([review] intervention_label, default the technology; comparator_label,
     * default "control"). */
    char *intervention_label, *comparator_label;
    evs_study_order study_order; /* rows of forest plots ([review] study_order, year) */
    bool regulatory_approved;
    char *regulatory_status, *regulatory_source;
    size_t npolicies, noutcomes, nwindows;
    evs_policy *policies;
    evs_outcome_spec *outcomes;
    evs_window *windows;
    evs_vocabulary vocab[EVS_VOCABS];
    evs_grade_settings grade;
    evs_criteria_settings criteria;
    size_t nreasons;
    evs_exclusion_reason *reasons; /* in the order review.ini gives them */
    evs_rob_settings rob; /* [appraisal] and [grade] rob_*_share: risk-of-bias rules */
    size_t nsensitivities;
    evs_sensitivity *sensitivities; /* in the order review.ini gives them */
} evs_review;

void evs_review_free(evs_review *r);

/* Events out of n: a proportion, or a difference measured by RR, OR or RD. */
bool evs_outcome_binary(const evs_outcome_spec *o);

/* The class of kind k with index i (i < r->vocab[k].n). */
const evs_class *evs_review_class(const evs_review *r, evs_vocab_kind k, size_t i);
/* Index of the class of kind k with this id, or EVS_NO_CLASS. */
size_t evs_review_find_class(const evs_review *r, evs_vocab_kind k, const char *id);
/*
 * Append a class (a copy of id, label the id) to vocabulary k; its index, or
 * EVS_NO_CLASS when the vocabulary is full or memory runs out.
 */
size_t evs_review_add_class(evs_review *r, evs_vocab_kind k, const char *id);
/* Fill vocabulary k with evsynth's defaults (see review.c).  false if out of memory. */
bool evs_review_default_vocabulary(evs_review *r, evs_vocab_kind k);

/* "design", "population", "comparator", "setting" */
const char *evs_vocab_name(evs_vocab_kind k);
/* Role names in review.ini's vocabulary ("randomised", "sham", "usual_practice"). */
const char *evs_design_role_name(evs_design_role r);
const char *evs_comparator_role_name(evs_comparator_role r);
const char *evs_setting_role_name(evs_setting_role r);
bool evs_role_from_name(evs_vocab_kind k, const char *name, int *role);
/* A role's number of values (0 for populations, which have none). */
int evs_vocab_roles(evs_vocab_kind k);
const char *evs_vocab_role_name(evs_vocab_kind k, int role);

/*
 * The short name of a difference outcome's control arm, for the column
 * headers and "Favours ..." labels of its forest plots: the arm_label its
 * comparators (outcome comparators = ...) share, else the review's
 * comparator_label.  Never NULL.
 */
const char *evs_outcome_comparator_label(const evs_review *r, const evs_outcome_spec *o);

/* Index of the window or outcome with this id, or -1. */
long evs_review_find_window(const evs_review *r, const char *id);
long evs_review_find_outcome(const evs_review *r, const char *id);
long evs_review_find_reason(const evs_review *r, const char *id);

/*
 * True when text is an ISO 8601 calendar date, YYYY-MM-DD, or a month,
 * YYYY-MM, with a real month and day (leap years included).
 */
bool evs_date_valid(const char *text);

/*
 * True when text can name something of the review (a study, an outcome, a
 * window, a class, a reason, a record): one or more ASCII letters, digits,
 * '_' and '-', so that it is safe in file names, figure names and ids.
 */
bool evs_name_valid(const char *text);

#endif
