/*
 * studies.c -- study data from a CSV table (see studies_io.h).
 */
#include "io/studies_io.h"

#include <string.h>

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

evs_studies *evs_studies_from_table(const evs_table *t, evs_measure m, evs_error *err)
{
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
