/*
 * test_grade.c -- each GRADE rule of grade.h, both ways around each
 * threshold, with the expected rating worked by hand from the guidance the
 * rule cites.
 *
 * The base input is a body of evidence that no rule rates down: a
 * comparison of randomised trials only (500 participants, all against a
 * comparator and in a population of the review's question), I2 = 10%
 * (tau2 = 0.01), prediction interval 2.5 to 3.5 and CI 2.6 to 3.4, both
 * above the MCID of 2 (and so above no effect and above -2), an optimal
 * information size of 400, 12 studies and Egger's p = 0.5.  Each test
 * changes one thing.  Shares are compared with ">=" thresholds, so 249 of
 * 500 (49.8%) is below a 50% threshold and 250 (50%) is at it.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>

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
    evs_grade_input in;
    memset(&in, 0, sizeof in);
    in.kind = EVS_GRADE_COMPARISON;
    in.harm = false;
    in.binary = false;
    in.k = 12;
    in.n = 500;
    in.events = NAN;
    in.n_randomised = 500;
    in.n_controlled = 500;
    in.n_direct = 500;
    in.n_population = 500;
    in.estimate = 3;
    in.ci_lb = 2.6;
    in.ci_ub = 3.4;
    in.pi_lb = 2.5;
    in.pi_ub = 3.5;
    in.I2 = 10;
    in.tau2 = 0.01;
    in.mcid = 2;
    in.null_value = 0;
    in.ois = (evs_ois){.basis = EVS_OIS_SET, .n = 400};
    in.egger_p = 0.5;
    return in;
}

static evs_grade_result rate(const evs_grade_input *in)
{
    evs_grade_settings s = settings();
    evs_grade_result r;
    evs_grade_rate(in, &s, NULL, &r);
    return r;
}

static int levels(const evs_grade_input *in, evs_grade_domain d)
{
    return rate(in).domain[d].levels;
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
    assert_int_equal(r.effect, EVS_EFFECT_BENEFIT); /* 3 >= MCID 2 */
}

/* GRADE guidelines 3 (Balshem 2011): randomised trials start high,
 * observational studies low; evsynth starts uncontrolled series very low. */
static void test_start(void **state)
{
    (void)state;
    evs_grade_input in = base();
    in.n_randomised = 249; /* 49.8% randomised, 100% controlled: low */
    assert_int_equal(rate(&in).start, EVS_CERTAINTY_LOW);
    in.n_randomised = 250; /* exactly the 50% threshold: high */
    assert_int_equal(rate(&in).start, EVS_CERTAINTY_HIGH);
    in.n_randomised = 0;
    in.n_controlled = 249; /* 49.8% controlled: very low */
    assert_int_equal(rate(&in).start, EVS_CERTAINTY_VERY_LOW);
    in.n_controlled = 250; /* 50% controlled: low */
    assert_int_equal(rate(&in).start, EVS_CERTAINTY_LOW);

    /* A change from baseline in the treated arms of trials compares the
     * patients with themselves, not with a randomised control: very low. */
    in = base();
    in.kind = EVS_GRADE_SINGLE_GROUP;
    evs_grade_result r = rate(&in);
    assert_int_equal(r.start, EVS_CERTAINTY_VERY_LOW);
    assert_true(r.start_why & EVS_GRADE_START_ONE_GROUP);
    /* A rate of harm in the treated arms of trials keeps the trials' start. */
    in.harm = true;
    in.binary = true;
    r = rate(&in);
    assert_int_equal(r.start, EVS_CERTAINTY_HIGH);
    assert_false(r.start_why & EVS_GRADE_START_ONE_GROUP);
}

/* GRADE guidelines 4 (Guyatt 2011): limitations of the studies; the
 * appraisal part by the share of the analysis weight at high risk. */
