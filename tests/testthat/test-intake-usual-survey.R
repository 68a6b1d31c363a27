# intake_usual(): replicate weights, foods plus supplements, shares against
# reference values, units, and the findings of issue 13.

usual_q <- function(dist, p)
  .Call(nutrievidence:::C_intake_wquantile, dist$u, dist$w, as.double(p))

sim_amount <- function(m, nd = 2, mu = 3, sb = 0.5, sw = 0.6, seed = 1) {
  set.seed(seed)
  u <- rnorm(m, 0, sb)
  d <- data.frame(id = rep(seq_len(m), each = nd), day = rep(seq_len(nd), m))
  d$y <- exp(mu + u[d$id] + rnorm(m * nd, 0, sw))
  d
}

# Replicate weights for m persons: R replicates, each person's weight
# times 1 + (1 - fay) or 1 - (1 - fay) by a random half-sample of pairs.
brr_weights <- function(m, R, fay = 0, seed = 2) {
  set.seed(seed)
  pair <- rep(seq_len(m / 2), each = 2)
  vapply(seq_len(R), function(r) {
    s <- sample(c(-1, 1), m / 2, replace = TRUE)[pair] * rep(c(1, -1), m / 2)
    1 + (1 - fay) * s
  }, numeric(m))
}

test_that("replicate SEs follow the BRR, Fay, JK1 and bootstrap formulas", {
  d <- sim_amount(200, seed = 3)
  W <- brr_weights(200, 8, fay = 0.5)
  fit <- intake_usual(d, id, y, repweights = W, rep_method = "BRR",
                      fay = 0.5, probs = c(0.1, 0.5, 0.9))
  # each replicate is the fit with that replicate's weights
  q <- t(vapply(1:8, function(r) {
    dr <- d; dr$w <- W[dr$id, r]
    unname(quantile(intake_usual(dr, id, y, weights = w), c(0.1, 0.5, 0.9)))
  }, numeric(3)))
  expect_equal(unname(fit$reps$q), q, tolerance = 1e-10)
  ctr <- sweep(q, 2, colMeans(q))
  se_brr <- sqrt(colSums(ctr^2) / (8 * 0.5^2))
  expect_equal(summary(fit, probs = c(0.1, 0.5, 0.9))$percentiles$std.error,
               se_brr, tolerance = 1e-10)
  # other probabilities and shares: recomputed from the replicates' fits
  s <- intake_share(fit, below = 15)
  sh <- vapply(1:8, function(r) {
    dr <- d; dr$w <- W[dr$id, r]
    intake_share(intake_usual(dr, id, y, weights = w), below = 15)$share
  }, 1)
  expect_equal(s$std.error, sqrt(sum((sh - mean(sh))^2) / (8 * 0.25)),
               tolerance = 1e-10)
  # the same replicates read as JK1 and as bootstrap: only the factor
  jk <- intake_usual(d, id, y, repweights = W, rep_method = "JK1",
                     probs = 0.5)
  expect_equal(summary(jk, probs = 0.5)$percentiles$std.error,
               sqrt(sum((q[, 2] - mean(q[, 2]))^2) * 7 / 8), tolerance = 1e-10)
  bt <- intake_usual(d, id, y, repweights = W, rep_method = "bootstrap",
                     probs = 0.5)
  expect_equal(summary(bt, probs = 0.5)$percentiles$std.error,
               sd(q[, 2]), tolerance = 1e-10)
  # replicate weights as columns of `data`, one row per recall
  d2 <- cbind(d, setNames(as.data.frame(W[d$id, ]), paste0("r", 1:8)))
  f2 <- intake_usual(d2, id, y, repweights = paste0("r", 1:8), fay = 0.5,
                     probs = c(0.1, 0.5, 0.9))
  expect_equal(f2$reps$q, fit$reps$q)
})

