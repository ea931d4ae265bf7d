/*
 * models_text.h -- the binomial-normal (GLMM), Mantel-Haenszel and Bayesian
 * models of one meta-analysis as a readable summary and as JSON, for
 * "evsynth meta --method GLMM|MH" and "--bayes".  Each study's proportion
 * is shown as its observed count x/n with its exact (Clopper-Pearson)
 * interval, never as a continuity-corrected rate.
 */
#ifndef EVS_MODELS_TEXT_H
#define EVS_MODELS_TEXT_H

#include <jansson.h>
#include <stdio.h>

#include "evsynth/bayes.h"
#include "evsynth/glmm.h"
#include "evsynth/meta.h"
#include "evsynth/meta_models.h"
#include "evsynth/mh.h"

/* The counts behind a GLMM or MH fit, per study of the fit (k of each). */
typedef struct evs_model_counts {
    size_t k;
    const char *const *label;
    const double *a, *b, *c, *d; /* 2x2 tables (OR, RR, RD); NULL for proportions */
    const double *x, *n;         /* proportions; NULL for tables */
    const double *ci_lb, *ci_ub; /* proportions: each study's Clopper-Pearson interval */
} evs_model_counts;

/* The engine's counts of a fit (meta_models.h) with the rows' labels (k of them). */
void evs_model_counts_from(const evs_meta_counts *m, const char *const *labels,
                           evs_model_counts *c);

/* The GLMM summary.  Returns 0, or -1 if writing failed. */
int evs_glmm_write_text(const evs_glmm_fit *g, const evs_model_counts *c, FILE *out);
json_t *evs_glmm_json(const evs_glmm_fit *g, const evs_model_counts *c);

int evs_mh_write_text(const evs_mh_fit *f, const evs_model_counts *c, FILE *out);
json_t *evs_mh_json(const evs_mh_fit *f, const evs_model_counts *c);

/* A threshold for the posterior probabilities; NaN for none. */
typedef struct evs_bayes_probs {
    double threshold;       /* on the analysis scale */
    double mu_above, pred_above;
} evs_bayes_probs;

int evs_bayes_write_text(const evs_bayes_fit *b, const evs_bayes_options *o,
                         evs_measure measure, const evs_bayes_probs *p, FILE *out);
json_t *evs_bayes_json(const evs_bayes_fit *b, const evs_bayes_options *o,
                       const evs_bayes_probs *p);

#endif
