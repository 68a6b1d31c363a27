# claim_assess(): claims judged on separate axes (arithmetic, fidelity to
# the source, certainty of the source) and a verdict from documented rules.
# Nothing here is specific to vitamin K2; k2_evidence() is one instance.

assess_verdicts <- c("supported", "overstated", "misquoted", "misattributed",
                     "unsupported", "contradicted", "untraceable")
assess_fidelity <- c("faithful", "misquoted", "misattributed",
                     "not in source", "source not found")
assess_certainty <- c("very low", "low", "moderate", "high")
assess_status <- c("none", "retracted", "expression of concern", "questioned")

# The schema: table, column, required, allowed values, meaning.
assess_schema_rows <- function() {
  r <- function(table, column, required, values, meaning)
    data.frame(table = table, column = column, required = required,
               values = values, meaning = meaning, stringsAsFactors = FALSE)
  rbind(
    r("claims", "id", TRUE, "unique text", "Claim identifier."),
    r("claims", "claim_quote", TRUE, "text", "The claim as the article words it."),
    r("claims", "claim_type", TRUE,
      "effect, association, quantity, fact, advice",
      "What the claim asserts: a causal effect, an association, a number, a fact or advice."),
    r("claims", "source_id", TRUE, "a sources$source_id or NA",
      "The source that bears on the claim (NA: none found)."),
    r("claims", "cited_id", TRUE, "a sources$source_id or NA",
      "The source the article names, if it names one that could be identified."),
    r("claims", "source_reports", TRUE, "yes, partly, no, opposite or NA",
      paste0("What the source reports about the claim: it, part of it, ",
             "nothing of it, the contrary (NA: source text not checked).")),
    r("claims", "measure", TRUE, "text or NA",
      paste0("Measure of the numbers the article prints: RR, OR, HR, ",
             "percent reduction, percent change (treated arm), ug per ",
             "serving, year, ...")),
    r("claims", "estimate", TRUE, "printed number, range \"a-b\" or NA",
      "The article's number as printed."),
    r("claims", "lower", TRUE, "printed number or NA", "The article's lower limit."),
    r("claims", "upper", TRUE, "printed number or NA", "The article's upper limit."),
    r("claims", "p_reported", TRUE, "printed p or NA", "The article's p-value."),
    r("claims", "searched", FALSE, "text",
      "Where a source was looked for (needed when source_id is NA)."),
    r("claims", "stated", FALSE, "\"field=value; ...\"",
      paste0("Facts the article states about its source (n, follow_up, ",
             "sex, year, outcome, ...), compared with the source's ",
             "columns of the same name.")),
    r("claims", "basis_g", FALSE, "number",
      paste0("Grams the claim's amount refers to (a serving, an ounce = ",
             "28.35), for amounts per 100 g in the source.")),
    r("claims", "endpoint", FALSE, "hard, surrogate or NA",
      "The kind of outcome the claim speaks of."),
    r("claims", "about", FALSE, "code or \"any\"",
      "The form or dose the claim speaks of, compared with sources$dose_form."),
    r("claims", "source_says", FALSE, "text", "What the source says, in words."),
    r("claims", "article", FALSE, "text", "Where the claim appears."),
    r("sources", "source_id", TRUE, "unique text", "Source identifier."),
    r("sources", "citation", TRUE, "text with DOI or PMID",
      "The publication, as a reader would look it up."),
    r("sources", "design", TRUE, "text",
      paste0("Study design in words (RCT, meta-analysis of RCTs, ",
             "prospective cohort, animal experiment, narrative review, ",
             "...).")),
    r("sources", "status", TRUE,
      "none, retracted, expression of concern, questioned",
      "Research-integrity status of the publication."),
    r("sources", "measure", TRUE, "text or NA", "Measure of the source's estimate."),
    r("sources", "estimate", TRUE, "printed number or NA", "The source's estimate."),
    r("sources", "lower", TRUE, "printed number or NA", "The source's lower limit."),
    r("sources", "upper", TRUE, "printed number or NA", "The source's upper limit."),
    r("sources", "notice", FALSE, "text", "The retraction or concern notice."),
    r("sources", "rests_on", FALSE, "source ids separated by \";\"",
      "The studies a pooled source pools (their status counts as its own)."),
    r("sources", "reanalysis_id", FALSE, "a source_id",
      "The same analysis without the compromised studies."),
    r("sources", "replication_id", FALSE, "a source_id",
      "An independent study of the same question (inconsistency)."),
    r("sources", "endpoint", FALSE, "hard, surrogate, intake, content or NA",
      "The kind of outcome the source measured."),
    r("sources", "dose_form", FALSE, "code", "Form and dose studied."),
    r("sources", "industry_funded", FALSE, "yes, no or NA",
      "Funded by a maker of the product studied."),
    r("sources", "found", FALSE, "yes or no",
      "\"no\" for a citation that was looked for and not found."),
    r("sources", "searched", FALSE, "text", "Where it was looked for."),
    r("sources", "baseline_risk", FALSE, "proportion",
      "Published risk without the exposure, for absolute effects."),
    r("sources", "study", FALSE, "text", "Short name (first author and year)."),
    r("sources", "p_reported", FALSE, "printed p or NA", "The source's p-value."),
    r("sources", "outcome", FALSE, "text", "Outcome of the estimate."),
    r("sources", "comparison", FALSE, "text", "Contrast of the estimate."),
    r("sources", "funder", FALSE, "text", "Who funded the study.")
  )
}

