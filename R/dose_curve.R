# Nonlinear dose-response curves fitted by GSL's trust-region
# Levenberg-Marquardt (dose_curve()), with ED50/ED90 by the delta method.

dose_curve_models <- c("emax", "sigmoid_emax", "loglogistic4", "exponential",
                       "linear")
dose_curve_pars <- list(emax = c("e0", "emax", "ed50"),
                        sigmoid_emax = c("e0", "emax", "ed50", "h"),
                        loglogistic4 = c("b", "c", "d", "e"),
                        exponential = c("e0", "e1", "delta"),
                        linear = c("e0", "slope"))

# Weighted linear least squares of y on the columns of X, whitened by R
# (upper Cholesky factor of the data covariance) or by se; returns the
# coefficients and the residual sum of squares.
dose_curve_wls <- function(X, y, wh) {
  Xw <- wh(X)
  yw <- wh(y)
  fit <- tryCatch(stats::lm.fit(Xw, yw), error = function(e) NULL)
  if (is.null(fit) || anyNA(fit$coefficients))
    return(list(coef = NULL, rss = Inf))
  list(coef = unname(fit$coefficients), rss = sum(fit$residuals^2))
}

# Start values: the linear parameters are profiled by weighted least squares
# over a grid of the nonlinear ones.
dose_curve_start <- function(model, x, y, wh) {
  one <- rep(1, length(x))
  pos <- x[x > 0]
  if (!length(pos)) nev_stop("`dose` needs at least one positive dose for the ",
                             model, " model")
  grid <- unique(stats::quantile(pos, seq(0.05, 0.95, length.out = 15),
                                 names = FALSE))
  best <- NULL
  try_one <- function(X, extra, order) {
    w <- dose_curve_wls(X, y, wh)
    if (is.null(w$coef)) return()
    if (is.null(best) || w$rss < best$rss)
      best <<- list(rss = w$rss, par = order(w$coef, extra))
  }
  switch(model,
    linear = try_one(cbind(one, x), NULL, function(b, e) b),
    emax = for (ed in grid)
      try_one(cbind(one, x / (ed + x)), ed, function(b, e) c(b, e)),
    sigmoid_emax = for (ed in grid) for (h in c(0.5, 1, 2, 4))
      try_one(cbind(one, x^h / (ed^h + x^h)), c(ed, h),
              function(b, e) c(b, e)),
    loglogistic4 = for (e in grid) for (b in c(-2, -1, 1, 2)) {
      g <- 1 / (1 + (x / e)^b)
      try_one(cbind(1 - g, g), c(b, e), function(cd, be) {
        c(be[1], cd[1], cd[2], be[2])
      })
    },
    exponential = for (de in max(x) * c(0.1, 0.2, 0.5, 1, 2, 5, -0.5, -1, -2))
      try_one(cbind(one, exp(x / de) - 1), de, function(b, e) c(b, e)))
  if (is.null(best)) nev_stop("could not find start values for the ", model,
                              " model; give `start`")
  best$par
}

