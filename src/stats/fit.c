/*
 * fit.c -- common-effect and random-effects models without moderators (see
 * fit.h): the fast sums of the intercept-only model, inference (z or
 * Knapp-Hartung), the prediction interval, heterogeneity statistics and the
 * standard error of tau^2.  The tau^2 estimators themselves are in tau2.c,
 * shared with meta-regression (metareg.c).
 *
 * Inference (metafor rma.uni and predict.rma):
 *   estimate  mu = sum w y / sum w,  w = 1/(v + tau2),  var(mu) = 1/sum w
 *   knha      var(mu) *= sum w (y - mu)^2 / (k - 1), t with k - 1 df
 *             (Knapp & Hartung 2003; not truncated at 1, as metafor)
 *   PI        mu +- crit sqrt(se^2 + tau2), crit normal (z) or t(k-1) (knha)
 *   QE        sum (y - mu_FE)^2 / v, chi2 with k - 1 df
 *   I2, H2    100 tau2/(tau2 + vt), tau2/vt + 1 with vt = (k-1) sum w/((sum w)^2 - sum w^2),
 *             w = 1/v (metafor); from QE for the FE model
 */
#include "evsynth/fit.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit_internal.h"

struct evs_fit_workspace {
    evs_solvers sv;
    double *w;     /* weights of the current evaluation */
    double *yc;    /* yi minus their mean (see prepare) */
    double *aux;   /* scratch for the standard error of tau2 (stable_trpp) */
    size_t w_cap;  /* room in w, yc and aux */
};

double evs_i2(double tau2, double vt)
{
    double i2 = 100 * tau2 / (vt + tau2);
    return i2 > 100 ? 100 : i2; /* NaN stays NaN (fmin would drop it) */
}

double evs_i2_q(double q, double df)
{
    if (!(q > 0))
        return 0;
    double i2 = 100 * (q - df) / q;
    return i2 > 100 ? 100 : i2 < 0 ? 0 : i2;
}

evs_fit_workspace *evs_fit_workspace_alloc(void)
{
    evs_gsl_quiet();
    evs_fit_workspace *ws = calloc(1, sizeof *ws);
    if (ws == NULL)
        return NULL;
    if (!evs_solvers_init(&ws->sv)) {
        free(ws);
        return NULL;
    }
    return ws;
}

void evs_fit_workspace_free(evs_fit_workspace *ws)
{
    if (ws == NULL)
        return;
    evs_solvers_free(&ws->sv);
    free(ws->w);
    free(ws->yc);
    free(ws->aux);
    free(ws);
}

/* Room for k weights; grows only when a larger k comes along. */
static bool reserve_weights(evs_fit_workspace *ws, size_t k)
{
    if (k <= ws->w_cap)
        return true;
    double *w = realloc(ws->w, k * sizeof *w);
    if (w == NULL)
        return false;
    ws->w = w;
    double *yc = realloc(ws->yc, k * sizeof *yc);
    if (yc == NULL)
        return false;
    ws->yc = yc;
    double *aux = realloc(ws->aux, k * sizeof *aux);
    if (aux == NULL)
        return false;
    ws->aux = aux;
    ws->w_cap = k;
    return true;
}

/* ---------------------------------------------------------------------------
 * The intercept-only model: plain sums, two short passes, no allocation
 */

typedef struct re_data {
    const double *y, *v;
    size_t k;
    double *w;   /* scratch: the weights of the first pass, reused by the second */
    double *aux; /* scratch of k more, for stable_trpp */
} re_data;

/*
 * With w_i = 1/(v_i + tau2), S1 = sum w, mu = sum w y / S1, r = y - mu and
 * P = W - w w'/S1:  y'Py = sum w r^2,  y'PPy = sum w^2 r^2,
 * y'PPPy = sum w^3 r^2 - (sum w^2 r)^2 / S1,  tr P = S1 - S2/S1,
 * tr PP = S2 - 2 S3/S1 + (S2/S1)^2,  det(X'WX) = S1.
 * Two passes (weights and mean, then residuals) stay accurate when the v_i
 * span many orders of magnitude.  (A single pass expanding about a
 * reference mean was tried: with nine accumulators it ran 15% slower.)
 */
