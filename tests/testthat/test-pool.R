# pool(): agreement with metafor (fixtures made at tight tolerance by
# data-raw/fixtures_pool.R), published values, closed forms.

fx <- readRDS(test_path("fixtures", "pool_metafor.rds"))

# Relative error with a floor for values near 0 (tau2 = 0 boundary, I2).
rel_err <- function(a, b, floor = 1e-6) abs(a - b) / pmax(abs(b), floor)

# confint() rows for the pooled effect and the heterogeneity parameters.
all_parm <- c("mu", "tau2", "tau", "I2", "H2")

test_that("pool() matches metafor on every fixture case", {
  errs <- t(vapply(fx$cases, function(cs) {
    test <- if (cs$test == "knha") "hksj" else "z"
    # the default prediction interval is metafor's: t(k - 1) with knha
    fit <- pool(cs$yi, cs$vi, method = cs$method, test = test,
                hksj_adhoc = cs$adhoc)
    ci <- if (!is.na(cs$tau2_lb)) confint(fit, parm = all_parm) else NULL
    c(beta = rel_err(unname(coef(fit)), cs$beta),
      se = rel_err(fit$coef_table$std.error, cs$se),
      tau2 = rel_err(fit$tau2, cs$tau2, 1e-4),
      ci_lb = rel_err(fit$coef_table$conf.low, cs$ci_lb), ci_ub = rel_err(fit$coef_table$conf.high, cs$ci_ub),
      zval = rel_err(fit$coef_table$statistic, cs$zval),
      pval = rel_err(fit$coef_table$p.value, cs$pval) / 100,
      Q = rel_err(fit$Q, cs$Q), I2 = rel_err(fit$I2, cs$I2, 1e-2),
      H2 = rel_err(fit$H2, cs$H2),
      pi_lb = rel_err(fit$pi.low, cs$pi_lb), pi_ub = rel_err(fit$pi.high, cs$pi_ub),
      se_tau2 = if (cs$method != "FE" && fit$tau2 > 1e-6)
        rel_err(fit$tau2_se, cs$se_tau2) / 10 else 0,
      ll_ml = rel_err(fit$ll_ml, cs$ll_ml),
      ll_reml = rel_err(fit$ll_reml, cs$ll_reml),
      conv = !fit$converged,
      tau2_lb = if (is.null(ci)) 0 else rel_err(ci[2, 1], cs$tau2_lb, 1e-3),
      tau2_ub = if (is.null(ci)) 0 else rel_err(ci[2, 2], cs$tau2_ub, 1e-3),
      I2_lb = if (is.null(ci)) 0 else abs(ci[4, 1] - cs$I2_lb) / 100,
      I2_ub = if (is.null(ci)) 0 else abs(ci[4, 2] - cs$I2_ub) / 100)
  }, numeric(20)))
  rownames(errs) <- vapply(fx$cases, `[[`, "", "name")
  # every quantity within 1e-8 relative (p-values 1e-6, se(tau2) 1e-7)
  worst <- apply(errs, 2, max)
  expect_true(all(worst <= 1e-8),
              label = paste("worst:", paste(names(worst)[worst > 1e-8],
                                            collapse = ", ")))
  expect_gte(nrow(errs), 80L)
})

# BCG log risk ratios computed here from the published 2x2 counts.
bcg <- fx$counts[[1]]
bcg_yi <- log(bcg$ai / bcg$n1i) - log(bcg$ci / bcg$n2i)
bcg_vi <- 1 / bcg$ai - 1 / bcg$n1i + 1 / bcg$ci - 1 / bcg$n2i

test_that("BCG: the published values (reference README) to their digits", {
  r <- pool(bcg_yi, bcg_vi, method = "REML")
  expect_equal(round(unname(coef(r)), 4), -0.7145)
  expect_equal(round(r$coef_table$std.error, 4), 0.1798)
  expect_equal(round(r$tau2, 4), 0.3132)
  expect_equal(round(r$I2, 2), 92.22)
  expect_equal(round(r$Q, 2), 152.23)
  expect_equal(r$Q_df, 12)
  d <- pool(bcg_yi, bcg_vi, method = "DL")
  expect_equal(round(unname(coef(d)), 4), -0.7141)
  expect_equal(round(d$tau2, 4), 0.3088)
  f <- pool(bcg_yi, bcg_vi, method = "FE")
  expect_equal(round(unname(coef(f)), 4), -0.4303)
  expect_equal(round(f$coef_table$std.error, 4), 0.0405)
})

