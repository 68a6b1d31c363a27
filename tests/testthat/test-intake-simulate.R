# intake_simulate() against closed forms of the simulated model.

test_that("mean intake is sum of p_day x mean portion x mean content", {
  d <- data.frame(food = c("a", "b", "c"), p_day = c(0.5, 0.2, 1),
                  portion_g = c(30, 100, 10), portion_sd = c(12, 40, 3),
                  portion_dist = c("lognormal", "gamma", "fixed"),
                  content_ug_per_g = c(0.8, 0.1, 2),
                  content_sd = c(0.3, 0, 0),
                  content_dist = c("lognormal", "fixed", "fixed"))
  s <- suppressWarnings(intake_simulate(d, n = 2e5, seed = 11))
  truth <- 0.5 * 30 * 0.8 + 0.2 * 100 * 0.1 + 1 * 10 * 2
  se <- sd(s$intake) / sqrt(2e5)
  expect_lt(abs(mean(s) - truth), 4 * se)
  # per-food contributions against their own closed forms
  cf <- c(0.5 * 30 * 0.8, 0.2 * 100 * 0.1, 20)
  expect_equal(intake_contribution(s)$mean_ug[3], 20)
  expect_lt(abs(intake_contribution(s)$mean_ug[1] - cf[1]), 0.15)
  expect_lt(abs(intake_contribution(s)$mean_ug[2] - cf[2]), 0.06)
  expect_equal(sum(intake_contribution(s)$share), 1)
  # per_week is p_day * 7
  d2 <- d; d2$per_week <- d2$p_day * 7; d2$p_day <- NULL
  s2 <- suppressWarnings(intake_simulate(d2, n = 1e4, seed = 11))
  expect_equal(s2$diet$p_day, d$p_day)
})

test_that("a single fixed food gives a two-point distribution", {
  d <- data.frame(food = "natto", p_day = 0.1, portion_g = 40,
                  content_ug_per_g = 10)
  n <- 1e5
  s <- intake_simulate(d, n = n, seed = 3)
  expect_setequal(unique(s$intake), c(0, 400))
  p_hat <- mean(s$intake == 400)
  expect_lt(abs(p_hat - 0.1), 4 * sqrt(0.1 * 0.9 / n))
  sh <- intake_share(s, below = 30, above = 399)
  expect_equal(sh$share, c(1 - p_hat, p_hat))
  expect_equal(sh$std.error, sqrt(p_hat * (1 - p_hat) / n) * c(1, 1))
  expect_equal(sh$direction, c("below", "above"))
  q <- quantile(s, c(0.5, 0.95))
  expect_equal(unname(q), c(0, 400))
  expect_named(q, c("P50", "P95"))
})

test_that("lognormal and gamma portions have the requested moments and shape", {
  n <- 1e5
  m <- 30; sdv <- 15
  d <- data.frame(food = "x", p_day = 1, portion_g = m, portion_sd = sdv,
                  portion_dist = "lognormal", content_ug_per_g = 1)
  s <- intake_simulate(d, n = n, seed = 5)
  s2 <- log1p((sdv / m)^2)
  mu <- log(m) - s2 / 2
  expect_lt(abs(mean(log(s$intake)) - mu), 4 * sqrt(s2 / n))
  expect_lt(abs(sd(log(s$intake)) - sqrt(s2)), 4 * sqrt(s2 / (2 * n)))
  expect_gt(suppressWarnings(stats::ks.test(s$intake[1:5000], "plnorm", mu,
                                            sqrt(s2))$p.value), 1e-3)
  d$portion_dist <- "gamma"
  g <- intake_simulate(d, n = n, seed = 6)
  expect_lt(abs(mean(g$intake) - m), 4 * sdv / sqrt(n))
  expect_lt(abs(var(g$intake) / sdv^2 - 1), 0.03)
  expect_gt(suppressWarnings(stats::ks.test(g$intake[1:5000], "pgamma",
                                            shape = (m / sdv)^2,
                                            scale = sdv^2 / m)$p.value), 1e-3)
  # content uniform on [2, 5] with a fixed 1 g portion
  u <- data.frame(food = "u", p_day = 1, portion_g = 1,
                  content_dist = "uniform", content_min = 2, content_max = 5)
  su <- intake_simulate(u, n = 5000, seed = 8)
  expect_true(all(su$intake >= 2 & su$intake <= 5))
  expect_gt(stats::ks.test(su$intake, "punif", 2, 5)$p.value, 1e-3)
  # content lognormal: log-scale moments
  l <- data.frame(food = "l", p_day = 1, portion_g = 1, content_ug_per_g = 2,
                  content_sd = 1, content_dist = "lognormal")
  sl <- intake_simulate(l, n = n, seed = 9)
  cs2 <- log1p(0.25)
  expect_lt(abs(mean(log(sl$intake)) - (log(2) - cs2 / 2)), 4 * sqrt(cs2 / n))
})

