/*
 * appraisal.c -- the risk-of-bias tools, their vocabularies and their
 * overall rules (see appraisal.h for the rules and their sources).
 */
#include "review/appraisal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIT(j) (1u << (j))

static const char *const rob2_ids[] = {"D1", "D2", "D3", "D4", "D5"};
static const char *const rob2_labels[] = {
    "Bias arising from the randomisation process",
    "Bias due to deviations from intended interventions",
    "Bias due to missing outcome data",
    "Bias in measurement of the outcome",
    "Bias in selection of the reported result",
};

static const char *const robins_ids[] = {"D1", "D2", "D3", "D4", "D5", "D6", "D7"};
static const char *const robins_labels[] = {
    "Bias due to confounding",
    "Bias in selection of participants into the study",
    "Bias in classification of interventions",
    "Bias due to deviations from intended interventions",
    "Bias due to missing data",
    "Bias in measurement of outcomes",
    "Bias in selection of the reported result",
};

/* The ten questions of Munn et al. 2020, shortened for tables and figures. */
static const char *const jbi_ids[] = {"Q1", "Q2", "Q3", "Q4", "Q5",
                                      "Q6", "Q7", "Q8", "Q9", "Q10"};
static const char *const jbi_labels[] = {
    "Clear criteria for inclusion",
    "Condition measured in a standard, reliable way for all",
    "Valid methods to identify the condition for all",
    "Consecutive inclusion of participants",
    "Complete inclusion of participants",
    "Clear reporting of the participants' demographics",
    "Clear reporting of the participants' clinical information",
    "Outcomes or follow-up results clearly reported",
    "Clear reporting of the presenting sites' or clinics' demographics",
    "Appropriate statistical analysis",
};

static const evs_rob_tool_info tools[EVS_ROB_TOOLS + 1] = {
    {"rob2", "RoB 2", "Sterne et al. 2019, BMJ 366:l4898", 5, rob2_ids, rob2_labels,
     BIT(EVS_ROB_LOW) | BIT(EVS_ROB_SOME_CONCERNS) | BIT(EVS_ROB_HIGH) |
         BIT(EVS_ROB_NO_INFORMATION),
     BIT(EVS_ROB_LOW) | BIT(EVS_ROB_SOME_CONCERNS) | BIT(EVS_ROB_HIGH) |
         BIT(EVS_ROB_NO_INFORMATION)},
    {"robins_i", "ROBINS-I", "Sterne et al. 2016, BMJ 355:i4919", 7, robins_ids, robins_labels,
     BIT(EVS_ROB_LOW) | BIT(EVS_ROB_MODERATE) | BIT(EVS_ROB_SERIOUS) | BIT(EVS_ROB_CRITICAL) |
         BIT(EVS_ROB_NO_INFORMATION),
     BIT(EVS_ROB_LOW) | BIT(EVS_ROB_MODERATE) | BIT(EVS_ROB_SERIOUS) | BIT(EVS_ROB_CRITICAL) |
         BIT(EVS_ROB_NO_INFORMATION)},
    {"jbi_case_series", "JBI case series checklist",
     "Munn et al. 2020, JBI Evid Synth 18:2127-2133", 10, jbi_ids, jbi_labels,
     BIT(EVS_ROB_YES) | BIT(EVS_ROB_NO) | BIT(EVS_ROB_UNCLEAR) | BIT(EVS_ROB_NOT_APPLICABLE),
     BIT(EVS_ROB_LOW) | BIT(EVS_ROB_MODERATE) | BIT(EVS_ROB_HIGH)},
    {"none", "Not appraised", "", 0, NULL, NULL, 0, BIT(EVS_ROB_NOT_APPRAISED)},
};

const evs_rob_tool_info *evs_rob_tool_get(evs_rob_tool t)
{
    return &tools[t <= EVS_ROB_TOOL_NONE ? t : EVS_ROB_TOOL_NONE];
}

bool evs_rob_tool_from_name(const char *name, evs_rob_tool *t)
{
    for (int i = 0; i <= EVS_ROB_TOOL_NONE; i++)
        if (strcmp(tools[i].name, name) == 0) {
            *t = (evs_rob_tool)i;
            return true;
        }
    return false;
}

