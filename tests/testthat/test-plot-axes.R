# Axis labels and ticks of the base-graphics plots.

test_that("forest tick labels all fit at 700 to 900 pixels, the reference always labelled", {
  fit <- pool(plot_bcg_yi, plot_bcg_vi, measure = "RR",
              slab = paste("Trial number", 1:13, "(Author et al. 1990)"))
  for (w in c(700, 800, 900)) {
    plot_on_device(width = w, {
      d <- forest_plot(fit, transf = exp)
      tk <- attr(d, "ticks")
      expect_true("1" %in% tk$labels)
      expect_gte(length(tk$labels), 3)
      expect_equal(exp(tk$at), as.numeric(tk$labels), tolerance = 1e-8)
      # the device state forest_plot() drew the axis in
      op <- graphics::par(cex = 0.85)
      half <- graphics::strwidth(tk$labels) / 2
      gap <- tk$at[-1] - half[-1] - (tk$at[-length(tk$at)] + half[-length(half)])
      graphics::par(op)
      expect_true(all(gap > 0), label = paste("labels overlap at", w, "px"))
    })
  }
  # untransformed axes too, and the default label names the measure's scale
  d <- plot_on_device(width = 700, forest_plot(fit))
  expect_true("0" %in% attr(d, "ticks")$labels)
})

test_that("axis labels name the measure on the scale drawn", {
  fit <- pool(plot_bcg_yi, plot_bcg_vi, measure = "OR")
  lab <- function(...) attr(plot_on_device(funnel_plot(fit, ...)), "xlab")
  expect_identical(lab(), "Log odds ratio")
  expect_identical(lab(atransf = exp), "Odds ratio (log scale)")
  expect_identical(lab(transf = exp), "Odds ratio")
  expect_identical(lab(xlab = "OR"), "OR")
  md <- pool(plot_bcg_yi, plot_bcg_vi, measure = "MD")
  expect_identical(attr(plot_on_device(funnel_plot(md)), "xlab"),
                   "Mean difference")
  none <- pool(plot_bcg_yi, plot_bcg_vi)
  expect_identical(attr(plot_on_device(funnel_plot(none)), "xlab"),
                   "Effect size")
})

test_that("funnel_plot(transf =) moves the points, atransf only labels the axis", {
  fit <- pool(plot_bcg_yi, plot_bcg_vi, measure = "RR")
  d <- plot_on_device(funnel_plot(fit, transf = exp))
  expect_equal(d$x, exp(plot_bcg_yi))
  expect_equal(d$yi, plot_bcg_yi)
  expect_equal(d$sei, sqrt(plot_bcg_vi))
  a <- plot_on_device(funnel_plot(fit, atransf = exp))
  expect_equal(a$x, plot_bcg_yi)
  tk <- attr(a, "ticks")
  expect_equal(exp(tk$at), as.numeric(tk$labels), tolerance = 1e-8)
  expect_true("1" %in% tk$labels)
  expect_error(funnel_plot(fit, transf = exp, atransf = exp), "not both")
  expect_error(funnel_plot(fit, atransf = "exp"), "`atransf` must be a function")
})

test_that("bubble_plot() draws the studies and the fitted line of the meta-regression", {
  d <- data.frame(yi = plot_bcg_yi, vi = plot_bcg_vi, ablat = plot_bcg_ablat,
                  year = plot_bcg_year)
  fit <- pool(yi, vi, data = d, mods = ~ ablat, measure = "RR")
  b <- plot_on_device(bubble_plot(fit, transf = exp, n = 7))
  expect_equal(b$studies$x, plot_bcg_ablat)
  expect_equal(b$studies$yi, exp(plot_bcg_yi))
  expect_equal(b$studies$weight, fit$weights)
  grid <- seq(13, 55, length.out = 7)
  pr <- predict(fit, newdata = data.frame(ablat = grid), transf = exp)
  expect_equal(b$line$x, grid)
  for (v in c("estimate", "conf.low", "conf.high", "pi.low", "pi.high"))
    expect_equal(b$line[[v]], pr[[v]], tolerance = 1e-10)
  # two moderators: the other one held at its mean
  f2 <- pool(yi, vi, data = d, mods = ~ ablat + year, test = "hksj")
  b2 <- plot_on_device(bubble_plot(f2, mod = "year", n = 5, pi = FALSE))
  g2 <- seq(min(d$year), max(d$year), length.out = 5)
  p2 <- predict(f2, newdata = data.frame(ablat = mean(d$ablat), year = g2))
  expect_equal(b2$line$estimate, p2$estimate, tolerance = 1e-10)
  expect_equal(b2$line$conf.high, p2$conf.high, tolerance = 1e-10)
  expect_identical(b2$mod, "year")
  expect_identical(plot_on_device(bubble_plot(f2, mod = 2, n = 5))$mod, "year")
  expect_error(bubble_plot(pool(plot_bcg_yi, plot_bcg_vi)),
               "must be a meta-regression")
  expect_error(bubble_plot(f2, mod = "latitude"), "`mod` must name")
  expect_error(bubble_plot(f2, n = 1), "`n` must be")
})
