/*
 * fit.h -- common-effect and random-effects models for k study outcomes
 * (metafor's rma.uni() without moderators).
 *
 * Model: y_i = mu + u_i + e_i, e_i ~ N(0, v_i) with v_i known, u_i ~ N(0, tau2).
 * tau2 is 0 for the common-effect model (FE) and estimated otherwise by one
 * of metafor's estimators (DL, HE, HS, SJ, ML, REML, EB, PM).  mu is estimated
 * by inverse-variance weighting with w_i = 1/(v_i + tau2); inference uses the
 * normal distribution (test "z") or the Knapp-Hartung adjustment with a t
 * distribution on k - 1 degrees of freedom (test "knha").
 *
 * The fitting functions do not allocate: pass a workspace from
 * evs_fit_workspace_alloc(), which holds the root-finding solver, and reuse
 * it for any number of fits (one per thread).
 */
#ifndef EVS_FIT_H
#define EVS_FIT_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/error.h"
#include "evsynth/model.h"

typedef struct evs_fit {
    evs_method method;
    evs_test test;
    double level; /* percent */
    size_t k;

    double estimate, se, stat, pval, ci_lb, ci_ub;
    double df;           /* t degrees of freedom under knha; NaN under z */
    double pi_lb, pi_ub; /* prediction interval; NaN for FE */

    double tau2, se_tau2;
    double tau2_ci_lb, tau2_ci_ub; /* Q-profile; NaN for FE or when not requested */
    double I2, I2_ci_lb, I2_ci_ub; /* percent */
    double H2, H2_ci_lb, H2_ci_ub;
    double QE, QE_p;
    int QE_df;
    double vt;    /* "typical" within-study variance (metafor's vt) */
    double sum_w; /* sum of 1/(vi + tau2): the weights' denominator */
    double s2w;   /* Knapp-Hartung factor applied to var(estimate); 1 under z */

    int iterations; /* of the tau2 estimate (0 for closed forms) */
    bool converged;
    unsigned warnings; /* EVS_WARN_* bits */
} evs_fit;

/*
 * The inputs every model accepts.  Beyond these limits some of the sums the
 * estimators need (up to w^3 r^2, with w = 1/vi) overflow or lose every
 * significant digit in double precision; no real effect size comes close.
 */
#define EVS_YI_MAX 1e50        /* |yi| */
#define EVS_VI_MIN 1e-50       /* vi */
#define EVS_VI_MAX 1e50
#define EVS_VI_RATIO_MAX 1e15 /* max(vi) / min(vi): past it, sum(w) - sum(w^2)/sum(w) is 0 */

/*
 * Check one study's yi and vi against those limits (both finite, vi > 0).
 * On failure: EVS_EDATA, a message without position, and *bad_vi telling
 * whether vi (rather than yi) is at fault, so that a reader can point at
 * the right cell.
 */
evs_status evs_check_study(double yi, double vi, bool *bad_vi, evs_error *err);

/*
 * Every study (named by its 1-based position) and the spread of the
 * variances (at most EVS_VI_RATIO_MAX).  EVS_EDATA with a message otherwise;
 * err may be NULL.
 */
evs_status evs_check_studies(const double *yi, const double *vi, size_t k, evs_error *err);

typedef struct evs_fit_workspace evs_fit_workspace;

/*
 * Scratch for fits of any k (it grows to the largest k seen) and the cached
 * critical values: one per thread, reused across fits so that a loop of fits
 * does not allocate.  NULL when out of memory.  evs_fit_workspace_free(NULL)
 * is a no-op.
 */
evs_fit_workspace *evs_fit_workspace_alloc(void);
void evs_fit_workspace_free(evs_fit_workspace *ws);

/*
 * Fit the model to yi[0..k), vi[0..k) (outcomes on the measure's analysis
 * scale and their sampling variances, in that scale's squared units).
 * opt may be NULL for the defaults; ws may be NULL, in which case a
 * workspace is allocated and freed for this call.  Errors, with err filled:
 *   EVS_EINVAL  options outside their domains (evs_fit_options_check());
 *   EVS_EDATA   k < 2, a yi or vi outside the limits above
 *               (evs_check_studies()), or a model whose sums overflow;
 *   EVS_ENOMEM  out of memory.
 * On error, fit is left untouched.
 *
 * Every field is computed even when the tau2 estimate did not converge;
 * fit->converged and fit->warnings then say so, and callers must show it.
 */
evs_status evs_fit_rma(const double *yi, const double *vi, size_t k,
                       const evs_fit_options *opt, evs_fit_workspace *ws, evs_fit *fit,
                       evs_error *err);

/*
 * The point results of a fit without its inference (no standard errors,
 * p-values or intervals): what refitting thousands of subsets (GOSH) needs.
 * The same computation as evs_fit_rma() up to that point.
 */
typedef struct evs_fit_point {
    double estimate, tau2, QE, I2, vt;
    int iterations;
    bool converged;
    unsigned warnings;
} evs_fit_point;

/*
 * evs_fit_rma()'s point results.  Needs what evs_fit_rma() needs; ws NULL
 * allocates one for the call.  Errors: EVS_EDATA (k < 2, bad yi or vi),
 * EVS_EINVAL (options), EVS_ENOMEM; out is then left untouched.
 */
evs_status evs_fit_point_rma(const double *yi, const double *vi, size_t k,
                             const evs_fit_options *opt, evs_fit_workspace *ws,
                             evs_fit_point *out, evs_error *err);

/*
 * The predicted probability of an effect beyond c in a new setting: the
 * share of true effects above c (above) or below it, from the predictive
 * distribution mu + sqrt(se^2 + tau2) T with T ~ N(0, 1) under test z and
 * t(df) under the Knapp-Hartung tests (metafor 5.x predict(prob = ">c"),
 * R meta's cidprop(); Siemens et al. 2025); tau2 counts as 0 for FE.  c on
 * the analysis scale.  Upper tails are computed directly, never as 1 - P.
 * NaN when c or the fit's numbers are NaN.
 */
double evs_fit_prob(const evs_fit *fit, double c, bool above);

/*
 * Weights in percent, as metafor's weights(): 100 w_i / sum(w), w_i =
 * 1/(vi[i] + tau2), into the caller's weights[0..k); vi the variances the
 * fit was made with.  Never fails.
 */
void evs_fit_weights(const evs_fit *fit, const double *vi, size_t k, double *weights);

/*
 * I2 in percent of a random-effects model, 100 tau2 / (vt + tau2) (Higgins
 * and Thompson 2002, metafor's formula), kept in [0, 100]: with tau2 many
 * orders of magnitude above vt the division can round to just over 100.
 */
double evs_i2(double tau2, double vt);

/* I2 of a common-effect model, 100 (Q - df) / Q, kept in [0, 100] (0 when Q is 0). */
double evs_i2_q(double q, double df);

#endif
