/*
 * cmd_import.c -- "evsynth import REVIEW_DIR FILE...": the records of search
 * exports (PubMed MEDLINE, RIS) added to the review's screening log,
 * records.csv, each marked when it duplicates a record of the log, a study
 * of studies.csv, or an earlier record of the same import.
 *
 * Nothing is written unless the review folder, the log and every file
 * read without a problem; the log is then written whole, through a
 * temporary file and a rename.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/atomic.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "review/decisions.h"
#include "cli/options.h"
#include "report/report.h"
#include "review/review.h"
#include "review/screening.h"
#include "io/search_export.h"

enum { OPT_SOURCE, OPT_TYPE, OPT_SEARCH, OPT_DATE, OPT_DRY_RUN, OPT_HELP };

static const evs_option import_options[] = {
    {OPT_SOURCE, "source", 's', "NAME", "the database or source the files come from\n"
                                         "(default: PubMed for MEDLINE files, the DB line of RIS)"},
    {OPT_TYPE, "type", 't', "TYPE", "database, register or other (citation searching,\n"
                                     "websites...); default database"},
    {OPT_SEARCH, "search", 0, "DATE", "date the search was run (default: literature_search\n"
                                      "in review.ini)"},
    {OPT_DATE, "date", 0, "DATE", "date_added of the records (default: today)"},
    {OPT_DRY_RUN, "dry-run", 'n', NULL, "say what would be added; write nothing"},
    {OPT_HELP, "help", 'h', NULL, "show this help and exit"},
};

#define NOPTIONS (sizeof import_options / sizeof import_options[0])

typedef struct import_args {
    const char *source, *search, *date;
    evs_source_type type;
    bool dry_run, help;
} import_args;

static evs_status on_option(int id, const char *value, void *ctx, evs_error *err)
{
    import_args *a = ctx;
    switch (id) {
    case OPT_SOURCE:
        if (value[0] == '\0')
            return evs_error_set(err, EVS_EINVAL, 0, 0, "--source: the name is empty");
        a->source = value;
        break;
    case OPT_TYPE:
        if (!evs_source_type_from_name(value, &a->type))
            return evs_error_set(err, EVS_EINVAL, 0, 0,
                                 "--type: \"%s\" is not database, register or other", value);
        break;
    case OPT_SEARCH:
    case OPT_DATE:
        if (!evs_date_valid(value) || strlen(value) != 10)
            return evs_error_set(err, EVS_EINVAL, 0, 0, "--%s: \"%s\" is not a date (YYYY-MM-DD)",
                                 id == OPT_SEARCH ? "search" : "date", value);
        *(id == OPT_SEARCH ? &a->search : &a->date) = value;
        break;
    case OPT_DRY_RUN:
        a->dry_run = true;
        break;
    default:
        a->help = true;
    }
    return EVS_OK;
}

static void import_help(FILE *out)
{
    fprintf(out,
            "Usage: evsynth import [--source NAME] [--type TYPE] [--search DATE] [--date DATE]\n"
            "                      [--dry-run] REVIEW_DIR FILE...\n\n"
            "Add the records of literature-search exports to the review's screening log,\n"
            "REVIEW_DIR/records.csv (created if missing).  FILE is a PubMed export in MEDLINE\n"
            "format (.nbib, .txt) or a RIS file (Embase, Ovid, Scopus, Cochrane, EndNote,\n"
            "Zotero).  Each record that duplicates a record of the log, a study of\n"
            "studies.csv or an earlier record of the import (by PMID, DOI, then title, year\n"
            "and first author) is added with duplicate_of naming what it matched.  Screen\n"
            "the new records in records.csv, then run evsynth check.\n\n"
            "Options:\n");
    evs_options_help(out, import_options, NOPTIONS);
    fprintf(out, "\nExit status: 0 done, 1 a problem in a file (nothing written), 2 usage error,\n"
                 "3 a file cannot be read or written.\n");
}

/* For the documentation (--help, the man page); import parses on its own. */
const evs_command_line evs_import_line = {"import", import_options, NOPTIONS, on_option,
                                          import_help, 2, 0, "review folder and export files"};

