# Properties of pool() and pool_batch() that hold for any data.

test_that("scale invariance: y * c and v * c^2 scale the fit", {
  nev_for_all(d = gen_studies(), e = quickcheck::integer_bounded(-40L, 40L,
                                                                  len = 1L),
              c = quickcheck::double_bounded(0.01, 100, len = 1L),
              property = function(d, e, c) {
    for (m in c("REML", "PM")) {
      ref <- fit_numbers(pool(d$y, d$v, method = m))
      # a power of two scales exactly; any other factor up to rounding
      for (s in c(2^e, c)) {
        got <- fit_numbers(pool(d$y * s, d$v * s^2, method = m))
        expect_equal(got, ref * c(s, s, s^2), tolerance = 1e-7,
                     label = paste(m, "scaled by", s))
      }
    }
  })
})

test_that("the order of the studies does not matter", {
  nev_for_all(d = gen_studies(), property = function(d) {
    for (m in c("REML", "SJ")) {
      ref <- fit_numbers(pool(d$y, d$v, method = m))
      o <- order(d$y, d$v)
      expect_equal(fit_numbers(pool(d$y[o], d$v[o], method = m)), ref,
                   tolerance = 1e-9, label = paste(m, "sorted"))
      expect_equal(fit_numbers(pool(rev(d$y), rev(d$v), method = m)), ref,
                   tolerance = 1e-9, label = paste(m, "reversed"))
    }
  })
})

test_that("duplicating the data halves the common-effect variance", {
  nev_for_all(d = gen_studies(), property = function(d) {
    f1 <- fit_numbers(pool(d$y, d$v, method = "FE"))
    f2 <- fit_numbers(pool(c(d$y, d$y), c(d$v, d$v), method = "FE"))
    expect_equal(f2[["estimate"]], f1[["estimate"]], tolerance = 1e-12)
    expect_equal(f2[["std.error"]], f1[["std.error"]] / sqrt(2),
                 tolerance = 1e-12)
  })
})

test_that("a study with an astronomically large variance adds nothing", {
  nev_for_all(d = gen_studies(),
              y0 = quickcheck::double_bounded(-1e3, 1e3, len = 1L),
              e = quickcheck::integer_bounded(20L, 300L, len = 1L),
              property = function(d, y0, e) {
    for (m in c("REML", "ML", "FE")) {
      ref <- fit_numbers(pool(d$y, d$v, method = m))
      got <- fit_numbers(pool(c(d$y, y0), c(d$v, 10^e), method = m))
      expect_equal(got, ref, tolerance = 1e-7,
                   label = paste(m, "with a study of variance 1e", e))
    }
  })
})

test_that("pool_batch() equals a loop of pool() over the groups", {
  nev_for_all(d = quickcheck::equal_length(
                y = quickcheck::double_bounded(-3, 3),
                v = quickcheck::double_bounded(0.001, 1),
                g = quickcheck::integer_bounded(1L, 4L), len = c(2L, 30L)),
              property = function(d) {
    b <- pool_batch(d$y, d$v, d$g)
    one <- b$k == 1L
    # a single study is returned as itself
    expect_equal(b$estimate[one], d$y[match(b$group[one], d$g)])
    for (i in which(!one)) {
      rows <- d$g == b$group[i]
      f <- fit_numbers(pool(d$y[rows], d$v[rows]))
      expect_equal(c(b$estimate[i], b$std.error[i], b$tau2[i]), unname(f),
                   tolerance = 1e-10, label = paste("group", b$group[i]))
    }
  })
})
