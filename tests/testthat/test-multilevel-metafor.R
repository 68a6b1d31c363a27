# pool_multilevel(): agreement with metafor::rma.mv() at tight control on
# published multilevel data sets (fixtures by data-raw/fixtures_multilevel.R).

fx <- ml3_fixture()

for (cs in fx$ml3) {
  test_that(paste("pool_multilevel() matches rma.mv():", cs$name), {
    f <- ml3_fit_case(cs)
    expect_true(f$converged)
    expect_lt(ml3_rel(f$sigma2, cs$sigma2), 1e-6)
    expect_lt(ml3_rel(coef(f), cs$beta), 1e-6)
    expect_lt(ml3_rel(sqrt(diag(vcov(f))), cs$se), 1e-6)
    expect_lt(ml3_rel(vcov(f), cs$vb), 1e-6)
    expect_lt(ml3_rel(tidy(f)$p.value, cs$pval, 1e-12), 1e-5)
    # limits near 0: relative to the standard error
    expect_lt(max(abs(tidy(f)$conf.low - cs$ci_lb) / cs$se), 1e-6)
    expect_lt(max(abs(tidy(f)$conf.high - cs$ci_ub) / cs$se), 1e-6)
    # our maximum is at least as high as rma.mv's
    expect_gte(as.numeric(logLik(f)), cs$logLik - 1e-10)
    expect_lt(ml3_rel(as.numeric(logLik(f)), cs$logLik), 1e-9)
    expect_lt(ml3_rel(f$Q, cs$QE), 1e-10)
    expect_lt(ml3_rel(f$Q_p, cs$QEp, 1e-300), 1e-8)
    if (!is.na(cs$QM)) {
      expect_lt(ml3_rel(f$QM, cs$QM), 1e-6)
      expect_lt(ml3_rel(f$QM_p, cs$QMp), 1e-6)
    }
    if (!is.null(cs$pi)) expect_lt(ml3_rel(c(f$pi.low, f$pi.high), cs$pi), 1e-6)
  })
}

test_that("profile-likelihood intervals of sigma2 match confint.rma.mv()", {
  for (cs in fx$ml3[c(1, 2, 4, 5, 8)]) {
    f <- ml3_fit_case(cs)
    ci <- confint(f, parm = c("sigma2.1", "sigma2.2"))
    ok <- !is.na(cs$sigma2_ci)  # bounds rma.mv did not find
    expect_lt(ml3_rel(ci[ok], cs$sigma2_ci[ok]), 1e-6, label = cs$name)
  }
})

test_that("variance components on the boundary agree in absolute terms", {
  cs <- fx$ml3[[which(vapply(fx$ml3, function(z) grepl("kalaian", z$name),
                             TRUE))]]
  f <- ml3_fit_case(cs)
  expect_true(all(cs$sigma2 < 1e-8))
  expect_lt(max(abs(f$sigma2 - cs$sigma2)), 1e-8)
  ci <- confint(f, parm = "sigma2.1")
  expect_equal(ci[1, 1], 0)
})
