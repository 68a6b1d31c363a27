# Methods for nev_pool objects.

pool_fmt <- function(x, digits = 4L) formatC(x, digits = digits, format = "f")

pool_pfmt <- function(p) {
  ifelse(is.na(p), "NA", ifelse(p < 1e-4, "<.0001", formatC(p, digits = 4,
                                                            format = "f")))
}

# ", p = 0.0123" or ", p < .0001" for a test in running text.
pool_ptext <- function(p) {
  ifelse(!is.na(p) & p < 1e-4, ", p < .0001", paste0(", p = ", pool_pfmt(p)))
}

pool_model_label <- function(x) {
  if (identical(x$method, "FE")) "Common-effect model"
  else if (identical(x$method, "MH")) "Common-effect model (Mantel-Haenszel)"
  else if (identical(x$method, "Peto")) "Common-effect model (Peto)"
  else paste0("Random-effects model (tau^2 estimator: ", x$method, ")")
}

#' @export
nev_fit_header.nev_pool <- function(x) {
  het <- paste0("I^2 = ", pool_fmt(x$I2, 2), "%, H^2 = ", pool_fmt(x$H2, 2))
  if (!x$method %in% c("FE", "MH", "Peto"))
    het <- paste0("tau^2 = ", pool_fmt(x$tau2), " (SE = ",
                  pool_fmt(x$tau2_se), "), tau = ", pool_fmt(sqrt(x$tau2)),
                  ", ", het)
  c(paste0(pool_model_label(x), " (k = ", x$k, ")",
           if (!is.null(x$measure)) paste0(", measure ", x$measure)),
    het,
    if (x$k > 1L) paste0("Q(df = ", x$Q_df, ") = ", pool_fmt(x$Q),
                         pool_ptext(x$Q_p)),
    "")
}

#' @export
nev_fit_footer.nev_pool <- function(x) {
  c(if (identical(x$test, "hksj"))
      paste0("Knapp-Hartung (HKSJ) test, t(", x$ddf[1], ")",
             if (isTRUE(x$hksj_adhoc)) ", never narrower than Wald"),
    if (!x$converged) paste0("Warning: ", x$message)
    else if (nzchar(x$message %||% "")) paste0("Note: ", x$message))
}

#' @export
nev_glance_extra.nev_pool <- function(x) {
  list(k = x$k, measure = x$measure %||% NA_character_, method = x$method,
       tau.squared = x$tau2, tau.squared.se = x$tau2_se, i.squared = x$I2,
       h.squared = x$H2, cochran.qe = x$Q, df.cochran.qe = x$Q_df,
       p.value.cochran.qe = x$Q_p, df.residual = x$Q_df,
       pi.low = x$pi.low[1], pi.high = x$pi.high[1],
       converged = x$converged)
}

#' @export
summary.nev_pool <- function(object, ...) {
  est <- c(coef(object), pool_het_estimates(object))
  ci <- confint(object, parm = names(est))
  structure(list(fit = object,
                 confint = data.frame(parameter = names(est),
                                      estimate = unname(est),
                                      conf.low = unname(ci[, 1]),
                                      conf.high = unname(ci[, 2]),
                                      stringsAsFactors = FALSE),
                 predict = predict(object),
                 fitstats = c(logLik = as.numeric(logLik(object)),
                              AIC = stats::AIC(object),
                              BIC = stats::BIC(object))),
            class = "summary.nev_pool")
}

# tau^2, tau, I^2 and H^2 as estimated (a common-effect model assumes
# tau^2 = 0: no estimate).
pool_het_estimates <- function(x) {
  t2 <- if (x$method %in% c("FE", "MH", "Peto")) NA_real_ else x$tau2
  c(tau2 = t2, tau = sqrt(t2), I2 = x$I2, H2 = x$H2)
}

