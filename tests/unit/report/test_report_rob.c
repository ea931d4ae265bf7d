/*
 * test_report_rob.c -- risk of bias in the report (report_rob.c):
 *
 *  - the GRADE sentence says the numbers the rule looked at, with shares
 *    that stay on their side of the threshold (49.6% is not "50%");
 *  - results.json holds every judgement of appraisal.csv, with its support;
 *  - the report has a table per tool and lists the studies not appraised;
 *  - the figure script draws every appraisal in Cochrane's colours, and a
 *    study label that tries to break out of the gnuplot string stays text.
 *
 * Fixtures: tests/fixtures/reviews/appraised (JBI, ROBINS-I, none) and
 * rob_grade (two RoB 2 trials of equal weight).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "evs_test.h"
#include "review_fixture.h"
#include "io/review_io.h"
#include "io/table.h"
#include "report/report.h"
#include "review/synthesis.h"

typedef evs_review_fixture loaded;

/* Loaded and synthesised. */
static void load(const char *name, loaded *l)
{
    evs_review_fixture_load(name, l);
    evs_review_fixture_synthesize(l);
}

static const char *sentence(const evs_rob_grade *g, evs_buf *b)
{
    evs_buf_clear(b);
    evs_text_rob_grade(g, b);
    return evs_buf_str(b);
}

static void test_sentences(void **state)
{
    (void)state;
    evs_buf b;
    evs_buf_init(&b);
    evs_rob_grade g = {.applies = true, .levels = 1, .why = EVS_ROB_GRADE_HIGH,
                       .critical_share = 50, .high_share = 50, .unclear_share = 50};
    g.share[EVS_ROB_LEVEL_HIGH] = 62.4;
    g.share[EVS_ROB_LEVEL_LOW] = 37.6;
    g.count[EVS_ROB_LEVEL_HIGH] = 2;
    g.count[EVS_ROB_LEVEL_LOW] = 3;
    g.domains[EVS_ROB_TOOL_ROB2] = (1u << 1) | (1u << 3);
    assert_string_equal(sentence(&g, &b),
                        "62% of the weight (2 of 5 studies) from studies at high risk of bias "
                        "(threshold 50%): D2 and D4");
    /* Two tools: the domains by tool. */
    g.domains[EVS_ROB_TOOL_ROBINS_I] = 1u;
    assert_string_equal(sentence(&g, &b),
                        "62% of the weight (2 of 5 studies) from studies at high risk of bias "
                        "(threshold 50%): RoB 2 D2 and D4; ROBINS-I D1");
    /* 49.6% at high risk is below 50%, and says so. */
    evs_rob_grade below = {.applies = true, .critical_share = 50, .high_share = 50,
                           .unclear_share = 50};
    below.share[EVS_ROB_LEVEL_HIGH] = 49.6;
    below.share[EVS_ROB_LEVEL_LOW] = 50.4;
    below.count[EVS_ROB_LEVEL_HIGH] = 1;
    below.count[EVS_ROB_LEVEL_LOW] = 1;
    assert_string_equal(sentence(&below, &b),
                        "50% of the weight from studies at low risk of bias, 0% with some "
                        "concerns or at moderate risk, 49.6% at high risk, none without a "
                        "judgement: below the thresholds (50% at high risk; 50% at high risk or "
                        "without a judgement)");
    /* High or unknown: the parts. */
    evs_rob_grade unclear = {.applies = true, .levels = 1, .why = EVS_ROB_GRADE_UNCLEAR,
                             .critical_share = 50, .high_share = 50, .unclear_share = 50};
    unclear.share[EVS_ROB_LEVEL_HIGH] = 20;
    unclear.share[EVS_ROB_LEVEL_NO_INFO] = 25;
    unclear.share[EVS_ROB_LEVEL_NOT_ASSESSED] = 10;
    unclear.share[EVS_ROB_LEVEL_LOW] = 45;
    unclear.count[EVS_ROB_LEVEL_HIGH] = 1;
    unclear.count[EVS_ROB_LEVEL_NO_INFO] = 1;
    unclear.count[EVS_ROB_LEVEL_NOT_ASSESSED] = 1;
    unclear.count[EVS_ROB_LEVEL_LOW] = 2;
    unclear.domains[EVS_ROB_TOOL_ROB2] = 1u << 2;
    assert_string_equal(sentence(&unclear, &b),
                        "55% of the weight (3 of 5 studies) from studies at high risk of bias "
                        "or without a judgement (threshold 50%): high 20% (D3), no information "
                        "25%, not assessed 10%");
    evs_rob_grade crit = {.applies = true, .levels = 2, .why = EVS_ROB_GRADE_CRITICAL,
                          .critical_share = 50, .high_share = 50, .unclear_share = 50};
    crit.share[EVS_ROB_LEVEL_CRITICAL] = 70;
    crit.share[EVS_ROB_LEVEL_LOW] = 30;
    crit.count[EVS_ROB_LEVEL_CRITICAL] = 1;
    crit.count[EVS_ROB_LEVEL_LOW] = 1;
    crit.domains[EVS_ROB_TOOL_ROBINS_I] = 1u;
    assert_string_equal(sentence(&crit, &b),
                        "70% of the weight (1 of 2 studies) from studies at critical risk of "
                        "bias (threshold 50%): D1");
    evs_buf_free(&b);
}

