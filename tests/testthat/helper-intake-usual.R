# Shared by the test-intake-usual*.R files: simulation from the correlated
# two-part model and an independent (R, stats::integrate) version of its
# likelihood and usual-intake distribution.

boxcox_inv_r <- function(z, lambda)
  if (lambda == 0) exp(z) else pmax(1 + lambda * z, 0)^(1 / lambda)

# Recalls from the NCI model: persons with 1 or 2 recalls (a second for a
# share p2), logit P(eat) = gamma + v, Box-Cox amount beta + u + e,
# cor(u, v) = rho.
sim_nci <- function(m, p2 = 0.5, rho = 0.5, gamma = 0, sigma_v = 1,
                    beta = 3, sigma_u = 0.5, sigma_w = 0.7, lambda = 0.25,
                    seed = 1) {
  set.seed(seed)
  nrec <- 1L + (stats::runif(m) < p2)
  id <- rep(seq_len(m), nrec)
  z1 <- stats::rnorm(m); z2 <- stats::rnorm(m)
  u <- sigma_u * z1
  v <- sigma_v * (rho * z1 + sqrt(1 - rho^2) * z2)
  eat <- stats::runif(length(id)) < stats::plogis(gamma + v[id])
  amt <- boxcox_inv_r(beta + u[id] + stats::rnorm(length(id), 0, sigma_w),
                      lambda)
  data.frame(id = id, day = stats::ave(id, id, FUN = seq_along),
             y = ifelse(eat, amt, 0))
}

# True percentiles of usual intake under sim_nci()'s parameters: Monte
# Carlo over persons, each person's mean amount by stats::integrate().
nci_true_quantile <- function(probs, rho = 0.5, gamma = 0, sigma_v = 1,
                              beta = 3, sigma_u = 0.5, sigma_w = 0.7,
                              lambda = 0.25, n = 4e5, seed = 99) {
  set.seed(seed)
  z1 <- stats::rnorm(n); z2 <- stats::rnorm(n)
  grid <- seq(-6, 6, length.out = 241) * sigma_u
  mean_amt <- vapply(grid, function(ui) stats::integrate(
    function(e) boxcox_inv_r(beta + ui + e, lambda) *
      stats::dnorm(e, 0, sigma_w), -Inf, Inf, rel.tol = 1e-10)$value, 1)
  amt <- stats::spline(grid, mean_amt, xout = sigma_u * z1)$y
  p <- stats::plogis(gamma + sigma_v * (rho * z1 + sqrt(1 - rho^2) * z2))
  stats::quantile(p * amt, probs, names = FALSE)
}

# Gauss-Hermite nodes and weights (weight exp(-x^2)) by Golub-Welsch.
statmod_gh <- function(n) {
  J <- matrix(0, n, n)
  i <- seq_len(n - 1)
  J[cbind(i, i + 1)] <- J[cbind(i + 1, i)] <- sqrt(i / 2)
  e <- eigen(J, symmetric = TRUE)
  list(x = e$values, w = sqrt(pi) * e$vectors[1, ]^2)
}
