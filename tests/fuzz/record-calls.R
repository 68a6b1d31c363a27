# Records, for every registered .Call entry point, a few argument lists that
# the test suite and the examples pass to it: the valid starting points the
# fuzz harness mutates. Usage (from the package root, package installed in R_LIBS):
#   Rscript tests/fuzz/record-calls.R OUT.rds [PER_ROUTINE]
# Everything runs in local(): the tests see the global environment, which
# must stay empty.
local({
  args <- commandArgs(TRUE)
  out <- args[1]
  per <- if (length(args) > 1L) as.integer(args[2]) else 4L
  source("tests/fuzz/wrap-call.R", local = TRUE)
  suppressPackageStartupMessages({ library(testthat); library(nutrievidence) })

  corpus <- new.env()
  sig <- function(a) paste(vapply(a, function(x)
    paste(typeof(x), length(x), paste(dim(x), collapse = "x")), ""), collapse = "|")
  recorder <- function(.NAME, ...) {
    a <- list(...)
    nm <- .NAME$name
    have <- corpus[[nm]] %||% list()
    sz <- as.numeric(utils::object.size(a))
    s <- sig(a)
    if (length(have) < per && sz < 2e5 &&
        !any(vapply(have, function(h) identical(h$sig, s), TRUE)))
      corpus[[nm]] <- c(have, list(list(sig = s, args = a)))
    .Call(.NAME, ...)
  }
  `%||%` <- function(x, y) if (is.null(x)) y else x
  environment(recorder) <- environment()
  n <- nev_wrap_dotcall(recorder)
  cat("record-calls: wrapped .Call in", n, "functions\n")
  r <- test_dir("tests/testthat", package = "nutrievidence", load_package = "installed",
                stop_on_failure = FALSE, reporter = "silent")
  # The examples reach entry points the tests may not (yet) call.
  grDevices::pdf(NULL)
  db <- tools::Rd_db("nutrievidence")
  for (topic in sub("\\.Rd$", "", names(db)))
    try(suppressWarnings(suppressMessages(utils::capture.output(
      utils::example(topic, package = "nutrievidence", character.only = TRUE,
                     ask = FALSE, echo = FALSE)))), silent = TRUE)
  invisible(grDevices::dev.off())
  res <- lapply(as.list(corpus), function(x) lapply(x, `[[`, "args"))
  saveRDS(res, out)
  cat("record-calls: corpus for", length(res), "entry points (",
      sum(lengths(res)), "argument lists )\n")
})
