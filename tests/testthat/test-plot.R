# Forest and funnel plots: the returned data and drawing to a file device
# (pdf; the plots were also inspected as PNG images).
yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01, -0.47, -1.37,
        -0.34, 0.45, -0.02)
vi <- c(0.326, 0.195, 0.415, 0.020, 0.051, 0.007, 0.223, 0.004, 0.056,
        0.073, 0.012, 0.533, 0.071)
grp <- c("a", "a", "a", "a", "b", "b", "a", "a", "a", "b", "b", "b", "b")
lab <- paste("Trial", 1:13)

draw <- function(expr) {
  f <- tempfile(fileext = ".pdf")
  grDevices::pdf(f, width = 9, height = 7)
  on.exit({ grDevices::dev.off(); unlink(f) })
  force(expr)
}

test_that("forest_plot() returns the drawn rows with CIs, weights and the diamond", {
  fit <- pool(yi, vi, slab = lab)
  d <- draw(forest_plot(fit))
  st <- d[d$type == "study", ]
  expect_equal(st$label, lab)
  expect_equal(st$estimate, yi)
  z <- stats::qnorm(0.975)
  expect_equal(st$conf.low, yi - z * sqrt(vi), tolerance = 1e-12)
  expect_equal(st$weight, fit$weights)
  expect_equal(sum(st$weight), 100)
  ov <- d[d$type == "overall", ]
  expect_equal(ov$estimate, unname(coef(fit)))
  expect_equal(c(ov$conf.low, ov$conf.high), c(fit$coef_table$conf.low, fit$coef_table$conf.high))
  expect_equal(c(ov$pi.low, ov$pi.high), c(fit$pi.low, fit$pi.high))
  expect_true(all(diff(d$row) < 0))
  # transf back-transforms every number; order sorts the studies
  e <- draw(forest_plot(fit, transf = exp, order = "estimate",
                        xlab = "Risk ratio", showweights = FALSE))
  expect_equal(e$estimate[e$type == "study"], exp(sort(yi)))
  expect_equal(e$pi.low[e$type == "overall"], exp(fit$pi.low))
  p <- draw(forest_plot(fit, order = "precision", refline = NULL))
  expect_equal(p$label[p$type == "study"], lab[order(vi)])
  q <- draw(forest_plot(fit, order = 13:1))
  expect_equal(q$label[q$type == "study"], rev(lab))
  expect_error(forest_plot(fit, order = 1:3), "one value per study")
  expect_error(forest_plot(fit, transf = "exp"), "must be a function")
  expect_error(forest_plot(list()), "must be a fit from pool")
  # plot() method
  expect_equal(draw(plot(fit)), d)
})

test_that("forest_plot() draws subgroups with their diamonds; trim-and-fill studies", {
  s <- pool(yi, vi, slab = lab, subgroup = grp)
  d <- draw(forest_plot(s, transf = exp))
  sg <- d[d$type == "subgroup", ]
  expect_equal(sg$group, c("a", "b"))
  expect_equal(sg$estimate, exp(s$subgroups$estimate))
  expect_equal(d$label[d$type == "header"], c("a", "b"))
  expect_equal(sum(d$type == "study"), 13)
  expect_equal(d$group[d$type == "study"], c(grp[grp == "a"], grp[grp == "b"]))
  tf <- trim_fill(pool(yi, vi, method = "FE"), side = "right")
  dt <- draw(forest_plot(tf))
  expect_equal(sum(dt$type == "filled"), tf$k0)
  expect_gt(tf$k0, 0)
  mr <- pool(yi, vi, mods = seq_along(yi))
  dm <- draw(forest_plot(mr))
  expect_false(any(dm$type == "overall"))
  expect_equal(dm$fitted, predict(mr)$estimate, tolerance = 1e-12)
  expect_true(all(is.na(d$fitted)))
})

test_that("funnel_plot() returns the studies and the contour levels", {
  fit <- pool(yi, vi, method = "FE", slab = lab)
  d <- draw(funnel_plot(fit))
  expect_equal(d$yi, yi)
  expect_equal(d$sei, sqrt(vi))
  expect_false(any(d$filled))
  cc <- attr(d, "contours")
  expect_equal(cc$level, c(0.9, 0.95, 0.99))
  expect_equal(cc$crit, stats::qnorm(c(0.95, 0.975, 0.995)))
  expect_equal(attr(d, "estimate"), unname(coef(fit)))
  tf <- trim_fill(fit, side = "right")
  expect_gt(tf$k0, 0)
  dt <- draw(funnel_plot(tf, contours = 0.95, legend = TRUE))
  expect_equal(sum(dt$filled), tf$k0)
  expect_equal(dt$yi[dt$filled], tf$yi[tf$fill])
  # mirror images about the trimmed estimate
  dn <- draw(funnel_plot(fit, contours = NULL))
  expect_equal(nrow(attr(dn, "contours")), 0)
  expect_error(funnel_plot(fit, contours = 1.5), "confidence levels in \\(0, 1\\)")
  expect_error(funnel_plot(pool(yi, vi, mods = seq_along(yi))),
               "without moderators")
  expect_error(funnel_plot(1), "must be a fit from pool")
})
