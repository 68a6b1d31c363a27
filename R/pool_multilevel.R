# Three-level meta-analysis: pool_multilevel(). The model fit is done in C
# (src/multilevel.c); this file validates, calls and builds the result.

#' Three-level meta-analysis: several effects per study
#'
#' Fits the three-level random-effects model of `metafor::rma.mv(yi, vi,
#' random = ~ 1 | cluster/effect)`: effect `i` of cluster `j` (a study, a
#' cohort, a research group) is
#' `y_ij = x_ij' beta + u_j + w_ij + e_ij` with a between-cluster variance
#' `sigma2.1` (of `u_j`), a within-cluster variance `sigma2.2` (of `w_ij`)
#' and known sampling variances `vi`. With `rho` the sampling errors of
#' effects from the same cluster are correlated (`rho * sqrt(v_i v_l)`, as
#' `clubSandwich::impute_covariance_matrix(vi, cluster, r = rho)` builds
#' them): the correlated-and-hierarchical-effects model.
#'
#' Why a function of its own and not `pool(..., cluster =)`: the model has
#' two variance components instead of one, its own heterogeneity summary
#' (I^2 by level), profile-likelihood intervals, and a different set of
#' estimators (REML and ML only), so a separate function keeps [pool()]'s
#' arguments meaning one thing each; its name and output follow `rma.mv()`,
#' which is what users of multilevel models know. Both return objects with
#' the same methods, and cluster-robust inference works for both
#' (`vcov(fit, type = "CR2")`, see [robust]).
#'
#' The fit works cluster by cluster on the block-diagonal marginal
#' covariance (closed-form block inverses when `rho = 0`, a small Cholesky
#' factor otherwise), profiles out the coefficients and maximises the
#' (restricted) likelihood over the two variance components with Newton
#' steps (Fisher scoring when the observed information is not negative
#' definite, step halving, estimates kept at or above 0) from a
#' method-of-moments start, with a Nelder-Mead search as fallback.
#' Non-convergence gives a warning and `converged = FALSE`.
#'
#' A cluster with one effect is fine: it informs the sum of the two
#' variances. When every cluster has one effect the two variances cannot be
#' told apart and the function stops (use [pool()]). Rows with a missing
#' effect size, variance or moderator are dropped with a warning; a missing
#' cluster id is an error.
#'
#' I^2 by level follows Cheung (2014) and metafor's documentation: with the
#' typical sampling variance `vt = (k - p) / tr(P)`, `P` from the sampling
#' covariance alone, `I2 = 100 * sum(sigma2) / (sum(sigma2) + vt)` and
#' per level `100 * sigma2.l / (sum(sigma2) + vt)`.
#'
#' @param yi Effect sizes: a numeric vector, or an unquoted column of `data`
#'   or a string naming one.
#' @param vi Sampling variances (as `yi`). Give `vi` or `sei`.
#' @param cluster Cluster (study) of each effect (as `yi`).
#' @param data Optional data frame holding the columns.
#' @param sei Standard errors (as `yi`).
#' @param mods Optional moderators: a one-sided formula (evaluated in
#'   `data`) or a numeric matrix, as in [pool()].
#' @param method `"REML"` or `"ML"`.
#' @param test `"z"` (Wald) or `"t"` (t with k - p df, as `rma.mv(test =
#'   "t")`).
#' @param level Confidence level.
#' @param rho Working correlation of the sampling errors of effects from the
#'   same cluster, in (-1, 1).
#' @param slab Optional labels of the effects (as `yi`).
#' @param measure Optional label of the effect measure.
#' @param control [pool_control()] settings (`tol` is the relative
#'   tolerance on the variance components, `maxiter` the Newton steps
#'   before the fallback).
#' @return An object of class `c("nev_multilevel", "nev_fit")`: the
#'   coefficient table and methods of every fit (`coef`, `vcov`, `confint`,
#'   `tidy`, `glance`, `nobs`, `logLik`), and `sigma2` (named `sigma2.1`
#'   between clusters, `sigma2.2` within), `I2` (total and by level), `Q`,
#'   `Q_df`, `Q_p` (residual heterogeneity), `QM`, `QM_df`, `QM_p` (test of
#'   the moderators), `pi.low`, `pi.high` (prediction interval),
#'   `converged`, `iterations`, the data sorted by cluster (`yi`, `vi`,
#'   `cluster`, `slab`, `X`, `start`) and the settings.
#' @references Konstantopoulos S (2011) Fixed effects and variance
#'   components estimation in three-level meta-analysis. Research Synthesis
#'   Methods 2:61-76.
#'   Cheung MWL (2014) Modeling dependent effect sizes with three-level
#'   meta-analyses. Psychological Methods 19:211-229.
#'   Pustejovsky JE, Tipton E (2022) Meta-analysis with robust variance
#'   estimation: expanding the range of working models. Prevention Science
#'   23:425-438.
#' @family pool
#' @examples
#' d <- data.frame(study = rep(1:6, c(3, 2, 4, 1, 3, 2)),
#'                 yi = c(0.31, 0.12, 0.25, 0.55, 0.40, -0.05, 0.10, 0.02,
#'                        0.18, 0.61, 0.35, 0.29, 0.47, 0.20, 0.08),
#'                 vi = c(0.02, 0.03, 0.025, 0.04, 0.05, 0.02, 0.03, 0.02,
#'                        0.04, 0.06, 0.03, 0.02, 0.05, 0.03, 0.04))
#' fit <- pool_multilevel(yi, vi, cluster = study, data = d)
#' fit
#' confint(fit)
#' tidy(fit, vcov = "CR2")
#' @export
pool_multilevel <- function(yi, vi, cluster, data = NULL, sei, mods = NULL,
                            method = c("REML", "ML"), test = c("z", "t"),
                            level = 0.95, rho = 0, slab, measure = NULL,
                            control = pool_control()) {
  control <- pool_check_control(control)
  env <- parent.frame()
  y0 <- nev_arg(substitute(yi), data, env, "yi")
  y <- nev_num(y0, "yi", data)
  if (missing(vi) == missing(sei))
    nev_stop(if (missing(vi)) "give one of `vi` or `sei`"
             else "give only one of `vi` and `sei`, not both")
  v <- if (!missing(vi)) {
    nev_num(nev_arg(substitute(vi), data, env, "vi"), "vi", data)
  } else {
    s <- nev_num(nev_arg(substitute(sei), data, env, "sei"), "sei", data)
    pool_check_yv(y, s, "sei")
    s * s
  }
  pool_check_yv(y, v)
  n <- length(y)
  cl <- ml3_cluster_arg(nev_arg(substitute(cluster), data, env, "cluster"), n)
  lab <- if (missing(slab)) {
    if (is.data.frame(data)) row.names(data) else as.character(seq_len(n))
  } else nev_arg(substitute(slab), data, env, "slab")
  if (length(lab) != n)
    nev_stop("`slab` must have one label per effect (got ", length(lab),
             " for ", n, " effects)")
  method <- nev_match_arg(method, c("REML", "ML"), "method")
  test <- nev_match_arg(test, c("z", "t"), "test")
  level <- nev_check_level(level)
  rho <- ml3_check_rho(rho)
  X <- if (is.null(mods)) matrix(1, n, 1L, dimnames = list(NULL, "intrcpt"))
       else pool_mods_matrix(mods, data, n)
  measure <- measure %||% attr(data, "measure") %||% attr(y0, "measure")
  d <- ml3_prepare(y, v, cl, as.character(lab), X, rho)
  fit <- ml3_fit_c(d, method, control, rho)
  ml3_build(d, fit, method, test, level, rho, measure, control, match.call())
}

