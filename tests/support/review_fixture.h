/*
 * review_fixture.h -- a test review of tests/fixtures/reviews loaded, and
 * synthesised, for the report layer's unit tests.
 */
#ifndef EVS_REVIEW_FIXTURE_H
#define EVS_REVIEW_FIXTURE_H

#include "io/review_io.h"
#include "review/synthesis.h"

typedef struct evs_review_fixture {
    evs_review *rv;
    evs_evidence *ev;
    evs_synthesis *s; /* NULL until evs_review_fixture_synthesize */
} evs_review_fixture;

/* Loads fixtures/reviews/NAME; the test fails unless it loads without problems. */
void evs_review_fixture_load(const char *name, evs_review_fixture *l);

/* Synthesises the loaded review; the test fails if that fails. */
void evs_review_fixture_synthesize(evs_review_fixture *l);

void evs_review_fixture_free(evs_review_fixture *l);

#endif
