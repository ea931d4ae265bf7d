/*
 * files.h -- opening the files evsynth reads, with the limits it promises.
 *
 * Only regular files are read: a FIFO, a device, a socket or a folder given
 * as an input is refused at once with a message saying what it is, instead
 * of hanging on a FIFO or reading /dev/zero until memory runs out.  The one
 * exception is "-", standard input, for the commands that document it
 * (meta, batch, gosh, check); there the readers' own limits bound memory.
 *
 * Paths inside a folder (the `previous` setting of review.ini) are resolved
 * so that nothing a review file says can reach outside its folder.
 */
#ifndef EVS_FILES_H
#define EVS_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "evsynth/error.h"

/* Largest whole file read into memory (results.json of a previous review). */
#define EVS_FILE_READ_MAX ((size_t)64 << 20)

/*
 * Open path for reading ("-": standard input, only if allow_stdin).  Refuses
 * anything but a regular file (symbolic links to one are followed).  On
 * error returns NULL with err filled and naming path.  The stream is the
 * caller's (fclose; never closes stdin: compare with stdin first).
 */
FILE *evs_input_open(const char *path, bool allow_stdin, evs_error *err);

/*
 * Read the whole regular file at path into a new NUL-terminated buffer
 * (*data, freed by the caller; *len excludes the NUL).  Refuses files of more
 * than max bytes.  On error *data is NULL and err names path.
 */
evs_status evs_input_read_all(const char *path, size_t max, char **data, size_t *len,
                              evs_error *err);

/*
 * SHA-256 of the regular file at path as 64 lowercase hex digits and a NUL,
 * read in blocks (nettle).  On error err names path.
 */
evs_status evs_input_sha256(const char *path, char hex[65], evs_error *err);

/*
 * Resolve rel, a path relative to folder dir, into out (cap bytes), refusing
 * an absolute path, a ".." component, and a path whose real location
 * (symbolic links followed) is not inside dir.  The message never shows
 * the content of the file.  err is not about a file: the caller names it.
 */
evs_status evs_path_inside(const char *dir, const char *rel, char *out, size_t cap,
                           evs_error *err);

/* What kind of file a mode is ("a FIFO", "a folder", ...), for messages. */
const char *evs_file_kind(unsigned mode);

#endif