/* The number of the next record id: one more than the largest rNNNN of the log. */
static unsigned long next_number(const evs_screening_log *log)
{
    unsigned long max = 0;
    for (size_t i = 0; i < log->n; i++) {
        const char *id = log->records[i].id;
        if (id[0] != 'r' || id[1] == '\0' || strspn(id + 1, "0123456789") != strlen(id + 1))
            continue;
        unsigned long v = strtoul(id + 1, NULL, 10);
        if (v > max)
            max = v;
    }
    return max + 1;
}

static void today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm) == NULL || strftime(out, 11, "%Y-%m-%d", &tm) == 0)
        snprintf(out, 11, "%s", "1970-01-01");
}

/* "duplicate of r0004 (PMID 17621211)" and the like, for the summary. */
static void describe(const evs_record *r, const evs_dup *dup, const evs_screening_log *log,
                     const evs_evidence *ev, const evs_screening_log *incoming, char *buf,
                     size_t cap)
{
    char key[600];
    if (dup->match == EVS_MATCH_PMID)
        snprintf(key, sizeof key, "PMID %s", r->pmid);
    else if (dup->match == EVS_MATCH_DOI)
        snprintf(key, sizeof key, "DOI %s", r->doi);
    else
        snprintf(key, sizeof key, "title, year and first author");
    if (!dup->duplicate)
        snprintf(buf, cap, "the record of study %s of studies.csv (%s): study filled in",
                 ev->studies[dup->study].id, key);
    else if (dup->study >= 0 && dup->log_record >= 0)
        snprintf(buf, cap, "duplicate of %s, the log's record of study %s (%s)",
                 log->records[dup->log_record].id, ev->studies[dup->study].id, key);
    else if (dup->study >= 0)
        snprintf(buf, cap, "duplicate of %s from %s, the record of study %s (%s)",
                 incoming->records[dup->new_record].id,
                 incoming->records[dup->new_record].imported_from, ev->studies[dup->study].id,
                 key);
    else if (dup->log_record >= 0)
        snprintf(buf, cap, "duplicate of %s, already in the log (%s)",
                 log->records[dup->log_record].id, key);
    else
        snprintf(buf, cap, "duplicate of %s from %s (%s)", incoming->records[dup->new_record].id,
                 incoming->records[dup->new_record].imported_from, key);
}

/* Read every file into incoming; a problem anywhere is printed and stops the import. */
static int read_exports(char **files, int nfiles, const import_args *a,
                        evs_screening_log *incoming, size_t *first, evs_export_format *formats)
{
    evs_problems problems;
    evs_problems_init(&problems);
    for (int f = 0; f < nfiles; f++) {
        first[f] = incoming->n;
        size_t before = problems.n;
        evs_export_read_file(files[f], incoming, &problems, &formats[f]);
        for (size_t i = first[f]; problems.n == before && i < incoming->n; i++) {
            evs_record *r = &incoming->records[i];
            if (a->source != NULL && !evs_record_set(&r->source, a->source)) {
                evs_problems_add(&problems, EVS_ENOMEM, files[f], 0, 0, "out of memory");
            } else if (r->source[0] == '\0') {
                evs_problems_add(&problems, EVS_EDATA, files[f], 0, 0,
                                 "the file does not name its database (no DB or DP line): give "
                                 "it with --source NAME");
                break;
            }
        }
    }
    int status = (int)evs_exit_code(evs_problems_status(&problems));
    if (status != 0) {
        evs_problems_sort(&problems);
        char buf[EVS_ERROR_FILE_MAX + EVS_ERROR_MESSAGE_MAX + 64];
        for (size_t i = 0; i < problems.n; i++)
            fprintf(stderr, "%s\n", evs_error_format(&problems.items[i], buf, sizeof buf));
        fprintf(stderr, "%zu problem%s found; nothing written\n", problems.n,
                problems.n == 1 ? "" : "s");
    }
    evs_problems_free(&problems);
    return status;
}

