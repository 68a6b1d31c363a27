# Scale-out through the future framework. Long computations (GOSH subsets,
# permutations, many meta-analyses, replicate fits) are split into chunks;
# the chunks run through future.apply when the user has set a
# non-sequential future::plan(), and in a plain loop otherwise. Each chunk
# that draws random numbers gets its own L'Ecuyer-CMRG stream, derived from
# the caller's RNG state before any chunk runs, so that the result for a
# given set.seed() does not depend on the plan, the number of workers or
# whether future is installed at all.

# Split 1..n into consecutive pieces of at most `size`: a list of integer
# pairs c(from, to). The pieces depend on n and size only (never on the
# number of workers), which keeps random streams tied to the same work.
nev_chunks <- function(n, size) {
  n <- as.double(n); size <- as.double(size)
  if (n < 1) return(list())
  from <- seq(1, n, by = size)
  to <- pmin(from + size - 1, n)
  lapply(seq_along(from), function(i) c(from[i], to[i]))
}

# TRUE when future.apply is installed and the current plan is not
# sequential: then chunks go to future's workers.
# A plan can only have been set when future is loaded: checking that first
# keeps a session that never uses future from loading it.
nev_future_active <- function() {
  isNamespaceLoaded("future") &&
    requireNamespace("future.apply", quietly = TRUE) &&
    !inherits(future::plan(), "sequential")
}

# Number of workers of the current plan (1 without future).
nev_future_workers <- function() {
  if (!nev_future_active()) return(1L)
  as.integer(future::nbrOfWorkers())
}

# One L'Ecuyer-CMRG seed (a .Random.seed vector) per chunk. The first is
# made from one draw of the caller's RNG, so set.seed() reproduces the
# streams and the caller's stream advances as after any random call; the
# caller's RNG kind is left as it was.
nev_chunk_seeds <- function(n) {
  s <- sample.int(.Machine$integer.max, 1L)
  old <- nev_rng_save()
  on.exit(nev_rng_restore(old))
  suppressWarnings(RNGkind("L'Ecuyer-CMRG"))
  set.seed(s)
  seeds <- vector("list", n)
  cur <- get(".Random.seed", envir = globalenv())
  for (i in seq_len(n)) {
    seeds[[i]] <- cur
    cur <- parallel::nextRNGStream(cur)
  }
  seeds
}

nev_rng_save <- function() {
  list(kind = RNGkind(),
       seed = if (exists(".Random.seed", envir = globalenv(),
                         inherits = FALSE))
         get(".Random.seed", envir = globalenv()))
}

nev_rng_restore <- function(old) {
  suppressWarnings(do.call(RNGkind, as.list(old$kind)))
  if (is.null(old$seed)) {
    if (exists(".Random.seed", envir = globalenv(), inherits = FALSE))
      rm(".Random.seed", envir = globalenv())
  } else assign(".Random.seed", old$seed, envir = globalenv())
}

# Apply FUN(chunk, ...) to every element of `chunks` and return the list of
# results in order.
#   seed = TRUE: each chunk runs on its own L'Ecuyer-CMRG stream (see
#     nev_chunk_seeds()); FUN draws with R's RNG as usual (also from C via
#     unif_rand()). The results are identical for every plan.
#   seed = FALSE: FUN must not draw random numbers.
# With a non-sequential plan the chunks go through
# future.apply::future_lapply() (its `future.seed` given the same streams);
# otherwise a plain loop runs them here. Progress (one step per chunk) is
# signalled through progressr when it is loaded: a user sees it with
# progressr::with_progress() or progressr::handlers(global = TRUE).
# Memory stays bounded by what FUN returns per chunk.
nev_future_lapply <- function(chunks, FUN, ..., seed = FALSE) {
  n <- length(chunks)
  if (n == 0L) return(list())
  seeds <- if (isTRUE(seed)) nev_chunk_seeds(n)
  run <- nev_chunk_runner(FUN, nev_progressor(n, environment()))
  # future_lapply() moves the caller's RNG state: keep it where the seeds
  # left it, so what follows does not depend on the plan
  old <- nev_rng_save()
  on.exit(nev_rng_restore(old))
  if (nev_future_active())
    return(future.apply::future_lapply(
      chunks, run, ..., future.seed = if (is.null(seeds)) FALSE else seeds,
      future.packages = "nutrievidence"))
  if (is.null(seeds)) return(lapply(chunks, run, ...))
  out <- vector("list", n)
  for (i in seq_len(n)) {
    assign(".Random.seed", seeds[[i]], envir = globalenv())
    out[i] <- list(run(chunks[[i]], ...))
  }
  out
}

# FUN followed by one progress step. Built here so that the closure sent to
# a worker carries FUN and the progressor only, not the caller's chunks.
nev_chunk_runner <- function(FUN, step) {
  force(FUN); force(step)
  function(chunk, ...) {
    out <- FUN(chunk, ...)
    step()
    out
  }
}

# A function to call once per finished chunk: progressr's progressor (alive
# as long as the frame `envir`) when progressr is in use, else a no-op.
nev_progressor <- function(steps, envir) {
  # progress is shown only through handlers the user set up with progressr,
  # which loads it
  if (!isNamespaceLoaded("progressr"))
    return(nev_no_progress)
  progressr::progressor(steps = steps, envir = envir)
}

# The progress step without progressr. Defined here, not inside
# nev_progressor(): a closure made there would carry that frame, whose
# `envir` is the caller's frame with every chunk, to each worker.
nev_no_progress <- function() invisible(NULL)