test_that("replicate SEs equal the design's closed form for a mean", {
  # lambda = 1, two recalls each: the median usual intake is 1 + beta, the
  # weighted mean of the persons' means, a linear statistic when every
  # replicate keeps each stratum's total weight. Then BRR with Fay's
  # factor on a balanced (Hadamard) set of half-samples gives exactly the
  # textbook variance of a stratified mean with two PSUs per stratum,
  # sum_h (Y_h1 - Y_h2)^2 / (4 H^2), and delete-one JK1 gives s^2 / n.
  H8 <- matrix(1, 1, 1)
  for (i in 1:3) H8 <- rbind(cbind(H8, H8), cbind(H8, -H8))
  H <- 7; per <- 10                       # 7 strata x 2 PSUs x 10 persons
  m <- 2 * H * per
  set.seed(8)
  psu <- rep(seq_len(2 * H), each = per)
  d <- data.frame(id = rep(seq_len(m), each = 2))
  d$y <- 40 + rnorm(2 * H, 0, 3)[psu[d$id]] + rnorm(m, 0, 4)[d$id] +
    rnorm(2 * m, 0, 5)
  fay <- 0.3
  delta <- H8[, -1]                       # columns sum to zero: R = 8
  W <- vapply(1:8, function(r) 1 + (1 - fay) * rep(delta[r, ], each = 2) *
                rep(c(1, -1), H), numeric(2 * H))[psu, ]
  fit <- intake_usual(d, id, y, lambda = 1, repweights = W,
                      rep_method = "BRR", fay = fay, probs = 0.5)
  pm <- tapply(d$y, d$id, mean)
  Y <- tapply(pm, psu, mean)
  expect_equal(unname(quantile(fit, 0.5)), mean(pm), tolerance = 1e-6)
  dh <- Y[seq(1, 2 * H, 2)] - Y[seq(2, 2 * H, 2)]
  expect_equal(summary(fit, probs = 0.5)$percentiles$std.error,
               sqrt(sum(dh^2) / (4 * H^2)), tolerance = 1e-5)
  # JK1 deleting one person at a time (weights n / (n - 1) for the others)
  n <- 30
  dj <- d[d$id <= n, ]
  Wj <- (1 - diag(n)) * n / (n - 1)
  jk <- intake_usual(dj, id, y, lambda = 1, repweights = Wj,
                     rep_method = "JK1", probs = 0.5)
  pj <- tapply(dj$y, dj$id, mean)
  expect_equal(summary(jk, probs = 0.5)$percentiles$std.error,
               sd(pj) / sqrt(n), tolerance = 1e-5)
})

test_that("replicate fits of the correlated model match separate fits", {
  d <- sim_nci(600, p2 = 0.7, seed = 51)
  W <- brr_weights(600, 4)
  fit <- intake_usual(d, id, y, repweights = W, probs = 0.5)
  for (r in 1:2) {
    dr <- d; dr$w <- W[dr$id, r]
    fr <- intake_usual(dr, id, y, weights = w)
    # replicate refits stop at 10 x tol (about 1e-4 relative in percentiles)
    expect_equal(unname(fit$reps$q[r, 1]), unname(quantile(fr, 0.5)),
                 tolerance = 1e-3)
    # rho's SE here is about 0.2: an absolute 0.005 is far below it
    expect_lt(abs(unname(fit$reps$par[r, "rho"]) - fr$rho), 0.005)
  }
  expect_true(all(is.finite(tidy(fit)$std.error)))
})

test_that("replicates run the same under a multisession plan", {
  skip_on_cran()
  skip_if_not_installed("future.apply")
  d <- sim_nci(300, p2 = 0.8, seed = 61)
  set.seed(7)
  seq_fit <- intake_usual(d, id, y, bootstrap = TRUE, B = 6, probs = 0.5)
  old <- future::plan(future::multisession, workers = 2)
  on.exit(future::plan(old), add = TRUE)
  set.seed(7)
  par_fit <- intake_usual(d, id, y, bootstrap = TRUE, B = 6, probs = 0.5)
  expect_identical(par_fit$reps$q, seq_fit$reps$q)
  expect_identical(par_fit$reps$par, seq_fit$reps$par)
})