static void re_sums(const evs_model *m, double tau2, bool loglik, evs_model_sums *s)
{
    const re_data *d = m->data;
    double *wv = d->w;
    double s1 = 0, s2 = 0, s3 = 0, swy = 0;
    for (size_t i = 0; i < d->k; i++) {
        double w = 1 / (d->v[i] + tau2);
        wv[i] = w;
        s1 += w;
        s2 += w * w;
        s3 += w * w * w;
        swy += w * d->y[i];
    }
    double mu = swy / s1, q = 0, q2 = 0, q3 = 0, w2r = 0;
    for (size_t i = 0; i < d->k; i++) {
        double r = d->y[i] - mu, wr = wv[i] * r, wr2 = wr * r, w2r2 = wv[i] * wr2;
        q += wr2;
        q2 += w2r2;
        q3 += wv[i] * w2r2;
        w2r += wv[i] * wr;
    }
    s->s1 = s1;
    s->s2 = s2;
    s->q = q;
    s->q2 = q2;
    s->q3 = q3 - w2r * w2r / s1;
    s->trp = s1 - s2 / s1;
    s->trpp = s2 - 2 * s3 / s1 + (s2 / s1) * (s2 / s1);
    s->sumlog = 0;
    s->logdet = 0;
    if (loglik) {
        for (size_t i = 0; i < d->k; i++)
            s->sumlog += log(d->v[i] + tau2);
        s->logdet = log(s1);
    }
}

/*
 * Q alone: sum w (y - mu)^2 with w = 1/(v + tau2), in re_sums's two passes,
 * and dQ/dtau2 = -sum w^2 (y - mu)^2 (the term in dmu/dtau2 vanishes, as
 * sum w (y - mu) = 0).
 */
static double re_q(const evs_model *m, double tau2, double *dq)
{
    const re_data *d = m->data;
    double *wv = d->w, sw = 0, swy = 0;
    for (size_t i = 0; i < d->k; i++) {
        double w = 1 / (d->v[i] + tau2);
        wv[i] = w;
        sw += w;
        swy += w * d->y[i];
    }
    double mu = swy / sw, q = 0, q2 = 0;
    for (size_t i = 0; i < d->k; i++) {
        double r = d->y[i] - mu, wr2 = wv[i] * r * r;
        q += wr2;
        q2 += wv[i] * wr2;
    }
    *dq = -q2;
    return q;
}

/* The score alone: q2 - trp (REML) or q2 - s1 (ML), as re_sums has them. */
static double re_score(const evs_model *m, double tau2, bool reml)
{
    const re_data *d = m->data;
    double *wv = d->w, s1 = 0, s2 = 0, swy = 0;
    for (size_t i = 0; i < d->k; i++) {
        double w = 1 / (d->v[i] + tau2);
        wv[i] = w;
        s1 += w;
        s2 += w * w;
        swy += w * d->y[i];
    }
    double mu = swy / s1, q2 = 0;
    for (size_t i = 0; i < d->k; i++) {
        double wr = wv[i] * (d->y[i] - mu);
        q2 += wr * wr;
    }
    return reml ? q2 - (s1 - s2 / s1) : q2 - s1;
}

/* HE: (sum (y - ybar)^2 - (k-1)/k sum v) / (k-1). */
static double re_he(const evs_model *m)
{
    const re_data *d = m->data;
    double sv = 0, k = (double)d->k;
    for (size_t i = 0; i < d->k; i++)
        sv += d->v[i];
    return (m->ss - (k - 1) / k * sv) / (k - 1);
}

/*
 * Traces of P, PV and their products for the standard errors of the
 * estimators.  With unit = true the weights are 1 (ordinary least squares,
 * P = I - J/k); otherwise w = 1/(v + tau2).
 */
typedef struct traces {
    double p, pp, pv, pvpv, pvp; /* tr P, tr PP, tr PV, tr PVPV, sum(PV * P) */
} traces;

