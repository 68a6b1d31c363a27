# pool_multilevel() against dense-matrix computations in R (independent of
# the blockwise C code) and invariances of the model.

d <- ml3_small
X1 <- cbind(intrcpt = 1, x = d$x)

test_that("log-likelihoods, coefficients and covariance equal dense GLS", {
  for (rho in c(0, 0.4)) for (method in c("REML", "ML")) {
    f <- pool_multilevel(yi, vi, cluster = study, data = d, mods = ~ x,
                         method = method, rho = rho)
    ll <- ml3_dense_ll(d$yi, d$vi, d$study, X1, f$sigma2, rho,
                       method == "REML")
    expect_equal(as.numeric(logLik(f)), ll, tolerance = 1e-10)
    same <- outer(d$study, d$study, "==")
    S <- diag(d$vi)
    S[same & !diag(nrow(d))] <- (rho * sqrt(outer(d$vi, d$vi)))[same &
                                                           !diag(nrow(d))]
    V <- S + f$sigma2[[1]] * same + f$sigma2[[2]] * diag(nrow(d))
    W <- solve(V)
    vb <- solve(crossprod(X1, W %*% X1))
    expect_equal(unname(vcov(f)), unname(vb), tolerance = 1e-10)
    expect_equal(unname(coef(f)), c(vb %*% crossprod(X1, W %*% d$yi)),
                 tolerance = 1e-10)
  }
})

test_that("the estimate maximises the dense likelihood", {
  for (method in c("REML", "ML")) {
    f <- pool_multilevel(yi, vi, cluster = study, data = d, method = method)
    X0 <- matrix(1, nrow(d), 1L)
    ll <- function(s) ml3_dense_ll(d$yi, d$vi, d$study, X0, s,
                                   reml = method == "REML")
    s <- unname(f$sigma2)
    l0 <- ll(s)
    for (l in 1:2) {
      h <- 1e-5 * max(s[l], 1e-3)
      up <- s; up[l] <- s[l] + h
      dn <- s; dn[l] <- max(s[l] - h, 0)
      expect_lte(ll(up), l0 + 1e-12)
      expect_lte(ll(dn), l0 + 1e-12)
      if (s[l] > 0) # interior: the score is 0
        expect_lt(abs((ll(up) - ll(dn)) / (up[l] - dn[l])), 1e-6)
    }
  }
})

test_that("I^2 by level uses the typical variance (k - p) / tr(P)", {
  f <- pool_multilevel(yi, vi, cluster = study, data = d, mods = ~ x)
  W <- diag(1 / d$vi)
  P <- W - W %*% X1 %*% solve(crossprod(X1, W %*% X1), crossprod(X1, W))
  vt <- (nrow(d) - 2) / sum(diag(P))
  s <- unname(f$sigma2)
  expect_equal(unname(f$I2), 100 * c(sum(s), s) / (sum(s) + vt),
               tolerance = 1e-10)
  expect_equal(f$Q, c(crossprod(d$yi, P %*% d$yi)), tolerance = 1e-10)
})

test_that("the fit does not depend on the row order or the cluster labels", {
  f <- pool_multilevel(yi, vi, cluster = study, data = d, mods = ~ x)
  set.seed(3)
  o <- sample(nrow(d))
  d2 <- d[o, ]
  d2$study <- paste0("s", match(d2$study, rev(unique(d$study))))
  g <- pool_multilevel(yi, vi, cluster = study, data = d2, mods = ~ x)
  expect_equal(coef(g), coef(f), tolerance = 1e-10)
  expect_equal(g$sigma2, f$sigma2, tolerance = 1e-10)
  expect_equal(vcov(g, type = "CR2"), vcov(f, type = "CR2"),
               tolerance = 1e-10, ignore_attr = TRUE)
  # fitted values come back in the order of the data
  expect_equal(predict(g)$estimate, predict(f)$estimate[o], tolerance = 1e-10)
})

test_that("the model is equivariant under y -> c y, v -> c^2 v", {
  f <- pool_multilevel(yi, vi, cluster = study, data = d, rho = 0.3)
  g <- pool_multilevel(yi * 1e3, vi * 1e6, cluster = study, data = d,
                       rho = 0.3)
  expect_equal(g$sigma2, f$sigma2 * 1e6, tolerance = 1e-8)
  expect_equal(coef(g), coef(f) * 1e3, tolerance = 1e-8)
})

test_that("clusters with one effect are fine", {
  dd <- data.frame(yi = c(0.1, 0.5, -0.2, 0.9, 0.4, 0.3, 0.31),
                   vi = c(0.04, 0.05, 0.03, 0.1, 0.06, 0.02, 0.02),
                   cl = c(1, 2, 3, 4, 5, 6, 6))
  f <- expect_silent(pool_multilevel(yi, vi, cluster = cl, data = dd,
                                     method = "ML"))
  expect_true(f$converged)
  expect_equal(f$m, 6L)
  expect_equal(as.numeric(logLik(f)),
               ml3_dense_ll(dd$yi, dd$vi, dd$cl, matrix(1, 7, 1), f$sigma2,
                            reml = FALSE), tolerance = 1e-10)
})

test_that("the Nelder-Mead fallback reaches the same maximum", {
  # sigma2.2 is 0 here: Nelder-Mead on sqrt(sigma2) only approaches the
  # boundary, the Newton steps after it reach it
  f <- pool_multilevel(yi, vi, cluster = study, data = d, mods = ~ x)
  g <- pool_multilevel(yi, vi, cluster = study, data = d, mods = ~ x,
                       control = pool_control(maxiter = 2))
  expect_false(f$fallback)
  expect_true(g$fallback)
  expect_true(g$converged)
  expect_equal(g$sigma2, f$sigma2, tolerance = 1e-10)
  expect_equal(coef(g), coef(f), tolerance = 1e-10)
})

test_that("non-convergence is a flag and a warning", {
  expect_warning(
    g <- pool_multilevel(yi, vi, cluster = study, data = d, mods = ~ x,
                         control = pool_control(maxiter = 1)),
    "did not converge")
  expect_false(g$converged)
  expect_match(capture.output(print(g)), "Warning: the REML fit did not",
               all = FALSE)
  expect_equal(g$sigma2, pool_multilevel(yi, vi, cluster = study, data = d,
                                         mods = ~ x)$sigma2,
               tolerance = 1e-5)
})
