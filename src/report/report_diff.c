/*
 * report_diff.c -- "What changed since the last review": two results.json
 * objects compared (see report.h).  Works on the JSON alone, so that a
 * report from an older review (or an older evsynth) can be compared.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"

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

static void fmt(const json_t *a, char *buf, size_t cap)
{
    bool pct = strcmp(sget(a, "scale"), "percent") == 0;
    double e = nget(a, "estimate"), l = nget(a, "ci_lb"), u = nget(a, "ci_ub");
    if (isnan(e))
        snprintf(buf, cap, "not pooled (k = %.0f)", nget(a, "k"));
    else if (pct)
        snprintf(buf, cap, "%.1f%% (%.1f%% to %.1f%%), k = %.0f", e, l, u, nget(a, "k"));
    else
        snprintf(buf, cap, "%.2f (%.2f to %.2f), k = %.0f", e, l, u, nget(a, "k"));
}

static const char *certainty(const json_t *a)
{
    const char *c = sget(json_object_get(a, "grade"), "certainty");
    return c[0] ? c : "not rated";
}

static bool differs(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) != isnan(b);
    return fabs(a - b) > 1e-9 * fmax(1, fabs(a));
}

size_t evs_report_diff(const json_t *old, const json_t *new, const char *old_name, int level,
                       evs_doc *d)
{
    size_t changes = 0;
    const json_t *orev = json_object_get(old, "review");
    const char *searched = sget(orev, "literature_search");
    const char *assembled = sget(orev, "evidence_assembled");
    evs_doc_para(d, NULL, "Compared with %s (review of %s, %s %s).", old_name,
                 sget(orev, "review_date")[0] ? sget(orev, "review_date") : "unknown date",
                 searched[0] || !assembled[0] ? "literature search" : "evidence assembled",
                 searched[0] ? searched : assembled[0] ? assembled : "not recorded");

    /* Studies */
    const json_t *oinc = json_object_get(json_object_get(old, "evidence_base"), "included");
    const json_t *ninc = json_object_get(json_object_get(new, "evidence_base"), "included");
    evs_doc_heading(d, level, "Studies");
    size_t i, before = changes;
    const json_t *x;
    json_array_foreach(ninc, i, x) if (find_by(oinc, "id", sget(x, "id")) == NULL)
    {
        evs_doc_item(d, "Added:", "%s (%s, n = %.0f)", sget(x, "label"), sget(x, "design"),
                     nget(x, "n"));
        changes++;
    }
    json_array_foreach(oinc, i, x) if (find_by(ninc, "id", sget(x, "id")) == NULL)
    {
        evs_doc_item(d, "Removed:", "%s (%s, n = %.0f)", sget(x, "label"), sget(x, "design"),
                     nget(x, "n"));
        changes++;
    }
    if (changes == before)
        evs_doc_para(d, NULL, "The same %zu studies are included.", json_array_size(ninc));

    /* Analyses */
    const json_t *oan = json_object_get(old, "analyses"), *nan_ = json_object_get(new, "analyses");
    evs_doc_heading(d, level, "Pooled estimates and certainty");
    before = changes;
    json_array_foreach(nan_, i, x)
    {
        const char *id = sget(x, "id");
        const json_t *o = find_by(oan, "id", id);
        char now[160], then[160];
        fmt(x, now, sizeof now);
        char lead[300];
        snprintf(lead, sizeof lead, "%s, %s:", sget(x, "label"), sget(x, "window_label"));
        if (o == NULL) {
            evs_doc_item(d, lead, "new analysis: %s, certainty %s.", now, certainty(x));
            changes++;
            continue;
        }
        fmt(o, then, sizeof then);
        bool est = differs(nget(o, "estimate"), nget(x, "estimate")) ||
                   differs(nget(o, "ci_lb"), nget(x, "ci_lb")) ||
                   differs(nget(o, "ci_ub"), nget(x, "ci_ub")) || nget(o, "k") != nget(x, "k");
        bool cert = strcmp(certainty(o), certainty(x)) != 0;
        if (!est && !cert)
            continue;
        changes++;
        if (cert)
            evs_doc_item(d, lead, "%s, was %s; certainty %s, was %s.", now, then, certainty(x),
                         certainty(o));
        else
            evs_doc_item(d, lead, "%s, was %s; certainty unchanged (%s).", now, then,
                         certainty(x));
    }
    json_array_foreach(oan, i, x) if (find_by(nan_, "id", sget(x, "id")) == NULL)
    {
        evs_doc_item(d, "Analysis dropped:", "%s, %s.", sget(x, "label"), sget(x, "window_label"));
        changes++;
    }
    if (changes == before)
        evs_doc_para(d, NULL, "No pooled estimate or certainty rating changed.");

    /* Criteria and conclusion */
    evs_doc_heading(d, level, "Criteria and conclusion");
    before = changes;
    const json_t *ocr = json_object_get(old, "criteria"), *ncr = json_object_get(new, "criteria");
    json_array_foreach(ncr, i, x)
    {
        const json_t *o = json_array_get(ocr, i);
        if (o != NULL && strcmp(sget(o, "verdict"), sget(x, "verdict")) != 0) {
            char lead[32];
            snprintf(lead, sizeof lead, "Criterion %zu:", i + 1);
            evs_doc_item(d, lead, "%s, was %s.", sget(x, "verdict"), sget(o, "verdict"));
            changes++;
        }
    }
    const json_t *oc = json_object_get(old, "conclusion"), *nc = json_object_get(new, "conclusion");
    bool oi = json_is_true(json_object_get(oc, "investigational"));
    bool ni = json_is_true(json_object_get(nc, "investigational"));
    if (oi != ni) {
        evs_doc_item(d, "Conclusion:", "changed: %s (was: %s)", sget(nc, "text"), sget(oc, "text"));
        changes++;
    } else if (changes == before) {
        evs_doc_para(d, NULL, "No criterion changed; the conclusion stands: %s", sget(nc, "text"));
    } else {
        evs_doc_para(d, NULL, "The conclusion stands: %s", sget(nc, "text"));
    }
    return changes;
}
