# Methods for usual-intake fits (nev_usual, from intake_usual()).

usual_quantile <- function(dist, probs)
  .Call(C_intake_wquantile, as.double(dist$u), as.double(dist$w),
        as.double(probs))

#' @rdname intake_quantile
#' @export
quantile.nev_usual <- function(x, probs = intake_probs_default, ...) {
  probs <- intake_check_probs(probs)
  stats::setNames(usual_quantile(x$dist, probs), intake_pct_names(probs))
}

# SEs of percentiles: stored replicate percentiles when the probabilities
# are those of the fit, else recomputed from the replicates' parameters;
# the delta method for a joint model without replicates.
usual_quantile_se <- function(x, probs) {
  if (!is.null(x$reps) && identical(as.double(probs), x$reps$probs))
    return(sqrt(usual_rep_var(x$reps$q, x$reps$method, x$reps$fay)))
  usual_stat_se(x, usual_stat_quantile(probs))
}

usual_bias_label <- function(x) {
  b <- x$bias
  if (is.null(b)) return(NULL)
  if (!b$applied)
    return(paste0("not bias-corrected: only ", b$B - b$n_failed, " of ",
                  b$B, " bootstrap refits could be fitted"))
  paste0("percentiles bias-corrected by parametric bootstrap (B = ", b$B,
         if (b$n_failed) paste0(", ", b$n_failed, " failed"),
         "); standard errors of the uncorrected estimates")
}

usual_se_label <- function(x) {
  if (!is.null(x$reps))
    return(paste0(x$reps$method, " replicates, R = ", x$reps$R))
  if (!is.null(x$vcov_theta)) return("model-based, delta method")
  NULL
}

#' @export
print.nev_usual <- function(x, ...) {
  cat("Usual intake from repeated 24-h recalls",
      if (x$episodic) paste0(" (two-part model, ",
                             if (x$correlated) "correlated" else
                               "independent", " person effects)"),
      "\n", sep = "")
  cat(sprintf("  %d persons, %d recalls (%d persons with 2 or more)\n",
              x$n_persons, x$n_recalls, x$n_multi))
  cat(sprintf("  Box-Cox lambda %.4g%s; sigma2_between %.4g, sigma2_within %.4g\n",
              x$lambda, if (x$lambda_fixed) " (fixed)" else " (ML)",
              x$sigma2_b, x$sigma2_w))
  if (x$episodic)
    cat(sprintf("  consumption probability: sigma2_v %.4g%s\n", x$sigma2_v,
                if (x$correlated) sprintf("; rho %.3g", x$rho) else ""))
  if (!is.null(x$supplement))
    cat(sprintf("  supplement users %.3g%% (median dose %.4g %s)\n",
                100 * x$supplement$share_users,
                x$supplement$dose_users[["P50"]], x$unit))
  q <- quantile(x, c(0.05, 0.5, 0.95))
  cat(sprintf("  usual %sintake: P5 %.4g, median %.4g, P95 %.4g %s\n",
              if (is.null(x$supplement)) "" else "total ", q[1], q[2], q[3],
              x$unit))
  lab <- usual_bias_label(x)
  if (!is.null(lab))
    cat(strwrap(lab, getOption("width") - 2L, prefix = "  "), sep = "\n")
  invisible(x)
}

#' @export
summary.nev_usual <- function(object, probs = intake_probs_default,
                              level = 0.95, ...) {
  probs <- intake_check_probs(probs)
  level <- nev_check_level(level)
  q <- quantile(object, probs)
  se <- usual_quantile_se(object, probs)
  z <- stats::qnorm((1 + level) / 2)
  pct <- data.frame(prob = probs, percentile = unname(q), std.error = se,
                    conf.low = unname(q) - z * se,
                    conf.high = unname(q) + z * se, row.names = names(q))
  structure(list(percentiles = pct, coefficients = coef(object),
                 mean = sum(object$dist$u * object$dist$w),
                 n_persons = object$n_persons, n_recalls = object$n_recalls,
                 episodic = object$episodic, unit = object$unit,
                 se_label = usual_se_label(object),
                 bias_label = usual_bias_label(object)),
            class = "summary.nev_usual")
}

#' @export
print.summary.nev_usual <- function(x, digits = 4, ...) {
  cat("Usual intake: ", x$n_persons, " persons, ", x$n_recalls, " recalls",
      if (x$episodic) ", two-part model", "\n", sep = "")
  cat("Parameters:\n")
  print(signif(x$coefficients, digits))
  cat(sprintf("Mean usual intake %.4g %s\n", x$mean, x$unit))
  cat("Percentiles (", x$unit,
      if (!is.null(x$se_label)) paste0("; SE: ", x$se_label), "):\n",
      sep = "")
  print(signif(x$percentiles, digits))
  if (!is.null(x$bias_label))
    cat(strwrap(paste0("(", x$bias_label, ")"), getOption("width")),
        sep = "\n")
  invisible(x)
}

#' Confidence intervals for a usual-intake fit
#'
#' Intervals for the parameters of [intake_usual()] (those of [coef()]):
#' with person-bootstrap replicates (`bootstrap = TRUE`), percentile
#' intervals, the \eqn{(1 - level)/2} and \eqn{(1 + level)/2} quantiles
#' (type 7 of [stats::quantile()]) of the parameter over the replicates
#' that could be fitted; with survey replicate weights (BRR, JK1) or the
#' model-based covariance of the joint model, Wald intervals from [vcov()]. A
#' Box-Cox `lambda` fixed in the call is the same in every replicate and so
#' has an interval of zero width.
#'
#' @param object A `nev_usual` object from [intake_usual()] with replicates
#'   or a model-based covariance.
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
  if (is.null(object$reps) && is.null(object$vcov_theta))
    nev_stop("`object` has no replicates or model-based covariance; fit it ",
             "with `bootstrap = TRUE` or `repweights` for confidence ",
             "intervals")
  NextMethod()
}

