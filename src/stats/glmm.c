/*
 * glmm.c -- the binomial-normal models of glmm.h by maximum likelihood with
 * adaptive Gauss-Hermite quadrature.
 *
 * One study, arms a = 1..m (m = 1 for PLO, 2 for UM.FS), with events x_a of
 * n_a, linear predictors eta_a = e_a + theta g_a u, e_a the fixed part (mu,
 * or alpha + mu and alpha), g_a the coding of the random effect (1, or +1/2
 * and -1/2) and u ~ N(0, 1) the spherical random effect of lme4 (b = theta u,
 * tau2 = theta^2).  With L(eta) = log(1 + e^eta),
 *
 *   F(u) = sum_a [n_a L(eta_a) - x_a eta_a] + u^2/2,
 *   I    = int exp(-F(u)) du / sqrt(2 pi)     (the study's likelihood, without
 *                                             its binomial coefficients).
 *
 * Adaptive Gauss-Hermite (Pinheiro and Bates 1995; lme4's glmerAGQ): with
 * the conditional mode u0 (F'(u0) = 0), h0 = F''(u0) = 1 + theta^2 sum g^2 q,
 * q_a = n_a p_a (1 - p_a), s = h0^(-1/2) and the rule (z_j, w_j) for N(0, 1),
 *
 *   log I ~ -F(u0) - log(h0)/2 + log sum_j w_j exp(z_j^2/2 - [F(u0 + s z_j) - F(u0)]),
 *
 * lme4's deviance for nAGQ > 1 up to the saturated model's constant.  Its
 * gradient is exact here: with d/dpsi for any parameter (e_a or theta), u_j =
 * u0 + s z_j, E_j the terms of the sum and S their total,
 *
 *   d log I/dpsi = -(dh0/dpsi)/(2 h0) - sum_j E_j [F_psi(u_j) + F'(u_j) du_j/dpsi] / S,
 *   du_j/dpsi = du0/dpsi + z_j ds/dpsi,  du0/dpsi = -F_u,psi(u0)/h0,
 *   ds/dpsi = -s (dh0/dpsi)/(2 h0),  dh0/dpsi = h_psi(u0) + h_u(u0) du0/dpsi,
 *
 * (the terms in F_psi(u0) cancel because the E_j/S sum to 1), where, with
 * r_a = x_a - n_a p_a and t_a = q_a (1 - 2 p_a),
 *
 *   F_e_a = -r_a,  F_theta = -u sum g r,  F_u = u - theta sum g r,
 *   F_u,e_a = theta g_a q_a,  F_u,theta = -sum g r + theta u sum g^2 q,
 *   h_u = theta^3 sum g^3 t,  h_e_a = theta^2 g_a^2 t_a,
 *   h_theta = 2 theta sum g^2 q + theta^2 u sum g^3 t.
 *
 * Newton's method over (alpha_1..alpha_k, mu, theta) maximises the sum over
 * studies.  The Hessian is the central difference of that gradient: the
 * alpha_i enter one study each, so perturbing mu, theta and all the alphas
 * at once gives the whole "arrow" (a diagonal alpha block, two dense
 * columns) in three pairs of gradient evaluations, and the Newton step is
 * solved through its 2 x 2 Schur complement.  Steps are damped
 * (Levenberg-Marquardt) until the likelihood does not fall.  The likelihood
 * is even in theta, so theta is kept >= 0 by taking |theta|.
 *
 * The common-effect model is theta = 0, where the quadrature is exact (the
 * integrand no longer depends on u): glm()'s model, fitted by the same code
 * (PLO has the closed form logit(sum x / sum n), used directly).
 */
#include "evsynth/glmm.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Finite-difference step for the Hessian, relative to max(1, |parameter|):
 * about the cube root of the machine epsilon, the best for central
 * differences of an exact gradient. */
#define FD_STEP 6e-6
/* Damping attempts per Newton iteration before the fit is declared stuck. */
#define DAMP_TRIES 40
/* Estimates of tau below this are taken to be the boundary tau = 0 when the
 * likelihood there is as high (up to rounding). */
#define TAU_ZERO 1e-5
/* Counts above this are not whole numbers in double precision. */
#define COUNT_MAX 9007199254740992.0
#define SQRT2 1.41421356237309504880

typedef struct gh_rule {
    int n;
    double z[EVS_GLMM_NAGQ_MAX];
    double lw[EVS_GLMM_NAGQ_MAX]; /* log w + z^2/2 */
} gh_rule;

struct evs_glmm_workspace {
    size_t cap;
    double *mode;    /* each study's conditional mode: the next search starts there */
    double *alpha;   /* UM.FS study effects: current, trial, perturbed */
    double *alpha_try;
    double *alpha_pert;
    double *g_alpha; /* gradients: current, trial, two perturbed */
    double *g_alpha_try;
    double *g_plus;
    double *g_minus;
    double *hd;      /* Hessian: alpha diagonal and the two dense columns */
    double *hb;      /* k x 2, row-major */
    double *step;    /* alpha part of the Newton step */
    double *tab;     /* UM.FS: the kept studies' a, n1, c, n2 (4 k) */
    gh_rule gh;
};

void evs_glmm_options_default(evs_glmm_options *opt)
{
    opt->nagq = 7;
    opt->level = 95;
    opt->t_dist = false;
    opt->tol = 1e-10;
    opt->maxiter = 200;
    opt->mode_tol = 1e-13;
    opt->mode_maxiter = 100;
    opt->tau_max = 50;
    opt->common_effect = false;
}

