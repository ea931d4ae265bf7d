/*
 * report_grade.c -- the sentences of a GRADE rating (review/grade.h): why
 * the rating started where it did and what each domain's rule found, with
 * its numbers and thresholds.  Nothing here decides anything; the rules
 * are in src/review/grade.c.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/numfmt.h"
#include "report/report.h"
#include "report_internal.h"

/* Append a clause, separated from the ones before by "; ". */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void clause(evs_buf *b, const char *fmt, ...)
{
    char text[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (b->len > 0)
        evs_buf_add(b, "; ");
    evs_buf_add(b, text);
}

/* An interval of the analysis in the number rule (report/numfmt.h). */
static const char *interval(const evs_grade_input *in, double lb, double ub, char *buf,
                            size_t cap)
{
    return evs_num_interval(lb, ub, in->binary, buf, cap);
}

void evs_text_grade_start(const evs_analysis *a, evs_buf *b)
{
    const evs_grade_result *g = &a->grade;
    if (g->start_why & EVS_GRADE_START_ONE_GROUP) {
        evs_buf_add(b, "the analysis uses treated patients only, before and after (no control "
                       "group), whatever the design of the studies");
        return;
    }
    switch (g->start) {
    case EVS_CERTAINTY_HIGH:
        evs_buf_printf(b, "randomised trials hold %.0f%% of the participants", g->share_randomised);
        break;
    case EVS_CERTAINTY_LOW:
        evs_buf_printf(b,
                       "observational studies with a control group hold %.0f%% of the participants",
                       g->share_controlled);
        break;
    default:
        evs_buf_printf(b, "studies without a control group hold %.0f%% of the participants",
                       100 - g->share_controlled);
    }
}

static void risk_of_bias(const evs_grade_result *g, const evs_grade_settings *s, unsigned why,
                         evs_buf *b)
{
    if (why & EVS_GRADE_ROB_UNCONTROLLED)
        clause(b, "%.0f%% of the participants are from studies without a control group "
                  "(threshold %.0f%%)%s",
               g->share_uncontrolled, s->rob_uncontrolled_share,
               !g->in.harm ? ": regression to the mean, natural healing and co-interventions "
                             "cannot be separated from the effect"
                           : "");
    if (why & EVS_GRADE_ROB_RETROSPECTIVE)
        clause(b, "%.0f%% are from retrospective series (threshold %.0f%%)",
               g->share_retrospective, s->rob_retrospective_share);
    if (b->len == 0)
        clause(b, "%.0f%% of the participants are from studies without a control group and "
                  "%.0f%% from retrospective series, below the thresholds (%.0f%%, %.0f%%)",
               g->share_uncontrolled, g->share_retrospective, s->rob_uncontrolled_share,
               s->rob_retrospective_share);
    if (why & EVS_GRADE_ROB_NOT_ASSESSED) {
        clause(b, "no study's risk of bias (randomisation, blinding, missing outcome data, "
                  "selective reporting) has been appraised%s",
               why & (EVS_GRADE_ROB_UNCONTROLLED | EVS_GRADE_ROB_RETROSPECTIVE)
                   ? ""
                   : ", so this rating assumes it is not serious");
        return;
    }
    /* The appraisals' rule, with its numbers and domains (report_rob.c). */
    evs_buf rob;
    evs_buf_init(&rob);
    evs_text_rob_grade(&g->rob, &rob);
    clause(b, "%s", evs_buf_str(&rob));
    evs_buf_free(&rob);
}

static void inconsistency(const evs_grade_result *g, const evs_grade_settings *s, unsigned why,
                          evs_buf *b)
{
    const evs_grade_input *in = &g->in;
    char pi[2 * EVS_NUM_TEXT + 8];
    if (why & EVS_GRADE_INC_ONE_STUDY) {
        clause(b, "1 trial: there are no other results for it to be inconsistent with, and "
                  "it is not rated down for that (GRADE 7 judges the differences between "
                  "studies); its own uncertainty is judged under imprecision");
        return;
    }
    interval(in, in->pi_lb, in->pi_ub, pi, sizeof pi);
    if (why & EVS_GRADE_INC_I2_VERY) {
        clause(b, "I\u00b2 = %.0f%% (≥ %.0f%%) and the prediction interval (%s) includes no "
                  "effect",
               in->I2, s->i2_very_serious, pi);
        return;
    }
    if (why & EVS_GRADE_INC_I2)
        clause(b, "I\u00b2 = %.0f%% (≥ %.0f%%)", in->I2, s->i2_serious);
    bool pi_null = why & EVS_GRADE_INC_PI_NULL, pi_mcid = why & EVS_GRADE_INC_PI_MCID;
    if (pi_null || pi_mcid)
        clause(b, "the prediction interval (%s) includes %s", pi,
               pi_null && pi_mcid ? "no effect and the MCID"
               : pi_null          ? "no effect"
                                  : "the MCID");
    if (b->len == 0) {
        if (!(why & EVS_GRADE_INC_SPREAD))
            clause(b, "I\u00b2 = %.0f%% (< %.0f%%)", in->I2, s->i2_serious);
        else
            clause(b, "I\u00b2 = %.0f%% (< %.0f%%) and the prediction interval (%s) is on one "
                      "side of the MCID",
                   in->I2, s->i2_serious, pi);
    }
}

void evs_text_per_1000(double x, evs_buf *b)
{
    char n[EVS_NUM_TEXT];
    double r = floor(fabs(x) + 0.5);
    if (isnan(x))
        evs_buf_add(b, "-");
    else if (r == 0)
        evs_buf_add(b, "no difference");
    else
        evs_buf_printf(b, "%s %s", evs_num_count(r, n, sizeof n), x < 0 ? "fewer" : "more");
}

void evs_text_relative(const evs_synthesis *s, const evs_analysis *a, evs_buf *b)
{
    char t[EVS_CI_TEXT];
    if (!a->events_comparison) {
        evs_fmt_ci(s, a, a->estimate, a->ci_lb, a->ci_ub, t, sizeof t);
        evs_buf_add(b, t);
        return;
    }
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    char e[EVS_NUM_TEXT], l[EVS_NUM_TEXT], u[EVS_NUM_TEXT];
    if (o->measure == EVS_MEASURE_RD)
        evs_buf_printf(b, "RD %s (%s to %s) percentage points",
                       evs_num_stat(a->estimate, e, sizeof e), evs_num_stat(a->ci_lb, l, sizeof l),
                       evs_num_stat(a->ci_ub, u, sizeof u));
    else
        evs_buf_printf(b, "%s %s (%s to %s)", evs_measure_name(o->measure),
                       evs_num_stat(a->estimate, e, sizeof e), evs_num_stat(a->ci_lb, l, sizeof l),
                       evs_num_stat(a->ci_ub, u, sizeof u));
}

void evs_text_absolute(const evs_analysis *a, evs_buf *b)
{
    char cr[EVS_NUM_TEXT], r[EVS_NUM_TEXT], rl[EVS_NUM_TEXT], ru[EVS_NUM_TEXT];
    evs_buf_printf(b, "per 1,000: %s with the control%s, %s with the intervention (%s to %s), ",
                   evs_num_count(floor(10 * a->control_risk + 0.5), cr, sizeof cr),
                   a->control_risk_set ? " (assumed in review.ini)" : "",
                   evs_num_count(floor(a->risk + 0.5), r, sizeof r),
                   evs_num_count(floor(a->risk_lb + 0.5), rl, sizeof rl),
                   evs_num_count(floor(a->risk_ub + 0.5), ru, sizeof ru));
    evs_text_per_1000(a->diff, b);
    evs_buf_add(b, " (");
    evs_text_per_1000(a->diff_lb, b);
    evs_buf_add(b, " to ");
    evs_text_per_1000(a->diff_ub, b);
    evs_buf_add(b, ")");
}

void evs_text_effect(const evs_synthesis *s, const evs_analysis *a, evs_buf *b)
{
    evs_text_relative(s, a, b);
    if (a->events_comparison) {
        evs_buf_add(b, "; ");
        evs_text_absolute(a, b);
    }
}

void evs_text_comparators(const evs_synthesis *s, const evs_analysis *a, int which, evs_buf *b)
{
    const evs_vocabulary *v = &s->rv->vocab[EVS_VOCAB_COMPARATOR];
    bool seen[EVS_MAX_CLASSES] = {false};
    size_t n = 0, total = 0;
    for (size_t i = 0; a->ds != NULL && i < a->ds->nrows; i++) {
        long c = a->ds->rows[i].control;
        if (c < 0)
            continue;
        size_t k = s->ev->studies[c].comparator;
        if (k >= v->n || seen[k] || (which == 1 && !v->items[k].in_question) ||
            (which == 2 && v->items[k].in_question))
            continue;
        seen[k] = true;
        total++;
    }
    for (size_t k = 0; k < v->n; k++) {
        if (!seen[k])
            continue;
        evs_buf_printf(b, "%s%s", n == 0 ? "" : n + 1 == total ? " and " : ", ", v->items[k].label);
        n++;
    }
}

void evs_text_established(const evs_synthesis *s, evs_buf *b)
{
    const evs_vocabulary *v = &s->rv->vocab[EVS_VOCAB_COMPARATOR];
    size_t total = 0, n = 0;
    for (size_t k = 0; k < v->n; k++)
        total += v->items[k].established;
    for (size_t k = 0; k < v->n; k++) {
        if (!v->items[k].established)
            continue;
        evs_buf_printf(b, "%s%s", n == 0 ? "" : n + 1 == total ? " or " : ", ", v->items[k].label);
        n++;
    }
}

static void indirectness(const evs_synthesis *s, const evs_analysis *a, unsigned why, evs_buf *b)
{
    const evs_grade_result *g = &a->grade;
    const evs_grade_settings *gs = &s->rv->grade;
    const evs_grade_input *in = &g->in;
    if (in->kind == EVS_GRADE_COMPARISON) {
        evs_buf in_q, out_q;
        evs_buf_init(&in_q);
        evs_buf_init(&out_q);
        evs_text_comparators(s, a, 1, &in_q);
        evs_text_comparators(s, a, 2, &out_q);
        if (why & EVS_GRADE_IND_FEW_DIRECT)
            clause(b, "only %.0f%% of the participants are in comparisons the review asks about "
                      "(threshold %.0f%%)%s%s",
                   g->share_direct, gs->direct_share, out_q.len ? "; the others are against " : "",
                   evs_buf_str(&out_q));
        else
            clause(b, "%.0f%% of the participants are in comparisons the review asks about%s%s%s",
                   g->share_direct, in_q.len ? " (against " : "", evs_buf_str(&in_q),
                   in_q.len ? ")" : "");
        evs_buf_free(&in_q);
        evs_buf_free(&out_q);
    } else if (why & EVS_GRADE_IND_SINGLE_GROUP) {
        clause(b, "%s in treated patients only: no comparison with a control group",
               in->binary ? "a rate" : "change from baseline");
    } else {
        clause(b, "rates of harm in treated patients answer the safety question directly");
    }
    if (why & EVS_GRADE_IND_POPULATION)
        clause(b, "only %.0f%% of the participants are in the populations the review asks about "
                  "(threshold %.0f%%)",
               g->share_population, gs->direct_share);
    else if (g->share_population < 100)
        clause(b, "%.0f%% of the participants are in the populations the review asks about",
               g->share_population);
}

/* "OIS 110 participants (two groups of 55: a difference of 1.5 against a pooled SD of 2.10; ...)" */
static void ois_text(const evs_grade_result *g, evs_buf *b)
{
    const evs_ois *o = &g->in.ois;
    char n[EVS_NUM_TEXT], arm[EVS_NUM_TEXT], x1[EVS_NUM_TEXT], x2[EVS_NUM_TEXT];
    char alpha[EVS_NUM_TEXT], power[EVS_NUM_TEXT];
    evs_num_count(o->n, n, sizeof n);
    evs_num_count(o->per_arm, arm, sizeof arm);
    evs_num_setting(o->alpha, alpha, sizeof alpha);
    evs_num_setting(o->power, power, sizeof power);
    evs_buf_printf(b, "an optimal information size of %s", n);
    switch (o->basis) {
    case EVS_OIS_SET:
        evs_buf_add(b, " (set in review.ini)");
        return;
    case EVS_OIS_MEAN_ONE:
        evs_buf_printf(b, " (one group: a change of %s against a pooled SD of the change of %s",
                       evs_num_setting(o->delta, x1, sizeof x1), evs_num_stat(o->sd, x2, sizeof x2));
        break;
    case EVS_OIS_MEANS_TWO:
        evs_buf_printf(b, " (two groups of %s: a difference of %s against a pooled SD of %s", arm,
                       evs_num_setting(o->delta, x1, sizeof x1), evs_num_stat(o->sd, x2, sizeof x2));
        break;
    case EVS_OIS_RATE_ONE:
        evs_buf_printf(b, " (one group: the rate judged important, %s, against %s",
                       evs_num_effect(100 * o->p1, true, x1, sizeof x1),
                       evs_num_effect(100 * o->p2, true, x2, sizeof x2));
        break;
    default:
        evs_buf_printf(b, " (two groups of %s: a control risk of %s against %s", arm,
                       evs_num_effect(100 * o->p1, true, x1, sizeof x1),
                       evs_num_effect(100 * o->p2, true, x2, sizeof x2));
    }
    evs_buf_printf(b, ", two-sided alpha %s, power %s)", alpha, power);
}

/* A bound of the decision scale (oriented percentage points) as a change per 1,000. */
static void per_1000(const evs_grade_result *g, double x, evs_buf *b)
{
    evs_text_per_1000((g->in.harm ? -10 : 10) * x, b);
}

/*
 * Imprecision of a comparison of events, told per 1,000 (GRADE's absolute
 * effects): the thresholds are an important difference of the MCID in
 * percentage points either way.
 */
static void imprecision_events(const evs_grade_result *g, unsigned why, evs_buf *b)
{
    const evs_grade_input *in = &g->in;
    bool upper = why & EVS_GRADE_IMP_UPPER, lower = why & EVS_GRADE_IMP_LOWER;
    char m[EVS_NUM_TEXT];
    evs_num_count(10 * in->mcid, m, sizeof m);
    const char *good = in->harm ? "fewer" : "more", *bad = in->harm ? "more" : "fewer";
    evs_buf ci;
    evs_buf_init(&ci);
    /* From the lower to the upper natural bound (intervention minus control). */
    per_1000(g, in->harm ? in->ci_ub : in->ci_lb, &ci);
    evs_buf_add(&ci, " to ");
    per_1000(g, in->harm ? in->ci_lb : in->ci_ub, &ci);
    if (upper && lower)
        clause(b, "the confidence interval of the absolute effect (%s per 1,000) includes both %s "
                  "%s and %s %s per 1,000, the important differences either way",
               evs_buf_str(&ci), m, good, m, bad);
    else if (upper || lower)
        clause(b, "the confidence interval of the absolute effect (%s per 1,000) includes %s %s "
                  "per 1,000, an important difference",
               evs_buf_str(&ci), m, upper ? good : bad);
    else
        clause(b, "the confidence interval of the absolute effect (%s per 1,000) lies %s", evs_buf_str(&ci),
               g->effect == EVS_EFFECT_TRIVIAL ? "within the important differences, so the "
                                                 "difference is not important either way"
               : g->effect == EVS_EFFECT_BENEFIT ? "beyond an important difference in favour of "
                                                   "the intervention"
                                                 : "beyond an important difference against the "
                                                   "intervention");
    if (!upper && !lower)
        evs_buf_printf(b, " (%s per 1,000)", m);
    evs_buf_free(&ci);
}

static void imprecision(const evs_grade_result *g, const evs_grade_settings *s, unsigned why,
                        evs_buf *b)
{
    const evs_grade_input *in = &g->in;
    char ci[2 * EVS_NUM_TEXT + 8], lo[EVS_NUM_TEXT], up[EVS_NUM_TEXT], n[EVS_NUM_TEXT],
        ev[EVS_NUM_TEXT], far[EVS_NUM_TEXT];
    bool rate = in->kind == EVS_GRADE_SINGLE_GROUP && in->binary;
    interval(in, in->ci_lb, in->ci_ub, ci, sizeof ci);
    /* Thresholds are settings: as written in review.ini, a percent sign for a rate. */
    evs_num_setting(g->upper, up, sizeof up - 1);
    evs_num_setting(g->lower, lo, sizeof lo - 1);
    if (in->binary) {
        strcat(up, "%");
        strcat(lo, "%");
    }
    bool upper = why & EVS_GRADE_IMP_UPPER, lower = why & EVS_GRADE_IMP_LOWER;
    if (in->kind == EVS_GRADE_COMPARISON && in->binary && in->mcid > 0) {
        imprecision_events(g, why, b);
    } else if (rate) {
        if (upper)
            clause(b, "the confidence interval (%s) crosses %s, the rate judged important", ci, up);
        else
            clause(b, "the confidence interval (%s) lies %s %s, the rate judged important", ci,
                   g->effect == EVS_EFFECT_ABOVE ? "above" : "below", up);
    } else if (isnan(g->lower)) {
        if (upper)
            clause(b, "the confidence interval (%s) includes no effect (the MCID is 0)", ci);
        else
            clause(b, "the confidence interval (%s) excludes no effect (the MCID is 0)", ci);
    } else if (upper && lower) {
        clause(b, "the confidence interval (%s) crosses both %s and %s: an important benefit and "
                  "an important disadvantage are both possible",
               ci, lo, up);
    } else if (upper || lower) {
        clause(b, "the confidence interval (%s) crosses %s, %s", ci, upper ? up : lo,
               upper ? "the MCID" : "an important disadvantage of the MCID");
    } else {
        clause(b, "the confidence interval (%s) lies %s", ci,
               g->effect == EVS_EFFECT_BENEFIT ? "above the MCID"
               : g->effect == EVS_EFFECT_HARM  ? "below minus the MCID"
                                               : "between minus and plus the MCID");
        evs_buf_printf(b, " (%s%s%s)", g->effect == EVS_EFFECT_TRIVIAL ? lo : "",
                       g->effect == EVS_EFFECT_TRIVIAL ? " to " : "",
                       g->effect == EVS_EFFECT_HARM ? lo : up);
        if (g->effect == EVS_EFFECT_TRIVIAL)
            evs_buf_add(b, ": no important effect either way");
    }
    evs_num_count(in->n, n, sizeof n);
    evs_num_count(in->events, ev, sizeof ev);
    if (in->binary && !isnan(in->events))
        clause(b, "%s participants and %s events against ", n, ev);
    else
        clause(b, "%s participants against ", n);
    if (why & EVS_GRADE_IMP_NO_OIS) {
        evs_buf_add(b, "no optimal information size (none can be computed without a threshold "
                       "and a spread)");
        return;
    }
    ois_text(g, b);
    if (why & EVS_GRADE_IMP_FAR_BELOW_OIS)
        evs_buf_printf(b, ": below %s%% of it",
                       evs_num_setting(s->ois_far_below, far, sizeof far));
    else if (why & EVS_GRADE_IMP_BELOW_OIS)
        evs_buf_add(b, ": fewer");
    else
        evs_buf_add(b, ": met");
    if (why & EVS_GRADE_IMP_EXTREME)
        evs_buf_add(b, "; both together are extremely serious (GRADE 34: a confidence interval "
                       "across a threshold with an information size far below the optimal)");
}

static void publication_bias(const evs_grade_result *g, const evs_grade_settings *s,
                             const evs_grade_rating *r, evs_buf *b)
{
    const evs_grade_input *in = &g->in;
    char p[EVS_NUM_TEXT], alpha[EVS_NUM_TEXT], mink[EVS_NUM_TEXT];
    evs_num_p(in->egger_p, p, sizeof p);
    evs_num_setting(s->egger_alpha, alpha, sizeof alpha);
    evs_num_setting(s->egger_min_k, mink, sizeof mink);
    if (r->why & EVS_GRADE_PUB_NOT_ASSESSABLE)
        clause(b, "%zu %s, and Egger's test needs at least %s", in->k,
               in->k == 1 ? "study" : "studies", mink);
    else if (r->why & EVS_GRADE_PUB_EGGER)
        clause(b, "Egger's test p %s (< %s): small-study effects", p, alpha);
    else
        clause(b, "Egger's test p %s (≥ %s)", p, alpha);
}

void evs_text_grade_rule(const evs_synthesis *s, const evs_analysis *a, evs_grade_domain d,
                         evs_buf *b)
{
    const evs_grade_result *g = &a->grade;
    const evs_grade_settings *gs = &s->rv->grade;
    const evs_grade_rating *r = &g->domain[d];
    switch (d) {
    case EVS_GRADE_RISK_OF_BIAS:
        risk_of_bias(g, gs, r->why, b);
        break;
    case EVS_GRADE_INCONSISTENCY:
        inconsistency(g, gs, r->why, b);
        break;
    case EVS_GRADE_INDIRECTNESS:
        indirectness(s, a, r->why, b);
        break;
    case EVS_GRADE_IMPRECISION:
        imprecision(g, gs, r->why, b);
        break;
    default:
        publication_bias(g, gs, r, b);
    }
}

void evs_text_grade_reason(const evs_synthesis *s, const evs_analysis *a, evs_grade_domain d,
                           evs_buf *b)
{
    const evs_grade_rating *r = &a->grade.domain[d];
    if (r->overridden)
        evs_buf_printf(b, "reviewer's judgement: %s", r->override_reason);
    else
        evs_text_grade_rule(s, a, d, b);
}

/* ---------------------------------------------------------------------------
 * Plain-language statements (GRADE guidelines 26, Santesso et al. 2020,
 * J Clin Epidemiol 119:126-135): the size of the effect (where the estimate
 * lies against the MCID, grade.h) said with the certainty: high "results
 * in", moderate "likely results in", low "may result in", very low "the
 * evidence is very uncertain about".
 */

/* The technology's name mid-sentence: its first letter in lower case unless
 * the name starts with an acronym ("PMMA"). */
void evs_text_technology(const evs_synthesis *s, bool start, evs_buf *b)
{
    const char *t = s->rv->technology ? s->rv->technology : "the technology";
    if (!start && t[0] >= 'A' && t[0] <= 'Z' && !(t[1] >= 'A' && t[1] <= 'Z')) {
        char first[2] = {(char)(t[0] - 'A' + 'a'), '\0'};
        evs_buf_add(b, first);
        evs_buf_add(b, t + 1);
    } else {
        evs_buf_add(b, t);
    }
}

static void window_phrase(const evs_synthesis *s, const evs_analysis *a, evs_buf *b)
{
    if (a->window == EVS_WINDOW_ALL)
        return;
    const char *w = evs_dataset_window_label(s->rv, a->window);
    evs_buf_add(b, " (");
    if (w[0] >= 'A' && w[0] <= 'Z' && !(w[1] >= 'A' && w[1] <= 'Z')) {
        char first[2] = {(char)(w[0] - 'A' + 'a'), '\0'};
        evs_buf_add(b, first);
        evs_buf_add(b, w + 1);
    } else {
        evs_buf_add(b, w);
    }
    evs_buf_add(b, ")");
}

static const char *verb(evs_certainty c)
{
    switch (c) {
    case EVS_CERTAINTY_HIGH:
        return "results in";
    case EVS_CERTAINTY_MODERATE:
        return "likely results in";
    default:
        return "may result in";
    }
}

void evs_text_statement(const evs_synthesis *s, const evs_analysis *a, bool window, evs_buf *b)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    const evs_grade_result *g = &a->grade;
    const char *noun = o->noun ? o->noun : o->id;
    char thr[EVS_NUM_TEXT];
    if (!evs_has_result(a))
        return;
    bool comparison = g->in.kind == EVS_GRADE_COMPARISON;
    bool rate = !comparison && g->in.binary;
    if (g->certainty == EVS_CERTAINTY_VERY_LOW) {
        evs_buf_add(b, "The evidence is very uncertain about ");
        if (rate) {
            evs_buf_printf(b, "the rate of %s with ", noun);
            evs_text_technology(s, false, b);
        } else if (comparison) {
            evs_buf_add(b, "the effect of ");
            evs_text_technology(s, false, b);
            evs_buf_printf(b, " on %s", noun);
        } else {
            evs_buf_printf(b, "the change in %s after ", noun);
            evs_text_technology(s, false, b);
            evs_buf_add(b, ", measured without a comparison group");
        }
        if (window)
            window_phrase(s, a, b);
        if (comparison) {
            evs_buf e;
            evs_buf_init(&e);
            evs_text_comparators(s, a, 0, &e);
            if (e.len)
                evs_buf_printf(b, " compared with %s", evs_buf_str(&e));
            evs_buf_free(&e);
        }
        return;
    }
    if (rate) {
        /* A rate against the one the review team judges important. */
        static const char *const is[] = {"", "", "may be", "is likely", "is"};
        evs_num_setting(o->mcid, thr, sizeof thr);
        evs_buf_printf(b, "The rate of %s with ", noun);
        evs_text_technology(s, false, b);
        if (window)
            window_phrase(s, a, b);
        evs_buf_printf(b, " %s %s %s%%, the rate the review team judges important",
                       is[g->certainty], g->effect == EVS_EFFECT_ABOVE ? "at or above" : "below",
                       thr);
        return;
    }
    /* Better is a fall (lower_better) or a rise; on the decision scale the
     * "benefit" range is the better direction. */
    bool better_is_fall = o->lower_better;
    const char *size = g->effect == EVS_EFFECT_TRIVIAL ? "little to no difference in"
                       : (g->effect == EVS_EFFECT_BENEFIT) == better_is_fall
                           ? "a reduction in"
                           : "an increase in";
    if (comparison) {
        evs_text_technology(s, true, b);
        evs_buf_printf(b, " %s %s %s", verb(g->certainty), size, noun);
        if (window)
            window_phrase(s, a, b);
        evs_buf e;
        evs_buf_init(&e);
        evs_text_comparators(s, a, 0, &e);
        if (e.len)
            evs_buf_printf(b, " compared with %s", evs_buf_str(&e));
        evs_buf_free(&e);
    } else {
        evs_buf_add(b, "After ");
        evs_text_technology(s, false, b);
        evs_buf_printf(b, ", measured without a comparison group, the change from baseline %s %s %s",
                       verb(g->certainty), size, noun);
        if (window)
            window_phrase(s, a, b);
    }
}
