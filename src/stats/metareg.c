/*
 * metareg.c -- mixed-effects meta-regression (see metareg.h).
 *
 * The model's sums for the tau^2 estimators (tau2_internal.h), with
 * W = diag(1/(v + tau2)), A = X'WX = LL' (Cholesky), beta = A^-1 X'Wy and
 * r = y - X beta:
 *
 *   y'Py  = sum w r^2            y'PPy = sum w^2 r^2
 *   tr P  = sum w   - tr(A^-1 X'W^2 X)
 *   tr PP = sum w^2 - 2 tr(A^-1 X'W^3 X) + tr((A^-1 X'W^2 X)^2)
 *   log det A = 2 sum log L_jj
 *
 * so that nothing of size k x k is ever formed: one evaluation costs
 * O(k p^2 + p^3).  The HE estimator uses ordinary least squares:
 * (RSS - sum v + tr((X'X)^-1 X'VX)) / (k - p).  All matrices are GSL views
 * of the workspace's arrays.
 */
#include "evsynth/metareg.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tau2_internal.h"

struct evs_reg_workspace {
    size_t kmax, pmax;
    double *A, *B1, *B2, *Z1, *Z2; /* p x p */
    double *c, *beta, *col;        /* p */
    double *r;                     /* k */
    evs_solvers sv;
    evs_fit_workspace *fit; /* for the model without moderators (R^2) */
};

evs_reg_workspace *evs_reg_workspace_alloc(size_t kmax, size_t pmax)
{
    evs_gsl_quiet();
    if (pmax == 0 || pmax > EVS_REG_PMAX)
        return NULL;
    evs_reg_workspace *ws = calloc(1, sizeof *ws);
    if (ws == NULL)
        return NULL;
    ws->kmax = kmax;
    ws->pmax = pmax;
    size_t pp = pmax * pmax;
    double **mats[] = {&ws->A, &ws->B1, &ws->B2, &ws->Z1, &ws->Z2};
    bool ok = true;
    for (size_t i = 0; i < sizeof mats / sizeof mats[0]; i++)
        ok &= (*mats[i] = malloc(pp * sizeof(double))) != NULL;
    ok &= (ws->c = malloc(pmax * sizeof(double))) != NULL;
    ok &= (ws->beta = malloc(pmax * sizeof(double))) != NULL;
    ok &= (ws->col = malloc(pmax * sizeof(double))) != NULL;
    ok &= (ws->r = malloc((kmax ? kmax : 1) * sizeof(double))) != NULL;
    ok = ok && evs_solvers_init(&ws->sv);
    ok = ok && (ws->fit = evs_fit_workspace_alloc()) != NULL;
    if (!ok) {
        evs_reg_workspace_free(ws);
        return NULL;
    }
    return ws;
}

void evs_reg_workspace_free(evs_reg_workspace *ws)
{
    if (ws == NULL)
        return;
    free(ws->A);
    free(ws->B1);
    free(ws->B2);
    free(ws->Z1);
    free(ws->Z2);
    free(ws->c);
    free(ws->beta);
    free(ws->col);
    free(ws->r);
    evs_solvers_free(&ws->sv);
    evs_fit_workspace_free(ws->fit);
    free(ws);
}

typedef struct reg_data {
    const double *y, *v, *X;
    size_t k, p;
    evs_reg_workspace *ws;
} reg_data;

/*
 * With w = 1/(v + tau2) (or w = 1 when unit): A = X'WX into ws->A,
 * c = X'Wy, and with traces also B1 = X'W^2X and B2 = X'W^3X; then
 * Cholesky-factor A in place.  Returns false if A is not positive definite.
 */
static bool weighted_cross(const reg_data *d, bool unit, double tau2, bool traces)
{
    evs_reg_workspace *ws = d->ws;
    size_t p = d->p;
    memset(ws->A, 0, p * p * sizeof(double));
    memset(ws->c, 0, p * sizeof(double));
    if (traces) {
        memset(ws->B1, 0, p * p * sizeof(double));
        memset(ws->B2, 0, p * p * sizeof(double));
    }
    for (size_t i = 0; i < d->k; i++) {
        const double *x = d->X + i * p;
        double w = unit ? 1 : 1 / (d->v[i] + tau2);
        for (size_t j = 0; j < p; j++) {
            double wx = w * x[j];
            ws->c[j] += wx * d->y[i];
            for (size_t l = 0; l <= j; l++)
                ws->A[j * p + l] += wx * x[l];
            if (traces)
                for (size_t l = 0; l <= j; l++) {
                    ws->B1[j * p + l] += w * wx * x[l];
                    ws->B2[j * p + l] += w * w * wx * x[l];
                }
        }
    }
    for (size_t j = 0; j < p; j++)
        for (size_t l = 0; l < j; l++) {
            ws->A[l * p + j] = ws->A[j * p + l];
            if (traces) {
                ws->B1[l * p + j] = ws->B1[j * p + l];
                ws->B2[l * p + j] = ws->B2[j * p + l];
            }
        }
    gsl_matrix_view A = gsl_matrix_view_array(ws->A, p, p);
    return gsl_linalg_cholesky_decomp1(&A.matrix) == GSL_SUCCESS;
}

