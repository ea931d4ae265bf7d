/*
 * report_json.c -- results.json of `evsynth report` (see report.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/meta_json.h"
#include "report/report.h"
#include "report_internal.h"

void evs_json_round(json_t *v)
{
    if (json_is_object(v)) {
        const char *key;
        json_t *x;
        json_object_foreach(v, key, x) evs_json_round(x);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) evs_json_round(x);
    } else if (json_is_real(v)) {
        char buf[32];
        snprintf(buf, sizeof buf, "%.10g", json_real_value(v));
        json_real_set(v, strtod(buf, NULL));
    }
}

/* Set key to value (stolen), tracking failure. */
static void set(json_t *o, const char *key, json_t *value, bool *ok)
{
    if (value == NULL || json_object_set_new(o, key, value) != 0)
        *ok = false;
}

static json_t *str(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static json_t *num(double x)
{
    return evs_json_number(x);
}

/* A count (participants, events, studies): an integer; null when unknown. */
static json_t *count(double x)
{
    if (isfinite(x) && x == floor(x) && fabs(x) < 9007199254740992.0)
        return json_integer((json_int_t)x);
    return evs_json_number(x);
}

void evs_analysis_id(const evs_synthesis *s, const evs_analysis *a, char *buf, size_t cap)
{
    const char *w = a->window == EVS_WINDOW_ALL        ? "all"
                    : a->window == EVS_WINDOW_UNSTATED ? "unstated"
                                                       : s->rv->windows[a->window].id;
    snprintf(buf, cap, "%s.%s", s->rv->outcomes[a->outcome].id, w);
}

/* A sentence of the report layer as a JSON string. */
static json_t *text_json(evs_buf *b, bool *ok)
{
    if (b->failed)
        *ok = false;
    json_t *x = json_string(evs_buf_str(b));
    evs_buf_clear(b);
    return x;
}

static json_t *grade_json(const evs_synthesis *s, const evs_analysis *a, bool *ok)
{
    const evs_grade_result *g = &a->grade;
    json_t *o = json_object(), *d = json_object();
    evs_buf b;
    evs_buf_init(&b);
    set(o, "start", str(evs_certainty_name(g->start)), ok);
    evs_text_grade_start(a, &b);
    set(o, "start_reason", text_json(&b, ok), ok);
    set(o, "certainty", str(evs_certainty_name(g->certainty)), ok);
    static const char *const effects[] = {"important benefit", "little or no difference",
                                          "important disadvantage", "at or above the threshold",
                                          "below the threshold"};
    set(o, "effect", str(effects[g->effect]), ok);
    set(o, "threshold_lower", num(g->lower), ok);
    set(o, "threshold_upper", num(g->upper), ok);
    static const char *const bases[] = {"none", "set in review.ini", "one group, means",
                                        "two groups, means", "one group, a rate",
                                        "two groups, risks"};
    const evs_ois *ois = &g->in.ois;
    json_t *oj = json_object();
    set(oj, "basis", str(bases[ois->basis]), ok);
    set(oj, "participants", num(ois->n), ok);
    set(oj, "per_arm", num(ois->per_arm), ok);
    set(oj, "sd", num(ois->sd), ok);
    set(oj, "delta", num(ois->delta), ok);
    set(oj, "p1", num(ois->p1), ok);
    set(oj, "p2", num(ois->p2), ok);
    set(oj, "alpha", num(ois->alpha), ok);
    set(oj, "power", num(ois->power), ok);
    set(oj, "events", count(g->in.events), ok);
    set(o, "optimal_information_size", oj, ok);
    json_t *rob = json_object();
    set(rob, "assessed_weight_share", num(g->share_assessed), ok);
    set(rob, "high_risk_weight_share", num(g->share_high), ok);
    set(o, "risk_of_bias", rob, ok);
    for (int i = 0; i < EVS_GRADE_DOMAINS; i++) {
        const evs_grade_rating *r = &g->domain[i];
        json_t *x = json_object();
        set(x, "levels", json_integer(r->levels), ok);
        set(x, "assessable", json_boolean(r->assessable), ok);
        evs_text_grade_reason(s, a, (evs_grade_domain)i, &b);
        set(x, "reason", text_json(&b, ok), ok);
        set(x, "overridden", json_boolean(r->overridden), ok);
        if (r->overridden) {
            set(x, "rule_levels", json_integer(r->rule_levels), ok);
            evs_text_grade_rule(s, a, (evs_grade_domain)i, &b);
            set(x, "rule_reason", text_json(&b, ok), ok);
        }
        if (i == EVS_GRADE_RISK_OF_BIAS && g->rob.applies)
            set(x, "appraisal", evs_rob_grade_json(&g->rob), ok);
        set(d, evs_grade_domain_name((evs_grade_domain)i), x, ok);
    }
    evs_buf_free(&b);
    set(o, "domains", d, ok);
    return o;
}

static json_t *rows_json(const evs_synthesis *s, const evs_analysis *a, bool *ok)
{
    json_t *arr = json_array();
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    for (size_t i = 0; i < a->ds->nrows; i++) {
        const evs_dataset_row *row = &a->ds->rows[i];
        const evs_study *st = &s->ev->studies[row->study];
        json_t *x = json_object();
        set(x, "study", str(st->id), ok);
        set(x, "label", str(st->label), ok);
        set(x, "year", st->year > 0 ? json_integer(st->year) : json_null(), ok);
        set(x, "design", str(evs_review_class(s->rv, EVS_VOCAB_DESIGN, s->ev->studies[evs_evidence_root(s->ev, row->study)].design)->id), ok);
        set(x, "n", count(row->n), ok);
        set(x, "weeks", num(row->weeks), ok);
        if (o->type == EVS_OUTCOME_PROPORTION) {
            set(x, "xi", count(row->events), ok);
            set(x, "ni", count(row->n), ok);
        } else if (o->type == EVS_OUTCOME_CHANGE) {
            set(x, "m1i", num(row->m1), ok);
            set(x, "sd1i", num(row->sd1), ok);
            set(x, "m2i", num(row->m2), ok);
            set(x, "sd2i", num(row->sd2), ok);
            set(x, "ni", count(row->n), ok);
            set(x, "ri", num(row->r), ok);
        } else if (evs_outcome_binary(o)) {
            /* escalc's order: the intervention (ai of n1i) against the control. */
            set(x, "ai", count(row->events), ok);
            set(x, "n1i", count(row->n2), ok);
            set(x, "ci", count(row->events_control), ok);
            set(x, "n2i", count(row->n1), ok);
        } else {
            set(x, "m1i", num(row->m1), ok);
            set(x, "sd1i", num(row->sd1), ok);
            set(x, "n1i", count(row->n1), ok);
            set(x, "m2i", num(row->m2), ok);
            set(x, "sd2i", num(row->sd2), ok);
            set(x, "n2i", count(row->n2), ok);
        }
        json_t *conv = json_array();
        for (unsigned b = 0; b < EVS_CONV_COUNT_; b++)
            if (row->conv & (1u << b))
                json_array_append_new(conv, json_string(evs_conv_text(1u << b)));
        set(x, "conversions", conv, ok);
        /* The pooled row, where it made it into the model. */
        long m = -1;
        for (size_t j = 0; a->meta != NULL && j < a->meta->k; j++)
            if (a->meta->included[j] == i)
                m = (long)j;
        if (m >= 0) {
            double e, lb, ub;
            evs_analysis_row_ci(s, a, (size_t)m, &e, &lb, &ub);
            set(x, "yi", num(a->meta->y[m]), ok);
            set(x, "vi", num(a->meta->v[m]), ok);
            set(x, "weight", num(a->meta->weights[m]), ok);
            set(x, "effect", num(e), ok);
            set(x, "effect_ci_lb", num(lb), ok);
            set(x, "effect_ci_ub", num(ub), ok);
            set(x, "risk_of_bias", evs_rob_row_json(s, a, (size_t)m), ok);
        }
        json_array_append_new(arr, x);
    }
    return arr;
}

/* The Bayesian model of an analysis (synthesis.h), or null when not fitted. */
static json_t *bayes_json(const evs_synthesis *s, const evs_analysis *a, bool *ok)
{
    if (!a->has_bayes)
        return json_null();
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    const evs_bayes_fit *b = &a->bayes;
    json_t *x = json_object();
    set(x, "model", str("normal-normal random effects, exact integration over tau"), ok);
    set(x, "primary", json_boolean(a->bayes_primary), ok);
    set(x, "mu_prior", str("flat"), ok);
    set(x, "tau_prior", str(evs_tau_prior_name(o->tau_prior)), ok);
    set(x, "tau_scale", num(a->tau_scale), ok);
    set(x, "tau_scale_basis", str(!isnan(o->tau_scale)               ? "review.ini"
                                  : !isnan(a->uisd)                  ? "half the unit-information SD"
                                                                     : "0.5 on the logit scale"),
        ok);
    set(x, "uisd", num(a->uisd), ok);
    set(x, "interval", str("central"), ok);
    set(x, "level", num(b->level), ok);
    set(x, "mu_median", num(b->mu_median), ok);
    set(x, "mu_lb", num(b->mu_lb), ok);
    set(x, "mu_ub", num(b->mu_ub), ok);
    set(x, "mu_mean", num(b->mu_mean), ok);
    set(x, "mu_sd", num(b->mu_sd), ok);
    set(x, "tau_median", num(b->tau_median), ok);
    set(x, "tau_lb", num(b->tau_lb), ok);
    set(x, "tau_ub", num(b->tau_ub), ok);
    set(x, "pred_median", num(b->pred_median), ok);
    set(x, "pred_lb", num(b->pred_lb), ok);
    set(x, "pred_ub", num(b->pred_ub), ok);
    set(x, "estimate", num(a->bayes_estimate), ok);
    set(x, "ci_lb", num(a->bayes_lb), ok);
    set(x, "ci_ub", num(a->bayes_ub), ok);
    set(x, "pi_lb", num(a->bayes_pred_lb), ok);
    set(x, "pi_ub", num(a->bayes_pred_ub), ok);
    set(x, "p_exceeds_mcid", num(a->bayes_p_exceeds), ok);
    return x;
}

/*
 * The result of a light analysis (a named sensitivity analysis's rerun, a
 * pool matched to a published review), as an analysis gives it.
 */
static void light_json(json_t *x, const evs_analysis *b, bool *ok)
{
    set(x, "k", json_integer((json_int_t)b->k), ok);
    set(x, "k_studies", json_integer((json_int_t)b->k_studies), ok);
    set(x, "n", count(b->n), ok);
    set(x, "pooled", json_boolean(b->meta != NULL), ok);
    set(x, "not_pooled", b->meta ? json_null() : str(b->not_pooled), ok);
    set(x, "estimate", num(b->estimate), ok);
    set(x, "ci_lb", num(b->ci_lb), ok);
    set(x, "ci_ub", num(b->ci_ub), ok);
    set(x, "single_study", json_boolean(b->single), ok);
    set(x, "not_estimable", b->not_estimable[0] ? str(b->not_estimable) : json_null(), ok);
}

/* Each named sensitivity analysis ([sensitivity.ID]) of analysis k. */
static json_t *named_sensitivity_json(const evs_synthesis *s, size_t k, bool *ok)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < s->rv->nsensitivities && s->nsensitivity_runs > 0; i++) {
        const evs_sensitivity_run *r = &s->sensitivity_runs[i * s->nanalyses + k];
        json_t *x = json_object();
        set(x, "id", str(s->rv->sensitivities[i].id), ok);
        set(x, "label", str(s->rv->sensitivities[i].label), ok);
        set(x, "rows_left_out", json_integer((json_int_t)r->dropped), ok);
        bool rerun = r->a.ds != NULL;
        set(x, "rerun", json_boolean(rerun), ok);
        if (rerun)
            light_json(x, &r->a, ok);
        json_array_append_new(arr, x);
    }
    return arr;
}

