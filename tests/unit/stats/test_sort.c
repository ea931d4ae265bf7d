/*
 * test_sort.c -- the one stable sort (sort.h) against the insertion sort it
 * replaced, written out here as the reference: on seeded random keys with
 * many ties, every length from 0 to 300, the orders must be identical
 * (stability included), and NaN keys go last in index order.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "evs_test.h"
#include "evsynth/sort.h"

/* The stable insertion sort of indices by key that diag.c used to have. */
static void insertion_order(const double *key, size_t n, size_t *idx)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    for (size_t i = 1; i < n; i++) {
        size_t c = idx[i], j = i;
        while (j > 0 && key[idx[j - 1]] > key[c]) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = c;
    }
}

static void test_against_insertion_sort(void **state)
{
    (void)state;
    enum { NMAX = 300 };
    double key[NMAX];
    size_t want[NMAX], got[NMAX], scratch[NMAX];
    unsigned long seed = 99;
    for (size_t n = 0; n <= NMAX; n++) {
        for (int rep = 0; rep < 5; rep++) {
            for (size_t i = 0; i < n; i++) {
                seed = seed * 6364136223846793005u + 1442695040888963407u;
                /* few distinct values: ties everywhere */
                key[i] = (double)((seed >> 40) % (rep + 2)) - 0.5 * (double)rep;
            }
            insertion_order(key, n, want);
            evs_order_doubles(key, n, got, scratch);
            assert_memory_equal(got, want, n * sizeof *got);
        }
    }
}

/* Sorting records (not indices) by one field keeps the others in order. */
typedef struct rec {
    int key, seq;
} rec;

static int by_key(const void *a, const void *b, const void *ctx)
{
    (void)ctx;
    int x = ((const rec *)a)->key, y = ((const rec *)b)->key;
    return (x > y) - (x < y);
}

static void test_records_and_nan(void **state)
{
    (void)state;
    rec r[7] = {{3, 0}, {1, 1}, {3, 2}, {2, 3}, {1, 4}, {3, 5}, {0, 6}};
    rec scratch[7];
    evs_sort_stable(r, 7, sizeof *r, by_key, NULL, scratch);
    static const int keys[7] = {0, 1, 1, 2, 3, 3, 3}, seqs[7] = {6, 1, 4, 3, 0, 2, 5};
    for (int i = 0; i < 7; i++) {
        assert_int_equal(r[i].key, keys[i]);
        assert_int_equal(r[i].seq, seqs[i]);
    }

    double key[6] = {2, NAN, 1, NAN, 2, 0};
    size_t idx[6], tmp[6];
    evs_order_doubles(key, 6, idx, tmp);
    static const size_t want[6] = {5, 2, 0, 4, 1, 3};
    assert_memory_equal(idx, want, sizeof want);
}

/* A million keys, sorted and checked (the insertion sort took hours). */
static void test_large(void **state)
{
    (void)state;
    size_t n = 1000000;
    double *key = malloc(n * sizeof *key);
    size_t *idx = malloc(n * sizeof *idx), *scratch = malloc(n * sizeof *scratch);
    assert_non_null(key);
    assert_non_null(idx);
    assert_non_null(scratch);
    for (size_t i = 0; i < n; i++)
        key[i] = sin((double)i) * 1000;
    evs_order_doubles(key, n, idx, scratch);
    for (size_t i = 1; i < n; i++)
        assert_true(key[idx[i - 1]] < key[idx[i]] ||
                    (key[idx[i - 1]] == key[idx[i]] && idx[i - 1] < idx[i]));
    free(key);
    free(idx);
    free(scratch);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_insertion_sort),
        cmocka_unit_test(test_records_and_nan),
        cmocka_unit_test(test_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
