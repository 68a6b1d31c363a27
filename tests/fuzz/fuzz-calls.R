# Fuzz harness for every registered .Call entry point (make fuzz).
# Builds adversarial argument lists from the arguments the test suite passes
# to each entry point (recorded by record-calls.R) and from a pool of wrong
# types, lengths and values, then runs them in child R processes: each child
# must survive, and each call must return or signal an R error. A crash, a
# sanitizer report, a PROTECT stack imbalance or a hang (a case without huge
# values that runs longer than FUZZ_TIMEOUT seconds) fails the harness.
#   Rscript tests/fuzz/fuzz-calls.R CORPUS.rds OUTDIR
# Environment: FUZZ_TIMEOUT (default 20), FUZZ_TIMEOUT_HUGE (3),
# FUZZ_MAX_PER_ROUTINE (1500),
# FUZZ_ONLY (regex on routine names), FUZZ_SEED (1).
a <- commandArgs(TRUE)
corpus <- if (file.exists(a[1])) readRDS(a[1]) else list()
outdir <- a[2]
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)
source("tests/fuzz/cases.R")
timeout <- as.numeric(Sys.getenv("FUZZ_TIMEOUT", "20"))
# Cases with huge values may legitimately take long; they are cut short.
timeout_huge <- as.numeric(Sys.getenv("FUZZ_TIMEOUT_HUGE", "3"))
maxper <- as.integer(Sys.getenv("FUZZ_MAX_PER_ROUTINE", "1500"))
only <- Sys.getenv("FUZZ_ONLY", "")

suppressPackageStartupMessages(library(nutrievidence))
routines <- getDLLRegisteredRoutines("nutrievidence")$.Call
routines <- lapply(routines, function(r) list(name = r$name, numParameters = r$numParameters))
if (nzchar(only)) routines <- Filter(function(r) grepl(only, r$name), routines)
cat(sprintf("fuzz-calls: %d registered .Call entry points\n", length(routines)))
if (!length(routines)) {
  cat("fuzz-calls: nothing to fuzz\n"); quit(status = 0L)
}
set.seed(as.integer(Sys.getenv("FUZZ_SEED", "1")))
cases <- nev_fuzz_cases(routines, corpus, max_per_routine = maxper)
cf <- file.path(outdir, "cases.rds"); saveRDS(cases, cf)
cat(sprintf("fuzz-calls: %d cases (%d entry points with a recorded corpus)\n",
            length(cases), sum(names(corpus) %in% vapply(routines, `[[`, "", "name"))))

# The lines of a child's stderr that identify a problem: the sanitizer's
# ERROR and SUMMARY lines, the first stack frames, R's own messages.
nev_fuzz_brief <- function(lines) {
  lines <- lines[!grepl("^@@case", lines)]
  keep <- grepl("ERROR:|SUMMARY:|runtime error|stack imbalance|^ *#[0-3] |caught segfault|address|cause|Error|Warning", lines)
  if (!any(keep)) keep <- seq_along(lines) > length(lines) - 15L
  paste(utils::head(lines[keep], 20L), collapse = "\n")
}

