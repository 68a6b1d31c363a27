# Every message of the effect_* family, and every reachable error branch of
# the C core and glue (called directly through the registered symbols).

test_that("effect_counts rejects bad input, naming the argument and row", {
  expect_error(effect_counts(c(1, -1), 10, 2, 10),
               "`ai` must not be negative; row 2 has ai = -1")
  expect_error(effect_counts(1, 10, c(2, 3, -2), 10),
               "`ci` must not be negative; row 3 has ci = -2")
  expect_error(effect_counts(1, c(10, 0), 0, 10),
               "`n1i` must be positive; row 2 has n1i = 0")
  expect_error(effect_counts(c(1, 0), c(10, 0), 0, 10),
               "`n1i` must be positive; row 2 has n1i = 0")
  expect_error(effect_counts(1, 10, 0, -5),
               "`n2i` must be positive; row 1 has n2i = -5")
  expect_error(effect_counts(c(1, 12, 13), c(10, 10, 10), 2, 10),
               paste0("`ai` \\(events\\) must not exceed `n1i` \\(group ",
                      "size\\); row 2 has ai = 12, n1i = 10 \\(rows 2 and 3 ",
                      "in all\\)"))
  expect_error(effect_counts(1, 10, 11, 10),
               paste0("`ci` \\(events\\) must not exceed `n2i` \\(group ",
                      "size\\); row 1 has ci = 11"))
  expect_error(effect_counts(Inf, 10, 1, 10),
               "`ai` must be finite; row 1 has ai = Inf")
  expect_error(effect_counts("a", 10, 1, 10), "`ai` must be numeric")
  expect_error(effect_counts(1, 10, 1), "`n2i` is missing")
  expect_error(effect_counts(1:2, 10, 1:3, 10),
               "same length or length 1: `ai` has length 2")
  expect_error(effect_counts(1, 10, 1, 10, measure = "RRR"),
               paste0("`measure` should be one of \"RR\", \"OR\", \"RD\" ",
                      "\\(got \"RRR\"\\)"))
  expect_error(effect_counts(1, 10, 1, 10, to = "some"), "`to` should be one of")
  expect_error(effect_counts(1, 10, 1, 10, add = -0.5),
               "`add` must be a single non-negative number \\(got -0.5\\)")
  expect_error(effect_counts(1, 10, 1, 10, add = c(1, 2)), "`add` must be")
  expect_error(effect_counts(1, 10, 1, 10, drop00 = NA),
               "`drop00` must be TRUE or FALSE")
  expect_error(effect_counts(a, n1i, ci, n2i, data = data.frame(n1i = 1)),
               "`ai`: `data` has no column `a` \\(its columns: n1i\\)")
  expect_error(effect_counts(a, n1i, ci, n2i, data = 1:3),
               "`data` must be a data frame")
})

test_that("effect_means rejects bad input", {
  expect_error(effect_means(1, -1, 10, 0, 1, 10),
               "`sd1i` must not be negative; row 1 has sd1i = -1")
  expect_error(effect_means(1, 1, 10, 0, c(1, -2), 10),
               "`sd2i` must not be negative; row 2 has sd2i = -2")
  expect_error(effect_means(1, 1, 0, 0, 1, 10),
               "`n1i` must be positive; row 1 has n1i = 0")
  expect_error(effect_means(1, 1, 10, 0, 1, -3), "`n2i` must be positive")
  expect_error(effect_means(1, 1, 2, 0, 1, 1, measure = "SMD"),
               paste0("`n1i` \\+ `n2i` must exceed 3 for measure \"SMD\"; ",
                      "row 1 has n1i = 2, n2i = 1"))
  expect_error(effect_means(1, 0, 5, 0, 0, 5, measure = "SMD"),
               "pooled SD of `sd1i` and `sd2i` must be positive")
  expect_error(effect_means(1, 1, 5, c(2, 0), 1, 5, measure = "ROM"),
               "`m2i` must be positive for measure \"ROM\".*row 2 has m2i = 0")
  expect_error(effect_means(-1, 1, 5, 2, 1, 5, measure = "ROM"),
               "`m1i` must be positive")
  expect_error(effect_means(1, 1, 5, 2, 1, 5, measure = "SMDH"),
               "`measure` should be one of \"MD\", \"SMD\", \"ROM\"")
  expect_error(effect_means(1, Inf, 5, 2, 1, 5),
               "`sd1i` must be finite")
  expect_error(effect_means(factor(1), 1, 5, 2, 1, 5), "`m1i` must be numeric")
  expect_error(effect_means(1, 1, 5, 2, 1, 5, "ROM", correct = "yes"),
               "`correct` must be TRUE or FALSE \\(got yes\\)")
})

