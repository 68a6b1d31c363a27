# Dose-response meta-analysis from category-level data: covariance of the
# correlated log relative risks (Greenland-Longnecker, Hamling), per-study
# generalised least squares and multivariate random-effects pooling.

#' @importFrom stats coef confint logLik nobs predict vcov
NULL


# Validate category data and split it into studies. Returns a list with the
# rows reordered by study (original order kept within a study), the layout
# (0-based start, length, 0-based referent) and the study labels.
dose_prepare <- function(logrr, se, lower, upper, cases, n, type, id, dose,
                         need_counts, ci_scale) {
  logrr <- nev_check_numeric(logrr, "logrr")
  nr <- length(logrr)
  if (nr == 0L) nev_stop("`logrr` has no rows")
  if (is.null(se)) {
    if (is.null(lower) || is.null(upper))
      nev_stop("give `se`, or both `lower` and `upper` (the confidence ",
               "limits of the relative risks)")
    lower <- nev_check_numeric(lower, "lower")
    upper <- nev_check_numeric(upper, "upper")
    if (length(lower) != nr || length(upper) != nr)
      nev_stop("`lower` and `upper` must have one value per row of `logrr` (",
               nr, "); got ", length(lower), " and ", length(upper))
    bad <- which(!is.na(lower) & !is.na(upper) & (lower <= 0 | upper < lower))
    if (length(bad))
      nev_stop("`lower` must be positive and not above `upper`; row ",
               bad[1], " has lower = ", lower[bad[1]], ", upper = ",
               upper[bad[1]])
    se <- (log(upper) - log(lower)) / (2 * stats::qnorm(0.975))
  } else {
    se <- nev_check_numeric(se, "se")
  }
  if (length(se) != nr)
    nev_stop("`se` must have one value per row of `logrr` (", nr, "); got ",
             length(se))
  if (any(se < 0, na.rm = TRUE))
    nev_stop("`se` must not be negative; row ", which(se < 0)[1], " has se = ",
             se[which(se < 0)[1]])
  dose <- nev_check_numeric(dose, "dose")
  if (length(dose) != nr)
    nev_stop("the dose must have one value per row of `logrr` (", nr,
             "); got ", length(dose))
  if (anyNA(dose) || any(!is.finite(dose)))
    nev_stop("the dose must be finite; row ", which(!is.finite(dose))[1],
             " has ", dose[which(!is.finite(dose))[1]])
  if (is.null(id)) id <- rep(1L, nr)
  if (length(id) != nr)
    nev_stop("`id` must have one value per row of `logrr` (", nr, "); got ",
             length(id))
  if (anyNA(id))
    nev_stop("`id` has missing values: row ", nev_rows(which(is.na(id))))
  if (need_counts) {
    if (is.null(cases) || is.null(n))
      nev_stop("`cases` and `n` are needed for the Greenland-Longnecker and ",
               "Hamling covariances (or use `covariance = \"independent\"`)")
    cases <- nev_check_numeric(cases, "cases")
    n <- nev_check_numeric(n, "n")
    if (length(cases) != nr || length(n) != nr)
      nev_stop("`cases` and `n` must have one value per row of `logrr` (",
               nr, "); got ", length(cases), " and ", length(n))
    if (is.null(type))
      nev_stop("`type` is needed for the Greenland-Longnecker and Hamling ",
               "covariances: \"cc\" (case-control), \"ci\" (cumulative ",
               "incidence) or \"ir\" (incidence rate)")
    type <- as.character(type)
    if (length(type) == 1L) type <- rep(type, nr)
    if (length(type) != nr)
      nev_stop("`type` must have length 1 or one value per row (", nr,
               "); got ", length(type))
    badt <- which(!type %in% c("cc", "ci", "ir"))
    if (length(badt))
      nev_stop("`type` must be \"cc\", \"ci\" or \"ir\"; row ", badt[1],
               " has \"", type[badt[1]], "\"")
  } else {
    cases <- if (is.null(cases)) NULL else nev_check_numeric(cases, "cases")
    n <- if (is.null(n)) NULL else nev_check_numeric(n, "n")
    type <- rep(NA_character_, nr)
  }
  ids <- unique(id)
  grp <- match(id, ids)
  ord <- order(grp)
  k <- length(ids)
  len <- tabulate(grp, k)
  start <- c(0L, cumsum(len)[-k])
  logrr <- logrr[ord]
  se <- se[ord]
  dose <- dose[ord]
  grp <- grp[ord]
  type <- type[ord]
  if (!is.null(cases)) cases <- cases[ord]
  if (!is.null(n)) n <- n[ord]
  labels <- as.character(ids)
  isref <- is.na(se) | se == 0
  # the study-by-study checks only run (for their message) when the
  # vectorised test finds something wrong
  if (!dose_studies_ok(logrr, dose, cases, n, type, grp, isref, len, k,
                       need_counts))
    dose_check_studies(logrr, dose, cases, n, type, isref, start, len,
                       labels, need_counts)
  refrow <- which(isref)  # one per study, in study order
  tcode <- integer(k)
  if (need_counts) {
    t <- type[refrow]
    t[t == "ci"] <- paste0("ci_", ci_scale)
    tcode[] <- nev_enum("dose_type", t)
  }
  v <- se^2
  v[isref] <- 0
  list(logrr = logrr, se = se, v = v, dose = dose,
       cases = cases, n = n, type = type, grp = grp, start = as.integer(start),
       len = as.integer(len), ref = as.integer(refrow - start - 1L),
       tcode = tcode, labels = labels, ord = ord, k = k)
}

