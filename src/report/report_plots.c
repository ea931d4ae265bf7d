/*
 * report_plots.c -- the figures of `evsynth report` (see report.h): which
 * figures a synthesis has, the gnuplot script that draws them all, and the
 * figures that are not a row per study: the funnel plot and the mean score
 * over time.  Forest plots and cumulative meta-analyses are in
 * plot_forest.c, laid out by plot_rows.c; every figure's text is drawn from
 * data by plot_canvas.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "report/numfmt.h"
#include "report/plot_canvas.h"
#include "report/report.h"
#include "report_internal.h"

static const char *const BLUE = "#1f4e79", *const GOLD = "#b8860b";

static void figure_name(const evs_synthesis *s, const evs_analysis *a, const char *kind,
                        char *buf, size_t cap)
{
    char id[112]; /* outcome.window: at most 41 + 1 + 42 bytes (INI section names) */
    evs_analysis_id(s, a, id, sizeof id);
    for (char *p = id; *p; p++)
        if (*p == '.')
            *p = '_';
    snprintf(buf, cap, "%s_%s", kind, id);
}

/* Title and subtitle at the top of a page; returns where the next thing goes. */
static double page_title(evs_canvas *c, const char *title, const char *subtitle)
{
    double y = 24;
    size_t n = evs_canvas_wrap(c, 12, y, EVS_TEXT_TITLE, c->width - 24, 21, 4, title);
    y += (double)n * 21;
    n = evs_canvas_wrap(c, 12, y - 2, EVS_TEXT_SMALL_LEFT, c->width - 24, EVS_LINE_SMALL, 4,
                        subtitle);
    return y + (double)n * EVS_LINE_SMALL + 8;
}

/* ---------------------------------------------------------------------------
 * Funnel plot (model scale: standard error against effect)
 */

/* The funnel's x axis: the scale the model pools on, named after the measure. */
static const char *funnel_axis(const evs_outcome_spec *o)
{
    switch (o->measure) {
    case EVS_MEASURE_PLO:
        return "Log odds (model scale)";
    case EVS_MEASURE_PFT:
        return "Freeman-Tukey double arcsine of the proportion (model scale)";
    case EVS_MEASURE_PAS:
        return "Arcsine square root of the proportion (model scale)";
    case EVS_MEASURE_PR:
        return "Proportion (model scale)";
    default:
        return o->type == EVS_OUTCOME_PROPORTION ? "Effect (model scale)"
                                                 : "Effect (model scale, points)";
    }
}

