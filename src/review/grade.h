/*
 * grade.h -- certainty of evidence (GRADE) for one analysis, by explicit
 * rules whose thresholds are the review's [grade] settings.
 *
 * Effects are on the review's decision scale: points of the score, percent
 * for a rate, percentage points of the absolute risk difference for a
 * between-arm binary outcome; for a change or a comparison, positive
 * favours the intervention.  The thresholds are the outcome's MCID, or for a
 * rate the rate the review team judges important (GRADE guidelines 32,
 * Zeng et al. 2021, J Clin Epidemiol 137:163-175: the certainty is that the
 * true effect lies on one side of a threshold, or inside a range, and the
 * range is the one that holds the point estimate).
 *
 * Start (GRADE guidelines 3, Balshem et al. 2011, J Clin Epidemiol
 * 64:401-406): high when randomised trials hold at least start_share
 * percent of the participants; low when studies with a control group do;
 * otherwise very low.  A single-group benefit (a change from baseline or a
 * response rate) uses no control group even when its patients come from
 * trials: it starts very low.  Then rate down in each domain:
 *
 *  risk of bias      (GRADE guidelines 4, Guyatt et al. 2011, J Clin
 *                    Epidemiol 64:407-415) 1 for each of: participants from
 *                    studies without a control group >= rob_uncontrolled_share;
 *                    from retrospective series >= rob_retrospective_share; and
 *                    the rule on the appraisals by share of the analysis
 *                    weight (review/appraisal.h, evs_rob_grade_rate): 2 for
 *                    critical >= rob_critical_share, else 1 for high >=
 *                    rob_high_share or high and unknown >= rob_unclear_share.
 *                    Where no study has a judgement the domain says "not
 *                    assessed per study".
 *  inconsistency     (GRADE guidelines 7) 2 when I2 >= i2_very_serious and
 *                    the prediction interval crosses no effect; otherwise 1
 *                    when I2 >= i2_serious or the prediction interval
 *                    crosses the MCID or no effect.  With tau2 = 0 the
 *                    prediction interval is the CI, imprecision's business.
 *                    One study (k = 1): not assessable and not rated down,
 *                    since inconsistency is between studies' results (GRADE
 *                    7) and one trial has none to differ from; its
 *                    uncertainty is imprecision's, judged on its own CI and
 *                    the OIS like any analysis (GRADE 6: a large effect from
 *                    a small trial is rated down when below the OIS).  Some
 *                    agencies rate a single study down by default (KCE
 *                    process book 5.1.3: "GRADE remains rather vague about
 *                    what to do if only one study is available"); a review
 *                    that does sets [grade.OUTCOME] inconsistency.
 *  indirectness      (GRADE guidelines 8) judged against the review's own
 *                    question (its PICO, review.h: classes in_question): 1
 *                    for a single-group benefit outcome (no comparison), or
 *                    for a comparison in which fewer than direct_share
 *                    percent of the participants are compared with a
 *                    comparator in the question; and 1 when fewer than
 *                    direct_share percent are in a population in the
 *                    question.  A sham-controlled trial is direct evidence
 *                    of efficacy when sham is in the question.  Rates of
 *                    harm in treated patients answer the safety question.
 *  imprecision       (GRADE guidance 34, Zeng et al. 2022, J Clin Epidemiol
 *                    150:216-224; GRADE guidance 35, Schünemann et al. 2022,
 *                    J Clin Epidemiol 150:225-242) the CI against the
 *                    thresholds: -MCID (an important disadvantage) and +MCID
 *                    (an important benefit), or for a rate the one threshold:
 *                    1 when the CI crosses one threshold, 2 when it crosses
 *                    both.  A CI that crosses none is still imprecise when
 *                    the analysis is smaller than the optimal information
 *                    size (GRADE guidelines 6, Guyatt et al. 2011, J Clin
 *                    Epidemiol 64:1283-1293): 1 below the OIS, 2 below
 *                    ois_far_below percent of it ("far less than the OIS",
 *                    GRADE 34).  The larger of the two ratings counts, never
 *                    their sum.  With MCID 0 the one threshold is no effect,
 *                    GRADE's minimally contextualised approach.
 *  publication bias  (GRADE guidelines 5) 1 when Egger's test has p <
 *                    egger_alpha; assessed only when k >= egger_min_k.
 *
 * Each domain counts at most 2, the result is never below very low, and
 * evsynth never rates up.  A reviewer's override replaces a domain's rule
 * and is shown with its justification and the rule it replaced.
 *
 * The result is data: each domain's levels and the numbers and conditions
 * the rule looked at, and the effect's place against the thresholds (the
 * basis of GRADE's plain-language statements, Santesso et al. 2020).  The
 * sentences are written by the report layer (src/report/report_grade.c).
 */
#ifndef EVS_GRADE_H
#define EVS_GRADE_H

#include <stdbool.h>
#include <stddef.h>

#include "review/appraisal.h"

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
 * percentages of the participants of an analysis (of its weight for
 * rob_high_share).
 */
