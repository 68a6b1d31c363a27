# Permutation tests for pool() fits and meta-regressions. The refits run in
# C (src/resample.c) in chunks that go through the future framework when a
# plan is set (R/future.R).

# What the resampling glue needs from a pool() fit: data, design, settings
# and the observed statistics. The one place that reads the fit's fields.
resample_model <- function(fit, what) {
  if (!inherits(fit, "nev_pool") || inherits(fit, "nev_subgroup"))
    nev_stop("`fit` must be a fit from pool() (with or without `mods`) for ",
             what, "() (got ", class(fit)[1], ")")
  if (!fit$method %in% .pool_methods)
    nev_stop(what, "() needs an inverse-variance fit from pool(); `fit` ",
             "uses the ", fit$method, " method (refit with pool() on its ",
             "yi and vi)")
  rows <- which(!is.na(fit$yi) & !is.na(fit$vi))
  X <- diag_design(fit, rows)
  int_only <- is.null(X)
  tab <- fit$coef_table
  nm <- tab$term
  btt0 <- if (!int_only && nm[1] == "intrcpt" && length(nm) > 1L) 1L else 0L
  z <- tab$statistic
  list(yi = as.double(fit$yi[rows]), vi = as.double(fit$vi[rows]), X = X,
       k = length(rows), int_only = int_only, btt0 = btt0, term = nm,
       beta = tab$estimate, se = tab$std.error, zval = z,
       QM = if (int_only) z^2 else fit$QM,
       settings = list(method = fit$method, test = fit$test,
                       hksj_adhoc = isTRUE(fit$hksj_adhoc),
                       level = fit$level,
                       tol = fit$control$tol %||% 1e-12,
                       maxiter = fit$control$maxiter %||% 1000L))
}

# Labels of identical design rows: the 0-based index of the first row equal
# to each row (exact comparison through the hexadecimal form).
resample_row_groups <- function(X) {
  key <- apply(X, 1L, function(r) paste(sprintf("%a", r), collapse = ","))
  match(key, key) - 1L
}

# A whole number >= lower (and finite), named in the message.
resample_count_arg <- function(x, name, lower = 1) {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || !is.finite(x) ||
      x < lower || x != round(x))
    nev_stop("`", name, "` must be a single whole number >= ", lower,
             " (got ", paste(format(x), collapse = ", "), ")")
  as.double(x)
}

resample_threads_arg <- function(threads) {
  if (!is.numeric(threads) || length(threads) != 1L || is.na(threads) ||
      threads < 1 || threads > 1024 || threads != round(threads))
    nev_stop("`threads` must be a single whole number between 1 and 1024 ",
             "(got ", paste(format(threads), collapse = ", "), ")")
  as.integer(threads)
}

resample_flag_arg <- function(x, name) {
  if (!is.logical(x) || length(x) != 1L || is.na(x))
    nev_stop("`", name, "` must be TRUE or FALSE (got ",
             paste(format(x), collapse = ", "), ")")
  x
}

