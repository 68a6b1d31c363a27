# dose_curve(): nonlinear least squares checked against stats::nls on the
# same data, ED values against closed forms, predictions by brute force.
set.seed(20261121)
x <- rep(c(0, 5, 10, 25, 50, 100, 200), each = 3)
y_emax <- 1 + 6 * x / (20 + x) + rnorm(length(x), sd = 0.4)
y_sig <- 1 + 6 * x^2 / (20^2 + x^2) + rnorm(length(x), sd = 0.3)
y_exp <- 0.5 + 0.8 * (exp(x / 100) - 1) + rnorm(length(x), sd = 0.2)
se <- runif(length(x), 0.2, 0.6)
# nls cannot meet a tight relative-offset criterion once at the optimum
# (rounding): let it stop there with a warning and check how close it got.
nls_ctl <- nls.control(tol = 1e-9, maxiter = 200, minFactor = 1e-12,
                       warnOnly = TRUE)

chk_nls <- function(fit, ref, ll_offset = 0) {
  cf <- summary(ref)$coefficients
  expect_equal(as.numeric(logLik(fit)), as.numeric(logLik(ref)) + ll_offset,
               tolerance = 1e-8)
  expect_lt(ref$convInfo$finTol, 1e-7)
  expect_true(fit$converged)
  expect_equal(unname(coef(fit)), unname(cf[, 1]), tolerance = 1e-6)
  expect_equal(unname(sqrt(diag(vcov(fit)))), unname(cf[, 2]), tolerance = 1e-6)
  expect_equal(fit$sigma, summary(ref)$sigma, tolerance = 1e-6)
}

test_that("unweighted fits agree with nls to 1e-6", {
  chk_nls(dose_curve(x, y_emax, shape = "emax"),
          suppressWarnings(stats::nls(y_emax ~ e0 + emax * x / (ed50 + x),
              start = list(e0 = 0.5, emax = 5, ed50 = 15), control = nls_ctl)))
  chk_nls(dose_curve(x, y_sig, shape = "sigmoid_emax"),
          suppressWarnings(stats::nls(y_sig ~ e0 + emax * x^h / (ed50^h + x^h),
              start = list(e0 = 1, emax = 5, ed50 = 15, h = 1.5),
              control = nls_ctl)))
  chk_nls(dose_curve(x, y_sig, shape = "loglogistic4"),
          suppressWarnings(stats::nls(y_sig ~ c + (d - c) / (1 + exp(b * (log(x) - log(e)))),
              start = list(b = -1.5, c = 1, d = 6, e = 15), control = nls_ctl)))
  chk_nls(dose_curve(x, y_exp, shape = "exponential"),
          suppressWarnings(stats::nls(y_exp ~ e0 + e1 * (exp(x / delta) - 1),
              start = list(e0 = 0.5, e1 = 1, delta = 120), control = nls_ctl)))
  lin <- dose_curve(x, y_exp, shape = "linear")
  ols <- summary(lm(y_exp ~ x))$coefficients
  expect_equal(unname(coef(lin)), unname(ols[, 1]), tolerance = 1e-10)
  expect_equal(unname(sqrt(diag(vcov(lin)))), unname(ols[, 2]), tolerance = 1e-10)
})

test_that("weights and full covariance agree with nls on whitened data", {
  w <- 1 / se^2
  fit <- dose_curve(x, y_emax, se = se, shape = "emax", scale = TRUE)
  ref <- suppressWarnings(stats::nls(y_emax ~ e0 + emax * x / (ed50 + x),
    weights = w, start = list(e0 = 0.5, emax = 5, ed50 = 15),
    control = nls_ctl))
  chk_nls(fit, ref)
  # known standard errors: covariance (J'WJ)^-1 without the residual scale
  known <- dose_curve(x, y_emax, se = se, shape = "emax")
  expect_equal(vcov(known), vcov(fit) / fit$sigma^2, tolerance = 1e-10)
  expect_false(known$scale)
  # with the variances known the likelihood is that of independent normals
  mu <- predict(known, dose = x)$estimate
  expect_equal(as.numeric(logLik(known)),
               sum(dnorm(y_emax, mu, se, log = TRUE)), tolerance = 1e-10)
  expect_equal(attr(logLik(known), "df"), 3)
  # full covariance: nls on Cholesky-whitened responses and model
  V <- 0.1 * outer(seq_along(x), seq_along(x), function(i, j) 0.5^abs(i - j)) +
    diag(se^2)
  Li <- solve(t(chol(V)))
  z <- drop(Li %*% y_emax)
  ref2 <- suppressWarnings(stats::nls(z ~ drop(Li %*% (e0 + emax * x / (ed50 + x))),
              start = list(e0 = 0.5, emax = 5, ed50 = 15), control = nls_ctl))
  fit2 <- dose_curve(x, y_emax, vcov = V, shape = "emax", scale = TRUE)
  # the density of y is that of the whitened z times det(V)^(-1/2)
  chk_nls(fit2, ref2, -0.5 * as.numeric(determinant(V)$modulus))
  expect_equal(fit2$weighting, "vcov")
})

