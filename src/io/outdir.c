/*
 * outdir.c -- an output folder written as one unit (see outdir.h).
 *
 * Every change to the disk goes through io/sys.h, whose calls are the fault
 * points of tests/outdir.  Reading (stat, readdir, realpath) does not: it
 * changes nothing a reader could see.
 */
#define _XOPEN_SOURCE 700 /* realpath(), as in files.c */

#include "io/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/files.h"
#include "io/image_check.h"
#include "io/sys.h"

#define MAX_SUBDIRS 4

struct evs_outdir {
    char path[PATH_MAX];   /* the folder, as switched (links resolved) */
    char shown[PATH_MAX];  /* the folder, as the user named it (messages) */
    char parent[PATH_MAX]; /* its parent folder */
    char name[NAME_MAX + 1];
    char stage[PATH_MAX];
    char old[PATH_MAX]; /* the journal name of the fallback */
    char lock[PATH_MAX];
    int lock_fd;
    bool existed, committed;
    size_t nsubdirs;
    char subdirs[MAX_SUBDIRS][64];
    char warning[EVS_ERROR_MESSAGE_MAX];
};

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
 * snprintf that says whether it all fitted.  Through a va_list, so that
 * GCC's -Wformat-truncation, which cannot know the lengths of paths, stays
 * quiet: every caller that needs the whole text checks the result.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static bool fmt(char *out, size_t cap, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(out, cap, format, ap);
    va_end(ap);
    return n >= 0 && (size_t)n < cap;
}

static bool join(char *out, size_t cap, const char *a, const char *b)
{
    return fmt(out, cap, "%s/%s", a, b);
}

/* ---------------------------------------------------------------------------
 * Removing a version: a folder tree of at most a few levels, links not followed
 */

static int remove_tree_at(const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return evs_sys_unlink(path);
    if (depth > 8) {
        errno = ELOOP;
        return -1;
    }
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char child[PATH_MAX];
        if (!join(child, sizeof child, path, e->d_name)) {
            errno = ENAMETOOLONG;
            rc = -1;
            continue;
        }
        if (remove_tree_at(child, depth + 1) != 0)
            rc = -1;
    }
    int saved = errno;
    closedir(d);
    if (rc != 0) {
        errno = saved;
        return -1;
    }
    return evs_sys_rmdir(path);
}

static int remove_tree(const char *path)
{
    return remove_tree_at(path, 0);
}

static int fsync_path(const char *path, bool folder)
{
    int fd = evs_sys_open(path, O_RDONLY | (folder ? O_DIRECTORY : 0), 0);
    if (fd < 0)
        return -1;
    int rc = evs_sys_fsync(fd);
    int saved = errno;
    if (evs_sys_close(fd) != 0 && rc == 0)
        return -1;
    errno = saved;
    return rc;
}

/* ---------------------------------------------------------------------------
 * What evsynth writes, so that nothing else is ever replaced
 */

/* Left by an interrupted write of an earlier evsynth (atomic.c, gnuplot.c). */
static bool leftover(const char *name)
{
    return strstr(name, ".tmp-") != NULL || strncmp(name, ".evsynth-", 9) == 0;
}

static bool report_file(const char *name)
{
    static const char *const ext[] = {".md", ".html", ".json", ".csv", ".pdf"};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (has_suffix(name, ext[i]) && name[0] != '.')
            return true;
    return false;
}

static bool figure_file(const char *name)
{
    return name[0] != '.' &&
           (has_suffix(name, ".png") || has_suffix(name, ".svg") || has_suffix(name, ".pdf"));
}

/*
 * Whether folder dir holds only figures (and leftovers); if not, *stranger
 * names the first other entry.
 */
