# Diagnostics after pooling: leave-one-out, cumulative, influence, Egger's
# and Begg's tests, trim and fill. Loops over model fits run in C
# (src/diag.c).

# The fit settings as the C glue wants them.
diag_settings <- function(fit, what) {
  if (!inherits(fit, "nev_pool"))
    nev_stop("`", what, "` needs a fit from pool() (got ", class(fit)[1], ")")
  if (!fit$method %in% .pool_methods)
    nev_stop(what, "() needs an inverse-variance fit from pool() ",
             "(the fit uses the ", fit$method, " method; refit with pool() ",
             "on its yi and vi)")
  list(code = nev_enum("pool_method", fit$method),
       test = nev_enum("pool_test", fit$test %||% "z"),
       adhoc = isTRUE(fit$hksj_adhoc), level = fit$level,
       tol = fit$control$tol %||% 1e-12,
       maxiter = fit$control$maxiter %||% 1000L)
}

# Complete studies of a fit (pool_counts() keeps NA rows in yi / vi).
diag_rows <- function(fit) which(!is.na(fit$yi) & !is.na(fit$vi))

# Design matrix for the C glue: NULL for intercept-only fits.
diag_design <- function(fit, rows) {
  X <- fit$X
  if (is.null(X) || ncol(X) == 1L && all(X[, 1] == 1)) return(NULL)
  X <- X[rows, , drop = FALSE]
  storage.mode(X) <- "double"
  X
}

# I^2 / H^2 as the fit reports them (Q-based when the fit says so).
diag_i2 <- function(fit, Q, df, I2, H2) {
  if (identical(fit$i2, "Q")) {
    I2 <- ifelse(Q > 0, pmax(0, 100 * (Q - df) / Q), 0)
    H2 <- Q / df
  }
  list(I2 = I2, H2 = H2)
}

# Warnings for the leave-one-out fits: failed (singular) and unconverged.
diag_loo_warn <- function(r, fit) {
  bad <- which(r$status > 0L & r$status < 100L)
  if (length(bad))
    nev_warn("stud", if (length(bad) > 1) "ies " else "y ", nev_rows(bad),
             " could not be left out (the model without ",
             if (length(bad) > 1) "them" else "it",
             " cannot be fitted: a moderator is carried by ",
             if (length(bad) > 1) "those studies" else "that study",
             " alone); ", "NA in the results")
  nc <- which(r$status >= 100L & !r$converged)
  if (length(nc))
    nev_warn("the ", fit$method, " estimator did not converge when leaving ",
             "out stud", if (length(nc) > 1) "ies " else "y ", nev_rows(nc))
}

diag_check_int_only <- function(fit, what) {
  if (inherits(fit, "nev_metareg"))
    nev_stop(what, "() applies to models without moderators (the fit has ",
             "`mods`); use influence() for meta-regression models")
}

