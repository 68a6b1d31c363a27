#' Threads: how many are used, and forked processes
#'
#' Functions with a `threads` argument ([pool_batch()], [intake_simulate()],
#' [gosh()], [permutation_test()]) run their C loops on up to `threads`
#' OpenMP threads. Results never depend on the number of threads.
#'
#' @section How many threads are used:
#' `threads` is an upper bound. A call uses at most one thread per piece
#' of work that is worth a thread (a small call runs serially: waking a
#' thread would cost more than it saves), and at most
#' `parallel::detectCores()` threads (OpenMP's `omp_get_num_procs()`).
#' Set `options(nutrievidence.oversubscribe = TRUE)` to allow more threads
#' than processors. If the system cannot start the threads (for example
#' under a limit on address space, `ulimit -v`), the call stops with an
#' error naming `threads` instead of ending the R session, and the work
#' space of each thread is sized by its own share of the data.
#'
#' @section Forked processes:
#' OpenMP's thread pool does not survive `fork()`: in a child started by
#' `parallel::mclapply()`, `parallel::mcparallel()` or `future`'s
#' multicore plan after a multi-threaded call, a parallel region could wait
#' forever. nutrievidence notices the fork (as data.table does) and runs
#' every call in such a child on one thread, whatever `threads` says. The
#' parent keeps its threads.
#'
#' @section Interrupts:
#' Long C loops check for a user interrupt (Ctrl-C, Esc) and for the limits
#' of [setTimeLimit()] every few milliseconds, free their memory and stop.
#'
#' @name nutrievidence-threads
#' @examples
#' set.seed(1)
#' d <- data.frame(g = rep(1:200, each = 5), v = runif(1000, 0.01, 0.1))
#' d$y <- rnorm(1000, 0.2, sqrt(d$v + 0.02))
#' # small: runs serially whatever `threads` says
#' head(pool_batch(y, v, g, data = d, threads = 2), 3)
NULL
