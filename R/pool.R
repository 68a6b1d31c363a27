# Meta-analysis: pool(), pool_batch(). The model fit is done
# in C (src/pool.c); this file validates, calls and builds the result.

.pool_methods <- c("FE", "DL", "REML", "ML", "PM", "EB", "HE", "HS", "SJ",
                   "DL2")

# Validate a `control` list (from pool_control() or written by hand).
pool_check_control <- function(control) {
  if (identical(control, .pool_control_default)) return(control)
  nev_check_control(control, pool_control, "pool_control")
}

# pool_control()'s value, known valid: checked by identity, not again.
.pool_control_default <- list(tol = 1e-12, maxiter = 1000L)

# Check yi / vi (already numeric doubles); returns the complete-row index or
# errors naming the rows.
pool_check_yv <- function(yi, vi, vname = "vi") {
  if (length(yi) != length(vi))
    nev_stop("`yi` and `", vname, "` must have the same length (got ",
             length(yi), " and ", length(vi), ")")
  if (length(yi) == 0L) nev_stop("`yi` has no values")
  bad <- is.infinite(yi)
  if (any(bad))
    nev_stop("`yi` must be finite; row", if (sum(bad) > 1) "s", " ",
             nev_rows(which(bad)), " ha", if (sum(bad) > 1) "ve" else "s",
             " yi = ", paste(format(yi[bad][seq_len(min(5, sum(bad)))]),
                             collapse = ", "))
  bad <- !is.na(vi) & (vi <= 0 | is.infinite(vi))
  if (any(bad))
    nev_stop("`", vname, "` must be positive and finite; row",
             if (sum(bad) > 1) "s", " ", nev_rows(which(bad)), " ha",
             if (sum(bad) > 1) "ve" else "s", " ", vname, " = ",
             paste(format(vi[bad][seq_len(min(5, sum(bad)))]),
                   collapse = ", "))
  invisible(TRUE)
}

# Row indices selected by a logical or integer `subset` of n studies.
pool_subset_index <- function(sb, n) {
  keep <- if (is.logical(sb)) {
    if (length(sb) != n)
      nev_stop("`subset` must have length ", n, " (got ", length(sb), ")")
    which(sb & !is.na(sb))
  } else as.integer(sb)
  if (anyNA(keep) || any(keep < 1L | keep > n))
    nev_stop("`subset` has indices outside 1..", n)
  keep
}

pool_method_code <- function(method) {
  if (!is.character(method) || length(method) < 1L || anyNA(method))
    nev_stop("`method` must be a character vector of estimators (got ",
             class(method)[1], ")")
  m <- vapply(method, nev_match_arg, "", choices = .pool_methods,
              name = "method", aliases = c(EE = "FE", CE = "FE"),
              USE.NAMES = FALSE)
  list(method = m, code = nev_enum("pool_method", m))
}

# pool_method_code() of a single estimator name, cached: pool() is called
# in loops, and the codes come from C once per name and session.
.pool_mc_cache <- new.env(parent = emptyenv())
pool_method_code_1 <- function(method) {
  if (!is.character(method) || length(method) != 1L || is.na(method) ||
      !nzchar(method))
    return(pool_method_code(method))
  mc <- .pool_mc_cache[[method]]
  if (is.null(mc)) {
    mc <- pool_method_code(method)
    assign(method, mc, envir = .pool_mc_cache)
  }
  mc
}

# The C code of `test` ("z" or "hksj"), cached as the method codes.
.pool_test_cache <- new.env(parent = emptyenv())
pool_test_code <- function(test) {
  code <- .pool_test_cache[[test]]
  if (is.null(code)) {
    code <- nev_enum("pool_test", test)
    assign(test, code, envir = .pool_test_cache)
  }
  code
}

# One model fit in C; method a fallback chain. Returns the C list plus the
# method used. For meta-regression and loops (subgroups, leave-one-out):
#   mc <- pool_method_code("REML")
#   pool_fit_c(yi, vi, X, mc, test = nev_enum("pool_test", "z"),
#              adhoc = FALSE, level = 0.95, control = pool_control(),
#              tau2 = NULL)
# with X a k x p double matrix (NULL: intercept only). The list holds beta,
# se, vb (p x p), zval, pval, ci_lb, ci_ub, weights (1/(vi + tau2)), tau2,
# se_tau2, QE, QE_df, QE_p, vt, I2, H2, s2w, ddf, crit, ll_ml, ll_reml,
# iterations, converged, boundary, fallback, status, method. A numeric
# `tau2` fixes tau^2 instead of estimating it.
pool_fit_c <- function(yi, vi, X, mc, test, adhoc, level, control,
                       tau2 = NULL) {
  if (length(mc$code) == 1L) {   # the usual case, without the loop
    fit <- .Call(C_pool_fit, yi, vi, X, mc$code, test, adhoc, level,
                 control$tol, control$maxiter, tau2)
    fit$method <- mc$method
    return(fit)
  }
  fit <- NULL
  for (j in seq_along(mc$code)) {
    fit <- .Call(C_pool_fit, yi, vi, X, mc$code[j], test, adhoc, level,
                 control$tol, control$maxiter, tau2)
    fit$method <- mc$method[j]
    if (fit$converged) break
  }
  fit
}


