# effect_*: effect sizes from counts, means, reported intervals and p-values.
# Validation and messages live here; the arithmetic is in src/effect.c.

# Measures whose estimates are analysed on the log scale, and those that
# stay on their own (linear) scale.
effect_ratio_measures <- c("RR", "OR", "HR", "IRR", "ROM")
effect_diff_measures <- c("MD", "SMD", "RD", "IRD")

effect_fmt <- function(v) format(v, digits = 10)

# Stop for the rows flagged in `bad`, naming the first and how many.
effect_fail <- function(bad, what, vals) {
  i <- which(bad)
  first <- i[1L]
  shown <- paste0(names(vals), " = ",
                  vapply(vals, function(v) effect_fmt(v[first]), ""),
                  collapse = ", ")
  nev_stop(what, "; row ", first, " has ", shown,
           if (length(i) > 1L) paste0(" (rows ", nev_rows(i), " in all)"))
}

# Stop at the first of the columns `cols` of `v` for which `invalid()` holds
# on a complete row (`ok`); the message is "`<column>` <what>".
effect_check_cols <- function(v, ok, cols, invalid, what) {
  for (nm in cols) {
    bad <- ok & invalid(v[[nm]])
    if (any(bad))
      effect_fail(bad, paste0("`", nm, "` ", what), v[nm])
  }
}

# Capture, check and recycle the column arguments of an effect_* call.
# `exprs` is a named list of substitute()d expressions.
effect_columns <- function(exprs, data, env) {
  vals <- lapply(names(exprs), function(nm) {
    nev_num(nev_arg(exprs[[nm]], data, env, nm), nm, data)
  })
  names(vals) <- names(exprs)
  lens <- lengths(vals)
  # No rows (e.g. a 0-row `data`) give no rows, also with a scalar `level`
  vals <- if (any(lens == 0L) && all(lens <= 1L)) lapply(vals, `[`, 0L) else
    nev_recycle(vals)
  effect_check_cols(vals, TRUE, names(vals), is.infinite, "must be finite")
  vals
}

# Build the nev_effect data frame from the C result list. With a data
# frame `data` of as many rows, the result is `data` with the effect-size
# columns appended (replacing columns of the same names), as
# metafor::escalc() does, so the user's columns and row names travel.
effect_new <- function(res, measure, scale, data) {
  out <- data.frame(res, measure = rep(measure, length(res$yi)),
                    stringsAsFactors = FALSE)
  if (is.data.frame(data) && nrow(data) == nrow(out)) {
    keep <- as.data.frame(data, stringsAsFactors = FALSE)
    keep <- keep[setdiff(names(keep), names(out))]
    out <- cbind(keep, out)
    if (.row_names_info(data) > 0L) row.names(out) <- row.names(data)
  }
  effect_restore(out, measure, scale)
}

# Give a data frame holding yi, vi and measure the class nev_effect and its
# measure and scale (one measure, or NA for a mix); otherwise a plain data
# frame. Used after every operation that rebuilds the data frame.
effect_restore <- function(out, measure = NULL, scale = NULL) {
  class(out) <- setdiff(class(out), "nev_effect")
  if (!all(c("yi", "vi", "measure") %in% names(out))) return(out)
  m <- unique(out$measure[!is.na(out$measure)])
  measure <- if (length(m) == 1L) m else if (length(m)) NA_character_
             else measure
  attr(out, "measure") <- measure
  attr(out, "scale") <- if (length(m) <= 1L) scale %||%
    if (all(out$measure %in% effect_ratio_measures)) "log" else "linear"
  class(out) <- c("nev_effect", class(out))
  out
}

# Subsetting, cbind() and rbind() keep the class and the measure (the
# `measure` column travels with the rows; the attributes follow it).
#' @export
`[.nev_effect` <- function(x, ...) {
  out <- NextMethod()
  if (is.data.frame(out)) effect_restore(out, attr(x, "measure"),
                                         attr(x, "scale"))
  else out
}

#' @export
cbind.nev_effect <- function(..., deparse.level = 1) {
  args <- lapply(list(...), function(a)
    if (inherits(a, "nev_effect")) effect_plain(a) else a)
  effect_restore(do.call(cbind.data.frame, args))
}

#' @export
rbind.nev_effect <- function(..., deparse.level = 1) {
  args <- lapply(list(...), function(a)
    if (inherits(a, "nev_effect")) effect_plain(a) else a)
  effect_restore(do.call(rbind.data.frame, c(args,
                                             stringsAsFactors = FALSE)))
}

