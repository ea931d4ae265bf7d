/*
 * test_appraisal.c -- the overall rules of the risk-of-bias tools and the
 * GRADE risk-of-bias domain from appraisals (review/appraisal.h), each
 * worked by hand from the tool's published guidance:
 *
 *  RoB 2 (Sterne et al. 2019, "Reaching an overall risk-of-bias
 *  judgement"): "Low risk of bias: the trial is judged to be at low risk of
 *  bias for all domains for this result.  Some concerns: the trial is judged
 *  to raise some concerns in at least one domain for this result, but not
 *  to be at high risk of bias for any domain.  High risk of bias: the trial
 *  is judged to be at high risk of bias in at least one domain for this
 *  result, or the trial is judged to have some concerns for multiple
 *  domains in a way that substantially lowers confidence in the result."
 *
 *  ROBINS-I (Sterne et al. 2016): low when low in all domains; moderate when
 *  low or moderate in all; serious when serious in at least one but critical
 *  in none; critical when critical in at least one; no information when
 *  there is no clear indication of serious or critical risk and information
 *  is lacking in one or more key domains.
 *
 *  JBI case series (Munn et al. 2020): no rule of its own; evsynth's is the
 *  share of applicable items answered yes against the review's cut-offs
 *  (70% low, 50% moderate by default).
 *
 *  The same overall rules are those of the Cochrane Handbook (version 6):
 *  chapter 8 for RoB 2 (Higgins, Savovic, Page, Elbers, Sterne), chapter 25
 *  for ROBINS-I (Sterne, Hernan, McAleenan, Reeves, Higgins).
 *
 *  GRADE guidelines 4 (Guyatt et al. 2011, J Clin Epidemiol 64:407-415):
 *  study limitations are judged per outcome across the body of evidence,
 *  each study counting by its contribution to the pooled estimate (its
 *  weight), not by the number of studies; one level down for serious and
 *  two for very serious limitations.  Cochrane Handbook 5.1 Table 12.2.d
 *  turns that into shares of the information: "most information" from
 *  studies at low, at low or unclear, or enough at high risk "to affect the
 *  interpretation".  evsynth's rule, tested on both sides of each
 *  threshold below: the shares of the analysis weight at critical (-2),
 *  high (-1), and high or unknown (-1) risk against rob_critical_share,
 *  rob_high_share and rob_unclear_share (50% each by default).
 */
#include <math.h>
#include <string.h>

#include "evs_test.h"
#include "io/review_io.h"
#include "review/appraisal.h"
#include "review/synthesis.h"

#define L EVS_ROB_LOW
#define S EVS_ROB_SOME_CONCERNS
#define H EVS_ROB_HIGH
#define M EVS_ROB_MODERATE
#define SE EVS_ROB_SERIOUS
#define C EVS_ROB_CRITICAL
#define NI EVS_ROB_NO_INFORMATION
#define Y EVS_ROB_YES
#define N EVS_ROB_NO
#define U EVS_ROB_UNCLEAR
#define NA EVS_ROB_NOT_APPLICABLE

static evs_rob_settings defaults(void)
{
    evs_rob_settings s;
    evs_rob_settings_default(&s);
    return s;
}

static evs_rob_overall rule(evs_rob_tool t, const evs_rob_judgement *d,
                            const evs_rob_settings *s)
{
    evs_rob_overall o;
    evs_rob_overall_rule(t, d, s, &o);
    return o;
}

#define BIT(j) (1u << (j))

static void test_rob2_rule(void **state)
{
    (void)state;
    evs_rob_settings s = defaults();
    /* "low risk of bias for all domains": low. */
    evs_rob_judgement all_low[5] = {L, L, L, L, L};
    assert_int_equal(rule(EVS_ROB_TOOL_ROB2, all_low, &s).judgement, L);
    /* Some concerns in D3 only, none high: some concerns, because of D3. */
    evs_rob_judgement d3[5] = {L, L, S, L, L};
    evs_rob_overall o = rule(EVS_ROB_TOOL_ROB2, d3, &s);
    assert_int_equal(o.judgement, S);
    assert_int_equal(o.worst, BIT(2));
    /* High in D2: high, whatever the others. */
    evs_rob_judgement d2[5] = {S, H, L, S, L};
    o = rule(EVS_ROB_TOOL_ROB2, d2, &s);
    assert_int_equal(o.judgement, H);
    assert_int_equal(o.worst, BIT(1));
    /* Some concerns in four domains: still some concerns by default, the
     * "multiple domains" step being a judgement that the default leaves to
     * the reviewer. */
    evs_rob_judgement four[5] = {S, S, S, S, L};
    o = rule(EVS_ROB_TOOL_ROB2, four, &s);
    assert_int_equal(o.judgement, S);
    assert_int_equal(o.some_concerns, 4);
    assert_false(o.by_setting);
}

