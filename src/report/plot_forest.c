/*
 * plot_forest.c -- the forest plot and the cumulative meta-analysis of an
 * analysis, as rows for plot_rows.c.
 *
 * The forest plot follows RevMan 5 and R's meta (forest.meta):
 *   - single-group changes: Study, Year, n, the mean (SD) before and after;
 *   - comparisons of two arms: the intervention's mean, SD and total first,
 *     then the comparator's, under their names, and "Favours <comparator>" /
 *     "Favours <intervention>" either side of the no-effect line;
 *   - rates: events and total;
 * then the effect with its confidence interval and the weight, squares
 * whose area is proportional to the weight, the pooled diamond, the
 * prediction interval, heterogeneity and, for effects against no effect,
 * the test for overall effect (a single-group rate has no null value worth
 * testing: metafor's test of a logit against 0 tests the rate against 50%).
 * Rows come in the order the review sets (study_order, default by year with
 * undated studies last).
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_rows.h"
#include "report/numfmt.h"
#include "report/report.h"
#include "report_internal.h"

/* Footnote markers of a row's conversions (the R_IMPUTED one is in the footer). */
static const struct {
    unsigned bits;
    const char *mark, *text;
} marks[] = {
    {EVS_CONV_MEDIAN, "a", "mean and SD estimated from the median and IQR or range"},
    {EVS_CONV_SD_IMPUTED, "b", "SD imputed from the other studies"},
    {EVS_CONV_FROM_CHANGE, "c", "mean after computed from the reported change"},
    {EVS_CONV_SE | EVS_CONV_CI, "d", "SD computed from an SE or CI"},
    {EVS_CONV_SECONDARY, "e", "number from a secondary source"},
    {EVS_CONV_SD_CHANGE | EVS_CONV_R_DERIVED, "f", "SD of the change as reported"},
};
#define NMARKS (sizeof marks / sizeof marks[0])

/* "Random-effects model (REML estimator of tau2), Knapp-Hartung ... ; measure MC" */
static void model_text(const evs_synthesis *s, const evs_outcome_spec *o, bool glmm, char *buf,
                       size_t cap)
{
    char level[EVS_NUM_TEXT];
    evs_num_setting(s->rv->level, level, sizeof level);
    if (glmm)
        /* A rate: the binomial-normal model on the counts (synthesis.h). */
        snprintf(buf, cap,
                 "Binomial-normal model (GLMM, ML) on the counts; %s%% %s; studies: x/n with "
                 "exact (Clopper-Pearson) CIs",
                 level, evs_test_is_knha(o->test) ? "t CIs" : "Wald CIs");
    else if (o->method == EVS_METHOD_FE)
        snprintf(buf, cap, "Common-effect model; %s%% %s; measure %s", level,
                 evs_test_is_knha(o->test) ? "Knapp-Hartung CIs (t distribution)"
                                          : "Wald CIs (normal distribution)",
                 evs_measure_name(o->measure));
    else
        snprintf(buf, cap,
                 "Random-effects model, %s estimator of \u03c4\u00b2; %s%% %s; measure %s",
                 evs_method_name(o->method), level,
                 evs_test_is_knha(o->test) ? "Knapp-Hartung CIs (t distribution)"
                                          : "Wald CIs (normal distribution)",
                 evs_measure_name(o->measure));
}

static const char *pooled_label(const evs_outcome_spec *o, const evs_analysis *a)
{
    if (a->glmm)
        return a->glmm_fit.common_effect ? "Binomial-normal model (\u03c4\u00b2 = 0)"
                                         : "Binomial-normal model";
    return o->method == EVS_METHOD_FE ? "Common-effect model" : "Random-effects model";
}

/* The values a change or difference can take on a bounded scale: +/- its width. */
static void scale_limits(const evs_outcome_spec *o, bool percent, evs_row_plot *p)
{
    if (percent) {
        p->scale_lo = 0;
        p->scale_hi = 100;
    } else if (!isnan(o->scale_min) && !isnan(o->scale_max) && o->scale_max > o->scale_min) {
        p->scale_lo = -(o->scale_max - o->scale_min);
        p->scale_hi = o->scale_max - o->scale_min;
    }
}

