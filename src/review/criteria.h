/*
 * criteria.h -- the five technology-evaluation criteria of the BCBSA
 * Technology Evaluation Center (TEC) and the conclusion, decided from the
 * analyses of a review by explicit rules ([criteria] in review.ini).
 *
 * Each criterion is "cannot be determined" when what it rests on is missing:
 *
 *  1 regulatory approval    met when review.ini says approved = yes.
 *  2 conclusions possible   met when a primary benefit analysis reaches the
 *                           review's min_certainty.
 *  3 net health outcome     needs 2.  Met when the best-rated primary benefit
 *                           analysis has a CI above no effect and an estimate
 *                           of at least the MCID, and no harm's pooled rate
 *                           exceeds its threshold; not met when the benefit is
 *                           not shown; cannot be determined when a harm
 *                           exceeds its threshold (a judgement for the
 *                           committee).
 *  4 as beneficial as the   needs 2 and a primary comparison analysis
 *    alternatives           (against the comparator) at min_certainty: met
 *                           when its CI excludes a disadvantage of the MCID,
 *                           not met when the CI is below no effect.
 *  5 outside investigational needs 3.  Met when the benefit is seen in at
 *    settings               least min_studies studies with a prediction
 *                           interval above no effect.
 *
 * The technology is investigational unless all five are met.  A reviewer's
 * verdict ([criteria] criterion_N) replaces a rule and is shown as such.
 *
 * Verdicts are data: a value, the reason the rule gave it, and the numbers
 * of the analysis it rests on.  The sentences are written by the report
 * layer (src/report/report_criteria.c).
 */
#ifndef EVS_CRITERIA_H
#define EVS_CRITERIA_H

#include <stdbool.h>
#include <stddef.h>

#include "review/grade.h"

#define EVS_CRITERIA 5

typedef enum evs_verdict {
    EVS_VERDICT_UNDETERMINED, /* cannot be determined with the evidence */
    EVS_VERDICT_MET,
    EVS_VERDICT_NOT_MET
} evs_verdict;

const char *evs_verdict_name(evs_verdict v); /* "not met" */
bool evs_verdict_from_name(const char *name, evs_verdict *v);

/* [criteria] in review.ini. */
typedef struct evs_criteria_settings {
    evs_certainty min_certainty; /* certainty that permits conclusions: moderate */
    double min_studies;          /* studies for "attainable outside trials": 3 */
    bool has_override[EVS_CRITERIA];
    evs_verdict override[EVS_CRITERIA];
    char *override_reason[EVS_CRITERIA];
    long override_line[EVS_CRITERIA];
} evs_criteria_settings;

/* What the criteria look at in one pooled analysis (display scale, the MCID's units). */
typedef struct evs_criteria_analysis {
    size_t index;     /* of the analysis in the caller's list */
    bool primary;
    bool harm;        /* role harm (else benefit) */
    bool comparison;  /* between arms (else a single group) */
    evs_certainty certainty;
    size_t k;
    double n;
    double estimate, ci_lb, ci_ub, pi_lb, pi_ub;
    double mcid;      /* the MCID, or the harm threshold */
} evs_criteria_analysis;

/* Why a rule gave its verdict. */
typedef enum evs_criterion_reason {
    EVS_CRIT_APPROVED,             /* 1 met */
    EVS_CRIT_NOT_APPROVED,         /* 1 not met */
    EVS_CRIT_NO_PRIMARY,           /* 2 not met: no primary benefit analysis pooled */
    EVS_CRIT_CERTAINTY_REACHED,    /* 2 met */
    EVS_CRIT_CERTAINTY_BELOW,      /* 2 not met */
    EVS_CRIT_NEEDS_CONCLUSIONS,    /* 3 or 4 undetermined: criterion 2 not met */
    EVS_CRIT_BENEFIT,              /* 3 met */
    EVS_CRIT_BENEFIT_NOT_SHOWN,    /* 3 not met */
    EVS_CRIT_HARMS_EXCEED,         /* 3 undetermined: harms above their thresholds */
    EVS_CRIT_NO_COMPARISON,        /* 4 undetermined: no comparison pooled */
    EVS_CRIT_COMPARISON_UNCERTAIN, /* 4 undetermined: the comparison is below min_certainty */
    EVS_CRIT_AS_BENEFICIAL,        /* 4 met */
    EVS_CRIT_WORSE,                /* 4 not met */
    EVS_CRIT_DISADVANTAGE_POSSIBLE,/* 4 undetermined: the CI includes a disadvantage of the MCID */
    EVS_CRIT_NEEDS_BENEFIT,        /* 5 undetermined: criterion 3 not met */
    EVS_CRIT_ATTAINABLE,           /* 5 met */
    EVS_CRIT_NOT_SHOWN_WIDELY      /* 5 undetermined: too few studies or the PI includes no effect */
} evs_criterion_reason;

#define EVS_CRITERIA_MAX_HARMS 16

typedef struct evs_criterion {
    evs_verdict verdict, rule_verdict;
    bool overridden;
    const char *override_reason; /* owned by the settings */
    evs_criterion_reason reason;
    bool has_basis;              /* the rule rests on an analysis: basis */
    evs_criteria_analysis basis;
    size_t nharms;               /* criterion 3: harms above their thresholds */
    evs_criteria_analysis harms[EVS_CRITERIA_MAX_HARMS];
} evs_criterion;

typedef struct evs_criteria_result {
    evs_criterion criterion[EVS_CRITERIA];
    bool investigational; /* not every criterion is met */
} evs_criteria_result;

/*
 * Decide the criteria from the pooled analyses a[0..n).  approved is the
 * review's regulatory status.  Overrides in cs replace the rules.
 */
void evs_criteria_decide(const evs_criteria_analysis *a, size_t n, bool approved,
                         const evs_criteria_settings *cs, evs_criteria_result *out);

#endif
