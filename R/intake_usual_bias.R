# Bias correction of the usual-intake distribution by parametric bootstrap:
# data sets simulated from the fitted model, refitted, and the plug-in
# percentiles moved by the bootstrap's estimate of their bias.

# Probabilities at which each refit's percentiles are taken: the bias of
# the p-quantile is interpolated between them (and its relative size held
# constant beyond).
usual_bias_grid <- function() seq(0.001, 0.999, by = 0.001)

usual_boxcox_inv <- function(z, lambda)
  if (abs(lambda) < 1e-10) exp(z) else pmax(1 + lambda * z, 0)^(1 / lambda)

# Recalls simulated from the model at `par`, with the persons, covariates,
# nuisance design, weights, recalls per person and supplement doses of
# `d`. Draws in this order: z1 and z2 (one each per person), the
# consumption uniforms (one per recall, episodic foods only) and the day
# effects (one per recall); u = sigma_b z1 and
# v = sigma_v (rho z1 + sqrt(1 - rho^2) z2). A back-transformed amount
# that the Box-Cox normal puts at or below zero (1 + lambda z <= 0, far
# in the lower tail) is set to the smallest positive simulated amount, so
# that a consumption day keeps a positive amount.
usual_simulate <- function(d, opt, par) {
  m <- d$m
  n <- length(d$y)
  xd <- usual_day_design(d)
  cn <- colnames(xd)
  z1 <- stats::rnorm(m)
  z2 <- stats::rnorm(m)
  eat <- rep(TRUE, n)
  if (opt$episodic) {
    v <- sqrt(par$sigma2_v) * (par$rho * z1 + sqrt(1 - par$rho^2) * z2)
    eat <- stats::runif(n) <
      stats::plogis(drop(xd %*% par$gamma[cn]) + v[d$pidx])
  }
  z <- drop(xd %*% par$beta[cn]) + sqrt(par$sigma2_b) * z1[d$pidx] +
    sqrt(par$sigma2_w) * stats::rnorm(n)
  y <- usual_boxcox_inv(z, par$lambda)
  low <- !(y > 0)
  if (any(low) && any(!low)) y[low] <- min(y[!low])
  d$y <- ifelse(eat, y, 0)
  d
}

# The fit's parameters as the start of refits (lambda appended when it was
# estimated but fixed at an end of `lambda_range`).
usual_refit_start <- function(fit, opt) {
  th <- fit$theta
  if (opt$nci && is.na(opt$lambda) && !is.null(th) &&
      !"lambda" %in% names(th))
    th <- c(th, lambda = fit$lambda_fixed_at)
  th
}

# Bias correction: `B` data sets simulated from the estimates (each refit on
# its own random stream, the same under every future plan), refitted from
# the estimate; each refit's percentiles on usual_bias_grid(); the fit's
# distributions (total and foods only) moved so that each percentile
# becomes 2 x estimate - mean of the refits' (its relative bias smoothed
# over neighbouring probabilities, the curve rearranged). Returns `fit` with the
# corrected `dist` (and `dist_food`) and `bias`: the method, B, the number
# of failed refits, the refits' parameters, the grid, the relative bias
# at each of its probabilities and the uncorrected distributions.
usual_bias_correct <- function(fit, d, opt) {
  grid <- usual_bias_grid()
  work <- usual_rep_worker(d, opt, usual_refit_start(fit, opt),
                           par = fit$par, probs = grid)
  res <- nev_future_lapply(nev_chunks(opt$bias_B, 1L), work, seed = TRUE)
  usual_bias_apply(fit, do.call(rbind, lapply(res, `[[`, "par")),
                   do.call(rbind, lapply(res, `[[`, "q")), grid)
}

