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

#include "evs_error.h"

typedef enum evs_method {
    EVS_METHOD_FE,   /* common (fixed) effect: tau2 = 0 */
    EVS_METHOD_DL,   /* DerSimonian-Laird */
    EVS_METHOD_HE,   /* Hedges (variance components) */
    EVS_METHOD_HS,   /* Hunter-Schmidt */
    EVS_METHOD_SJ,   /* Sidik-Jonkman */
    EVS_METHOD_ML,   /* maximum likelihood */
    EVS_METHOD_REML, /* restricted maximum likelihood (default) */
    EVS_METHOD_EB,   /* empirical Bayes (Morris) */
    EVS_METHOD_PM,   /* Paule-Mandel */
    EVS_METHOD_COUNT
} evs_method;

typedef enum evs_test {
    EVS_TEST_Z,    /* normal distribution (metafor's default) */
    EVS_TEST_KNHA, /* Knapp-Hartung adjustment, t(k - 1) */
    EVS_TEST_COUNT
} evs_test;

/* Warnings a fit can raise; several may be set at once. */
enum {
    EVS_WARN_FALLBACK = 1u << 0,       /* scoring did not converge; bracketing search used */
    EVS_WARN_NOT_CONVERGED = 1u << 1,  /* the tau2 estimate did not converge */
    EVS_WARN_LL0 = 1u << 2,            /* the likelihood at tau2 = 0 was higher: set to 0 */
    EVS_WARN_TAU2_CI_EMPTY = 1u << 3,  /* Q-profile CI for tau2 is empty: set to [0, 0] */
    EVS_WARN_TAU2_CI_FAILED = 1u << 4, /* Q-profile search failed: bound(s) missing */
    EVS_WARN_KNHA_FE = 1u << 5,        /* Knapp-Hartung used with a common-effect model */
    EVS_WARN_KNHA_ZERO = 1u << 6,      /* Knapp-Hartung factor is 0: se is 0 */
    EVS_WARN_VI_RATIO = 1u << 7,       /* max(vi)/min(vi) >= 1e7: results may be unstable */
    EVS_WARN_GLOBAL_MAX = 1u << 8,     /* scoring stopped at tau2 = 0, a local maximum;
                                          a higher one exists and is reported */
    EVS_WARN_COUNT_ = 9
};

typedef struct evs_fit_options {
    evs_method method; /* default EVS_METHOD_REML */
    evs_test test;     /* default EVS_TEST_Z */
    double level;      /* confidence level in percent, in (0, 100); default 95 */
    bool tau2_ci;      /* compute the Q-profile CI for tau2, I2, H2 and the SE of tau2;
                          default true (refits inside diagnostics turn it off) */
    double tol;        /* relative convergence tolerance for tau2; default 1e-10 */
    int maxiter;       /* scoring iterations before the fallback; default 100 */
    int maxiter_root;  /* iterations of each bracketing search; default 200 */
    bool local_max;    /* ML/REML: keep the local maximum at tau2 = 0 where Fisher
                          scoring stops, as metafor does, instead of searching for a
                          higher one; default false */
    double tau2_init;  /* ML/REML/EB: where Fisher scoring starts; NaN (default) for
                          metafor's start, the HE estimate.  GOSH starts each subset
                          at its neighbour's estimate. */
} evs_fit_options;

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
 * variances.  EVS_EDATA with a message otherwise.
 */
evs_status evs_check_studies(const double *yi, const double *vi, size_t k, evs_error *err);

typedef struct evs_fit_workspace evs_fit_workspace;

evs_fit_workspace *evs_fit_workspace_alloc(void);
void evs_fit_workspace_free(evs_fit_workspace *ws);

void evs_fit_options_default(evs_fit_options *opt);

/*
 * Fit the model to yi[0..k), vi[0..k).  Needs k >= 2, finite yi and finite
 * vi > 0.  ws may be NULL, in which case a workspace is allocated for this
 * call.  On error, fit is left untouched.
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

evs_status evs_fit_point_rma(const double *yi, const double *vi, size_t k,
                             const evs_fit_options *opt, evs_fit_workspace *ws,
                             evs_fit_point *out, evs_error *err);

/* Weights in percent, as metafor's weights(): 100 w_i / sum(w). */
void evs_fit_weights(const evs_fit *fit, const double *vi, size_t k, double *weights);

const char *evs_method_name(evs_method m);
const char *evs_method_description(evs_method m);
bool evs_method_from_name(const char *name, evs_method *m);
const char *evs_method_names(void);

const char *evs_test_name(evs_test t);
bool evs_test_from_name(const char *name, evs_test *t);

/* One sentence for a single EVS_WARN_* bit; NULL for an unknown bit. */
const char *evs_fit_warning_text(unsigned bit);

/*
 * Confidence level in percent from a user's value, as metafor reads it:
 * values in (0, 1) are fractions (0.95), values in [1, 100) percents (95).
 * Returns NaN for anything else.
 */
double evs_level_percent(double level);

/*
 * I2 in percent of a random-effects model, 100 tau2 / (vt + tau2) (Higgins
 * and Thompson 2002, metafor's formula), kept in [0, 100]: with tau2 many
 * orders of magnitude above vt the division can round to just over 100.
 */
double evs_i2(double tau2, double vt);

/* I2 of a common-effect model, 100 (Q - df) / Q, kept in [0, 100] (0 when Q is 0). */
double evs_i2_q(double q, double df);

#endif