/*
 * Solve A Z = B column by column with the Cholesky factor in ws->A.  The
 * views have matching sizes, so GSL has nothing to refuse; its status is
 * checked all the same (false: Z is not to be used).
 */
static bool chol_solve_matrix(evs_reg_workspace *ws, size_t p, const double *B, double *Z)
{
    gsl_matrix_view A = gsl_matrix_view_array(ws->A, p, p);
    gsl_vector_view col = gsl_vector_view_array(ws->col, p);
    for (size_t l = 0; l < p; l++) {
        for (size_t j = 0; j < p; j++)
            ws->col[j] = B[j * p + l];
        if (gsl_linalg_cholesky_svx(&A.matrix, &col.vector) != GSL_SUCCESS)
            return false;
        for (size_t j = 0; j < p; j++)
            Z[j * p + l] = ws->col[j];
    }
    return true;
}

/* beta = A^-1 c, residuals r = y - X beta; false if GSL refused. */
static bool solve_beta(const reg_data *d)
{
    evs_reg_workspace *ws = d->ws;
    size_t p = d->p;
    gsl_matrix_view A = gsl_matrix_view_array(ws->A, p, p);
    gsl_vector_view c = gsl_vector_view_array(ws->c, p);
    gsl_vector_view b = gsl_vector_view_array(ws->beta, p);
    if (gsl_linalg_cholesky_solve(&A.matrix, &c.vector, &b.vector) != GSL_SUCCESS)
        return false;
    for (size_t i = 0; i < d->k; i++) {
        double fit = 0;
        for (size_t j = 0; j < p; j++)
            fit += d->X[i * p + j] * ws->beta[j];
        ws->r[i] = d->y[i] - fit;
    }
    return true;
}

static void reg_sums(const evs_model *m, double tau2, bool loglik, evs_model_sums *s)
{
    const reg_data *d = m->data;
    evs_reg_workspace *ws = d->ws;
    size_t p = d->p;
    if (!weighted_cross(d, false, tau2, true) || !solve_beta(d)) {
        s->s1 = s->s2 = s->q = s->q2 = s->q3 = s->trp = s->trpp = s->sumlog = s->logdet = NAN;
        return;
    }
    /* With Py = W r: y'PPPy = r'W^3 r - (X'W^2 r)' A^-1 (X'W^2 r). */
    double s1 = 0, s2 = 0, q = 0, q2 = 0, q3 = 0, ld = 0;
    memset(ws->col, 0, p * sizeof(double));
    for (size_t i = 0; i < d->k; i++) {
        double w = 1 / (d->v[i] + tau2), r = ws->r[i];
        s1 += w;
        s2 += w * w;
        q += w * r * r;
        q2 += w * w * r * r;
        q3 += w * w * w * r * r;
        for (size_t j = 0; j < p; j++)
            ws->col[j] += w * w * r * d->X[i * p + j];
        if (loglik)
            ld += log(d->v[i] + tau2);
    }
    /* b = X'W^2 r is in col: subtract b'A^-1 b (c, no longer needed, takes A^-1 b) */
    gsl_matrix_view A = gsl_matrix_view_array(ws->A, p, p);
    memcpy(ws->c, ws->col, p * sizeof(double));
    gsl_vector_view c = gsl_vector_view_array(ws->c, p);
    bool solved = gsl_linalg_cholesky_svx(&A.matrix, &c.vector) == GSL_SUCCESS;
    for (size_t j = 0; solved && j < p; j++)
        q3 -= ws->col[j] * ws->c[j];
    /* (the solves below reuse col as scratch) */
    if (!solved || !chol_solve_matrix(ws, p, ws->B1, ws->Z1) ||
        !chol_solve_matrix(ws, p, ws->B2, ws->Z2)) {
        s->s1 = s->s2 = s->q = s->q2 = s->q3 = s->trp = s->trpp = s->sumlog = s->logdet = NAN;
        return;
    }
    double t1 = 0, t2 = 0, t11 = 0;
    for (size_t j = 0; j < p; j++) {
        t1 += ws->Z1[j * p + j];
        t2 += ws->Z2[j * p + j];
        for (size_t l = 0; l < p; l++)
            t11 += ws->Z1[j * p + l] * ws->Z1[l * p + j];
    }
    s->s1 = s1;
    s->s2 = s2;
    s->q = q;
    s->q2 = q2;
    s->q3 = q3;
    s->trp = s1 - t1;
    s->trpp = s2 - 2 * t2 + t11;
    s->sumlog = ld;
    s->logdet = 0;
    if (loglik)
        for (size_t j = 0; j < p; j++)
            s->logdet += 2 * log(ws->A[j * p + j]);
}

