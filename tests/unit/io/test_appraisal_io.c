/*
 * test_appraisal_io.c -- reading and checking appraisal.csv.
 *
 * Fixtures: tests/fixtures/reviews/appraised (the small review appraised:
 * JBI for the series, one with a critical item answered no, ROBINS-I for
 * the comparative cohort, one study listed as not appraised) and
 * appraisal_broken (one of every problem, each row annotated in its
 * support text; its review.ini carries bad [appraisal] settings).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "evs_test.h"
#include "io/review_io.h"

static void test_appraised(void **state)
{
    (void)state;
    evs_problems p;
    evs_problems_init(&p);
    evs_review *rv;
    evs_evidence *ev;
    evs_status st = evs_review_load(evs_fixture_path("reviews/appraised"), &rv, &ev, &p);
    char buf[2048];
    for (size_t i = 0; i < p.n; i++)
        print_error("%s\n", evs_error_format(&p.items[i], buf, sizeof buf));
    assert_int_equal(st, EVS_OK);
    const evs_appraisal *a = ev->appraisal;
    assert_non_null(a);
    /* a, b, e (JBI), c (ROBINS-I), f (none), in the order of the file. */
    assert_int_equal(a->n, 5);
    const char *ids[] = {"a", "b", "e", "c", "f"};
    const evs_rob_tool tools[] = {EVS_ROB_TOOL_JBI_CASE_SERIES, EVS_ROB_TOOL_JBI_CASE_SERIES,
                                  EVS_ROB_TOOL_JBI_CASE_SERIES, EVS_ROB_TOOL_ROBINS_I,
                                  EVS_ROB_TOOL_NONE};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(ev->studies[a->entries[i].study].id, ids[i]);
        assert_int_equal(a->entries[i].tool, tools[i]);
        assert_int_equal(a->entries[i].outcome, -1);
    }
    /* a: 9 yes of 10 (Q9 unclear) = 90%: low, as the file says. */
    assert_int_equal(a->entries[0].rule.judgement, EVS_ROB_LOW);
    assert_int_equal(a->entries[0].rule.yes, 9);
    assert_int_equal(a->entries[0].agreement, EVS_ROB_AGREES);
    assert_string_equal(a->entries[0].domain[8].support, "Not stated in the report");
    /* b: 6 of 10 = 60%: moderate. */
    assert_int_equal(a->entries[1].rule.judgement, EVS_ROB_MODERATE);
    /* e: 9 of 10, but Q4 (critical in review.ini: Q4, Q5) answered no: high. */
    assert_int_equal(a->entries[2].rule.judgement, EVS_ROB_HIGH);
    assert_int_equal(a->entries[2].rule.critical_no, 1u << 3);
    /* c: serious in D1 is the worst domain; D7 has no information. */
    assert_int_equal(a->entries[3].rule.judgement, EVS_ROB_SERIOUS);
    assert_int_equal(a->entries[3].overall.judgement, EVS_ROB_SERIOUS);
    assert_int_equal(a->entries[3].domain[6].judgement, EVS_ROB_NO_INFORMATION);
    /* f: not appraised, with the reason. */
    assert_int_equal(a->entries[4].overall.judgement, EVS_ROB_NOT_APPRAISED);
    assert_string_equal(a->entries[4].overall.support, "Only the abstract is available");
    assert_int_equal(rv->rob.jbi_critical_items, (1u << 3) | (1u << 4));
    evs_problems_free(&p);
    evs_review_free(rv);
    evs_evidence_free(ev);
}

static void test_no_file(void **state)
{
    (void)state;
    evs_problems p;
    evs_problems_init(&p);
    evs_review *rv;
    evs_evidence *ev;
    assert_int_equal(evs_review_load(evs_fixture_path("reviews/small"), &rv, &ev, &p), EVS_OK);
    assert_null(ev->appraisal);
    /* The defaults of review/appraisal.h. */
    assert_close(rv->rob.jbi_low_share, 70, 0, 0);
    assert_close(rv->rob.jbi_moderate_share, 50, 0, 0);
    assert_close(rv->rob.rob2_some_concerns_high, 0, 0, 0);
    assert_close(rv->grade.rob_high_share, 50, 0, 0);
    assert_close(rv->grade.rob_critical_share, 50, 0, 0);
    assert_close(rv->grade.rob_unclear_share, 50, 0, 0);
    evs_problems_free(&p);
    evs_review_free(rv);
    evs_evidence_free(ev);
}

