/*
 * cmd_check.c -- "evsynth check": validate a review folder and list every
 * problem, or print an inventory of what it holds and what each analysis
 * will use.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "io/review_io.h"
#include "review/counting.h"
#include "review/dataset.h"
#include "review/decisions.h"
#include "review/screening.h"

enum { OPT_HELP };

static const evs_option check_options[] = {
    {OPT_HELP, "help", 'h', NULL, "show this help and exit"},
};

#define NOPTIONS (sizeof check_options / sizeof check_options[0])

static evs_status on_option(int id, const char *value, void *ctx, evs_error *err)
{
    (void)value;
    (void)err;
    if (id == OPT_HELP)
        *(bool *)ctx = true;
    return EVS_OK;
}

static void check_help(FILE *out)
{
    fprintf(out,
            "Usage: evsynth check REVIEW_DIR\n\n"
            "Check a review folder (review.ini, studies.csv, outcomes.csv, and records.csv,\n"
            "decisions.csv and appraisal.csv when present; see data/README.md) and list every\n"
            "problem as FILE:LINE:COLUMN: message.  With no problems, print an inventory:\n"
            "studies, designs, the appraisals, outcomes, time points, for each analysis the\n"
            "studies it pools, the ones it leaves out and the conversions it needs, and the\n"
            "screening log.\n\n"
            "Options:\n");
    evs_options_help(out, check_options, NOPTIONS);
    fprintf(out, "\nExit status: 0 no problems, 1 problems found, 2 usage error, 3 a file\n"
                 "cannot be read.\n");
}

static void print_count(FILE *out, size_t n, const char *label)
{
    char buf[200];
    evs_count_text(n, label, buf, sizeof buf);
    fputs(buf, out);
}

/* What appraisal.csv holds: appraisals by tool, with the overalls a reviewer judged. */
static void appraisals(FILE *out, const evs_evidence *ev)
{
    const evs_appraisal *a = ev->appraisal;
    if (a == NULL) {
        fprintf(out, "\nAppraisal: none (no appraisal.csv): the risk of bias is not assessed per "
                     "study\n");
        return;
    }
    fprintf(out, "\nAppraisal: %zu appraisal%s\n", a->n, a->n == 1 ? "" : "s");
    for (int t = 0; t <= EVS_ROB_TOOL_NONE; t++) {
        size_t n = 0, reviewer = 0, by[EVS_ROB_JUDGEMENTS] = {0};
        for (size_t i = 0; i < a->n; i++)
            if (a->entries[i].tool == (evs_rob_tool)t) {
                n++;
                by[a->entries[i].overall.judgement]++;
                reviewer += a->entries[i].agreement == EVS_ROB_REVIEWER;
            }
        if (n == 0)
            continue;
        fprintf(out, "  %-26s %3zu:", evs_rob_tool_get((evs_rob_tool)t)->label, n);
        bool first = true;
        for (int j = 0; j < EVS_ROB_JUDGEMENTS; j++)
            if (by[j] > 0) {
                fprintf(out, "%s %zu %s", first ? "" : ",", by[j],
                        evs_rob_judgement_name((evs_rob_judgement)j));
                first = false;
            }
        if (reviewer > 0)
            fprintf(out, " (%zu overall%s judged by the reviewer where the rule leaves it open)",
                    reviewer, reviewer == 1 ? "" : "s");
        fputc('\n', out);
    }
}

