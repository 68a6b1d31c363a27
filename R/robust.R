# Cluster-robust inference for pool() and pool_multilevel() fits:
# vcov(fit, type = "CR2"), tidy(fit, vcov = "CR2"), robust_wald(). The
# sandwich estimators and their degrees of freedom are computed in C
# (src/robust.c).

.robust_types <- c("CR0", "CR1", "CR1p", "CR1S", "CR2")

#' Cluster-robust inference for meta-analyses
#'
#' Sandwich (cluster-robust) covariance matrices of the coefficients of a
#' [pool()] or [pool_multilevel()] fit, with the small-sample corrections of
#' `clubSandwich` (Pustejovsky and Tipton 2018): `"CR0"` (no correction),
#' `"CR1"` (factor m / (m - 1) for m clusters), `"CR1p"` (m / (m - p)),
#' `"CR1S"` (m (k - 1) / ((m - 1)(k - p))) and `"CR2"` (the bias-reduced
#' linearisation of Bell and McCaffrey, with the fitted model as working
#' model). The numbers equal `clubSandwich::vcovCR()`, `coef_test()` and
#' `Wald_test(test = "HTZ")` on the same fits.
#'
#' * `vcov(fit, type = "CR2")` gives the matrix (`type = "model"`, the
#'   default, the model-based one);
#' * `tidy(fit, vcov = "CR2")` the coefficient table with t tests on
#'   Satterthwaite degrees of freedom (column `df`);
#' * `robust_wald()` the HTZ test (Tipton and Pustejovsky 2015) that several
#'   coefficients are 0.
#'
#' A three-level fit is clustered by its own `cluster`. A [pool()] fit needs
#' `cluster`: one id per study used by the fit (effects of the same
#' cluster are then treated as dependent, whatever the model assumed), at
#' least two clusters. Subgroup fits are refused (fit the subgroups as a
#' moderator). Fits by Mantel-Haenszel or Peto have no
#' inverse-variance weights and are refused.
#'
#' @param fit,object,x A fit from [pool()] (also with `mods`) or
#'   [pool_multilevel()].
#' @param constraints Coefficients to test: names or positions (each tested
#'   equal to 0), or a q x p contrast matrix (each row tested equal to 0).
#'   Default: every coefficient but the intercept (all of them without
#'   one).
#' @param type,vcov Estimator: one of `"CR0"`, `"CR1"`, `"CR1p"`,
#'   `"CR1S"`, `"CR2"` (for `vcov()` also `"model"`; for `tidy()` `NULL`
#'   is the model-based table).
#' @param cluster Cluster ids, one per study of a [pool()] fit; `NULL` for
#'   a three-level fit.
#' @param conf.int,conf.level,exponentiate As for every `tidy()` method.
#' @param ... Unused.
#' @return `vcov()`: a p x p matrix with attributes `type`, `df` (the
#'   Satterthwaite df of each coefficient) and `clusters`. `tidy()`: a data
#'   frame with broom's columns and `df`. `robust_wald()`: a one-row data
#'   frame `test, statistic, df1, df2, p.value, type` (statistic is the
#'   HTZ F statistic on (df1, df2) df).
#' @references Pustejovsky JE, Tipton E (2018) Small-sample methods for
#'   cluster-robust variance estimation and hypothesis testing in fixed
#'   effects models. Journal of Business and Economic Statistics
#'   36:672-683.
#'   Tipton E, Pustejovsky JE (2015) Small-sample adjustments for tests of
#'   moderators and model fit using robust variance estimation in
#'   meta-regression. Journal of Educational and Behavioral Statistics
#'   40:604-634.
#' @family pool
#' @name robust
#' @examples
#' d <- data.frame(study = rep(1:6, c(3, 2, 4, 1, 3, 2)),
#'                 x = c(1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0),
#'                 yi = c(0.31, 0.12, 0.25, 0.55, 0.40, -0.05, 0.10, 0.02,
#'                        0.18, 0.61, 0.35, 0.29, 0.47, 0.20, 0.08),
#'                 vi = c(0.02, 0.03, 0.025, 0.04, 0.05, 0.02, 0.03, 0.02,
#'                        0.04, 0.06, 0.03, 0.02, 0.05, 0.03, 0.04))
#' fit <- pool_multilevel(yi, vi, cluster = study, data = d, mods = ~ x)
#' vcov(fit, type = "CR2")
#' tidy(fit, vcov = "CR2")
#' robust_wald(fit, "x")
#' # a two-level fit with effects clustered by study
#' re <- pool(yi, vi, data = d)
#' tidy(re, vcov = "CR2", cluster = d$study)
NULL