test_that("never-consumers and occasional consumers over several days", {
  # P(no intake in `days` days) = (1 - pc) + pc * (1 - p_day / pc)^days
  d <- data.frame(food = "natto", p_day = 0.05, p_consumer = 0.2,
                  portion_g = 40, content_ug_per_g = 10)
  n <- 1e5; days <- 7
  s <- intake_simulate(d, n = n, days = days, seed = 2)
  p0 <- (1 - 0.2) + 0.2 * (1 - 0.05 / 0.2)^days
  expect_lt(abs(mean(s$intake == 0) - p0), 4 * sqrt(p0 * (1 - p0) / n))
  # the person mean over days takes values 400 * k / days
  expect_true(all(abs(s$intake * days / 400 - round(s$intake * days / 400))
                  < 1e-9))
  # the population mean per day does not depend on p_consumer
  expect_lt(abs(mean(s) - 0.05 * 400), 4 * sd(s$intake) / sqrt(n))
  d$p_consumer <- 1
  s1 <- intake_simulate(d, n = n, days = days, seed = 2)
  p1 <- (1 - 0.05)^days
  expect_lt(abs(mean(s1$intake == 0) - p1), 4 * sqrt(p1 * (1 - p1) / n))
})

test_that("set.seed reproduces, threads do not change the result", {
  d <- data.frame(food = c("a", "b"), p_day = c(0.4, 0.9),
                  portion_g = c(20, 50), portion_sd = c(5, 10),
                  portion_dist = c("gamma", "lognormal"),
                  content_ug_per_g = c(1, 0.2))
  set.seed(42); a <- intake_simulate(d, n = 5e4)
  set.seed(42); b <- intake_simulate(d, n = 5e4, threads = 2)
  expect_identical(a$intake, b$intake)
  set.seed(1); r1 <- runif(1)
  set.seed(1); x <- intake_simulate(d, n = 100, seed = 99); r2 <- runif(1)
  expect_identical(r1, r2)
  expect_output(print(a), "Simulated intake distribution")
  sm <- summary(a)
  expect_equal(unname(sm$stats[c("mean", "sd")]),
               c(mean(a$intake), sd(a$intake)))
  expect_output(print(sm), "Contribution by food")
  expect_equal(nrow(as.data.frame(a)), 5e4)
  f <- tempfile(fileext = ".pdf"); grDevices::pdf(f)
  expect_invisible(plot(a))
  grDevices::dev.off(); unlink(f)
})

test_that("bad diets give clear errors", {
  d <- data.frame(food = "a", p_day = 0.5, portion_g = 10,
                  content_ug_per_g = 1)
  bad <- d; bad$p_day <- 1.5
  expect_error(intake_simulate(bad), "`diet\\$p_day` must be finite and in \\[0, 1\\]")
  bad <- d; bad$p_day <- -0.1
  expect_error(intake_simulate(bad), "p_day")
  bad <- d; bad$p_day <- NULL; bad$per_week <- 8
  expect_error(intake_simulate(bad), "per_week")
  bad <- d; bad$per_week <- 1
  expect_error(intake_simulate(bad), "not both")
  bad <- d; bad$portion_dist <- "weibull"
  expect_error(intake_simulate(bad), "must be one of .*weibull")
  bad <- d; bad$content_dist <- "normal"
  expect_error(intake_simulate(bad), "content_dist")
  bad <- d; bad$content_dist <- "uniform"
  expect_error(intake_simulate(bad), "content_min")
  bad$content_min <- 3; bad$content_max <- 2
  expect_error(intake_simulate(bad), "must not exceed")
  bad <- d; bad$portion_g <- -1
  expect_error(intake_simulate(bad), "portion_g")
  bad <- d; bad$p_consumer <- 0.2
  expect_error(intake_simulate(bad), "cannot exceed")
  expect_error(intake_simulate(d[0, ]), "no rows")
  expect_error(intake_simulate(list(a = 1)), "data frame")
  expect_error(intake_simulate(d[, -1]), "`food`")
  expect_error(intake_simulate(d, n = 0), "`n`")
  expect_error(intake_simulate(d, days = 1.5), "`days`")
  expect_error(intake_simulate(d, threads = 0), "`threads`")
  expect_error(intake_simulate(d, seed = "a"), "`seed`")
  expect_warning(intake_simulate(transform(d, portion_sd = 2), n = 10),
                 "ignored")
})

