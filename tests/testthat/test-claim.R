# claim_check(): verdicts on published claims, closed forms, and interval
# bounds checked against a brute-force search over the rounding box.

q95 <- qnorm(0.975)

# Brute force: evaluate SE, z, p and the half-CI p on a grid over the
# rounding box (the grid holds every corner).
brute <- function(e, l, u, level = 0.95, log = TRUE, null = if (log) 1 else 0,
                  k = 7) {
  g <- if (log) base::log else identity
  q <- qnorm(1 - (1 - level) / 2)
  gr <- expand.grid(e = seq(e[1], e[2], length.out = k),
                    l = seq(l[1], l[2], length.out = k),
                    u = seq(u[1], u[2], length.out = k))
  se <- (g(gr$u) - g(gr$l)) / (2 * q)
  z <- abs(g(gr$e) - g(null)) / se
  zl <- abs(g(gr$e) - g(null)) / ((g(gr$e) - g(gr$l)) / q)
  zu <- abs(g(gr$e) - g(null)) / ((g(gr$u) - g(gr$e)) / q)
  sym <- if (log) gr$e^2 - gr$l * gr$u else 2 * gr$e - gr$l - gr$u
  list(se = range(se), z = range(z), p = range(2 * pnorm(-z)),
       phalf = range(2 * pnorm(-c(zl, zu))), sym = range(sym))
}
half <- function(x, d) c(x - 0.5 * 10^-d, x + 0.5 * 10^-d)

test_that("Rotterdam RR 0.43 (0.24-0.77) is consistent and symmetric", {
  r <- claim_check("0.43", "0.24", "0.77")
  expect_s3_class(r, "nev_claim")
  expect_true(r$symmetric)
  expect_true(r$inside)
  expect_identical(r$verdict, "consistent")
  expect_true(is.na(r$p_consistent))
  # closed form from the printed numbers
  se <- (log(0.77) - log(0.24)) / (2 * q95)
  expect_equal(r$se, se, tolerance = 1e-12)
  expect_equal(r$z, abs(log(0.43)) / se, tolerance = 1e-12)
  expect_equal(r$p_implied, 2 * pnorm(-abs(log(0.43)) / se),
               tolerance = 1e-10)
  expect_match(r$reason, "no p reported")
})

test_that("Gast 2009 HR 0.91 (0.85-1.00) is not log-symmetric even with rounding", {
  r <- claim_check("0.91", "0.85", "1.00")
  expect_false(r$symmetric)
  expect_identical(r$verdict, "inconsistent")
  expect_match(r$reason, "not symmetric about the estimate on the log scale")
  # by hand: est^2 <= 0.915^2 = 0.837225 < 0.845 * 0.995 = 0.840775
  expect_lt(0.915^2, 0.845 * 0.995)
  expect_equal(c(r$estimate_low, r$estimate_high), c(0.905, 0.915),
               tolerance = 1e-12)
  expect_equal(c(r$upper_low, r$upper_high), c(0.995, 1.005),
               tolerance = 1e-12)
  b <- brute(half(0.91, 2), half(0.85, 2), half(1, 2))
  expect_true(b$sym[2] < 0)  # est^2 - lower*upper < 0 over the whole box
  # numeric 1.00 loses its zeros: taken as [0.5, 1.5], which hides it ...
  expect_warning(r0 <- claim_check(0.91, 0.85, 1.00),
                 "`upper` = 1 in row 1 has fewer decimals.*\"1.00\"")
  expect_true(r0$symmetric)
  # ... unless digits says how many decimals were printed
  expect_false(claim_check(0.91, 0.85, 1.00, digits = 2)$symmetric)
})

