# Data travels: effect_*() append yi and vi to the user's data (as
# metafor::escalc()), and the class keeps the measure through `[`, cbind()
# and rbind().

trials <- data.frame(study = c("A", "B", "C"), year = c(1990, 1995, 2001),
                     ai = c(4, 6, 3), n1i = c(123, 306, 231),
                     ci = c(11, 29, 11), n2i = c(139, 303, 220),
                     row.names = c("s1", "s2", "s3"))

test_that("the user's columns and row names travel, as escalc() keeps them", {
  es <- effect_counts(ai, n1i, ci, n2i, data = trials, measure = "OR")
  expect_equal(es[names(trials)], trials, ignore_attr = TRUE)
  expect_equal(row.names(es), row.names(trials))
  # no zero cells: the log odds ratio and its variance in closed form
  b <- trials$n1i - trials$ai
  d <- trials$n2i - trials$ci
  expect_equal(es$yi, log(trials$ai * d / (b * trials$ci)), tolerance = 1e-12)
  expect_equal(es$vi, 1 / trials$ai + 1 / b + 1 / trials$ci + 1 / d,
               tolerance = 1e-12)
  # columns called yi / vi in the data are replaced, not duplicated
  again <- effect_counts(ai, n1i, ci, n2i, data = es, measure = "RR")
  expect_equal(sum(names(again) == "yi"), 1L)
  expect_equal(attr(again, "measure"), "RR")
})

test_that("the measure survives subsetting, cbind() and rbind()", {
  es <- effect_counts(ai, n1i, ci, n2i, data = trials, measure = "OR")
  sub <- es[es$year > 1992, ]
  expect_s3_class(sub, "nev_effect")
  expect_equal(attr(sub, "measure"), "OR")
  expect_equal(nrow(sub), 2L)
  cb <- cbind(es, weight = c(1, 2, 3))
  expect_s3_class(cb, "nev_effect")
  expect_equal(attr(cb, "measure"), "OR")
  expect_equal(cb$weight, c(1, 2, 3))
  rb <- rbind(es, es)
  expect_s3_class(rb, "nev_effect")
  expect_equal(attr(rb, "measure"), "OR")
  mix <- rbind(es, effect_counts(ai, n1i, ci, n2i, data = trials,
                                 measure = "RD"))
  expect_true(is.na(attr(mix, "measure")))
  expect_equal(mix$measure, rep(c("OR", "RD"), each = 3))
  # dropping the effect-size columns leaves a plain data frame
  expect_false(inherits(es[, c("study", "year")], "nev_effect"))
  expect_equal(es$yi[2], es[2, "yi"])
  # pool() reads the measure from the combined data
  fit <- pool(yi, vi, data = cb)
  expect_equal(fit$measure, "OR")
})
