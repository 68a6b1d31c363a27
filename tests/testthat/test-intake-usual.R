# intake_usual() against truths known in closed form or computed here by
# independent means (stats::integrate, brute-force likelihoods in R).

sim_recalls <- function(m, nd, mu, sb, sw, lambda = 0, seed) {
  set.seed(seed)
  u <- rnorm(m, 0, sb)
  d <- data.frame(id = rep(seq_len(m), each = nd), day = rep(seq_len(nd), m))
  z <- mu + u[d$id] + rnorm(m * nd, 0, sw)
  d$y <- if (lambda == 0) exp(z) else (1 + lambda * z)^(1 / lambda)
  d
}

test_that("Gauss-Hermite back-transformation agrees with stats::integrate", {
  bt <- function(t, lambda, s2, ngh = 30)
    .Call(nutrievidence:::C_intake_backtransform, t, lambda, s2, ngh)
  ginv <- function(v, lambda)
    if (lambda == 0) exp(v) else pmax(1 + lambda * v, 0)^(1 / lambda)
  for (case in list(c(3, 0, 0.5), c(1, 0, 0.1), c(9, 1 / 3, 4),
                    c(6, 0.5, 2), c(20, 1, 9), c(4, 0.25, 1))) {
    t <- case[1]; lam <- case[2]; s2 <- case[3]
    sd <- sqrt(s2)
    ref <- integrate(function(e) ginv(t + e, lam) * dnorm(e, 0, sd),
                     -12 * sd, 12 * sd, rel.tol = 1e-10,
                     subdivisions = 1000L)$value
    expect_equal(bt(t, lam, s2), ref, tolerance = 1e-8)
  }
  # and the closed form for the log transform
  expect_equal(bt(c(1, 2), 0, 0.3), exp(c(1, 2) + 0.15), tolerance = 1e-10)
  expect_error(bt(1, 0, -1), "invalid argument")
  expect_error(bt(NaN, 0, 1), "must be finite|outside its domain")
  expect_error(.Call(nutrievidence:::C_intake_backtransform, Inf, 0, 1, 10L),
               "outside its domain")
})

test_that("REML and the ML Box-Cox power match brute-force R", {
  d <- sim_recalls(200, 3, 2, 0.5, 0.6, lambda = 0, seed = 21)
  # balanced one-way ANOVA: REML = ANOVA estimators (when positive)
  z <- log(d$y)
  zb <- tapply(z, d$id, mean)
  msw <- sum((z - zb[d$id])^2) / (200 * 2)
  msb <- 3 * sum((zb - mean(z))^2) / 199
  fit <- intake_usual(d, id, y, day = day, lambda = 0)
  expect_equal(fit$sigma2_w, msw, tolerance = 1e-6)
  expect_equal(fit$sigma2_b, (msb - msw) / 3, tolerance = 1e-5)
  expect_equal(unname(fit$beta), mean(z), tolerance = 1e-10)
  # profile ML of lambda with the Jacobian, balanced closed form
  prof <- function(lam) {
    zz <- if (abs(lam) < 1e-10) log(d$y) else (d$y^lam - 1) / lam
    m <- 200; n <- 3; N <- m * n
    zbar <- tapply(zz, d$id, mean)
    ssw <- sum((zz - zbar[d$id])^2)
    ssb <- n * sum((zbar - mean(zz))^2)
    s2w <- ssw / (m * (n - 1))
    s2t <- max(ssb / m, s2w)           # sigma_w^2 + n sigma_b^2
    -0.5 * (N * log(2 * pi) + m * (n - 1) * log(s2w) + m * log(s2t) +
              ssw / s2w + ssb / s2t) + (lam - 1) * sum(log(d$y))
  }
  lam_ref <- optimize(prof, c(-1, 1.5), maximum = TRUE, tol = 1e-9)
  fit2 <- intake_usual(d, id, y, lambda_range = c(-1, 1.5))
  expect_equal(fit2$lambda, lam_ref$maximum, tolerance = 1e-4)
  expect_equal(fit2$logLik_amount, lam_ref$objective, tolerance = 1e-7)
  expect_equal(as.numeric(logLik(fit2)), fit2$logLik_amount)
})

