# The rules of claim_assess(): one function per axis and one for the verdict.
# Each returns the judgement and the machine detail behind it
# (`computation`), kept apart from the plain-language reason.

# Arithmetic ------------------------------------------------------------

# Estimate, interval and p of one row (claim or source) checked for
# internal consistency by claim_check().
assess_arithmetic <- function(r, level) {
  nc <- list(value = "not checkable", text = NULL)
  if (is.na(assess_num(r$estimate)) || is.na(assess_num(r$lower)) ||
      is.na(assess_num(r$upper)))
    return(nc)
  scale <- assess_scale(r$measure)
  if (is.na(scale)) {
    nc$text <- sprintf("measure \"%s\" is neither a ratio nor a difference",
                       r$measure)
    return(nc)
  }
  p_use <- assess_p_for_check(r$p_reported)
  chk <- tryCatch(
    claim_check(r$estimate, r$lower, r$upper, p = p_use, level = level,
                scale = scale),
    error = function(e) e)
  if (inherits(chk, "error")) {
    nc$text <- paste("claim_check() failed:", conditionMessage(chk))
    return(nc)
  }
  v <- chk$verdict[1]
  list(value = if (identical(v, "inconsistent")) "inconsistent" else
         if (identical(v, "consistent")) "consistent" else "not checkable",
       text = sprintf("%s %s (%s to %s): %s [implied p %s to %s]",
                      r$measure, r$estimate, r$lower, r$upper, chk$reason[1],
                      assess_fmt_p(chk$p_implied_low[1]),
                      assess_fmt_p(chk$p_implied_high[1])))
}

# Rounding boxes ----------------------------------------------------------

# The interval of values a printed number or range "a-b" stands for: half a
# unit of the last printed digit. With `zeros = TRUE` (numbers an article
# prints) the trailing zeros of a whole number of four or more digits count
# as rounding ("16,000" is [15500, 16500)). NULL if the text is not a number
# or range.
assess_box <- function(s, zeros = FALSE) {
  if (is.null(s) || length(s) != 1L || is.na(s)) return(NULL)
  s <- gsub("[, ]", "", trimws(sub("^~", "", s)))
  m <- regmatches(s, regexec("^([+-]?[0-9]*\\.?[0-9]+)(-([0-9]*\\.?[0-9]+))?$",
                             s))[[1]]
  if (!length(m)) return(NULL)
  one <- function(x) {
    v <- as.numeric(x)
    tz <- nchar(x) - nchar(sub("0+$", "", x))
    h <- if (grepl("\\.", x)) 0.5 * 10^(-nchar(sub("^[^.]*\\.", "", x))) else
      if (zeros && abs(v) >= 1000) 0.5 * 10^tz else 0.5
    c(v - h, v + h)
  }
  lo <- one(m[2])
  hi <- if (nzchar(m[4])) one(m[4]) else lo
  c(lo[1], hi[2])
}

# A quoted percentage: a round multiple of ten may be rounded to the nearest
# ten ("30% lower" for 28%), others to their last digit.
assess_percent_box <- function(s) {
  b <- assess_box(s, zeros = TRUE)
  v <- assess_num(s)
  if (!is.null(b) && !is.na(v) && !grepl("\\.", s) && v %% 10 == 0 && v > 0)
    b <- c(v - 5, v + 5)
  b
}

assess_overlap <- function(a, b) a[1] <= b[2] && b[1] <= a[2]

assess_fmt <- function(x) {
  x <- ifelse(abs(x) >= 100, round(x), signif(x, 3))
  format(x, trim = TRUE, big.mark = ",")
}

# Fidelity ----------------------------------------------------------------

# The article's numbers against the source's. list(ok, detail, text, what)
# or NULL when there is nothing to compare.
assess_numbers <- function(cl, src) {
  m <- tolower(cl$measure %||% NA)
  if (is.na(m) || is.na(cl$estimate)) return(NULL)
  if (grepl("^percent reduction", m)) return(assess_num_percent(cl, src))
  if (grepl("^percent change", m)) return(assess_num_arm(cl, src, m))
  if (grepl("^percent below", m)) return(assess_num_share(cl, src, m))
  if (!is.na(cl$basis_g) && grepl("per 100 g", tolower(src$measure %||% "")))
    return(assess_num_content(cl, src))
  if (!is.na(src$measure) && identical(m, tolower(src$measure)))
    return(assess_num_same(cl, src))
  NULL
}