test_that("ED50/ED90 follow the closed forms with delta-method SEs", {
  fit <- dose_curve(x, y_sig, shape = "sigmoid_emax")
  b <- coef(fit)
  ed <- dose_ed(fit, c(0.5, 0.9))
  expect_equal(ed$estimate, b[["ed50"]] * c(1, 9^(1 / b[["h"]])), tolerance = 1e-12)
  # analytic gradient of ED90 = ed50 * 9^(1/h)
  g <- c(0, 0, 9^(1 / b[["h"]]), -b[["ed50"]] * 9^(1 / b[["h"]]) * log(9) / b[["h"]]^2)
  expect_equal(ed$std.error[2], sqrt(drop(g %*% vcov(fit) %*% g)), tolerance = 1e-6)
  crit <- qt(0.975, fit$df.residual)
  expect_equal(ed$conf.low, ed$estimate - crit * ed$std.error)
  # the fitted curve reaches 50% / 90% of emax at these doses
  pr <- predict(fit, dose = ed$estimate)$estimate
  expect_equal((pr - b[["e0"]]) / b[["emax"]], c(0.5, 0.9), tolerance = 1e-10)
  # log-logistic: same ED50 as the equivalent sigmoid Emax fit
  ll <- dose_curve(x, y_sig, shape = "loglogistic4")
  expect_equal(dose_ed(ll, 0.5)$estimate, b[["ed50"]], tolerance = 1e-6)
  fe <- dose_curve(x, y_emax, shape = "emax")
  expect_equal(dose_ed(fe, 0.9)$estimate, 9 * coef(fe)[["ed50"]])
  fx <- dose_curve(x, y_exp, shape = "exponential")
  e90 <- dose_ed(fx, 0.9)$estimate
  pe <- predict(fx, dose = c(0, e90, 200))$estimate
  expect_equal((pe[2] - pe[1]) / (pe[3] - pe[1]), 0.9, tolerance = 1e-10)
  fl <- dose_curve(x, y_exp, shape = "linear")
  expect_equal(dose_ed(fl, 0.5)$estimate, 100)
  expect_error(dose_ed(fit, 1), "`p` must be strictly between 0 and 1")
  expect_error(dose_ed(list(), 0.5), "must be a dose_curve\\(\\) fit")
})

test_that("predict matches nls predictions and a brute-force delta method", {
  fit <- dose_curve(x, y_emax, shape = "emax")
  ref <- suppressWarnings(stats::nls(y_emax ~ e0 + emax * x / (ed50 + x),
             start = list(e0 = 0.5, emax = 5, ed50 = 15), control = nls_ctl))
  nd <- c(0, 7, 30, 150)
  p <- predict(fit, dose = nd, level = 0.9)
  expect_equal(p$estimate, unname(predict(ref, newdata = data.frame(x = nd))),
               tolerance = 1e-6)
  b <- coef(fit)
  J <- cbind(1, nd / (b[3] + nd), -b[2] * nd / (b[3] + nd)^2)
  se <- sqrt(rowSums((J %*% vcov(fit)) * J))
  expect_equal(p$std.error, unname(se), tolerance = 1e-10)
  expect_equal(p$conf.high, p$estimate + qt(0.95, 18) * se, tolerance = 1e-10)
  expect_equal(nrow(predict(fit)), 100L)
  expect_error(predict(fit, dose = -1), "`dose` must be finite and not negative")
})

