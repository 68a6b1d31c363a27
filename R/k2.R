# The vitamin K2 evidence: a verdict for every claim in k2_claims.

# Columns a claims data frame must have.
k2_required <- c("id", "claim_quote", "measure", "estimate", "lower", "upper",
                 "p_reported", "verified")
# Columns used when present.
k2_optional <- c("kind", "study", "comparison", "note", "values_from")

k2_verdicts <- c("consistent", "inconsistent", "cannot tell", "not found",
                 "contradicted", "misattributed")

#' Check every vitamin K2 claim and give it a verdict
#'
#' Runs [claim_check()] over a data frame of claims (by default the bundled
#' [k2_claims]) and, where the bundled [k2_studies] allow it, recomputes the
#' statistic the claim cites: the percentage a seed article quotes from a
#' ratio ("9% fewer", "60% reduction"), within-arm percent changes from the
#' trial's arm means and baselines. Each row gets one verdict.
#'
#' Verdicts, in order of precedence:
#' * `"not found"`: the claim's source could not be found or checked
#'   (`verified == "not found"`); the numbers are still checked for internal
#'   consistency and the result is given in `reason`.
#' * `"misattributed"`: the source contradicts the claim because the number
#'   belongs to a different study (the dossier's `note` says so).
#' * `"contradicted"`: the source says otherwise.
#' * `"inconsistent"`: the units of the claim and of its source differ
#'   (micrograms vs milligrams), the percentage quoted does not follow from
#'   the ratio, or [claim_check()] finds the estimate, interval and p-value
#'   incompatible even allowing for rounding.
#' * `"consistent"`: all the checks that could be made agree.
#' * `"cannot tell"`: there is nothing to recompute (no estimate, or no
#'   confidence interval), with the reason.
#'
#' @param claims A data frame with at least the columns `id`,
#'   `claim_quote`, `measure`, `estimate`, `lower`, `upper`, `p_reported`
#'   and `verified` (as in [k2_claims]). Numbers may be character strings,
#'   from which their rounding is taken (`"1.00"`), or numbers. Optional
#'   columns `kind`, `study`, `comparison`, `note` and `values_from` are used
#'   when present.
#' @param studies The studies data frame used for recomputations (as in
#'   [k2_studies]).
#' @param level Confidence level of the reported intervals.
#' @return A data frame of class `nev_k2_evidence`, one row per claim, with
#'   columns `id`, `kind`, `claim`, `reported`, `recomputed`, `verdict`
#'   (one of `"consistent"`, `"inconsistent"`, `"cannot tell"`,
#'   `"not found"`, `"contradicted"`, `"misattributed"`), `reason`,
#'   `verified` (the source status it started from), and the
#'   [claim_check()] columns `p_implied_low`, `p_implied_high` and
#'   `symmetric` (`NA` where no interval was checked). [summary()] counts the
#'   verdicts.
#' @family k2
#' @seealso [claim_check()], [k2_claims], [k2_studies]
#' @examples
#' ev <- k2_evidence()
#' ev[ev$id %in% c("S1-09", "S1-16", "S2-05"), c("id", "verdict", "reason")]
#' summary(ev)
#' @export
k2_evidence <- function(claims = nutrievidence::k2_claims,
                        studies = nutrievidence::k2_studies, level = 0.95) {
  claims <- k2_validate(claims, studies, level)
  fp <- tryCatch(k2_fracture_pool(studies), error = function(e) NULL)
  rows <- lapply(seq_len(nrow(claims)), function(i) {
    k2_judge(claims[i, , drop = FALSE], studies, level, fp)
  })
  out <- if (length(rows)) do.call(rbind, rows) else k2_empty()
  rownames(out) <- NULL
  class(out) <- c("nev_k2_evidence", "data.frame")
  out
}

