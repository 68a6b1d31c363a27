# Throughput of intake_simulate() against an equivalent vectorised base-R
# simulation of the same model, in the same run.
#   Rscript bench/intake.R            (package installed, e.g. R_LIBS=lib)
library(nutrievidence)

k2_diet <- data.frame(
  food = c("hard cheese", "egg yolk", "butter", "chicken", "natto"),
  p_day = c(0.6, 0.4, 0.7, 0.3, 1 / 30),
  portion_g = c(30, 17, 10, 120, 40),
  portion_sd = c(15, 4, 6, 50, 10),
  portion_dist = c("lognormal", "gamma", "lognormal", "lognormal",
                   "lognormal"),
  content_ug_per_g = c(76, 32, 15, 8.5, 1000) / 100,
  content_sd = c(0.2, 0.05, 0, 0, 2),
  content_dist = c("lognormal", "lognormal", "fixed", "fixed", "lognormal")
)

# The same model in vectorised base R: one person-day per element.
base_sim <- function(diet, n) {
  tot <- numeric(n)
  for (j in seq_len(nrow(diet))) {
    eat <- stats::runif(n) < diet$p_day[j]
    k <- sum(eat)
    m <- diet$portion_g[j]
    s <- diet$portion_sd[j]
    por <- switch(diet$portion_dist[j],
      lognormal = { s2 <- log1p((s / m)^2)
                    stats::rlnorm(k, log(m) - s2 / 2, sqrt(s2)) },
      gamma = stats::rgamma(k, shape = (m / s)^2, scale = s^2 / m),
      fixed = rep(m, k))
    cm <- diet$content_ug_per_g[j]
    cs <- diet$content_sd[j]
    con <- switch(diet$content_dist[j],
      lognormal = { s2 <- log1p((cs / cm)^2)
                    stats::rlnorm(k, log(cm) - s2 / 2, sqrt(s2)) },
      fixed = rep(cm, k))
    tot[eat] <- tot[eat] + por * con
  }
  tot
}

# Best of `reps` runs; `f` returns the simulated intakes, kept in `out`.
# Both wall-clock and CPU time (user + system, summed over threads) are
# kept: on a shared machine CPU time is the fair per-core measure.
out <- list()
cpu <- list()
time_it <- function(key, f, reps = 3) {
  t <- c_t <- numeric(reps)
  for (r in seq_len(reps)) {
    st <- system.time(out[[key]] <<- f())
    t[r] <- st[["elapsed"]]
    c_t[r] <- st[["user.self"]] + st[["sys.self"]]
  }
  cpu[[key]] <<- min(c_t)
  min(t)
}

n <- 2e6
set.seed(1)
t_c1 <- time_it("c1", function()
  intake_simulate(k2_diet, n = n, threads = 1)$intake)
t_c2 <- time_it("c2", function()
  intake_simulate(k2_diet, n = n, threads = 2)$intake)
t_c7 <- time_it("c7", function()
  intake_simulate(k2_diet, n = round(n / 7), days = 7)$intake)
t_r <- time_it("r", function() base_sim(k2_diet, n))

res <- data.frame(
  method = c("intake_simulate, 1 thread", "intake_simulate, 2 threads",
             "intake_simulate, 1 thread, days = 7", "vectorised base R"),
  person_days = c(n, n, 7 * round(n / 7), n),
  seconds = c(t_c1, t_c2, t_c7, t_r),
  mean_ug = vapply(out[c("c1", "c2", "c7", "r")], mean, numeric(1))
)
res$cpu_seconds <- unlist(cpu[c("c1", "c2", "c7", "r")])
res$per_second <- res$person_days / res$seconds
res$per_cpu_second <- res$person_days / res$cpu_seconds
res$speedup_vs_base_R <- t_r / res$seconds
cat(sprintf("K2 diet, %d foods; closed-form mean %.3f ug/day\n",
            nrow(k2_diet),
            sum(k2_diet$p_day * k2_diet$portion_g * k2_diet$content_ug_per_g)))
print(res, digits = 4, row.names = FALSE)
cat(sprintf(paste0("target >= 1e7 person-days per second per core ",
                   "(1 thread, CPU time): %s (%.3g; wall clock %.3g)\n"),
            if (res$per_cpu_second[1] >= 1e7) "met" else "NOT met",
            res$per_cpu_second[1], res$per_second[1]))

# Usual intake: one fit and a 200-replicate bootstrap (no peer package in R;
# the NCI method's reference implementation is a set of SAS macros).
set.seed(2)
m <- 1000
u <- stats::rnorm(m, 0, 0.5)
rec <- data.frame(id = rep(seq_len(m), each = 2))
rec$k2 <- exp(log(25) + u[rec$id] + stats::rnorm(2 * m, 0, 0.7))
t_fit <- system.time(fit <- intake_usual(rec, id, k2))[["elapsed"]]
t_boot <- system.time(fitb <- intake_usual(rec, id, k2, bootstrap = TRUE,
                                           B = 200))[["elapsed"]]
cat(sprintf(paste0("intake_usual, %d persons x 2 recalls: fit %.3f s; ",
                   "fit + bootstrap B = 200 %.2f s (%.1f ms per replicate)\n"),
            m, t_fit, t_boot, 1000 * (t_boot - t_fit) / 200))
