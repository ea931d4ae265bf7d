/*
 * outdir.h -- an output folder written as one unit.
 *
 * A reader of the folder sees the complete previous version or the
 * complete new one, never a mix, whatever happens during the run (an error,
 * a full disk, a kill, a power cut).  The model is SQLite's rollback
 * journal: the new version is written in full elsewhere and made durable,
 * then switched in by one atomic step, and anything a killed run left is
 * finished or undone by the next run before it starts.
 *
 *   PARENT/NAME                          the folder (switched as a whole)
 *   PARENT/.NAME.evsynth-new-PID-N       the new version, staged
 *   PARENT/.NAME.evsynth-lock            the lock (flock) of a run
 *   PARENT/.NAME.evsynth-old             the previous version, only on a file
 *                                        system without RENAME_EXCHANGE, and
 *                                        only between two renames
 *
 * The switch is renameat2(RENAME_EXCHANGE) of the staging folder and
 * PARENT/NAME (Linux 3.15, ext4, xfs, btrfs, tmpfs): one step swaps them,
 * and the staging name then holds the previous version, which is removed.
 * Where the file system lacks it (EINVAL), two renames are used, NAME to
 * .NAME.evsynth-old and staging to NAME; a run killed between the two
 * leaves no NAME for that moment, and the next run puts the old version
 * back before anything else.
 *
 * Every file is written with open/write/fsync/close and each step checked;
 * the staging folders are fsync'ed before the switch and PARENT after it.
 * New files and folders get the modes 0666 and 0777 less the umask.
 *
 * A folder is replaced only if evsynth wrote it: empty, or holding
 * results.json and only what evsynth writes (see evs_outdir_begin).  A
 * symbolic link to a folder is followed: the folder it points to is
 * switched and the link is kept.
 */
#ifndef EVS_OUTDIR_H
#define EVS_OUTDIR_H

#include <stddef.h>

#include "evsynth/error.h"

typedef struct evs_outdir evs_outdir;

/*
 * Start a new version of the folder at path (created, with its parents, if
 * missing):
 *  - refuse a path that is not a folder, or a folder holding anything
 *    evsynth does not write (the message names the first such entry);
 *  - take the lock, or fail at once if another run holds it;
 *  - finish or undo what a killed run left (see above);
 *  - create the staging folder.
 * On success *od is the caller's (evs_outdir_free).  On error *od is NULL,
 * nothing has changed but the clean-up of a killed run, and err says why.
 */
evs_status evs_outdir_begin(const char *path, evs_outdir **od, evs_error *err);

/* The staging folder, where other programs (gnuplot) may write files. */
const char *evs_outdir_staging(const evs_outdir *od);

/* Make the folder rel (one level, e.g. "figures") in the new version. */
evs_status evs_outdir_mkdir(evs_outdir *od, const char *rel, evs_error *err);

/* Write the file rel of the new version: written, fsync'ed and closed. */
evs_status evs_outdir_write(evs_outdir *od, const char *rel, const void *data, size_t len,
                            evs_error *err);

/*
 * Take the file rel that another program wrote into the staging folder:
 * check that it is a complete image (io/image_check.h), then fsync it.  If
 * data is not NULL, *data is set to its bytes, NUL-terminated (the
 * caller's, freed with free()).
 */
evs_status evs_outdir_adopt(evs_outdir *od, const char *rel, char **data, evs_error *err);

/* Remove the folder rel (made by evs_outdir_mkdir) from the new version. */
evs_status evs_outdir_discard(evs_outdir *od, const char *rel, evs_error *err);

/*
 * Switch the new version in.  On success the folder is the new version and
 * durable; a problem removing the previous version is only a warning
 * (evs_outdir_warning; the next run removes it).  On error the folder is
 * the previous version (or absent, if there was none).
 */
evs_status evs_outdir_commit(evs_outdir *od, evs_error *err);

/* A warning of the commit, or "" . */
const char *evs_outdir_warning(const evs_outdir *od);

/* Remove the staging folder unless committed, release the lock, free.  NULL: no-op. */
void evs_outdir_free(evs_outdir *od);

/*
 * Refuse an output folder out that is, contains or is inside the folder
 * in (a review folder), symbolic links resolved; out need not exist.
 */
evs_status evs_outdir_check_apart(const char *out, const char *in, evs_error *err);

/*
 * Make link a symbolic link holding target (e.g. plots/ID ->
 * ../reports/ID/figures), replacing in one step a link with another target
 * or a folder holding only figures (PNG, SVG) of an earlier evsynth.
 * Anything else at link is left alone and reported.
 */
evs_status evs_outdir_link(const char *link, const char *target, evs_error *err);

#endif
