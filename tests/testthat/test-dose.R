# Dose-response: published results (Greenland & Longnecker 1992; Orsini et
# al. 2006, 2012; Crippa et al. 2014) and dosresmeta 2.2.0 output stored by
# data-raw/fixtures_dose.R (tightened iterations).
fx <- readRDS(test_path("fixtures", "dose_dosresmeta.rds"))
alc <- fx$data$alcohol_cvd
relerr <- function(x, y) max(abs(x - y) / pmax(abs(y), 1e-300))
fit_alc <- function(...) dose_response(logrr ~ dose, id = id, type = type,
  cases = cases, n = n, se = se, data = alc, ...)

test_that("GL pseudo-cases of alcohol_cvd study 1 match the published values", {
  cv <- dose_covariance(logrr, se, cases, n, type, dose = dose,
                        data = alc[alc$id == 1, ])
  expect_equal(round(cv$pseudo$A, 3), c(125.046, 67.121, 68.861, 18.650, 17.322))
  expect_true(cv$pseudo$referent[1])
  expect_s3_class(cv, "nev_dose_cov")
  expect_output(print(cv), "Greenland-Longnecker")
})

test_that("GL pseudo-counts reproduce the log RRs and the margins exactly", {
  for (s in unique(alc$id)) {
    d <- alc[alc$id == s, ]
    cv <- dose_covariance(logrr, se, cases, n, type, dose = dose, data = d)
    A <- cv$pseudo$A; N <- cv$pseudo$N
    lor <- log(A / (N - A)) - log(A[1] / (N[1] - A[1]))
    expect_equal(lor, d$logrr, tolerance = 1e-12)
    expect_equal(sum(A), sum(d$cases), tolerance = 1e-13)
    # closed-form covariance from the pseudo-counts
    sv <- 1 / A + 1 / (N - A)
    if (d$type[1] == "ci") sv <- 1 / A - 1 / N
    v <- d$se[-1]^2
    S <- outer(sqrt(v), sqrt(v)) * sv[1] /
      sqrt(outer(sv[1] + sv[-1], sv[1] + sv[-1]))
    diag(S) <- v
    expect_equal(unname(cv$S[[1]]), S, tolerance = 1e-12)
  }
})

test_that("risk-scale GL pseudo-counts reproduce log risk ratios", {
  d <- fx$data$ci_ex
  cv <- dose_covariance(logrr, se, cases, n, "ci", dose = dose, data = d,
                        ci_scale = "risk")
  A <- cv$pseudo$A; N <- cv$pseudo$N
  expect_equal(log(A / N) - log(A[1] / N[1]), d$logrr, tolerance = 1e-12)
})

test_that("Hamling pseudo-counts reproduce log RRs, variances and ratios", {
  for (s in 1:4) {
    d <- alc[alc$id == s, ]
    cv <- dose_covariance(logrr, se, cases, n, type, dose = dose, data = d,
                          method = "hamling")
    A <- cv$pseudo$A; B <- cv$pseudo$N - A
    expect_equal(log(A / B) - log(A[1] / B[1]), d$logrr, tolerance = 1e-10)
    expect_equal((1 / A + 1 / B + 1 / A[1] + 1 / B[1])[-1], d$se[-1]^2,
                 tolerance = 1e-10)
    b0 <- d$n - d$cases
    expect_equal(B[1] / sum(B), b0[1] / sum(b0), tolerance = 1e-12)
    expect_equal(sum(B) / sum(A), sum(b0) / sum(d$cases), tolerance = 1e-12)
    expect_equal(unname(cv$S[[1]]), fx$hamling_alcohol[[s]]$S, tolerance = 1e-10)
  }
  # incidence-rate Hamling: variance 1/A + 1/A0 and rate ratios reproduced
  d <- fx$data$ir_ex
  cv <- dose_covariance(logrr, se, cases, n, "ir", dose = dose, data = d,
                        method = "hamling")
  A <- cv$pseudo$A; N <- cv$pseudo$N
  expect_equal(log(A / N) - log(A[1] / N[1]), d$logrr, tolerance = 1e-10)
  expect_equal((1 / A + 1 / A[1])[-1], d$se[-1]^2, tolerance = 1e-10)
  expect_equal(N[1] / sum(N), d$n[1] / sum(d$n), tolerance = 1e-12)
  # cumulative incidence: variance 1/A - 1/N + 1/A0 - 1/N0
  d <- fx$data$ci_ex
  cv <- dose_covariance(logrr, se, cases, n, "ci", dose = dose, data = d,
                        method = "hamling")
  A <- cv$pseudo$A; N <- cv$pseudo$N
  expect_equal((1 / A - 1 / N + 1 / A[1] - 1 / N[1])[-1], d$se[-1]^2,
               tolerance = 1e-10)
})

