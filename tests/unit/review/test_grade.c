/*
 * test_grade.c -- each GRADE rule of grade.h, both ways.
 *
 * The base input is a body of evidence that no rule rates down: randomised
 * trials only, I2 = 10% (tau2 = 0.01), prediction interval 2.5 to 3.5 and CI 2.6 to 3.4
 * (both above the MCID of 2 and no effect 0), 500 participants against an
 * optimal information size of 400, 12 studies and Egger's p = 0.5.  Each
 * test changes one thing and states the rating the rule text in grade.h
 * gives by hand.
 */
#include <math.h>
#include <string.h>

#include "evs_test.h"
#include "review/grade.h"

static evs_grade_settings settings(void)
{
    evs_grade_settings s;
    evs_grade_settings_default(&s);
    return s;
}

static evs_grade_input base(void)
{
    evs_grade_input in = {
        .kind = EVS_GRADE_COMPARISON, .harm = false, .k = 12, .n = 500,
        .n_randomised = 500, .n_controlled = 500, .n_uncontrolled = 0, .n_retrospective = 0,
        .n_direct = 500, .n_population = 500, .estimate = 3, .ci_lb = 2.6, .ci_ub = 3.4, .pi_lb = 2.5,
        .pi_ub = 3.5, .I2 = 10, .tau2 = 0.01, .mcid = 2, .ois = 400, .null_value = 0, .egger_p = 0.5};
    return in;
}

static evs_grade_result rate(const evs_grade_input *in)
{
    evs_grade_settings s = settings();
    evs_grade_result r;
    evs_grade_rate(in, &s, NULL, &r);
    return r;
}

static void test_nothing_to_rate_down(void **state)
{
    (void)state;
    evs_grade_input in = base();
    evs_grade_result r = rate(&in);
    assert_int_equal(r.start, EVS_CERTAINTY_HIGH);
    for (int d = 0; d < EVS_GRADE_DOMAINS; d++)
        assert_int_equal(r.domain[d].levels, 0);
    assert_int_equal(r.certainty, EVS_CERTAINTY_HIGH);
}

static void test_start(void **state)
{
    (void)state;
    evs_grade_input in = base();
    in.n_randomised = 200; /* 40% randomised, 100% controlled: low */
    assert_int_equal(rate(&in).start, EVS_CERTAINTY_LOW);
    in.n_randomised = 250; /* exactly the 50% threshold: high */
    assert_int_equal(rate(&in).start, EVS_CERTAINTY_HIGH);
    in.n_randomised = 0;
    in.n_controlled = 100; /* 20% controlled: very low */
    in.n_uncontrolled = 400;
    assert_int_equal(rate(&in).start, EVS_CERTAINTY_VERY_LOW);
}

static void test_risk_of_bias(void **state)
{
    (void)state;
    evs_grade_input in = base();
    in.n_uncontrolled = 240; /* 48% < 50% */
    in.n_retrospective = 240;
    assert_int_equal(rate(&in).domain[EVS_GRADE_RISK_OF_BIAS].levels, 0);
    in.n_uncontrolled = 250; /* 50%: -1 */
    assert_int_equal(rate(&in).domain[EVS_GRADE_RISK_OF_BIAS].levels, 1);
    in.n_retrospective = 300; /* and 60% retrospective: -2 */
    assert_int_equal(rate(&in).domain[EVS_GRADE_RISK_OF_BIAS].levels, 2);
}

static void test_inconsistency(void **state)
{
    (void)state;
    evs_grade_input in = base();
    in.I2 = 49.9;
    assert_int_equal(rate(&in).domain[EVS_GRADE_INCONSISTENCY].levels, 0);
    in.I2 = 50; /* I2 >= 50%: -1 */
    assert_int_equal(rate(&in).domain[EVS_GRADE_INCONSISTENCY].levels, 1);
    in.I2 = 80; /* >= 75% but the PI excludes no effect: still -1 */
    assert_int_equal(rate(&in).domain[EVS_GRADE_INCONSISTENCY].levels, 1);
    in.pi_lb = -0.5; /* and the PI includes no effect: -2 */
    assert_int_equal(rate(&in).domain[EVS_GRADE_INCONSISTENCY].levels, 2);
    in = base();
    in.pi_lb = 1.5; /* low I2, PI crosses the MCID: -1 */
    assert_int_equal(rate(&in).domain[EVS_GRADE_INCONSISTENCY].levels, 1);
    in.tau2 = 0; /* no heterogeneity: the PI is the CI, imprecision's business */
    assert_int_equal(rate(&in).domain[EVS_GRADE_INCONSISTENCY].levels, 0);
    in.tau2 = 0.01;
    in.pi_lb = NAN; /* common-effect model: no PI, nothing to cross */
    in.pi_ub = NAN;
    assert_int_equal(rate(&in).domain[EVS_GRADE_INCONSISTENCY].levels, 0);
}

