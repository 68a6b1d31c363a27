# Claim checking: is a reported ratio, CI and p-value self-consistent once
# the rounding of every printed digit is allowed for? Parsing and validation
# live here; the interval arithmetic is in src/claim.c.

# Parsing ---------------------------------------------------------------

# Split printed numbers into value and decimal places. `x` is a character
# vector; "", "NA" and NA give NA. Returns list(value, decimals, ok) where ok
# is FALSE for strings that are not numbers.
claim_parse_strings <- function(x, strip_percent = FALSE) {
  s <- trimws(as.character(x))
  s <- gsub("\u2212", "-", s, fixed = TRUE)
  if (strip_percent) s <- trimws(sub("%$", "", s))
  miss <- is.na(s) | s == "" | toupper(s) == "NA"
  re <- "^([+-]?)([0-9]*)(\\.([0-9]*))?([eE]([+-]?[0-9]+))?$"
  ok <- miss | (grepl(re, s) & grepl("[0-9]", sub("[eE].*$", "", s)))
  value <- rep(NA_real_, length(s))
  decimals <- rep(NA_real_, length(s))
  use <- ok & !miss
  if (any(use)) {
    frac <- sub(re, "\\4", s[use])
    expo <- sub(re, "\\6", s[use])
    expo <- ifelse(nzchar(expo), as.numeric(expo), 0)
    value[use] <- as.numeric(s[use])
    decimals[use] <- nchar(frac) - expo
  }
  list(value = value, decimals = decimals, ok = ok)
}

# Decimal places of the shortest representation of numbers (format with 15
# significant digits, trailing zeros dropped): 0.43 -> 2, 1.0 -> 0.
claim_decimals <- function(x) {
  x <- as.double(x)
  s <- sprintf("%.15g", x)
  s[!is.finite(x)] <- NA_character_
  claim_parse_strings(s)$decimals
}

# A reported number: numeric (precision from `digits` or inferred) or
# character (precision from the string). Returns list(value, decimals).
claim_value <- function(x, name, digits, strip_percent = FALSE) {
  if (is.factor(x)) x <- as.character(x)
  if (is.logical(x) && all(is.na(x))) x <- as.double(x)
  if (is.character(x)) {
    r <- claim_parse_strings(x, strip_percent)
    if (!all(r$ok)) {
      bad <- which(!r$ok)
      nev_stop("`", name, "` must hold numbers such as \"0.91\"; row",
               if (length(bad) > 1) "s", " ", nev_rows(bad), " ha",
               if (length(bad) > 1) "ve" else "s", " \"", x[bad[1]], "\"")
    }
    return(r[c("value", "decimals")])
  }
  if (!is.numeric(x))
    nev_stop("`", name, "` must be numeric or character (got ",
             class(x)[1], ")")
  x <- as.double(x)
  dec <- if (is.null(digits)) claim_decimals(x) else
    ifelse(is.na(x), NA_real_, as.double(digits))
  list(value = x, decimals = dec)
}

# Error for rows of a check that fail, naming the argument and the first row.
claim_stop_rows <- function(bad, msg, what) {
  idx <- which(bad)
  nev_stop(msg, "; row", if (length(idx) > 1) "s", " ", nev_rows(idx),
           if (length(idx) > 1) " (first: " else " (", what(idx[1]), ")")
}

# claim_stop_rows() when any of `bad`, showing the reported strings.
claim_stop_rows_if <- function(bad, msg, p) {
  if (any(bad))
    claim_stop_rows(bad, msg, function(i) paste0("got \"", p[i], "\""))
}

# p-values below 1e-300 (or printed to more than 300 decimals) are beyond
# what the rounding intervals can represent: say so, naming `p`.
claim_check_tiny_p <- function(p, bad, shown) {
  if (any(bad))
    claim_stop_rows(bad, paste0("`p` below 1e-300 cannot be checked: ",
                                "write it as \"<1e-300\""),
                    function(i) paste0("got ", shown[i]))
}