#' Meta-analysis of effect sizes: common and random effects
#'
#' Pools `k` effect sizes `yi` with sampling variances `vi` (or standard
#' errors `sei`) by inverse-variance weighting, with the between-study
#' variance tau^2 estimated by one of the standard estimators. The numerical
#' core is written in C; the iterative estimators (REML, ML, PM, EB) are
#' solved to machine precision (Newton steps safeguarded by a bracketing
#' Brent root finder, so they always converge, also at tau^2 = 0).
#'
#' Estimators (`method`): `"FE"` common effect (tau^2 = 0; `"EE"`/`"CE"`
#' accepted), `"DL"` DerSimonian-Laird, `"REML"`, `"ML"`, `"PM"`
#' Paule-Mandel, `"EB"` empirical Bayes (Morris; its root coincides with PM),
#' `"HE"` Hedges, `"HS"` Hunter-Schmidt, `"SJ"` Sidik-Jonkman, `"DL2"`
#' two-step DerSimonian-Laird (DerSimonian and Kacker 2007; generalised Q
#' with weights 1/(vi + tau2_DL)). All follow `metafor::rma()`, including the
#' truncation of tau^2 at 0. A vector of methods is a fallback chain: the
#' next is tried if one does not converge.
#'
#' `"ML"` and `"REML"` return the global maximum of the (restricted)
#' likelihood over tau^2 >= 0. The likelihood can have more than one local
#' maximum (e.g. a lower one at tau^2 = 0 besides an interior one, mostly
#' with moderators): every local maximum below a bound on the stationary
#' points is located on a grid and solved, and the highest is taken. A
#' single-start iteration such as `metafor::rma()`'s can stop at a lower
#' one, so the two can differ in such data.
#'
#' Finite data whose fit would overflow double precision (e.g. `yi` near
#' `1e308` with large weights, or `vi` so small that `1 / vi` is not
#' finite) give an error naming `yi` and `vi`; they are never returned as
#' `Inf` or `NaN` estimates.
#'
#' `test = "hksj"` gives the Knapp-Hartung (Hartung-Knapp-Sidik-Jonkman)
#' test: the variance of the estimate is multiplied by the weighted residual
#' variance and a t distribution with k - 1 df is used; with
#' `hksj_adhoc = TRUE` the factor is at least 1, so the interval is never
#' narrower than the Wald one.
#'
#' The prediction interval is `estimate +/- crit * sqrt(se^2 + tau2)` with
#' `crit` from the normal (`pi_df = "z"`), or a t distribution with k - 1 or
#' k - 2 df (Higgins, Thompson and Spiegelhalter 2009). The default follows
#' metafor (`predict.rma()`): t with k - 1 df with `test = "hksj"` (its
#' `"knha"`), the normal otherwise.
#'
#' I^2 is, by default, metafor's tau^2-based value
#' `100 tau2 / (tau2 + vt)` with the typical within-study variance
#' `vt = (k - 1) / (sum(w) - sum(w^2) / sum(w))`; `i2 = "Q"` gives
#' Higgins and Thompson's `100 (Q - df) / Q` (truncated at 0). The common
#' effect model always reports the Q-based value, as metafor does.
#'
#' With a single study the pooled estimate is that study (tau^2 = 0) and a
#' message says so.
#'
#' @param yi Effect sizes: a numeric vector, or an unquoted column of `data`
#'   or a string naming one.
#' @param vi Sampling variances (as `yi`). Give `vi` or `sei`.
#' @param sei Standard errors (as `yi`).
#' @param data Optional data frame holding the columns.
#' @param method Estimator of tau^2 (see Details); a vector is a fallback
#'   chain.
#' @param test `"z"` (Wald) or `"hksj"` (Knapp-Hartung; metafor's `"knha"`
#'   is accepted as a synonym).
#' @param level Confidence level.
#' @param pi_df Distribution for the prediction interval: `"z"`, `"k-1"` or
#'   `"k-2"` (t with that many df); `NULL` (default): `"k-1"` with
#'   `test = "hksj"`, `"z"` otherwise, as metafor.
#' @param i2 `"tau2"` (metafor's tau^2-based I^2 and H^2) or `"Q"`
#'   (Higgins-Thompson, from Q).
#' @param subset Optional logical or index vector (evaluated in `data`)
#'   selecting studies.
#' @param slab Optional study labels (as `yi`); default row numbers or the
#'   row names of `data`.
#' @param hksj_adhoc With `test = "hksj"`, never let the interval be
#'   narrower than the Wald interval.
#' @param measure Optional label of the effect measure (e.g. `"RR"`);
#'   defaults to the `measure` attribute of `data` or `yi` if present.
#' @param control [pool_control()] settings.
#' @param subgroup Optional grouping (as `yi`): per-subgroup estimates and
#'   the test for subgroup differences (see [pool_subgroups]).
#' @param tau2_common With `subgroup`, one tau^2 common to all subgroups.
#' @param mods Optional moderators, a one-sided formula such as
#'   `~ x1 + x2` (evaluated in `data`) or a numeric matrix: mixed-effects
#'   meta-regression (see [pool_metareg]).
#' @return An object of class `c("nev_pool", "nev_fit")` (see [nev_fit]): a
#'   list with
#' \describe{
#' \item{yi, vi, k, slab}{the studies used (after `subset` and dropping NA
#'   rows), their number and labels.}
#' \item{X}{the k x p design matrix (a column of ones named `"mu"` here;
#'   meta-regression uses the same contract).}
#' \item{method, test, hksj_adhoc, level, pi_df, i2}{the settings used
#'   (`method` is the estimator that produced the fit).}
#' \item{coefficients, vcov, coef_table}{named coefficient vector (`"mu"`
#'   for the pooled effect), its covariance matrix, and the table with
#'   columns `term, estimate, std.error, statistic` (z or t), `p.value`,
#'   `conf.low, conf.high` at `level`.}
#' \item{ddf, s2w}{t degrees of freedom per coefficient (NA for the z test)
#'   and the Knapp-Hartung scale factor (1 for the z test).}
#' \item{nobs, logLik}{k (k - p under REML, as metafor) and the
#'   log-likelihood the fit maximised (a `"logLik"` object).}
#' \item{tau2, tau2_se}{between-study variance and its standard error.}
#' \item{Q, Q_df, Q_p}{Cochran's Q (weights 1/vi), its df and p-value.}
#' \item{I2, H2, vt}{I^2 (percent), H^2 and the typical within-study
#'   variance.}
#' \item{weights}{percentage weights of the studies (sum to 100).}
#' \item{pi.low, pi.high}{prediction interval.}
#' \item{ll_ml, ll_reml}{ML and REML log-likelihoods.}
#' \item{converged, iterations, boundary, message}{convergence flag,
#'   iterations used, whether tau^2 is on the 0 boundary, and a message
#'   (empty string when there is nothing to say).}
#' \item{measure, call, control}{effect measure label, the call, the control
#'   settings.}
#' }
#' @references DerSimonian R, Laird N (1986) Meta-analysis in clinical
#'   trials. Controlled Clinical Trials 7:177-188.
#'   Viechtbauer W (2005) Bias and efficiency of meta-analytic variance
#'   estimators in the random-effects model. Journal of Educational and
#'   Behavioral Statistics 30:261-293.
#'   Viechtbauer W (2010) Conducting meta-analyses in R with the metafor
#'   package. Journal of Statistical Software 36(3).
#' @family pool
#' @examples
#' # log relative risks and variances of 13 BCG vaccine trials
#' yi <- c(-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209,
#'         0.0120, -0.4694, -1.3713, -0.3394, 0.4459, -0.0173)
#' vi <- c(0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230, 0.0040,
#'         0.0564, 0.0730, 0.0124, 0.5325, 0.0714)
#' fit <- pool(yi, vi)
#' fit
#' confint(fit)
#' predict(fit, transf = exp)
#' pool(yi, vi, method = "DL", test = "hksj")
#' @export
pool <- function(yi, vi, sei, data = NULL, method = "REML",
                 test = c("z", "hksj"), level = 0.95,
                 pi_df = NULL, i2 = c("tau2", "Q"), subset,
                 slab, hksj_adhoc = FALSE, measure = NULL,
                 control = pool_control(), subgroup, tau2_common = FALSE,
                 mods) {
  if (!missing(subgroup) || !missing(mods))
    return(pool_extended(match.call(), parent.frame()))
  # pool() is called in loops: arguments left at their defaults are known
  # valid and not checked again.
  control <- if (missing(control)) .pool_control_default
             else pool_check_control(control)
  env <- parent.frame()
  plain <- is.null(data) && !missing(yi) && !missing(vi) && missing(sei) &&
    is.double(yi) && is.double(vi) && is.null(attributes(yi))
  if (plain) {
    y <- yi; v <- vi            # fast path: plain vectors
  } else {
    y0 <- nev_arg(substitute(yi), data, env, "yi")
    y <- nev_num(y0, "yi", data)
    if (missing(vi) == missing(sei))
      nev_stop(if (missing(vi)) "give one of `vi` or `sei`"
               else "give only one of `vi` and `sei`, not both")
    if (!missing(vi)) {
      v <- nev_num(nev_arg(substitute(vi), data, env, "vi"), "vi", data)
    } else {
      s <- nev_num(nev_arg(substitute(sei), data, env, "sei"), "sei", data)
      pool_check_yv(y, s, "sei")
      v <- s * s
    }
    if (is.null(measure))
      measure <- attr(data, "measure") %||% attr(y0, "measure")
  }
  test <- if (missing(test)) "z" else pool_test_arg(test)
  pi_df <- pool_pi_df(pi_df, test)
  i2 <- if (missing(i2) || identical(i2, c("tau2", "Q"))) "tau2" else
    nev_match_arg(i2, c("tau2", "Q"))
  if (!identical(level, 0.95)) level <- nev_check_level(level)
  if (!missing(hksj_adhoc) && (!is.logical(hksj_adhoc) ||
                               length(hksj_adhoc) != 1L || is.na(hksj_adhoc)))
    nev_stop("`hksj_adhoc` must be TRUE or FALSE")
  mc <- pool_method_code_1(method)
  rows <- .Call(C_pool_scan, y, v)   # "ok", "na" or "invalid"
  if (rows == "invalid") pool_check_yv(y, v)
  if (plain && rows == "ok" && missing(slab) && missing(subset) &&
      length(mc$code) == 1L) {
    # the whole object made in C, identical to pool_build()'s (NULL when
    # the fit did not converge or k < 2: the R path warns or says why)
    obj <- .Call(C_pool_object, y, v, mc$code, mc$method,
                 pool_test_code(test), test, hksj_adhoc, level, control$tol,
                 control$maxiter, pi_df, i2, measure,
                 match.call(pool, sys.call()), control)
    if (!is.null(obj)) return(obj)
  }
  n <- length(y)
  lab <- if (missing(slab)) NULL else nev_arg(substitute(slab), data, env,
                                             "slab")
  if (!is.null(lab) && length(lab) != n)
    nev_stop("`slab` must have one label per study (got ", length(lab),
             " for ", n, " studies)")
  keep <- NULL
  if (!missing(subset)) {
    keep <- pool_subset_index(nev_arg(substitute(subset), data, env,
                                      "subset"), n)
  }
  if (rows == "na") {
    na <- is.na(y) | is.na(v)
    if (all(na)) nev_stop("`yi` and `vi` have no complete rows (all NA)")
    nev_warn(sum(na), " stud", if (sum(na) > 1) "ies" else "y",
             " with missing values dropped: row", if (sum(na) > 1) "s",
             " ", nev_rows(which(na)))
    keep <- if (is.null(keep)) which(!na) else keep[!na[keep]]
  }
  if (is.null(lab))
    lab <- if (!is.null(data) && is.data.frame(data)) row.names(data)
           else as.character(seq_len(n))
  if (!is.null(keep)) {
    if (length(keep) == 0L) nev_stop("`subset` selects no studies")
    y <- y[keep]; v <- v[keep]; lab <- lab[keep]
  }
  pool_build(y, v, lab, mc, test, hksj_adhoc, level, pi_df, i2, control,
             measure, match.call(pool, sys.call()))
}

