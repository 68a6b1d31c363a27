# The chunk runner gives the same results, for the same seed, whatever the
# future plan: a plain loop (no plan), sequential, multisession with 2
# workers. Workers load the installed package.

draw <- function(ch) c(ch[1], stats::runif(3), sample.int(100L, 2L))

test_that("chunks depend on the size of the work only", {
  ch <- nutrievidence:::nev_chunks(10, 4)
  expect_equal(ch, list(c(1, 4), c(5, 8), c(9, 10)))
  expect_equal(nutrievidence:::nev_chunks(0, 4), list())
  expect_equal(nutrievidence:::nev_chunks(3, 10), list(c(1, 3)))
})

test_that("the function sent to each worker does not carry the caller's chunks", {
  # a closure made in a frame that holds the chunks took them along: 10^6
  # meta-analyses on two workers were ten times slower than one process
  ns <- asNamespace("nutrievidence")
  size <- local({
    chunks <- list(stats::rnorm(1e5), stats::rnorm(1e5))
    run <- ns$nev_chunk_runner(identity,
                               ns$nev_progressor(length(chunks), environment()))
    length(serialize(run, NULL))
  })
  expect_lt(size, 1e4)
})

test_that("per-chunk streams are reproducible and leave the RNG kind alone", {
  kind <- RNGkind()
  set.seed(11)
  a <- nutrievidence:::nev_future_lapply(nutrievidence:::nev_chunks(9, 2),
                                         draw, seed = TRUE)
  after_a <- stats::runif(1)
  set.seed(11)
  b <- nutrievidence:::nev_future_lapply(nutrievidence:::nev_chunks(9, 2),
                                         draw, seed = TRUE)
  expect_identical(a, b)
  expect_identical(stats::runif(1), after_a)
  expect_identical(RNGkind(), kind)
  # distinct streams: no two chunks draw the same numbers
  u <- vapply(a, function(z) z[2], 0)
  expect_equal(length(unique(u)), length(u))
  # the stream of chunk i is the i-th L'Ecuyer stream from the first
  set.seed(11)
  s <- nutrievidence:::nev_chunk_seeds(5)
  expect_identical(s[[3]], parallel::nextRNGStream(
    parallel::nextRNGStream(s[[1]])))
})

test_that("results are identical under sequential and multisession plans", {
  skip_on_cran()
  skip_if_not_installed("future")
  skip_if_not_installed("future.apply")
  old <- future::plan()
  on.exit(future::plan(old), add = TRUE)
  ch <- nutrievidence:::nev_chunks(7, 2)
  set.seed(5)
  none <- nutrievidence:::nev_future_lapply(ch, draw, seed = TRUE)
  future::plan(future::sequential)
  set.seed(5)
  seq1 <- nutrievidence:::nev_future_lapply(ch, draw, seed = TRUE)
  future::plan(future::multisession, workers = 2)
  set.seed(5)
  ms <- nutrievidence:::nev_future_lapply(ch, draw, seed = TRUE)
  expect_identical(seq1, none)
  expect_identical(ms, none)
  plain <- nutrievidence:::nev_future_lapply(ch, function(z) sum(z))
  expect_identical(plain, lapply(ch, sum))
})

# run() under the sequential plan and under multisession with 2 workers
# (skipped without future): the two results.
under_plans <- function(run) {
  skip_on_cran()
  skip_if_not_installed("future")
  skip_if_not_installed("future.apply")
  old <- future::plan()
  on.exit(future::plan(old), add = TRUE)
  future::plan(future::sequential)
  a <- run()
  future::plan(future::multisession, workers = 2)
  b <- run()
  list(sequential = a, multisession = b)
}

test_that("pool_batch(), gosh() and permutation_test() agree across plans", {
  set.seed(21)
  d <- data.frame(g = rep(1:40, each = 6), v = runif(240, 0.01, 0.1))
  d$y <- rnorm(240, 0.2, sqrt(d$v + 0.03))
  fit <- pool(d$y[1:12], d$v[1:12])
  fit_reg <- pool(d$y[1:12], d$v[1:12], mods = ~ d$g[1:12] %% 3)
  run <- function() {
    set.seed(99)
    list(batch = pool_batch(y, v, g, data = d),
         gosh = gosh(fit, max_k = 8, subsets = 300, chunk_size = 70),
         perm = permutation_test(fit, iter = 250, chunk_size = 60),
         perm_reg = permutation_test(fit_reg, iter = 250, chunk_size = 60),
         after = stats::runif(1))
  }
  r <- under_plans(run)
  expect_identical(r$multisession, r$sequential)
  expect_false(r$sequential$gosh$exact)
  expect_false(r$sequential$perm$exact)
})

test_that("the bias correction of intake_usual() is the same under every plan", {
  set.seed(3)
  m <- 300
  v <- stats::rnorm(m)
  rec <- data.frame(id = rep(seq_len(m), each = 2))
  rec$y <- ifelse(stats::runif(2 * m) < stats::plogis(v[rec$id]),
                  exp(2 + 0.4 * v[rec$id] + stats::rnorm(2 * m, 0, 0.6)), 0)
  run <- function() {
    set.seed(17)
    f <- intake_usual(rec, id, y, bias_correct = "bootstrap", bias_B = 6)
    list(q = quantile(f), par = f$bias$par, after = stats::runif(1))
  }
  r <- under_plans(run)
  expect_identical(r$multisession, r$sequential)
})

test_that("workers without the package: future's error, no hang", {
  skip_on_cran()
  skip_if_not_installed("future")
  skip_if_not_installed("future.apply")
  # the workers below still see the site libraries: a copy of the package
  # installed there (make install) would be found
  skip_if(nzchar(system.file(package = "nutrievidence",
                             lib.loc = c(.Library.site, .Library))),
          "nutrievidence is installed in a site library")
  old <- future::plan()
  on.exit(future::plan(old), add = TRUE)
  fit <- pool(c(0.1, 0.5, -0.2, 0.9, 0.3), c(0.04, 0.05, 0.03, 0.1, 0.02))
  # workers that see only R's own library: future says so, either when the
  # plan is set (future itself is missing there: "not installed", or "not
  # available" in recent future) or when gosh() runs
  expect_error({
    future::plan(future::multisession, workers = 2, rscript_libs = .Library)
    gosh(fit, chunk_size = 8)
  }, "not installed|not available|nutrievidence")
  future::plan(future::sequential)
  expect_s3_class(gosh(fit, chunk_size = 8), "nev_gosh")
})

test_that("one progress step per chunk through progressr", {
  skip_if_not_installed("progressr")
  loadNamespace("progressr")
  old <- options(progressr.enable = TRUE)   # off by default when not interactive
  on.exit(options(old), add = TRUE)
  n <- 0L
  withCallingHandlers(
    nutrievidence:::nev_future_lapply(nutrievidence:::nev_chunks(10, 3),
                                      function(ch) sum(ch)),
    progression = function(cnd) {
      if (identical(cnd$type, "update")) n <<- n + 1L
    })
  expect_equal(n, 4L)
})
