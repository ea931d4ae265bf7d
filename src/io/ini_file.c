/*
 * ini_file.c -- INI files through libinih with positions (see ini_file.h).
 */
#include "io/ini_file.h"

#include <ini.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/files.h"
#include "io/utf8.h"

/*
 * libinih copies a section name into a buffer of this many bytes and cuts
 * longer ones silently (its INI_MAX_SECTION, 50 in Debian's build; the name
 * of a setting is cut the same way when a value continues on the next
 * line).  Longer names are refused here, before libinih sees them.
 */
#define INIH_NAME_MAX 50

typedef struct reader {
    evs_ini *ini;
    evs_problems *problems;
    FILE *fp;
    long line;        /* number of the line last returned */
    char raw[4096];   /* that line, as read */
    bool bad_section; /* in a section refused for its name: drop its values */
    bool oom;
} reader;

/* Read one physical line into r->raw; false at the end of the file. */
static bool next_raw_line(reader *r, size_t *len, long *nul_column, bool *too_long)
{
    size_t n = 0, seen = 0;
    int c = EOF;
    *nul_column = 0;
    *too_long = false;
    while ((c = getc(r->fp)) != EOF) {
        seen++;
        if (c == '\0' && *nul_column == 0)
            *nul_column = (long)seen;
        if (n < sizeof r->raw - 1)
            r->raw[n++] = (char)c;
        else
            *too_long = true; /* keep reading to the end of the line, dropping it */
        if (c == '\n')
            break;
    }
    r->raw[n] = '\0';
    *len = n;
    return seen > 0;
}

/* A "[section]" line: the length of its name, or -1 if it is not one. */
static long section_name_length(const char *line, long *column)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '[')
        return -1;
    *column = (long)(p - line) + 2;
    const char *end = strchr(p, ']');
    return end ? (long)(end - p - 1) : -1;
}

/* A "name = value" line: the length of the name (trailing blanks dropped). */
static long setting_name_length(const char *line)
{
    if (line[0] == ' ' || line[0] == '\t' || line[0] == ';' || line[0] == '#' ||
        line[0] == '[')
        return -1;
    size_t n = strcspn(line, "=:\r\n");
    if (line[n] != '=' && line[n] != ':')
        return -1;
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    return (long)n;
}

/* fgets-like reader for ini_parse_stream(): one whole line per call. */
static char *read_line(char *str, int num, void *stream)
{
    reader *r = stream;
    size_t len;
    long nul_column;
    bool too_long;
    if (!next_raw_line(r, &len, &nul_column, &too_long))
        return NULL;
    r->line++;
    const char *file = r->ini->file;
    if (nul_column > 0) {
        evs_problems_add(r->problems, EVS_EDATA, file, r->line, nul_column,
                         "NUL byte in the line (is this a binary or UTF-16 file?)");
        len = 0;
    } else if (too_long) {
        evs_problems_add(r->problems, EVS_EDATA, file, r->line, 0,
                         "line is too long (more than %zu bytes)", sizeof r->raw - 2);
        len = 0;
    }
    size_t bad;
    if (len > 0 && !evs_utf8_valid(r->raw, len, &bad)) {
        evs_problems_add(r->problems, EVS_EDATA, file, r->line, (long)bad + 1,
                         "not valid UTF-8; save the file as UTF-8");
        len = 0;
    }
    if (len >= (size_t)num) {
        evs_problems_add(r->problems, EVS_EDATA, file, r->line, num,
                         "line is longer than %d characters; continue the value on "
                         "indented lines",
                         num - 1);
        len = 0;
    }
    r->raw[len] = '\0';
    long column = 0, name_len = section_name_length(r->raw, &column);
    if (name_len >= INIH_NAME_MAX) {
        evs_problems_add(r->problems, EVS_EDATA, file, r->line, column,
                         "section name is too long (%ld bytes; at most %d)", name_len,
                         INIH_NAME_MAX - 1);
        r->bad_section = true;
        len = 0;
    } else if (name_len >= 0) {
        r->bad_section = false;
    } else if ((name_len = setting_name_length(r->raw)) >= INIH_NAME_MAX) {
        evs_problems_add(r->problems, EVS_EDATA, file, r->line, 1,
                         "setting name is too long (%ld bytes; at most %d)", name_len,
                         INIH_NAME_MAX - 1);
        len = 0;
    }
    r->raw[len] = '\0';
    memcpy(str, r->raw, len + 1);
    return str;
}

