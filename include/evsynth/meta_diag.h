/*
 * meta_diag.h -- the diagnostics requested for one meta-analysis, computed
 * together from an evs_meta (see diag.h, metareg.h), for the writers to show.
 *
 * Each diagnostic either has its result or says why it has none (for
 * example "needs at least 3 studies"): nothing fails the whole analysis
 * because one diagnostic does not apply.
 */
#ifndef EVS_META_DIAG_H
#define EVS_META_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/diag.h"
#include "evsynth/meta.h"
#include "evsynth/metareg.h"

typedef struct evs_diag_request {
    bool leave1out, influence, cumulative, bias;
    const size_t *order; /* cumulative: positions into meta->y in the order wanted; NULL: input */

    /* moderators: X (xk x p, row-major) for the meta rows x_rows[0..xk) */
    const double *X;
    size_t p, xk;
    const size_t *x_rows;

    /* subgroups: level of each meta row g_rows[0..gk) */
    const size_t *group;
    size_t gk, ngroups;
    const size_t *g_rows;

    unsigned long permutations, seed; /* 0 permutations: none */
    evs_trimfill_estimator trimfill_estimator;

    const double *r_values; /* pre/post correlations to rerun MC, SMCC, SMCR with */
    size_t nr;

    evs_progress_fn progress; /* NULL, or told how far the per-study refits are */
    void *progress_ctx;
} evs_diag_request;

typedef struct evs_meta_diag {
    size_t k; /* the meta's k */

    evs_fit *leave1out;         /* k, or NULL */
    evs_influence *influence;   /* k, or NULL */
    evs_fit *cumulative;        /* k, or NULL */
    size_t *cumulative_order;   /* k: meta row of each step */

    bool has_bias;
    evs_regtest_result egger, egger_lm;
    evs_ranktest_result begg;
    evs_trimfill_result trimfill;
    double *fill_y, *fill_v; /* the trimfill's filled-in studies (own copy) */
    char bias_note[600];     /* why there is no bias assessment */

    bool has_subgroups;
    evs_fit *subgroups; /* ngroups */
    size_t ngroups;
    evs_subgroup_test subgroup_test;

    bool has_reg;
    evs_reg reg;
    size_t *reg_rows; /* xk: meta rows in the regression */

    bool has_permutation;
    evs_permutest_result permutation;
    unsigned long seed;

    size_t nr;
    double *r_values;
    evs_fit *r_fits; /* nr; converged fits of the reruns, or NaN estimates */

    char note[1024]; /* anything a diagnostic could not do */
} evs_meta_diag;

/*
 * Compute what req asks for on meta's rows, refitting with opt (meta's fit
 * options, not NULL).  Returns a newly allocated result, owned by the caller
 * and freed with evs_meta_diag_free() (NULL: a no-op); it does not point
 * into meta.  Returns NULL with err filled only for EVS_ENOMEM, and for
 * EVS_EINVAL when req asks for more than EVS_REG_PMAX moderator columns
 * (nothing is then left allocated); a diagnostic that does not apply or
 * fails on the data is recorded in the result's notes (note, bias_note) and
 * its pointer is NULL or its has_ flag false.
 */
evs_meta_diag *evs_meta_diagnose(const evs_meta *meta, const evs_fit_options *opt,
                                 const evs_diag_request *req, evs_error *err);
void evs_meta_diag_free(evs_meta_diag *d);

#endif