/*
 * Give the new records their ids, search and date, and mark each duplicate
 * with what it matched (dups[i]); ndup counts them by what they duplicate
 * (the log, a study's record, the import), and ndup[3] the records that are
 * the first of a study of studies.csv.  EVS_ENOMEM when out of memory.
 */
static evs_status mark_records(const import_args *a, const evs_review *rv,
                               const evs_evidence *ev, const evs_screening_log *log,
                               evs_screening_log *incoming, evs_dup *dups, size_t ndup[4])
{
    char added[11];
    if (a->date != NULL)
        snprintf(added, sizeof added, "%s", a->date);
    else
        today(added);
    const char *search = a->search != NULL ? a->search : rv->literature_search;
    unsigned long number = next_number(log);
    evs_dedup *dedup = evs_dedup_alloc(log, ev);
    if (dedup == NULL)
        return EVS_ENOMEM;
    evs_status st = EVS_OK;
    for (size_t i = 0; i < incoming->n && st == EVS_OK; i++) {
        evs_record *r = &incoming->records[i];
        char id[32], of[300];
        snprintf(id, sizeof id, "r%04lu", number++);
        r->source_type = a->type;
        if (!evs_record_set(&r->id, id) || !evs_record_set(&r->search, search) ||
            !evs_record_set(&r->date_added, added) ||
            evs_dedup_check(dedup, r, i, &dups[i]) != EVS_OK) {
            st = EVS_ENOMEM;
            break;
        }
        const evs_dup *d = &dups[i];
        if (d->match == EVS_MATCH_NONE)
            continue;
        if (!d->duplicate) {
            /* The first record of a study written into studies.csv before the log. */
            if (!evs_record_set(&r->study, ev->studies[d->study].id))
                st = EVS_ENOMEM;
            ndup[3]++;
            continue;
        }
        if (d->log_record >= 0)
            snprintf(of, sizeof of, "%s", log->records[d->log_record].id);
        else
            snprintf(of, sizeof of, "%s", incoming->records[d->new_record].id);
        if (!evs_record_set(&r->duplicate_of, of))
            st = EVS_ENOMEM;
        r->duplicate_match = d->match;
        ndup[d->study >= 0 ? 1 : d->log_record >= 0 ? 0 : 2]++;
    }
    evs_dedup_free(dedup);
    return st;
}

/* What was read, and each duplicate with what it matched. */
static void summary(const import_args *a, const char *dir, char **files, int nfiles,
                    const size_t *first, const evs_export_format *formats,
                    const evs_screening_log *log, const evs_evidence *ev,
                    const evs_screening_log *incoming, const evs_dup *dups, const size_t ndup[4])
{
    for (int f = 0; f < nfiles; f++) {
        size_t end = f + 1 < nfiles ? first[f + 1] : incoming->n, n = end - first[f];
        printf("%s: %zu record%s (%s, %s)\n", files[f], n, n == 1 ? "" : "s",
               evs_export_format_name(formats[f]), n > 0 ? incoming->records[first[f]].source : "");
    }
    size_t total = ndup[0] + ndup[1] + ndup[2];
    printf("%s %zu record%s to %s/records.csv: %zu new, %zu duplicate%s (%zu of the log, %zu of "
           "a study's record, %zu within the import)\n",
           a->dry_run ? "Would add" : "Added", incoming->n, incoming->n == 1 ? "" : "s", dir,
           incoming->n - total, total, total == 1 ? "" : "s", ndup[0], ndup[1], ndup[2]);
    if (ndup[3] == 1)
        printf("1 new record is the first record of a study already in studies.csv\n");
    else if (ndup[3] > 1)
        printf("%zu new records are the first records of studies already in studies.csv\n",
               ndup[3]);
    for (size_t i = 0; i < incoming->n; i++) {
        if (dups[i].match == EVS_MATCH_NONE)
            continue;
        char what[1200];
        describe(&incoming->records[i], &dups[i], log, ev, incoming, what, sizeof what);
        printf("  %s (%s): %s\n", incoming->records[i].id, incoming->records[i].imported_from,
               what);
    }
}