/* A published review's result beside the pool matched to it (compare.h). */
static json_t *comparison_json(const evs_synthesis *s, const evs_comparison *c, bool *ok)
{
    const evs_obs *o = &s->ev->obs[c->obs];
    const evs_analysis *a = &c->a;
    json_t *x = json_object();
    set(x, "review", str(s->ev->studies[o->study].id), ok);
    set(x, "outcome", str(s->rv->outcomes[c->match.outcome].id), ok);
    set(x, "time_label", str(o->time_label), ok);
    set(x, "weeks", o->time == EVS_TIME_WEEKS ? num(o->weeks) : json_null(), ok);
    set(x, "window", c->match.window == EVS_WINDOW_ALL ? str("all")
                                                       : str(s->rv->windows[c->match.window].id),
        ok);
    set(x, "follow_up", str(!isnan(c->match.sel.near_weeks) ? "nearest"
                            : c->match.sel.any_time        ? "latest"
                                                           : "any"),
        ok);
    set(x, "same_population_only", json_boolean(c->match.sel.filter_population), ok);
    set(x, "change_reported", json_boolean(c->match.change_reported), ok);
    light_json(x, a, ok);
    json_t *st = json_array();
    for (size_t m = 0; a->ds != NULL && m < a->ds->nrows; m++) {
        const evs_dataset_row *row = &a->ds->rows[m];
        const evs_obs *f = &s->ev->obs[row->after];
        json_array_append_new(st, json_pack("{s:o,s:o,s:o}", "study",
                                            str(s->ev->studies[row->study].id), "time_label",
                                            str(f->time_label), "weeks",
                                            f->time == EVS_TIME_WEEKS ? num(f->weeks)
                                                                      : json_null()));
    }
    set(x, "studies", st, ok);
    return x;
}

