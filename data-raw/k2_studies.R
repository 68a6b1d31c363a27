# Build data/k2_studies.rda from inst/extdata/k2_studies.csv.
#
# One row per reported effect estimate (or trial) behind the seed articles'
# claims. Every number comes from the source named in the `source` column;
# a number that could not be verified is left empty (NA). Per-arm counts are
# given only where a published abstract or table states them.
#
# k2_studies is also the sources table of claim_assess() (see
# claim_schema()): every source a claim in k2_claims rests on has a row,
# with its research-integrity status and notice (`status`, `notice`), the
# studies it pools (`rests_on`), its re-analysis without the compromised
# ones (`reanalysis_id`), design, endpoint type, population, dose form and
# funder. Citations that were looked for and not found have a row with
# found = "no" and what was searched.
#
# Food sources are derived here from inst/extdata/k2_food_composition.csv
# (the same rows as k2_foods), so that the contents are typed once.
# `baseline_risk` is the crude risk (cases / n) of cohort rows that report a
# per-unit ratio, the baseline of their absolute effect.
#
# Run from the package root: Rscript data-raw/k2_studies.R
raw <- utils::read.csv("inst/extdata/k2_studies.csv", colClasses = "character",
                       na.strings = character(0), check.names = FALSE,
                       encoding = "UTF-8")
stopifnot(!anyDuplicated(raw$source_id))

# Food sources from the food composition table: the range over its rows.
foods <- utils::read.csv("inst/extdata/k2_food_composition.csv",
                         colClasses = "character", encoding = "UTF-8")
food_row <- function(id, study, rows, outcome, citation, note) {
  v <- unlist(lapply(foods$ug_per_100g[rows], function(x)
    as.numeric(strsplit(x, "-", fixed = TRUE)[[1]])))
  out <- as.list(stats::setNames(rep("", ncol(raw)), names(raw)))
  out[c("source_id", "study", "design", "outcome", "level", "measure",
        "lower", "upper", "citation", "source", "note", "status", "found",
        "endpoint")] <-
    list(id, study, "food analysis", outcome, "food", "ug per 100 g",
         format(min(v)), format(max(v)),
         citation, paste0("k2_food_composition.csv (k2_foods): ",
                          paste(unique(foods$source[rows]), collapse = "; ")),
         note, "none", "yes", "content")
  as.data.frame(out, stringsAsFactors = FALSE, check.names = FALSE)
}
sv2000 <- paste("Schurgers LJ, Vermeer C. Determination of phylloquinone and",
                "menaquinones in food. Haemostasis 2000;30(6):298-307.",
                "doi:10.1159/000054147. PMID 11356998")
natto <- which(foods$food == "natto" & foods$form %in% c("MK-7", "total MK"))
cheese <- which(grepl("^cheese \\(62", foods$food))
butter <- which(foods$food == "butter")
animal <- which(foods$form == "MK-4" & !grepl("natto|cheese", foods$food) &
                  foods$ug_per_100g != "0")
raw <- rbind(raw,
  food_row("k2foods-natto", "Schurgers & Vermeer 2000 (natto)", natto,
           "menaquinones in natto", sv2000,
           "MK-7 and total menaquinones per 100 g."),
  food_row("vermeer2018-cheese", "Vermeer 2018 (62 cheeses)", cheese,
           "total menaquinones in cheese", paste(
             "Vermeer C et al. Menaquinone content of cheese. Nutrients",
             "2018;10(4):446. doi:10.3390/nu10040446. PMID 29617314"),
           "Range over 62 European cheeses."),
  food_row("k2foods-butter-mk4", "Schurgers & Vermeer 2000 (butter)", butter,
           "MK-4 in butter",
           sv2000, "MK-4 per 100 g."),
  food_row("k2foods-animal-mk4", "Schurgers & Vermeer 2000 and NIH (MK-4 in animal foods)", animal,
           "MK-4 in animal foods", sv2000, paste(unique(foods$food[animal]),
                                         collapse = ", ")))
stopifnot(!anyDuplicated(raw$source_id))

num <- c("dose", "sd", "mean_trt", "sd_trt", "mean_ctl", "sd_ctl",
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
  stopifnot(all(is.na(lower_value) | is.na(estimate_value) |
                    lower_value <= estimate_value))
  stopifnot(all(is.na(upper_value) | is.na(estimate_value) |
                    upper_value >= estimate_value))
})
k2_studies$baseline_risk <- ifelse(
  k2_studies$level %in% "per unit" & !is.na(k2_studies$cases) &
    !is.na(k2_studies$n), k2_studies$cases / k2_studies$n, NA_real_)
stopifnot(all(k2_studies$status %in% c("none", "retracted",
                                       "expression of concern", "questioned")),
          all(k2_studies$found %in% c("yes", "no")),
          !any(grepl("verdict", names(k2_studies))))
front <- c("source_id", "study", "cohort_or_trial", "year", "design",
           "population", "exposure", "outcome", "comparison", "level",
           "measure", "estimate", "lower", "upper", "estimate_value",
           "lower_value", "upper_value")
k2_studies <- k2_studies[c(front, setdiff(names(k2_studies), front))]
save(k2_studies, file = "data/k2_studies.rda", compress = "xz", version = 2)
