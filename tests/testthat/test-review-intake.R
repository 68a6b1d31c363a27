# intake_usual() input errors name the argument.

test_that("intake_usual(): a covariate missing from `data` is named", {
  rec <- data.frame(id = rep(1:20, each = 2), k2 = rep(c(10, 20), 20))
  expect_error(intake_usual(rec, id = id, amount = k2, covariates = ~ age),
               "could not evaluate `covariates` in `data`: .*'age' not found")
})

test_that("intake_usual(): recalls with missing values are dropped, and said so", {
  set.seed(3)
  rec <- data.frame(id = rep(1:40, each = 2), day = rep(1:2, 40),
                    k2 = exp(3 + rnorm(40, 0, 0.5)[rep(1:40, each = 2)] +
                               rnorm(80, 0, 0.6)))
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

test_that("intake_simulate(): diet errors give the diet's row and food", {
  diet <- data.frame(food = c("cheese", "egg", "natto"),
                     p_day = c(0.6, 0.4, 1 / 30), portion_g = c(30, 17, 40),
                     content_ug_per_g = c(0.5, 0.1, NA),
                     content_dist = c("fixed", "fixed", "uniform"),
                     content_min = c(NA, NA, NA), content_max = c(NA, NA, 11))
  # the natto row is row 3 of `diet`, not the first uniform row
  expect_error(intake_simulate(diet, n = 10),
               "`diet\\$content_min` must be finite .*; row 3 \\(natto: content_min = NA\\)")
  diet$content_min[3] <- 9
  diet$content_ug_per_g[2] <- -1
  expect_error(intake_simulate(diet, n = 10), "row 2 \\(egg: content_ug_per_g = -1\\)")
  diet$content_ug_per_g[2] <- 0.1
  # a percentage for a probability
  diet$p_day[1] <- 60
  expect_error(intake_simulate(diet, n = 10),
               "row 1 \\(cheese: p_day = 60\\); give probabilities, not percentages \\(0.6 for 60%\\)")
})
