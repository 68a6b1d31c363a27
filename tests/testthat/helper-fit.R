# Helpers for the tests of the nev_fit base class (test-fit-base.R).

# The contract every fitted object keeps: coef, vcov, confint, tidy,
# glance, nobs and logLik agree with each other and with the stored
# coefficient table.
expect_fit_contract <- function(fit, label = class(fit)[1]) {
  expect_s3_class(fit, "nev_fit")
  td <- tidy(fit)
  expect_named(td[1:7], c("term", "estimate", "std.error", "statistic",
                          "p.value", "conf.low", "conf.high"))
  cf <- coef(fit)
  expect_equal(td$estimate[seq_along(cf)], unname(cf), label = label)
  expect_equal(td$term[seq_along(cf)], names(cf), label = label)
  V <- vcov(fit)
  expect_equal(dimnames(V), list(names(cf), names(cf)), label = label)
  ok <- !is.na(diag(V))
  expect_equal(sqrt(diag(V))[ok], td$std.error[seq_along(cf)][ok],
               ignore_attr = TRUE, label = label)
  for (lev in c(fit$level, 0.9)) {
    ci <- confint(fit, level = lev)
    expect_true(is.matrix(ci), label = label)
    a <- 100 * (1 - lev) / 2
    expect_equal(colnames(ci), paste(format(c(a, 100 - a), trim = TRUE,
                                            digits = 3), "%"))
    t2 <- tidy(fit, conf.level = lev)
    expect_equal(unname(ci[, 1]), t2$conf.low[seq_along(cf)], label = label)
    expect_equal(unname(ci[, 2]), t2$conf.high[seq_along(cf)], label = label)
  }
  ex <- tidy(fit, exponentiate = TRUE, conf.int = FALSE)
  expect_equal(ex$estimate, exp(td$estimate), label = label)
  expect_false("conf.low" %in% names(ex))
  ll <- logLik(fit)
  expect_s3_class(ll, "logLik")
  expect_equal(attr(ll, "nobs"), nobs(fit), label = label)
  gl <- glance(fit)
  expect_equal(nrow(gl), 1L)
  expect_equal(gl$nobs, nobs(fit), label = label)
  expect_equal(gl$logLik, as.numeric(ll), label = label)
  if (!is.na(ll)) {
    expect_equal(gl$AIC, -2 * as.numeric(ll) + 2 * attr(ll, "df"))
    expect_equal(gl$BIC, -2 * as.numeric(ll) +
                   log(nobs(fit)) * attr(ll, "df"))
  }
  expect_output(print(fit), names(cf)[1], fixed = TRUE)
  invisible(fit)
}
