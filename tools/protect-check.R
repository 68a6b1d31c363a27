# Static PROTECT checks of the glue files src/r_*.c (make gctorture, make lint).
# For every function in a glue file:
#  1. an R object allocated into a variable is PROTECTed in the same
#     statement or the next one, or is returned or stored into a protected
#     object (SET_VECTOR_ELT, Rf_setAttrib ...) by the next statement;
#  2. once a function has PROTECTed anything, every later `return` comes
#     right after an UNPROTECT;
#  3. a literal UNPROTECT(k) never pops more than the PROTECT calls written
#     before it. Functions that take the counter by pointer (int *nprotect)
#     return a protected object to their caller and are exempt from rule 2.
# Heuristic by design: it reads the text, it does not compile it. A line can
# opt out with the comment /* protect-check: ok (reason) */.
#   Rscript tools/protect-check.R [SRCDIR]
a <- commandArgs(TRUE)
dir <- if (length(a)) a[1] else "src"
files <- list.files(dir, pattern = "^r_.*\\.c$", full.names = TRUE)
files <- files[basename(files) != "r_util.c"]
alloc <- paste0("Rf_(allocVector|allocMatrix|alloc3DArray|allocList|allocSExp|",
                "ScalarReal|ScalarInteger|ScalarLogical|ScalarString|mkString|",
                "mkChar|mkCharCE|mkCharLen|duplicate|shallow_duplicate|lengthgets|",
                "xlengthgets|coerceVector|install|mkNamed|PairToVectorList|",
                "VectorToPairList|cons|lcons|list[1-6]|lang[1-6])\\s*\\(")
