/*
 * evs_test.h -- helpers shared by evsynth's cmocka tests.
 *
 * cmocka 1.1.5's assert_float_equal() compares as float and hides errors of
 * 1e-8, so doubles are compared with assert_close(), which prints both
 * values with 17 significant digits.
 */
#ifndef EVS_TEST_H
#define EVS_TEST_H

/* cmocka needs these before it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "io/table.h"

/*
 * Pass when |actual - expected| <= abs + rel * |expected|, or when both are
 * NaN; otherwise fail, naming what was compared and the context.
 */
void evs_assert_close_(double actual, double expected, double rel, double abs,
                       const char *what, const char *context, const char *file, int line);

#define assert_close(actual, expected, rel, abs)                                          \
    evs_assert_close_((actual), (expected), (rel), (abs), #actual, "", __FILE__, __LINE__)
#define assert_close_ctx(actual, expected, rel, abs, context)                             \
    evs_assert_close_((actual), (expected), (rel), (abs), #actual, (context), __FILE__,    \
                      __LINE__)

/* Path of a file under tests/fixtures, in a static buffer. */
const char *evs_fixture_path(const char *relpath);

/* Read a fixture CSV (relative to tests/fixtures); fails the test on error. */
evs_table *evs_fixture_table(const char *relpath);

/* A cell of a fixture table by column name, as text or as a number (NA -> NaN). */
const char *evs_fixture_str(const evs_table *t, size_t row, const char *column);
double evs_fixture_num(const evs_table *t, size_t row, const char *column);

#endif