effect_plain <- function(x) {
  attr(x, "measure") <- attr(x, "scale") <- NULL
  class(x) <- setdiff(class(x), "nev_effect")
  x
}

#' Effect sizes from 2x2 counts
#'
#' Log risk ratios, log odds ratios or risk differences, with their sampling
#' variances, from the number of events and the group sizes of two groups. The
#' continuity correction follows `metafor::escalc()` exactly, so the results
#' agree with it for the same `measure`, `add`, `to` and `drop00`.
#'
#' The four cells of a study are `ai`, `bi = n1i - ai`, `ci` and
#' `di = n2i - ci`. `add` is added to all four cells of the studies selected
#' by `to`: `"only0"` those with a zero cell (no events or only events in a
#' group), `"all"` every study, `"if0all"` every study if any study has a zero
#' cell, `"none"` none. The corrected cells are used for both the estimate and
#' the variance, also for `"RD"`. With `drop00 = TRUE` a study with no events
#' in both groups, or only events in both groups, gives `NA` (and does not
#' count as a zero-cell study for `to = "if0all"`). A zero cell with
#' `to = "none"` gives an infinite log ratio or variance: such rows give `NA`
#' with a warning.
#'
#' Variances: `"RR"` `1/ai - 1/n1i + 1/ci - 1/n2i`; `"OR"`
#' `1/ai + 1/bi + 1/ci + 1/di`; `"RD"` the large-sample
#' `p1 (1 - p1) / n1i + p2 (1 - p2) / n2i` (escalc's default `vtype = "LS"`).
#'
#' Counts need not be whole numbers (effective sample sizes of cluster trials
#' are accepted), but must satisfy `0 <= ai <= n1i`, `n1i > 0` and the same
#' for group 2. Rows with a missing value are kept and give `NA` with a
#' warning naming them.
#'
#' @param ai,ci Number of events in group 1 (treatment, exposed) and group 2
#'   (control, unexposed).
#' @param n1i,n2i Size of group 1 and group 2.
#' @param data Optional data frame: the arguments above may then be unquoted
#'   column names or strings naming columns. Otherwise they are vectors,
#'   recycled to a common length.
#' @param measure `"RR"` (log risk ratio), `"OR"` (log odds ratio) or `"RD"`
#'   (risk difference).
#' @param add Non-negative number added to the cells of the studies chosen by
#'   `to`.
#' @param to Which studies get `add`: `"only0"`, `"all"`, `"if0all"` or
#'   `"none"` (see Details).
#' @param drop00 `TRUE` to give `NA` for studies with no events (or only
#'   events) in both groups.
#' @return A data frame of class `nev_effect` with one row per study and the
#'   columns `yi` (estimate; log scale for `"RR"` and `"OR"`), `vi` (sampling
#'   variance), `sei` (standard error) and `measure`. Given `data` (a data
#'   frame with one row per study), the result is `data` with these columns
#'   appended, as `metafor::escalc()` does: the other columns and the row
#'   names travel with the effect sizes. The attributes `measure` and
#'   `scale` (`"log"` or `"linear"`) record how `yi` is to be read; they and
#'   the class survive `[` subsetting, `cbind()` and `rbind()` (a mix of
#'   measures has `measure` `NA`; the `measure` column keeps each row's).
#' @family effect sizes
#' @export
#' @examples
#' trials <- data.frame(ai = c(4, 6, 0), n1i = c(123, 306, 25),
#'                      ci = c(11, 29, 3), n2i = c(139, 303, 25))
#' effect_counts(ai, n1i, ci, n2i, data = trials)
#' effect_counts("ai", "n1i", "ci", "n2i", data = trials, measure = "OR",
#'               to = "all")
#' effect_counts(c(0, 5), c(10, 50), c(0, 9), c(12, 48), measure = "RD",
#'               drop00 = TRUE)
effect_counts <- function(ai, n1i, ci, n2i, data = NULL,
                          measure = c("RR", "OR", "RD"), add = 0.5,
                          to = c("only0", "all", "if0all", "none"),
                          drop00 = FALSE) {
  env <- parent.frame()
  measure <- nev_match_arg(measure, c("RR", "OR", "RD"), "measure")
  to <- nev_match_arg(to, c("only0", "all", "if0all", "none"), "to")
  effect_check_add(add)
  effect_check_flag(drop00, "drop00")
  v <- effect_columns(list(ai = substitute(ai), n1i = substitute(n1i),
                           ci = substitute(ci), n2i = substitute(n2i)),
                      data, env)
  ok <- nev_na_rows(v)
  valid <- v$ai >= 0 & v$ci >= 0 & v$ai <= v$n1i & v$ci <= v$n2i &
    v$n1i > 0 & v$n2i > 0
  if (!all(valid | !ok)) effect_counts_fail(v, ok)
  res <- .Call(C_effect_counts, v$ai, v$n1i, v$ci, v$n2i,
               nev_enum("counts_measure", measure), as.double(add),
               nev_enum("counts_add", to), drop00)
  inf <- ok & is.na(res$yi)
  if (drop00 && any(inf))
    inf <- inf & !((v$ai == 0 & v$ci == 0) | (v$ai == v$n1i & v$ci == v$n2i))
  if (any(inf))
    nev_warn("a zero cell with `to = \"none\"` gives an infinite estimate ",
             "or variance, set to NA: row", if (sum(inf) > 1L) "s", " ",
             nev_rows(which(inf)))
  effect_new(res, measure, if (measure == "RD") "linear" else "log", data)
}

