# The correlated two-part (NCI) model of intake_usual(): its likelihood
# against two-dimensional numerical integration in R, the separate fits of
# 0.1.0 (fixture), simulation truth, nuisance effects.

nci_loglik_c <- function(d, theta, x = cbind(1, rep(0, nrow(d))),
                         rho = NA_real_, lambda = NA_real_, nq = 20L) {
  nrec <- as.integer(table(factor(d$id, unique(d$id))))
  .Call(nutrievidence:::C_intake_nci_loglik, as.double(d$y),
        as.integer(c(0L, cumsum(nrec)[-length(nrec)])), nrec, x,
        rep(1, length(nrec)), TRUE, rho, lambda, theta, nq)
}

test_that("the joint likelihood and its score match 2-D integration in R", {
  d <- sim_nci(25, p2 = 0.7, seed = 3)
  x <- cbind(1, as.double(d$day == 2))
  th <- c(1, 0.3, log(0.5), log(0.6), -0.2, 0.4, log(1.1), atanh(0.4), 0.2)
  r <- nci_loglik_c(d, th, x)
  # independent: a non-adaptive 80 x 80 Gauss-Hermite product rule over
  # the two person effects (v, u) = L (a, b), a, b standard normal
  bc <- function(y, l) (y^l - 1) / l
  sv <- exp(th[7]); su <- exp(th[3]); rho <- tanh(th[8])
  L <- t(chol(matrix(c(sv^2, rho * sv * su, rho * sv * su, su^2), 2)))
  gh <- statmod_gh(80)
  ab <- expand.grid(a = sqrt(2) * gh$x, b = sqrt(2) * gh$x)
  wab <- as.vector(outer(gh$w, gh$w)) / pi
  v <- L[1, 1] * ab$a
  u <- L[2, 1] * ab$a + L[2, 2] * ab$b
  ll <- 0
  for (i in unique(d$id)) {
    j <- which(d$id == i)
    f <- rep(1, length(v))
    for (jj in j) {
      eta <- sum(x[jj, ] * th[5:6]) + v
      if (d$y[jj] > 0) {
        f <- f * plogis(eta) * stats::dnorm(
          bc(d$y[jj], th[9]), sum(x[jj, ] * th[1:2]) + u, exp(th[4])) *
          d$y[jj]^(th[9] - 1)
      } else f <- f * plogis(-eta)
    }
    ll <- ll + log(sum(wab * f))
  }
  expect_equal(r$loglik, ll, tolerance = 1e-7)
  # the analytic score against central differences of the likelihood
  num <- vapply(seq_along(th), function(k) {
    h <- 1e-5 * (1 + abs(th[k]))
    e <- replace(numeric(length(th)), k, h)
    (nci_loglik_c(d, th + e, x)$loglik - nci_loglik_c(d, th - e, x)$loglik) /
      (2 * h)
  }, 1)
  expect_equal(r$gradient, num, tolerance = 1e-6)
  # ten adaptive nodes (what intake_usual() uses) agree with forty
  expect_equal(nci_loglik_c(d, th, x, nq = 10L)$loglik,
               nci_loglik_c(d, th, x, nq = 40L)$loglik, tolerance = 1e-8)
})

test_that("correlated = FALSE reproduces the 0.1.0 fits (fixture)", {
  fx <- readRDS(test_path("fixtures", "intake_usual_v010.rds"))
  rec <- fx$data
  fits <- list(
    amount = intake_usual(rec, id, amount),
    episodic = intake_usual(rec, id, food, correlated = FALSE),
    episodic_cov = intake_usual(rec, id, food, covariates = ~ sex,
                                weights = w, correlated = FALSE))
  for (nm in names(fits)) {
    expect_equal(coef(fits[[nm]]), fx$coef[[nm]], tolerance = 1e-10,
                 label = nm)
    expect_equal(quantile(fits[[nm]], fx$probs), fx$quantile[[nm]],
                 tolerance = 1e-10, label = nm)
    expect_equal(as.numeric(logLik(fits[[nm]])), fx$loglik[[nm]],
                 tolerance = 1e-10, label = nm)
  }
})

