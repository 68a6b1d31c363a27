# Adversarial argument lists for the registered .Call entry points.
# nev_fuzz_cases(routines, corpus) returns a list of cases, each
# list(name, args, what, huge): `what` says which mutation was applied and
# `huge` marks cases that ask for a lot of work (their timeouts are reported
# but are not failures).

# Replacements of a whole argument by something of the wrong type, length or
# value. Each entry: list(value, huge).
nev_fuzz_pool <- function() {
  big <- stats::runif(1e5 + 1)
  l <- list(
    "NULL" = NULL, "numeric(0)" = numeric(0), "integer(0)" = integer(0),
    "logical(0)" = logical(0), "character(0)" = character(0), "list()" = list(),
    "NA" = NA, "NA_real_" = NA_real_, "NA_integer_" = NA_integer_,
    "NA_character_" = NA_character_, "NaN" = NaN, "Inf" = Inf, "-Inf" = -Inf,
    "0" = 0, "-1" = -1, "0.5" = 0.5, "4.5" = 4.5, "1e308" = 1e308, "-1e308" = -1e308,
    "5e-324" = 5e-324, "0L" = 0L, "-1L" = -1L, "1L" = 1L,
    "100000L" = 100000L, "int.max" = .Machine$integer.max, "-int.max" = -.Machine$integer.max,
    "2^31" = 2^31, "2^53" = 2^53, "1e15" = 1e15,
    "TRUE" = TRUE, "FALSE" = FALSE, "'a'" = "a", "''" = "",
    "list(1, 2)" = list(1, 2), "list(NULL)" = list(NULL), "1i" = 1i,
    "raw" = as.raw(1), "function" = function(x) x, "env" = new.env(),
    "data.frame" = data.frame(a = 1:3, b = c(0.1, 0.2, 0.3)),
    "matrix 0x0" = matrix(0, 0, 0), "matrix NaN 2x2" = matrix(NaN, 2, 2),
    "matrix 2x3" = matrix(c(1, 0.5, 0.5, 1, 0.2, 0.1), 2, 3),
    "singular 3x3" = matrix(1, 3, 3), "c(-1,-2,-3)" = c(-1, -2, -3),
    "c(0,0,0)" = c(0, 0, 0), "c(1,NaN,Inf)" = c(1, NaN, Inf),
    "c(1e300,1e300,-1e300)" = c(1e300, 1e300, -1e300), "1:3" = 1:3,
    "c('a','b')" = c("a", "b"), "factor" = factor(c("a", "b")),
    "runif(1e5+1)" = big, "rep(NaN, 1e5+1)" = rep(NaN, 1e5 + 1)
  )
  huge <- names(l) %in% c("1e308", "100000L", "int.max", "2^31", "2^53", "1e15",
                          "runif(1e5+1)", "rep(NaN, 1e5+1)", "-1e308")
  list(values = l, huge = huge)
}

