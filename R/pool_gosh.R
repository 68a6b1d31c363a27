# GOSH (graphical display of study heterogeneity): the model refitted on
# subsets of the studies, in C (src/resample.c), in chunks through the
# future helper (R/future.R).

#' GOSH: the meta-analysis refitted on subsets of the studies
#'
#' Refits a [pool()] fit (with or without moderators) on subsets of its
#' studies, as `metafor::gosh()` (Olkin, Dahabreh and Trikalinos 2012):
#' every subset with at least as many studies as coefficients when
#' `k <= max_k` (`2^k - 1` subsets without moderators), otherwise `subsets`
#' random subsets (each study in with probability 1/2, subsets too small
#' for the model redrawn; drawn with R's random number generator, so
#' `set.seed()` reproduces them). Each subset is fitted with the fit's own
#' estimator and settings in C, `threads` OpenMP threads at a time; the
#' subsets run in chunks of `chunk_size` through `future.apply` when a
#' [future::plan()] other than sequential is set, with the same result for
#' a seed whatever the plan (see `vignette("scaling-out")`).
#'
#' Studies that drive heterogeneity or the pooled effect show up as
#' clusters in the plot: the subsets that contain such a study sit apart
#' from those that do not. `influence` summarises this per study: the mean
#' estimate and I^2 of the subsets that contain it minus those of the
#' subsets that do not (`estimate.shift`, `i.squared.shift`), each
#' standardised robustly across studies (`(shift - median) / (1.4826 MAD)`,
#' the standard deviation when the MAD is 0); a study is `flagged` when
#' either standardised shift exceeds `cutoff` in absolute value (a Hampel
#' identifier; the default 5 is conservative because the shifts of the
#' studies that are not influential vary little, so their MAD is small).
#' With moderators, subsets with as many studies as coefficients leave no
#' residual degree of freedom and are reported as `NA`, as in metafor.
#'
#' @param fit A fit from [pool()] (inverse-variance estimators), with or
#'   without `mods`.
#' @param max_k All subsets are fitted when the fit has at most `max_k`
#'   studies (at most 30).
#' @param subsets Number of random subsets when there are more studies.
#' @param threads Number of OpenMP threads per chunk: an upper bound, one
#'   thread in a forked child (see [nutrievidence-threads]).
#' @param chunk_size Subsets per chunk (the unit sent to a future worker).
#' @param cutoff Threshold on the standardised shifts for `flagged`.
#' @param ... Unused (a warning names anything given).
#' @return An object of class `nev_gosh`: a list with `res`, a data frame
#'   with one row per subset and columns `k` (studies in the subset),
#'   `estimate` (or one column per coefficient with moderators),
#'   `tau.squared`, `i.squared`, `h.squared`, `cochran.qe` (Q; `NA` when the fit
#'   failed), and, when there are at most 31 studies, `subset`, the
#'   membership as a bit mask (study `j` is in the subset when
#'   `bitwAnd(subset, 2^(j - 1)) > 0`); `words`, the membership of every
#'   subset as an integer matrix of 31-bit masks (study `j` in bit
#'   `(j - 1) %% 31` of column `(j - 1) %/% 31 + 1`); `influence` (see
#'   Details); `k`, `slab`, `exact` (all subsets or random), `method`.
#'   `gosh_membership()` gives the logical subset-by-study matrix.
#' @references Olkin I, Dahabreh IJ, Trikalinos TA (2012) GOSH - a
#'   graphical display of study heterogeneity. Research Synthesis Methods
#'   3:214-223.
#' @family pool
#' @examples
#' yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01, -0.47)
#' vi <- c(0.33, 0.19, 0.42, 0.02, 0.05, 0.007, 0.22, 0.004, 0.056)
#' g <- gosh(pool(yi, vi))
#' g
#' head(g$res)
#' plot(g)
#' @export
gosh <- function(fit, max_k = 20L, subsets = 1e6, threads = 1L,
                 chunk_size = 65536L, cutoff = 5, ...) {
  m <- resample_model(fit, "gosh")
  max_k <- resample_count_arg(max_k, "max_k")
  if (max_k > 30)
    nev_stop("`max_k` must be at most 30 (2^30 subsets; got ", max_k, ")")
  subsets <- resample_count_arg(subsets, "subsets")
  threads <- resample_threads_arg(threads)
  chunk_size <- resample_count_arg(chunk_size, "chunk_size")
  if (!is.numeric(cutoff) || length(cutoff) != 1L || is.na(cutoff) ||
      cutoff <= 0)
    nev_stop("`cutoff` must be a single positive number (got ",
             paste(format(cutoff), collapse = ", "), ")")
  nev_check_dots("gosh", ...)
  if (m$k < 2L) nev_stop("`fit` must have at least 2 studies for gosh() ",
                         "(it has ", m$k, ")")
  exact <- m$k <= max_k
  n <- if (exact) 2^m$k - 1 else subsets
  parts <- nev_future_lapply(nev_chunks(n, chunk_size), gosh_chunk, m = m,
                             exact = exact, threads = threads,
                             seed = !exact)
  gosh_result(m, parts, exact, fit, cutoff)
}

