/*
 * test_criteria.c -- each rule of criteria.h, both ways around each
 * threshold, on analyses built by hand.
 *
 * The base is one primary benefit comparison at high certainty: 4
 * randomised trials, 400 participants, all against an established
 * alternative (usual care), some in usual practice; MD 3 (CI 2.5 to 3.5,
 * PI 2.2 to 3.8) with an MCID of 2, so an important benefit; and one harm
 * rate of 1% (threshold 2%).  By the TEC criteria as criteria.h states them,
 * all five are met.  Each test changes one thing and states the verdict the
 * rule gives, worked out in the comment.
 */
#include <string.h>

#include "evs_test.h"
#include "review/criteria.h"

enum { BENEFIT, HARM, N };

static void base(evs_criteria_analysis a[N], evs_criteria_settings *cs)
{
    evs_criteria_settings_default(cs);
    memset(a, 0, N * sizeof *a);
    a[BENEFIT] = (evs_criteria_analysis){
        .index = 0, .primary = true, .harm = false, .comparison = true,
        .certainty = EVS_CERTAINTY_HIGH, .effect = EVS_EFFECT_BENEFIT, .k = 4, .n = 400,
        .estimate = 3, .ci_lb = 2.5, .ci_ub = 3.5, .pi_lb = 2.2, .pi_ub = 3.8, .mcid = 2,
        .share_established = 100, .share_sham = 0, .k_usual = 2, .k_usual_benefit = 2,
        .n_usual = 150};
    a[HARM] = (evs_criteria_analysis){
        .index = 1, .primary = false, .harm = true, .comparison = false,
        .certainty = EVS_CERTAINTY_MODERATE, .effect = EVS_EFFECT_BELOW, .k = 4, .n = 400,
        .estimate = 1, .ci_lb = 0.5, .ci_ub = 1.8, .pi_lb = 0.4, .pi_ub = 2.1, .mcid = 2};
}

static evs_criteria_result decide(const evs_criteria_analysis *a, size_t n, bool approved,
                                  const evs_criteria_settings *cs)
{
    evs_criteria_result r;
    evs_criteria_decide(a, n, approved, cs, &r);
    return r;
}

/* A macro, so that a failure names the line of the expectation. */
#define expect(r, i, v, why)                                                                  \
    do {                                                                                      \
        assert_int_equal((r)->criterion[i].verdict, (v));                                     \
        assert_int_equal((r)->criterion[i].reason, (why));                                    \
    } while (0)

static void test_all_met(void **state)
{
    (void)state;
    evs_criteria_analysis a[N];
    evs_criteria_settings cs;
    base(a, &cs);
    evs_criteria_result r = decide(a, N, true, &cs);
    expect(&r, 0, EVS_VERDICT_MET, EVS_CRIT_APPROVED);
    expect(&r, 1, EVS_VERDICT_MET, EVS_CRIT_CERTAINTY_REACHED);
    expect(&r, 2, EVS_VERDICT_MET, EVS_CRIT_BENEFIT);
    expect(&r, 3, EVS_VERDICT_MET, EVS_CRIT_AS_BENEFICIAL);
    expect(&r, 4, EVS_VERDICT_MET, EVS_CRIT_ATTAINABLE);
    assert_false(r.investigational);
    assert_true(r.criterion[2].has_basis);
    assert_close(r.criterion[2].basis.estimate, 3, 0, 0);
}

/* TEC 1: final approval. */
static void test_regulatory(void **state)
{
    (void)state;
    evs_criteria_analysis a[N];
    evs_criteria_settings cs;
    base(a, &cs);
    evs_criteria_result r = decide(a, N, false, &cs);
    expect(&r, 0, EVS_VERDICT_NOT_MET, EVS_CRIT_NOT_APPROVED);
    assert_true(r.investigational);
}

