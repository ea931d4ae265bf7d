/*
 * model.c -- the name tables, defaults and warning sentences of the model
 * vocabulary (see model.h).
 */
#include "evsynth/model.h"

#include <math.h>
#include <string.h>

static const struct {
    const char *name;
    const char *description;
} method_info[EVS_METHOD_COUNT] = {
    [EVS_METHOD_FE] = {"FE", "common-effect (fixed-effect) model"},
    [EVS_METHOD_DL] = {"DL", "DerSimonian-Laird estimator"},
    [EVS_METHOD_HE] = {"HE", "Hedges estimator"},
    [EVS_METHOD_HS] = {"HS", "Hunter-Schmidt estimator"},
    [EVS_METHOD_SJ] = {"SJ", "Sidik-Jonkman estimator"},
    [EVS_METHOD_ML] = {"ML", "maximum-likelihood estimator"},
    [EVS_METHOD_REML] = {"REML", "restricted maximum-likelihood estimator"},
    [EVS_METHOD_EB] = {"EB", "empirical Bayes estimator"},
    [EVS_METHOD_PM] = {"PM", "Paule-Mandel estimator"},
    [EVS_METHOD_HSK] = {"HSk", "Hunter-Schmidt estimator with small-sample correction"},
    [EVS_METHOD_PMM] = {"PMM", "median-unbiased Paule-Mandel estimator"},
};

static const char *const test_names[EVS_TEST_COUNT] = {"z", "knha", "adhoc", "IQWiG6"};

bool evs_test_is_knha(evs_test t)
{
    return t == EVS_TEST_KNHA || t == EVS_TEST_ADHOC || t == EVS_TEST_IQWIG6;
}

const char *evs_method_name(evs_method m)
{
    return (unsigned)m < EVS_METHOD_COUNT ? method_info[m].name : "?";
}

const char *evs_method_description(evs_method m)
{
    return (unsigned)m < EVS_METHOD_COUNT ? method_info[m].description : "?";
}

bool evs_method_from_name(const char *name, evs_method *m)
{
    for (int i = 0; i < EVS_METHOD_COUNT; i++) {
        if (strcmp(name, method_info[i].name) == 0) {
            *m = (evs_method)i;
            return true;
        }
    }
    return false;
}

const char *evs_method_names(void)
{
    return "FE DL HE HS SJ ML REML EB PM HSk PMM";
}

const char *evs_test_name(evs_test t)
{
    return (unsigned)t < EVS_TEST_COUNT ? test_names[t] : "?";
}

bool evs_test_from_name(const char *name, evs_test *t)
{
    for (int i = 0; i < EVS_TEST_COUNT; i++) {
        if (strcmp(name, test_names[i]) == 0) {
            *t = (evs_test)i;
            return true;
        }
    }
    return false;
}

const char *evs_fit_warning_text(unsigned bit)
{
    switch (bit) {
    case EVS_WARN_FALLBACK:
        return "Fisher scoring did not converge; tau^2 was found by the bracketing "
               "search instead (converged)";
    case EVS_WARN_NOT_CONVERGED:
        return "the tau^2 estimate did not converge: treat every result as unreliable";
    case EVS_WARN_LL0:
        return "the likelihood is higher at tau^2 = 0 than at the local maximum found; "
               "tau^2 set to 0";
    case EVS_WARN_TAU2_CI_EMPTY:
        return "the Q-profile confidence interval for tau^2 is empty (Q is below its "
               "lower critical value); both bounds set to 0";
    case EVS_WARN_TAU2_CI_FAILED:
        return "the Q-profile search for a tau^2 confidence bound failed";
    case EVS_WARN_KNHA_FE:
        return "the Knapp-Hartung method is not meant for common-effect models";
    case EVS_WARN_KNHA_ZERO:
        return "the Knapp-Hartung factor is 0 (all estimates equal): se is 0";
    case EVS_WARN_VI_RATIO:
        return "the ratio of the largest to the smallest sampling variance is at least "
               "1e7; results may be unstable";
    case EVS_WARN_GLOBAL_MAX:
        return "Fisher scoring stopped at tau^2 = 0, a local maximum of the likelihood; "
               "the higher maximum found by a search over tau^2 is reported (metafor "
               "reports 0; --local-max does the same)";
    case EVS_WARN_SE_TAU2_NA:
        return "the standard error of tau^2 cannot be computed for these data in double "
               "precision: it is not available";
    default:
        return NULL;
    }
}

double evs_level_percent(double level)
{
    if (level > 0 && level < 1)
        return 100 * level;
    if (level >= 1 && level < 100)
        return level;
    return NAN;
}

void evs_fit_options_default(evs_fit_options *opt)
{
    opt->method = EVS_METHOD_REML;
    opt->test = EVS_TEST_Z;
    opt->level = 95;
    opt->tau2_ci = true;
    opt->tol = 1e-10;
    opt->maxiter = 100;
    opt->maxiter_root = 200;
    opt->local_max = false;
    opt->tau2_init = NAN;
    opt->max_halvings = 64;
    opt->quadratic_stop = 100;
    opt->zero_snap = 10;
    opt->root_abs_tol = 1e-3;
    opt->max_doublings = 2000;
    opt->ll_tol = 1e-10;
    opt->grid_points = 48;
    opt->grid_lo = 1e-8;
    opt->grid_hi = 4;
    opt->vi_ratio_warn = 1e7;
}

evs_status evs_fit_options_check(const evs_fit_options *opt, evs_error *err)
{
    if ((unsigned)opt->method >= EVS_METHOD_COUNT || (unsigned)opt->test >= EVS_TEST_COUNT)
        return evs_error_set(err, EVS_EINVAL, 0, 0, "unknown method or test");
    if (!(opt->level > 0 && opt->level < 100))
        return evs_error_set(err, EVS_EINVAL, 0, 0, "level must be between 0 and 100");
    static const char *const name[] = {"tol",          "quadratic_stop", "zero_snap",
                                       "root_abs_tol", "ll_tol",         "grid_lo",
                                       "grid_hi",      "vi_ratio_warn"};
    const double value[] = {opt->tol,          opt->quadratic_stop, opt->zero_snap,
                            opt->root_abs_tol, opt->ll_tol,         opt->grid_lo,
                            opt->grid_hi,      opt->vi_ratio_warn};
    for (size_t i = 0; i < sizeof value / sizeof value[0]; i++)
        if (!(value[i] > 0) || !isfinite(value[i]))
            return evs_error_set(err, EVS_EINVAL, 0, 0, "fit option %s must be positive (%g)",
                                 name[i], value[i]);
    if (opt->maxiter < 1 || opt->maxiter_root < 1 || opt->max_halvings < 1 ||
        opt->max_doublings < 1 || opt->grid_points < 2)
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "fit options maxiter, maxiter_root, max_halvings and "
                             "max_doublings must be at least 1, grid_points at least 2");
    return EVS_OK;
}