static void reference_lines(const evs_analysis *a, const evs_outcome_spec *o, evs_row_plot *p)
{
    p->null_value = a->display_null;
    p->mcid = o->mcid;
    char m[EVS_NUM_TEXT];
    evs_num_setting(o->mcid, m, sizeof m);
    snprintf(p->mcid_label, sizeof p->mcid_label, a->percent ? "Threshold %s%%" : "MCID %s", m);
}

static const char *ci_head(const evs_synthesis *s, const char *what, char *buf, size_t cap)
{
    char level[EVS_NUM_TEXT];
    snprintf(buf, cap, "%s (%s%% CI)", what, evs_num_setting(s->rv->level, level, sizeof level));
    return buf;
}

static size_t add_column(evs_row_plot *p, const char *head, int group, bool right, bool after)
{
    assert(p->ncols < EVS_ROW_COLUMNS); /* the layouts below use at most 10 */
    size_t j = p->ncols++;
    snprintf(p->cols[j].head, sizeof p->cols[j].head, "%s", head);
    p->cols[j].group = group;
    p->cols[j].right = right;
    p->cols[j].after = after;
    return j;
}

static void cell_data(char *cell, double x)
{
    evs_num_fixed(x, 1, cell, EVS_ROW_CELL);
}

static void cell_count(char *cell, double x)
{
    evs_num_count(x, cell, EVS_ROW_CELL);
}

/*
 * A ratio (RR, OR) is drawn on a log axis, as metafor's forest() does with
 * atransf = exp: the rows' values and the no-effect line become natural
 * logs, so that 0.5 and 2 lie as far from 1; the cells keep the ratios.
 */
static void ratio_axis(const evs_outcome_spec *o, evs_row_plot *p)
{
    if (o->measure != EVS_MEASURE_RR && o->measure != EVS_MEASURE_OR)
        return;
    p->log_axis = true;
    p->mcid = NAN;
    p->null_value = isnan(p->null_value) ? (double)NAN : log(p->null_value);
    for (size_t i = 0; i < p->nrows; i++) {
        evs_row *r = &p->rows[i];
        r->est = log(r->est);
        r->lb = log(r->lb);
        r->ub = log(r->ub);
    }
}

/* The axis of a comparison of events: its measure, and which side favours whom. */
static void events_axis(const evs_synthesis *s, const evs_outcome_spec *o, const char *lead,
                        evs_row_plot *p)
{
    const char *ctl = evs_outcome_comparator_label(s->rv, o);
    snprintf(p->xlabel, sizeof p->xlabel, "%s%s, %s against %s", lead,
             o->measure == EVS_MEASURE_RR   ? "risk ratio"
             : o->measure == EVS_MEASURE_OR ? "odds ratio"
                                            : "risk difference (% points)",
             s->rv->intervention_label, ctl);
    if (lead[0] == '\0' && p->xlabel[0] >= 'a' && p->xlabel[0] <= 'z')
        p->xlabel[0] = (char)(p->xlabel[0] - 'a' + 'A');
    /* Fewer events (left of no effect) favour the intervention for a harm. */
    bool harm = o->role == EVS_ROLE_HARM;
    snprintf(p->favours_left, sizeof p->favours_left, "Favours %s",
             harm ? s->rv->intervention_label : ctl);
    snprintf(p->favours_right, sizeof p->favours_right, "Favours %s",
             harm ? ctl : s->rv->intervention_label);
    p->mcid = NAN; /* the MCID is an absolute difference, not on this axis */
    p->scale_lo = p->scale_hi = NAN;
}