/* TEC 2: moderate certainty permits conclusions; low does not. */
static void test_conclusions(void **state)
{
    (void)state;
    evs_criteria_analysis a[N];
    evs_criteria_settings cs;
    base(a, &cs);
    a[BENEFIT].certainty = EVS_CERTAINTY_MODERATE; /* at min_certainty: met */
    evs_criteria_result r = decide(a, N, true, &cs);
    expect(&r, 1, EVS_VERDICT_MET, EVS_CRIT_CERTAINTY_REACHED);
    a[BENEFIT].certainty = EVS_CERTAINTY_LOW; /* one below: not met, 3 and 4 undetermined */
    r = decide(a, N, true, &cs);
    expect(&r, 1, EVS_VERDICT_NOT_MET, EVS_CRIT_CERTAINTY_BELOW);
    expect(&r, 2, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NEEDS_CONCLUSIONS);
    expect(&r, 3, EVS_VERDICT_UNDETERMINED, EVS_CRIT_COMPARISON_UNCERTAIN);
    expect(&r, 4, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NEEDS_BENEFIT);
    /* No primary benefit analysis at all. */
    a[BENEFIT].primary = false;
    r = decide(a, N, true, &cs);
    expect(&r, 1, EVS_VERDICT_NOT_MET, EVS_CRIT_NO_PRIMARY);
    expect(&r, 3, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NO_COMPARISON);
    /* The best analysis: higher certainty wins over more participants. */
    base(a, &cs);
    evs_criteria_analysis b[3];
    memcpy(b, a, sizeof a);
    b[2] = a[BENEFIT];
    b[2].index = 2;
    b[2].certainty = EVS_CERTAINTY_VERY_LOW;
    b[2].comparison = false;
    b[2].n = 4000;
    r = decide(b, 3, true, &cs);
    assert_int_equal(r.criterion[1].basis.index, 0);

    /* Equal certainty: a stated time wins over "time not stated", however many
     * participants the latter has; between two stated times, the larger wins.
     * b[0]: high, 400, stated; b[2]: high, 4000, not stated -> b[0].  With
     * b[2] stated too -> b[2] (4000 > 400).  With b[2] more certain than b[0]
     * (b[0] moderate) but not stated -> b[2]: certainty comes first. */
    b[2].certainty = EVS_CERTAINTY_HIGH;
    b[2].time_unstated = true;
    r = decide(b, 3, true, &cs);
    assert_int_equal(r.criterion[1].basis.index, 0);
    b[2].time_unstated = false;
    r = decide(b, 3, true, &cs);
    assert_int_equal(r.criterion[1].basis.index, 2);
    b[2].time_unstated = true;
    b[0].certainty = EVS_CERTAINTY_MODERATE;
    r = decide(b, 3, true, &cs);
    assert_int_equal(r.criterion[1].basis.index, 2);
    /* The order of the list does not matter: the unstated one first. */
    evs_criteria_analysis c[2] = {b[2], b[0]};
    c[0].certainty = c[1].certainty = EVS_CERTAINTY_LOW;
    r = decide(c, 2, true, &cs);
    assert_int_equal(r.criterion[1].basis.index, 0); /* b[0]'s index */
}

