/*
 * figure_svg.h -- a figure's SVG as gnuplot 5.4 writes it, made fit for a
 * browser, a screen reader and a page that inlines many of them.
 */
#ifndef EVS_FIGURE_SVG_H
#define EVS_FIGURE_SVG_H

#include "report/strbuf.h"

/*
 * Append to out the SVG text svg with:
 *  - bold text that browsers draw bold: gnuplot's svg terminal writes the
 *    font name "sans-serif:Bold" as the family, which no browser resolves
 *    (it falls back to a serif); it becomes font-family="sans-serif" with
 *    font-weight="bold";
 *  - every id unique in a page: id="x" becomes id="NAME-x", and the
 *    references to it (href="#x", url(#x)) follow; so "gnuplot_canvas" and
 *    the point symbols' ids no longer repeat in report.html;
 *  - a meaningful name: the first <title> ("Gnuplot") becomes the caption,
 *    the <svg> element gets role="img" and aria-label="caption", and the
 *    plot elements' titles (gnuplot's "$data using 1:2", shown as tooltips)
 *    are dropped.
 * name must hold only letters, digits, '_' and '-' (figure names do).
 * Allocation failures set out->failed.
 */
void evs_figure_svg(const char *svg, const char *name, const char *caption, evs_buf *out);

#endif