test_that("effect_ci rejects bad input", {
  expect_error(effect_ci(c(1, 1, 1), c(0.5, 0.8, 1.2), c(2, 2, 0.9)),
               paste0("`lower` must be below `upper`; row 3 has lower = 1.2, ",
                      "upper = 0.9"))
  expect_error(effect_ci(1, 1, 1), "`lower` must be below `upper`")
  expect_error(effect_ci(2.5, 1.2, 2),
               paste0("`estimate` must lie between `lower` and `upper`; row ",
                      "1 has estimate = 2.5, lower = 1.2, upper = 2"))
  expect_error(effect_ci(1, 0, 2, measure = "OR"),
               "`lower` must be positive for the ratio measure \"OR\"; row 1")
  expect_error(effect_ci(-1, -2, 2, measure = "HR"),
               "`estimate` must be positive for the ratio measure \"HR\"")
  expect_error(effect_ci(1, 0.5, 2, level = 95),
               "`level` must be strictly between 0 and 1; row 1 has level = 95")
  expect_error(effect_ci(c(1, 1), 0.5, 2, level = c(0.9, 0)),
               "`level` must be strictly between 0 and 1; row 2 has level = 0")
  expect_error(effect_ci(1, 0.5, 2, measure = "XX"),
               "`measure` should be one of \"RR\", \"OR\", \"HR\"")
  expect_error(effect_ci(1, 0.5, 2, measure = c("RR", "OR")),
               "`measure` should be one of")
  expect_error(effect_ci(1, 0.5, "2"), "`upper` must be numeric")
})

test_that("effect_p rejects bad input", {
  expect_error(effect_p(1.2, 0), "`p` must be in \\(0, 1\\]; row 1 has p = 0")
  expect_error(effect_p(1.2, c(0.1, 1.5)), "row 2 has p = 1.5")
  expect_error(effect_p(-0.2, 0.01),
               "`estimate` must be positive for the ratio measure \"RR\"")
  expect_error(effect_p(1.2, "<0.001"), "`p` must be numeric")
  expect_error(effect_p(1.2, 0.01, measure = "PETO"),
               "`measure` should be one of")
})

test_that("the glue checks types, lengths and scalars", {
  c_counts <- nutrievidence:::C_effect_counts
  c_means <- nutrievidence:::C_effect_means
  c_ci <- nutrievidence:::C_effect_ci
  c_p <- nutrievidence:::C_effect_p
  expect_error(.Call(c_counts, 1L, 10, 1, 10, 0L, 0.5, 0L, FALSE),
               "`ai` must be a double vector \\(got integer\\)")
  expect_error(.Call(c_counts, 1, c(10, 10), 1, 10, 0L, 0.5, 0L, FALSE),
               "`n1i` must have length 1 \\(got 2\\)")
  expect_error(.Call(c_counts, 1, 10, "1", 10, 0L, 0.5, 0L, FALSE),
               "`ci` must be a double vector")
  expect_error(.Call(c_counts, 1, 10, 1, 10, 0.5, 0.5, 0L, FALSE),
               "`measure` must be a single whole number")
  expect_error(.Call(c_counts, 1, 10, 1, 10, 0L, NA_real_, 0L, FALSE),
               "`add` must be finite")
  expect_error(.Call(c_counts, 1, 10, 1, 10, 0L, 0.5, "x", FALSE),
               "`to` must be a single whole number")
  expect_error(.Call(c_counts, 1, 10, 1, 10, 0L, 0.5, 0L, 1L),
               "`drop00` must be TRUE or FALSE")
  expect_error(.Call(c_means, 1, 1, 1, 1, 1, 1:2, 0L, TRUE),
               "`n2i` must be a double vector")
  expect_error(.Call(c_means, 1, 1, 1, 1, c(1, 2), 1, 0L, TRUE),
               "`sd2i` must have length 1")
  expect_error(.Call(c_means, 1, 1, 5, 1, 1, 5, 2L, NA),
               "`correct` must be TRUE or FALSE")
  expect_error(.Call(c_ci, 1, 0.5, 2, 95L, FALSE),
               "`level` must be a double vector")
  expect_error(.Call(c_ci, 1, 0.5, 2, c(0.95, 0.9), TRUE),
               "`level` must have length 1")
  expect_error(.Call(c_ci, 1, 0.5, 2, 0.95, NA),
               "`logscale` must be TRUE or FALSE, not NA")
  expect_error(.Call(c_p, 1, 0.5, 1L), "`logscale` must be TRUE or FALSE")
  expect_error(.Call(c_p, list(1), 0.5, TRUE), "`estimate` must be a double")
})

