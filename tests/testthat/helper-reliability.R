# Helpers for the reliability tests (threads, forks, interrupts).

# Many small groups for pool_batch(): n_groups groups of `size` studies.
batch_data <- function(n_groups, size = 5, seed = 1) {
  set.seed(seed)
  n <- n_groups * size
  v <- runif(n, 0.01, 0.1)
  data.frame(g = rep(seq_len(n_groups), each = size), v = v,
             y = rnorm(n, 0.2, sqrt(v + 0.02)))
}

# Evaluates `expr` in a forked child and returns its value, or fails the
# test when the child has not answered within `timeout` seconds (a hang
# after fork would otherwise stop the whole test run).
in_forked_child <- function(expr, timeout = 20) {
  job <- parallel::mcparallel(expr, silent = TRUE)
  res <- parallel::mccollect(job, wait = FALSE, timeout = timeout)
  if (is.null(res)) {
    tools::pskill(job$pid, tools::SIGKILL)
    parallel::mccollect(job, wait = TRUE)
    testthat::fail(paste("the forked child did not finish within", timeout,
                         "s"))
    return(NULL)
  }
  res[[1]]
}

# Runs R code in a child R process under a shell limit (`ulimit -v KB`);
# returns the exit status and output lines.
run_limited_r <- function(code, vmem_kb = 4000000) {
  # AddressSanitizer reserves terabytes of address space: a limit on it
  # (ulimit -v) makes every sanitized process fail to start.
  testthat::skip_if(grepl("asan", Sys.getenv("LD_PRELOAD")),
                    "address-space limits do not apply under ASan")
  rscript <- file.path(R.home("bin"), "Rscript")
  f <- tempfile(fileext = ".R")
  writeLines(code, f)
  on.exit(unlink(f))
  lib <- paste(.libPaths(), collapse = .Platform$path.sep)
  cmd <- sprintf("ulimit -v %d; R_LIBS=%s %s --vanilla %s 2>&1",
                 as.integer(vmem_kb), shQuote(lib), shQuote(rscript),
                 shQuote(f))
  out <- suppressWarnings(system2("sh", c("-c", shQuote(cmd)),
                                  stdout = TRUE))
  list(status = attr(out, "status") %||% 0L, output = out)
}

`%||%` <- function(a, b) if (is.null(a)) b else a

# TRUE when an error raised while evaluating `expr` came before the
# .Call() inside `fun` returned: `fun`'s frame does not yet hold `var`,
# the variable that .Call()'s result is assigned to. FALSE when R raised it
# after the C code had finished; NA when there was no error.
error_inside_call <- function(expr, fun, var) {
  inside <- NA
  tryCatch(withCallingHandlers(expr, error = function(e) {
    fr <- Filter(function(i) identical(sys.function(i), fun),
                 seq_len(sys.nframe()))
    inside <<- length(fr) > 0 &&
      !exists(var, envir = sys.frame(fr[1]), inherits = FALSE)
  }), error = function(e) NULL)
  inside
}
