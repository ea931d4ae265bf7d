/*
 * appraisal_io.c -- reading and checking appraisal.csv (see appraisal_io.h).
 *
 * Each row is checked where it stands (a known study, tool, domain and
 * judgement, supporting text); rows are then gathered into appraisals, one
 * per study, tool and outcome, which must be complete (every domain and one
 * overall), fit the study's design, and give an overall that the tool's rule
 * allows (review/appraisal.h).  Last, every included study must be appraised
 * or listed as not appraised.
 */
#include "io/appraisal_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/table.h"

enum { A_STUDY, A_TOOL, A_DOMAIN, A_JUDGEMENT, A_SUPPORT, A_OUTCOME, A_SOURCE, A_URL, A_NOTE,
       A_COUNT };

static const evs_column_spec columns[A_COUNT] = {
    {"study", true},   {"tool", true},   {"domain", true}, {"judgement", true},
    {"support", true}, {"outcome", false}, {"source", false}, {"url", false},
    {"note", false},
};

typedef struct reader {
    const evs_table *t;
    const evs_review *rv;
    evs_evidence *ev;
    evs_problems *problems;
    evs_appraisal *a;
    long col[A_COUNT];
    size_t row;
    bool oom;
} reader;

#define cell_problem(r, col, ...) \
    evs_table_problem((r)->problems, (r)->t, (r)->row, (col), __VA_ARGS__)

static const char *cell(const reader *r, long col)
{
    return col >= 0 ? evs_table_cell(r->t, r->row, (size_t)col) : "";
}

static const char *keep(reader *r, long col)
{
    const char *s = evs_evidence_strdup(r->ev, cell(r, col));
    if (s == NULL)
        r->oom = true;
    return s ? s : "";
}

/* "low, some_concerns, high, no_information": the judgements in mask. */
static void judgement_list(unsigned mask, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (int j = 0; j < EVS_ROB_JUDGEMENTS; j++)
        if (mask & (1u << j)) {
            strncat(buf, buf[0] ? ", " : "", cap - strlen(buf) - 1);
            strncat(buf, evs_rob_judgement_name((evs_rob_judgement)j), cap - strlen(buf) - 1);
        }
}

static evs_rob_entry *entry_for(reader *r, size_t study, evs_rob_tool tool, long outcome)
{
    evs_appraisal *a = r->a;
    for (size_t i = 0; i < a->n; i++) {
        evs_rob_entry *e = &a->entries[i];
        if (e->study == study && e->tool == tool && e->outcome == outcome)
            return e;
    }
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 32;
        evs_rob_entry *p = realloc(a->entries, cap * sizeof *p);
        if (p == NULL) {
            r->oom = true;
            return NULL;
        }
        a->entries = p;
        a->cap = cap;
    }
    evs_rob_entry *e = &a->entries[a->n++];
    memset(e, 0, sizeof *e);
    e->study = study;
    e->tool = tool;
    e->outcome = outcome;
    e->line = evs_table_line(r->t, r->row);
    return e;
}

