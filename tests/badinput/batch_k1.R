# Run: Rscript tests/badinput/batch_k1.R   (metafor 3.8-1, R 4.2.2)
# The expected rows of analyses "a" and "c" of data/batch_k1.csv in the
# bad-input catalogue: REML, z, 95% PI and Q-profile CI of tau^2, with the
# tight controls under which metafor and evsynth agree to ~1e-11 (README).
suppressMessages(library(metafor))
d <- read.csv("data/batch_k1.csv")
for (a in c("a", "c")) {
  s <- d[d$analysis == a, ]
  r <- rma(s$yi, s$vi, method = "REML", control = list(threshold = 1e-13, maxiter = 1000))
  p <- predict(r)
  ci <- confint(r, control = list(tol = 1e-13))$random[1, 2:3]
  cat(sprintf('"%s",%d,', a, r$k),
      paste(sprintf("%.10g", c(r$beta, r$se, r$ci.lb, r$ci.ub, p$pi.lb, p$pi.ub, r$tau2, ci,
                               r$I2, r$H2, r$QE, r$QEp)), collapse = ","), ",true\n", sep = "")
}
