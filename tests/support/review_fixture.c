/*
 * review_fixture.c -- see review_fixture.h.
 */
#include "review_fixture.h"

#include <stdio.h>

#include "evs_test.h"

void evs_review_fixture_load(const char *name, evs_review_fixture *l)
{
    char rel[256];
    snprintf(rel, sizeof rel, "reviews/%s", name);
    evs_problems p;
    evs_problems_init(&p);
    assert_int_equal(evs_review_load(evs_fixture_path(rel), &l->rv, &l->ev, &p), EVS_OK);
    evs_problems_free(&p);
    l->s = NULL;
}

void evs_review_fixture_synthesize(evs_review_fixture *l)
{
    evs_error err;
    evs_error_clear(&err);
    l->s = evs_synthesize(l->rv, l->ev, &err);
    assert_non_null(l->s);
}

void evs_review_fixture_free(evs_review_fixture *l)
{
    evs_synthesis_free(l->s);
    evs_review_free(l->rv);
    evs_evidence_free(l->ev);
}