#' Leave-one-out meta-analysis
#'
#' Refits the model `k` times, each time without one study, with the fit's
#' own estimator, test and level (as `metafor::leave1out()`). The loop runs
#' in C.
#'
#' @param fit A fit from [pool()] (without moderators), or from
#'   [pool_multilevel()]: then one cluster is left out at a time and the
#'   rows are `cluster, k, estimate, std.error, statistic, p.value,
#'   conf.low, conf.high, sigma2.1, sigma2.2, converged` (the first
#'   coefficient; NA where the remaining clusters cannot identify the
#'   model).
#' @param ... Unused.
#' @return A data frame with one row per left-out study: `study`,
#'   `estimate`, `std.error`, `statistic`, `p.value`, `conf.low`,
#'   `conf.high`, `cochran.qe`, `p.value.cochran.qe`, `tau.squared`,
#'   `i.squared`, `h.squared`, `converged`.
#' @family diagnostics
#' @examples
#' yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01, -0.47)
#' vi <- c(0.33, 0.19, 0.42, 0.02, 0.05, 0.007, 0.22, 0.004, 0.056)
#' leave_one_out(pool(yi, vi))
#' @export
leave_one_out <- function(fit, ...) {
  nev_check_dots("leave_one_out", ...)
  if (inherits(fit, "nev_multilevel")) return(ml3_leave_one_out(fit))
  s <- diag_settings(fit, "leave_one_out")
  diag_check_int_only(fit, "leave_one_out")
  rows <- diag_rows(fit)
  if (length(rows) < 2L)
    nev_stop("leave_one_out() needs at least 2 studies (the fit has ",
             length(rows), ")")
  r <- .Call(C_diag_loo, fit$yi[rows], fit$vi[rows], NULL, s$code, s$test,
             s$adhoc, s$level, s$tol, s$maxiter, NULL, 0L, FALSE)
  diag_loo_warn(r, fit)
  h <- diag_i2(fit, r$QE, length(rows) - 2, r$I2, r$H2)
  data.frame(study = fit$slab[rows], estimate = r$beta[, 1],
             std.error = r$se[, 1], statistic = r$zval[, 1],
             p.value = r$pval[, 1], conf.low = r$ci_lb[, 1],
             conf.high = r$ci_ub[, 1], cochran.qe = r$QE,
             p.value.cochran.qe = r$QE_p, tau.squared = r$tau2,
             i.squared = h$I2, h.squared = h$H2, converged = r$converged,
             stringsAsFactors = FALSE)
}

#' Cumulative meta-analysis
#'
#' Adds the studies one at a time in the given order and refits the model
#' after each addition (as `metafor::cumul()`), in C.
#'
#' @param fit A fit from [pool()] (without moderators).
#' @param order Optional vector with one value per study (e.g.
#'   publication years) to sort the studies by, as in `metafor::cumul()`
#'   (a permutation of `1:k` is the rank at which each study enters).
#'   Default: the order of the studies in the fit.
#' @param ... Unused.
#' @return A data frame with one row per step: `study` (the study added),
#'   `k`, `estimate`, `std.error`, `statistic`, `p.value`, `conf.low`,
#'   `conf.high`, `cochran.qe`, `p.value.cochran.qe`, `tau.squared`,
#'   `i.squared`, `h.squared`, `converged`.
#' @family diagnostics
#' @examples
#' yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79)
#' vi <- c(0.33, 0.19, 0.42, 0.02, 0.05, 0.007)
#' cumulative(pool(yi, vi), order = c(1948, 1949, 1960, 1977, 1973, 1953))
#' @export
cumulative <- function(fit, order = NULL, ...) {
  nev_check_dots("cumulative", ...)
  s <- diag_settings(fit, "cumulative")
  diag_check_int_only(fit, "cumulative")
  rows <- diag_rows(fit)
  k <- length(rows)
  o <- seq_len(k)
  if (!is.null(order)) {
    if (length(order) != k)
      nev_stop("`order` must have one value per study (got ", length(order),
               " for ", k, " studies)")
    if (anyNA(order)) nev_stop("`order` must not contain NA")
    o <- base::order(order)
  }
  idx <- rows[o]
  r <- .Call(C_diag_cumul, fit$yi[idx], fit$vi[idx], s$code, s$test,
             s$adhoc, s$level, s$tol, s$maxiter, NULL)
  if (!all(r$converged))
    nev_warn("the ", fit$method, " estimator did not converge at step",
             if (sum(!r$converged) > 1) "s", " ", nev_rows(which(!r$converged)))
  h <- diag_i2(fit, r$QE, seq_len(k) - 1, r$I2, r$H2)
  data.frame(study = fit$slab[idx], k = seq_len(k), estimate = r$beta,
             std.error = r$se, statistic = r$zval, p.value = r$pval,
             conf.low = r$ci_lb, conf.high = r$ci_ub, cochran.qe = r$QE,
             p.value.cochran.qe = r$QE_p, tau.squared = r$tau2,
             i.squared = h$I2, h.squared = h$H2, converged = r$converged,
             stringsAsFactors = FALSE)
}

