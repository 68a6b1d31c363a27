# The nev_fit base class: every family's methods through one contract, and
# the numbers behind it against independent fits.

bcg_yi <- c(-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209,
            0.0120, -0.4694, -1.3713, -0.3394, 0.4459, -0.0173)
bcg_vi <- c(0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230, 0.0040,
            0.0564, 0.0730, 0.0124, 0.5325, 0.0714)
bcg_lat <- c(44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33)
bcg_alloc <- c("random", "random", "random", "random", "other", "other",
               "random", "random", "random", "other", "other", "other",
               "other")

test_that("pool families keep the contract", {
  fits <- list(
    reml = pool(bcg_yi, bcg_vi),
    ml_hksj = pool(bcg_yi, bcg_vi, method = "ML", test = "hksj"),
    adhoc = pool(bcg_yi, bcg_vi, method = "DL", test = "hksj",
                 hksj_adhoc = TRUE),
    fe = pool(bcg_yi, bcg_vi, method = "FE"),
    metareg = pool(bcg_yi, bcg_vi, mods = ~ bcg_lat),
    metareg_hksj = pool(bcg_yi, bcg_vi, mods = ~ bcg_lat, test = "hksj"),
    subgroup = pool(bcg_yi, bcg_vi, subgroup = bcg_alloc),
    trimfill = trim_fill(pool(bcg_yi, bcg_vi)),
    mh = pool_counts(c(4, 6, 3, 62, 33), c(123, 306, 231, 13598, 5069),
                     c(11, 29, 11, 248, 47), c(139, 303, 220, 12867, 5808)))
  for (nm in names(fits)) expect_fit_contract(fits[[nm]], nm)
})

test_that("pool: nobs and logLik follow metafor (k - p under REML)", {
  f <- pool(bcg_yi, bcg_vi, mods = ~ bcg_lat)
  expect_equal(nobs(f), 11L)
  expect_equal(attr(logLik(f), "df"), 3)
  expect_equal(nobs(pool(bcg_yi, bcg_vi, method = "DL")), 13L)
})

test_that("confint() at another level equals a fit at that level", {
  for (te in c("z", "hksj")) {
    f <- pool(bcg_yi, bcg_vi, test = te)
    f90 <- pool(bcg_yi, bcg_vi, test = te, level = 0.9)
    expect_equal(unname(confint(f, level = 0.9)[1, ]),
                 c(f90$coef_table$conf.low, f90$coef_table$conf.high),
                 tolerance = 1e-12)
    expect_equal(f90$coef_table$p.value, f$coef_table$p.value)
  }
})

test_that("subgroup tidy() with hksj uses t(k_g - 1) at any conf.level", {
  # each subgroup row equals pool() on that subgroup at that level
  for (common in c(FALSE, TRUE)) {
    s <- pool(bcg_yi, bcg_vi, subgroup = bcg_alloc, test = "hksj",
              tau2_common = common)
    td <- tidy(s, conf.level = 0.8)
    for (g in c("other", "random")) {
      i <- bcg_alloc == g
      ref <- if (common) NULL else
        pool(bcg_yi[i], bcg_vi[i], test = "hksj", level = 0.8)
      row <- td[td$group == g, ]
      if (!common) {
        expect_equal(row$conf.low, ref$coef_table$conf.low, tolerance = 1e-12)
        expect_equal(row$conf.high, ref$coef_table$conf.high,
                     tolerance = 1e-12)
      } else {
        half <- qt(0.9, 13 - 2) * row$std.error
        expect_equal(row$conf.high - row$estimate, half, tolerance = 1e-12)
      }
    }
  }
})

test_that("dose-response, curve and usual-intake fits keep the contract", {
  fx <- readRDS(test_path("fixtures", "dose_dosresmeta.rds"))
  alc <- fx$data$alcohol_cvd
  quad <- dose_response(logrr ~ dose, id = id, type = type, cases = cases,
                        n = n, se = se, data = alc, shape = "quadratic")
  one <- dose_response(logrr ~ dose, id = id, type = type, cases = cases,
                       n = n, se = se, data = alc, shape = "quadratic",
                       stage = "one", method = "ML")
  expect_fit_contract(quad)
  expect_fit_contract(one)
  # one-stage ML: every non-referent log relative risk is an observation
  expect_equal(nobs(one), sum(!one$data$referent))
  d <- c(0, 0, 5, 5, 10, 10, 25, 25, 50, 50, 100, 100)
  y <- c(0.1, -0.2, 1.9, 2.3, 3.4, 3.1, 5.2, 4.8, 6.1, 6.0, 6.9, 6.6)
  cur <- dose_curve(d, y)
  expect_fit_contract(cur)
  # an estimated scale gives t intervals with the residual df
  expect_equal(cur$coef_table$conf.high - cur$coef_table$estimate,
               qt(0.975, 9) * cur$coef_table$std.error)
  set.seed(3)
  rec <- data.frame(id = rep(1:120, each = 2))
  rec$k2 <- exp(3 + rnorm(120, 0, 0.4)[rec$id] + rnorm(240, 0, 0.6))
  us <- intake_usual(rec, id, k2, bootstrap = TRUE, B = 30)
  expect_fit_contract(us)
  # percentile intervals and bootstrap standard errors of the parameters
  bp <- us$reps$par[, names(coef(us))]
  expect_equal(unname(confint(us, level = 0.8)[, 1]),
               unname(apply(bp, 2, quantile, 0.1, na.rm = TRUE)))
  expect_equal(tidy(us)$std.error, unname(apply(bp, 2, sd, na.rm = TRUE)))
  plain <- intake_usual(rec, id, k2)
  expect_true(all(is.na(tidy(plain)$conf.low)))
  expect_error(confint(plain), "bootstrap = TRUE")
})
