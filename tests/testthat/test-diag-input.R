# Bad input for the diagnostics family, and every error branch of the C core.
yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01, -0.47, -1.37,
        -0.34, 0.45, -0.02)
vi <- c(0.326, 0.195, 0.415, 0.020, 0.051, 0.007, 0.223, 0.004, 0.056,
        0.073, 0.012, 0.533, 0.071)
ablat <- c(44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33)
grp <- c("a", "a", "a", "a", "b", "b", "a", "a", "a", "b", "b", "b", "b")

test_that("subgroups: one-study subgroup warns, one group or both arguments error", {
  g1 <- grp; g1[1] <- "solo"
  expect_warning(s <- pool(yi, vi, subgroup = g1), "\"solo\" has a single study")
  expect_equal(s$subgroups$estimate[s$subgroups$group == "solo"], yi[1])
  expect_equal(s$subgroups$tau.squared[s$subgroups$group == "solo"], 0)
  expect_error(pool(yi, vi, subgroup = rep("x", 13)),
               "at least two groups")
  expect_error(pool(yi, vi, subgroup = grp, mods = ~ ablat),
               "`subgroup` or `mods`, not both")
  expect_error(pool(yi, vi, subgroup = grp[-1]), "one value per study")
  expect_error(pool(yi, vi, subgroup = grp, tau2_common = NA),
               "`tau2_common` must be TRUE or FALSE")
  g2 <- grp; g2[c(3, 9)] <- NA
  expect_message(s2 <- pool(yi, vi, subgroup = g2),
                 "2 studies with a missing subgroup value dropped: rows 3 and 9")
  expect_equal(s2$k, 11)
  expect_equal(s2$subgroups$k, c(5, 6))
  # the data and subset paths line up with the subgroup
  d <- data.frame(y = yi, v = vi, g = grp, lat = ablat)
  s3 <- pool(y, v, data = d, subgroup = g, subset = lat > 20)
  s4 <- pool(yi[ablat > 20], vi[ablat > 20], subgroup = grp[ablat > 20])
  expect_equal(s3$subgroups, s4$subgroups)
  expect_equal(s3$Q_between, s4$Q_between)
  # tidy() adds one row per subgroup
  td <- tidy(s4)
  expect_equal(td$group, c("overall", "a", "b"))
  expect_equal(td$estimate[2:3], s4$subgroups$estimate)
})

test_that("subgroup Q-between equals a brute-force common-effect Q of the estimates", {
  s <- pool(yi, vi, subgroup = grp, method = "DL")
  est <- se <- numeric(2)
  for (j in 1:2) {
    i <- grp == c("a", "b")[j]
    w <- 1 / vi[i]
    mu <- sum(w * yi[i]) / sum(w)
    Q <- sum(w * (yi[i] - mu)^2)
    t2 <- max(0, (Q - (sum(i) - 1)) / (sum(w) - sum(w^2) / sum(w)))
    ws <- 1 / (vi[i] + t2)
    est[j] <- sum(ws * yi[i]) / sum(ws)
    se[j] <- sqrt(1 / sum(ws))
  }
  wb <- 1 / se^2
  qb <- sum(wb * (est - sum(wb * est) / sum(wb))^2)
  expect_equal(s$subgroups$estimate, est, tolerance = 1e-12)
  expect_equal(s$Q_between, qb, tolerance = 1e-12)
})