static void test_risk_of_bias(void **state)
{
    (void)state;
    evs_grade_input in = base();
    in.n_uncontrolled = 249; /* 49.8% < 50% */
    in.n_retrospective = 249;
    assert_int_equal(levels(&in, EVS_GRADE_RISK_OF_BIAS), 0);
    in.n_uncontrolled = 250; /* 50%: -1 */
    assert_int_equal(levels(&in, EVS_GRADE_RISK_OF_BIAS), 1);
    in.n_retrospective = 250; /* and 50% retrospective: -2 */
    assert_int_equal(levels(&in, EVS_GRADE_RISK_OF_BIAS), 2);

    /* No appraisal anywhere: not rated down, but said so. */
    in = base();
    evs_grade_result r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_RISK_OF_BIAS].levels, 0);
    assert_true(r.domain[EVS_GRADE_RISK_OF_BIAS].why & EVS_GRADE_ROB_NOT_ASSESSED);

    /* Appraisals by weight: 49.9% of the weight at high risk is below the
     * 50% threshold; 50% is at it (-1). */
    evs_rob_level rob[3] = {EVS_ROB_LEVEL_HIGH, EVS_ROB_LEVEL_LOW, EVS_ROB_LEVEL_CONCERNS};
    double w[3] = {49.9, 40, 10.1};
    in.nrows = 3;
    in.row_rob = rob;
    in.row_weight = w;
    r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_RISK_OF_BIAS].levels, 0);
    assert_false(r.domain[EVS_GRADE_RISK_OF_BIAS].why & EVS_GRADE_ROB_NOT_ASSESSED);
    assert_close(r.share_high, 49.9, 1e-12, 0);
    assert_close(r.share_assessed, 100, 1e-12, 0);
    w[0] = 50;
    w[2] = 10;
    r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_RISK_OF_BIAS].levels, 1);
    assert_true(r.domain[EVS_GRADE_RISK_OF_BIAS].why & EVS_GRADE_ROB_HIGH);
    /* The caller's arrays are not kept. */
    assert_null(r.in.row_rob);
    /* One study not appraised: 90% of the weight appraised, said so. */
    rob[2] = EVS_ROB_LEVEL_NOT_ASSESSED;
    r = rate(&in);
    assert_true(r.domain[EVS_GRADE_RISK_OF_BIAS].why & EVS_GRADE_ROB_PARTLY);
    assert_close(r.share_assessed, 90, 1e-12, 0);

    /* A single-group benefit has no control group: -1. */
    in = base();
    in.kind = EVS_GRADE_SINGLE_GROUP;
    assert_int_equal(levels(&in, EVS_GRADE_RISK_OF_BIAS), 1);
}

/* GRADE guidelines 7 (Guyatt 2011): I2 and the spread of the effects. */
static void test_inconsistency(void **state)
{
    (void)state;
    evs_grade_input in = base();
    in.I2 = 49.9;
    assert_int_equal(levels(&in, EVS_GRADE_INCONSISTENCY), 0);
    in.I2 = 50; /* I2 >= 50%: -1 */
    assert_int_equal(levels(&in, EVS_GRADE_INCONSISTENCY), 1);
    in.I2 = 80; /* >= 75% but the PI excludes no effect: still -1 */
    assert_int_equal(levels(&in, EVS_GRADE_INCONSISTENCY), 1);
    in.pi_lb = -0.5; /* and the PI includes no effect: -2 */
    assert_int_equal(levels(&in, EVS_GRADE_INCONSISTENCY), 2);
    in.I2 = 74.9; /* below 75%: -1 */
    assert_int_equal(levels(&in, EVS_GRADE_INCONSISTENCY), 1);
    in = base();
    in.pi_lb = 1.5; /* low I2, PI crosses the MCID: -1 */
    assert_int_equal(levels(&in, EVS_GRADE_INCONSISTENCY), 1);
    in.pi_lb = 2.01; /* PI just above the MCID: 0 */
    assert_int_equal(levels(&in, EVS_GRADE_INCONSISTENCY), 0);
    in.pi_lb = 1.5;
    in.tau2 = 0; /* no heterogeneity: the PI is the CI, imprecision's business */
    assert_int_equal(levels(&in, EVS_GRADE_INCONSISTENCY), 0);
    in.tau2 = 0.01;
    in.pi_lb = NAN; /* common-effect model: no PI, nothing to cross */
    in.pi_ub = NAN;
    assert_int_equal(levels(&in, EVS_GRADE_INCONSISTENCY), 0);
}

