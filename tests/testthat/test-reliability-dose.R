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