static void funnel(const evs_synthesis *s, const evs_analysis *a, const char *name,
                   const char *dir, evs_buf *b)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    const evs_meta *m = a->meta;
    evs_canvas c;
    evs_canvas_init(&c, 760);
    char title[700], sub[300], level[EVS_NUM_TEXT];
    snprintf(title, sizeof title, "Funnel plot: %s, %s", o->label,
             evs_dataset_window_label(s->rv, a->window));
    snprintf(sub, sizeof sub,
             "%zu studies. The shaded region holds %s%% of the studies around the pooled "
             "estimate if there is no heterogeneity and no small-study effect.",
             m->k, evs_num_setting(m->fit.level, level, sizeof level));
    double top = page_title(&c, title, sub) + 8, left = 86, right = c.width - 24;
    double bottom = top + 420;
    c.height = bottom + 76;
    evs_canvas_text(&c, (left + right) / 2, bottom + 44, EVS_TEXT_CENTRE, funnel_axis(o));
    evs_canvas_text(&c, 24, (top + bottom) / 2, EVS_TEXT_VERTICAL, "Standard error");

    /* The pseudo-confidence region at the model's level, as metafor's funnel() draws it. */
    double z = gsl_cdf_ugaussian_Qinv((1 - m->fit.level / 100) / 2);
    double maxse = 0, lo = m->fit.estimate, hi = m->fit.estimate, est = m->fit.estimate;
    evs_buf setup, plot;
    evs_buf_init(&setup);
    evs_buf_init(&plot);
    for (size_t i = 0; i < m->k; i++) {
        double se = sqrt(m->v[i]);
        maxse = fmax(maxse, se);
        lo = fmin(lo, m->y[i]);
        hi = fmax(hi, m->y[i]);
    }
    maxse *= 1.08;
    lo = fmin(lo, est - z * maxse);
    hi = fmax(hi, est + z * maxse);
    double pad = 0.05 * (hi - lo), xa = lo - pad, xb = hi + pad;
    double hw = 4.5 * (xb - xa) / (right - left), hh = 4.5 * maxse / (bottom - top);
    evs_buf_add(&setup, "$evs_pts << EOD\n");
    for (size_t i = 0; i < m->k; i++)
        evs_buf_printf(&setup, "%.10g %.10g %.10g %.10g\n", m->y[i], sqrt(m->v[i]), hw, hh);
    evs_buf_printf(&setup,
                   "EOD\n$evs_region << EOD\n%.10g %.10g\n%.10g 0\n%.10g %.10g\n%.10g %.10g\nEOD\n",
                   est - z * maxse, maxse, est, est + z * maxse, maxse, est - z * maxse, maxse);
    evs_canvas_plot_area(&c, &setup, left, top, right, bottom);
    evs_buf_printf(&setup, "set xrange [%.10g:%.10g]\nset yrange [%.10g:0]\n", xa, xb, maxse);
    evs_buf_add(&setup, "set key off\nset grid back lc rgb '#dddddd'\nset border 3\n"
                        "set xtics nomirror out format '%g'\nset ytics nomirror out format '%g'\n");
    evs_buf_printf(&setup, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead lc rgb '%s'\n",
                   est, est, BLUE);
    evs_buf_printf(&plot,
                   "plot $evs_region using 1:2 with filledcurves closed fc rgb '#e6edf5', \\\n"
                   "  $evs_region using 1:2 with lines dt 2 lc rgb '#777777', \\\n"
                   "  $evs_pts using 1:2:3:4 with boxxyerror fs solid 1.0 noborder fc rgb '%s'",
                   BLUE);
    if (setup.failed || plot.failed)
        b->failed = true;
    evs_canvas_draw(&c, dir, name, setup.data, plot.data, b);
    evs_buf_free(&setup);
    evs_buf_free(&plot);
    evs_canvas_free(&c);
}

/* ---------------------------------------------------------------------------
 * Mean score over time
 */

/* The points of a trajectory worth drawing: those with studies. */
static size_t drawn_points(const evs_trajectory *t, size_t *which)
{
    size_t n = 0;
    for (size_t i = 0; i < t->npoints; i++)
        if (t->points[i].k > 0 && !isnan(t->points[i].estimate))
            which[n++] = i;
    return n;
}

static const char *time_label(const evs_synthesis *s, const evs_trajectory_point *p)
{
    return p->window == EVS_WINDOW_BASELINE ? "Baseline"
                                            : evs_dataset_window_label(s->rv, p->window);
}

/*
 * One series: a line through the means, square marks, and CIs as bars with
 * caps; a CI beyond the scale is cut at its end with an arrowhead.  Returns
 * true when one was cut.
 */
