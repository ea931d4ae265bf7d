/*
 * gosh.c -- the model on subsets of the studies (see gosh.h).
 *
 * Running sums over the studies in the subset, with w = 1/v and y centred on
 * the mean of all studies (which keeps the Q computation from cancelling):
 *   S0 = sum w, S1 = sum w y, S2 = sum w y^2, T = sum w^2
 *   FE:  estimate = S1/S0, Q = S2 - S1^2/S0, I2 = max(0, (Q - (m-1))/Q)
 *   DL:  tau2 = max(0, (Q - (m-1)) / (S0 - T/S0)), I2 = 100 tau2/(tau2 + vt)
 *        with vt = (m-1)/(S0 - T/S0), and the estimate one pass over the subset.
 *
 * Every subset is cut into chunks of EVS_GOSH_CHUNK that start afresh, so
 * that threads can fit them side by side: in rounds of one chunk per
 * thread, the first on the caller's thread, each chunk with its own fit
 * workspace and result buffer; the callback then sees the round's results
 * in order, on the caller's thread.
 */
#include "evsynth/gosh.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
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

/* One thread's share of a round: a chunk of subsets (evs_gosh_range). */
typedef struct chunk_job {
    const double *y, *v;
    size_t k;
    const evs_fit_options *fit;
    uint64_t first;
    size_t n;
    evs_fit_workspace *ws;
    evs_gosh_subset *out;
    evs_status st;
    evs_error err;
} chunk_job;

static void *fit_chunk(void *p)
{
    chunk_job *j = p;
    evs_error_clear(&j->err);
    j->st = evs_gosh_range(j->y, j->v, j->k, j->fit, j->first, j->n, j->ws, j->out, &j->err);
    return NULL;
}

static void free_jobs(chunk_job *jobs, unsigned threads)
{
    for (unsigned t = 0; jobs && t < threads; t++) {
        evs_fit_workspace_free(jobs[t].ws);
        free(jobs[t].out);
    }
    free(jobs);
}

/*
 * Every subset, in rounds of one chunk per thread.  A thread that cannot be
 * started leaves its chunk to the caller's thread, after the others.
 */
static evs_status every_subset(const double *y, const double *v, size_t k,
                               const evs_fit_options *fit, unsigned threads, evs_gosh_fn fn,
                               void *ctx, evs_error *err)
{
    uint64_t total = ((uint64_t)1 << k) - 1;
    size_t cap = total < EVS_GOSH_CHUNK ? (size_t)total : EVS_GOSH_CHUNK;
    if ((uint64_t)threads > (total + cap - 1) / cap)
        threads = (unsigned)((total + cap - 1) / cap); /* no more threads than chunks */
    chunk_job *jobs = calloc(threads, sizeof *jobs);
    pthread_t *tids = calloc(threads, sizeof *tids);
    bool *started = calloc(threads, sizeof *started);
    evs_status st = jobs && tids && started ? EVS_OK : EVS_ENOMEM;
    for (unsigned t = 0; t < threads && st == EVS_OK; t++) {
        jobs[t] = (chunk_job){.y = y, .v = v, .k = k, .fit = fit,
                              .ws = evs_fit_workspace_alloc(),
                              .out = malloc(cap * sizeof *jobs[t].out)};
        if (jobs[t].ws == NULL || jobs[t].out == NULL)
            st = EVS_ENOMEM;
    }
    if (st != EVS_OK)
        evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    bool stop = false;
    for (uint64_t first = 1; first <= total && st == EVS_OK && !stop;) {
        unsigned used = 0;
        for (; used < threads && first <= total; used++) {
            jobs[used].first = first;
            jobs[used].n = total - first + 1 < cap ? (size_t)(total - first + 1) : cap;
            first += jobs[used].n;
        }
        for (unsigned t = 1; t < used; t++)
            started[t] = pthread_create(&tids[t], NULL, fit_chunk, &jobs[t]) == 0;
        fit_chunk(&jobs[0]);
        for (unsigned t = 1; t < used; t++) {
            if (started[t])
                pthread_join(tids[t], NULL);
            else
                fit_chunk(&jobs[t]);
        }
        for (unsigned t = 0; t < used && st == EVS_OK && !stop; t++) {
            if (jobs[t].st != EVS_OK) {
                if (err != NULL)
                    *err = jobs[t].err;
                st = jobs[t].st;
            }
            for (size_t r = 0; r < jobs[t].n && st == EVS_OK && !stop; r++)
                stop = fn(&jobs[t].out[r], ctx) != 0;
        }
    }
    free_jobs(jobs, threads);
    free(tids);
    free(started);
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
    if (o->threads > EVS_GOSH_THREADS_MAX)
        return evs_error_set(err, EVS_EINVAL, 0, 0, "GOSH on %u threads: at most %d", o->threads,
                             EVS_GOSH_THREADS_MAX);
    if (o->samples == 0)
        return every_subset(y, v, k, &o->fit, o->threads > 1 ? o->threads : 1, fn, ctx, err);
    evs_fit_workspace *ws = evs_fit_workspace_alloc();
    if (ws == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    evs_status st = sampled(y, v, k, o, ws, fn, ctx, err);
    evs_fit_workspace_free(ws);
    return st;
}

/* ---------------------------------------------------------------------------
 * Summary
 */

void evs_gosh_summary_init(evs_gosh_summary *s, size_t k, bool per_study)
{
    memset(s, 0, sizeof *s);
    s->k = k > EVS_GOSH_KMAX ? EVS_GOSH_KMAX : k;
    s->per_study = per_study;
    s->estimate_min = s->I2_min = INFINITY;
    s->estimate_max = s->I2_max = -INFINITY;
}

void evs_gosh_summary_add(evs_gosh_summary *s, const evs_gosh_subset *subset)
{
    s->subsets++;
    if (!subset->converged) {
        s->not_converged++;
        return;
    }
    s->estimate_min = fmin(s->estimate_min, subset->estimate);
    s->estimate_max = fmax(s->estimate_max, subset->estimate);
    s->I2_min = fmin(s->I2_min, subset->I2);
    s->I2_max = fmax(s->I2_max, subset->I2);
    s->estimate_sum += subset->estimate;
    s->I2_sum += subset->I2;
    if (s->per_study)
        for (uint64_t bits = subset->mask; bits; bits &= bits - 1) {
            int j = __builtin_ctzll(bits);
            s->with_n[j]++;
            s->with_estimate[j] += subset->estimate;
            s->with_I2[j] += subset->I2;
        }
}

double evs_gosh_summary_mean(const evs_gosh_summary *s, evs_gosh_quantity q)
{
    uint64_t ok = s->subsets - s->not_converged;
    double sum = q == EVS_GOSH_I2 ? s->I2_sum : s->estimate_sum;
    return ok ? sum / (double)ok : (double)NAN;
}

double evs_gosh_summary_mean_study(const evs_gosh_summary *s, size_t j, bool with,
                                   evs_gosh_quantity q)
{
    if (!s->per_study || j >= s->k)
        return NAN;
    uint64_t ok = s->subsets - s->not_converged;
    double n = (double)(with ? s->with_n[j] : ok - s->with_n[j]);
    double sum = q == EVS_GOSH_I2 ? s->I2_sum : s->estimate_sum;
    double part = q == EVS_GOSH_I2 ? s->with_I2[j] : s->with_estimate[j];
    return n > 0 ? (with ? part : sum - part) / n : (double)NAN;
}