# Checks the arguments of k2_evidence(); returns the claims as text columns.
k2_validate <- function(claims, studies, level) {
  if (!is.data.frame(claims))
    nev_stop("`claims` must be a data frame (got ", class(claims)[1], ")")
  miss <- setdiff(k2_required, names(claims))
  if (length(miss))
    nev_stop("`claims` is missing column", if (length(miss) > 1L) "s",
             ": ", paste0("`", miss, "`", collapse = ", "))
  if (!is.data.frame(studies))
    nev_stop("`studies` must be a data frame (got ", class(studies)[1], ")")
  level <- nev_check_level(level)
  if (length(level) != 1L)
    nev_stop("`level` must be a single number (got length ", length(level),
             ")")
  claims <- as.data.frame(claims, stringsAsFactors = FALSE)
  for (v in setdiff(k2_optional, names(claims))) claims[[v]] <- NA_character_
  for (v in c(k2_required, k2_optional))
    claims[[v]] <- k2_as_text(claims[[v]])
  if (anyDuplicated(claims$id))
    nev_stop("`claims$id` must be unique; duplicated: ",
             paste(unique(claims$id[duplicated(claims$id)]), collapse = ", "))
  bad <- which(!is.na(claims$verified) &
                 !claims$verified %in% c("yes", "partial", "contradicted",
                                         "not found", "no"))
  if (length(bad))
    nev_stop("`verified` must be one of \"yes\", \"partial\", ",
             "\"contradicted\", \"not found\"; row ", nev_rows(bad),
             " has ", paste0("\"", unique(claims$verified[bad]), "\"",
                             collapse = ", "))
  claims
}

k2_empty <- function() {
  data.frame(id = character(), kind = character(), claim = character(),
             reported = character(), recomputed = character(),
             verdict = character(), reason = character(),
             verified = character(), p_implied_low = double(),
             p_implied_high = double(), symmetric = logical(),
             stringsAsFactors = FALSE)
}

# Numbers and text as character, keeping printed digits of character input.
k2_as_text <- function(x) {
  if (is.factor(x)) x <- as.character(x)
  if (is.numeric(x)) x <- ifelse(is.na(x), NA_character_,
                                 format(x, digits = 15, trim = TRUE))
  x <- as.character(x)
  x[!is.na(x) & !nzchar(trimws(x))] <- NA_character_
  x
}

# A single printed number, else NA.
k2_num <- function(x) {
  x <- trimws(x)
  ok <- !is.na(x) & grepl("^[+-]?[0-9]*\\.?[0-9]+$", x)
  out <- rep(NA_real_, length(x))
  out[ok] <- as.numeric(x[ok])
  out
}

# Half a unit in the last printed digit of a number string.
k2_halfunit <- function(x) {
  x <- trimws(x)
  d <- ifelse(grepl("\\.", x), nchar(sub("^[^.]*\\.", "", x)), 0L)
  0.5 * 10^(-d)
}

# The scale on which a measure's interval is symmetric.
k2_scale <- function(measure) {
  m <- tolower(trimws(measure))
  if (is.na(m)) return(NA_character_)
  if (grepl("^(peto or|or|rr|hr)\\b", m)) return("log")
  if (grepl("^(mean difference|percent change|mean % change)", m))
    return("linear")
  NA_character_
}

# Mass units named in a piece of text: "ug" (micrograms) and/or "mg".
k2_units <- function(text) {
  text <- tolower(paste(text[!is.na(text)], collapse = " "))
  u <- character()
  if (grepl("(\\b|[0-9])(mcg|ug|\u00b5g|micrograms?)\\b", text, perl = TRUE))
    u <- c(u, "ug")
  if (grepl("(\\b|[0-9])(mg|milligrams?)\\b", text, perl = TRUE))
    u <- c(u, "mg")
  u
}

# The p-value a claim's interval can be checked against: a plain number or
# "<x"; trend tests and ranges are not the p of the interval's contrast.
k2_p_for_check <- function(p) {
  if (is.na(p)) return(NA_character_)
  p <- trimws(p)
  if (grepl("^[<>=]?\\s*[0-9.]+(e-?[0-9]+)?$", p)) return(gsub("\\s", "", p))
  NA_character_
}