#' The schema of the claims and sources tables of claim_assess()
#'
#' One row per column of the two tables [claim_assess()] reads: which table,
#' the column name, whether it is required, the values it takes and what it
#' means. [k2_claims] and [k2_studies] follow it.
#'
#' @return A data frame with columns `table`, `column`, `required`, `values`
#'   and `meaning`.
#' @family claims
#' @examples
#' s <- claim_schema()
#' s[s$required, c("table", "column", "values")]
#' @export
claim_schema <- function() assess_schema_rows()

#' Judge claims against their sources: arithmetic, fidelity, certainty, verdict
#'
#' For any table of claims and the table of sources they rest on (see
#' [claim_schema()] for both), gives every claim four separate judgements and
#' a verdict for a reader, each from a documented rule:
#'
#' * `arithmetic`: are the numbers the *article* prints self-consistent once
#'   the rounding of every digit is allowed for ([claim_check()] on estimate,
#'   interval and p)? `"consistent"`, `"inconsistent"` or `"not checkable"`
#'   (no interval, or a measure that is neither a ratio nor a difference).
#'   `arithmetic_source` is the same test on the *source's* numbers.
#' * `fidelity`: does the article report the source faithfully?
#'   `"source not found"` (no source, or a cited source that was looked for
#'   and not found); `"misattributed"` (the article names another source
#'   than the one the content comes from); `"not in source"` (the source was
#'   found and does not report the claim); `"misquoted"` (a number, the
#'   measure - an odds ratio quoted as a risk reduction - or a stated field
#'   such as n, follow-up, sex or outcome differs, rounding allowed for);
#'   `"faithful"`; `NA` when the source's text could not be checked.
#'   `fidelity_detail` names the field that differs or the real source.
#' * `certainty`: GRADE-style `"high"`, `"moderate"`, `"low"`, `"very low"`
#'   for what the source can support, for claims of an effect or an
#'   association. Randomised trials and their meta-analyses start high,
#'   observational studies low, animal and laboratory studies, reviews,
#'   opinion and marketing very low; then one level down for each of: risk
#'   of bias (two levels for a retracted study or one pooling retracted
#'   studies; one for an expression of concern, a questioned study or
#'   industry funding; at most two in all), imprecision (the interval crosses
#'   the null), inconsistency (the replication study's interval crosses the
#'   null), indirectness (a surrogate outcome for a claim about a hard one; a
#'   different form or dose than the claim speaks of). `certainty_reasons`
#'   lists the downgrades. Other designs (food analyses, pharmacokinetics,
#'   regulatory texts), other claim types and claims without a source get
#'   `NA` with the reason.
#' * `verdict`, the first that applies: `"untraceable"` (fidelity
#'   `"source not found"`); `"misattributed"`; `"contradicted"` (the source
#'   reports the opposite; the numbers disagree with a source the article
#'   did not cite; or the source rests on retracted or questioned studies and
#'   its re-analysis without them finds no clear effect); `"unsupported"`
#'   (fidelity `"not in source"`; the source rests on retracted studies; or
#'   an effect or association claimed from a source whose interval crosses
#'   the null); `"misquoted"`; `"overstated"` (the source reports it only in
#'   part, or an effect is claimed from evidence of low or very low
#'   certainty); `"supported"` (faithful). A claim whose source text could
#'   not be checked gets `NA`, with the reason.
#'
#' A claim without a source is `"untraceable"` whatever its numbers: their
#' internal consistency is reported as what invented numbers show too, never
#' as support. A `source_id` that is not in `sources` is treated the same way.
#'
#' @param claims A data frame of claims (see [claim_schema()]). Numbers may
#'   be character strings, whose printed digits give their rounding.
#' @param sources A data frame of sources (see [claim_schema()]).
#' @param level Confidence level of the printed intervals.
#' @return A data frame of class `nev_assessment`, one row per claim:
#'   `id`, `article`, `claim`, `verdict`, `reason` (one plain sentence),
#'   `source` (citation with DOI or PMID, or `"none found"` and what was
#'   searched), `doi`, `source_says`, `arithmetic`, `arithmetic_source`,
#'   `fidelity`, `fidelity_detail`, `certainty`, `certainty_reasons`,
#'   `status` (the worst research-integrity status of the source and the
#'   studies it pools), `source_status` (the source's own), `notice`,
#'   `absolute` (the absolute effect where the source publishes a baseline
#'   risk, see [effect_absolute()]) and
#'   `computation` (the machine detail behind the judgements). [summary()]
#'   counts the verdicts.
#' @family claims
#' @seealso [claim_check()], [effect_absolute()], [k2_evidence()]
#' @examples
#' claims <- data.frame(
#'   id = c("a", "b"), claim_quote = c("9% fewer heart attacks per 10 ug",
#'                                     "HR 1.42 (1.18-1.71)"),
#'   claim_type = "association", source_id = c("s1", NA),
#'   cited_id = c("s1", NA), source_reports = c("yes", NA),
#'   measure = c("percent reduction", "HR"), estimate = c("9", "1.42"),
#'   lower = c(NA, "1.18"), upper = c(NA, "1.71"), p_reported = NA,
#'   searched = c(NA, "PubMed, journal archive"))
#' sources <- data.frame(
#'   source_id = "s1", citation = "Gast 2009. doi:10.1016/j.numecd.2008.10.004",
#'   design = "prospective cohort", status = "none", measure = "HR",
#'   estimate = "0.91", lower = "0.85", upper = "1.00")
#' a <- claim_assess(claims, sources)
#' a[, c("id", "verdict", "reason")]
#' @export
claim_assess <- function(claims, sources, level = 0.95) {
  claims <- assess_table(claims, "claims")
  sources <- assess_table(sources, "sources")
  level <- nev_check_level(level)
  if (length(level) != 1L)
    nev_stop("`level` must be a single number (got length ", length(level),
             ")")
  assess_check_values(claims, sources)
  rows <- lapply(seq_len(nrow(claims)), function(i)
    assess_one(claims[i, , drop = FALSE], sources, level))
  out <- if (length(rows)) do.call(rbind, rows) else assess_one_empty()
  rownames(out) <- NULL
  class(out) <- c("nev_assessment", "data.frame")
  out
}

