/*
 * design.h -- moderators and subgroups from the columns of a CSV table.
 *
 * A moderator column whose cells are all numbers (or empty) enters the model
 * as it is; any other column is categorical and enters as one 0/1 column per
 * level but the first, as R's model.matrix() does: levels in sorted (byte)
 * order, the first is the reference, and each coefficient is named after the
 * column and the level ("allocrandom").  The intercept is named "intrcpt",
 * as in metafor.  Rows with an empty moderator (or group) cell are left out.
 */
#ifndef EVS_DESIGN_H
#define EVS_DESIGN_H

#include <stddef.h>

#include "evsynth/error.h"
#include "io/table.h"

typedef struct evs_design {
    size_t k, p;
    double *X;    /* k x p, row-major; column 0 is the intercept */
    char **names; /* p coefficient names */
    size_t *row;  /* index into the rows given, for each design row */
} evs_design;

/*
 * The model matrix for rows[0..nrows) of t and the moderators in spec
 * ("ablat,alloc").  Unknown columns are usage errors naming the file.
 */
evs_design *evs_design_build(const evs_table *t, const size_t *rows, size_t nrows,
                             const char *spec, evs_error *err);
void evs_design_free(evs_design *d);

typedef struct evs_groups {
    size_t k, nlevels;
    size_t *group;  /* level of each used row */
    size_t *row;    /* index into the rows given */
    char **levels;  /* sorted level names */
} evs_groups;

/* Subgroups from one column (levels sorted; empty cells left out). */
evs_groups *evs_groups_build(const evs_table *t, const size_t *rows, size_t nrows,
                             const char *column, evs_error *err);
void evs_groups_free(evs_groups *g);

#endif
