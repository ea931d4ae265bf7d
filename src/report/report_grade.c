/*
 * report_grade.c -- the sentences of a GRADE rating (review/grade.h): why
 * the rating started where it did and what each domain's rule found, with
 * its numbers and thresholds.  Nothing here decides anything; the rules
 * are in src/review/grade.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/numfmt.h"
#include "report/report.h"

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
}

static void inconsistency(const evs_grade_result *g, const evs_grade_settings *s, unsigned why,
                          evs_buf *b)
{
    const evs_grade_input *in = &g->in;
    char pi[2 * EVS_NUM_TEXT + 8];
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

/* The comparator classes of an analysis's rows, "sham procedure and usual care". */
static void comparator_labels(const evs_synthesis *s, const evs_analysis *a, bool in_question,
                              evs_buf *b)
{
    const evs_vocabulary *v = &s->rv->vocab[EVS_VOCAB_COMPARATOR];
    bool seen[EVS_MAX_CLASSES] = {false};
    size_t n = 0, total = 0;
    for (size_t i = 0; i < a->ds->nrows; i++) {
        long c = a->ds->rows[i].control;
        if (c < 0)
            continue;
        size_t k = s->ev->studies[c].comparator;
        if (k < v->n && !seen[k] && v->items[k].in_question == in_question) {
            seen[k] = true;
            total++;
        }
    }
    for (size_t k = 0; k < v->n; k++) {
        if (!seen[k])
            continue;
        evs_buf_printf(b, "%s%s", n == 0 ? "" : n + 1 == total ? " and " : ", ", v->items[k].label);
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
        comparator_labels(s, a, true, &in_q);
        comparator_labels(s, a, false, &out_q);
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

static void imprecision(const evs_grade_result *g, unsigned why, evs_buf *b)
{
    const evs_grade_input *in = &g->in;
    char ci[2 * EVS_NUM_TEXT + 8], n[EVS_NUM_TEXT], ois[EVS_NUM_TEXT];
    interval(in, in->ci_lb, in->ci_ub, ci, sizeof ci);
    evs_num_count(in->n, n, sizeof n);
    evs_num_count(in->ois, ois, sizeof ois);
    if (why & EVS_GRADE_IMP_BELOW_OIS)
        clause(b, "%s participants, fewer than the optimal information size of %s", n, ois);
    bool ci_null = why & EVS_GRADE_IMP_CI_NULL, ci_mcid = why & EVS_GRADE_IMP_CI_MCID;
    if (ci_null || ci_mcid)
        clause(b, "the confidence interval (%s) includes %s", ci,
               ci_null && ci_mcid ? "no effect and the MCID"
               : ci_null          ? "no effect"
                                  : "the MCID");
    if (b->len == 0)
        clause(b, "%s participants (optimal information size %s) and a confidence interval (%s) "
                  "on one side of the MCID",
               n, ois, ci);
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
        clause(b, "%zu studies, and Egger's test needs at least %s", in->k, mink);
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
        imprecision(g, r->why, b);
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
