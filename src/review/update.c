/*
 * update.c -- the signals that a review needs updating (see update.h).
 */
#include "review/update.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool push(evs_update *u, evs_signal s)
{
    if (u->n == u->cap) {
        size_t cap = u->cap ? 2 * u->cap : 16;
        evs_signal *p = realloc(u->signals, cap * sizeof *p);
        if (p == NULL)
            return false;
        u->signals = p;
        u->cap = cap;
    }
    u->signals[u->n++] = s;
    return true;
}

static evs_signal signal_of(evs_signal_kind kind)
{
    return (evs_signal){.kind = kind, .study = -1, .analysis = -1, .previous = -1};
}

static long find_study(const evs_update_side *s, const char *id)
{
    for (size_t i = 0; i < s->nstudies; i++)
        if (strcmp(s->studies[i].id, id) == 0)
            return (long)i;
    return -1;
}

static long find_analysis(const evs_update_side *s, const char *id)
{
    for (size_t i = 0; i < s->nanalyses; i++)
        if (strcmp(s->analyses[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* x inside the closed interval [lb, ub]. */
static bool covers(const evs_update_analysis *a, double x)
{
    return a->ci_lb <= x && x <= a->ci_ub;
}

static bool same(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) <= 1e-9 * fmax(1, fabs(a));
}

const char *evs_update_status_name(evs_update_status s)
{
    switch (s) {
    case EVS_UPDATE_NO_NEW_EVIDENCE: return "no new evidence";
    case EVS_UPDATE_UNCHANGED: return "new evidence, conclusion unchanged";
    case EVS_UPDATE_MAY_CHANGE: return "new evidence that may change the conclusion";
    case EVS_UPDATE_CHANGED: return "conclusion changed";
    }
    return "";
}

void evs_update_free(evs_update *u)
{
    free(u->signals);
    memset(u, 0, sizeof *u);
}

/* The signals of one analysis present in both results and pooled in both. */
static bool analysis_signals(evs_update *u, const evs_update_analysis *o,
                             const evs_update_analysis *a, long ia, long io)
{
    evs_signal s = signal_of(EVS_SIGNAL_NULL);
    s.analysis = ia;
    s.previous = io;
    bool ok = true;
    if (!a->percent && covers(o, 0) != covers(a, 0)) {
        s.kind = EVS_SIGNAL_NULL;
        s.now = covers(a, 0);
        ok &= push(u, s);
    }
    if (!isnan(a->mcid) && covers(o, a->mcid) != covers(a, a->mcid)) {
        s.kind = EVS_SIGNAL_MCID;
        s.now = covers(a, a->mcid);
        ok &= push(u, s);
    }
    /* Shojania et al. 2007: a relative change of at least 50% in the pooled effect. */
    if (o->estimate != 0 && isfinite(o->estimate) && isfinite(a->estimate)) {
        double rel = (a->estimate - o->estimate) / fabs(o->estimate);
        if (fabs(rel) >= EVS_UPDATE_RELATIVE_CHANGE) {
            s.kind = EVS_SIGNAL_RELATIVE;
            s.value = rel;
            ok &= push(u, s);
        }
    }
    if (strcmp(o->certainty, a->certainty) != 0) {
        s.kind = EVS_SIGNAL_CERTAINTY;
        ok &= push(u, s);
    }
    return ok;
}

evs_status evs_update_compare(const evs_update_side *old, const evs_update_side *new,
                              evs_update *out)
{
    memset(out, 0, sizeof *out);
    bool ok = true;

    /* New studies: their design, and their size against all previous ones. */
    double previous_n = 0;
    for (size_t i = 0; i < old->nstudies; i++)
        if (!isnan(old->studies[i].n))
            previous_n += old->studies[i].n;
    for (size_t i = 0; i < new->nstudies; i++) {
        const evs_update_study *st = &new->studies[i];
        if (find_study(old, st->id) >= 0)
            continue;
        out->added++;
        evs_signal s = signal_of(EVS_SIGNAL_NEW_RANDOMISED);
        s.study = (long)i;
        if (strcmp(st->design, "randomised") == 0) {
            ok &= push(out, s);
        } else if (strcmp(st->design, "prospective_comparative") == 0) {
            s.kind = EVS_SIGNAL_NEW_CONTROLLED;
            ok &= push(out, s);
        }
        if (!isnan(st->n) && st->n > previous_n) {
            s.kind = EVS_SIGNAL_LARGER_STUDY;
            s.value = previous_n;
            ok &= push(out, s);
        }
    }
    for (size_t i = 0; i < old->nstudies; i++)
        out->removed += find_study(new, old->studies[i].id) < 0;

    /* Analyses. */
    for (size_t i = 0; i < new->nanalyses; i++) {
        const evs_update_analysis *a = &new->analyses[i];
        long io = find_analysis(old, a->id);
        if (io < 0) {
            out->moved++;
            continue;
        }
        const evs_update_analysis *o = &old->analyses[io];
        if (!same(o->estimate, a->estimate) || !same(o->ci_lb, a->ci_lb) ||
            !same(o->ci_ub, a->ci_ub) || !same(o->k, a->k))
            out->moved++;
        if (o->pooled && a->pooled)
            ok &= analysis_signals(out, o, a, (long)i, io);
        /* Criterion 3's rule for a harm: its pooled rate above the threshold. */
        bool above_now = a->harm && a->pooled && a->estimate > a->mcid;
        bool above_then = o->harm && o->pooled && o->estimate > o->mcid;
        if (a->harm && above_now != above_then) {
            evs_signal s = signal_of(EVS_SIGNAL_HARM);
            s.analysis = (long)i;
            s.previous = io;
            s.now = above_now;
            ok &= push(out, s);
        }
    }
    for (size_t i = 0; i < old->nanalyses; i++)
        out->moved += find_analysis(new, old->analyses[i].id) < 0;

    /* Regulatory status, criteria and the conclusion. */
    if (old->approved != new->approved ||
        strcmp(old->regulatory_status ? old->regulatory_status : "",
               new->regulatory_status ? new->regulatory_status : "") != 0) {
        evs_signal s = signal_of(EVS_SIGNAL_REGULATORY);
        s.now = new->approved;
        ok &= push(out, s);
    }
    for (size_t i = 0; i < new->ncriteria && i < old->ncriteria; i++)
        if (strcmp(old->criteria[i], new->criteria[i]) != 0) {
            evs_signal s = signal_of(EVS_SIGNAL_CRITERION);
            s.criterion = (int)i;
            ok &= push(out, s);
        }
    bool changed = old->investigational != new->investigational;
    if (changed)
        ok &= push(out, signal_of(EVS_SIGNAL_CONCLUSION));
    if (!ok) {
        evs_update_free(out);
        return EVS_ENOMEM;
    }

    /* Signals in the order of their kinds (a stable sort of a short list). */
    for (size_t i = 1; i < out->n; i++)
        for (size_t j = i; j > 0 && out->signals[j - 1].kind > out->signals[j].kind; j--) {
            evs_signal t = out->signals[j];
            out->signals[j] = out->signals[j - 1];
            out->signals[j - 1] = t;
        }
    if (changed)
        out->status = EVS_UPDATE_CHANGED;
    else if (out->n > 0)
        out->status = EVS_UPDATE_MAY_CHANGE;
    else if (out->added + out->removed + out->moved > 0)
        out->status = EVS_UPDATE_UNCHANGED;
    else
        out->status = EVS_UPDATE_NO_NEW_EVIDENCE;
    return EVS_OK;
}
