/*
 * counting.c -- studies, reports and cohorts (see counting.h).
 */
#include "review/counting.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

size_t evs_count_studies(const evs_evidence *ev, const evs_dataset *ds, const size_t *rows,
                         size_t nrows)
{
    size_t count = 0;
    for (size_t i = 0; i < nrows; i++) {
        size_t root = evs_evidence_root(ev, ds->rows[rows ? rows[i] : i].study);
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = evs_evidence_root(ev, ds->rows[rows ? rows[j] : j].study) == root;
        count += !seen;
    }
    return count;
}

/* The cohort a whole study belongs to: its overlap group's first member, or itself. */
static size_t cohort(const evs_evidence *ev, size_t s)
{
    const char *g = ev->studies[s].overlap_group;
    if (g[0] == '\0')
        return s;
    for (size_t j = 0; j < s; j++)
        if (ev->studies[j].parent < 0 && strcmp(ev->studies[j].overlap_group, g) == 0)
            return j;
    return s;
}

evs_status evs_count_contributions(const evs_review *rv, const evs_evidence *ev,
                                   evs_contributions *c, evs_error *err)
{
    memset(c, 0, sizeof *c);
    size_t n = ev->nstudies ? ev->nstudies : 1;
    bool *in = calloc(n, sizeof *in);
    double *largest = malloc(n * sizeof *largest);
    if (in == NULL || largest == NULL)
        goto oom;
    for (size_t o = 0; o < rv->noutcomes; o++) {
        long windows[EVS_MAX_WINDOWS + 1];
        size_t nw = evs_dataset_windows(rv, o, windows, EVS_MAX_WINDOWS + 1);
        for (size_t w = 0; w < nw; w++) {
            evs_dataset *ds = evs_dataset_build(rv, ev, o, windows[w], NAN, err);
            if (ds == NULL)
                goto fail;
            for (size_t i = 0; i < ds->nrows; i++)
                in[evs_evidence_root(ev, ds->rows[i].study)] = true;
            evs_dataset_free(ds);
        }
    }
    for (size_t s = 0; s < ev->nstudies; s++)
        largest[s] = -1;
    for (size_t s = 0; s < ev->nstudies; s++) {
        const evs_study *st = &ev->studies[s];
        if (st->parent >= 0 || !st->included)
            continue;
        if (!in[s]) {
            c->nidle++;
            continue;
        }
        c->reports++;
        c->by_design[st->design]++;
        if (st->year > 0 && (c->year_min == 0 || st->year < c->year_min))
            c->year_min = st->year;
        if (st->year > c->year_max)
            c->year_max = st->year;
        if (isnan(st->n)) {
            c->reports_unknown_n++;
            continue;
        }
        size_t k = cohort(ev, s);
        if (st->n > largest[k])
            largest[k] = st->n;
    }
    /* Cohorts: each contributing report's cohort once. */
    for (size_t s = 0; s < ev->nstudies; s++) {
        const evs_study *st = &ev->studies[s];
        if (st->parent >= 0 || !st->included || !in[s])
            continue;
        size_t k = cohort(ev, s);
        bool first = true;
        for (size_t j = 0; j < s && first; j++)
            first = !(ev->studies[j].parent < 0 && ev->studies[j].included && in[j] &&
                      cohort(ev, j) == k);
        if (!first)
            continue;
        c->studies++;
        if (largest[k] >= 0)
            c->participants += largest[k];
    }
    if (c->nidle > 0) {
        c->idle = malloc(c->nidle * sizeof *c->idle);
        if (c->idle == NULL)
            goto oom;
        size_t m = 0;
        for (size_t s = 0; s < ev->nstudies; s++)
            if (ev->studies[s].parent < 0 && ev->studies[s].included && !in[s])
                c->idle[m++] = s;
    }
    free(in);
    free(largest);
    return EVS_OK;
oom:
    evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
fail:
    free(in);
    free(largest);
    evs_contributions_free(c);
    return EVS_ENOMEM;
}

void evs_contributions_free(evs_contributions *c)
{
    if (c == NULL)
        return;
    free(c->idle);
    c->idle = NULL;
    c->nidle = 0;
}