# A percentage quoted as a reduction ("9% fewer", "60% reduction",
# "30% lower"): the number as printed, else NA.
k2_quoted_percent <- function(quote) {
  if (is.na(quote)) return(NA_character_)
  m <- regmatches(quote, regexpr(
    "[0-9]+(\\.[0-9]+)?(?=% (reduction|lower|fewer|less|decrease))",
    quote, perl = TRUE))
  if (length(m)) m else NA_character_
}

# Rounding interval of a quoted percentage: "9" -> [8.5, 9.5); a round
# "30" may be rounded to the nearest ten -> [25, 35).
k2_percent_interval <- function(p) {
  v <- as.numeric(p)
  h <- if (!grepl("\\.", p) && v %% 10 == 0 && v > 0) 5 else k2_halfunit(p)
  c(v - h, v + h)
}

# Does "x% lower" follow from a ratio printed as `est`? Returns NULL when
# there is nothing to compare.
k2_percent_check <- function(quote, est, measure) {
  pc <- k2_quoted_percent(quote)
  if (is.na(pc) || is.na(k2_num(est)) || !identical(k2_scale(measure), "log"))
    return(NULL)
  r <- k2_num(est)
  h <- k2_halfunit(est)
  implied <- 100 * (1 - c(r + h, r - h))
  quoted <- k2_percent_interval(pc)
  ok <- implied[1] < quoted[2] && implied[2] >= quoted[1]
  what <- if (grepl("OR", measure)) " (a reduction in odds, not risk)" else ""
  list(ok = ok,
       text = sprintf("1 - %s = %s%%%s; quoted %s%%", est,
                      format(100 * (1 - r), digits = 3), what, pc))
}

# Recipes: claims whose cited statistic can be recomputed from k2_studies.
k2_recipes <- function() {
  list(
    "S1-02" = list(study = "knapen2015-sibeta", arm = "trt", quoted = "-5.8"),
    "S1-03" = list(study = "knapen2015-cfpwv", arm = "trt", quoted = "-3.6"),
    "S1-04" = list(study = c("knapen2015-sibeta", "knapen2015-cfpwv"),
                   arm = "ctl", quoted = c("1.3", "0.22"))
  )
}

# Within-arm percent change 100 * mean / baseline with rounding intervals,
# compared with the percentage the seed quotes.
k2_recompute <- function(id, studies) {
  rec <- k2_recipes()[[id]]
  if (is.null(rec)) return(NULL)
  need <- c("study_id", "mean_trt", "mean_ctl", "baseline_trt", "baseline_ctl")
  if (!all(need %in% names(studies))) return(NULL)
  texts <- character()
  oks <- logical()
  for (j in seq_along(rec$study)) {
    s <- studies[studies$study_id == rec$study[j], , drop = FALSE]
    if (nrow(s) != 1L) return(NULL)
    m <- s[[paste0("mean_", rec$arm)]]
    b <- s[[paste0("baseline_", rec$arm)]]
    if (is.na(m) || is.na(b)) return(NULL)
    mt <- format(m, digits = 15)
    bt <- format(b, digits = 15)
    hm <- k2_halfunit(mt)
    hb <- k2_halfunit(bt)
    corners <- 100 * outer(c(m - hm, m + hm), c(b - hb, b + hb), "/")
    rng <- range(corners)
    q <- as.numeric(rec$quoted[j])
    hq <- k2_halfunit(rec$quoted[j])
    ok <- rng[1] < q + hq && rng[2] >= q - hq
    oks <- c(oks, ok)
    texts <- c(texts, sprintf(
      "%s: 100 x %s / %s = %s%% (%s to %s with rounding); quoted %s%%",
      rec$study[j], mt, bt, format(100 * m / b, digits = 3),
      format(rng[1], digits = 3), format(rng[2], digits = 3), rec$quoted[j]))
  }
  list(ok = all(oks), text = paste(texts, collapse = "; "))
}

