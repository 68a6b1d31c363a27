#' Statistics found in the four vitamin K2 seed articles
#'
#' Every ratio, difference or percent change with a confidence interval or a
#' p-value that [claim_scan()] finds in the four seed articles of the K2 case
#' study, each with the sentence it stands in (the articles' full text is
#' not shipped) and the row of [k2_claims] with the same numbers. No
#' consistency verdict is stored: `claim_scan(k2_scan$sentence)` computes
#' it.
#'
#' @format A data frame with one row per statistic:
#' \describe{
#'   \item{seed_file}{The seed article (as in [k2_claims]).}
#'   \item{text}{The statistic as printed.}
#'   \item{sentence}{The sentence around it.}
#'   \item{measure}{`"RR"`, `"HR"`, `"OR"`, `"IRR"`, `"percent change"`,
#'     `"mean difference"` or `"other"`.}
#'   \item{estimate_printed, lower_printed, upper_printed}{The estimate and
#'     the confidence limits as printed (`NA` when absent).}
#'   \item{comparator_printed}{The second value of a comparison such as
#'     "0.7 mm vs 1.3 mm, p = 0.02".}
#'   \item{p_printed}{The p-value as printed.}
#'   \item{k2_claims_id}{The `id` of the [k2_claims] row with the same
#'     numbers, `NA` if none.}
#' }
#' @source Built by `data-raw/k2_scan.R`, which runs [claim_scan()] on the
#'   seed articles.
#' @family k2 data
#' @examples
#' k2_scan[, c("seed_file", "text", "k2_claims_id")]
#' claim_scan(k2_scan$sentence)
"k2_scan"
