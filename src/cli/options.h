/*
 * options.h -- one table per command drives option parsing and --help.
 *
 * Accepted forms: --name VALUE, --name=VALUE, -x VALUE, and "--" to end
 * options.  Everything else that does not start with '-' is an operand.
 */
#ifndef EVS_OPTIONS_H
#define EVS_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include "evsynth/error.h"
#include "evsynth/fit.h"
#include "evsynth/measure.h"

typedef struct evs_option {
    int id;            /* passed to the handler */
    const char *name;  /* long name without "--" */
    char short_name;   /* 0 if none */
    const char *value; /* metavariable, e.g. "M"; NULL for a flag */
    const char *help;  /* one line; may mention the default */
} evs_option;

/*
 * Called once per option in command-line order; value is NULL for flags.
 * Return EVS_OK, or EVS_EUSAGE after filling err.
 */
typedef evs_status (*evs_option_fn)(int id, const char *value, void *ctx, evs_error *err);

/*
 * Parse argv[0..argc) (argv[0] is the first argument, not the program).
 * Operands are moved to the front of argv in order and their count stored
 * in *noperands.  Returns EVS_OK or EVS_EUSAGE with err filled.
 */
evs_status evs_options_parse(int argc, char **argv, const evs_option *table, size_t n,
                             evs_option_fn fn, void *ctx, int *noperands, evs_error *err);

/* Print the option list, aligned, one option per line. */
void evs_options_help(FILE *out, const evs_option *table, size_t n);

/*
 * The model options the analysis commands share, with the same messages:
 * --measure, --method, --test and --level (a percentage, or a fraction as
 * metafor reads it).  Each returns EVS_OK or EVS_EUSAGE with err filled.
 */
evs_status evs_option_measure(const char *value, evs_measure *m, evs_error *err);
evs_status evs_option_method(const char *value, evs_method *m, evs_error *err);
evs_status evs_option_test(const char *value, evs_test *t, evs_error *err);
evs_status evs_option_level(const char *value, double *level, evs_error *err);

/* --threads: 1 to EVS_MAX_THREADS. */
#define EVS_MAX_THREADS 256
evs_status evs_option_threads(const char *value, unsigned *threads, evs_error *err);

#endif
