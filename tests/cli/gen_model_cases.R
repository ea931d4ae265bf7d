#!/usr/bin/env Rscript
# gen_model_cases.R -- reference rows for 'evsynth batch --method GLMM' and
# 'batch --bayes' (tests/cli/batch_cases.txt), from metafor's rma.glmm()
# (lme4, nAGQ = 7) and rma(), and from the plain-R integration of the
# Bayesian posterior in tests/fixtures/bayes/posterior.R (written from the
# formulas, not from evsynth).  Run from this directory:
#   Rscript gen_model_cases.R
# Writes data/batch_models.csv and prints the cases' stdout-near lines
# (numbers with sprintf("%.10g")) for batch_cases.txt; the versions go in
# the comment above those cases.
suppressPackageStartupMessages(library(metafor))
source("../fixtures/bayes/posterior.R")

pritz <- read.csv("data/pritz1997.csv")
sets <- list(
    early = pritz[1:7, c("xi", "ni")],
    late = pritz[8:14, c("xi", "ni")],
    # rare events with zero-event studies, as a review's harms
    harms = data.frame(xi = c(0, 2, 1, 0, 3), ni = c(4, 395, 204, 25, 60)))
dat <- do.call(rbind, lapply(names(sets), function(n)
    data.frame(analysis = n, study = seq_len(nrow(sets[[n]])), sets[[n]])))
write.csv(dat, "data/batch_models.csv", row.names = FALSE, quote = FALSE)

# lme4's tight settings of tests/fixtures/metafor/gen_glmm.R (bobyqa to
# rhoend 1e-12, PIRLS to 1e-11), loosened where a fit fails.
glm_ctrl <- list(epsilon = 1e-14, maxit = 1000)
bobyqa <- function(tol)
    list(glmCtrl = glm_ctrl,
         glmerCtrl = list(optimizer = "bobyqa", tolPwrss = tol[1],
                          optCtrl = list(rhoend = tol[2], maxfun = 1e6),
                          check.conv.grad = "ignore", check.conv.singular = "ignore",
                          check.conv.hess = "ignore"))
ctrl <- lapply(list(c(1e-11, 1e-12), c(1e-10, 1e-12), c(1e-9, 1e-12), c(1e-9, 1e-10)), bobyqa)

g <- function(x) ifelse(is.na(x), "", sprintf("%.10g", x))
line <- function(id, k, v, conv = "true") cat(sprintf("\"%s\",%d,%s,%s,\n", id, k,
                                                       paste(g(v), collapse = ","), conv))

cat("# --method GLMM\n")
for (n in names(sets)) {
    s <- sets[[n]]
    r <- NULL
    for (ctl in ctrl) {
        r <- try(rma.glmm(measure = "PLO", xi = s$xi, ni = s$ni, method = "ML", nAGQ = 7,
                          control = ctl), silent = TRUE)
        if (!inherits(r, "try-error")) break
    }
    p <- predict(r)
    line(n, nrow(s), c(r$b, r$se, r$ci.lb, r$ci.ub, p$pi.lb, p$pi.ub, r$tau2, NA, NA,
                       r$I2, r$H2, r$QE.Wld, r$QEp.Wld))
}

cat("# --bayes (REML and z for the first 13 columns; default priors)\n")
for (n in names(sets)) {
    s <- sets[[n]]
    e <- escalc("PLO", xi = s$xi, ni = s$ni)
    r <- rma(e$yi, e$vi, method = "REML",
             control = list(threshold = 1e-13, maxiter = 1000))
    ci <- confint(r, control = list(tol = 1e-13)); p <- predict(r)
    b <- summaries(c(e$yi), c(e$vi), c = 0)
    line(n, nrow(s), c(r$b, r$se, r$ci.lb, r$ci.ub, p$pi.lb, p$pi.ub, r$tau2,
                       ci$random[1, 2:3], r$I2, r$H2, r$QE, r$QEp,
                       b$mu_median, b$mu_lb, b$mu_ub, b$tau_median, b$tau_lb, b$tau_ub,
                       b$pred_median, b$pred_lb, b$pred_ub, b$p_mu_above, b$p_pred_above))
}
cat(sprintf("# %s, metafor %s, lme4 %s\n", R.version.string, packageVersion("metafor"),
            packageVersion("lme4")))