test_that("GL covariances equal dosresmeta's to machine precision", {
  for (s in 1:6) {
    cv <- dose_covariance(logrr, se, cases, n, type, dose = dose,
                          data = alc[alc$id == s, ])
    expect_equal(unname(cv$S[[1]]), fx$gl_alcohol[[s]]$S, tolerance = 1e-13)
    expect_equal(cv$pseudo$A, fx$gl_alcohol[[s]]$A, tolerance = 1e-13)
  }
  # the same for all studies in one call
  cv <- dose_covariance(logrr, se, cases, n, type, id = id, dose = dose,
                        data = alc)
  expect_length(cv$S, 6)
  expect_equal(unname(cv$S[[6]]), fx$gl_alcohol[[6]]$S, tolerance = 1e-13)
})

test_that("Legrady 1987 covariance matches the printed dosresmeta output", {
  # Crippa & Orsini: covar.logrr() for study 1 of coffee_mort, printed to 7
  # significant digits (dosresmeta's GL iteration stops at 1e-5).
  leg <- fx$data$coffee_mort[fx$data$coffee_mort$id == 1, ]
  cv <- dose_covariance(logrr, se, cases, n, type, dose = dose, data = leg)
  printed <- matrix(c(0.01935402, 0.01279718, 0.01259433,
                      0.01279718, 0.01885673, 0.01254856,
                      0.01259433, 0.01254856, 0.01963947), 3)
  expect_equal(unname(cv$S[[1]]), printed, tolerance = 1e-6)
  expect_equal(unname(cv$S[[1]]), fx$gl_legrady, tolerance = 1e-6)
})

test_that("cc_ex reproduces Greenland & Longnecker / Orsini et al. 2006", {
  d <- fx$data$cc_ex
  fit <- dose_response(logrr ~ dose, type = "cc", cases = case, n = n,
                       lower = lb, upper = ub, data = d)
  b <- coef(fit); se <- sqrt(vcov(fit)[1, 1])
  expect_equal(round(unname(b), 4), 0.0454)
  expect_equal(round(se, 4), 0.0207)
  expect_equal(round(unname(b^2 / se^2), 4), 4.8333)
  p <- predict(fit, dose = 0, delta = 11)
  expect_equal(round(c(p$estimate, p$conf.low, p$conf.high), 3),
               c(1.648, 1.056, 2.573))
  expect_equal(unname(b), fx$cc_ex$coef, tolerance = 1e-10)
  expect_equal(unname(vcov(fit)), fx$cc_ex$vcov, tolerance = 1e-10)
  ind <- dose_response(logrr ~ dose, lower = lb, upper = ub, data = d,
                       covariance = "independent")
  expect_equal(round(unname(c(coef(ind), sqrt(vcov(ind)))), 4), c(0.0334, 0.0187))
  expect_equal(unname(coef(ind)), fx$cc_ex_indep$coef, tolerance = 1e-12)
  expect_equal(fit$method, "FE")
})

test_that("ci_ex and ir_ex reproduce the published slopes", {
  d <- fx$data$ci_ex
  for (sc in c("odds", "risk")) {
    fit <- dose_response(logrr ~ dose, type = "ci", cases = cases, n = n,
                         se = se, data = d, ci_scale = sc)
    expect_equal(round(unname(c(coef(fit), sqrt(vcov(fit)))), 4), c(-0.0736, 0.0214))
  }
  fo <- dose_response(logrr ~ dose, type = "ci", cases = cases, n = n,
                      se = se, data = d, ci_scale = "odds")
  fr <- dose_response(logrr ~ dose, type = "ci", cases = cases, n = n,
                      se = se, data = d, ci_scale = "risk")
  expect_equal(unname(coef(fo)), fx$ci_ex$coef, tolerance = 1e-10)
  expect_gt(abs(coef(fo) - coef(fr)), 5e-5) # the scales differ in the 4th digit
  d <- fx$data$ir_ex
  fit <- dose_response(logrr ~ dose, type = "ir", cases = cases, n = n,
                       se = se, data = d)
  expect_equal(round(unname(c(coef(fit), sqrt(vcov(fit)))), 4), c(-0.0232, 0.0125))
  expect_equal(unname(coef(fit)), fx$ir_ex$coef, tolerance = 1e-10)
})

