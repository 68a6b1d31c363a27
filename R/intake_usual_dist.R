# The usual-intake distribution of a fit, its replicates and standard
# errors.

# A weighted grid list(u, w) of usual intakes for parameters `par` and
# person weights `w`; foods plus supplement unless food_only.
usual_dist <- function(fit, d, opt, par, w = usual_scale_w(d$wp),
                       food_only = FALSE) {
  r <- usual_dists(d, opt, par, w)
  if (food_only) r$food else r$total
}

# Both distributions from one run of the sampler: `food` (usual intake from
# foods) and `total` (foods plus each user's supplement dose; the same as
# `food` without a supplement).
usual_dists <- function(d, opt, par, w = usual_scale_w(d$wp)) {
  person <- !is.null(d$supp) && ncol(d$x) > 1L
  food <- usual_dist_food(d, opt, par, w, person)
  if (is.null(d$supp)) return(list(total = food, food = food))
  dose <- usual_dose(d)
  total <- if (person) {
    list(u = food$u + rep(dose, each = length(food$u) / d$m), w = food$w)
  } else usual_add_doses(food, dose, w)
  list(total = total, food = food)
}

# Every person has the same food distribution (no covariates): the total
# mixes it (non-users) with its shifts by the users' doses. Fixed doses
# take few distinct values; more than 400 are represented by 400 weighted
# quantiles.
usual_add_doses <- function(food, dose, w) {
  user <- dose > 0
  share <- sum(w[user]) / sum(w)
  if (!any(user)) return(food)
  dw <- tapply(w[user], dose[user], sum)
  dv <- as.numeric(names(dw))
  if (length(dv) > 400L) {
    dv <- usual_quantile(list(u = dose[user], w = w[user]),
                         (seq_len(400) - 0.5) / 400)
    dw <- rep(1, 400)
  }
  dw <- as.vector(dw) / sum(dw)
  list(u = c(food$u, as.vector(outer(food$u, dv, "+"))),
       w = c((1 - share) * food$w, share * as.vector(outer(food$w, dw))))
}

# Usual intake from foods: the 0.1.0 sampler for the separate fit, the
# joint model's (correlated effects, nuisance mix) otherwise; one pattern
# per person with covariates (or when `person`), else one for all.
usual_dist_food <- function(d, opt, par, w, person) {
  if (!opt$nci && !person) {
    npat <- if (ncol(d$x) == 1L) 1L else d$m
    K <- intake_usual_K(npat, opt$episodic)
    return(usual_sample_call(
      .Call(C_intake_usual_sample, par$lambda, unname(par$beta),
            par$sigma2_b, par$sigma2_w, opt$episodic,
            if (opt$episodic) unname(par$gamma) else NA_real_,
            par$sigma2_v, storage_double(d$x), as.double(w), K, opt$ngh),
      par))
  }
  person <- person || ncol(d$x) > 1L
  xp <- if (person) d$x else d$x[1L, , drop = FALSE]
  pw <- if (person) w else 1
  npat <- nrow(xp)
  nuis <- d$nuis
  at <- if (is.null(nuis)) matrix(0, 1L, 0L) else nuis$at
  mix <- if (is.null(nuis)) 1 else nuis$mix
  pc <- colnames(d$x)
  lin <- function(b) {
    if (is.null(b)) return(NA_real_)
    base <- drop(xp %*% b[pc])
    off <- if (ncol(at)) drop(at %*% b[colnames(at)]) else 0
    outer(base, rep_len(off, nrow(at)), "+")
  }
  K <- intake_usual_K(npat, opt$episodic)
  usual_sample_call(
    .Call(C_intake_nci_sample, as.double(lin(par$beta)),
          as.double(lin(par$gamma)), as.double(mix), as.double(pw),
          opt$episodic, par$lambda, sqrt(par$sigma2_b), sqrt(par$sigma2_w),
          sqrt(par$sigma2_v), par$rho, K, opt$ngh), par)
}

usual_sample_call <- function(expr, par) {
  tryCatch(expr, error = function(e) {
    if (par$lambda < 0)
      nev_stop("the Box-Cox power is negative (lambda = ",
               format(par$lambda, digits = 4), "): the back-transformed ",
               "mean is infinite under normal day-to-day variation; use ",
               "`lambda_range` with a lower bound of 0 or fix `lambda`")
    nev_stop(conditionMessage(e))
  })
}

# A person's usual supplement dose: the mean of their recalled doses (0
# for non-users).
usual_dose <- function(d)
  as.vector(tapply(d$supp, factor(d$pidx, seq_len(d$m)), mean))

# ---- replicates ----------------------------------------------------------------

