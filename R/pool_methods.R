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
print.nev_pool <- function(x, digits = 4L, ...) {
  cat(pool_model_label(x), " (k = ", x$k, ")", if (!is.null(x$measure))
    paste0(", measure ", x$measure), "\n", sep = "")
  if (!x$method %in% c("FE", "MH", "Peto"))
    cat("tau^2 = ", pool_fmt(x$tau2, digits), " (SE = ",
        pool_fmt(x$se_tau2, digits), "), tau = ", pool_fmt(sqrt(x$tau2),
                                                          digits),
        ", I^2 = ", pool_fmt(x$I2, 2), "%, H^2 = ", pool_fmt(x$H2, 2),
        "\n", sep = "")
  else
    cat("I^2 = ", pool_fmt(x$I2, 2), "%, H^2 = ", pool_fmt(x$H2, 2), "\n",
        sep = "")
  if (x$k > 1L)
    cat("Q(df = ", x$Q_df, ") = ", pool_fmt(x$Q, digits),
        pool_ptext(x$Q_p), "\n", sep = "")
  cat("\n")
  tab <- data.frame(estimate = pool_fmt(x$beta, digits),
                    se = pool_fmt(x$se, digits),
                    stat = pool_fmt(x$zval, digits),
                    pval = pool_pfmt(x$pval),
                    ci.lb = pool_fmt(x$ci_lb, digits),
                    ci.ub = pool_fmt(x$ci_ub, digits),
                    row.names = names(x$beta))
  names(tab)[3] <- if (x$test == "hksj") "tval" else "zval"
  print(tab, quote = FALSE, right = TRUE)
  if (x$test == "hksj")
    cat("\nKnapp-Hartung (HKSJ) test, t(", x$ddf, ")",
        if (x$hksj_adhoc) ", never narrower than Wald", "\n", sep = "")
  if (!x$converged) cat("\nWarning: ", x$message, "\n", sep = "")
  else if (nzchar(x$message)) cat("\nNote: ", x$message, "\n", sep = "")
  invisible(x)
}

