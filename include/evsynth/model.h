/*
 * model.h -- the vocabulary shared by every model of the engine: the tau2
 * estimators and the tests, named as in metafor's rma(); the options of a
 * fit; the warning bits a fit can raise; and their name tables.
 *
 * The estimators (tau2_internal.h), the intercept-only fit (fit.h) and the
 * meta-regression (metareg.h) all read this header and none of the others,
 * so none of them depends on another's declarations.
 */
#ifndef EVS_MODEL_H
#define EVS_MODEL_H

#include <stdbool.h>

#include "evsynth/error.h"

typedef enum evs_method {
    EVS_METHOD_FE,   /* common (fixed) effect: tau2 = 0 */
    EVS_METHOD_DL,   /* DerSimonian-Laird */
    EVS_METHOD_HE,   /* Hedges (variance components) */
    EVS_METHOD_HS,   /* Hunter-Schmidt */
    EVS_METHOD_SJ,   /* Sidik-Jonkman */
    EVS_METHOD_ML,   /* maximum likelihood */
    EVS_METHOD_REML, /* restricted maximum likelihood (default) */
    EVS_METHOD_EB,   /* empirical Bayes (Morris) */
    EVS_METHOD_PM,   /* Paule-Mandel */
    EVS_METHOD_HSK,  /* Hunter-Schmidt with the small-sample correction k/(k - p) (metafor's HSk) */
    EVS_METHOD_PMM,  /* median-unbiased Paule-Mandel: Q = median of chi2(k - p) (metafor's PMM) */
    EVS_METHOD_COUNT
} evs_method;

typedef enum evs_test {
    EVS_TEST_Z,    /* normal distribution (metafor's default) */
    EVS_TEST_KNHA, /* Knapp-Hartung adjustment, t(k - 1) */
    EVS_TEST_ADHOC, /* Knapp-Hartung with its factor never below 1 (metafor's "adhoc";
                       Knapp and Hartung 2003, Jackson et al. 2017) */
    EVS_TEST_IQWIG6, /* Knapp-Hartung, but the unadjusted standard error (with t(k - 1))
                        when the Knapp-Hartung interval is narrower than the
                        DerSimonian-Laird one (IQWiG General Methods 6.0, 2020; R meta's
                        adhoc.hakn.ci = "IQWiG6") */
    EVS_TEST_COUNT
} evs_test;

/* Warnings a fit can raise; several may be set at once. */
enum {
    EVS_WARN_FALLBACK = 1u << 0,       /* scoring did not converge; bracketing search used */
    EVS_WARN_NOT_CONVERGED = 1u << 1,  /* the tau2 estimate did not converge */
    EVS_WARN_LL0 = 1u << 2,            /* the likelihood at tau2 = 0 was higher: set to 0 */
    EVS_WARN_TAU2_CI_EMPTY = 1u << 3,  /* Q-profile CI for tau2 is empty: set to [0, 0] */
    EVS_WARN_TAU2_CI_FAILED = 1u << 4, /* Q-profile search failed: bound(s) missing */
    EVS_WARN_KNHA_FE = 1u << 5,        /* Knapp-Hartung used with a common-effect model */
    EVS_WARN_KNHA_ZERO = 1u << 6,      /* Knapp-Hartung factor is 0: se is 0 */
    EVS_WARN_VI_RATIO = 1u << 7,       /* max(vi)/min(vi) >= 1e7: results may be unstable */
    EVS_WARN_GLOBAL_MAX = 1u << 8,     /* scoring stopped at tau2 = 0, a local maximum;
                                          a higher one exists and is reported */
    EVS_WARN_SE_TAU2_NA = 1u << 9,     /* the SE of tau2 cannot be computed in double
                                          precision: it is NaN (not available) */
    EVS_WARN_COUNT_ = 10
};

