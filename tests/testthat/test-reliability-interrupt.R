# Interrupts inside C loops: setTimeLimit() raises its error at the same
# checks as Ctrl-C, so an elapsed limit shows whether a C loop checks: the
# error must come while the C code runs, not after it has returned.

test_that("pool_batch() stops inside its C loop at a time limit", {
  d <- batch_data(1e5)
  d$y[1] <- NA
  # the limit starts at the warning about the NA row, just before the
  # C code (the R code before it would otherwise use up the limit)
  inside <- error_inside_call(withCallingHandlers(
    pool_batch(y, v, g, data = d),
    warning = function(w) {
      setTimeLimit(elapsed = 0.01, transient = TRUE)
      invokeRestart("muffleWarning")
    }), nutrievidence::pool_batch, "r")
  setTimeLimit(elapsed = Inf)
  expect_true(inside)
  # and the next call works normally
  expect_identical(nrow(pool_batch(y, v, g, data = d[2:50, ])), 10L)
})

test_that("intake_simulate() with many foods stops inside its C loop", {
  diet <- data.frame(food = paste0("f", 1:300), p_day = 0.5,
                     portion_g = 10, content_ug_per_g = 1)
  inside <- error_inside_call({
    setTimeLimit(elapsed = 0.3, transient = TRUE)
    intake_simulate(diet, n = 4e5, seed = 1)
  }, nutrievidence::intake_simulate, "res")
  setTimeLimit(elapsed = Inf)
  expect_true(inside)
})

test_that("leave_one_out() and cumulative() stop inside their C loops", {
  set.seed(3)
  k <- 3000
  v <- runif(k, 0.01, 0.1)
  fit <- pool(rnorm(k, 0, sqrt(v + 0.05)), v)
  for (f in list(leave_one_out, cumulative)) {
    inside <- error_inside_call({
      setTimeLimit(elapsed = 0.1, transient = TRUE)
      f(fit)
    }, f, "r")
    setTimeLimit(elapsed = Inf)
    expect_true(inside)
  }
})

test_that("the intake_usual() fit and its bootstrap stop inside their C loops", {
  # 2e5 persons with two recalls: the fit takes seconds in C, and before
  # issue 13 it ran to its end whatever the time limit
  set.seed(4)
  m <- 2e5
  y <- exp(3 + rep(rnorm(m, 0, 0.5), each = 2) + rnorm(2 * m, 0, 0.6))
  args <- list(y, as.integer(2L * (seq_len(m) - 1L)), rep(2L, m),
               matrix(1, m, 1), rep(1, m), FALSE, NA_real_, c(0, 1.5), 20L)
  fit_c <- function() {
    r <- do.call(.Call, c(list(nutrievidence:::C_intake_usual_fit), args))
    r
  }
  boot_c <- function() {
    r <- do.call(.Call, c(list(nutrievidence:::C_intake_usual_boot), args,
                          list(50L, 0.5, 3L)))
    r
  }
  for (f in list(fit_c, boot_c)) {
    inside <- error_inside_call({
      setTimeLimit(elapsed = 0.2, transient = TRUE)
      f()
    }, f, "r")
    setTimeLimit(elapsed = Inf)
    expect_true(inside)
  }
})