static void inventory(FILE *out, const char *dir, const evs_review *rv, const evs_evidence *ev,
                      const evs_contributions *in)
{
    size_t whole = 0, arms = 0, included = 0, participants = 0, unknown_n = 0;
    size_t designs[EVS_MAX_CLASSES] = {0};
    for (size_t i = 0; i < ev->nstudies; i++) {
        const evs_study *s = &ev->studies[i];
        if (s->parent >= 0) {
            arms++;
            continue;
        }
        whole++;
        if (!s->included)
            continue;
        included++;
        designs[s->design]++;
        if (isnan(s->n))
            unknown_n++;
        else
            participants += (size_t)s->n;
    }
    fprintf(out, "%s: no problems found\n\n", dir);
    fprintf(out, "Review:    %s\n", rv->title);
    fprintf(out, "Studies:   %zu (and %zu arms or subgroups)\n", whole, arms);
    fprintf(out, "Included:  %zu studies, %zu participants", included, participants);
    if (unknown_n)
        fprintf(out, " (%zu studies without a count)", unknown_n);
    /* Who enters an analysis: an overlap group's reports are one study (counting.h). */
    fprintf(out, "\nAnalysed:  %zu studies (%zu reports), %.0f participants", in->studies,
            in->reports, in->participants);
    if (in->reports_unknown_n)
        fprintf(out, " (%zu reports without a count)", in->reports_unknown_n);
    fprintf(out, "; %zu included report%s in no analysis", in->nidle, in->nidle == 1 ? "" : "s");
    fprintf(out, "\nDesigns:   ");
    bool first = true;
    for (size_t d = 0; d < rv->vocab[EVS_VOCAB_DESIGN].n; d++) {
        if (designs[d] == 0)
            continue;
        fprintf(out, "%s", first ? "" : ", ");
        print_count(out, designs[d], evs_review_class(rv, EVS_VOCAB_DESIGN, d)->label);
        first = false;
    }
    fprintf(out, "\nExcluded:  %zu\n", whole - included);
    for (size_t i = 0; i < ev->nstudies; i++) {
        const evs_study *s = &ev->studies[i];
        if (s->parent < 0 && !s->included)
            fprintf(out, "  %-22s %s\n", s->id, s->exclusion_reason);
    }

    appraisals(out, ev);

    fprintf(out, "\nOutcome rows: %zu\n", ev->nobs);
    for (size_t i = 0; i < ev->nobs; i++) {
        const char *name = ev->obs[i].outcome;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(ev->obs[j].outcome, name) == 0;
        if (seen)
            continue;
        size_t rows = 0, secondary = 0, baseline = 0, unstated = 0;
        for (size_t j = i; j < ev->nobs; j++) {
            if (strcmp(ev->obs[j].outcome, name) != 0)
                continue;
            rows++;
            secondary += ev->obs[j].secondary;
            baseline += ev->obs[j].time == EVS_TIME_BASELINE;
            unstated += ev->obs[j].time == EVS_TIME_UNSTATED;
        }
        fprintf(out, "  %-34s %3zu row%s (%zu baseline, %zu with a time in weeks, %zu time not "
                     "stated)",
                name, rows, rows == 1 ? "" : "s", baseline, rows - baseline - unstated,
                unstated);
        if (secondary)
            fprintf(out, ", %zu from a secondary source", secondary);
        fputc('\n', out);
    }
}

static int analyses(FILE *out, const evs_review *rv, const evs_evidence *ev)
{
    evs_error err;
    evs_error_clear(&err);
    fprintf(out, "\nAnalyses (k = rows pooled):\n");
    for (size_t o = 0; o < rv->noutcomes; o++) {
        const evs_outcome_spec *spec = &rv->outcomes[o];
        long windows[EVS_MAX_WINDOWS + 1];
        size_t nw = evs_dataset_windows(rv, o, windows, EVS_MAX_WINDOWS + 1);
        for (size_t w = 0; w < nw; w++) {
            evs_dataset *ds = evs_dataset_build(rv, ev, o, windows[w], NAN, &err);
            if (ds == NULL)
                return evs_report_error("check", &err);
            fprintf(out, "  %s, %s (%s): k = %zu", spec->id,
                    evs_dataset_window_label(rv, windows[w]), evs_measure_name(spec->measure),
                    ds->nrows);
            if (ds->nrows < 2)
                fprintf(out, " (too few to pool)");
            fputc('\n', out);
            for (int b = 0; b < EVS_CONV_COUNT_; b++) {
                unsigned bit = 1u << b;
                size_t count = 0;
                for (size_t i = 0; i < ds->nrows; i++)
                    count += (ds->rows[i].conv & bit) != 0;
                if (count == 0)
                    continue;
                fprintf(out, "      %zu of %zu: %s", count, ds->nrows, evs_conv_text(bit));
                if (bit == EVS_CONV_R_IMPUTED)
                    fprintf(out, " (r = %g)", ds->r);
                fputc('\n', out);
            }
            for (size_t i = 0; i < ds->nexcl; i++)
                fprintf(out, "      left out: %s: %s\n", ev->studies[ds->excl[i].study].id,
                        ds->excl[i].reason);
            evs_dataset_free(ds);
        }
    }
    return 0;
}

