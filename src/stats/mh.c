/*
 * mh.c -- the Mantel-Haenszel method (see mh.h), formula for formula as
 * metafor's rma.mh() (version 3.8) computes it.
 *
 * The tests of OR (rma.mh's CO, MH, BD and TA):
 *   Cochran  (|sum (a - n1 xt/N)| - cc)^2 / sum (n1/N)(n2/N) xt yt/N
 *   CMH      (|sum (a - n1 xt/N)| - cc)^2 / sum (n1/N)(n2/N) xt yt/(N - 1)
 *            (xt = a + c, yt = b + d; cc = 1/2 with the correction, the
 *            square taken of the difference as it is, as rma.mh does)
 *   Breslow-Day  sum (a - E)^2 (1/E + 1/(n1 - E) + 1/(xt - E) + 1/(N - n1 - xt + E))
 *            with E the expected count at the pooled odds ratio psi, the root
 *            of a quadratic: E = (A - sqrt(A^2 - 4 n1 xt psi (psi - 1)))/(2 (psi - 1)),
 *            A = psi (n1 + xt) + n2 - xt (E = n1 xt/N at psi = 1)
 *   Tarone   Breslow-Day - (sum (a - E))^2 / sum 1/(1/E + ...)
 * over the tables with E > 0 and events and non-events.
 */
#include "evsynth/mh.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#define COUNT_MAX 9007199254740992.0

void evs_mh_options_default(evs_mh_options *opt)
{
    opt->level = 95;
    opt->correct = true;
}

/*
 * One study's yi and vi as escalc() gives them by default (add 1/2 to every
 * cell when one is 0); false for a study with no events or only events in
 * both groups, which escalc's drop00 = TRUE leaves out.
 */
static bool study_effect(evs_measure m, double a, double b, double c, double d, double *yi,
                         double *vi)
{
    if ((a == 0 && c == 0) || (b == 0 && d == 0))
        return false;
    if (a == 0 || b == 0 || c == 0 || d == 0) {
        a += 0.5;
        b += 0.5;
        c += 0.5;
        d += 0.5;
    }
    double n1 = a + b, n2 = c + d;
    switch (m) {
    case EVS_MEASURE_OR:
        *yi = log(a * d / (b * c));
        *vi = 1 / a + 1 / b + 1 / c + 1 / d;
        break;
    case EVS_MEASURE_RR:
        *yi = log((a / n1) / (c / n2));
        *vi = 1 / a - 1 / n1 + 1 / c - 1 / n2;
        break;
    default: {
        double p1 = a / n1, p2 = c / n2;
        *yi = p1 - p2;
        *vi = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2;
        break;
    }
    }
    return true;
}

static void or_tests(const double *ai, const double *bi, const double *ci, const double *di,
                     size_t k, double psi, bool correct, evs_mh_fit *f)
{
    double num = 0, den_co = 0, den_mh = 0, sxt = 0, syt = 0;
    for (size_t i = 0; i < k; i++) {
        double n1 = ai[i] + bi[i], n2 = ci[i] + di[i], nn = n1 + n2;
        double xt = ai[i] + ci[i], yt = bi[i] + di[i];
        num += ai[i] - n1 / nn * xt;
        den_co += n1 / nn * (n2 / nn) * (xt * (yt / nn));
        den_mh += n1 / nn * (n2 / nn) * (xt * (yt / (nn - 1)));
        sxt += xt;
        syt += yt;
    }
    if (sxt == 0 || syt == 0) {
        f->CO = f->CO_p = f->CMH = f->CMH_p = NAN;
    } else {
        double t = fabs(num) - (correct ? 0.5 : 0);
        f->CO = t * t / den_co;
        f->CMH = t * t / den_mh;
        f->CO_p = gsl_cdf_chisq_Q(f->CO, 1);
        f->CMH_p = gsl_cdf_chisq_Q(f->CMH, 1);
    }
    double bd = 0, dev = 0, sinv = 0;
    size_t kpos = 0;
    for (size_t i = 0; i < k; i++) {
        double n1 = ai[i] + bi[i], n2 = ci[i] + di[i], nn = n1 + n2;
        double xt = ai[i] + ci[i], yt = bi[i] + di[i], e;
        if (psi == 1) {
            e = n1 / nn * xt;
        } else {
            double aa = psi * (n1 + xt) + (n2 - xt);
            double bb = sqrt(aa * aa - 4 * n1 * xt * psi * (psi - 1));
            e = (aa - bb) / (2 * (psi - 1));
        }
        if (!(e > 0 && xt > 0 && yt > 0))
            continue;
        kpos++;
        double s = 1 / e + 1 / (n1 - e) + 1 / (xt - e) + 1 / (e - n1 - xt + nn);
        bd += (ai[i] - e) * (ai[i] - e) * s;
        dev += ai[i] - e;
        sinv += 1 / s;
    }
    f->k_pos = kpos;
    f->BD = fmax(0, bd);
    f->TA = fmax(0, bd - dev * dev / sinv);
    if (kpos > 1) {
        f->BD_p = gsl_cdf_chisq_Q(f->BD, (double)kpos - 1);
        f->TA_p = gsl_cdf_chisq_Q(f->TA, (double)kpos - 1);
    } else {
        f->BD_p = f->TA_p = NAN;
    }
}

