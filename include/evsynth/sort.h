/*
 * sort.h -- one stable sort for the whole program (the order of tied
 * elements is kept, as R's order() keeps it), in O(n log n) comparisons
 * whatever the input, and without allocating: the caller passes scratch
 * room for n elements (GSL's style).  A merge sort, bottom-up.
 *
 * It replaces the insertion sorts that were written out where a k-element
 * order was needed (O(k^2), which a million-study meta --all could not
 * afford).
 */
#ifndef EVS_SORT_H
#define EVS_SORT_H

#include <stddef.h>

/* < 0, 0 or > 0 as a sorts before, ties with, or after b. */
typedef int (*evs_compare_fn)(const void *a, const void *b, const void *ctx);

/*
 * Sort base[0..n) of elements of `size` bytes by cmp, stably.  scratch has
 * room for n elements (n * size bytes); its contents are undefined
 * afterwards.  Never fails.
 */
void evs_sort_stable(void *base, size_t n, size_t size, evs_compare_fn cmp, const void *ctx,
                     void *scratch);

/*
 * The stable order of n values by key: idx[j] = the index of the j-th
 * smallest (ties by index).  scratch: room for n size_t.  NaN keys last.
 */
void evs_order_doubles(const double *key, size_t n, size_t *idx, size_t *scratch);

#endif
