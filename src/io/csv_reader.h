/*
 * csv_reader.h -- streaming RFC 4180 CSV reader on top of libcsv.
 *
 * The reader hands each record (the header first) to a callback, with the
 * physical line on which each field starts, so that every later message can
 * name FILE:LINE:COLUMN.  It accepts LF or CRLF line ends, a UTF-8 byte-order
 * mark, quoted fields with embedded commas, quotes and newlines, and a missing
 * final newline.  It rejects, with the position: malformed quoting, an
 * unclosed quote, a NUL byte, bytes that are not UTF-8, and fields, records
 * and field counts beyond the limits below.  Memory use is bounded by those
 * limits, so files of any length can be streamed.  Files that are not
 * regular (a FIFO, a device) are refused; "-" is standard input.
 */
#ifndef EVS_CSV_READER_H
#define EVS_CSV_READER_H

#include <stddef.h>
#include <stdio.h>

#include "evsynth/error.h"

/*
 * Limits, checked while reading so that memory stays bounded whatever the
 * input (a line of 50 million commas, /dev/zero on standard input): the
 * longest field, the most fields in a record, the longest record (its
 * field text together), in bytes.
 */
#define EVS_CSV_FIELD_MAX ((size_t)1 << 20)
#define EVS_CSV_FIELDS_MAX ((size_t)16384)
#define EVS_CSV_RECORD_MAX ((size_t)16 << 20)

typedef struct evs_csv_record {
    size_t nfields;
    const char *const *field; /* NUL-terminated text; "" when empty */
    const long *field_line;   /* physical line where each field starts */
    long line;                /* line where the record starts */
} evs_csv_record;

/*
 * Called once per record, the header included.  Return EVS_OK to go on, or
 * an error status (after filling err) to stop reading.  The record and its
 * strings are valid only during the call.
 */
typedef evs_status (*evs_csv_record_fn)(const evs_csv_record *rec, void *ctx,
                                        evs_error *err);

/*
 * Read the file at path ("-" for standard input).  On error returns the
 * status and fills err, with err->file set to path.
 */
evs_status evs_csv_read_file(const char *path, evs_csv_record_fn fn, void *ctx,
                             evs_error *err);

/* Read an open stream; name is used in messages. */
evs_status evs_csv_read_stream(FILE *fp, const char *name, evs_csv_record_fn fn,
                               void *ctx, evs_error *err);

/* Read a buffer in memory (tests and fuzzing); name is used in messages. */
evs_status evs_csv_read_buffer(const char *data, size_t len, const char *name,
                               evs_csv_record_fn fn, void *ctx, evs_error *err);

#endif
