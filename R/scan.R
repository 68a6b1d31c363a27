# claim_scan(): find every reported ratio, difference or percent change with
# a CI or a p-value in texts, web pages and PDFs, and check each with
# claim_check(). The scanner is C (src/scan.c); reading files, building the
# table and checking live here.

#' Find and check every reported statistic in a text, web page or PDF
#'
#' Scans texts for ratios (RR, HR, OR, IRR), mean differences and percent
#' changes printed with a confidence interval or a p-value, in the forms
#' articles, abstracts, news stories and tables print them, and checks each
#' with [claim_check()] allowing for the rounding of every printed digit.
#'
#' @section What is read:
#' "HR 0.91 (0.85-1.00)", "(95% CI 0.85 to 1.00)", "95% CI: 0.85-1.00",
#' "\[0.85; 1.00\]", "RR = 0.43; 95% CI, 0.24-0.77; P = .004",
#' "OR=1.10, 95%CI 0.95-1.27, p=0.03", "95 percent confidence interval",
#' 90% and 99% levels, en and em dashes, the hyphen U+2010, "to", the minus
#' sign U+2212, decimal commas ("1,10 (0,95-1,27)") with "IC 95%", "KI",
#' "intervalle de confiance", "intervalo de confianza", middle dots (U+00B7,
#' "0.91" as the Lancet prints it), missing leading zeros (".86"), "Cl"
#' typed for "CI",
#' statistics glued to words or split by a line break, table rows under a
#' "HR (95% CI)" header, "p<.001", "P < 0.001", "0.7 mm vs 1.3 mm, p = 0.02".
#' Ranges that are not confidence intervals are not taken: ages ("25-43
#' years"), years ("1990-1993"), doses ("100-200 mcg"), "10-year
#' follow-up", medians with their IQR ("42.4 (31.0-58.3)"), sample sizes;
#' a "p for trend" is not taken as the p of a statistic.
#'
#' A percent change with a CI ("a 34% reduction (95% CI 25-43%)") is
#' checked on the ratio scale (0.66, 0.57-0.75; see [claim_from_percent()]);
#' ratios on the log scale; differences, and ratios of no known kind that
#' are printed with a sign, on the linear scale. A statistic that is
#' recognised but cannot be checked (a CI with no estimate, a lower limit
#' not below the upper, a ratio limit of 0, a p above 1, "p < 0", "p > 1",
#' a p below 1e-300) is skipped and counted: the attribute `malformed` gives
#' the count per document, as does `summary()`.
#'
#' Every statistic is checked in one pass in C; the columns are those
#' [claim_check()] gives for it on its own, and a corpus of abstracts is
#' scanned and checked at tens of megabytes per second (`bench/scan.R`).
#'
#' @param x A character vector of texts, or of paths to `.txt`, `.html` or
#'   `.pdf` files (an element without spaces ending in one of these
#'   extensions is taken as a path). HTML is read with \pkg{xml2} (scripts
#'   and styles dropped), PDF with \pkg{pdftools}.
#' @param context Number of characters shown either side of a statistic in
#'   the `context` column and by `print()`.
#' @return A data frame of class `nev_scan` (which inherits from
#'   `nev_claim`): one row per statistic with `doc` (the file name, the
#'   name of the element of `x`, or its index), `start` and `end` (character
#'   positions), `text` (the statistic verbatim), `context`, `measure`
#'   (`"RR"`, `"HR"`, `"OR"`, `"IRR"`, `"percent change"`, `"mean
#'   difference"`, `"other"`), `label` (the measure's label as printed),
#'   `estimate_printed`, `lower_printed`, `upper_printed`, `comparator_printed`
#'   (the second value of "0.7 vs 1.3") and `p_printed` as printed, then the
#'   columns of [claim_check()] (for percent changes on the ratio scale).
#'   `verdict` is the arithmetic consistency only: a consistent statistic
#'   can still be misquoted or wrong.
#'
#'   The columns taken verbatim from the texts (`text`, `context`, `label`
#'   and the `*_printed` columns) are made into strings when they are read
#'   (an ALTREP vector over the texts): a corpus gives many rows of which
#'   a reader looks at a few. They behave as any character column; the
#'   result keeps the texts for as long as one of these columns lives.
#' @family claim checking
#' @export
#' @examples
#' txt <- paste("Vitamin K2 intake was inversely associated with coronary",
#'              "mortality (RR 0.43; 95% CI, 0.24-0.77; P = .004), while",
#'              "the hazard ratio per 10 ug was 0.91 (0.85-1.00).",
#'              "Median intake was 42.4 (31.0-58.3) ug/d.")
#' res <- claim_scan(txt)
#' res
#' res[, c("measure", "estimate", "lower", "upper", "p_implied", "verdict")]
#' summary(res)
claim_scan <- function(x, context = 60) {
  if (!is.character(x))
    nev_stop("`x` must be a character vector of texts or file paths (got ",
             class(x)[1], ")")
  if (!is.numeric(context) || length(context) != 1L || is.na(context) ||
      context < 0)
    nev_stop("`context` must be a number of characters, 0 or more (got ",
             paste(format(context), collapse = ", "), ")")
  path <- scan_is_path(x)
  docs <- scan_doc_names(x, path)
  texts <- scan_read(x, path)
  # the table comes from C whole: each statistic found, as printed and as
  # claim_check() checks it (src/r_scan.c)
  out <- .Call(C_scan_claims, texts, as.integer(min(context, 1e6)))
  mal <- attr(out, "malformed")
  names(mal) <- docs
  out$doc <- docs[out$doc]
  attr(out, "row.names") <- .set_row_names(length(out$doc))
  class(out) <- c("nev_scan", "nev_claim", "data.frame")
  attr(out, "malformed") <- mal
  attr(out, "documents") <- docs
  out
}

