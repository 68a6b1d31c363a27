# effect_absolute(): closed forms and brute-force versions.

# Brute force: the risk with the exposure from first principles.
# OR: solve odds(p1) / odds(p0) = OR; HR: exponential survival over the period.
bf_risk <- function(r, p0, measure) {
  if (measure == "RR") return(p0 * r)
  if (measure == "OR") {
    f <- function(p1) (p1 / (1 - p1)) / (p0 / (1 - p0)) - r
    return(uniroot(f, c(1e-12, 1 - 1e-12), tol = 1e-14)$root)
  }
  h0 <- -log(1 - p0)
  1 - exp(-r * h0)
}

test_that("risks and differences match first principles for RR, OR, HR", {
  for (m in c("RR", "OR", "HR")) {
    a <- effect_absolute(0.6, 0.4, 0.9, measure = m, baseline = 0.12)
    expect_s3_class(a, "nev_absolute")
    expect_equal(a$risk, bf_risk(0.6, 0.12, m), tolerance = 1e-10)
    expect_equal(c(a$rd.conf.low, a$rd.conf.high),
                 c(bf_risk(0.4, 0.12, m), bf_risk(0.9, 0.12, m)) - 0.12,
                 tolerance = 1e-10)
    expect_equal(a$nnt, 1 / abs(bf_risk(0.6, 0.12, m) - 0.12),
                 tolerance = 1e-10)
    expect_identical(a$nnt_type, "NNTB")
  }
})

test_that("OR is converted to RR through the baseline risk (Zhang & Yu)", {
  # RR = OR / (1 - p0 + p0 * OR): OR 0.5 at p0 = 0.4 gives RR 0.625.
  a <- effect_absolute(0.5, measure = "OR", baseline = 0.4)
  expect_equal(a$risk / a$baseline, 0.5 / (1 - 0.4 + 0.4 * 0.5))
  expect_equal(a$risk / a$baseline, 0.625)
  # A rare outcome: OR and RR nearly agree.
  r <- effect_absolute(0.5, measure = "OR", baseline = 1e-4)
  expect_equal(r$risk / r$baseline, 0.5, tolerance = 1e-4)
})

test_that("an interval excluding the null gives an NNT interval of one kind", {
  a <- effect_absolute(2, 1.5, 3, measure = "RR", baseline = 0.05)
  # RD 0.05 (0.025 to 0.10): NNTH 20 (10 to 40).
  expect_equal(c(a$risk_difference, a$rd.conf.low, a$rd.conf.high),
               c(0.05, 0.025, 0.10))
  expect_identical(a$nnt_type, "NNTH")
  expect_equal(c(a$nnt, a$nnt.conf.low, a$nnt.conf.high), c(20, 10, 40))
  expect_true(is.na(a$nntb_bound) && is.na(a$nnth_bound))
  expect_identical(a$nnt_text, "NNTH 20 (10 to 40)")
})

test_that("an interval crossing the null runs through infinity (Altman 1998)", {
  # RR 0.8 (0.5 to 1.2), baseline 10%: RD -0.02 (-0.05 to +0.02):
  # NNTB 50, interval NNTB 20 to infinity to NNTH 50.
  a <- effect_absolute(0.8, 0.5, 1.2, measure = "RR", baseline = 0.1)
  expect_equal(c(a$risk_difference, a$rd.conf.low, a$rd.conf.high),
               c(-0.02, -0.05, 0.02))
  expect_equal(c(a$nnt, a$nntb_bound, a$nnth_bound), c(50, 20, 50))
  expect_true(is.na(a$nnt.conf.low))
  expect_identical(a$nnt_text, "NNTB 50 (NNTB 20 to infinity to NNTH 50)")
  # Brute force: over a fine grid of ratios inside the interval, the NNTs on
  # each side of the null are bounded below by exactly these limits.
  grid <- seq(0.5, 1.2, length.out = 20001)
  rd <- 0.1 * grid - 0.1
  expect_equal(min(1 / abs(rd[rd < 0])), a$nntb_bound)
  expect_equal(min(1 / rd[rd > 0]), a$nnth_bound)
  expect_true(max(1 / abs(rd[rd != 0])) > 1e3)
})

test_that("Gast 2009: HR 0.91 (0.85-1.00), crude CHD risk 480 / 16057", {
  p0 <- 480 / 16057
  a <- effect_absolute(0.91, 0.85, 1.00, measure = "HR", baseline = p0)
  expect_equal(a$risk, 1 - (1 - p0)^0.91)
  expect_equal(a$rd.conf.high, 0)
  expect_identical(a$nnt_type, "NNTB")
  expect_equal(a$nnt, 1 / (p0 - (1 - (1 - p0)^0.91)))
  expect_true(is.infinite(a$nnth_bound))
  expect_match(a$nnt_text, "^NNTB 377 \\(NNTB 226 to infinity\\)$")
  # 377 by hand: 1 / (p0 - (1 - (1 - p0)^0.91)) = 376.4, rounded up.
  expect_equal(ceiling(1 / (p0 - (1 - (1 - p0)^0.91))), 377)
})

test_that("the horizon carries the baseline risk at a constant hazard", {
  a <- effect_absolute(0.5, measure = "HR", baseline = 0.1, time = 5,
                       horizon = 10)
  expect_equal(a$baseline, 1 - 0.9^2)
  expect_equal(a$risk, 1 - 0.9^(2 * 0.5))
  b <- effect_absolute(c(0.5, 0.7), measure = "RR", baseline = 0.2)
  expect_equal(b$risk, c(0.1, 0.14))
  expect_output(print(b), "NNTB 10")
})

test_that("bad input names the argument", {
  expect_error(effect_absolute(0.5, measure = "RR"), "`baseline` is missing")
  expect_error(effect_absolute(0.5, baseline = 1.2), "`baseline` must be a risk")
  expect_error(effect_absolute(-1, baseline = 0.1), "`estimate` must be a positive")
  expect_error(effect_absolute(0.5, 0.6, 0.9, baseline = 0.1),
               "`lower` <= `estimate` <= `upper`")
  expect_error(effect_absolute(0.5, baseline = 0.1, measure = "MD"), "`measure`")
  expect_error(effect_absolute(0.5, baseline = 0.1, time = 5),
               "`time` and `horizon` must be given together")
  expect_error(effect_absolute("a", baseline = 0.1), "`estimate` must be numeric")
  expect_error(effect_absolute(0.5, baseline = 0.1, time = -1, horizon = 2),
               "`time` must be a single positive number")
})