# Fit and build the nev_pool object (shared with pool_counts()). For plain
# vectors pool() has the same object made in C (r_pool_object() in
# src/r_pool.c): a field added or changed here must be made there too;
# test-pool-object.R compares the two.
pool_build <- function(y, v, lab, mc, test, hksj_adhoc, level, pi_df, i2,
                       control, measure, call, fit = NULL, k = length(y)) {
  msg <- ""
  if (k == 1L) {
    msg <- "only one study: the pooled estimate is that study (tau^2 = 0)"
    message(msg)
    if (test == "hksj") test <- "z"
  }
  if (is.null(fit))
    fit <- pool_fit_c(y, v, NULL, mc, pool_test_code(test), hksj_adhoc,
                      level, control)
  if (!fit$converged) {
    msg <- paste0("the ", fit$method, " estimator did not converge in ",
                  fit$iterations, " iterations")
    nev_warn(msg)
  }
  pcrit <- pool_pi_crit(pi_df, level, k)
  pse <- sqrt(fit$se^2 + fit$tau2)
  I2 <- fit$I2; H2 <- fit$H2
  if (i2 == "Q" && k > 1L) {
    I2 <- if (fit$QE > 0) max(0, 100 * (fit$QE - fit$QE_df) / fit$QE) else 0
    H2 <- fit$QE / fit$QE_df
  }
  w <- fit$weights
  X <- rep.int(1, length(y))
  dim(X) <- c(length(y), 1L)
  dimnames(X) <- list(NULL, "mu")
  obj <- list(
    yi = y, vi = v, k = k, slab = lab, X = X,
    method = fit$method, test = test, hksj_adhoc = hksj_adhoc,
    pi_df = pi_df, i2 = i2, s2w = fit$s2w,
    tau2 = fit$tau2, tau2_se = fit$se_tau2,
    Q = fit$QE, Q_df = fit$QE_df, Q_p = fit$QE_p,
    I2 = I2, H2 = H2, vt = fit$vt,
    weights = 100 * w / sum(w),
    pi.low = fit$beta - pcrit * pse, pi.high = fit$beta + pcrit * pse,
    ll_ml = fit$ll_ml, ll_reml = fit$ll_reml,
    converged = fit$converged, iterations = fit$iterations,
    boundary = fit$boundary, message = msg,
    measure = measure, call = call, control = control)
  pool_new_fit(obj, "nev_pool", fit, level)
}