# Replicate weights (m x R, person level) from `repweights`, checked.
usual_repweights <- function(repweights, data, d, method, fay) {
  if (!is.numeric(fay) || length(fay) != 1L || is.na(fay) || fay < 0 ||
      fay >= 1)
    nev_stop("`fay` must be a single number in [0, 1) (got ",
             paste(format(fay), collapse = ", "), ")")
  if (fay > 0 && method != "BRR")
    nev_stop("`fay` applies to `rep_method = \"BRR\"` only (got ",
             "rep_method = \"", method, "\")")
  if (is.null(repweights)) return(NULL)
  if (is.character(repweights)) {
    miss <- setdiff(repweights, names(data))
    if (length(miss))
      nev_stop("`repweights` names columns not in `data`: ",
               paste0("`", miss, "`", collapse = ", "))
    repweights <- data[repweights]
  }
  if (is.data.frame(repweights)) repweights <- as.matrix(repweights)
  if (!is.matrix(repweights) || !is.numeric(repweights))
    nev_stop("`repweights` must be a numeric matrix or data frame with one ",
             "column per replicate, or column names of `data` (got ",
             class(repweights)[1], ")")
  nr <- nrow(data)
  if (!nrow(repweights) %in% c(nr, d$m) || ncol(repweights) < 2L)
    nev_stop("`repweights` must have one row per row of `data` (", nr,
             ") or per person (", d$m, ") and at least 2 columns; got ",
             nrow(repweights), " x ", ncol(repweights))
  if (anyNA(repweights) || any(!is.finite(repweights)) ||
      any(repweights < 0))
    nev_stop("`repweights` must be finite and non-negative (found ",
             format(repweights[!is.finite(repweights) | repweights < 0 |
                                 is.na(repweights)][1]), ")")
  W <- if (nrow(repweights) == d$m) repweights else
    apply(repweights[d$rows, , drop = FALSE], 2, usual_person_value,
          pidx = d$pidx, start = d$start, persons = d$persons,
          name = "repweights", what = "replicate person weights")
  W <- matrix(W, d$m)
  zero <- which(colSums(W) <= 0)
  if (length(zero))
    nev_stop("`repweights` column", if (length(zero) > 1) "s", " ",
             nev_rows(zero), " ", if (length(zero) > 1) "are" else "is",
             " all zero")
  list(W = W, method = method, fay = fay)
}

# Variance of replicate estimates (rows = replicates) about their mean:
# BRR 1/(R (1 - fay)^2), JK1 (R - 1)/R, bootstrap 1/(R - 1).
usual_rep_var <- function(est, method, fay = 0) {
  est <- est[stats::complete.cases(est), , drop = FALSE]
  R <- nrow(est)
  if (R < 2L) return(rep(NA_real_, ncol(est)))
  sc <- switch(method, BRR = 1 / (R * (1 - fay)^2), JK1 = (R - 1) / R,
               bootstrap = 1 / (R - 1))
  ctr <- colMeans(est)
  sc * colSums(sweep(est, 2, ctr)^2)
}

# Replicate fits: their parameters (one row each) and percentiles at
# opt$probs. NULL without replicate weights or bootstrap.
usual_replicates <- function(fit, d, opt, bootstrap) {
  rw <- d$repw
  if (is.null(rw) && bootstrap) {
    if (!opt$nci && is.null(d$supp)) return(usual_boot_c(d, opt))
    W <- vapply(seq_len(opt$B), function(b)
      tabulate(sample.int(d$m, d$m, replace = TRUE), d$m) * d$wp,
      numeric(d$m))
    rw <- list(W = matrix(W, d$m), method = "bootstrap", fay = 0)
  }
  if (is.null(rw)) return(NULL)
  R <- ncol(rw$W)
  work <- usual_rep_worker(d, opt, usual_refit_start(fit, opt), rw$W)
  size <- max(1L, ceiling(R / (4L * nev_future_workers())))
  res <- nev_future_lapply(nev_chunks(R, size), work)
  par <- do.call(rbind, lapply(res, `[[`, "par"))
  q <- do.call(rbind, lapply(res, `[[`, "q"))
  colnames(q) <- intake_pct_names(opt$probs)
  nfail <- sum(!stats::complete.cases(par))
  if (nfail)
    nev_warn(nfail, " of ", R, " replicate fits failed and are left out")
  list(par = par, q = q, W = rw$W, method = rw$method, fay = rw$fay,
       R = R, probs = opt$probs)
}

