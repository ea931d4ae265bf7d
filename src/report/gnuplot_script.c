/*
 * gnuplot_script.c -- user text as gnuplot string literals (see gnuplot_script.h).
 */
#include "report/gnuplot_script.h"

void evs_gp_quote(evs_buf *b, const char *s)
{
    evs_buf_add(b, "'");
    for (const char *start = s; *s; s++) {
        unsigned char c = (unsigned char)*s;
        /* gnuplot 5.4 reads '' right after the opening quote as the empty
         * string, so a leading apostrophe becomes its typographic form. */
        if (c == '\'' && s == start)
            evs_buf_add(b, "\u2019");
        else if (c == '\'')
            evs_buf_add(b, "''");
        else if (c < 0x20 || c == 0x7f)
            evs_buf_add(b, " ");
        else
            evs_buf_addn(b, s, 1);
    }
    evs_buf_add(b, "'");
}