#' Nonlinear dose-response curves
#'
#' Fits an Emax, sigmoid Emax, four-parameter log-logistic, exponential or
#' linear dose-response curve by (weighted or generalised) nonlinear least
#' squares, using GSL's trust-region Levenberg-Marquardt algorithm with
#' analytic Jacobians. Responses may be independent with known standard
#' errors (`se`) or correlated with a known covariance matrix (`vcov`,
#' handled by Cholesky pre-whitening).
#'
#' Models (parameters in order):
#' * `"emax"`: \eqn{e_0 + E_{max} d / (ED_{50} + d)} (`e0`, `emax`, `ed50`);
#' * `"sigmoid_emax"`: \eqn{e_0 + E_{max} d^h / (ED_{50}^h + d^h)} (`e0`,
#'   `emax`, `ed50`, `h`);
#' * `"loglogistic4"`: \eqn{c + (d - c) / (1 + (x / e)^b)} (`b`, `c`, `d`,
#'   `e`; the parameterisation of drc's `LL.4`, `e` is the ED50);
#' * `"exponential"`: \eqn{e_0 + e_1 (\exp(d / \delta) - 1)} (`e0`, `e1`,
#'   `delta`);
#' * `"linear"`: \eqn{e_0 + s d} (`e0`, `slope`).
#'
#' With `se` or `vcov` the standard errors treat them as known (residual
#' scale 1) unless `scale = TRUE`; without them the residual variance is
#' estimated, as [stats::nls()] does.
#'
#' @param dose Doses (non-negative), a column of `data` or a vector.
#' @param response Responses.
#' @param se Optional standard errors of the responses.
#' @param vcov Optional covariance matrix of the responses (instead of `se`).
#' @param shape One of `"emax"`, `"sigmoid_emax"`, `"loglogistic4"`,
#'   `"exponential"`, `"linear"` (the curve's form, as `shape` of
#'   [dose_response()]).
#' @param start Optional start values (named or in the order above);
#'   default: a grid search with the linear parameters profiled out.
#' @param data Optional data frame.
#' @param scale Estimate the residual scale? Default `TRUE` without `se` and
#'   `vcov`, `FALSE` with them.
#' @param level Confidence level.
#' @param control Settings of the solver from [curve_control()] (`tol`,
#'   `maxiter`); unknown elements are an error.
#' @return An object of class `c("nev_curve", "nev_fit")` with
#'   `coefficients`, `vcov`, `coef_table` (see [nev_fit]), `shape`,
#'   `sigma`, `df.residual`, `rss`, `converged`, `iterations` and the data.
#'   Methods: `print`, `coef`, `vcov`, `confint`, `predict`, `plot`, `tidy`,
#'   `glance`, `nobs`, `logLik` (Gaussian, as [stats::nls()]); ED50/ED90 by
#'   [dose_ed()]. With an estimated scale the intervals and p-values use t
#'   with `df.residual` degrees of freedom.
#' @family dose
#' @examples
#' d <- c(0, 0, 5, 5, 10, 10, 25, 25, 50, 50, 100, 100)
#' y <- c(0.1, -0.2, 1.9, 2.3, 3.4, 3.1, 5.2, 4.8, 6.1, 6.0, 6.9, 6.6)
#' fit <- dose_curve(d, y, shape = "emax")
#' fit
#' dose_ed(fit, c(0.5, 0.9))
#' predict(fit, dose = c(10, 45))
#' @export
dose_curve <- function(dose, response, se = NULL, vcov = NULL,
                       shape = c("emax", "sigmoid_emax", "loglogistic4",
                                 "exponential", "linear"),
                       start = NULL, data = NULL, scale = NULL, level = 0.95,
                       control = curve_control()) {
  model <- nev_match_arg(shape, name = "shape")
  ctl <- nev_check_control(control, curve_control, "curve_control")
  level <- nev_check_level(level)
  env <- parent.frame()
  x <- nev_check_numeric(nev_arg(substitute(dose), data, env, "dose"), "dose")
  y <- nev_check_numeric(nev_arg(substitute(response), data, env, "response"),
                         "response")
  s <- nev_arg(substitute(se), data, env, "se", required = FALSE)
  n <- length(x)
  if (length(y) != n)
    nev_stop("`response` must have one value per dose (", n, "); got ",
             length(y))
  bad <- which(!is.finite(x) | !is.finite(y))
  if (length(bad))
    nev_stop("`dose` and `response` must be finite; row ", nev_rows(bad),
             if (length(bad) > 1) " are" else " is", " not")
  if (any(x < 0))
    nev_stop("`dose` must not be negative; row ", which(x < 0)[1], " has ",
             x[which(x < 0)[1]])
  p <- length(dose_curve_pars[[model]])
  if (n <= p)
    nev_stop("the ", model, " model has ", p, " parameters and needs more ",
             "than ", p, " observations; got ", n)
  if (length(unique(x)) < p)
    nev_stop("the ", model, " model needs at least ", p, " distinct doses; ",
             "got ", length(unique(x)))
  if (!is.null(s) && !is.null(vcov))
    nev_stop("give `se` or `vcov`, not both")
  wmode <- 0L
  w <- NULL
  wh <- function(z) z
  if (!is.null(s)) {
    s <- nev_check_numeric(s, "se")
    if (length(s) != n)
      nev_stop("`se` must have one value per dose (", n, "); got ", length(s))
    if (any(!is.finite(s) | s <= 0))
      nev_stop("`se` must be positive and finite; row ",
               which(!is.finite(s) | s <= 0)[1], " has ",
               s[which(!is.finite(s) | s <= 0)[1]])
    wmode <- 1L
    w <- s
    wh <- function(z) z / s
  } else if (!is.null(vcov)) {
    if (!is.matrix(vcov) || !is.numeric(vcov) || any(dim(vcov) != n))
      nev_stop("`vcov` must be a ", n, " x ", n, " numeric matrix")
    if (any(!is.finite(vcov)) || max(abs(vcov - t(vcov))) >
        1e-10 * max(abs(vcov)))
      nev_stop("`vcov` must be finite and symmetric")
    R <- tryCatch(chol(vcov), error = function(e) {
      nev_stop("`vcov` is not positive definite")
    })
    wmode <- 2L
    w <- as.double(vcov)
    wh <- function(z) backsolve(R, z, transpose = TRUE)
  }
  scale <- scale %||% (wmode == 0L)
  pn <- dose_curve_pars[[model]]
  if (is.null(start)) {
    start <- dose_curve_start(model, x, y, wh)
  } else {
    if (!is.null(names(start)) && all(pn %in% names(start))) start <- start[pn]
    start <- nev_check_numeric(start, "start")
    if (length(start) != p)
      nev_stop("`start` must have ", p, " values (", paste(pn, collapse = ", "),
               "); got ", length(start))
  }
  res <- .Call(C_dose_curve_fit, nev_enum("curve_shape", model), x, y, wmode, w,
               as.double(start), c(ctl$tol, as.double(ctl$maxiter)))
  df <- n - p
  sigma <- if (scale) sqrt(res$rss / df) else 1
  V <- res$cov * sigma^2
  names(res$par) <- pn
  dimnames(V) <- list(pn, pn)
  if (!res$converged)
    nev_warn("the ", model, " fit did not converge after ", res$iterations,
             " iterations; results are flagged `converged = FALSE`")
  obj <- list(sigma = sigma, df.residual = df, rss = res$rss,
              converged = res$converged, iterations = res$iterations,
              shape = model,
              data = data.frame(dose = x, response = y,
                                se = if (wmode == 1L) s else NA_real_),
              weighting = c("none", "se", "vcov")[wmode + 1L],
              scale = scale, start = stats::setNames(start, pn))
  logdet <- switch(wmode + 1L, 0, sum(log(s^2)), 2 * sum(log(diag(R))))
  new_nev_fit(obj, "nev_curve", res$par, V, nobs = n,
              logLik = dose_curve_loglik(res$rss, n, logdet, scale),
              npar = p + scale, ddf = if (scale) df else NA_real_,
              level = level)
}

