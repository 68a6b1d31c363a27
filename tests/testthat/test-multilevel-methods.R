# pool_multilevel(): methods, printing, leave one cluster out, plots.

d <- ml3_small

test_that("print, summary, tidy and glance show the fit", {
  f <- pool_multilevel(yi, vi, cluster = study, data = d, mods = ~ x)
  out <- capture.output(print(f))
  expect_match(out[1], "Three-level model (REML): k = 15 effects in 6 clusters",
               fixed = TRUE)
  expect_true(any(grepl("sigma^2.1 = ", out, fixed = TRUE)))
  expect_true(any(grepl("Test of moderators", out, fixed = TRUE)))
  s <- capture.output(print(summary(f)))
  expect_true(any(grepl("profile likelihood", s, fixed = TRUE)))
  tt <- tidy(f)
  expect_named(tt, c("term", "estimate", "std.error", "statistic", "p.value",
                     "conf.low", "conf.high"))
  expect_equal(tt$estimate, unname(coef(f)))
  g <- glance(f)
  expect_equal(g$sigma2.1, f$sigma2[[1]])
  expect_equal(g$i.squared, f$I2[["total"]])
  expect_equal(g$clusters, 6L)
  expect_equal(nobs(f), attr(logLik(f), "nobs"))
  expect_equal(nobs(f), 13L)   # REML: k - p, as metafor
  fm <- pool_multilevel(yi, vi, cluster = study, data = d, method = "ML")
  expect_equal(nobs(fm), 15L)
  expect_equal(stats::AIC(fm), -2 * as.numeric(logLik(fm)) + 2 * 3)
})

test_that("t tests use k - p df; prediction adds both variances", {
  f <- pool_multilevel(yi, vi, cluster = study, data = d, test = "t")
  tt <- tidy(f)
  se <- tt$std.error
  expect_equal(tt$conf.low, tt$estimate - qt(0.975, 14) * se)
  pr <- predict(f)
  expect_equal(pr$pi.high, tt$estimate + qt(0.975, 14) *
                 sqrt(se^2 + sum(f$sigma2)))
  expect_equal(c(f$pi.low, f$pi.high), c(pr$pi.low, pr$pi.high))
  expect_equal(predict(f, transf = exp)$estimate, exp(tt$estimate))
  g <- pool_multilevel(yi, vi, cluster = study, data = d, mods = ~ x)
  expect_equal(predict(g, newmods = 1)$estimate, sum(coef(g)))
})

test_that("confint() gives coefficients and variance components", {
  f <- pool_multilevel(yi, vi, cluster = study, data = d)
  ci <- confint(f)
  expect_equal(rownames(ci), c("intrcpt", "sigma2.1", "sigma2.2"))
  expect_true(all(ci[, 1] <= c(coef(f), f$sigma2)))
  expect_true(all(ci[, 2] >= c(coef(f), f$sigma2)))
  # the bounds are where the profile likelihood drops by qchisq(.95, 1) / 2
  up <- ci["sigma2.2", 2]
  prof <- optimize(function(s1) ml3_dense_ll(d$yi, d$vi, d$study,
                                             matrix(1, 15, 1), c(s1, up)),
                   c(0, 1), maximum = TRUE)$objective
  expect_equal(as.numeric(logLik(f)) - prof, qchisq(0.95, 1) / 2,
               tolerance = 1e-6)
  expect_equal(confint(f, "sigma2.2"), ci["sigma2.2", , drop = FALSE])
})

test_that("leave_one_out() leaves one cluster out", {
  f <- pool_multilevel(yi, vi, cluster = study, data = d)
  lo <- leave_one_out(f)
  expect_equal(lo$cluster, c("A", "B", "C", "D", "E", "F"))
  keep <- d$study != "C"
  g <- pool_multilevel(yi, vi, cluster = study, data = d[keep, ])
  expect_equal(lo$estimate[3], unname(coef(g)), tolerance = 1e-10)
  expect_equal(lo$sigma2.2[3], g$sigma2[[2]], tolerance = 1e-10)
  expect_equal(lo$k[3], sum(keep))
})

test_that("forest_plot() groups the effects by cluster", {
  f <- pool_multilevel(yi, vi, cluster = study, data = d)
  pdf(NULL)
  on.exit(grDevices::dev.off())
  r <- forest_plot(f)
  expect_equal(sum(r$type == "header"), 6L)
  expect_equal(sum(r$type == "study"), 15L)
  expect_equal(r$estimate[r$type == "overall"], unname(coef(f)))
  expect_equal(r$label[r$type == "header"], c("A", "B", "C", "D", "E", "F"))
})
