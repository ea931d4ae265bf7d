/*
 * meta_json.c -- a meta-analysis result as JSON (see meta_json.h).
 */
#include "meta_json.h"

#include <math.h>

#include "meta_notes.h"

json_t *evs_json_number(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static void add_note(const char *text, void *ctx)
{
    json_array_append_new(ctx, json_string(text));
}

/* json_object_set_new() that remembers a failure instead of returning it. */
static void set(json_t *obj, const char *key, json_t *value, bool *ok)
{
    if (value == NULL || json_object_set_new(obj, key, value) != 0)
        *ok = false;
}

json_t *evs_meta_json(const evs_meta *meta, bool with_studies)
{
    const evs_fit *f = &meta->fit;
    bool ok = true;
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    set(o, "k", json_integer((json_int_t)f->k), &ok);
    set(o, "measure", json_string(evs_measure_name(meta->measure)), &ok);
    set(o, "method", json_string(evs_method_name(f->method)), &ok);
    set(o, "test", json_string(evs_test_name(f->test)), &ok);
    set(o, "level", evs_json_number(f->level), &ok);
    set(o, "estimate", evs_json_number(f->estimate), &ok);
    set(o, "se", evs_json_number(f->se), &ok);
    set(o, "stat", evs_json_number(f->stat), &ok);
    set(o, "pval", evs_json_number(f->pval), &ok);
    set(o, "ci_lb", evs_json_number(f->ci_lb), &ok);
    set(o, "ci_ub", evs_json_number(f->ci_ub), &ok);
    set(o, "pi_lb", evs_json_number(f->pi_lb), &ok);
    set(o, "pi_ub", evs_json_number(f->pi_ub), &ok);
    set(o, "tau2", evs_json_number(f->tau2), &ok);
    set(o, "tau", evs_json_number(sqrt(f->tau2)), &ok);
    set(o, "tau2_ci_lb", evs_json_number(f->tau2_ci_lb), &ok);
    set(o, "tau2_ci_ub", evs_json_number(f->tau2_ci_ub), &ok);
    set(o, "I2", evs_json_number(f->I2), &ok);
    set(o, "I2_ci_lb", evs_json_number(f->I2_ci_lb), &ok);
    set(o, "I2_ci_ub", evs_json_number(f->I2_ci_ub), &ok);
    set(o, "H2", evs_json_number(f->H2), &ok);
    set(o, "QE", evs_json_number(f->QE), &ok);
    set(o, "QE_df", json_integer(f->QE_df), &ok);
    set(o, "QE_p", evs_json_number(f->QE_p), &ok);
    set(o, "iterations", json_integer(f->iterations), &ok);
    set(o, "converged", json_boolean(f->converged), &ok);
    json_t *warnings = json_array();
    if (warnings != NULL)
        evs_meta_notes(meta, add_note, warnings);
    set(o, "warnings", warnings, &ok);

    if (with_studies) {
        json_t *studies = json_array();
        for (size_t j = 0; studies != NULL && j < meta->k; j++) {
            json_t *st = json_object();
            if (st == NULL || json_array_append_new(studies, st) != 0) {
                ok = false;
                break;
            }
            set(st, "label", json_string(meta->studies->label[meta->included[j]]), &ok);
            set(st, "yi", evs_json_number(meta->y[j]), &ok);
            set(st, "vi", evs_json_number(meta->v[j]), &ok);
            set(st, "weight", evs_json_number(meta->weights[j]), &ok);
        }
        set(o, "studies", studies, &ok);
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int evs_json_dump(const json_t *value, FILE *out, bool pretty)
{
    size_t flags = JSON_REAL_PRECISION(17) | (pretty ? JSON_INDENT(2) : JSON_COMPACT);
    if (json_dumpf(value, out, flags) != 0)
        return -1;
    return fputc('\n', out) == EOF ? -1 : 0;
}
