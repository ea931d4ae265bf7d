/*
 * dataset.c -- the input of one meta-analysis of a review (see dataset.h for
 * the rules).
 */
#include "review/dataset.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "evsynth/convert.h"

/* outcomes.csv's ci_lb and ci_ub are a study's 95% CI of the mean (data/README.md):
 * the level the paper reported, not the review's level. */
#define REPORTED_CI_LEVEL 95.0

const char *evs_conv_text(unsigned bit)
{
    switch (bit) {
    case EVS_CONV_MEDIAN:
        return "mean and SD estimated from the median and IQR or range";
    case EVS_CONV_SE:
        return "SD computed from the standard error";
    case EVS_CONV_CI:
        return "SD computed from the confidence interval";
    case EVS_CONV_SD_IMPUTED:
        return "SD imputed (pooled SD of the other studies at the same time)";
    case EVS_CONV_FROM_CHANGE:
        return "mean after computed from the reported mean change";
    case EVS_CONV_R_IMPUTED:
        return "pre/post correlation assumed";
    case EVS_CONV_R_DERIVED:
        return "pre/post correlation computed from the SD of the change";
    case EVS_CONV_SECONDARY:
        return "number from a secondary source";
    case EVS_CONV_SD_CHANGE:
        return "variance from the reported SD of the change";
    case EVS_CONV_REPORTED:
        return "between-arm difference as reported, variance from its CI or SE";
    default:
        return NULL;
    }
}

size_t evs_dataset_windows(const evs_review *rv, size_t outcome, long *windows, size_t n)
{
    const evs_outcome_spec *o = &rv->outcomes[outcome];
    size_t count = 0;
    if (o->type == EVS_OUTCOME_PROPORTION || (evs_outcome_binary(o) && o->nwindows == 0)) {
        if (n > 0)
            windows[0] = EVS_WINDOW_ALL;
        return 1;
    }
    for (size_t i = 0; i < o->nwindows; i++, count++)
        if (count < n)
            windows[count] = (long)o->windows[i];
    if (o->unstated == EVS_UNSTATED_SEPARATE) {
        if (count < n)
            windows[count] = EVS_WINDOW_UNSTATED;
        count++;
    }
    return count;
}

const char *evs_dataset_window_label(const evs_review *rv, long window)
{
    if (window == EVS_WINDOW_ALL)
        return "Any time";
    if (window == EVS_WINDOW_UNSTATED)
        return "Time not stated";
    if (window >= 0 && (size_t)window < rv->nwindows)
        return rv->windows[window].label;
    return "?";
}

/* ---------------------------------------------------------------------------
 * Building
 */

typedef struct builder {
    const evs_review *rv;
    const evs_evidence *ev;
    const evs_outcome_spec *spec;
    const evs_dataset_select *sel; /* never NULL */
    evs_dataset *ds;
    size_t rows_cap, excl_cap;
    bool oom;
} builder;

static evs_dataset_row *add_row(builder *b)
{
    evs_dataset *ds = b->ds;
    if (ds->nrows == b->rows_cap) {
        size_t cap = b->rows_cap ? 2 * b->rows_cap : 16;
        evs_dataset_row *rows = realloc(ds->rows, cap * sizeof *rows);
        if (rows == NULL) {
            b->oom = true;
            return NULL;
        }
        ds->rows = rows;
        b->rows_cap = cap;
    }
    evs_dataset_row *row = &ds->rows[ds->nrows++];
    memset(row, 0, sizeof *row);
    row->before = row->after = -1;
    row->m1 = row->sd1 = row->m2 = row->sd2 = row->r = row->sd_change = NAN;
    row->yi = row->vi = NAN;
    row->events = row->events_control = row->n = row->n1 = row->n2 = NAN;
    row->weeks = NAN;
    row->control = -1;
    return row;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void exclude(builder *b, size_t study, long obs, const char *fmt, ...)
{
    evs_dataset *ds = b->ds;
    if (ds->nexcl == b->excl_cap) {
        size_t cap = b->excl_cap ? 2 * b->excl_cap : 16;
        evs_dataset_exclusion *e = realloc(ds->excl, cap * sizeof *e);
        if (e == NULL) {
            b->oom = true;
            return;
        }
        ds->excl = e;
        b->excl_cap = cap;
    }
    evs_dataset_exclusion *e = &ds->excl[ds->nexcl++];
    e->study = study;
    e->obs = obs;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->reason, sizeof e->reason, fmt, ap);
    va_end(ap);
}

bool evs_dataset_in_window(const evs_review *rv, long window, const evs_obs *o)
{
    switch (window) {
    case EVS_WINDOW_UNSTATED:
        return o->time == EVS_TIME_UNSTATED;
    case EVS_WINDOW_BASELINE:
        return o->time == EVS_TIME_BASELINE;
    case EVS_WINDOW_ALL:
        return o->time != EVS_TIME_BASELINE;
    default:
        if (o->time != EVS_TIME_WEEKS || window < 0 || (size_t)window >= rv->nwindows)
            return false;
        return o->weeks > rv->windows[window].after && o->weeks <= rv->windows[window].until;
    }
}

