/*
 * test_trace.c -- traceability of pooled numbers to their quotes
 * (review/trace.h): numbers in digits and in words, derivations, and the
 * check on a small review whose rows have one problem of each kind
 * (tests/fixtures/reviews/traced; the expected problems are read off its
 * files by hand, below).
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "evs_test.h"
#include "io/review_io.h"
#include "review/trace.h"

static void test_digits(void **state)
{
    (void)state;
    const char *q = "pain decreased from 8.8 ± 0.7 preoperatively to 2.6 ± 0.6 (p < 0.001)";
    assert_true(evs_trace_in_text(q, 8.8));
    assert_true(evs_trace_in_text(q, 0.7));
    assert_true(evs_trace_in_text(q, 0.001));
    assert_false(evs_trace_in_text(q, 8.0));  /* 8 is not 8.8 */
    assert_false(evs_trace_in_text(q, 0.06)); /* nor 0.6 */
    assert_true(evs_trace_in_text("9.0 [8.0–10.0]", 9));   /* trailing zeros */
    assert_true(evs_trace_in_text("9.0 [8.0–10.0]", 10));
    assert_true(evs_trace_in_text("lag bei 8,3", 8.3));     /* decimal comma */
    assert_false(evs_trace_in_text("lag bei 8,3", 83));
    assert_true(evs_trace_in_text("(n = 1,155)", 1155));    /* thousands, or ... */
    assert_true(evs_trace_in_text("(n = 1,155)", 1.155));   /* ... a decimal comma */
    assert_true(evs_trace_in_text("decreased by 7.6 points", -7.6)); /* sign not compared */
    assert_true(evs_trace_in_text("4/58 (7 %) and 5/58", 58));
    assert_false(evs_trace_in_text("4/58 (7 %) and 5/58", 6));
    assert_false(evs_trace_in_text(NULL, 1));
    assert_false(evs_trace_in_text("1", NAN));
}

static void test_words(void **state)
{
    (void)state;
    const char *q = "Two hundred and forty-three patients were included, Twenty-two (76%) of 29";
    assert_true(evs_trace_in_text(q, 243));
    assert_false(evs_trace_in_text(q, 200)); /* one phrase, one number */
    assert_false(evs_trace_in_text(q, 40));
    assert_true(evs_trace_in_text(q, 22));
    assert_true(evs_trace_in_text(q, 76));
    assert_false(evs_trace_in_text(q, 2));
    assert_true(evs_trace_in_text("Nineteen patients", 19));
    assert_true(evs_trace_in_text("One patient who was treated", 1));
    assert_true(evs_trace_in_text("seven (64 percent) patients", 7));
    assert_true(evs_trace_in_text("ten patients (three men and seven women)", 3));
    assert_false(evs_trace_in_text("ten patients (three men and seven women)", 10 + 3));
    assert_false(evs_trace_in_text("There were no complications", 0)); /* "no" is a word */
    assert_true(evs_trace_in_text("one thousand and fifty", 1050));
}

static void test_phrase(void **state)
{
    (void)state;
    assert_true(evs_trace_phrase_in_text("No major complications.", "no MAJOR", 8));
    assert_false(evs_trace_phrase_in_text("No major complications.", "no minor", 8));
    assert_false(evs_trace_phrase_in_text("text", "", 0));
}

