# Usual intake from repeated 24-hour recalls (measurement-error model of the
# NCI and ISU methods).

intake_usual_K <- function(npat, episodic) {
  if (!episodic) {
    if (npat == 1L) 2000L else as.integer(max(20, ceiling(2e4 / npat)))
  } else {
    if (npat == 1L) 150L else as.integer(max(8, ceiling(sqrt(4e4 / npat))))
  }
}

#' Usual intake distribution from repeated 24-hour recalls
#'
#' Estimates the distribution of long-run ("usual") intake in a population
#' from two or more 24-hour recalls on at least some persons, separating the
#' between-person variation (which is the usual-intake distribution) from
#' the day-to-day variation within persons, as in the NCI and ISU methods.
#'
#' @section Model:
#' Amounts on consumption days are transformed by Box-Cox,
#' \eqn{z = (y^\lambda - 1)/\lambda} (\eqn{\log y} for \eqn{\lambda = 0}),
#' with \eqn{\lambda} chosen by maximum likelihood of the untransformed data,
#' i.e. the normal likelihood of \eqn{z} plus the Jacobian
#' \eqn{(\lambda - 1)\sum \log y}, over `lambda_range`. On the transformed
#' scale \eqn{z_{ij} = x_i'\beta + u_i + e_{ij}} with person effects
#' \eqn{u_i \sim N(0, \sigma^2_b)} and day effects \eqn{e_{ij} \sim N(0,
#' \sigma^2_w)} (one-way random effects; covariates are person-level). The
#' variance components are estimated by REML at the chosen \eqn{\lambda}.
#' The usual intake of a person is the mean of the back-transformed daily
#' intake over the day effects, \eqn{E[g^{-1}(x_i'\beta + u_i + e)]},
#' computed by Gauss-Hermite quadrature with `ngh` nodes; its distribution
#' follows from that of \eqn{u_i} (a monotone transformation, evaluated on a
#' fine grid of normal quantiles of \eqn{u_i}, and mixed over the persons'
#' covariates with their weights).
#'
#' Episodically consumed foods (zeros on some days) use a two-part model:
#' the probability of consumption on a day is
#' \eqn{\mathrm{logit}^{-1}(x_i'\gamma + v_i)} with \eqn{v_i \sim N(0,
#' \sigma^2_v)} (logistic-normal, fitted by maximum likelihood with
#' Gauss-Hermite quadrature), the amount on consumption days follows the
#' model above (fitted on the positive recalls), and the usual intake is the
#' product of the person's consumption probability and usual amount. The
#' two person effects are taken as independent (the NCI method's
#' "uncorrelated" version).
#'
#' Survey weights are person weights; the fit maximises the weighted
#' (pseudo-) likelihood and the distribution is the weighted mixture over
#' persons. Bootstrap standard errors (`bootstrap = TRUE`) resample persons
#' with replacement (keeping their weights) and refit everything,
#' \eqn{\lambda} included, in C.
#'
#' @param data A data frame with one row per recall.
#' @param id Person identifier: an unquoted column of `data`, a string
#'   naming one, or a vector.
#' @param amount Intake on the recall day (non-negative; zeros only for an
#'   episodic food), given like `id`.
#' @param day Optional recall day or number, given like `id`; used to check
#'   that no person-day appears twice.
#' @param weights Optional person (survey) weights, given like `id`: one per
#'   row, constant within person, non-negative and not all zero.
#' @param covariates Optional person-level covariates: a one-sided formula
#'   (`~ age + sex`) or a character vector of column names of `data`, each
#'   constant within person.
#' @param episodic `TRUE` for the two-part model, `FALSE` for the amount
#'   model only; `NULL` (default) uses the two-part model when `amount` has
#'   zeros.
#' @param lambda `NULL` to estimate the Box-Cox power by maximum
#'   likelihood, or a fixed value (0 = log).
#' @param lambda_range Search range for \eqn{\lambda}. The default starts
#'   at the log transform (0): for \eqn{\lambda < 0} the inverse transform
#'   has a pole and the mean over normal day-to-day variation is infinite.
#'   An estimate at 0 is not flagged as a boundary.
#' @param bootstrap `TRUE` for bootstrap standard errors and percentile
#'   intervals (persons resampled `B` times).
#' @param B Number of bootstrap replicates.
#' @param probs Probabilities at which the bootstrap stores percentiles.
#' @param ngh Number of Gauss-Hermite nodes.
#' @return An object of class `c("nev_usual", "nev_fit")`: a list with the
#'   estimates (`lambda`, `beta`, `sigma2_b`, `sigma2_w`, and for episodic
#'   foods `gamma`, `sigma2_v`; together the `coefficients` of
#'   [nev_fit], with bootstrap `vcov` and standard errors),
#'   `logLik_amount` (and `logLik_probability` for the consumption part;
#'   `logLik()` is their sum), `boundary`, `converged`, the usual-intake
#'   distribution as a weighted grid (`dist`), the bootstrap replicates
#'   (`boot`, or `NULL`), the recalls and counts. Methods: `print`,
#'   `summary`, `quantile` (a named numeric vector), [intake_share()] (EAR
#'   cut-point and probability approach), `coef`, `nobs`, `logLik`, `plot`,
#'   `tidy`, `glance`.
#' @references Tooze JA et al. (2006) A new statistical method for
#'   estimating the usual intake of episodically consumed foods with
#'   application to their distribution. J Am Diet Assoc 106:1575-1587.
#'   Nusser SM et al. (1996) A semiparametric transformation approach to
#'   estimating usual daily intake distributions. JASA 91:1440-1449.
#' @family intake
#' @examples
#' set.seed(1)
#' m <- 300
#' u <- rnorm(m, 0, 0.5)                       # person effects (log scale)
#' rec <- data.frame(id = rep(seq_len(m), each = 2), day = rep(1:2, m))
#' rec$k2_ug <- exp(log(25) + u[rec$id] + rnorm(2 * m, 0, 0.7))
#' fit <- intake_usual(rec, id = id, amount = k2_ug, day = day)
#' fit
#' quantile(fit, c(0.1, 0.5, 0.9))
#' intake_share(fit, below = 30)
#' intake_share(fit, below = 30, method = "probability")
#' @export
intake_usual <- function(data, id, amount, day = NULL, weights = NULL,
                         covariates = NULL, episodic = NULL, lambda = NULL,
                         lambda_range = c(0, 1.5),
                         bootstrap = FALSE, B = 200,
                         probs = c(0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95),
                         ngh = 20) {
  cl <- match.call()
  if (!is.logical(bootstrap) || length(bootstrap) != 1L || is.na(bootstrap))
    nev_stop("`bootstrap` must be TRUE or FALSE (got ",
             paste(format(bootstrap), collapse = ", "), ")")
  if (!is.data.frame(data))
    nev_stop("`data` must be a data frame with one row per recall (got ",
             class(data)[1], ")")
  env <- parent.frame()
  idv <- nev_arg(substitute(id), data, env, "id")
  y <- nev_arg(substitute(amount), data, env, "amount")
  dayv <- nev_arg(substitute(day), data, env, "day", required = FALSE)
  wv <- nev_arg(substitute(weights), data, env, "weights", required = FALSE)
  nr <- nrow(data)
  if (length(idv) != nr)
    nev_stop("`id` must have one value per row of `data` (", nr, "); got ",
             length(idv))
  y <- nev_num(y, "amount", data)
  if (length(y) != nr)
    nev_stop("`amount` must have one value per row of `data` (", nr,
             "); got ", length(y))
  if (!is.null(dayv) && length(dayv) != nr)
    nev_stop("`day` must have one value per row of `data` (", nr, "); got ",
             length(dayv))
  if (is.null(wv)) wv <- rep(1, nr)
  wv <- nev_check_numeric(wv, "weights")
  if (length(wv) != nr)
    nev_stop("`weights` must have one value per row of `data` (", nr,
             "); got ", length(wv))
  na <- is.na(idv) | is.na(y) | is.na(wv)
  if (!is.null(dayv)) na <- na | is.na(dayv)
  if (any(na))
    nev_warn(sum(na), " recall", if (sum(na) > 1) "s", " with missing ",
             "values (`id`, `amount`, `weights` or `day`) dropped: row",
             if (sum(na) > 1) "s", " ", nev_rows(which(na)))
  ok <- !na
  bad <- which(ok & !is.finite(y))
  if (length(bad))
    nev_stop("`amount` must be finite; row", if (length(bad) > 1) "s", " ",
             nev_rows(bad), " ha", if (length(bad) > 1) "ve" else "s",
             " ", format(y[bad[1]]))
  bad <- which(ok & y < 0)
  if (length(bad))
    nev_stop("`amount` must not be negative; row",
             if (length(bad) > 1) "s", " ", nev_rows(bad), " ha",
             if (length(bad) > 1) "ve" else "s", " amount = ",
             format(y[bad[1]]))
  bad <- which(ok & (wv < 0 | !is.finite(wv)))
  if (length(bad))
    nev_stop("`weights` must be finite and non-negative; row",
             if (length(bad) > 1) "s", " ", nev_rows(bad), " ha",
             if (length(bad) > 1) "ve" else "s", " weight ",
             format(wv[bad[1]]))
  rows <- which(ok)
  if (!length(rows)) nev_stop("no complete rows in `data`")
  if (all(y[rows] == 0))
    nev_stop("all intakes in `amount` are zero: nothing to model")
  if (!is.null(dayv)) {
    dup <- duplicated(data.frame(idv[rows], dayv[rows]))
    if (any(dup))
      nev_stop("each person-day must appear once; `id` = ",
               format(idv[rows][which(dup)[1]]), ", `day` = ",
               format(dayv[rows][which(dup)[1]]), " appears more than once")
  }
  has_zero <- any(y[rows] == 0)
  if (is.null(episodic)) episodic <- has_zero
  if (!is.logical(episodic) || length(episodic) != 1L || is.na(episodic))
    nev_stop("`episodic` must be NULL, TRUE or FALSE")
  if (!episodic && has_zero)
    nev_stop("`amount` has zeros (", sum(y[rows] == 0), " recalls): use ",
             "`episodic = TRUE` (two-part model) for an episodically ",
             "consumed food")
  if (episodic && !has_zero)
    nev_stop("`episodic = TRUE` but `amount` has no zeros: the probability ",
             "part cannot be estimated; use `episodic = FALSE`")

  # persons in order of first appearance, recalls grouped by person
  idr <- idv[rows]
  persons <- unique(idr)
  pidx <- match(idr, persons)
  o <- order(pidx, seq_along(pidx))
  rows <- rows[o]; pidx <- pidx[o]
  m <- length(persons)
  nrec <- tabulate(pidx, m)
  start <- c(0L, cumsum(nrec)[-m])
  first <- rows[start + 1L]
  ys <- y[rows]

  w_row <- wv[rows]
  if (any(abs(w_row - w_row[start + 1L][pidx]) > 1e-12 * pmax(1, w_row))) {
    bad <- persons[unique(pidx[abs(w_row - w_row[start + 1L][pidx]) > 0])]
    nev_stop("`weights` are person weights and must be constant within ",
             "person; `id` = ", format(bad[1]), " has several")
  }
  wp <- w_row[start + 1L]
  if (!any(wp > 0)) nev_stop("`weights` are all zero")

  # person-level design
  xmat <- matrix(1, m, 1L, dimnames = list(NULL, "(Intercept)"))
  if (!is.null(covariates)) {
    if (is.character(covariates)) {
      miss <- setdiff(covariates, names(data))
      if (length(miss))
        nev_stop("`covariates` names columns not in `data`: ",
                 paste0("`", miss, "`", collapse = ", "))
      covariates <- stats::reformulate(covariates)
    }
    if (!inherits(covariates, "formula") || length(covariates) != 2L)
      nev_stop("`covariates` must be a one-sided formula or column names")
    mf <- tryCatch(
      stats::model.frame(covariates, data = data[rows, , drop = FALSE],
                         na.action = stats::na.pass),
      error = function(e) {
        nev_stop("could not evaluate `covariates` in `data`: ",
                 conditionMessage(e))
      })
    if (anyNA(mf))
      nev_stop("`covariates` have missing values")
    mm <- stats::model.matrix(covariates, mf)
    varies <- apply(mm, 2, function(col)
      any(abs(col - col[start + 1L][pidx]) > 1e-12))
    if (any(varies))
      nev_stop("`covariates` must be person-level (constant within person); ",
               paste0("`", colnames(mm)[varies], "`", collapse = ", "),
               " varies")
    xmat <- mm[start + 1L, , drop = FALSE]
    rownames(xmat) <- NULL
    if (qr(xmat)$rank < ncol(xmat))
      nev_stop("the `covariates` design is rank deficient")
  }

  # identifiability of the within-person variance
  pos_per <- tabulate(pidx[ys > 0], m)
  if (!any(pos_per[wp > 0] >= 2)) {
    if (all(nrec == 1L))
      nev_stop("every person has only one recall: the within- and ",
               "between-person variances cannot be separated; at least ",
               "some people need two or more recalls")
    nev_stop("no person has two or more recalls with a positive amount: ",
             "the within-person variance of the amount cannot be estimated; ",
             "at least some people need two or more consumption days")
  }
  if (!is.null(lambda) && (!is.numeric(lambda) || length(lambda) != 1L ||
                           !is.finite(lambda)))
    nev_stop("`lambda` must be NULL or a single finite number (got ",
             paste(format(lambda), collapse = ", "), ")")
  if (!is.numeric(lambda_range) || length(lambda_range) != 2L ||
      !all(is.finite(lambda_range)) || lambda_range[1] >= lambda_range[2])
    nev_stop("`lambda_range` must be two finite numbers with lower < upper ",
             "(got ", paste(format(lambda_range), collapse = ", "), ")")
  if (diff(lambda_range) > 1e5)
    nev_stop("`lambda_range` must span at most 1e5 (got ",
             paste(format(lambda_range), collapse = ", "), ")")
  probs <- intake_check_probs(probs)
  if (!is.numeric(ngh) || length(ngh) != 1L || ngh < 1 || ngh > 256 ||
      ngh != round(ngh))
    nev_stop("`ngh` must be a whole number in 1..256 (got ",
             paste(format(ngh), collapse = ", "), ")")
  if (!is.numeric(B) || length(B) != 1L || is.na(B) || B < 2 || B != round(B))
    nev_stop("`B` must be a whole number >= 2 (got ",
             paste(format(B), collapse = ", "), ")")
  lam_fixed <- if (is.null(lambda)) NA_real_ else as.double(lambda)

  ws <- wp * m / sum(wp)
  args <- list(as.double(ys), as.integer(start), as.integer(nrec),
               storage_double(xmat), as.double(ws), episodic, lam_fixed,
               as.double(lambda_range), as.integer(ngh))
  fit <- do.call(.Call, c(list(C_intake_usual_fit), args))
  names(fit$beta) <- colnames(xmat)
  if (episodic) names(fit$gamma) <- colnames(xmat)
  if (bitwAnd(fit$boundary, 1L))
    nev_warn("the between-person variance is estimated at zero (boundary): ",
             "usual intakes equal the back-transformed mean")
  at_log <- lambda_range[1] == 0 && fit$lambda - lambda_range[1] < 1e-5
  if (bitwAnd(fit$boundary, 2L) && !at_log)
    nev_warn("the Box-Cox power is at the edge of `lambda_range` (",
             format(fit$lambda), "); consider widening it")
  if (episodic && !fit$converged_p)
    nev_warn("the probability part did not converge")
  npat <- if (ncol(xmat) == 1L) 1L else m
  K <- intake_usual_K(npat, episodic)
  dist <- tryCatch(
    .Call(C_intake_usual_sample, fit$lambda, unname(fit$beta),
          fit$sigma2_b, fit$sigma2_w, episodic,
          if (episodic) unname(fit$gamma) else NA_real_,
          fit$sigma2_v, storage_double(xmat), as.double(ws), K,
          as.integer(ngh)),
    error = function(e) {
      if (fit$lambda < 0)
        nev_stop("the Box-Cox power is negative (lambda = ",
                 format(fit$lambda, digits = 4), "): the back-transformed ",
                 "mean is infinite under normal day-to-day variation; use ",
                 "`lambda_range` with a lower bound of 0 or fix `lambda`")
      nev_stop(conditionMessage(e))
    })
  boot <- NULL
  if (bootstrap) {
    bt <- do.call(.Call, c(list(C_intake_usual_boot), args,
                           list(K, probs, as.integer(B))))
    colnames(bt$q) <- intake_pct_names(probs)
    p <- ncol(xmat)
    colnames(bt$par) <- c("lambda", "sigma2_b", "sigma2_w", "sigma2_v",
                          paste0("beta:", colnames(xmat)),
                          paste0("gamma:", colnames(xmat)))
    nfail <- sum(bt$status > 0L & bt$status < 100L)
    if (nfail)
      nev_warn(nfail, " of ", B, " bootstrap replicates could not be fitted ",
               "and are left out")
    boot <- list(q = bt$q, par = bt$par, status = bt$status, probs = probs,
                 B = as.integer(B))
  }
  obj <- list(
    call = cl, lambda = fit$lambda, beta = fit$beta,
    sigma2_b = fit$sigma2_b, sigma2_w = fit$sigma2_w,
    gamma = if (episodic) fit$gamma else NULL,
    sigma2_v = if (episodic) fit$sigma2_v else NULL,
    episodic = episodic, logLik_amount = fit$loglik,
    logLik_probability = if (episodic) fit$loglik_p else NULL,
    lambda_fixed = !is.null(lambda), boundary = fit$boundary,
    converged = !episodic || isTRUE(fit$converged_p),
    dist = dist, K = K, ngh = as.integer(ngh), x = xmat, w = ws,
    recalls = data.frame(id = persons[pidx], amount = ys,
                         weight = ws[pidx]),
    n_persons = m, n_recalls = length(ys),
    n_multi = sum(nrec >= 2L), boot = boot)
  usual_new_fit(obj)
}

