# Internal helpers shared by every family: argument capture, validation and
# messages. Nothing here is exported.

# Errors and warnings without the call: the message names the argument.
nev_stop <- function(...) stop(paste0(...), call. = FALSE)
nev_warn <- function(...) warning(paste0(...), call. = FALSE)

`%||%` <- function(x, y) if (is.null(x)) y else x

# Evaluate a column argument captured with substitute(): an unquoted column
# name of `data`, a string naming a column of `data`, or an ordinary vector
# (expression) evaluated in `env`. Returns NULL for a missing argument when
# `required = FALSE`.
nev_arg <- function(expr, data, env, name, required = TRUE) {
  if (missing(expr) || identical(expr, quote(expr = ))) {
    if (required) nev_stop("`", name, "` is missing, with no default")
    return(NULL)
  }
  if (!is.null(data) && !is.data.frame(data) && !is.list(data))
    nev_stop("`data` must be a data frame (got ", class(data)[1], ")")
  # a column named in `data` is what eval() would find: skip the handler
  val <- if (is.symbol(expr) && !is.null(data) && nev_is_column(expr, data)) {
    .subset2(data, as.character(expr))
  } else {
    tryCatch(
      if (is.null(data)) eval(expr, env) else eval(expr, data, env),
      error = function(e) {
        if (is.symbol(expr) && !is.null(data) &&
            !(as.character(expr) %in% names(data)))
          nev_stop("`", name, "`: `data` has no column `", as.character(expr),
                   "` (its columns: ", nev_list(names(data)),
                   ") and there is no such object either")
        nev_stop("could not evaluate `", name, "`: ", conditionMessage(e))
      })
  }
  if (is.character(val) && length(val) == 1L && !is.null(data) &&
      val %in% names(data))
    val <- data[[val]]
  val
}

# Is the symbol `e` a column of the list `data`? Then .subset2(data, name),
# the first column of that name, is what eval(e, data) finds.
nev_is_column <- function(e, data) as.character(e) %in% names(data)

# Row numbers for a message: "3, 7 and 9" (at most `max` shown).
nev_rows <- function(idx, max = 5L) {
  idx <- as.integer(idx)
  if (length(idx) > max)
    return(paste0(paste(idx[seq_len(max)], collapse = ", "), " and ",
                  length(idx) - max, " more"))
  if (length(idx) <= 1L) return(as.character(idx))
  paste0(paste(idx[-length(idx)], collapse = ", "), " and ", idx[length(idx)])
}

# A numeric vector (logical NA allowed), coerced to double.
nev_check_numeric <- function(x, name) {
  if (is.null(x)) nev_stop("`", name, "` is missing")
  if (is.logical(x) && all(is.na(x))) x <- as.double(x)
  if (!is.numeric(x))
    nev_stop("`", name, "` must be numeric (got ", class(x)[1], ")")
  if (is.factor(x)) nev_stop("`", name, "` must be numeric, not a factor")
  as.double(x)
}

# Up to `max` names, comma-separated, "..." when there are more.
nev_list <- function(x, max = 10L) {
  x <- as.character(x)
  if (length(x) > max) x <- c(x[seq_len(max)], "...")
  paste(x, collapse = ", ")
}

# Recycle named vectors to a common length (0 when some have length 0 and
# the others length 1); the error names the offenders.
nev_recycle <- function(args) {
  lens <- lengths(args)
  n <- if (any(lens == 0L) && all(lens <= 1L)) 0L else max(lens)
  bad <- lens != n & lens != 1L
  if (any(bad))
    nev_stop("arguments must have the same length or length 1: ",
             paste0("`", names(args), "` has length ", lens, collapse = ", "))
  lapply(args, function(a) if (length(a) == 1L && n != 1L) rep(a, n) else a)
}

nev_check_level <- function(level, name = "level") {
  if (!is.numeric(level) || anyNA(level) || any(level <= 0 | level >= 1))
    nev_stop("`", name, "` must be strictly between 0 and 1 (got ",
             paste(format(level), collapse = ", "), ")")
  as.double(level)
}

# Warn about and flag NA rows; returns the logical "complete" vector.
nev_na_rows <- function(args) {
  na <- Reduce(`|`, lapply(args, is.na))
  if (any(na))
    nev_warn(sum(na), if (sum(na) > 1) " rows have" else " row has",
             " missing values and give", if (sum(na) == 1) "s",
             " NA: row", if (sum(na) > 1) "s", " ", nev_rows(which(na)))
  !na
}

# Enum codes of the C core by name, from C (src/r_enum.c) once per session:
# nev_enum("pool_method", "REML") is NEV_POOL_REML. A name that is not in
# the group is an internal error (the strings are matched before).
nev_enum <- function(group, name) {
  if (is.null(.nev_cache$enums)) .nev_cache$enums <- .Call(C_nev_enums)
  codes <- .nev_cache$enums[[group]][name]
  if (anyNA(codes))
    stop("internal: no code for ", paste(name, collapse = ", "), " in ",
         group, call. = FALSE)
  unname(codes)
}

.nev_cache <- new.env(parent = emptyenv())