test_that("methods: print, tidy, glance, confint, nobs, plot", {
  fit <- dose_curve(x, y_emax, se = se, shape = "emax")
  expect_output(print(fit), "weighted by 1/se\\^2")
  expect_output(print(fit), "chi-square")
  td <- tidy(fit)
  expect_named(td, c("term", "estimate", "std.error", "statistic", "p.value",
                     "conf.low", "conf.high"))
  expect_equal(td$conf.low, td$estimate - qnorm(0.975) * td$std.error)
  expect_equal(glance(fit)$nobs, length(x))
  expect_equal(unname(confint(fit)[, 2]), td$conf.high)
  expect_equal(rownames(confint(fit, "ed50")), "ed50")
  expect_equal(nobs(fit), length(x))
  pdf(NULL)
  on.exit(dev.off())
  expect_invisible(res <- plot(fit))
  expect_named(res, c("dose", "estimate", "conf.low", "conf.high", "std.error"))
  expect_invisible(plot(dose_curve(x, y_emax)))
})

test_that("bad input is an error, non-convergence a warning", {
  expect_error(dose_curve(x, y_emax[-1]), "`response` must have one value per dose")
  expect_error(dose_curve(c(-1, x[-1]), y_emax), "`dose` must not be negative; row 1")
  expect_error(dose_curve(c(NA, x[-1]), y_emax), "must be finite; row 1 is not")
  expect_error(dose_curve(x[1:3], y_emax[1:3], shape = "emax"), "needs more than 3")
  expect_error(dose_curve(rep(c(0, 10), 5), rnorm(10), shape = "emax"),
               "at least 3 distinct doses")
  expect_error(dose_curve(x, y_emax, se = se, vcov = diag(21)), "not both")
  expect_error(dose_curve(x, y_emax, se = -se), "`se` must be positive")
  expect_error(dose_curve(x, y_emax, se = se[-1]), "`se` must have one value")
  expect_error(dose_curve(x, y_emax, vcov = diag(3)), "21 x 21 numeric matrix")
  expect_error(dose_curve(x, y_emax, vcov = -diag(21)), "not positive definite")
  bad <- diag(21); bad[1, 2] <- 0.5
  expect_error(dose_curve(x, y_emax, vcov = bad), "finite and symmetric")
  expect_error(dose_curve(x, y_emax, start = c(1, 2)), "`start` must have 3 values")
  expect_error(dose_curve(rep(0, 21), y_emax, shape = "linear"), "at least 2 distinct")
  s <- dose_curve(x, y_emax, start = c(ed50 = 15, e0 = 1, emax = 5))
  expect_equal(s$start, c(ed50 = 15, e0 = 1, emax = 5)[c("e0", "emax", "ed50")])
  expect_warning(f <- dose_curve(x, y_sig, shape = "sigmoid_emax",
                                 start = c(0, 1, 100, 0.3),
                                 control = list(maxiter = 1)), "did not converge")
  expect_false(f$converged)
  expect_output(print(f), "did not converge")
})

test_that("the C layer re-checks its input", {
  fitc <- function(model = 0L, xx = x, yy = y_emax, wmode = 0L, w = NULL,
                   start = c(1, 5, 15), ctl = c(1e-12, 100))
    .Call(nutrievidence:::C_dose_curve_fit, model, xx, yy, wmode, w, start, ctl)
  expect_error(fitc(model = 9L), "unknown curve model 9")
  expect_error(fitc(xx = -x), "cannot be evaluated at the start values or the data")
  expect_error(fitc(start = c(1, 5, -10), xx = rep(10, 21)),
               "cannot be evaluated")
  expect_error(fitc(xx = rep(0, 21)), "not identifiable")
  expect_error(fitc(wmode = 2L, w = as.double(-diag(21))), "not positive definite")
  expect_error(fitc(wmode = 1L, w = rep(0, 21)), "cannot be evaluated")
  expect_error(fitc(ctl = c(-1, 10)), "invalid argument")
  expect_error(.Call(nutrievidence:::C_dose_curve_eval, 9L, 1, 1), "unknown curve model")
  expect_error(.Call(nutrievidence:::C_dose_curve_eval, 4L, c(1, 1), -1),
               "cannot be evaluated at these doses")
  ev <- .Call(nutrievidence:::C_dose_curve_eval, 2L, c(1, 0, 5, 10), c(0, 10))
  expect_equal(ev[[1]], c(5, 2.5)) # LL.4 with b > 0: d at dose 0, midpoint at e
  ev <- .Call(nutrievidence:::C_dose_curve_eval, 2L, c(-1, 0, 5, 10), c(0, 10))
  expect_equal(ev[[1]], c(0, 2.5)) # b < 0: c at dose 0
})