# Percentile intervals over person-bootstrap replicates; Wald intervals
# from the standard errors otherwise (survey replicates, the joint model's
# information), for rho from the information on the Fisher-z scale the
# model is fitted on: a Wald interval on the rho scale leaves [-1, 1] and
# shrinks to a point as the estimate nears -1 or 1.
#' @export
nev_conf_limits.nev_usual <- function(x, level) {
  if (is.null(x$reps) || x$reps$method != "bootstrap") {
    lim <- NextMethod()
    i <- match("rho", names(x$coefficients))
    if (is.null(x$reps) && !is.na(i)) {
      r <- min(max(x$coefficients[[i]], -1 + 1e-12), 1 - 1e-12)
      se_z <- x$coef_table$std.error[i] / (1 - r^2)
      crit <- stats::qnorm((1 + level) / 2)
      lim[i, ] <- tanh(atanh(r) + c(-1, 1) * crit * se_z)
    }
    return(lim)
  }
  a <- (1 - level) / 2
  t(vapply(names(x$coefficients), function(nm)
    stats::quantile(x$reps$par[, nm], c(a, 1 - a), names = FALSE,
                    na.rm = TRUE), numeric(2)))
}

#' @export
nev_glance_extra.nev_usual <- function(x) {
  list(lambda = x$lambda, sigma2_b = x$sigma2_b, sigma2_w = x$sigma2_w,
       episodic = x$episodic,
       rho = if (isTRUE(x$correlated)) x$rho else NA_real_,
       n_persons = x$n_persons, n_recalls = x$n_recalls,
       converged = x$converged,
       bias_correct = if (isTRUE(x$bias$applied)) x$bias$method else "none",
       unit = x$unit)
}

#' @rdname intake_share
#' @export
intake_share.nev_usual <- function(x, below = NULL, above = NULL, ...) {
  dots <- list(...)
  bad <- setdiff(names(dots), c("method", "req_cv", "ai"))
  if (length(bad))
    nev_stop("unknown argument", if (length(bad) > 1) "s", " ",
             paste0("`", bad, "`", collapse = ", "), " (known for a ",
             "usual-intake fit: `method`, `req_cv`, `ai`)")
  method <- nev_match_arg(dots$method %||% "cutpoint",
                          c("cutpoint", "probability"), "method")
  req_cv <- dots$req_cv %||% 0.1
  if (!is.numeric(req_cv) || length(req_cv) != 1L || !(req_cv > 0))
    nev_stop("`req_cv` must be a single positive number (got ",
             paste(format(req_cv), collapse = ", "), ")")
  ai <- intake_check_cutoffs(dots$ai, "ai")
  if (length(ai))
    nev_warn("the share below an Adequate Intake (AI) does not estimate ",
             "the prevalence of inadequacy: an AI is an intake observed in ",
             "healthy groups, not a requirement (IOM 2000; EFSA 2010); ",
             "intakes at or above it are likely adequate, below it nothing ",
             "can be said")
  if (!length(below) && !length(above) && !length(ai))
    nev_stop("give at least one cut-off in `below`, `above` or `ai`")
  cut <- c(intake_check_cutoffs(below, "below"),
           intake_check_cutoffs(above, "above"), ai)
  dir <- rep(c("below", "above", "below"),
             c(length(below), length(above), length(ai)))
  kind <- rep(c(method, "cutpoint", "AI"),
              c(length(below), length(above), length(ai)))
  stat <- usual_stat_share(cut, dir, ifelse(kind == "probability",
                                           req_cv * cut, 0))
  data.frame(cutoff = cut, direction = dir, share = stat$value(x$dist),
             std.error = usual_stat_se(x, stat), method = kind,
             stringsAsFactors = FALSE)
}

#' Plot single-day and usual intake distributions
#'
#' Cumulative distributions of the observed single-day intakes (all
#' recalls, weighted by person weights) and of the estimated usual intake:
#' the usual-intake distribution is narrower because the day-to-day
#' variation is removed. With a supplement the foods-only usual intake is
#' drawn as well. No cut-off is drawn unless given.
#'
#' @param x A `nev_usual` object from [intake_usual()].
#' @param cutoffs Cut-offs to mark (in the fit's `unit`), or `NULL`.
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
                 xlab = paste0("Intake (", x$unit %||% "per day", ")"),
                 ylab = "Cumulative share",
                 main = "Single-day and usual intake", ...)
  graphics::lines(uq, p, lwd = 2)
  lab <- c("single-day (recalls)", "usual intake")
  if (!is.null(x$dist_food)) {
    graphics::lines(usual_quantile(x$dist_food, p), p, lwd = 2, lty = 3)
    lab <- c("single-day foods (recalls)", "usual total intake",
             "usual intake from foods")
  }
  if (length(cutoffs)) graphics::abline(v = cutoffs, lty = 2, col = "grey40")
  graphics::legend("bottomright", lab, col = c("grey50", "black", "black"),
                   lwd = c(1, 2, 2)[seq_along(lab)],
                   lty = c(1, 1, 3)[seq_along(lab)], bty = "n")
  invisible(x)
}
