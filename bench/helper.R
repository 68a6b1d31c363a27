# Shared pieces of the benchmarks against metafor (bench/gosh.R,
# bench/permutation.R): the simulated meta-analysis, metafor's tight
# control, CPU timing and the header line. Sourced from the package root.
suppressPackageStartupMessages({
  library(nutrievidence)
  library(metafor)
})

# metafor's settings for the comparisons: tight enough that its estimates
# are the reference to 1e-12
bench_ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 1000)

# k studies with sampling variances in [0.01, 0.2] and tau^2 = 0.05; the
# seed is set here, so draws made after the call continue the same stream.
bench_studies <- function(k, seed = 2026) {
  set.seed(seed)
  vi <- runif(k, 0.01, 0.2)
  list(vi = vi, yi = rnorm(k, 0.2, sqrt(vi + 0.05)))
}

# Evaluate `expr` in the caller; its value, CPU seconds of this R process
# (user + system: other processes on the machine do not enter the ratio)
# and elapsed seconds.
timed <- function(expr) {
  t <- proc.time()
  v <- eval.parent(substitute(expr))
  d <- proc.time() - t
  list(value = v, cpu = d[["user.self"]] + d[["sys.self"]],
       elapsed = d[["elapsed"]])
}

# The versions and the load of the machine, above the table.
bench_header <- function(end = "\n") {
  cat("\nnutrievidence", format(packageVersion("nutrievidence")), "vs metafor",
      format(packageVersion("metafor")), "on", R.version.string,
      "; load average", readLines("/proc/loadavg", warn = FALSE), end)
}