test_that("k = 1 gives the study itself with a message; k = 2 closed form", {
  expect_message(f1 <- pool(0.3, 0.04, method = "REML"), "one study")
  expect_equal(unname(coef(f1)), 0.3)
  expect_equal(f1$coef_table$std.error, 0.2)
  expect_equal(f1$tau2, 0)
  expect_equal(f1$coef_table$conf.low, 0.3 - qnorm(0.975) * 0.2)
  # k = 2: DL closed form; REML closed form when tau2 > 0 has no simple
  # expression, check the estimating equation instead
  y <- c(0.1, 0.9); v <- c(0.02, 0.05)
  w <- 1 / v
  q <- sum(w * (y - sum(w * y) / sum(w))^2)
  t2 <- max(0, (q - 1) / (sum(w) - sum(w^2) / sum(w)))
  d <- pool(y, v, method = "DL")
  expect_equal(d$tau2, t2, tolerance = 1e-14)
  ws <- 1 / (v + t2)
  expect_equal(unname(coef(d)), sum(ws * y) / sum(ws), tolerance = 1e-14)
  expect_equal(d$coef_table$std.error, sqrt(1 / sum(ws)), tolerance = 1e-14)
  r <- pool(y, v, method = "REML")
  wr <- 1 / (v + r$tau2)
  P <- diag(wr) - tcrossprod(wr) / sum(wr)
  expect_equal(drop(crossprod(y, P %*% P %*% y)), sum(diag(P)),
               tolerance = 1e-12)
  # ML at k = 2 in closed form: tau2 = max(0, (y1 - y2)^2/4 - mean(v))
  # holds for equal variances
  m <- pool(c(0, 1), c(0.1, 0.1), method = "ML")
  expect_equal(m$tau2, 0.25 - 0.1, tolerance = 1e-13)
  pm <- pool(c(0, 1), c(0.1, 0.1), method = "PM")
  expect_equal(pm$tau2, 0.5 - 0.1, tolerance = 1e-13)
})

test_that("tau2 = 0 boundary: homogeneous data give tau2 exactly 0", {
  y <- c(0.10, 0.11, 0.09, 0.10); v <- c(0.04, 0.05, 0.03, 0.06)
  for (me in c("DL", "REML", "ML", "PM", "EB", "HE", "HS", "DL2")) {
    f <- pool(y, v, method = me)
    expect_equal(f$tau2, 0, label = me)
    expect_true(f$converged)
    expect_true(f$boundary)
    w <- 1 / v
    expect_equal(unname(coef(f)), sum(w * y) / sum(w), tolerance = 1e-14)
  }
})

test_that("methods return documented shapes", {
  f <- pool(bcg_yi, bcg_vi, slab = paste("trial", 1:13))
  expect_s3_class(f, "nev_pool")
  expect_equal(coef(f), c(mu = unname(coef(f))))
  expect_equal(dim(vcov(f)), c(1L, 1L))
  expect_equal(nobs(f), 12L) # k - p under REML, as metafor
  expect_equal(attr(logLik(f), "nobs"), 12L)
  expect_equal(as.numeric(logLik(f)), f$ll_reml)
  expect_equal(attr(logLik(f, REML = FALSE), "nobs"), 13L)
  expect_equal(nobs(pool(bcg_yi, bcg_vi, method = "ML")), 13L)
  ci <- confint(f, parm = all_parm)
  expect_equal(colnames(ci), c("2.5 %", "97.5 %"))
  expect_equal(rownames(ci), all_parm)
  expect_equal(rownames(confint(f)), "mu")
  expect_equal(ci[3, 1], sqrt(ci[2, 1]))
  p <- predict(f, transf = exp)
  expect_named(p, c("estimate", "conf.low", "conf.high", "pi.low", "pi.high"))
  expect_equal(p$estimate, exp(unname(coef(f))))
  expect_equal(p$pi.low, exp(f$pi.low))
  td <- tidy(f)
  expect_named(td, c("term", "estimate", "std.error", "statistic", "p.value",
                     "conf.low", "conf.high"))
  gl <- glance(f)
  expect_named(gl, c("nobs", "k", "measure", "method", "tau.squared",
                     "tau.squared.se", "i.squared", "h.squared", "cochran.qe",
                     "df.cochran.qe", "p.value.cochran.qe", "df.residual",
                     "pi.low", "pi.high", "converged", "logLik", "AIC",
                     "BIC"))
  df <- as.data.frame(f)
  expect_equal(sum(df$weight), 100)
  expect_equal(df$study[1], "trial 1")
  expect_output(print(f), "REML")
  expect_output(print(summary(f)), "Prediction")
})

