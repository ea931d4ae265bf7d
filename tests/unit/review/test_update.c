/*
 * test_update.c -- the update signals and status (review/update.h), each
 * rule tested on both sides of its threshold.  The expected verdicts are
 * worked out by hand from the guidance the rules cite:
 *
 *   Shojania KG et al. 2007 (Ann Intern Med 147:224): a relative change of
 *   at least 50% in the pooled effect; a change in statistical significance
 *   (the CI and no effect).
 *   Garner P et al. 2016 (BMJ 354:i3507): new studies that could change the
 *   findings; the status ladder of update.h.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#include "evs_test.h"
#include "review/update.h"

static const char *const verdicts_a[] = {"not met", "not met", "cannot be determined",
                                         "cannot be determined", "cannot be determined"};

/* One analysis on a points scale, MCID 2. */
static evs_update_analysis pain(double est, double lb, double ub)
{
    return (evs_update_analysis){.id = "pain.early", .label = "Pain", .window_label = "early",
                                 .pooled = true, .primary = true, .k = 3, .estimate = est,
                                 .ci_lb = lb, .ci_ub = ub, .mcid = 2,
                                 .certainty = "very low"};
}

/* A harm's rate in percent, threshold 10. */
static evs_update_analysis harm(double est, double lb, double ub)
{
    return (evs_update_analysis){.id = "leak.all", .label = "Leakage", .window_label = "all",
                                 .pooled = true, .percent = true, .harm = true, .k = 3,
                                 .estimate = est, .ci_lb = lb, .ci_ub = ub, .mcid = 10,
                                 .certainty = "low"};
}

static const evs_update_study old_studies[] = {
    {"s1", "S1", "case_series", 20}, {"s2", "S2", "case_series", 20}, {"s3", "S3", "case_series", NAN}};

static evs_update_side side_of(const evs_update_study *st, size_t ns,
                               const evs_update_analysis *an, size_t na)
{
    return (evs_update_side){.nstudies = ns, .studies = st, .nanalyses = na, .analyses = an,
                             .ncriteria = 5, .criteria = verdicts_a, .investigational = true,
                             .approved = false, .regulatory_status = "Not approved."};
}

/* The kinds of the signals, in order, as a string of their numbers. */
static void kinds(const evs_update *u, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (size_t i = 0; i < u->n; i++) {
        char one[8];
        snprintf(one, sizeof one, "%s%d", i ? "," : "", (int)u->signals[i].kind);
        strncat(buf, one, cap - strlen(buf) - 1);
    }
}

static void expect(const evs_update_side *o, const evs_update_side *n, const char *want,
                   evs_update_status status)
{
    evs_update u;
    assert_int_equal(evs_update_compare(o, n, &u), EVS_OK);
    char got[256];
    kinds(&u, got, sizeof got);
    assert_string_equal(got, want);
    assert_int_equal(u.status, status);
    evs_update_free(&u);
}

#define K(x) #x

static void test_relative_change(void **state)
{
    (void)state;
    /* CIs kept clear of 0 and of the MCID (2), so that only the relative change can signal. */
    evs_update_analysis before = pain(2.5, 2.2, 2.8);
    evs_update_side o = side_of(old_studies, 3, &before, 1);
    struct {
        double est;
        bool signal;
        double rel;
    } cases[] = {
        {3.75, true, 0.5},      /* +50% exactly: "at least 50%" */
        {3.74, false, 0},       /* +49.6% */
        {1.25 + 1.0, false, 0}, /* 2.25: -10% */
        {12.5, true, 4.0},      /* +400% */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        evs_update_analysis now = pain(cases[i].est, cases[i].est - 0.2, cases[i].est + 0.2);
        evs_update_side n = side_of(old_studies, 3, &now, 1);
        evs_update u;
        assert_int_equal(evs_update_compare(&o, &n, &u), EVS_OK);
        assert_int_equal(u.n, cases[i].signal ? 1 : 0);
        if (cases[i].signal) {
            assert_int_equal(u.signals[0].kind, EVS_SIGNAL_RELATIVE);
            assert_close(u.signals[0].value, cases[i].rel, 1e-12, 0);
            assert_int_equal(u.status, EVS_UPDATE_MAY_CHANGE);
        } else {
            assert_int_equal(u.status, EVS_UPDATE_UNCHANGED); /* the estimate moved */
        }
        evs_update_free(&u);
    }
    /* A decrease of 50%: 8 to 4, both CIs above the MCID of 2. */
    evs_update_analysis high = pain(8, 7, 9), half = pain(4, 3, 5), nearly = pain(4.01, 3, 5);
    evs_update_side oh = side_of(old_studies, 3, &high, 1);
    evs_update_side nh = side_of(old_studies, 3, &half, 1);
    expect(&oh, &nh, K(5), EVS_UPDATE_MAY_CHANGE); /* -50% */
    nh = side_of(old_studies, 3, &nearly, 1);
    expect(&oh, &nh, "", EVS_UPDATE_UNCHANGED); /* -49.9% */
    /* From 0 there is no relative change to speak of. */
    evs_update_analysis zero = pain(0, -0.5, 0.5), some = pain(0.1, -0.4, 0.6);
    evs_update_side oz = side_of(old_studies, 3, &zero, 1), nz = side_of(old_studies, 3, &some, 1);
    expect(&oz, &nz, "", EVS_UPDATE_UNCHANGED);
}

