/*
 * criteria.c -- the technology-evaluation criteria as data (see criteria.h).
 * One function per criterion; each reads the verdicts before it.
 */
#include "review/criteria.h"

#include <string.h>

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

/* The primary benefit analysis of the highest certainty (then the most
 * participants); comparisons only when `comparison`. */
static const evs_criteria_analysis *best_primary(const evs_criteria_analysis *a, size_t n,
                                                 bool comparison)
{
    const evs_criteria_analysis *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!a[i].primary || a[i].harm || (comparison && !a[i].comparison))
            continue;
        if (best == NULL || a[i].certainty > best->certainty ||
            (a[i].certainty == best->certainty && a[i].n > best->n))
            best = &a[i];
    }
    return best;
}

static void rest_on(evs_criterion *c, const evs_criteria_analysis *a)
{
    if (a == NULL)
        return;
    c->has_basis = true;
    c->basis = *a;
}

static void set(evs_criterion *c, evs_verdict v, evs_criterion_reason why)
{
    c->verdict = v;
    c->reason = why;
}

/* 1: final approval from the appropriate government regulatory bodies. */
static void regulatory(bool approved, evs_criterion *c)
{
    if (approved)
        set(c, EVS_VERDICT_MET, EVS_CRIT_APPROVED);
    else
        set(c, EVS_VERDICT_NOT_MET, EVS_CRIT_NOT_APPROVED);
}

/* 2: the scientific evidence permits conclusions on health outcomes. */
static void conclusions(const evs_criteria_analysis *best, const evs_criteria_settings *cs,
                        evs_criterion *c)
{
    if (best == NULL) {
        set(c, EVS_VERDICT_NOT_MET, EVS_CRIT_NO_PRIMARY);
        return;
    }
    rest_on(c, best);
    if (best->certainty >= cs->min_certainty)
        set(c, EVS_VERDICT_MET, EVS_CRIT_CERTAINTY_REACHED);
    else
        set(c, EVS_VERDICT_NOT_MET, EVS_CRIT_CERTAINTY_BELOW);
}

/* 3: the technology improves the net health outcome. */
static void net_health(const evs_criteria_analysis *a, size_t n,
                       const evs_criteria_analysis *best, const evs_criterion *c2,
                       evs_criterion *c)
{
    rest_on(c, best);
    if (c2->verdict != EVS_VERDICT_MET) {
        set(c, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NEEDS_CONCLUSIONS);
        return;
    }
    bool shown = best->ci_lb > 0 && best->estimate >= best->mcid;
    for (size_t i = 0; i < n && c->nharms < EVS_CRITERIA_MAX_HARMS; i++)
        if (a[i].harm && !a[i].comparison && a[i].estimate > a[i].mcid)
            c->harms[c->nharms++] = a[i];
    if (!shown)
        set(c, EVS_VERDICT_NOT_MET, EVS_CRIT_BENEFIT_NOT_SHOWN);
    else if (c->nharms > 0)
        set(c, EVS_VERDICT_UNDETERMINED, EVS_CRIT_HARMS_EXCEED);
    else
        set(c, EVS_VERDICT_MET, EVS_CRIT_BENEFIT);
}

/* 4: as beneficial as any established alternatives. */
static void alternatives(const evs_criteria_analysis *cmp, const evs_criteria_settings *cs,
                         const evs_criterion *c2, evs_criterion *c)
{
    rest_on(c, cmp);
    if (cmp == NULL) {
        set(c, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NO_COMPARISON);
        return;
    }
    if (c2->verdict != EVS_VERDICT_MET) {
        set(c, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NEEDS_CONCLUSIONS);
        return;
    }
    if (cmp->certainty < cs->min_certainty) {
        set(c, EVS_VERDICT_UNDETERMINED, EVS_CRIT_COMPARISON_UNCERTAIN);
        return;
    }
    if (cmp->ci_lb > -cmp->mcid)
        set(c, EVS_VERDICT_MET, EVS_CRIT_AS_BENEFICIAL);
    else if (cmp->ci_ub < 0)
        set(c, EVS_VERDICT_NOT_MET, EVS_CRIT_WORSE);
    else
        set(c, EVS_VERDICT_UNDETERMINED, EVS_CRIT_DISADVANTAGE_POSSIBLE);
}

/* 5: the improvement is attainable outside the investigational settings. */
static void outside_trials(const evs_criteria_analysis *best, const evs_criteria_settings *cs,
                           const evs_criterion *c3, evs_criterion *c)
{
    if (c3->verdict != EVS_VERDICT_MET) {
        set(c, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NEEDS_BENEFIT);
        return;
    }
    rest_on(c, best);
    bool wide = (double)best->k >= cs->min_studies;
    bool pi_ok = best->pi_lb > 0;
    if (wide && pi_ok)
        set(c, EVS_VERDICT_MET, EVS_CRIT_ATTAINABLE);
    else
        set(c, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NOT_SHOWN_WIDELY);
}

void evs_criteria_decide(const evs_criteria_analysis *a, size_t n, bool approved,
                         const evs_criteria_settings *cs, evs_criteria_result *out)
{
    memset(out, 0, sizeof *out);
    evs_criterion *c = out->criterion;
    const evs_criteria_analysis *best = best_primary(a, n, false);
    const evs_criteria_analysis *cmp = best_primary(a, n, true);
    regulatory(approved, &c[0]);
    conclusions(best, cs, &c[1]);
    net_health(a, n, best, &c[1], &c[2]);
    alternatives(cmp, cs, &c[1], &c[3]);
    outside_trials(best, cs, &c[2], &c[4]);

    for (int i = 0; i < EVS_CRITERIA; i++) {
        c[i].rule_verdict = c[i].verdict;
        if (cs->has_override[i]) {
            c[i].overridden = true;
            c[i].verdict = cs->override[i];
            c[i].override_reason = cs->override_reason[i] ? cs->override_reason[i] : "";
        }
        if (c[i].verdict != EVS_VERDICT_MET)
            out->investigational = true;
    }
}
