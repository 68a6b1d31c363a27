# Validation of intake_usual()'s correlated two-part (NCI) model by
# simulation from the model with known parameters (issue 14):
#   2,000 persons, a second recall for 40% of them, about 30%, 50% and 70%
#   non-consumption days (gamma = 1, 0, -1 with sigma_v = 1), rho in
#   {-0.5, 0, 0.5}; per replicate the fit with model-based (delta-method)
#   SEs. Reports the relative bias of P10, P50, P90 with its Monte Carlo
#   SE, the coverage of their 95% intervals, and how often rho is within
#   two SEs (with their binomial Monte Carlo SEs).
# The true percentiles are computed independently of the package: 4e6
# simulated persons, each person's mean amount over the day-to-day
# variation by stats::integrate() on a grid of person effects; "brute"
# checks them against brute force (each person's mean of D simulated
# recall days, D = 250 and 1000, extrapolated linearly in 1/D).
# Usage: Rscript data-raw/validate_intake_usual.R [replicates] [out.rds]
#          [gammas] [rhos] [first replicate] [persons] [bias_B]
#          (bias_B > 0: the fits use bias_correct = "bootstrap" with
#          bias_B refits, and the table adds the uncorrected estimates' bias)
#        Rscript data-raw/validate_intake_usual.R summary a.rds b.rds ...
#          (the table of the runs saved in a.rds, b.rds, ... together)
#        Rscript data-raw/validate_intake_usual.R brute [persons]
#        Rscript data-raw/validate_intake_usual.R decompose [replicates]
#          [out.rds] [gammas] [rhos]
#          (where the bias of the percentiles comes from, see below)
# e.g. "200 out.rds 1,0,-1 -0.5,0,0.5 1 2000" (the defaults); not run by
# the tests: 1,800 fits take 10-30 minutes on one core. With 8,000 persons
# ("200 big.rds 0 -0.5 1 8000") the small-sample bias of the tails shrinks.
# With the bias correction ("300 a.rds -1 -0.5,0,0.5 1 2000 20"), each fit
# takes about 2 s (21 fits); runs split by first replicate combine with
# "summary".
args <- commandArgs(TRUE)
# The table: per design and percentile the relative bias with its Monte
# Carlo SE, the relative bias of the median of the estimates (the
# estimates of the lower tail are skewed to the right at 2,000 persons),
# that of the uncorrected (plug-in) estimates when the fits are
# bias-corrected (bias_plugin, with their coverage cover_plugin and the SD
# of the corrected over the uncorrected estimates sd_ratio), mean SE / SD of the estimates, the 95% coverage, rho within
# two SEs on its own scale and on the Fisher-z (atanh) scale the fit is
# made on, and the fits with rho at its boundary (|rho| > 0.995, flagged
# with a warning by intake_usual()) with the bias of the other fits.
summarise <- function(tab) {
  cover <- function(t) abs(t$est - t$truth) <= 1.96 * t$se
  rho_in <- function(t) abs(t$rho_hat - t$rho) <= 2 * t$rho_se
  rho_z <- function(t) abs(atanh(pmax(pmin(t$rho_hat, 1 - 1e-12),
                                      -1 + 1e-12)) - atanh(t$rho)) <=
    2 * t$rho_se / (1 - t$rho_hat^2)
  pct <- function(x) 100 * mean(x)
  mcse <- function(x) 100 * sqrt(mean(x) * (1 - mean(x)) / length(x))
  bias <- function(est, truth) 100 * (mean(est) / truth - 1)
  summ <- do.call(rbind, lapply(split(tab, list(tab$gamma, tab$rho,
                                                tab$prob), drop = TRUE),
                                function(t) {
    bd <- abs(t$rho_hat) > 0.995
    data.frame(gamma = t$gamma[1], rho = t$rho[1], prob = t$prob[1],
               n = nrow(t), zero_days = pct(t$zero_share),
               truth = t$truth[1], bias = bias(t$est, t$truth[1]),
               bias_mcse = 100 * sd(t$est) / sqrt(nrow(t)) / t$truth[1],
               bias_med = 100 * (stats::median(t$est) / t$truth[1] - 1),
               bias_plugin = if (is.null(t$est_plugin)) NA_real_ else
                 bias(t$est_plugin, t$truth[1]),
               cover_plugin = if (is.null(t$est_plugin)) NA_real_ else
                 pct(cover(transform(t, est = est_plugin))),
               sd_ratio = if (is.null(t$est_plugin)) NA_real_ else
                 sd(t$est) / sd(t$est_plugin),
               se_sd = mean(t$se) / sd(t$est),
               cover = pct(cover(t)), cover_mcse = mcse(cover(t)),
               rho_2se = pct(rho_in(t)), rho_mcse = mcse(rho_in(t)),
               rho_2se_z = pct(rho_z(t)), n_bd = sum(bd),
               bias_no_bd = bias(t$est[!bd], t$truth[1]),
               conv = pct(t$converged), sec = mean(t$seconds))
  }))
  print(summ[order(-summ$gamma, summ$rho, summ$prob), ], row.names = FALSE,
        digits = 3)
}

