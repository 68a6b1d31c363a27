# Build data/k2_claims.rda from inst/extdata/k2_claims.csv.
#
# inst/extdata/k2_claims.csv is the reference dossier of the seed articles'
# claims (one row per quantitative claim, plus context rows for the real
# studies behind them), with rows appended for claims that were found on
# re-reading the seeds but had no row in the dossier (those are marked
# verified = "no", values_from = "seed").
#
# Run from the package root: Rscript data-raw/k2_claims.R
raw <- utils::read.csv("inst/extdata/k2_claims.csv", colClasses = "character",
                       na.strings = character(0), check.names = FALSE)

expected <- c("id", "seed_file", "claim_quote", "cited_as", "study", "design",
              "outcome", "comparison", "measure", "estimate", "lower", "upper",
              "p_reported", "n", "source_citation", "verified", "note",
              "values_from")
stopifnot(identical(names(raw), expected), !anyDuplicated(raw$id))

# The dossier says "no" for "could not be verified": the package says
# "not found". Nothing else is recoded; no status is upgraded.
status <- c(yes = "yes", partial = "partial", contradicted = "contradicted",
            no = "not found")
stopifnot(all(raw$verified %in% names(status)))
raw$verified <- unname(status[raw$verified])

# A single number as printed ("0.40", "-5.9", "+1.3"), else NA.
as_single_number <- function(x) {
  ok <- grepl("^[+-]?[0-9]*\\.?[0-9]+$", trimws(x))
  out <- rep(NA_real_, length(x))
  out[ok] <- as.numeric(trimws(x[ok]))
  out
}

kind <- ifelse(grepl("^\\((context|Cockayne component)", raw$claim_quote),
               "context", "claim")

# The dossier's columns in its order, with `kind` after `seed_file` and the
# parsed values after `upper`.
cols <- function(from, to) raw[match(from, expected):match(to, expected)]
values <- lapply(raw[c("estimate", "lower", "upper")], as_single_number)
names(values) <- paste0(names(values), "_value")
k2_claims <- data.frame(cols("id", "seed_file"), kind = kind,
                        cols("claim_quote", "upper"), values,
                        cols("p_reported", "values_from"),
                        stringsAsFactors = FALSE)
# Empty strings mean "not reported": NA in the dataset.
chr <- vapply(k2_claims, is.character, logical(1))
k2_claims[chr] <- lapply(k2_claims[chr], function(x) {
  x[!nzchar(x)] <- NA
  x
})

stopifnot(all(!is.na(k2_claims$estimate_value[!is.na(k2_claims$lower_value)])))
save(k2_claims, file = "data/k2_claims.rda", compress = "xz", version = 2)
