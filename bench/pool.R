# Benchmark of the pool family against metafor::rma(), on the same simulated
# data, in one run. Run from the repository root after installing the
# package:  Rscript bench/pool.R
suppressPackageStartupMessages({
  library(nutrievidence)
  library(metafor)
})
set.seed(2026)

# Seconds per call of expr, repeated n times (after one warm-up call).
per_call <- function(expr, n) {
  expr_q <- substitute(expr)
  env <- parent.frame()
  eval(expr_q, env)
  gc(FALSE)
  t0 <- proc.time()[["elapsed"]]
  for (i in seq_len(n)) eval(expr_q, env)
  (proc.time()[["elapsed"]] - t0) / n
}

# Seconds per call of two expressions timed in alternating blocks (so that
# a change of load on the machine hits both alike); the fastest block of
# each, as bench::mark()'s minimum.
per_call_pair <- function(a, b, n_a, n_b, blocks = 5L) {
  qa <- substitute(a); qb <- substitute(b); env <- parent.frame()
  block <- function(q, n) {
    t0 <- proc.time()[["elapsed"]]
    for (i in seq_len(n)) eval(q, env)
    (proc.time()[["elapsed"]] - t0) / n
  }
  eval(qa, env); eval(qb, env)
  ta <- tb <- Inf
  for (j in seq_len(blocks)) {
    ta <- min(ta, block(qa, n_a))
    tb <- min(tb, block(qb, n_b))
  }
  c(ta, tb)
}

sim <- function(k, tau2 = 0.05) {
  vi <- runif(k, 0.01, 0.2)
  yi <- rnorm(k, 0.3, sqrt(vi + tau2))
  list(yi = yi, vi = vi)
}

rows <- list()
add <- function(task, ours, theirs, note = "") {
  rows[[length(rows) + 1L]] <<- data.frame(
    task = task, nutrievidence_s = ours, metafor_s = theirs,
    ratio = theirs / ours, note = note, stringsAsFactors = FALSE)
}

# (a) one meta-analysis, k = 10, REML
d <- sim(10)
yi10 <- d$yi; vi10 <- d$vi
t_a <- per_call_pair(pool(yi10, vi10, method = "REML"),
                     rma(yi10, vi10, method = "REML"), 4000, 100)
t_pool <- t_a[1]; t_rma <- t_a[2]
add("(a) one fit, k = 10, REML", t_pool, t_rma, "per fit")

# (b) 1e5 meta-analyses of k = 10
G <- 1e5; k <- 10
vi <- runif(G * k, 0.01, 0.2)
tau2 <- rep(rexp(G, 1 / 0.05), each = k)
yi <- rnorm(G * k, 0.3, sqrt(vi + tau2))
grp <- rep(seq_len(G), each = k)
t_b1 <- Inf   # the fastest of three runs
for (j in 1:3) {
  t0 <- proc.time()[["elapsed"]]
  b1 <- pool_batch(yi, vi, grp, method = "REML", threads = 1L)
  t_b1 <- min(t_b1, proc.time()[["elapsed"]] - t0)
}
t0 <- proc.time()[["elapsed"]]
b2 <- pool_batch(yi, vi, grp, method = "REML", threads = 2L)
t_b2 <- proc.time()[["elapsed"]] - t0
n_loop <- 1000L
fail_rma <- 0L
t0 <- proc.time()[["elapsed"]]
for (g in seq_len(n_loop)) {
  s <- (g - 1L) * k + seq_len(k)
  r <- try(rma(yi[s], vi[s], method = "REML"), silent = TRUE)
  if (inherits(r, "try-error")) fail_rma <- fail_rma + 1L
}
t_loop <- (proc.time()[["elapsed"]] - t0) / n_loop
add("(b) 1e5 fits of k = 10, per fit, 1 thread", t_b1 / G, t_loop,
    sprintf("rma loop timed on the first %d groups and scaled", n_loop))
add("(b) 1e5 fits of k = 10, per fit, 2 threads", t_b2 / G, t_loop,
    "same rma timing")

# (c) REML at k = 1000 and k = 1e5
d3 <- sim(1000)
t_p3 <- per_call(pool(d3$yi, d3$vi, method = "REML"), 200)
t_r3 <- per_call(rma(d3$yi, d3$vi, method = "REML"), 1)
add("(c) one fit, k = 1000, REML", t_p3, t_r3)
d5 <- sim(1e5)
t_p5 <- per_call(pool(d5$yi, d5$vi, method = "REML"), 5)
add("(c) one fit, k = 1e5, REML", t_p5, NA_real_,
    "rma not run (dense k x k algebra)")

tab <- do.call(rbind, rows)
op <- options(width = 150, digits = 4)
cat("\nnutrievidence", as.character(packageVersion("nutrievidence")),
    "vs metafor", as.character(packageVersion("metafor")), "on",
    R.version.string, "\n\n")
print(tab, row.names = FALSE)
cat("\n(d) convergence failures:\n")
cat(sprintf("  pool_batch REML, 1e5 analyses: %d not converged (1 thread), %d (2 threads)\n",
            sum(!b1$converged), sum(!b2$converged)))
cat(sprintf("  rma REML, first %d analyses: %d errors (Fisher scoring did not converge)\n",
            n_loop, fail_rma))
cat(sprintf("  identical results 1 vs 2 threads: %s\n", identical(b1, b2)))
cat("\nPer-call overhead (issue 15):\n")
cat(sprintf(paste0("  pool() REML k = 10: %.1f us per call; rma(): %.0f us;",
                   " ratio %.0fx (target >= 200x)\n"),
            1e6 * t_pool, 1e6 * t_rma, t_rma / t_pool))
cat(sprintf("  pool_batch() REML k = 10, 1 thread: %.2f us per fit (target <= 2 us)\n",
            1e6 * t_b1 / G))
cat("\nTargets: (a) >= 200x, (b) >= 200x per analysis and <= 2 us per fit,",
    "(c) k = 1e5 well under 1 s\n")
options(op)