static void test_parse(void **state)
{
    (void)state;
    evs_derivation d[4];
    char msg[160];
    assert_int_equal(evs_derivation_parse("events = 34 + 15 (mild plus significant)", d, 4, msg,
                                          sizeof msg),
                     1);
    assert_int_equal(d[0].field, EVS_OBS_EVENTS);
    assert_close(d[0].value, 49, 0, 0);
    assert_int_equal(d[0].noperands, 2);
    assert_close(d[0].operands[1], 15, 0, 0);
    assert_null(d[0].phrase);

    assert_int_equal(evs_derivation_parse("events = 0 from \"No major\"; n = (8 + 2) * 3 / 2", d,
                                          4, msg, sizeof msg),
                     2);
    assert_int_equal((int)d[0].phrase_len, 8);
    assert_memory_equal(d[0].phrase, "No major", 8);
    assert_int_equal(d[1].field, EVS_OBS_N);
    assert_close(d[1].value, 15, 0, 0); /* (8 + 2) * 3 / 2 */
    assert_int_equal(d[1].noperands, 4);
    assert_close(evs_derivation_parse("mean = 8.3 - -1.2", d, 4, msg, sizeof msg), 1, 0, 0);
    assert_close(d[0].value, 9.5, 0, 1e-12);
    assert_int_equal(evs_derivation_parse("  ", d, 4, msg, sizeof msg), 0);

    static const char *const bad[] = {"evnts = 1", "events 1", "events = 3 +", "events = (1 + 2",
                                      "events = 0 from No", "events = 0 from \"\"",
                                      "events = 1 extra", "events = 1 (open"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (evs_derivation_parse(bad[i], d, 4, msg, sizeof msg) != -1) {
            print_error("parsed: %s\n", bad[i]);
            fail();
        }
    assert_int_equal(evs_derivation_parse("n = 1; n = 2", d, 1, msg, sizeof msg), -1);
}

/* Loading tests/fixtures/reviews/NAME fails with exactly the problems want[0..n-1], in order. */
static void expect_problems(const char *name, const char *const *want, size_t n)
{
    evs_problems p;
    evs_problems_init(&p);
    evs_review *rv;
    evs_evidence *ev;
    char rel[256], dir[256];
    snprintf(rel, sizeof rel, "reviews/%s", name);
    snprintf(dir, sizeof dir, "%s", evs_fixture_path(rel));
    assert_int_equal(evs_review_load(dir, &rv, &ev, &p), EVS_EDATA);
    evs_problems_sort(&p);
    size_t prefix = strlen(dir) + 1;
    for (size_t i = 0; i < p.n; i++) {
        char buf[2048];
        evs_error_format(&p.items[i], buf, sizeof buf);
        if (i < n)
            assert_string_equal(buf + prefix, want[i]);
        else
            print_error("unexpected: %s\n", buf);
    }
    assert_int_equal(p.n, n);
    evs_problems_free(&p);
}

/*
 * tests/fixtures/reviews/traced/outcomes.csv, by hand:
 *  line 2 (a, baseline): n 12 is neither in "the mean VAS fell from 8.1 ..." nor derived;
 *  line 3 (a, 2 weeks): 12 is "Twelve"; fine;
 *  line 4 (a, leak): 0 events from the phrase "no leak was seen"; fine;
 *  line 6 (b, 2 weeks): mean 3.4, but the quote says 3.5;
 *  line 7 (b, leak): 3 + 3 = 6, not the row's 5 events;
 *  line 8 (c, excluded, so not pooled): no number checked, but its derivation is,
 *  and "one leak" is not in its quote.
 */
static void test_check(void **state)
{
    (void)state;
    static const char *const want[] = {
        "outcomes.csv:2:4: n 12 is pooled but is not in the quote, and no derivation gives it",
        "outcomes.csv:6:5: mean 3.4 is pooled but is not in the quote, and no derivation gives it",
        "outcomes.csv:7:9: derivation: events = 6, not the row's 5",
        "outcomes.csv:8:9: derivation of events: \"one leak\" is not in the quote",
    };
    expect_problems("traced", want, sizeof want / sizeof want[0]);
}

/* traced_select (its review.ini says which addition pools each number):
 * the outcome's own analysis pools none of the three. */
static void test_check_select(void **state)
{
    (void)state;
    static const char *const want[] = {
        "outcomes.csv:3:5: mean 4 is pooled but is not in the quote, and no derivation gives it",
        "outcomes.csv:8:4: n 10 is pooled but is not in the quote, and no derivation gives it",
        "outcomes.csv:10:5: mean 6.6 is pooled but is not in the quote, and no derivation gives "
        "it",
    };
    expect_problems("traced_select", want, sizeof want / sizeof want[0]);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digits), cmocka_unit_test(test_words),
        cmocka_unit_test(test_phrase), cmocka_unit_test(test_parse),
        cmocka_unit_test(test_check),  cmocka_unit_test(test_check_select),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