# Reported p-values: numbers, or strings "0.02", "<0.001", "< .05",
# "p = 0.04", "P<0.0001", ">0.05", "NS". Returns list(low, high, label)
# with NA for rows without a p.
claim_parse_p <- function(p) {
  n <- length(p)
  low <- high <- rep(NA_real_, n)
  label <- rep(NA_character_, n)
  if (is.factor(p)) p <- as.character(p)
  if (is.logical(p) && all(is.na(p))) return(list(low = low, high = high,
                                                  label = label))
  if (is.numeric(p)) {
    p <- as.double(p)
    bad <- !is.na(p) & (!is.finite(p) | p < 0 | p > 1)
    if (any(bad))
      claim_stop_rows(bad, "`p` must lie between 0 and 1",
                      function(i) paste0("p = ", format(p[i])))
    claim_check_tiny_p(p, !is.na(p) & p > 0 & p < 1e-300, format(p))
    has <- !is.na(p)
    dec <- claim_decimals(p)
    zero <- has & p == 0
    if (any(zero)) {
      nev_warn("`p` is 0 in row", if (sum(zero) > 1) "s", " ",
               nev_rows(which(zero)), ": a number keeps no printed digits, ",
               "so it is read as \"0.000\" (p < 0.0005); give `p` as ",
               "printed (e.g. \"0.000\" or \"<0.001\") to say otherwise")
      dec[zero] <- 3
    }
    if (any(has)) {
      box <- .Call(C_claim_round_box, p[has], dec[has], FALSE)
      low[has] <- pmax(box$low, 0)
      high[has] <- pmin(box$high, 1)
      label[has] <- paste0("p = ", claim_shown(p[has]))
    }
    return(list(low = low, high = high, label = label))
  }
  if (!is.character(p))
    nev_stop("`p` must be numeric or character (got ", class(p)[1], ")")
  s <- tolower(trimws(p))
  s <- gsub("\u2264", "<=", s, fixed = TRUE)
  s <- gsub("\u2265", ">=", s, fixed = TRUE)
  s <- gsub("\u2212", "-", s, fixed = TRUE)
  miss <- is.na(s) | s == "" | s == "na"
  s <- sub("^p([ -]?value)?\\s*", "", s)
  ns <- !miss & grepl("^(=\\s*)?(ns|n\\.s\\.?|not significant)$", s)
  re <- "^(<=|>=|=<|=>|<|>|=)?\\s*([0-9.eE+-]+)$"
  m <- !miss & !ns & grepl(re, s)
  op <- ifelse(m, sub(re, "\\1", s), NA_character_)
  num <- claim_parse_strings(ifelse(m, sub(re, "\\2", s), NA_character_))
  bad <- !miss & !ns & (!m | !num$ok | is.na(num$value) |
                          num$value < 0 | num$value > 1)
  if (any(bad))
    claim_stop_rows(bad, paste0("`p` must be a p-value such as \"0.03\", ",
                                "\"<0.001\", \">0.05\" or \"NS\""),
                    function(i) paste0("got \"", p[i], "\""))
  eq <- m & op %in% c("", "=")
  lt <- m & op %in% c("<", "<=", "=<")
  gt <- m & op %in% c(">", ">=", "=>")
  claim_stop_rows_if(lt & num$value <= 0, "`p` cannot be below 0", p)
  claim_stop_rows_if(gt & num$value >= 1, "`p` cannot be above 1", p)
  claim_check_tiny_p(p, eq & (num$value > 0 & num$value < 1e-300 |
                                num$decimals > 300), p)
  if (any(eq)) {
    box <- .Call(C_claim_round_box, num$value[eq], num$decimals[eq], FALSE)
    low[eq] <- pmax(box$low, 0)
    high[eq] <- pmin(box$high, 1)
  }
  low[lt] <- 0
  high[lt] <- num$value[lt]
  low[gt] <- num$value[gt]
  high[gt] <- 1
  low[ns] <- 0.05
  high[ns] <- 1
  numtxt <- sub("^\\s*[<>=]*\\s*", "", ifelse(m, sub(re, "\\2", s), ""))
  label[eq] <- paste0("p = ", numtxt[eq])
  label[lt] <- paste0("p < ", numtxt[lt])
  label[gt] <- paste0("p > ", numtxt[gt])
  label[ns] <- "p = NS (taken as p > 0.05)"
  list(low = low, high = high, label = label)
}

# Formatting for reasons ------------------------------------------------

# Round x down (dir < 0) or up (dir > 0) to d significant digits, after
# dropping the last-bit slack of the rounding intervals (12 digits kept).
# Vectorised over x and d.
claim_signif_dir <- function(x, d, dir) {
  d <- rep_len(d, length(x))
  ok <- is.finite(x) & x != 0
  xs <- signif(x[ok], 12)
  e <- floor(log10(abs(xs))) - d[ok] + 1
  f <- if (dir < 0) floor else ceiling
  x[ok] <- f(round(xs / 10^e, 6)) * 10^e
  x
}

claim_num <- function(x, d) {
  s <- sub("\\.$", "", sprintf("%#.*g", as.integer(rep_len(d, length(x))),
                                 x))
  s[!is.na(x) & x == 0] <- "0"
  s[is.infinite(x)] <- ifelse(x[is.infinite(x)] > 0, "Inf", "-Inf")
  s
}

# "a, b" for the ranges [lo, hi] rounded outward to d significant digits;
# the end facing a disjoint range [olo, ohi] it is compared with gets more
# digits until the two no longer seem to touch. Vectorised.
claim_range <- function(lo, hi, d, sep = ", ", olo = NA, ohi = NA) {
  n <- length(lo)
  d_lo <- d_hi <- rep_len(as.integer(d), n)
  olo <- rep_len(as.double(olo), n)
  ohi <- rep_len(as.double(ohi), n)
  o1 <- claim_signif_dir(olo, 12L, -1)
  o2 <- claim_signif_dir(ohi, 12L, 1)
  for (k in 1:8) {
    up <- !is.na(olo) & hi < olo & d_hi < 10L &
      claim_signif_dir(hi, d_hi, 1) >= o1
    dn <- !is.na(ohi) & ohi < lo & d_lo < 10L &
      claim_signif_dir(lo, d_lo, -1) <= o2
    if (!any(up) && !any(dn)) break
    d_hi[up] <- d_hi[up] + 1L
    d_lo[dn] <- d_lo[dn] + 1L
  }
  paste0(claim_num(claim_signif_dir(lo, d_lo, -1), d_lo), sep,
         claim_num(claim_signif_dir(hi, d_hi, 1), d_hi))
}

# Reported text of a number: the string as given or the number formatted.
claim_shown <- function(x) {
  if (is.character(x)) return(trimws(x))
  ifelse(is.na(x), "NA", sprintf("%.15g", as.double(x)))
}

# The check -------------------------------------------------------------

