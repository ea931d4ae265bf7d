/*
 * test_strbuf.c -- the text buffer, and evs_format_g10 against the C
 * library's own "%.10g" (the reference: the two must agree byte for byte).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "evs_test.h"
#include "report/strbuf.h"

static void expect_same(double x)
{
    char want[64], got[32];
    snprintf(want, sizeof want, "%.10g", x);
    int n = evs_format_g10(got, x);
    if (strcmp(got, want) != 0 || n != (int)strlen(want))
        fail_msg("%.17g: got \"%s\" (%d), printf gives \"%s\"", x, got, n, want);
}

/* A small xorshift generator: the same numbers on every run. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_g10_special(void **state)
{
    (void)state;
    static const double xs[] = {0.0, -0.0, 1, -1, 0.5, 0.1, 1e-5, 1e-4, 9.9999999995e-5,
                                1e9, 1e10, 9999999999.5, 9999999999.4, 12345678905, 0.00012345,
                                1.5, 2.5, 0.125, 1e-300, 1e300, DBL_MIN, DBL_MAX, 4.9e-324,
                                123456789012345678.0, 1e22, 1e23, 1e27, 1e28, 1e-27, 1e-28,
                                0.30000000000000004, 100, 1000000, 3.14159265358979};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        expect_same(xs[i]);
        expect_same(-xs[i]);
    }
    char out[32];
    evs_format_g10(out, NAN);
    assert_true(strstr(out, "nan") != NULL);
}

static void test_g10_random(void **state)
{
    (void)state;
    uint64_t s = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 400000; i++) {
        /* Any finite bit pattern. */
        uint64_t bits = next(&s);
        double x;
        memcpy(&x, &bits, sizeof x);
        if (isfinite(x))
            expect_same(x);
        /* Numbers of the size statistics have, with few or many digits. */
        double u = (double)(next(&s) >> 11) / 9007199254740992.0;
        int e = (int)(next(&s) % 41) - 20;
        expect_same(u * pow(10, e));
        expect_same((double)(int64_t)(next(&s) % 2000001 - 1000000) / 1000.0);
        /* Halfway cases in decimal: d.ddddddddd5 x 10^e. */
        double half = ((double)(next(&s) % 9000000000u + 1000000000u) + 0.5) * pow(10, e - 9);
        expect_same(half);
    }
}

static void test_printf_grows(void **state)
{
    (void)state;
    evs_buf b;
    evs_buf_init(&b);
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    evs_buf_printf(&b, "%d:", 42);
    evs_buf_printf(&b, "%s|%s", big, "end");
    assert_int_equal(b.len, 3 + 999 + 4);
    assert_int_equal(strlen(b.data), b.len);
    assert_memory_equal(b.data, "42:x", 4);
    assert_string_equal(b.data + b.len - 4, "|end");
    evs_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_g10_special),
        cmocka_unit_test(test_g10_random),
        cmocka_unit_test(test_printf_grows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
