/*
 * ini_file.h -- an INI file read with libinih, keeping where each value is.
 *
 * libinih reports values without their position.  Reading through
 * ini_parse_stream() with a line reader of our own gives the line of every
 * value, and the raw line its column, so that messages can say
 * FILE:LINE:COLUMN.  Values continued on indented lines are joined with a
 * space.  A line too long for libinih's buffer, a line that is not
 * "name = value" or "[section]", and a name given twice in a section are
 * problems.
 */
#ifndef EVS_INI_FILE_H
#define EVS_INI_FILE_H

#include <stddef.h>

#include "review/problems.h"

typedef struct evs_ini_entry {
    char *section, *name, *value;
    long line, column; /* of the value */
    int used;          /* set by the reader of the entry */
} evs_ini_entry;

typedef struct evs_ini {
    char *file;
    size_t n, cap;
    evs_ini_entry *entries;
} evs_ini;

/*
 * Read path.  Problems (including a file that cannot be opened) are added to
 * problems; the entries read so far are kept.  Returns NULL only when out of
 * memory.
 */
evs_ini *evs_ini_read(const char *path, evs_problems *problems);
void evs_ini_free(evs_ini *ini);

/* The entry for section/name, or NULL. Marks it used. */
evs_ini_entry *evs_ini_get(evs_ini *ini, const char *section, const char *name);

#endif