k2_reported <- function(r) {
  est <- r$estimate
  if (is.na(est)) return(NA_character_)
  out <- paste(r$measure %||% "", est)
  if (!is.na(r$lower) && !is.na(r$upper))
    out <- sprintf("%s (%s to %s)", out, r$lower, r$upper)
  if (!is.na(r$p_reported)) out <- paste0(out, ", p ", r$p_reported)
  trimws(out)
}

k2_fmt_p <- function(p) format(signif(p, 2), scientific = p < 1e-4)

# Each check returns NULL (nothing to check) or a list with `text` (what was
# recomputed, may be NULL), `reason`, `ok` (TRUE, FALSE, or NA when the check
# could not conclude) and possibly `verdict` and interval details.

# Units: the claim's quote against the source's comparison and measure.
k2_check_units <- function(r) {
  u_claim <- k2_units(r$claim_quote)
  u_src <- k2_units(c(r$comparison, r$measure))
  if (!length(u_claim) || !length(u_src) ||
      length(intersect(u_claim, u_src)))
    return(NULL)
  list(ok = FALSE, reason = sprintf(
    "unit mismatch: the claim speaks of %s, the source of %s",
    paste(k2_unit_name(u_claim), collapse = " and "),
    paste(k2_unit_name(u_src), collapse = " and ")))
}

# Internal consistency of estimate, interval and p, by claim_check().
k2_check_interval <- function(r, level) {
  est <- r$estimate
  has_est <- !is.na(k2_num(est))
  has_ci <- has_est && !is.na(k2_num(r$lower)) && !is.na(k2_num(r$upper))
  scale <- k2_scale(r$measure)
  if (!has_ci) {
    if (!has_est) return(NULL)
    return(list(ok = NA, reason = paste0(
      "no confidence interval reported, so the estimate cannot be checked")))
  }
  if (is.na(scale))
    return(list(ok = NA, reason = sprintf(paste0(
      "measure \"%s\" is neither a ratio nor a difference; ",
      "interval not checked"), r$measure)))
  p_use <- k2_p_for_check(r$p_reported)
  chk <- tryCatch(
    claim_check(est, r$lower, r$upper, p = p_use, level = level,
                scale = scale),
    error = function(e) e)
  k2_interval_result(chk, r, p_use, scale)
}

k2_interval_result <- function(chk, r, p_use, scale) {
  if (inherits(chk, "error"))
    return(list(ok = NA, reason = paste0(
      "claim_check() could not check the interval: ", conditionMessage(chk))))
  reason <- chk$reason[1]
  if (!is.na(r$p_reported) && is.na(p_use))
    reason <- c(reason, sprintf(
      "the reported p (%s) is not the p of this interval, not compared",
      r$p_reported))
  list(ok = chk$verdict[1] != "inconsistent", verdict = chk$verdict[1],
       reason = reason,
       text = sprintf("implied p %s to %s; %s-symmetric: %s",
                      k2_fmt_p(chk$p_implied_low[1]),
                      k2_fmt_p(chk$p_implied_high[1]), scale,
                      if (isTRUE(chk$symmetric[1])) "yes" else "no"),
       p_lo = chk$p_implied_low[1], p_hi = chk$p_implied_high[1],
       symmetric = chk$symmetric[1])
}

# A chi-square statistic with its p: which degrees of freedom fit?
k2_check_chisq <- function(r) {
  p <- k2_p_for_check(r$p_reported)
  if (!identical(tolower(r$measure), "chi-square") ||
      is.na(k2_num(r$estimate)) || is.na(k2_num(p)))
    return(NULL)
  chi <- k2_chisq_df(r$estimate, p)
  list(ok = if (chi$df1) TRUE else NA, text = chi$text, reason = chi$reason)
}

# The percentage quoted from a ratio.
k2_check_percent <- function(r) {
  pc <- k2_percent_check(r$claim_quote, r$estimate, r$measure)
  if (is.null(pc)) return(NULL)
  list(ok = pc$ok, text = pc$text,
       reason = if (!pc$ok)
         "the quoted percentage does not follow from the ratio")
}