static void read_row(reader *r)
{
    const long *col = r->col;
    char list[300];

    const char *id = cell(r, col[A_STUDY]);
    long study = evs_evidence_find(r->ev, id);
    if (study < 0) {
        cell_problem(r, col[A_STUDY], "unknown study id \"%s\"", id);
        return;
    }
    const evs_study *st = &r->ev->studies[study];
    if (st->parent >= 0) {
        cell_problem(r, col[A_STUDY], "%s is an arm of %s: appraise the whole study", id,
                     r->ev->studies[st->parent].id);
        return;
    }

    evs_rob_tool tool;
    const char *tool_name = cell(r, col[A_TOOL]);
    if (!evs_rob_tool_from_name(tool_name, &tool)) {
        cell_problem(r, col[A_TOOL],
                     "tool \"%s\" is not one of: rob2, robins_i, jbi_case_series, none",
                     tool_name);
        return;
    }
    const evs_rob_tool_info *info = evs_rob_tool_get(tool);

    long outcome = -1;
    const char *oc = cell(r, col[A_OUTCOME]);
    if (oc[0] != '\0') {
        outcome = evs_review_find_outcome(r->rv, oc);
        if (outcome < 0) {
            cell_problem(r, col[A_OUTCOME],
                         "outcome \"%s\" is not an [outcome.NAME] of review.ini (leave it "
                         "empty for every outcome)",
                         oc);
            return;
        }
    }

    const char *dom = cell(r, col[A_DOMAIN]);
    long d = -1;
    if (strcmp(dom, "overall") != 0) {
        for (size_t j = 0; j < info->ndomains && d < 0; j++)
            if (strcmp(info->ids[j], dom) == 0)
                d = (long)j;
        if (d < 0) {
            if (info->ndomains == 0)
                cell_problem(r, col[A_DOMAIN],
                             "a study listed as not appraised (tool none) has only an overall "
                             "row, not \"%s\"",
                             dom);
            else
                cell_problem(r, col[A_DOMAIN], "domain \"%s\" is not one of: %s to %s, overall (%s)",
                             dom, info->ids[0], info->ids[info->ndomains - 1], info->label);
            return;
        }
    }

    const char *jname = cell(r, col[A_JUDGEMENT]);
    unsigned allowed = d >= 0 ? info->domain_judgements : info->overall_judgements;
    evs_rob_judgement j;
    if (!evs_rob_judgement_from_name(jname, &j) || !(allowed & (1u << j))) {
        judgement_list(allowed, list, sizeof list);
        cell_problem(r, col[A_JUDGEMENT], "judgement \"%s\" is not one of: %s (%s %s)", jname,
                     list, info->label,
                     d < 0 ? "overall" : tool == EVS_ROB_TOOL_JBI_CASE_SERIES ? "items" : "domains");
        return;
    }

    evs_rob_cell c = {.judgement = j, .line = evs_table_line(r->t, r->row)};
    c.support = keep(r, col[A_SUPPORT]);
    c.url = keep(r, col[A_URL]);
    if (c.support[0] == '\0')
        cell_problem(r, col[A_SUPPORT],
                     tool == EVS_ROB_TOOL_NONE
                         ? "support: say why the study is not appraised"
                         : "support: give the text the judgement rests on (a quote, or what "
                           "the source does not say)");
    const char *source = cell(r, col[A_SOURCE]);
    if (strcmp(source, "secondary") == 0)
        c.secondary = true;
    else if (source[0] != '\0' && strcmp(source, "primary") != 0)
        cell_problem(r, col[A_SOURCE], "source \"%s\" is not primary or secondary", source);

    evs_rob_entry *e = entry_for(r, (size_t)study, tool, outcome);
    if (e == NULL)
        return;
    evs_rob_cell *slot = d >= 0 ? &e->domain[d] : &e->overall;
    if (slot->line != 0) {
        cell_problem(r, col[A_DOMAIN], "%s of %s%s%s (%s) is also on line %ld",
                     d >= 0 ? info->ids[d] : "the overall", id, outcome >= 0 ? " for " : "",
                     outcome >= 0 ? r->rv->outcomes[outcome].id : "", info->label, slot->line);
        return;
    }
    *slot = c;
}

/* Why the rule gives what it gives: "some concerns in D2 and D4". */
static void rule_reason(const evs_rob_entry *e, const evs_rob_settings *s, char *buf,
                        size_t cap)
{
    const evs_rob_overall *o = &e->rule;
    char ids[100];
    evs_rob_domain_list(e->tool, o->worst, ids, sizeof ids);
    if (e->tool == EVS_ROB_TOOL_JBI_CASE_SERIES) {
        snprintf(buf, cap, "%zu of %zu applicable items yes", o->yes, o->applicable);
        return;
    }
    if (o->judgement == EVS_ROB_LOW) {
        snprintf(buf, cap, "every domain low");
        return;
    }
    if (o->by_setting) {
        snprintf(buf, cap, "some concerns in %s, at least rob2_some_concerns_high = %g", ids,
                 s->rob2_some_concerns_high);
        return;
    }
    char what[40];
    snprintf(what, sizeof what, "%s", evs_rob_judgement_label(o->judgement));
    what[0] = (char)(what[0] - 'A' + 'a');
    snprintf(buf, cap, "%s in %s", what, ids);
}

