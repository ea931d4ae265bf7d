/*
 * gnuplot.h -- figures through gnuplot, run as an external program.
 *
 * The script is written to a temporary file and gnuplot is started with it
 * as its only argument: found on PATH, started without a shell (fork and
 * execv), its exit status checked and its error output kept for the
 * message.  On Linux gnuplot dies with evsynth (PR_SET_PDEATHSIG), so a
 * killed run leaves no gnuplot writing on.  The scripts are written by the
 * report layer, where text from users' files reaches them only as quoted
 * strings (report/gnuplot_script.h).
 *
 * gnuplot exits 0 even when its output files could not be written (a full
 * disk): callers check what it wrote (io/image_check.h).
 */
#ifndef EVS_GNUPLOT_H
#define EVS_GNUPLOT_H

#include "evsynth/error.h"

typedef enum evs_gnuplot_outcome {
    EVS_GNUPLOT_OK,      /* it ran and exited with status 0 */
    EVS_GNUPLOT_MISSING, /* no gnuplot on PATH */
    EVS_GNUPLOT_FAILED,  /* it exited with another status (an error in the script) */
    EVS_GNUPLOT_KILLED,  /* a signal ended it (a file-size limit, the OOM killer, a user) */
    EVS_GNUPLOT_ERROR    /* it could not be started, or its script not written */
} evs_gnuplot_outcome;

/*
 * Run the script with gnuplot.  scratch_dir is where the temporary script
 * goes (it is removed afterwards).  Unless EVS_GNUPLOT_OK, err says what
 * happened, with the start of what gnuplot printed.
 */
evs_gnuplot_outcome evs_gnuplot_run(const char *script, const char *scratch_dir,
                                    evs_error *err);

#endif
