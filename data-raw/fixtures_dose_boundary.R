# Builds tests/testthat/fixtures/dose_boundary.rds: dosresmeta 2.2.0's
# maximum-likelihood fits of its alcohol_esoph data (Greenland-Longnecker
# covariances), whose between-study correlation lies at about -0.9996, next
# to the edge of the parameter space. The data are stored with the results,
# so the tests do not need dosresmeta. Run from the package root:
#   Rscript data-raw/fixtures_dose_boundary.R
suppressPackageStartupMessages(library(dosresmeta))
data("alcohol_esoph", package = "dosresmeta", envir = environment())
d <- as.data.frame(lapply(alcohol_esoph, function(x)
  if (is.factor(x)) as.character(x) else x))
d <- d[c("id", "type", "cases", "n", "logrr", "dose", "se")]

# Tight Greenland-Longnecker iteration (as data-raw/fixtures_dose.R).
g <- dosresmeta:::grl
formals(g)$tol <- 1e-20
assignInNamespace("grl", g, "dosresmeta")
ctl <- list(reltol = 1e-15, maxiter = 5000)

# Harrell's restricted cubic spline basis (as Hmisc::rcspline.eval(x, k,
# inclx = TRUE)), knots at the 10th, 50th and 90th percentiles.
rcs <- function(x, k) {
  nk <- length(k)
  p3 <- function(u) pmax(u, 0)^3
  nl <- sapply(seq_len(nk - 2), function(j)
    p3(x - k[j]) - p3(x - k[nk - 1]) * (k[nk] - k[j]) / (k[nk] - k[nk - 1]) +
      p3(x - k[nk]) * (k[nk - 1] - k[j]) / (k[nk] - k[nk - 1]))
  cbind(x, nl / (k[nk] - k[1])^2)
}
kn <- unname(quantile(d$dose, c(0.1, 0.5, 0.9)))
out1 <- function(fit) {
  list(coef = unname(coef(fit)), Psi = unname(fit$Psi),
       cor = unname(stats::cov2cor(fit$Psi)[1, 2]),
       logLik = as.numeric(logLik(fit)))
}
fx <- list(data = d, knots = kn)
fx$spline_ml <- out1(dosresmeta(logrr ~ rcs(dose, kn), id = id, type = type,
  cases = cases, n = n, se = se, data = d, method = "ml", control = ctl))
fx$quad_ml <- out1(dosresmeta(logrr ~ dose + I(dose^2), id = id, type = type,
  cases = cases, n = n, se = se, data = d, method = "ml", control = ctl))

# Quadratic, Hamling covariances, ML: dosresmeta stops at 115.6227 where
# dose_response() reports 119.0047. Both points are evaluated under one
# brute-force likelihood written in R (tests/testthat/helper-dose.R: Hamling
# pseudo-counts by Newton's method, per-study GLS, multivariate normal
# density of the study coefficients), which is also maximised from many
# starts; dosresmeta is rerun with tight tolerances and from the
# brute-force maximum.
source("tests/testthat/helper-dose.R")
bf <- dose_brute_quadratic(d)
ham <- function(...) dosresmeta(logrr ~ dose + I(dose^2), id = id,
  type = type, cases = cases, n = n, se = se, data = d, method = "ml",
  covariance = "h", ...)
pt <- function(fit) c(out1(fit), niter = fit$niter,
  brute_logLik = dose_brute_loglik(unname(coef(fit)), unname(fit$Psi), bf))
scale <- c(1e-2, 1e-4, 1e-4)
climb <- function(u) {
  fn <- function(u) dose_brute_profile(u * scale, bf)$logLik
  o <- optim(u, fn, control = list(fnscale = -1, reltol = 1e-14,
                                   maxit = 20000))
  o <- optim(o$par, fn, method = "BFGS",
             control = list(fnscale = -1, reltol = 1e-16, maxit = 2000))
  dose_brute_profile(o$par * scale, bf)
}
starts <- expand.grid(l11 = c(0.5, 3, 6), l21 = c(-4, -1, 0, 1),
                      l22 = c(0.1, 1))
maxima <- lapply(seq_len(nrow(starts)), function(i)
  climb(unlist(starts[i, ])))
ll <- vapply(maxima, `[[`, 0, "logLik")
top <- maxima[[which.max(ll)]]
d_def <- ham()
d_tight <- ham(control = ctl)
d_top <- ham(control = c(ctl, list(initPsi = top$Psi)))
fx$quad_ml_hamling <- list(
  brute_resid = max(abs(unlist(lapply(bf, `[[`, "resid")))),
  brute_max = list(logLik = top$logLik, beta = top$beta, Psi = top$Psi,
                   cor = stats::cov2cor(top$Psi)[1, 2]),
  brute_maxima = sort(unique(round(ll, 6)), decreasing = TRUE),
  dosresmeta = pt(d_def), dosresmeta_tight = pt(d_tight),
  dosresmeta_from_max = pt(d_top))
if (requireNamespace("nutrievidence", quietly = TRUE)) {
  ours <- nutrievidence::dose_response(logrr ~ dose, id = id, type = type,
    cases = cases, n = n, se = se, data = d, shape = "quadratic",
    method = "ML", covariance = "hamling")
  fx$quad_ml_hamling$nutrievidence <- c(out1(ours),
    brute_logLik = dose_brute_loglik(unname(coef(ours)), unname(ours$Psi), bf),
    version = as.character(packageVersion("nutrievidence")))
}
str(fx$quad_ml_hamling)
fx$versions <- c(dosresmeta = as.character(packageVersion("dosresmeta")),
                 mixmeta = as.character(packageVersion("mixmeta")))
saveRDS(fx, "tests/testthat/fixtures/dose_boundary.rds", version = 2)
