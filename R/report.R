# Report-ready tables of fitted objects: the numbers (report_table()) and
# their rendering (flextable when installed, else knitr::kable()).

#' Report-ready table of a fitted model
#'
#' The table that [knitr::knit_print()] shows for a fitted object in an R
#' Markdown document, as a data frame: one row per pooled estimate or
#' coefficient, on the natural scale for ratio measures, with the rows a
#' reader expects for the kind of fit. It is built from [tidy()] and
#' [glance()], so every fit built on the `nev_fit` base class has one; the
#' meta-analysis families add their own rows:
#' * a meta-analysis ([pool()], [pool_counts()]): the pooled estimate with
#'   `k`, tau^2, I^2 and Cochran's Q; the prediction interval in the notes;
#' * a subgroup analysis: one row per subgroup with that subgroup's `k`,
#'   estimate, tau^2, I^2 and Q, then the overall row, and the test for
#'   subgroup differences (Q-between) in the notes;
#' * trim and fill ([trim_fill()]): the estimate from the observed studies
#'   and with the `k0` filled ones, and the side they were filled on;
#' * a meta-regression: the coefficients, with the test of moderators (QM)
#'   and R^2 in the notes.
#'
#' Printing in R Markdown uses the flextable package when it is installed
#' (one table object for HTML, Word and PDF output, with the caption and
#' the notes as footer lines), else [knitr::kable()]; set
#' `options(nutrievidence.table = "kable")` to use kable always. p-values
#' print as `"< 0.001"` below 0.001.
#'
#' @param x A fitted object (class `nev_fit`, e.g. from [pool()],
#'   [dose_response()], [dose_curve()] or [intake_usual()]).
#' @param exponentiate Show estimates and intervals as `exp()` of the model
#'   scale. Default: `TRUE` for ratio measures pooled on the log scale
#'   (`measure` one of `"RR"`, `"OR"`, `"HR"`, `"IRR"`, `"ROM"`), `FALSE`
#'   otherwise (a dose-response slope per unit of dose stays a log relative
#'   risk: its exponent rounds to 1.00).
#' @param digits Decimal places of the estimates (more where needed to show
#'   two significant digits of the smallest one).
#' @param ... Unused.
#' @return A data frame of class `nev_report_table` with columns `term`
#'   (the row's label), `k` (where it applies), `estimate`, `conf.low`,
#'   `conf.high`, `p.value` and, for meta-analyses, `tau.squared`,
#'   `i.squared`, `cochran.qe`, `df.cochran.qe`, `p.value.cochran.qe`
#'   (`std.error` when not exponentiated); and attributes `caption`,
#'   `notes` (lines printed below the table), `stats` (the [glance()] row
#'   the notes are built from), `exponentiated`, `digits`, `level` and
#'   `estimate_label` (the estimate column's header).
#' @family reports
#' @examples
#' yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01, -0.47,
#'         -1.37, -0.34, 0.45, -0.02)
#' vi <- c(0.326, 0.195, 0.415, 0.020, 0.051, 0.007, 0.223, 0.004, 0.056,
#'         0.073, 0.012, 0.533, 0.071)
#' alloc <- c("random", "random", "random", "random", "other", "other",
#'            "random", "random", "random", "other", "other", "other",
#'            "other")
#' report_table(pool(yi, vi, measure = "RR", subgroup = alloc))
#' @export
report_table <- function(x, exponentiate = NULL, digits = 2L, ...) {
  UseMethod("report_table")
}

#' @export
report_table.default <- function(x, exponentiate = NULL, digits = 2L, ...) {
  nev_stop("`x` must be a fitted object of the package (got ",
           class(x)[1], ")")
}

#' @export
report_table.nev_fit <- function(x, exponentiate = NULL, digits = 2L, ...) {
  ex <- report_exponentiate(x, exponentiate)
  tab <- tidy(x, exponentiate = ex)
  cols <- c("term", if (!ex) "std.error", "estimate", "conf.low", "conf.high",
            "p.value")
  report_new(tab[cols], x, ex, digits, report_caption(x, ex),
             report_notes(x, ex, digits))
}

#' @export
report_table.nev_pool <- function(x, exponentiate = NULL, digits = 2L, ...) {
  ex <- report_exponentiate(x, exponentiate)
  report_new(report_pool_row(x, ex, "Pooled estimate"), x, ex, digits,
             report_caption(x, ex), report_notes(x, ex, digits))
}