test_that("lognormal usual intake (lambda = 0) is recovered within its SEs", {
  mu <- log(25); sb <- 0.5; sw <- 0.7
  d <- sim_recalls(300, 2, mu, sb, sw, lambda = 0, seed = 1)
  fit <- intake_usual(d, id, y, day = day, bootstrap = TRUE, B = 40,
                      probs = c(0.1, 0.5, 0.9))
  p <- c(0.1, 0.5, 0.9)
  truth <- exp(mu + sw^2 / 2 + sb * qnorm(p))
  est <- quantile(fit, p)
  se <- summary(fit, probs = p)$percentiles$std.error
  expect_named(est, c("P10", "P50", "P90"))
  expect_true(all(abs(est - truth) < 3 * se))
  # share below 30: cut-point and probability approach against closed forms
  t30 <- plnorm(30, mu + sw^2 / 2, sb)
  sh <- intake_share(fit, below = 30)
  expect_lt(abs(sh$share - t30), 3 * sh$std.error)
  tp <- integrate(function(u) pnorm(u, 30, 3, lower.tail = FALSE) *
                    dlnorm(u, mu + sw^2 / 2, sb), 0, Inf)$value
  shp <- intake_share(fit, below = 30, method = "probability")
  expect_lt(abs(shp$share - tp), 3 * shp$std.error)
  expect_equal(shp$method, "probability")
  sa <- intake_share(fit, above = 50)
  expect_lt(abs(sa$share - plnorm(50, mu + sw^2 / 2, sb, lower.tail = FALSE)),
            3 * sa$std.error)
})

test_that("power-transformed usual intake (lambda = 1/3) is recovered", {
  # z = 3 (y^(1/3) - 1); usual intake E[(a + e/3)^3] = a^3 + a sw^2 / 3,
  # a = 1 + t / 3: monotone in t, so percentiles map through.
  mu <- 9; sb <- 1.5; sw <- 2
  d <- sim_recalls(300, 2, mu, sb, sw, lambda = 1 / 3, seed = 4)
  fit <- intake_usual(d, id, y, bootstrap = TRUE, B = 40,
                      probs = c(0.1, 0.5, 0.9))
  p <- c(0.1, 0.5, 0.9)
  a <- 1 + (mu + sb * qnorm(p)) / 3
  truth <- a^3 + a * sw^2 / 3
  est <- quantile(fit, p)
  se <- summary(fit, probs = p)$percentiles$std.error
  expect_true(all(abs(est - truth) < 3 * se))
  expect_lt(abs(fit$lambda - 1 / 3), 0.25)
})

test_that("a two-part episodic food is recovered within its SEs", {
  set.seed(7)
  m <- 400; nd <- 4; a <- 0.3; sv <- 0.8; mu <- log(20); sb <- 0.4; sw <- 0.6
  v <- rnorm(m, 0, sv); u <- rnorm(m, 0, sb)
  d <- data.frame(id = rep(seq_len(m), each = nd))
  eat <- runif(m * nd) < plogis(a + v[d$id])
  d$y <- ifelse(eat, exp(mu + u[d$id] + rnorm(m * nd, 0, sw)), 0)
  fit <- intake_usual(d, "id", "y", bootstrap = TRUE, B = 30,
                      probs = c(0.25, 0.5, 0.75))
  expect_true(fit$episodic)
  # truth: U = expit(a + v) * exp(mu + u + sw^2 / 2), by integration
  cdf <- function(q) integrate(function(z)
    pnorm((log(q / plogis(a + sv * z)) - mu - sw^2 / 2) / sb) * dnorm(z),
    -Inf, Inf)$value
  p <- c(0.25, 0.5, 0.75)
  truth <- vapply(p, function(pp)
    uniroot(function(q) cdf(q) - pp, c(1e-3, 1e3), tol = 1e-10)$root,
    numeric(1))
  est <- quantile(fit, p)
  se <- summary(fit, probs = p)$percentiles$std.error
  expect_true(all(abs(est - truth) < 3 * se))
  expect_lt(abs(fit$gamma[[1]] - a), 0.3)
  expect_lt(abs(fit$sigma2_v - sv^2), 0.4)
  expect_output(print(fit), "two-part")
  expect_error(intake_usual(d, id, y, episodic = FALSE), "has zeros")
  d2 <- d[d$y > 0, ]
  expect_error(intake_usual(d2, id, y, episodic = TRUE), "no zeros")
})