problems <- character()
for (f in files) {
  raw <- readLines(f, warn = FALSE)
  optout <- grepl("protect-check: ok", raw)
  txt <- paste(raw, collapse = "\n")
  # Blank out comments and strings but keep newlines, so offsets map to lines.
  blank <- function(m) gsub("[^\n]", " ", m)
  for (re in c("/\\*(.|\n)*?\\*/", "//[^\n]*", "\"(\\\\.|[^\"\\\\])*\"")) {
    mm <- gregexpr(re, txt, perl = TRUE)
    regmatches(txt, mm) <- lapply(regmatches(txt, mm), blank)
  }
  chars <- strsplit(txt, "")[[1]]
  line_of <- cumsum(chars == "\n") + 1L
  depth <- cumsum(ifelse(chars == "{", 1L, ifelse(chars == "}", -1L, 0L)))
  # Top-level bodies: a "{" that takes depth from 0 to 1.
  opens <- which(chars == "{" & depth == 1L & c(0L, depth[-length(depth)]) == 0L)
  for (o in opens) {
    close <- o + which(depth[(o + 1L):length(depth)] == 0L)[1L]
    head_start <- max(c(0L, which(chars[seq_len(o - 1L)] %in% c(";", "}")))) + 1L
    head <- paste(chars[head_start:(o - 1L)], collapse = "")
    fname <- regmatches(head, regexpr("[A-Za-z_][A-Za-z0-9_]*(?=\\s*\\()", head, perl = TRUE))
    if (!length(fname)) next
    body <- paste(chars[o:close], collapse = "")
    base_line <- line_of[o]
    # Statements: split at ; { } keeping their offsets.
    ends <- gregexpr("[;{}]", body)[[1]]
    starts <- c(1L, ends[-length(ends)] + 1L)
    stm <- trimws(substring(body, starts, ends))
    stm_line <- base_line + vapply(starts, function(s)
      sum(strsplit(substr(body, 1L, s), "")[[1]] == "\n"), 0L)
    # Lines of the statement's first non-blank character.
    lead <- regexpr("\\S", substring(body, starts, ends))
    stm_line <- base_line + vapply(seq_along(starts), function(i)
      sum(strsplit(substr(body, 1L, starts[i] + max(lead[i], 1L) - 1L), "")[[1]] == "\n"), 0L)
    # Brace depth at each statement (1 = the function's top level).
    opens_before <- vapply(starts, function(s0)
      sum(strsplit(substr(body, 1L, s0 - 1L), "")[[1]] == "{") -
      sum(strsplit(substr(body, 1L, s0 - 1L), "")[[1]] == "}"), 0L)
    stm_depth <- opens_before
    is_prot <- grepl("(^|[^N])PROTECT(_WITH_INDEX)?\\s*\\(", stm)
    n_prot <- sum(lengths(regmatches(stm, gregexpr("(^|[^N_A-Za-z])PROTECT(_WITH_INDEX)?\\s*\\(", stm))))
    where <- function(i) sprintf("%s:%d (%s)", f, stm_line[i], fname)
    ok_line <- function(i) optout[min(stm_line[i], length(optout))]
    # Counter mode: UNPROTECT(var) somewhere, or a counter passed in by
    # pointer (a helper that returns a protected object to its caller).
    counter_mode <- any(grepl("UNPROTECT\\s*\\(\\s*[A-Za-z_*(]", stm))
    helper_out <- grepl("int\\s*\\*\\s*[A-Za-z_]*prot", head)
    pending <- 0L
    for (i in seq_along(stm)) {
      s <- stm[i]
      if (grepl(paste0("^[A-Za-z_][A-Za-z0-9_ \\*]*=\\s*", alloc), s) && !is_prot[i]) {
        var <- sub("^(SEXP\\s+)?\\**\\s*([A-Za-z_][A-Za-z0-9_]*).*", "\\2", s)
        nxt <- if (i < length(stm)) stm[i + 1L] else ""
        if (!grepl(paste0("PROTECT\\s*\\(\\s*", var, "\\s*\\)"), nxt) &&
            !grepl(paste0("^return\\s+", var, "\\s*;"), nxt) &&
            !grepl(paste0("^(SET_VECTOR_ELT|SET_STRING_ELT|Rf_setAttrib|Rf_namesgets|Rf_dimgets|Rf_classgets)\\s*\\(.*[(, ]", var, "\\s*\\)\\s*;$"), nxt) &&
            !ok_line(i))
          problems <- c(problems, sprintf("%s: `%s` is allocated but not PROTECTed", where(i), var))
      }
      pending <- pending + lengths(regmatches(s, gregexpr("(^|[^N_A-Za-z])PROTECT(_WITH_INDEX)?\\s*\\(", s)))
      lit <- regmatches(s, regexpr("UNPROTECT\\s*\\(\\s*[0-9]+\\s*\\)", s))
      if (length(lit)) {
        k <- as.integer(gsub("[^0-9]", "", lit))
        if (k > pending && !ok_line(i))
          problems <- c(problems, sprintf("%s: UNPROTECT(%d) but only %d PROTECT call(s) before it",
                                          where(i), k, pending))
        # Only an unconditional UNPROTECT at the function's top level pops
        # for the code after it; one in an if or a nested block belongs to
        # that path (an early return or error).
        if (stm_depth[i] <= 1L && !grepl("^(if|else)\\b", s))
          pending <- max(0L, pending - k)
      }
      if (grepl("(^|[)]\\s*|\\belse\\s+)return\\b", s) && !ok_line(i) && !helper_out &&
          (pending > 0L || counter_mode)) {
        prev <- if (i > 1L) stm[i - 1L] else ""
        before_any <- !any(is_prot[seq_len(i)])
        if (!before_any && !grepl("UNPROTECT\\s*\\(", prev))
          problems <- c(problems, sprintf("%s: `return` after PROTECT without UNPROTECT just before it", where(i)))
      }
    }
  }
}
if (length(problems)) {
  cat(problems, sep = "\n")
  cat(sprintf("protect-check: %d problem(s) in %d glue file(s)\n", length(problems), length(files)))
  quit(status = 1L)
}
cat(sprintf("protect-check: %d glue file(s), no problems\n", length(files)))