typedef struct evs_grade_settings {
    double start_share;             /* design that starts the rating: 50 */
    double rob_uncontrolled_share;  /* risk of bias: no control group, 50 */
    double rob_retrospective_share; /* risk of bias: retrospective design, 50 */
    double rob_critical_share;      /* risk of bias: weight at critical risk, 50 (-2) */
    double rob_high_share;          /* risk of bias: weight at high risk, 50 */
    double rob_unclear_share;       /* risk of bias: weight at high or unknown risk, 50 */
    double i2_serious, i2_very_serious; /* inconsistency: 50, 75 */
    double direct_share;            /* indirectness: in the review's question, 50 */
    double ois_alpha, ois_power;    /* imprecision: OIS at two-sided 0.05 and power 0.8 */
    double ois_rrr;                 /* relative risk reduction for a binary OIS: 25 (%) */
    double ois_far_below;           /* imprecision -2 below this percent of the OIS: 50 */
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


/* How the optimal information size was obtained. */
typedef enum evs_ois_basis {
    EVS_OIS_NONE,         /* not computable (no threshold, or no spread) */
    EVS_OIS_SET,          /* set in review.ini ([outcome.ID] ois) */
    EVS_OIS_MEAN_ONE,     /* one group: a mean change of MCID against 0 */
    EVS_OIS_MEANS_TWO,    /* two groups: a difference of MCID, per arm */
    EVS_OIS_RATE_ONE,     /* one group: the threshold rate against it reduced by the RRR */
    EVS_OIS_RISKS_TWO     /* two groups: the control risk against it reduced by the RRR */
} evs_ois_basis;

/* The optimal information size of an analysis and what it was computed from. */
typedef struct evs_ois {
    evs_ois_basis basis;
    double n;        /* participants (both arms for two groups); NaN when none */
    double per_arm;  /* two groups: participants per arm */
    double sd;       /* means: the pooled SD used */
    double delta;    /* means: the difference to detect (the MCID) */
    double p1, p2;   /* rates: the rate (or control risk) and the reduced one, as proportions */
    double alpha, power;
} evs_ois;

/*
 * Optimal information size (GRADE guidelines 6): the participants a single
 * trial needs to detect the effect at two-sided alpha with the power given,
 * by the normal approximation.
 *
 *   one group, a mean change:  n = (z_a + z_b)^2 sd^2 / delta^2
 *   two groups, means:         n per arm = 2 (z_a + z_b)^2 sd^2 / delta^2
 *   one group, a rate p1 against p2:
 *                              n = (z_a sqrt(p1 q1) + z_b sqrt(p2 q2))^2 / (p1 - p2)^2
 *   two groups, risks p1, p2:  n per arm = (z_a sqrt(2 pbar qbar)
 *                                          + z_b sqrt(p1 q1 + p2 q2))^2 / (p1 - p2)^2
 *
 * with z_a = z(1 - alpha/2), z_b = z(power), q = 1 - p, pbar = (p1 + p2)/2,
 * each n rounded up (per arm for two groups; n is then twice that).
 * basis EVS_OIS_NONE and n NaN when the inputs do not define one.
 */
void evs_grade_ois_means(double sd, double delta, bool two_groups, double alpha, double power,
                         evs_ois *out);
void evs_grade_ois_rates(double p1, double p2, bool two_groups, double alpha, double power,
                         evs_ois *out);

/* What the rules look at, on the decision scale (see above). */
typedef struct evs_grade_input {
    evs_grade_kind kind;
    bool harm;   /* a harm outcome (else a benefit) */
    bool binary; /* events out of n (else a continuous score) */
    size_t k;
    double n;                           /* participants in the analysis */
    double events;                      /* binary: events in the analysis; else NaN */
    double n_randomised, n_controlled;  /* of which in randomised / controlled studies */
    double n_uncontrolled, n_retrospective;
    double n_direct;                    /* comparisons: against a comparator in the question */
    double n_population;                /* in a population in the question */
    /* Risk of bias per row of the analysis (appraisal.csv, issue 16): nrows
     * levels (the overall judgement of each row's study) and weights (any
     * positive scale, e.g. the model's weights); NULL when no study is
     * appraised. */
    size_t nrows;
    const evs_rob_level *row_rob;
    const double *row_weight;
    unsigned rob_domains[EVS_ROB_TOOLS]; /* per tool, the domains judged high in the rows at
                                            high risk, for the reason (appraisal.h) */
    double estimate, ci_lb, ci_ub, pi_lb, pi_ub, I2;
    double tau2;       /* the prediction interval speaks to inconsistency only when > 0 */
    double mcid;       /* the threshold: MCID, or the rate judged important */
    double null_value; /* no effect: 0, or NaN for a rate */
    evs_ois ois;
    double egger_p;    /* NaN when not computed */
} evs_grade_input;

/* Why the rule of a domain gave what it gave: which conditions held (flags). */
enum {
    /* start */
    EVS_GRADE_START_ONE_GROUP = 1u << 0, /* a single-group benefit: no control group used */
    /* risk of bias */
    EVS_GRADE_ROB_UNCONTROLLED = 1u << 1,  /* share without a control group >= threshold */
    EVS_GRADE_ROB_RETROSPECTIVE = 1u << 2, /* share in retrospective series >= threshold */
    EVS_GRADE_ROB_HIGH = 1u << 3,          /* weight at high risk of bias >= threshold */
    EVS_GRADE_ROB_NOT_ASSESSED = 1u << 4,  /* no study has a risk-of-bias judgement */
    EVS_GRADE_ROB_PARTLY = 1u << 5,        /* some studies have none */
    /* inconsistency */
    EVS_GRADE_INC_I2_VERY = 1u << 6,  /* I2 >= i2_very_serious and the PI includes no effect */
    EVS_GRADE_INC_I2 = 1u << 7,       /* I2 >= i2_serious */
    EVS_GRADE_INC_PI_NULL = 1u << 8,  /* the prediction interval includes no effect */
    EVS_GRADE_INC_PI_MCID = 1u << 9,  /* the prediction interval includes the MCID */
    EVS_GRADE_INC_SPREAD = 1u << 10,  /* tau2 > 0 and a prediction interval exists */
    /* indirectness */
    EVS_GRADE_IND_FEW_DIRECT = 1u << 11,  /* a comparison with too few against the question's comparators */
    EVS_GRADE_IND_SINGLE_GROUP = 1u << 12, /* a benefit in treated patients only */
    EVS_GRADE_IND_POPULATION = 1u << 13,   /* too few in a population of the question */
    /* imprecision */
    EVS_GRADE_IMP_UPPER = 1u << 14,     /* the CI crosses +MCID (a rate: its threshold) */
    EVS_GRADE_IMP_LOWER = 1u << 15,     /* the CI crosses -MCID */
    EVS_GRADE_IMP_BELOW_OIS = 1u << 16, /* fewer participants than the OIS */
    EVS_GRADE_IMP_FAR_BELOW_OIS = 1u << 17, /* fewer than ois_far_below percent of it */
    EVS_GRADE_IMP_NO_OIS = 1u << 18,    /* no OIS could be computed */
    EVS_GRADE_IMP_EXTREME = 1u << 24,   /* the CI crosses a threshold and the information
                                           size is far below the OIS: -3 (GRADE 34) */
    /* publication bias */
    EVS_GRADE_PUB_EGGER = 1u << 19,          /* Egger's p below egger_alpha */
    EVS_GRADE_PUB_NOT_ASSESSABLE = 1u << 20, /* fewer than egger_min_k studies, or no test */
    /* risk of bias from the appraisals */
    EVS_GRADE_ROB_CRITICAL = 1u << 21, /* weight at critical risk >= rob_critical_share */
    EVS_GRADE_ROB_UNCLEAR = 1u << 22,  /* weight at high risk or without a judgement >= rob_unclear_share */
    EVS_GRADE_INC_ONE_STUDY = 1u << 23 /* one study: inconsistency cannot be assessed */
};

typedef struct evs_grade_rating {
    int levels;       /* rated down: 0, 1 or 2 */
    bool assessable;  /* false: not assessable (publication bias with small k) */
    bool overridden;  /* a reviewer's judgement replaced the rule */
    int rule_levels;  /* what the rule gave */
    unsigned why;     /* EVS_GRADE_* flags of the rule */
    const char *override_reason; /* the reviewer's justification (owned by the review) */
} evs_grade_rating;

/*
 * Where the point estimate lies against the thresholds (GRADE 32): the
 * range whose certainty is rated, and what GRADE's plain-language
 * statements (Santesso et al. 2020) say.
 */
typedef enum evs_effect_class {
    EVS_EFFECT_BENEFIT,  /* at least +MCID: an important benefit */
    EVS_EFFECT_TRIVIAL,  /* between -MCID and +MCID: little or no difference */
    EVS_EFFECT_HARM,     /* at most -MCID: an important disadvantage */
    EVS_EFFECT_ABOVE,    /* a rate at or above its threshold */
    EVS_EFFECT_BELOW     /* a rate below its threshold */
} evs_effect_class;

typedef struct evs_grade_result {
    evs_certainty start, certainty;
    unsigned start_why;                             /* EVS_GRADE_START_* */
    evs_effect_class effect;
    /* The numbers the rules looked at. */
    double share_randomised, share_controlled;      /* start */
    double share_uncontrolled, share_retrospective; /* risk of bias */
    double share_assessed, share_high;              /* risk of bias: of the weight */
    evs_rob_grade rob;                              /* risk of bias: the appraisals' rule */
    double share_direct;                            /* indirectness (comparisons) */
    double share_population;                        /* indirectness */
    double lower, upper;                            /* imprecision: the thresholds (NaN: none) */
    evs_grade_input in;                             /* a copy of the input (row arrays cleared) */
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