#' @export
print.summary.nev_pool <- function(x, digits = 4L, ...) {
  print(x$fit, digits = digits)
  cat("\nFit statistics (", if (identical(x$fit$method, "REML")) "REML"
      else "ML", "):\n", sep = "")
  print(round(x$fitstats, digits))
  cat("\nConfidence intervals (level ", x$fit$level, "):\n", sep = "")
  ci <- x$confint
  ci[-1] <- lapply(ci[-1], round, digits = digits)
  print(ci, row.names = FALSE)
  cat("\nPrediction:\n")
  print(round(x$predict, digits), row.names = FALSE)
  invisible(x)
}

#' Log-likelihood of a pooled analysis
#'
#' The likelihood the fit maximised (restricted under REML), as
#' `metafor::logLik.rma()`: `REML = TRUE` or `FALSE` asks for the other
#' one; the `"nobs"` attribute is k - p under REML and k otherwise, as
#' [nobs()].
#' @param object A `nev_pool` fit.
#' @param REML `NULL` (the fit's), `TRUE` or `FALSE`.
#' @param ... Unused.
#' @return An object of class `"logLik"`.
#' @family pool
#' @examples
#' fit <- pool(c(0.1, 0.5, -0.2, 0.9), c(0.04, 0.05, 0.03, 0.1))
#' logLik(fit)
#' logLik(fit, REML = FALSE)
#' @export
logLik.nev_pool <- function(object, REML = NULL, ...) {
  reml <- identical(object$method, "REML")
  if (is.null(REML) || identical(isTRUE(REML), reml)) return(object$logLik)
  p <- length(coef(object))
  structure(if (isTRUE(REML)) object$ll_reml else object$ll_ml,
            df = attr(object$logLik, "df"),
            nobs = object$k - if (isTRUE(REML)) p else 0L, class = "logLik")
}

# Higgins-Thompson interval for H from Q (used for the Q-based I^2/H^2).
pool_ht_interval <- function(Q, k, level) {
  z <- stats::qnorm((1 + level) / 2)
  lnH <- 0.5 * log(Q / (k - 1))
  se <- if (Q > k) 0.5 * (log(Q) - log(k - 1)) / (sqrt(2 * Q) - sqrt(2 * k - 3))
        else if (k > 2) sqrt(1 / (2 * (k - 2)) * (1 - 1 / (3 * (k - 2)^2)))
        else NA_real_
  H <- exp(lnH + c(-1, 1) * z * se)
  H <- pmax(H, 1)
  H^2
}

#' Confidence intervals for a pooled analysis
#'
#' The stats matrix of [stats::confint()]: by default one row per
#' coefficient (`mu` for the pooled effect; Wald or Knapp-Hartung as
#' fitted). `parm` may also ask for the heterogeneity parameters: `tau2`
#' and `tau` (Q-profile, Viechtbauer 2007), and `I2`, `H2` (from the
#' Q-profile bounds of tau^2 for the tau^2-based definition; from Higgins
#' and Thompson's interval for H when the fit uses `i2 = "Q"` or is a
#' common-effect model).
#' @param object A `nev_pool` fit (also subgroup and meta-regression fits).
#' @param parm Rows to return: names of coefficients, `"tau2"`, `"tau"`,
#'   `"I2"`, `"H2"` (default: the coefficients).
#' @param level Confidence level (default the fit's).
#' @param ... Unused.
#' @return A matrix with one row per parameter and columns named by the
#'   lower and upper probabilities (`"2.5 %"`, `"97.5 %"`).
#' @family pool
#' @examples
#' fit <- pool(c(0.1, 0.5, -0.2, 0.9), c(0.04, 0.05, 0.03, 0.1))
#' confint(fit)
#' confint(fit, parm = c("mu", "tau2", "I2"))
#' @export
confint.nev_pool <- function(object, parm, level = object$level, ...) {
  nev_check_dots("confint", ...)
  cf <- names(coef(object))
  het <- c("tau2", "tau", "I2", "H2")
  if (missing(parm)) parm <- cf
  if (!is.character(parm) || !all(parm %in% c(cf, het)))
    return(confint.nev_fit(object, parm, level))
  ci <- confint.nev_fit(object, intersect(parm, cf), level)
  if (any(parm %in% het))
    ci <- rbind(ci, pool_het_limits(object, level)[intersect(parm, het), ,
                                                   drop = FALSE])
  ci[parm, , drop = FALSE]
}

