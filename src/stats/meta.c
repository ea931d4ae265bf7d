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

static void effects_free(evs_effects *e)
{
    free(e->yi);
    free(e->vi);
    free(e->ni);
    free(e->corrected);
    free(e->missing);
}

static bool effects_alloc(evs_effects *e, size_t k)
{
    size_t n = k ? k : 1;
    e->yi = malloc(n * sizeof *e->yi);
    e->vi = malloc(n * sizeof *e->vi);
    e->ni = malloc(n * sizeof *e->ni);
    e->corrected = malloc(n * sizeof *e->corrected);
    e->missing = malloc(n * sizeof *e->missing);
    return e->yi && e->vi && e->ni && e->corrected && e->missing;
}

void evs_meta_free(evs_meta *meta)
{
    if (meta == NULL)
        return;
    effects_free(&meta->effects);
    free(meta->included);
    free(meta->y);
    free(meta->v);
    free(meta->weights);
    free(meta);
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

evs_meta *evs_meta_run(const evs_studies *s, evs_measure m, const evs_escalc_options *eo,
                       const evs_fit_options *fo, evs_fit_workspace *ws, evs_error *err)
{
    double *ni = NULL;
    evs_meta *meta = calloc(1, sizeof *meta);
    if (meta == NULL) {
        evs_error_set(err, EVS_EIO, 0, 0, "out of memory");
        return NULL;
    }
    meta->measure = m;
    meta->studies = s;
    size_t k_all = s->k, n = k_all ? k_all : 1;
    if (!effects_alloc(&meta->effects, k_all) ||
        (meta->included = malloc(n * sizeof *meta->included)) == NULL ||
        (meta->y = malloc(n * sizeof *meta->y)) == NULL ||
        (meta->v = malloc(n * sizeof *meta->v)) == NULL ||
        (meta->weights = malloc(n * sizeof *meta->weights)) == NULL) {
        evs_error_set(err, EVS_EIO, 0, 0, "out of memory");
        goto fail;
    }

    if (evs_escalc(m, s, eo, &meta->effects, err) != EVS_OK)
        goto fail;

    if ((ni = malloc(n * sizeof *ni)) == NULL) {
        evs_error_set(err, EVS_EIO, 0, 0, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < k_all; i++) {
        if (meta->effects.missing[i] >= 0)
            continue;
        meta->included[meta->k] = i;
        meta->y[meta->k] = meta->effects.yi[i];
        meta->v[meta->k] = meta->effects.vi[i];
        ni[meta->k] = meta->effects.ni[i];
        meta->k++;
    }
    meta->nhm = evs_harmonic_mean(ni, meta->k);

    if (meta->k < 2) {
        char why[256];
        describe_omitted(meta, why, sizeof why);
        if (meta->k == 0)
            evs_error_set(err, EVS_EDATA, 0, 0,
                          "no row has all the data measure %s needs: %s",
                          evs_measure_name(m), why);
        else if (k_all == 1)
            evs_error_set(err, EVS_EDATA, 0, 0,
                          "only 1 study: at least 2 are needed to pool");
        else
            evs_error_set(err, EVS_EDATA, 0, 0,
                          "only 1 row has all the data measure %s needs (at least 2 "
                          "are needed to pool); left out: %s",
                          evs_measure_name(m), why);
        goto fail;
    }

    if (!rows_poolable(meta, m, err) ||
        evs_fit_rma(meta->y, meta->v, meta->k, fo, ws, &meta->fit, err) != EVS_OK)
        goto fail;
    evs_fit_weights(&meta->fit, meta->v, meta->k, meta->weights);
    free(ni);
    return meta;

fail:
    free(ni);
    evs_error_set_file(err, s->source);
    evs_meta_free(meta);
    return NULL;
}
