/*
 * report_rob.c -- risk of bias in the report (see report.h): the sentence
 * of the GRADE risk-of-bias domain from the appraisals, the risk-of-bias
 * section (a table per tool with the text each judgement rests on, and the
 * figures), the methods paragraph, every appraisal in results.json, and the
 * figures as robvis draws them.  The rules are in src/review/appraisal.c;
 * this file only says and shows what they found.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/meta_json.h"
#include "report/numfmt.h"
#include "report/plot_canvas.h"
#include "report/report.h"
#include "plot_rows.h"
#include "report_internal.h"

/* ---------------------------------------------------------------------------
 * The GRADE domain in words
 */

/*
 * A share in percent, whole (numfmt.h) unless rounding would put it on the
 * other side of the threshold it is compared with: 49.6% against 50% is
 * "49.6%", not "50%".
 */
static void share_text(double x, double threshold, char *buf, size_t cap)
{
    evs_num_share(x, buf, cap);
    for (int digits = 1; digits <= 3; digits++) {
        double shown = strtod(buf, NULL);
        if ((shown >= threshold) == (x >= threshold))
            return;
        char num[EVS_NUM_TEXT];
        snprintf(buf, cap, "%s%%", evs_num_fixed(x, digits, num, sizeof num));
    }
}

/* A threshold as written in review.ini: "50%". */
static void threshold_text(double x, char *buf, size_t cap)
{
    char num[EVS_NUM_TEXT];
    snprintf(buf, cap, "%s%%", evs_num_setting(x, num, sizeof num));
}

/* "D2 and D4", or by tool when several: "RoB 2 D2 and D4; ROBINS-I D1". */
static void domains_text(const evs_rob_grade *g, char *buf, size_t cap)
{
    size_t tools = 0, len = 0;
    for (int t = 0; t < EVS_ROB_TOOLS; t++)
        tools += g->domains[t] != 0;
    buf[0] = '\0';
    for (int t = 0; t < EVS_ROB_TOOLS && len < cap; t++) {
        if (g->domains[t] == 0)
            continue;
        char ids[120];
        evs_rob_domain_list((evs_rob_tool)t, g->domains[t], ids, sizeof ids);
        int w = tools > 1 ? snprintf(buf + len, cap - len, "%s%s %s", len ? "; " : "",
                                     evs_rob_tool_get((evs_rob_tool)t)->label, ids)
                          : snprintf(buf + len, cap - len, "%s", ids);
        if (w < 0)
            return;
        len += (size_t)w;
    }
}

static size_t total_rows(const evs_rob_grade *g)
{
    size_t n = 0;
    for (int l = 0; l < EVS_ROB_LEVELS; l++)
        n += g->count[l];
    return n;
}

void evs_text_rob_grade(const evs_rob_grade *g, evs_buf *b)
{
    const double *sh = g->share;
    const size_t *n = g->count;
    size_t k = total_rows(g);
    double high = sh[EVS_ROB_LEVEL_HIGH] + sh[EVS_ROB_LEVEL_CRITICAL];
    size_t nhigh = n[EVS_ROB_LEVEL_HIGH] + n[EVS_ROB_LEVEL_CRITICAL];
    double unknown = sh[EVS_ROB_LEVEL_NO_INFO] + sh[EVS_ROB_LEVEL_NOT_ASSESSED];
    char x[32], t[32], doms[300];
    domains_text(g, doms, sizeof doms);
    const char *colon = doms[0] ? ": " : "";

    if (g->why & EVS_ROB_GRADE_CRITICAL) {
        share_text(sh[EVS_ROB_LEVEL_CRITICAL], g->critical_share, x, sizeof x);
        threshold_text(g->critical_share, t, sizeof t);
        evs_buf_printf(b, "%s of the weight (%zu of %zu %s) from studies at critical risk of "
                          "bias (threshold %s)%s%s",
                       x, n[EVS_ROB_LEVEL_CRITICAL], k, k == 1 ? "study" : "studies", t, colon, doms);
    } else if (g->why & EVS_ROB_GRADE_HIGH) {
        share_text(high, g->high_share, x, sizeof x);
        threshold_text(g->high_share, t, sizeof t);
        evs_buf_printf(b, "%s of the weight (%zu of %zu %s) from studies at high risk of "
                          "bias (threshold %s)%s%s",
                       x, nhigh, k, k == 1 ? "study" : "studies", t, colon, doms);
    } else if (g->why & EVS_ROB_GRADE_UNCLEAR) {
        share_text(high + unknown, g->unclear_share, x, sizeof x);
        threshold_text(g->unclear_share, t, sizeof t);
        evs_buf_printf(b, "%s of the weight (%zu of %zu %s) from studies at high risk of "
                          "bias or without a judgement (threshold %s):",
                       x, nhigh + n[EVS_ROB_LEVEL_NO_INFO] + n[EVS_ROB_LEVEL_NOT_ASSESSED], k,
                       k == 1 ? "study" : "studies", t);
        const char *sep = " ";
        if (nhigh > 0) {
            share_text(high, g->high_share, x, sizeof x);
            evs_buf_printf(b, "%shigh %s%s%s%s", sep, x, doms[0] ? " (" : "", doms,
                           doms[0] ? ")" : "");
            sep = ", ";
        }
        if (n[EVS_ROB_LEVEL_NO_INFO] > 0) {
            evs_num_share(sh[EVS_ROB_LEVEL_NO_INFO], x, sizeof x);
            evs_buf_printf(b, "%sno information %s", sep, x);
            sep = ", ";
        }
        if (n[EVS_ROB_LEVEL_NOT_ASSESSED] > 0) {
            evs_num_share(sh[EVS_ROB_LEVEL_NOT_ASSESSED], x, sizeof x);
            evs_buf_printf(b, "%snot assessed %s", sep, x);
        }
    } else {
        char lo[32], co[32], hi[32], un[32], th[32], tu[32];
        evs_num_share(sh[EVS_ROB_LEVEL_LOW], lo, sizeof lo);
        evs_num_share(sh[EVS_ROB_LEVEL_CONCERNS], co, sizeof co);
        share_text(high, g->high_share, hi, sizeof hi);
        share_text(unknown, g->unclear_share - high, un, sizeof un);
        threshold_text(g->high_share, th, sizeof th);
        threshold_text(g->unclear_share, tu, sizeof tu);
        evs_buf_printf(b, "%s of the weight from studies at low risk of bias, %s with some "
                          "concerns or at moderate risk, %s at high risk, %s without a "
                          "judgement: below the thresholds (%s at high risk; %s at high risk or "
                          "without a judgement)",
                       lo, co, hi, unknown > 0 ? un : "none", th, tu);
    }
    if (!(g->why & EVS_ROB_GRADE_UNCLEAR) && n[EVS_ROB_LEVEL_NOT_ASSESSED] > 0) {
        evs_num_share(sh[EVS_ROB_LEVEL_NOT_ASSESSED], x, sizeof x);
        evs_buf_printf(b, "; %s of the weight (%zu %s) not assessed", x,
                       n[EVS_ROB_LEVEL_NOT_ASSESSED],
                       n[EVS_ROB_LEVEL_NOT_ASSESSED] == 1 ? "study" : "studies");
    }
}