test_that("OR 1.10 (0.95-1.27) with p = 0.03 is inconsistent (CI implies p ~ 0.2)", {
  r <- claim_check("1.10", "0.95", "1.27", p = "0.03")
  expect_false(r$p_consistent)
  expect_identical(r$verdict, "inconsistent")
  expect_match(r$reason, "the CI implies p between 0.16 and 0.24 but p = 0.03 was reported",
               fixed = TRUE)
  # implied range by hand: largest z at est 1.105, limits 0.955 and 1.265
  se_lo <- (log(1.265) - log(0.955)) / (2 * q95)
  se_hi <- (log(1.275) - log(0.945)) / (2 * q95)
  expect_equal(r$p_implied_low, 2 * pnorm(-log(1.105) / se_lo),
               tolerance = 1e-9)
  expect_equal(r$p_implied_high, 2 * pnorm(-log(1.095) / se_hi),
               tolerance = 1e-9)
  expect_equal(r$p_implied, 2 * pnorm(-log(1.1) / ((log(1.27) - log(0.95)) /
                                                     (2 * q95))),
               tolerance = 1e-10)
  expect_true(r$p_implied > 0.19 && r$p_implied < 0.21)
})

test_that("Lees 2019 HR 0.45 (0.07-0.83) is symmetric on the linear, not the log, scale", {
  lg <- claim_check("0.45", "0.07", "0.83", p = "0.02")
  li <- claim_check("0.45", "0.07", "0.83", p = "0.02", scale = "linear")
  expect_false(lg$symmetric)
  expect_true(li$symmetric)
  expect_identical(lg$verdict, "inconsistent")
  expect_identical(li$verdict, "consistent")
  expect_false(lg$p_consistent)
  expect_true(li$p_consistent)
  # linear closed form: SE = (0.83 - 0.07) / (2 q), z = 0.45 / SE
  se <- (0.83 - 0.07) / (2 * q95)
  expect_equal(li$se, se, tolerance = 1e-12)
  expect_equal(li$z, 0.45 / se, tolerance = 1e-12)
  expect_equal(li$p_implied, 2 * pnorm(-0.45 / se), tolerance = 1e-10)
  # with the null at 1 instead (a Wald CI on the HR scale) p is ~0.005
  n1 <- claim_check("0.45", "0.07", "0.83", p = "0.02", scale = "linear",
                    null = 1)
  expect_equal(n1$z, 0.55 / se, tolerance = 1e-12)
  expect_false(n1$p_consistent)
})

test_that("seed 002: 34% reduction (25-43%), p<0.001 and HR 1.42 (1.18-1.71) are consistent", {
  pc <- claim_from_percent("34", "25", "43", p = "<0.001")
  expect_equal(pc$estimate, 0.66)
  expect_equal(c(pc$lower, pc$upper), c(0.57, 0.75))
  expect_equal(c(pc$estimate_low, pc$estimate_high), c(0.655, 0.665),
               tolerance = 1e-12)
  expect_equal(c(pc$lower_low, pc$lower_high), c(0.565, 0.575),
               tolerance = 1e-12)
  expect_equal(c(pc$upper_low, pc$upper_high), c(0.745, 0.755),
               tolerance = 1e-12)
  r <- claim_check(pc)
  expect_identical(r$verdict, "consistent")
  expect_true(r$symmetric)
  expect_true(r$p_consistent)
  expect_identical(r$p_reported, "<0.001")
  # log-symmetric only thanks to rounding: 0.66^2 = 0.4356 > 0.57 * 0.75
  expect_gt(0.66^2, 0.57 * 0.75)
  expect_lte(0.655^2, 0.575 * 0.755)
  # the rounding intervals came from the percents, not from the ratios
  expect_equal(r$estimate_low, 0.655, tolerance = 1e-12)
  h <- claim_check("1.42", "1.18", "1.71")
  expect_identical(h$verdict, "consistent")
  expect_true(h$symmetric)
  se <- (log(1.71) - log(1.18)) / (2 * q95)
  expect_equal(h$p_implied, 2 * pnorm(-log(1.42) / se), tolerance = 1e-10)
})

