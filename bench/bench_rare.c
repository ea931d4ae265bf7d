/*
 * bench_rare.c -- timings of the binomial-normal GLMM and the Bayesian
 * normal-normal model, side by side with their references in the same run:
 *
 *  - evs_glmm_plo on dat.pritz1997 (14 proportions, nAGQ = 7) against
 *    metafor's rma.glmm(measure = "PLO") (lme4's glmer, nAGQ = 7);
 *  - evs_glmm_or on dat.bcg (13 tables, model UM.FS, nAGQ = 7) against
 *    rma.glmm(measure = "OR");
 *  - evs_bayes_fit_rma on dat.bcg's first three log risk ratios (half-normal
 *    prior, scale 0.5: medians and 95% intervals of mu, tau and a new
 *    study's effect) against a plain-R integration of the same posterior
 *    (integrate() and uniroot(), as tests/fixtures/bayes/gen_bayes.R does it,
 *    at rel.tol 1e-10 where evsynth integrates to 1e-11).
 *
 *   build/bench/bench_rare [--quick]
 *
 * metafor runs with its default controls, as a user would run it.  Without
 * Rscript and metafor the R side is skipped.  Each evsynth model is fitted
 * in a loop with one workspace (what batch and review runs do).
 */
#define _GNU_SOURCE
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "evsynth/bayes.h"
#include "evsynth/glmm.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* dat.pritz1997 and dat.bcg as metafor ships them. */
static const double pritz_x[] = {16, 10, 4, 43, 10, 25, 13, 12, 22, 4, 5, 18, 58, 6};
static const double pritz_n[] = {17, 12, 8, 58, 10, 42, 14, 12, 41, 5, 6, 23, 68, 10};
static const double bcg_a[] = {4, 6, 3, 62, 33, 180, 8, 505, 29, 17, 186, 5, 27};
static const double bcg_b[] = {119, 300, 228, 13536, 5036, 1361, 2537, 87886, 7470, 1699,
                               50448, 2493, 16886};
static const double bcg_c[] = {11, 29, 11, 248, 47, 372, 10, 499, 45, 65, 141, 3, 29};
static const double bcg_d[] = {128, 274, 209, 12619, 5761, 1079, 619, 87892, 7232, 1600,
                               27197, 2338, 17825};