/*
 * One trial (k = 1), rated as a single study.  Inconsistency is judged
 * between the results of studies (GRADE guidelines 7, Guyatt et al. 2011,
 * J Clin Epidemiol 64:1294-1302): one trial has none to differ from, so the
 * domain is not assessable and never rated down, whatever I2 or tau2 the
 * caller passes (a single trial has neither: NaN); with k = 2 the same I2 of
 * 60% rates down (>= 50%).  Its uncertainty is imprecision's, from its own
 * CI and the OIS (GRADE 6, Guyatt et al. 2011, J Clin Epidemiol
 * 64:1283-1293: a large effect from a small trial is rated down when the
 * sample is below the OIS).  The numbers are Farrokhi 2011's against usual
 * care (data/vertebroplasty/outcomes.csv, the J Neurosurg Spine abstract:
 * "difference -3.1, 95% CI -3.72 to -2.28", 40 and 42 patients, sign turned
 * so that positive is less pain with vertebroplasty), MCID 1.5:
 *   SE = (3.72 - 2.28) / (2 x 1.959964) = 0.367353 (Cochrane Handbook
 *   6.5.2.3), SD = SE / sqrt(1/40 + 1/42) = 0.367353 / 0.220929 = 1.66277;
 *   OIS per arm = 2 ((1.959964 + 0.841621) x 1.66277 / 1.5)^2 = 19.29,
 *   so 20, and 40 in all.
 *   CI 2.28 to 3.72 crosses neither -1.5 nor +1.5, and 82 >= 40: not
 *   serious; start high, risk of bias -1 (open-label, RoB 2 high): moderate.
 *   Both ways around each threshold: a CI from 1.49 crosses +1.5 (-1); 39
 *   participants are below the OIS of 40 (-1), 20 are not below half of it
 *   (still -1) and 19 are (-2).
 */
static void test_one_trial(void **state)
{
    (void)state;
    evs_grade_input in = base();
    in.k = 1;
    in.n = in.n_randomised = in.n_controlled = in.n_direct = in.n_population = 82;
    in.estimate = 3.1;
    in.ci_lb = 2.28;
    in.ci_ub = 3.72;
    in.pi_lb = in.pi_ub = NAN;
    in.I2 = in.tau2 = NAN;
    in.mcid = 1.5;
    in.egger_p = NAN;
    double se = (3.72 - 2.28) / (2 * 1.959963984540054);
    double sd = se / sqrt(1.0 / 40 + 1.0 / 42);
    assert_close(sd, 1.66277, 0, 5e-6);
    evs_grade_ois_means(sd, 1.5, true, 0.05, 0.8, &in.ois);
    assert_close(in.ois.per_arm, 20, 0, 0);
    assert_close(in.ois.n, 40, 0, 0);
    evs_grade_result r = rate(&in);
    const evs_grade_rating *inc = &r.domain[EVS_GRADE_INCONSISTENCY];
    assert_false(inc->assessable);
    assert_int_equal(inc->levels, 0);
    assert_true(inc->why & EVS_GRADE_INC_ONE_STUDY);
    assert_int_equal(r.domain[EVS_GRADE_IMPRECISION].levels, 0);
    assert_false(r.domain[EVS_GRADE_PUBLICATION_BIAS].assessable);
    assert_int_equal(r.effect, EVS_EFFECT_BENEFIT);
    assert_int_equal(r.certainty, EVS_CERTAINTY_HIGH); /* no appraisal in this input */

    in.I2 = 60; /* whatever the caller passes: still not assessable */
    in.tau2 = 1;
    in.pi_lb = -1;
    in.pi_ub = 7;
    assert_int_equal(levels(&in, EVS_GRADE_INCONSISTENCY), 0);
    in.k = 2; /* two trials: I2 60% >= 50% rates down */
    assert_int_equal(levels(&in, EVS_GRADE_INCONSISTENCY), 1);
    in.k = 1;
    in.I2 = in.tau2 = in.pi_lb = in.pi_ub = NAN;

    in.ci_lb = 1.49; /* crosses +1.5 */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 1);
    in.ci_lb = 2.28;
    in.n = 40; /* at the OIS: met */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 0);
    in.n = 39; /* below it */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 1);
    in.n = 20; /* at half of it: not far below */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 1);
    in.n = 19; /* below half of it */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 2);
}

/* GRADE guidelines 8 (Guyatt 2011): the question's population,
 * intervention, comparator and outcomes. */