test_that("the rounding interval decides symmetry: log scale, both sides", {
  # est^2 = 4 but lower*upper = 4.04: symmetric only thanks to rounding, as
  # 2.005^2 = 4.020025 >= 0.995 * 4.035 = 4.014825
  r <- claim_check("2.00", "1.00", c("4.04", "4.05"))
  expect_identical(r$symmetric, c(TRUE, FALSE))
  expect_identical(r$verdict, c("consistent", "inconsistent"))
  # 4.05 just fails: 0.995 * 4.045 = 4.024775 > 4.020025
  expect_gt(0.995 * 4.045, 2.005^2)
  expect_false(isTRUE(all.equal(2^2, 1 * 4.04)))
  b1 <- brute(half(2, 2), half(1, 2), half(4.04, 2))
  b2 <- brute(half(2, 2), half(1, 2), half(4.05, 2))
  expect_true(b1$sym[1] <= 0 && b1$sym[2] >= 0)
  expect_true(b2$sym[2] < 0)
})

test_that("the rounding interval decides symmetry: linear scale, on the boundary", {
  # 2 * est in [0.99, 1.01]; lower + upper in [1.00, 1.02] (0.91),
  # [1.01, 1.03] (0.92: touches exactly at 1.01), [1.02, 1.04] (0.93)
  r <- claim_check("0.50", "0.10", c("0.91", "0.92", "0.93"),
                   scale = "linear")
  expect_identical(r$symmetric, c(TRUE, TRUE, FALSE))
  expect_identical(r$verdict, c("consistent", "consistent", "inconsistent"))
  expect_match(r$reason[3], "2*est in [0.990, 1.01] but lower+upper in [1.02, 1.04]",
               fixed = TRUE)
})

test_that("a reported p just inside and just outside the implied range", {
  # OR 1.10 (0.95-1.27): implied p in [0.16384, 0.23493]
  lo <- 2 * pnorm(-log(1.105) / ((log(1.265) - log(0.955)) / (2 * q95)))
  hi <- 2 * pnorm(-log(1.095) / ((log(1.275) - log(0.945)) / (2 * q95)))
  expect_true(lo < 0.165 && lo > 0.155)  # "0.16" = [0.155, 0.165] meets it
  expect_true(hi < 0.235)                # "0.24" = [0.235, 0.245] misses it
  r <- claim_check("1.10", "0.95", "1.27",
                   p = c("0.16", "0.15", "0.24", "0.23", "<0.17", "<0.16",
                         ">0.23", ">0.24", "0.2"))
  expect_identical(r$p_consistent,
                   c(TRUE, FALSE, FALSE, TRUE, TRUE, FALSE, TRUE, FALSE, TRUE))
  expect_match(r$reason[3], "p between 0.16 and 0.23494 but p = 0.24",
               fixed = TRUE)
  # numeric p: precision from its shortest representation
  rn <- claim_check("1.10", "0.95", "1.27", p = c(0.16, 0.24))
  expect_identical(rn$p_consistent, c(TRUE, FALSE))
  expect_equal(rn$p_reported_low, c(0.155, 0.235), tolerance = 1e-12)
})

test_that("bounds equal the extremes of a brute-force search over the box", {
  set.seed(20261121)
  for (i in 1:25) {
    d <- sample(1:3, 1)
    e <- round(exp(rnorm(1, 0, 0.6)), d)
    w <- runif(1, 0.1, 0.8)
    l <- round(e * exp(-w * runif(1, 0.8, 1.2)), d)
    u <- round(e * exp(w * runif(1, 0.8, 1.2)), d)
    if (!(l > 10^-d && l < e && e < u)) next
    lev <- sample(c(0.9, 0.95, 0.99), 1)
    r <- claim_check(e, l, u, level = lev, digits = d)
    b <- brute(half(e, d), half(l, d), half(u, d), level = lev)
    expect_equal(c(r$se_low, r$se_high), b$se, tolerance = 1e-9)
    expect_equal(r$z_high, b$z[2], tolerance = 1e-9)
    expect_equal(r$p_implied_low, b$p[1], tolerance = 1e-9)
    # the null inside the estimate's interval gives z_low = 0 exactly
    if (half(e, d)[1] > 1 || half(e, d)[2] < 1) {
      expect_equal(r$z_low, b$z[1], tolerance = 1e-9)
      expect_equal(r$p_implied_high, b$p[2], tolerance = 1e-9)
      expect_equal(c(r$p_half_low, r$p_half_high), b$phalf,
                   tolerance = 1e-9)
    } else {
      expect_equal(r$z_low, 0)
      expect_equal(r$p_implied_high, 1)
      expect_equal(r$p_half_low, b$phalf[1], tolerance = 1e-9)
      expect_equal(r$p_half_high, 1)
    }
    expect_identical(r$symmetric, b$sym[1] <= 0 && b$sym[2] >= 0)
    # point values against the closed form
    se <- (log(u) - log(l)) / (2 * qnorm(1 - (1 - lev) / 2))
    expect_equal(r$se, se, tolerance = 1e-12)
    expect_equal(r$p_implied, 2 * pnorm(-abs(log(e)) / se),
                 tolerance = 1e-9)
  }
})

