# effect_ci() on a data frame with no rows gives no rows, as effect_counts(),
# effect_means() and effect_p() do, instead of a recycling error.

test_that("effect_ci() with 0 rows of data returns 0 rows", {
  d <- data.frame(or = c(1.2, 0.8), lower = c(0.9, 0.6), upper = c(1.6, 1.07))
  es <- effect_ci(or, lower, upper, data = d[0, ])
  expect_s3_class(es, "nev_effect")
  expect_identical(nrow(es), 0L)
  expect_true(all(c("yi", "vi", "sei") %in% names(es)))
  z <- numeric(0)
  expect_identical(nrow(effect_ci(z, z, z, level = 0.9)), 0L)
  # unequal non-scalar lengths are still an error
  expect_error(effect_ci(z, c(0.5, 0.6), c(2, 3)), "same length")
})

test_that("print.nev_effect() shows the first n rows of a long table", {
  k <- 30L
  es <- effect_counts(rep(5, k), rep(50, k), rep(10, k), rep(50, k),
                      measure = "OR")
  out <- capture.output(print(es))
  # header, column names, 20 rows, the note
  expect_identical(length(out), 23L)
  expect_match(out[23], "# ... 10 more rows; print(x, n = Inf) shows all",
               fixed = TRUE)
  expect_identical(length(capture.output(print(es, n = Inf))), k + 2L)
  expect_identical(length(capture.output(print(es[1:3, ]))), 5L)
  expect_error(print(es, n = 0), "`n` must be a number of rows")
})

test_that("effect measures are matched without regard to case", {
  # log OR of 4/119 vs 11/128 and its variance, by hand
  es <- effect_counts(4, 123, 11, 139, measure = "or")
  expect_equal(es$yi, log((4 * 128) / (119 * 11)), tolerance = 1e-12)
  expect_equal(es$vi, 1 / 4 + 1 / 119 + 1 / 11 + 1 / 128, tolerance = 1e-12)
  expect_identical(attr(es, "measure"), "OR")
  hr <- effect_ci(0.43, 0.24, 0.77, measure = "hr")
  expect_identical(attr(hr, "measure"), "HR")
  expect_equal(hr$sei, (log(0.77) - log(0.24)) / (2 * qnorm(0.975)),
               tolerance = 1e-12)
  expect_error(effect_counts(4, 123, 11, 139, measure = "odds"),
               "`measure` should be one of \"RR\", \"OR\", \"RD\" \\(got \"odds\"\\)")
})

test_that("character input to effect_*() says what it holds", {
  expect_error(effect_p(1.2, p = "<0.05"),
               "`p` must be numeric \\(got character, e.g. \"<0.05\"\\); a bound")
  expect_error(effect_p(1.2, p = "0.04", data = data.frame(x = 1)),
               "\"0.04\"\\); convert it with as.numeric\\(\\)")
  d <- data.frame(est = 1.2, lo = 0.9, hi = 1.6)
  expect_error(effect_ci("estimate", lo, hi, data = d),
               "`estimate` must be numeric .*`data` has no column \"estimate\"")
  # the string form of an existing column still works: log(1.2), by hand
  expect_equal(effect_ci("est", "lo", "hi", data = d)$yi, log(1.2))
})
