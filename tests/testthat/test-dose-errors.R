# Dose-response: invalid input is an error that names the study/argument;
# non-convergence is a flag and a warning.
fx <- readRDS(test_path("fixtures", "dose_dosresmeta.rds"))
alc <- fx$data$alcohol_cvd
fit_d <- function(d, ...) dose_response(logrr ~ dose, id = id, type = type,
  cases = cases, n = n, se = se, data = d, ...)

test_that("zero cases, no referent, two referents are errors naming the study", {
  d <- alc; d$cases[3] <- 0
  expect_error(fit_d(d), "study 1, category 3 \\(dose 27\\) has 0 cases")
  d <- alc; d$se[d$id == 2 & d$dose == 0] <- 0.1
  expect_error(fit_d(d), "study 2 has no referent category")
  d <- alc; d$se[2] <- NA
  expect_error(fit_d(d), "study 1 has 2 referent categories")
  d <- alc; d$logrr[1] <- 0.2
  expect_error(fit_d(d), "referent category must have logrr = 0")
  d <- alc[-(2:5), ]
  expect_error(fit_d(d), "study 1 has a single category")
})

test_that("doses must increase and be distinct within a study", {
  d <- alc; d$dose[3:4] <- d$dose[4:3]
  expect_error(fit_d(d), "study 1 has dose 45 followed by 27")
  d <- alc; d$dose[2] <- 0
  expect_error(fit_d(d), "non-referent category at the referent dose 0")
  # a referent listed first but not the lowest dose is accepted
  d <- alc[alc$id == 1, ]
  d$dose[1] <- 10
  d$dose[2] <- 5
  expect_s3_class(fit_d(d), "nev_dose")
})

test_that("argument errors name the argument", {
  expect_error(fit_d(alc, shape = "cubic"), "should be one of")
  expect_error(fit_d(alc, stage = "three"), "should be one of")
  expect_error(dose_response(~dose, data = alc), "two-sided formula")
  expect_error(dose_response(logrr ~ dose, data = as.matrix(alc)), "`data` must be a data frame")
  expect_error(dose_response(logrr ~ nodose, id = id, type = type, cases = cases,
                             n = n, se = se, data = alc), "could not evaluate the dose")
  d <- alc; d$se[2] <- -0.1
  expect_error(fit_d(d), "`se` must not be negative; row 2")
  d <- alc; d$type[1] <- "xx"
  expect_error(fit_d(d), "`type` must be \"cc\", \"ci\" or \"ir\"; row 1")
  d <- alc; d$type[2] <- "ci"
  expect_error(fit_d(d), "study 1 mixes designs")
  d <- alc; d$n[2] <- d$cases[2]
  expect_error(fit_d(d), "`n` must exceed `cases`")
  expect_error(dose_response(logrr ~ dose, id = id, data = alc,
                             covariance = "independent"),
               "give `se`, or both `lower` and `upper`")
  expect_error(dose_response(logrr ~ dose, id = id, type = type, n = n,
                             se = se, data = alc), "`cases` is missing")
  cc <- fx$data$cc_ex
  cc$lb[2] <- 2
  expect_error(dose_response(logrr ~ dose, type = "cc", cases = case, n = n,
                             lower = lb, upper = ub, data = cc),
               "`lower` must be positive and not above `upper`; row 2")
  expect_error(fit_d(alc, level = 1.5), "`level` must be strictly between")
  expect_error(dose_response(logrr ~ dose, se = se[-1], data = alc,
                             covariance = "independent", id = id),
               "`se` must have one value per row")
})

test_that("spline knots are checked; too few studies or categories are errors", {
  expect_error(fit_d(alc, shape = "spline", knots = c(0, 10, 100)),
               "`knots` must lie within the dose range \\[0, 77.16\\]; got 100")
  expect_error(fit_d(alc, shape = "spline", knots = c(0, 10)),
               "at least 3 non-missing values")
  expect_error(fit_d(alc, shape = "spline", knots = c(0, 20, 10)),
               "strictly increasing")
  expect_error(fit_d(alc, shape = "spline", percentiles = c(0.5, 0.9)),
               "`percentiles` must be at least 3 values")
  expect_error(fit_d(alc, shape = "spline", knots = c(0, 10, 20, 30, 40)),
               "needs at least 4 non-referent categories per study; study 2 has 3")
  expect_error(fit_d(alc[alc$id %in% 1:2, ], shape = "quadratic"),
               "too few studies for a random-effects quadratic model: 2 studies")
  expect_s3_class(fit_d(alc[alc$id %in% 1:2, ], shape = "quadratic",
                        method = "FE"), "nev_dose")
})

test_that("covariance failures name the study", {
  # pseudo-counts so large that two correlations round to 1
  d <- data.frame(id = "big", dose = c(0, 1, 2), cases = c(100, 1e15, 1e15),
                  n = c(1e4, 1e17, 1e17), logrr = 0, se = c(NA, 0.1, 0.1))
  expect_error(dose_covariance(logrr, se, cases, n, "ir", id = id,
                               dose = dose, data = d),
               "study big: the reconstructed covariance matrix .* not positive definite")
  # Hamling: no valid counts for an overflowing relative risk
  d <- data.frame(dose = c(0, 1, 2), cases = c(10, 20, 30), n = c(20, 40, 60),
                  logrr = c(0, 0.1, 800), se = c(NA, 0.3, 1))
  expect_error(dose_covariance(logrr, se, cases, n, "cc", dose = dose,
                               data = d, method = "hamling"),
               "study 1: no pseudo-counts reproduce the reported log relative risks and standard errors")
  # GL: an extreme odds ratio cannot be fitted to machine precision: warning
  d <- data.frame(dose = c(0, 1, 2), cases = 5, n = 10,
                  logrr = c(0, 50, -50), se = c(NA, 0.1, 0.1))
  expect_warning(cv <- dose_covariance(logrr, se, cases, n, "cc", dose = dose,
                                       data = d), "did not reach machine precision")
  expect_false(cv$converged[[1]])
})

