/*
 * plot_rows.c -- the layout of a row-per-study figure (see plot_rows.h).
 *
 * Horizontally: the study column, the data columns (each as wide as its
 * widest cell, its header wrapped to that width where it can be), the plot
 * area, the effect and weight columns; the study column gives way (its
 * labels wrap, up to three lines) before the plot area gets narrower than
 * PLOT_MIN, and the page gets wider only when nothing else fits.
 * Vertically, in pixels from the top: the title, the column headers, one
 * row per study (taller when its label wraps), the pooled rows, the axis
 * with its labels, and the footer.
 *
 * The axis spans every point estimate, the pooled interval, the prediction
 * interval, the no-effect and MCID lines and the studies' intervals, but
 * never more than the values the measure can take (a change on a 0-10 scale
 * lies within -10 and 10; a rate within 0% and 100%).  An interval that runs
 * beyond the axis is drawn to its edge with an arrowhead, and a note says so
 * (RevMan draws clipped intervals the same way).
 */
#include "plot_rows.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/numfmt.h"
#include "report/plot_canvas.h"

#define PAGE_W 960.0
#define PAD 12.0
#define GAP 14.0
#define PLOT_MIN 240.0
#define STUDY_MAX 250.0
#define STUDY_MIN 150.0
#define ROW_MIN 22.0
#define LABEL_LINES 3
#define HEAD_LINES 3
#define MARK_W 24.0  /* a mark column */
#define MARK_R 8.5   /* a mark's radius */

static const char *const COLOUR = "#1f4e79";

void evs_row_plot_init(evs_row_plot *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->label_head, sizeof p->label_head, "Study");
    p->scale_lo = p->scale_hi = p->null_value = p->mcid = NAN;
    for (size_t j = 0; j < EVS_ROW_COLUMNS; j++)
        p->cols[j].group = -1;
}

/* The widest word of s, in pixels. */
static double widest_word(const char *s, double size, bool bold)
{
    double best = 0;
    char word[256];
    while (*s) {
        size_t n = strcspn(s, " ");
        if (n >= sizeof word)
            n = sizeof word - 1;
        memcpy(word, s, n);
        word[n] = '\0';
        double w = evs_text_width(word, size, bold);
        best = w > best ? w : best;
        s += n;
        while (*s == ' ')
            s++;
    }
    return best;
}

typedef struct layout {
    double width, height;
    double study_w;
    double col_w[EVS_ROW_COLUMNS], col_x[EVS_ROW_COLUMNS]; /* x: left edge */
    size_t head_lines[EVS_ROW_COLUMNS];
    double plot_l, plot_r, plot_t, plot_b;
    double xa, xb; /* axis range */
    double marks_x, marks_w; /* the mark columns: left edge and width */
} layout;

static bool row_bold(const evs_row *r)
{
    return r->kind == EVS_ROW_POOLED;
}

