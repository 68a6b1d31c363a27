# intake_usual() input errors name the argument.

test_that("intake_usual(): a covariate missing from `data` is named", {
  rec <- data.frame(id = rep(1:20, each = 2), k2 = rep(c(10, 20), 20))
  expect_error(intake_usual(rec, id = id, amount = k2, covariates = ~ age),
               "could not evaluate `covariates` in `data`: .*'age' not found")
})

test_that("intake_usual(): recalls with missing values are dropped, and said so", {
  set.seed(3)
  rec <- data.frame(id = rep(1:40, each = 2), day = rep(1:2, 40),
                    k2 = exp(rnorm(80, 3, 0.6)))
  na <- rec
  na$k2[3] <- NA
  na$day[8] <- NA
  expect_warning(f1 <- intake_usual(na, id = id, amount = k2, day = day),
                 "2 recalls with missing values .* dropped: rows 3 and 8")
  # the same as leaving those recalls out by hand
  f2 <- intake_usual(rec[-c(3, 8), ], id = id, amount = k2, day = day)
  expect_equal(coef(f1), coef(f2))
  expect_equal(quantile(f1, 0.5), quantile(f2, 0.5))
})