# The function each chunk of replicates runs: refit (from the full fit's
# estimate) with the replicate's weights `W[, r]`, or, with `par`, to data
# simulated from the model at `par` (usual_simulate(), the full weights);
# rebuild the distribution and take its percentiles at `probs` (with `par`
# and a supplement, those of the foods-only distribution follow). Built
# here so that a worker receives only what it needs. Refits start at the
# full fit and stop at 10 x `tol`: their percentiles then differ from fully
# converged refits by about 1e-4 relative, far below any replicate
# standard error.
usual_rep_worker <- function(d, opt, theta, W = NULL, par = NULL,
                             probs = opt$probs) {
  opt$control$tol <- 10 * opt$control$tol
  force(d); force(theta); force(W); force(par); force(probs)
  food <- !is.null(par) && !is.null(d$supp)
  nq <- length(probs) * (1L + food)
  function(chunk) {
    idx <- seq(chunk[1], chunk[2])
    rows <- lapply(idx, function(r) {
      w <- usual_scale_w(if (is.null(W)) d$wp else W[, r])
      dr <- if (is.null(par)) d else usual_simulate(d, opt, par)
      f <- tryCatch(suppressWarnings(
        usual_fit(dr, opt, w, theta0 = theta)), error = function(e) NULL)
      if (is.null(f)) return(list(par = usual_par_vec(NULL, d, opt),
                                  q = rep(NA_real_, nq)))
      dist <- usual_dists(dr, opt, f$par, w)
      q <- usual_quantile(dist$total, probs)
      if (food) q <- c(q, usual_quantile(dist$food, probs))
      list(par = usual_par_vec(f$par, d, opt), q = q)
    })
    list(par = do.call(rbind, lapply(rows, `[[`, "par")),
         q = do.call(rbind, lapply(rows, `[[`, "q")))
  }
}

# Parameters as one named vector (NA when par is NULL) and back.
usual_par_vec <- function(par, d, opt) {
  cn <- colnames(usual_day_design_names(d))
  nm <- c("lambda", "sigma2_b", "sigma2_w", "sigma2_v", "rho",
          paste0("beta:", cn), if (opt$episodic) paste0("gamma:", cn))
  if (is.null(par)) return(stats::setNames(rep(NA_real_, length(nm)), nm))
  stats::setNames(c(par$lambda, par$sigma2_b, par$sigma2_w, par$sigma2_v,
                    par$rho, par$beta[cn],
                    if (opt$episodic) par$gamma[cn]), nm)
}

usual_vec_par <- function(v, d, opt) {
  cn <- colnames(usual_day_design_names(d))
  list(lambda = v[["lambda"]], sigma2_b = v[["sigma2_b"]],
       sigma2_w = v[["sigma2_w"]], sigma2_v = v[["sigma2_v"]],
       rho = v[["rho"]],
       beta = stats::setNames(v[paste0("beta:", cn)], cn),
       gamma = if (opt$episodic)
         stats::setNames(v[paste0("gamma:", cn)], cn))
}

# The person bootstrap of nutrievidence 0.1.0 (in C) for the separate fit.
usual_boot_c <- function(d, opt) {
  bt <- .Call(C_intake_usual_boot, as.double(d$y), as.integer(d$start),
              as.integer(d$nrec), storage_double(d$x),
              as.double(usual_scale_w(d$wp)), opt$episodic, opt$lambda,
              opt$lambda_range, opt$ngh,
              intake_usual_K(if (ncol(d$x) == 1L) 1L else d$m, opt$episodic),
              opt$probs, opt$B)
  p <- ncol(d$x)
  cn <- colnames(d$x)
  par <- cbind(bt$par[, 1:4, drop = FALSE], 0, bt$par[, 4 + seq_len(p)],
               if (opt$episodic) bt$par[, 4 + p + seq_len(p)])
  colnames(par) <- names(usual_par_vec(NULL, d, opt))
  colnames(bt$q) <- intake_pct_names(opt$probs)
  nfail <- sum(bt$status > 0L & bt$status < 100L)
  if (nfail)
    nev_warn(nfail, " of ", opt$B, " bootstrap replicates could not be ",
             "fitted and are left out")
  list(par = par, q = bt$q, W = NULL, method = "bootstrap", fay = 0,
       R = opt$B, probs = opt$probs)
}

# ---- standard errors of any statistic of the distribution ----------------------

# A statistic of the distribution: `value(dist)` (a numeric vector) and,
# for the delta method, `deriv(dist, du, bw)`: its derivative when the
# distribution's points move by du. A percentile of a discrete grid moves
# with the one or two points at its crossing (whose own derivatives vary
# widely), and a share's step function does not move at all for a small
# step: both are derivatives of the smooth distribution the grid stands
# for, dQ/dtheta = E[du | u = Q] and dF(c)/dtheta = -f(c) E[du | u = c],
# with E[du | u] by kernel-weighted local linear regression over the
# points near Q or c (bandwidth bw; the local line removes the bias of a
# local mean where the density slopes, exact when du is linear in u).
usual_stat_quantile <- function(probs) list(
  value = function(d) usual_quantile(d, probs),
  deriv = function(d, du, bw) vapply(usual_quantile(d, probs), function(q)
    usual_local(d, q, du, bw)[["mean"]], numeric(1)))

