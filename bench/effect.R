# Benchmark: effect_counts() and effect_means() against metafor::escalc() on
# 10^6 simulated studies, same settings, in one run. Prints the elapsed
# times (median of `reps` runs), the ratio escalc / nutrievidence and the
# largest difference between the two answers.
#   Rscript bench/effect.R        (after installing the package)
suppressPackageStartupMessages({
  library(nutrievidence)
  library(metafor)
})
`%||%` <- function(x, y) if (is.null(x)) y else x
set.seed(20260101)
k <- 1e6
reps <- 3L
n1 <- rpois(k, 60) + 2
n2 <- rpois(k, 60) + 2
ai <- rbinom(k, n1, 0.08)     # about 1% of studies have a zero cell
ci <- rbinom(k, n2, 0.12)
m1 <- rnorm(k, 10, 1)
m2 <- rnorm(k, 9, 1)
s1 <- runif(k, 1, 3)
s2 <- runif(k, 1, 3)

timed <- function(expr) {
  e <- substitute(expr)
  env <- parent.frame()
  t <- numeric(reps)
  eval(e, env)  # warm-up, not timed
  for (i in seq_len(reps)) {
    gc(FALSE)
    t[i] <- system.time(val <- eval(e, env))[["elapsed"]]
  }
  list(time = stats::median(t), value = val)
}

cases <- list(
  list(what = "counts RR, to = only0", measure = "RR", type = "counts"),
  list(what = "counts OR, to = if0all", measure = "OR", to = "if0all",
       type = "counts"),
  list(what = "counts RD, to = all", measure = "RD", to = "all",
       type = "counts"),
  list(what = "means SMD", measure = "SMD", type = "means"),
  list(what = "means ROM", measure = "ROM", type = "means")
)
rows <- lapply(cases, function(cs) {
  if (cs$type == "counts") {
    to <- cs$to %||% "only0"
    a <- timed(effect_counts(ai, n1, ci, n2, measure = cs$measure, to = to))
    b <- timed(escalc(cs$measure, ai = ai, n1i = n1, ci = ci, n2i = n2,
                      to = to))
  } else {
    a <- timed(effect_means(m1, s1, n1, m2, s2, n2, measure = cs$measure))
    b <- timed(escalc(cs$measure, m1i = m1, sd1i = s1, n1i = n1, m2i = m2,
                      sd2i = s2, n2i = n2))
  }
  diff <- max(abs(a$value$yi - b$value$yi) / pmax(1, abs(b$value$yi)),
              abs(a$value$vi - b$value$vi) / pmax(1, abs(b$value$vi)))
  data.frame(task = cs$what, studies = k, nutrievidence_s = a$time,
             escalc_s = b$time, ratio = b$time / a$time,
             max_rel_diff = signif(diff, 2))
})
tab <- do.call(rbind, rows)
cat(sprintf("metafor %s, %s, median of %d runs\n",
            packageVersion("metafor"), R.version.string, reps))
print(tab, digits = 3, row.names = FALSE)
