# Threads: bounded by the work and the machine, safe after fork().

test_that("a forked child after a multi-threaded pool_batch() runs", {
  skip_on_os("windows")
  d <- batch_data(4000)
  ref <- pool_batch(y, v, g, data = d, threads = 2)
  # the parent has now started OpenMP threads; a child must not hang
  got <- in_forked_child(pool_batch(y, v, g, data = d, threads = 2))
  expect_identical(got, ref)
  # mclapply's children, watched by a child that can be killed
  res <- in_forked_child(parallel::mclapply(1:2, function(i)
    pool_batch(y, v, g, data = d, threads = 2)$estimate, mc.cores = 2))
  expect_identical(res[[2]], ref$estimate)
})

test_that("a forked child after a multi-threaded intake_simulate() runs", {
  skip_on_os("windows")
  diet <- data.frame(food = c("a", "b"), p_day = c(0.5, 0.2),
                     portion_g = c(10, 50), content_ug_per_g = c(1, 2))
  ref <- intake_simulate(diet, n = 2e5, seed = 1, threads = 2)
  got <- in_forked_child(intake_simulate(diet, n = 2e5, seed = 1,
                                         threads = 2))
  expect_identical(got$intake, ref$intake)
})

test_that("threads = 1024 with 11 groups needs memory for the data only", {
  skip_on_os("windows")
  # one group of 2e5 studies: the old work space was threads x the
  # largest group (1024 x 2e5 x 15 doubles, 25 GB)
  r <- run_limited_r(c(
    "library(nutrievidence)",
    "g <- c(rep(1, 2e5), 2:11); set.seed(1)",
    "v <- runif(length(g), 0.01, 0.1); y <- rnorm(length(g))",
    "r <- pool_batch(y, v, g, threads = 1024)",
    "cat('rows', nrow(r), '\\n')"), vmem_kb = 3000000)
  expect_identical(r$status, 0L)
  expect_true(any(grepl("rows 11", r$output)), label = paste(r$output,
                                                              collapse = "\n"))
})

test_that("threads the system cannot start are an R error, not an abort", {
  skip_on_os("windows")
  r <- run_limited_r(c(
    "library(nutrievidence)",
    "d <- data.frame(g = rep(1:5000, each = 4), v = 0.05)",
    "set.seed(1); d$y <- rnorm(nrow(d))",
    "a <- tryCatch(nrow(pool_batch(y, v, g, data = d, threads = 512)),",
    "              error = conditionMessage)",
    "options(nutrievidence.oversubscribe = TRUE)",
    "b <- tryCatch(nrow(pool_batch(y, v, g, data = d, threads = 512)),",
    "              error = conditionMessage)",
    "cat('A:', a, '\\nB:', b, '\\nalive\\n')"), vmem_kb = 1500000)
  out <- paste(r$output, collapse = "\n")
  expect_identical(r$status, 0L, label = out)
  expect_match(out, "A: 5000", fixed = TRUE)
  # with oversubscription allowed, either it worked or it said why
  expect_match(out, "B: (5000|`threads` = 512)")
  expect_match(out, "alive", fixed = TRUE)
})

test_that("results do not depend on the number of threads", {
  d <- batch_data(3000)
  ref <- pool_batch(y, v, g, data = d, threads = 1)
  for (th in c(2, 3, 1024)) {
    expect_identical(pool_batch(y, v, g, data = d, threads = th), ref)
  }
  withr_opt <- options(nutrievidence.oversubscribe = TRUE)
  on.exit(options(withr_opt))
  expect_identical(pool_batch(y, v, g, data = d, threads = 7), ref)
})
