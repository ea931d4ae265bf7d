/*
 * man_page.h -- the documentation written from the command table and each
 * command's option table (commands.h): the man page evsynth.1, the
 * README's synopsis, and the list of every option.  --help prints the same
 * tables, so the three cannot disagree (ctest docs_agree checks the
 * README against them).
 *
 * Each command's help text is split where its option list appears (the
 * text evs_options_help() writes for its table); the list itself comes
 * from the table.  A help function that does not print its options
 * exactly once is an error, so a command cannot drift out of the man page.
 */
#ifndef EVS_MAN_PAGE_H
#define EVS_MAN_PAGE_H

#include <stdio.h>

#include "evsynth/error.h"

/* The man page (roff, man macros).  EVS_EINVAL if a help text cannot be split. */
evs_status evs_write_man_page(FILE *out, evs_error *err);

/* The usage lines of every command, as the README's synopsis shows them. */
evs_status evs_write_synopsis(FILE *out, evs_error *err);

/* "COMMAND --name" for every option of every command, one per line. */
evs_status evs_write_option_list(FILE *out, evs_error *err);

#endif
