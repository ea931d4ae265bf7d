/*
 * csv_reader.c -- streaming CSV reader on top of libcsv (see csv_reader.h).
 *
 * libcsv reports fields and record ends through callbacks but does not count
 * lines.  To know where each field starts, the input is fed to csv_parse()
 * one physical line at a time (a line being a run of bytes up to and
 * including '\n'), so that the line number is known whenever a callback
 * fires.  A field starts on the line where the previous field ended (the
 * delimiter is there), or, at the start of a record, on the first line after
 * the previous record that is not blank (libcsv skips blank lines).
 */
#include "io/csv_reader.h"

#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "io/files.h"
#include "io/utf8.h"

#define READ_BLOCK 65536
/* Longest piece of a line handed to libcsv at once: the limits are checked
 * between pieces, so a field can outgrow EVS_CSV_FIELD_MAX by at most this. */
#define SEGMENT_MAX 65536

typedef struct reader {
    struct csv_parser parser;
    const char *name;
    evs_csv_record_fn fn;
    void *ctx;
    evs_error *err;
    evs_status status; /* first error; once set, callbacks do nothing */

    long line;            /* physical line being fed (1-based) */
    long next_field_line; /* where the next field starts */
    bool at_record_start; /* no byte of the next record seen yet */
    bool line_has_content;

    /* the record being assembled */
    size_t nfields, fields_cap;
    size_t *offset;
    long *field_line;
    const char **ptr;
    char *text;
    size_t text_len, text_cap;
} reader;

static evs_status fail(reader *r, evs_status code, long line, long column,
                       const char *msg, const char *detail)
{
    if (r->status != EVS_OK)
        return r->status;
    r->status = code;
    evs_error_set(r->err, code, line, column, "%s%s", msg, detail ? detail : "");
    evs_error_set_file(r->err, r->name);
    return code;
}

/* Make room for need bytes of field text. */
static bool reserve_text(reader *r, size_t need)
{
    if (need <= r->text_cap)
        return true;
    size_t cap = r->text_cap ? r->text_cap : 256;
    while (cap < need)
        cap *= 2;
    char *t = realloc(r->text, cap);
    if (t == NULL)
        return false;
    r->text = t;
    r->text_cap = cap;
    return true;
}

/* Make room for n fields in the three per-field arrays, which share fields_cap. */
static bool reserve_fields(reader *r, size_t n)
{
    if (n <= r->fields_cap)
        return true;
    size_t cap = r->fields_cap ? 2 * r->fields_cap : 16;
    size_t *off = realloc(r->offset, cap * sizeof *off);
    if (off == NULL)
        return false;
    r->offset = off;
    long *fl = realloc(r->field_line, cap * sizeof *fl);
    if (fl == NULL)
        return false;
    r->field_line = fl;
    const char **pp = realloc((void *)r->ptr, cap * sizeof *pp);
    if (pp == NULL)
        return false;
    r->ptr = pp;
    r->fields_cap = cap;
    return true;
}