/* ---------------------------------------------------------------------------
 * The risk-of-bias section of the report
 */

/* An appraisal of an included study, for the tables and figures. */
static bool shown(const evs_synthesis *s, const evs_rob_entry *e)
{
    return s->ev->studies[e->study].included;
}

void evs_rob_entry_label(const evs_synthesis *s, const evs_rob_entry *e, char *buf, size_t cap)
{
    const char *study = s->ev->studies[e->study].label;
    if (e->outcome >= 0)
        snprintf(buf, cap, "%s (%s)", study, s->rv->outcomes[e->outcome].label);
    else
        snprintf(buf, cap, "%s", study);
}

/* "some concerns": a judgement's label inside a sentence. */
static void lower_label(evs_rob_judgement j, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", evs_rob_judgement_label(j));
    if (buf[0] >= 'A' && buf[0] <= 'Z')
        buf[0] = (char)(buf[0] - 'A' + 'a');
}

/* "High", "High (reviewer; the rule gives some concerns)". */
static void overall_text(const evs_rob_entry *e, char *buf, size_t cap)
{
    if (e->agreement == EVS_ROB_REVIEWER) {
        char rule[40];
        lower_label(e->rule.judgement, rule, sizeof rule);
        snprintf(buf, cap, "%s (reviewer; the rule gives %s)",
                 evs_rob_judgement_label(e->overall.judgement), rule);
    } else {
        snprintf(buf, cap, "%s", evs_rob_judgement_label(e->overall.judgement));
    }
}

/* One judgement and its support: "D1 low: <support> (secondary source)." */
static void support_text(const char *id, const evs_rob_cell *c, evs_buf *b)
{
    evs_buf_printf(b, "%s%s %s: %s%s", b->len ? " " : "", id,
                   evs_rob_judgement_name(c->judgement), c->support,
                   c->secondary ? " (secondary source)" : "");
    size_t n = strlen(c->support);
    if (c->secondary || (n > 0 && strchr(".!?", c->support[n - 1]) == NULL))
        evs_buf_add(b, ".");
}

static void tool_table(const evs_synthesis *s, evs_rob_tool t, const evs_figure_list *figs,
                       bool figures, evs_doc *d)
{
    const evs_appraisal *a = s->ev->appraisal;
    const evs_rob_tool_info *info = evs_rob_tool_get(t);
    size_t n = 0, by[EVS_ROB_JUDGEMENTS] = {0};
    for (size_t i = 0; i < a->n; i++)
        if (a->entries[i].tool == t && shown(s, &a->entries[i])) {
            n++;
            by[a->entries[i].overall.judgement]++;
        }
    if (n == 0)
        return;
    evs_doc_heading(d, 3, "%s (%s)", info->label, info->citation);
    char counts[400] = "";
    size_t len = 0;
    for (int j = 0; j < EVS_ROB_JUDGEMENTS; j++)
        if (by[j] > 0 && len < sizeof counts) {
            char lab[40];
            lower_label((evs_rob_judgement)j, lab, sizeof lab);
            int w = snprintf(counts + len, sizeof counts - len, "%s%zu %s", len ? ", " : "",
                             by[j], lab);
            if (w > 0)
                len += (size_t)w;
        }
    size_t studies = 0;
    for (size_t i = 0; i < a->n; i++) {
        const evs_rob_entry *e = &a->entries[i];
        bool first = e->tool == t && shown(s, e);
        for (size_t j = 0; j < i && first; j++)
            first = !(a->entries[j].tool == t && a->entries[j].study == e->study);
        studies += first;
    }
    if (studies == n)
        evs_doc_para(d, NULL, "%zu %s appraised; overall risk of bias: %s.", n,
                     n == 1 ? "study" : "studies", counts);
    else
        evs_doc_para(d, NULL,
                     "%zu appraisals of %zu studies (some for one outcome); overall risk of "
                     "bias: %s.",
                     n, studies, counts);

    /* Study, the domains, overall; each cell's support on hover in the HTML. */
    size_t ncols = info->ndomains + 2;
    const char *head[EVS_ROB_MAX_DOMAINS + 2];
    head[0] = "Study";
    for (size_t j = 0; j < info->ndomains; j++)
        head[j + 1] = info->ids[j];
    head[ncols - 1] = "Overall";
    evs_doc_table(d, ncols, 0, head);
    for (size_t i = 0; i < a->n; i++) {
        const evs_rob_entry *e = &a->entries[i];
        if (e->tool != t || !shown(s, e))
            continue;
        char label[400], overall[120];
        const char *cells[EVS_ROB_MAX_DOMAINS + 2], *notes[EVS_ROB_MAX_DOMAINS + 2];
        evs_rob_entry_label(s, e, label, sizeof label);
        overall_text(e, overall, sizeof overall);
        cells[0] = label;
        notes[0] = NULL;
        for (size_t j = 0; j < info->ndomains; j++) {
            cells[j + 1] = evs_rob_judgement_label(e->domain[j].judgement);
            notes[j + 1] = e->domain[j].support;
        }
        cells[ncols - 1] = overall;
        notes[ncols - 1] = e->overall.support;
        evs_doc_row_notes(d, cells, notes);
    }
    evs_buf legend;
    evs_buf_init(&legend);
    for (size_t j = 0; j < info->ndomains; j++)
        evs_buf_printf(&legend, "%s%s: %s", j ? "; " : "", info->ids[j], info->labels[j]);
    evs_doc_para(d, NULL, "%s.", legend.data ? legend.data : "");
    evs_buf_free(&legend);

    for (size_t i = 0; figures && i < figs->n; i++) {
        const evs_figure *f = &figs->items[i];
        if ((f->kind == EVS_FIGURE_ROB_TRAFFIC || f->kind == EVS_FIGURE_ROB_SUMMARY) &&
            f->index == (size_t)t)
            evs_doc_figure(d, f->name, "%s", f->caption);
    }

    /* What each judgement rests on, study by study. */
    evs_doc_para(d, "Support for the judgements", "(from appraisal.csv, with its sources):");
    evs_buf b;
    evs_buf_init(&b);
    for (size_t i = 0; i < a->n; i++) {
        const evs_rob_entry *e = &a->entries[i];
        if (e->tool != t || !shown(s, e))
            continue;
        char label[400];
        evs_rob_entry_label(s, e, label, sizeof label);
        evs_buf_clear(&b);
        for (size_t j = 0; j < info->ndomains; j++)
            support_text(info->ids[j], &e->domain[j], &b);
        support_text("Overall", &e->overall, &b);
        char lead[420];
        snprintf(lead, sizeof lead, "%s:", label);
        evs_doc_item(d, lead, "%s", b.data ? b.data : "");
    }
    evs_buf_free(&b);
}