static const struct {
    const char *name, *label;
    evs_rob_level level;
} judgements[EVS_ROB_JUDGEMENTS] = {
    {"low", "Low", EVS_ROB_LEVEL_LOW},
    {"some_concerns", "Some concerns", EVS_ROB_LEVEL_CONCERNS},
    {"moderate", "Moderate", EVS_ROB_LEVEL_CONCERNS},
    {"high", "High", EVS_ROB_LEVEL_HIGH},
    {"serious", "Serious", EVS_ROB_LEVEL_HIGH},
    {"critical", "Critical", EVS_ROB_LEVEL_CRITICAL},
    {"no_information", "No information", EVS_ROB_LEVEL_NO_INFO},
    {"yes", "Yes", EVS_ROB_LEVEL_LOW},
    {"no", "No", EVS_ROB_LEVEL_HIGH},
    {"unclear", "Unclear", EVS_ROB_LEVEL_NO_INFO},
    {"not_applicable", "Not applicable", EVS_ROB_LEVEL_NOT_ASSESSED},
    {"not_appraised", "Not appraised", EVS_ROB_LEVEL_NOT_ASSESSED},
};

const char *evs_rob_judgement_name(evs_rob_judgement j)
{
    return j < EVS_ROB_JUDGEMENTS ? judgements[j].name : "?";
}

const char *evs_rob_judgement_label(evs_rob_judgement j)
{
    return j < EVS_ROB_JUDGEMENTS ? judgements[j].label : "?";
}

bool evs_rob_judgement_from_name(const char *name, evs_rob_judgement *j)
{
    for (int i = 0; i < EVS_ROB_JUDGEMENTS; i++)
        if (strcmp(judgements[i].name, name) == 0) {
            *j = (evs_rob_judgement)i;
            return true;
        }
    return false;
}

evs_rob_level evs_rob_judgement_level(evs_rob_judgement j)
{
    return j < EVS_ROB_JUDGEMENTS ? judgements[j].level : EVS_ROB_LEVEL_NOT_ASSESSED;
}

void evs_rob_settings_default(evs_rob_settings *s)
{
    s->rob2_some_concerns_high = 0;
    s->jbi_low_share = 70;
    s->jbi_moderate_share = 50;
    s->jbi_critical_items = 0;
}

/* The domains (bits) of an appraisal whose judgement is j. */
static unsigned with(const evs_rob_judgement *d, size_t n, evs_rob_judgement j)
{
    unsigned m = 0;
    for (size_t i = 0; i < n; i++)
        if (d[i] == j)
            m |= BIT(i);
    return m;
}

static size_t count(unsigned m)
{
    size_t n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

/* RoB 2: high, then the setting's "several some concerns", then no information, some, low. */
static void rob2_rule(const evs_rob_judgement *d, const evs_rob_settings *s, evs_rob_overall *o)
{
    unsigned high = with(d, 5, EVS_ROB_HIGH), some = with(d, 5, EVS_ROB_SOME_CONCERNS);
    unsigned ni = with(d, 5, EVS_ROB_NO_INFORMATION);
    o->some_concerns = count(some);
    o->no_information = count(ni);
    if (high) {
        o->judgement = EVS_ROB_HIGH;
        o->worst = high;
    } else if (s->rob2_some_concerns_high >= 1 &&
               (double)o->some_concerns >= s->rob2_some_concerns_high) {
        o->judgement = EVS_ROB_HIGH;
        o->worst = some;
        o->by_setting = true;
    } else if (ni) {
        o->judgement = EVS_ROB_NO_INFORMATION;
        o->worst = ni;
    } else if (some) {
        o->judgement = EVS_ROB_SOME_CONCERNS;
        o->worst = some;
    } else {
        o->judgement = EVS_ROB_LOW;
    }
}

/* ROBINS-I: the worst domain, with "no information" below serious. */
static void robins_rule(const evs_rob_judgement *d, evs_rob_overall *o)
{
    static const evs_rob_judgement order[] = {EVS_ROB_CRITICAL, EVS_ROB_SERIOUS,
                                              EVS_ROB_NO_INFORMATION, EVS_ROB_MODERATE};
    o->no_information = count(with(d, 7, EVS_ROB_NO_INFORMATION));
    o->judgement = EVS_ROB_LOW;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        unsigned m = with(d, 7, order[i]);
        if (m) {
            o->judgement = order[i];
            o->worst = m;
            return;
        }
    }
}