test_that("foods plus supplements: total = food usual intake + user's dose", {
  d <- sim_amount(300, seed = 71)
  set.seed(8)
  dose <- ifelse(runif(300) < 0.3, sample(c(90, 180), 300, TRUE), 0)
  d$supp <- dose[d$id]
  fit <- intake_usual(d, id, y, supplement = supp)
  expect_equal(fit$supplement$share_users, mean(dose > 0))
  food <- fit$dist_food
  # without covariates every person has the same food distribution: the
  # total CDF is (1 - p) F(t) + p mean_users F(t - dose)
  Ff <- function(t) vapply(t, function(ti) sum(food$w[food$u < ti]), 1)
  for (t in c(20, 60, 120, 200)) {
    users <- dose[dose > 0]
    cdf <- mean(dose == 0) * Ff(t) + mean(dose > 0) * mean(Ff(t - users))
    expect_equal(intake_share(fit, below = t)$share, cdf, tolerance = 1e-10)
  }
  # the foods-only part is the food fit's distribution
  expect_equal(usual_q(fit$dist_food, c(0.1, 0.5, 0.9)),
               unname(quantile(intake_usual(d, id, y), c(0.1, 0.5, 0.9))),
               tolerance = 1e-12)
  expect_output(print(fit), "supplement users 32%")
  expect_error(intake_usual(transform(d, supp = -1), id, y, supplement = supp),
               "`supplement` must not be negative")
})

test_that("shares: EAR cut-point, probability approach, UL, AI with a warning", {
  d <- sim_amount(300, seed = 81)
  fit <- intake_usual(d, id, y, bootstrap = TRUE, B = 20)
  s <- intake_share(fit, below = 15, above = 60)
  expect_named(s, c("cutoff", "direction", "share", "std.error", "method"))
  expect_true(all(s$std.error > 0))
  expect_equal(s$share[2], sum(fit$dist$w[fit$dist$u > 60]))
  expect_warning(a <- intake_share(fit, ai = 20),
                 "does not estimate the prevalence of inadequacy")
  expect_equal(a$method, "AI")
  expect_equal(a$share, sum(fit$dist$w[fit$dist$u < 20]))
  # the probability approach with a tiny requirement CV tends to the
  # cut-point share
  p <- intake_share(fit, below = 15, method = "probability", req_cv = 1e-6)
  expect_equal(p$share, s$share[1], tolerance = 1e-3)
  expect_error(intake_share(fit, below = 15, foo = 1), "unknown argument `foo`")
})

test_that("the unit is carried through and mg or g work without conversion", {
  d <- sim_amount(200, seed = 91)
  ug <- intake_usual(d, id, y)
  d$mg <- d$y / 1000
  mg <- intake_usual(d, id, mg, unit = "mg/day")
  expect_equal(quantile(mg), quantile(ug) / 1000, tolerance = 1e-6)
  expect_output(print(mg), "mg/day")
  expect_equal(glance(mg)$unit, "mg/day")
  e <- sim_nci(400, seed = 92)
  e$g <- e$y * 1e-6
  f1 <- intake_usual(e, id, y)
  f2 <- intake_usual(e, id, g, unit = "g/day")
  expect_equal(quantile(f2), quantile(f1) * 1e-6, tolerance = 1e-5)
  expect_equal(f2$rho, f1$rho, tolerance = 1e-5)
  f <- tempfile(fileext = ".pdf"); grDevices::pdf(f)
  expect_invisible(plot(mg))
  grDevices::dev.off(); unlink(f)
  expect_error(intake_usual(d, id, y, unit = 3), "`unit` must be a single")
})

