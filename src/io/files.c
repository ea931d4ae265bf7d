/*
 * files.c -- input files: regular files only, bounded reads, digests and
 * paths kept inside a folder (see files.h).
 */
/* realpath() is XSI in glibc (not exposed by _POSIX_C_SOURCE alone) */
#define _XOPEN_SOURCE 700

#include "io/files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha2.h>

const char *evs_file_kind(unsigned mode)
{
    if (S_ISREG(mode))
        return "a regular file";
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISLNK(mode))
        return "a symbolic link";
    return "not a regular file";
}

/*
 * Open for reading without blocking (a FIFO with no writer would block in
 * open itself), check that it is a regular file, then make it blocking.
 * Returns the descriptor or -1 with err filled.
 */
static int open_regular(const char *path, evs_error *err)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        evs_error_set(err, EVS_EIO, 0, 0, "cannot open: %s", strerror(errno));
        evs_error_set_file(err, path);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        evs_error_set(err, EVS_EIO, 0, 0, "cannot open: %s", strerror(errno));
        evs_error_set_file(err, path);
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        evs_error_set(err, EVS_EIO, 0, 0, "cannot read %s: only regular files are read",
                      evs_file_kind(st.st_mode));
        evs_error_set_file(err, path);
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        evs_error_set(err, EVS_EIO, 0, 0, "cannot open: %s", strerror(errno));
        evs_error_set_file(err, path);
        close(fd);
        return -1;
    }
    return fd;
}

FILE *evs_input_open(const char *path, bool allow_stdin, evs_error *err)
{
    if (allow_stdin && strcmp(path, "-") == 0)
        return stdin;
    int fd = open_regular(path, err);
    if (fd < 0)
        return NULL;
    FILE *fp = fdopen(fd, "rb");
    if (fp == NULL) {
        evs_error_set(err, EVS_EIO, 0, 0, "cannot open: %s", strerror(errno));
        evs_error_set_file(err, path);
        close(fd);
    }
    return fp;
}

evs_status evs_input_read_all(const char *path, size_t max, char **data, size_t *len,
                              evs_error *err)
{
    *data = NULL;
    *len = 0;
    int fd = open_regular(path, err);
    if (fd < 0)
        return EVS_EIO;
    size_t cap = 65536, used = 0;
    char *buf = malloc(cap + 1);
    evs_status st = EVS_OK;
    for (;;) {
        if (buf == NULL) {
            st = evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
            break;
        }
        if (used == cap) {
            if (cap > max) {
                st = evs_error_set(err, EVS_EIO, 0, 0,
                                   "cannot read: larger than the limit of %zu MiB",
                                   max >> 20);
                break;
            }
            cap *= 2;
            char *grown = realloc(buf, cap + 1);
            if (grown == NULL) {
                st = evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
                break;
            }
            buf = grown;
        }
        ssize_t n = read(fd, buf + used, cap - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = evs_error_set(err, EVS_EIO, 0, 0, "read error: %s", strerror(errno));
            break;
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    close(fd);
    if (st == EVS_OK && used > max)
        st = evs_error_set(err, EVS_EIO, 0, 0, "cannot read: larger than the limit of %zu MiB",
                           max >> 20);
    if (st != EVS_OK) {
        free(buf);
        evs_error_set_file(err, path);
        return st;
    }
    buf[used] = '\0';
    *data = buf;
    *len = used;
    return EVS_OK;
}

evs_status evs_input_sha256(const char *path, char hex[65], evs_error *err)
{
    int fd = open_regular(path, err);
    if (fd < 0)
        return EVS_EIO;
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    uint8_t block[65536];
    for (;;) {
        ssize_t n = read(fd, block, sizeof block);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            evs_error_set(err, EVS_EIO, 0, 0, "read error: %s", strerror(e));
            evs_error_set_file(err, path);
            return EVS_EIO;
        }
        if (n == 0)
            break;
        sha256_update(&ctx, (size_t)n, block);
    }
    close(fd);
    uint8_t out[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof out, out);
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof out; i++) {
        hex[2 * i] = digits[out[i] >> 4];
        hex[2 * i + 1] = digits[out[i] & 15];
    }
    hex[64] = '\0';
    return EVS_OK;
}

evs_status evs_path_inside(const char *dir, const char *rel, char *out, size_t cap,
                           evs_error *err)
{
    if (rel[0] == '\0' || rel[0] == '/')
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "must be a path relative to the review folder, inside it");
    for (const char *p = rel; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return evs_error_set(err, EVS_EDATA, 0, 0,
                                 "must name a file inside the review folder (no \"..\")");
        p += n;
        while (*p == '/')
            p++;
    }
    int n = snprintf(out, cap, "%s/%s", dir, rel);
    if (n < 0 || (size_t)n >= cap)
        return evs_error_set(err, EVS_EDATA, 0, 0, "path too long");
    /* A symbolic link inside the folder may still point out of it. */
    char real_dir[PATH_MAX], real_file[PATH_MAX];
    if (realpath(dir, real_dir) == NULL || realpath(out, real_file) == NULL)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot open: %s", strerror(errno));
    size_t d = strlen(real_dir);
    bool root = d == 1; /* the folder is "/" */
    if (strncmp(real_file, real_dir, d) != 0 || (!root && real_file[d] != '/'))
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "must name a file inside the review folder (a symbolic link "
                             "leads out of it)");
    return EVS_OK;
}