/* The screening log: the PRISMA counts of the current search, and what is still to do. */
static int screening(FILE *out, const evs_review *rv, const evs_evidence *ev,
                     const evs_screening_log *log, const evs_decision_log *decisions)
{
    if (log == NULL) {
        fprintf(out, "\nScreening log: none (records.csv; see evsynth import)\n");
    } else {
        const char *reasons[EVS_PRISMA_MAX_REASONS];
        size_t nreasons = rv->nreasons < EVS_PRISMA_MAX_REASONS ? rv->nreasons
                                                                 : EVS_PRISMA_MAX_REASONS;
        for (size_t i = 0; i < nreasons; i++)
            reasons[i] = rv->reasons[i].id;
        evs_prisma p;
        if (evs_prisma_count(log, ev, rv->literature_search, reasons, nreasons, &p) != EVS_OK) {
            evs_error err;
            evs_error_set(&err, EVS_ENOMEM, 0, 0, "out of memory");
            return evs_report_error("check", &err);
        }
        const evs_prisma_column *d = &p.databases, *o = &p.other;
        fprintf(out, "\nScreening log: %zu records; search of %s%s\n", log->n, p.search,
                p.update ? " (an update: earlier searches in the log)" : "");
        if (d->identified > 0 || o->identified == 0)
            fprintf(out, "  databases and registers: %zu identified, %zu duplicates, %zu "
                         "screened, %zu excluded, %zu sought, %zu not retrieved, %zu assessed, "
                         "%zu excluded, %zu included\n",
                    d->identified, d->duplicates, d->screened, d->screen_excluded, d->sought,
                    d->not_retrieved, d->assessed, d->excluded, d->reports_included);
        if (o->identified > 0)
            fprintf(out, "  other methods: %zu identified, %zu duplicates, %zu sought, %zu not "
                         "retrieved, %zu assessed, %zu excluded, %zu included\n",
                    o->identified, o->duplicates, o->sought, o->not_retrieved, o->assessed,
                    o->excluded, o->reports_included);
        if (p.update)
            fprintf(out, "  studies: %zu in the previous version, %zu new, %zu in total (%zu "
                         "reports)\n",
                    p.previous_studies, p.new_studies, p.total_studies, p.total_reports);
        else
            fprintf(out, "  studies: %zu included (%zu reports)\n", p.total_studies,
                    p.total_reports);
        size_t ta = d->screen_pending, ft = d->assess_pending + o->assess_pending;
        if (ta + ft > 0)
            fprintf(out, "  to do: %zu record%s to screen on title and abstract, %zu full "
                         "text%s to assess\n",
                    ta, ta == 1 ? "" : "s", ft, ft == 1 ? "" : "s");
    }
    if (decisions != NULL && decisions->n > 0) {
        const evs_decision *last = &decisions->items[0];
        for (size_t i = 1; i < decisions->n; i++)
            if (strcmp(decisions->items[i].date, last->date) >= 0)
                last = &decisions->items[i];
        fprintf(out, "\nDecision log: %zu decision%s; the latest: %s, %s: %s\n", decisions->n,
                decisions->n == 1 ? "" : "s", last->date, last->body, last->decision);
    }
    return 0;
}

const evs_command_line evs_check_line = {"check", check_options, NOPTIONS, on_option,
                                         check_help, 1, 1, "review folder"};

int evs_cmd_check(int argc, char **argv)
{
    bool help = false;
    evs_error err;
    evs_error_clear(&err);
    int nops;
    int start = evs_command_start(&evs_check_line, argc, argv, &help, &help, &nops);
    if (start >= 0)
        return start;

    evs_review *rv = NULL;
    evs_evidence *ev = NULL;
    evs_screening_log *log = NULL;
    evs_decision_log *decisions = NULL;
    int st = evs_load_review_logs(argv[0], "", &rv, &ev, &log, &decisions);
    if (st != 0)
        return st;
    evs_contributions in;
    if (evs_count_contributions(rv, ev, &in, &err) != EVS_OK) {
        st = evs_report_error("check", &err);
        evs_screening_log_free(log);
        evs_decision_log_free(decisions);
        evs_review_free(rv);
        evs_evidence_free(ev);
        return st;
    }
    inventory(stdout, argv[0], rv, ev, &in);
    evs_contributions_free(&in);
    int status = analyses(stdout, rv, ev);
    if (status == 0)
        status = screening(stdout, rv, ev, log, decisions);
    evs_screening_log_free(log);
    evs_decision_log_free(decisions);
    evs_review_free(rv);
    evs_evidence_free(ev);
    return status;
}