# Percent changes recomputed from the trial arms in `studies`.
k2_check_arms <- function(r, studies) {
  rc <- k2_recompute(r$id, studies)
  if (is.null(rc)) return(NULL)
  list(ok = rc$ok, text = rc$text, reason = if (rc$ok)
    "the quoted percentages follow from the arm means and baselines" else
    "the quoted percentages do not follow from the arm means and baselines")
}

# Claims resting on Cockayne 2006: the trial estimates re-pooled with and
# without the flagged trials (k2_fracture_pool()). Informative only.
k2_fracture_claims <- c("S0-02" = "new vertebral fractures",
                        "S1-19" = "new vertebral fractures",
                        "S1-20" = "hip fracture")

k2_check_fracture <- function(r, fp) {
  o <- k2_fracture_claims[r$id]
  if (is.null(fp) || is.na(o)) return(NULL)
  d <- fp[fp$outcome == o, , drop = FALSE]
  if (nrow(d) != 2L) return(NULL)
  fmt <- function(i) {
    if (d$k[i] == 0L) return(sprintf("%s: no trial left", d$trials[i]))
    sprintf("%s (%d: %s): RR %.2f (%.2f-%.2f)", d$trials[i], d$k[i],
            d$studies[i], d$estimate[i], d$lower[i], d$upper[i])
  }
  list(ok = NA,
       text = paste0("trial estimates for ", o, " re-pooled: ", fmt(1),
                     "; ", fmt(2)),
       reason = if (d$k[2] == 0L) paste0(
         "every trial behind it with a published estimate is retracted or ",
         "questioned"))
}

# The verdict from the source status and the checks.
k2_decide <- function(status, note, checks) {
  oks <- unlist(lapply(checks, `[[`, "ok"))
  if (identical(status, "not found"))
    return(list(verdict = "not found",
                lead = "source not found or not checkable"))
  if (identical(status, "contradicted")) {
    if (!is.na(note) && grepl("misattribut", note, ignore.case = TRUE))
      return(list(verdict = "misattributed",
                  lead = "the number belongs to a different study"))
    return(list(verdict = "contradicted", lead = "the source says otherwise"))
  }
  verdict <- if (any(oks %in% FALSE)) {
    "inconsistent"
  } else if (!is.null(checks$interval$verdict)) {
    checks$interval$verdict
  } else if (any(oks %in% TRUE)) {
    "consistent"
  } else {
    "cannot tell"
  }
  list(verdict = verdict, lead = NULL)
}

# One claim -> one row of the result.
k2_judge <- function(r, studies, level, fp = NULL) {
  checks <- list(units = k2_check_units(r),
                 interval = k2_check_interval(r, level),
                 chisq = k2_check_chisq(r),
                 percent = k2_check_percent(r),
                 arms = k2_check_arms(r, studies),
                 pooled = k2_check_fracture(r, fp))
  checks <- checks[!vapply(checks, is.null, logical(1))]
  status <- if (identical(r$verified, "no")) "not found" else r$verified
  dec <- k2_decide(status, r$note, checks)
  reasons <- unlist(lapply(checks, `[[`, "reason"))
  if (!length(reasons))
    reasons <- sprintf("no single estimate to recompute (%s%s)",
                       if (is.na(r$measure)) "no measure" else r$measure,
                       if (!is.na(r$estimate)) paste0(": ", r$estimate) else "")
  if (identical(status, "partial"))
    reasons <- c(reasons, paste0("the source supports the claim only in ",
                                 "part (see the dossier note)"))
  texts <- unlist(lapply(checks, `[[`, "text"))
  iv <- checks$interval
  data.frame(
    id = r$id, kind = r$kind, claim = r$claim_quote,
    reported = k2_reported(r),
    recomputed = if (length(texts)) paste(texts, collapse = "; ") else
      NA_character_,
    verdict = dec$verdict,
    reason = paste(unique(c(dec$lead, reasons)), collapse = "; "),
    verified = status,
    p_implied_low = iv$p_lo %||% NA_real_,
    p_implied_high = iv$p_hi %||% NA_real_,
    symmetric = iv$symmetric %||% NA, stringsAsFactors = FALSE)
}

