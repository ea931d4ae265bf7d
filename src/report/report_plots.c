/*
 * report_plots.c -- the gnuplot script of `evsynth report` (see report.h):
 * forest plots laid out as RevMan and metafor do, cumulative meta-analyses
 * by publication year, funnel plots, and pain over time.
 *
 * Layout: text columns are labels placed at screen x and graph-row y;
 * the plot area sits between them (lmargin/rmargin at screen positions),
 * with one unit of y per row.  Numbers go into inline datablocks; text only
 * through evs_gp_quote() (single-quoted strings, no enhanced-text markup,
 * no command substitution).  Each figure is drawn as SVG and then PNG.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/gnuplot_script.h"
#include "report/report.h"
#include "report_internal.h"
#include "report/numfmt.h"

#include <gsl/gsl_cdf.h>

#define ROW_PX 22.0
#define TOP_PX 78.0
#define BOTTOM_PX 140.0
#define WIDTH_PX 1200
#define LABEL_CHARS 30

/* "[95% CI]": a column header at the review's confidence level. */
static const char *ci_header(const evs_synthesis *s, const char *what, char *buf, size_t cap)
{
    char level[EVS_NUM_TEXT];
    snprintf(buf, cap, "%s [%s%% CI]", what, evs_num_setting(s->rv->level, level, sizeof level));
    return buf;
}

/* ---------------------------------------------------------------------------
 * Small helpers
 */

/* Copy s into buf, cut at max characters (UTF-8 aware) with an ellipsis. */
static void truncate_utf8(const char *s, size_t max, char *buf, size_t cap)
{
    size_t chars = 0, i = 0, out = 0;
    while (s[i] != '\0') {
        size_t len = 1;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0xf0)
            len = 4;
        else if (c >= 0xe0)
            len = 3;
        else if (c >= 0xc0)
            len = 2;
        if (chars == max - 1 && strlen(s + i) > len) {
            /* one character left: the ellipsis, unless s ends here */
            size_t rest = 0;
            for (size_t j = i; s[j]; j++)
                rest += ((unsigned char)s[j] & 0xc0) != 0x80;
            if (rest > 1) {
                if (out + 4 <= cap) {
                    memcpy(buf + out, "\u2026", 3);
                    out += 3;
                }
                break;
            }
        }
        if (out + len + 1 > cap)
            break;
        memcpy(buf + out, s + i, len);
        out += len;
        i += len;
        chars++;
    }
    buf[out] = '\0';
}

/* set label 'text' at WHERE <align> front <extra> */
static void label_at(evs_buf *b, const char *text, const char *where, const char *align,
                     const char *extra)
{
    evs_buf_add(b, "set label ");
    evs_gp_quote(b, text);
    evs_buf_printf(b, " at %s %s front %s\n", where, align, extra ? extra : "");
}

/* A label at screen x and data y (a forest-plot row). */
static void label(evs_buf *b, const char *text, double x, double y, const char *align,
                  const char *extra)
{
    char where[64];
    snprintf(where, sizeof where, "screen %.4f, first %.3f", x, y);
    label_at(b, text, where, align, extra);
}

/* A label at screen x and screen y (titles and notes). */
static void label_screen(evs_buf *b, const char *text, double x, double y, const char *align,
                         const char *extra)
{
    char where[64];
    snprintf(where, sizeof where, "screen %.4f, screen %.4f", x, y);
    label_at(b, text, where, align, extra);
}

static void output(evs_buf *b, const char *dir, const char *name, const char *ext, int w, int h)
{
    if (strcmp(ext, "svg") == 0)
        evs_buf_printf(b, "set terminal svg size %d,%d font 'Sans,11' noenhanced background "
                          "'#ffffff'\n",
                       w, h);
    else
        evs_buf_printf(b, "set terminal pngcairo size %d,%d font 'Sans,10' noenhanced "
                          "background '#ffffff'\n",
                       w, h);
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
    evs_buf_add(b, "set output ");
    evs_gp_quote(b, path);
    evs_buf_add(b, "\n");
}

/* Draw the current plot command as SVG and PNG. */
static void both(evs_buf *b, const char *dir, const char *name, int w, int h, const char *plot)
{
    output(b, dir, name, "svg", w, h);
    evs_buf_add(b, plot);
    output(b, dir, name, "png", w, h);
    evs_buf_add(b, plot);
    evs_buf_add(b, "unset output\nreset\n");
}

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

