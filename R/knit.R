# Tables in R Markdown. knitr is suggested, not imported: these methods are
# registered lazily for knitr's generic.
k2_kable <- function(df, ...) {
  chr <- vapply(df, is.character, logical(1))
  df[chr] <- lapply(df[chr], function(x) ifelse(is.na(x), "", x))
  knitr::knit_print(knitr::kable(df, row.names = FALSE, digits = 3), ...)
}

#' Render results as tables in R Markdown
#'
#' `knit_print()` methods so that, in an R Markdown document, the package's
#' data-frame-like results print as tables (via [knitr::kable()]) instead of
#' console text. They are used automatically by knitr; there is no need to
#' call them.
#'
#' @param x A result: `nev_k2_evidence` (from [k2_evidence()]) or its
#'   summary, `nev_claim` (from [claim_check()]), `nev_effect` (from the
#'   `effect_*()` functions), `nev_pool` (from [pool()] and [pool_counts()]:
#'   the pooled estimate with `k`, tau^2, I^2 and Q), `nev_dose`,
#'   `nev_curve` and `nev_usual` (their [tidy()] tables), `nev_intake` or
#'   its summary (the distribution's mean, SD and percentiles) and `nev_pk`
#'   (accumulation and steady state).
#' @param ... Passed to [knitr::knit_print()].
#' @return A `knit_asis` object, as from [knitr::knit_print()].
#' @name knit_print.nev
#' @family k2
#' @keywords internal
NULL

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_pool <- function(x, ...) {
  k2_kable(cbind(tidy(x), glance(x)[c("k", "tau.squared", "i.squared",
                                      "cochran.qe", "p.value.cochran.qe")]),
           ...)
}

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_claim <- function(x, ...) {
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE)
  cols <- intersect(c("estimate", "lower", "upper", "p_reported",
                      "p_implied_low", "p_implied_high", "symmetric",
                      "verdict", "reason"), names(df))
  k2_kable(df[cols], ...)
}

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_effect <- function(x, ...) {
  k2_kable(as.data.frame(unclass(x), stringsAsFactors = FALSE), ...)
}

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_dose <- function(x, ...) k2_kable(tidy(x), ...)

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_curve <- function(x, ...) k2_kable(tidy(x), ...)

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_usual <- function(x, ...) k2_kable(tidy(x), ...)

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.summary.nev_intake <- function(x, ...) {
  st <- x$stats
  k2_kable(as.data.frame(as.list(st), check.names = FALSE), ...)
}

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_intake <- function(x, ...) {
  knit_print.summary.nev_intake(summary(x), ...)
}

#' @rdname knit_print.nev
#' @exportS3Method knitr::knit_print
knit_print.nev_pk <- function(x, ...) {
  k2_kable(data.frame(
    dose = x$dose, interval = x$interval, half_life = x$half_life,
    accumulation = x$accumulation, time_to_90 = x$time_to_90,
    doses_to_90 = x$doses_to_90, css_average = x$css_average), ...)
}
