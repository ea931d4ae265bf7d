/*
 * report_diff.c -- "What changed since the last review": two results.json
 * objects compared (see report.h).  Works on the JSON alone, so that a
 * report from an older review (or an older evsynth) can be compared: which
 * input files changed (their SHA-256), the studies added and removed, every
 * pooled estimate and certainty that moved, the update signals with their
 * numbers (review/update.h), and the update status that follows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/numfmt.h"
#include "report/report.h"
#include "review/update.h"

static const char *sget(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s != NULL ? s : "";
}

static double nget(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : (double)NAN;
}

static const json_t *find_by(const json_t *arr, const char *key, const char *value)
{
    size_t i;
    const json_t *x;
    json_array_foreach(arr, i, x) if (strcmp(sget(x, key), value) == 0) return x;
    return NULL;
}

bool evs_report_same_review(const json_t *old, const json_t *new, char *why, size_t cap)
{
    const char *a = sget(json_object_get(old, "review"), "id");
    const char *b = sget(json_object_get(new, "review"), "id");
    if (strcmp(a, b) == 0)
        return true;
    snprintf(why, cap, "the results are of two different reviews (\"%s\" and \"%s\"): compare "
                       "the results of one review",
             a, b);
    return false;
}

/* ---------------------------------------------------------------------------
 * The results, as the update signals see them
 */

typedef struct side {
    evs_update_side s;
    evs_update_study *studies;
    evs_update_analysis *analyses;
    const char *criteria[16];
    const json_t *an, *inc; /* the JSON arrays, for the sentences */
} side;

static bool read_side(const json_t *r, side *x)
{
    memset(x, 0, sizeof *x);
    x->inc = json_object_get(json_object_get(r, "evidence_base"), "included");
    x->an = json_object_get(r, "analyses");
    size_t ns = json_array_size(x->inc), na = json_array_size(x->an);
    x->studies = calloc(ns ? ns : 1, sizeof *x->studies);
    x->analyses = calloc(na ? na : 1, sizeof *x->analyses);
    if (x->studies == NULL || x->analyses == NULL)
        return false;
    size_t i;
    const json_t *v;
    json_array_foreach(x->inc, i, v)
    {
        x->studies[i] = (evs_update_study){sget(v, "id"), sget(v, "label"), sget(v, "design"),
                                           nget(v, "n")};
    }
    json_array_foreach(x->an, i, v)
    {
        evs_update_analysis *a = &x->analyses[i];
        a->id = sget(v, "id");
        a->label = sget(v, "label");
        a->window_label = sget(v, "window_label");
        a->pooled = json_is_true(json_object_get(v, "pooled"));
        a->percent = strcmp(sget(v, "scale"), "percent") == 0;
        a->harm = strcmp(sget(v, "role"), "harm") == 0;
        a->primary = json_is_true(json_object_get(v, "primary"));
        a->k = nget(v, "k");
        a->estimate = nget(v, "estimate");
        a->ci_lb = nget(v, "ci_lb");
        a->ci_ub = nget(v, "ci_ub");
        a->mcid = nget(v, "mcid");
        a->certainty = sget(json_object_get(v, "grade"), "certainty");
    }
    const json_t *cr = json_object_get(r, "criteria");
    size_t nc = json_array_size(cr);
    if (nc > sizeof x->criteria / sizeof x->criteria[0])
        nc = sizeof x->criteria / sizeof x->criteria[0];
    for (i = 0; i < nc; i++)
        x->criteria[i] = sget(json_array_get(cr, i), "verdict");
    const json_t *reg = json_object_get(json_object_get(r, "review"), "regulatory");
    x->s = (evs_update_side){
        .nstudies = ns,
        .nanalyses = na,
        .ncriteria = nc,
        .studies = x->studies,
        .analyses = x->analyses,
        .criteria = x->criteria,
        .investigational =
            json_is_true(json_object_get(json_object_get(r, "conclusion"), "investigational")),
        .approved = json_is_true(json_object_get(reg, "approved")),
        .regulatory_status = sget(reg, "status"),
    };
    return true;
}

static void free_side(side *x)
{
    free(x->studies);
    free(x->analyses);
}

/* ---------------------------------------------------------------------------
 * Sentences
 */

static void fmt(const evs_update_analysis *a, char *buf, size_t cap)
{
    char ci[3 * EVS_NUM_TEXT];
    if (!a->pooled || isnan(a->estimate))
        snprintf(buf, cap, "not pooled (k = %.0f)", a->k);
    else
        snprintf(buf, cap, "%s, k = %.0f",
                 evs_num_estimate_ci(a->estimate, a->ci_lb, a->ci_ub, a->percent, ci, sizeof ci),
                 a->k);
}

