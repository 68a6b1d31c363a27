# Messages for inputs that used to give an unclear error, or none: each
# names the argument.

test_that("dose_response() without `id` says that `id` is missing", {
  d <- readRDS(test_path("fixtures", "dose_boundary.rds"))$data
  expect_error(dose_response(logrr ~ dose, type = type, cases = cases,
                             n = n, se = se, data = d),
               "referent categories.*give `id`")
})

test_that("forest_plot(refline = \"none\") names `refline`", {
  f <- pool(c(0.1, 0.2, 0.3), c(0.01, 0.02, 0.03))
  expect_error(forest_plot(f, refline = "none"),
               "`refline` must be a single finite number.*\"none\"")
})

test_that("pool_batch(group = list(...)) names `group`", {
  expect_error(pool_batch(c(0.1, 0.2, 0.3), c(0.01, 0.02, 0.03),
                          group = list(1, 1, 2)),
               "`group` must be a vector.*list")
})

test_that("intake_simulate(seed = 2^31) names `seed`", {
  diet <- data.frame(food = "a", p_day = 0.5, portion_g = 10,
                     content_ug_per_g = 1)
  expect_error(intake_simulate(diet, n = 10, seed = 2^31),
               "`seed` must be NULL or a single number within the integer")
})

test_that("intake_share() of a simulation warns about an unused `method`", {
  diet <- data.frame(food = "a", p_day = 0.5, portion_g = 10,
                     content_ug_per_g = 1)
  s <- intake_simulate(diet, n = 100, seed = 1)
  expect_warning(intake_share(s, below = 5, method = "probability"),
                 "`method` disregarded by intake_share()")
})
