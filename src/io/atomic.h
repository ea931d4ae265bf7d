/*
 * atomic.h -- writing an output file so that readers see the old version or
 * the complete new one, never half of it: the content goes to a temporary
 * file in the same folder, which is renamed over the target once it is
 * complete and flushed.  A failure (disk full, a crash) leaves the previous
 * file as it was and removes the temporary one.
 */
#ifndef EVS_ATOMIC_H
#define EVS_ATOMIC_H

#include <stdio.h>

#include "evsynth/error.h"

typedef struct evs_atomic {
    FILE *fp;
    char path[4096];
    char tmp[4096];
} evs_atomic;

/* Open a temporary file next to path.  On error fills err (naming path). */
evs_status evs_atomic_open(evs_atomic *a, const char *path, evs_error *err);

/* Flush, close and rename into place; on error the temporary file is removed. */
evs_status evs_atomic_commit(evs_atomic *a, evs_error *err);

/* Give up: close and remove the temporary file. */
void evs_atomic_abort(evs_atomic *a);

/* Write a whole buffer to path atomically. */
evs_status evs_atomic_write(const char *path, const char *data, size_t len, evs_error *err);

#endif
