/*
 * plausibility.c -- numbers that are unlikely or impossible (see
 * plausibility.h).
 */
#include "review/plausibility.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "evsynth/measure.h"
#include "review/dataset.h"
#include "review/trace.h"

/* The outcome spec whose data (or "<data>_change") this observation reports. */
static const evs_outcome_spec *scored_spec(const evs_review *rv, const evs_obs *o, bool *change)
{
    for (size_t k = 0; k < rv->noutcomes; k++) {
        const evs_outcome_spec *spec = &rv->outcomes[k];
        if (spec->data == NULL || isnan(spec->scale_min) || isnan(spec->scale_max))
            continue;
        size_t n = strlen(spec->data);
        *change = strncmp(o->outcome, spec->data, n) == 0 && strcmp(o->outcome + n, "_change") == 0;
        if (strcmp(o->outcome, spec->data) == 0 || *change)
            return spec;
    }
    return NULL;
}

/*
 * The largest SD n values can have on [lo, hi]: half of them at each end,
 * (hi - lo)/2, times sqrt(n / (n - 1)) for the n - 1 divisor (n unknown:
 * the half range).
 */
static double largest_sd(double range, double n)
{
    double half = range / 2;
    return n > 1 ? half * sqrt(n / (n - 1)) : half;
}

/*
 * The largest SD n values on [lo, hi] with mean m can have (the
 * Bhatia-Davis inequality, variance <= (hi - m)(m - lo), times n / (n - 1)
 * for the n - 1 divisor): a warning, not an error, since a rounded mean
 * near an end of the scale can move the bound.  A change lies in [-(hi -
 * lo), hi - lo].
 */
static void sd_at_mean(const evs_outcome_spec *spec, const evs_obs *o, bool change, double sd,
                       const long *field_col, const char *file, evs_problems *problems)
{
    double m = o->v[EVS_OBS_MEAN], n = o->v[EVS_OBS_N];
    double w = spec->scale_max - spec->scale_min;
    double lo = change ? -w : spec->scale_min, hi = change ? w : spec->scale_max;
    if (isnan(m) || m < lo || m > hi)
        return; /* no mean, or one outside the scale: an error of its own */
    double bound = sqrt((hi - m) * (m - lo) * (n > 1 ? n / (n - 1) : 1));
    if (sd > bound)
        evs_problems_warn(problems, file, o->line, field_col[EVS_OBS_SD],
                          "sd %g with mean %g is larger than any SD of %s%s on its %g to %g "
                          "scale can be with that mean (%.5g): check the mean and the SD",
                          sd, m, o->outcome, change ? " (a change)" : "", spec->scale_min,
                          spec->scale_max, bound);
}

static void sd_on_scale(const evs_review *rv, const evs_evidence *ev, const long *field_col,
                        evs_problems *problems)
{
    for (size_t i = 0; i < ev->nobs; i++) {
        const evs_obs *o = &ev->obs[i];
        bool change = false;
        const evs_outcome_spec *spec = scored_spec(rv, o, &change);
        if (spec == NULL)
            continue;
        /* A change lies in [-(hi - lo), hi - lo]: its range is twice the scale's. */
        double range = (spec->scale_max - spec->scale_min) * (change ? 2 : 1);
        double n = o->v[EVS_OBS_N], limit = largest_sd(range, n);
        double sd = o->v[EVS_OBS_SD];
        if (!isnan(sd) && sd > limit)
            evs_problems_add(problems, EVS_EDATA, ev->outcomes_file, o->line,
                             field_col[EVS_OBS_SD],
                             "sd %g is larger than any SD of %s on its %g to %g scale can be "
                             "(%.5g, half the range%s%s): a typo?",
                             sd, o->outcome, spec->scale_min, spec->scale_max, limit,
                             change ? " of a change" : "", n > 1 ? " for this n" : "");
        else if (!isnan(sd))
            sd_at_mean(spec, o, change, sd, field_col, ev->outcomes_file, problems);
        double se = o->v[EVS_OBS_SE];
        if (!isnan(se) && n > 0 && se * sqrt(n) > limit)
            evs_problems_add(problems, EVS_EDATA, ev->outcomes_file, o->line,
                             field_col[EVS_OBS_SE],
                             "se %g with n %g is an SD of %.3g, larger than any SD of %s on its "
                             "%g to %g scale can be (%.5g%s): a typo, or an SD in the se column?",
                             se, n, se * sqrt(n), o->outcome, spec->scale_min, spec->scale_max,
                             limit, change ? ", half the range of a change" : "");
    }
}

/* Rows in patients: the unit n counts them in. */
static bool in_patients(const evs_obs *o)
{
    return strcmp(o->unit, "patients") == 0;
}

/* A row explains its own n when its note says something, or its quote gives the n. */
static bool n_explained(const evs_obs *o)
{
    return o->note[0] != '\0' || evs_trace_in_text(o->quote, o->v[EVS_OBS_N]);
}