# Mutations of a valid argument that keep its type: length changes and
# special values in single elements. Returns a named list of list(value, huge).
nev_fuzz_mutate <- function(v) {
  out <- list()
  add <- function(what, val, huge = FALSE) out[[what]] <<- list(val, huge)
  if (is.list(v) && !is.data.frame(v)) {
    if (length(v)) {
      add("list: drop last", v[-length(v)])
      add("list: first NULL", { w <- v; w[1L] <- list(NULL); w })
      add("list: extra element", c(v, v[1L]))
      inner <- nev_fuzz_mutate(v[[1L]])
      for (w in names(inner)) {
        vv <- v; vv[[1L]] <- inner[[w]][[1L]]
        add(paste("list[[1]]:", w), vv, inner[[w]][[2L]])
      }
    }
    return(out)
  }
  if (!is.atomic(v) || is.null(v)) return(out)
  n <- length(v)
  keep_attr <- function(w) { if (!is.null(dim(v)) && length(w) == n) dim(w) <- dim(v); w }
  if (n > 0L) {
    add("length 0", v[0L])
    add("first only", v[1L])
    if (n > 1L) add("drop last", v[-n])
    add("one extra", c(v, v[n]))
    add("doubled", rep(v, 2L))
    if (!is.null(dim(v))) {
      add("transposed", t(v))
      add("dim dropped", as.vector(v))
      if (nrow(v) > 1L) add("drop a row", v[-1L, , drop = FALSE])
    }
  }
  if (is.double(v) && n > 0L) {
    specials <- list("NA" = NA_real_, "NaN" = NaN, "Inf" = Inf, "-Inf" = -Inf, "0" = 0,
                     "-1" = -1, "negated" = NULL, "1e308" = 1e308, "-1e308" = -1e308,
                     "5e-324" = 5e-324, "2^31" = 2^31, "1e15" = 1e15)
    for (pos in unique(c(1L, n, (n + 1L) %/% 2L))) {
      for (s in names(specials)) {
        w <- v
        w[pos] <- if (s == "negated") -v[pos] - 1 else specials[[s]]
        add(sprintf("[%d] <- %s", pos, s), w,
            s %in% c("1e308", "-1e308", "2^31", "1e15"))
      }
    }
    add("all NaN", keep_attr(rep(NaN, n)))
    add("all 0", keep_attr(rep(0, n)))
    add("all -1", keep_attr(rep(-1, n)))
    add("all equal", keep_attr(rep(v[1L], n)))
    add("as integer", { w <- suppressWarnings(as.integer(v)); keep_attr(w) })
  }
  if (is.integer(v) && !is.factor(v) && n > 0L) {
    specials <- list("NA" = NA_integer_, "0" = 0L, "-1" = -1L,
                     "100000L" = 100000L, "int.max" = .Machine$integer.max, "-int.max" = -.Machine$integer.max)
    for (pos in unique(c(1L, n))) for (s in names(specials)) {
      w <- v; w[pos] <- specials[[s]]
      add(sprintf("[%d] <- %s", pos, s), w, s %in% c("100000L", "int.max", "-int.max"))
    }
    add("as double", keep_attr(as.double(v)))
    add("as double + 0.5", keep_attr(as.double(v) + 0.5))
  }
  if (is.logical(v) && n > 0L) {
    w <- v; w[1L] <- NA; add("[1] <- NA", w)
    add("as integer", as.integer(v))
  }
  if (is.character(v) && n > 0L) {
    for (s in list("", NA_character_, "no such option", strrep("x", 1e4), "\u00b5g")) {
      w <- v; w[1L] <- s
      add(sprintf("[1] <- %s", encodeString(substr(s, 1, 12), quote = "'")), w)
    }
    # Texts for the scanner: invalid UTF-8, random bytes, truncated
    # sequences, a long run of statistics and brackets.
    for (s in nev_fuzz_texts()) {
      w <- v; w[1L] <- s$value
      add(paste("[1] <- text:", s$what), w, s$huge)
    }
  }
  out
}

# Strings that stress a text scanner. Each entry: list(what, value, huge).
nev_fuzz_texts <- function() {
  raw_str <- function(b) { s <- rawToChar(as.raw(b)); Encoding(s) <- "bytes"; s }
  stat <- "HR 0.91 (95% CI 0.85\u20131.00; p = 0.04) "
  list(
    list(what = "invalid UTF-8", value = raw_str(c(0x48, 0x52, 0x20, 0xff, 0xc3, 0x28, 0xe2, 0x82)), huge = FALSE),
    list(what = "random bytes", value = raw_str(sample(1:255, 2000, replace = TRUE)), huge = FALSE),
    list(what = "truncated UTF-8 at the end", value = raw_str(c(0x30, 0x2e, 0x39, 0x31, 0x20, 0x28, 0xe2, 0x80)), huge = FALSE),
    list(what = "brackets and dashes", value = strrep("((([[-\u2013- 1.0 -", 2e4), huge = FALSE),
    list(what = "10^5 statistics", value = strrep(stat, 1e5), huge = TRUE),
    list(what = "digits only", value = strrep("1", 1e6), huge = TRUE)
  )
}