# The nev_fit part of a pool fit from the C result `fit` (beta, vb, se,
# zval, pval, ddf): metafor's conventions for nobs (k - p under REML) and
# the number of parameters (coefficients plus tau^2 unless common-effect).
pool_new_fit <- function(obj, class, fit, level) {
  b <- fit$beta                 # plain vectors from C: no as.vector()
  p <- length(b)
  names(b) <- dimnames(obj$X)[[2L]]
  reml <- identical(obj$method, "REML")
  new_nev_fit(obj, class, coefficients = b,
              vcov = fit$vb, nobs = obj$k - if (reml) p else 0L,
              logLik = if (reml) fit$ll_reml else fit$ll_ml,
              npar = p + !any(obj$method == c("FE", "MH", "Peto")),
              ddf = if (identical(obj$test, "hksj") && !is.na(fit$ddf))
                fit$ddf else NA_real_,
              level = level, std.error = fit$se, statistic = fit$zval,
              p.value = fit$pval)
}

# `pi_df`: by default t(k - 1) with the Knapp-Hartung test, as
# metafor's predict.rma(), and the normal otherwise.
pool_pi_df <- function(pi_df, test) {
  if (is.null(pi_df)) return(if (test == "hksj") "k-1" else "z")
  nev_match_arg(pi_df, c("z", "k-1", "k-2"), "pi_df")
}