/* Does this observation report outcome with the suffix ("" itself, "_change", "_difference")? */
static bool is_outcome_as(const char *outcome, const evs_obs *o, const char *suffix)
{
    size_t n = strlen(outcome);
    return strncmp(o->outcome, outcome, n) == 0 && strcmp(o->outcome + n, suffix) == 0;
}

/* Does this observation report the outcome, or (change = true) its mean change? */
static bool is_outcome(const char *outcome, const evs_obs *o, bool change)
{
    return is_outcome_as(outcome, o, change ? "_change" : "");
}

long evs_dataset_latest(const evs_review *rv, const evs_evidence *ev, size_t s,
                        const char *outcome, bool change, long window)
{
    long best = -1;
    for (size_t i = 0; i < ev->nobs; i++) {
        const evs_obs *o = &ev->obs[i];
        if (o->study != s || !is_outcome(outcome, o, change) ||
            !evs_dataset_in_window(rv, window, o))
            continue;
        if (best < 0 || (o->time == EVS_TIME_WEEKS && o->weeks > ev->obs[best].weeks))
            best = (long)i;
    }
    return best;
}

/* A study the selection leaves out (dataset.h, evs_dataset_select): say why
 * and return true. */
static bool selection_excludes(builder *b, size_t s, long obs)
{
    const evs_study *st = &b->ev->studies[s];
    const evs_dataset_select *sel = b->sel;
    if (sel->drop != NULL && (sel->drop[s] || sel->drop[evs_evidence_root(b->ev, s)])) {
        exclude(b, s, obs, "left out: %s", sel->drop_reason != NULL ? sel->drop_reason : "");
        return true;
    }
    if (sel->filter_population && st->population < EVS_MAX_CLASSES &&
        !sel->populations[st->population]) {
        exclude(b, s, obs, "population %s, not the one compared",
                evs_review_class(b->rv, EVS_VOCAB_POPULATION, st->population)->id);
        return true;
    }
    return false;
}

/* A study that cannot contribute at all: say why, once, and return true. */
static bool study_excluded(builder *b, size_t s, long obs)
{
    const evs_study *st = &b->ev->studies[s];
    if (!st->included) {
        exclude(b, s, obs, "study not included (%s)", st->exclusion_reason);
        return true;
    }
    if (st->arm == EVS_ARM_CONTROL) {
        exclude(b, s, obs, "control arm: the comparison, not pooled with the intervention");
        return true;
    }
    return selection_excludes(b, s, obs);
}

/*
 * Mean and SD of one observation as reported or converted.  Returns false
 * (after recording the exclusion) when the observation cannot be used.
 */
static bool mean_sd(builder *b, size_t s, long oi, double *mean, double *sd, unsigned *conv)
{
    const evs_obs *o = &b->ev->obs[oi];
    const double *v = o->v;
    *mean = v[EVS_OBS_MEAN];
    *sd = v[EVS_OBS_SD];
    double n = v[EVS_OBS_N];
    if (isnan(*sd) && !isnan(v[EVS_OBS_SE]) && n > 0) {
        *sd = evs_conv_se_to_sd(v[EVS_OBS_SE], n);
        *conv |= EVS_CONV_SE;
    }
    if (isnan(*sd) && !isnan(v[EVS_OBS_CI_LB]) && !isnan(v[EVS_OBS_CI_UB]) && n > 1) {
        *sd = evs_conv_ci_to_sd(v[EVS_OBS_CI_LB], v[EVS_OBS_CI_UB], n, REPORTED_CI_LEVEL);
        *conv |= EVS_CONV_CI;
    }
    if (isnan(*mean) && !isnan(v[EVS_OBS_MEDIAN])) {
        evs_fivenum f;
        if (!evs_conv_fivenum(v[EVS_OBS_MIN], v[EVS_OBS_Q1], v[EVS_OBS_MEDIAN], v[EVS_OBS_Q3],
                              v[EVS_OBS_MAX], n, &f)) {
            exclude(b, s, oi, "median reported without an IQR or range that can be converted "
                              "(or n < 5)");
            return false;
        }
        if (f.skewed) {
            exclude(b, s, oi,
                    "median and quartiles suggest a skewed distribution (Shi et al. 2023 "
                    "test: %.3f >= %.3f), so no mean and SD were estimated",
                    f.skew_stat, f.skew_crit);
            return false;
        }
        *mean = f.mean;
        if (isnan(*sd))
            *sd = f.sd;
        *conv |= EVS_CONV_MEDIAN;
    }
    if (o->secondary)
        *conv |= EVS_CONV_SECONDARY;
    return true;
}

