/*
 * test_gosh_plot.c -- the GOSH plot's density grid (report/gosh_plot.h):
 * which cell each subset falls in, the range, what is not drawn, and the
 * script's datablock.  The expected cells are worked by hand below.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "evs_test.h"
#include "report/gosh_plot.h"

/*
 * Estimates from 0 to 1.19: half a cell is 0.5 * 1.19 / (120 - 1) = 0.005,
 * so the grid runs from -0.005 to 1.195 in 120 cells of 0.01.  An estimate
 * x is in cell floor((x + 0.005) / 0.01): 0 -> 0 (0.5), 0.5 -> 50 (50.5),
 * 1.19 -> 119 (119.5), 1.195 (the top) -> 119; 1.2 is outside.  I^2 cells
 * are whole percentage points: 0 -> 0, 49.999 -> 49, 50 -> 50, 100 -> 99.
 */
static void test_cells(void **state)
{
    (void)state;
    evs_gosh_grid *g = malloc(sizeof *g);
    assert_non_null(g);
    evs_gosh_grid_init(g, 0.0, 1.19);
    assert_true(fabs(g->xmin - -0.005) < 1e-15);
    assert_true(fabs(g->xmax - 1.195) < 1e-15);
    evs_gosh_grid_add(g, 0.0, 0.0);
    evs_gosh_grid_add(g, 0.5, 50.0);
    evs_gosh_grid_add(g, 0.5, 49.999);
    evs_gosh_grid_add(g, 1.19, 100.0);
    evs_gosh_grid_add(g, g->xmax, 100.0); /* the top itself (1.195 up to rounding) */
    evs_gosh_grid_add(g, 1.2, 10.0);   /* outside the range */
    evs_gosh_grid_add(g, NAN, NAN);    /* not converged */
    evs_gosh_grid_add(g, 0.5, -0.001); /* I^2 below 0 */
    assert_int_equal(g->count[0][0], 1);
    assert_int_equal(g->count[50][50], 1);
    assert_int_equal(g->count[49][50], 1);
    assert_int_equal(g->count[99][119], 2);
    assert_int_equal(g->drawn, 5);
    assert_int_equal(g->skipped, 3);
    uint64_t total = 0;
    for (int j = 0; j < EVS_GOSH_GRID_NY; j++)
        for (int i = 0; i < EVS_GOSH_GRID_NX; i++)
            total += g->count[j][i];
    assert_int_equal(total, 5);
    free(g);
}

/*
 * Every subset with one estimate (lo == hi): the range is widened to half
 * a unit either side, or 5% of |estimate| when that is larger.
 *   2:  1.5 .. 2.5, then half a cell (1 / 119 / 2) beyond each end;
 *   40: 38 .. 42 (5% of 40 is 2), then 4 / 119 / 2 beyond each end.
 */
static void test_one_estimate(void **state)
{
    (void)state;
    evs_gosh_grid *g = malloc(sizeof *g);
    assert_non_null(g);
    evs_gosh_grid_init(g, 2.0, 2.0);
    assert_true(fabs(g->xmin - (1.5 - 0.5 / 119)) < 1e-14);
    assert_true(fabs(g->xmax - (2.5 + 0.5 / 119)) < 1e-14);
    /* cells of 1/119: 1.5 is in cell floor(0.5) = 0, 2.5 in floor(119.5) = 119 */
    evs_gosh_grid_add(g, 1.5, 0.0);
    evs_gosh_grid_add(g, 2.5, 0.0);
    assert_int_equal(g->count[0][0], 1);
    assert_int_equal(g->count[0][119], 1);
    evs_gosh_grid_init(g, 40.0, 40.0);
    assert_true(fabs(g->xmin - (38.0 - 2.0 / 119)) < 1e-13);
    assert_true(fabs(g->xmax - (42.0 + 2.0 / 119)) < 1e-13);
    free(g);
}

/* Count the lines of s between the line "$density << EOD" and "EOD". */
static size_t datablock_rows(const char *s)
{
    const char *p = strstr(s, "$density << EOD\n");
    assert_non_null(p);
    p += strlen("$density << EOD\n");
    size_t n = 0;
    while (strncmp(p, "EOD\n", 4) != 0) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        n++;
        p = nl + 1;
    }
    return n;
}

/*
 * The script: every cell a row (120 x 100 = 12,000), an empty cell NaN
 * (left blank by `with image`), the counts' log colour scale from 1 to the
 * largest count, and a caption for the subsets not drawn only when there
 * are some.  Cell (0, 0) of the grid above has its centre at x = -0.005 +
 * 0.005 = 0 and I^2 = 0.5, and one subset; cell (50, 50) at x = -0.005 +
 * 50.5 * 0.01 = 0.5 and I^2 = 50.5, seven; its neighbour (51, 50), at 0.51,
 * none.
 */
static void test_script(void **state)
{
    (void)state;
    evs_gosh_grid *g = malloc(sizeof *g);
    assert_non_null(g);
    evs_gosh_grid_init(g, 0.0, 1.19);
    for (int r = 0; r < 7; r++)
        evs_gosh_grid_add(g, 0.5, 50.0);
    evs_gosh_grid_add(g, 0.0, 0.0);
    evs_buf b;
    evs_buf_init(&b);
    evs_gosh_plot_script(g, "/tmp/x.png", true, "GOSH plot: 8 subsets", &b);
    assert_false(b.failed);
    assert_int_equal(datablock_rows(b.data), 12000);
    assert_non_null(strstr(b.data, "\n0 0.5 1\n"));
    assert_non_null(strstr(b.data, "\n0.5 50.5 7\n"));
    assert_non_null(strstr(b.data, "\n0.51 50.5 NaN\n"));
    assert_non_null(strstr(b.data, "set cbrange [1:7]"));
    assert_non_null(strstr(b.data, "set terminal pngcairo"));
    assert_non_null(strstr(b.data, "with image"));
    assert_null(strstr(b.data, "not drawn"));
    evs_buf_free(&b);

    evs_gosh_grid_add(g, NAN, NAN);
    evs_buf_init(&b);
    evs_gosh_plot_script(g, "/tmp/x.svg", false, "t", &b);
    assert_non_null(strstr(b.data, "set terminal svg"));
    assert_non_null(strstr(b.data, "'1 subset not drawn"));
    evs_buf_free(&b);
    free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_one_estimate),
        cmocka_unit_test(test_script),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
