/*
 * design.c -- moderators and subgroups from table columns (see design.h).
 */
#include "io/design.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/numparse.h"

#define MAX_MODS 16

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted distinct non-empty values of a column over the rows; n levels out. */
static const char **levels_of(const evs_table *t, size_t col, const size_t *rows, size_t nrows,
                              size_t *n)
{
    const char **lv = malloc((nrows ? nrows : 1) * sizeof *lv);
    if (lv == NULL)
        return NULL;
    size_t m = 0;
    for (size_t i = 0; i < nrows; i++) {
        const char *s = evs_table_cell(t, rows[i], col);
        if (s[0] != '\0')
            lv[m++] = s;
    }
    qsort(lv, m, sizeof *lv, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (u == 0 || strcmp(lv[u - 1], lv[i]) != 0)
            lv[u++] = lv[i];
    *n = u;
    return lv;
}

static long find_column(const evs_table *t, const char *name, evs_error *err)
{
    long col = evs_table_find(t, name);
    if (col < 0) {
        evs_error_set(err, EVS_EINVAL, 1, 0, "no column named \"%s\"", name);
        evs_error_set_file(err, evs_table_source(t));
    }
    return col;
}

void evs_design_free(evs_design *d)
{
    if (d == NULL)
        return;
    if (d->names != NULL)
        for (size_t j = 0; j < d->p; j++)
            free(d->names[j]);
    free(d->names);
    free(d->X);
    free(d->row);
    free(d);
}

evs_design *evs_design_build(const evs_table *t, const size_t *rows, size_t nrows,
                             const char *spec, evs_error *err)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", spec);
    const char *name[MAX_MODS];
    long col[MAX_MODS];
    bool categorical[MAX_MODS];
    const char **levels[MAX_MODS] = {0};
    size_t nlev[MAX_MODS] = {0}, nmods = 0, p = 1, j = 0;
    evs_design *d = NULL;
    char *save = NULL;

    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (nmods == MAX_MODS) {
            evs_error_set(err, EVS_EINVAL, 0, 0, "at most %d moderators", MAX_MODS);
            goto fail;
        }
        name[nmods] = tok;
        if ((col[nmods] = find_column(t, tok, err)) < 0)
            goto fail;
        categorical[nmods] = false;
        for (size_t i = 0; i < nrows; i++) {
            double x;
            evs_num_status st = evs_parse_number(evs_table_cell(t, rows[i], (size_t)col[nmods]), &x);
            if (st != EVS_NUM_OK && st != EVS_NUM_EMPTY)
                categorical[nmods] = true;
        }
        if (categorical[nmods]) {
            levels[nmods] = levels_of(t, (size_t)col[nmods], rows, nrows, &nlev[nmods]);
            if (levels[nmods] == NULL)
                goto oom;
            p += nlev[nmods] > 0 ? nlev[nmods] - 1 : 0;
        } else {
            p++;
        }
        nmods++;
    }
    if (nmods == 0) {
        evs_error_set(err, EVS_EINVAL, 0, 0, "no moderator given");
        goto fail;
    }

    d = calloc(1, sizeof *d);
    if (d == NULL)
        goto oom;
    d->p = p;
    d->X = malloc((nrows ? nrows : 1) * p * sizeof *d->X);
    d->row = malloc((nrows ? nrows : 1) * sizeof *d->row);
    d->names = calloc(p, sizeof *d->names);
    if (d->X == NULL || d->row == NULL || d->names == NULL)
        goto oom;
    if ((d->names[j++] = strdup("intrcpt")) == NULL)
        goto oom;
    for (size_t m = 0; m < nmods; m++) {
        if (!categorical[m]) {
            if ((d->names[j++] = strdup(name[m])) == NULL)
                goto oom;
            continue;
        }
        for (size_t l = 1; l < nlev[m]; l++) {
            size_t len = strlen(name[m]) + strlen(levels[m][l]) + 1;
            if ((d->names[j] = malloc(len)) == NULL)
                goto oom;
            snprintf(d->names[j++], len, "%s%s", name[m], levels[m][l]);
        }
    }

    for (size_t i = 0; i < nrows; i++) {
        double *x = d->X + d->k * p;
        bool complete = true;
        size_t c = 0;
        x[c++] = 1;
        for (size_t m = 0; m < nmods && complete; m++) {
            const char *cell = evs_table_cell(t, rows[i], (size_t)col[m]);
            if (cell[0] == '\0' || (!categorical[m] && strcmp(cell, "NA") == 0)) {
                complete = false;
                break;
            }
            if (!categorical[m]) {
                evs_parse_number(cell, &x[c++]);
                continue;
            }
            for (size_t l = 1; l < nlev[m]; l++)
                x[c++] = strcmp(cell, levels[m][l]) == 0;
        }
        if (complete)
            d->row[d->k++] = i;
    }
    for (size_t m = 0; m < nmods; m++)
        free((void *)levels[m]);
    return d;

oom:
    evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
fail:
    for (size_t m = 0; m < nmods; m++)
        free((void *)levels[m]);
    evs_design_free(d);
    return NULL;
}

void evs_groups_free(evs_groups *g)
{
    if (g == NULL)
        return;
    if (g->levels != NULL)
        for (size_t l = 0; l < g->nlevels; l++)
            free(g->levels[l]);
    free(g->levels);
    free(g->group);
    free(g->row);
    free(g);
}

evs_groups *evs_groups_build(const evs_table *t, const size_t *rows, size_t nrows,
                             const char *column, evs_error *err)
{
    long col = find_column(t, column, err);
    if (col < 0)
        return NULL;
    size_t n;
    const char **lv = levels_of(t, (size_t)col, rows, nrows, &n);
    evs_groups *g = calloc(1, sizeof *g);
    if (lv == NULL || g == NULL)
        goto oom;
    g->nlevels = n;
    g->levels = calloc(n ? n : 1, sizeof *g->levels);
    g->group = malloc((nrows ? nrows : 1) * sizeof *g->group);
    g->row = malloc((nrows ? nrows : 1) * sizeof *g->row);
    if (g->levels == NULL || g->group == NULL || g->row == NULL)
        goto oom;
    for (size_t l = 0; l < n; l++)
        if ((g->levels[l] = strdup(lv[l])) == NULL)
            goto oom;
    for (size_t i = 0; i < nrows; i++) {
        const char *cell = evs_table_cell(t, rows[i], (size_t)col);
        for (size_t l = 0; l < n && cell[0] != '\0'; l++)
            if (strcmp(cell, lv[l]) == 0) {
                g->group[g->k] = l;
                g->row[g->k++] = i;
                break;
            }
    }
    free((void *)lv);
    return g;
oom:
    free((void *)lv);
    evs_groups_free(g);
    evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    return NULL;
}
