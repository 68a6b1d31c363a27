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
  mc <- pool_method_code(if (is.null(cl$method)) "REML"
                         else eval(cl$method, env))
  base$call <- cl
  if (!is.null(X))
    pool_metareg_fit(base, X[rows, , drop = FALSE], mc,
                     attr(X, "nev_terms"), attr(X, "nev_xlevels"),
                     attr(X, "nev_contrasts"))
  else pool_subgroup_fit(base, g[rows], tau2_common, mc)
}

# One fit of the C core with the base fit's settings.
pool_refit <- function(base, y, v, X, mc) {
  pool_fit_c(y, v, X, mc, nev_enum("pool_test", base$test %||% "z"),
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
  fits <- if (tau2_common) pool_subgroup_common(base, y, v, gf, mc)
          else pool_subgroup_separate(base, y, v, gf, lev, mc)
  tab <- fits$table
  if (!all(tab$converged))
    nev_warn("the tau^2 estimator did not converge in subgroup",
             if (sum(!tab$converged) > 1) "s", " ",
             paste0("\"", lev[!tab$converged], "\"", collapse = ", "))
  tab <- cbind(data.frame(group = lev, k = kg, stringsAsFactors = FALSE),
               tab)
  Qw <- sum(tab$cochran.qe); Qw_df <- sum(tab$df.cochran.qe)
  base$subgroups <- tab
  base$subgroup_ddf <- fits$ddf
  base$group <- gf
  base$tau2_common <- tau2_common
  base$Q_between <- fits$Qb
  base$Q_between_df <- G - 1
  base$Q_between_p <- fits$Qb_p
  base$Q_within <- Qw
  base$Q_within_df <- Qw_df
  base$Q_within_p <- if (Qw_df > 0)
    stats::pchisq(Qw, Qw_df, lower.tail = FALSE) else NA_real_
  class(base) <- c("nev_subgroup", class(base))
  base
}

# Columns of the subgroup table from the C fits (one per subgroup, or one
# common fit with one coefficient per subgroup).
pool_subgroup_columns <- function(est, se, stat, pv, lo, hi, tau2, I2, Q,
                                  Q_df, conv) {
  data.frame(estimate = est, std.error = se, statistic = stat, p.value = pv,
             conf.low = lo, conf.high = hi, tau.squared = tau2,
             i.squared = I2, cochran.qe = Q, df.cochran.qe = Q_df,
             p.value.cochran.qe = ifelse(Q_df > 0, stats::pchisq(
               Q, pmax(Q_df, 1), lower.tail = FALSE), 1),
             converged = conv)
}

pool_subgroup_separate <- function(base, y, v, gf, lev, mc) {
  fits <- lapply(lev, function(l) {
    i <- gf == l
    pool_refit(base, y[i], v[i], NULL, mc)
  })
  get <- function(nm) vapply(fits, function(f) as.double(f[[nm]])[1], 0)
  tab <- pool_subgroup_columns(get("beta"), get("se"), get("zval"),
                               get("pval"), get("ci_lb"), get("ci_ub"),
                               get("tau2"), get("I2"), get("QE"),
                               get("QE_df"), vapply(fits, function(f)
                                 isTRUE(f$converged), TRUE))
  w <- 1 / tab$std.error^2
  bbar <- sum(w * tab$estimate) / sum(w)
  Qb <- sum(w * (tab$estimate - bbar)^2)
  hk <- identical(base$test, "hksj")
  list(table = tab, Qb = Qb,
       Qb_p = stats::pchisq(Qb, length(lev) - 1, lower.tail = FALSE),
       ddf = if (hk) ifelse(get("ddf") >= 1, get("ddf"), NA_real_)
             else rep(NA_real_, length(lev)))
}

pool_subgroup_common <- function(base, y, v, gf, mc) {
  G <- nlevels(gf)
  Xg <- stats::model.matrix(~ gf - 1)
  attr(Xg, "assign") <- NULL
  attr(Xg, "contrasts") <- NULL
  f <- pool_refit(base, y, v, Xg, mc)
  if (!f$converged)
    nev_warn("the ", f$method, " estimator of the common tau^2 did not ",
             "converge")
  Qg <- vapply(levels(gf), function(l) {
    i <- gf == l
    pool_refit(base, y[i], v[i], NULL, mc)[c("QE", "QE_df")]
  }, list(0, 0))
  tab <- pool_subgroup_columns(as.vector(f$beta), as.vector(f$se),
                               as.vector(f$zval), as.vector(f$pval),
                               as.vector(f$ci_lb), as.vector(f$ci_ub),
                               rep(f$tau2, G), rep(f$I2, G),
                               unlist(Qg[1, ]), unlist(Qg[2, ]),
                               rep(isTRUE(f$converged), G))
  C <- cbind(-1, diag(G - 1))
  d <- C %*% f$beta
  Qb <- drop(t(d) %*% solve(C %*% f$vb %*% t(C), d))
  hk <- identical(base$test, "hksj") && !is.na(f$ddf)
  list(table = tab, Qb = Qb,
       Qb_p = if (hk) stats::pf(Qb / (G - 1), G - 1, f$ddf, lower.tail = FALSE)
              else stats::pchisq(Qb, G - 1, lower.tail = FALSE),
       ddf = rep(if (hk) f$ddf else NA_real_, G))
}

#' @export
print.nev_subgroup <- function(x, digits = 4L, ...) {
  cat("Overall:\n")
  NextMethod()
  cat("\nSubgroups (", if (x$tau2_common) "common tau^2" else
    "separate tau^2 per subgroup", "):\n", sep = "")
  tab <- x$subgroups
  fmt <- function(v, d = digits) pool_fmt(v, d)
  show <- data.frame(group = tab$group, k = tab$k,
                     estimate = fmt(tab$estimate),
                     std.error = fmt(tab$std.error),
                     conf.low = fmt(tab$conf.low),
                     conf.high = fmt(tab$conf.high),
                     tau.squared = fmt(tab$tau.squared),
                     cochran.qe = fmt(tab$cochran.qe, 2),
                     stringsAsFactors = FALSE)
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
nev_glance_extra.nev_subgroup <- function(x) {
  c(NextMethod(), list(cochran.qb = x$Q_between,
                       df.cochran.qb = x$Q_between_df,
                       p.value.cochran.qb = x$Q_between_p))
}

#' @export
tidy.nev_subgroup <- function(x, conf.int = TRUE, conf.level = x$level,
                              exponentiate = FALSE, ...) {
  nev_check_dots("tidy", ...)
  conf.level <- nev_check_level(conf.level, "conf.level")
  out <- nev_coef_table(x, conf.level)
  out$group <- "overall"
  tab <- x$subgroups
  crit <- nev_crit(conf.level, x$subgroup_ddf)
  sub <- data.frame(term = "mu", estimate = tab$estimate,
                    std.error = tab$std.error, statistic = tab$statistic,
                    p.value = tab$p.value,
                    conf.low = tab$estimate - crit * tab$std.error,
                    conf.high = tab$estimate + crit * tab$std.error,
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
#' The object is the overall fit (class
#' `c("nev_subgroup", "nev_pool", "nev_fit")`) with elements `subgroups` (a
#' data frame: `group, k, estimate, std.error, statistic, p.value,
#' conf.low, conf.high, tau.squared, i.squared, cochran.qe, df.cochran.qe,
#' p.value.cochran.qe, converged`), `subgroup_ddf` (the t df of each
#' subgroup's interval, NA for z), `group` (the factor), `tau2_common`,
#' `Q_between`, `Q_between_df`, `Q_between_p`, `Q_within`, `Q_within_df`,
#' `Q_within_p`. `glance()` gains `cochran.qb, df.cochran.qb,
#' p.value.cochran.qb`; `tidy()` adds a row per subgroup (with
#' `test = "hksj"`, its interval uses t with k_g - 1 df, or k - G with a
#' common tau^2, at any `conf.level`). Studies with a missing subgroup are dropped with a
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
