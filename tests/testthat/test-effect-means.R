fx <- readRDS(test_path("fixtures", "effect_means.rds"))

test_that("effect_means matches metafor::escalc for MD, SMD and ROM", {
  # 2 data sets x MD/SMD/ROM x correct TRUE/FALSE (metafor >= 5.0)
  expect_length(fx$cases, 12L)
  key <- vapply(fx$cases, function(cs) paste(cs$data, cs$measure, cs$correct), "")
  expect_setequal(key, outer(outer(names(fx$data), c("MD", "SMD", "ROM"), paste),
                             c("TRUE", "FALSE"), paste))
  expect_true(package_version(fx$made_with$metafor) >= "5.0")
  for (cs in fx$cases) {
    d <- fx$data[[cs$data]]
    r <- effect_means(m1i, sd1i, n1i, m2i, sd2i, n2i, data = d,
                      measure = cs$measure, correct = cs$correct)
    label <- paste(cs$data, cs$measure, cs$correct)
    expect_effect_close(r$yi, cs$yi, 1e-12, label)
    expect_effect_close(r$vi, cs$vi, 1e-12, label)
    expect_effect_close(r$sei, sqrt(cs$vi), 1e-12, label)
    expect_identical(attr(r, "scale"),
                     if (cs$measure == "ROM") "log" else "linear")
  }
})

test_that("Hedges' correction is exact: closed form for m = 2 and m = 3", {
  # two degrees of freedom: c = Gamma(1) / Gamma(1/2), that is 1 / sqrt(pi)
  r <- effect_means(5, 1, 2, 3, 1, 2, measure = "SMD")
  expect_equal(r$yi, 2 / sqrt(pi), tolerance = 1e-14)
  expect_equal(r$vi, 1 / 2 + 1 / 2 + (2 / sqrt(pi))^2 / 8,
               tolerance = 1e-14)
  # m = 3: Gamma(3/2) / (sqrt(3/2) Gamma(1)) = sqrt(pi) / 2 / sqrt(1.5);
  # pooled SD sqrt((1 * 1 + 2 * 4) / 3) = sqrt(3)
  r <- effect_means(4, 1, 2, 1, 2, 3, measure = "SMD")
  expect_equal(r$yi, sqrt(pi) / 2 / sqrt(1.5) * 3 / sqrt(3),
               tolerance = 1e-14)
  # large m: c(m) -> 1 - 3 / (4 m - 1) (Hedges' approximation)
  r <- effect_means(1, 1, 5000, 0, 1, 5000, measure = "SMD")
  expect_equal(r$yi, 1 - 3 / (4 * 9998 - 1), tolerance = 1e-9)
})

test_that("MD and ROM follow their closed forms; data forms agree", {
  r <- effect_means(10, 2, 25, 7, 3, 36)
  expect_equal(r$yi, 3)
  expect_equal(r$vi, 4 / 25 + 9 / 36, tolerance = 1e-14)
  r <- effect_means(10, 2, 25, 8, 3, 36, measure = "ROM", correct = FALSE)
  expect_equal(r$yi, log(1.25), tolerance = 1e-14)
  expect_equal(r$vi, 4 / (25 * 100) + 9 / (36 * 64), tolerance = 1e-14)
  d <- fx$data$normand1999
  a <- effect_means(m1i, sd1i, n1i, m2i, sd2i, n2i, data = d)
  b <- effect_means("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i", data = d)
  expect_identical(a, b)
  expect_identical(a[c("yi", "vi", "sei", "measure")],
                   effect_means(d$m1i, d$sd1i, d$n1i, d$m2i, d$sd2i, d$n2i))
  expect_output(print(a), "9 rows, measure MD\n")
})

test_that("ROM's default is Lajeunesse's (2015) bias-corrected log ratio", {
  # Worked by hand: CV^2/n is 5^2 / (10^2 * 5) = 0.05 in group 1 and
  # 4^2 / (20^2 * 10) = 0.004 in group 2, so the corrected log ratio is
  # log(1/2) + (0.05 - 0.004) / 2 = -0.693147... + 0.023 and the variance
  # (unchanged by the correction) 0.054.
  r <- effect_means(10, 5, 5, 20, 4, 10, measure = "ROM")
  expect_equal(r$yi, -log(2) + 0.023, tolerance = 1e-14)
  expect_equal(r$vi, 0.054, tolerance = 1e-14)
  u <- effect_means(10, 5, 5, 20, 4, 10, measure = "ROM", correct = FALSE)
  expect_equal(u$yi, -log(2), tolerance = 1e-14)
  expect_identical(u$vi, r$vi)
  # The closed form, row by row, on the data of the metafor fixture: the
  # corrected value is escalc's uncorrected one plus half the difference of
  # the squared coefficients of variation over n.
  d <- fx$data$normand1999
  plain <- Filter(function(cs) cs$measure == "ROM" && !cs$correct, fx$cases)
  plain <- plain[[1]]
  r <- effect_means(m1i, sd1i, n1i, m2i, sd2i, n2i, data = d, "ROM")
  cv <- with(d, sd1i^2 / (n1i * m1i^2) - sd2i^2 / (n2i * m2i^2))
  expect_equal(r$yi, plain$yi + cv / 2, tolerance = 1e-13)
  expect_equal(r$vi, plain$vi, tolerance = 1e-13)
  # swapping the groups changes only the sign
  s <- effect_means(m2i, sd2i, n2i, m1i, sd1i, n1i, data = d, "ROM")
  expect_equal(s$yi, -r$yi, tolerance = 1e-14)
})

test_that("correct = FALSE gives Cohen's d for SMD and leaves MD alone", {
  # pooled SD sqrt((4 * 1 + 4 * 4) / 8) = sqrt(2.5), d = 1 / sqrt(2.5)
  r <- effect_means(5, 1, 5, 4, 2, 5, measure = "SMD", correct = FALSE)
  expect_equal(r$yi, 1 / sqrt(2.5), tolerance = 1e-14)
  expect_equal(r$vi, 2 / 5 + 0.4 / 20, tolerance = 1e-14)
  g <- effect_means(5, 1, 5, 4, 2, 5, measure = "SMD")
  cm <- exp(lgamma(4) - log(sqrt(4)) - lgamma(3.5))
  expect_equal(g$yi, cm * r$yi, tolerance = 1e-14)
  expect_identical(effect_means(5, 1, 5, 4, 2, 5, correct = FALSE),
                   effect_means(5, 1, 5, 4, 2, 5))
})

test_that("NA rows in effect_means are kept with a warning", {
  w <- effect_warnings(effect_means(c(1, NA, 3), 1, 10, 0, 1, 10,
                                    measure = "SMD"))
  expect_match(w$warnings, "1 row has missing values and gives NA: row 2")
  expect_identical(is.na(w$value$yi), c(FALSE, TRUE, FALSE))
})
