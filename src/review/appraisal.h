/*
 * appraisal.h -- the risk of bias of each study, as the review team
 * appraised it with a published tool (appraisal.csv, read by
 * src/io/appraisal_io.c), and each tool's rule from its domains to an
 * overall judgement.
 *
 * Tools and their domains:
 *
 *  rob2             RoB 2, randomised trials (Sterne et al. 2019, BMJ 366:l4898).
 *                   D1 randomisation process, D2 deviations from intended
 *                   interventions, D3 missing outcome data, D4 measurement of
 *                   the outcome, D5 selection of the reported result.
 *                   Judgements: low, some_concerns, high, no_information.
 *  robins_i         ROBINS-I, non-randomised studies of interventions
 *                   (Sterne et al. 2016, BMJ 355:i4919).  D1 confounding,
 *                   D2 selection of participants, D3 classification of
 *                   interventions, D4 deviations from intended interventions,
 *                   D5 missing data, D6 measurement of outcomes, D7 selection
 *                   of the reported result.  Judgements: low, moderate,
 *                   serious, critical, no_information.
 *  jbi_case_series  the JBI critical appraisal checklist for case series
 *                   (Munn et al. 2020, JBI Evid Synth 18:2127-2133), items
 *                   Q1 to Q10 answered yes, no, unclear or not_applicable;
 *                   the overall is low, moderate or high.
 *
 * The overall judgement, by tool (evs_rob_overall_rule()):
 *
 *  RoB 2      the algorithm of Sterne et al. 2019 ("Reaching an overall
 *             risk-of-bias judgement" in the paper and its guidance): low
 *             when every domain is low; high when any domain is high;
 *             otherwise some concerns.  The guidance's third step, "some
 *             concerns in multiple domains in a way that substantially
 *             lowers confidence in the result" gives high, is a judgement:
 *             evsynth applies it when at least rob2_some_concerns_high
 *             domains have some concerns (a review setting; 0, the default,
 *             never), and a reviewer may take it study by study (below).
 *             A domain judged "no information" has no judgement: with no
 *             domain high, the overall is then "no information".
 *  ROBINS-I   Sterne et al. 2016 (the interpretation of domain-level and
 *             overall judgements): the worst domain (critical, then
 *             serious); "no information" when no domain is serious or
 *             critical and a domain lacks information (every domain is
 *             treated as a key domain); then moderate; low when every
 *             domain is low.
 *  JBI        JBI gives no rule from items to an overall judgement: its
 *             manual asks each review to describe and justify its own
 *             scoring and cut-offs (JBI Manual for Evidence Synthesis,
 *             3.4.7.3).  evsynth's rule: the share of applicable items
 *             (not not_applicable) answered yes, low at jbi_low_share (70%)
 *             or more, moderate at jbi_moderate_share (50%) or more, high
 *             below; "unclear" counts as not met.  A "no" on an item listed
 *             in jbi_critical_items makes it high.  All three are review
 *             settings.
 *
 * The file also gives an overall judgement for each appraisal.  It must
 * agree with the rule, except where the tool's guidance leaves a judgement
 * to the reviewer (evs_rob_overall_check()): RoB 2 high for some concerns in
 * two or more domains, or some concerns where the setting gave high; RoB 2
 * and ROBINS-I "no information" replaced by a judgement no milder than the
 * judged domains (RoB 2: some concerns or high; ROBINS-I: a domain without
 * information judged not key); any JBI overall.  Such an overall is the
 * reviewer's and is shown as such next to what the rule gave.
 */
#ifndef EVS_APPRAISAL_H
#define EVS_APPRAISAL_H

#include <stdbool.h>
#include <stddef.h>

typedef enum evs_rob_tool {
    EVS_ROB_TOOL_ROB2,
    EVS_ROB_TOOL_ROBINS_I,
    EVS_ROB_TOOL_JBI_CASE_SERIES,
    EVS_ROB_TOOLS,
    EVS_ROB_TOOL_NONE = EVS_ROB_TOOLS /* "none": the study was not appraised */
} evs_rob_tool;

#define EVS_ROB_MAX_DOMAINS 10

typedef enum evs_rob_judgement {
    EVS_ROB_LOW,
    EVS_ROB_SOME_CONCERNS,
    EVS_ROB_MODERATE,
    EVS_ROB_HIGH,
    EVS_ROB_SERIOUS,
    EVS_ROB_CRITICAL,
    EVS_ROB_NO_INFORMATION,
    EVS_ROB_YES,
    EVS_ROB_NO,
    EVS_ROB_UNCLEAR,
    EVS_ROB_NOT_APPLICABLE,
    EVS_ROB_NOT_APPRAISED,
    EVS_ROB_JUDGEMENTS
} evs_rob_judgement;

