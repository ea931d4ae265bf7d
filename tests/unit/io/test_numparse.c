/*
 * test_numparse.c -- strict, locale-independent number parsing.
 */
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "evs_test.h"
#include "io/numparse.h"

typedef struct num_case {
    const char *text;
    evs_num_status status;
    double value;
} num_case;

static void test_cases(void **state)
{
    (void)state;
    static const num_case cases[] = {
        {"0", EVS_NUM_OK, 0},
        {"12", EVS_NUM_OK, 12},
        {"-0.5", EVS_NUM_OK, -0.5},
        {"+3.25", EVS_NUM_OK, 3.25},
        {".5", EVS_NUM_OK, 0.5},
        {"5.", EVS_NUM_OK, 5},
        {"1.2e-3", EVS_NUM_OK, 1.2e-3},
        {"1E+300", EVS_NUM_OK, 1e300},
        {"  7.5  ", EVS_NUM_OK, 7.5},
        {"\t42", EVS_NUM_OK, 42},
        {"1e-320", EVS_NUM_OK, 1e-320}, /* subnormal: a value, not an error */
        {"0.1", EVS_NUM_OK, 0.1},
        {"", EVS_NUM_EMPTY, NAN},
        {"   ", EVS_NUM_EMPTY, NAN},
        {"NA", EVS_NUM_EMPTY, NAN},
        {"1,5", EVS_NUM_COMMA, NAN},
        {"1,000", EVS_NUM_COMMA, NAN},
        {"1.000,5", EVS_NUM_COMMA, NAN},
        {"1 000", EVS_NUM_SPACE, NAN},
        {"NaN", EVS_NUM_NONFINITE, NAN},
        {"nan", EVS_NUM_NONFINITE, NAN},
        {"Inf", EVS_NUM_NONFINITE, NAN},
        {"-inf", EVS_NUM_NONFINITE, NAN},
        {"Infinity", EVS_NUM_NONFINITE, NAN},
        {"1e999", EVS_NUM_RANGE, NAN},
        {"-1e999", EVS_NUM_RANGE, NAN},
        {"0x10", EVS_NUM_SYNTAX, NAN},
        {"abc", EVS_NUM_SYNTAX, NAN},
        {"1.2.3", EVS_NUM_SYNTAX, NAN},
        {"--1", EVS_NUM_SYNTAX, NAN},
        {"1e", EVS_NUM_SYNTAX, NAN},
        {"e5", EVS_NUM_SYNTAX, NAN},
        {".", EVS_NUM_SYNTAX, NAN},
        {"12abc", EVS_NUM_SYNTAX, NAN},
        {"na", EVS_NUM_SYNTAX, NAN},
        {"N/A", EVS_NUM_SYNTAX, NAN},
        {"=1+1", EVS_NUM_SYNTAX, NAN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double x = 123;
        evs_num_status st = evs_parse_number(cases[i].text, &x);
        if (st != cases[i].status) {
            print_error("\"%s\": status %d, expected %d\n", cases[i].text, st,
                        cases[i].status);
            fail();
        }
        assert_close_ctx(x, cases[i].value, 0, 0, cases[i].text);
    }
}

/* Every status has a hint for the error message. */
static void test_hints(void **state)
{
    (void)state;
    for (int st = EVS_NUM_OK; st <= EVS_NUM_SYNTAX; st++)
        assert_non_null(evs_num_status_hint((evs_num_status)st));
}

/*
 * Under a locale whose decimal separator is a comma, "1.5" is still 1.5 and
 * "1,5" still an error.  The build generates de_DE.UTF-8 with localedef into
 * LOCPATH; where that was not possible the test is skipped.
 */
static void test_locale_independent(void **state)
{
    (void)state;
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL) {
        print_message("de_DE.UTF-8 locale not available: skipped\n");
        skip();
    }
    assert_int_equal(*localeconv()->decimal_point, ',');
    double x;
    assert_int_equal(evs_parse_number("1.5", &x), EVS_NUM_OK);
    assert_close(x, 1.5, 0, 0);
    assert_int_equal(evs_parse_number("1,5", &x), EVS_NUM_COMMA);
    assert_int_equal(evs_parse_number("-2.25e1", &x), EVS_NUM_OK);
    assert_close(x, -22.5, 0, 0);
    setlocale(LC_NUMERIC, "C");
}

/*
 * Random decimal numbers of 1 to 24 digits, with or without a point and an
 * exponent: the fast path and strtod() must give the same double, bit for
 * bit (the C library's strtod is the reference; "C" locale in this test).
 */
static void test_same_as_strtod(void **state)
{
    (void)state;
    uint64_t r = 0x243F6A8885A308D3u;
    char text[64];
    for (int i = 0; i < 300000; i++) {
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        int ndig = 1 + (int)(r % 24), point = (int)((r >> 8) % (unsigned)(ndig + 2)) - 1;
        size_t len = 0;
        if ((r >> 16) & 1)
            text[len++] = '-';
        uint64_t d = r;
        for (int k = 0; k < ndig; k++) {
            if (k == point)
                text[len++] = '.';
            d = d * 6364136223846793005u + 1442695040888963407u;
            text[len++] = (char)('0' + (d >> 60) % 10);
        }
        if ((r >> 20) % 3 == 0)
            len += (size_t)snprintf(text + len, sizeof text - len, "e%d", (int)((r >> 24) % 61) - 30);
        text[len] = '\0';
        double got, want = strtod(text, NULL);
        assert_int_equal(evs_parse_number(text, &got), EVS_NUM_OK);
        if (memcmp(&got, &want, sizeof got) != 0)
            fail_msg("\"%s\": got %.17g, strtod gives %.17g", text, got, want);
    }
}

static void test_whole(void **state)
{
    (void)state;
    assert_true(evs_is_whole(12));
    assert_true(evs_is_whole(0));
    assert_false(evs_is_whole(12.5));
    assert_false(evs_is_whole(NAN));
    assert_false(evs_is_whole(INFINITY));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_hints),
        cmocka_unit_test(test_locale_independent),
        cmocka_unit_test(test_whole),
        cmocka_unit_test(test_same_as_strtod),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
