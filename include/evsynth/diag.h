/*
 * diag.h -- sensitivity, influence, small-study and heterogeneity
 * diagnostics of a meta-analysis, as metafor 3.8 computes them:
 *
 *   evs_leave1out      leave1out()     the model refitted without each study
 *   evs_influence      influence()     studentized residuals, DFFITS, Cook's
 *                                      distance, covariance ratio, ...
 *   evs_cumulative     cumul()         the model on the first 1, 2, ... studies
 *   evs_regtest        regtest()       Egger-type test: rma (default) or lm
 *   evs_ranktest       ranktest()      Begg and Mazumdar's rank correlation
 *   evs_trimfill       trimfill()      Duval and Tweedie's L0 and R0
 *   evs_subgroups      a model per subgroup and two tests of the differences
 *   evs_permutest      permutest()     permutation p-values (exact or seeded)
 *
 * Every function refits with the options of the original model, from one
 * workspace: no allocation happens inside the loops.
 */
#ifndef EVS_DIAG_H
#define EVS_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "evsynth/error.h"
#include "evsynth/fit.h"
#include "evsynth/metareg.h"

typedef struct evs_diag_workspace evs_diag_workspace;

/*
 * A workspace for up to kmax studies and pmax coefficients (a pmax below 2
 * counts as 2; at most EVS_REG_PMAX); NULL when out of memory.  Free it with
 * evs_diag_workspace_free() (NULL: a no-op).  One per thread.
 *
 * What the diagnostics below share: y[0..k) and v[0..k) are the studies'
 * outcomes and sampling variances on the measure's analysis scale, as
 * evs_fit_rma() takes them; opt is the original model's options (not NULL;
 * refits leave out the Q-profile interval); out points to caller-owned room
 * (k entries where an array).  Every function returns EVS_EINVAL for k
 * above the workspace's kmax, and a refit's error (EVS_EDATA for bad y or
 * v, EVS_EINVAL for bad options, EVS_ENOMEM) as evs_fit_rma() gives it;
 * err is filled.  On error the entries of out before the failing refit are
 * filled and the rest untouched, unless said otherwise.  Nothing is
 * allocated but where said.
 */
evs_diag_workspace *evs_diag_workspace_alloc(size_t kmax, size_t pmax);
void evs_diag_workspace_free(evs_diag_workspace *ws);

/*
 * Told how far a diagnostic that refits the model once per study has come
 * (leave-one-out, influence, cumulative; they grow as k^2): `what` names it
 * ("leave-one-out"), `done` of `total` refits.  Called on the caller's
 * thread before each refit and once with done = total; it must not use the
 * workspace.  For a progress display: the engine itself never prints.
 */
typedef void (*evs_progress_fn)(const char *what, size_t done, size_t total, void *ctx);

/* Call fn (NULL: nothing) from the diagnostics run with this workspace. */
void evs_diag_workspace_set_progress(evs_diag_workspace *ws, evs_progress_fn fn, void *ctx);

/*
 * The model with k = 1, as metafor reports it: the study itself, with a
 * normal confidence interval at opt->level (opt not NULL; not checked),
 * tau2 = 0, no heterogeneity (the undefined fields NaN).  Never fails.
 */
void evs_fit_single(double y, double v, const evs_fit_options *opt, evs_fit *fit);

/*
 * out[i]: the model without study i (Q-profile intervals are not computed).
 * For FE with a z, knha or adhoc test the fits come from sums over all the
 * studies minus study i, O(k) in all instead of O(k^2); a study whose removal
 * would cancel digits of those sums is refitted instead.  Errors: EVS_EINVAL
 * for k above the workspace, or a refit's error (out partly filled).
 */
evs_status evs_leave1out(evs_diag_workspace *ws, const double *y, const double *v, size_t k,
                         const evs_fit_options *opt, evs_fit *out, evs_error *err);

typedef struct evs_influence {
    double rstudent, dffits, cook_d, cov_r, tau2_del, QE_del, hat, weight, dfbs;
    bool influential; /* metafor's flag: any of |dffits| > 3 sqrt(1/(k-1)),
                         pchisq(cook_d, 1) > 0.5, hat > 3/k, |dfbs| > 1 */
} evs_influence;

/*
 * Influence of each study on the model fit (fitted to y, v with opt), as
 * metafor's influence(): out[i] for study i.  EVS_EDATA for k < 2.
 */
evs_status evs_influence_diag(evs_diag_workspace *ws, const double *y, const double *v,
                              size_t k, const evs_fit *fit, const evs_fit_options *opt,
                              evs_influence *out, evs_error *err);

/*
 * out[j]: the model on the studies order[0..j] (order NULL: file order;
 * otherwise a permutation of 0..k-1).  The first step is a single study
 * (evs_fit_single).
 */
evs_status evs_cumulative(evs_diag_workspace *ws, const double *y, const double *v, size_t k,
                          const size_t *order, const evs_fit_options *opt, evs_fit *out,
                          evs_error *err);

typedef enum evs_regtest_model {
    EVS_REGTEST_RMA, /* the model's own method and test, with sei as moderator */
    EVS_REGTEST_LM   /* classic: weighted least squares, t with k - 2 df */
} evs_regtest_model;