void evs_report_rob_section(const evs_synthesis *s, const evs_figure_list *figs, bool figures,
                            evs_doc *d)
{
    const evs_appraisal *a = s->ev->appraisal;
    evs_doc_heading(d, 2, "Risk of bias in the included studies");
    if (a == NULL) {
        evs_doc_para(d, NULL,
                     "The risk of bias was not assessed per study: the review folder has no "
                     "appraisal.csv. The GRADE risk-of-bias domain rests on the study designs "
                     "and says so (Methods).");
        return;
    }
    size_t tools[EVS_ROB_TOOLS + 1] = {0}; /* studies per tool */
    for (size_t i = 0; i < a->n; i++) {
        const evs_rob_entry *e = &a->entries[i];
        bool first = shown(s, e);
        for (size_t j = 0; j < i && first; j++)
            first = !(a->entries[j].tool == e->tool && a->entries[j].study == e->study);
        tools[e->tool] += first;
    }
    evs_buf b;
    evs_buf_init(&b);
    size_t ntools = 0, done = 0;
    for (int t = 0; t < EVS_ROB_TOOLS; t++)
        ntools += tools[t] > 0;
    for (int t = 0; t < EVS_ROB_TOOLS; t++)
        if (tools[t] > 0) {
            evs_buf_printf(&b, "%s%s (%zu %s)",
                           done == 0 ? "" : done + 1 == ntools ? " and " : ", ",
                           evs_rob_tool_get((evs_rob_tool)t)->label, tools[t],
                           tools[t] == 1 ? "study" : "studies");
            done++;
        }
    char none[80] = "";
    if (tools[EVS_ROB_TOOL_NONE] > 0)
        snprintf(none, sizeof none, "; %zu %s not appraised (below)", tools[EVS_ROB_TOOL_NONE],
                 tools[EVS_ROB_TOOL_NONE] == 1 ? "study is" : "studies are");
    evs_doc_para(d, NULL,
                 "The review team appraised the included studies with %s%s. Each judgement "
                 "rests on the text recorded with it. The overall judgements follow each tool's "
                 "rule (Methods); \"reviewer\" marks an overall that the tool leaves to the "
                 "reviewer's judgement, shown with what the rule gives.",
                 b.len ? b.data : "no tool", none);
    for (int t = 0; t < EVS_ROB_TOOLS; t++)
        tool_table(s, (evs_rob_tool)t, figs, figures, d);
    if (tools[EVS_ROB_TOOL_NONE] > 0) {
        evs_doc_heading(d, 3, "Not appraised");
        for (size_t i = 0; i < a->n; i++) {
            const evs_rob_entry *e = &a->entries[i];
            if (e->tool != EVS_ROB_TOOL_NONE || !shown(s, e))
                continue;
            char label[400], lead[420];
            evs_rob_entry_label(s, e, label, sizeof label);
            snprintf(lead, sizeof lead, "%s:", label);
            size_t len = strlen(e->overall.support);
            evs_doc_item(d, lead, "%s%s", e->overall.support,
                         len > 0 && strchr(".!?", e->overall.support[len - 1]) ? "" : ".");
        }
    }
    evs_buf_free(&b);
}

void evs_report_rob_methods(const evs_synthesis *s, evs_doc *d)
{
    const evs_rob_settings *r = &s->rv->rob;
    if (s->ev->appraisal == NULL)
        return;
    char items[100] = "none";
    if (r->jbi_critical_items)
        evs_rob_domain_list(EVS_ROB_TOOL_JBI_CASE_SERIES, r->jbi_critical_items, items,
                            sizeof items);
    char concerns[120], v[6][EVS_NUM_TEXT];
    if (r->rob2_some_concerns_high >= 1)
        snprintf(concerns, sizeof concerns,
                 "this review applies it from %s domains with some concerns",
                 evs_num_setting(r->rob2_some_concerns_high, v[0], sizeof v[0]));
    else
        snprintf(concerns, sizeof concerns, "this review leaves it to the reviewer, trial by trial");
    evs_doc_para(d, "Risk-of-bias rules.",
                 "RoB 2 (Sterne et al. 2019, BMJ 366:l4898): low when every domain is low, high "
                 "when any domain is high, otherwise some concerns; RoB 2's high for \"some "
                 "concerns for multiple domains in a way that substantially lowers confidence\" "
                 "is a judgement: %s. ROBINS-I (Sterne et al. 2016, BMJ 355:i4919): the worst "
                 "domain, with \"no information\" when no domain is serious or critical and a "
                 "domain lacks information. JBI checklist for case series (Munn et al. 2020): "
                 "JBI gives no overall rule and asks each review for its own; this review's: "
                 "low when at least %s%% of the applicable items are answered yes, moderate "
                 "from %s%%, high below, and high for a no on a critical item (%s). An overall "
                 "where the tool leaves a judgement to the reviewer is marked as the reviewer's. "
                 "GRADE's risk-of-bias domain, per analysis, from the share of the analysis "
                 "weight (Cochrane Handbook 5.1, Table 12.2.d): -2 when at least %s%% is from "
                 "studies at critical risk; -1 when at least %s%% is at high risk (RoB 2 high, "
                 "ROBINS-I serious or critical, JBI high); -1 when at least %s%% is at high "
                 "risk or without a judgement (no information, or not assessed).",
                 concerns, evs_num_setting(r->jbi_low_share, v[1], sizeof v[1]),
                 evs_num_setting(r->jbi_moderate_share, v[2], sizeof v[2]), items,
                 evs_num_setting(s->rv->grade.rob_critical_share, v[3], sizeof v[3]),
                 evs_num_setting(s->rv->grade.rob_high_share, v[4], sizeof v[4]),
                 evs_num_setting(s->rv->grade.rob_unclear_share, v[5], sizeof v[5]));
}

