/*
 * report_internal.h -- helpers shared by the report writers.
 */
#ifndef EVS_REPORT_INTERNAL_H
#define EVS_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "report/report.h"
#include "report/strbuf.h"
#include "review/synthesis.h"

/* "pain.early": the outcome and window ids of an analysis. */
void evs_analysis_id(const evs_synthesis *s, const evs_analysis *a, char *buf, size_t cap);

/*
 * Whether a's values carry a % sign: a rate in percent does; a risk
 * difference, a difference of two percentages, is in percentage points
 * and does not (the summary of findings and the figures say "percentage
 * points" or "% points" beside it).
 */
bool evs_percent_sign(const evs_synthesis *s, const evs_analysis *a);

/* An estimate with its CI on the analysis's scale: "5.12 (4.30 to 5.94)", "12.3% (...)". */
/* Room for evs_fmt_ci's text: three values of up to 31 bytes and " ( to )". */
#define EVS_CI_TEXT 112
void evs_fmt_ci(const evs_synthesis *s, const evs_analysis *a, double est, double lb, double ub,
                char *buf, size_t cap);


/* A value on the analysis's scale: "5.12" or "12.3%"; "-" for NaN. */
void evs_fmt_value(const evs_synthesis *s, const evs_analysis *a, double x, char *buf,
                   size_t cap);

/* The forest plot and the cumulative meta-analysis of a pooled analysis (plot_forest.c). */
void evs_plot_forest(const evs_synthesis *s, const evs_analysis *a, const char *name,
                     const char *dir, evs_buf *b);
void evs_plot_cumulative(const evs_synthesis *s, const evs_analysis *a, const char *name,
                         const char *dir, evs_buf *b);

/*
 * The risk-of-bias columns of a forest plot (report_rob.c): the marks of the
 * study rows p->rows[0..k-1], whose meta rows are order[0..k-1], their
 * headers and a note; nothing when the review has no appraisals.
 */
struct evs_row_plot;
void evs_rob_forest_marks(const evs_synthesis *s, const evs_analysis *a, const size_t *order,
                          struct evs_row_plot *p);

/* The risk-of-bias figures (report_rob.c): one traffic-light plot and one summary per tool. */
void evs_rob_add_figures(const evs_synthesis *s, evs_figure_list *figs);
void evs_rob_traffic_light(const evs_synthesis *s, evs_rob_tool t, const char *name,
                           const char *dir, evs_buf *b);
void evs_rob_summary(const evs_synthesis *s, evs_rob_tool t, const char *name, const char *dir,
                     evs_buf *b);

/* "Buchbinder 2009", or "... (outcome label)" for an outcome's own appraisal (report_rob.c). */
void evs_rob_entry_label(const evs_synthesis *s, const evs_rob_entry *e, char *buf, size_t cap);

#endif
