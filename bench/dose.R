# Benchmark: dose_response() against dosresmeta::dosresmeta() on the same
# data (two-stage REML, Greenland-Longnecker covariance), same answer.
# Run from the package root after installing: Rscript bench/dose.R
suppressPackageStartupMessages({
  library(nutrievidence)
  library(dosresmeta)
})
data("alcohol_cvd", "coffee_mort", package = "dosresmeta")
coffee_mort$type <- as.character(coffee_mort$type)

time_it <- function(f, reps) {
  f() # warm up
  t <- numeric(5)
  for (i in seq_along(t)) {
    t0 <- proc.time()[["elapsed"]]
    for (j in seq_len(reps)) f()
    t[i] <- (proc.time()[["elapsed"]] - t0) / reps
  }
  median(t)
}

cases <- list(
  list(name = "alcohol_cvd linear (6 studies)", data = alcohol_cvd,
       shape = "linear"),
  list(name = "alcohol_cvd spline, 3 knots", data = alcohol_cvd,
       shape = "spline"),
  list(name = "coffee_mort linear (22 studies)", data = coffee_mort,
       shape = "linear"),
  list(name = "coffee_mort spline, 3 knots", data = coffee_mort,
       shape = "spline"))

# the spline cases build dosresmeta's basis with Hmisc (not a dependency)
if (!requireNamespace("Hmisc", quietly = TRUE)) {
  cat("Hmisc is not installed: spline cases skipped\n")
  cases <- Filter(function(cs) cs$shape == "linear", cases)
}

rows <- lapply(cases, function(cs) {
  d <- cs$data
  kn <- unname(quantile(d$dose, c(0.1, 0.5, 0.9)))
  ours <- function() dose_response(logrr ~ dose, id = id, type = type,
    cases = cases, n = n, se = se, data = d, shape = cs$shape, knots =
      if (cs$shape == "spline") kn)
  theirs <- if (cs$shape == "linear") {
    function() dosresmeta(logrr ~ dose, id = id, type = type, cases = cases,
                          n = n, se = se, data = d)
  } else {
    function() dosresmeta(logrr ~ Hmisc::rcspline.eval(dose, kn, inclx = TRUE), id = id, type = type,
                          cases = cases, n = n, se = se, data = d)
  }
  a <- ours(); b <- theirs()
  diff <- max(abs(coef(a) - coef(b)) / abs(coef(b)))
  t_theirs <- time_it(theirs, 3)
  t_ours <- time_it(ours, 50)
  data.frame(case = cs$name, dosresmeta_ms = 1000 * t_theirs,
             nutrievidence_ms = 1000 * t_ours, ratio = t_theirs / t_ours,
             max_rel_diff_coef = diff)
})
tab <- do.call(rbind, rows)
print(format(tab, digits = 3), row.names = FALSE)
cat("\nratio = dosresmeta time / nutrievidence time (target >= 50)\n")
cat("max_rel_diff_coef: dosresmeta at its default tolerances\n")
