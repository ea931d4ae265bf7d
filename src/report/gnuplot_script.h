/*
 * gnuplot_script.h -- writing gnuplot scripts: user text as string literals.
 *
 * Text from users' files reaches a script only through evs_gp_quote(): a
 * single-quoted gnuplot string, where gnuplot performs no backquote command
 * substitution and no macro expansion; quotes are doubled (a leading one
 * becomes U+2019, see gnuplot_script.c) and control characters (a newline
 * would end the command) become spaces.  The scripts are run by
 * io/gnuplot.h.
 */
#ifndef EVS_GNUPLOT_SCRIPT_H
#define EVS_GNUPLOT_SCRIPT_H

#include "report/strbuf.h"

/* Append s as a gnuplot single-quoted string literal. */
void evs_gp_quote(evs_buf *b, const char *s);

#endif
