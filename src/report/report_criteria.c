/*
 * report_criteria.c -- the sentences of the technology-evaluation criteria
 * and of the conclusion, from the verdicts as data (review/criteria.h):
 * each verdict with the numbers it rests on, and what would change it.
 */
#include <stdio.h>
#include <string.h>

#include "report/numfmt.h"
#include "report/report.h"

static const char *const criterion_titles[EVS_CRITERIA] = {
    "Final approval from the appropriate government regulatory bodies",
    "The scientific evidence permits conclusions on the effect on health outcomes",
    "The technology improves the net health outcome",
    "The technology is as beneficial as any established alternatives",
    "The improvement is attainable outside the investigational settings",
};

const char *evs_criterion_title(int i)
{
    return i >= 0 && i < EVS_CRITERIA ? criterion_titles[i] : "?";
}

const char *evs_criterion_reason_name(evs_criterion_reason r)
{
    static const char *const names[] = {
        "approved",           "not_approved",         "no_primary_analysis",
        "certainty_reached",  "certainty_below",      "needs_conclusions",
        "benefit",            "no_important_benefit", "important_disadvantage",
        "benefit_not_shown",  "important_harms",      "no_comparison",
        "no_established_comparison", "no_established_alternative", "comparison_uncertain",
        "as_beneficial",      "worse",                "disadvantage_possible",
        "needs_benefit",      "attainable",           "attainable_trial_settings_only",
        "needs_usual_practice", "usual_practice_mixed", "not_shown_widely",
        "too_few_studies",    "alternative_too_few_studies",
    };
    return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "?";
}

/* Included studies with a control group, counted as studies (not arms), and
 * randomised studies without one (two techniques against each other). */
void evs_text_comparative(const evs_synthesis *s, evs_buf *b)
{
    const evs_evidence_base *base = &s->base;
    size_t rct = base->randomised_controlled, cohorts = base->cohorts;
    if (rct == 0 && cohorts == 0)
        evs_buf_add(b, "no randomised trial and no study with a control group");
    else if (rct == 0)
        evs_buf_add(b, "no randomised trial with a control group");
    else
        evs_buf_printf(b, "%zu randomised trial%s with a control group", rct, rct == 1 ? "" : "s");
    char controls[EVS_NUM_TEXT];
    if (cohorts > 0) {
        evs_buf_printf(b, "; %zu comparative cohort%s", cohorts, cohorts == 1 ? "" : "s");
        if (base->controls > 0)
            evs_buf_printf(b, " with %s controls", evs_num_count(base->controls, controls,
                                                                   sizeof controls));
        if (base->controls_unknown > 0)
            evs_buf_printf(b, " (%zu control arm%s without a count)", base->controls_unknown,
                           base->controls_unknown == 1 ? "" : "s");
    }
    if (base->randomised_other > 0)
        evs_buf_printf(b, "; %zu randomised trial%s without a control group (techniques "
                          "compared with each other)",
                       base->randomised_other, base->randomised_other == 1 ? "" : "s");
    if (base->has_comparisons && base->comparison_max_k == 0 && rct + cohorts > 0)
        evs_buf_add(b, "; none reports the outcome after treatment in both arms");
}

/* "Pain (...) (Up to 1 month): 5.02 (95% CI 3.87 to 6.16)" pieces of the basis. */
static const char *basis_label(const evs_synthesis *s, const evs_criteria_analysis *a)
{
    return s->rv->outcomes[s->analyses[a->index].outcome].label;
}

static const char *basis_window(const evs_synthesis *s, const evs_criteria_analysis *a)
{
    return evs_dataset_window_label(s->rv, s->analyses[a->index].window);
}

static bool percent(const evs_synthesis *s, const evs_criteria_analysis *a)
{
    return s->analyses[a->index].percent;
}

/* "5.02 (95% CI 3.87 to 6.16)", at the review's level, in the number rule. */
static void estimate_ci(const evs_synthesis *s, const evs_criteria_analysis *a, evs_buf *b)
{
    if (s->analyses[a->index].events_comparison) {
        evs_text_effect(s, &s->analyses[a->index], b);
        return;
    }
    char e[EVS_NUM_TEXT], ci[2 * EVS_NUM_TEXT + 8], level[EVS_NUM_TEXT];
    evs_buf_printf(b, "%s (%s%% CI %s)", evs_num_effect(a->estimate, percent(s, a), e, sizeof e),
                   evs_num_setting(s->rv->level, level, sizeof level),
                   evs_num_interval(a->ci_lb, a->ci_ub, percent(s, a), ci, sizeof ci));
}

