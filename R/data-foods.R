#' Vitamin K2 (menaquinone) content of foods, one row per source
#'
#' Menaquinone contents of foods as quoted in the literature and on the web
#' pages the vitamin K2 articles rely on. Several foods appear more than once
#' because different sources give different numbers: every source's row is
#' kept, nothing is averaged. Use [k2_content()] to see the range and which
#' source says what, and pick the value you want to use in a diet for
#' [intake_simulate()].
#'
#' @format A data frame with 25 rows and 9 columns:
#' \describe{
#'   \item{food}{Food as described by the source, with the country of the
#'     samples where known (NL, US, FI).}
#'   \item{group}{A coarse food group for look-ups: natto, cheese, egg,
#'     butter, chicken, liver, meat, vegetable.}
#'   \item{form}{Which vitamin K is measured: `MK-4`, `MK-7`, `MK-8`,
#'     `MK-8+MK-9`, `total MK` (all menaquinones) or `total vitamin K
#'     (K1+MKs)`.}
#'   \item{ug_per_100g}{Content in micrograms per 100 g of food (wet weight);
#'     `NA` when the source gives a range only.}
#'   \item{ug_per_100g_min, ug_per_100g_max}{The range given by the source in
#'     micrograms per 100 g; both equal `ug_per_100g` for a single value.}
#'   \item{basis_note}{What the source actually says (serving sizes, quoted
#'     wording, recalled decimals).}
#'   \item{source}{The measuring paper and, for secondary evidence, the page
#'     that quotes it.}
#'   \item{evidence}{`verified` (checked against the measuring paper),
#'     `primary` (the measuring paper), `secondary` (a page quoting it),
#'     `secondary/unverified-decimal` (the decimals are recalled, not
#'     checked) or `unverified`.}
#' }
#' @source Built by `data-raw/k2_foods.R` from
#'   `inst/extdata/k2_food_composition.csv`. The underlying measurements are
#'   mostly Schurgers and Vermeer (2000) Haemostasis 30:298-307, the NIH
#'   Office of Dietary Supplements vitamin K fact sheet (USDA data),
#'   Koivu-Tikkanen et al. (2000) J Agric Food Chem 48:6325, Vermeer et al.
#'   (2018) Nutrients 10:446 and J Home Econ Jpn 50(4):309, mostly as quoted by
#'   secondary web pages (see `source` and `evidence`).
#' @family intake
#' @examples
#' head(k2_foods[, c("food", "form", "ug_per_100g", "evidence")])
#' k2_content("natto", "MK-7")
"k2_foods"

#' Summarise the vitamin K2 content of a food across sources
#'
#' Looks a food up in [k2_foods] and reports the range of values and which
#' source says what, so that the choice of a content for [intake_simulate()]
#' is explicit.
#'
#' @param food A single string: a food group (`"natto"`, `"cheese"`,
#'   `"egg"`, `"butter"`, `"chicken"`, `"liver"`, `"meat"`, `"vegetable"`)
#'   or part of a food name (case-insensitive), e.g. `"hard cheese"`.
#' @param form Optional character vector of forms to keep (`"MK-4"`,
#'   `"MK-7"`, `"total MK"`, ...); `NULL` keeps all.
#' @return A data frame of class `nev_k2_content`, one row per matching
#'   source, with columns `food`, `form`, `ug_per_100g_min`,
#'   `ug_per_100g_max`, `ug_per_g_min`, `ug_per_g_max` (micrograms per gram,
#'   the unit of `content_ug_per_g` in [intake_simulate()]), `evidence` and
#'   `source`. Its attribute `"range"` is a data frame with one row per form:
#'   `form`, `n` (number of rows), `min`, `max` (micrograms per 100 g).
#' @family intake
#' @examples
#' k2_content("natto")
#' k2_content("cheese", form = "total MK")
#' @export
k2_content <- function(food, form = NULL) {
  if (!is.character(food) || length(food) != 1L || is.na(food) ||
      !nzchar(food))
    nev_stop("`food` must be a single non-empty string (got ",
             if (is.character(food)) paste0(length(food), " strings")
             else class(food)[1], ")")
  kf <- nutrievidence::k2_foods
  hit <- tolower(kf$group) == tolower(food) |
    grepl(tolower(food), tolower(kf$food), fixed = TRUE)
  if (!is.null(form)) {
    if (!is.character(form) || anyNA(form))
      nev_stop("`form` must be NULL or a character vector (got ",
               class(form)[1], ")")
    hit <- hit & kf$form %in% form
  }
  if (!any(hit)) {
    nev_stop("no row of `k2_foods` matches `food` = \"", food, "\"",
             if (!is.null(form)) paste0(" and `form` = ",
                                        paste0("\"", form, "\"",
                                               collapse = ", ")),
             "; food groups are ",
             paste(sort(unique(kf$group)), collapse = ", "))
  }
  d <- kf[hit, ]
  out <- data.frame(food = d$food, form = d$form,
                    ug_per_100g_min = d$ug_per_100g_min,
                    ug_per_100g_max = d$ug_per_100g_max,
                    ug_per_g_min = d$ug_per_100g_min / 100,
                    ug_per_g_max = d$ug_per_100g_max / 100,
                    evidence = d$evidence, source = d$source,
                    stringsAsFactors = FALSE)
  rownames(out) <- NULL
  forms <- unique(out$form)
  rng <- data.frame(
    form = forms,
    n = vapply(forms, function(f) sum(out$form == f), integer(1)),
    min = vapply(forms, function(f) min(out$ug_per_100g_min[out$form == f]),
                 numeric(1)),
    max = vapply(forms, function(f) max(out$ug_per_100g_max[out$form == f]),
                 numeric(1)),
    stringsAsFactors = FALSE, row.names = NULL)
  attr(out, "range") <- rng
  class(out) <- c("nev_k2_content", "data.frame")
  out
}

#' @export
print.nev_k2_content <- function(x, ...) {
  rng <- attr(x, "range")
  cat("Vitamin K2 content (ug per 100 g), by form:\n")
  for (i in seq_len(nrow(rng))) {
    r <- rng[i, ]
    cat(sprintf("  %-28s %s  (%d source row%s)\n", r$form,
                if (r$min == r$max) format(r$min)
                else paste(format(r$min), "to", format(r$max)),
                r$n, if (r$n > 1) "s" else ""))
  }
  cat("Which source says what:\n")
  d <- as.data.frame(unclass(x)[c("food", "form", "ug_per_100g_min",
                                  "ug_per_100g_max", "evidence", "source")],
                     stringsAsFactors = FALSE)
  val <- ifelse(d$ug_per_100g_min == d$ug_per_100g_max,
                format(d$ug_per_100g_min),
                paste0(d$ug_per_100g_min, "-", d$ug_per_100g_max))
  for (i in seq_len(nrow(d)))
    cat(sprintf("  %s, %s: %s [%s] %s\n", d$food[i], d$form[i], trimws(val[i]),
                d$evidence[i], d$source[i]))
  invisible(x)
}
