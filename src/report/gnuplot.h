/*
 * gnuplot.h -- figures through gnuplot, run as an external program.
 *
 * The script is written to a temporary file and gnuplot is started with it
 * as its only argument: found on PATH, started without a shell
 * (posix_spawnp), its exit status checked and its error output kept for the
 * message.  Text from users' files reaches a script only through
 * evs_gp_quote(): a single-quoted gnuplot string, where gnuplot performs no
 * backquote command substitution and no macro expansion; quotes are doubled
 * (a leading one becomes U+2019, see gnuplot.c) and control characters (a
 * newline would end the command) become spaces.
 */
#ifndef EVS_GNUPLOT_H
#define EVS_GNUPLOT_H

#include "evs_error.h"
#include "strbuf.h"

/* Append s as a gnuplot single-quoted string literal. */
void evs_gp_quote(evs_buf *b, const char *s);

/*
 * Run the script with gnuplot.  scratch_dir is where the temporary script
 * goes (it is removed afterwards).  Returns EVS_OK, or EVS_EIO with err
 * saying whether gnuplot is missing or what it reported.
 */
evs_status evs_gnuplot_run(const char *script, const char *scratch_dir, evs_error *err);

#endif