static void test_rob2_setting(void **state)
{
    (void)state;
    evs_rob_settings s = defaults();
    s.rob2_some_concerns_high = 3;
    /* Two domains with some concerns: one below the setting, some concerns. */
    evs_rob_judgement two[5] = {S, L, S, L, L};
    assert_int_equal(rule(EVS_ROB_TOOL_ROB2, two, &s).judgement, S);
    /* Three: at the setting, high, and it says so. */
    evs_rob_judgement three[5] = {S, L, S, S, L};
    evs_rob_overall o = rule(EVS_ROB_TOOL_ROB2, three, &s);
    assert_int_equal(o.judgement, H);
    assert_true(o.by_setting);
    assert_int_equal(o.worst, BIT(0) | BIT(2) | BIT(3));
}

static void test_rob2_no_information(void **state)
{
    (void)state;
    evs_rob_settings s = defaults();
    /* D5 without a judgement and nothing high: the overall cannot be judged. */
    evs_rob_judgement ni[5] = {L, L, L, L, NI};
    evs_rob_overall o = rule(EVS_ROB_TOOL_ROB2, ni, &s);
    assert_int_equal(o.judgement, NI);
    assert_int_equal(o.worst, BIT(4));
    /* A domain at high decides even with a domain unjudged. */
    evs_rob_judgement high[5] = {NI, L, H, L, L};
    assert_int_equal(rule(EVS_ROB_TOOL_ROB2, high, &s).judgement, H);
}

static void test_rob2_reviewer(void **state)
{
    (void)state;
    evs_rob_settings s = defaults();
    evs_rob_judgement two[5] = {S, S, L, L, L};
    evs_rob_overall o = rule(EVS_ROB_TOOL_ROB2, two, &s);
    /* The rule's own overall agrees. */
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROB2, two, &o, S), EVS_ROB_AGREES);
    /* High for some concerns in two (multiple) domains: the reviewer's call. */
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROB2, two, &o, H), EVS_ROB_REVIEWER);
    /* Low with some concerns somewhere contradicts "low for all domains". */
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROB2, two, &o, L), EVS_ROB_CONTRADICTS);
    /* One domain with some concerns is not "multiple": high contradicts. */
    evs_rob_judgement one[5] = {L, S, L, L, L};
    o = rule(EVS_ROB_TOOL_ROB2, one, &s);
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROB2, one, &o, H), EVS_ROB_CONTRADICTS);
    /* A domain at high: nothing but high. */
    evs_rob_judgement high[5] = {L, H, L, L, L};
    o = rule(EVS_ROB_TOOL_ROB2, high, &s);
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROB2, high, &o, S), EVS_ROB_CONTRADICTS);
    /* High by the setting: the reviewer may judge these concerns not to
     * lower confidence substantially. */
    s.rob2_some_concerns_high = 2;
    o = rule(EVS_ROB_TOOL_ROB2, two, &s);
    assert_int_equal(o.judgement, H);
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROB2, two, &o, S), EVS_ROB_REVIEWER);
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROB2, two, &o, L), EVS_ROB_CONTRADICTS);
    /* No information in a domain: some concerns or high, never low. */
    s = defaults();
    evs_rob_judgement ni[5] = {L, NI, L, L, L};
    o = rule(EVS_ROB_TOOL_ROB2, ni, &s);
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROB2, ni, &o, S), EVS_ROB_REVIEWER);
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROB2, ni, &o, H), EVS_ROB_REVIEWER);
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROB2, ni, &o, L), EVS_ROB_CONTRADICTS);
}

