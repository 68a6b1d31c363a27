# Small claims and sources tables for the claim_assess() rules: one source of
# each kind, and a claim builder that fills the schema's required columns.

assess_sources <- function() {
  s <- data.frame(
    source_id = c("rct", "cohort", "cohort-null", "pooled", "retracted",
                  "questioned", "reanalysis", "rats", "food", "missing",
                  "replication", "industry", "intake", "arms"),
    study = c("Trial 2010", "Cohort 2004", "Cohort 2012", "Pool 2006",
              "Fraud 2005", "Doubt 2004", "Redo 2019", "Rats 2003",
              "Food 2000", "Ghost 2023", "Again 2017", "Maker 2015",
              "Intake 2009", "Arms 2015"),
    citation = c("Trial A. J Trials 2010. doi:10.1000/trial.1",
                 "Cohort B. J Cohorts 2004. doi:10.1000/cohort.2",
                 "Cohort C. J Cohorts 2012", "Pool D. Arch Med 2006",
                 "Fraud E. Bone 2005", "Doubt F. Am J Med 2004",
                 "Redo G. Osteoporos Int 2019", "Rats H. J Vasc Res 2003",
                 "Food I. Haemostasis 2000", "Ghost J. Nutrients 2023",
                 "Again K. Clin Nutr 2017", "Maker L. Thromb Haemost 2015",
                 "Intake M. NMCD 2009", "Arms N. Thromb Haemost 2015"),
    design = c("double-blind RCT", "prospective cohort", "prospective cohort",
               "meta-analysis of RCTs", "RCT", "RCT",
               "meta-analysis of RCTs", "animal experiment (rats)",
               "food analysis", "not found", "prospective cohort", "RCT",
               "prospective cohort", "RCT"),
    status = c("none", "none", "none", "expression of concern", "retracted",
               "questioned", "none", "none", "none", "none", "none", "none",
               "none", "none"),
    measure = c("RR", "HR", "HR", "Peto OR", "RR", "RR", "OR", NA,
                "ug per 100 g", NA, "HR", NA, "intake ug/d (mean, SD)",
                "mean difference"),
    estimate = c("0.70", "0.91", "0.86", "0.40", "0.13", "0.44", "0.98", NA,
                 NA, NA, "0.94", NA, "29.1", "-0.82"),
    lower = c("0.60", "0.85", "0.73", "0.25", "0.03", "0.20", "0.85", NA,
              "1000", NA, "0.82", NA, NA, NA),
    upper = c("0.82", "1.00", "1.01", "0.65", "0.55", "0.99", "1.14", NA,
              "1103", NA, "1.07", NA, NA, NA),
    stringsAsFactors = FALSE)
  s$rests_on <- ifelse(s$source_id == "pooled", "retracted; questioned", NA)
  s$reanalysis_id <- ifelse(s$source_id == "pooled", "reanalysis", NA)
  s$found <- ifelse(s$source_id == "missing", "no", "yes")
  s$searched <- ifelse(s$source_id == "missing", "the DOI and the journal", NA)
  s$endpoint <- c("hard", "hard", "hard", "hard", "hard", "hard", "hard",
                  "surrogate", "content", NA, "hard", "surrogate", "intake",
                  "surrogate")
  s$dose_form <- c("MK-7", "diet", "diet", "MK-4 45 mg", "MK-4 45 mg",
                   "MK-4 45 mg", NA, NA, NA, NA, "diet", "MK-7", NA, "MK-7")
  s$industry_funded <- ifelse(s$source_id == "industry", "yes", NA)
  s$replication_id <- ifelse(s$source_id == "cohort", "replication", NA)
  s$baseline_risk <- ifelse(s$source_id == "cohort", 0.03, NA)
  s$n <- ifelse(s$source_id == "cohort", 16057, NA)
  s$follow_up <- ifelse(s$source_id == "cohort", "8.1", NA)
  s$sex <- ifelse(s$source_id == "cohort", "women", NA)
  s$sd <- ifelse(s$source_id == "intake", 12.8, NA)
  s$mean_trt <- ifelse(s$source_id == "arms", -0.67, NA)
  s$baseline_trt <- ifelse(s$source_id == "arms", 11.4, NA)
  s
}

# One claim row with the required columns; `...` sets any column.
assess_claim <- function(id = "c1", ...) {
  x <- data.frame(id = id, claim_quote = "a claim", claim_type = "effect",
                  source_id = NA_character_, cited_id = NA_character_,
                  source_reports = NA_character_, measure = NA_character_,
                  estimate = NA_character_, lower = NA_character_,
                  upper = NA_character_, p_reported = NA_character_,
                  stringsAsFactors = FALSE)
  args <- list(...)
  for (nm in names(args)) x[[nm]] <- args[[nm]]
  x
}

assess1 <- function(...) {
  as.data.frame(claim_assess(assess_claim(...), assess_sources()))
}
