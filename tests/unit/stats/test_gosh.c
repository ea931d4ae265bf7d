/*
 * test_gosh.c -- GOSH against metafor's gosh() and against refitting.
 *
 * Expected values: tests/fixtures/metafor/gosh.csv (gen_diagnostics.R),
 * every one of the 255 subsets of the first 8 BCG trials for FE, DL and REML.
 * The differential test checks the running-sum fast paths (FE, DL) against
 * fitting each subset from scratch with evs_fit_rma().  Threads must give
 * the one-thread results in the one-thread order, and the summary must
 * agree with sums taken naively over the collected subsets.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/gosh.h"

typedef struct collect {
    size_t n;
    evs_gosh_subset s[1 << 12];
} collect;

static int keep(const evs_gosh_subset *s, void *ctx)
{
    collect *c = ctx;
    c->s[c->n++] = *s;
    return 0;
}

/* Field by field, bit for bit (NaN equal to NaN; padding not compared). */
static void assert_same_subset(const evs_gosh_subset *a, const evs_gosh_subset *b)
{
    assert_int_equal(a->mask, b->mask);
    assert_int_equal(a->k, b->k);
    assert_int_equal(a->converged, b->converged);
    const double x[] = {a->estimate, a->I2, a->tau2, a->QE};
    const double z[] = {b->estimate, b->I2, b->tau2, b->QE};
    assert_memory_equal(x, z, sizeof x);
}

/* Every subset of 16 studies, for test_ranges. */
typedef struct collect16 {
    size_t n;
    evs_gosh_subset s[65535];
} collect16;

static int keep16(const evs_gosh_subset *s, void *ctx)
{
    collect16 *c = ctx;
    c->s[c->n++] = *s;
    return 0;
}

static const evs_gosh_subset *find(const collect *c, uint64_t mask)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->s[i].mask == mask)
            return &c->s[i];
    return NULL;
}

static void test_against_metafor(void **state)
{
    (void)state;
    evs_table *ref = evs_fixture_table("metafor/gosh.csv");
    evs_table *d = evs_fixture_table("metafor/data/bcg8.csv");
    double y[8], v[8];
    for (size_t i = 0; i < 8; i++) {
        y[i] = evs_fixture_num(d, i, "yi");
        v[i] = evs_fixture_num(d, i, "vi");
    }
    static collect c;
    const char *method = "";
    for (size_t r = 0; r < evs_table_nrows(ref); r++) {
        if (strcmp(evs_fixture_str(ref, r, "method"), method) != 0) {
            method = evs_fixture_str(ref, r, "method");
            evs_gosh_options o = {.samples = 0};
            evs_fit_options_default(&o.fit);
            assert_true(evs_method_from_name(method, &o.fit.method));
            c.n = 0;
            assert_int_equal(evs_gosh(y, v, 8, &o, keep, &c, NULL), EVS_OK);
            assert_int_equal(c.n, 255);
        }
        const evs_gosh_subset *s = find(&c, (uint64_t)evs_fixture_num(ref, r, "mask"));
        assert_non_null(s);
        if (s == NULL)
            return;
        char ctx[64];
        snprintf(ctx, sizeof ctx, "%s mask %g", method, evs_fixture_num(ref, r, "mask"));
        assert_int_equal(s->k, (size_t)evs_fixture_num(ref, r, "k"));
        assert_close_ctx(s->estimate, evs_fixture_num(ref, r, "estimate"), 1e-9, 1e-12, ctx);
        assert_close_ctx(s->I2, evs_fixture_num(ref, r, "I2"), 1e-7, 1e-7, ctx);
        assert_close_ctx(s->QE, evs_fixture_num(ref, r, "QE"), 1e-9, 1e-10, ctx);
        assert_close_ctx(s->tau2, evs_fixture_num(ref, r, "tau2"), 1e-7, 1e-10, ctx);
    }
    evs_table_free(d);
    evs_table_free(ref);
}

