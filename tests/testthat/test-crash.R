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

test_that("intake_simulate caps `threads`", {
  f <- function(threads)
    .Call(nutrievidence:::C_intake_simulate, 1, 0.5, 0L, 10, 0, 0L, 1, 0,
          0, 0, 10, 1L, threads)
  expect_error(f(imax), "`threads` must be between 1 and 1024")
  expect_error(f(1025L), "`threads` must be between 1 and 1024")
  expect_length(f(1L)$intake, 10)
  d <- data.frame(food = "a", p_day = 0.5, portion_g = 30, portion_sd = 0,
                  portion_dist = "fixed", content_ug_per_g = 1,
                  content_sd = 0, content_dist = "fixed")
  expect_error(intake_simulate(d, threads = imax),
               "`threads` must be a whole number between 1 and 1024")
  expect_error(intake_simulate(d, threads = 1e5), "got 1e\\+05")
  expect_error(intake_simulate(d, threads = Inf), "`threads`")
})

test_that("usual-intake recall layouts are checked before any copying", {
  y <- c(1, 2, 3, 4, 5, 6)
  x1 <- matrix(1, 3, 1)
  boot_c <- function(start, nrec, K = 10L, episodic = FALSE, x = x1)
    .Call(nutrievidence:::C_intake_usual_boot, y, start, nrec, x,
          rep(1, nrow(x)), episodic, NA_real_, c(-1, 1.5), 10L, K, 0.5, 2L)
  fit_c <- function(start, nrec)
    .Call(nutrievidence:::C_intake_usual_fit, y, start, nrec, x1,
          c(1, 1, 1), FALSE, NA_real_, c(-1, 1.5), 10L)
  expect_error(boot_c(c(0L, 2L, imax), c(2L, 2L, 2L)),
               "person 3: .* do not lie within the 6 recalls")
  expect_error(boot_c(c(0L, 2L, 4L), c(2L, 2L, imax)), "person 3")
  expect_error(boot_c(c(0L, 2L, 5L), c(2L, 2L, 2L)), "person 3")
  expect_error(boot_c(c(0L, 2L, 7L), c(2L, 2L, 0L)), "person 3")
  expect_error(fit_c(c(0L, imax, 4L), c(2L, 2L, 2L)), "person 2")
  expect_error(fit_c(c(0L, 2L, 4L), c(2L, imax, 2L)), "person 2")
  b <- suppressWarnings(boot_c(c(0L, 2L, 4L), c(2L, 2L, 2L)))
  expect_equal(dim(b$q), c(2L, 1L))
})

test_that("the usual-intake sample size cannot overflow", {
  x <- cbind(1, c(0, 1, 0, 1, 0))
  f <- function(K)
    .Call(nutrievidence:::C_intake_usual_sample, 0.5, c(1, 0.1), 0.1, 0.2,
          TRUE, c(0, 0), 0.1, x, rep(1, 5), K, 10L)
  expect_error(f(imax), "`K` = 2147483647 is too large")
  expect_length(f(3L)$u, 5 * 3 * 3)
  boot_c <- function(K)
    .Call(nutrievidence:::C_intake_usual_boot, c(1, 2, 3, 4, 5, 6),
          c(0L, 2L, 4L), c(2L, 2L, 2L), cbind(1, c(0, 1, 0)), c(1, 1, 1),
          TRUE, NA_real_, c(-1, 1.5), 10L, K, 0.5, 2L)
  expect_error(boot_c(imax), "`K` = 2147483647 is too large")
})

test_that("pool_batch caps `threads`", {
  b_c <- function(threads)
    .Call(nutrievidence:::C_pool_batch, c(1, 2), c(1, 1), c(0L, 2L), 2L, 0L,
          FALSE, 0.95, 1e-12, 10L, threads)
  expect_error(b_c(imax), "`threads` must be between 1 and 1024")
  expect_error(b_c(1025L), "`threads` must be between 1 and 1024")
  expect_error(b_c(NA_integer_), "`threads`")
  expect_s3_class(as.data.frame(b_c(1L)), "data.frame")
  expect_error(pool_batch(c(1, 2), c(1, 1), c(1, 1), threads = 1e5),
               "`threads` must be a single whole number between 1 and 1024")
  expect_error(pool_batch(c(1, 2), c(1, 1), c(1, 1), threads = 1025),
               "got 1025")
})