/* Every message, in file order; each row of the fixture says what it breaks. */
static const char *const broken[] = {
    "appraisal.csv:1:9: unknown column \"notes\"",
    "appraisal.csv:2:1: unknown study id \"zz\"",
    "appraisal.csv:3:1: c1 is an arm of c: appraise the whole study",
    "appraisal.csv:4:2: tool \"rob3\" is not one of: rob2, robins_i, jbi_case_series, none",
    "appraisal.csv:5:6: outcome \"pian\" is not an [outcome.NAME] of review.ini (leave it empty "
    "for every outcome)",
    "appraisal.csv:6:3: domain \"D8\" is not one of: D1 to D7, overall (ROBINS-I)",
    "appraisal.csv:7:3: a study listed as not appraised (tool none) has only an overall row, "
    "not \"D1\"",
    "appraisal.csv:8:4: judgement \"low\" is not one of: yes, no, unclear, not_applicable (JBI "
    "case series checklist items)",
    "appraisal.csv:9:5: support: give the text the judgement rests on (a quote, or what the "
    "source does not say)",
    "appraisal.csv:10:7: source \"tertiary\" is not primary or secondary",
    "appraisal.csv:11:3: Q2 of b (JBI case series checklist) is also on line 10",
    "appraisal.csv:18:3: the appraisal of b (JBI case series checklist) lacks Q9 and Q10",
    "appraisal.csv:19:2: RoB 2 is for randomised trials; a is prospective_single_arm (use "
    "robins_i or jbi_case_series)",
    "appraisal.csv:32:4: overall \"moderate\" contradicts ROBINS-I's rule, which gives "
    "\"serious\" (serious in D1)",
    "appraisal.csv:33:4: every item of the appraisal of e (JBI case series checklist) is "
    "not_applicable",
    "appraisal.csv:44:2: e is listed as not appraised but appraised with jbi_case_series on "
    "line 33",
    "appraisal.csv:45:3: the appraisal of c for leak (ROBINS-I) lacks D2, D3, D4, D5, D6 and D7",
    "appraisal.csv:45:3: the appraisal of c for leak (ROBINS-I) has no overall row",
    "review.ini:43:27: rob2_some_concerns_high: a number of domains, 2 to 5 (0: never)",
    "review.ini:44:17: [appraisal]: jbi_low_share (40) must not be below jbi_moderate_share (50)",
    "review.ini:45:22: jbi_critical_items: \"Q11\" is not an item Q1 to Q10",
    "review.ini:46:1: unknown setting: [appraisal] jbi_cutoff",
    "review.ini:49:18: rob_high_share must be between 0 and 100",
    "studies.csv:9:1: f is included but appraisal.csv neither appraises it nor lists it as not "
    "appraised (tool none)",
};

static void test_broken(void **state)
{
    (void)state;
    evs_problems p;
    evs_problems_init(&p);
    evs_review *rv;
    evs_evidence *ev;
    const char *dir = evs_fixture_path("reviews/appraisal_broken");
    char prefix[1100];
    snprintf(prefix, sizeof prefix, "%s/", dir);
    assert_int_equal(evs_review_load(dir, &rv, &ev, &p), EVS_EDATA);
    assert_null(rv);
    assert_null(ev);
    evs_problems_sort(&p);
    size_t n = sizeof broken / sizeof broken[0];
    char buf[2048];
    for (size_t i = 0; i < p.n && i < n; i++) {
        const char *got = evs_error_format(&p.items[i], buf, sizeof buf);
        if (strncmp(got, prefix, strlen(prefix)) == 0)
            got += strlen(prefix);
        if (strcmp(got, broken[i]) != 0) {
            print_error("problem %zu:\n  got      %s\n  expected %s\n", i, got, broken[i]);
            fail();
        }
    }
    assert_int_equal(p.n, n);
    evs_problems_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appraised),
        cmocka_unit_test(test_no_file),
        cmocka_unit_test(test_broken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
