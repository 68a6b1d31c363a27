# Fitting the usual-intake models: the separate fits of nutrievidence 0.1.0
# (amount by REML, probability by ML) and the joint NCI model (correlated
# person effects, nuisance effects) started from them.

# Person weights scaled to mean 1 (the likelihood's scale does not depend
# on the survey's total).
usual_scale_w <- function(w) w * length(w) / sum(w)

# The fit with person weights w: a list with `par` (lambda, beta, gamma,
# sigma2_b, sigma2_w, sigma2_v, rho), `boundary` (names of parameters at a
# boundary), `converged`, `loglik`, and for the joint model `theta`, `vcov`.
usual_fit <- function(d, opt, w = usual_scale_w(d$wp), hessian = FALSE,
                      theta0 = NULL) {
  if (opt$nci && is.null(theta0) && usual_no_within(d, w)) {
    nev_warn("the recalls with an amount show no within-person variation ",
             "(every person reports the same amount on each day, as with ",
             "a fixed-dose supplement): the joint model cannot be fitted; ",
             "fitting the parts separately (`correlated = FALSE`)")
    opt$nci <- FALSE; opt$correlated <- FALSE
    d$nuis <- NULL
  }
  if (opt$nci && !is.null(theta0))
    return(usual_fit_nci(d, opt, w, NULL, hessian, theta0))
  f0 <- usual_fit_separate(d, opt, w)
  if (!opt$nci) return(f0)
  usual_fit_nci(d, opt, w, f0, hessian, theta0)
}

# TRUE when every person with two or more positive recalls reports one
# amount (within-person variance exactly zero).
usual_no_within <- function(d, w) {
  pos <- d$y > 0
  sp <- split(d$y[pos], d$pidx[pos])
  multi <- vapply(sp, length, 1L) >= 2L
  all(vapply(sp[multi], function(v) all(v == v[1]), TRUE))
}

usual_fit_separate <- function(d, opt, w) {
  fit <- .Call(C_intake_usual_fit, as.double(d$y), as.integer(d$start),
               as.integer(d$nrec), storage_double(d$x), as.double(w),
               opt$episodic, opt$lambda, opt$lambda_range, opt$ngh)
  p <- ncol(d$x)
  par <- list(lambda = fit$lambda,
              beta = stats::setNames(fit$beta, colnames(d$x)),
              gamma = if (opt$episodic)
                stats::setNames(fit$gamma, colnames(d$x)),
              sigma2_b = fit$sigma2_b, sigma2_w = fit$sigma2_w,
              sigma2_v = if (opt$episodic) fit$sigma2_v else 0, rho = 0)
  bd <- character(0)
  if (bitwAnd(fit$boundary, 1L)) bd <- c(bd, "sigma2_b")
  if (bitwAnd(fit$boundary, 4L)) bd <- c(bd, "sigma2_w")
  at_log <- opt$lambda_range[1] == 0 &&
    fit$lambda - opt$lambda_range[1] < 1e-5
  if (bitwAnd(fit$boundary, 2L) && !at_log) bd <- c(bd, "lambda")
  if (opt$episodic && fit$sigma2_v < 1e-6) bd <- c(bd, "sigma2_v")
  out <- list(par = par, boundary = bd, loglik = fit$loglik,
              loglik_p = if (opt$episodic) fit$loglik_p,
              converged = !opt$episodic || isTRUE(fit$converged_p),
              method = "separate")
  if (usual_no_within(d, w)) out <- usual_fit_fixed_dose(d, opt, w, out)
  out
}

# Amount part when the within-person variance is exactly zero: each person's
# amount is their usual amount; lambda by ML, beta by weighted least squares
# and sigma2_b as the residual variance of the persons' transformed amounts.
usual_fit_fixed_dose <- function(d, opt, w, out) {
  pos <- d$y > 0
  first <- !duplicated(d$pidx[pos])
  v <- d$y[pos][first]
  i <- d$pidx[pos][first]
  x <- d$x[i, , drop = FALSE]
  wi <- w[i]
  ok <- wi > 0
  v <- v[ok]; x <- x[ok, , drop = FALSE]; wi <- wi[ok]
  rss <- function(lam) {
    z <- if (abs(lam) < 1e-10) log(v) else (v^lam - 1) / lam
    r <- stats::lm.wfit(x, z, wi)
    list(rss = sum(wi * r$residuals^2), beta = r$coefficients)
  }
  prof <- function(lam)
    -0.5 * sum(wi) * log(rss(lam)$rss / sum(wi)) +
    (lam - 1) * sum(wi * log(v))
  lam <- if (!is.na(opt$lambda)) opt$lambda else
    stats::optimize(prof, opt$lambda_range, maximum = TRUE,
                    tol = 1e-8)$maximum
  r <- rss(lam)
  out$par$lambda <- lam
  out$par$beta[] <- r$beta
  out$par$sigma2_b <- r$rss / max(sum(wi) - ncol(x), 1)
  out$par$sigma2_w <- 0
  out$loglik <- NA_real_
  out$boundary <- union(setdiff(out$boundary, "sigma2_b"), "sigma2_w")
  out$fixed_dose <- TRUE
  out
}