#' Influence diagnostics for a meta-analysis or meta-regression
#'
#' Case-deletion diagnostics with the definitions of
#' `metafor::influence.rma.uni()` (Viechtbauer and Cheung 2010): each study
#' is left out in turn (the model, including tau^2, refitted in C) and
#' compared with the full fit.
#'
#' Columns: `rstudent` (externally standardised residual: the study's
#' deviation from the prediction of the model fitted without it, divided by
#' its standard error), `dffits`, `cook.d` (Cook's distance over all
#' coefficients), `cov.r` (ratio of the generalised variances without and
#' with the study), `tau2.del` and `QE.del` (tau^2 and the (residual)
#' heterogeneity statistic without the study), `hat` (leverage), `weight`
#' (percentage weight), `dfbeta.<coefficient>` (DFBETAS) and `influential`
#' (metafor's rule: |DFFITS| > 3 sqrt(p / (k - p)), pchisq(Cook's distance,
#' p') > 0.5, hat > 3 p / k or any |DFBETAS| > 1).
#'
#' @param model A fit from [pool()] (with or without `mods`).
#' @param ... Unused.
#' @return A data frame with one row per study (see Details).
#' @references Viechtbauer W, Cheung MWL (2010) Outlier and influence
#'   diagnostics for meta-analysis. Research Synthesis Methods 1:112-125.
#' @family diagnostics
#' @examples
#' yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01, -0.47)
#' vi <- c(0.33, 0.19, 0.42, 0.02, 0.05, 0.007, 0.22, 0.004, 0.056)
#' influence(pool(yi, vi))
#' @importFrom stats influence
#' @export
influence.nev_pool <- function(model, ...) {
  nev_check_dots("influence", ...)
  fit <- model
  s <- diag_settings(fit, "influence")
  rows <- diag_rows(fit)
  X <- diag_design(fit, rows)
  p <- length(coef(fit))
  k <- length(rows)
  if (k < 2L || k - 1L < p)
    nev_stop("influence() needs more studies than coefficients plus one ",
             "(the fit has ", k, " studies and ", p, " coefficients)")
  btt0 <- 0L # metafor: Cook's distance and cov.r over all coefficients
  r <- .Call(C_diag_loo, fit$yi[rows], fit$vi[rows], X, s$code, s$test,
             s$adhoc, s$level, s$tol, s$maxiter, NULL, btt0, TRUE)
  diag_loo_warn(r, fit)
  m <- p - btt0
  dfb <- r$dfbetas
  colnames(dfb) <- paste0("dfbeta.", names(coef(fit)))
  infl <- abs(r$dffits) > 3 * sqrt(p / (k - p)) |
    stats::pchisq(r$cook, df = m) > 0.5 | r$hat > 3 * p / k |
    apply(abs(dfb) > 1, 1, any)
  out <- data.frame(study = fit$slab[rows], rstudent = r$rstudent,
                    dffits = r$dffits, cook.d = r$cook, cov.r = r$covratio,
                    tau2.del = r$tau2, QE.del = r$QE, hat = r$hat,
                    weight = r$weight, stringsAsFactors = FALSE)
  out <- cbind(out, as.data.frame(dfb))
  out$influential <- !is.na(infl) & infl
  out
}

# ---- small-study effects --------------------------------------------------

diag_check_k <- function(k, what) {
  if (k < 3L)
    nev_stop(what, " needs at least 3 studies (got ", k, ")")
  if (k < 10L)
    nev_warn(what, " with only ", k, " studies has little power to detect ",
             "funnel-plot asymmetry (at least 10 are usually recommended)")
}

