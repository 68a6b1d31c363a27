ev <- k2_evidence()
row <- function(id) ev[ev$id == id, ]

test_that("every claim gets exactly one verdict from the allowed set", {
  expect_s3_class(ev, "nev_k2_evidence")
  expect_identical(ev$id, k2_claims$id)
  expect_true(all(ev$verdict %in% c("consistent", "inconsistent",
                                    "cannot tell", "not found",
                                    "contradicted", "misattributed")))
  expect_false(anyNA(ev$reason))
  s <- summary(ev)
  expect_identical(sum(s$table$claims), nrow(ev))
})

test_that("Rotterdam RR 0.43 (0.24-0.77) is consistent and log-symmetric", {
  # By hand: log(0.43) - log(0.24) = 0.583, log(0.77) - log(0.43) = 0.583.
  expect_equal(log(0.43) - log(0.24), log(0.77) - log(0.43), tolerance = 2e-3)
  r <- row("S1-09")
  expect_identical(r$verdict, "consistent")
  expect_true(r$symmetric)
  se <- (log(0.77) - log(0.24)) / (2 * qnorm(0.975))
  p <- 2 * pnorm(-abs(log(0.43)) / se)
  expect_true(r$p_implied_low <= p && p <= r$p_implied_high)
})

test_that("Gast 2009 HR 0.91 (0.85-1.00) is asymmetric on the log scale", {
  # By hand, over the rounding boxes [0.905, 0.915), [0.845, 0.855),
  # [0.995, 1.005): the shortest possible upper arm on the log scale is
  # still longer than the longest possible lower arm.
  upper_arm_min <- log(0.995) - log(0.915)
  lower_arm_max <- log(0.915) - log(0.845)
  expect_gt(upper_arm_min, 0.083)
  expect_lt(lower_arm_max, 0.080)
  r <- row("S1-16")
  expect_false(r$symmetric)
  expect_identical(r$verdict, "inconsistent")
  expect_match(r$recomputed, "1 - 0.91 = 9%")
})

test_that("sourceless and misattributed claims keep their status", {
  expect_identical(row("S1-14")$verdict, "not found")   # "7 years longer"
  expect_identical(row("S2-10")$verdict, "not found")   # HR 1.42, no source
  expect_identical(row("S2-05")$verdict, "misattributed")
  expect_identical(row("S2-07")$verdict, "misattributed")
  expect_identical(row("S1-17")$verdict, "contradicted")
  # The unfound meta-analysis is internally consistent: the reason says so.
  expect_match(row("S2-01")$reason, "source not found")
  expect_false(is.na(row("S2-01")$p_implied_low))
})

test_that("quoted percentages are recomputed from ratios and trial arms", {
  # "80% reduction in hip fractures" from Peto OR 0.23: 77%, inside the
  # rounding of a round 80 ([75, 85)).
  expect_match(row("S1-20")$recomputed, "1 - 0.23 = 77%")
  # 5.8% lower SI beta: -0.67 / 11.4 lies in [-5.95, -5.81] with rounding,
  # which overlaps [-5.85, -5.75).
  lo <- 100 * (-0.675) / 11.35
  hi <- 100 * (-0.665) / 11.45
  expect_true(lo < -5.75 && hi >= -5.85)
  expect_identical(row("S1-02")$verdict, "consistent")
  expect_match(row("S1-02")$recomputed, "-5.88%")
})

test_that("Shiraki's chi-square p matches 4 df, not a 2 x 2 test", {
  expect_equal(pchisq(10.935, 4, lower.tail = FALSE), 0.0273, tolerance = 1e-3)
  r <- row("T-01")
  expect_identical(r$verdict, "cannot tell")
  expect_match(r$reason, "matches 4 df")
  expect_match(r$recomputed, "p = 0.00094")
})

