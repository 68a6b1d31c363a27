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
#' the day-to-day variation within persons, as in the NCI and ISU methods,
#' with survey weights and replicate weights, nuisance effects of the
#' recall day, and supplements added to foods as in SPADE.
#'
#' @section Model:
#' Amounts on consumption days are transformed by Box-Cox,
#' \eqn{z = (y^\lambda - 1)/\lambda} (\eqn{\log y} for \eqn{\lambda = 0}),
#' with \eqn{\lambda} chosen by maximum likelihood of the untransformed data,
#' i.e. the normal likelihood of \eqn{z} plus the Jacobian
#' \eqn{(\lambda - 1)\sum \log y}, over `lambda_range`. On the transformed
#' scale \eqn{z_{ij} = x_{ij}'\beta + u_i + e_{ij}} with person effects
#' \eqn{u_i \sim N(0, \sigma^2_b)} and day effects \eqn{e_{ij} \sim N(0,
#' \sigma^2_w)}. The usual intake of a person is the mean of the
#' back-transformed daily intake over the day effects,
#' \eqn{E[g^{-1}(x_i'\beta + u_i + e)]}, computed by Gauss-Hermite
#' quadrature with `ngh` nodes; its distribution follows from that of the
#' person effects (evaluated on a fine grid of their normal quantiles, and
#' mixed over the persons' covariates with their weights).
#'
#' Episodically consumed foods (zeros on some days) use the two-part model
#' of the NCI method (Tooze et al. 2006): the probability of consumption on
#' a day is \eqn{\mathrm{logit}^{-1}(x_{ij}'\gamma + v_i)} with
#' \eqn{v_i \sim N(0, \sigma^2_v)}, the amount on consumption days follows
#' the model above, and the usual intake is the product of the person's
#' consumption probability and usual amount. With `correlated = TRUE` (the
#' default for episodic foods) the person effects \eqn{(v_i, u_i)} are
#' bivariate normal with correlation \eqn{\rho}, and every parameter,
#' \eqn{\lambda} and \eqn{\rho} included, is estimated jointly by maximum
#' likelihood: the amount's person effect is integrated out exactly given
#' \eqn{v_i} (the amounts are normal in it), and \eqn{v_i} by adaptive
#' Gauss-Hermite quadrature with `ngh` nodes centred at each person's mode;
#' the maximisation (BFGS, analytic score) starts from the uncorrelated
#' fit. With `correlated = FALSE` and no `nuisance` the two parts are fitted
#' separately as in nutrievidence 0.1.0: the amount part's variances by
#' REML at the ML \eqn{\lambda}, the probability part (logistic-normal) by
#' maximum likelihood.
#'
#' @section Nuisance effects:
#' `nuisance = ~ first_recall + weekend` adds day-level effects (recall
#' sequence, weekend, season, interview mode) to both parts. They are
#' estimated with the rest and then set, when the usual-intake
#' distribution is built, to their reference level (factor reference levels,
#' numeric 0) or averaged over the mix given in `nuisance_mix`: a data frame
#' with the nuisance variables and a column `weight` (for instance weekend =
#' `c(FALSE, TRUE)` with weights `c(4, 3)`), as the NCI method's DISTRIB
#' macro does.
#'
#' @section Survey weights and standard errors:
#' `weights` are person weights: the fit maximises the weighted (pseudo-)
#' likelihood and the distribution is the weighted mixture over persons.
#' `repweights` (one column per replicate, one row per recall or per
#' person, or the names of such columns of `data`) gives standard errors
#' for every percentile and share: each replicate refits everything
#' (\eqn{\lambda} included) with its weights, and the variance is
#' \eqn{c \sum_r (\hat\theta_r - \bar\theta)^2} with \eqn{c = 1/(R(1 -
#' \mathrm{fay})^2)} for `"BRR"` (Fay's method when `fay > 0`), \eqn{(R -
#' 1)/R} for `"JK1"` and \eqn{1/(R - 1)} for `"bootstrap"` (the survey
#' package's conventions, centred at the replicates' mean). Replicate fits
#' run through [future.apply::future_lapply()] when a [future::plan()] other
#' than sequential is set (results identical to the sequential run), with
#' progress reported through progressr. `bootstrap = TRUE` resamples
#' persons with replacement (`B` replicates, weights kept; in C for the
#' separate fits). Without replicates, the joint model's standard errors
#' come from the observed information (numerical Hessian of the
#' log-likelihood) and the delta method, which is valid for simple random
#' samples (unweighted or frequency weights), not for survey designs.
#'
#' @section Bias correction:
#' The percentiles of the fitted model at the maximum-likelihood estimates
#' (plug-in) are consistent but, in samples of a few thousand persons,
#' biased: a percentile is a nonlinear function of the parameters, and the
#' lower tail of an episodic food's distribution is convex in
#' \eqn{\sigma^2_v}, so unbiased but noisy estimates put P10 too high on
#' average (in the package's validation, 2,000 persons with 70%
#' non-consumption days: +3% to +4% at P10, within 1.2% at P50 and P90).
#' `bias_correct = "bootstrap"` estimates this bias by a parametric
#' bootstrap: `bias_B` data sets are simulated from the fitted model, with
#' the persons, covariates, weights, nuisance design, supplement doses and
#' recalls per person of `data`, and refitted (started at the estimate);
#' each percentile \eqn{\hat Q(p)} becomes \eqn{\hat Q(p)(1 - r(p))}, with
#' \eqn{r(p) = \bar Q^*(p)/\hat Q(p) - 1} the bootstrap's relative bias
#' (\eqn{\bar Q^*(p)} the mean percentile of the refits), i.e.
#' \eqn{2\hat Q(p) - \bar Q^*(p)}. \eqn{r(p)} is taken on a grid of
#' \eqn{p} from 0.001 to 0.999 by 0.001 and averaged over the 21 nearest
#' grid probabilities (\eqn{\pm 0.01}; the grid distributions of fits with
#' covariates are lumpy at a finer scale), the corrected percentiles are
#' sorted (rearranged) into a monotone curve, interpolated between grid
#' probabilities and extended beyond them with the end's \eqn{r}. The
#' corrected distribution is the one `quantile()`, `summary()`,
#' [intake_share()] and `plot()` use; the estimates of the parameters
#' (`coef()`) stay the maximum-likelihood ones, the uncorrected
#' distributions are kept in `x$bias$dist` (and `x$bias$dist_food`), the
#' bootstrap's relative bias per grid probability in `x$bias$rel_bias`.
#' Standard errors are those of the uncorrected estimates (replicates or
#' the delta method), and intervals are centred at the corrected ones: in
#' the validation the correction changes the spread of the estimates by
#' at most 8% with `bias_B = 20`. Each refit draws from its own
#' L'Ecuyer-CMRG stream made from the session's random seed, so results
#' are the same under every [future::plan()]; the refits run in parallel
#' with a multisession plan. The correction costs `bias_B` fits.
#'
#' @section Foods plus supplements:
#' `supplement` gives the supplement amount taken on each recall day (0 on
#' days without). Persons who report a supplement on any recall are users;
#' a user's usual supplement intake is the mean of their recalled doses (an
#' assumption suited to regular fixed doses: day-to-day variation of the
#' dose is not removed). The total usual intake of a user is the usual
#' intake from foods plus this dose, so the distribution of total intake
#' mixes non-users (foods only) and users (foods plus dose) with their
#' weights; `x$dist_food` keeps the foods-only distribution and
#' `x$supplement` the share of users. Add user status to `covariates` when
#' users may eat differently.
#'
#' @param data A data frame with one row per recall.
#' @param id Person identifier: an unquoted column of `data`, a string
#'   naming one, or a vector.
#' @param amount Intake on the recall day (non-negative; zeros only for an
#'   episodic food), given like `id`, in `unit`.
#' @param day Optional recall day or number, given like `id`; used to check
#'   that no person-day appears twice.
#' @param weights Optional person (survey) weights, given like `id`: one per
#'   row, constant within person, non-negative and not all zero.
#' @param covariates Optional person-level covariates: a one-sided formula
#'   (`~ age + sex`) or a character vector of column names of `data`, each
#'   constant within person. They enter both parts of the model.
#' @param episodic `TRUE` for the two-part model, `FALSE` for the amount
#'   model only; `NULL` (default) uses the two-part model when `amount` has
#'   zeros.
#' @param correlated For an episodic food: `TRUE` (default) for correlated
#'   person effects of the two parts (\eqn{\rho} estimated), `FALSE` for
#'   independent ones.
#' @param nuisance Optional day-level nuisance effects: a one-sided formula
#'   of columns of `data`.
#' @param nuisance_mix `NULL` (reference levels) or a data frame of nuisance
#'   settings with a column `weight`: the usual intake is averaged over them.
#' @param supplement Optional supplement amount on each recall day (same
#'   unit as `amount`), given like `id`.
#' @param repweights Optional replicate weights: a matrix or data frame
#'   with one column per replicate and one row per row of `data` (constant
#'   within person) or per person (in order of first appearance), or a
#'   character vector of column names of `data`.
#' @param rep_method `"BRR"`, `"JK1"` or `"bootstrap"`: how the replicate
#'   weights were made.
#' @param fay Fay's coefficient for `"BRR"` (0 for plain BRR), in \[0, 1).
#' @param lambda `NULL` to estimate the Box-Cox power by maximum
#'   likelihood, or a fixed value (0 = log).
#' @param lambda_range Search range for \eqn{\lambda}. The default starts
#'   at the log transform (0): for \eqn{\lambda < 0} the inverse transform
#'   has a pole and the mean over normal day-to-day variation is infinite.
#'   An estimate at 0 is not flagged as a boundary.
#' @param bootstrap `TRUE` for bootstrap standard errors and percentile
#'   intervals (persons resampled `B` times). Ignored when `repweights` are
#'   given.
#' @param B Number of bootstrap replicates.
#' @param bias_correct `"none"` (default) for the maximum-likelihood
#'   (plug-in) distribution, `"bootstrap"` for its correction by parametric
#'   bootstrap (see the section on bias correction).
#' @param bias_B Number of simulated data sets of the bias correction.
#' @param probs Probabilities at which replicates store percentiles.
#' @param ngh Number of Gauss-Hermite nodes.
#' @param unit Unit of `amount` per day, printed and used in plots (any
#'   unit: `"mg/day"`, `"g/day"` work as they are).
#' @param control [intake_control()] settings of the maximisation.
#' @return An object of class `c("nev_usual", "nev_fit")`: a list with the
#'   estimates (`lambda`, `beta`, `sigma2_b`, `sigma2_w`, and for episodic
#'   foods `gamma`, `sigma2_v`, `rho`; together the `coefficients` of
#'   [nev_fit], with `vcov` from the replicates or the observed
#'   information), the log-likelihood (`logLik_amount` and
#'   `logLik_probability` for the separate fits, `logLik_joint` for the
#'   joint model; `logLik()` gives the model's), `boundary` (names of the
#'   parameters at a boundary), `converged`, the usual-intake distribution
#'   as a weighted grid (`dist`; `dist_food` with a supplement; both
#'   bias-corrected with `bias_correct = "bootstrap"`), the bias correction
#'   (`bias`, or `NULL`), the replicates (`reps`, or `NULL`), the recalls
#'   and counts. Methods:
#'   `print`, `summary` (percentiles with standard errors), `quantile` (a
#'   named numeric vector), [intake_share()] (EAR cut-point, probability
#'   approach, UL, AI), `plot`, and those of [nev_fit] (`coef`, `vcov`,
#'   `confint`, `tidy`, `glance`, `nobs`, `logLik`).
#' @references Tooze JA et al. (2006) A new statistical method for
#'   estimating the usual intake of episodically consumed foods with
#'   application to their distribution. J Am Diet Assoc 106:1575-1587.
#'   Kipnis V et al. (2009) Modeling data with excess zeros and measurement
#'   error: application to evaluating relationships between episodically
#'   consumed foods and health outcomes. Biometrics 65:1003-1010.
#'   Nusser SM et al. (1996) A semiparametric transformation approach to
#'   estimating usual daily intake distributions. JASA 91:1440-1449.
#'   Souverein OW et al. (2011) SPADE: Statistical Program to Assess Dietary
#'   Exposure. (three-part model for foods plus supplements.)
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
#' # an episodic food: correlated two-part model
#' v <- 1.2 * u + rnorm(m, 0, 0.8)  # consumption's person effects, cor 0.6
#' rec$natto <- ifelse(runif(2 * m) < plogis(-1 + v[rec$id]),
#'                     rec$k2_ug * 5, 0)
#' intake_usual(rec, id, natto)
#' # its percentiles corrected for their small-sample bias
#' nat <- intake_usual(rec, id, natto, bias_correct = "bootstrap",
#'                     bias_B = 20)
#' quantile(nat, c(0.1, 0.5, 0.9))
#' nat$bias$rel_bias[c(100, 500, 900)]   # the bootstrap's relative bias
#' @export
intake_usual <- function(data, id, amount, day = NULL, weights = NULL,
                         covariates = NULL, episodic = NULL,
                         correlated = NULL, nuisance = NULL,
                         nuisance_mix = NULL, supplement = NULL,
                         repweights = NULL,
                         rep_method = c("BRR", "JK1", "bootstrap"), fay = 0,
                         lambda = NULL, lambda_range = c(0, 1.5),
                         bootstrap = FALSE, B = 200,
                         bias_correct = c("none", "bootstrap"), bias_B = 50,
                         probs = c(0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95),
                         ngh = 20, unit = "ug/day",
                         control = intake_control()) {
  cl <- match.call()
  if (!is.logical(bootstrap) || length(bootstrap) != 1L || is.na(bootstrap))
    nev_stop("`bootstrap` must be TRUE or FALSE (got ",
             paste(format(bootstrap), collapse = ", "), ")")
  rep_method <- nev_match_arg(rep_method)
  bias_correct <- nev_match_arg(bias_correct)
  if (!is.data.frame(data))
    nev_stop("`data` must be a data frame with one row per recall (got ",
             class(data)[1], ")")
  env <- parent.frame()
  raw <- list(
    id = nev_arg(substitute(id), data, env, "id"),
    amount = nev_arg(substitute(amount), data, env, "amount"),
    day = nev_arg(substitute(day), data, env, "day", required = FALSE),
    weights = nev_arg(substitute(weights), data, env, "weights",
                      required = FALSE),
    supplement = nev_arg(substitute(supplement), data, env, "supplement",
                         required = FALSE))
  d <- usual_prepare(data, raw)
  d$x <- usual_covariates(covariates, data, d)
  d$nuis <- usual_nuisance(nuisance, nuisance_mix, data, d)
  d$gm <- usual_gm(d)
  opt <- usual_options(d, episodic, correlated, lambda, lambda_range, probs,
                       ngh, B, unit, control, bias_correct, bias_B)
  d$repw <- usual_repweights(repweights, data, d, rep_method, fay)
  usual_check_repeats(d, opt)
  fit <- usual_fit(d, opt, hessian = opt$nci)
  dist <- usual_dists(d, opt, fit$par)
  fit$dist <- dist$total
  if (!is.null(d$supp)) fit$dist_food <- dist$food
  fit$reps <- usual_replicates(fit, d, opt, bootstrap)
  if (opt$bias_correct == "bootstrap") fit <- usual_bias_correct(fit, d, opt)
  usual_object(fit, d, opt, cl)
}

