#!/usr/bin/env bash
# Developer loop: install the working tree into a private library and run the
# tests (or one test file) against the installed package.
#   tools/dev-test.sh [LIBDIR] [FILTER]
#   LIBDIR defaults to ./lib (git-ignored); FILTER is a testthat filter
#   such as "pool" for tests/testthat/test-pool*.R.
set -euo pipefail
cd "$(dirname "$0")/.."
lib=${1:-lib}
filter=${2:-}
mkdir -p "$lib"
R CMD INSTALL --preclean --no-multiarch --library="$lib" . >"$lib/install.log" 2>&1 || {
  cat "$lib/install.log"; ./cleanup; exit 1; }
./cleanup
R_LIBS="$lib${R_LIBS:+:$R_LIBS}" NOT_CRAN=true Rscript -e '
  args <- commandArgs(TRUE)
  f <- if (length(args) && nzchar(args[1])) args[1] else NULL
  library(testthat); library(nutrievidence)
  r <- test_dir("tests/testthat", package = "nutrievidence",
                load_package = "installed", filter = f, stop_on_failure = FALSE)
  d <- as.data.frame(r)
  cat(sprintf("%d passed, %d failed, %d skipped\n", sum(d$passed),
              sum(d$failed) + sum(d$error), sum(d$skipped)))
' "$filter"