# ---- the joint (NCI) model ---------------------------------------------------

# Day-level design of the joint model: person covariates, then nuisance.
usual_day_design <- function(d) {
  x <- d$x[d$pidx, , drop = FALSE]
  if (!is.null(d$nuis)) x <- cbind(x, d$nuis$x)
  storage_double(x)
}

# Names of theta, in the C layout (intake_nci.h).
usual_theta_names <- function(d, opt) {
  cn <- colnames(usual_day_design_names(d))
  c(paste0("beta:", cn), "log_sigma_u", "log_sigma_w",
    if (opt$episodic) c(paste0("gamma:", cn), "log_sigma_v",
                        if (opt$correlated) "atanh_rho"),
    if (is.na(opt$lambda)) "lambda")
}

usual_day_design_names <- function(d)
  matrix(0, 0, ncol(d$x) + if (is.null(d$nuis)) 0L else ncol(d$nuis$x),
         dimnames = list(NULL, c(colnames(d$x), colnames(d$nuis$x))))

# The joint model is fitted to amount / g, g the geometric mean of the
# positive amounts: the Box-Cox transform of y/g hardly moves with lambda
# at the centre of the data, so lambda is nearly uncorrelated with the
# intercept and the variances (a much better conditioned maximisation),
# and the fit does not depend on the unit of `amount`. On the scale of y,
# z(y) = g^lambda z(y/g) + z(g): the intercept and SDs are mapped back.
usual_gm <- function(d) exp(mean(log(d$y[d$y > 0])))

usual_boxcox <- function(y, lambda)
  if (abs(lambda) < 1e-10) log(y) else (y^lambda - 1) / lambda

usual_theta_start <- function(d, opt, f0) {
  nn <- if (is.null(d$nuis)) 0L else ncol(d$nuis$x)
  p0 <- f0$par
  s <- d$gm^p0$lambda
  b <- p0$beta / s
  b[1] <- b[1] - usual_boxcox(d$gm, p0$lambda) / s
  s2w <- max(p0$sigma2_w, 1e-8)
  c(b, rep(0, nn), 0.5 * log(max(p0$sigma2_b, 0.01 * s2w) / s^2),
    0.5 * log(s2w / s^2),
    if (opt$episodic) c(p0$gamma, rep(0, nn),
                        0.5 * log(max(p0$sigma2_v, 0.01)),
                        if (opt$correlated) 0),
    if (is.na(opt$lambda)) p0$lambda)
}

# theta -> par (the parameters on their natural scale).
usual_theta_par <- function(theta, d, opt, lambda = opt$lambda) {
  nm <- usual_theta_names(d, opt)
  th <- stats::setNames(theta, nm)
  cn <- colnames(usual_day_design_names(d))
  lam <- if (is.na(lambda)) th[["lambda"]] else lambda
  s <- d$gm^lam
  b <- s * th[paste0("beta:", cn)]
  b[1] <- b[1] + usual_boxcox(d$gm, lam)
  list(lambda = lam, beta = stats::setNames(b, cn),
       gamma = if (opt$episodic)
         stats::setNames(th[paste0("gamma:", cn)], cn),
       sigma2_b = s^2 * exp(2 * th[["log_sigma_u"]]),
       sigma2_w = s^2 * exp(2 * th[["log_sigma_w"]]),
       sigma2_v = if (opt$episodic) exp(2 * th[["log_sigma_v"]]) else 0,
       rho = if (opt$episodic && opt$correlated) tanh(th[["atanh_rho"]])
             else 0)
}

# Nodes of the adaptive quadrature of the joint model: centred at each
# person's mode and scaled by its curvature, 10 nodes integrate the nearly
# normal integrand to about 1e-8 in the log-likelihood (see the tests).
usual_nq <- function(opt) min(opt$ngh, 10L)

usual_nci_call <- function(d, opt, w, theta, lambda, hessian) {
  .Call(C_intake_nci_fit, as.double(d$y / d$gm), as.integer(d$start),
        as.integer(d$nrec), usual_day_design(d), as.double(w),
        opt$episodic, if (opt$correlated) NA_real_ else 0, lambda,
        as.double(theta), usual_nq(opt), opt$control$maxiter,
        opt$control$tol,
        hessian)
}