static bool only_figures(const char *dir, char *stranger, size_t cap)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return false;
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[PATH_MAX];
        struct stat st;
        if (!join(p, sizeof p, dir, e->d_name) || lstat(p, &st) != 0)
            continue;
        if (leftover(e->d_name) || (S_ISREG(st.st_mode) && figure_file(e->d_name)))
            continue;
        ok = false;
        fmt(stranger, cap, "%s", e->d_name);
    }
    closedir(d);
    return ok;
}

/*
 * Whether the folder is one evsynth wrote: empty, or results.json and
 * report files at the top, figures in figures/, and leftovers of
 * interrupted runs.  If not, err names the first entry that is not.
 */
static evs_status check_ours(const evs_outdir *od, evs_error *err)
{
    DIR *d = opendir(od->path);
    if (d == NULL)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot read the folder %s: %s", od->shown,
                             strerror(errno));
    bool any = false, results = false;
    char stranger[NAME_MAX + 32] = "";
    struct dirent *e;
    while (stranger[0] == '\0' && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        any = true;
        char p[PATH_MAX];
        struct stat st;
        if (!join(p, sizeof p, od->path, e->d_name) || lstat(p, &st) != 0)
            continue;
        if (strcmp(e->d_name, "results.json") == 0 && S_ISREG(st.st_mode))
            results = true;
        if (leftover(e->d_name) || (S_ISREG(st.st_mode) && report_file(e->d_name)))
            continue;
        if (strcmp(e->d_name, "figures") == 0 && S_ISDIR(st.st_mode)) {
            char inner[NAME_MAX + 1] = "";
            if (only_figures(p, inner, sizeof inner))
                continue;
            fmt(stranger, sizeof stranger, "figures/%s", inner);
            break;
        }
        fmt(stranger, sizeof stranger, "%s", e->d_name);
    }
    closedir(d);
    if (stranger[0] != '\0')
        return evs_error_set(err, EVS_EIO, 0, 0,
                             "the output folder %s holds %s, which evsynth did not write; "
                             "it would be replaced as a whole, so choose another folder (or "
                             "empty this one)",
                             od->shown, stranger);
    if (any && !results)
        return evs_error_set(err, EVS_EIO, 0, 0,
                             "the output folder %s is not empty and holds no results.json: "
                             "it would be replaced as a whole, so choose another folder (or "
                             "empty this one)",
                             od->shown);
    return EVS_OK;
}

/* ---------------------------------------------------------------------------
 * Where the folder is
 */

/* mkdir -p through the seam. */
static evs_status make_parents(const char *path, const char *shown, evs_error *err)
{
    char buf[PATH_MAX];
    if (!fmt(buf, sizeof buf, "%s", path))
        return evs_error_set(err, EVS_EIO, 0, 0, "path too long: %s", shown);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        struct stat st;
        if (stat(buf, &st) != 0 && evs_sys_mkdir(buf, 0777) != 0 && errno != EEXIST)
            return evs_error_set(err, EVS_EIO, 0, 0, "cannot create folder %s: %s", buf,
                                 strerror(errno));
        *p = c;
        if (c == '\0')
            break;
    }
    return EVS_OK;
}