# Critical value of the prediction interval: normal, or t with k - 1 or
# k - 2 df (NA when there are too few studies).
pool_pi_crit <- function(pi_df, level, k) {
  if (pi_df == "z" && identical(level, 0.95)) return(.pool_pi_z95)
  df <- switch(pi_df, z = Inf, "k-1" = k - 1L, "k-2" = k - 2L)
  if (df < 1) NA_real_ else stats::qt((1 + level) / 2, df)
}

# The normal one at the default level, computed once (the same number).
.pool_pi_z95 <- stats::qt((1 + 0.95) / 2, Inf)

# Rows of x violating cond, for messages: "row 2 has ai = -1".
pool_bad_rows <- function(bad, ...) {
  vals <- list(...)
  idx <- which(bad)
  sh <- idx[seq_len(min(5L, length(idx)))]
  desc <- vapply(sh, function(i) paste(paste0(names(vals), " = ",
                                              vapply(vals, function(v)
                                                format(v[i]), "")),
                                       collapse = ", "), "")
  paste0("row", if (length(idx) > 1L) "s", " ", nev_rows(idx), " ha",
         if (length(idx) > 1L) "ve " else "s ", paste(desc, collapse = "; "))
}

# Per-study effect sizes from 2x2 tables (as metafor::escalc with add, to,
# drop00); NA for dropped or undefined tables.
pool_escalc <- function(a, n1, c, n2, measure, add, to, drop00) {
  b <- n1 - a; d <- n2 - c
  zero <- a == 0 | b == 0 | c == 0 | d == 0
  dz <- (a == 0 & c == 0) | (b == 0 & d == 0)
  corr <- switch(to, only0 = zero, all = rep(TRUE, length(a)),
                 if0all = rep(any(zero), length(a)),
                 none = rep(FALSE, length(a)))
  add <- add * corr
  a <- a + add; b <- b + add; c <- c + add; d <- d + add
  n1 <- a + b; n2 <- c + d
  yv <- switch(measure,
    OR = list(log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d),
    RR = list(log(a / n1) - log(c / n2), 1 / a - 1 / n1 + 1 / c - 1 / n2),
    RD = list(a / n1 - c / n2, a * b / n1^3 + c * d / n2^3),
    PETO = {
      N <- n1 + n2; xt <- a + c; yt <- b + d
      V <- xt * yt * (n1 / N) * (n2 / N) / (N - 1)
      list((a - xt * n1 / N) / V, 1 / V)
    })
  yi <- yv[[1]]; vi <- yv[[2]]
  bad <- !is.finite(yi) | !is.finite(vi) | vi <= 0
  if (drop00) bad <- bad | dz
  yi[bad] <- NA_real_; vi[bad] <- NA_real_
  list(yi = yi, vi = vi)
}