/* Rows of appraisal.csv, counted from the file itself. */
static size_t csv_rows(const char *review)
{
    char rel[256];
    snprintf(rel, sizeof rel, "reviews/%s/appraisal.csv", review);
    evs_table *t = evs_fixture_table(rel);
    size_t n = evs_table_nrows(t);
    evs_table_free(t);
    return n;
}

static void test_json(void **state)
{
    (void)state;
    loaded l;
    load("appraised", &l);
    evs_report_info info = {.version = "test"};
    json_t *j = evs_report_json(l.s, &info);
    assert_non_null(j);
    json_t *rob = json_object_get(j, "risk_of_bias");
    assert_string_equal(json_string_value(json_object_get(rob, "file")), "appraisal.csv");
    json_t *arr = json_object_get(rob, "appraisals");
    /* Every row of the file is a domain or an overall of one appraisal. */
    size_t cells = 0;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *y = json_array_get(arr, i);
        cells += json_array_size(json_object_get(y, "domains")) + 1;
        json_t *ov = json_object_get(y, "overall");
        assert_non_null(json_object_get(ov, "support"));
    }
    assert_int_equal(cells, csv_rows("appraised"));
    /* Study c (ROBINS-I): serious by the rule, from D1. */
    json_t *c = json_array_get(arr, 3);
    assert_string_equal(json_string_value(json_object_get(c, "study")), "c");
    json_t *ov = json_object_get(c, "overall");
    assert_string_equal(json_string_value(json_object_get(ov, "judgement")), "serious");
    assert_string_equal(json_string_value(json_object_get(ov, "by")), "rule");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ov, "rule_domains"), 0)),
                        "D1");
    json_decref(j);
    evs_review_fixture_free(&l);

    load("rob_grade", &l);
    j = evs_report_json(l.s, &info);
    json_t *a0 = json_array_get(json_object_get(j, "analyses"), 0);
    json_t *d = json_object_get(json_object_get(json_object_get(a0, "grade"), "domains"),
                                "risk_of_bias");
    assert_int_equal(json_integer_value(json_object_get(d, "levels")), 1);
    /* The design rules first (grade.c adds both), then the appraisals'. */
    assert_string_equal(json_string_value(json_object_get(d, "reason")),
                        "0% of the participants are from studies without a control group and "
                        "0% from retrospective series, below the thresholds (50%, 50%); 50% of "
                        "the weight (1 of 2 studies) from studies at high risk of bias "
                        "(threshold 50%): D2 and D4");
    json_t *ap = json_object_get(d, "appraisal");
    assert_string_equal(json_string_value(json_object_get(ap, "rule")), "high");
    json_t *row = json_array_get(json_object_get(a0, "studies"), 0);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(row, "risk_of_bias"), "overall")),
        "high");
    json_decref(j);
    evs_review_fixture_free(&l);
}

