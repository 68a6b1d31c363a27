# Methods for nev_dose objects (dose_response()).

dose_method_label <- function(x) {
  stg <- if (identical(x$stage, "one")) "one-stage" else "two-stage"
  paste0(if (x$k == 1L) "single-study GLS" else
    switch(x$method, REML = paste(stg, "random effects (REML)"),
           ML = paste(stg, "random effects (ML)"),
           FE = paste(stg, "fixed effect")),
    ", ", x$shape, if (x$shape == "spline")
      paste0(" (knots ", paste(format(signif(x$knots, 4)), collapse = ", "),
             ")"),
    if (x$shape == "fp")
      paste0(" (powers ", paste(x$fp$powers, collapse = ", "), ")"),
    ", covariance ", x$covariance)
}

#' @export
nev_fit_header.nev_dose <- function(x) {
  c(paste0("Dose-response: ", dose_method_label(x)),
    paste0(x$k, " stud", if (x$k == 1L) "y" else "ies", ", ",
           nrow(x$data) - x$k, " non-referent categories"), "")
}

#' @export
nev_fit_footer.nev_dose <- function(x) {
  het <- if (x$k > 1L) paste0(
    if (!is.na(x$Q)) paste0("Q = ", format(x$Q, digits = 6), " (df ",
                            x$Q_df, ", p ", format.pval(x$Q_p, digits = 3),
                            ")"),
    if (x$method != "FE")
      paste0(if (!is.na(x$Q)) "; b" else "B", "etween-study SD ",
             paste(format(x$tau, digits = 4), collapse = ", ")))
  c(if (length(het) && nzchar(het)) het,
    if (!x$converged) "Warning: the optimiser did not converge")
}

# Wald test that every coefficient but the first (the linear term) is zero.
dose_nonlinearity <- function(x) {
  if (x$p < 2L)
    return(c(statistic = NA_real_, df = NA_real_, p.value = NA_real_))
  j <- -1L
  b <- x$coefficients[j]
  w <- drop(b %*% solve(x$vcov[j, j, drop = FALSE], b))
  c(statistic = w, df = x$p - 1L,
    p.value = stats::pchisq(w, x$p - 1L, lower.tail = FALSE))
}

# Goodness of fit: per-study and pooled deviance of the fitted pooled curve
# (y - X beta)' S^-1 (y - X beta), with degrees of freedom.
dose_deviance <- function(x) {
  ids <- unique(x$data$id)
  dev <- numeric(length(ids))
  df <- integer(length(ids))
  for (s in seq_along(ids)) {
    rows <- which(x$data$id == ids[s] & !x$data$referent)
    r <- x$data$logrr[rows] - drop(x$X[rows, , drop = FALSE] %*% x$coefficients)
    dev[s] <- drop(r %*% solve(x$S[[s]], r))
    df[s] <- length(rows)
  }
  list(study = data.frame(id = ids, deviance = dev, df = df,
                          gls_chisq = unname(x$gof), gls_df = x$gof_df),
       deviance = sum(dev), df = sum(df) - x$p)
}

#' Summary of a dose-response fit
#'
#' @param object A `nev_dose` fit from [dose_response()].
#' @param ... Unused.
#' @return An object of class `summary.nev_dose`: the coefficient table,
#'   the between-study covariance and correlation, Q, the Wald test of
#'   non-linearity, and goodness of fit (per-study GLS residual chi-square,
#'   per-study and pooled deviance of the pooled curve, with degrees of
#'   freedom).
#' @family dose
#' @examples
#' cc <- data.frame(dose = c(0, 2, 6, 11), case = c(165, 74, 90, 122),
#'                  n = c(337, 167, 186, 212), rr = c(1, 0.8, 1.16, 1.57),
#'                  lb = c(1, 0.51, 0.73, 0.99), ub = c(1, 1.27, 1.85, 2.51))
#' fit <- dose_response(log(rr) ~ dose, type = "cc", cases = case, n = n,
#'                      lower = lb, upper = ub, data = cc)
#' summary(fit)
#' @export
summary.nev_dose <- function(object, ...) {
  x <- object
  nl <- dose_nonlinearity(x)
  out <- list(
    label = dose_method_label(x), coefficients = nev_coef_table(x),
    Psi = x$Psi, tau = x$tau,
    cor = if (x$p > 1L && all(x$tau > 0)) stats::cov2cor(x$Psi) else NULL,
    Q = x$Q, Q_df = x$Q_df, Q_p = x$Q_p,
    nonlinearity = nl, gof = dose_deviance(x), logLik = logLik(x),
    k = x$k, method = x$method, converged = x$converged,
    iterations = x$iterations)
  class(out) <- "summary.nev_dose"
  out
}