static void test_ci_crossings(void **state)
{
    (void)state;
    /* No effect (0) and the MCID (2) on a points scale; intervals are closed. */
    evs_update_analysis a = pain(1.0, 0.1, 1.9), b = pain(0.9, -0.1, 1.9),
                        c = pain(1.1, 0.0, 2.0), e = pain(2.4, 2.1, 2.7);
    evs_update_side sa = side_of(old_studies, 3, &a, 1), sb = side_of(old_studies, 3, &b, 1),
                    sc = side_of(old_studies, 3, &c, 1), se = side_of(old_studies, 3, &e, 1);
    evs_update u;
    /* [0.1, 1.9] -> [-0.1, 1.9]: now includes no effect; relative change -10%. */
    assert_int_equal(evs_update_compare(&sa, &sb, &u), EVS_OK);
    assert_int_equal(u.n, 1);
    assert_int_equal(u.signals[0].kind, EVS_SIGNAL_NULL);
    assert_true(u.signals[0].now);
    evs_update_free(&u);
    /* and back: no longer includes it */
    assert_int_equal(evs_update_compare(&sb, &sa, &u), EVS_OK);
    assert_int_equal(u.signals[0].kind, EVS_SIGNAL_NULL);
    assert_false(u.signals[0].now);
    evs_update_free(&u);
    /* [0.1, 1.9] -> [0, 2]: both bounds touch, so the CI now includes 0 and 2 (+10%). */
    expect(&sa, &sc, K(3) "," K(4), EVS_UPDATE_MAY_CHANGE);
    /* [0, 2] -> [2.1, 2.7]: no longer includes 0 nor 2; +118% */
    evs_update_free(&u);
    assert_int_equal(evs_update_compare(&sc, &se, &u), EVS_OK);
    char got[64];
    kinds(&u, got, sizeof got);
    assert_string_equal(got, K(3) "," K(4) "," K(5));
    assert_false(u.signals[0].now);
    assert_false(u.signals[1].now);
    evs_update_free(&u);
    /* A rate has no "no effect": only its threshold counts. */
    evs_update_analysis r1 = harm(5, 1, 9), r2 = harm(5.2, 0, 12);
    evs_update_side s1 = side_of(old_studies, 3, &r1, 1), s2 = side_of(old_studies, 3, &r2, 1);
    expect(&s1, &s2, K(4), EVS_UPDATE_MAY_CHANGE);
    /* Not pooled on one side: no CI to compare. */
    evs_update_analysis np = pain(NAN, NAN, NAN);
    np.pooled = false;
    evs_update_side snp = side_of(old_studies, 3, &np, 1);
    expect(&snp, &sa, "", EVS_UPDATE_UNCHANGED);
}

