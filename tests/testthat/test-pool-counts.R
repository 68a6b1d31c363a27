# pool_counts(): Mantel-Haenszel and Peto against metafor fixtures and the
# published Peto OR of Yusuf et al. (1985).

fx <- readRDS(test_path("fixtures", "pool_metafor.rds"))

test_that("pool_counts() matches metafor's rma.mh / rma.peto", {
  for (cs in fx$counts) {
    f <- suppressWarnings(pool_counts(cs$ai, cs$n1i, cs$ci, cs$n2i,
                                      measure = cs$measure,
                                      method = cs$method,
                                      revman = isTRUE(cs$revman)))
    lab <- cs$name
    expect_equal(unname(coef(f)), unname(cs$beta), tolerance = 1e-10, label = lab)
    expect_equal(f$coef_table$std.error, cs$se, tolerance = 1e-10, label = lab)
    expect_equal(f$coef_table$conf.low, cs$ci_lb, tolerance = 1e-10, label = lab)
    expect_equal(f$coef_table$p.value, cs$pval, tolerance = 1e-8, label = lab)
    expect_equal(f$Q, cs$Q, tolerance = 1e-10, label = lab)
    expect_equal(f$Q_p, cs$Q_p, tolerance = 1e-8, label = lab)
    expect_equal(f$I2, cs$I2, tolerance = 1e-10, label = lab)
    expect_equal(f$H2, cs$H2, tolerance = 1e-10, label = lab)
    expect_equal(f$k, cs$k, label = lab)
  }
})

yu <- fx$counts[[which(vapply(fx$counts, `[[`, "", "name") ==
                         "yusuf1985 t6 Peto")]]

test_that("Yusuf 1985 table 6: Peto OR 0.9332 [0.7385, 1.1792]", {
  f <- suppressWarnings(pool_counts(yu$ai, yu$n1i, yu$ci, yu$n2i,
                                    method = "Peto"))
  p <- predict(f, transf = exp)
  expect_equal(round(p$estimate, 4), 0.9332)
  expect_equal(round(p$conf.low, 4), 0.7385)
  expect_equal(round(p$conf.high, 4), 1.1792)
  expect_warning(pool_counts(yu$ai, yu$n1i, yu$ci, yu$n2i, method = "Peto"),
                 "row 8")
})

test_that("MH closed forms on two tables, IV equals pool() on log OR", {
  a <- c(10, 4); n1 <- c(50, 40); c <- c(5, 8); n2 <- c(50, 40)
  b <- n1 - a; d <- n2 - c; N <- n1 + n2
  f <- pool_counts(a, n1, c, n2, measure = "OR")
  expect_equal(exp(unname(coef(f))), sum(a * d / N) / sum(b * c / N))
  r <- pool_counts(a, n1, c, n2, measure = "RR")
  expect_equal(exp(unname(coef(r))), sum(a * n2 / N) / sum(c * n1 / N))
  d1 <- pool_counts(a, n1, c, n2, measure = "RD")
  w <- n1 * n2 / N
  expect_equal(unname(coef(d1)), sum(w * (a / n1 - c / n2)) / sum(w))
  iv <- pool_counts(a, n1, c, n2, measure = "OR", method = "IV",
                    tau2_method = "DL")
  yi <- log(a * d / (b * c)); vi <- 1 / a + 1 / b + 1 / c + 1 / d
  ref <- pool(yi, vi, method = "DL")
  expect_equal(coef(iv), coef(ref))
  expect_equal(iv$tau2, ref$tau2)
  expect_equal(sum(f$weights), 100)
})

test_that("bad counts are errors naming argument and rows", {
  expect_error(pool_counts(c(1, -1), c(10, 10), c(1, 1), c(10, 10)),
               "`ai` must be non-negative.*row 2 has ai = -1")
  expect_error(pool_counts(c(1, 12), c(10, 10), c(1, 1), c(10, 10)),
               "`ai` cannot exceed `n1i`; row 2 has ai = 12, n1i = 10")
  expect_error(pool_counts(c(1, 1), c(10, 10), c(11, 1), c(10, 10)),
               "`ci` cannot exceed `n2i`; row 1")
  expect_error(pool_counts(c(1, 1), c(10, 10), c(1), c(10, 10)),
               "same length")
  expect_error(pool_counts(c(0, 0), c(10, 10), c(0, 0), c(10, 10)),
               "undefined")
  expect_error(pool_counts(c(0, 0), c(10, 10), c(0, 0), c(10, 10),
                           method = "Peto"), "Peto estimate is undefined")
  expect_error(pool_counts(1, 10, 1, 10, method = "Peto", measure = "RR"),
               "`measure` must be")
  expect_error(pool_counts(c(0, 1), c(0, 10), c(0, 1), c(10, 10)),
               "at least one participant")
  expect_error(pool_counts(1, 10, 1, 10, add = -1), "`add`")
})

test_that("pool_counts() objects print and work with the methods", {
  cs <- fx$counts[[1]]
  f <- pool_counts(cs$ai, cs$n1i, cs$ci, cs$n2i, measure = "RR",
                   slab = paste("trial", seq_along(cs$ai)))
  expect_output(print(f), "Mantel-Haenszel")
  expect_output(print(summary(f)), "Confidence intervals")
  expect_equal(attr(logLik(f), "df"), 1)
  expect_equal(glance(f)$method, "MH")
  expect_equal(summary(f)$confint$estimate[1], unname(coef(f)))
  p <- pool_counts(cs$ai, cs$n1i, cs$ci, cs$n2i, method = "Peto")
  expect_output(print(p), "Peto")
  # Peto weights are the hypergeometric variances
  a <- as.numeric(cs$ai); n1 <- as.numeric(cs$n1i); c <- as.numeric(cs$ci)
  n2 <- as.numeric(cs$n2i); N <- n1 + n2
  V <- (a + c) * (N - a - c) * n1 * n2 / (N^2 * (N - 1))
  expect_equal(p$weights, 100 * V / sum(V))
})
