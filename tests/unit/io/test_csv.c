/*
 * test_csv.c -- the CSV reader and the in-memory table: the shapes of file
 * that must be read, and the broken ones that must be refused with the
 * exact FILE:LINE:COLUMN message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evs_test.h"
#include "io/csv_reader.h"
#include "io/table.h"

static evs_table *read_text(const char *text, size_t len, evs_error *err)
{
    evs_error_clear(err);
    return evs_table_read_buffer(text, len, "in.csv", err);
}

#define READ(text, err) read_text((text), sizeof(text) - 1, (err))

static void expect_row(const evs_table *t, size_t row, long line, const char *a,
                       const char *b)
{
    assert_int_equal(evs_table_line(t, row), line);
    assert_string_equal(evs_table_cell(t, row, 0), a);
    assert_string_equal(evs_table_cell(t, row, 1), b);
}

static void test_plain(void **state)
{
    (void)state;
    evs_error err;
    evs_table *t = READ("study,yi\nA,1\nB,2\n", &err);
    assert_non_null(t);
    assert_int_equal(evs_table_ncols(t), 2);
    assert_int_equal(evs_table_nrows(t), 2);
    assert_string_equal(evs_table_name(t, 1), "yi");
    assert_int_equal(evs_table_find(t, "yi"), 1);
    assert_int_equal(evs_table_find(t, "vi"), -1);
    expect_row(t, 0, 2, "A", "1");
    expect_row(t, 1, 3, "B", "2");
    evs_table_free(t);
}

/* CRLF, a byte-order mark and no final newline read the same as plain LF. */
static void test_line_ends_bom(void **state)
{
    (void)state;
    evs_error err;
    evs_table *t = READ("\xEF\xBB\xBFstudy,yi\r\nA,1\r\nB,2", &err);
    assert_non_null(t);
    assert_string_equal(evs_table_name(t, 0), "study");
    expect_row(t, 0, 2, "A", "1");
    expect_row(t, 1, 3, "B", "2");
    evs_table_free(t);
}

/* RFC 4180 quoting: commas, doubled quotes and newlines inside quotes;
 * line numbers count the physical lines. */
static void test_quoting(void **state)
{
    (void)state;
    evs_error err;
    evs_table *t = READ("study,note\n\"Smith, J\",\"said \"\"hi\"\"\"\n"
                        "\"Two\nlines\",x\nC,\"\"\n",
                        &err);
    assert_non_null(t);
    expect_row(t, 0, 2, "Smith, J", "said \"hi\"");
    expect_row(t, 1, 3, "Two\nlines", "x");
    expect_row(t, 2, 5, "C", "");
    evs_table_free(t);
}

/* Blank lines are skipped but still counted; empty cells are empty strings. */
static void test_blank_lines_empty_cells(void **state)
{
    (void)state;
    evs_error err;
    evs_table *t = READ("a,b\n\n1,\n\r\n,2\n\n", &err);
    assert_non_null(t);
    assert_int_equal(evs_table_nrows(t), 2);
    expect_row(t, 0, 3, "1", "");
    expect_row(t, 1, 5, "", "2");
    evs_table_free(t);
}

typedef struct bad_csv {
    const char *text;
    size_t len;
    const char *message;
} bad_csv;

#define BAD(text, message) {text, sizeof(text) - 1, message}