static void test_robins_rule(void **state)
{
    (void)state;
    evs_rob_settings s = defaults();
    evs_rob_judgement low[7] = {L, L, L, L, L, L, L};
    assert_int_equal(rule(EVS_ROB_TOOL_ROBINS_I, low, &s).judgement, L);
    /* "low or moderate in all domains": moderate. */
    evs_rob_judgement mod[7] = {M, L, L, L, M, L, L};
    evs_rob_overall o = rule(EVS_ROB_TOOL_ROBINS_I, mod, &s);
    assert_int_equal(o.judgement, M);
    assert_int_equal(o.worst, BIT(0) | BIT(4));
    /* Serious in D1, critical nowhere: serious. */
    evs_rob_judgement ser[7] = {SE, M, L, L, L, M, L};
    o = rule(EVS_ROB_TOOL_ROBINS_I, ser, &s);
    assert_int_equal(o.judgement, SE);
    assert_int_equal(o.worst, BIT(0));
    /* Critical in D6: critical, above the serious D1. */
    evs_rob_judgement crit[7] = {SE, L, L, L, L, C, L};
    o = rule(EVS_ROB_TOOL_ROBINS_I, crit, &s);
    assert_int_equal(o.judgement, C);
    assert_int_equal(o.worst, BIT(5));
    /* No information in D5 with moderate elsewhere: no clear indication of
     * serious risk, information lacking: no information. */
    evs_rob_judgement ni[7] = {M, L, L, L, NI, L, L};
    o = rule(EVS_ROB_TOOL_ROBINS_I, ni, &s);
    assert_int_equal(o.judgement, NI);
    assert_int_equal(o.worst, BIT(4));
    /* With a serious domain the indication is clear: serious. */
    evs_rob_judgement ni_ser[7] = {SE, L, L, L, NI, L, L};
    assert_int_equal(rule(EVS_ROB_TOOL_ROBINS_I, ni_ser, &s).judgement, SE);
}

static void test_robins_reviewer(void **state)
{
    (void)state;
    evs_rob_settings s = defaults();
    /* D5 judged not a key domain: the overall is the worst judged domain. */
    evs_rob_judgement ni[7] = {M, L, L, L, NI, L, L};
    evs_rob_overall o = rule(EVS_ROB_TOOL_ROBINS_I, ni, &s);
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROBINS_I, ni, &o, M), EVS_ROB_REVIEWER);
    /* Low would be milder than the moderate D1. */
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROBINS_I, ni, &o, L), EVS_ROB_CONTRADICTS);
    /* Serious needs a serious domain. */
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROBINS_I, ni, &o, SE),
                     EVS_ROB_CONTRADICTS);
    evs_rob_judgement ni_low[7] = {L, L, NI, L, L, L, L};
    o = rule(EVS_ROB_TOOL_ROBINS_I, ni_low, &s);
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROBINS_I, ni_low, &o, L),
                     EVS_ROB_REVIEWER);
    /* Outside "no information" the overall is the worst domain, no judgement. */
    evs_rob_judgement ser[7] = {SE, SE, L, L, L, L, L};
    o = rule(EVS_ROB_TOOL_ROBINS_I, ser, &s);
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROBINS_I, ser, &o, C),
                     EVS_ROB_CONTRADICTS);
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_ROBINS_I, ser, &o, SE), EVS_ROB_AGREES);
}