/* The follow-up of study s that the selection asks for (dataset.h). */
static long follow_up(const builder *b, size_t s, long window, bool change)
{
    const evs_dataset_select *sel = b->sel;
    bool near = window >= 0 && !isnan(sel->near_weeks);
    bool any = window == EVS_WINDOW_ALL && sel->any_time;
    if (!near && !any)
        return evs_dataset_latest(b->rv, b->ev, s, b->spec->data, change, window);
    long best = -1;
    for (size_t i = 0; i < b->ev->nobs; i++) {
        const evs_obs *o = &b->ev->obs[i];
        if (o->study != s || !is_outcome(b->spec->data, o, change) ||
            !evs_dataset_in_window(b->rv, window, o))
            continue;
        if (best < 0) {
            best = (long)i;
            continue;
        }
        const evs_obs *p = &b->ev->obs[best];
        if (near) {
            double d = fabs(o->weeks - sel->near_weeks), dp = fabs(p->weeks - sel->near_weeks);
            if (d < dp || (d == dp && o->weeks < p->weeks))
                best = (long)i;
        } else if (o->time == EVS_TIME_WEEKS &&
                   (p->time != EVS_TIME_WEEKS || o->weeks > p->weeks)) {
            best = (long)i;
        }
    }
    return best;
}

static long baseline(const builder *b, size_t s)
{
    return evs_dataset_latest(b->rv, b->ev, s, b->spec->data, false, EVS_WINDOW_BASELINE);
}

static void add_change_row(builder *b, size_t s, long window)
{
    long after = follow_up(b, s, window, false);
    long change = follow_up(b, s, window, true);
    if (after < 0 && change < 0)
        return; /* nothing for this window */
    long follow = after >= 0 ? after : change;
    if (study_excluded(b, s, follow))
        return;
    long before = baseline(b, s);
    if (before < 0) {
        exclude(b, s, follow, "no baseline score to compute a change from");
        return;
    }
    const evs_obs *ob = &b->ev->obs[before], *of = &b->ev->obs[follow];
    double n = !isnan(of->v[EVS_OBS_N]) ? of->v[EVS_OBS_N] : ob->v[EVS_OBS_N];
    if (isnan(n)) {
        exclude(b, s, follow, "number of patients not reported");
        return;
    }
    unsigned conv = EVS_CONV_R_IMPUTED;
    double m1, sd1, m2 = NAN, sd2 = NAN, delta = NAN, sdc = NAN;
    if (!mean_sd(b, s, before, &m1, &sd1, &conv))
        return;
    if (after >= 0 && !mean_sd(b, s, after, &m2, &sd2, &conv))
        return;
    if (change >= 0 && !mean_sd(b, s, change, &delta, &sdc, &conv))
        return;
    if (after < 0) {
        m2 = m1 + delta;
        conv |= EVS_CONV_FROM_CHANGE;
    }
    if (isnan(m1) || isnan(m2)) {
        exclude(b, s, follow, "no mean (or median) reported");
        return;
    }
    evs_dataset_row *row = add_row(b);
    if (row == NULL)
        return;
    row->study = s;
    row->before = before;
    row->after = follow;
    row->weeks = of->weeks; /* NaN unless the time is in weeks */
    row->m1 = m1;
    row->sd1 = sd1;
    row->m2 = m2;
    row->sd2 = sd2;
    row->sd_change = sdc;
    row->n = row->n1 = row->n2 = n;
    row->r = b->ds->r;
    row->conv = conv;
}

static void add_proportion_row(builder *b, size_t s)
{
    long best = -1, any = -1;
    for (size_t i = 0; i < b->ev->nobs; i++) {
        const evs_obs *o = &b->ev->obs[i];
        if (o->study != s || !is_outcome(b->spec->data, o, false))
            continue;
        if (any < 0)
            any = (long)i;
        if (strcmp(o->unit, b->spec->unit) != 0 || isnan(o->v[EVS_OBS_EVENTS]) ||
            isnan(o->v[EVS_OBS_N]))
            continue;
        if (best < 0 || (o->time == EVS_TIME_WEEKS &&
                         (b->ev->obs[best].time != EVS_TIME_WEEKS ||
                          o->weeks > b->ev->obs[best].weeks)))
            best = (long)i;
    }
    if (any < 0)
        return;
    if (study_excluded(b, s, any))
        return;
    if (best < 0) {
        const evs_obs *o = &b->ev->obs[any];
        if (strcmp(o->unit, b->spec->unit) != 0)
            exclude(b, s, any, "counted over %s, not %s", o->unit, b->spec->unit);
        else if (!isnan(o->v[EVS_OBS_PERCENT]))
            exclude(b, s, any, "a percentage without a count");
        else
            exclude(b, s, any, "no count of events out of n");
        return;
    }
    const evs_obs *o = &b->ev->obs[best];
    evs_dataset_row *row = add_row(b);
    if (row == NULL)
        return;
    row->study = s;
    row->after = best;
    row->weeks = o->weeks;
    row->events = o->v[EVS_OBS_EVENTS];
    row->n = o->v[EVS_OBS_N];
    row->conv = o->secondary ? EVS_CONV_SECONDARY : 0;
}

