# claim_assess(): the schema and bad input.

test_that("claim_schema() documents every required column", {
  s <- claim_schema()
  expect_setequal(unique(s$table), c("claims", "sources"))
  expect_true(all(c("id", "claim_type", "source_id", "cited_id",
                    "source_reports") %in% s$column[s$table == "claims" &
                                                      s$required]))
  expect_false(any(grepl("verdict", s$column)))
})

test_that("missing schema columns: an error listing them", {
  expect_error(claim_assess(data.frame(id = "a"), assess_sources()),
               paste0("`claims` is missing schema columns: `claim_quote`, ",
                      "`claim_type`, `source_id`, `cited_id`"))
  expect_error(claim_assess(assess_claim(), assess_sources()[, 1:3]),
               "`sources` is missing schema columns: `design`, `status`, `measure`")
  expect_error(claim_assess(list(), assess_sources()),
               "`claims` must be a data frame")
})

test_that("coded columns are checked; ids unique", {
  expect_error(claim_assess(assess_claim(claim_type = "rumour"),
                            assess_sources()),
               "`claims\\$claim_type` must be one of .*\"rumour\"")
  s <- assess_sources()
  s$status[1] <- "withdrawn"
  expect_error(claim_assess(assess_claim(), s), "`sources\\$status`")
  expect_error(claim_assess(rbind(assess_claim(), assess_claim()),
                            assess_sources()), "`claims\\$id` must be unique")
  expect_error(claim_assess(assess_claim(), assess_sources(), level = 2),
               "`level`")
})

test_that("numbers may be numeric; an empty table gives an empty result", {
  a <- claim_assess(assess_claim(source_id = "rct", source_reports = "yes",
                                 measure = "RR", estimate = 0.7, lower = 0.6,
                                 upper = 0.82), assess_sources())
  expect_identical(a$arithmetic, "consistent")
  e <- claim_assess(assess_claim()[0, ], assess_sources())
  expect_identical(nrow(e), 0L)
  expect_s3_class(e, "nev_assessment")
})

test_that("a subset of the columns prints and knits as a data frame", {
  a <- claim_assess(assess_claim(source_id = "rct", source_reports = "yes"),
                    assess_sources())
  sub <- a[, c("id", "verdict", "certainty")]
  expect_output(print(sub), "certainty")
  skip_if_not_installed("knitr")
  expect_match(knitr::knit_print(sub), "supported", fixed = TRUE)
  expect_match(knitr::knit_print(a[, c("arithmetic", "fidelity")]), "faithful",
               fixed = TRUE)
})
