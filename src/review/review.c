/*
 * review.c -- the settings of a review (see review.h).
 */
#include "review/review.h"

#include <stdlib.h>
#include <string.h>

void evs_review_free(evs_review *r)
{
    if (r == NULL)
        return;
    char **own[] = {&r->file, &r->id, &r->title, &r->question, &r->population,
                    &r->intervention, &r->comparator, &r->literature_search,
                    &r->review_date, &r->last_review, &r->next_review,
                    &r->regulatory_status, &r->regulatory_source, &r->previous,
                    &r->technology, &r->evidence_assembled, &r->search};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        free(*own[i]);
    for (size_t i = 0; i < r->npolicies; i++) {
        evs_policy *p = &r->policies[i];
        char *s[] = {p->id, p->name, p->issuer, p->codes, p->statement, p->effective,
                     p->last_review, p->next_review_note, p->literature_search};
        for (size_t j = 0; j < sizeof s / sizeof s[0]; j++)
            free(s[j]);
    }
    for (size_t i = 0; i < r->noutcomes; i++) {
        evs_outcome_spec *o = &r->outcomes[i];
        free(o->id);
        free(o->label);
        free(o->data);
        free(o->unit);
        free(o->mcid_source);
        for (int d = 0; d < EVS_GRADE_DOMAINS; d++)
            free(o->grade[d].reason);
    }
    for (int i = 0; i < EVS_CRITERIA; i++)
        free(r->criteria.override_reason[i]);
    for (size_t i = 0; i < r->nwindows; i++) {
        free(r->windows[i].id);
        free(r->windows[i].label);
    }
    for (size_t i = 0; i < r->nreasons; i++) {
        free(r->reasons[i].id);
        free(r->reasons[i].label);
    }
    free(r->policies);
    free(r->outcomes);
    free(r->windows);
    free(r->reasons);
    free(r);
}

long evs_review_find_window(const evs_review *r, const char *id)
{
    for (size_t i = 0; i < r->nwindows; i++)
        if (strcmp(r->windows[i].id, id) == 0)
            return (long)i;
    return -1;
}

long evs_review_find_outcome(const evs_review *r, const char *id)
{
    for (size_t i = 0; i < r->noutcomes; i++)
        if (strcmp(r->outcomes[i].id, id) == 0)
            return (long)i;
    return -1;
}

long evs_review_find_reason(const evs_review *r, const char *id)
{
    for (size_t i = 0; i < r->nreasons; i++)
        if (strcmp(r->reasons[i].id, id) == 0)
            return (long)i;
    return -1;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = 10 * v + (s[i] - '0');
    }
    return v;
}

bool evs_date_valid(const char *text)
{
    size_t len = strlen(text);
    if ((len != 7 && len != 10) || text[4] != '-')
        return false;
    int y = digits(text, 4), m = digits(text + 5, 2);
    if (y < 1 || m < 1 || m > 12)
        return false;
    if (len == 7)
        return true;
    if (text[7] != '-')
        return false;
    int d = digits(text + 8, 2);
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = mdays[m - 1] + (m == 2 && leap);
    return d >= 1 && d <= max;
}
