/*
 * grade.h -- certainty of evidence (GRADE) for one analysis, by explicit
 * rules whose thresholds are the review's [grade] settings.
 *
 * Start: high when randomised trials hold at least start_share percent of
 * the participants; low when studies with a control group (randomised or
 * comparative) do; otherwise very low (uncontrolled series).  Then rate
 * down in each domain:
 *
 *  risk of bias      1 for each of: participants from studies without a
 *                    control group >= rob_uncontrolled_share; from
 *                    retrospective series >= rob_retrospective_share.
 *  inconsistency     2 when I2 >= i2_very_serious and the prediction
 *                    interval crosses no effect; otherwise 1 when I2 >=
 *                    i2_serious or the prediction interval crosses the
 *                    MCID or no effect.  With tau2 = 0 the prediction
 *                    interval is the CI, which is imprecision's business.
 *  indirectness      judged against the review's own question (its PICO,
 *                    review.h: classes in_question): 1 for a single-group
 *                    benefit outcome (a change from baseline, a response
 *                    rate: no comparison), or for a comparison in which
 *                    fewer than direct_share percent of the participants
 *                    are compared with a comparator in the question; and 1
 *                    when fewer than direct_share percent are in a
 *                    population in the question.  A sham-controlled trial
 *                    is direct evidence of efficacy when sham is in the
 *                    question.  Rates of harm in treated patients answer
 *                    the safety question directly.
 *  imprecision       1 for each of: total participants below the optimal
 *                    information size; the CI crosses the MCID or no
 *                    effect.
 *  publication bias  1 when Egger's test has p < egger_alpha; assessed only
 *                    when k >= egger_min_k ("not assessable" otherwise).
 *
 * Each domain counts at most 2, the result is never below very low, and
 * evsynth never rates up.  A reviewer's override replaces a domain's rule
 * and is shown with its justification and the rule it replaced.
 *
 * The result is data: each domain's levels and the numbers and conditions
 * the rule looked at.  The sentences are written by the report layer
 * (src/report/report_grade.c).
 */
#ifndef EVS_GRADE_H
#define EVS_GRADE_H

#include <stdbool.h>
#include <stddef.h>

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
 * The thresholds of the GRADE rules ([grade] in review.ini).  Shares are
 * percentages of the participants of an analysis.
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

void evs_grade_settings_default(evs_grade_settings *g);

/* A reviewer's judgement replacing a rule: rate down `levels` (0, 1 or 2). */
typedef struct evs_grade_override {
    int levels; /* -1 when the rule stands */
    char *reason;
    long line;
} evs_grade_override;

/* What an analysis compares. */
typedef enum evs_grade_kind {
    EVS_GRADE_SINGLE_GROUP, /* treated patients only: a change from baseline or a rate */
    EVS_GRADE_COMPARISON    /* between the arms of comparative studies */
} evs_grade_kind;

/* What the rules look at, on the scale of the MCID (percent for rates). */
typedef struct evs_grade_input {
    evs_grade_kind kind;
    bool harm;   /* a harm outcome (else a benefit) */
    bool binary; /* events out of n (else a continuous score) */
    size_t k;
    double n;                           /* participants in the analysis */
    double n_randomised, n_controlled;  /* of which in randomised / controlled studies */
    double n_uncontrolled, n_retrospective;
    double n_direct;                    /* comparisons: against a comparator in the question */
    double n_population;                /* in a population in the question */
    double estimate, ci_lb, ci_ub, pi_lb, pi_ub, I2;
    double tau2;       /* the prediction interval speaks to inconsistency only when > 0 */
    double mcid, ois;
    double null_value; /* no effect: 0, or NaN for a rate */
    double egger_p;    /* NaN when not computed */
} evs_grade_input;

/* Why the rule of a domain gave what it gave: which conditions held (flags). */
enum {
    /* risk of bias */
    EVS_GRADE_ROB_UNCONTROLLED = 1u << 0,  /* share without a control group >= threshold */
    EVS_GRADE_ROB_RETROSPECTIVE = 1u << 1, /* share in retrospective series >= threshold */
    /* inconsistency */
    EVS_GRADE_INC_I2_VERY = 1u << 2,  /* I2 >= i2_very_serious and the PI includes no effect */
    EVS_GRADE_INC_I2 = 1u << 3,       /* I2 >= i2_serious */
    EVS_GRADE_INC_PI_NULL = 1u << 4,  /* the prediction interval includes no effect */
    EVS_GRADE_INC_PI_MCID = 1u << 5,  /* the prediction interval includes the MCID */
    EVS_GRADE_INC_SPREAD = 1u << 6,   /* tau2 > 0 and a prediction interval exists */
    /* indirectness */
    EVS_GRADE_IND_FEW_DIRECT = 1u << 7, /* a comparison with too few against a comparator of the question */
    EVS_GRADE_IND_SINGLE_GROUP = 1u << 8, /* a benefit in treated patients only */
    EVS_GRADE_IND_POPULATION = 1u << 14,  /* too few in a population of the question */
    /* imprecision */
    EVS_GRADE_IMP_BELOW_OIS = 1u << 9, /* fewer participants than the OIS */
    EVS_GRADE_IMP_CI_NULL = 1u << 10,  /* the CI includes no effect */
    EVS_GRADE_IMP_CI_MCID = 1u << 11,  /* the CI includes the MCID */
    /* publication bias */
    EVS_GRADE_PUB_EGGER = 1u << 12,    /* Egger's p below egger_alpha */
    EVS_GRADE_PUB_NOT_ASSESSABLE = 1u << 13 /* fewer than egger_min_k studies, or no test */
};

typedef struct evs_grade_rating {
    int levels;       /* rated down: 0, 1 or 2 */
    bool assessable;  /* false: not assessable (publication bias with small k) */
    bool overridden;  /* a reviewer's judgement replaced the rule */
    int rule_levels;  /* what the rule gave */
    unsigned why;     /* EVS_GRADE_* flags of the rule */
    const char *override_reason; /* the reviewer's justification (owned by the review) */
} evs_grade_rating;

typedef struct evs_grade_result {
    evs_certainty start, certainty;
    /* The numbers the rules looked at. */
    double share_randomised, share_controlled;      /* start */
    double share_uncontrolled, share_retrospective; /* risk of bias */
    double share_direct;                            /* indirectness (comparisons) */
    double share_population;                        /* indirectness */
    evs_grade_input in;                             /* a copy of the input */
    evs_grade_rating domain[EVS_GRADE_DOMAINS];
} evs_grade_result;

/*
 * Rate the analysis.  overrides has EVS_GRADE_DOMAINS entries (levels -1
 * when the rule stands) or is NULL; their reasons must outlive out.
 */
void evs_grade_rate(const evs_grade_input *in, const evs_grade_settings *s,
                    const evs_grade_override *overrides, evs_grade_result *out);

/* Names in review.ini's vocabulary: "risk_of_bias", "moderate". */
const char *evs_grade_domain_name(evs_grade_domain d);
const char *evs_grade_domain_label(evs_grade_domain d); /* "Risk of bias" */
const char *evs_certainty_name(evs_certainty c);        /* "very low" */
bool evs_certainty_from_name(const char *name, evs_certainty *c);

/* GRADE's symbols: "⊕⊕◯◯" for low. */
const char *evs_certainty_symbols(evs_certainty c);

#endif
