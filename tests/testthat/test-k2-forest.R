test_that("k2_forest draws published ratios and checks its input", {
  fr <- k2_studies[k2_studies$level %in% c("trial", "pooled") &
                     grepl("fracture", k2_studies$outcome), ]
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  drawn <- k2_forest(fr, sources = k2_studies)
  expect_identical(nrow(drawn), sum(!is.na(fr$lower_value)))
  expect_error(k2_forest(fr[, c("study", "outcome")]),
               "missing columns: `estimate_value`")
  neg <- fr
  neg$lower_value[which(!is.na(neg$lower_value))[1]] <- -1
  expect_error(k2_forest(neg), "positive limits")
})

test_that("k2_forest colours each row by its worst integrity status", {
  fr <- k2_studies[k2_studies$level %in% c("trial", "pooled") &
                     grepl("fracture", k2_studies$outcome), ]
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  d <- k2_forest(fr, sources = k2_studies)
  shown <- setNames(d$status_shown, d$source_id)
  expect_identical(unname(shown["sato2005"]), "retracted")
  expect_identical(unname(shown["ishida2004"]), "questioned")
  # Cockayne 2006 carries a caution notice and pools retracted trials.
  expect_identical(unname(shown["cockayne2006-hip"]), "expression of concern")
  expect_identical(d$status_worst[d$source_id == "cockayne2006-hip"],
                   "retracted")
  # No notice of its own, but it pools the questioned Yamaguchi trial.
  expect_identical(unname(shown["mott2019-vert"]), "questioned")
  expect_identical(unname(shown["mott2019-vert-noyops"]), "none")
  # Without `sources`, pooled rows are looked up in `data` itself.
  d2 <- k2_forest(fr[fr$source_id == "cockayne2006-hip", ])
  expect_identical(d2$status_shown, "expression of concern")
})