static void lead_of(const evs_update_analysis *a, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s, %s:", a->label, a->window_label);
}

/* "the MCID of 2" or "the threshold of 10%". */
static void mcid_text(const evs_update_analysis *a, char *buf, size_t cap)
{
    char v[EVS_NUM_TEXT];
    evs_num_setting(a->mcid, v, sizeof v);
    snprintf(buf, cap, "%s of %s%s", a->harm ? "the threshold" : "the MCID", v,
             a->percent ? "%" : "");
}

static void signal_item(const evs_signal *g, const side *o, const side *n, const json_t *old,
                        const json_t *new, evs_doc *d)
{
    char lead[400], now[200], then[200], m[80], c[EVS_NUM_TEXT];
    const evs_update_analysis *a = g->analysis >= 0 ? &n->analyses[g->analysis] : NULL;
    const evs_update_analysis *p = g->previous >= 0 ? &o->analyses[g->previous] : NULL;
    const evs_update_study *st = g->study >= 0 ? &n->studies[g->study] : NULL;
    if (a != NULL) {
        lead_of(a, lead, sizeof lead);
        fmt(a, now, sizeof now);
    }
    if (p != NULL)
        fmt(p, then, sizeof then);
    switch (g->kind) {
    case EVS_SIGNAL_NEW_RANDOMISED:
    case EVS_SIGNAL_NEW_CONTROLLED:
        evs_doc_item(d, g->kind == EVS_SIGNAL_NEW_RANDOMISED ? "New randomised trial:"
                                                            : "New controlled comparison:",
                     "%s (%s, n = %s).", st->label, st->design,
                     evs_num_count(st->n, c, sizeof c));
        break;
    case EVS_SIGNAL_LARGER_STUDY: {
        char prev[EVS_NUM_TEXT];
        evs_doc_item(d, "Larger than all previous studies together:",
                     "%s has %s participants; the %zu studies of the last review had %s.",
                     st->label, evs_num_count(st->n, c, sizeof c), o->s.nstudies,
                     evs_num_count(g->value, prev, sizeof prev));
        break;
    }
    case EVS_SIGNAL_NULL:
        evs_doc_item(d, lead, "the CI %s no effect: %s, was %s.",
                     g->now ? "now includes" : "no longer includes", now, then);
        break;
    case EVS_SIGNAL_MCID:
        mcid_text(a, m, sizeof m);
        evs_doc_item(d, lead, "the CI %s %s: %s, was %s.",
                     g->now ? "now includes" : "no longer includes", m, now, then);
        break;
    case EVS_SIGNAL_RELATIVE: {
        char e1[EVS_NUM_TEXT], e0[EVS_NUM_TEXT];
        evs_doc_item(d, lead,
                     "the pooled estimate changed by %+.0f%% (%s, was %s): 50%% or more "
                     "(Shojania et al. 2007).",
                     100 * g->value, evs_num_effect(a->estimate, a->percent, e1, sizeof e1),
                     evs_num_effect(p->estimate, p->percent, e0, sizeof e0));
        break;
    }
    case EVS_SIGNAL_CERTAINTY:
        evs_doc_item(d, lead, "certainty %s, was %s.", a->certainty[0] ? a->certainty : "not rated",
                     p->certainty[0] ? p->certainty : "not rated");
        break;
    case EVS_SIGNAL_HARM:
        mcid_text(a, m, sizeof m);
        evs_doc_item(d, lead, "the pooled rate is %s %s: %s, was %s.",
                     g->now ? "now above" : "no longer above", m, now, then);
        break;
    case EVS_SIGNAL_REGULATORY:
        if (o->s.approved != n->s.approved)
            evs_doc_item(d, "Regulatory status:", "%s (was %s). %s",
                         n->s.approved ? "approved" : "not approved",
                         o->s.approved ? "approved" : "not approved", n->s.regulatory_status);
        else
            evs_doc_item(d, "Regulatory status:", "now: %s (was: %s)", n->s.regulatory_status,
                         o->s.regulatory_status);
        break;
    case EVS_SIGNAL_CRITERION: {
        const json_t *nc = json_array_get(json_object_get(new, "criteria"), (size_t)g->criterion);
        snprintf(lead, sizeof lead, "Criterion %d (%s):", g->criterion + 1, sget(nc, "title"));
        evs_doc_item(d, lead, "%s, was %s.", n->criteria[g->criterion],
                     o->criteria[g->criterion]);
        break;
    }
    case EVS_SIGNAL_CONCLUSION:
        evs_doc_item(d, "Conclusion:", "changed: %s (was: %s)",
                     sget(json_object_get(new, "conclusion"), "text"),
                     sget(json_object_get(old, "conclusion"), "text"));
        break;
    default:
        break;
    }
}

