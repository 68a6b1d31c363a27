# make lint, R part: lintr on R/ (configuration in .lintr) and codetools'
# usage checks (undefined globals and functions, wrong argument counts) on the
# package installed in LIB, which sees every file and the C_ symbols.
#   Rscript tools/lint.R LIB
lib <- commandArgs(TRUE)[1]
rc <- 0L
lints <- lintr::lint_package(".")
if (length(lints)) {
  print(lints)
  cat(sprintf("lintr: %d lint(s)\n", length(lints)))
  rc <- 1L
} else cat("lintr: no lints\n")

suppressPackageStartupMessages(library(nutrievidence, lib.loc = lib))
found <- character()
codetools::checkUsagePackage("nutrievidence", report = function(s) found <<- c(found, s),
                             suppressLocalUnused = TRUE, suppressParamAssigns = TRUE,
                             skipWith = TRUE, suppressNoLocalFun = TRUE)
found <- trimws(found)
if (length(found)) {
  cat(found, sep = "\n")
  cat(sprintf("codetools: %d problem(s)\n", length(found)))
  rc <- 1L
} else cat("codetools: no problems\n")
quit(status = rc)
