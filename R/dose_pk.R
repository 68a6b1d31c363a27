# One-compartment repeated-dose pharmacokinetics in closed form.

dose_pk_num <- function(x, name, positive = TRUE, allow_null = FALSE) {
  if (is.null(x) && allow_null) return(NULL)
  if (!is.numeric(x) || length(x) != 1L || !is.finite(x) ||
      (positive && x <= 0) || (!positive && x < 0))
    nev_stop("`", name, "` must be a single ", if (positive) "positive" else
             "non-negative", " finite number; got ",
             if (length(x) == 1L) format(x) else paste0(length(x), " values"))
  as.double(x)
}

#' Repeated dosing in a one-compartment model
#'
#' Concentration-time profile of a substance taken at a fixed dose every
#' `interval` time units, with first-order elimination (half-life
#' `half_life`) and either instantaneous input (an intravenous bolus: the
#' default) or first-order absorption (`absorption_half_life`). The profile
#' is the closed-form superposition of single-dose curves: for a bolus
#' \eqn{C(t) = (F D / V) e^{-k s} (1 - e^{-k m \tau}) / (1 - e^{-k \tau})}
#' after the m-th dose, s time units after it, with \eqn{k = \log 2 /
#' t_{1/2}}; with absorption rate \eqn{k_a} the Bateman function is summed
#' the same way.
#'
#' Summaries (elimination-based; exact for a bolus):
#' * `accumulation`: the accumulation ratio \eqn{1 / (1 - e^{-k\tau})}, the
#'   ratio of steady-state to first-dose troughs (and of the dosing-interval
#'   AUCs);
#' * `time_to_90`: \eqn{\log(10)/k = 3.32} half-lives, the time to reach
#'   90% of steady state, and `doses_to_90`, the number of doses after which
#'   the trough is within 10% of its steady-state value;
#' * `css_average`: the average steady-state concentration \eqn{F D / (V k
#'   \tau)}.
#'
#' Units are whatever the user supplies (e.g. hours and \eqn{\mu}g); the
#' concentration is in dose units per volume unit (per 1 with the default
#' `volume = 1`).
#'
#' **Vitamin K2 half-lives.** Schurgers et al. (2007) report a "very long
#' half-life" for menaquinone-7 (MK-7) from natto, with serum levels 7- to
#' 8-fold higher than vitamin K1 during prolonged intake; the figure of
#' about 68-72 h (about 3 days) quoted for MK-7 comes from secondary sources
#' and could not be confirmed from the primary text. For menaquinone-4
#' (MK-4), Sato et al. (2012) found no detectable serum MK-4 after a single
#' nutritional oral dose (420 \eqn{\mu}g), consistent with a half-life of a
#' few hours at most; no primary source giving a numeric MK-4 half-life
#' could be verified, so the value of 1.5 h used in the example is
#' illustrative only.
#'
#' @param dose Dose per administration (non-negative).
#' @param interval Dosing interval (positive), e.g. 24 (hours).
#' @param half_life Elimination half-life (same time unit).
#' @param absorption_half_life Absorption half-life; `NULL` for a bolus.
#' @param bioavailability Fraction absorbed, in (0, 1].
#' @param volume Volume of distribution (positive).
#' @param n_doses Number of doses (default: enough for 2 x `time_to_90`).
#' @param times Times at which to compute the concentration (default: 1001
#'   points from 0 to `n_doses * interval`).
#' @return An object of class `nev_pk`: a list with `profile` (data frame
#'   `time`, `concentration`), `accumulation`, `time_to_90`, `doses_to_90`,
#'   `css_average`, `k`, `ka` and the arguments.
#' @references Schurgers LJ, Teunissen KJF, Hamulyak K, Knapen MHJ, Vik H,
#'   Vermeer C (2007). Vitamin K-containing dietary supplements: comparison
#'   of synthetic vitamin K1 and natto-derived menaquinone-7. *Blood*
#'   109:3279-3283. \doi{10.1182/blood-2006-08-040709}
#'
#'   Sato T, Schurgers LJ, Uenishi K (2012). Comparison of menaquinone-4 and
#'   menaquinone-7 bioavailability in healthy women. *Nutrition Journal*
#'   11:93.
#' @family dose
#' @examples
#' # 100 ug/day: MK-7 (half-life ~68 h, secondary sources) against MK-4
#' # (illustrative 1.5 h), both with absorption half-life 2 h
#' mk7 <- dose_pk(100, interval = 24, half_life = 68, absorption_half_life = 2,
#'                n_doses = 21)
#' mk4 <- dose_pk(100, interval = 24, half_life = 1.5, absorption_half_life = 2,
#'                n_doses = 21)
#' mk7
#' c(mk7 = mk7$accumulation, mk4 = mk4$accumulation)
#' plot(mk7)
#' lines(mk4$profile$time, mk4$profile$concentration, lty = 2)
#' @export
dose_pk <- function(dose, interval, half_life, absorption_half_life = NULL,
                    bioavailability = 1, volume = 1, n_doses = NULL,
                    times = NULL) {
  dose <- dose_pk_num(dose, "dose", positive = FALSE)
  interval <- dose_pk_num(interval, "interval")
  half_life <- dose_pk_num(half_life, "half_life")
  abs_hl <- dose_pk_num(absorption_half_life, "absorption_half_life",
                        allow_null = TRUE)
  bioavailability <- dose_pk_num(bioavailability, "bioavailability")
  if (bioavailability > 1)
    nev_stop("`bioavailability` must be in (0, 1]; got ", bioavailability)
  volume <- dose_pk_num(volume, "volume")
  k <- log(2) / half_life
  ka <- if (is.null(abs_hl)) 0 else log(2) / abs_hl
  t90 <- log(10) / k
  d90 <- ceiling(t90 / interval - 1e-12)
  if (is.null(n_doses)) {
    n_doses <- max(1L, as.integer(ceiling(2 * t90 / interval)))
  } else if (!is.numeric(n_doses) || length(n_doses) != 1L ||
             !is.finite(n_doses) || n_doses < 1 || n_doses != round(n_doses)) {
    nev_stop("`n_doses` must be a single whole number >= 1; got ",
             paste(format(n_doses), collapse = ", "))
  }
  n_doses <- as.integer(n_doses)
  if (is.null(times)) {
    times <- seq(0, n_doses * interval, length.out = 1001L)
  } else {
    times <- nev_check_numeric(times, "times")
    if (anyNA(times) || any(!is.finite(times)))
      nev_stop("`times` must be finite; got ", sum(!is.finite(times)),
               " non-finite value(s)")
  }
  conc <- .Call(C_dose_pk, times, c(dose, interval, k, ka, bioavailability,
                                    volume), n_doses)
  structure(list(
    profile = data.frame(time = times, concentration = conc),
    accumulation = 1 / -expm1(-k * interval), time_to_90 = t90,
    doses_to_90 = d90,
    css_average = bioavailability * dose / (volume * k * interval),
    k = k, ka = if (ka > 0) ka else NA_real_, dose = dose,
    interval = interval, half_life = half_life,
    absorption_half_life = abs_hl, bioavailability = bioavailability,
    volume = volume, n_doses = n_doses), class = "nev_pk")
}

#' @export
print.nev_pk <- function(x, digits = 4, ...) {
  cat("One-compartment repeated dosing: dose ", format(x$dose), " every ",
      format(x$interval), ", half-life ", format(x$half_life),
      if (!is.null(x$absorption_half_life))
        paste0(", absorption half-life ", format(x$absorption_half_life))
      else " (bolus)", ", ", x$n_doses, " doses\n", sep = "")
  cat("  accumulation ratio      ", format(x$accumulation, digits = digits),
      "\n")
  cat("  time to 90% of steady state ", format(x$time_to_90, digits = digits),
      " (", x$doses_to_90, " doses)\n", sep = "")
  cat("  average steady-state concentration ",
      format(x$css_average, digits = digits), "\n", sep = "")
  invisible(x)
}

#' @export
plot.nev_pk <- function(x, xlab = "Time", ylab = "Concentration", ...) {
  p <- x$profile
  graphics::plot(p$time, p$concentration, type = "l", xlab = xlab,
                 ylab = ylab, ...)
  graphics::abline(h = x$css_average, lty = 3)
  invisible(p)
}
