# ML and REML return the global maximiser of the (restricted) likelihood
# over tau2 >= 0, and extreme but finite inputs give an error, never
# non-finite results reported as a success.

codes_g <- c(FE = 0L, DL = 1L, REML = 2L, ML = 3L, PM = 4L, EB = 5L,
             HE = 6L, HS = 7L, SJ = 8L, DL2 = 9L)
fit_g <- function(y, v, X, method, tau2 = NULL, maxiter = 1000L)
  .Call(nutrievidence:::C_pool_fit, y, v, X, codes_g[[method]], 0L, FALSE,
        0.95, 1e-12, maxiter, tau2)

# (Restricted) log-likelihood written directly from the model
# y ~ N(X b, diag(v + tau2)), b profiled out by weighted least squares.
ll_direct <- function(t2, y, v, X, reml) {
  w <- 1 / (v + t2)
  A <- crossprod(X, w * X)
  b <- solve(A, crossprod(X, w * y))
  r <- y - X %*% b
  ll <- -0.5 * (sum(log(v + t2)) + sum(w * r^2))
  if (reml) ll - 0.5 * as.numeric(determinant(A)$modulus) else ll
}

# Dense grid (0 and 150 log-spaced points) and optimize() between the
# neighbours of the best grid point: c(tau2, logLik, number of local maxima
# on the grid).
ll_max <- function(y, v, X, reml) {
  hi <- 50 * (stats::var(y) + max(v))
  g <- c(0, exp(seq(log(1e-6 * min(v)), log(hi), length.out = 150)))
  l <- vapply(g, function(t) ll_direct(t, y, v, X, reml), 0)
  j <- which.max(l)
  if (j == 1L) {
    o <- stats::optimize(ll_direct, c(0, g[2]), y = y, v = v, X = X,
                         reml = reml, maximum = TRUE, tol = 1e-12)
  } else {
    o <- stats::optimize(ll_direct, c(g[j - 1L], g[min(j + 1L, length(g))]),
                         y = y, v = v, X = X, reml = reml, maximum = TRUE,
                         tol = 1e-12)
  }
  d <- diff(l)
  nmax <- sum(diff(sign(d)) < 0) + (d[1] < 0)
  if (o$objective > l[j]) c(o$maximum, o$objective, nmax)
  else c(g[j], l[j], nmax)
}

test_that("ML and REML reach the global maximum (brute force, p = 1..4)", {
  set.seed(11)
  n_multi <- 0L
  worse <- character(0)
  for (s in seq_len(240)) {
    p <- 1L + (s - 1L) %% 4L       # intercept and 0..3 moderators
    k <- p + sample(2:6, 1)
    X <- cbind(1, matrix(stats::rnorm(k * (p - 1L)), k, p - 1L))
    # variances over three orders of magnitude, outlying studies: designs
    # where the likelihood can have more than one local maximum
    v <- 10^stats::runif(k, -3, 0)
    y <- drop(X %*% stats::rnorm(p)) +
      stats::rnorm(k, 0, sqrt(v + stats::rexp(1, 5))) +
      (stats::runif(k) < 0.2) * stats::rnorm(k, 0, 2)
    for (me in c("ML", "REML")) {
      reml <- me == "REML"
      f <- fit_g(y, v, if (p == 1L) NULL else X, me)
      bf <- ll_max(y, v, X, reml)
      got <- ll_direct(f$tau2, y, v, X, reml)
      # never below the brute-force maximum, and at the same tau2
      bad <- got < bf[2] - 1e-9 * max(1, abs(bf[2])) ||
        abs(f$tau2 - bf[1]) > 1e-5 * max(1, bf[1])
      if (bad)
        worse <- c(worse, sprintf(
          "data set %d, %s: tau2 %.10g (logLik %.8g), brute force %.10g (%.8g)",
          s, me, f$tau2, got, bf[1], bf[2]))
      n_multi <- n_multi + (me == "ML" && bf[3] > 1)
    }
  }
  expect(length(worse) == 0L, paste(c("", worse), collapse = "\n"))
  # the design does produce multimodal likelihoods (15 of the 240)
  expect_gt(n_multi, 5)
})

