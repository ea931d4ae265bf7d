/*
 * chromium.c -- printing a page to PDF with headless Chromium (see chromium.h).
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "io/chromium.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

bool evs_chromium_available(void)
{
    const char *path = getenv("PATH");
    if (path == NULL)
        return false;
    char dir[4096];
    while (*path) {
        size_t n = strcspn(path, ":");
        if (n > 0 && n < sizeof dir - 16) {
            memcpy(dir, path, n);
            memcpy(dir + n, "/chromium", 10);
            struct stat st;
            if (stat(dir, &st) == 0 && S_ISREG(st.st_mode) && access(dir, X_OK) == 0)
                return true;
        }
        path += n;
        if (*path == ':')
            path++;
    }
    return false;
}

/* "file://" and the absolute path, every byte but unreserved ones percent-encoded. */
static bool file_url(const char *path, char *url, size_t cap)
{
    char abs[PATH_MAX];
    if (realpath(path, abs) == NULL)
        return false;
    size_t n = (size_t)snprintf(url, cap, "file://");
    for (const unsigned char *p = (const unsigned char *)abs; *p; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || strchr("/-._~", *p) != NULL;
        if (n + 4 >= cap)
            return false;
        n += (size_t)snprintf(url + n, cap - n, plain ? "%c" : "%%%02X", *p);
    }
    return true;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* Remove a folder and everything below it, without following links. */
static void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The first part of Chromium's messages, on one line. */
static void first_words(const char *log, char *msg, size_t cap)
{
    msg[0] = '\0';
    FILE *f = fopen(log, "rb");
    if (f == NULL)
        return;
    size_t n = fread(msg, 1, cap - 1, f);
    fclose(f);
    msg[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (msg[i] == '\n' || msg[i] == '\r' || (unsigned char)msg[i] < 0x20)
            msg[i] = ' ';
}

/* The first place of needle (n bytes) in data (size bytes), or NULL. */
static char *find(char *data, size_t size, const char *needle, size_t n)
{
    for (size_t i = 0; i + n <= size; i++)
        if (data[i] == needle[0] && memcmp(data + i, needle, n) == 0)
            return data + i;
    return NULL;
}

/*
 * Check that the file is a whole PDF and give it the date: Chromium's
 * /CreationDate and /ModDate are D:YYYYMMDDHHmmSS..., replaced in place by
 * the same number of digits, so that no offset of the file moves.
 */
static evs_status finish_pdf(const char *pdf, const char *date, evs_error *err)
{
    FILE *f = fopen(pdf, "rb");
    if (f == NULL)
        return evs_error_set(err, EVS_EIO, 0, 0, "chromium wrote no PDF");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *data = size > 0 ? malloc((size_t)size + 1) : NULL;
    bool ok = data != NULL && fread(data, 1, (size_t)size, f) == (size_t)size;
    fclose(f);
    if (!ok) {
        free(data);
        return evs_error_set(err, EVS_EIO, 0, 0, "chromium wrote an empty or unreadable PDF");
    }
    data[size] = '\0';
    size_t tail = size > 1024 ? (size_t)size - 1024 : 0;
    bool whole = strncmp(data, "%PDF-", 5) == 0 &&
                 find(data + tail, (size_t)size - tail, "%%EOF", 5) != NULL;
    if (!whole) {
        free(data);
        return evs_error_set(err, EVS_EIO, 0, 0, "chromium wrote an incomplete PDF");
    }
    char digits[15] = "19700101000000";
    if (date != NULL && strlen(date) >= 10)
        snprintf(digits, sizeof digits, "%.4s%.2s%.2s000000", date, date + 5, date + 8);
    static const char *const keys[] = {"/CreationDate (D:", "/ModDate (D:"};
    for (size_t k = 0; k < 2; k++) {
        size_t klen = strlen(keys[k]);
        for (char *p = data; (p = find(p, (size_t)size - (size_t)(p - data), keys[k], klen)) != NULL;
             p += klen) {
            char *d = p + klen;
            if ((size_t)(d - data) + 14 <= (size_t)size && strspn(d, "0123456789") >= 14)
                memcpy(d, digits, 14);
        }
    }
    f = fopen(pdf, "wb");
    ok = f != NULL && fwrite(data, 1, (size_t)size, f) == (size_t)size;
    if (f != NULL && fclose(f) != 0)
        ok = false;
    free(data);
    return ok ? EVS_OK : evs_error_set(err, EVS_EIO, 0, 0, "cannot write %s: %s", pdf, strerror(errno));
}

evs_status evs_chromium_pdf(const char *html_path, const char *pdf_path, const char *scratch_dir,
                            const char *date, evs_error *err)
{
    char url[3 * PATH_MAX + 16], profile[4200], log[4200], a_profile[4300], a_pdf[4300];
    if (!file_url(html_path, url, sizeof url))
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot find %s: %s", html_path, strerror(errno));
    snprintf(profile, sizeof profile, "%s/profile", scratch_dir);
    snprintf(log, sizeof log, "%s/chromium.log", scratch_dir);
    if (mkdir(profile, 0700) != 0)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot create %s: %s", profile, strerror(errno));
    snprintf(a_profile, sizeof a_profile, "--user-data-dir=%s", profile);
    snprintf(a_pdf, sizeof a_pdf, "--print-to-pdf=%s", pdf_path);
    /* posix_spawnp takes char *const argv[]: the arguments live in buffers of ours. */
    static const char *const fixed[] = {
        "chromium",       "--headless",           "--disable-gpu",
        "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--no-pdf-header-footer"};
    enum { NFIXED = sizeof fixed / sizeof fixed[0] };
    char fixed_args[NFIXED][40], no_sandbox[] = "--no-sandbox";
    char *argv[NFIXED + 5];
    size_t argc = 0;
    for (size_t i = 0; i < NFIXED; i++) {
        snprintf(fixed_args[i], sizeof fixed_args[i], "%s", fixed[i]);
        argv[argc++] = fixed_args[i];
    }
    argv[argc++] = a_profile;
    argv[argc++] = a_pdf;
    if (geteuid() == 0) /* Chromium refuses to run as root with its sandbox */
        argv[argc++] = no_sandbox;
    argv[argc++] = url;
    argv[argc] = NULL;

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0); /* its own group: its helpers go with it */
    pid_t pid;
    int rc = posix_spawnp(&pid, "chromium", &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    evs_status st = EVS_OK;
    int status = 0;
    struct timespec step = {0, 50 * 1000 * 1000};
    bool timed_out = false;
    char msg[400];
    if (rc != 0) {
        st = rc == ENOENT ? evs_error_set(err, EVS_EIO, 0, 0,
                                          "chromium was not found on PATH (install chromium); "
                                          "the PDF was not made")
                          : evs_error_set(err, EVS_EIO, 0, 0, "cannot start chromium: %s",
                                          strerror(rc));
        goto done;
    }
    for (long waited = 0;; waited += 50) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR))
            break;
        if (waited >= EVS_CHROMIUM_TIMEOUT * 1000L) {
            kill(-pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            timed_out = true;
            break;
        }
        nanosleep(&step, NULL);
    }
    kill(-pid, SIGKILL); /* any helper process left behind */
    first_words(log, msg, sizeof msg);
    if (timed_out)
        st = evs_error_set(err, EVS_EIO, 0, 0, "chromium did not finish in %d s; the PDF was "
                                               "not made",
                           EVS_CHROMIUM_TIMEOUT);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        st = evs_error_set(err, EVS_EIO, 0, 0, "chromium failed (%s %d): %s",
                           WIFEXITED(status) ? "exit status" : "signal",
                           WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                           msg[0] ? msg : "no message");
    else
        st = finish_pdf(pdf_path, date, err);
done:
    remove_tree(profile);
    unlink(log);
    return st;
}