test_that("linear-scale bounds and half-CI p against brute force", {
  r <- claim_check("-9.1", "-17.7", "-0.5", p = "0.04", scale = "linear")
  b <- brute(half(-9.1, 1), half(-17.7, 1), half(-0.5, 1), log = FALSE)
  expect_equal(c(r$se_low, r$se_high), b$se, tolerance = 1e-9)
  expect_equal(c(r$z_low, r$z_high), b$z, tolerance = 1e-9)
  expect_equal(c(r$p_implied_low, r$p_implied_high), b$p, tolerance = 1e-9)
  expect_equal(c(r$p_half_low, r$p_half_high), b$phalf, tolerance = 1e-9)
  expect_true(r$symmetric)
  expect_true(r$p_consistent)
  expect_identical(r$verdict, "consistent")
})

test_that("an estimate outside its CI is inconsistent unless rounding allows it", {
  r <- claim_check(c("1.30", "0.95"), c("0.95", "0.96"), c("1.27", "1.27"))
  expect_identical(r$inside, c(FALSE, TRUE))
  expect_identical(r$verdict[1], "inconsistent")
  expect_match(r$reason[1], "lies outside its CI")
})

test_that("no CI gives 'cannot tell'", {
  r <- claim_check("0.91", NA, NA, p = "0.04")
  expect_identical(r$verdict, "cannot tell")
  expect_match(r$reason, "^no CI given")
  expect_true(is.na(r$p_consistent))
  expect_true(is.na(r$se))
})

test_that("p strings are read as intervals", {
  p <- c("0.02", "<0.001", "< .05", "p = 0.04", "P<0.0001", ">0.05", "NS",
         "p=NS", "n.s.", "p \u2264 0.01", "1e-4", "", NA)
  r <- claim_check("0.43", "0.24", "0.77", p = p)
  expect_equal(r$p_reported_low,
               c(0.015, 0, 0, 0.035, 0, 0.05, 0.05, 0.05, 0.05, 0, 0.00005,
                 NA, NA), tolerance = 1e-12)
  expect_equal(r$p_reported_high,
               c(0.025, 0.001, 0.05, 0.045, 0.0001, 1, 1, 1, 1, 0.01, 0.00015,
                 NA, NA), tolerance = 1e-12)
  expect_identical(is.na(r$p_consistent), c(rep(FALSE, 11), TRUE, TRUE))
  expect_identical(r$p_reported, p)
})

test_that("numeric precision: inferred, or set by digits", {
  expect_warning(r <- claim_check(c(0.43, 1), c(0.24, 0.5), c(0.77, 1.5)),
                 "`estimate` = 1 in row 2 has fewer decimals")
  expect_equal(r$estimate_low, c(0.425, 0.5), tolerance = 1e-12)
  expect_equal(r$estimate_high, c(0.435, 1.5), tolerance = 1e-12)
  r2 <- claim_check(1, 0.5, 1.5, digits = 2)
  expect_equal(c(r2$estimate_low, r2$estimate_high), c(0.995, 1.005),
               tolerance = 1e-12)
  # a string carries its own precision, whatever digits says
  r3 <- claim_check("1.000", "0.5", "1.5", digits = 0)
  expect_equal(c(r3$estimate_low, r3$estimate_high), c(0.9995, 1.0005),
               tolerance = 1e-12)
  # sums such as 0.1 + 0.2 still read as 0.3
  r4 <- claim_check(0.1 + 0.2, 0.1, 0.9, scale = "linear")
  expect_equal(r4$estimate_high, 0.35, tolerance = 1e-12)
})

