/*
 * test_json.c -- the JSON form of a meta-analysis result: the exact keys in
 * their order, null for quantities a model does not have, numbers that read
 * back to the same doubles, and the per-study array.
 */
#include <gsl/gsl_errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/meta.h"
#include "evsynth/meta_diag.h"
#include "io/studies_io.h"
#include "report/meta_json.h"

static const char *const keys[] = {
    "k",        "measure",  "method",   "test",       "level",      "estimate", "se",
    "stat",     "pval",     "ci_lb",    "ci_ub",      "pi_lb",      "pi_ub",    "tau2",
    "tau",      "tau2_ci_lb", "tau2_ci_ub", "I2",     "I2_ci_lb",   "I2_ci_ub", "H2",
    "QE",       "QE_df",    "QE_p",     "iterations", "converged",  "warnings", "studies",
};

typedef struct run {
    evs_table *t;
    evs_studies *s;
    evs_meta *meta;
} run;

static void run_csv(run *r, const char *csv, evs_measure m, evs_method method)
{
    evs_error err;
    evs_error_clear(&err);
    r->t = evs_table_read_buffer(csv, strlen(csv), "j.csv", &err);
    assert_non_null(r->t);
    r->s = evs_studies_from_table(r->t, m, &err);
    assert_non_null(r->s);
    evs_fit_options opt;
    evs_fit_options_default(&opt);
    opt.method = method;
    r->meta = evs_meta_run(r->s, m, NULL, &opt, NULL, &err);
    assert_non_null(r->meta);
}

static void run_free(run *r)
{
    evs_meta_free(r->meta);
    evs_studies_free(r->s);
    evs_table_free(r->t);
}

/* Dump to text and parse it back, as a consumer of the output would. */
static json_t *round_trip(const evs_meta *meta, bool with_studies)
{
    json_t *obj = evs_meta_json(meta, with_studies);
    assert_non_null(obj);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(evs_json_dump(obj, out, true), 0);
    fclose(out);
    json_decref(obj);
    json_error_t jerr;
    json_t *back = json_loads(buf, 0, &jerr);
    free(buf);
    assert_non_null(back);
    return back;
}

static const char *CSV = "study,yi,vi\n"
                         "A,-0.889311333,0.325584765\n"
                         "B,-1.585389,0.194581121\n"
                         "C,,0.2\n"
                         "D,-1.348073148,0.415367965\n"
                         "E,-1.441551974,0.020010031\n";

static void test_keys_and_values(void **state)
{
    (void)state;
    run r;
    run_csv(&r, CSV, EVS_MEASURE_GEN, EVS_METHOD_REML);
    json_t *o = round_trip(r.meta, true);
    size_t n = sizeof keys / sizeof keys[0], i = 0;
    const char *key;
    json_t *value;
    json_object_foreach(o, key, value) {
        assert_true(i < n);
        assert_string_equal(key, keys[i]);
        i++;
    }
    assert_int_equal(i, n);

    const evs_fit *f = &r.meta->fit;
    assert_int_equal(json_integer_value(json_object_get(o, "k")), 4);
    assert_string_equal(json_string_value(json_object_get(o, "measure")), "GEN");
    assert_string_equal(json_string_value(json_object_get(o, "method")), "REML");
    assert_string_equal(json_string_value(json_object_get(o, "test")), "z");
    /* 17 significant digits read back to the very same double */
    assert_true(json_real_value(json_object_get(o, "estimate")) == f->estimate);
    assert_true(json_real_value(json_object_get(o, "tau2_ci_ub")) == f->tau2_ci_ub);
    assert_true(json_real_value(json_object_get(o, "tau")) == sqrt(f->tau2));
    assert_int_equal(json_integer_value(json_object_get(o, "QE_df")), 3);
    assert_true(json_is_true(json_object_get(o, "converged")));

    json_t *w = json_object_get(o, "warnings");
    assert_int_equal(json_array_size(w), 1);
    assert_string_equal(json_string_value(json_array_get(w, 0)),
                        "C (j.csv:4) left out: yi is missing");

    json_t *studies = json_object_get(o, "studies");
    assert_int_equal(json_array_size(studies), 4);
    json_t *d = json_array_get(studies, 2);
    assert_string_equal(json_string_value(json_object_get(d, "label")), "D");
    assert_true(json_real_value(json_object_get(d, "yi")) == -1.348073148);
    assert_true(json_real_value(json_object_get(d, "weight")) == r.meta->weights[2]);
    double total = 0;
    for (size_t j = 0; j < 4; j++)
        total += json_real_value(json_object_get(json_array_get(studies, j), "weight"));
    assert_close(total, 100, 1e-12, 0);
    json_decref(o);
    run_free(&r);
}

