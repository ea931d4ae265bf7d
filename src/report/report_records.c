/*
 * report_records.c -- records.csv, the screening log, as `evsynth import`
 * writes it (see report.h): a header of every column and one row per
 * record, in the log's order.  Every cell is quoted, so that a spreadsheet
 * keeps PMIDs and years as text; a cell that a spreadsheet would run as a
 * formula gets a leading apostrophe, which the reader removes again.
 */
#include "report/report.h"

void evs_report_records_csv(const evs_screening_log *log, evs_buf *out)
{
    for (int c = 0; c < EVS_RC_COUNT; c++) {
        if (c > 0)
            evs_buf_add(out, ",");
        evs_buf_add(out, evs_record_column_name((evs_record_column)c));
    }
    evs_buf_add(out, "\n");
    for (size_t i = 0; i < log->n; i++) {
        const evs_record *r = &log->records[i];
        for (int c = 0; c < EVS_RC_COUNT; c++) {
            char buf[16];
            if (c > 0)
                evs_buf_add(out, ",");
            evs_csv_field(out, evs_record_cell(r, (evs_record_column)c, buf, sizeof buf));
        }
        evs_buf_add(out, "\n");
    }
}