# TRUE when every study passes the checks of dose_check_studies() (rows
# ordered by study); FALSE (also on any NA) sends the data through them.
dose_studies_ok <- function(logrr, dose, cases, n, type, grp, isref, len, k,
                            need_counts) {
  if (any(len < 2L) || any(tabulate(grp[isref], k) != 1L) || anyNA(logrr))
    return(FALSE)
  refrow <- which(isref)
  if (any(abs(logrr[refrow]) > 1e-12)) return(FALSE)
  dn <- dose[!isref]
  gn <- grp[!isref]
  m <- length(dn)
  same <- gn[-1L] == gn[-m]
  if (any(dn[-1L][same] <= dn[-m][same]) || any(dn == dose[refrow][gn]))
    return(FALSE)
  if (!need_counts) return(TRUE)
  if (anyNA(cases) || anyNA(n) || any(cases <= 0) || any(n <= 0) ||
      any(type != type[refrow][grp]))
    return(FALSE)
  !any(type != "ir" & n <= cases)
}

# The checks of each study in turn: stops with the first problem found.
dose_check_studies <- function(logrr, dose, cases, n, type, isref, start, len,
                               labels, need_counts) {
  k <- length(labels)
  for (s in seq_len(k)) {
    rows <- start[s] + seq_len(len[s])
    lab <- labels[s]
    if (len[s] < 2L)
      nev_stop("study ", lab, " has a single category: a dose-response ",
               "contrast needs a referent and at least one other category")
    r <- which(isref[rows])
    if (length(r) == 0L)
      nev_stop("study ", lab, " has no referent category (a row with ",
               "logrr = 0 and se 0 or NA)")
    if (length(r) > 1L)
      nev_stop("study ", lab, " has ", length(r), " referent categories ",
               "(rows with se 0 or NA); exactly one is needed",
               if (k == 1L) paste0(": all rows are one study; give `id` ",
                                   "(one value per study) when the data ",
                                   "hold several"))
    if (is.na(logrr[rows[r]]) || abs(logrr[rows[r]]) > 1e-12)
      nev_stop("study ", lab, ": the referent category must have logrr = 0 ",
               "(got ", logrr[rows[r]], ")")
    if (anyNA(logrr[rows]))
      nev_stop("study ", lab, " has missing `logrr` values")
    d <- dose[rows]
    dn <- d[-r]
    if (any(diff(dn) <= 0) || any(dn == d[r])) {
      j <- which(diff(dn) <= 0)[1]
      if (is.na(j))
        nev_stop("`dose` must be distinct within a study; study ", lab,
                 " has a non-referent category at the referent dose ", d[r])
      nev_stop("`dose` must be increasing within a study; study ", lab,
               " has dose ", dn[j], " followed by ", dn[j + 1])
    }
    if (need_counts) {
      z <- which(is.na(cases[rows]) | cases[rows] <= 0)
      if (length(z))
        nev_stop("study ", lab, ", category ", z[1], " (dose ", d[z[1]],
                 ") has ", cases[rows][z[1]], " cases: the ",
                 "Greenland-Longnecker and Hamling methods need cases in ",
                 "every category (use `covariance = \"independent\"`)")
      t <- unique(type[rows])
      if (length(t) != 1L)
        nev_stop("study ", lab, " mixes designs in `type`: ",
                 paste(t, collapse = ", "))
      zn <- which(is.na(n[rows]) | n[rows] <= 0 |
                  (t != "ir" & n[rows] <= cases[rows]))
      if (length(zn))
        nev_stop("study ", lab, ", category ", zn[1], " (dose ", d[zn[1]],
                 "): `n` must exceed `cases` (", if (t == "ir")
                 "person-time must be positive" else "n counts everyone",
                 "); got n = ", n[rows][zn[1]])
    }
  }
  invisible()
}

