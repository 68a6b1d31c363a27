# Runs test files with gctorture switched on inside every .Call entry point
# (the garbage collector runs at every allocation the C code makes), so that
# an object the C code did not PROTECT is collected and reused at once and
# shows up as a wrong result, an error or a crash. R code runs at normal
# speed, which makes the whole suite affordable. The child's stderr is
# scanned for "stack imbalance" (PROTECT/UNPROTECT mismatch) by the caller.
#   Rscript tests/fuzz/gctorture.R [FILTER] [MODE]
# Environment: GCTORTURE_EXCLUDE (regex of test names left out).
# MODE "call" (default): torture inside .Call only; "full": gctorture(TRUE)
# for the whole run (slow: use a narrow FILTER).
# Everything runs in local(): the tests see the global environment, which
# must stay empty.
local({
  a <- commandArgs(TRUE)
  filter <- if (length(a) && nzchar(a[1]) && a[1] != "all") a[1] else NULL
  # Files excluded from the default run (GCTORTURE_EXCLUDE, a regex; "" for
  # none): each takes minutes under torture because its C code allocates R
  # memory in long loops.
  exclude <- Sys.getenv("GCTORTURE_EXCLUDE", "^(dose-errors|pool-counts|diag-input|pool-global)$")
  if (nzchar(exclude)) {
    names <- sub("^test-(.*)\\.[rR]$", "\\1",
                 list.files("tests/testthat", "^test-.*\\.[rR]$"))
    sel <- if (is.null(filter)) rep(TRUE, length(names)) else grepl(filter, names)
    keep <- names[!grepl(exclude, names) & sel]
    cat("gctorture: excluded", paste(setdiff(names, keep), collapse = ", "), "\n")
    filter <- paste0("^(", paste(keep, collapse = "|"), ")$")
  }
  mode <- if (length(a) > 1L) a[2] else "call"
  source("tests/fuzz/wrap-call.R", local = TRUE)
  suppressPackageStartupMessages({ library(testthat); library(nutrievidence) })
  ncalls <- 0L
  torture <- function(.NAME, ...) {
    # arguments that are language objects (pool() passes its call) are
    # quoted: put into the call as they are, eval() would evaluate them
    args <- lapply(list(...), function(a)
      if (is.language(a)) call("quote", a) else a)
    cl <- as.call(c(list(quote(.Call), .NAME), args))
    ncalls <<- ncalls + 1L
    gctorture(TRUE)
    on.exit(gctorture(FALSE))
    eval(cl, baseenv())
  }
  if (mode == "call") {
    n <- nev_wrap_dotcall(torture)
    cat("gctorture: torture inside .Call in", n, "functions\n")
  } else {
    gctorture(TRUE)
  }
  r <- test_dir("tests/testthat", package = "nutrievidence", load_package = "installed",
                filter = filter, stop_on_failure = FALSE, reporter = "summary")
  gctorture(FALSE)
  d <- as.data.frame(r)
  failed <- sum(d$failed) + sum(d$error)
  cat(sprintf("gctorture: %d .Call invocations tortured\n", ncalls))
  cat(sprintf("%d passed, %d failed, %d skipped\n", sum(d$passed), failed, sum(d$skipped)))
  quit(status = if (failed > 0) 1L else 0L)
})