static const char *model_text(const evs_outcome_spec *o, char *buf, size_t cap)
{
    snprintf(buf, cap, "Random-effects model: %s, %s; measure %s", evs_method_name(o->method),
             evs_test_is_knha(o->test) ? "Knapp-Hartung CI (t distribution)" : "Wald CI (normal)",
             evs_measure_name(o->measure));
    return buf;
}

/* The figure's title and, below it, the model it shows, at the top left. */
static void plot_title(evs_buf *b, const char *title, const evs_outcome_spec *o, int h)
{
    char model[200];
    label_screen(b, title, 0.01, 1 - 28.0 / h, "left", "font 'Sans,13'");
    label_screen(b, model_text(o, model, sizeof model), 0.01, 1 - 50.0 / h, "left", NULL);
}

/* Range with 5% padding; percent scales stay inside [0, 100]. */
static void axis_range(double lo, double hi, bool percent, double *a, double *b)
{
    double pad = (hi - lo) * 0.05;
    if (!(pad > 0))
        pad = 1;
    *a = lo - pad;
    *b = hi + pad;
    if (percent) {
        if (*a < 0)
            *a = 0;
        if (*b > 100)
            *b = 100;
    }
}

static void format_p(double p, char *buf, size_t cap)
{
    if (isnan(p))
        snprintf(buf, cap, "p = NA");
    else if (p < 0.001)
        snprintf(buf, cap, "p < 0.001");
    else
        snprintf(buf, cap, "p = %.3f", p);
}

/* The plot area of a row-per-study figure, between the text columns. */
static void row_frame(evs_buf *b, double lm, double rm, double top, double bottom, double xa,
                      double xb, double ylo, double yhi, const char *xlabel)
{
    evs_buf_printf(b, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
                      "set tmargin at screen %.4f\nset bmargin at screen %.4f\n",
                   lm, rm, top, bottom);
    evs_buf_printf(b, "set xrange [%.10g:%.10g]\nset yrange [%.3f:%.3f]\n", xa, xb, ylo, yhi);
    evs_buf_add(b, "unset ytics\nset xtics nomirror out\nset border 1\nset key off\n");
    evs_buf_add(b, "set xlabel ");
    evs_gp_quote(b, xlabel);
    evs_buf_add(b, "\n");
}

/* The no-effect line (not for rates) and the MCID line, inside [xa, xb]. */
static void reference_lines(evs_buf *b, const evs_analysis *a, double mcid, double xa, double xb)
{
    if (!a->percent && xa < 0 && xb > 0)
        evs_buf_add(b, "set arrow from 0, graph 0 to 0, graph 1 nohead dt 2 lc rgb '#555555'\n");
    if (mcid > xa && mcid < xb)
        evs_buf_printf(b, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dt 3 lw 1.5 "
                          "lc rgb '#b22222'\n",
                       mcid, mcid);
}

/* ---------------------------------------------------------------------------
 * Forest plot
 */

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

static void row_values(const evs_outcome_spec *o, const evs_dataset_row *row, char *buf,
                       size_t cap)
{
    if (o->type == EVS_OUTCOME_PROPORTION)
        snprintf(buf, cap, "%.0f/%.0f", row->events, row->n);
    else if (o->type == EVS_OUTCOME_CHANGE)
        snprintf(buf, cap, "%.1f (%.1f) \u2192 %.1f (%.1f)", row->m1, row->sd1, row->m2,
                 row->sd2);
    else
        snprintf(buf, cap, "%.1f (%.1f) vs %.1f (%.1f)", row->m1, row->sd1, row->m2, row->sd2);
}