usual_fit_nci <- function(d, opt, w, f0, hessian, theta0) {
  th <- theta0 %||% usual_theta_start(d, opt, f0)
  r <- usual_nci_call(d, opt, w, th, opt$lambda, hessian)
  lam_fix <- opt$lambda
  lr <- opt$lambda_range
  bd <- character(0)
  if (is.na(opt$lambda)) {
    lam <- r$theta[length(r$theta)]
    if (lam < lr[1] || lam > lr[2]) {
      # the joint maximum lies outside `lambda_range`: fix lambda at the
      # nearer end and maximise over the rest
      lam_fix <- if (lam < lr[1]) lr[1] else lr[2]
      o2 <- opt; o2$lambda <- lam_fix
      r <- usual_nci_call(d, o2, w, r$theta[-length(r$theta)], lam_fix,
                          hessian)
      if (!(lr[1] == 0 && lam_fix == 0)) bd <- "lambda"
    }
  }
  o2 <- opt; o2$lambda <- lam_fix
  par <- usual_theta_par(r$theta, d, o2, lam_fix)
  bd <- c(bd, usual_nci_boundary(par, opt))
  V <- NULL
  if (hessian && length(r$hessian)) {
    V <- tryCatch(solve(-r$hessian), error = function(e) NULL)
    if (!is.null(V) && any(!is.finite(diag(V)) | diag(V) < 0)) V <- NULL
    if (!is.null(V))
      dimnames(V) <- rep(list(usual_theta_names(d, o2)), 2L)
  }
  npos <- sum(w[d$pidx][d$y > 0])
  list(par = par, boundary = bd, loglik = r$loglik - npos * log(d$gm),
       converged = r$converged,
       iterations = r$iterations, theta = stats::setNames(
         r$theta, usual_theta_names(d, o2)),
       lambda_fixed_at = lam_fix, vcov_theta = V, method = "joint")
}

usual_nci_boundary <- function(par, opt) {
  bd <- character(0)
  if (par$sigma2_b < 1e-6 * max(par$sigma2_w, 1e-300)) bd <- "sigma2_b"
  if (par$sigma2_w < 1e-8 * max(par$sigma2_b, 1e-300))
    bd <- c(bd, "sigma2_w")
  if (opt$episodic && par$sigma2_v < 1e-6) bd <- c(bd, "sigma2_v")
  if (opt$correlated && abs(par$rho) > 0.995) bd <- c(bd, "rho")
  bd
}

# Warnings for a fit: each names the parameter and what to try.
usual_fit_warnings <- function(fit, opt) {
  p <- fit$par
  msg <- c(
    sigma2_b = paste0("the between-person variance of the amount ",
                      "(sigma2_b) is estimated at zero (boundary): usual ",
                      "amounts do not vary between persons beyond the ",
                      "covariates; more persons with repeat recalls may ",
                      "separate it"),
    sigma2_w = if (isTRUE(fit$fixed_dose))
      paste0("the within-person variance (sigma2_w) is zero: every person ",
             "with repeat recalls reports the same amount each day (as ",
             "with a fixed-dose supplement), so usual amounts equal the ",
             "recalled amounts")
    else paste0("the within-person variance (sigma2_w) is estimated at ",
                "zero (boundary): check for repeated identical recalls"),
    sigma2_v = paste0("the between-person variance of the consumption ",
                      "probability (sigma2_v) is estimated at zero ",
                      "(boundary): the probability of consumption does ",
                      "not vary between persons beyond the covariates",
                      if (isTRUE(opt$correlated))
                        "; rho is then not identified: try `correlated = FALSE`"
                      else "; more persons with repeat recalls may separate it"),
    rho = paste0("the correlation of the person effects (rho = ",
                 format(p$rho, digits = 4), ") is at its boundary (-1 or ",
                 "1): the data cannot separate the two parts' person ",
                 "effects; try `correlated = FALSE`, or more persons with ",
                 "repeat recalls"),
    lambda = paste0("the Box-Cox power is at the edge of `lambda_range` (",
                    format(p$lambda), "); consider widening it"))
  for (b in fit$boundary) nev_warn(msg[[b]])
  if (!isTRUE(fit$converged))
    nev_warn(if (fit$method == "separate")
      paste0("the maximisation of the probability part (gamma, sigma2_v) ",
             "did not converge",
             if ("sigma2_v" %in% fit$boundary)
               " as sigma2_v moves to its boundary at zero")
      else paste0("the maximisation did not converge in ",
                  fit$iterations, " iterations; try a larger ",
                  "`control$maxiter` or `correlated = FALSE`"))
}