test_that("alcohol_cvd linear REML reproduces Orsini et al. and dosresmeta", {
  fit <- fit_alc()
  expect_true(fit$converged)
  expect_equal(round(unname(c(coef(fit), sqrt(vcov(fit)), fit$tau)), 4),
               c(-0.0044, 0.0059, 0.0100))
  # Published Q 14.1464 sits on a rounding boundary: the exact value is
  # 14.146350 (dosresmeta's early-stopped pseudo-counts give 14.1463506).
  expect_lt(abs(fit$Q - 14.1464), 0.5e-4 + 1e-6)
  expect_equal(fit$Q_df, 5L)
  r <- fx$alc_lin_reml
  expect_equal(unname(coef(fit)), r$coef, tolerance = 1e-6)
  expect_equal(unname(vcov(fit)), r$vcov, tolerance = 1e-6)
  expect_equal(unname(fit$Psi), r$Psi, tolerance = 1e-6)
  expect_equal(fit$Q, r$Q, tolerance = 1e-10)
  expect_equal(as.numeric(fit$logLik), r$logLik, tolerance = 1e-10)
})

test_that("rows of a study need not be contiguous (interleaved studies)", {
  # one row of each study in turn, the order within a study kept
  mix <- alc[order(ave(seq_len(nrow(alc)), alc$id, FUN = seq_along), alc$id), ]
  expect_false(all(diff(mix$id) >= 0))
  for (cv in c("gl", "independent")) {
    a <- fit_alc(covariance = cv)
    b <- dose_response(logrr ~ dose, id = id, type = type, cases = cases,
                       n = n, se = se, data = mix, covariance = cv)
    expect_equal(coef(b), coef(a), tolerance = 1e-12)
    expect_equal(vcov(b), vcov(a), tolerance = 1e-12)
    expect_equal(b$Q, a$Q, tolerance = 1e-12)
    expect_equal(as.numeric(logLik(b)), as.numeric(logLik(a)),
                 tolerance = 1e-12)
    expect_equal(b$S, a$S, tolerance = 1e-12)
  }
  ca <- dose_covariance(logrr, se, cases, n, type, id, dose, data = alc)
  cb <- dose_covariance(logrr, se, cases, n, type, id, dose, data = mix)
  expect_equal(cb$S, ca$S, tolerance = 1e-12)
})

test_that("alcohol_cvd quadratic REML reaches the published optimum", {
  fit <- fit_alc(shape = "quadratic")
  expect_true(fit$converged)
  expect_equal(round(unname(coef(fit)), 4), c(-0.0302, 0.0008))
  expect_equal(round(unname(sqrt(diag(vcov(fit)))), 4), c(0.0132, 0.0005))
  expect_equal(round(unname(fit$tau), 4), c(0.0209, 0.0008))
  expect_equal(round(stats::cov2cor(fit$Psi)[1, 2], 3), -0.906)
  p <- predict(fit, dose = 20, ref = 0)
  expect_equal(round(c(p$estimate, p$conf.low, p$conf.high), 4),
               c(0.7378, 0.5734, 0.9494))
  r <- fx$alc_quad_reml
  expect_equal(unname(coef(fit)), r$coef, tolerance = 1e-6)
  expect_equal(unname(vcov(fit)), r$vcov, tolerance = 1e-6)
  expect_equal(unname(fit$Psi), r$Psi, tolerance = 1e-6)
  expect_equal(as.numeric(fit$logLik), r$logLik, tolerance = 1e-10)
})

test_that("ML, FE, independent, Hamling and spline fits match dosresmeta", {
  chk <- function(fit, r) {
    expect_true(fit$converged)
    expect_equal(unname(coef(fit)), r$coef, tolerance = 1e-6)
    expect_equal(unname(vcov(fit)), r$vcov, tolerance = 1e-6)
    if (!is.null(r$Psi)) expect_equal(unname(fit$Psi), r$Psi, tolerance = 1e-6)
    expect_equal(fit$Q, r$Q, tolerance = 1e-9)
    expect_equal(as.numeric(fit$logLik), r$logLik, tolerance = 1e-9)
  }
  chk(fit_alc(method = "ML"), fx$alc_lin_ml)
  chk(fit_alc(method = "ML", shape = "quadratic"), fx$alc_quad_ml)
  chk(fit_alc(method = "FE"), fx$alc_lin_fe)
  chk(fit_alc(covariance = "independent"), fx$alc_lin_indep)
  chk(dose_response(logrr ~ dose, id = id, type = type, cases = cases, n = n,
                    se = se, data = alc[alc$type == "cc", ],
                    covariance = "hamling"), fx$alc_cc_hamling)
  sp <- fit_alc(shape = "spline")  # default knots: 10/50/90th percentiles
  expect_equal(sp$knots, fx$alc_spline_knots)
  chk(sp, fx$alc_spline_reml)
  # predicted curve against a spline basis built by Hmisc
  X <- fx$alc_spline_pred_X
  eta <- drop(X %*% fx$alc_spline_reml$coef)
  se <- sqrt(rowSums((X %*% fx$alc_spline_reml$vcov) * X))
  p <- predict(sp, dose = fx$alc_spline_pred_dose, ref = 0)
  expect_equal(p$estimate, exp(eta), tolerance = 1e-6)
  expect_equal(p$conf.low, exp(eta - qnorm(0.975) * se), tolerance = 1e-6)
  expect_equal(p$conf.high, exp(eta + qnorm(0.975) * se), tolerance = 1e-6)
})

