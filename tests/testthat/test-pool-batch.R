# pool_batch() equals a loop of pool(); the C core with a design matrix
# against metafor meta-regression; the core's error branches.

test_that("pool_batch() equals a loop of pool() on random data", {
  set.seed(20261121)
  G <- 40
  k <- sample(1:12, G, replace = TRUE)
  g <- rep(sample(seq_len(G) * 3L), k)           # unsorted group ids
  v <- runif(length(g), 0.005, 0.2)
  y <- rnorm(length(g), 0.3, sqrt(v + rexp(length(g), 20)))
  for (me in c("REML", "DL", "PM", "ML", "FE", "SJ")) for (te in c("z", "hksj")) {
    b <- suppressMessages(pool_batch(y, v, g, method = me, test = te,
                                     threads = 2L))
    expect_equal(b$group, sort(unique(g)))
    ref <- t(vapply(b$group, function(gr) {
      s <- g == gr
      f <- suppressMessages(pool(y[s], v[s], method = me, test = te))
      unlist(c(tidy(f)[c("estimate", "std.error", "conf.low", "conf.high",
                         "p.value")], f$tau2, f$I2, f$Q, sum(s)))
    }, numeric(9)))
    got <- cbind(b$estimate, b$std.error, b$conf.low, b$conf.high, b$p.value,
                 b$tau2, b$I2, b$Q, b$k)
    expect_equal(got, unname(ref), tolerance = 1e-12, label = paste(me, te))
    expect_equal(b$single_study, b$k == 1L)
  }
  b1 <- pool_batch(y, v, g, threads = 1L)
  b2 <- pool_batch(y, v, g, threads = 2L)
  expect_identical(b1, b2)
})

test_that("pool_batch() input errors", {
  expect_error(pool_batch(1:3 + 0, c(1, 1, 1), 1:2), "`group` must have")
  expect_error(pool_batch(c(1, 2), c(1, -1), c(1, 1)), "`vi` must be positive.*row 2")
  expect_error(pool_batch(c(1, 2), c(1, 1), c(1, 1), threads = 0), "`threads`")
  expect_error(pool_batch(c(1, 2), c(1, 1), c(1, 1), method = c("DL", "REML")),
               "single estimator")
  expect_warning(b <- pool_batch(c(1, 2, NA), c(1, 1, 1), c(1, 1, 2)), "row 3")
  expect_equal(nrow(b), 1L)
  d <- data.frame(y = c(1, 2, 3), v = c(1, 1, 1), g = factor(c("b", "a", "b")))
  b <- pool_batch(y, v, g, data = d)
  expect_equal(as.character(b$group), c("a", "b"))
  expect_true(b$single_study[1])
  expect_equal(b$estimate[1], 2)
})

fx <- readRDS(test_path("fixtures", "pool_metafor.rds"))
codes <- c(FE = 0L, DL = 1L, REML = 2L, ML = 3L, PM = 4L, EB = 5L, HE = 6L,
           HS = 7L, SJ = 8L, DL2 = 9L)
fit_c <- function(y, v, X, method, test = 0L, maxiter = 1000L, level = 0.95)
  .Call(nutrievidence:::C_pool_fit, y, v, X, codes[[method]], test, FALSE,
        level, 1e-12, maxiter, NULL)

test_that("core with a design matrix matches metafor meta-regression", {
  for (cs in fx$mreg) {
    r <- fit_c(cs$yi, cs$vi, cs$X, cs$method)
    expect_equal(r$beta, cs$beta, tolerance = 1e-8, label = cs$method)
    expect_equal(r$se, cs$se, tolerance = 1e-8, label = cs$method)
    expect_equal(r$tau2, cs$tau2, tolerance = 1e-8, label = cs$method)
    if (cs$method != "FE")
      expect_equal(r$se_tau2, cs$se_tau2, tolerance = 1e-7, label = cs$method)
    expect_equal(r$QE, cs$QE, tolerance = 1e-10, label = cs$method)
    expect_equal(r$ll_reml, cs$ll_reml, tolerance = 1e-10, label = cs$method)
    expect_equal(r$ll_ml, cs$ll_ml, tolerance = 1e-10, label = cs$method)
  }
})

test_that("REML with the Brent fallback gives the same root", {
  cs <- fx$cases[[1]]
  a <- fit_c(cs$yi, cs$vi, NULL, "REML")
  b <- fit_c(cs$yi, cs$vi, NULL, "REML", maxiter = 1L)
  expect_true(b$fallback)
  expect_true(b$converged)
  expect_equal(b$tau2, a$tau2, tolerance = 1e-11)
  for (me in c("ML", "PM")) {
    a <- fit_c(cs$yi, cs$vi, NULL, me)
    b <- fit_c(cs$yi, cs$vi, NULL, me, maxiter = 1L)
    expect_equal(b$tau2, a$tau2, tolerance = 1e-11)
  }
})

