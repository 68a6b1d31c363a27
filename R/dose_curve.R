# Nonlinear dose-response curves fitted by GSL's trust-region
# Levenberg-Marquardt (dose_curve()), with ED50/ED90 by the delta method.

dose_curve_models <- c("emax", "sigmoid_emax", "loglogistic4", "exponential",
                       "linear")
dose_curve_code <- c(emax = 0L, sigmoid_emax = 1L, loglogistic4 = 2L,
                     exponential = 3L, linear = 4L)
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
#' @param model One of `"emax"`, `"sigmoid_emax"`, `"loglogistic4"`,
#'   `"exponential"`, `"linear"`.
#' @param start Optional start values (named or in the order above);
#'   default: a grid search with the linear parameters profiled out.
#' @param data Optional data frame.
#' @param scale Estimate the residual scale? Default `TRUE` without `se` and
#'   `vcov`, `FALSE` with them.
#' @param level Confidence level.
#' @param control List with `tol` (default 1e-12, GSL's `xtol` and `gtol`)
#'   and `maxit` (default 500).
#' @return An object of class `nev_curve` with `coefficients`, `vcov`,
#'   `sigma`, `df.residual`, `rss`, `converged`, `iterations` and the data.
#'   Methods: `print`, `coef`, `vcov`, `confint`, `predict`, `plot`, `tidy`,
#'   `glance`, `nobs`; ED50/ED90 by [dose_ed()].
#' @family dose
#' @examples
#' d <- c(0, 0, 5, 5, 10, 10, 25, 25, 50, 50, 100, 100)
#' y <- c(0.1, -0.2, 1.9, 2.3, 3.4, 3.1, 5.2, 4.8, 6.1, 6.0, 6.9, 6.6)
#' fit <- dose_curve(d, y, model = "emax")
#' fit
#' dose_ed(fit, c(0.5, 0.9))
#' predict(fit, dose = c(10, 45))
#' @export
dose_curve <- function(dose, response, se = NULL, vcov = NULL,
                       model = c("emax", "sigmoid_emax", "loglogistic4",
                                 "exponential", "linear"),
                       start = NULL, data = NULL, scale = NULL, level = 0.95,
                       control = list()) {
  model <- nev_match_arg(model)
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
  ctl <- utils::modifyList(list(tol = 1e-12, maxit = 500), control)
  res <- .Call(C_dose_curve_fit, dose_curve_code[[model]], x, y, wmode, w,
               as.double(start), c(as.double(ctl$tol), as.double(ctl$maxit)))
  df <- n - p
  sigma <- if (scale) sqrt(res$rss / df) else 1
  V <- res$cov * sigma^2
  names(res$par) <- pn
  dimnames(V) <- list(pn, pn)
  if (!res$converged)
    nev_warn("the ", model, " fit did not converge after ", res$iterations,
             " iterations; results are flagged `converged = FALSE`")
  structure(list(coefficients = res$par, vcov = V, sigma = sigma,
                 df.residual = df, rss = res$rss, converged = res$converged,
                 iterations = res$iterations, model = model,
                 data = data.frame(dose = x, response = y,
                                   se = if (wmode == 1L) s else NA_real_),
                 weighting = c("none", "se", "vcov")[wmode + 1L],
                 scale = scale, level = level,
                 start = stats::setNames(start, pn)),
            class = "nev_curve")
}

#' @export
print.nev_curve <- function(x, digits = 4, ...) {
  cat("Dose-response curve: ", x$model, " (", nobs(x), " observations, ",
      switch(x$weighting, none = "unweighted", se = "weighted by 1/se^2",
             vcov = "generalised least squares"), ")\n\n", sep = "")
  tab <- tidy(x)
  rownames(tab) <- tab$term
  print(format(tab[, -1L], digits = digits), quote = FALSE)
  cat("\nResidual ", if (x$scale) "standard error " else "chi-square ",
      format(if (x$scale) x$sigma else x$rss, digits = digits), " on ",
      x$df.residual, " df\n", sep = "")
  if (!x$converged) cat("Warning: the fit did not converge\n")
  invisible(x)
}