# One chunk of subsets: ranks (bit masks) from..to, or random subsets.
gosh_chunk <- function(ch, m, exact, threads) {
  .Call(C_resample_gosh, m$yi, m$vi, m$X, m$settings,
        if (exact) "gosh_exact" else "gosh_random",
        if (exact) ch[1] else 0, ch[2] - ch[1] + 1, threads)
}

gosh_result <- function(m, parts, exact, fit, cutoff) {
  col <- function(name) unlist(lapply(parts, `[[`, name), use.names = FALSE)
  words <- do.call(rbind, lapply(parts, `[[`, "words"))
  est <- do.call(rbind, lapply(parts, `[[`, "estimate"))
  keep <- col("k") >= length(m$term)
  ok <- col("status") == 0L | col("status") >= 100L
  if (!any(ok[keep])) nev_stop("gosh(): every subset fit failed")
  colnames(est) <- if (m$int_only) "estimate" else m$term
  res <- data.frame(k = col("k"), est, tau.squared = col("tau2"),
                    i.squared = col("I2"), h.squared = col("H2"),
                    cochran.qe = col("Q"), check.names = FALSE)
  if (identical(fit$i2, "Q")) {
    df <- res$k - length(m$term)
    q <- res$cochran.qe
    res$i.squared <- ifelse(q > 0, pmax(0, 100 * (q - df) / q), 0)
    res$h.squared <- q / df
  }
  if (length(m$term) > 1L)   # saturated meta-regressions: no fit
    res[res$k == length(m$term), -1L] <- NA
  if (m$k <= 31L) res$subset <- words[, 1L]
  res <- res[keep, , drop = FALSE]
  words <- words[keep, , drop = FALSE]
  row.names(res) <- NULL
  rows <- which(!is.na(fit$yi) & !is.na(fit$vi))
  out <- structure(list(res = res, words = words, k = m$k,
                        slab = fit$slab[rows], exact = exact,
                        method = m$settings$method, int_only = m$int_only),
                   class = "nev_gosh")
  out$influence <- gosh_influence(out, cutoff)
  out
}

#' @rdname gosh
#' @param x A `gosh()` result.
#' @export
gosh_membership <- function(x) {
  if (!inherits(x, "nev_gosh"))
    nev_stop("`x` must be a gosh() result (got ", class(x)[1], ")")
  inc <- vapply(seq_len(x$k), function(j) gosh_has(x$words, j),
                logical(nrow(x$words)))
  inc <- matrix(inc, ncol = x$k)
  colnames(inc) <- x$slab
  inc
}

# Which subsets contain study j.
gosh_has <- function(words, j) {
  w <- (j - 1L) %/% 31L + 1L
  bitwAnd(words[, w], bitwShiftL(1L, (j - 1L) %% 31L)) != 0L
}

# Per-study shifts of the mean estimate and I^2 between the subsets with
# and without the study, standardised robustly across studies.
gosh_influence <- function(x, cutoff) {
  est <- x$res[[if (x$int_only) "estimate" else 2L]]
  i2 <- x$res$i.squared
  ok <- is.finite(est) & is.finite(i2)
  shift <- vapply(seq_len(x$k), function(j) {
    inc <- gosh_has(x$words, j)[ok]
    if (all(inc) || !any(inc)) return(c(NA_real_, NA_real_, sum(inc)))
    c(mean(est[ok][inc]) - mean(est[ok][!inc]),
      mean(i2[ok][inc]) - mean(i2[ok][!inc]), sum(inc))
  }, numeric(3))
  std <- function(s) {
    sc <- stats::mad(s, na.rm = TRUE)
    if (!is.finite(sc) || sc == 0) sc <- stats::sd(s, na.rm = TRUE)
    if (!is.finite(sc) || sc == 0) return(rep(0, length(s)))
    (s - stats::median(s, na.rm = TRUE)) / sc
  }
  ze <- std(shift[1, ]); zi <- std(shift[2, ])
  data.frame(study = x$slab, subsets = as.integer(shift[3, ]),
             estimate.shift = shift[1, ], i.squared.shift = shift[2, ],
             estimate.z = ze, i.squared.z = zi,
             flagged = !is.na(ze) & !is.na(zi) &
               (abs(ze) > cutoff | abs(zi) > cutoff),
             stringsAsFactors = FALSE)
}

