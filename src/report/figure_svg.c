/*
 * figure_svg.c -- gnuplot's SVG made fit to show (see figure_svg.h).
 *
 * A single pass over the text: gnuplot 5.4's svg terminal writes attributes
 * in a fixed form (id='x' or id="x", xlink:href='#x', url(#x)), and text it
 * draws has '<' and '&' escaped, so none of the patterns below can come from
 * a figure's text.
 */
#include "report/figure_svg.h"

#include <stdbool.h>
#include <string.h>

#include "report/doc.h"

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

void evs_figure_svg(const char *svg, const char *name, const char *caption, evs_buf *out)
{
    bool svg_seen = false, title_seen = false;
    const char *s = svg;
    while (*s) {
        if (!svg_seen && starts(s, "<svg")) {
            evs_buf_add(out, "<svg role=\"img\" aria-label=\"");
            evs_html_escape(out, caption);
            evs_buf_add(out, "\"");
            s += 4;
            svg_seen = true;
        } else if (starts(s, "<title>")) {
            const char *end = strstr(s, "</title>");
            if (end == NULL) {
                evs_buf_add(out, s);
                break;
            }
            if (!title_seen) {
                evs_buf_printf(out, "<title id=\"%s-title\">", name);
                evs_html_escape(out, caption);
                evs_buf_add(out, "</title>");
                title_seen = true;
            }
            s = end + strlen("</title>");
        } else if (starts(s, " id='") || starts(s, " id=\"")) {
            evs_buf_addn(out, s, 5);
            evs_buf_printf(out, "%s-", name);
            s += 5;
        } else if (starts(s, "href='#") || starts(s, "href=\"#") || starts(s, "url(#")) {
            size_t n = s[0] == 'u' ? 5 : 7;
            evs_buf_addn(out, s, n);
            evs_buf_printf(out, "%s-", name);
            s += n;
        } else if (starts(s, "font-family=\"sans-serif:Bold\"")) {
            evs_buf_add(out, "font-family=\"sans-serif\" font-weight=\"bold\"");
            s += strlen("font-family=\"sans-serif:Bold\"");
        } else {
            size_t n = strcspn(s + 1, "< ihuf") + 1; /* up to the next candidate */
            evs_buf_addn(out, s, n);
            s += n;
        }
    }
}
