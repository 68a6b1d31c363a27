# Subgroup analyses and the dispatch from pool() for `subgroup` / `mods`.

# pool(..., subgroup = , mods = ) lands here with pool()'s matched call:
# the grouping or moderators are evaluated like the other column arguments,
# rows with missing moderators are dropped (with a message), pool() fits the
# kept rows, and the subgroup or meta-regression fit is built on top.
pool_extended <- function(cl, env) {
  data <- if (is.null(cl$data)) NULL else eval(cl$data, env)
  if (!is.null(cl$subgroup) && !is.null(cl$mods))
    nev_stop("give `subgroup` or `mods`, not both (a subgroup factor can ",
             "be a moderator: mods = ~ factor(g))")
  y <- nev_arg(cl$yi, data, env, "yi")
  n <- length(y)
  vexpr <- if (!is.null(cl$vi)) cl$vi else cl$sei
  v <- if (is.null(vexpr)) NULL else nev_arg(vexpr, data, env, "vi")
  keep <- seq_len(n)
  if (!is.null(cl$subset)) {
    keep <- pool_subset_index(nev_arg(cl$subset, data, env, "subset"), n)
  }
  g <- X <- NULL
  what <- "moderator"
  if (!is.null(cl$subgroup)) {
    g <- nev_arg(cl$subgroup, data, env, "subgroup")
    if (length(g) != n)
      nev_stop("`subgroup` must have one value per study (got ", length(g),
               " for ", n, " studies)")
    na_x <- is.na(g)
    what <- "subgroup"
  } else {
    X <- pool_mods_matrix(eval(cl$mods, env), data, n)
    na_x <- !stats::complete.cases(X)
  }
  tau2_common <- if (is.null(cl$tau2_common)) FALSE
                 else eval(cl$tau2_common, env)
  if (!is.logical(tau2_common) || length(tau2_common) != 1L ||
      is.na(tau2_common))
    nev_stop("`tau2_common` must be TRUE or FALSE")
  drop <- keep[na_x[keep]]
  if (length(drop)) {
    message(length(drop), " stud", if (length(drop) > 1) "ies" else "y",
            " with a missing ", what, " value dropped: row",
            if (length(drop) > 1) "s", " ", nev_rows(drop))
    keep <- keep[!na_x[keep]]
  }
  if (length(keep) == 0L)
    nev_stop("no study has a non-missing ", what, " value")
  cl2 <- cl
  cl2[[1L]] <- pool
  cl2$subgroup <- NULL
  cl2$mods <- NULL
  cl2$tau2_common <- NULL
  cl2$subset <- keep
  base <- eval(cl2, env)
  na_yv <- if (!is.null(v) && length(v) == n) is.na(y) | is.na(v)
           else is.na(y)
  rows <- keep[!na_yv[keep]]
  if (length(rows) != base$k)
    nev_stop("internal: rows of the fit do not match the moderators")
  mc <- if (is.null(cl$method)) list(method = "REML", code = 2L)
        else pool_method_code(eval(cl$method, env))
  base$call <- cl
  if (!is.null(X))
    pool_metareg_fit(base, X[rows, , drop = FALSE], mc,
                     attr(X, "nev_terms"), attr(X, "nev_xlevels"),
                     attr(X, "nev_contrasts"))
  else pool_subgroup_fit(base, g[rows], tau2_common, mc)
}

# One fit of the C core with the base fit's settings.
pool_refit <- function(base, y, v, X, mc) {
  pool_fit_c(y, v, X, mc, if (identical(base$test, "hksj")) 1L else 0L,
             isTRUE(base$hksj_adhoc), base$level, base$control)
}

