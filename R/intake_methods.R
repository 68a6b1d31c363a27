# Methods for simulated (nev_intake) and usual (nev_usual) intake
# distributions.

intake_probs_default <- c(0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)

intake_pct_names <- function(probs)
  paste0("P", signif(100 * probs, 6))

intake_check_probs <- function(probs) {
  if (!is.numeric(probs) || length(probs) == 0L || anyNA(probs) ||
      any(probs < 0 | probs > 1))
    nev_stop("`probs` must be numeric probabilities in [0, 1] (got ",
             paste(format(probs), collapse = ", "), ")")
  as.double(probs)
}

intake_check_cutoffs <- function(v, name) {
  if (is.null(v)) return(numeric(0))
  if (!is.numeric(v) || anyNA(v) || any(!is.finite(v)))
    nev_stop("`", name, "` must be finite numbers (got ",
             paste(format(v), collapse = ", "), ")")
  as.double(v)
}

#' @export
print.nev_intake <- function(x, ...) {
  q <- stats::quantile(x$intake, c(0.05, 0.5, 0.95), names = FALSE)
  cat("Simulated intake distribution (", length(x$contribution$food),
      " foods, ", format(x$n, big.mark = ","), " persons x ", x$days,
      " day", if (x$days > 1) "s", ")\n", sep = "")
  cat(sprintf("  mean %.4g, median %.4g, P5 %.4g, P95 %.4g (ug/day)\n",
              mean(x$intake), q[2], q[1], q[3]))
  invisible(x)
}

#' @export
mean.nev_intake <- function(x, ...) mean(x$intake)

#' Percentiles of an intake distribution
#'
#' @param x A `nev_intake` (from [intake_simulate()]) or `nev_usual` (from
#'   [intake_usual()]) object.
#' @param probs Probabilities in \[0, 1\].
#' @param ... Passed to [stats::quantile()] for `nev_intake`; unused
#'   otherwise.
#' @return A named numeric vector of percentiles (names `P5`, `P50`, ...).
#' @family intake
#' @examples
#' d <- data.frame(food = "cheese", p_day = 0.5, portion_g = 30,
#'                 portion_sd = 10, portion_dist = "lognormal",
#'                 content_ug_per_g = 0.76)
#' quantile(intake_simulate(d, n = 1e4, seed = 1), c(0.5, 0.9))
#' @name intake_quantile
NULL

#' @rdname intake_quantile
#' @export
quantile.nev_intake <- function(x, probs = intake_probs_default, ...) {
  probs <- intake_check_probs(probs)
  q <- stats::quantile(x$intake, probs, names = FALSE, ...)
  stats::setNames(q, intake_pct_names(probs))
}

#' @export
summary.nev_intake <- function(object, ...) {
  q <- quantile(object, intake_probs_default)
  structure(list(stats = c(mean = mean(object$intake),
                           sd = stats::sd(object$intake), q),
                 contribution = object$contribution, n = object$n,
                 days = object$days),
            class = "summary.nev_intake")
}

#' @export
print.summary.nev_intake <- function(x, digits = 4, ...) {
  cat("Simulated intake (ug/day), ", format(x$n, big.mark = ","),
      " persons x ", x$days, " day", if (x$days > 1) "s", "\n", sep = "")
  print(signif(x$stats, digits))
  cat("\nContribution by food:\n")
  cc <- x$contribution
  cc$mean_ug <- signif(cc$mean_ug, digits)
  cc$share <- round(cc$share, 3)
  cc$p_day <- signif(cc$p_day, digits)
  if (all(cc$p_consumer == 1)) cc$p_consumer <- NULL
  print(cc, row.names = FALSE)
  invisible(x)
}

#' @export
as.data.frame.nev_intake <- function(x, row.names = NULL, optional = FALSE,
                                     ...) {
  data.frame(person = seq_along(x$intake), intake = x$intake,
             row.names = row.names)
}