test_that("coffee and mortality splines reproduce Crippa et al. 2014", {
  for (nm in c("coffee_mort", "coffee_cvd")) {
    r <- fx[[paste0(nm, "_spline")]]
    fit <- dose_response(logrr ~ dose, id = id, type = type, cases = cases,
                         n = n, se = se, data = fx$data[[nm]],
                         shape = "spline", knots = r$knots)
    expect_true(fit$converged)
    expect_equal(unname(coef(fit)), r$coef, tolerance = 1e-6)
    expect_equal(unname(fit$Psi), r$Psi, tolerance = 1e-6)
    expect_equal(fit$Q, r$Q, tolerance = 1e-9)
    p <- predict(fit, dose = r$pred_dose, ref = 0)
    expect_equal(log(p$estimate), drop(r$pred_X %*% r$coef), tolerance = 1e-6)
    if (nm == "coffee_cvd") {
      # Published: largest reduction at 3 cups/day, 21% (95% CI 16-26%).
      # The point estimate is reproduced; the interval here is 0.735-0.850.
      p3 <- predict(fit, dose = 3, ref = 0)
      expect_equal(round(p3$estimate, 2), 0.79)
    }
  }
})

test_that("REML matches a brute-force univariate REML for the linear slope", {
  fit <- fit_alc()
  b <- fit$bi[, 1]; v <- vapply(fit$Vi, function(m) m[1, 1], 0)
  nll <- function(t2) {
    w <- 1 / (v + t2); mu <- sum(w * b) / sum(w)
    0.5 * (sum(log(v + t2)) + log(sum(w)) + sum(w * (b - mu)^2))
  }
  t2 <- optimize(nll, c(0, 0.01), tol = 1e-14)$minimum
  w <- 1 / (v + t2)
  expect_equal(unname(fit$Psi[1, 1]), t2, tolerance = 1e-6)
  expect_equal(unname(coef(fit)), sum(w * b) / sum(w), tolerance = 1e-7)
  expect_equal(unname(vcov(fit)[1, 1]), 1 / sum(w), tolerance = 1e-6)
  # Q about the fixed-effect mean
  w0 <- 1 / v
  expect_equal(fit$Q, sum(w0 * (b - sum(w0 * b) / sum(w0))^2), tolerance = 1e-12)
})

test_that("per-study GLS equals a brute-force GLS", {
  fit <- fit_alc(shape = "quadratic")
  for (s in 1:6) {
    d <- alc[alc$id == s, ][-1, ]
    X <- cbind(d$dose, d$dose^2)
    Si <- solve(fit$S[[s]])
    V <- solve(t(X) %*% Si %*% X)
    b <- drop(V %*% t(X) %*% Si %*% d$logrr)
    expect_equal(unname(fit$bi[s, ]), b, tolerance = 1e-10)
    expect_equal(unname(fit$Vi[[s]]), unname(V), tolerance = 1e-10)
    r <- d$logrr - drop(X %*% b)
    expect_equal(unname(fit$gof[s]), drop(r %*% Si %*% r), tolerance = 1e-9)
  }
})