static bool has_outcome(const builder *b, size_t s)
{
    for (size_t i = 0; i < b->ev->nobs; i++)
        if (b->ev->obs[i].study == s && is_outcome(b->spec->data, &b->ev->obs[i], false))
            return true;
    return false;
}

/* Mean, SD and n of one arm's follow-up; false (exclusion recorded) if unusable. */
static bool arm_values(builder *b, size_t s, size_t arm, long obs, double *mean, double *sd,
                       double *n, unsigned *conv)
{
    if (!mean_sd(b, s, obs, mean, sd, conv))
        return false;
    *n = b->ev->obs[obs].v[EVS_OBS_N];
    if (isnan(*n))
        *n = b->ev->studies[arm].n;
    if (isnan(*mean) || isnan(*n)) {
        exclude(b, s, obs, "%s: %s", b->ev->studies[arm].label,
                isnan(*mean) ? "no mean (or median) reported" : "number of patients not reported");
        return false;
    }
    return true;
}

/*
 * Of arm's observations of the outcome in the window, the latest that counts
 * events out of n in the outcome's unit (n from the observation, else the
 * arm's); -1 if none.
 */
static long latest_count(const builder *b, size_t arm, long window)
{
    long best = -1;
    const evs_evidence *ev = b->ev;
    for (size_t i = 0; i < ev->nobs; i++) {
        const evs_obs *o = &ev->obs[i];
        if (o->study != arm || !is_outcome(b->spec->data, o, false) ||
            !evs_dataset_in_window(b->rv, window, o) || strcmp(o->unit, b->spec->unit) != 0 ||
            isnan(o->v[EVS_OBS_EVENTS]) || (isnan(o->v[EVS_OBS_N]) && isnan(ev->studies[arm].n)))
            continue;
        if (best < 0 || (o->time == EVS_TIME_WEEKS &&
                         (ev->obs[best].time != EVS_TIME_WEEKS || o->weeks > ev->obs[best].weeks)))
            best = (long)i;
    }
    return best;
}

static double count_n(const builder *b, size_t arm, long obs)
{
    double n = b->ev->obs[obs].v[EVS_OBS_N];
    return isnan(n) ? b->ev->studies[arm].n : n;
}

/* Events out of n in each arm: intervention (ai of n1i) against control (ci of n2i). */
static void add_binary_difference_row(builder *b, size_t s, long ctl, long itv, long window)
{
    const evs_evidence *ev = b->ev;
    long fc = latest_count(b, (size_t)ctl, window), fi = latest_count(b, (size_t)itv, window);
    long any = fi >= 0 ? fi : fc;
    if (any < 0) {
        any = follow_up(b, (size_t)itv, window, false);
        if (any < 0)
            any = follow_up(b, (size_t)ctl, window, false);
    }
    if (!ev->studies[s].included) {
        exclude(b, s, any, "study not included (%s)", ev->studies[s].exclusion_reason);
        return;
    }
    if (selection_excludes(b, s, any))
        return;
    if (fc < 0 || fi < 0) {
        const char *what = fc < 0 && fi < 0 ? "neither arm reports"
                           : fc < 0         ? "the control arm does not report"
                                            : "the intervention arm does not report";
        exclude(b, s, any, "%s events out of n (in %s) in this window", what, b->spec->unit);
        return;
    }
    evs_dataset_row *row = add_row(b);
    if (row == NULL)
        return;
    row->study = s;
    row->control = ctl;
    row->before = fc;
    row->after = fi;
    row->weeks = ev->obs[fi].weeks;
    row->events = ev->obs[fi].v[EVS_OBS_EVENTS];
    row->events_control = ev->obs[fc].v[EVS_OBS_EVENTS];
    row->n1 = count_n(b, (size_t)ctl, fc);
    row->n2 = count_n(b, (size_t)itv, fi);
    row->n = row->n1 + row->n2;
    row->conv = (ev->obs[fi].secondary || ev->obs[fc].secondary) ? EVS_CONV_SECONDARY : 0;
}

/* Of study s's reported differences ("<data>_difference") in the window, the latest; -1 if none. */
static long latest_reported(const builder *b, size_t s, long window)
{
    long best = -1;
    for (size_t i = 0; i < b->ev->nobs; i++) {
        const evs_obs *o = &b->ev->obs[i];
        if (o->study != s || !is_outcome_as(b->spec->data, o, "_difference") ||
            !evs_dataset_in_window(b->rv, window, o))
            continue;
        if (best < 0 || (o->time == EVS_TIME_WEEKS && o->weeks > b->ev->obs[best].weeks))
            best = (long)i;
    }
    return best;
}

static bool has_reported(const builder *b, size_t s)
{
    for (size_t i = 0; i < b->ev->nobs; i++)
        if (b->ev->obs[i].study == s && is_outcome_as(b->spec->data, &b->ev->obs[i], "_difference"))
            return true;
    return false;
}

