# Control settings: one validated *_control() per family with the same
# element names (`tol`, `maxiter`), and the check of a `control` list.

# `tol` a number in (0, 1) and `maxiter` a finite whole number >= 1; the
# message names the element and what was supplied.
nev_control_values <- function(tol, maxiter) {
  if (!is.numeric(tol) || length(tol) != 1L || is.na(tol) || tol <= 0 ||
      tol >= 1)
    nev_stop("`tol` must be a single number in (0, 1) (got ",
             nev_show(tol), ")")
  if (!is.numeric(maxiter) || length(maxiter) != 1L || !is.finite(maxiter) ||
      maxiter < 1 || maxiter != round(maxiter) ||
      maxiter > .Machine$integer.max)
    nev_stop("`maxiter` must be a single finite whole number >= 1 (got ",
             nev_show(maxiter), ")")
  list(tol = as.double(tol), maxiter = as.integer(maxiter))
}

# A value for a message: strings quoted, vectors shortened.
nev_show <- function(x) {
  if (is.null(x)) return("NULL")
  if (!is.atomic(x)) return(paste("a", class(x)[1]))
  v <- if (is.character(x)) paste0("\"", x, "\"") else format(x)
  paste(nev_list(v, 5L), collapse = ", ")
}

# A `control` list from a *_control() function or written by hand: every
# element must be one of the arguments of `maker` (a misspelt `maxit` is an
# error, not silently ignored); the values are checked by `maker`.
nev_check_control <- function(control, maker, fname) {
  if (is.null(control)) return(maker())
  if (!is.list(control))
    nev_stop("`control` must be a list such as ", fname, "() (got ",
             class(control)[1L], ")")
  known <- names(formals(maker))
  nm <- names(control) %||% rep("", length(control))
  bad <- nm[!nm %in% known]
  if (length(bad))
    nev_stop("`control` has unknown element",
             if (length(bad) > 1L) "s", " ",
             paste0("`", ifelse(nzchar(bad), bad, "(unnamed)"), "`",
                    collapse = ", "), "; ", fname, "() takes ",
             paste0("`", known, "`", collapse = ", "))
  tryCatch(do.call(maker, control), error = function(e)
    nev_stop("`control`: ", conditionMessage(e)))
}

#' Control settings for the iterative tau^2 estimators
#'
#' @param tol Relative convergence tolerance on tau^2 (|change| <= tol *
#'   tau^2) for REML, ML, PM and EB, and for the Q-profile interval.
#' @param maxiter Maximum number of Newton/Fisher-scoring steps before the
#'   bracketing root finder (Brent) takes over.
#' @return A list with elements `tol` and `maxiter`. A `control` list given
#'   by hand is checked by this function: unknown elements are an error.
#' @family pool
#' @examples
#' pool_control(tol = 1e-10)
#' @export
pool_control <- function(tol = 1e-12, maxiter = 1000L) {
  nev_control_values(tol, maxiter)
}

#' Control settings for dose-response fits
#'
#' @param tol Gradient tolerance of the optimiser in the scaled
#'   parameterisation.
#' @param maxiter Maximum number of iterations.
#' @return A list with elements `tol` and `maxiter`, for the `control`
#'   argument of [dose_response()]; a list given by hand is checked by this
#'   function (unknown elements are an error).
#' @family dose
#' @examples
#' dose_control(maxiter = 2000)
#' @export
dose_control <- function(tol = 1e-8, maxiter = 1000L) {
  nev_control_values(tol, maxiter)
}

#' Control settings for nonlinear dose-response curves
#'
#' @param tol Tolerance of GSL's trust-region solver (its `xtol` and
#'   `gtol`).
#' @param maxiter Maximum number of iterations.
#' @return A list with elements `tol` and `maxiter`, for the `control`
#'   argument of [dose_curve()]; a list given by hand is checked by this
#'   function (unknown elements are an error).
#' @family dose
#' @examples
#' curve_control(tol = 1e-10)
#' @export
curve_control <- function(tol = 1e-12, maxiter = 500L) {
  nev_control_values(tol, maxiter)
}

# Extra arguments swallowed by `...` are disregarded with a warning naming
# them (as metafor's .chkdots); `fun` is the caller's name for the message.
nev_check_dots <- function(fun, ...) {
  if (...length() == 0L) return(invisible())
  nm <- ...names() %||% rep("", ...length())
  nm[is.na(nm)] <- ""
  nev_warn("extra argument", if (length(nm) > 1L) "s", " ",
           paste0(ifelse(nzchar(nm), paste0("`", nm, "`"), "(unnamed)"),
                  collapse = ", "), " disregarded by ", fun, "()")
}
