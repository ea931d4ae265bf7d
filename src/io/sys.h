/*
 * sys.h -- the system calls that write output, behind one seam.
 *
 * Every call that can change what is on disk when evsynth writes its
 * outputs (the report folder, atomic files, the lock) goes through these
 * wrappers.  In the shipped program each is the system call and nothing
 * else.  In the test program evsynth-faults (sys.c compiled with
 * EVS_FAULT_INJECTION, tests/outdir) each call is a numbered fault point,
 * so that the tests can fail, or end the process at, every one in turn:
 *
 *   EVS_FAULT=count        print "fault points: N" on standard error at exit
 *   EVS_FAULT=N:ERRNO      call N fails with ERRNO (EIO, ENOSPC, EDQUOT, ...)
 *   EVS_FAULT=N:crash      the process kills itself with SIGKILL at call N,
 *                          before it is made (as a kill or a power cut would)
 *   EVS_FAULT_TRACE=1      print each call ("fault point N: rename A -> B")
 *   EVS_FAULT_NO_EXCHANGE=1  renameat2(RENAME_EXCHANGE) fails with EINVAL,
 *                          as on a file system without it (the fallback)
 *
 * Why a seam and not an LD_PRELOAD shim: glibc's stdio writes through its
 * internal __write, which a shim cannot catch; a shim clashes with
 * AddressSanitizer's runtime, which must load first; and it would reach
 * gnuplot, a child, too.  The seam counts exactly the calls of the commit,
 * works in the sanitizer build, and costs the shipped program nothing.
 * What the seam cannot see (the real kernel calls) the kill tests cover:
 * they SIGKILL the shipped program at random moments.
 */
#ifndef EVS_SYS_H
#define EVS_SYS_H

#include <stddef.h>
#include <sys/types.h>

int evs_sys_open(const char *path, int flags, mode_t mode);
ssize_t evs_sys_write(int fd, const void *buf, size_t n);
int evs_sys_fsync(int fd);
int evs_sys_close(int fd);
int evs_sys_mkdir(const char *path, mode_t mode);
int evs_sys_rename(const char *from, const char *to);
/* Swap two existing paths in one step (Linux renameat2 RENAME_EXCHANGE);
 * -1 with errno EINVAL or ENOSYS where the file system or kernel lacks it. */
int evs_sys_exchange(const char *a, const char *b);
int evs_sys_unlink(const char *path);
int evs_sys_rmdir(const char *path);
int evs_sys_symlink(const char *target, const char *path);

/* Write all of buf, retrying short writes; -1 with errno on failure. */
int evs_sys_write_all(int fd, const void *buf, size_t n);

#endif
