/*
 * progress.c -- the progress line of long diagnostics (see progress.h).
 */
#include "cli/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* Seconds before a diagnostic's line first appears, and between redraws. */
#define PROGRESS_DELAY 1.0
#define PROGRESS_EVERY 0.5

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void evs_cli_progress_init(evs_cli_progress *p, const char *command)
{
    *p = (evs_cli_progress){.command = command, .tty = isatty(STDERR_FILENO) == 1};
}

void evs_cli_progress_show(const char *what, size_t done, size_t total, void *ctx)
{
    evs_cli_progress *p = ctx;
    if (!p->tty)
        return;
    double t = now();
    if (done == 0) {
        p->start = t;
        p->shown = false;
        return;
    }
    if (done == total) {
        if (p->shown)
            fprintf(stderr, "\revsynth %s: %s done (%zu studies)            \n", p->command,
                    what, total);
        p->shown = false;
        return;
    }
    if (t - p->start < PROGRESS_DELAY || (p->shown && t - p->last < PROGRESS_EVERY))
        return;
    double left = (t - p->start) * (double)(total - done) / (double)done;
    char eta[32];
    if (left < 120)
        snprintf(eta, sizeof eta, "%.0f s", left);
    else if (left < 7200)
        snprintf(eta, sizeof eta, "%.0f min", left / 60);
    else
        snprintf(eta, sizeof eta, "%.1f h", left / 3600);
    fprintf(stderr, "\revsynth %s: %s %3.0f%% (%zu of %zu studies, about %s left)  ",
            p->command, what, (double)(100 * done / total), done, total, eta);
    p->shown = true;
    p->last = t;
}