# ---- input -----------------------------------------------------------------

# Recalls grouped by person, checked: amounts, weights, supplement.
usual_prepare <- function(data, raw) {
  nr <- nrow(data)
  for (a in c("id", "amount", "day", "weights", "supplement")) {
    v <- raw[[a]]
    if (!is.null(v) && length(v) != nr)
      nev_stop("`", a, "` must have one value per row of `data` (", nr,
               "); got ", length(v))
  }
  y <- nev_num(raw$amount, "amount", data)
  wv <- if (is.null(raw$weights)) rep(1, nr) else
    nev_check_numeric(raw$weights, "weights")
  sv <- if (is.null(raw$supplement)) NULL else
    nev_num(raw$supplement, "supplement", data)
  na <- is.na(raw$id) | is.na(y) | is.na(wv)
  if (!is.null(raw$day)) na <- na | is.na(raw$day)
  if (!is.null(sv)) na <- na | is.na(sv)
  if (any(na))
    nev_warn(sum(na), " recall", if (sum(na) > 1) "s", " with missing ",
             "values (`id`, `amount`, `weights`, `day` or `supplement`) ",
             "dropped: row", if (sum(na) > 1) "s", " ", nev_rows(which(na)))
  ok <- !na
  usual_check_values(y, ok, "amount", "amount")
  if (!is.null(sv)) usual_check_values(sv, ok, "supplement", "supplement")
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
  if (!is.null(raw$day)) {
    dup <- duplicated(data.frame(raw$id[rows], raw$day[rows]))
    if (any(dup))
      nev_stop("each person-day must appear once; `id` = ",
               format(raw$id[rows][which(dup)[1]]), ", `day` = ",
               format(raw$day[rows][which(dup)[1]]),
               " appears more than once")
  }
  # persons in order of first appearance, recalls grouped by person
  persons <- unique(raw$id[rows])
  pidx <- match(raw$id[rows], persons)
  o <- order(pidx, seq_along(pidx))
  rows <- rows[o]; pidx <- pidx[o]
  m <- length(persons)
  nrec <- tabulate(pidx, m)
  start <- c(0L, cumsum(nrec)[-m])
  wp <- usual_person_value(wv[rows], pidx, start, persons, "weights",
                           "person weights")
  if (!any(wp > 0)) nev_stop("`weights` are all zero")
  list(rows = rows, pidx = pidx, persons = persons, m = m, nrec = nrec,
       start = start, y = y[rows], wp = wp,
       supp = if (!is.null(sv)) sv[rows])
}

