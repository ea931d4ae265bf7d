/*
 * sort.c -- a stable bottom-up merge sort into caller scratch (see sort.h):
 * runs of width 1, 2, 4, ... are merged from one buffer into the other,
 * taking the left element on ties, which is what makes it stable.
 */
#include "evsynth/sort.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

void evs_sort_stable(void *base, size_t n, size_t size, evs_compare_fn cmp, const void *ctx,
                     void *scratch)
{
    if (n < 2 || size == 0)
        return;
    char *from = base, *to = scratch;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, out = lo;
            while (i < mid && j < hi) {
                if (cmp(from + j * size, from + i * size, ctx) < 0) {
                    memcpy(to + out++ * size, from + j++ * size, size);
                } else {
                    memcpy(to + out++ * size, from + i++ * size, size);
                }
            }
            memcpy(to + out * size, from + i * size, (mid - i) * size);
            out += mid - i;
            memcpy(to + out * size, from + j * size, (hi - j) * size);
        }
        char *t = from;
        from = to;
        to = t;
    }
    if (from != (char *)base)
        memcpy(base, from, n * size);
}

static int by_key(const void *a, const void *b, const void *ctx)
{
    const double *key = ctx;
    double x = key[*(const size_t *)a], y = key[*(const size_t *)b];
    bool nx = isnan(x), ny = isnan(y);
    if (nx || ny)
        return nx - ny;
    return (x > y) - (x < y);
}

void evs_order_doubles(const double *key, size_t n, size_t *idx, size_t *scratch)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    evs_sort_stable(idx, n, sizeof *idx, by_key, key, scratch);
}
