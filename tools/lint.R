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
# ARCHITECTURE.md names every file of R/ and src/, and no file that is gone.
arch <- readLines("ARCHITECTURE.md", warn = FALSE)
named <- unique(unlist(regmatches(arch, gregexpr("`(R|src)/[^`]+`", arch))))
named <- gsub("`", "", named)
named <- named[grepl("\\.(R|c|h|in)$", named)]
named <- named[!grepl("<", named, fixed = TRUE)]  # patterns such as src/<family>.c
files <- c(file.path("R", list.files("R")),
           file.path("src", list.files("src", pattern = "\\.(c|h|in)$")))
missing_map <- setdiff(files, named)
gone <- named[!file.exists(named)]
if (length(missing_map) || length(gone)) {
  if (length(missing_map))
    cat("ARCHITECTURE.md does not name:", missing_map, sep = "\n  ")
  if (length(gone))
    cat("ARCHITECTURE.md names files that do not exist:", gone, sep = "\n  ")
  rc <- 1L
} else cat("ARCHITECTURE.md: every file of R/ and src/ is in the map\n")
quit(status = rc)