/* Column (1-based) where the value starts on the raw line. */
static long value_column(const char *raw, bool continuation)
{
    const char *p = raw;
    if (!continuation) {
        const char *eq = strpbrk(raw, "=:");
        if (eq == NULL)
            return 0;
        p = eq + 1;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    return (long)(p - raw) + 1;
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
    reader *r = user;
    evs_ini *ini = r->ini;
    if (r->bad_section)
        return 1;
    bool continuation = r->raw[0] == ' ' || r->raw[0] == '\t';
    long column = value_column(r->raw, continuation);

    for (size_t i = 0; i < ini->n; i++) {
        evs_ini_entry *e = &ini->entries[i];
        if (strcmp(e->section, section) != 0 || strcmp(e->name, name) != 0)
            continue;
        if (!continuation) {
            evs_problems_add(r->problems, EVS_EDATA, ini->file, r->line, 1,
                             "'%s' is given twice in [%s] (first on line %ld)", name, section,
                             e->line);
            return 1;
        }
        size_t a = strlen(e->value), b = strlen(value);
        char *joined = realloc(e->value, a + b + 2);
        if (joined == NULL) {
            r->oom = true;
            return 1;
        }
        joined[a] = ' ';
        memcpy(joined + a + 1, value, b + 1);
        e->value = joined;
        return 1;
    }
    if (ini->n == ini->cap) {
        size_t cap = ini->cap ? 2 * ini->cap : 32;
        evs_ini_entry *e = realloc(ini->entries, cap * sizeof *e);
        if (e == NULL) {
            r->oom = true;
            return 1;
        }
        ini->entries = e;
        ini->cap = cap;
    }
    evs_ini_entry *e = &ini->entries[ini->n];
    e->section = strdup(section);
    e->name = strdup(name);
    e->value = strdup(value);
    e->line = r->line;
    e->column = column;
    e->used = 0;
    if (e->section == NULL || e->name == NULL || e->value == NULL) {
        free(e->section);
        free(e->name);
        free(e->value);
        r->oom = true;
        return 1;
    }
    ini->n++;
    return 1;
}

evs_ini *evs_ini_read(const char *path, evs_problems *problems)
{
    evs_ini *ini = calloc(1, sizeof *ini);
    if (ini == NULL || (ini->file = strdup(path)) == NULL) {
        free(ini);
        return NULL;
    }
    reader r = {.ini = ini, .problems = problems};
    evs_error err;
    evs_error_clear(&err);
    r.fp = evs_input_open(path, false, &err);
    if (r.fp == NULL) {
        evs_problems_add_error(problems, &err);
        return ini;
    }
    int st = ini_parse_stream(read_line, &r, on_value, &r);
    if (st > 0)
        evs_problems_add(problems, EVS_EDATA, path, st, 1,
                         "expected \"[section]\" or \"name = value\"");
    fclose(r.fp);
    if (r.oom || st == -2) {
        evs_ini_free(ini);
        return NULL;
    }
    return ini;
}

void evs_ini_free(evs_ini *ini)
{
    if (ini == NULL)
        return;
    for (size_t i = 0; i < ini->n; i++) {
        free(ini->entries[i].section);
        free(ini->entries[i].name);
        free(ini->entries[i].value);
    }
    free(ini->entries);
    free(ini->file);
    free(ini);
}

evs_ini_entry *evs_ini_get(evs_ini *ini, const char *section, const char *name)
{
    for (size_t i = 0; i < ini->n; i++) {
        evs_ini_entry *e = &ini->entries[i];
        if (strcmp(e->section, section) == 0 && strcmp(e->name, name) == 0) {
            e->used = 1;
            return e;
        }
    }
    return NULL;
}
