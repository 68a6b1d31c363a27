# Bias correction of the usual-intake percentiles by parametric bootstrap
# (intake_usual(bias_correct = "bootstrap")): the refits' data against a
# simulator written here from the model's equations, the simulator against
# closed forms, the correction against 2 x estimate - mean of the refits.

# Recalls from the fitted model at `p`, drawn in the order the package
# documents (z1, z2 per person; consumption uniforms and day effects per
# recall) on the stream `seed`; `X` the day-level design.
sim_from_fit <- function(p, pid, X, episodic, seed) {
  assign(".Random.seed", seed, envir = globalenv())
  m <- max(pid)
  n <- length(pid)
  z1 <- stats::rnorm(m)
  z2 <- stats::rnorm(m)
  eat <- rep(TRUE, n)
  if (episodic) {
    v <- sqrt(p$sigma2_v) * (p$rho * z1 + sqrt(1 - p$rho^2) * z2)
    eat <- stats::runif(n) <
      stats::plogis(drop(X[, names(p$gamma), drop = FALSE] %*% p$gamma) +
                      v[pid])
  }
  z <- drop(X[, names(p$beta), drop = FALSE] %*% p$beta) +
    sqrt(p$sigma2_b) * z1[pid] + stats::rnorm(n, 0, sqrt(p$sigma2_w))
  ifelse(eat, boxcox_inv_r(z, p$lambda), 0)
}

# The corrected curve by the documented rule: relative bias of the mean
# refit percentile on the grid, averaged over +-10 grid points, applied to
# the estimate, sorted.
corrected_curve <- function(est, boot) {
  rel <- colMeans(boot) / est - 1
  G <- length(rel)
  rs <- vapply(seq_len(G), function(i)
    mean(rel[max(1, i - 10):min(G, i + 10)]), 0)
  sort(est * (1 - rs))
}

test_that("corrected percentiles: 2 x estimate - mean of refits to data simulated in R", {
  # the refits' streams are L'Ecuyer-CMRG: the RNG kind is put back after
  old <- nutrievidence:::nev_rng_save()
  on.exit(nutrievidence:::nev_rng_restore(old), add = TRUE)
  probs <- c(0.1, 0.25, 0.5, 0.9)
  grid <- seq(0.001, 0.999, by = 0.001)
  at <- vapply(probs, function(p) which.min(abs(grid - p)), 1L)
  B <- 4L
  d <- sim_nci(400, p2 = 0.6, rho = 0.3, gamma = 0, seed = 11)
  d$sex <- c("F", "M")[1 + (d$id %% 2)]
  d$weekend <- d$day == 2
  set.seed(3)
  d$supp <- ifelse(d$id %% 5 == 0, 100, 0)
  d$k2 <- boxcox_inv_r(3 + stats::rnorm(400, 0, 0.5)[d$id] +
                         stats::rnorm(nrow(d), 0, 0.7), 0.25)
  cases <- list(
    episodic = list(y = "y", episodic = TRUE),
    amount = list(y = "k2", episodic = FALSE),
    separate = list(y = "y", episodic = TRUE, correlated = FALSE),
    covariates = list(y = "y", episodic = TRUE, covariates = ~ sex,
                      nuisance = ~ weekend),
    supplement = list(y = "y", episodic = TRUE, supplement = "supp"))
  wq <- nutrievidence:::usual_quantile
  for (nm in names(cases)) {
    cs <- cases[[nm]]
    args <- list(data = d, id = "id", amount = cs$y,
                 correlated = cs$correlated, covariates = cs$covariates,
                 nuisance = cs$nuisance, supplement = cs$supplement)
    args <- args[!vapply(args, is.null, TRUE)]
    set.seed(5)
    # small data, few refits: the bias of P5 is put above 25% (a warning)
    fit <- suppressWarnings(do.call(intake_usual, c(
      args, bias_correct = "bootstrap", bias_B = B)))
    plug <- do.call(intake_usual, args)
    set.seed(5)
    seeds <- nutrievidence:::nev_chunk_seeds(B)
    X <- stats::model.matrix(~ sex + weekend, d)
    supp <- !is.null(cs$supplement)
    boot <- t(vapply(seeds, function(s) {
      sim <- d
      sim[[cs$y]] <- sim_from_fit(fit$par, d$id, X, cs$episodic, s)
      r <- suppressWarnings(do.call(intake_usual, utils::modifyList(
        args, list(data = sim, control = intake_control(tol = 1e-8)))))
      c(wq(r$dist, grid), if (supp) wq(r$dist_food, grid))
    }, numeric(length(grid) * (1 + supp))))
    G <- length(grid)
    want <- corrected_curve(wq(plug$dist, grid), boot[, seq_len(G)])[at]
    expect_equal(unname(quantile(fit, probs)), want, tolerance = 1e-3,
                 label = nm)
    expect_true(fit$bias$applied)
    expect_equal(wq(fit$bias$dist, probs), unname(quantile(plug, probs)))
    expect_equal(coef(fit), coef(plug))
    expect_equal(summary(fit, probs = probs)$percentiles$std.error,
                 summary(plug, probs = probs)$percentiles$std.error)
    if (supp)
      expect_equal(wq(fit$dist_food, probs),
                   corrected_curve(wq(plug$dist_food, grid),
                                   boot[, G + seq_len(G)])[at],
                   tolerance = 1e-3)
  }
})

