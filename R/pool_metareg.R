# Mixed-effects meta-regression: pool(..., mods = ~ x1 + x2).

# Design matrix from `mods`: a one-sided formula evaluated in `data` (or
# the formula's environment), or a numeric vector / matrix of moderators
# (an intercept is added). Rows with missing values are kept (NA) for the
# caller to drop.
pool_mods_matrix <- function(mods, data, n) {
  if (inherits(mods, "formula")) {
    if (length(mods) == 3L)
      nev_stop("`mods` must be a one-sided formula such as ~ x1 + x2 (got ",
               deparse(mods), ")")
    mf <- tryCatch(
      stats::model.frame(mods, data = if (is.null(data)) environment(mods)
                         else data, na.action = stats::na.pass),
      error = function(e) nev_stop("could not evaluate `mods`: ",
                                   conditionMessage(e)))
    if (nrow(mf) != n)
      nev_stop("`mods` must give one row per study (got ", nrow(mf),
               " for ", n, " studies)")
    tt <- stats::terms(mf)
    X <- stats::model.matrix(tt, mf)
    ctr <- attr(X, "contrasts")
    attr(X, "assign") <- NULL
    attr(X, "contrasts") <- NULL
    colnames(X)[colnames(X) == "(Intercept)"] <- "intrcpt"
    storage.mode(X) <- "double"
    attr(X, "nev_terms") <- stats::delete.response(tt)
    attr(X, "nev_xlevels") <- stats::.getXlevels(tt, mf)
    attr(X, "nev_contrasts") <- ctr
    return(X)
  }
  if (is.data.frame(mods)) mods <- as.matrix(mods)
  if (!is.numeric(mods))
    nev_stop("`mods` must be a one-sided formula or a numeric matrix (got ",
             class(mods)[1], ")")
  m <- as.matrix(mods)
  if (nrow(m) != n)
    nev_stop("`mods` must have one row per study (got ", nrow(m), " for ",
             n, " studies)")
  if (is.null(colnames(m)))
    colnames(m) <- if (ncol(m) == 1L) "mods" else paste0("mods", seq_len(ncol(m)))
  X <- cbind(intrcpt = 1, m)
  storage.mode(X) <- "double"
  X
}

# Constant and collinear moderators: an error naming them.
pool_check_design <- function(X) {
  k <- nrow(X); p <- ncol(X)
  nm <- colnames(X)
  int <- nm == "intrcpt"
  const <- !int & apply(X, 2, function(z) all(z == z[1]))
  if (any(const))
    nev_stop("moderator", if (sum(const) > 1) "s", " ",
             paste0("`", nm[const], "`", collapse = ", "),
             if (sum(const) > 1) " are" else " is",
             " constant across the ", k, " studies: drop ",
             if (sum(const) > 1) "them" else "it")
  if (k <= p)
    nev_stop("meta-regression needs more studies than coefficients (",
             k, " studies, ", p, " coefficients: ", paste(nm, collapse = ", "),
             ")")
  q <- qr(X)
  if (q$rank < p) {
    al <- nm[q$pivot[(q$rank + 1L):p]]
    nev_stop("moderators are collinear: ",
             paste0("`", al, "`", collapse = ", "),
             if (length(al) > 1) " are linear combinations" else
               " is a linear combination", " of the other columns (",
             paste(setdiff(nm, al), collapse = ", "), ")")
  }
  invisible(TRUE)
}

