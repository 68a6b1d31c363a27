# The base class of every fitted object: `nev_fit`.
#
# How to build a fitted object on it (the only way to make one):
#
#   obj <- new_nev_fit(
#     list(<the family's own fields>),     # data, settings, heterogeneity ...
#     class = "nev_<family>",             # or c("nev_sub", "nev_<family>")
#     coefficients = b,                   # named numeric vector
#     vcov = V,                           # p x p matrix (names are set)
#     nobs = n,                           # what nobs() and logLik() report
#     logLik = ll, npar = q,              # NA when there is no likelihood
#     ddf = NA,                           # t df per coefficient, NA = normal
#     level = 0.95)
#
# The object is a list of class c(<class>, "nev_fit") with the family's
# fields plus `coefficients`, `vcov`, `coef_table` (broom's columns term,
# estimate, std.error, statistic, p.value, conf.low, conf.high at `level`),
# `ddf`, `nobs`, `logLik` (a "logLik" object whose "nobs" is `nobs`) and
# `level`. coef(), vcov(), confint() (the stats matrix), tidy(), glance(),
# nobs(), logLik() and the coefficient print are methods of nev_fit and are
# not written again. A family adds only what is its own, through these
# internal generics:
#   - nev_glance_extra(x): a named list of its statistics, appended by
#     glance() after `nobs` (broom's names for metafor where they exist:
#     tau.squared, tau.squared.se, i.squared, h.squared, cochran.qe,
#     p.value.cochran.qe, cochran.qm, p.value.cochran.qm, df.residual, ...).
#   - nev_fit_header(x) / nev_fit_footer(x): lines printed around the
#     coefficient table.
#   - nev_conf_limits(x, level): a p x 2 matrix when the intervals are not
#     Wald intervals from `std.error` and `ddf` (e.g. bootstrap percentiles).
# Non-Wald standard errors, statistics or p-values are passed to the
# constructor (`std.error`, `statistic`, `p.value`). Names: a confidence
# bound is conf.low / conf.high; a standard error std.error; object fields
# use the suffixes _df, _p and _se (Q, Q_df, Q_p, tau2, tau2_se).

#' @importFrom stats coef vcov confint predict nobs logLik pnorm pt qnorm qt
NULL

#' Fitted objects: the methods every family shares
#'
#' Every fitted object of the package ([pool()], [pool_counts()],
#' subgroup and meta-regression fits, [trim_fill()], [dose_response()],
#' [dose_curve()], [intake_usual()]) has class `c("nev_<family>",
#' "nev_fit")` and holds one coefficient table in broom's vocabulary, so
#' that these methods behave the same for all of them:
#' * `coef()`: the named coefficients; `vcov()`: their covariance matrix.
#' * `confint(object, parm, level)`: the matrix of [stats::confint()], one
#'   row per coefficient, columns named by the probabilities (`"2.5 %"`).
#' * `tidy(x, conf.int = TRUE, conf.level = x$level, exponentiate = FALSE)`:
#'   a data frame with columns `term, estimate, std.error, statistic,
#'   p.value, conf.low, conf.high` (`exponentiate` applies to the estimate
#'   and the limits, as broom).
#' * `glance(x)`: one row: `nobs`, the family's statistics (broom's names
#'   for metafor where they exist: `tau.squared`, `tau.squared.se`,
#'   `i.squared`, `h.squared`, `cochran.qe`, `df.cochran.qe`,
#'   `p.value.cochran.qe`, `cochran.qm`, `df.residual`, ...), then `logLik`,
#'   `AIC`, `BIC`.
#' * `nobs()`, equal to the `"nobs"` attribute of `logLik()`.
#' * `print()`: the family's header, the coefficient table, notes.
#'
#' The object's elements `coefficients`, `vcov`, `coef_table` (the table at
#' the fit's `level`), `ddf` (t degrees of freedom per coefficient, `NA` for
#' normal intervals), `nobs`, `logLik` and `level` are the same in every
#' family. A confidence bound is always `conf.low`/`conf.high` and a
#' standard error `std.error`.
#' @name nev_fit
#' @family pool
#' @examples
#' fit <- pool(c(0.1, 0.5, -0.2, 0.9), c(0.04, 0.05, 0.03, 0.1))
#' coef(fit)
#' confint(fit, level = 0.9)
#' tidy(fit, exponentiate = TRUE)
#' glance(fit)
#' c(nobs(fit), attr(logLik(fit), "nobs"))
NULL

