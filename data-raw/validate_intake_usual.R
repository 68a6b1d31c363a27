# Validation of intake_usual()'s correlated two-part (NCI) model by
# simulation from the model with known parameters (issue 14):
#   2,000 persons, a second recall for 40% of them, 30-70% non-consumption
#   days, rho in {-0.5, 0, 0.5}; per replicate the fit with model-based
#   (delta-method) SEs. Reports the relative bias of P10, P50, P90, the
#   coverage of their 95% intervals, and how often rho is within two SEs.
# The true percentiles are computed independently of the package: 4e6
# simulated persons, each person's mean amount over the day-to-day
# variation by stats::integrate() on a grid of person effects.
# Usage: Rscript data-raw/validate_intake_usual.R [replicates] [out.rds]
# (not run by the tests: 600 fits take several minutes on one core).
library(nutrievidence)
args <- commandArgs(TRUE)
R <- if (length(args)) as.integer(args[1]) else 200L
out <- if (length(args) > 1) args[2] else "validate_intake_usual.rds"

truth_par <- list(lambda = 0.25, beta = 3, sigma_u = 0.5, sigma_w = 0.8,
                  gamma = 0, sigma_v = 1)
binv <- function(z, lam) pmax(1 + lam * z, 0)^(1 / lam)

# Mean of the back-transformed amount for a person effect u.
mean_amount <- function(u, p) vapply(u, function(ui) stats::integrate(
  function(e) binv(p$beta + ui + e, p$lambda) * dnorm(e, 0, p$sigma_w),
  -Inf, Inf, rel.tol = 1e-10)$value, 1)

true_percentiles <- function(p, rho, probs, n = 4e6, seed = 99) {
  set.seed(seed)
  z1 <- rnorm(n); z2 <- rnorm(n)
  u <- p$sigma_u * z1
  v <- p$sigma_v * (rho * z1 + sqrt(1 - rho^2) * z2)
  grid <- seq(-6, 6, length.out = 1201) * p$sigma_u
  amt <- stats::approx(grid, mean_amount(grid, p), u)$y
  stats::quantile(plogis(p$gamma + v) * amt, probs, names = FALSE)
}

simulate_recalls <- function(p, rho, m = 2000, p2 = 0.4) {
  nrec <- 1L + (runif(m) < p2)
  id <- rep(seq_len(m), nrec)
  z1 <- rnorm(m); z2 <- rnorm(m)
  u <- p$sigma_u * z1
  v <- p$sigma_v * (rho * z1 + sqrt(1 - rho^2) * z2)
  eat <- runif(length(id)) < plogis(p$gamma + v[id])
  amt <- binv(p$beta + u[id] + rnorm(length(id), 0, p$sigma_w), p$lambda)
  data.frame(id = id, y = ifelse(eat, amt, 0))
}

probs <- c(0.1, 0.5, 0.9)
res <- list()
for (rho in c(-0.5, 0, 0.5)) {
  tq <- true_percentiles(truth_par, rho, probs)
  for (r in seq_len(R)) {
    set.seed(1000 * r + round(10 * rho))
    d <- simulate_recalls(truth_par, rho)
    t0 <- proc.time()[["elapsed"]]
    f <- tryCatch(suppressWarnings(
      intake_usual(d, id, y, probs = probs)),
      error = function(e) NULL)
    if (is.null(f)) next
    s <- summary(f, probs = probs)$percentiles
    rse <- sqrt(vcov(f)["rho", "rho"])
    res[[length(res) + 1L]] <- data.frame(
      rho = rho, rep = r, prob = probs, truth = tq, est = s$percentile,
      se = s$std.error, rho_hat = f$rho, rho_se = rse,
      zero_share = mean(d$y == 0), converged = f$converged,
      seconds = proc.time()[["elapsed"]] - t0)
  }
  saveRDS(do.call(rbind, res), out)
}
tab <- do.call(rbind, res)
saveRDS(tab, out)
summ <- do.call(rbind, lapply(split(tab, list(tab$rho, tab$prob)), function(t)
  data.frame(rho = t$rho[1], prob = t$prob[1], n = nrow(t),
             truth = t$truth[1], rel_bias_pct = 100 * (mean(t$est) /
                                                       t$truth[1] - 1),
             rel_bias_mcse_pct = 100 * sd(t$est) / sqrt(nrow(t)) / t$truth[1],
             coverage_pct = 100 * mean(abs(t$est - t$truth) <= 1.96 * t$se),
             rho_within_2se_pct = 100 * mean(abs(t$rho_hat - t$rho) <=
                                               2 * t$rho_se),
             zero_days_pct = 100 * mean(t$zero_share),
             converged_pct = 100 * mean(t$converged),
             seconds = mean(t$seconds))))
print(summ[order(summ$rho, summ$prob), ], row.names = FALSE, digits = 4)