# Degrees of freedom with which a printed chi-square gives the printed p.
k2_chisq_df <- function(stat, p) {
  x <- k2_num(stat)
  hx <- k2_halfunit(stat)
  pv <- k2_num(p)
  hp <- k2_halfunit(p)
  fits <- vapply(1:10, function(df) {
    pr <- stats::pchisq(c(x + hx, x - hx), df, lower.tail = FALSE)
    pr[1] < pv + hp && pr[2] >= pv - hp
  }, logical(1))
  p1 <- stats::pchisq(x, 1, lower.tail = FALSE)
  df <- which(fits)
  text <- sprintf("chi-square %s on 1 df gives p = %s", stat, k2_fmt_p(p1))
  reason <- if (fits[1]) {
    "the p-value matches a 1-df (2 x 2) test"
  } else if (length(df)) {
    sprintf(paste0("the reported p = %s matches %s df (a table with more ",
                   "than two categories), not the 1 df of a 2 x 2 ",
                   "comparison of events, which gives p = %s"),
            p, paste(df, collapse = " or "), k2_fmt_p(p1))
  } else {
    sprintf("the reported p = %s matches no chi-square df from 1 to 10", p)
  }
  list(df1 = fits[1], text = text, reason = reason)
}

k2_unit_name <- function(u) {
  c(ug = "micrograms (ug)", mg = "milligrams (mg)")[u]
}

#' @rdname k2_evidence
#' @param object A `nev_k2_evidence` result.
#' @param ... Unused.
#' @export
summary.nev_k2_evidence <- function(object, ...) {
  v <- factor(object$verdict, levels = k2_verdicts)
  tab <- as.data.frame(table(verdict = v), stringsAsFactors = FALSE)
  names(tab)[2] <- "claims"
  out <- list(table = tab, n = nrow(object),
              claims = sum(object$kind %in% "claim" | is.na(object$kind)))
  class(out) <- "summary.nev_k2_evidence"
  out
}

#' @export
print.summary.nev_k2_evidence <- function(x, ...) {
  cat(sprintf("%d rows checked (%d claims made by the articles)\n", x$n,
              x$claims))
  print(x$table, row.names = FALSE)
  invisible(x)
}

#' @export
print.nev_k2_evidence <- function(x, ...) {
  if (!all(c("id", "verdict", "reported", "claim") %in% names(x))) {
    print(as.data.frame(x), ...)
    return(invisible(x))
  }
  cat(sprintf("<k2 evidence: %d rows>\n", nrow(x)))
  tab <- table(factor(x$verdict, levels = k2_verdicts))
  cat(paste(sprintf("%s %d", names(tab), tab), collapse = ", "), "\n")
  show <- data.frame(id = x$id, verdict = x$verdict,
                     reported = k2_trunc(x$reported, 40),
                     claim = k2_trunc(x$claim, 50), stringsAsFactors = FALSE)
  print(show, row.names = FALSE, right = FALSE)
  invisible(x)
}

k2_trunc <- function(x, n) {
  x <- ifelse(is.na(x), "", x)
  ifelse(nchar(x) > n, paste0(substr(x, 1L, n - 3L), "..."), x)
}

#' @export
as.data.frame.nev_k2_evidence <- function(x, row.names = NULL,
                                          optional = FALSE, ...) {
  class(x) <- "data.frame"
  x
}

