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
#include "meta.h"
#include "meta_json.h"
#include "studies_io.h"

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
                        "C (line 4) left out: yi is missing");

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

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_and_values),
        cmocka_unit_test(test_nulls_for_fe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