#' @export
report_table.nev_subgroup <- function(x, exponentiate = NULL, digits = 2L,
                                      ...) {
  ex <- report_exponentiate(x, exponentiate)
  s <- x$subgroups
  tf <- if (ex) exp else identity
  rows <- data.frame(term = as.character(s$group), k = s$k,
                     estimate = tf(s$estimate), conf.low = tf(s$conf.low),
                     conf.high = tf(s$conf.high), p.value = s$p.value,
                     tau.squared = s$tau.squared, i.squared = s$i.squared,
                     cochran.qe = s$cochran.qe,
                     df.cochran.qe = s$df.cochran.qe,
                     p.value.cochran.qe = s$p.value.cochran.qe,
                     stringsAsFactors = FALSE)
  report_new(rbind(rows, report_pool_row(x, ex, "Overall")), x, ex, digits,
             report_caption(x, ex), report_notes(x, ex, digits))
}

#' @export
report_table.nev_trimfill <- function(x, exponentiate = NULL, digits = 2L,
                                      ...) {
  ex <- report_exponentiate(x, exponentiate)
  lab <- sprintf("With %d filled stud%s (%s side)", x$k0,
                 if (x$k0 == 1L) "y" else "ies", x$side)
  tab <- rbind(report_pool_row(x$original, ex, "Observed studies"),
               report_pool_row(x, ex, lab))
  report_new(tab, x, ex, digits, report_caption(x, ex),
             report_notes(x, ex, digits))
}

#' @export
report_table.nev_metareg <- function(x, exponentiate = NULL, digits = 2L,
                                     ...) {
  report_table.nev_fit(x, exponentiate, digits)
}

# The pooled row of a meta-analysis with its heterogeneity.
report_pool_row <- function(x, ex, label) {
  td <- tidy(x, exponentiate = ex)[1, ]
  g <- glance(x)
  # a common-effect model assumes tau^2 = 0: nothing estimated to show
  if (report_common(x)) g$tau.squared <- NA_real_
  data.frame(term = label, k = g$k, estimate = td$estimate,
             conf.low = td$conf.low, conf.high = td$conf.high,
             p.value = td$p.value, tau.squared = g$tau.squared,
             i.squared = g$i.squared, cochran.qe = g$cochran.qe,
             df.cochran.qe = g$df.cochran.qe,
             p.value.cochran.qe = g$p.value.cochran.qe,
             stringsAsFactors = FALSE)
}

report_common <- function(x) x$method %in% c("FE", "MH", "Peto")

report_new <- function(tab, x, ex, digits, caption, notes) {
  if (!is.numeric(digits) || length(digits) != 1L || is.na(digits) ||
      digits < 0 || digits > 10)
    nev_stop("`digits` must be a single number from 0 to 10 (got ",
             paste(format(digits), collapse = ", "), ")")
  row.names(tab) <- NULL
  structure(tab, class = c("nev_report_table", "data.frame"),
            caption = caption, notes = notes, stats = glance(x),
            exponentiated = ex, digits = as.integer(digits), level = x$level,
            estimate_label = report_estimate_label(x, ex))
}

# Ratios pooled on the log scale are shown as ratios.
report_exponentiate <- function(x, exponentiate) {
  if (is.null(exponentiate))
    return(isTRUE((x$measure %||% "") %in% effect_ratio_measures))
  if (!is.logical(exponentiate) || length(exponentiate) != 1L ||
      is.na(exponentiate))
    nev_stop("`exponentiate` must be TRUE, FALSE or NULL (got ",
             paste(format(exponentiate), collapse = ", "), ")")
  exponentiate
}

# ---- captions and notes -----------------------------------------------------

report_caption <- function(x, ex) UseMethod("report_caption")

#' @export
report_caption.nev_fit <- function(x, ex) {
  what <- c(nev_dose = "Dose-response model", nev_curve = "Dose-response curve",
            nev_usual = "Usual intake model")[class(x)[1]]
  paste0(if (is.na(what)) "Fitted model" else what,
         if (!is.null(x$shape)) paste0(" (", x$shape, ")"),
         if (ex) ": coefficients as exp(estimate)")
}

#' @export
report_caption.nev_pool <- function(x, ex) {
  model <- if (report_common(x))
    paste0("Common-effect meta-analysis",
           if (x$method != "FE") paste0(" (", x$method, ")"))
  else paste0("Random-effects meta-analysis (", x$method, ")")
  if (inherits(x, "nev_metareg"))
    model <- if (x$method == "FE") "Fixed-effects meta-regression"
             else paste0("Mixed-effects meta-regression (", x$method, ")")
  if (inherits(x, "nev_subgroup")) model <- paste(model, "by subgroup")
  if (inherits(x, "nev_trimfill"))
    model <- paste0(model, " with trim and fill (", x$estimator, ")")
  scale <- report_scale_name(x$measure, ex, inherits(x, "nev_metareg"))
  paste0(model, if (nzchar(scale)) paste0(": ", scale))
}