#' Meta-analysis of 2x2 tables: Mantel-Haenszel, Peto, inverse variance
#'
#' Pools k two-by-two tables (`ai` events of `n1i` in the treated arm, `ci`
#' events of `n2i` in the control arm) by the Mantel-Haenszel method (odds
#' ratio with the Robins-Breslow-Greenland variance, risk ratio with the
#' Greenland-Robins variance, risk difference with the Sato-Greenland-Robins
#' variance), Peto's one-step odds ratio, or inverse-variance pooling of the
#' per-study estimates (with any [pool()] estimator).
#'
#' Zero cells follow metafor: the Mantel-Haenszel and Peto estimates use the
#' counts as they are (no continuity correction; tables with no events in
#' either arm contribute nothing to the OR and RR), while the per-study
#' estimates behind Q (and the inverse-variance method) get `add` in the
#' cells of the tables selected by `to`, with double-zero tables dropped
#' when `drop00 = TRUE`. `revman = TRUE` uses the Cochrane RevMan
#' convention inside Mantel-Haenszel instead: for the OR and RR, tables with
#' a zero cell get 0.5 added to every cell and double-zero tables are
#' excluded.
#'
#' Ratio measures are returned on the log scale; use
#' `predict(fit, transf = exp)`.
#'
#' @param ai,n1i,ci,n2i Events and totals in the two arms: numeric vectors,
#'   unquoted columns of `data` or strings naming them.
#' @param data Optional data frame.
#' @param measure `"OR"`, `"RR"` or `"RD"` (Peto: `"OR"` only).
#' @param method `"MH"`, `"Peto"` or `"IV"`.
#' @param add Continuity correction for the per-study estimates.
#' @param to Which tables get `add`: `"only0"` (tables with a zero cell),
#'   `"all"`, `"if0all"` (all tables if any has a zero cell) or `"none"`.
#' @param drop00 Drop tables with no events (or only events) in both arms
#'   from the per-study estimates.
#' @param revman Use the RevMan continuity correction inside
#'   Mantel-Haenszel.
#' @param tau2_method Estimator for `method = "IV"` (see [pool()]).
#' @param test,level,control As in [pool()] (`test` for `method = "IV"`).
#' @param slab Optional study labels.
#' @return An object of class `nev_pool` (see [pool()]); `method` is
#'   `"MH"`, `"Peto"` or the IV estimator, `yi`/`vi` are the per-study
#'   estimates (NA for dropped tables), `weights` the percentage
#'   Mantel-Haenszel (or Peto, or inverse-variance) weights, and `i2` is
#'   `"Q"` for MH and Peto.
#' @family pool
#' @examples
#' # BCG vaccine trials: tuberculosis cases among vaccinated / not
#' ai <- c(4, 6, 3, 62, 33, 180, 8, 505, 29, 17, 186, 5, 27)
#' n1i <- c(123, 306, 231, 13598, 5069, 1541, 2545, 88391, 7499, 1716,
#'          50634, 2498, 16913)
#' ci <- c(11, 29, 11, 248, 47, 372, 10, 499, 45, 65, 141, 3, 29)
#' n2i <- c(139, 303, 220, 12867, 5808, 1451, 629, 88391, 7277, 1665,
#'          27338, 2341, 17854)
#' fit <- pool_counts(ai, n1i, ci, n2i, measure = "RR")
#' predict(fit, transf = exp)
#' pool_counts(ai, n1i, ci, n2i, method = "Peto")
#' @export
pool_counts <- function(ai, n1i, ci, n2i, data = NULL,
                        measure = c("OR", "RR", "RD"),
                        method = c("MH", "Peto", "IV"), add = 1 / 2,
                        to = c("only0", "all", "if0all", "none"),
                        drop00 = TRUE, revman = FALSE, tau2_method = "FE",
                        test = c("z", "hksj"), level = 0.95, slab,
                        control = pool_control()) {
  control <- pool_check_control(control)
  env <- parent.frame()
  a <- nev_num(nev_arg(substitute(ai), data, env, "ai"), "ai", data)
  n1 <- nev_num(nev_arg(substitute(n1i), data, env, "n1i"), "n1i", data)
  c <- nev_num(nev_arg(substitute(ci), data, env, "ci"), "ci", data)
  n2 <- nev_num(nev_arg(substitute(n2i), data, env, "n2i"), "n2i", data)
  measure <- nev_match_arg(measure)
  method <- nev_match_arg(method)
  to <- nev_match_arg(to)
  test <- pool_test_arg(test)
  level <- nev_check_level(level)
  if (!is.numeric(add) || length(add) != 1L || is.na(add) || add < 0)
    nev_stop("`add` must be a single non-negative number (got ",
             paste(format(add), collapse = ", "), ")")
  for (nm in c("drop00", "revman"))
    if (!is.logical(get(nm)) || length(get(nm)) != 1L || is.na(get(nm)))
      nev_stop("`", nm, "` must be TRUE or FALSE")
  if (method == "Peto" && measure != "OR") {
    if (!missing(measure))
      nev_stop("the Peto method gives an odds ratio: `measure` must be ",
               "\"OR\" (got \"", measure, "\")")
  }
  lens <- c(ai = length(a), n1i = length(n1), ci = length(c),
            n2i = length(n2))
  if (any(lens != lens[1]))
    nev_stop("`ai`, `n1i`, `ci` and `n2i` must have the same length (got ",
             paste(lens, collapse = ", "), ")")
  if (lens[1] == 0L) nev_stop("`ai` has no values")
  n <- length(a)
  lab <- if (missing(slab)) {
    if (is.data.frame(data)) row.names(data) else as.character(seq_len(n))
  } else nev_arg(substitute(slab), data, env, "slab")
  if (length(lab) != n)
    nev_stop("`slab` must have one label per table (got ", length(lab),
             " for ", n, ")")
  na <- is.na(a) | is.na(n1) | is.na(c) | is.na(n2)
  if (all(na)) nev_stop("`ai`, `n1i`, `ci`, `n2i` have no complete rows")
  if (any(na)) {
    nev_warn(sum(na), " table", if (sum(na) > 1) "s" else "",
             " with missing counts dropped: row", if (sum(na) > 1) "s",
             " ", nev_rows(which(na)))
    a <- a[!na]; n1 <- n1[!na]; c <- c[!na]; n2 <- n2[!na]; lab <- lab[!na]
  }
  for (nm in c("ai", "ci", "n1i", "n2i")) {
    v <- switch(nm, ai = a, ci = c, n1i = n1, n2i = n2)
    bad <- !is.finite(v) | v < 0
    if (any(bad))
      nev_stop("`", nm, "` must be non-negative and finite; ",
               do.call(pool_bad_rows, stats::setNames(list(bad, v),
                                                      c("", nm))))
  }
  bad <- a > n1
  if (any(bad))
    nev_stop("`ai` cannot exceed `n1i`; ", pool_bad_rows(bad, ai = a, n1i = n1))
  bad <- c > n2
  if (any(bad))
    nev_stop("`ci` cannot exceed `n2i`; ", pool_bad_rows(bad, ci = c, n2i = n2))
  bad <- n1 == 0 | n2 == 0
  if (any(bad))
    nev_stop("every arm needs at least one participant; ",
             pool_bad_rows(bad, n1i = n1, n2i = n2))

  es <- pool_escalc(a, n1, c, n2, if (method == "Peto") "PETO" else measure,
                    add, to, drop00)
  ok <- !is.na(es$yi)
  call <- match.call()
  if (method == "IV") {
    if (!any(ok)) nev_stop("no table gives a finite estimate")
    mc <- pool_method_code(tau2_method)
    obj <- pool_build(es$yi[ok], es$vi[ok], lab[ok], mc, test, FALSE, level,
                      pool_pi_df(NULL, test), "tau2", control, measure, call)
    return(obj)
  }
  ma <- a; mn1 <- n1; mc <- c; mn2 <- n2
  if (revman && measure != "RD" && method == "MH") {
    dz <- (a == 0 & c == 0) | (a == n1 & c == n2)
    z <- !dz & (a == 0 | a == n1 | c == 0 | c == n2)
    ma <- a + 0.5 * z; mc <- c + 0.5 * z
    mn1 <- n1 + z; mn2 <- n2 + z
    ma <- ma[!dz]; mc <- mc[!dz]; mn1 <- mn1[!dz]; mn2 <- mn2[!dz]
  }
  r <- .Call(C_pool_counts, ma, mn1, mc, mn2,
             nev_enum("counts_measure", measure),
             nev_enum("pool_counts_method", method))
  beta <- r[["estimate"]]; se <- r[["std.error"]]
  kq <- sum(ok)
  yi <- es$yi; vi <- es$vi
  rss <- sum((yi[ok] - beta)^2 / vi[ok])
  Q <- if (method == "Peto") r[["Q"]] else max(0, rss)
  N <- n1 + n2
  w <- if (method == "Peto") {
    (a + c) * (N - a - c) * (n1 / N) * (n2 / N) / (N - 1)
  } else switch(measure, OR = (n1 - a) * c / N, RR = c * n1 / N,
                RD = n1 * n2 / N)
  if (revman && measure != "RD" && method == "MH") {
    w <- switch(measure, OR = (mn1 - ma) * mc / (mn1 + mn2),
                RR = mc * mn1 / (mn1 + mn2))
    w <- replace(rep(0, length(a)), which(!((a == 0 & c == 0) | (a == n1 & c == n2))), w)
  }
  crit <- stats::qnorm((1 + level) / 2)
  dfq <- kq - 1
  hasq <- dfq > 0 && (method != "Peto" || r[["k"]] > 1)
  fit <- list(beta = beta, se = se, vb = matrix(se^2),
              zval = beta / se,
              pval = 2 * stats::pnorm(abs(beta / se), lower.tail = FALSE),
              ci_lb = beta - crit * se, ci_ub = beta + crit * se,
              weights = w, tau2 = 0, se_tau2 = NA_real_, QE = Q,
              QE_df = max(dfq, 0),
              QE_p = if (hasq) stats::pchisq(Q, dfq, lower.tail = FALSE) else 1,
              vt = NA_real_,
              I2 = if (hasq && Q > 0) max(0, 100 * (Q - dfq) / Q) else 0,
              H2 = if (hasq) Q / dfq else 1, s2w = 1, ddf = NA_real_,
              ll_ml = -0.5 * kq * log(2 * pi) - 0.5 * sum(log(vi[ok])) -
                0.5 * rss,
              ll_reml = -0.5 * (kq - 1) * log(2 * pi) + 0.5 * log(kq) -
                0.5 * sum(log(vi[ok])) - 0.5 * log(sum(1 / vi[ok])) -
                0.5 * rss,
              iterations = 0L, converged = TRUE, boundary = FALSE,
              method = method)
  pool_build(yi, vi, lab, list(method = method), "z", FALSE, level,
             "z", "Q", control, measure, call, fit = fit, k = length(ma))
}