# Gaussian log-likelihood at the least-squares fit (as stats::nls): with
# the scale estimated by ML, or known (the weights are the variances).
dose_curve_loglik <- function(rss, n, logdet, scale) {
  if (scale) -n / 2 * (log(2 * pi) + 1 - log(n) + log(rss)) - logdet / 2
  else -n / 2 * log(2 * pi) - logdet / 2 - rss / 2
}

#' @export
nev_fit_header.nev_curve <- function(x) {
  c(paste0("Dose-response curve: ", x$shape, " (", nobs(x),
           " observations, ", switch(x$weighting, none = "unweighted",
                                     se = "weighted by 1/se^2",
                                     vcov = "generalised least squares"),
           ")"), "")
}

#' @export
nev_fit_footer.nev_curve <- function(x) {
  c(paste0("Residual ", if (x$scale) "standard error " else "chi-square ",
           format(if (x$scale) x$sigma else x$rss, digits = 4), " on ",
           x$df.residual, " df"),
    if (!x$converged) "Warning: the fit did not converge")
}

#' @export
summary.nev_curve <- function(object, ...) {
  structure(list(fit = object, coefficients = tidy(object),
                 correlation = stats::cov2cor(object$vcov),
                 converged = object$converged,
                 iterations = object$iterations),
            class = "summary.nev_curve")
}