test_that("the C core rejects bad parameters itself", {
  f <- function(pc = 1, pe = 0.5, pdist = 0L, pm = 10, psd = 0, cdist = 0L,
                cm = 1, csd = 0, cmin = 0, cmax = 0, n = 10, days = 1L,
                threads = 1L)
    .Call(nutrievidence:::C_intake_simulate, pc, pe, pdist, pm, psd, cdist,
          cm, csd, cmin, cmax, n, days, threads)
  expect_length(f()$intake, 10)
  expect_error(f(pe = 2), "value outside its domain")
  expect_error(f(pc = NaN), "value outside its domain")
  expect_error(f(pdist = 7L), "invalid argument")
  expect_error(f(cdist = 2L), "invalid argument")
  expect_error(f(pm = -1), "value outside its domain")
  expect_error(f(pdist = 1L, pm = 0, psd = 1), "value outside its domain")
  expect_error(f(cdist = 3L, cmin = 2, cmax = 1), "value outside its domain")
  expect_error(f(cdist = 1L, cm = 0, csd = 1), "value outside its domain")
  expect_error(f(csd = -1), "value outside its domain")
  expect_error(f(pc = numeric(0), pe = numeric(0), pdist = integer(0),
                 pm = numeric(0), psd = numeric(0), cdist = integer(0),
                 cm = numeric(0), csd = numeric(0), cmin = numeric(0),
                 cmax = numeric(0)), "no usable data")
  expect_error(f(pe = c(1, 1)), "must have length")
  expect_error(f(n = 0), "`n`")
  expect_error(f(days = 0L), "`days`")
  expect_error(f(threads = 0L), "`threads`")
})

test_that("tidy() gives the percentiles of the simulated intakes", {
  d <- data.frame(food = c("cheese", "natto"), p_day = c(0.6, 0.05),
                  portion_g = c(30, 40), portion_sd = c(10, 5),
                  portion_dist = c("gamma", "lognormal"),
                  content_ug_per_g = c(0.76, 10))
  s <- intake_simulate(d, n = 5000, seed = 8)
  x <- sort(s$intake)
  n <- length(x)
  # type 7 written out: x[j] + g (x[j + 1] - x[j]) with h = (n - 1) p + 1
  type7 <- function(p) {
    h <- (n - 1) * p + 1
    j <- floor(h)
    x[j] + (h - j) * (x[pmin(j + 1, n)] - x[j])
  }
  td <- tidy(s)
  p <- c(0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
  expect_identical(names(td), c("term", "estimate"))
  expect_identical(td$term, c("P5", "P10", "P25", "P50", "P75", "P90", "P95"))
  expect_equal(td$estimate, type7(p), tolerance = 1e-12)
  expect_equal(td$estimate, unname(stats::quantile(s$intake, p, type = 7)))
  # type 1 (inverse of the empirical distribution): x[ceiling(n p)]
  t1 <- tidy(s, probs = c(0.001, 0.5, 0.975), type = 1)
  expect_identical(t1$term, c("P0.1", "P50", "P97.5"))
  expect_equal(t1$estimate, x[ceiling(n * c(0.001, 0.5, 0.975))])
  expect_error(tidy(s, probs = 1.5), "`probs`")
})

test_that("glance() summarises the simulation in one row", {
  d <- data.frame(food = c("a", "b", "c"), p_day = c(0.5, 0.2, 1),
                  portion_g = c(30, 100, 10), content_ug_per_g = c(0.8, 0.1, 2))
  s <- intake_simulate(d, n = 3000, days = 4, seed = 5)
  g <- glance(s)
  v <- s$intake
  m <- sum(v) / length(v)
  expect_identical(names(g), c("n", "days", "mean", "sd", "foods"))
  expect_equal(nrow(g), 1L)
  expect_identical(g$n, 3000L)
  expect_identical(g$days, 4L)
  expect_identical(g$foods, 3L)
  expect_equal(g$mean, m, tolerance = 1e-12)
  expect_equal(g$sd, sqrt(sum((v - m)^2) / (length(v) - 1)), tolerance = 1e-12)
})