/* ---------------------------------------------------------------------------
 * results.json
 */

static void put(json_t *o, const char *key, json_t *v, bool *ok)
{
    if (v == NULL || json_object_set_new(o, key, v) != 0)
        *ok = false;
}

static json_t *cell_json(const char *id, const char *label, const evs_rob_cell *c, bool *ok)
{
    json_t *x = json_object();
    if (id != NULL)
        put(x, "id", json_string(id), ok);
    if (label != NULL)
        put(x, "label", json_string(label), ok);
    put(x, "judgement", json_string(evs_rob_judgement_name(c->judgement)), ok);
    put(x, "support", json_string(c->support), ok);
    put(x, "source", json_string(c->secondary ? "secondary" : "primary"), ok);
    put(x, "url", c->url[0] ? json_string(c->url) : json_null(), ok);
    return x;
}

static json_t *ids_json(evs_rob_tool t, unsigned mask)
{
    json_t *arr = json_array();
    const evs_rob_tool_info *info = evs_rob_tool_get(t);
    for (size_t j = 0; j < info->ndomains; j++)
        if (mask & (1u << j))
            json_array_append_new(arr, json_string(info->ids[j]));
    return arr;
}

static const char *const level_names[EVS_ROB_LEVELS] = {
    "low", "some_concerns_or_moderate", "high", "critical", "no_information", "not_assessed"};

json_t *evs_rob_grade_json(const evs_rob_grade *g)
{
    bool ok = true;
    json_t *x = json_object(), *sh = json_object(), *n = json_object(), *dom = json_object();
    put(x, "applies", json_boolean(g->applies), &ok);
    put(x, "levels", json_integer(g->levels), &ok);
    put(x, "rule", g->why & EVS_ROB_GRADE_CRITICAL  ? json_string("critical")
                   : g->why & EVS_ROB_GRADE_HIGH    ? json_string("high")
                   : g->why & EVS_ROB_GRADE_UNCLEAR ? json_string("high_or_unknown")
                                                    : json_null(),
        &ok);
    for (int l = 0; l < EVS_ROB_LEVELS; l++) {
        put(sh, level_names[l], evs_json_number(g->share[l]), &ok);
        put(n, level_names[l], json_integer((json_int_t)g->count[l]), &ok);
    }
    put(x, "weight_share", sh, &ok);
    put(x, "studies", n, &ok);
    for (int t = 0; t < EVS_ROB_TOOLS; t++)
        if (g->domains[t])
            put(dom, evs_rob_tool_get((evs_rob_tool)t)->name,
                ids_json((evs_rob_tool)t, g->domains[t]), &ok);
    put(x, "high_risk_domains", dom, &ok);
    json_t *th = json_object();
    put(th, "rob_critical_share", evs_json_number(g->critical_share), &ok);
    put(th, "rob_high_share", evs_json_number(g->high_share), &ok);
    put(th, "rob_unclear_share", evs_json_number(g->unclear_share), &ok);
    put(x, "thresholds", th, &ok);
    if (!ok) {
        json_decref(x);
        return NULL;
    }
    return x;
}

json_t *evs_rob_row_json(const evs_synthesis *s, const evs_analysis *a, size_t m)
{
    long e = a->rob_entry != NULL ? a->rob_entry[m] : -1;
    if (e < 0)
        return json_pack("{s:s}", "overall", "not_assessed");
    const evs_rob_entry *x = &s->ev->appraisal->entries[e];
    return json_pack("{s:s,s:s}", "tool", evs_rob_tool_get(x->tool)->name, "overall",
                     evs_rob_judgement_name(x->overall.judgement));
}

json_t *evs_rob_json(const evs_synthesis *s)
{
    const evs_appraisal *a = s->ev->appraisal;
    const evs_rob_settings *rs = &s->rv->rob;
    bool ok = true;
    json_t *x = json_object(), *set = json_object();
    put(x, "file", a != NULL ? json_string("appraisal.csv") : json_null(), &ok);
    put(set, "rob2_some_concerns_high", evs_json_number(rs->rob2_some_concerns_high), &ok);
    put(set, "jbi_low_share", evs_json_number(rs->jbi_low_share), &ok);
    put(set, "jbi_moderate_share", evs_json_number(rs->jbi_moderate_share), &ok);
    put(set, "jbi_critical_items", ids_json(EVS_ROB_TOOL_JBI_CASE_SERIES, rs->jbi_critical_items),
        &ok);
    put(set, "rob_critical_share", evs_json_number(s->rv->grade.rob_critical_share), &ok);
    put(set, "rob_high_share", evs_json_number(s->rv->grade.rob_high_share), &ok);
    put(set, "rob_unclear_share", evs_json_number(s->rv->grade.rob_unclear_share), &ok);
    put(x, "settings", set, &ok);
    json_t *arr = json_array();
    for (size_t i = 0; a != NULL && i < a->n; i++) {
        const evs_rob_entry *e = &a->entries[i];
        const evs_rob_tool_info *info = evs_rob_tool_get(e->tool);
        const evs_study *st = &s->ev->studies[e->study];
        json_t *y = json_object(), *doms = json_array();
        put(y, "study", json_string(st->id), &ok);
        put(y, "label", json_string(st->label), &ok);
        put(y, "included", json_boolean(st->included), &ok);
        put(y, "tool", json_string(info->name), &ok);
        put(y, "outcome",
            e->outcome >= 0 ? json_string(s->rv->outcomes[e->outcome].id) : json_null(), &ok);
        for (size_t j = 0; j < info->ndomains; j++)
            json_array_append_new(doms,
                                  cell_json(info->ids[j], info->labels[j], &e->domain[j], &ok));
        put(y, "domains", doms, &ok);
        json_t *ov = cell_json(NULL, NULL, &e->overall, &ok);
        if (e->tool != EVS_ROB_TOOL_NONE) {
            put(ov, "rule_judgement", json_string(evs_rob_judgement_name(e->rule.judgement)),
                &ok);
            put(ov, "by", json_string(e->agreement == EVS_ROB_REVIEWER ? "reviewer" : "rule"),
                &ok);
            put(ov, "rule_domains", ids_json(e->tool, e->rule.worst), &ok);
            if (e->tool == EVS_ROB_TOOL_JBI_CASE_SERIES) {
                put(ov, "items_yes", json_integer((json_int_t)e->rule.yes), &ok);
                put(ov, "items_applicable", json_integer((json_int_t)e->rule.applicable), &ok);
                put(ov, "yes_share", evs_json_number(e->rule.yes_share), &ok);
            }
        }
        put(y, "overall", ov, &ok);
        json_array_append_new(arr, y);
    }
    put(x, "appraisals", arr, &ok);
    if (!ok) {
        json_decref(x);
        return NULL;
    }
    return x;
}