test_that("issue 13: identical recalls per person are a zero within-person variance", {
  set.seed(101)
  m <- 150
  dose <- exp(rnorm(m, 4, 0.5))
  d <- data.frame(id = rep(seq_len(m), each = 2), y = rep(dose, each = 2))
  expect_warning(fit <- intake_usual(d, id, y, lambda = 0),
                 "within-person variance \\(sigma2_w\\) is zero")
  expect_equal(fit$sigma2_w, 0)
  # the between-person variance is that of the persons' log doses, not half
  expect_equal(fit$sigma2_b, var(log(dose)), tolerance = 1e-10)
  expect_equal(fit$boundary, "sigma2_w")
  # usual intakes are the doses: the distribution is lognormal
  expect_equal(unname(quantile(fit, 0.5)), exp(mean(log(dose))),
               tolerance = 1e-3)
})

test_that("issue 13: few persons with a repeat recall give a warning with numbers", {
  set.seed(102)
  m <- 2000
  d <- data.frame(id = c(seq_len(m), 1:3))
  d$y <- exp(3 + rnorm(m, 0, 0.5)[d$id] + rnorm(nrow(d), 0, 0.6))
  expect_warning(intake_usual(d, id, y),
                 "only 3 persons of 2000 have two or more recalls.*about 23 persons")
  d2 <- data.frame(id = c(seq_len(300), 1:100))
  d2$y <- exp(3 + rnorm(300, 0, 0.5)[d2$id] + rnorm(400, 0, 0.6))
  expect_no_warning(intake_usual(d2, id, y))
})

test_that("issue 13: boundary warnings name the right variance; constant amounts", {
  # every person's two recalls have the same geometric mean: no
  # between-person variation at all
  set.seed(103)
  a <- rnorm(100, 0, 0.6)
  d <- data.frame(id = rep(1:100, each = 2),
                  y = exp(3 + as.vector(rbind(a, -a))))
  w <- character(0)
  withCallingHandlers(intake_usual(d, id, y, lambda = 0),
                      warning = function(e) {
                        w <<- c(w, conditionMessage(e))
                        invokeRestart("muffleWarning")
                      })
  expect_match(w, "between-person variance of the amount \\(sigma2_b\\)")
  expect_false(any(grepl("within", w)))
  d$y <- 50
  expect_error(intake_usual(d, id, y),
               "`amount` is the same \\(50\\) on every recall")
  # a warning for rho at its boundary names rho and what to try
  fake <- list(par = list(rho = 0.9999), boundary = "rho", converged = TRUE,
               method = "joint")
  expect_warning(nutrievidence:::usual_fit_warnings(fake, list()),
                 "correlation of the person effects \\(rho = 0.9999\\).*correlated = FALSE")
})

# All warnings of an expression, and its value.
collect_warnings <- function(expr) {
  w <- character(0)
  val <- withCallingHandlers(expr, warning = function(e) {
    w <<- c(w, conditionMessage(e))
    invokeRestart("muffleWarning")
  })
  list(value = val, warnings = w)
}

test_that("issue 14: an episodic food needs persons with repeat consumption days", {
  d <- sim_nci(300, p2 = 0.5, seed = 141)
  expect_true(any(d$y == 0))
  expect_error(intake_usual(d[!duplicated(d$id), ], id, y),
               "every person has only one recall.*need two or more recalls")
  # repeat recalls, but no person with two consumption days
  set.seed(142)
  m <- 200
  d2 <- data.frame(id = rep(seq_len(m), each = 2), day = rep(1:2, m))
  eat <- rep(sample(1:2, m, TRUE), each = 2) == d2$day
  d2$y <- ifelse(eat, exp(rnorm(2 * m, 3, 0.6)), 0)
  expect_error(intake_usual(d2, id, y),
               "no person has two or more recalls with a positive amount")
})