#' @export
summary.nev_pool <- function(object, ...) {
  structure(list(fit = object, confint = confint(object),
                 predict = predict(object),
                 fitstats = c(logLik = as.numeric(logLik(object)),
                              AIC = stats::AIC(object),
                              BIC = stats::BIC(object))),
            class = "summary.nev_pool")
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

#' @export
coef.nev_pool <- function(object, ...) object$beta

#' @export
vcov.nev_pool <- function(object, ...) object$vb

#' @export
nobs.nev_pool <- function(object, ...) object$k

#' @export
logLik.nev_pool <- function(object, REML = NULL, ...) {
  reml <- if (is.null(REML)) identical(object$method, "REML") else isTRUE(REML)
  val <- if (reml) object$ll_reml else object$ll_ml
  p <- length(object$beta)
  structure(val, df = p + !(object$method %in% c("FE", "MH", "Peto")),
            nobs = if (reml) object$k - p else object$k, class = "logLik")
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
  c(H2_lb = H[1]^2, H2_ub = H[2]^2)
}

#' Confidence intervals for a pooled analysis
#'
#' Rows `mu` (the pooled effect; Wald or Knapp-Hartung as fitted), `tau2`
#' and `tau` (Q-profile, Viechtbauer 2007), and `I2`, `H2` (from the
#' Q-profile bounds of tau^2 for the tau^2-based definition; from Higgins
#' and Thompson's interval for H when the fit uses `i2 = "Q"` or is a
#' common-effect model). A common-effect model (FE, Mantel-Haenszel, Peto)
#' assumes tau^2 = 0: its `tau2` and `tau` rows have no estimate, only the
#' Q-profile interval.
#' @param object A `nev_pool` fit.
#' @param parm Rows to return (default all).
#' @param level Confidence level (default the fit's).
#' @param ... Unused.
#' @return A data frame with columns `parameter, estimate, lower, upper`.
#' @family pool
#' @examples
#' fit <- pool(c(0.1, 0.5, -0.2, 0.9), c(0.04, 0.05, 0.03, 0.1))
#' confint(fit)
#' @export
confint.nev_pool <- function(object, parm, level = object$level, ...) {
  level <- nev_check_level(level)
  x <- object
  crit <- pool_crit(level, x$ddf)
  mu <- c(x$beta[1], x$beta[1] - crit * x$se[1], x$beta[1] + crit * x$se[1])
  tq <- c(NA_real_, NA_real_)
  ok <- !is.na(x$yi)
  if (sum(ok) > length(x$beta)) {
    tq <- .Call(C_pool_qprofile, x$yi[ok], x$vi[ok], NULL, level,
                x$control$tol)
    if (tq[3] != 0)
      nev_warn("the Q-profile interval for tau^2 did not converge")
    tq <- tq[1:2]
  }
  vt <- x$vt
  if (x$i2 == "Q" || identical(x$method, "FE")) {
    h <- if (x$Q_df > 1) pool_ht_interval(x$Q, x$Q_df + 1, level)
         else c(NA, NA)
    H2 <- c(x$H2, h)
    I2 <- c(x$I2, 100 * pmax(0, (h - 1) / h))
  } else {
    H2 <- c(x$H2, tq / vt + 1)
    I2 <- c(x$I2, 100 * tq / (vt + tq))
  }
  # a common-effect model assumes tau2 = 0: no estimate, only the interval
  t2 <- if (x$method %in% c("FE", "MH", "Peto")) NA_real_ else x$tau2
  out <- data.frame(parameter = c("mu", "tau2", "tau", "I2", "H2"),
                    estimate = c(mu[1], t2, sqrt(t2), I2[1], H2[1]),
                    lower = c(mu[2], tq[1], sqrt(tq[1]), I2[2], H2[2]),
                    upper = c(mu[3], tq[2], sqrt(tq[2]), I2[3], H2[3]),
                    stringsAsFactors = FALSE)
  if (!missing(parm)) {
    bad <- setdiff(parm, out$parameter)
    if (length(bad))
      nev_stop("`parm` must be among mu, tau2, tau, I2, H2 (got ",
               paste(bad, collapse = ", "), ")")
    out <- out[match(parm, out$parameter), , drop = FALSE]
  }
  row.names(out) <- NULL
  out
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
  level <- nev_check_level(level)
  x <- object
  crit <- pool_crit(level, x$ddf)
  k <- x$k
  pcrit <- switch(x$pi_df, z = stats::qnorm((1 + level) / 2),
                  "k-1" = if (k > 1L) stats::qt((1 + level) / 2, k - 1L)
                          else NA_real_,
                  "k-2" = if (k > 2L) stats::qt((1 + level) / 2, k - 2L)
                          else NA_real_)
  b <- unname(x$beta[1]); se <- x$se[1]
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

#' @export
tidy.nev_pool <- function(x, conf.int = TRUE, conf.level = x$level,
                          exponentiate = FALSE, ...) {
  conf.level <- nev_check_level(conf.level, "conf.level")
  crit <- pool_crit(conf.level, x$ddf)
  out <- data.frame(term = names(x$beta), estimate = unname(x$beta),
                    std.error = x$se, statistic = x$zval, p.value = x$pval,
                    conf.low = unname(x$beta) - crit * x$se,
                    conf.high = unname(x$beta) + crit * x$se,
                    stringsAsFactors = FALSE)
  nev_tidy_finish(out, conf.int, exponentiate)
}

#' @export
glance.nev_pool <- function(x, ...) {
  data.frame(k = x$k, tau2 = x$tau2, I2 = x$I2, H2 = x$H2, Q = x$Q,
             Q.df = x$Q_df, Q.p = x$Q_p, pi.low = x$pi_lb[1],
             pi.high = x$pi_ub[1], method = x$method,
             converged = x$converged, stringsAsFactors = FALSE)
}

#' @importFrom stats coef vcov confint predict nobs logLik
NULL