const char *evs_glmm_warning_text(unsigned bit)
{
    switch (bit) {
    case EVS_GLMM_WARN_TAU2_ZERO:
        return "tau^2 was estimated as 0: the random-effects model is the common-effect model";
    case EVS_GLMM_WARN_ONE_STUDY:
        return "one study: only the common-effect model can be fitted";
    case EVS_GLMM_WARN_FALLBACK:
        return "the random-effects model could not be fitted (the likelihood did not reach a "
               "maximum); the common-effect model is shown instead";
    case EVS_GLMM_WARN_NOT_CONVERGED:
        return "the common-effect model did not converge: treat every result as unreliable";
    case EVS_GLMM_WARN_DROPPED:
        return "studies without events in either group, or with only events in both, carry "
               "no information on the odds ratio and were left out";
    default:
        return NULL;
    }
}

/* ---------------------------------------------------------------------------
 * Gauss-Hermite rule
 */

/*
 * Nodes by Newton's method on the orthonormal (physicists') Hermite
 * polynomial from the usual asymptotic starting points (Szego's zeros
 * estimates), weights 2 / p_n'(x)^2; then x -> sqrt(2) x, w -> w / sqrt(pi)
 * for the standard normal density.
 */
bool evs_gauss_hermite(int n, double *z, double *w)
{
    if (n < 1 || n > EVS_GLMM_NAGQ_MAX)
        return false;
    const double pim4 = 0.7511255444649425; /* pi^(-1/4) */
    double xs[EVS_GLMM_NAGQ_MAX];         /* the roots found, largest first */
    int m = (n + 1) / 2;
    for (int i = 0; i < m; i++) {
        double x;
        if (i == 0)
            x = sqrt(2.0 * n + 1) - 1.85575 * pow(2.0 * n + 1, -1.0 / 6);
        else if (i == 1)
            x = xs[0] - 1.14 * pow((double)n, 0.426) / xs[0];
        else if (i == 2)
            x = 1.86 * xs[1] - 0.86 * xs[0];
        else if (i == 3)
            x = 1.91 * xs[2] - 0.91 * xs[1];
        else
            x = 2 * xs[i - 1] - xs[i - 2];
        double pp = 0;
        for (int it = 0; it < 100; it++) {
            double p1 = pim4, p2 = 0;
            for (int j = 1; j <= n; j++) {
                double p3 = p2;
                p2 = p1;
                p1 = x * sqrt(2.0 / j) * p2 - sqrt((j - 1.0) / j) * p3;
            }
            pp = sqrt(2.0 * n) * p2;
            double dx = p1 / pp;
            x -= dx;
            if (fabs(dx) <= 1e-15 * fmax(1, fabs(x)))
                break;
        }
        xs[i] = x;
        /* The weight from the derivative at the converged root. */
        double p1 = pim4, p2 = 0;
        for (int j = 1; j <= n; j++) {
            double p3 = p2;
            p2 = p1;
            p1 = x * sqrt(2.0 / j) * p2 - sqrt((j - 1.0) / j) * p3;
        }
        pp = sqrt(2.0 * n) * p2;
        double wt = 2 / (pp * pp) / 1.7724538509055160273; /* / sqrt(pi) */
        z[i] = -SQRT2 * x;
        z[n - 1 - i] = SQRT2 * x;
        w[i] = w[n - 1 - i] = wt;
    }
    if (n % 2 == 1)
        z[m - 1] = 0;
    return true;
}

static bool gh_prepare(gh_rule *gh, int n)
{
    if (gh->n == n)
        return true;
    double w[EVS_GLMM_NAGQ_MAX];
    if (!evs_gauss_hermite(n, gh->z, w))
        return false;
    for (int j = 0; j < n; j++)
        gh->lw[j] = log(w[j]) + 0.5 * gh->z[j] * gh->z[j];
    gh->n = n;
    return true;
}

/* ---------------------------------------------------------------------------
 * Workspace
 */

static bool reserve(evs_glmm_workspace *ws, size_t k)
{
    if (k <= ws->cap)
        return true;
    double **arrays[] = {&ws->mode,    &ws->alpha,  &ws->alpha_try, &ws->alpha_pert,
                         &ws->g_alpha, &ws->g_alpha_try, &ws->g_plus, &ws->g_minus,
                         &ws->hd,      &ws->step};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
        double *p = realloc(*arrays[i], k * sizeof *p);
        if (p == NULL)
            return false;
        *arrays[i] = p;
    }
    double *hb = realloc(ws->hb, 2 * k * sizeof *hb);
    if (hb == NULL)
        return false;
    ws->hb = hb;
    double *tab = realloc(ws->tab, 4 * k * sizeof *tab);
    if (tab == NULL)
        return false;
    ws->tab = tab;
    ws->cap = k;
    return true;
}

evs_glmm_workspace *evs_glmm_workspace_alloc(size_t k)
{
    evs_glmm_workspace *ws = calloc(1, sizeof *ws);
    if (ws == NULL)
        return NULL;
    if (!reserve(ws, k < 1 ? 1 : k)) {
        evs_glmm_workspace_free(ws);
        return NULL;
    }
    return ws;
}

void evs_glmm_workspace_free(evs_glmm_workspace *ws)
{
    if (ws == NULL)
        return;
    free(ws->mode);
    free(ws->alpha);
    free(ws->alpha_try);
    free(ws->alpha_pert);
    free(ws->g_alpha);
    free(ws->g_alpha_try);
    free(ws->g_plus);
    free(ws->g_minus);
    free(ws->hd);
    free(ws->hb);
    free(ws->step);
    free(ws->tab);
    free(ws);
}

