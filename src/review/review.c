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
                    &r->technology};
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
    free(r->policies);
    free(r->outcomes);
    free(r->windows);
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

static const char *const domain_names[EVS_GRADE_DOMAINS] = {
    "risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias"};
static const char *const domain_labels[EVS_GRADE_DOMAINS] = {
    "Risk of bias", "Inconsistency", "Indirectness", "Imprecision", "Publication bias"};

const char *evs_grade_domain_name(evs_grade_domain d)
{
    return d < EVS_GRADE_DOMAINS ? domain_names[d] : "?";
}

const char *evs_grade_domain_label(evs_grade_domain d)
{
    return d < EVS_GRADE_DOMAINS ? domain_labels[d] : "?";
}

static const char *const certainty_names[] = {"very low", "low", "moderate", "high"};

const char *evs_certainty_name(evs_certainty c)
{
    return c >= EVS_CERTAINTY_VERY_LOW && c <= EVS_CERTAINTY_HIGH ? certainty_names[c - 1] : "?";
}

bool evs_certainty_from_name(const char *name, evs_certainty *c)
{
    static const char *const keys[] = {"very_low", "low", "moderate", "high"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, keys[i]) == 0 || strcmp(name, certainty_names[i]) == 0) {
            *c = (evs_certainty)(i + 1);
            return true;
        }
    return false;
}

static const char *const verdict_names[] = {"cannot be determined", "met", "not met"};

const char *evs_verdict_name(evs_verdict v)
{
    return (unsigned)v < 3 ? verdict_names[v] : "?";
}

bool evs_verdict_from_name(const char *name, evs_verdict *v)
{
    static const char *const keys[] = {"undetermined", "met", "not_met"};
    for (int i = 0; i < 3; i++)
        if (strcmp(name, keys[i]) == 0) {
            *v = (evs_verdict)i;
            return true;
        }
    return false;
}

void evs_grade_settings_default(evs_grade_settings *g)
{
    g->start_share = 50;
    g->rob_uncontrolled_share = 50;
    g->rob_retrospective_share = 50;
    g->i2_serious = 50;
    g->i2_very_serious = 75;
    g->direct_share = 50;
    g->ois = 400;
    g->egger_min_k = 10;
    g->egger_alpha = 0.10;
}