# "x% fewer" against 1 - ratio of the source (rounding of both allowed for);
# an odds ratio quoted as a reduction in risk is a change of measure.
assess_num_percent <- function(cl, src) {
  r <- assess_box(src$estimate)
  q <- assess_percent_box(cl$estimate)
  if (is.null(r) || is.null(q) || is.na(assess_scale(src$measure)) ||
      assess_scale(src$measure) != "log")
    return(NULL)
  implied <- 100 * (1 - rev(r))
  ok <- assess_overlap(implied, q)
  odds <- grepl("\\bOR\\b", src$measure)
  text <- sprintf("1 - %s = %s%% (%s to %s with rounding); quoted %s%%",
                  src$estimate, assess_fmt(100 * (1 - assess_num(src$estimate))),
                  assess_fmt(implied[1]), assess_fmt(implied[2]),
                  cl$estimate)
  detail <- c(if (!ok) sprintf("number: the source's %s %s is a %s%% change, not %s%%",
                               src$measure, src$estimate,
                               assess_fmt(100 * (1 - assess_num(src$estimate))),
                               cl$estimate),
              if (odds) sprintf(paste0("measure: the source's %s is a ",
                                       "reduction in odds, quoted as one in ",
                                       "risk"), src$measure))
  list(ok = ok && !odds, detail = detail, text = text, what = "numbers")
}

# A within-arm percent change from the arm's mean change and baseline.
assess_num_arm <- function(cl, src, m) {
  arm <- if (grepl("control", m)) "ctl" else "trt"
  mean <- assess_text(src[[paste0("mean_", arm)]] %||% NA)
  base <- assess_text(src[[paste0("baseline_", arm)]] %||% NA)
  bm <- assess_box(mean)
  bb <- assess_box(base)
  q <- assess_box(cl$estimate, zeros = TRUE)
  if (is.null(bm) || is.null(bb) || is.null(q)) return(NULL)
  corners <- 100 * outer(bm, bb, "/")
  rng <- range(corners)
  ok <- assess_overlap(rng, q)
  text <- sprintf("100 x %s / %s = %s%% (%s to %s with rounding); quoted %s%%",
                  mean, base, assess_fmt(100 * assess_num(mean) / assess_num(base)),
                  assess_fmt(rng[1]), assess_fmt(rng[2]), cl$estimate)
  list(ok = ok, text = text, what = "numbers",
       detail = if (!ok) sprintf("number: %s%% does not follow from %s / %s",
                                 cl$estimate, mean, base))
}

# An amount per serving or ounce against the source's amount per 100 g.
assess_num_content <- function(cl, src) {
  printed <- if (!is.na(src$estimate)) rep(assess_num(src$estimate), 2) else
    assess_num(c(src$lower, src$upper))
  per100 <- if (!is.na(src$estimate)) assess_box(src$estimate) else
    c(assess_box(src$lower)[1], assess_box(src$upper)[2])
  q <- assess_box(cl$estimate, zeros = TRUE)
  g <- assess_num(cl$basis_g)
  if (length(per100) != 2L || anyNA(per100) || anyNA(printed) ||
      is.null(q) || is.na(g))
    return(NULL)
  ok <- assess_overlap(per100 * g / 100, q)
  conv <- printed * g / 100
  text <- sprintf("%s to %s ug per 100 g, so %s to %s ug in %s g; the article says %s",
                  assess_fmt(printed[1]), assess_fmt(printed[2]),
                  assess_fmt(conv[1]), assess_fmt(conv[2]), cl$basis_g,
                  cl$estimate)
  list(ok = ok, text = text, what = "numbers",
       detail = if (!ok) sprintf(
         "number: %s %s claimed; the published contents give %s to %s",
         cl$estimate, cl$measure, assess_fmt(conv[1]), assess_fmt(conv[2])))
}