/*
 * A between-arm MD as study s reported it (dataset.h): yi = the MD, vi from
 * its SE or 95% CI.  n is the observation's, else the study's; the arms'
 * sizes (ctl, itv) give n1 and n2 where they add up to it.
 */
static void add_reported_row(builder *b, size_t s, long ctl, long itv, long obs)
{
    const evs_evidence *ev = b->ev;
    const evs_obs *o = &ev->obs[obs];
    const double *v = o->v;
    double md = v[EVS_OBS_MEAN], se = v[EVS_OBS_SE];
    if (isnan(md)) {
        exclude(b, s, obs, "a reported difference without its value (mean)");
        return;
    }
    if (isnan(se) && !isnan(v[EVS_OBS_CI_LB]) && !isnan(v[EVS_OBS_CI_UB]))
        se = (v[EVS_OBS_CI_UB] - v[EVS_OBS_CI_LB]) /
             (2 * gsl_cdf_ugaussian_Qinv((1 - REPORTED_CI_LEVEL / 100) / 2));
    if (!(se > 0)) {
        exclude(b, s, obs, "a reported difference without its 95%% CI or SE");
        return;
    }
    double n = !isnan(v[EVS_OBS_N]) ? v[EVS_OBS_N] : ev->studies[s].n;
    double n1 = ctl >= 0 ? ev->studies[ctl].n : (double)NAN;
    double n2 = itv >= 0 ? ev->studies[itv].n : (double)NAN;
    if (isnan(n) && !isnan(n1) && !isnan(n2))
        n = n1 + n2;
    if (isnan(n)) {
        exclude(b, s, obs, "number of patients not reported");
        return;
    }
    if (!(n1 + n2 == n))
        n1 = n2 = NAN; /* the arms' sizes are not those of this result */
    evs_dataset_row *row = add_row(b);
    if (row == NULL)
        return;
    row->study = s;
    row->control = ctl;
    row->after = obs;
    row->weeks = o->weeks;
    row->yi = md;
    row->vi = se * se;
    row->n = n;
    row->n1 = n1;
    row->n2 = n2;
    row->conv = EVS_CONV_REPORTED | (o->secondary ? EVS_CONV_SECONDARY : 0);
}

static void add_difference_row(builder *b, size_t s, long window)
{
    const evs_evidence *ev = b->ev;
    if (ev->studies[s].parent >= 0)
        return;
    long ctl = -1, itv = -1;
    for (size_t j = 0; j < ev->nstudies; j++) {
        const evs_study *arm = &ev->studies[j];
        if (arm->parent != (long)s)
            continue;
        if (arm->arm == EVS_ARM_CONTROL && ctl < 0 &&
            (!b->spec->comparator_filter ||
             (arm->comparator < EVS_MAX_CLASSES && b->spec->comparators[arm->comparator])))
            ctl = (long)j;
        else if (arm->arm == EVS_ARM_INTERVENTION && itv < 0)
            itv = (long)j;
    }
    /* A difference the study reports itself (MD only: a reported MD cannot be
     * standardised without its SDs). */
    bool reported = b->spec->measure == EVS_MEASURE_MD && has_reported(b, s) && ctl >= 0;
    if (ctl < 0 || itv < 0 ||
        !(has_outcome(b, (size_t)ctl) || has_outcome(b, (size_t)itv) || reported))
        return; /* not a comparative study of this outcome */
    if (evs_outcome_binary(b->spec)) {
        add_binary_difference_row(b, s, ctl, itv, window);
        return;
    }
    long fr = reported ? latest_reported(b, s, window) : -1;
    long fc = follow_up(b, (size_t)ctl, window, false), fi = follow_up(b, (size_t)itv, window, false);
    long any = fr >= 0 ? fr : fi >= 0 ? fi : fc;
    if (!ev->studies[s].included) {
        exclude(b, s, any, "study not included (%s)", ev->studies[s].exclusion_reason);
        return;
    }
    if (selection_excludes(b, s, any))
        return;
    if (fr >= 0) {
        add_reported_row(b, s, ctl, itv, fr);
        return;
    }
    if (fc < 0 || fi < 0) {
        const char *what = fc < 0 && fi < 0 ? "neither arm reports"
                           : fc < 0         ? "the control arm does not report"
                                            : "the intervention arm does not report";
        exclude(b, s, any, "%s a follow-up in this window%s", what,
                reported ? ", and the study reports no difference in it" : "");
        return;
    }
    unsigned conv = 0;
    double m1, sd1, n1, m2, sd2, n2;
    if (!arm_values(b, s, (size_t)ctl, fc, &m1, &sd1, &n1, &conv) ||
        !arm_values(b, s, (size_t)itv, fi, &m2, &sd2, &n2, &conv))
        return;
    evs_dataset_row *row = add_row(b);
    if (row == NULL)
        return;
    row->study = s;
    row->control = ctl;
    row->before = fc;
    row->after = fi;
    row->weeks = ev->obs[fi].weeks;
    row->m1 = m1;
    row->sd1 = sd1;
    row->n1 = n1;
    row->m2 = m2;
    row->sd2 = sd2;
    row->n2 = n2;
    row->n = n1 + n2;
    row->conv = conv;
}