#' Forest plot of published ratio estimates
#'
#' Draws published ratios and their 95% intervals on a log axis, one line per
#' row, as in the fracture evidence of [k2_studies]: trials as squares, pooled
#' estimates as diamonds, rows whose `flag` marks a retracted or questioned
#' trial (or a pooled estimate including one) in red.
#'
#' @param data A data frame with columns `study`, `outcome`,
#'   `estimate_value`, `lower_value` and `upper_value`; optional `flag`
#'   (`"none"` or `NA` for unflagged rows) and `level` (`"pooled"` for pooled
#'   rows). Rows without an interval are dropped.
#' @param main Plot title.
#' @param xlab Label of the x axis.
#' @return The rows drawn (invisibly).
#' @family k2
#' @examples
#' fr <- k2_studies[k2_studies$level %in% c("trial", "pooled") &
#'                    grepl("fracture", k2_studies$outcome), ]
#' k2_forest(fr)
#' @export
k2_forest <- function(data, main = NULL, xlab = "Ratio (log scale)") {
  if (!is.data.frame(data))
    nev_stop("`data` must be a data frame (got ", class(data)[1], ")")
  need <- c("study", "outcome", "estimate_value", "lower_value", "upper_value")
  miss <- setdiff(need, names(data))
  if (length(miss))
    nev_stop("`data` is missing column", if (length(miss) > 1L) "s", ": ",
             paste0("`", miss, "`", collapse = ", "))
  d <- data[!is.na(data$estimate_value) & !is.na(data$lower_value) &
              !is.na(data$upper_value), , drop = FALSE]
  if (!nrow(d)) nev_stop("`data` has no row with an estimate and both limits")
  if (any(d$lower_value <= 0))
    nev_stop("`data` must hold ratios (positive limits); row ",
             nev_rows(which(d$lower_value <= 0)), " has a limit <= 0")
  flag <- if ("flag" %in% names(d)) d$flag else rep(NA_character_, nrow(d))
  flagged <- !is.na(flag) & flag != "none"
  pooled <- if ("level" %in% names(d)) d$level %in% "pooled" else
    rep(FALSE, nrow(d))
  k <- nrow(d)
  y <- rev(seq_len(k))
  lab <- paste0(d$study, ": ", d$outcome)
  txt <- sprintf("%.2f (%.2f-%.2f)", d$estimate_value, d$lower_value,
                 d$upper_value)
  xr <- range(c(d$lower_value, d$upper_value, 1))
  op <- graphics::par(mar = c(5, 0.5, if (is.null(main)) 1 else 3, 0.5))
  on.exit(graphics::par(op))
  # Room for the labels on the left and the numbers on the right.
  lx <- log(xr)
  w <- diff(lx)
  graphics::plot(NA, xlim = c(lx[1] - 1.6 * w, lx[2] + 0.55 * w),
                 ylim = c(0.5, k + 0.5), axes = FALSE, xlab = "",
                 ylab = "", main = main %||% "")
  graphics::mtext(xlab, side = 1, line = 2.2, at = mean(lx), cex = 0.85)
  ticks <- c(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5)
  ticks <- ticks[ticks >= xr[1] / 1.01 & ticks <= xr[2] * 1.01]
  graphics::axis(1, at = log(ticks), labels = format(ticks), cex.axis = 0.75,
                 mgp = c(3, 0.6, 0))
  graphics::abline(v = 0, lty = 2, col = "grey50")
  col <- ifelse(flagged, "#B2182B", "black")
  graphics::segments(log(d$lower_value), y, log(d$upper_value), y, col = col)
  for (i in seq_len(k)) {
    e <- log(d$estimate_value[i])
    if (pooled[i]) {
      graphics::polygon(c(log(d$lower_value[i]), e, log(d$upper_value[i]),
                          e), y[i] + c(0, 0.3, 0, -0.3), col = col[i],
                        border = col[i])
    } else {
      graphics::points(e, y[i], pch = 15, col = col[i], cex = 1.2)
    }
  }
  graphics::text(lx[1] - 1.6 * w, y, lab, adj = 0, cex = 0.8, col = col)
  graphics::text(lx[2] + 0.55 * w, y, txt, adj = 1, cex = 0.8, col = col)
  if (any(flagged))
    graphics::mtext(paste("red: retracted or questioned trial, or a pooled",
                          "estimate including one"), side = 1, line = 3.8,
                    adj = 0, cex = 0.75, col = "#B2182B")
  invisible(d)
}

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_k2_evidence <- function(x, ...) {
  df <- as.data.frame(x)
  cols <- intersect(c("id", "claim", "reported", "recomputed", "verdict",
                      "reason"), names(df))
  k2_kable(df[cols], ...)
}

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.summary.nev_k2_evidence <- function(x, ...) {
  k2_kable(x$table, ...)
}

