# Adversarial arguments to the .Call entry points: each must raise an R
# error, never read or write out of bounds or abort the session.

imax <- .Machine$integer.max

test_that("dose layouts with start + len beyond INT_MAX are rejected", {
  y <- c(0, 0.1, 0.2); v <- c(0, 0.1, 0.1)
  cases <- c(10, 5, 3); n <- c(20, 20, 20)
  cov_c <- function(start, len)
    .Call(nutrievidence:::C_dose_covariance, y, v, cases, n, 0L, start, len,
          0L, 0L, "S1")
  expect_error(cov_c(imax, 2L), "invalid layout of study 1")
  expect_error(cov_c(imax, imax), "invalid layout of study 1")
  expect_error(cov_c(1L, imax), "invalid layout of study 1")
  expect_error(cov_c(3L, 2L), "invalid layout of study 1")
  expect_error(cov_c(NA_integer_, 3L), "invalid layout of study 1")
  expect_type(cov_c(0L, 3L), "list")
  X <- matrix(c(0, 1, 2), 3)
  fit_c <- function(entry, start, len)
    .Call(entry, y, v, NULL, NULL, X, 0L, start, len, 0L, 2L, 0L,
          c(1e-8, 100), "S1")
  expect_error(fit_c(nutrievidence:::C_dose_fit, imax, 2L),
               "invalid layout of study 1")
  expect_error(fit_c(nutrievidence:::C_dose_fit, 2L, imax),
               "invalid layout of study 1")
  expect_error(fit_c(nutrievidence:::C_dose_fit1, imax, 2L),
               "invalid layout of study 1")
  expect_error(fit_c(nutrievidence:::C_dose_fit1, 2L, imax),
               "invalid layout of study 1")
})