typedef struct evs_fit_options {
    evs_method method; /* default EVS_METHOD_REML */
    evs_test test;     /* default EVS_TEST_Z */
    double level;      /* confidence level in percent, in (0, 100); default 95 */
    bool tau2_ci;      /* compute the Q-profile CI for tau2, I2, H2 and the SE of tau2;
                          default true (refits inside diagnostics turn it off) */
    double tol;        /* relative convergence tolerance for tau2; default 1e-10 */
    int maxiter;       /* scoring iterations before the fallback; default 100 */
    int maxiter_root;  /* iterations of each bracketing search; default 200 */
    bool local_max;    /* ML/REML: keep the local maximum at tau2 = 0 where Fisher
                          scoring stops, as metafor does, instead of searching for a
                          higher one; default false */
    double tau2_init;  /* ML/REML/EB: where Fisher scoring starts; NaN (default) for
                          metafor's start, the HE estimate.  GOSH starts each subset
                          at its neighbour's estimate. */

    /* The numerical settings of the estimators (tau2.c), scale-free where a
     * scale applies (vt is the typical within-study variance, so that the
     * tolerances follow the data's units).  The defaults are the values the
     * fixtures were checked with; a caller rarely has reason to change them. */
    int max_halvings;      /* step halvings that keep tau2 >= 0 before the step is
                              cut to -tau2 (metafor's stepadj loop); default 64 */
    double quadratic_stop; /* Newton steps stop once the next one, estimated from the
                              quadratic rate, would be below tol / quadratic_stop of
                              (tau2 + vt); default 100 */
    double zero_snap;      /* an estimate within zero_snap tol vt of 0 where the
                              equation points below 0 is 0; default 10 */
    double root_abs_tol;   /* absolute tolerance of the root searches (PM, the
                              fallback, the Q-profile), as a fraction of tol vt;
                              default 1e-3 */
    int max_doublings;     /* doublings of an upper bound that brackets a root;
                              default 2000 */
    double ll_tol;         /* relative margin by which one log-likelihood must beat
                              another (metafor's ll0check, the search for a higher
                              maximum); default 1e-10 */
    int grid_points;       /* points of the log-spaced grid searched for a maximum
                              inside when scoring stops at 0; default 48 */
    double grid_lo;        /* the grid starts at grid_lo vt; default 1e-8 */
    double grid_hi;        /* and ends at grid_hi max(sum (y - ybar)^2 / (k - p), vt);
                              default 4 */
    double vi_ratio_warn;  /* EVS_WARN_VI_RATIO when max(vi) / min(vi) reaches it;
                              default 1e7 */
} evs_fit_options;

/* The defaults documented above. */
void evs_fit_options_default(evs_fit_options *opt);

/*
 * EVS_OK when every field is in its domain (a known method and test, level
 * in (0, 100), positive tolerances and counts); else EVS_EINVAL with a
 * message naming the field.  Every fit checks its options with it.
 */
evs_status evs_fit_options_check(const evs_fit_options *opt, evs_error *err);

/*
 * Name tables in metafor's vocabulary.  evs_method_name() gives "REML",
 * evs_method_description() a phrase for messages ("restricted
 * maximum-likelihood estimator"), "?" for a value out of range; the strings are static.
 * evs_method_from_name() looks a name up exactly (case matters, as in
 * metafor) and leaves *m alone when it is unknown (false).
 * evs_method_names() lists every name, space-separated, for messages.
 */
const char *evs_method_name(evs_method m);
const char *evs_method_description(evs_method m);
bool evs_method_from_name(const char *name, evs_method *m);
const char *evs_method_names(void);

/* The same for the tests: "z", "knha", "adhoc", "IQWiG6". */
const char *evs_test_name(evs_test t);
/* A Knapp-Hartung test of any kind (knha, adhoc, IQWiG6): t(k - p) inference. */
bool evs_test_is_knha(evs_test t);
bool evs_test_from_name(const char *name, evs_test *t);

/* One sentence for a single EVS_WARN_* bit; NULL for an unknown bit. */
const char *evs_fit_warning_text(unsigned bit);

/*
 * Confidence level in percent from a user's value, as metafor reads it:
 * values in (0, 1) are fractions (0.95), values in [1, 100) percents (95).
 * Returns NaN for anything else.
 */
double evs_level_percent(double level);

#endif