#' Tidy and glance at a simulated intake distribution
#'
#' `tidy()` gives the percentiles of the simulated intakes, one row per
#' percentile, as [quantile()][intake_quantile] does; `glance()` gives a
#' one-row summary of the simulation.
#'
#' @param x A `nev_intake` object from [intake_simulate()].
#' @param probs Probabilities of the percentiles, in \[0, 1\].
#' @param ... For `tidy()`: passed to [stats::quantile()] (for instance
#'   `type`; the default is type 7); unused by `glance()`.
#' @return `tidy()`: a data frame with columns `term` (`"P5"`, `"P50"`, ...)
#'   and `estimate` (the percentile, micrograms per day). `glance()`: a
#'   one-row data frame with `n` (simulated persons), `days` (days averaged
#'   per person), `mean` and `sd` of the simulated intakes, and `foods` (the
#'   number of foods in the diet).
#' @family intake
#' @examples
#' d <- data.frame(food = c("cheese", "natto"), p_day = c(0.6, 0.05),
#'                 portion_g = c(30, 40), portion_sd = c(10, 10),
#'                 portion_dist = "gamma", content_ug_per_g = c(0.76, 10))
#' s <- intake_simulate(d, n = 1e4, seed = 1)
#' tidy(s)
#' tidy(s, probs = c(0.5, 0.975), type = 1)
#' glance(s)
#' @name intake_tidy
NULL

#' @rdname intake_tidy
#' @export
tidy.nev_intake <- function(x, probs = intake_probs_default, ...) {
  q <- quantile(x, probs, ...)
  data.frame(term = names(q), estimate = unname(q),
             stringsAsFactors = FALSE)
}

#' @rdname intake_tidy
#' @export
glance.nev_intake <- function(x, ...) {
  data.frame(n = x$n, days = x$days, mean = mean(x$intake),
             sd = stats::sd(x$intake), foods = nrow(x$contribution))
}

#' Share of people below or above intake cut-offs
#'
#' For a simulated distribution ([intake_simulate()]) the share is the
#' proportion of simulated persons with intake strictly below (or above) the
#' cut-off, with its Monte Carlo standard error
#' \eqn{\sqrt{p(1-p)/n}}{sqrt(p(1-p)/n)}. For a usual-intake fit
#' ([intake_usual()]) the share comes from the estimated usual-intake
#' distribution: `method = "cutpoint"` is the EAR cut-point method (share of
#' usual intakes below the cut-off, used as the EAR); `method =
#' "probability"` is the probability approach, averaging the probability
#' that the requirement exceeds the usual intake over the usual-intake
#' distribution, with requirements normal with mean = cut-off and SD =
#' `req_cv` x cut-off; `above` cut-offs (an upper level, UL, or a stated
#' dose) always use the cut-point rule. `ai` gives Adequate Intakes: the
#' share below is reported with a warning, because an AI is not a
#' requirement and that share does not estimate inadequacy (IOM 2000,
#' EFSA 2010). Standard errors for `nev_usual` come from its replicates
#' (bootstrap or survey replicate weights) or, for the joint model, from
#' its observed information by the delta method; else `NA`.
#'
#' @param x A `nev_intake` or `nev_usual` object.
#' @param below,above Cut-offs in the unit of the intakes; either may be
#'   `NULL`.
#' @param ... For `nev_usual`: `method` (`"cutpoint"` or `"probability"`),
#'   `req_cv` (coefficient of variation of the requirement, default 0.1)
#'   and `ai` (Adequate Intakes).
#' @return A data frame with columns `cutoff`, `direction` (`"below"` or
#'   `"above"`), `share`, `std.error` (and `method` for `nev_usual`).
#' @family intake
#' @importFrom stats coef logLik nobs quantile
#' @examples
#' d <- data.frame(food = c("cheese", "natto"), p_day = c(0.6, 0.05),
#'                 portion_g = c(30, 40), content_ug_per_g = c(0.76, 10))
#' intake_share(intake_simulate(d, n = 1e4, seed = 2), below = c(30, 45))
#' @export
intake_share <- function(x, below = NULL, above = NULL, ...)
  UseMethod("intake_share")