pool_metareg_fit <- function(base, X, mc, terms = NULL, xlevels = NULL,
                             contrasts = NULL) {
  pool_check_design(X)
  p <- ncol(X)
  f <- pool_refit(base, base$yi, base$vi, X, mc)
  if (!f$converged)
    nev_warn("the ", f$method, " estimator did not converge in ",
             f$iterations, " iterations")
  nm <- colnames(X)
  beta <- stats::setNames(as.vector(f$beta), nm)
  vb <- f$vb
  dimnames(vb) <- list(nm, nm)
  int <- nm[1] == "intrcpt"
  btt <- if (int && p > 1L) 2:p else seq_len(p)
  hk <- identical(base$test, "hksj") && !is.na(f$ddf)
  qm <- pool_qm(beta, vb, btt, if (hk) f$ddf else NA_real_)
  obj <- base
  obj$X <- X
  obj$method <- f$method
  obj$s2w <- f$s2w
  obj$tau2 <- f$tau2
  obj$tau2_se <- f$se_tau2
  obj$Q <- f$QE; obj$Q_df <- f$QE_df; obj$Q_p <- f$QE_p
  obj[c("I2", "H2")] <- pool_i2(f, base$i2)
  obj$vt <- f$vt
  obj$weights <- 100 * f$weights / sum(f$weights)
  obj$pi.low <- NA_real_; obj$pi.high <- NA_real_
  obj$ll_ml <- f$ll_ml; obj$ll_reml <- f$ll_reml
  obj$converged <- f$converged; obj$iterations <- f$iterations
  obj$boundary <- f$boundary
  obj$QM <- qm$QM; obj$QM_df <- qm$QM_df; obj$QM_p <- qm$QM_p
  obj$QM_test <- if (hk) "F" else "chisq"
  obj$R2 <- pool_r2(base, f, p, int)
  obj$btt <- btt
  obj$terms <- terms; obj$xlevels <- xlevels; obj$contrasts <- contrasts
  obj$tau2_intercept_only <- base$tau2
  pool_new_fit(obj, c("nev_metareg", "nev_pool"), f, base$level)
}

# Omnibus Wald test of the coefficients `btt` (F with `ddf` when not NA).
pool_qm <- function(beta, vb, btt, ddf) {
  m <- length(btt)
  QM <- drop(t(beta[btt]) %*% solve(vb[btt, btt, drop = FALSE], beta[btt]))
  if (is.na(ddf))
    return(list(QM = QM, QM_df = m,
                QM_p = stats::pchisq(QM, m, lower.tail = FALSE)))
  list(QM = QM / m, QM_df = m,
       QM_p = stats::pf(QM / m, m, ddf, lower.tail = FALSE))
}

# I^2 and H^2 of a C fit, the Q-based ones when i2 = "Q".
pool_i2 <- function(f, i2) {
  if (!identical(i2, "Q")) return(list(f$I2, f$H2))
  list(if (f$QE > 0) max(0, 100 * (f$QE - f$QE_df) / f$QE) else 0,
       f$QE / f$QE_df)
}

# Pseudo-R^2 (percent of tau^2 explained); for FE metafor's adjusted R^2
# of the weighted least-squares regression.
pool_r2 <- function(base, f, p, int) {
  if (!int || p < 2L) return(NA_real_)
  if (identical(f$method, "FE")) {
    k <- length(base$yi)
    Q0 <- sum((base$yi - stats::weighted.mean(base$yi, 1 / base$vi))^2 /
                base$vi)
    return(if (Q0 > 0) max(0, 100 * (1 - (f$QE / Q0) * (k - 1) / (k - p)))
           else 0)
  }
  tau2_0 <- base$tau2
  if (!identical(base$method, f$method) || is.na(tau2_0)) {
    f0 <- pool_refit(base, base$yi, base$vi, NULL,
                     pool_method_code(f$method))
    tau2_0 <- f0$tau2
  }
  if (tau2_0 > 0) max(0, 100 * (tau2_0 - f$tau2) / tau2_0) else 0
}

