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
  vapply(x, function(v) {
    if (is.na(v) || !is.finite(v)) return(NA_real_)
    s <- format(v, digits = 15, scientific = FALSE, trim = TRUE)
    if (!grepl(".", s, fixed = TRUE)) return(0)
    as.numeric(nchar(sub("0+$", "", sub("^[^.]*\\.", "", s))))
  }, numeric(1), USE.NAMES = FALSE)
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
    has <- !is.na(p)
    if (any(has)) {
      box <- .Call(C_claim_round_box, p[has], claim_decimals(p[has]), FALSE)
      low[has] <- pmax(box[, 1], 0)
      high[has] <- pmin(box[, 2], 1)
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
  if (any(eq)) {
    box <- .Call(C_claim_round_box, num$value[eq], num$decimals[eq], FALSE)
    low[eq] <- pmax(box[, 1], 0)
    high[eq] <- pmin(box[, 2], 1)
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
claim_signif_dir <- function(x, d, dir) {
  if (!is.finite(x) || x == 0) return(x)
  x <- signif(x, 12)
  e <- floor(log10(abs(x))) - d + 1
  f <- if (dir < 0) floor else ceiling
  f(round(x / 10^e, 6)) * 10^e
}

claim_num <- function(x, d) {
  if (is.infinite(x)) return(if (x > 0) "Inf" else "-Inf")
  if (x == 0) return("0")
  s <- sprintf("%#.*g", d, x)
  sub("\\.$", "", s)
}

# "a, b" for the range [lo, hi] rounded outward to d significant digits; the
# end facing a disjoint range [olo, ohi] it is compared with gets more
# digits until the two no longer seem to touch.
claim_range <- function(lo, hi, d, sep = ", ", olo = NA, ohi = NA) {
  d_lo <- d_hi <- d
  if (!is.na(olo) && hi < olo) {
    o <- claim_signif_dir(olo, 12L, -1)
    while (d_hi < 10L && claim_signif_dir(hi, d_hi, 1) >= o) d_hi <- d_hi + 1L
  }
  if (!is.na(ohi) && ohi < lo) {
    o <- claim_signif_dir(ohi, 12L, 1)
    while (d_lo < 10L && claim_signif_dir(lo, d_lo, -1) <= o) d_lo <- d_lo + 1L
  }
  paste0(claim_num(claim_signif_dir(lo, d_lo, -1), d_lo), sep,
         claim_num(claim_signif_dir(hi, d_hi, 1), d_hi))
}

# Reported text of a number: the string as given or the number formatted.
claim_shown <- function(x) {
  if (is.character(x)) return(trimws(x))
  vapply(x, function(v) if (is.na(v)) "NA" else
    format(v, digits = 15, trim = TRUE), "", USE.NAMES = FALSE)
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
#' from the shortest decimal representation of each number (`0.43` has two
#' decimals, `1.00` none, so it is taken to mean \[0.5, 1.5\], which can hide
#' an inconsistency but never creates one). A data frame with columns
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
#' @param estimate Reported point estimate(s): numbers or strings such as
#'   `"0.91"`. Alternatively a data frame with columns `estimate`, `lower`,
#'   `upper` and optionally `p` (or `p_reported`) and `level`.
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
#' @family claim checking
#' @export
#' @examples
#' # Rotterdam Study: RR 0.43 (0.24-0.77)
#' claim_check("0.43", "0.24", "0.77")
#' # HR 0.91 (0.85-1.00): not symmetric on the log scale, even with rounding
#' claim_check("0.91", "0.85", "1.00")
#' # OR 1.10 (0.95-1.27) cannot go with p = 0.03
#' claim_check("1.10", "0.95", "1.27", p = "0.03")
#' # several claims at once, from a data frame
#' claims <- data.frame(estimate = c("0.45", "1.42"), lower = c("0.07", "1.18"),
#'                      upper = c("0.83", "1.71"), p = c("0.02", NA))
#' res <- claim_check(claims)
#' res[, c("p_implied_low", "p_implied_high", "symmetric", "verdict")]
#' claim_check(claims, scale = "linear")$verdict
claim_check <- function(estimate, lower, upper, p = NA, level = 0.95,
                        digits = NULL, scale = c("log", "linear"),
                        data = NULL, null = NULL) {
  scale <- match.arg(scale)
  log_scale <- scale == "log"
  env <- parent.frame()
  est_is_data <- FALSE
  if (is.null(data) && !missing(estimate) && is.data.frame(estimate)) {
    data <- estimate
    est_is_data <- TRUE
  }
  if (!is.null(data) && !is.data.frame(data))
    nev_stop("`data` must be a data frame (got ", class(data)[1], ")")
  from_data <- function(name, miss) miss && !is.null(data) &&
    name %in% names(data)
  # estimate, lower, upper
  miss_e <- missing(estimate) || est_is_data
  e_in <- if (from_data("estimate", miss_e)) data[["estimate"]] else if
    (miss_e) nev_stop("`estimate` is missing, with no default") else
      nev_arg(substitute(estimate), data, env, "estimate")
  l_in <- if (from_data("lower", missing(lower))) data[["lower"]] else
    nev_arg(substitute(lower), data, env, "lower")
  u_in <- if (from_data("upper", missing(upper))) data[["upper"]] else
    nev_arg(substitute(upper), data, env, "upper")
  p_in <- if (from_data("p", missing(p))) data[["p"]] else if
    (from_data("p_reported", missing(p))) data[["p_reported"]] else if
      (missing(p)) NA else nev_arg(substitute(p), data, env, "p")
  lev <- if (from_data("level", missing(level))) data[["level"]] else
    if (missing(level)) 0.95 else nev_arg(substitute(level), data, env,
                                          "level")
  boxcols <- c("estimate_low", "estimate_high", "lower_low", "lower_high",
               "upper_low", "upper_high")
  use_box <- !is.null(data) && all(boxcols %in% names(data)) &&
    from_data("estimate", miss_e) && from_data("lower", missing(lower)) &&
    from_data("upper", missing(upper))

  if (is.null(null)) null <- if (log_scale) 1 else 0
  if (!is.numeric(null) || anyNA(null) || any(!is.finite(null)) ||
      (log_scale && any(null <= 0)))
    nev_stop("`null` must be a finite number", if (log_scale)
      " above 0 on the log scale", " (got ", paste(format(null),
                                                  collapse = ", "), ")")
  if (!is.null(digits)) {
    if (!is.numeric(digits) || anyNA(digits) || any(digits != round(digits))
        || any(digits < 0 | digits > 15))
      nev_stop("`digits` must be whole numbers from 0 to 15 (got ",
               paste(format(digits), collapse = ", "), ")")
  }
  if (!is.numeric(lev))
    nev_stop("`level` must be numeric (got ", class(lev)[1], ")")
  if (is.factor(p_in)) p_in <- as.character(p_in)
  args <- list(estimate = e_in, lower = l_in, upper = u_in, p = p_in,
               level = lev, null = null)
  if (!is.null(digits)) args$digits <- digits
  if (use_box) args <- c(args, as.list(data[boxcols]))
  if (any(lengths(args[c("estimate", "lower", "upper")]) == 0L))
    nev_stop("`estimate`, `lower` and `upper` must not be empty")
  args <- nev_recycle(args)
  n <- length(args$estimate)
  lev <- as.double(args$level)
  badlev <- is.na(lev) | lev <= 0 | lev >= 1
  if (any(badlev))
    claim_stop_rows(badlev, "`level` must be strictly between 0 and 1",
                    function(i) paste0("level = ", format(lev[i]),
                                       if (!is.na(lev[i]) && lev[i] > 1)
                                         ", use 0.95 for 95%"))

  ev <- claim_value(args$estimate, "estimate", args$digits)
  lv <- claim_value(args$lower, "lower", args$digits)
  uv <- claim_value(args$upper, "upper", args$digits)
  vals <- list(estimate = ev$value, lower = lv$value, upper = uv$value)
  for (nm in names(vals)) {
    v <- vals[[nm]]
    if (any(is.infinite(v)))
      claim_stop_rows(is.infinite(v), paste0("`", nm, "` must be finite"),
                      function(i) paste0(nm, " = ", v[i]))
    if (log_scale && any(!is.na(v) & v <= 0))
      claim_stop_rows(!is.na(v) & v <= 0,
                      paste0("`", nm, "` must be positive on the log scale ",
                             "(use scale = \"linear\" for differences)"),
                      function(i) paste0(nm, " = ", v[i]))
  }
  badci <- !is.na(lv$value) & !is.na(uv$value) & lv$value >= uv$value
  if (any(badci))
    claim_stop_rows(badci, "`lower` must be below `upper`", function(i)
      paste0("lower = ", claim_shown(args$lower[i]), ", upper = ",
             claim_shown(args$upper[i])))

  na_row <- is.na(ev$value) | xor(is.na(lv$value), is.na(uv$value))
  no_ci <- !na_row & is.na(lv$value) & is.na(uv$value)
  if (any(na_row))
    nev_warn(sum(na_row), " row", if (sum(na_row) > 1) "s have" else " has",
             " a missing estimate or CI limit and give", if (sum(na_row) == 1)
               "s", " NA: row", if (sum(na_row) > 1) "s", " ",
             nev_rows(which(na_row)))
  ok <- !na_row & !no_ci

  # rounding boxes
  box <- matrix(NA_real_, n, 9L)
  box[, c(1, 4, 7)] <- cbind(ev$value, lv$value, uv$value)
  # rows whose rounding intervals are not supplied get them from the
  # printed precision
  given <- rep(FALSE, n)
  if (use_box) {
    for (k in seq_along(boxcols)) {
      bc <- args[[boxcols[k]]]
      if (is.logical(bc) && all(is.na(bc))) bc <- as.double(bc)
      if (!is.numeric(bc))
        nev_stop("`", boxcols[k], "` must be numeric (got ", class(bc)[1],
                 ")")
      box[, c(2, 3, 5, 6, 8, 9)[k]] <- as.double(bc)
    }
    given <- rowSums(!is.na(box[, c(2, 3, 5, 6, 8, 9), drop = FALSE])) > 0
    for (j in c(1, 4, 7)) {
      bad <- ok & given & (is.na(box[, j + 1]) | is.na(box[, j + 2]) |
                             box[, j + 1] > box[, j] |
                             box[, j] > box[, j + 2] |
                             (log_scale & box[, j + 1] < 0))
      if (any(bad)) {
        nm <- c("estimate", "lower", "upper")[(j + 2) / 3]
        claim_stop_rows(bad, paste0("`", nm, "_low` and `", nm, "_high` ",
                                    "must enclose `", nm, "`"),
                        function(i) paste0(nm, " = ", box[i, j], " in [",
                                           box[i, j + 1], ", ",
                                           box[i, j + 2], "]"))
      }
    }
  }
  vv <- list(ev, lv, uv)
  infer <- ok & !given
  for (k in 1:3) {
    x <- ifelse(infer, vv[[k]]$value, NA_real_)
    d <- ifelse(infer, vv[[k]]$decimals, NA_real_)
    b <- .Call(C_claim_round_box, x, d, log_scale)
    box[infer, c(2, 5, 8)[k] + 0:1] <- b[infer, ]
  }
  box[!ok, ] <- NA_real_
  res <- .Call(C_claim_bounds, box, lev, as.double(args$null), log_scale)
  res[!ok, ] <- NA_real_

  pp <- claim_parse_p(args$p)
  has_p <- !is.na(pp$low)
  p_cons <- ifelse(ok & has_p, pp$low <= res[, 9] & res[, 8] <= pp$high, NA)
  symmetric <- ifelse(ok, res[, 16] == 1, NA)
  inside <- ifelse(ok, res[, 17] == 1, NA)

  verdict <- rep(NA_character_, n)
  reason <- rep("estimate or one CI limit missing", n)
  scale_txt <- paste0(" on the ", scale, " scale")
  for (i in seq_len(n)) {
    if (na_row[i]) next
    if (no_ci[i]) {
      verdict[i] <- "cannot tell"
      reason[i] <- if (has_p[i]) paste0("no CI given, so ", pp$label[i],
                                        " cannot be checked") else
        "no CI given"
      next
    }
    p_txt <- NULL
    if (has_p[i] && !p_cons[i]) {
      p_txt <- paste0("the CI implies p between ",
                      claim_range(res[i, 8], res[i, 9], 2L, " and ",
                                  pp$low[i], pp$high[i]),
                      " but ", pp$label[i], " was reported")
    }
    if (!inside[i]) {
      verdict[i] <- "inconsistent"
      reason[i] <- paste0("the estimate ", claim_shown(args$estimate[i]),
                          " lies outside its CI ",
                          claim_shown(args$lower[i]), " to ",
                          claim_shown(args$upper[i]),
                          " even allowing for rounding")
    } else if (!symmetric[i]) {
      verdict[i] <- "inconsistent"
      lhs <- if (log_scale) c("est^2", "lower*upper") else
        c("2*est", "lower+upper")
      reason[i] <- paste0("the CI is not symmetric about the estimate",
                          scale_txt, " even allowing for rounding: ",
                          lhs[1], " in [",
                          claim_range(res[i, 12], res[i, 13], 3L, ", ",
                                      res[i, 14], res[i, 15]),
                          "] but ", lhs[2], " in [",
                          claim_range(res[i, 14], res[i, 15], 3L, ", ",
                                      res[i, 12], res[i, 13]), "]")
      if (!is.null(p_txt)) reason[i] <- paste0(reason[i], "; also ", p_txt)
      else reason[i] <- paste0(reason[i], "; with the SE from either half",
                               " of the CI, p would lie between ",
                               claim_range(res[i, 10], res[i, 11], 2L,
                                           " and "))
    } else if (!is.null(p_txt)) {
      verdict[i] <- "inconsistent"
      reason[i] <- p_txt
    } else {
      verdict[i] <- "consistent"
      reason[i] <- paste0("the CI is symmetric about the estimate",
                          scale_txt, " allowing for rounding and implies p ",
                          "between ", claim_range(res[i, 8], res[i, 9], 2L,
                                                  " and "),
                          if (has_p[i]) paste0(", in line with the reported ",
                                               pp$label[i]) else
                            " (no p reported)")
    }
  }

  out <- data.frame(
    estimate = args$estimate, lower = args$lower, upper = args$upper,
    p_reported = args$p, level = lev, scale = rep(scale, n),
    estimate_low = box[, 2], estimate_high = box[, 3],
    lower_low = box[, 5], lower_high = box[, 6],
    upper_low = box[, 8], upper_high = box[, 9],
    se = res[, 1], se_low = res[, 2], se_high = res[, 3],
    z = res[, 4], z_low = res[, 5], z_high = res[, 6],
    p_implied = res[, 7], p_implied_low = res[, 8], p_implied_high = res[, 9],
    p_half_low = res[, 10], p_half_high = res[, 11],
    p_reported_low = pp$low, p_reported_high = pp$high,
    symmetric = symmetric, inside = inside, p_consistent = p_cons,
    verdict = verdict, reason = reason,
    stringsAsFactors = FALSE
  )
  class(out) <- c("nev_claim", "data.frame")
  out
}

#' @export
print.nev_claim <- function(x, ...) {
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
  pimp <- vapply(seq_len(n), function(i)
    if (is.na(x$p_implied_low[i]) || is.na(x$p_implied_high[i])) "-" else
      claim_range(x$p_implied_low[i], x$p_implied_high[i], 2L, " to "), "")
  tab <- data.frame(claim = claim,
                    p = ifelse(is.na(lab), "-", sub("^p (= )?", "", lab)),
                    `p implied` = pimp,
                    symmetric = ifelse(is.na(x$symmetric), "-",
                                       ifelse(x$symmetric, "yes", "no")),
                    verdict = ifelse(is.na(v), "NA", v),
                    check.names = FALSE, stringsAsFactors = FALSE)
  print(tab, right = FALSE)
  cat("Reasons:\n")
  w <- max(20L, getOption("width") - 6L)
  for (i in seq_len(n))
    cat(paste0(formatC(rownames(x)[i], width = 3), ": ",
               paste(strwrap(x$reason[i], width = w, exdent = 5L),
                     collapse = "\n")), "\n", sep = "")
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
  direction <- match.arg(direction)
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
  if (!is.null(digits) && (!is.numeric(digits) || anyNA(digits) ||
                           any(digits != round(digits)) ||
                           any(digits < 0 | digits > 15)))
    nev_stop("`digits` must be whole numbers from 0 to 15 (got ",
             paste(format(digits), collapse = ", "), ")")
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
    claim_stop_rows(badci, "`lower` must be below `upper`", function(i)
      paste0("lower = ", claim_shown(args$lower[i]), ", upper = ",
             claim_shown(args$upper[i])))
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
  boxes <- lapply(list(pv, lv, uv), function(v)
    .Call(C_claim_round_box, v$value, v$decimals, FALSE))
  # ratio of each box, ordered; a reduction swaps the ends and the limits
  rbox <- lapply(boxes, function(b) {
    r <- cbind(ratio(b[, 1]), ratio(b[, 2]))
    cbind(pmax(pmin(r[, 1], r[, 2]), 0), pmax(r[, 1], r[, 2]))
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
    estimate_low = rbox[[1]][, 1], estimate_high = rbox[[1]][, 2],
    lower_low = lims$lbox[, 1], lower_high = lims$lbox[, 2],
    upper_low = lims$ubox[, 1], upper_high = lims$ubox[, 2],
    percent = args$percent, percent_lower = args$lower,
    percent_upper = args$upper, direction = rep(direction, n),
    stringsAsFactors = FALSE
  )
  for (nm in names(extra)) out[[nm]] <- args[[nm]]
  out
}