static void effect(const evs_synthesis *s, const evs_criteria_analysis *a, evs_buf *b)
{
    const evs_analysis *an = &s->analyses[a->index];
    evs_buf_printf(b, "%s (%s): ", basis_label(s, a), basis_window(s, a));
    if (an->one_trial) {
        char n[EVS_NUM_TEXT];
        evs_buf_printf(b, "1 trial (%s, %s participants), not pooled: ",
                       evs_one_trial_label(s, an), evs_num_count(a->n, n, sizeof n));
    }
    estimate_ci(s, a, b);
}

/* The MCID, a setting: "2", "2.5". */
static const char *mcid(const evs_criteria_analysis *a, char *buf, size_t cap)
{
    return evs_num_setting(a->mcid, buf, cap);
}

static void regulatory(const evs_synthesis *s, evs_buf *b)
{
    evs_buf_add(b, s->rv->regulatory_status ? s->rv->regulatory_status : "");
}

static void against(const evs_synthesis *s, const evs_criteria_analysis *a, evs_buf *b);

/*
 * Why a result of fewer than min_studies_conclusions studies decides no
 * criterion (criteria.h), after the sentence that gives it.
 */
static void too_few(const evs_synthesis *s, const evs_criteria_analysis *a, evs_buf *b)
{
    char need[EVS_NUM_TEXT];
    evs_num_setting(s->rv->criteria.min_studies_conclusions, need, sizeof need);
    if (a->k == 1)
        evs_buf_add(b, ", but one study cannot show that its result is consistent");
    else
        evs_buf_printf(b, ", but %zu studies are fewer than the review asks for", a->k);
    evs_buf_printf(b, ": criteria 2 to 4 rest on at least %s studies (min_studies_conclusions; "
                      "TEC criterion 2 weighs \"the quality of the body of studies and the "
                      "consistency of the results\")",
                   need);
}

static void conclusions(const evs_synthesis *s, const evs_criterion *c, evs_buf *b)
{
    const char *minc = evs_certainty_name(s->rv->criteria.min_certainty);
    if (c->reason == EVS_CRIT_TOO_FEW_STUDIES) {
        const evs_criteria_analysis *a = &c->basis;
        effect(s, a, b);
        against(s, a, b);
        evs_buf_printf(b, " at %s certainty", evs_certainty_name(a->certainty));
        too_few(s, a, b);
        evs_buf_add(b, "; ");
    } else if (!c->has_basis) {
        evs_buf_add(b, "no primary benefit outcome could be pooled; ");
    } else {
        const evs_criteria_analysis *a = &c->basis;
        char n[EVS_NUM_TEXT], k[300];
        if (s->analyses[a->index].one_trial)
            snprintf(k, sizeof k, "1 trial, %.250s", evs_one_trial_label(s, &s->analyses[a->index]));
        else
            snprintf(k, sizeof k, "%zu studies", a->k);
        evs_buf_printf(b,
                       "%s certainty of evidence at best (%s, %s; %s, %s participants), "
                       "%s %s needed; ",
                       evs_certainty_name(a->certainty), basis_label(s, a), basis_window(s, a),
                       k, evs_num_count(a->n, n, sizeof n), c->rule_verdict == EVS_VERDICT_MET ? "at least" : "below the",
                       minc);
    }
    evs_text_comparative(s, b);
}

/* " compared with sham procedure" for a comparison; nothing for a single group. */
static void against(const evs_synthesis *s, const evs_criteria_analysis *a, evs_buf *b)
{
    if (!a->comparison)
        return;
    evs_buf labels;
    evs_buf_init(&labels);
    evs_text_comparators(s, &s->analyses[a->index], 0, &labels);
    if (labels.len > 0)
        evs_buf_printf(b, " compared with %s", evs_buf_str(&labels));
    if (labels.failed)
        b->failed = true;
    evs_buf_free(&labels);
}

/* A harm that is important: "Major complications 3.1% (threshold 2%)". */
static void harm_item(const evs_synthesis *s, const evs_criteria_analysis *h, evs_buf *b)
{
    char e[EVS_NUM_TEXT], m[EVS_NUM_TEXT];
    if (h->comparison) {
        evs_buf_printf(b, "%s ", basis_label(s, h));
        estimate_ci(s, h, b);
        evs_buf_printf(b, " (important from %s percentage points)", mcid(h, m, sizeof m));
    } else
        evs_buf_printf(b, "%s %s (threshold %s%%)", basis_label(s, h),
                       evs_num_effect(h->estimate, true, e, sizeof e), mcid(h, m, sizeof m));
}

