# claim_check() and claim_from_percent(): bad input, NA rows, and the C
# core's own precondition checks reached through the registered routines.

test_that("NA rows are kept, give NA and are named in a warning", {
  expect_warning(
    r <- claim_check(c("0.43", NA, "0.91", "1.10"), c("0.24", "0.3", "0.85", NA),
                     c("0.77", "0.9", "1.00", "1.27")),
    "2 rows have a missing estimate or CI limit and give NA: rows 2 and 4")
  expect_identical(nrow(r), 4L)
  expect_identical(r$verdict, c("consistent", NA, "inconsistent", NA))
  expect_true(all(is.na(r$se[c(2, 4)])))
  expect_true(all(is.na(r$symmetric[c(2, 4)])))
  expect_false(is.na(r$se[3]))
})

test_that("lower > upper is an error naming the argument and the row", {
  expect_error(claim_check(c("0.5", "1.0"), c("0.3", "1.2"), c("0.9", "0.9")),
               "`lower` must be below `upper`; row 2 \\(lower = 1.2, upper = 0.9\\)")
  expect_error(claim_from_percent(34, 43, 25),
               "`lower` must be below `upper`; row 1")
})

test_that("non-positive ratios on the log scale are errors naming the row", {
  expect_error(claim_check(c(0.5, 0.5), c(0.3, 0), c(0.9, 0.9)),
               "`lower` must be positive on the log scale.*row 2")
  expect_error(claim_check(-0.2, -0.5, 0.1),
               "`estimate` must be positive on the log scale.*row 1")
  # fine on the linear scale
  expect_identical(claim_check(-0.2, -0.5, 0.1, scale = "linear")$verdict,
                   "consistent")
  expect_error(claim_check(0.5, 0.3, Inf), "`upper` must be finite; row 1")
  expect_error(claim_from_percent(c(34, 100), 25, 110),
               "`percent` gives a ratio of 0 or below.*row 2")
  expect_error(claim_from_percent(34, 25, 100),
               "`upper` gives a ratio of 0 or below.*row 1")
})

test_that("level outside (0, 1) is an error naming the row", {
  expect_error(claim_check("0.43", "0.24", "0.77", level = c(0.95, 95)),
               "`level` must be strictly between 0 and 1; row 2 \\(level = 95, use 0.95")
  expect_error(claim_check("0.43", "0.24", "0.77", level = 0),
               "`level` must be strictly between 0 and 1; row 1")
  expect_error(claim_check("0.43", "0.24", "0.77", level = NA_real_),
               "`level` must be strictly between 0 and 1")
  expect_error(claim_check("0.43", "0.24", "0.77", level = "95%"),
               "`level` must be numeric")
})

test_that("malformed p strings and out-of-range p are errors naming `p` and the row", {
  expect_error(claim_check("0.43", "0.24", "0.77", p = c("0.01", "p = abc")),
               "`p` must be a p-value such as .*; row 2 \\(got \"p = abc\"\\)")
  expect_error(claim_check("0.43", "0.24", "0.77", p = "<< 0.05"), "`p`.*row 1")
  expect_error(claim_check("0.43", "0.24", "0.77", p = "1.5"), "`p`.*row 1")
  expect_error(claim_check("0.43", "0.24", "0.77", p = c(0.2, 1.2, -1)),
               "`p` must lie between 0 and 1; rows 2 and 3 \\(first: p = 1.2\\)")
  expect_error(claim_check("0.43", "0.24", "0.77", p = list(1)),
               "`p` must be numeric or character")
})

