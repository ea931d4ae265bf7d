/*
 * test_measure.c -- effect sizes against metafor 3.8 escalc().
 *
 * Expected yi and vi: tests/fixtures/metafor/escalc.csv (gen_fixtures.R),
 * for every measure on published datasets (dat.bcg, dat.normand1999,
 * dat.pritz1997), hand-made tables with zero cells and simulated pre/post
 * data.  Then the checks on impossible values, each with its message and
 * position, and hand-derived cases for the rules metafor applies.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/measure.h"
#include "evsynth/meta.h"
#include "io/studies_io.h"

/* pi; PI is not part of C11. */
static const double PI = 3.14159265358979323846;

static void test_escalc_against_metafor(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/escalc.csv");
    size_t checked = 0, r = 0, nref = evs_table_nrows(ref);
    while (r < nref) {
        const char *dataset = evs_fixture_str(ref, r, "dataset");
        const char *measure = evs_fixture_str(ref, r, "measure");
        char path[256], ctx[128];
        snprintf(path, sizeof path, "metafor/data/%s.csv", dataset);
        evs_table *data = evs_fixture_table(path);
        evs_measure m;
        assert_true(evs_measure_from_name(measure, &m));
        evs_error err;
        evs_error_clear(&err);
        evs_studies *s = evs_studies_from_table(data, m, &err);
        assert_non_null(s);
        evs_meta *meta = evs_meta_run(s, m, NULL, NULL, NULL, &err);
        assert_non_null(meta);
        for (; r < nref && strcmp(evs_fixture_str(ref, r, "dataset"), dataset) == 0 &&
               strcmp(evs_fixture_str(ref, r, "measure"), measure) == 0;
             r++) {
            size_t row = (size_t)evs_fixture_num(ref, r, "row") - 1;
            snprintf(ctx, sizeof ctx, "%s %s row %zu", dataset, measure, row + 1);
            assert_true(row < s->k);
            /* Closed forms; lgamma() in the SMD correction differs in the last bits. */
            assert_close_ctx(meta->effects.yi[row], evs_fixture_num(ref, r, "yi"), 1e-12,
                             1e-15, ctx);
            assert_close_ctx(meta->effects.vi[row], evs_fixture_num(ref, r, "vi"), 1e-12,
                             1e-15, ctx);
            checked++;
        }
        evs_meta_free(meta);
        evs_studies_free(s);
        evs_table_free(data);
    }
    evs_table_free(ref);
    assert_true(checked > 250);
}

/* Run escalc on a CSV given as text; returns the status, fills err and effects. */
static evs_status escalc_text(const char *csv, const char *measure, double *yi, double *vi,
                              bool *corrected, evs_error *err)
{
    evs_table *t = evs_table_read_buffer(csv, strlen(csv), "t.csv", err);
    assert_non_null(t);
    evs_measure m;
    assert_true(evs_measure_from_name(measure, &m));
    evs_studies *s = evs_studies_from_table(t, m, err);
    if (s == NULL) { /* a column the measure needs is absent: the reader says so */
        evs_table_free(t);
        return err->code;
    }
    double ni[16];
    int missing[16];
    bool corr[16];
    evs_effects e = {.yi = yi, .vi = vi, .ni = ni, .corrected = corrected ? corrected : corr,
                     .missing = missing};
    evs_status st = evs_escalc(m, s, NULL, &e, err);
    evs_error_set_file(err, s->source);
    evs_studies_free(s);
    evs_table_free(t);
    return st;
}

typedef struct bad_case {
    const char *measure;
    const char *csv;
    const char *message; /* exact, as "FILE:LINE:COLUMN: message" */
} bad_case;