static void test_indirectness(void **state)
{
    (void)state;
    evs_grade_input in = base();
    in.n_direct = 249; /* 49.8% against a comparator of the question: -1 */
    assert_int_equal(levels(&in, EVS_GRADE_INDIRECTNESS), 1);
    in.n_direct = 250; /* 50%: not serious */
    assert_int_equal(levels(&in, EVS_GRADE_INDIRECTNESS), 0);
    in.kind = EVS_GRADE_SINGLE_GROUP; /* a change: a benefit in treated patients only: -1 */
    evs_grade_result r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_INDIRECTNESS].levels, 1);
    assert_true(r.domain[EVS_GRADE_INDIRECTNESS].why & EVS_GRADE_IND_SINGLE_GROUP);
    in.binary = true; /* a response rate: the same */
    assert_int_equal(levels(&in, EVS_GRADE_INDIRECTNESS), 1);
    in.harm = true; /* a rate of harm in treated patients: direct */
    assert_int_equal(levels(&in, EVS_GRADE_INDIRECTNESS), 0);
    in.n_population = 249; /* 49.8% in the review's population (< 50%): -1 */
    assert_int_equal(levels(&in, EVS_GRADE_INDIRECTNESS), 1);
    in.n_population = 250; /* 50%: not serious */
    assert_int_equal(levels(&in, EVS_GRADE_INDIRECTNESS), 0);
    in = base();
    in.n_direct = 249;     /* a comparison against the question's comparators 49.8%: -1 */
    in.n_population = 249; /* and the population 49.8%: -2 */
    assert_int_equal(levels(&in, EVS_GRADE_INDIRECTNESS), 2);
}

/*
 * GRADE guidance 34 and 35 (Zeng 2022, Schünemann 2022) with the thresholds
 * of GRADE 32 (Zeng 2021): the CI against -MCID and +MCID; crossing one is
 * serious, both very serious; a CI that crosses none is judged by the
 * optimal information size (GRADE 6), -2 "far less" than it (below 50%).
 */
static void test_imprecision_thresholds(void **state)
{
    (void)state;
    evs_grade_input in = base();
    in.ci_lb = 2.01; /* CI 2.01 to 3.4, above +2: not serious */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 0);
    in.ci_lb = 1.99; /* crosses +2: serious */
    evs_grade_result r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_IMPRECISION].levels, 1);
    assert_int_equal(r.domain[EVS_GRADE_IMPRECISION].why & (EVS_GRADE_IMP_UPPER | EVS_GRADE_IMP_LOWER),
                     EVS_GRADE_IMP_UPPER);
    in.ci_lb = -1.99; /* crosses +2 and no effect, not -2: still one threshold, serious */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 1);
    in.ci_lb = -2.01; /* crosses -2 and +2: very serious */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 2);

    /* A precise null: 0.45 (-0.04 to 0.95), MCID 1.5.  The CI includes no
     * effect but lies between -1.5 and 1.5: no important effect either way,
     * not imprecise (the vertebroplasty-against-sham example of issue 13). */
    in = base();
    in.mcid = 1.5;
    in.estimate = 0.45;
    in.ci_lb = -0.04;
    in.ci_ub = 0.95;
    in.pi_lb = -0.04; /* tau2 = 0 in that example: the PI is the CI */
    in.pi_ub = 0.95;
    in.tau2 = 0;
    in.I2 = 0;
    r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_IMPRECISION].levels, 0);
    assert_int_equal(r.effect, EVS_EFFECT_TRIVIAL);
    assert_int_equal(r.certainty, EVS_CERTAINTY_HIGH);
    in.ci_ub = 1.51; /* now it reaches an important benefit: serious */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 1);
    in.ci_ub = 1.49;
    in.ci_lb = -1.51; /* or an important disadvantage: serious */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 1);

    /* An important disadvantage, precisely: -3 (-3.4 to -2.6), MCID 2. */
    in = base();
    in.estimate = -3;
    in.ci_lb = -3.4;
    in.ci_ub = -2.6;
    r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_IMPRECISION].levels, 0);
    assert_int_equal(r.effect, EVS_EFFECT_HARM);

    /* MCID 0: the one threshold is no effect (GRADE 34's minimally
     * contextualised approach). */
    in = base();
    in.mcid = 0;
    in.ci_lb = 0.01;
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 0);
    in.ci_lb = -0.01;
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 1);
}