effect_check_add <- function(add) {
  if (!is.numeric(add) || length(add) != 1L || !is.finite(add) || add < 0)
    nev_stop("`add` must be a single non-negative number (got ",
             paste(format(add), collapse = ", "), ")")
}

effect_check_flag <- function(x, name) {
  if (!is.logical(x) || length(x) != 1L || is.na(x))
    nev_stop("`", name, "` must be TRUE or FALSE (got ",
             paste(format(x), collapse = ", "), ")")
}

# The message for the first kind of invalid count found.
effect_counts_fail <- function(v, ok) {
  effect_check_cols(v, ok, c("ai", "ci"), function(x) x < 0,
                    "must not be negative")
  effect_check_cols(v, ok, c("n1i", "n2i"), function(x) x <= 0,
                    "must be positive")
  for (g in list(c("ai", "n1i"), c("ci", "n2i"))) {
    bad <- ok & v[[g[1]]] > v[[g[2]]]
    if (any(bad))
      effect_fail(bad, paste0("`", g[1], "` (events) must not exceed `",
                              g[2], "` (group size)"), v[g])
  }
}

#' Effect sizes from group means and standard deviations
#'
#' Mean differences, standardised mean differences (Hedges' g) or log ratios
#' of means, with their sampling variances, from the means, standard
#' deviations and sizes of two groups. The formulas are those of
#' `metafor::escalc()` with its default `vtype = "LS"`, and the results agree
#' with it for the same `measure` and `correct`.
#'
#' * `"MD"`: `yi = m1i - m2i`, `vi = sd1i^2/n1i + sd2i^2/n2i` (no equal
#'   variance assumption).
#' * `"SMD"`: Hedges' g, `yi = c(m) (m1i - m2i) / s` with the pooled SD
#'   `s = sqrt(((n1i - 1) sd1i^2 + (n2i - 1) sd2i^2) / m)`, `m = n1i + n2i - 2`
#'   and the exact correction
#'   `c(m) = exp(lgamma(m/2) - log(sqrt(m/2)) - lgamma((m - 1)/2))`
#'   (`c(m) = 1`, Cohen's d, with `correct = FALSE`);
#'   `vi = 1/n1i + 1/n2i + yi^2 / (2 (n1i + n2i))`. Needs `n1i + n2i > 3` and a
#'   positive pooled SD.
#' * `"ROM"`: the log ratio of means with the bias correction of Lajeunesse
#'   (2015, equation 8),
#'   `yi = log(m1i / m2i) + (sd1i^2/(n1i m1i^2) - sd2i^2/(n2i m2i^2)) / 2`,
#'   and `vi = sd1i^2/(n1i m1i^2) + sd2i^2/(n2i m2i^2)`. Needs positive means.
#'   With `correct = FALSE`, `yi = log(m1i / m2i)`. The correction is the
#'   default of `escalc(measure = "ROM")` since metafor 5.0; older metafor
#'   computes the uncorrected value (`correct = FALSE` here). It matters for
#'   small groups with large coefficients of variation `sd/m`.
#'
#' Rows with a missing value are kept and give `NA` with a warning naming
#' them.
#'
#' @param m1i,m2i Means of group 1 and group 2.
#' @param sd1i,sd2i Standard deviations (not standard errors) of the groups.
#' @param n1i,n2i Group sizes.
#' @param data Optional data frame: the arguments above may then be unquoted
#'   column names or strings naming columns.
#' @param measure `"MD"`, `"SMD"` or `"ROM"`.
#' @param correct `TRUE` (the default, as in `metafor::escalc()`) for the
#'   small-sample bias corrections: Hedges' `c(m)` for `"SMD"`, Lajeunesse's
#'   for `"ROM"`; `FALSE` for Cohen's d and the plain log ratio. Ignored for
#'   `"MD"`.
#' @return A data frame of class `nev_effect` with columns `yi`, `vi`, `sei`
#'   and `measure` (see [effect_counts()]); `yi` is on the log scale for
#'   `"ROM"`.
#' @references Lajeunesse, M. J. (2015). Bias and correction for the log
#'   response ratio in ecological meta-analysis. *Ecology*, 96(8),
#'   2056-2063. \doi{10.1890/14-2402.1}
#' @family effect sizes
#' @export
#' @examples
#' trials <- data.frame(m1i = c(55, 27), sd1i = c(47, 7), n1i = c(155, 31),
#'                      m2i = c(75, 29), sd2i = c(64, 4), n2i = c(156, 32))
#' effect_means(m1i, sd1i, n1i, m2i, sd2i, n2i, data = trials)
#' effect_means(m1i, sd1i, n1i, m2i, sd2i, n2i, data = trials,
#'              measure = "SMD")
#' effect_means(10.2, 3.1, 40, 8.5, 2.9, 38, measure = "ROM")
#' effect_means(10.2, 3.1, 4, 8.5, 2.9, 3, measure = "ROM", correct = FALSE)
effect_means <- function(m1i, sd1i, n1i, m2i, sd2i, n2i, data = NULL,
                         measure = c("MD", "SMD", "ROM"), correct = TRUE) {
  env <- parent.frame()
  measure <- nev_match_arg(measure, c("MD", "SMD", "ROM"), "measure")
  effect_check_flag(correct, "correct")
  v <- effect_columns(list(m1i = substitute(m1i), sd1i = substitute(sd1i),
                           n1i = substitute(n1i), m2i = substitute(m2i),
                           sd2i = substitute(sd2i), n2i = substitute(n2i)),
                      data, env)
  ok <- nev_na_rows(v)
  effect_check_cols(v, ok, c("sd1i", "sd2i"), function(x) x < 0,
                    "must not be negative")
  effect_check_cols(v, ok, c("n1i", "n2i"), function(x) x <= 0,
                    "must be positive")
  if (measure == "SMD") {
    bad <- ok & v$n1i + v$n2i <= 3
    if (any(bad))
      effect_fail(bad, "`n1i` + `n2i` must exceed 3 for measure \"SMD\"",
                  v[c("n1i", "n2i")])
    bad <- ok & (v$n1i - 1) * v$sd1i^2 + (v$n2i - 1) * v$sd2i^2 <= 0
    if (any(bad))
      effect_fail(bad, paste0("the pooled SD of `sd1i` and `sd2i` must be ",
                              "positive for measure \"SMD\""),
                  v[c("sd1i", "n1i", "sd2i", "n2i")])
  }
  if (measure == "ROM") {
    effect_check_cols(v, ok, c("m1i", "m2i"), function(x) x <= 0,
                      paste("must be positive for measure \"ROM\"",
                            "(a ratio of means)"))
  }
  res <- .Call(C_effect_means, v$m1i, v$sd1i, v$n1i, v$m2i, v$sd2i, v$n2i,
               nev_enum("means_measure", measure), correct)
  effect_new(res, measure, if (measure == "ROM") "log" else "linear", data)
}