static void test_harm_threshold(void **state)
{
    (void)state;
    /* Criterion 3's rule: a rate above (>) the threshold; CIs keep 10 inside throughout. */
    evs_update_analysis at = harm(10, 8, 12), above = harm(10.01, 8, 12), below = harm(9.99, 8, 12);
    evs_update_side sat = side_of(old_studies, 3, &at, 1), sab = side_of(old_studies, 3, &above, 1),
                    sbe = side_of(old_studies, 3, &below, 1);
    expect(&sbe, &sat, "", EVS_UPDATE_UNCHANGED); /* 9.99 -> 10: not above */
    evs_update u;
    assert_int_equal(evs_update_compare(&sat, &sab, &u), EVS_OK); /* 10 -> 10.01 */
    assert_int_equal(u.n, 1);
    assert_int_equal(u.signals[0].kind, EVS_SIGNAL_HARM);
    assert_true(u.signals[0].now);
    evs_update_free(&u);
    assert_int_equal(evs_update_compare(&sab, &sbe, &u), EVS_OK); /* and back below */
    assert_int_equal(u.signals[0].kind, EVS_SIGNAL_HARM);
    assert_false(u.signals[0].now);
    evs_update_free(&u);
}

static void test_new_studies(void **state)
{
    (void)state;
    evs_update_analysis a = pain(2.5, 2.2, 2.8);
    evs_update_side o = side_of(old_studies, 3, &a, 1);
    /* The previous studies hold 20 + 20 = 40 participants (s3's n is unknown). */
    evs_update_study grown[5] = {old_studies[0], old_studies[1], old_studies[2]};
    grown[3] = (evs_update_study){"r1", "R1", "randomised", 40};
    evs_update_side n = side_of(grown, 4, &a, 1);
    expect(&o, &n, K(0), EVS_UPDATE_MAY_CHANGE); /* 40 is not larger than 40 */
    grown[3].n = 41;
    evs_update u;
    assert_int_equal(evs_update_compare(&o, &n, &u), EVS_OK);
    char got[64];
    kinds(&u, got, sizeof got);
    assert_string_equal(got, K(0) "," K(2));
    assert_close(u.signals[1].value, 40, 0, 0);
    assert_int_equal(u.added, 1);
    evs_update_free(&u);
    grown[3] = (evs_update_study){"c1", "C1", "prospective_comparative", 10};
    expect(&o, &n, K(1), EVS_UPDATE_MAY_CHANGE);
    /* A small uncontrolled series: new evidence, no signal. */
    grown[3] = (evs_update_study){"c2", "C2", "retrospective_series", 12};
    expect(&o, &n, "", EVS_UPDATE_UNCHANGED);
    /* A study removed is a change of the evidence too. */
    evs_update_side fewer = side_of(old_studies, 2, &a, 1);
    expect(&o, &fewer, "", EVS_UPDATE_UNCHANGED);
    /* Nothing at all. */
    expect(&o, &o, "", EVS_UPDATE_NO_NEW_EVIDENCE);
}

static void test_status_and_verdicts(void **state)
{
    (void)state;
    evs_update_analysis a = pain(2.5, 2.2, 2.8);
    evs_update_side o = side_of(old_studies, 3, &a, 1), n = o;
    n.approved = true;
    n.regulatory_status = "Approved.";
    expect(&o, &n, K(8), EVS_UPDATE_MAY_CHANGE);
    n = o;
    n.regulatory_status = "Cleared for another use.";
    expect(&o, &n, K(8), EVS_UPDATE_MAY_CHANGE);
    static const char *const verdicts_b[] = {"met", "not met", "cannot be determined",
                                             "cannot be determined", "cannot be determined"};
    n = o;
    n.criteria = verdicts_b;
    expect(&o, &n, K(9), EVS_UPDATE_MAY_CHANGE);
    n.investigational = false;
    expect(&o, &n, K(9) "," K(10), EVS_UPDATE_CHANGED);
    n = o;
    evs_update_analysis rated = a;
    rated.certainty = "low";
    n.analyses = &rated;
    expect(&o, &n, K(6), EVS_UPDATE_MAY_CHANGE);
    assert_string_equal(evs_update_status_name(EVS_UPDATE_MAY_CHANGE),
                        "new evidence that may change the conclusion");
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relative_change), cmocka_unit_test(test_ci_crossings),
        cmocka_unit_test(test_harm_threshold),  cmocka_unit_test(test_new_studies),
        cmocka_unit_test(test_status_and_verdicts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