#' Check a reported ratio, confidence interval and p-value for consistency
#'
#' Recomputes the standard error, z statistic and two-sided p-value implied by
#' a reported estimate and confidence interval, and checks that the interval is
#' symmetric about the estimate on the chosen scale, that the estimate lies in
#' the interval, and that a reported p-value agrees with the interval, all
#' *allowing for the rounding of every printed digit*. Each printed number
#' stands for the interval of values that round to it (`"1.00"` means
#' \[0.995, 1.005\]), so every result is an interval and a claim is only called
#' inconsistent when no combination of values within the rounding intervals
#' makes it consistent: rounding never causes a false alarm.
#'
#' @section Precision of the reported numbers:
#' Give numbers as character strings (`"0.91"`, `"1.00"`) whenever possible:
#' the number of decimal places printed is then taken from the string. A
#' numeric `1.00` is just `1` to R and cannot carry its trailing zeros, so for
#' numeric input the decimals come from `digits` or, when `digits` is `NULL`,
#' from the shortest decimal representation of each number (15 significant
#' digits, trailing zeros dropped: `0.43` has two
#' decimals, `1.00` none, so it is taken to mean \[0.5, 1.5\], which can hide
#' an inconsistency but never creates one; a row whose numeric values have
#' different numbers of decimals gives a warning saying so). A data frame
#' with columns
#' `estimate_low`, `estimate_high`, `lower_low`, `lower_high`, `upper_low`,
#' `upper_high` (as made by [claim_from_percent()]) supplies the rounding
#' intervals directly and they are used as they are; rows where all six are
#' `NA` get theirs from the printed precision as usual. A numeric `p` gets its
#' precision from its shortest representation (`0.03` means \[0.025, 0.035\]);
#' `digits` applies to `estimate`, `lower` and `upper` only.
#'
#' @section What is computed:
#' With \eqn{g = \log}{g = log} (`scale = "log"`, ratios) or the identity
#' (`scale = "linear"`, differences) and \eqn{q = \Phi^{-1}(1 - (1 -
#' level)/2)}{q = qnorm(1 - (1 - level)/2)}:
#' \deqn{SE = (g(upper) - g(lower)) / (2q), \quad z = |g(estimate) -
#' g(null)| / SE, \quad p = 2(1 - \Phi(z)).}{SE = (g(upper) - g(lower)) /
#' (2q), z = |g(estimate) - g(null)| / SE, p = 2(1 - pnorm(z)).}
#' `se`, `z` and `p_implied` use the printed numbers; `se_low`/`se_high`,
#' `z_low`/`z_high` and `p_implied_low`/`p_implied_high` are their exact
#' ranges over all values within the rounding intervals. (SE depends on the
#' limits only and increases with the width; the distance from the null
#' depends on the estimate only; so the extremes lie at the ends of the
#' intervals.) The CI is `symmetric` when some values within the rounding
#' intervals satisfy \eqn{estimate^2 = lower \times upper}{estimate^2 = lower *
#' upper} (log scale) or \eqn{2 \times estimate = lower + upper}{2 * estimate
#' = lower + upper} (linear scale).
#'
#' Reported CIs are sometimes asymmetric on purpose (profile-likelihood or
#' exact intervals). `p_half_low` and `p_half_high` give the range of p when
#' the SE is taken from either half of the CI alone, \eqn{(g(estimate) -
#' g(lower))/q}{(g(estimate) - g(lower))/q} or \eqn{(g(upper) -
#' g(estimate))/q}{(g(upper) - g(estimate))/q}; it is reported for
#' information and quoted in the reason of an asymmetric CI, but the p check
#' uses the full-width SE, the standard back-calculation.
#'
#' @section Verdict rules:
#' Applied in this order:
#' 1. estimate missing, or only one CI limit given: `NA` (with a warning
#'    naming the rows);
#' 2. no CI (both limits missing): `"cannot tell"`, "no CI given";
#' 3. the estimate lies outside the CI even allowing for rounding:
#'    `"inconsistent"`;
#' 4. the CI is not symmetric about the estimate on the chosen scale even
#'    allowing for rounding: `"inconsistent"` (the reason also mentions a
#'    p-value that disagrees);
#' 5. a reported p whose interval does not meet the implied interval
#'    (`p_consistent` is `FALSE`): `"inconsistent"`;
#' 6. otherwise `"consistent"`.
#'
#' A reported p is read as an interval too: `"0.02"` is \[0.015, 0.025\],
#' `"<0.001"` is \[0, 0.001\], `">0.05"` and `"NS"` are \[0.05, 1\]. The
#' implied p assumes a Wald test with a normal reference distribution; a
#' p-value from a t, exact or likelihood-ratio test in a small study can
#' differ more than rounding allows.
#'
#' @section Rounding intervals and bad input:
#' A printed value is taken to lie in the closed interval \[x - h, x + h\]
#' with h half a unit in its last printed decimal (rounding conventions differ
#' at the exact half, so both ends count), widened by a few units in the last
#' bit so that binary floating point never loses a decimal boundary; on the
#' log scale the interval is cut at 0. `lower` not below `upper`, a value that
#' is not positive on the log scale, an infinite value, `level` outside (0, 1)
#' and a malformed or out-of-range `p` are errors naming the argument and the
#' row; rows with a missing estimate or a single missing limit are kept, give
#' `NA` and are named in a warning.
#'
#' @param estimate Reported point estimate(s): numbers or strings such as
#'   `"0.91"`; or, with `lower` and `upper` missing, one statistic quoted as
#'   printed, `"RR 0.83 (0.74-0.94)"`, read by the scanner of [claim_scan()]
#'   (which also gives the scale, the level and a printed p). Alternatively
#'   a data frame with columns `estimate`, `lower`, `upper` and optionally
#'   `p` (or `p_reported`) and `level`.
#' @param lower,upper Reported confidence limits (numbers or strings); `NA`
#'   for both means no CI was given.
#' @param p Reported p-value(s): numbers, or strings such as `"0.02"`,
#'   `"<0.001"`, `"p = 0.04"`, `">0.05"` or `"NS"` (read as p > 0.05). `NA`
#'   when none was reported.
#' @param level Confidence level of the CI, strictly between 0 and 1; may vary
#'   by row.
#' @param digits Number of decimal places printed for numeric `estimate`,
#'   `lower` and `upper` (a single number or one per row); `NULL` infers it
#'   from each number. Ignored for character input.
#' @param scale `"log"` for ratios (RR, OR, HR), `"linear"` for differences
#'   (or ratios whose CI was computed on the ratio scale).
#' @param data Optional data frame in which `estimate`, `lower`, `upper`, `p`
#'   and `level` are looked up (unquoted column names or strings).
#' @param null Value of no effect; `NULL` means 1 on the log scale and 0 on the
#'   linear scale.
#' @return A data frame of class `nev_claim` with one row per claim: the
#'   inputs as given (`estimate`, `lower`, `upper`, `p_reported`, `level`,
#'   `scale`), the rounding intervals (`estimate_low`, ..., `upper_high`),
#'   `se`, `se_low`, `se_high`, `z`, `z_low`, `z_high`, `p_implied`,
#'   `p_implied_low`, `p_implied_high`, `p_half_low`, `p_half_high`, the
#'   interval read from the reported p (`p_reported_low`, `p_reported_high`),
#'   `symmetric`, `inside` (the estimate can lie within the CI),
#'   `p_consistent` (`NA` when no p was given), `verdict` and `reason`.
#'   With `data`, its other columns (ids, sources, ...) and row names are
#'   kept in front of these.
#' @family claim checking
#' @export
#' @examples
#' # Rotterdam Study: RR 0.43 (0.24-0.77)
#' claim_check("0.43", "0.24", "0.77")
#' # HR 0.91 (0.85-1.00): not symmetric on the log scale, even with rounding
#' claim_check("0.91", "0.85", "1.00")
#' # OR 1.10 (0.95-1.27) cannot go with p = 0.03
#' claim_check("1.10", "0.95", "1.27", p = "0.03")
#' # one statistic quoted as printed
#' claim_check("RR 0.83 (95% CI 0.74-0.94), p = 0.002")
#' # several claims at once, from a data frame
#' claims <- data.frame(estimate = c("0.45", "1.42"), lower = c("0.07", "1.18"),
#'                      upper = c("0.83", "1.71"), p = c("0.02", NA))
#' res <- claim_check(claims)
#' res[, c("p_implied_low", "p_implied_high", "symmetric", "verdict")]
#' claim_check(claims, scale = "linear")$verdict
claim_check <- function(estimate, lower, upper, p = NA, level = 0.95,
                        digits = NULL, scale = c("log", "linear"),
                        data = NULL, null = NULL) {
  if (!missing(estimate) && missing(lower) && missing(upper) &&
      is.null(data) && is.character(estimate) && length(estimate) == 1L)
    return(claim_check_string(estimate, if (!missing(p)) p,
                              if (!missing(level)) level,
                              if (!missing(scale)) scale, null))
  scale <- nev_match_arg(scale)
  log_scale <- scale == "log"
  est_is_data <- FALSE
  if (is.null(data) && !missing(estimate) && is.data.frame(estimate)) {
    data <- estimate
    est_is_data <- TRUE
  }
  if (!is.null(data) && !is.data.frame(data))
    nev_stop("`data` must be a data frame (got ", class(data)[1], ")")
  exprs <- list(
    estimate = if (!missing(estimate) && !est_is_data) substitute(estimate),
    lower = if (!missing(lower)) substitute(lower),
    upper = if (!missing(upper)) substitute(upper),
    p = if (!missing(p)) substitute(p),
    level = if (!missing(level)) substitute(level)
  )
  args <- claim_inputs(exprs, data, parent.frame())
  use_box <- attr(args, "use_box")
  args$null <- claim_null(null, log_scale)
  claim_check_digits(digits)
  if (!is.null(digits)) args$digits <- digits
  args <- nev_recycle(args)
  n <- length(args$estimate)
  lev <- claim_levels(args$level)
  vals <- claim_values(args, log_scale)

  na_row <- is.na(vals$estimate$value) |
    xor(is.na(vals$lower$value), is.na(vals$upper$value))
  no_ci <- !na_row & is.na(vals$lower$value) & is.na(vals$upper$value)
  if (any(na_row))
    nev_warn(sum(na_row), " row", if (sum(na_row) > 1) "s have" else " has",
             " a missing estimate or CI limit and give",
             if (sum(na_row) == 1) "s", " NA: row",
             if (sum(na_row) > 1) "s", " ", nev_rows(which(na_row)))
  ok <- !na_row & !no_ci
  if (is.null(args$digits) && !use_box) claim_warn_dropped_zeros(args, vals, ok)

  box <- claim_box(vals, args, use_box, ok, log_scale)
  res <- as.data.frame(.Call(C_claim_bounds, box, lev, as.double(args$null),
                             log_scale))
  res[!ok, ] <- NA_real_

  pp <- claim_parse_p(args$p)
  has_p <- !is.na(pp$low)
  p_cons <- ifelse(ok & has_p, pp$low <= res$p_implied_high &
                     res$p_implied_low <= pp$high, NA)
  symmetric <- ifelse(ok, res$symmetric == 1, NA)
  inside <- ifelse(ok, res$inside == 1, NA)
  vr <- claim_verdicts(res, pp, args, ok, no_ci, inside, symmetric, p_cons,
                       scale)

  out <- data.frame(
    estimate = args$estimate, lower = args$lower, upper = args$upper,
    p_reported = args$p, level = lev, scale = rep(scale, n),
    box[claim_boxcols],
    res[c("se", "se_low", "se_high", "z", "z_low", "z_high", "p_implied",
          "p_implied_low", "p_implied_high", "p_half_low", "p_half_high")],
    p_reported_low = pp$low, p_reported_high = pp$high,
    symmetric = symmetric, inside = inside, p_consistent = p_cons,
    verdict = vr$verdict, reason = vr$reason,
    stringsAsFactors = FALSE
  )
  out <- claim_keep_columns(out, data)
  class(out) <- c("nev_claim", "data.frame")
  out
}

