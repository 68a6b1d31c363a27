# Child process of the fuzz harness: runs cases START..N from CASES.rds,
# writing the index of the case about to run to PROGRESS before each call and
# one outcome line per case to RESULTS. A crash kills only this process; the
# parent reads PROGRESS to know which case did it.
#   Rscript tests/fuzz/fuzz-child.R CASES.rds START PROGRESS RESULTS
a <- commandArgs(TRUE)
cases <- readRDS(a[1]); start <- as.integer(a[2]); progress <- a[3]
source("tests/fuzz/cases.R")
set.seed(20261121)
pool <- nev_fuzz_pool()
suppressPackageStartupMessages(library(nutrievidence))
ns <- asNamespace("nutrievidence")
# A message can quote an argument that is not valid UTF-8: its bytes above
# 0x7f are then written as <xx>, so that gsub() and substr() cannot fail.
printable <- function(x) {
  if (validUTF8(x)) x else iconv(x, "latin1", "ASCII", sub = "byte")
}
res <- file(a[4], open = "a")
n <- length(cases)
for (i in seq.int(start, length.out = max(0L, n - start + 1L))) {
  cs <- cases[[i]]
  writeLines(as.character(i), progress)
  cat("@@case ", i, "\n", sep = "", file = stderr())
  fun <- get(paste0("C_", cs$name), envir = ns)
  args <- nev_fuzz_resolve(cs$args, pool)
  out <- tryCatch(
    withCallingHandlers({
      v <- do.call(.Call, c(list(fun), args), quote = TRUE)
      # Touch the whole result: a malformed object fails here, not later.
      invisible(serialize(v, NULL))
      "ok"
    }, warning = function(w) invokeRestart("muffleWarning")),
    error = function(e) paste("error:", gsub("[\r\n\t]+", " ",
                                             printable(conditionMessage(e)))))
  writeLines(sprintf("%d\t%s\t%s", i, cs$name, substr(out, 1, 200)), res)
  flush(res)
  if (i %% 25L == 0L) invisible(gc(verbose = FALSE))
}
close(res)
writeLines("done", progress)
