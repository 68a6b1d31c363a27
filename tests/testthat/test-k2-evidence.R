# k2_evidence(): claim_assess() on the bundled vitamin K2 claims.

ev <- as.data.frame(k2_evidence())
row <- function(id) ev[ev$id == id, ]

test_that("every claim gets its verdict from the rules; at most 8 undecided", {
  expect_s3_class(k2_evidence(), c("nev_k2_evidence", "nev_assessment"))
  expect_identical(ev$id, k2_claims$id)
  expect_true(all(ev$verdict %in% c(NA, "supported", "overstated", "misquoted",
                                    "misattributed", "unsupported",
                                    "contradicted", "untraceable")))
  und <- ev[is.na(ev$verdict), ]
  expect_lte(nrow(und), 8L)
  expect_false(anyNA(und$reason))
  expect_false(anyNA(ev$reason))
  # No verdict is typed into the data.
  expect_false(any(grepl("verdict", c(names(k2_claims), names(k2_studies)))))
})

test_that("no claim resting on retracted or questioned trials is supported", {
  bad <- ev$status %in% c("retracted", "questioned", "expression of concern")
  expect_true(any(bad))
  expect_false(any(ev$verdict[bad] %in% "supported"))
  # The fracture claims: contradicted by the re-analyses without them, or
  # unsupported where no re-analysis was published.
  expect_identical(row("S1-19")$verdict, "contradicted")
  expect_identical(row("S1-20")$verdict, "contradicted")
  expect_identical(row("S1-21")$verdict, "unsupported")
  expect_match(row("S1-20")$reason, "Peto OR 0.30 \\(0.05 to 1.74\\)")
  expect_match(row("S1-19")$notice, "doi:10.1007/s40261-018-0643-3")
})

test_that("every row names its source, or none found and what was searched", {
  expect_false(anyNA(ev$source))
  none <- grepl("^none found", ev$source)
  expect_true(all(grepl("searched: ", ev$source[none])))
  expect_false(any(grepl("searched: not recorded", ev$source)))
  expect_true(all(ev$verdict[none] %in% "untraceable"))
})

test_that("fabricated-looking citations are untraceable, never supported", {
  for (id in c("S2-01", "S2-10")) {
    r <- row(id)
    expect_identical(r$verdict, "untraceable")
    expect_identical(r$arithmetic, "consistent")
    expect_match(r$reason, "as invented numbers can too")
  }
})

test_that("Gast 2009: faithful 9%, the asymmetry is the paper's, the errors elsewhere", {
  g <- row("S1-16")
  expect_identical(g$fidelity, "faithful")
  expect_identical(g$arithmetic_source, "inconsistent")
  expect_identical(g$verdict, "overstated")
  # Absolute effect over the crude risk 480 / 16057 (mean 8.1 years).
  a <- effect_absolute(0.91, 0.85, 1.00, measure = "HR",
                       baseline = 480 / 16057)
  expect_match(g$absolute, a$nnt_text, fixed = TRUE)
  p <- row("S1-15")
  expect_identical(p$verdict, "misquoted")
  expect_match(p$fidelity_detail, "follow-up: the article says 10, the source 8.1")
  expect_match(p$fidelity_detail, "sex: the article says both, the source women")
  expect_identical(row("S2-05")$verdict, "misattributed")
})

test_that("claims the package's data verify are decided", {
  for (id in c("S0-01", "S0-04", "S1-02", "S1-03", "S1-04", "S1-04b", "S1-05",
               "S1-06", "S2-04", "S1-29", "S1-33", "S2-16"))
    expect_identical(row(id)$verdict, "supported", label = id)
  expect_identical(row("S2-17")$verdict, "contradicted")  # gouda per ounce
  expect_identical(row("S2-18")$verdict, "overstated")    # < 30 ug a day
  expect_match(row("S2-18")$computation, "52.8% \\(normal\\), 61.1% \\(lognormal\\)")
})

test_that("claims added on re-reading the seeds are present and judged", {
  added <- c("S0-07", "S0-08", "S1-46", "S1-47", "S1-48", "S1-49", "S1-50",
             "S1-51", "S3-06")
  expect_true(all(added %in% ev$id))
  expect_identical(row("S1-50")$verdict, "contradicted")  # only fermented foods
  expect_identical(row("S1-47")$verdict, "unsupported")   # knee osteoarthritis
  expect_identical(row("S1-49")$verdict, "untraceable")   # monocytes
})

test_that("k2_evidence() takes any claims table of the schema", {
  one <- k2_claims[k2_claims$id == "S1-16", ]
  expect_identical(k2_evidence(one)$verdict, "overstated")
  expect_error(k2_evidence(k2_claims[, 1:3]), "missing schema columns")
})

test_that("knit_print renders assessments as tables", {
  skip_if_not_installed("knitr")
  k <- knitr::knit_print(k2_evidence()[1:3, ])
  expect_s3_class(k, "knit_asis")
  expect_match(k, "S0-01", fixed = TRUE)
  expect_match(knitr::knit_print(summary(k2_evidence())), "untraceable",
               fixed = TRUE)
})

test_that("k2_fracture_pool re-pools the trials with and without compromised ones", {
  fp <- k2_fracture_pool()
  hip <- fp[fp$outcome == "hip fracture", ]
  expect_identical(hip$trials, c("all", "excluding compromised"))
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
  expect_error(k2_fracture_pool(k2_studies[, 1:3]), "missing columns")
})