/* Heterogeneity, and the test for overall effect where a null value exists. */
static void footer_stats(const evs_analysis *a, evs_row_plot *p)
{
    const evs_fit *f = &a->meta->fit;
    char t[8][EVS_NUM_TEXT];
    if (a->glmm) {
        /* The binomial-normal model's heterogeneity (no Q-profile CI). */
        const evs_glmm_fit *g = &a->glmm_fit;
        snprintf(p->stats[0], sizeof p->stats[0],
                 "Heterogeneity: \u03c4\u00b2 = %s; I\u00b2 = %s; Wald Q = %s, df = %d, p %s",
                 evs_num_stat(g->tau2, t[0], sizeof t[0]), evs_num_share(g->I2, t[1], sizeof t[1]),
                 evs_num_stat(g->QE_wald, t[2], sizeof t[2]), g->QE_df,
                 evs_num_p(g->QE_wald_p, t[3], sizeof t[3]));
        return;
    }
    if (f->method == EVS_METHOD_FE)
        snprintf(p->stats[0], sizeof p->stats[0], "Heterogeneity: Q = %s, df = %d, p %s; I\u00b2 = %s",
                 evs_num_stat(f->QE, t[0], sizeof t[0]), f->QE_df, evs_num_p(f->QE_p, t[1], sizeof t[1]),
                 evs_num_share(f->I2, t[2], sizeof t[2]));
    else
        snprintf(p->stats[0], sizeof p->stats[0],
                 "Heterogeneity: \u03c4\u00b2 = %s (CI %s to %s); I\u00b2 = %s (CI %s to %s); "
                 "Q = %s, df = %d, p %s",
                 evs_num_stat(f->tau2, t[0], sizeof t[0]), evs_num_stat(f->tau2_ci_lb, t[1], sizeof t[1]),
                 evs_num_stat(f->tau2_ci_ub, t[2], sizeof t[2]), evs_num_share(f->I2, t[3], sizeof t[3]),
                 evs_num_share(f->I2_ci_lb, t[4], sizeof t[4]),
                 evs_num_share(f->I2_ci_ub, t[5], sizeof t[5]), evs_num_stat(f->QE, t[6], sizeof t[6]),
                 f->QE_df, evs_num_p(f->QE_p, t[7], sizeof t[7]));
    if (!a->percent || a->events_comparison) { /* a rate has no null; a risk difference has 0 */
        if (evs_test_is_knha(f->test))
            snprintf(p->stats[1], sizeof p->stats[1], "Test for overall effect: t = %s, df = %.0f, p %s",
                     evs_num_stat(f->stat, t[0], sizeof t[0]), f->df,
                     evs_num_p(f->pval, t[1], sizeof t[1]));
        else
            snprintf(p->stats[1], sizeof p->stats[1], "Test for overall effect: z = %s, p %s",
                     evs_num_stat(f->stat, t[0], sizeof t[0]), evs_num_p(f->pval, t[1], sizeof t[1]));
    }
    if (!f->converged)
        snprintf(p->stats[2], sizeof p->stats[2],
                 "The \u03c4\u00b2 iterations did not converge: the estimates are uncertain.");
}

static void add_note(evs_row_plot *p, const char *text)
{
    if (p->nnotes < EVS_ROW_NOTES)
        snprintf(p->notes[p->nnotes++], sizeof p->notes[0], "%s", text);
}

/* The study label with the footnote letters of its conversions. */
static unsigned label_with_marks(const evs_study *st, const evs_dataset_row *row, char *buf,
                                 size_t cap)
{
    unsigned used = 0;
    int len = snprintf(buf, cap, "%s", st->label);
    const char *sep = " ";
    for (size_t j = 0; j < NMARKS; j++)
        if (row->conv & marks[j].bits) {
            used |= 1u << j;
            if (len >= 0 && (size_t)len < cap)
                len += snprintf(buf + len, cap - (size_t)len, "%s%s", sep, marks[j].mark);
            sep = ",";
        }
    return used;
}

static void order_note(const evs_synthesis *s, const evs_analysis *a, evs_row_plot *p)
{
    static const char *const text[EVS_ORDER_COUNT] = {
        "Studies in order of publication year", "Studies in order of their labels",
        "Studies in order of their effect", "Studies in order of their weight",
        "Studies in the order of studies.csv"};
    bool undated = false;
    for (size_t i = 0; i < a->meta->k; i++)
        undated |= s->ev->studies[a->ds->rows[a->meta->included[i]].study].year == 0;
    char note[200];
    snprintf(note, sizeof note, "%s%s.", text[s->rv->study_order],
             s->rv->study_order == EVS_ORDER_YEAR && undated
                 ? ", studies without a year last"
                 : "");
    add_note(p, note);
}