static bool series(evs_buf *setup, evs_buf *plot, const char *id, const evs_trajectory_point *pts,
                   const size_t *which, size_t n, size_t npts, double shift, double hw, double hh,
                   double ymin, double ymax, const char *colour, bool dashed)
{
    evs_buf pt, seg, arr, cap;
    evs_buf_init(&pt);
    evs_buf_init(&seg);
    evs_buf_init(&arr);
    evs_buf_init(&cap);
    for (size_t j = 0; j < n; j++) {
        if (which[j] >= npts)
            continue;
        const evs_trajectory_point *p = &pts[which[j]];
        if (p->k == 0 || isnan(p->estimate))
            continue;
        double x = (double)j + shift, e = p->estimate;
        evs_buf_printf(&pt, "%.4f %.10g\n", x, e);
        double ends[2] = {p->ci_lb, p->ci_ub}, lim[2] = {ymin, ymax};
        for (int side = 0; side < 2; side++) {
            double v = ends[side];
            if (isnan(v))
                continue;
            bool beyond = side == 0 ? v < ymin : v > ymax;
            if (beyond) {
                evs_buf_printf(&arr, "%.4f %.10g 0 %.10g\n", x, e, lim[side] - e);
            } else {
                evs_buf_printf(&seg, "%.4f %.10g 0 %.10g\n", x, e, v - e);
                evs_buf_printf(&cap, "%.4f %.10g %.10g 0\n", x - 0.8 * hw, v, 1.6 * hw);
            }
        }
    }
    static const char *const parts[] = {"pt", "seg", "arr", "cap"};
    const evs_buf *bufs[] = {&pt, &seg, &arr, &cap};
    for (int i = 0; i < 4; i++) {
        if (bufs[i]->len == 0)
            continue;
        evs_buf_printf(setup, "$evs_%s_%s << EOD\n%sEOD\n", id, parts[i], bufs[i]->data);
        evs_buf_add(plot, plot->len == 0 ? "plot " : ", \\\n  ");
        if (i == 0)
            evs_buf_printf(plot,
                           "$evs_%s_pt using 1:2 with lines lw 2 %s lc rgb '%s', \\\n"
                           "  $evs_%s_pt using 1:2:(%.6g):(%.6g) with boxxyerror fs solid 1.0 "
                           "noborder fc rgb '%s'",
                           id, dashed ? "dt 2" : "", colour, id, hw, hh, colour);
        else
            evs_buf_printf(plot, "$evs_%s_%s using 1:2:3:4 with vectors %s lw 1.5 lc rgb '%s'",
                           id, parts[i],
                           i == 2 ? "head filled size screen 0.009,25" : "nohead", colour);
    }
    bool cut = arr.len > 0;
    if (pt.failed || seg.failed || arr.failed || cap.failed)
        setup->failed = true;
    evs_buf_free(&pt);
    evs_buf_free(&seg);
    evs_buf_free(&arr);
    evs_buf_free(&cap);
    return cut;
}