static json_t *analysis_json(const evs_synthesis *s, const evs_analysis *a, bool *ok)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    json_t *x = json_object();
    char id[200];
    evs_analysis_id(s, a, id, sizeof id);
    set(x, "id", str(id), ok);
    set(x, "outcome", str(o->id), ok);
    set(x, "label", str(o->label), ok);
    set(x, "window", str(id + strlen(o->id) + 1), ok);
    set(x, "window_label", str(evs_dataset_window_label(s->rv, a->window)), ok);
    static const char *const types[] = {"change", "proportion", "difference"};
    set(x, "type", str(types[o->type]), ok);
    set(x, "role", str(o->role == EVS_ROLE_HARM ? "harm" : "benefit"), ok);
    set(x, "primary", json_boolean(o->primary), ok);
    set(x, "measure", str(evs_measure_name(o->measure)), ok);
    set(x, "method", str(evs_method_name(o->method)), ok);
    set(x, "test", str(evs_test_name(o->test)), ok);
    set(x, "scale", str(a->events_comparison && !a->percent ? "ratio"
                        : a->percent                        ? "percent"
                                                            : "points"),
        ok);
    set(x, "mcid", num(o->mcid), ok);
    set(x, "ois", num(o->ois), ok);
    set(x, "ois_rrr", num(o->ois_rrr), ok);
    set(x, "k", json_integer((json_int_t)a->k), ok);
    set(x, "k_studies", json_integer((json_int_t)a->k_studies), ok);
    set(x, "n", count(a->n), ok);
    set(x, "pooled", json_boolean(a->meta != NULL), ok);
    set(x, "not_pooled", a->meta ? json_null() : str(a->not_pooled), ok);
    set(x, "estimate", num(a->estimate), ok);
    set(x, "ci_lb", num(a->ci_lb), ok);
    set(x, "ci_ub", num(a->ci_ub), ok);
    set(x, "pi_lb", num(a->pi_lb), ok);
    set(x, "pi_ub", num(a->pi_ub), ok);
    set(x, "single_study", json_boolean(a->single), ok);
    set(x, "one_trial", json_boolean(a->one_trial), ok);
    set(x, "not_estimable", a->not_estimable[0] ? str(a->not_estimable) : json_null(), ok);
    set(x, "primary_model", str(a->bayes_primary ? "bayesian" : "frequentist"), ok);
    set(x, "frequentist",
        a->meta == NULL ? json_null()
                        : json_pack("{s:o,s:o,s:o,s:o,s:o}", "estimate", num(a->freq_estimate),
                                    "ci_lb", num(a->freq_ci_lb), "ci_ub", num(a->freq_ci_ub),
                                    "pi_lb", num(a->freq_pi_lb), "pi_ub", num(a->freq_pi_ub)),
        ok);
    set(x, "bayes", bayes_json(s, a, ok), ok);
    set(x, "decision_scale", json_pack("{s:o,s:o,s:o,s:o,s:o}", "estimate", num(a->dec_estimate),
                                       "ci_lb", num(a->dec_ci_lb), "ci_ub", num(a->dec_ci_ub),
                                       "pi_lb", num(a->dec_pi_lb), "pi_ub", num(a->dec_pi_ub)),
        ok);
    if (a->events_comparison) {
        json_t *ab = json_object();
        set(ab, "control_risk_percent", num(a->control_risk), ok);
        set(ab, "control_risk_from", str(a->control_risk_set ? "review.ini" : "control arms"), ok);
        set(ab, "events_intervention", count(a->events_intervention), ok);
        set(ab, "n_intervention", count(a->n_intervention), ok);
        set(ab, "events_control", count(a->events_control), ok);
        set(ab, "n_control", count(a->n_control), ok);
        set(ab, "risk_per_1000", num(a->risk), ok);
        set(ab, "risk_per_1000_lb", num(a->risk_lb), ok);
        set(ab, "risk_per_1000_ub", num(a->risk_ub), ok);
        set(ab, "difference_per_1000", num(a->diff), ok);
        set(ab, "difference_per_1000_lb", num(a->diff_lb), ok);
        set(ab, "difference_per_1000_ub", num(a->diff_ub), ok);
        set(x, "absolute", ab, ok);
    }
    set(x, "studies", rows_json(s, a, ok), ok);
    json_t *ex = json_array();
    for (size_t i = 0; i < a->ds->nexcl; i++) {
        json_t *e = json_object();
        set(e, "study", str(s->ev->studies[a->ds->excl[i].study].id), ok);
        set(e, "reason", str(a->ds->excl[i].reason), ok);
        json_array_append_new(ex, e);
    }
    set(x, "excluded", ex, ok);
    if (a->meta == NULL) {
        if (a->one_trial)
            set(x, "grade", grade_json(s, a, ok), ok);
        return x;
    }

    json_t *model = evs_meta_json(a->meta, false);
    if (model != NULL && a->diag != NULL &&
        evs_meta_json_add_diag(model, a->meta, a->diag, NULL, NULL) != 0)
        *ok = false;
    /* The model's cumulative rows are in year order; say so. */
    set(model, "cumulative_order", str("publication year"), ok);
    set(x, "model", model, ok);
    /* Which model the reported estimate comes from; for rates the
     * binomial-normal model, whose numbers these are. */
    set(x, "pooled_model", str(a->glmm ? "GLMM" : "inverse-variance"), ok);
    if (a->glmm) {
        const evs_glmm_fit *g = &a->glmm_fit;
        json_t *gj = json_object();
        set(gj, "model", str("binomial-normal (rma.glmm, measure PLO)"), ok);
        set(gj, "nagq", json_integer(g->nagq), ok);
        set(gj, "common_effect", json_boolean(g->common_effect), ok);
        set(gj, "estimate", num(g->estimate), ok);
        set(gj, "se", num(g->se), ok);
        set(gj, "ci_lb", num(g->ci_lb), ok);
        set(gj, "ci_ub", num(g->ci_ub), ok);
        set(gj, "pi_lb", num(g->pi_lb), ok);
        set(gj, "pi_ub", num(g->pi_ub), ok);
        set(gj, "tau2", num(g->tau2), ok);
        set(gj, "I2", num(g->I2), ok);
        set(gj, "QE_wald", num(g->QE_wald), ok);
        set(gj, "QE_wald_p", num(g->QE_wald_p), ok);
        set(gj, "QE_lrt", num(g->QE_lrt), ok);
        set(gj, "QE_lrt_p", num(g->QE_lrt_p), ok);
        set(gj, "converged", json_boolean(g->converged), ok);
        json_t *w = json_array();
        for (unsigned bit = 1; bit < (1u << EVS_GLMM_WARN_COUNT_); bit <<= 1)
            if (g->warnings & bit)
                json_array_append_new(w, json_string(evs_glmm_warning_text(bit)));
        set(gj, "warnings", w, ok);
        /* the cumulative meta-analysis the report draws, with this model */
        json_t *cum = json_array();
        for (size_t j = 0; a->glmm_cumulative != NULL && j < a->meta->k; j++) {
            const evs_rate_step *r = &a->glmm_cumulative[j];
            json_t *step = json_object();
            set(step, "study_added", str(evs_analysis_row_label(s, a, a->year_order[j])), ok);
            set(step, "k", json_integer((json_int_t)(j + 1)), ok);
            set(step, "estimable", json_boolean(r->estimable), ok);
            set(step, "converged", json_boolean(r->converged), ok);
            set(step, "estimate", num(r->estimate), ok);
            set(step, "ci_lb", num(r->ci_lb), ok);
            set(step, "ci_ub", num(r->ci_ub), ok);
            json_array_append_new(cum, step);
        }
        set(gj, "cumulative", cum, ok);
        set(x, "glmm", gj, ok);
    }

    json_t *sens = json_object();
    json_t *l1o = json_object();
    set(l1o, "min", num(a->l1o_min), ok);
    set(l1o, "min_without", str(evs_analysis_row_label(s, a, a->l1o_min_row)), ok);
    set(l1o, "max", num(a->l1o_max), ok);
    set(l1o, "max_without", str(evs_analysis_row_label(s, a, a->l1o_max_row)), ok);
    set(sens, "leave1out", l1o, ok);
    json_t *rep = json_object();
    set(rep, "k", json_integer((json_int_t)a->k_reported), ok);
    set(rep, "estimate", a->has_reported ? num(a->reported_estimate) : json_null(), ok);
    set(rep, "ci_lb", a->has_reported ? num(a->reported_ci_lb) : json_null(), ok);
    set(rep, "ci_ub", a->has_reported ? num(a->reported_ci_ub) : json_null(), ok);
    set(sens, "reported_values_only", rep, ok);
    if (a->diag != NULL && a->diag->nr > 0) {
        json_t *rs = json_array();
        for (size_t i = 0; i < a->diag->nr; i++) {
            const evs_fit *f = &a->diag->r_fits[i];
            json_t *r = json_object();
            set(r, "r", num(a->diag->r_values[i]), ok);
            set(r, "estimate", num(f->estimate), ok);
            set(r, "ci_lb", num(f->ci_lb), ok);
            set(r, "ci_ub", num(f->ci_ub), ok);
            set(r, "I2", num(f->I2), ok);
            set(r, "converged", json_boolean(!isnan(f->estimate)), ok);
            json_array_append_new(rs, r);
        }
        set(sens, "correlation", rs, ok);
    }
    if (s->rv->nsensitivities > 0)
        set(sens, "named", named_sensitivity_json(s, (size_t)(a - s->analyses), ok), ok);
    set(x, "sensitivity", sens, ok);
    set(x, "grade", grade_json(s, a, ok), ok);
    return x;
}