typedef struct evs_regtest_result {
    double stat, pval, df; /* df NaN for a z test */
    double limit_estimate, limit_ci_lb, limit_ci_ub; /* the intercept: effect at sei = 0 */
} evs_regtest_result;

/*
 * Egger's regression test (Egger et al. 1997) as metafor's regtest(): the
 * model with sei = sqrt(v) as moderator (RMA, with opt's method and test)
 * or the weighted least squares regression (LM).  out->stat and pval test
 * the slope; the intercept is the estimate at sei = 0.  Errors: EVS_EDATA
 * for k < 3, EVS_EINVAL for k above the workspace, or the regression's
 * error; out is then left untouched.
 */
evs_status evs_regtest(evs_diag_workspace *ws, const double *y, const double *v, size_t k,
                       const evs_fit_options *opt, evs_regtest_model model, evs_regtest_result *out,
                       evs_error *err);

typedef struct evs_ranktest_result {
    double tau, pval;
    bool exact; /* exact null distribution (no ties); else normal, tie-corrected */
} evs_ranktest_result;

/*
 * Kendall's tau between standardized deviates and variances (Begg & Mazumdar
 * 1994), as metafor's ranktest(): the exact p-value without ties for k <= 400
 * (this allocates k(k - 1)/2 + 1 doubles), else the normal approximation
 * with the tie correction.  EVS_EDATA for k < 3, EVS_ENOMEM; out is then
 * untouched.
 */
evs_status evs_ranktest(evs_diag_workspace *ws, const double *y, const double *v, size_t k,
                        evs_ranktest_result *out, evs_error *err);

typedef enum evs_trimfill_estimator { EVS_TRIMFILL_L0, EVS_TRIMFILL_R0 } evs_trimfill_estimator;
typedef enum evs_side { EVS_SIDE_AUTO, EVS_SIDE_LEFT, EVS_SIDE_RIGHT } evs_side;

typedef struct evs_trimfill_result {
    int k0;             /* number of studies filled in */
    evs_side side;      /* side where studies are missing */
    double se_k0;
    evs_fit fit;        /* the model with the filled-in studies */
    double *fill_y, *fill_v; /* the k0 filled-in studies; point into the workspace */
} evs_trimfill_result;

/*
 * Trim and fill (Duval & Tweedie 2000).  As metafor: the side is chosen by
 * the sign of the slope on sqrt(vi), and the model with the filled-in
 * studies is refitted with the normal distribution (z).  With k0 = 0 the
 * result is the original model, fit.  out->fill_y and fill_v point into the
 * workspace: valid until its next use.  EVS_EDATA for k < 3, EVS_ENOCONV
 * when k0 does not settle in 100 iterations, or the side's regression's or
 * a refit's error; out is then untouched, or (an error of the last refit)
 * all but out->fit filled.
 */
evs_status evs_trimfill(evs_diag_workspace *ws, const double *y, const double *v, size_t k,
                        const evs_fit *fit, const evs_fit_options *opt,
                        evs_trimfill_estimator estimator, evs_side side, evs_trimfill_result *out,
                        evs_error *err);

typedef struct evs_subgroup_test {
    double Q_between, Q_between_p; /* separate tau2: Q of the subgroup estimates */
    int Q_between_df;
    double QM, QM_p; /* common tau2: the moderator test of a mixed-effects model */
    int QM_df, QM_df2;
} evs_subgroup_test;

/*
 * A model per subgroup (group[i] in 0..ngroups-1; out has ngroups fits) and
 * the tests for subgroup differences into *test (QM NaN, with df 0, when
 * k <= ngroups).  EVS_EDATA for fewer than 2 groups, more than the
 * workspace's pmax or EVS_REG_PMAX, or a group without studies.  On error
 * out and *test may be partly filled, and are not to be used.
 */
evs_status evs_subgroups(evs_diag_workspace *ws, const double *y, const double *v, size_t k,
                         const size_t *group, size_t ngroups, const evs_fit_options *opt,
                         evs_fit *out, evs_subgroup_test *test, evs_error *err);

typedef struct evs_permutest_result {
    unsigned long iterations; /* permutations evaluated, the observed one included */
    bool exact;               /* every distinct permutation */
    double pval[EVS_REG_PMAX];
    double QM_p;
} evs_permutest_result;

/*
 * Permutation test of the model y ~ X (X k x p, row-major, as
 * evs_reg_fit(); p = 1 with intercept: sign flips, 2^k of them; otherwise
 * permutations of the rows of X), as metafor's permutest().  Exact when the
 * number of distinct permutations is at most `iterations`; otherwise
 * `iterations` random ones from the seed (GSL's MT19937), the first being
 * the observed data.  EVS_EINVAL for p above the workspace's pmax or fewer
 * than 2 iterations, or a refit's error (evs_reg_fit()'s); *out is then
 * untouched but for its `exact` field.
 */
evs_status evs_permutest(evs_diag_workspace *ws, const double *y, const double *v,
                         const double *X, size_t k, size_t p, bool intercept,
                         const evs_fit_options *opt, unsigned long iterations,
                         unsigned long seed, evs_permutest_result *out, evs_error *err);

#endif