# Validates a table against the schema; text columns as character with
# empty strings as NA; optional columns added as NA.
assess_table <- function(x, name) {
  if (!is.data.frame(x))
    nev_stop("`", name, "` must be a data frame (got ", class(x)[1], ")")
  sch <- assess_schema_rows()
  sch <- sch[sch$table == name, ]
  miss <- setdiff(sch$column[sch$required], names(x))
  if (length(miss))
    nev_stop("`", name, "` is missing schema column",
             if (length(miss) > 1L) "s", ": ",
             paste0("`", miss, "`", collapse = ", "),
             " (see claim_schema())")
  x <- as.data.frame(x, stringsAsFactors = FALSE)
  for (v in setdiff(sch$column, names(x))) x[[v]] <- rep(NA, nrow(x))
  for (v in sch$column) x[[v]] <- assess_text(x[[v]])
  id <- if (name == "claims") "id" else "source_id"
  if (anyNA(x[[id]]) || anyDuplicated(x[[id]]))
    nev_stop("`", name, "$", id, "` must be unique and not NA; ",
             "duplicated or missing: ",
             paste(unique(x[[id]][duplicated(x[[id]]) | is.na(x[[id]])]),
                   collapse = ", "))
  x
}

# Coded columns must hold their documented values.
assess_check_values <- function(claims, sources) {
  chk <- function(x, allowed, what) {
    bad <- !is.na(x) & !x %in% allowed
    if (any(bad))
      nev_stop("`", what, "` must be one of ",
               paste0("\"", allowed, "\"", collapse = ", "), "; row ",
               nev_rows(which(bad)), " has \"", x[bad][1], "\"")
  }
  chk(claims$claim_type, c("effect", "association", "quantity", "fact",
                           "advice"), "claims$claim_type")
  chk(claims$source_reports, c("yes", "partly", "no", "opposite"),
      "claims$source_reports")
  chk(claims$endpoint, c("hard", "surrogate"), "claims$endpoint")
  chk(sources$status, assess_status, "sources$status")
  chk(sources$found, c("yes", "no"), "sources$found")
  chk(sources$industry_funded, c("yes", "no"), "sources$industry_funded")
}