/* Column widths, the study column's and the plot area's. */
static void measure_columns(const evs_row_plot *p, layout *L)
{
    for (size_t j = 0; j < p->ncols; j++) {
        double w = 0;
        for (size_t i = 0; i < p->nrows; i++) {
            double cw = evs_text_width(p->rows[i].cells[j], EVS_FONT_BODY, row_bold(&p->rows[i]));
            w = cw > w ? cw : w;
        }
        double hw = widest_word(p->cols[j].head, EVS_FONT_BODY, true);
        w = hw > w ? hw : w;
        L->col_w[j] = w;
        L->head_lines[j] =
            evs_canvas_wrap(NULL, 0, 0, EVS_TEXT_BOLD_LEFT, w + 0.5, 0, HEAD_LINES, p->cols[j].head);
    }
    /* A group header needs its columns to be at least as wide as its widest word. */
    for (int g = 0; g < 2; g++) {
        if (p->groups[g][0] == '\0')
            continue;
        double span = 0, need = widest_word(p->groups[g], EVS_FONT_BODY, true);
        size_t first = EVS_ROW_COLUMNS, last = 0;
        for (size_t j = 0; j < p->ncols; j++)
            if (p->cols[j].group == g) {
                span += L->col_w[j] + (first < EVS_ROW_COLUMNS ? GAP : 0);
                first = first < j ? first : j;
                last = j;
            }
        if (first < EVS_ROW_COLUMNS && span < need)
            L->col_w[last] += need - span;
    }
    double study = evs_text_width(p->label_head, EVS_FONT_BODY, true);
    for (size_t i = 0; i < p->nrows; i++) {
        double w = evs_text_width(p->rows[i].label, EVS_FONT_BODY, row_bold(&p->rows[i]));
        study = w > study ? w : study;
    }
    L->study_w = study < STUDY_MAX ? study : STUDY_MAX;
    /* the pooled rows' labels stay on one line */
    double study_min = STUDY_MIN;
    for (size_t i = 0; i < p->nrows; i++)
        if (p->rows[i].kind != EVS_ROW_STUDY)
            study_min = fmax(study_min, evs_text_width(p->rows[i].label, EVS_FONT_BODY,
                                                       row_bold(&p->rows[i])));
    study_min = fmin(study_min, L->study_w);
    double left = PAD + L->study_w, right = PAD;
    if (p->nmarks > 0) {
        L->marks_w = fmax(MARK_W * (double)p->nmarks,
                          evs_text_width(p->marks_head, EVS_FONT_SMALL, true));
        right += L->marks_w + GAP;
    }
    for (size_t j = 0; j < p->ncols; j++) {
        if (p->cols[j].after)
            right += L->col_w[j] + GAP;
        else
            left += GAP + L->col_w[j];
    }
    L->width = PAGE_W;
    double plot = L->width - left - 2 * GAP - right;
    if (plot < PLOT_MIN && L->study_w > study_min) {
        double give = fmin(PLOT_MIN - plot, L->study_w - study_min);
        L->study_w -= give;
        left -= give;
        plot += give;
    }
    if (plot < PLOT_MIN) {
        L->width += PLOT_MIN - plot;
        plot = PLOT_MIN;
    }
    double x = PAD + L->study_w;
    for (size_t j = 0; j < p->ncols; j++)
        if (!p->cols[j].after) {
            x += GAP;
            L->col_x[j] = x;
            x += L->col_w[j];
        }
    L->plot_l = x + GAP;
    L->plot_r = L->plot_l + plot;
    x = L->plot_r + GAP;
    for (size_t j = 0; j < p->ncols; j++)
        if (p->cols[j].after) {
            L->col_x[j] = x;
            x += L->col_w[j] + GAP;
        }
    L->marks_x = x;
}

/* The centre of mark column j. */
static double mark_x(const evs_row_plot *p, const layout *L, size_t j)
{
    double start = L->marks_x + (L->marks_w - MARK_W * (double)p->nmarks) / 2;
    return start + MARK_W * ((double)j + 0.5);
}

/* The axis: everything worth seeing, within what the measure can take. */
static void axis_range(const evs_row_plot *p, layout *L)
{
    double lo = INFINITY, hi = -INFINITY;
#define TAKE(v)                                                                                    \
    do {                                                                                           \
        double v_ = (v);                                                                           \
        if (!isnan(v_)) {                                                                          \
            lo = fmin(lo, v_);                                                                     \
            hi = fmax(hi, v_);                                                                     \
        }                                                                                          \
    } while (0)
    for (size_t i = 0; i < p->nrows; i++) {
        TAKE(p->rows[i].est);
        TAKE(p->rows[i].lb);
        TAKE(p->rows[i].ub);
    }
    TAKE(p->null_value);
    TAKE(p->mcid);
#undef TAKE
    if (!(lo <= hi)) {
        lo = 0;
        hi = 1;
    }
    if (!isnan(p->scale_lo))
        lo = fmax(lo, p->scale_lo);
    if (!isnan(p->scale_hi))
        hi = fmin(hi, p->scale_hi);
    double pad = (hi - lo) * 0.04;
    if (!(pad > 0))
        pad = 1;
    L->xa = lo - pad;
    L->xb = hi + pad;
    /* No padding beyond what the measure can take. */
    if (!isnan(p->scale_lo) && L->xa < p->scale_lo)
        L->xa = p->scale_lo;
    if (!isnan(p->scale_hi) && L->xb > p->scale_hi)
        L->xb = p->scale_hi;
}