static void over_time(const evs_synthesis *s, const evs_trajectory *t, const char *name,
                      const char *dir, evs_buf *b)
{
    const evs_outcome_spec *o = &s->rv->outcomes[t->outcome];
    size_t which[EVS_TRAJECTORY_MAX];
    size_t n = drawn_points(t, which);
    evs_canvas c;
    evs_canvas_init(&c, 960);
    char sub[900], level[EVS_NUM_TEXT];
    snprintf(sub, sizeof sub,
             "%s. Pooled mean scores (random effects, %s) with %s%% confidence intervals. Each "
             "time pools the studies that report it, so the studies differ between times.",
             o->score_label ? o->score_label : o->label, evs_method_name(o->method),
             evs_num_setting(s->rv->level, level, sizeof level));
    double top = page_title(&c, "Mean score at baseline and in each follow-up window", sub);

    /* Legend */
    bool ctl = false;
    for (size_t j = 0; j < n; j++)
        ctl |= which[j] < t->ncontrol && t->control[which[j]].k > 0;
    double lx = 86;
    evs_canvas_text(&c, lx, top + 4, EVS_TEXT_SERIES1, "\u25a0");
    char leg[300];
    snprintf(leg, sizeof leg, "%s (pooled)", s->rv->intervention_label);
    if (leg[0] >= 'a' && leg[0] <= 'z') /* a legend starts with a capital */
        leg[0] = (char)(leg[0] - 'a' + 'A');
    evs_canvas_text(&c, lx + 16, top + 4, EVS_TEXT_LEFT, leg);
    if (ctl) {
        lx += 16 + evs_text_width(leg, EVS_FONT_BODY, false) + 28;
        evs_canvas_text(&c, lx, top + 4, EVS_TEXT_SERIES2, "\u25a0");
        snprintf(leg, sizeof leg, "Comparator arms (%s)", s->rv->comparator_label);
        evs_canvas_text(&c, lx + 16, top + 4, EVS_TEXT_LEFT, leg);
    }
    top += 24;
    double left = 86, right = c.width - 24, bottom = top + 330;
    double ymin = isnan(o->scale_min) ? 0 : o->scale_min;
    double ymax = isnan(o->scale_max) ? 10 : o->scale_max;

    /* The times under the axis, with their studies and participants */
    double slot = n > 0 ? (right - left) / (double)n : right - left;
    size_t lines = 1;
    for (size_t j = 0; j < n; j++) {
        size_t l = evs_canvas_wrap(NULL, 0, 0, EVS_TEXT_CENTRE, slot - 8, 0, 2,
                                   time_label(s, &t->points[which[j]]));
        lines = l > lines ? l : lines;
    }
    for (size_t j = 0; j < n; j++) {
        const evs_trajectory_point *p = &t->points[which[j]];
        double x = left + ((double)j + 0.5) * slot;
        evs_canvas_wrap(&c, x, bottom + 28, EVS_TEXT_CENTRE, slot - 8, EVS_LINE_BODY, 2,
                        time_label(s, p));
        char k[120], np[EVS_NUM_TEXT];
        snprintf(k, sizeof k, "k = %zu, n = %s", p->k, evs_num_count(p->n, np, sizeof np));
        evs_canvas_text(&c, x, bottom + 30 + (double)lines * EVS_LINE_BODY, EVS_TEXT_MUTED_CENTRE,
                        k);
    }
    char ylab[120], a1[EVS_NUM_TEXT], a2[EVS_NUM_TEXT];
    snprintf(ylab, sizeof ylab, "Mean score (%s to %s)", evs_num_setting(ymin, a1, sizeof a1),
             evs_num_setting(ymax, a2, sizeof a2));
    evs_canvas_text(&c, 24, (top + bottom) / 2, EVS_TEXT_VERTICAL, ylab);
    double y = bottom + 30 + (double)lines * EVS_LINE_BODY + 26;
    evs_buf setup, plot;
    evs_buf_init(&setup);
    evs_buf_init(&plot);
    double hw = 5.0 * (double)(n ? n : 1) / (right - left), hh = 5.0 * (ymax - ymin) / (bottom - top);
    bool cut = series(&setup, &plot, "int", t->points, which, n, t->npoints, 0, hw, hh, ymin, ymax,
                      BLUE, false);
    if (ctl)
        cut |= series(&setup, &plot, "ctl", t->control, which, n, t->ncontrol, 0.08, hw, hh, ymin,
                      ymax, GOLD, true);
    if (cut) {
        char note[300];
        snprintf(note, sizeof note,
                 "Arrows: the interval runs beyond the scale (%s to %s); it is cut at its end.",
                 a1, a2);
        size_t nl = evs_canvas_wrap(&c, 12, y, EVS_TEXT_SMALL_LEFT, c.width - 24,
                                    EVS_LINE_SMALL, 2, note);
        y += (double)nl * EVS_LINE_SMALL;
    }
    if (n < t->npoints) {
        char note[400] = "Not shown, for want of studies: ";
        size_t len = strlen(note);
        const char *sep = "";
        for (size_t i = 0; i < t->npoints; i++) {
            if (t->points[i].k > 0 && !isnan(t->points[i].estimate))
                continue;
            int w = snprintf(note + len, sizeof note - len, "%s%s", sep,
                             time_label(s, &t->points[i]));
            if (w > 0 && (size_t)w < sizeof note - len)
                len += (size_t)w;
            sep = ", ";
        }
        if (len + 1 < sizeof note)
            memcpy(note + len, ".", 2);
        size_t nl = evs_canvas_wrap(&c, 12, y, EVS_TEXT_SMALL_LEFT, c.width - 24,
                                    EVS_LINE_SMALL, 3, note);
        y += (double)nl * EVS_LINE_SMALL;
    }
    c.height = y + 10;

    evs_buf frame;
    evs_buf_init(&frame);
    evs_canvas_plot_area(&c, &frame, left, top, right, bottom);
    evs_buf_printf(&frame, "set xrange [-0.5:%.1f]\nset yrange [%.10g:%.10g]\n",
                   (double)(n ? n : 1) - 0.5, ymin, ymax);
    evs_buf_add(&frame, "unset xtics\nset ytics nomirror out format '%g'\n"
                        "set grid ytics lc rgb '#dddddd'\nset border 3\nunset key\n");
    evs_buf_add(&frame, setup.data ? setup.data : "");
    if (plot.len == 0)
        evs_buf_add(&plot, "plot NaN notitle");
    if (setup.failed || plot.failed || frame.failed)
        b->failed = true;
    evs_canvas_draw(&c, dir, name, frame.data, plot.data, b);
    evs_buf_free(&frame);
    evs_buf_free(&setup);
    evs_buf_free(&plot);
    evs_canvas_free(&c);
}