# The user's other columns of `data` (ids, sources, notes) travel in front
# of the result, as effect_*() and metafor::escalc() keep them; the
# columns read as inputs are in the result already.
claim_keep_columns <- function(out, data) {
  if (!is.data.frame(data) || nrow(data) != nrow(out)) return(out)
  keep <- setdiff(names(data), c(names(out), "p", "level", "digits"))
  if (!length(keep)) return(out)
  res <- cbind(as.data.frame(data, stringsAsFactors = FALSE)[keep], out)
  if (.row_names_info(data) > 0L) row.names(res) <- row.names(data)
  res
}

claim_boxcols <- c("estimate_low", "estimate_high", "lower_low",
                   "lower_high", "upper_low", "upper_high")

# Collect the arguments of claim_check(): `exprs` holds the captured
# expressions (NULL for a missing argument, which is then looked up by its
# own name in `data`). Attribute use_box: the rounding-interval columns of
# `data` apply.
claim_inputs <- function(exprs, data, env) {
  col <- function(name) {
    if (!is.null(data) && name %in% names(data)) data[[name]] else NULL
  }
  get <- function(name, default = NULL, alt = NULL) {
    if (!is.null(exprs[[name]]))
      return(nev_arg(exprs[[name]], data, env, name))
    v <- col(name) %||% (if (!is.null(alt)) col(alt)) %||% default
    if (is.null(v)) nev_stop("`", name, "` is missing, with no default")
    v
  }
  args <- list(estimate = get("estimate"), lower = get("lower"),
               upper = get("upper"), p = get("p", NA, "p_reported"),
               level = get("level", 0.95))
  if (any(lengths(args[c("estimate", "lower", "upper")]) == 0L))
    nev_stop("`estimate`, `lower` and `upper` must not be empty")
  if (!is.numeric(args$level))
    nev_stop("`level` must be numeric (got ", class(args$level)[1], ")")
  if (is.factor(args$p)) args$p <- as.character(args$p)
  use_box <- !is.null(data) && all(claim_boxcols %in% names(data)) &&
    is.null(exprs$estimate) && is.null(exprs$lower) && is.null(exprs$upper)
  if (use_box) args <- c(args, as.list(data[claim_boxcols]))
  attr(args, "use_box") <- use_box
  args
}

