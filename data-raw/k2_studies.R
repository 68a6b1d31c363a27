# Build data/k2_studies.rda from inst/extdata/k2_studies.csv.
#
# One row per reported effect estimate (or trial) behind the seed articles'
# claims. Every number comes from the source named in the `source` column;
# a number that could not be verified is left empty (NA). Per-arm counts are
# given only where a published abstract or table states them.
#
# Run from the package root: Rscript data-raw/k2_studies.R
raw <- utils::read.csv("inst/extdata/k2_studies.csv", colClasses = "character",
                       na.strings = character(0), check.names = FALSE)
stopifnot(!anyDuplicated(raw$study_id))

num <- c("year", "dose", "mean_trt", "sd_trt", "mean_ctl", "sd_ctl",
         "baseline_trt", "baseline_ctl",
         "estimate_value", "lower_value", "upper_value")
int <- c("n", "cases", "events_trt", "n_trt", "events_ctl", "n_ctl")

k2_studies <- raw
k2_studies$estimate_value <- suppressWarnings(as.numeric(raw$estimate))
k2_studies$lower_value <- suppressWarnings(as.numeric(raw$lower))
k2_studies$upper_value <- suppressWarnings(as.numeric(raw$upper))
for (v in int) {
  stopifnot(all(grepl("^[0-9]*$", raw[[v]])))
  k2_studies[[v]] <- as.integer(ifelse(nzchar(raw[[v]]), raw[[v]], NA))
}
for (v in setdiff(num, c("estimate_value", "lower_value", "upper_value")))
  k2_studies[[v]] <- as.numeric(ifelse(nzchar(raw[[v]]), raw[[v]], NA))
chr <- vapply(k2_studies, is.character, logical(1))
k2_studies[chr] <- lapply(k2_studies[chr], function(x) {
  x[!nzchar(x)] <- NA
  x
})

# Sanity: events never exceed arm sizes; CIs bracket the estimate.
with(k2_studies, {
  stopifnot(all(is.na(events_ctl) | is.na(n_ctl) | events_ctl <= n_ctl))
  stopifnot(all(is.na(lower_value) | lower_value <= estimate_value))
  stopifnot(all(is.na(upper_value) | upper_value >= estimate_value))
})
front <- c("study_id", "study", "cohort_or_trial", "year", "design",
           "population", "exposure", "outcome", "comparison", "level",
           "measure", "estimate", "lower", "upper", "estimate_value",
           "lower_value", "upper_value")
k2_studies <- k2_studies[c(front, setdiff(names(k2_studies), front))]
save(k2_studies, file = "data/k2_studies.rda", compress = "xz", version = 2)