/* Split path (no trailing '/') into parent and name, and check the name. */
static evs_status place(evs_outdir *od, const char *path, evs_error *err)
{
    char p[PATH_MAX];
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    if (n == 0 || n >= sizeof p)
        return evs_error_set(err, EVS_EINVAL, 0, 0, "the output folder needs a name");
    memcpy(p, path, n);
    p[n] = '\0';
    fmt(od->shown, sizeof od->shown, "%s", p);

    /* A link to a folder: switch the folder it leads to, keep the link. */
    struct stat st;
    if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) {
        char real[PATH_MAX];
        if (realpath(p, real) == NULL)
            return evs_error_set(err, EVS_EIO, 0, 0,
                                 "the output folder %s is a symbolic link that leads "
                                 "nowhere: %s",
                                 od->shown, strerror(errno));
        fmt(p, sizeof p, "%s", real);
    }
    char *slash = strrchr(p, '/');
    const char *name = slash ? slash + 1 : p;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcmp(name, "/") == 0 ||
        name[0] == '\0')
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "the output folder %s must end in a name (not . or ..)",
                             od->shown);
    if (strlen(name) > NAME_MAX - 32)
        return evs_error_set(err, EVS_EINVAL, 0, 0, "the output folder's name is too long");
    fmt(od->name, sizeof od->name, "%s", name);
    if (slash == NULL)
        fmt(od->parent, sizeof od->parent, ".");
    else if (slash == p)
        fmt(od->parent, sizeof od->parent, "/");
    else
        fmt(od->parent, sizeof od->parent, "%.*s", (int)(slash - p), p);
    fmt(od->path, sizeof od->path, "%s", p);
    char tmp[PATH_MAX];
    if (!fmt(tmp, sizeof tmp, "%s/.%s.evsynth-old", od->parent, od->name))
        return evs_error_set(err, EVS_EINVAL, 0, 0, "the output folder's path is too long");
    fmt(od->old, sizeof od->old, "%s", tmp);
    if (!fmt(od->lock, sizeof od->lock, "%s/.%s.evsynth-lock", od->parent, od->name))
        return evs_error_set(err, EVS_EINVAL, 0, 0, "the output folder's path is too long");
    return EVS_OK;
}

/* ---------------------------------------------------------------------------
 * The lock
 */

/*
 * flock() on PARENT/.NAME.evsynth-lock, which the holder removes when it is
 * done.  A run that opened the file just before it was removed would lock
 * a file no longer there, so the lock counts only if the path still names
 * the locked file.  The kernel releases the lock of a killed run.
 */
static evs_status take_lock(evs_outdir *od, evs_error *err)
{
    for (int attempt = 0; attempt < 16; attempt++) {
        int fd = evs_sys_open(od->lock, O_RDWR | O_CREAT, 0666);
        if (fd < 0)
            return evs_error_set(err, EVS_EIO, 0, 0, "cannot create the lock %s: %s", od->lock,
                                 strerror(errno));
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            char pid[32] = "";
            ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
            pid[n > 0 ? n : 0] = '\0';
            pid[strcspn(pid, "\n")] = '\0';
            close(fd);
            if (e == EWOULDBLOCK)
                return evs_error_set(err, EVS_EIO, 0, 0,
                                     "another evsynth report is writing to %s%s%s%s; wait until "
                                     "it has finished",
                                     od->shown, pid[0] ? " (process " : "", pid,
                                     pid[0] ? ")" : "");
            return evs_error_set(err, EVS_EIO, 0, 0, "cannot lock %s: %s", od->lock,
                                 strerror(e));
        }
        struct stat held, now;
        if (fstat(fd, &held) == 0 && stat(od->lock, &now) == 0 && held.st_dev == now.st_dev &&
            held.st_ino == now.st_ino) {
            char pid[32];
            int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
            if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
                /* the number is only for the message of a second run */
            }
            od->lock_fd = fd;
            return EVS_OK;
        }
        close(fd); /* removed by its last holder meanwhile: take the new one */
    }
    return evs_error_set(err, EVS_EIO, 0, 0, "cannot lock %s: it keeps changing", od->lock);
}

static void release_lock(evs_outdir *od)
{
    if (od->lock_fd < 0)
        return;
    evs_sys_unlink(od->lock); /* while still held: see take_lock */
    close(od->lock_fd);
    od->lock_fd = -1;
}

/* ---------------------------------------------------------------------------
 * What a killed run left
 */

/*
 * Undo or finish, under the lock: put back the previous version the
 * fallback had moved aside (or remove it if the new version made it into
 * place), and remove every staging folder.
 */
