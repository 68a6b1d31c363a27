# permutation_test() against metafor::permutest() (fixtures) and a
# brute-force R version.

test_that("exact tests give metafor's p-values and distributions", {
  for (f in resample_fx()$perm[1:4]) {
    pt <- permutation_test(resample_fit(f), exact = f$exact)
    expect_true(pt$exact, label = f$name)
    expect_equal(pt$n_exact, f$n_exact, label = f$name)
    expect_identical(pt$table$p.value.perm, as.vector(f$pval),
                     label = f$name)
    expect_identical(pt$QM_p, f$QMp, label = f$name)
    expect_equal(pt$table$statistic, f$zval, tolerance = 1e-8)
    expect_equal(pt$QM, f$QM, tolerance = 1e-8)
    # distributions: same order for sign flips; as sets for permutations
    if (ncol(f$X) == 1L) {
      expect_equal(unname(pt$dist$statistic), unname(f$zval_perm),
                   tolerance = 1e-8)
      expect_equal(unname(pt$dist$estimate), unname(f$beta_perm),
                   tolerance = 1e-8)
    } else {
      # as sets; metafor's single-start ML iteration stops at a lower
      # local maximum in a few permuted data sets (pool() takes the
      # global one), so allow 1% of the values to differ
      near <- function(a, b) {   # a value of b within 1e-6 of each of a
        b <- sort(b)
        i <- findInterval(a, b)
        d <- pmin(abs(a - b[pmax(i, 1L)]), abs(a - b[pmin(i + 1L, length(b))]))
        d <= 1e-6 * pmax(1, abs(a))
      }
      expect_gte(mean(near(pt$dist$QM, f$QM_perm)), 0.99)
      for (j in seq_len(ncol(f$X)))
        expect_gte(mean(near(pt$dist$statistic[, j], f$zval_perm[, j])),
                   0.99)
    }
  }
})

test_that("Monte Carlo tests agree with metafor within Monte Carlo error", {
  for (f in resample_fx()$perm[5:6]) {
    set.seed(42)
    pt <- permutation_test(resample_fit(f), iter = f$iter)
    expect_false(pt$exact)
    expect_equal(pt$iter, f$iter)
    p <- c(pt$table$p.value.perm, pt$QM_p)
    q <- c(f$pval, f$QMp)
    se <- sqrt(pmax(q * (1 - q), 0.01 * 0.99) / f$iter)
    # two independent estimates: the difference has sd sqrt(2) se
    expect_true(all(abs(p - q) <= 4 * sqrt(2) * se), label = f$name)
  }
})

# The Monte Carlo test by hand: the streams of the chunks, sample() for
# the permutations, pool() for each refit.
brute_perm <- function(yi, vi, x, iter, chunk, seed) {
  fit0 <- if (is.null(x)) pool(yi, vi) else pool(yi, vi, mods = ~ x)
  n <- iter - 1
  ch <- nutrievidence:::nev_chunks(n, chunk)
  set.seed(seed)
  seeds <- nutrievidence:::nev_chunk_seeds(length(ch))
  old <- .Random.seed
  z <- fit0$coef_table$statistic
  for (i in seq_along(ch)) {
    assign(".Random.seed", seeds[[i]], envir = globalenv())
    for (r in ch[[i]][1]:ch[[i]][2]) {
      f <- if (is.null(x)) pool(sample(c(-1, 1), length(yi), TRUE) * yi, vi)
           else pool(yi, vi, mods = ~ x[sample(length(yi))])
      z <- rbind(z, f$coef_table$statistic)
    }
  }
  assign(".Random.seed", old, envir = globalenv())
  list(fit = fit0, z = z)
}

test_that("the Monte Carlo test equals a brute-force version draw by draw", {
  d <- resample_fx()$perm[[5]]
  b <- brute_perm(d$yi, d$vi, NULL, 60, 25, 7)
  set.seed(7)
  pt <- permutation_test(b$fit, iter = 60, chunk_size = 25)
  expect_equal(unname(pt$dist$statistic), unname(b$z), tolerance = 1e-10)
  x <- seq_along(d$yi) %% 4
  b <- brute_perm(d$yi, d$vi, x, 40, 16, 8)
  set.seed(8)
  pt <- permutation_test(b$fit, iter = 40, chunk_size = 16)
  expect_equal(unname(pt$dist$statistic), unname(b$z), tolerance = 1e-10)
})

test_that("threads and chunks do not change the result", {
  f <- resample_fx()$perm[[6]]
  fit <- resample_fit(f)
  set.seed(3)
  a <- permutation_test(fit, iter = 300, threads = 1L)
  set.seed(3)
  b <- permutation_test(fit, iter = 300, threads = 2L)
  expect_identical(a, b)
  f <- resample_fx()$perm[[4]]
  a <- permutation_test(resample_fit(f), exact = TRUE, chunk_size = 100)
  b <- permutation_test(resample_fit(f), exact = TRUE, chunk_size = 5000,
                        threads = 2L)
  expect_identical(a, b)
})

test_that("too many permutations for an exact test fall back with a message", {
  f <- resample_fx()$perm[[5]]
  set.seed(1)
  expect_message(pt <- permutation_test(resample_fit(f), exact = TRUE,
                                        max_exact = 1000, iter = 50),
                 "`max_exact` = 1,000")
  expect_false(pt$exact)
  expect_equal(pt$iter, 50)
})

test_that("print, tidy and plot", {
  f <- resample_fx()$perm[[3]]
  pt <- permutation_test(resample_fit(f))
  expect_output(print(pt), "Exact permutation test \\(360 permutations")
  td <- tidy(pt)
  expect_named(td, c("term", "estimate", "std.error", "statistic", "p.value",
                     "p.value.perm"))
  expect_equal(td$p.value.perm, as.vector(f$pval))
  pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_identical(plot(pt, term = 2), pt)
  expect_identical(plot(pt, term = "QM"), pt)
  expect_error(plot(pt, term = "slope"), "`term` must be one of")
})