#' @rdname robust
#' @export
robust_wald <- function(fit, constraints = NULL, type = "CR2",
                        cluster = NULL) {
  type <- robust_type_arg(type, "type")
  cf <- coef(fit)
  C <- robust_constraints(constraints, cf)
  s <- robust_setup(fit, cluster)
  r <- robust_call(s, type, C)
  q <- nrow(C)
  cb <- drop(C %*% cf)
  Vc <- C %*% r$vcov %*% t(C)
  Q <- tryCatch(drop(t(cb) %*% solve(Vc, cb)), error = function(e)
    nev_stop("the ", type, " covariance of the tested coefficients is ",
             "singular (a moderator may vary within too few clusters): ",
             "test fewer coefficients"))
  delta <- max((r$nu - q + 1) / r$nu, 0)
  df2 <- r$nu - q + 1
  data.frame(test = "HTZ", statistic = delta * Q / q, df1 = q, df2 = df2,
             p.value = if (df2 > 0) stats::pf(delta * Q / q, q, df2,
                                              lower.tail = FALSE)
                       else NA_real_,
             type = type, stringsAsFactors = FALSE)
}

#' @rdname robust
#' @export
vcov.nev_multilevel <- function(object, type = "model", cluster = NULL,
                                ...) {
  if (identical(type, "model") && is.null(cluster))
    return(vcov.nev_fit(object))
  robust_vcov_method(object, type, cluster)
}

#' @rdname robust
#' @export
vcov.nev_pool <- function(object, type = "model", cluster = NULL, ...) {
  if (identical(type, "model") && is.null(cluster))
    return(vcov.nev_fit(object))
  robust_vcov_method(object, type, cluster)
}

#' @rdname robust
#' @export
tidy.nev_multilevel <- function(x, conf.int = TRUE, conf.level = x$level,
                                exponentiate = FALSE, vcov = NULL,
                                cluster = NULL, ...) {
  if (is.null(vcov))
    return(tidy.nev_fit(x, conf.int = conf.int, conf.level = conf.level,
                        exponentiate = exponentiate, ...))
  robust_tidy(x, vcov, cluster, conf.int, conf.level, exponentiate)
}

#' @rdname robust
#' @export
tidy.nev_pool <- function(x, conf.int = TRUE, conf.level = x$level,
                          exponentiate = FALSE, vcov = NULL, cluster = NULL,
                          ...) {
  if (is.null(vcov))
    return(tidy.nev_fit(x, conf.int = conf.int, conf.level = conf.level,
                        exponentiate = exponentiate, ...))
  robust_tidy(x, vcov, cluster, conf.int, conf.level, exponentiate)
}

# vcov() with a robust `type` (the model-based case is NextMethod()).
robust_vcov_method <- function(object, type, cluster) {
  type <- robust_type_arg(type, "type", model = TRUE)
  if (type == "model")
    nev_stop("`cluster` is used only with a robust `type` such as \"CR2\"")
  s <- robust_setup(object, cluster)
  r <- robust_call(s, type)
  structure(r$vcov, type = type, df = r$df, clusters = s$m)
}

robust_tidy <- function(x, type, cluster, conf.int, conf.level,
                        exponentiate) {
  type <- robust_type_arg(type, "vcov")
  conf.level <- nev_check_level(conf.level, "conf.level")
  s <- robust_setup(x, cluster)
  r <- robust_call(s, type)
  b <- coef(x)
  se <- sqrt(diag(r$vcov))
  crit <- stats::qt((1 + conf.level) / 2, r$df)
  b <- unname(b); se <- unname(se); df <- unname(r$df)
  out <- list2DF(list(term = colnames(s$X), estimate = b, std.error = se,
                      statistic = b / se,
                      p.value = 2 * stats::pt(abs(b / se), df,
                                              lower.tail = FALSE),
                      conf.low = b - crit * se, conf.high = b + crit * se,
                      df = df))
  nev_tidy_finish(out, conf.int, exponentiate)
}