progress <- file.path(outdir, "progress"); results <- file.path(outdir, "results.tsv")
unlink(results)
rscript <- file.path(R.home("bin"), "Rscript")
findings <- list()
start <- 1L; run <- 0L
t0 <- Sys.time()
while (start <= length(cases)) {
  run <- run + 1L
  errf <- file.path(outdir, sprintf("child-%03d.err", run))
  writeLines(as.character(start - 1L), progress)
  p <- processx::process$new(rscript, c("tests/fuzz/fuzz-child.R", cf, start, progress, results),
                             stdout = "|", stderr = errf, cleanup = TRUE)
  last <- -1L; since <- Sys.time(); killed <- FALSE
  while (p$is_alive()) {
    p$read_output()  # drain stdout
    Sys.sleep(0.1)
    cur <- suppressWarnings(as.integer(readLines(progress, warn = FALSE)[1]))
    if (!is.na(cur) && !identical(cur, last)) { last <- cur; since <- Sys.time() }
    # A child that has not reached its first case yet (progress still at
    # start - 1) is starting R: the normal limit, whatever the case before.
    lim <- if (!is.na(cur) && cur >= start && cur <= length(cases) &&
               cases[[cur]]$huge) timeout_huge else timeout
    if (as.numeric(difftime(Sys.time(), since, units = "secs")) > lim) {
      p$kill(); killed <- TRUE; break
    }
  }
  p$wait()
  status <- p$get_exit_status()
  cur <- suppressWarnings(as.integer(readLines(progress, warn = FALSE)[1]))
  err <- readLines(errf, warn = FALSE)
  # Attribute stack imbalance messages and sanitizer reports to cases.
  marks <- grep("^@@case ", err)
  bad <- grep("stack imbalance|runtime error:|ERROR: AddressSanitizer", err)
  for (b in bad) {
    m <- marks[marks < b]
    i <- if (length(m)) as.integer(sub("^@@case ", "", err[max(m)])) else NA_integer_
    nxt <- c(marks[marks > b], length(err) + 1L)[1L] - 1L
    findings[[length(findings) + 1L]] <- list(case = i, kind = "report",
      detail = nev_fuzz_brief(err[b:min(nxt, b + 40L)]))
  }
  if (killed) {
    # killed before its first case: that case is the one that hung
    if (is.na(cur) || cur < start) cur <- start
    cs <- cases[[cur]]
    findings[[length(findings) + 1L]] <- list(case = cur,
      kind = if (cs$huge) "slow (huge input, not a failure)" else "hang",
      detail = sprintf("no return after %g s", if (cs$huge) timeout_huge else timeout))
    start <- cur + 1L
  } else if (!identical(status, 0L) || is.na(cur)) {
    if (is.na(cur)) break
    tail_err <- err[max(1L, length(err) - 40L):length(err)]
    lim <- cases[[cur]]$huge &&
      any(grepl("rss_limit|malloc_limit|allocation-size-too-big|out of memory|cannot allocate", err))
    findings[[length(findings) + 1L]] <- list(case = cur,
      kind = if (lim) "resource limit (huge input, not a failure)" else
        sprintf("crash (exit status %s)", format(status)),
      detail = nev_fuzz_brief(err[(max(c(0L, marks)) + 1L):length(err)]))
    start <- cur + 1L
  } else {
    start <- length(cases) + 1L
  }
}
secs <- as.numeric(difftime(Sys.time(), t0, units = "secs"))

# Summary per entry point.
r <- if (file.exists(results)) utils::read.delim(results, header = FALSE, quote = "",
       col.names = c("case", "name", "outcome"), colClasses = "character") else
       data.frame(case = character(), name = character(), outcome = character())
r$kind <- ifelse(r$outcome == "ok", "returned", "R error")
tab <- table(factor(r$name, levels = vapply(routines, `[[`, "", "name")), r$kind)
print(tab)
# Known, reported issues (known-issues.tsv) are shown but do not fail.
known <- tryCatch(utils::read.delim("tests/fuzz/known-issues.tsv", header = FALSE,
                                    comment.char = "#", quote = "",
                                    col.names = c("routine", "pattern", "note"),
                                    colClasses = "character"),
                  error = function(e) data.frame(routine = character(), pattern = character(),
                                                 note = character()))
for (i in seq_along(findings)) {
  f <- findings[[i]]
  if (grepl("not a failure", f$kind)) next
  nm <- cases[[f$case]]$name
  hit <- which(vapply(seq_len(nrow(known)), function(j)
    grepl(known$routine[j], nm) && grepl(known$pattern[j], f$detail), TRUE))
  if (length(hit))
    findings[[i]]$kind <- paste0("KNOWN ", f$kind, " (", known$note[hit[1L]], "; not a failure)")
}
failing <- Filter(function(f) !grepl("not a failure", f$kind), findings)
# One entry per entry point, kind and sanitizer summary, with the first case.
key <- vapply(findings, function(f) {
  summ <- regmatches(f$detail, regexpr("SUMMARY:[^\n]*|stack imbalance[^\n]*", f$detail))
  paste(cases[[f$case]]$name, f$kind, if (length(summ)) summ else "")
}, "")
for (k in unique(key)) {
  idx <- which(key == k); f <- findings[[idx[1L]]]; cs <- cases[[f$case]]
  cat(sprintf("\n== %s in C_%s: %d case(s), first: case %d (%s)\n", f$kind, cs$name,
              length(idx), f$case, cs$what))
  cat("   arguments: ", paste(utils::capture.output(utils::str(nev_fuzz_resolve(cs$args,
      { set.seed(20261121); nev_fuzz_pool() }), max.level = 1L, vec.len = 3L,
      give.attr = FALSE)), collapse = "\n   "), "\n", sep = "")
  cat(f$detail, "\n")
  if (length(idx) > 1L)
    cat("   other cases:", paste(utils::head(vapply(findings[idx[-1L]], function(g)
      cases[[g$case]]$what, ""), 6L), collapse = " | "), "\n")
}
saveRDS(findings, file.path(outdir, "findings.rds"))
cat(sprintf("\nfuzz-calls: %d cases in %.0f s (%d child processes): %d returned, %d R errors, %d failures, %d known or slow\n",
            length(cases), secs, run, sum(r$kind == "returned"), sum(r$kind == "R error"),
            length(failing), length(findings) - length(failing)))
quit(status = if (length(failing)) 1L else 0L)