static evs_status recover(evs_outdir *od, evs_error *err)
{
    struct stat st;
    if (lstat(od->old, &st) == 0) {
        if (lstat(od->path, &st) != 0) {
            if (evs_sys_rename(od->old, od->path) != 0)
                return evs_error_set(err, EVS_EIO, 0, 0,
                                     "cannot put back the previous version of %s, which an "
                                     "interrupted run left in %s: %s",
                                     od->shown, od->old, strerror(errno));
        } else if (remove_tree(od->old) != 0) {
            return evs_error_set(err, EVS_EIO, 0, 0, "cannot remove %s: %s", od->old,
                                 strerror(errno));
        }
    }
    char prefix[NAME_MAX + 32];
    fmt(prefix, sizeof prefix, ".%s.evsynth-new-", od->name);
    size_t np = strlen(prefix);
    DIR *d = opendir(od->parent);
    if (d == NULL)
        return EVS_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, np) != 0)
            continue;
        char p[PATH_MAX];
        if (join(p, sizeof p, od->parent, e->d_name) && remove_tree(p) != 0) {
            int saved = errno;
            closedir(d);
            return evs_error_set(err, EVS_EIO, 0, 0,
                                 "cannot remove %s, left by an interrupted run: %s", p,
                                 strerror(saved));
        }
    }
    closedir(d);
    return EVS_OK;
}

/* ---------------------------------------------------------------------------
 * A run
 */

evs_status evs_outdir_begin(const char *path, evs_outdir **out, evs_error *err)
{
    *out = NULL;
    evs_outdir *od = calloc(1, sizeof *od);
    if (od == NULL)
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    od->lock_fd = -1;
    evs_status st = place(od, path, err);
    if (st == EVS_OK)
        st = make_parents(od->parent, od->parent, err);
    if (st == EVS_OK)
        st = take_lock(od, err);
    if (st == EVS_OK)
        st = recover(od, err);
    if (st == EVS_OK) {
        struct stat s;
        if (lstat(od->path, &s) == 0) {
            od->existed = true;
            if (!S_ISDIR(s.st_mode))
                st = evs_error_set(err, EVS_EIO, 0, 0,
                                   "the output folder %s is %s, not a folder", od->shown,
                                   evs_file_kind(s.st_mode));
            else
                st = check_ours(od, err);
        } else if (errno != ENOENT) {
            st = evs_error_set(err, EVS_EIO, 0, 0, "cannot open the output folder %s: %s",
                               od->shown, strerror(errno));
        }
    }
    /* The staging folder: a name no other run uses (pid, then a counter). */
    for (unsigned i = 0; st == EVS_OK; i++) {
        fmt(od->stage, sizeof od->stage, "%s/.%s.evsynth-new-%ld-%u", od->parent, od->name,
                 (long)getpid(), i);
        if (evs_sys_mkdir(od->stage, 0777) == 0)
            break;
        if (errno != EEXIST || i > 100) {
            st = evs_error_set(err, EVS_EIO, 0, 0, "cannot create a folder in %s: %s",
                               od->parent, strerror(errno));
            od->stage[0] = '\0';
        }
    }
    if (st != EVS_OK) {
        evs_outdir_free(od);
        return st;
    }
    *out = od;
    return EVS_OK;
}

const char *evs_outdir_staging(const evs_outdir *od)
{
    return od->stage;
}

const char *evs_outdir_warning(const evs_outdir *od)
{
    return od->warning;
}

evs_status evs_outdir_mkdir(evs_outdir *od, const char *rel, evs_error *err)
{
    char p[PATH_MAX];
    if (od->nsubdirs == MAX_SUBDIRS || strlen(rel) >= sizeof od->subdirs[0] ||
        !join(p, sizeof p, od->stage, rel))
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot create %s/%s: too many folders",
                             od->shown, rel);
    if (evs_sys_mkdir(p, 0777) != 0)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot create %s/%s: %s", od->shown, rel,
                             strerror(errno));
    fmt(od->subdirs[od->nsubdirs++], sizeof od->subdirs[0], "%s", rel);
    return EVS_OK;
}