test_that("moderators: constant, collinear, NA, too many, bad formula", {
  d <- data.frame(y = yi, v = vi, lat = ablat, one = 5, lat2 = 2 * ablat,
                  g = grp)
  expect_error(pool(y, v, data = d, mods = ~ lat + one),
               "moderator `one` is constant across the 13 studies")
  expect_error(pool(y, v, data = d, mods = ~ lat + lat2),
               "moderators are collinear: `lat2` is a linear combination")
  d$lna <- d$lat; d$lna[c(2, 5)] <- NA
  expect_message(f <- pool(y, v, data = d, mods = ~ lna),
                 "2 studies with a missing moderator value dropped: rows 2 and 5")
  expect_equal(f$k, 11)
  expect_equal(unname(coef(f)),
               unname(coef(pool(y, v, data = d[-c(2, 5), ], mods = ~ lat))))
  expect_error(pool(yi[1:3], vi[1:3], mods = cbind(ablat[1:3], 1:3)),
               "more studies than coefficients")
  expect_error(pool(y, v, data = d, mods = y ~ lat), "one-sided formula")
  expect_error(pool(y, v, data = d, mods = "lat"), "one-sided formula or a numeric")
  expect_error(pool(y, v, data = d, mods = ~ nonexistent), "could not evaluate `mods`")
  expect_error(pool(y, v, data = d, mods = ablat[-1]), "one row per study")
  # a numeric matrix is a design without the intercept
  fm <- pool(yi, vi, mods = ablat)
  ff <- pool(y, v, data = d, mods = ~ lat)
  expect_equal(unname(coef(fm)), unname(coef(ff)), tolerance = 1e-12)
  expect_equal(names(coef(fm)), c("intrcpt", "mods"))
  expect_equal(predict(fm, newdata = cbind(c(10, 50)))$estimate,
               predict(ff, newdata = data.frame(lat = c(10, 50)))$estimate)
  expect_error(predict(fm, newdata = cbind(1, 2)), "numeric matrix with 1 column")
  expect_error(predict(ff, newdata = data.frame(x = 1)), "lacks the moderator `lat`")
  expect_error(predict(ff, newdata = list(lat = 1)), "must be a data frame")
  expect_error(predict(ff, transf = "exp"), "`transf` must be a function")
})

test_that("meta-regression: closed-form weighted least squares at tau^2 = 0", {
  f <- pool(yi, vi, mods = ~ ablat, method = "FE")
  X <- cbind(1, ablat); W <- diag(1 / vi)
  b <- solve(t(X) %*% W %*% X, t(X) %*% W %*% yi)
  V <- solve(t(X) %*% W %*% X)
  expect_equal(unname(coef(f)), c(b), tolerance = 1e-12)
  expect_equal(unname(vcov(f)), unname(V), tolerance = 1e-12)
  expect_equal(f$QM, b[2]^2 / V[2, 2], tolerance = 1e-10)
  expect_equal(f$Q, sum((yi - X %*% b)^2 / vi), tolerance = 1e-10)
  pr <- predict(f, newdata = data.frame(ablat = 30), transf = exp)
  expect_equal(pr$estimate, exp(b[1] + 30 * b[2]), tolerance = 1e-12)
  expect_equal(pr$std.error, sqrt(c(1, 30) %*% V %*% c(1, 30))[1],
               tolerance = 1e-12)
  expect_equal(nrow(predict(f)), 13)
  ci <- confint(f, parm = c("intrcpt", "ablat", "tau2", "tau"))
  expect_equal(rownames(ci), c("intrcpt", "ablat", "tau2", "tau"))
  expect_equal(rownames(confint(f)), c("intrcpt", "ablat"))
  g <- glance(pool(yi, vi, mods = ~ ablat))
  expect_true(all(c("cochran.qm", "df.cochran.qm", "p.value.cochran.qm",
                    "r.squared") %in% names(g)))
  expect_output(print(pool(yi, vi, mods = ~ ablat, test = "hksj")),
                "F\\(1, 11\\)")
  expect_output(print(f), "Fixed-effects meta-regression")
  expect_identical(summary(f), f)
})