static void test_refused(void **state)
{
    (void)state;
    static const bad_csv cases[] = {
        BAD("", "in.csv:1: the file is empty (no header row)"),
        BAD("\n\n", "in.csv:1: the file is empty (no header row)"),
        BAD("study,yi\n", "in.csv:2: the file has a header but no data rows"),
        BAD("a,b\n1,2,3\n", "in.csv:2:3: row has 3 fields but the header has 2"),
        BAD("a,b,c\n1,2\n", "in.csv:2:3: row has 2 fields but the header has 3"),
        BAD("a,b,a\n1,2,3\n", "in.csv:1:3: duplicate column \"a\" (also column 1)"),
        BAD("a,,c\n1,2,3\n", "in.csv:1:2: empty column name in the header"),
        BAD("a,b\n1,\"open\n2,3\n",
            "in.csv:2:2: unclosed quote: this field opens a quote that is never closed"),
        BAD("a,b\n1,x\"y\"\n",
            "in.csv:2:2: malformed quoting: a quote inside an unquoted field, or text after a "
            "closing quote (quote the whole field and double any quote inside it)"),
        BAD("a,b\n1,\"x\"y\n",
            "in.csv:2:2: malformed quoting: a quote inside an unquoted field, or text after a "
            "closing quote (quote the whole field and double any quote inside it)"),
        BAD("a,b\n1,x\0y\n",
            "in.csv:2:2: field contains a NUL byte (is this a binary or UTF-16 file?)"),
        BAD("a,b\nM\xFCller,1\n",
            "in.csv:2:1: field is not valid UTF-8 (byte 0xFC at offset 2 of the field); save "
            "the file as UTF-8"),
        BAD("a,b\n1,\xC0\xAF\n",
            "in.csv:2:2: field is not valid UTF-8 (byte 0xC0 at offset 1 of the field); save "
            "the file as UTF-8"),
        BAD("a,b\n1,2\n3,\xED\xA0\x80\n",
            "in.csv:3:2: field is not valid UTF-8 (byte 0xED at offset 1 of the field); save "
            "the file as UTF-8"),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        evs_error err;
        evs_table *t = read_text(cases[i].text, cases[i].len, &err);
        assert_null(t);
        assert_int_equal(err.code, EVS_EDATA);
        char buf[1024];
        assert_string_equal(evs_error_format(&err, buf, sizeof buf), cases[i].message);
    }
}

/* Valid multi-byte UTF-8 in labels is kept as it is. */
static void test_utf8_kept(void **state)
{
    (void)state;
    evs_error err;
    evs_table *t = READ("study,yi\nM\xC3\xBCller \xE2\x80\x93 2014 \xF0\x9F\x93\x88,1\n", &err);
    assert_non_null(t);
    assert_string_equal(evs_table_cell(t, 0, 0),
                        "M\xC3\xBCller \xE2\x80\x93 2014 \xF0\x9F\x93\x88");
    evs_table_free(t);
}

/* A field above the limit is refused. */
static void test_field_too_long(void **state)
{
    (void)state;
    size_t n = EVS_CSV_FIELD_MAX + 10;
    char *text = malloc(n + 16);
    memcpy(text, "a,b\n1,", 6);
    memset(text + 6, 'x', n);
    memcpy(text + 6 + n, "\n", 1);
    evs_error err;
    assert_null(read_text(text, n + 7, &err));
    char buf[1024];
    assert_string_equal(evs_error_format(&err, buf, sizeof buf),
                        "in.csv:2:2: field is too long (more than 1048576 bytes)");
    free(text);
}

/*
 * A field that is still open is checked as it grows: a field of 64 MiB with
 * no end gives the same message as one just over the limit, and the reader
 * stops reading at the limit (the callback never sees the record).
 */
static void test_open_field_stops_at_limit(void **state)
{
    (void)state;
    size_t n = (size_t)64 << 20;
    char *text = malloc(n);
    memcpy(text, "a,b\n1,\"", 7);
    memset(text + 7, 'x', n - 7);
    evs_error err;
    assert_null(read_text(text, n, &err));
    char buf[1024];
    assert_string_equal(evs_error_format(&err, buf, sizeof buf),
                        "in.csv:2:2: field is too long (more than 1048576 bytes)");
    free(text);
}