#' Permutation test for a meta-analysis or meta-regression
#'
#' Tests the coefficients of a [pool()] fit by permutation, as
#' `metafor::permutest()`: for a model without moderators the signs of the
#' effect sizes are flipped at random (under the null hypothesis of no
#' effect every sign pattern is equally likely); for a meta-regression the
#' rows of the design matrix are permuted against the effects. Each
#' permuted data set is refitted with the fit's own estimator, test and
#' settings (in C), and the permutation p-value of each coefficient is the
#' share of permutations with a test statistic at least as extreme as the
#' observed one (`|z| >= |z_obs|`, up to a tolerance of
#' `sqrt(.Machine$double.eps)`, as metafor); for the omnibus test the share
#' with `QM >= QM_obs`.
#'
#' The test is exact (every distinct sign pattern, `2^k`, or every
#' distinct permutation of the design rows, `k! / prod(m_j!)` for rows
#' repeated `m_j` times) when that number is at most `iter`, or when
#' `exact = TRUE`; otherwise it uses `iter` random permutations drawn with
#' R's random number generator (the observed data count as the first one,
#' as in metafor), so `set.seed()` reproduces the result. An exact test
#' asked for with more than `max_exact` permutations falls back, with a
#' message, to the Monte Carlo test.
#'
#' The fits run in chunks of `chunk_size` permutations: through
#' `future.apply` when a [future::plan()] other than sequential is set
#' (each chunk on its own random-number stream, so the result for a seed
#' does not depend on the plan or the number of workers), with `threads`
#' OpenMP threads inside a chunk. Progress is reported through progressr
#' when it is installed (see `vignette("scaling-out")`).
#'
#' @param fit A fit from [pool()], with or without `mods`
#'   (inverse-variance estimators).
#' @param iter Number of permutations for the Monte Carlo test, and the
#'   largest number of permutations enumerated exactly when `exact = FALSE`.
#' @param exact `TRUE` to enumerate every permutation whatever their
#'   number (up to `max_exact`).
#' @param max_exact Largest number of permutations an exact test may
#'   enumerate.
#' @param threads Number of OpenMP threads per chunk: an upper bound, one
#'   thread in a forked child (see [nutrievidence-threads]).
#' @param chunk_size Permutations per chunk (the unit of work sent to a
#'   future worker and of progress reports).
#' @param ... Unused (a warning names anything given).
#' @return An object of class `nev_permutation`: a list with `table` (one
#'   row per coefficient: `term, estimate, std.error, statistic, p.value`
#'   (the model's p-value), `p.value.perm`), `QM`, `QM_df`, `QM_p` (the
#'   permutation p-value of the omnibus test of the moderators, or of the
#'   pooled effect without moderators), `exact`, `iter` (permutations used), `n_exact` (number
#'   of distinct permutations), `test`, and `dist`, the permutation
#'   distribution: a list with matrices `estimate` and `statistic` (one row
#'   per permutation, one column per coefficient) and the vector `QM`.
#'   Permutations whose refit fails are `NA` and left out of the p-values.
#' @references Follmann DA, Proschan MA (1999) Valid inference in random
#'   effects meta-analysis. Biometrics 55:732-737.
#'   Higgins JPT, Thompson SG (2004) Controlling the risk of spurious
#'   findings from meta-regression. Statistics in Medicine 23:1663-1682.
#' @family pool
#' @examples
#' yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01, -0.47)
#' vi <- c(0.33, 0.19, 0.42, 0.02, 0.05, 0.007, 0.22, 0.004, 0.056)
#' pt <- permutation_test(pool(yi, vi))   # 2^9 = 512 sign flips: exact
#' pt
#' tidy(pt)
#' ablat <- c(44, 55, 42, 52, 13, 44, 19, 13, 27)
#' set.seed(1)
#' permutation_test(pool(yi, vi, mods = ~ ablat), iter = 500)
#' @export
permutation_test <- function(fit, iter = 1000L, exact = FALSE,
                             max_exact = 1e7, threads = 1L,
                             chunk_size = 10000L, ...) {
  m <- resample_model(fit, "permutation_test")
  iter <- resample_count_arg(iter, "iter", 2)
  exact <- resample_flag_arg(exact, "exact")
  max_exact <- resample_count_arg(max_exact, "max_exact")
  threads <- resample_threads_arg(threads)
  chunk_size <- resample_count_arg(chunk_size, "chunk_size")
  nev_check_dots("permutation_test", ...)
  group <- NULL
  n_exact <- if (m$int_only) 2^m$k else {
    group <- resample_row_groups(m$X)
    .Call(C_resample_count_perms, group)
  }
  use_exact <- exact || n_exact <= iter
  if (use_exact && n_exact > max_exact) {
    message("an exact test needs ", format(n_exact, big.mark = ","),
            " permutations, more than `max_exact` = ",
            format(max_exact, big.mark = ","), ": running a Monte Carlo ",
            "test with `iter` = ", format(iter, big.mark = ","),
            " permutations instead")
    use_exact <- FALSE
  }
  dist <- resample_perm_dist(m, use_exact, if (use_exact) n_exact else iter,
                             group, threads, chunk_size)
  resample_perm_result(m, dist, use_exact, n_exact)
}

# The permutation distribution: exact ranks 0 .. n - 1, or the observed
# statistics followed by n - 1 random permutations; in chunks.
resample_perm_dist <- function(m, exact, n, group, threads, chunk_size) {
  kind <- paste0(if (m$int_only) "flip" else "rows",
                 if (exact) "_exact" else "_random")
  n_fit <- if (exact) n else n - 1
  chunks <- nev_chunks(n_fit, chunk_size)
  parts <- nev_future_lapply(chunks, resample_perm_chunk, m = m, kind = kind,
                             group = group, threads = threads,
                             seed = !exact)
  p <- length(m$term)
  bind <- function(name, obs) {
    x <- do.call(rbind, lapply(parts, function(r) {
      v <- r[[name]]
      if (is.matrix(v)) v else matrix(v, ncol = 1L)
    }))
    if (!exact) x <- rbind(matrix(obs, nrow = 1L), x)
    x
  }
  list(estimate = bind("beta", m$beta), statistic = bind("zval", m$zval),
       QM = drop(bind("QM", m$QM)), status = unlist(lapply(parts, `[[`,
                                                          "status")))
}

