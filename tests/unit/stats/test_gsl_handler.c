/*
 * test_gsl_handler.c -- the engine never lets GSL's error handler run.
 *
 * GSL's default handler aborts the process; an outside program that links
 * the engine does not know it must turn it off.  This test does what such a
 * program might do instead: it installs a handler of its own that counts
 * its calls, checks that GSL does call it (a singular Cholesky factor), and
 * then feeds the engine inputs that make GSL signal errors inside it:
 * collinear moderators (GSL's Cholesky refuses X'X) and an exactly
 * duplicated moderator column.  The engine must return EVS_EDATA with a
 * message and never reach the handler.  Unlike the other tests, main()
 * does not call gsl_set_error_handler_off(): that is the point.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/metareg.h"

static int handler_calls;

static void counting_handler(const char *reason, const char *file, int line, int gsl_errno)
{
    (void)reason;
    (void)file;
    (void)line;
    (void)gsl_errno;
    handler_calls++;
}

/* The handler works: GSL calls it for a matrix that is not positive definite. */
static void test_handler_is_live(void **state)
{
    (void)state;
    double a[4] = {1, 1, 1, 1};
    gsl_matrix_view m = gsl_matrix_view_array(a, 2, 2);
    handler_calls = 0;
    assert_int_not_equal(gsl_linalg_cholesky_decomp1(&m.matrix), GSL_SUCCESS);
    assert_int_equal(handler_calls, 1);
}

/* Collinear moderators: the second column is twice the third. */
static void test_collinear_moderators(void **state)
{
    (void)state;
    double y[6] = {0.1, 0.3, -0.2, 0.5, 0.0, 0.2};
    double v[6] = {0.04, 0.05, 0.03, 0.06, 0.02, 0.05};
    double X[18];
    for (size_t i = 0; i < 6; i++) {
        X[3 * i] = 1;
        X[3 * i + 2] = (double)i;
        X[3 * i + 1] = 2 * X[3 * i + 2];
    }
    evs_fit_options opt;
    evs_fit_options_default(&opt);
    evs_reg_workspace *ws = evs_reg_workspace_alloc(6, 3);
    assert_non_null(ws);
    handler_calls = 0;
    evs_error err;
    evs_error_clear(&err);
    evs_reg r;
    memset(&r, 0x5a, sizeof r);
    evs_reg before = r;
    assert_int_equal(evs_reg_fit(y, v, X, 6, 3, true, &opt, ws, &r, &err), EVS_EDATA);
    assert_int_equal(err.code, EVS_EDATA);
    assert_string_equal(err.message,
                        "the moderators are collinear (the model matrix is not of full rank)");
    assert_memory_equal(&r, &before, sizeof r); /* the output is untouched */
    assert_int_equal(handler_calls, 0);

    /* the same data without the duplicate column fits */
    double X2[12];
    for (size_t i = 0; i < 6; i++) {
        X2[2 * i] = 1;
        X2[2 * i + 1] = (double)i;
    }
    assert_int_equal(evs_reg_fit(y, v, X2, 6, 2, true, &opt, ws, &r, &err), EVS_OK);
    assert_true(r.converged);
    assert_int_equal(handler_calls, 0);
    evs_reg_workspace_free(ws);
}

int main(void)
{
    gsl_set_error_handler(counting_handler);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handler_is_live),
        cmocka_unit_test(test_collinear_moderators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
