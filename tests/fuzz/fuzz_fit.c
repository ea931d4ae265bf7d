/*
 * fuzz_fit.c -- the effect-size and model code fed arbitrary numbers.
 *
 * Input layout (every byte is optional; missing bytes read as zero):
 *   byte 0      model: method (low nibble), test, Q-profile CI, local maximum,
 *               and whether the numbers are yi/vi or a measure's escalc inputs
 *   byte 1      level (95, 90, 99 or 50) and the measure
 *   bytes 2-3   k - 2, modulo 999: k = 2..1000
 *   the rest    numbers, one tag byte each: below 0xF0 a value from a table
 *               of awkward ones (zeros, negatives, NaN, infinities, 1e-300,
 *               1e300, subnormals, small integers); 0xF0 and above, the next
 *               8 bytes as a raw double.  When they run out, they repeat.
 *
 * Checked: nothing crashes or leaks (the sanitizers), and every result that
 * is reported as converged is made of numbers (no NaN, no infinity where
 * a finite value is promised), with its intervals in order.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "evsynth/diag.h"
#include "evsynth/fit.h"
#include "evsynth/meta.h"
#include "fuzz.h"

enum { K_MAX = 1000, DIAG_K_MAX = 120, NUMBERS_MAX = 4096 };

static const double awkward[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 3.0, 10.0, 0.01, 0.1, 100.0, 1e-8, 1e8, 1e-150, 1e150,
    1e-300, 1e300, -1e300, DBL_MIN, DBL_MAX, -DBL_MAX, 4.9e-324, DBL_EPSILON, 1 + DBL_EPSILON,
    NAN, INFINITY, -INFINITY, 0.25, 0.75, 1e-4, 1e4, 1e6, 1e12, 1e-12, 7.0, 50.0, 1000.0,
};
enum { N_AWKWARD = sizeof awkward / sizeof awkward[0] };

typedef struct reader {
    const uint8_t *p, *end;
} reader;

static unsigned read_byte(reader *r)
{
    return r->p < r->end ? *r->p++ : 0;
}

static double read_number(reader *r)
{
    unsigned tag = read_byte(r);
    if (tag < 0xF0) {
        /* Half of the table values, half small multiples of 1/8 from -7 to 7. */
        if (tag < 0x80)
            return awkward[tag % N_AWKWARD];
        return ((double)(tag - 0x80) - 56.0) / 8.0;
    }
    double x = 0;
    unsigned char raw[sizeof x];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (unsigned char)read_byte(r);
    memcpy(&x, raw, sizeof x);
    return x;
}

/* Fill x[0..n) from the input, repeating what was read once it runs out. */
static void read_numbers(reader *r, double *x, size_t n)
{
    size_t got = 0;
    while (got < n && r->p < r->end)
        x[got++] = read_number(r);
    for (size_t i = got; i < n; i++)
        x[i] = got > 0 ? x[i % got] : 1.0 + (double)i;
}

static void run_diagnostics(const double *y, const double *v, size_t k, const evs_fit *fit,
                            const evs_fit_options *opt)
{
    static evs_diag_workspace *dws;
    static evs_fit out[DIAG_K_MAX];
    if (k > DIAG_K_MAX)
        return;
    if (dws == NULL && (dws = evs_diag_workspace_alloc(DIAG_K_MAX, 4)) == NULL)
        abort();
    evs_fit_options o = *opt;
    o.tau2_ci = false;
    evs_error err;
    if (evs_leave1out(dws, y, v, k, &o, out, &err) == EVS_OK)
        for (size_t i = 0; i < k; i++)
            fuzz_check_fit(&out[i], false);
    evs_regtest_result rt;
    (void)evs_regtest(dws, y, v, k, &o, EVS_REGTEST_RMA, &rt, &err);
    (void)evs_regtest(dws, y, v, k, &o, EVS_REGTEST_LM, &rt, &err);
    evs_ranktest_result rk;
    if (evs_ranktest(dws, y, v, k, &rk, &err) == EVS_OK)
        FUZZ_CHECK(isnan(rk.pval) || (rk.pval >= 0 && rk.pval <= 1));
    evs_trimfill_result tf;
    if (evs_trimfill(dws, y, v, k, fit, &o, EVS_TRIMFILL_L0, EVS_SIDE_AUTO, &tf, &err) ==
        EVS_OK) {
        FUZZ_CHECK(tf.k0 >= 0);
        fuzz_check_fit(&tf.fit, false);
    }
}

/* yi and vi straight into every model. */
static void fuzz_model(const double *y, const double *v, size_t k, const evs_fit_options *opt)
{
    static evs_fit_workspace *ws;
    if (ws == NULL && (ws = evs_fit_workspace_alloc()) == NULL)
        abort();
    evs_fit fit;
    evs_error err;
    if (evs_fit_rma(y, v, k, opt, ws, &fit, &err) != EVS_OK)
        return;
    fuzz_check_fit(&fit, opt->tau2_ci);
    if (fit.converged)
        run_diagnostics(y, v, k, &fit, opt);
}

/* The numbers as the inputs of measure m (every variable present), through escalc and the fit. */
static void fuzz_measure(const double *x, size_t k, evs_measure m, const evs_fit_options *opt)
{
    evs_studies *s = evs_studies_alloc(k, NULL);
    if (s == NULL)
        abort();
    size_t next = 0;
    for (int var = 0; var < EVS_VAR_COUNT; var++) {
        if (evs_studies_add_var(s, (evs_var)var, var + 1) != EVS_OK)
            abort();
        for (size_t i = 0; i < k; i++)
            s->x[var][i] = x[next++ % NUMBERS_MAX];
    }
    evs_escalc_options eo;
    evs_escalc_options_default(&eo);
    evs_error err;
    evs_meta *meta = evs_meta_run(s, m, &eo, opt, NULL, &err);
    if (meta != NULL) {
        for (size_t i = 0; i < k; i++)
            if (meta->effects.missing[i] < 0)
                FUZZ_CHECK(!isnan(meta->effects.yi[i]) && !isnan(meta->effects.vi[i]));
        fuzz_check_fit(&meta->fit, opt->tau2_ci);
        evs_meta_free(meta);
    }
    evs_studies_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static double numbers[NUMBERS_MAX];
    static const double levels[] = {95, 90, 99, 50};
    reader r = {data, data + size};
    unsigned b0 = read_byte(&r), b1 = read_byte(&r);
    unsigned b2 = read_byte(&r), b3 = read_byte(&r);

    evs_fit_options opt;
    evs_fit_options_default(&opt);
    opt.method = (evs_method)((b0 & 0x0F) % EVS_METHOD_COUNT);
    opt.test = (b0 & 0x10) ? EVS_TEST_KNHA : EVS_TEST_Z;
    opt.tau2_ci = (b0 & 0x20) != 0;
    opt.local_max = (b0 & 0x40) != 0;
    opt.level = levels[b1 & 3];
    size_t k = 2 + (b2 | b3 << 8) % (K_MAX - 1);

    if (b0 & 0x80) {
        evs_measure m = (evs_measure)((b1 >> 2) % EVS_MEASURE_COUNT);
        size_t kk = k > 200 ? 200 : k; /* EVS_VAR_COUNT numbers per study */
        read_numbers(&r, numbers, NUMBERS_MAX);
        fuzz_measure(numbers, kk, m, &opt);
    } else {
        read_numbers(&r, numbers, 2 * k);
        fuzz_model(numbers, numbers + k, k, &opt);
    }
    return 0;
}