/* ---------------------------------------------------------------------------
 * Figures as robvis draws them (McGuinness & Higgins 2021, Res Synth Methods
 * 12:55-61): the traffic-light plot, studies by domains, a coloured disc
 * with the judgement's symbol in each cell; and the summary plot, one bar
 * per domain split by the share of the studies, weighted, at each
 * judgement.  Cochrane's colours, robvis's symbols.  Pages of pixels
 * (plot_canvas.h): every text, disc and box reaches gnuplot as data.
 */

static unsigned level_rgb(evs_rob_level l)
{
    static const unsigned rgb[EVS_ROB_LEVELS] = {
        0x02C100, /* low */
        0xE2DF07, /* some concerns, moderate */
        0xBF0000, /* high, serious */
        0x820000, /* critical */
        0x4EA1F7, /* no information */
        0xBBBBBB, /* not applicable, not assessed */
    };
    return rgb[l];
}

/* robvis's symbols: + low, - some concerns, X high, ! critical, ? no information. */
static const char *judgement_symbol(evs_rob_judgement j)
{
    switch (evs_rob_judgement_level(j)) {
    case EVS_ROB_LEVEL_LOW:
        return "+";
    case EVS_ROB_LEVEL_CONCERNS:
        return "\u2212";
    case EVS_ROB_LEVEL_HIGH:
        return "X";
    case EVS_ROB_LEVEL_CRITICAL:
        return "!";
    case EVS_ROB_LEVEL_NO_INFO:
        return "?";
    default:
        return j == EVS_ROB_NOT_APPLICABLE ? "NA" : "";
    }
}

/* Symbols in white on the dark reds. */
static bool dark(evs_rob_level l)
{
    return l == EVS_ROB_LEVEL_HIGH || l == EVS_ROB_LEVEL_CRITICAL;
}

/*
 * The judgements a tool's figures can show, in legend order (worst first, as
 * robvis); for the JBI checklist the overall judgements, then the answers.
 */
static size_t legend_judgements(evs_rob_tool t, evs_rob_judgement *out)
{
    static const evs_rob_judgement rob2[] = {EVS_ROB_HIGH, EVS_ROB_SOME_CONCERNS, EVS_ROB_LOW,
                                             EVS_ROB_NO_INFORMATION};
    static const evs_rob_judgement robins[] = {EVS_ROB_CRITICAL, EVS_ROB_SERIOUS,
                                               EVS_ROB_MODERATE, EVS_ROB_LOW,
                                               EVS_ROB_NO_INFORMATION};
    static const evs_rob_judgement jbi[] = {EVS_ROB_HIGH, EVS_ROB_MODERATE, EVS_ROB_LOW,
                                            EVS_ROB_NO,   EVS_ROB_UNCLEAR,  EVS_ROB_YES,
                                            EVS_ROB_NOT_APPLICABLE};
    const evs_rob_judgement *src = t == EVS_ROB_TOOL_ROB2       ? rob2
                                   : t == EVS_ROB_TOOL_ROBINS_I ? robins
                                                                : jbi;
    size_t n = t == EVS_ROB_TOOL_ROB2 ? 4 : t == EVS_ROB_TOOL_ROBINS_I ? 5 : 7;
    memcpy(out, src, n * sizeof *src);
    return n;
}

/* A judgement's disc with its symbol. */
static void disc(evs_canvas *c, evs_rob_judgement j, double x, double y, double r)
{
    evs_rob_level l = evs_rob_judgement_level(j);
    evs_canvas_disc(c, x, y, r, level_rgb(l));
    evs_canvas_text(c, x, y,
                    dark(l)                      ? EVS_TEXT_INVERSE_CENTRE
                    : j == EVS_ROB_NOT_APPLICABLE ? EVS_TEXT_SMALL_CENTRE
                                                  : EVS_TEXT_BOLD_CENTRE,
                    j == EVS_ROB_NOT_APPLICABLE && r < 10 ? "" : judgement_symbol(j));
}

/* The appraisals a tool's figures show: included studies, in the file's order. */
static size_t tool_entries(const evs_synthesis *s, evs_rob_tool t, size_t *idx)
{
    const evs_appraisal *a = s->ev->appraisal;
    size_t n = 0;
    for (size_t i = 0; a != NULL && i < a->n; i++)
        if (a->entries[i].tool == t && shown(s, &a->entries[i]))
            idx[n++] = i;
    return n;
}

#define PAD 12.0
#define TL_STUDY_MIN 180.0 /* the study column, at least */
#define TL_STUDY_MAX 300.0 /* and at most (labels wrap) */
#define TL_COL 46.0        /* a domain's column */
#define TL_OVERALL 70.0    /* the overall column */
#define TL_ROW 30.0
#define TL_R 11.0          /* a disc's radius */

