# z for a 95% and a 90% interval, from published normal tables (to 16 digits)
z975 <- 1.959963984540054
z95 <- 1.6448536269514722

test_that("effect_ci recovers log estimate, SE and symmetry (closed form)", {
  # Rotterdam: RR 0.43 (0.24-0.77)
  r <- effect_ci(0.43, 0.24, 0.77)
  l <- log(0.24)
  u <- log(0.77)
  y <- log(0.43)
  expect_equal(r$yi, y, tolerance = 1e-14)
  expect_equal(r$sei, (u - l) / (2 * z975), tolerance = 1e-14)
  expect_equal(r$vi, ((u - l) / (2 * z975))^2, tolerance = 1e-14)
  expect_equal(r$asymmetry, ((u - y) - (y - l)) / ((u - l) / 2),
               tolerance = 1e-12)
  expect_lt(abs(r$asymmetry), 0.01)
  # Gast 2009: HR 0.91 (0.85-1.00): the upper arm is longer
  g <- effect_ci(0.91, 0.85, 1.00, measure = "HR")
  expect_equal(g$asymmetry, (-2 * log(0.91) + log(0.85)) /
                 (-log(0.85) / 2), tolerance = 1e-12)
  expect_gt(g$asymmetry, 0.1)
  # an interval built symmetric on the log scale gives asymmetry 0
  s <- effect_ci(exp(0.3), exp(0.3 - z975 * 0.2), exp(0.3 + z975 * 0.2))
  expect_equal(s$sei, 0.2, tolerance = 1e-12)
  expect_lt(abs(s$asymmetry), 1e-12)
})

test_that("per-row level, difference measures and data columns", {
  r <- effect_ci(c(2, 2), c(1, 1), c(3, 3), level = c(0.95, 0.90),
                 measure = "MD")
  expect_equal(r$yi, c(2, 2))
  expect_equal(r$sei, c(1 / z975, 1 / z95), tolerance = 1e-14)
  expect_equal(r$asymmetry, c(0, 0))
  expect_identical(attr(r, "scale"), "linear")
  d <- data.frame(hr = c(0.91, 1.42), lo = c(0.85, 1.18), hi = c(1, 1.71),
                  lev = c(0.95, 0.9))
  a <- effect_ci(hr, lo, hi, level = lev, measure = "HR", data = d)
  b <- effect_ci("hr", "lo", "hi", level = "lev", measure = "HR", data = d)
  expect_identical(a, b)
  expect_equal(a$sei, (log(d$hi) - log(d$lo)) / (2 * c(z975, z95)),
               tolerance = 1e-14)
  expect_named(a, c(names(d), "yi", "vi", "sei", "asymmetry", "measure"))
  expect_output(print(a), "measure HR, yi on the log scale")
  # 99% interval: compared with R's own quantile
  r <- effect_ci(1.5, 1.1, 2.2, level = 0.99, measure = "OR")
  expect_equal(r$sei, log(2.2 / 1.1) / (2 * qnorm(0.995)),
               tolerance = 1e-13)
})

test_that("effect_p recovers the SE from a two-sided p (closed form)", {
  r <- effect_p(1.10, 0.2, measure = "OR")
  expect_equal(r$yi, log(1.1), tolerance = 1e-14)
  expect_equal(r$sei, log(1.1) / 1.2815515655446004, tolerance = 1e-14)
  expect_equal(r$vi, r$sei^2)
  r <- effect_p(-1.2, 0.05, measure = "MD")
  expect_equal(r$sei, 1.2 / z975, tolerance = 1e-14)
  # round trip through a Wald p computed from effect_ci's SE
  ci <- effect_ci(c(0.43, 1.42), c(0.24, 1.18), c(0.77, 1.71))
  p <- 2 * pnorm(-abs(ci$yi) / ci$sei)
  expect_equal(effect_p(c(0.43, 1.42), p)$sei, ci$sei, tolerance = 1e-12)
  # very small p stays accurate (upper-tail quantile)
  r <- effect_p(3, 1e-20, measure = "RR")
  expect_equal(r$sei, log(3) / qnorm(5e-21, lower.tail = FALSE),
               tolerance = 1e-13)
})

test_that("effect_p gives NA with a warning when p carries no SE", {
  w <- effect_warnings(effect_p(c(1, 1.2, 1.3), c(0.5, 1, 0.04)))
  expect_length(w$warnings, 1L)
  expect_match(w$warnings, "no standard error, set to NA: rows 1 and 2$")
  expect_identical(is.na(w$value$sei), c(TRUE, TRUE, FALSE))
  expect_equal(w$value$yi[1:2], log(c(1, 1.2)))
  d <- data.frame(est = c(0.8, NA), pv = c(0.01, 0.2))
  w <- effect_warnings(effect_p(est, pv, data = d))
  expect_match(w$warnings, "missing values and gives NA: row 2")
  expect_identical(is.na(w$value$yi), c(FALSE, TRUE))
})

test_that("NA rows in effect_ci are kept with a warning naming them", {
  w <- effect_warnings(effect_ci(c(0.5, NA, 0.7), c(0.3, 0.5, NA),
                                 c(0.9, 0.9, 0.9)))
  expect_match(w$warnings,
               "2 rows have missing values and give NA: rows 2 and 3")
  expect_identical(is.na(w$value$sei), c(FALSE, TRUE, TRUE))
})
