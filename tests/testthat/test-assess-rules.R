# claim_assess(): each rule of the verdict, case by case.

test_that("no source: untraceable, and consistent numbers never read as support", {
  a <- assess1(searched = "PubMed", measure = "HR", estimate = "1.42",
               lower = "1.18", upper = "1.71", claim_type = "association")
  expect_identical(a$verdict, "untraceable")
  expect_identical(a$fidelity, "source not found")
  expect_identical(a$arithmetic, "consistent")
  expect_match(a$reason, "as invented numbers can too")
  expect_no_match(a$reason, "in line with|consistent|symmetric")
  expect_match(a$source, "^none found; searched: PubMed")
  expect_true(is.na(a$certainty))
})

test_that("a cited source that was looked for and not found is untraceable", {
  a <- assess1(cited_id = "missing")
  expect_identical(a$verdict, "untraceable")
  expect_match(a$reason, "Ghost J. Nutrients 2023 was looked for")
  expect_match(a$source, "searched: the DOI and the journal")
})

test_that("a source_id missing from the sources table is untraceable, not an error", {
  a <- assess1(source_id = "no-such-row", source_reports = "yes")
  expect_identical(a$verdict, "untraceable")
  expect_identical(a$fidelity, "source not found")
})

test_that("another publication than the cited one: misattributed", {
  a <- assess1(source_id = "cohort", cited_id = "cohort-null",
               source_reports = "yes")
  expect_identical(a$verdict, "misattributed")
  expect_match(a$fidelity_detail, "the content is from Cohort B")
  b <- assess1(source_id = "rct", cited_id = "missing", source_reports = "yes")
  expect_identical(b$verdict, "misattributed")
  expect_match(b$reason, "could not be found")
})

test_that("the source says the contrary: contradicted", {
  a <- assess1(source_id = "rct", source_reports = "opposite",
               claim_type = "fact", source_says = "it raised risk")
  expect_identical(a$verdict, "contradicted")
  expect_identical(a$fidelity, "not in source")
  expect_match(a$reason, "reports the contrary: it raised risk")
})

test_that("numbers outside an uncited source's values: contradicted", {
  # Food 2000 gives 1000-1103 ug per 100 g, so an ounce (28.35 g) holds
  # 283.5 to 312.7 ug; 50-100 is below that.
  a <- assess1(source_id = "food", claim_type = "quantity",
               measure = "ug per oz", estimate = "50-100", basis_g = 28.35)
  expect_identical(a$verdict, "contradicted")
  expect_match(a$computation, "so 284 to 313 ug in 28.35 g; the article says 50-100")
  # The same numbers from a cited source are a misquote.
  b <- assess1(source_id = "food", cited_id = "food", claim_type = "quantity",
               measure = "ug per oz", estimate = "50-100", basis_g = 28.35)
  expect_identical(b$verdict, "misquoted")
  c <- assess1(source_id = "food", claim_type = "quantity",
               measure = "ug per oz", estimate = "300", basis_g = 28.35)
  expect_identical(c$verdict, "supported")
})

test_that("a compromised pool whose re-analysis finds nothing: contradicted", {
  a <- assess1(source_id = "pooled", cited_id = "pooled", source_reports = "yes",
               measure = "percent reduction", estimate = "60")
  expect_identical(a$verdict, "contradicted")
  expect_identical(a$status, "retracted")
  expect_match(a$reason, "Redo 2019.*OR 0.98 \\(0.85 to 1.14\\)")
  # Two levels for the retracted trial it pools, one for indirectness
  # is not applied (no `about`): high - 2 = low.
  expect_identical(a$certainty, "low")
  expect_match(a$certainty_reasons, "risk of bias \\(-2\\): retracted \\(Fraud 2005\\)")
  # An odds ratio quoted as a risk reduction is a change of measure.
  expect_identical(a$fidelity, "misquoted")
  expect_match(a$fidelity_detail, "reduction in odds")
})

test_that("resting on a retracted study without a re-analysis: unsupported", {
  a <- assess1(source_id = "retracted", source_reports = "yes")
  expect_identical(a$verdict, "unsupported")
  expect_match(a$reason, "retracted studies \\(Fraud 2005\\)")
  q <- assess1(source_id = "questioned", source_reports = "yes",
               claim_type = "association")
  expect_identical(q$status, "questioned")
  expect_match(q$certainty_reasons, "risk of bias \\(-1\\): questioned")
  expect_identical(q$certainty, "moderate")
})

