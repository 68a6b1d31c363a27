# Benchmark of the three-level model and cluster-robust inference against
# metafor::rma.mv() + clubSandwich on the same simulated data, in one run.
# Run from the repository root after installing the package:
#   Rscript bench/multilevel.R          # short run (about a minute)
#   Rscript bench/multilevel.R --long   # adds k = 1e4 in 2,000 clusters
#                                       # and 1,000 simulated data sets
# The task timed on each side: the REML fit, its CR2 covariance and the
# Satterthwaite t tests (pool_multilevel() + tidy(vcov = "CR2") against
# rma.mv() + clubSandwich::coef_test(vcov = "CR2")).
suppressPackageStartupMessages({
  library(nutrievidence)
  library(metafor)
  library(clubSandwich)
})
long <- "--long" %in% commandArgs(TRUE)
set.seed(2026)

# Simulated three-level data: m clusters of k effects in total (cluster
# sizes 1 to 2 k / m - 1), sigma2 = (0.05, 0.03), one moderator.
sim <- function(k, m, s2 = c(0.05, 0.03)) {
  size <- rep(1L, m) + as.vector(rmultinom(1, k - m, rep(1, m)))
  cl <- rep(seq_len(m), size)
  vi <- runif(k, 0.01, 0.1)
  x <- rnorm(k)
  yi <- 0.2 + 0.1 * x + rnorm(m, 0, sqrt(s2[1]))[cl] +
    rnorm(k, 0, sqrt(s2[2])) + rnorm(k, 0, sqrt(vi))
  data.frame(cl = cl, es = seq_len(k), x = x, yi = yi, vi = vi)
}

ours <- function(d) {
  f <- pool_multilevel(yi, vi, cluster = cl, data = d, mods = ~ x)
  list(fit = f, tab = tidy(f, vcov = "CR2"))
}
theirs <- function(d, sparse = FALSE) {
  m <- rma.mv(yi, vi, mods = ~ x, random = ~ 1 | cl/es, data = d,
              sparse = sparse)
  list(fit = m, tab = coef_test(m, vcov = "CR2"))
}

# CPU seconds of this R process per call (after one warm-up call), over
# at least `min_s` CPU seconds of calls. CPU time, not elapsed time: on a
# shared machine the elapsed time includes waiting for a core, for both
# sides alike but not in the same proportion.
cpu <- function() sum(proc.time()[c("user.self", "sys.self")])
per_call <- function(f, min_s = 1, max_n = 2000L) {
  f()
  n <- 0L
  t0 <- cpu()
  repeat {
    f()
    n <- n + 1L
    el <- cpu() - t0
    if (el >= min_s || n >= max_n) break
  }
  el / n
}

rows <- list()
add <- function(task, a, b, note = "") {
  rows[[length(rows) + 1L]] <<- data.frame(
    task = task, nutrievidence_s = a, rma.mv_clubSandwich_s = b,
    ratio = b / a, note = note, stringsAsFactors = FALSE)
}

# (a) k = 100 effects in 30 clusters
d <- sim(100, 30)
a <- ours(d); b <- theirs(d)
agree <- max(abs(a$tab$std.error - b$tab$SE) / b$tab$SE)
add("(a) k = 100 in 30 clusters: fit + CR2 tests",
    per_call(function() ours(d)), per_call(function() theirs(d), 2, 200L),
    sprintf("max rel. diff. of CR2 SEs %.1e", agree))
add("(a) k = 100 in 30 clusters: fit only",
    per_call(function() pool_multilevel(yi, vi, cluster = cl, data = d,
                                        mods = ~ x)),
    per_call(function() rma.mv(yi, vi, mods = ~ x, random = ~ 1 | cl/es,
                               data = d), 2, 200L))

# (b) k = 1e4 effects in 2,000 clusters; rma.mv with sparse matrices (its
# dense k x k algebra needs gigabytes here), stopped after 5 minutes
if (long) {
  d <- sim(1e4, 2000)
  t_ours <- per_call(function() ours(d), 2, 20L)
  t0 <- cpu()
  setTimeLimit(elapsed = 300, transient = TRUE)
  r <- tryCatch(theirs(d, sparse = TRUE), error = function(e) NULL)
  setTimeLimit(elapsed = Inf)
  t_theirs <- cpu() - t0
  if (is.null(r)) {
    add("(b) k = 1e4 in 2,000 clusters: fit + CR2 tests", t_ours, NA_real_,
        sprintf("rma.mv + clubSandwich stopped after %.0f s", t_theirs))
  } else {
    add("(b) k = 1e4 in 2,000 clusters: fit + CR2 tests", t_ours, t_theirs,
        sprintf("max rel. diff. of CR2 SEs %.1e", max(abs(
          ours(d)$tab$std.error - r$tab$SE) / r$tab$SE)))
  }
}

tab <- do.call(rbind, rows)
op <- options(width = 150, digits = 4)
cat("\nnutrievidence", as.character(packageVersion("nutrievidence")),
    "vs metafor", as.character(packageVersion("metafor")), "+ clubSandwich",
    as.character(packageVersion("clubSandwich")), "on", R.version.string,
    "\n\n")
print(tab, row.names = FALSE)

# (c) convergence failures on simulated data sets (k = 100 in 30 clusters,
# half of them with a between-cluster variance of 0): a failure is an error
# or a fit flagged as not converged.
n_sim <- if (long) 1000L else 100L
fail <- c(nutrievidence = 0L, rma.mv = 0L)
for (i in seq_len(n_sim)) {
  d <- sim(100, 30, s2 = c(if (i %% 2) 0.05 else 0, 0.03))
  f <- tryCatch(withCallingHandlers(
    pool_multilevel(yi, vi, cluster = cl, data = d, mods = ~ x),
    warning = function(w) invokeRestart("muffleWarning")),
    error = function(e) NULL)
  if (is.null(f) || !f$converged) fail[1] <- fail[1] + 1L
  m <- tryCatch(suppressWarnings(
    rma.mv(yi, vi, mods = ~ x, random = ~ 1 | cl/es, data = d)),
    error = function(e) NULL)
  if (is.null(m)) fail[2] <- fail[2] + 1L
}
cat("\nConvergence failures on", n_sim, "simulated data sets:\n")
print(fail)
options(op)
