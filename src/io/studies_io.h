/*
 * studies_io.h -- study data from a CSV table.
 *
 * Columns are named as metafor escalc()'s arguments (yi vi sei ai bi ci di
 * n1i n2i m1i m2i sd1i sd2i ni ri xi mi sdi); an optional "study" column
 * labels the rows.  Only the columns the measure uses are read; others are
 * left alone (they may hold moderators or notes).
 */
#ifndef EVS_STUDIES_IO_H
#define EVS_STUDIES_IO_H

#include "evsynth/measure.h"
#include "evsynth/studies.h"
#include "io/table.h"

/* The name of the optional label column. */
#define EVS_LABEL_COLUMN "study"

/*
 * Read the columns measure m uses from t.  A cell that is not a number is an
 * error naming FILE:LINE:COLUMN; an empty cell (or "NA") is a missing value.
 * A column the measure needs that is absent is an error at FILE:1, with a
 * hint when the header suggests the mistake (semicolons, another case,
 * columns of another measure).  Returns NULL on error (err filled); the
 * caller frees the result with evs_studies_free().
 */
evs_studies *evs_studies_from_table(const evs_table *t, evs_measure m, evs_error *err);

#endif
