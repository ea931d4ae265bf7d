/*
 * synthesis.c -- every analysis of a review, its GRADE rating, the
 * technology-evaluation criteria and the conclusion (see synthesis.h).
 */
#include "review/synthesis.h"

#include "evsynth/propci.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "evsynth/transf.h"

const char *evs_analysis_row_label(const evs_synthesis *s, const evs_analysis *a, size_t row)
{
    size_t r = a->meta->included[row];
    return s->ev->studies[a->ds->rows[r].study].label;
}

const char *evs_one_trial_label(const evs_synthesis *s, const evs_analysis *a)
{
    return s->ev->studies[evs_evidence_root(s->ev, a->ds->rows[0].study)].label;
}

double evs_analysis_display(const evs_synthesis *s, const evs_analysis *a, double x)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    if (o->measure == EVS_MEASURE_RR || o->measure == EVS_MEASURE_OR)
        return exp(x);
    if (o->measure == EVS_MEASURE_RD)
        return 100 * x;
    if (o->type != EVS_OUTCOME_PROPORTION)
        return x;
    return 100 * evs_backtransform(o->measure, x, a->meta != NULL ? a->meta->nhm : (double)NAN);
}

/*
 * A study's own value to the display scale: PFT back-transforms with the
 * study's own n (metafor's transf.ipft(yi, ni)), so that 3 of 30 is 10%; the
 * pooled values keep the harmonic mean (transf.ipft.hm).
 */
static double display_row(const evs_synthesis *s, const evs_analysis *a, size_t m, double x)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    if (o->type != EVS_OUTCOME_PROPORTION)
        return evs_analysis_display(s, a, x);
    double n = a->ds->rows[a->meta->included[m]].n;
    return 100 * evs_backtransform(o->measure, x, n);
}

/*
 * The rows an analysis rests on: the pooled rows of its meta, or the one
 * row of a single trial (one_trial).  used_row is an index into a->ds->rows.
 */
static size_t used_k(const evs_analysis *a)
{
    return a->meta != NULL ? a->meta->k : a->one_trial ? 1 : 0;
}

static size_t used_row(const evs_analysis *a, size_t m)
{
    return a->meta != NULL ? a->meta->included[m] : 0;
}

static double used_v(const evs_analysis *a, size_t m)
{
    return a->meta != NULL ? a->meta->v[m] : a->one_vi;
}

static double used_y(const evs_analysis *a, size_t m)
{
    return a->meta != NULL ? a->meta->y[m] : a->one_yi;
}

/*
 * The CI a study printed with the between-arm difference of a row
 * (EVS_CONV_REPORTED), when it gave a 95% CI (not an SE) and the review's
 * level is 95%: the interval as printed, which rounding or a CI computed on
 * another scale can leave a little off-centre, so that a reader checking
 * against the paper finds its numbers.  false otherwise.
 */
static bool reported_ci(const evs_synthesis *s, const evs_dataset_row *row, double *lb,
                        double *ub)
{
    if (!(row->conv & EVS_CONV_REPORTED) || row->after < 0 || s->rv->level != 95)
        return false;
    const double *v = s->ev->obs[row->after].v;
    if (isnan(v[EVS_OBS_CI_LB]) || isnan(v[EVS_OBS_CI_UB]) || !isnan(v[EVS_OBS_SE]))
        return false;
    *lb = v[EVS_OBS_CI_LB];
    *ub = v[EVS_OBS_CI_UB];
    return true;
}

void evs_analysis_row_ci(const evs_synthesis *s, const evs_analysis *a, size_t m, double *est,
                         double *lb, double *ub)
{
    if (s->rv->outcomes[a->outcome].type == EVS_OUTCOME_PROPORTION) {
        const evs_dataset_row *row = &a->ds->rows[a->meta->included[m]];
        double lo, hi;
        if (evs_propci(row->events, row->n, a->meta->fit.level, EVS_PROPCI_CP, &lo, &hi,
                       NULL) == EVS_OK) {
            *est = 100 * row->events / row->n;
            *lb = 100 * lo;
            *ub = 100 * hi;
            return;
        }
    }
    double yi = a->meta->y[m], se = sqrt(a->meta->v[m]);
    double z = gsl_cdf_ugaussian_Qinv((1 - a->meta->fit.level / 100) / 2);
    *est = display_row(s, a, m, yi);
    if (reported_ci(s, &a->ds->rows[a->meta->included[m]], lb, ub))
        return;
    *lb = display_row(s, a, m, yi - z * se);
    *ub = display_row(s, a, m, yi + z * se);
}

/* ---------------------------------------------------------------------------
 * One analysis
 */

static void design_shares(const evs_synthesis *s, evs_analysis *a)
{
    const evs_review *rv = s->rv;
    bool comparison = rv->outcomes[a->outcome].type == EVS_OUTCOME_DIFFERENCE;
    for (size_t i = 0; i < a->ds->nrows; i++) {
        const evs_dataset_row *row = &a->ds->rows[i];
        const evs_study *st = &s->ev->studies[row->study];
        const evs_study *root = &s->ev->studies[evs_evidence_root(s->ev, row->study)];
        double n = row->n;
        if (isnan(n))
            continue;
        const evs_class *design = evs_review_class(rv, EVS_VOCAB_DESIGN, root->design);
        if (design->role == EVS_DESIGN_RANDOMISED)
            a->n_randomised += n;
        if (design->role == EVS_DESIGN_UNCONTROLLED)
            a->n_uncontrolled += n;
        else
            a->n_controlled += n;
        if (design->retrospective && design->role == EVS_DESIGN_UNCONTROLLED)
            a->n_retrospective += n;
        if (evs_review_class(rv, EVS_VOCAB_POPULATION, st->population)->in_question)
            a->n_population += n;
        if (comparison && row->control >= 0) {
            const evs_class *cmp =
                evs_review_class(rv, EVS_VOCAB_COMPARATOR, s->ev->studies[row->control].comparator);
            a->n_by_comparator[cmp->role] += n;
            if (cmp->in_question)
                a->n_comparator += n;
            if (cmp->established)
                a->n_established += n;
        }
    }
}

/* Is meta row x before meta row y under the rule?  Ties keep the input order. */
static bool row_before(const evs_synthesis *s, const evs_analysis *a, evs_study_order how,
                       size_t x, size_t y)
{
    const evs_study *sx = &s->ev->studies[a->ds->rows[a->meta->included[x]].study];
    const evs_study *sy = &s->ev->studies[a->ds->rows[a->meta->included[y]].study];
    int c = 0;
    switch (how) {
    case EVS_ORDER_YEAR:
        /* undated studies last: year 0 counts as after every year */
        if (sx->year != sy->year)
            c = sx->year == 0 ? 1 : sy->year == 0 ? -1 : sx->year < sy->year ? -1 : 1;
        else
            c = strcmp(sx->label, sy->label);
        break;
    case EVS_ORDER_LABEL:
        c = strcmp(sx->label, sy->label);
        break;
    case EVS_ORDER_EFFECT:
        c = a->meta->y[x] < a->meta->y[y] ? -1 : a->meta->y[x] > a->meta->y[y] ? 1 : 0;
        break;
    case EVS_ORDER_WEIGHT:
        c = a->meta->weights[x] > a->meta->weights[y]   ? -1
            : a->meta->weights[x] < a->meta->weights[y] ? 1
                                                        : 0;
        break;
    default:
        break;
    }
    return c < 0 || (c == 0 && x < y);
}

