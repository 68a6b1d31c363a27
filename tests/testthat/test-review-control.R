# One choice matcher, one validated *_control() per family, and a warning
# for arguments swallowed by `...`.

test_that("every *_control() has the same elements and checks them", {
  for (f in list(pool_control, dose_control, curve_control)) {
    expect_named(f(), c("tol", "maxiter"))
    expect_error(f(tol = "a"), "`tol` must be a single number in \\(0, 1\\) \\(got \"a\"\\)")
    expect_error(f(maxiter = Inf), "`maxiter` must be a single finite whole number >= 1 \\(got Inf\\)")
    expect_error(f(maxiter = 2.5), "`maxiter`")
    expect_identical(f(maxiter = 20)$maxiter, 20L)
  }
})

test_that("a control list: unknown names and bad values are errors naming them", {
  d <- c(0, 0, 5, 5, 10, 10, 25, 25, 50, 50, 100, 100)
  y <- c(0.1, -0.2, 1.9, 2.3, 3.4, 3.1, 5.2, 4.8, 6.1, 6.0, 6.9, 6.6)
  expect_error(dose_curve(d, y, control = list(maxit = 10)),
               "`control` has unknown element `maxit`; curve_control\\(\\) takes `tol`, `maxiter`")
  expect_error(dose_curve(d, y, control = list(tol = "a")),
               "`control`: `tol` must be a single number")
  fx <- readRDS(test_path("fixtures", "dose_dosresmeta.rds"))
  alc <- fx$data$alcohol_cvd
  fit <- function(ctl) dose_response(logrr ~ dose, id = id, type = type,
                                     cases = cases, n = n, se = se,
                                     data = alc, control = ctl)
  expect_error(fit(list(tol = "a")), "`control`: `tol` must be a single number in \\(0, 1\\) \\(got \"a\"\\)")
  expect_error(fit(list(maxit = 5)), "unknown element `maxit`; dose_control\\(\\) takes")
  expect_error(fit("fast"), "`control` must be a list such as dose_control\\(\\)")
  expect_equal(coef(fit(dose_control(tol = 1e-10))), coef(fit(list())),
               tolerance = 1e-6)
  expect_error(pool(c(0.1, 0.3), c(0.01, 0.02), control = list(maxiter = Inf)),
               "`control`: `maxiter` must be a single finite whole number")
  expect_error(pool(c(0.1, 0.3), c(0.01, 0.02), control = list(tl = 1e-8)),
               "unknown element `tl`")
})

test_that("arguments swallowed by ... are disregarded with a warning", {
  fit <- pool(c(0.1, 0.3, 0.2), c(0.01, 0.02, 0.015))
  expect_warning(leave_one_out(fit, order = 3:1), "`order` disregarded by leave_one_out\\(\\)")
  expect_warning(tidy(fit, conf.lvl = 0.9), "`conf.lvl` disregarded by tidy\\(\\)")
  expect_warning(confint(fit, lvel = 0.9), "`lvel` disregarded")
  expect_warning(predict(fit, exp, 0.9, 1), "\\(unnamed\\) disregarded by predict\\(\\)")
  expect_silent(tidy(fit, conf.level = 0.9))
})

test_that("one matcher: exact, any case, unique prefix, aliases", {
  y <- c(0.1, 0.3, 0.2); v <- c(0.01, 0.02, 0.015)
  expect_equal(pool(y, v, method = "reml")$method, "REML")
  expect_equal(pool(y, v, method = "EE")$method, "FE")
  expect_equal(pool(y, v, test = "KNHA")$test, "hksj")
  expect_equal(pool(y, v, test = "hk")$test, "hksj")
  # "DL" is a choice and a prefix of "DL2": the exact match wins
  expect_equal(pool(y, v, method = "dl")$method, "DL")
  expect_error(pool(y, v, method = "H"), "`method` should be one of")
  expect_equal(attr(effect_counts(4, 20, 5, 20, measure = "or"), "measure"),
               "OR")
})