/* ---------------------------------------------------------------------------
 * One study's approximate log-likelihood and its gradient
 */

typedef struct arm {
    double x, n, e, g;
} arm;

/* log(1 + e^eta) and expit(eta) without overflow. */
static inline double log1pexp(double eta, double *p)
{
    double t = exp(-fabs(eta));
    *p = eta >= 0 ? 1 / (1 + t) : t / (1 + t);
    return fmax(eta, 0) + log1p(t);
}

/* F(u) and, when sgr is not NULL, sum g r at u. */
static double f_at(const arm *a, int m, double theta, double u, double *sgr)
{
    double f = 0.5 * u * u, s = 0;
    for (int i = 0; i < m; i++) {
        double p, eta = a[i].e + theta * a[i].g * u;
        f += a[i].n * log1pexp(eta, &p) - a[i].x * eta;
        s += a[i].g * (a[i].x - a[i].n * p);
    }
    if (sgr != NULL)
        *sgr = s;
    return f;
}

/*
 * The conditional mode: the root of F'(u) = u - theta sum g r(u), which is
 * increasing (F'' >= 1), by Newton's method from *u inside the bracket
 * theta sum g r in [theta sum min(g x, g (x - n)), theta sum max(...)];
 * bisection when a step leaves it.  false if it does not converge.
 */
static bool find_mode(const arm *a, int m, double theta, double *u, double tol, int maxiter)
{
    if (theta == 0) {
        *u = 0;
        return true;
    }
    double lo = 0, hi = 0;
    for (int i = 0; i < m; i++) {
        double r1 = a[i].g * a[i].x, r2 = a[i].g * (a[i].x - a[i].n);
        lo += theta * fmin(r1, r2);
        hi += theta * fmax(r1, r2);
    }
    double x = *u;
    if (!(x > lo && x < hi))
        x = 0.5 * (lo + hi);
    for (int it = 0; it < maxiter; it++) {
        double s = 0, h = 1;
        for (int i = 0; i < m; i++) {
            double p;
            log1pexp(a[i].e + theta * a[i].g * x, &p);
            s += a[i].g * (a[i].x - a[i].n * p);
            h += theta * theta * a[i].g * a[i].g * a[i].n * p * (1 - p);
        }
        double fu = x - theta * s;
        if (fu > 0)
            hi = x;
        else if (fu < 0)
            lo = x;
        else {
            *u = x;
            return true;
        }
        double next = x - fu / h;
        if (!(next > lo && next < hi))
            next = 0.5 * (lo + hi);
        double dx = fabs(next - x);
        x = next;
        if (dx <= tol * (1 + fabs(x)) || hi - lo <= tol * (1 + fabs(x))) {
            *u = x;
            return true;
        }
    }
    *u = x;
    return false;
}

/*
 * log I of one study (without binomial coefficients) and, when d_e is not
 * NULL, its derivatives by each arm's e_a (d_e[a]) and by theta (*d_theta).
 * *u holds the mode to start from and receives the new one.
 */
static double study_loglik(const arm *a, int m, double theta, const gh_rule *gh, double *u,
                           double tol, int maxiter, bool *ok, double *d_e, double *d_theta)
{
    if (!find_mode(a, m, theta, u, tol, maxiter))
        *ok = false;
    double u0 = *u;
    /* At the mode: h0 and the derivatives of F' and h. */
    double h0 = 1, sgr = 0, sg2q = 0, sg3t = 0, q[2], t[2];
    for (int i = 0; i < m; i++) {
        double p;
        log1pexp(a[i].e + theta * a[i].g * u0, &p);
        q[i] = a[i].n * p * (1 - p);
        t[i] = q[i] * (1 - 2 * p);
        sgr += a[i].g * (a[i].x - a[i].n * p);
        sg2q += a[i].g * a[i].g * q[i];
        sg3t += a[i].g * a[i].g * a[i].g * t[i];
    }
    h0 += theta * theta * sg2q;
    double s = 1 / sqrt(h0);
    double f0 = f_at(a, m, theta, u0, NULL);

    /* The sum over nodes, scaled by its largest term for safety. */
    double lt[EVS_GLMM_NAGQ_MAX], ltmax = -HUGE_VAL;
    for (int j = 0; j < gh->n; j++) {
        double uj = u0 + s * gh->z[j];
        lt[j] = gh->lw[j] - (f_at(a, m, theta, uj, NULL) - f0);
        ltmax = fmax(ltmax, lt[j]);
    }
    double sum = 0;
    for (int j = 0; j < gh->n; j++) {
        lt[j] = exp(lt[j] - ltmax);
        sum += lt[j];
    }
    double logi = -f0 - 0.5 * log(h0) + ltmax + log(sum);
    if (d_e == NULL)
        return logi;

    /* Derivatives of the mode, h0 and s, by e_a and by theta. */
    double du_e[2], dh_e[2], ds_e[2];
    for (int i = 0; i < m; i++) {
        du_e[i] = -theta * a[i].g * q[i] / h0;
        dh_e[i] = theta * theta * a[i].g * a[i].g * t[i] + theta * theta * theta * sg3t * du_e[i];
        ds_e[i] = -0.5 * s * dh_e[i] / h0;
    }
    double du_th = -(-sgr + theta * u0 * sg2q) / h0;
    double dh_th = 2 * theta * sg2q + theta * theta * u0 * sg3t + theta * theta * theta * sg3t * du_th;
    double ds_th = -0.5 * s * dh_th / h0;

    double acc_e[2] = {0, 0}, acc_th = 0;
    for (int j = 0; j < gh->n; j++) {
        double uj = u0 + s * gh->z[j], wj = lt[j] / sum;
        double sg = 0, re[2];
        for (int i = 0; i < m; i++) {
            double p;
            log1pexp(a[i].e + theta * a[i].g * uj, &p);
            re[i] = a[i].x - a[i].n * p;
            sg += a[i].g * re[i];
        }
        double fu = uj - theta * sg;
        for (int i = 0; i < m; i++)
            acc_e[i] += wj * (-re[i] + fu * (du_e[i] + gh->z[j] * ds_e[i]));
        acc_th += wj * (-uj * sg + fu * (du_th + gh->z[j] * ds_th));
    }
    for (int i = 0; i < m; i++)
        d_e[i] = -0.5 * dh_e[i] / h0 - acc_e[i];
    *d_theta = -0.5 * dh_th / h0 - acc_th;
    return logi;
}