static json_t *trajectory_json(const evs_synthesis *s, const evs_trajectory *t, bool *ok)
{
    json_t *x = json_object();
    set(x, "outcome", str(s->rv->outcomes[t->outcome].id), ok);
    for (int c = 0; c < 2; c++) {
        const evs_trajectory_point *pts = c == 0 ? t->points : t->control;
        size_t n = c == 0 ? t->npoints : t->ncontrol;
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            const evs_trajectory_point *p = &pts[i];
            json_t *y = json_object();
            set(y, "time", str(p->window == EVS_WINDOW_BASELINE
                                   ? "Baseline"
                                   : evs_dataset_window_label(s->rv, p->window)),
                ok);
            set(y, "k", json_integer((json_int_t)p->k), ok);
            set(y, "n", count(p->n), ok);
            set(y, "mean", num(p->estimate), ok);
            set(y, "ci_lb", num(p->ci_lb), ok);
            set(y, "ci_ub", num(p->ci_ub), ok);
            set(y, "pooled", json_boolean(p->pooled), ok);
            json_array_append_new(arr, y);
        }
        set(x, c == 0 ? "intervention" : "control", arr, ok);
    }
    return x;
}

static json_t *review_json(const evs_review *rv, bool *ok)
{
    json_t *x = json_object();
    set(x, "id", str(rv->id), ok);
    set(x, "title", str(rv->title), ok);
    set(x, "technology", str(rv->technology), ok);
    set(x, "question", str(rv->question), ok);
    set(x, "population", str(rv->population), ok);
    set(x, "intervention", str(rv->intervention), ok);
    set(x, "comparator", str(rv->comparator), ok);
    set(x, "literature_search", str(rv->literature_search), ok);
    set(x, "evidence_assembled", str(rv->evidence_assembled), ok);
    set(x, "search", str(rv->search), ok);
    set(x, "review_date", str(rv->review_date), ok);
    set(x, "last_review", str(rv->last_review), ok);
    set(x, "next_review", str(rv->next_review), ok);
    set(x, "level", num(rv->level), ok);
    json_t *reg = json_object();
    set(reg, "approved", json_boolean(rv->regulatory_approved), ok);
    set(reg, "status", str(rv->regulatory_status), ok);
    set(reg, "source", str(rv->regulatory_source), ok);
    set(x, "regulatory", reg, ok);
    json_t *pol = json_array();
    for (size_t i = 0; i < rv->npolicies; i++) {
        const evs_policy *p = &rv->policies[i];
        json_t *y = json_object();
        set(y, "id", str(p->id), ok);
        set(y, "name", str(p->name), ok);
        set(y, "issuer", str(p->issuer), ok);
        set(y, "codes", str(p->codes), ok);
        set(y, "statement", str(p->statement), ok);
        set(y, "effective", str(p->effective), ok);
        set(y, "last_review", str(p->last_review), ok);
        set(y, "next_review_note", str(p->next_review_note), ok);
        set(y, "literature_search", str(p->literature_search), ok);
        json_array_append_new(pol, y);
    }
    set(x, "policies", pol, ok);
    const evs_grade_settings *g = &rv->grade;
    json_t *gs = json_object();
    set(gs, "start_share", num(g->start_share), ok);
    set(gs, "rob_uncontrolled_share", num(g->rob_uncontrolled_share), ok);
    set(gs, "rob_retrospective_share", num(g->rob_retrospective_share), ok);
    set(gs, "i2_serious", num(g->i2_serious), ok);
    set(gs, "i2_very_serious", num(g->i2_very_serious), ok);
    set(gs, "rob_critical_share", num(g->rob_critical_share), ok);
    set(gs, "rob_high_share", num(g->rob_high_share), ok);
    set(gs, "rob_unclear_share", num(g->rob_unclear_share), ok);
    set(gs, "direct_share", num(g->direct_share), ok);
    set(gs, "ois_alpha", num(g->ois_alpha), ok);
    set(gs, "ois_power", num(g->ois_power), ok);
    set(gs, "ois_rrr", num(g->ois_rrr), ok);
    set(gs, "ois_far_below", num(g->ois_far_below), ok);
    set(gs, "egger_min_k", count(g->egger_min_k), ok);
    set(gs, "egger_alpha", num(g->egger_alpha), ok);
    set(x, "grade_settings", gs, ok);
    json_t *cs = json_object();
    set(cs, "min_certainty", str(evs_certainty_name(rv->criteria.min_certainty)), ok);
    set(cs, "min_studies", count(rv->criteria.min_studies), ok);
    set(cs, "min_studies_conclusions", count(rv->criteria.min_studies_conclusions), ok);
    set(x, "criteria_settings", cs, ok);
    return x;
}

