# effect_absolute(): a relative effect and a baseline risk -> the absolute
# risk difference and the number needed to treat, with their intervals.

#' Absolute risk difference and number needed to treat from a relative effect
#'
#' Turns a published ratio (risk ratio, odds ratio or hazard ratio) with its
#' confidence interval and the risk of the outcome without the exposure (the
#' *baseline risk*, e.g. the control group's or the cohort's crude risk over
#' the follow-up) into the risk with the exposure, the risk difference and
#' the number needed to treat for one more person to benefit (NNTB) or to be
#' harmed (NNTH), each with its interval. The outcome is taken to be an
#' adverse event (a fracture, a death): a ratio below 1 means fewer events.
#'
#' With baseline risk \eqn{p_0}, the risk with the exposure is
#' * `"RR"`: \eqn{p_1 = p_0 \cdot RR};
#' * `"OR"`: \eqn{p_1 = OR\,p_0 / (1 - p_0 + OR\,p_0)} (the odds ratio is
#'   converted to a risk ratio through the baseline risk, Zhang and Yu 1998);
#' * `"HR"`: \eqn{p_1 = 1 - (1 - p_0)^{HR}} (proportional hazards over the
#'   period of the baseline risk).
#'
#' The risk difference is \eqn{p_1 - p_0} and each limit follows from the
#' ratio's limit (all three maps increase with the ratio). The number needed
#' to treat is \eqn{1/|p_1 - p_0|}. When the interval of the risk difference
#' excludes 0 the NNT interval is the reciprocal of its limits; when it
#' includes 0 the interval runs, as Altman (1998) recommends, from NNTB
#' \eqn{1/|RD_{low}|} through infinity to NNTH \eqn{1/RD_{high}}.
#'
#' If the baseline risk refers to a period `time` and the absolute effect is
#' wanted over another period `horizon`, the baseline risk is carried over
#' assuming a constant hazard: \eqn{1 - (1 - p_0)^{horizon/time}}, and the
#' ratio is assumed to hold at the horizon.
#'
#' @param estimate,lower,upper The ratio and its confidence limits (positive
#'   numbers, `lower <= estimate <= upper`). The limits may be `NA` (no
#'   interval); then only the point values are returned.
#' @param measure `"RR"`, `"OR"` or `"HR"`.
#' @param baseline Risk of the outcome without the exposure, a proportion in
#'   (0, 1), over the period `time`.
#' @param time,horizon Optional periods (same unit, e.g. years): the period
#'   of `baseline` and the period over which the absolute effect is wanted.
#'   Both `NULL` (default) or both given.
#' @return A data frame of class `nev_absolute`, one row per input row:
#'   `measure`, `estimate`, `conf.low`, `conf.high` (the ratio), `baseline`
#'   (at the horizon), `risk`, `risk.conf.low`, `risk.conf.high` (with the
#'   exposure), `risk_difference`, `rd.conf.low`, `rd.conf.high`, `nnt`,
#'   `nnt_type` (`"NNTB"`, `"NNTH"`, or `NA` when the difference is 0),
#'   `nnt.conf.low`, `nnt.conf.high` (the NNT interval when the difference's
#'   interval excludes 0, else `NA`), `nntb_bound`, `nnth_bound` (the two
#'   finite ends of the NNT interval when it passes through infinity, else
#'   `NA`) and `nnt_text` (the interval in words, e.g.
#'   `"NNTB 44 (NNTB 22 to infinity to NNTH 370)"`).
#' @references Altman DG (1998). Confidence intervals for the number needed
#'   to treat. *BMJ* 317:1309-1312. doi:10.1136/bmj.317.7168.1309
#'
#'   Zhang J, Yu KF (1998). What's the relative risk? *JAMA*
#'   280:1690-1691. doi:10.1001/jama.280.19.1690
#' @family effect
#' @seealso [effect_ci()] for the standard error of a published ratio.
#' @examples
#' # Prospect-EPIC (Gast 2009): HR 0.91 (0.85-1.00) per 10 ug/d of K2, crude
#' # CHD risk 480 / 16057 over a mean 8.1 years.
#' effect_absolute(0.91, 0.85, 1.00, measure = "HR", baseline = 480 / 16057)
#' # An odds ratio with a common outcome: the RR is closer to 1.
#' effect_absolute(0.5, 0.3, 0.8, measure = "OR", baseline = 0.4)
#' @export
effect_absolute <- function(estimate, lower = NA, upper = NA,
                            measure = c("RR", "OR", "HR"), baseline,
                            time = NULL, horizon = NULL) {
  measure <- nev_match_arg(measure, c("RR", "OR", "HR"), "measure")
  v <- absolute_inputs(estimate, lower, upper, baseline)
  v$baseline <- absolute_horizon(v$baseline, time, horizon)
  risk <- function(r) absolute_risk(r, v$baseline, measure)
  p1 <- risk(v$estimate)
  lo <- risk(v$lower)
  hi <- risk(v$upper)
  rd <- p1 - v$baseline
  rd_lo <- lo - v$baseline
  rd_hi <- hi - v$baseline
  nnt <- absolute_nnt(rd, rd_lo, rd_hi)
  out <- data.frame(measure = measure, estimate = v$estimate,
                    conf.low = v$lower, conf.high = v$upper,
                    baseline = v$baseline, risk = p1, risk.conf.low = lo,
                    risk.conf.high = hi, risk_difference = rd,
                    rd.conf.low = rd_lo, rd.conf.high = rd_hi, nnt,
                    stringsAsFactors = FALSE)
  class(out) <- c("nev_absolute", "data.frame")
  out
}

