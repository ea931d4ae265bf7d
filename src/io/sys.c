/*
 * sys.c -- the system calls that write output (see sys.h), and, compiled
 * with EVS_FAULT_INJECTION for the test program evsynth-faults, the fault
 * points of the tests.
 */
#define _GNU_SOURCE /* renameat2 */

#include "io/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef EVS_FAULT_INJECTION
#include <signal.h>
#include <stdbool.h>

/* The fault plan, read from the environment at the first call. */
static struct {
    bool read, count, trace, no_exchange;
    unsigned long at; /* the call that fails (1-based); 0: none */
    int error;        /* errno it fails with; 0: crash */
    unsigned long calls;
} plan;

static void print_count(void)
{
    fprintf(stderr, "fault points: %lu\n", plan.calls);
}

static int errno_named(const char *s)
{
    static const struct {
        const char *name;
        int value;
    } names[] = {{"EIO", EIO},     {"ENOSPC", ENOSPC}, {"EDQUOT", EDQUOT}, {"EROFS", EROFS},
                 {"EACCES", EACCES}, {"EXDEV", EXDEV},  {"EPERM", EPERM},   {"EINTR", EINTR}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0)
            return names[i].value;
    return EIO;
}

static void read_plan(void)
{
    plan.read = true;
    const char *f = getenv("EVS_FAULT");
    plan.trace = getenv("EVS_FAULT_TRACE") != NULL;
    plan.no_exchange = getenv("EVS_FAULT_NO_EXCHANGE") != NULL;
    if (f == NULL)
        return;
    if (strcmp(f, "count") == 0) {
        plan.count = true;
        atexit(print_count);
        return;
    }
    char *end;
    plan.at = strtoul(f, &end, 10);
    if (*end == ':' && strcmp(end + 1, "crash") != 0)
        plan.error = errno_named(end + 1);
}

/* Whether this call is the one to fail (errno set); a crash does not return. */
static bool fault(const char *what, const char *a, const char *b)
{
    if (!plan.read)
        read_plan();
    plan.calls++;
    if (plan.trace)
        fprintf(stderr, "fault point %lu: %s %s%s%s\n", plan.calls, what, a ? a : "",
                b ? " -> " : "", b ? b : "");
    if (plan.calls != plan.at)
        return false;
    if (plan.error == 0) {
        raise(SIGKILL);
        _exit(137);
    }
    errno = plan.error;
    return true;
}
#define FAULT(what, a, b, fail_value)                                                        \
    do {                                                                                     \
        if (fault(what, a, b))                                                               \
            return fail_value;                                                               \
    } while (0)
#else
#define FAULT(what, a, b, fail_value) ((void)0)
#endif

int evs_sys_open(const char *path, int flags, mode_t mode)
{
    FAULT("open", path, NULL, -1);
    return open(path, flags | O_CLOEXEC, mode);
}

ssize_t evs_sys_write(int fd, const void *buf, size_t n)
{
    FAULT("write", NULL, NULL, -1);
    return write(fd, buf, n);
}

int evs_sys_fsync(int fd)
{
    FAULT("fsync", NULL, NULL, -1);
    return fsync(fd);
}

int evs_sys_close(int fd)
{
#ifdef EVS_FAULT_INJECTION
    if (fault("close", NULL, NULL)) {
        int e = errno;
        close(fd); /* Linux frees the descriptor even when close fails */
        errno = e;
        return -1;
    }
#endif
    return close(fd);
}

int evs_sys_mkdir(const char *path, mode_t mode)
{
    FAULT("mkdir", path, NULL, -1);
    return mkdir(path, mode);
}

int evs_sys_rename(const char *from, const char *to)
{
    FAULT("rename", from, to, -1);
    return rename(from, to);
}

int evs_sys_exchange(const char *a, const char *b)
{
    FAULT("exchange", a, b, -1);
#ifdef EVS_FAULT_INJECTION
    if (plan.no_exchange) {
        errno = EINVAL;
        return -1;
    }
#endif
#if defined(__linux__) && defined(RENAME_EXCHANGE)
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    (void)a;
    (void)b;
    errno = ENOSYS;
    return -1;
#endif
}

int evs_sys_unlink(const char *path)
{
    FAULT("unlink", path, NULL, -1);
    return unlink(path);
}

int evs_sys_rmdir(const char *path)
{
    FAULT("rmdir", path, NULL, -1);
    return rmdir(path);
}

int evs_sys_symlink(const char *target, const char *path)
{
    FAULT("symlink", path, target, -1);
    return symlink(target, path);
}

int evs_sys_write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = evs_sys_write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}