# `cluster`: one id per effect, none missing.
ml3_cluster_arg <- function(cl, n) {
  if (is.null(cl) || length(cl) != n)
    nev_stop("`cluster` must have one id per effect (got ", length(cl),
             " for ", n, " effects)")
  if (!is.atomic(cl) || is.list(cl))
    nev_stop("`cluster` must be a vector of ids (got ", class(cl)[1], ")")
  if (anyNA(cl))
    nev_stop("`cluster` has missing ids: row", if (sum(is.na(cl)) > 1) "s",
             " ", nev_rows(which(is.na(cl))))
  cl
}

ml3_check_rho <- function(rho) {
  if (!is.numeric(rho) || length(rho) != 1L || is.na(rho) || rho <= -1 ||
      rho >= 1)
    nev_stop("`rho` must be a single number in (-1, 1) (got ",
             paste(format(rho), collapse = ", "), ")")
  as.double(rho)
}

# Drop incomplete rows, sort by cluster (stable), check identifiability.
ml3_prepare <- function(y, v, cl, lab, X, rho) {
  na <- is.na(y) | is.na(v) | rowSums(is.na(X)) > 0
  if (all(na)) nev_stop("`yi`, `vi` and `mods` have no complete rows")
  if (any(na))
    nev_warn(sum(na), " effect", if (sum(na) > 1) "s", " with missing ",
             "values dropped: row", if (sum(na) > 1) "s", " ",
             nev_rows(which(na)))
  keep <- which(!na)
  f <- ml3_factor(cl[keep])
  ord <- order(as.integer(f))
  o <- keep[ord]
  f <- f[ord]
  size <- tabulate(as.integer(f), nlevels(f))
  if (length(size) < 2L)
    nev_stop("`cluster` has a single cluster (\"", levels(f)[1], "\"): ",
             "a between-cluster variance needs at least 2 clusters")
  if (all(size == 1L))
    nev_stop("`cluster`: every cluster has one effect, so the between- and ",
             "within-cluster variances cannot be told apart; use pool() for ",
             "a two-level model")
  if (rho < 0 && rho <= -1 / (max(size) - 1))
    nev_stop("`rho` = ", format(rho), " gives a sampling covariance that ",
             "is not positive definite for a cluster of ", max(size),
             " effects (it must exceed ", format(-1 / (max(size) - 1)), ")")
  Xs <- X[o, , drop = FALSE]
  attrs <- attributes(X)[c("nev_terms", "nev_xlevels", "nev_contrasts")]
  if (ncol(X) > 1L) pool_check_design(Xs)
  else if (length(o) <= 1L) nev_stop("`yi` needs at least 2 effects")
  list(yi = y[o], vi = v[o], cluster = f, slab = lab[o], X = Xs,
       rows = o, start = c(0L, cumsum(size)), size = size, xattr = attrs)
}

