/*
 * gnuplot.h -- figures through gnuplot, run as an external program.
 *
 * The script is written to a temporary file and gnuplot is started with it
 * as its only argument: found on PATH, started without a shell
 * (posix_spawnp), its exit status checked and its error output kept for the
 * message.  The scripts are written by the report layer, where text from
 * users' files reaches them only as quoted strings (report/gnuplot_script.h).
 */
#ifndef EVS_GNUPLOT_H
#define EVS_GNUPLOT_H

#include "evsynth/error.h"

/*
 * Run the script with gnuplot.  scratch_dir is where the temporary script
 * goes (it is removed afterwards).  Returns EVS_OK, or EVS_EIO with err
 * saying whether gnuplot is missing or what it reported.
 */
evs_status evs_gnuplot_run(const char *script, const char *scratch_dir, evs_error *err);

#endif
