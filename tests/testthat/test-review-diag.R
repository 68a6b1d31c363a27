# The printed p-value of a funnel-asymmetry test has the precision of the
# coefficient table below it.

test_that("egger_test() prints its p-value to 4 significant digits", {
  yi <- c(-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209,
          0.0120, -0.4694, -1.3713, -0.3394, 0.4459, -0.0173)
  vi <- c(0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230, 0.0040,
          0.0564, 0.0730, 0.0124, 0.5325, 0.0714)
  # Egger's weighted regression of yi on sei, slope tested with t(k - 2)
  ref <- summary(stats::lm(yi ~ sqrt(vi), weights = 1 / vi))$coefficients
  e <- egger_test(pool(yi, vi))
  out <- paste(capture.output(print(e)), collapse = "\n")
  expect_match(out, paste0("p-value = ", signif(ref[2, 4], 4)), fixed = TRUE)
  expect_match(out, paste0("t = ", signif(ref[2, 3], 5)), fixed = TRUE)
})
