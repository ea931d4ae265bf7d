/*
 * table.h -- a CSV file held in memory: a header of unique column names and
 * rows of text cells, each row remembering the line it came from.
 *
 * The table checks only the shape of the file (a header, unique non-empty
 * column names, the same number of fields in every row, at least one data
 * row).  What the cells mean is checked by the code that reads them.
 */
#ifndef EVS_TABLE_H
#define EVS_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/error.h"
#include "review/problems.h"

typedef struct evs_table evs_table;

/*
 * Read a CSV file ("-" for standard input).  Returns NULL on error, with err
 * filled (FILE:LINE:COLUMN).  Free with evs_table_free().
 */
evs_table *evs_table_read(const char *path, evs_error *err);

/* The same from a buffer in memory; name is used in messages. */
evs_table *evs_table_read_buffer(const char *data, size_t len, const char *name,
                                 evs_error *err);

void evs_table_free(evs_table *t);

const char *evs_table_source(const evs_table *t);
size_t evs_table_ncols(const evs_table *t);
size_t evs_table_nrows(const evs_table *t);
const char *evs_table_name(const evs_table *t, size_t col);

/* Index of the column with this exact name, or -1. */
long evs_table_find(const evs_table *t, const char *name);

/* Cell text ("" when empty); row and col are 0-based. */
const char *evs_table_cell(const evs_table *t, size_t row, size_t col);

/* Physical line of a data row in the source file. */
long evs_table_line(const evs_table *t, size_t row);

/* A column that a reader knows, and whether every file must have it. */
typedef struct evs_column_spec {
    const char *name;
    bool required;
} evs_column_spec;

/*
 * The columns of a file that a reader knows: col[j] is the index of
 * spec[j].name, or -1 when the file has no such column (j < n).  Each
 * missing required column (at line 1) and each column that is not in spec
 * (at line 1 and its column) is added to problems as EVS_EDATA.
 */
void evs_table_columns(const evs_table *t, const evs_column_spec *spec, size_t n, long *col,
                       evs_problems *problems);

/*
 * Add a problem (EVS_EDATA) about the cell of data row `row` in column col
 * (0-based; -1 for the row as a whole), at its line and 1-based column.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void evs_table_problem(evs_problems *problems, const evs_table *t, size_t row, long col,
                       const char *fmt, ...);

#endif
