# gctorture on a few calls per entry point: each argument list of a recorded
# corpus (tests/fuzz/record-calls.R: up to four per entry point, the shapes
# the tests and examples pass) is run once normally and once with
# gctorture(TRUE), and the two results must be identical (same value, or
# the same error message). A collected object the glue forgot to PROTECT
# shows up as a different result, an error or a crash; a stack imbalance is
# printed by R and found by the caller in the log. This finishes in minutes,
# where the test files under torture take hours.
#   Rscript tests/fuzz/gctorture-calls.R CORPUS.rds [PER_ROUTINE]
# Environment: GCTORTURE_ONLY (regex on entry point names).
local({
  a <- commandArgs(TRUE)
  corpus <- readRDS(a[1])
  per <- if (length(a) > 1L) as.integer(a[2]) else 2L
  only <- Sys.getenv("GCTORTURE_ONLY", "")
  suppressPackageStartupMessages(library(nutrievidence))
  ns <- asNamespace("nutrievidence")
  routines <- names(getDLLRegisteredRoutines("nutrievidence")$.Call)
  if (nzchar(only)) routines <- grep(only, routines, value = TRUE)
  run <- function(sym, args, torture) {
    if (torture) {
      gctorture(TRUE)
      on.exit(gctorture(FALSE))
    }
    # the same random numbers for both runs
    set.seed(1)
    tryCatch(do.call(.Call, c(list(sym), args), quote = TRUE),
             error = function(e) structure(conditionMessage(e),
                                           class = "call_error"))
  }
  bad <- character(0)
  n <- 0L
  for (r in routines) {
    sym <- get(paste0("C_", r), envir = ns)
    cases <- utils::head(corpus[[r]], per)
    if (!length(cases)) {
      cat(sprintf("%-22s no recorded call\n", r))
      next
    }
    t0 <- proc.time()[["elapsed"]]
    same <- vapply(cases, function(args) {
      identical(run(sym, args, FALSE), run(sym, args, TRUE))
    }, TRUE)
    n <- n + length(cases)
    cat(sprintf("%-22s %d calls, %s (%.1f s)\n", r, length(cases),
                if (all(same)) "identical" else "DIFFERENT",
                proc.time()[["elapsed"]] - t0))
    if (!all(same)) bad <- c(bad, r)
  }
  cat(sprintf("gctorture-calls: %d calls of %d entry points tortured, %d differ\n",
              n, length(routines), length(bad)))
  quit(status = if (length(bad)) 1L else 0L)
})
