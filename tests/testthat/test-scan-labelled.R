# Recall and precision of claim_scan() on the labelled passages (abstracts,
# news stories, tables, French, Spanish, German and Portuguese abstracts
# carrying published statistics) and on the four seed articles.

test_that("claim_scan() finds at least 95% of the labelled statistics, and little else", {
  txt <- scan_passages()
  lab <- scan_labels()
  expect_gte(nrow(lab), 100)
  res <- claim_scan(txt)
  ag <- scan_agreement(res, lab)
  expect_gte(ag$recall, 0.95)
  expect_gte(ag$precision, 0.95)
  # the measure is read as labelled for the statistics found
  hit <- match(ag$key_l, ag$key_f)
  ok <- !is.na(hit)
  expect_gte(mean(res$measure[hit[ok]] == lab$measure[ok]), 0.95)
  # a printed p is carried along verbatim
  wp <- ok & nzchar(lab$p)
  expect_equal(res$p_printed[hit[wp]], lab$p[wp])
})

test_that("every language and style of the labelled set is read", {
  txt <- scan_passages()
  lab <- scan_labels()
  res <- claim_scan(txt)
  ag <- scan_agreement(res, lab)
  found <- ag$key_l %in% ag$key_f
  per <- tapply(found, lab$passage, mean)
  expect_true(all(per >= 0.8), info = paste(names(per)[per < 0.8],
                                            collapse = ", "))
})

test_that("the statistics of the seed articles are found (seeds given by NEV_SEEDS)", {
  dir <- Sys.getenv("NEV_SEEDS")
  skip_if(!nzchar(dir) || !dir.exists(dir), "NEV_SEEDS is not set")
  lab <- utils::read.csv(test_path("fixtures", "scan-seeds.csv"),
                         colClasses = "character", na.strings = character(0))
  lab$passage <- lab$seed_file
  res <- claim_scan(list.files(dir, pattern = "\\.txt$", full.names = TRUE))
  ag <- scan_agreement(res, lab)
  expect_gte(ag$recall, 0.95)
  expect_gte(ag$precision, 0.95)
})

test_that("the shipped seed sentences give back the labelled seed statistics", {
  lab <- utils::read.csv(test_path("fixtures", "scan-seeds.csv"),
                         colClasses = "character", na.strings = character(0))
  res <- claim_scan(stats::setNames(k2_scan$sentence, k2_scan$seed_file))
  lab$passage <- lab$seed_file
  ag <- scan_agreement(res, lab)
  expect_equal(ag$recall, 1)
  expect_equal(ag$precision, 1)
  expect_equal(res$text, lab$text)
  expect_equal(res$measure, lab$measure)
})