static void forest(const evs_synthesis *s, const evs_analysis *a, const char *name,
                   const char *dir, evs_buf *b)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    const evs_meta *m = a->meta;
    size_t k = m->k;
    double rows = (double)k + 4.6;
    int h = (int)(TOP_PX + rows * ROW_PX + BOTTOM_PX);
    double top = 1 - TOP_PX / h, bottom = BOTTOM_PX / h;

    /* Data: x, y, lb, ub, point size */
    double lo = a->ci_lb, hi = a->ci_ub, maxw = 0;
    for (size_t i = 0; i < k; i++)
        if (m->weights[i] > maxw)
            maxw = m->weights[i];
    evs_buf_add(b, "$rows << EOD\n");
    for (size_t i = 0; i < k; i++) {
        double e, l, u;
        evs_analysis_row_ci(s, a, i, &e, &l, &u);
        lo = fmin(lo, l);
        hi = fmax(hi, u);
        evs_buf_printf(b, "%.10g %zu %.10g %.10g %.4f\n", e, k - i, l, u,
                       0.5 + 2.5 * sqrt(m->weights[i] / maxw));
    }
    evs_buf_add(b, "EOD\n$diamond << EOD\n");
    evs_buf_printf(b, "%.10g 0\n%.10g 0.38\n%.10g 0\n%.10g -0.38\n%.10g 0\nEOD\n", a->ci_lb,
                   a->estimate, a->ci_ub, a->estimate, a->ci_lb);
    bool has_pi = !isnan(a->pi_lb);
    if (has_pi) {
        lo = fmin(lo, a->pi_lb);
        hi = fmax(hi, a->pi_ub);
        evs_buf_printf(b, "$pi << EOD\n%.10g -1 %.10g %.10g\nEOD\n", a->estimate, a->pi_lb,
                       a->pi_ub);
    }
    if (!a->percent) {
        lo = fmin(lo, 0);
        hi = fmax(hi, 0);
    }
    lo = fmin(lo, o->mcid);
    hi = fmax(hi, o->mcid);
    double xa, xb;
    axis_range(lo, hi, a->percent, &xa, &xb);

    row_frame(b, 0.50, 0.74, top, bottom, xa, xb, -1.8, (double)k + 2.8,
              o->type == EVS_OUTCOME_PROPORTION ? "Rate (% of patients)"
              : o->type == EVS_OUTCOME_CHANGE   ? "Reduction from baseline (points)"
                                                : "Difference, control minus intervention (points)");

    /* Title */
    char title[600];
    snprintf(title, sizeof title, "%s, %s", o->label, evs_dataset_window_label(s->rv, a->window));
    plot_title(b, title, o, h);

    /* Column headers */
    double yh = (double)k + 1.6;
    label(b, "Study", 0.01, yh, "left", "font 'Sans-Bold'");
    label(b, "Year", 0.265, yh, "right", "font 'Sans-Bold'");
    label(b, "n", 0.315, yh, "right", "font 'Sans-Bold'");
    label(b, o->type == EVS_OUTCOME_PROPORTION ? "Events/n"
             : o->type == EVS_OUTCOME_CHANGE   ? "Before \u2192 after, mean (SD)"
                                               : "Control vs intervention",
          0.325, yh, "left", "font 'Sans-Bold'");
    char head[120];
    label(b, ci_header(s, a->percent ? "Rate" : "Effect", head, sizeof head), 0.755, yh, "left",
          "font 'Sans-Bold'");
    label(b, "Weight", 0.99, yh, "right", "font 'Sans-Bold'");

    unsigned used = 0;
    for (size_t i = 0; i < k; i++) {
        const evs_dataset_row *row = &a->ds->rows[m->included[i]];
        const evs_study *st = &s->ev->studies[row->study];
        char lab[200], txt[300], buf[100];
        truncate_utf8(st->label, LABEL_CHARS, lab, sizeof lab);
        size_t len = strlen(lab);
        for (size_t j = 0; j < sizeof marks / sizeof marks[0]; j++)
            if (row->conv & marks[j].bits) {
                used |= 1u << j;
                snprintf(lab + len, sizeof lab - len, "%s%s", len == strlen(lab) ? " " : "",
                         marks[j].mark);
                len = strlen(lab);
            }
        double y = (double)(k - i);
        label(b, lab, 0.01, y, "left", NULL);
        if (st->year > 0) {
            snprintf(buf, sizeof buf, "%d", st->year);
            label(b, buf, 0.265, y, "right", NULL);
        }
        snprintf(buf, sizeof buf, "%.0f", row->n);
        label(b, buf, 0.315, y, "right", NULL);
        row_values(o, row, txt, sizeof txt);
        label(b, txt, 0.325, y, "left", NULL);
        double e, l, u;
        evs_analysis_row_ci(s, a, i, &e, &l, &u);
        evs_fmt_ci(a, e, l, u, txt, sizeof txt);
        label(b, txt, 0.755, y, "left", NULL);
        snprintf(buf, sizeof buf, "%.1f%%", m->weights[i]);
        label(b, buf, 0.99, y, "right", NULL);
    }

    /* Pooled rows */
    char txt[300];
    label(b, "Random-effects model", 0.01, 0, "left", "font 'Sans-Bold'");
    snprintf(txt, sizeof txt, "%.0f", a->n);
    label(b, txt, 0.315, 0, "right", "font 'Sans-Bold'");
    evs_fmt_ci(a, a->estimate, a->ci_lb, a->ci_ub, txt, sizeof txt);
    label(b, txt, 0.755, 0, "left", "font 'Sans-Bold'");
    label(b, "100%", 0.99, 0, "right", "font 'Sans-Bold'");
    if (has_pi) {
        label(b, "Prediction interval", 0.01, -1, "left", NULL);
        char l[32], u[32];
        evs_fmt_value(a, a->pi_lb, l, sizeof l);
        evs_fmt_value(a, a->pi_ub, u, sizeof u);
        snprintf(txt, sizeof txt, "[%s to %s]", l, u);
        label(b, txt, 0.755, -1, "left", NULL);
    }

    /* Reference lines, labelled above the plot area */
    reference_lines(b, a, o->mcid, xa, xb);
    if (!a->percent && xa < 0 && xb > 0)
        evs_buf_add(b, "set label 'No effect' at first 0, graph 1.015 center front "
                       "textcolor rgb '#555555'\n");
    if (o->mcid > xa && o->mcid < xb) {
        char mcid[EVS_NUM_TEXT];
        evs_num_setting(o->mcid, mcid, sizeof mcid);
        snprintf(txt, sizeof txt, a->percent ? "Threshold %s%%" : "MCID %s", mcid);
        evs_buf_add(b, "set label ");
        evs_gp_quote(b, txt);
        evs_buf_printf(b, " at first %.10g, graph %.4f center front textcolor rgb '#b22222'\n",
                       o->mcid, 1.015 + 16.0 / (rows * ROW_PX));
    }

    /* Footer: heterogeneity, test, footnotes */
    const evs_fit *f = &m->fit;
    char p[40], het[600], t[6][EVS_NUM_TEXT];
    format_p(f->QE_p, p, sizeof p);
    snprintf(het, sizeof het,
             "Heterogeneity: \u03c4\u00b2 = %s [%s, %s]; I\u00b2 = %s [%s, %s]; "
             "Q = %.2f, df = %d, %s",
             evs_num_stat(f->tau2, t[0], sizeof t[0]), evs_num_stat(f->tau2_ci_lb, t[1], sizeof t[1]),
             evs_num_stat(f->tau2_ci_ub, t[2], sizeof t[2]), evs_num_share(f->I2, t[3], sizeof t[3]),
             evs_num_share(f->I2_ci_lb, t[4], sizeof t[4]), evs_num_share(f->I2_ci_ub, t[5], sizeof t[5]),
             f->QE, f->QE_df, p);
    label_screen(b, het, 0.01, bottom - 52.0 / h, "left", NULL);
    format_p(f->pval, p, sizeof p);
    if (evs_test_is_knha(f->test))
        snprintf(het, sizeof het, "Test for overall effect: t = %.2f, df = %.0f, %s%s", f->stat,
                 f->df, p, f->converged ? "" : "  (tau\u00b2 iterations did not converge)");
    else
        snprintf(het, sizeof het, "Test for overall effect: z = %.2f, %s%s", f->stat, p,
                 f->converged ? "" : "  (tau\u00b2 iterations did not converge)");
    label_screen(b, het, 0.01, bottom - 72.0 / h, "left", NULL);
    char notes[800] = "";
    size_t nl = 0;
    double ny = bottom - 92.0 / h;
    for (size_t j = 0; j < sizeof marks / sizeof marks[0]; j++)
        if (used & (1u << j)) {
            if (nl > 90) { /* keep a line inside the figure's width */
                label_screen(b, notes, 0.01, ny, "left", "font 'Sans,9'");
                ny -= 16.0 / h;
                nl = 0;
                notes[0] = '\0';
            }
            int w = snprintf(notes + nl, sizeof notes - nl, "%s%s: %s", nl ? "; " : "",
                             marks[j].mark, marks[j].text);
            if (w > 0 && (size_t)w < sizeof notes - nl)
                nl += (size_t)w;
        }
    if (nl > 0) {
        label_screen(b, notes, 0.01, ny, "left", "font 'Sans,9'");
        ny -= 16.0 / h;
    }
    if (o->type == EVS_OUTCOME_CHANGE) {
        char r[EVS_NUM_TEXT];
        snprintf(notes, sizeof notes, "Pre/post correlation r = %s where a study does not "
                                      "report it.",
                 evs_num_setting(a->ds->r, r, sizeof r));
        label_screen(b, notes, 0.01, ny, "left", "font 'Sans,9'");
    }

    evs_buf_add(b, "set style fill solid 1.0\n");
    char plot[1200];
    snprintf(plot, sizeof plot,
             "plot $rows using 3:2:($4-$3):(0) with vectors nohead lw 1.5 lc rgb '#1f4e79', \\\n"
             "  $rows using 1:2:5 with points pt 5 ps variable lc rgb '#1f4e79', \\\n"
             "  $diamond using 1:2 with filledcurves closed fc rgb '#1f4e79'%s\n",
             has_pi ? ", \\\n  $pi using 3:2:($4-$3):(0) with vectors heads size screen "
                      "0.004,90 lw 2 lc rgb '#555555'"
                    : "");
    both(b, dir, name, WIDTH_PX, h, plot);
}