static json_t *base_json(const evs_synthesis *s, bool *ok)
{
    const evs_evidence_base *b = &s->base;
    json_t *x = json_object();
    set(x, "studies", json_integer((json_int_t)b->studies), ok);
    set(x, "participants", count(b->participants), ok);
    set(x, "studies_without_n", json_integer((json_int_t)b->studies_unknown_n), ok);
    json_t *d = json_object();
    for (size_t i = 0; i < s->rv->vocab[EVS_VOCAB_DESIGN].n; i++)
        if (b->by_design[i] > 0)
            set(d, evs_review_class(s->rv, EVS_VOCAB_DESIGN, i)->id,
                json_integer((json_int_t)b->by_design[i]), ok);
    set(x, "designs", d, ok);
    set(x, "randomised", json_integer((json_int_t)b->randomised), ok);
    set(x, "comparative", json_integer((json_int_t)b->comparative), ok);
    set(x, "controls", count(b->controls), ok);
    set(x, "randomised_controlled", json_integer((json_int_t)b->randomised_controlled), ok);
    set(x, "cohorts", json_integer((json_int_t)b->cohorts), ok);
    set(x, "randomised_other", json_integer((json_int_t)b->randomised_other), ok);
    set(x, "controls_without_n", json_integer((json_int_t)b->controls_unknown), ok);
    json_t *in = json_object();
    set(in, "studies", json_integer((json_int_t)b->in.studies), ok);
    set(in, "reports", json_integer((json_int_t)b->in.reports), ok);
    set(in, "participants", count(b->in.participants), ok);
    set(in, "reports_without_n", json_integer((json_int_t)b->in.reports_unknown_n), ok);
    json_t *ind = json_object();
    for (size_t i = 0; i < s->rv->vocab[EVS_VOCAB_DESIGN].n; i++)
        if (b->in.by_design[i] > 0)
            set(ind, evs_review_class(s->rv, EVS_VOCAB_DESIGN, i)->id,
                json_integer((json_int_t)b->in.by_design[i]), ok);
    set(in, "designs", ind, ok);
    json_t *idle = json_array();
    for (size_t i = 0; i < b->in.nidle; i++)
        json_array_append_new(idle, str(s->ev->studies[b->in.idle[i]].id));
    set(in, "not_in_any", idle, ok);
    set(x, "in_analyses", in, ok);
    evs_buf t;
    evs_buf_init(&t);
    evs_text_comparative(s, &t);
    set(x, "comparative_text", text_json(&t, ok), ok);
    evs_buf_free(&t);
    set(x, "excluded", json_integer((json_int_t)b->excluded), ok);
    set(x, "followup_max_weeks", num(b->followup_max_weeks), ok);
    set(x, "year_min", b->year_min ? json_integer(b->year_min) : json_null(), ok);
    set(x, "year_max", b->year_max ? json_integer(b->year_max) : json_null(), ok);
    json_t *ids = json_array();
    for (size_t i = 0; i < s->ev->nstudies; i++) {
        const evs_study *st = &s->ev->studies[i];
        if (st->parent >= 0 || !st->included)
            continue;
        json_t *y = json_object();
        set(y, "id", str(st->id), ok);
        set(y, "label", str(st->label), ok);
        set(y, "year", st->year > 0 ? json_integer(st->year) : json_null(), ok);
        set(y, "design", str(evs_review_class(s->rv, EVS_VOCAB_DESIGN, st->design)->id), ok);
        set(y, "n", count(st->n), ok);
        json_array_append_new(ids, y);
    }
    set(x, "included", ids, ok);
    return x;
}