static void net_health(const evs_synthesis *s, const evs_criterion *c, evs_buf *b)
{
    const evs_criteria_analysis *a = &c->basis;
    char m[EVS_NUM_TEXT];
    const char *cert = evs_certainty_name(a->certainty);
    switch (c->reason) {
    case EVS_CRIT_NEEDS_CONCLUSIONS:
        evs_buf_add(b, "the evidence does not permit conclusions (criterion 2)");
        if (c->has_basis) {
            evs_buf_printf(b, "; the pooled %s (%s) is ", basis_label(s, a), basis_window(s, a));
            estimate_ci(s, a, b);
            evs_buf_printf(b, " at %s certainty", cert);
        }
        break;
    case EVS_CRIT_NO_IMPORTANT_BENEFIT:
        effect(s, a, b);
        evs_buf_printf(b, ": the whole confidence interval lies below the MCID (%s), so at %s "
                          "certainty there is no clinically important benefit",
                       mcid(a, m, sizeof m), cert);
        against(s, a, b);
        break;
    case EVS_CRIT_IMPORTANT_HARM:
        effect(s, a, b);
        evs_buf_printf(b, ": an important disadvantage (at least the MCID, %s, the wrong way) at %s "
                          "certainty",
                       mcid(a, m, sizeof m), cert);
        against(s, a, b);
        break;
    case EVS_CRIT_BENEFIT_NOT_SHOWN:
        effect(s, a, b);
        evs_buf_printf(b, "; a benefit needs a CI above no effect and an estimate of at least the "
                          "MCID (%s)",
                       mcid(a, m, sizeof m));
        break;
    case EVS_CRIT_HARMS_EXCEED:
        effect(s, a, b);
        evs_buf_add(b, ", but harms are important: ");
        for (size_t i = 0; i < c->nharms; i++) {
            if (i > 0)
                evs_buf_add(b, ", ");
            harm_item(s, &c->harms[i], b);
        }
        evs_buf_add(b, "; the balance is for the committee to judge");
        break;
    default:
        effect(s, a, b);
        evs_buf_printf(b, ", at least the MCID (%s) with a confidence interval above no effect, at "
                          "%s certainty",
                       mcid(a, m, sizeof m), cert);
        against(s, a, b);
        evs_buf_add(b, "; no important harm");
    }
}

/*
 * The primary benefit comparisons with an established alternative that could
 * not be pooled (a single study, say): criterion 4 cannot rest on them, but a
 * committee wants to know they exist.
 */
static void unpooled_established(const evs_synthesis *s, evs_buf *b)
{
    size_t listed = 0;
    for (size_t i = 0; i < s->nanalyses; i++) {
        const evs_analysis *a = &s->analyses[i];
        const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
        if (evs_has_result(a) || o->type != EVS_OUTCOME_DIFFERENCE || !o->primary ||
            o->role != EVS_ROLE_BENEFIT || a->k == 0 || !(a->n > 0) ||
            !(100 * a->n_established / a->n >= s->rv->criteria.established_share))
            continue;
        char n[EVS_NUM_TEXT];
        evs_buf_add(b, listed++ == 0 ? "; against an established alternative there is only " : "; ");
        evs_buf_printf(b, "%s (%s): ", o->label, evs_dataset_window_label(s->rv, a->window));
        if (a->k == 1)
            evs_buf_printf(b, "a single study (%s participants), which cannot be pooled",
                           evs_num_count(a->n, n, sizeof n));
        else
            evs_buf_printf(b, "%zu studies (%s participants), not pooled", a->k,
                           evs_num_count(a->n, n, sizeof n));
    }
}

