/*
 * grade.h -- certainty of evidence (GRADE) for one analysis, by explicit
 * rules whose thresholds are the review's [grade] settings (review.h).
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
 *  indirectness      1 when the analysis is not a comparison with the
 *                    standard of care: a single-group benefit outcome (a
 *                    change from baseline, a response rate), or a
 *                    difference whose participants come from studies
 *                    compared with non-surgical care less than direct_share
 *                    percent.  Rates of harm in treated patients answer the
 *                    safety question directly.
 *  imprecision       1 for each of: total participants below the optimal
 *                    information size; the CI crosses the MCID or no
 *                    effect.
 *  publication bias  1 when Egger's test has p < egger_alpha; assessed only
 *                    when k >= egger_min_k ("not assessable" otherwise).
 *
 * Each domain counts at most 2, the result is never below very low, and
 * evsynth never rates up.  A reviewer's override replaces a domain's rule
 * and is shown with its justification and the rule it replaced.
 */
#ifndef EVS_GRADE_H
#define EVS_GRADE_H

#include <stdbool.h>
#include <stddef.h>

#include "review/review.h"

/* What the rules look at, on the scale of the MCID (percent for rates). */
typedef struct evs_grade_input {
    evs_outcome_type type;
    evs_role role;
    size_t k;
    double n;                           /* participants in the analysis */
    double n_randomised, n_controlled;  /* of which in randomised / controlled studies */
    double n_uncontrolled, n_retrospective;
    double n_standard_of_care;          /* in studies compared with non-surgical care */
    double estimate, ci_lb, ci_ub, pi_lb, pi_ub, I2;
    double tau2;       /* the prediction interval speaks to inconsistency only when > 0 */
    double mcid, ois;
    double null_value; /* no effect: 0, or NaN for a rate */
    double egger_p;    /* NaN when not computed */
} evs_grade_input;

typedef struct evs_grade_rating {
    int levels;       /* rated down: 0, 1 or 2 */
    bool assessable;  /* false: not assessable (publication bias with small k) */
    bool overridden;  /* a reviewer's judgement replaced the rule */
    int rule_levels;  /* what the rule gave */
    char reason[512];
    char rule_reason[512]; /* the rule's reason when overridden */
} evs_grade_rating;

typedef struct evs_grade_result {
    evs_certainty start, certainty;
    char start_reason[256];
    evs_grade_rating domain[EVS_GRADE_DOMAINS];
} evs_grade_result;

/*
 * Rate the analysis.  overrides has EVS_GRADE_DOMAINS entries (levels -1
 * when the rule stands) or is NULL.
 */
void evs_grade_rate(const evs_grade_input *in, const evs_grade_settings *s,
                    const evs_grade_override *overrides, evs_grade_result *out);

/* GRADE's symbols: "⊕⊕◯◯" for low. */
const char *evs_certainty_symbols(evs_certainty c);

#endif