report_scale_name <- function(measure, ex, coefficients) {
  name <- if (is.null(measure)) NA else plot_measure_names[measure]
  if (is.na(name)) return(if (ex) "estimates as exp(estimate)" else "")
  if (coefficients && ex) return(paste0(name, " scale, coefficients as ",
                                        "exp(b)"))
  if (ex || !measure %in% effect_ratio_measures) return(name)
  paste("log", name)
}

report_notes <- function(x, ex, digits) UseMethod("report_notes")

#' @export
report_notes.nev_fit <- function(x, ex, digits) {
  g <- glance(x)
  c(if (!is.null(g$k)) paste0("Studies: ", g$k)
    else paste0("Observations: ", nobs(x)),
    if (isFALSE(g$converged)) "Warning: the fit did not converge")
}

#' @export
report_notes.nev_pool <- function(x, ex, digits) {
  tf <- if (ex) exp else identity
  g <- glance(x)
  c(if (!inherits(x, "nev_metareg") && !report_common(x) && !is.na(g$pi.low))
      paste0(round(100 * x$level), "% prediction interval: ",
             report_num(tf(g$pi.low), digits), " to ",
             report_num(tf(g$pi.high), digits)),
    if (identical(x$test, "hksj"))
      paste0("Knapp-Hartung (HKSJ) t-test with ", x$ddf[1], " df"),
    if (isFALSE(g$converged)) "Warning: the estimator did not converge")
}

#' @export
report_notes.nev_subgroup <- function(x, ex, digits) {
  g <- glance(x)
  c(paste0("Test for subgroup differences: Q = ",
           report_num(g$cochran.qb, 2), " (df = ", g$df.cochran.qb, "), p ",
           report_p_text(g$p.value.cochran.qb)),
    NextMethod())
}

#' @export
report_notes.nev_trimfill <- function(x, ex, digits) {
  c(paste0("Trim and fill (", x$estimator, "): k0 = ", x$k0, " (SE ",
           report_num(x$k0_se, 2), ") studies filled on the ", x$side,
           " side"),
    NextMethod())
}

#' @export
report_notes.nev_metareg <- function(x, ex, digits) {
  g <- glance(x)
  qm <- if (identical(x$QM_test, "F"))
    paste0("F(", g$df.cochran.qm, ", ", x$ddf[1], ")")
  else paste0("QM(df = ", g$df.cochran.qm, ")")
  c(paste0("Test of moderators: ", qm, " = ", report_num(g$cochran.qm, 2),
           ", p ", report_p_text(g$p.value.cochran.qm)),
    paste0("Residual heterogeneity: tau^2 = ",
           report_num(g$tau.squared, max(digits, 3L)), ", I^2 = ",
           report_num(g$i.squared, 1), "%, QE(df = ", g$df.cochran.qe,
           ") = ", report_num(g$cochran.qe, 2), ", p ",
           report_p_text(g$p.value.cochran.qe)),
    if (!is.na(g$r.squared))
      paste0("R^2 (heterogeneity accounted for) = ",
             report_num(g$r.squared, 1), "%"),
    paste0("k = ", g$k),
    NextMethod())
}

# ---- formatting -------------------------------------------------------------

report_num <- function(x, digits) {
  ifelse(is.na(x), "", formatC(x, digits = digits, format = "f"))
}

# "< 0.001" below 0.001, else three decimals.
report_p <- function(p) {
  ifelse(is.na(p), "", ifelse(p < 0.001, "< 0.001",
                              formatC(p, digits = 3, format = "f")))
}

report_p_text <- function(p) {
  ifelse(is.na(p), "NA", ifelse(p < 0.001, "< 0.001",
                                paste("=", formatC(p, digits = 3,
                                                   format = "f"))))
}

# Decimal places that show a column's smallest non-zero value with two
# significant digits, at least `digits`.
report_places <- function(x, digits) {
  x <- abs(x[is.finite(x) & x != 0])
  if (!length(x)) return(digits)
  as.integer(min(max(digits, 1 - floor(log10(min(x)))), 6))
}