test_that("other malformed arguments", {
  expect_error(claim_check("0.43", "0.2x", "0.77"),
               "`lower` must hold numbers such as \"0.91\"; row 1 has \"0.2x\"")
  expect_error(claim_check(list(1), 0.2, 0.7), "`estimate` must be numeric or character")
  expect_error(claim_check("0.43", "0.24"), "`upper` is missing")
  expect_error(claim_check(lower = 1, upper = 2), "`estimate` is missing")
  expect_error(claim_check(character(0), "0.24", "0.77"), "must not be empty")
  expect_error(claim_check(c(1, 2, 3), c(0.5, 0.6), 4), "same length")
  expect_error(claim_check(1, 0.5, 2, digits = 1.5), "`digits` must be whole")
  expect_error(claim_check(1, 0.5, 2, null = 0), "`null` must be a finite number above 0")
  expect_error(claim_check(1, 0.5, 2, data = list(a = 1)), "`data` must be a data frame")
  expect_error(claim_check(1, 0.5, 2, scale = "logit"), "should be one of")
  expect_error(claim_from_percent(34, 25, 43, 1), "must be NULL or a character vector")
  expect_error(claim_from_percent(34, 25, 43, "x"), "should be one of")
  expect_error(claim_from_percent(34, 25, 43, "reduction", p = "0.1", 2), "must be named")
  expect_error(claim_from_percent(34, 25, 43, digits = -1), "`digits` must be whole")
  expect_error(claim_from_percent(34, 25, 43, data = 1), "`data` must be a data frame")
  expect_error(claim_from_percent(numeric(0), 25, 43), "must not be empty")
  expect_error(claim_from_percent(34, -Inf, 43), "`lower` must be finite")
  bad <- claim_from_percent(34, 25, 43)
  bad$estimate_low <- 0.7
  expect_error(claim_check(bad), "`estimate_low` and `estimate_high` must enclose `estimate`; row 1")
  bad$estimate_low <- "0.6"
  expect_error(claim_check(bad), "`estimate_low` must be numeric")
})