/* ---------------------------------------------------------------------------
 * Cumulative meta-analysis by publication year
 */

static void cumulative(const evs_synthesis *s, const evs_analysis *a, const char *name,
                       const char *dir, evs_buf *b)
{
    const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
    const evs_meta *m = a->meta;
    const evs_fit *cum = a->diag->cumulative;
    size_t k = m->k;
    double rows = (double)k + 3.6;
    int h = (int)(TOP_PX + rows * ROW_PX + BOTTOM_PX - 40);
    double top = 1 - TOP_PX / h, bottom = (BOTTOM_PX - 40) / h;
    double lo = o->mcid, hi = o->mcid;
    if (!a->percent) {
        lo = fmin(lo, 0);
        hi = fmax(hi, 0);
    }
    evs_buf_add(b, "$cum << EOD\n");
    for (size_t i = 0; i < k; i++) {
        const evs_fit *f = &cum[i];
        double e = evs_analysis_display(s, a, f->estimate);
        double l = evs_analysis_display(s, a, f->ci_lb), u = evs_analysis_display(s, a, f->ci_ub);
        if (isnan(e))
            continue;
        if (!isnan(l)) {
            lo = fmin(lo, l);
            hi = fmax(hi, u);
        }
        evs_buf_printf(b, "%.10g %zu %.10g %.10g\n", e, k - i, isnan(l) ? e : l, isnan(u) ? e : u);
    }
    evs_buf_add(b, "EOD\n");
    double xa, xb;
    axis_range(lo, hi, a->percent, &xa, &xb);
    row_frame(b, 0.40, 0.72, top, bottom, xa, xb, 0.2, (double)k + 1.8,
              a->percent ? "Pooled rate (% of patients)" : "Pooled effect (points)");
    char title[600], txt[300];
    snprintf(title, sizeof title, "Cumulative meta-analysis by publication year: %s, %s",
             o->label, evs_dataset_window_label(s->rv, a->window));
    plot_title(b, title, o, h);
    double yh = (double)k + 1.0;
    label(b, "Study added", 0.01, yh, "left", "font 'Sans-Bold'");
    label(b, "Year", 0.30, yh, "right", "font 'Sans-Bold'");
    label(b, "k", 0.35, yh, "right", "font 'Sans-Bold'");
    char head[120];
    label(b, ci_header(s, "Pooled", head, sizeof head), 0.735, yh, "left", "font 'Sans-Bold'");
    for (size_t i = 0; i < k; i++) {
        size_t row = a->diag->cumulative_order[i];
        const evs_study *st = &s->ev->studies[a->ds->rows[m->included[row]].study];
        char lab[200], buf[40];
        truncate_utf8(st->label, LABEL_CHARS, lab, sizeof lab);
        double y = (double)(k - i);
        label(b, lab, 0.01, y, "left", NULL);
        if (st->year > 0) {
            snprintf(buf, sizeof buf, "%d", st->year);
            label(b, buf, 0.30, y, "right", NULL);
        }
        snprintf(buf, sizeof buf, "%zu", i + 1);
        label(b, buf, 0.35, y, "right", NULL);
        const evs_fit *f = &cum[i];
        if (isnan(f->estimate))
            snprintf(txt, sizeof txt, "(did not converge)");
        else
            evs_fmt_ci(a, evs_analysis_display(s, a, f->estimate),
                       evs_analysis_display(s, a, f->ci_lb), evs_analysis_display(s, a, f->ci_ub),
                       txt, sizeof txt);
        label(b, txt, 0.735, y, "left", NULL);
    }
    reference_lines(b, a, o->mcid, xa, xb);
    label_screen(b, "Each row pools the studies published up to that row (the first row is one "
                    "study). Red dotted line: MCID or threshold.",
                 0.01, bottom - 52.0 / h, "left", "font 'Sans,9'");
    both(b, dir, name, WIDTH_PX, h,
         "plot $cum using 3:2:($4-$3):(0) with vectors nohead lw 1.5 lc rgb '#1f4e79', \\\n"
         "  $cum using 1:2 with points pt 7 ps 1.2 lc rgb '#1f4e79'\n");
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
    double maxse = 0, lo = m->fit.estimate, hi = m->fit.estimate;
    evs_buf_add(b, "$pts << EOD\n");
    for (size_t i = 0; i < m->k; i++) {
        double se = sqrt(m->v[i]);
        maxse = fmax(maxse, se);
        lo = fmin(lo, m->y[i]);
        hi = fmax(hi, m->y[i]);
        evs_buf_printf(b, "%.10g %.10g\n", m->y[i], se);
    }
    maxse *= 1.08;
    double est = m->fit.estimate;
    /* The pseudo-confidence region at the model's level, as metafor's funnel() draws it. */
    const double FUNNEL_Z = gsl_cdf_ugaussian_Qinv((1 - m->fit.level / 100) / 2);
    lo = fmin(lo, est - FUNNEL_Z * maxse);
    hi = fmax(hi, est + FUNNEL_Z * maxse);
    evs_buf_printf(b, "EOD\n$region << EOD\n%.10g %.10g\n%.10g 0\n%.10g %.10g\n%.10g %.10g\nEOD\n",
                   est - FUNNEL_Z * maxse, maxse, est, est + FUNNEL_Z * maxse, maxse,
                   est - FUNNEL_Z * maxse, maxse);
    double pad = 0.05 * (hi - lo);
    evs_buf_printf(b, "set xrange [%.10g:%.10g]\nset yrange [%.10g:0] \n", lo - pad, hi + pad, maxse);
    evs_buf_add(b, "set key off\nset grid back lc rgb '#dddddd'\nset ylabel 'Standard error'\n");
    char title[600];
    snprintf(title, sizeof title, "Funnel plot: %s, %s (k = %zu)", o->label,
             evs_dataset_window_label(s->rv, a->window), m->k);
    evs_buf_add(b, "set title ");
    evs_gp_quote(b, title);
    evs_buf_add(b, "\nset xlabel ");
    evs_gp_quote(b, funnel_axis(o));
    evs_buf_add(b, "\n");
    evs_buf_printf(b, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead lc rgb '#1f4e79'\n",
                   est, est);
    both(b, dir, name, 800, 640,
         "plot $region using 1:2 with filledcurves closed fc rgb '#eef2f7', \\\n"
         "  $region using 1:2 with lines dt 2 lc rgb '#777777', \\\n"
         "  $pts using 1:2 with points pt 7 ps 1.1 lc rgb '#1f4e79'\n");
}

