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
                    &r->technology, &r->evidence_assembled, &r->search,
                    &r->intervention_label, &r->comparator_label};
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
        free(o->noun);
        free(o->score_label);
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
    for (size_t i = 0; i < r->nsensitivities; i++) {
        evs_sensitivity *x = &r->sensitivities[i];
        free(x->id);
        free(x->label);
        free(x->reason);
        free(x->exclude);
    }
    free(r->sensitivities);
    for (int k = 0; k < EVS_VOCABS; k++)
        for (size_t i = 0; i < r->vocab[k].n; i++) {
            free(r->vocab[k].items[i].id);
            free(r->vocab[k].items[i].label);
            free(r->vocab[k].items[i].arm_label);
        }
    free(r->policies);
    free(r->outcomes);
    free(r->windows);
    free(r->reasons);
    free(r);
}

const char *evs_outcome_comparator_label(const evs_review *r, const evs_outcome_spec *o)
{
    const char *label = NULL;
    if (o->comparator_filter) {
        const evs_vocabulary *v = &r->vocab[EVS_VOCAB_COMPARATOR];
        for (size_t i = 0; i < v->n; i++) {
            if (!o->comparators[i])
                continue;
            const char *a = v->items[i].arm_label;
            if (a == NULL || (label != NULL && strcmp(a, label) != 0))
                return r->comparator_label; /* no short name, or two: the review's */
            label = a;
        }
    }
    return label != NULL ? label : r->comparator_label;
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

bool evs_name_valid(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return false;
    return true;
}

/* ---------------------------------------------------------------------------
 * Vocabularies
 */

static const char *const vocab_names[EVS_VOCABS] = {"design", "population", "comparator",
                                                    "setting"};
static const char *const design_roles[EVS_DESIGN_ROLES] = {"randomised", "comparative",
                                                           "uncontrolled", "benchmark"};
static const char *const comparator_roles[EVS_COMPARATOR_ROLES] = {
    "none", "sham", "no_treatment", "usual_care", "active"};
static const char *const setting_roles[EVS_SETTING_ROLES] = {"trial", "usual_practice"};

const char *evs_vocab_name(evs_vocab_kind k)
{
    return (unsigned)k < EVS_VOCABS ? vocab_names[k] : "?";
}

int evs_vocab_roles(evs_vocab_kind k)
{
    switch (k) {
    case EVS_VOCAB_DESIGN:
        return EVS_DESIGN_ROLES;
    case EVS_VOCAB_COMPARATOR:
        return EVS_COMPARATOR_ROLES;
    case EVS_VOCAB_SETTING:
        return EVS_SETTING_ROLES;
    default:
        return 0;
    }
}

const char *evs_vocab_role_name(evs_vocab_kind k, int role)
{
    if (role < 0 || role >= evs_vocab_roles(k))
        return "?";
    switch (k) {
    case EVS_VOCAB_DESIGN:
        return design_roles[role];
    case EVS_VOCAB_COMPARATOR:
        return comparator_roles[role];
    default:
        return setting_roles[role];
    }
}

const char *evs_design_role_name(evs_design_role r)
{
    return evs_vocab_role_name(EVS_VOCAB_DESIGN, (int)r);
}

const char *evs_comparator_role_name(evs_comparator_role r)
{
    return evs_vocab_role_name(EVS_VOCAB_COMPARATOR, (int)r);
}

const char *evs_setting_role_name(evs_setting_role r)
{
    return evs_vocab_role_name(EVS_VOCAB_SETTING, (int)r);
}

bool evs_role_from_name(evs_vocab_kind k, const char *name, int *role)
{
    for (int i = 0; i < evs_vocab_roles(k); i++)
        if (strcmp(evs_vocab_role_name(k, i), name) == 0) {
            *role = i;
            return true;
        }
    return false;
}

const evs_class *evs_review_class(const evs_review *r, evs_vocab_kind k, size_t i)
{
    return &r->vocab[k].items[i];
}

size_t evs_review_find_class(const evs_review *r, evs_vocab_kind k, const char *id)
{
    for (size_t i = 0; i < r->vocab[k].n; i++)
        if (strcmp(r->vocab[k].items[i].id, id) == 0)
            return i;
    return EVS_NO_CLASS;
}

static size_t add_class(evs_review *r, evs_vocab_kind k, const char *id, const char *label,
                        int role)
{
    evs_vocabulary *v = &r->vocab[k];
    if (v->n == EVS_MAX_CLASSES)
        return EVS_NO_CLASS;
    evs_class *c = &v->items[v->n];
    memset(c, 0, sizeof *c);
    c->id = strdup(id);
    c->label = strdup(label);
    if (c->id == NULL || c->label == NULL) {
        free(c->id);
        free(c->label);
        return EVS_NO_CLASS;
    }
    c->role = role;
    c->in_question = true;
    return v->n++;
}

size_t evs_review_add_class(evs_review *r, evs_vocab_kind k, const char *id)
{
    return add_class(r, k, id, id, 0);
}

/*
 * The defaults: the designs and comparators evsynth has always known, and
 * one comparator class for each role.  Usual care is the established
 * alternative unless a review says otherwise; no population is assumed.
 */
bool evs_review_default_vocabulary(evs_review *r, evs_vocab_kind k)
{
    static const struct {
        const char *id, *label;
        int role;
        bool retrospective;
    } designs[] = {
        {"randomised", "randomised trial", EVS_DESIGN_RANDOMISED, false},
        {"prospective_comparative", "prospective comparative study", EVS_DESIGN_COMPARATIVE, false},
        {"retrospective_comparative", "retrospective comparative study", EVS_DESIGN_COMPARATIVE,
         true},
        {"prospective_single_arm", "prospective single-arm study", EVS_DESIGN_UNCONTROLLED, false},
        {"retrospective_series", "retrospective series", EVS_DESIGN_UNCONTROLLED, true},
        {"case_series", "case series", EVS_DESIGN_UNCONTROLLED, false},
        {"case_report", "case report", EVS_DESIGN_UNCONTROLLED, false},
        {"systematic_review", "systematic review", EVS_DESIGN_BENCHMARK, false},
    };
    static const struct {
        const char *id, *label;
        int role;
    } comparators[] = {
        {"none", "no control group", EVS_COMPARATOR_NONE},
        {"sham", "sham procedure", EVS_COMPARATOR_SHAM},
        {"placebo", "placebo", EVS_COMPARATOR_SHAM},
        {"no_treatment", "no treatment", EVS_COMPARATOR_NO_TREATMENT},
        {"usual_care", "usual care", EVS_COMPARATOR_USUAL_CARE},
        {"nonsurgical", "non-surgical care", EVS_COMPARATOR_USUAL_CARE},
        {"active", "another active treatment", EVS_COMPARATOR_ACTIVE},
    };
    static const struct {
        const char *id, *label;
        int role;
    } settings[] = {
        {"trial", "investigational trial setting", EVS_SETTING_TRIAL},
        {"usual_practice", "usual practice", EVS_SETTING_USUAL_PRACTICE},
    };
    evs_vocabulary *v = &r->vocab[k];
    v->declared = false;
    switch (k) {
    case EVS_VOCAB_DESIGN:
        for (size_t i = 0; i < sizeof designs / sizeof designs[0]; i++) {
            size_t c = add_class(r, k, designs[i].id, designs[i].label, designs[i].role);
            if (c == EVS_NO_CLASS)
                return false;
            v->items[c].retrospective = designs[i].retrospective;
        }
        break;
    case EVS_VOCAB_COMPARATOR:
        for (size_t i = 0; i < sizeof comparators / sizeof comparators[0]; i++) {
            size_t c = add_class(r, k, comparators[i].id, comparators[i].label,
                                 comparators[i].role);
            if (c == EVS_NO_CLASS)
                return false;
            v->items[c].established = comparators[i].role == EVS_COMPARATOR_USUAL_CARE;
        }
        break;
    case EVS_VOCAB_SETTING:
        for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
            if (add_class(r, k, settings[i].id, settings[i].label, settings[i].role) ==
                EVS_NO_CLASS)
                return false;
        break;
    default:
        v->open = true;
    }
    return true;
}

static const char *const study_orders[EVS_ORDER_COUNT] = {"year", "label", "effect", "weight",
                                                          "file"};

const char *evs_study_order_name(evs_study_order o)
{
    return o < EVS_ORDER_COUNT ? study_orders[o] : "?";
}

bool evs_study_order_from_name(const char *name, evs_study_order *o)
{
    for (int i = 0; i < EVS_ORDER_COUNT; i++)
        if (strcmp(name, study_orders[i]) == 0) {
            *o = (evs_study_order)i;
            return true;
        }
    return false;
}

bool evs_outcome_binary(const evs_outcome_spec *o)
{
    return o->type == EVS_OUTCOME_PROPORTION ||
           (o->type == EVS_OUTCOME_DIFFERENCE &&
            (o->measure == EVS_MEASURE_RR || o->measure == EVS_MEASURE_OR ||
             o->measure == EVS_MEASURE_RD));
}