static void alternatives(const evs_synthesis *s, const evs_criterion *c, evs_buf *b)
{
    const evs_criteria_analysis *a = &c->basis;
    const char *minc = evs_certainty_name(s->rv->criteria.min_certainty);
    char m[EVS_NUM_TEXT], share[EVS_NUM_TEXT];
    evs_buf est;
    evs_buf_init(&est);
    evs_text_established(s, &est);
    switch (c->reason) {
    case EVS_CRIT_NO_ALTERNATIVE:
        evs_buf_printf(b, "review.ini says the question has no established alternative, so this "
                          "criterion follows criterion 3 (%s)",
                       evs_verdict_name(c->rule_verdict));
        break;
    case EVS_CRIT_NO_COMPARISON:
        evs_buf_printf(b, "no comparison with the established alternative (%s) can be pooled: ",
                       est.len ? evs_buf_str(&est)
                       : s->rv->comparator ? s->rv->comparator
                                           : "the comparator");
        evs_text_comparative(s, b);
        unpooled_established(s, b);
        break;
    case EVS_CRIT_NO_ESTABLISHED: {
        const evs_criteria_analysis *o = &c->other;
        if (est.len)
            evs_buf_printf(b, "no pooled comparison is with an established alternative (%s): ",
                           evs_buf_str(&est));
        else
            evs_buf_add(b, "the review names no established alternative (established = yes in a "
                           "[comparator.ID] of review.ini): ");
        evs_buf_printf(b, "the pooled comparison, %s (%s), is", basis_label(s, o),
                       basis_window(s, o));
        against(s, o, b);
        evs_buf_printf(b, " (%s of its participants against sham or no treatment); a comparison "
                          "with sham or no treatment shows whether the technology works, not that "
                          "it is as beneficial as the alternatives",
                       evs_num_share(o->share_sham, share, sizeof share));
        unpooled_established(s, b);
        break;
    }
    case EVS_CRIT_NEEDS_CONCLUSIONS:
        evs_buf_add(b, "the evidence does not permit conclusions (criterion 2); ");
        effect(s, a, b);
        evs_buf_printf(b, " at %s certainty", evs_certainty_name(a->certainty));
        break;
    case EVS_CRIT_COMPARISON_UNCERTAIN:
        effect(s, a, b);
        against(s, a, b);
        evs_buf_printf(b, " at %s certainty, below the %s needed", evs_certainty_name(a->certainty),
                       minc);
        break;
    case EVS_CRIT_ALTERNATIVE_TOO_FEW:
        effect(s, a, b);
        against(s, a, b);
        evs_buf_printf(b, " at %s certainty", evs_certainty_name(a->certainty));
        too_few(s, a, b);
        break;
    case EVS_CRIT_AS_BENEFICIAL:
        effect(s, a, b);
        against(s, a, b);
        evs_buf_printf(b, ", which excludes a disadvantage of the MCID (%s); %s certainty",
                       mcid(a, m, sizeof m), evs_certainty_name(a->certainty));
        break;
    case EVS_CRIT_WORSE:
        effect(s, a, b);
        against(s, a, b);
        evs_buf_printf(b, ": worse than the alternative; %s certainty",
                       evs_certainty_name(a->certainty));
        break;
    default:
        effect(s, a, b);
        against(s, a, b);
        evs_buf_printf(b, " includes a disadvantage of the MCID (%s)", mcid(a, m, sizeof m));
    }
    if (est.failed)
        b->failed = true;
    evs_buf_free(&est);
}

static void outside_trials(const evs_synthesis *s, const evs_criterion *c, evs_buf *b)
{
    const evs_criteria_analysis *a = &c->basis;
    if (c->reason == EVS_CRIT_NEEDS_BENEFIT) {
        evs_buf_add(b, "no improvement of the net health outcome has been shown (criterion 3)");
        return;
    }
    char pi[2 * EVS_NUM_TEXT + 8], need[EVS_NUM_TEXT], n[EVS_NUM_TEXT];
    evs_buf_printf(b,
                   "benefit seen in %zu studies (%s needed); prediction interval for a new "
                   "setting %s%s",
                   a->k, evs_num_setting(s->rv->criteria.min_studies, need, sizeof need),
                   evs_num_interval(a->pi_lb, a->pi_ub, percent(s, a), pi, sizeof pi),
                   a->pi_lb > 0 ? ", above no effect" : ", which includes no effect");
    switch (c->reason) {
    case EVS_CRIT_ATTAINABLE:
        evs_buf_printf(b, "; %zu of the studies (%s participants) were done in usual practice, "
                          "and each shows a benefit",
                       a->k_usual, evs_num_count(a->n_usual, n, sizeof n));
        break;
    case EVS_CRIT_ATTAINABLE_TRIALS:
        evs_buf_add(b, "; judged from trial settings only: no study in the analysis was done in "
                       "usual practice (setting in studies.csv)");
        break;
    case EVS_CRIT_NEEDS_USUAL_PRACTICE:
        evs_buf_add(b, "; no study in the analysis was done in usual practice, and the review "
                       "requires such evidence");
        break;
    case EVS_CRIT_USUAL_PRACTICE_MIXED:
        evs_buf_printf(b, "; of the %zu studies done in usual practice only %zu show a benefit",
                       a->k_usual, a->k_usual_benefit);
        break;
    default:
        break;
    }
}

void evs_text_criterion_rule(const evs_synthesis *s, int i, evs_buf *b)
{
    const evs_criterion *c = &s->criteria.criterion[i];
    switch (i) {
    case 0:
        regulatory(s, b);
        break;
    case 1:
        conclusions(s, c, b);
        break;
    case 2:
        net_health(s, c, b);
        break;
    case 3:
        alternatives(s, c, b);
        break;
    default:
        outside_trials(s, c, b);
    }
}