#' @export
nev_fit_header.nev_metareg <- function(x) {
  c(paste0(if (identical(x$method, "FE")) "Fixed-effects meta-regression"
           else paste0("Mixed-effects meta-regression (tau^2 estimator: ",
                       x$method, ")"),
           " (k = ", x$k, ")", if (!is.null(x$measure))
             paste0(", measure ", x$measure)),
    if (!identical(x$method, "FE"))
      paste0("residual tau^2 = ", pool_fmt(x$tau2), " (SE = ",
             pool_fmt(x$tau2_se), "), I^2 = ", pool_fmt(x$I2, 2),
             "%, H^2 = ", pool_fmt(x$H2, 2), if (!is.na(x$R2))
               paste0(", R^2 = ", pool_fmt(x$R2, 2), "%")),
    paste0("Residual heterogeneity: QE(df = ", x$Q_df, ") = ",
           pool_fmt(x$Q), pool_ptext(x$Q_p)),
    paste0("Test of moderators (coefficients ", paste(x$btt, collapse = ","),
           "): ", if (x$QM_test == "F")
             paste0("F(", x$QM_df, ", ", x$ddf[1], ")")
           else paste0("QM(df = ", x$QM_df, ")"), " = ", pool_fmt(x$QM),
           pool_ptext(x$QM_p)),
    "")
}

#' @export
nev_fit_footer.nev_metareg <- function(x) {
  if (!x$converged) "Warning: the estimator did not converge"
}

#' @export
summary.nev_metareg <- function(object, ...) object

#' Predicted effects from a meta-regression
#'
#' @param object A fit from `pool(..., mods = )`.
#' @param newdata Moderator values: a data frame with the variables of the
#'   `mods` formula (or, when `mods` was a matrix, a numeric matrix with its
#'   columns, without the intercept). Default: the studies of the fit.
#' @param transf Optional function applied to every column (e.g. `exp`).
#' @param level Confidence level (default the fit's).
#' @param ... Unused.
#' @return A data frame with columns `estimate, std.error, conf.low,
#'   conf.high, pi.low, pi.high` (prediction interval for a new study's
#'   true effect: `estimate +/- crit sqrt(se^2 + tau2)`); `std.error` is on
#'   the scale of the model even when `transf` is given.
#' @family pool
#' @examples
#' d <- data.frame(yi = c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62,
#'                        0.01, -0.47, -1.37, -0.34, 0.45, -0.02),
#'                 vi = c(0.326, 0.195, 0.415, 0.020, 0.051, 0.007, 0.223,
#'                        0.004, 0.056, 0.073, 0.012, 0.533, 0.071),
#'                 ablat = c(44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33,
#'                           33))
#' fit <- pool(yi, vi, data = d, mods = ~ ablat)
#' predict(fit, newdata = data.frame(ablat = c(10, 30, 50)), transf = exp)
#' @export
predict.nev_metareg <- function(object, newdata = NULL, transf = NULL,
                                level = object$level, ...) {
  level <- nev_check_level(level)
  x <- object
  if ("newmods" %in% names(list(...)))
    nev_stop("`newmods` is not an argument here: give the moderator values ",
             "in `newdata`, a data frame with column",
             if (length(all.vars(x$terms)) > 1L) "s", " ",
             paste0("`", all.vars(x$terms), "`", collapse = ", "),
             " (or a numeric matrix of moderators)")
  nev_check_dots("predict", ...)
  if (is.null(newdata)) {
    Xn <- x$X
  } else if (!is.null(x$terms)) {
    if (!is.data.frame(newdata))
      nev_stop("`newdata` must be a data frame with the moderators ",
               paste(all.vars(x$terms), collapse = ", "), " (got ",
               class(newdata)[1], ")")
    miss <- setdiff(all.vars(x$terms), names(newdata))
    if (length(miss))
      nev_stop("`newdata` lacks the moderator", if (length(miss) > 1) "s",
               " ", paste0("`", miss, "`", collapse = ", "))
    mf <- stats::model.frame(x$terms, newdata, xlev = x$xlevels,
                             na.action = stats::na.pass)
    Xn <- stats::model.matrix(x$terms, mf, contrasts.arg = x$contrasts)
  } else {
    m <- as.matrix(newdata)
    if (!is.numeric(m) || ncol(m) != ncol(x$X) - 1L)
      nev_stop("`newdata` must be a numeric matrix with ", ncol(x$X) - 1L,
               " column", if (ncol(x$X) > 2L) "s", " (the moderators)")
    Xn <- cbind(1, m)
  }
  if (ncol(Xn) != length(coef(x)))
    nev_stop("`newdata` gives ", ncol(Xn), " design columns; the model has ",
             length(coef(x)))
  est <- drop(Xn %*% coef(x))
  se <- sqrt(rowSums((Xn %*% vcov(x)) * Xn))
  crit <- nev_crit(level, x$ddf[1])
  pse <- sqrt(se^2 + x$tau2)
  out <- data.frame(estimate = est, std.error = se, conf.low = est - crit * se,
                    conf.high = est + crit * se, pi.low = est - crit * pse,
                    pi.high = est + crit * pse, row.names = NULL)
  if (!is.null(transf)) {
    if (!is.function(transf))
      nev_stop("`transf` must be a function such as exp (got ",
               class(transf)[1], ")")
    cols <- setdiff(names(out), "std.error")
    out[cols] <- lapply(out[cols], transf)
  }
  out
}