static void test_indirectness(void **state)
{
    (void)state;
    evs_grade_input in = base();
    in.n_direct = 200; /* 40% compared with the standard of care: -1 */
    assert_int_equal(rate(&in).domain[EVS_GRADE_INDIRECTNESS].levels, 1);
    in.n_direct = 250; /* 50%: not serious */
    assert_int_equal(rate(&in).domain[EVS_GRADE_INDIRECTNESS].levels, 0);
    in.kind = EVS_GRADE_SINGLE_GROUP; /* a change: a benefit in treated patients only: -1 */
    assert_int_equal(rate(&in).domain[EVS_GRADE_INDIRECTNESS].levels, 1);
    in.binary = true; /* a response rate: the same */
    assert_int_equal(rate(&in).domain[EVS_GRADE_INDIRECTNESS].levels, 1);
    in.harm = true; /* a rate of harm: direct */
    assert_int_equal(rate(&in).domain[EVS_GRADE_INDIRECTNESS].levels, 0);
    in.n_population = 249; /* 49.8% in the review's population (< 50%): -1 */
    assert_int_equal(rate(&in).domain[EVS_GRADE_INDIRECTNESS].levels, 1);
    in.n_population = 250; /* 50%: not serious */
    assert_int_equal(rate(&in).domain[EVS_GRADE_INDIRECTNESS].levels, 0);
    in = base();
    in.n_direct = 249;     /* a comparison against comparators of the question 49.8%: -1 */
    in.n_population = 249; /* and the population 49.8%: -2 */
    assert_int_equal(rate(&in).domain[EVS_GRADE_INDIRECTNESS].levels, 2);
}

static void test_imprecision(void **state)
{
    (void)state;
    evs_grade_input in = base();
    in.n = 399; /* below the OIS: -1 */
    assert_int_equal(rate(&in).domain[EVS_GRADE_IMPRECISION].levels, 1);
    in.ci_lb = 1.9; /* and the CI includes the MCID: -2 */
    assert_int_equal(rate(&in).domain[EVS_GRADE_IMPRECISION].levels, 2);
    in = base();
    in.ci_lb = -0.1; /* CI includes no effect (and the MCID): -1 */
    assert_int_equal(rate(&in).domain[EVS_GRADE_IMPRECISION].levels, 1);
    in = base();
    in.ci_lb = 0.5; /* a small but certain effect, CI below the MCID: precise */
    in.ci_ub = 1.5;
    assert_int_equal(rate(&in).domain[EVS_GRADE_IMPRECISION].levels, 0);
}

static void test_publication_bias(void **state)
{
    (void)state;
    evs_grade_input in = base();
    in.egger_p = 0.099; /* p < 0.10: -1 */
    evs_grade_result r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_PUBLICATION_BIAS].levels, 1);
    assert_true(r.domain[EVS_GRADE_PUBLICATION_BIAS].assessable);
    in.egger_p = 0.10;
    assert_int_equal(rate(&in).domain[EVS_GRADE_PUBLICATION_BIAS].levels, 0);
    in.k = 9; /* fewer than 10 studies: not assessable, whatever p is */
    in.egger_p = 0.001;
    r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_PUBLICATION_BIAS].levels, 0);
    assert_false(r.domain[EVS_GRADE_PUBLICATION_BIAS].assessable);
    assert_true(r.domain[EVS_GRADE_PUBLICATION_BIAS].why & EVS_GRADE_PUB_NOT_ASSESSABLE);
}

static void test_override_and_floor(void **state)
{
    (void)state;
    evs_grade_input in = base();
    in.n_randomised = 0;
    in.n_controlled = 0;
    in.n_uncontrolled = 500;
    in.n_retrospective = 500;
    in.I2 = 90;
    in.pi_lb = -1;
    in.kind = EVS_GRADE_SINGLE_GROUP;
    in.n = 100;
    in.ci_lb = 1;
    /* Start very low and every domain rated down: never below very low. */
    evs_grade_result r = rate(&in);
    assert_int_equal(r.start, EVS_CERTAINTY_VERY_LOW);
    assert_int_equal(r.certainty, EVS_CERTAINTY_VERY_LOW);
    assert_int_equal(r.domain[EVS_GRADE_RISK_OF_BIAS].levels, 2);

    evs_grade_override ov[EVS_GRADE_DOMAINS];
    for (int d = 0; d < EVS_GRADE_DOMAINS; d++)
        ov[d] = (evs_grade_override){.levels = -1};
    char why[] = "blinded outcome assessment in every study";
    ov[EVS_GRADE_RISK_OF_BIAS] = (evs_grade_override){.levels = 0, .reason = why};
    evs_grade_settings s = settings();
    evs_grade_rate(&in, &s, ov, &r);
    const evs_grade_rating *rob = &r.domain[EVS_GRADE_RISK_OF_BIAS];
    assert_true(rob->overridden);
    assert_int_equal(rob->levels, 0);
    assert_int_equal(rob->rule_levels, 2);
    assert_string_equal(rob->override_reason, why);
    assert_true(rob->why & EVS_GRADE_ROB_UNCONTROLLED);

    /* Randomised evidence rated down once: moderate. */
    in = base();
    in.n = 300;
    assert_int_equal(rate(&in).certainty, EVS_CERTAINTY_MODERATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_to_rate_down), cmocka_unit_test(test_start),
        cmocka_unit_test(test_risk_of_bias),         cmocka_unit_test(test_inconsistency),
        cmocka_unit_test(test_indirectness),         cmocka_unit_test(test_imprecision),
        cmocka_unit_test(test_publication_bias),     cmocka_unit_test(test_override_and_floor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
