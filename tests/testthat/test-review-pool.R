# Printed tests read "p = 0.0123" or "p < .0001", never "p = <.0001".

test_that("print.nev_pool writes small p-values as p < .0001", {
  yi <- c(-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209,
          0.0120, -0.4694, -1.3713, -0.3394, 0.4459, -0.0173)
  vi <- c(0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230, 0.0040,
          0.0564, 0.0730, 0.0124, 0.5325, 0.0714)
  qstat <- function(y, v) {
    w <- 1 / v
    sum(w * (y - sum(w * y) / sum(w))^2)
  }
  q <- qstat(yi, vi)
  out <- capture.output(print(pool(yi, vi)))
  expect_true(any(grepl(sprintf("Q(df = 12) = %.4f, p < .0001", q), out,
                        fixed = TRUE)))
  expect_false(any(grepl("p = <", out, fixed = TRUE)))
  i <- c(1, 2, 5, 9)
  q4 <- qstat(yi[i], vi[i])
  out <- capture.output(print(pool(yi[i], vi[i])))
  expect_true(any(grepl(sprintf("Q(df = 3) = %.4f, p = %.4f", q4,
                                stats::pchisq(q4, 3, lower.tail = FALSE)),
                        out, fixed = TRUE)))
  d <- data.frame(yi, vi, g = rep(c("a", "b"), length.out = 13),
                  x = seq_len(13))
  expect_false(any(grepl("p = <", capture.output(
    print(pool(yi, vi, data = d, subgroup = g))), fixed = TRUE)))
  expect_false(any(grepl("p = <", capture.output(
    print(pool(yi, vi, data = d, mods = ~ x))), fixed = TRUE)))
})