#' Many independent meta-analyses in one call
#'
#' Fits one random-effects (or common-effect) meta-analysis per level of
#' `group` in a single call into C, optionally on several threads (OpenMP).
#' Each group's result equals `pool(yi, vi, method = method, test = test)`
#' on that group's rows. A group with a single study is returned as that
#' study (tau^2 = 0) with `single_study = TRUE`.
#'
#' When a [future::plan()] other than sequential is set, the groups are
#' split into chunks of consecutive groups that the plan's workers fit
#' (each with `threads` threads); the result does not depend on the plan
#' (see `vignette("scaling-out")`).
#'
#' @param yi,vi Effect sizes and sampling variances (vectors, or columns of
#'   `data`).
#' @param group Grouping vector (or column of `data`): one meta-analysis per
#'   distinct value.
#' @param data Optional data frame.
#' @param method One estimator (see [pool()]).
#' @param test `"z"` or `"hksj"`.
#' @param level Confidence level.
#' @param threads The largest number of OpenMP threads to use (1 = serial;
#'   ignored without OpenMP support), a whole number between 1 and 1024.
#'   Small inputs run serially, and no more threads than processors are
#'   used; a forked child (`parallel::mclapply()`) always runs on one
#'   thread. See [nutrievidence-threads].
#' @param hksj_adhoc,control As in [pool()].
#' @return A data frame with one row per group and columns `group, k,
#'   estimate, std.error, conf.low, conf.high, p.value, tau2, I2, Q,
#'   converged, single_study`, ordered by group.
#' @family pool
#' @examples
#' set.seed(1)
#' d <- data.frame(g = rep(1:3, each = 8), v = runif(24, 0.01, 0.1))
#' d$y <- rnorm(24, 0.2, sqrt(d$v + 0.02))
#' pool_batch(y, v, g, data = d)
#' @export
pool_batch <- function(yi, vi, group, data = NULL, method = "REML",
                       test = c("z", "hksj"), level = 0.95, threads = 1L,
                       hksj_adhoc = FALSE, control = pool_control()) {
  control <- pool_check_control(control)
  env <- parent.frame()
  y <- nev_num(nev_arg(substitute(yi), data, env, "yi"), "yi", data)
  v <- nev_num(nev_arg(substitute(vi), data, env, "vi"), "vi", data)
  g <- nev_arg(substitute(group), data, env, "group")
  test <- pool_test_arg(test)
  if (!identical(level, 0.95)) level <- nev_check_level(level)
  if (length(method) != 1L)
    nev_stop("`method` must be a single estimator in pool_batch() (got ",
             length(method), ")")
  mc <- pool_method_code(method)
  if (!is.numeric(threads) || length(threads) != 1L || is.na(threads) ||
      threads < 1 || threads != round(threads) || threads > 1024)
    nev_stop("`threads` must be a single whole number between 1 and 1024 ",
             "(got ",
             paste(format(threads), collapse = ", "), ")")
  if (!is.logical(hksj_adhoc) || length(hksj_adhoc) != 1L || is.na(hksj_adhoc))
    nev_stop("`hksj_adhoc` must be TRUE or FALSE")
  if (!is.atomic(g) || is.null(g))
    nev_stop("`group` must be a vector (or factor) with one value per study ",
             "(got ", class(g)[1], ")")
  if (length(g) != length(y))
    nev_stop("`group` must have one value per study (got ", length(g),
             " for ", length(y), ")")
  rows <- pool_batch_groups(y, v, g)
  if (rows$rows == "na") {
    na <- is.na(y) | is.na(v) | is.na(g)
    if (all(na)) nev_stop("`yi`, `vi` and `group` have no complete rows")
    nev_warn(sum(na), " row", if (sum(na) > 1) "s" else "",
             " with missing values dropped: row", if (sum(na) > 1) "s",
             " ", nev_rows(which(na)))
    y <- y[!na]; v <- v[!na]; g <- g[!na]
    rows <- pool_batch_groups(y, v, g)
  }
  sorted <- rows$sorted
  if (is.na(sorted)) sorted <- !is.unsorted(g)
  if (!sorted) {
    o <- order(if (is.factor(g)) as.integer(droplevels(g)) else g)
    y <- y[o]; v <- v[o]; g <- g[o]
    rows <- pool_batch_groups(y, v, g)
  }
  start <- rows$start
  r <- pool_batch_run(y, v, start, list(mc$code, pool_test_code(test),
                                        hksj_adhoc, level, control$tol,
                                        control$maxiter, as.integer(threads)))
  grp <- g[start[-length(start)] + 1L]
  if (is.factor(grp)) grp <- droplevels(grp)
  out <- if (is.null(names(grp))) nev_df(c(list(group = grp), r))
         else data.frame(group = grp, r, stringsAsFactors = FALSE)
  if (!all(r$converged))
    nev_warn(sum(!r$converged), " group", if (sum(!r$converged) > 1)
      "s" else "", " did not converge: see the `converged` column")
  out
}