/*
 * The legend under a traffic-light plot from y down: the domains on the
 * left, the judgements on the right (for the JBI checklist the overall
 * judgements and the items' answers apart).  Returns the y below it.
 */
static double legend(evs_canvas *c, evs_rob_tool t, double y)
{
    const evs_rob_tool_info *info = evs_rob_tool_get(t);
    bool jbi = t == EVS_ROB_TOOL_JBI_CASE_SERIES;
    evs_rob_judgement js[8];
    size_t nj = legend_judgements(t, js);
    double right_w = jbi ? 290 : 150;
    double lx = PAD, ly = y;
    evs_canvas_text(c, lx, ly, EVS_TEXT_BOLD_LEFT, jbi ? "Items" : "Domains");
    ly += EVS_LINE_BODY;
    for (size_t j = 0; j < info->ndomains; j++) {
        char line[200];
        snprintf(line, sizeof line, "%s: %s.", info->ids[j], info->labels[j]);
        size_t n = evs_canvas_wrap(c, lx, ly, EVS_TEXT_SMALL_LEFT, c->width - 3 * PAD - right_w,
                                   EVS_LINE_SMALL, 2, line);
        ly += EVS_LINE_SMALL * (double)(n ? n : 1);
    }
    double x = c->width - PAD - right_w, ry = y, bottom = ly;
    for (size_t i = 0; i < nj; i++) {
        if (i == 0 || (jbi && i == 3)) {
            if (i == 3) {
                x += 140;
                ry = y;
            }
            evs_canvas_text(c, x, ry, EVS_TEXT_BOLD_LEFT,
                            !jbi ? "Judgement" : i == 0 ? "Overall" : "Item answers");
        }
        ry += EVS_LINE_BODY + 2;
        disc(c, js[i], x + 9, ry, 8);
        evs_canvas_text(c, x + 24, ry, EVS_TEXT_SMALL_LEFT, evs_rob_judgement_label(js[i]));
        bottom = fmax(bottom, ry + EVS_LINE_BODY / 2);
    }
    return bottom;
}

void evs_rob_traffic_light(const evs_synthesis *s, evs_rob_tool t, const char *name,
                           const char *dir, evs_buf *b)
{
    const evs_appraisal *a = s->ev->appraisal;
    const evs_rob_tool_info *info = evs_rob_tool_get(t);
    size_t *idx = malloc((a->n + 1) * sizeof *idx);
    if (idx == NULL) {
        b->failed = true;
        return;
    }
    size_t n = tool_entries(s, t, idx), nd = info->ndomains;
    /* The study column as wide as its labels, within its bounds. */
    double study = evs_text_width("Study", EVS_FONT_BODY, true);
    for (size_t i = 0; i < n; i++) {
        char label[400];
        evs_rob_entry_label(s, &a->entries[idx[i]], label, sizeof label);
        study = fmax(study, evs_text_width(label, EVS_FONT_BODY, false));
    }
    study = fmin(fmax(study, TL_STUDY_MIN), TL_STUDY_MAX);
    double grid = TL_COL * (double)nd + TL_OVERALL, x0 = PAD + study + 16;
    evs_canvas c;
    evs_canvas_init(&c, fmax(x0 + grid + PAD, t == EVS_ROB_TOOL_JBI_CASE_SERIES ? 820 : 760));

    char title[300];
    snprintf(title, sizeof title, "Risk of bias: %s", info->label);
    double y = 24;
    evs_canvas_text(&c, PAD, y, EVS_TEXT_TITLE, title);
    y += 20;
    evs_canvas_text(&c, PAD, y, EVS_TEXT_SMALL_LEFT, info->citation);
    y += 30;
    /* Header: what the columns are, then each domain and Overall on a grey band. */
    evs_canvas_text(&c, x0 + TL_COL * (double)nd / 2, y, EVS_TEXT_BOLD_CENTRE,
                    t == EVS_ROB_TOOL_JBI_CASE_SERIES ? "Checklist items" : "Risk of bias domains");
    y += EVS_LINE_BODY + 4;
    evs_canvas_box(&c, x0, y - TL_ROW / 2 + 2, x0 + grid, y + TL_ROW / 2 - 2, 0xE6E6E6, false);
    evs_canvas_text(&c, PAD, y, EVS_TEXT_BOLD_LEFT, "Study");
    for (size_t j = 0; j <= nd; j++) {
        double xc = j < nd ? x0 + TL_COL * ((double)j + 0.5) : x0 + TL_COL * (double)nd + TL_OVERALL / 2;
        evs_canvas_text(&c, xc, y, EVS_TEXT_BOLD_CENTRE, j < nd ? info->ids[j] : "Overall");
    }
    y += TL_ROW / 2;
    double top = y;
    bool reviewer = false;
    for (size_t i = 0; i < n; i++) {
        const evs_rob_entry *e = &a->entries[idx[i]];
        char label[400];
        evs_rob_entry_label(s, e, label, sizeof label);
        size_t lines = evs_canvas_wrap(NULL, 0, 0, EVS_TEXT_LEFT, study, 0, 2, label);
        double h = fmax(TL_ROW, TL_ROW + (double)(lines - 1) * EVS_LINE_BODY);
        double yc = y + TL_ROW / 2;
        if (i % 2 == 1)
            evs_canvas_box(&c, PAD / 2, y, x0 + grid, y + h, 0xF4F4F4, false);
        evs_canvas_wrap(&c, PAD, yc, EVS_TEXT_LEFT, study, EVS_LINE_BODY, 2, label);
        for (size_t j = 0; j <= nd; j++) {
            evs_rob_judgement jd = j < nd ? e->domain[j].judgement : e->overall.judgement;
            double xc = j < nd ? x0 + TL_COL * ((double)j + 0.5)
                               : x0 + TL_COL * (double)nd + TL_OVERALL / 2;
            disc(&c, jd, xc, yc, TL_R);
        }
        if (e->agreement == EVS_ROB_REVIEWER) {
            evs_canvas_text(&c, x0 + TL_COL * (double)nd + TL_OVERALL / 2 + TL_R + 6, yc - 6,
                            EVS_TEXT_BOLD_LEFT, "*");
            reviewer = true;
        }
        y += h;
    }
    /* The Overall column stands apart, as in robvis. */
    evs_canvas_rule(&c, x0 + TL_COL * (double)nd, top - TL_ROW + 2, x0 + TL_COL * (double)nd, y);
    y += 18;
    if (reviewer) {
        y += evs_canvas_wrap(&c, PAD, y, EVS_TEXT_SMALL_LEFT, c.width - 2 * PAD, EVS_LINE_SMALL, 2,
                             "* Overall judged by the reviewer where the tool leaves it to "
                             "judgement (see the table).") *
             EVS_LINE_SMALL;
        y += 6;
    }
    c.height = legend(&c, t, y) + 12;
    evs_canvas_draw(&c, dir, name, NULL, NULL, b);
    evs_canvas_free(&c);
    free(idx);
}

