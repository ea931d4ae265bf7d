/*
 * gosh_plot.c -- the GOSH plot as a density of subsets (gosh_plot.h).
 */
#include "report/gosh_plot.h"

#include <math.h>
#include <string.h>

#include "report/gnuplot_script.h"

void evs_gosh_grid_init(evs_gosh_grid *g, double lo, double hi)
{
    memset(g, 0, sizeof *g);
    if (hi - lo <= 0) {
        double half = fmax(0.5, 0.05 * fabs(lo));
        lo -= half;
        hi += half;
    }
    double half_cell = 0.5 * (hi - lo) / (EVS_GOSH_GRID_NX - 1);
    g->xmin = lo - half_cell;
    g->xmax = hi + half_cell;
}

/* The cell of x in [lo, hi] cut into n cells, or -1 outside (or NaN). */
static int cell(double x, double lo, double hi, int n)
{
    if (!(x >= lo && x <= hi))
        return -1;
    int i = (int)floor((x - lo) / (hi - lo) * n);
    return i < n ? i : n - 1;
}

void evs_gosh_grid_add(evs_gosh_grid *g, double estimate, double I2)
{
    int i = cell(estimate, g->xmin, g->xmax, EVS_GOSH_GRID_NX);
    int j = cell(I2, 0.0, 100.0, EVS_GOSH_GRID_NY);
    if (i < 0 || j < 0) {
        g->skipped++;
        return;
    }
    g->count[j][i]++;
    g->drawn++;
}

void evs_gosh_plot_script(const evs_gosh_grid *g, const char *output, bool png,
                          const char *title, evs_buf *b)
{
    evs_buf_add(b, png ? "set terminal pngcairo size 1000,750 font 'DejaVu Sans,11' noenhanced\n"
                       : "set terminal svg size 1000,750 font 'Sans,11' noenhanced "
                         "background '#ffffff'\n");
    evs_buf_add(b, "set output ");
    evs_gp_quote(b, output);
    /* every cell, bottom row first; an empty one NaN, which `with image` leaves blank */
    double dx = (g->xmax - g->xmin) / EVS_GOSH_GRID_NX, dy = 100.0 / EVS_GOSH_GRID_NY;
    uint64_t most = 1;
    evs_buf_add(b, "\n$density << EOD\n");
    for (int j = 0; j < EVS_GOSH_GRID_NY; j++)
        for (int i = 0; i < EVS_GOSH_GRID_NX; i++) {
            uint64_t c = g->count[j][i];
            most = c > most ? c : most;
            double x = g->xmin + (i + 0.5) * dx, y = (j + 0.5) * dy;
            if (fabs(x) < 1e-9 * dx)
                x = 0; /* a centre at zero, not its rounding error */
            if (c == 0)
                evs_buf_printf(b, "%.10g %.10g NaN\n", x, y);
            else
                evs_buf_printf(b, "%.10g %.10g %llu\n", x, y, (unsigned long long)c);
        }
    evs_buf_add(b, "EOD\nset title ");
    evs_gp_quote(b, title);
    evs_buf_printf(b,
                   "\nset xlabel 'Pooled estimate of the subset'\n"
                   "set ylabel 'I^2 (%%)'\n"
                   "set cblabel 'Subsets per cell (log scale)'\n"
                   "set xrange [%.10g:%.10g]\nset yrange [0:100]\n"
                   "set logscale cb\nset cbrange [1:%llu]\nset format cb '%%.0f'\n"
                   "set palette defined (0 '#c6dbef', 0.5 '#4292c6', 1 '#08306b')\n"
                   "set grid front lc rgb '#dddddd'\nset key off\nset tics out\n",
                   g->xmin, g->xmax, (unsigned long long)(most > 1 ? most : 2));
    if (g->skipped > 0)
        evs_buf_printf(b,
                       "set bmargin 5\nset label 1 '%llu subset%s not drawn (no estimate: "
                       "tau^2 did not converge)' at screen 0.01, screen 0.02 font ',9'\n",
                       (unsigned long long)g->skipped, g->skipped == 1 ? "" : "s");
    /* SVG: each cell its own rectangle, which a browser does not blur when scaling */
    evs_buf_add(b, png ? "plot $density using 1:2:3 with image\nunset output\n"
                       : "plot $density using 1:2:3 with image pixels\nunset output\n");
}
