test_that("k2_claims: schema columns, no verdict, no upgrade without a source", {
  expect_true(all(claim_schema()$column[claim_schema()$table == "claims" &
                                          claim_schema()$required] %in%
                    names(k2_claims)))
  expect_false(any(grepl("verdict", names(k2_claims))))
  # A claim the reference dossier could not verify ("no") is "yes" only
  # where a source row is named.
  up <- k2_claims$dossier_status %in% "no" &
    k2_claims$source_reports %in% "yes"
  expect_true(all(!is.na(k2_claims$source_id[up])))
  # Context rows (the real studies' own numbers) are not claims: they are
  # rows of k2_studies.
  expect_false(any(grepl("^\\((context|Cockayne component)",
                         k2_claims$claim_quote)))
  expect_true(all(c("rotterdam-chdmort-t2", "cockayne2006-hip-nosato",
                    "mott2019-vert-noyops") %in% k2_studies$source_id))
  # Every source and cited id is a row of k2_studies.
  ids <- stats::na.omit(c(k2_claims$source_id, k2_claims$cited_id))
  expect_true(all(ids %in% k2_studies$source_id))
})

test_that("k2_studies: retraction, concern and questioned status with notices", {
  st <- function(id) k2_studies$status[k2_studies$source_id == id]
  expect_identical(st("sato2005"), "retracted")
  expect_identical(st("sato2002"), "retracted")
  expect_identical(st("cockayne2006-hip"), "expression of concern")
  expect_identical(st("ishida2004"), "questioned")
  flagged <- k2_studies[k2_studies$status != "none", ]
  expect_false(anyNA(flagged$notice))
  expect_match(k2_studies$notice[k2_studies$source_id == "sato2005"],
               "Clin Drug Investig 2018")
  expect_true(all(c("design", "endpoint", "population", "dose_form",
                    "funder") %in% names(k2_studies)))
  nf <- k2_studies[k2_studies$found == "no", ]
  expect_false(anyNA(nf$searched))
})

test_that("k2_studies has sources and no invented counts", {
  expect_false(anyNA(k2_studies$source))
  expect_false(anyDuplicated(k2_studies$source_id) > 0)
  ish <- k2_studies[k2_studies$source_id == "ishida2004", ]
  # Only the control arm is published in the abstract (17 of 66).
  expect_identical(c(ish$events_ctl, ish$n_ctl), c(17L, 66L))
  expect_true(is.na(ish$events_trt))
  ok <- !is.na(k2_studies$events_ctl) & !is.na(k2_studies$n_ctl)
  expect_true(all(k2_studies$events_ctl[ok] <= k2_studies$n_ctl[ok]))
  expect_setequal(unique(k2_studies$dose_unit[!is.na(k2_studies$dose_unit)]),
                  c("ug/d", "mg/d"))
})