test_that("bootstrap SEs match the spread over repeated simulations", {
  mu <- log(25); sb <- 0.5; sw <- 0.7
  med <- vapply(1:20, function(s) {
    d <- sim_recalls(120, 2, mu, sb, sw, seed = 100 + s)
    unname(quantile(intake_usual(d, id, y), 0.5))
  }, numeric(1))
  emp <- sd(med)
  bse <- vapply(1:2, function(s) {
    d <- sim_recalls(120, 2, mu, sb, sw, seed = 200 + s)
    f <- intake_usual(d, id, y, bootstrap = TRUE, B = 50, probs = 0.5)
    summary(f, probs = 0.5)$percentiles$std.error
  }, numeric(1))
  ratio <- mean(bse) / emp
  expect_gt(ratio, 0.6)
  expect_lt(ratio, 1.6)
  # and the spread is centred on the truth
  expect_lt(abs(mean(med) - exp(mu + sw^2 / 2)), 3 * emp / sqrt(20))
})

test_that("person-level covariates give the mixture distribution", {
  set.seed(9)
  m <- 500; g <- rep(0:1, length.out = m); mu <- 2 + 0.8 * g
  u <- rnorm(m, 0, 0.4)
  d <- data.frame(id = rep(seq_len(m), each = 2), grp = rep(g, each = 2))
  d$y <- exp(mu[d$id] + u[d$id] + rnorm(2 * m, 0, 0.5))
  fit <- intake_usual(d, id, y, covariates = ~ grp, lambda = 0)
  expect_equal(unname(fit$beta), c(2, 0.8), tolerance = 0.08)
  cdf <- function(q) 0.5 * plnorm(q, 2 + 0.125, 0.4) +
    0.5 * plnorm(q, 2.8 + 0.125, 0.4)
  truth <- uniroot(function(q) cdf(q) - 0.5, c(1, 100))$root
  expect_equal(unname(quantile(fit, 0.5)), truth, tolerance = 0.06)
  fs <- intake_usual(d, id, y, covariates = "grp", lambda = 0)
  expect_equal(unname(quantile(fs, 0.5)), truth, tolerance = 0.06)
  bad <- d; bad$grp[1] <- 5
  expect_error(intake_usual(bad, id, y, covariates = ~ grp),
               "person-level")
  expect_error(intake_usual(d, id, y, covariates = "nope"), "not in `data`")
  d$grp2 <- d$grp
  expect_error(intake_usual(d, id, y, covariates = ~ grp + grp2),
               "rank deficient")
})

test_that("survey weights act like replicating persons", {
  d <- sim_recalls(150, 2, 3, 0.5, 0.6, seed = 31)
  w <- rep(1:3, length.out = 150)
  d$w <- w[d$id]
  fw <- intake_usual(d, id, y, weights = w, lambda = 0)
  rep_id <- rep(seq_len(150), w)
  dd <- do.call(rbind, lapply(seq_along(rep_id), function(k) {
    r <- d[d$id == rep_id[k], c("id", "day", "y")]
    r$id <- k
    r
  }))
  fr <- intake_usual(dd, id, y, lambda = 0)
  expect_equal(unname(fw$beta), unname(fr$beta), tolerance = 1e-8)
  expect_equal(fw$sigma2_w, fr$sigma2_w, tolerance = 2e-3)
  expect_equal(quantile(fw, c(0.1, 0.9)), quantile(fr, c(0.1, 0.9)),
               tolerance = 2e-3)
})