/* The number of fields in a record and its total size are bounded too. */
static void test_record_limits(void **state)
{
    (void)state;
    size_t n = EVS_CSV_FIELDS_MAX + 100;
    char *text = malloc(n + 8);
    memcpy(text, "a\n", 2);
    memset(text + 2, ',', n);
    text[n + 2] = '\n';
    evs_error err;
    assert_null(read_text(text, n + 3, &err));
    char buf[1024], want[128];
    snprintf(want, sizeof want, "in.csv:2:%zu: record has too many fields (the limit is %zu)",
             EVS_CSV_FIELDS_MAX + 1, EVS_CSV_FIELDS_MAX);
    assert_string_equal(evs_error_format(&err, buf, sizeof buf), want);
    free(text);

    /* 20 fields just under the field limit: more than the record limit */
    size_t field = EVS_CSV_FIELD_MAX - 10, nf = EVS_CSV_RECORD_MAX / field + 2;
    text = malloc(2 + nf * (field + 1));
    memcpy(text, "a\n", 2);
    size_t at = 2;
    for (size_t i = 0; i < nf; i++) {
        memset(text + at, 'y', field);
        at += field;
        text[at++] = i + 1 < nf ? ',' : '\n';
    }
    assert_null(read_text(text, at, &err));
    snprintf(want, sizeof want, "in.csv:2:%zu: record is too long (more than %zu bytes)",
             EVS_CSV_RECORD_MAX / (field + 1) + 1, EVS_CSV_RECORD_MAX);
    assert_string_equal(evs_error_format(&err, buf, sizeof buf), want);
    free(text);
}

/* A NUL byte is found before libcsv buffers the field it is in. */
static void test_nul_column(void **state)
{
    (void)state;
    static const char text[] = "a,b,c\n1,2,x\0y\n";
    evs_error err;
    assert_null(read_text(text, sizeof text - 1, &err));
    char buf[1024];
    assert_string_equal(evs_error_format(&err, buf, sizeof buf),
                        "in.csv:2:3: field contains a NUL byte (is this a binary or UTF-16 "
                        "file?)");
}

/* Reading a file that does not exist is an I/O error naming the path. */
static void test_missing_file(void **state)
{
    (void)state;
    evs_error err;
    evs_error_clear(&err);
    assert_null(evs_table_read("/nonexistent/evsynth/x.csv", &err));
    assert_int_equal(err.code, EVS_EIO);
    char buf[1024];
    assert_string_equal(evs_error_format(&err, buf, sizeof buf),
                        "/nonexistent/evsynth/x.csv: cannot open: No such file or directory");
}

/* Large inputs stream through a file in blocks; lines stay right across block
 * boundaries (rows are longer than one read block here). */
static void test_file_blocks(void **state)
{
    (void)state;
    char path[] = "/tmp/evs_csv_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs("study,yi\n", fp);
    for (int i = 0; i < 3; i++) {
        fputc('"', fp);
        for (int j = 0; j < 70000; j++)
            fputc(j % 1000 == 999 ? '\n' : 'a', fp);
        fprintf(fp, "\",%d\n", i);
    }
    fputs("last,9\n", fp);
    fclose(fp);
    evs_error err;
    evs_error_clear(&err);
    evs_table *t = evs_table_read(path, &err);
    assert_non_null(t);
    assert_int_equal(evs_table_nrows(t), 4);
    /* each quoted field spans 71 physical lines (70 newlines inside) */
    assert_int_equal(evs_table_line(t, 0), 2);
    assert_int_equal(evs_table_line(t, 1), 2 + 71);
    assert_int_equal(evs_table_line(t, 3), 2 + 3 * 71);
    assert_string_equal(evs_table_cell(t, 3, 0), "last");
    evs_table_free(t);
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_line_ends_bom),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_blank_lines_empty_cells),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_utf8_kept),
        cmocka_unit_test(test_field_too_long),
        cmocka_unit_test(test_open_field_stops_at_limit),
        cmocka_unit_test(test_record_limits),
        cmocka_unit_test(test_nul_column),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_file_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
