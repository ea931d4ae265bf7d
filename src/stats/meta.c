/*
 * meta.c -- effect sizes, row selection and the fit for one meta-analysis
 * (see meta.h).  Rows with a missing input are left out, as metafor's rma()
 * does with NA outcomes, and are reported by the writers.
 */
#include "evsynth/meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evsynth/transf.h"

/*
 * Room for k rows, grown by doubling; a fit that needs no more room than
 * the workspace has allocates nothing.
 */
struct evs_meta_workspace {
    size_t cap;
    double *yi, *vi, *ni; /* effects, per input row */
    bool *corrected;
    int *missing;
    size_t *included;       /* the rows in the fit */
    double *y, *v, *n_incl; /* their yi, vi and ni */
    double *weights;
    evs_fit_workspace *fit;
    bool own_fit; /* fit was allocated here (else borrowed) */
};

static evs_meta_workspace *workspace_new(evs_fit_workspace *borrowed)
{
    evs_gsl_quiet();
    evs_meta_workspace *ws = calloc(1, sizeof *ws);
    if (ws == NULL)
        return NULL;
    ws->fit = borrowed;
    if (ws->fit == NULL) {
        ws->own_fit = true;
        if ((ws->fit = evs_fit_workspace_alloc()) == NULL) {
            free(ws);
            return NULL;
        }
    }
    return ws;
}

evs_meta_workspace *evs_meta_workspace_alloc(void)
{
    return workspace_new(NULL);
}

void evs_meta_workspace_free(evs_meta_workspace *ws)
{
    if (ws == NULL)
        return;
    free(ws->yi);
    free(ws->vi);
    free(ws->ni);
    free(ws->corrected);
    free(ws->missing);
    free(ws->included);
    free(ws->y);
    free(ws->v);
    free(ws->n_incl);
    free(ws->weights);
    if (ws->own_fit)
        evs_fit_workspace_free(ws->fit);
    free(ws);
}

static bool grow(void **p, size_t n, size_t size)
{
    void *q = realloc(*p, n * size);
    if (q == NULL)
        return false;
    *p = q;
    return true;
}

static bool reserve(evs_meta_workspace *ws, size_t k)
{
    if (k <= ws->cap)
        return true;
    size_t cap = ws->cap ? ws->cap : 16;
    while (cap < k)
        cap *= 2;
    bool ok = grow((void **)&ws->yi, cap, sizeof *ws->yi) &&
              grow((void **)&ws->vi, cap, sizeof *ws->vi) &&
              grow((void **)&ws->ni, cap, sizeof *ws->ni) &&
              grow((void **)&ws->corrected, cap, sizeof *ws->corrected) &&
              grow((void **)&ws->missing, cap, sizeof *ws->missing) &&
              grow((void **)&ws->included, cap, sizeof *ws->included) &&
              grow((void **)&ws->y, cap, sizeof *ws->y) && grow((void **)&ws->v, cap, sizeof *ws->v) &&
              grow((void **)&ws->n_incl, cap, sizeof *ws->n_incl) &&
              grow((void **)&ws->weights, cap, sizeof *ws->weights);
    if (ok)
        ws->cap = cap;
    return ok;
}

void evs_meta_free(evs_meta *meta)
{
    if (meta == NULL)
        return;
    evs_meta_workspace_free(meta->owned_);
    free(meta);
}

const char *evs_meta_label(const evs_meta *meta, size_t j, char buf[EVS_LABEL_DEFAULT_MAX])
{
    return evs_studies_label(meta->studies, meta->included[j], buf);
}

size_t evs_meta_omitted(const evs_meta *meta)
{
    return meta->studies->k - meta->k;
}

/* "line 4 (sd2i missing), line 7 (m1i missing)", at most a few, into buf. */
static void describe_omitted(const evs_meta *meta, char *buf, size_t size)
{
    const evs_studies *s = meta->studies;
    size_t used = 0, shown = 0, total = s->k - meta->k;
    buf[0] = '\0';
    for (size_t i = 0; i < s->k && used < size; i++) {
        int v = meta->effects.missing[i];
        if (v < 0)
            continue;
        if (shown == 4) {
            snprintf(buf + used, size - used, ", and %zu more", total - shown);
            return;
        }
        int n = snprintf(buf + used, size - used, "%sline %ld (%s missing)",
                         shown ? ", " : "", s->line[i], evs_var_name((evs_var)v));
        if (n < 0)
            return;
        used += (size_t)n;
        shown++;
    }
}