# "Most people eat less than x": the share below x of a published intake
# distribution (mean and SD), under a normal and a lognormal shape with that
# mean and SD, against the quoted share (">50" for "most").
assess_num_share <- function(cl, src, m) {
  x <- as.numeric(sub("^percent below ([0-9.]+).*$", "\\1", m))
  mu <- assess_num(src$estimate)
  sdv <- assess_num(assess_text(src$sd %||% NA))
  q <- sub("^>\\s*", "", cl$estimate)
  if (is.na(x) || is.na(mu) || is.na(sdv) || is.na(assess_num(q)))
    return(NULL)
  s2 <- log(1 + (sdv / mu)^2)
  share <- 100 * c(normal = stats::pnorm(x, mu, sdv),
                   lognormal = stats::plnorm(x, log(mu) - s2 / 2, sqrt(s2)))
  ok <- all(share > assess_num(q))
  text <- sprintf(paste0("share below %s of an intake distribution with ",
                         "mean %s and SD %s: %.1f%% (normal), %.1f%% ",
                         "(lognormal); claimed %s%%"),
                  format(x), src$estimate, format(sdv), share[1], share[2],
                  cl$estimate)
  list(ok = ok, text = text, what = "numbers",
       detail = if (!ok) sprintf("number: %.0f%% to %.0f%% are below %s, not %s%%",
                                 min(share), max(share), format(x),
                                 cl$estimate))
}

# The same measure on both sides: estimates (and limits) within rounding.
assess_num_same <- function(cl, src) {
  fields <- c("estimate", "lower", "upper")
  res <- vapply(fields, function(f) {
    a <- assess_box(cl[[f]], zeros = TRUE)
    b <- assess_box(src[[f]])
    if (is.null(a) || is.null(b)) return(NA)
    assess_overlap(a, b)
  }, logical(1))
  if (all(is.na(res))) return(NULL)
  bad <- fields[res %in% FALSE]
  text <- sprintf("article %s %s, source %s %s", cl$measure,
                  assess_range_text(cl), src$measure, assess_range_text(src))
  list(ok = !length(bad), text = text, what = "numbers",
       detail = if (length(bad)) sprintf("number: the article's %s differs from the source's (%s)",
                                         paste(bad, collapse = ", "), text))
}

assess_range_text <- function(r) {
  out <- r$estimate
  if (!is.na(r$lower) && !is.na(r$upper))
    out <- sprintf("%s (%s to %s)", if (is.na(out)) "" else out, r$lower,
                   r$upper)
  trimws(out)
}

# Fields the article states about its source ("n=16000; follow_up=10")
# compared with the source's columns of the same names.
assess_stated <- function(cl, src) {
  if (is.na(cl$stated)) return(NULL)
  parts <- trimws(strsplit(cl$stated, ";", fixed = TRUE)[[1]])
  parts <- parts[nzchar(parts)]
  bad <- character()
  text <- character()
  for (p in parts) {
    key <- trimws(sub("=.*$", "", p))
    said <- trimws(sub("^[^=]*=", "", p))
    has <- assess_text(src[[key]] %||% NA)
    if (is.na(has)) {
      text <- c(text, sprintf("%s not compared (the source has no %s)", key,
                              key))
      next
    }
    a <- assess_box(said, zeros = TRUE)
    b <- assess_box(has)
    same <- if (!is.null(a) && !is.null(b)) assess_overlap(a, b) else
      identical(tolower(said), tolower(has))
    text <- c(text, sprintf("%s: article %s, source %s", key, said, has))
    if (!same) bad <- c(bad, sprintf("%s: the article says %s, the source %s",
                                     gsub("_", "-", key), said, has))
  }
  list(bad = bad, text = paste(text, collapse = "; "))
}