usual_check_values <- function(v, ok, name, what) {
  bad <- which(ok & !is.finite(v))
  if (length(bad))
    nev_stop("`", name, "` must be finite; row", if (length(bad) > 1) "s",
             " ", nev_rows(bad), " ha", if (length(bad) > 1) "ve" else "s",
             " ", format(v[bad[1]]))
  bad <- which(ok & v < 0)
  if (length(bad))
    nev_stop("`", name, "` must not be negative; row",
             if (length(bad) > 1) "s", " ", nev_rows(bad), " ha",
             if (length(bad) > 1) "ve" else "s", " ", what, " = ",
             format(v[bad[1]]))
}

# The one value per person of a row-level vector that must be constant
# within person.
usual_person_value <- function(v, pidx, start, persons, name, what) {
  first <- v[start + 1L][pidx]
  dif <- abs(v - first) > 1e-12 * pmax(1, abs(v))
  if (any(dif))
    nev_stop("`", name, "` are ", what, " and must be constant within ",
             "person; `id` = ", format(persons[pidx[which(dif)[1]]]),
             " has several")
  v[start + 1L]
}

# Person-level design (intercept plus covariates), m x p.
usual_covariates <- function(covariates, data, d) {
  xmat <- matrix(1, d$m, 1L, dimnames = list(NULL, "(Intercept)"))
  if (is.null(covariates)) return(xmat)
  if (is.character(covariates)) {
    miss <- setdiff(covariates, names(data))
    if (length(miss))
      nev_stop("`covariates` names columns not in `data`: ",
               paste0("`", miss, "`", collapse = ", "))
    covariates <- stats::reformulate(covariates)
  }
  if (!inherits(covariates, "formula") || length(covariates) != 2L)
    nev_stop("`covariates` must be a one-sided formula or column names")
  mm <- usual_model_matrix(covariates, data[d$rows, , drop = FALSE],
                           "covariates")$x
  varies <- apply(mm, 2, function(col)
    any(abs(col - col[d$start + 1L][d$pidx]) > 1e-12))
  if (any(varies))
    nev_stop("`covariates` must be person-level (constant within person); ",
             paste0("`", colnames(mm)[varies], "`", collapse = ", "),
             " varies")
  xmat <- mm[d$start + 1L, , drop = FALSE]
  rownames(xmat) <- NULL
  if (qr(xmat)$rank < ncol(xmat))
    nev_stop("the `covariates` design is rank deficient")
  xmat
}