claim_null <- function(null, log_scale) {
  if (is.null(null)) return(if (log_scale) 1 else 0)
  if (!is.numeric(null) || anyNA(null) || any(!is.finite(null)) ||
      (log_scale && any(null <= 0)))
    nev_stop("`null` must be a finite number",
             if (log_scale) " above 0 on the log scale", " (got ",
             paste(format(null), collapse = ", "), ")")
  as.double(null)
}

claim_check_digits <- function(digits) {
  if (is.null(digits)) return(invisible(NULL))
  if (!is.numeric(digits) || anyNA(digits) || any(digits != round(digits)) ||
      any(digits < 0 | digits > 15))
    nev_stop("`digits` must be whole numbers from 0 to 15 (got ",
             paste(format(digits), collapse = ", "), ")")
  invisible(NULL)
}

claim_levels <- function(level) {
  lev <- as.double(level)
  bad <- is.na(lev) | lev <= 0 | lev >= 1
  if (any(bad))
    claim_stop_rows(bad, "`level` must be strictly between 0 and 1",
                    function(i) {
                      paste0("level = ", format(lev[i]),
                             if (!is.na(lev[i]) && lev[i] > 1)
                               ", use 0.95 for 95%")
                    })
  lev
}

# Parse and validate estimate, lower and upper.
claim_values <- function(args, log_scale) {
  vals <- lapply(c(estimate = "estimate", lower = "lower", upper = "upper"),
                 function(nm) claim_value(args[[nm]], nm, args$digits))
  for (nm in names(vals)) {
    v <- vals[[nm]]$value
    if (any(is.infinite(v)))
      claim_stop_rows(is.infinite(v), paste0("`", nm, "` must be finite"),
                      function(i) paste0(nm, " = ", v[i]))
    if (log_scale && any(!is.na(v) & v <= 0))
      claim_stop_rows(!is.na(v) & v <= 0,
                      paste0("`", nm, "` must be positive on the log scale ",
                             "(use scale = \"linear\" for differences)"),
                      function(i) paste0(nm, " = ", v[i]))
  }
  lo <- vals$lower$value
  up <- vals$upper$value
  bad <- !is.na(lo) & !is.na(up) & lo >= up
  if (any(bad))
    claim_stop_rows(bad, "`lower` must be below `upper`", function(i) {
      paste0("lower = ", claim_shown(args$lower[i]), ", upper = ",
             claim_shown(args$upper[i]))
    })
  vals
}