static const char r_script[] =
    "suppressPackageStartupMessages(library(metafor))\n"
    "args <- commandArgs(TRUE); n1 <- as.integer(args[1]); n2 <- as.integer(args[2])\n"
    "invisible(rma.glmm(measure='PLO', xi=xi, ni=ni, data=dat.pritz1997))  # warm-up\n"
    "t <- system.time(for (i in 1:n1) rma.glmm(measure='PLO', xi=xi, ni=ni, "
    "data=dat.pritz1997))[['elapsed']] / n1\n"
    "t2 <- system.time(for (i in 1:n1) rma.glmm(measure='OR', ai=tpos, bi=tneg, ci=cpos, "
    "di=cneg, data=dat.bcg))[['elapsed']] / n1\n"
    "es <- escalc('RR', ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg)[1:3, ]\n"
    "y <- c(es$yi); v <- c(es$vi); scale <- 0.5\n"
    "bayes <- function() {\n"
    "  lp <- function(tau) { w <- 1/(v + tau^2); W <- sum(w); m <- sum(w*y)/W\n"
    "    dnorm(tau, 0, scale, log=TRUE) - 0.5*sum(log(v + tau^2)) - 0.5*log(W) - "
    "0.5*sum(w*(y - m)^2) }\n"
    "  cond <- function(tau) { w <- 1/(v + tau^2); W <- sum(w); c(sum(w*y)/W, 1/W) }\n"
    "  shift <- max(sapply(scale*(0:200)/20, lp))\n"
    "  dens <- Vectorize(function(tau) exp(lp(tau) - shift))\n"
    "  int <- function(f, lo=0, hi=Inf) integrate(f, lo, hi, rel.tol=1e-10, "
    "subdivisions=5000L)$value\n"
    "  z <- int(dens)\n"
    "  mix <- function(x, pred) int(Vectorize(function(tau) { cv <- cond(tau)\n"
    "    pnorm(x, cv[1], sqrt(cv[2] + if (pred) tau^2 else 0)) * dens(tau) })) / z\n"
    "  q <- function(f, p, lo, hi) uniroot(function(x) f(x) - p, c(lo, hi), "
    "tol=1e-12)$root\n"
    "  ctau <- function(t) int(dens, 0, t) / z\n"
    "  r <- c(sapply(c(0.025, 0.5, 0.975), function(p) q(function(x) mix(x, FALSE), p, -5, 5)),\n"
    "         sapply(c(0.025, 0.5, 0.975), function(p) q(ctau, p, 0, 20)),\n"
    "         sapply(c(0.025, 0.5, 0.975), function(p) q(function(x) mix(x, TRUE), p, -20, 20)),\n"
    "         1 - mix(-0.5, FALSE))\n"
    "  r }\n"
    "t3 <- system.time(for (i in 1:n2) bayes())[['elapsed']] / n2\n"
    "cat(t, t2, t3, '\\n')\n";

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    int n_c = quick ? 200 : 2000, n_r1 = quick ? 5 : 20, n_r2 = quick ? 1 : 3;

    evs_glmm_workspace *gws = evs_glmm_workspace_alloc(14);
    evs_bayes_workspace *bws = evs_bayes_workspace_alloc(3, 0);
    evs_glmm_fit g;
    evs_bayes_fit b;
    double y3[3], v3[3];
    for (int i = 0; i < 3; i++) {
        double n1 = bcg_a[i] + bcg_b[i], n2 = bcg_c[i] + bcg_d[i];
        y3[i] = log(bcg_a[i] / n1) - log(bcg_c[i] / n2);
        v3[i] = 1 / bcg_a[i] - 1 / n1 + 1 / bcg_c[i] - 1 / n2;
    }
    evs_bayes_options bo;
    evs_bayes_options_default(&bo);

    double t0 = now();
    for (int i = 0; i < n_c; i++)
        if (evs_glmm_plo(pritz_x, pritz_n, 14, NULL, gws, &g, NULL) != EVS_OK)
            return 1;
    double c_plo = (now() - t0) / n_c;
    t0 = now();
    for (int i = 0; i < n_c; i++)
        if (evs_glmm_or(bcg_a, bcg_b, bcg_c, bcg_d, 13, NULL, gws, &g, NULL) != EVS_OK)
            return 1;
    double c_or = (now() - t0) / n_c;
    t0 = now();
    for (int i = 0; i < n_c; i++) {
        if (evs_bayes_fit_rma(y3, v3, 3, &bo, bws, &b, NULL) != EVS_OK)
            return 1;
        (void)evs_bayes_prob(bws, EVS_BAYES_MU, -0.5, true);
    }
    double c_bayes = (now() - t0) / n_c;
    evs_glmm_workspace_free(gws);
    evs_bayes_workspace_free(bws);

    double r_plo = NAN, r_or = NAN, r_bayes = NAN;
    bool have_r = system("Rscript -e 'library(metafor)' > /dev/null 2>&1") == 0;
    if (have_r) {
        char path[] = "/tmp/bench_rare_XXXXXX";
        int fd = mkstemp(path);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (f != NULL) {
            fputs(r_script, f);
            fclose(f);
            char cmd[512];
            snprintf(cmd, sizeof cmd, "Rscript %s %d %d 2>/dev/null", path, n_r1, n_r2);
            FILE *p = popen(cmd, "r");
            if (p == NULL || fscanf(p, "%lf %lf %lf", &r_plo, &r_or, &r_bayes) != 3)
                have_r = false;
            if (p != NULL)
                pclose(p);
            unlink(path);
        }
    }
    printf("%-44s %12s %12s %8s\n", "model (per fit)", "evsynth", "reference", "ratio");
    printf("%-44s %10.1f us %10.1f ms %7.0fx\n", "GLMM PLO, dat.pritz1997 (rma.glmm)",
           1e6 * c_plo, 1e3 * r_plo, r_plo / c_plo);
    printf("%-44s %10.1f us %10.1f ms %7.0fx\n", "GLMM OR UM.FS, dat.bcg (rma.glmm)",
           1e6 * c_or, 1e3 * r_or, r_or / c_or);
    printf("%-44s %10.1f us %10.1f ms %7.0fx\n", "Bayesian, 3 studies (plain-R integration)",
           1e6 * c_bayes, 1e3 * r_bayes, r_bayes / c_bayes);
    if (!have_r)
        printf("(R with metafor not found: reference timings skipped)\n");
    return 0;
}