/*
 * Every included row within the limits the models accept (evs_check_study),
 * or an error at the row's line and, when the value was read rather than
 * computed, its column.
 */
static bool rows_poolable(const evs_meta *meta, evs_measure m, evs_error *err)
{
    const evs_studies *s = meta->studies;
    for (size_t j = 0; j < meta->k; j++) {
        bool bad_vi;
        if (evs_check_study(meta->y[j], meta->v[j], &bad_vi, err) == EVS_OK)
            continue;
        size_t row = meta->included[j];
        long column = 0;
        if (m == EVS_MEASURE_GEN)
            column = !bad_vi ? s->column[EVS_VAR_YI]
                     : s->x[EVS_VAR_VI] != NULL ? s->column[EVS_VAR_VI]
                                                : s->column[EVS_VAR_SEI];
        evs_error_set_position(err, s->line[row], column);
        return false;
    }
    return true;
}

/* The message for fewer than two usable rows, naming why rows were left out. */
static evs_status too_few(const evs_meta *meta, size_t k_all, evs_error *err)
{
    char why[256];
    describe_omitted(meta, why, sizeof why);
    const char *m = evs_measure_name(meta->measure);
    if (meta->k == 0)
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "no row has all the data measure %s needs: %s", m, why);
    if (k_all == 1)
        return evs_error_set(err, EVS_EDATA, 0, 0,
                             "only 1 study: at least 2 are needed to pool");
    return evs_error_set(err, EVS_EDATA, 0, 0,
                         "only 1 row has all the data measure %s needs (at least 2 are "
                         "needed to pool); left out: %s",
                         m, why);
}

evs_status evs_meta_fit(const evs_studies *s, evs_measure m, const evs_escalc_options *eo,
                        const evs_fit_options *fo, evs_meta_workspace *ws, evs_meta *out,
                        evs_error *err)
{
    evs_gsl_quiet();
    size_t k_all = s->k;
    if (!reserve(ws, k_all ? k_all : 1)) {
        evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
        evs_error_set_file(err, s->source);
        return EVS_ENOMEM;
    }
    evs_meta meta = {.measure = m,
                     .studies = s,
                     .effects = {ws->yi, ws->vi, ws->ni, ws->corrected, ws->missing},
                     .included = ws->included,
                     .y = ws->y,
                     .v = ws->v,
                     .weights = ws->weights};
    evs_status st = evs_escalc(m, s, eo, &meta.effects, err);
    if (st != EVS_OK)
        goto fail;
    for (size_t i = 0; i < k_all; i++) {
        if (meta.effects.missing[i] >= 0)
            continue;
        meta.included[meta.k] = i;
        meta.y[meta.k] = meta.effects.yi[i];
        meta.v[meta.k] = meta.effects.vi[i];
        ws->n_incl[meta.k] = meta.effects.ni[i];
        meta.k++;
    }
    meta.nhm = evs_harmonic_mean(ws->n_incl, meta.k);
    if (meta.k < 2) {
        st = too_few(&meta, k_all, err);
        goto fail;
    }
    if (!rows_poolable(&meta, m, err)) {
        st = EVS_EDATA;
        goto fail;
    }
    st = evs_fit_rma(meta.y, meta.v, meta.k, fo, ws->fit, &meta.fit, err);
    if (st != EVS_OK)
        goto fail;
    evs_fit_weights(&meta.fit, meta.v, meta.k, meta.weights);
    *out = meta;
    return EVS_OK;

fail:
    evs_error_set_file(err, s->source);
    return st;
}

evs_meta *evs_meta_run(const evs_studies *s, evs_measure m, const evs_escalc_options *eo,
                       const evs_fit_options *fo, evs_fit_workspace *fit_ws, evs_error *err)
{
    evs_meta *meta = calloc(1, sizeof *meta);
    evs_meta_workspace *ws = meta ? workspace_new(fit_ws) : NULL;
    if (ws == NULL) {
        free(meta);
        evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
        evs_error_set_file(err, s->source);
        return NULL;
    }
    if (evs_meta_fit(s, m, eo, fo, ws, meta, err) != EVS_OK) {
        evs_meta_workspace_free(ws);
        free(meta);
        return NULL;
    }
    /* The fit workspace was the caller's for the fit only. */
    if (!ws->own_fit)
        ws->fit = NULL;
    meta->owned_ = ws;
    return meta;
}