#define SU_BAR 470.0
#define SU_ROW 30.0

/*
 * The weight of each study in the summary: its participants, as robvis's
 * weighted summary with sample sizes; every study once when a size is
 * unknown.
 */
static bool summary_weights(const evs_synthesis *s, const size_t *idx, size_t n, double *w)
{
    bool all = true;
    for (size_t i = 0; i < n; i++) {
        w[i] = s->ev->studies[s->ev->appraisal->entries[idx[i]].study].n;
        all &= w[i] > 0;
    }
    if (!all)
        for (size_t i = 0; i < n; i++)
            w[i] = 1;
    return all;
}

void evs_rob_summary(const evs_synthesis *s, evs_rob_tool t, const char *name, const char *dir,
                     evs_buf *b)
{
    const evs_appraisal *a = s->ev->appraisal;
    const evs_rob_tool_info *info = evs_rob_tool_get(t);
    size_t *idx = malloc((a->n + 1) * sizeof *idx);
    double *w = malloc((a->n + 1) * sizeof *w);
    if (idx == NULL || w == NULL) {
        free(idx);
        free(w);
        b->failed = true;
        return;
    }
    /* One appraisal per study: its appraisal for every outcome if it has one,
     * else its first appraisal for an outcome. */
    size_t n0 = tool_entries(s, t, idx), n = 0;
    for (size_t i = 0; i < n0; i++) {
        const evs_rob_entry *e = &a->entries[idx[i]];
        bool general = false, earlier = false;
        for (size_t j = 0; j < n0; j++) {
            const evs_rob_entry *f = &a->entries[idx[j]];
            if (f->study != e->study || j == i)
                continue;
            general |= f->outcome < 0;
            earlier |= j < i;
        }
        if (e->outcome < 0 || (!general && !earlier))
            idx[n++] = idx[i];
    }
    bool weighted = summary_weights(s, idx, n, w);
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];

    /* The domains' names on the left, as wide as the widest. */
    double names = evs_text_width("Overall risk of bias", EVS_FONT_BODY, true);
    for (size_t r = 0; r < info->ndomains; r++)
        names = fmax(names, evs_text_width(info->labels[r], EVS_FONT_BODY, false));
    double x0 = PAD + names + 14;
    evs_canvas c;
    evs_canvas_init(&c, x0 + SU_BAR + 3 * PAD);
    char title[300];
    snprintf(title, sizeof title, "Risk of bias: %s, summary (%zu %s)", info->label, n,
             n == 1 ? "study" : "studies");
    double y = 24;
    evs_canvas_text(&c, PAD, y, EVS_TEXT_TITLE, title);
    y += 20;
    evs_canvas_text(&c, PAD, y, EVS_TEXT_SMALL_LEFT,
                    weighted ? "Each bar: the share of the participants, by the judgement of "
                               "their study."
                             : "Each bar: the share of the studies by judgement (participants "
                               "not known for all).");
    y += 26;
    size_t rows = info->ndomains + 1;
    for (size_t r = 0; r < rows; r++) {
        if (r == info->ndomains)
            y += 10; /* the overall stands apart */
        double yc = y + SU_ROW / 2;
        evs_canvas_text(&c, x0 - 10, yc, r == info->ndomains ? EVS_TEXT_BOLD_RIGHT : EVS_TEXT_RIGHT,
                        r < info->ndomains ? info->labels[r] : "Overall risk of bias");
        /* Segments from low to not applicable, left to right. */
        double share[EVS_ROB_LEVELS] = {0};
        for (size_t i = 0; i < n; i++) {
            const evs_rob_entry *e = &a->entries[idx[i]];
            evs_rob_judgement jd = r < info->ndomains ? e->domain[r].judgement
                                                      : e->overall.judgement;
            share[evs_rob_judgement_level(jd)] += total > 0 ? 100 * w[i] / total : 0;
        }
        double x = x0;
        for (int l = 0; l < EVS_ROB_LEVELS; l++) {
            if (share[l] <= 0)
                continue;
            double dx = SU_BAR * share[l] / 100;
            evs_canvas_box(&c, x, yc - SU_ROW * 0.36, x + dx, yc + SU_ROW * 0.36,
                           level_rgb((evs_rob_level)l), false);
            char pct[EVS_NUM_TEXT];
            evs_num_share(share[l], pct, sizeof pct);
            if (dx >= evs_text_width(pct, EVS_FONT_SMALL, false) + 8)
                evs_canvas_text(&c, x + dx / 2, yc,
                                dark((evs_rob_level)l) ? EVS_TEXT_INVERSE_CENTRE
                                                       : EVS_TEXT_SMALL_CENTRE,
                                pct);
            x += dx;
        }
        y += SU_ROW;
    }
    /* The percentage axis under the bars. */
    y += 6;
    evs_canvas_rule(&c, x0, y, x0 + SU_BAR, y);
    for (int p = 0; p <= 100; p += 25) {
        double x = x0 + SU_BAR * p / 100.0;
        char pct[8];
        snprintf(pct, sizeof pct, "%d%%", p);
        evs_canvas_rule(&c, x, y, x, y + 5);
        evs_canvas_text(&c, x, y + 16, EVS_TEXT_SMALL_CENTRE, pct);
    }
    y += 44;
    /* The judgements in a row, wrapped. */
    evs_rob_judgement js[8];
    size_t nj = legend_judgements(t, js);
    evs_canvas_text(&c, PAD, y, EVS_TEXT_BOLD_LEFT, "Judgement:");
    double lx0 = PAD + evs_text_width("Judgement:", EVS_FONT_BODY, true) + 12, lx = lx0;
    for (size_t i = 0; i < nj; i++) {
        const char *lab = evs_rob_judgement_label(js[i]);
        double wi = 22 + evs_text_width(lab, EVS_FONT_SMALL, false) + 14;
        if (lx + wi > c.width - PAD && lx > lx0) {
            lx = lx0;
            y += EVS_LINE_BODY + 4;
        }
        evs_canvas_box(&c, lx, y - 7, lx + 14, y + 7, level_rgb(evs_rob_judgement_level(js[i])),
                       true);
        evs_canvas_text(&c, lx + 20, y, EVS_TEXT_SMALL_LEFT, lab);
        lx += wi;
    }
    c.height = y + 20;
    evs_canvas_draw(&c, dir, name, NULL, NULL, b);
    evs_canvas_free(&c);
    free(idx);
    free(w);
}