test_that("the two BCG meta-regressions with a lower maximum at 0", {
  # ML log-likelihoods of metafor's fits (metafor 3.8-1, tight control; see
  # data-raw/fixtures_diag.R): tau2 = 0.0294 (~ ablat + alloc) and 0.0468
  # (~ ablat + year without study 11), both above the value at tau2 = 0
  fx <- readRDS(test_path("fixtures", "diag_metafor.rds"))
  for (ref in fx$multimodal) {
    X <- stats::model.matrix(ref$formula, ref$data)
    f <- fit_g(ref$data$yi, ref$data$vi, X, ref$method)
    expect_equal(f$tau2, ref$tau2, tolerance = 1e-8)
    expect_equal(f$ll_ml, ref$logLik, tolerance = 1e-10)
    expect_equal(f$beta, ref$beta, tolerance = 1e-8)
    expect_gt(f$ll_ml, ref$ll0)
    expect_false(f$boundary)
    # the same with the Brent fallback on every bracket
    b <- fit_g(ref$data$yi, ref$data$vi, X, ref$method, maxiter = 1L)
    expect_true(b$fallback)
    expect_equal(b$tau2, ref$tau2, tolerance = 1e-8)
  }
})

test_that("extreme finite inputs give an error, never non-finite results", {
  y <- c(1e308, -1e308, 1e308); v <- rep(1e-4, 3)
  for (me in names(codes_g))
    expect_error(fit_g(y, v, NULL, me), "`yi` and `vi` are too extreme",
                 label = me)
  expect_error(fit_g(y, v, cbind(1, 1:3), "REML"), "too extreme to pool")
  expect_error(fit_g(c(1e308, 1), c(1e-4, 1e-4), NULL, "FE"),
               "largest \\|yi\\| = 1e\\+308")
  # 1 / vi overflows
  expect_error(fit_g(c(1, 2, 3), c(1e-320, 1e-3, 1e-3), NULL, "DL"),
               "too extreme to pool")
  expect_error(fit_g(c(1, 2, 3), rep(1e-310, 3), NULL, "REML"),
               "too extreme to pool")
  # a fixed tau2 of 1e308: H^2 = tau2 / vt overflows
  expect_error(fit_g(c(1, 2, 3), rep(0.1, 3), NULL, "REML", tau2 = 1e308),
               "`yi`, `vi` and `tau2` are too extreme")
  expect_error(fit_g(c(1, 2, 3), rep(0.1, 3), NULL, "REML",
                     tau2 = .Machine$double.xmax), "tau2 = 1.79")
  # invalid input still reads as such
  expect_error(fit_g(c(1, NaN), c(1, 1), NULL, "DL"), "outside its domain")
  # large or small but representable scales are fitted (the core rescales
  # by a power of 2): equivariance y -> s y, v -> s^2 v
  X <- cbind(1, c(0, 1, 3, 4, 7))
  y0 <- c(1, 2, 4, 2.5, 7); v0 <- c(1, 2, 1, 0.5, 3)
  for (me in c("REML", "ML", "DL", "PM", "SJ", "FE"))
    for (s in c(1e150, 1e-150, 1e100)) {
      a <- fit_g(y0 * s, v0 * s^2, X, me)
      b <- fit_g(y0, v0, X, me)
      info <- paste(me, s)
      expect_equal(a$beta, b$beta * s, tolerance = 1e-12, label = info)
      expect_equal(a$se, b$se * s, tolerance = 1e-12, label = info)
      expect_equal(a$tau2, b$tau2 * s^2, tolerance = 1e-12, label = info)
      expect_equal(a$QE, b$QE, tolerance = 1e-12, label = info)
      expect_equal(a$ll_ml, b$ll_ml - 5 * log(s), tolerance = 1e-12,
                   label = info)
      expect_equal(a$ll_reml, b$ll_reml - 3 * log(s), tolerance = 1e-12,
                   label = info)
      expect_equal(a$weights, b$weights / s^2, tolerance = 1e-12,
                   label = info)
    }
  # so is a fixed tau2 on that scale
  a <- fit_g(y0 * 1e150, v0 * 1e300, NULL, "REML", tau2 = 2e300)
  expect_equal(a$beta, fit_g(y0, v0, NULL, "REML", tau2 = 2)$beta * 1e150)
  # from R
  expect_error(pool(y, v), "`yi` and `vi` are too extreme to pool")
  expect_error(pool(y, v, method = "FE"), "too extreme to pool")
  expect_error(pool(yi, vi, data = data.frame(yi = y, vi = v, x = 1:3),
                    mods = ~ x, method = "ML"), "too extreme to pool")
  expect_error(pool_batch(c(1, 2, y), c(1, 1, v), c(1, 1, 2, 2, 2)),
               "group 2: `yi` and `vi` are too extreme to pool")
  expect_error(nutrievidence:::pool_fit_c(
    c(1, 2, 3), rep(0.1, 3), NULL, nutrievidence:::pool_method_code("REML"),
    0L, FALSE, 0.95, pool_control(), tau2 = 1e308), "too extreme")
})