/* The columns of a forest plot (indices into each row's cells) and how its cells read. */
typedef struct forest_cols {
    size_t year, n, before, after, ev, tot, ci, w;
    size_t i[3], c[3]; /* the intervention's and the control's arm columns */
    bool pct;          /* cells carry a % sign (evs_percent_sign) */
    bool arm_means;    /* a difference: some row has the arms' means */
} forest_cols;

/* The sums over the study rows that the pooled row shows. */
typedef struct forest_totals {
    double n, n1, n2, ev, ev_c;
    unsigned marks;    /* footnote marks used (label_with_marks) */
    bool reported;     /* a row is a difference the trial reported */
    bool not_reported; /* ... shown as "n.r." beside rows with arm means */
} forest_totals;

/* A group header starts with a capital ("control": "Control"). */
static void capitalise_groups(evs_row_plot *p)
{
    for (int g = 0; g < 2; g++)
        if (p->groups[g][0] >= 'a' && p->groups[g][0] <= 'z')
            p->groups[g][0] = (char)(p->groups[g][0] - 'a' + 'A');
}

/* The title, axis and columns of the forest plot of a, by the kind of outcome. */
static void forest_columns(const evs_synthesis *s, const evs_analysis *a, evs_row_plot *p,
                           forest_cols *c)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    const char *ctl = evs_outcome_comparator_label(s->rv, o);
    const evs_meta *m = a->meta;
    snprintf(p->title, sizeof p->title, "%s, %s", o->label,
             evs_dataset_window_label(s->rv, a->window));
    model_text(s, o, a->glmm, p->subtitle, sizeof p->subtitle);
    p->percent = a->percent;
    scale_limits(o, a->percent, p);
    reference_lines(a, o, p);

    char head[80];
    memset(c, 0, sizeof *c);
    c->year = add_column(p, "Year", -1, true, false);
    if (o->type == EVS_OUTCOME_CHANGE) {
        c->n = add_column(p, "n", -1, true, false);
        snprintf(p->groups[0], sizeof p->groups[0], "Mean (SD)");
        c->before = add_column(p, "Before", 0, true, false);
        c->after = add_column(p, "After", 0, true, false);
        snprintf(p->xlabel, sizeof p->xlabel, "Reduction from baseline (points)");
    } else if (a->events_comparison) {
        /* Events of each arm; the ratio (or RD) of the intervention against
         * the control, below 1 (or 0) with fewer events on it. */
        snprintf(p->groups[0], sizeof p->groups[0], "%s", s->rv->intervention_label);
        snprintf(p->groups[1], sizeof p->groups[1], "%s", ctl);
        capitalise_groups(p);
        static const char *const heads[] = {"Events", "Total"};
        for (int g = 0; g < 2; g++)
            for (int j = 0; j < 2; j++)
                (g == 0 ? c->i : c->c)[j] = add_column(p, heads[j], g, true, false);
        events_axis(s, o, "", p);
    } else if (o->type == EVS_OUTCOME_DIFFERENCE) {
        snprintf(p->groups[0], sizeof p->groups[0], "%s", s->rv->intervention_label);
        snprintf(p->groups[1], sizeof p->groups[1], "%s", ctl);
        capitalise_groups(p);
        /* Trials that report only the between-arm difference have no arm
         * means: when none of the rows has them, the arms show their totals
         * alone; when some have, the others' cells say "n.r." (a note
         * explains). */
        for (size_t i = 0; i < m->k; i++)
            c->arm_means |= !(a->ds->rows[m->included[i]].conv & EVS_CONV_REPORTED);
        static const char *const heads[] = {"Mean", "SD", "Total"};
        for (int g = 0; g < 2; g++)
            for (int j = c->arm_means ? 0 : 2; j < 3; j++)
                (g == 0 ? c->i : c->c)[j] = add_column(p, heads[j], g, true, false);
        snprintf(p->xlabel, sizeof p->xlabel,
                 "Mean difference, %s minus %s (points)", ctl,
                 s->rv->intervention_label);
        snprintf(p->favours_left, sizeof p->favours_left, "Favours %s", ctl);
        snprintf(p->favours_right, sizeof p->favours_right, "Favours %s",
                 s->rv->intervention_label);
    } else {
        c->ev = add_column(p, "Events", -1, true, false);
        c->tot = add_column(p, "Total", -1, true, false);
        snprintf(p->xlabel, sizeof p->xlabel, "Rate (%% of patients)");
    }
    c->pct = evs_percent_sign(s, a);
    c->ci = add_column(p,
                       ci_head(s, a->events_comparison && !c->pct ? "RD, % points"
                                  : a->events_comparison          ? evs_measure_name(o->measure)
                                  : a->percent                        ? "Rate"
                                  : o->type == EVS_OUTCOME_DIFFERENCE ? "MD"
                                                                      : "Change",
                               head, sizeof head),
                       -1, true, true);
    /* The GLMM weighs no study: no weight column, markers by the studies' sizes. */
    c->w = a->glmm ? SIZE_MAX : add_column(p, "Weight", -1, true, true);
}