# The fidelity axis. list(value, detail, computation, numbers_bad).
assess_fidelity_of <- function(cl, src, cited) {
  out <- function(value, detail = NA_character_, comp = NULL, nb = FALSE,
                  nt = NULL)
    list(value = value, detail = detail, computation = comp, numbers_bad = nb,
         numbers_text = nt)
  if (!assess_found(src)) {
    return(out("source not found", if (!is.null(src) || !is.null(cited))
      sprintf("%s could not be found", (src %||% cited)$citation) else
        "no source was found for this claim"))
  }
  # Misattributed: the article names another publication than the one the
  # content comes from (rows of one publication share its citation).
  if (!is.na(cl$cited_id) &&
      (!assess_found(cited) || cited$citation != src$citation))
    return(out("misattributed", sprintf(
      "the article cites %s%s; the content is from %s",
      if (is.null(cited)) cl$cited_id else cited$citation,
      if (!assess_found(cited)) ", which could not be found" else "",
      src$citation)))
  if (identical(cl$source_reports, "no"))
    return(out("not in source", sprintf("%s does not report this",
                                        assess_short(src))))
  if (identical(cl$source_reports, "opposite"))
    return(out("not in source", sprintf("%s reports the contrary",
                                        assess_short(src))))
  num <- assess_numbers(cl, src)
  st <- assess_stated(cl, src)
  comp <- c(num$text, if (!is.null(st) && nzchar(st$text)) st$text)
  bad <- c(if (isFALSE(num$ok)) num$detail, st$bad)
  if (length(bad))
    return(out("misquoted", paste(bad, collapse = "; "), comp,
               nb = isFALSE(num$ok), nt = num$text))
  if (!is.na(cl$source_reports) || isTRUE(num$ok))
    return(out("faithful", if (identical(cl$source_reports, "partly"))
      sprintf("%s reports it only in part", assess_short(src)) else
        NA_character_, comp, nt = num$text))
  out(NA_character_, sprintf("the text of %s was not checked",
                             assess_short(src)), comp)
}

# Certainty ---------------------------------------------------------------

# Design in words -> GRADE starting level (4 high .. 1 very low), NA when
# the design is not a study of an effect.
assess_design_start <- function(design) {
  d <- tolower(design %||% NA)
  if (is.na(d)) return(NA_integer_)
  if (grepl("meta-analysis", d) &&
      grepl("cohort|longitudinal|observational", d)) return(2L)
  if (grepl("uncontrolled|before-after|single-arm|case series", d) &&
      !grepl("cross-sectional|cohort", d)) return(1L)
  if (grepl("meta-analysis|systematic review|rct|randomi[sz]ed|controlled trial",
            d)) return(4L)
  if (grepl("cohort|case-control|cross-sectional|observational", d))
    return(2L)
  if (grepl(paste0("animal|\\brats?\\b|mice|mouse|drosophila|cell|in vitro|",
                   "review|opinion|marketing|commercial|anecdote|case report|",
                   "vendor"), d))
    return(1L)
  NA_integer_
}

# The worst research-integrity status of a source and the studies it pools.
assess_integrity <- function(src, sources) {
  ids <- if (is.na(src$rests_on)) character() else
    trimws(strsplit(src$rests_on, ";", fixed = TRUE)[[1]])
  pooled <- sources[sources$source_id %in% ids, , drop = FALSE]
  st <- c(src$status, pooled$status)
  who <- c(assess_short(src), vapply(seq_len(nrow(pooled)), function(i)
    assess_short(pooled[i, , drop = FALSE]), ""))
  note <- c(src$notice, pooled$notice)
  for (s in c("retracted", "expression of concern", "questioned")) {
    hit <- st %in% s
    if (any(hit))
      return(list(status = s, who = who[hit],
                  notice = paste(unique(stats::na.omit(note[hit])),
                                 collapse = "; ")))
  }
  list(status = "none", who = character(), notice = NA_character_)
}

# Does a source's interval cross the null (strictly) or reach it (a limit
# printed at the null, as in 0.85-1.00)?
assess_crosses <- function(src, strict = FALSE) {
  if (is.null(src)) return(NA)
  lo <- assess_num(src$lower)
  hi <- assess_num(src$upper)
  sc <- assess_scale(src$measure)
  if (is.na(lo) || is.na(hi) || is.na(sc)) return(NA)
  null <- if (sc == "log") 1 else 0
  if (strict) lo < null && hi > null else lo <= null && hi >= null
}