assess_one_empty <- function() {
  chr <- character()
  data.frame(id = chr, article = chr, claim = chr, verdict = chr,
             reason = chr, source = chr, doi = chr, source_says = chr,
             arithmetic = chr, arithmetic_source = chr, fidelity = chr,
             fidelity_detail = chr, certainty = chr, certainty_reasons = chr,
             status = chr, source_status = chr, notice = chr, absolute = chr,
             computation = chr,
             stringsAsFactors = FALSE)
}

# One claim -> one row.
assess_one <- function(cl, sources, level) {
  src <- assess_source(cl$source_id, sources)
  cited <- assess_source(cl$cited_id, sources)
  ar <- assess_arithmetic(cl, level)
  ar_src <- if (is.null(src)) list(value = "not checkable", text = NULL) else
    assess_arithmetic(src, level)
  fid <- assess_fidelity_of(cl, src, cited)
  cert <- assess_certainty_of(cl, src, sources)
  said <- assess_says(cl, src, fid$numbers_text)
  ver <- assess_verdict(cl, src, cited, ar, fid, cert,
                        said = if (is.na(cl$source_says) &&
                                   is.null(fid$numbers_text)) NA else said)
  abs <- assess_absolute(src)
  comp <- c(if (!is.null(ar$text)) paste("article:", ar$text),
            if (!is.null(ar_src$text)) paste("source:", ar_src$text),
            fid$computation, cert$computation, abs$text)
  data.frame(
    id = cl$id, article = cl$article, claim = cl$claim_quote,
    verdict = ver$verdict, reason = ver$reason,
    source = assess_source_text(cl, src %||% cited),
    doi = assess_doi(src$citation),
    source_says = said, arithmetic = ar$value,
    arithmetic_source = ar_src$value, fidelity = fid$value,
    fidelity_detail = fid$detail, certainty = cert$level,
    certainty_reasons = cert$reasons, status = cert$status,
    source_status = if (assess_found(src)) src$status else NA_character_,
    notice = cert$notice, absolute = abs$value,
    computation = if (length(comp)) paste(comp, collapse = "; ") else
      NA_character_,
    stringsAsFactors = FALSE)
}

# The source row (a one-row data frame), or NULL when there is none or it
# is not in the table.
assess_source <- function(id, sources) {
  if (is.na(id)) return(NULL)
  s <- sources[sources$source_id == id, , drop = FALSE]
  if (nrow(s) != 1L) return(NULL)
  s
}

assess_found <- function(src) !is.null(src) && !identical(src$found, "no")

assess_short <- function(src) {
  if (is.null(src)) return("the source")
  if (!is.na(src$study)) return(src$study)
  s <- src$citation
  if (nchar(s) > 60) paste0(substr(s, 1, 57), "...") else s
}

assess_source_text <- function(cl, src) {
  if (assess_found(src)) return(src$citation)
  what <- if (!is.null(src) && !is.na(src$searched)) src$searched else
    cl$searched
  paste0("none found", if (!is.null(src))
    paste0(" (cited: ", src$citation, ")"),
    "; searched: ", if (is.na(what)) "not recorded" else what)
}

# The DOI in a citation, as a link target (NA if none).
assess_doi <- function(citation) {
  if (is.null(citation) || is.na(citation)) return(NA_character_)
  m <- regmatches(citation, regexpr("10\\.[0-9]{4,9}/[^ ;,()]+[^ ;,.()]",
                                    citation))
  if (length(m)) m else NA_character_
}

# What the source says: the claim's own wording of it, else the comparison
# of the numbers, else the source's estimate.
assess_says <- function(cl, src, numbers_text = NULL) {
  if (!is.na(cl$source_says)) return(cl$source_says)
  if (!is.null(numbers_text) && is.na(src$estimate)) return(numbers_text)
  if (!assess_found(src) || is.na(src$estimate)) return(NA_character_)
  num <- paste(src$measure, src$estimate)
  if (!is.na(src$lower) && !is.na(src$upper))
    num <- sprintf("%s (%s to %s)", num, src$lower, src$upper)
  what <- paste(stats::na.omit(c(src$outcome, src$comparison)),
                collapse = ", ")
  if (nzchar(what)) paste0(what, ": ", num) else num
}

# Helpers -----------------------------------------------------------------

