/*
 * options.c -- table-driven option parsing (see options.h).
 *
 * Written here rather than with getopt_long() so that parsing has no global
 * state, reports errors in our own words, and can be tested as a function.
 */
#include "cli/options.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "io/numparse.h"

static const evs_option *find_long(const evs_option *table, size_t n, const char *name,
                                   size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(table[i].name) == len && strncmp(table[i].name, name, len) == 0)
            return &table[i];
    return NULL;
}

static const evs_option *find_short(const evs_option *table, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        if (table[i].short_name != 0 && table[i].short_name == c)
            return &table[i];
    return NULL;
}

/* Levenshtein distance of a[0..la) and b[0..lb), capped at EDIT_MAX + 1. */
enum { EDIT_MAX = 2, NAME_MAX_LEN = 63 };

static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > NAME_MAX_LEN || lb > NAME_MAX_LEN)
        return EDIT_MAX + 1;
    size_t row[NAME_MAX_LEN + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb] > EDIT_MAX ? EDIT_MAX + 1 : row[lb];
}

const char *evs_nearest_name(const char *word, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(word, names[i]) == 0)
            return names[i]; /* "reml" for REML, "Yi" for yi */
    const char *best = NULL;
    size_t best_d = EDIT_MAX + 1, len = strlen(word);
    bool tie = false;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(word, len, names[i], strlen(names[i]));
        /* a one-letter name is as near to anything short as to the word */
        if (d >= strlen(names[i]))
            continue;
        if (d < best_d) {
            best_d = d;
            best = names[i];
            tie = false;
        } else if (d == best_d) {
            tie = true;
        }
    }
    return tie ? NULL : best;
}

/* "unknown option '--meausre'", with the nearest long option if there is one. */
static evs_status unknown_long(const evs_option *table, size_t n, const char *name, size_t len,
                               evs_error *err)
{
    char word[NAME_MAX_LEN + 1];
    snprintf(word, sizeof word, "%.*s", (int)(len < NAME_MAX_LEN ? len : NAME_MAX_LEN), name);
    const char *names[64];
    size_t m = 0;
    for (size_t i = 0; i < n && m < 64; i++)
        names[m++] = table[i].name;
    const char *near = evs_nearest_name(word, names, m);
    if (near != NULL)
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "unknown option '--%.*s'; did you mean '--%s'?", (int)len, name,
                             near);
    return evs_error_set(err, EVS_EINVAL, 0, 0, "unknown option '--%.*s'", (int)len, name);
}

