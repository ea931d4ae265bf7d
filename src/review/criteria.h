/*
 * criteria.h -- the five technology-evaluation criteria of the BCBSA
 * Technology Evaluation Center (TEC) and the conclusion, decided from the
 * analyses of a review by explicit rules ([criteria] in review.ini).
 *
 * The criteria (TEC's wording in the report's titles) rest on the primary
 * benefit analysis of the highest certainty ("the best"), on the decision
 * scale of grade.h: positive favours the intervention, thresholds minus and
 * plus the MCID.  Each is "cannot be determined" when what it rests on is
 * missing.
 *
 * Criteria 2 to 4 rest only on analyses of at least min_studies_conclusions
 * studies (default 2).  TEC criterion 2 weighs "the quality of the body of
 * studies and the consistency of the results", and one study cannot show
 * that its result is consistent (GRADE 7: inconsistency is judged between
 * studies; with one it cannot be assessed).  A single study's result is
 * still shown, with its certainty; when it is all there is, criterion 2 is
 * not met (or criterion 4 cannot be determined) and the text says so.  A
 * review may set 1 to let one study decide.
 *
 *  1 regulatory approval    met when review.ini says approved = yes.
 *  2 conclusions possible   met when the best primary benefit analysis
 *                           reaches min_certainty.  A precise result of no
 *                           important effect is a conclusion too: GRADE rates
 *                           the certainty that the effect lies in the range
 *                           that holds the estimate (GRADE 32).
 *  3 net health outcome     needs 2.  On the best analysis: met when its
 *                           estimate reaches the MCID and its CI is above no
 *                           effect, and no harm is important (a harm rate at
 *                           or above its threshold, or a between-arm harm of
 *                           at least its MCID); cannot be determined when a
 *                           harm is (the balance is the committee's).  Not
 *                           met when the CI lies below the MCID (no important
 *                           benefit: a precise null), when the estimate is an
 *                           important disadvantage, or when the benefit is
 *                           otherwise not shown.
 *  4 as beneficial as the   needs 2.  Rests on the best primary comparison
 *    established            in which at least established_share percent of
 *    alternatives           the participants are compared with an
 *                           established alternative (review.h: a comparator
 *                           class with established = yes, never sham or no
 *                           treatment): met when its CI excludes a
 *                           disadvantage of the MCID, not met when the CI is
 *                           below no effect, cannot be determined otherwise,
 *                           when it is below min_certainty, or when there is
 *                           no such comparison (a comparison with sham shows
 *                           efficacy, not equivalence to the alternatives).
 *                           A review that says there is no established
 *                           alternative (established_alternatives = no)
 *                           decides 4 as 3.
 *  5 outside investigational needs 3.  On the best analysis: the benefit in
 *    settings               at least min_studies studies with a prediction
 *                           interval above no effect.  Met when studies done
 *                           in usual practice (review.h: setting role
 *                           usual_practice) are among them and each shows a
 *                           benefit (its own estimate above no effect); met
 *                           "judged from trial settings only" when none was
 *                           done in usual practice, unless the review
 *                           requires such evidence (usual_practice =
 *                           required), when it cannot be determined.
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
    evs_certainty min_certainty;   /* certainty that permits conclusions: moderate */
    double min_studies;            /* studies for "attainable outside trials": 3 */
    double min_studies_conclusions; /* studies criteria 2 to 4 may rest on: 2 */
    double established_share;      /* criterion 4: share against an established alternative: 50 */
    bool no_alternative;           /* criterion 4: the question has no established alternative */
    bool usual_practice_required;  /* criterion 5: evidence from usual practice is required */
    bool has_override[EVS_CRITERIA];
    evs_verdict override[EVS_CRITERIA];
    char *override_reason[EVS_CRITERIA];
    long override_line[EVS_CRITERIA];
} evs_criteria_settings;

void evs_criteria_settings_default(evs_criteria_settings *cs);

/* What the criteria look at in one pooled analysis (decision scale, the MCID's units). */
typedef struct evs_criteria_analysis {
    size_t index;     /* of the analysis in the caller's list */
    bool primary;
    bool harm;        /* role harm (else benefit) */
    bool comparison;  /* between arms (else a single group) */
    evs_certainty certainty;
    evs_effect_class effect; /* where the estimate lies (grade.h) */
    size_t k;
    double n;
    bool time_unstated; /* the window of follow-ups whose time the studies do not state */
    double estimate, ci_lb, ci_ub, pi_lb, pi_ub;
    double mcid;      /* the MCID, or the harm threshold */
    double share_established; /* comparisons: percent against an established alternative */
    double share_sham;        /* comparisons: percent against sham or no treatment */
    size_t k_usual;           /* studies done in usual practice */
    size_t k_usual_benefit;   /* of which with an estimate above no effect */
    double n_usual;
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
    EVS_CRIT_NO_IMPORTANT_BENEFIT, /* 3 not met: the CI lies below the MCID */
    EVS_CRIT_IMPORTANT_HARM,       /* 3 not met: the estimate is an important disadvantage */
    EVS_CRIT_BENEFIT_NOT_SHOWN,    /* 3 not met: the CI includes no effect or the estimate
                                      is below the MCID while the CI reaches it */
    EVS_CRIT_HARMS_EXCEED,         /* 3 undetermined: important harms */
    EVS_CRIT_NO_COMPARISON,        /* 4 undetermined: no comparison pooled */
    EVS_CRIT_NO_ESTABLISHED,       /* 4 undetermined: no comparison with an established
                                      alternative (e.g. only against sham) */
    EVS_CRIT_NO_ALTERNATIVE,       /* 4 as 3: the question has no established alternative */
    EVS_CRIT_COMPARISON_UNCERTAIN, /* 4 undetermined: the comparison is below min_certainty */
    EVS_CRIT_AS_BENEFICIAL,        /* 4 met */
    EVS_CRIT_WORSE,                /* 4 not met */
    EVS_CRIT_DISADVANTAGE_POSSIBLE,/* 4 undetermined: the CI includes a disadvantage of the MCID */
    EVS_CRIT_NEEDS_BENEFIT,        /* 5 undetermined: criterion 3 not met */
    EVS_CRIT_ATTAINABLE,           /* 5 met, with studies in usual practice */
    EVS_CRIT_ATTAINABLE_TRIALS,    /* 5 met, judged from trial settings only */
    EVS_CRIT_NEEDS_USUAL_PRACTICE, /* 5 undetermined: no study in usual practice, required */
    EVS_CRIT_USUAL_PRACTICE_MIXED, /* 5 undetermined: not every usual-practice study benefits */
    EVS_CRIT_NOT_SHOWN_WIDELY,     /* 5 undetermined: too few studies or the PI includes no effect */
    EVS_CRIT_TOO_FEW_STUDIES,      /* 2 not met: every primary benefit analysis has fewer
                                      than min_studies_conclusions studies */
    EVS_CRIT_ALTERNATIVE_TOO_FEW   /* 4 undetermined: the comparison with an established
                                      alternative has fewer than min_studies_conclusions */
} evs_criterion_reason;

#define EVS_CRITERIA_MAX_HARMS 16

typedef struct evs_criterion {
    evs_verdict verdict, rule_verdict;
    bool overridden;
    const char *override_reason; /* owned by the settings */
    evs_criterion_reason reason;
    bool has_basis;              /* the rule rests on an analysis: basis */
    evs_criteria_analysis basis;
    bool has_other;              /* criterion 4: the best comparison not against an
                                    established alternative, when that is all there is */
    evs_criteria_analysis other;
    size_t nharms;               /* criterion 3: harms that are important */
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