if (length(args) && args[1] == "summary") {
  summarise(do.call(rbind, lapply(args[-1], readRDS)))
  quit(save = "no")
}
# mode "table" (the validation table), "brute", "decompose"
mode <- if (length(args) && args[1] %in% c("brute", "decompose")) args[1] else
  "table"
if (mode == "decompose") args <- args[-1]
brute <- mode == "brute"
if (!brute) library(nutrievidence)
R <- if (length(args) && !brute) as.integer(args[1]) else
  c(table = 200L, brute = 0L, decompose = 600L)[[mode]]
out <- if (length(args) > 1) args[2] else
  paste0(if (mode == "table") "validate" else mode, "_intake_usual.rds")
num_arg <- function(i, default)
  if (length(args) >= i) as.numeric(strsplit(args[i], ",")[[1]]) else default
gammas <- num_arg(3, if (mode == "table") c(1, 0, -1) else -1)
rhos <- num_arg(4, c(-0.5, 0, 0.5))
first <- as.integer(num_arg(5, 1))
persons <- as.integer(num_arg(6, 2000))
bias_B <- as.integer(num_arg(7, 0))

truth_par <- list(lambda = 0.25, beta = 3, sigma_u = 0.5, sigma_w = 0.8,
                  gamma = 0, sigma_v = 1)
binv <- function(z, lam) pmax(1 + lam * z, 0)^(1 / lam)

# Mean of the back-transformed amount for a person effect u.
mean_amount <- function(u, p) vapply(u, function(ui) stats::integrate(
  function(e) binv(p$beta + ui + e, p$lambda) * dnorm(e, 0, p$sigma_w),
  -Inf, Inf, rel.tol = 1e-10)$value, 1)

true_percentiles <- function(p, rho, probs, n = 4e6, seed = 99) {
  set.seed(seed)
  z1 <- rnorm(n); z2 <- rnorm(n)
  u <- p$sigma_u * z1
  v <- p$sigma_v * (rho * z1 + sqrt(1 - rho^2) * z2)
  grid <- seq(-6, 6, length.out = 1201) * p$sigma_u
  amt <- stats::approx(grid, mean_amount(grid, p), u)$y
  stats::quantile(plogis(p$gamma + v) * amt, probs, names = FALSE)
}

# Recalls of persons with nrec recalls each (2 for a share p2 of persons in
# the designs) from the model with parameters p and correlation rho.
simulate_recalls <- function(p, rho, nrec) {
  m <- length(nrec)
  id <- rep(seq_len(m), nrec)
  z1 <- rnorm(m); z2 <- rnorm(m)
  u <- p$sigma_u * z1
  v <- p$sigma_v * (rho * z1 + sqrt(1 - rho^2) * z2)
  eat <- runif(length(id)) < plogis(p$gamma + v[id])
  amt <- binv(p$beta + u[id] + rnorm(length(id), 0, p$sigma_w), p$lambda)
  data.frame(id = id, y = ifelse(eat, amt, 0))
}

probs <- c(0.1, 0.5, 0.9)

fit_or_null <- function(d) tryCatch(suppressWarnings(
  if (bias_B > 0) intake_usual(d, id, y, probs = probs,
                               bias_correct = "bootstrap", bias_B = bias_B)
  else intake_usual(d, id, y, probs = probs)),
  error = function(e) NULL)

