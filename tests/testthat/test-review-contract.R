# The named contract across the C boundary: enum codes come from C, and
# results cross by name.

test_that("enum codes come from C, one table for every family", {
  en <- .Call(nutrievidence:::C_nev_enums)
  expect_true(all(c("pool_method", "pool_test", "counts_measure",
                    "means_measure", "dose_type", "dose_covariance",
                    "dose_method", "curve_shape", "intake_dist") %in%
                    names(en)))
  for (g in en) {
    expect_true(is.integer(g))
    expect_false(anyDuplicated(names(g)) > 0)
    expect_false(anyDuplicated(unname(g)) > 0)
  }
  # the 2x2 measures are one enum for effect_counts() and pool_counts()
  expect_equal(names(en$counts_measure), c("RR", "OR", "RD"))
  expect_equal(names(en$pool_method), nutrievidence:::.pool_methods)
  expect_error(nutrievidence:::nev_enum("pool_method", "XX"), "internal")
})

test_that("MH pooling of one table reproduces that table's estimate", {
  # the measure code reaches the core by name: RR, OR and RD differ
  est <- vapply(c("RR", "OR", "RD"), function(m)
    unname(coef(suppressMessages(pool_counts(10, 50, 20, 50,
                                             measure = m)))), 0)
  es <- vapply(c("RR", "OR", "RD"), function(m)
    effect_counts(10, 50, 20, 50, measure = m)$yi, 0)
  expect_equal(est, es, tolerance = 1e-12)
  expect_equal(unname(est), c(log(0.5), log((10 * 30) / (40 * 20)), -0.2),
               tolerance = 1e-12)
})

test_that("the glue's small results are named", {
  q <- .Call(nutrievidence:::C_pool_qprofile, c(0.1, 0.5, -0.2, 0.9),
             c(0.04, 0.05, 0.03, 0.1), NULL, 0.95, 1e-12)
  expect_named(q, c("conf.low", "conf.high", "status"))
  r <- .Call(nutrievidence:::C_pool_counts, c(4, 6), c(123, 306), c(11, 29),
             c(139, 303), 0L, 0L)
  expect_named(r, c("estimate", "std.error", "Q", "k"))
  fit <- .Call(nutrievidence:::C_pool_fit, c(0.1, 0.5, -0.2), c(0.04, 0.05,
             0.03), NULL, 2L, 0L, FALSE, 0.95, 1e-12, 100L, NULL)
  expect_false(is.null(names(fit)))
  expect_false(any(names(fit) == ""))
})