/* ---------------------------------------------------------------------------
 * Pain over time
 */

static void over_time(const evs_synthesis *s, const evs_trajectory *t, const char *name,
                      const char *dir, evs_buf *b)
{
    const evs_outcome_spec *o = &s->rv->outcomes[t->outcome];
    evs_buf_add(b, "$int << EOD\n");
    for (size_t i = 0; i < t->npoints; i++) {
        const evs_trajectory_point *p = &t->points[i];
        if (isnan(p->estimate))
            continue;
        evs_buf_printf(b, "%zu %.10g %.10g %.10g\n", i, p->estimate,
                       isnan(p->ci_lb) ? p->estimate : p->ci_lb,
                       isnan(p->ci_ub) ? p->estimate : p->ci_ub);
    }
    evs_buf_add(b, "EOD\n$ctl << EOD\n");
    bool ctl = false;
    for (size_t i = 0; i < t->ncontrol; i++) {
        const evs_trajectory_point *p = &t->control[i];
        if (isnan(p->estimate))
            continue;
        ctl = true;
        evs_buf_printf(b, "%.2f %.10g %.10g %.10g\n", (double)i + 0.08, p->estimate,
                       isnan(p->ci_lb) ? p->estimate : p->ci_lb,
                       isnan(p->ci_ub) ? p->estimate : p->ci_ub);
    }
    evs_buf_add(b, "EOD\n");
    double ymin = isnan(o->scale_min) ? 0 : o->scale_min;
    double ymax = isnan(o->scale_max) ? 10 : o->scale_max;
    evs_buf_printf(b, "set xrange [-0.5:%.1f]\nset yrange [%g:%g]\n", (double)t->npoints - 0.5,
                   ymin, ymax);
    evs_buf_add(b, "set xtics (");
    for (size_t i = 0; i < t->npoints; i++) {
        const evs_trajectory_point *p = &t->points[i];
        if (i > 0)
            evs_buf_add(b, ", ");
        evs_gp_quote(b, p->window == EVS_WINDOW_BASELINE
                            ? "Baseline"
                            : evs_dataset_window_label(s->rv, p->window));
        evs_buf_printf(b, " %zu", i);
    }
    evs_buf_add(b, ")\n");
    for (size_t i = 0; i < t->npoints; i++) {
        char lab[64];
        snprintf(lab, sizeof lab, "k = %zu", t->points[i].k);
        evs_buf_add(b, "set label ");
        evs_gp_quote(b, lab);
        evs_buf_printf(b, " at first %zu, graph 0.03 center front textcolor rgb '#555555'\n", i);
    }
    evs_buf_add(b, "\nset grid ytics lc rgb '#dddddd'\nset key top right box opaque\n");
    char title[600];
    char level[EVS_NUM_TEXT];
    snprintf(title, sizeof title, "%s: pooled mean score over time (%s%% CI)", o->label,
             evs_num_setting(s->rv->level, level, sizeof level));
    evs_buf_add(b, "set title ");
    evs_gp_quote(b, title);
    evs_buf_add(b, "\nset ylabel 'Mean score'\n");
    char with[400];
    snprintf(with, sizeof with, "%s (pooled)", s->rv->technology);
    evs_buf plot;
    evs_buf_init(&plot);
    evs_buf_add(&plot, "plot $int using 1:2:3:4 with yerrorlines pt 7 ps 1.3 lw 2 lc rgb "
                       "'#1f4e79' title ");
    evs_gp_quote(&plot, with);
    if (ctl)
        evs_buf_add(&plot, ", \\\n  $ctl using 1:2:3:4 with yerrorlines pt 5 ps 1.3 lw 2 dt 2 "
                           "lc rgb '#b8860b' title 'Control arms (comparator)'");
    evs_buf_add(&plot, "\n");
    if (plot.failed)
        b->failed = true;
    else
        both(b, dir, name, 900, 560, plot.data);
    evs_buf_free(&plot);
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
                 "%s: pooled mean score at baseline and in each time window", o->label);
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
    figs->items = calloc(s->ntrajectories + 3 * s->nanalyses + 1, sizeof *figs->items);
    if (figs->items == NULL)
        return EVS_EIO;
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
            forest(s, &s->analyses[f->index], f->name, dir, out);
            break;
        case EVS_FIGURE_CUMULATIVE:
            cumulative(s, &s->analyses[f->index], f->name, dir, out);
            break;
        case EVS_FIGURE_FUNNEL:
            funnel(s, &s->analyses[f->index], f->name, dir, out);
            break;
        case EVS_FIGURE_PRISMA:
            break; /* drawn from the screening log: evs_report_prisma_script() */
        }
    }
}
