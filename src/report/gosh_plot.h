/*
 * gosh_plot.h -- the GOSH plot (Olkin, Dahabreh and Trikalinos 2012): the
 * pooled estimate of each subset of studies against its I^2, drawn as a
 * density, so that where most of the 10^6 subsets lie shows as shading
 * rather than as one solid blot of overlapping points.
 *
 * The plane is cut into a grid of cells, EVS_GOSH_GRID_NX along the
 * estimate (between the smallest and the largest estimate of the converged
 * subsets, widened by half a cell on each side) and EVS_GOSH_GRID_NY along
 * I^2 (0 to 100%, one cell per percentage point); each cell is coloured by
 * the number of subsets in it on a logarithmic scale, and an empty cell is
 * left white.  A subset whose tau^2 iterations did not converge (NaN
 * estimate or I^2) is not drawn; the caption counts it.
 *
 * Nothing here touches a file: the script, with the counts as a datablock,
 * is written into a buffer, and io/gnuplot.h runs it.
 */
#ifndef EVS_GOSH_PLOT_H
#define EVS_GOSH_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/strbuf.h"

#define EVS_GOSH_GRID_NX 120
#define EVS_GOSH_GRID_NY 100

typedef struct evs_gosh_grid {
    double xmin, xmax;                                  /* the grid's estimate range */
    uint64_t count[EVS_GOSH_GRID_NY][EVS_GOSH_GRID_NX]; /* [I^2 cell][estimate cell] */
    uint64_t drawn;                                     /* subsets counted in a cell */
    uint64_t skipped; /* subsets not drawn: NaN, or outside the range */
} evs_gosh_grid;

/*
 * An empty grid for estimates from lo to hi (the converged subsets'
 * smallest and largest, evs_gosh_summary), both finite, lo <= hi.  The
 * range is widened by half a cell on each side; when lo == hi, to
 * lo - 0.5 .. lo + 0.5 (or 5% of |lo| either side, if larger).
 */
void evs_gosh_grid_init(evs_gosh_grid *g, double lo, double hi);

/*
 * Count one subset in its cell.  An estimate on a boundary between two
 * cells goes to the upper cell, except at the top of the range (and I^2 =
 * 100%), which belong to the last cell.  A NaN, or a value outside the
 * range, is counted in skipped.
 */
void evs_gosh_grid_add(evs_gosh_grid *g, double estimate, double I2);

/*
 * Append the gnuplot script that draws the grid to output (a file path,
 * PNG if png, else SVG) with the given title (not user text) to b.  Check
 * b->failed for out of memory.
 */
void evs_gosh_plot_script(const evs_gosh_grid *g, const char *output, bool png,
                          const char *title, evs_buf *b);

#endif