/* Study i of a (in the meta's order) as row x; maxw: the largest weight (or n). */
static void forest_study_row(const evs_synthesis *s, const evs_analysis *a, size_t i,
                             const forest_cols *c, double maxw, evs_row *x, forest_totals *t)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    const evs_meta *m = a->meta;
    const evs_dataset_row *row = &a->ds->rows[m->included[i]];
    const evs_study *st = &s->ev->studies[row->study];
    x->kind = EVS_ROW_STUDY;
    t->marks |= label_with_marks(st, row, x->label, sizeof x->label);
    if (st->year > 0)
        snprintf(x->cells[c->year], EVS_ROW_CELL, "%d", st->year);
    if (o->type == EVS_OUTCOME_CHANGE) {
        cell_count(x->cells[c->n], row->n);
        char mm[EVS_NUM_TEXT], sd[EVS_NUM_TEXT];
        snprintf(x->cells[c->before], EVS_ROW_CELL, "%s (%s)",
                 evs_num_fixed(row->m1, 1, mm, sizeof mm), evs_num_fixed(row->sd1, 1, sd, sizeof sd));
        snprintf(x->cells[c->after], EVS_ROW_CELL, "%s (%s)",
                 evs_num_fixed(row->m2, 1, mm, sizeof mm), evs_num_fixed(row->sd2, 1, sd, sizeof sd));
        t->n += row->n;
    } else if (a->events_comparison) {
        /* events/n2 are the intervention's, events_control/n1 the control's */
        cell_count(x->cells[c->i[0]], row->events);
        cell_count(x->cells[c->i[1]], row->n2);
        cell_count(x->cells[c->c[0]], row->events_control);
        cell_count(x->cells[c->c[1]], row->n1);
        t->n1 += row->n1;
        t->n2 += row->n2;
        t->ev += row->events;
        t->ev_c += row->events_control;
    } else if (o->type == EVS_OUTCOME_DIFFERENCE) {
        /* m2/n2 are the intervention's, m1/n1 the control's (dataset.h) */
        bool rep = row->conv & EVS_CONV_REPORTED;
        t->reported |= rep;
        if (c->arm_means && rep) {
            t->not_reported = true;
            for (int j = 0; j < 2; j++) {
                snprintf(x->cells[c->i[j]], EVS_ROW_CELL, "n.r.");
                snprintf(x->cells[c->c[j]], EVS_ROW_CELL, "n.r.");
            }
        } else if (c->arm_means) {
            cell_data(x->cells[c->i[0]], row->m2);
            cell_data(x->cells[c->i[1]], row->sd2);
            cell_data(x->cells[c->c[0]], row->m1);
            cell_data(x->cells[c->c[1]], row->sd1);
        }
        cell_count(x->cells[c->i[2]], row->n2);
        cell_count(x->cells[c->c[2]], row->n1);
        t->n1 += row->n1;
        t->n2 += row->n2;
    } else {
        cell_count(x->cells[c->ev], row->events);
        cell_count(x->cells[c->tot], row->n);
        t->ev += row->events;
        t->n += row->n;
    }
    evs_analysis_row_ci(s, a, i, &x->est, &x->lb, &x->ub);
    evs_num_estimate_ci(x->est, x->lb, x->ub, c->pct, x->cells[c->ci], EVS_ROW_CELL);
    char w[EVS_NUM_TEXT];
    if (!a->glmm)
        snprintf(x->cells[c->w], EVS_ROW_CELL, "%s%%",
                 evs_num_fixed(m->weights[i], 1, w, sizeof w));
    /* area proportional to the weight (the GLMM: the size): half-side 9 px
     * for the heaviest */
    x->size = fmax(2.5, 9 * sqrt((a->glmm ? row->n : m->weights[i]) / maxw));
}