evs_status evs_outdir_write(evs_outdir *od, const char *rel, const void *data, size_t len,
                            evs_error *err)
{
    char p[PATH_MAX];
    if (!join(p, sizeof p, od->stage, rel))
        return evs_error_set(err, EVS_EIO, 0, 0, "path too long: %s/%s", od->shown, rel);
    int fd = evs_sys_open(p, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot write %s/%s: %s", od->shown, rel,
                             strerror(errno));
    int failed = evs_sys_write_all(fd, data, len) != 0 || evs_sys_fsync(fd) != 0;
    int saved = errno;
    if (evs_sys_close(fd) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (failed)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot write %s/%s: %s", od->shown, rel,
                             strerror(saved));
    return EVS_OK;
}

evs_status evs_outdir_adopt(evs_outdir *od, const char *rel, char **data, evs_error *err)
{
    char p[PATH_MAX], shown[PATH_MAX + 64];
    if (data != NULL)
        *data = NULL;
    if (!join(p, sizeof p, od->stage, rel))
        return evs_error_set(err, EVS_EIO, 0, 0, "path too long: %s/%s", od->shown, rel);
    fmt(shown, sizeof shown, "%s/%s", od->shown, rel);
    char *bytes;
    size_t len;
    if (evs_input_read_all(p, EVS_FILE_READ_MAX, &bytes, &len, err) != EVS_OK) {
        evs_error_clear(err);
        return evs_error_set(err, EVS_EIO, 0, 0, "gnuplot did not write %s", shown);
    }
    evs_status st = evs_image_check_buffer(shown, (const unsigned char *)bytes, len, err);
    if (st == EVS_OK && fsync_path(p, false) != 0)
        st = evs_error_set(err, EVS_EIO, 0, 0, "cannot write %s: %s", shown, strerror(errno));
    if (st == EVS_OK && data != NULL)
        *data = bytes;
    else
        free(bytes);
    return st;
}

evs_status evs_outdir_discard(evs_outdir *od, const char *rel, evs_error *err)
{
    char p[PATH_MAX];
    if (!join(p, sizeof p, od->stage, rel) || remove_tree(p) != 0)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot remove %s/%s: %s", od->shown, rel,
                             strerror(errno));
    for (size_t i = 0; i < od->nsubdirs; i++)
        if (strcmp(od->subdirs[i], rel) == 0) {
            memmove(od->subdirs[i], od->subdirs[i + 1],
                    (od->nsubdirs - i - 1) * sizeof od->subdirs[0]);
            od->nsubdirs--;
            break;
        }
    return EVS_OK;
}

/* Make the staging folders durable before the switch. */
static evs_status sync_stage(evs_outdir *od, evs_error *err)
{
    for (size_t i = 0; i < od->nsubdirs; i++) {
        char p[PATH_MAX];
        join(p, sizeof p, od->stage, od->subdirs[i]);
        if (fsync_path(p, true) != 0)
            return evs_error_set(err, EVS_EIO, 0, 0, "cannot write %s/%s: %s", od->shown,
                                 od->subdirs[i], strerror(errno));
    }
    if (fsync_path(od->stage, true) != 0)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot write %s: %s", od->shown,
                             strerror(errno));
    return EVS_OK;
}

static void set_warning(evs_outdir *od, const char *what, const char *path)
{
    fmt(od->warning, sizeof od->warning,
             "%s %s: %s (the next run into %s removes it)", what, path, strerror(errno),
             od->shown);
}

/*
 * The fallback switch: NAME to the journal name, staging to NAME.  Returns
 * EVS_OK with the new version in place, or an error with the old one back.
 */