#' @export
nev_glance_extra.nev_metareg <- function(x) {
  c(NextMethod(), list(cochran.qm = x$QM, df.cochran.qm = x$QM_df,
                       p.value.cochran.qm = x$QM_p, r.squared = x$R2))
}

#' Mixed-effects meta-regression
#'
#' `pool(yi, vi, mods = ~ x1 + x2, data = d)` fits the mixed-effects model
#' `yi = b0 + b1 x1 + b2 x2 + u_i + e_i` by weighted least squares with
#' weights `1 / (vi + tau^2)`, tau^2 (the residual heterogeneity) estimated
#' by `method` (REML by default; every estimator of [pool()] accepts
#' moderators, with metafor's formulas). `method = "FE"` gives the
#' fixed-effects meta-regression.
#'
#' Reported: coefficients with SE, z (or t with `test = "hksj"`: the
#' Knapp-Hartung adjustment, t with k - p df) and CI; the omnibus test of
#' the moderators `QM` (Wald chi^2 with m df, m the number of coefficients
#' other than the intercept; with `test = "hksj"` the F statistic QM / m
#' on (m, k - p) df); the residual heterogeneity `QE` (the fit's `Q`, df
#' k - p); and the pseudo-R^2, the percentage of tau^2 accounted for by the
#' moderators, `max(0, 100 (tau2_0 - tau2) / tau2_0)` with `tau2_0` from the
#' model without moderators (Raudenbush 2009); for `method = "FE"` the
#' adjusted R^2 of the weighted regression, as metafor reports it.
#' [predict()] with `newdata`
#' gives the fitted effect at new moderator values.
#'
#' Rows with a missing moderator are dropped with a message. Constant or
#' collinear moderators are an error naming them.
#'
#' The object (class `c("nev_metareg", "nev_pool", "nev_fit")`) follows
#' the `nev_pool` contract (`coefficients`, `vcov` and `coef_table` are
#' named by the design columns, `"intrcpt"` first) plus `QM`, `QM_df`,
#' `QM_p`, `QM_test` (`"chisq"` or `"F"`), `R2`, `btt`, `terms`, `xlevels`.
#' `glance()` gains `cochran.qm, df.cochran.qm, p.value.cochran.qm,
#' r.squared`.
#' @references Viechtbauer W (2010) Conducting meta-analyses in R with the
#'   metafor package. Journal of Statistical Software 36(3).
#'   Knapp G, Hartung J (2003) Improved tests for a random effects
#'   meta-regression with a single covariate. Statistics in Medicine
#'   22:2693-2710.
#' @family pool
#' @name pool_metareg
#' @examples
#' d <- data.frame(yi = c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62,
#'                        0.01, -0.47, -1.37, -0.34, 0.45, -0.02),
#'                 vi = c(0.326, 0.195, 0.415, 0.020, 0.051, 0.007, 0.223,
#'                        0.004, 0.056, 0.073, 0.012, 0.533, 0.071),
#'                 ablat = c(44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33,
#'                           33))
#' fit <- pool(yi, vi, data = d, mods = ~ ablat)
#' fit
#' pool(yi, vi, data = d, mods = ~ ablat, test = "hksj")
NULL