test_that("Egger and Begg: k < 3 is an error, k < 10 a warning; other misuse", {
  f2 <- pool(yi[1:2], vi[1:2])
  expect_error(egger_test(f2), "at least 3 studies \\(got 2\\)")
  expect_error(begg_test(f2), "at least 3 studies \\(got 2\\)")
  f6 <- pool(yi[1:6], vi[1:6])
  expect_warning(egger_test(f6), "only 6 studies has little power")
  expect_warning(begg_test(f6), "only 6 studies has little power")
  f <- pool(yi, vi)
  expect_error(egger_test(f, predictor = "ni"), "needs the sample sizes `ni`")
  expect_error(egger_test(f, predictor = "ni", ni = 1:3), "one value per study")
  expect_error(egger_test(f, predictor = "ninv", ni = c(-1, 2:13)),
               "`ni` must be positive")
  expect_error(egger_test(pool(yi, rep(0.1, 13))), "predictor \\(sei\\) is constant")
  expect_error(begg_test(pool(yi, rep(0.1, 13))), "variances are equal")
  expect_error(begg_test(f, exact = NA), "`exact` must be TRUE or FALSE")
  expect_error(begg_test(list()), "must be a fit from pool")
  fr <- pool(yi, vi, mods = ~ ablat)
  for (fun in list(egger_test, begg_test, trim_fill, leave_one_out,
                   cumulative))
    expect_error(fun(fr), "models without moderators")
  expect_error(leave_one_out(list(1)), "needs a fit from pool")
  mh <- pool_counts(c(4, 6, 3, 62), c(123, 306, 231, 13598),
                    c(11, 29, 11, 248), c(139, 303, 220, 12867),
                    measure = "RR")
  expect_error(leave_one_out(mh), "inverse-variance fit")
  expect_error(leave_one_out(pool(1, 0.1)), "at least 2 studies")
  expect_error(cumulative(f, order = 1:3), "one value per study")
  expect_error(cumulative(f, order = c(NA, 2:13)), "must not contain NA")
})

test_that("trim and fill: non-convergence is a flag and a warning; misuse errors", {
  mag_y <- c(-0.83, -1.06, -1.28, -0.04, 0.22, -2.41, -1.28, -1.19, -0.59,
             -2.21, -2.05, -1.02, -0.77, -0.30, -1.57, 0.05)
  mag_v <- c(1.56, 0.17, 0.65, 2.04, 0.24, 1.15, 1.43, 2.74, 0.27, 1.20,
             0.63, 0.38, 0.40, 0.02, 0.33, 0.001)
  f <- pool(mag_y, mag_v, method = "FE")
  full <- trim_fill(f)
  expect_true(full$tf_converged)
  expect_gte(full$tf_iterations, 2)
  expect_warning(tf <- trim_fill(f, maxiter = 1), "did not converge in 1 iterations")
  expect_false(tf$tf_converged)
  expect_output(print(tf), "did not converge")
  expect_output(print(full), "missing studies on the right side")
  expect_error(trim_fill(f, side = "up"), "should be one of")
  expect_error(trim_fill(f, maxiter = 0), "`maxiter` must be a single number")
  expect_error(trim_fill(pool(1, 0.1)), "at least 2 studies")
  expect_error(trim_fill(pool(yi, rep(0.1, 13))), "trim and fill: matrix is singular")
  expect_equal(sum(full$fill), full$k0)
  expect_equal(full$k, 16 + full$k0)
})

