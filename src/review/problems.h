/*
 * problems.h -- a list of problems found while checking input, so that a
 * checker can report every problem at once instead of stopping at the first.
 */
#ifndef EVS_PROBLEMS_H
#define EVS_PROBLEMS_H

#include <stddef.h>

#include "evsynth/error.h"

typedef struct evs_problems {
    size_t n, cap;
    evs_error *items;
    int oom; /* set when a problem could not be recorded */
} evs_problems;

void evs_problems_init(evs_problems *p);
void evs_problems_free(evs_problems *p);

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
void evs_problems_add(evs_problems *p, evs_status code, const char *file, long line,
                      long column, const char *fmt, ...);

/*
 * A warning: something a reviewer should look at that does not stop the
 * review (a standardised difference above 5, an n that changes without a
 * note).  Recorded with code EVS_OK and the message prefixed "warning: ", so
 * that it prints as FILE:LINE:COLUMN: warning: ... and evs_problems_status
 * ignores it.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void evs_problems_warn(evs_problems *p, const char *file, long line, long column,
                       const char *fmt, ...);

/* The problems that are errors (not warnings). */
size_t evs_problems_errors(const evs_problems *p);

/* Append a copy of an error. */
void evs_problems_add_error(evs_problems *p, const evs_error *err);

/* EVS_OK if empty; otherwise the most serious code (EVS_EIO above EVS_EDATA). */
evs_status evs_problems_status(const evs_problems *p);

/*
 * Sort by file, line and column, keeping the order of equal positions.
 * Without memory for the sort the list is left in the order found.
 */
void evs_problems_sort(evs_problems *p);

#endif
