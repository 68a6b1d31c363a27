# Diagnostics vs metafor in one run, on the same simulated data:
# leave-one-out, influence, cumulative, Egger (rma), Begg, trim and fill,
# meta-regression and a subgroup analysis. Prints median times and ratios.
#   Rscript bench/diag.R   (with nutrievidence and metafor installed)
suppressMessages({
  library(nutrievidence)
  library(metafor)
})
set.seed(42)
k <- as.integer(Sys.getenv("NEV_BENCH_K", "30"))
vi <- runif(k, 0.01, 0.2)
x <- rnorm(k)
g <- rep(c("a", "b", "c"), length.out = k)
yi <- rnorm(k, 0.2 + 0.1 * x, sqrt(vi + 0.05))
d <- data.frame(yi, vi, x, g)
ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 1000)
fit <- pool(yi, vi)
res <- rma(yi, vi, control = ctl)

tm <- function(expr, reps) {
  expr <- substitute(expr)
  env <- parent.frame()
  t <- numeric(reps)
  for (i in seq_len(reps)) t[i] <- system.time(eval(expr, env))[["elapsed"]]
  median(t)
}
per <- function(expr, n) {
  expr <- substitute(expr)
  env <- parent.frame()
  t <- system.time(for (i in seq_len(n)) eval(expr, env))[["elapsed"]]
  t / n
}
rows <- list(
  "leave-one-out" = c(per(leave_one_out(fit), 200), per(leave1out(res), 5)),
  "influence" = c(per(influence(fit), 200), per(influence(res), 5)),
  "cumulative" = c(per(cumulative(fit), 200), per(cumul(res), 5)),
  "Egger (rma)" = c(per(egger_test(fit, model = "rma"), 200),
                    per(regtest(res, model = "rma"), 20)),
  "Begg" = c(per(begg_test(fit), 200), per(ranktest(res), 20)),
  "trim and fill" = c(per(trim_fill(fit), 200),
                      per(trimfill(res, control = ctl), 5)),
  "meta-regression" = c(per(pool(yi, vi, data = d, mods = ~ x), 200),
                        per(rma(yi, vi, mods = ~ x, data = d,
                                control = ctl), 20)),
  "subgroups" = c(per(pool(yi, vi, data = d, subgroup = g), 200),
                  per({
                    f <- lapply(c("a", "b", "c"), function(l)
                      rma(yi, vi, data = d, subset = g == l, control = ctl))
                    rma(sapply(f, coef), sei = sapply(f, `[[`, "se"),
                        method = "FE")
                  }, 20))
)
tab <- data.frame(task = names(rows),
                  nutrievidence_ms = 1000 * sapply(rows, `[`, 1),
                  metafor_ms = 1000 * sapply(rows, `[`, 2), row.names = NULL)
tab$ratio <- tab$metafor_ms / tab$nutrievidence_ms
cat("k =", k, "studies; time per call (ms), metafor with tol 1e-12\n")
print(format(tab, digits = 3), row.names = FALSE)