/* Where a study and one of its arms both contribute, keep the arms. */
static void prefer_arms(builder *b)
{
    evs_dataset *ds = b->ds;
    size_t kept = 0;
    for (size_t i = 0; i < ds->nrows; i++) {
        bool has_arm = false;
        for (size_t j = 0; j < ds->nrows; j++)
            if (b->ev->studies[ds->rows[j].study].parent == (long)ds->rows[i].study)
                has_arm = true;
        if (has_arm) {
            exclude(b, ds->rows[i].study, ds->rows[i].after,
                    "reported separately for its arms, which are used instead");
            continue;
        }
        ds->rows[kept++] = ds->rows[i];
    }
    ds->nrows = kept;
}

/* ---------------------------------------------------------------------------
 * Overlapping reports: one per overlap group and analysis (dataset.h)
 */

typedef struct report {
    const char *group;
    size_t root;      /* the report: a whole study */
    int design;       /* 0 best: randomised, comparative, uncontrolled; prospective first */
    int timing;       /* 0: a follow-up time is stated; 1: not stated */
    int abstract;     /* 1 for a conference abstract */
    double n;         /* participants of its rows in this analysis */
} report;

static int design_rank(const evs_review *rv, const evs_study *st)
{
    const evs_class *c = evs_review_class(rv, EVS_VOCAB_DESIGN, st->design);
    int role = c->role == EVS_DESIGN_RANDOMISED ? 0 : c->role == EVS_DESIGN_COMPARATIVE ? 1 : 2;
    return 2 * role + (c->retrospective ? 1 : 0);
}

/* Which key makes a better than b (a phrase for the reason), or NULL if none. */
static const char *better(const report *a, const report *b)
{
    if (a->design != b->design)
        return a->design < b->design ? "a better design" : NULL;
    if (a->timing != b->timing)
        return a->timing < b->timing ? "its follow-up time is stated" : NULL;
    if (a->abstract != b->abstract)
        return a->abstract < b->abstract ? "a journal paper, not a conference abstract" : NULL;
    if (a->n != b->n)
        return a->n > b->n ? "larger" : NULL;
    return NULL;
}

static void select_overlap(builder *b)
{
    evs_dataset *ds = b->ds;
    const evs_evidence *ev = b->ev;
    report *reps = malloc((ds->nrows ? ds->nrows : 1) * sizeof *reps);
    if (reps == NULL) {
        b->oom = true;
        return;
    }
    size_t nrep = 0;
    for (size_t i = 0; i < ds->nrows; i++) {
        const evs_dataset_row *row = &ds->rows[i];
        const char *g = ev->studies[row->study].overlap_group;
        if (g[0] == '\0')
            continue;
        size_t root = evs_evidence_root(ev, row->study), j;
        for (j = 0; j < nrep; j++)
            if (reps[j].root == root && strcmp(reps[j].group, g) == 0)
                break;
        if (j == nrep) {
            const evs_study *st = &ev->studies[root];
            reps[nrep++] = (report){.group = g, .root = root, .design = design_rank(b->rv, st),
                                    .timing = 1, .abstract = st->abstract, .n = 0};
        }
        if (!isnan(row->weeks))
            reps[j].timing = 0;
        if (!isnan(row->n))
            reps[j].n += row->n;
    }
    /* The best report of each group: by design, timing, paper and size; the first listed on a tie. */
    size_t kept = 0;
    for (size_t i = 0; i < ds->nrows; i++) {
        evs_dataset_row *row = &ds->rows[i];
        const char *g = ev->studies[row->study].overlap_group;
        if (g[0] != '\0') {
            size_t root = evs_evidence_root(ev, row->study), mine = 0, best = nrep;
            for (size_t j = 0; j < nrep; j++) {
                if (strcmp(reps[j].group, g) != 0)
                    continue;
                if (reps[j].root == root)
                    mine = j;
                if (best == nrep || better(&reps[j], &reps[best]) != NULL)
                    best = j;
            }
            if (reps[best].root != root) {
                const char *why = better(&reps[best], &reps[mine]);
                char detail[80] = "";
                if (why != NULL && strcmp(why, "larger") == 0)
                    snprintf(detail, sizeof detail, ": n = %.0f, not %.0f", reps[best].n,
                             reps[mine].n);
                exclude(b, row->study, row->after,
                        "overlap group %s: %s is used for this analysis (%s%s)", g,
                        ev->studies[reps[best].root].id,
                        why != NULL ? why : "listed first in studies.csv", detail);
                continue;
            }
        }
        ds->rows[kept++] = *row;
    }
    ds->nrows = kept;
    free(reps);
}

