#' Claims about vitamin K2 in four popular articles
#'
#' Every claim made by four popular articles on vitamin K2 (menaquinone),
#' one row each, in the claims schema of [claim_assess()] (see
#' [claim_schema()]): what the claim asserts, the source that bears on it (a
#' row of [k2_studies]) and the source the article names, what that source
#' reports about the claim, and the numbers the *article* prints. The
#' sources' own numbers are in [k2_studies]; context rows (real studies'
#' numbers that no article quotes) are kept there, apart from the claims.
#' No column holds a verdict: [k2_evidence()] derives every judgement from
#' these facts by documented rules.
#'
#' Numbers are kept as printed (character) so that their rounding is known:
#' `"1.00"` means a value in \[0.995, 1.005).
#'
#' @format A data frame with one row per claim and 22 columns:
#' \describe{
#'   \item{id}{`S<seed>-<nn>`.}
#'   \item{seed_file}{The seed article the claim comes from.}
#'   \item{claim_quote}{Short quotation of the claim.}
#'   \item{cited_as}{How the article cites its source (`"none"` if uncited).}
#'   \item{claim_type}{`"effect"` (a causal benefit or harm),
#'     `"association"`, `"quantity"`, `"fact"` or `"advice"`.}
#'   \item{source_id}{The [k2_studies] row that bears on the claim; `NA`
#'     when none was found (then `searched` says where it was looked for).}
#'   \item{cited_id}{The [k2_studies] row of the source the article names
#'     (for a citation that was looked for and not found, a row with
#'     `found = "no"`); `NA` when the article names none.}
#'   \item{source_reports}{What the source reports about the claim: `"yes"`,
#'     `"partly"`, `"no"` (the source was found and the claim is not in it),
#'     `"opposite"`, or `NA` when its text could not be checked.}
#'   \item{measure, estimate, lower, upper, p_reported}{The numbers the
#'     article prints, as printed (`NA` if it prints none): `RR`, `HR`,
#'     `percent reduction`, `percent change (treated arm)`,
#'     `ug per serving`, `percent below 30 ug/d`, ...}
#'   \item{stated}{Facts the article states about its source
#'     (`"n=16000; follow_up=10; sex=both"`), compared with the columns of
#'     the same names in [k2_studies].}
#'   \item{basis_g}{Grams an amount refers to: the serving size (85 g for
#'     natto, the NIH fact sheet's 3 oz) or an ounce (28.35 g).}
#'   \item{endpoint}{`"hard"` or `"surrogate"`: the outcome the claim
#'     speaks of.}
#'   \item{about}{The form of K2 the claim speaks of where the article makes
#'     it clear (`"MK-7 supplement"`).}
#'   \item{searched}{Where a source was looked for, for claims without one.}
#'   \item{source_says}{What the source says, in words.}
#'   \item{dossier_status}{The verification status of the reference dossier
#'     the table was built from (`"yes"`, `"partial"`, `"contradicted"`,
#'     `"no"`, or `"not in dossier"` for claims added on re-reading the
#'     articles); kept so that no status is upgraded without a source.}
#'   \item{note}{What was checked and how. Facts recalled from the
#'     literature that could not be checked here say so.}
#'   \item{values_from}{`"real"`, `"derived"`, `"seed"` or `"none"`: where
#'     the dossier's numbers came from.}
#' }
#' @source Built by `data-raw/k2_claims.R` from
#'   `inst/extdata/k2_claims.csv`, compiled from the cited publications
#'   (abstracts, tables and retraction notices named in [k2_studies]).
#' @family k2 data
#' @seealso [k2_studies], [k2_evidence()], [claim_assess()]
#' @examples
#' table(k2_claims$claim_type)
#' k2_claims[k2_claims$id == "S1-16",
#'           c("claim_quote", "source_id", "measure", "estimate")]
"k2_claims"