pool_subgroup_fit <- function(base, g, tau2_common, mc) {
  gf <- if (is.factor(g)) droplevels(g) else factor(g)
  lev <- levels(gf)
  G <- length(lev)
  if (G < 2L)
    nev_stop("`subgroup` must define at least two groups (got ", G, ": \"",
             lev[1], "\")")
  kg <- as.vector(table(gf))
  if (any(kg == 1L))
    nev_warn("subgroup", if (sum(kg == 1L) > 1) "s" else "", " ",
             paste0("\"", lev[kg == 1L], "\"", collapse = ", "),
             if (sum(kg == 1L) > 1) " have" else " has",
             " a single study: its estimate is that study (tau^2 = 0) ",
             "and it adds nothing to Q-within")
  y <- base$yi; v <- base$vi
  crit_of <- function(ddf) pool_crit(base$level, ddf)
  fits <- lapply(lev, function(l) {
    i <- gf == l
    pool_refit(base, y[i], v[i], NULL, mc)
  })
  Qg <- vapply(fits, function(f) f$QE, 0)
  Qg_df <- vapply(fits, function(f) f$QE_df, 0)
  if (!tau2_common) {
    est <- vapply(fits, function(f) f$beta, 0)
    se <- vapply(fits, function(f) f$se, 0)
    stat <- vapply(fits, function(f) f$zval, 0)
    pv <- vapply(fits, function(f) f$pval, 0)
    lo <- vapply(fits, function(f) f$ci_lb, 0)
    hi <- vapply(fits, function(f) f$ci_ub, 0)
    tau2 <- vapply(fits, function(f) f$tau2, 0)
    I2 <- vapply(fits, function(f) f$I2, 0)
    conv <- vapply(fits, function(f) isTRUE(f$converged), TRUE)
    w <- 1 / se^2
    bbar <- sum(w * est) / sum(w)
    Qb <- sum(w * (est - bbar)^2)
    Qb_p <- stats::pchisq(Qb, G - 1, lower.tail = FALSE)
  } else {
    Xg <- stats::model.matrix(~ gf - 1)
    attr(Xg, "assign") <- NULL
    attr(Xg, "contrasts") <- NULL
    f <- pool_refit(base, y, v, Xg, mc)
    est <- as.vector(f$beta); se <- as.vector(f$se)
    stat <- f$zval; pv <- f$pval; lo <- f$ci_lb; hi <- f$ci_ub
    tau2 <- rep(f$tau2, G)
    I2 <- rep(f$I2, G)
    conv <- rep(isTRUE(f$converged), G)
    C <- cbind(-1, diag(G - 1))
    d <- C %*% est
    Qb <- drop(t(d) %*% solve(C %*% f$vb %*% t(C), d))
    Qb_p <- if (identical(base$test, "hksj") && !is.na(f$ddf))
      stats::pf(Qb / (G - 1), G - 1, f$ddf, lower.tail = FALSE)
    else stats::pchisq(Qb, G - 1, lower.tail = FALSE)
    if (!f$converged)
      nev_warn("the ", f$method, " estimator of the common tau^2 did not ",
               "converge")
  }
  if (!all(conv))
    nev_warn("the tau^2 estimator did not converge in subgroup",
             if (sum(!conv) > 1) "s", " ",
             paste0("\"", lev[!conv], "\"", collapse = ", "))
  Qg_p <- ifelse(Qg_df > 0, stats::pchisq(Qg, pmax(Qg_df, 1),
                                          lower.tail = FALSE), 1)
  tab <- data.frame(group = lev, k = kg, estimate = est, std.error = se,
                    statistic = stat, p.value = pv, conf.low = lo,
                    conf.high = hi, tau2 = tau2, I2 = I2, Q = Qg,
                    Q.df = Qg_df, Q.p = Qg_p, converged = conv,
                    stringsAsFactors = FALSE)
  Qw <- sum(Qg); Qw_df <- sum(Qg_df)
  base$subgroups <- tab
  base$group <- gf
  base$tau2_common <- tau2_common
  base$Q_between <- Qb
  base$Q_between_df <- G - 1
  base$Q_between_p <- Qb_p
  base$Q_within <- Qw
  base$Q_within_df <- Qw_df
  base$Q_within_p <- if (Qw_df > 0)
    stats::pchisq(Qw, Qw_df, lower.tail = FALSE) else NA_real_
  class(base) <- c("nev_subgroup", "nev_pool")
  base
}