/* A tic step of 1, 2 or 5 times a power of ten: about five steps over span. */
static double tic_step(double span)
{
    double raw = span / 5, p = pow(10, floor(log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

/*
 * The tics of a log axis over [xa, xb] (natural logs), labelled with the
 * ratios: the coarsest of 1-2-5, 1-1.5-2-3-5-7 and a finer series times the
 * powers of ten that gives at least four tics; powers of ten alone when
 * 1-2-5 gives more than eight.
 */
static void log_tics(const layout *L, evs_buf *b)
{
    static const double coarse[] = {1, 2, 5}, mid[] = {1, 1.5, 2, 3, 5, 7},
                        fine[] = {1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 6, 7, 8, 9}, decade[] = {1};
    static const struct {
        const double *m;
        size_t n;
    } sets[] = {{decade, 1}, {coarse, 3}, {mid, 6}, {fine, 13}};
    size_t count[4] = {0};
    for (size_t s = 0; s < 4; s++)
        for (int e = -6; e <= 6; e++)
            for (size_t j = 0; j < sets[s].n; j++) {
                double v = log(sets[s].m[j] * pow(10, e));
                count[s] += v >= L->xa && v <= L->xb;
            }
    size_t use = count[1] > 8 ? 0 : count[1] >= 4 ? 1 : count[2] >= 4 ? 2 : 3;
    evs_buf_add(b, "set xtics nomirror out scale 0.6 (");
    bool first = true;
    for (int e = -6; e <= 6; e++)
        for (size_t j = 0; j < sets[use].n; j++) {
            double r = sets[use].m[j] * pow(10, e), v = log(r);
            if (v < L->xa || v > L->xb)
                continue;
            evs_buf_printf(b, "%s\"%.6g\" %.10g", first ? "" : ", ", r, v);
            first = false;
        }
    evs_buf_add(b, ")\n");
}

static double px_x(const layout *L, double v)
{
    return L->plot_l + (v - L->xa) / (L->xb - L->xa) * (L->plot_r - L->plot_l);
}

/*
 * An interval of row i at height y: its two halves from the estimate, each
 * plain or (beyond the axis) ending in an arrowhead at the axis's edge.
 */
static unsigned interval(const layout *L, double est, double lb, double ub, double y,
                         evs_buf *plain, evs_buf *arrows)
{
    unsigned clipped = 0;
    double c = fmin(fmax(est, L->xa), L->xb);
    if (!isnan(lb)) {
        if (lb < L->xa) {
            evs_buf_printf(arrows, "%.10g %.2f %.10g 0\n", c, y, L->xa - c);
            clipped |= 1;
        } else {
            evs_buf_printf(plain, "%.10g %.2f %.10g 0\n", c, y, lb - c);
        }
    }
    if (!isnan(ub)) {
        if (ub > L->xb) {
            evs_buf_printf(arrows, "%.10g %.2f %.10g 0\n", c, y, L->xb - c);
            clipped |= 2;
        } else {
            evs_buf_printf(plain, "%.10g %.2f %.10g 0\n", c, y, ub - c);
        }
    }
    return clipped;
}

/* Add a datablock to the setup and its clause to the plot, when it has rows. */
static void layer(evs_buf *setup, evs_buf *plot, const char *name, const evs_buf *rows,
                  const char *clause)
{
    if (rows->len == 0)
        return;
    evs_buf_printf(setup, "$%s << EOD\n%sEOD\n", name, rows->data);
    evs_buf_add(plot, plot->len == 0 ? "plot " : ", \\\n  ");
    evs_buf_printf(plot, "$%s %s", name, clause);
}

typedef struct graph {
    evs_buf seg, arrow, square, point, diamond, bar;
} graph;

static void graph_init(graph *g)
{
    evs_buf_init(&g->seg);
    evs_buf_init(&g->arrow);
    evs_buf_init(&g->square);
    evs_buf_init(&g->point);
    evs_buf_init(&g->diamond);
    evs_buf_init(&g->bar);
}

static void graph_free(graph *g)
{
    evs_buf_free(&g->seg);
    evs_buf_free(&g->arrow);
    evs_buf_free(&g->square);
    evs_buf_free(&g->point);
    evs_buf_free(&g->diamond);
    evs_buf_free(&g->bar);
}

static bool graph_failed(const graph *g)
{
    return g->seg.failed || g->arrow.failed || g->square.failed || g->point.failed ||
           g->diamond.failed || g->bar.failed;
}

/* A label of width w centred on x, moved to stay above the plot area. */
static double inside(const layout *L, double x, double w)
{
    return fmin(fmax(x, L->plot_l + w / 2), L->plot_r - w / 2);
}

/* The labels of the reference lines above the plot area, stacked where they would touch. */
static void reference_labels(const evs_row_plot *p, const layout *L, evs_canvas *c)
{
    double y = L->plot_t - 10;
    double xn = NAN, wn = 0;
    if (!isnan(p->null_value) && p->null_value > L->xa && p->null_value < L->xb) {
        wn = evs_text_width("No effect", EVS_FONT_SMALL, false);
        xn = inside(L, px_x(L, p->null_value), wn);
        evs_canvas_text(c, xn, y, EVS_TEXT_MUTED_CENTRE, "No effect");
    }
    if (!isnan(p->mcid) && p->mcid > L->xa && p->mcid < L->xb && p->mcid_label[0]) {
        double wm = evs_text_width(p->mcid_label, EVS_FONT_SMALL, false);
        double xm = inside(L, px_x(L, p->mcid), wm);
        double ym = y;
        if (!isnan(xn) && fabs(xm - xn) < (wm + wn) / 2 + 6)
            ym -= EVS_LINE_SMALL;
        evs_canvas_text(c, xm, ym, EVS_TEXT_MCID_CENTRE, p->mcid_label);
    }
}

void evs_row_plot_draw(const evs_row_plot *p, const char *dir, const char *name, evs_buf *out)
{
    layout L;
    memset(&L, 0, sizeof L);
    measure_columns(p, &L);
    evs_canvas c;
    evs_canvas_init(&c, L.width);

    /* Title and subtitle */
    double y = 24;
    size_t n = evs_canvas_wrap(&c, PAD, y, EVS_TEXT_TITLE, L.width - 2 * PAD, 21, 4, p->title);
    y += (double)n * 21;
    if (p->subtitle[0]) {
        n = evs_canvas_wrap(&c, PAD, y - 2, EVS_TEXT_SMALL_LEFT, L.width - 2 * PAD,
                            EVS_LINE_SMALL, 3, p->subtitle);
        y += (double)n * EVS_LINE_SMALL;
    }
    y += 14;

    /* Group headers (the arms) over their columns, with a rule below. */
    size_t glines = 0;
    for (int g = 0; g < 2; g++) {
        if (p->groups[g][0] == '\0')
            continue;
        double l = INFINITY, r = -INFINITY;
        for (size_t j = 0; j < p->ncols; j++)
            if (p->cols[j].group == g) {
                l = fmin(l, L.col_x[j]);
                r = fmax(r, L.col_x[j] + L.col_w[j]);
            }
        if (!(l < r))
            continue;
        size_t gl = evs_canvas_wrap(NULL, 0, 0, EVS_TEXT_BOLD_CENTRE, r - l + 1, 0, 2,
                                    p->groups[g]);
        glines = gl > glines ? gl : glines;
    }
    if (glines > 0) {
        for (int g = 0; g < 2; g++) {
            double l = INFINITY, r = -INFINITY;
            for (size_t j = 0; j < p->ncols; j++)
                if (p->cols[j].group == g) {
                    l = fmin(l, L.col_x[j]);
                    r = fmax(r, L.col_x[j] + L.col_w[j]);
                }
            if (p->groups[g][0] == '\0' || !(l < r))
                continue;
            size_t gl = evs_canvas_wrap(NULL, 0, 0, EVS_TEXT_BOLD_CENTRE, r - l + 1, 0, 2,
                                        p->groups[g]);
            evs_canvas_wrap(&c, (l + r) / 2, y + (double)(glines - gl) * EVS_LINE_BODY,
                            EVS_TEXT_BOLD_CENTRE, r - l + 1, EVS_LINE_BODY, 2, p->groups[g]);
            evs_canvas_rule(&c, l, y + (double)glines * EVS_LINE_BODY - 6, r,
                            y + (double)glines * EVS_LINE_BODY - 6);
        }
        y += (double)glines * EVS_LINE_BODY;
    }

    /* Column headers, bottom-aligned; at least two lines, for the reference labels. */
    size_t hlines = 2;
    for (size_t j = 0; j < p->ncols; j++)
        hlines = L.head_lines[j] > hlines ? L.head_lines[j] : hlines;
    double hb = y + (double)(hlines - 1) * EVS_LINE_BODY; /* last header line */
    evs_canvas_text(&c, PAD, hb, EVS_TEXT_BOLD_LEFT, p->label_head);
    if (p->nmarks > 0) {
        evs_canvas_text(&c, L.marks_x + L.marks_w / 2, hb - EVS_LINE_BODY,
                        EVS_TEXT_BOLD_CENTRE, p->marks_head);
        for (size_t j = 0; j < p->nmarks; j++)
            evs_canvas_text(&c, mark_x(p, &L, j), hb, EVS_TEXT_SMALL_CENTRE, p->mark_heads[j]);
    }
    for (size_t j = 0; j < p->ncols; j++) {
        bool right = p->cols[j].right;
        double x = right ? L.col_x[j] + L.col_w[j] : L.col_x[j];
        /* each header line aligned as its column */
        size_t hl = L.head_lines[j];
        evs_canvas_wrap(&c, x, hb - (double)(hl - 1) * EVS_LINE_BODY,
                        right ? EVS_TEXT_BOLD_RIGHT : EVS_TEXT_BOLD_LEFT, L.col_w[j] + 0.5,
                        EVS_LINE_BODY, HEAD_LINES, p->cols[j].head);
    }
    y = hb + EVS_LINE_BODY / 2 + 5;
    evs_canvas_rule(&c, PAD, y, L.width - PAD, y);
    L.plot_t = y;
    y += 5;

    /* Rows */
    double *row_y = calloc(p->nrows ? p->nrows : 1, sizeof *row_y);
    if (row_y == NULL) {
        out->failed = true;
        evs_canvas_free(&c);
        return;
    }
    for (size_t i = 0; i < p->nrows; i++) {
        const evs_row *r = &p->rows[i];
        if (r->kind != EVS_ROW_STUDY && (i == 0 || p->rows[i - 1].kind == EVS_ROW_STUDY))
            y += 6; /* the pooled rows stand apart */
        bool bold = row_bold(r);
        size_t lines = evs_canvas_wrap(NULL, 0, 0, bold ? EVS_TEXT_BOLD_LEFT : EVS_TEXT_LEFT,
                                       L.study_w + 0.5, 0, LABEL_LINES, r->label);
        lines = lines ? lines : 1;
        double first = y + ROW_MIN / 2;
        row_y[i] = first;
        evs_canvas_wrap(&c, PAD, first, bold ? EVS_TEXT_BOLD_LEFT : EVS_TEXT_LEFT,
                        L.study_w + 0.5, EVS_LINE_BODY, LABEL_LINES, r->label);
        for (size_t j = 0; j < p->ncols; j++) {
            bool right = p->cols[j].right;
            evs_text_style st = bold ? (right ? EVS_TEXT_BOLD_RIGHT : EVS_TEXT_BOLD_LEFT)
                                     : (right ? EVS_TEXT_RIGHT : EVS_TEXT_LEFT);
            evs_canvas_text(&c, right ? L.col_x[j] + L.col_w[j] : L.col_x[j], first, st,
                            r->cells[j]);
        }
        for (size_t j = 0; j < p->nmarks; j++) {
            const evs_row_mark *mk = &r->marks[j];
            if (!mk->shown)
                continue;
            evs_canvas_disc(&c, mark_x(p, &L, j), first, MARK_R, mk->rgb);
            evs_canvas_text(&c, mark_x(p, &L, j), first,
                            mk->dark ? EVS_TEXT_INVERSE_CENTRE : EVS_TEXT_BOLD_CENTRE, mk->text);
        }
        y += fmax(ROW_MIN, ROW_MIN + (double)(lines - 1) * EVS_LINE_BODY);
    }
    L.plot_b = y + 4;
    axis_range(p, &L);

    /* The graph: intervals, squares, the diamond, the prediction interval. */
    graph g;
    graph_init(&g);
    bool pi_clipped = false;
    unsigned clipped = 0; /* bit 0: at the axis's left end, bit 1: at its right end */
    double pi_lb = NAN, pi_ub = NAN;
    double x_per_px = (L.xb - L.xa) / (L.plot_r - L.plot_l);
    for (size_t i = 0; i < p->nrows; i++) {
        const evs_row *r = &p->rows[i];
        double yy = row_y[i];
        if (isnan(r->est) && r->kind != EVS_ROW_PI)
            continue;
        switch (r->kind) {
        case EVS_ROW_STUDY: {
            clipped |= interval(&L, r->est, r->lb, r->ub, yy, &g.seg, &g.arrow);
            double hs = r->size > 0 ? r->size : 3.5;
            evs_buf_printf(r->size > 0 ? &g.square : &g.point, "%.10g %.2f %.10g %.2f\n", r->est,
                           yy, hs * x_per_px, hs);
            break;
        }
        case EVS_ROW_POOLED: {
            double l = fmax(r->lb, L.xa), u = fmin(r->ub, L.xb);
            clipped |= (r->lb < L.xa ? 1u : 0u) | (r->ub > L.xb ? 2u : 0u);
            evs_buf_printf(&g.diamond, "%.10g %.2f\n%.10g %.2f\n%.10g %.2f\n%.10g %.2f\n%.10g %.2f\n\n",
                           l, yy, r->est, yy - 8, u, yy, r->est, yy + 8, l, yy);
            break;
        }
        case EVS_ROW_PI:
            if (isnan(r->lb))
                break;
            pi_lb = r->lb;
            pi_ub = r->ub;
            pi_clipped = interval(&L, r->est, r->lb, r->ub, yy, &g.bar, &g.arrow) != 0;
            if (r->lb >= L.xa)
                evs_buf_printf(&g.bar, "%.10g %.2f 0 -5\n%.10g %.2f 0 10\n", r->lb, yy + 5, r->lb,
                               yy - 5);
            if (r->ub <= L.xb)
                evs_buf_printf(&g.bar, "%.10g %.2f 0 -5\n%.10g %.2f 0 10\n", r->ub, yy + 5, r->ub,
                               yy - 5);
            break;
        }
    }
    free(row_y);

    evs_buf setup, plot;
    evs_buf_init(&setup);
    evs_buf_init(&plot);
    if (p->log_axis) {
        evs_buf_add(&setup, "unset ytics\n");
        log_tics(&L, &setup);
        evs_buf_add(&setup, "set border 1 lw 1\nunset key\n");
    } else {
        evs_buf_printf(&setup, "unset ytics\nset xtics nomirror out scale 0.6 format '%%g' %.10g\n"
                               "set border 1 lw 1\nunset key\n",
                       tic_step(L.xb - L.xa));
    }
    if (!isnan(p->null_value) && p->null_value > L.xa && p->null_value < L.xb)
        evs_buf_printf(&setup, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dt 2 "
                               "lc rgb '#555555' back\n",
                       p->null_value, p->null_value);
    if (!isnan(p->mcid) && p->mcid > L.xa && p->mcid < L.xb)
        evs_buf_printf(&setup, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dt 3 "
                               "lw 1.5 lc rgb '#b22222' back\n",
                       p->mcid, p->mcid);
    char clause[300];
    snprintf(clause, sizeof clause, "using 1:2:3:4 with vectors nohead lw 1.5 lc rgb '%s'",
             COLOUR);
    layer(&setup, &plot, "evs_seg", &g.seg, clause);
    snprintf(clause, sizeof clause,
             "using 1:2:3:4 with vectors head filled size screen 0.009,25 lw 1.5 lc rgb '%s'",
             COLOUR);
    layer(&setup, &plot, "evs_arrow", &g.arrow, clause);
    snprintf(clause, sizeof clause, "using 1:2:3:4 with boxxyerror fs solid 1.0 noborder "
                                    "fc rgb '%s'", COLOUR);
    layer(&setup, &plot, "evs_square", &g.square, clause);
    layer(&setup, &plot, "evs_point", &g.point, clause);
    snprintf(clause, sizeof clause, "using 1:2 with filledcurves closed fc rgb '%s'", COLOUR);
    layer(&setup, &plot, "evs_diamond", &g.diamond, clause);
    layer(&setup, &plot, "evs_bar", &g.bar,
          "using 1:2:3:4 with vectors nohead lw 2 lc rgb '#555555'");
    if (plot.len == 0) /* nothing to draw: keep the axis */
        evs_buf_add(&plot, "plot NaN notitle");

    /* Reference labels, the axis labels, the footer */
    reference_labels(p, &L, &c);
    y = L.plot_b + 46; /* below the tic labels */
    if (p->favours_left[0] || p->favours_right[0]) {
        double x0 = !isnan(p->null_value) && p->null_value > L.xa && p->null_value < L.xb
                        ? px_x(&L, p->null_value)
                        : (L.plot_l + L.plot_r) / 2;
        evs_canvas_text(&c, x0 - 8, y, EVS_TEXT_SMALL_RIGHT, p->favours_left);
        evs_canvas_text(&c, x0 + 8, y, EVS_TEXT_SMALL_LEFT, p->favours_right);
        y += EVS_LINE_SMALL + 4;
    }
    n = evs_canvas_wrap(&c, (L.plot_l + L.plot_r) / 2, y, EVS_TEXT_CENTRE,
                        L.plot_r - L.plot_l + 2 * GAP, EVS_LINE_BODY, 2, p->xlabel);
    y += (double)(n ? n : 1) * EVS_LINE_BODY + 12;
    for (int i = 0; i < 3; i++)
        if (p->stats[i][0]) {
            n = evs_canvas_wrap(&c, PAD, y, EVS_TEXT_LEFT, L.width - 2 * PAD, EVS_LINE_BODY, 3,
                                p->stats[i]);
            y += (double)n * EVS_LINE_BODY;
        }
    y += 4;
    char note[900];
    for (size_t i = 0; i <= p->nnotes + 1; i++) {
        const char *t = NULL;
        if (i < p->nnotes) {
            t = p->notes[i];
        } else if (i == p->nnotes && clipped) {
            /* The axis ends inside an interval only at a limit of the measure. */
            char a[EVS_NUM_TEXT], b[EVS_NUM_TEXT];
            evs_num_effect(L.xa, p->percent, a, sizeof a);
            evs_num_effect(L.xb, p->percent, b, sizeof b);
            if (clipped == 3)
                snprintf(note, sizeof note,
                         "Arrows: the interval runs beyond %s or %s, the values the measure can "
                         "take; it is cut there.", a, b);
            else
                snprintf(note, sizeof note,
                         "Arrows: the interval runs beyond %s, the %s value the measure can "
                         "take; it is cut there.",
                         clipped == 1 ? a : b, clipped == 1 ? "lowest" : "highest");
            t = note;
        } else if (i == p->nnotes + 1 && pi_clipped) {
            char iv[3 * EVS_NUM_TEXT];
            snprintf(note, sizeof note,
                     "The prediction interval (%s) runs beyond the values the measure can take; "
                     "it is drawn to the end of the axis.",
                     evs_num_interval(pi_lb, pi_ub, p->percent, iv, sizeof iv));
            t = note;
        }
        if (t == NULL || t[0] == '\0')
            continue;
        n = evs_canvas_wrap(&c, PAD, y, EVS_TEXT_SMALL_LEFT, L.width - 2 * PAD, EVS_LINE_SMALL, 4,
                            t);
        y += (double)n * EVS_LINE_SMALL;
    }
    c.height = y + 10;

    /* The plot area's margins are fractions of the page, known only now. */
    evs_buf frame;
    evs_buf_init(&frame);
    evs_canvas_plot_area(&c, &frame, L.plot_l, L.plot_t, L.plot_r, L.plot_b);
    evs_buf_printf(&frame, "set xrange [%.10g:%.10g]\nset yrange [%.2f:%.2f]\n", L.xa, L.xb,
                   L.plot_b, L.plot_t);
    evs_buf_add(&frame, setup.data ? setup.data : "");
    if (graph_failed(&g) || setup.failed || plot.failed || frame.failed)
        out->failed = true;
    evs_canvas_draw(&c, dir, name, frame.data, plot.data, out);
    evs_buf_free(&frame);
    evs_buf_free(&setup);
    evs_buf_free(&plot);
    graph_free(&g);
    evs_canvas_free(&c);
}