#' Egger's regression test for funnel-plot asymmetry
#'
#' Regresses the effect sizes on a measure of their precision (as
#' `metafor::regtest()`). `model = "lm"` is the classic test of Egger et al.
#' (1997): a weighted least-squares regression of `yi` on the predictor with
#' weights `1 / vi` and a multiplicative residual variance, a t test with
#' k - 2 df (with `predictor = "sei"` this is exactly the regression of the
#' standardised effect `yi / sei` on the precision `1 / sei`, Egger's
#' intercept being the slope reported here). `model = "rma"` adds the
#' predictor as a moderator to the fit's own (mixed-effects) model, with its
#' estimator and test.
#'
#' Predictors: `"sei"` standard error, `"vi"` variance, `"ni"` sample size,
#' `"ninv"` inverse sample size (the last two need `ni`).
#'
#' The default, `model = "lm"` with `predictor = "sei"`, is Egger's original
#' test, the default of `meta::metabias()` (`method.bias = "Egger"`, its
#' `"linreg"`). `metafor::regtest()` defaults to `model = "rma"` instead:
#' give `model = "rma"` to reproduce it (both agree with metafor on the
#' same choice; see the tests).
#'
#' @param fit A fit from [pool()] without moderators.
#' @param model `"lm"` (default, as `meta::metabias()`) or `"rma"` (the
#'   default of `metafor::regtest()`).
#' @param predictor `"sei"`, `"vi"`, `"ni"` or `"ninv"`.
#' @param ni Sample sizes (one per study of the fit) for `"ni"` / `"ninv"`.
#' @return An object of class `c("nev_htest", "htest")` with `statistic`
#'   (t or z for the predictor's coefficient), `parameter` (df, for t),
#'   `p.value`, `estimate` (the predictor's coefficient and, for `"sei"`,
#'   `"vi"`, `"ninv"`, the limit estimate: the intercept, the effect
#'   expected in an infinitely large study), `conf.int` (for the limit
#'   estimate), `method`, `data.name`, and `fit` (coefficient table).
#' @references Egger M, Davey Smith G, Schneider M, Minder C (1997) Bias in
#'   meta-analysis detected by a simple, graphical test. BMJ 315:629-634.
#' @family diagnostics
#' @examples
#' yi <- c(-0.69, -1.24, -1.26, -0.04, 0.21, -2.41, -1.28, -0.94, -0.64,
#'         -2.34, -1.89, -1.05, -0.69, -0.30, -1.56, 0.05)
#' vi <- c(1.56, 0.18, 0.66, 2.04, 0.22, 1.13, 1.43, 2.95, 0.28, 1.19,
#'         0.62, 0.35, 0.41, 0.02, 0.33, 0.001)
#' egger_test(pool(yi, vi))
#' @export
egger_test <- function(fit, model = c("lm", "rma"),
                       predictor = c("sei", "vi", "ni", "ninv"), ni = NULL) {
  s <- diag_settings(fit, "egger_test")
  diag_check_int_only(fit, "egger_test")
  model <- nev_match_arg(model)
  predictor <- nev_match_arg(predictor)
  rows <- diag_rows(fit)
  k <- length(rows)
  diag_check_k(k, "Egger's test")
  yi <- fit$yi[rows]; vi <- fit$vi[rows]
  if (predictor %in% c("ni", "ninv")) {
    if (is.null(ni))
      nev_stop("`predictor = \"", predictor, "\"` needs the sample sizes `ni`")
    ni <- nev_check_numeric(ni, "ni")
    if (length(ni) == length(fit$yi)) ni <- ni[rows]
    if (length(ni) != k)
      nev_stop("`ni` must have one value per study (got ", length(ni),
               " for ", k, " studies)")
    if (anyNA(ni) || any(ni <= 0))
      nev_stop("`ni` must be positive and not NA")
  }
  x <- switch(predictor, sei = sqrt(vi), vi = vi, ni = ni, ninv = 1 / ni)
  if (length(unique(x)) < 2L)
    nev_stop("the predictor (", predictor, ") is constant across studies: ",
             "the regression test cannot be computed")
  X <- cbind(intrcpt = 1, x)
  colnames(X)[2] <- predictor
  level <- fit$level
  if (model == "lm") {
    r <- .Call(C_diag_wls, yi, vi, X)
    df <- k - 2
    stat <- r$t[2]
    pv <- 2 * stats::pt(abs(stat), df, lower.tail = FALSE)
    crit <- stats::qt((1 + level) / 2, df)
    tab <- data.frame(term = colnames(X), estimate = r$coef,
                      std.error = r$se, statistic = r$t,
                      p.value = 2 * stats::pt(abs(r$t), df,
                                              lower.tail = FALSE))
    lim <- c(r$coef[1] - crit * r$se[1], r$coef[1] + crit * r$se[1])
    names(stat) <- "t"
    param <- c(df = df)
    meth <- "Egger's regression test for funnel-plot asymmetry (weighted least squares)"
  } else {
    mc <- list(method = fit$method, code = s$code)
    r <- pool_fit_c(yi, vi, X, mc, s$test, s$adhoc, level, fit$control)
    stat <- r$zval[2]
    pv <- r$pval[2]
    tab <- data.frame(term = colnames(X), estimate = r$beta,
                      std.error = r$se, statistic = r$zval, p.value = r$pval)
    lim <- c(r$ci_lb[1], r$ci_ub[1])
    if (s$test == 1L) {
      names(stat) <- "t"
      param <- c(df = k - 2)
    } else {
      names(stat) <- "z"
      param <- NULL
    }
    meth <- paste0("Egger's regression test for funnel-plot asymmetry ",
                   "(mixed-effects meta-regression, ", fit$method, ")")
  }
  est <- c(tab$estimate[2])
  names(est) <- paste0("slope on ", predictor)
  ci <- NULL
  if (predictor %in% c("sei", "vi", "ninv")) {
    est <- c(est, "limit estimate" = tab$estimate[1])
    ci <- structure(lim, conf.level = level)
  }
  structure(list(statistic = stat, parameter = param, p.value = unname(pv),
                 estimate = est, conf.int = ci, null.value = c(slope = 0),
                 alternative = "two.sided", method = meth,
                 data.name = paste0(k, " studies, predictor: ", predictor),
                 model = model, predictor = predictor, fit = tab, k = k),
            class = c("nev_htest", "htest"))
}