# Elements taken as file paths: no white space, a known extension. PCRE on
# bytes stops at the first space, so a long text costs nothing here.
scan_is_path <- function(x) {
  !is.na(x) & grepl("^\\S+\\.(txt|html?|pdf)$", x, ignore.case = TRUE,
                    perl = TRUE, useBytes = TRUE)
}

scan_doc_names <- function(x, path) {
  nm <- names(x)
  out <- if (is.null(nm)) as.character(seq_along(x)) else nm
  if (is.null(nm)) out[path] <- basename(x[path])
  out[!nzchar(out) | is.na(out)] <- as.character(seq_along(x))[
    !nzchar(out) | is.na(out)]
  out
}

# Texts of `x`: files read, everything UTF-8 (an error names an element or
# file that cannot be decoded). Vectorised: a corpus is many short texts.
scan_read <- function(x, path) {
  out <- enc2utf8(x)
  for (i in which(path)) out[i] <- scan_read_file(x[i])
  bad <- !path & !is.na(out) & !validUTF8(out)
  if (any(bad))
    nev_stop("`x`: element ", which(bad)[1], " is not valid text in any ",
             "declared encoding; declare it with Encoding() or iconv() first")
  out
}

scan_read_file <- function(path) {
  if (!file.exists(path))
    nev_stop("`x`: file \"", path, "\" does not exist")
  ext <- tolower(sub("^.*\\.", "", path))
  txt <- tryCatch(switch(ext,
                         pdf = scan_read_pdf(path),
                         html = , htm = scan_read_html(path),
                         scan_decode(path, readBin(path, "raw",
                                                   file.info(path)$size))),
                  nev_scan_missing = function(e) stop(e),
                  error = function(e) {
                    nev_stop("`x`: file \"", path, "\" could not be read: ",
                             conditionMessage(e))
                  })
  txt
}

# Bytes of a text file as one UTF-8 string: a UTF-8 or UTF-16 byte-order
# mark is honoured; anything else must be valid UTF-8.
scan_decode <- function(path, b) {
  n <- length(b)
  if (n >= 2 && ((b[1] == as.raw(0xff) && b[2] == as.raw(0xfe)) ||
                 (b[1] == as.raw(0xfe) && b[2] == as.raw(0xff)))) {
    s <- iconv(list(b), "UTF-16", "UTF-8")
  } else {
    if (n >= 3 && all(b[1:3] == as.raw(c(0xef, 0xbb, 0xbf)))) b <- b[-(1:3)]
    if (any(b == as.raw(0))) b[b == as.raw(0)] <- as.raw(0x20)
    s <- rawToChar(b)
    Encoding(s) <- "UTF-8"
    if (!validUTF8(s)) s <- NA_character_
  }
  if (is.na(s))
    nev_stop("`x`: file \"", path, "\" is not UTF-8 (or UTF-16) text; ",
             "convert it first, e.g. with iconv()")
  s
}

