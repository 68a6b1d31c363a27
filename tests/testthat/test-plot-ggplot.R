# autoplot(): the ggplot2 versions. The plotted data is checked against the
# fit, not the pixels.
skip_if_not_installed("ggplot2")

layer_of <- function(p, geom) {
  i <- which(vapply(p$layers, function(l) inherits(l$geom, geom), TRUE))
  ggplot2::layer_data(p, i[1])
}

test_that("autoplot() of a meta-analysis: the forest plot's rows are the fit's", {
  fit <- pool(plot_bcg_yi, plot_bcg_vi, slab = paste("Trial", 1:13),
              measure = "RR")
  p <- ggplot2::autoplot(fit, transf = exp)
  expect_s3_class(p, "ggplot")
  d <- p$data
  st <- d[d$type == "study", ]
  expect_equal(st$estimate, plot_bcg_yi)
  expect_equal(st$weight, fit$weights)
  z <- stats::qnorm(0.975)
  expect_equal(st$conf.high, plot_bcg_yi + z * sqrt(plot_bcg_vi))
  ov <- d[d$type == "overall", ]
  td <- tidy(fit)
  expect_equal(ov$estimate, td$estimate)
  expect_equal(c(ov$conf.low, ov$conf.high), c(td$conf.low, td$conf.high))
  expect_equal(ov$text, sprintf("%.2f [%.2f, %.2f]", exp(td$estimate),
                                exp(td$conf.low), exp(td$conf.high)))
  expect_identical(p$labels$x, "Risk ratio (log scale)")
  pts <- layer_of(p, "GeomPoint")
  expect_equal(pts$x, plot_bcg_yi)
  # the same rows as the base-graphics forest plot
  base <- plot_on_device(forest_plot(fit))
  expect_equal(d[names(base)], base, ignore_attr = TRUE)
})

test_that("autoplot() of a subgroup fit shows the subgroups and Q-between", {
  s <- pool(plot_bcg_yi, plot_bcg_vi, subgroup = plot_bcg_alloc)
  p <- ggplot2::autoplot(s)
  sg <- p$data[p$data$type == "subgroup", ]
  expect_equal(sg$estimate, s$subgroups$estimate)
  expect_equal(sg$group, s$subgroups$group)
  expect_match(p$labels$caption, sprintf("Q = %.2f, df = 2", s$Q_between))
  dia <- layer_of(p, "GeomPolygon")
  expect_equal(sort(unique(dia$y[dia$y %% 1 == 0])),
               sort(p$data$row[p$data$type %in% c("subgroup", "overall")]))
})

test_that("autoplot(type = \"funnel\") plots the studies and the filled ones", {
  fit <- pool(plot_bcg_yi, plot_bcg_vi, method = "FE", measure = "RR")
  tf <- trim_fill(fit, side = "right")
  p <- ggplot2::autoplot(tf, type = "funnel", atransf = exp)
  expect_s3_class(p, "ggplot")
  expect_equal(sum(p$data$filled), tf$k0)
  expect_equal(p$data$yi, tf$yi)
  expect_equal(p$data$sei, sqrt(tf$vi))
  expect_identical(p$labels$x, "Risk ratio (log scale)")
  pts <- layer_of(p, "GeomPoint")
  expect_equal(pts$x, tf$yi)
  expect_equal(pts$y, -sqrt(tf$vi))  # reversed axis
  q <- ggplot2::autoplot(fit, type = "funnel", transf = exp)
  expect_equal(q$data$x, exp(plot_bcg_yi))
  expect_identical(q$labels$x, "Risk ratio")
  expect_error(ggplot2::autoplot(fit, type = "galaxy"), "`type` should be one of")
})

test_that("autoplot() of a meta-regression is the bubble plot", {
  d <- data.frame(yi = plot_bcg_yi, vi = plot_bcg_vi, ablat = plot_bcg_ablat)
  fit <- pool(yi, vi, data = d, mods = ~ ablat)
  p <- ggplot2::autoplot(fit, transf = exp)
  expect_equal(p$data$x, plot_bcg_ablat)
  expect_equal(p$data$yi, exp(plot_bcg_yi))
  ln <- layer_of(p, "GeomRibbon")
  pr <- predict(fit, newdata = data.frame(ablat = ln$x), transf = exp)
  expect_equal(ln$ymin, pr$conf.low, tolerance = 1e-10)
  expect_equal(ln$ymax, pr$conf.high, tolerance = 1e-10)
  f <- ggplot2::autoplot(fit, type = "forest")
  expect_equal(f$data$fitted[f$data$type == "study"], predict(fit)$estimate,
               tolerance = 1e-12)
})

test_that("autoplot() of dose-response, curve and pharmacokinetic fits", {
  cc <- data.frame(dose = c(0, 2, 6, 11), case = c(165, 74, 90, 122),
                   n = c(337, 167, 186, 212), rr = c(1, 0.8, 1.16, 1.57),
                   lb = c(1, 0.51, 0.73, 0.99), ub = c(1, 1.27, 1.85, 2.51))
  dr <- dose_response(log(rr) ~ dose, type = "cc", cases = case, n = n,
                      lower = lb, upper = ub, data = cc)
  p <- ggplot2::autoplot(dr)
  expect_equal(p$data, stats::predict(dr, ref = 0))
  pts <- layer_of(p, "GeomPoint")
  expect_equal(10^pts$y, cc$rr[-1], tolerance = 1e-12)  # log10 axis
  dc <- dose_curve(c(0, 0, 5, 5, 10, 10, 25, 25, 50, 50, 100, 100),
                   c(0.1, -0.2, 1.9, 2.3, 3.4, 3.1, 5.2, 4.8, 6.1, 6.0, 6.9,
                     6.6))
  q <- ggplot2::autoplot(dc)
  expect_equal(q$data, stats::predict(dc))
  pk <- dose_pk(dose = 100, interval = 24, half_life = 72)
  r <- ggplot2::autoplot(pk)
  expect_equal(r$data, pk$profile)
  expect_equal(layer_of(r, "GeomHline")$yintercept, pk$css_average)
})

test_that("autoplot() of intake distributions: the cumulative shares", {
  diet <- data.frame(food = "cheese", p_day = 0.6, portion_g = 30,
                     portion_sd = 10, portion_dist = "gamma",
                     content_ug_per_g = 0.76)
  sim <- intake_simulate(diet, n = 2000, seed = 1)
  p <- ggplot2::autoplot(sim, cutoffs = c(10, 30))
  expect_equal(p$data$intake,
               stats::quantile(sim$intake, p$data$share, names = FALSE))
  expect_equal(layer_of(p, "GeomVline")$xintercept, c(10, 30))
  set.seed(2)
  rec <- data.frame(id = rep(1:100, each = 2))
  rec$k2 <- exp(3 + rnorm(100, 0, 0.4)[rec$id] + rnorm(200, 0, 0.6))
  u <- intake_usual(rec, id, k2)
  q <- ggplot2::autoplot(u)
  us <- q$data[q$data$distribution == "usual intake", ]
  expect_equal(us$intake, unname(stats::quantile(u, us$share)))
  sd <- q$data[q$data$distribution != "usual intake", ]
  expect_equal(sd$intake, sort(rec$k2))
  expect_equal(sd$share, seq_len(200) / 200)
})
