/*
 * atomic.c -- atomic output files (see atomic.h).
 */
#include "io/atomic.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

evs_status evs_atomic_open(evs_atomic *a, const char *path, evs_error *err)
{
    a->fp = NULL;
    snprintf(a->path, sizeof a->path, "%s", path);
    int n = snprintf(a->tmp, sizeof a->tmp, "%s.tmp-XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof a->tmp) {
        evs_error_set(err, EVS_EIO, 0, 0, "path too long");
        evs_error_set_file(err, path);
        return EVS_EIO;
    }
    int fd = mkstemp(a->tmp);
    /* mkstemp makes the file private; outputs are for others to read */
    if (fd >= 0)
        fchmod(fd, 0644);
    if (fd < 0 || (a->fp = fdopen(fd, "wb")) == NULL) {
        evs_error_set(err, EVS_EIO, 0, 0, "cannot write: %s", strerror(errno));
        evs_error_set_file(err, path);
        if (fd >= 0) {
            close(fd);
            unlink(a->tmp);
        }
        return EVS_EIO;
    }
    return EVS_OK;
}

evs_status evs_atomic_commit(evs_atomic *a, evs_error *err)
{
    int failed = ferror(a->fp) || fflush(a->fp) != 0 || fsync(fileno(a->fp)) != 0;
    int saved = errno;
    if (fclose(a->fp) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    a->fp = NULL;
    if (!failed && rename(a->tmp, a->path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        unlink(a->tmp);
        evs_error_set(err, EVS_EIO, 0, 0, "cannot write: %s", strerror(saved ? saved : EIO));
        evs_error_set_file(err, a->path);
        return EVS_EIO;
    }
    return EVS_OK;
}

void evs_atomic_abort(evs_atomic *a)
{
    if (a->fp != NULL) {
        fclose(a->fp);
        a->fp = NULL;
    }
    unlink(a->tmp);
}

evs_status evs_atomic_write(const char *path, const char *data, size_t len, evs_error *err)
{
    evs_atomic a;
    evs_status st = evs_atomic_open(&a, path, err);
    if (st != EVS_OK)
        return st;
    if (fwrite(data, 1, len, a.fp) != len) {
        int saved = errno;
        evs_atomic_abort(&a);
        evs_error_set(err, EVS_EIO, 0, 0, "cannot write: %s", strerror(saved));
        evs_error_set_file(err, path);
        return EVS_EIO;
    }
    return evs_atomic_commit(&a, err);
}