/* ---------------------------------------------------------------------------
 * The figure list and the script
 */

static void add_figure(const evs_synthesis *s, evs_figure_list *figs, evs_figure_kind kind,
                       size_t index)
{
    evs_figure *f = &figs->items[figs->n++];
    f->kind = kind;
    f->index = index;
    if (kind == EVS_FIGURE_OVER_TIME) {
        const evs_outcome_spec *o = &s->rv->outcomes[s->trajectories[index].outcome];
        snprintf(f->name, sizeof f->name, "over_time_%s", o->id);
        snprintf(f->caption, sizeof f->caption,
                 "Mean score at baseline and in each follow-up window: %s",
                 o->score_label ? o->score_label : o->label);
        return;
    }
    static const char *const kinds[] = {"", "forest", "cumulative", "funnel"};
    static const char *const titles[] = {
        "", "Forest plot", "Cumulative meta-analysis by publication year", "Funnel plot"};
    const evs_analysis *a = &s->analyses[index];
    figure_name(s, a, kinds[kind], f->name, sizeof f->name);
    snprintf(f->caption, sizeof f->caption, "%s: %s, %s", titles[kind],
             s->rv->outcomes[a->outcome].label, evs_dataset_window_label(s->rv, a->window));
}

evs_status evs_report_figures(const evs_synthesis *s, evs_figure_list *figs)
{
    figs->n = 0;
    figs->items = calloc(s->ntrajectories + 3 * s->nanalyses + 2 * EVS_ROB_TOOLS + 1,
                         sizeof *figs->items);
    if (figs->items == NULL)
        return EVS_ENOMEM;
    for (size_t i = 0; i < s->ntrajectories; i++)
        add_figure(s, figs, EVS_FIGURE_OVER_TIME, i);
    for (size_t i = 0; i < s->nanalyses; i++) {
        const evs_analysis *a = &s->analyses[i];
        if (a->meta == NULL)
            continue;
        add_figure(s, figs, EVS_FIGURE_FOREST, i);
        if (a->meta->k >= 3)
            add_figure(s, figs, EVS_FIGURE_CUMULATIVE, i);
        if ((double)a->meta->k >= s->rv->grade.egger_min_k)
            add_figure(s, figs, EVS_FIGURE_FUNNEL, i);
    }
    evs_rob_add_figures(s, figs);
    return EVS_OK;
}

void evs_figure_list_free(evs_figure_list *figs)
{
    for (size_t i = 0; i < figs->n; i++)
        free(figs->items[i].svg);
    free(figs->items);
    figs->items = NULL;
    figs->n = 0;
}

void evs_report_plot_script(const evs_synthesis *s, const evs_figure_list *figs,
                            const char *dir, evs_buf *out)
{
    evs_buf_add(out, "# evsynth report figures\nset encoding utf8\n");
    for (size_t i = 0; i < figs->n; i++) {
        const evs_figure *f = &figs->items[i];
        switch (f->kind) {
        case EVS_FIGURE_OVER_TIME:
            over_time(s, &s->trajectories[f->index], f->name, dir, out);
            break;
        case EVS_FIGURE_FOREST:
            evs_plot_forest(s, &s->analyses[f->index], f->name, dir, out);
            break;
        case EVS_FIGURE_CUMULATIVE:
            evs_plot_cumulative(s, &s->analyses[f->index], f->name, dir, out);
            break;
        case EVS_FIGURE_FUNNEL:
            funnel(s, &s->analyses[f->index], f->name, dir, out);
            break;
        case EVS_FIGURE_PRISMA:
            break; /* drawn from the screening log: evs_report_prisma_script() */
        case EVS_FIGURE_ROB_TRAFFIC:
            evs_rob_traffic_light(s, (evs_rob_tool)f->index, f->name, dir, out);
            break;
        case EVS_FIGURE_ROB_SUMMARY:
            evs_rob_summary(s, (evs_rob_tool)f->index, f->name, dir, out);
            break;
        }
    }
}
