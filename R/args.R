# The one choice matcher of the package. `arg` is a single string matched
# against `choices`: exactly, then ignoring case, then as a unique prefix
# (also ignoring case), so "reml" finds "REML" and "pet" finds "Peto".
# `aliases` maps other accepted spellings to a choice (c(knha = "hksj")).
# The default (the whole vector of choices, or NULL) gives the first choice.
# Without `choices`, they are the default of the caller's argument `name`.
# The message keeps match.arg()'s "should be one of".
nev_match_arg <- function(arg, choices, name = NULL, aliases = NULL) {
  name <- name %||% deparse(substitute(arg))
  if (missing(choices)) {
    sp <- sys.parent()
    fa <- formals(sys.function(sp))
    choices <- eval(fa[[name]], envir = sys.frame(sp))
  }
  if (is.null(arg) || identical(arg, choices)) return(choices[1L])
  i <- NA_integer_
  if (is.character(arg) && length(arg) == 1L && !is.na(arg) && nzchar(arg)) {
    if (tolower(arg) %in% tolower(names(aliases)))
      arg <- aliases[[match(tolower(arg), tolower(names(aliases)))]]
    i <- match(arg, choices)
    if (is.na(i)) i <- match(tolower(arg), tolower(choices))
    if (is.na(i)) i <- pmatch(arg, choices)
    if (is.na(i)) i <- pmatch(tolower(arg), tolower(choices))
  }
  if (is.na(i)) nev_match_arg_fail(arg, choices, name)
  choices[i]
}

nev_match_arg_fail <- function(arg, choices, name) {
  one <- paste0("\"", choices, "\"", collapse = ", ")
  if (!is.character(arg))
    nev_stop("`", name, "` must be NULL or a character vector, one of ",
             one, " (got ", class(arg)[1], " of length ", length(arg), ")")
  got <- if (length(arg) == 1L) paste0("\"", arg, "\"") else
    paste0(length(arg), " strings")
  nev_stop("`", name, "` should be one of ", one, " (got ", got, ")")
}

# broom's conventions for tidy(): conf.int = FALSE drops the limits and
# exponentiate = TRUE puts the estimate and limits on the ratio scale
# (std.error, statistic and p.value stay on the log scale).
nev_tidy_finish <- function(out, conf.int, exponentiate) {
  for (a in list(list(conf.int, "conf.int"),
                 list(exponentiate, "exponentiate")))
    if (!is.logical(a[[1]]) || length(a[[1]]) != 1L || is.na(a[[1]]))
      nev_stop("`", a[[2]], "` must be TRUE or FALSE (got ",
               paste(format(a[[1]]), collapse = ", "), ")")
  if (exponentiate) {
    cols <- intersect(c("estimate", "conf.low", "conf.high"), names(out))
    out[cols] <- lapply(out[cols], exp)
  }
  if (!conf.int) out$conf.low <- out$conf.high <- NULL
  out
}

# A numeric column that came as text: say what it holds and the likely slip
# (a string that is not a column of `data`, numbers stored as text, a p-value
# bound). Otherwise nev_check_numeric().
nev_num <- function(x, name, data = NULL) {
  if (is.character(x) && length(x)) nev_stop_character(x, name, data)
  nev_check_numeric(x, name)
}

nev_stop_character <- function(x, nm, data) {
  first <- x[!is.na(x)][1]
  bound <- grepl("^\\s*[<>]", x)
  hint <- if (nm == "p" && any(bound))
    paste0("; a bound such as \"", x[bound][1], "\" gives ",
           "no standard error (claim_check() can use it)")
  else if (!anyNA(suppressWarnings(as.numeric(x[!is.na(x)]))))
    "; convert it with as.numeric()"
  else if (length(x) == 1L && !is.null(data))
    paste0("; `data` has no column \"", first, "\"")
  nev_stop("`", nm, "` must be numeric (got character, e.g. \"", first,
           "\")", hint)
}