usual_model_matrix <- function(f, df, name) {
  mf <- tryCatch(
    stats::model.frame(f, data = df, na.action = stats::na.pass),
    error = function(e)
      nev_stop("could not evaluate `", name, "` in `data`: ",
               conditionMessage(e)))
  if (anyNA(mf)) nev_stop("`", name, "` have missing values")
  tt <- stats::terms(mf)
  list(x = stats::model.matrix(tt, mf), terms = tt,
       xlev = stats::.getXlevels(tt, mf))
}

# Day-level nuisance design (no intercept) and the settings at which the
# distribution is built: a list(x = ntot x q, at = S x q, mix = S weights).
usual_nuisance <- function(nuisance, mix, data, d) {
  if (is.null(nuisance)) {
    if (!is.null(mix))
      nev_stop("`nuisance_mix` needs `nuisance` (a formula of day-level ",
               "effects)")
    return(NULL)
  }
  if (!inherits(nuisance, "formula") || length(nuisance) != 2L)
    nev_stop("`nuisance` must be a one-sided formula such as ",
             "~ first_recall + weekend")
  mm <- usual_model_matrix(nuisance, data[d$rows, , drop = FALSE],
                           "nuisance")
  x <- mm$x[, colnames(mm$x) != "(Intercept)", drop = FALSE]
  if (!ncol(x)) nev_stop("`nuisance` has no terms")
  if (qr(cbind(1, x))$rank < ncol(x) + 1L)
    nev_stop("the `nuisance` design is rank deficient (a term is constant ",
             "or collinear)")
  if (is.null(mix)) {
    at <- matrix(0, 1L, ncol(x), dimnames = list(NULL, colnames(x)))
    return(list(x = x, at = at, mix = 1))
  }
  if (!is.data.frame(mix) || !nrow(mix) || is.null(mix$weight))
    nev_stop("`nuisance_mix` must be a data frame with the nuisance ",
             "variables and a column `weight`")
  w <- mix$weight
  if (!is.numeric(w) || anyNA(w) || any(w < 0) || !(sum(w) > 0))
    nev_stop("`nuisance_mix$weight` must be non-negative numbers, not all ",
             "zero (got ", paste(format(w), collapse = ", "), ")")
  tt <- stats::delete.response(mm$terms)
  mf <- tryCatch(stats::model.frame(tt, mix, xlev = mm$xlev),
                 error = function(e)
                   nev_stop("could not evaluate `nuisance` in ",
                            "`nuisance_mix`: ", conditionMessage(e)))
  at <- stats::model.matrix(tt, mf)
  at <- at[, colnames(x), drop = FALSE]
  list(x = x, at = at, mix = w / sum(w))
}

