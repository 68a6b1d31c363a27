# Shared data of the multilevel and robust tests: the rma.mv/clubSandwich
# fixture (data-raw/fixtures_multilevel.R) and a small three-level data set.

ml3_fixture <- function() readRDS(test_path("fixtures", "multilevel_metafor.rds"))

# pool_multilevel() on a fixture case (its moderators as a matrix).
ml3_fit_case <- function(cs, ...) {
  mods <- if (ncol(cs$X) > 1L) cs$X[, -1L, drop = FALSE] else NULL
  pool_multilevel(cs$yi, cs$vi, cluster = cs$cluster, mods = mods,
                  method = cs$method, test = cs$test, rho = cs$rho, ...)
}

# Relative difference, with an absolute floor for values near 0.
ml3_rel <- function(a, b, floor = 1e-8) {
  a <- unname(as.vector(a)); b <- unname(as.vector(b))
  max(abs(a - b) / pmax(abs(b), floor))
}

ml3_small <- data.frame(
  study = rep(c("A", "B", "C", "D", "E", "F"), c(3, 2, 4, 1, 3, 2)),
  x = c(1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0),
  yi = c(0.31, 0.12, 0.25, 0.55, 0.40, -0.05, 0.10, 0.02, 0.18, 0.61, 0.35,
         0.29, 0.47, 0.20, 0.08),
  vi = c(0.02, 0.03, 0.025, 0.04, 0.05, 0.02, 0.03, 0.02, 0.04, 0.06, 0.03,
         0.02, 0.05, 0.03, 0.04))

# The three-level (restricted) log-likelihood by dense matrices, as in
# metafor::rma.mv: an independent check of the blockwise C code.
ml3_dense_ll <- function(y, v, cl, X, s2, rho = 0, reml = TRUE) {
  same <- outer(cl, cl, "==")
  S <- diag(v, length(v))
  S[same & !diag(length(v))] <- (rho * sqrt(outer(v, v)))[same &
                                                           !diag(length(v))]
  V <- S + s2[1] * same + s2[2] * diag(length(v))
  W <- solve(V)
  XWX <- crossprod(X, W %*% X)
  b <- solve(XWX, crossprod(X, W %*% y))
  r <- y - X %*% b
  k <- length(y); p <- ncol(X)
  ldV <- c(determinant(V)$modulus)
  rss <- c(crossprod(r, W %*% r))
  if (!reml) return(-0.5 * (k * log(2 * pi) + ldV + rss))
  -0.5 * ((k - p) * log(2 * pi) + ldV + c(determinant(XWX)$modulus) + rss) +
    0.5 * c(determinant(crossprod(X))$modulus)
}
