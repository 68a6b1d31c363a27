# dose_response(method = "ML") next to the edge of the parameter space:
# dosresmeta's alcohol_esoph, whose between-study correlation is about
# -0.9996 (fixture: data-raw/fixtures_dose_boundary.R).
fxb <- readRDS(test_path("fixtures", "dose_boundary.rds"))

boundary_fit <- function(shape, covariance = "gl") {
  dose_response(logrr ~ dose, id = id, type = type, cases = cases, n = n,
                se = se, data = fxb$data, shape = shape, knots = fxb$knots,
                method = "ML", covariance = covariance)
}

test_that("ML spline fit reaches the interior maximum, not correlation -1", {
  f <- boundary_fit("spline")
  ref <- fxb$spline_ml
  # at least dosresmeta's likelihood (the old fit stopped at -1 with 34.46692)
  expect_gte(as.numeric(logLik(f)), ref$logLik - 1e-6)
  expect_true(f$converged)
  expect_equal(unname(coef(f)), ref$coef, tolerance = 1e-4)
  expect_equal(unname(f$Psi), ref$Psi, tolerance = 1e-3)
  rho <- stats::cov2cor(f$Psi)[1, 2]
  expect_gt(rho, -1 + 1e-6)
  expect_equal(rho, ref$cor, tolerance = 1e-4)
})

test_that("ML quadratic fit agrees with dosresmeta", {
  f <- boundary_fit("quadratic")
  ref <- fxb$quad_ml
  expect_equal(as.numeric(logLik(f)), ref$logLik, tolerance = 1e-7)
  expect_equal(unname(coef(f)), ref$coef, tolerance = 1e-5)
})

test_that("Hamling covariances: the edge restarts never lower the likelihood", {
  # the fit from the default start alone stopped at a correlation of -1
  # (logLik 35.13813); the interior maximum is higher
  f <- boundary_fit("spline", "hamling")
  expect_gt(as.numeric(logLik(f)), 35.1739)
  expect_gt(stats::cov2cor(f$Psi)[1, 2], -1 + 1e-6)
  expect_true(f$converged)
})

test_that("quadratic/Hamling/ML: the higher of two maxima of the likelihood", {
  f <- boundary_fit("quadratic", "hamling")
  q <- fxb$quad_ml_hamling
  bf <- dose_brute_quadratic(fxb$data)
  expect_lt(max(abs(unlist(lapply(bf, `[[`, "resid")))), 1e-10)
  # the same Hamling covariances as the brute-force pseudo-counts
  for (i in seq_along(bf))
    expect_equal(unname(f$S[[i]]), bf[[i]]$S, tolerance = 1e-10)
  # the reported logLik is the brute-force likelihood at the estimate ...
  ll <- as.numeric(logLik(f))
  expect_equal(ll, dose_brute_loglik(unname(coef(f)), unname(f$Psi), bf),
               tolerance = 1e-10)
  # ... and its maximum over 24 starts (data-raw/fixtures_dose_boundary.R)
  expect_equal(ll, q$brute_max$logLik, tolerance = 1e-9)
  expect_equal(unname(coef(f)), q$brute_max$beta, tolerance = 1e-6)
  expect_equal(unname(f$Psi), q$brute_max$Psi, tolerance = 1e-5)
  expect_true(f$converged)
  # dosresmeta's estimate is the other, lower local maximum (115.6227): the
  # same likelihood there, also with tight tolerances; started from the
  # brute-force maximum, dosresmeta stays at ours
  expect_equal(q$brute_maxima, c(119.004718, 115.622775))
  for (r in q[c("dosresmeta", "dosresmeta_tight")]) {
    at <- dose_brute_loglik(r$coef, r$Psi, bf)
    expect_equal(at, r$logLik, tolerance = 1e-6)  # its S solved to ~1e-4
    expect_lt(at, ll - 3.38)
  }
  expect_equal(q$dosresmeta_from_max$logLik, ll, tolerance = 1e-6)
  expect_equal(q$dosresmeta_from_max$coef, unname(coef(f)), tolerance = 1e-4)
})