/* ---------------------------------------------------------------------------
 * The whole likelihood
 */

typedef enum model_kind { MODEL_PLO, MODEL_UMFS } model_kind;

typedef struct model {
    model_kind kind;
    size_t k;
    const double *x, *n;         /* PLO: events, sizes */
    const double *a, *n1, *c, *n2; /* UM.FS: events and sizes by arm */
    bool fix_theta;              /* the common-effect model: theta = 0 */
    const gh_rule *gh;
    double *mode;
    double mode_tol;
    int mode_maxiter;
    bool ok;                     /* every conditional mode converged */
} model;

/*
 * The log-likelihood at (alpha, mu, theta), without binomial coefficients,
 * and, when g_alpha is not NULL, its gradient: g_alpha[k] (UM.FS) and
 * g_beta[0] (mu), g_beta[1] (theta).
 */
static double loglik(model *md, const double *alpha, double mu, double theta, double *g_alpha,
                     double *g_beta)
{
    double ll = 0, gmu = 0, gth = 0;
    bool grad = g_beta != NULL;
    for (size_t i = 0; i < md->k; i++) {
        arm a[2];
        int m;
        if (md->kind == MODEL_PLO) {
            a[0] = (arm){md->x[i], md->n[i], mu, 1};
            m = 1;
        } else {
            a[0] = (arm){md->a[i], md->n1[i], alpha[i] + mu, 0.5};
            a[1] = (arm){md->c[i], md->n2[i], alpha[i], -0.5};
            m = 2;
        }
        double de[2] = {0, 0}, dth = 0;
        ll += study_loglik(a, m, theta, md->gh, &md->mode[i], md->mode_tol, md->mode_maxiter,
                           &md->ok, grad ? de : NULL, &dth);
        if (!grad)
            continue;
        gmu += de[0];
        gth += dth;
        if (md->kind == MODEL_UMFS && g_alpha != NULL)
            g_alpha[i] = de[0] + de[1];
    }
    if (grad) {
        g_beta[0] = gmu;
        g_beta[1] = md->fix_theta ? 0 : gth;
    }
    return ll;
}

/* The Hessian's arrow: hd[k] (d2/dalpha_i^2), hb[k][2] (d2/dalpha_i dbeta_b), hc. */
static void hessian(model *md, evs_glmm_workspace *ws, const double *beta, int nb,
                    double hc[2][2])
{
    size_t k = md->kind == MODEL_UMFS ? md->k : 0;
    double gp[2], gm[2];
    for (int b = 0; b < nb; b++) {
        double h = FD_STEP * fmax(1, fabs(beta[b])), bp[2] = {beta[0], beta[1]},
               bm[2] = {beta[0], beta[1]};
        bp[b] += h;
        bm[b] -= h;
        loglik(md, ws->alpha, bp[0], bp[1], ws->g_plus, gp);
        loglik(md, ws->alpha, bm[0], bm[1], ws->g_minus, gm);
        for (size_t i = 0; i < k; i++)
            ws->hb[2 * i + b] = (ws->g_plus[i] - ws->g_minus[i]) / (2 * h);
        for (int c = 0; c < nb; c++)
            hc[c][b] = (gp[c] - gm[c]) / (2 * h);
    }
    if (nb == 2)
        hc[0][1] = hc[1][0] = 0.5 * (hc[0][1] + hc[1][0]);
    if (k == 0)
        return;
    for (size_t i = 0; i < k; i++)
        ws->alpha_pert[i] = ws->alpha[i] + FD_STEP * fmax(1, fabs(ws->alpha[i]));
    loglik(md, ws->alpha_pert, beta[0], beta[1], ws->g_plus, gp);
    for (size_t i = 0; i < k; i++)
        ws->alpha_pert[i] = ws->alpha[i] - FD_STEP * fmax(1, fabs(ws->alpha[i]));
    loglik(md, ws->alpha_pert, beta[0], beta[1], ws->g_minus, gm);
    for (size_t i = 0; i < k; i++)
        ws->hd[i] = (ws->g_plus[i] - ws->g_minus[i]) / (2 * FD_STEP * fmax(1, fabs(ws->alpha[i])));
}

/*
 * Solve (A + lambda I) step = g for A = -Hessian through the Schur
 * complement of its alpha block; the inverse of that complement is the
 * (mu, theta) block of A's inverse.  false unless A + lambda I is positive
 * definite.
 */
