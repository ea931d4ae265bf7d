/*
 * problems.c -- a list of problems (see problems.h).
 */
#include "review/problems.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evsynth/sort.h"

void evs_problems_init(evs_problems *p)
{
    memset(p, 0, sizeof *p);
}

void evs_problems_free(evs_problems *p)
{
    free(p->items);
    evs_problems_init(p);
}

static evs_error *slot(evs_problems *p)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        evs_error *items = realloc(p->items, cap * sizeof *items);
        if (items == NULL) {
            p->oom = 1;
            return NULL;
        }
        p->items = items;
        p->cap = cap;
    }
    return &p->items[p->n++];
}

void evs_problems_add(evs_problems *p, evs_status code, const char *file, long line,
                      long column, const char *fmt, ...)
{
    evs_error *e = slot(p);
    if (e == NULL)
        return;
    evs_error_clear(e);
    e->code = code;
    e->line = line;
    e->column = column;
    if (file != NULL)
        snprintf(e->file, sizeof e->file, "%s", file);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

void evs_problems_warn(evs_problems *p, const char *file, long line, long column,
                       const char *fmt, ...)
{
    evs_error *e = slot(p);
    if (e == NULL)
        return;
    evs_error_clear(e);
    e->code = EVS_OK;
    e->line = line;
    e->column = column;
    if (file != NULL)
        snprintf(e->file, sizeof e->file, "%s", file);
    static const char prefix[] = "warning: ";
    memcpy(e->message, prefix, sizeof prefix);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message + sizeof prefix - 1, sizeof e->message - (sizeof prefix - 1), fmt, ap);
    va_end(ap);
}

size_t evs_problems_errors(const evs_problems *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        n += p->items[i].code != EVS_OK;
    return n;
}

void evs_problems_add_error(evs_problems *p, const evs_error *err)
{
    evs_error *e = slot(p);
    if (e != NULL)
        *e = *err;
}

evs_status evs_problems_status(const evs_problems *p)
{
    evs_status worst = EVS_OK;
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].code == EVS_EIO || p->items[i].code == EVS_ENOMEM ||
            (worst == EVS_OK && p->items[i].code != EVS_OK))
            worst = p->items[i].code;
    if (p->oom)
        worst = EVS_ENOMEM;
    return worst;
}

static int by_position(const void *pa, const void *pb, const void *ctx)
{
    (void)ctx;
    const evs_error *a = pa, *b = pb;
    int c = strcmp(a->file, b->file);
    if (c != 0)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return (a->column > b->column) - (a->column < b->column);
}

void evs_problems_sort(evs_problems *p)
{
    /* The program's one stable sort: a file with a bad cell in each of 10^4
     * rows makes lists long enough for an insertion sort to take minutes. */
    if (p->n < 2)
        return;
    evs_error *scratch = malloc(p->n * sizeof *scratch);
    if (scratch == NULL)
        return; /* left in the order found, which is each file's own order */
    evs_sort_stable(p->items, p->n, sizeof *p->items, by_position, NULL, scratch);
    free(scratch);
}