# Every design (gammas x rhos) and replicate in `reps`: replicate r's data
# (its seed as in the validation table, a second recall for 40% of
# `persons`), its fit, and the data frame row(f, d, p, rho, seconds) with
# the design, the percentiles' truth and the fit's estimates in front;
# saved to `out` after each design. Failed fits are left out.
run_designs <- function(row, reps = seq_len(R), persons = 2000) {
  res <- list()
  for (gamma in gammas) for (rho in rhos) {
    p <- truth_par; p$gamma <- gamma
    tq <- true_percentiles(p, rho, probs)
    for (r in reps) {
      set.seed(1000 * r + round(10 * rho) + 1e6 * round(10 * gamma))
      d <- simulate_recalls(p, rho, 1L + (runif(persons) < 0.4))
      t0 <- proc.time()[["elapsed"]]
      f <- fit_or_null(d)
      if (is.null(f)) next
      sec <- proc.time()[["elapsed"]] - t0
      res[[length(res) + 1L]] <- data.frame(
        gamma = gamma, rho = rho, rep = r, prob = probs, truth = tq,
        est = unname(quantile(f, probs)), row(f, d, p, rho, sec))
    }
    saveRDS(do.call(rbind, res), out)
  }
  do.call(rbind, res)
}

# Mean of x relative to the truth t, in %, with its Monte Carlo SE.
rel_mean <- function(x, t) sprintf("%+.1f (%.1f)", 100 * mean(x) / t,
                                   100 * sd(x) / sqrt(length(x)) / t)

# Brute force for the truth at rho = -0.5 (gamma 0 and -1).
if (brute) {
  n <- if (length(args) > 1) as.numeric(args[2]) else 4.8e5
  for (gamma in c(0, -1)) {
    p <- truth_par; p$gamma <- gamma; rho <- -0.5
    tq <- true_percentiles(p, rho, probs)
    set.seed(4242)
    z1 <- rnorm(n); z2 <- rnorm(n)
    u <- p$sigma_u * z1
    pr <- plogis(p$gamma + p$sigma_v * (rho * z1 + sqrt(1 - rho^2) * z2))
    q <- vapply(c(250, 1000), function(D) {
      m <- numeric(n)
      for (s in seq(1, n, by = 2000)) {
        i <- s:min(n, s + 1999); k <- length(i)
        eat <- matrix(runif(k * D), k) < pr[i]
        amt <- binv(p$beta + u[i] + matrix(rnorm(k * D, 0, p$sigma_w), k),
                    p$lambda)
        m[i] <- rowMeans(eat * amt)
      }
      stats::quantile(m, probs, names = FALSE)
    }, numeric(3))
    ext <- (4 * q[, 2] - q[, 1]) / 3
    cat(sprintf("gamma %g, rho %g, P10/P50/P90: truth %s; brute force %s (D = 250: %s, D = 1000: %s); relative difference %s%%\n",
                gamma, rho, paste(signif(tq, 5), collapse = "/"),
                paste(signif(ext, 5), collapse = "/"),
                paste(signif(q[, 1], 5), collapse = "/"),
                paste(signif(q[, 2], 5), collapse = "/"),
                paste(sprintf("%+.2f", 100 * (ext / tq - 1)), collapse = "/")))
  }
  quit(save = "no")
}