static void test_imprecision_rate(void **state)
{
    (void)state;
    /* A rate of harm judged important at 2%: one threshold. */
    evs_grade_input in = base();
    in.kind = EVS_GRADE_SINGLE_GROUP;
    in.harm = true;
    in.binary = true;
    in.null_value = NAN;
    in.estimate = 1;
    in.ci_lb = 0.5;
    in.ci_ub = 1.99;
    in.pi_lb = 0.5;
    in.pi_ub = 1.99;
    in.events = 5;
    evs_grade_result r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_IMPRECISION].levels, 0);
    assert_int_equal(r.effect, EVS_EFFECT_BELOW);
    assert_true(isnan(r.lower));
    in.ci_ub = 2.01; /* the CI reaches the threshold: serious */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 1);
    in.estimate = 3; /* above it, precisely */
    in.ci_lb = 2.01;
    in.ci_ub = 4;
    r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_IMPRECISION].levels, 0);
    assert_int_equal(r.effect, EVS_EFFECT_ABOVE);

    /* Issue 13's example: 1 event in 258 patients, a CI clear of 2% but an
     * OIS of 5,676 (test_ois: 2% against 1.5%): 258 is below half of it, -2;
     * from high (trials) to low, not moderate. */
    in = base();
    in.kind = EVS_GRADE_SINGLE_GROUP;
    in.harm = true;
    in.binary = true;
    in.null_value = NAN;
    in.n = 258;
    in.n_randomised = in.n_controlled = in.n_direct = in.n_population = 258;
    in.events = 1;
    in.estimate = 0.39;
    in.ci_lb = 0.05;
    in.ci_ub = 1.9;
    in.pi_lb = in.pi_ub = NAN;
    in.ois = (evs_ois){.basis = EVS_OIS_RATE_ONE, .n = 5676};
    r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_IMPRECISION].levels, 2);
    assert_true(r.domain[EVS_GRADE_IMPRECISION].why & EVS_GRADE_IMP_FAR_BELOW_OIS);
    assert_int_equal(r.certainty, EVS_CERTAINTY_LOW);
}

static void test_imprecision_ois(void **state)
{
    (void)state;
    evs_grade_input in = base(); /* OIS 400 */
    in.n = 400;                  /* at the OIS: met */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 0);
    in.n = 399; /* below: -1 */
    evs_grade_result r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_IMPRECISION].levels, 1);
    assert_true(r.domain[EVS_GRADE_IMPRECISION].why & EVS_GRADE_IMP_BELOW_OIS);
    assert_false(r.domain[EVS_GRADE_IMPRECISION].why & EVS_GRADE_IMP_FAR_BELOW_OIS);
    in.n = 200; /* exactly half: not below 50%, still -1 */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 1);
    in.n = 199; /* below half: -2 */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 2);

    /* The larger of the CI's and the OIS's ratings, never their sum; except
     * that a CI across a threshold with an information size far below the
     * OIS is extremely serious, three levels (GRADE 34). */
    in = base();
    in.ci_lb = 1.9; /* crosses +2: 1 */
    in.n = 399;     /* below the OIS: 1 */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 1);
    in.n = 200; /* half the OIS, not below it: still 1 */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 1);
    in.n = 199; /* far below (under 50%), and the CI crosses +2: 3 */
    evs_grade_result r3 = rate(&in);
    assert_int_equal(r3.domain[EVS_GRADE_IMPRECISION].levels, 3);
    assert_true(r3.domain[EVS_GRADE_IMPRECISION].why & EVS_GRADE_IMP_EXTREME);
    /* from high (randomised) down three: very low, the rest being clean */
    assert_int_equal(r3.certainty, EVS_CERTAINTY_VERY_LOW);
    in.ci_lb = 2.01; /* far below, CI clear of +2: 2 */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 2);
    in.ci_lb = -2.1; /* both thresholds, OIS only just missed: 2 */
    in.n = 399;
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 2);
    in.n = 150; /* both thresholds and far below: 3 */
    assert_int_equal(levels(&in, EVS_GRADE_IMPRECISION), 3);

    /* Without an OIS only the CI counts, and the result says so. */
    in = base();
    in.ois = (evs_ois){.basis = EVS_OIS_NONE, .n = NAN};
    in.n = 10;
    r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_IMPRECISION].levels, 0);
    assert_true(r.domain[EVS_GRADE_IMPRECISION].why & EVS_GRADE_IMP_NO_OIS);
}

/*
 * The OIS formulas of grade.h, by hand with z(0.975) = 1.959963985 and
 * z(0.8) = 0.841621234, (z_a + z_b)^2 = 7.848879734.
 */