/* Which input files changed, from their SHA-256 in the two results. */
static void inputs(const json_t *old, const json_t *new, int level, evs_doc *d)
{
    const json_t *oi = json_object_get(old, "inputs"), *ni = json_object_get(new, "inputs");
    char changed[600] = "", same[600] = "", added[300] = "", gone[300] = "";
    size_t i;
    const json_t *x;
    json_array_foreach(ni, i, x)
    {
        const json_t *o = find_by(oi, "file", sget(x, "file"));
        char *list = o == NULL                                              ? added
                     : strcmp(sget(o, "sha256"), sget(x, "sha256")) != 0 ? changed
                                                                         : same;
        size_t cap = list == changed || list == same ? sizeof changed : sizeof added;
        if (list[0] != '\0')
            strncat(list, ", ", cap - strlen(list) - 1);
        strncat(list, sget(x, "file"), cap - strlen(list) - 1);
    }
    json_array_foreach(oi, i, x) if (find_by(ni, "file", sget(x, "file")) == NULL)
    {
        if (gone[0] != '\0')
            strncat(gone, ", ", sizeof gone - strlen(gone) - 1);
        strncat(gone, sget(x, "file"), sizeof gone - strlen(gone) - 1);
    }
    evs_doc_heading(d, level, "Input files");
    if (changed[0] != '\0')
        evs_doc_item(d, "Changed:", "%s.", changed);
    if (added[0] != '\0')
        evs_doc_item(d, "New:", "%s.", added);
    if (gone[0] != '\0')
        evs_doc_item(d, "No longer read:", "%s.", gone);
    if (same[0] != '\0')
        evs_doc_item(d, "Unchanged:", "%s.", same);
}

