/*
 * glmm.h -- binomial-normal mixed models for proportions and odds ratios,
 * fitted by maximum likelihood as metafor's rma.glmm(method = "ML") fits
 * them through lme4's glmer() (nAGQ adaptive Gauss-Hermite points).
 *
 * PLO, rma.glmm(measure = "PLO"): the random-intercept logistic model
 * (Hamza, van Houwelingen and Stijnen 2008; Stijnen, Hamza and Ozdemir 2010)
 *
 *     x_i ~ Bin(n_i, expit(mu + u_i)),  u_i ~ N(0, tau2),
 *
 * mu the pooled logit.  No continuity correction: 0 of n and n of n are
 * ordinary data.
 *
 * OR, rma.glmm(measure = "OR", model = "UM.FS"), metafor's default: the
 * unconditional model with fixed study effects alpha_i and a random
 * treatment effect, coded +-1/2 (Turner et al. 2000; metafor's coding = 1/2)
 *
 *     a_i ~ Bin(a_i + b_i, expit(alpha_i + mu + u_i/2)),
 *     c_i ~ Bin(c_i + d_i, expit(alpha_i - u_i/2)),  u_i ~ N(0, tau2),
 *
 * mu the pooled log odds ratio.  Studies with no events in either arm, or
 * only events in both, carry no information on the odds ratio and are left
 * out, as rma.glmm's drop00 = TRUE does.
 *
 * The likelihood of each study is an integral over u_i, approximated as
 * lme4 does for nAGQ > 1 (adaptive Gauss-Hermite quadrature, Pinheiro and
 * Bates 1995): nodes centred at the study's conditional mode and scaled by
 * the curvature there; nAGQ = 1 is the Laplace approximation.  (mu, tau) and
 * the study effects are found by Newton's method on the exact gradient of
 * that approximation, with a finite-difference Hessian, which also gives
 * the standard error of mu (as lme4's vcov() does for nAGQ > 0).
 *
 * Heterogeneity, as rma.glmm reports it:
 *   QE_wald  Wald test of the common-effect model against the saturated one
 *            (a parameter per study): sum w (y - ybar_w)^2 with the studies'
 *            own logits (log odds ratios) y and w = 1/var without correction,
 *            a study with a zero cell having weight 0 (the limit glm() tends to)
 *   QE_lrt   -2 (loglik of the common-effect model - loglik saturated)
 *   both chi-square with k - 1 degrees of freedom;
 *   I2 = 100 tau2 / (tau2 + vt), H2 = tau2/vt + 1, vt = (k - 1) sum w /
 *            ((sum w)^2 - sum w^2), w = 1/vi from escalc()'s vi with 1/2
 *            added to the cells of studies with a zero cell (metafor's I2 for
 *            rma.glmm; the only place a correction enters).
 * Intervals: mu +- crit se, the prediction interval mu +- crit sqrt(se^2 +
 * tau2), crit from N(0, 1), or from t(k - 1) with t_dist (rma.glmm test="t").
 *
 * The common-effect model alone (common_effect, rma.glmm's method = "FE"):
 * logistic regression without a random effect (PLO: the pooled logit is
 * log(sum x / (sum n - sum x)) in closed form), reported as metafor does,
 * with tau2 = 0, I2 = 0, H2 = 1, the heterogeneity tests, and no prediction
 * interval; it is also the model of one study, which rma.glmm fits only
 * this way (its random-effects fit refuses k = 1: "Number of parameters to
 * be estimated is larger than the number of observations").
 *
 * Common-effect fallback (as R meta does when rma.glmm fails): when tau2 is
 * estimated as 0 the model is the common-effect model and is reported as
 * such (common_effect, EVS_GLMM_WARN_TAU2_ZERO); with one study, or when the
 * random-effects fit does not converge, the common-effect model is reported
 * with a warning saying why, tau2 and the prediction interval being NaN.
 *
 * The fitting functions do not allocate when given a workspace.
 */
#ifndef EVS_GLMM_H
#define EVS_GLMM_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/error.h"
#include "evsynth/measure.h"

/* Most Gauss-Hermite points per study (lme4 allows up to 25). */
#define EVS_GLMM_NAGQ_MAX 25

typedef struct evs_glmm_options {
    int nagq;          /* Gauss-Hermite points, 1 (Laplace) to EVS_GLMM_NAGQ_MAX; default 7,
                          metafor's and meta's */
    double level;      /* confidence level in percent; default 95 */
    bool t_dist;       /* tests and intervals from t(k - 1) (rma.glmm test = "t"); default
                          false: N(0, 1) */
    double tol;        /* Newton's method stops when every step is below tol times
                          max(1, |parameter|); default 1e-10 */
    int maxiter;       /* Newton iterations; default 200 */
    double mode_tol;   /* the same for each study's conditional mode; default 1e-13 */
    int mode_maxiter;  /* default 100 */
    double tau_max;    /* tau beyond which the fit is taken to diverge; default 50 */
    bool common_effect; /* fit the common-effect model only (rma.glmm method = "FE"): tau2
                           0, I2 0, H2 1 (NaN for k = 1), no prediction interval, any
                           k >= 1; default false */
} evs_glmm_options;

