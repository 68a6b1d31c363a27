# Build data/k2_claims.rda from inst/extdata/k2_claims.csv.
#
# inst/extdata/k2_claims.csv holds the claims of the four seed articles, one
# row per claim, in the schema of claim_schema(): what the claim asserts
# (claim_type), which source bears on it (source_id, a row of k2_studies;
# empty when none was found, with what was searched), which source the
# article names (cited_id), what the source reports about it
# (source_reports: yes / partly / no / opposite, empty when its text was not
# checked) and the numbers the ARTICLE prints (measure, estimate, lower,
# upper, p_reported). The source's own numbers live in k2_studies. No column
# holds a verdict: claim_assess() derives every judgement from these facts.
# `dossier_status` keeps the verification status of the original reference
# dossier (yes / partial / contradicted / no, or "not in dossier" for claims
# added on re-reading the seeds), so that tests can check that no status was
# upgraded without a source.
#
# Run from the package root: Rscript data-raw/k2_claims.R
raw <- utils::read.csv("inst/extdata/k2_claims.csv", colClasses = "character",
                       na.strings = character(0), check.names = FALSE,
                       encoding = "UTF-8")
expected <- c("id", "seed_file", "claim_quote", "cited_as", "claim_type",
              "source_id", "cited_id", "source_reports", "measure",
              "estimate", "lower", "upper", "p_reported", "stated",
              "basis_g", "endpoint", "about", "searched", "source_says",
              "dossier_status", "note", "values_from")
stopifnot(identical(names(raw), expected), !anyDuplicated(raw$id),
          !any(grepl("verdict", names(raw))))

k2_claims <- raw
# Empty strings mean "not reported" or "none": NA in the dataset.
k2_claims[] <- lapply(k2_claims, function(x) {
  x[!nzchar(trimws(x))] <- NA
  enc2utf8(x)
})
k2_claims$basis_g <- as.numeric(k2_claims$basis_g)
# Every claim without a source says where one was looked for.
stopifnot(all(!is.na(k2_claims$source_id) | !is.na(k2_claims$cited_id) |
                !is.na(k2_claims$searched)))
save(k2_claims, file = "data/k2_claims.rda", compress = "xz", version = 2)
