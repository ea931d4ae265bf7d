/*
 * test_transf.c -- back-transformations against metafor 3.8.
 *
 * Expected values: the bt_* columns of tests/fixtures/metafor/rma.csv, which
 * gen_fixtures.R computes from predict() with transf.ilogit (PLO),
 * transf.iarcsin (PAS), transf.ipft.hm with the studies' ni (PFT) and exp
 * (RR, OR).  The inputs are metafor's own estimate and bounds from the same
 * file, so these tests check the transformations alone.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/meta.h"
#include "evsynth/transf.h"
#include "io/studies_io.h"

/* Harmonic mean of the ni column of a fixture dataset. */
static double dataset_nhm(const char *dataset)
{
    char path[256];
    snprintf(path, sizeof path, "metafor/data/%s.csv", dataset);
    evs_table *t = evs_fixture_table(path);
    double n[64];
    size_t k = evs_table_nrows(t);
    assert_true(k <= 64);
    for (size_t i = 0; i < k; i++)
        n[i] = evs_fixture_num(t, i, "ni");
    evs_table_free(t);
    return evs_harmonic_mean(n, k);
}

static void test_against_metafor(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {{"estimate", "bt_estimate"}, {"ci_lb", "bt_ci_lb"},
                                           {"ci_ub", "bt_ci_ub"},       {"pi_lb", "bt_pi_lb"},
                                           {"pi_ub", "bt_pi_ub"}};
    evs_table *ref = evs_fixture_table("metafor/rma.csv");
    size_t checked = 0;
    for (size_t r = 0; r < evs_table_nrows(ref); r++) {
        evs_measure m;
        assert_true(evs_measure_from_name(evs_fixture_str(ref, r, "measure"), &m));
        if (!evs_measure_is_transformed(m))
            continue;
        const char *dataset = evs_fixture_str(ref, r, "dataset");
        double nhm = m == EVS_MEASURE_PFT ? dataset_nhm(dataset) : (double)NAN;
        for (size_t j = 0; j < 5; j++) {
            double x = evs_fixture_num(ref, r, pairs[j][0]);
            double expected = evs_fixture_num(ref, r, pairs[j][1]);
            char ctx[128];
            snprintf(ctx, sizeof ctx, "%s %s row %zu %s", dataset, evs_measure_name(m), r + 2,
                     pairs[j][0]);
            assert_close_ctx(evs_backtransform(m, x, nhm), expected, 1e-13, 1e-15, ctx);
            if (!isnan(expected))
                checked++;
        }
    }
    evs_table_free(ref);
    assert_true(checked > 300);
}

/*
 * By hand: ilogit(0) = 1/2, ilogit(log 3) = 3/4, and no overflow at +-800;
 * iarcsin(pi/6) = 1/4, clipped outside [0, pi/2]; ipft inverts pft exactly
 * for proportions inside (0, 1) and clips at the ends; the harmonic mean of
 * 10 and 40 is 16.
 */
static void test_by_hand(void **state)
{
    (void)state;
    const double pi = 3.14159265358979323846;
    assert_close(evs_transf_ilogit(0), 0.5, 0, 0);
    assert_close(evs_transf_ilogit(log(3.0)), 0.75, 1e-15, 0);
    assert_close(evs_transf_ilogit(800), 1, 0, 0);
    assert_close(evs_transf_ilogit(-800), 0, 0, 1e-300);
    assert_close(evs_transf_iarcsin(pi / 6), 0.25, 1e-15, 0);
    assert_close(evs_transf_iarcsin(-0.1), 0, 0, 0);
    assert_close(evs_transf_iarcsin(2), 1, 0, 0);
    for (double p = 0.05; p < 1; p += 0.1)
        assert_close(evs_transf_ipft(evs_transf_pft(p, 25), 25), p, 1e-12, 0);
    assert_close(evs_transf_ipft(evs_transf_pft(0, 25) - 0.01, 25), 0, 0, 0);
    assert_close(evs_transf_ipft(evs_transf_pft(1, 25) + 0.01, 25), 1, 0, 0);
    const double n[3] = {10, 40, NAN};
    assert_close(evs_harmonic_mean(n, 3), 16, 1e-15, 0);
    assert_close(evs_backtransform(EVS_MEASURE_MD, 1.25, NAN), 1.25, 0, 0);
    assert_close(evs_backtransform(EVS_MEASURE_OR, log(2.0), NAN), 2, 1e-15, 0);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_metafor),
        cmocka_unit_test(test_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