evs_status evs_options_parse(int argc, char **argv, const evs_option *table, size_t n,
                             evs_option_fn fn, void *ctx, int *noperands, evs_error *err)
{
    int nops = 0;
    bool only_operands = false;
    for (int i = 0; i < argc; i++) {
        char *arg = argv[i];
        if (only_operands || arg[0] != '-' || arg[1] == '\0') {
            argv[nops++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_operands = true;
            continue;
        }
        const evs_option *opt;
        const char *value = NULL;
        if (arg[1] == '-') {
            const char *name = arg + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            opt = find_long(table, n, name, len);
            if (opt == NULL)
                return unknown_long(table, n, name, len, err);
            if (eq != NULL) {
                if (opt->value == NULL)
                    return evs_error_set(err, EVS_EINVAL, 0, 0,
                                         "option '--%s' takes no value", opt->name);
                value = eq + 1;
            }
        } else {
            /* -x, or -xVALUE for an option that takes a value (-j2) */
            opt = find_short(table, n, arg[1]);
            if (opt == NULL)
                return evs_error_set(err, EVS_EINVAL, 0, 0, "unknown option '-%c'%s%s%s",
                                     arg[1], arg[2] ? " (in '" : "", arg[2] ? arg : "",
                                     arg[2] ? "')" : "");
            if (arg[2] != '\0') {
                if (opt->value == NULL)
                    return evs_error_set(err, EVS_EINVAL, 0, 0,
                                         "option '-%c' takes no value (in '%s')", arg[1], arg);
                value = arg + 2;
            }
        }
        if (opt->value != NULL && value == NULL) {
            if (i + 1 >= argc)
                return evs_error_set(err, EVS_EINVAL, 0, 0, "option '--%s' needs a value (%s)",
                                     opt->name, opt->value);
            value = argv[++i];
        }
        evs_status st = fn(opt->id, value, ctx, err);
        if (st != EVS_OK)
            return st;
    }
    *noperands = nops;
    return EVS_OK;
}

/* Help column: option names up to HELP_NAME_MAX characters share the line
 * with their help; longer ones put the help on the next line.  A '\n' in a
 * help text continues it on a new line in the same column. */
enum { HELP_NAME_MAX = 22 };

static void print_help_text(FILE *out, const char *text, int column)
{
    for (const char *p = text; *p; p++) {
        fputc(*p, out);
        if (*p == '\n')
            fprintf(out, "%*s", column, "");
    }
    fputc('\n', out);
}

const evs_option evs_version_option = {-1, "version", 0, NULL,
                                       "show the version and exit"};

/* The line of one option, "--name VALUE", into buf; its length. */
static int option_name(const evs_option *o, char *buf, size_t size)
{
    return snprintf(buf, size, "--%s%s%s", o->name, o->value ? " " : "",
                    o->value ? o->value : "");
}

void evs_options_help(FILE *out, const evs_option *table, size_t n)
{
    int width = 0;
    char buf[64];
    for (size_t i = 0; i <= n; i++) {
        int len = option_name(i < n ? &table[i] : &evs_version_option, buf, sizeof buf);
        if (len > width && len <= HELP_NAME_MAX)
            width = len;
    }
    int column = 6 + width + 2;
    /* the table's options, then --version, which every command answers */
    for (size_t i = 0; i <= n; i++) {
        const evs_option *o = i < n ? &table[i] : &evs_version_option;
        int len = option_name(o, buf, sizeof buf);
        if (o->short_name)
            fprintf(out, "  -%c, ", o->short_name);
        else
            fputs("      ", out);
        if (len > width)
            fprintf(out, "%s\n%*s", buf, column, "");
        else
            fprintf(out, "%-*s  ", width, buf);
        print_help_text(out, o->help, column);
    }
}

/* " (did you mean 'X'?)" when a name of the list space-separated in `list`
 * is near `value`, else "". */
static const char *did_you_mean(const char *value, const char *list, char *buf, size_t size)
{
    char copy[256];
    snprintf(copy, sizeof copy, "%s", list);
    const char *names[32];
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(copy, " ", &save); t && n < 32; t = strtok_r(NULL, " ", &save))
        names[n++] = t;
    const char *near = evs_nearest_name(value, names, n);
    if (near == NULL)
        return "";
    snprintf(buf, size, "; did you mean '%s'?", near);
    return buf;
}

evs_status evs_option_measure(const char *value, evs_measure *m, evs_error *err)
{
    if (evs_measure_from_name(value, m))
        return EVS_OK;
    char hint[64];
    return evs_error_set(err, EVS_EINVAL, 0, 0, "unknown measure '%s' (expected one of: %s)%s",
                         value, evs_measure_names(),
                         did_you_mean(value, evs_measure_names(), hint, sizeof hint));
}

evs_status evs_option_method(const char *value, evs_method *m, evs_error *err)
{
    if (evs_method_from_name(value, m))
        return EVS_OK;
    char hint[64];
    return evs_error_set(err, EVS_EINVAL, 0, 0, "unknown method '%s' (expected one of: %s)%s",
                         value, evs_method_names(),
                         did_you_mean(value, evs_method_names(), hint, sizeof hint));
}

evs_status evs_option_model_method(const char *value, evs_method *method,
                                   evs_meta_models_options *mo, evs_error *err)
{
    evs_meta_model model;
    if (evs_meta_model_from_name(value, &model) && model != EVS_META_MODEL_RMA) {
        mo->model = model;
        return EVS_OK;
    }
    if (evs_method_from_name(value, method)) {
        mo->model = EVS_META_MODEL_RMA; /* the last --method counts */
        return EVS_OK;
    }
    char names[160], hint[64];
    snprintf(names, sizeof names, "%s GLMM MH", evs_method_names());
    return evs_error_set(err, EVS_EINVAL, 0, 0, "unknown method '%s' (expected one of: %s)%s",
                         value, names, did_you_mean(value, names, hint, sizeof hint));
}

bool evs_option_is_model(int id)
{
    return id >= EVS_MODEL_OPT_NAGQ && id <= EVS_MODEL_OPT_INTERVAL;
}

