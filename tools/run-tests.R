# Runs the installed package's testthat suite (or the files matching a
# filter) and exits non-zero on any failure. Used by the memory, gctorture and
# fuzz targets so that every tool runs the same tests the same way.
#   Rscript tools/run-tests.R [FILTER]
# FILTER is a regular expression on test file names ("" or "all": every file).
# Everything runs in local(): the tests see the global environment, which
# must stay empty.
local({
  args <- commandArgs(TRUE)
  filter <- if (length(args) && nzchar(args[1]) && args[1] != "all") args[1] else NULL
  suppressPackageStartupMessages({
    library(testthat)
    library(nutrievidence)
  })
  r <- test_dir("tests/testthat", package = "nutrievidence",
                load_package = "installed", filter = filter,
                stop_on_failure = FALSE, reporter = "summary")
  d <- as.data.frame(r)
  failed <- sum(d$failed) + sum(d$error)
  cat(sprintf("%d passed, %d failed, %d skipped\n", sum(d$passed), failed,
              sum(d$skipped)))
  quit(status = if (failed > 0) 1L else 0L)
})