static void test_jbi_rule(void **state)
{
    (void)state;
    evs_rob_settings s = defaults();
    /* 7 of 10 yes = 70%: at the low cut-off, low. */
    evs_rob_judgement seven[10] = {Y, Y, Y, Y, Y, Y, Y, N, N, N};
    evs_rob_overall o = rule(EVS_ROB_TOOL_JBI_CASE_SERIES, seven, &s);
    assert_int_equal(o.judgement, L);
    assert_int_equal(o.yes, 7);
    assert_int_equal(o.applicable, 10);
    assert_close(o.yes_share, 70, 0, 0);
    /* 6 of 10 = 60%: below 70, at least 50: moderate; the unmet items are why. */
    evs_rob_judgement six[10] = {Y, Y, Y, Y, Y, Y, N, U, N, U};
    o = rule(EVS_ROB_TOOL_JBI_CASE_SERIES, six, &s);
    assert_int_equal(o.judgement, M);
    assert_int_equal(o.worst, BIT(6) | BIT(7) | BIT(8) | BIT(9));
    /* 5 of 10 = 50%: at the moderate cut-off, moderate. */
    evs_rob_judgement five[10] = {Y, Y, Y, Y, Y, U, U, U, U, U};
    assert_int_equal(rule(EVS_ROB_TOOL_JBI_CASE_SERIES, five, &s).judgement, M);
    /* 4 of 10 = 40%: high.  Unclear counts as not met. */
    evs_rob_judgement four[10] = {Y, Y, Y, Y, U, U, U, U, U, U};
    assert_int_equal(rule(EVS_ROB_TOOL_JBI_CASE_SERIES, four, &s).judgement, H);
    /* Not applicable leaves the denominator: 6 of 9 = 66.7%, moderate;
     * 7 of 9 = 77.8%, low. */
    evs_rob_judgement na6[10] = {Y, Y, Y, Y, Y, Y, NA, N, N, N};
    o = rule(EVS_ROB_TOOL_JBI_CASE_SERIES, na6, &s);
    assert_int_equal(o.applicable, 9);
    assert_close(o.yes_share, 200.0 / 3, 1e-12, 0);
    assert_int_equal(o.judgement, M);
    evs_rob_judgement na7[10] = {Y, Y, Y, Y, Y, Y, Y, NA, N, N};
    assert_int_equal(rule(EVS_ROB_TOOL_JBI_CASE_SERIES, na7, &s).judgement, L);
    /* The review's cut-offs: at 60% low, the six-yes series is low. */
    s.jbi_low_share = 60;
    assert_int_equal(rule(EVS_ROB_TOOL_JBI_CASE_SERIES, six, &s).judgement, L);
}

static void test_jbi_critical(void **state)
{
    (void)state;
    evs_rob_settings s = defaults();
    s.jbi_critical_items = BIT(3) | BIT(4); /* Q4 consecutive, Q5 complete inclusion */
    /* 9 of 10 yes, but Q4 answered no: high. */
    evs_rob_judgement q4[10] = {Y, Y, Y, N, Y, Y, Y, Y, Y, Y};
    evs_rob_overall o = rule(EVS_ROB_TOOL_JBI_CASE_SERIES, q4, &s);
    assert_int_equal(o.judgement, H);
    assert_int_equal(o.critical_no, BIT(3));
    /* Q4 unclear is not a "no": 90%, low. */
    evs_rob_judgement q4u[10] = {Y, Y, Y, U, Y, Y, Y, Y, Y, Y};
    assert_int_equal(rule(EVS_ROB_TOOL_JBI_CASE_SERIES, q4u, &s).judgement, L);
    /* A no on an item that is not critical: 90%, low. */
    evs_rob_judgement q9[10] = {Y, Y, Y, Y, Y, Y, Y, Y, N, Y};
    assert_int_equal(rule(EVS_ROB_TOOL_JBI_CASE_SERIES, q9, &s).judgement, L);
    /* JBI gives no rule, so any overall the reviewer gives stands as theirs. */
    o = rule(EVS_ROB_TOOL_JBI_CASE_SERIES, q9, &s);
    assert_int_equal(evs_rob_overall_check(EVS_ROB_TOOL_JBI_CASE_SERIES, q9, &o, M),
                     EVS_ROB_REVIEWER);
}

static void test_names(void **state)
{
    (void)state;
    evs_rob_tool t;
    assert_true(evs_rob_tool_from_name("robins_i", &t));
    assert_int_equal(t, EVS_ROB_TOOL_ROBINS_I);
    assert_false(evs_rob_tool_from_name("RoB2", &t));
    evs_rob_judgement j;
    assert_true(evs_rob_judgement_from_name("some_concerns", &j));
    assert_int_equal(j, S);
    assert_string_equal(evs_rob_judgement_label(S), "Some concerns");
    assert_int_equal(evs_rob_tool_get(EVS_ROB_TOOL_ROB2)->ndomains, 5);
    assert_int_equal(evs_rob_tool_get(EVS_ROB_TOOL_ROBINS_I)->ndomains, 7);
    assert_int_equal(evs_rob_tool_get(EVS_ROB_TOOL_JBI_CASE_SERIES)->ndomains, 10);
    char buf[64];
    evs_rob_domain_list(EVS_ROB_TOOL_ROB2, BIT(1) | BIT(3), buf, sizeof buf);
    assert_string_equal(buf, "D2 and D4");
    evs_rob_domain_list(EVS_ROB_TOOL_JBI_CASE_SERIES, BIT(0) | BIT(3) | BIT(9), buf, sizeof buf);
    assert_string_equal(buf, "Q1, Q4 and Q10");
}