# Cluster ids as a factor of the levels present (sorted as factor() does),
# without factor()'s cost for plain vectors.
ml3_factor <- function(x) {
  if (is.factor(x)) return(droplevels(x))
  lev <- sort(unique(x))
  structure(match(x, lev), levels = as.character(lev), class = "factor")
}

ml3_fit_c <- function(d, method, control, rho, fix = c(NA_real_, NA_real_)) {
  .Call(C_ml3_fit, d$yi, d$vi, d$X, as.integer(d$start), rho, method,
        control$tol, control$maxiter, as.double(fix))
}

# The nev_multilevel object from the prepared data and the C result.
ml3_build <- function(d, fit, method, test, level, rho, measure, control,
                      call) {
  msg <- ""
  if (!fit$converged) {
    msg <- paste0("the ", method, " fit did not converge in ",
                  fit$iterations, " iterations")
    nev_warn(msg)
  }
  k <- length(d$yi); p <- ncol(d$X)
  s2 <- stats::setNames(fit$sigma2, c("sigma2.1", "sigma2.2"))
  ddf <- if (test == "t") k - p else NA_real_
  tot <- sum(s2)
  I2 <- 100 * c(total = tot, between = s2[[1]], within = s2[[2]]) /
    (tot + fit$vt)
  nm <- colnames(d$X)
  beta <- stats::setNames(fit$beta, nm)
  obj <- c(d, list(
    k = k, m = length(d$size), method = method, test = test, rho = rho,
    sigma2 = s2, I2 = I2, vt = fit$vt,
    Q = fit$QE, Q_df = k - p, Q_p = stats::pchisq(fit$QE, k - p,
                                                 lower.tail = FALSE),
    ll_ml = fit$ll_ml, ll_reml = fit$ll_reml,
    converged = fit$converged, iterations = fit$iterations,
    fallback = fit$fallback, message = msg, measure = measure,
    call = call, control = control))
  obj[c("QM", "QM_df", "QM_p")] <- ml3_qm(beta, fit$vb, ddf)
  crit <- nev_crit(level, ddf[1])
  se <- sqrt(fit$vb[1, 1])
  obj$pi.low <- if (p == 1L) beta[[1]] - crit * sqrt(se^2 + tot) else NA_real_
  obj$pi.high <- if (p == 1L) beta[[1]] + crit * sqrt(se^2 + tot) else NA_real_
  reml <- method == "REML"
  new_nev_fit(obj, "nev_multilevel", coefficients = beta, vcov = fit$vb,
              nobs = k - if (reml) p else 0L,
              logLik = if (reml) fit$ll_reml else fit$ll_ml, npar = p + 2L,
              ddf = rep(ddf, p), level = level)
}