#' Begg and Mazumdar's rank correlation test for funnel-plot asymmetry
#'
#' Kendall's tau between the standardised effect sizes
#' `(yi - mu_FE) / sqrt(vi - 1 / sum(1 / vi))` and the variances `vi` (Begg
#' and Mazumdar 1994), as `metafor::ranktest()`: tau-b, with the exact
#' p-value when there are no ties (k <= 500) and the normal approximation
#' with the tie-corrected variance otherwise.
#'
#' @param fit A fit from [pool()] without moderators.
#' @param exact Use the exact permutation distribution when there are no
#'   ties.
#' @return An object of class `c("nev_htest", "htest")` with `estimate`
#'   (Kendall's tau), `statistic` (`T`, the number of concordant pairs, for
#'   the exact test; `z` otherwise), `p.value`, `method`, `data.name`.
#' @references Begg CB, Mazumdar M (1994) Operating characteristics of a
#'   rank correlation test for publication bias. Biometrics 50:1088-1101.
#' @family diagnostics
#' @examples
#' yi <- c(-0.69, -1.24, -1.26, -0.04, 0.21, -2.41, -1.28, -0.94, -0.64,
#'         -2.34, -1.89, -1.05, -0.69, -0.30, -1.56, 0.05)
#' vi <- c(1.56, 0.18, 0.66, 2.04, 0.22, 1.13, 1.43, 2.95, 0.28, 1.19,
#'         0.62, 0.35, 0.41, 0.02, 0.33, 0.001)
#' begg_test(pool(yi, vi))
#' @export
begg_test <- function(fit, exact = TRUE) {
  if (!inherits(fit, "nev_pool"))
    nev_stop("`fit` must be a fit from pool() (got ", class(fit)[1], ")")
  diag_check_int_only(fit, "begg_test")
  if (!is.logical(exact) || length(exact) != 1L || is.na(exact))
    nev_stop("`exact` must be TRUE or FALSE")
  rows <- diag_rows(fit)
  k <- length(rows)
  diag_check_k(k, "Begg's test")
  yi <- fit$yi[rows]; vi <- fit$vi[rows]
  w <- 1 / vi
  theta <- sum(w * yi) / sum(w)
  ys <- (yi - theta) / sqrt(vi - 1 / sum(w))
  if (length(unique(vi)) < 2L)
    nev_stop("the variances are equal in every study: Begg's test needs ",
             "studies of different precision")
  r <- .Call(C_diag_kendall, ys, vi, exact)
  exact <- r[["exact"]] == 1
  stat <- stats::setNames(r[["statistic"]], if (exact) "T" else "z")
  structure(list(statistic = stat, p.value = r[["p.value"]],
                 estimate = c(tau = r[["tau"]]),
                 null.value = c(tau = 0), alternative = "two.sided",
                 method = paste0("Begg and Mazumdar's rank correlation test ",
                                 "(Kendall's tau-b, ", if (exact)
                                   "exact" else "normal approximation", ")"),
                 data.name = paste0(k, " studies"), exact = exact, k = k),
            class = c("nev_htest", "htest"))
}

