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
#' `req_cv` x cut-off; `above` cut-offs (such as an upper level) always use
#' the cut-point rule. Standard errors for `nev_usual` come from the
#' bootstrap replicates when the fit has them, else `NA`.
#'
#' @param x A `nev_intake` or `nev_usual` object.
#' @param below,above Cut-offs (micrograms per day); either may be `NULL`.
#' @param ... For `nev_usual`: `method` (`"cutpoint"` or `"probability"`)
#'   and `req_cv` (coefficient of variation of the requirement, default
#'   0.1).
#' @return A data frame with columns `cutoff`, `direction` (`"below"` or
#'   `"above"`), `share`, `se`.
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
  data.frame(cutoff = cut, direction = dir, share = r$share, se = r$se,
             stringsAsFactors = FALSE)
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
#' @param cutoffs Cut-offs to mark (micrograms per day).
#' @param ... Passed to the density panel's [graphics::plot()].
#' @return `x`, invisibly.
#' @family intake
#' @examples
#' d <- data.frame(food = "cheese", p_day = 0.6, portion_g = 30,
#'                 portion_sd = 10, portion_dist = "gamma",
#'                 content_ug_per_g = 0.76)
#' plot(intake_simulate(d, n = 1e4, seed = 1), cutoffs = c(10, 30))
#' @export
plot.nev_intake <- function(x, cutoffs = c(30, 45, 70), ...) {
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

# ---- nev_usual --------------------------------------------------------------

# Usual-intake grid (values and weights) for the parameters in row b of the
# bootstrap parameter matrix.
usual_boot_dist <- function(x, b) {
  par <- x$boot$par[b, ]
  p <- ncol(x$x)
  .Call(C_intake_usual_sample, par[["lambda"]], unname(par[4 + seq_len(p)]),
        par[["sigma2_b"]], par[["sigma2_w"]], x$episodic,
        if (x$episodic) unname(par[4 + p + seq_len(p)]) else NA_real_,
        par[["sigma2_v"]], x$x, x$w, x$K, x$ngh)
}

# Apply fun(dist) to every usable bootstrap replicate: a B x k matrix.
usual_boot_apply <- function(x, fun) {
  ok <- which(!is.na(x$boot$par[, "lambda"]))
  t(vapply(ok, function(b) fun(usual_boot_dist(x, b)),
           numeric(length(fun(x$dist)))))
}

usual_quantile <- function(dist, probs)
  .Call(C_intake_wquantile, dist$u, dist$w, as.double(probs))

#' @rdname intake_quantile
#' @export
quantile.nev_usual <- function(x, probs = intake_probs_default, ...) {
  probs <- intake_check_probs(probs)
  stats::setNames(usual_quantile(x$dist, probs), intake_pct_names(probs))
}

# Bootstrap SEs of percentiles (NA without a bootstrap).
usual_quantile_se <- function(x, probs) {
  if (is.null(x$boot)) return(rep(NA_real_, length(probs)))
  if (identical(as.double(probs), x$boot$probs)) {
    q <- x$boot$q
  } else {
    q <- usual_boot_apply(x, function(d) usual_quantile(d, probs))
    if (length(probs) == 1L) q <- matrix(q, ncol = 1L)
  }
  apply(q, 2, stats::sd, na.rm = TRUE)
}

#' @export
print.nev_usual <- function(x, ...) {
  cat("Usual intake from repeated 24-h recalls",
      if (x$episodic) " (two-part model, episodic food)", "\n", sep = "")
  cat(sprintf("  %d persons, %d recalls (%d persons with 2 or more)\n",
              x$n_persons, x$n_recalls, x$n_multi))
  cat(sprintf("  Box-Cox lambda %.4g%s; sigma2_between %.4g, sigma2_within %.4g\n",
              x$lambda, if (x$lambda_fixed) " (fixed)" else " (ML)",
              x$sigma2_b, x$sigma2_w))
  if (x$episodic)
    cat(sprintf("  consumption probability: sigma2_v %.4g\n", x$sigma2_v))
  q <- quantile(x, c(0.05, 0.5, 0.95))
  cat(sprintf("  usual intake: P5 %.4g, median %.4g, P95 %.4g\n",
              q[1], q[2], q[3]))
  invisible(x)
}

#' @export
summary.nev_usual <- function(object, probs = intake_probs_default, ...) {
  probs <- intake_check_probs(probs)
  q <- quantile(object, probs)
  pct <- data.frame(prob = probs, percentile = unname(q),
                    se = usual_quantile_se(object, probs),
                    row.names = names(q))
  structure(list(percentiles = pct, coefficients = coef(object),
                 mean = sum(object$dist$u * object$dist$w),
                 n_persons = object$n_persons, n_recalls = object$n_recalls,
                 episodic = object$episodic,
                 B = if (is.null(object$boot)) 0L else object$boot$B),
            class = "summary.nev_usual")
}

#' @export
print.summary.nev_usual <- function(x, digits = 4, ...) {
  cat("Usual intake: ", x$n_persons, " persons, ", x$n_recalls, " recalls",
      if (x$episodic) ", two-part model", "\n", sep = "")
  cat("Parameters:\n")
  print(signif(x$coefficients, digits))
  cat(sprintf("Mean usual intake %.4g\n", x$mean))
  cat("Percentiles", if (x$B) paste0(" (bootstrap SE, B = ", x$B, ")"),
      ":\n", sep = "")
  print(signif(x$percentiles, digits))
  invisible(x)
}

#' Bootstrap confidence intervals for a usual-intake fit
#'
#' Percentile intervals for the parameters of [intake_usual()] (those of
#' [coef()]) from the bootstrap replicates: the limits are the
#' \eqn{(1 - level)/2} and \eqn{(1 + level)/2} quantiles (type 7 of
#' [stats::quantile()]) of the parameter over the replicates that could be
#' fitted. The fit must have been made with `bootstrap = TRUE`. A Box-Cox
#' `lambda` fixed in the call is the same in every replicate and so has an
#' interval of zero width.
#'
#' @param object A `nev_usual` object from [intake_usual()] with bootstrap
#'   replicates.
#' @param parm Parameters: names or positions in `coef(object)`; all by
#'   default.
#' @param level Confidence level.
#' @param ... Unused.
#' @return A matrix with one row per parameter and columns named by the
#'   lower and upper probabilities (`"2.5 %"`, `"97.5 %"`), as
#'   [stats::confint()].
#' @family intake
#' @examples
#' set.seed(2)
#' rec <- data.frame(id = rep(1:150, each = 2))
#' rec$k2 <- exp(3 + rnorm(150, 0, 0.4)[rec$id] + rnorm(300, 0, 0.6))
#' fit <- intake_usual(rec, id, k2, bootstrap = TRUE, B = 20)
#' confint(fit)
#' confint(fit, "sigma2_b", level = 0.9)
#' @export
confint.nev_usual <- function(object, parm, level = 0.95, ...) {
  if (is.null(object$boot))
    nev_stop("`object` has no bootstrap replicates; fit it with ",
             "`bootstrap = TRUE` for confidence intervals")
  NextMethod()
}

# Percentile intervals over the bootstrap replicates (NA without them).
#' @export
nev_conf_limits.nev_usual <- function(x, level) {
  cf <- x$coefficients
  if (is.null(x$boot)) return(matrix(NA_real_, length(cf), 2L))
  a <- (1 - level) / 2
  t(vapply(names(cf), function(nm)
    stats::quantile(x$boot$par[, nm], c(a, 1 - a), names = FALSE,
                    na.rm = TRUE), numeric(2)))
}

#' @rdname intake_share
#' @export
intake_share.nev_usual <- function(x, below = NULL, above = NULL, ...) {
  dots <- list(...)
  method <- nev_match_arg(dots$method %||% "cutpoint",
                          c("cutpoint", "probability"), "method")
  req_cv <- dots$req_cv %||% 0.1
  if (!is.numeric(req_cv) || length(req_cv) != 1L || !(req_cv > 0))
    nev_stop("`req_cv` must be a single positive number (got ",
             paste(format(req_cv), collapse = ", "), ")")
  share_of <- function(d, cut, dir) {
    vapply(seq_along(cut), function(i) {
      if (dir[i] == "above") return(sum(d$w[d$u > cut[i]]))
      if (method == "cutpoint") return(sum(d$w[d$u < cut[i]]))
      # probability approach: P(requirement > usual intake)
      sum(d$w * stats::pnorm(d$u, cut[i], req_cv * cut[i],
                             lower.tail = FALSE))
    }, numeric(1))
  }
  out <- intake_share_frame(below, above, function(cut, dir) {
    s <- share_of(x$dist, cut, dir)
    se <- if (is.null(x$boot)) rep(NA_real_, length(cut)) else {
      r <- usual_boot_apply(x, function(d) share_of(d, cut, dir))
      if (length(cut) == 1L) r <- matrix(r, ncol = 1L)
      apply(r, 2, stats::sd)
    }
    list(share = s, se = se)
  })
  out$method <- ifelse(out$direction == "below", method, "cutpoint")
  out
}

#' @export
nev_glance_extra.nev_usual <- function(x) {
  list(lambda = x$lambda, sigma2_b = x$sigma2_b, sigma2_w = x$sigma2_w,
       episodic = x$episodic, n_persons = x$n_persons,
       n_recalls = x$n_recalls, converged = x$converged)
}

#' Plot single-day and usual intake distributions
#'
#' Cumulative distributions of the observed single-day intakes (all
#' recalls, weighted by person weights) and of the estimated usual intake:
#' the usual-intake distribution is narrower because the day-to-day
#' variation is removed.
#'
#' @param x A `nev_usual` object from [intake_usual()].
#' @param cutoffs Cut-offs to mark.
#' @param ... Passed to [graphics::plot()].
#' @return `x`, invisibly.
#' @family intake
#' @examples
#' set.seed(2)
#' rec <- data.frame(id = rep(1:200, each = 2))
#' rec$k2 <- exp(3 + rnorm(200, 0, 0.4)[rec$id] + rnorm(400, 0, 0.6))
#' plot(intake_usual(rec, id, k2), cutoffs = 30)
#' @export
plot.nev_usual <- function(x, cutoffs = NULL, ...) {
  cutoffs <- intake_check_cutoffs(cutoffs, "cutoffs")
  r <- x$recalls
  o <- order(r$amount)
  cw <- cumsum(r$weight[o]) / sum(r$weight)
  p <- seq(0.0025, 0.9975, length.out = 399)
  uq <- quantile(x, p)
  top <- max(stats::quantile(r$amount, 0.99, names = FALSE), max(uq))
  graphics::plot(r$amount[o], cw, type = "s", col = "grey50",
                 xlim = c(0, top), ylim = c(0, 1),
                 xlab = "Intake per day", ylab = "Cumulative share",
                 main = "Single-day and usual intake", ...)
  graphics::lines(uq, p, lwd = 2)
  if (length(cutoffs)) graphics::abline(v = cutoffs, lty = 2, col = "grey40")
  graphics::legend("bottomright", c("single-day (recalls)", "usual intake"),
                   col = c("grey50", "black"), lwd = c(1, 2), bty = "n")
  invisible(x)
}
