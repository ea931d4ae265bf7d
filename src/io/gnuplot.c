/*
 * gnuplot.c -- running gnuplot safely (see gnuplot.h).
 */
#include "io/gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

evs_status evs_gnuplot_run(const char *script, const char *scratch_dir, evs_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/.evsynth-gnuplot-XXXXXX", scratch_dir);
    int fd = mkstemp(path);
    if (fd < 0)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot create a temporary file in %s: %s",
                             scratch_dir, strerror(errno));
    size_t len = strlen(script), done = 0;
    while (done < len) {
        ssize_t n = write(fd, script + done, len - done);
        if (n <= 0) {
            close(fd);
            unlink(path);
            return evs_error_set(err, EVS_EIO, 0, 0, "cannot write the gnuplot script: %s",
                                 strerror(errno));
        }
        done += (size_t)n;
    }
    close(fd);

    int pipefd[2];
    if (pipe(pipefd) != 0) {
        unlink(path);
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot start gnuplot: %s", strerror(errno));
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&fa, pipefd[0]);
    posix_spawn_file_actions_addclose(&fa, pipefd[1]);
    char prog[] = "gnuplot";
    char *argv[] = {prog, path, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (rc != 0) {
        close(pipefd[0]);
        unlink(path);
        if (rc == ENOENT)
            return evs_error_set(err, EVS_EIO, 0, 0,
                                 "gnuplot was not found on PATH (install gnuplot-nox); "
                                 "figures were not drawn");
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot start gnuplot: %s", strerror(rc));
    }
    /* Keep the first part of what gnuplot says, read to the end. */
    char msg[400];
    size_t used = 0;
    char chunk[512];
    ssize_t n;
    while ((n = read(pipefd[0], chunk, sizeof chunk)) > 0) {
        size_t take = (size_t)n < sizeof msg - 1 - used ? (size_t)n : sizeof msg - 1 - used;
        memcpy(msg + used, chunk, take);
        used += take;
    }
    msg[used] = '\0';
    close(pipefd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    unlink(path);
    for (size_t i = 0; i < used; i++)
        if (msg[i] == '\n' || msg[i] == '\r')
            msg[i] = ' ';
    if (!WIFEXITED(status))
        return evs_error_set(err, EVS_EIO, 0, 0, "gnuplot was killed by signal %d",
                             WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    if (WEXITSTATUS(status) != 0)
        return evs_error_set(err, EVS_EIO, 0, 0, "gnuplot failed (exit status %d): %s",
                             WEXITSTATUS(status), used ? msg : "no message");
    return EVS_OK;
}
