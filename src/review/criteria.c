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

void evs_criteria_settings_default(evs_criteria_settings *cs)
{
    memset(cs, 0, sizeof *cs);
    cs->min_certainty = EVS_CERTAINTY_MODERATE;
    cs->min_studies = 3;
    cs->min_studies_conclusions = 2;
    cs->established_share = 50;
}

/* Which primary benefit analyses a criterion may rest on. */
typedef enum which {
    ANY,         /* criteria 2, 3 and 5 */
    COMPARISONS, /* any comparison */
    ESTABLISHED  /* comparisons with an established alternative (criterion 4) */
} which;

/*
 * The primary benefit analysis of the highest certainty among those `w`
 * admits; among equals, one at a stated time before the "time not stated"
 * window, then the one with the most participants.  GRADE rates an
 * outcome at its time frame (GRADE Handbook 5.2.1; Guyatt et al. 2011,
 * GRADE guidelines 2: outcomes are framed with their time of follow-up),
 * and a pooled change at an unknown time cannot be read against the MCID
 * of any time point, so it decides a criterion only when it is more
 * certain than every analysis at a stated time.
 */
static const evs_criteria_analysis *best_primary(const evs_criteria_analysis *a, size_t n,
                                                 which w, double established_share, double min_k)
{
    const evs_criteria_analysis *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!a[i].primary || a[i].harm || (w != ANY && !a[i].comparison) ||
            (w == ESTABLISHED && !(a[i].share_established >= established_share)) ||
            (double)a[i].k < min_k)
            continue;
        if (best == NULL || a[i].certainty > best->certainty)
            best = &a[i];
        else if (a[i].certainty == best->certainty &&
                 (a[i].time_unstated != best->time_unstated ? !a[i].time_unstated
                                                            : a[i].n > best->n))
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

/* 2: the scientific evidence permits conclusions on health outcomes.  few:
 * the best analysis of fewer than min_studies_conclusions studies, when
 * best is NULL. */
static void conclusions(const evs_criteria_analysis *best, const evs_criteria_analysis *few,
                        const evs_criteria_settings *cs, evs_criterion *c)
{
    if (best == NULL) {
        rest_on(c, few);
        set(c, EVS_VERDICT_NOT_MET, few != NULL ? EVS_CRIT_TOO_FEW_STUDIES : EVS_CRIT_NO_PRIMARY);
        return;
    }
    rest_on(c, best);
    if (best->certainty >= cs->min_certainty)
        set(c, EVS_VERDICT_MET, EVS_CRIT_CERTAINTY_REACHED);
    else
        set(c, EVS_VERDICT_NOT_MET, EVS_CRIT_CERTAINTY_BELOW);
}

/* An important harm: a rate at or above its threshold, or a between-arm
 * increase of at least the MCID (the decision scale's "important
 * disadvantage"). */
static bool important_harm(const evs_criteria_analysis *a)
{
    return a->harm &&
           (a->comparison ? a->effect == EVS_EFFECT_HARM : a->effect == EVS_EFFECT_ABOVE);
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
    for (size_t i = 0; i < n && c->nharms < EVS_CRITERIA_MAX_HARMS; i++)
        if (important_harm(&a[i]))
            c->harms[c->nharms++] = a[i];
    if (best->effect == EVS_EFFECT_HARM)
        set(c, EVS_VERDICT_NOT_MET, EVS_CRIT_IMPORTANT_HARM);
    else if (best->effect == EVS_EFFECT_BENEFIT && best->ci_lb > 0)
        set(c, c->nharms > 0 ? EVS_VERDICT_UNDETERMINED : EVS_VERDICT_MET,
            c->nharms > 0 ? EVS_CRIT_HARMS_EXCEED : EVS_CRIT_BENEFIT);
    else if (best->ci_ub < best->mcid)
        set(c, EVS_VERDICT_NOT_MET, EVS_CRIT_NO_IMPORTANT_BENEFIT);
    else
        set(c, EVS_VERDICT_NOT_MET, EVS_CRIT_BENEFIT_NOT_SHOWN);
}

/* 4: as beneficial as any established alternatives. */
static void alternatives(const evs_criteria_analysis *a, size_t n,
                         const evs_criteria_settings *cs, const evs_criterion *c2,
                         const evs_criterion *c3, evs_criterion *c)
{
    if (cs->no_alternative) {
        if (c3->has_basis)
            rest_on(c, &c3->basis);
        set(c, c3->verdict, EVS_CRIT_NO_ALTERNATIVE);
        return;
    }
    const evs_criteria_analysis *cmp =
        best_primary(a, n, ESTABLISHED, cs->established_share, cs->min_studies_conclusions);
    const evs_criteria_analysis *few =
        cmp == NULL ? best_primary(a, n, ESTABLISHED, cs->established_share, 0) : NULL;
    if (few != NULL) { /* a comparison, but of too few studies to rest on */
        rest_on(c, few);
        set(c, EVS_VERDICT_UNDETERMINED, EVS_CRIT_ALTERNATIVE_TOO_FEW);
        return;
    }
    if (cmp == NULL) {
        const evs_criteria_analysis *other =
            best_primary(a, n, COMPARISONS, 0, cs->min_studies_conclusions);
        if (other == NULL)
            other = best_primary(a, n, COMPARISONS, 0, 0);
        if (other != NULL) {
            c->has_other = true;
            c->other = *other;
        }
        set(c, EVS_VERDICT_UNDETERMINED,
            other != NULL ? EVS_CRIT_NO_ESTABLISHED : EVS_CRIT_NO_COMPARISON);
        return;
    }
    rest_on(c, cmp);
    if (cmp->certainty < cs->min_certainty) {
        set(c, EVS_VERDICT_UNDETERMINED, EVS_CRIT_COMPARISON_UNCERTAIN);
        return;
    }
    if (c2->verdict != EVS_VERDICT_MET) {
        set(c, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NEEDS_CONCLUSIONS);
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
    if (!wide || !pi_ok)
        set(c, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NOT_SHOWN_WIDELY);
    else if (best->k_usual == 0)
        set(c, cs->usual_practice_required ? EVS_VERDICT_UNDETERMINED : EVS_VERDICT_MET,
            cs->usual_practice_required ? EVS_CRIT_NEEDS_USUAL_PRACTICE
                                        : EVS_CRIT_ATTAINABLE_TRIALS);
    else if (best->k_usual_benefit < best->k_usual)
        set(c, EVS_VERDICT_UNDETERMINED, EVS_CRIT_USUAL_PRACTICE_MIXED);
    else
        set(c, EVS_VERDICT_MET, EVS_CRIT_ATTAINABLE);
}

void evs_criteria_decide(const evs_criteria_analysis *a, size_t n, bool approved,
                         const evs_criteria_settings *cs, evs_criteria_result *out)
{
    memset(out, 0, sizeof *out);
    evs_criterion *c = out->criterion;
    const evs_criteria_analysis *best = best_primary(a, n, ANY, 0, cs->min_studies_conclusions);
    const evs_criteria_analysis *few = best == NULL ? best_primary(a, n, ANY, 0, 0) : NULL;
    regulatory(approved, &c[0]);
    conclusions(best, few, cs, &c[1]);
    net_health(a, n, best, &c[1], &c[2]);
    alternatives(a, n, cs, &c[1], &c[2], &c[3]);
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