test_that("bad input: missing columns, no CI, unit mismatch", {
  expect_error(k2_evidence(k2_claims[, c("id", "claim_quote")]),
               paste("missing columns: `measure`, `estimate`, `lower`,",
                     "`upper`, `p_reported`, `verified`"))
  expect_error(k2_evidence(k2_claims[, setdiff(names(k2_claims), "verified")]),
               "missing column: `verified`")
  expect_error(k2_evidence(list(a = 1)), "`claims` must be a data frame")
  one <- data.frame(id = c("a", "b"),
                    claim_quote = c("HR 0.80 per 10 mcg",
                                    "each 10 mg of K2 lowered risk by 9%"),
                    comparison = c(NA, "per 10 ug/d"),
                    measure = c("HR", "HR"), estimate = c("0.80", "0.91"),
                    lower = c(NA, "0.85"), upper = c(NA, "1.00"),
                    p_reported = NA, verified = "yes",
                    stringsAsFactors = FALSE)
  out <- k2_evidence(one)
  expect_identical(out$verdict[1], "cannot tell")
  expect_match(out$reason[1], "no confidence interval")
  expect_identical(out$verdict[2], "inconsistent")
  expect_match(out$reason[2], "unit mismatch: the claim speaks of milligrams")
  bad <- one
  bad$verified <- "maybe"
  expect_error(k2_evidence(bad), "`verified` must be one of")
  expect_error(k2_evidence(one, level = 2), "`level`")
})

test_that("numeric columns are accepted", {
  num <- data.frame(id = "x", claim_quote = "RR 0.43", measure = "RR",
                    estimate = 0.43, lower = 0.24, upper = 0.77,
                    p_reported = NA, verified = "yes")
  expect_identical(k2_evidence(num)$verdict, "consistent")
})

test_that("knit_print renders results as tables", {
  skip_if_not_installed("knitr")
  k <- knitr::knit_print(ev[1:3, ])
  expect_s3_class(k, "knit_asis")
  expect_match(k, "S0-01", fixed = TRUE)
  expect_match(knitr::knit_print(summary(ev)), "consistent", fixed = TRUE)
})

test_that("k2_fracture_pool re-pools the trials with and without flags", {
  fp <- k2_fracture_pool()
  hip <- fp[fp$outcome == "hip fracture", ]
  expect_identical(hip$trials, c("all", "excluding flagged"))
  expect_identical(hip$k, c(2L, 0L))
  # By hand: log RR and SE from each published CI, inverse-variance weights.
  est <- c(0.13, 0.13)
  lo <- c(0.031, 0.02)
  hi <- c(0.554, 0.97)
  se <- (log(hi) - log(lo)) / (2 * qnorm(0.975))
  w <- 1 / se^2
  mu <- sum(w * log(est)) / sum(w)
  se_mu <- sqrt(1 / sum(w))
  expect_equal(hip$estimate[1], exp(mu), tolerance = 1e-10)
  expect_equal(c(hip$lower[1], hip$upper[1]),
               exp(mu + c(-1, 1) * qnorm(0.975) * se_mu), tolerance = 1e-10)
  expect_true(all(is.na(hip[2, c("estimate", "lower", "upper")])))
  vert <- fp[fp$outcome == "new vertebral fractures", ]
  expect_identical(vert$method[1], "single trial")
  expect_equal(vert$estimate[1], 0.44, tolerance = 1e-12)
  expect_match(row("S1-20")$reason, "retracted or questioned")
  expect_error(k2_fracture_pool(k2_studies[, 1:3]), "missing columns")
})

test_that("knit_print renders the other result objects as tables", {
  skip_if_not_installed("knitr")
  fit <- pool(c(-0.2, -0.5, 0.1), sei = c(0.2, 0.3, 0.25), method = "FE")
  expect_match(knitr::knit_print(fit), "conf.low", fixed = TRUE)
  expect_match(knitr::knit_print(claim_check(0.43, 0.24, 0.77)),
               "consistent", fixed = TRUE)
  expect_match(knitr::knit_print(effect_ci(0.43, 0.24, 0.77)), "sei",
               fixed = TRUE)
})

test_that("knit_print renders intake, pharmacokinetic and curve results", {
  skip_if_not_installed("knitr")
  sim <- intake_simulate(data.frame(food = "natto", p_day = 1, portion_g = 10,
                                    content_ug_per_g = 10), n = 50, seed = 1)
  # A fixed 10 g x 10 ug/g every day: every percentile is 100.
  k <- knitr::knit_print(sim)
  expect_s3_class(k, "knit_asis")
  expect_match(k, "| 100", fixed = TRUE)
  pk <- dose_pk(100, interval = 24, half_life = 68, n_doses = 5)
  expect_match(knitr::knit_print(pk), "accumulation", fixed = TRUE)
  d <- c(0, 0, 5, 5, 10, 10, 25, 25, 50, 50, 100, 100)
  y <- c(0.1, -0.2, 1.9, 2.3, 3.4, 3.1, 5.2, 4.8, 6.1, 6.0, 6.9, 6.6)
  expect_match(knitr::knit_print(dose_curve(d, y, shape = "emax")),
               "estimate", fixed = TRUE)
})