test_that("bad input gives errors naming the argument and rows", {
  expect_error(pool(c(1, 2), c(0.1, 0.2, 0.3)), "`yi` and `vi` must have the same length")
  expect_error(pool(c(1, 2, 3), c(0.1, 0, -1)), "`vi` must be positive.*rows 2 and 3")
  expect_error(pool(c(1, Inf), c(0.1, 0.1)), "`yi` must be finite; row 2")
  expect_error(pool(c(1, 2), c(0.1, Inf)), "`vi` must be positive.*row 2")
  expect_error(pool(c(1, 2), sei = c(0.1, -0.2)), "`sei` must be positive.*row 2")
  expect_error(pool(c(1, 2)), "give one of `vi` or `sei`")
  expect_error(pool(c(1, 2), c(0.1, 0.1), sei = c(1, 1)), "only one of")
  expect_error(pool(c(NA, NA), c(0.1, 0.1)), "no complete rows")
  expect_error(pool(c(1, 2), c(0.1, 0.1), method = "XX"), "`method` should be one of")
  expect_error(pool(c(1, 2), c(0.1, 0.1), level = 2), "`level`")
  expect_error(pool("a", 0.1), "`yi` must be numeric")
  expect_warning(f <- pool(c(1, NA, 2), c(0.1, 0.1, 0.2)), "row 2")
  expect_equal(f$k, 2L)
  expect_error(pool_control(tol = -1), "`tol`")
  expect_error(pool_control(maxiter = 0), "`maxiter`")
})

test_that("Q-based I2, Higgins-Thompson interval and prediction df", {
  f <- pool(bcg_yi, bcg_vi, method = "DL", i2 = "Q", pi_df = "k-2")
  w <- 1 / bcg_vi
  Q <- sum(w * (bcg_yi - sum(w * bcg_yi) / sum(w))^2)
  k <- length(bcg_yi)
  expect_equal(f$I2, 100 * (Q - (k - 1)) / Q)
  expect_equal(f$H2, Q / (k - 1))
  # Higgins & Thompson (2002) interval for H, by hand (Q > k branch)
  se_lnH <- 0.5 * (log(Q) - log(k - 1)) / (sqrt(2 * Q) - sqrt(2 * k - 3))
  H <- exp(0.5 * log(Q / (k - 1)) + c(-1, 1) * qnorm(0.975) * se_lnH)
  ci <- confint(f, parm = all_parm)
  expect_equal(ci[5, 1], H[1]^2)
  expect_equal(ci[4, 2], 100 * (H[2]^2 - 1) / H[2]^2)
  # prediction interval with t(k - 2) (Higgins, Thompson, Spiegelhalter 2009)
  half <- qt(0.975, k - 2) * sqrt(f$coef_table$std.error^2 + f$tau2)
  expect_equal(c(f$pi.low, f$pi.high), unname(coef(f)) + c(-1, 1) * half)
  expect_equal(predict(f)$pi.high, f$pi.high)
  p90 <- predict(f, level = 0.9)
  expect_equal(p90$conf.low, unname(coef(f)) - qnorm(0.95) * f$coef_table$std.error)
})

