/*
 * outside.c -- a program written against the installed engine only: it
 * includes <evsynth/...> headers and links libevsynth through pkg-config,
 * as any outside program would (tests/install/run_install_test.sh builds
 * it against a fresh `cmake --install`, shared and static).
 *
 * It does not turn GSL's error handler off: the engine must not abort it.
 *
 * 1. The BCG vaccine trials (dat.bcg, metafor's data set), log risk ratios,
 *    REML: the pooled estimate, its se, tau^2 and the upper Q-profile bound
 *    must be metafor's.  Reference: tests/fixtures/metafor/rma.csv, row
 *    bcg,RR,REML,z, written by gen_fixtures.R with metafor 3.8-1 on R 4.2.2:
 *      rma(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg,
 *          data = dat.bcg, method = "REML",
 *          control = list(threshold = 1e-13, maxiter = 1000))
 *      confint(res, control = list(tol = 1e-13))
 * 2. The same data with collinear moderators: EVS_EDATA and a message, not
 *    an abort from GSL's Cholesky factorisation.
 *
 * Exit status 0 when both hold; it prints what it found either way.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <evsynth/meta.h>
#include <evsynth/metareg.h>

static double ai[] = {4, 6, 3, 62, 33, 180, 8, 505, 29, 17, 186, 5, 27};
static double bi[] = {119, 300, 228, 13536, 5036, 1361, 2537, 87886, 7470, 1699, 50448, 2493, 16886};
static double ci[] = {11, 29, 11, 248, 47, 372, 10, 499, 45, 65, 141, 3, 29};
static double di[] = {128, 274, 209, 12619, 5761, 1079, 619, 87892, 7232, 1600, 27197, 2338, 17825};
static long lines[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
#define K 13

static int failures;

static void check(const char *what, double got, double want, double rel)
{
    bool ok = fabs(got - want) <= rel * fabs(want);
    printf("%-12s %.17g (metafor %.17g)%s\n", what, got, want, ok ? "" : "  <-- differs");
    failures += !ok;
}

int main(void)
{
    char source[] = "dat.bcg";
    evs_studies s;
    memset(&s, 0, sizeof s);
    s.k = K;
    s.source = source;
    s.line = lines;
    s.x[EVS_VAR_AI] = ai;
    s.x[EVS_VAR_BI] = bi;
    s.x[EVS_VAR_CI] = ci;
    s.x[EVS_VAR_DI] = di;

    evs_meta_workspace *ws = evs_meta_workspace_alloc();
    if (ws == NULL)
        return 3;
    evs_meta meta;
    evs_error err;
    evs_error_clear(&err);
    if (evs_meta_fit(&s, EVS_MEASURE_RR, NULL, NULL, ws, &meta, &err) != EVS_OK) {
        char buf[2048];
        printf("fit failed: %s\n", evs_error_format(&err, buf, sizeof buf));
        return 1;
    }
    check("estimate", meta.fit.estimate, -0.71453234215813943, 1e-9);
    check("se", meta.fit.se, 0.17978151610520574, 1e-9);
    check("tau2", meta.fit.tau2, 0.31324325813648085, 1e-9);
    check("tau2_ci_ub", meta.fit.tau2_ci_ub, 1.1114790840609283, 1e-8);
    printf("converged    %s after %d iterations\n", meta.fit.converged ? "yes" : "NO",
           meta.fit.iterations);
    failures += !meta.fit.converged;

    /* Moderators: the intercept, the year and twice the year. */
    double X[K * 3];
    for (size_t i = 0; i < K; i++) {
        X[3 * i] = 1;
        X[3 * i + 1] = (double)(1948 + i);
        X[3 * i + 2] = 2 * X[3 * i + 1];
    }
    evs_reg_workspace *rws = evs_reg_workspace_alloc(K, 3);
    evs_reg reg;
    evs_status st = evs_reg_fit(meta.y, meta.v, X, meta.k, 3, true, NULL, rws, &reg, &err);
    printf("collinear    status %s: %s\n", evs_status_name(st), err.message);
    failures += st != EVS_EDATA;

    evs_reg_workspace_free(rws);
    evs_meta_workspace_free(ws);
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
