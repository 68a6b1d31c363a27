# Each format the scanner reads, and each kind of range it must not take
# for a confidence interval.

scan1 <- function(x) claim_scan(x)

expect_stat <- function(x, est, lo, hi, measure = NULL, p = NULL,
                        level = 0.95) {
  r <- scan1(x)
  expect_equal(nrow(r), 1L, info = x)
  if (nrow(r) != 1L) return(invisible())
  got <- c(r$estimate_printed, r$lower_printed, r$upper_printed)
  expect_equal(nev_num_printed(got), c(est, lo, hi), info = x)
  if (!is.null(measure)) expect_equal(r$measure, measure, info = x)
  if (!is.null(p)) expect_equal(r$p_printed, p, info = x)
  expect_equal(r$level, level, info = x)
}

# Printed numbers to values the way a reader reads them.
nev_num_printed <- function(s) {
  s <- gsub("\u00b7", ".", s)
  s <- gsub(",", ".", s)
  s <- gsub("\u2212", "-", s)
  as.numeric(sub("^(-?)\\.", "\\10.", s))
}

expect_none <- function(x) {
  r <- scan1(x)
  expect_equal(nrow(r), 0L, info = paste(x, "->", paste(r$text, collapse = " | ")))
}

test_that("the formats of the issue are read", {
  expect_stat("The adjusted HR 0.91 (0.85\u20131.00) per 10 \u00b5g.", 0.91, 0.85, 1, "HR")
  expect_stat("The hazard ratio was 0.91 (95% CI 0.85 to 1.00).", 0.91, 0.85, 1, "HR")
  expect_stat("The HR was 0.91, 95% CI: 0.85-1.00.", 0.91, 0.85, 1, "HR")
  expect_stat("Pooled OR 1.10 [0.95; 1.27] overall.", 1.10, 0.95, 1.27, "OR")
  expect_stat("RR = 0.43; 95% CI, 0.24-0.77; P = .004", 0.43, 0.24, 0.77, "RR", "P = .004")
  expect_stat("OR=1.10, 95%CI 0.95-1.27, p=0.03", 1.10, 0.95, 1.27, "OR", "p=0.03")
  expect_stat("relative risk 0.71 (95 percent confidence interval 0.63 to 0.80)",
              0.71, 0.63, 0.80, "RR")
  expect_stat("OR 1.17 (90% CI 1.02-1.34)", 1.17, 1.02, 1.34, "OR", level = 0.9)
  expect_stat("HR 1.17 (99% CI 1.004-1.36), P=.008", 1.17, 1.004, 1.36, "HR", "P=.008",
              level = 0.99)
  expect_stat("HR 0.91 (0.85\u20141.00)", 0.91, 0.85, 1)            # em dash
  expect_stat("HR 0.91 (0.85\u20101.00)", 0.91, 0.85, 1)            # U+2010
  expect_stat("MD \u22120.82 (\u22121.52 to \u22120.12)", -0.82, -1.52, -0.12,
              "mean difference")
  expect_stat("RR 1,10 (0,95\u20131,27)", 1.10, 0.95, 1.27, "RR")
  expect_stat("le risque relatif \u00e9tait de 1,10 (IC 95 % : 0,95\u20131,27)",
              1.10, 0.95, 1.27, "RR")
  expect_stat("das relative Risiko betrug 0,43 (95%-KI 0,24\u20130,77)", 0.43, 0.24, 0.77, "RR")
  expect_stat("la raz\u00f3n de momios fue 0,48 (IC del 95%: 0,32 a 0,71)",
              0.48, 0.32, 0.71, "OR")
  expect_stat("a raz\u00e3o de chances foi 0,48 (IC 95% 0,32-0,71)", 0.48, 0.32, 0.71, "OR")
  expect_stat("HR 0\u00b791 (95% CI 0\u00b785\u20131\u00b700)", 0.91, 0.85, 1, "HR")
  expect_stat("HR .86 (.73-1.01)", 0.86, 0.73, 1.01, "HR")
  expect_stat("HR 0.86 (95% Cl 0.73-1.01)", 0.86, 0.73, 1.01, "HR")
  expect_stat("higher riskHR0.91(95%CI0.85-1.00)in women", 0.91, 0.85, 1, "HR")
  expect_stat("the hazard ratio was 0.91 (95% CI 0.85\u2013\n1.00) in women", 0.91, 0.85, 1, "HR")
  expect_stat("the OR was 2.10 (1.50-2.94; p<.001)", 2.10, 1.50, 2.94, "OR", "p<.001")
  expect_stat("RR 1.20 (1.10-1.31), P < 0.001", 1.20, 1.10, 1.31, "RR", "P < 0.001")
  expect_stat("(RR, 0.83; 95% CI, 0.74-0.94; P = .004)", 0.83, 0.74, 0.94, "RR", "P = .004")
  expect_stat("(hazard ratio, 0.69; 95% confidence interval [CI], 0.53 to 0.91)",
              0.69, 0.53, 0.91, "HR")
  expect_stat("IRR 1.32 (95% CI 1.10 to 1.58)", 1.32, 1.10, 1.58, "IRR")
  expect_stat("les AVC (RR = 0,86 ; IC95 % [0,77 ; 0,96])", 0.86, 0.77, 0.96, "RR")
  expect_stat("OR 1.50 (95% CI 1.25-1.80), P = 1.2 \u00d7 10-5", 1.50, 1.25, 1.80, "OR",
              "P = 1.2 \u00d7 10-5")
})