#' Pool the fracture trials with and without the flagged ones
#'
#' Re-pools the trial-level fracture estimates of [k2_studies] (ratios with
#' 95% intervals, converted to log ratios and standard errors with
#' [effect_ci()]) by [pool()], once with every trial that has a published
#' estimate and once without the trials that are retracted or whose integrity
#' is questioned (`flag` other than `"none"`). Per-arm counts are not
#' available for these trials, so Cockayne's Peto analysis itself cannot be
#' re-run; this is the closest recomputation the published numbers allow.
#'
#' @param studies A data frame like [k2_studies].
#' @param method Estimator passed to [pool()] (`"FE"` for a common effect).
#' @return A data frame with one row per outcome and set of trials:
#'   `outcome`, `trials` (`"all"` or `"excluding flagged"`), `k`, `studies`,
#'   `estimate`, `lower`, `upper` (ratio scale; `NA` when no trial is left),
#'   `method`.
#' @family k2
#' @examples
#' k2_fracture_pool()
#' @export
k2_fracture_pool <- function(studies = nutrievidence::k2_studies,
                             method = "FE") {
  if (!is.data.frame(studies))
    nev_stop("`studies` must be a data frame (got ", class(studies)[1], ")")
  need <- c("study", "outcome", "level", "flag", "estimate_value",
            "lower_value", "upper_value")
  miss <- setdiff(need, names(studies))
  if (length(miss))
    nev_stop("`studies` is missing column", if (length(miss) > 1L) "s",
             ": ", paste0("`", miss, "`", collapse = ", "))
  tr <- studies[studies$level %in% "trial" &
                  grepl("fracture", studies$outcome) &
                  !is.na(studies$estimate_value) &
                  !is.na(studies$lower_value) & !is.na(studies$upper_value), ,
                drop = FALSE]
  rows <- list()
  for (o in unique(tr$outcome)) {
    d <- tr[tr$outcome == o, , drop = FALSE]
    for (set in c("all", "excluding flagged")) {
      s <- if (set == "all") d else d[d$flag %in% "none", , drop = FALSE]
      rows[[length(rows) + 1L]] <- k2_pool_set(s, o, set, method)
    }
  }
  if (!length(rows))
    return(data.frame(outcome = character(), trials = character(),
                      k = integer(), studies = character(),
                      estimate = double(), lower = double(), upper = double(),
                      method = character(), stringsAsFactors = FALSE))
  do.call(rbind, rows)
}

k2_pool_set <- function(s, outcome, set, method) {
  out <- data.frame(outcome = outcome, trials = set, k = nrow(s),
                    studies = paste(s$study, collapse = ", "),
                    estimate = NA_real_, lower = NA_real_, upper = NA_real_,
                    method = NA_character_, stringsAsFactors = FALSE)
  if (!nrow(s)) return(out)
  es <- effect_ci(s$estimate_value, s$lower_value, s$upper_value,
                  measure = "RR")
  if (nrow(s) == 1L) {
    ci <- exp(es$yi + c(0, -1, 1) * stats::qnorm(0.975) * es$sei)
    out[c("estimate", "lower", "upper")] <- as.list(ci)
    out$method <- "single trial"
    return(out)
  }
  fit <- pool(es$yi, sei = es$sei, method = method, measure = "RR")
  td <- tidy(fit)
  out[c("estimate", "lower", "upper")] <-
    as.list(exp(c(td$estimate[1], td$conf.low[1], td$conf.high[1])))
  out$method <- method
  out
}
