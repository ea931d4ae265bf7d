/*
 * progress.h -- a progress line on standard error for the diagnostics that
 * refit the model once per study (issue 15.17), fed by the engine's
 * evs_progress_fn.  Shown only on a terminal, and only for a diagnostic
 * that has run for a second: short runs and redirected output see nothing.
 */
#ifndef EVS_CLI_PROGRESS_H
#define EVS_CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct evs_cli_progress {
    const char *command; /* "meta": the line reads "evsynth meta: leave-one-out 42% ..." */
    bool tty;            /* standard error is a terminal */
    bool shown;          /* the current diagnostic's line is on the screen */
    double start, last;  /* when the current diagnostic started, last drawn (seconds) */
} evs_cli_progress;

void evs_cli_progress_init(evs_cli_progress *p, const char *command);

/* An evs_progress_fn; ctx is an evs_cli_progress. */
void evs_cli_progress_show(const char *what, size_t done, size_t total, void *ctx);

#endif