#' Covariance of correlated log relative risks from category data
#'
#' Reconstructs the covariance matrix of the log relative risks that a study
#' reports for several exposure categories against one referent category. The
#' estimates share the referent, so they are correlated; the correlation
#' follows from "pseudo-counts" (cases and totals per category) that reproduce
#' the reported log relative risks (Greenland and Longnecker 1992) or the
#' reported log relative risks and their standard errors (Hamling et al.
#' 2008). Both are solved to machine precision (Newton's method), not to a
#' loose tolerance.
#'
#' The referent is found automatically: the one row per study whose `se` is 0
#' or `NA` (its `logrr` must be 0); it may be listed anywhere in the study
#' (customarily first, even when it is not the lowest dose). Rows are kept in
#' the order given; the non-referent doses must increase and no category may
#' share the referent dose. The covariance of two non-referent
#' categories i and j is \eqn{s_0 \sqrt{v_i v_j} / \sqrt{(s_0 + s_i)(s_0 +
#' s_j)}} with the reported variances \eqn{v} on the diagonal, where \eqn{s}
#' is the variance contribution of a category's pseudo-counts: \eqn{1/A +
#' 1/(N - A)} for case-control data ("cc", `n` = cases + controls), \eqn{1/A -
#' 1/N} for cumulative incidence ("ci", `n` = persons) and \eqn{1/A} for
#' incidence rates ("ir", `n` = person-time). This is the convention of Stata's
#' `glst` and of the dosresmeta package.
#'
#' **Scale of the "ci" fit.** With `ci_scale = "odds"` (the default, as in
#' Stata's `glst` and dosresmeta 2.2.0, and the scale behind the published
#' alcohol and cardiovascular disease results) the Greenland-Longnecker
#' pseudo-cases reproduce the reported log relative risks as log *odds*
#' ratios, \eqn{\log(A_x/(N_x - A_x)) - \log(A_0/(N_0 - A_0))}, with the
#' total cases and the category totals fixed. With `ci_scale = "risk"` they
#' reproduce them as log *risk* ratios, \eqn{\log(A_x/N_x) - \log(A_0/N_0)},
#' which is the coherent choice when the study reports risk ratios. The
#' covariance formula is \eqn{1/A - 1/N} in both cases. For the
#' dairy/colorectal cancer example the two scales give slopes of -0.07364
#' (risk) and -0.07355 (odds), both -0.0736 to the published digits. The
#' Hamling method always works on the risk scale for "ci" (variance
#' \eqn{1/A - 1/N + 1/A_0 - 1/N_0}) and on the rate scale for "ir" (variance
#' \eqn{1/A + 1/A_0}); note that dosresmeta 2.2.0 swaps these two formulas in
#' its Hamling code, so its Hamling results for "ci" and "ir" differ from
#' these.
#'
#' @param logrr Log relative risks (0 for the referent), a column of `data`
#'   or a vector.
#' @param se Standard errors of `logrr` (0 or `NA` for the referent). If
#'   missing, computed from `lower` and `upper`.
#' @param cases,n Cases and totals per category (`n`: cases + controls for
#'   "cc", persons for "ci", person-time for "ir").
#' @param type Study design: "cc", "ci" or "ir" (one value, or one per row).
#' @param id Study identifier (rows of one study need not be contiguous).
#' @param dose Exposure level of each category; used to check the ordering.
#' @param data Optional data frame holding the columns.
#' @param method "gl" (Greenland-Longnecker) or "hamling".
#' @param ci_scale Scale of the Greenland-Longnecker fit for "ci" studies:
#'   "odds" (default) or "risk" (see Details).
#' @param lower,upper Confidence limits of the relative risks (not logged),
#'   used when `se` is missing (95% limits assumed).
#' @return An object of class `nev_dose_cov`: a list with `S` (one covariance
#'   matrix per study, non-referent categories in order), `pseudo` (a data
#'   frame with `id`, `dose`, `cases`, `n`, the pseudo-cases `A` and
#'   pseudo-totals `N`, and `referent`), `method`, `ci_scale` and `converged`
#'   (one flag per study).
#' @references Greenland S, Longnecker MP (1992). Methods for trend estimation
#'   from summarized dose-response data, with applications to meta-analysis.
#'   *American Journal of Epidemiology* 135:1301-1309.
#'
#'   Hamling J, Lee P, Weitkunat R, Ambuhl M (2008). Facilitating
#'   meta-analyses by deriving relative effect and precision estimates for
#'   alternative comparisons from a set of estimates presented by exposure
#'   level or disease category. *Statistics in Medicine* 27:954-970.
#' @family dose
#' @examples
#' bianchi <- data.frame(dose = c(0, 9.06, 27, 45, 64.8),
#'   cases = c(126, 61, 69, 22, 19), n = c(414, 261, 228, 44, 34),
#'   logrr = c(0, -0.2231435, -1e-04, 0.5306283, 0.8754687),
#'   se = c(NA, 0.223338, 0.2337519, 0.3765137, 0.4440046))
#' cv <- dose_covariance(logrr, se, cases, n, type = "cc", dose = dose,
#'                       data = bianchi)
#' cv$pseudo
#' cv$S[[1]]
#' @export
dose_covariance <- function(logrr, se, cases, n, type, id, dose, data = NULL,
                            method = c("gl", "hamling"),
                            ci_scale = c("odds", "risk"), lower, upper) {
  method <- nev_match_arg(method)
  ci_scale <- nev_match_arg(ci_scale)
  env <- parent.frame()
  a_logrr <- nev_arg(substitute(logrr), data, env, "logrr")
  a_se <- nev_arg(substitute(se), data, env, "se", required = FALSE)
  a_lo <- nev_arg(substitute(lower), data, env, "lower", required = FALSE)
  a_up <- nev_arg(substitute(upper), data, env, "upper", required = FALSE)
  a_cases <- nev_arg(substitute(cases), data, env, "cases")
  a_n <- nev_arg(substitute(n), data, env, "n")
  a_type <- nev_arg(substitute(type), data, env, "type")
  a_id <- nev_arg(substitute(id), data, env, "id", required = FALSE)
  a_dose <- nev_arg(substitute(dose), data, env, "dose", required = FALSE)
  if (is.null(a_dose)) a_dose <- seq_along(a_logrr)
  pr <- dose_prepare(a_logrr, a_se, a_lo, a_up, a_cases, a_n, a_type, a_id,
                     a_dose, need_counts = TRUE, ci_scale = ci_scale)
  res <- .Call(C_dose_covariance, pr$logrr, pr$v, pr$cases, pr$n, pr$tcode,
               pr$start, pr$len, pr$ref, nev_enum("dose_covariance", method), pr$labels)
  names(res$S) <- pr$labels
  isref <- logical(length(pr$logrr))
  isref[pr$start + pr$ref + 1L] <- TRUE
  pseudo <- data.frame(id = pr$labels[pr$grp], dose = pr$dose,
                       cases = pr$cases, n = pr$n, A = res$A, N = res$N,
                       referent = isref)
  conv <- stats::setNames(res$converged, pr$labels)
  if (!all(conv))
    nev_warn("the pseudo-counts did not reach machine precision for study ",
             paste(pr$labels[!conv], collapse = ", "))
  structure(list(S = res$S, pseudo = pseudo, method = method,
                 ci_scale = ci_scale, converged = conv),
            class = "nev_dose_cov")
}

