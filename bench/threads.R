# Threads: small calls must not be slower with threads = 2 than with one
# thread (libgomp's waiting threads used to make 300 small pool_batch()
# calls about 15 times slower), and a large call should gain from them.
# Run from the repository root after installing the package:
#   Rscript bench/threads.R
suppressPackageStartupMessages(library(nutrievidence))
set.seed(2026)

batch <- function(groups, size = 5) {
  v <- runif(groups * size, 0.01, 0.1)
  data.frame(g = rep(seq_len(groups), each = size), v = v,
             y = rnorm(groups * size, 0.2, sqrt(v + 0.02)))
}

# Seconds per call, n calls after one warm-up call.
per_call <- function(f, n) {
  f()
  t0 <- proc.time()[["elapsed"]]
  for (i in seq_len(n)) f()
  (proc.time()[["elapsed"]] - t0) / n
}

small <- batch(20)
large <- batch(2e5)
t1 <- per_call(function() pool_batch(y, v, g, data = small, threads = 1), 300)
t2 <- per_call(function() pool_batch(y, v, g, data = small, threads = 2), 300)
l1 <- per_call(function() pool_batch(y, v, g, data = large, threads = 1), 3)
l2 <- per_call(function() pool_batch(y, v, g, data = large, threads = 2), 3)
cat(sprintf("processors seen by OpenMP: %d\n", parallel::detectCores()))
cat(sprintf("300 small pool_batch() calls (20 groups): %.2f ms/call with 1 thread, %.2f ms/call with threads = 2: ratio %.2f\n",
            1e3 * t1, 1e3 * t2, t2 / t1))
cat(sprintf("large pool_batch() (2e5 groups): %.3f s with 1 thread, %.3f s with threads = 2: ratio %.2f\n",
            l1, l2, l2 / l1))