scan_need <- function(pkg, what) {
  if (!requireNamespace(pkg, quietly = TRUE))
    stop(structure(class = c("nev_scan_missing", "error", "condition"),
                   list(message = paste0("reading ", what, " files needs the ",
                                         "package ", pkg, ": install.packages(\"",
                                         pkg, "\")"), call = NULL)))
}

# HTML: block ends become line breaks and table cells tabs (so that a
# table reads as rows), scripts and styles are dropped.
scan_read_html <- function(path) {
  scan_need("xml2", "HTML")
  html <- scan_decode(path, readBin(path, "raw", file.info(path)$size))
  html <- gsub("(<br[^>]*>|</(p|div|li|tr|h[1-6]|table|caption)>)", "\n\\1",
               html, ignore.case = TRUE)
  html <- gsub("(</t[dh]>)", "\t\\1", html, ignore.case = TRUE)
  doc <- xml2::read_html(html, encoding = "UTF-8")
  xml2::xml_remove(xml2::xml_find_all(doc, "//script|//style|//noscript"))
  body <- xml2::xml_find_first(doc, "//body")
  xml2::xml_text(if (inherits(body, "xml_missing")) doc else body)
}

scan_read_pdf <- function(path) {
  scan_need("pdftools", "PDF")
  paste(pdftools::pdf_text(path), collapse = "\n\n")
}

# A printed number normalised for claim_check(): "0\u00b791" -> "0.91",
# ".86" -> "0.86", "1,10" -> "1.10", "2e-5" kept with its exponent.
scan_number <- function(value, decimals, exponent = 0L) {
  out <- rep(NA_character_, length(value))
  ok <- !is.na(value)
  exponent[is.na(exponent)] <- 0L
  out[ok] <- sprintf("%.*f", decimals[ok], value[ok])
  e <- ok & exponent != 0L
  out[e] <- paste0(out[e], "e", exponent[e])
  out
}

#' @export
print.nev_scan <- function(x, ..., n = 10L) {
  need <- c("doc", "measure", "estimate_printed", "lower_printed",
            "upper_printed", "comparator_printed", "p_printed", "verdict",
            "context", "text")
  if (!all(need %in% names(x))) {
    print(structure(x, class = "data.frame"), ...)
    return(invisible(x))
  }
  docs <- attr(x, "documents")
  mal <- attr(x, "malformed")
  v <- x$verdict
  tally <- table(factor(ifelse(is.na(v), "not checkable", v),
                        levels = c("consistent", "inconsistent", "cannot tell",
                                   "not checkable")))
  tally <- tally[tally > 0]
  cat("<nev_scan> ", nrow(x), " statistic", if (nrow(x) != 1L) "s",
      " found in ", length(docs), " document", if (length(docs) != 1L) "s",
      if (sum(mal)) paste0(" (", sum(mal), " malformed, skipped)"), "\n",
      sep = "")
  if (length(tally))
    cat("arithmetic, allowing for rounding: ",
        paste(tally, names(tally), collapse = ", "), "\n", sep = "")
  m <- min(nrow(x), n)
  if (!m) return(invisible(x))
  # only the rows shown: the text columns are made when read (lazily)
  s <- seq_len(m)
  col <- function(nm) x[[nm]][s]
  est <- col("estimate_printed")
  lo <- col("lower_printed")
  cmp <- col("comparator_printed")
  pp <- col("p_printed")
  claim <- ifelse(is.na(lo),
                  ifelse(is.na(cmp), est, paste(est, "vs", cmp)),
                  paste0(est, " (", lo, " to ", col("upper_printed"), ")"))
  tab <- data.frame(doc = col("doc"), measure = col("measure"),
                    statistic = claim, p = ifelse(is.na(pp), "-", pp),
                    arithmetic = ifelse(is.na(v[s]), "-", v[s]),
                    stringsAsFactors = FALSE)
  print(tab, right = FALSE)
  cat("Context:\n")
  w <- max(20L, getOption("width") - 6L)
  ctx <- col("context")
  txt <- col("text")
  for (i in s)
    cat(formatC(i, width = 3), ": ", scan_focus(ctx[i], txt[i], w),
        "\n", sep = "")
  if (nrow(x) > m)
    cat("# ... ", nrow(x) - m, " more; print(x, n = Inf) shows all\n",
        sep = "")
  invisible(x)
}

