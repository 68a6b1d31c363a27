test_that("k2_forest draws published ratios and checks its input", {
  fr <- k2_studies[k2_studies$level %in% c("trial", "pooled") &
                     grepl("fracture", k2_studies$outcome), ]
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  drawn <- k2_forest(fr)
  expect_identical(nrow(drawn), sum(!is.na(fr$lower_value)))
  expect_error(k2_forest(fr[, c("study", "outcome")]),
               "missing columns: `estimate_value`")
  neg <- fr
  neg$lower_value[which(!is.na(neg$lower_value))[1]] <- -1
  expect_error(k2_forest(neg), "positive limits")
})