# Interval limits for tau^2, tau, I^2 and H^2 (a 4 x 2 matrix).
pool_het_limits <- function(x, level) {
  level <- nev_check_level(level)
  tq <- pool_tau2_profile(x, level)
  if (x$i2 == "Q" || x$method %in% c("FE", "MH", "Peto")) {
    h <- if (x$Q_df > 1) pool_ht_interval(x$Q, x$Q_df + 1, level)
         else c(NA_real_, NA_real_)
    I2 <- 100 * pmax(0, (h - 1) / h)
    H2 <- h
  } else {
    H2 <- tq / x$vt + 1
    I2 <- 100 * tq / (x$vt + tq)
  }
  matrix(c(tq, sqrt(tq), I2, H2), 4L, 2L, byrow = TRUE,
         dimnames = list(c("tau2", "tau", "I2", "H2"), NULL))
}

# Q-profile interval for tau^2 (NA when there are too few studies).
pool_tau2_profile <- function(x, level) {
  ok <- !is.na(x$yi) & !is.na(x$vi)
  if (sum(ok) <= ncol(x$X)) return(c(NA_real_, NA_real_))
  X <- if (ncol(x$X) > 1L) x$X[ok, , drop = FALSE] else NULL
  tq <- .Call(C_pool_qprofile, x$yi[ok], x$vi[ok], X, level, x$control$tol)
  if (tq[["status"]] != 0)
    nev_warn("the Q-profile interval for tau^2 did not converge")
  unname(tq[c("conf.low", "conf.high")])
}

#' Predicted pooled effect with confidence and prediction intervals
#'
#' @param object A `nev_pool` fit.
#' @param transf Optional function applied to every column (e.g. `exp` for
#'   ratio measures pooled on the log scale).
#' @param level Confidence level (default the fit's).
#' @param ... Unused.
#' @return A one-row data frame with columns `estimate, conf.low,
#'   conf.high, pi.low, pi.high`.
#' @family pool
#' @examples
#' fit <- pool(c(-0.9, -1.6, -0.2, 0.01), c(0.33, 0.19, 0.05, 0.004))
#' predict(fit, transf = exp)
#' @export
predict.nev_pool <- function(object, transf = NULL, level = object$level,
                             ...) {
  nev_check_dots("predict", ...)
  level <- nev_check_level(level)
  x <- object
  crit <- nev_crit(level, x$ddf[1])
  pcrit <- pool_pi_crit(x$pi_df, level, x$k)
  b <- unname(coef(x)[1]); se <- x$coef_table$std.error[1]
  pse <- sqrt(se^2 + x$tau2)
  out <- data.frame(estimate = b, conf.low = b - crit * se,
                    conf.high = b + crit * se, pi.low = b - pcrit * pse,
                    pi.high = b + pcrit * pse)
  if (!is.null(transf)) {
    if (!is.function(transf))
      nev_stop("`transf` must be a function such as exp (got ",
               class(transf)[1], ")")
    out[] <- lapply(out, transf)
  }
  out
}

#' @export
as.data.frame.nev_pool <- function(x, row.names = NULL, optional = FALSE,
                                   ...) {
  z <- stats::qnorm((1 + x$level) / 2)
  sei <- sqrt(x$vi)
  data.frame(study = x$slab, yi = x$yi, vi = x$vi, sei = sei,
             conf.low = x$yi - z * sei, conf.high = x$yi + z * sei,
             weight = x$weights, row.names = row.names,
             stringsAsFactors = FALSE)
}
