/*
 * recent.h -- the names of the last EVS_RECENT_MAX runs of rows, in fixed
 * memory, so that `evsynth batch` can warn when an analysis name comes back
 * after other analyses (its rows are then fitted as two analyses).
 *
 * What it guarantees: a name that comes back while at most EVS_RECENT_MAX
 * other runs came between (counting every run, repeats included) is always
 * found.  One that comes back later may not be: the oldest runs are
 * forgotten, so that memory does not grow with the number of analyses.
 * Names are kept as 64-bit FNV-1a hashes; a false report needs two
 * different names with the same hash in the window, which for a window of
 * 16,384 names happens about once in 10^11 files.
 */
#ifndef EVS_RECENT_H
#define EVS_RECENT_H

#include <stddef.h>
#include <stdint.h>

#define EVS_RECENT_MAX 16384 /* a power of two */

typedef struct evs_recent_slot {
    uint64_t hash; /* 0: empty */
    long line;     /* where the first run of the name still remembered began */
    uint32_t runs; /* runs of the name in the window */
} evs_recent_slot;

typedef struct evs_recent {
    uint64_t ring[EVS_RECENT_MAX]; /* the hashes of the last runs, oldest at next */
    size_t next, count;
    evs_recent_slot slot[2 * EVS_RECENT_MAX]; /* open addressing, linear probing */
} evs_recent;

void evs_recent_init(evs_recent *r);

/*
 * A run of rows named `name` begins at `line`.  Returns the line where an
 * earlier run of the same name in the window began, or 0 if there is none;
 * then remembers this run (forgetting the oldest when the window is full).
 */
long evs_recent_add(evs_recent *r, const char *name, long line);

#endif