#' @export
print.summary.nev_dose <- function(x, digits = 4, ...) {
  cat("Dose-response: ", x$label, "\n\n", sep = "")
  tab <- x$coefficients
  rownames(tab) <- tab$term
  print(format(tab[, -1L], digits = digits), quote = FALSE)
  if (x$k > 1L && x$method != "FE") {
    cat("\nBetween-study SD: ", paste(format(x$tau, digits = digits),
                                       collapse = ", "), "\n", sep = "")
    if (!is.null(x$cor) && nrow(x$cor) > 1L) {
      cat("Between-study correlation:\n")
      print(round(x$cor, 3))
    }
  }
  if (x$k > 1L && !is.na(x$Q))
    cat("\nHeterogeneity: Q = ", format(x$Q, digits = digits + 2), " (df ",
        x$Q_df, "), p = ", format.pval(x$Q_p, digits = 3), "\n", sep = "")
  if (!is.na(x$nonlinearity[["statistic"]]))
    cat("Non-linearity (Wald): chi2 = ",
        format(x$nonlinearity[["statistic"]], digits = digits), " (df ",
        x$nonlinearity[["df"]], "), p = ",
        format.pval(x$nonlinearity[["p.value"]], digits = 3), "\n", sep = "")
  g <- x$gof
  cat("Goodness of fit: deviance = ", format(g$deviance, digits = digits),
      " (df ", g$df, "), p = ",
      format.pval(stats::pchisq(g$deviance, g$df, lower.tail = FALSE),
                  digits = 3), "\n", sep = "")
  cat("log-likelihood", if (x$method == "REML") " (restricted)", ": ",
      format(as.numeric(x$logLik), digits = digits + 2), "\n", sep = "")
  if (!x$converged) cat("Warning: the optimiser did not converge\n")
  invisible(x)
}

#' @export
nev_glance_extra.nev_dose <- function(x) {
  nl <- dose_nonlinearity(x)
  g <- dose_deviance(x)
  list(k = x$k, shape = x$shape, method = x$method,
       covariance = x$covariance, cochran.qe = x$Q, df.cochran.qe = x$Q_df,
       p.value.cochran.qe = x$Q_p,
       nonlinearity = unname(nl["statistic"]),
       p.value.nonlinearity = unname(nl["p.value"]),
       deviance = g$deviance, df.residual = g$df, converged = x$converged)
}

#' Predicted relative risks from a dose-response fit
#'
#' The pooled curve against a reference dose, or the change over `delta`
#' units of dose. For a non-linear shape, doses (or `ref`, or `dose + delta`)
#' outside the range of the data's doses give a warning: the curve there is
#' an extrapolation.
#'
#' @param object A `nev_dose` fit from [dose_response()].
#' @param dose Doses at which to predict (default: 100 points over the range
#'   of the data).
#' @param ref Reference dose (relative risk 1).
#' @param transf Transformation of the log relative risk and its limits
#'   (default `exp`; `identity` gives the log scale).
#' @param level Confidence level.
#' @param delta If given, the estimate is the change from `dose` to
#'   `dose + delta` (for a linear model, the relative risk per `delta` units
#'   at every dose) instead of the contrast with `ref`.
#' @param ... Unused.
#' @return A data frame with `dose`, `estimate`, `conf.low`, `conf.high`
#'   (transformed) and `std.error` (the standard error on the log scale).
#' @family dose
#' @examples
#' cc <- data.frame(dose = c(0, 2, 6, 11), case = c(165, 74, 90, 122),
#'                  n = c(337, 167, 186, 212), rr = c(1, 0.8, 1.16, 1.57),
#'                  lb = c(1, 0.51, 0.73, 0.99), ub = c(1, 1.27, 1.85, 2.51))
#' fit <- dose_response(log(rr) ~ dose, type = "cc", cases = case, n = n,
#'                      lower = lb, upper = ub, data = cc)
#' predict(fit, dose = 0, delta = 11)  # RR per 11 g/day
#' predict(fit, dose = c(0, 5, 10))
#' @export
predict.nev_dose <- function(object, dose = NULL, ref = 0, transf = exp,
                             level = object$level, delta = NULL, ...) {
  nev_check_dots("predict", ...)
  level <- nev_check_level(level)
  if (is.null(dose)) {
    rg <- range(object$data$dose)
    dose <- seq(rg[1], rg[2], length.out = 100L)
  }
  dose <- nev_check_numeric(dose, "dose")
  if (any(!is.finite(dose))) nev_stop("`dose` must be finite")
  if (!is.function(transf)) nev_stop("`transf` must be a function")
  if (object$shape == "fp" &&
      any(c(dose, ref, dose + (delta %||% 0)) + object$fp$shift <= 0))
    nev_stop("the fractional polynomial is defined for doses above ",
             -object$fp$shift, " (the shift is ", object$fp$shift, ")")
  if (is.null(delta)) {
    ref <- nev_check_numeric(ref, "ref")
    if (length(ref) != 1L || !is.finite(ref))
      nev_stop("`ref` must be a single finite dose (got ",
               if (length(ref) == 1L) format(ref) else
                 paste(length(ref), "values"), ")")
    X0 <- dose_basis(ref, object$shape, object$knots, object$fp)
    Xd <- dose_basis(dose, object$shape, object$knots, object$fp)
    X <- Xd - X0[rep(1L, length(dose)), , drop = FALSE]
  } else {
    delta <- nev_check_numeric(delta, "delta")
    if (length(delta) != 1L || !is.finite(delta))
      nev_stop("`delta` must be a single finite number (got ",
               if (length(delta) == 1L) format(delta) else
                 paste(length(delta), "values"), ")")
    X <- dose_basis(dose + delta, object$shape, object$knots, object$fp) -
      dose_basis(dose, object$shape, object$knots, object$fp)
  }
  if (object$shape != "linear") {
    rg <- range(object$data$dose)
    at <- c(dose, if (is.null(delta)) ref else dose + delta)
    tol <- 1e-8 * diff(rg)
    out <- unique(at[at < rg[1] - tol | at > rg[2] + tol])
    if (length(out))
      nev_warn("the ", object$shape, " curve is extrapolated beyond the doses ",
               "of the data (", format(rg[1]), " to ", format(rg[2]), ") to ",
               paste(format(utils::head(out, 5)), collapse = ", "),
               if (length(out) > 5) ", ...")
  }
  est <- drop(X %*% object$coefficients)
  se <- sqrt(pmax(rowSums((X %*% object$vcov) * X), 0))
  crit <- stats::qnorm(1 - (1 - level) / 2)
  data.frame(dose = dose, estimate = transf(est),
             conf.low = transf(est - crit * se),
             conf.high = transf(est + crit * se), std.error = se)
}