/* HE: ordinary least squares, (RSS - sum v + tr((X'X)^-1 X'VX)) / (k - p). */
static double reg_he(const evs_model *m)
{
    const reg_data *d = m->data;
    evs_reg_workspace *ws = d->ws;
    size_t p = d->p;
    if (!weighted_cross(d, true, 0, false) || !solve_beta(d))
        return NAN;
    double rss = 0, sv = 0;
    for (size_t i = 0; i < d->k; i++) {
        rss += ws->r[i] * ws->r[i];
        sv += d->v[i];
    }
    /* X'VX into B1, then tr(A^-1 X'VX). */
    memset(ws->B1, 0, p * p * sizeof(double));
    for (size_t i = 0; i < d->k; i++)
        for (size_t j = 0; j < p; j++)
            for (size_t l = 0; l < p; l++)
                ws->B1[j * p + l] += d->v[i] * d->X[i * p + j] * d->X[i * p + l];
    if (!chol_solve_matrix(ws, p, ws->B1, ws->Z1))
        return NAN;
    double tr = 0;
    for (size_t j = 0; j < p; j++)
        tr += ws->Z1[j * p + j];
    return (rss - (sv - tr)) / ((double)d->k - (double)p);
}

static double sum_sq(const double *y, size_t k)
{
    double m = 0, ss = 0;
    for (size_t i = 0; i < k; i++)
        m += y[i];
    m /= (double)k;
    for (size_t i = 0; i < k; i++)
        ss += (y[i] - m) * (y[i] - m);
    return ss;
}

/*
 * The omnibus test: *qm = b' V^-1 b over the tested coefficients (all but an
 * intercept), V = s2w (X'WX)^-1 at the final tau2, whose Cholesky factor is
 * in ws->A; NaN when V is singular (s2w = 0).  Z1 receives (X'WX)^-1.
 * False when GSL could not invert X'WX (Z1 is then not to be used).
 */
static bool omnibus(const reg_data *d, size_t first, double s2w, double *qm)
{
    evs_reg_workspace *ws = d->ws;
    size_t p = d->p, m = p - first;
    memcpy(ws->Z1, ws->A, p * p * sizeof(double));
    gsl_matrix_view inv = gsl_matrix_view_array(ws->Z1, p, p);
    if (gsl_linalg_cholesky_invert(&inv.matrix) != GSL_SUCCESS)
        return false;
    *qm = NAN;
    /* V over the tested coefficients into Z2 (m x m), then V^-1 b. */
    for (size_t j = 0; j < m; j++)
        for (size_t l = 0; l < m; l++)
            ws->Z2[j * m + l] = s2w * ws->Z1[(j + first) * p + (l + first)];
    gsl_matrix_view V = gsl_matrix_view_array(ws->Z2, m, m);
    if (gsl_linalg_cholesky_decomp1(&V.matrix) != GSL_SUCCESS)
        return true;
    for (size_t j = 0; j < m; j++)
        ws->col[j] = ws->beta[j + first];
    gsl_vector_view b = gsl_vector_view_array(ws->col, m);
    if (gsl_linalg_cholesky_svx(&V.matrix, &b.vector) != GSL_SUCCESS)
        return true;
    double sum = 0;
    for (size_t j = 0; j < m; j++)
        sum += ws->beta[j + first] * ws->col[j];
    *qm = sum;
    return true;
}