# The table as text, as printed: the interval in one column, Q with its df.
report_text <- function(tab) {
  d <- attr(tab, "digits") %||% 2L
  lev <- attr(tab, "level") %||% 0.95
  out <- data.frame(term = tab$term, stringsAsFactors = FALSE)
  if (!is.null(tab$k)) out$k <- as.character(tab$k)
  d <- report_places(c(tab$estimate, tab$conf.low, tab$conf.high), d)
  out$estimate <- report_num(tab$estimate, d)
  if (!is.null(tab$std.error))
    out$std.error <- report_num(tab$std.error, report_places(tab$std.error, d))
  out$ci <- ifelse(is.na(tab$conf.low), "", paste0(
    report_num(tab$conf.low, d), " to ", report_num(tab$conf.high, d)))
  out$p.value <- report_p(tab$p.value)
  if (!is.null(tab$tau.squared)) {
    out$tau.squared <- report_num(tab$tau.squared,
                                  report_places(tab$tau.squared, 3L))
    out$i.squared <- paste0(report_num(tab$i.squared, 1), "%")
    out$cochran.qe <- ifelse(is.na(tab$cochran.qe), "", paste0(
      report_num(tab$cochran.qe, 2), " (", tab$df.cochran.qe, ")"))
    out$p.value.cochran.qe <- report_p(tab$p.value.cochran.qe)
  }
  names(out) <- report_header(names(out), tab, lev)
  out
}

# The estimate column's header: the measure ("RR") when the rows are
# pooled ratios, exp(b) for exponentiated coefficients.
report_estimate_label <- function(x, ex) {
  pooled <- inherits(x, "nev_pool") && !inherits(x, "nev_metareg")
  if (pooled && !is.null(x$measure) && !is.na(plot_measure_names[x$measure]))
    return(if (ex || !x$measure %in% effect_ratio_measures) x$measure
           else paste0("log ", x$measure))
  if (ex) "exp(b)" else "Estimate"
}

report_header <- function(nm, tab, level) {
  est <- attr(tab, "estimate_label") %||% "Estimate"
  labels <- c(term = "", k = "k", estimate = est, std.error = "SE",
              ci = paste0(format(100 * level), "% CI"), p.value = "p", tau.squared = "tau^2",
              i.squared = "I^2", cochran.qe = "Q (df)",
              p.value.cochran.qe = "p (Q)")
  unname(labels[nm])
}

#' @export
print.nev_report_table <- function(x, ...) {
  cat(attr(x, "caption"), "\n", sep = "")
  print(report_text(x), row.names = FALSE, right = TRUE)
  notes <- attr(x, "notes")
  if (length(notes)) cat(notes, sep = "\n")
  invisible(x)
}

# ---- rendering --------------------------------------------------------------

# A table for R Markdown: flextable (HTML, Word and PDF from one object)
# when installed and not switched off, else knitr::kable(). `df` is the
# text to show; `caption` and `notes` go above and below.
nev_knit_table <- function(df, caption = NULL, notes = NULL, ...) {
  chr <- vapply(df, is.character, logical(1))
  df[chr] <- lapply(df[chr], function(v) ifelse(is.na(v), "", v))
  if (nev_use_flextable())
    return(knitr::knit_print(nev_flextable(df, caption, notes), ...))
  tab <- knitr::kable(df, row.names = FALSE, digits = 3, caption = caption)
  knitr::asis_output(paste(c("", tab, "", if (length(notes))
    paste0(notes, "  ")), collapse = "\n"))
}

nev_use_flextable <- function() {
  !identical(getOption("nutrievidence.table"), "kable") &&
    requireNamespace("flextable", quietly = TRUE)
}

nev_flextable <- function(df, caption = NULL, notes = NULL) {
  # flextable needs unique, non-empty column keys; the headers are labels
  header <- names(df)
  names(df) <- paste0("col", seq_along(df))
  ft <- flextable::flextable(df)
  ft <- flextable::set_header_labels(
    ft, values = stats::setNames(as.list(report_symbols(header)), names(df)))
  if (!is.null(caption)) ft <- flextable::set_caption(ft, caption)
  if (length(notes))
    ft <- flextable::add_footer_lines(ft, report_symbols(notes))
  num <- which(vapply(df, report_numeric_text, TRUE))
  if (length(num))
    ft <- flextable::align(ft, j = num, align = "right", part = "all")
  ft <- flextable::fontsize(ft, size = 9, part = "all")
  # long text (a reason, a quotation) wraps within the page width; short
  # columns keep their natural width
  if (any(nchar(as.matrix(df)) > 40L))
    return(flextable::set_table_properties(ft, layout = "autofit",
                                           width = 1))
  flextable::autofit(ft)
}

# Numbers, intervals and p-values (right-aligned), not words.
report_numeric_text <- function(v) {
  v <- as.character(v)
  v <- v[!is.na(v) & nzchar(v)]
  length(v) > 0L && all(grepl("^[-+<>0-9. %()e]*( to [-+0-9. ]*)?$", v))
}

# tau^2 and I^2 as symbols where the output can show them (flextable).
report_symbols <- function(x) {
  gsub("I^2", "I\u00b2", gsub("tau^2", "\u03c4\u00b2", x, fixed = TRUE),
       fixed = TRUE)
}