# One chunk of permutations (a worker may run it): ranks from..to (1-based)
resample_perm_chunk <- function(ch, m, kind, group, threads) {
  .Call(C_resample_perm, m$yi, m$vi, m$X, m$btt0, m$settings, kind, group,
        ch[1] - 1, ch[2] - ch[1] + 1, threads)
}

resample_perm_result <- function(m, dist, exact, n_exact) {
  tol <- sqrt(.Machine$double.eps)
  z <- dist$statistic
  pz <- vapply(seq_along(m$term), function(j)
    mean(abs(z[, j]) >= abs(m$zval[j]) - tol, na.rm = TRUE), 0)
  pq <- mean(dist$QM >= m$QM - tol, na.rm = TRUE)
  colnames(dist$estimate) <- colnames(dist$statistic) <- m$term
  nfail <- sum(is.na(dist$QM))
  if (nfail > 0L)
    nev_warn(nfail, " of ", nrow(z), " permuted fits failed and are left ",
             "out of the p-values")
  p_model <- if (identical(m$settings$test, "hksj"))
    2 * stats::pt(abs(m$zval), df = m$k - length(m$term), lower.tail = FALSE)
  else 2 * stats::pnorm(abs(m$zval), lower.tail = FALSE)
  tab <- data.frame(term = m$term, estimate = m$beta, std.error = m$se,
                    statistic = m$zval, p.value = p_model,
                    p.value.perm = pmin(1, pz), stringsAsFactors = FALSE)
  structure(list(table = tab, QM = m$QM,
                 QM_df = length(m$term) - m$btt0, QM_p = min(1, pq),
                 exact = exact, iter = nrow(z), n_exact = n_exact,
                 test = m$settings$test, int_only = m$int_only,
                 dist = dist[c("estimate", "statistic", "QM")]),
            class = "nev_permutation")
}

#' @export
print.nev_permutation <- function(x, digits = 4L, ...) {
  cat(if (x$exact) "Exact" else "Monte Carlo", " permutation test (",
      format(x$iter, big.mark = ","), " ",
      if (x$int_only) "sign flips" else "permutations", if (x$exact)
        ", all of them", ")\n", sep = "")
  if (!x$int_only)
    cat("Test of moderators: ", if (x$test == "hksj") "F" else "QM",
        " = ", pool_fmt(x$QM, digits), ", permutation p = ",
        pool_pfmt(x$QM_p), "\n", sep = "")
  cat("\n")
  t <- x$table
  tab <- data.frame(estimate = pool_fmt(t$estimate, digits),
                    std.error = pool_fmt(t$std.error, digits),
                    statistic = pool_fmt(t$statistic, digits),
                    p.value = pool_pfmt(t$p.value),
                    p.value.perm = pool_pfmt(t$p.value.perm),
                    row.names = t$term)
  print(tab, quote = FALSE, right = TRUE)
  invisible(x)
}

#' @export
tidy.nev_permutation <- function(x, ...) x$table

#' Plot of a permutation distribution
#'
#' A histogram (density scale) of the permuted test statistics of one
#' coefficient, or of the omnibus statistic, with the observed value
#' marked, as metafor's `plot.permutest.rma.uni()`.
#'
#' @param x A [permutation_test()] result.
#' @param term Coefficient to show (name or position), or `"QM"` for the
#'   omnibus test.
#' @param breaks Passed to [graphics::hist()].
#' @param ... Further graphical parameters for [graphics::hist()].
#' @return `x`, invisibly.
#' @family pool
#' @examples
#' yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01, -0.47)
#' vi <- c(0.33, 0.19, 0.42, 0.02, 0.05, 0.007, 0.22, 0.004, 0.056)
#' plot(permutation_test(pool(yi, vi)))
#' @export
plot.nev_permutation <- function(x, term = 1L, breaks = "Scott", ...) {
  if (identical(term, "QM")) {
    v <- x$dist$QM; obs <- x$QM; lab <- "QM"
  } else {
    j <- if (is.character(term)) match(term, x$table$term) else term
    if (length(j) != 1L || is.na(j) || j < 1 || j > nrow(x$table))
      nev_stop("`term` must be one of ",
               paste0("\"", c(x$table$term, "QM"), "\"", collapse = ", "),
               " or a position up to ", nrow(x$table), " (got ",
               paste(format(term), collapse = ", "), ")")
    v <- x$dist$statistic[, j]; obs <- x$table$statistic[j]
    lab <- paste0("Test statistic (", x$table$term[j], ")")
  }
  v <- v[is.finite(v)]
  graphics::hist(v, breaks = breaks, freq = FALSE, xlab = lab,
                 main = paste0("Permutation distribution (",
                               if (x$exact) "exact" else "Monte Carlo", ")"),
                 xlim = range(c(v, obs)), ...)
  graphics::abline(v = obs, lty = "dashed", lwd = 2)
  invisible(x)
}