# Omnibus Wald test of the coefficients other than the intercept: chi^2,
# or F(m, k - p) with the t test (as rma.mv).
ml3_qm <- function(beta, vb, ddf) {
  int <- names(beta)[1] == "intrcpt"
  btt <- if (int && length(beta) > 1L) seq_along(beta)[-1] else
    if (int) integer(0) else seq_along(beta)
  if (!length(btt)) return(list(NA_real_, NA_real_, NA_real_))
  b <- beta[btt]
  Q <- drop(t(b) %*% solve(vb[btt, btt, drop = FALSE], b))
  m <- length(btt)
  if (is.na(ddf[1])) list(Q, m, stats::pchisq(Q, m, lower.tail = FALSE))
  else list(Q / m, m, stats::pf(Q / m, m, ddf[1], lower.tail = FALSE))
}

#' @export
nev_fit_header.nev_multilevel <- function(x) {
  f <- function(v, d = 4L) formatC(v, digits = d, format = "f")
  c(paste0("Three-level model (", x$method, "): k = ", x$k, " effects in ",
           x$m, " clusters", if (!is.null(x$measure))
             paste0(", measure ", x$measure),
           if (x$rho != 0) paste0(", sampling correlation rho = ", x$rho)),
    paste0("sigma^2.1 = ", f(x$sigma2[[1]]), " (between clusters), ",
           "sigma^2.2 = ", f(x$sigma2[[2]]), " (within clusters)"),
    paste0("I^2 = ", f(x$I2[["total"]], 2), "% (between ",
           f(x$I2[["between"]], 2), "%, within ", f(x$I2[["within"]], 2),
           "%)"),
    paste0("Q(df = ", x$Q_df, ") = ", f(x$Q), pool_ptext(x$Q_p)),
    if (!is.na(x$QM))
      paste0("Test of moderators: ", if (x$test == "t")
        paste0("F(", x$QM_df, ", ", x$k - ncol(x$X), ") = ") else
          paste0("QM(df = ", x$QM_df, ") = "), f(x$QM), pool_ptext(x$QM_p)),
    "")
}

#' @export
nev_fit_footer.nev_multilevel <- function(x) {
  c(if (x$test == "t") paste0("t tests with ", x$ddf[1], " df"),
    if (!x$converged) paste0("Warning: ", x$message))
}

#' @export
nev_glance_extra.nev_multilevel <- function(x) {
  list(k = x$k, clusters = x$m, method = x$method,
       sigma2.1 = x$sigma2[[1]], sigma2.2 = x$sigma2[[2]],
       i.squared = x$I2[["total"]], i.squared.1 = x$I2[["between"]],
       i.squared.2 = x$I2[["within"]], cochran.qe = x$Q,
       df.cochran.qe = x$Q_df, p.value.cochran.qe = x$Q_p,
       cochran.qm = x$QM, p.value.cochran.qm = x$QM_p,
       pi.low = x$pi.low, pi.high = x$pi.high, converged = x$converged)
}

