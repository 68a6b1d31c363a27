# Build data/k2_scan.rda: every statistic claim_scan() finds in the four
# seed articles, with the sentence around it (not the articles' text) and
# the k2_claims row it matches. Also prints recall and precision against
# the labelled seed statistics (tests/testthat/fixtures/scan-seeds.csv).
#
# Run from the package root, with the package installed, giving the
# directory that holds the seed articles:
#   Rscript data-raw/k2_scan.R path/to/seeds
suppressPackageStartupMessages(library(nutrievidence))
dir <- commandArgs(TRUE)[1]
stopifnot(!is.na(dir), dir.exists(dir))
files <- sort(list.files(dir, pattern = "\\.txt$", full.names = TRUE))
res <- claim_scan(files)

# Recall and precision against the statistics a careful reader extracts.
lab <- utils::read.csv("tests/testthat/fixtures/scan-seeds.csv",
                       colClasses = "character", na.strings = character(0))
key <- function(d, e, l, u) paste(d, e, ifelse(is.na(l), "", l),
                                  ifelse(is.na(u), "", u))
kf <- key(res$doc, res$estimate_printed, res$lower_printed, res$upper_printed)
kl <- key(lab$seed_file, lab$estimate, lab$lower, lab$upper)
cat(sprintf("seeds: %d labelled, %d found; recall %.3f, precision %.3f\n",
            length(kl), length(kf), mean(kl %in% kf), mean(kf %in% kl)))
cat(sprintf("malformed statistics skipped: %d\n", sum(attr(res, "malformed"))))

# The sentence around each statistic: from the end of the previous
# sentence (". ", "? ", "! " or a line break) to the end of its own.
sentence <- function(txt, start, end) {
  before <- substr(txt, 1L, start - 1L)
  b <- gregexpr("([.!?][[:space:]]|\n)", before)[[1]]
  from <- if (b[1] > 0) max(b) + 1L else 1L
  after <- substr(txt, end + 1L, nchar(txt))
  a <- regexpr("([.!?]([[:space:]]|$)|\n)", after)
  to <- if (a > 0) end + a else nchar(txt)
  trimws(substr(txt, from, to))
}
texts <- vapply(files, function(f) {
  paste(readLines(f, encoding = "UTF-8", warn = FALSE), collapse = "\n")
}, "")
names(texts) <- basename(files)
sent <- mapply(function(d, s, e) sentence(texts[[d]], s, e), res$doc,
               res$start, res$end, USE.NAMES = FALSE)

# The k2_claims row of the same seed that quotes the statistic, or failing
# that has the same numbers (a percent change is stored there on the ratio
# scale).
squash <- function(x) gsub("[[:space:]]+", " ", x)
num <- function(x) suppressWarnings(as.numeric(x))
same <- function(a, b) !is.na(a) & !is.na(b) & abs(a - b) < 1e-9
match_claim <- function(i) {
  k <- k2_claims[k2_claims$seed_file == res$doc[i], ]
  hit <- grepl(squash(res$text[i]), squash(k$claim_quote), fixed = TRUE)
  if (!any(hit))
    hit <- same(num(k$estimate), num(res$estimate[i])) &
      same(num(k$lower), num(res$lower[i])) &
      same(num(k$upper), num(res$upper[i]))
  if (any(hit)) k$id[which(hit)[1]] else NA_character_
}
k2_scan <- data.frame(
  seed_file = res$doc, text = res$text, sentence = sent,
  measure = res$measure, estimate_printed = res$estimate_printed,
  lower_printed = res$lower_printed, upper_printed = res$upper_printed,
  comparator_printed = res$comparator_printed, p_printed = res$p_printed,
  k2_claims_id = vapply(seq_len(nrow(res)), match_claim, ""),
  stringsAsFactors = FALSE)
stopifnot(all(vapply(seq_len(nrow(k2_scan)), function(i) {
  grepl(k2_scan$text[i], k2_scan$sentence[i], fixed = TRUE)
}, TRUE)))
print(k2_scan[, c("seed_file", "text", "k2_claims_id")], right = FALSE)
save(k2_scan, file = "data/k2_scan.rda", compress = "xz", version = 2)
