# Extra argument validation: each bad input is an error naming the argument.
fx <- readRDS(test_path("fixtures", "dose_dosresmeta.rds"))
alc <- fx$data$alcohol_cvd
fit_f <- function(fm, d = alc) dose_response(fm, id = id, type = type,
  cases = cases, n = n, se = se, data = d)

test_that("dose_response() rejects more than one term on the right", {
  expect_error(fit_f(logrr ~ dose + id),
               "`formula` must have one dose variable on the right \\(got dose \\+ id\\)")
  expect_error(fit_f(logrr ~ dose * id), "`formula` must have one dose")
  expect_error(fit_f(logrr ~ dose:id), "`formula` must have one dose")
  expect_error(fit_f(logrr ~ dose - 1), "`formula` must have one dose")
  expect_error(fit_f(logrr ~ dose | id), "`formula` must have one dose")
  expect_error(fit_f(logrr ~ (dose + id)), "`formula` must have one dose")
  # a transformation of the dose is still one dose variable
  lin <- fit_f(logrr ~ dose)
  expect_equal(unname(coef(fit_f(logrr ~ I(dose / 10)))),
               10 * unname(coef(lin)), tolerance = 1e-6)
})

test_that("intake_usual() needs a finite, not too wide `lambda_range`", {
  set.seed(3)
  d <- data.frame(id = rep(1:20, each = 2), y = exp(rnorm(40, 3, 0.4)))
  expect_error(intake_usual(d, id, y, lambda_range = c(0, Inf)),
               "`lambda_range` must be two finite numbers.*0, Inf")
  expect_error(intake_usual(d, id, y, lambda_range = c(-Inf, 1)),
               "`lambda_range` must be two finite")
  expect_error(intake_usual(d, id, y, lambda_range = c(NA, 1)),
               "`lambda_range` must be two finite")
  expect_error(intake_usual(d, id, y, lambda_range = c(0, 1e6)),
               "`lambda_range` must span at most")
  # the C core checks the range itself
  fitc <- function(range)
    .Call(nutrievidence:::C_intake_usual_fit, c(1, 2, 3, 4, 5, 6),
          c(0L, 2L, 4L), c(2L, 2L, 2L), matrix(1, 3, 1), c(1, 1, 1), FALSE,
          NA_real_, range, 10L)
  expect_type(fitc(c(-1, 1.5)), "list")
  expect_error(fitc(c(0, Inf)), "invalid argument")
  expect_error(fitc(c(-1e308, 1e308)), "invalid argument")
  expect_error(fitc(c(0, 1e6)), "invalid argument")
})

test_that("pool(), pool_counts() and pool_batch() validate `control`", {
  yi <- c(-0.9, -1.6, -1.4, -1.5, -0.2, -0.5, -0.01)
  vi <- c(0.36, 0.20, 0.42, 0.02, 0.05, 0.01, 0.003)
  expect_error(pool(yi, vi, control = list(tol = -1)),
               "`tol` must be a single number in \\(0, 1\\) \\(got -1\\)")
  expect_error(pool(yi, vi, control = list(maxiter = 0)), "`maxiter` must be")
  expect_error(pool(yi, vi, control = "fast"), "`control` must be a list")
  expect_error(pool(yi, vi, control = list(tol = NULL)), "`tol` must be")
  expect_error(pool(yi, vi, control = list(tol = -1), subgroup = rep(1:2, c(3, 4))),
               "`tol` must be")
  # a partial list is completed with the defaults
  expect_equal(pool(yi, vi, control = list(tol = 1e-10))$tau2,
               pool(yi, vi, control = pool_control(tol = 1e-10))$tau2)
  ai <- c(4, 6, 3, 62); n1 <- c(123, 306, 231, 13598)
  ci <- c(11, 29, 11, 248); n2 <- c(139, 303, 220, 12867)
  expect_error(pool_counts(ai, n1, ci, n2, control = list(tol = -1)),
               "`tol` must be")
  expect_error(pool_batch(yi, vi, rep(1:2, c(3, 4)),
                          control = list(maxiter = -5)), "`maxiter` must be")
  expect_error(pool_batch(yi, vi, rep(1:2, c(3, 4)), control = 1),
               "`control` must be a list")
})

test_that("unordered or repeated doses are errors naming `dose`", {
  d <- alc; d$dose[3:4] <- d$dose[4:3]
  expect_error(fit_f(logrr ~ dose, d),
               "`dose` must be increasing within a study; study 1 has dose 45 followed by 27")
  expect_error(dose_covariance(logrr, se, cases, n, type = type, id = id,
                               dose = dose, data = d),
               "`dose` must be increasing within a study; study 1")
  d <- alc; d$dose[2] <- 0
  expect_error(fit_f(logrr ~ dose, d),
               "`dose` must be distinct within a study; study 1")
})