static void test_impossible_values(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"MD", "m1i,sd1i,n1i,m2i,sd2i,n2i\n1,1,10,2,1,10\n1,-1,10,2,1,10\n",
         "t.csv:3:2: sd1i must be greater than 0 (got -1)"},
        {"MD", "m1i,sd1i,n1i,m2i,sd2i,n2i\n1,1,10,2,0,10\n",
         "t.csv:2:5: sd2i must be greater than 0 (got 0)"},
        {"MD", "m1i,sd1i,n1i,m2i,sd2i,n2i\n1,1,10.5,2,1,10\n",
         "t.csv:2:3: n1i must be a whole number greater than 0 (got 10.5)"},
        {"MN", "mi,sdi,ni\n5,1,0\n", "t.csv:2:3: ni must be a whole number greater than 0 (got 0)"},
        {"PLO", "xi,ni\n12,10\n", "t.csv:2:1: xi (12) is larger than ni (10)"},
        {"PR", "xi,ni\n-1,10\n", "t.csv:2:1: xi must be a whole number of events, 0 or more (got -1)"},
        {"RR", "ai,n1i,ci,n2i\n11,10,2,10\n", "t.csv:2:1: ai (11) is larger than n1i (10)"},
        {"OR", "ai,bi,n1i,ci,di\n3,7,12,2,8\n", "t.csv:2:3: n1i (12) is not ai + bi (10)"},
        {"MC", "m1i,m2i,sd1i,sd2i,ni,ri\n8,3,2,2,20,1.2\n",
         "t.csv:2:6: ri must be between -1 and 1 (got 1.2)"},
        {"MC", "m1i,m2i,sd1i,sd2i,ni,ri\n8,3,2,2,20,1\n",
         "t.csv:2:6: the SD of the change is 0 (sd1i = sd2i and ri = 1)"},
        {"SMCR", "m1i,m2i,sd1i,ni,ri\n8,3,2,2,0.5\n",
         "t.csv:2:4: SMCR needs ni of at least 3 for its bias correction (got 2)"},
        {"SMD", "m1i,sd1i,n1i,m2i,sd2i,n2i\n1,1,1,2,1,2\n",
         "t.csv:2:3: SMD needs n1i + n2i of at least 4 for its bias correction (got 3)"},
        {"GEN", "yi,vi\n0.5,-0.1\n", "t.csv:2:2: vi must be greater than 0 (got -0.1)"},
        {"GEN", "yi,sei\n0.5,0\n", "t.csv:2:2: sei must be greater than 0 (got 0)"},
        {"GEN", "yi\n0.5\n", "t.csv:1: measure GEN needs a column \"vi\" or \"sei\""},
        {"MD", "m1i,sd1i,n1i,m2i,sd2i\n1,1,10,2,1\n", "t.csv:1: measure MD needs a column \"n2i\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double yi[4], vi[4];
        evs_error err;
        evs_error_clear(&err);
        assert_int_equal(escalc_text(cases[i].csv, cases[i].measure, yi, vi, NULL, &err),
                         EVS_EDATA);
        char buf[1024];
        assert_string_equal(evs_error_format(&err, buf, sizeof buf), cases[i].message);
    }
}

/*
 * Zero cells, derived by hand.  a=0, b=10, c=5, d=5 (only0): every cell gets
 * 1/2, so a=.5 b=10.5 c=5.5 d=5.5, n1=11, n2=11:
 *   OR: log((.5*5.5)/(10.5*5.5)) = log(1/21), vi = 1/.5 + 1/10.5 + 2/5.5
 *   RR: log((.5/11)/(5.5/11)) = log(1/11), vi = 1/.5 - 1/11 + 1/5.5 - 1/11
 * A study without zero cells is left alone.
 */
static void test_zero_cells(void **state)
{
    (void)state;
    const char *csv = "ai,bi,ci,di\n0,10,5,5\n2,8,5,5\n";
    double yi[2], vi[2];
    bool corr[2];
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(escalc_text(csv, "OR", yi, vi, corr, &err), EVS_OK);
    assert_close(yi[0], log(1.0 / 21), 1e-14, 0);
    assert_close(vi[0], 1 / .5 + 1 / 10.5 + 2 / 5.5, 1e-14, 0);
    assert_true(corr[0]);
    assert_false(corr[1]);
    assert_close(yi[1], log((2.0 * 5) / (8.0 * 5)), 1e-14, 0);
    assert_int_equal(escalc_text(csv, "RR", yi, vi, corr, &err), EVS_OK);
    assert_close(yi[0], log(1.0 / 11), 1e-14, 0);
    assert_close(vi[0], 1 / .5 - 1 / 11.0 + 1 / 5.5 - 1 / 11.0, 1e-14, 0);
}

/*
 * Proportions: PLO adds 1/2 to x and n - x when x = 0 or x = n; PAS and PFT
 * never do.  x=0, n=10: PLO yi = log(.5/10.5), vi = 1/.5 + 1/10.5;
 * PAS yi = asin(0) = 0, vi = 1/40; PFT yi = (asin(0) + asin(sqrt(1/11)))/2,
 * vi = 1/42.
 */
