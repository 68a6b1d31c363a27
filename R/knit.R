# Tables in R Markdown. knitr is suggested, not imported: these methods are
# registered lazily for knitr's generic. Every table goes through
# nev_knit_table() (R/report.R).

#' Render results as tables in R Markdown
#'
#' `knit_print()` methods so that, in an R Markdown document, the package's
#' results print as tables instead of console text: through the flextable
#' package when it is installed (HTML, Word and PDF output from one table,
#' with a caption and notes), else [knitr::kable()]. They are used
#' automatically by knitr; there is no need to call them.
#'
#' @param x A result: any fitted model (class `nev_fit`, e.g. from [pool()],
#'   [dose_response()], [dose_curve()], [intake_usual()]: the table of
#'   [report_table()], with the rows of its kind of fit), a
#'   `nev_report_table`, `nev_assessment` (from [claim_assess()] and
#'   [k2_evidence()], documented there) or its
#'   summary, `nev_claim` (from [claim_check()]), `nev_effect` (from the
#'   `effect_*()` functions), `nev_intake` or its summary (the
#'   distribution's mean, SD and percentiles) and `nev_pk` (accumulation and
#'   steady state).
#' @param ... Passed to [knitr::knit_print()].
#' @return A `knit_asis` object, as from [knitr::knit_print()].
#' @name knit_print.nev
#' @family reports
#' @keywords internal
NULL

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_fit <- function(x, ...) {
  knit_print.nev_report_table(report_table(x), ...)
}

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_report_table <- function(x, ...) {
  nev_knit_table(report_text(x), attr(x, "caption"), attr(x, "notes"), ...)
}

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_claim <- function(x, ...) {
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE)
  cols <- intersect(c("estimate", "lower", "upper", "p_reported",
                      "p_implied_low", "p_implied_high", "symmetric",
                      "verdict", "reason"), names(df))
  df$p_implied_low <- report_p(df$p_implied_low)
  df$p_implied_high <- report_p(df$p_implied_high)
  df <- df[cols]
  labels <- c(estimate = "Estimate", lower = "Lower", upper = "Upper",
              p_reported = "p reported", p_implied_low = "p implied (from)",
              p_implied_high = "p implied (to)", symmetric = "Symmetric",
              verdict = "Verdict", reason = "Reason")
  names(df) <- labels[names(df)]
  nev_knit_table(df, ...)
}

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_effect <- function(x, ...) {
  nev_knit_table(as.data.frame(unclass(x), stringsAsFactors = FALSE), ...)
}

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.summary.nev_intake <- function(x, ...) {
  st <- x$stats
  nev_knit_table(as.data.frame(as.list(st), check.names = FALSE), ...)
}

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_intake <- function(x, ...) {
  knit_print.summary.nev_intake(summary(x), ...)
}

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_pk <- function(x, ...) {
  nev_knit_table(data.frame(
    dose = x$dose, interval = x$interval, half_life = x$half_life,
    accumulation = x$accumulation, time_to_90 = x$time_to_90,
    doses_to_90 = x$doses_to_90, css_average = x$css_average), ...)
}