# Numbers and text as character, keeping the printed digits of character
# input; empty strings are NA.
assess_text <- function(x) {
  if (is.factor(x)) x <- as.character(x)
  if (is.numeric(x))
    x <- vapply(x, function(v) if (is.na(v)) NA_character_ else
      format(v, digits = 15, trim = TRUE), character(1))
  x <- as.character(x)
  x[!is.na(x) & !nzchar(trimws(x))] <- NA_character_
  x
}

# A single printed number, else NA.
assess_num <- function(x) {
  x <- trimws(x)
  ok <- !is.na(x) & grepl("^[+-]?[0-9]*\\.?[0-9]+$", x)
  out <- rep(NA_real_, length(x))
  out[ok] <- as.numeric(x[ok])
  out
}

# The scale on which a measure's interval is symmetric (NA: neither).
assess_scale <- function(measure) {
  m <- tolower(trimws(measure))
  if (length(m) != 1L || is.na(m)) return(NA_character_)
  if (grepl("^(peto or|or|rr|hr)\\b", m)) return("log")
  if (grepl("^(mean difference|percent change|mean % change)", m))
    return("linear")
  NA_character_
}

# The p-value an interval can be checked against: a plain number or "<x";
# trend tests and ranges are not the p of the interval's contrast.
assess_p_for_check <- function(p) {
  if (is.na(p)) return(NA_character_)
  p <- trimws(p)
  if (grepl("^[<>=]?\\s*[0-9.]+(e-?[0-9]+)?$", p)) return(gsub("\\s", "", p))
  NA_character_
}

assess_fmt_p <- function(p) format(signif(p, 2), scientific = p < 1e-4)

#' @rdname claim_assess
#' @param object,x A `nev_assessment` result.
#' @param ... Unused.
#' @export
summary.nev_assessment <- function(object, ...) {
  v <- ifelse(is.na(object$verdict), "undecided", object$verdict)
  tab <- as.data.frame(table(verdict = factor(v, c(assess_verdicts,
                                                   "undecided"))),
                       stringsAsFactors = FALSE)
  names(tab)[2] <- "claims"
  und <- as.data.frame(object)[is.na(object$verdict), c("id", "reason"),
                               drop = FALSE]
  rownames(und) <- NULL
  out <- list(table = tab, n = nrow(object), undecided = und)
  class(out) <- "summary.nev_assessment"
  out
}

#' @export
print.summary.nev_assessment <- function(x, ...) {
  cat(sprintf("%d claims judged\n", x$n))
  print(x$table, row.names = FALSE)
  if (nrow(x$undecided)) {
    cat("\nUndecided:\n")
    print(x$undecided, row.names = FALSE, right = FALSE)
  }
  invisible(x)
}

#' @export
print.nev_assessment <- function(x, ...) {
  # A subset of the columns prints as the data frame it is.
  if (!all(c("id", "verdict", "claim", "reason") %in% names(x))) {
    print(as.data.frame(x), ...)
    return(invisible(x))
  }
  cat(sprintf("<assessment: %d claims>\n", nrow(x)))
  tab <- table(factor(ifelse(is.na(x$verdict), "undecided", x$verdict),
                      c(assess_verdicts, "undecided")))
  cat(paste(sprintf("%s %d", names(tab), tab), collapse = ", "), "\n")
  trunc <- function(s, n) {
    s <- ifelse(is.na(s), "", s)
    ifelse(nchar(s) > n, paste0(substr(s, 1L, n - 3L), "..."), s)
  }
  show <- data.frame(id = x$id, verdict = ifelse(is.na(x$verdict), "NA",
                                                 x$verdict),
                     claim = trunc(x$claim, 40), reason = trunc(x$reason, 60),
                     stringsAsFactors = FALSE)
  print(show, row.names = FALSE, right = FALSE)
  invisible(x)
}

#' @export
as.data.frame.nev_assessment <- function(x, row.names = NULL,
                                         optional = FALSE, ...) {
  class(x) <- "data.frame"
  x
}

#' @rdname claim_assess
#' @exportS3Method knitr::knit_print
knit_print.nev_assessment <- function(x, ...) {
  df <- as.data.frame(x)
  df <- df[intersect(c("id", "claim", "verdict", "reason", "certainty"),
                     names(df))]
  if (!ncol(df)) df <- as.data.frame(x)
  df[] <- lapply(df, function(v) ifelse(is.na(v), "", v))
  knitr::knit_print(knitr::kable(df, row.names = FALSE), ...)
}

#' @rdname claim_assess
#' @exportS3Method knitr::knit_print
knit_print.summary.nev_assessment <- function(x, ...) {
  knitr::knit_print(knitr::kable(x$table, row.names = FALSE), ...)
}