static void check_entry(reader *r, evs_rob_entry *e)
{
    const evs_rob_tool_info *info = evs_rob_tool_get(e->tool);
    const evs_study *st = &r->ev->studies[e->study];
    const char *file = evs_table_source(r->t);
    const char *for_outcome = e->outcome >= 0 ? r->rv->outcomes[e->outcome].id : NULL;
    char scope[200];
    snprintf(scope, sizeof scope, "%s%s%s", st->id, for_outcome ? " for " : "",
             for_outcome ? for_outcome : "");

    /* The tool for the design's role (a design the check refused has none). */
    if (st->design < r->rv->vocab[EVS_VOCAB_DESIGN].n) {
        const evs_class *design = evs_review_class(r->rv, EVS_VOCAB_DESIGN, st->design);
        bool randomised = design->role == EVS_DESIGN_RANDOMISED;
        if (e->tool == EVS_ROB_TOOL_ROB2 && !randomised)
            evs_problems_add(r->problems, EVS_EDATA, file, e->line, r->col[A_TOOL] + 1,
                             "RoB 2 is for randomised trials; %s is %s (use robins_i or "
                             "jbi_case_series)",
                             st->id, design->id);
        if (e->tool != EVS_ROB_TOOL_ROB2 && e->tool != EVS_ROB_TOOL_NONE && randomised)
            evs_problems_add(r->problems, EVS_EDATA, file, e->line, r->col[A_TOOL] + 1,
                             "%s is randomised: appraise it with rob2, not %s", st->id,
                             info->name);
    }

    unsigned missing = 0;
    for (size_t j = 0; j < info->ndomains; j++)
        if (e->domain[j].line == 0)
            missing |= 1u << j;
    if (missing) {
        char ids[100];
        evs_rob_domain_list(e->tool, missing, ids, sizeof ids);
        evs_problems_add(r->problems, EVS_EDATA, file,
                         e->overall.line != 0 ? e->overall.line : e->line, r->col[A_DOMAIN] + 1,
                         "the appraisal of %s (%s) lacks %s", scope, info->label, ids);
    }
    if (e->overall.line == 0) {
        evs_problems_add(r->problems, EVS_EDATA, file, e->line, r->col[A_DOMAIN] + 1,
                         "the appraisal of %s (%s) has no overall row", scope, info->label);
        return;
    }
    if (missing)
        return;
    evs_rob_judgement d[EVS_ROB_MAX_DOMAINS];
    for (size_t j = 0; j < info->ndomains; j++)
        d[j] = e->domain[j].judgement;
    evs_rob_overall_rule(e->tool, d, &r->rv->rob, &e->rule);
    if (e->tool == EVS_ROB_TOOL_JBI_CASE_SERIES && e->rule.applicable == 0) {
        evs_problems_add(r->problems, EVS_EDATA, file, e->line, r->col[A_JUDGEMENT] + 1,
                         "every item of the appraisal of %s (%s) is not_applicable", scope,
                         info->label);
        return;
    }
    e->agreement = evs_rob_overall_check(e->tool, d, &e->rule, e->overall.judgement);
    if (e->agreement == EVS_ROB_CONTRADICTS) {
        char why[300];
        rule_reason(e, &r->rv->rob, why, sizeof why);
        evs_problems_add(r->problems, EVS_EDATA, file, e->overall.line,
                         r->col[A_JUDGEMENT] + 1,
                         "overall \"%s\" contradicts %s's rule, which gives \"%s\" (%s)",
                         evs_rob_judgement_name(e->overall.judgement), info->label,
                         evs_rob_judgement_name(e->rule.judgement), why);
    }
}

/* Across appraisals: "none" alone, and every included study covered. */
static void check_coverage(reader *r)
{
    const evs_appraisal *a = r->a;
    const char *file = evs_table_source(r->t), *base = strrchr(file, '/');
    base = base != NULL ? base + 1 : file;
    for (size_t i = 0; i < a->n; i++) {
        const evs_rob_entry *e = &a->entries[i];
        if (e->tool != EVS_ROB_TOOL_NONE)
            continue;
        for (size_t j = 0; j < a->n; j++)
            if (j != i && a->entries[j].study == e->study &&
                a->entries[j].tool != EVS_ROB_TOOL_NONE) {
                evs_problems_add(r->problems, EVS_EDATA, file, e->line, r->col[A_TOOL] + 1,
                                 "%s is listed as not appraised but appraised with %s on line "
                                 "%ld",
                                 r->ev->studies[e->study].id,
                                 evs_rob_tool_get(a->entries[j].tool)->name,
                                 a->entries[j].line);
                break;
            }
    }
    for (size_t s = 0; s < r->ev->nstudies; s++) {
        const evs_study *st = &r->ev->studies[s];
        if (st->parent >= 0 || !st->included)
            continue;
        bool found = false;
        for (size_t i = 0; i < a->n && !found; i++)
            found = a->entries[i].study == s;
        if (!found)
            evs_problems_add(r->problems, EVS_EDATA, r->ev->studies_file, st->line, 1,
                             "%s is included but %s neither appraises it nor lists it as not "
                             "appraised (tool none)",
                             st->id, base);
    }
}

evs_appraisal *evs_appraisal_read(const char *path, const evs_review *rv, evs_evidence *ev,
                                  evs_problems *problems)
{
    evs_error err;
    evs_error_clear(&err);
    evs_table *t = evs_table_read(path, &err);
    if (t == NULL) {
        evs_problems_add_error(problems, &err);
        return NULL;
    }
    size_t before = problems->n;
    reader r = {.t = t, .rv = rv, .ev = ev, .problems = problems};
    r.a = calloc(1, sizeof *r.a);
    if (r.a == NULL) {
        r.oom = true;
        goto done;
    }
    r.a->file = evs_evidence_strdup(ev, evs_table_source(t));
    evs_table_columns(r.t, columns, A_COUNT, r.col, r.problems);
    for (size_t j = 0; j < A_COUNT; j++)
        if (columns[j].required && r.col[j] < 0)
            goto done;
    for (r.row = 0; r.row < evs_table_nrows(t) && !r.oom; r.row++)
        read_row(&r);
    for (size_t i = 0; i < r.a->n && !r.oom; i++)
        check_entry(&r, &r.a->entries[i]);
    if (!r.oom)
        check_coverage(&r);
done:
    if (r.oom)
        evs_problems_add(problems, EVS_ENOMEM, path, 0, 0, "out of memory");
    evs_table_free(t);
    if (problems->n > before) {
        evs_appraisal_free(r.a);
        return NULL;
    }
    return r.a;
}