json_t *evs_report_json(const evs_synthesis *s, const evs_report_info *info)
{
    bool ok = true;
    json_t *root = json_object();
    if (root == NULL)
        return NULL;
    set(root, "schema_version", json_integer(EVS_RESULTS_SCHEMA_VERSION), &ok);
    set(root, "evsynth_version", str(info->version), &ok);
    json_t *inputs = json_array();
    for (size_t i = 0; i < info->ninputs; i++) {
        json_t *y = json_object();
        set(y, "file", str(info->inputs[i].name), &ok);
        set(y, "sha256", str(info->inputs[i].sha256), &ok);
        json_array_append_new(inputs, y);
    }
    set(root, "inputs", inputs, &ok);
    set(root, "review", review_json(s->rv, &ok), &ok);
    set(root, "evidence_base", base_json(s, &ok), &ok);
    set(root, "risk_of_bias", evs_rob_json(s), &ok);
    json_t *an = json_array();
    for (size_t i = 0; i < s->nanalyses; i++)
        json_array_append_new(an, analysis_json(s, &s->analyses[i], &ok));
    set(root, "analyses", an, &ok);
    json_t *tr = json_array();
    for (size_t i = 0; i < s->ntrajectories; i++)
        json_array_append_new(tr, trajectory_json(s, &s->trajectories[i], &ok));
    set(root, "pain_over_time", tr, &ok);
    json_t *cmp = json_array();
    for (size_t i = 0; i < s->ncomparisons; i++)
        json_array_append_new(cmp, comparison_json(s, &s->comparisons[i], &ok));
    set(root, "comparisons", cmp, &ok);
    json_t *cr = json_array();
    evs_buf b;
    evs_buf_init(&b);
    for (int i = 0; i < EVS_CRITERIA; i++) {
        const evs_criterion *c = &s->criteria.criterion[i];
        json_t *y = json_object();
        set(y, "number", json_integer(i + 1), &ok);
        set(y, "title", str(evs_criterion_title(i)), &ok);
        set(y, "verdict", str(evs_verdict_name(c->verdict)), &ok);
        set(y, "reason", str(evs_criterion_reason_name(c->reason)), &ok);
        if (c->has_basis) {
            const evs_criteria_analysis *b0 = &c->basis;
            json_t *bj = json_object();
            char id[160];
            evs_analysis_id(s, &s->analyses[b0->index], id, sizeof id);
            set(bj, "analysis", str(id), &ok);
            set(bj, "certainty", str(evs_certainty_name(b0->certainty)), &ok);
            set(bj, "k", json_integer((json_int_t)b0->k), &ok);
            set(bj, "n", count(b0->n), &ok);
            set(bj, "estimate", num(b0->estimate), &ok);
            set(bj, "ci_lb", num(b0->ci_lb), &ok);
            set(bj, "ci_ub", num(b0->ci_ub), &ok);
            set(bj, "pi_lb", num(b0->pi_lb), &ok);
            set(bj, "pi_ub", num(b0->pi_ub), &ok);
            set(bj, "mcid", num(b0->mcid), &ok);
            set(bj, "share_established", num(b0->share_established), &ok);
            set(bj, "share_sham_or_no_treatment", num(b0->share_sham), &ok);
            set(bj, "studies_in_usual_practice", json_integer((json_int_t)b0->k_usual), &ok);
            set(y, "basis", bj, &ok);
        }
        evs_text_criterion(s, i, &b);
        set(y, "evidence", text_json(&b, &ok), &ok);
        evs_text_criterion_needed(s, i, &b);
        set(y, "needed", b.len ? text_json(&b, &ok) : json_null(), &ok);
        set(y, "overridden", json_boolean(c->overridden), &ok);
        if (c->overridden) {
            set(y, "rule_verdict", str(evs_verdict_name(c->rule_verdict)), &ok);
            evs_text_criterion_rule(s, i, &b);
            set(y, "rule_evidence", text_json(&b, &ok), &ok);
        }
        json_array_append_new(cr, y);
    }
    set(root, "criteria", cr, &ok);
    json_t *con = json_object();
    set(con, "investigational", json_boolean(s->criteria.investigational), &ok);
    evs_text_conclusion(s, &b);
    set(con, "text", text_json(&b, &ok), &ok);
    set(root, "conclusion", con, &ok);
    evs_buf_free(&b);
    if (info->prisma != NULL)
        set(root, "prisma", evs_report_prisma_json(info->prisma, s->rv), &ok);
    set(root, "figures", json_boolean(info->figures), &ok);
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    evs_json_round(root);
    return root;
}