# Checks and recycles the inputs of effect_absolute().
absolute_inputs <- function(estimate, lower, upper, baseline) {
  if (missing(baseline))
    nev_stop("`baseline` is missing: give the risk without the exposure ",
             "(a proportion in (0, 1))")
  v <- list(estimate = estimate, lower = lower, upper = upper,
            baseline = baseline)
  for (nm in names(v)) {
    x <- v[[nm]]
    if (is.logical(x) && all(is.na(x))) x <- as.double(x)
    if (!is.numeric(x))
      nev_stop("`", nm, "` must be numeric (got ", class(x)[1], ")")
    v[[nm]] <- as.double(x)
  }
  v <- nev_recycle(v)
  if (anyNA(v$estimate) || anyNA(v$baseline))
    nev_stop("`", if (anyNA(v$estimate)) "estimate" else "baseline",
             "` must not be NA; row ",
             nev_rows(which(is.na(v$estimate) | is.na(v$baseline))))
  bad <- !is.finite(v$baseline) | v$baseline <= 0 | v$baseline >= 1
  if (any(bad))
    nev_stop("`baseline` must be a risk strictly between 0 and 1; row ",
             nev_rows(which(bad)), " has ", format(v$baseline[bad][1]))
  for (nm in c("estimate", "lower", "upper")) {
    x <- v[[nm]]
    bad <- !is.na(x) & (!is.finite(x) | x <= 0)
    if (any(bad))
      nev_stop("`", nm, "` must be a positive ratio; row ", nev_rows(which(bad)),
               " has ", format(x[bad][1]))
  }
  bad <- (!is.na(v$lower) & v$lower > v$estimate) |
    (!is.na(v$upper) & v$upper < v$estimate)
  if (any(bad))
    nev_stop("`lower` <= `estimate` <= `upper` must hold; row ",
             nev_rows(which(bad)), " has ", v$lower[bad][1], ", ",
             v$estimate[bad][1], ", ", v$upper[bad][1])
  v
}

