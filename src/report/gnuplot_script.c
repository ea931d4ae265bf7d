/*
 * gnuplot_script.c -- text in gnuplot scripts: file paths as string
 * expressions, figure text as data (see gnuplot_script.h).
 */
#include "report/gnuplot_script.h"

void evs_gp_quote(evs_buf *b, const char *s)
{
    /* gnuplot 5.4 cannot read two doubled quotes in a row ('a''''b' fails),
     * so an apostrophe closes the literal, is concatenated as "'" (a
     * double-quoted string that holds nothing else), and the literal reopens:
     * 'it'."'".'s' is the string it's, which `set output` accepts. */
    evs_buf_add(b, "'");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'')
            evs_buf_add(b, "'.\"'\".'");
        else if (c < 0x20 || c == 0x7f)
            evs_buf_add(b, " ");
        else
            evs_buf_addn(b, s, 1);
    }
    evs_buf_add(b, "'");
}

void evs_gp_data_text(evs_buf *b, const char *s)
{
    for (; s != NULL && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\')
            evs_buf_add(b, "\\\\");
        else if (c == '"')
            evs_buf_add(b, "\\0042");
        else if (c < 0x20 || c == 0x7f)
            evs_buf_add(b, " ");
        else
            evs_buf_addn(b, s, 1);
    }
}
