# Methods for nev_dose fits, checked against direct computations.
fx <- readRDS(test_path("fixtures", "dose_dosresmeta.rds"))
alc <- fx$data$alcohol_cvd
quad <- dose_response(logrr ~ dose, id = id, type = type, cases = cases,
                      n = n, se = se, data = alc, shape = "quadratic")

test_that("coef, vcov, confint, nobs, logLik", {
  expect_named(coef(quad), c("dose", "dose^2"))
  expect_equal(dim(vcov(quad)), c(2L, 2L))
  ci <- confint(quad, level = 0.9)
  expect_equal(unname(ci[, 1]), unname(coef(quad) - qnorm(0.95) *
                                         sqrt(diag(vcov(quad)))))
  expect_equal(colnames(ci), c("5 %", "95 %"))
  expect_equal(rownames(confint(quad, "dose^2")), "dose^2")
  # as mixmeta (and so dosresmeta's BIC): 6 studies x 2 coefficients,
  # less 2 under REML
  expect_equal(nobs(quad), 10L)
  expect_equal(attr(logLik(quad), "nobs"), 10L)
  ll <- logLik(quad)
  expect_s3_class(ll, "logLik")
  expect_equal(attr(ll, "df"), 5)
  expect_equal(as.numeric(ll), fx$alc_quad_reml$logLik, tolerance = 1e-9)
})

test_that("tidy and glance use broom's column names", {
  td <- tidy(quad)
  expect_named(td, c("term", "estimate", "std.error", "statistic", "p.value",
                     "conf.low", "conf.high"))
  expect_equal(td$p.value, 2 * pnorm(-abs(td$estimate / td$std.error)))
  expect_false("conf.low" %in% names(tidy(quad, conf.int = FALSE)))
  gl <- glance(quad)
  expect_equal(nrow(gl), 1L)
  expect_equal(gl$cochran.qe, fx$alc_quad_reml$Q, tolerance = 1e-9)
  expect_equal(gl$df.cochran.qe, 10L)
  expect_equal(as.data.frame(quad)$estimate, unname(coef(quad)))
})

test_that("Wald test of non-linearity and goodness of fit by brute force", {
  s <- summary(quad)
  b <- coef(quad)[2]; v <- vcov(quad)[2, 2]
  expect_equal(unname(s$nonlinearity[["statistic"]]), unname(b^2 / v))
  expect_equal(unname(s$nonlinearity[["df"]]), 1)
  expect_equal(glance(quad)$nonlinearity, unname(b^2 / v))
  # pooled deviance: sum over studies of (y - X beta)' S^-1 (y - X beta)
  dev <- 0
  for (i in 1:6) {
    d <- alc[alc$id == i, ][-1, ]
    r <- d$logrr - drop(cbind(d$dose, d$dose^2) %*% coef(quad))
    dev <- dev + drop(r %*% solve(quad$S[[i]], r))
  }
  expect_equal(s$gof$deviance, dev, tolerance = 1e-10)
  expect_equal(s$gof$df, nrow(alc) - 6L - 2L)
  expect_equal(round(s$cor[1, 2], 3), -0.906)
  expect_output(print(s), "Non-linearity \\(Wald\\)")
  expect_output(print(s), "Between-study correlation")
  lin <- dose_response(logrr ~ dose, id = id, type = type, cases = cases,
                       n = n, se = se, data = alc)
  expect_true(is.na(summary(lin)$nonlinearity[["statistic"]]))
  expect_output(print(lin), "Q = 14.1463")
})

test_that("predict: curve against ref, delta contrasts, transf, level", {
  p <- predict(quad, dose = c(0, 10, 20), ref = 10, transf = identity,
               level = 0.9)
  X <- cbind(c(0, 10, 20) - 10, c(0, 10, 20)^2 - 100)
  expect_equal(p$estimate, drop(X %*% coef(quad)))
  se <- sqrt(rowSums((X %*% vcov(quad)) * X))
  expect_equal(p$std.error, se)
  expect_equal(p$conf.high, p$estimate + qnorm(0.95) * se)
  pd <- predict(quad, dose = c(0, 30), delta = 10, transf = identity)
  Xd <- cbind(c(10, 10), c(10^2, 40^2 - 30^2))
  expect_equal(pd$estimate, drop(Xd %*% coef(quad)))
  expect_named(predict(quad), c("dose", "estimate", "conf.low", "conf.high",
                               "std.error"))
  expect_equal(nrow(predict(quad)), 100L)
  expect_error(predict(quad, ref = c(1, 2)), "`ref` must be a single finite dose")
  expect_error(predict(quad, dose = Inf), "`dose` must be finite")
  expect_error(predict(quad, delta = NA), "`delta` must be a single finite")
  expect_error(predict(quad, transf = "exp"), "`transf` must be a function")
})

test_that("plot draws and returns the curve invisibly", {
  pdf(NULL)
  on.exit(dev.off())
  expect_invisible(res <- plot(quad))
  expect_named(res, c("dose", "estimate", "conf.low", "conf.high",
                      "std.error"))
  cc <- fx$data$cc_ex
  one <- dose_response(logrr ~ dose, type = "cc", cases = case, n = n,
                       lower = lb, upper = ub, data = cc)
  expect_invisible(plot(one, points = FALSE, log = ""))
  expect_output(print(one), "single-study GLS")
  expect_output(print(summary(one)), "Goodness of fit")
})