static void test_ois(void **state)
{
    (void)state;
    evs_ois o;
    /* Two groups, SD 2, MCID 1.5: per arm 2 * 7.8489 * 4 / 2.25 = 27.907,
     * rounded up to 28; 56 in all.  (R's power.t.test, which uses t instead
     * of z, gives 28.9 per arm: GRADE's OIS is the normal approximation.) */
    evs_grade_ois_means(2, 1.5, true, 0.05, 0.8, &o);
    assert_int_equal(o.basis, EVS_OIS_MEANS_TWO);
    assert_close(o.per_arm, 28, 0, 0);
    assert_close(o.n, 56, 0, 0);
    /* One group, SD of the change 1.8, MCID 2: 7.8489 * 3.24 / 4 = 6.358 -> 7. */
    evs_grade_ois_means(1.8, 2, false, 0.05, 0.8, &o);
    assert_int_equal(o.basis, EVS_OIS_MEAN_ONE);
    assert_close(o.n, 7, 0, 0);
    /* One group, a rate of 2% against 1.5% (an RRR of 25%):
     * (1.96 sqrt(.02 .98) + 0.8416 sqrt(.015 .985))^2 / .005^2 = 5675.998 -> 5676. */
    evs_grade_ois_rates(0.02, 0.015, false, 0.05, 0.8, &o);
    assert_int_equal(o.basis, EVS_OIS_RATE_ONE);
    assert_close(o.n, 5676, 0, 0);
    /* Two groups, control risk 20% against 15%: per arm
     * (1.96 sqrt(2 .175 .825) + 0.8416 sqrt(.16 + .1275))^2 / .05^2 = 905.366
     * (R's power.prop.test(p1 = .2, p2 = .15, power = .8) gives 905.365778)
     * -> 906 per arm, 1,812 in all. */
    evs_grade_ois_rates(0.2, 0.15, true, 0.05, 0.8, &o);
    assert_int_equal(o.basis, EVS_OIS_RISKS_TWO);
    assert_close(o.per_arm, 906, 0, 0);
    assert_close(o.n, 1812, 0, 0);
    /* No spread, no threshold or a rate of 0: none. */
    evs_grade_ois_means(NAN, 1.5, true, 0.05, 0.8, &o);
    assert_int_equal(o.basis, EVS_OIS_NONE);
    assert_true(isnan(o.n));
    evs_grade_ois_means(2, 0, true, 0.05, 0.8, &o);
    assert_int_equal(o.basis, EVS_OIS_NONE);
    evs_grade_ois_rates(0, 0, false, 0.05, 0.8, &o);
    assert_int_equal(o.basis, EVS_OIS_NONE);
}

/* GRADE guidelines 5 (Guyatt 2011): publication bias. */
static void test_publication_bias(void **state)
{
    (void)state;
    evs_grade_input in = base();
    in.egger_p = 0.099; /* p < 0.10: -1 */
    evs_grade_result r = rate(&in);
    assert_int_equal(r.domain[EVS_GRADE_PUBLICATION_BIAS].levels, 1);
    assert_true(r.domain[EVS_GRADE_PUBLICATION_BIAS].assessable);
    in.egger_p = 0.10;
    assert_int_equal(levels(&in, EVS_GRADE_PUBLICATION_BIAS), 0);
    in.k = 10; /* exactly 10 studies: assessable */
    in.egger_p = 0.001;
    assert_int_equal(levels(&in, EVS_GRADE_PUBLICATION_BIAS), 1);
    in.k = 9; /* fewer than 10 studies: not assessable, whatever p is */
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

    /* Randomised evidence rated down once (n 300 < OIS 400): moderate. */
    in = base();
    in.n = 300;
    assert_int_equal(rate(&in).certainty, EVS_CERTAINTY_MODERATE);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_to_rate_down),
        cmocka_unit_test(test_start),
        cmocka_unit_test(test_risk_of_bias),
        cmocka_unit_test(test_inconsistency),
        cmocka_unit_test(test_one_trial),
        cmocka_unit_test(test_indirectness),
        cmocka_unit_test(test_imprecision_thresholds),
        cmocka_unit_test(test_imprecision_rate),
        cmocka_unit_test(test_imprecision_ois),
        cmocka_unit_test(test_ois),
        cmocka_unit_test(test_publication_bias),
        cmocka_unit_test(test_override_and_floor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
