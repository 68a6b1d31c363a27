# Benchmark: pool_batch() on 10^6 meta-analyses (k = 10, REML) with no
# future plan (one process, 1 OpenMP thread) against
# future::plan(multisession, workers = 2) (1 thread per worker): elapsed
# time (a first call, then a second one with the workers running), speed-up, and peak memory of the main R process (peak resident set
# size from /proc, and R's largest heap use from gc()). Each setting runs
# in a fresh R process so that peaks do not carry over. The results are
# checked to be identical. On a machine shared with other work the
# speed-up reflects the cores actually free: the load average is printed.
#   Rscript bench/future.R [G]    (G meta-analyses, default 1e6)
args <- commandArgs(TRUE)
G <- if (length(args)) as.numeric(args[1]) else 1e6

child <- tempfile(fileext = ".R")
writeLines(c(
  'suppressPackageStartupMessages(library(nutrievidence))',
  'a <- commandArgs(TRUE); G <- as.numeric(a[1]); mode <- a[2]; out <- a[3]',
  'set.seed(2026); k <- 10',
  'vi <- runif(G * k, 0.01, 0.2)',
  'yi <- rnorm(G * k, 0.3, sqrt(vi + rep(rexp(G, 20), each = k)))',
  'grp <- rep(seq_len(G), each = k)',
  'if (mode == "multisession") future::plan(future::multisession, workers = 2)',
  'invisible(gc(reset = TRUE))',
  't <- system.time(r <- pool_batch(yi, vi, grp, threads = 1L))[["elapsed"]]',
  '# again, with the workers started and the package loaded in them',
  't2 <- system.time(r2 <- pool_batch(yi, vi, grp, threads = 1L))[["elapsed"]]',
  'stopifnot(identical(r, r2))',
  'hwm <- grep("VmHWM", readLines("/proc/self/status"), value = TRUE)',
  'peak <- as.numeric(gsub("[^0-9]", "", hwm)) / 1024',
  'saveRDS(list(time = t, time2 = t2, rss = peak, heap = sum(gc()[, 6]), res = r), out)'),
  child)

run <- function(mode) {
  out <- tempfile(fileext = ".rds")
  system2(file.path(R.home("bin"), "Rscript"), c(child, G, mode, out))
  readRDS(out)
}
s <- run("none")
m <- run("multisession")
cat("\npool_batch(), ", format(G, big.mark = ","),
    " meta-analyses of k = 10 (REML); load average ",
    readLines("/proc/loadavg", warn = FALSE), "\n\n", sep = "")
tab <- data.frame(plan = c("none (sequential)", "multisession, 2 workers"),
                  elapsed_s = c(s$time, m$time),
                  elapsed_again_s = c(s$time2, m$time2),
                  us_per_fit = 1e6 * c(s$time2, m$time2) / G,
                  peak_rss_main_MB = c(s$rss, m$rss),
                  peak_R_heap_main_MB = c(s$heap, m$heap))
print(tab, row.names = FALSE, digits = 4)
cat(sprintf("\nspeed-up with 2 workers: %.2fx on the first call (the workers start and load the package), %.2fx on the second; identical results: %s\n",
            s$time / m$time, s$time2 / m$time2, identical(s$res, m$res)))