#' Confidence intervals for a three-level model
#'
#' Wald (or t) intervals for the coefficients, as every fit, and
#' profile-likelihood intervals for the variance components `sigma2.1`
#' and `sigma2.2` (as `confint()` of `metafor::rma.mv()`): the values where
#' the (restricted) log-likelihood, maximised over the other component,
#' drops by `qchisq(level, 1) / 2`. A lower bound is 0 when the profile at
#' 0 stays above that cut-off.
#' @param object A fit from [pool_multilevel()].
#' @param parm Names (or positions) among the coefficients, `"sigma2.1"`
#'   and `"sigma2.2"`; default all.
#' @param level Confidence level.
#' @param ... Unused.
#' @return The stats matrix: one row per parameter, two columns of bounds.
#' @family pool
#' @examples
#' d <- data.frame(study = rep(1:5, c(3, 2, 4, 2, 3)),
#'                 yi = c(0.31, 0.12, 0.25, 0.55, 0.40, -0.05, 0.10, 0.02,
#'                        0.18, 0.61, 0.35, 0.47, 0.20, 0.08),
#'                 vi = rep(c(0.02, 0.04), 7))
#' confint(pool_multilevel(yi, vi, cluster = study, data = d))
#' @export
confint.nev_multilevel <- function(object, parm, level = object$level, ...) {
  nev_check_dots("confint", ...)
  level <- nev_check_level(level)
  all <- c(names(coef(object)), names(object$sigma2))
  parm <- if (missing(parm)) all else nev_check_parm(parm, all)
  out <- confint.nev_fit(object, level = level)
  for (s in intersect(parm, names(object$sigma2))) {
    r <- ml3_profile_ci(object, match(s, names(object$sigma2)), level)
    out <- rbind(out, matrix(r, 1L, dimnames = list(s, NULL)))
  }
  out[parm, , drop = FALSE]
}

ml3_profile_ci <- function(x, which, level) {
  r <- .Call(C_ml3_profile, x$yi, x$vi, x$X, as.integer(x$start), x$rho,
             x$method, x$control$tol, x$control$maxiter, as.integer(which),
             unname(x$sigma2), as.numeric(logLik(x)), level)
  if (r$status != 0L)
    nev_warn("the profile interval of ", names(x$sigma2)[which],
             " did not converge")
  c(r$lower, r$upper)
}