/* The fast paths against fitting each subset from scratch (k = 12, 4095 subsets). */
static void test_fast_paths(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 5);
    double y[12], v[12];
    for (size_t i = 0; i < 12; i++) {
        v[i] = exp(log(1e-3) + gsl_rng_uniform(rng) * log(1e3));
        y[i] = 0.5 + gsl_ran_gaussian(rng, sqrt(v[i] + 0.05));
    }
    static collect c;
    for (int m = EVS_METHOD_FE; m <= EVS_METHOD_DL; m++) {
        evs_gosh_options o = {.samples = 0};
        evs_fit_options_default(&o.fit);
        o.fit.method = (evs_method)m;
        c.n = 0;
        assert_int_equal(evs_gosh(y, v, 12, &o, keep, &c, NULL), EVS_OK);
        assert_int_equal(c.n, 4095);
        for (size_t i = 0; i < c.n; i++) {
            double ys[12], vs[12];
            size_t n = 0;
            for (size_t j = 0; j < 12; j++)
                if ((c.s[i].mask >> j) & 1u) {
                    ys[n] = y[j];
                    vs[n++] = v[j];
                }
            assert_int_equal(n, c.s[i].k);
            if (n < 2)
                continue;
            evs_fit f;
            assert_int_equal(evs_fit_rma(ys, vs, n, &o.fit, NULL, &f, NULL), EVS_OK);
            assert_close(c.s[i].estimate, f.estimate, 1e-10, 1e-12);
            assert_close(c.s[i].QE, f.QE, 1e-9, 1e-10);
            assert_close(c.s[i].I2, f.I2, 1e-9, 1e-9);
            assert_close(c.s[i].tau2, f.tau2, 1e-9, 1e-12);
        }
    }
    gsl_rng_free(rng);
}

/*
 * Chunks fitted on their own (as `evsynth gosh --threads` does) give exactly
 * evs_gosh()'s results: k = 16 has 65,535 subsets, two chunks.  A range
 * that straddles a chunk boundary is checked against its own Gray-code
 * position (mask and size).
 */
static void test_ranges(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 11);
    double y[16], v[16];
    for (size_t i = 0; i < 16; i++) {
        v[i] = 0.01 + 0.2 * gsl_rng_uniform(rng);
        y[i] = 0.3 + gsl_ran_gaussian(rng, sqrt(v[i] + 0.05));
    }
    static collect16 every;
    static evs_gosh_subset part[EVS_GOSH_CHUNK];
    evs_fit_workspace *ws = evs_fit_workspace_alloc();
    for (int m = EVS_METHOD_FE; m <= EVS_METHOD_REML; m += EVS_METHOD_REML - EVS_METHOD_FE) {
        evs_gosh_options o = {.samples = 0};
        evs_fit_options_default(&o.fit);
        o.fit.method = (evs_method)m;
        every.n = 0;
        assert_int_equal(evs_gosh(y, v, 16, &o, keep16, &every, NULL), EVS_OK);
        assert_int_equal(every.n, 65535);
        for (uint64_t first = 1; first <= 65535; first += EVS_GOSH_CHUNK) {
            size_t n = 65535 - first + 1 < EVS_GOSH_CHUNK ? 65535 - first + 1 : EVS_GOSH_CHUNK;
            assert_int_equal(evs_gosh_range(y, v, 16, &o.fit, first, n, ws, part, NULL), EVS_OK);
            for (size_t r = 0; r < n; r++)
                assert_same_subset(&part[r], &every.s[first - 1 + r]);
        }
        assert_int_equal(evs_gosh_range(y, v, 16, &o.fit, 30000, 5000, ws, part, NULL), EVS_OK);
        for (size_t r = 0; r < 5000; r++) {
            assert_int_equal(part[r].mask, every.s[30000 - 1 + r].mask);
            assert_int_equal(part[r].k, every.s[30000 - 1 + r].k);
        }
        assert_int_equal(evs_gosh_range(y, v, 16, &o.fit, 65535, 2, ws, part, NULL), EVS_EINVAL);
    }
    evs_fit_workspace_free(ws);
    gsl_rng_free(rng);
}

/* A subset whose tau^2 iterations stop short is flagged and has no
 * estimate (NaN, metafor's NA), never a number that did not converge.
 * One scoring step and one bracketing step cannot converge on most subsets. */