static void traces_at(const re_data *d, double tau2, bool unit, traces *t)
{
    double s1 = 0, s2 = 0, s3 = 0, wv = 0, w2v = 0, w3v = 0, w2v2 = 0, w3v2 = 0;
    for (size_t i = 0; i < d->k; i++) {
        double w = unit ? 1 : 1 / (d->v[i] + tau2), v = d->v[i];
        s1 += w;
        s2 += w * w;
        s3 += w * w * w;
        wv += w * v;
        w2v += w * w * v;
        w3v += w * w * w * v;
        w2v2 += w * w * v * v;
        w3v2 += w * w * w * v * v;
    }
    t->p = s1 - s2 / s1;
    t->pp = s2 - 2 * s3 / s1 + (s2 / s1) * (s2 / s1);
    t->pv = wv - w2v / s1;
    t->pvpv = w2v2 - 2 * w3v2 / s1 + (w2v / s1) * (w2v / s1);
    t->pvp = w2v - 2 * w3v / s1 + s2 * w2v / (s1 * s1);
}

/*
 * tr(PP) at tau2 without cancellation.  The textbook form S2 - 2 S3/S1 +
 * (S2/S1)^2 subtracts numbers of the size of the largest w^2 to leave one
 * that can be smaller by the ratio of the variances squared: with k = 2 and
 * variances 10^12 apart nothing is left, and sqrt(2 / tr PP) came out as
 * inf or -nan (issue 15.4).  With P_ii = w_i S1(-i)/S1 and P_ij =
 * -w_i w_j / S1, where S1(-i) and S2(-i) are the sums of w and w^2 without
 * study i,
 *   tr(PP) = sum_ij P_ij^2 = sum_i w_i^2 (S1(-i)^2 + S2(-i)) / S1^2,
 * a sum of positive terms; S1(-i) and S2(-i) are prefix plus suffix sums
 * (the suffixes in the workspace's scratch), never a difference.
 */
static double stable_trpp(const re_data *d, double tau2)
{
    double *suf1 = d->w, *suf2 = d->aux, s1 = 0, s2 = 0;
    for (size_t i = d->k; i-- > 0;) {
        suf1[i] = s1; /* sums over j > i */
        suf2[i] = s2;
        double w = 1 / (d->v[i] + tau2);
        s1 += w;
        s2 += w * w;
    }
    double pre1 = 0, pre2 = 0, sum = 0;
    for (size_t i = 0; i < d->k; i++) {
        double w = 1 / (d->v[i] + tau2), o1 = pre1 + suf1[i], o2 = pre2 + suf2[i];
        sum += w * w * (o1 * o1 + o2);
        pre1 += w;
        pre2 += w * w;
    }
    return sum / (s1 * s1);
}

/* Standard error of the tau2 estimate, with metafor's formulas. */
static double se_tau2(const evs_model *m, evs_method method, double tau2)
{
    const re_data *d = m->data;
    double k = (double)d->k, t = fmax(tau2, 0);
    traces tr;
    evs_model_sums s;
    switch (method) {
    case EVS_METHOD_DL:
        traces_at(d, 0, false, &tr);
        return sqrt((2 * (k - 1) + 4 * t * tr.p + 2 * t * t * tr.pp) / (tr.p * tr.p));
    case EVS_METHOD_HS:
    case EVS_METHOD_HSK: {
        traces_at(d, 0, false, &tr);
        double sw = 0;
        for (size_t i = 0; i < d->k; i++)
            sw += 1 / d->v[i];
        double se = sqrt((2 * (k - 1) + 4 * t * tr.p + 2 * t * t * tr.pp) / (sw * sw));
        return method == EVS_METHOD_HSK ? k / (k - 1) * se : se;
    }
    case EVS_METHOD_HE:
        traces_at(d, 0, true, &tr);
        return sqrt((2 * tr.pvpv + 4 * t * tr.pv + 2 * t * t * (k - 1)) / ((k - 1) * (k - 1)));
    case EVS_METHOD_SJ: {
        double t0 = m->ss / k;
        traces_at(d, t0, false, &tr);
        return sqrt(t0 * t0 / ((k - 1) * (k - 1)) *
                    (2 * tr.pvpv + 4 * t * tr.pvp + 2 * t * t * tr.pp));
    }
    case EVS_METHOD_ML:
        m->sums(m, tau2, false, &s);
        return sqrt(2 / s.s2);
    case EVS_METHOD_REML:
        return sqrt(2 / stable_trpp(d, tau2));
    case EVS_METHOD_EB:
    case EVS_METHOD_PM:
    case EVS_METHOD_PMM:
        m->sums(m, tau2, false, &s);
        return sqrt(2 * k * k / (k - 1) / (s.s1 * s.s1));
    default:
        return NAN;
    }
}