# "decompose": where the bias of the plug-in percentiles comes from. Per
# replicate the percentiles at the estimates, and at the estimates with
# one block of parameters set to its true value (sigma2_v; gamma; rho; the
# amount part lambda, beta, sigma2_b, sigma2_w); the mean estimate of each
# parameter; and the second-order (delta-method) bias correction
# Q - 1/2 tr(H V), H the Hessian of the percentile in the fitted
# parameters (by differences along the columns of V^(1/2)) and V their
# model-based covariance. Its table gives relative biases (%) with their
# Monte Carlo SEs.
if (mode == "decompose") {
  options(width = 120)
  ns <- asNamespace("nutrievidence")
  pct_at <- function(f, par) ns$usual_quantile(
    ns$usual_dist(f, f$data, f$opt, par), probs)
  delta2 <- function(f) {
    o2 <- f$opt; o2$lambda <- f$lambda_fixed_at
    q_at <- function(th) pct_at(f, ns$usual_theta_par(th, f$data, o2,
                                                     f$lambda_fixed_at))
    e <- eigen(f$vcov_theta, symmetric = TRUE)
    L <- e$vectors %*% diag(sqrt(pmax(e$values, 0)), length(e$values))
    q0 <- q_at(f$theta)
    0.5 * rowSums(vapply(seq_len(ncol(L)), function(j)
      q_at(f$theta + L[, j]) + q_at(f$theta - L[, j]) - 2 * q0,
      numeric(length(probs))))
  }
  tab <- run_designs(function(f, d, p, rho, sec) {
    tp <- list(lambda = p$lambda, beta = c("(Intercept)" = p$beta),
               gamma = c("(Intercept)" = p$gamma), sigma2_b = p$sigma_u^2,
               sigma2_w = p$sigma_w^2, sigma2_v = p$sigma_v^2, rho = rho)
    at_true <- function(nm) pct_at(f, utils::modifyList(f$par, tp[nm]))
    data.frame(
      sigma2_v = at_true("sigma2_v"), gamma_ = at_true("gamma"),
      rho_ = at_true("rho"),
      amount = at_true(c("lambda", "beta", "sigma2_b", "sigma2_w")),
      delta2 = if (is.null(f$vcov_theta)) NA_real_ else
        quantile(f, probs) - delta2(f),
      lambda_hat = f$lambda, beta_hat = f$beta[[1]],
      sigma2_b_hat = f$sigma2_b, sigma2_w_hat = f$sigma2_w,
      gamma_hat = f$gamma[[1]], sigma2_v_hat = f$sigma2_v, rho_hat = f$rho,
      rho_se = sqrt(vcov(f)["rho", "rho"]))
  })
  rb <- function(x, t) rel_mean(x - t, t)
  for (t in split(tab, list(tab$gamma, tab$rho), drop = TRUE)) {
    one <- t[t$prob == probs[1], ]
    cat(sprintf(paste0("\ngamma %g, rho %g, %d replicates; mean estimates: ",
                       "lambda %.3f (0.25), beta %.3f (3), sigma2_b %.3f ",
                       "(0.25), sigma2_w %.3f (0.64), gamma %.3f (%g), ",
                       "sigma2_v %.3f (1), rho %.3f\n"),
                t$gamma[1], t$rho[1], nrow(one), mean(one$lambda_hat),
                mean(one$beta_hat), mean(one$sigma2_b_hat),
                mean(one$sigma2_w_hat), mean(one$gamma_hat), t$gamma[1],
                mean(one$sigma2_v_hat), mean(one$rho_hat)))
    bd <- abs(one$rho_hat) > 0.995
    inside <- abs(one$rho_hat - one$rho) <= 2 * one$rho_se
    cat(sprintf(paste0("rho within 2 SEs: %.1f%% of all fits, %.1f%% of ",
                       "the %d with rho inside (-0.995, 0.995), %.1f%% of ",
                       "the %d at the boundary\n"),
                100 * mean(inside), 100 * mean(inside[!bd]), sum(!bd),
                100 * mean(inside[bd]), sum(bd)))
    print(do.call(rbind, lapply(split(t, t$prob), function(s) {
      tr <- s$truth[1]
      data.frame(prob = s$prob[1], plug_in = rb(s$est, tr),
                 true_sigma2_v = rb(s$sigma2_v, tr),
                 true_gamma = rb(s$gamma_, tr), true_rho = rb(s$rho_, tr),
                 true_amount = rb(s$amount, tr),
                 delta_corrected = rb(stats::na.omit(s$delta2), tr))
    })), row.names = FALSE)
  }
  quit(save = "no")
}

# The validation table (seconds: the fit alone, with its bias correction).
tab <- run_designs(function(f, d, p, rho, sec) {
  row <- data.frame(
    se = summary(f, probs = probs)$percentiles$std.error, rho_hat = f$rho,
    rho_se = sqrt(vcov(f)["rho", "rho"]), zero_share = mean(d$y == 0),
    converged = f$converged, seconds = sec)
  if (!is.null(f$bias)) row$est_plugin <-
      asNamespace("nutrievidence")$usual_quantile(f$bias$dist, probs)
  row
}, reps = first - 1L + seq_len(R), persons = persons)
summarise(tab)