static bool newton_step(const model *md, evs_glmm_workspace *ws, double hc[2][2], int nb,
                        const double *g_beta, double lambda, double *step_beta,
                        double sinv[2][2])
{
    size_t k = md->kind == MODEL_UMFS ? md->k : 0;
    double s[2][2] = {{-hc[0][0] + lambda, nb == 2 ? -hc[0][1] : 0},
                      {nb == 2 ? -hc[1][0] : 0, nb == 2 ? -hc[1][1] + lambda : 1}};
    double rhs[2] = {g_beta[0], nb == 2 ? g_beta[1] : 0};
    for (size_t i = 0; i < k; i++) {
        double d = -ws->hd[i] + lambda;
        if (!(d > 0))
            return false;
        double b0 = -ws->hb[2 * i], b1 = nb == 2 ? -ws->hb[2 * i + 1] : 0;
        s[0][0] -= b0 * b0 / d;
        s[0][1] -= b0 * b1 / d;
        s[1][0] -= b1 * b0 / d;
        s[1][1] -= b1 * b1 / d;
        rhs[0] -= b0 * ws->g_alpha[i] / d;
        rhs[1] -= b1 * ws->g_alpha[i] / d;
    }
    double det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
    if (!(s[0][0] > 0 && det > 0))
        return false;
    sinv[0][0] = s[1][1] / det;
    sinv[1][1] = s[0][0] / det;
    sinv[0][1] = sinv[1][0] = -s[0][1] / det;
    step_beta[0] = sinv[0][0] * rhs[0] + sinv[0][1] * rhs[1];
    step_beta[1] = nb == 2 ? sinv[1][0] * rhs[0] + sinv[1][1] * rhs[1] : 0;
    for (size_t i = 0; i < k; i++) {
        double d = -ws->hd[i] + lambda;
        double b0 = -ws->hb[2 * i], b1 = nb == 2 ? -ws->hb[2 * i + 1] : 0;
        ws->step[i] = (ws->g_alpha[i] - b0 * step_beta[0] - b1 * step_beta[1]) / d;
    }
    return true;
}

typedef struct ml_result {
    double mu, theta, ll, var_mu;
    int iterations;
    bool converged;
} ml_result;

/*
 * Maximise the likelihood from ws->alpha and beta[] = {mu, theta} (theta
 * fixed at 0 when md->fix_theta).  The estimates are left in ws->alpha and
 * *r; var_mu is the (mu, mu) element of the inverse of minus the Hessian at
 * the end.
 */
static void maximise(model *md, evs_glmm_workspace *ws, double *beta,
                     const evs_glmm_options *opt, ml_result *r)
{
    size_t k = md->kind == MODEL_UMFS ? md->k : 0;
    int nb = md->fix_theta ? 1 : 2;
    if (md->fix_theta)
        beta[1] = 0;
    double g_beta[2], g_try[2], hc[2][2], sinv[2][2], step[2];
    double ll = loglik(md, ws->alpha, beta[0], beta[1], ws->g_alpha, g_beta);
    r->converged = false;
    r->iterations = 0;
    for (int it = 1; it <= opt->maxiter && isfinite(ll); it++) {
        r->iterations = it;
        hessian(md, ws, beta, nb, hc);
        double scale = fabs(hc[0][0]), lambda = 0;
        bool accepted = false;
        double ll_try = ll, b_try[2] = {beta[0], beta[1]};
        for (int tries = 0; tries < DAMP_TRIES; tries++) {
            if (newton_step(md, ws, hc, nb, g_beta, lambda, step, sinv)) {
                b_try[0] = beta[0] + step[0];
                b_try[1] = md->fix_theta ? 0 : fmin(fabs(beta[1] + step[1]), opt->tau_max);
                for (size_t i = 0; i < k; i++)
                    ws->alpha_try[i] = ws->alpha[i] + ws->step[i];
                ll_try = loglik(md, ws->alpha_try, b_try[0], b_try[1], ws->g_alpha_try, g_try);
                /* Rounding of a sum of k terms allows a fall of a few ulps. */
                if (isfinite(ll_try) && ll_try >= ll - 1e-13 * (1 + fabs(ll))) {
                    accepted = true;
                    break;
                }
            }
            lambda = lambda == 0 ? 1e-6 * fmax(scale, 1) : 8 * lambda;
        }
        if (!accepted)
            break;
        double dmax = fabs(b_try[0] - beta[0]) / fmax(1, fabs(beta[0]));
        if (nb == 2)
            dmax = fmax(dmax, fabs(b_try[1] - beta[1]) / fmax(1, fabs(beta[1])));
        for (size_t i = 0; i < k; i++)
            dmax = fmax(dmax, fabs(ws->step[i]) / fmax(1, fabs(ws->alpha[i])));
        beta[0] = b_try[0];
        beta[1] = b_try[1];
        for (size_t i = 0; i < k; i++) {
            ws->alpha[i] = ws->alpha_try[i];
            ws->g_alpha[i] = ws->g_alpha_try[i];
        }
        g_beta[0] = g_try[0];
        g_beta[1] = g_try[1];
        ll = ll_try;
        if (dmax <= opt->tol && lambda == 0) {
            r->converged = true;
            break;
        }
    }
    /* Minus the Hessian's inverse at the estimate, for the standard error. */
    hessian(md, ws, beta, nb, hc);
    double zero[2] = {0, 0};
    r->var_mu = newton_step(md, ws, hc, nb, zero, 0, step, sinv) ? sinv[0][0] : (double)NAN;
    r->mu = beta[0];
    r->theta = beta[1];
    r->ll = ll;
    if (!md->ok)
        r->converged = false;
}

/* ---------------------------------------------------------------------------
 * Fits
 */

