/*
 * measure.h -- effect-size measures as metafor's escalc() defines them.
 *
 * Each measure turns one row of study data into an observed outcome yi and
 * its sampling variance vi.  Names, inputs, bias corrections and the default
 * handling of zero cells follow metafor (Viechtbauer 2010, escalc()):
 *
 *   GEN   given yi with vi or sei
 *   MD    raw mean difference            m1i m2i sd1i sd2i n1i n2i
 *   SMD   Hedges' g (exact correction)   m1i m2i sd1i sd2i n1i n2i
 *   RR    log risk ratio                 ai ci + bi di or n1i n2i
 *   OR    log odds ratio                 ai ci + bi di or n1i n2i
 *   RD    risk difference                ai ci + bi di or n1i n2i
 *   MC    raw mean change                m1i m2i sd1i sd2i ni ri
 *   SMCC  standardized mean change, change-score SD   m1i m2i sd1i sd2i ni ri
 *   SMCR  standardized mean change, raw-score SD      m1i m2i sd1i ni ri
 *   MN    raw mean                       mi sdi ni
 *   PR    raw proportion                 xi ni
 *   PLO   logit proportion               xi ni
 *   PAS   arcsine square-root proportion xi ni
 *   PFT   Freeman-Tukey double arcsine   xi ni
 *
 * For MC, SMCC and SMCR, m1i is the mean at the first time point (before)
 * and m2i at the second (after): yi = m1i - m2i, so a fall in pain is
 * positive.
 */
#ifndef EVS_MEASURE_H
#define EVS_MEASURE_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/error.h"
#include "evsynth/studies.h"

typedef enum evs_measure {
    EVS_MEASURE_GEN,
    EVS_MEASURE_MD,
    EVS_MEASURE_SMD,
    EVS_MEASURE_RR,
    EVS_MEASURE_OR,
    EVS_MEASURE_RD,
    EVS_MEASURE_MC,
    EVS_MEASURE_SMCC,
    EVS_MEASURE_SMCR,
    EVS_MEASURE_MN,
    EVS_MEASURE_PR,
    EVS_MEASURE_PLO,
    EVS_MEASURE_PAS,
    EVS_MEASURE_PFT,
    EVS_MEASURE_COUNT
} evs_measure;

/* How escalc's "add" is applied to counts (metafor's "to" argument). */
typedef enum evs_add_to {
    EVS_ADD_ONLY0, /* only to studies with a zero cell (metafor's default) */
    EVS_ADD_ALL,   /* to every study */
    EVS_ADD_IF0ALL,/* to every study if any study has a zero cell */
    EVS_ADD_NONE
} evs_add_to;

typedef struct evs_escalc_options {
    double add;       /* default 1/2; NaN means metafor's default for the measure */
    evs_add_to to;    /* default EVS_ADD_ONLY0 */
} evs_escalc_options;

/* The computed outcomes, one entry per input row (caller-allocated, length k). */
typedef struct evs_effects {
    double *yi;
    double *vi;
    double *ni;            /* total sample size, NaN where unknown */
    bool *corrected;       /* true where "add" was applied to the counts */
    int *missing;          /* -1, or the evs_var that was missing (yi, vi NaN) */
} evs_effects;

/* "SMD" and "standardized mean difference (Hedges' g)"; "?" out of range.
 * The strings are static. */
const char *evs_measure_name(evs_measure m);
const char *evs_measure_description(evs_measure m);

/* Look up a measure by its metafor name; false if unknown. */
bool evs_measure_from_name(const char *name, evs_measure *m);

/* A space-separated list of the measure names, for messages and --help. */
const char *evs_measure_names(void);

/*
 * The variables a measure needs.  Writes at most n of them to vars and
 * returns how many there are (0 for a measure out of range).  Alternatives (vi or sei; bi or n1i; di or n2i)
 * are listed by their first form.
 */
size_t evs_measure_inputs(evs_measure m, evs_var *vars, size_t n);

/*
 * The alternative to input v of measure m (sei for vi; n1i for bi, n2i for
 * di), or EVS_VAR_COUNT when v has none or is not an input of m.
 */
evs_var evs_measure_alternative(evs_measure m, evs_var v);

/* True when the measure reads a variable, directly or as an alternative
 * (false for a measure out of range). */
bool evs_measure_uses(evs_measure m, evs_var v);

/* True for proportions and ratios, whose pooled values are back-transformed
 * (false for a measure out of range). */
bool evs_measure_is_transformed(evs_measure m);

/* add NaN (the measure's own default) and to = EVS_ADD_ONLY0, as escalc(). */
void evs_escalc_options_default(evs_escalc_options *opt);

/*
 * Compute yi and vi for every row of in into out's arrays (each with room
 * for in->k entries, owned by the caller); opt may be NULL for the
 * defaults.  A row with a missing input gets NaN outcomes and
 * out->missing[i] set; the fit leaves it out.  Errors, with err filled:
 *   EVS_EINVAL  an unknown measure;
 *   EVS_EDATA   a column the measure needs is absent (line 1), or an
 *               impossible value (a negative SD, events above n, r outside
 *               [-1, 1], a count that is not a whole number...), naming its
 *               line and column.
 * On error the rows before the failing one are filled, the rest untouched.
 */
evs_status evs_escalc(evs_measure m, const evs_studies *in,
                      const evs_escalc_options *opt, evs_effects *out, evs_error *err);

/*
 * metafor's exact bias-correction factor for a standardized mean difference
 * with m degrees of freedom: exp(lgamma(m/2) - log(sqrt(m/2)) - lgamma((m-1)/2))
 * (Hedges 1981).  NaN for m <= 1.
 */
double evs_hedges_correction(double m);

#endif