/* Impute missing SDs with the pooled SD of the other rows at the same time. */
static void impute_sds(builder *b)
{
    evs_dataset *ds = b->ds;
    size_t k = ds->nrows;
    double *sd = malloc((k ? k : 1) * sizeof *sd), *n = malloc((k ? k : 1) * sizeof *n);
    if (sd == NULL || n == NULL) {
        b->oom = true;
        free(sd);
        free(n);
        return;
    }
    double pooled[2];
    for (int which = 0; which < 2; which++) {
        for (size_t i = 0; i < k; i++) {
            sd[i] = which == 0 ? ds->rows[i].sd1 : ds->rows[i].sd2;
            n[i] = which == 0 ? ds->rows[i].n1 : ds->rows[i].n2;
        }
        pooled[which] = evs_conv_pooled_sd(sd, n, k);
    }
    free(sd);
    free(n);

    size_t kept = 0;
    for (size_t i = 0; i < k; i++) {
        evs_dataset_row *row = &ds->rows[i];
        if (row->conv & EVS_CONV_REPORTED) {
            ds->rows[kept++] = *row; /* yi and vi as reported: no SDs to impute */
            continue;
        }
        if (!isnan(row->sd_change) && isnan(row->sd2)) {
            /* Only a change was reported, with its SD: that SD is the spread
             * of what is pooled (metafor's sd1i = SD of the change, sd2i = 0,
             * ri = 0). */
            row->sd1 = row->sd_change;
            row->sd2 = 0;
            row->r = 0;
            row->conv = (row->conv & ~(unsigned)EVS_CONV_R_IMPUTED) | EVS_CONV_SD_CHANGE;
        } else if (!isnan(row->sd_change) && !isnan(row->sd1) && !isnan(row->sd2)) {
            double r = evs_conv_r_from_sds(row->sd1, row->sd2, row->sd_change);
            if (r >= -1 && r <= 1) {
                row->r = r;
                row->conv = (row->conv & ~(unsigned)EVS_CONV_R_IMPUTED) | EVS_CONV_R_DERIVED;
            }
        }
        for (int which = 0; which < 2; which++) {
            double *s = which == 0 ? &row->sd1 : &row->sd2;
            if (!isnan(*s))
                continue;
            if (isnan(pooled[which])) {
                exclude(b, row->study, row->after,
                        "SD not reported and no other study in this analysis to impute it from");
                goto drop;
            }
            *s = pooled[which];
            row->conv |= EVS_CONV_SD_IMPUTED;
        }
        ds->rows[kept++] = *row;
    drop:;
    }
    ds->nrows = kept;
}

void evs_dataset_select_init(evs_dataset_select *sel)
{
    memset(sel, 0, sizeof *sel);
    sel->near_weeks = NAN;
}

void evs_dataset_sensitivity_drop(const evs_review *rv, const evs_evidence *ev, size_t i,
                                  bool *drop)
{
    const evs_sensitivity *x = &rv->sensitivities[i];
    for (size_t j = 0; j < ev->nstudies; j++)
        drop[j] = x->exclude_overlap && ev->studies[j].overlap_group[0] != '\0';
    for (size_t j = 0; j < x->nstudies; j++)
        drop[x->studies[j]] = true;
}

evs_dataset *evs_dataset_build(const evs_review *rv, const evs_evidence *ev, size_t outcome,
                               long window, double r, evs_error *err)
{
    return evs_dataset_build_sel(rv, ev, outcome, window, r, NULL, err);
}