# A numeric 1.00 is 1 to R: when a number of a row has fewer inferred
# decimals than another of the same row, its trailing zeros were probably
# dropped and its rounding interval is much wider than printed. The check
# stays conservative; the warning says how to check at the printed precision.
claim_warn_dropped_zeros <- function(args, vals, ok) {
  nms <- c("estimate", "lower", "upper")
  num <- vapply(nms, function(nm) is.numeric(args[[nm]]), logical(1))
  if (!any(num)) return(invisible(NULL))
  dec <- vapply(nms, function(nm) vals[[nm]]$decimals, numeric(length(ok)))
  dec <- matrix(dec, ncol = 3L)
  hi <- apply(dec, 1L, function(d) {
    if (all(is.na(d))) NA else max(d, na.rm = TRUE)
  })
  short <- dec < hi & matrix(num, nrow(dec), 3L, byrow = TRUE) & ok
  short[is.na(short)] <- FALSE
  if (!any(short)) return(invisible(NULL))
  i <- which(rowSums(short) > 0)
  r <- i[1]
  j <- which(short[r, ])[1]
  v <- vals[[nms[j]]]$value[r]
  nev_warn("numeric `", nms[j], "` = ", format(v), " in row ", r,
           " has fewer decimals than the other numbers of its row (a numeric ",
           "1.00 is just 1), so it is read as +/-",
           format(0.5 * 10^-dec[r, j]),
           " and the check is weaker than the printed numbers allow; give ",
           "them as strings (\"", formatC(v, format = "f", digits = hi[r]),
           "\") or set `digits`",
           if (length(i) > 1) paste0(" (rows ", nev_rows(i), ")"))
}

# The rounding box, a data frame with the printed values (`estimate`,
# `lower`, `upper`) and their intervals (claim_boxcols): supplied intervals
# where given, else from the printed precision; rows not checked are NA.
claim_box <- function(vals, args, use_box, ok, log_scale) {
  n <- length(ok)
  box <- data.frame(estimate = vals$estimate$value)
  for (nm in claim_parts) {
    box[[nm]] <- vals[[nm]]$value
    box[paste0(nm, c("_low", "_high"))] <- NA_real_
  }
  given <- rep(FALSE, n)
  if (use_box) {
    box[claim_boxcols] <- lapply(claim_boxcols, function(bc) {
      v <- args[[bc]]
      if (is.logical(v) && all(is.na(v))) v <- as.double(v)
      if (!is.numeric(v))
        nev_stop("`", bc, "` must be numeric (got ", class(v)[1], ")")
      as.double(v)
    })
    given <- rowSums(!is.na(box[claim_boxcols])) > 0
    for (nm in claim_parts) claim_check_box(box, nm, ok & given, log_scale)
  }
  infer <- ok & !given
  for (nm in claim_parts) {
    v <- vals[[nm]]
    b <- .Call(C_claim_round_box, ifelse(infer, v$value, NA_real_),
               ifelse(infer, v$decimals, NA_real_), log_scale)
    box[[paste0(nm, "_low")]][infer] <- b$low[infer]
    box[[paste0(nm, "_high")]][infer] <- b$high[infer]
  }
  box[!ok, ] <- NA_real_
  box[c("estimate", "estimate_low", "estimate_high", "lower", "lower_low",
        "lower_high", "upper", "upper_low", "upper_high")]
}

claim_parts <- c("estimate", "lower", "upper")

# Supplied intervals must enclose the printed value.
claim_check_box <- function(box, nm, rows, log_scale) {
  v <- box[[nm]]
  lo <- box[[paste0(nm, "_low")]]
  hi <- box[[paste0(nm, "_high")]]
  bad <- rows & (is.na(lo) | is.na(hi) | lo > v | v > hi |
                   (log_scale & lo < 0))
  if (any(bad))
    claim_stop_rows(bad, paste0("`", nm, "_low` and `", nm, "_high` ",
                                "must enclose `", nm, "`"),
                    function(i) paste0(nm, " = ", v[i], " in [", lo[i],
                                       ", ", hi[i], "]"))
}

# Verdicts and one-sentence reasons, by the documented rules.
claim_verdicts <- function(res, pp, args, ok, no_ci, inside, symmetric,
                           p_cons, scale) {
  n <- length(ok)
  has_p <- !is.na(pp$low)
  lab <- pp$label
  verdict <- rep(NA_character_, n)
  reason <- rep("estimate or one CI limit missing", n)
  verdict[no_ci] <- "cannot tell"
  reason[no_ci] <- ifelse(has_p[no_ci],
                          paste0("no CI given, so ", lab[no_ci],
                                 " cannot be checked"),
                          "no CI given")
  p_bad <- ok & has_p & p_cons %in% FALSE
  p_txt <- rep("", n)
  p_txt[p_bad] <- paste0("the CI implies p between ",
                         claim_range(res$p_implied_low[p_bad],
                                     res$p_implied_high[p_bad], 2L,
                                     " and ", pp$low[p_bad],
                                     pp$high[p_bad]),
                         " but ", lab[p_bad], " was reported")
  outside <- ok & inside %in% FALSE
  asym <- ok & !outside & symmetric %in% FALSE
  p_only <- ok & !outside & !asym & p_bad
  cons <- ok & !outside & !asym & !p_bad
  verdict[outside | asym | p_only] <- "inconsistent"
  verdict[cons] <- "consistent"
  reason[outside] <- paste0("the estimate ",
                            claim_shown(args$estimate[outside]),
                            " lies outside its CI ",
                            claim_shown(args$lower[outside]), " to ",
                            claim_shown(args$upper[outside]),
                            " even allowing for rounding")
  if (any(asym)) {
    lhs <- if (scale == "log") c("est^2", "lower*upper") else
      c("2*est", "lower+upper")
    a <- res[asym, , drop = FALSE]
    reason[asym] <- paste0(
      "the CI is not symmetric about the estimate on the ", scale,
      " scale even allowing for rounding: ", lhs[1], " in [",
      claim_range(a$sym_a_low, a$sym_a_high, 3L, ", ", a$sym_b_low,
                  a$sym_b_high), "] but ",
      lhs[2], " in [", claim_range(a$sym_b_low, a$sym_b_high, 3L, ", ",
                                   a$sym_a_low, a$sym_a_high), "]",
      ifelse(p_bad[asym], paste0("; also ", p_txt[asym]),
             paste0("; with the SE from either half of the CI, p would ",
                    "lie between ", claim_range(a$p_half_low, a$p_half_high,
                                                2L, " and "))))
  }
  reason[p_only] <- p_txt[p_only]
  reason[cons] <- paste0("the CI is symmetric about the estimate on the ",
                         scale, " scale allowing for rounding and implies ",
                         "p between ", claim_range(res$p_implied_low[cons],
                                                   res$p_implied_high[cons], 2L,
                                                   " and "),
                         ifelse(has_p[cons],
                                paste0(", in line with the reported ",
                                       lab[cons]), " (no p reported)"))
  list(verdict = verdict, reason = reason)
}

