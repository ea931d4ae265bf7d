/*
 * meta_models.h -- the models beside the inverse-variance one, fitted on
 * the rows of a meta-analysis (meta.h): the binomial-normal GLMM (glmm.h),
 * Mantel-Haenszel (mh.h) and the Bayesian normal-normal model (bayes.h).
 *
 * This is the second half of the one analysis path: `evsynth meta` and
 * `evsynth batch` both call evs_meta_fit() and then evs_meta_fit_models()
 * on its result, so --method GLMM, --method MH and --bayes see the same
 * rows, give the same messages and the same numbers in both commands.
 *
 *   GLMM   on the rows' counts: xi and ni (or xi and mi) for PLO, the 2x2
 *          table (ai, bi, ci, di, or n1i and n2i for the non-events) for OR;
 *          no continuity correction
 *   MH     on the 2x2 tables, for OR, RR and RD
 *   Bayes  on the rows' yi and vi (the measure's analysis scale, with
 *          escalc()'s corrections for zero cells), whatever the model
 *
 * The counts of the rows are kept in the result (with each proportion's
 * Clopper-Pearson interval), so that writers can show them.  Like
 * evs_meta_fit(), the function fills a caller-owned result whose arrays
 * live in a caller-owned workspace: once the workspace has grown to the
 * largest k, a fit allocates nothing.  The result is valid until the next
 * fit with the same workspace.
 */
#ifndef EVS_META_MODELS_H
#define EVS_META_MODELS_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/bayes.h"
#include "evsynth/error.h"
#include "evsynth/glmm.h"
#include "evsynth/meta.h"
#include "evsynth/mh.h"

typedef enum evs_meta_model {
    EVS_META_MODEL_RMA,  /* the inverse-variance model of meta.h only */
    EVS_META_MODEL_GLMM, /* binomial-normal, rma.glmm(): PLO or OR (model UM.FS) */
    EVS_META_MODEL_MH,   /* Mantel-Haenszel, rma.mh(): OR, RR or RD */
    EVS_META_MODEL_COUNT
} evs_meta_model;

/* "rma", "GLMM", "MH"; and back (false when unknown). */
const char *evs_meta_model_name(evs_meta_model m);
bool evs_meta_model_from_name(const char *name, evs_meta_model *m);

/*
 * Whether model m can pool measure m: GLMM needs PLO or OR, MH needs OR, RR
 * or RD, rma takes every measure.
 */
bool evs_meta_model_fits(evs_meta_model model, evs_measure measure);

typedef struct evs_meta_models_options {
    evs_meta_model model;    /* default EVS_META_MODEL_RMA */
    evs_glmm_options glmm;   /* its level is replaced by the meta fit's */
    evs_mh_options mh;       /* likewise */
    bool bayes;              /* also the Bayesian model; default false */
    evs_bayes_options bayes_opt; /* likewise */
    double above;            /* the Bayesian P(mu > above) and P(theta_new > above), on the
                                analysis scale; NaN (default) for none */
} evs_meta_models_options;

void evs_meta_models_options_default(evs_meta_models_options *opt);

/* The counts of the rows of the fit (k of each; NULL where the measure has none). */
typedef struct evs_meta_counts {
    size_t k;
    const double *x, *n;         /* PLO: events and patients */
    const double *ci_lb, *ci_ub; /* PLO: each proportion's Clopper-Pearson interval at the
                                    fit's level */
    const double *a, *b, *c, *d; /* OR, RR, RD: events and non-events of each group */
} evs_meta_counts;

typedef struct evs_meta_models {
    evs_meta_model model;
    evs_meta_counts counts; /* GLMM and MH (k 0 for rma) */
    evs_glmm_fit glmm;      /* model GLMM */
    evs_mh_fit mh;          /* model MH */
    bool has_bayes;
    evs_bayes_fit bayes;
    double above, p_mu_above, p_pred_above; /* NaN without a threshold */
} evs_meta_models;

typedef struct evs_meta_models_workspace evs_meta_models_workspace;

/* NULL when out of memory; _free(NULL) does nothing.  One per thread. */
evs_meta_models_workspace *evs_meta_models_workspace_alloc(void);
void evs_meta_models_workspace_free(evs_meta_models_workspace *ws);

/*
 * Fit the models asked for in opt on the rows of meta (a result of
 * evs_meta_fit or evs_meta_run), into *out.  EVS_EINVAL for a model that
 * cannot pool meta's measure (evs_meta_model_fits) or bad options;
 * EVS_EDATA, naming the file (meta->studies->source) and, for a count
 * that is not a whole number, its line, when a model cannot be fitted to
 * the data (no event anywhere, for instance); EVS_ENOMEM.  On error *out is
 * untouched.
 */
evs_status evs_meta_fit_models(const evs_meta *meta, const evs_meta_models_options *opt,
                               evs_meta_models_workspace *ws, evs_meta_models *out,
                               evs_error *err);

#endif
