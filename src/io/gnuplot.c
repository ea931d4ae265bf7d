/*
 * gnuplot.c -- running gnuplot safely (see gnuplot.h).
 */
#define _XOPEN_SOURCE 700

#include "io/gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* The gnuplot that execvp would run: the first executable "gnuplot" on PATH. */
static bool find_gnuplot(char *out, size_t cap)
{
    const char *path = getenv("PATH");
    if (path == NULL)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;;) {
        size_t n = strcspn(p, ":");
        int w = n == 0 ? snprintf(out, cap, "./gnuplot") /* an empty entry is "." */
                       : snprintf(out, cap, "%.*s/gnuplot", (int)n, p);
        struct stat st;
        if (w > 0 && (size_t)w < cap && stat(out, &st) == 0 && S_ISREG(st.st_mode) &&
            access(out, X_OK) == 0)
            return true;
        if (p[n] == '\0')
            return false;
        p += n + 1;
    }
}

/* Write the script to a new file in dir; returns its path in path, or false. */
static bool write_script(const char *script, const char *dir, char *path, size_t cap,
                         evs_error *err)
{
    snprintf(path, cap, "%s/.evsynth-gnuplot-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        evs_error_set(err, EVS_EIO, 0, 0, "cannot create a temporary file in %s: %s", dir,
                      strerror(errno));
        return false;
    }
    size_t len = strlen(script), done = 0;
    while (done < len) {
        ssize_t n = write(fd, script + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            close(fd);
            unlink(path);
            evs_error_set(err, EVS_EIO, 0, 0, "cannot write the gnuplot script: %s",
                          strerror(e));
            return false;
        }
        done += (size_t)n;
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(path);
        evs_error_set(err, EVS_EIO, 0, 0, "cannot write the gnuplot script: %s", strerror(e));
        return false;
    }
    return true;
}

/*
 * In the child, between fork and exec (async-signal-safe calls only): die
 * with the parent, read nothing, write errors into the pipe.
 */
static void start_child(const char *exe, char *const argv[], int err_fd, int read_end,
                        pid_t parent)
{
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent) /* the parent died before prctl took effect */
        _exit(127);
    int in = open("/dev/null", O_RDONLY), out = open("/dev/null", O_WRONLY);
    if (in < 0 || out < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
        dup2(err_fd, STDERR_FILENO) < 0)
        _exit(127);
    close(in);
    close(out);
    close(err_fd);
    close(read_end);
    execv(exe, argv);
    _exit(127);
}

evs_gnuplot_outcome evs_gnuplot_run(const char *script, const char *scratch_dir,
                                    evs_error *err)
{
    char exe[PATH_MAX];
    if (!find_gnuplot(exe, sizeof exe)) {
        evs_error_set(err, EVS_EIO, 0, 0,
                      "gnuplot was not found on PATH (install gnuplot-nox); figures were not "
                      "drawn");
        return EVS_GNUPLOT_MISSING;
    }
    char path[PATH_MAX];
    if (!write_script(script, scratch_dir, path, sizeof path, err))
        return EVS_GNUPLOT_ERROR;

    int pipefd[2];
    if (pipe(pipefd) != 0) {
        unlink(path);
        evs_error_set(err, EVS_EIO, 0, 0, "cannot start gnuplot: %s", strerror(errno));
        return EVS_GNUPLOT_ERROR;
    }
    /* the parent's end must not leak into gnuplot, nor into later children */
    fcntl(pipefd[0], F_SETFD, FD_CLOEXEC);
    char prog[] = "gnuplot";
    char *argv[] = {prog, path, NULL};
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0)
        start_child(exe, argv, pipefd[1], pipefd[0], parent);
    int fork_errno = errno;
    close(pipefd[1]);
    if (pid < 0) {
        close(pipefd[0]);
        unlink(path);
        evs_error_set(err, EVS_EIO, 0, 0, "cannot start gnuplot: %s", strerror(fork_errno));
        return EVS_GNUPLOT_ERROR;
    }
    /* Keep the first part of what gnuplot says, read to the end. */
    char msg[400];
    size_t used = 0;
    char chunk[512];
    for (;;) {
        ssize_t n = read(pipefd[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        size_t take = (size_t)n < sizeof msg - 1 - used ? (size_t)n : sizeof msg - 1 - used;
        memcpy(msg + used, chunk, take);
        used += take;
    }
    msg[used] = '\0';
    close(pipefd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    unlink(path);
    for (size_t i = 0; i < used; i++)
        if (msg[i] == '\n' || msg[i] == '\r')
            msg[i] = ' ';
    if (WIFSIGNALED(status)) {
        evs_error_set(err, EVS_EIO, 0, 0, "gnuplot was killed by signal %d%s", WTERMSIG(status),
                      WTERMSIG(status) == SIGXFSZ ? " (a file grew beyond the file-size limit)"
                                                  : "");
        return EVS_GNUPLOT_KILLED;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) {
        evs_error_set(err, EVS_EIO, 0, 0, "cannot start gnuplot (%s)", exe);
        return EVS_GNUPLOT_ERROR;
    }
    if (WEXITSTATUS(status) != 0) {
        evs_error_set(err, EVS_EIO, 0, 0, "gnuplot failed (exit status %d): %s",
                      WEXITSTATUS(status), used ? msg : "no message");
        return EVS_GNUPLOT_FAILED;
    }
    return EVS_GNUPLOT_OK;
}