#' @export
print.nev_dose_cov <- function(x, digits = 4, ...) {
  cat("Covariance of log relative risks (", if (x$method == "gl")
      "Greenland-Longnecker" else "Hamling", ") for ", length(x$S),
      " stud", if (length(x$S) == 1L) "y" else "ies", "\n\n", sep = "")
  print(x$pseudo, digits = digits, row.names = FALSE)
  invisible(x)
}

# Harrell's restricted cubic spline basis (x and k - 2 nonlinear terms,
# normalised by the squared range of the knots).
dose_rcs_basis <- function(x, knots) {
  nk <- length(knots)
  tk <- knots[nk]
  tk1 <- knots[nk - 1L]
  den <- (tk - knots[1L])^2
  pos3 <- function(u) pmax(u, 0)^3
  out <- matrix(0, length(x), nk - 1L)
  out[, 1L] <- x
  for (j in seq_len(nk - 2L)) {
    tj <- knots[j]
    out[, j + 1L] <- (pos3(x - tj) - pos3(x - tk1) * (tk - tj) / (tk - tk1) +
                        pos3(x - tk) * (tk1 - tj) / (tk - tk1)) / den
  }
  out
}

# Second-degree fractional polynomial basis on (x + shift) / scale; power 0
# is log, a repeated power multiplies the second term by log.
dose_fp_basis <- function(x, fp) {
  z <- (x + fp$shift) / fp$scale
  pw <- fp$powers
  out <- vapply(pw, function(q) if (q == 0) log(z) else z^q, numeric(length(z)))
  out <- matrix(out, nrow = length(z))
  if (length(pw) == 2L && pw[1] == pw[2]) out[, 2] <- out[, 2] * log(z)
  out
}

# Shift and scale of the doses as in Royston & Altman (and dosresmeta's
# fracpol()): shift non-positive doses to the smallest positive gap,
# scale by a power of 10 near the mean.
dose_fp_scaling <- function(x) {
  shift <- 0
  if (min(x) <= 0) {
    z <- diff(sort(x))
    shift <- ceiling((min(z[z > 0]) - min(x)) * 10) / 10
  }
  rg <- mean(x + shift)
  list(shift = shift, scale = 10^(sign(log10(rg)) * round(abs(log10(rg)))))
}

dose_basis <- function(x, shape, knots, fp = NULL) {
  switch(shape,
         linear = matrix(x, ncol = 1L),
         quadratic = cbind(x, x^2, deparse.level = 0),
         spline = dose_rcs_basis(x, knots),
         fp = dose_fp_basis(x, fp))
}