/* ---------------------------------------------------------------------------
 * The fit
 */

/*
 * Check the input and, in the same pass, the sum of squares of y about its
 * mean (Welford's update, which is as accurate as two passes).
 */
evs_status evs_check_study(double yi, double vi, bool *bad_vi, evs_error *err)
{
    *bad_vi = false;
    if (!isfinite(yi))
        return evs_error_set(err, EVS_EDATA, 0, 0, "yi is not finite");
    if (fabs(yi) > EVS_YI_MAX)
        return evs_error_set(err, EVS_EDATA, 0, 0, "yi = %g is too large to pool (|yi| above %g)",
                             yi, EVS_YI_MAX);
    *bad_vi = true;
    if (!(vi > 0) || !isfinite(vi))
        return evs_error_set(err, EVS_EDATA, 0, 0, "vi must be finite and greater than 0");
    if (vi < EVS_VI_MIN || vi > EVS_VI_MAX)
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "vi = %g is outside the range that can be pooled (%g to %g)", vi,
                             EVS_VI_MIN, EVS_VI_MAX);
    *bad_vi = false;
    return EVS_OK;
}

evs_status evs_check_studies(const double *yi, const double *vi, size_t k, evs_error *err)
{
    double vmin = HUGE_VAL, vmax = 0;
    for (size_t i = 0; i < k; i++) {
        bool bad_vi;
        /* The test evs_check_study makes, inline (every GOSH subset comes
         * here); the function itself only to say what is wrong. */
        bool fine = fabs(yi[i]) <= EVS_YI_MAX && vi[i] >= EVS_VI_MIN && vi[i] <= EVS_VI_MAX;
        if (!fine && evs_check_study(yi[i], vi[i], &bad_vi, err) != EVS_OK) {
            if (err == NULL)
                return EVS_EDATA;
            char why[EVS_ERROR_MESSAGE_MAX];
            snprintf(why, sizeof why, "%s", err->message);
            return evs_error_set(err, EVS_EDATA, 0, 0, "study %zu: %s", i + 1, why);
        }
        vmin = fmin(vmin, vi[i]);
        vmax = fmax(vmax, vi[i]);
    }
    if (vmax > EVS_VI_RATIO_MAX * vmin)
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "the variances span more than 15 orders of magnitude (%g to %g): "
                             "the model cannot be computed in double precision",
                             vmin, vmax);
    return EVS_OK;
}

static evs_status check_input(const double *yi, const double *vi, size_t k, double *ss,
                              double *mean_out, evs_error *err)
{
    if (k < 2)
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "at least 2 studies are needed to pool (found %zu)", k);
    evs_status st = evs_check_studies(yi, vi, k, err);
    if (st != EVS_OK)
        return st;
    double mean = 0, m2 = 0;
    for (size_t i = 0; i < k; i++) {
        double d = yi[i] - mean;
        mean += d / (double)(i + 1);
        m2 += d * (yi[i] - mean);
    }
    *ss = m2;
    *mean_out = mean;
    return EVS_OK;
}

/*
 * Options checked, input checked (with the sum of squares of y), and a
 * workspace with room for k weights and the centred outcomes yc = yi - center,
 * center being their mean.  The models are fitted to yc and the center added
 * back to the estimate: Q, tau2 and the standard errors do not depend on it,
 * and outcomes far from 0 relative to their spread (1e39 +- 1e24, say) keep
 * their differences exactly instead of drowning in rounding.
 */