test_that("with rho fixed at 0 the joint ML agrees with the separate fits", {
  # The likelihood factorises at rho = 0: the probability part's ML and
  # lambda are those of the separate fit (a different maximiser and
  # quadrature); the amount variances differ by ML versus REML only.
  d <- sim_nci(600, p2 = 1, rho = 0, seed = 11)
  sep <- intake_usual(d, id, y, correlated = FALSE)
  jt <- intake_usual(d, id, y, correlated = FALSE,
                     nuisance = ~ I(day == 2))
  expect_equal(jt$method, "joint")
  expect_equal(sep$method, "separate")
  expect_equal(jt$lambda, sep$lambda, tolerance = 0.05)
  expect_equal(jt$sigma2_v, sep$sigma2_v, tolerance = 0.1)
  # at rho = 0 exactly (no nuisance day effect to estimate) the probability
  # parts coincide to the maximisers' tolerance
  o <- jt$opt; o$nci <- TRUE; o$correlated <- FALSE
  dd <- jt$data; dd$nuis <- NULL
  f0 <- nutrievidence:::usual_fit_separate(dd, o, nutrievidence:::usual_scale_w(dd$wp))
  fj <- nutrievidence:::usual_fit_nci(dd, o, nutrievidence:::usual_scale_w(dd$wp),
                                      f0, FALSE, NULL)
  expect_equal(fj$par$gamma, f0$par$gamma, tolerance = 1e-4)
  expect_equal(fj$par$sigma2_v, f0$par$sigma2_v, tolerance = 1e-3)
  expect_equal(fj$par$lambda, f0$par$lambda, tolerance = 1e-3)
  # ML variance of the amount's person effect is below REML's
  expect_lt(fj$par$sigma2_b + fj$par$sigma2_w,
            f0$par$sigma2_b + f0$par$sigma2_w)
})

test_that("rho and the percentiles are recovered within their SEs", {
  d <- sim_nci(1500, p2 = 0.6, rho = 0.5, seed = 21)
  fit <- intake_usual(d, id, y)
  expect_true(fit$converged)
  expect_true(fit$correlated)
  V <- vcov(fit)
  # rho: the truth within 3 SEs (a 99.7% interval: fails 0.3% of seeds)
  expect_lt(abs(fit$rho - 0.5), 3 * sqrt(V["rho", "rho"]))
  expect_lt(abs(fit$lambda - 0.25), 3 * sqrt(V["lambda", "lambda"]))
  # rho's interval from the information on the Fisher-z scale
  se_z <- sqrt(V["rho", "rho"]) / (1 - fit$rho^2)
  expect_equal(unname(confint(fit)["rho", ]),
               tanh(atanh(fit$rho) + c(-1, 1) * qnorm(0.975) * se_z))
  expect_equal(unname(unlist(tidy(fit)[tidy(fit)$term == "rho",
                                       c("conf.low", "conf.high")])),
               unname(confint(fit)["rho", ]))
  probs <- c(0.1, 0.5, 0.9)
  tq <- nci_true_quantile(probs, rho = 0.5)
  s <- summary(fit, probs = probs)$percentiles
  expect_true(all(abs(s$percentile - tq) < 3 * s$std.error))
  # the delta-method SE against the spread over replicate data sets is
  # checked in data-raw/validate_intake_usual.R; here: positive, finite
  expect_true(all(is.finite(s$std.error) & s$std.error > 0))
  # nobs agrees with logLik
  expect_equal(attr(logLik(fit), "nobs"), nobs(fit))
})

