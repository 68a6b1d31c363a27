#' nutrievidence: check, pool and model nutrition evidence
#'
#' Recomputes cited ratios, confidence intervals and p-values and checks them
#' for consistency (`claim_*`), derives effect sizes (`effect_*`), pools
#' studies (`pool*`), fits dose-response curves (`dose_*`) and simulates
#' intake distributions (`intake_*`). The numerical core is C with the GNU
#' Scientific Library; the vitamin K2 (menaquinone) evidence ships as a worked
#' case study.
#'
#' @keywords internal
#' @useDynLib nutrievidence, .registration = TRUE, .fixes = "C_"
#' @importFrom generics tidy glance
"_PACKAGE"

#' @export
generics::tidy

#' @export
generics::glance