evs_status evs_option_model(evs_model_option which, const char *value,
                            evs_meta_models_options *mo, evs_error *err)
{
    double x;
    switch (which) {
    case EVS_MODEL_OPT_NAGQ:
        if (evs_parse_number(value, &x) != EVS_NUM_OK || !evs_is_whole(x) || x < 1 ||
            x > EVS_GLMM_NAGQ_MAX)
            return evs_error_set(err, EVS_EINVAL, 0, 0,
                                 "invalid number of quadrature points '%s' (expected a whole "
                                 "number from 1 to %d)",
                                 value, EVS_GLMM_NAGQ_MAX);
        mo->glmm.nagq = (int)x;
        return EVS_OK;
    case EVS_MODEL_OPT_BAYES:
        break;
    case EVS_MODEL_OPT_INTERVAL:
        if (strcmp(value, "central") == 0)
            mo->bayes_opt.interval = EVS_INTERVAL_CENTRAL;
        else if (strcmp(value, "shortest") == 0)
            mo->bayes_opt.interval = EVS_INTERVAL_SHORTEST;
        else
            return evs_error_set(err, EVS_EINVAL, 0, 0,
                                 "unknown interval '%s' (expected central or shortest)", value);
        break;
    case EVS_MODEL_OPT_TAU_PRIOR:
        if (!evs_tau_prior_from_name(value, &mo->bayes_opt.tau_prior))
            return evs_error_set(err, EVS_EINVAL, 0, 0,
                                 "unknown prior '%s' (expected half-normal or half-Cauchy)",
                                 value);
        break;
    case EVS_MODEL_OPT_TAU_SCALE:
    case EVS_MODEL_OPT_MU_PRIOR_SD:
    case EVS_MODEL_OPT_ABOVE: {
        bool above = which == EVS_MODEL_OPT_ABOVE;
        if (evs_parse_number(value, &x) != EVS_NUM_OK || !isfinite(x) || (!above && !(x > 0)))
            return evs_error_set(err, EVS_EINVAL, 0, 0, "invalid value '%s' for --%s%s", value,
                                 which == EVS_MODEL_OPT_TAU_SCALE ? "tau-scale"
                                 : above                          ? "above"
                                                                  : "mu-prior-sd",
                                 above ? " (expected a number)"
                                       : " (expected a number above 0)");
        if (which == EVS_MODEL_OPT_TAU_SCALE) {
            mo->bayes_opt.tau_scale = x;
        } else if (above) {
            mo->above = x;
        } else {
            mo->bayes_opt.mu_prior = EVS_MU_PRIOR_NORMAL;
            mo->bayes_opt.mu_mean = 0;
            mo->bayes_opt.mu_sd = x;
        }
        break;
    }
    }
    mo->bayes = true;
    return EVS_OK;
}

evs_status evs_options_models_check(evs_measure measure, const evs_meta_models_options *mo,
                                    evs_error *err)
{
    if (evs_meta_model_fits(mo->model, measure))
        return EVS_OK;
    if (mo->model == EVS_META_MODEL_GLMM)
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "--method GLMM fits proportions (--measure PLO) or odds ratios "
                             "(--measure OR), not %s",
                             evs_measure_name(measure));
    return evs_error_set(err, EVS_EINVAL, 0, 0,
                         "--method MH pools 2x2 tables (--measure OR, RR or RD), not %s",
                         evs_measure_name(measure));
}

evs_status evs_option_test(const char *value, evs_test *t, evs_error *err)
{
    if (evs_test_from_name(value, t))
        return EVS_OK;
    return evs_error_set(err, EVS_EINVAL, 0, 0,
                         "unknown test '%s' (expected z, knha, adhoc or IQWiG6)", value);
}

evs_status evs_option_level(const char *value, double *level, evs_error *err)
{
    double x;
    if (evs_parse_number(value, &x) == EVS_NUM_OK && !isnan(evs_level_percent(x))) {
        *level = evs_level_percent(x);
        return EVS_OK;
    }
    return evs_error_set(err, EVS_EINVAL, 0, 0,
                         "invalid level '%s' (expected a percentage such as 95, or a fraction "
                         "such as 0.95)",
                         value);
}

evs_status evs_option_threads(const char *value, unsigned *threads, evs_error *err)
{
    double x;
    if (evs_parse_number(value, &x) != EVS_NUM_OK || !evs_is_whole(x) || x < 1 ||
        x > EVS_MAX_THREADS)
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "invalid number of threads '%s' (expected 1 to %d)", value,
                             EVS_MAX_THREADS);
    *threads = (unsigned)x;
    return EVS_OK;
}