assess_num_text <- function(src) {
  sprintf("%s %s (%s to %s)", src$measure, src$estimate, src$lower, src$upper)
}

# The certainty axis. list(level, reasons, status, notice, computation,
# reanalysis_null, crosses, start).
assess_certainty_of <- function(cl, src, sources) {
  integ <- if (assess_found(src)) assess_integrity(src, sources) else
    list(status = NA_character_, who = character(), notice = NA_character_)
  res <- list(level = NA_character_, reasons = NA_character_,
              status = integ$status, notice = if (length(integ$notice) &&
                                                  !identical(integ$notice, ""))
                integ$notice else NA_character_,
              computation = NULL, reanalysis = NULL,
              crosses = assess_crosses(src, strict = TRUE), integ = integ,
              start = if (assess_found(src)) assess_design_start(src$design)
                      else NA_integer_)
  res$reanalysis <- assess_reanalysis(src, sources, integ)
  if (!assess_found(src)) {
    res$reasons <- "not rated: no source"
    return(res)
  }
  if (!cl$claim_type %in% c("effect", "association")) {
    res$reasons <- sprintf("not rated: the claim states %s, not an effect",
                           c(quantity = "a quantity", fact = "a fact",
                             advice = "advice")[[cl$claim_type]])
    return(res)
  }
  start <- assess_design_start(src$design)
  if (is.na(start)) {
    res$reasons <- sprintf("not rated: a %s is not a study of an effect",
                           src$design)
    return(res)
  }
  down <- assess_downgrades(cl, src, sources, integ)
  lvl <- max(1L, start - sum(down$n))
  res$level <- assess_certainty[lvl]
  res$reasons <- paste(c(sprintf("design: %s (starts %s)", src$design,
                                 assess_certainty[start]), down$why),
                       collapse = "; ")
  res
}

# GRADE downgrades: list(n = levels per reason, why = reason texts).
assess_downgrades <- function(cl, src, sources, integ) {
  n <- integer()
  why <- character()
  add <- function(k, w) {
    n <<- c(n, k)
    why <<- c(why, w)
  }
  rob <- switch(integ$status, retracted = 2L,
                "expression of concern" = 1L, questioned = 1L, 0L)
  if (rob) add(rob, sprintf("risk of bias (-%d): %s (%s)", rob, integ$status,
                            paste(unique(integ$who), collapse = ", ")))
  if (identical(src$industry_funded, "yes") && rob < 2L)
    add(1L, sprintf("risk of bias (-1): funded by industry%s",
                    if (is.na(src$funder)) "" else
                      paste0(" (", src$funder, ")")))
  if (isTRUE(assess_crosses(src)))
    add(1L, sprintf("imprecision (-1): the interval %s reaches the null",
                    assess_num_text(src)))
  rep <- assess_source(src$replication_id, sources)
  if (!is.null(rep) && isTRUE(assess_crosses(rep, strict = TRUE)) &&
      !isTRUE(assess_crosses(src)))
    add(1L, sprintf("inconsistency (-1): not replicated by %s, %s",
                    assess_short(rep), assess_num_text(rep)))
  if (identical(cl$endpoint, "hard") && identical(src$endpoint, "surrogate"))
    add(1L, "indirectness (-1): a surrogate outcome for a claim about a hard one")
  if (!is.na(cl$about) && cl$about != "any" && !is.na(src$dose_form) &&
      cl$about != src$dose_form)
    add(1L, sprintf("indirectness (-1): the source studied %s, the claim is about %s",
                    src$dose_form, cl$about))
  list(n = n, why = why)
}

# A compromised source whose re-analysis without the compromised studies
# reaches the null: the re-analysis row, else NULL.
assess_reanalysis <- function(src, sources, integ) {
  if (!assess_found(src) || identical(integ$status, "none")) return(NULL)
  re <- assess_source(src$reanalysis_id, sources)
  if (is.null(re) || !isTRUE(assess_crosses(re, strict = TRUE))) return(NULL)
  re
}

# Absolute effect -----------------------------------------------------------