test_that("a percent change is read with its direction and checked on the ratio scale", {
  r <- scan1("a 34% reduction in arterial stiffness progression (95% CI: 25-43%, p<0.001)")
  expect_equal(r$measure, "percent change")
  expect_equal(c(r$estimate, r$lower, r$upper), c("0.66", "0.57", "0.75"))
  expect_equal(r$scale, "log")
  ref <- claim_check(claim_from_percent("34", "25", "43", p = "<0.001"))
  expect_equal(r$p_implied_low, ref$p_implied_low)
  expect_equal(r$verdict, ref$verdict)
  up <- scan1("a 42% higher risk (95% CI 18% to 71%)")
  expect_equal(c(up$estimate, up$lower, up$upper), c("1.42", "1.18", "1.71"))
  expect_equal(scan1("13% (6% to 21%) higher after adjustment")$measure,
               "percent change")
})

test_that("table rows under a header are read, with the P column", {
  tab <- paste("Outcome\tOR\t95% CI\tP",
               "Vertebral fracture\t0.40\t0.25\u20130.65\t<0.001",
               "Hip fracture\t0.23\t0.12\u20130.47\t0.002", sep = "\n")
  r <- scan1(tab)
  expect_equal(nrow(r), 2L)
  expect_equal(r$measure, c("OR", "OR"))
  expect_equal(r$p_printed, c("<0.001", "0.002"))
  tab2 <- paste("Outcome\tHR (95% CI)", "Death\t0.74 (0.59\u20130.92)", sep = "\n")
  expect_equal(scan1(tab2)$measure, "HR")
})

test_that("a comparison of two values with a p is found but cannot be checked", {
  r <- scan1("less height loss (0.7 mm vs 1.3 mm in placebo, p=0.02)")
  expect_equal(r$comparator_printed, "1.3")
  expect_equal(r$verdict, "cannot tell")
  expect_equal(r$measure, "other")
})

test_that("ranges that are not confidence intervals are not taken", {
  expect_none("Participants aged 25-43 years were enrolled.")
  expect_none("They were recruited in 1990-1993 and followed to 2000.")
  expect_none("Doses of 100-200 mcg of MK-7 were given daily.")
  expect_none("During a 10-year follow-up, 120 deaths occurred.")
  expect_none("Median intake was 42.4 (31.0\u201358.3) \u00b5g/d.")
  expect_none("The hazard ratio was reported; median intake was 42.4 (31.0\u201358.3).")
  expect_none("Median intake 42.4 (IQR 31.0-58.3) in the top quartile.")
  expect_none("Of 4,807 participants (n = 4,807; 2,400 women), 16,000 were followed.")
  expect_none("P for trend = 0.03. P-trend 0.11. p for interaction 0.04.")
  expect_none("Mean age 61.2 (55.0\u201367.4) years, BMI 26.1 \u00b1 3.9 kg/m2.")
  expect_none("J Nutr 2004;134(11):3100-3105; Science 2012 Jun 8;336(6086):1306-10.")
  expect_none("The hazard ratio rose in 2010 (2008-2012).")
})

test_that("a p for trend is not taken as the statistic's p", {
  r <- scan1("HR 0.80 (0.65-0.98; p for trend = 0.03)")
  expect_equal(nrow(r), 1L)
  expect_true(is.na(r$p_printed))
})

test_that("positions, verbatim text and context point into the text", {
  x <- "K\u00e4se: HR 0.91 (0.85\u20131.00) und mehr."
  r <- scan1(x)
  expect_equal(substr(x, r$start, r$end), r$text)
  expect_equal(r$text, "HR 0.91 (0.85\u20131.00)")
  expect_true(grepl(r$text, r$context, fixed = TRUE))
  expect_equal(r$label, "HR")
  out <- capture.output(print(r))
  expect_true(any(grepl("arithmetic", out)))
})
