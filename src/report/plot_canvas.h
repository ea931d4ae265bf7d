/*
 * plot_canvas.h -- the page of a figure: every piece of text of a figure,
 * placed in pixels by the figure's layout, and the gnuplot script that draws
 * it over the figure's graph as SVG and PNG.
 *
 * A figure is drawn in two layers of one gnuplot multiplot:
 *
 *   1. the graph: the figure's own plot command on its data (numbers only),
 *      in a plot area placed at pixel positions of the page;
 *   2. the text: every title, column, row label, value and note, as rows of
 *      a datablock ("x y style text") drawn `with labels` over the whole page,
 *      whose axes are the page's pixels (x to the right, y down).
 *
 * So text reaches gnuplot only as data: never as a command-line string, a
 * format or a markup (issue 15.14); evs_gp_data_text() is its one encoding.
 * Text is laid out with the advance widths of DejaVu Sans, the sans-serif
 * font of Debian's fontconfig and the widest of the common ones (Arial and
 * Helvetica are narrower), so that what fits here fits in a browser too.
 */
#ifndef EVS_PLOT_CANVAS_H
#define EVS_PLOT_CANVAS_H

#include <stdbool.h>
#include <stddef.h>

#include "report/strbuf.h"

/* Text sizes in pixels (1 px = 0.75 pt). */
#define EVS_FONT_BODY 14.0
#define EVS_FONT_SMALL 12.0
#define EVS_FONT_TITLE 16.0
#define EVS_LINE_BODY 18.0  /* line height of body text */
#define EVS_LINE_SMALL 15.0 /* of small text */

typedef enum evs_text_style {
    EVS_TEXT_LEFT,        /* body, left-aligned at x */
    EVS_TEXT_RIGHT,       /* body, right-aligned at x */
    EVS_TEXT_CENTRE,      /* body, centred on x */
    EVS_TEXT_BOLD_LEFT,   /* bold: headers, the pooled row */
    EVS_TEXT_BOLD_RIGHT,
    EVS_TEXT_BOLD_CENTRE,
    EVS_TEXT_TITLE,       /* the figure's title, left */
    EVS_TEXT_SMALL_LEFT,  /* notes and footnotes */
    EVS_TEXT_SMALL_CENTRE,
    EVS_TEXT_SMALL_RIGHT,
    EVS_TEXT_MUTED_CENTRE, /* labels of reference lines, grey */
    EVS_TEXT_MCID_CENTRE,  /* the MCID line's label, in its red */
    EVS_TEXT_VERTICAL,     /* an axis label, body text turned a quarter left */
    EVS_TEXT_VERTICAL_BOLD, /* the same in bold (PRISMA's stage bars) */
    EVS_TEXT_SERIES1,      /* a legend's mark, in the colour of the first series */
    EVS_TEXT_SERIES2,      /* and of the second */
    EVS_TEXT_INVERSE_CENTRE, /* bold, white: a symbol on a dark disc or box */
    EVS_TEXT_STYLES
} evs_text_style;

typedef struct evs_canvas {
    double width, height; /* pixels; the height is set by the layout when it is known */
    evs_buf text;         /* the text datablock's rows */
    evs_buf rules;        /* "x1 y1 x2 y2" rows: thin grey lines of the page (column rules) */
    evs_buf discs;        /* "x y r rgb" rows: filled circles with a dark outline */
    evs_buf boxes;        /* "x y half-width half-height rgb" rows: filled rectangles */
    unsigned used;        /* bit s set: style s has text */
} evs_canvas;

void evs_canvas_init(evs_canvas *c, double width);
void evs_canvas_free(evs_canvas *c);

/* Width in pixels of UTF-8 text at `size` px, bold or not (DejaVu Sans advances). */
double evs_text_width(const char *s, double size, bool bold);

/* Text at (x, y): y is the middle of the line.  Empty text draws nothing. */
void evs_canvas_text(evs_canvas *c, double x, double y, evs_text_style st, const char *s);

/*
 * Text wrapped at spaces into lines of at most max_width pixels (a word
 * longer than the line is cut between characters), the first line centred
 * on y and the next ones line_height below.  At most max_lines lines; if the
 * text needs more, the last line ends with an ellipsis.  Returns the number
 * of lines.  With c NULL it only counts them.
 */
size_t evs_canvas_wrap(evs_canvas *c, double x, double y, evs_text_style st, double max_width,
                       double line_height, size_t max_lines, const char *s);

/*
 * The first line of s in a given style and width: the number of bytes that
 * fit (whole words when a space allows, else characters, at least one), and
 * in *next where the next line starts (after the space).
 */
size_t evs_text_fit(const char *s, evs_text_style st, double max_width, size_t *next);

/* A thin grey line of the page, in pixels. */
void evs_canvas_rule(evs_canvas *c, double x1, double y1, double x2, double y2);

/*
 * Shapes of the page, drawn under its text: a disc of radius r centred on
 * (x, y) with a dark grey outline, and a rectangle from (x1, y1) to (x2, y2),
 * both filled with the colour rgb (0xRRGGBB); outlined boxes get the
 * outline too.  Numbers only: as the text, they reach gnuplot as data.
 */
void evs_canvas_disc(evs_canvas *c, double x, double y, double r, unsigned rgb);
void evs_canvas_box(evs_canvas *c, double x1, double y1, double x2, double y2, unsigned rgb,
                    bool outlined);

/*
 * The plot area of the graph layer, in page pixels, for the graph's
 * script: `set lmargin at screen ...` and the other three margins.
 */
void evs_canvas_plot_area(const evs_canvas *c, evs_buf *b, double left, double top, double right,
                          double bottom);

/*
 * The figure, as dir/name.svg and dir/name.png: setup holds the datablocks
 * of the graph and its settings, plot its plot command (NULL: no graph, the
 * page only).  The page's text is drawn over the graph.
 */
void evs_canvas_draw(const evs_canvas *c, const char *dir, const char *name, const char *setup,
                     const char *plot, evs_buf *out);

#endif