test_that("issue 14: boundaries of rho and sigma2_v are flagged, named, and the fit returned", {
  # perfectly correlated person effects: rho is estimated at its boundary
  d <- sim_nci(600, p2 = 0.8, rho = 1 - 1e-12, seed = 1)
  r <- collect_warnings(intake_usual(d, id, y))
  expect_s3_class(r$value, "nev_usual")
  expect_true("rho" %in% r$value$boundary)
  expect_gt(abs(r$value$rho), 0.995)
  expect_match(r$warnings, "correlation of the person effects \\(rho = ",
               all = FALSE)
  expect_true(all(is.finite(quantile(r$value, c(0.1, 0.5, 0.9)))))
  # every person eats on exactly one of two days (and amounts repeat on a
  # third day): no between-person variation of the probability
  set.seed(11)
  m <- 400
  d <- data.frame(id = rep(seq_len(m), each = 2), day = rep(1:2, m))
  u <- rnorm(m, 0, 0.5)
  eat <- rep(sample(1:2, m, TRUE), each = 2) == d$day
  d$y <- ifelse(eat, exp(3 + u[d$id] + rnorm(2 * m, 0, 0.6)), 0)
  d <- rbind(d, data.frame(id = 1:200, day = 3,
                           y = exp(3 + u[1:200] + rnorm(200, 0, 0.6))))
  for (cor in c(TRUE, FALSE)) {
    r <- collect_warnings(intake_usual(d, id, y, correlated = cor))
    expect_s3_class(r$value, "nev_usual")
    expect_lt(r$value$sigma2_v, 1e-6)
    expect_true("sigma2_v" %in% r$value$boundary, label = paste(cor))
    expect_match(r$warnings, paste0(
      "probability \\(sigma2_v\\) is estimated at zero.*",
      if (cor) "try `correlated = FALSE`" else "more persons"), all = FALSE)
  }
})

test_that("issue 14: non-convergence is flagged with what to try, the fit returned", {
  d <- sim_nci(300, seed = 5)
  r <- collect_warnings(intake_usual(d, id, y,
                                     control = intake_control(maxiter = 2)))
  expect_false(r$value$converged)
  expect_match(r$warnings, "did not converge in 2 iterations.*`control\\$maxiter`",
               all = FALSE)
  expect_true(all(is.finite(coef(r$value))))
})

test_that("bad replicate weights and options give errors naming the argument", {
  d <- sim_amount(40, seed = 111)
  W <- brr_weights(40, 4)
  expect_error(intake_usual(d, id, y, repweights = W[1:30, ]),
               "`repweights` must have one row per row of `data` \\(80\\) or per person \\(40\\)")
  Wn <- W; Wn[3, 2] <- -1
  expect_error(intake_usual(d, id, y, repweights = Wn),
               "`repweights` must be finite and non-negative")
  Wz <- W; Wz[, 3] <- 0
  expect_error(intake_usual(d, id, y, repweights = Wz),
               "`repweights` column 3 is all zero")
  Wr <- W[d$id, ]; Wr[2, 1] <- 5
  expect_error(intake_usual(d, id, y, repweights = Wr),
               "`repweights` are replicate person weights and must be constant")
  expect_error(intake_usual(d, id, y, repweights = "nope"),
               "`repweights` names columns not in `data`")
  expect_error(intake_usual(d, id, y, repweights = W, fay = 1), "`fay`")
  expect_error(intake_usual(d, id, y, repweights = W, rep_method = "JK1",
                            fay = 0.3), "`fay` applies to")
  expect_error(intake_usual(d, id, y, repweights = W, rep_method = "JK2"),
               "`rep_method` should be one of")
  expect_error(intake_usual(d, id, y, correlated = TRUE),
               "`correlated = TRUE` needs an episodic food")
  expect_error(intake_usual(d, id, y, nuisance = "day"), "`nuisance` must be")
  expect_error(intake_usual(d, id, y, control = list(maxit = 3)),
               "`control` has unknown element `maxit`")
  expect_error(intake_control(tol = -1), "`tol` must be a single number")
})