static void test_proportion_corrections(void **state)
{
    (void)state;
    const char *csv = "xi,ni\n0,10\n10,10\n";
    double yi[2], vi[2];
    bool corr[2];
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(escalc_text(csv, "PLO", yi, vi, corr, &err), EVS_OK);
    assert_close(yi[0], log(.5 / 10.5), 1e-14, 0);
    assert_close(vi[0], 1 / .5 + 1 / 10.5, 1e-14, 0);
    assert_close(yi[1], log(10.5 / .5), 1e-14, 0);
    assert_true(corr[0] && corr[1]);
    assert_int_equal(escalc_text(csv, "PAS", yi, vi, corr, &err), EVS_OK);
    assert_close(yi[0], 0, 0, 1e-300);
    assert_close(vi[0], 1 / 40.0, 1e-14, 0);
    assert_false(corr[0] || corr[1]);
    assert_int_equal(escalc_text(csv, "PFT", yi, vi, corr, &err), EVS_OK);
    assert_close(yi[0], 0.5 * asin(sqrt(1 / 11.0)), 1e-14, 0);
    assert_close(vi[0], 1 / 42.0, 1e-14, 0);
    assert_false(corr[0] || corr[1]);
}

/*
 * Rows with a missing input are left out and say which input; the other rows
 * still count.  With only one usable row, the analysis stops with a message
 * that says why each row was left out.
 */
static void test_missing_values(void **state)
{
    (void)state;
    const char *csv = "study,yi,vi\nA,0.1,0.01\nB,,0.02\nC,0.3,NA\nD,0.2,0.03\n";
    evs_error err;
    evs_error_clear(&err);
    evs_table *t = evs_table_read_buffer(csv, strlen(csv), "m.csv", &err);
    evs_studies *s = evs_studies_from_table(t, EVS_MEASURE_GEN, &err);
    evs_meta *meta = evs_meta_run(s, EVS_MEASURE_GEN, NULL, NULL, NULL, &err);
    assert_non_null(meta);
    assert_int_equal(meta->k, 2);
    assert_int_equal(meta->effects.missing[1], EVS_VAR_YI);
    assert_int_equal(meta->effects.missing[2], EVS_VAR_VI);
    assert_int_equal(meta->effects.missing[0], -1);
    assert_int_equal(evs_meta_omitted(meta), 2);
    evs_meta_free(meta);
    evs_studies_free(s);
    evs_table_free(t);

    const char *one = "study,yi,vi\nA,0.1,0.01\nB,,0.02\n";
    t = evs_table_read_buffer(one, strlen(one), "one.csv", &err);
    s = evs_studies_from_table(t, EVS_MEASURE_GEN, &err);
    assert_null(evs_meta_run(s, EVS_MEASURE_GEN, NULL, NULL, NULL, &err));
    char buf[1024];
    assert_string_equal(evs_error_format(&err, buf, sizeof buf),
                        "one.csv: only 1 row has all the data measure GEN needs (at least 2 "
                        "are needed to pool); left out: line 3 (yi missing)");
    evs_studies_free(s);
    evs_table_free(t);

    const char *none = "study,yi,vi\nA,,0.01\nB,,0.02\n";
    t = evs_table_read_buffer(none, strlen(none), "none.csv", &err);
    s = evs_studies_from_table(t, EVS_MEASURE_GEN, &err);
    assert_null(evs_meta_run(s, EVS_MEASURE_GEN, NULL, NULL, NULL, &err));
    assert_string_equal(evs_error_format(&err, buf, sizeof buf),
                        "none.csv: no row has all the data measure GEN needs: line 2 (yi "
                        "missing), line 3 (yi missing)");
    evs_studies_free(s);
    evs_table_free(t);
}

/*
 * metafor's shortcut for a reported SD of the change: sd1i = SD(change),
 * sd2i = 0, ri = 0 gives vi = sd1i^2 / ni.  m1i=8, m2i=3, sd1i=2, n=16:
 * MC yi = 5, vi = 4/16.
 */
static void test_change_sd_shortcut(void **state)
{
    (void)state;
    double yi[1], vi[1];
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(escalc_text("m1i,m2i,sd1i,sd2i,ni,ri\n8,3,2,0,16,0\n", "MC", yi, vi,
                                 NULL, &err),
                     EVS_OK);
    assert_close(yi[0], 5, 0, 0);
    assert_close(vi[0], 0.25, 1e-15, 0);
}