usual_options <- function(d, episodic, correlated, lambda, lambda_range,
                          probs, ngh, B, unit, control, bias_correct,
                          bias_B) {
  has_zero <- any(d$y == 0)
  if (is.null(episodic)) episodic <- has_zero
  if (!is.logical(episodic) || length(episodic) != 1L || is.na(episodic))
    nev_stop("`episodic` must be NULL, TRUE or FALSE")
  if (!episodic && has_zero)
    nev_stop("`amount` has zeros (", sum(d$y == 0), " recalls): use ",
             "`episodic = TRUE` (two-part model) for an episodically ",
             "consumed food")
  if (episodic && !has_zero)
    nev_stop("`episodic = TRUE` but `amount` has no zeros: the probability ",
             "part cannot be estimated; use `episodic = FALSE`")
  if (is.null(correlated)) correlated <- episodic
  if (!is.logical(correlated) || length(correlated) != 1L ||
      is.na(correlated))
    nev_stop("`correlated` must be NULL, TRUE or FALSE")
  if (correlated && !episodic)
    nev_stop("`correlated = TRUE` needs an episodic food (the correlation ",
             "is between the probability and amount parts)")
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
  if (!is.numeric(ngh) || length(ngh) != 1L || is.na(ngh) || ngh < 1 ||
      ngh > 256 || ngh != round(ngh))
    nev_stop("`ngh` must be a whole number in 1..256 (got ",
             paste(format(ngh), collapse = ", "), ")")
  B <- resample_count_arg(B, "B", lower = 2)
  bias_B <- resample_count_arg(bias_B, "bias_B", lower = 2)
  if (!is.character(unit) || length(unit) != 1L || is.na(unit))
    nev_stop("`unit` must be a single string such as \"ug/day\" (got ",
             paste(format(unit), collapse = ", "), ")")
  nci <- correlated || !is.null(d$nuis)
  list(episodic = episodic, correlated = correlated, nci = nci,
       lambda = if (is.null(lambda)) NA_real_ else as.double(lambda),
       lambda_range = as.double(lambda_range),
       probs = intake_check_probs(probs), ngh = as.integer(ngh),
       B = as.integer(B), unit = unit, bias_correct = bias_correct,
       bias_B = as.integer(bias_B),
       control = nev_check_control(control, intake_control,
                                   "intake_control"))
}