test_that("source found, claim absent: unsupported ('not in source')", {
  a <- assess1(source_id = "rct", source_reports = "no",
               source_says = "tertiles only")
  expect_identical(a$fidelity, "not in source")
  expect_identical(a$verdict, "unsupported")
  expect_match(a$reason, "does not report this: tertiles only")
})

test_that("an effect claimed from an interval that crosses the null: unsupported", {
  a <- assess1(source_id = "cohort-null", source_reports = "partly")
  expect_identical(a$verdict, "unsupported")
  expect_match(a$reason, "no clear effect: HR 0.86 \\(0.73 to 1.01\\)")
  expect_match(a$certainty_reasons, "imprecision \\(-1\\)")
  expect_identical(a$certainty, "very low")
})

test_that("stated fields that differ: misquoted, naming each field", {
  a <- assess1(source_id = "cohort", claim_type = "quantity",
               source_reports = "yes", stated = "n=16000; follow_up=10; sex=both")
  expect_identical(a$verdict, "misquoted")
  # 16,000 is 16,057 rounded; 10 years is not a mean 8.1.
  expect_no_match(a$fidelity_detail, "^n:")
  expect_match(a$fidelity_detail, "follow-up: the article says 10, the source 8.1")
  expect_match(a$fidelity_detail, "sex: the article says both, the source women")
})

test_that("partly reported, or an effect on low certainty: overstated", {
  a <- assess1(source_id = "rats", source_reports = "partly",
               source_says = "in rats only")
  expect_identical(a$verdict, "overstated")
  expect_match(a$reason, "only in part: in rats only")
  # HR 0.91 (0.85-1.00): an observational estimate that reaches the null;
  # "9% fewer" follows from it (faithful), but causation is claimed.
  b <- assess1(source_id = "cohort", cited_id = "cohort", source_reports = "yes",
               measure = "percent reduction", estimate = "9")
  expect_identical(b$fidelity, "faithful")
  expect_identical(b$certainty, "very low")
  expect_identical(b$verdict, "overstated")
  # The same as an association is supported, at very low certainty.
  c <- assess1(source_id = "cohort", source_reports = "yes",
               claim_type = "association", measure = "percent reduction",
               estimate = "9")
  expect_identical(c$verdict, "supported")
  expect_match(c$reason, "very low-certainty evidence")
  # The source's own interval is asymmetric: reported, not held against
  # the article.
  expect_identical(c$arithmetic_source, "inconsistent")
  expect_identical(c$arithmetic, "not checkable")
})

test_that("faithful and well supported: supported", {
  a <- assess1(source_id = "rct", cited_id = "rct", source_reports = "yes",
               measure = "RR", estimate = "0.70", lower = "0.60", upper = "0.82")
  expect_identical(a$verdict, "supported")
  expect_identical(a$certainty, "high")
  expect_identical(a$arithmetic, "consistent")
  expect_identical(a$doi, "10.1000/trial.1")
  # A misprinted limit is a misquote.
  b <- assess1(source_id = "rct", cited_id = "rct", source_reports = "yes",
               measure = "RR", estimate = "0.70", lower = "0.50", upper = "0.82")
  expect_identical(b$verdict, "misquoted")
  expect_match(b$fidelity_detail, "lower")
})

test_that("a percent quoted from a ratio: rounding of both allowed for", {
  ok <- assess1(source_id = "rct", source_reports = "yes",
                measure = "percent reduction", estimate = "30")
  expect_identical(ok$fidelity, "faithful")       # 1 - 0.70 = 30%
  bad <- assess1(source_id = "rct", source_reports = "yes",
                 measure = "percent reduction", estimate = "45")
  expect_identical(bad$fidelity, "misquoted")
  expect_match(bad$fidelity_detail, "is a 30% change, not 45%")
})

test_that("a within-arm percent change from the arm mean and baseline", {
  # 100 * -0.67 / 11.4 = -5.88; over the rounding of both, -5.95 to -5.81.
  lo <- 100 * (-0.675) / 11.35
  hi <- 100 * (-0.665) / 11.45
  expect_true(lo < -5.75 && hi >= -5.85)
  a <- assess1(source_id = "arms", claim_type = "quantity",
               measure = "percent change (treated arm)", estimate = "-5.8")
  expect_identical(a$verdict, "supported")
  b <- assess1(source_id = "arms", claim_type = "quantity",
               measure = "percent change (treated arm)", estimate = "-7.0")
  expect_identical(b$verdict, "contradicted")
})