test_that("the C core checks its preconditions again", {
  rb <- nutrievidence:::C_claim_round_box
  cb <- nutrievidence:::C_claim_bounds
  # results cross by name; a matrix view for the row checks below
  box_names <- c("estimate", "estimate_low", "estimate_high", "lower",
                 "lower_low", "lower_high", "upper", "upper_low", "upper_high")
  as_box <- function(m) stats::setNames(lapply(seq_len(ncol(m)), function(j)
    m[, j]), box_names[seq_len(ncol(m))])
  bounds <- function(m, ...) do.call(cbind, .Call(cb, as_box(m), ...))
  rbm <- function(...) do.call(cbind, .Call(rb, ...))
  expect_named(.Call(rb, 1, 2, FALSE), c("low", "high"))
  # glue: types and lengths
  expect_error(.Call(rb, 1L, 2, FALSE), "`x` must be a double vector")
  expect_error(.Call(rb, c(1, 2), 2, FALSE), "`decimals` must have length 2")
  expect_error(.Call(rb, 1, 2, NA), "`log_scale` must be TRUE or FALSE")
  # core: decimals not whole, x infinite or non-positive on the log scale
  expect_error(.Call(rb, 1, 1.5, FALSE), "claim_round_box: invalid argument")
  expect_error(.Call(rb, 1, NA_real_, FALSE), "invalid argument")
  expect_error(.Call(rb, 1, 400, FALSE), "invalid argument")
  expect_error(.Call(rb, Inf, 1, FALSE), "claim_round_box: value outside its domain")
  expect_error(.Call(rb, 0, 1, TRUE), "value outside its domain")
  ok <- rbm(c(0.04, NA), c(1, NA), TRUE)
  expect_equal(unname(ok[1, ]), c(0, 0.09), tolerance = 1e-12)  # clamped at 0
  expect_true(all(is.nan(ok[2, ])))
  expect_equal(rbm(1500, -2, FALSE)[1, ], c(1450, 1550), ignore_attr = TRUE)

  box <- matrix(c(0.43, 0.425, 0.435, 0.24, 0.235, 0.245, 0.77, 0.765, 0.775),
                nrow = 1)
  expect_error(.Call(cb, c(box), 0.95, 1, TRUE), "`box` must be a list of 9 columns")
  expect_error(bounds(box[, 1:8, drop = FALSE], 0.95, 1, TRUE), "9 columns")
  expect_error(.Call(cb, rev(as_box(box))[-1], 0.95, 1, TRUE), "9 columns")
  expect_error(.Call(cb, stats::setNames(as_box(box), LETTERS[1:9]), 0.95, 1,
                     TRUE), "no element `estimate`")
  expect_error(bounds(box, c(0.95, 0.9), 1, TRUE), "`level` must have length 1")
  expect_error(bounds(box, 0.95, 1L, TRUE), "`null` must be a double vector")
  expect_error(bounds(box, 0.95, 1, 1), "`log_scale` must be TRUE or FALSE")
  ibox <- matrix(1:9, nrow = 1)
  expect_error(bounds(ibox, 0.95, 1, TRUE), "`estimate` must be a double vector")
  expect_named(.Call(cb, as_box(box), 0.95, 1, TRUE),
               c("se", "se_low", "se_high", "z", "z_low", "z_high",
                 "p_implied", "p_implied_low", "p_implied_high", "p_half_low",
                 "p_half_high", "sym_a_low", "sym_a_high", "sym_b_low",
                 "sym_b_high", "symmetric", "inside"))
  good <- bounds(box, 0.95, 1, TRUE)
  expect_equal(good[[1, "se"]], (log(0.77) - log(0.24)) / (2 * qnorm(0.975)),
               tolerance = 1e-12)
  b2 <- box; b2[1, 9] <- Inf
  expect_error(bounds(b2, 0.95, 1, TRUE), "claim_bounds: value outside its domain")
  b2 <- box; b2[1, 5] <- -0.1
  expect_error(bounds(b2, 0.95, 1, TRUE), "value outside its domain")
  expect_silent(bounds(b2, 0.95, 1, FALSE))
  expect_error(bounds(box, 1.5, 1, TRUE), "claim_bounds: invalid argument")
  expect_error(bounds(box, 0.95, Inf, TRUE), "invalid argument")
  b2 <- box; b2[1, 2] <- 0.44
  expect_error(bounds(b2, 0.95, 1, TRUE), "invalid argument")
  b2 <- box; b2[1, 7:9] <- c(0.2, 0.15, 0.25)
  expect_error(bounds(b2, 0.95, 1, TRUE), "invalid argument")
  b2 <- box; b2[1, 1:3] <- c(0, 0, 0.05)
  expect_error(bounds(b2, 0.95, 1, TRUE), "value outside its domain")
  expect_error(bounds(box, 0.95, 0, TRUE), "value outside its domain")
  # a NaN row is a missing row
  b2 <- rbind(box, box); b2[2, 4] <- NA
  r <- bounds(b2, c(0.95, 0.95), c(1, 1), TRUE)
  expect_true(all(is.nan(r[2, ])))
  expect_false(anyNA(r[1, ]))
  # degenerate boxes: a zero-width SE and a log-scale limit clamped at 0
  b3 <- matrix(c(0.5, 0.45, 0.55, 0.4, 0.35, 0.45, 0.5, 0.45, 0.55), 1)
  r3 <- bounds(b3, 0.95, 0, FALSE)
  expect_identical(r3[1, "se_low"], c(se_low = 0))
  expect_identical(r3[1, "z_high"], c(z_high = Inf))
  expect_identical(r3[1, "p_implied_low"], c(p_implied_low = 0))
  b4 <- matrix(c(0.05, 0, 0.55, 0.02, 0, 0.52, 0.9, 0.4, 1.4), 1)
  r4 <- .Call(cb, as_box(b4), 0.95, 1, TRUE)
  expect_identical(r4$se_high, Inf)   # lower may be 0
  expect_identical(r4$z_low, 0)
  expect_identical(r4$p_implied_high, 1)
})

test_that("claim_check() keeps the user's extra columns of a data frame", {
  claims <- data.frame(id = c("c1", "c2"), source = c("abstract", "table 2"),
                       estimate = c("0.45", "1.42"), lower = c("0.07", "1.18"),
                       upper = c("0.83", "1.71"), p = c("0.02", NA),
                       stringsAsFactors = FALSE)
  res <- claim_check(claims)
  expect_s3_class(res, "nev_claim")
  expect_equal(res$id, claims$id)
  expect_equal(res$source, claims$source)
  expect_equal(names(res)[1:2], c("id", "source"))
  # the verdicts are those of the claims without the extra columns
  plain <- claim_check(claims[c("estimate", "lower", "upper", "p")])
  expect_equal(res$verdict, plain$verdict)
  expect_equal(res[names(plain)], plain, ignore_attr = TRUE)
})
