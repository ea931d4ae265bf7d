/*
 * evs_test.c -- helpers shared by the tests (see evs_test.h).
 */
#include "evs_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/numparse.h"

#ifndef EVS_FIXTURE_DIR
#error "EVS_FIXTURE_DIR must be defined by the build"
#endif

void evs_assert_close_(double actual, double expected, double rel, double abs,
                       const char *what, const char *context, const char *file, int line)
{
    if (isnan(actual) && isnan(expected))
        return;
    double diff = fabs(actual - expected);
    if (diff <= abs + rel * fabs(expected))
        return;
    print_error("%s%s%s: got %.17g, expected %.17g (difference %.3g, relative %.3g; "
                "allowed rel %.1g abs %.1g)\n",
                context, context[0] ? ": " : "", what, actual, expected, diff,
                expected != 0 ? diff / fabs(expected) : diff, rel, abs);
    _fail(file, line);
}

const char *evs_fixture_path(const char *relpath)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", EVS_FIXTURE_DIR, relpath);
    return buf;
}

evs_table *evs_fixture_table(const char *relpath)
{
    evs_error err;
    evs_error_clear(&err);
    evs_table *t = evs_table_read(evs_fixture_path(relpath), &err);
    if (t == NULL) {
        char buf[2048];
        print_error("cannot read fixture: %s\n", evs_error_format(&err, buf, sizeof buf));
        fail();
    }
    return t;
}

const char *evs_fixture_str(const evs_table *t, size_t row, const char *column)
{
    long col = evs_table_find(t, column);
    if (col < 0) {
        print_error("fixture %s has no column %s\n", evs_table_source(t), column);
        fail();
    }
    return evs_table_cell(t, row, (size_t)col);
}

double evs_fixture_num(const evs_table *t, size_t row, const char *column)
{
    double x;
    evs_num_status st = evs_parse_number(evs_fixture_str(t, row, column), &x);
    if (st != EVS_NUM_OK && st != EVS_NUM_EMPTY) {
        print_error("fixture %s row %zu column %s is not a number\n", evs_table_source(t),
                    row + 1, column);
        fail();
    }
    return x;
}