assess_absolute <- function(src) {
  none <- list(value = NA_character_, text = NULL)
  if (!assess_found(src) || is.na(src$baseline_risk)) return(none)
  m <- toupper(sub("^Peto ", "", src$measure %||% ""))
  p0 <- assess_num(src$baseline_risk)
  if (!m %in% c("RR", "OR", "HR") || is.na(assess_num(src$estimate)) ||
      is.na(p0))
    return(none)
  a <- effect_absolute(assess_num(src$estimate), assess_num(src$lower),
                       assess_num(src$upper), measure = m, baseline = p0)
  pct <- function(p) sprintf("%.2f%%", 100 * p)
  value <- sprintf("risk %s without, %s with (difference %s%s); %s",
                   pct(a$baseline), pct(a$risk), pct(a$risk_difference),
                   if (is.na(a$rd.conf.low)) "" else
                     sprintf(", %s to %s", pct(a$rd.conf.low),
                             pct(a$rd.conf.high)), a$nnt_text)
  list(value = value, text = paste("absolute:", value))
}

# Verdict -----------------------------------------------------------------

# The verdict and one plain sentence, by the rules documented in
# claim_assess(), first match wins.
assess_verdict <- function(cl, src, cited, ar, fid, cert, said = NA) {
  v <- function(verdict, reason) list(verdict = verdict, reason = reason)
  who <- assess_short(src)
  says <- if (!is.na(said)) paste0(": ", said) else ""
  f <- fid$value
  if (identical(f, "source not found")) {
    looked <- src %||% cited
    return(v("untraceable", paste0(
      "No source could be found for this claim",
      if (!is.null(looked)) sprintf(" (%s was looked for and not found)",
                                    looked$citation),
      ".", if (identical(ar$value, "consistent"))
        " Its numbers agree with one another, as invented numbers can too.")))
  }
  if (identical(f, "misattributed"))
    return(v("misattributed", sprintf(
      "The content comes from %s, not from the source the article names%s.",
      who, if (!assess_found(cited)) " (which could not be found)" else "")))
  if (identical(cl$source_reports, "opposite"))
    return(v("contradicted", paste0(who, " reports the contrary", says, ".")))
  if (isTRUE(fid$numbers_bad) && is.na(cl$cited_id))
    return(v("contradicted", sprintf(
      "The published figures contradict the article: %s.", fid$detail)))
  if (!is.null(cert$reanalysis))
    return(v("contradicted", sprintf(paste0(
      "%s pooled studies that were later %s; the re-analysis (%s) finds ",
      "%s: no clear effect."), who, cert$status,
      assess_short(cert$reanalysis), assess_num_text(cert$reanalysis))))
  if (identical(f, "not in source"))
    return(v("unsupported", paste0(who, " does not report this", says, ".")))
  if (identical(cert$status, "retracted"))
    return(v("unsupported", sprintf(
      "The evidence rests on retracted studies (%s).",
      paste(unique(cert$integ$who), collapse = ", "))))
  if (cl$claim_type %in% c("effect", "association") &&
      isTRUE(cert$crosses))
    return(v("unsupported", sprintf("%s found no clear effect: %s.", who,
                                    assess_num_text(src))))
  if (identical(f, "misquoted"))
    return(v("misquoted", paste0("The article misstates the source: ",
                                 fid$detail, ".")))
  if (identical(cl$source_reports, "partly"))
    return(v("overstated", paste0(who, " supports this only in part", says,
                                  ".")))
  if (identical(cl$claim_type, "effect") &&
      cert$level %in% c("low", "very low"))
    return(v("overstated", sprintf(paste0(
      "An effect is claimed, but the evidence (%s) is of %s certainty."),
      tolower(src$design), cert$level)))
  if (identical(f, "faithful"))
    return(v("supported", paste0(
      who, " reports this",
      if (!is.na(cert$level)) sprintf(" (%s-certainty evidence)", cert$level)
      else if (identical(cert$start, 1L)) " (an opinion or review, not a study)",
      says, ".")))
  v(NA_character_, sprintf(
    "%s was identified, but its text could not be checked here; no verdict.",
    who))
}