static void on_field(void *data, size_t len, void *ctx)
{
    reader *r = ctx;
    if (r->status != EVS_OK)
        return;
    long column = (long)r->nfields + 1;
    long line = r->next_field_line;
    const char *s = data ? data : "";
    if (data == NULL)
        len = 0;

    if (len > EVS_CSV_FIELD_MAX) {
        char detail[64];
        snprintf(detail, sizeof detail, " (more than %zu bytes)", (size_t)EVS_CSV_FIELD_MAX);
        fail(r, EVS_EDATA, line, column, "field is too long", detail);
        return;
    }
    size_t bad;
    if (!evs_utf8_text_valid(s, len, &bad)) {
        if (s[bad] == '\0') {
            fail(r, EVS_EDATA, line, column,
                 "field contains a NUL byte (is this a binary or UTF-16 file?)", NULL);
            return;
        }
        char detail[96];
        snprintf(detail, sizeof detail,
                 " (byte 0x%02X at offset %zu of the field); save the file as UTF-8",
                 (unsigned)(unsigned char)s[bad], bad + 1);
        fail(r, EVS_EDATA, line, column, "field is not valid UTF-8", detail);
        return;
    }

    size_t n = r->nfields + 1;
    if (n > EVS_CSV_FIELDS_MAX) {
        char detail[64];
        snprintf(detail, sizeof detail, " (the limit is %zu)", (size_t)EVS_CSV_FIELDS_MAX);
        fail(r, EVS_EDATA, r->nfields > 0 ? r->field_line[0] : line, column,
             "record has too many fields", detail);
        return;
    }
    if (r->text_len + len + 1 > EVS_CSV_RECORD_MAX) {
        char detail[64];
        snprintf(detail, sizeof detail, " (more than %zu bytes)", (size_t)EVS_CSV_RECORD_MAX);
        fail(r, EVS_EDATA, r->nfields > 0 ? r->field_line[0] : line, column,
             "record is too long", detail);
        return;
    }
    if (!reserve_fields(r, n)) {
        fail(r, EVS_ENOMEM, line, column, "out of memory", NULL);
        return;
    }
    if (!reserve_text(r, r->text_len + len + 1)) {
        fail(r, EVS_ENOMEM, line, column, "out of memory", NULL);
        return;
    }
    memcpy(r->text + r->text_len, s, len);
    r->offset[r->nfields] = r->text_len;
    r->field_line[r->nfields] = line;
    r->text_len += len;
    r->text[r->text_len++] = '\0';
    r->nfields = n;
    r->next_field_line = r->line;
}

static void on_record(int c, void *ctx)
{
    reader *r = ctx;
    (void)c;
    if (r->status != EVS_OK)
        return;
    for (size_t i = 0; i < r->nfields; i++)
        r->ptr[i] = r->text + r->offset[i];
    evs_csv_record rec = {
        .nfields = r->nfields,
        .field = r->ptr,
        .field_line = r->field_line,
        .line = r->nfields > 0 ? r->field_line[0] : r->line,
    };
    if (r->nfields > 0) {
        evs_status st = r->fn(&rec, r->ctx, r->err);
        if (st != EVS_OK) {
            r->status = st;
            evs_error_set_file(r->err, r->name);
        }
    }
    r->nfields = 0;
    r->text_len = 0;
    r->next_field_line = r->line + 1;
    r->at_record_start = true;
}

static bool is_blank_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Feed one segment: a whole line, or the part of one that fits in a block. */
static void feed_segment(reader *r, const char *s, size_t len, bool ends_line)
{
    if (r->at_record_start && !r->line_has_content) {
        for (size_t i = 0; i < len; i++) {
            if (!is_blank_byte(s[i])) {
                r->line_has_content = true;
                r->at_record_start = false;
                break;
            }
        }
    } else {
        r->line_has_content = true;
    }
    /* A NUL byte ends the input at once, with the field it is in, before
     * libcsv would buffer the rest of a binary file as one field. */
    const char *nul = memchr(s, '\0', len);
    size_t take = nul ? (size_t)(nul - s) : len;
    size_t done = csv_parse(&r->parser, s, take, on_field, on_record, r);
    if (r->status == EVS_OK && done == take && nul != NULL) {
        fail(r, EVS_EDATA, r->line, (long)r->nfields + 1,
             "field contains a NUL byte (is this a binary or UTF-16 file?)", NULL);
        return;
    }
    /* The field being read is checked against the limit as it grows, not
     * once it is complete (segments are at most SEGMENT_MAX bytes). */
    if (r->status == EVS_OK && r->parser.entry_pos > EVS_CSV_FIELD_MAX) {
        char detail[64];
        snprintf(detail, sizeof detail, " (more than %zu bytes)", (size_t)EVS_CSV_FIELD_MAX);
        fail(r, EVS_EDATA, r->next_field_line, (long)r->nfields + 1, "field is too long",
             detail);
        return;
    }
    if (r->status == EVS_OK && done != take) {
        int e = csv_error(&r->parser);
        if (e == CSV_EPARSE)
            fail(r, EVS_EDATA, r->line, (long)r->nfields + 1,
                 "malformed quoting: a quote inside an unquoted field, or text "
                 "after a closing quote (quote the whole field and double any "
                 "quote inside it)",
                 NULL);
        else
            fail(r, EVS_EIO, r->line, (long)r->nfields + 1, csv_strerror(e), NULL);
    }
    if (ends_line) {
        if (r->at_record_start && !r->line_has_content)
            r->next_field_line = r->line + 1;
        r->line++;
        r->line_has_content = false;
    }
}