# Pool values are stored by name in the cases (the big ones would make the
# case file huge) and resolved in the child process.
nev_fuzz_ref <- function(v) structure(list(v), class = "nev_fuzz_ref")
nev_fuzz_resolve <- function(args, pool) {
  for (i in seq_along(args))
    if (inherits(args[[i]], "nev_fuzz_ref"))
      args[i] <- list(pool$values[[args[[i]][[1L]]]])
  args
}

nev_fuzz_scale <- function(args, len = 40L) {
  changed <- FALSE
  for (i in seq_along(args)) {
    v <- args[[i]]
    if (is.atomic(v) && is.null(dim(v)) && length(v) >= 2L && length(v) < len) {
      args[[i]] <- rep_len(v, len); changed <- TRUE
    }
  }
  if (changed) args else NULL
}

nev_fuzz_cases <- function(routines, corpus, max_per_routine = 1500L,
                           random_per_routine = 150L) {
  pool <- nev_fuzz_pool()
  cases <- list()
  push <- function(name, args, what, huge = FALSE)
    cases[[length(cases) + 1L]] <<- list(name = name, args = args, what = what,
                                         huge = huge)
  plausible <- list(c(0.1, 0.5, -0.2, 1.3, 0.7), c(0.04, 0.02, 0.09, 0.01, 0.05),
                    5L, 1, 0.95, TRUE, FALSE, "REML", 1:5, diag(3),
                    list(diag(2), diag(2)))
  for (r in routines) {
    nm <- r$name; k <- r$numParameters
    mine <- list()
    push2 <- function(args, what, huge = FALSE)
      mine[[length(mine) + 1L]] <<- list(name = nm, args = args, what = what, huge = huge)
    if (k < 0L) k <- 3L
    # Whole-argument replacements, the same value in every position.
    for (v in names(pool$values))
      push2(rep(list(nev_fuzz_ref(v)), k), paste("all args", v),
            pool$huge[match(v, names(pool$values))])
    bases <- corpus[[nm]]
    # R keeps vectors of up to 128 bytes in its own pages, where reading past
    # the end is invisible to ASan and valgrind: add a variant of each
    # baseline with its short vectors recycled to length 40 (malloc'ed).
    bases <- c(bases, Filter(Negate(is.null), lapply(bases, nev_fuzz_scale)))
    if (!length(bases)) {
      # Never called by the tests: random combinations of plausible values.
      bases <- lapply(seq_len(4L), function(i) sample(plausible, k, replace = TRUE))
    }
    for (b in seq_along(bases)) {
      base <- bases[[b]]
      push2(base, sprintf("baseline %d", b))
      for (i in seq_len(k)) {
        for (v in names(pool$values)) {
          a <- base; a[i] <- list(nev_fuzz_ref(v))
          push2(a, sprintf("baseline %d, arg %d <- %s", b, i, v),
                pool$huge[match(v, names(pool$values))])
        }
        mut <- nev_fuzz_mutate(base[[i]])
        for (w in names(mut)) {
          a <- base; a[i] <- list(mut[[w]][[1L]])
          push2(a, sprintf("baseline %d, arg %d: %s", b, i, w), mut[[w]][[2L]])
        }
      }
      # Random multi-argument mutations.
      for (j in seq_len(random_per_routine %/% length(bases))) {
        a <- base; huge <- FALSE; what <- character()
        for (i in sample.int(k, min(k, sample(2:3, 1L)))) {
          mut <- nev_fuzz_mutate(base[[i]])
          if (length(mut) && stats::runif(1) < 0.7) {
            w <- sample(names(mut), 1L); a[i] <- list(mut[[w]][[1L]])
            huge <- huge || mut[[w]][[2L]]
          } else {
            w <- sample(names(pool$values), 1L); a[i] <- list(nev_fuzz_ref(w))
            huge <- huge || pool$huge[match(w, names(pool$values))]
          }
          what <- c(what, sprintf("arg %d: %s", i, w))
        }
        push2(a, sprintf("baseline %d, random: %s", b, paste(what, collapse = "; ")), huge)
      }
    }
    if (length(mine) > max_per_routine)
      mine <- mine[sort(sample.int(length(mine), max_per_routine))]
    for (m in mine) push(m$name, m$args, m$what, m$huge)
  }
  cases
}
