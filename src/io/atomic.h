/*
 * atomic.h -- writing an output file so that readers see the old version or
 * the complete new one, never half of it: the content goes to a temporary
 * file in the same folder, which is renamed over the target once it is
 * complete and flushed.  A failure (disk full, a crash) leaves the previous
 * file as it was and removes the temporary one.  New files get the mode
 * 0666 less the umask.
 *
 * What the target is decides how it is written (issue 15, item 9):
 *   a regular file, or nothing   replaced atomically, as above
 *   a symbolic link              the file it leads to is written (atomically
 *                                if regular); the link stays
 *   a FIFO or character device   written through, in place (/dev/stdout,
 *                                a pipe): never renamed over
 *   a folder, a block device,    refused
 *   a socket, a dangling link
 * For the report folder, see outdir.h.
 */
#ifndef EVS_ATOMIC_H
#define EVS_ATOMIC_H

#include <stdbool.h>
#include <stdio.h>

#include "evsynth/error.h"

typedef struct evs_atomic {
    FILE *fp;
    char path[4096]; /* the file written: the target, links resolved */
    char tmp[4200];  /* the temporary file; "" when writing through */
    bool through;    /* a FIFO or character device, written in place */
} evs_atomic;

/* Open for writing path (see above).  On error fills err (naming path). */
evs_status evs_atomic_open(evs_atomic *a, const char *path, evs_error *err);

/* Flush, fsync, close and rename into place; on error the temporary file is removed. */
evs_status evs_atomic_commit(evs_atomic *a, evs_error *err);

/* Give up: close and remove the temporary file. */
void evs_atomic_abort(evs_atomic *a);

/* Whether path is (or leads to) a FIFO or character device: written in place. */
bool evs_atomic_is_through(const char *path);

/* Write a whole buffer to path (see above). */
evs_status evs_atomic_write(const char *path, const char *data, size_t len, evs_error *err);

#endif