test_that("'most eat less than 30 ug a day' from a published distribution", {
  p_norm <- pnorm(30, 29.1, 12.8)
  s2 <- log(1 + (12.8 / 29.1)^2)
  p_lnorm <- plnorm(30, log(29.1) - s2 / 2, sqrt(s2))
  expect_gt(min(p_norm, p_lnorm), 0.5)
  a <- assess1(source_id = "intake", claim_type = "quantity",
               measure = "percent below 30 ug/d", estimate = ">50")
  expect_identical(a$fidelity, "faithful")
  expect_match(a$computation, sprintf("%.1f%% \\(normal\\), %.1f%% \\(lognormal\\)",
                                      100 * p_norm, 100 * p_lnorm))
  b <- assess1(source_id = "intake", claim_type = "quantity",
               measure = "percent below 20 ug/d", estimate = ">50")
  expect_identical(b$fidelity, "misquoted")
})

test_that("certainty: design, industry, indirectness, inconsistency; NA with a reason", {
  a <- assess1(source_id = "industry", source_reports = "yes",
               endpoint = "hard", about = "MK-4 45 mg")
  # RCT high; industry -1; surrogate for a hard claim -1; other form -1.
  expect_identical(a$certainty, "very low")
  expect_match(a$certainty_reasons, "funded by industry")
  expect_match(a$certainty_reasons, "surrogate outcome")
  expect_match(a$certainty_reasons, "the source studied MK-7")
  r <- assess1(source_id = "rats", source_reports = "yes")
  expect_identical(r$certainty, "very low")
  f <- assess1(source_id = "food", source_reports = "yes")
  expect_true(is.na(f$certainty))
  expect_match(f$certainty_reasons, "not rated: a food analysis")
  q <- assess1(source_id = "rct", source_reports = "yes", claim_type = "quantity")
  expect_true(is.na(q$certainty))
  expect_match(q$certainty_reasons, "not rated: the claim states a quantity")
})

test_that("inconsistency: a replication whose interval crosses the null", {
  s <- assess_sources()
  s$upper[s$source_id == "cohort"] <- "0.98"
  a <- as.data.frame(claim_assess(
    assess_claim(source_id = "cohort", source_reports = "yes",
                 claim_type = "association"), s))
  expect_match(a$certainty_reasons, "inconsistency \\(-1\\): not replicated by Again 2017")
  expect_identical(a$certainty, "very low")
})

test_that("source text not checked and nothing else decides: NA with the reason", {
  a <- assess1(source_id = "rct")
  expect_true(is.na(a$verdict))
  expect_true(is.na(a$fidelity))
  expect_match(a$reason, "could not be checked here; no verdict")
  # ... but a firm effect on very low certainty is overstated whatever the
  # source says.
  b <- assess1(source_id = "rats")
  expect_identical(b$verdict, "overstated")
})

test_that("absolute effects where the source gives a baseline risk", {
  a <- assess1(source_id = "cohort", source_reports = "yes",
               claim_type = "association")
  ab <- effect_absolute(0.91, 0.85, 1.00, measure = "HR", baseline = 0.03)
  expect_match(a$absolute, ab$nnt_text, fixed = TRUE)
  expect_match(a$absolute, sprintf("%.2f%% with", 100 * ab$risk), fixed = TRUE)
  p <- assess1(source_id = "pooled", source_reports = "yes")
  expect_true(is.na(p$absolute))
})

test_that("every verdict comes from the documented set; summary counts them", {
  s <- assess_sources()
  cl <- rbind(assess_claim("a", source_id = "rct", source_reports = "yes",
                           searched = NA),
              assess_claim("b", searched = "x"),
              assess_claim("c", source_id = "rct", searched = NA))
  a <- claim_assess(cl, s)
  expect_s3_class(a, "nev_assessment")
  sm <- summary(a)
  expect_identical(sm$table$claims[sm$table$verdict == "undecided"], 1L)
  expect_identical(sum(sm$table$claims), 3L)
  expect_identical(sm$undecided$id, "c")
  expect_output(print(a), "<assessment: 3 claims>")
  expect_output(print(sm), "Undecided")
  expect_true(all(a$verdict %in% c(NA, "supported", "overstated", "misquoted",
                                   "misattributed", "unsupported",
                                   "contradicted", "untraceable")))
})
