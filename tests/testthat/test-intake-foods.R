test_that("k2_foods keeps every row of the source CSV", {
  csv <- utils::read.csv(system.file("extdata", "k2_food_composition.csv",
                                     package = "nutrievidence"),
                         colClasses = "character")
  expect_equal(nrow(k2_foods), nrow(csv))
  expect_identical(k2_foods$source, csv$source)
  expect_identical(k2_foods$evidence, csv$evidence)
  # point values parse to the CSV's number; the one range row splits in two
  pt <- !grepl("-", csv$ug_per_100g)
  expect_equal(k2_foods$ug_per_100g[pt], as.numeric(csv$ug_per_100g[pt]))
  rr <- which(!pt)
  expect_equal(k2_foods$ug_per_100g_min[rr], 0.3)
  expect_equal(k2_foods$ug_per_100g_max[rr], 80.2)
  expect_true(is.na(k2_foods$ug_per_100g[rr]))
})

test_that("k2_content summarises range and sources", {
  n7 <- k2_content("natto", "MK-7")
  expect_equal(nrow(n7), 3L)
  expect_equal(attr(n7, "range")$min, 1000)
  expect_equal(attr(n7, "range")$max, 1750)
  expect_equal(n7$ug_per_g_max, n7$ug_per_100g_max / 100)
  ch <- k2_content("cheese", form = "total MK")
  expect_equal(attr(ch, "range")$min, 0.3)
  expect_equal(attr(ch, "range")$max, 80.2)
  expect_output(print(ch), "0.3 to 80.2")
  expect_equal(nrow(k2_content("Egg Yolk")), 2L)
  expect_error(k2_content("pizza"), "no row of `k2_foods` matches")
  expect_error(k2_content(c("a", "b")), "single non-empty string")
  expect_error(k2_content("natto", form = 7), "`form` must be NULL")
})