evs_status evs_reg_fit(const double *y, const double *v, const double *X, size_t k, size_t p,
                       bool intercept, const evs_fit_options *opt, evs_reg_workspace *ws,
                       evs_reg *out, evs_error *err)
{
    evs_gsl_quiet();
    evs_fit_options defaults;
    if (opt == NULL) {
        evs_fit_options_default(&defaults);
        opt = &defaults;
    }
    evs_status st = evs_fit_options_check(opt, err);
    if (st != EVS_OK)
        return st;
    if (p == 0 || p > ws->pmax || k > ws->kmax)
        return evs_error_set(err, EVS_EINVAL, 0, 0, "model larger than its workspace");
    if (k <= p)
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "%zu studies cannot fit a model with %zu coefficients", k, p);
    st = evs_check_studies(y, v, k, err);
    if (st != EVS_OK)
        return st;
    for (size_t i = 0; i < k; i++) {
        for (size_t j = 0; j < p; j++)
            if (!isfinite(X[i * p + j]))
                return evs_error_set(err, EVS_EDATA, 0, 0, "study %zu: a moderator is missing",
                                     i + 1);
    }
    reg_data d = {.y = y, .v = v, .X = X, .k = k, .p = p, .ws = ws};
    if (!weighted_cross(&d, true, 0, false))
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "the moderators are collinear (the model matrix is not of full "
                             "rank)");

    evs_reg f;
    memset(&f, 0, sizeof f);
    f.k = k;
    f.p = p;
    f.method = opt->method;
    f.test = opt->test;
    f.level = opt->level;
    f.intercept = intercept;
    double kk = (double)k, pp = (double)p;
    evs_model m = {.k = k, .p = p, .v = v, .ss = sum_sq(y, k), .sums = reg_sums, .he = reg_he,
                   .data = &d};

    evs_model_sums s0;
    reg_sums(&m, 0, false, &s0);
    f.QE = fmax(0, s0.q);
    f.QE_df = (int)(k - p);
    f.QE_p = gsl_cdf_chisq_Q(f.QE, kk - pp);
    f.vt = (kk - pp) / s0.trp;

    evs_tau2_result tr;
    evs_tau2_estimate(&m, &s0, f.vt, opt, &ws->sv, &tr);
    f.tau2 = tr.tau2;
    f.iterations = tr.iterations;
    f.converged = tr.converged;
    f.warnings = tr.warnings;

    /* Coefficients at the final tau2.  X'WX is positive definite when X'X
     * is, but rounding can still break the factorisation for extreme weights. */
    if (!weighted_cross(&d, false, f.tau2, false) || !solve_beta(&d))
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "the weighted model matrix is not of full rank at tau^2 = %g "
                             "(the moderators are nearly collinear)",
                             f.tau2);
    double rss = 0;
    for (size_t i = 0; i < k; i++)
        rss += ws->r[i] * ws->r[i] / (v[i] + f.tau2);
    bool knha = evs_test_is_knha(opt->test);
    /* IQWiG 6's rule is defined for the intercept-only model (inference.c) */
    double sw = 0;
    for (size_t i = 0; i < k; i++)
        sw += 1 / (v[i] + f.tau2);
    evs_iqwig6_model iq = {.v = v, .k = k, .QE = f.QE, .vt = f.vt, .var = 1 / sw};
    evs_inference inf;
    evs_inference_setup(opt->test, opt->level, rss, kk - pp, p == 1 && intercept ? &iq : NULL,
                        &ws->sv, &inf, &f.warnings);
    double crit = inf.crit;
    f.s2w = inf.s2w;
    f.df = inf.df;
    size_t first = intercept && p > 1 ? 1 : 0;
    double qm;
    if (!omnibus(&d, first, f.s2w, &qm)) /* leaves (X'WX)^-1 in Z1 */
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "the weighted model matrix cannot be inverted (the moderators "
                             "are nearly collinear)");
    for (size_t j = 0; j < p; j++) {
        f.beta[j] = ws->beta[j];
        f.se[j] = sqrt(f.s2w * ws->Z1[j * p + j]);
        f.stat[j] = f.beta[j] / f.se[j];
        f.pval[j] = evs_inference_pval(&inf, f.stat[j]);
        f.ci_lb[j] = f.beta[j] - crit * f.se[j];
        f.ci_ub[j] = f.beta[j] + crit * f.se[j];
    }
    f.QM_df = (int)(p - first);
    if (knha) {
        f.QM = qm / f.QM_df;
        f.QM_df2 = (int)(k - p);
        f.QM_p = gsl_cdf_fdist_Q(f.QM, f.QM_df, f.QM_df2);
    } else {
        f.QM = qm;
        f.QM_p = gsl_cdf_chisq_Q(f.QM, f.QM_df);
    }

    if (opt->method == EVS_METHOD_FE) {
        f.I2 = evs_i2_q(f.QE, kk - pp);
        f.H2 = f.QE / (kk - pp);
    } else {
        f.I2 = evs_i2(f.tau2, f.vt);
        f.H2 = f.tau2 / f.vt + 1;
    }

    /* R^2 against the model without moderators (metafor's r2def "1"). */
    f.R2 = NAN;
    if (intercept && p > 1 && opt->tau2_ci) {
        evs_fit_options o = *opt;
        o.tau2_ci = false;
        evs_fit re;
        if (evs_fit_rma(y, v, k, &o, ws->fit, &re, NULL) == EVS_OK) {
            if (opt->method == EVS_METHOD_FE) {
                /* adjusted R^2 of weighted least squares, w = 1/v */
                double r2 = re.QE > 0 ? 1 - f.QE / re.QE : 0;
                f.R2 = fmax(0, 100 * (1 - (1 - r2) * (kk - 1) / (kk - pp)));
            } else {
                f.R2 = re.tau2 == 0 ? 0 : fmax(0, 100 * (re.tau2 - f.tau2) / re.tau2);
            }
        }
    }
    *out = f;
    return EVS_OK;
}