#' Plot a dose-response fit
#'
#' Draws the pooled relative-risk curve against the reference dose with its
#' confidence band, and the study-specific relative risks as points (area
#' proportional to precision).
#'
#' @param x A `nev_dose` fit.
#' @param ref Reference dose.
#' @param points Draw the study points?
#' @param log Log scale for the relative risk axis? ("y" or "")
#' @param xlab,ylab Axis labels.
#' @param ... Passed to [graphics::plot()].
#' @return The predicted curve (as from [predict.nev_dose()]), invisibly.
#' @family dose
#' @examples
#' cc <- data.frame(dose = c(0, 2, 6, 11), case = c(165, 74, 90, 122),
#'                  n = c(337, 167, 186, 212), rr = c(1, 0.8, 1.16, 1.57),
#'                  lb = c(1, 0.51, 0.73, 0.99), ub = c(1, 1.27, 1.85, 2.51))
#' fit <- dose_response(log(rr) ~ dose, type = "cc", cases = case, n = n,
#'                      lower = lb, upper = ub, data = cc)
#' plot(fit)
#' @export
plot.nev_dose <- function(x, ref = 0, points = TRUE, log = "y",
                          xlab = "Dose", ylab = "Relative risk", ...) {
  pr <- stats::predict(x, ref = ref)
  d <- x$data
  yl <- range(c(pr$conf.low, pr$conf.high,
                if (points) exp(d$logrr)), na.rm = TRUE)
  graphics::plot(pr$dose, pr$estimate, type = "n", ylim = yl, log = log,
                 xlab = xlab, ylab = ylab, ...)
  graphics::polygon(c(pr$dose, rev(pr$dose)), c(pr$conf.low, rev(pr$conf.high)),
                    col = grDevices::adjustcolor("grey60", 0.4), border = NA)
  graphics::lines(pr$dose, pr$estimate, lwd = 2)
  graphics::abline(h = 1, lty = 3)
  if (points) {
    w <- ifelse(d$referent, NA, 1 / d$se)
    cex <- 0.5 + 2 * sqrt(w / max(w, na.rm = TRUE))
    cex[d$referent] <- 0.8
    graphics::points(d$dose, exp(d$logrr), cex = cex,
                     pch = ifelse(d$referent, 4, 1))
  }
  invisible(pr)
}

#' @export
as.data.frame.nev_dose <- function(x, row.names = NULL, optional = FALSE, ...) {
  nev_coef_table(x)
}
