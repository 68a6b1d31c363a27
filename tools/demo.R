# make demo: check the seed articles' headline ratios with claim_check().
# The numbers are copied as printed (strings keep their trailing zeros, so
# the rounding of every digit is known) from the published sources the seed
# articles cite; p-values for trend are left out (they test something else).
suppressPackageStartupMessages(library(nutrievidence))
cat("nutrievidence", format(utils::packageVersion("nutrievidence")), "\n\n")

ratios <- data.frame(
  label = c("Rotterdam 2004: CHD mortality, top vs bottom tertile",
            "Rotterdam 2004: severe aortic calcification",
            "Rotterdam 2004: all-cause mortality",
            "Prospect-EPIC 2009: CHD per 10 ug/d",
            "EPIC-Heidelberg 2010: cancer incidence",
            "EPIC-Heidelberg 2010: cancer mortality",
            "Cockayne 2006: vertebral fractures",
            "Cockayne 2006: hip fractures",
            "Cockayne 2006: non-vertebral fractures",
            "Lees 2019: inactive VKDP and CVD/mortality",
            "Seed 002: inactive MGP and CV events (not found)",
            "Bruneck: dp-ucMGP and incident CVD"),
  measure = c("RR", "OR", "RR", "HR", "HR", "HR", "Peto OR", "Peto OR",
              "Peto OR", "HR", "HR", "HR"),
  estimate = c("0.43", "0.48", "0.74", "0.91", "0.86", "0.72", "0.40", "0.23",
               "0.19", "0.45", "1.42", "1.23"),
  lower = c("0.24", "0.32", "0.59", "0.85", "0.73", "0.53", "0.25", "0.12",
            "0.11", "0.07", "1.18", "1.02"),
  upper = c("0.77", "0.71", "0.92", "1.00", "1.01", "0.98", "0.65", "0.47",
            "0.35", "0.83", "1.71", "1.47"),
  p = c(NA, NA, NA, NA, NA, NA, NA, NA, NA, "0.02", NA, "0.029"),
  stringsAsFactors = FALSE
)
res <- claim_check(ratios)
shown <- data.frame(
  label = ratios$label,
  reported = paste0(ratios$measure, " ", ratios$estimate, " (",
                    ratios$lower, "-", ratios$upper, ")",
                    ifelse(is.na(ratios$p), "", paste0(", p = ", ratios$p))),
  verdict = res$verdict, reason = res$reason, stringsAsFactors = FALSE
)

# "34% reduction in arterial stiffness progression (95% CI: 25-43%, p<0.001)"
pct <- claim_check(claim_from_percent("34", "25", "43", p = "<0.001"))
shown <- rbind(shown, data.frame(
  label = "Seed 002: K2 meta-analysis, stiffness (not found)",
  reported = "34% reduction (25-43%), p<0.001 -> ratio 0.66 (0.57-0.75)",
  verdict = pct$verdict, reason = pct$reason))

# Lees 2019 vascular stiffness: a mean difference in %, linear scale
md <- claim_check("-9.1", "-17.7", "-0.5", p = "0.04", scale = "linear")
shown <- rbind(shown, data.frame(
  label = "Lees 2019: vascular stiffness (linear scale)",
  reported = "MD -9.1% (-17.7 to -0.5), p = 0.04",
  verdict = md$verdict, reason = md$reason))

cat("Seed claims checked with claim_check(): 95% CIs, log scale for ratios,",
    "allowing for\nthe rounding of every printed digit\n\n")
width <- max(60L, getOption("width", 80L))
for (i in seq_len(nrow(shown))) {
  cat(sprintf("%2d. %s\n    %s  ->  %s\n", i, shown$label[i],
              shown$reported[i], toupper(shown$verdict[i])))
  cat(paste(strwrap(shown$reason[i], width = width, indent = 4L,
                    exdent = 4L), collapse = "\n"), "\n", sep = "")
}
tally <- table(factor(shown$verdict,
                      levels = c("consistent", "inconsistent", "cannot tell")))
cat("\n", nrow(shown), " claims: ",
    paste(tally, names(tally), collapse = ", "), "\n", sep = "")
