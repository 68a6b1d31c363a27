#' Quantitative claims about vitamin K2 in four popular articles
#'
#' Every quantitative claim made by four popular articles on vitamin K2
#' (menaquinone), one row each, traced to the publication it rests on, with
#' the published numbers where they were found and a verification status.
#' Context rows give the real studies' own numbers next to the claims that
#' cite (or miscite) them. [k2_evidence()] gives each row a verdict.
#'
#' Numbers are kept as printed (character) so that their rounding is known:
#' `"1.00"` means a value in \[0.995, 1.005). The `*_value` columns hold the
#' same numbers as doubles, `NA` where the printed value is not a single
#' number (for example `"7-10 y"` or `"0.7 vs 1.3"`).
#'
#' @format A data frame with one row per claim and 22 columns:
#' \describe{
#'   \item{id}{Row identifier: `S<seed>-<nn>` for claims and context rows of
#'     a seed article, `T-<nn>` for the fracture trials behind Cockayne 2006.}
#'   \item{seed_file}{The seed article the claim comes from.}
#'   \item{kind}{`"claim"` (made by the seed, possibly implied) or
#'     `"context"` (the real study's numbers, for comparison).}
#'   \item{claim_quote}{Short quotation of the claim.}
#'   \item{cited_as}{How the seed cites its source (`"none"` if uncited).}
#'   \item{study}{The real study behind the claim, or `"not found"`.}
#'   \item{design}{Study design (RCT, prospective cohort, meta-analysis, ...).}
#'   \item{outcome}{Outcome of the cited statistic.}
#'   \item{comparison}{Exposure contrast, with doses and their units
#'     (`ug` = micrograms, `mg` = milligrams).}
#'   \item{measure}{Effect measure or quantity: `RR`, `OR`, `Peto OR`, `HR`,
#'     `mean difference`, `percent change`, `ug/d`, `mg/d`, `ug/g`, ...}
#'   \item{estimate, lower, upper}{Published point estimate and 95%
#'     confidence limits as printed (character; `NA` if not reported).}
#'   \item{estimate_value, lower_value, upper_value}{The same as doubles.}
#'   \item{p_reported}{Reported p-value as printed (`"<0.001"`,
#'     `"0.03 (trend)"`).}
#'   \item{n}{Sample size as described in the source (character).}
#'   \item{source_citation}{The real publication: authors, journal, year,
#'     DOI and PMID where known.}
#'   \item{verified}{`"yes"`, `"partial"`, `"contradicted"` (the source says
#'     otherwise) or `"not found"` (no source could be found or checked).}
#'   \item{note}{What was checked and how; derivations of derived numbers.}
#'   \item{values_from}{`"real"` (the publication's numbers), `"derived"`
#'     (computed from published numbers), `"seed"` (the seed's own,
#'     unverified numbers) or `"none"`.}
#' }
#' @source Built by `data-raw/k2_claims.R` from
#'   `inst/extdata/k2_claims.csv`: a reference dossier compiled from the
#'   cited publications (abstracts, tables and retraction notices named in
#'   `source_citation`). Rows S1-41 to S1-45 and S2-26 were added on
#'   re-reading the articles; no source could be found for them.
#' @family k2 data
#' @seealso [k2_studies], [k2_evidence()]
#' @examples
#' table(k2_claims$verified)
#' k2_claims[k2_claims$id == "S1-16",
#'           c("claim_quote", "estimate", "lower", "upper")]
"k2_claims"

#' Studies behind the vitamin K2 claims, with their reported estimates
#'
#' The cohorts, trials and meta-analyses that the claims in [k2_claims] rest
#' on: Rotterdam (Geleijnse 2004), Prospect-EPIC (Gast 2009), EPIC-NL
#' (Zwakenberg 2017), EPIC-Heidelberg (Nimptsch 2010), the MK-7 trials
#' (Knapen 2013, 2015), the Japanese MK-4 fracture trials pooled by Cockayne
#' 2006, and the later corrections (Sato trials omitted; Mott 2019 with and
#' without the Yamaguchi study). One row per reported estimate.
#'
#' Per-arm counts are given only where a published abstract or table states
#' them; everything that could not be verified is `NA` (in particular the
#' treated-arm fracture counts of the Cockayne trials and the Rotterdam
#' tertile intakes and case numbers). `source` says where each row's numbers
#' come from.
#'
#' @format A data frame with one row per reported estimate and 36 columns:
#' \describe{
#'   \item{study_id}{Short unique identifier.}
#'   \item{study}{First author and year.}
#'   \item{cohort_or_trial}{Cohort or trial name, or what was pooled.}
#'   \item{year}{Publication year.}
#'   \item{design}{Study design.}
#'   \item{population}{Who was studied and for how long.}
#'   \item{exposure}{Exposure or intervention.}
#'   \item{outcome}{Outcome.}
#'   \item{comparison}{Contrast of the estimate (tertile, quartile, per 10
#'     micrograms per day, treatment vs control).}
#'   \item{level}{`"category"` (category vs reference), `"per unit"`,
#'     `"trial"` or `"pooled"`.}
#'   \item{measure}{`RR`, `OR`, `Peto OR`, `HR`, `mean difference`, ...}
#'   \item{estimate, lower, upper}{Estimate and 95% limits as printed.}
#'   \item{estimate_value, lower_value, upper_value}{The same as doubles.}
#'   \item{p_reported}{Reported p-value as printed.}
#'   \item{n}{Participants analysed (integer).}
#'   \item{cases}{Outcome events in the whole cohort (integer).}
#'   \item{dose}{Dose of the contrast (for per-unit estimates and trials).}
#'   \item{dose_unit}{Unit of `dose`: `"ug/d"` (micrograms per day) or
#'     `"mg/d"` (milligrams per day).}
#'   \item{events_trt, n_trt, events_ctl, n_ctl}{Per-arm events and sizes
#'     (integer; `NA` where not published or not retrieved).}
#'   \item{mean_trt, sd_trt, mean_ctl, sd_ctl}{Per-arm mean change and SD
#'     for continuous outcomes, in the outcome's unit.}
#'   \item{baseline_trt, baseline_ctl}{Per-arm baseline means of continuous
#'     outcomes (same unit), from which within-arm percent changes follow.}
#'   \item{flag}{Research-integrity status: `"none"`, `"retracted"`,
#'     `"integrity concern"`, `"author with retractions"`, or for pooled
#'     rows whether flagged trials are included.}
#'   \item{citation}{The publication (DOI/PMID where known).}
#'   \item{source}{Where the row's numbers come from.}
#'   \item{note}{Caveats.}
#' }
#' @source Built by `data-raw/k2_studies.R` from
#'   `inst/extdata/k2_studies.csv`; numbers from the published abstracts and
#'   tables named in `source`.
#' @family k2 data
#' @seealso [k2_claims], [k2_evidence()]
#' @examples
#' k2_studies[k2_studies$level == "pooled",
#'            c("study", "outcome", "estimate", "lower", "upper")]
"k2_studies"
