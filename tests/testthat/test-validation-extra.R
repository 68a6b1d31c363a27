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