void evs_analysis_order(const evs_synthesis *s, const evs_analysis *a, evs_study_order how,
                        size_t *order)
{
    size_t k = a->meta->k;
    for (size_t i = 0; i < k; i++)
        order[i] = i;
    for (size_t i = 1; i < k; i++) { /* insertion sort: k is small, and the order total */
        size_t x = order[i], j = i;
        while (j > 0 && row_before(s, a, how, x, order[j - 1])) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
}

/* Refit without the rows whose mean or SD was estimated or imputed. */
static void fit_reported_only(const evs_synthesis *s, evs_analysis *a, const evs_fit_options *fo,
                              evs_fit_workspace *ws)
{
    const unsigned estimated = EVS_CONV_SD_IMPUTED | EVS_CONV_MEDIAN;
    size_t k = a->meta->k, m = 0;
    double *y = malloc(k * sizeof *y), *v = malloc(k * sizeof *v);
    if (y == NULL || v == NULL)
        goto done;
    for (size_t i = 0; i < k; i++) {
        if (a->ds->rows[a->meta->included[i]].conv & estimated)
            continue;
        y[m] = a->meta->y[i];
        v[m] = a->meta->v[i];
        m++;
    }
    a->k_reported = m;
    if (m == k || m < 2)
        goto done; /* nothing estimated, or too little left */
    evs_error e;
    evs_error_clear(&e);
    if (evs_fit_rma(y, v, m, fo, ws, &a->reported, &e) == EVS_OK && a->reported.converged) {
        a->has_reported = true;
        a->reported_estimate = evs_analysis_display(s, a, a->reported.estimate);
        a->reported_ci_lb = evs_analysis_display(s, a, a->reported.ci_lb);
        a->reported_ci_ub = evs_analysis_display(s, a, a->reported.ci_ub);
    }
done:
    free(y);
    free(v);
}

/* sqrt(sum (n_i - 1) sd_i^2 / sum (n_i - 1)) over the pooled rows; NaN if none. */
static double pooled_sd(const evs_analysis *a, bool change)
{
    double num = 0, den = 0;
    for (size_t m = 0; m < used_k(a); m++) {
        const evs_dataset_row *row = &a->ds->rows[used_row(a, m)];
        if (change) {
            /* MC: vi = sd_change^2 / n (metafor), so sd_change = sqrt(vi n). */
            double n = row->n, v = used_v(a, m);
            if (n > 1 && v > 0) {
                num += (n - 1) * v * n;
                den += n - 1;
            }
        } else if (row->conv & EVS_CONV_REPORTED) {
            /* The SD behind a reported MD: SE / sqrt(1/n1 + 1/n2) (Cochrane
             * Handbook 6.5.2.3), where the arms' sizes are known. */
            double v = used_v(a, m);
            if (row->n1 > 1 && row->n2 > 1 && v > 0) {
                num += (row->n1 + row->n2 - 2) * v / (1 / row->n1 + 1 / row->n2);
                den += row->n1 + row->n2 - 2;
            }
        } else {
            if (row->n1 > 1 && row->n2 > 1 && row->sd1 > 0 && row->sd2 > 0) {
                num += (row->n1 - 1) * row->sd1 * row->sd1 + (row->n2 - 1) * row->sd2 * row->sd2;
                den += row->n1 + row->n2 - 2;
            }
        }
    }
    return den > 0 ? sqrt(num / den) : (double)NAN;
}

/*
 * The optimal information size of an analysis (grade.h, GRADE guidelines 6):
 * set by the review, or computed from the pooled SD and the MCID (means),
 * or from the rate judged important and the review's RRR (a single-group
 * rate).
 */
static void analysis_ois(const evs_synthesis *s, const evs_analysis *a, evs_ois *ois)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    const evs_grade_settings *g = &s->rv->grade;
    if (!isnan(o->ois)) {
        evs_grade_ois_means(NAN, NAN, false, g->ois_alpha, g->ois_power, ois);
        ois->basis = EVS_OIS_SET;
        ois->n = o->ois;
        return;
    }
    bool standardised = o->measure == EVS_MEASURE_SMD || o->measure == EVS_MEASURE_SMCC ||
                        o->measure == EVS_MEASURE_SMCR;
    switch (o->type) {
    case EVS_OUTCOME_CHANGE:
        evs_grade_ois_means(standardised ? 1 : pooled_sd(a, true), o->mcid, false, g->ois_alpha,
                            g->ois_power, ois);
        break;
    case EVS_OUTCOME_DIFFERENCE:
        if (a->events_comparison) {
            double cr = a->control_risk / 100;
            evs_grade_ois_rates(cr, cr * (1 - o->ois_rrr / 100), true, g->ois_alpha, g->ois_power,
                                ois);
            break;
        }
        evs_grade_ois_means(standardised ? 1 : pooled_sd(a, false), o->mcid, true, g->ois_alpha,
                            g->ois_power, ois);
        break;
    default: {
        double p1 = o->mcid / 100;
        evs_grade_ois_rates(p1, p1 * (1 - o->ois_rrr / 100), false, g->ois_alpha, g->ois_power,
                            ois);
    }
    }
}

static void rate(const evs_synthesis *s, evs_analysis *a)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    double events = NAN;
    if (o->type == EVS_OUTCOME_PROPORTION) {
        events = 0;
        for (size_t m = 0; m < used_k(a); m++)
            events += a->ds->rows[used_row(a, m)].events;
    } else if (a->events_comparison) {
        events = a->events_intervention + a->events_control;
    }
    evs_grade_input in = {
        .kind = o->type == EVS_OUTCOME_DIFFERENCE ? EVS_GRADE_COMPARISON : EVS_GRADE_SINGLE_GROUP,
        .harm = o->role == EVS_ROLE_HARM,
        .binary = evs_outcome_binary(o),
        .k = a->k_studies,
        .n = a->n,
        .events = events,
        .n_randomised = a->n_randomised,
        .n_controlled = a->n_controlled,
        .n_uncontrolled = a->n_uncontrolled,
        .n_retrospective = a->n_retrospective,
        .n_direct = a->n_comparator,
        .n_population = a->n_population,
        /* The appraisals of the pooled rows' studies, with the model's weights. */
        .nrows = s->ev->appraisal != NULL ? used_k(a) : 0,
        .row_rob = s->ev->appraisal != NULL ? a->rob_level : NULL,
        .row_weight = s->ev->appraisal == NULL ? NULL
                      : a->meta != NULL        ? a->meta->weights
                                               : &a->one_weight,
        .estimate = a->dec_estimate,
        .ci_lb = a->dec_ci_lb,
        .ci_ub = a->dec_ci_ub,
        .pi_lb = a->dec_pi_lb,
        .pi_ub = a->dec_pi_ub,
        .I2 = a->I2,
        .tau2 = a->tau2,
        .mcid = o->mcid,
        .null_value = a->null_value,
        .egger_p = a->egger_p,
    };
    evs_rob_high_domains(s->ev->appraisal, a->rob_entry, used_k(a), in.rob_domains);
    analysis_ois(s, a, &in.ois);
    evs_grade_rate(&in, &s->rv->grade, o->grade, &a->grade);
}