test_that("the distribution is built from the bivariate person effects", {
  # independent check of the sampler: a Monte Carlo over (u, v) in R at
  # the fitted parameters gives the same percentiles
  d <- sim_nci(400, p2 = 0.8, rho = -0.5, seed = 31)
  fit <- intake_usual(d, id, y)
  p <- fit$par
  set.seed(1)
  n <- 2e5
  z1 <- rnorm(n); z2 <- rnorm(n)
  gh <- statmod_gh(40)
  amt <- vapply(sqrt(p$sigma2_b) * z1[1:2000], function(u)
    sum(gh$w * boxcox_inv_r(p$beta + u + sqrt(2 * p$sigma2_w) * gh$x,
                            p$lambda)) / sqrt(pi), 1)
  amt <- stats::approx(sqrt(p$sigma2_b) * z1[1:2000], amt,
                       sqrt(p$sigma2_b) * z1, rule = 2)$y
  v <- sqrt(p$sigma2_v) * (p$rho * z1 + sqrt(1 - p$rho^2) * z2)
  mc <- quantile(plogis(p$gamma + v) * amt, c(0.1, 0.5, 0.9), names = FALSE)
  expect_equal(unname(quantile(fit, c(0.1, 0.5, 0.9))), mc, tolerance = 0.01)
})

test_that("delta-method SEs of percentiles and shares: the normal closed form", {
  # lambda = 1 and a nuisance day effect (so the joint model and its
  # information matrix): usual intake is normal, 1 + beta + u, so
  # P_p = 1 + beta + sigma_b z_p and F(c) = pnorm((c - 1 - beta) / sigma_b)
  set.seed(5)
  m <- 600
  b <- rnorm(m, 0, 4)
  d <- data.frame(id = rep(seq_len(m), each = 2), wk = rep(0:1, m))
  d$y <- 50 + b[d$id] + 2 * d$wk + rnorm(2 * m, 0, 6)
  fit <- intake_usual(d, id, y, nuisance = ~ wk, lambda = 1)
  V <- vcov(fit)
  mu <- 1 + coef(fit)[["beta:(Intercept)"]]
  s2 <- coef(fit)[["sigma2_b"]]
  vb <- V["beta:(Intercept)", "beta:(Intercept)"]
  vs <- V["sigma2_b", "sigma2_b"] / (4 * s2)     # Var(sigma_b)
  expect_equal(V["beta:(Intercept)", "sigma2_b"], 0, tolerance = 1e-6)
  z <- stats::qnorm(c(0.1, 0.5, 0.9))
  s <- summary(fit, probs = c(0.1, 0.5, 0.9))$percentiles
  expect_equal(s$percentile, mu + sqrt(s2) * z, tolerance = 1e-6)
  expect_equal(s$std.error, sqrt(vb + z^2 * vs), tolerance = 1e-5)
  sh <- intake_share(fit, below = 46, above = 55)
  zc <- (c(46, 55) - mu) / sqrt(s2)
  expect_equal(sh$share, c(stats::pnorm(zc[1]), stats::pnorm(-zc[2])),
               tolerance = 2e-3)
  # a share's SE is the density at the cut-off times that of (c - mu) / sd
  expect_equal(sh$std.error,
               stats::dnorm(zc) * sqrt(vb / s2 + zc^2 * vs / s2),
               tolerance = 0.01)
})