static evs_status check_count(double x, double n, size_t i, const char *what, evs_error *err)
{
    if (!(n >= 1 && n <= COUNT_MAX && n == floor(n)))
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "study %zu: the %s must be a whole number of at least 1 (found %g)",
                             i + 1, what, n);
    if (!(x >= 0 && x <= n && x == floor(x)))
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "study %zu: the number of events must be a whole number from 0 to "
                             "%g (found %g)",
                             i + 1, n, x);
    return EVS_OK;
}

static evs_status check_options(const evs_glmm_options *opt, evs_error *err)
{
    if (opt->nagq < 1 || opt->nagq > EVS_GLMM_NAGQ_MAX)
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "the number of quadrature points must be from 1 to %d (found %d)",
                             EVS_GLMM_NAGQ_MAX, opt->nagq);
    if (!(opt->level > 0 && opt->level < 100))
        return evs_error_set(err, EVS_EINVAL, 0, 0, "level must be between 0 and 100");
    if (!(opt->tol > 0 && opt->mode_tol > 0 && opt->maxiter > 0 && opt->mode_maxiter > 0 &&
          opt->tau_max > 0))
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "tolerances, iteration limits and tau_max must be positive");
    return EVS_OK;
}

/* x log(x / n) with 0 log 0 = 0. */
static double xlogxn(double x, double n)
{
    return x > 0 ? x * log(x / n) : 0;
}

static double lchoose(double n, double x)
{
    return gsl_sf_lnchoose((unsigned)n, (unsigned)x);
}

/* vt of metafor: (k - 1) sum w / ((sum w)^2 - sum w^2), w = 1/vi. */
static double typical_variance(double sw, double sw2, size_t k)
{
    return ((double)k - 1) * sw / (sw * sw - sw2);
}

/*
 * Everything after the maximisation: inference, heterogeneity, and the
 * common-effect fallback.  re is NULL when no random-effects fit was made
 * (one study, or the common-effect model asked for).
 */
static void finish(evs_glmm_fit *f, const ml_result *ce, const ml_result *re,
                   const evs_glmm_options *opt, double lconst, double q_wald, double sw,
                   double sw2)
{
    double kk = (double)f->k;
    f->loglik_ce = ce->ll + lconst;
    f->ce_estimate = ce->mu;
    f->ce_se = sqrt(ce->var_mu);
    f->QE_df = (int)f->k - 1;
    if (f->k >= 2) {
        f->QE_wald = fmax(0, q_wald);
        f->QE_lrt = fmax(0, -2 * (f->loglik_ce - f->loglik_sat));
        f->QE_wald_p = gsl_cdf_chisq_Q(f->QE_wald, kk - 1);
        f->QE_lrt_p = gsl_cdf_chisq_Q(f->QE_lrt, kk - 1);
        f->vt = typical_variance(sw, sw2, f->k);
    } else {
        f->QE_wald = f->QE_wald_p = f->QE_lrt = f->QE_lrt_p = f->vt = NAN;
    }
    bool use_re = re != NULL && re->converged && isfinite(re->var_mu) && re->var_mu > 0;
    if (opt->common_effect) {
        /* asked for: no warning, tau2 = 0 as metafor reports it */
    } else if (re == NULL) {
        f->warnings |= EVS_GLMM_WARN_ONE_STUDY;
    } else if (!use_re) {
        f->warnings |= EVS_GLMM_WARN_FALLBACK;
    }
    if (re != NULL) {
        f->iterations = re->iterations;
        f->converged = re->converged;
    } else {
        f->iterations = ce->iterations;
        f->converged = ce->converged;
    }
    if (!ce->converged || !(ce->var_mu > 0))
        f->warnings |= EVS_GLMM_WARN_NOT_CONVERGED;
    if (opt->common_effect) {
        f->tau2 = 0;
    } else if (use_re && re->theta == 0) {
        f->warnings |= EVS_GLMM_WARN_TAU2_ZERO;
        use_re = false;
        f->tau2 = 0;
    } else {
        f->tau2 = use_re ? re->theta * re->theta : (double)NAN;
    }
    f->common_effect = !use_re;
    const ml_result *r = use_re ? re : ce;
    f->estimate = r->mu;
    f->se = sqrt(r->var_mu);
    f->loglik = r->ll + lconst;
    double alpha = 1 - opt->level / 100, crit;
    f->stat = f->estimate / f->se;
    if (opt->t_dist && f->k >= 2) {
        f->df = kk - 1;
        f->pval = 2 * gsl_cdf_tdist_Q(fabs(f->stat), f->df);
        crit = gsl_cdf_tdist_Qinv(alpha / 2, f->df);
    } else {
        f->df = NAN;
        f->pval = 2 * gsl_cdf_ugaussian_Q(fabs(f->stat));
        crit = gsl_cdf_ugaussian_Qinv(alpha / 2);
    }
    f->ci_lb = f->estimate - crit * f->se;
    f->ci_ub = f->estimate + crit * f->se;
    double spred = sqrt(f->se * f->se + f->tau2);
    f->pi_lb = f->estimate - crit * spred;
    f->pi_ub = f->estimate + crit * spred;
    f->I2 = 100 * f->tau2 / (f->vt + f->tau2);
    f->H2 = f->tau2 / f->vt + 1;
    if (opt->common_effect) {
        /* metafor's common-effect model: no prediction interval, I2 0 and
         * H2 1 (NaN for one study, as metafor's NA) */
        f->pi_lb = f->pi_ub = NAN;
        f->I2 = f->k >= 2 ? 0 : (double)NAN;
        f->H2 = f->k >= 2 ? 1 : (double)NAN;
    }
}

