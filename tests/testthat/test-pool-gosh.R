# gosh() against metafor::gosh() (fixtures) and brute force.

test_that("all subsets: metafor's estimates and heterogeneity", {
  for (f in resample_fx()$gosh) {
    g <- gosh(resample_fit(f))
    expect_true(g$exact)
    expect_equal(nrow(g$res), nrow(f$res), label = f$name)
    # metafor orders the subsets by size, then by bit mask
    o <- order(g$res$k, g$res$subset)
    r <- g$res[o, ]
    expect_identical(unname(gosh_membership(g)[o, ]), unname(f$incl))
    expect_equal(r$k, f$res$k)
    fitted <- !is.na(f$res$QE)
    expect_identical(!is.na(r$cochran.qe), fitted, label = f$name)
    cols <- c(cochran.qe = "QE", i.squared = "I2", h.squared = "H2",
              tau.squared = "tau2")
    # metafor's shortcut for DL (and FE) subsets reports H^2 = Q / (k - 1)
    # also when Q < k - 1, where its rma() (and pool()) give H^2 = 1
    h2_q <- f$method == "DL" & f$res$QE < f$res$k - 1
    for (nm in names(cols)) {
      use <- fitted & !(nm == "h.squared" & h2_q)
      expect_equal(r[[nm]][use], f$res[[cols[[nm]]]][use],
                   tolerance = 1e-7, label = paste(f$name, nm))
    }
    if (f$method == "DL")
      expect_equal(r$h.squared[fitted & h2_q], rep(1, sum(fitted & h2_q)))
    est <- if (ncol(f$X) == 1L) "estimate" else colnames(f$X)
    for (j in seq_along(est))
      expect_equal(r[fitted, 1L + j], f$res[[est[j]]][fitted],
                   tolerance = 1e-7, label = paste(f$name, est[j]))
  }
})

test_that("random subsets: each row is pool() on its subset", {
  f <- resample_fx()$gosh[[2]]
  fit <- resample_fit(f)
  set.seed(9)
  g <- gosh(fit, max_k = 4, subsets = 200, chunk_size = 64)
  expect_false(g$exact)
  expect_equal(nrow(g$res), 200)
  inc <- gosh_membership(g)
  expect_equal(rowSums(inc), g$res$k)
  for (i in c(1, 17, 64, 65, 200)) {
    s <- inc[i, ]
    p <- pool(f$yi[s], f$vi[s], method = f$method)
    expect_equal(g$res$estimate[i], unname(coef(p)), tolerance = 1e-10)
    expect_equal(g$res$tau.squared[i], p$tau2, tolerance = 1e-10)
    expect_equal(g$res$i.squared[i], p$I2, tolerance = 1e-10)
    expect_equal(g$res$cochran.qe[i], p$Q, tolerance = 1e-10)
  }
  set.seed(9)
  expect_identical(gosh(fit, max_k = 4, subsets = 200, chunk_size = 64), g)
  # more than 31 studies: membership spans two words
  set.seed(2)
  y <- rnorm(40, 0.2, 0.3); v <- runif(40, 0.01, 0.1)
  g <- gosh(pool(y, v, method = "DL"), subsets = 30)
  expect_equal(dim(g$words), c(30L, 2L))
  expect_null(g$res$subset)
  s <- gosh_membership(g)[5, ]
  expect_equal(g$res$estimate[5], unname(coef(pool(y[s], v[s], method = "DL"))),
               tolerance = 1e-10)
})

test_that("threads and chunks do not change an exact analysis", {
  fit <- resample_fit(resample_fx()$gosh[[1]])
  a <- gosh(fit)
  b <- gosh(fit, threads = 2L, chunk_size = 10)
  expect_identical(a, b)
})

test_that("influence: shifts by brute force, a planted outlier is flagged", {
  set.seed(5)
  v <- runif(10, 0.01, 0.05)
  y <- rnorm(10, 0.2, sqrt(v))
  y[4] <- 2.5
  g <- gosh(pool(y, v))
  inc <- gosh_membership(g)
  e <- g$res$estimate
  shift <- vapply(1:10, function(j) mean(e[inc[, j]]) - mean(e[!inc[, j]]), 0)
  expect_equal(g$influence$estimate.shift, shift, tolerance = 1e-12)
  expect_equal(g$influence$subsets, rep(2^9, 10))
  expect_identical(g$influence$flagged, seq_len(10) == 4)
  expect_output(print(g), "Influential \\(flagged\\): 4")
})

test_that("plots", {
  g <- gosh(resample_fit(resample_fx()$gosh[[1]]))
  pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_identical(plot(g), g)
  expect_identical(plot(g, het = "tau.squared", highlight = 2), g)
  skip_if_not_installed("hexbin")
  expect_identical(plot(g, type = "hexbin"), g)
})