/* ---------------------------------------------------------------------------
 * The GRADE domain
 */

#define LO EVS_ROB_LEVEL_LOW
#define CO EVS_ROB_LEVEL_CONCERNS
#define HI EVS_ROB_LEVEL_HIGH
#define CR EVS_ROB_LEVEL_CRITICAL
#define UN EVS_ROB_LEVEL_NO_INFO
#define NS EVS_ROB_LEVEL_NOT_ASSESSED

static evs_rob_grade grade(const evs_rob_level *l, const double *w, size_t k, double critical,
                           double high, double unclear)
{
    evs_rob_grade g;
    evs_rob_grade_rate(l, w, k, critical, high, unclear, &g);
    return g;
}

static void test_grade_high(void **state)
{
    (void)state;
    evs_rob_level l[] = {HI, LO, CO};
    /* 50% of the weight at high risk: the threshold, -1. */
    double at[] = {50, 30, 20};
    evs_rob_grade g = grade(l, at, 3, 50, 50, 50);
    assert_true(g.applies);
    assert_int_equal(g.levels, 1);
    assert_int_equal(g.why, EVS_ROB_GRADE_HIGH);
    assert_close(g.share[EVS_ROB_LEVEL_HIGH], 50, 1e-12, 0);
    assert_int_equal(g.count[EVS_ROB_LEVEL_HIGH], 1);
    /* 49.5%: below, and nothing unknown: not rated down. */
    double below[] = {49.5, 30.5, 20};
    g = grade(l, below, 3, 50, 50, 50);
    assert_int_equal(g.levels, 0);
    assert_int_equal(g.why, 0);
    /* The weights need not add up to 100: 2 of 4 is 50%. */
    double units[] = {2, 1, 1};
    assert_int_equal(grade(l, units, 3, 50, 50, 50).levels, 1);
    /* A row without a positive weight does not count. */
    double zero[] = {0, 1, 1};
    assert_int_equal(grade(l, zero, 3, 50, 50, 50).levels, 0);
    /* The review's thresholds: with rob_high_share 60 the 50% at high risk is
     * below it, but still at rob_unclear_share (50), whose "high or unknown"
     * includes the high: -1 by that rule; with both at 60, not rated down. */
    g = grade(l, at, 3, 50, 60, 50);
    assert_int_equal(g.levels, 1);
    assert_int_equal(g.why, EVS_ROB_GRADE_UNCLEAR);
    assert_int_equal(grade(l, at, 3, 50, 60, 60).levels, 0);
}

static void test_grade_critical(void **state)
{
    (void)state;
    evs_rob_level l[] = {CR, HI, CO};
    /* Critical 50%: -2. */
    double at[] = {50, 10, 40};
    evs_rob_grade g = grade(l, at, 3, 50, 50, 50);
    assert_int_equal(g.levels, 2);
    assert_int_equal(g.why, EVS_ROB_GRADE_CRITICAL);
    /* Critical 49.5%, serious 10%: high 59.5% -> -1, not -2. */
    double below[] = {49.5, 10, 40.5};
    g = grade(l, below, 3, 50, 50, 50);
    assert_int_equal(g.levels, 1);
    assert_int_equal(g.why, EVS_ROB_GRADE_HIGH);
    /* Critical 30% and serious 10%: 40%, below every threshold: 0. */
    double low[] = {30, 10, 60};
    assert_int_equal(grade(l, low, 3, 50, 50, 50).levels, 0);
}

static void test_grade_unclear(void **state)
{
    (void)state;
    /* High 30% + no information 20% = 50%, high alone below 50%: -1 unclear. */
    evs_rob_level l[] = {HI, UN, LO};
    double at[] = {30, 20, 50};
    evs_rob_grade g = grade(l, at, 3, 50, 50, 50);
    assert_int_equal(g.levels, 1);
    assert_int_equal(g.why, EVS_ROB_GRADE_UNCLEAR);
    /* 30 + 19.5 = 49.5%: not rated down. */
    double below[] = {30, 19.5, 50.5};
    assert_int_equal(grade(l, below, 3, 50, 50, 50).levels, 0);
    /* A study without an appraisal counts as unknown: 50% not assessed. */
    evs_rob_level half_none[] = {LO, NS};
    double half[] = {50, 50};
    g = grade(half_none, half, 2, 50, 50, 50);
    assert_true(g.applies);
    assert_int_equal(g.levels, 1);
    assert_int_equal(g.why, EVS_ROB_GRADE_UNCLEAR);
    assert_close(g.share[EVS_ROB_LEVEL_NOT_ASSESSED], 50, 1e-12, 0);
    assert_int_equal(g.count[EVS_ROB_LEVEL_NOT_ASSESSED], 1);
    double less[] = {50.5, 49.5};
    assert_int_equal(grade(half_none, less, 2, 50, 50, 50).levels, 0);
    /* Nothing appraised at all: the rule does not apply. */
    evs_rob_level none[] = {NS, NS};
    g = grade(none, half, 2, 50, 50, 50);
    assert_false(g.applies);
    assert_int_equal(g.levels, 0);
}

