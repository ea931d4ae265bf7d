/*
 * studies.h -- the study-level data of one meta-analysis: a label, the
 * source line, and the escalc() input variables of each row.
 *
 * Readers (src/io) fill it; effect-size code (measure.h) reads it.  A
 * variable whose column is absent has x[v] == NULL; a missing cell is NaN.
 * Rows need not have labels: label may be NULL (no row has one) and
 * label[i] may be NULL; evs_studies_label() then gives "Study i+1", the
 * label evs_studies_alloc() gives them.  A view onto someone else's arrays
 * (evsynth batch does this for each analysis) fills the struct directly and
 * is never passed to evs_studies_free().
 */
#ifndef EVS_STUDIES_H
#define EVS_STUDIES_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/error.h"

/* The input variables, named as metafor escalc()'s arguments. */
typedef enum evs_var {
    EVS_VAR_YI,
    EVS_VAR_VI,
    EVS_VAR_SEI,
    EVS_VAR_AI,
    EVS_VAR_BI,
    EVS_VAR_CI,
    EVS_VAR_DI,
    EVS_VAR_N1I,
    EVS_VAR_N2I,
    EVS_VAR_M1I,
    EVS_VAR_M2I,
    EVS_VAR_SD1I,
    EVS_VAR_SD2I,
    EVS_VAR_NI,
    EVS_VAR_RI,
    EVS_VAR_XI,
    EVS_VAR_MI,
    EVS_VAR_SDI,
    EVS_VAR_COUNT
} evs_var;

typedef struct evs_studies {
    size_t k;
    char *source;               /* file the rows came from, or NULL */
    char **label;               /* k labels, or NULL; label[i] may be NULL */
    long *line;                 /* k source lines (0 when unknown) */
    double *x[EVS_VAR_COUNT];   /* k values each; NULL when the column is absent */
    long column[EVS_VAR_COUNT]; /* source column of each variable (0 when unknown) */
} evs_studies;

/*
 * k rows with labels "Study 1", "Study 2", ..., lines 0 and no variables;
 * source (NULL for none) is copied.  NULL if out of memory.
 */
evs_studies *evs_studies_alloc(size_t k, const char *source);
/* Frees the labels, the variables and s; NULL is a no-op. */
void evs_studies_free(evs_studies *s);

/* Add variable v (all values missing; column: its 1-based source column, 0
 * when unknown).  EVS_ENOMEM if out of memory (s unchanged). */
evs_status evs_studies_add_var(evs_studies *s, evs_var v, long column);

/*
 * Replace the label of row i (< s->k) with a copy of text; the old label is
 * freed.  EVS_ENOMEM if out of memory (the row's label then unchanged).
 */
evs_status evs_studies_set_label(evs_studies *s, size_t i, const char *text);

/* Room for "Study 18446744073709551615" and its NUL. */
#define EVS_LABEL_DEFAULT_MAX 32

/*
 * The label of row i: s->label[i], or "Study i+1" written into buf when the
 * row has none.  The result is valid while s and buf are.
 */
const char *evs_studies_label(const evs_studies *s, size_t i, char buf[EVS_LABEL_DEFAULT_MAX]);

/* The escalc name of v ("yi", "n1i"); "?" out of range.  Static. */
const char *evs_var_name(evs_var v);

/* Look up a variable by its escalc name; false if unknown. */
bool evs_var_from_name(const char *name, evs_var *v);

#endif