static void test_not_converged(void **state)
{
    (void)state;
    double y[8] = {-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01};
    double v[8] = {0.33, 0.19, 0.42, 0.02, 0.05, 0.007, 0.22, 0.004};
    static collect c;
    evs_gosh_options o = {.samples = 0};
    evs_fit_options_default(&o.fit);
    o.fit.maxiter = 1;
    o.fit.maxiter_root = 1;
    c.n = 0;
    assert_int_equal(evs_gosh(y, v, 8, &o, keep, &c, NULL), EVS_OK);
    assert_int_equal(c.n, 255);
    size_t failed = 0;
    for (size_t i = 0; i < c.n; i++) {
        const evs_gosh_subset *s = &c.s[i];
        assert_true(isfinite(s->QE));
        if (s->converged) {
            assert_true(isfinite(s->estimate) && isfinite(s->I2) && isfinite(s->tau2));
        } else {
            failed++;
            assert_true(s->k >= 2);
            assert_true(isnan(s->estimate) && isnan(s->I2) && isnan(s->tau2));
        }
    }
    assert_true(failed > 0);
    assert_true(failed < c.n);
}

/* Random subsets: reproducible from the seed, sizes 1..k, counted. */
static void test_random_subsets(void **state)
{
    (void)state;
    double y[10] = {0.1, 0.3, -0.2, 0.5, 0.4, 0.0, 0.2, 0.6, -0.1, 0.3};
    double v[10] = {0.1, 0.2, 0.1, 0.3, 0.2, 0.1, 0.15, 0.25, 0.1, 0.2};
    static collect a, b;
    evs_gosh_options o = {.samples = 500, .seed = 99};
    evs_fit_options_default(&o.fit);
    a.n = b.n = 0;
    assert_int_equal(evs_gosh(y, v, 10, &o, keep, &a, NULL), EVS_OK);
    assert_int_equal(evs_gosh(y, v, 10, &o, keep, &b, NULL), EVS_OK);
    assert_int_equal(a.n, 500);
    assert_int_equal(evs_gosh_count(10, &o), 500);
    for (size_t i = 0; i < a.n; i++) {
        assert_true(a.s[i].mask == b.s[i].mask);
        assert_true(a.s[i].k >= 1 && a.s[i].k <= 10);
        assert_int_equal((size_t)__builtin_popcountll(a.s[i].mask), a.s[i].k);
    }
    o.samples = 0;
    assert_int_equal(evs_gosh_count(10, &o), 1023);
}

/* k = 17: 131,071 subsets in 4 chunks, so that 3 threads take a round of 3
 * and a round of 1, and 8 threads are capped at the 4 chunks. */
#define K17 17
#define N17 ((1u << K17) - 1)

typedef struct compare17 {
    const evs_gosh_subset *ref; /* the one-thread results */
    size_t n, stop_after;        /* stop_after 0: never */
} compare17;

static int keep17(const evs_gosh_subset *s, void *ctx)
{
    compare17 *c = ctx;
    if (c->ref != NULL)
        assert_same_subset(s, &c->ref[c->n]);
    c->n++;
    return c->stop_after > 0 && c->n >= c->stop_after;
}

static evs_gosh_subset ref17[N17];

static int store17(const evs_gosh_subset *s, void *ctx)
{
    size_t *n = ctx;
    ref17[(*n)++] = *s;
    return 0;
}

static void simulate(unsigned long seed, double *y, double *v, size_t k)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    for (size_t i = 0; i < k; i++) {
        v[i] = 0.01 + 0.2 * gsl_rng_uniform(rng);
        y[i] = 0.3 + gsl_ran_gaussian(rng, sqrt(v[i] + 0.05));
    }
    gsl_rng_free(rng);
}

static void test_threads(void **state)
{
    (void)state;
    double y[K17], v[K17];
    simulate(23, y, v, K17);
    evs_gosh_options o = {.samples = 0, .threads = 1};
    evs_fit_options_default(&o.fit);
    size_t n = 0;
    assert_int_equal(evs_gosh(y, v, K17, &o, store17, &n, NULL), EVS_OK);
    assert_int_equal(n, N17);
    const unsigned threads[] = {0, 2, 3, 8};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        o.threads = threads[t];
        compare17 c = {.ref = ref17};
        assert_int_equal(evs_gosh(y, v, K17, &o, keep17, &c, NULL), EVS_OK);
        assert_int_equal(c.n, N17);
    }
    /* Stopping early is not an error, and nothing is handed on after it. */
    o.threads = 3;
    compare17 c = {.ref = ref17, .stop_after = 40000};
    assert_int_equal(evs_gosh(y, v, K17, &o, keep17, &c, NULL), EVS_OK);
    assert_int_equal(c.n, 40000);
    /* Too many threads is a usage error; nothing is visited. */
    o.threads = EVS_GOSH_THREADS_MAX + 1;
    evs_error err;
    c = (compare17){.ref = NULL};
    assert_int_equal(evs_gosh(y, v, K17, &o, keep17, &c, &err), EVS_EINVAL);
    assert_int_equal(c.n, 0);
}