#' @export
print.summary.nev_curve <- function(x, digits = 4, ...) {
  print(x$fit, digits = digits, ...)
  cat("Converged: ", if (isTRUE(x$converged)) "yes" else "no", " (",
      x$iterations, " iterations)\n", sep = "")
  if (nrow(x$correlation) > 1L) {
    cat("\nCorrelation of the estimates:\n")
    print(round(x$correlation, 3L))
  }
  invisible(x)
}

#' @export
nev_glance_extra.nev_curve <- function(x) {
  list(shape = x$shape, df.residual = x$df.residual, sigma = x$sigma,
       deviance = x$rss, converged = x$converged,
       iterations = x$iterations)
}

# Critical value: t with the residual df when the scale is estimated.
dose_curve_crit <- function(object, level) {
  nev_crit(level, if (object$scale) object$df.residual else NA_real_)
}

dose_curve_eval <- function(object, dose, par = object$coefficients) {
  .Call(C_dose_curve_eval, nev_enum("curve_shape", object$shape), as.double(par),
        as.double(dose))
}

#' Predictions from a nonlinear dose-response curve
#'
#' @param object A `nev_curve` fit from [dose_curve()].
#' @param dose Doses (default: 100 points over the observed range).
#' @param level Confidence level of the (delta-method) interval for the mean
#'   response.
#' @param ... Unused.
#' @return A data frame with `dose`, `estimate`, `conf.low`, `conf.high`
#'   and `std.error`.
#' @family dose
#' @examples
#' d <- c(0, 0, 5, 5, 10, 10, 25, 25, 50, 50, 100, 100)
#' y <- c(0.1, -0.2, 1.9, 2.3, 3.4, 3.1, 5.2, 4.8, 6.1, 6.0, 6.9, 6.6)
#' predict(dose_curve(d, y), dose = c(0, 20, 80))
#' @export
predict.nev_curve <- function(object, dose = NULL, level = object$level, ...) {
  nev_check_dots("predict", ...)
  level <- nev_check_level(level)
  if (is.null(dose))
    dose <- seq(min(object$data$dose), max(object$data$dose), length.out = 100L)
  dose <- nev_check_numeric(dose, "dose")
  if (any(!is.finite(dose) | dose < 0))
    nev_stop("`dose` must be finite and not negative")
  ev <- dose_curve_eval(object, dose)
  se <- sqrt(pmax(rowSums((ev[[2]] %*% object$vcov) * ev[[2]]), 0))
  crit <- dose_curve_crit(object, level)
  data.frame(dose = dose, estimate = ev[[1]], conf.low = ev[[1]] - crit * se,
             conf.high = ev[[1]] + crit * se, std.error = se)
}

# Dose at which a fraction p of the maximum effect is reached.
dose_ed_value <- function(model, par, p, dmax) {
  r <- p / (1 - p)
  switch(model,
         emax = par[["ed50"]] * r,
         sigmoid_emax = par[["ed50"]] * r^(1 / par[["h"]]),
         loglogistic4 = par[["e"]] * r^(1 / par[["b"]]),
         exponential = par[["delta"]] *
           log1p(p * (exp(dmax / par[["delta"]]) - 1)),
         linear = p * dmax)
}