static evs_status prepare(const double *yi, const double *vi, size_t k,
                          const evs_fit_options **opt, evs_fit_options *defaults,
                          evs_fit_workspace **ws, evs_fit_workspace **own, double *ss,
                          double *center, evs_error *err)
{
    evs_gsl_quiet();
    if (*opt == NULL) {
        evs_fit_options_default(defaults);
        *opt = defaults;
    }
    evs_status st = evs_fit_options_check(*opt, err);
    if (st != EVS_OK)
        return st;
    st = check_input(yi, vi, k, ss, center, err);
    if (st != EVS_OK)
        return st;
    *own = NULL;
    if (*ws == NULL && (*ws = *own = evs_fit_workspace_alloc()) == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    if (!reserve_weights(*ws, k)) {
        evs_fit_workspace_free(*own);
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < k; i++)
        (*ws)->yc[i] = yi[i] - *center;
    return EVS_OK;
}

/* The intercept-only model of d (ss: sum of squares of y about their mean). */
static evs_model re_model(re_data *d, double ss)
{
    return (evs_model){.k = d->k,
                       .p = 1,
                       .v = d->v,
                       .ss = ss,
                       .sums = re_sums,
                       .q = re_q,
                       .score = re_score,
                       .he = re_he,
                       .data = d};
}

/* QE, vt, tau2 and the pooled estimate: the part every fit needs. */
static void fit_point(const evs_model *m, const double *yi, const double *vi,
                      const evs_fit_options *opt, evs_fit_workspace *ws, evs_fit_point *pt,
                      double *sum_w)
{
    size_t k = m->k;
    double kk = (double)k;
    evs_model_sums s0;
    m->sums(m, 0, false, &s0);
    pt->QE = fmax(0, s0.q);
    pt->vt = (kk - 1) / s0.trp;
    evs_tau2_result tr;
    evs_tau2_estimate(m, &s0, pt->vt, opt, &ws->sv, &tr);
    pt->tau2 = tr.tau2;
    pt->iterations = tr.iterations;
    pt->converged = tr.converged;
    pt->warnings = tr.warnings;
    double swy = 0, sw = 0;
    for (size_t i = 0; i < k; i++) {
        double w = 1 / (vi[i] + pt->tau2);
        sw += w;
        swy += w * yi[i];
    }
    *sum_w = sw;
    pt->estimate = swy / sw;
    if (opt->method == EVS_METHOD_FE)
        pt->I2 = evs_i2_q(pt->QE, kk - 1);
    else
        pt->I2 = evs_i2(pt->tau2, pt->vt);
}

evs_status evs_fit_point_rma(const double *yi, const double *vi, size_t k,
                             const evs_fit_options *opt, evs_fit_workspace *ws,
                             evs_fit_point *out, evs_error *err)
{
    evs_fit_options defaults;
    evs_fit_workspace *own = NULL;
    double ss = 0, center = 0;
    evs_status st = prepare(yi, vi, k, &opt, &defaults, &ws, &own, &ss, &center, err);
    if (st != EVS_OK)
        return st;
    re_data d = {.y = ws->yc, .v = vi, .k = k, .w = ws->w, .aux = ws->aux};
    evs_model m = re_model(&d, ss);
    double sw;
    fit_point(&m, ws->yc, vi, opt, ws, out, &sw);
    out->estimate += center;
    evs_fit_workspace_free(own);
    return EVS_OK;
}

evs_status evs_fit_rma(const double *yi, const double *vi, size_t k,
                       const evs_fit_options *opt, evs_fit_workspace *ws, evs_fit *fit,
                       evs_error *err)
{
    evs_fit_options defaults;
    evs_fit_workspace *own = NULL;
    double ss = 0, center = 0;
    evs_status st = prepare(yi, vi, k, &opt, &defaults, &ws, &own, &ss, &center, err);
    if (st != EVS_OK)
        return st;
    const double *yc = ws->yc;

    evs_fit f;
    memset(&f, 0, sizeof f);
    f.method = opt->method;
    f.test = opt->test;
    f.level = opt->level;
    f.k = k;
    re_data d = {.y = yc, .v = vi, .k = k, .w = ws->w, .aux = ws->aux};
    evs_model m = re_model(&d, ss);
    double kk = (double)k;

    double vmin = vi[0], vmax = vi[0];
    for (size_t i = 1; i < k; i++) {
        vmin = fmin(vmin, vi[i]);
        vmax = fmax(vmax, vi[i]);
    }
    if (vmax / vmin >= opt->vi_ratio_warn)
        f.warnings |= EVS_WARN_VI_RATIO;

    evs_fit_point pt;
    fit_point(&m, yc, vi, opt, ws, &pt, &f.sum_w);
    f.QE = pt.QE;
    f.QE_df = (int)k - 1;
    f.QE_p = gsl_cdf_chisq_Q(f.QE, kk - 1);
    f.vt = pt.vt;
    f.tau2 = pt.tau2;
    f.estimate = pt.estimate + center;
    f.I2 = pt.I2;
    f.iterations = pt.iterations;
    f.converged = pt.converged;
    f.warnings |= pt.warnings;
    f.se_tau2 = opt->method == EVS_METHOD_FE || !opt->tau2_ci
                    ? (double)NAN
                    : se_tau2(&m, opt->method, f.tau2);
    if (!isnan(f.se_tau2) && !(isfinite(f.se_tau2) && f.se_tau2 >= 0)) {
        /* Not a standard error (inf, or a rounded negative variance): not
         * available, and said so, rather than printed as inf or -nan. */
        f.se_tau2 = NAN;
        f.warnings |= EVS_WARN_SE_TAU2_NA;
    }

    /* Inference on the pooled estimate (z or Knapp-Hartung, inference.c). */
    if (evs_test_is_knha(opt->test) && opt->method == EVS_METHOD_FE)
        f.warnings |= EVS_WARN_KNHA_FE;
    double rss = 0;
    for (size_t i = 0; evs_test_is_knha(opt->test) && i < k; i++)
        rss += (yc[i] - pt.estimate) * (yc[i] - pt.estimate) / (vi[i] + f.tau2);
    double var = 1 / f.sum_w;
    evs_iqwig6_model iq = {.v = vi, .k = k, .QE = f.QE, .vt = f.vt, .var = var};
    evs_inference inf;
    evs_inference_setup(opt->test, opt->level, rss, kk - 1, &iq, &ws->sv, &inf, &f.warnings);
    double crit = inf.crit;
    f.s2w = inf.s2w;
    f.df = inf.df;
    f.se = sqrt(var * f.s2w);
    f.stat = f.estimate / f.se;
    f.pval = evs_inference_pval(&inf, f.stat);
    f.ci_lb = f.estimate - crit * f.se;
    f.ci_ub = f.estimate + crit * f.se;

    f.tau2_ci_lb = f.tau2_ci_ub = NAN;
    f.I2_ci_lb = f.I2_ci_ub = f.H2_ci_lb = f.H2_ci_ub = NAN;
    if (opt->method == EVS_METHOD_FE) {
        f.pi_lb = f.pi_ub = NAN;
        f.H2 = f.QE / (kk - 1);
    } else {
        double spred = sqrt(f.se * f.se + f.tau2);
        f.pi_lb = f.estimate - crit * spred;
        f.pi_ub = f.estimate + crit * spred;
        f.H2 = f.tau2 / f.vt + 1;
        if (opt->tau2_ci) {
            evs_tau2_qprofile(&m, f.vt, opt, &ws->sv, &f.tau2_ci_lb, &f.tau2_ci_ub, &f.warnings);
            f.I2_ci_lb = evs_i2(f.tau2_ci_lb, f.vt);
            f.I2_ci_ub = evs_i2(f.tau2_ci_ub, f.vt);
            f.H2_ci_lb = f.tau2_ci_lb / f.vt + 1;
            f.H2_ci_ub = f.tau2_ci_ub / f.vt + 1;
        }
    }

    evs_fit_workspace_free(own);
    /* The input limits keep every sum finite; this is the last line of
     * defence against reporting a converged model made of NaN. */
    if (f.converged && !(isfinite(f.estimate) && isfinite(f.se) && isfinite(f.tau2) &&
                         isfinite(f.QE) && isfinite(f.vt) && f.vt > 0))
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "the model cannot be computed in double precision (a sum "
                             "overflowed); rescale yi and vi");
    *fit = f;
    return EVS_OK;
}