#' @export
print.nev_claim <- function(x, n = 20L, ...) {
  if (!is.numeric(n) || length(n) != 1L || is.na(n) || n < 1)
    nev_stop("`n` must be a number of rows >= 1 (got ",
             paste(format(n), collapse = ", "), ")")
  n_show <- n
  need <- c("estimate", "lower", "upper", "p_reported", "scale",
            "p_implied_low", "p_implied_high", "symmetric", "verdict",
            "reason")
  if (!all(need %in% names(x))) {
    print(as.data.frame(unclass(x), stringsAsFactors = FALSE), ...)
    return(invisible(x))
  }
  n <- nrow(x)
  sc <- if (n) x$scale[1] else "log"
  v <- x$verdict
  tally <- table(factor(ifelse(is.na(v), "NA", v),
                        levels = c("consistent", "inconsistent",
                                   "cannot tell", "NA")))
  tally <- tally[tally > 0]
  cat("<nev_claim> ", n, " claim", if (n != 1) "s", " checked on the ", sc,
      " scale, allowing for rounding: ",
      paste(tally, names(tally), collapse = ", "), "\n", sep = "")
  if (!n) return(invisible(x))
  lab <- claim_parse_p(x$p_reported)$label
  claim <- ifelse(is.na(x$lower) & is.na(x$upper),
                  paste0(claim_shown(x$estimate), " (no CI)"),
                  paste0(claim_shown(x$estimate), " (", claim_shown(x$lower),
                         " to ", claim_shown(x$upper), ")"))
  pimp <- ifelse(is.na(x$p_implied_low) | is.na(x$p_implied_high), "-",
                 claim_range(x$p_implied_low, x$p_implied_high, 2L, " to "))
  tab <- data.frame(claim = claim,
                    p = ifelse(is.na(lab), "-", sub("^p (= )?", "", lab)),
                    `p implied` = pimp,
                    symmetric = ifelse(is.na(x$symmetric), "-",
                                       ifelse(x$symmetric, "yes", "no")),
                    verdict = ifelse(is.na(v), "NA", v),
                    check.names = FALSE, stringsAsFactors = FALSE)
  m <- min(n, n_show)
  print(tab[seq_len(m), , drop = FALSE], right = FALSE)
  cat("Reasons:\n")
  w <- max(20L, getOption("width") - 6L)
  for (i in seq_len(m))
    cat(paste0(formatC(rownames(x)[i], width = 3), ": ",
               paste(strwrap(x$reason[i], width = w, exdent = 5L),
                     collapse = "\n")), "\n", sep = "")
  if (n > m)
    cat("# ... ", n - m, " more claim", if (n - m != 1L) "s",
        "; print(x, n = Inf) shows all\n", sep = "")
  invisible(x)
}

