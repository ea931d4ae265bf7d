/*
 * studies.c -- study data from a CSV table (see studies_io.h).
 *
 * A column the measure needs that is absent is reported here, where the
 * header is known, with a hint for the common mistakes (issue 15.20): a
 * file separated by semicolons or tabs, a header in another case ("Yi"),
 * or columns that fit another measure (two-by-two counts with the default
 * GEN).
 */
#include "io/studies_io.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "io/numparse.h"

static evs_status parse_cell(const evs_table *t, size_t row, size_t col, double *out,
                             evs_error *err)
{
    const char *text = evs_table_cell(t, row, col);
    evs_num_status st = evs_parse_number(text, out);
    if (st == EVS_NUM_OK || st == EVS_NUM_EMPTY)
        return EVS_OK;
    evs_error_set(err, EVS_EDATA, evs_table_line(t, row), (long)col + 1,
                  "%s: \"%.40s%s\" is not a number: %s", evs_table_name(t, col), text,
                  strlen(text) > 40 ? "..." : "", evs_num_status_hint(st));
    evs_error_set_file(err, evs_table_source(t));
    return EVS_EDATA;
}

static bool has_column(const evs_table *t, evs_var v)
{
    return v != EVS_VAR_COUNT && evs_table_find(t, evs_var_name(v)) >= 0;
}

/* The first input of m that t has no column for (nor for its alternative):
 * true, with *var and *alt (EVS_VAR_COUNT: none) set. */
static bool missing_input(const evs_table *t, evs_measure m, evs_var *var, evs_var *alt)
{
    evs_var in[EVS_VAR_COUNT];
    size_t n = evs_measure_inputs(m, in, EVS_VAR_COUNT);
    for (size_t j = 0; j < n && j < EVS_VAR_COUNT; j++) {
        evs_var a = evs_measure_alternative(m, in[j]);
        if (!has_column(t, in[j]) && !has_column(t, a)) {
            *var = in[j];
            *alt = a;
            return true;
        }
    }
    return false;
}

/* The header's name for v in another case ("Yi" for yi), or NULL. */
static const char *other_case(const evs_table *t, evs_var v)
{
    if (v == EVS_VAR_COUNT)
        return NULL;
    for (size_t c = 0; c < evs_table_ncols(t); c++)
        if (strcasecmp(evs_table_name(t, c), evs_var_name(v)) == 0)
            return evs_table_name(t, c);
    return NULL;
}

/* "; ..." with what the user most likely meant, or "" (buf). */
static const char *hint(const evs_table *t, evs_measure m, evs_var var, evs_var alt,
                        char *buf, size_t size)
{
    buf[0] = '\0';
    const char *first = evs_table_ncols(t) > 0 ? evs_table_name(t, 0) : "";
    const char *sep = evs_table_ncols(t) == 1 ? strpbrk(first, ";\t") : NULL;
    if (sep != NULL) {
        snprintf(buf, size,
                 "; the header \"%.40s%s\" is one column: the file looks separated by %s, "
                 "and evsynth reads comma-separated values",
                 first, strlen(first) > 40 ? "..." : "", *sep == ';' ? "semicolons" : "tabs");
        return buf;
    }
    const char *found = other_case(t, var);
    if (found == NULL)
        found = other_case(t, alt);
    if (found != NULL) {
        snprintf(buf, size,
                 "; found \"%.40s\": column names are lower case, as metafor's escalc() "
                 "arguments",
                 found);
        return buf;
    }
    /* The measures whose every input is there. */
    size_t len = 0, count = 0;
    char names[128] = "";
    for (int o = 0; o < EVS_MEASURE_COUNT; o++) {
        evs_var v1, v2;
        if (o == (int)m || missing_input(t, (evs_measure)o, &v1, &v2))
            continue;
        int w = snprintf(names + len, sizeof names - len, "%s%s", count ? ", " : "",
                         evs_measure_name((evs_measure)o));
        if (w < 0 || (size_t)w >= sizeof names - len)
            break;
        len += (size_t)w;
        count++;
    }
    if (count > 0)
        snprintf(buf, size, "; the columns fit --measure %s", names);
    return buf;
}

evs_studies *evs_studies_from_table(const evs_table *t, evs_measure m, evs_error *err)
{
    evs_var var, alt;
    if (missing_input(t, m, &var, &alt)) {
        char h[300];
        hint(t, m, var, alt, h, sizeof h);
        if (alt != EVS_VAR_COUNT)
            evs_error_set(err, EVS_EDATA, 1, 0, "measure %s needs a column \"%s\" or \"%s\"%s",
                          evs_measure_name(m), evs_var_name(var), evs_var_name(alt), h);
        else
            evs_error_set(err, EVS_EDATA, 1, 0, "measure %s needs a column \"%s\"%s",
                          evs_measure_name(m), evs_var_name(var), h);
        evs_error_set_file(err, evs_table_source(t));
        return NULL;
    }

    size_t k = evs_table_nrows(t);
    long label_col = evs_table_find(t, EVS_LABEL_COLUMN);
    evs_studies *s = evs_studies_alloc(k, evs_table_source(t));
    if (s == NULL)
        goto oom;
    for (size_t i = 0; i < k; i++)
        s->line[i] = evs_table_line(t, i);

    if (label_col >= 0)
        for (size_t i = 0; i < k; i++) {
            const char *text = evs_table_cell(t, i, (size_t)label_col);
            if (text[0] != '\0' && evs_studies_set_label(s, i, text) != EVS_OK)
                goto oom;
        }

    for (int v = 0; v < EVS_VAR_COUNT; v++) {
        if (!evs_measure_uses(m, (evs_var)v))
            continue;
        long col = evs_table_find(t, evs_var_name((evs_var)v));
        if (col < 0)
            continue;
        if (evs_studies_add_var(s, (evs_var)v, col + 1) != EVS_OK)
            goto oom;
        for (size_t i = 0; i < k; i++)
            if (parse_cell(t, i, (size_t)col, &s->x[v][i], err) != EVS_OK) {
                evs_studies_free(s);
                return NULL;
            }
    }
    return s;

oom:
    evs_studies_free(s);
    evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    return NULL;
}