static void feed_block(reader *r, const char *s, size_t len)
{
    while (len > 0 && r->status == EVS_OK) {
        size_t span = len < SEGMENT_MAX ? len : SEGMENT_MAX;
        const char *nl = memchr(s, '\n', span);
        size_t n = nl ? (size_t)(nl - s) + 1 : span;
        feed_segment(r, s, n, nl != NULL);
        s += n;
        len -= n;
    }
}

static evs_status reader_init(reader *r, const char *name, evs_csv_record_fn fn,
                              void *ctx, evs_error *err)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->fn = fn;
    r->ctx = ctx;
    r->err = err;
    r->line = 1;
    r->next_field_line = 1;
    r->at_record_start = true;
    if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0)
        return fail(r, EVS_ENOMEM, 0, 0, "out of memory", NULL);
    /* libcsv grows its field buffer by this much at a time (default 128
     * bytes, which makes a long field quadratic to read). */
    csv_set_blk_size(&r->parser, 65536);
    return EVS_OK;
}

static evs_status reader_finish(reader *r)
{
    if (r->status == EVS_OK) {
        if (csv_fini(&r->parser, on_field, on_record, r) != 0 && r->status == EVS_OK)
            fail(r, EVS_EDATA, r->next_field_line, (long)r->nfields + 1,
                 "unclosed quote: this field opens a quote that is never closed",
                 NULL);
    }
    csv_free(&r->parser);
    free(r->offset);
    free(r->field_line);
    free((void *)r->ptr);
    free(r->text);
    return r->status;
}

static size_t skip_bom(const char *s, size_t len)
{
    if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        return 3;
    return 0;
}

evs_status evs_csv_read_buffer(const char *data, size_t len, const char *name,
                               evs_csv_record_fn fn, void *ctx, evs_error *err)
{
    reader r;
    if (reader_init(&r, name, fn, ctx, err) != EVS_OK)
        return reader_finish(&r);
    size_t skip = skip_bom(data, len);
    feed_block(&r, data + skip, len - skip);
    return reader_finish(&r);
}

evs_status evs_csv_read_stream(FILE *fp, const char *name, evs_csv_record_fn fn,
                               void *ctx, evs_error *err)
{
    reader r;
    if (reader_init(&r, name, fn, ctx, err) != EVS_OK)
        return reader_finish(&r);
    char *block = malloc(READ_BLOCK);
    if (block == NULL) {
        fail(&r, EVS_ENOMEM, 0, 0, "out of memory", NULL);
        return reader_finish(&r);
    }
    bool first = true;
    size_t n;
    while (r.status == EVS_OK && (n = fread(block, 1, READ_BLOCK, fp)) > 0) {
        size_t skip = first ? skip_bom(block, n) : 0;
        first = false;
        feed_block(&r, block + skip, n - skip);
    }
    if (r.status == EVS_OK && ferror(fp))
        fail(&r, EVS_EIO, 0, 0, "read error: ", strerror(errno));
    free(block);
    return reader_finish(&r);
}

evs_status evs_csv_read_file(const char *path, evs_csv_record_fn fn, void *ctx,
                             evs_error *err)
{
    if (strcmp(path, "-") == 0)
        return evs_csv_read_stream(stdin, "<stdin>", fn, ctx, err);
    FILE *fp = evs_input_open(path, false, err);
    if (fp == NULL)
        return EVS_EIO;
    evs_status st = evs_csv_read_stream(fp, path, fn, ctx, err);
    fclose(fp);
    return st;
}