/* JBI: the share of applicable items answered yes against the review's cut-offs. */
static void jbi_rule(const evs_rob_judgement *d, const evs_rob_settings *s, evs_rob_overall *o)
{
    unsigned not_met = with(d, 10, EVS_ROB_NO) | with(d, 10, EVS_ROB_UNCLEAR);
    o->yes = count(with(d, 10, EVS_ROB_YES));
    o->applicable = 10 - count(with(d, 10, EVS_ROB_NOT_APPLICABLE));
    o->critical_no = with(d, 10, EVS_ROB_NO) & s->jbi_critical_items;
    if (o->applicable == 0) {
        o->yes_share = NAN;
        o->judgement = EVS_ROB_NO_INFORMATION; /* the reader refuses this */
        return;
    }
    o->yes_share = 100.0 * (double)o->yes / (double)o->applicable;
    if (o->critical_no) {
        o->judgement = EVS_ROB_HIGH;
        o->worst = o->critical_no;
    } else if (o->yes_share >= s->jbi_low_share) {
        o->judgement = EVS_ROB_LOW;
        o->worst = 0;
    } else {
        o->judgement = o->yes_share >= s->jbi_moderate_share ? EVS_ROB_MODERATE : EVS_ROB_HIGH;
        o->worst = not_met;
    }
}

void evs_rob_overall_rule(evs_rob_tool t, const evs_rob_judgement *domains,
                          const evs_rob_settings *s, evs_rob_overall *out)
{
    memset(out, 0, sizeof *out);
    out->yes_share = NAN;
    switch (t) {
    case EVS_ROB_TOOL_ROB2:
        rob2_rule(domains, s, out);
        break;
    case EVS_ROB_TOOL_ROBINS_I:
        robins_rule(domains, out);
        break;
    case EVS_ROB_TOOL_JBI_CASE_SERIES:
        jbi_rule(domains, s, out);
        break;
    default:
        out->judgement = EVS_ROB_NOT_APPRAISED;
    }
}

evs_rob_agreement evs_rob_overall_check(evs_rob_tool t, const evs_rob_judgement *domains,
                                        const evs_rob_overall *rule, evs_rob_judgement given)
{
    if (given == rule->judgement)
        return EVS_ROB_AGREES;
    switch (t) {
    case EVS_ROB_TOOL_ROB2:
        /* "Some concerns for multiple domains in a way that substantially lowers
         * confidence": the reviewer may judge it either way. */
        if (rule->judgement == EVS_ROB_HIGH && rule->by_setting)
            return given == EVS_ROB_SOME_CONCERNS ? EVS_ROB_REVIEWER : EVS_ROB_CONTRADICTS;
        if (rule->judgement == EVS_ROB_SOME_CONCERNS)
            return given == EVS_ROB_HIGH && rule->some_concerns >= 2 ? EVS_ROB_REVIEWER
                                                                     : EVS_ROB_CONTRADICTS;
        /* Domains without a judgement, none high: at least some concerns (low
         * needs every domain low). */
        if (rule->judgement == EVS_ROB_NO_INFORMATION)
            return given == EVS_ROB_SOME_CONCERNS || given == EVS_ROB_HIGH ? EVS_ROB_REVIEWER
                                                                           : EVS_ROB_CONTRADICTS;
        return EVS_ROB_CONTRADICTS;
    case EVS_ROB_TOOL_ROBINS_I:
        /* "Lack of information in one or more key domains": the reviewer may
         * judge those domains not key, and then the overall is the worst of
         * the judged domains (never serious or critical: none is). */
        if (rule->judgement == EVS_ROB_NO_INFORMATION) {
            bool moderate = with(domains, 7, EVS_ROB_MODERATE) != 0;
            if (given == EVS_ROB_MODERATE || (given == EVS_ROB_LOW && !moderate))
                return EVS_ROB_REVIEWER;
        }
        return EVS_ROB_CONTRADICTS;
    case EVS_ROB_TOOL_JBI_CASE_SERIES:
        return (tools[t].overall_judgements & BIT(given)) ? EVS_ROB_REVIEWER
                                                          : EVS_ROB_CONTRADICTS;
    default:
        return EVS_ROB_CONTRADICTS;
    }
}

void evs_rob_domain_list(evs_rob_tool t, unsigned mask, char *buf, size_t cap)
{
    const evs_rob_tool_info *info = evs_rob_tool_get(t);
    size_t total = count(mask), done = 0, len = 0;
    if (cap == 0)
        return;
    buf[0] = '\0';
    for (size_t j = 0; j < info->ndomains && len < cap; j++) {
        if (!(mask & BIT(j)))
            continue;
        const char *sep = done == 0 ? "" : done + 1 == total ? " and " : ", ";
        int w = snprintf(buf + len, cap - len, "%s%s", sep, info->ids[j]);
        if (w < 0)
            return;
        len += (size_t)w;
        done++;
    }
}

