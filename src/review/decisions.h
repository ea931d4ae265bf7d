/*
 * decisions.h -- the decision log of a review (decisions.csv): what a body
 * (a committee, a medical director) decided, when, effective when, when it
 * is next reviewed, and the SHA-256 of the results.json it was based on, so
 * that a later reviewer sees what was decided on which evidence.
 *
 * Filled by src/io/decisions_io.c; shown in the report's policy history.
 */
#ifndef EVS_DECISIONS_H
#define EVS_DECISIONS_H

#include <stddef.h>

typedef struct evs_decision {
    char *date;           /* YYYY-MM-DD or YYYY-MM */
    char *body;           /* who decided */
    char *decision;       /* what was decided, in words */
    char *effective;      /* "" when not given */
    char *next_review;    /* "" when not given */
    char *results_sha256; /* 64 hexadecimal digits, or "" (decided without evsynth) */
    char *note;
    long line; /* in decisions.csv */
} evs_decision;

typedef struct evs_decision_log {
    size_t n;
    evs_decision *items; /* in file order */
    char *file;
} evs_decision_log;

void evs_decision_log_free(evs_decision_log *log);

#endif