test_that("the refits' data follow the model: closed forms", {
  m <- 40000L
  pid <- rep(seq_len(m), each = 2L)
  d <- list(m = m, y = numeric(2 * m), pidx = pid,
            x = matrix(1, m, 1, dimnames = list(NULL, "(Intercept)")))
  p <- list(lambda = 0, beta = c("(Intercept)" = 1),
            gamma = c("(Intercept)" = -0.5), sigma2_b = 0.25,
            sigma2_w = 0.49, sigma2_v = 1, rho = 0.6)
  set.seed(8)
  y <- nutrievidence:::usual_simulate(d, list(episodic = TRUE), p)$y
  g <- function(f) stats::integrate(function(s)
    f(s) * stats::dnorm(s), -Inf, Inf, rel.tol = 1e-10)$value
  pr <- function(s) stats::plogis(-0.5 + s)
  eat <- y > 0
  p1 <- g(pr)
  expect_lt(abs(mean(eat) - p1), 4 * sqrt(p1 * (1 - p1) / (2 * m)))
  # both days: E[plogis(gamma + v)^2], the person effect of consumption
  both <- eat[c(TRUE, FALSE)] & eat[c(FALSE, TRUE)]
  p2 <- g(function(s) pr(s)^2)
  expect_lt(abs(mean(both) - p2), 4 * sqrt(p2 * (1 - p2) / m))
  # log amount on consumption days: beta + sigma_b E[z1 | eat], with
  # E[z1 | v = sigma_v s] = rho s: positive for rho > 0
  ly <- log(y[eat])
  mu <- 1 + 0.5 * 0.6 * g(function(s) s * pr(s)) / p1
  expect_lt(abs(mean(ly) - mu), 4 * sqrt(0.74 / length(ly)))
  # within-person difference of log amounts: variance 2 sigma2_w
  dl <- log(y[c(FALSE, TRUE)][both]) - log(y[c(TRUE, FALSE)][both])
  expect_lt(abs(stats::var(dl) - 0.98), 4 * 0.98 * sqrt(2 / sum(both)))
})

test_that("failed refits are left out; too many leave the fit uncorrected", {
  d <- sim_nci(300, p2 = 0.6, rho = 0.3, gamma = 0, seed = 2)
  plug <- intake_usual(d, id, y)
  grid <- nutrievidence:::usual_bias_grid()
  q0 <- nutrievidence:::usual_quantile(plug$dist, grid)
  par <- matrix(0, 4, 1)
  q <- rbind(q0 * 1.1, q0 * 1.02, NA, q0 * 1.06)
  expect_warning(fit <- nutrievidence:::usual_bias_apply(plug, par, q, grid),
                 "1 of 4 bootstrap refits failed")
  expect_true(fit$bias$applied)
  expect_equal(fit$bias$n_failed, 1L)
  expect_equal(fit$bias$rel_bias, rep(0.06, length(grid)))
  expect_equal(nutrievidence:::usual_quantile(fit$dist, c(0.1, 0.5)),
               0.94 * nutrievidence:::usual_quantile(plug$dist, c(0.1, 0.5)),
               tolerance = 1e-5)
  q[c(1, 2), ] <- NA
  expect_warning(fit <- nutrievidence:::usual_bias_apply(plug, par, q, grid),
                 "only 1 of 4 bootstrap refits could be fitted")
  expect_false(fit$bias$applied)
  expect_identical(fit$dist, plug$dist)
  expect_warning(nutrievidence:::usual_bias_apply(plug, par[1:2, , drop = FALSE],
                                                  rbind(q0 * 1.5, q0 * 1.4),
                                                  grid),
                 "above 25%")
})

test_that("the correction is reported where the percentiles are", {
  d <- sim_nci(1000, p2 = 0.6, rho = 0.3, gamma = 0, seed = 4)
  set.seed(1)
  fit <- intake_usual(d, id, y, bias_correct = "bootstrap", bias_B = 5)
  expect_output(print(fit), "bias-corrected by parametric bootstrap \\(B = 5\\)")
  expect_output(print(summary(fit)), "uncorrected estimates")
  expect_equal(glance(fit)$bias_correct, "bootstrap")
  expect_equal(glance(intake_usual(d, id, y))$bias_correct, "none")
  expect_null(intake_usual(d, id, y)$bias)
  # the same seed, the same correction; the caller's stream moves on
  set.seed(1)
  again <- intake_usual(d, id, y, bias_correct = "bootstrap", bias_B = 5)
  expect_identical(quantile(again), quantile(fit))
  expect_equal(dim(fit$bias$par), c(5L, 7L))
  # shares come from the corrected distribution
  s <- intake_share(fit, below = quantile(fit, 0.2))
  expect_equal(s$share, 0.2, tolerance = 2e-3)
})