/*
 * The random-effects fit from (mu0, theta0), then the boundary: an estimate
 * of tau below TAU_ZERO is replaced by 0 when the likelihood at 0 is as high.
 */
static void fit_re(model *md, evs_glmm_workspace *ws, double mu0, double theta0,
                   const evs_glmm_options *opt, ml_result *re)
{
    double beta[2] = {mu0, theta0};
    md->fix_theta = false;
    md->ok = true;
    maximise(md, ws, beta, opt, re);
    if (re->converged && re->theta < TAU_ZERO) {
        double ll0 = loglik(md, ws->alpha, re->mu, 0, NULL, NULL);
        if (ll0 >= re->ll - 1e-12 * (1 + fabs(re->ll)))
            re->theta = 0;
    }
}

static evs_status get_workspace(evs_glmm_workspace **ws, evs_glmm_workspace **own, size_t k,
                                int nagq, evs_error *err)
{
    *own = NULL;
    if (*ws == NULL && (*ws = *own = evs_glmm_workspace_alloc(k)) == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    if (!reserve(*ws, k) || !gh_prepare(&(*ws)->gh, nagq)) {
        evs_glmm_workspace_free(*own);
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    }
    return EVS_OK;
}

/* DerSimonian-Laird tau2 of y with variances v: a starting point only. */
static double dl_tau2(const double *y, const double *v, size_t k)
{
    double sw = 0, sw2 = 0, swy = 0;
    for (size_t i = 0; i < k; i++) {
        sw += 1 / v[i];
        sw2 += 1 / (v[i] * v[i]);
        swy += y[i] / v[i];
    }
    double mu = swy / sw, q = 0;
    for (size_t i = 0; i < k; i++)
        q += (y[i] - mu) * (y[i] - mu) / v[i];
    return fmax(0, (q - ((double)k - 1)) / (sw - sw2 / sw));
}

evs_status evs_glmm_plo(const double *xi, const double *ni, size_t k,
                        const evs_glmm_options *opt, evs_glmm_workspace *ws, evs_glmm_fit *fit,
                        evs_error *err)
{
    evs_glmm_options defaults;
    if (opt == NULL) {
        evs_glmm_options_default(&defaults);
        opt = &defaults;
    }
    evs_status st = check_options(opt, err);
    if (st != EVS_OK)
        return st;
    if (k < 1)
        return evs_error_set(err, EVS_EDATA, 0, 0, "no studies to pool");
    double sx = 0, sn = 0;
    for (size_t i = 0; i < k; i++) {
        if ((st = check_count(xi[i], ni[i], i, "number of patients", err)) != EVS_OK)
            return st;
        sx += xi[i];
        sn += ni[i];
    }
    if (sx == 0)
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "no study has an event: the pooled proportion is not estimable "
                             "(its maximum-likelihood estimate is 0)");
    if (sx == sn)
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "every patient had the event: the pooled proportion is not "
                             "estimable (its maximum-likelihood estimate is 1)");
    evs_glmm_workspace *own;
    if ((st = get_workspace(&ws, &own, k, opt->nagq, err)) != EVS_OK)
        return st;

    evs_glmm_fit f;
    memset(&f, 0, sizeof f);
    f.measure = EVS_MEASURE_PLO;
    f.k = k;
    f.nagq = opt->nagq;
    f.level = opt->level;

    /* Saturated and common-effect models in closed form; the Wald statistic
     * and vt from the studies' own logits; escalc's logits (1/2 added to
     * studies with 0 or n events) as the starting point. */
    double lconst = 0, llsat = 0, sw = 0, sw2 = 0, swy = 0, swy2 = 0, ws_ = 0;
    for (size_t i = 0; i < k; i++) {
        double x = xi[i], n = ni[i];
        lconst += lchoose(n, x);
        llsat += xlogxn(x, n) + xlogxn(n - x, n);
        double add = x == 0 || x == n ? 0.5 : 0;
        double vi = 1 / (x + add) + 1 / (n - x + add);
        sw += 1 / vi;
        sw2 += 1 / (vi * vi);
        ws->g_plus[i] = log((x + add) / (n - x + add)); /* scratch: escalc's yi */
        ws->g_minus[i] = vi;
        if (x > 0 && x < n) {
            double w = x * (n - x) / n, y = log(x / (n - x));
            ws_ += w;
            swy += w * y;
            swy2 += w * y * y;
        }
    }
    f.loglik_sat = llsat + lconst;
    double q_wald = ws_ > 0 ? swy2 - swy * swy / ws_ : 0;
    double p = sx / sn;
    ml_result ce = {.mu = log(sx / (sn - sx)), .theta = 0, .var_mu = 1 / (sn * p * (1 - p)),
                    .iterations = 0, .converged = true};
    ce.ll = sx * log(p) + (sn - sx) * log1p(-p);

    model md = {.kind = MODEL_PLO, .k = k, .x = xi, .n = ni, .gh = &ws->gh, .mode = ws->mode,
                .mode_tol = opt->mode_tol, .mode_maxiter = opt->mode_maxiter, .ok = true};
    for (size_t i = 0; i < k; i++)
        ws->mode[i] = 0;
    ml_result re;
    bool fit_random = k >= 2 && !opt->common_effect;
    if (fit_random) {
        double t0 = dl_tau2(ws->g_plus, ws->g_minus, k);
        fit_re(&md, ws, ce.mu, fmax(sqrt(t0), 0.3), opt, &re);
    }
    finish(&f, &ce, fit_random ? &re : NULL, opt, lconst, q_wald, sw, sw2);
    evs_glmm_workspace_free(own);
    *fit = f;
    return EVS_OK;
}