test_that("the C layer re-checks its input", {
  cov_c <- function(cases, v = c(0, 0.1, 0.1), meth = 0L, start = 0L,
                    len = 3L, ref = 0L, type = 0L, n = c(20, 20, 20))
    .Call(nutrievidence:::C_dose_covariance, c(0, 0.1, 0.2), v, cases, n,
          type, start, len, ref, meth, "S1")
  expect_error(cov_c(c(10, 0, 3)), "study S1, category 2: value outside its domain")
  expect_error(cov_c(c(10, 5, 3), v = c(0, -1, 0.1)), "study S1, category 2")
  expect_error(cov_c(c(10, 5, 3), len = 4L), "invalid layout of study 1")
  expect_error(cov_c(c(10, 5, 3), ref = 3L), "invalid layout of study 1")
  expect_error(cov_c(c(10, 5, 3), type = 9L), "invalid argument")
  expect_error(.Call(nutrievidence:::C_dose_covariance, c(0, 0.1), c(0, 0.1),
                     NULL, NULL, 0L, 0L, 2L, 0L, 0L, "S1"),
               "`cases` and `n` are needed")
  ind <- .Call(nutrievidence:::C_dose_covariance, c(0, 0.1), c(0, 0.1),
               NULL, NULL, 0L, 0L, 2L, 0L, 2L, "S1")
  expect_equal(ind$S[[1]], matrix(0.1))
  # GLS: collinear design columns
  X <- cbind(c(0, 1, 2), c(0, 2, 4))
  expect_error(.Call(nutrievidence:::C_dose_fit, c(0, 0.1, 0.2), c(0, 0.1, 0.1),
                     NULL, NULL, X, 0L, 0L, 3L, 0L, 2L, 0L, c(1e-8, 100), "S1"),
               "study S1: the dose-response coefficients are not estimable")
  expect_error(.Call(nutrievidence:::C_dose_fit, c(0, 0.1, 0.2), c(0, 0.1, 0.1),
                     NULL, NULL, X[, 1], 0L, 0L, 3L, 0L, 2L, 0L, c(1e-8, 100), "S1"),
               "`X` must be a double matrix")
  # one-stage: collinear columns make the pooled information singular
  expect_error(.Call(nutrievidence:::C_dose_fit1, c(0, 0.1, 0.2, 0, 0.3),
                     c(0, 0.1, 0.1, 0, 0.2), NULL, NULL,
                     rbind(X, c(0, 0), c(3, 6)), c(0L, 0L), c(0L, 3L),
                     c(3L, 2L), c(0L, 0L), 2L, 2L, c(1e-8, 100), c("S1", "S2")),
               "the one-stage model is not estimable")
  expect_error(.Call(nutrievidence:::C_dose_fit1, c(0, 0.1), c(0, 0.1), NULL,
                     NULL, matrix(c(0, 1), 2), 0L, 0L, 2L, 0L, 0L, 0L,
                     c(1e-8, 100), "S1"), "`cases` and `n` are needed")
  expect_error(.Call(nutrievidence:::C_dose_fit1, c(0, 0.1), c(0, 0.1), NULL,
                     NULL, c(0, 1), 0L, 0L, 2L, 0L, 2L, 0L,
                     c(1e-8, 100), "S1"), "`X` must be a double matrix")
  expect_error(.Call(nutrievidence:::C_dose_fit1, c(0, 0.1), c(0, 0.1), NULL,
                     NULL, matrix(0, 2, 0), 0L, 0L, 2L, 0L, 2L, 0L,
                     c(1e-8, 100), "S1"), "no columns")
  expect_error(.Call(nutrievidence:::C_dose_fit1, c(0, 0.1), c(0, 0.1), NULL,
                     NULL, matrix(c(0, 1), 2), 0L, 0L, 2L, 0L, 2L, 0L,
                     c(-1, 100), "S1"), "invalid argument")
  expect_error(.Call(nutrievidence:::C_dose_fit, c(0, 0.1, 0.2), c(0, 0.1, 0.1),
                     NULL, NULL, X[, 1, drop = FALSE], 0L, 0L, 3L, 0L, 2L, 0L,
                     c(-1, 100), "S1"), "invalid argument")
  expect_error(.Call(nutrievidence:::C_dose_fit, c(0, 0.1, 0.2), c(0, 0.1, 0.1),
                     NULL, NULL, X[, 1, drop = FALSE], 0L, 0L, 3L, 0L, 0L, 0L,
                     c(1e-8, 100), "S1"), "`cases` and `n` are needed")
  expect_error(.Call(nutrievidence:::C_dose_fit, c(0, 0.1, 0.2), c(0, 0.1, 0.1),
                     NULL, NULL, matrix(0, 3, 0), 0L, 0L, 3L, 0L, 2L, 0L,
                     c(1e-8, 100), "S1"), "no columns")
})

test_that("non-convergence is a flag and a warning, not an error", {
  expect_warning(f <- fit_d(alc, shape = "quadratic",
                            control = list(maxiter = 1, tol = 1e-300)),
                 "did not converge")
  expect_false(f$converged)
  expect_output(print(f), "did not converge")
  expect_output(print(summary(f)), "did not converge")
})