#' @export
summary.nev_curve <- function(object, ...) {
  v <- object$vcov
  sd <- sqrt(diag(v))
  cr <- v / outer(sd, sd)
  structure(list(fit = object, coefficients = tidy(object),
                 correlation = cr, converged = object$converged,
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
coef.nev_curve <- function(object, ...) object$coefficients

#' @export
vcov.nev_curve <- function(object, ...) object$vcov

#' @export
nobs.nev_curve <- function(object, ...) nrow(object$data)

#' @export
confint.nev_curve <- function(object, parm, level = 0.95, ...) {
  tab <- tidy(object, conf.level = level)
  ci <- cbind(tab$conf.low, tab$conf.high)
  dimnames(ci) <- list(tab$term, paste(format(100 * c((1 - level) / 2,
    1 - (1 - level) / 2), trim = TRUE, digits = 3), "%"))
  if (!missing(parm)) ci <- ci[parm, , drop = FALSE]
  ci
}

#' @export
tidy.nev_curve <- function(x, conf.int = TRUE, conf.level = x$level, ...) {
  conf.level <- nev_check_level(conf.level)
  est <- x$coefficients
  se <- sqrt(diag(x$vcov))
  crit <- if (x$scale) stats::qt(1 - (1 - conf.level) / 2, x$df.residual) else
    stats::qnorm(1 - (1 - conf.level) / 2)
  st <- est / se
  pv <- if (x$scale) 2 * stats::pt(-abs(st), x$df.residual) else
    2 * stats::pnorm(-abs(st))
  out <- data.frame(term = names(est), estimate = unname(est),
                    std.error = unname(se), statistic = unname(st),
                    p.value = unname(pv), stringsAsFactors = FALSE)
  if (conf.int) {
    out$conf.low <- out$estimate - crit * out$std.error
    out$conf.high <- out$estimate + crit * out$std.error
  }
  out
}

#' @export
glance.nev_curve <- function(x, ...) {
  data.frame(model = x$model, nobs = nobs(x), df.residual = x$df.residual,
             sigma = x$sigma, rss = x$rss, converged = x$converged,
             iterations = x$iterations, stringsAsFactors = FALSE)
}

# Critical value: t with the residual df when the scale is estimated.
dose_curve_crit <- function(object, level) {
  if (object$scale) stats::qt(1 - (1 - level) / 2, object$df.residual) else
    stats::qnorm(1 - (1 - level) / 2)
}

dose_curve_eval <- function(object, dose, par = object$coefficients) {
  .Call(C_dose_curve_eval, dose_curve_code[[object$model]], as.double(par),
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
#'   and `se`.
#' @family dose
#' @examples
#' d <- c(0, 0, 5, 5, 10, 10, 25, 25, 50, 50, 100, 100)
#' y <- c(0.1, -0.2, 1.9, 2.3, 3.4, 3.1, 5.2, 4.8, 6.1, 6.0, 6.9, 6.6)
#' predict(dose_curve(d, y), dose = c(0, 20, 80))
#' @export
predict.nev_curve <- function(object, dose = NULL, level = object$level, ...) {
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
             conf.high = ev[[1]] + crit * se, se = se)
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
  est <- vapply(p, function(pp) dose_ed_value(object$model, b, pp, dmax), 0)
  se <- vapply(p, function(pp) {
    g <- vapply(seq_along(b), function(j) {
      h <- 1e-6 * max(abs(b[j]), 1e-3)
      bp <- b
      bm <- b
      bp[j] <- b[j] + h
      bm[j] <- b[j] - h
      (dose_ed_value(object$model, bp, pp, dmax) -
         dose_ed_value(object$model, bm, pp, dmax)) / (2 * h)
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