/*
 * A rate pooled with the binomial-normal model (glmm.h) on the counts of the
 * rows in a->meta, replacing the inverse-variance estimate and intervals
 * (and tau2, I2); the Knapp-Hartung tests become rma.glmm's test = "t",
 * t(k - 1).  EDATA (e filled) when the rate is not estimable.
 */
static evs_status pool_glmm(const evs_synthesis *s, evs_analysis *a, const evs_outcome_spec *o,
                            evs_error *e)
{
    size_t k = a->meta->k;
    double *x = malloc(2 * k * sizeof *x);
    if (x == NULL)
        return evs_error_set(e, EVS_EDATA, 0, 0, "out of memory");
    double *n = x + k;
    for (size_t j = 0; j < k; j++) {
        x[j] = a->ds->rows[a->meta->included[j]].events;
        n[j] = a->ds->rows[a->meta->included[j]].n;
    }
    evs_glmm_options go;
    evs_glmm_options_default(&go);
    go.level = s->rv->level;
    go.t_dist = evs_test_is_knha(o->test);
    evs_status st = evs_glmm_plo(x, n, k, &go, NULL, &a->glmm_fit, e);
    free(x);
    if (st != EVS_OK)
        return st;
    const evs_glmm_fit *g = &a->glmm_fit;
    a->glmm = true;
    a->estimate = 100 * evs_transf_ilogit(g->estimate);
    a->ci_lb = 100 * evs_transf_ilogit(g->ci_lb);
    a->ci_ub = 100 * evs_transf_ilogit(g->ci_ub);
    a->pi_lb = 100 * evs_transf_ilogit(g->pi_lb);
    a->pi_ub = 100 * evs_transf_ilogit(g->pi_ub);
    a->I2 = g->I2;
    a->tau2 = g->tau2;
    return EVS_OK;
}

/*
 * The risk with the intervention at control risk cr (a proportion), from a
 * pooled value x on the measure's model scale: RR cr exp(x); OR the odds
 * cr/(1 - cr) times exp(x) back to a risk; RD cr + x (GRADE guidelines 12:
 * the absolute effects of a summary of findings).  Clipped to [0, 1].
 */
static double risk_at(evs_measure m, double cr, double x)
{
    double r;
    if (m == EVS_MEASURE_RR) {
        r = cr * exp(x);
    } else if (m == EVS_MEASURE_OR) {
        double odds = cr / (1 - cr) * exp(x);
        r = odds / (1 + odds);
    } else {
        r = cr + x;
    }
    return r < 0 ? 0 : r > 1 ? 1 : r;
}

/*
 * A between-arm comparison of events: the assumed control risk (review.ini,
 * or the control arms' pooled risk, sum of events over sum of n: GRADEpro's
 * "study population" risk), the absolute effects per 1,000 and the decision
 * scale (grade.h).
 */
static void absolute_effects(const evs_synthesis *s, evs_analysis *a, const evs_fit *f)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    for (size_t m = 0; m < used_k(a); m++) {
        const evs_dataset_row *row = &a->ds->rows[used_row(a, m)];
        a->events_intervention += row->events;
        a->events_control += row->events_control;
        a->n_intervention += row->n2;
        a->n_control += row->n1;
    }
    a->events_comparison = true;
    a->control_risk_set = !isnan(o->control_risk);
    double cr = a->control_risk_set ? o->control_risk / 100
                : a->n_control > 0  ? a->events_control / a->n_control
                                    : (double)NAN;
    a->control_risk = 100 * cr;
    a->risk = 1000 * risk_at(o->measure, cr, f->estimate);
    a->risk_lb = 1000 * risk_at(o->measure, cr, f->ci_lb);
    a->risk_ub = 1000 * risk_at(o->measure, cr, f->ci_ub);
    a->diff = a->risk - 1000 * cr;
    a->diff_lb = a->risk_lb - 1000 * cr;
    a->diff_ub = a->risk_ub - 1000 * cr;
    /* Percentage points, oriented: fewer harms, or more of a good event, is
     * positive; the bounds swap when the orientation does. */
    double sign = o->role == EVS_ROLE_HARM ? -1 : 1;
    double lb = 100 * (risk_at(o->measure, cr, f->ci_lb) - cr);
    double ub = 100 * (risk_at(o->measure, cr, f->ci_ub) - cr);
    double plb = 100 * (risk_at(o->measure, cr, f->pi_lb) - cr);
    double pub = 100 * (risk_at(o->measure, cr, f->pi_ub) - cr);
    a->dec_estimate = sign * a->diff / 10;
    a->dec_ci_lb = sign > 0 ? lb : -ub;
    a->dec_ci_ub = sign > 0 ? ub : -lb;
    a->dec_pi_lb = isnan(f->pi_lb) ? (double)NAN : sign > 0 ? plb : -pub;
    a->dec_pi_ub = isnan(f->pi_ub) ? (double)NAN : sign > 0 ? pub : -plb;
}

