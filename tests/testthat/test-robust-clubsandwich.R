# Cluster-robust inference: agreement with clubSandwich (vcovCR, coef_test
# with Satterthwaite df, Wald_test HTZ) on the fixture fits.

fx <- ml3_fixture()

# The robust computation on exactly the fixture's fit (its variance
# components and coefficients), so that only the sandwich code is compared.
robust_on_fixture <- function(cs, type, C = NULL) {
  X <- cs$X
  f <- droplevels(as.factor(cs$cluster))
  o <- order(as.integer(f))
  s <- list(X = X[o, , drop = FALSE],
            e = (cs$yi - drop(X %*% cs$beta))[o], vi = cs$vi[o],
            start = c(0L, cumsum(tabulate(as.integer(f)))),
            rho = cs$rho %||% 0,
            sigma2 = if (is.null(cs$sigma2)) c(0, cs$tau2) else cs$sigma2,
            m = nlevels(f))
  nutrievidence:::robust_call(s, type, C)
}

for (cs in c(fx$ml3, fx$uni)) {
  test_that(paste("CR0/CR1/CR2 equal clubSandwich on the same fit:",
                  cs$name), {
    p <- ncol(cs$X)
    for (ty in c("CR0", "CR1", "CR2")) {
      ref <- cs$robust[[ty]]
      r <- robust_on_fixture(cs, ty)
      expect_lt(ml3_rel(r$vcov, ref$vcov, 1e-300), 1e-8, label = ty)
      expect_lt(ml3_rel(r$df, ref$df), 1e-8, label = ty)
      if (p > 1L) {
        C <- diag(p)[-1, , drop = FALSE]
        r <- robust_on_fixture(cs, ty, C)
        expect_lt(ml3_rel(r$nu - nrow(C) + 1, ref$htz[["df2"]]), 1e-8,
                  label = ty)
      }
    }
  })
}

for (cs in fx$ml3) {
  test_that(paste("vcov(type), tidy(vcov), robust_wald() of a fit:",
                  cs$name), {
    f <- ml3_fit_case(cs)
    for (ty in c("CR0", "CR1", "CR2")) {
      ref <- cs$robust[[ty]]
      expect_lt(ml3_rel(vcov(f, type = ty), ref$vcov, 1e-300), 1e-6)
      tt <- tidy(f, vcov = ty)
      expect_lt(ml3_rel(tt$std.error, ref$se), 1e-6)
      expect_lt(ml3_rel(tt$df, ref$df), 1e-6)
      expect_lt(ml3_rel(tt$p.value, ref$p), 1e-5)
      if (!is.null(ref$htz)) {
        w <- robust_wald(f, type = ty)
        expect_lt(ml3_rel(c(w$statistic, w$df2, w$p.value), ref$htz), 1e-5)
      }
    }
  })
}

test_that("the model-based vcov() is unchanged by the robust methods", {
  f <- ml3_fit_case(fx$ml3[[3]])
  expect_identical(vcov(f), f$vcov)
  expect_identical(vcov(f, type = "model"), f$vcov)
  expect_identical(tidy(f), tidy(f, vcov = NULL))
})

test_that("robust_wald(): names, positions and a contrast matrix agree", {
  cs <- fx$ml3[[which(vapply(fx$ml3, function(z) z$name ==
                                "assink2016 deltype", TRUE))]]
  f <- ml3_fit_case(cs)
  a <- robust_wald(f)
  b <- robust_wald(f, c("deltypegeneral", "deltypeovert"))
  d <- robust_wald(f, 2:3)
  e <- robust_wald(f, rbind(c(0, 1, 0), c(0, 0, 1)))
  expect_equal(a, b)
  expect_equal(a, d)
  expect_equal(a, e)
  expect_equal(a$df1, 2)
  # one coefficient: the HTZ test is the squared Satterthwaite t test
  one <- robust_wald(f, "deltypeovert")
  tt <- tidy(f, vcov = "CR2")
  expect_equal(one$statistic, tt$statistic[3]^2, tolerance = 1e-10)
  expect_equal(one$df2, tt$df[3], tolerance = 1e-10)
})

for (cs in fx$uni) {
  test_that(paste("pool() fits with clustered rows:", cs$name), {
    mods <- if (ncol(cs$X) > 1L) cs$X[, -1L, drop = FALSE] else NULL
    f <- if (is.null(mods)) pool(cs$yi, cs$vi, method = cs$method)
         else pool(cs$yi, cs$vi, method = cs$method, mods = mods)
    expect_lt(ml3_rel(coef(f), cs$beta), 1e-8)
    for (ty in c("CR0", "CR1", "CR2")) {
      ref <- cs$robust[[ty]]
      v <- vcov(f, type = ty, cluster = cs$cluster)
      expect_lt(ml3_rel(v, ref$vcov, 1e-300), 1e-7)
      tt <- tidy(f, vcov = ty, cluster = cs$cluster)
      expect_lt(ml3_rel(tt$df, ref$df), 1e-7)
      expect_lt(ml3_rel(tt$p.value, ref$p), 1e-6)
      if (!is.null(ref$htz)) {
        w <- robust_wald(f, type = ty, cluster = cs$cluster)
        expect_lt(ml3_rel(c(w$statistic, w$df2, w$p.value), ref$htz), 1e-6)
      }
    }
    expect_identical(vcov(f), f$vcov)
  })
}