#' Control settings for the usual-intake maximisation
#'
#' @param tol Convergence tolerance of the joint (correlated or nuisance)
#'   model: the largest mean score per person.
#' @param maxiter Largest number of BFGS iterations of the joint model.
#' @return A list with elements `tol` and `maxiter`. A `control` list given
#'   by hand is checked by this function: unknown elements are an error.
#' @family intake
#' @examples
#' intake_control(maxiter = 500)
#' @export
intake_control <- function(tol = 1e-6, maxiter = 1000L) {
  nev_control_values(tol, maxiter)
}

# Identifiability of the within-person variance, and how precisely it can
# be estimated: a warning when the within-person degrees of freedom give
# sigma2_w a relative SE above 30% (sqrt(2 / df), fewer than 23).
usual_check_repeats <- function(d, opt) {
  pos <- tabulate(d$pidx[d$y > 0], d$m)
  use <- d$wp > 0
  if (!any(pos[use] >= 2)) {
    if (all(d$nrec == 1L))
      nev_stop("every person has only one recall: the within- and ",
               "between-person variances cannot be separated; at least ",
               "some persons need two or more recalls")
    nev_stop("no person has two or more recalls with a positive amount: ",
             "the within-person variance of the amount cannot be ",
             "estimated; at least some persons need two or more ",
             "consumption days")
  }
  pa <- d$y[d$y > 0]
  if (all(pa == pa[1]))
    nev_stop("`amount` is the same (", format(pa[1]), ") on every recall ",
             "with a positive amount: there is no variation to separate ",
             "into between- and within-person parts")
  df <- sum(pmax(pos[use] - 1, 0))
  n2 <- sum(pos[use] >= 2)
  if (sqrt(2 / df) > 0.3)
    nev_warn("only ", n2, " person", if (n2 > 1) "s", " of ", sum(use),
             " ha", if (n2 > 1) "ve" else "s", " two or more recalls with ",
             "a positive amount (", df, " within-person degree",
             if (df > 1) "s", " of freedom): the within-person variance ",
             "has a relative SE of about ", round(100 * sqrt(2 / df)),
             "%, so the between-person variance and the tails of the ",
             "usual-intake distribution are unreliable; about 23 persons ",
             "with a repeat recall are needed for a relative SE of 30%, 50 ",
             "for 20%")
}

