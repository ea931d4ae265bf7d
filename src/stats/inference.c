/*
 * inference.c -- inference on the coefficients of a fitted model, shared by
 * the intercept-only fit (fit.c) and meta-regression (metareg.c), as
 * metafor's rma.uni() does it (see tau2_internal.h):
 *
 *   z      normal critical values, var(b) = (X'WX)^-1
 *   knha   var(b) *= s2w = sum w (y - X b)^2 / (k - p), t with k - p df
 *          (Knapp & Hartung 2003; not truncated, as metafor)
 *   adhoc  knha with s2w at least 1 (metafor's test = "adhoc")
 *   IQWiG6 knha, but the unadjusted variance when the Knapp-Hartung interval
 *          of the mean is narrower than the DerSimonian-Laird random-effects
 *          one (R meta's adhoc.hakn.ci = "IQWiG6"); for a model with
 *          moderators, where the rule is not defined, as adhoc.
 */
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "tau2_internal.h"

void evs_inference_setup(evs_test test, double level, double rss, double df,
                         const evs_iqwig6_model *iq, evs_solvers *sv, evs_inference *inf,
                         unsigned *warnings)
{
    if (!evs_test_is_knha(test)) {
        inf->s2w = 1;
        inf->df = NAN;
        inf->crit = evs_crit_z(sv, level);
        return;
    }
    /* an rss of rounding noise is 0: every estimate equal */
    inf->s2w = rss > DBL_EPSILON ? rss / df : 0;
    inf->df = df;
    inf->crit = evs_crit_t(sv, level, df);
    if (test == EVS_TEST_IQWIG6 && iq != NULL) {
        /* tau2_DL from QE and vt, (QE - (k - 1)) vt / (k - 1) truncated at 0;
         * meta applies the rule whatever s2w is, and so does evsynth */
        double kk = (double)iq->k;
        double tau2_dl = fmax(0, (iq->QE - (kk - 1)) * iq->vt / (kk - 1)), sw_dl = 0;
        for (size_t i = 0; i < iq->k; i++)
            sw_dl += 1 / (iq->v[i] + tau2_dl);
        double width_hk = 2 * inf->crit * sqrt(inf->s2w * iq->var);
        double width_dl = 2 * evs_crit_z(sv, level) / sqrt(sw_dl);
        if (width_hk < width_dl)
            inf->s2w = 1;
    } else if ((test == EVS_TEST_ADHOC || test == EVS_TEST_IQWIG6) && inf->s2w < 1) {
        inf->s2w = 1; /* metafor: s2w[s2w < 1] <- 1, the case s2w = 0 included */
    }
    if (inf->s2w == 0)
        *warnings |= EVS_WARN_KNHA_ZERO;
}

double evs_inference_pval(const evs_inference *inf, double stat)
{
    return isnan(inf->df) ? 2 * gsl_cdf_ugaussian_Q(fabs(stat))
                          : 2 * gsl_cdf_tdist_Q(fabs(stat), inf->df);
}
