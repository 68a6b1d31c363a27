# Benchmark: gosh() against metafor::gosh() at k = 15 (2^15 - 1 = 32,767
# subsets, REML), on the same simulated data, in one run. By default
# metafor fits a random sample of 2,000 subsets and its time is scaled to
# all 32,767 (its time per subset fit does not depend on which subsets);
# BENCH_FULL=1 runs metafor on all of them. Times are CPU seconds of this R
# process (user + system); elapsed seconds are printed too.
#   Rscript bench/gosh.R
source("bench/helper.R")
k <- 15
dat <- bench_studies(k)
vi <- dat$vi
yi <- dat$yi
ctl <- bench_ctl
full <- nzchar(Sys.getenv("BENCH_FULL"))

# warm-up: first calls load and compile code in both packages
invisible(nutrievidence::gosh(pool(yi[1:4], vi[1:4])))
invisible(metafor::gosh(rma(yi[1:4], vi[1:4]), progbar = FALSE))
n_all <- 2^k - 1
a1 <- timed(nutrievidence::gosh(pool(yi, vi), threads = 1L))
a2 <- timed(nutrievidence::gosh(pool(yi, vi), threads = 2L))
n_mf <- if (full) n_all else 2000
set.seed(1)
b <- timed(metafor::gosh(rma(yi, vi, control = ctl), subsets = n_mf,
                         progbar = FALSE))
scale <- n_all / n_mf
tab <- data.frame(
  task = c("k = 15, all 32,767 subsets, REML, 1 thread",
           "k = 15, all 32,767 subsets, REML, 2 threads"),
  nutrievidence_cpu_s = c(a1$cpu, a2$cpu),
  nutrievidence_elapsed_s = c(a1$elapsed, a2$elapsed),
  metafor_cpu_s = b$cpu * scale,
  ratio_cpu = b$cpu * scale / c(a1$cpu, a2$cpu),
  ratio_elapsed = b$elapsed * scale / c(a1$elapsed, a2$elapsed))
# same numbers: every subset metafor fitted, against ours
g <- a1$value
inc <- metafor_incl <- b$value$incl
mask <- as.vector(inc %*% 2^(0:(k - 1)))
i <- match(mask, g$res$subset)
err <- max(abs(g$res$estimate[i] - b$value$res$estimate) /
             pmax(1, abs(b$value$res$estimate)), na.rm = TRUE)
op <- options(width = 160, digits = 4)
bench_header()
cat("metafor timed on", n_mf, "subsets", if (!full) "and scaled to 32,767",
    "\n\n")
print(tab, row.names = FALSE)
cat(sprintf("\nlargest relative difference of the estimates over metafor's %d subsets: %.1e\n",
            n_mf, err))
cat("Target: ratio >= 100\n")
options(op)