/* An appraisal list with one entry per overall judgement given. */
typedef struct fixture {
    evs_appraisal a;
    evs_rob_entry e[8];
} fixture;

static void add(fixture *f, evs_rob_tool tool, evs_rob_judgement overall, unsigned high)
{
    evs_rob_entry *e = &f->e[f->a.n];
    memset(e, 0, sizeof *e);
    e->study = f->a.n;
    e->outcome = -1;
    e->tool = tool;
    e->overall.judgement = overall;
    size_t nd = evs_rob_tool_get(tool)->ndomains;
    for (size_t j = 0; j < nd; j++)
        e->domain[j].judgement = (high & BIT(j)) ? (tool == EVS_ROB_TOOL_ROBINS_I ? SE : H)
                                 : tool == EVS_ROB_TOOL_JBI_CASE_SERIES ? Y
                                                                         : L;
    f->a.n++;
    f->a.entries = f->e;
}

static void test_high_domains(void **state)
{
    (void)state;
    fixture f = {0};
    add(&f, EVS_ROB_TOOL_ROB2, H, BIT(1) | BIT(3)); /* high: D2 and D4 */
    add(&f, EVS_ROB_TOOL_ROB2, S, 0);
    add(&f, EVS_ROB_TOOL_ROBINS_I, SE, BIT(0));     /* serious: D1 */
    add(&f, EVS_ROB_TOOL_ROB2, S, BIT(4));          /* D5 high, but the study is not at
                                                       high risk overall: not named */
    long entry[] = {0, 1, 2, 3, -1};
    unsigned d[EVS_ROB_TOOLS];
    evs_rob_high_domains(&f.a, entry, 5, d);
    assert_int_equal(d[EVS_ROB_TOOL_ROB2], BIT(1) | BIT(3));
    assert_int_equal(d[EVS_ROB_TOOL_ROBINS_I], BIT(0));
    assert_int_equal(d[EVS_ROB_TOOL_JBI_CASE_SERIES], 0);
}

static void test_find(void **state)
{
    (void)state;
    fixture f = {0};
    add(&f, EVS_ROB_TOOL_ROBINS_I, M, 0);           /* study 0, every outcome */
    add(&f, EVS_ROB_TOOL_JBI_CASE_SERIES, H, 0);    /* study 1 */
    add(&f, EVS_ROB_TOOL_ROBINS_I, SE, BIT(0));     /* study 2 */
    f.e[1].study = 0;                               /* study 0 also by JBI: high */
    f.e[2].study = 0;
    f.e[2].outcome = 3;                             /* and ROBINS-I serious for outcome 3 */
    /* Outcome 1: the general appraisals, the more severe of the two tools. */
    assert_int_equal(evs_appraisal_find(&f.a, 0, 1), 1);
    /* Outcome 3: the one for that outcome. */
    assert_int_equal(evs_appraisal_find(&f.a, 0, 3), 2);
    assert_int_equal(evs_appraisal_find(&f.a, 5, 1), -1);
    assert_int_equal(evs_appraisal_find(NULL, 0, 1), -1);
}

/*
 * The rule inside the synthesis, on tests/fixtures/reviews/rob_grade: two
 * trials of equal size and SDs, so each holds 50% of the weight of the
 * pooled difference (equal variances give equal weights under any tau2);
 * trial A is at high risk (D2, D4), B at low risk.  By hand: high share 50%
 * >= rob_high_share 50 -> -1; with rob_high_share and rob_unclear_share at
 * 50.5 -> 0; a reviewer's risk_of_bias = 0 replaces the rule's 1; without
 * appraisal.csv the designs decide (randomised trials only: 0).
 */