# The nev_fit part: the parameters, their bootstrap covariance (NA without
# replicates), the likelihood of the recalls (both parts when episodic).
usual_new_fit <- function(obj) {
  cf <- usual_coef(obj)
  V <- if (is.null(obj$boot)) matrix(NA_real_, length(cf), length(cf))
       else stats::cov(obj$boot$par[, names(cf), drop = FALSE],
                       use = "complete.obs")
  npar <- length(obj$beta) + 2L + !obj$lambda_fixed +
    if (obj$episodic) length(obj$gamma) + 1L else 0L
  new_nev_fit(obj, "nev_usual", cf, V, nobs = obj$n_recalls,
              logLik = obj$logLik_amount + (obj$logLik_probability %||% 0),
              npar = npar, statistic = rep(NA_real_, length(cf)),
              p.value = rep(NA_real_, length(cf)))
}

# Parameters in the order lambda, beta:*, sigma2_b, sigma2_w, gamma:*,
# sigma2_v (the names of the bootstrap replicates).
usual_coef <- function(obj) {
  out <- c(lambda = obj$lambda,
           stats::setNames(obj$beta, paste0("beta:", names(obj$beta))),
           sigma2_b = obj$sigma2_b, sigma2_w = obj$sigma2_w)
  if (obj$episodic)
    out <- c(out, stats::setNames(obj$gamma,
                                  paste0("gamma:", names(obj$gamma))),
             sigma2_v = obj$sigma2_v)
  out
}

storage_double <- function(x) {
  storage.mode(x) <- "double"
  x
}
