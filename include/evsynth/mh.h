/*
 * mh.h -- the Mantel-Haenszel method for 2x2 tables, as metafor's rma.mh()
 * computes it (Mantel and Haenszel 1959; Greenland and Robins 1985):
 * pooled odds ratios (OR), risk ratios (RR) and risk differences (RD) from
 * the raw counts, without continuity corrections, so that studies with zero
 * cells count in full.  With N_i = a_i + b_i + c_i + d_i, n1 = a + b,
 * n2 = c + d:
 *
 *   OR  R/S, R = sum a d/N, S = sum b c/N; var(log OR) of Robins, Breslow
 *       and Greenland (1986): (sum P R_i/R^2 + sum (P S_i + Q R_i)/(R S) +
 *       sum Q S_i/S^2)/2, P = (a + d)/N, Q = (b + c)/N
 *   RR  R/S, R = sum a n2/N, S = sum c n1/N; var(log RR) of Greenland and
 *       Robins (1985): sum (n1 n2 (a + c)/N^2 - a c/N) / (R S)
 *   RD  sum (a n2 - c n1)/N / sum n1 n2/N, with Sato's variance as rma.mh
 *
 * Heterogeneity: Cochran's Q of the studies' own estimates yi, vi about the
 * pooled one, with escalc()'s defaults (1/2 added to every cell of a study
 * with a zero cell; studies with no events or only events in both groups
 * left out of Q), and I2 = (Q - df)/Q, H2 = Q/df as rma.mh reports them.
 * For OR also Cochran's and the Cochran-Mantel-Haenszel tests of no
 * association (with a continuity correction of 1/2 unless turned off), and
 * the Breslow-Day and Tarone tests of homogeneity.
 *
 * Nothing is allocated.
 */
#ifndef EVS_MH_H
#define EVS_MH_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/error.h"
#include "evsynth/measure.h"

typedef struct evs_mh_options {
    double level;  /* confidence level in percent; default 95 */
    bool correct;  /* continuity correction in the CMH and Cochran tests; default true */
} evs_mh_options;

typedef struct evs_mh_fit {
    evs_measure measure; /* OR, RR or RD */
    size_t k;            /* tables */
    size_t k_yi;         /* tables behind Q (some studies may lack an estimate of their own) */
    double level;
    double estimate, se, stat, pval, ci_lb, ci_ub; /* log OR, log RR or RD */
    double QE, QE_p, I2, H2;                        /* I2 in percent */
    int QE_df;
    /* OR only (NaN otherwise): Cochran's and the CMH test (1 df), the
     * Breslow-Day and Tarone tests (k_pos - 1 df, over the k_pos tables
     * with a positive expected count and events and non-events). */
    double CO, CO_p, CMH, CMH_p, BD, BD_p, TA, TA_p;
    size_t k_pos;
} evs_mh_fit;

/* The defaults documented in evs_mh_options. */
void evs_mh_options_default(evs_mh_options *opt);

/*
 * Pool the k tables ai, bi, ci, di (events and non-events in the first and
 * second group; escalc's names) with measure m (EVS_MEASURE_OR, _RR or _RD);
 * estimate and interval on the log scale for OR and RR, as a difference of
 * proportions for RD.  opt may be NULL for the defaults.  Errors, with err
 * filled:
 *   EVS_EINVAL  m not OR, RR or RD; a level outside (0, 100);
 *   EVS_EDATA   k = 0; counts that are not whole numbers from 0 to 2^53, or a group
 *               without patients (naming the 1-based study); an OR that is
 *               not estimable (R or S is 0: no table with events in the
 *               first group and non-events in the second, or none with the
 *               reverse); an RR that is not (no events in one of the groups
 *               of every table).
 * On error *fit is untouched.
 */
evs_status evs_mh(evs_measure m, const double *ai, const double *bi, const double *ci,
                  const double *di, size_t k, const evs_mh_options *opt, evs_mh_fit *fit,
                  evs_error *err);

#endif