static void test_synthesis(void **state)
{
    (void)state;
    evs_problems p;
    evs_problems_init(&p);
    evs_review *rv;
    evs_evidence *ev;
    assert_int_equal(evs_review_load(evs_fixture_path("reviews/rob_grade"), &rv, &ev, &p), EVS_OK);
    evs_error err;
    evs_synthesis *s = evs_synthesize(rv, ev, &err);
    assert_non_null(s);
    const evs_analysis *a = &s->analyses[0];
    assert_non_null(a->meta);
    assert_close(a->meta->weights[0], 50, 1e-9, 0);
    const evs_rob_grade *rob = &a->grade.rob;
    assert_int_equal(rob->levels, 1);
    assert_int_equal(rob->why, EVS_ROB_GRADE_HIGH);
    assert_close(rob->share[EVS_ROB_LEVEL_HIGH], 50, 1e-9, 0);
    assert_int_equal(rob->domains[EVS_ROB_TOOL_ROB2], BIT(1) | BIT(3));
    /* Two randomised trials: no design rule applies, so the domain is the
     * appraisals' -1. */
    const evs_grade_rating *r = &a->grade.domain[EVS_GRADE_RISK_OF_BIAS];
    assert_int_equal(r->levels, 1);
    assert_int_equal(r->why, EVS_GRADE_ROB_HIGH);
    /* The certainty counts it: start (high: randomised) minus every domain's
     * levels, never below very low. */
    int total = 0;
    for (int d = 0; d < EVS_GRADE_DOMAINS; d++)
        total += a->grade.domain[d].levels;
    int expect = (int)a->grade.start - total;
    assert_int_equal(a->grade.start, EVS_CERTAINTY_HIGH);
    assert_int_equal((int)a->grade.certainty, expect < 1 ? 1 : expect);
    evs_synthesis_free(s);

    rv->grade.rob_high_share = 50.5;
    rv->grade.rob_unclear_share = 50.5;
    s = evs_synthesize(rv, ev, &err);
    assert_int_equal(s->analyses[0].grade.rob.levels, 0);
    assert_int_equal(s->analyses[0].grade.domain[EVS_GRADE_RISK_OF_BIAS].levels, 0);
    evs_synthesis_free(s);

    rv->grade.rob_high_share = 50;
    rv->outcomes[0].grade[EVS_GRADE_RISK_OF_BIAS].levels = 0;
    char reason[] = "fictional reason";
    rv->outcomes[0].grade[EVS_GRADE_RISK_OF_BIAS].reason = reason;
    s = evs_synthesize(rv, ev, &err);
    r = &s->analyses[0].grade.domain[EVS_GRADE_RISK_OF_BIAS];
    assert_true(r->overridden);
    assert_int_equal(r->levels, 0);
    assert_int_equal(r->rule_levels, 1);
    evs_synthesis_free(s);
    rv->outcomes[0].grade[EVS_GRADE_RISK_OF_BIAS].levels = -1;
    rv->outcomes[0].grade[EVS_GRADE_RISK_OF_BIAS].reason = NULL;

    evs_appraisal *keep = ev->appraisal;
    ev->appraisal = NULL;
    s = evs_synthesize(rv, ev, &err);
    r = &s->analyses[0].grade.domain[EVS_GRADE_RISK_OF_BIAS];
    assert_false(s->analyses[0].grade.rob.applies);
    assert_int_equal(r->levels, 0);
    assert_true(r->why & EVS_GRADE_ROB_NOT_ASSESSED);
    evs_synthesis_free(s);
    ev->appraisal = keep;

    evs_problems_free(&p);
    evs_review_free(rv);
    evs_evidence_free(ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rob2_rule),       cmocka_unit_test(test_rob2_setting),
        cmocka_unit_test(test_rob2_no_information), cmocka_unit_test(test_rob2_reviewer),
        cmocka_unit_test(test_robins_rule),     cmocka_unit_test(test_robins_reviewer),
        cmocka_unit_test(test_jbi_rule),        cmocka_unit_test(test_jbi_critical),
        cmocka_unit_test(test_names),           cmocka_unit_test(test_grade_high),
        cmocka_unit_test(test_grade_critical),  cmocka_unit_test(test_grade_unclear),
        cmocka_unit_test(test_high_domains),
        cmocka_unit_test(test_find),            cmocka_unit_test(test_synthesis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