# ---- the fitted object ----------------------------------------------------------

usual_object <- function(fit, d, opt, cl) {
  usual_fit_warnings(fit, opt)
  p <- fit$par
  joint <- fit$method == "joint"
  obj <- list(
    call = cl, lambda = p$lambda, beta = p$beta, sigma2_b = p$sigma2_b,
    sigma2_w = p$sigma2_w, gamma = p$gamma,
    sigma2_v = if (opt$episodic) p$sigma2_v, rho = if (opt$correlated) p$rho,
    par = p, episodic = opt$episodic, correlated = opt$correlated,
    method = fit$method,
    logLik_amount = if (!joint) fit$loglik,
    logLik_probability = if (!joint && opt$episodic) fit$loglik_p,
    logLik_joint = if (joint) fit$loglik,
    lambda_fixed = !is.na(opt$lambda), boundary = fit$boundary,
    converged = fit$converged, iterations = fit$iterations,
    theta = fit$theta, vcov_theta = fit$vcov_theta,
    lambda_fixed_at = fit$lambda_fixed_at,
    dist = fit$dist, dist_food = fit$dist_food, bias = fit$bias,
    supplement = usual_supplement_summary(d),
    ngh = opt$ngh, x = d$x, w = usual_scale_w(d$wp), nuisance = d$nuis,
    recalls = data.frame(id = d$persons[d$pidx], amount = d$y,
                         weight = usual_scale_w(d$wp)[d$pidx]),
    n_persons = d$m, n_recalls = length(d$y),
    n_multi = sum(d$nrec >= 2L), reps = fit$reps, unit = opt$unit,
    data = d, opt = opt)
  usual_new_fit(obj)
}

