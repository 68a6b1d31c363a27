# effect_ci() on a data frame with no rows gives no rows, as effect_counts(),
# effect_means() and effect_p() do, instead of a recycling error.

test_that("effect_ci() with 0 rows of data returns 0 rows", {
  d <- data.frame(or = c(1.2, 0.8), lower = c(0.9, 0.6), upper = c(1.6, 1.07))
  es <- effect_ci(or, lower, upper, data = d[0, ])
  expect_s3_class(es, "nev_effect")
  expect_identical(nrow(es), 0L)
  expect_true(all(c("yi", "vi", "sei") %in% names(es)))
  z <- numeric(0)
  expect_identical(nrow(effect_ci(z, z, z, level = 0.9)), 0L)
  # unequal non-scalar lengths are still an error
  expect_error(effect_ci(z, c(0.5, 0.6), c(2, 3)), "same length")
})