/* TEC 3: net health outcome, both ways around the MCID and no effect. */
static void test_net_health(void **state)
{
    (void)state;
    evs_criteria_analysis a[N];
    evs_criteria_settings cs;
    base(a, &cs);
    /* A precise null (issue 13's example): 0.45 (-0.04 to 0.95), MCID 1.5,
     * high certainty.  2 is met by it; 3 is not met: no important benefit. */
    a[BENEFIT].mcid = 1.5;
    a[BENEFIT].estimate = 0.45;
    a[BENEFIT].ci_lb = -0.04;
    a[BENEFIT].ci_ub = 0.95;
    a[BENEFIT].effect = EVS_EFFECT_TRIVIAL;
    evs_criteria_result r = decide(a, N, true, &cs);
    expect(&r, 1, EVS_VERDICT_MET, EVS_CRIT_CERTAINTY_REACHED);
    expect(&r, 2, EVS_VERDICT_NOT_MET, EVS_CRIT_NO_IMPORTANT_BENEFIT);
    expect(&r, 4, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NEEDS_BENEFIT);
    a[BENEFIT].ci_ub = 1.49; /* still below the MCID */
    r = decide(a, N, true, &cs);
    expect(&r, 2, EVS_VERDICT_NOT_MET, EVS_CRIT_NO_IMPORTANT_BENEFIT);
    a[BENEFIT].ci_ub = 1.51; /* the CI reaches the MCID: the benefit is not shown */
    r = decide(a, N, true, &cs);
    expect(&r, 2, EVS_VERDICT_NOT_MET, EVS_CRIT_BENEFIT_NOT_SHOWN);

    /* Estimate at the MCID but CI down to no effect: not shown; just above: met. */
    base(a, &cs);
    a[BENEFIT].estimate = 2;
    a[BENEFIT].ci_lb = -0.01;
    r = decide(a, N, true, &cs);
    expect(&r, 2, EVS_VERDICT_NOT_MET, EVS_CRIT_BENEFIT_NOT_SHOWN);
    a[BENEFIT].ci_lb = 0.01;
    r = decide(a, N, true, &cs);
    expect(&r, 2, EVS_VERDICT_MET, EVS_CRIT_BENEFIT);
    /* Estimate just below the MCID (the grade rule's effect class): not shown. */
    a[BENEFIT].estimate = 1.99;
    a[BENEFIT].effect = EVS_EFFECT_TRIVIAL;
    r = decide(a, N, true, &cs);
    expect(&r, 2, EVS_VERDICT_NOT_MET, EVS_CRIT_BENEFIT_NOT_SHOWN);

    /* An important disadvantage: not met. */
    base(a, &cs);
    a[BENEFIT].estimate = -3;
    a[BENEFIT].ci_lb = -3.5;
    a[BENEFIT].ci_ub = -2.5;
    a[BENEFIT].effect = EVS_EFFECT_HARM;
    r = decide(a, N, true, &cs);
    expect(&r, 2, EVS_VERDICT_NOT_MET, EVS_CRIT_IMPORTANT_HARM);

    /* A harm rate at its 2% threshold is important: for the committee. */
    base(a, &cs);
    a[HARM].estimate = 2;
    a[HARM].effect = EVS_EFFECT_ABOVE;
    r = decide(a, N, true, &cs);
    expect(&r, 2, EVS_VERDICT_UNDETERMINED, EVS_CRIT_HARMS_EXCEED);
    assert_int_equal(r.criterion[2].nharms, 1);
    /* A between-arm harm: important when the intervention adds at least the
     * MCID (effect "harm" on the decision scale); not when it adds less. */
    a[HARM].comparison = true;
    a[HARM].effect = EVS_EFFECT_TRIVIAL;
    r = decide(a, N, true, &cs);
    expect(&r, 2, EVS_VERDICT_MET, EVS_CRIT_BENEFIT);
    a[HARM].effect = EVS_EFFECT_HARM;
    r = decide(a, N, true, &cs);
    expect(&r, 2, EVS_VERDICT_UNDETERMINED, EVS_CRIT_HARMS_EXCEED);
}

/* TEC 4: as beneficial as the established alternatives; never from sham. */
static void test_alternatives(void **state)
{
    (void)state;
    evs_criteria_analysis a[N];
    evs_criteria_settings cs;
    base(a, &cs);
    /* Against sham only: a clear benefit meets 3 but says nothing of 4. */
    a[BENEFIT].share_established = 0;
    a[BENEFIT].share_sham = 100;
    evs_criteria_result r = decide(a, N, true, &cs);
    expect(&r, 2, EVS_VERDICT_MET, EVS_CRIT_BENEFIT);
    expect(&r, 3, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NO_ESTABLISHED);
    assert_true(r.criterion[3].has_other);
    assert_true(r.investigational);
    /* 49.9% against an established alternative (< 50%): still not; 50%: yes. */
    a[BENEFIT].share_established = 49.9;
    r = decide(a, N, true, &cs);
    expect(&r, 3, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NO_ESTABLISHED);
    a[BENEFIT].share_established = 50;
    r = decide(a, N, true, &cs);
    expect(&r, 3, EVS_VERDICT_MET, EVS_CRIT_AS_BENEFICIAL);

    /* The CI against -MCID (-2): -1.99 excludes a disadvantage of 2, -2.01 not. */
    base(a, &cs);
    a[BENEFIT].ci_lb = -1.99;
    a[BENEFIT].estimate = 0.5;
    a[BENEFIT].effect = EVS_EFFECT_TRIVIAL;
    r = decide(a, N, true, &cs);
    expect(&r, 3, EVS_VERDICT_MET, EVS_CRIT_AS_BENEFICIAL);
    a[BENEFIT].ci_lb = -2.01;
    r = decide(a, N, true, &cs);
    expect(&r, 3, EVS_VERDICT_UNDETERMINED, EVS_CRIT_DISADVANTAGE_POSSIBLE);
    /* Wholly below no effect and reaching -2: worse, not met. */
    a[BENEFIT].estimate = -1.2;
    a[BENEFIT].ci_lb = -2.5;
    a[BENEFIT].ci_ub = -0.01;
    r = decide(a, N, true, &cs);
    expect(&r, 3, EVS_VERDICT_NOT_MET, EVS_CRIT_WORSE);
    /* Below no effect but by less than the MCID (-1.5 to -0.01): within the
     * margin, so as beneficial in the terms of the MCID. */
    a[BENEFIT].ci_lb = -1.5;
    r = decide(a, N, true, &cs);
    expect(&r, 3, EVS_VERDICT_MET, EVS_CRIT_AS_BENEFICIAL);
    /* The comparison below min_certainty: undetermined. */
    base(a, &cs);
    evs_criteria_analysis b[3];
    memcpy(b, a, sizeof a);
    b[0].share_established = 0; /* the sham comparison decides 2 and 3 */
    b[2] = a[BENEFIT];
    b[2].index = 2;
    b[2].certainty = EVS_CERTAINTY_LOW; /* the usual-care one is low */
    r = decide(b, 3, true, &cs);
    expect(&r, 3, EVS_VERDICT_UNDETERMINED, EVS_CRIT_COMPARISON_UNCERTAIN);
    assert_int_equal(r.criterion[3].basis.index, 2);

    /* A question without an established alternative: 4 follows 3. */
    base(a, &cs);
    a[BENEFIT].share_established = 0;
    cs.no_alternative = true;
    r = decide(a, N, true, &cs);
    expect(&r, 3, EVS_VERDICT_MET, EVS_CRIT_NO_ALTERNATIVE);
    a[BENEFIT].estimate = 0.5;
    a[BENEFIT].ci_lb = 0.1;
    a[BENEFIT].ci_ub = 0.9;
    a[BENEFIT].effect = EVS_EFFECT_TRIVIAL;
    r = decide(a, N, true, &cs);
    expect(&r, 2, EVS_VERDICT_NOT_MET, EVS_CRIT_NO_IMPORTANT_BENEFIT);
    expect(&r, 3, EVS_VERDICT_NOT_MET, EVS_CRIT_NO_ALTERNATIVE);
}