/* Where a judgement stands for GRADE, the figures' colours and the counts. */
typedef enum evs_rob_level {
    EVS_ROB_LEVEL_LOW,          /* low; yes */
    EVS_ROB_LEVEL_CONCERNS,     /* some concerns, moderate */
    EVS_ROB_LEVEL_HIGH,         /* high, serious; no */
    EVS_ROB_LEVEL_CRITICAL,     /* critical */
    EVS_ROB_LEVEL_NO_INFO,      /* no information; unclear */
    EVS_ROB_LEVEL_NOT_ASSESSED, /* no appraisal, or listed as not appraised; not applicable */
    EVS_ROB_LEVELS
} evs_rob_level;

typedef struct evs_rob_tool_info {
    const char *name;     /* "rob2", as in appraisal.csv */
    const char *label;    /* "RoB 2" */
    const char *citation; /* "Sterne et al. 2019, BMJ 366:l4898" */
    size_t ndomains;
    const char *const *ids;    /* "D1".."D5", "Q1".."Q10" */
    const char *const *labels; /* "Bias arising from the randomisation process" */
    unsigned domain_judgements;  /* bit j: judgement j allowed in a domain */
    unsigned overall_judgements; /* bit j: allowed as the overall */
} evs_rob_tool_info;

/* The table of a tool (EVS_ROB_TOOL_NONE has no domains). */
const evs_rob_tool_info *evs_rob_tool_get(evs_rob_tool t);
bool evs_rob_tool_from_name(const char *name, evs_rob_tool *t);

const char *evs_rob_judgement_name(evs_rob_judgement j);  /* "some_concerns" */
const char *evs_rob_judgement_label(evs_rob_judgement j); /* "Some concerns" */
bool evs_rob_judgement_from_name(const char *name, evs_rob_judgement *j);
evs_rob_level evs_rob_judgement_level(evs_rob_judgement j);

/* Settings of the overall rules ([appraisal] in review.ini); shares are percentages. */
typedef struct evs_rob_settings {
    double rob2_some_concerns_high; /* domains at some concerns that make RoB 2 high; 0: never */
    double jbi_low_share;           /* JBI: yes-share for low, 70 */
    double jbi_moderate_share;      /* JBI: yes-share for moderate, 50 */
    unsigned jbi_critical_items;    /* JBI: bit i set when item Q(i+1) is critical */
} evs_rob_settings;

void evs_rob_settings_default(evs_rob_settings *s);

/* What a tool's rule gives for one appraisal, and why. */
typedef struct evs_rob_overall {
    evs_rob_judgement judgement;
    unsigned worst;       /* domains (bit j: domain j) at the judgement that decides it */
    size_t some_concerns; /* RoB 2: domains with some concerns */
    size_t no_information;/* RoB 2, ROBINS-I: domains without information */
    bool by_setting;      /* RoB 2: high from rob2_some_concerns_high */
    size_t yes, applicable; /* JBI: items answered yes, items not "not applicable" */
    double yes_share;       /* JBI: 100 yes / applicable (NaN when none applies) */
    unsigned critical_no;   /* JBI: critical items answered no */
} evs_rob_overall;

/*
 * The overall judgement by the tool's rule from its ndomains domain
 * judgements (in the tool's order).  t is not EVS_ROB_TOOL_NONE.
 */
void evs_rob_overall_rule(evs_rob_tool t, const evs_rob_judgement *domains,
                          const evs_rob_settings *s, evs_rob_overall *out);

typedef enum evs_rob_agreement {
    EVS_ROB_AGREES,      /* the file's overall is the rule's */
    EVS_ROB_REVIEWER,    /* differs where the guidance leaves a judgement */
    EVS_ROB_CONTRADICTS  /* differs where the rule decides */
} evs_rob_agreement;

/* Whether an overall judgement given in the file may stand (see the top). */
evs_rob_agreement evs_rob_overall_check(evs_rob_tool t, const evs_rob_judgement *domains,
                                        const evs_rob_overall *rule, evs_rob_judgement given);

/* One judgement and what supports it, as the file gives it. */
typedef struct evs_rob_cell {
    evs_rob_judgement judgement;
    const char *support, *url; /* "" when empty */
    bool secondary;            /* source = secondary */
    long line;                 /* line in appraisal.csv; 0 when not given */
} evs_rob_cell;

