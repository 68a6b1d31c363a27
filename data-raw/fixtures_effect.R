# Reference values for the effect_* tests, computed with metafor::escalc().
# Run from the repository root: Rscript data-raw/fixtures_effect.R
# Reads the published data sets from ../shared/reference/meta/ and writes
# tests/testthat/fixtures/effect_counts.rds and effect_means.rds, which hold
# both the inputs and escalc's outputs, so the tests need neither metafor nor
# the reference directory.
# Needs metafor >= 5.0 (escalc()'s `correct`, which corrects "ROM" by
# default); Debian's r-cran-metafor is older, so install it from CRAN into a
# scratch library and put that first in R_LIBS.
stopifnot(requireNamespace("metafor", quietly = TRUE),
          utils::packageVersion("metafor") >= "5.0")
ref <- file.path("..", "shared", "reference", "meta")
rd <- function(f) utils::read.csv(file.path(ref, f), stringsAsFactors = FALSE)

bcg <- rd("bcg.csv")
yusuf <- rd("yusuf1985.csv")
hine <- rd("hine1989.csv")
normand <- rd("normand1999.csv")

counts_data <- list(
  bcg = data.frame(ai = bcg$tpos, n1i = bcg$tpos + bcg$tneg,
                   ci = bcg$cpos, n2i = bcg$cpos + bcg$cneg),
  # 22 rows with zero and double-zero cells and one row of NAs
  yusuf1985 = yusuf[c("ai", "n1i", "ci", "n2i")],
  hine1989 = hine[c("ai", "n1i", "ci", "n2i")],
  # Constructed edge cases: a zero in one group, zeros in both groups, every
  # participant with the event in one group and in both groups, fractional
  # (effective) counts, a group of one.
  edge = data.frame(ai  = c(0, 0, 10, 10, 3.5, 1, 7, 2),
                    n1i = c(20, 15, 10, 10, 12.4, 1, 30, 9),
                    ci  = c(4, 0, 3, 8, 2.25, 0, 0, 9),
                    n2i = c(21, 17, 12, 8, 11.8, 5, 25, 9))
)

grid <- expand.grid(measure = c("RR", "OR", "RD"),
                    to = c("only0", "all", "if0all", "none"),
                    drop00 = c(FALSE, TRUE), add = c(0.5, 1, 0.1),
                    stringsAsFactors = FALSE)

counts_cases <- list()
for (ds in names(counts_data)) {
  d <- counts_data[[ds]]
  for (g in seq_len(nrow(grid))) {
    a <- grid[g, ]
    e <- suppressWarnings(metafor::escalc(
      a$measure, ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i,
      add = a$add, to = a$to, drop00 = a$drop00))
    counts_cases[[length(counts_cases) + 1L]] <- list(
      data = ds, measure = a$measure, add = a$add, to = a$to,
      drop00 = a$drop00, yi = as.numeric(e$yi), vi = as.numeric(e$vi))
  }
}

means_data <- list(
  normand1999 = normand[c("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i")],
  # Constructed: small groups (n1 + n2 = 4 is the smallest SMD escalc
  # computes), a zero SD in one group, unequal sizes, non-whole sizes.
  edge = data.frame(m1i = c(5.1, 12, 0.8, 101.5, 3),
                    sd1i = c(1.2, 0, 0.3, 15.2, 2.5),
                    n1i = c(2, 8, 150, 9, 20.5),
                    m2i = c(4.2, 10, 0.9, 88.1, 2.2),
                    sd2i = c(0.9, 2.1, 0.35, 20.3, 1.9),
                    n2i = c(2, 7, 12, 310, 19.5))
)
# Each measure with and without escalc()'s small-sample correction.
means_cases <- list()
for (ds in names(means_data)) {
  d <- means_data[[ds]]
  for (m in c("MD", "SMD", "ROM")) {
    for (corr in c(TRUE, FALSE)) {
      e <- metafor::escalc(m, m1i = d$m1i, sd1i = d$sd1i, n1i = d$n1i,
                           m2i = d$m2i, sd2i = d$sd2i, n2i = d$n2i,
                           correct = corr)
      means_cases[[length(means_cases) + 1L]] <- list(
        data = ds, measure = m, correct = corr, yi = as.numeric(e$yi),
        vi = as.numeric(e$vi))
    }
  }
}

meta <- list(metafor = as.character(utils::packageVersion("metafor")),
             r = R.version.string)
saveRDS(list(data = counts_data, cases = counts_cases, made_with = meta),
        "tests/testthat/fixtures/effect_counts.rds", version = 2)
saveRDS(list(data = means_data, cases = means_cases, made_with = meta),
        "tests/testthat/fixtures/effect_means.rds", version = 2)
cat(length(counts_cases), "count cases,", length(means_cases),
    "means cases written\n")