# The correction from the refits' parameters `par` and percentiles `q` (one
# row per refit, NA when it failed; the columns `grid` of the total, then
# those of the foods-only distribution with a supplement).
usual_bias_apply <- function(fit, par, q, grid) {
  B <- nrow(q)
  ok <- stats::complete.cases(q)
  out <- list(method = "bootstrap", B = B, n_failed = sum(!ok), par = par,
              probs = grid, applied = FALSE, dist = fit$dist,
              dist_food = fit$dist_food)
  if (sum(ok) < max(2, B / 2)) {
    nev_warn("only ", sum(ok), " of ", B, " bootstrap refits could be ",
             "fitted: the usual-intake distribution is not bias-corrected; ",
             "see the fit's warnings, or use `bias_correct = \"none\"`")
    fit$bias <- out
    return(fit)
  }
  if (!all(ok))
    nev_warn(sum(!ok), " of ", B, " bootstrap refits failed and are left ",
             "out of the bias correction")
  G <- length(grid)
  shift <- function(dist, cols) {
    est <- usual_quantile(dist, grid)
    boot <- colMeans(q[ok, cols, drop = FALSE])
    rel <- usual_bias_smooth(ifelse(est > 0, boot / est - 1, 0))
    list(dist = usual_bias_shift(dist, grid, est, rel), rel = rel)
  }
  tot <- shift(fit$dist, seq_len(G))
  centre <- grid >= 0.05 & grid <= 0.95
  big <- which(centre & abs(tot$rel) > 0.25)
  if (length(big))
    nev_warn("the bootstrap puts the bias of some percentiles above 25% ",
             "of their estimate (P", format(100 * grid[big[1]]), ": ",
             sprintf("%+.0f%%", 100 * tot$rel[big[1]]), "): a correction ",
             "that large is unreliable; more persons, or more with repeat ",
             "recalls, are needed")
  fit$dist <- tot$dist
  out$rel_bias <- tot$rel
  if (!is.null(fit$dist_food)) {
    food <- shift(fit$dist_food, G + seq_len(G))
    fit$dist_food <- food$dist
    out$rel_bias_food <- food$rel
  }
  out$applied <- TRUE
  fit$bias <- out
  fit
}

# The relative bias of the percentiles is a smooth function of the
# probability, but its estimate inherits the steps of the grid
# distributions (a few weighted points per person with covariates): a
# running mean over 21 neighbouring probabilities of the grid (+-0.01,
# fewer at the ends) keeps the steps of the estimate's own distribution
# from becoming those of the correction.
usual_bias_smooth <- function(rel, k = 10L) {
  G <- length(rel)
  i <- seq_len(G)
  lo <- pmax(1L, i - k)
  hi <- pmin(G, i + k)
  cs <- c(0, cumsum(rel))
  (cs[hi + 1L] - cs[lo]) / (hi - lo + 1L)
}

# Move the points of a weighted grid list(u, w) so that its percentiles at
# `probs` become est (1 - rel), i.e. 2 x estimate - bootstrap mean (`est`
# the percentiles of `dist` at `probs`, `rel` the relative bias). These
# corrected percentiles are sorted (the rearrangement that makes a
# quantile curve monotone) and a point at cumulative probability F (the
# midpoint of its weight, where its percentile is the point itself) moves
# to the corrected curve at F, interpolated linearly between `probs`;
# beyond their range a point is multiplied by 1 - rel at the nearer end.
# The points keep their order and weights.
usual_bias_shift <- function(dist, probs, est, rel) {
  G <- length(probs)
  qt <- sort(est * (1 - rel))
  o <- order(dist$u)
  u <- dist$u[o]
  w <- dist$w[o] / sum(dist$w)
  mid <- cumsum(w) - 0.5 * w
  new <- stats::approx(probs, qt, mid, rule = 2, ties = "ordered")$y
  lo <- mid < probs[1]
  hi <- mid > probs[G]
  new[lo] <- pmin(u[lo] * (1 - rel[1]), qt[1])
  new[hi] <- pmax(u[hi] * (1 - rel[G]), qt[G])
  dist$u[o] <- pmax(new, 0)
  dist
}