# Built in loops (pool() on subsets, leave-one-out, simulations), so it
# uses primitives rather than structure(), matrix(), data.frame() and
# repeated `$<-` copies.
new_nev_fit <- function(x, class, coefficients, vcov, nobs, logLik = NA_real_,
                        npar = NA_integer_, ddf = NA_real_, level = 0.95,
                        std.error = NULL, statistic = NULL, p.value = NULL) {
  p <- length(coefficients)
  nm <- names(coefficients)
  if (is.null(nm)) nm <- paste0("b", seq_len(p))
  b <- as.double(coefficients)
  V <- as.double(vcov)
  if (length(V) == p * p) {
    dim(V) <- c(p, p)
    dimnames(V) <- list(nm, nm)
  } else V <- matrix(V, p, p, dimnames = list(nm, nm))
  se <- if (is.null(std.error)) sqrt(pmax(V[seq_len(p) * (p + 1L) - p], 0))
        else if (is.null(attributes(std.error))) std.error
        else unname(std.error)
  if (length(ddf) != p || !is.double(ddf) || !is.null(attributes(ddf)))
    ddf <- rep_len(as.double(ddf), p)
  stat <- if (is.null(statistic)) b / se
          else if (is.null(attributes(statistic))) statistic
          else unname(statistic)
  pv <- if (is.null(p.value)) nev_p_value(stat, ddf)
        else if (is.null(attributes(p.value))) p.value
        else unname(p.value)
  ll <- as.double(logLik)
  attributes(ll) <- list(df = npar, nobs = nobs, class = "logLik")
  tab <- list(term = nm, estimate = b, std.error = se, statistic = stat,
              p.value = pv)
  class <- if (any(class == "nev_fit")) class else c(class, "nev_fit")
  wald <- !nev_own_limits(class)
  if (wald) {   # nev_conf_limits.nev_fit() without building x first
    half <- nev_crit(level, ddf) * se
    tab$conf.low <- b - half
    tab$conf.high <- b + half
    tab <- nev_df(tab)
  }
  names(b) <- nm
  add <- list(coefficients = b, vcov = V, ddf = ddf, level = level,
              nobs = nobs, logLik = ll, coef_table = tab)
  if (length(attributes(x)) == 1L && all(is.na(match(names(add), names(x)))))
    x <- c(x, add)           # one copy instead of one per element
  else x[names(add)] <- add
  class(x) <- class
  if (!wald) {
    lim <- nev_conf_limits(x, level)   # a list table is enough here
    tab$conf.low <- nev_unname(lim[, 1])
    tab$conf.high <- nev_unname(lim[, 2])
    x$coef_table <- nev_df(tab)
  }
  x
}

# Whether a class vector has a nev_conf_limits() method other than the
# Wald one of nev_fit. Looked up once per class vector: a failed S3 lookup
# walks the search path, and new_nev_fit() is called in loops.
.nev_own_limits <- new.env(parent = emptyenv())
nev_own_limits <- function(class) {
  key <- if (length(class) == 2L && class[2L] == "nev_fit") class[1L]
         else paste(class, collapse = " ")
  own <- .nev_own_limits[[key]]
  if (is.null(own)) {
    own <- any(vapply(setdiff(class, "nev_fit"), function(cl)
      !is.null(utils::getS3method("nev_conf_limits", cl, optional = TRUE)),
      NA))
    assign(key, own, envir = .nev_own_limits)
  }
  own
}

# unname() where there is something to drop.
nev_unname <- function(v) if (is.null(attributes(v))) v else unname(v)

# A data frame from a named list of equal-length columns, without the
# checks and name mangling of data.frame() (built once per fit: pool() is
# called in loops).
nev_df <- function(cols) {
  attr(cols, "row.names") <- c(NA_integer_, -length(cols[[1L]]))
  class(cols) <- "data.frame"
  cols
}

# Two-sided p-value: t with `ddf` degrees of freedom, normal where NA.
nev_p_value <- function(stat, ddf) {
  z <- 2 * pnorm(abs(stat), lower.tail = FALSE)
  if (all(is.na(ddf))) return(nev_unname(z))
  t <- 2 * pt(abs(stat), pmax(ddf, 1), lower.tail = FALSE)
  unname(ifelse(is.na(ddf), z, t))
}

# Two-sided critical value per row: t(ddf), normal where ddf is NA.
# The normal one at the default level is computed once (the same number).
.nev_z95 <- stats::qnorm((1 - 0.95) / 2, lower.tail = FALSE)
nev_crit <- function(level, ddf) {
  a <- (1 - level) / 2
  z <- if (identical(level, 0.95)) .nev_z95 else qnorm(a, lower.tail = FALSE)
  if (all(is.na(ddf))) return(rep_len(z, length(ddf)))
  t <- qt(a, pmax(ddf, 1), lower.tail = FALSE)
  ifelse(is.na(ddf), z, t)
}

# Confidence limits of the coefficients (p x 2 matrix); Wald by default.
nev_conf_limits <- function(x, level) UseMethod("nev_conf_limits")