# The working scale of a reported estimate's measure.
effect_scale <- function(measure) {
  measure <- nev_match_arg(measure,
                           c(effect_ratio_measures, effect_diff_measures),
                           "measure")
  list(measure = measure,
       log = measure %in% effect_ratio_measures)
}

#' Effect sizes from a reported estimate and confidence interval
#'
#' Turns a reported estimate with its confidence interval, such as
#' "RR 0.43 (95% CI 0.24 to 0.77)", into an estimate and standard error on
#' the scale where the interval is symmetric: the log scale for ratio
#' measures, the reported scale for differences.
#'
#' For a ratio measure (`"RR"`, `"OR"`, `"HR"`, `"IRR"`, `"ROM"`)
#' `yi = log(estimate)` and
#' `sei = (log(upper) - log(lower)) / (2 * qnorm(1 - (1 - level)/2))`; for a
#' difference (`"MD"`, `"SMD"`, `"RD"`, `"IRD"`) the same without the logs.
#' `vi = sei^2`. The quantile is computed as the upper `(1 - level)/2` normal
#' quantile.
#'
#' `asymmetry` diagnoses whether the interval is symmetric about the estimate
#' on the working scale, as a Wald interval is:
#' `((u - yi) - (yi - l)) / ((u - l) / 2)` with `l`, `u` the (logged) limits.
#' It is 0 for a symmetric interval, positive when the upper arm is longer,
#' and lies between -2 and 2. Rounding of the reported digits alone makes it
#' non-zero; values beyond about 0.1 suggest an interval computed on another
#' scale or a misprint (see `claim_check()` for a verdict that allows for
#' rounding).
#'
#' Rows with a missing value are kept and give `NA` with a warning naming
#' them.
#'
#' @param estimate Reported estimate (ratio or difference); or, with `lower`
#'   and `upper` missing, one estimate and CI quoted as printed,
#'   `"HR 0.91 (95% CI 0.85-1.00)"`, read by the scanner of [claim_scan()]
#'   (which also gives the level and, unless `measure` is given, the
#'   measure).
#' @param lower,upper Reported confidence limits; `lower < upper`, and the
#'   estimate must lie between them.
#' @param level Confidence level of the interval, strictly between 0 and 1;
#'   one value or one per row (may be a column of `data`).
#' @param measure The measure reported: one of `"RR"`, `"OR"`, `"HR"`,
#'   `"IRR"`, `"ROM"` (ratios, analysed on the log scale) or `"MD"`, `"SMD"`,
#'   `"RD"`, `"IRD"` (differences, analysed as they are).
#' @param data Optional data frame: `estimate`, `lower`, `upper` and `level`
#'   may then be unquoted column names or strings naming columns.
#' @return A data frame of class `nev_effect` with columns `yi`, `vi`, `sei`,
#'   `asymmetry` and `measure` (see [effect_counts()]).
#' @family effect sizes
#' @export
#' @examples
#' # Rotterdam Study (Geleijnse et al. 2004): coronary heart disease
#' # mortality, upper vs lower tertile of menaquinone intake
#' effect_ci(0.43, 0.24, 0.77, measure = "RR")
#' # a per-row confidence level from a column of `data`
#' claims <- data.frame(hr = c(0.91, 0.75), lo = c(0.85, 0.60),
#'                      hi = c(1.00, 0.94), lev = c(0.95, 0.90))
#' effect_ci(hr, lo, hi, level = lev, measure = "HR", data = claims)
#' effect_ci(-1.2, -2.0, -0.4, measure = "MD")
#' effect_ci("0.91 (0.85-1.00)", measure = "HR")
effect_ci <- function(estimate, lower, upper, level = 0.95, measure = "RR",
                      data = NULL) {
  if (!missing(estimate) && missing(lower) && missing(upper) &&
      is.null(data) && is.character(estimate) && length(estimate) == 1L) {
    q <- effect_ci_string(estimate, if (!missing(measure)) measure)
    return(effect_ci(q$estimate, q$lower, q$upper,
                     level = if (missing(level)) q$level else level,
                     measure = q$measure))
  }
  env <- parent.frame()
  sc <- effect_scale(measure)
  v <- effect_columns(list(estimate = substitute(estimate),
                           lower = substitute(lower),
                           upper = substitute(upper),
                           level = substitute(level)), data, env)
  ok <- nev_na_rows(v)
  bad <- ok & (v$level <= 0 | v$level >= 1)
  if (any(bad))
    effect_fail(bad, "`level` must be strictly between 0 and 1", v["level"])
  if (sc$log) {
    effect_check_cols(v, ok, c("estimate", "lower", "upper"),
                      function(x) x <= 0,
                      paste0("must be positive for the ratio measure \"",
                             sc$measure, "\""))
  }
  bad <- ok & v$lower >= v$upper
  if (any(bad))
    effect_fail(bad, "`lower` must be below `upper`", v[c("lower", "upper")])
  bad <- ok & (v$estimate < v$lower | v$estimate > v$upper)
  if (any(bad))
    effect_fail(bad, "`estimate` must lie between `lower` and `upper`",
                v[c("estimate", "lower", "upper")])
  res <- .Call(C_effect_ci, v$estimate, v$lower, v$upper, v$level, sc$log)
  effect_new(res, sc$measure, if (sc$log) "log" else "linear", data)
}