# Shares below (or above) cut-offs: `dir` "below"/"above"; `sd` > 0 for the
# probability approach (requirement normal with mean cut and SD sd), whose
# statistic is smooth: its derivative is exact.
usual_stat_share <- function(cut, dir, sd) list(
  value = function(d) vapply(seq_along(cut), function(i) {
    if (sd[i] > 0) return(sum(d$w * stats::pnorm(d$u, cut[i], sd[i],
                                                 lower.tail = FALSE)))
    if (dir[i] == "above") sum(d$w[d$u > cut[i]]) else
      sum(d$w[d$u < cut[i]])
  }, numeric(1)),
  deriv = function(d, du, bw) vapply(seq_along(cut), function(i) {
    if (sd[i] > 0)
      return(-sum(d$w * stats::dnorm(d$u, cut[i], sd[i]) * du) / sum(d$w))
    l <- usual_local(d, cut[i], du, bw)
    (if (dir[i] == "above") 1 else -1) * l[["dens"]] * l[["mean"]]
  }, numeric(1)))

# The density of the points at `at` (normal kernel, SD bw) and the local
# linear estimate of E[du | u = at].
usual_local <- function(d, at, du, bw) {
  k <- d$w * stats::dnorm(at, d$u, bw)
  x <- d$u - at
  s0 <- sum(k); s1 <- sum(k * x); s2 <- sum(k * x^2)
  t0 <- sum(k * du); t1 <- sum(k * x * du)
  den <- s0 * s2 - s1^2
  c(dens = s0 / sum(d$w),
    mean = if (den > 1e-12 * s0 * s2) (s2 * t0 - s1 * t1) / den else t0 / s0)
}

# SEs of stat$value(dist): from the replicates, or by the delta method
# from the joint model's covariance; NA otherwise.
usual_stat_se <- function(x, stat) {
  k <- length(stat$value(x$dist))
  if (!is.null(x$reps)) {
    est <- t(vapply(seq_len(nrow(x$reps$par)), function(r) {
      v <- x$reps$par[r, ]
      if (anyNA(v)) return(rep(NA_real_, k))
      w <- if (is.null(x$reps$W)) x$w else usual_scale_w(x$reps$W[, r])
      stat$value(usual_dist(x, x$data, x$opt,
                            usual_vec_par(v, x$data, x$opt), w))
    }, numeric(k)))
    if (k == 1L) est <- matrix(est, ncol = 1L)
    return(sqrt(usual_rep_var(est, x$reps$method, x$reps$fay)))
  }
  if (!is.null(x$vcov_theta)) return(sqrt(usual_delta_var(x, stat)))
  rep(NA_real_, k)
}

# Kernel bandwidth for the smoothed distribution (Silverman's rule on the
# weighted points, with their effective number).
usual_bw <- function(d) {
  w <- d$w / sum(d$w)
  m <- sum(w * d$u)
  s <- sqrt(sum(w * (d$u - m)^2))
  q <- usual_quantile(d, c(0.25, 0.75))
  a <- min(s, (q[2] - q[1]) / 1.34)
  if (!(a > 0)) a <- s
  0.9 * a * (1 / sum(w^2))^(-1 / 5)
}

# Delta method: the distribution's points are moved by each parameter
# (central differences; the grid keeps its points and their order), the
# statistic's derivative follows from stat$deriv().
usual_delta_var <- function(x, stat) {
  th <- x$theta
  o2 <- x$opt; o2$lambda <- x$lambda_fixed_at
  dist_at <- function(t2) usual_dist(x, x$data, o2, usual_theta_par(
    t2, x$data, o2, x$lambda_fixed_at))
  d0 <- dist_at(th)
  bw <- usual_bw(d0)
  J <- vapply(seq_along(th), function(j) {
    h <- 1e-4 * (1 + abs(th[j]))
    tp <- th; tp[j] <- th[j] + h
    tm <- th; tm[j] <- th[j] - h
    stat$deriv(d0, (dist_at(tp)$u - dist_at(tm)$u) / (2 * h), bw)
  }, numeric(length(stat$value(d0))))
  J <- matrix(J, ncol = length(th))
  pmax(rowSums((J %*% x$vcov_theta) * J), 0)
}