#' Studies behind the vitamin K2 claims: the sources table
#'
#' The sources the claims in [k2_claims] rest on, in the sources schema of
#' [claim_assess()] (see [claim_schema()]): the cohorts (Rotterdam,
#' Prospect-EPIC, EPIC-NL, EPIC-Heidelberg), the MK-7 trials (Knapen 2013,
#' 2015), the Japanese MK-4 fracture trials pooled by Cockayne 2006 with
#' their retraction and concern notices, the later re-analyses, reviews,
#' regulatory opinions, food composition data (derived from the rows of
#' [k2_foods]) and the citations that were looked for and not found. One row
#' per reported estimate or publication.
#'
#' Per-arm counts are given only where a published abstract or table states
#' them; everything that could not be verified is `NA`. `source` says where
#' each row's numbers come from; facts recalled from the literature that
#' could not be checked here say so in `citation`, `funder` or `note`.
#'
#' @format A data frame with one row per source and 51 columns, among them:
#' \describe{
#'   \item{source_id}{Unique identifier, used by `k2_claims$source_id`.}
#'   \item{study}{First author and year.}
#'   \item{cohort_or_trial}{Cohort or trial name, or what was pooled.}
#'   \item{design}{Study design in words; [claim_assess()] derives the
#'     starting certainty from it.}
#'   \item{population, exposure, outcome, comparison}{What was studied.}
#'   \item{level}{`"category"`, `"per unit"`, `"trial"`, `"pooled"`,
#'     `"publication"`, `"intake"`, `"food"`, `"citation"`, ...}
#'   \item{measure, estimate, lower, upper, p_reported}{The source's numbers
#'     as printed.}
#'   \item{estimate_value, lower_value, upper_value}{The same as doubles.}
#'   \item{n, cases}{Participants analysed and outcome events (integer).}
#'   \item{dose, dose_unit}{Dose of the contrast.}
#'   \item{events_trt, n_trt, events_ctl, n_ctl, mean_trt, sd_trt, mean_ctl,
#'     sd_ctl, baseline_trt, baseline_ctl}{Per-arm data where published.}
#'   \item{status}{Research-integrity status: `"none"`, `"retracted"`,
#'     `"expression of concern"` or `"questioned"`.}
#'   \item{notice}{The notice behind the status (the 2018 Clin Drug Investig
#'     retraction note naming Sato 2005 and 2002; the 2018 caution notice on
#'     Cockayne 2006; Avenell et al. 2020 on the Yamaguchi study).}
#'   \item{rests_on}{Ids of the studies a pooled row pools.}
#'   \item{reanalysis_id}{The re-analysis without the compromised studies.}
#'   \item{replication_id}{An independent study of the same question.}
#'   \item{endpoint}{`"hard"`, `"surrogate"`, `"intake"` or `"content"`.}
#'   \item{dose_form}{Form and dose studied (`"MK-4 45 mg/d"`,
#'     `"MK-7 supplement"`, `"dietary menaquinones"`).}
#'   \item{funder, industry_funded}{Funding, where known.}
#'   \item{found, searched}{`"no"` and where it was looked for, for
#'     citations that could not be found.}
#'   \item{follow_up, sex, journal, year}{Facts an article may state about
#'     the source, compared with `k2_claims$stated`.}
#'   \item{sd}{SD of an intake distribution (with its mean in `estimate`).}
#'   \item{baseline_risk}{Crude risk (`cases / n`) of cohort rows reporting
#'     a per-unit ratio: the baseline of their absolute effect.}
#'   \item{citation}{The publication (DOI/PMID where known).}
#'   \item{source}{Where the row's numbers come from.}
#'   \item{note}{Caveats.}
#' }
#' @source Built by `data-raw/k2_studies.R` from
#'   `inst/extdata/k2_studies.csv` and `inst/extdata/k2_food_composition.csv`;
#'   numbers from the published abstracts, tables and notices named in
#'   `source` and `notice`.
#' @family k2 data
#' @seealso [k2_claims], [k2_evidence()], [claim_assess()]
#' @examples
#' k2_studies[k2_studies$status != "none", c("study", "status")]
"k2_studies"
