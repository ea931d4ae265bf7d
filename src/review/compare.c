/*
 * compare.c -- the like-for-like match of a published review's result
 * (compare.h).
 */
#include "review/compare.h"

#include <math.h>
#include <string.h>

static bool is_benchmark(const evs_review *rv, const evs_study *st)
{
    return evs_review_class(rv, EVS_VOCAB_DESIGN, st->design)->role == EVS_DESIGN_BENCHMARK;
}

/* "<data>_change" */
static bool is_change_of(const char *outcome, const char *data)
{
    size_t n = strlen(data);
    return strncmp(outcome, data, n) == 0 && strcmp(outcome + n, "_change") == 0;
}

static long baseline_of(const evs_evidence *ev, size_t study, const char *data)
{
    for (size_t i = 0; i < ev->nobs; i++) {
        const evs_obs *o = &ev->obs[i];
        if (o->study == study && o->time == EVS_TIME_BASELINE && strcmp(o->outcome, data) == 0 &&
            !isnan(o->v[EVS_OBS_MEAN]))
            return (long)i;
    }
    return -1;
}

bool evs_compare_match_obs(const evs_review *rv, const evs_evidence *ev, size_t obs,
                           evs_compare_match *m)
{
    const evs_obs *o = &ev->obs[obs];
    const evs_study *st = &ev->studies[o->study];
    if (!is_benchmark(rv, st) || o->time == EVS_TIME_BASELINE)
        return false;
    memset(m, 0, sizeof *m);
    evs_dataset_select_init(&m->sel);
    m->baseline = -1;
    bool found = false;
    for (size_t k = 0; k < rv->noutcomes && !found; k++) {
        const evs_outcome_spec *spec = &rv->outcomes[k];
        if (spec->type == EVS_OUTCOME_DIFFERENCE)
            continue;
        if (strcmp(spec->data, o->outcome) == 0) {
            found = true;
        } else if (spec->type == EVS_OUTCOME_CHANGE && is_change_of(o->outcome, spec->data)) {
            found = true;
            m->change_reported = true;
        }
        if (found)
            m->outcome = k;
    }
    if (!found)
        return false;
    const evs_outcome_spec *spec = &rv->outcomes[m->outcome];
    if (spec->type == EVS_OUTCOME_CHANGE) {
        if (isnan(o->v[EVS_OBS_MEAN]))
            return false;
        if (!m->change_reported) {
            m->baseline = baseline_of(ev, o->study, spec->data);
            if (m->baseline < 0)
                return false;
        }
        if (o->time == EVS_TIME_WEEKS) {
            m->window = -1;
            for (size_t w = 0; w < rv->nwindows && m->window < 0; w++)
                if (evs_dataset_in_window(rv, (long)w, o) && spec->nwindows > 0) {
                    for (size_t j = 0; j < spec->nwindows; j++)
                        if (spec->windows[j] == w)
                            m->window = (long)w;
                }
            if (m->window < 0)
                return false;
            m->sel.near_weeks = o->weeks;
        } else {
            m->window = EVS_WINDOW_ALL;
            m->sel.any_time = true;
        }
    } else {
        if (isnan(o->v[EVS_OBS_EVENTS]) && isnan(o->v[EVS_OBS_PERCENT]))
            return false;
        m->window = EVS_WINDOW_ALL;
    }
    const evs_class *pop = evs_review_class(rv, EVS_VOCAB_POPULATION, st->population);
    if (!pop->covers_all && st->population < EVS_MAX_CLASSES) {
        m->sel.filter_population = true;
        m->sel.populations[st->population] = true;
    }
    return true;
}