#' Convert a reported percent change into a ratio claim
#'
#' Turns "34% lower (95% CI 25-43%)" into the ratio 0.66 (0.57-0.75) together
#' with the exact rounding intervals of the converted numbers, in a form
#' [claim_check()] accepts. A percent printed as 34 lies in \[33.5, 34.5\], so
#' the ratio lies in \[0.655, 0.665\]; for a reduction the CI limits swap (the
#' lower ratio limit is 1 - 0.43). The rounding intervals are carried in the
#' columns `estimate_low`, ..., `upper_high`, which [claim_check()] uses
#' instead of inferring the precision from the converted ratios.
#'
#' @param percent Reported percent change(s), numbers or strings (a trailing
#'   `%` is allowed), as printed: `34` for "34% lower".
#' @param lower,upper The reported CI of the percent, as printed (`25` and
#'   `43` for "95% CI 25-43%").
#' @param direction `"reduction"` (ratio = 1 - percent/100) or `"increase"`
#'   (ratio = 1 + percent/100).
#' @param p Reported p-value(s) to carry along for [claim_check()] (see
#'   there); `NULL` for none.
#' @param ... Further named columns to carry along, such as `level` for
#'   [claim_check()], or a label.
#' @param digits Decimal places printed for numeric input; `NULL` infers them
#'   (see [claim_check()]). Ignored for strings.
#' @param data Optional data frame in which `percent`, `lower` and `upper` are
#'   looked up.
#' @return A data frame with `estimate`, `lower`, `upper` (the ratio and its
#'   CI), their rounding intervals `estimate_low`, `estimate_high`,
#'   `lower_low`, `lower_high`, `upper_low`, `upper_high`, the percent as given
#'   (`percent`, `percent_lower`, `percent_upper`), `direction` and the
#'   columns passed in `...`.
#' @family claim checking
#' @export
#' @examples
#' # "34% reduction (95% CI 25-43%), p<0.001"
#' r <- claim_from_percent("34", "25", "43", p = "<0.001")
#' r[, c("estimate", "lower", "upper", "estimate_low", "estimate_high")]
#' claim_check(r)
#' # "42% higher risk (95% CI 18-71%)"
#' claim_check(claim_from_percent(42, 18, 71, direction = "increase"))
claim_from_percent <- function(percent, lower, upper,
                               direction = c("reduction", "increase"),
                               p = NULL, ..., digits = NULL, data = NULL) {
  direction <- nev_match_arg(direction)
  env <- parent.frame()
  if (!is.null(data) && !is.data.frame(data))
    nev_stop("`data` must be a data frame (got ", class(data)[1], ")")
  pc_in <- nev_arg(substitute(percent), data, env, "percent")
  lo_in <- nev_arg(substitute(lower), data, env, "lower")
  up_in <- nev_arg(substitute(upper), data, env, "upper")
  extra <- list(...)
  if (length(extra) && (is.null(names(extra)) || any(!nzchar(names(extra)))))
    nev_stop("arguments in `...` must be named (e.g. level = 0.9)")
  if (!is.null(p)) extra <- c(list(p = p), extra)
  claim_check_digits(digits)
  args <- list(percent = pc_in, lower = lo_in, upper = up_in)
  if (!is.null(digits)) args$digits <- digits
  if (any(lengths(args) == 0L))
    nev_stop("`percent`, `lower` and `upper` must not be empty")
  args <- nev_recycle(c(args, extra))
  n <- length(args$percent)
  pv <- claim_value(args$percent, "percent", args$digits, TRUE)
  lv <- claim_value(args$lower, "lower", args$digits, TRUE)
  uv <- claim_value(args$upper, "upper", args$digits, TRUE)
  for (nm in c("percent", "lower", "upper")) {
    v <- list(percent = pv, lower = lv, upper = uv)[[nm]]$value
    if (any(is.infinite(v)))
      claim_stop_rows(is.infinite(v), paste0("`", nm, "` must be finite"),
                      function(i) paste0(nm, " = ", v[i]))
  }
  badci <- !is.na(lv$value) & !is.na(uv$value) & lv$value >= uv$value
  if (any(badci))
    claim_stop_rows(badci, "`lower` must be below `upper`", function(i) {
      paste0("lower = ", claim_shown(args$lower[i]), ", upper = ",
             claim_shown(args$upper[i]))
    })
  sgn <- if (direction == "reduction") -1 else 1
  ratio <- function(v) 1 + sgn * v / 100
  check_pos <- function(v, nm) {
    bad <- !is.na(v) & ratio(v) <= 0
    if (any(bad))
      claim_stop_rows(bad, paste0("`", nm, "` gives a ratio of 0 or below ",
                                  "(a ", direction, " of 100% or more)"),
                      function(i) paste0(nm, " = ", v[i]))
  }
  check_pos(pv$value, "percent")
  check_pos(lv$value, "lower")
  check_pos(uv$value, "upper")
  # 0.34 for "34%" is the usual slip: all three below 1 in absolute value
  has_pct <- function(x) is.character(x) & grepl("%", x, fixed = TRUE)
  small <- abs(pv$value) < 1 & abs(lv$value) < 1 & abs(uv$value) < 1 &
    pv$value != 0 & !has_pct(args$percent)
  small[is.na(small)] <- FALSE
  if (any(small)) {
    i <- which(small)[1]
    nev_warn("`percent`, `lower` and `upper` are percentages (34 for 34%), ",
             "but row", if (sum(small) > 1) "s", " ", nev_rows(which(small)),
             " look", if (sum(small) == 1) "s", " like proportions: percent = ",
             pv$value[i], " is read as ", pv$value[i], "% (ratio ",
             format(ratio(pv$value[i])), "); multiply by 100 if ",
             pv$value[i] * 100, "% was meant")
  }
  boxes <- lapply(list(pv, lv, uv), function(v) {
    .Call(C_claim_round_box, v$value, v$decimals, FALSE)
  })
  # ratio of each box, ordered; a reduction swaps the ends and the limits
  rbox <- lapply(boxes, function(b) {
    lo <- ratio(b$low)
    hi <- ratio(b$high)
    list(low = pmax(pmin(lo, hi), 0), high = pmax(lo, hi))
  })
  rnd <- function(v, d) ifelse(is.na(v), NA_real_, round(ratio(v), d + 2))
  est <- rnd(pv$value, pv$decimals)
  lo <- rnd(lv$value, lv$decimals)
  up <- rnd(uv$value, uv$decimals)
  if (direction == "reduction") {
    lims <- list(lower = up, upper = lo, lbox = rbox[[3]], ubox = rbox[[2]])
  } else {
    lims <- list(lower = lo, upper = up, lbox = rbox[[2]], ubox = rbox[[3]])
  }
  out <- data.frame(
    estimate = est, lower = lims$lower, upper = lims$upper,
    estimate_low = rbox[[1]]$low, estimate_high = rbox[[1]]$high,
    lower_low = lims$lbox$low, lower_high = lims$lbox$high,
    upper_low = lims$ubox$low, upper_high = lims$ubox$high,
    percent = args$percent, percent_lower = args$lower,
    percent_upper = args$upper, direction = rep(direction, n),
    stringsAsFactors = FALSE
  )
  for (nm in names(extra)) out[[nm]] <- args[[nm]]
  out
}