#' @export
intake_share.default <- function(x, below = NULL, above = NULL, ...)
  nev_stop("`x` must be a `nev_intake` or `nev_usual` object (got ",
           class(x)[1], ")")

intake_share_frame <- function(below, above, share_fun) {
  below <- intake_check_cutoffs(below, "below")
  above <- intake_check_cutoffs(above, "above")
  if (!length(below) && !length(above))
    nev_stop("give at least one cut-off in `below` or `above`")
  cut <- c(below, above)
  dir <- c(rep("below", length(below)), rep("above", length(above)))
  r <- share_fun(cut, dir)
  data.frame(cutoff = cut, direction = dir, share = r$share,
             std.error = r$se, stringsAsFactors = FALSE)
}

#' @rdname intake_share
#' @export
intake_share.nev_intake <- function(x, below = NULL, above = NULL, ...) {
  nev_check_dots("intake_share", ...)
  n <- length(x$intake)
  intake_share_frame(below, above, function(cut, dir) {
    p <- vapply(seq_along(cut), function(i)
      if (dir[i] == "below") mean(x$intake < cut[i])
      else mean(x$intake > cut[i]), numeric(1))
    list(share = p, se = sqrt(p * (1 - p) / n))
  })
}

#' Contribution of each food to a simulated intake
#'
#' @param x A `nev_intake` object from [intake_simulate()].
#' @return A data frame: `food`, `p_day`, `p_consumer` (share of people who
#'   ever eat the food), `mean_ug` (mean intake from the
#'   food per person and day, micrograms), `share` (of the total mean
#'   intake).
#' @family intake
#' @examples
#' d <- data.frame(food = c("cheese", "egg"), p_day = c(0.6, 0.4),
#'                 portion_g = c(30, 17), content_ug_per_g = c(0.76, 0.32))
#' intake_contribution(intake_simulate(d, n = 1e4, seed = 1))
#' @export
intake_contribution <- function(x) {
  if (!inherits(x, "nev_intake"))
    nev_stop("`x` must be a `nev_intake` object (got ", class(x)[1], ")")
  x$contribution
}

#' Plot a simulated intake distribution
#'
#' Two panels: the density and the empirical cumulative distribution of
#' intake, with the cut-offs marked.
#'
#' @param x A `nev_intake` object.
#' @param cutoffs Cut-offs to mark (micrograms per day), or `NULL` (the
#'   default) for none.
#' @param ... Passed to the density panel's [graphics::plot()].
#' @return `x`, invisibly.
#' @family intake
#' @examples
#' d <- data.frame(food = "cheese", p_day = 0.6, portion_g = 30,
#'                 portion_sd = 10, portion_dist = "gamma",
#'                 content_ug_per_g = 0.76)
#' plot(intake_simulate(d, n = 1e4, seed = 1), cutoffs = c(10, 30))
#' @export
plot.nev_intake <- function(x, cutoffs = NULL, ...) {
  cutoffs <- intake_check_cutoffs(cutoffs, "cutoffs")
  op <- graphics::par(mfrow = c(1, 2))
  on.exit(graphics::par(op))
  u <- x$intake
  top <- stats::quantile(u, 0.995, names = FALSE)
  pos <- u[u > 0]
  if (length(pos) > 1L) {
    dn <- stats::density(pos[pos <= top], from = 0)
    graphics::plot(dn, main = "Density (intake > 0)",
                   xlab = "Intake (ug/day)", ...)
  } else {
    graphics::plot.new()
  }
  graphics::abline(v = cutoffs, lty = 2, col = "grey40")
  p <- seq(0, 1, length.out = 501)
  graphics::plot(stats::quantile(u, p, names = FALSE), p, type = "s",
                 xlim = c(0, top), main = "Cumulative distribution",
                 xlab = "Intake (ug/day)", ylab = "Share of people")
  graphics::abline(v = cutoffs, lty = 2, col = "grey40")
  if (length(cutoffs))
    graphics::text(cutoffs, 0.05, labels = format(cutoffs), pos = 4,
                   cex = 0.8)
  invisible(x)
}