robust_type_arg <- function(type, name, model = FALSE) {
  ch <- c(if (model) "model", .robust_types)
  if (!is.character(type) || length(type) != 1L || is.na(type) ||
      !type %in% ch)
    nev_stop("`", name, "` must be one of ", paste0("\"", ch, "\"",
                                                    collapse = ", "),
             " (got ", paste(format(type), collapse = ", "), ")")
  type
}

# q x p contrast matrix from names, positions or a matrix.
robust_constraints <- function(constraints, cf) {
  p <- length(cf)
  if (is.matrix(constraints)) {
    if (!is.numeric(constraints) || ncol(constraints) != p ||
        anyNA(constraints) || nrow(constraints) < 1L)
      nev_stop("`constraints` as a matrix must be numeric with ", p,
               " columns (one per coefficient) and no NA")
    return(constraints + 0)
  }
  if (is.null(constraints)) {
    idx <- if (names(cf)[1] %in% c("intrcpt", "mu") && p > 1L) 2:p
           else seq_len(p)
  } else {
    idx <- if (is.character(constraints)) match(constraints, names(cf))
           else constraints
    if (!is.numeric(idx) || anyNA(idx) || any(idx < 1 | idx > p) ||
        length(idx) < 1L || anyDuplicated(idx))
      nev_stop("`constraints` must name coefficients (",
               nev_list(names(cf)), ") or give their positions (got ",
               paste(format(constraints), collapse = ", "), ")")
  }
  diag(p)[idx, , drop = FALSE]
}

# Rows, clusters and working model of a fit, sorted by cluster.
robust_setup <- function(fit, cluster) {
  if (inherits(fit, "nev_multilevel")) {
    if (!is.null(cluster))
      nev_stop("`cluster` must be NULL for a three-level fit: it is ",
               "clustered by its own `cluster`")
    e <- fit$yi - drop(fit$X %*% coef(fit))
    return(list(X = fit$X, e = e, vi = fit$vi, start = fit$start,
                rho = fit$rho, sigma2 = unname(fit$sigma2), m = fit$m))
  }
  if (!inherits(fit, "nev_pool"))
    nev_stop("`fit` must be a fit from pool() or pool_multilevel() (got ",
             class(fit)[1], ")")
  if (fit$method %in% c("MH", "Peto"))
    nev_stop("`fit` uses the ", fit$method, " method: cluster-robust ",
             "variance needs an inverse-variance fit")
  if (inherits(fit, "nev_subgroup"))
    nev_stop("`fit` is a subgroup analysis: for cluster-robust tests fit ",
             "the subgroups as a moderator (`mods = ~ subgroup`)")
  ok <- which(!is.na(fit$yi) & !is.na(fit$vi))
  if (is.null(cluster))
    nev_stop("`cluster` is needed: one cluster id per study of the fit (",
             length(ok), " studies)")
  if (length(cluster) == length(fit$yi) && length(ok) < length(fit$yi))
    cluster <- cluster[ok]
  if (length(cluster) != length(ok))
    nev_stop("`cluster` must have one id per study of the fit (got ",
             length(cluster), " for ", length(ok), " studies)")
  if (anyNA(cluster))
    nev_stop("`cluster` has missing ids: row", if (sum(is.na(cluster)) > 1)
      "s", " ", nev_rows(which(is.na(cluster))))
  f <- droplevels(as.factor(cluster))
  if (nlevels(f) < 2L)
    nev_stop("`cluster` must have at least 2 clusters (got ", nlevels(f),
             ")")
  o <- order(as.integer(f))
  X <- fit$X[ok, , drop = FALSE][o, , drop = FALSE]
  y <- fit$yi[ok][o]
  list(X = X, e = y - drop(X %*% coef(fit)), vi = fit$vi[ok][o],
       start = c(0L, cumsum(tabulate(as.integer(f), nlevels(f)))),
       rho = 0, sigma2 = c(0, fit$tau2), m = nlevels(f))
}

robust_call <- function(s, type, C = NULL) {
  p <- ncol(s$X)
  if (type == "CR1p" && s$m <= p)
    nev_stop("`type` \"CR1p\" needs more clusters than coefficients (",
             s$m, " clusters, ", p, " coefficients)")
  r <- .Call(C_robust_vcov, s$X, s$e, s$vi, as.integer(s$start), s$rho,
             as.double(s$sigma2), type, C)
  nm <- colnames(s$X)
  dimnames(r$vcov) <- list(nm, nm)
  names(r$df) <- nm
  r
}