test_that("methods return what they promise", {
  d <- sim_recalls(100, 2, 3, 0.5, 0.6, seed = 41)
  fit <- intake_usual(d, id, y)
  expect_equal(nobs(fit), 200L) # the recalls behind the likelihood
  expect_equal(glance(fit)$n_persons, 100L)
  expect_named(coef(fit), c("lambda", "beta:(Intercept)", "sigma2_b",
                            "sigma2_w"))
  expect_output(print(summary(fit)), "Percentiles")
  expect_true(all(is.na(summary(fit)$percentiles$std.error)))
  expect_true(is.na(intake_share(fit, below = 20)$std.error))
  expect_equal(nrow(glance(fit)), 1L)
  expect_equal(sum(fit$dist$w), 1)
  # SEs at probabilities other than the stored ones come from the
  # replicates' parameters; they grow towards the tails
  fb <- intake_usual(d, id, y, bootstrap = TRUE, B = 20, probs = 0.5)
  se <- summary(fb, probs = c(0.1, 0.5, 0.99))$percentiles$std.error
  expect_true(all(is.finite(se) & se > 0))
  expect_gt(se[3], se[2])
  q <- quantile(fit, c(0, 0.5, 1))
  expect_true(q[1] <= q[2] && q[2] <= q[3])
  f <- tempfile(fileext = ".pdf"); grDevices::pdf(f)
  expect_invisible(plot(fit, cutoffs = 20))
  grDevices::dev.off(); unlink(f)
})

test_that("bad input gives clear errors", {
  d <- sim_recalls(50, 2, 3, 0.5, 0.6, seed = 51)
  bad <- d; bad$y[3] <- -1
  expect_error(intake_usual(bad, id, y), "must not be negative; row 3")
  bad <- d; bad$y <- 0
  expect_error(intake_usual(bad, id, y), "all intakes in `amount` are zero")
  one <- d[d$day == 1, ]
  expect_error(intake_usual(one, id, y),
               "only one recall.*two or more recalls")
  bad <- d; bad$w <- -1
  expect_error(intake_usual(bad, id, y, weights = w), "non-negative")
  bad$w <- 0
  expect_error(intake_usual(bad, id, y, weights = w), "all zero")
  bad$w <- seq_len(nrow(bad))
  expect_error(intake_usual(bad, id, y, weights = w), "constant within")
  expect_error(intake_usual(d, id, y, day = rep(1, 100)), "appears more than once")
  expect_error(intake_usual(d, id, y, lambda = "a"), "`lambda`")
  expect_error(intake_usual(d, id, y, lambda_range = c(1, 0)),
               "`lambda_range`")
  expect_error(intake_usual(d, id, y, B = 1, bootstrap = TRUE), "`B`")
  expect_error(intake_usual(d, id, y, ngh = 0), "`ngh`")
  expect_error(intake_usual(as.list(d), id, y), "data frame")
  expect_error(intake_usual(d, id, y, episodic = NA), "`episodic`")
  expect_error(intake_usual(d, id, y, probs = 2), "probabilities in \\[0, 1\\]")
  fit <- intake_usual(d, id, y)
  expect_error(quantile(fit, c(-0.1, 0.5)), "probabilities in \\[0, 1\\]")
  expect_error(intake_share(fit), "at least one cut-off")
  expect_error(intake_share(fit, below = "a"), "`below`")
  expect_error(intake_share(fit, below = 1, req_cv = -1), "`req_cv`")
  expect_error(intake_share(1:3, below = 1), "nev_intake")
  bad <- d; bad$y[1] <- NA
  expect_warning(intake_usual(bad, id, y), "missing values")
  # boundary warnings
  flat <- d; flat$y <- exp(rnorm(100))
  expect_warning(intake_usual(flat, id, y, lambda = 0), "at zero")
  expect_warning(intake_usual(d, id, y, lambda_range = c(0.9, 1)),
                 "edge of `lambda_range`")
})

