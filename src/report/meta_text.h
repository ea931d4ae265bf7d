/*
 * meta_text.h -- a meta-analysis result as a readable summary, laid out like
 * metafor's print.rma() so that the two can be compared line by line.
 */
#ifndef EVS_META_TEXT_H
#define EVS_META_TEXT_H

#include <stdio.h>

#include "evsynth/meta.h"

/* Returns 0, or -1 if writing failed. */
int evs_meta_write_text(const evs_meta *meta, FILE *out);

#include "evsynth/meta_diag.h"

/* The diagnostics in d, after the summary.  Returns 0, or -1 if writing failed. */
int evs_meta_write_diag_text(const evs_meta *meta, const evs_meta_diag *d,
                             const char *const *coef_names, const char *const *levels,
                             FILE *out);

/* A p-value as metafor prints it with 4 digits: "<.0001" or "0.0123". */
void evs_format_pval(double p, char *buf, size_t size);

#endif
