/*
 * plot_rows.h -- figures with one row per study (forest plots, cumulative
 * meta-analyses), laid out as RevMan and R's meta lay them out:
 *
 *   Study  Year  [data columns, grouped by arm]  |--plot--|  Effect (CI)  Weight
 *
 * The writers of each figure (plot_forest.c) fill an evs_row_plot with the
 * text of every cell and the interval of every row; evs_row_plot_draw()
 * measures the columns, wraps what is too long, places the rows, chooses the
 * axis, clips intervals beyond it (with arrows and a note) and writes the
 * script (plot_canvas.h).  Private to the report layer.
 */
#ifndef EVS_PLOT_ROWS_H
#define EVS_PLOT_ROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "report/strbuf.h"

#define EVS_ROW_COLUMNS 10  /* data columns besides the study's */
#define EVS_ROW_CELL 96     /* bytes of a cell's text */
#define EVS_ROW_NOTES 10
#define EVS_ROW_MARKS 11    /* marks after the weight: risk-of-bias domains and overall */

/* A coloured disc with a symbol, as RevMan's risk-of-bias columns. */
typedef struct evs_row_mark {
    unsigned rgb;   /* fill, 0xRRGGBB */
    bool shown;     /* false: no mark in this row */
    bool dark;      /* the symbol in white */
    char text[8];   /* "+", "?"; "" for none */
} evs_row_mark;

typedef struct evs_row_column {
    char head[80];  /* header, bold; wraps at spaces */
    int group;      /* index of the group header above it, or -1 */
    bool right;     /* right-aligned (numbers) */
    bool after;     /* to the right of the plot area */
} evs_row_column;

typedef enum evs_row_kind {
    EVS_ROW_STUDY,  /* a square sized by weight, or a point, with its interval */
    EVS_ROW_POOLED, /* bold text and a diamond over the interval */
    EVS_ROW_PI      /* a prediction interval: a line with end bars */
} evs_row_kind;

typedef struct evs_row {
    evs_row_kind kind;
    char label[400];                         /* first column; wrapped */
    char cells[EVS_ROW_COLUMNS][EVS_ROW_CELL];
    double est, lb, ub;                      /* display scale; NaN: nothing drawn */
    double size;                             /* square's half-side in pixels (0: a point) */
    evs_row_mark marks[EVS_ROW_MARKS];       /* the plot's nmarks marks, if any */
} evs_row;

typedef struct evs_row_plot {
    char title[700];
    char subtitle[300];
    char label_head[40];          /* "Study" */
    char groups[2][200];          /* group headers (arms), "" if unused */
    size_t ncols;
    evs_row_column cols[EVS_ROW_COLUMNS];
    evs_row *rows;                /* in the order drawn */
    size_t nrows;
    bool percent;                 /* a rate in percent: the axis stays in [0, 100] */
    double scale_lo, scale_hi;    /* values the measure can take; NaN: no limit */
    double null_value;            /* the no-effect line, or NaN */
    bool log_axis;                /* est, lb, ub, null_value and mcid are natural logs of
                                     ratios (RR, OR): the axis is labelled with the ratios */
    double mcid;                  /* the MCID or threshold line, or NaN */
    char mcid_label[60];
    char xlabel[200];
    char favours_left[200], favours_right[200]; /* "" when the axis is not comparative */
    char stats[3][600];           /* heterogeneity and test lines, body text; "" unused */
    size_t nnotes;
    char notes[EVS_ROW_NOTES][900]; /* footnotes, small text, wrapped */
    size_t nmarks;                /* mark columns after the weight (0: none) */
    char marks_head[60];          /* over them: "Risk of bias" */
    char mark_heads[EVS_ROW_MARKS][8]; /* each one's header: "D1", "All" */
} evs_row_plot;

/* An empty plot: no rows, no lines, no limits. */
void evs_row_plot_init(evs_row_plot *p);

/* Write the script drawing the figure as dir/name.svg and dir/name.png. */
void evs_row_plot_draw(const evs_row_plot *p, const char *dir, const char *name, evs_buf *out);

#endif