dose_coef_names <- function(shape, knots, fp = NULL) {
  switch(shape,
         linear = "dose",
         quadratic = c("dose", "dose^2"),
         spline = c("dose", paste0("rcs", seq_len(length(knots) - 2L))),
         fp = {
           pw <- fp$powers
           nm <- ifelse(pw == 0, "log(dose)", paste0("dose^", pw))
           if (length(pw) == 2L && pw[1] == pw[2])
             nm[2] <- paste0(nm[2], "*log(dose)")
           nm
         })
}

#' Dose-response meta-analysis from category-level data
#'
#' Fits a dose-response curve for log relative risks reported by exposure
#' category against a referent category, in one study or pooled over
#' several. Each study's log relative risks are correlated through the shared
#' referent: their covariance is reconstructed with [dose_covariance()]
#' (Greenland-Longnecker or Hamling) or ignored (`"independent"`). Then
#' (two-stage approach) each study's dose-response coefficients are estimated
#' by generalised least squares and the coefficient vectors are pooled by
#' multivariate random-effects meta-analysis (REML, ML) or a fixed-effect
#' model (FE).
#'
#' The between-study covariance \eqn{\Psi} is parameterised by its Cholesky
#' factor with logged diagonal (always positive semi-definite), the
#' coefficients are scaled by their root mean within-study variance (so that
#' linear and quadratic terms are on the same footing), the optimiser (GSL's
#' BFGS with the analytic gradient of the profile likelihood) starts from
#' univariate method-of-moments (DerSimonian-Laird) estimates. Without such
#' care the quadratic alcohol example drifts to a wrong boundary solution
#' with a between-study correlation of 1.
#'
#' The likelihood can have more than one maximum. For dosresmeta's
#' `alcohol_esoph` data with `shape = "quadratic"`, `covariance =
#' "hamling"` and `method = "ML"` it has two: logLik 119.0047 (between-study
#' correlation -0.99996), which `dose_response()` returns, and 115.6227
#' (correlation -0.988), where dosresmeta 2.2.0 stops from its default
#' start, also with tight tolerances (started at the higher maximum it stays
#' there). Both numbers are the same multivariate normal likelihood of the
#' study coefficients, with the same constant: a brute-force version of it
#' in R, maximised from 24 starts, finds exactly these two maxima. The
#' Hamling covariances of the two packages differ by about 1e-4 (relative;
#' dosresmeta solves the pseudo-counts with Nelder-Mead), which moves the
#' likelihood by less than 1e-4.
#'
#' Shapes: `"linear"` (log RR = b d), `"quadratic"` (b1 d + b2 d^2) and
#' `"spline"`, a restricted cubic spline in Harrell's parameterisation (as
#' `rms::rcs()` and `Hmisc::rcspline.eval()`), with knots at the given dose
#' values or, by default, at the 10th, 50th and 90th percentiles of all the
#' doses (`stats::quantile()`, type 7). The design is centred on each study's
#' referent dose. Fractional polynomials (`"fp"`) use \eqn{z = (d +
#' shift)/scale} with the shift and scale of Royston and Altman as in
#' dosresmeta's `fracpol()` (shift to make all doses positive, scale a power
#' of 10), terms \eqn{z^p} (\eqn{\log z} for p = 0) and, for a repeated
#' power, \eqn{z^p \log z}. In the two-stage approach every study needs at
#' least as many non-referent categories as the shape has coefficients; the
#' one-stage model (Crippa et al. 2019) fits \eqn{y_i = X_i\beta + X_i u_i +
#' e_i}, \eqn{u_i \sim N(0, \Psi)}, \eqn{e_i \sim N(0, S_i)} to all studies
#' with the same log-Cholesky REML/ML machinery (Q and the per-study GLS fits
#' are then not available).
#'
#' With a single study the fit is the GLS fit of that study (method "FE").
#'
#' @param formula `logrr ~ dose`: the log relative risks and the dose
#'   variable (a column of `data` or a variable in the formula's
#'   environment).
#' @param id Study identifier.
#' @param type Design: "cc", "ci" or "ir" (see [dose_covariance()]).
#' @param cases,n Cases and totals (or person-time) per category.
#' @param se Standard errors of the log RRs (0 or `NA` for the referent).
#' @param lower,upper 95% confidence limits of the RRs, used if `se` is
#'   missing.
#' @param data Data frame with the variables.
#' @param shape "linear", "quadratic", "spline" or "fp" (fractional
#'   polynomial).
#' @param knots Spline knots (dose values, at least 3, within the dose range).
#' @param percentiles Percentiles of the doses used as knots when `knots` is
#'   `NULL`.
#' @param powers Fractional-polynomial powers (1 or 2 values from -2, -1,
#'   -0.5, 0 = log, 0.5, 1, 2, 3, or any others) for `shape = "fp"`; `NULL`
#'   selects the degree-2 pair with the highest maximum likelihood over the
#'   standard set.
#' @param covariance "gl", "hamling" or "independent".
#' @param method "REML", "ML" or "FE".
#' @param stage "two" (two-stage: per-study GLS, then multivariate pooling)
#'   or "one" (one-stage: a linear mixed model on all the contrasts at once,
#'   which also uses studies with fewer non-referent categories than the
#'   shape has coefficients).
#' @param ci_scale Scale of the Greenland-Longnecker fit for "ci" studies
#'   ("odds", the default, or "risk"; see [dose_covariance()]).
#' @param level Confidence level for intervals.
#' @param control Settings of the optimiser from [dose_control()] (`tol`,
#'   `maxiter`); unknown elements are an error.
#' @return An object of class `c("nev_dose", "nev_fit")`: a list with
#'   `coefficients`, `vcov`, `coef_table`, `nobs`, `logLik` (see
#'   [nev_fit]), `Psi` (between-study covariance), `tau` (its
#'   square-root diagonal), `bi`/`Vi` (per-study coefficients and
#'   covariances), `S` (per-study covariance of the log RRs), `pseudo`
#'   (pseudo-counts), `Q`, `Q_df`, `Q_p`, `gof` (per-study residual
#'   chi-square) and `gof_df`, `converged`,
#'   `iterations` and the settings. Methods: `print`, `summary`, `coef`,
#'   `vcov`, `confint`, `predict`, `plot`, `tidy`, `glance`, `nobs`,
#'   `logLik`.
#' @references Orsini N, Bellocco R, Greenland S (2006). Generalized least
#'   squares for trend estimation of summarized dose-response data. *Stata
#'   Journal* 6:40-57.
#'
#'   Crippa A, Discacciati A, Bottai M, Spiegelman D, Orsini N (2019).
#'   One-stage dose-response meta-analysis for aggregated data. *Statistical
#'   Methods in Medical Research* 28:1579-1596.
#'
#'   Orsini N, Li R, Wolk A, Khudyakov P, Spiegelman D (2012). Meta-analysis
#'   for linear and nonlinear dose-response relations: examples, an
#'   evaluation of approximations, and software. *American Journal of
#'   Epidemiology* 175:66-73.
#' @family dose
#' @examples
#' alc <- data.frame(
#'   id = rep(1:3, c(5, 4, 4)),
#'   type = rep("cc", 13),
#'   dose = c(0, 9.06, 27, 45, 64.8, 0, 16.05, 46.425, 77.16,
#'            0, 1.176, 8.916, 18.72),
#'   cases = c(126, 61, 69, 22, 19, 77, 88, 24, 13, 83, 46, 17, 4),
#'   n = c(414, 261, 228, 44, 34, 258, 413, 202, 64, 208, 175, 58, 11),
#'   logrr = c(0, -0.2231435, -1e-04, 0.5306283, 0.8754687, 0, -0.4307829,
#'             -1.07881, -0.6161861, 0, -0.5798185, -0.5621189, 0.6151856),
#'   se = c(NA, 0.223338, 0.2337519, 0.3765137, 0.4440046, NA, 0.2213052,
#'          0.2975654, 0.3870792, NA, 0.317147, 0.418614, 0.9091006))
#' fit <- dose_response(logrr ~ dose, id = id, type = type, cases = cases,
#'                      n = n, se = se, data = alc)
#' fit
#' predict(fit, dose = c(0, 10, 20), ref = 0)
#' @export
dose_response <- function(formula, id, type, cases, n, se, lower, upper,
                          data = NULL,
                          shape = c("linear", "quadratic", "spline", "fp"),
                          knots = NULL, percentiles = c(0.1, 0.5, 0.9),
                          powers = NULL,
                          covariance = c("gl", "hamling", "independent"),
                          method = c("REML", "ML", "FE"),
                          stage = c("two", "one"),
                          ci_scale = c("odds", "risk"), level = 0.95,
                          control = dose_control()) {
  call <- match.call()
  ctl <- nev_check_control(control, dose_control, "dose_control")
  shape <- nev_match_arg(shape, name = "shape")
  covariance <- nev_match_arg(covariance, name = "covariance")
  method <- nev_match_arg(method, name = "method")
  ci_scale <- nev_match_arg(ci_scale, name = "ci_scale")
  level <- nev_check_level(level)
  stage <- nev_match_arg(stage, name = "stage")
  # a formula written in the call cannot fail to evaluate: no handler needed
  f_ok <- if (dose_is_tilde(substitute(formula))) length(formula) == 3L else
    tryCatch(inherits(formula, "formula") && length(formula) == 3L,
             error = function(e) FALSE)
  if (!f_ok)
    nev_stop("`formula` must be a two-sided formula such as logrr ~ dose (got ",
             paste(deparse(substitute(formula), width.cutoff = 50L)[1L]), ")")
  if (!is.null(data) && !is.data.frame(data))
    nev_stop("`data` must be a data frame (got ", class(data)[1], ")")
  rhs <- formula[[3L]]
  while (is.call(rhs) && identical(rhs[[1L]], as.name("("))) rhs <- rhs[[2L]]
  if (is.call(rhs) && is.name(rhs[[1L]]) &&
      as.character(rhs[[1L]]) %in% c("+", "*", ":", "-", "|"))
    nev_stop("`formula` must have one dose variable on the right (got ",
             paste(deparse(formula[[3L]], width.cutoff = 50L)[1L]), ")")
  fenv <- environment(formula) %||% parent.frame()
  ev <- function(e, what) {
    if (is.symbol(e) && !is.null(data) && nev_is_column(e, data))
      return(.subset2(data, as.character(e)))
    tryCatch(
      if (is.null(data)) eval(e, fenv) else eval(e, data, fenv),
      error = function(err) {
        nev_stop("could not evaluate ", what, " in `formula`: ",
                 conditionMessage(err))
      })
  }
  a_logrr <- ev(formula[[2L]], "the response")
  a_dose <- ev(formula[[3L]], "the dose")
  env <- parent.frame()
  a_se <- nev_arg(substitute(se), data, env, "se", required = FALSE)
  a_lo <- nev_arg(substitute(lower), data, env, "lower", required = FALSE)
  a_up <- nev_arg(substitute(upper), data, env, "upper", required = FALSE)
  need <- covariance != "independent"
  a_cases <- nev_arg(substitute(cases), data, env, "cases", required = need)
  a_n <- nev_arg(substitute(n), data, env, "n", required = need)
  a_type <- nev_arg(substitute(type), data, env, "type", required = need)
  a_id <- nev_arg(substitute(id), data, env, "id", required = FALSE)
  pr <- dose_prepare(a_logrr, a_se, a_lo, a_up, a_cases, a_n, a_type, a_id,
                     a_dose, need_counts = need, ci_scale = ci_scale)
  if (shape == "spline") {
    if (is.null(knots)) {
      if (!is.numeric(percentiles) || length(percentiles) < 3L ||
          anyNA(percentiles) || any(percentiles <= 0 | percentiles >= 1))
        nev_stop("`percentiles` must be at least 3 values strictly between ",
                 "0 and 1 (got ", paste(format(percentiles), collapse = ", "),
                 ")")
      knots <- unname(stats::quantile(pr$dose, sort(percentiles)))
    } else {
      knots <- nev_check_numeric(knots, "knots")
      if (length(knots) < 3L || anyNA(knots))
        nev_stop("`knots` must have at least 3 non-missing values; got ",
                 length(knots))
      if (any(diff(knots) <= 0))
        nev_stop("`knots` must be strictly increasing; got ",
                 paste(format(knots), collapse = ", "))
    }
    rg <- range(pr$dose)
    out <- knots < rg[1] | knots > rg[2]
    if (any(out))
      nev_stop("`knots` must lie within the dose range [", rg[1], ", ",
               rg[2], "]; got ", paste(format(knots[out]), collapse = ", "))
    if (any(diff(knots) <= 0))
      nev_stop("the knots at the requested percentiles are not distinct (",
               paste(format(knots), collapse = ", "), "): give `knots`")
  } else {
    knots <- NULL
  }
  refrow <- pr$start + pr$ref + 1L
  fp <- NULL
  if (shape == "fp") {
    fp <- dose_fp_scaling(pr$dose)
    if (is.null(powers)) {
      # best FP2 over the standard grid by maximum likelihood
      grid <- c(-2, -1, -0.5, 0, 0.5, 1, 2, 3)
      cand <- which(outer(grid, grid, "<="), arr.ind = TRUE)
      best <- -Inf
      for (r in seq_len(nrow(cand))) {
        fpr <- c(fp, list(powers = grid[cand[r, ]]))
        Xr <- dose_basis(pr$dose, "fp", NULL, fpr)
        Xr <- Xr - Xr[rep(refrow, pr$len), , drop = FALSE]
        ll <- tryCatch(suppressWarnings(.Call(C_dose_fit, pr$logrr, pr$v,
          pr$cases, pr$n, Xr, pr$tcode, pr$start, pr$len, pr$ref,
          nev_enum("dose_covariance", covariance),
          nev_enum("dose_method", if (pr$k > 2L) "ML" else "FE"),
          c(1e-8, 1000), pr$labels)$logLik), error = function(e) -Inf)
        if (ll > best) {
          best <- ll
          powers <- grid[cand[r, ]]
        }
      }
      if (!is.finite(best))
        nev_stop("no fractional polynomial of degree 2 could be fitted")
    }
    powers <- nev_check_numeric(powers, "powers")
    if (!length(powers) %in% 1:2 || anyNA(powers))
      nev_stop("`powers` must be 1 or 2 fractional-polynomial powers; got ",
               paste(format(powers), collapse = ", "))
    fp$powers <- powers
  }
  X <- dose_basis(pr$dose, shape, knots, fp)
  X <- X - X[rep(refrow, pr$len), , drop = FALSE]
  p <- ncol(X)
  cn <- dose_coef_names(shape, knots, fp)
  short <- which(pr$len - 1L < p)
  if (stage == "two" && length(short))
    nev_stop("the two-stage ", shape, " model needs at least ", p,
             " non-referent categories per study; study ",
             pr$labels[short[1]], " has ", pr$len[short[1]] - 1L,
             " (use `stage = \"one\"`)")
  if (stage == "one" && sum(pr$len - 1L) <= p)
    nev_stop("the one-stage ", shape, " model has ", p, " coefficients ",
             "and needs more than ", p, " non-referent categories in all; got ",
             sum(pr$len - 1L))
  if (pr$k == 1L) method <- "FE"
  if (stage == "two" && method != "FE" && pr$k <= p)
    nev_stop("too few studies for a random-effects ", shape, " model: ",
             pr$k, " stud", if (pr$k == 1L) "y" else "ies", " for ", p,
             " coefficients (use `method = \"FE\"` or a simpler shape)")
  cm <- nev_enum("dose_covariance", covariance)
  mm <- nev_enum("dose_method", method)
  cv <- c(ctl$tol, as.double(ctl$maxiter))
  res <- if (stage == "two") {
    .Call(C_dose_fit, pr$logrr, pr$v, pr$cases, pr$n, X, pr$tcode, pr$start,
          pr$len, pr$ref, cm, mm, cv, pr$labels)
  } else {
    .Call(C_dose_fit1, pr$logrr, pr$v, pr$cases, pr$n, X, pr$tcode, pr$start,
          pr$len, pr$ref, cm, mm, cv, pr$labels)
  }
  names(res$coefficients) <- cn
  dimnames(res$vcov) <- dimnames(res$Psi) <- list(cn, cn)
  names(res$S) <- pr$labels
  if (stage == "two") {
    dimnames(res$bi) <- list(pr$labels, cn)
    names(res$Vi) <- names(res$gof) <- pr$labels
  }
  if (!res$converged)
    nev_warn("the ", method, " optimiser did not converge after ",
             res$iterations, " iterations (max |gradient| ",
             format(res$gradient, digits = 3), "); results are flagged ",
             "`converged = FALSE`")
  if (need && !all(res$cov_converged))
    nev_warn("the pseudo-counts did not reach machine precision for study ",
             paste(pr$labels[!res$cov_converged], collapse = ", "))
  isref <- logical(length(pr$logrr))
  isref[refrow] <- TRUE
  tau <- res$Psi[seq.int(1L, by = p + 1L, length.out = p)]
  tau[tau < 0] <- 0
  tau <- stats::setNames(sqrt(tau), cn)
  Q_df <- if (stage == "two") p * (pr$k - 1L) else NA_integer_
  obj <- list(
    Psi = res$Psi, tau = tau, bi = res$bi, Vi = res$Vi, S = res$S,
    data = nev_df(list(id = pr$labels[pr$grp], dose = pr$dose,
                       logrr = pr$logrr, se = replace(pr$se, isref, NA),
                       referent = isref)),
    X = X,
    pseudo = if (need) nev_df(list(A = res$A, N = res$N)),
    Q = res$Q, Q_df = Q_df,
    Q_p = stats::pchisq(res$Q, Q_df, lower.tail = FALSE),
    gof = res$gof %||% rep(NA_real_, pr$k),
    gof_df = if (stage == "two") pr$len - 1L - p else rep(NA_integer_, pr$k),
    converged = res$converged, iterations = res$iterations,
    k = pr$k, p = p, shape = shape, knots = knots, fp = fp,
    covariance = covariance,
    method = method, stage = stage, ci_scale = ci_scale,
    call = call)
  new_nev_fit(obj, "nev_dose", res$coefficients, res$vcov,
              nobs = dose_nobs(obj, sum(!isref)), logLik = res$logLik,
              npar = p + if (method == "FE") 0L else p * (p + 1L) / 2,
              level = level)
}

# Is `e` (an unevaluated argument) a formula written with `~` in the call?
dose_is_tilde <- function(e) is.call(e) && identical(e[[1L]], as.name("~"))

# Observations behind the likelihood, as mixmeta counts them (and so
# dosresmeta's BIC): the k x p study coefficients of the two-stage model
# or the non-referent log relative risks of the one-stage model, less p
# under REML.
dose_nobs <- function(obj, n_points) {
  n <- if (obj$stage == "two") obj$k * obj$p else n_points
  as.integer(n - if (obj$method == "REML") obj$p else 0L)
}