/* TEC 5: attainable outside the investigational settings. */
static void test_outside_trials(void **state)
{
    (void)state;
    evs_criteria_analysis a[N];
    evs_criteria_settings cs;
    base(a, &cs);
    /* k = 3 = min_studies: met; 2: not shown widely. */
    a[BENEFIT].k = 3;
    evs_criteria_result r = decide(a, N, true, &cs);
    expect(&r, 4, EVS_VERDICT_MET, EVS_CRIT_ATTAINABLE);
    a[BENEFIT].k = 2;
    r = decide(a, N, true, &cs);
    expect(&r, 4, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NOT_SHOWN_WIDELY);
    /* The PI touching no effect: not shown widely. */
    base(a, &cs);
    a[BENEFIT].pi_lb = 0;
    r = decide(a, N, true, &cs);
    expect(&r, 4, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NOT_SHOWN_WIDELY);
    a[BENEFIT].pi_lb = 0.01;
    r = decide(a, N, true, &cs);
    expect(&r, 4, EVS_VERDICT_MET, EVS_CRIT_ATTAINABLE);
    /* No study in usual practice: met, judged from trial settings only; or
     * undetermined when the review requires usual-practice evidence. */
    a[BENEFIT].k_usual = a[BENEFIT].k_usual_benefit = 0;
    r = decide(a, N, true, &cs);
    expect(&r, 4, EVS_VERDICT_MET, EVS_CRIT_ATTAINABLE_TRIALS);
    cs.usual_practice_required = true;
    r = decide(a, N, true, &cs);
    expect(&r, 4, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NEEDS_USUAL_PRACTICE);
    /* A usual-practice study without a benefit of its own: undetermined. */
    a[BENEFIT].k_usual = 2;
    a[BENEFIT].k_usual_benefit = 1;
    r = decide(a, N, true, &cs);
    expect(&r, 4, EVS_VERDICT_UNDETERMINED, EVS_CRIT_USUAL_PRACTICE_MIXED);
}