/* One appraisal: a study with one tool, for every outcome or for one. */
typedef struct evs_rob_entry {
    size_t study;    /* index into the evidence's studies (a whole study) */
    long outcome;    /* index into the review's outcomes, or -1 for all */
    evs_rob_tool tool;
    evs_rob_cell domain[EVS_ROB_MAX_DOMAINS];
    evs_rob_cell overall;     /* as given; for "none", the reason in support */
    evs_rob_overall rule;     /* what the tool's rule gives */
    evs_rob_agreement agreement;
    long line;                /* first line of the appraisal in appraisal.csv */
} evs_rob_entry;

/*
 * The appraisals of a review, in the order they first appear in the file.
 * Owned by the evidence (its strings live in the evidence's arena).
 */
typedef struct evs_appraisal {
    size_t n, cap;
    evs_rob_entry *entries;
    const char *file; /* appraisal.csv, for messages */
} evs_appraisal;

void evs_appraisal_free(evs_appraisal *a);

/*
 * The appraisal that applies to a study for an outcome: one for that
 * outcome if there is one, else one for every outcome; among several tools
 * the most severe overall.  Returns the entry index or -1.
 */
long evs_appraisal_find(const evs_appraisal *a, size_t study, long outcome);

/* "D2", "D2 and D4", "D1, D2 and D4": the ids of the domains in mask (bit j: domain j). */
void evs_rob_domain_list(evs_rob_tool t, unsigned mask, char *buf, size_t cap);

/* Severity of an entry's overall for GRADE (EVS_ROB_LEVEL_NOT_ASSESSED for "none"). */
evs_rob_level evs_rob_entry_level(const evs_rob_entry *e);

/*
 * The GRADE risk-of-bias domain of one analysis from the appraisals of the
 * studies it pools, by their share of the analysis weight (the
 * random-effects weights of the forest plot).  This follows the Cochrane
 * Handbook's guidance for going from risk-of-bias assessments to GRADE's
 * study limitations (Higgins & Green 2011, Table 12.2.d; Guyatt et al.
 * 2011, J Clin Epidemiol 64:407-415): rate down when "the proportion of
 * information from studies at high risk of bias is sufficient to affect the
 * interpretation of results", by two levels for a crucial limitation, and
 * when information is mostly from studies at unclear risk and "potential
 * limitations are likely to lower confidence".  As rules on the weight
 * shares:
 *
 *   -2  critical (ROBINS-I) >= grade_critical_share: studies "too
 *       problematic to provide any useful evidence" (Sterne et al. 2016);
 *   -1  high + critical >= grade_high_share (RoB 2 high, ROBINS-I serious
 *       or critical, JBI high);
 *   -1  high + critical + no information + not assessed >=
 *       grade_unclear_share: the reports do not show that most of the
 *       weight is at low risk or some concerns;
 *    0  otherwise.
 *
 * The first rule that holds decides; the thresholds are [grade]'s
 * rob_critical_share, rob_high_share and rob_unclear_share (grade.h adds
 * the result to the domain's design rules).  A reviewer's [grade.OUTCOME]
 * risk_of_bias replaces the domain, as for every GRADE domain.
 */
enum {
    EVS_ROB_GRADE_CRITICAL = 1u << 0,
    EVS_ROB_GRADE_HIGH = 1u << 1,
    EVS_ROB_GRADE_UNCLEAR = 1u << 2
};

typedef struct evs_rob_grade {
    bool applies;                   /* at least one pooled study has an appraisal */
    int levels;                     /* 0, 1 or 2 */
    unsigned why;                   /* EVS_ROB_GRADE_* of the rule that decided (0: none) */
    double share[EVS_ROB_LEVELS];   /* percent of the analysis weight */
    size_t count[EVS_ROB_LEVELS];   /* pooled rows */
    unsigned domains[EVS_ROB_TOOLS]; /* per tool, the domains judged high, serious or
                                        critical (JBI: items answered no) in the rows at
                                        high or critical risk */
    double critical_share, high_share, unclear_share; /* the thresholds applied */
} evs_rob_grade;

/*
 * Rate k pooled rows: level[i] is the overall of row i's study
 * (evs_rob_entry_level(), EVS_ROB_LEVEL_NOT_ASSESSED without an appraisal)
 * and weight[i] its weight (any positive scale; rows without a positive
 * weight do not count).  out->domains is left empty (evs_rob_high_domains).
 */
void evs_rob_grade_rate(const evs_rob_level *level, const double *weight, size_t k,
                        double critical_share, double high_share, double unclear_share,
                        evs_rob_grade *out);

/*
 * The domains to name in the reason: for the k rows whose appraisal is
 * entry[i] (-1 for none), per tool the domains judged high, serious or
 * critical (JBI: items answered no) in the rows at high or critical risk.
 */
void evs_rob_high_domains(const evs_appraisal *a, const long *entry, size_t k,
                          unsigned domains[EVS_ROB_TOOLS]);

#endif
