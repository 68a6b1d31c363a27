# intake_usual() input errors name the argument.

test_that("intake_usual(): a covariate missing from `data` is named", {
  rec <- data.frame(id = rep(1:20, each = 2), k2 = rep(c(10, 20), 20))
  expect_error(intake_usual(rec, id = id, amount = k2, covariates = ~ age),
               "could not evaluate `covariates` in `data`: .*'age' not found")
})