/* A common-effect model has no prediction interval and no tau^2 CI: null. */
static void test_nulls_for_fe(void **state)
{
    (void)state;
    run r;
    run_csv(&r, CSV, EVS_MEASURE_GEN, EVS_METHOD_FE);
    json_t *o = round_trip(r.meta, false);
    static const char *const nulls[] = {"pi_lb", "pi_ub", "tau2_ci_lb", "tau2_ci_ub",
                                        "I2_ci_lb", "I2_ci_ub"};
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
        assert_true(json_is_null(json_object_get(o, nulls[i])));
    assert_true(json_real_value(json_object_get(o, "tau2")) == 0);
    assert_null(json_object_get(o, "studies"));
    json_decref(o);
    run_free(&r);
}

/* The diagnostics' keys follow the model's, in this order, and carry the
 * very doubles of the evs_meta_diag; z tests have null second df. */
static void test_diag_keys(void **state)
{
    (void)state;
    static const char *const diag_keys[] = {
        "leave1out", "influence", "cumulative", "egger", "egger_classic", "begg", "trimfill",
        "subgroups", "Q_between", "Q_between_df", "Q_between_p", "Q_between_common",
        "Q_between_common_df", "Q_between_common_df2", "Q_between_common_p", "moderators", "QM",
        "QM_df", "QM_df2", "QM_p", "R2", "k_reg", "tau2_res", "I2_res", "QE_res", "QE_res_df",
        "QE_res_p", "permutation"};
    static const char *const csv = "study,yi,vi\n"
                                   "A,-0.89,0.33\nB,-1.59,0.19\nC,-1.35,0.42\nD,-1.44,0.02\n"
                                   "E,-0.22,0.05\nF,-0.79,0.007\nG,-1.62,0.22\nH,0.01,0.004\n";
    run r;
    run_csv(&r, csv, EVS_MEASURE_GEN, EVS_METHOD_REML);
    double X[8 * 2];
    size_t rows[8], group[8];
    for (size_t i = 0; i < 8; i++) {
        X[2 * i] = 1;
        X[2 * i + 1] = (double)(i * i % 5);
        rows[i] = i;
        group[i] = i % 2;
    }
    evs_fit_options opt;
    evs_fit_options_default(&opt);
    evs_diag_request req = {.leave1out = true, .influence = true, .cumulative = true,
                            .bias = true, .X = X, .p = 2, .xk = 8, .x_rows = rows,
                            .group = group, .gk = 8, .ngroups = 2, .g_rows = rows,
                            .permutations = 50, .seed = 3};
    evs_error err;
    evs_error_clear(&err);
    evs_meta_diag *d = evs_meta_diagnose(r.meta, &opt, &req, &err);
    assert_non_null(d);
    json_t *o = evs_meta_json(r.meta, false);
    const char *const names[] = {"intrcpt", "x"}, *const levels[] = {"even", "odd"};
    assert_int_equal(evs_meta_json_add_diag(o, r.meta, d, names, levels), 0);

    size_t i = 0, n = sizeof diag_keys / sizeof diag_keys[0];
    bool after = false;
    const char *key;
    json_t *value;
    json_object_foreach(o, key, value) {
        if (strcmp(key, "warnings") == 0) {
            after = true;
            continue;
        }
        if (!after)
            continue;
        assert_true(i < n);
        assert_string_equal(key, diag_keys[i]);
        i++;
    }
    assert_int_equal(i, n);

    json_t *l1 = json_array_get(json_object_get(o, "leave1out"), 3);
    assert_string_equal(json_string_value(json_object_get(l1, "label")), "D");
    assert_true(json_real_value(json_object_get(l1, "estimate")) == d->leave1out[3].estimate);
    json_t *inf = json_array_get(json_object_get(o, "influence"), 7);
    assert_true(json_real_value(json_object_get(inf, "cook_d")) == d->influence[7].cook_d);
    assert_true(json_is_boolean(json_object_get(inf, "influential")));
    json_t *eg = json_object_get(o, "egger");
    assert_true(json_real_value(json_object_get(eg, "stat")) == d->egger.stat);
    assert_true(json_is_null(json_object_get(eg, "df"))); /* z test */
    json_t *egl = json_object_get(o, "egger_classic");
    assert_true(json_real_value(json_object_get(egl, "df")) == 6); /* k - 2 */
    assert_true(json_is_null(json_object_get(o, "QM_df2")));
    assert_int_equal(json_integer_value(json_object_get(o, "QM_df")), 1);
    json_t *sg = json_array_get(json_object_get(o, "subgroups"), 1);
    assert_string_equal(json_string_value(json_object_get(sg, "level")), "odd");
    assert_int_equal(json_integer_value(json_object_get(sg, "k")), 4);
    json_t *mods = json_object_get(o, "moderators");
    assert_int_equal(json_array_size(mods), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(mods, 1), "name")), "x");
    json_t *perm = json_object_get(o, "permutation");
    assert_int_equal(json_array_size(json_object_get(perm, "pval")), 2);
    assert_int_equal(json_integer_value(json_object_get(perm, "seed")), 3);
    json_decref(o);
    evs_meta_diag_free(d);
    run_free(&r);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_and_values),
        cmocka_unit_test(test_nulls_for_fe),
        cmocka_unit_test(test_diag_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