# The baseline risk carried from `time` to `horizon` at a constant hazard.
absolute_horizon <- function(p0, time, horizon) {
  if (is.null(time) && is.null(horizon)) return(p0)
  if (is.null(time) || is.null(horizon))
    nev_stop("`time` and `horizon` must be given together (got only `",
             if (is.null(time)) "horizon" else "time", "`)")
  for (a in list(list(time, "time"), list(horizon, "horizon")))
    if (!is.numeric(a[[1]]) || length(a[[1]]) != 1L || is.na(a[[1]]) ||
        !is.finite(a[[1]]) || a[[1]] <= 0)
      nev_stop("`", a[[2]], "` must be a single positive number (got ",
               paste(format(a[[1]]), collapse = ", "), ")")
  1 - (1 - p0)^(horizon / time)
}

# Risk with the exposure from a ratio and the baseline risk.
# A ratio of exactly 1 gives the baseline risk exactly (no rounding error,
# so that a limit at the null gives a difference of 0 and an infinite NNT).
absolute_risk <- function(r, p0, measure) {
  p1 <- switch(measure,
               RR = p0 * r,
               OR = r * p0 / (1 - p0 + r * p0),
               HR = 1 - (1 - p0)^r)
  ifelse(!is.na(r) & r == 1, p0, p1)
}

# NNT with Altman's interval. Returns the NNT columns as a data frame.
absolute_nnt <- function(rd, lo, hi) {
  n <- length(rd)
  type <- ifelse(rd < 0, "NNTB", ifelse(rd > 0, "NNTH", NA_character_))
  nnt <- ifelse(rd == 0, Inf, 1 / abs(rd))
  has <- !is.na(lo) & !is.na(hi)
  cross <- has & lo <= 0 & hi >= 0
  same <- has & !cross
  # Same side of 0: the nearer limit of the difference gives the larger NNT.
  c_lo <- ifelse(same, 1 / pmax(abs(lo), abs(hi)), NA_real_)
  c_hi <- ifelse(same, 1 / pmin(abs(lo), abs(hi)), NA_real_)
  b_nntb <- ifelse(cross, ifelse(lo < 0, 1 / abs(lo), Inf), NA_real_)
  b_nnth <- ifelse(cross, ifelse(hi > 0, 1 / hi, Inf), NA_real_)
  text <- vapply(seq_len(n), function(i) {
    absolute_nnt_text(nnt[i], type[i], same[i], cross[i], c_lo[i], c_hi[i],
                      b_nntb[i], b_nnth[i])
  }, character(1))
  data.frame(nnt = nnt, nnt_type = type, nnt.conf.low = c_lo,
             nnt.conf.high = c_hi, nntb_bound = b_nntb, nnth_bound = b_nnth,
             nnt_text = text, stringsAsFactors = FALSE)
}

absolute_nnt_text <- function(nnt, type, same, cross, c_lo, c_hi, b_b, b_h) {
  # NNTs are rounded up (Altman 1998); signif() first drops the last-bit
  # error of 1 / 0.02 = 50.000000001.
  f <- function(x) if (is.infinite(x)) "infinity" else
    format(ceiling(signif(x, 10)), big.mark = ",", trim = TRUE)
  head <- if (is.na(type)) "no difference" else paste(type, f(nnt))
  if (same) return(sprintf("%s (%s to %s)", head, f(c_lo), f(c_hi)))
  # A limit exactly at the null leaves one side of the interval empty.
  if (cross) return(sprintf("%s (%s)", head, paste(c(
    if (is.finite(b_b)) paste("NNTB", f(b_b)), "infinity",
    if (is.finite(b_h)) paste("NNTH", f(b_h))), collapse = " to ")))
  head
}

#' @export
print.nev_absolute <- function(x, ...) {
  pct <- function(p) sprintf("%.2f%%", 100 * p)
  for (i in seq_len(nrow(x))) {
    r <- x[i, ]
    ci <- if (is.na(r$rd.conf.low)) "" else
      sprintf(" (%s to %s)", pct(r$rd.conf.low), pct(r$rd.conf.high))
    cat(sprintf("%s %s: risk %s -> %s, difference %s%s; %s\n", r$measure,
                format(r$estimate), pct(r$baseline), pct(r$risk),
                pct(r$risk_difference), ci, r$nnt_text))
  }
  invisible(x)
}
