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
