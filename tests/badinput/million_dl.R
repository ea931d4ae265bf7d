# Run: Rscript tests/badinput/million_dl.R
# R 4.2.2 printed: tau2 0.037523  CI [0.025257, 0.025606]
# Independent reference for the bad-input catalogue's million-row case:
# DL tau^2 and its Q-profile 95% CI, from the definitions, in plain R.
i <- 1:1000000
y <- round((i %% 97) / 100, 2)
v <- round(0.01 + (i %% 13) / 100, 3)
k <- length(y)
Q <- function(t) { w <- 1 / (v + t); mu <- sum(w * y) / sum(w); sum(w * (y - mu)^2) }
w <- 1 / v
tau2 <- max(0, (Q(0) - (k - 1)) / (sum(w) - sum(w^2) / sum(w)))
lb <- uniroot(function(t) Q(t) - qchisq(0.975, k - 1), c(0, 10), tol = 1e-12)$root
ub <- uniroot(function(t) Q(t) - qchisq(0.025, k - 1), c(0, 10), tol = 1e-12)$root
cat(sprintf("tau2 %.6f  CI [%.6f, %.6f]\n", tau2, lb, ub))