test_that("the C core rejects bad data itself", {
  x1 <- matrix(1, 3, 1)
  fitc <- function(y = c(1, 2, 3, 4, 5, 6), start = c(0L, 2L, 4L),
                   nrec = c(2L, 2L, 2L), x = x1, w = c(1, 1, 1),
                   episodic = FALSE, lambda = NA_real_, range = c(-1, 1.5))
    .Call(nutrievidence:::C_intake_usual_fit, y, start, nrec, x, w, episodic,
          lambda, range, 10L)
  expect_type(fitc(), "list")
  expect_error(fitc(y = c(1, -2, 3, 4, 5, 6)), "outside its domain")
  expect_error(fitc(y = c(1, 0, 3, 4, 5, 6)), "outside its domain")
  expect_error(fitc(nrec = c(2L, 2L, 0L)), "invalid argument")
  expect_error(fitc(nrec = c(2L, 2L, 3L)), "person 3: .* do not lie within")
  expect_error(fitc(y = 1:3 + 0.5, start = 0:2, nrec = c(1L, 1L, 1L)),
               "no usable data")
  expect_error(fitc(w = c(0, 0, 0)), "outside its domain")
  expect_error(fitc(w = c(1, -1, 1)), "outside its domain")
  expect_error(fitc(range = c(1, 0)), "invalid argument")
  expect_error(fitc(x = cbind(1, c(1, 1, 1))), "singular")
  expect_error(fitc(x = matrix(c(1, NaN, 1), 3, 1)), "outside its domain")
  expect_error(fitc(episodic = TRUE), "outside its domain")
  expect_error(fitc(start = c(0L, 2L)), "must have length")
  expect_error(fitc(x = matrix(1, 2, 1)), "one row per person")
  wq <- function(x, w, p) .Call(nutrievidence:::C_intake_wquantile, x, w, p)
  expect_equal(wq(c(1, 2, 3, 4), rep(1, 4), c(0.125, 0.5, 0.875, 0, 1)),
               c(1, 2.5, 4, 1, 4))
  expect_error(wq(numeric(0), numeric(0), 0.5), "no usable data")
  expect_error(wq(1:2 + 0, c(-1, 1), 0.5), "outside its domain")
  expect_error(wq(1:2 + 0, c(0, 0), 0.5), "outside its domain")
  expect_error(wq(1:2 + 0, c(1, 1), 2), "outside its domain")
  smp <- function(s2b = 0.1, w = c(1, 1, 1), K = 10L)
    .Call(nutrievidence:::C_intake_usual_sample, 0, 1, s2b, 0.2, FALSE,
          NA_real_, 0, x1, w, K, 10L)
  expect_length(smp()$u, 10)
  expect_error(smp(s2b = -1), "outside its domain")
  expect_error(smp(w = c(0, 0, 0)), "outside its domain")
  expect_error(smp(K = 0L), "must be >= 1")
})

test_that("confint() gives bootstrap percentile intervals of coef()", {
  d <- sim_recalls(120, 2, 3, 0.5, 0.6, seed = 61)
  fit <- intake_usual(d, id, y, bootstrap = TRUE, B = 25)
  ci <- confint(fit)
  cf <- coef(fit)
  expect_identical(rownames(ci), names(cf))
  expect_identical(colnames(ci), c("2.5 %", "97.5 %"))
  # the type-7 quantile written out, on the stored replicates
  pct <- function(v, p) {
    v <- sort(v[!is.na(v)])
    h <- (length(v) - 1) * p + 1
    j <- floor(h)
    v[j] + (h - j) * (v[pmin(j + 1, length(v))] - v[j])
  }
  for (nm in names(cf))
    expect_equal(unname(ci[nm, ]), pct(fit$reps$par[, nm], c(0.025, 0.975)),
                 tolerance = 1e-12)
  expect_true(all(ci[, 1] <= ci[, 2]))
  # parm by name and by position, and another level
  c90 <- confint(fit, c("sigma2_b", "lambda"), level = 0.9)
  expect_identical(dimnames(c90), list(c("sigma2_b", "lambda"),
                                       c("5 %", "95 %")))
  expect_equal(unname(c90["sigma2_b", ]),
               pct(fit$reps$par[, "sigma2_b"], c(0.05, 0.95)),
               tolerance = 1e-12)
  expect_identical(confint(fit, 3), confint(fit, names(cf)[3]))
  # a fixed lambda has a zero-width interval
  ff <- intake_usual(d, id, y, lambda = 0.5, bootstrap = TRUE, B = 5)
  expect_equal(unname(confint(ff, "lambda")[1, ]), c(0.5, 0.5))
  # errors
  expect_error(confint(intake_usual(d, id, y)), "bootstrap")
  expect_error(confint(fit, "nope"), "`parm`")
  expect_error(confint(fit, 99), "`parm`")
  expect_error(confint(fit, level = 1.2), "`level`")
  expect_error(confint(fit, level = c(0.9, 0.95)), "`level`")
})
