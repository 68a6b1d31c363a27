# dose_pk(): closed forms and brute-force superposition.
test_that("a single bolus decays exponentially; superposition by brute force", {
  p <- dose_pk(100, interval = 24, half_life = 10, volume = 5, n_doses = 1,
               times = c(0, 10, 20, 50))
  expect_equal(p$profile$concentration, 20 * 0.5^(c(0, 10, 20, 50) / 10))
  tt <- c(0, 5, 23.9, 24, 30, 100, 200, 500)
  r <- dose_pk(100, interval = 24, half_life = 10, bioavailability = 0.8,
               volume = 5, n_doses = 7, times = tt)
  k <- log(2) / 10
  brute <- vapply(tt, function(t) {
    td <- (0:6) * 24
    sum(ifelse(t >= td, 0.8 * 100 / 5 * exp(-k * (t - td)), 0))
  }, 0)
  expect_equal(r$profile$concentration, brute, tolerance = 1e-12)
  expect_equal(dose_pk(1, 1, 1, times = -1)$profile$concentration, 0)
})

test_that("first-order absorption sums Bateman functions (and the ka = k limit)", {
  tt <- c(0, 1, 3, 24, 25, 60, 200)
  k <- log(2) / 12; ka <- log(2) / 1.5
  r <- dose_pk(50, interval = 24, half_life = 12, absorption_half_life = 1.5,
               volume = 2, n_doses = 3, times = tt)
  bateman <- function(s) ifelse(s >= 0, 50 * ka / (2 * (ka - k)) *
                                  (exp(-k * s) - exp(-ka * s)), 0)
  brute <- vapply(tt, function(t) sum(bateman(t - (0:2) * 24)), 0)
  expect_equal(r$profile$concentration, brute, tolerance = 1e-12)
  # ka = k: limit F D k t exp(-k t) / V
  same <- dose_pk(50, 24, 12, absorption_half_life = 12, n_doses = 2, times = tt)
  lim <- function(s) ifelse(s >= 0, 50 * k * s * exp(-k * s), 0)
  expect_equal(same$profile$concentration,
               vapply(tt, function(t) sum(lim(t - c(0, 24))), 0), tolerance = 1e-12)
  near <- dose_pk(50, 24, 12, absorption_half_life = 12 * (1 + 1e-6), n_doses = 2,
                  times = tt)
  expect_equal(same$profile$concentration, near$profile$concentration,
               tolerance = 1e-5)
})

test_that("accumulation, time to 90% and steady-state average follow closed forms", {
  k <- log(2) / 68
  mk7 <- dose_pk(100, interval = 24, half_life = 68, n_doses = 60,
                 times = c(24 * 1 - 1e-9, 24 * 60 - 1e-9))
  expect_equal(mk7$accumulation, 1 / (1 - exp(-k * 24)))
  # ratio of the trough after 60 doses to the first trough
  tr <- mk7$profile$concentration
  expect_equal(tr[2] / tr[1], mk7$accumulation, tolerance = 1e-6)
  expect_equal(mk7$time_to_90, 68 * log(10) / log(2))
  expect_equal(mk7$doses_to_90, 10L)
  # trough after doses_to_90 doses is within 10% of steady state, before is not
  n <- mk7$doses_to_90
  frac <- function(m) 1 - exp(-k * m * 24)
  expect_true(frac(n) >= 0.9 && frac(n - 1) < 0.9)
  # average over a steady-state interval equals F D / (V k tau)
  ss <- dose_pk(100, 24, 68, absorption_half_life = 2, bioavailability = 0.5,
                n_doses = 200, times = seq(199 * 24, 200 * 24, length.out = 4001))
  avg <- mean(ss$profile$concentration[-1] + ss$profile$concentration[-4001]) / 2
  expect_equal(avg, ss$css_average, tolerance = 1e-6)
  expect_equal(ss$css_average, 0.5 * 100 / (k * 24))
  mk4 <- dose_pk(100, 24, 1.5, n_doses = 5)
  expect_lt(mk4$accumulation, 1.0001)
  expect_equal(mk4$n_doses, 5L)
  expect_equal(nrow(mk4$profile), 1001L)
  expect_equal(dose_pk(1, 24, 68)$n_doses, as.integer(ceiling(2 * 68 * log(10) / log(2) / 24)))
})

test_that("print, plot and bad input", {
  p <- dose_pk(100, 24, 68, absorption_half_life = 2, n_doses = 3)
  expect_output(print(p), "accumulation ratio")
  expect_output(print(dose_pk(1, 24, 3)), "\\(bolus\\)")
  pdf(NULL)
  on.exit(dev.off())
  expect_invisible(res <- plot(p))
  expect_named(res, c("time", "concentration"))
  expect_error(dose_pk(-1, 24, 3), "`dose` must be a single non-negative")
  expect_error(dose_pk(1, 0, 3), "`interval` must be a single positive")
  expect_error(dose_pk(1, 24, c(1, 2)), "`half_life` must be a single positive finite number; got 2 values")
  expect_error(dose_pk(1, 24, 3, bioavailability = 2), "in \\(0, 1\\]")
  expect_error(dose_pk(1, 24, 3, n_doses = 1.5), "whole number")
  expect_error(dose_pk(1, 24, 3, times = c(1, Inf)), "`times` must be finite")
  expect_error(.Call(nutrievidence:::C_dose_pk, 1, c(1, 24, -1, 0, 1, 1), 1L),
               "invalid argument")
  expect_error(.Call(nutrievidence:::C_dose_pk, NaN, c(1, 24, 1, 0, 1, 1), 1L),
               "outside its domain")
})