/*
 * The summary against sums taken the plain way over the collected subsets
 * (all 255 of 8 studies, some not converged), with and without each study.
 */
static void test_summary(void **state)
{
    (void)state;
    double y[8] = {-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01};
    double v[8] = {0.33, 0.19, 0.42, 0.02, 0.05, 0.007, 0.22, 0.004};
    static collect c;
    evs_gosh_options o = {.samples = 0};
    evs_fit_options_default(&o.fit);
    o.fit.maxiter = 1; /* some subsets do not converge (test_not_converged) */
    o.fit.maxiter_root = 1;
    c.n = 0;
    assert_int_equal(evs_gosh(y, v, 8, &o, keep, &c, NULL), EVS_OK);
    evs_gosh_summary s;
    evs_gosh_summary_init(&s, 8, true);
    for (size_t i = 0; i < c.n; i++)
        evs_gosh_summary_add(&s, &c.s[i]);
    size_t ok = 0, failed = 0;
    double emin = INFINITY, emax = -INFINITY, esum = 0, isum = 0;
    for (size_t i = 0; i < c.n; i++) {
        if (!c.s[i].converged) {
            failed++;
            continue;
        }
        ok++;
        emin = fmin(emin, c.s[i].estimate);
        emax = fmax(emax, c.s[i].estimate);
        esum += c.s[i].estimate;
        isum += c.s[i].I2;
    }
    assert_true(failed > 0 && ok > 0);
    assert_int_equal(s.subsets, 255);
    assert_int_equal(s.not_converged, failed);
    assert_close(s.estimate_min, emin, 0, 0);
    assert_close(s.estimate_max, emax, 0, 0);
    assert_close(evs_gosh_summary_mean(&s, EVS_GOSH_ESTIMATE), esum / (double)ok, 1e-14, 0);
    assert_close(evs_gosh_summary_mean(&s, EVS_GOSH_I2), isum / (double)ok, 1e-14, 0);
    for (size_t j = 0; j < 8; j++) {
        double with[2] = {0, 0}, without[2] = {0, 0};
        size_t nw = 0, nwo = 0;
        for (size_t i = 0; i < c.n; i++) {
            const evs_gosh_subset *x = &c.s[i];
            if (!x->converged)
                continue;
            bool in = (x->mask >> j) & 1u;
            double *acc = in ? with : without;
            acc[0] += x->estimate;
            acc[1] += x->I2;
            if (in)
                nw++;
            else
                nwo++;
        }
        assert_int_equal(s.with_n[j], nw);
        assert_close(evs_gosh_summary_mean_study(&s, j, true, EVS_GOSH_ESTIMATE),
                     with[0] / (double)nw, 1e-12, 1e-14);
        assert_close(evs_gosh_summary_mean_study(&s, j, false, EVS_GOSH_ESTIMATE),
                     without[0] / (double)nwo, 1e-12, 1e-14);
        assert_close(evs_gosh_summary_mean_study(&s, j, true, EVS_GOSH_I2),
                     with[1] / (double)nw, 1e-12, 1e-12);
        assert_close(evs_gosh_summary_mean_study(&s, j, false, EVS_GOSH_I2),
                     without[1] / (double)nwo, 1e-12, 1e-12);
    }
    assert_true(isnan(evs_gosh_summary_mean_study(&s, 8, true, EVS_GOSH_ESTIMATE)));

    /* Without per-study sums, and with nothing converged: NaN, not 0. */
    evs_gosh_summary_init(&s, 8, false);
    for (size_t i = 0; i < c.n; i++)
        if (!c.s[i].converged)
            evs_gosh_summary_add(&s, &c.s[i]);
    assert_int_equal(s.subsets, failed);
    assert_true(isnan(evs_gosh_summary_mean(&s, EVS_GOSH_ESTIMATE)));
    assert_true(isnan(evs_gosh_summary_mean_study(&s, 0, true, EVS_GOSH_I2)));
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_metafor),
        cmocka_unit_test(test_fast_paths),
        cmocka_unit_test(test_not_converged),
        cmocka_unit_test(test_random_subsets),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
