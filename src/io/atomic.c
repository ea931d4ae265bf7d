/*
 * atomic.c -- atomic output files (see atomic.h).  Changes to the disk go
 * through io/sys.h, the fault points of the tests.
 */
#define _XOPEN_SOURCE 700 /* realpath() */

#include "io/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/files.h"
#include "io/sys.h"

static evs_status fail(evs_error *err, const char *path, const char *what, int e)
{
    evs_error_set(err, EVS_EIO, 0, 0, "%s%s%s", what, e ? ": " : "", e ? strerror(e) : "");
    evs_error_set_file(err, path);
    return EVS_EIO;
}

/* What to write for path: the target (links resolved) and whether in place. */
static evs_status target(evs_atomic *a, const char *path, evs_error *err)
{
    struct stat st;
    snprintf(a->path, sizeof a->path, "%s", path);
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? EVS_OK : fail(err, path, "cannot write", errno);
    if (S_ISLNK(st.st_mode)) {
        char real[PATH_MAX];
        if (realpath(path, real) == NULL)
            return fail(err, path,
                        "cannot write: a symbolic link to a file that does not exist "
                        "(write to the file itself)",
                        0);
        if (stat(real, &st) != 0)
            return fail(err, path, "cannot write", errno);
        if (strlen(real) >= sizeof a->path)
            return fail(err, path, "cannot write: path too long", 0);
        snprintf(a->path, sizeof a->path, "%s", real);
    }
    if (S_ISREG(st.st_mode))
        return EVS_OK;
    if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
        a->through = true;
        return EVS_OK;
    }
    char what[96];
    snprintf(what, sizeof what, "cannot write %s: only to a file, a FIFO or a terminal",
             evs_file_kind(st.st_mode));
    return fail(err, path, what, 0);
}

evs_status evs_atomic_open(evs_atomic *a, const char *path, evs_error *err)
{
    a->fp = NULL;
    a->tmp[0] = '\0';
    a->through = false;
    if (target(a, path, err) != EVS_OK)
        return EVS_EIO;
    int fd = -1;
    if (a->through) {
        fd = evs_sys_open(a->path, O_WRONLY | O_NOCTTY, 0);
    } else {
        /* a name of our own, so that the kernel applies the umask to 0666 */
        for (unsigned i = 0; i < 1000; i++) {
            int n = snprintf(a->tmp, sizeof a->tmp, "%s.tmp-%ld-%u", a->path, (long)getpid(), i);
            if (n < 0 || (size_t)n >= sizeof a->tmp)
                return fail(err, path, "cannot write: path too long", 0);
            fd = evs_sys_open(a->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
            if (fd >= 0 || errno != EEXIST)
                break;
        }
    }
    if (fd < 0 || (a->fp = fdopen(fd, "wb")) == NULL) {
        int e = errno;
        if (fd >= 0) {
            evs_sys_close(fd);
            if (!a->through)
                evs_sys_unlink(a->tmp);
        }
        a->tmp[0] = '\0';
        return fail(err, path, "cannot write", e);
    }
    return EVS_OK;
}

evs_status evs_atomic_commit(evs_atomic *a, evs_error *err)
{
    int failed = ferror(a->fp) || fflush(a->fp) != 0;
    int saved = errno;
    /* a pipe or a terminal cannot be synced: that is no failure */
    if (!failed && evs_sys_fsync(fileno(a->fp)) != 0 &&
        !(a->through && (errno == EINVAL || errno == EROFS || errno == ENOTSUP))) {
        failed = 1;
        saved = errno;
    }
    if (fclose(a->fp) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    a->fp = NULL;
    if (!failed && !a->through && evs_sys_rename(a->tmp, a->path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        if (!a->through)
            evs_sys_unlink(a->tmp);
        return fail(err, a->path, "cannot write", saved ? saved : EIO);
    }
    return EVS_OK;
}

void evs_atomic_abort(evs_atomic *a)
{
    if (a->fp != NULL) {
        fclose(a->fp);
        a->fp = NULL;
    }
    if (!a->through && a->tmp[0] != '\0')
        evs_sys_unlink(a->tmp);
}

bool evs_atomic_is_through(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode));
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
        return fail(err, path, "cannot write", saved);
    }
    return evs_atomic_commit(&a, err);
}