void evs_text_criterion(const evs_synthesis *s, int i, evs_buf *b)
{
    const evs_criterion *c = &s->criteria.criterion[i];
    if (c->overridden)
        evs_buf_printf(b, "reviewer's judgement: %s", c->override_reason);
    else
        evs_text_criterion_rule(s, i, b);
}

void evs_text_criterion_needed(const evs_synthesis *s, int i, evs_buf *b)
{
    const evs_criterion *c = &s->criteria.criterion[i];
    const char *minc = evs_certainty_name(s->rv->criteria.min_certainty);
    if (c->verdict == EVS_VERDICT_MET || (c->overridden && c->rule_verdict == EVS_VERDICT_MET))
        return;
    switch (i) {
    case 0:
        evs_buf_add(b, "final approval by the regulator for this use");
        break;
    case 1:
        evs_buf_printf(b, "evidence of %s certainty or better on a primary benefit outcome: in "
                          "practice, randomised trials or controlled comparisons against the "
                          "comparators the review asks about, large enough for the optimal "
                          "information size",
                       minc);
        break;
    case 2:
        if (c->reason == EVS_CRIT_NO_IMPORTANT_BENEFIT || c->reason == EVS_CRIT_IMPORTANT_HARM)
            evs_buf_printf(b, "new evidence of %s certainty or better showing a benefit of at "
                              "least the MCID, which would have to outweigh the evidence of no "
                              "important benefit",
                           minc);
        else
            evs_buf_printf(b, "a benefit of at least the MCID with a confidence interval clear of "
                              "no effect, at %s certainty, with no important harm",
                           minc);
        break;
    case 3: {
        evs_buf est;
        evs_buf_init(&est);
        evs_text_established(s, &est);
        char need[EVS_NUM_TEXT];
        evs_buf_printf(b, "a comparison with %s in at least %s studies, at %s certainty, whose "
                          "confidence interval excludes a clinically important disadvantage; a "
                          "comparison with sham or no treatment cannot show this",
                       est.len ? evs_buf_str(&est) : "an established alternative",
                       evs_num_setting(s->rv->criteria.min_studies_conclusions, need, sizeof need),
                       minc);
        evs_buf_free(&est);
        break;
    }
    default: {
        char need[EVS_NUM_TEXT];
        evs_buf_printf(b, "benefit in at least %s studies, including studies done in usual "
                          "practice, with a prediction interval above no effect",
                       evs_num_setting(s->rv->criteria.min_studies, need, sizeof need));
    }
    }
}

/* "1 and 2", "3, 4 and 5" */
static void list_numbers(evs_buf *b, const int *nums, size_t n)
{
    for (size_t i = 0; i < n; i++)
        evs_buf_printf(b, "%s%d", i == 0 ? "" : i + 1 == n ? " and " : ", ", nums[i]);
}

void evs_text_conclusion(const evs_synthesis *s, evs_buf *b)
{
    int not_met[EVS_CRITERIA], undetermined[EVS_CRITERIA];
    size_t nn = 0, nu = 0;
    for (int i = 0; i < EVS_CRITERIA; i++) {
        evs_verdict v = s->criteria.criterion[i].verdict;
        if (v == EVS_VERDICT_NOT_MET)
            not_met[nn++] = i + 1;
        else if (v == EVS_VERDICT_UNDETERMINED)
            undetermined[nu++] = i + 1;
    }
    const char *what = s->rv->technology;
    if (!s->criteria.investigational) {
        evs_buf_printf(b,
                       "%s meets all five technology-evaluation criteria: it is not "
                       "investigational for the population of this review.",
                       what);
        return;
    }
    evs_buf_printf(b, "%s is investigational: ", what);
    if (nn > 0) {
        evs_buf_printf(b, "criteri%s ", nn == 1 ? "on" : "a");
        list_numbers(b, not_met, nn);
        evs_buf_printf(b, " %s not met", nn == 1 ? "is" : "are");
        if (nu > 0) {
            evs_buf_add(b, ", and ");
            list_numbers(b, undetermined, nu);
            evs_buf_add(b, " cannot be determined with the current evidence");
        }
    } else {
        evs_buf_printf(b, "criteri%s ", nu == 1 ? "on" : "a");
        list_numbers(b, undetermined, nu);
        evs_buf_add(b, " cannot be determined with the current evidence");
    }
    evs_buf_add(b, ".");
}