/* The appraisal of each pooled row's study (an arm's is its study's) and its level. */
static evs_status appraise(const evs_synthesis *s, evs_analysis *a, evs_error *err)
{
    size_t k = used_k(a);
    a->rob_entry = malloc(k * sizeof *a->rob_entry);
    a->rob_level = malloc(k * sizeof *a->rob_level);
    if (a->rob_entry == NULL || a->rob_level == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    for (size_t i = 0; i < k; i++) {
        size_t study = evs_evidence_root(s->ev, a->ds->rows[used_row(a, i)].study);
        long e = evs_appraisal_find(s->ev->appraisal, study, (long)a->outcome);
        a->rob_entry[i] = e;
        a->rob_level[i] = e >= 0 ? evs_rob_entry_level(&s->ev->appraisal->entries[e])
                                 : EVS_ROB_LEVEL_NOT_ASSESSED;
    }
    return EVS_OK;
}

/*
 * The Bayesian model beside the frequentist one (synthesis.h): fitted on
 * meta's yi and vi when the outcome asks, with the outcome's prior; made the
 * reported result when the outcome says so.  A fit that fails or does not
 * converge is left out (has_bayes false), and the frequentist result stays.
 */
static evs_status fit_bayes(const evs_synthesis *s, evs_analysis *a, const evs_outcome_spec *o)
{
    size_t k = a->meta->k;
    bool wanted = o->bayes == EVS_BAYES_ALWAYS ||
                  (o->bayes == EVS_BAYES_AUTO && k < EVS_BAYES_FEW_STUDIES);
    if (!wanted)
        return EVS_OK;
    a->uisd = NAN;
    a->tau_scale = o->tau_scale;
    if (isnan(a->tau_scale) && o->measure == EVS_MEASURE_PLO) {
        a->tau_scale = 0.5;
    } else if (isnan(a->tau_scale)) {
        double n = 0, w = 0;
        for (size_t i = 0; i < k; i++) {
            n += a->ds->rows[a->meta->included[i]].n;
            w += 1 / a->meta->v[i];
        }
        a->uisd = sqrt(n / w);
        a->tau_scale = 0.5 * a->uisd;
        if (!(a->tau_scale > 0 && isfinite(a->tau_scale)))
            return EVS_OK; /* no sample sizes: no default scale */
    }
    evs_bayes_workspace *ws = evs_bayes_workspace_alloc(k, 0);
    if (ws == NULL)
        return EVS_ENOMEM;
    evs_bayes_options bo;
    evs_bayes_options_default(&bo);
    bo.tau_prior = o->tau_prior;
    bo.tau_scale = a->tau_scale;
    bo.level = s->rv->level;
    evs_error e;
    evs_error_clear(&e);
    if (evs_bayes_fit_rma(a->meta->y, a->meta->v, k, &bo, ws, &a->bayes, &e) == EVS_OK &&
        a->bayes.converged) {
        a->has_bayes = true;
        const evs_bayes_fit *b = &a->bayes;
        a->bayes_estimate = evs_analysis_display(s, a, b->mu_median);
        a->bayes_lb = evs_analysis_display(s, a, b->mu_lb);
        a->bayes_ub = evs_analysis_display(s, a, b->mu_ub);
        a->bayes_pred_lb = evs_analysis_display(s, a, b->pred_lb);
        a->bayes_pred_ub = evs_analysis_display(s, a, b->pred_ub);
        /* The MCID on the analysis scale: a rate's threshold on the logit
         * scale; a change's or difference's in points (measures MC, MD). */
        double c = NAN;
        if (o->type == EVS_OUTCOME_PROPORTION && o->measure == EVS_MEASURE_PLO)
            c = log(o->mcid / (100 - o->mcid));
        else if (o->measure == EVS_MEASURE_MC || o->measure == EVS_MEASURE_MD)
            c = o->mcid;
        a->bayes_p_exceeds = evs_bayes_prob(ws, EVS_BAYES_MU, c, true);
        /* A between-arm comparison of events reports absolute effects from
         * the frequentist model (absolute_effects): the Bayesian one stays
         * beside it. */
        if (o->bayes_primary && !(o->type == EVS_OUTCOME_DIFFERENCE && evs_outcome_binary(o))) {
            a->bayes_primary = true;
            a->estimate = a->bayes_estimate;
            a->ci_lb = a->bayes_lb;
            a->ci_ub = a->bayes_ub;
            a->pi_lb = a->bayes_pred_lb;
            a->pi_ub = a->bayes_pred_ub;
        }
    }
    evs_bayes_workspace_free(ws);
    return EVS_OK;
}

bool evs_interval_uninformative(double lb, double ub, double range)
{
    return range > 0 && 100 * (ub - lb) >= EVS_UNINFORMATIVE_SHARE * range;
}

/* The not-estimable rules of synthesis.h on the reported result. */
static void not_estimable(const evs_synthesis *s, evs_analysis *a, const evs_outcome_spec *o)
{
    size_t first = evs_evidence_root(s->ev, a->ds->rows[a->meta->included[0]].study);
    bool one = true;
    for (size_t i = 1; i < a->meta->k && one; i++)
        one = evs_evidence_root(s->ev, a->ds->rows[a->meta->included[i]].study) == first;
    if (one) {
        snprintf(a->not_estimable, sizeof a->not_estimable,
                 "all %zu rows are arms or subgroups of one study (%.120s): its groups are "
                 "shown, not pooled",
                 a->meta->k, s->ev->studies[first].label);
        return;
    }
    double range = o->type == EVS_OUTCOME_PROPORTION ? 100 : o->scale_max - o->scale_min;
    double width = a->ci_ub - a->ci_lb;
    if (evs_interval_uninformative(a->ci_lb, a->ci_ub, range)) {
        char lb[32], ub[32];
        snprintf(lb, sizeof lb, "%.1f", a->ci_lb);
        snprintf(ub, sizeof ub, "%.1f", a->ci_ub);
        snprintf(a->not_estimable, sizeof a->not_estimable,
                 "the %s interval, %s%s to %s%s, covers %.0f%% of the possible range",
                 a->bayes_primary ? "credible" : "confidence", lb, a->percent ? "%" : "", ub,
                 a->percent ? "%" : "", 100 * width / range);
    }
}

/*
 * The cumulative meta-analysis of a rate with the binomial-normal model of
 * pool_glmm, in a->year_order: step j refits the model to the first j + 1
 * studies (metafor: rma.glmm on each prefix).  The first step is one study
 * alone: its own rate with its exact interval, as the forest plot shows it.
 */
static evs_status cumulative_glmm(const evs_synthesis *s, evs_analysis *a,
                                  const evs_outcome_spec *o)
{
    size_t k = a->meta->k;
    a->glmm_cumulative = calloc(k, sizeof *a->glmm_cumulative);
    double *x = malloc(2 * k * sizeof *x);
    evs_glmm_workspace *ws = evs_glmm_workspace_alloc(k);
    if (a->glmm_cumulative == NULL || x == NULL || ws == NULL) {
        free(x);
        evs_glmm_workspace_free(ws);
        return EVS_ENOMEM;
    }
    double *n = x + k;
    evs_glmm_options go;
    evs_glmm_options_default(&go);
    go.level = s->rv->level;
    go.t_dist = evs_test_is_knha(o->test);
    bool any = false, all = true; /* an event so far; only events so far */
    for (size_t j = 0; j < k; j++) {
        const evs_dataset_row *row = &a->ds->rows[a->meta->included[a->year_order[j]]];
        x[j] = row->events;
        n[j] = row->n;
        any |= x[j] > 0;
        all &= x[j] >= n[j];
        evs_rate_step *r = &a->glmm_cumulative[j];
        r->estimate = r->ci_lb = r->ci_ub = NAN;
        r->converged = true;
        r->estimable = any && !all;
        if (j == 0) {
            r->estimable = true;
            evs_analysis_row_ci(s, a, a->year_order[0], &r->estimate, &r->ci_lb, &r->ci_ub);
            continue;
        }
        if (!r->estimable)
            continue;
        evs_glmm_fit g;
        evs_error e;
        evs_error_clear(&e);
        if (evs_glmm_plo(x, n, j + 1, &go, ws, &g, &e) != EVS_OK) {
            r->estimable = false;
            continue;
        }
        r->converged = (g.warnings & EVS_GLMM_WARN_NOT_CONVERGED) == 0;
        r->estimate = 100 * evs_transf_ilogit(g.estimate);
        r->ci_lb = 100 * evs_transf_ilogit(g.ci_lb);
        r->ci_ub = 100 * evs_transf_ilogit(g.ci_ub);
    }
    free(x);
    evs_glmm_workspace_free(ws);
    return EVS_OK;
}

/*
 * A comparison with one trial (synthesis.h, one_trial): nothing to pool, so
 * the result is the trial's own, as metafor's escalc() gives it (yi, vi),
 * with its Wald interval; a difference the trial reported with its CI keeps
 * that CI as printed (a CI rounded or computed on another scale need not be
 * symmetric about the estimate).  No tau2, no prediction interval, no
 * Bayesian model (its prior on tau would be all the heterogeneity there is).
 * Rated by GRADE as a single study (grade.h).  Leaves the analysis as it was
 * (not pooled) when the row has no computable effect.
 */
static evs_status one_trial(const evs_synthesis *s, evs_analysis *a, const evs_outcome_spec *o,
                            evs_error *err)
{
    a->studies = evs_dataset_studies(a->ds, s->rv, s->ev);
    if (a->studies == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    double yi = NAN, vi = NAN, ni = NAN;
    bool corrected = false;
    int missing = -1;
    evs_effects eff = {&yi, &vi, &ni, &corrected, &missing};
    evs_error e;
    evs_error_clear(&e);
    if (a->studies->k != 1 ||
        evs_escalc(evs_dataset_measure(a->ds, s->rv), a->studies, NULL, &eff, &e) != EVS_OK ||
        missing >= 0 || !(vi > 0) || !isfinite(yi))
        return EVS_OK;
    const evs_dataset_row *row = &a->ds->rows[0];
    a->one_trial = true;
    a->not_pooled[0] = '\0';
    a->one_yi = yi;
    a->one_vi = vi;
    a->one_weight = 100;
    double z = gsl_cdf_ugaussian_Qinv((1 - s->rv->level / 100) / 2);
    evs_fit f = {.estimate = yi, .se = sqrt(vi), .level = s->rv->level};
    f.ci_lb = yi - z * f.se;
    f.ci_ub = yi + z * f.se;
    f.pi_lb = f.pi_ub = NAN;
    a->estimate = evs_analysis_display(s, a, f.estimate);
    a->ci_lb = evs_analysis_display(s, a, f.ci_lb);
    a->ci_ub = evs_analysis_display(s, a, f.ci_ub);
    reported_ci(s, row, &a->ci_lb, &a->ci_ub);
    a->pi_lb = a->pi_ub = NAN;
    a->I2 = a->tau2 = NAN;
    a->freq_estimate = a->estimate;
    a->freq_ci_lb = a->ci_lb;
    a->freq_ci_ub = a->ci_ub;
    a->freq_pi_lb = a->freq_pi_ub = NAN;
    a->bayes_p_exceeds = NAN;
    if (o->type == EVS_OUTCOME_DIFFERENCE && evs_outcome_binary(o)) {
        absolute_effects(s, a, &f);
    } else {
        a->dec_estimate = a->estimate;
        a->dec_ci_lb = a->ci_lb;
        a->dec_ci_ub = a->ci_ub;
    }
    evs_status st = appraise(s, a, err);
    if (st != EVS_OK)
        return st;
    rate(s, a);
    return EVS_OK;
}

/* Returns EVS_OK unless out of memory; an analysis that cannot be pooled says why. */
static evs_status run_analysis(evs_synthesis *s, evs_analysis *a, evs_fit_workspace *ws,
                               evs_error *err)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    a->estimate = a->ci_lb = a->ci_ub = a->pi_lb = a->pi_ub = NAN;
    a->l1o_min = a->l1o_max = a->egger_p = NAN;
    a->percent = o->type == EVS_OUTCOME_PROPORTION || o->measure == EVS_MEASURE_RD;
    a->null_value = o->type == EVS_OUTCOME_PROPORTION ? NAN : 0;
    a->display_null = o->type == EVS_OUTCOME_PROPORTION ? (double)NAN
                      : o->measure == EVS_MEASURE_RR || o->measure == EVS_MEASURE_OR ? 1
                                                                                       : 0;
    a->dec_estimate = a->dec_ci_lb = a->dec_ci_ub = a->dec_pi_lb = a->dec_pi_ub = NAN;
    a->control_risk = a->risk = a->risk_lb = a->risk_ub = NAN;
    a->diff = a->diff_lb = a->diff_ub = NAN;
    a->ds = evs_dataset_build_sel(s->rv, s->ev, a->outcome, a->window, NAN, a->sel, err);
    if (a->ds == NULL)
        return EVS_ENOMEM;
    a->k = a->ds->nrows;
    a->k_studies = evs_count_studies(s->ev, a->ds, NULL, a->ds->nrows);
    for (size_t i = 0; i < a->ds->nrows; i++)
        if (!isnan(a->ds->rows[i].n))
            a->n += a->ds->rows[i].n;
    design_shares(s, a);
    if (a->k < 2) {
        snprintf(a->not_pooled, sizeof a->not_pooled, "%s",
                 a->k == 0 ? "no study reports data that can be analysed"
                           : "a single study: nothing to pool");
        /* A single study's rate: its observed x/n with the exact interval. */
        double lo, hi;
        const evs_dataset_row *row = a->k == 1 ? &a->ds->rows[0] : NULL;
        if (row != NULL && a->percent &&
            evs_propci(row->events, row->n, s->rv->level, EVS_PROPCI_CP, &lo, &hi, NULL) ==
                EVS_OK) {
            a->single = true;
            a->estimate = 100 * row->events / row->n;
            a->ci_lb = 100 * lo;
            a->ci_ub = 100 * hi;
        }
        if (a->k == 1 && o->type == EVS_OUTCOME_DIFFERENCE)
            return one_trial(s, a, o, err);
        return EVS_OK;
    }
    a->studies = evs_dataset_studies(a->ds, s->rv, s->ev);
    if (a->studies == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");

    evs_fit_options fo;
    evs_fit_options_default(&fo);
    fo.method = o->method;
    fo.test = o->test;
    fo.level = s->rv->level;
    evs_error e;
    evs_error_clear(&e);
    a->meta = evs_meta_run(a->studies, evs_dataset_measure(a->ds, s->rv), NULL, &fo, ws, &e);
    if (a->meta == NULL) {
        snprintf(a->not_pooled, sizeof a->not_pooled, "%.250s", e.message);
        return EVS_OK;
    }
    a->k = a->meta->k;
    a->k_studies = evs_count_studies(s->ev, a->ds, a->meta->included, a->meta->k);
    const evs_fit *f = &a->meta->fit;
    a->estimate = evs_analysis_display(s, a, f->estimate);
    a->ci_lb = evs_analysis_display(s, a, f->ci_lb);
    a->ci_ub = evs_analysis_display(s, a, f->ci_ub);
    a->pi_lb = evs_analysis_display(s, a, f->pi_lb);
    a->pi_ub = evs_analysis_display(s, a, f->pi_ub);
    a->I2 = f->I2;
    a->tau2 = f->tau2;
    /* The binomial-normal model for rates on the logit scale; a review that
     * asks for the common-effect model (method FE) keeps the
     * inverse-variance one. */
    if (o->type == EVS_OUTCOME_PROPORTION && o->measure == EVS_MEASURE_PLO &&
        o->method != EVS_METHOD_FE && pool_glmm(s, a, o, &e) != EVS_OK) {
        /* No event at all (or only events): not estimable, whatever a
         * continuity correction would give. */
        snprintf(a->not_pooled, sizeof a->not_pooled, "%.250s", e.message);
        evs_meta_free(a->meta);
        a->meta = NULL;
        /* nor the inverse-variance estimate the check of the rows gave */
        a->estimate = a->ci_lb = a->ci_ub = a->pi_lb = a->pi_ub = NAN;
        return EVS_OK;
    }

    a->freq_estimate = a->estimate;
    a->freq_ci_lb = a->ci_lb;
    a->freq_ci_ub = a->ci_ub;
    a->freq_pi_lb = a->pi_lb;
    a->freq_pi_ub = a->pi_ub;
    a->bayes_p_exceeds = NAN;
    if (fit_bayes(s, a, o) != EVS_OK)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    not_estimable(s, a, o);

    if (o->type == EVS_OUTCOME_DIFFERENCE && evs_outcome_binary(o)) {
        absolute_effects(s, a, &a->meta->fit);
    } else {
        a->dec_estimate = a->estimate;
        a->dec_ci_lb = a->ci_lb;
        a->dec_ci_ub = a->ci_ub;
        a->dec_pi_lb = a->pi_lb;
        a->dec_pi_ub = a->pi_ub;
    }

    if (a->light)
        return EVS_OK;

    a->year_order = malloc(a->meta->k * sizeof *a->year_order);
    if (a->year_order == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    evs_analysis_order(s, a, EVS_ORDER_YEAR, a->year_order);
    evs_diag_request req = {.leave1out = true, .cumulative = true, .bias = true,
                            .order = a->year_order, .trimfill_estimator = EVS_TRIMFILL_L0};
    if (o->type == EVS_OUTCOME_CHANGE && o->ncorrelations > 0) {
        req.r_values = o->correlations;
        req.nr = o->ncorrelations;
    }
    a->diag = evs_meta_diagnose(a->meta, &fo, &req, &e);
    if (a->diag == NULL)
        return evs_error_set(err, EVS_EIO, 0, 0, "%s", e.message);
    if (a->glmm && cumulative_glmm(s, a, o) != EVS_OK)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    for (size_t i = 0; i < a->meta->k; i++) {
        double x = evs_analysis_display(s, a, a->diag->leave1out[i].estimate);
        if (isnan(x))
            continue;
        if (isnan(a->l1o_min) || x < a->l1o_min) {
            a->l1o_min = x;
            a->l1o_min_row = i;
        }
        if (isnan(a->l1o_max) || x > a->l1o_max) {
            a->l1o_max = x;
            a->l1o_max_row = i;
        }
    }
    if (a->diag->has_bias)
        a->egger_p = a->diag->egger.pval;
    fit_reported_only(s, a, &fo, ws);
    evs_status st = appraise(s, a, err);
    if (st != EVS_OK)
        return st;
    rate(s, a);
    return EVS_OK;
}

/* ---------------------------------------------------------------------------
 * Pain over time
 */

/* Pool k means (MN) into p; a single mean gets its own normal CI. */
static evs_status pool_means(const evs_review *rv, const evs_outcome_spec *o, const double *m,
                             const double *sd, const double *n, size_t k, const char *source,
                             evs_fit_workspace *ws, evs_trajectory_point *p, evs_error *err)
{
    p->k = k;
    p->n = 0;
    for (size_t i = 0; i < k; i++)
        p->n += n[i];
    p->estimate = p->ci_lb = p->ci_ub = NAN;
    if (k == 0)
        return EVS_OK;
    if (k == 1) {
        double z = gsl_cdf_ugaussian_Qinv((1 - rv->level / 100) / 2), se = sd[0] / sqrt(n[0]);
        p->estimate = m[0];
        p->ci_lb = isnan(se) ? (double)NAN : m[0] - z * se;
        p->ci_ub = isnan(se) ? (double)NAN : m[0] + z * se;
        return EVS_OK;
    }
    evs_studies *st = evs_studies_alloc(k, source);
    if (st == NULL || evs_studies_add_var(st, EVS_VAR_MI, 0) != EVS_OK ||
        evs_studies_add_var(st, EVS_VAR_SDI, 0) != EVS_OK ||
        evs_studies_add_var(st, EVS_VAR_NI, 0) != EVS_OK) {
        evs_studies_free(st);
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < k; i++) {
        st->x[EVS_VAR_MI][i] = m[i];
        st->x[EVS_VAR_SDI][i] = sd[i];
        st->x[EVS_VAR_NI][i] = n[i];
    }
    evs_fit_options fo;
    evs_fit_options_default(&fo);
    fo.method = o->method;
    fo.test = o->test;
    fo.level = rv->level;
    fo.tau2_ci = false;
    evs_error e;
    evs_error_clear(&e);
    evs_meta *meta = evs_meta_run(st, EVS_MEASURE_MN, NULL, &fo, ws, &e);
    if (meta != NULL && meta->fit.converged) {
        p->pooled = true;
        p->estimate = meta->fit.estimate;
        p->ci_lb = meta->fit.ci_lb;
        p->ci_ub = meta->fit.ci_ub;
    }
    evs_meta_free(meta);
    evs_studies_free(st);
    return EVS_OK;
}

typedef struct mean_list {
    double *m, *sd, *n;
    size_t k;
} mean_list;

static void mean_list_add(mean_list *l, double m, double sd, double n)
{
    if (isnan(m) || isnan(n))
        return;
    l->m[l->k] = m;
    l->sd[l->k] = sd;
    l->n[l->k] = n;
    l->k++;
}

/* Is study s already among the first `upto` rows of the outcome's analyses? */
static bool baseline_seen(const evs_synthesis *s, size_t first, size_t upto_an, size_t upto_row,
                          size_t study)
{
    for (size_t j = first; j <= upto_an; j++) {
        const evs_dataset *ds = s->analyses[j].ds;
        size_t rows = j == upto_an ? upto_row : ds->nrows;
        for (size_t r = 0; r < rows; r++)
            if (ds->rows[r].study == study)
                return true;
    }
    return false;
}

/* The control arms' mean score at one time: the latest observation per arm. */
static evs_status control_point(const evs_synthesis *s, const evs_outcome_spec *o, long window,
                                mean_list *l, evs_fit_workspace *ws, evs_trajectory_point *p,
                                evs_error *err)
{
    const evs_evidence *ev = s->ev;
    l->k = 0;
    for (size_t j = 0; j < ev->nstudies; j++) {
        const evs_study *st = &ev->studies[j];
        if (st->arm != EVS_ARM_CONTROL || !st->included ||
            (st->parent >= 0 && !ev->studies[st->parent].included))
            continue;
        long best = evs_dataset_latest(s->rv, ev, j, o->data, false, window);
        if (best < 0)
            continue;
        const double *v = ev->obs[best].v;
        double n = !isnan(v[EVS_OBS_N]) ? v[EVS_OBS_N] : st->n;
        mean_list_add(l, v[EVS_OBS_MEAN], v[EVS_OBS_SD], n);
    }
    p->window = window;
    return pool_means(s->rv, o, l->m, l->sd, l->n, l->k, ev->outcomes_file, ws, p, err);
}

static evs_status trajectory(evs_synthesis *s, size_t first, size_t count, evs_trajectory *t,
                             evs_fit_workspace *ws, evs_error *err)
{
    const evs_outcome_spec *o = &s->rv->outcomes[t->outcome];
    size_t cap = s->ev->nstudies + s->ev->nobs + 1;
    mean_list l = {malloc(cap * sizeof(double)), malloc(cap * sizeof(double)),
                   malloc(cap * sizeof(double)), 0};
    evs_status st = EVS_OK;
    evs_trajectory_point *p = NULL;
    if (l.m == NULL || l.sd == NULL || l.n == NULL) {
        st = evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    /* Baseline: each study once, over all the outcome's analyses. */
    for (size_t j = first; j < first + count; j++) {
        const evs_dataset *ds = s->analyses[j].ds;
        for (size_t r = 0; r < ds->nrows; r++)
            if (!baseline_seen(s, first, j, r, ds->rows[r].study))
                mean_list_add(&l, ds->rows[r].m1, ds->rows[r].sd1, ds->rows[r].n);
    }
    p = &t->points[t->npoints++];
    p->window = EVS_WINDOW_BASELINE;
    st = pool_means(s->rv, o, l.m, l.sd, l.n, l.k, s->ev->outcomes_file, ws, p, err);
    for (size_t j = first; st == EVS_OK && j < first + count; j++) {
        const evs_dataset *ds = s->analyses[j].ds;
        l.k = 0;
        for (size_t r = 0; r < ds->nrows; r++)
            mean_list_add(&l, ds->rows[r].m2, ds->rows[r].sd2, ds->rows[r].n);
        p = &t->points[t->npoints++];
        p->window = s->analyses[j].window;
        st = pool_means(s->rv, o, l.m, l.sd, l.n, l.k, s->ev->outcomes_file, ws, p, err);
    }
    /* The control arms, where the evidence has any. */
    for (size_t j = 0; st == EVS_OK && j < t->npoints; j++) {
        evs_trajectory_point *c = &t->control[j];
        st = control_point(s, o, t->points[j].window, &l, ws, c, err);
        if (c->k > 0)
            t->ncontrol = j + 1;
    }
done:
    free(l.m);
    free(l.sd);
    free(l.n);
    return st;
}

/* ---------------------------------------------------------------------------
 * Evidence base, criteria and conclusion
 */

static evs_status evidence_base(evs_synthesis *s, evs_error *err)
{
    const evs_evidence *ev = s->ev;
    evs_evidence_base *b = &s->base;
    for (size_t i = 0; i < ev->nstudies; i++) {
        const evs_study *st = &ev->studies[i];
        if (st->parent >= 0) {
            const evs_study *root = &ev->studies[evs_evidence_root(ev, i)];
            if (st->arm == EVS_ARM_CONTROL && st->included && root->included && !isnan(st->n))
                b->controls += st->n;
            continue;
        }
        if (!st->included) {
            b->excluded++;
            continue;
        }
        b->studies++;
        b->by_design[st->design]++;
        if (isnan(st->n))
            b->studies_unknown_n++;
        else
            b->participants += st->n;
        if (evs_review_class(s->rv, EVS_VOCAB_DESIGN, st->design)->role == EVS_DESIGN_RANDOMISED)
            b->randomised++;
        if (st->year > 0 && (b->year_min == 0 || st->year < b->year_min))
            b->year_min = st->year;
        if (st->year > b->year_max)
            b->year_max = st->year;
        bool control = false;
        for (size_t j = 0; j < ev->nstudies; j++)
            if (ev->studies[j].parent == (long)i && ev->studies[j].arm == EVS_ARM_CONTROL) {
                control = true;
                if (isnan(ev->studies[j].n))
                    b->controls_unknown++;
            }
        bool randomised =
            evs_review_class(s->rv, EVS_VOCAB_DESIGN, st->design)->role == EVS_DESIGN_RANDOMISED;
        b->comparative += control;
        b->randomised_controlled += control && randomised;
        b->cohorts += control && !randomised;
        b->randomised_other += !control && randomised;
    }
    for (size_t i = 0; i < ev->nobs; i++) {
        const evs_obs *o = &ev->obs[i];
        size_t root = evs_evidence_root(ev, o->study);
        if (o->time == EVS_TIME_WEEKS && ev->studies[root].included &&
            ev->studies[o->study].included && o->weeks > b->followup_max_weeks)
            b->followup_max_weeks = o->weeks;
    }

    for (size_t i = 0; i < s->nanalyses; i++)
        if (s->rv->outcomes[s->analyses[i].outcome].type == EVS_OUTCOME_DIFFERENCE) {
            b->has_comparisons = true;
            if (s->analyses[i].k > b->comparison_max_k)
                b->comparison_max_k = s->analyses[i].k;
        }
    return evs_count_contributions(s->rv, ev, &b->in, err);
}

/* Meta row m of an analysis on the decision scale (grade.h): points, or
 * percent for a rate; for a comparison of events, a value of its sign. */
static double row_decision(const evs_synthesis *s, const evs_analysis *a, size_t m)
{
    if (a->events_comparison) {
        /* Only the sign is used: a log ratio or an RD, oriented as the
         * decision scale (positive favours the intervention). */
        return (s->rv->outcomes[a->outcome].role == EVS_ROLE_HARM ? -1 : 1) * used_y(a, m);
    }
    return evs_analysis_display(s, a, used_y(a, m));
}

/* The studies of an analysis done in usual practice, and those of them
 * whose own estimate shows a benefit (above no effect; a rate: at or above
 * its threshold). */
static void usual_practice(const evs_synthesis *s, const evs_analysis *a,
                           evs_criteria_analysis *c)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    for (size_t m = 0; m < used_k(a); m++) {
        const evs_dataset_row *row = &a->ds->rows[used_row(a, m)];
        size_t setting = s->ev->studies[row->study].setting;
        if (setting == EVS_NO_CLASS ||
            evs_review_class(s->rv, EVS_VOCAB_SETTING, setting)->role != EVS_SETTING_USUAL_PRACTICE)
            continue;
        c->k_usual++;
        c->n_usual += isnan(row->n) ? 0 : row->n;
        double x = row_decision(s, a, m);
        if (o->type == EVS_OUTCOME_PROPORTION ? x >= o->mcid : x > 0)
            c->k_usual_benefit++;
    }
}

/* The criteria from the pooled analyses (criteria.h). */
static evs_status criteria(evs_synthesis *s, evs_error *err)
{
    evs_criteria_analysis *in = calloc(s->nanalyses ? s->nanalyses : 1, sizeof *in);
    if (in == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < s->nanalyses; i++) {
        const evs_analysis *a = &s->analyses[i];
        const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
        if ((a->meta == NULL && !a->one_trial) || a->not_estimable[0] != '\0')
            continue; /* no result, or a pool that says nothing */
        evs_criteria_analysis *c = &in[n++];
        *c = (evs_criteria_analysis){
            .index = i,
            .primary = o->primary,
            .harm = o->role == EVS_ROLE_HARM,
            .comparison = o->type == EVS_OUTCOME_DIFFERENCE,
            .certainty = a->grade.certainty,
            .effect = a->grade.effect,
            .k = a->k_studies,
            .n = a->n,
            .time_unstated = a->window == EVS_WINDOW_UNSTATED,
            .estimate = a->dec_estimate,
            .ci_lb = a->dec_ci_lb,
            .ci_ub = a->dec_ci_ub,
            .pi_lb = a->dec_pi_lb,
            .pi_ub = a->dec_pi_ub,
            .mcid = o->mcid,
            .share_established = a->n > 0 ? 100 * a->n_established / a->n : 0,
            .share_sham = a->n > 0 ? 100 *
                                         (a->n_by_comparator[EVS_COMPARATOR_SHAM] +
                                          a->n_by_comparator[EVS_COMPARATOR_NO_TREATMENT]) /
                                         a->n
                                   : 0,
        };
        usual_practice(s, a, c);
    }
    evs_criteria_decide(in, n, s->rv->regulatory_approved, &s->rv->criteria, &s->criteria);
    free(in);
    return EVS_OK;
}

/* ---------------------------------------------------------------------------
 * The like-for-like comparisons with published reviews (compare.h)
 */

static evs_status comparisons(evs_synthesis *s, evs_fit_workspace *ws, evs_error *err)
{
    evs_compare_match m;
    size_t n = 0;
    for (size_t j = 0; j < s->ev->nobs; j++)
        n += evs_compare_match_obs(s->rv, s->ev, j, &m);
    if (n == 0)
        return EVS_OK;
    s->comparisons = calloc(n, sizeof *s->comparisons);
    if (s->comparisons == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    for (size_t j = 0; j < s->ev->nobs; j++) {
        evs_comparison *c = &s->comparisons[s->ncomparisons];
        if (!evs_compare_match_obs(s->rv, s->ev, j, &c->match))
            continue;
        s->ncomparisons++;
        c->obs = j;
        c->a.outcome = c->match.outcome;
        c->a.window = c->match.window;
        c->a.sel = &c->match.sel;
        c->a.light = true;
        evs_status st = run_analysis(s, &c->a, ws, err);
        if (st != EVS_OK)
            return st;
    }
    return EVS_OK;
}

/* ---------------------------------------------------------------------------
 * Named sensitivity analyses ([sensitivity.ID])
 */

static evs_status sensitivity_runs(evs_synthesis *s, evs_fit_workspace *ws, evs_error *err)
{
    const evs_review *rv = s->rv;
    const evs_evidence *ev = s->ev;
    size_t ns = rv->nsensitivities, nst = ev->nstudies;
    if (ns == 0 || s->nanalyses == 0)
        return EVS_OK;
    s->sensitivity_drop = calloc(ns * (nst ? nst : 1), sizeof *s->sensitivity_drop);
    s->sensitivity_runs = calloc(ns * s->nanalyses, sizeof *s->sensitivity_runs);
    if (s->sensitivity_drop == NULL || s->sensitivity_runs == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    for (size_t i = 0; i < ns; i++) {
        const evs_sensitivity *x = &rv->sensitivities[i];
        bool *drop = s->sensitivity_drop + i * nst;
        evs_dataset_sensitivity_drop(rv, ev, i, drop);
        for (size_t k = 0; k < s->nanalyses; k++) {
            const evs_analysis *main = &s->analyses[k];
            evs_sensitivity_run *r = &s->sensitivity_runs[s->nsensitivity_runs++];
            r->sensitivity = i;
            r->analysis = k;
            for (size_t m = 0; m < main->ds->nrows; m++) {
                size_t st = main->ds->rows[m].study;
                if (drop[st] || drop[evs_evidence_root(ev, st)])
                    r->dropped++;
            }
            if (r->dropped == 0 || main->meta == NULL)
                continue;
            evs_dataset_select_init(&r->sel);
            r->sel.drop = drop;
            r->sel.drop_reason = x->label;
            r->a.outcome = main->outcome;
            r->a.window = main->window;
            r->a.sel = &r->sel;
            r->a.light = true;
            evs_status st = run_analysis(s, &r->a, ws, err);
            if (st != EVS_OK)
                return st;
        }
    }
    return EVS_OK;
}

/* ---------------------------------------------------------------------------
 * Driver
 */

evs_synthesis *evs_synthesize(const evs_review *rv, const evs_evidence *ev, evs_error *err)
{
    size_t total, nchange;
    long windows[EVS_MAX_WINDOWS + 2];
    evs_synthesis *s = calloc(1, sizeof *s);
    evs_fit_workspace *ws = evs_fit_workspace_alloc();
    if (s == NULL || ws == NULL)
        goto oom;
    s->rv = rv;
    s->ev = ev;
    total = 0;
    nchange = 0;
    for (size_t o = 0; o < rv->noutcomes; o++) {
        total += evs_dataset_windows(rv, o, windows, EVS_MAX_WINDOWS + 2);
        nchange += rv->outcomes[o].type == EVS_OUTCOME_CHANGE;
    }
    s->analyses = calloc(total ? total : 1, sizeof *s->analyses);
    s->trajectories = calloc(nchange ? nchange : 1, sizeof *s->trajectories);
    if (s->analyses == NULL || s->trajectories == NULL)
        goto oom;
    for (size_t o = 0; o < rv->noutcomes; o++) {
        size_t nw = evs_dataset_windows(rv, o, windows, EVS_MAX_WINDOWS + 2);
        size_t first = s->nanalyses;
        for (size_t w = 0; w < nw; w++) {
            evs_analysis *a = &s->analyses[s->nanalyses++];
            a->outcome = o;
            a->window = windows[w];
            if (run_analysis(s, a, ws, err) != EVS_OK)
                goto fail;
        }
        if (rv->outcomes[o].type == EVS_OUTCOME_CHANGE) {
            evs_trajectory *t = &s->trajectories[s->ntrajectories++];
            t->outcome = o;
            if (trajectory(s, first, nw, t, ws, err) != EVS_OK)
                goto fail;
        }
    }
    if (comparisons(s, ws, err) != EVS_OK)
        goto fail;
    if (sensitivity_runs(s, ws, err) != EVS_OK)
        goto fail;
    if (evidence_base(s, err) != EVS_OK)
        goto fail;
    if (criteria(s, err) != EVS_OK)
        goto fail;
    evs_fit_workspace_free(ws);
    return s;
oom:
    evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
fail:
    evs_fit_workspace_free(ws);
    evs_synthesis_free(s);
    return NULL;
}

static void analysis_free(evs_analysis *a)
{
    evs_meta_diag_free(a->diag);
    evs_meta_free(a->meta);
    evs_studies_free(a->studies);
    evs_dataset_free(a->ds);
    free(a->year_order);
    free(a->rob_entry);
    free(a->rob_level);
    free(a->glmm_cumulative);
}

void evs_synthesis_free(evs_synthesis *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->nanalyses; i++)
        analysis_free(&s->analyses[i]);
    for (size_t i = 0; i < s->ncomparisons; i++)
        analysis_free(&s->comparisons[i].a);
    free(s->comparisons);
    for (size_t i = 0; i < s->nsensitivity_runs; i++)
        analysis_free(&s->sensitivity_runs[i].a);
    free(s->sensitivity_runs);
    free(s->sensitivity_drop);
    free(s->analyses);
    free(s->trajectories);
    evs_contributions_free(&s->base.in);
    free(s);
}