test_that("C core: every error branch is reached", {
  C <- function(name) getFromNamespace(paste0("C_", name), "nutrievidence")
  y <- yi; v <- vi
  loo <- function(y, v, X = NULL, btt0 = 0L)
    .Call(C("diag_loo"), y, v, X, 2L, 0L, FALSE, 0.95, 1e-12, 1000L, NULL,
          btt0, TRUE)
  expect_error(loo(replace(y, 2, NaN), v), "leave-one-out: value outside")
  expect_error(loo(y, replace(v, 2, -1)), "leave-one-out: value outside")
  expect_error(loo(y, v, cbind(1, replace(ablat, 3, Inf))),
               "leave-one-out: value outside")
  expect_error(loo(y, v, cbind(1, ablat, ablat)),
               "leave-one-out: matrix is singular")
  expect_error(loo(y, v, btt0 = 1L), "leave-one-out: invalid argument")
  expect_error(loo(y, v, btt0 = -1L), "`btt0` must be non-negative")
  expect_error(loo(y[1], v[1]), "at least 2 studies")
  expect_error(loo(y[1:2], v[1:2], cbind(1, 1:2)), "more studies than coefficients")
  expect_error(loo(y, v, matrix(1, 3, 1)), "`X` must have 13 rows")
  expect_error(loo(y, v, 1:13), "`X` must be a double matrix")
  expect_error(loo(y, v, matrix(0, 13, 0)), "at least one column")
  # a moderator carried by one study: its deletion leaves a singular model
  d1 <- as.double(seq_along(y) == 4)
  r <- loo(y, v, cbind(1, d1))
  expect_true(all(is.na(r$beta[4, ])))
  expect_true(is.na(r$rstudent[4]) && is.na(r$cook[4]))
  expect_equal(r$status[4], 4L)
  expect_false(anyNA(r$beta[-4, ]))
  expect_warning(inf <- influence(pool(y, v, mods = d1)),
                 "study 4 could not be left out")
  expect_true(is.na(inf$dffits[4]))
  expect_equal(inf$hat[4], 1, tolerance = 1e-12)

  cum <- function(y, v) .Call(C("diag_cumul"), y, v, 2L, 0L, FALSE, 0.95,
                               1e-12, 1000L, NULL)
  expect_error(cum(double(0), double(0)), "no usable data")
  expect_error(cum(replace(y, 1, NA), v), "value outside")

  wls <- function(y, v, X) .Call(C("diag_wls"), y, v, X)
  expect_error(wls(y[1:2], v[1:2], cbind(1, 1:2)), "invalid argument")
  expect_error(wls(y, v, cbind(1, ablat, ablat)), "matrix is singular")
  expect_error(wls(replace(y, 1, Inf), v, cbind(1, ablat)), "value outside")
  expect_error(wls(y, v, cbind(1, replace(ablat, 1, NaN))), "value outside")
  expect_error(wls(y, v, NULL), "`X` must be a double matrix")
  w <- wls(y, v, cbind(1, ablat))
  ref <- summary(stats::lm(y ~ ablat, weights = 1 / v))
  expect_equal(w$coef, unname(ref$coefficients[, 1]), tolerance = 1e-12)
  expect_equal(w$se, unname(ref$coefficients[, 2]), tolerance = 1e-12)
  expect_equal(w$s2, ref$sigma^2, tolerance = 1e-12)

  ken <- function(x, y, exact = TRUE) .Call(C("diag_kendall"), x, y, exact)
  expect_error(ken(1:2 + 0, 1:2 + 0), "invalid argument")
  expect_error(ken(c(1, NA, 3), c(1, 2, 3)), "value outside")
  expect_error(ken(c(1, 1, 1), c(1, 2, 3)), "value outside")
  set.seed(3)
  x <- rnorm(60); z <- x + rnorm(60)
  k1 <- ken(x, z)
  ct <- suppressWarnings(stats::cor.test(x, z, method = "kendall",
                                         exact = TRUE))
  expect_named(k1, c("tau", "statistic", "p.value", "exact"))
  expect_equal(k1[["tau"]], unname(ct$estimate), tolerance = 1e-12)
  expect_equal(k1[["p.value"]], ct$p.value, tolerance = 1e-9)
  xt <- round(x); zt <- round(z)
  k2 <- ken(xt, zt)
  ct2 <- suppressWarnings(stats::cor.test(xt, zt, method = "kendall"))
  expect_equal(unname(k2[c("tau", "statistic", "p.value")]),
               unname(c(ct2$estimate, ct2$statistic, ct2$p.value)),
               tolerance = 1e-12)
  expect_equal(k2[["exact"]], 0)

  tf <- function(y, v, est = 0L, side = -1L, it = 100L)
    .Call(C("diag_trimfill"), y, v, 2L, 1e-12, 1000L, est, side, it)
  expect_error(tf(y[1], v[1]), "trim and fill: invalid argument")
  expect_error(tf(y, v, est = 3L), "trim and fill: invalid argument")
  expect_error(tf(y, v, side = 2L), "trim and fill: invalid argument")
  expect_error(tf(replace(y, 1, NaN), v), "trim and fill: value outside")
})