static evs_status switch_by_renames(evs_outdir *od, evs_error *err)
{
    if (evs_sys_rename(od->path, od->old) != 0)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot move %s aside: %s", od->shown,
                             strerror(errno));
    if (evs_sys_rename(od->stage, od->path) != 0) {
        int saved = errno;
        if (evs_sys_rename(od->old, od->path) != 0)
            return evs_error_set(err, EVS_EIO, 0, 0,
                                 "cannot switch %s (%s), nor put the previous version back "
                                 "from %s (the next run will)",
                                 od->shown, strerror(saved), od->old);
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot switch %s: %s", od->shown,
                             strerror(saved));
    }
    return EVS_OK;
}

/* Undo a switch whose durability could not be ensured. */
static bool unswitch(evs_outdir *od, bool exchanged)
{
    if (exchanged)
        return evs_sys_exchange(od->stage, od->path) == 0;
    if (!od->existed)
        return evs_sys_rename(od->path, od->stage) == 0;
    return evs_sys_rename(od->path, od->stage) == 0 && evs_sys_rename(od->old, od->path) == 0;
}

evs_status evs_outdir_commit(evs_outdir *od, evs_error *err)
{
    evs_status st = sync_stage(od, err);
    if (st != EVS_OK)
        return st;
    bool exchanged = false;
    if (od->existed) {
        if (evs_sys_exchange(od->stage, od->path) == 0)
            exchanged = true;
        else if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
            return evs_error_set(err, EVS_EIO, 0, 0, "cannot switch %s: %s", od->shown,
                                 strerror(errno));
        else if ((st = switch_by_renames(od, err)) != EVS_OK)
            return st;
    } else if (evs_sys_rename(od->stage, od->path) != 0) {
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot create %s: %s", od->shown,
                             strerror(errno));
    }
    if (fsync_path(od->parent, true) != 0) {
        int saved = errno;
        if (unswitch(od, exchanged))
            return evs_error_set(err, EVS_EIO, 0, 0, "cannot write %s: %s", od->shown,
                                 strerror(saved));
        od->committed = true;
        return evs_error_set(err, EVS_EIO, 0, 0,
                             "%s holds the new version, but it may not be on disk yet: %s",
                             od->shown, strerror(saved));
    }
    od->committed = true;
    /* The previous version is garbage now; a failure to remove it is only a warning. */
    const char *previous = exchanged ? od->stage : od->existed ? od->old : NULL;
    if (previous != NULL && remove_tree(previous) != 0)
        set_warning(od, "cannot remove the previous version in", previous);
    return EVS_OK;
}

void evs_outdir_free(evs_outdir *od)
{
    if (od == NULL)
        return;
    if (!od->committed && od->stage[0] != '\0')
        remove_tree(od->stage); /* if this fails, the next run removes it */
    release_lock(od);
    free(od);
}

/* ---------------------------------------------------------------------------
 * Outputs apart from inputs
 */

/* realpath of a path that may not exist yet: its existing start, resolved, and the rest. */
static bool resolve(const char *path, char *out)
{
    char buf[PATH_MAX];
    if (!fmt(buf, sizeof buf, "%s", path))
        return false;
    char rest[PATH_MAX] = "";
    for (;;) {
        if (realpath(buf[0] ? buf : ".", out) != NULL) {
            size_t n = strlen(out);
            if (rest[0] != '\0' && !fmt(out + n, PATH_MAX - n, "%s%s", n > 1 ? "/" : "", rest))
                return false;
            return true;
        }
        if (errno != ENOENT)
            return false;
        size_t n = strlen(buf);
        while (n > 1 && buf[n - 1] == '/')
            buf[--n] = '\0';
        char *slash = strrchr(buf, '/');
        const char *last = slash ? slash + 1 : buf;
        if (strcmp(last, "..") == 0 || strcmp(last, ".") == 0)
            return false; /* ".." of a missing folder: nothing sensible */
        char joined[PATH_MAX];
        if (!fmt(joined, sizeof joined, "%s%s%s", last, rest[0] ? "/" : "", rest))
            return false;
        fmt(rest, sizeof rest, "%s", joined);
        if (slash == NULL)
            buf[0] = '\0';
        else if (slash == buf)
            buf[1] = '\0';
        else
            *slash = '\0';
    }
}