static void test_section(void **state)
{
    (void)state;
    loaded l;
    load("appraised", &l);
    evs_doc d;
    evs_doc_init(&d);
    evs_figure_list figs = {0};
    evs_report_rob_section(l.s, &figs, false, &d);
    evs_buf md;
    evs_buf_init(&md);
    evs_doc_markdown(&d, "figures", &md);
    const char *text = evs_buf_str(&md);
    assert_non_null(strstr(text, "## Risk of bias in the included studies"));
    assert_non_null(strstr(text, "### ROBINS-I (Sterne et al. 2016, BMJ 355\\:i4919)"));
    assert_non_null(strstr(text, "| C 2014 | Serious | Low | Low | Moderate | Low | Moderate | "
                                 "No information | Serious |"));
    assert_non_null(strstr(text, "| E 2015 | Yes | Yes | Yes | No | Yes | Yes | Yes | Yes | Yes "
                                 "| Yes | High |"));
    assert_non_null(strstr(text, "- **F 2016:** Only the abstract is available."));
    /* The HTML puts each judgement's support on its cell. */
    evs_buf html;
    evs_buf_init(&html);
    evs_doc_html(&d, "t", NULL, NULL, &html);
    assert_non_null(strstr(evs_buf_str(&html), "title=\"Unblinded self-reported VAS\""));
    evs_buf_free(&html);
    evs_buf_free(&md);
    evs_doc_free(&d);
    evs_review_fixture_free(&l);
}

static void test_figures(void **state)
{
    (void)state;
    loaded l;
    load("appraised", &l);
    /* A label that tries to end the gnuplot string and run a command. */
    for (size_t i = 0; i < l.ev->nstudies; i++)
        if (strcmp(l.ev->studies[i].id, "c") == 0)
            l.ev->studies[i].label = "C' ; system('touch /tmp/evs_rob_pwned') ; '";
    evs_figure_list figs;
    assert_int_equal(evs_report_figures(l.s, &figs), EVS_OK);
    size_t rob = 0;
    for (size_t i = 0; i < figs.n; i++)
        rob += figs.items[i].kind == EVS_FIGURE_ROB_TRAFFIC ||
               figs.items[i].kind == EVS_FIGURE_ROB_SUMMARY;
    assert_int_equal(rob, 4); /* ROBINS-I and JBI, two figures each */
    evs_buf script;
    evs_buf_init(&script);
    evs_report_plot_script(l.s, &figs, "/tmp/out", &script);
    const char *g = evs_buf_str(&script);
    /* Cochrane's colours, as the discs' and boxes' rgb: low #02C100 = 180480,
     * some concerns or moderate #E2DF07 = 14868231, high or serious #BF0000 =
     * 12517376, no information #4EA1F7 = 5153271. */
    const char *colours[] = {"\t180480\n", "\t14868231\n", "\t12517376\n", "\t5153271\n"};
    for (size_t i = 0; i < 4; i++)
        assert_non_null(strstr(g, colours[i]));
    /* The label is data: every occurrence is inside a datablock (between a
     * "<< EOD" line and its "EOD"), never on a command line. */
    size_t found = 0;
    for (const char *p = strstr(g, "system('touch"); p != NULL; p = strstr(p + 1, "system('touch")) {
        const char *open = NULL, *close = NULL;
        for (const char *q = g; (q = strstr(q, "<< EOD\n")) != NULL && q < p; q++)
            open = q;
        for (const char *q = g; (q = strstr(q, "\nEOD\n")) != NULL && q < p; q++)
            close = q;
        assert_non_null(open);
        assert_true(close == NULL || close < open);
        found++;
    }
    assert_true(found >= 1); /* the traffic-light plot of ROBINS-I */
    assert_non_null(strstr(g, "rob_traffic_light_robins_i.png"));
    evs_buf_free(&script);
    evs_figure_list_free(&figs);
    evs_review_fixture_free(&l);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_section),
        cmocka_unit_test(test_figures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