#' Effective doses (ED50, ED90) of a nonlinear curve
#'
#' The dose reaching a fraction `p` of the maximum effect: of `emax` for the
#' Emax models, of the distance between the asymptotes for the log-logistic
#' model, and of the effect at the highest observed dose for the exponential
#' and linear models. Confidence intervals by the delta method (gradient by
#' central differences).
#'
#' @param object A `nev_curve` fit.
#' @param p Fractions of the maximum effect, strictly between 0 and 1.
#' @param level Confidence level.
#' @return A data frame with `p`, `estimate`, `std.error`, `conf.low`,
#'   `conf.high`.
#' @family dose
#' @examples
#' d <- c(0, 0, 5, 5, 10, 10, 25, 25, 50, 50, 100, 100)
#' y <- c(0.1, -0.2, 1.9, 2.3, 3.4, 3.1, 5.2, 4.8, 6.1, 6.0, 6.9, 6.6)
#' dose_ed(dose_curve(d, y), c(0.5, 0.9))
#' @export
dose_ed <- function(object, p = c(0.5, 0.9), level = object$level) {
  if (!inherits(object, "nev_curve"))
    nev_stop("`object` must be a dose_curve() fit (got ", class(object)[1], ")")
  if (!is.numeric(p) || anyNA(p) || any(p <= 0 | p >= 1))
    nev_stop("`p` must be strictly between 0 and 1; got ",
             paste(format(p), collapse = ", "))
  level <- nev_check_level(level)
  b <- object$coefficients
  dmax <- max(object$data$dose)
  est <- vapply(p, function(pp) dose_ed_value(object$shape, b, pp, dmax), 0)
  se <- vapply(p, function(pp) {
    g <- vapply(seq_along(b), function(j) {
      h <- 1e-6 * max(abs(b[j]), 1e-3)
      bp <- b
      bm <- b
      bp[j] <- b[j] + h
      bm[j] <- b[j] - h
      (dose_ed_value(object$shape, bp, pp, dmax) -
         dose_ed_value(object$shape, bm, pp, dmax)) / (2 * h)
    }, 0)
    sqrt(drop(g %*% object$vcov %*% g))
  }, 0)
  crit <- dose_curve_crit(object, level)
  data.frame(p = p, estimate = est, std.error = se, conf.low = est - crit * se,
             conf.high = est + crit * se)
}

#' Plot a nonlinear dose-response curve
#'
#' @param x A `nev_curve` fit.
#' @param xlab,ylab Axis labels.
#' @param ... Passed to [graphics::plot()].
#' @return The predicted curve (see [predict.nev_curve()]), invisibly.
#' @family dose
#' @examples
#' d <- c(0, 0, 5, 5, 10, 10, 25, 25, 50, 50, 100, 100)
#' y <- c(0.1, -0.2, 1.9, 2.3, 3.4, 3.1, 5.2, 4.8, 6.1, 6.0, 6.9, 6.6)
#' plot(dose_curve(d, y))
#' @export
plot.nev_curve <- function(x, xlab = "Dose", ylab = "Response", ...) {
  pr <- stats::predict(x)
  d <- x$data
  lo <- if (x$weighting == "se") d$response - 1.96 * d$se else d$response
  hi <- if (x$weighting == "se") d$response + 1.96 * d$se else d$response
  graphics::plot(d$dose, d$response, ylim = range(c(lo, hi, pr$conf.low,
                                                    pr$conf.high)),
                 xlab = xlab, ylab = ylab, ...)
  if (x$weighting == "se")
    graphics::segments(d$dose, lo, d$dose, hi, col = "grey50")
  graphics::polygon(c(pr$dose, rev(pr$dose)), c(pr$conf.low, rev(pr$conf.high)),
                    col = grDevices::adjustcolor("grey60", 0.4), border = NA)
  graphics::lines(pr$dose, pr$estimate, lwd = 2)
  invisible(pr)
}