# The context cut to `w` characters so that the statistic shows: at most
# 30 characters before it.
scan_focus <- function(ctx, text, w) {
  at <- regexpr(gsub("\\s+", " ", text), ctx, fixed = TRUE)
  from <- if (at > 31L) at - 30L else 1L
  out <- substr(ctx, from, from + w - 1L)
  if (from > 1L) out <- paste0("...", out)
  out
}

#' @export
summary.nev_scan <- function(object, ...) {
  docs <- attr(object, "documents")
  mal <- attr(object, "malformed")
  v <- factor(object$verdict, levels = c("consistent", "inconsistent",
                                         "cannot tell"))
  d <- factor(object$doc, levels = unique(docs))
  cnt <- function(lev) as.vector(table(d[!is.na(v) & v == lev]))
  out <- data.frame(doc = levels(d), found = as.vector(table(d)),
                    consistent = cnt("consistent"),
                    inconsistent = cnt("inconsistent"),
                    cannot_tell = cnt("cannot tell"),
                    malformed = as.vector(tapply(mal, factor(docs, levels(d)),
                                                 sum)),
                    stringsAsFactors = FALSE)
  out$malformed[is.na(out$malformed)] <- 0L
  out
}

# One statistic quoted as a string ("RR 0.83 (0.74-0.94)"), read by the
# scanner in lenient mode (an unlabelled "0.91 (0.85-1.00)" is accepted).
scan_one_string <- function(x, arg) {
  u <- enc2utf8(x)
  if (is.na(u) || !validUTF8(u))
    nev_stop("`", arg, "` must be a statistic such as \"RR 0.83 ",
             "(0.74-0.94)\" (got ", if (is.na(u)) "NA" else "invalid UTF-8", ")")
  r <- .Call(C_scan_text, u, TRUE, 0L)
  k <- length(r$doc)
  if (k != 1L || !is.na(r$comparator_value))
    nev_stop("`", arg, "` must quote one statistic such as \"RR 0.83 ",
             "(0.74-0.94)\" when `lower` and `upper` are missing (got \"", x,
             "\": ", if (k == 0L) "no statistic found" else
               if (k > 1L) paste(k, "statistics found") else
                 "two values compared, no estimate", ")")
  r$estimate <- scan_number(r$estimate_value, r$estimate_decimals)
  r$lower <- scan_number(r$lower_value, r$lower_decimals)
  r$upper <- scan_number(r$upper_value, r$upper_decimals)
  r$p <- if (is.na(r$p_op)) NA_character_ else
    paste0(if (r$p_op != "=") r$p_op,
           scan_number(r$p_value, r$p_decimals, r$p_exponent))
  r
}

# claim_check() of a quoted statistic; p, level and scale given by the
# caller take precedence over those read from the string.
claim_check_string <- function(x, p, level, scale, null) {
  r <- scan_one_string(x, "estimate")
  p <- p %||% r$p
  level <- level %||% r$level
  if (r$measure == "percent change") {
    d <- claim_from_percent(paste0(r$estimate, "%"), paste0(r$lower, "%"),
                            paste0(r$upper, "%"), p = p, level = level,
                            direction = if (r$direction < 0) "reduction"
                                        else "increase")
    return(claim_check(d, null = null))
  }
  scale <- if (is.null(scale)) (if (r$log_scale) "log" else "linear") else
    nev_match_arg(scale, c("log", "linear"), "scale")
  claim_check(r$estimate, r$lower, r$upper, p = p, level = level,
              scale = scale, null = null)
}

# effect_ci() arguments from a quoted estimate and CI.
effect_ci_string <- function(x, measure) {
  r <- scan_one_string(x, "estimate")
  if (is.na(r$lower_value))
    nev_stop("`estimate` must quote an estimate with its CI, such as ",
             "\"0.91 (0.85-1.00)\" (got \"", x, "\": no CI)")
  if (is.null(measure)) {
    if (r$measure == "percent change")
      nev_stop("`estimate` quotes a percent change (\"", x, "\"): give the ",
               "ratio and its CI, or use claim_from_percent()")
    measure <- switch(r$measure, "mean difference" = "MD",
                      other = if (r$log_scale) "RR" else "MD", r$measure)
  }
  list(estimate = r$estimate_value, lower = r$lower_value,
       upper = r$upper_value, level = r$level, measure = measure)
}
