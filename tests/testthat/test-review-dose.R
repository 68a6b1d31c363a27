# predict() on a non-linear dose-response curve warns when it extrapolates.

alc <- data.frame(
  id = rep(1:3, c(5, 4, 4)), type = "cc",
  dose = c(0, 9.06, 27, 45, 64.8, 0, 16.05, 46.425, 77.16,
           0, 1.176, 8.916, 18.72),
  cases = c(126, 61, 69, 22, 19, 77, 88, 24, 13, 83, 46, 17, 4),
  n = c(414, 261, 228, 44, 34, 258, 413, 202, 64, 208, 175, 58, 11),
  logrr = c(0, -0.2231435, -1e-04, 0.5306283, 0.8754687, 0, -0.4307829,
            -1.07881, -0.6161861, 0, -0.5798185, -0.5621189, 0.6151856),
  se = c(NA, 0.223338, 0.2337519, 0.3765137, 0.4440046, NA, 0.2213052,
         0.2975654, 0.3870792, NA, 0.317147, 0.418614, 0.9091006))

test_that("a spline curve predicted beyond the data warns, inside does not", {
  sp <- dose_response(logrr ~ dose, id = id, type = type, cases = cases,
                      n = n, se = se, data = alc, shape = "spline")
  expect_warning(p <- predict(sp, dose = c(0, 10, 45, 180), ref = 0),
                 "extrapolated beyond the doses of the data \\(0 to 77.16\\) to 180")
  expect_identical(nrow(p), 4L)
  expect_no_warning(predict(sp, dose = c(0, 10, 45, 77.16), ref = 0))
  expect_warning(predict(sp, dose = 70, delta = 10), "to 80")
  # a straight line is its own extrapolation: no warning
  li <- dose_response(logrr ~ dose, id = id, type = type, cases = cases,
                      n = n, se = se, data = alc)
  expect_no_warning(predict(li, dose = 180))
})

test_that("predict() errors on `ref` and `delta` say what was supplied", {
  li <- dose_response(logrr ~ dose, id = id, type = type, cases = cases,
                      n = n, se = se, data = alc)
  expect_error(predict(li, dose = 10, ref = NA),
               "`ref` must be a single finite dose \\(got NA\\)")
  expect_error(predict(li, dose = 10, ref = c(0, 5)),
               "`ref` must be a single finite dose \\(got 2 values\\)")
  expect_error(predict(li, dose = 10, delta = Inf),
               "`delta` must be a single finite number \\(got Inf\\)")
})

test_that("dose_response() input errors name the argument", {
  # a bare column instead of a formula
  expect_error(dose_response(logrr, id = id, type = type, cases = cases,
                             n = n, se = se, data = alc),
               "`formula` must be a two-sided formula .*\\(got logrr\\)")
  # percentiles given as percentages
  expect_error(dose_response(logrr ~ dose, id = id, type = type,
                             cases = cases, n = n, se = se, data = alc,
                             shape = "spline", percentiles = c(10, 50, 90)),
               "`percentiles` .*\\(got 10, 50, 90\\)")
})

test_that("tidy() of a dose-response fit can exponentiate", {
  cc <- data.frame(dose = c(0, 2, 6, 11), case = c(165, 74, 90, 122),
                   n = c(337, 167, 186, 212), rr = c(1, 0.8, 1.16, 1.57),
                   lb = c(1, 0.51, 0.73, 0.99), ub = c(1, 1.27, 1.85, 2.51))
  fit <- dose_response(log(rr) ~ dose, type = "cc", cases = case, n = n,
                       lower = lb, upper = ub, data = cc,
                       covariance = "independent")
  # independent log RRs: weighted least squares through the origin
  y <- log(cc$rr[-1]); x <- cc$dose[-1]
  v <- ((log(cc$ub[-1]) - log(cc$lb[-1])) / (2 * qnorm(0.975)))^2
  b <- sum(x * y / v) / sum(x^2 / v)
  s <- sqrt(1 / sum(x^2 / v))
  td <- tidy(fit, exponentiate = TRUE)
  expect_equal(td$estimate, exp(b), tolerance = 1e-6)
  expect_equal(c(td$conf.low, td$conf.high),
               exp(b + c(-1, 1) * qnorm(0.975) * s), tolerance = 1e-6)
  expect_equal(td$std.error, s, tolerance = 1e-6)
})

test_that("summary() of a dose_curve() fit is a summary, not a list dump", {
  d <- c(0, 10, 30, 100, 300)
  y <- c(1, 5, 11, 17, 19)
  cu <- dose_curve(d, y, shape = "emax")
  s <- summary(cu)
  expect_s3_class(s, "summary.nev_curve")
  # the same Emax model by stats::nls()
  ref <- stats::nls(y ~ e0 + emax * d / (ed50 + d),
                    start = list(e0 = 1, emax = 20, ed50 = 30))
  tab <- summary(ref)$coefficients
  expect_equal(s$coefficients$estimate, unname(tab[, 1]), tolerance = 1e-5)
  expect_equal(s$coefficients$std.error, unname(tab[, 2]), tolerance = 1e-4)
  expect_equal(unname(s$correlation), unname(stats::cov2cor(vcov(ref))),
               tolerance = 1e-4)
  out <- capture.output(print(s))
  expect_true(any(grepl("^Converged: yes", out)))
  expect_true(any(grepl("Correlation of the estimates", out)))
})