/* Whether a is b or a folder inside b (both resolved). */
static bool within(const char *a, const char *b)
{
    size_t n = strlen(b);
    if (strcmp(b, "/") == 0)
        return true;
    return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

evs_status evs_outdir_check_apart(const char *out, const char *in, evs_error *err)
{
    char o[PATH_MAX], i[PATH_MAX];
    if (!resolve(out, o) || !resolve(in, i))
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot create the output folder %s: %s", out,
                             strerror(errno));
    if (strcmp(o, i) == 0)
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "the output folder %s is the review folder: the report would "
                             "replace its input files; choose another folder",
                             out);
    if (within(i, o))
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "the output folder %s contains the review folder %s: the "
                             "report would replace it; choose another folder",
                             out, in);
    if (within(o, i))
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "the output folder %s is inside the review folder %s: keep the "
                             "outputs apart from the input files",
                             out, in);
    return EVS_OK;
}

/* ---------------------------------------------------------------------------
 * The link of the default layout (plots/ID)
 */

evs_status evs_outdir_link(const char *link, const char *target, evs_error *err)
{
    struct stat st;
    bool exists = lstat(link, &st) == 0;
    if (exists && S_ISLNK(st.st_mode)) {
        char now[PATH_MAX];
        ssize_t n = readlink(link, now, sizeof now - 1);
        if (n >= 0 && (size_t)n == strlen(target) && memcmp(now, target, (size_t)n) == 0)
            return EVS_OK;
    }
    char stranger[NAME_MAX + 1] = "";
    if (exists && !S_ISLNK(st.st_mode) &&
        !(S_ISDIR(st.st_mode) && only_figures(link, stranger, sizeof stranger)))
        return evs_error_set(err, EVS_EIO, 0, 0,
                             "%s is not a link to the figures and holds %s, which evsynth "
                             "did not write; it was left as it is",
                             link, stranger[0] ? stranger : "something else");

    char parent[PATH_MAX], tmp[PATH_MAX];
    fmt(parent, sizeof parent, "%s", link);
    char *slash = strrchr(parent, '/');
    const char *name = slash ? slash + 1 : parent;
    if (slash)
        *slash = '\0';
    if (!fmt(tmp, sizeof tmp, "%s/.%s.evsynth-link-%ld", slash ? parent : ".", name,
             (long)getpid()))
        return evs_error_set(err, EVS_EIO, 0, 0, "path too long: %s", link);
    if (slash && make_parents(parent, parent, err) != EVS_OK)
        return EVS_EIO;
    remove_tree(tmp);
    if (evs_sys_symlink(target, tmp) != 0)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot make the link %s: %s", link,
                             strerror(errno));
    /* A link or nothing is replaced by rename; a folder by exchange, then removed. */
    bool folder = exists && S_ISDIR(st.st_mode);
    int rc = folder ? evs_sys_exchange(tmp, link) : evs_sys_rename(tmp, link);
    if (rc != 0 && folder && (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP)) {
        char aside[PATH_MAX];
        fmt(aside, sizeof aside, "%s.old", tmp);
        rc = evs_sys_rename(link, aside);
        if (rc == 0 && (rc = evs_sys_rename(tmp, link)) != 0)
            evs_sys_rename(aside, link);
        else if (rc == 0)
            fmt(tmp, sizeof tmp, "%s", aside);
    }
    if (rc != 0) {
        int saved = errno;
        evs_sys_unlink(tmp);
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot make the link %s: %s", link,
                             strerror(saved));
    }
    if (folder && remove_tree(tmp) != 0)
        return evs_error_set(err, EVS_EIO, 0, 0, "cannot remove the old figures in %s: %s", tmp,
                             strerror(errno));
    return EVS_OK;
}
