/*
 * test_numfmt.c -- the number rule of committee-facing text (report/numfmt.h):
 * each kind of number with its decimals, no exponent ever, no "-0.00",
 * thousands separators in counts, settings in their shortest form.  The
 * expected strings are the rule applied by hand.
 */
#include <math.h>
#include <string.h>

#include "evs_test.h"
#include "report/numfmt.h"

#define CHECK(call, want)                                                                  \
    do {                                                                                   \
        const char *got_ = (call);                                                         \
        if (strcmp(got_, (want)) != 0)                                                     \
            fail_msg("%s: got \"%s\", want \"%s\"", #call, got_, (want));                  \
    } while (0)

static void test_effects_points_and_percent(void **state)
{
    (void)state;
    char b[EVS_NUM_TEXT];
    CHECK(evs_num_effect(5.0249, false, b, sizeof b), "5.02");
    CHECK(evs_num_effect(0.576123, false, b, sizeof b), "0.58");
    CHECK(evs_num_effect(-0.0208, false, b, sizeof b), "-0.02");
    CHECK(evs_num_effect(-0.004, false, b, sizeof b), "0.00");
    CHECK(evs_num_effect(6050.4, false, b, sizeof b), "6050.40");
    CHECK(evs_num_effect(12.345, true, b, sizeof b), "12.3%");
    CHECK(evs_num_effect(6.73e-15, true, b, sizeof b), "0.0%");
    CHECK(evs_num_effect(99.99, true, b, sizeof b), "100.0%");
    CHECK(evs_num_effect(NAN, true, b, sizeof b), "-");
}

static void test_intervals(void **state)
{
    (void)state;
    char b[3 * EVS_NUM_TEXT];
    CHECK(evs_num_interval(-0.493, 11.452, false, b, sizeof b), "-0.49 to 11.45");
    CHECK(evs_num_interval(5.78e-09, 100, true, b, sizeof b), "0.0% to 100.0%");
    CHECK(evs_num_interval(NAN, 1, true, b, sizeof b), "-");
    CHECK(evs_num_estimate_ci(0.576, -0.0208, 1.17, false, b, sizeof b),
          "0.58 (-0.02 to 1.17)");
    CHECK(evs_num_estimate_ci(3.2, NAN, NAN, false, b, sizeof b), "3.20");
}

static void test_statistics_shares_p(void **state)
{
    (void)state;
    char b[EVS_NUM_TEXT];
    CHECK(evs_num_stat(45.3149, b, sizeof b), "45.31");
    CHECK(evs_num_stat(0.000312, b, sizeof b), "0.00");
    CHECK(evs_num_share(90.6, b, sizeof b), "91%");
    CHECK(evs_num_share(0.4, b, sizeof b), "0%");
    CHECK(evs_num_p(0.04249, b, sizeof b), "= 0.042");
    CHECK(evs_num_p(0.001, b, sizeof b), "= 0.001");
    CHECK(evs_num_p(0.000999, b, sizeof b), "< 0.001");
    CHECK(evs_num_p(6.73e-15, b, sizeof b), "< 0.001");
    CHECK(evs_num_p(NAN, b, sizeof b), "= NA");
}

static void test_counts(void **state)
{
    (void)state;
    char b[EVS_NUM_TEXT];
    CHECK(evs_num_count(78.0, b, sizeof b), "78");
    CHECK(evs_num_count(999, b, sizeof b), "999");
    CHECK(evs_num_count(1000, b, sizeof b), "1,000");
    CHECK(evs_num_count(6050, b, sizeof b), "6,050");
    CHECK(evs_num_count(1234567, b, sizeof b), "1,234,567");
    CHECK(evs_num_count(-12345, b, sizeof b), "-12,345");
    CHECK(evs_num_count(NAN, b, sizeof b), "-");
    char small[4];
    CHECK(evs_num_count(123456, small, sizeof small), "123"); /* truncated, terminated */
}

static void test_settings(void **state)
{
    (void)state;
    char b[EVS_NUM_TEXT];
    CHECK(evs_num_setting(95, b, sizeof b), "95");
    CHECK(evs_num_setting(0.1, b, sizeof b), "0.1");
    CHECK(evs_num_setting(2.5, b, sizeof b), "2.5");
    CHECK(evs_num_setting(0.05, b, sizeof b), "0.05");
    CHECK(evs_num_setting(97.5, b, sizeof b), "97.5");
    CHECK(evs_num_setting(1e-7, b, sizeof b), "0");
    CHECK(evs_num_setting(-0.00001, b, sizeof b), "0");
    CHECK(evs_num_setting(400, b, sizeof b), "400");
}

/* No function ever writes an exponent, whatever the magnitude. */
static void test_no_exponent(void **state)
{
    (void)state;
    static const double xs[] = {1e-300, 6.73e-15, 5.78e-9, 1e-5, 6.05e3, 1e9, 1e14, -1e14};
    char b[5][EVS_NUM_TEXT];
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        const char *outs[] = {evs_num_effect(xs[i], false, b[0], sizeof b[0]),
                              evs_num_effect(xs[i], true, b[1], sizeof b[1]),
                              evs_num_stat(xs[i], b[2], sizeof b[2]),
                              evs_num_setting(xs[i], b[3], sizeof b[3]),
                              evs_num_count(xs[i], b[4], sizeof b[4])};
        for (size_t j = 0; j < sizeof outs / sizeof outs[0]; j++)
            if (strpbrk(outs[j], "eE") != NULL)
                fail_msg("%.17g written as \"%s\"", xs[i], outs[j]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_effects_points_and_percent),
        cmocka_unit_test(test_intervals),
        cmocka_unit_test(test_statistics_shares_p),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_no_exponent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