#' Effect sizes from a reported estimate and p-value
#'
#' Recovers the standard error of a reported estimate from its two-sided
#' p-value, assuming a Wald test on the log scale for ratio measures and on
#' the reported scale for differences:
#' `sei = |yi| / qnorm(1 - p/2)` with `yi = log(estimate)` for ratios. The
#' quantile is computed as the upper `p/2` normal quantile, which stays
#' accurate for very small p.
#'
#' A p-value of 1 or an estimate at the null value (ratio 1, difference 0)
#' carries no information on the standard error: `vi` and `sei` are then
#' `NA`, with a warning. Rows with a missing value are kept and give `NA` with
#' a warning naming them. A p-value reported as an inequality ("p < 0.001")
#' gives only a bound: see `claim_check()`.
#'
#' @param estimate Reported estimate (ratio or difference).
#' @param p Reported two-sided p-value, `0 < p <= 1`.
#' @param measure The measure reported, as in [effect_ci()].
#' @param data Optional data frame: `estimate` and `p` may then be unquoted
#'   column names or strings naming columns.
#' @return A data frame of class `nev_effect` with columns `yi`, `vi`, `sei`
#'   and `measure` (see [effect_counts()]).
#' @family effect sizes
#' @export
#' @examples
#' effect_p(1.10, 0.2, measure = "OR")
#' effect_p(c(0.66, 1.42), c(0.0004, 0.0002), measure = "HR")
#' effect_p(-1.2, 0.003, measure = "MD")
effect_p <- function(estimate, p, measure = "RR", data = NULL) {
  env <- parent.frame()
  sc <- effect_scale(measure)
  v <- effect_columns(list(estimate = substitute(estimate),
                           p = substitute(p)), data, env)
  ok <- nev_na_rows(v)
  bad <- ok & (v$p <= 0 | v$p > 1)
  if (any(bad))
    effect_fail(bad, "`p` must be in (0, 1]", v["p"])
  if (sc$log) {
    bad <- ok & v$estimate <= 0
    if (any(bad))
      effect_fail(bad, paste0("`estimate` must be positive for the ratio ",
                              "measure \"", sc$measure, "\""), v["estimate"])
  }
  res <- .Call(C_effect_p, v$estimate, v$p, sc$log)
  null <- ok & is.na(res$sei)
  if (any(null))
    nev_warn("a p-value of 1 or an estimate at the null value gives no ",
             "standard error, set to NA: row", if (sum(null) > 1L) "s", " ",
             nev_rows(which(null)))
  effect_new(res, sc$measure, if (sc$log) "log" else "linear", data)
}