usual_supplement_summary <- function(d) {
  if (is.null(d$supp)) return(NULL)
  dose <- usual_dose(d)
  user <- dose > 0
  list(share_users = sum(d$wp[user]) / sum(d$wp), n_users = sum(user),
       dose_users = stats::setNames(
         usual_quantile(list(u = dose[user], w = d$wp[user]),
                        c(0.1, 0.5, 0.9)), c("P10", "P50", "P90")))
}

# The nev_fit part: the parameters, their covariance (from the replicates,
# or the joint model's observed information; NA without either), the
# likelihood of the recalls (both parts when episodic).
usual_new_fit <- function(obj) {
  cf <- usual_coef(obj$par, obj$episodic, obj$correlated)
  npar <- if (obj$method == "joint") length(obj$theta) else
    length(obj$beta) + 2L + !obj$lambda_fixed +
      if (obj$episodic) length(obj$gamma) + 1L else 0L
  ll <- if (obj$method == "joint") obj$logLik_joint else
    obj$logLik_amount + (obj$logLik_probability %||% 0)
  new_nev_fit(obj, "nev_usual", cf, usual_vcov(obj, cf),
              nobs = obj$n_recalls, logLik = ll, npar = npar,
              statistic = rep(NA_real_, length(cf)),
              p.value = rep(NA_real_, length(cf)))
}

# Parameters in the order lambda, beta:*, sigma2_b, sigma2_w, gamma:*,
# sigma2_v, rho (the names of the replicates' columns).
usual_coef <- function(p, episodic, correlated) {
  out <- c(lambda = p$lambda,
           stats::setNames(p$beta, paste0("beta:", names(p$beta))),
           sigma2_b = p$sigma2_b, sigma2_w = p$sigma2_w)
  if (episodic)
    out <- c(out, stats::setNames(p$gamma, paste0("gamma:", names(p$gamma))),
             sigma2_v = p$sigma2_v)
  if (isTRUE(correlated)) out <- c(out, rho = p$rho)
  out
}

usual_vcov <- function(obj, cf) {
  k <- length(cf)
  if (!is.null(obj$reps)) {
    est <- obj$reps$par[, names(cf), drop = FALSE]
    est <- est[stats::complete.cases(est), , drop = FALSE]
    R <- nrow(est)
    if (R < 2L) return(matrix(NA_real_, k, k))
    sc <- switch(obj$reps$method, BRR = 1 / (R * (1 - obj$reps$fay)^2),
                 JK1 = (R - 1) / R, bootstrap = 1 / (R - 1))
    return(sc * crossprod(sweep(est, 2, colMeans(est))))
  }
  if (is.null(obj$vcov_theta)) return(matrix(NA_real_, k, k))
  o2 <- obj$opt; o2$lambda <- obj$lambda_fixed_at
  th <- obj$theta
  g <- function(t) usual_coef(usual_theta_par(t, obj$data, o2,
                                              obj$lambda_fixed_at),
                              obj$episodic, obj$correlated)
  J <- vapply(seq_along(th), function(j) {
    h <- 1e-6 * (1 + abs(th[j]))
    e <- replace(numeric(length(th)), j, h)
    (g(th + e) - g(th - e)) / (2 * h)
  }, numeric(k))
  J %*% obj$vcov_theta %*% t(J)
}

storage_double <- function(x) {
  storage.mode(x) <- "double"
  x
}