test_that("data columns, sei, subset and fallback chains", {
  d <- data.frame(est = bcg_yi, se = sqrt(bcg_vi), keep = seq_along(bcg_yi) != 3)
  f1 <- pool(est, sei = se, data = d, subset = keep, method = c("REML", "DL"))
  f2 <- pool(bcg_yi[-3], bcg_vi[-3])
  expect_equal(coef(f1), coef(f2))
  expect_equal(f1$tau2, f2$tau2)
  expect_equal(f1$method, "REML")
  expect_equal(f1$slab, as.character(c(1:2, 4:13)))
  f3 <- pool("est", sei = "se", data = d, subset = 1:5, method = "EE")
  expect_equal(f3$method, "FE")
  expect_equal(unname(coef(f3)), sum(bcg_yi[1:5] / bcg_vi[1:5]) / sum(1 / bcg_vi[1:5]))
  expect_error(pool(est, sei = se, data = d, subset = c(TRUE, FALSE)),
               "`subset` must have length 13")
  expect_error(pool(est, sei = se, data = d, subset = 20), "outside 1..13")
  expect_error(pool(est, sei = se, data = d, slab = 1:2), "`slab`")
  expect_error(confint(f2, parm = "beta"), "`parm`")
  expect_equal(rownames(confint(f2, parm = "tau2")), "tau2")
  expect_error(predict(f2, transf = "exp"), "`transf` must be a function")
  expect_message(k1 <- pool(0.5, 0.1, test = "hksj"), "one study")
  expect_equal(k1$test, "z")
  expect_output(print(k1), "one study")
})

test_that("HKSJ: ad hoc variant is never narrower than Wald", {
  y <- c(0.10, 0.12, 0.11, 0.09); v <- c(0.04, 0.05, 0.03, 0.06)
  w <- pool(y, v, method = "DL")
  h <- pool(y, v, method = "DL", test = "hksj")
  a <- pool(y, v, method = "DL", test = "hksj", hksj_adhoc = TRUE)
  wt <- 1 / (v + h$tau2)
  s2 <- sum(wt * (y - sum(wt * y) / sum(wt))^2) / 3
  expect_equal(h$coef_table$std.error, sqrt(s2 / sum(wt)))
  expect_lt(h$coef_table$std.error, w$coef_table$std.error)
  expect_equal(a$coef_table$std.error, w$coef_table$std.error)
  expect_equal(a$coef_table$conf.high - a$coef_table$conf.low, 2 * qt(0.975, 3) * w$coef_table$std.error)
  expect_output(print(a), "never narrower")
})

case <- function(name) fx$cases[[which(vapply(fx$cases, `[[`, "", "name") == name)]]

test_that("Hackshaw 1997: passive smoking OR 1.24 (1.13 to 1.36), DL", {
  cs <- case("hackshaw1998 OR DL")
  p <- predict(pool(cs$yi, cs$vi, method = "DL"), transf = exp)
  expect_equal(round(p$estimate, 2), 1.24)
  expect_equal(round(p$conf.low, 2), 1.13)
  expect_equal(round(p$conf.high, 2), 1.36)
})

test_that("Hine 1989: REML settles on the tau2 = 0 boundary, equal to FE", {
  cs <- case("hine1989 RD REML")
  for (me in c("REML", "ML", "PM", "DL")) {
    r <- pool(cs$yi, cs$vi, method = me)
    expect_identical(r$tau2, 0)
    expect_true(r$boundary)
    f <- pool(cs$yi, cs$vi, method = "FE")
    expect_equal(coef(r), coef(f), tolerance = 1e-15)
    expect_equal(r$coef_table$std.error, f$coef_table$std.error, tolerance = 1e-15)
  }
  expect_equal(confint(r, parm = "tau2")[1, 1], 0)
})

test_that("common-effect confint: tau2 interval without an estimate", {
  fe <- pool(bcg_yi, bcg_vi, method = "FE")
  f <- confint(fe, parm = all_parm)
  r <- confint(pool(bcg_yi, bcg_vi, method = "REML"), parm = all_parm)
  expect_true(is.na(summary(fe)$confint$estimate[2]))
  expect_equal(f[2:3, 1], r[2:3, 1])
  expect_equal(f[2, 2], r[2, 2])
})

test_that("with test = 'hksj' the default prediction interval is metafor's t(k - 1)", {
  knha <- Filter(function(cs) cs$test == "knha" && !cs$adhoc &&
                   cs$method == "REML", fx$cases)
  expect_gte(length(knha), 1L)
  for (cs in knha) {
    f <- pool(cs$yi, cs$vi, test = "hksj")
    expect_equal(f$pi_df, "k-1")
    expect_equal(c(f$pi.low, f$pi.high), c(cs$pi_lb, cs$pi_ub),
                 tolerance = 1e-8)
    z <- pool(cs$yi, cs$vi, test = "hksj", pi_df = "z")
    expect_lt(z$pi.high - z$pi.low, f$pi.high - f$pi.low)
  }
  expect_equal(pool(bcg_yi, bcg_vi)$pi_df, "z")
})
