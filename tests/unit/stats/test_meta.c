/*
 * test_meta.c -- the one analysis path (meta.h): evs_meta_fit() into a
 * caller-owned workspace gives evs_meta_run()'s results and messages,
 * reuses its memory, leaves its output alone on error, and reads views
 * without labels (what evsynth batch passes it) as evs_studies_label()
 * names them.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/meta.h"

/* Three analyses of different sizes, given as views without labels. */
static const double ys[] = {0.1, 0.3, 0.2, -0.4, 0.5, 0.05, 0.6, NAN, 0.2, 0.25, 0.7};
static const double vs[] = {0.01, 0.02, 0.015, 0.05, 0.04, 0.02, 0.03, 0.02, 0.01, 0.02, 0.05};
static long lines[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
static char source[] = "view.csv";

static evs_studies view(size_t first, size_t k, double *y, double *v)
{
    evs_studies s;
    memset(&s, 0, sizeof s);
    s.k = k;
    s.source = source;
    s.line = lines + first;
    memcpy(y, ys + first, k * sizeof *y);
    memcpy(v, vs + first, k * sizeof *v);
    s.x[EVS_VAR_YI] = y;
    s.x[EVS_VAR_VI] = v;
    s.column[EVS_VAR_YI] = 1;
    s.column[EVS_VAR_VI] = 2;
    return s;
}

static void test_workspace_matches_run(void **state)
{
    (void)state;
    static const size_t parts[][2] = {{0, 3}, {3, 8}, {0, 11}, {8, 3}, {0, 2}};
    evs_meta_workspace *ws = evs_meta_workspace_alloc();
    assert_non_null(ws);
    for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
        double y[16], v[16];
        evs_studies s = view(parts[p][0], parts[p][1], y, v);
        evs_error err;
        evs_error_clear(&err);
        evs_meta fast;
        assert_int_equal(evs_meta_fit(&s, EVS_MEASURE_GEN, NULL, NULL, ws, &fast, &err), EVS_OK);
        evs_meta *slow = evs_meta_run(&s, EVS_MEASURE_GEN, NULL, NULL, NULL, &err);
        assert_non_null(slow);
        assert_int_equal(fast.k, slow->k);
        assert_memory_equal(&fast.fit, &slow->fit, sizeof fast.fit);
        assert_memory_equal(fast.weights, slow->weights, fast.k * sizeof *fast.weights);
        assert_memory_equal(fast.included, slow->included, fast.k * sizeof *fast.included);
        /* no labels in the view: the engine names the rows "Study N" */
        char buf[EVS_LABEL_DEFAULT_MAX];
        assert_string_equal(evs_meta_label(&fast, 1, buf), "Study 2");
        evs_meta_free(slow);
    }
    evs_meta_workspace_free(ws);
    evs_meta_workspace_free(NULL);
}

/* Errors: the message of evs_meta_run(), and the output left untouched. */
static void test_errors_leave_output(void **state)
{
    (void)state;
    evs_meta_workspace *ws = evs_meta_workspace_alloc();
    double y[16], v[16];
    evs_studies s = view(6, 2, y, v); /* 0.6 and a missing value */
    evs_meta out;
    memset(&out, 0x5a, sizeof out);
    evs_meta before = out;
    evs_error err, err_run;
    evs_error_clear(&err);
    evs_error_clear(&err_run);
    assert_int_equal(evs_meta_fit(&s, EVS_MEASURE_GEN, NULL, NULL, ws, &out, &err), EVS_EDATA);
    assert_memory_equal(&out, &before, sizeof out);
    assert_null(evs_meta_run(&s, EVS_MEASURE_GEN, NULL, NULL, NULL, &err_run));
    char a[1024], b[1024];
    assert_string_equal(evs_error_format(&err, a, sizeof a),
                        evs_error_format(&err_run, b, sizeof b));
    assert_string_equal(a, "view.csv: only 1 row has all the data measure GEN needs (at least "
                           "2 are needed to pool); left out: line 9 (yi missing)");

    /* a bad fit option is the caller's mistake */
    evs_fit_options opt;
    evs_fit_options_default(&opt);
    opt.level = 100;
    s = view(0, 3, y, v);
    assert_int_equal(evs_meta_fit(&s, EVS_MEASURE_GEN, NULL, &opt, ws, &out, &err), EVS_EINVAL);
    assert_memory_equal(&out, &before, sizeof out);
    evs_meta_workspace_free(ws);
}

/* Labels: a view may give some rows labels and leave others NULL. */
static void test_partial_labels(void **state)
{
    (void)state;
    double y[16], v[16];
    evs_studies s = view(0, 3, y, v);
    char alpha[] = "Alpha", gamma[] = "Gamma";
    char *labels[3] = {alpha, NULL, gamma};
    s.label = labels;
    char buf[EVS_LABEL_DEFAULT_MAX];
    assert_string_equal(evs_studies_label(&s, 0, buf), "Alpha");
    assert_string_equal(evs_studies_label(&s, 1, buf), "Study 2");
    assert_string_equal(evs_studies_label(&s, 2, buf), "Gamma");
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workspace_matches_run),
        cmocka_unit_test(test_errors_leave_output),
        cmocka_unit_test(test_partial_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