/* The pooled row, with the totals, and the prediction interval's. */
static void forest_pooled_rows(const evs_synthesis *s, const evs_analysis *a,
                               const forest_cols *c, const forest_totals *t, evs_row_plot *p)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    evs_row *x = &p->rows[p->nrows++];
    x->kind = EVS_ROW_POOLED;
    snprintf(x->label, sizeof x->label, "%s", pooled_label(o, a));
    if (o->type == EVS_OUTCOME_CHANGE) {
        cell_count(x->cells[c->n], t->n);
    } else if (a->events_comparison) {
        cell_count(x->cells[c->i[0]], t->ev);
        cell_count(x->cells[c->i[1]], t->n2);
        cell_count(x->cells[c->c[0]], t->ev_c);
        cell_count(x->cells[c->c[1]], t->n1);
    } else if (o->type == EVS_OUTCOME_DIFFERENCE) {
        cell_count(x->cells[c->i[2]], t->n2);
        cell_count(x->cells[c->c[2]], t->n1);
    } else {
        cell_count(x->cells[c->ev], t->ev);
        cell_count(x->cells[c->tot], t->n);
    }
    /* A pool that is not estimable (synthesis.h) gets no diamond and no
     * prediction interval: its row says so, and the studies above it stand. */
    bool estimable = a->not_estimable[0] == '\0';
    x->est = estimable ? a->estimate : (double)NAN;
    x->lb = a->ci_lb;
    x->ub = a->ci_ub;
    if (estimable)
        evs_num_estimate_ci(a->estimate, a->ci_lb, a->ci_ub, c->pct, x->cells[c->ci],
                            EVS_ROW_CELL);
    else
        snprintf(x->cells[c->ci], EVS_ROW_CELL, "not estimable");
    if (!a->glmm)
        snprintf(x->cells[c->w], EVS_ROW_CELL, "100%%");
    if (estimable && !isnan(a->pi_lb) && o->method != EVS_METHOD_FE) {
        x = &p->rows[p->nrows++];
        x->kind = EVS_ROW_PI;
        snprintf(x->label, sizeof x->label, "Prediction interval");
        x->est = a->estimate;
        x->lb = a->pi_lb;
        x->ub = a->pi_ub;
        evs_num_interval(a->pi_lb, a->pi_ub, c->pct, x->cells[c->ci], EVS_ROW_CELL);
    }
}

