/*
 * docs_main.c -- evsynth_docs, the documentation generator run by the
 * build (not installed):
 *
 *   evsynth_docs man FILE     write the man page evsynth.1
 *   evsynth_docs synopsis     print the README's synopsis block
 *   evsynth_docs options      print "COMMAND --option" for every option
 */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/man_page.h"

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    evs_error err;
    evs_error_clear(&err);
    evs_status st;
    if (argc == 3 && strcmp(argv[1], "man") == 0) {
        FILE *out = fopen(argv[2], "w");
        if (out == NULL) {
            perror(argv[2]);
            return 3;
        }
        st = evs_write_man_page(out, &err);
        if (fclose(out) != 0 && st == EVS_OK)
            st = evs_error_set(&err, EVS_EIO, 0, 0, "cannot write %s", argv[2]);
        if (st != EVS_OK)
            remove(argv[2]);
    } else if (argc == 2 && strcmp(argv[1], "synopsis") == 0) {
        st = evs_write_synopsis(stdout, &err);
    } else if (argc == 2 && strcmp(argv[1], "options") == 0) {
        st = evs_write_option_list(stdout, &err);
    } else {
        fprintf(stderr, "usage: evsynth_docs man FILE | synopsis | options\n");
        return 2;
    }
    if (st != EVS_OK) {
        fprintf(stderr, "evsynth_docs: %s\n", err.message);
        return 1;
    }
    return fflush(stdout) == 0 ? 0 : 3;
}
