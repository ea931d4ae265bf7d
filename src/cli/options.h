/*
 * options.h -- one table per command drives option parsing and --help.
 *
 * Accepted forms: --name VALUE, --name=VALUE, -x VALUE, -xVALUE, and "--"
 * to end options.  An unknown long option is reported with the nearest
 * one ("did you mean '--method'?").  Everything else that does not start with '-' is an operand.
 */
#ifndef EVS_OPTIONS_H
#define EVS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "evsynth/error.h"
#include "evsynth/fit.h"
#include "evsynth/measure.h"
#include "evsynth/meta_models.h"

typedef struct evs_option {
    int id;            /* passed to the handler */
    const char *name;  /* long name without "--" */
    char short_name;   /* 0 if none */
    const char *value; /* metavariable, e.g. "M"; NULL for a flag */
    const char *help;  /* one line; may mention the default */
} evs_option;

/*
 * Called once per option in command-line order; value is NULL for flags.
 * Return EVS_OK, or EVS_EINVAL after filling err.
 */
typedef evs_status (*evs_option_fn)(int id, const char *value, void *ctx, evs_error *err);

/*
 * Parse argv[0..argc) (argv[0] is the first argument, not the program).
 * Operands are moved to the front of argv in order and their count stored
 * in *noperands.  Returns EVS_OK or EVS_EINVAL with err filled.
 */
evs_status evs_options_parse(int argc, char **argv, const evs_option *table, size_t n,
                             evs_option_fn fn, void *ctx, int *noperands, evs_error *err);

/*
 * The name of names[0..n) nearest to word, for "did you mean" hints: one
 * that equals it but for case, else the one within two edits (Levenshtein)
 * when exactly one is that near; NULL otherwise.
 */
const char *evs_nearest_name(const char *word, const char *const *names, size_t n);

/* --version: not in the tables, since main() answers it for every command. */
extern const evs_option evs_version_option;

/* Print the option list, aligned, one option per line, and --version last. */
void evs_options_help(FILE *out, const evs_option *table, size_t n);

/*
 * The model options the analysis commands share, with the same messages:
 * --measure, --method, --test and --level (a percentage, or a fraction as
 * metafor reads it).  Each returns EVS_OK or EVS_EINVAL with err filled.
 */
evs_status evs_option_measure(const char *value, evs_measure *m, evs_error *err);
evs_status evs_option_method(const char *value, evs_method *m, evs_error *err);
evs_status evs_option_test(const char *value, evs_test *t, evs_error *err);
evs_status evs_option_level(const char *value, double *level, evs_error *err);

/*
 * The options of the models beside rma() that meta and batch share, with
 * the same messages (the engine fits them through evs_meta_fit_models()):
 * --method also takes GLMM and MH (into mo->model; a tau^2 estimator or FE
 * into *method); --nagq; --bayes and the options of its priors, each of
 * which also turns --bayes on.  evs_options_models_check() refuses a model
 * that cannot pool the measure.
 */
typedef enum evs_model_option {
    EVS_MODEL_OPT_NAGQ = 0x1000, /* --nagq N (a command's own option ids stay below) */
    EVS_MODEL_OPT_BAYES,         /* --bayes (no value) */
    EVS_MODEL_OPT_TAU_PRIOR,     /* --tau-prior P */
    EVS_MODEL_OPT_TAU_SCALE,     /* --tau-scale S */
    EVS_MODEL_OPT_MU_PRIOR_SD,   /* --mu-prior-sd S */
    EVS_MODEL_OPT_ABOVE,         /* --above C */
    EVS_MODEL_OPT_INTERVAL       /* --interval central|shortest */
} evs_model_option;

/*
 * Their rows, for a command's option table at the place they should take
 * in --help and the man page (a macro, since a table is one static array).
 * Their ids are the evs_model_option values, so that a command's handler
 * passes them on with one test: evs_option_is_model(id).
 */
#define EVS_MODEL_OPTION_ROWS                                                             \
    {EVS_MODEL_OPT_NAGQ, "nagq", 0, "N",                                                  \
     "GLMM: Gauss-Hermite points per study (default 7, as metafor)"},                     \
    {EVS_MODEL_OPT_BAYES, "bayes", 0, NULL,                                               \
     "also the Bayesian random-effects model (exact integration over tau)"},              \
    {EVS_MODEL_OPT_TAU_PRIOR, "tau-prior", 0, "P",                                        \
     "bayes: half-normal (default) or half-Cauchy"},                                      \
    {EVS_MODEL_OPT_TAU_SCALE, "tau-scale", 0, "S",                                        \
     "bayes: scale of the prior on tau (default 0.5)"},                                   \
    {EVS_MODEL_OPT_MU_PRIOR_SD, "mu-prior-sd", 0, "S",                                    \
     "bayes: a N(0, S^2) prior on mu instead of the flat one"},                           \
    {EVS_MODEL_OPT_ABOVE, "above", 0, "C",                                                \
     "bayes: P(mu > C) and P(theta_new > C), C on the analysis scale"},                   \
    {EVS_MODEL_OPT_INTERVAL, "interval", 0, "I",                                          \
     "bayes: central (equal-tailed, default) or shortest credible intervals"}

/* True for the id of one of EVS_MODEL_OPTION_ROWS. */
bool evs_option_is_model(int id);

evs_status evs_option_model_method(const char *value, evs_method *method,
                                   evs_meta_models_options *mo, evs_error *err);
/* Option `which` (an id of EVS_MODEL_OPTION_ROWS) into mo. */
evs_status evs_option_model(evs_model_option which, const char *value,
                            evs_meta_models_options *mo, evs_error *err);
evs_status evs_options_models_check(evs_measure measure, const evs_meta_models_options *mo,
                                    evs_error *err);

/* --threads: 1 to EVS_MAX_THREADS. */
#define EVS_MAX_THREADS 256
evs_status evs_option_threads(const char *value, unsigned *threads, evs_error *err);

#endif
