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

test_that("a forked child after a multi-threaded gosh() or permutation_test() runs", {
  # both came after the fork handler and used their `threads` as given: a
  # child forked after a call with threads = 2 waited forever in libgomp
  skip_on_os("windows")
  set.seed(3)
  k <- 40
  d <- data.frame(v = runif(k, 0.01, 0.1), x = rnorm(k))
  d$y <- rnorm(k, 0.3 * d$x, sqrt(d$v + 0.05))
  fit <- pool(y, v, mods = ~ x, data = d)
  perm <- function() {
    set.seed(7)
    permutation_test(fit, iter = 20000, threads = 2)
  }
  ref <- perm()
  got <- in_forked_child(perm())
  expect_identical(got$table, ref$table)
  expect_identical(got$QM_p, ref$QM_p)
  f12 <- pool(d$y[1:12], d$v[1:12])
  # 4095 subsets: every one, in a fixed order
  ref <- gosh(f12, subsets = 4096, threads = 2)
  got <- in_forked_child(gosh(f12, subsets = 4096, threads = 2))
  expect_identical(got$res, ref$res)
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

test_that("small pool_batch() calls run serially: threads = 2 starts no thread", {
  # libgomp's waiting threads made 300 small calls with threads = 2 about
  # 15 times slower than with one thread. Without timing anything: in a
  # fresh R process, a small call with threads = 2 must leave the process
  # with its one thread (libgomp keeps a team's threads alive after the
  # first parallel region), while a large call starts the team.
  skip_on_os(c("windows", "mac", "solaris"))
  skip_if_not(file.exists("/proc/self/status"))
  code <- c(
    "library(nutrievidence)",
    "nth <- function() sub('Threads:[[:space:]]*', '', grep('^Threads:',",
    "  readLines('/proc/self/status'), value = TRUE))",
    "set.seed(1); n <- 5 * 2e4; g <- rep(seq_len(2e4), each = 5)",
    "v <- runif(n, 0.01, 0.1); y <- rnorm(n)",
    "before <- nth()",
    "for (i in 1:20) pool_batch(y[1:100], v[1:100], g[1:100], threads = 2)",
    "small <- nth()",
    "invisible(pool_batch(y, v, g, threads = 2))",
    "cat('threads', before, small, nth(), '\\n')")
  f <- tempfile(fileext = ".R")
  writeLines(code, f)
  on.exit(unlink(f))
  rscript <- file.path(R.home("bin"), "Rscript")
  out <- system2(rscript, c("--vanilla", shQuote(f)), stdout = TRUE,
                 stderr = TRUE,
                 env = paste0("R_LIBS=", paste(.libPaths(), collapse = ":")))
  line <- grep("^threads ", out, value = TRUE)
  expect_length(line, 1L)
  n <- as.integer(strsplit(line, " ")[[1]][2:4])
  expect_identical(n[2], n[1], label = paste(out, collapse = "\n"))
  # the large call does start a team where OpenMP has two processors
  mk <- readLines(file.path(R.home("etc"), "Makeconf"))
  omp <- grepl("^SHLIB_OPENMP_CFLAGS *= *-", mk)
  if (parallel::detectCores() >= 2 && any(omp))
    expect_gt(n[3], n[1])
})
