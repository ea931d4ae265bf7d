/*
 * test_recent.c -- the bounded window of analysis names of evsynth batch
 * (src/cli/recent.c), against a naive model: a ring of the last
 * EVS_RECENT_MAX names and a count per name.  The window must find exactly
 * the names the model holds, through hundreds of thousands of insertions
 * and deletions (which shift entries of the hash table back).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/recent.h"
#include "evs_test.h"

#define NAMES 40000 /* more than the window: repeats come both inside and beyond it */
#define STEPS 400000

static void test_against_naive_window(void **state)
{
    (void)state;
    evs_recent *r = malloc(sizeof *r);
    int *ring = malloc(EVS_RECENT_MAX * sizeof *ring);
    int *count = calloc(NAMES, sizeof *count);
    long *first = calloc(NAMES, sizeof *first);
    assert_non_null(r);
    assert_non_null(ring);
    assert_non_null(count);
    assert_non_null(first);
    evs_recent_init(r);
    size_t next = 0, n = 0;
    unsigned long seed = 12345;
    size_t found = 0, missed_beyond = 0;
    for (long step = 1; step <= STEPS; step++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        /* a mix of recent names (often repeated) and names from far back */
        int name = (int)((seed >> 33) % (step % 3 == 0 ? 200 : NAMES));
        char text[32];
        snprintf(text, sizeof text, "analysis-%d", name);
        long earlier = evs_recent_add(r, text, step);
        bool in_window = count[name] > 0;
        if (in_window) {
            assert_true(earlier > 0);
            found++;
        } else {
            /* a name whose runs have all left the window is forgotten */
            if (first[name] > 0)
                missed_beyond++;
            assert_int_equal(earlier, 0);
        }
        if (first[name] == 0 || !in_window)
            first[name] = step;
        if (n == EVS_RECENT_MAX) {
            count[ring[next]]--;
            n--;
        }
        ring[next] = name;
        next = (next + 1) % EVS_RECENT_MAX;
        count[name]++;
        n++;
    }
    /* both kinds of repeat happened */
    assert_true(found > 100000);
    assert_true(missed_beyond > 1000);
    free(r);
    free(ring);
    free(count);
    free(first);
}

/* The line reported is where the first remembered run began. */
static void test_reports_first_line(void **state)
{
    (void)state;
    evs_recent *r = malloc(sizeof *r);
    assert_non_null(r);
    evs_recent_init(r);
    assert_int_equal(evs_recent_add(r, "a", 2), 0);
    assert_int_equal(evs_recent_add(r, "b", 4), 0);
    assert_int_equal(evs_recent_add(r, "a", 6), 2);
    assert_int_equal(evs_recent_add(r, "b", 8), 4);
    assert_int_equal(evs_recent_add(r, "", 9), 0); /* an empty name is a name too */
    assert_int_equal(evs_recent_add(r, "", 10), 9);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_naive_window),
        cmocka_unit_test(test_reports_first_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