#' @export
nev_conf_limits.nev_fit <- function(x, level) {
  tab <- x$coef_table
  half <- nev_crit(level, x$ddf) * tab$std.error
  lim <- c(tab$estimate - half, tab$estimate + half)
  dim(lim) <- c(length(half), 2L)   # as cbind(), without its dispatch
  lim
}

# Statistics of a family for glance() (a named list of scalars).
nev_glance_extra <- function(x) UseMethod("nev_glance_extra")

#' @export
nev_glance_extra.nev_fit <- function(x) list()

# Lines printed before and after the coefficient table.
nev_fit_header <- function(x) UseMethod("nev_fit_header")

#' @export
nev_fit_header.nev_fit <- function(x) character(0)

nev_fit_footer <- function(x) UseMethod("nev_fit_footer")

#' @export
nev_fit_footer.nev_fit <- function(x) character(0)

# The coefficient table at `level` (broom's columns).
nev_coef_table <- function(x, level = x$level) {
  tab <- x$coef_table
  if (!identical(level, x$level)) {
    lim <- nev_conf_limits(x, level)
    tab$conf.low <- unname(lim[, 1])
    tab$conf.high <- unname(lim[, 2])
  }
  tab
}

#' @export
coef.nev_fit <- function(object, ...) object$coefficients

#' @export
vcov.nev_fit <- function(object, ...) object$vcov

#' @export
nobs.nev_fit <- function(object, ...) object$nobs

#' @export
logLik.nev_fit <- function(object, ...) object$logLik

#' @export
confint.nev_fit <- function(object, parm, level = object$level, ...) {
  nev_check_dots("confint", ...)
  level <- nev_check_level(level)
  if (length(level) != 1L)
    nev_stop("`level` must be a single number (got ",
             paste(format(level), collapse = ", "), ")")
  cf <- coef(object)
  parm <- if (missing(parm)) names(cf) else nev_check_parm(parm, names(cf))
  lim <- nev_conf_limits(object, level)
  a <- (1 - level) / 2
  pct <- paste(format(100 * c(a, 1 - a), trim = TRUE, scientific = FALSE,
                      digits = 3), "%")
  ci <- matrix(lim, ncol = 2L, dimnames = list(names(cf), pct))
  ci[parm, , drop = FALSE]
}

# `parm` as names of the coefficients (positions allowed).
nev_check_parm <- function(parm, names) {
  if (is.numeric(parm)) {
    bad <- parm[is.na(parm) | parm < 1 | parm > length(names) |
                  parm != round(parm)]
    if (length(bad))
      nev_stop("`parm` must be positions 1 to ", length(names), " (got ",
               paste(format(bad), collapse = ", "), ")")
    return(names[parm])
  }
  if (!is.character(parm) || !all(parm %in% names))
    nev_stop("`parm` must name coefficients (", nev_list(names), "); got ",
             nev_list(setdiff(as.character(parm), names)))
  parm
}

#' @export
tidy.nev_fit <- function(x, conf.int = TRUE, conf.level = x$level,
                         exponentiate = FALSE, ...) {
  nev_check_dots("tidy", ...)
  conf.level <- nev_check_level(conf.level, "conf.level")
  nev_tidy_finish(nev_coef_table(x, conf.level), conf.int, exponentiate)
}

#' @export
glance.nev_fit <- function(x, ...) {
  nev_check_dots("glance", ...)
  ll <- logLik(x)
  fit <- if (is.na(ll)) list(logLik = NA_real_, AIC = NA_real_,
                             BIC = NA_real_)
         else list(logLik = as.numeric(ll), AIC = stats::AIC(ll),
                   BIC = stats::BIC(ll))
  as.data.frame(c(list(nobs = nobs(x)), nev_glance_extra(x), fit),
                stringsAsFactors = FALSE)
}

#' @export
print.nev_fit <- function(x, digits = 4L, ...) {
  head <- nev_fit_header(x)
  if (length(head)) cat(head, sep = "\n")
  nev_print_coef(x$coef_table, digits)
  foot <- nev_fit_footer(x)
  if (length(foot)) cat("", foot, sep = "\n")
  invisible(x)
}

# The coefficient table as printed by every family.
nev_print_coef <- function(tab, digits = 4L) {
  fmt <- function(v) format(signif(v, digits + 2L), digits = digits)
  show <- data.frame(estimate = fmt(tab$estimate),
                     std.error = fmt(tab$std.error),
                     statistic = fmt(tab$statistic),
                     p.value = nev_pfmt(tab$p.value),
                     conf.low = fmt(tab$conf.low),
                     conf.high = fmt(tab$conf.high),
                     row.names = make.unique(tab$term),
                     stringsAsFactors = FALSE)
  print(show, quote = FALSE, right = TRUE)
}

nev_pfmt <- function(p) {
  ifelse(is.na(p), "NA", ifelse(p < 1e-4, "<.0001",
                                formatC(p, digits = 4, format = "f")))
}
