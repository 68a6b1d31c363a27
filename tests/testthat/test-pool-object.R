# pool() builds its object in C for plain vectors (r_pool_object() in
# r_pool.c); it must be identical() to the object the R path builds
# (pool_build(), taken here through `data =`) for every estimator, test,
# level, prediction-interval df, I^2 definition and option.

pool_both <- function(y, v, ...) {
  a <- tryCatch(suppressWarnings(pool(y, v, ...)),
                error = function(e) conditionMessage(e))
  b <- tryCatch(suppressWarnings(pool(yi, vi, data = data.frame(yi = y, vi = v),
                                      ...)),
                error = function(e) conditionMessage(e))
  list(a = a, b = b)
}

test_that("the C-built pool() object equals the R-built one, field by field", {
  set.seed(11)
  methods <- c("FE", "DL", "REML", "ML", "PM", "EB", "HE", "HS", "SJ", "DL2")
  n_fast <- 0L
  bad <- character()
  for (k in c(2L, 3L, 5L, 10L, 25L)) {
    y <- rnorm(k, 0.2, if (k == 5L) 0.01 else 0.3)   # k = 5: tau^2 at 0
    v <- runif(k, 0.005, 0.2)
    for (m in methods) for (te in c("z", "hksj")) for (lv in c(0.95, 0.9))
      for (pd in list(NULL, "k-1", "k-2")) for (ii in c("tau2", "Q")) {
        r <- pool_both(y, v, method = m, test = te, level = lv, pi_df = pd,
                       i2 = ii, hksj_adhoc = te == "hksj" && k == 10L)
        lab <- paste(m, te, lv, format(pd), ii, k)
        if (is.character(r$a) || is.character(r$b)) {
          if (!identical(r$a, r$b)) bad <- c(bad, lab)
          next
        }
        n_fast <- n_fast + 1L
        r$a$call <- r$b$call <- NULL
        if (!identical(r$a, r$b)) bad <- c(bad, lab)
      }
  }
  expect_identical(bad, character())
  expect_gt(n_fast, 1000L)
})

test_that("the C-built object keeps measure, control and the call", {
  y <- c(-0.3, -0.1, 0.05, -0.2, -0.4)
  v <- c(0.02, 0.03, 0.015, 0.05, 0.04)
  ctl <- pool_control(tol = 1e-12, maxiter = 500)
  a <- pool(y, v, measure = "RR", control = ctl)
  b <- pool(yi, vi, data = data.frame(yi = y, vi = v), measure = "RR",
            control = ctl)
  expect_identical(a$measure, "RR")
  expect_identical(a$control, ctl)
  expect_identical(deparse(a$call),
                   "pool(yi = y, vi = v, measure = \"RR\", control = ctl)")
  a$call <- b$call <- NULL
  expect_identical(a, b)
  # and every method of the class works on it
  expect_equal(confint(a), confint(b))
  expect_identical(tidy(a), tidy(b))
  expect_identical(glance(a), glance(b))
  expect_identical(capture.output(print(a)), capture.output(print(b)))
})

test_that("pool() takes the R path where the C object does not apply", {
  # one study: the message; slab and subset: labels and rows
  expect_message(f <- pool(0.2, 0.01), "only one study")
  expect_identical(f$k, 1L)
  f <- pool(c(0.1, 0.3, 0.2), c(0.01, 0.02, 0.03), slab = c("a", "b", "c"))
  expect_identical(f$slab, c("a", "b", "c"))
  f <- pool(c(0.1, 0.3, 0.2), c(0.01, 0.02, 0.03), subset = 1:2)
  expect_identical(f$k, 2L)
  expect_warning(f <- pool(c(0.1, NA, 0.2), c(0.01, 0.02, 0.03)),
                 "missing values dropped")
  expect_identical(f$k, 2L)
})