evs_status evs_mh(evs_measure m, const double *ai, const double *bi, const double *ci,
                  const double *di, size_t k, const evs_mh_options *opt, evs_mh_fit *fit,
                  evs_error *err)
{
    evs_mh_options defaults;
    if (opt == NULL) {
        evs_mh_options_default(&defaults);
        opt = &defaults;
    }
    if (m != EVS_MEASURE_OR && m != EVS_MEASURE_RR && m != EVS_MEASURE_RD)
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "the Mantel-Haenszel method pools OR, RR or RD (not %s)",
                             evs_measure_name(m));
    if (!(opt->level > 0 && opt->level < 100))
        return evs_error_set(err, EVS_EINVAL, 0, 0, "level must be between 0 and 100");
    if (k < 1)
        return evs_error_set(err, EVS_EDATA, 0, 0, "no studies to pool");
    double r = 0, s = 0, sa = 0, sc = 0, v1 = 0, v2 = 0, v3 = 0, w = 0;
    for (size_t i = 0; i < k; i++) {
        double cells[4] = {ai[i], bi[i], ci[i], di[i]};
        for (int j = 0; j < 4; j++)
            if (!(cells[j] >= 0 && cells[j] <= COUNT_MAX && cells[j] == floor(cells[j])))
                return evs_error_set(err, EVS_EDATA, 0, 0,
                                     "study %zu: the counts of a 2x2 table must be whole "
                                     "numbers of at least 0 (found %g)",
                                     i + 1, cells[j]);
        double n1 = ai[i] + bi[i], n2 = ci[i] + di[i], nn = n1 + n2;
        if (n1 < 1 || n2 < 1)
            return evs_error_set(err, EVS_EDATA, 0, 0,
                                 "study %zu: each group needs at least one patient", i + 1);
        double a = ai[i], b = bi[i], c = ci[i], d = di[i];
        sa += a;
        sc += c;
        switch (m) {
        case EVS_MEASURE_OR: {
            double p = a / nn + d / nn, q = b / nn + c / nn, ri = a / nn * d, si = b / nn * c;
            r += ri;
            s += si;
            v1 += p * ri;
            v2 += p * si + q * ri;
            v3 += q * si;
            break;
        }
        case EVS_MEASURE_RR:
            r += a * (n2 / nn);
            s += c * (n1 / nn);
            v1 += n1 / nn * (n2 / nn) * (a + c) - a / nn * c;
            break;
        default:
            r += a * (n2 / nn) - c * (n1 / nn);
            w += n1 * (n2 / nn);
            v1 += c * (n1 / nn) * (n1 / nn) - a * (n2 / nn) * (n2 / nn) +
                  n1 / nn * (n2 / nn) * (n2 - n1) / 2;
            v2 += a * (n2 - c) / nn + c * (n1 - a) / nn;
            break;
        }
    }
    evs_mh_fit f;
    memset(&f, 0, sizeof f);
    f.measure = m;
    f.k = k;
    f.level = opt->level;
    if (m == EVS_MEASURE_RD) {
        f.estimate = r / w;
        f.se = sqrt((f.estimate * v1 + v2 / 2) / (w * w));
    } else {
        if (m == EVS_MEASURE_RR && (sa == 0 || sc == 0))
            return evs_error_set(err, EVS_EDATA, 0, 0,
                                 "the Mantel-Haenszel risk ratio is not estimable: no events in "
                                 "the %s group of any study",
                                 sa == 0 ? "first" : "second");
        if (r == 0 || s == 0)
            return evs_error_set(err, EVS_EDATA, 0, 0,
                                 "the Mantel-Haenszel odds ratio is not estimable: it is %s "
                                 "(no study has %s)",
                                 r == 0 ? "0" : "infinite",
                                 r == 0 ? "events in the first group and non-events in the "
                                          "second"
                                        : "non-events in the first group and events in the "
                                          "second");
        f.estimate = log(r / s);
        f.se = m == EVS_MEASURE_OR ? sqrt(0.5 * (v1 / (r * r) + v2 / (r * s) + v3 / (s * s)))
                                   : sqrt(v1 / (r * s));
    }
    double crit = gsl_cdf_ugaussian_Qinv((1 - opt->level / 100) / 2);
    f.stat = f.estimate / f.se;
    f.pval = 2 * gsl_cdf_ugaussian_Q(fabs(f.stat));
    f.ci_lb = f.estimate - crit * f.se;
    f.ci_ub = f.estimate + crit * f.se;

    double q = 0;
    size_t kyi = 0;
    for (size_t i = 0; i < k; i++) {
        double yi, vi;
        if (!study_effect(m, ai[i], bi[i], ci[i], di[i], &yi, &vi))
            continue;
        q += (yi - f.estimate) * (yi - f.estimate) / vi;
        kyi++;
    }
    f.k_yi = kyi;
    f.QE_df = kyi > 0 ? (int)kyi - 1 : 0;
    if (kyi > 1) {
        f.QE = fmax(0, q);
        f.QE_p = gsl_cdf_chisq_Q(f.QE, (double)kyi - 1);
        f.I2 = f.QE > 0 ? fmax(0, 100 * (f.QE - ((double)kyi - 1)) / f.QE) : 0;
        f.H2 = f.QE / ((double)kyi - 1);
    } else {
        f.QE = 0;
        f.QE_p = 1;
        f.I2 = 0;
        f.H2 = 1;
    }
    if (m == EVS_MEASURE_OR) {
        or_tests(ai, bi, ci, di, k, r / s, opt->correct, &f);
    } else {
        f.CO = f.CO_p = f.CMH = f.CMH_p = f.BD = f.BD_p = f.TA = f.TA_p = NAN;
        f.k_pos = 0;
    }
    *fit = f;
    return EVS_OK;
}