evs_status evs_glmm_or(const double *ai, const double *bi, const double *ci, const double *di,
                       size_t k_all, const evs_glmm_options *opt, evs_glmm_workspace *ws,
                       evs_glmm_fit *fit, evs_error *err)
{
    evs_glmm_options defaults;
    if (opt == NULL) {
        evs_glmm_options_default(&defaults);
        opt = &defaults;
    }
    evs_status st = check_options(opt, err);
    if (st != EVS_OK)
        return st;
    if (k_all < 1)
        return evs_error_set(err, EVS_EDATA, 0, 0, "no studies to pool");
    size_t k = 0;
    double rsum = 0, ssum = 0;
    for (size_t i = 0; i < k_all; i++) {
        double cells[4] = {ai[i], bi[i], ci[i], di[i]};
        for (int j = 0; j < 4; j++) {
            if (!(cells[j] >= 0 && cells[j] <= COUNT_MAX && cells[j] == floor(cells[j])))
                return evs_error_set(err, EVS_EDATA, 0, 0,
                                     "study %zu: the counts of a 2x2 table must be whole "
                                     "numbers of at least 0 (found %g)",
                                     i + 1, cells[j]);
        }
        if (ai[i] + bi[i] < 1 || ci[i] + di[i] < 1)
            return evs_error_set(err, EVS_EDATA, 0, 0,
                                 "study %zu: each group needs at least one patient", i + 1);
        if ((ai[i] == 0 && ci[i] == 0) || (bi[i] == 0 && di[i] == 0))
            continue;
        double nn = ai[i] + bi[i] + ci[i] + di[i];
        rsum += ai[i] * di[i] / nn;
        ssum += bi[i] * ci[i] / nn;
        k++;
    }
    if (k == 0)
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "no study has events in one group and not in the other: the odds "
                             "ratio is not estimable");
    if (rsum == 0 || ssum == 0)
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "the odds ratio is not estimable: its maximum-likelihood estimate "
                             "is %s",
                             rsum == 0 ? "0" : "infinite");
    evs_glmm_workspace *own;
    if ((st = get_workspace(&ws, &own, k, opt->nagq, err)) != EVS_OK)
        return st;
    double *a = ws->tab, *n1 = a + k, *c = n1 + k, *n2 = c + k;

    evs_glmm_fit f;
    memset(&f, 0, sizeof f);
    f.measure = EVS_MEASURE_OR;
    f.k = k;
    f.k_dropped = k_all - k;
    if (f.k_dropped > 0)
        f.warnings |= EVS_GLMM_WARN_DROPPED;
    f.nagq = opt->nagq;
    f.level = opt->level;

    double lconst = 0, llsat = 0, sw = 0, sw2 = 0, swy = 0, swy2 = 0, wsum = 0;
    size_t j = 0;
    for (size_t i = 0; i < k_all; i++) {
        if ((ai[i] == 0 && ci[i] == 0) || (bi[i] == 0 && di[i] == 0))
            continue;
        a[j] = ai[i];
        n1[j] = ai[i] + bi[i];
        c[j] = ci[i];
        n2[j] = ci[i] + di[i];
        lconst += lchoose(n1[j], a[j]) + lchoose(n2[j], c[j]);
        llsat += xlogxn(a[j], n1[j]) + xlogxn(bi[i], n1[j]) + xlogxn(c[j], n2[j]) +
                 xlogxn(di[i], n2[j]);
        bool zero = ai[i] == 0 || bi[i] == 0 || ci[i] == 0 || di[i] == 0;
        double add = zero ? 0.5 : 0;
        double vi = 1 / (ai[i] + add) + 1 / (bi[i] + add) + 1 / (ci[i] + add) + 1 / (di[i] + add);
        sw += 1 / vi;
        sw2 += 1 / (vi * vi);
        ws->g_plus[j] = log((ai[i] + add) * (di[i] + add) / ((bi[i] + add) * (ci[i] + add)));
        ws->g_minus[j] = vi;
        if (!zero) {
            double w = 1 / vi, y = ws->g_plus[j];
            wsum += w;
            swy += w * y;
            swy2 += w * y * y;
        }
        /* Start: each study's effect at its second group's corrected logit. */
        ws->alpha[j] = log((ci[i] + 0.5) / (di[i] + 0.5));
        ws->mode[j] = 0;
        j++;
    }
    f.loglik_sat = llsat + lconst;
    double q_wald = wsum > 0 ? swy2 - swy * swy / wsum : 0;
    double mu0 = log(rsum / ssum), t0 = k >= 2 ? dl_tau2(ws->g_plus, ws->g_minus, k) : 0;

    model md = {.kind = MODEL_UMFS, .k = k, .a = a, .n1 = n1, .c = c, .n2 = n2, .gh = &ws->gh,
                .mode = ws->mode, .mode_tol = opt->mode_tol,
                .mode_maxiter = opt->mode_maxiter, .ok = true};
    /* The common-effect model (theta = 0: logistic regression with study effects). */
    ml_result ce, re;
    double beta[2] = {mu0, 0};
    md.fix_theta = true;
    maximise(&md, ws, beta, opt, &ce);
    bool fit_random = k >= 2 && !opt->common_effect;
    if (fit_random) {
        /* From the common-effect estimates of the study effects. */
        fit_re(&md, ws, ce.mu, fmax(sqrt(t0), 0.3), opt, &re);
    }
    finish(&f, &ce, fit_random ? &re : NULL, opt, lconst, q_wald, sw, sw2);
    evs_glmm_workspace_free(own);
    *fit = f;
    return EVS_OK;
}