#' Predicted effects of a three-level model
#'
#' The average effect (or the fitted values at new moderator values) with
#' confidence and prediction intervals; the prediction interval adds both
#' variance components, as `predict()` of `metafor::rma.mv()`.
#' @param object A fit from [pool_multilevel()].
#' @param newmods Optional matrix (or vector for one moderator) of
#'   moderator values, one row per prediction, without the intercept
#'   column; default the intercept-only prediction (no moderators) or the
#'   fitted values of the effects (in the order of the data).
#' @param transf Optional function applied to every column (e.g. `exp`).
#' @param level Confidence level.
#' @param ... Unused.
#' @return A data frame with columns `estimate, std.error, conf.low,
#'   conf.high, pi.low, pi.high`.
#' @family pool
#' @examples
#' d <- data.frame(study = rep(1:5, c(3, 2, 4, 2, 3)),
#'                 yi = c(0.31, 0.12, 0.25, 0.55, 0.40, -0.05, 0.10, 0.02,
#'                        0.18, 0.61, 0.35, 0.47, 0.20, 0.08),
#'                 vi = rep(c(0.02, 0.04), 7))
#' predict(pool_multilevel(yi, vi, cluster = study, data = d))
#' @export
predict.nev_multilevel <- function(object, newmods = NULL, transf = NULL,
                                   level = object$level, ...) {
  nev_check_dots("predict", ...)
  level <- nev_check_level(level)
  p <- ncol(object$X)
  Xn <- if (!is.null(newmods)) {
    nm <- as.matrix(newmods)
    if (p > 1L && length(newmods) == p - 1L && is.null(dim(newmods)))
      nm <- matrix(newmods, 1L)
    if (!is.numeric(nm) || ncol(nm) != p - 1L)
      nev_stop("`newmods` must have ", p - 1L, " column",
               if (p != 2L) "s", " (one per moderator; got ", ncol(nm), ")")
    cbind(1, nm)
  } else if (p == 1L) matrix(1, 1L, 1L)
  else object$X[order(object$rows), , drop = FALSE]  # the data's row order
  b <- drop(Xn %*% coef(object))
  se <- sqrt(rowSums((Xn %*% vcov(object)) * Xn))
  crit <- nev_crit(level, object$ddf[1])
  pse <- sqrt(se^2 + sum(object$sigma2))
  out <- data.frame(estimate = b, std.error = se, conf.low = b - crit * se,
                    conf.high = b + crit * se, pi.low = b - crit * pse,
                    pi.high = b + crit * pse)
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
summary.nev_multilevel <- function(object, ...) {
  structure(list(fit = object, confint = confint(object),
                 predict = predict(object),
                 fitstats = c(logLik = as.numeric(logLik(object)),
                              AIC = stats::AIC(object),
                              BIC = stats::BIC(object))),
            class = "summary.nev_multilevel")
}

#' @export
print.summary.nev_multilevel <- function(x, digits = 4L, ...) {
  print(x$fit, digits = digits)
  cat("\nFit statistics (", x$fit$method, "):\n", sep = "")
  print(round(x$fitstats, digits))
  cat("\nConfidence intervals (level ", x$fit$level, "; variance ",
      "components by profile likelihood):\n", sep = "")
  print(round(x$confint, digits))
  cat("\nPrediction:\n")
  print(round(utils::head(x$predict, 10L), digits), row.names = FALSE)
  invisible(x)
}

#' @export
as.data.frame.nev_multilevel <- function(x, row.names = NULL,
                                         optional = FALSE, ...) {
  z <- stats::qnorm((1 + x$level) / 2)
  sei <- sqrt(x$vi)
  data.frame(cluster = as.character(x$cluster), study = x$slab, yi = x$yi,
             vi = x$vi, sei = sei, conf.low = x$yi - z * sei,
             conf.high = x$yi + z * sei, row.names = row.names,
             stringsAsFactors = FALSE)
}

# Leave one cluster out: refit without each cluster in turn (settings of
# the fit). Called by leave_one_out().
ml3_leave_one_out <- function(fit) {
  rows <- lapply(seq_len(fit$m), function(j) {
    keep <- as.integer(fit$cluster) != j
    d <- list(yi = fit$yi[keep], vi = fit$vi[keep],
              X = fit$X[keep, , drop = FALSE],
              cluster = droplevels(fit$cluster[keep]))
    size <- tabulate(as.integer(d$cluster), nlevels(d$cluster))
    d$start <- c(0L, cumsum(size))
    ok <- length(size) >= 2L && any(size > 1L) &&
      qr(d$X)$rank == ncol(d$X) && length(d$yi) > ncol(d$X)
    r <- if (ok) ml3_fit_c(d, fit$method, fit$control, fit$rho)
    ml3_loo_row(fit, levels(fit$cluster)[j], sum(keep), r)
  })
  out <- do.call(rbind, rows)
  if (any(!out$converged, na.rm = TRUE))
    nev_warn(sum(!out$converged, na.rm = TRUE), " leave-one-cluster-out ",
             "fit(s) did not converge: see the `converged` column")
  out
}

ml3_loo_row <- function(fit, lab, k, r) {
  if (is.null(r))
    return(data.frame(cluster = lab, k = k, estimate = NA_real_,
                      std.error = NA_real_, statistic = NA_real_,
                      p.value = NA_real_, conf.low = NA_real_,
                      conf.high = NA_real_, sigma2.1 = NA_real_,
                      sigma2.2 = NA_real_, converged = NA,
                      stringsAsFactors = FALSE))
  ddf <- if (fit$test == "t") k - ncol(fit$X) else NA_real_
  b <- r$beta[1]; se <- sqrt(r$vb[1, 1]); crit <- nev_crit(fit$level, ddf)
  data.frame(cluster = lab, k = k, estimate = b, std.error = se,
             statistic = b / se, p.value = nev_p_value(b / se, ddf),
             conf.low = b - crit * se, conf.high = b + crit * se,
             sigma2.1 = r$sigma2[1], sigma2.2 = r$sigma2[2],
             converged = r$converged, stringsAsFactors = FALSE)
}

# Forest plot of a three-level fit, effects grouped under their cluster
# (called by forest_plot()). Returns the drawn rows invisibly.
ml3_forest <- function(fit, transf = NULL, refline = 0, xlab = NULL,
                       digits = 2L, ...) {
  tf <- plot_transf(transf)
  d <- ml3_forest_rows(fit)
  n <- nrow(d)
  rng <- range(c(d$conf.low, d$conf.high, d$pi.low, d$pi.high, refline),
               na.rm = TRUE, finite = TRUE)
  wd <- diff(rng) %||% 1
  if (wd == 0) wd <- 1
  cex <- list(...)$cex %||% (if (n > 30) 0.7 else 0.85)
  old <- graphics::par(mar = c(4, 0.5, 1.5, 0.5), cex = cex)
  on.exit(graphics::par(old), add = TRUE)
  ann <- ifelse(is.na(d$estimate), "", paste0(
    plot_fmt(tf(d$estimate), digits), " [", plot_fmt(tf(d$conf.low), digits),
    ", ", plot_fmt(tf(d$conf.high), digits), "]"))
  xlim <- rng + c(-0.9, 0.8) * wd
  graphics::plot.new()
  graphics::plot.window(xlim = xlim, ylim = c(0.2, n + 1.5), yaxs = "i")
  if (!is.null(refline))
    graphics::segments(refline, 0.5, refline, n + 0.5, lty = "dotted",
                       col = "grey40")
  at <- pretty(rng, n = 5)
  at <- at[at >= rng[1] & at <= rng[2]]
  graphics::axis(1, at = at, labels = format(signif(tf(at), 3)))
  graphics::mtext(xlab %||% "Effect size", side = 1, line = 2.5, cex = cex)
  graphics::text(xlim[1], n + 1, "Cluster / effect", adj = c(0, 0.5),
                 font = 2)
  for (i in seq_len(n)) {
    r <- d[i, ]
    bold <- r$type != "study"
    graphics::text(xlim[1] + if (bold) 0 else 0.04 * wd, r$row, r$label,
                   adj = c(0, 0.5), font = if (bold) 2 else 1)
    if (is.na(r$estimate)) next
    graphics::text(xlim[2], r$row, ann[i], adj = c(1, 0.5))
    if (r$type == "study") {
      graphics::segments(r$conf.low, r$row, r$conf.high, r$row)
      graphics::points(r$estimate, r$row, pch = 15)
    } else {
      graphics::polygon(c(r$conf.low, r$estimate, r$conf.high, r$estimate),
                        r$row + c(0, 0.3, 0, -0.3), col = "black")
      if (!is.na(r$pi.low))
        graphics::segments(r$pi.low, r$row, r$pi.high, r$row, lty = "dashed")
    }
  }
  invisible(d)
}

ml3_forest_rows <- function(fit) {
  z <- stats::qnorm((1 + fit$level) / 2)
  se <- sqrt(fit$vi)
  rows <- list()
  for (j in seq_len(fit$m)) {
    i <- which(as.integer(fit$cluster) == j)
    rows[[length(rows) + 1L]] <- data.frame(
      type = c("header", rep("study", length(i))),
      label = c(levels(fit$cluster)[j], fit$slab[i]),
      estimate = c(NA, fit$yi[i]), conf.low = c(NA, fit$yi[i] - z * se[i]),
      conf.high = c(NA, fit$yi[i] + z * se[i]), pi.low = NA_real_,
      pi.high = NA_real_, group = levels(fit$cluster)[j],
      stringsAsFactors = FALSE)
  }
  if (ncol(fit$X) == 1L) {
    tab <- fit$coef_table
    rows[[length(rows) + 1L]] <- data.frame(
      type = "overall", label = paste0("Three-level model (", fit$method,
                                       ")"),
      estimate = tab$estimate, conf.low = tab$conf.low,
      conf.high = tab$conf.high, pi.low = fit$pi.low, pi.high = fit$pi.high,
      group = NA_character_, stringsAsFactors = FALSE)
  }
  d <- do.call(rbind, rows)
  d$row <- rev(seq_len(nrow(d)))
  d
}

#' @export
plot.nev_multilevel <- function(x, ...) ml3_forest(x, ...)
