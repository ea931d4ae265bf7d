/*
 * transf.h -- back-transformations of pooled values for display, as
 * metafor's transf.* functions compute them.
 *
 *   PLO        inverse logit                       transf.ilogit
 *   PAS        sin(x)^2, clipped to [0, 1]         transf.iarcsin
 *   PFT        Miller's (1978) inverse, with the harmonic mean of the
 *              studies' sample sizes               transf.ipft.hm
 *   RR, OR     exp                                 exp
 *
 * Other measures are shown as they are.
 */
#ifndef EVS_TRANSF_H
#define EVS_TRANSF_H

#include <stddef.h>

#include "evsynth/measure.h"

/* metafor's transf.ilogit (1 / (1 + e^-x)) and transf.iarcsin (sin(x)^2,
 * x clamped to [0, pi/2] as metafor does). */
double evs_transf_ilogit(double x);
double evs_transf_iarcsin(double x);

/* Freeman-Tukey transform of a proportion p with sample size n (transf.pft). */
double evs_transf_pft(double p, double n);

/* Miller's inverse of the Freeman-Tukey transform for sample size n (transf.ipft). */
double evs_transf_ipft(double x, double n);

/* Harmonic mean of the finite, positive values of n[0..k); NaN if none. */
double evs_harmonic_mean(const double *n, size_t k);

/*
 * Back-transform a value on the analysis scale of measure m.  nhm is the
 * harmonic mean sample size (used by PFT only).
 */
double evs_backtransform(evs_measure m, double x, double nhm);

/* The name of the back-transformed scale, e.g. "proportion", "risk ratio"; NULL if none. */
const char *evs_backtransform_scale(evs_measure m);

#endif