/* Move the new records to the end of the log. */
static evs_status append(evs_screening_log *log, evs_screening_log *incoming)
{
    for (size_t i = 0; i < incoming->n; i++) {
        evs_record *r = evs_screening_log_add(log);
        if (r == NULL)
            return EVS_ENOMEM;
        evs_record_clear(r);
        *r = incoming->records[i];
        memset(&incoming->records[i], 0, sizeof incoming->records[i]);
    }
    incoming->n = 0;
    return EVS_OK;
}

int evs_cmd_import(int argc, char **argv)
{
    import_args a = {.type = EVS_SOURCE_DATABASE};
    evs_error err;
    evs_error_clear(&err);
    int nops = 0;
    if (evs_options_parse(argc, argv, import_options, NOPTIONS, on_option, &a, &nops, &err) !=
        EVS_OK)
        return evs_report_error("import", &err);
    if (a.help) {
        import_help(stdout);
        return 0;
    }
    if (nops < 2) {
        evs_error_set(&err, EVS_EINVAL, 0, 0, "%s",
                      nops == 0 ? "missing review folder and export files"
                                : "missing export files (give one or more after the folder)");
        return evs_report_error("import", &err);
    }
    const char *dir = argv[0];
    char **files = argv + 1;
    int nfiles = nops - 1;

    evs_review *rv = NULL;
    evs_evidence *ev = NULL;
    evs_screening_log *log = NULL, *incoming = evs_screening_log_alloc();
    evs_decision_log *decisions = NULL;
    size_t *first = calloc((size_t)nfiles, sizeof *first);
    evs_export_format *formats = calloc((size_t)nfiles, sizeof *formats);
    evs_dup *dups = NULL;
    size_t ndup[4] = {0};
    size_t added = 0;
    evs_buf out;
    evs_buf_init(&out);
    char path[4200];
    snprintf(path, sizeof path, "%s/records.csv", dir);

    int status = evs_load_review_logs(dir, "; nothing written", &rv, &ev, &log, &decisions);
    if (status != 0)
        goto done;
    if (a.search == NULL && rv->literature_search == NULL) {
        evs_error_set(&err, EVS_EINVAL, 0, 0,
                      "%s/review.ini gives no literature_search: give the date the search was "
                      "run with --search DATE",
                      dir);
        status = evs_report_error("import", &err);
        goto done;
    }
    if (incoming == NULL || first == NULL || formats == NULL ||
        (log == NULL && (log = evs_screening_log_alloc()) == NULL))
        goto oom;
    status = read_exports(files, nfiles, &a, incoming, first, formats);
    if (status != 0)
        goto done;
    dups = calloc(incoming->n ? incoming->n : 1, sizeof *dups);
    if (dups == NULL || mark_records(&a, rv, ev, log, incoming, dups, ndup) != EVS_OK)
        goto oom;
    summary(&a, dir, files, nfiles, first, formats, log, ev, incoming, dups, ndup);

    /* The whole log, old records first, written in one piece. */
    added = incoming->n;
    if (append(log, incoming) != EVS_OK)
        goto oom;
    evs_report_records_csv(log, &out);
    if (out.failed)
        goto oom;
    if (a.dry_run)
        goto done;
    if (evs_atomic_write(path, out.data, out.len, &err) != EVS_OK) {
        status = evs_report_error("import", &err);
        goto done;
    }
    if (added > 0)
        printf("Next: screen the new records (ta_decision, ft_decision, ft_reason and study in "
               "records.csv), then run evsynth check %s.\n",
               dir);
    goto done;

oom:
    evs_error_set(&err, EVS_ENOMEM, 0, 0, "out of memory; nothing written");
    status = evs_report_error("import", &err);
done:
    free(first);
    free(formats);
    free(dups);
    evs_buf_free(&out);
    evs_screening_log_free(incoming);
    evs_screening_log_free(log);
    evs_decision_log_free(decisions);
    evs_review_free(rv);
    evs_evidence_free(ev);
    return status;
}
