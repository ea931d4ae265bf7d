/*
 * ini_file.c -- INI files through libinih with positions (see ini_file.h).
 */
#include "io/ini_file.h"

#include <errno.h>
#include <ini.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/utf8.h"

typedef struct reader {
    evs_ini *ini;
    evs_problems *problems;
    FILE *fp;
    long line;       /* number of the line last returned */
    char raw[4096];  /* that line, as read */
    bool oom;
} reader;

/* fgets-like reader for ini_parse_stream(): one whole line per call. */
static char *read_line(char *str, int num, void *stream)
{
    reader *r = stream;
    if (fgets(r->raw, sizeof r->raw, r->fp) == NULL)
        return NULL;
    r->line++;
    size_t len = strlen(r->raw);
    if (len > 0 && r->raw[len - 1] != '\n' && !feof(r->fp)) {
        /* Longer than our buffer: drop the rest of the line. */
        int c;
        while ((c = fgetc(r->fp)) != EOF && c != '\n')
            ;
        evs_problems_add(r->problems, EVS_EDATA, r->ini->file, r->line, 0,
                         "line is too long (more than %zu bytes)", sizeof r->raw - 2);
        r->raw[0] = '\0';
        len = 0;
    }
    size_t bad;
    if (!evs_utf8_valid(r->raw, len, &bad)) {
        evs_problems_add(r->problems, EVS_EDATA, r->ini->file, r->line, (long)bad + 1,
                         "not valid UTF-8; save the file as UTF-8");
        r->raw[0] = '\0';
        len = 0;
    }
    if (len >= (size_t)num) {
        evs_problems_add(r->problems, EVS_EDATA, r->ini->file, r->line, num,
                         "line is longer than %d characters; continue the value on "
                         "indented lines",
                         num - 1);
        r->raw[0] = '\0';
        len = 0;
    }
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
    r.fp = fopen(path, "r");
    if (r.fp == NULL) {
        evs_problems_add(problems, EVS_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
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