size_t evs_report_diff(const json_t *old, const json_t *new, const char *old_sha256, int level,
                       evs_doc *d)
{
    size_t changes = 0;
    const json_t *orev = json_object_get(old, "review");
    const char *searched = sget(orev, "literature_search");
    const char *assembled = sget(orev, "evidence_assembled");
    char sha[80] = "";
    if (old_sha256 != NULL && old_sha256[0] != '\0')
        snprintf(sha, sizeof sha, "; its results.json has SHA-256 %.12s", old_sha256);
    evs_doc_para(d, NULL, "Compared with the review of %s (%s %s%s).",
                 sget(orev, "review_date")[0] ? sget(orev, "review_date") : "unknown date",
                 searched[0] || !assembled[0] ? "literature search" : "evidence assembled",
                 searched[0] ? searched : assembled[0] ? assembled : "not recorded", sha);
    side o, n;
    evs_update u = {0};
    if (!read_side(old, &o) || !read_side(new, &n) ||
        evs_update_compare(&o.s, &n.s, &u) != EVS_OK) {
        d->failed = true;
        free_side(&o);
        free_side(&n);
        return 0;
    }

    inputs(old, new, level, d);

    /* Studies */
    evs_doc_heading(d, level, "Studies");
    char c[EVS_NUM_TEXT];
    for (size_t i = 0; i < n.s.nstudies; i++) {
        const evs_update_study *x = &n.studies[i];
        bool known = false;
        for (size_t j = 0; j < o.s.nstudies && !known; j++)
            known = strcmp(o.studies[j].id, x->id) == 0;
        if (!known) {
            evs_doc_item(d, "Added:", "%s (%s, n = %s)", x->label, x->design,
                         evs_num_count(x->n, c, sizeof c));
            changes++;
        }
    }
    for (size_t j = 0; j < o.s.nstudies; j++) {
        const evs_update_study *x = &o.studies[j];
        bool kept = false;
        for (size_t i = 0; i < n.s.nstudies && !kept; i++)
            kept = strcmp(n.studies[i].id, x->id) == 0;
        if (!kept) {
            evs_doc_item(d, "Removed:", "%s (%s, n = %s)", x->label, x->design,
                         evs_num_count(x->n, c, sizeof c));
            changes++;
        }
    }
    if (u.added + u.removed == 0)
        evs_doc_para(d, NULL, "The same %zu studies are included.", n.s.nstudies);

    /* Analyses */
    evs_doc_heading(d, level, "Pooled estimates and certainty");
    size_t before = changes;
    for (size_t i = 0; i < n.s.nanalyses; i++) {
        const evs_update_analysis *x = &n.analyses[i];
        const evs_update_analysis *p = NULL;
        for (size_t j = 0; j < o.s.nanalyses && p == NULL; j++)
            if (strcmp(o.analyses[j].id, x->id) == 0)
                p = &o.analyses[j];
        char now[200], then[200], lead[400];
        fmt(x, now, sizeof now);
        lead_of(x, lead, sizeof lead);
        const char *cx = x->certainty[0] ? x->certainty : "not rated";
        if (p == NULL) {
            evs_doc_item(d, lead, "new analysis: %s, certainty %s.", now, cx);
            changes++;
            continue;
        }
        fmt(p, then, sizeof then);
        const char *cp = p->certainty[0] ? p->certainty : "not rated";
        bool moved = strcmp(now, then) != 0 || x->estimate != p->estimate ||
                     x->ci_lb != p->ci_lb || x->ci_ub != p->ci_ub;
        if (isnan(x->estimate) && isnan(p->estimate) && strcmp(now, then) == 0)
            moved = false;
        bool cert = strcmp(cx, cp) != 0;
        if (!moved && !cert)
            continue;
        changes++;
        if (cert)
            evs_doc_item(d, lead, "%s, was %s; certainty %s, was %s.", now, then, cx, cp);
        else
            evs_doc_item(d, lead, "%s, was %s; certainty unchanged (%s).", now, then, cx);
    }
    for (size_t j = 0; j < o.s.nanalyses; j++) {
        bool kept = false;
        for (size_t i = 0; i < n.s.nanalyses && !kept; i++)
            kept = strcmp(n.analyses[i].id, o.analyses[j].id) == 0;
        if (!kept) {
            evs_doc_item(d, "Analysis dropped:", "%s, %s.", o.analyses[j].label,
                         o.analyses[j].window_label);
            changes++;
        }
    }
    if (changes == before)
        evs_doc_para(d, NULL, "No pooled estimate or certainty rating changed.");

    /* The signals, each with its numbers. */
    evs_doc_heading(d, level, "Update signals");
    for (size_t i = 0; i < u.n; i++) {
        signal_item(&u.signals[i], &o, &n, old, new, d);
        evs_signal_kind k = u.signals[i].kind;
        changes += k == EVS_SIGNAL_CRITERION || k == EVS_SIGNAL_CONCLUSION ||
                   k == EVS_SIGNAL_REGULATORY;
    }
    if (u.n == 0)
        evs_doc_para(d, NULL,
                     "None: no new randomised or controlled study, no study larger than all "
                     "previous ones together, no CI that crosses no effect or the MCID anew, no "
                     "pooled estimate that moved by 50%% or more, no change of certainty, of a "
                     "harm against its threshold, of the regulatory status, of a criterion or "
                     "of the conclusion.");

    /* The update status (Garner et al. 2016). */
    evs_doc_heading(d, level, "Update status");
    const json_t *nc = json_object_get(new, "conclusion");
    char status[80];
    snprintf(status, sizeof status, "%c%s.", evs_update_status_name(u.status)[0] - 'a' + 'A',
             evs_update_status_name(u.status) + 1);
    switch (u.status) {
    case EVS_UPDATE_CHANGED:
        evs_doc_para(d, status, "%s", sget(nc, "text"));
        break;
    case EVS_UPDATE_MAY_CHANGE:
        evs_doc_para(d, status,
                     "%zu signal%s above for the committee to weigh; as the rules stand, the "
                     "conclusion stands: %s",
                     u.n, u.n == 1 ? "" : "s", sget(nc, "text"));
        break;
    case EVS_UPDATE_UNCHANGED:
        evs_doc_para(d, status, "No signal: the conclusion stands: %s", sget(nc, "text"));
        break;
    default:
        evs_doc_para(d, status, "Nothing changed: the conclusion stands: %s", sget(nc, "text"));
        break;
    }
    evs_doc_para(d, NULL,
                 "Statuses: no new evidence; new evidence, conclusion unchanged; new evidence "
                 "that may change the conclusion (any signal above); conclusion changed. After "
                 "Garner et al. 2016 (BMJ 354:i3507), with Shojania et al. 2007's signals (Ann "
                 "Intern Med 147:224).");
    evs_update_free(&u);
    free_side(&o);
    free_side(&n);
    return changes;
}