test_that("the C core checks its own preconditions", {
  c_counts <- nutrievidence:::C_effect_counts
  c_means <- nutrievidence:::C_effect_means
  c_ci <- nutrievidence:::C_effect_ci
  c_p <- nutrievidence:::C_effect_p
  dom <- "value outside its domain"
  # counts: codes and add are arguments, cells are domain
  expect_error(.Call(c_counts, 1, 10, 1, 10, 3L, 0.5, 0L, FALSE),
               "effect_counts: invalid argument")
  expect_error(.Call(c_counts, 1, 10, 1, 10, -1L, 0.5, 0L, FALSE),
               "effect_counts: invalid argument")
  expect_error(.Call(c_counts, 1, 10, 1, 10, 0L, 0.5, 4L, FALSE),
               "effect_counts: invalid argument")
  expect_error(.Call(c_counts, 1, 10, 1, 10, 0L, -1, 0L, FALSE),
               "effect_counts: invalid argument")
  expect_error(.Call(c_counts, c(1, -1), c(10, 10), c(1, 1), c(10, 10), 0L,
                     0.5, 0L, FALSE), paste0(dom, " \\(row 2\\)"))
  expect_error(.Call(c_counts, c(1, 11), c(10, 10), c(1, 1), c(10, 10), 1L,
                     0.5, 1L, FALSE), paste0(dom, " \\(row 2\\)"))
  expect_error(.Call(c_counts, 1, 10, 1, 0, 2L, 0.5, 2L, TRUE),
               paste0(dom, " \\(row 1\\)"))
  expect_error(.Call(c_counts, 1, Inf, 1, 10, 0L, 0.5, 3L, FALSE), dom)
  # NaN rows are missing, not errors; a zero cell with "none" gives NA
  r <- .Call(c_counts, c(NA, 0), c(10, 10), c(1, 1), c(10, 10), 0L, 0.5, 3L,
             FALSE)
  expect_identical(is.na(r$yi), c(TRUE, TRUE))
  expect_identical(names(r), c("yi", "vi", "sei"))
  # means
  expect_error(.Call(c_means, 1, 1, 1, 1, 1, 1, 3L, TRUE),
               "effect_means: invalid argument")
  expect_error(.Call(c_means, 1, -1, 5, 1, 1, 5, 0L, TRUE),
               paste0(dom, " \\(row 1"))
  expect_error(.Call(c_means, c(1, 1), c(1, 1), c(5, 0), c(1, 1), c(1, 1),
                     c(5, 5), 0L, TRUE),
               paste0(dom, " \\(row 2\\)"))
  expect_error(.Call(c_means, 1, 1, 5, Inf, 1, 5, 0L, TRUE), dom)
  expect_error(.Call(c_means, 1, 1, 2, 1, 1, 1, 1L, TRUE), dom) # 1 df
  expect_error(.Call(c_means, 1, 0, 5, 1, 0, 5, 1L, TRUE), dom) # pooled SD 0
  expect_error(.Call(c_means, 1, 1, 5, -1, 1, 5, 2L, TRUE), dom) # ROM, m < 0
  expect_error(.Call(c_means, 1e300, 1e300, 1e-300, 1, 1, 5, 0L, TRUE), dom)
  r <- .Call(c_means, c(1, NA), c(1, 1), c(5, 5), c(1, 1), c(1, 1),
             c(5, 5), 1L, TRUE)
  expect_identical(is.na(r$yi), c(FALSE, TRUE))
  # intervals
  expect_error(.Call(c_ci, 1, 2, 0.5, 0.95, TRUE), paste0(dom, " \\(row 1"))
  expect_error(.Call(c_ci, 3, 0.5, 2, 0.95, TRUE), dom)
  expect_error(.Call(c_ci, 1, 0.5, 2, 1, TRUE), dom)
  expect_error(.Call(c_ci, 1, 0.5, 2, 0, FALSE), dom)
  expect_error(.Call(c_ci, 0, -1, 2, 0.95, TRUE), dom)
  expect_error(.Call(c_ci, 1, -Inf, 2, 0.95, FALSE), dom)
  expect_error(.Call(c_ci, 1, 0.5, 2, 1e-17, TRUE), dom)  # the quantile is zero
  r <- .Call(c_ci, c(1, NA), c(0.5, 0.5), c(2, 2), c(0.95, 0.95), FALSE)
  expect_identical(is.na(r$asymmetry), c(FALSE, TRUE))
  # p-values
  expect_error(.Call(c_p, 1.2, 0, TRUE), paste0(dom, " \\(row 1"))
  expect_error(.Call(c_p, c(1.2, 1.2), c(0.5, 2), TRUE),
               paste0(dom, " \\(row 2"))
  expect_error(.Call(c_p, -1.2, 0.5, TRUE), dom)
  expect_error(.Call(c_p, Inf, 0.5, FALSE), dom)
  expect_error(.Call(c_p, 1.2, 5e-324, TRUE), dom)  # the quantile is infinite
  r <- .Call(c_p, c(NA, 0, 2), c(0.5, 0.5, 1), FALSE)
  expect_identical(is.na(r$sei), c(TRUE, TRUE, TRUE))
  expect_identical(r$yi[2:3], c(0, 2))
})