void evs_rob_add_figures(const evs_synthesis *s, evs_figure_list *figs)
{
    const evs_appraisal *a = s->ev->appraisal;
    if (a == NULL)
        return;
    for (int t = 0; t < EVS_ROB_TOOLS; t++) {
        bool any = false;
        for (size_t i = 0; i < a->n && !any; i++)
            any = a->entries[i].tool == (evs_rob_tool)t && shown(s, &a->entries[i]);
        if (!any)
            continue;
        const evs_rob_tool_info *info = evs_rob_tool_get((evs_rob_tool)t);
        for (int kind = 0; kind < 2; kind++) {
            evs_figure *f = &figs->items[figs->n++];
            f->kind = kind == 0 ? EVS_FIGURE_ROB_TRAFFIC : EVS_FIGURE_ROB_SUMMARY;
            f->index = (size_t)t;
            snprintf(f->name, sizeof f->name, "rob_%s_%s",
                     kind == 0 ? "traffic_light" : "summary", info->name);
            snprintf(f->caption, sizeof f->caption,
                     kind == 0 ? "Risk of bias (%s): traffic-light plot, study by study and "
                                 "domain by domain"
                               : "Risk of bias (%s): summary by domain, weighted by the "
                                 "participants of each study",
                     info->label);
        }
    }
}

/* ---------------------------------------------------------------------------
 * Risk-of-bias columns beside a forest plot, as RevMan and R's meta
 * (forest(..., rob = ...)) draw them: a disc per domain and the overall for
 * each study when the pooled studies share one tool, the overall alone when
 * they mix tools, grey for a study not assessed.
 */

/* The one tool of the pooled rows' appraisals, or EVS_ROB_TOOL_NONE when they mix tools. */
static evs_rob_tool forest_tool(const evs_synthesis *s, const evs_analysis *a, bool *any)
{
    evs_rob_tool tool = EVS_ROB_TOOL_NONE;
    bool mixed = false;
    *any = false;
    for (size_t i = 0; i < a->meta->k; i++) {
        long e = a->rob_entry[i];
        if (e < 0 || s->ev->appraisal->entries[e].tool == EVS_ROB_TOOL_NONE)
            continue;
        evs_rob_tool t = s->ev->appraisal->entries[e].tool;
        if (*any && t != tool)
            mixed = true;
        tool = t;
        *any = true;
    }
    return mixed ? EVS_ROB_TOOL_NONE : tool;
}

void evs_rob_forest_marks(const evs_synthesis *s, const evs_analysis *a, const size_t *order,
                          evs_row_plot *p)
{
    if (s->ev->appraisal == NULL || a->rob_entry == NULL)
        return;
    bool any;
    evs_rob_tool t = forest_tool(s, a, &any);
    const evs_rob_tool_info *info = any && t != EVS_ROB_TOOL_NONE ? evs_rob_tool_get(t) : NULL;
    size_t nd = info ? info->ndomains : 0;
    p->nmarks = nd + 1;
    snprintf(p->marks_head, sizeof p->marks_head, "Risk of bias");
    for (size_t j = 0; j < nd; j++)
        snprintf(p->mark_heads[j], sizeof p->mark_heads[j], "%s", info->ids[j]);
    snprintf(p->mark_heads[nd], sizeof p->mark_heads[nd], "%s", nd ? "All" : "Overall");
    size_t k = a->meta->k;
    for (size_t r = 0; r < k && r < p->nrows; r++) {
        long e = a->rob_entry[order[r]];
        const evs_rob_entry *en = e >= 0 ? &s->ev->appraisal->entries[e] : NULL;
        bool assessed = en != NULL && en->tool != EVS_ROB_TOOL_NONE;
        for (size_t j = 0; j <= nd; j++) {
            evs_row_mark *mk = &p->rows[r].marks[j];
            evs_rob_judgement jd = !assessed ? EVS_ROB_NOT_APPRAISED
                                   : j < nd  ? en->domain[j].judgement
                                             : en->overall.judgement;
            evs_rob_level l = evs_rob_judgement_level(jd);
            mk->shown = true;
            mk->rgb = level_rgb(l);
            mk->dark = dark(l);
            snprintf(mk->text, sizeof mk->text, "%s", assessed ? judgement_symbol(jd) : "");
        }
    }
    if (p->nnotes >= EVS_ROW_NOTES)
        return;
    char *note = p->notes[p->nnotes++];
    if (info != NULL)
        snprintf(note, sizeof p->notes[0],
                 "Risk of bias (%s): %s to %s as in the risk-of-bias table, All the overall "
                 "judgement; + low, \u2212 %s, X %s, ? %s; grey: not assessed.",
                 info->label, info->ids[0], info->ids[nd - 1],
                 t == EVS_ROB_TOOL_ROB2 ? "some concerns" : "moderate",
                 t == EVS_ROB_TOOL_ROBINS_I ? "serious (! critical)" : "high",
                 t == EVS_ROB_TOOL_JBI_CASE_SERIES ? "unclear" : "no information");
    else
        snprintf(note, sizeof p->notes[0],
                 "Risk of bias: each study's overall judgement by its tool (risk-of-bias "
                 "tables); + low, \u2212 some concerns or moderate, X high or serious, ! "
                 "critical, ? no information; grey: not assessed.");
}
