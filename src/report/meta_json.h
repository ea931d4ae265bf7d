/*
 * meta_json.h -- a meta-analysis result as a JSON object (jansson).
 *
 * Keys, in this order: k, measure, method, test, level, estimate, se, stat,
 * pval, ci_lb, ci_ub, pi_lb, pi_ub, tau2, tau, tau2_ci_lb, tau2_ci_ub, I2,
 * I2_ci_lb, I2_ci_ub, H2, QE, QE_df, QE_p, iterations, converged, warnings,
 * and (when asked) studies: [{label, yi, vi, weight}] for the rows in the fit.
 * A quantity that does not exist for the model is null.  Numbers are printed
 * with 17 significant digits by evs_json_dump().
 */
#ifndef EVS_META_JSON_H
#define EVS_META_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "evsynth/meta.h"

/* A new object (caller owns the reference), or NULL if out of memory. */
json_t *evs_meta_json(const evs_meta *meta, bool with_studies);

/* A double as JSON: a real, or null when not finite. */
json_t *evs_json_number(double x);

/* Write a value followed by a newline; returns 0 on success. */
int evs_json_dump(const json_t *value, FILE *out, bool pretty);

#include "evsynth/meta_diag.h"

/*
 * Add the diagnostics in d to the object o, under the keys documented in the
 * README (leave1out, influence, cumulative, egger, egger_classic, begg,
 * trimfill, subgroups and Q_between..., moderators and QM..., permutation,
 * r_sensitivity): only those that were computed.  coef_names (d->reg.p) and
 * levels (d->ngroups) name the moderators and subgroups.  Returns 0, or -1 if
 * out of memory.
 */
int evs_meta_json_add_diag(json_t *o, const evs_meta *meta, const evs_meta_diag *d,
                           const char *const *coef_names, const char *const *levels);

#endif