void evs_appraisal_free(evs_appraisal *a)
{
    if (a == NULL)
        return;
    free(a->entries);
    free(a);
}

evs_rob_level evs_rob_entry_level(const evs_rob_entry *e)
{
    return e->tool == EVS_ROB_TOOL_NONE ? EVS_ROB_LEVEL_NOT_ASSESSED
                                        : evs_rob_judgement_level(e->overall.judgement);
}

/* Severity for choosing among tools: critical, high, no information, concerns, low. */
static int severity(evs_rob_level l)
{
    static const int rank[EVS_ROB_LEVELS] = {1, 2, 4, 5, 3, 0};
    return rank[l];
}

long evs_appraisal_find(const evs_appraisal *a, size_t study, long outcome)
{
    if (a == NULL)
        return -1;
    long best = -1;
    bool best_specific = false;
    for (size_t i = 0; i < a->n; i++) {
        const evs_rob_entry *e = &a->entries[i];
        if (e->study != study || (e->outcome >= 0 && e->outcome != outcome))
            continue;
        bool specific = e->outcome >= 0;
        if (best >= 0 && best_specific && !specific)
            continue;
        if (best < 0 || (specific && !best_specific) ||
            severity(evs_rob_entry_level(e)) >
                severity(evs_rob_entry_level(&a->entries[best]))) {
            best = (long)i;
            best_specific = specific;
        }
    }
    return best;
}

/* The domains of an entry whose judgement is at high or critical level. */
static unsigned high_domains(const evs_rob_entry *e)
{
    unsigned m = 0;
    size_t n = evs_rob_tool_get(e->tool)->ndomains;
    for (size_t j = 0; j < n; j++) {
        evs_rob_level l = evs_rob_judgement_level(e->domain[j].judgement);
        if (l == EVS_ROB_LEVEL_HIGH || l == EVS_ROB_LEVEL_CRITICAL)
            m |= BIT(j);
    }
    return m;
}

void evs_rob_high_domains(const evs_appraisal *a, const long *entry, size_t k,
                          unsigned domains[EVS_ROB_TOOLS])
{
    for (int t = 0; t < EVS_ROB_TOOLS; t++)
        domains[t] = 0;
    for (size_t i = 0; a != NULL && i < k; i++) {
        if (entry[i] < 0)
            continue;
        const evs_rob_entry *e = &a->entries[entry[i]];
        evs_rob_level l = evs_rob_entry_level(e);
        if (l == EVS_ROB_LEVEL_HIGH || l == EVS_ROB_LEVEL_CRITICAL)
            domains[e->tool] |= high_domains(e);
    }
}

void evs_rob_grade_rate(const evs_rob_level *level, const double *weight, size_t k,
                        double critical_share, double high_share, double unclear_share,
                        evs_rob_grade *out)
{
    memset(out, 0, sizeof *out);
    double total = 0, w[EVS_ROB_LEVELS] = {0};
    for (size_t i = 0; i < k; i++) {
        if (!(weight[i] > 0))
            continue;
        evs_rob_level l = level[i] < EVS_ROB_LEVELS ? level[i] : EVS_ROB_LEVEL_NOT_ASSESSED;
        out->applies |= l != EVS_ROB_LEVEL_NOT_ASSESSED;
        out->count[l]++;
        w[l] += weight[i];
        total += weight[i];
    }
    for (int l = 0; l < EVS_ROB_LEVELS; l++)
        out->share[l] = total > 0 ? 100 * w[l] / total : 0;
    out->critical_share = critical_share;
    out->high_share = high_share;
    out->unclear_share = unclear_share;
    if (!out->applies)
        return;
    const double *sh = out->share;
    double high = sh[EVS_ROB_LEVEL_HIGH] + sh[EVS_ROB_LEVEL_CRITICAL];
    double unknown = high + sh[EVS_ROB_LEVEL_NO_INFO] + sh[EVS_ROB_LEVEL_NOT_ASSESSED];
    if (sh[EVS_ROB_LEVEL_CRITICAL] >= critical_share) {
        out->levels = 2;
        out->why = EVS_ROB_GRADE_CRITICAL;
    } else if (high >= high_share) {
        out->levels = 1;
        out->why = EVS_ROB_GRADE_HIGH;
    } else if (unknown >= unclear_share) {
        out->levels = 1;
        out->why = EVS_ROB_GRADE_UNCLEAR;
    }
}
