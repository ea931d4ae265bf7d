/*
 * bayes.h -- the Bayesian normal-normal random-effects model, computed as
 * the R package bayesmeta computes it (Röver 2020, J Stat Softw 93(6)): by
 * one-dimensional numerical integration over tau, no sampling.
 *
 *   y_i | theta_i ~ N(theta_i, v_i),  theta_i | mu, tau ~ N(mu, tau^2)
 *   mu:  flat (improper uniform) or N(mu_mean, mu_sd^2)
 *   tau: half-normal or half-Cauchy with a scale, the weakly informative
 *        priors recommended for few studies (Friede et al. 2017, Biom J;
 *        Röver et al. 2021, Res Synth Methods: half-normal with scale 0.5
 *        for log odds ratios)
 *
 * With mu integrated out analytically (Röver 2020, section 2.2), w_i =
 * 1/(v_i + tau^2), W = sum w (+ 1/mu_sd^2 with the normal prior) and m =
 * (sum w y (+ mu_mean/mu_sd^2)) / W,
 *
 *   p(tau | y) ~ p(tau) prod (v_i + tau^2)^(-1/2) W^(-1/2)
 *                exp(-[sum w (y - m)^2 (+ (m - mu_mean)^2/mu_sd^2)]/2),
 *   mu | tau, y        ~ N(m(tau), 1/W(tau)),
 *   theta_new | tau, y ~ N(m(tau), 1/W(tau) + tau^2)  (the predictive distribution),
 *
 * and the marginal posteriors of mu and theta_new are mixtures of those
 * normals over p(tau | y).  The integral over tau in [0, inf) is taken with
 * tau = s t/(1 - t), s the prior scale, by adaptive Gauss-Kronrod (7/15
 * points) quadrature on t in [0, 1] to a relative error of rel_tol; every
 * summary below (medians, intervals, probabilities) is a sum over those
 * nodes, and quantiles are roots of those sums.
 *
 * The workspace holds the nodes of the last fit, so that probabilities
 * (evs_bayes_prob) can be asked of it afterwards.  Nothing is allocated
 * after evs_bayes_workspace_alloc().
 */
#ifndef EVS_BAYES_H
#define EVS_BAYES_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/error.h"

typedef enum evs_tau_prior {
    EVS_TAU_PRIOR_HALFNORMAL, /* 2 phi(tau/s)/s (default) */
    EVS_TAU_PRIOR_HALFCAUCHY, /* 2 / (pi s (1 + (tau/s)^2)) */
    EVS_TAU_PRIOR_COUNT
} evs_tau_prior;

typedef enum evs_mu_prior {
    EVS_MU_PRIOR_FLAT,   /* improper uniform (default; bayesmeta's default) */
    EVS_MU_PRIOR_NORMAL, /* N(mu_mean, mu_sd^2) */
    EVS_MU_PRIOR_COUNT
} evs_mu_prior;

typedef enum evs_interval {
    EVS_INTERVAL_CENTRAL,  /* equal tails (default) */
    EVS_INTERVAL_SHORTEST, /* shortest (bayesmeta's default) */
    EVS_INTERVAL_COUNT
} evs_interval;

typedef struct evs_bayes_options {
    evs_tau_prior tau_prior; /* default half-normal */
    double tau_scale;        /* > 0; default 0.5 (log odds ratio scale: set it for the outcome) */
    evs_mu_prior mu_prior;   /* default flat */
    double mu_mean, mu_sd;   /* for the normal prior; default 0 and NaN (must be set) */
    double level;            /* credible level in percent; default 95 */
    evs_interval interval;   /* default central */
    double rel_tol;          /* relative error of the integral over tau; default 1e-11 */
    double quantile_tol;     /* quantiles to this relative accuracy; default 1e-12 */
} evs_bayes_options;

/* Warnings; several may be set at once. */
enum {
    EVS_BAYES_WARN_INTEGRAL = 1u << 0, /* the integral did not reach rel_tol within the
                                          workspace's subintervals */
    EVS_BAYES_WARN_COUNT_ = 1
};

