/*
 * exit_codes.c -- library status to exit code, in one table (see
 * exit_codes.h).
 */
#include "cli/exit_codes.h"

static const struct {
    evs_status status;
    evs_exit code;
} status_exit[] = {
    {EVS_OK, EVS_EXIT_OK},
    {EVS_EDATA, EVS_EXIT_DATA},
    {EVS_ENOCONV, EVS_EXIT_DATA}, /* an analysis that cannot be done with these data */
    {EVS_EINVAL, EVS_EXIT_USAGE},
    {EVS_ENOMEM, EVS_EXIT_IO},
    {EVS_EIO, EVS_EXIT_IO},
};

evs_exit evs_exit_code(evs_status st)
{
    for (size_t i = 0; i < sizeof status_exit / sizeof status_exit[0]; i++)
        if (status_exit[i].status == st)
            return status_exit[i].code;
    return EVS_EXIT_IO; /* not a status: say that something went wrong */
}

const evs_exit_doc evs_exit_docs[] = {
    {EVS_EXIT_OK, "success"},
    {EVS_EXIT_DATA, "bad input data, or an analysis that cannot be done (for example fewer "
                    "than 2 usable studies)"},
    {EVS_EXIT_USAGE, "usage error: unknown option, measure or method, or a missing argument"},
    {EVS_EXIT_IO, "a file cannot be read or written, an external program failed, or memory "
                  "ran out"},
    {EVS_EXIT_NO_FIGURES, "evsynth report only: the report was written, but without figures "
                          "(gnuplot is missing or failed; the message says why)"},
};

const size_t evs_exit_ndocs = sizeof evs_exit_docs / sizeof evs_exit_docs[0];
