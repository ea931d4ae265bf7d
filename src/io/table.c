/*
 * table.c -- a CSV file held in memory (see table.h).
 *
 * All cell text lives in one growing buffer; a row-major array of offsets
 * locates each cell.  This keeps a table of n rows to three allocations
 * however many cells it has.
 */
#include "io/table.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_reader.h"

struct evs_table {
    char *source;
    size_t ncols;
    char **names;
    size_t nrows, rows_cap;
    size_t *cell; /* nrows * ncols offsets into text */
    long *line;   /* nrows source lines */
    char *text;
    size_t text_len, text_cap;
};

static evs_status oom(evs_error *err)
{
    return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
}

static evs_status take_header(evs_table *t, const evs_csv_record *rec, evs_error *err)
{
    t->names = calloc(rec->nfields, sizeof *t->names);
    if (t->names == NULL)
        return oom(err);
    t->ncols = rec->nfields;
    for (size_t j = 0; j < rec->nfields; j++) {
        const char *name = rec->field[j];
        if (name[0] == '\0')
            return evs_error_set(err, EVS_EDATA, rec->field_line[j], (long)j + 1,
                                 "empty column name in the header");
        for (size_t i = 0; i < j; i++)
            if (strcmp(t->names[i], name) == 0)
                return evs_error_set(err, EVS_EDATA, rec->field_line[j], (long)j + 1,
                                     "duplicate column \"%s\" (also column %zu)", name,
                                     i + 1);
        t->names[j] = strdup(name);
        if (t->names[j] == NULL)
            return oom(err);
    }
    return EVS_OK;
}

static evs_status take_row(evs_table *t, const evs_csv_record *rec, evs_error *err)
{
    if (rec->nfields != t->ncols) {
        long col = (long)(rec->nfields < t->ncols ? rec->nfields : t->ncols) + 1;
        return evs_error_set(err, EVS_EDATA, rec->line, col,
                             "row has %zu field%s but the header has %zu", rec->nfields,
                             rec->nfields == 1 ? "" : "s", t->ncols);
    }
    if (t->nrows == t->rows_cap) {
        size_t cap = t->rows_cap ? 2 * t->rows_cap : 64;
        size_t *cell = realloc(t->cell, cap * t->ncols * sizeof *cell);
        if (cell == NULL)
            return oom(err);
        t->cell = cell;
        long *line = realloc(t->line, cap * sizeof *line);
        if (line == NULL)
            return oom(err);
        t->line = line;
        t->rows_cap = cap;
    }
    size_t need = t->text_len;
    for (size_t j = 0; j < rec->nfields; j++)
        need += strlen(rec->field[j]) + 1;
    if (need > t->text_cap) {
        size_t cap = t->text_cap ? t->text_cap : 4096;
        while (cap < need)
            cap *= 2;
        char *text = realloc(t->text, cap);
        if (text == NULL)
            return oom(err);
        t->text = text;
        t->text_cap = cap;
    }
    size_t *cell = t->cell + t->nrows * t->ncols;
    for (size_t j = 0; j < rec->nfields; j++) {
        size_t n = strlen(rec->field[j]) + 1;
        memcpy(t->text + t->text_len, rec->field[j], n);
        cell[j] = t->text_len;
        t->text_len += n;
    }
    t->line[t->nrows++] = rec->line;
    return EVS_OK;
}

static evs_status on_record(const evs_csv_record *rec, void *ctx, evs_error *err)
{
    evs_table *t = ctx;
    if (t->names == NULL)
        return take_header(t, rec, err);
    return take_row(t, rec, err);
}

static evs_table *finish(evs_table *t, evs_status st, const char *name, evs_error *err)
{
    if (st == EVS_OK && t->names == NULL) {
        st = evs_error_set(err, EVS_EDATA, 1, 0, "the file is empty (no header row)");
    } else if (st == EVS_OK && t->nrows == 0) {
        st = evs_error_set(err, EVS_EDATA, 2, 0,
                           "the file has a header but no data rows");
    }
    if (st == EVS_OK) {
        t->source = strdup(name);
        if (t->source == NULL)
            st = oom(err);
    }
    if (st != EVS_OK) {
        evs_error_set_file(err, name);
        evs_table_free(t);
        return NULL;
    }
    return t;
}

evs_table *evs_table_read(const char *path, evs_error *err)
{
    evs_table *t = calloc(1, sizeof *t);
    if (t == NULL) {
        oom(err);
        return NULL;
    }
    evs_status st = evs_csv_read_file(path, on_record, t, err);
    return finish(t, st, strcmp(path, "-") == 0 ? "<stdin>" : path, err);
}

evs_table *evs_table_read_buffer(const char *data, size_t len, const char *name,
                                 evs_error *err)
{
    evs_table *t = calloc(1, sizeof *t);
    if (t == NULL) {
        oom(err);
        return NULL;
    }
    evs_status st = evs_csv_read_buffer(data, len, name, on_record, t, err);
    return finish(t, st, name, err);
}

void evs_table_free(evs_table *t)
{
    if (t == NULL)
        return;
    if (t->names != NULL)
        for (size_t j = 0; j < t->ncols; j++)
            free(t->names[j]);
    free(t->names);
    free(t->cell);
    free(t->line);
    free(t->text);
    free(t->source);
    free(t);
}

const char *evs_table_source(const evs_table *t) { return t->source; }
size_t evs_table_ncols(const evs_table *t) { return t->ncols; }
size_t evs_table_nrows(const evs_table *t) { return t->nrows; }
const char *evs_table_name(const evs_table *t, size_t col) { return t->names[col]; }

long evs_table_find(const evs_table *t, const char *name)
{
    for (size_t j = 0; j < t->ncols; j++)
        if (strcmp(t->names[j], name) == 0)
            return (long)j;
    return -1;
}

const char *evs_table_cell(const evs_table *t, size_t row, size_t col)
{
    return t->text + t->cell[row * t->ncols + col];
}

long evs_table_line(const evs_table *t, size_t row)
{
    return t->line[row];
}

void evs_table_columns(const evs_table *t, const evs_column_spec *spec, size_t n, long *col,
                       evs_problems *problems)
{
    for (size_t j = 0; j < n; j++) {
        col[j] = evs_table_find(t, spec[j].name);
        if (col[j] < 0 && spec[j].required)
            evs_problems_add(problems, EVS_EDATA, t->source, 1, 0,
                             "missing required column \"%s\"", spec[j].name);
    }
    for (size_t k = 0; k < t->ncols; k++) {
        bool known = false;
        for (size_t j = 0; j < n; j++)
            known |= strcmp(t->names[k], spec[j].name) == 0;
        if (!known)
            evs_problems_add(problems, EVS_EDATA, t->source, 1, (long)k + 1,
                             "unknown column \"%s\"", t->names[k]);
    }
}

void evs_table_problem(evs_problems *problems, const evs_table *t, size_t row, long col,
                       const char *fmt, ...)
{
    char msg[EVS_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    evs_problems_add(problems, EVS_EDATA, t->source, t->line[row], col >= 0 ? col + 1 : 0, "%s",
                     msg);
}