/* The footer: statistics, then a note for each thing the rows need explained. */
static void forest_notes(const evs_synthesis *s, const evs_analysis *a, const forest_totals *t,
                         const size_t *order, evs_row_plot *p)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    footer_stats(a, p);
    char notes[900] = "";
    size_t nl = 0;
    for (size_t j = 0; j < NMARKS; j++)
        if (t->marks & (1u << j)) {
            int w = snprintf(notes + nl, sizeof notes - nl, "%s%s: %s", nl ? "; " : "",
                             marks[j].mark, marks[j].text);
            if (w > 0 && (size_t)w < sizeof notes - nl)
                nl += (size_t)w;
        }
    if (nl > 0 && nl + 1 < sizeof notes) {
        memcpy(notes + nl, ".", 2);
        add_note(p, notes);
    }
    if (a->glmm)
        add_note(p, "Marker size: the study's number of patients (the binomial-normal model "
                    "gives the studies no weights).");
    if (t->reported)
        add_note(p, t->not_reported
                        ? "n.r.: not reported; that trial reports the difference between the arms "
                          "(MD with its CI), not the arms' means."
                        : "The trials report the difference between the arms (MD with its CI), "
                          "not the arms' means: the arms show their sizes.");
    if (o->type == EVS_OUTCOME_CHANGE) {
        char r[EVS_NUM_TEXT], note[200];
        snprintf(note, sizeof note, "Pre/post correlation r = %s where a study does not report it.",
                 evs_num_setting(a->ds->r, r, sizeof r));
        add_note(p, note);
    }
    /* Risk-of-bias columns after the weight, when the review has appraisals. */
    evs_rob_forest_marks(s, a, order, p);
    order_note(s, a, p);
    ratio_axis(o, p);
}

/* The forest plot's rows and text; p->rows has room for k + 2 rows, order for k. */
static void fill_forest(const evs_synthesis *s, const evs_analysis *a, evs_row_plot *p,
                        size_t *order)
{
    const evs_meta *m = a->meta;
    forest_cols c;
    forest_columns(s, a, p, &c);
    double maxw = 0;
    for (size_t i = 0; i < m->k; i++)
        maxw = fmax(maxw, a->glmm ? a->ds->rows[m->included[i]].n : m->weights[i]);
    evs_analysis_order(s, a, s->rv->study_order, order);
    forest_totals t = {0};
    for (size_t r = 0; r < m->k; r++)
        forest_study_row(s, a, order[r], &c, maxw, &p->rows[p->nrows++], &t);
    forest_pooled_rows(s, a, &c, &t, p);
    forest_notes(s, a, &t, order, p);
}

void evs_plot_forest(const evs_synthesis *s, const evs_analysis *a, const char *name,
                     const char *dir, evs_buf *b)
{
    size_t k = a->meta->k;
    evs_row_plot *p = malloc(sizeof *p);
    size_t *order = malloc(k * sizeof *order);
    evs_row *rows = calloc(k + 2, sizeof *rows);
    if (p == NULL || order == NULL || rows == NULL) {
        b->failed = true;
    } else {
        evs_row_plot_init(p);
        p->rows = rows;
        fill_forest(s, a, p, order);
        evs_row_plot_draw(p, dir, name, b);
    }
    free(rows);
    free(p);
    free(order);
}