evs_status evs_fit_fe_sums(const evs_fe_sums *s, size_t k, double center,
                           const evs_fit_options *opt, evs_fit_workspace *ws, evs_fit *fit,
                           evs_error *err)
{
    if (opt->method != EVS_METHOD_FE || k < 2 ||
        !(opt->test == EVS_TEST_Z || opt->test == EVS_TEST_KNHA || opt->test == EVS_TEST_ADHOC))
        return evs_error_set(err, EVS_EINVAL, 0, 0, "the FE fit from sums does not apply");
    double kk = (double)k;
    evs_fit f;
    memset(&f, 0, sizeof f);
    f.method = opt->method;
    f.test = opt->test;
    f.level = opt->level;
    f.k = k;
    if (s->vmax / s->vmin >= opt->vi_ratio_warn)
        f.warnings |= EVS_WARN_VI_RATIO;
    double mean_c = s->s1 / s->s0;
    f.QE = fmax(0, s->s2 - s->s1 * mean_c);
    f.QE_df = (int)k - 1;
    f.QE_p = gsl_cdf_chisq_Q(f.QE, kk - 1);
    f.vt = (kk - 1) / (s->s0 - s->t / s->s0);
    f.tau2 = 0;
    f.estimate = mean_c + center;
    f.I2 = evs_i2_q(f.QE, kk - 1);
    f.converged = true;
    f.sum_w = s->s0;
    f.se_tau2 = NAN;
    if (evs_test_is_knha(opt->test))
        f.warnings |= EVS_WARN_KNHA_FE;
    /* under FE, sum w (y - estimate)^2 is Q itself */
    evs_inference inf;
    evs_inference_setup(opt->test, opt->level, f.QE, kk - 1, NULL, &ws->sv, &inf, &f.warnings);
    f.s2w = inf.s2w;
    f.df = inf.df;
    f.se = sqrt(f.s2w / f.sum_w);
    f.stat = f.estimate / f.se;
    f.pval = evs_inference_pval(&inf, f.stat);
    f.ci_lb = f.estimate - inf.crit * f.se;
    f.ci_ub = f.estimate + inf.crit * f.se;
    f.tau2_ci_lb = f.tau2_ci_ub = NAN;
    f.I2_ci_lb = f.I2_ci_ub = f.H2_ci_lb = f.H2_ci_ub = NAN;
    f.pi_lb = f.pi_ub = NAN;
    f.H2 = f.QE / (kk - 1);
    if (!(isfinite(f.estimate) && isfinite(f.se) && isfinite(f.QE) && isfinite(f.vt) &&
          f.vt > 0))
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "the model cannot be computed in double precision (a sum "
                             "overflowed); rescale yi and vi");
    *fit = f;
    return EVS_OK;
}

double evs_fit_prob(const evs_fit *fit, double c, bool above)
{
    double tau2 = fit->method == EVS_METHOD_FE ? 0 : fit->tau2;
    double z = (c - fit->estimate) / sqrt(fit->se * fit->se + tau2);
    if (isnan(z))
        return NAN;
    if (evs_test_is_knha(fit->test))
        return above ? gsl_cdf_tdist_Q(z, fit->df) : gsl_cdf_tdist_P(z, fit->df);
    return above ? gsl_cdf_ugaussian_Q(z) : gsl_cdf_ugaussian_P(z);
}

void evs_fit_weights(const evs_fit *fit, const double *vi, size_t k, double *weights)
{
    for (size_t i = 0; i < k; i++)
        weights[i] = 100 / (vi[i] + fit->tau2) / fit->sum_w;
}