#' Print effect sizes
#'
#' Prints the measure and scale, then the table of estimates (its first `n`
#' rows; `as.data.frame(x)` or `print(x, n = Inf)` shows them all).
#'
#' @param x A `nev_effect` data frame from an `effect_*` function.
#' @param digits Significant digits to print.
#' @param n Largest number of rows to print.
#' @param ... Passed to [print.data.frame()].
#' @return `x`, invisibly.
#' @family effect sizes
#' @export
#' @examples
#' print(effect_ci(0.43, 0.24, 0.77), digits = 3)
print.nev_effect <- function(x, digits = 4, n = 20L, ...) {
  measure <- attr(x, "measure") %||% paste(unique(x$measure), collapse = "/")
  scale <- attr(x, "scale") %||%
    if (all(x$measure %in% effect_ratio_measures)) "log" else "linear"
  k <- nrow(x)
  cat("<nev_effect> ", k, " row", if (k != 1L) "s", ", measure ", measure,
      if (identical(scale, "log")) ", yi on the log scale", "\n", sep = "")
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE,
                      row.names = row.names(x))
  if ("measure" %in% names(df) && length(unique(df$measure)) <= 1L)
    df$measure <- NULL
  if (!is.numeric(n) || length(n) != 1L || is.na(n) || n < 1)
    nev_stop("`n` must be a number of rows >= 1 (got ",
             paste(format(n), collapse = ", "), ")")
  if (k > n) {
    print(df[seq_len(n), , drop = FALSE], digits = digits, ...)
    cat("# ... ", k - n, " more row", if (k - n != 1L) "s",
        "; print(x, n = Inf) shows all\n", sep = "")
  } else {
    print(df, digits = digits, ...)
  }
  invisible(x)
}
