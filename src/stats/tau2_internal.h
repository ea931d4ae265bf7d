/*
 * tau2_internal.h -- the tau^2 estimators, written once for any model whose
 * weighted sums can be evaluated at a given tau^2 (private to src/stats).
 *
 * A model y = X beta + u + e, with k studies and p coefficients, supplies
 * the sums below through an evaluator; fit.c has the fast one for p = 1
 * (plain sums) and metareg.c the general one (p x p matrix algebra).  With
 * w_i = 1/(v_i + tau2), W = diag(w) and P = W - W X (X'WX)^-1 X'W:
 *
 *   s1 = sum w, s2 = sum w^2, q = y'Py, q2 = y'PPy, q3 = y'PPPy, trp = tr P,
 *   trpp = tr PP, sumlog = sum log(v_i + tau2), logdet = log det(X'WX)
 *
 * (dP/dtau2 = -PP, so d(y'Py)/dtau2 = -q2 and d(y'PPy)/dtau2 = -2 q3.)
 *
 * The estimators are metafor's (see fit.c for the formulas and the
 * convergence strategy); Q-profile intervals use q with k - p degrees of
 * freedom.
 */
#ifndef EVS_TAU2_INTERNAL_H
#define EVS_TAU2_INTERNAL_H

#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>
#include <stdbool.h>
#include <stddef.h>

#include "evsynth/model.h"

/*
 * Shared between the engine's files, but not part of its interface: kept
 * out of the shared library's symbol table (ctest install_outside checks
 * that libevsynth.so exports exactly what include/evsynth declares).
 */
#if defined(__GNUC__)
#define EVS_INTERNAL __attribute__((visibility("hidden")))
#else
#define EVS_INTERNAL
#endif

typedef struct evs_model_sums {
    double s1, s2, q, q2, q3, trp, trpp;
    double sumlog, logdet; /* only when asked for */
} evs_model_sums;

typedef struct evs_model evs_model;
struct evs_model {
    size_t k, p;
    const double *v;
    double ss; /* sum of squares of y about its (unweighted) mean */
    /* Fill *s at tau2; the log terms only when loglik is true. */
    void (*sums)(const evs_model *m, double tau2, bool loglik, evs_model_sums *s);
    /* Optional (NULL: sums is used): Q alone at tau2, the generalised Q
     * statistic that PM and the Q-profile solve for, at a fraction of the
     * cost of all the sums, and its derivative dQ/dtau2 into *dq. */
    double (*q)(const evs_model *m, double tau2, double *dq);
    /* Optional (NULL: sums is used): the ML (reml false) or REML score
     * alone, y'PPy - tr(W) or y'PPy - tr(P), for scans of its sign. */
    double (*score)(const evs_model *m, double tau2, bool reml);
    /* The HE estimate (not truncated). */
    double (*he)(const evs_model *m);
    void *data; /* the evaluator's own; it may keep caches there */
};

/* The solvers an estimate needs; owned by the workspaces of fit.c and metareg.c. */
/* Critical values cached per degrees of freedom below this. */
#define EVS_QUANTILE_CACHE 128

typedef struct evs_solvers {
    gsl_root_fsolver *brent;
    gsl_min_fminimizer *minimizer;
    /* Two-sided critical values at `level` (NaN: none yet): the normal's, and
     * t's and the chi-square's two tails by degrees of freedom.  A batch of
     * fits at one level computes each only once. */
    double level, z;
    double t[EVS_QUANTILE_CACHE], chisq_lo[EVS_QUANTILE_CACHE], chisq_hi[EVS_QUANTILE_CACHE];
} evs_solvers;

EVS_INTERNAL bool evs_solvers_init(evs_solvers *s);
EVS_INTERNAL void evs_solvers_free(evs_solvers *s);

/* Upper alpha/2 points, alpha = 1 - level/100: of N(0, 1) and of t with df. */
EVS_INTERNAL double evs_crit_z(evs_solvers *s, double level);
EVS_INTERNAL double evs_crit_t(evs_solvers *s, double level, double df);
/* The chi-square's lower and upper alpha/2 points with df (Q-profile). */
EVS_INTERNAL void evs_crit_chisq(evs_solvers *s, double level, double df, double *lo, double *hi);

typedef struct evs_tau2_result {
    double tau2;
    int iterations;
    bool converged;
    unsigned warnings; /* EVS_WARN_* */
} evs_tau2_result;

/*
 * Estimate tau2 with opt->method (FE gives 0).  s0 holds the model's sums at
 * tau2 = 0, which the caller has already computed for Q.
 */
EVS_INTERNAL void evs_tau2_estimate(const evs_model *m, const evs_model_sums *s0, double vt,
                       const evs_fit_options *opt, evs_solvers *sv, evs_tau2_result *r);

/*
 * Q-profile confidence interval for tau2 at opt->level: *lb and *ub, with
 * EVS_WARN_TAU2_CI_EMPTY / EVS_WARN_TAU2_CI_FAILED added to *warnings.
 */
EVS_INTERNAL void evs_tau2_qprofile(const evs_model *m, double vt, const evs_fit_options *opt,
                       evs_solvers *sv, double *lb, double *ub, unsigned *warnings);

/*
 * Inference on the coefficients of a model at its final tau2 (inference.c):
 * the factor s2w on their variances, the degrees of freedom (NaN under z)
 * and the two-sided critical value at the level, by test.  rss is
 * sum w (y - X b)^2 and df = k - p.  iq gives what IQWiG 6's rule compares
 * for the intercept-only model; NULL where the rule is not defined (a model
 * with moderators), which then gets adhoc's factor.  EVS_WARN_KNHA_ZERO is
 * added to *warnings when s2w is 0.
 */
typedef struct evs_iqwig6_model {
    const double *v; /* the k sampling variances */
    size_t k;
    double QE, vt; /* of the model */
    double var;    /* 1 / sum w, the unadjusted variance of the mean */
} evs_iqwig6_model;

typedef struct evs_inference {
    double s2w, df, crit;
} evs_inference;

EVS_INTERNAL void evs_inference_setup(evs_test test, double level, double rss, double df,
                                      const evs_iqwig6_model *iq, evs_solvers *sv,
                                      evs_inference *inf, unsigned *warnings);

/* The two-sided p-value of a z or t statistic (df NaN: z). */
EVS_INTERNAL double evs_inference_pval(const evs_inference *inf, double stat);

#endif