#' @export
print.nev_htest <- function(x, digits = 4L, ...) {
  cl <- x
  class(cl) <- "htest"
  cl$fit <- NULL
  cl$conf.int <- NULL
  # print.htest() shows the statistic to digits - 2 and p to digits - 3
  # significant digits: digits + 3 shows p as the tables below do
  print(cl, digits = digits + 3L, ...)
  if (!is.null(x$conf.int))
    cat("Limit estimate (effect in a study of infinite precision): ",
        formatC(x$estimate[2], digits = digits, format = "f"), ", ",
        round(100 * attr(x$conf.int, "conf.level")), "% CI [",
        formatC(x$conf.int[1], digits = digits, format = "f"), ", ",
        formatC(x$conf.int[2], digits = digits, format = "f"), "]\n\n",
        sep = "")
  if (!is.null(x$fit)) {
    cat("Regression coefficients:\n")
    tab <- x$fit
    tab[-1] <- lapply(tab[-1], signif, digits = digits)
    print(tab, row.names = FALSE)
  }
  invisible(x)
}

#' Trim-and-fill analysis
#'
#' Duval and Tweedie's nonparametric trim-and-fill method as
#' `metafor::trimfill()`: the most extreme studies on the side with excess
#' are trimmed until the rank estimator (`"L0"` or `"R0"`) of the number of
#' missing studies stabilises, the pooled effect of the trimmed set being
#' re-estimated at each step with the fit's own estimator; the `k0` missing
#' studies are then filled in as mirror images about that estimate, and the
#' model is refitted to the augmented data. The iteration runs in C.
#'
#' If `side` is not given, missing studies are assumed on the left when the
#' slope of the regression of `yi` on `sqrt(vi)` (fitted as a
#' mixed-effects model) is positive, on the right otherwise.
#'
#' @param fit A fit from [pool()] without moderators.
#' @param estimator `"L0"` or `"R0"`.
#' @param side `"left"`, `"right"` or `NULL` (choose from the data).
#' @param maxiter Iteration limit; when it is reached the result is flagged
#'   (`tf_converged = FALSE`) with a warning.
#' @return A `nev_pool` (class `c("nev_trimfill", "nev_pool", "nev_fit")`)
#'   fitted to the observed and filled studies, with elements `k0` (number
#'   of filled studies), `k0_se`, `side`, `estimator`, `fill` (logical: which studies
#'   are filled), `tf_iterations`, `tf_converged`, and `original` (the fit
#'   given). `glance()` gains a `k0` column.
#' @references Duval S, Tweedie R (2000) Trim and fill: a simple
#'   funnel-plot-based method of testing and adjusting for publication bias
#'   in meta-analysis. Biometrics 56:455-463.
#' @family diagnostics
#' @examples
#' yi <- c(-0.69, -1.24, -1.26, -0.04, 0.21, -2.41, -1.28, -0.94, -0.64,
#'         -2.34, -1.89, -1.05, -0.69, -0.30, -1.56, 0.05)
#' vi <- c(1.56, 0.18, 0.66, 2.04, 0.22, 1.13, 1.43, 2.95, 0.28, 1.19,
#'         0.62, 0.35, 0.41, 0.02, 0.33, 0.001)
#' tf <- trim_fill(pool(yi, vi, method = "FE"))
#' tf
#' @export
trim_fill <- function(fit, estimator = c("L0", "R0"), side = NULL,
                      maxiter = 100L) {
  s <- diag_settings(fit, "trim_fill")
  diag_check_int_only(fit, "trim_fill")
  estimator <- nev_match_arg(estimator)
  if (!is.null(side)) side <- nev_match_arg(side, c("left", "right"))
  if (!is.numeric(maxiter) || length(maxiter) != 1L || is.na(maxiter) ||
      maxiter < 1)
    nev_stop("`maxiter` must be a single number >= 1 (got ",
             paste(format(maxiter), collapse = ", "), ")")
  rows <- diag_rows(fit)
  k <- length(rows)
  if (k < 2L) nev_stop("trim_fill() needs at least 2 studies (got ", k, ")")
  yi <- fit$yi[rows]; vi <- fit$vi[rows]
  sd <- if (is.null(side)) -1L else if (side == "left") 0L else 1L
  r <- .Call(C_diag_trimfill, yi, vi, s$code, s$tol, s$maxiter,
             if (estimator == "L0") 0L else 1L, sd, as.integer(maxiter))
  if (!r$converged)
    nev_warn("trim and fill did not converge in ", maxiter, " iterations; ",
             "k0 = ", r$k0, " is from the last iteration")
  k0 <- r$k0
  lab <- c(fit$slab[rows], if (k0 > 0) paste("Filled", seq_len(k0)))
  y2 <- c(yi, r$fill_y); v2 <- c(vi, r$fill_v)
  mc <- list(method = fit$method, code = s$code)
  out <- pool_build(y2, v2, lab, mc, fit$test, isTRUE(fit$hksj_adhoc),
                    fit$level, fit$pi_df %||% "z", fit$i2 %||% "tau2",
                    fit$control, fit$measure, match.call())
  out$k0 <- k0
  out$k0_se <- r$se_k0
  out$side <- if (r$side == 0L) "left" else "right"
  out$estimator <- estimator
  out$fill <- c(rep(FALSE, k), rep(TRUE, k0))
  out$tf_iterations <- r$iterations
  out$tf_converged <- r$converged
  out$original <- fit
  class(out) <- c("nev_trimfill", class(out))
  out
}

#' @export
print.nev_trimfill <- function(x, digits = 4L, ...) {
  cat("Trim and fill (", x$estimator, "): estimated number of missing ",
      "studies on the ", x$side, " side: ", x$k0, " (SE = ",
      formatC(x$k0_se, digits = digits, format = "f"), ")\n", sep = "")
  if (!isTRUE(x$tf_converged))
    cat("Warning: the trim-and-fill iteration did not converge\n")
  cat("\n")
  NextMethod()
  invisible(x)
}

#' @export
nev_glance_extra.nev_trimfill <- function(x) {
  c(NextMethod(), list(k0 = x$k0, k0.se = x$k0_se, side = x$side))
}