test_that("level changes q", {
  r <- claim_check("0.43", "0.24", "0.77", level = c(0.9, 0.99))
  se <- (log(0.77) - log(0.24)) / (2 * qnorm(c(0.95, 0.995)))
  expect_equal(r$se, se, tolerance = 1e-12)
})

test_that("data frames: as first argument, via data =, and per-row level", {
  df <- data.frame(estimate = c("0.43", "1.10"), lower = c("0.24", "0.95"),
                   upper = c("0.77", "1.27"), p = c(NA, "0.03"),
                   level = c(0.95, 0.95))
  a <- claim_check(df)
  expect_identical(a$verdict, c("consistent", "inconsistent"))
  names(df) <- c("hr", "lo", "hi", "pv", "lev")
  b <- claim_check(hr, lo, hi, p = pv, level = lev, data = df)
  c2 <- claim_check("hr", "lo", "hi", p = "pv", data = df)
  expect_identical(a$verdict, b$verdict)
  expect_equal(a$p_implied, c2$p_implied)
  # a result can be checked again: its rounding intervals are honoured
  expect_equal(claim_check(a)$p_implied_low, a$p_implied_low)
})

test_that("claim_from_percent: increase, strings with %, numeric input", {
  r <- claim_from_percent("42%", "18%", "71%", direction = "increase",
                          label = "x")
  expect_equal(c(r$estimate, r$lower, r$upper), c(1.42, 1.18, 1.71))
  expect_equal(c(r$lower_low, r$lower_high), c(1.175, 1.185),
               tolerance = 1e-12)
  expect_identical(r$label, "x")
  n <- claim_from_percent(34, 25, 43)
  expect_equal(c(n$upper_low, n$upper_high), c(0.745, 0.755),
               tolerance = 1e-12)
  d <- claim_from_percent(pct, lo, hi, data = data.frame(pct = 34.0, lo = 25,
                                                          hi = 43),
                          digits = 1)
  expect_equal(c(d$estimate_low, d$estimate_high), c(0.6595, 0.6605),
               tolerance = 1e-12)
  # a CI crossing zero: -5% to 25% reduction
  z <- claim_from_percent("10", "-5", "25")
  expect_equal(c(z$lower, z$upper), c(0.75, 1.05))
  # symmetric in percent points, so on the linear scale, not the log scale:
  # est^2 >= 0.895^2 = 0.801025 > 0.755 * 1.055 = 0.796525
  expect_identical(claim_check(z, scale = "linear")$verdict, "consistent")
  expect_false(claim_check(z)$symmetric)
})

test_that("print shows the table and the reasons", {
  r <- claim_check(c("0.43", "1.10", "0.91"), c("0.24", "0.95", NA),
                   c("0.77", "1.27", NA), p = c(NA, "0.03", NA))
  out <- capture.output(print(r))
  expect_match(out[1], "3 claims checked on the log scale")
  expect_match(out[1], "1 consistent, 1 inconsistent, 1 cannot tell")
  expect_true(any(grepl("0.91 (no CI)", out, fixed = TRUE)))
  expect_true(any(grepl("Reasons:", out)))
  expect_output(print(r[, c("verdict", "se")]), "verdict")
})

test_that("rounding-interval columns may be NA for rows that use the printed precision", {
  pc <- claim_from_percent("34", "25", "43", p = "<0.001")
  df <- data.frame(estimate = c("0.66", "0.91"), lower = c("0.57", "0.85"),
                   upper = c("0.75", "1.00"), p = c("<0.001", NA))
  df <- cbind(df, rbind(pc[, 4:9], NA))
  r <- claim_check(df)
  expect_equal(r$estimate_low, c(0.655, 0.905), tolerance = 1e-12)
  expect_equal(r$p_implied_low[1], claim_check(pc)$p_implied_low)
  expect_equal(r$p_implied_low[2],
               claim_check("0.91", "0.85", "1.00")$p_implied_low)
  expect_identical(r$verdict, c("consistent", "inconsistent"))
})
