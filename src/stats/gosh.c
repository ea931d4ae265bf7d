/*
 * gosh.c -- the model on subsets of the studies (see gosh.h).
 *
 * Running sums over the studies in the subset, with w = 1/v and y centred on
 * the mean of all studies (which keeps the Q computation from cancelling):
 *   S0 = sum w, S1 = sum w y, S2 = sum w y^2, T = sum w^2
 *   FE:  estimate = S1/S0, Q = S2 - S1^2/S0, I2 = max(0, (Q - (m-1))/Q)
 *   DL:  tau2 = max(0, (Q - (m-1)) / (S0 - T/S0)), I2 = 100 tau2/(tau2 + vt)
 *        with vt = (m-1)/(S0 - T/S0), and the estimate one pass over the subset.
 */
#include "evsynth/gosh.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

uint64_t evs_gosh_count(size_t k, const evs_gosh_options *o)
{
    if (o->samples > 0)
        return o->samples;
    return k >= 63 ? UINT64_MAX : ((uint64_t)1 << k) - 1;
}

typedef struct sums {
    double s0, s1, s2, t;
} sums;

static void update(sums *s, double yc, double v, double sign)
{
    double w = 1 / v;
    s->s0 += sign * w;
    s->s1 += sign * w * yc;
    s->s2 += sign * w * yc * yc;
    s->t += sign * w * w;
}

/* FE and DL from the running sums (the DL estimate needs the subset itself). */
static void closed_form(const sums *s, size_t m, bool dl, const double *y, const double *v,
                        uint64_t mask, double ybar, evs_gosh_subset *out)
{
    double q = fmax(0, s->s2 - s->s1 * s->s1 / s->s0), df = (double)m - 1;
    out->QE = q;
    if (!dl) {
        out->tau2 = 0;
        out->estimate = s->s1 / s->s0 + ybar;
        out->I2 = evs_i2_q(q, df);
        return;
    }
    double trp = s->s0 - s->t / s->s0;
    double tau2 = fmax(0, (q - df) / trp), vt = df / trp;
    double sw = 0, swy = 0;
    for (uint64_t bits = mask; bits; bits &= bits - 1) {
        int j = __builtin_ctzll(bits);
        double w = 1 / (v[j] + tau2);
        sw += w;
        swy += w * y[j];
    }
    out->tau2 = tau2;
    out->estimate = swy / sw;
    out->I2 = evs_i2(tau2, vt);
}

/* Any other method: refit the subset, starting Fisher scoring at the
 * estimate of the previous subset, which differs by one study. */
static evs_status refit(const double *y, const double *v, uint64_t mask, size_t m,
                        evs_fit_options *opt, evs_fit_workspace *ws, double *ys, double *vs,
                        evs_gosh_subset *out, evs_error *err)
{
    size_t n = 0;
    for (uint64_t bits = mask; bits; bits &= bits - 1) {
        int j = __builtin_ctzll(bits);
        ys[n] = y[j];
        vs[n] = v[j];
        n++;
    }
    evs_fit_point f;
    evs_status st = evs_fit_point_rma(ys, vs, m, opt, ws, &f, err);
    if (st != EVS_OK)
        return st;
    out->converged = f.converged;
    out->QE = f.QE;
    if (!f.converged) {
        out->estimate = out->I2 = out->tau2 = NAN;
        return EVS_OK;
    }
    out->estimate = f.estimate;
    out->I2 = f.I2;
    out->tau2 = f.tau2;
    opt->tau2_init = f.tau2;
    return EVS_OK;
}