# The rows in one pass in C (pool_batch_groups in src/r_pool.c): whether
# they are complete and valid, whether the groups are sorted, and where each
# group starts. Invalid rows are an error worded by pool_check_yv().
pool_batch_groups <- function(y, v, g) {
  rows <- .Call(C_pool_batch_groups, y, v, g)
  if (rows$rows == "invalid") pool_check_yv(y, v)
  rows
}

# The batch in C: in one call, or, when a future plan with several
# workers is set, in chunks of consecutive groups (about four per worker;
# each chunk carries only its own rows), results bound in group order.
pool_batch_run <- function(y, v, start, args) {
  G <- length(start) - 1L
  nw <- nev_future_workers()
  if (nw <= 1L || G < 2L)
    return(do.call(pool_batch_call, c(list(list(y = y, v = v, start = start)),
                                      args)))
  chunks <- lapply(nev_chunks(G, ceiling(G / (4 * nw))), function(ch) {
    s <- start[ch[1]:(ch[2] + 1)]
    rows <- (s[1] + 1L):s[length(s)]
    list(y = y[rows], v = v[rows], start = s - s[1])
  })
  parts <- do.call(nev_future_lapply, c(list(chunks, pool_batch_call), args))
  out <- lapply(stats::setNames(nm = names(parts[[1]])), function(nm)
    unlist(lapply(parts, `[[`, nm), use.names = FALSE))
  out
}

pool_batch_call <- function(d, method, test, adhoc, level, tol, maxiter,
                            threads) {
  .Call(C_pool_batch, d$y, d$v, d$start, method, test, adhoc, level, tol,
        maxiter, threads)
}

# `test`: "z" or "hksj"; metafor's name "knha" means "hksj".
pool_test_arg <- function(test) {
  nev_match_arg(test, c("z", "hksj"), "test", aliases = c(knha = "hksj"))
}