/*
 * The exact correction factor J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)):
 * J(2) = Gamma(1)/(1 * Gamma(1/2)) = 1/sqrt(pi); J(3) = Gamma(3/2)/(sqrt(3/2)
 * Gamma(1)) = (sqrt(pi)/2)/sqrt(1.5); large m approaches 1 - 3/(4m - 1).
 */
static void test_hedges_correction(void **state)
{
    (void)state;
    assert_close(evs_hedges_correction(2), 1 / sqrt(PI), 1e-14, 0);
    assert_close(evs_hedges_correction(3), sqrt(PI) / 2 / sqrt(1.5), 1e-14, 0);
    assert_close(evs_hedges_correction(1000), 1 - 3 / (4.0 * 1000 - 1), 1e-6, 0);
    assert_true(isnan(evs_hedges_correction(1)));
}

static void test_names(void **state)
{
    (void)state;
    for (int m = 0; m < EVS_MEASURE_COUNT; m++) {
        evs_measure back;
        assert_true(evs_measure_from_name(evs_measure_name((evs_measure)m), &back));
        assert_int_equal(back, m);
        assert_non_null(strstr(evs_measure_names(), evs_measure_name((evs_measure)m)));
    }
    evs_measure m;
    assert_false(evs_measure_from_name("PLOGIT", &m));
    assert_false(evs_measure_from_name("plo", &m));
}

/* evs_escalc() itself refuses studies without a column the measure needs
 * (the CSV reader reports it first, with hints; an outside caller builds
 * evs_studies itself). */
static void test_missing_column(void **state)
{
    (void)state;
    evs_studies *s = evs_studies_alloc(2, "x.csv");
    assert_non_null(s);
    assert_int_equal(evs_studies_add_var(s, EVS_VAR_YI, 1), EVS_OK);
    double yi[2], vi[2], ni[2];
    int missing[2];
    bool corr[2];
    evs_effects e = {.yi = yi, .vi = vi, .ni = ni, .corrected = corr, .missing = missing};
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(evs_escalc(EVS_MEASURE_GEN, s, NULL, &e, &err), EVS_EDATA);
    assert_string_equal(err.message, "measure GEN needs a column \"vi\" or \"sei\"");
    assert_int_equal(evs_escalc(EVS_MEASURE_MN, s, NULL, &e, &err), EVS_EDATA);
    assert_string_equal(err.message, "measure MN needs a column \"mi\"");
    evs_studies_free(s);

    /* The alternatives, as the reader's check uses them. */
    assert_int_equal(evs_measure_alternative(EVS_MEASURE_GEN, EVS_VAR_VI), EVS_VAR_SEI);
    assert_int_equal(evs_measure_alternative(EVS_MEASURE_OR, EVS_VAR_BI), EVS_VAR_N1I);
    assert_int_equal(evs_measure_alternative(EVS_MEASURE_OR, EVS_VAR_DI), EVS_VAR_N2I);
    assert_int_equal(evs_measure_alternative(EVS_MEASURE_OR, EVS_VAR_AI), EVS_VAR_COUNT);
    assert_int_equal(evs_measure_alternative(EVS_MEASURE_MD, EVS_VAR_YI), EVS_VAR_COUNT);

    /* A measure out of range, as the header promises: nothing, never a read past the table. */
    evs_var vars[4];
    assert_int_equal(evs_measure_inputs(EVS_MEASURE_COUNT, vars, 4), 0);
    assert_false(evs_measure_uses(EVS_MEASURE_COUNT, EVS_VAR_YI));
    assert_false(evs_measure_is_transformed(EVS_MEASURE_COUNT));
    assert_int_equal(evs_measure_alternative(EVS_MEASURE_COUNT, EVS_VAR_VI), EVS_VAR_COUNT);
    /* and in range: OR reads ai, bi (or n1i), ci, di (or n2i) */
    assert_int_equal(evs_measure_inputs(EVS_MEASURE_OR, vars, 4), 4);
    assert_true(evs_measure_uses(EVS_MEASURE_OR, EVS_VAR_N1I));
    assert_true(evs_measure_is_transformed(EVS_MEASURE_OR));
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escalc_against_metafor),
        cmocka_unit_test(test_impossible_values),
        cmocka_unit_test(test_missing_column),
        cmocka_unit_test(test_zero_cells),
        cmocka_unit_test(test_proportion_corrections),
        cmocka_unit_test(test_missing_values),
        cmocka_unit_test(test_change_sd_shortcut),
        cmocka_unit_test(test_hedges_correction),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