evs_dataset *evs_dataset_build_sel(const evs_review *rv, const evs_evidence *ev, size_t outcome,
                                   long window, double r, const evs_dataset_select *sel,
                                   evs_error *err)
{
    evs_dataset_select none;
    if (sel == NULL) {
        evs_dataset_select_init(&none);
        sel = &none;
    }
    evs_dataset *ds = calloc(1, sizeof *ds);
    if (ds == NULL) {
        evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    const evs_outcome_spec *spec = &rv->outcomes[outcome];
    ds->outcome = outcome;
    ds->window = window;
    ds->r = isnan(r) ? spec->correlation : r;
    builder b = {.rv = rv, .ev = ev, .spec = spec, .sel = sel, .ds = ds};

    for (size_t s = 0; s < ev->nstudies; s++) {
        if (spec->type == EVS_OUTCOME_CHANGE)
            add_change_row(&b, s, window);
        else if (spec->type == EVS_OUTCOME_PROPORTION)
            add_proportion_row(&b, s);
        else
            add_difference_row(&b, s, window);
    }
    if (spec->type != EVS_OUTCOME_DIFFERENCE)
        prefer_arms(&b);
    select_overlap(&b);
    if (!evs_outcome_binary(spec))
        impute_sds(&b);
    if (b.oom) {
        evs_dataset_free(ds);
        evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    return ds;
}

void evs_dataset_free(evs_dataset *ds)
{
    if (ds == NULL)
        return;
    free(ds->rows);
    free(ds->excl);
    free(ds);
}

evs_studies *evs_dataset_studies(const evs_dataset *ds, const evs_review *rv,
                                 const evs_evidence *ev)
{
    const evs_outcome_spec *spec = &rv->outcomes[ds->outcome];
    /* Notes name the file inside the review folder ("outcomes.csv:27"), so that
     * a report does not depend on where the folder was when it was made. */
    const char *file = ev->outcomes_file, *slash = file ? strrchr(file, '/') : NULL;
    evs_studies *s = evs_studies_alloc(ds->nrows, slash ? slash + 1 : file);
    if (s == NULL)
        return NULL;
    static const evs_var change_vars[] = {EVS_VAR_M1I, EVS_VAR_M2I, EVS_VAR_SD1I,
                                          EVS_VAR_SD2I, EVS_VAR_NI,  EVS_VAR_RI};
    static const evs_var prop_vars[] = {EVS_VAR_XI, EVS_VAR_NI};
    static const evs_var diff_vars[] = {EVS_VAR_M1I, EVS_VAR_SD1I, EVS_VAR_N1I,
                                        EVS_VAR_M2I, EVS_VAR_SD2I, EVS_VAR_N2I};
    static const evs_var events_vars[] = {EVS_VAR_AI, EVS_VAR_N1I, EVS_VAR_CI, EVS_VAR_N2I};
    static const evs_var gen_vars[] = {EVS_VAR_YI, EVS_VAR_VI};
    bool change = spec->type == EVS_OUTCOME_CHANGE;
    bool events = spec->type == EVS_OUTCOME_DIFFERENCE && evs_outcome_binary(spec);
    bool gen = evs_dataset_measure(ds, rv) == EVS_MEASURE_GEN;
    bool diff = spec->type == EVS_OUTCOME_DIFFERENCE && !events && !gen;
    const evs_var *vars = change  ? change_vars
                          : diff  ? diff_vars
                          : events ? events_vars
                          : gen   ? gen_vars
                                  : prop_vars;
    size_t nvars = change || diff ? 6 : events ? 4 : 2;
    for (size_t j = 0; j < nvars; j++)
        if (evs_studies_add_var(s, vars[j], 0) != EVS_OK)
            goto fail;
    for (size_t i = 0; i < ds->nrows; i++) {
        const evs_dataset_row *row = &ds->rows[i];
        if (evs_studies_set_label(s, i, ev->studies[row->study].label) != EVS_OK)
            goto fail;
        s->line[i] = row->after >= 0 ? ev->obs[row->after].line : 0;
        if (change) {
            s->x[EVS_VAR_M1I][i] = row->m1;
            s->x[EVS_VAR_M2I][i] = row->m2;
            s->x[EVS_VAR_SD1I][i] = row->sd1;
            s->x[EVS_VAR_SD2I][i] = row->sd2;
            s->x[EVS_VAR_RI][i] = row->r;
        } else if (gen) {
            /* A reported difference as given; the others by escalc's MD:
             * m1i - m2i with variance sd1i^2/n1i + sd2i^2/n2i. */
            bool rep = row->conv & EVS_CONV_REPORTED;
            s->x[EVS_VAR_YI][i] = rep ? row->yi : row->m1 - row->m2;
            s->x[EVS_VAR_VI][i] =
                rep ? row->vi : row->sd1 * row->sd1 / row->n1 + row->sd2 * row->sd2 / row->n2;
            continue;
        } else if (diff) {
            s->x[EVS_VAR_M1I][i] = row->m1;
            s->x[EVS_VAR_SD1I][i] = row->sd1;
            s->x[EVS_VAR_N1I][i] = row->n1;
            s->x[EVS_VAR_M2I][i] = row->m2;
            s->x[EVS_VAR_SD2I][i] = row->sd2;
            s->x[EVS_VAR_N2I][i] = row->n2;
            continue;
        } else if (events) {
            /* The intervention first: RR < 1 is fewer events with it. */
            s->x[EVS_VAR_AI][i] = row->events;
            s->x[EVS_VAR_N1I][i] = row->n2;
            s->x[EVS_VAR_CI][i] = row->events_control;
            s->x[EVS_VAR_N2I][i] = row->n1;
            continue;
        } else {
            s->x[EVS_VAR_XI][i] = row->events;
        }
        s->x[EVS_VAR_NI][i] = row->n;
    }
    return s;
fail:
    evs_studies_free(s);
    return NULL;
}

evs_measure evs_dataset_measure(const evs_dataset *ds, const evs_review *rv)
{
    for (size_t i = 0; i < ds->nrows; i++)
        if (ds->rows[i].conv & EVS_CONV_REPORTED)
            return EVS_MEASURE_GEN;
    return rv->outcomes[ds->outcome].measure;
}
