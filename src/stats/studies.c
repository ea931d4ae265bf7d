/*
 * studies.c -- the study-level data container (see studies.h).
 */
#include "evsynth/studies.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const var_names[EVS_VAR_COUNT] = {
    "yi", "vi", "sei", "ai", "bi", "ci", "di", "n1i", "n2i",
    "m1i", "m2i", "sd1i", "sd2i", "ni", "ri", "xi", "mi", "sdi",
};

const char *evs_var_name(evs_var v)
{
    return (unsigned)v < EVS_VAR_COUNT ? var_names[v] : "?";
}

bool evs_var_from_name(const char *name, evs_var *v)
{
    for (int i = 0; i < EVS_VAR_COUNT; i++) {
        if (strcmp(name, var_names[i]) == 0) {
            *v = (evs_var)i;
            return true;
        }
    }
    return false;
}

evs_studies *evs_studies_alloc(size_t k, const char *source)
{
    evs_studies *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->k = k;
    s->label = calloc(k ? k : 1, sizeof *s->label);
    s->line = calloc(k ? k : 1, sizeof *s->line);
    s->source = source ? strdup(source) : NULL;
    if (s->label == NULL || s->line == NULL || (source && s->source == NULL))
        goto fail;
    for (size_t i = 0; i < k; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "Study %zu", i + 1);
        if ((s->label[i] = strdup(buf)) == NULL)
            goto fail;
    }
    return s;
fail:
    evs_studies_free(s);
    return NULL;
}

void evs_studies_free(evs_studies *s)
{
    if (s == NULL)
        return;
    if (s->label != NULL)
        for (size_t i = 0; i < s->k; i++)
            free(s->label[i]);
    free(s->label);
    free(s->line);
    for (int v = 0; v < EVS_VAR_COUNT; v++)
        free(s->x[v]);
    free(s->source);
    free(s);
}

evs_status evs_studies_add_var(evs_studies *s, evs_var v, long column)
{
    if (s->x[v] == NULL) {
        s->x[v] = malloc((s->k ? s->k : 1) * sizeof *s->x[v]);
        if (s->x[v] == NULL)
            return EVS_ENOMEM;
        for (size_t i = 0; i < s->k; i++)
            s->x[v][i] = NAN;
    }
    s->column[v] = column;
    return EVS_OK;
}

const char *evs_studies_label(const evs_studies *s, size_t i, char buf[EVS_LABEL_DEFAULT_MAX])
{
    if (s->label != NULL && s->label[i] != NULL)
        return s->label[i];
    snprintf(buf, EVS_LABEL_DEFAULT_MAX, "Study %zu", i + 1);
    return buf;
}

evs_status evs_studies_set_label(evs_studies *s, size_t i, const char *text)
{
    if (s->label == NULL && (s->label = calloc(s->k ? s->k : 1, sizeof *s->label)) == NULL)
        return EVS_ENOMEM;
    char *copy = strdup(text);
    if (copy == NULL)
        return EVS_ENOMEM;
    free(s->label[i]);
    s->label[i] = copy;
    return EVS_OK;
}