#' @export
print.nev_gosh <- function(x, digits = 4L, ...) {
  cat("GOSH: ", format(nrow(x$res), big.mark = ","), " ",
      if (x$exact) "(all) " else "random ", "subsets of ", x$k,
      " studies, ", x$method, " fits\n", sep = "")
  est <- x$res[[if (x$int_only) "estimate" else 2L]]
  q <- function(v) pool_fmt(stats::quantile(v, c(0, 0.5, 1), na.rm = TRUE),
                            digits)
  cat("estimate", if (!x$int_only) paste0(" (", names(x$res)[2], ")"),
      ": min ", q(est)[1], ", median ", q(est)[2], ", max ", q(est)[3],
      "\nI^2 (%): min ", q(x$res$i.squared)[1], ", median ",
      q(x$res$i.squared)[2], ", max ", q(x$res$i.squared)[3], "\n", sep = "")
  fl <- x$influence$study[x$influence$flagged]
  cat(if (length(fl)) paste0("Influential (flagged): ",
                             paste(fl, collapse = ", "))
      else "No study flagged as influential", "\n", sep = "")
  invisible(x)
}

#' Plot of a GOSH analysis
#'
#' The estimate of every subset against its heterogeneity (I^2 by
#' default), as metafor's `plot.gosh.rma()`: a hexagon-binned density
#' (`type = "hexbin"`, needs the hexbin package) or points with marginal
#' histograms (`type = "points"`, base graphics). With `highlight`, the
#' subsets that contain that study are drawn in a second colour.
#'
#' @param x A [gosh()] result.
#' @param het Heterogeneity on the vertical axis: `"i.squared"`,
#'   `"tau.squared"`, `"h.squared"` or `"cochran.qe"` (Q).
#' @param type `"points"` or `"hexbin"`.
#' @param highlight Optional study (label or position) whose subsets are
#'   coloured (points only).
#' @param xbins Number of hexagons across (hexbin only).
#' @param ... Further graphical parameters.
#' @return `x`, invisibly.
#' @family pool
#' @examples
#' yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01, -0.47)
#' vi <- c(0.33, 0.19, 0.42, 0.02, 0.05, 0.007, 0.22, 0.004, 0.056)
#' g <- gosh(pool(yi, vi))
#' plot(g, highlight = 8)
#' @export
plot.nev_gosh <- function(x, het = c("i.squared", "tau.squared",
                                     "h.squared", "cochran.qe"),
                          type = c("points", "hexbin"), highlight = NULL,
                          xbins = 40L, ...) {
  het <- nev_match_arg(het)
  type <- nev_match_arg(type)
  est <- x$res[[if (x$int_only) "estimate" else 2L]]
  h <- x$res[[het]]
  ok <- is.finite(est) & is.finite(h)
  xl <- if (x$int_only) "Estimate" else paste0("Coefficient (",
                                               names(x$res)[2], ")")
  yl <- c(i.squared = "I^2 (%)", tau.squared = "tau^2", h.squared = "H^2",
          cochran.qe = "Q")[[het]]
  if (type == "hexbin") {
    if (!requireNamespace("hexbin", quietly = TRUE))
      nev_stop("`type = \"hexbin\"` needs the hexbin package; use ",
               "type = \"points\"")
    hb <- hexbin::hexbin(est[ok], h[ok], xbins = xbins, xlab = xl, ylab = yl)
    print(hexbin::plot(hb, ...))
    return(invisible(x))
  }
  col <- rep(grDevices::adjustcolor("black", 0.3), sum(ok))
  if (!is.null(highlight)) {
    j <- if (is.character(highlight)) match(highlight, x$slab) else highlight
    if (length(j) != 1L || is.na(j) || j < 1 || j > x$k)
      nev_stop("`highlight` must be one study label or a position up to ",
               x$k, " (got ", paste(format(highlight), collapse = ", "), ")")
    col[gosh_has(x$words, j)[ok]] <- grDevices::adjustcolor("red", 0.5)
  }
  op <- graphics::par(no.readonly = TRUE)
  on.exit(graphics::par(op))
  graphics::layout(matrix(c(1, 0, 3, 2), 2, byrow = TRUE),
                   widths = c(4, 1), heights = c(1, 4))
  gosh_margin(est[ok], c(0, 4, 1, 0), horizontal = FALSE)
  gosh_margin(h[ok], c(4, 0, 0, 1), horizontal = TRUE)
  graphics::par(mar = c(4, 4, 0, 0))
  graphics::plot(est[ok], h[ok], pch = 16, cex = 0.5, col = col, xlab = xl,
                 ylab = yl, ...)
  invisible(x)
}

# A marginal histogram on the scale of the scatter plot's axis.
gosh_margin <- function(v, mar, horizontal) {
  graphics::par(mar = mar)
  hs <- graphics::hist(v, breaks = "FD", plot = FALSE)
  nb <- length(hs$breaks)
  graphics::plot.new()
  top <- c(0, max(hs$density))
  if (horizontal) {
    graphics::plot.window(xlim = top, ylim = range(v))
    graphics::rect(0, hs$breaks[-nb], hs$density, hs$breaks[-1L],
                   col = "grey85")
  } else {
    graphics::plot.window(xlim = range(v), ylim = top)
    graphics::rect(hs$breaks[-nb], 0, hs$breaks[-1L], hs$density,
                   col = "grey85")
  }
}
