# Benchmark of claim_check(). No other package checks a reported ratio, CI
# and p-value for consistency allowing for rounding, so the comparison is
# with a brute-force search in plain R over a 5 x 5 x 5 grid of each claim's
# rounding box (what one would write without the closed-form bounds); the
# two must agree on the p range. Run from the repository root after
# installing the package.
suppressPackageStartupMessages(library(nutrievidence))
set.seed(42)
n <- 20000
e <- round(exp(rnorm(n, 0, 0.5)), 2)
l <- round(e * exp(-runif(n, 0.1, 0.5)), 2)
u <- round(e * exp(runif(n, 0.1, 0.5)), 2)
ok <- l > 0 & l < e & e < u
e <- e[ok]; l <- l[ok]; u <- u[ok]; n <- length(e)
es <- sprintf("%.2f", e); ls <- sprintf("%.2f", l); us <- sprintf("%.2f", u)

brute <- function(e, l, u, k = 5, q = qnorm(0.975)) {
  t <- seq(-0.005, 0.005, length.out = k)
  g <- expand.grid(a = t, b = t, c = t)
  lo <- hi <- numeric(length(e))
  for (i in seq_along(e)) {
    z <- abs(log(e[i] + g$a)) / ((log(u[i] + g$c) - log(l[i] + g$b)) / (2 * q))
    p <- 2 * pnorm(-z)
    lo[i] <- min(p); hi[i] <- max(p)
  }
  cbind(lo, hi)
}

time_it <- function(f, reps = 3) {
  min(vapply(seq_len(reps), function(i) system.time(f())[["elapsed"]], 0))
}
nb <- 2000
r <- claim_check(es, ls, us, p = "0.03")
b <- brute(e[1:nb], l[1:nb], u[1:nb])
t_pkg <- time_it(function() claim_check(es, ls, us, p = "0.03"))
t_pkg_num <- time_it(function() claim_check(e, l, u, digits = 2))
box <- cbind(e, e - 0.005, e + 0.005, l, l - 0.005, l + 0.005, u, u - 0.005,
             u + 0.005)
t_core <- time_it(function()
  .Call(nutrievidence:::C_claim_bounds, box, rep(0.95, n), rep(1, n), TRUE),
  reps = 10)
t_brute <- time_it(function() brute(e[1:nb], l[1:nb], u[1:nb]), reps = 1)
# the grid holds the corners, where the bounds are attained (unless the
# estimate's box contains the null: then the grid misses p = 1)
inner <- !(e[1:nb] - 0.005 <= 1 & e[1:nb] + 0.005 >= 1)
dev <- max(abs(c(r$p_implied_low[1:nb] - b[, 1],
                 (r$p_implied_high[1:nb] - b[, 2])[inner])))
per <- function(t, m) 1e6 * t / m
tab <- data.frame(
  method = c("claim_check(), strings", "claim_check(), numbers + digits",
             "C core alone (C_claim_bounds)", "brute-force grid in R (5^3)"),
  claims = c(n, n, n, nb),
  seconds = c(t_pkg, t_pkg_num, t_core, t_brute),
  us_per_claim = c(per(t_pkg, n), per(t_pkg_num, n), per(t_core, n),
                   per(t_brute, nb)))
tab$brute_over_this <- tab$us_per_claim[4] / tab$us_per_claim
print(tab, digits = 3, row.names = FALSE)
cat(sprintf("max |p bound - grid p| on %d claims: %.2e\n", nb, dev))