typedef struct evs_bayes_fit {
    size_t k;
    double level;                      /* percent */
    evs_interval interval;
    double mu_median, mu_mean, mu_sd;  /* mu_sd NaN where the posterior variance is infinite
                                          (half-Cauchy prior with k < 3, or k < 2 and a
                                          normal prior on mu) */
    double mu_lb, mu_ub;               /* credible interval */
    double tau_median, tau_lb, tau_ub; /* tau's posterior median and credible interval */
    double pred_median, pred_lb, pred_ub; /* predictive distribution of a new study's effect */
    int intervals;                     /* subintervals of the integral */
    int nodes;                         /* quadrature nodes */
    bool converged;
    unsigned warnings;                 /* EVS_BAYES_WARN_* */
} evs_bayes_fit;

typedef struct evs_bayes_workspace evs_bayes_workspace;

/*
 * A workspace for fits of up to k studies with up to max_intervals
 * subintervals (0 or less for the default, 256; at least 8).  It is sized
 * once and never grows.  NULL when out of memory.
 * evs_bayes_workspace_free(NULL) does nothing.  One per thread.
 */
evs_bayes_workspace *evs_bayes_workspace_alloc(size_t k, int max_intervals);
void evs_bayes_workspace_free(evs_bayes_workspace *ws);

/* The defaults documented in evs_bayes_options. */
void evs_bayes_options_default(evs_bayes_options *opt);

/*
 * "half-normal", "half-Cauchy" ("?" out of range; static strings), and back:
 * an exact match, case included; false, with *p untouched, when unknown.
 */
const char *evs_tau_prior_name(evs_tau_prior p);
bool evs_tau_prior_from_name(const char *name, evs_tau_prior *p);

/*
 * Fit the model to y[0..k), v[0..k) (on the measure's analysis scale:
 * finite y, finite v > 0, k >= 1); opt NULL for the defaults.  Errors, with
 * err filled:
 *   EVS_EINVAL  bad options (an unknown prior or interval, a tau scale that
 *               is not positive and finite, a normal prior on mu without a
 *               finite mu_mean and mu_sd > 0, a level outside (0, 100), a
 *               tolerance that is not positive), or ws NULL or holding fewer
 *               than k studies;
 *   EVS_EDATA   k = 0, a y that is not finite or a v that is not finite and
 *               positive (naming the 1-based study), or a posterior that
 *               cannot be integrated in double precision.
 * On error *fit is untouched.  ws keeps its previous fit after an error in
 * the arguments; after the integral fails it holds none (evs_bayes_prob()
 * and evs_bayes_quantile() give NaN).  A fit whose integral did not reach
 * rel_tol is not an error: converged is false and EVS_BAYES_WARN_INTEGRAL
 * is set.  Allocates nothing.
 */
evs_status evs_bayes_fit_rma(const double *y, const double *v, size_t k,
                             const evs_bayes_options *opt, evs_bayes_workspace *ws,
                             evs_bayes_fit *fit, evs_error *err);

typedef enum evs_bayes_quantity {
    EVS_BAYES_MU,   /* the overall effect mu */
    EVS_BAYES_PRED, /* a new study's effect theta_new */
    EVS_BAYES_TAU   /* the heterogeneity tau */
} evs_bayes_quantity;

/*
 * After a successful evs_bayes_fit_rma() with ws: the posterior probability
 * that the quantity exceeds c (above) or falls below it, e.g. P(mu > MCID),
 * or for a harm on the logit scale P(mu > logit(threshold)); c on the
 * analysis scale (tau: the scale's units).  For mu and theta_new both tails
 * are summed directly over the mixture (no 1 - P), so that 1e-12 keeps its
 * digits; tau's upper tail is 1 - P(tau <= c), to about 1e-16 absolute.
 * NaN when ws is NULL or holds no fit, or c is NaN.
 */
double evs_bayes_prob(const evs_bayes_workspace *ws, evs_bayes_quantity q, double c,
                      bool above);

/*
 * The p-quantile of the quantity's posterior after a successful fit with
 * ws, to opt.quantile_tol relative; NaN when ws is NULL or holds no fit, or
 * p is not in (0, 1).
 */
double evs_bayes_quantile(const evs_bayes_workspace *ws, evs_bayes_quantity q, double p);

#endif