/* A reviewer's verdict replaces the rule and keeps what the rule gave. */
/*
 * Criteria 2 to 4 rest on analyses of at least min_studies_conclusions
 * studies (default 2): TEC 2 weighs "the consistency of the results", which
 * one study cannot show (GRADE 7: inconsistency needs two).  The base's
 * benefit comparison has k = 4.
 *   k = 2: at the threshold, everything as in the base: all met.
 *   k = 1, the only primary benefit analysis: 2 not met (too few studies),
 *     with the single study as its basis; 3 and 4 need 2: undetermined.
 *   k = 1, with min_studies_conclusions = 1: all met again.
 *   A 2-trial sham comparison at high certainty and a 1-trial usual-care
 *     comparison: 2 and 3 rest on the sham one (met); 4 cannot rest on the
 *     usual-care trial: undetermined, too few, with that trial as its basis.
 */
static void test_too_few_studies(void **state)
{
    (void)state;
    evs_criteria_analysis a[N];
    evs_criteria_settings cs;
    base(a, &cs);
    assert_close(cs.min_studies_conclusions, 2, 0, 0);
    a[BENEFIT].k = 2;
    evs_criteria_result r = decide(a, N, true, &cs);
    expect(&r, 1, EVS_VERDICT_MET, EVS_CRIT_CERTAINTY_REACHED);
    expect(&r, 3, EVS_VERDICT_MET, EVS_CRIT_AS_BENEFICIAL);
    a[BENEFIT].k = 1;
    r = decide(a, N, true, &cs);
    expect(&r, 1, EVS_VERDICT_NOT_MET, EVS_CRIT_TOO_FEW_STUDIES);
    assert_true(r.criterion[1].has_basis);
    assert_int_equal(r.criterion[1].basis.index, 0);
    expect(&r, 2, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NEEDS_CONCLUSIONS);
    expect(&r, 3, EVS_VERDICT_UNDETERMINED, EVS_CRIT_ALTERNATIVE_TOO_FEW);
    assert_true(r.investigational);
    cs.min_studies_conclusions = 1;
    r = decide(a, N, true, &cs);
    expect(&r, 1, EVS_VERDICT_MET, EVS_CRIT_CERTAINTY_REACHED);
    expect(&r, 3, EVS_VERDICT_MET, EVS_CRIT_AS_BENEFICIAL);

    /* Sham (2 trials, high) beside usual care (1 trial, moderate). */
    base(a, &cs);
    evs_criteria_analysis b[3];
    memcpy(b, a, sizeof a);
    b[BENEFIT].k = 2;
    b[BENEFIT].share_established = 0;
    b[BENEFIT].share_sham = 100;
    b[2] = a[BENEFIT];
    b[2].index = 2;
    b[2].k = 1;
    b[2].n = 82;
    b[2].certainty = EVS_CERTAINTY_MODERATE;
    r = decide(b, 3, true, &cs);
    expect(&r, 1, EVS_VERDICT_MET, EVS_CRIT_CERTAINTY_REACHED);
    assert_int_equal(r.criterion[1].basis.index, 0);
    expect(&r, 2, EVS_VERDICT_MET, EVS_CRIT_BENEFIT);
    expect(&r, 3, EVS_VERDICT_UNDETERMINED, EVS_CRIT_ALTERNATIVE_TOO_FEW);
    assert_int_equal(r.criterion[3].basis.index, 2);
    b[2].k = 2; /* a second usual-care trial: 4 rests on it, met */
    r = decide(b, 3, true, &cs);
    expect(&r, 3, EVS_VERDICT_MET, EVS_CRIT_AS_BENEFICIAL);
    assert_int_equal(r.criterion[3].basis.index, 2);
}

static void test_override(void **state)
{
    (void)state;
    evs_criteria_analysis a[N];
    evs_criteria_settings cs;
    base(a, &cs);
    char why[] = "recalled device";
    cs.has_override[0] = true;
    cs.override[0] = EVS_VERDICT_NOT_MET;
    cs.override_reason[0] = why;
    evs_criteria_result r = decide(a, N, true, &cs);
    assert_true(r.criterion[0].overridden);
    assert_int_equal(r.criterion[0].verdict, EVS_VERDICT_NOT_MET);
    assert_int_equal(r.criterion[0].rule_verdict, EVS_VERDICT_MET);
    assert_string_equal(r.criterion[0].override_reason, why);
    assert_true(r.investigational);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_met),      cmocka_unit_test(test_regulatory),
        cmocka_unit_test(test_conclusions),  cmocka_unit_test(test_net_health),
        cmocka_unit_test(test_alternatives), cmocka_unit_test(test_outside_trials),
        cmocka_unit_test(test_override),     cmocka_unit_test(test_too_few_studies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