test_that("fractional polynomials match dosresmeta's fracpol() fits", {
  for (nm in grep("^alc_fp_", names(fx), value = TRUE)) {
    r <- fx[[nm]]
    fit <- fit_alc(shape = "fp", powers = r$powers)
    expect_true(fit$converged)
    expect_equal(c(fit$fp$shift, fit$fp$scale), unname(r$scaling))
    expect_equal(unname(coef(fit)), r$coef, tolerance = 1e-6)
    expect_equal(unname(vcov(fit)), r$vcov, tolerance = 1e-6)
    expect_equal(unname(fit$Psi), r$Psi, tolerance = 1e-6)
    expect_equal(as.numeric(fit$logLik), r$logLik, tolerance = 1e-9)
  }
  # the repeated power uses z^p and z^p log z, z = (dose + shift) / scale
  fit <- fit_alc(shape = "fp", powers = c(0.5, 0.5))
  z <- (c(10, 0) + fit$fp$shift) / fit$fp$scale
  X <- cbind(sqrt(z), sqrt(z) * log(z))
  p <- predict(fit, dose = 10, ref = 0, transf = identity)
  expect_equal(p$estimate, sum((X[1, ] - X[2, ]) * coef(fit)))
  expect_named(coef(fit), c("dose^0.5", "dose^0.5*log(dose)"))
  expect_output(print(fit), "powers 0.5, 0.5")
  expect_error(predict(fit, dose = -5), "defined for doses above -0.1")
  # automatic choice: the degree-2 pair with the largest ML log-likelihood
  auto <- fit_alc(shape = "fp")
  grid <- c(-2, -1, -0.5, 0, 0.5, 1, 2, 3)
  ll <- c()
  for (i in seq_along(grid)) for (j in i:length(grid))
    ll[paste(grid[i], grid[j])] <- fit_alc(shape = "fp", method = "ML",
                                           powers = grid[c(i, j)])$logLik
  expect_equal(paste(auto$fp$powers, collapse = " "), names(which.max(ll)))
  expect_error(fit_alc(shape = "fp", powers = c(1, 2, 3)), "`powers` must be 1 or 2")
})

test_that("one-stage models match dosresmeta's proc = '1stage'", {
  chk <- function(fit, r) {
    expect_true(fit$converged)
    expect_equal(unname(coef(fit)), r$coef, tolerance = 1e-6)
    expect_equal(unname(vcov(fit)), r$vcov, tolerance = 1e-6)
    expect_equal(unname(fit$Psi), r$Psi, tolerance = 1e-6)
    expect_equal(as.numeric(fit$logLik), r$logLik, tolerance = 1e-9)
  }
  chk(fit_alc(stage = "one"), fx$alc_lin_1s)
  chk(fit_alc(stage = "one", shape = "quadratic"), fx$alc_quad_1s)
  chk(fit_alc(stage = "one", shape = "quadratic", method = "ML"),
      fx$alc_quad_1s_ml)
  # studies with a single non-referent category enter the one-stage model
  short <- fx$alc_short
  expect_error(dose_response(logrr ~ dose, id = id, type = type, cases = cases,
                             n = n, se = se, data = short, shape = "quadratic"),
               "use `stage = \"one\"`")
  one <- dose_response(logrr ~ dose, id = id, type = type, cases = cases,
                       n = n, se = se, data = short, shape = "quadratic",
                       stage = "one")
  chk(one, fx$alc_short_quad_1s)
  expect_true(is.na(one$Q))
  expect_output(print(one), "one-stage random effects \\(REML\\)")
  expect_output(print(summary(one)), "Goodness of fit")
  expect_true(is.na(glance(one)$cochran.qe))
  # one-stage fixed effect = GLS on all stacked contrasts (brute force)
  fe <- fit_alc(stage = "one", method = "FE")
  X <- unlist(lapply(1:6, function(i) alc$dose[alc$id == i][-1]))
  y <- unlist(lapply(1:6, function(i) alc$logrr[alc$id == i][-1]))
  Si <- lapply(fe$S, solve)
  XtSX <- 0; XtSy <- 0; o <- 0
  for (i in 1:6) {
    idx <- o + seq_len(nrow(Si[[i]])); o <- max(idx)
    XtSX <- XtSX + sum(X[idx] * Si[[i]] %*% X[idx])
    XtSy <- XtSy + sum(X[idx] * Si[[i]] %*% y[idx])
  }
  expect_equal(unname(coef(fe)), XtSy / XtSX, tolerance = 1e-12)
  expect_equal(unname(vcov(fe)[1, 1]), 1 / XtSX, tolerance = 1e-12)
  expect_error(fit_alc(stage = "one", shape = "spline",
                       knots = c(0, 10, 20, 30, 40, 50, 60, 70, 77),
                       method = "FE")$converged, NA)
  tiny <- alc[alc$id %in% 1:2 & ave(alc$dose, alc$id, FUN = seq_along) <= 2, ]
  expect_error(dose_response(logrr ~ dose, id = id, type = type, cases = cases,
                             n = n, se = se, data = tiny, shape = "quadratic",
                             stage = "one"),
               "needs more than 2 non-referent categories in all; got 2")
})