void evs_plot_cumulative(const evs_synthesis *s, const evs_analysis *a, const char *name,
                         const char *dir, evs_buf *b)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    const evs_meta *m = a->meta;
    const evs_fit *cum = a->diag->cumulative;
    size_t k = m->k;
    evs_row_plot *p = malloc(sizeof *p);
    if (p == NULL) {
        b->failed = true;
        return;
    }
    evs_row_plot_init(p);
    p->rows = calloc(k, sizeof *p->rows);
    if (p->rows == NULL) {
        b->failed = true;
        free(p);
        return;
    }
    snprintf(p->title, sizeof p->title, "Cumulative meta-analysis by publication year: %s, %s",
             o->label, evs_dataset_window_label(s->rv, a->window));
    /* A rate: the binomial-normal model at every step (synthesis.h), so that
     * the last row is the forest plot's pooled rate. */
    model_text(s, o, a->glmm, p->subtitle, sizeof p->subtitle);
    snprintf(p->label_head, sizeof p->label_head, "Study added");
    p->percent = a->percent;
    scale_limits(o, a->percent, p);
    reference_lines(a, o, p);
    snprintf(p->xlabel, sizeof p->xlabel, "%s",
             a->percent ? "Pooled rate (% of patients)"
             : o->type == EVS_OUTCOME_DIFFERENCE ? "Pooled mean difference (points)"
                                                 : "Pooled reduction from baseline (points)");
    if (a->events_comparison) {
        events_axis(s, o, "Pooled ", p);
    } else if (o->type == EVS_OUTCOME_DIFFERENCE) {
        const char *ctl = evs_outcome_comparator_label(s->rv, o);
        snprintf(p->favours_left, sizeof p->favours_left, "Favours %s", ctl);
        snprintf(p->favours_right, sizeof p->favours_right, "Favours %s",
                 s->rv->intervention_label);
    }
    char head[80];
    size_t c_year = add_column(p, "Year", -1, true, false);
    size_t c_k = add_column(p, "Studies", -1, true, false);
    bool pct = evs_percent_sign(s, a);
    size_t c_ci = add_column(p, ci_head(s, pct || !a->events_comparison || !a->percent
                                               ? "Pooled"
                                               : "RD, % points",
                                        head, sizeof head),
                             -1, true, true);
    bool undated = false, no_events = false;
    /* "Studies": the studies pooled so far, each once however many arms or
     * subgroups of it are rows (an arm is not a study; issue 20) */
    bool *seen = calloc(s->ev->nstudies > 0 ? s->ev->nstudies : 1, sizeof *seen);
    if (seen == NULL) {
        b->failed = true;
        free(p->rows);
        free(p);
        return;
    }
    size_t studies = 0;
    for (size_t i = 0; i < k; i++) {
        size_t row = a->glmm_cumulative != NULL ? a->year_order[i] : a->diag->cumulative_order[i];
        const evs_study *st = &s->ev->studies[a->ds->rows[m->included[row]].study];
        evs_row *x = &p->rows[p->nrows++];
        x->kind = EVS_ROW_STUDY;
        snprintf(x->label, sizeof x->label, "%s", st->label);
        if (st->year > 0)
            snprintf(x->cells[c_year], EVS_ROW_CELL, "%d", st->year);
        undated |= st->year == 0;
        size_t sid = evs_evidence_root(s->ev, a->ds->rows[m->included[row]].study);
        if (!seen[sid]) {
            seen[sid] = true;
            studies++;
        }
        snprintf(x->cells[c_k], EVS_ROW_CELL, "%zu", studies);
        x->size = 0;
        if (a->glmm_cumulative != NULL) {
            const evs_rate_step *r = &a->glmm_cumulative[i];
            x->est = r->estimate;
            x->lb = r->ci_lb;
            x->ub = r->ci_ub;
            if (!r->estimable) {
                x->est = x->lb = x->ub = NAN;
                snprintf(x->cells[c_ci], EVS_ROW_CELL, "not estimable (no events)");
                no_events = true;
            } else if (!r->converged) {
                x->est = x->lb = x->ub = NAN;
                snprintf(x->cells[c_ci], EVS_ROW_CELL, "did not converge");
            } else {
                evs_num_estimate_ci(x->est, x->lb, x->ub, true, x->cells[c_ci], EVS_ROW_CELL);
            }
            continue;
        }
        const evs_fit *f = &cum[i];
        x->est = evs_analysis_display(s, a, f->estimate);
        x->lb = evs_analysis_display(s, a, f->ci_lb);
        x->ub = evs_analysis_display(s, a, f->ci_ub);
        if (isnan(f->estimate))
            snprintf(x->cells[c_ci], EVS_ROW_CELL, "did not converge");
        else
            evs_num_estimate_ci(x->est, x->lb, x->ub, pct, x->cells[c_ci], EVS_ROW_CELL);
    }
    free(seen);
    char note[400];
    snprintf(note, sizeof note,
             "Each row pools the studies up to and including that row (the first is one study "
             "alone%s), in order of publication year%s.%s",
             a->glmm_cumulative != NULL ? ", its own rate and exact interval" : "",
             undated ? "; studies without a year are added last" : "",
             isnan(p->mcid)       ? ""
             : a->percent         ? " The red dotted line is the threshold."
                                  : " The red dotted line is the MCID.");
    add_note(p, note);
    if (no_events)
        add_note(p, "Not estimable: no study up to that row has an event, so the pooled rate "
                    "would be 0 with no interval (the binomial-normal model has no continuity "
                    "correction).");
    ratio_axis(o, p);
    evs_row_plot_draw(p, dir, name, b);
    free(p->rows);
    free(p);
}
