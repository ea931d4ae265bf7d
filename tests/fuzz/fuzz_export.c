/*
 * fuzz_export.c -- the PubMed (MEDLINE) and RIS readers, the deduplication
 * and the PRISMA counts behind `evsynth import`.
 *
 * The input is an export file.  When it reads, every record must have a
 * title and its line; the records are deduplicated against each other (the
 * first of each is kept), counted through the PRISMA flow, and written as
 * records.csv, which must read back as a table of the same number of rows.
 * A file with problems gives no records and at least one message with its
 * file and line.
 */
#include <string.h>

#include "fuzz.h"
#include "io/search_export.h"
#include "io/table.h"
#include "report/report.h"
#include "review/screening.h"

/* The records of a file that read: deduplicated, counted, written and read back. */
static void check_records(evs_screening_log *log)
{
    evs_dedup *d = evs_dedup_alloc(NULL, NULL);
    FUZZ_CHECK(d != NULL);
    for (size_t i = 0; i < log->n; i++) {
        evs_record *r = &log->records[i];
        FUZZ_CHECK(r->title[0] != '\0' && r->line > 0);
        char id[32];
        snprintf(id, sizeof id, "r%04zu", i + 1);
        FUZZ_CHECK(evs_record_set(&r->id, id) && evs_record_set(&r->search, "2026-01-01"));
        evs_dup dup;
        FUZZ_CHECK(evs_dedup_check(d, r, i, &dup) == EVS_OK);
        if (dup.match != EVS_MATCH_NONE) {
            FUZZ_CHECK(dup.duplicate && dup.new_record >= 0 && (size_t)dup.new_record < i);
            FUZZ_CHECK(evs_record_set(&r->duplicate_of, log->records[dup.new_record].id));
            r->duplicate_match = dup.match;
        }
    }
    evs_dedup_free(d);
    evs_prisma pr;
    FUZZ_CHECK(evs_prisma_count(log, NULL, NULL, NULL, 0, &pr) == EVS_OK);
    FUZZ_CHECK(pr.databases.identified == log->n);
    FUZZ_CHECK(pr.databases.duplicates + pr.databases.screened == log->n);
    evs_buf out;
    evs_buf_init(&out);
    evs_report_records_csv(log, &out);
    FUZZ_CHECK(!out.failed);
    evs_error err;
    evs_table *t = evs_table_read_buffer(out.data, out.len, "records.csv", &err);
    FUZZ_CHECK(t != NULL && evs_table_nrows(t) == log->n &&
               evs_table_ncols(t) == (size_t)EVS_RC_COUNT);
    evs_table_free(t);
    evs_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    evs_screening_log *log = evs_screening_log_alloc();
    if (log == NULL)
        return 0;
    evs_problems p;
    evs_problems_init(&p);
    evs_status st = evs_export_read_buffer((const char *)data, size, "fuzz.ris", log, &p, NULL);
    if (st != EVS_OK) {
        FUZZ_CHECK(p.n > 0 && log->n == 0);
        for (size_t i = 0; i < p.n; i++)
            FUZZ_CHECK(p.items[i].message[0] != '\0' && strcmp(p.items[i].file, "fuzz.ris") == 0);
    } else {
        FUZZ_CHECK(p.n == 0 && log->n > 0);
        check_records(log);
    }
    evs_problems_free(&p);
    evs_screening_log_free(log);
    return 0;
}