/* A seeded random sample of subsets, sizes as metafor draws them. */
static evs_status sampled(const double *y, const double *v, size_t k, const evs_gosh_options *o,
                          evs_fit_workspace *ws, evs_gosh_fn fn, void *ctx, evs_error *err)
{
    evs_fit_options opt = o->fit;
    opt.tau2_ci = false;
    bool fe = opt.method == EVS_METHOD_FE, dl = opt.method == EVS_METHOD_DL;
    double ys[EVS_GOSH_KMAX], vs[EVS_GOSH_KMAX], ybar = 0;
    for (size_t j = 0; j < k; j++)
        ybar += y[j] / (double)k;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (rng == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    gsl_rng_set(rng, o->seed);
    /* sizes 1..k with probabilities proportional to choose(k, m) */
    double p[EVS_GOSH_KMAX];
    for (size_t m = 1; m <= k; m++)
        p[m - 1] = gsl_ran_binomial_pdf((unsigned)m, 0.5, (unsigned)k);
    gsl_ran_discrete_t *sizes = gsl_ran_discrete_preproc(k, p);
    evs_status st = EVS_OK;
    evs_gosh_subset s = {.converged = true};
    size_t idx[EVS_GOSH_KMAX];
    for (uint64_t i = 0; i < o->samples && st == EVS_OK && sizes; i++) {
        size_t m = gsl_ran_discrete(rng, sizes) + 1;
        for (size_t j = 0; j < k; j++)
            idx[j] = j;
        uint64_t mask = 0;
        for (size_t j = 0; j < m; j++) { /* partial Fisher-Yates */
            size_t r = j + gsl_rng_uniform_int(rng, k - j);
            size_t t = idx[j];
            idx[j] = idx[r];
            idx[r] = t;
            mask |= (uint64_t)1 << idx[j];
        }
        s.mask = mask;
        s.k = m;
        if (m == 1) {
            s.estimate = y[idx[0]];
            s.I2 = s.tau2 = s.QE = 0;
        } else if (fe || dl) {
            sums acc = {0, 0, 0, 0};
            for (size_t j = 0; j < m; j++)
                update(&acc, y[idx[j]] - ybar, v[idx[j]], 1);
            closed_form(&acc, m, dl, y, v, mask, ybar, &s);
        } else {
            st = refit(y, v, mask, m, &opt, ws, ys, vs, &s, err);
        }
        if (st == EVS_OK && fn(&s, ctx) != 0)
            break;
        s.converged = true;
    }
    if (sizes == NULL)
        st = evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    else
        gsl_ran_discrete_free(sizes);
    gsl_rng_free(rng);
    return st;
}

evs_status evs_gosh_range(const double *y, const double *v, size_t k,
                          const evs_fit_options *fit, uint64_t first, size_t n,
                          evs_fit_workspace *ws, evs_gosh_subset *out, evs_error *err)
{
    evs_gsl_quiet();
    if (k < 1 || k > 62 || first < 1 || n > ((uint64_t)1 << k) - first)
        return evs_error_set(err, EVS_EINVAL, 0, 0, "GOSH range outside the subsets");
    evs_fit_options opt = *fit;
    opt.tau2_ci = false;
    opt.tau2_init = NAN; /* a cold start: the chunk does not depend on the one before */
    bool fe = opt.method == EVS_METHOD_FE, dl = opt.method == EVS_METHOD_DL;
    double ys[EVS_GOSH_KMAX], vs[EVS_GOSH_KMAX], ybar = 0;
    for (size_t j = 0; j < k; j++)
        ybar += y[j] / (double)k;

    /* The subset before the first: Gray code g(i) = i ^ (i >> 1). */
    uint64_t mask = (first - 1) ^ ((first - 1) >> 1);
    size_t m = 0;
    sums acc = {0, 0, 0, 0};
    for (uint64_t bits = mask; bits; bits &= bits - 1, m++) {
        int j = __builtin_ctzll(bits);
        update(&acc, y[j] - ybar, v[j], 1);
    }
    for (size_t r = 0; r < n; r++) {
        /* Gray code: step i flips the lowest set bit of i */
        uint64_t i = first + r;
        int j = __builtin_ctzll(i);
        bool in = !((mask >> j) & 1u);
        mask ^= (uint64_t)1 << j;
        update(&acc, y[j] - ybar, v[j], in ? 1 : -1);
        if (in)
            m++;
        else
            m--;
        evs_gosh_subset *s = &out[r];
        s->mask = mask;
        s->k = m;
        s->converged = true;
        if (m == 1) {
            int only = __builtin_ctzll(mask);
            s->estimate = y[only];
            s->I2 = s->tau2 = s->QE = 0;
        } else if (fe || dl) {
            closed_form(&acc, m, dl, y, v, mask, ybar, s);
        } else {
            evs_status st = refit(y, v, mask, m, &opt, ws, ys, vs, s, err);
            if (st != EVS_OK)
                return st;
        }
    }
    return EVS_OK;
}

/* Every subset, a chunk at a time. */
static evs_status every_subset(const double *y, const double *v, size_t k,
                               const evs_fit_options *fit, evs_fit_workspace *ws,
                               evs_gosh_fn fn, void *ctx, evs_error *err)
{
    uint64_t total = ((uint64_t)1 << k) - 1;
    size_t cap = total < EVS_GOSH_CHUNK ? (size_t)total : EVS_GOSH_CHUNK;
    evs_gosh_subset *chunk = malloc(cap * sizeof *chunk);
    if (chunk == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    evs_status st = EVS_OK;
    bool stop = false;
    for (uint64_t first = 1; first <= total && st == EVS_OK && !stop; first += cap) {
        size_t n = total - first + 1 < cap ? (size_t)(total - first + 1) : cap;
        st = evs_gosh_range(y, v, k, fit, first, n, ws, chunk, err);
        for (size_t r = 0; r < n && st == EVS_OK && !stop; r++)
            stop = fn(&chunk[r], ctx) != 0;
    }
    free(chunk);
    return st;
}

evs_status evs_gosh(const double *y, const double *v, size_t k, const evs_gosh_options *o,
                    evs_gosh_fn fn, void *ctx, evs_error *err)
{
    evs_gsl_quiet();
    if (k < 1 || k > EVS_GOSH_KMAX || (o->samples == 0 && k > 62))
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "GOSH over every subset needs 1 to 62 studies (found %zu); "
                             "use a random sample of subsets",
                             k);
    evs_fit_workspace *ws = evs_fit_workspace_alloc();
    if (ws == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    evs_status st = o->samples == 0 ? every_subset(y, v, k, &o->fit, ws, fn, ctx, err)
                                    : sampled(y, v, k, o, ws, fn, ctx, err);
    evs_fit_workspace_free(ws);
    return st;
}