test_that("the core checks its own preconditions", {
  X2 <- cbind(1, c(1, 2, 3), c(2, 4, 6))
  expect_error(fit_c(c(1, 2, 3), c(1, 1, 1), X2, "REML"), "singular")
  expect_error(fit_c(c(1, 2), c(1, -1), NULL, "REML"), "outside its domain")
  expect_error(fit_c(c(1, NaN), c(1, 1), NULL, "DL"), "outside its domain")
  expect_error(fit_c(numeric(0), numeric(0), NULL, "DL"), "no usable data")
  expect_error(fit_c(c(1, 2), c(1, 1), NULL, "DL", level = 1.5),
               "invalid argument")
  expect_error(.Call(nutrievidence:::C_pool_fit, c(1, 2), c(1, 1), NULL, 99L,
                     0L, FALSE, 0.95, 1e-12, 10L, NULL), "invalid argument")
  expect_error(fit_c(c(1, 2), c(1, 1), matrix(1, 2, 3), "DL"),
               "invalid argument")
  expect_error(fit_c(c(1, 2), c(1, 1), matrix(c(1, Inf), 2, 1), "DL"),
               "outside its domain")
  expect_error(fit_c(c(1, 2), c(1, 1), matrix(1, 3, 1), "DL"), "`X` must have")
  expect_error(fit_c(c(1, 2), c(1, 1), "a", "DL"), "`X` must be")
  expect_error(.Call(nutrievidence:::C_pool_qprofile, 1, 1, NULL, 0.95, 1e-12),
               "invalid argument")
  expect_error(.Call(nutrievidence:::C_pool_batch, c(1, 2), c(1, 1),
                     c(0L, 3L), 2L, 0L, FALSE, 0.95, 1e-12, 10L, 1L),
               "`start` must run")
  expect_error(.Call(nutrievidence:::C_pool_batch, c(1, 2), c(1, 1),
                     c(0L, 0L, 2L), 2L, 0L, FALSE, 0.95, 1e-12, 10L, 1L),
               "strictly increasing")
  expect_error(.Call(nutrievidence:::C_pool_batch, c(1, 2), c(1, -1),
                     c(0L, 2L), 2L, 0L, FALSE, 0.95, 1e-12, 10L, 1L),
               "group 1")
  expect_error(.Call(nutrievidence:::C_pool_counts, c(1, 2), c(1, 10), 1,
                     c(10, 10), 0L, 0L), "`ci` must have length")
  expect_error(.Call(nutrievidence:::C_pool_counts, c(3, 2), c(1, 10),
                     c(1, 1), c(10, 10), 0L, 0L), "outside its domain")
  code <- nutrievidence:::nev_enum
  expect_error(.Call(nutrievidence:::C_pool_counts, 1, 10, 1, 10,
                     code("counts_measure", "RR"),
                     code("pool_counts_method", "Peto")), "invalid argument")
  expect_error(.Call(nutrievidence:::C_pool_counts, numeric(0), numeric(0),
                     numeric(0), numeric(0), 0L, 0L), "undefined")
})

test_that("iterative estimators solve their estimating equations on hard data", {
  set.seed(7)
  G <- 300
  k <- sample(2:30, G, replace = TRUE)
  g <- rep(seq_len(G), k)
  n <- length(g)
  # sampling variances spanning 6 orders of magnitude, tau2 from 0 to 100
  v <- 10^runif(n, -4, 2)
  t2 <- rep(sample(c(0, 10^runif(G - 1, -4, 2))), k)
  y <- rnorm(n, 0, sqrt(v + t2))
  ee <- function(yy, vv, t, method) {
    w <- 1 / (vv + t)
    P <- diag(w, length(w)) - tcrossprod(w) / sum(w)
    Py <- P %*% yy
    switch(method,
           REML = c(sum(Py^2), sum(diag(P))),
           ML = c(sum(Py^2), sum(w)),
           PM = c(sum(yy * Py), length(yy) - 1))
  }
  for (me in c("REML", "ML", "PM")) {
    b <- suppressMessages(pool_batch(y, v, g, method = me))
    expect_true(all(b$converged))
    res <- vapply(seq_len(G), function(j) {
      s <- g == j
      if (sum(s) < 2) return(0)
      e <- ee(y[s], v[s], b$tau2[j], me)
      if (b$tau2[j] == 0) {
        # boundary: the estimating function is not positive at 0
        as.numeric(e[1] - e[2] > 1e-10 * e[2])
      } else abs(e[1] - e[2]) / e[2]
    }, 0)
    expect_lt(max(res), 1e-9, label = me)
  }
})

test_that("the core accepts a fixed tau2", {
  y <- c(0.1, 0.5, -0.2, 0.9); v <- c(0.04, 0.05, 0.03, 0.1)
  r <- nutrievidence:::pool_fit_c(y, v, NULL,
                                  nutrievidence:::pool_method_code("REML"),
                                  0L, FALSE, 0.95, pool_control(), tau2 = 0.2)
  w <- 1 / (v + 0.2)
  expect_equal(r$tau2, 0.2)
  expect_equal(r$beta, sum(w * y) / sum(w))
  expect_equal(r$se, sqrt(1 / sum(w)))
  expect_true(is.nan(r$se_tau2))
})