test_that("delta-method SEs of the two-part model: Jacobian by brute force", {
  # each percentile's derivative by central differences of an independent
  # Monte Carlo in R (common random numbers, 4e5 persons); the package
  # takes it from the sampler's grid
  d <- sim_nci(800, p2 = 0.6, rho = -0.5, seed = 32)
  fit <- intake_usual(d, id, y)
  o <- fit$opt; o$lambda <- fit$lambda_fixed_at
  set.seed(2)
  n <- 4e5
  z1 <- rnorm(n); z2 <- rnorm(n)
  gh <- statmod_gh(30)
  mc_q <- function(th) {
    p <- nutrievidence:::usual_theta_par(th, fit$data, o, o$lambda)
    grid <- seq(-5, 5, length.out = 401)
    amt <- vapply(grid, function(zu)
      sum(gh$w * boxcox_inv_r(p$beta + sqrt(p$sigma2_b) * zu +
                                sqrt(2 * p$sigma2_w) * gh$x, p$lambda)) /
        sqrt(pi), 1)
    amt <- stats::spline(grid, amt, xout = z1)$y
    v <- sqrt(p$sigma2_v) * (p$rho * z1 + sqrt(1 - p$rho^2) * z2)
    stats::quantile(stats::plogis(p$gamma + v) * amt, c(0.1, 0.5, 0.9),
                    names = FALSE)
  }
  th <- fit$theta
  J <- vapply(seq_along(th), function(j) {
    h <- 0.02 * (1 + abs(th[j]))
    tp <- th; tp[j] <- th[j] + h
    tm <- th; tm[j] <- th[j] - h
    (mc_q(tp) - mc_q(tm)) / (2 * h)
  }, numeric(3))
  se_bf <- sqrt(rowSums((J %*% fit$vcov_theta) * J))
  se <- summary(fit, probs = c(0.1, 0.5, 0.9))$percentiles$std.error
  expect_equal(se, se_bf, tolerance = 0.02)
})

test_that("nuisance effects are estimated and set to a reference or a mix", {
  d <- sim_nci(1200, p2 = 1, rho = 0.3, seed = 41)
  d$weekend <- d$day == 2
  # a weekend effect in both parts: more eaten, more often
  set.seed(5)
  we <- d$weekend & d$y > 0
  d$y[we] <- d$y[we] * 1.5
  flip <- d$weekend & d$y == 0 & runif(nrow(d)) < 0.2
  d$y[flip] <- stats::median(d$y[d$y > 0])
  fit <- intake_usual(d, id, y, nuisance = ~ weekend)
  expect_gt(fit$beta[["weekendTRUE"]], 0)
  expect_gt(fit$gamma[["weekendTRUE"]], 0)
  # the mix (weekday 5/7, weekend 2/7) lies between the two pure settings
  mix <- data.frame(weekend = c(FALSE, TRUE), weight = c(5, 2))
  fm <- intake_usual(d, id, y, nuisance = ~ weekend, nuisance_mix = mix)
  fw <- intake_usual(d, id, y, nuisance = ~ weekend,
                     nuisance_mix = data.frame(weekend = TRUE, weight = 1))
  expect_equal(coef(fm), coef(fit))
  q <- c(0.25, 0.5, 0.75)
  expect_true(all(quantile(fit, q) < quantile(fm, q)))
  expect_true(all(quantile(fm, q) < quantile(fw, q)))
  # the reference level: weekend = TRUE as reference is the same as the
  # mix putting all weight on weekend days
  d$weekday <- !d$weekend
  fr <- intake_usual(d, id, y, nuisance = ~ weekday)
  expect_equal(quantile(fr, q), quantile(fw, q), tolerance = 1e-4)
  expect_error(intake_usual(d, id, y, nuisance_mix = mix), "needs `nuisance`")
  expect_error(intake_usual(d, id, y, nuisance = ~ weekend,
                            nuisance_mix = data.frame(weekend = TRUE)),
               "column `weight`")
})

test_that("the joint fit stops inside its C loop at a time limit", {
  d <- sim_nci(2e5, p2 = 1, seed = 71)
  nrec <- rep(2L, 2e5)
  fit_c <- function() {
    setTimeLimit(elapsed = 0.3, transient = TRUE)
    r <- .Call(nutrievidence:::C_intake_nci_fit, as.double(d$y),
               as.integer(seq(0, by = 2, length.out = 2e5)), nrec,
               matrix(1, nrow(d), 1), rep(1, 2e5), TRUE, NA_real_,
               NA_real_, c(3, log(0.5), log(0.7), 0, 0, 0, 0.25), 10L,
               1000L, 1e-9, TRUE)
    r
  }
  inside <- error_inside_call(fit_c(), fit_c, "r")
  setTimeLimit(elapsed = Inf)
  expect_true(inside)
  # and the next call works normally
  expect_true(is.finite(intake_usual(sim_nci(300, seed = 72), id, y)$rho))
})
