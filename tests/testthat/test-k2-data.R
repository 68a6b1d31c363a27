test_that("k2_claims keeps every dossier row and never upgrades a status", {
  raw <- utils::read.csv(system.file("extdata", "k2_claims.csv",
                                     package = "nutrievidence"),
                         colClasses = "character")
  expect_identical(k2_claims$id, raw$id)
  expect_setequal(unique(k2_claims$verified),
                  c("yes", "partial", "contradicted", "not found"))
  map <- c(yes = "yes", partial = "partial", contradicted = "contradicted",
           no = "not found")
  expect_identical(k2_claims$verified, unname(map[raw$verified]))
  # Rows added on re-reading the seeds are unsourced.
  added <- c("S1-41", "S1-42", "S1-43", "S1-44", "S1-45", "S2-26")
  expect_true(all(added %in% k2_claims$id))
  sub <- k2_claims[k2_claims$id %in% added, ]
  expect_true(all(sub$verified == "not found" & sub$values_from == "seed"))
})

test_that("k2_claims keeps printed precision and the numeric copies agree", {
  gast <- k2_claims[k2_claims$id == "S1-16", ]
  expect_identical(c(gast$estimate, gast$lower, gast$upper),
                   c("0.91", "0.85", "1.00"))
  expect_equal(c(gast$estimate_value, gast$lower_value, gast$upper_value),
               c(0.91, 0.85, 1))
  has_ci <- !is.na(k2_claims$lower_value)
  expect_true(all(k2_claims$lower_value[has_ci] <=
                    k2_claims$estimate_value[has_ci]))
  expect_true(all(k2_claims$upper_value[has_ci] >=
                    k2_claims$estimate_value[has_ci]))
  expect_true(is.na(k2_claims$estimate_value[k2_claims$id == "S1-08"]))
})

test_that("k2_studies has sources and no invented counts", {
  expect_false(anyNA(k2_studies$source))
  expect_false(anyDuplicated(k2_studies$study_id) > 0)
  ish <- k2_studies[k2_studies$study_id == "ishida2004", ]
  # Only the control arm is published in the abstract (17 of 66).
  expect_identical(c(ish$events_ctl, ish$n_ctl), c(17L, 66L))
  expect_true(is.na(ish$events_trt))
  ok <- !is.na(k2_studies$events_ctl) & !is.na(k2_studies$n_ctl)
  expect_true(all(k2_studies$events_ctl[ok] <= k2_studies$n_ctl[ok]))
  expect_setequal(unique(k2_studies$dose_unit[!is.na(k2_studies$dose_unit)]),
                  c("ug/d", "mg/d"))
})
