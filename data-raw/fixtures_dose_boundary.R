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
fx$versions <- c(dosresmeta = as.character(packageVersion("dosresmeta")),
                 mixmeta = as.character(packageVersion("mixmeta")))
saveRDS(fx, "tests/testthat/fixtures/dose_boundary.rds", version = 2)