#' @export
print.nev_subgroup <- function(x, digits = 4L, ...) {
  cat("Overall:\n")
  NextMethod()
  cat("\nSubgroups (", if (x$tau2_common) "common tau^2" else
    "separate tau^2 per subgroup", "):\n", sep = "")
  tab <- x$subgroups
  show <- data.frame(group = tab$group, k = tab$k,
                     estimate = pool_fmt(tab$estimate, digits),
                     se = pool_fmt(tab$std.error, digits),
                     ci.lb = pool_fmt(tab$conf.low, digits),
                     ci.ub = pool_fmt(tab$conf.high, digits),
                     tau2 = pool_fmt(tab$tau2, digits),
                     Q = pool_fmt(tab$Q, 2), stringsAsFactors = FALSE)
  print(show, row.names = FALSE, right = TRUE)
  cat("\nTest for subgroup differences: Q_between(df = ", x$Q_between_df,
      ") = ", pool_fmt(x$Q_between, digits),
      pool_ptext(x$Q_between_p), "\n", sep = "")
  cat("Within subgroups: Q_within(df = ", x$Q_within_df, ") = ",
      pool_fmt(x$Q_within, digits), pool_ptext(x$Q_within_p), "\n",
      sep = "")
  invisible(x)
}

#' @export
glance.nev_subgroup <- function(x, ...) {
  out <- NextMethod()
  out$Q.between <- x$Q_between
  out$Q.between.df <- x$Q_between_df
  out$Q.between.p <- x$Q_between_p
  out
}

#' @export
tidy.nev_subgroup <- function(x, conf.int = TRUE, conf.level = x$level,
                              exponentiate = FALSE, ...) {
  out <- tidy.nev_pool(x, conf.level = conf.level)
  out$group <- "overall"
  tab <- x$subgroups
  crit <- pool_crit(conf.level, if (identical(x$test, "hksj") &&
                                    x$tau2_common) x$k - nrow(tab)
                    else NA_real_)
  sub <- data.frame(term = "mu", estimate = tab$estimate,
                    std.error = tab$std.error, statistic = tab$statistic,
                    p.value = tab$p.value,
                    conf.low = if (identical(conf.level, x$level))
                      tab$conf.low else tab$estimate - crit * tab$std.error,
                    conf.high = if (identical(conf.level, x$level))
                      tab$conf.high else tab$estimate + crit * tab$std.error,
                    group = tab$group, stringsAsFactors = FALSE)
  nev_tidy_finish(rbind(out, sub), conf.int, exponentiate)
}

#' Subgroup analysis: per-subgroup estimates and Q-between
#'
#' `pool(yi, vi, subgroup = g)` pools each subgroup separately (each with
#' its own tau^2, by the estimator of `method`) and tests whether the
#' subgroup estimates differ: `Q_between = sum w_g (mu_g - mu_bar)^2` with
#' `w_g = 1 / se_g^2`, chi^2 with G - 1 df (Borenstein et al. 2009, ch. 19;
#' a common-effect meta-analysis of the subgroup estimates). With
#' `tau2_common = TRUE` a single tau^2 is estimated from the model with one
#' mean per subgroup (a meta-regression on the subgroup indicators) and
#' Q-between is the Wald test that the means are equal (an F test with
#' `test = "hksj"`, reported as `Q_between` with its p-value from
#' F(G - 1, k - G)). `Q_within` is the sum of the subgroups' Q statistics
#' (df k - G).
#'
#' The object is the overall fit (class `c("nev_subgroup", "nev_pool")`)
#' with elements `subgroups` (a data frame: `group, k, estimate,
#' std.error, statistic, p.value, conf.low, conf.high, tau2, I2, Q, Q.df,
#' Q.p, converged`), `group` (the factor), `tau2_common`, `Q_between`,
#' `Q_between_df`, `Q_between_p`, `Q_within`, `Q_within_df`, `Q_within_p`.
#' `glance()` gains `Q.between, Q.between.df, Q.between.p`; `tidy()` adds a
#' row per subgroup. Studies with a missing subgroup are dropped with a
#' message; a subgroup with a single study gives a warning (its estimate is
#' that study).
#' @references Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009)
#'   Introduction to Meta-Analysis. Wiley, chapter 19.
#' @family pool
#' @name pool_subgroups
#' @examples
#' yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01, -0.47,
#'         -1.37, -0.34, 0.45, -0.02)
#' vi <- c(0.326, 0.195, 0.415, 0.020, 0.051, 0.007, 0.223, 0.004, 0.056,
#'         0.073, 0.012, 0.533, 0.071)
#' alloc <- c("random", "random", "random", "random", "other", "other",
#'            "random", "random", "random", "other", "other", "other",
#'            "other")
#' fit <- pool(yi, vi, subgroup = alloc)
#' fit
#' glance(fit)
NULL
