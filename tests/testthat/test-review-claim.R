# claim_from_percent() takes percentages; proportions are a common slip.

test_that("claim_from_percent() warns when percentages look like proportions", {
  expect_warning(r <- claim_from_percent(0.34, 0.20, 0.45),
                 "`percent`.*row 1 looks like proportions.*34% was meant")
  # the numbers are still read as given: a 0.34% reduction is a ratio 0.9966
  expect_equal(r$estimate, 1 - 0.34 / 100)
  expect_no_warning(r <- claim_from_percent(34, 20, 45))
  expect_equal(r$estimate, 0.66)
  expect_equal(c(r$lower, r$upper), c(0.55, 0.80))
  # an explicit % sign says the numbers are percentages
  expect_no_warning(claim_from_percent("0.5%", "0.2%", "0.8%"))
  expect_warning(claim_from_percent(c(34, 0.3), c(20, 0.1), c(45, 0.5)),
                 "row 2 looks")
})

test_that("numeric input that lost its trailing zeros is flagged", {
  # HR 0.91 (0.85-1.00): typed as numbers, 1.00 is 1 and reads as [0.5, 1.5]
  expect_warning(r <- claim_check(0.91, 0.85, 1.00, p = 0.04),
                 "read as [+][/]-0.5 .*\\(\"1.00\"\\) or set `digits`")
  expect_equal(c(r$upper_low, r$upper_high), c(0.5, 1.5))
  # the same numbers as printed: est^2 = 0.8281 < 0.845 * 0.995 = 0.8408,
  # so no value within the rounding makes the CI log-symmetric
  expect_no_warning(s <- claim_check("0.91", "0.85", "1.00", p = "0.04"))
  expect_false(s$symmetric)
  expect_no_warning(claim_check(0.91, 0.85, 1.00, digits = 2))
  expect_no_warning(claim_check(0.91, 0.85, 1.07))
})

test_that("print.nev_claim() shows the first n claims of a long check", {
  k <- 25L
  r <- claim_check(rep("0.43", k), rep("0.24", k), rep("0.77", k))
  out <- capture.output(print(r))
  expect_match(out[1], "25 claims checked .* 25 consistent")
  expect_match(out[length(out)], "# ... 5 more claims; print(x, n = Inf) shows all",
               fixed = TRUE)
  # 20 reasons, numbered "  1:" to " 20:"
  expect_identical(sum(grepl("^ *[0-9]+: ", out)), 20L)
  out_all <- capture.output(print(r, n = Inf))
  expect_identical(sum(grepl("^ *[0-9]+: ", out_all)), k)
  expect_false(any(grepl("more claim", out_all)))
})