/* Warnings a GLMM fit can raise; several may be set at once. */
enum {
    EVS_GLMM_WARN_TAU2_ZERO = 1u << 0,     /* tau2 estimated as 0: common-effect model */
    EVS_GLMM_WARN_ONE_STUDY = 1u << 1,     /* one study: common-effect model only */
    EVS_GLMM_WARN_FALLBACK = 1u << 2,      /* the random-effects fit failed: common effect */
    EVS_GLMM_WARN_NOT_CONVERGED = 1u << 3, /* the common-effect fit did not converge either */
    EVS_GLMM_WARN_DROPPED = 1u << 4,       /* OR: studies without information left out */
    EVS_GLMM_WARN_COUNT_ = 5
};

typedef struct evs_glmm_fit {
    evs_measure measure; /* EVS_MEASURE_PLO or EVS_MEASURE_OR */
    size_t k;            /* studies in the model */
    size_t k_dropped;    /* OR: studies left out (no events, or only events, in both arms) */
    int nagq;
    double level;        /* percent */
    bool common_effect;  /* the result is the common-effect model's (see above) */

    double estimate, se, stat, pval, ci_lb, ci_ub; /* logit or log odds ratio */
    double df;           /* t degrees of freedom; NaN under N(0, 1) */
    double pi_lb, pi_ub; /* prediction interval; NaN when tau2 is */
    double tau2;         /* ML estimate; 0 or NaN for the common-effect model (see above) */

    double QE_wald, QE_wald_p, QE_lrt, QE_lrt_p; /* NaN for one study */
    int QE_df;
    double vt, I2, H2;   /* percent for I2; NaN for one study */

    /* Log-likelihoods with the binomial coefficients: of the model reported,
     * of the common-effect model and of the saturated model. */
    double loglik, loglik_ce, loglik_sat;
    double ce_estimate, ce_se; /* the common-effect model's */

    int iterations;      /* Newton iterations of the random-effects fit */
    bool converged;
    unsigned warnings;   /* EVS_GLMM_WARN_* */
} evs_glmm_fit;

typedef struct evs_glmm_workspace evs_glmm_workspace;

/*
 * A workspace for fits of k studies; a fit with more studies grows it
 * (EVS_ENOMEM when that fails, the workspace then as it was).  NULL when
 * out of memory.  evs_glmm_workspace_free(NULL) does nothing.  One per
 * thread.
 */
evs_glmm_workspace *evs_glmm_workspace_alloc(size_t k);
void evs_glmm_workspace_free(evs_glmm_workspace *ws);

/* The defaults documented in evs_glmm_options. */
void evs_glmm_options_default(evs_glmm_options *opt);

/*
 * The model for proportions: xi[i] events among ni[i] (whole numbers,
 * 0 <= xi <= ni, 1 <= ni <= 2^53), k >= 1.  opt may be NULL for the defaults, ws
 * NULL for a workspace of this call (allocated and freed here).  Results on
 * the logit scale.  Errors, with err filled:
 *   EVS_EINVAL  options outside their ranges (nagq, a level outside
 *               (0, 100), tolerances, iteration limits or tau_max not
 *               positive);
 *   EVS_EDATA   k = 0, a count that is not as above (naming the 1-based
 *               study), or no study with an event, or every patient with
 *               the event (the pooled logit is then -inf or +inf: not
 *               estimable);
 *   EVS_ENOMEM  out of memory.
 * On error *fit is untouched.  A random-effects fit that fails or does not
 * converge is not an error: the common-effect model is reported with the
 * warning bits saying why (see above).
 */
evs_status evs_glmm_plo(const double *xi, const double *ni, size_t k,
                        const evs_glmm_options *opt, evs_glmm_workspace *ws, evs_glmm_fit *fit,
                        evs_error *err);

/*
 * The model for odds ratios, from the 2x2 tables ai, bi (events and
 * non-events, first group), ci, di (second group), escalc's names: whole
 * numbers from 0 to 2^53, each group with at least one patient, k >= 1.  Studies
 * without information are dropped (k_dropped).  Results on the log odds
 * ratio scale.  opt and ws as for evs_glmm_plo(), and its errors, with
 * EVS_EDATA also when no study is left, or when the odds ratio has no
 * finite estimate (no study with an event in the first group and a
 * non-event in the second, or the reverse).  On error *fit is untouched.
 */
evs_status evs_glmm_or(const double *ai, const double *bi, const double *ci, const double *di,
                       size_t k, const evs_glmm_options *opt, evs_glmm_workspace *ws,
                       evs_glmm_fit *fit, evs_error *err);

/* One sentence for a single EVS_GLMM_WARN_* bit; NULL for an unknown bit. */
const char *evs_glmm_warning_text(unsigned bit);

/*
 * The nagq-point Gauss-Hermite rule for the standard normal density (lme4's
 * GHrule(nagq)): nodes z[0..nagq) in increasing order and weights w summing
 * to 1, exact for polynomials of degree up to 2 nagq - 1.  false when nagq
 * is outside 1..EVS_GLMM_NAGQ_MAX.
 */
bool evs_gauss_hermite(int nagq, double *z, double *w);

#endif
