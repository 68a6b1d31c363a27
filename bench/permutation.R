# Benchmark: permutation_test() against metafor::permutest() with 1,000
# permutations at k = 20 (Monte Carlo: 2^20 sign flips exceed 1,000), on the
# same simulated data, in one run. Times are CPU seconds of this R process
# (user + system), so other processes on the machine do not enter the
# ratio; elapsed seconds are printed too.
#   Rscript bench/permutation.R
source("bench/helper.R")
k <- 20
dat <- bench_studies(k)
vi <- dat$vi
yi <- dat$yi
x <- runif(k, 0, 10)
ctl <- bench_ctl

row <- function(task, a, b, pa, pb) {
  data.frame(task = task, nutrievidence_cpu_s = a$cpu, metafor_cpu_s = b$cpu,
             ratio_cpu = b$cpu / a$cpu, ratio_elapsed = b$elapsed / a$elapsed,
             p_ours = pa, p_metafor = pb)
}

# warm-up: first calls load and compile code in both packages
invisible(permutation_test(pool(yi[1:5], vi[1:5]), iter = 10))
invisible(permutest(rma(yi[1:5], vi[1:5]), iter = 10, progbar = FALSE))
f0 <- pool(yi, vi)
r0 <- rma(yi, vi, control = ctl)
set.seed(1); a <- timed(permutation_test(f0, iter = 1000))
set.seed(1); b <- timed(permutest(r0, iter = 1000, progbar = FALSE))
f1 <- pool(yi, vi, mods = ~ x)
r1 <- rma(yi, vi, mods = ~ x, control = ctl)
set.seed(2); a1 <- timed(permutation_test(f1, iter = 1000))
set.seed(2); b1 <- timed(permutest(r1, iter = 1000, progbar = FALSE))
tab <- rbind(
  row("k = 20, no moderators, 1,000 sign flips", a, b,
      a$value$table$p.value.perm, b$value$pval),
  row("k = 20, one moderator, 1,000 permutations", a1, b1,
      a1$value$QM_p, b1$value$QMp))
op <- options(width = 160, digits = 4)
bench_header("\n\n")
print(tab, row.names = FALSE)
cat("\nTarget: ratio >= 100 (p-values agree within Monte Carlo error)\n")
options(op)
