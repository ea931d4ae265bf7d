/*
 * gnuplot_script.h -- writing gnuplot scripts: user text as string literals.
 *
 * Text from users' files reaches a script only as data, in datablock rows
 * written by evs_gp_data_text(), never on a command line: there gnuplot
 * performs no backquote command substitution, no macro expansion, no format
 * and no enhanced-text markup.  The scripts are run by io/gnuplot.h.
 */
#ifndef EVS_GNUPLOT_SCRIPT_H
#define EVS_GNUPLOT_SCRIPT_H

#include "report/strbuf.h"

/*
 * Append s as a gnuplot string expression of single-quoted literals (no
 * command substitution, no macros and no escapes inside them), with an
 * apostrophe concatenated as "'" between them.  Only for file paths: some
 * commands read their string as a format or as markup, so text shown in a
 * figure goes in as data, through evs_gp_data_text().
 */
void evs_gp_quote(evs_buf *b, const char *s);

/*
 * Append s as the last, tab-separated field of a datablock row, so that
 * gnuplot reads it back exactly as text (a `with labels` or xticlabels
 * column): gnuplot cuts a field at its first double quote and then reads
 * backslash escapes, so a backslash is written "\\" and a double quote
 * "\0042" (octal; four digits, because a '0' starts a four-digit escape);
 * tabs and control characters become spaces (a tab would start a field, a
 * newline end the row).  Nothing is a format, a command or markup there.
 */
void evs_gp_data_text(evs_buf *b, const char *s);

#endif
