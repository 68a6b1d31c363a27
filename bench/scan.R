# Benchmark of claim_scan() against statcheck on the same texts. statcheck
# finds APA test statistics ("t(28) = 2.20, p = .036"), not ratios with CIs,
# so the two find different things; it is the peer for throughput. The
# texts are abstract-length (about 1,500 characters) mixtures of the
# labelled passages of the tests and APA-style sentences. Run from the
# repository root after installing the package:
#   Rscript bench/scan.R            # 10^4 texts (short run)
#   NEV_BENCH_N=1e5 Rscript bench/scan.R
suppressPackageStartupMessages(library(nutrievidence))
have_statcheck <- requireNamespace("statcheck", quietly = TRUE)
n <- as.numeric(Sys.getenv("NEV_BENCH_N", "1e4"))
n_peer <- min(n, as.numeric(Sys.getenv("NEV_BENCH_N_PEER", "500")))
set.seed(7)

lines <- readLines("tests/testthat/fixtures/scan-passages.txt", encoding = "UTF-8")
lines <- lines[!grepl("^#", lines) & nzchar(lines)]
sentences <- unlist(strsplit(paste(lines, collapse = " "), "(?<=[.]) ", perl = TRUE))
apa <- c("Participants in the treatment group scored higher, t(28) = 2.20, p = .036.",
         "The effect of condition was significant, F(2, 57) = 4.12, p = .021.",
         "Scores were correlated, r(48) = .31, p = .03.",
         "The distribution differed, chi2(1, N = 120) = 5.40, p = .020.")
# Sentences with and without a statistic; an abstract gets about one in
# five sentences with one and one APA sentence in ten. The sentences with
# a statistic often carry several (labelled passages are dense), so a text
# holds about seven: more than most abstracts, which makes the per-statistic
# work (the check of each) weigh more than in real corpora.
has_stat <- grepl("CI|KI|IC|interval|vs|%", sentences)
with_stat <- sentences[has_stat]
plain <- sentences[!has_stat]
make_text <- function() {
  out <- character()
  while (sum(nchar(out)) < 1500) {
    u <- stats::runif(1)
    out <- c(out, if (u < 0.1) sample(apa, 1) else
      if (u < 0.3) sample(with_stat, 1) else sample(plain, 1))
  }
  paste(out, collapse = " ")
}
texts <- vapply(seq_len(n), function(i) make_text(), "")
mb <- sum(nchar(texts, type = "bytes")) / 1e6

# CPU seconds (user + system) of the R process: MB per CPU second is the
# rate per core, whatever else the machine is running; elapsed time too.
# Each repetition starts after a full garbage collection, so the strings of
# the previous repetition's result are gone from R's string cache and
# every call makes its own (as on a new corpus); the median is reported.
time_it <- function(f, reps = 5) {
  t <- vapply(seq_len(reps), function(i) {
    gc(verbose = FALSE)
    s <- system.time(f())
    c(s[["user.self"]] + s[["sys.self"]], s[["elapsed"]])
  }, c(0, 0))
  t[, order(t[1, ])[ceiling(reps / 2)]]
}
t_core <- time_it(function() .Call(nutrievidence:::C_scan_text, texts, FALSE, 60L))
t_full <- time_it(function() claim_scan(texts))
# claim_scan()'s verbatim columns (text, context, label, *_printed) are made
# strings when read: the same call with every column read once
t_read <- time_it(function() {
  r <- claim_scan(texts)
  for (j in names(r)) r[[j]][length(r[[j]]):1]
  r
})
found <- claim_scan(texts)
big <- paste(texts, collapse = "\n")
bare <- gsub("[0-9]", "x", texts)   # the same bytes with no statistic to build
t_bare <- time_it(function() .Call(nutrievidence:::C_scan_text, bare, FALSE, 60L))
t_big <- time_it(function() .Call(nutrievidence:::C_scan_text, big, FALSE, 60L))

rows <- data.frame(
  what = c("scanner (C core via .Call), 1 thread",
           "scanner on one concatenated text",
           "scanner, digits masked (no results to build)",
           "claim_scan(): every statistic found and checked",
           "claim_scan(), then every column read"),
  texts = c(n, 1, n, n, n), MB = mb,
  cpu_s = c(t_core[1], t_big[1], t_bare[1], t_full[1], t_read[1]),
  elapsed_s = c(t_core[2], t_big[2], t_bare[2], t_full[2], t_read[2]))
if (have_statcheck) {
  sub <- texts[seq_len(n_peer)]
  t_peer <- time_it(function() {
    suppressWarnings(suppressMessages(statcheck::statcheck(sub, messages = FALSE)))
  }, reps = 1)
  peer <- suppressWarnings(suppressMessages(statcheck::statcheck(sub, messages = FALSE)))
  rows <- rbind(rows, data.frame(what = "statcheck::statcheck()", texts = n_peer,
                                 MB = sum(nchar(sub, type = "bytes")) / 1e6,
                                 cpu_s = t_peer[1], elapsed_s = t_peer[2]))
}
rows$MB_per_cpu_s <- rows$MB / rows$cpu_s
rows$texts_per_cpu_s <- rows$texts / rows$cpu_s
print(rows, digits = 3, row.names = FALSE)
cat(sprintf("\n%d texts of %.0f characters on average, %.1f MB; %d statistics found by claim_scan() (%.1f per text)\n",
            n, mean(nchar(texts)), mb, nrow(found), nrow(found) / n))
cat(sprintf("10^5 texts at these rates (CPU seconds): scanner %.2f s; claim_scan() %.2f s (%.2f s with every column read)\n",
            1e5 * t_core[1] / n, 1e5 * t_full[1] / n, 1e5 * t_read[1] / n))
if (have_statcheck) {
  cat(sprintf("statcheck found %d APA statistics in %d texts\n",
              if (is.null(peer)) 0L else nrow(peer), n_peer))
  pk <- nrow(rows)
  cat(sprintf("ratio, MB/s of the scanner over statcheck's: %.0fx; claim_scan() over statcheck: %.0fx (%.0fx with every column read)\n",
              rows$MB_per_cpu_s[1] / rows$MB_per_cpu_s[pk],
              rows$MB_per_cpu_s[4] / rows$MB_per_cpu_s[pk],
              rows$MB_per_cpu_s[5] / rows$MB_per_cpu_s[pk]))
}
