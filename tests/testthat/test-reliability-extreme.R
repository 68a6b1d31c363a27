# Extreme but valid inputs: each result equals what the estimator gives by
# its definition, computed independently, or the call says why it cannot.

bcg <- function() list(yi = plot_bcg_yi, vi = plot_bcg_vi)

# The Paule-Mandel / empirical Bayes root of Q(tau2) = k - 1, by uniroot()
# on the definition (0 when Q(0) <= k - 1).
pm_by_definition <- function(yi, vi) {
  q <- function(t2) {
    w <- 1 / (vi + t2)
    sum(w * (yi - sum(w * yi) / sum(w))^2) - (length(yi) - 1)
  }
  if (q(0) <= 0) return(0)
  stats::uniroot(q, c(0, 100), tol = 1e-14)$root
}

test_that("a study with a variance of 1e20 or 1e100 gets no weight (REML, ML)", {
  b <- bcg()
  for (big in c(1e18, 1e20, 1e100, 1e300)) {
    vi <- b$vi
    vi[3] <- big
    for (m in c("REML", "ML")) {
      f <- pool(b$yi, vi, method = m)
      f0 <- pool(b$yi[-3], b$vi[-3], method = m)
      expect_equal(f$tau2, f0$tau2, tolerance = 1e-9,
                   label = paste(m, "tau2, vi[3] =", big))
      expect_equal(unname(coef(f)), unname(coef(f0)), tolerance = 1e-9,
                   label = paste(m, "estimate, vi[3] =", big))
      expect_true(f$converged)
    }
  }
})

test_that("PM and EB with a variance of 1e18 solve their own equation", {
  b <- bcg()
  for (big in c(1e18, 1e20, 1e100)) {
    vi <- b$vi
    vi[3] <- big
    # the study carries no weight in Q but still counts in k - 1
    ref <- pm_by_definition(b$yi, vi)
    for (m in c("PM", "EB")) {
      expect_equal(pool(b$yi, vi, method = m)$tau2, ref, tolerance = 1e-9,
                   label = paste(m, "vi[3] =", big))
    }
  }
})

test_that("tiny variances: REML stays REML and ML stays ML", {
  b <- bcg()
  # as vi -> 0, REML -> the sample variance of yi and ML -> (k-1)/k of it
  s2 <- stats::var(b$yi)
  k <- length(b$yi)
  for (s in c(1e-10, 1e-100, 1e-200)) {
    expect_equal(pool(b$yi, b$vi * s, method = "REML")$tau2, s2,
                 tolerance = 1e-8, label = paste("REML, vi x", s))
    expect_equal(pool(b$yi, b$vi * s, method = "ML")$tau2, s2 * (k - 1) / k,
                 tolerance = 1e-8, label = paste("ML, vi x", s))
  }
  # beyond what double precision can weigh: an error, never a value
  # computed by another estimator
  expect_error(pool(b$yi, b$vi * 1e-300, method = "REML"),
               "too extreme to pool")
})

test_that("pool_counts(revman = TRUE) with an NA row: one weight per table", {
  d <- data.frame(a = c(2, 0, NA, 5, 3), n1 = 20, c = c(4, 3, 2, 0, 6),
                  n2 = 20)
  f <- suppressWarnings(pool_counts(a, n1, c, n2, data = d, revman = TRUE))
  f0 <- pool_counts(a, n1, c, n2, data = d[-3, ], revman = TRUE)
  expect_length(f$weights, 4L)
  expect_equal(f$weights, f0$weights)
  expect_equal(coef(f), coef(f0))
})

test_that("claim_check(): p = 0, '<0', '>1' and 1e-310 are read honestly", {
  # a numeric 0 (a column read from "0.000") warns and means p < 0.0005
  expect_warning(r <- claim_check(0.8, 0.7, 0.9, p = 0), "`p` is 0 in row 1")
  expect_equal(c(r$p_reported_low, r$p_reported_high), c(0, 0.0005),
               tolerance = 1e-12)
  r3 <- claim_check(0.8, 0.7, 0.9, p = "0.000")
  expect_identical(r$p_reported_high, r3$p_reported_high)
  expect_identical(r$verdict, r3$verdict)
  expect_error(claim_check(0.8, 0.7, 0.9, p = "<0"), "`p` cannot be below 0")
  expect_error(claim_check(0.8, 0.7, 0.9, p = ">1"), "`p` cannot be above 1")
  expect_error(claim_check(0.8, 0.7, 0.9, p = "1e-310"),
               "`p` below 1e-300 cannot be checked")
  expect_error(claim_check(0.8, 0.7, 0.9, p = 1e-310),
               "`p` below 1e-300 cannot be checked")
})

test_that("ML finds its interior maximum next to a study of variance 1e143", {
  # found by the property tests: the grid of the ML search was stretched
  # by the largest variance and stepped over the maximum (tau2 = 0 instead)
  y <- c(0, 0, -1.033087, 0, 0, -2.0899223, -1.7218796, -2.5020745,
         -0.9503949, -1.3179108, 0)
  v <- c(0.5005, 0.5005, 0.5005, 0.5005, 0.5005, 0.309815011, 0.004198397,
         0.297626147, 0.5005, 0.913067701, 0.899790041)
  for (m in c("ML", "REML")) {
    expect_equal(pool(c(y, 0), c(v, 1e143), method = m)$tau2,
                 pool(y, v, method = m)$tau2, tolerance = 1e-9, label = m)
  }
})
