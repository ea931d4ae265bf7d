/*
 * exit_codes.h -- the exit codes of the evsynth program, and the one table
 * that maps the library's status codes (evsynth/error.h) to them.
 *
 * The codes are documented in the README ("Exit status"), in --help and
 * in the man page, which all come from the table in exit_codes.c (jq's
 * src/main.c names its exit codes in one enum the same way).
 */
#ifndef EVS_EXIT_CODES_H
#define EVS_EXIT_CODES_H

#include <stddef.h>

#include "evsynth/error.h"

typedef enum evs_exit {
    EVS_EXIT_OK = 0,
    EVS_EXIT_DATA = 1,      /* bad input data, or an analysis that cannot be done */
    EVS_EXIT_USAGE = 2,     /* bad command line */
    EVS_EXIT_IO = 3,        /* a file, the output, an external program, or memory */
    EVS_EXIT_NO_FIGURES = 4 /* evsynth report: written, but without figures */
} evs_exit;

/* The exit code for a library status (EVS_OK: 0). */
evs_exit evs_exit_code(evs_status st);

/* The documented exit codes, in order, with one sentence each. */
typedef struct evs_exit_doc {
    evs_exit code;
    const char *meaning;
} evs_exit_doc;

extern const evs_exit_doc evs_exit_docs[];
extern const size_t evs_exit_ndocs;

#endif