static void n_across_rows(const evs_evidence *ev, const long *field_col, evs_problems *problems)
{
    for (size_t i = 0; i < ev->nobs; i++) {
        const evs_obs *o = &ev->obs[i];
        double n = o->v[EVS_OBS_N];
        if (isnan(n) || !in_patients(o) || o->study >= ev->nstudies)
            continue;
        const evs_study *st = &ev->studies[o->study];
        if (!isnan(st->n) && n > st->n)
            evs_problems_warn(problems, ev->outcomes_file, o->line, field_col[EVS_OBS_N],
                              "n %g is more than the %g patients of %s in studies.csv (line %ld)",
                              n, st->n, st->id, st->line);
        /* Against the study's first row in patients with an n. */
        for (size_t j = 0; j < i; j++) {
            const evs_obs *p = &ev->obs[j];
            if (p->study != o->study || !in_patients(p) || isnan(p->v[EVS_OBS_N]))
                continue;
            if (p->v[EVS_OBS_N] != n && !n_explained(o) && p->note[0] == '\0')
                evs_problems_warn(problems, ev->outcomes_file, o->line, field_col[EVS_OBS_N],
                                  "n %g differs from n %g on line %ld for the same study (%s), "
                                  "and neither its quote nor a note says why (patients lost to "
                                  "follow-up, a subgroup?)",
                                  n, p->v[EVS_OBS_N], p->line, st->id);
            break;
        }
    }
}

void evs_plausibility_values(const evs_review *rv, const evs_evidence *ev, const long *field_col,
                             evs_problems *problems)
{
    if (rv == NULL || ev == NULL)
        return;
    sd_on_scale(rv, ev, field_col, problems);
}

static bool standardised(evs_measure m)
{
    return m == EVS_MEASURE_SMD || m == EVS_MEASURE_SMCC || m == EVS_MEASURE_SMCR;
}

/* The standardised effect of each dataset row, warned about above the limit. */
static evs_status effects_of(const evs_review *rv, const evs_evidence *ev, size_t outcome,
                             long window, const long *field_col, evs_problems *problems)
{
    const evs_outcome_spec *spec = &rv->outcomes[outcome];
    evs_error err;
    evs_error_clear(&err);
    evs_dataset *ds = evs_dataset_build(rv, ev, outcome, window, NAN, &err);
    if (ds == NULL)
        return EVS_ENOMEM;
    evs_status st = EVS_OK;
    double *yi = NULL;
    evs_studies *in = NULL;
    if (standardised(spec->measure)) {
        in = evs_dataset_studies(ds, rv, ev);
        yi = malloc((ds->nrows ? ds->nrows : 1) * 2 * sizeof *yi);
        if (in == NULL || yi == NULL) {
            st = EVS_ENOMEM;
            goto done;
        }
        evs_effects eff = {.yi = yi, .vi = yi + ds->nrows};
        evs_escalc_options eo;
        evs_escalc_options_default(&eo);
        double *ni = calloc(ds->nrows ? ds->nrows : 1, sizeof *ni);
        bool *corr = calloc(ds->nrows ? ds->nrows : 1, sizeof *corr);
        int *miss = calloc(ds->nrows ? ds->nrows : 1, sizeof *miss);
        eff.ni = ni;
        eff.corrected = corr;
        eff.missing = miss;
        evs_status es = ni && corr && miss ? evs_escalc(spec->measure, in, &eo, &eff, &err)
                                           : EVS_ENOMEM;
        free(ni);
        free(corr);
        free(miss);
        if (es == EVS_ENOMEM) {
            st = EVS_ENOMEM;
            goto done;
        }
        if (es != EVS_OK)
            goto done; /* a bad value is the checks' business, not this warning's */
    }
    for (size_t i = 0; i < ds->nrows; i++) {
        const evs_dataset_row *row = &ds->rows[i];
        double d;
        if (standardised(spec->measure)) {
            d = yi[i];
        } else {
            /* An MD between arms over the pooled SD of the two arms. */
            double num = (row->n1 - 1) * row->sd1 * row->sd1 + (row->n2 - 1) * row->sd2 * row->sd2;
            double den = row->n1 + row->n2 - 2;
            d = den > 0 && num > 0 ? (row->m1 - row->m2) / sqrt(num / den) : (double)NAN;
        }
        if (!(fabs(d) > EVS_PLAUSIBLE_SMD) || row->after < 0)
            continue;
        const evs_obs *o = &ev->obs[row->after];
        evs_problems_warn(problems, ev->outcomes_file, o->line, field_col[EVS_OBS_MEAN],
                          "%s: a standardised difference of %.3g for %s (%s), more than %g "
                          "standard deviations: check the means and SDs",
                          spec->id, d, ev->studies[row->study].id,
                          evs_dataset_window_label(rv, window), EVS_PLAUSIBLE_SMD);
    }
done:
    free(yi);
    evs_studies_free(in);
    evs_dataset_free(ds);
    return st;
}

void evs_plausibility_effects(const evs_review *rv, const evs_evidence *ev, const long *field_col,
                              evs_problems *problems)
{
    if (rv == NULL || ev == NULL)
        return;
    n_across_rows(ev, field_col, problems);
    for (size_t k = 0; k < rv->noutcomes; k++) {
        const evs_outcome_spec *spec = &rv->outcomes[k];
        bool md_comparison = spec->type == EVS_OUTCOME_DIFFERENCE && spec->measure == EVS_MEASURE_MD;
        if (!standardised(spec->measure) && !md_comparison)
            continue;
        long windows[EVS_MAX_WINDOWS + 2];
        size_t nw = evs_dataset_windows(rv, k, windows, EVS_MAX_WINDOWS + 2);
        for (size_t w = 0; w < nw; w++)
            if (effects_of(rv, ev, k, windows[w], field_col, problems) != EVS_OK) {
                evs_problems_add(problems, EVS_ENOMEM, ev->outcomes_file, 0, 0, "out of memory");
                return;
            }
    }
}
